"""Read-only SQL over the database, for analysts and the app's console.

The connection is opened read-only with external access disabled and the configuration locked,
so a query can read the tables and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from graph.errors import EcographError
from graph.store import connect

__all__ = ["QueryError", "run_readonly"]


class QueryError(EcographError):
    """A query failed: DuckDB's message, first line."""


def run_readonly(path: Path, sql: str, *, max_rows: int = 10_000) -> tuple[pl.DataFrame, bool]:
    """Run one read-only query; return (rows, truncated) with at most ``max_rows`` rows."""
    connect(path, read_only=True).close()  # checks the file and its schema version
    con = duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": "false", "lock_configuration": "true"},
    )
    try:
        try:
            rel = con.sql(sql)
            if rel is None:
                raise QueryError("the statement returned no rows")
            frame = rel.limit(max_rows + 1).pl()
        except duckdb.Error as exc:
            raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
    truncated = frame.height > max_rows
    return frame.head(max_rows), truncated
