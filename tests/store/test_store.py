"""The database: schema version handling, the collaborations view, vocabularies, integrity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from graph.errors import DatabaseError, SchemaVersionError
from graph.formats.ingest import import_paths
from graph.store import database as store
from graph.store import tables
from graph.store.database import (
    SCHEMA_VERSION,
    connect,
    integrity_problems,
    schema_version,
    vocabulary,
)
from graph.store.tables import TABLES
from tests.conftest import write_files

ROOT = Path(__file__).resolve().parents[2]


def test_new_database_stores_its_schema_version(db_path: Path) -> None:
    con = connect(db_path)
    assert schema_version(con) == SCHEMA_VERSION
    con.close()
    assert db_path.exists()


def test_newer_database_is_refused_with_advice(db_path: Path) -> None:
    con = connect(db_path)
    store.run(con, "UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaVersionError, match=r"version 99, newer.*upgrade ecograph"):
        connect(db_path)


def test_older_database_without_migration_is_refused_with_advice(db_path: Path) -> None:
    con = connect(db_path)
    store.run(con, "UPDATE schema_info SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaVersionError, match=r"cannot migrate.*export it"):
        connect(db_path)


def test_older_database_is_migrated(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The migration mechanism: a database at version N-1 runs the N-1 → N step once."""
    con = connect(db_path)
    store.run(
        con,
        "UPDATE schema_info SET value = ? WHERE key = 'schema_version'",
        [str(SCHEMA_VERSION - 1)],
    )
    con.close()

    def add_note_table(c: duckdb.DuckDBPyConnection) -> None:
        store.run(c, "CREATE TABLE migrated_marker (x INTEGER)")

    monkeypatch.setitem(store.MIGRATIONS, SCHEMA_VERSION - 1, add_note_table)
    con = connect(db_path)
    assert schema_version(con) == SCHEMA_VERSION
    assert store.run(con, "SELECT count(*) FROM migrated_marker") == [(0,)]
    con.close()


def test_foreign_duckdb_file_is_refused(db_path: Path) -> None:
    other = duckdb.connect(str(db_path))
    other.execute("CREATE TABLE t (x INTEGER)").fetchall()
    other.close()
    with pytest.raises(DatabaseError, match="not an ecograph database"):
        connect(db_path)


def test_missing_database_read_only_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="ecograph init --db"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_collaborations_one_row_per_pair_per_activity(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Three partners of one activity give 3 pairs; a relation adds one more; actor_a < actor_b
    even when the relation was written from the larger id."""
    folder = write_files(
        tmp_path / "c",
        {
            "actors.csv": "actor_id,name,kind\nz,Z,company\ny,Y,company\nx,X,academia\n",
            "activities.csv": "activity_id,name,start_date,end_date\np,P,2020-01-01,2021-01-01\n",
            "participations.csv": "activity_id,actor_id\np,z\np,y\np,x\n",
            "relations.csv": "from_actor,to_actor,kind,weight\nz,x,advice,2\n",
        },
    )
    import_paths(con, [folder])
    rows = store.run(
        con, "SELECT actor_a, actor_b, kind, activity_id, weight FROM collaborations ORDER BY ALL"
    )
    assert rows == [
        ("x", "y", "project", "p", 1.0),
        ("x", "z", "advice", None, 2.0),
        ("x", "z", "project", "p", 1.0),
        ("y", "z", "project", "p", 1.0),
    ]


def test_database_constraints_back_up_the_validator(con: duckdb.DuckDBPyConnection) -> None:
    """Even SQL written by hand cannot store an unknown kind or dates out of order."""
    with pytest.raises(duckdb.ConversionException):
        store.run(
            con,
            "INSERT INTO actors (actor_id, name, kind, source_id) "
            "VALUES ('q', 'Q', 'spaceship', 's')",
        )
    with pytest.raises(duckdb.ConstraintException):
        store.run(
            con,
            "INSERT INTO activities (activity_id, name, start_date, end_date, "
            "source_id) VALUES ('a', 'A', '2022-01-01', '2021-01-01', 's')",
        )


def test_integrity_problems_finds_dangling_references(con: duckdb.DuckDBPyConnection) -> None:
    store.run(
        con,
        "INSERT INTO relations (relation_id, from_actor, to_actor, source_id) "
        "VALUES ('r', 'ghost', 'phantom', 'nowhere')",
    )
    found = integrity_problems(con).select("column_name", "value").rows()
    assert found == [("from_actor", "ghost"), ("source_id", "nowhere"), ("to_actor", "phantom")]


def test_vocabularies_agree_between_schema_tables_and_kumu(con: duckdb.DuckDBPyConnection) -> None:
    assert tuple(vocabulary(con, "actor_kind")) == tables.ACTOR_KINDS
    assert tuple(vocabulary(con, "helix")) == tables.HELICES
    assert tuple(vocabulary(con, "participation_role")) == tables.ROLES
    assert tuple(vocabulary(con, "relation_kind")) == tables.RELATION_KINDS
    assert tuple(vocabulary(con, "activity_kind")) == tables.ACTIVITY_KINDS
    for spec in TABLES.values():
        columns = [
            r[0]
            for r in store.run(
                con,
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [spec.name],
            )
        ]
        assert columns == spec.column_names, spec.name
    kinds = [r[0] for r in store.run(con, "SELECT CAST(kind AS VARCHAR) FROM actor_kinds")]
    assert kinds == vocabulary(con, "actor_kind")


def test_core_never_imports_streamlit() -> None:
    """graph/ must stay usable without the UI framework (harlequin's rule)."""
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "graph").rglob("*.py")
        if p.stem != "__main__"
    )
    assert "graph.analysis.gaps" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"
