"""Time travel: the data as it was recorded at a wave, as a read-only view on a connection.

Inside ``time_travel(con, change_id)`` every versioned table name (``actors``, ``relations``,
…) is a temporary view of its row versions valid at that change, which shadows the table, and
the schema's own views (``collaborations``) read through it: every analysis, export and report
that takes a connection works on the past unchanged, and cannot write to it. Nothing is copied;
``materialise`` copies a wave into a file of its own for code that needs a path (the SQL
console's sandbox).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from graph.history.log import (
    VERSIONED,
    HistoryError,
    columns_of,
    has_history,
    say,
    versions_table,
)
from graph.i18n import N_
from graph.store.database import connect, run, transaction

__all__ = ["materialise", "time_travel", "wave_select"]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


TEXTS = {
    "no_log": N_("this database has no change log yet, so it has no past to show"),
    "exists": N_("{path} exists already: choose a new file"),
}


@contextmanager
def time_travel(con: duckdb.DuckDBPyConnection, change_id: int) -> Iterator[None]:
    """Show ``con`` the data as recorded up to and including change ``change_id``.

    Works on read-only and sandboxed connections (temporary views live in memory). The views
    are dropped when the block ends, so the connection shows the present again.

    Raises
    ------
    HistoryError
        The database has no change log.
    """
    if not has_history(con):
        raise HistoryError(say(TEXTS, "no_log"))
    made: list[str] = []
    try:
        for table in VERSIONED:
            run(con, f"CREATE OR REPLACE TEMP VIEW {table} AS {wave_select(con, table, change_id)}")
            made.append(table)
        yield
    finally:
        for table in made:
            run(con, f"DROP VIEW IF EXISTS temp.main.{table}")


def wave_select(con: duckdb.DuckDBPyConnection, table: str, change_id: int, where: str = "") -> str:
    """The SELECT of ``table``'s rows as recorded at ``change_id`` (and ``where``, if given)."""
    cols = ", ".join(_q(c) for c in columns_of(con, table))
    extra = f" AND ({where})" if where else ""
    return (
        f"SELECT {cols} FROM main.{versions_table(table)} WHERE valid_from <= {int(change_id)} "
        f"AND (valid_to IS NULL OR valid_to > {int(change_id)}){extra}"
    )


def materialise(db: str | Path, change_id: int, out: str | Path) -> Path:
    """Write the data as recorded at ``change_id`` into a new ecograph database ``out``.

    ``out`` must not exist; it gets the full schema, the data tables as they were, and no
    history of its own (its change log begins with its first change).
    """
    out = Path(out)
    if out.exists():
        raise HistoryError(say(TEXTS, "exists", path=out))
    target = connect(out)
    try:
        # sandboxed like the app's readers (one configuration per file and process)
        source = connect(db, sandbox=True)
        try:
            with time_travel(source, change_id), transaction(target):
                for table in VERSIONED:
                    cols = ", ".join(_q(c) for c in columns_of(source, table))
                    rows = source.sql(f"SELECT {cols} FROM {table}").arrow()
                    target.register("_wave_rows", rows)
                    try:
                        run(target, f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _wave_rows")
                    finally:
                        target.unregister("_wave_rows")
        finally:
            source.close()
    finally:
        target.close()
    return out
