"""How much data there is and how much of it rests on a source: rows per table, split into
sourced, synthetic and unsourced (rows whose source ecograph had to create because the file named
none).
"""

from __future__ import annotations

import duckdb
import polars as pl

from graph.store.database import DATA_TABLES

__all__ = [
    "REAL_REGION_ACTORS",
    "auto_sources",
    "dataset_stats",
    "sourced_actors",
    "synthetic_by_default",
    "synthetic_share",
    "unplaced_actors",
]

# With this many sourced actors the real region is large enough to be the first view: the app
# starts with the synthetic demo layer switched off (the sidebar switch adds it back).
REAL_REGION_ACTORS = 80


def dataset_stats(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per data table: ``table, rows, sourced, synthetic, unsourced``.

    ``sources`` itself is counted by its own flags (a synthetic source, an automatic one).

    Examples
    --------
    >>> from graph.store.database import connect
    >>> dataset_stats(connect(":memory:"))["rows"].sum()
    0
    """
    parts = []
    for table in DATA_TABLES:
        alias = "s" if table == "sources" else "t"
        join = "" if table == "sources" else " LEFT JOIN sources AS s ON s.source_id = t.source_id"
        parts.append(
            f"SELECT '{table}' AS table_name, count(*) AS rows, "
            f"count(*) FILTER (WHERE NOT coalesce(s.synthetic, false) "
            f"AND NOT coalesce(s.auto, false)) AS sourced, "
            f"count(*) FILTER (WHERE coalesce(s.synthetic, false)) AS synthetic, "
            f"count(*) FILTER (WHERE coalesce(s.auto, false) OR s.source_id IS NULL) "
            f"AS unsourced FROM {table} AS {alias}{join}"
        )
    return (
        con.sql(" UNION ALL ".join(parts))
        .pl()
        .with_columns(pl.col("rows", "sourced", "synthetic", "unsourced").cast(pl.Int64))
    )


def synthetic_share(con: duckdb.DuckDBPyConnection) -> float:
    """The share of all data rows (sources excluded) that are synthetic, 0.0 for an empty db."""
    stats = dataset_stats(con).filter(pl.col("table_name") != "sources")
    total = int(stats["rows"].sum())
    return float(stats["synthetic"].sum()) / total if total else 0.0


def sourced_actors(con: duckdb.DuckDBPyConnection) -> int:
    """How many actors rest on a source that is neither synthetic nor created by ecograph."""
    return int(dataset_stats(con).filter(pl.col("table_name") == "actors")["sourced"].sum())


def synthetic_by_default(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether views should include the synthetic layer until the user says otherwise: only
    while the sourced data is too small to show a region (fewer than ``REAL_REGION_ACTORS``).

    Examples
    --------
    >>> from graph.store.database import connect
    >>> synthetic_by_default(connect(":memory:"))
    True
    """
    return sourced_actors(con) < REAL_REGION_ACTORS


def auto_sources(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The sources ecograph created for files that named none, with how many rows hang on
    each: ``source_id, title, rows`` (the data-quality list of what still needs a source)."""
    counts = " UNION ALL ".join(f"SELECT source_id FROM {t}" for t in DATA_TABLES if t != "sources")
    return con.sql(
        f"SELECT s.source_id, s.title, count(r.source_id) AS rows FROM sources AS s "
        f"LEFT JOIN ({counts}) AS r ON r.source_id = s.source_id WHERE s.auto "
        f"GROUP BY ALL ORDER BY s.source_id"
    ).pl()


def unplaced_actors(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Actors with neither coordinates nor a municipality: the geographic map cannot place
    them. ``actor_id, name, kind``."""
    return con.sql(
        "SELECT actor_id, name, CAST(kind AS VARCHAR) AS kind FROM actors "
        "WHERE (lat IS NULL OR lon IS NULL) AND municipality IS NULL ORDER BY actor_id"
    ).pl()
