"""Create and fill a database: the shipped, sourced Jämtland Härjedalen dataset, optionally with
the synthetic demo layer around it (``graph.datasets.synth``), or nothing at all.

The default database is created this way on first use, so ``make run`` opens a useful map.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from graph.datasets.synth import synthetic_ecosystem
from graph.errors import DatabaseError
from graph.formats.ingest import ImportReport, import_frames, import_paths
from graph.i18n import N_, translator
from graph.store.config import data_dir, default_db_path, shipped_dataset_dir
from graph.store.database import is_empty, open_db, read_table

__all__ = [
    "DEMO_SEED",
    "DEMO_SYNTHETIC_ACTORS",
    "TEXTS",
    "InitReport",
    "add_synthetic_layer",
    "ensure_database",
    "init_database",
    "municipalities",
]

TEXTS = {
    "holds_data": N_("{path} already holds data; add --force to replace it with the shipped data"),
}

DEMO_SEED = 2026
DEMO_SYNTHETIC_ACTORS = 300


@dataclass
class InitReport:
    """What ``init_database`` loaded."""

    path: Path
    reports: list[ImportReport] = field(default_factory=list)


def municipalities(folder: Path | None = None) -> pl.DataFrame:
    """Reference data: municipality seats (code, name, county, lat, lon) for maps and synth."""
    path = (folder or data_dir()) / "municipalities.csv"
    return pl.read_csv(path, schema_overrides={"code": pl.String})


def add_synthetic_layer(
    con: duckdb.DuckDBPyConnection,
    *,
    n_actors: int = DEMO_SYNTHETIC_ACTORS,
    seed: int = DEMO_SEED,
    reference: Path | None = None,
) -> ImportReport:
    """Generate a synthetic ecosystem attached to the database's real actors and import it."""
    seats = municipalities(reference).filter(pl.col("county") == "Jämtlands län")
    tables = synthetic_ecosystem(
        n_actors,
        seed,
        municipalities=seats.select("municipality", pl.col("county").alias("region"), "lat", "lon"),
        areas=read_table(con, "strength_areas").select("area_id", "name"),
        anchors=read_table(con, "actors").select("actor_id", "kind", "municipality", "region"),
    )
    return import_frames(con, tables, label="synthetic")


def init_database(
    path: Path,
    *,
    synthetic: bool = True,
    empty: bool = False,
    force: bool = False,
    shipped: Path | None = None,
) -> InitReport:
    """Create the database at ``path`` and fill it.

    Parameters
    ----------
    synthetic:
        Add the synthetic demo layer around the sourced data.
    empty:
        Create the schema only.
    force:
        Replace the data of a database that already holds some (otherwise that is an error, so
        ``init`` can never destroy a user's data by accident).
    """
    if not path.exists():
        # Build a new database beside its final name and move it into place when complete, so
        # a failure (or a second process starting at the same moment) never sees it half-filled.
        building = path.with_name(f".{path.name}.{os.getpid()}.building")
        building.unlink(missing_ok=True)
        try:
            reports = _fill(
                building, synthetic=synthetic, empty=empty, force=False, shipped=shipped
            )
            building.replace(path)
        finally:
            building.unlink(missing_ok=True)
            Path(f"{building}.wal").unlink(missing_ok=True)
    else:
        reports = _fill(path, synthetic=synthetic, empty=empty, force=force, shipped=shipped)
    return InitReport(path, reports)


def _fill(
    path: Path, *, synthetic: bool, empty: bool, force: bool, shipped: Path | None
) -> list[ImportReport]:
    reports: list[ImportReport] = []
    with open_db(path) as con:
        if not is_empty(con) and not force:
            raise DatabaseError(translator().gettext(TEXTS["holds_data"]).format(path=path))
        if empty:
            if not is_empty(con):
                reports.append(import_frames(con, {}, label="empty", replace=True))
            return reports
        reports.append(import_paths(con, [shipped or shipped_dataset_dir()], replace=True))
        if synthetic:
            reports.append(add_synthetic_layer(con))
    return reports


def ensure_database(path: Path) -> None:
    """Create and fill the default database on first use; other paths must exist already."""
    if path.exists():
        return
    if path == default_db_path():
        init_database(path)
