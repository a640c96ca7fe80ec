"""Review of possible duplicate actors: the pending matches an import was unsure of, merging two
actors into one, and dismissing a pair as two different actors.

Imports record the uncertain matches in ``match_candidates`` (``graph.curation.matching``); a
person looks
at them (``ecograph actors review``) and settles each one with ``merge_actors`` or
``dismiss_candidate``. A merge happens in one transaction that is checked for dangling
references before it commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from graph.errors import UsageError
from graph.history.log import recording_change
from graph.history.what import describe
from graph.i18n import N_, translator
from graph.store.database import require_integrity, run, touch_data_version
from graph.store.tables import ROLE_PRIORITY

__all__ = [
    "ActorNotFoundError",
    "CandidateNotFoundError",
    "MergeReport",
    "dismiss_candidate",
    "merge_actors",
    "pending_candidates",
]


class ActorNotFoundError(UsageError):
    """A merge named an actor id the database does not hold."""


class CandidateNotFoundError(UsageError):
    """A dismissal named a pair that is not on the review list."""


TEXTS = {
    "merged": N_(
        "merged {other} into {keep}: {participations} participations moved ({combined} "
        "combined with {keep}'s own), {relations} relations moved ({dropped} dropped: a tie "
        "between the two, or one {keep} already had), {areas} strength areas, {aliases} "
        "aliases added"
    ),
    "no_candidate": N_(
        "no pending match of '{incoming}' with '{candidate}': `ecograph actors review` lists them"
    ),
    "itself": N_("'{id}' cannot be merged into itself"),
    "no_actor": N_(
        "no actor '{id}' (ids are in `ecograph query \"SELECT actor_id, name FROM actors\"` "
        "and in `ecograph actors review`)"
    ),
}


@dataclass(frozen=True)
class MergeReport:
    """What a merge moved from the merged-away actor to the one kept."""

    keep: str
    other: str
    participations_moved: int
    participations_combined: int
    relations_moved: int
    relations_dropped: int
    areas_moved: int
    aliases_added: int

    def summary(self) -> str:
        t = translator()
        return t.gettext(TEXTS["merged"]).format(
            other=self.other,
            keep=self.keep,
            participations=t.number(self.participations_moved),
            combined=t.number(self.participations_combined),
            relations=t.number(self.relations_moved),
            dropped=t.number(self.relations_dropped),
            areas=t.number(self.areas_moved),
            aliases=t.number(self.aliases_added),
        )


def pending_candidates(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The uncertain matches still to decide, best first, with both actors' kind and region.

    A pair whose actors no longer both exist (merged, replaced) is left out.
    """
    return con.sql(
        """
        SELECT c.incoming_id, c.incoming_name, CAST(i.kind AS VARCHAR) AS incoming_kind,
               i.region AS incoming_region, c.candidate_id, c.candidate_name,
               CAST(k.kind AS VARCHAR) AS candidate_kind, k.region AS candidate_region,
               c.score, c.reason, c.source_id
        FROM match_candidates AS c
        JOIN actors AS i ON i.actor_id = c.incoming_id
        JOIN actors AS k ON k.actor_id = c.candidate_id
        WHERE c.status = 'pending'
        ORDER BY c.score DESC, c.incoming_id, c.candidate_id
        """
    ).pl()


def dismiss_candidate(con: duckdb.DuckDBPyConnection, incoming_id: str, candidate_id: str) -> None:
    """Mark a pending pair as two different actors; it stays recorded, so it is not proposed
    again."""
    with recording_change(
        con, "dismiss", describe("dismiss", incoming=incoming_id, candidate=candidate_id)
    ):
        found = run(
            con,
            "SELECT count(*) FROM match_candidates WHERE incoming_id = ? AND candidate_id = ? "
            "AND status = 'pending'",
            [incoming_id, candidate_id],
        )[0][0]
        if not found:
            raise CandidateNotFoundError(
                translator()
                .gettext(TEXTS["no_candidate"])
                .format(incoming=incoming_id, candidate=candidate_id)
            )
        run(
            con,
            "UPDATE match_candidates SET status = 'dismissed' "
            "WHERE incoming_id = ? AND candidate_id = ?",
            [incoming_id, candidate_id],
        )
        touch_data_version(con)


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[str]) -> int:
    return int(run(con, sql, params)[0][0])


def _merge_participations(con: duckdb.DuckDBPyConnection, keep: str, other: str) -> tuple[int, int]:
    """Move OTHER's participations to KEEP; where KEEP takes part in the same activity the two
    become one (the stronger role of ``ROLE_PRIORITY``, contributions summed)."""
    priority = list(ROLE_PRIORITY)
    combined = _count(
        con,
        "SELECT count(*) FROM participations AS o JOIN participations AS k "
        "ON k.activity_id = o.activity_id AND k.actor_id = ? WHERE o.actor_id = ?",
        [keep, other],
    )
    run(
        con,
        "UPDATE participations AS k SET "
        "role = CASE WHEN list_position(?, CAST(o.role AS VARCHAR)) "
        "< list_position(?, CAST(k.role AS VARCHAR)) THEN o.role ELSE k.role END, "
        "contribution_sek = CASE WHEN k.contribution_sek IS NULL THEN o.contribution_sek "
        "WHEN o.contribution_sek IS NULL THEN k.contribution_sek "
        "ELSE k.contribution_sek + o.contribution_sek END "
        "FROM participations AS o "
        "WHERE k.actor_id = ? AND o.actor_id = ? AND o.activity_id = k.activity_id",
        [priority, priority, keep, other],
    )
    moved = _count(con, "SELECT count(*) FROM participations WHERE actor_id = ?", [other])
    run(
        con,
        "INSERT INTO participations (activity_id, actor_id, role, contribution_sek, source_id) "
        "SELECT activity_id, ?, role, contribution_sek, source_id FROM participations AS o "
        "WHERE o.actor_id = ? AND NOT EXISTS (SELECT 1 FROM participations AS k "
        "WHERE k.actor_id = ? AND k.activity_id = o.activity_id)",
        [keep, other, keep],
    )
    run(con, "DELETE FROM participations WHERE actor_id = ?", [other])
    return moved - combined, combined


# A relation of OTHER that, moved to KEEP, would repeat one KEEP has: same far end, kind,
# direction and dates. Parameters: keep, other, keep, keep, other, keep.
_DUPLICATE_TIE = """
    EXISTS (
        SELECT 1 FROM relations AS k
        WHERE (k.from_actor = ? OR k.to_actor = ?)
          AND k.kind = r.kind AND k.directed = r.directed
          AND k.start_date IS NOT DISTINCT FROM r.start_date
          AND k.end_date IS NOT DISTINCT FROM r.end_date
          AND (CASE WHEN k.from_actor = ? THEN k.to_actor ELSE k.from_actor END)
            = (CASE WHEN r.from_actor = ? THEN r.to_actor ELSE r.from_actor END)
          AND (NOT r.directed OR (k.from_actor = ?) = (r.from_actor = ?))
    )
"""


def _merge_relations(con: duckdb.DuckDBPyConnection, keep: str, other: str) -> tuple[int, int]:
    """Move OTHER's relations to KEEP, dropping ties between the two (they would be self-loops)
    and ties that would repeat one KEEP already has."""
    between = "(from_actor = ? AND to_actor = ?) OR (from_actor = ? AND to_actor = ?)"
    dropped = _count(
        con, f"SELECT count(*) FROM relations WHERE {between}", [keep, other, other, keep]
    )
    run(con, f"DELETE FROM relations WHERE {between}", [keep, other, other, keep])
    duplicate = _DUPLICATE_TIE
    dup_params = [keep, keep, keep, other, keep, other]
    mine = "(r.from_actor = ? OR r.to_actor = ?)"
    dropped += _count(
        con,
        f"SELECT count(*) FROM relations AS r WHERE {mine} AND {duplicate}",
        [other, other, *dup_params],
    )
    run(
        con,
        f"DELETE FROM relations AS r WHERE {mine} AND {duplicate}",
        [other, other, *dup_params],
    )
    moved = _count(
        con, "SELECT count(*) FROM relations WHERE from_actor = ? OR to_actor = ?", [other, other]
    )
    run(con, "UPDATE relations SET from_actor = ? WHERE from_actor = ?", [keep, other])
    run(con, "UPDATE relations SET to_actor = ? WHERE to_actor = ?", [keep, other])
    return moved, dropped


def merge_actors(con: duckdb.DuckDBPyConnection, keep: str, other: str) -> MergeReport:
    """Merge actor ``other`` into ``keep``: every tie, area and alias of ``other`` moves to
    ``keep``, ``other``'s name and id become aliases of ``keep``, and ``other`` is deleted.

    ``keep``'s row is not changed when it has a source (the source vouches for each column, see
    ``graph.curation.matching``); an unsourced ``keep`` gets its empty columns filled from ``other``
    (lat/lon as a pair). ``other``'s name and id are recorded with ``other``'s source. Ties
    between the two are dropped (they would join ``keep`` to itself), a tie ``keep`` already has
    is not repeated, and two participations in one activity become one (stronger role,
    contributions summed). Review-list pairs that name ``other`` are settled. One transaction,
    checked for dangling references before it commits.

    Raises
    ------
    ActorNotFoundError
        Either id is not an actor.
    UsageError
        Both ids are the same actor.
    """
    if keep == other:
        raise UsageError(translator().gettext(TEXTS["itself"]).format(id=keep))
    with recording_change(con, "merge", describe("merge", other=other, keep=keep)):
        rows = dict(
            run(
                con,
                "SELECT actor_id, name FROM actors WHERE actor_id IN (?, ?)",
                [keep, other],
            )
        )
        for actor in (keep, other):
            if actor not in rows:
                raise ActorNotFoundError(translator().gettext(TEXTS["no_actor"]).format(id=actor))
        moved, combined = _merge_participations(con, keep, other)
        rel_moved, rel_dropped = _merge_relations(con, keep, other)
        areas = _count(
            con,
            "SELECT count(*) FROM actor_areas AS o WHERE o.actor_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM actor_areas AS k WHERE k.actor_id = ? AND k.area_id = o.area_id)",
            [other, keep],
        )
        run(
            con,
            "INSERT INTO actor_areas (actor_id, area_id, source_id) "
            "SELECT ?, area_id, source_id FROM actor_areas WHERE actor_id = ? "
            "ON CONFLICT DO NOTHING",
            [keep, other],
        )
        aliases_before = _count(
            con, "SELECT count(*) FROM actor_aliases WHERE actor_id = ?", [keep]
        )
        run(
            con,
            "INSERT INTO actor_aliases (actor_id, alias, source_id) "
            "SELECT ?, alias, source_id FROM actor_aliases WHERE actor_id = ? "
            "UNION ALL SELECT ?, name, source_id FROM actors WHERE actor_id = ? AND name <> ? "
            "UNION ALL SELECT ?, actor_id, source_id FROM actors WHERE actor_id = ? "
            "ON CONFLICT DO NOTHING",
            [keep, other, keep, other, rows[keep], keep, other],
        )
        aliases_added = (
            _count(con, "SELECT count(*) FROM actor_aliases WHERE actor_id = ?", [keep])
            - aliases_before
        )
        run(
            con,
            "UPDATE actors AS k SET "
            "helix = coalesce(k.helix, o.helix), "
            "municipality = coalesce(k.municipality, o.municipality), "
            "region = coalesce(k.region, o.region), "
            "lat = CASE WHEN k.lat IS NULL AND k.lon IS NULL THEN o.lat ELSE k.lat END, "
            "lon = CASE WHEN k.lat IS NULL AND k.lon IS NULL THEN o.lon ELSE k.lon END, "
            "website = coalesce(k.website, o.website), "
            "description = coalesce(k.description, o.description) "
            "FROM actors AS o, sources AS s "
            "WHERE k.actor_id = ? AND o.actor_id = ? AND s.source_id = k.source_id AND s.auto",
            [keep, other],
        )
        # a wanted tie between the two would join KEEP to itself: it is no longer wanted
        run(
            con,
            "DELETE FROM wanted_ties WHERE (from_actor = ? AND to_actor = ?) "
            "OR (from_actor = ? AND to_actor = ?)",
            [keep, other, other, keep],
        )
        run(con, "UPDATE wanted_ties SET from_actor = ? WHERE from_actor = ?", [keep, other])
        run(con, "UPDATE wanted_ties SET to_actor = ? WHERE to_actor = ?", [keep, other])
        for table in ("actor_areas", "actor_aliases"):
            run(con, f"DELETE FROM {table} WHERE actor_id = ?", [other])
        run(con, "DELETE FROM actors WHERE actor_id = ?", [other])
        run(
            con,
            "DELETE FROM match_candidates WHERE incoming_id = ? OR candidate_id = ?",
            [other, other],
        )
        require_integrity(con, "merge")
        touch_data_version(con)
    return MergeReport(keep, other, moved, combined, rel_moved, rel_dropped, areas, aliases_added)
