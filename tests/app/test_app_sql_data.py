"""The SQL and Data pages, driven through AppTest on a demo and an empty database, and the Data
page's import logic (AppTest cannot drive a file uploader) called directly."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.errors import UsageError
from graph.sql import find_query, load_queries, run_query
from graph.store.database import connect
from graph.store.stats import dataset_stats
from tests.conftest import MINI, snapshot
from ui.transfer import ImportOutcome, import_uploads, upload_name

APP = "../../app.py"  # relative to this file


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.duckdb"
    init_database(path)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "empty.duckdb"
    init_database(path, empty=True)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(page).run()
    assert not at.exception
    return at


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.selectbox(key="sql_query").set_value("").run()
    at.text_area(key="sql_text_own").set_value(sql).run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    return at


def row_count_caption(at: AppTest) -> str:
    (caption,) = [c.value for c in at.caption if " rows · " in c.value]
    return caption


def count_actors(path: Path) -> int:
    con = connect(path, read_only=True)
    try:
        return int(con.sql("SELECT count(*) FROM actors").fetchall()[0][0])
    finally:
        con.close()


def test_saved_query_runs_with_the_parameter_set_in_its_widget(demo_db: Path) -> None:
    """max_hops = 1 must reach the query: its answer is the one run_query gives for 1, and it
    differs from the answer for the default 2 (so a dropped parameter would show)."""
    at = open_page("ui/sql_console.py")
    at.selectbox(key="sql_query").set_value("two_hop_neighbourhood").run()
    query = find_query(load_queries(), "two_hop_neighbourhood")
    assert at.text_area(key="sql_text_two_hop_neighbourhood").value == query.sql
    at.number_input(key="sql_param_two_hop_neighbourhood_max_hops").set_value(1).run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert not at.error

    expected = run_query(demo_db, query.sql, query.bind({"max_hops": "1"})).frame
    default = run_query(demo_db, query.sql, query.bind()).frame
    assert 0 < expected.height < default.height
    shown = at.dataframe[0].value
    assert shown.shape == expected.shape
    assert list(shown.columns) == expected.columns
    assert row_count_caption(at).startswith(f"{expected.height} rows · ")
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download PARQUET"]


def test_rerun_shows_the_stored_answer_without_running_the_query_again(demo_db: Path) -> None:
    """A download click reruns the page; the answer must come from session state, so a row
    added after the run does not appear until Run is clicked again."""
    at = run_sql(open_page("ui/sql_console.py"), "SELECT count(*) AS n FROM actors")
    before = count_actors(demo_db)
    assert at.dataframe[0].value["n"].tolist() == [before]

    new_firm = b"actor_id,name,kind\nnew-firm,New Firm,company\n"
    outcome = import_uploads([("actors.csv", new_firm)], path=demo_db)
    assert outcome.report is not None
    at.run()
    assert at.dataframe[0].value["n"].tolist() == [before]
    at.button(key="sql_run").click().run()
    assert at.dataframe[0].value["n"].tolist() == [before + 1]


def test_refused_statement_shows_an_error_and_changes_nothing(demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    before = snapshot(con)
    con.close()
    at = run_sql(open_page("ui/sql_console.py"), "DELETE FROM actors")
    (error,) = [e.value for e in at.error]
    assert "DELETE" in error
    assert "not allowed" in error
    assert any("read-only" in i.value for i in at.info)
    assert not at.dataframe
    con = connect(demo_db, read_only=True)
    after = snapshot(con)
    con.close()
    assert before.keys() == after.keys()
    assert all(before[name].equals(after[name]) for name in before)


def test_own_sql_with_a_parameter_and_a_row_cap(demo_db: Path) -> None:
    """Two companies asked for, a cap of one: one row shown and the truncated notice."""
    at = open_page("ui/sql_console.py")
    at.selectbox(key="sql_query").set_value("").run()
    assert at.text_area(key="sql_text_own").value == ""
    sql = "SELECT actor_id FROM actors WHERE kind = $kind ORDER BY actor_id LIMIT 2"
    at.text_area(key="sql_text_own").set_value(sql).run()
    at.text_input(key="sql_extra_kind").set_value("company").run()
    at.number_input(key="sql_max_rows").set_value(1).run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert at.dataframe[0].value.shape == (1, 1)
    assert row_count_caption(at).startswith("1 rows · ")
    assert any(w.value.startswith("Truncated") for w in at.warning)


def test_nested_columns_still_download_as_csv(demo_db: Path) -> None:
    at = run_sql(open_page("ui/sql_console.py"), "SELECT [1, 2] AS l, {'a': 'å'} AS s")
    assert not at.error
    assert len(at.get("download_button")) == 2


def test_sql_page_on_an_empty_database(empty_db: Path) -> None:
    at = open_page("ui/sql_console.py")
    at.button(key="sql_run").click().run()  # the first saved query, with its defaults
    assert not at.exception
    assert not at.error
    assert row_count_caption(at).startswith("0 rows · ")


def test_data_page_shows_stats_and_quality_warnings(demo_db: Path) -> None:
    at = open_page("ui/data.py")
    con = connect(demo_db, read_only=True)
    stats = dataset_stats(con)
    con.close()
    shown = at.dataframe[0].value
    assert shown["table_name"].tolist() == stats["table_name"].to_list()
    assert shown["rows"].tolist() == stats["rows"].to_list()
    warnings = [w.value for w in at.warning]
    assert any("synthetic demo data" in w for w in warnings)
    assert "Every reference points to an existing row." in [s.value for s in at.success]
    assert [b.label for b in at.get("download_button")] == ["Download ecograph-csv.zip"]
    at.selectbox(key="data_export_format").set_value("html map").run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["Download ecograph-map.html"]
    assert any("current sidebar filter" in i.value for i in at.info)


def test_data_page_lists_the_automatic_sources(demo_db: Path) -> None:
    """Two actors imported without a source hang on one automatic source for their file."""
    csv = b"actor_id,name,kind\nfirm-x,Firm X,company\nfirm-y,Firm Y,company\n"
    assert import_uploads([("actors.csv", csv)], path=demo_db).report is not None
    at = open_page("ui/data.py")
    assert any(w.value.startswith("2 of ") and "name no source" in w.value for w in at.warning)
    auto = at.dataframe[1].value
    assert auto["source_id"].tolist() == ["file:actors.csv"]
    assert auto["rows"].tolist() == [2]


def test_data_page_shows_import_problems(demo_db: Path) -> None:
    """The page shows what import_uploads returned: the count and one row per problem."""
    bad = b"actor_id,name,kind\nq,Q,nonsense\n,R,company\n"
    outcome = import_uploads([("actors.csv", bad)], path=demo_db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["data_import"] = (str(demo_db.resolve()), outcome)
    at.switch_page("ui/data.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["2 problems found, nothing was imported."]
    problems = at.dataframe[0].value
    assert problems.columns.tolist() == ["file", "row", "column", "reason"]
    assert problems[["row", "column"]].values.tolist() == [["2", "kind"], ["3", "actor_id"]]


def test_data_page_on_an_empty_database(empty_db: Path) -> None:
    at = open_page("ui/data.py")
    assert any("database is empty" in i.value for i in at.info)
    assert at.dataframe[0].value["rows"].sum() == 0
    at.selectbox(key="data_export_format").set_value("html map").run()
    assert not at.exception
    assert any("no map to export" in w.value for w in at.warning)


def test_import_uploads_fills_an_empty_database(empty_db: Path) -> None:
    files = [(name, text.encode("utf-8")) for name, text in MINI.items()]
    outcome = import_uploads(files, None, False, path=empty_db)
    assert outcome.problems == []
    changes = outcome.changes
    # MINI holds 1 source, 1 area, 3 actors, 1 area link, 1 activity, 2 participations, 1 relation
    assert dict(zip(changes["table"], changes["new"], strict=True)) == {
        "sources": 1,
        "strength_areas": 1,
        "actors": 3,
        "actor_areas": 1,
        "activities": 1,
        "participations": 2,
        "relations": 1,
    }
    assert changes["changed"].sum() == 0
    assert count_actors(empty_db) == 3
    again = import_uploads(files, path=empty_db)
    assert again.report is not None
    assert not again.report.modified


def test_import_uploads_with_a_bad_row_changes_nothing(demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    before = snapshot(con)
    con.close()
    bad = b"actor_id,name,kind\nfine,Fine AB,company\nbad,Bad AB,spaceship\n"
    outcome = import_uploads([("actors.csv", bad)], path=demo_db)
    assert outcome.report is None
    assert outcome.problem_frame.rows() == [("actors.csv", "3", "kind", outcome.problems[0].reason)]
    assert "spaceship" in outcome.problems[0].reason
    con = connect(demo_db, read_only=True)
    after = snapshot(con)
    con.close()
    assert all(before[name].equals(after[name]) for name in before)


def test_import_uploads_replace_keeps_only_the_uploaded_rows(demo_db: Path) -> None:
    files = [(name, text.encode("utf-8")) for name, text in MINI.items()]
    outcome = import_uploads(files, None, True, path=demo_db)
    assert outcome.report is not None
    assert outcome.report.replaced
    assert count_actors(demo_db) == 3


@pytest.mark.parametrize(
    ("uploaded", "saved"),
    [
        ("actors.csv", "actors.csv"),
        ("../../actors.csv", "actors.csv"),
        ("/etc/actors.csv", "actors.csv"),
        ("C:\\Users\\me\\relations.csv", "relations.csv"),
        ("..", None),
        ("", None),
    ],
)
def test_upload_names_are_reduced_to_their_last_part(uploaded: str, saved: str | None) -> None:
    assert upload_name(uploaded) == saved


def test_import_uploads_refuses_unusable_and_repeated_names(empty_db: Path) -> None:
    """Nothing is written when two uploads would land on one file name."""
    outcome = import_uploads(
        [("a/actors.csv", b"x"), ("b/actors.csv", b"y"), ("..", b"")], path=empty_db
    )
    assert [(p.file, p.reason) for p in outcome.problems] == [
        ("actors.csv", "uploaded twice; upload each table file only once"),
        ("..", "not a usable file name"),
    ]
    assert count_actors(empty_db) == 0
    assert import_uploads([], path=empty_db).problems[0].reason == "no files uploaded"


def test_import_uploads_names_a_file_as_uploaded_not_by_its_temporary_path(
    empty_db: Path,
) -> None:
    with pytest.raises(UsageError, match="unknown file type") as info:
        import_uploads([("actors.bin", b"actor_id,name,kind\n")], path=empty_db)
    assert str(info.value).startswith("actors.bin: ")


def test_problem_frame_of_a_success_is_empty() -> None:
    assert ImportOutcome().problem_frame.shape == (0, 4)
    assert ImportOutcome().changes.schema == pl.Schema(
        {"table": pl.String, "rows": pl.Int64, "new": pl.Int64, "changed": pl.Int64}
    )
