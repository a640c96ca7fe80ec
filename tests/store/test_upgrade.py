"""Older databases come up to the current schema.sql without losing a row (store/upgrade.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from graph.store import database
from graph.store.database import SCHEMA_VERSION, connect, schema_version
from graph.store.upgrade import upgrade_to_schema

V1_SCHEMA = Path(__file__).with_name("schema_v1.sql")  # schema.sql as turn 1 released it


def _structure(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple], list[tuple]]:
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' ORDER BY ALL"
    ).fetchall()
    enums = con.execute(
        "SELECT type_name, labels FROM duckdb_types() WHERE logical_type = 'ENUM' "
        "AND labels IS NOT NULL AND schema_name = 'main' ORDER BY ALL"
    ).fetchall()
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "ORDER BY ALL"
    ).fetchall()
    return columns, enums, views


def test_small_upgrade_adds_what_is_missing_and_keeps_rows() -> None:
    """Every kind of additive change at once, on a schema small enough to check by hand."""
    old = "CREATE TYPE k AS ENUM ('a', 'b'); CREATE TABLE t (x k, y INTEGER);"
    new = (
        "CREATE TYPE k AS ENUM ('a', 'b', 'c'); "
        "CREATE TABLE t (x k, y INTEGER, attributes JSON, n INTEGER DEFAULT 7); "
        "CREATE TABLE u (z VARCHAR); CREATE VIEW v AS SELECT x, n FROM t;"
    )
    con = duckdb.connect()
    con.execute(old)
    con.execute("INSERT INTO t VALUES ('b', 1)")
    done = upgrade_to_schema(con, new)
    assert done == [
        "vocabulary k widened",
        "column t.attributes added",
        "column t.n added",
        "table u created",
    ]
    assert con.execute("SELECT x, y, attributes, n FROM t").fetchall() == [("b", 1, None, 7)]
    con.execute("INSERT INTO t (x, y) VALUES ('c', 2)")  # the new vocabulary value is allowed
    assert con.execute("SELECT count(*) FROM v").fetchall() == [(2,)]
    assert upgrade_to_schema(con, new) == []  # nothing left to do the second time


def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    """A file written by turn 1's schema opens with today's: same structure as a new file, and
    every row still there."""
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute(V1_SCHEMA.read_text(encoding="utf-8"))
    con.execute(
        "INSERT INTO schema_info VALUES ('schema_version', '1'), ('data_version', '0'), "
        "('created_at', '2025-01-01T00:00:00+00:00')"
    )
    con.execute("INSERT INTO sources (source_id, title) VALUES ('s', 'A source')")
    con.execute(
        "INSERT INTO actors (actor_id, name, kind, helix, source_id) "
        "VALUES ('a', 'Åre kommun', 'municipality', 'public', 's')"
    )
    con.close()

    con = connect(path)
    assert schema_version(con) == SCHEMA_VERSION
    upgraded = _structure(con)
    assert con.execute("SELECT actor_id, name FROM actors").fetchall() == [("a", "Åre kommun")]
    con.close()
    fresh = duckdb.connect()
    fresh.execute(database._schema_sql())
    assert upgraded == _structure(fresh)
