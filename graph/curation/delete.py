"""Deleting actors: an actor entered by mistake, or one that asked to be left out of the map.

An actor is deleted with everything that names it — its participations, its relations, its
strength areas, its aliases and the review-list pairs it is part of — in one transaction that is
checked for dangling references before it commits. Activities stay (they are facts about a
project, not about the actor), as do sources. Analysis results are keyed by a hash of the data,
so the next analysis recomputes them without the actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from graph.curation.merge import ActorNotFoundError
from graph.errors import UsageError
from graph.history.log import recording_change
from graph.history.what import describe
from graph.i18n import N_, NP_, translator
from graph.store.database import require_integrity, run, touch_data_version

__all__ = ["DeleteReport", "delete_actors"]

# table → the condition that a row names one of the actors (bound as the list ``$1``)
_NAMING = {
    "participations": "actor_id = ANY($1)",
    "relations": "from_actor = ANY($1) OR to_actor = ANY($1)",
    "actor_areas": "actor_id = ANY($1)",
    "actor_aliases": "actor_id = ANY($1)",
    "wanted_ties": "from_actor = ANY($1) OR to_actor = ANY($1)",
    "match_candidates": "incoming_id = ANY($1) OR candidate_id = ANY($1)",
    "actors": "actor_id = ANY($1)",
}


TEXTS = {
    "none": N_("none"),
    "no_ids": N_("name at least one actor id to delete"),
    "no_actor": N_(
        "no actor '{id}' (nothing was deleted; actor ids are in "
        '`ecograph query "SELECT actor_id, name FROM actors"`)'
    ),
}
PLURALS = {
    "deleted": NP_(
        "deleted {n} actor(s) ({names}); rows removed with them: {rows}",
        "deleted {n} actor(s) ({names}); rows removed with them: {rows}",
    ),
}


@dataclass(frozen=True)
class DeleteReport:
    """How many rows of each table a deletion removed."""

    actors: tuple[str, ...]
    removed: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(
            f"{table} {n}" for table, n in self.removed.items() if n and table != "actors"
        )
        names = ", ".join(self.actors)
        t = translator()
        n = len(self.actors)
        return t.ngettext(*PLURALS["deleted"], n).format(
            n=t.number(n), names=names, rows=parts or t.gettext(TEXTS["none"])
        )


def delete_actors(con: duckdb.DuckDBPyConnection, actor_ids: Sequence[str]) -> DeleteReport:
    """Delete actors and every row that names them, in one transaction.

    Raises
    ------
    UsageError
        No actor id was given.
    ActorNotFoundError
        An id is not an actor (then nothing is deleted).
    """
    ids = list(dict.fromkeys(actor_ids))
    if not ids:
        raise UsageError(translator().gettext(TEXTS["no_ids"]))
    removed: dict[str, int] = {}
    with recording_change(con, "delete", describe("delete", ids=", ".join(ids))):
        known = {
            r[0] for r in run(con, "SELECT actor_id FROM actors WHERE actor_id = ANY($1)", [ids])
        }
        missing = [i for i in ids if i not in known]
        if missing:
            raise ActorNotFoundError(translator().gettext(TEXTS["no_actor"]).format(id=missing[0]))
        for table, naming in _NAMING.items():
            # DuckDB answers a DELETE with the number of rows it deleted
            removed[table] = int(run(con, f"DELETE FROM {table} WHERE {naming}", [ids])[0][0])
        require_integrity(con, "deletion")
        touch_data_version(con)
    return DeleteReport(tuple(ids), removed)
