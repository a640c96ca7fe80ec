"""The SQL console's sandbox, time limit and row cap; saved-query headers and parameter types.

Every escape attempt must fail with a clear message, show no file content, create no file and
leave the database byte for byte as it was. Two layers stop them: the statement check (one
SELECT, refused by name before anything runs) and the sandboxed connection (read-only, external
access disabled, configuration locked) for SELECTs that try to reach a file, the network or a
setting. Each case says which layer is expected to stop it.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from graph.errors import UsageError
from graph.formats.ingest import import_paths
from graph.sql import (
    QueryError,
    QueryParam,
    QueryTimeoutError,
    SandboxError,
    StoredQuery,
    load_queries,
    run_query,
    run_write,
)
from graph.store.database import connect, data_version, read_table
from tests.conftest import EXAMPLE_DIR, assert_same_tables, snapshot, write_files

CHECK = "statement check"
SANDBOX = "sandbox"

# (sql, what stops it, the error class, a fragment of the message). {tmp} is a fresh folder in
# which nothing may appear; it holds secret.csv, secret.parquet and other.duckdb with the word
# TOPSECRET, to prove that an existing file cannot be read either.
ESCAPES = [
    # writes and DDL
    (
        "INSERT INTO actors (actor_id, name, kind, source_id) "
        "VALUES ('x', 'X', 'company', 'scb-kommunkoder')",
        CHECK,
        SandboxError,
        "INSERT is not allowed in the read-only console",
    ),
    ("UPDATE actors SET name = 'hacked'", CHECK, SandboxError, "UPDATE is not allowed"),
    ("DELETE FROM actors", CHECK, SandboxError, "DELETE is not allowed"),
    ("DROP TABLE actors", CHECK, SandboxError, "DROP is not allowed"),
    ("CREATE TABLE t AS SELECT 1 AS x", CHECK, SandboxError, "CREATE is not allowed"),
    # a temporary table would pass a read-only connection: the check stops it
    ("CREATE TEMP TABLE t (x INTEGER)", CHECK, SandboxError, "CREATE is not allowed"),
    ("ALTER TABLE actors ADD COLUMN z INTEGER", CHECK, SandboxError, "ALTER is not allowed"),
    (
        "MERGE INTO actors USING actors AS b ON true WHEN MATCHED THEN DELETE",
        CHECK,
        SandboxError,
        "MERGE is not allowed",
    ),
    ("CHECKPOINT", CHECK, SandboxError, "CHECKPOINT is not allowed"),
    ("BEGIN TRANSACTION", CHECK, SandboxError, "BEGIN is not allowed"),
    # copying data out of the database, or other databases in
    ("COPY actors TO '{tmp}/actors.csv'", CHECK, SandboxError, "COPY is not allowed"),
    (
        "COPY (SELECT * FROM actors) TO '{tmp}/a.parquet' (FORMAT parquet)",
        CHECK,
        SandboxError,
        "COPY is not allowed",
    ),
    ("COPY actors FROM '{tmp}/secret.csv'", CHECK, SandboxError, "COPY is not allowed"),
    ("EXPORT DATABASE '{tmp}/dump'", CHECK, SandboxError, "EXPORT is not allowed"),
    ("ATTACH '{tmp}/other.duckdb' AS other", CHECK, SandboxError, "ATTACH is not allowed"),
    ("ATTACH '{tmp}/new.duckdb' AS new", CHECK, SandboxError, "ATTACH is not allowed"),
    ("DETACH system", CHECK, SandboxError, "DETACH is not allowed"),
    ("INSTALL httpfs", CHECK, SandboxError, "INSTALL is not allowed"),
    ("LOAD httpfs", CHECK, SandboxError, "LOAD is not allowed"),
    # settings
    ("SET enable_external_access = true", CHECK, SandboxError, "SET is not allowed"),
    ("RESET lock_configuration", CHECK, SandboxError, "RESET is not allowed"),
    ("SET VARIABLE x = 1", CHECK, SandboxError, "SET is not allowed"),
    ("PRAGMA enable_profiling", CHECK, SandboxError, "PRAGMA is not allowed"),
    ("CALL enable_logging()", CHECK, SandboxError, "CALL is not allowed"),
    ("USE system", CHECK, SandboxError, "USE is not allowed"),
    ("EXPLAIN ANALYZE DELETE FROM actors", CHECK, SandboxError, "EXPLAIN is allowed only of"),
    # several statements, and statements behind comments
    ("SELECT 1; DROP TABLE actors", CHECK, SandboxError, "got 2 statements"),
    ("SELECT 1 -- harmless\n; DELETE FROM actors", CHECK, SandboxError, "got 2 statements"),
    (
        "SELECT 1; /* nothing here */ COPY actors TO '{tmp}/x.csv'",
        CHECK,
        SandboxError,
        "got 2 statements",
    ),
    (
        "/* SELECT 1; */ DELETE FROM actors -- ; SELECT 2",
        CHECK,
        SandboxError,
        "DELETE is not allowed",
    ),
    ("-- a comment line\n(DELETE FROM actors)", CHECK, QueryError, "syntax error"),
    # every reader function and bare file paths (the parse-tree check refuses them by name;
    # the sandbox, no external access, would stop them too)
    ("SELECT * FROM read_csv('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_csv_auto('/etc/passwd', sep = ':')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_csv('{tmp}/secret.csv')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_parquet('{tmp}/secret.parquet')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM parquet_scan('{tmp}/secret.parquet')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_json('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_json_auto('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM read_ndjson('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT content FROM read_text('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT content FROM read_blob('/etc/passwd')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM glob('/etc/*')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM glob('{tmp}/*')", CHECK, SandboxError, "reads files"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", CHECK, SandboxError, "reads files"),
    (
        "SELECT * FROM read_duckdb('{tmp}/other.duckdb', table_name = 't')",
        CHECK,
        SandboxError,
        "reads files",
    ),
    ("SELECT * FROM '{tmp}/secret.csv'", CHECK, SandboxError, "reading the file"),
    ("SELECT * FROM '{tmp}/secret.parquet'", CHECK, SandboxError, "reading the file"),
    ("SELECT * FROM '{tmp}/other.duckdb'", CHECK, SandboxError, "reading the file"),
    ("SELECT * FROM 'https://example.com/data.csv'", CHECK, SandboxError, "reading the file"),
    # a path without a known extension is refused as a path too
    ("SELECT * FROM '/etc/passwd'", CHECK, SandboxError, "reading the file"),
    ("SELECT * FROM duckdb_secrets()", CHECK, SandboxError, "is not allowed"),
    ("SELECT * FROM duckdb_extensions()", CHECK, SandboxError, "is not allowed"),
    ("SELECT * FROM enable_logging()", CHECK, SandboxError, "is not allowed"),
    # DuckDB 2.0 has no getenv() outside its shell; refused by name all the same
    ("SELECT getenv('HOME')", CHECK, SandboxError, "getenv() shows server settings"),
    # query() would run SQL the check never saw: refused by name
    (
        "SELECT * FROM query('COPY actors TO ''{tmp}/q.csv''')",
        CHECK,
        SandboxError,
        "query() reads files",
    ),
    (
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
        CHECK,
        SandboxError,
        "reads files",
    ),
    # issue #21: the database's own bytes (deleted rows included), write CTEs, paths, settings
    ("SELECT content FROM read_blob('{db}')", CHECK, SandboxError, "read_blob() reads files"),
    ("SELECT * FROM read_text('{db}')", CHECK, SandboxError, "read_text() reads files"),
    ("SELECT * FROM read_duckdb('{db}', table_name = 'actors')", CHECK, SandboxError, "reads"),
    ("SELECT * FROM '{db}'", CHECK, SandboxError, "reading the file"),
    ("WITH x AS (DELETE FROM actors RETURNING *) SELECT * FROM x", CHECK, SandboxError, "DELETE"),
    (
        "WITH x AS (INSERT INTO sources (source_id, title) VALUES ('x', 'x') RETURNING *) "
        "SELECT count(*) FROM x",
        CHECK,
        SandboxError,
        "INSERT",
    ),
    (
        "WITH x AS (UPDATE actors SET name = 'hacked' RETURNING *) SELECT * FROM x",
        CHECK,
        SandboxError,
        "UPDATE",
    ),
    ("SELECT * FROM duckdb_databases()", CHECK, SandboxError, "shows server paths"),
    ("SELECT path FROM duckdb_databases() WHERE 1 = 1", CHECK, SandboxError, "server paths"),
    ("SELECT value FROM duckdb_settings()", CHECK, SandboxError, "shows server paths"),
    ("SELECT current_setting('temp_directory')", CHECK, SandboxError, "current_setting()"),
    ("SELECT * FROM pragma_database_list()", CHECK, SandboxError, "shows server paths"),
    (
        "SELECT * FROM actors WHERE name IN (SELECT content FROM read_text('/etc/passwd'))",
        CHECK,
        SandboxError,
        "read_text() reads files",
    ),
    ("EXPLAIN SELECT * FROM read_blob('{db}')", CHECK, SandboxError, "read_blob() reads files"),
    # Python objects in scope are not tables in the sandbox (DuckDB's replacement scan is off)
    ("SELECT * FROM secret_frame", SANDBOX, QueryError, "secret_frame does not exist"),
]


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shipped") / "shipped.duckdb"
    con = connect(path)
    import_paths(con, [EXAMPLE_DIR])
    con.close()
    return path


@pytest.fixture(scope="module")
def shipped_tables(shipped_db: Path) -> dict[str, pl.DataFrame]:
    """Every table of the shipped database before any attempt, to compare with after each."""
    return _tables(shipped_db)


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with files that hold the word TOPSECRET in three formats."""
    folder = tmp_path_factory.mktemp("target")
    (folder / "secret.csv").write_text("word\nTOPSECRET\n", encoding="utf-8")
    pl.DataFrame({"word": ["TOPSECRET"]}).write_parquet(folder / "secret.parquet")
    other = duckdb.connect(str(folder / "other.duckdb"))
    other.execute("CREATE TABLE t AS SELECT 'TOPSECRET' AS word").fetchall()
    other.close()
    return folder


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(path: Path) -> dict[str, pl.DataFrame]:
    con = connect(path, sandbox=True)
    try:
        return snapshot(con)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("sql", "layer", "error", "fragment"), ESCAPES, ids=[e[0][:60] for e in ESCAPES]
)
def test_escape_attempt_is_refused(
    shipped_db: Path,
    shipped_tables: dict[str, pl.DataFrame],
    secrets: Path,
    sql: str,
    layer: str,
    error: type,
    fragment: str,
) -> None:
    secret_frame = pl.DataFrame({"word": ["TOPSECRET"]})  # noqa: F841 (in scope on purpose)
    sql = sql.replace("{tmp}", str(secrets)).replace("{db}", str(shipped_db))
    files_before = sorted(p.name for p in secrets.iterdir())
    sha_before = _sha(shipped_db)
    with pytest.raises(error) as caught:
        run_query(shipped_db, sql)
    message = str(caught.value)
    assert fragment in message
    if layer == CHECK:
        assert isinstance(caught.value, SandboxError) or "syntax error" in message
    assert "\n" not in message
    for leaked in ("root:x:", "TOPSECRET", "/bin/", str(shipped_db.parent)):
        assert leaked not in message
    assert sorted(p.name for p in secrets.iterdir()) == files_before
    assert _sha(shipped_db) == sha_before
    assert_same_tables(_tables(shipped_db), shipped_tables)


def test_there_are_at_least_twenty_escape_attempts() -> None:
    assert len(ESCAPES) >= 20
    assert {layer for _, layer, _, _ in ESCAPES} == {CHECK, SANDBOX}


def test_the_console_hides_settings_and_paths(shipped_db: Path) -> None:
    """Settings name the server's folders (temp_directory, allowed_paths), so the console
    refuses to show them at all, and says so without a path (issue #21)."""
    for sql in (
        "SELECT name, value FROM duckdb_settings()",
        "SELECT path FROM duckdb_databases()",
        "SELECT current_setting('allowed_paths')",
    ):
        with pytest.raises(SandboxError) as caught:
            run_query(shipped_db, sql)
        assert str(shipped_db.parent) not in str(caught.value)


def test_a_select_that_calls_checkpoint_changes_nothing(shipped_db: Path) -> None:
    """checkpoint() is a table function a SELECT may call; it is not on the console's list of
    table functions (it would be a no-op on the read-only file anyway)."""
    before = _sha(shipped_db)
    with pytest.raises(SandboxError, match="checkpoint\\(\\) is not allowed"):
        run_query(shipped_db, "SELECT * FROM checkpoint()")
    assert _sha(shipped_db) == before


def test_select_forms_that_are_allowed(shipped_db: Path) -> None:
    for sql in (
        "FROM actors",
        "  -- a comment first\n SELECT count(*) FROM actors;",
        "WITH x AS (SELECT 1 AS a) SELECT * FROM x",
        "(SELECT 1) UNION ALL (SELECT 2)",
        "DESCRIBE actors",
        "SUMMARIZE activities",
        "SHOW TABLES",
        "SELECT * FROM pragma_table_info('actors')",
    ):
        assert run_query(shipped_db, sql).frame.height > 0, sql
    plan = run_query(shipped_db, "EXPLAIN SELECT count(*) FROM actors").frame
    assert plan.columns == ["explain_key", "explain_value"]


def test_empty_and_broken_sql(shipped_db: Path) -> None:
    with pytest.raises(QueryError, match="no SQL statement"):
        run_query(shipped_db, "-- only a comment")
    with pytest.raises(QueryError, match='syntax error at or near "SELEC"'):
        run_query(shipped_db, "SELEC 1")
    with pytest.raises(QueryError, match='Did you mean "actors"'):
        run_query(shipped_db, "SELECT * FROM actor")


def test_a_long_query_is_stopped_at_the_time_limit(shipped_db: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError) as caught:
        run_query(shipped_db, "SELECT sum(i) FROM range(1000000000000) AS t(i)", timeout=0.5)
    assert str(caught.value) == "stopped after 0.5 s (the time limit)"
    assert time.perf_counter() - started < 5
    # the next query is not affected by the interrupt
    assert run_query(shipped_db, "SELECT 42 AS x").frame.rows() == [(42,)]


def test_row_cap(shipped_db: Path) -> None:
    """Exactly n rows back is ambiguous; fetching n + 1 is not."""
    capped = run_query(shipped_db, "SELECT i FROM range(25) AS t(i) ORDER BY i DESC", max_rows=3)
    assert capped.frame["i"].to_list() == [24, 23, 22]
    assert capped.truncated
    exact = run_query(shipped_db, "SELECT i FROM range(25) AS t(i)", max_rows=25)
    assert exact.frame.height == 25
    assert not exact.truncated
    assert exact.seconds > 0


def test_a_type_polars_cannot_hold_is_a_query_error(shipped_db: Path) -> None:
    """An INTERVAL result used to escape as a raw polars error (a traceback in the CLI)."""
    with pytest.raises(QueryError, match="cast the column to VARCHAR"):
        run_query(shipped_db, "SELECT INTERVAL 1 DAY AS x")
    assert run_query(shipped_db, "SELECT CAST(INTERVAL 1 DAY AS VARCHAR) AS x").frame.height == 1


def test_enum_columns_come_back_as_text(shipped_db: Path) -> None:
    frame = run_query(shipped_db, "SELECT kind FROM actors WHERE actor_id = 'miun'").frame
    assert frame.schema["kind"] == pl.String
    assert frame.rows() == [("academia",)]


def test_named_parameters(shipped_db: Path) -> None:
    sql = "SELECT name FROM actors WHERE kind = $kind AND municipality = $place ORDER BY name"
    frame = run_query(shipped_db, sql, {"kind": "coworking", "place": "Östersund"}).frame
    assert frame.rows() == [("Samverket",)]
    with pytest.raises(UsageError, match="needs parameter place: add --param place=VALUE"):
        run_query(shipped_db, sql, {"kind": "coworking"})
    with pytest.raises(UsageError, match=r"has no parameter size \(it uses: kind, place\)"):
        run_query(shipped_db, sql, {"kind": "coworking", "place": "Berg", "size": "1"})


@pytest.mark.parametrize(
    ("ptype", "text", "value"),
    [
        ("INTEGER", "12", 12),
        ("INTEGER", " 1 000 ", 1000),
        ("DOUBLE", "0.5", 0.5),
        ("DOUBLE", "0,5", 0.5),
        ("DATE", "2024-01-01", date(2024, 1, 1)),
        ("BOOLEAN", "yes", True),
        ("BOOLEAN", "False", False),
        ("VARCHAR", "Östersund", "Östersund"),
        ("VARCHAR", "NULL", "NULL"),
        ("VARCHAR", "", None),
        ("DATE", "", None),
        ("INTEGER", "null", None),
    ],
)
def test_parameter_text_is_converted(ptype: str, text: str, value: object) -> None:
    assert QueryParam("p", ptype).convert(text) == value


@pytest.mark.parametrize(
    ("ptype", "value", "message"),
    [
        ("INTEGER", "twelve", "parameter months: 'twelve' is not INTEGER"),
        ("INTEGER", "1.5", "expected a whole number"),
        ("DOUBLE", "a lot", "is not DOUBLE (expected a number"),
        ("DATE", "2024-13-01", "is not DATE (expected a date written YYYY-MM-DD)"),
        ("BOOLEAN", "maybe", "is not BOOLEAN (expected true or false)"),
        ("INTEGER", True, "True is not INTEGER"),
        ("DATE", 20240101, "20240101 is not DATE"),
    ],
)
def test_bad_parameter_values_name_the_parameter(ptype: str, value: object, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        QueryParam("months", ptype).convert(value)


def test_typed_values_from_widgets_pass_through() -> None:
    assert QueryParam("d", "DATE").convert(date(2024, 1, 1)) == date(2024, 1, 1)
    assert QueryParam("n", "DOUBLE").convert(2) == 2.0
    assert QueryParam("b", "BOOLEAN").convert(False) is False


def test_bind_fills_defaults_and_refuses_unknown_or_missing() -> None:
    q = StoredQuery(
        "q",
        "Q",
        "",
        "SELECT $a, $b",
        (QueryParam("a", "INTEGER", 3), QueryParam("b", "DATE", required=True)),
    )
    assert q.bind({"b": "2024-01-01"}) == {"a": 3, "b": date(2024, 1, 1)}
    with pytest.raises(UsageError, match="saved query q needs parameter b"):
        q.bind({})
    with pytest.raises(UsageError, match=r"has no parameter c \(it takes: a, b\)"):
        q.bind({"b": "2024-01-01", "c": "1"})


def test_headers_are_parsed(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "near.sql": (
                "-- name: near\n"
                "-- title: Near an actor\n"
                "-- description: Actors close to one,\n"
                "--   continued on a second line.\n"
                "-- params: who VARCHAR = 'a, b''s', hops INTEGER = 2\n"
                "-- params: since DATE = NULL, exact BOOLEAN, share DOUBLE = '0,5'\n"
                "SELECT $who, $hops, $since, $exact, $share\n"
            ),
        },
    )
    (q,) = load_queries(tmp_path)
    assert q.description == "Actors close to one, continued on a second line."
    assert q.params == (
        QueryParam("who", "VARCHAR", "a, b's"),
        QueryParam("hops", "INTEGER", 2),
        QueryParam("since", "DATE", None),
        QueryParam("exact", "BOOLEAN", None, required=True),
        QueryParam("share", "DOUBLE", 0.5),
    )
    assert q.sql == "SELECT $who, $hops, $since, $exact, $share"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-- name: bad\n-- titel: Typo\nSELECT 1", "bad.sql:2: malformed header: expected"),
        (
            "-- name: bad\n-- title: T\n-- params: n NUMBER = 1\nSELECT $n",
            "bad.sql:3: malformed header: parameter n: type NUMBER",
        ),
        (
            "-- name: bad\n-- title: T\n-- params: n INTEGER = many\nSELECT $n",
            "bad.sql:3: malformed header: default: parameter n",
        ),
        (
            "-- name: bad\n-- title: T\n-- params: = 3\nSELECT 1",
            "bad.sql:3: malformed header: cannot read parameter",
        ),
        (
            "-- name: bad\n-- title: T\n-- title: U\nSELECT 1",
            "bad.sql:3: malformed header: title given twice",
        ),
        (
            "-- name: bad\n--   stray continuation\nSELECT 1",
            "bad.sql:2: malformed header: a continuation",
        ),
        ("-- name: bad\nSELECT 1", "has no `-- title:` line"),
        ("-- name: other\n-- title: T\nSELECT 1", "must match the file name (bad)"),
        ("-- name: bad\n-- title: T\n", "no SQL after the header"),
    ],
)
def test_malformed_headers_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    write_files(tmp_path, {"bad.sql": text})
    with pytest.raises(QueryError) as caught:
        load_queries(tmp_path)
    assert message in str(caught.value)


def test_run_write_commits_in_one_transaction_and_bumps_the_data_version(
    shipped_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(shipped_db.read_bytes())
    result = run_write(
        path,
        "UPDATE actors SET municipality = $place WHERE actor_id = 'vinnova'; "
        "UPDATE actors SET municipality = 'Berg' WHERE actor_id = 'svid'",
        {"place": "Stockholm"},
    )
    assert result.frame.rows() == [(1,)]  # the last statement changed one row
    con = connect(path, sandbox=True)
    actors = read_table(con, "actors").filter(pl.col("actor_id").is_in(["vinnova", "svid"]))
    assert actors.select("actor_id", "municipality").rows() == [
        ("svid", "Berg"),
        ("vinnova", "Stockholm"),
    ]
    assert data_version(con) == 2  # the import was 1
    con.close()


def test_run_write_rolls_back_everything_on_a_broken_reference(
    shipped_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(shipped_db.read_bytes())
    before = _tables(path)
    with pytest.raises(
        QueryError, match=r"nothing was written: .*participations.actor_id = 'ghost'"
    ):
        run_write(
            path,
            "UPDATE actors SET name = 'Changed' WHERE actor_id = 'miun'; "
            "INSERT INTO participations VALUES "
            "('peak-innovation-iii', 'ghost', 'partner', NULL, 'scb-kommunkoder')",
        )
    with pytest.raises(UsageError, match="COMMIT is not needed"):
        run_write(path, "DELETE FROM actor_aliases; COMMIT")
    with pytest.raises(QueryError, match="does not exist"):
        run_write(path, "DELETE FROM actor_aliases; DELETE FROM no_such_table")
    assert_same_tables(_tables(path), before)
