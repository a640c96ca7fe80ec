"""History benchmark: row versions, snapshots, compare, --at and undo on a synthetic ecosystem.

One import of the whole ecosystem, a snapshot, then ten imports that each change 1 % of the
actors and 1 % of the relations (a new description, a new weight), a second snapshot, and:
compare the two snapshots (the lists), the data as recorded at the first snapshot (time travel:
load the network's actors and ties; and a copy of the wave into a file, what ``query --at``
does), undo the last import, and the storage of the history against the data (each copied into
a file of its own, after a checkpoint). Targets (issue #18, 100k actors / 1M ties): snapshot
< 1 s, compare < 10 s, history storage < 1.3x the data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from bench.common import Row, timed
from graph.analysis.gaps import AnalysisParams
from graph.analysis.network import load_ties
from graph.datasets.synth import synthetic_ecosystem
from graph.formats.ingest import import_frames
from graph.history.log import VERSIONED, versions_table
from graph.history.snapshots import create_snapshot, resolve_wave
from graph.history.travel import materialise, time_travel
from graph.history.undo import undo_last
from graph.present.changes import compare_waves
from graph.store.database import connect, row_counts, run

WAVES = 10
SHARE = 0.01


def _file_bytes(con, tables: list[str], target: Path) -> int:  # type: ignore[no-untyped-def]
    """The size of a DuckDB file holding just ``tables`` (copied, then checkpointed)."""
    path = str(target).replace("'", "''")
    run(con, f"ATTACH '{path}' AS sizing")
    try:
        for t in tables:
            run(con, f"CREATE TABLE sizing.main.{t} AS SELECT * FROM {t}")
        run(con, "CHECKPOINT sizing")
    finally:
        run(con, "DETACH sizing")
    return target.stat().st_size


def _changed(tables: dict[str, pl.DataFrame], wave: int, seed: int) -> dict[str, pl.DataFrame]:
    """1 % of the actors with a new description and 1 % of the relations with a new weight."""
    actors = tables["actors"].sample(fraction=SHARE, seed=seed + wave)
    relations = tables["relations"].sample(fraction=SHARE, seed=seed + 100 + wave)
    return {
        "actors": actors.with_columns(pl.lit(f"wave {wave}").alias("description")),
        "relations": relations.with_columns((pl.col("weight") + wave).alias("weight")),
    }


def run_bench(n_actors: int, ties_per_actor: float = 10.0, seed: int = 11) -> list[Row]:
    rows: list[Row] = []
    size = f"{n_actors // 1000}k actors"
    tables = synthetic_ecosystem(n_actors, seed, ties_per_actor=ties_per_actor)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.duckdb"
        con = connect(db)
        with timed() as t:
            import_frames(con, tables, label="bench")
        counts = row_counts(con)
        rows.append(
            Row(
                "history",
                size,
                "first import (with row versions)",
                t(),
                f"{counts['actors']} actors, {counts['relations']} relations, "
                f"{counts['participations']} participations",
                counts,
            )
        )
        with timed() as t:
            create_snapshot(con, "wave 1")
        rows.append(Row("history", size, "snapshot create", t()))
        seconds = []
        for wave in range(1, WAVES + 1):
            with timed() as t:
                import_frames(con, _changed(tables, wave, seed), label=f"wave {wave}")
            seconds.append(t())
        rows.append(
            Row(
                "history",
                size,
                f"import changing 1 % (mean of {WAVES})",
                sum(seconds) / len(seconds),
                f"max {max(seconds):.2f} s",
            )
        )
        create_snapshot(con, "wave 2")
        a, b = resolve_wave(con, "wave 1"), resolve_wave(con, "wave 2")
        with timed() as t:
            diff = compare_waves(con, a, b).diff
        rows.append(
            Row(
                "history",
                size,
                "compare two snapshots (lists, as `compare --no-indicators`)",
                t(),
                f"{diff.ties_changed.height} ties changed",
            )
        )
        if n_actors <= 10_000:
            with timed() as t:
                compare_waves(con, a, b, params=AnalysisParams())
            rows.append(Row("history", size, "compare with indicators (two analyses)", t()))
        with timed() as t, time_travel(con, a.change_id):
            load_ties(con)
        rows.append(Row("history", size, "--at: network ties at the first snapshot", t()))
        with timed() as t:
            con.close()
            materialise(db, a.change_id, Path(tmp) / "wave1.duckdb")
            con = connect(db)
        rows.append(Row("history", size, "--at: copy a wave to a file (query --at)", t()))
        with timed() as t:
            undo_last(con)
        rows.append(Row("history", size, "undo the last 1 % import", t()))
        data = _file_bytes(con, list(VERSIONED), Path(tmp) / "data.duckdb")
        history = _file_bytes(
            con, [versions_table(t) for t in VERSIONED], Path(tmp) / "versions.duckdb"
        )
        ratio = history / data
        rows.append(
            Row(
                "history",
                size,
                f"history storage after {WAVES} imports of 1 % (+ undo)",
                0.0,
                f"{history / 1e6:.1f} MB row versions / {data / 1e6:.1f} MB data = {ratio:.2f}x",
                {"history_bytes": history, "data_bytes": data, "ratio": ratio},
            )
        )
        con.close()
    return rows
