"""Import benchmark: a synthetic ecosystem written as CSV, imported into a fresh DuckDB file
through the same path as `ecograph import` (read, validate every row, one transaction).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Row, timed
from graph.datasets.synth import synthetic_ecosystem, write_csv_folder
from graph.formats.ingest import import_paths
from graph.store.database import connect, row_counts


def run(n_actors: int, ties_per_actor: float, seed: int = 7) -> list[Row]:
    """Generate, write, import and re-import (idempotent, nothing changes) one ecosystem."""
    rows: list[Row] = []
    size = f"{n_actors // 1000}k actors"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        with timed() as t:
            tables = synthetic_ecosystem(n_actors, seed, ties_per_actor=ties_per_actor)
        rows.append(Row("import", size, "generate (synth)", t()))
        with timed() as t:
            write_csv_folder(tables, folder)
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        rows.append(Row("import", size, "write CSV", t(), f"{mb:.0f} MB"))
        del tables
        con = connect(Path(tmp) / "bench.duckdb")
        with timed() as t:
            import_paths(con, [folder])
        counts = row_counts(con)
        note = (
            f"{counts['actors']} actors, {counts['relations']} relations, "
            f"{counts['participations']} participations, {counts['activities']} activities"
        )
        rows.append(Row("import", size, "import CSV folder", t(), note, counts))
        with timed() as t:
            report = import_paths(con, [folder])
        rows.append(
            Row("import", size, "re-import (no change)", t(), f"modified={report.modified}")
        )
        con.close()
    return rows
