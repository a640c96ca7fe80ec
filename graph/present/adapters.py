"""Interim adapters to the significance columns and the diagnosis table of issue #15.

Issue #15 adds to ``group_mixing`` the columns ``expected, ci_low, ci_high, z, p_value, q_value,
verdict`` (verdict in gap, more_than_expected, as_expected, too_few_to_judge) and a ``diagnosis``
table ``(scope, indicator, value, reference, verdict, explanation)``. The report reads only those
names. While an analysis lacks them (before #15 lands, or a result cached by an older version),
the functions here fill them in with a simpler, stated method, so that no finding ever calls a
pair a gap without a test behind it. Once every analysis has the columns these functions return
their input unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import polars as pl
from scipy.stats import poisson

from graph.i18n import N_, translator

__all__ = [
    "DIAGNOSIS_COLUMNS",
    "SIGNIFICANCE_COLUMNS",
    "TEXTS",
    "diagnosis_of",
    "mixing_with_verdicts",
]

SIGNIFICANCE_COLUMNS = ("ci_low", "ci_high", "z", "p_value", "q_value", "verdict")
DIAGNOSIS_COLUMNS = ("scope", "indicator", "value", "reference", "verdict", "explanation")
_ALPHA = 0.05
_MIN_EXPECTED = 5.0  # below it a shortfall of a few ties says nothing

# the interim diagnosis's texts (the indicators and verdicts stay as the analysis names them)
TEXTS = {
    "whole": N_("whole network"),
    "largest": N_(
        "Actors outside the largest part cannot reach most others through any chain of partners."
    ),
    "reach": N_(
        "Companies, clusters and co-working spaces with no chain of partners to any support "
        "organisation."
    ),
    "thin": N_("One support organisation or none: the area depends on it alone."),
    "crossing": N_("Most ties inside one helix suggest lock-in; many across suggest openness."),
}


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """q-values of Benjamini–Hochberg's step-up procedure.

    >>> [round(float(q), 3) for q in _benjamini_hochberg(np.array([0.01, 0.04, 0.03]))]
    [0.03, 0.04, 0.04]
    """
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def mixing_with_verdicts(
    mixing: pl.DataFrame, groupings: Sequence[str] | None = None
) -> pl.DataFrame:
    """``group_mixing`` with the significance columns: as it is when it has them, else an
    interim Poisson test (observed ties against a Poisson count with the expected mean, two-sided,
    Benjamini–Hochberg within each grouping; too few to judge below 5 expected ties).
    ``groupings`` keeps only those groupings (the test is done per grouping, so the others do
    not change the result; a national municipality grouping has 10^5 pairs).

    >>> frame = pl.DataFrame({"grouping": ["kind"] * 2, "group_a": ["a", "a"],
    ...     "group_b": ["b", "c"], "observed": [2.0, 3.0], "expected": [20.0, 2.0]})
    >>> mixing_with_verdicts(frame)["verdict"].to_list()
    ['gap', 'too_few_to_judge']
    """
    if groupings is not None:
        mixing = mixing.filter(pl.col("grouping").is_in(list(groupings)))
    if all(c in mixing.columns for c in SIGNIFICANCE_COLUMNS):
        return mixing
    if mixing.height == 0:
        return mixing.with_columns(
            *(pl.lit(None, pl.Float64).alias(c) for c in SIGNIFICANCE_COLUMNS[:-1]),
            pl.lit(None, pl.String).alias("verdict"),
        )
    observed = np.rint(mixing["observed"].to_numpy().astype(float))
    expected = mixing["expected"].to_numpy().astype(float)
    lam = np.maximum(expected, 1e-12)
    lower = poisson.cdf(observed, lam)
    upper = poisson.sf(observed - 1, lam)
    p = np.minimum(1.0, 2 * np.minimum(lower, upper))
    q = np.empty_like(p)
    labels = mixing["grouping"].to_numpy()
    for grouping in np.unique(labels):
        at = labels == grouping
        q[at] = _benjamini_hochberg(p[at])
    sd = np.sqrt(lam)
    verdict = np.where(
        expected < _MIN_EXPECTED,
        "too_few_to_judge",
        np.where(
            q < _ALPHA,
            np.where(observed < expected, "gap", "more_than_expected"),
            "as_expected",
        ),
    )
    return mixing.with_columns(
        pl.Series("ci_low", poisson.ppf(0.025, lam), dtype=pl.Float64),
        pl.Series("ci_high", poisson.ppf(0.975, lam), dtype=pl.Float64),
        pl.Series("z", (observed - expected) / sd, dtype=pl.Float64),
        pl.Series("p_value", p, dtype=pl.Float64),
        pl.Series("q_value", q, dtype=pl.Float64),
        pl.Series("verdict", verdict, dtype=pl.String),
    )


def diagnosis_of(
    tables: dict[str, pl.DataFrame], G: nx.Graph, *, lang: str | None = None
) -> pl.DataFrame:
    """The ``diagnosis`` table when the analysis made one, else an interim one of four
    whole-network indicators computed from the other tables (fragmentation, support reach,
    strength areas without support, openness between helices), explained in ``lang``."""
    if "diagnosis" in tables and all(c in tables["diagnosis"].columns for c in DIAGNOSIS_COLUMNS):
        return tables["diagnosis"]
    t = translator(lang)
    whole = t.gettext(TEXTS["whole"])
    rows: list[dict[str, object]] = []
    n = G.number_of_nodes()
    if n:
        largest = max(len(c) for c in nx.connected_components(G)) / n
        rows.append(
            {
                "scope": whole,
                "indicator": "share of actors in the largest connected part",
                "value": largest,
                "reference": 0.9,
                "verdict": "fragmented" if largest < 0.9 else "connected",
                "explanation": t.gettext(TEXTS["largest"]),
            }
        )
    sd = tables.get("support_distance")
    if sd is not None and sd.height:
        reached = float(sd["reached"].mean() or 0.0)  # type: ignore[arg-type]
        rows.append(
            {
                "scope": whole,
                "indicator": "share of target actors with a route to support",
                "value": reached,
                "reference": 0.95,
                "verdict": "support does not reach all" if reached < 0.95 else "support reaches",
                "explanation": t.gettext(TEXTS["reach"]),
            }
        )
    flags = tables.get("coverage_flags")
    if flags is not None:
        for r in flags.filter(pl.col("area_id") != "(none)").iter_rows(named=True):
            rows.append(
                {
                    "scope": str(r["area_name"]),
                    "indicator": "support organisations in the strength area",
                    "value": float(r["support"]),
                    "reference": 2.0,
                    "verdict": "thin" if r["support"] < 2 else "present",
                    "explanation": t.gettext(TEXTS["thin"]),
                }
            )
    ei = tables.get("ei_index")
    if ei is not None:
        overall = ei.filter((pl.col("grouping") == "helix") & (pl.col("group") == "(all)"))
        if overall.height and overall["ei"][0] is not None and not math.isnan(overall["ei"][0]):
            share = (overall["ei"][0] + 1) / 2
            rows.append(
                {
                    "scope": whole,
                    "indicator": "share of ties that cross helices",
                    "value": share,
                    "reference": 0.5,
                    "verdict": "closed" if share < 0.5 else "open",
                    "explanation": t.gettext(TEXTS["crossing"]),
                }
            )
    schema = {
        "scope": pl.String,
        "indicator": pl.String,
        "value": pl.Float64,
        "reference": pl.Float64,
        "verdict": pl.String,
        "explanation": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
