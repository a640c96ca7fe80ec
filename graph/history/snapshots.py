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

from graph.history.log import HistoryError, catch_up, current_who, has_history, has_table, say
from graph.i18n import N_
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


TEXTS = {
    "no_name": N_("give the snapshot a name, e.g. 'review 2026 H2'"),
    "reads_as_date": N_(
        "'{name}' reads as a date or change id: name a snapshot with words, e.g. 'review 2026 H2'"
    ),
    "taken": N_("there is a snapshot '{name}' already: choose another name"),
    "snapshot_label": N_("snapshot '{name}' (change #{id})"),
    "no_log": N_(
        "this database has no change log yet: it begins with the next import, merge or "
        "deletion (or `ecograph snapshot create NAME`)"
    ),
    "now_label": N_("now (change #{id})"),
    "no_change": N_("no change #{id}: `ecograph history` lists them"),
    "change_label": N_("change #{id}"),
    "known": N_(" (snapshots: {names})"),
    "no_snapshots": N_(" (there are no snapshots yet)"),
    "no_snapshot": N_(
        "no snapshot '{text}'{known}; give a snapshot name, now, #CHANGE_ID or a date YYYY-MM-DD"
    ),
    "before_first": N_("{text} (before the first change: no data)"),
    "log_begins": N_(
        "the change log begins on {when} UTC: what the data held before then was not recorded"
    ),
    "as_recorded": N_("as recorded on {text} (change #{id})"),
}


def create_snapshot(con: duckdb.DuckDBPyConnection, name: str, note: str | None = None) -> Wave:
    """Name the data as recorded now ``name`` (e.g. "review 2026 H2").

    Raises
    ------
    HistoryError
        The name is empty, looks like a date or change id, or is taken.
    """
    name = name.strip()
    if not name:
        raise HistoryError(say(TEXTS, "no_name"))
    if _CHANGE.fullmatch(name) or name.lower() == "now" or _as_time(name) is not None:
        raise HistoryError(say(TEXTS, "reads_as_date", name=name))
    catch_up(con)
    with transaction(con):
        if run(con, "SELECT count(*) FROM snapshots WHERE name = ?", [name])[0][0]:
            raise HistoryError(say(TEXTS, "taken", name=name))
        change_id = int(run(con, "SELECT coalesce(max(change_id), 0) FROM changes")[0][0])
        now = datetime.now(UTC).replace(tzinfo=None)
        run(
            con,
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)",
            [name, change_id, now, current_who(), note],
        )
    return Wave(name, change_id, say(TEXTS, "snapshot_label", name=name, id=change_id), now)


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
        raise HistoryError(say(TEXTS, "no_log"))
    rows = run(con, "SELECT change_id, created_at FROM snapshots WHERE name = ?", [text])
    if rows:
        label = say(TEXTS, "snapshot_label", name=text, id=rows[0][0])
        return Wave(text, int(rows[0][0]), label, rows[0][1])
    last = run(con, "SELECT max(change_id), max(recorded_at) FROM changes")[0]
    if text.lower() == "now":
        return Wave(text, int(last[0] or 0), say(TEXTS, "now_label", id=last[0] or 0), last[1])
    found = _CHANGE.fullmatch(text)
    if found:
        change_id = int(found.group(1))
        at = run(con, "SELECT recorded_at FROM changes WHERE change_id = ?", [change_id])
        if not at:
            raise HistoryError(say(TEXTS, "no_change", id=change_id))
        return Wave(text, change_id, say(TEXTS, "change_label", id=change_id), at[0][0])
    moment = _as_time(text)
    if moment is None:
        names = [r[0] for r in run(con, "SELECT name FROM snapshots ORDER BY change_id")]
        known = say(TEXTS, "known", names=", ".join(names)) if names else ""
        raise HistoryError(
            say(TEXTS, "no_snapshot", text=text, known=known or say(TEXTS, "no_snapshots"))
        )
    firsts = run(con, "SELECT change_id, kind, recorded_at FROM changes ORDER BY change_id LIMIT 1")
    if not firsts:
        return Wave(text, 0, say(TEXTS, "before_first", text=text), None)
    first = firsts[0]
    before = run(
        con,
        "SELECT max(change_id), max(recorded_at) FROM changes WHERE recorded_at <= ?",
        [moment],
    )[0]
    if before[0] is None:
        if first[1] == "baseline":
            raise HistoryError(say(TEXTS, "log_begins", when=f"{first[2]:%Y-%m-%d %H:%M}"))
        return Wave(text, 0, say(TEXTS, "before_first", text=text), None)
    label = say(TEXTS, "as_recorded", text=text, id=before[0])
    return Wave(text, int(before[0]), label, before[1])
