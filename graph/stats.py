"""How much data there is and how much of it rests on a source: rows per table, split into
sourced, synthetic and unsourced (rows whose source ecograph had to create because the file named
none).
"""

from __future__ import annotations

import duckdb
import polars as pl

from graph.store import DATA_TABLES

__all__ = ["dataset_stats", "synthetic_share"]


def dataset_stats(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per data table: ``table, rows, sourced, synthetic, unsourced``.

    ``sources`` itself is counted by its own flags (a synthetic source, an automatic one).

    Examples
    --------
    >>> from graph.store import connect
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
