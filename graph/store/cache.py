"""Analysis results kept in the database, keyed by a hash of the data and the parameters, so a
restart (of the app or the CLI) never recomputes an analysis of unchanged data.

The key is a SHA-256 of: a fingerprint of every data table's content (DuckDB hashes the rows in
C, about 50 ms per million rows), the analysis parameters and ``CACHE_VERSION`` (raised whenever
an analysis changes what it computes). Each results table is stored as Parquet bytes.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import duckdb
import polars as pl

from graph.store.database import DATA_TABLES, run, transaction

__all__ = [
    "CACHE_VERSION",
    "KEEP_ENTRIES",
    "analysis_key",
    "data_fingerprint",
    "load_tables",
    "store_tables",
]

CACHE_VERSION = "2"  # 2: group_mixing significance columns, diagnosis
KEEP_ENTRIES = 8  # the most recent analyses kept per database


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A hash of the content of every data table (row order does not matter)."""
    parts = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(bit_xor(hash(x)), 0) FROM {t} AS x" for t in DATA_TABLES
    )
    rows = run(con, parts)
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def analysis_key(fingerprint: str, params_json: str) -> str:
    """The cache key of one analysis of one state of the data."""
    text = f"{CACHE_VERSION}\n{fingerprint}\n{params_json}"
    return hashlib.sha256(text.encode()).hexdigest()


def load_tables(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, pl.DataFrame] | None:
    """The cached results tables of ``key``, or None when there are none."""
    rows = run(con, "SELECT table_name, payload FROM analysis_cache WHERE cache_key = ?", [key])
    if not rows:
        return None
    return {name: pl.read_parquet(io.BytesIO(payload)) for name, payload in rows}


def store_tables(
    con: duckdb.DuckDBPyConnection, key: str, tables: dict[str, pl.DataFrame], params_json: str
) -> None:
    """Keep ``tables`` under ``key`` (replacing an entry of the same key) and forget all but the
    ``KEEP_ENTRIES`` most recent analyses. Needs a connection that may write."""
    stamp = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        run(con, "DELETE FROM analysis_cache WHERE cache_key = ?", [key])
        for name, frame in tables.items():
            buffer = io.BytesIO()
            frame.write_parquet(buffer)
            run(
                con,
                "INSERT INTO analysis_cache VALUES (?, ?, ?, ?, ?)",
                [key, name, stamp, params_json, buffer.getvalue()],
            )
        run(
            con,
            "DELETE FROM analysis_cache WHERE cache_key NOT IN ("
            "SELECT cache_key FROM analysis_cache GROUP BY cache_key "
            "ORDER BY max(created_at) DESC LIMIT ?)",
            [KEEP_ENTRIES],
        )
