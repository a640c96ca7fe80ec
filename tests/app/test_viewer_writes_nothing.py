"""Viewers never write (issue #21, item 6): a viewer browsing a shared app with new filters added
rows to ``analysis_cache`` (0 → 44), changed the file, took the write lock and evicted the
editors' cached analyses. Now the file is byte-identical after a whole viewer session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.store.database import connect

APP = "../../app.py"  # relative to this file
PAGES = ["ui/overview.py", "ui/network_map.py", "ui/gaps.py", "ui/partners.py", "ui/geo_map.py"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cache_rows(path: Path) -> int:
    con = connect(path, read_only=True)
    try:
        return int(con.sql("SELECT count(*) FROM analysis_cache").fetchall()[0][0])
    finally:
        con.close()


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.duckdb"
    init_database(path)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


def test_a_viewer_session_leaves_the_database_file_byte_identical(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = _sha(demo_db)
    files_before = sorted(p.name for p in demo_db.parent.iterdir())
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["ecograph"] = {"editor_password": "a long editor password"}
    at.run()
    assert not at.exception
    for kinds in ([], ["company"], ["cluster", "company"]):
        at.sidebar.multiselect(key="kinds").set_value(kinds).run()
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (page, kinds, at.exception)
    at.switch_page("ui/sql_console.py").run()
    at.selectbox(key="sql_query").set_value("").run()
    at.text_area(key="sql_text_own").set_value("SELECT count(*) AS n FROM actors").run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert _sha(demo_db) == before
    assert sorted(p.name for p in demo_db.parent.iterdir()) == files_before  # no WAL either
    assert _cache_rows(demo_db) == 0


def test_an_editor_in_an_open_app_still_fills_the_cache(demo_db: Path) -> None:
    """The persistent cache is for editors (a local run is open: everyone is one)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    assert _cache_rows(demo_db) > 0


@pytest.mark.parametrize("page", ["ui/overview.py", "ui/data.py"])
def test_pages_name_the_database_file_but_not_its_folder(demo_db: Path, page: str) -> None:
    """The console hides duckdb_databases(); the pages must not show the path either."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page(page).run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in (*at.caption, *at.markdown, *at.info))
    assert "demo\\.duckdb" in shown or "demo.duckdb" in shown
    assert str(demo_db.parent) not in shown
