"""What changed between two waves: actors and ties added and removed, ties changed.

A tie is one row of ``collaborations`` and is known by its two actors, its kind and its
activity (``actor_a, actor_b, kind, activity_id``); the same tie with other dates or weight is
*changed*. The frames come from the caller (the data as recorded at each wave, already
filtered), so the lists obey whatever filter is in force.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = ["TIE_KEY", "WaveDiff", "diff_waves"]

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
    key = list(TIE_KEY)

    def one_per_key(ties: pl.DataFrame) -> pl.DataFrame:
        detail = [c for c in _TIE_DETAIL if c in ties.columns]
        aggs = []
        if "start_date" in detail:
            aggs.append(pl.col("start_date").min())
        if "end_date" in detail:
            aggs.append(
                pl.when(pl.col("end_date").is_null().any())
                .then(None)
                .otherwise(pl.col("end_date").max())
                .alias("end_date")
            )
        if "weight" in detail:
            aggs.append(pl.col("weight").sum())
        if not aggs:
            return ties.select(key).unique()
        return ties.group_by(key).agg(aggs)

    a = one_per_key(ties_a)
    b = one_per_key(ties_b)
    added = b.join(a.select(key), on=key, how="anti", nulls_equal=True).sort(key)
    removed = a.join(b.select(key), on=key, how="anti", nulls_equal=True).sort(key)
    detail = [c for c in _TIE_DETAIL if c in a.columns and c in b.columns]
    if detail:
        both = a.join(b, on=key, how="inner", nulls_equal=True, suffix="_after")
        differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_after")) for c in detail])
        changed = (
            both.filter(differs)
            .rename({c: f"{c}_before" for c in detail})
            .rename({f"{c}_after": c for c in detail})
            .sort(key)
        )
    else:
        changed = a.head(0)
    ids_a = set(actors_a["actor_id"].to_list())
    ids_b = set(actors_b["actor_id"].to_list())
    return WaveDiff(
        actors_added=sorted(ids_b - ids_a),
        actors_removed=sorted(ids_a - ids_b),
        ties_added=added,
        ties_removed=removed,
        ties_changed=changed,
    )
