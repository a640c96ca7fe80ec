"""The History and Changes pages and the sidebar's wave picker, driven through the whole app
with AppTest on a small database with two waves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.curation.delete import delete_actors
from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.history.log import list_changes
from graph.history.snapshots import create_snapshot
from graph.store.database import connect, open_db
from tests.conftest import MINI, write_files

EXTRA = {"actors.csv": "actor_id,name,kind,source_id\nd,<b>Dalarö</b> Kluster,cluster,s1\n"}


@pytest.fixture
def waves_db(tmp_path: Path) -> Path:
    """MINI (#1), snapshot "wave 1", actor d (#2), delete c (#3)."""
    path = tmp_path / "waves.duckdb"
    init_database(path, empty=True)
    with open_db(path) as con:
        import_paths(con, [write_files(tmp_path / "mini", MINI)])
        create_snapshot(con, "wave 1")
        import_paths(con, [write_files(tmp_path / "extra", EXTRA)])
        delete_actors(con, ["c"])
    return path


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, page: str) -> AppTest:
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file("../../app.py", default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_history_page_lists_changes_and_undoes_one(
    monkeypatch: pytest.MonkeyPatch, waves_db: Path
) -> None:
    at = _app(monkeypatch, waves_db, "ui/history.py")
    entries = [m.value for m in at.markdown if str(m.value).startswith("**#")]
    assert [e.split()[0] for e in entries] == ["**#3**", "**#2**", "**#1**"]
    at.button(key="undo_3").click().run()
    assert not at.exception
    with connect(waves_db, read_only=True) as con:
        log = list_changes(con)
        assert log["kind"].to_list()[0] == "revert"
        assert log["who"].to_list()[0] == "app (open)"
        assert con.execute("SELECT count(*) FROM actors WHERE actor_id = 'c'").fetchone() == (1,)


def test_changes_page_lists_the_difference(monkeypatch: pytest.MonkeyPatch, waves_db: Path) -> None:
    at = _app(monkeypatch, waves_db, "ui/changes.py")
    lines = [str(m.value) for m in at.markdown]
    assert "- 1 actors joined and 1 left\\." in lines
    # names from the data are shown literally, never as markup: no "<" without its backslash
    assert not [line for line in lines if re.search(r"(?<!\\)<", line)]
    assert at.tabs[0].label == "Actors added"


def test_sidebar_wave_shows_the_past_read_only(
    monkeypatch: pytest.MonkeyPatch, waves_db: Path
) -> None:
    at = _app(monkeypatch, waves_db, "ui/overview.py")
    at.sidebar.selectbox(key="wave").select("wave 1").run()
    assert not at.exception
    assert at.metric[0].label == "Actors"
    assert at.metric[0].value == "3"  # a, b, c as recorded at wave 1 (now: a, b, d)
    at.switch_page("ui/history.py").run()
    assert not [b for b in at.button if str(b.key).startswith("undo_")]


def test_sql_console_queries_the_wave_the_sidebar_chose(
    monkeypatch: pytest.MonkeyPatch, waves_db: Path
) -> None:
    at = _app(monkeypatch, waves_db, "ui/sql_console.py")
    at.sidebar.selectbox(key="wave").select("wave 1").run()
    at.selectbox(key="sql_query").set_value("").run()
    at.text_area(key="sql_text_own").set_value(
        "SELECT string_agg(actor_id, ',' ORDER BY actor_id) AS ids FROM actors"
    ).run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    (frame,) = [d.value for d in at.dataframe if list(d.value.columns) == ["ids"]]
    assert frame["ids"].tolist() == ["a,b,c"]  # as recorded at wave 1; now it is a,b,d
