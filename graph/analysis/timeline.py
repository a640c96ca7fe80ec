"""Time: the network year by year, and the ties that lapse when activities end.

A tie counts in a year when its dates overlap that year; a tie without dates counts in every
year (most hand-collected ties have none), as in ``GraphFilter``. A tie that rests on an
activity carries the activity's dates (the ``collaborations`` view), so when a project ends its
partners lose that tie; ``at_risk_ties`` says which pairs are then left with no other tie.

Everything is done on polars frames (one row per tie and year); only the component count of each
year's network goes through ``scipy.sparse.csgraph``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from graph.errors import UsageError
from graph.i18n import N_, translator

__all__ = ["at_risk_ties", "ended_activities", "network_by_year"]

TEXTS = {
    "window": N_("months_back and months_ahead must be 0 or more, not {back} and {ahead}"),
}

_BY_YEAR_SCHEMA = {
    "year": pl.Int64,
    "actors_active": pl.Int64,
    "ties": pl.Int64,
    "tie_rows": pl.Int64,
    "density": pl.Float64,
    "components": pl.Int64,
    "largest_component_share": pl.Float64,
    "mean_degree": pl.Float64,
    "new_pairs": pl.Int64,
    "ended_pairs": pl.Int64,
}


def _pairs(ties: pl.DataFrame) -> pl.DataFrame:
    """``ties`` with each pair written one way (``actor_a < actor_b``) and typed columns.

    The casts matter for frames built by hand: an empty or all-null column arrives untyped.
    """
    a, b = pl.col("actor_a").cast(pl.String), pl.col("actor_b").cast(pl.String)
    typed = [pl.col(c).cast(pl.String) for c in ("kind", "activity_id") if c in ties.columns]
    return ties.with_columns(
        *typed,
        pl.when(a <= b).then(a).otherwise(b).alias("actor_a"),
        pl.when(a <= b).then(b).otherwise(a).alias("actor_b"),
        pl.col("start_date").cast(pl.Date),
        pl.col("end_date").cast(pl.Date),
    )


def _component_stats(a: np.ndarray, b: np.ndarray, n: int) -> tuple[int, int, int]:
    """Active actors, number of components and size of the largest, for one year's pairs given
    as integer codes ``a``, ``b`` of ``n`` actors."""
    if a.size == 0:
        return 0, 0, 0
    A = csr_matrix((np.ones(a.size, dtype=np.int8), (a, b)), shape=(n, n))
    count, labels = connected_components(A, directed=False)
    active = np.zeros(n, dtype=bool)
    active[a] = True
    active[b] = True
    n_active = int(active.sum())
    # every inactive actor is a component of its own in A; only active ones count
    sizes = np.bincount(labels[active])
    return n_active, int(count - (n - n_active)), int(sizes.max())


def network_by_year(actors: pl.DataFrame, ties: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    """The network of each year: its size, cohesion and how many pairs start and stop.

    Parameters
    ----------
    actors : pl.DataFrame
        The actors (``actor_id``); ties to actors not listed are ignored. Density is taken over
        all of them, active or not.
    ties : pl.DataFrame
        Tie rows as ``graph.analysis.network.load_ties`` returns them (``actor_a, actor_b,
        start_date,
        end_date``). A tie counts in each year its dates overlap; a missing start or end leaves
        it open on that side.
    years : sequence of int
        The years to report, in any order.

    Returns
    -------
    pl.DataFrame
        One row per year: ``year``, ``actors_active`` (actors with a tie that year), ``ties``
        (tied pairs), ``tie_rows``, ``density`` (pairs over all possible pairs of actors),
        ``components`` and ``largest_component_share`` (among active actors), ``mean_degree``
        (2 × pairs / active actors), ``new_pairs`` (tied this year, not the calendar year
        before) and ``ended_pairs`` (tied the year before, not this year).

    Examples
    --------
    >>> from datetime import date
    >>> import polars as pl
    >>> actors = pl.DataFrame({"actor_id": ["a", "b", "c"]})
    >>> ties = pl.DataFrame({"actor_a": ["a", "b"], "actor_b": ["b", "c"],
    ...     "start_date": [None, date(2023, 5, 1)], "end_date": [None, date(2023, 12, 31)]})
    >>> network_by_year(actors, ties, [2023, 2024])["ties"].to_list()
    [2, 1]
    """
    wanted = sorted({int(y) for y in years})
    if not wanted:
        return pl.DataFrame(schema=_BY_YEAR_SCHEMA)
    # one year earlier too, so that the first year's new and ended pairs are true ones
    first, last = wanted[0] - 1, wanted[-1]
    codes = actors.select(pl.col("actor_id").cast(pl.String)).with_row_index("code")
    n_actors = codes.height
    # actors as integer codes and pairs as one Int64 key: exploding a million ties over the
    # years and finding unique pairs is several times faster on integers than on strings
    spans = (
        _pairs(ties)
        .filter(pl.col("actor_a") != pl.col("actor_b"))
        .join(codes.rename({"actor_id": "actor_a", "code": "ca"}), on="actor_a")
        .join(codes.rename({"actor_id": "actor_b", "code": "cb"}), on="actor_b")
        .select(
            (pl.col("ca").cast(pl.Int64) * n_actors + pl.col("cb").cast(pl.Int64)).alias("pair"),
            pl.max_horizontal(pl.col("start_date").dt.year().fill_null(first), pl.lit(first))
            .cast(pl.Int64)
            .alias("from_year"),
            pl.min_horizontal(pl.col("end_date").dt.year().fill_null(last), pl.lit(last))
            .cast(pl.Int64)
            .alias("to_year"),
        )
        .filter(pl.col("from_year") <= pl.col("to_year"))
    )
    rows = (
        spans.with_columns(pl.int_ranges("from_year", pl.col("to_year") + 1).alias("year"))
        .explode("year")
        .select(pl.col("year").cast(pl.Int64), "pair")
    )
    tie_rows = rows.group_by("year").len("tie_rows")
    pairs = rows.unique()
    previous = pairs.with_columns(pl.col("year") + 1)
    new_pairs = pairs.join(previous, on=["year", "pair"], how="anti")
    ended_pairs = previous.join(pairs, on=["year", "pair"], how="anti")

    frame = (
        pl.DataFrame({"year": wanted}, schema={"year": pl.Int64})
        .join(tie_rows, on="year", how="left")
        .join(pairs.group_by("year").len("ties"), on="year", how="left")
        .join(new_pairs.group_by("year").len("new_pairs"), on="year", how="left")
        .join(ended_pairs.group_by("year").len("ended_pairs"), on="year", how="left")
        .with_columns(pl.col("tie_rows", "ties", "new_pairs", "ended_pairs").fill_null(0))
    )
    by_year = {
        int(y[0]): part["pair"].to_numpy()
        for y, part in pairs.partition_by("year", as_dict=True).items()
    }
    empty = np.zeros(0, dtype=np.int64)
    stats = [
        _component_stats(
            by_year.get(y, empty) // max(n_actors, 1),
            by_year.get(y, empty) % max(n_actors, 1),
            n_actors,
        )
        for y in wanted
    ]
    n = actors.height
    possible = n * (n - 1) / 2
    frame = frame.with_columns(
        pl.Series("actors_active", [s[0] for s in stats], dtype=pl.Int64),
        pl.Series("components", [s[1] for s in stats], dtype=pl.Int64),
        pl.Series(
            "largest_component_share",
            [s[2] / s[0] if s[0] else 0.0 for s in stats],
            dtype=pl.Float64,
        ),
    ).with_columns(
        (pl.col("ties") / possible if possible else pl.lit(0.0)).alias("density"),
        pl.when(pl.col("actors_active") > 0)
        .then(2 * pl.col("ties") / pl.col("actors_active"))
        .otherwise(0.0)
        .alias("mean_degree"),
    )
    return frame.select([pl.col(c).cast(t) for c, t in _BY_YEAR_SCHEMA.items()])


def _add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month (31 Jan + 1 month = 28/29 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _window(as_of: date, months_back: int, months_ahead: int) -> tuple[date, date]:
    if months_back < 0 or months_ahead < 0:
        message = translator().gettext(TEXTS["window"])
        raise UsageError(message.format(back=months_back, ahead=months_ahead))
    return _add_months(as_of, -months_back), _add_months(as_of, months_ahead)


def _status(as_of: date) -> pl.Expr:
    return (
        pl.when(pl.col("end_date") < as_of)
        .then(pl.lit("ended"))
        .otherwise(pl.lit("ending"))
        .alias("status")
    )


def ended_activities(
    activities: pl.DataFrame, as_of: date, months_back: int = 36, months_ahead: int = 12
) -> pl.DataFrame:
    """The activities that ended or will end around ``as_of``, for a report's headline.

    Parameters
    ----------
    activities : pl.DataFrame
        ``activity_id, name, end_date`` (as ``graph.store.database.read_table(con, "activities")``).
    as_of : date
        The reference day.
    months_back, months_ahead : int
        The window: end dates from ``as_of`` − ``months_back`` months to ``as_of`` +
        ``months_ahead`` months, both included.

    Returns
    -------
    pl.DataFrame
        ``activity_id, name, end_date, status`` ('ended' before ``as_of``, else 'ending'),
        sorted by end date and id.

    Examples
    --------
    >>> from datetime import date
    >>> import polars as pl
    >>> acts = pl.DataFrame({"activity_id": ["p"], "name": ["Projekt"],
    ...     "end_date": [date(2024, 6, 30)]})
    >>> ended_activities(acts, date(2024, 7, 1))["status"].to_list()
    ['ended']
    """
    low, high = _window(as_of, months_back, months_ahead)
    return (
        activities.select("activity_id", "name", pl.col("end_date").cast(pl.Date))
        .filter(pl.col("end_date").is_between(low, high))
        .with_columns(_status(as_of))
        .sort("end_date", "activity_id")
    )


def at_risk_ties(
    ties: pl.DataFrame,
    activities: pl.DataFrame,
    actors: pl.DataFrame,
    *,
    as_of: date,
    months_ahead: int = 12,
    months_back: int = 36,
) -> pl.DataFrame:
    """The ties that ended recently or end soon, and whether their pair keeps another tie.

    A tie rests on an activity (and ends with it) or is a direct relation with an end date.
    Its pair stays connected when another tie row between the same two actors is still active
    after this end date (open-ended, or ending later); otherwise the pair is at risk of losing
    touch.

    Parameters
    ----------
    ties : pl.DataFrame
        Tie rows as ``graph.analysis.network.load_ties`` returns them.
    activities : pl.DataFrame
        ``activity_id, name`` (for the activity's name).
    actors : pl.DataFrame
        ``actor_id, name`` (for the actors' names).
    as_of : date
        The reference day.
    months_ahead, months_back : int
        The window of end dates: ``as_of`` − ``months_back`` months to ``as_of`` +
        ``months_ahead`` months, both included.

    Returns
    -------
    pl.DataFrame
        ``actor_a, actor_b, name_a, name_b, kind, activity_id, activity_name, end_date,
        status`` ('ended' before ``as_of``, else 'ending'), ``other_ties`` and ``at_risk``
        (``other_ties == 0``), sorted by end date, activity and pair.

    Examples
    --------
    >>> from datetime import date
    >>> import polars as pl
    >>> ties = pl.DataFrame({"actor_a": ["a", "a"], "actor_b": ["b", "b"],
    ...     "kind": ["project", "partnership"], "activity_id": ["p", None],
    ...     "start_date": [None, None], "end_date": [date(2024, 6, 30), None]})
    >>> acts = pl.DataFrame({"activity_id": ["p"], "name": ["Projekt"]})
    >>> actors = pl.DataFrame({"actor_id": ["a", "b"], "name": ["A", "B"]})
    >>> at_risk_ties(ties, acts, actors, as_of=date(2024, 7, 1))["at_risk"].to_list()
    [False]
    """
    low, high = _window(as_of, months_back, months_ahead)
    rows = _pairs(ties).with_row_index("row_id")
    ending = rows.filter(pl.col("end_date").is_between(low, high))
    others = (
        ending.select("row_id", "actor_a", "actor_b", "end_date")
        .join(
            rows.select(
                pl.col("row_id").alias("other_id"),
                "actor_a",
                "actor_b",
                pl.col("end_date").alias("other_end"),
            ),
            on=["actor_a", "actor_b"],
        )
        .filter(
            (pl.col("other_id") != pl.col("row_id"))
            & (pl.col("other_end").is_null() | (pl.col("other_end") > pl.col("end_date")))
        )
        .group_by("row_id")
        .len("other_ties")
    )
    names = actors.select("actor_id", "name")
    return (
        ending.join(others, on="row_id", how="left")
        .join(
            activities.select("activity_id", pl.col("name").alias("activity_name")),
            on="activity_id",
            how="left",
        )
        .join(names.rename({"actor_id": "actor_a", "name": "name_a"}), on="actor_a", how="left")
        .join(names.rename({"actor_id": "actor_b", "name": "name_b"}), on="actor_b", how="left")
        .with_columns(
            pl.col("name_a").fill_null(pl.col("actor_a")),
            pl.col("name_b").fill_null(pl.col("actor_b")),
            pl.col("other_ties").fill_null(0).cast(pl.Int64),
            _status(as_of),
        )
        .with_columns((pl.col("other_ties") == 0).alias("at_risk"))
        .sort(["end_date", "activity_id", "actor_a", "actor_b", "kind"], nulls_last=True)
        .select(
            "actor_a",
            "actor_b",
            "name_a",
            "name_b",
            "kind",
            "activity_id",
            "activity_name",
            "end_date",
            "status",
            "other_ties",
            "at_risk",
        )
    )
