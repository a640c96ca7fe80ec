"""Deleting actors: everything naming them goes, nothing else does, and a bad id deletes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.curation.delete import delete_actors
from graph.curation.merge import ActorNotFoundError
from graph.errors import UsageError
from graph.store.database import connect, data_version, integrity_problems
from tests.conftest import assert_same_tables, snapshot


def _names(con: duckdb.DuckDBPyConnection, actor: str) -> dict[str, int]:
    """Rows in each data table that name ``actor``, counted by the test's own queries."""
    queries = {
        "actors": "SELECT count(*) FROM actors WHERE actor_id = ?",
        "participations": "SELECT count(*) FROM participations WHERE actor_id = ?",
        "relations": "SELECT count(*) FROM relations WHERE ? IN (from_actor, to_actor)",
        "actor_areas": "SELECT count(*) FROM actor_areas WHERE actor_id = ?",
        "actor_aliases": "SELECT count(*) FROM actor_aliases WHERE actor_id = ?",
        "collaborations": "SELECT count(*) FROM collaborations WHERE ? IN (actor_a, actor_b)",
    }
    return {t: con.execute(q, [actor]).fetchall()[0][0] for t, q in queries.items()}


def test_delete_removes_the_actor_and_every_row_naming_it(
    mini_con: duckdb.DuckDBPyConnection,
) -> None:
    before = snapshot(mini_con)
    version = data_version(mini_con)
    assert _names(mini_con, "a") == {
        "actors": 1,
        "participations": 1,
        "relations": 1,
        "actor_areas": 1,
        "actor_aliases": 0,
        "collaborations": 2,
    }
    report = delete_actors(mini_con, ["a"])
    assert set(_names(mini_con, "a").values()) == {0}
    assert report.removed["participations"] == 1
    assert report.removed["relations"] == 1
    assert "deleted 1 actor(s) (a)" in report.summary()
    after = snapshot(mini_con)
    # the others and the activity are untouched
    assert after["actors"]["actor_id"].to_list() == ["b", "c"]
    assert after["activities"].equals(before["activities"])
    assert after["sources"].equals(before["sources"])
    assert after["participations"]["actor_id"].to_list() == ["b"]
    assert integrity_problems(mini_con).height == 0
    assert data_version(mini_con) == version + 1


def test_unknown_id_deletes_nothing(mini_con: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(mini_con)
    with pytest.raises(ActorNotFoundError, match=r"no actor 'zz'.*nothing was deleted"):
        delete_actors(mini_con, ["a", "zz"])
    with pytest.raises(UsageError, match="at least one"):
        delete_actors(mini_con, [])
    assert_same_tables(before, snapshot(mini_con))


def test_cli_delete_asks_and_deletes(db_path: Path, mini_con: duckdb.DuckDBPyConnection) -> None:
    mini_con.close()
    runner = CliRunner()
    refused = runner.invoke(cli, ["actors", "delete", "c", "--db", str(db_path)], input="n\n")
    assert refused.exit_code == 1
    done = runner.invoke(cli, ["actors", "delete", "c", "--yes", "--db", str(db_path)])
    assert done.exit_code == 0, done.output
    assert "deleted 1 actor(s) (c); rows removed with them: relations 1" in done.output
    missing = runner.invoke(cli, ["actors", "delete", "c", "--yes", "--db", str(db_path)])
    assert missing.exit_code == 2
    assert "no actor 'c'" in missing.output
    assert "Traceback" not in missing.output
    con = connect(db_path, read_only=True)
    try:
        assert con.sql("SELECT actor_id FROM actors ORDER BY 1").fetchall() == [("a",), ("b",)]
    finally:
        con.close()
