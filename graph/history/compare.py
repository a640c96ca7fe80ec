"""What changed between two waves: actors and ties added and removed, ties changed.

A tie is one row of ``collaborations`` and is known by its two actors, its kind and its
activity (``actor_a, actor_b, kind, activity_id``); the same tie with other dates or weight is
*changed*. The frames come from the caller (the data as recorded at each wave, already
filtered), so the lists obey whatever filter is in force.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import polars as pl

from graph.history.travel import wave_select

__all__ = [
    "TIE_KEY",
    "Affected",
    "WaveDiff",
    "affected_between",
    "diff_waves",
    "only_affected_ties",
]

TIE_KEY = ("actor_a", "actor_b", "kind", "activity_id")
_TIE_DETAIL = ("start_date", "end_date", "weight")


@dataclass(frozen=True)
class WaveDiff:
    """Sorted lists of what differs between wave A (before) and wave B (after)."""

    actors_added: list[str]
    actors_removed: list[str]
    ties_added: pl.DataFrame  # TIE_KEY columns (+ the tie's other columns in B)
    ties_removed: pl.DataFrame  # TIE_KEY columns (+ the tie's other columns in A)
    ties_changed: pl.DataFrame  # TIE_KEY + the details before (_before) and after

    @property
    def empty(self) -> bool:
        return not (
            self.actors_added
            or self.actors_removed
            or self.ties_added.height
            or self.ties_removed.height
            or self.ties_changed.height
        )


def _sorted_ids(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["actor_id"].to_list())


def diff_waves(
    actors_a: pl.DataFrame,
    actors_b: pl.DataFrame,
    ties_a: pl.DataFrame,
    ties_b: pl.DataFrame,
) -> WaveDiff:
    """Compare two waves' actors (``actor_id``) and ties (``TIE_KEY`` columns, and optionally
    start_date, end_date, weight).

    Ties are compared on their key; a key that occurs more than once in a wave (two relations
    of one kind between the same actors) counts once, with its earliest start and latest end.

    Examples
    --------
    >>> a = pl.DataFrame({"actor_id": ["x", "y"]})
    >>> b = pl.DataFrame({"actor_id": ["y", "z"]})
    >>> t = pl.DataFrame(schema={k: pl.String for k in TIE_KEY})
    >>> d = diff_waves(a, b, t, t)
    >>> d.actors_added, d.actors_removed
    (['z'], ['x'])
    """
    detail = [c for c in _TIE_DETAIL if c in ties_a.columns and c in ties_b.columns]
    aggs = {
        "start_date": "min(start_date) AS start_date",
        # an open-ended tie keeps the key open: no end date
        "end_date": "CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END "
        "AS end_date",
        "weight": "sum(weight) AS weight",
    }
    # a relation has no activity: '' stands for it while joining (no activity id is empty), so
    # the joins are plain equality joins
    key = "actor_a, actor_b, kind, coalesce(activity_id, '') AS activity_id"
    select = ", ".join([key, *(aggs[c] for c in detail)])
    on = " AND ".join(f"x.{k} = y.{k}" for k in TIE_KEY)
    out = ", ".join([*(f"x.{k}" for k in TIE_KEY[:3]), "nullif(x.activity_id, '') AS activity_id"])
    order = " ORDER BY actor_a, actor_b, kind, activity_id NULLS FIRST"
    # DuckDB does the grouping and the set differences (a few million ties: seconds)
    con = duckdb.connect()
    try:
        con.register("ties_a", ties_a.select([*TIE_KEY, *detail]))
        con.register("ties_b", ties_b.select([*TIE_KEY, *detail]))
        con.execute(f"CREATE TEMP TABLE a AS SELECT {select} FROM ties_a GROUP BY ALL")
        con.execute(f"CREATE TEMP TABLE b AS SELECT {select} FROM ties_b GROUP BY ALL")
        rest = "".join(f", x.{c}" for c in detail)
        added = con.sql(f"SELECT {out}{rest} FROM b AS x ANTI JOIN a AS y ON {on}{order}").pl()
        removed = con.sql(f"SELECT {out}{rest} FROM a AS x ANTI JOIN b AS y ON {on}{order}").pl()
        if detail:
            before = ", ".join(f"x.{c} AS {c}_before" for c in detail)
            after = ", ".join(f"y.{c} AS {c}" for c in detail)
            differs = " OR ".join(f"x.{c} IS DISTINCT FROM y.{c}" for c in detail)
            changed = con.sql(
                f"SELECT {out}, {before}, {after} FROM a AS x JOIN b AS y ON {on} "
                f"WHERE {differs}{order}"
            ).pl()
        else:
            changed = added.head(0)
    finally:
        con.close()
    ids_a = set(actors_a["actor_id"].to_list())
    ids_b = set(actors_b["actor_id"].to_list())
    return WaveDiff(
        actors_added=sorted(ids_b - ids_a),
        actors_removed=sorted(ids_a - ids_b),
        ties_added=added,
        ties_removed=removed,
        ties_changed=changed,
    )


@dataclass(frozen=True)
class Affected:
    """What changed between two change ids, as far as ties can tell: the actor pairs of every
    relation version written or retired in between, and the activities whose row or
    participations changed. ``everything`` when a source was changed or removed (a source
    decides whether ties are synthetic), so no tie can be assumed unchanged."""

    pairs: pl.DataFrame  # actor_a, actor_b (actor_a < actor_b)
    activities: list[str]
    everything: bool


def affected_between(con: duckdb.DuckDBPyConnection, a: int, b: int) -> Affected:
    """The relation pairs and activities touched by the changes after ``min(a, b)`` up to
    ``max(a, b)`` (row versions written or retired by them)."""
    lo, hi = sorted((int(a), int(b)))
    touched = (
        f"((valid_from > {lo} AND valid_from <= {hi}) OR (valid_to > {lo} AND valid_to <= {hi}))"
    )
    pairs = con.sql(
        "SELECT DISTINCT least(from_actor, to_actor) AS actor_a, "
        f"greatest(from_actor, to_actor) AS actor_b FROM relations_versions WHERE {touched}"
    ).pl()
    activities = [
        r[0]
        for r in con.execute(
            f"SELECT activity_id FROM participations_versions WHERE {touched} UNION "
            f"SELECT activity_id FROM activities_versions WHERE {touched}"
        ).fetchall()
    ]
    retired = con.execute(
        f"SELECT count(*) FROM sources_versions WHERE valid_to > {lo} AND valid_to <= {hi}"
    ).fetchall()[0][0]
    return Affected(pairs, activities, bool(retired))


@contextmanager
def only_affected_ties(
    con: duckdb.DuckDBPyConnection, change_id: int, affected: Affected, actors: list[str]
) -> Iterator[None]:
    """Inside ``time_travel(con, change_id)``: narrow ``relations`` and ``participations`` to
    the rows whose ties can differ between the two waves of ``affected`` — relations of an
    affected pair or touching one of ``actors`` (whose place in the filter differs between the
    waves), participations in an affected activity or in one with such an actor. Every other
    tie rests on rows neither wave changed, so it is the same in both and drops out of a diff;
    ``collaborations`` then reads thousands of rows instead of millions."""
    if affected.everything:
        yield
        return
    con.register("_affected_pairs", affected.pairs)
    con.register(
        "_affected_activities",
        pl.DataFrame({"activity_id": affected.activities}, schema={"activity_id": pl.String}),
    )
    con.register(
        "_affected_actors", pl.DataFrame({"actor_id": actors}, schema={"actor_id": pl.String})
    )
    narrow = {
        "relations": (
            "(least(from_actor, to_actor), greatest(from_actor, to_actor)) IN "
            "(SELECT (actor_a, actor_b) FROM _affected_pairs) "
            "OR from_actor IN (SELECT actor_id FROM _affected_actors) "
            "OR to_actor IN (SELECT actor_id FROM _affected_actors)"
        ),
        "participations": (
            "activity_id IN (SELECT activity_id FROM _affected_activities) OR activity_id IN "
            f"(SELECT p.activity_id FROM main.participations_versions AS p "
            f"WHERE p.valid_from <= {int(change_id)} AND (p.valid_to IS NULL OR p.valid_to > "
            f"{int(change_id)}) AND p.actor_id IN (SELECT actor_id FROM _affected_actors))"
        ),
    }
    try:
        for table, where in narrow.items():
            sql = wave_select(con, table, change_id, where)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {sql}").fetchall()
        yield
    finally:
        for table in narrow:
            plain = wave_select(con, table, change_id)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {plain}").fetchall()
        for name in ("_affected_pairs", "_affected_activities", "_affected_actors"):
            con.unregister(name)
