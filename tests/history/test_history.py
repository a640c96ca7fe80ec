"""The change log, undo, snapshots, time travel and compare on small hand-made waves.

The scenario (MINI from conftest: actors a, b, c; activity p1 with a and b; relation r1 a–c):
  #1 import MINI                    → snapshot "wave 1"
  #2 import EXTRA: actor d, d joins p1, relation r2 b–d
  #3 merge c into b                 (r1 a–c becomes a–b)
  #4 delete a                       (its participation and r1 go with it)
                                    → snapshot "wave 2"
so, by hand, wave 1 → wave 2: actors added [d], removed [a, c]; ties added (b,d,partnership),
(b,d,project,p1); removed (a,b,project,p1), (a,c,partnership).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.curation.delete import delete_actors
from graph.curation.merge import dismiss_candidate, merge_actors, pending_candidates
from graph.formats.export import export_dataset
from graph.formats.ingest import import_paths
from graph.history.log import VERSIONED, acting_as, list_changes, versions_table
from graph.history.snapshots import create_snapshot, list_snapshots, resolve_wave
from graph.history.travel import materialise, time_travel
from graph.history.undo import RevertRefusedError, revert_change, undo_last
from graph.present.changes import compare_waves
from graph.sql import run_write
from graph.store.database import connect
from tests.conftest import write_files

EXTRA = {
    "actors.csv": (
        "actor_id,name,kind,municipality,region,source_id\n"
        "d,Dalarö Kluster,cluster,Östersund,Jämtlands län,s1\n"
    ),
    "participations.csv": "activity_id,actor_id,role,source_id\np1,d,member,s1\n",
    "relations.csv": "relation_id,from_actor,to_actor,kind,source_id\nr2,b,d,partnership,s1\n",
}


def export_hash(con: duckdb.DuckDBPyConnection, folder: Path) -> str:
    """A hash of a CSV export of every data table, plus the review list (not exported)."""
    if folder.exists():
        for f in folder.iterdir():
            f.unlink()
    files = export_dataset(con, "csv", folder)
    digest = hashlib.sha256()
    for f in sorted(files):
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    review = con.sql("SELECT * FROM match_candidates ORDER BY ALL").pl()
    digest.update(review.drop("created_at").write_csv().encode())
    return digest.hexdigest()


def ties(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    return [
        tuple(r)
        for r in con.execute(
            "SELECT actor_a, actor_b, kind, activity_id FROM collaborations ORDER BY ALL"
        ).fetchall()
    ]


@pytest.fixture
def waves(mini_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = mini_con
    create_snapshot(con, "wave 1")
    import_paths(con, [write_files(tmp_path / "extra", EXTRA)])
    merge_actors(con, "b", "c")
    delete_actors(con, ["a"])
    create_snapshot(con, "wave 2")
    return con


def _key(t: dict[str, str | None]) -> tuple[str, str, str, str]:
    return (t["actor_a"] or "", t["actor_b"] or "", t["kind"] or "", t["activity_id"] or "")


def test_every_change_is_logged_with_who_and_rows(waves: duckdb.DuckDBPyConnection) -> None:
    log = list_changes(waves).sort("change_id")
    assert log["kind"].to_list() == ["import", "import", "merge", "delete"]
    assert log["who"][0].startswith("cli:")
    # #2 added d, its participation and r2 (3 rows in 3 tables), changed and removed nothing
    assert log.row(1, named=True)["added"] == 3
    assert log.row(1, named=True)["removed"] == 0
    # #4 deleting a removed a, a's participation, a's relation (r1 moved to a–b), a's area and
    # b's alias rows stay: 4 rows
    deleted = log.row(3, named=True)
    assert (deleted["added"], deleted["changed"], deleted["removed"]) == (0, 0, 4)
    assert deleted["what"] == "deleted a"


def test_acting_as_names_the_editor(mini_con: duckdb.DuckDBPyConnection) -> None:
    with acting_as("editor:ana@example.se"):
        delete_actors(mini_con, ["c"])
    assert list_changes(mini_con, 1)["who"].to_list() == ["editor:ana@example.se"]


def test_compare_lists_exactly_what_was_added_and_removed(
    waves: duckdb.DuckDBPyConnection,
) -> None:
    a, b = resolve_wave(waves, "wave 1"), resolve_wave(waves, "wave 2")
    result = compare_waves(waves, a, b, params=AnalysisParams(as_of=date(2026, 6, 30))).to_json()
    assert result["actors"] == {"added": ["d"], "removed": ["a", "c"]}
    assert sorted(map(_key, result["ties"]["added"])) == [
        ("b", "d", "partnership", ""),
        ("b", "d", "project", "p1"),
    ]
    assert sorted(map(_key, result["ties"]["removed"])) == [
        ("a", "b", "project", "p1"),
        ("a", "c", "partnership", ""),
    ]
    assert result["ties"]["changed"] == []
    by_name = {i["name"]: (i["before"], i["after"]) for i in result["indicators"]}
    assert by_name["actors"] == (3, 2)
    assert by_name["ties"] == (2, 1)  # pairs: a–b, a–c → b–d


def test_the_lists_from_changed_rows_equal_a_diff_of_whole_waves(
    waves: duckdb.DuckDBPyConnection,
) -> None:
    """compare reads only the ties resting on rows changed between the waves; a diff of the two
    waves read whole must give the same lists, for every pair of changes and a filter."""
    from graph.analysis.network import GraphFilter
    from graph.history.compare import diff_waves
    from graph.present.changes import wave_state

    for flt in (GraphFilter(), GraphFilter(kinds=("company", "cluster", "academia"))):
        for x in range(5):
            for y in range(5):
                a, b = (
                    resolve_wave(waves, f"#{x}") if x else None,
                    resolve_wave(waves, f"#{y}") if y else None,
                )
                if a is None or b is None:
                    continue
                fast = compare_waves(waves, a, b, flt).diff
                wa, wb = wave_state(waves, a, flt), wave_state(waves, b, flt)
                whole = diff_waves(wa.actors, wb.actors, wa.ties, wb.ties)
                assert fast.actors_added == whole.actors_added
                assert fast.actors_removed == whole.actors_removed
                for part in ("ties_added", "ties_removed", "ties_changed"):
                    assert getattr(fast, part).equals(getattr(whole, part)), (x, y, part)


def test_compare_backwards_swaps_the_lists(waves: duckdb.DuckDBPyConnection) -> None:
    a, b = resolve_wave(waves, "wave 2"), resolve_wave(waves, "wave 1")
    result = compare_waves(waves, a, b).to_json()
    assert result["actors"] == {"added": ["a", "c"], "removed": ["d"]}


def test_time_travel_shows_the_first_wave_and_then_the_present(
    waves: duckdb.DuckDBPyConnection,
) -> None:
    now = ties(waves)
    with time_travel(waves, resolve_wave(waves, "wave 1").change_id):
        assert [
            r[0] for r in waves.execute("SELECT actor_id FROM actors ORDER BY 1").fetchall()
        ] == [
            "a",
            "b",
            "c",
        ]
        assert ties(waves) == [("a", "b", "project", "p1"), ("a", "c", "partnership", None)]
    assert ties(waves) == now == [("b", "d", "partnership", None), ("b", "d", "project", "p1")]


def test_time_travel_is_read_only(waves: duckdb.DuckDBPyConnection) -> None:
    with time_travel(waves, 1), pytest.raises(duckdb.Error):
        waves.execute("DELETE FROM actors")


def test_analysis_at_the_first_wave_equals_the_analysis_then(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    params = AnalysisParams(as_of=date(2026, 6, 30))
    then = run_analysis(mini_con, params)
    create_snapshot(mini_con, "wave 1")
    import_paths(mini_con, [write_files(tmp_path / "extra", EXTRA)])
    delete_actors(mini_con, ["c"])
    with time_travel(mini_con, resolve_wave(mini_con, "wave 1").change_id):
        later = run_analysis(mini_con, params)
    assert then.summary_lines() == later.summary_lines()
    for name, frame in then.tables.items():
        assert frame.equals(later.tables[name]), name
    assert run_analysis(mini_con, params).actors == 3  # a, b, d now


def test_materialised_wave_is_a_database_of_its_own(
    waves: duckdb.DuckDBPyConnection, db_path: Path, tmp_path: Path
) -> None:
    waves.close()
    out = materialise(db_path, 1, tmp_path / "wave1.duckdb")
    with connect(out, read_only=True) as copy:
        assert ties(copy) == [("a", "b", "project", "p1"), ("a", "c", "partnership", None)]


def _undo_restores(con: duckdb.DuckDBPyConnection, folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    before = export_hash(con, folder)
    change()
    assert export_hash(con, folder) != before
    undo_last(con)
    assert export_hash(con, folder) == before


def test_undo_after_each_kind_of_change_gives_back_identical_tables(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path, db_path: Path, mini_dir: Path
) -> None:
    con, out = mini_con, tmp_path / "export"
    extra = write_files(tmp_path / "extra", EXTRA)
    _undo_restores(con, out, lambda: import_paths(con, [extra]))
    import_paths(con, [extra])
    _undo_restores(con, out, lambda: import_paths(con, [mini_dir], replace=True))
    _undo_restores(con, out, lambda: merge_actors(con, "b", "c"))
    _undo_restores(con, out, lambda: delete_actors(con, ["a", "d"]))
    con.close()
    con = connect(db_path)
    _undo_restores(
        con, out, lambda: run_write(db_path, "UPDATE actors SET name = 'Ny' WHERE actor_id = 'a'")
    )
    # a namesake of b ("Mittuniversitetet") in another place waits on the review list
    twin = {
        "actors.csv": (
            "actor_id,name,kind,municipality,source_id\ne,Mittuniversitetet,academia,Sundsvall,s1\n"
        )
    }
    import_paths(con, [write_files(tmp_path / "twin", twin)])
    assert pending_candidates(con).height == 1
    _undo_restores(con, out, lambda: dismiss_candidate(con, "e", "b"))
    assert pending_candidates(con).height == 1
    con.close()


def test_a_revert_can_be_reverted(mini_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "export"
    import_paths(mini_con, [write_files(tmp_path / "extra", EXTRA)])
    after = export_hash(mini_con, out)
    undo = undo_last(mini_con)
    assert undo.change_id is not None
    revert_change(mini_con, undo.change_id)
    assert export_hash(mini_con, out) == after
    log = list_changes(mini_con).sort("change_id")
    assert log["kind"].to_list() == ["import", "import", "revert", "revert"]
    assert log["reverted_by"].to_list() == [None, 3, 4, None]


def test_a_revert_a_later_change_depends_on_is_refused(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    import_paths(mini_con, [write_files(tmp_path / "extra", EXTRA)])  # #2 brings actor d
    tie = {"relations.csv": "relation_id,from_actor,to_actor,source_id\nr3,a,d,s1\n"}
    import_paths(mini_con, [write_files(tmp_path / "tie", tie)])  # #3 ties a to d
    before = export_hash(mini_con, out)
    with pytest.raises(RevertRefusedError, match=r"#3 \(import.*relations.*'d'"):
        revert_change(mini_con, 2)
    assert export_hash(mini_con, out) == before
    assert list_changes(mini_con).height == 3  # the refused revert left no entry


def test_a_revert_of_a_row_changed_again_later_is_refused(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    header = "actor_id,name,kind,source_id\n"
    import_paths(
        mini_con, [write_files(tmp_path / "r1", {"actors.csv": header + "a,A1,company,s1\n"})]
    )
    import_paths(
        mini_con, [write_files(tmp_path / "r2", {"actors.csv": header + "a,A2,company,s1\n"})]
    )
    with pytest.raises(RevertRefusedError, match=r"later change #3 .*same row of actors \(a\)"):
        revert_change(mini_con, 2)
    undo_last(mini_con)  # #3 first ...
    revert_change(mini_con, 2)  # ... then #2 is free
    name = mini_con.execute("SELECT name FROM actors WHERE actor_id = 'a'").fetchone()
    assert name == ("Åre Företag AB",)


def test_reverting_twice_is_refused(mini_con: duckdb.DuckDBPyConnection) -> None:
    delete_actors(mini_con, ["c"])
    undo_last(mini_con)
    with pytest.raises(RevertRefusedError, match="already reverted by #3"):
        revert_change(mini_con, 2)


def test_one_changed_row_adds_one_row_version(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    vt = versions_table("actors")
    before = mini_con.execute(f"SELECT count(*) FROM {vt}").fetchone()
    header = "actor_id,name,kind,source_id\n"
    import_paths(
        mini_con, [write_files(tmp_path / "r", {"actors.csv": header + "a,A1,company,s1\n"})]
    )
    after = mini_con.execute(f"SELECT count(*) FROM {vt}").fetchone()
    assert before is not None
    assert after is not None
    assert after[0] == before[0] + 1
    create_snapshot(mini_con, "cheap")
    assert mini_con.execute(f"SELECT count(*) FROM {vt}").fetchone() == after


def test_waves_by_name_change_id_and_date(waves: duckdb.DuckDBPyConnection) -> None:
    assert resolve_wave(waves, "wave 1").change_id == 1
    assert resolve_wave(waves, "wave 2").change_id == 4
    assert resolve_wave(waves, "#3").change_id == 3
    assert resolve_wave(waves, "now").change_id == 4
    assert resolve_wave(waves, "2999-01-01").change_id == 4
    assert resolve_wave(waves, "2000-01-01").change_id == 0  # before the first import: empty
    assert list_snapshots(waves)["name"].to_list() == ["wave 1", "wave 2"]
    from graph.history.log import HistoryError

    with pytest.raises(HistoryError, match=r"no snapshot 'wave 3'.*wave 1, wave 2"):
        resolve_wave(waves, "wave 3")
    with pytest.raises(HistoryError, match="already"):
        create_snapshot(waves, "wave 1")


def test_writes_outside_the_log_are_caught_up(
    mini_con: duckdb.DuckDBPyConnection,
) -> None:
    # an older ecograph (or SQL by hand) changed a row and bumped the data version
    mini_con.execute("UPDATE actors SET name = 'X' WHERE actor_id = 'b'")
    mini_con.execute(
        "UPDATE schema_info SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
        "WHERE key = 'data_version'"
    )
    delete_actors(mini_con, ["c"])
    log = list_changes(mini_con).sort("change_id")
    assert log["kind"].to_list() == ["import", "unrecorded", "delete"]
    assert log.row(1, named=True)["changed"] == 1
    frame = pl.DataFrame(log)
    assert frame.height == 3


def test_a_file_made_before_the_change_log_starts_one(
    mini_con: duckdb.DuckDBPyConnection,
) -> None:
    """A schema-2 file written before history existed has data but no log tables: its first
    recorded change first writes a baseline of the data as found."""
    for table in ("changes", "change_tables", "snapshots"):
        mini_con.execute(f"DROP TABLE {table}")
    for table in VERSIONED:
        mini_con.execute(f"DROP TABLE {versions_table(table)}")
    mini_con.execute("DELETE FROM schema_info WHERE key = 'history_data_version'")
    delete_actors(mini_con, ["c"])
    log = list_changes(mini_con).sort("change_id")
    assert log["kind"].to_list() == ["baseline", "delete"]
    # MINI as found: sources 1, strength_areas 1, actors 3, actor_areas 1, activities 1,
    # participations 2, relations 1
    assert log["added"].to_list() == [10, 0]
    with time_travel(mini_con, 1):
        assert mini_con.execute("SELECT count(*) FROM actors").fetchone() == (3,)


def test_restore_is_noted_in_the_log(mini_con: duckdb.DuckDBPyConnection) -> None:
    from graph.history.log import record_event

    record_event(mini_con, "restore", "restored from b.zip")
    assert list_changes(mini_con, 1)["kind"].to_list() == ["restore"]
    with pytest.raises(RevertRefusedError, match="changed no rows"):
        revert_change(mini_con, 2)
    assert undo_last(mini_con).reverts == 1  # undo passes over the note
