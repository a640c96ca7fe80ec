"""`ecograph query`: saved queries by name, parameters, output formats, --write, limits, exit
codes. Expected errors are one line on stderr with exit 1 (refused, failed) or 2 (wrong usage).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import polars as pl
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.formats.ingest import import_paths
from graph.sql import load_queries
from graph.store.database import connect, data_version, read_table
from tests.conftest import EXAMPLE_DIR


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shipped") / "shipped.duckdb"
    con = connect(path)
    import_paths(con, [EXAMPLE_DIR])
    con.close()
    return path


@pytest.fixture
def db(shipped_db: Path, tmp_path: Path) -> str:
    """A private copy of the shipped database, free to be written."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(shipped_db, path)
    return str(path)


def assert_one_line_error(result: click.testing.Result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert text in result.stderr
    assert "Traceback" not in result.output


def test_list_prints_one_line_per_saved_query() -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(load_queries()) >= 15
    assert "two_hop_neighbourhood                 Who is within two hops of an actor" in lines
    assert lines == sorted(lines)


def test_saved_query_by_name_with_params(db: str) -> None:
    # Samverket's only partner is the region; the region's four other partners are two hops away.
    result = run(
        "query",
        "two_hop_neighbourhood",
        "--param",
        "actor_id=samverket",
        "--format",
        "csv",
        "--db",
        db,
    )
    assert result.exit_code == 0, result.output
    assert [line.split(",")[:2] for line in result.stdout.splitlines()] == [
        ["hops", "actor_id"],
        ["0", "samverket"],
        ["1", "region-jh"],
        ["2", "design-i-vasternorrland"],
        ["2", "designcentrum-rjh"],
        ["2", "svid"],
        ["2", "avki"],
    ]


def test_saved_query_usage_errors_exit_2(db: str) -> None:
    bad_value = run("query", "ties_ending_soon", "--param", "months=many", "--db", db)
    assert_one_line_error(bad_value, 2, "parameter months: 'many' is not INTEGER")
    unknown = run("query", "ties_ending_soon", "--param", "weeks=3", "--db", db)
    assert_one_line_error(unknown, 2, "has no parameter weeks (it takes: as_of, months)")
    no_such = run("query", "ties_ending_later", "--db", db)
    assert_one_line_error(no_such, 2, "no saved query named 'ties_ending_later'")
    assert run("query", "isolated_actors", "--param", "kind", "--db", db).exit_code == 2
    assert run("query", "--db", db).exit_code == 2
    assert run("query", "SELECT 1", "--format", "parquet", "--db", db).exit_code == 2


def test_ad_hoc_sql_takes_params_as_text(db: str) -> None:
    result = run(
        "query",
        "SELECT name FROM actors WHERE municipality = $place ORDER BY name",
        "--param",
        "place=Berg",
        "--format",
        "json",
        "--db",
        db,
    )
    assert json.loads(result.stdout) == [{"name": "Bergs kommun"}, {"name": "Kollektivet"}]


def test_formats_and_out_files(db: str, tmp_path: Path) -> None:
    out = tmp_path / "ties.parquet"
    result = run(
        "query",
        "ties_lost_if_activity_ends",
        "--param",
        "activity_id=peak-innovation-iii",
        "--format",
        "parquet",
        "--out",
        str(out),
        "--db",
        db,
    )
    assert result.exit_code == 0, result.output
    assert "3 rows written to" in result.stderr
    assert pl.read_parquet(out).rows() == [
        ("Mid Sweden Science Park AB", "Peak Innovation", "business_support – cluster"),
        ("Mid Sweden Science Park AB", "Vinnova", "business_support – funder"),
        ("Peak Innovation", "Vinnova", "cluster – funder"),
    ]
    csv = tmp_path / "isolated.csv"
    run("query", "isolated_actors", "--format", "csv", "--out", str(csv), "--db", db)
    assert pl.read_csv(csv)["actor_id"].to_list()[:2] == ["kollektivet-klovsjo", "berg-kommun"]
    table = run("query", "SELECT name FROM actors WHERE actor_id = 'avki'", "--db", db)
    assert "Ávki – Arena samisk näringslivsutveckling" in table.stdout
    nested = run("query", "SELECT [1, 2] AS xs", "--format", "csv", "--db", db)
    assert_one_line_error(nested, 2, "column xs holds lists or structs")


def test_plain_query_refuses_to_write_and_write_flag_writes(db: str) -> None:
    sql = "UPDATE actors SET name = 'Peak Innovation AB' WHERE actor_id = 'peak-innovation'"
    refused = run("query", sql, "--db", db)
    assert_one_line_error(refused, 1, "UPDATE is not allowed in the read-only console")
    assert "ecograph query --write" in refused.stderr
    con = connect(db, sandbox=True)
    assert read_table(con, "actors").filter(pl.col("actor_id") == "peak-innovation")["name"][0] == (
        "Peak Innovation"
    )
    version = data_version(con)
    con.close()

    written = run("query", sql, "--write", "--format", "csv", "--db", db)
    assert written.exit_code == 0, written.output
    assert written.stdout.splitlines() == ["Count", "1"]
    assert "committed" in written.stderr
    con = connect(db, sandbox=True)
    assert read_table(con, "actors").filter(pl.col("actor_id") == "peak-innovation")["name"][0] == (
        "Peak Innovation AB"
    )
    assert data_version(con) == version + 1
    con.close()


def test_write_that_breaks_a_reference_writes_nothing(db: str) -> None:
    result = run(
        "query", "--write", "DELETE FROM sources WHERE source_id = 'scb-kommunkoder'", "--db", db
    )
    assert_one_line_error(result, 1, "nothing was written")
    con = connect(db, sandbox=True)
    assert read_table(con, "sources").height == 12
    con.close()


def test_time_limit_and_row_cap_messages(db: str) -> None:
    slow = run(
        "query",
        "SELECT sum(i) FROM range(1000000000000) AS t(i)",
        "--timeout",
        "0.5",
        "--db",
        db,
    )
    assert_one_line_error(slow, 1, "stopped after 0.5 s (the time limit)")
    capped = run(
        "query", "SELECT * FROM range(20)", "--max-rows", "3", "--format", "csv", "--db", db
    )
    assert capped.exit_code == 0
    assert capped.stdout.splitlines() == ["range", "0", "1", "2"]
    assert "(truncated to 3 rows; raise --max-rows for more)" in capped.stderr


def test_escape_attempts_from_the_command_line(db: str, tmp_path: Path) -> None:
    target = tmp_path / "leak.csv"
    copy = run("query", f"COPY actors TO '{target}'", "--db", db)
    assert_one_line_error(copy, 1, "COPY is not allowed")
    read = run("query", "SELECT * FROM read_text('/etc/passwd')", "--db", db)
    assert_one_line_error(read, 1, "read_text() reads files")
    assert "root:" not in read.output
    two = run("query", "SELECT 1; DROP TABLE actors", "--db", db)
    assert_one_line_error(two, 1, "only one SELECT statement is allowed; got 2 statements")
    assert not target.exists()


@pytest.mark.parametrize("bad", ["inf", "1e308", "nan"])
def test_an_endless_timeout_is_one_clear_line(db: str, bad: str) -> None:
    """`--timeout inf` gave a thread traceback and then no limit; `nan` meant no limit."""
    result = run("query", "SELECT 1", "--timeout", bad, "--db", db)
    assert_one_line_error(result, 2, "the time limit must be a number of seconds above 0")


def test_query_csv_neutralises_formulas(db: str) -> None:
    """A spreadsheet would run these; the console's CSV keeps them as text (issue #21, item 8)."""
    result = run(
        "query",
        "SELECT * FROM (VALUES ('=HYPERLINK(\"http://x\")', 1), ('+cmd|'' /C calc''!A0', -2), "
        "('@SUM(A1)', 3), ('-1+2', 4), ('Åre', 5)) AS t(name, n)",
        "--format",
        "csv",
        "--db",
        db,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "name,n",
        '"\'=HYPERLINK(""http://x"")",1',
        "'+cmd|' /C calc'!A0,-2",
        "'@SUM(A1),3",
        "'-1+2,4",
        "Åre,5",
    ]


def test_export_csv_keeps_exact_values_unless_excel_safe(tmp_path: Path) -> None:
    """`export --format csv` is for round trips and keeps a name like =HYPERLINK(…) exactly;
    `--excel-safe` neutralises it for people who open the files in a spreadsheet."""
    db = tmp_path / "f.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sources.csv").write_text(
        'source_id,title\ns1,"=HYPERLINK(""http://x"",""klick"")"\ns2,@SUM(A1)\n', encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(folder), "--db", str(db)]).exit_code == 0
    exact, safe = tmp_path / "exact", tmp_path / "safe"
    assert (
        runner.invoke(
            cli, ["export", "--format", "csv", "--out", str(exact), "--db", str(db)]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli, ["export", "--format", "csv", "--excel-safe", "--out", str(safe), "--db", str(db)]
        ).exit_code
        == 0
    )
    exact_titles = pl.read_csv(exact / "sources.csv")["title"].to_list()
    safe_titles = pl.read_csv(safe / "sources.csv")["title"].to_list()
    assert exact_titles == ['=HYPERLINK("http://x","klick")', "@SUM(A1)"]
    assert safe_titles == ['\'=HYPERLINK("http://x","klick")', "'@SUM(A1)"]
