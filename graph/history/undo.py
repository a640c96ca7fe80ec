"""Undo: revert a change by putting back the rows it replaced or removed, as a change of its own.

A change can be reverted while the rows it wrote are still as it left them: for every key it
touched, the current row (or its absence) must equal what the change wrote. A later change that
rewrote one of those rows, or that added a row pointing at one the revert would remove (a tie to
an actor the reverted import brought in), depends on it, and the revert is refused with the
reason. The revert is one transaction, so a killed process loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from graph.history.log import (
    VERSIONED,
    ChangeRecord,
    HistoryError,
    columns_of,
    recording_change,
    say,
    versions_table,
)
from graph.history.what import describe
from graph.i18n import N_
from graph.store.database import integrity_problems, run, touch_data_version

__all__ = ["RevertRefusedError", "last_undoable", "revert_change", "undo_last"]


class RevertRefusedError(HistoryError):
    """A later change depends on the change to revert (or it was reverted already)."""


TEXTS = {
    "later_added": N_(
        "later change {change} added {table} rows whose {column} is '{value}', which the revert "
        "would remove"
    ),
    "unknown": N_("(unknown)"),
    "no_change": N_("no change #{id}: `ecograph history` lists them"),
    "already": N_("change #{id} was already reverted by #{by} (revert #{by} to redo it)"),
    "no_rows": N_("change #{id} changed no rows: there is nothing to revert"),
    "conflict": N_(
        "change #{id} cannot be reverted: later change {later} changed the same row of {table} "
        "({key}); revert that one first"
    ),
    "refused": N_("change #{id} cannot be reverted: {reason}"),
    "nothing": N_("nothing to undo: the change log holds no change in effect"),
}


@dataclass(frozen=True)
class _Conflict:
    table: str
    key: str
    later: int


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _touched(table: str, change_id: int) -> str:
    """A subquery of the keys of ``table`` that change ``change_id`` wrote or retired."""
    keys = ", ".join(_q(k) for k in VERSIONED[table])
    return (
        f"SELECT DISTINCT {keys} FROM {versions_table(table)} "
        f"WHERE valid_from = {int(change_id)} OR valid_to = {int(change_id)}"
    )


def _first_conflict(con: duckdb.DuckDBPyConnection, table: str, change_id: int) -> _Conflict | None:
    """A key the change touched whose row is no longer what the change left, and the later
    change that made it so."""
    vt = versions_table(table)
    cols = ", ".join(_q(c) for c in columns_of(con, table))
    key = VERSIONED[table]
    keys = ", ".join(_q(k) for k in key)
    in_touched = f"({keys}) IN ({_touched(table, change_id)})"
    rows = run(
        con,
        f"SELECT {keys} FROM ("
        f"(SELECT {cols} FROM {vt} WHERE valid_from = {int(change_id)} "
        f"EXCEPT SELECT {cols} FROM {vt} WHERE valid_to IS NULL AND {in_touched}) "
        f"UNION ALL (SELECT {cols} FROM {vt} WHERE valid_to IS NULL AND {in_touched} "
        f"EXCEPT SELECT {cols} FROM {vt} WHERE valid_from = {int(change_id)})"
        f") ORDER BY ALL LIMIT 1",
    )
    if not rows:
        return None
    values = rows[0]
    match = " AND ".join(f"{_q(k)} = ?" for k in key)
    later = run(
        con,
        f"SELECT min(greatest(valid_from, coalesce(valid_to, 0))) FROM {vt} "
        f"WHERE {match} AND (valid_from > ? OR valid_to > ?)",
        [*values, change_id, change_id],
    )[0][0]
    return _Conflict(table, "/".join(str(v) for v in values), int(later or 0))


def _describe(con: duckdb.DuckDBPyConnection, change_id: int) -> str:
    rows = run(con, "SELECT kind, what FROM changes WHERE change_id = ?", [change_id])
    if not rows:
        return f"#{change_id}"
    return f"#{change_id} ({rows[0][0]}: {rows[0][1]})"


def _check_revertible(con: duckdb.DuckDBPyConnection, change_id: int) -> str:
    """The change's ``what``; raise ``RevertRefusedError`` when it cannot be reverted now."""
    rows = run(con, "SELECT kind, what, reverted_by FROM changes WHERE change_id = ?", [change_id])
    if not rows:
        raise HistoryError(say(TEXTS, "no_change", id=change_id))
    _kind, what, reverted_by = rows[0]
    if reverted_by is not None:
        raise RevertRefusedError(say(TEXTS, "already", id=change_id, by=reverted_by))
    if not run(con, "SELECT count(*) FROM change_tables WHERE change_id = ?", [change_id])[0][0]:
        raise RevertRefusedError(say(TEXTS, "no_rows", id=change_id))
    for table in VERSIONED:
        conflict = _first_conflict(con, table, change_id)
        if conflict is not None:
            later = _describe(con, conflict.later)
            raise RevertRefusedError(
                say(TEXTS, "conflict", id=change_id, later=later, table=table, key=conflict.key)
            )
    return str(what)


def _dependent_reference(con: duckdb.DuckDBPyConnection) -> str | None:
    """After the rows are put back: a reference that now points nowhere, with the change that
    wrote the referencing row."""
    broken = integrity_problems(con)
    if not broken.height:
        return None
    table, column, value = broken.row(0)
    later = run(
        con,
        f"SELECT max(valid_from) FROM {versions_table(table)} "
        f"WHERE valid_to IS NULL AND {_q(column)} = ?",
        [value],
    )[0][0]
    change = _describe(con, int(later)) if later else say(TEXTS, "unknown")
    return say(TEXTS, "later_added", change=change, table=table, column=column, value=value)


def revert_change(con: duckdb.DuckDBPyConnection, change_id: int) -> ChangeRecord:
    """Revert change ``change_id``: the rows it removed or replaced come back, the rows it
    added go, in one transaction recorded as a change of kind ``revert``.

    Raises
    ------
    HistoryError
        There is no such change.
    RevertRefusedError
        It was reverted already, or a later change depends on it (the message names it).
    """
    with recording_change(
        con, "revert", describe("revert", change=change_id, what=""), reverts=change_id
    ) as record:
        what = _check_revertible(con, change_id)
        record.what = describe("revert", change=change_id, what=what)
        for table in VERSIONED:
            vt = versions_table(table)
            cols = ", ".join(_q(c) for c in columns_of(con, table))
            keys = ", ".join(_q(k) for k in VERSIONED[table])
            run(
                con,
                f"DELETE FROM {table} WHERE ({keys}) IN ({_touched(table, change_id)})",
            )
            run(
                con,
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {vt} "
                f"WHERE valid_to = {int(change_id)}",
            )
        reason = _dependent_reference(con)
        if reason is not None:
            raise RevertRefusedError(say(TEXTS, "refused", id=change_id, reason=reason))
        touch_data_version(con)
    return record


def last_undoable(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest change still in effect that is not itself a revert (what ``undo`` reverts)."""
    rows = run(
        con,
        "SELECT max(change_id) FROM changes WHERE reverted_by IS NULL AND kind <> 'revert' "
        "AND change_id IN (SELECT change_id FROM change_tables)",
    )
    return None if rows[0][0] is None else int(rows[0][0])


def undo_last(con: duckdb.DuckDBPyConnection) -> ChangeRecord:
    """Revert the newest change in effect (repeat to go further back)."""
    change_id = last_undoable(con)
    if change_id is None:
        raise HistoryError(say(TEXTS, "nothing"))
    return revert_change(con, change_id)
