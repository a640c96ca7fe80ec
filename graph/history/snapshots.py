"""Snapshots ("waves"): a name for the data as recorded up to a change, and how a wave is named.

A snapshot is one row (name, change id, when, who, note): the row versions already hold the
data, so creating one costs the same at 10 actors and at 100 000. A wave can be given as a
snapshot's name, ``now``, a change id (``#12``), or a record date or time (``2026-06-30`` means
the end of that day, UTC): the data as ecograph had recorded it then — record time, not the
dates of the activities in the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import polars as pl

from graph.history.log import HistoryError, catch_up, current_who, has_history, has_table
from graph.store.database import run, transaction

__all__ = ["Wave", "create_snapshot", "list_snapshots", "resolve_wave"]

_CHANGE = re.compile(r"#(\d+)")


@dataclass(frozen=True)
class Wave:
    """A resolved wave: the last change it includes and how to name it to people."""

    spec: str
    change_id: int
    label: str
    recorded_at: datetime | None


def create_snapshot(con: duckdb.DuckDBPyConnection, name: str, note: str | None = None) -> Wave:
    """Name the data as recorded now ``name`` (e.g. "review 2026 H2").

    Raises
    ------
    HistoryError
        The name is empty, looks like a date or change id, or is taken.
    """
    name = name.strip()
    if not name:
        raise HistoryError("give the snapshot a name, e.g. 'review 2026 H2'")
    if _CHANGE.fullmatch(name) or name.lower() == "now" or _as_time(name) is not None:
        raise HistoryError(
            f"'{name}' reads as a date or change id: name a snapshot with words, e.g. "
            "'review 2026 H2'"
        )
    catch_up(con)
    with transaction(con):
        if run(con, "SELECT count(*) FROM snapshots WHERE name = ?", [name])[0][0]:
            raise HistoryError(f"there is a snapshot '{name}' already: choose another name")
        change_id = int(run(con, "SELECT coalesce(max(change_id), 0) FROM changes")[0][0])
        now = datetime.now(UTC).replace(tzinfo=None)
        run(
            con,
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)",
            [name, change_id, now, current_who(), note],
        )
    return Wave(name, change_id, f"snapshot '{name}' (change #{change_id})", now)


def list_snapshots(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The snapshots, oldest first: name, change_id, created_at (UTC), who, note."""
    if not has_table(con, "snapshots"):
        return pl.DataFrame(
            schema={
                "name": pl.String,
                "change_id": pl.Int64,
                "created_at": pl.Datetime,
                "who": pl.String,
                "note": pl.String,
            }
        )
    return con.sql(
        "SELECT name, change_id, created_at, who, note FROM snapshots "
        "ORDER BY change_id, created_at"
    ).pl()


def _as_time(text: str) -> datetime | None:
    """A record date (the end of that day) or time, in UTC; None when it is neither."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day + timedelta(days=1), datetime.min.time()) - timedelta(
            microseconds=1
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def resolve_wave(con: duckdb.DuckDBPyConnection, spec: str) -> Wave:
    """The wave ``spec`` names: a snapshot, ``now``, ``#ID`` or a record date/time.

    Raises
    ------
    HistoryError
        Nothing of that name, no change log yet, or a time before the change log began.
    """
    text = spec.strip()
    if not has_history(con):
        raise HistoryError(
            "this database has no change log yet: it begins with the next import, merge or "
            "deletion (or `ecograph snapshot create NAME`)"
        )
    rows = run(con, "SELECT change_id, created_at FROM snapshots WHERE name = ?", [text])
    if rows:
        return Wave(text, int(rows[0][0]), f"snapshot '{text}' (change #{rows[0][0]})", rows[0][1])
    last = run(con, "SELECT max(change_id), max(recorded_at) FROM changes")[0]
    if text.lower() == "now":
        return Wave(text, int(last[0] or 0), f"now (change #{last[0] or 0})", last[1])
    found = _CHANGE.fullmatch(text)
    if found:
        change_id = int(found.group(1))
        at = run(con, "SELECT recorded_at FROM changes WHERE change_id = ?", [change_id])
        if not at:
            raise HistoryError(f"no change #{change_id}: `ecograph history` lists them")
        return Wave(text, change_id, f"change #{change_id}", at[0][0])
    moment = _as_time(text)
    if moment is None:
        names = [r[0] for r in run(con, "SELECT name FROM snapshots ORDER BY change_id")]
        known = f" (snapshots: {', '.join(names)})" if names else " (there are no snapshots yet)"
        raise HistoryError(
            f"no snapshot '{text}'{known}; give a snapshot name, now, #CHANGE_ID or a date "
            "YYYY-MM-DD"
        )
    firsts = run(con, "SELECT change_id, kind, recorded_at FROM changes ORDER BY change_id LIMIT 1")
    if not firsts:
        return Wave(text, 0, f"{text} (before the first change: no data)", None)
    first = firsts[0]
    before = run(
        con,
        "SELECT max(change_id), max(recorded_at) FROM changes WHERE recorded_at <= ?",
        [moment],
    )[0]
    if before[0] is None:
        if first[1] == "baseline":
            raise HistoryError(
                f"the change log begins on {first[2]:%Y-%m-%d %H:%M} UTC: what the data held "
                f"before then was not recorded"
            )
        return Wave(text, 0, f"{text} (before the first change: no data)", None)
    return Wave(text, int(before[0]), f"as recorded on {text} (change #{before[0]})", before[1])
