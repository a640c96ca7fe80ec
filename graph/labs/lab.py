"""Creating a learning lab: the activity and its source in the database, the join code in the
queue, and the join link participants open.

A lab is an activity of kind ``learning_lab`` (an existing one, such as the seed's "Lärlabb 2",
or a new one) with a source that every approved tie will name: "Lärlabb 2, 2026-12-10:
participants' statements". The host, when given, is the activity's lead. The lab's participants
are deliberately not written as participations: the ``collaborations`` view ties every pair of
an activity's participants, and a room of 30 is not 435 collaborations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from graph.errors import UsageError
from graph.formats.ingest import import_frames
from graph.formats.rawdata import slugify
from graph.i18n import N_, translator
from graph.labs.queue import Lab, new_code, refresh_directory, register_lab
from graph.store.database import read_table, run

__all__ = ["TEXTS", "CreatedLab", "create_lab", "join_url", "lab_source_title", "sync_directory"]

# The source's title and notes are written into the database in the language of whoever
# creates the lab (the team's working language); the errors speak the language in force.
TEXTS = {
    "source_title": N_("{name}, {date}: participants' statements"),
    "source_note": N_(
        "Ties stated by the participants of the learning lab on their phones (join code {code}) "
        "and approved by the lab's moderator. Statements of the organisations, not verified "
        "against other sources."
    ),
    "activity_note": N_("Learning lab held on {date}."),
    "areas_note": N_("Strength areas: {areas}."),
    "no_name": N_("a lab needs a name (--name)"),
    "unknown_area": N_("strength area '{area}' is not in the database (see strength_areas)"),
    "unknown_host": N_("host '{host}' is not a known actor id"),
    "unknown_activity": N_("activity '{activity}' is not in the database"),
    "not_a_lab": N_("activity '{activity}' is a {kind}, not a learning_lab"),
}


def _say(key: str, **values: object) -> str:
    return translator().gettext(TEXTS[key]).format(**values)


@dataclass(frozen=True)
class CreatedLab:
    lab: Lab
    join_url: str


def join_url(base_url: str, code: str) -> str:
    """The link participants open: ``{base_url}/lab/{code}``."""
    return f"{base_url.rstrip('/')}/lab/{code}"


def lab_source_title(name: str, lab_date: str, lang: str | None = None) -> str:
    """The title of the lab's source ("Lärlabb 2, 2026-12-10: participants' statements"), in
    ``lang`` (None: the language in force)."""
    return translator(lang).gettext(TEXTS["source_title"]).format(name=name, date=lab_date)


def sync_directory(con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection) -> int:
    """Copy the database's actors and aliases into the queue's type-ahead directory."""
    return refresh_directory(queue, read_table(con, "actors"), read_table(con, "actor_aliases"))


def create_lab(
    con: duckdb.DuckDBPyConnection,
    queue: sqlite3.Connection,
    *,
    name: str,
    lab_date: date,
    base_url: str,
    areas: Sequence[str] = (),
    host: str | None = None,
    activity_id: str | None = None,
) -> CreatedLab:
    """Create a lab: its activity (unless ``activity_id`` names an existing learning lab), its
    source, the host as lead, and a join code. One import transaction in DuckDB, then the code
    in the queue (a lab whose queue row failed is created again by running the command again:
    the activity is then found and kept)."""
    name = " ".join(name.split())
    if not name:
        raise UsageError(_say("no_name"))
    known_areas = {r[0] for r in run(con, "SELECT area_id FROM strength_areas")}
    for area in areas:
        if area not in known_areas:
            raise UsageError(_say("unknown_area", area=area))
    if host and not run(con, "SELECT 1 FROM actors WHERE actor_id = ?", [host]):
        raise UsageError(_say("unknown_host", host=host))
    existing = None
    if activity_id:
        rows = run(
            con, "SELECT CAST(kind AS VARCHAR) FROM activities WHERE activity_id = ?", [activity_id]
        )
        if not rows:
            raise UsageError(_say("unknown_activity", activity=activity_id))
        if rows[0][0] != "learning_lab":
            raise UsageError(_say("not_a_lab", activity=activity_id, kind=rows[0][0]))
        existing = activity_id
    code = new_code(queue)
    activity = existing or f"lab-{slugify(name)}-{lab_date.isoformat()}"
    source_id = f"lab-{slugify(name)}-{lab_date.isoformat()}-statements"
    day = lab_date.isoformat()
    tables: dict[str, pl.DataFrame] = {
        "sources": pl.DataFrame(
            {
                "source_id": [source_id],
                "title": [lab_source_title(name, day)],
                "published": [day],
                "note": [_say("source_note", code=code)],
            }
        )
    }
    if existing is None:
        note = _say("activity_note", date=day)
        if areas:
            note += " " + _say("areas_note", areas=", ".join(areas))
        tables["activities"] = pl.DataFrame(
            {
                "activity_id": [activity],
                "name": [name],
                "kind": ["learning_lab"],
                "start_date": [day],
                "end_date": [day],
                "description": [note],
                "source_id": [source_id],
            }
        )
    if host:
        tables["participations"] = pl.DataFrame(
            {
                "activity_id": [activity],
                "actor_id": [host],
                "role": ["lead"],
                "source_id": [source_id],
            }
        )
    import_frames(con, tables, label="lab")
    lab = register_lab(
        queue,
        code=code,
        activity_id=activity,
        name=name,
        lab_date=day,
        source_id=source_id,
        areas=areas,
    )
    sync_directory(con, queue)
    return CreatedLab(lab, join_url(base_url, code))
