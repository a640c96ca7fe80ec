"""The SQL page under the server's bounds (issue #21, item 1): viewers could raise the time limit
to 600 s and the row cap to 1 000 000, and a 1 s limit answered after 49 s with the server past
9 GB. The widgets now stop at the server's bounds, and a runaway query is stopped on time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from ui.text import md

APP = "../../app.py"  # relative to this file


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.duckdb"
    init_database(path, empty=True)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


def _sql_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("ui/sql_console.py").run()
    assert not at.exception
    at.selectbox(key="sql_query").set_value("").run()
    return at


def _run(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql_text_own").set_value(sql).run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    return at


def test_the_widgets_stop_at_the_server_bounds(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_SQL_TIMEOUT", "3")
    monkeypatch.setenv("ECOGRAPH_SQL_MAX_ROWS", "5")
    at = _sql_page()
    timeout, rows = at.number_input(key="sql_timeout"), at.number_input(key="sql_max_rows")
    assert (timeout.max, timeout.value, rows.max, rows.value) == (3.0, 3.0, 5, 5)
    _run(at, "SELECT * FROM range(100)")
    assert any("Truncated: the answer has more than 5 rows" in w.value for w in at.warning)


def test_a_one_second_limit_is_kept_in_the_app(demo_db: Path) -> None:
    at = _sql_page()
    at.number_input(key="sql_timeout").set_value(1.0).run()
    started = time.monotonic()
    _run(at, "SELECT count(*) FROM range(100000000000)")
    assert time.monotonic() - started < 3
    assert [e.value for e in at.error] == [md("Stopped after 1 s (the time limit).")]


def test_a_query_past_the_memory_bound_is_stopped_and_the_page_goes_on(demo_db: Path) -> None:
    at = _sql_page()
    _run(at, "SELECT repeat(repeat('x', 100000000), 40)")
    assert [e.value for e in at.error] == [
        md("Stopped: the query needed more than 1 GB (the memory limit).")
    ]
    _run(at, "SELECT 42 AS answer")
    assert not at.error


def test_the_csv_download_is_spreadsheet_safe(demo_db: Path) -> None:
    """The download passed =HYPERLINK(…), +cmd|…, @SUM(…) to spreadsheets as formulas."""
    at = _sql_page()
    _run(
        at,
        "SELECT * FROM (VALUES ('=HYPERLINK(\"http://x\")', -1), ('+cmd|'' /C calc''!A0', 2), "
        "('@SUM(A1)', 3), ('Åre', 4)) AS t(name, n)",
    )
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download PARQUET"]
    served = at.session_state["sql_last"]["downloads"]["csv"]  # the bytes the button serves
    assert served.decode("utf-8").splitlines() == [
        "name,n",
        '"\'=HYPERLINK(""http://x"")",-1',
        "'+cmd|' /C calc'!A0,2",
        "'@SUM(A1),3",
        "Åre,4",
    ]
