"""Partner suggestions: whom an actor should work with next, why, and who can introduce them.

For one actor every actor it has no tie with is scored at once (numpy and scipy sparse, no Python
loop over candidates) by a blend of three parts:

- **topology** — how close the candidate already is in the network: a short random walk with
  restart from the actor over the weighted ties. Its two-step term is weighted resource
  allocation (common partners, each counted by the strength of both ties over the partner's
  total strength); its further steps also reach candidates with no common partner. Resource
  allocation can be given extra weight of its own. An actor with no ties yet (a newcomer) gets
  the candidate's number of ties instead: newcomers join well-connected actors.
- **complementarity** — what the two have in common or could bring each other: shared strength
  areas, a helix the actor's own network lacks, geography (same or neighbouring municipality,
  same region) and the network's own pattern of which kinds of actors work together (observed over
  expected ties between the two kinds).
- **gap closing** — a bonus when the tie would cross a group pair that works together far less
  than chance predicts (``group_mixing`` ratio below 0.5), or would give an actor with no path to
  the support system its first one.

Each suggestion explains itself in one sentence with numbers and names an introduction path: the
shortest chain of existing ties from the actor to the candidate, preferring strong and recent ties
when several are equally short. The weights are not set by hand: ``bench/tune_partners.py``
chooses them by the backtest in this module (hide the newest ties, predict them).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import networkx as nx
import numpy as np
import polars as pl
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra

from graph.analysis.mixing import NO_AREA, UNKNOWN
from graph.analysis.network import build_graph
from graph.analysis.support import DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS
from graph.errors import DatabaseError, EcographError, UsageError
from graph.i18n import N_, NC_, NP_, Translator, translator
from graph.store.database import run, transaction

__all__ = [
    "BASELINES",
    "HELIX_WORDS",
    "KIND_WORDS",
    "PLURALS",
    "TEXTS",
    "BacktestResult",
    "BacktestSplit",
    "CandidateFilter",
    "GapPair",
    "PartnerIndex",
    "PartnerWeights",
    "backtest",
    "evaluate_backtest",
    "gap_pairs_from_mixing",
    "group_words",
    "partner_index",
    "prepare_backtest",
    "suggest_partners",
    "write_suggestions",
]

BASELINES = ("random", "common_neighbours", "preferential_attachment", "resource_allocation")
GAP_RATIO = 0.5  # a group pair with fewer than half the expected ties is a gap
GAP_MIN_EXPECTED = 1.0  # ... when at least one tie was expected (else it is just small)
_GROUPINGS = ("kind", "helix", "municipality", "region")
_SHOWN_NAMES = 3  # common partners named in the explanation

# The explanations are built in the language in force (``graph.i18n.use_language``): a page
# that caches suggestions passes its language to the cached function.
TEXTS = {
    "bad_weight": N_("partner weight {name} is {value}: use a number >= 0"),
    "bad_ra": N_("resource_allocation is {value}: use a share in 0..1"),
    "bad_restart": N_("restart is {value}: use a probability between 0 and 1"),
    "bad_steps": N_("steps is {value}: use a whole number >= 1"),
    "bad_top": N_("top is {top}: ask for at least one suggestion"),
    "unknown_actor": N_(
        "unknown actor '{actor}': it is not in the network (check the id, and that the "
        "filters keep it)"
    ),
    "no_table": N_(
        "this database has no partner_suggestions table (it predates partner suggestions): "
        "export it, then `ecograph init --empty --force` and import the export"
    ),
    "bad_share": N_("hide_share is {value}: use a share between 0 and 1"),
    "bad_method": N_("unknown method '{method}' (choose from blended, {methods})"),
    "bad_k": N_("k is {k}: use at least 1"),
    "nothing_after": N_(
        "nothing to backtest: no actor gained a new partner after {cut}; the network needs "
        "more ties (with start dates) than this"
    ),
    "nothing_random": N_(
        "nothing to backtest: no actor gained a new partner after the split; the network "
        "needs more ties (with start dates) than this"
    ),
    "split_after": N_("ties starting after {cut} hidden"),
    "split_random": N_("a random {share} of pairs hidden (start dates cannot tell the newest)"),
    "rare_pair": N_("links groups that rarely work together: {pair}"),
    "rare_pair_ratio": N_("links groups that rarely work together: {pair} ({ratio}× expected)"),
    "first_path": N_("gives {name} a first path to the support system"),
    "within_reach": N_("brings {name}, which has no path to support, within reach of it"),
    "common": N_("{partners} ({names})"),
    "newcomer": N_("{actor} has no ties yet; {candidate} has {partners}"),
    "not_connected": N_("not connected yet, even indirectly"),
    "shares": N_("shares {areas}"),
    "also_in": N_("also in {place}"),
    "neighbouring": N_("in neighbouring {place}"),
    "same_region": N_("same region ({region})"),
    "other_helix": N_("{helix} would bring a helix this {kind}'s network lacks"),
    "kind_pattern_same": N_("{a} actors tie {ratio}× more often than chance here"),
    "kind_pattern": N_("{a} and {b} actors tie {ratio}× more often than chance here"),
    "pair": N_("{a}–{b}"),
    "separator": N_("; "),
}
PLURALS = {
    "common": NP_("{n} common partner", "{n} common partners"),
    "partners": NP_("{n} partner", "{n} partners"),
    "steps": NP_("{n} step away in the network", "{n} steps away in the network"),
}
# the kinds and helices as a sentence names them ("business support", "academia")
KIND_WORDS = {
    "region": NC_("actor kind in a sentence", "region"),
    "public_agency": NC_("actor kind in a sentence", "public agency"),
    "municipality": NC_("actor kind in a sentence", "municipality"),
    "business_support": NC_("actor kind in a sentence", "business support"),
    "design_org": NC_("actor kind in a sentence", "design org"),
    "cluster": NC_("actor kind in a sentence", "cluster"),
    "coworking": NC_("actor kind in a sentence", "coworking"),
    "company": NC_("actor kind in a sentence", "company"),
    "academia": NC_("actor kind in a sentence", "academia"),
    "research_institute": NC_("actor kind in a sentence", "research institute"),
    "civil_society": NC_("actor kind in a sentence", "civil society"),
    "sami_org": NC_("actor kind in a sentence", "sami org"),
    "funder": NC_("actor kind in a sentence", "funder"),
    "other": NC_("actor kind in a sentence", "other"),
}
HELIX_WORDS = {
    "academia": NC_("helix in a sentence", "academia"),
    "industry": NC_("helix in a sentence", "industry"),
    "public": NC_("helix in a sentence", "public"),
    "civil_society": NC_("helix in a sentence", "civil society"),
    "unknown": NC_("helix in a sentence", "unknown"),
}
_WORDS = {
    "kind": ("actor kind in a sentence", KIND_WORDS),
    "helix": ("helix in a sentence", HELIX_WORDS),
}


def _say(key: str, t: Translator | None = None, **values: object) -> str:
    return (t or translator()).gettext(TEXTS[key]).format(**values)


def group_words(grouping: str, label: str, t: Translator | None = None) -> str:
    """A group of ``grouping`` as a sentence names it: a kind or helix in the language in
    force (``business support``, Swedish ``företagsstöd``), a place as it is called.

    >>> group_words("kind", "business_support", translator("sv"))
    'företagsstöd'
    """
    context, words = _WORDS.get(grouping, ("", {}))
    if label in words:
        return (t or translator()).pgettext(context, words[label])
    return label.replace("_", " ")


# A gap between two groups: (grouping, group_a, group_b), or (group_a, group_b) in any grouping.
GapPair = tuple[str, str] | tuple[str, str, str]

_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "rank": pl.Int32,
    "actor_id": pl.String,
    "name": pl.String,
    "kind": pl.String,
    "helix": pl.String,
    "municipality": pl.String,
    "score": pl.Float64,
    "topology": pl.Float64,
    "complementarity": pl.Float64,
    "gap_bonus": pl.Float64,
    "common_partners": pl.List(pl.String),
    "shared_areas": pl.List(pl.String),
    "closes_gap": pl.String,
    "explanation": pl.String,
    "introduction_path": pl.List(pl.String),
    "introduction_names": pl.List(pl.String),
}


@dataclass(frozen=True)
class PartnerWeights:
    """How the parts of a partner score are blended.

    The defaults are not set by hand: ``bench/tune_partners.py`` chose them with the backtest on
    ``synthetic_ecosystem(3000, seed=1)`` (newest 10 % of tie rows hidden, backtest seed 42, all
    1805 actors with a hidden new partner queried), by coordinate search for the highest
    precision@10. ``gap`` and ``other_helix`` steer suggestions towards what the region lacks
    rather than towards what would happen anyway, so they were chosen last and jointly: the
    largest pair whose precision@10 stays within 3 % of the best. ``newcomer`` was chosen on a
    cold-start split (a seeded 10 % of the actors lose all their ties). On that ecosystem the
    blend reaches precision@10 0.0575 against 0.0416 for the best baseline; on ecosystems the
    search never saw (seeds 7 and 11, 1000 and 3000 actors) 0.051–0.058 against 0.043–0.045.

    The random walk's two-step term is weighted resource allocation (divided by the actor's
    strength); its further steps add longer chains. Extra weight on resource allocation alone
    lowered precision, so its share is 0.

    Attributes
    ----------
    topology
        Weight of network proximity (the unit the other weights are measured in).
    resource_allocation
        Share of weighted resource allocation in the proximity; the rest is the random walk.
    restart, steps
        Restart probability and length of the random walk with restart from the actor.
    shared_area
        Bonus for sharing at least one strength area.
    other_helix
        Bonus when the candidate's helix is missing from the actor and all its partners.
    geography
        Bonus for the same (or a neighbouring) municipality; half of it for the same region.
    kind_pattern
        Weight of how much more (or less) often the two kinds work together than chance
        predicts here: log of observed over expected ties, clipped to ±2 and halved into [-1, 1].
    gap
        Bonus for a tie that closes a gap between groups or connects an unreached actor.
    newcomer
        Weight of the candidate's (log) number of ties when the actor has no ties yet.

    Examples
    --------
    >>> PartnerWeights().geography, PartnerWeights(gap=0.0).gap
    (0.4, 0.0)
    """

    topology: float = 1.0
    resource_allocation: float = 0.0
    restart: float = 0.1
    steps: int = 6
    shared_area: float = 0.05
    other_helix: float = 0.2
    geography: float = 0.4
    kind_pattern: float = 0.8
    gap: float = 0.3
    newcomer: float = 1.0

    def __post_init__(self) -> None:
        for name in (
            "topology",
            "shared_area",
            "other_helix",
            "geography",
            "kind_pattern",
            "gap",
            "newcomer",
        ):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise UsageError(_say("bad_weight", name=name, value=repr(value)))
        if not 0 <= self.resource_allocation <= 1:
            raise UsageError(_say("bad_ra", value=repr(self.resource_allocation)))
        if not 0 < self.restart < 1:
            raise UsageError(_say("bad_restart", value=repr(self.restart)))
        if not (isinstance(self.steps, int) and self.steps >= 1):
            raise UsageError(_say("bad_steps", value=repr(self.steps)))

    def to_params(self) -> dict[str, Any]:
        """The weights as plain values (recorded with every result)."""
        return asdict(self)


@dataclass(frozen=True)
class CandidateFilter:
    """Which actors may be suggested. Empty tuples mean "all"; ``exclude`` names actors never to
    suggest. An actor passes when it matches every non-empty field (any value within a field)."""

    kinds: tuple[str, ...] = ()
    helices: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def to_params(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class _Grouping:
    """One actor attribute as integer codes, with the network's mixing between its groups."""

    labels: list[str]
    codes: np.ndarray
    ratio: np.ndarray  # observed / expected ties per pair of groups (nan when nothing expected)
    expected: np.ndarray


@dataclass(frozen=True, eq=False)
class PartnerIndex:
    """The graph prepared for scoring: sparse matrices and integer-coded attributes.

    Build it once with ``partner_index`` and pass it to ``suggest_partners`` to score many actors
    of the same graph (the backtest does this).
    """

    ids: list[str]
    position: dict[str, int]
    names: list[str]
    id_order: np.ndarray  # rank of each actor's id in sorted order (deterministic ties)
    adjacency: sparse.csr_array  # weighted, symmetric
    binary: sparse.csr_array
    degree: np.ndarray
    strength: np.ndarray
    cost: sparse.csr_array  # per tie: 1 + a tiny penalty for weak and old ties
    groups: dict[str, _Grouping]
    area_ids: list[str]
    membership: sparse.csr_array  # actors × strength areas
    support: np.ndarray
    target: np.ndarray
    reaches_support: np.ndarray  # a support actor is in the same component


def _labels(values: Sequence[Any]) -> tuple[list[str], np.ndarray]:
    text = [UNKNOWN if v is None or v == "" else str(v) for v in values]
    labels = sorted(set(text))
    lookup = {label: i for i, label in enumerate(labels)}
    return labels, np.array([lookup[t] for t in text], dtype=np.int64)


def _mixing(
    codes: np.ndarray, n_groups: int, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Observed over expected ties and expected ties between groups, as ``group_mixing``."""
    m = len(rows)
    observed = np.zeros((n_groups, n_groups))
    np.add.at(observed, (codes[rows], codes[cols]), 1.0)
    observed = observed + observed.T
    np.fill_diagonal(observed, np.diag(observed) / 2)
    degree = np.bincount(codes[rows], minlength=n_groups) + np.bincount(
        codes[cols], minlength=n_groups
    )
    if m == 0:
        expected = np.zeros((n_groups, n_groups))
    else:
        expected = np.outer(degree, degree) / (2.0 * m)
        np.fill_diagonal(expected, degree.astype(float) ** 2 / (4.0 * m))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    return ratio, expected


def partner_index(G: nx.Graph) -> PartnerIndex:
    """Prepare ``G`` (as made by ``graph.analysis.network.build_graph``) for partner scoring.

    Node attributes used when present: name, kind, helix, municipality, region, areas. Edge
    attributes: weight (default 1), start and end dates (``end=None`` is an open, current tie).

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> index = partner_index(G)
    >>> index.ids, index.degree.tolist()
    (['a', 'b', 'c'], [1, 2, 1])
    """
    ids = [str(v) for v in G]
    position = {v: i for i, v in enumerate(G)}
    n = len(ids)
    data = [G.nodes[v] for v in G]
    names = [str(d.get("name") or v) for v, d in zip(ids, data, strict=True)]
    rows_l: list[int] = []
    cols_l: list[int] = []
    weights_l: list[float] = []
    ages_l: list[float] = []
    # Reading a million ties allocates millions of small objects; the cyclic garbage collector
    # would scan the whole graph again and again meanwhile (it doubles the time at 1M ties).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for u, v, d in G.edges(data=True):
            if u == v:
                continue
            rows_l.append(position[u])
            cols_l.append(position[v])
            weights_l.append(float(d.get("weight", 1.0) or 1.0))
            # a tie that has ended is as recent as its end; an open or undated one is current
            end = d.get("end")
            ages_l.append(end.toordinal() if isinstance(end, date) else np.nan)
    finally:
        if collecting:
            gc.enable()
    rows = np.array(rows_l, dtype=np.int64)
    cols = np.array(cols_l, dtype=np.int64)
    weights = np.array(weights_l, dtype=float)
    stamps = np.array(ages_l, dtype=float)
    both_r, both_c = np.r_[rows, cols], np.r_[cols, rows]
    adjacency = sparse.csr_array((np.r_[weights, weights], (both_r, both_c)), shape=(n, n))
    binary = sparse.csr_array((np.ones(2 * len(rows)), (both_r, both_c)), shape=(n, n))
    # Path cost: one per hop, plus penalties too small to ever outweigh a hop (all of a path's
    # penalties sum to less than 1), so the path is shortest first, then strong and recent.
    eps = 1.0 / (2.0 * (n + 1))
    weakness = 1.0 / (1.0 + weights)
    if len(stamps) and np.isfinite(stamps).any():
        newest, oldest = np.nanmax(stamps), np.nanmin(stamps)
        age = np.where(np.isfinite(stamps), (newest - stamps) / (newest - oldest + 1.0), 0.0)
    else:
        age = np.zeros(len(rows))
    penalty = 1.0 + eps * (weakness + age) / 2
    cost = sparse.csr_array((np.r_[penalty, penalty], (both_r, both_c)), shape=(n, n))

    groups: dict[str, _Grouping] = {}
    for name in _GROUPINGS:
        labels, codes = _labels([d.get(name) for d in data])
        ratio, expected = _mixing(codes, len(labels), rows, cols)
        groups[name] = _Grouping(labels, codes, ratio, expected)

    area_lists = [tuple(d.get("areas") or ()) for d in data]
    area_ids = sorted({a for areas in area_lists for a in areas})
    area_pos = {a: i for i, a in enumerate(area_ids)}
    m_rows = [i for i, areas in enumerate(area_lists) for _ in areas]
    m_cols = [area_pos[a] for areas in area_lists for a in areas]
    membership = sparse.csr_array(
        (np.ones(len(m_rows)), (m_rows, m_cols)), shape=(n, max(len(area_ids), 1))
    )
    kinds = [d.get("kind") for d in data]
    support = np.array([k in DEFAULT_SUPPORT_KINDS for k in kinds], dtype=bool)
    target = np.array([k in DEFAULT_TARGET_KINDS for k in kinds], dtype=bool)
    _, component = connected_components(binary, directed=False)
    with_support = np.zeros(component.max() + 1 if n else 0, dtype=bool)
    with_support[component[support]] = True
    return PartnerIndex(
        ids=ids,
        position={str(v): i for v, i in position.items()},
        names=names,
        id_order=np.argsort(np.argsort(np.array(ids, dtype=object), kind="stable")),
        adjacency=adjacency,
        binary=binary,
        degree=np.asarray(binary.sum(axis=1)).ravel().astype(np.int64),
        strength=np.asarray(adjacency.sum(axis=1)).ravel(),
        cost=cost,
        groups=groups,
        area_ids=area_ids,
        membership=membership,
        support=support,
        target=target,
        reaches_support=with_support[component] if n else np.zeros(0, dtype=bool),
    )


def gap_pairs_from_mixing(
    mixing: pl.DataFrame, *, max_ratio: float = GAP_RATIO, min_expected: float = GAP_MIN_EXPECTED
) -> frozenset[GapPair]:
    """The group pairs a ``group_mixing`` result marks as gaps: ratio below ``max_ratio`` where
    at least ``min_expected`` ties were expected. Pairs with an unknown or no group are left out.

    Each gap is ``(grouping, group_a, group_b)`` with ``group_a <= group_b``, so gaps of several
    groupings can be merged without mistaking a kind ("academia") for a helix of the same name;
    a frame without a ``grouping`` column gives plain ``(group_a, group_b)`` pairs.

    Examples
    --------
    >>> mixing = pl.DataFrame({"grouping": "helix", "group_a": ["academia", "academia",
    ...     "industry"], "group_b": ["industry", "academia", "industry"],
    ...     "observed": [1.0, 2.0, 9.0], "expected": [4.0, 0.5, 5.0], "ratio": [0.25, 4.0, 1.8]})
    >>> sorted(gap_pairs_from_mixing(mixing))
    [('helix', 'academia', 'industry')]
    """
    gaps = mixing.filter(
        (pl.col("ratio") < max_ratio)
        & (pl.col("expected") >= min_expected)
        & ~pl.col("group_a").is_in([UNKNOWN, NO_AREA])
        & ~pl.col("group_b").is_in([UNKNOWN, NO_AREA])
    )
    if "grouping" not in gaps.columns:
        return frozenset(
            (min(a, b), max(a, b)) for a, b in gaps.select("group_a", "group_b").iter_rows()
        )
    return frozenset(
        (g, min(a, b), max(a, b))
        for g, a, b in gaps.select("grouping", "group_a", "group_b").iter_rows()
    )


def _default_gap_matrices(index: PartnerIndex) -> dict[str, np.ndarray]:
    """Helix and kind pairs with ratio < 0.5 where at least one tie was expected."""
    out = {}
    for name in ("kind", "helix"):
        g = index.groups[name]
        gap = (g.ratio < GAP_RATIO) & (g.expected >= GAP_MIN_EXPECTED)
        if UNKNOWN in g.labels:
            u = g.labels.index(UNKNOWN)
            gap[u, :] = gap[:, u] = False
        out[name] = gap
    return out


def _gap_matrices(index: PartnerIndex, pairs: Collection[GapPair]) -> dict[str, np.ndarray]:
    """The given gaps as a boolean matrix per grouping: a ``(grouping, a, b)`` gap counts in its
    grouping, a plain ``(a, b)`` pair in every grouping that has both groups."""
    out = {}
    for name in _GROUPINGS:
        g = index.groups[name]
        lookup = {label: i for i, label in enumerate(g.labels)}
        gap = np.zeros((len(g.labels), len(g.labels)), dtype=bool)
        for pair in pairs:
            if len(pair) == 3 and pair[0] != name:
                continue
            a, b = pair[-2], pair[-1]
            if a in lookup and b in lookup:
                gap[lookup[a], lookup[b]] = gap[lookup[b], lookup[a]] = True
        if gap.any():
            out[name] = gap
    return out


@dataclass
class _Features:
    """Raw per-candidate features of one actor (arrays over all actors)."""

    ra: np.ndarray
    walk: np.ndarray
    popularity: np.ndarray
    shared: np.ndarray
    near: np.ndarray
    other_helix: np.ndarray
    pattern: np.ndarray
    gap: np.ndarray  # 1 where the tie closes a gap
    newcomer: bool


def _walk(index: PartnerIndex, u: int, restart: float, steps: int) -> np.ndarray:
    """Random walk with restart from ``u``, ``steps`` steps: the visiting weight of each actor."""
    inv = np.divide(
        1.0, index.strength, out=np.zeros_like(index.strength), where=index.strength > 0
    )
    current = np.zeros(len(index.ids))
    current[u] = 1.0
    total = np.zeros(len(index.ids))
    keep = 1.0
    for _ in range(steps):
        current = index.adjacency @ (current * inv)
        keep *= 1.0 - restart
        total += keep * current
    return total


def _features(
    index: PartnerIndex,
    u: int,
    weights: PartnerWeights,
    gaps: Mapping[str, np.ndarray],
    unreached: np.ndarray,
    near_municipality: np.ndarray | None,
) -> _Features:
    n = len(index.ids)
    a_u = index.adjacency[[u], :].toarray().ravel()
    inv = np.divide(1.0, index.strength, out=np.zeros(n), where=index.strength > 0)
    newcomer = index.degree[u] == 0
    ra = index.adjacency @ (a_u * inv) if not newcomer else np.zeros(n)
    walk = _walk(index, u, weights.restart, weights.steps) if not newcomer else np.zeros(n)
    top = float(index.degree.max()) if n else 0.0
    popularity = np.log1p(index.degree) / math.log1p(top) if top > 0 else np.zeros(n)

    shared = index.membership @ index.membership[[u], :].toarray().ravel()
    mun = index.groups["municipality"]
    reg = index.groups["region"]
    unknown_mun = mun.labels.index(UNKNOWN) if UNKNOWN in mun.labels else -1
    unknown_reg = reg.labels.index(UNKNOWN) if UNKNOWN in reg.labels else -1
    same_mun = (mun.codes == mun.codes[u]) & (mun.codes[u] != unknown_mun)
    if near_municipality is not None:
        same_mun |= near_municipality[mun.codes]
    same_reg = (reg.codes == reg.codes[u]) & (reg.codes[u] != unknown_reg)
    near = np.where(same_mun, 1.0, np.where(same_reg, 0.5, 0.0))

    helix = index.groups["helix"]
    present = np.zeros(len(helix.labels), dtype=bool)
    present[helix.codes[u]] = True
    present[helix.codes[index.binary[[u], :].indices]] = True
    unknown_helix = helix.labels.index(UNKNOWN) if UNKNOWN in helix.labels else -1
    other_helix = (~present[helix.codes]) & (helix.codes != unknown_helix)

    kind = index.groups["kind"]
    ratio = np.nan_to_num(kind.ratio[kind.codes[u]], nan=1.0)
    # shrink towards 1 where few ties were expected: a kind pair seen once says little
    expected = kind.expected[kind.codes[u]]
    shrunk = (ratio * expected + 1.0) / (expected + 1.0)
    pattern = np.clip(np.log(np.maximum(shrunk, 1e-9)), -2.0, 2.0)[kind.codes] / 2.0

    gap = np.zeros(n, dtype=bool)
    for name, matrix in gaps.items():
        codes = index.groups[name].codes
        gap |= matrix[codes[u]][codes]
    # a tie that gives an actor with no path to support its first one
    if unreached[u]:
        gap |= index.reaches_support
    else:
        gap |= unreached & index.reaches_support[u]
    return _Features(
        ra,
        walk,
        popularity,
        shared,
        near,
        other_helix.astype(float),
        pattern,
        gap.astype(float),
        bool(newcomer),
    )


def _normalised(x: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    top = float(x[candidates].max()) if candidates.any() else 0.0
    return x / top if top > 0 else np.zeros_like(x)


def _parts(
    f: _Features, weights: PartnerWeights, candidates: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Topology, complementarity and gap bonus of every actor (use only the candidates)."""
    if f.newcomer:
        topology = weights.newcomer * f.popularity
    else:
        share = weights.resource_allocation
        proximity = share * _normalised(f.ra, candidates) + (1 - share) * np.sqrt(
            _normalised(f.walk, candidates)
        )
        topology = weights.topology * proximity
    complementarity = (
        weights.shared_area * (f.shared > 0)
        + weights.other_helix * f.other_helix
        + weights.geography * f.near
        + weights.kind_pattern * f.pattern
    )
    return topology, complementarity, weights.gap * f.gap


def _candidate_mask(index: PartnerIndex, u: int, flt: CandidateFilter | None) -> np.ndarray:
    n = len(index.ids)
    mask = np.ones(n, dtype=bool)
    mask[u] = False
    mask[index.binary[[u], :].indices] = False
    if flt is None:
        return mask
    for name, wanted in (
        ("kind", flt.kinds),
        ("helix", flt.helices),
        ("municipality", flt.municipalities),
        ("region", flt.regions),
    ):
        if wanted:
            g = index.groups[name]
            allowed = np.array([label in wanted for label in g.labels], dtype=bool)
            mask &= allowed[g.codes]
    if flt.areas:
        cols = [i for i, a in enumerate(index.area_ids) if a in flt.areas]
        in_area = (
            np.asarray(index.membership[:, cols].sum(axis=1)).ravel() > 0
            if cols
            else np.zeros(n, dtype=bool)
        )
        mask &= in_area
    for actor in flt.exclude:
        if actor in index.position:
            mask[index.position[actor]] = False
    return mask


def _unreached(index: PartnerIndex, unreached: Collection[str] | None) -> np.ndarray:
    if unreached is None:
        return index.target & ~index.reaches_support
    out = np.zeros(len(index.ids), dtype=bool)
    for actor in unreached:
        if actor in index.position:
            out[index.position[actor]] = True
    return out


def _near_municipality(
    index: PartnerIndex, u: int, neighbouring: Mapping[str, Collection[str]] | None
) -> np.ndarray | None:
    if neighbouring is None:
        return None
    mun = index.groups["municipality"]
    own = mun.labels[mun.codes[u]]
    near = set(neighbouring.get(own, ()))
    return np.array([label in near for label in mun.labels], dtype=bool)


def _introduction_paths(index: PartnerIndex, u: int, targets: Sequence[int]) -> list[list[int]]:
    """Fewest hops from ``u`` to each target; among equals the strongest and most recent ties."""
    if index.degree[u] == 0:
        return [[] for _ in targets]
    _, predecessors = dijkstra(index.cost, directed=True, indices=u, return_predecessors=True)
    paths: list[list[int]] = []
    for t in targets:
        if predecessors[t] < 0:
            paths.append([])
            continue
        path = [int(t)]
        while path[-1] != u:
            path.append(int(predecessors[path[-1]]))
        paths.append(path[::-1])
    return paths


def _list_names(names: list[str], total: int) -> str:
    shown = ", ".join(names[:_SHOWN_NAMES])
    return shown + (", …" if total > _SHOWN_NAMES else "")


def _plural(t: Translator, key: str, count: int) -> str:
    return t.ngettext(*PLURALS[key], count).format(n=t.number(count))


def _gap_text(
    index: PartnerIndex, u: int, c: int, gaps: Mapping[str, np.ndarray], unreached: np.ndarray
) -> str | None:
    """The gap a tie from ``u`` to ``c`` closes, in words (the sharpest one when several)."""
    t = translator()
    best: tuple[float, str] | None = None
    for name, matrix in gaps.items():
        g = index.groups[name]
        a, b = g.codes[u], g.codes[c]
        if matrix[a, b]:
            ratio = float(g.ratio[a, b])
            pair = _say(
                "pair", t, a=group_words(name, g.labels[a], t), b=group_words(name, g.labels[b], t)
            )
            # a ratio, not a verdict: "gap" is kept for what the null model finds significant
            text = (
                _say("rare_pair_ratio", t, pair=pair, ratio=t.number(ratio, 1))
                if math.isfinite(ratio)
                else _say("rare_pair", t, pair=pair)
            )
            key = ratio if math.isfinite(ratio) else 1.0
            if best is None or key < best[0]:
                best = (key, text)
    if best is not None:
        return best[1]
    if unreached[u] and index.reaches_support[c]:
        return _say("first_path", t, name=index.names[u])
    if unreached[c] and index.reaches_support[u]:
        return _say("within_reach", t, name=index.names[c])
    return None


def _explain(
    index: PartnerIndex,
    u: int,
    c: int,
    f: _Features,
    common: list[str],
    shared: list[str],
    gap_text: str | None,
    weights: PartnerWeights,
    hops: int,
) -> str:
    t = translator()
    parts: list[str] = []
    if common:
        partners = _plural(t, "common", len(common))
        parts.append(_say("common", t, partners=partners, names=_list_names(common, len(common))))
    elif f.newcomer:
        parts.append(
            _say(
                "newcomer",
                t,
                actor=index.names[u],
                candidate=index.names[c],
                partners=_plural(t, "partners", int(index.degree[c])),
            )
        )
    elif hops:
        parts.append(_plural(t, "steps", hops))
    else:
        parts.append(_say("not_connected", t))
    if shared:
        parts.append(_say("shares", t, areas=", ".join(shared)))
    mun = index.groups["municipality"]
    reg = index.groups["region"]
    if f.near[c] >= 1.0 and weights.geography > 0:
        place = mun.labels[mun.codes[c]]
        same = mun.codes[c] == mun.codes[u]
        parts.append(_say("also_in" if same else "neighbouring", t, place=place))
    elif f.near[c] > 0 and weights.geography > 0 and np.mean(reg.codes == reg.codes[c]) < 0.8:
        # worth saying only where the region sets the two apart from most of the network
        parts.append(_say("same_region", t, region=reg.labels[reg.codes[c]]))
    helix = index.groups["helix"]
    if f.other_helix[c] and weights.other_helix > 0:
        kind = index.groups["kind"]
        parts.append(
            _say(
                "other_helix",
                t,
                helix=group_words("helix", helix.labels[helix.codes[c]], t),
                kind=group_words("kind", kind.labels[kind.codes[u]], t),
            )
        )
    kind = index.groups["kind"]
    ratio = float(kind.ratio[kind.codes[u], kind.codes[c]])
    expected = float(kind.expected[kind.codes[u], kind.codes[c]])
    if weights.kind_pattern > 0 and expected >= GAP_MIN_EXPECTED and ratio >= 1.5:
        a, b = kind.labels[kind.codes[u]], kind.labels[kind.codes[c]]
        words = {"a": group_words("kind", a, t), "b": group_words("kind", b, t)}
        shown = t.number(ratio, 1)
        parts.append(
            _say("kind_pattern_same", t, a=words["a"], ratio=shown)
            if a == b
            else _say("kind_pattern", t, **words, ratio=shown)
        )
    if gap_text:
        parts.append(gap_text)
    return _say("separator", t).join(parts)


def suggest_partners(
    G: nx.Graph,
    actor_id: str,
    *,
    top: int = 10,
    weights: PartnerWeights | None = None,
    candidates: CandidateFilter | None = None,
    gap_pairs: Collection[GapPair] | None = None,
    unreached: Collection[str] | None = None,
    neighbouring: Mapping[str, Collection[str]] | None = None,
    area_names: Mapping[str, str] | None = None,
    index: PartnerIndex | None = None,
) -> pl.DataFrame:
    """Rank the actors ``actor_id`` has no tie with as partners, each with reasons and a path.

    Parameters
    ----------
    G
        The collaboration graph (``graph.analysis.network.build_graph``).
    actor_id
        The actor to suggest partners for.
    top
        How many suggestions to return.
    weights
        The blend (default: ``PartnerWeights()``, tuned by the backtest).
    candidates
        Which actors may be suggested (kinds, helices, places, strength areas, exclusions).
    gap_pairs
        Group pairs that are gaps: ``(grouping, group_a, group_b)`` with grouping kind, helix,
        municipality or region, as ``gap_pairs_from_mixing`` takes them from ``group_mixing``
        (merge several with ``|``), or plain ``(group_a, group_b)`` pairs, which count in every
        grouping that has both groups. Default: the helix and kind pairs of ``G`` with fewer
        than half the expected ties (at least one expected).
    unreached
        Actors with no path to the support system. Default: target actors (clusters, co-working
        spaces, companies) whose component has no support actor, as ``support_distance`` finds.
    neighbouring
        Municipality adjacency (name → names of its neighbours). Default: only the same
        municipality counts as near; the same region always counts half.
    area_names
        Names of strength areas by id, for the explanations (default: the ids).
    index
        ``partner_index(G)``, when scoring many actors of one graph.

    Returns
    -------
    pl.DataFrame
        ``rank, actor_id, name, kind, helix, municipality, score, topology, complementarity,
        gap_bonus, common_partners, shared_areas, closes_gap, explanation, introduction_path,
        introduction_names``, best first (equal scores by actor id). ``introduction_path`` runs
        from ``actor_id`` to the suggestion over existing ties; it is empty when none exists.

    Raises
    ------
    UsageError
        ``actor_id`` is not in ``G``, or ``top`` is below 1.

    Examples
    --------
    Two firms share three partners and a strength area, so each is the other's best suggestion:

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["f1", "f2"], kind="company", areas=("energy",))
    >>> G.add_nodes_from(["p1", "p2", "p3"], kind="business_support")
    >>> G.add_nodes_from(["f3"], kind="company")
    >>> G.add_edges_from([("f1", "p1"), ("f2", "p1")], weight=2.0)
    >>> G.add_edges_from([("f1", "p2"), ("f1", "p3"), ("f2", "p2"), ("f2", "p3"), ("f3", "p1")])
    >>> best = suggest_partners(G, "f1", top=2)
    >>> best["actor_id"].to_list(), best["common_partners"][0].to_list()
    (['f2', 'f3'], ['p1', 'p2', 'p3'])

    The introduction goes through the strongest of the three equally short routes:

    >>> best["introduction_path"][0].to_list()
    ['f1', 'p1', 'f2']
    """
    weights = weights or PartnerWeights()
    if top < 1:
        raise UsageError(_say("bad_top", top=top))
    if actor_id not in G:
        raise UsageError(_say("unknown_actor", actor=actor_id))
    index = index or partner_index(G)
    u = index.position[str(actor_id)]
    gaps = _default_gap_matrices(index) if gap_pairs is None else _gap_matrices(index, gap_pairs)
    unreached_mask = _unreached(index, unreached)
    f = _features(
        index, u, weights, gaps, unreached_mask, _near_municipality(index, u, neighbouring)
    )
    mask = _candidate_mask(index, u, candidates)
    topology, complementarity, gap_bonus = _parts(f, weights, mask)
    score = topology + complementarity + gap_bonus
    chosen = np.flatnonzero(mask)
    order = np.lexsort((index.id_order[chosen], -score[chosen]))
    picked = chosen[order[:top]]
    if len(picked) == 0:
        return pl.DataFrame(schema=_SCHEMA)

    paths = _introduction_paths(index, u, picked.tolist())
    area_names = area_names or {}
    neighbours_u = index.binary[[u], :].indices
    inv = np.divide(1.0, index.strength, out=np.zeros(len(index.ids)), where=index.strength > 0)
    a_u = index.adjacency[[u], :]
    rows: list[dict[str, Any]] = []
    for rank, (c, path) in enumerate(zip(picked.tolist(), paths, strict=True), start=1):
        a_c = index.adjacency[[c], :]
        common_idx = np.intersect1d(neighbours_u, a_c.indices, assume_unique=True)
        contribution = (
            a_u[:, common_idx].toarray().ravel()
            * a_c[:, common_idx].toarray().ravel()
            * inv[common_idx]
        )
        common_idx = common_idx[np.lexsort((index.id_order[common_idx], -contribution))]
        common = [index.names[z] for z in common_idx]
        shared_idx = np.intersect1d(
            index.membership[[u], :].indices, index.membership[[c], :].indices
        )
        shared = [area_names.get(index.area_ids[a], index.area_ids[a]) for a in shared_idx]
        gap_text = _gap_text(index, u, c, gaps, unreached_mask) if f.gap[c] else None
        hops = len(path) - 1 if path else 0
        g = index.groups
        rows.append(
            {
                "rank": rank,
                "actor_id": index.ids[c],
                "name": index.names[c],
                "kind": _known(g["kind"], c),
                "helix": _known(g["helix"], c),
                "municipality": _known(g["municipality"], c),
                "score": float(score[c]),
                "topology": float(topology[c]),
                "complementarity": float(complementarity[c]),
                "gap_bonus": float(gap_bonus[c]),
                "common_partners": common,
                "shared_areas": shared,
                "closes_gap": gap_text,
                "explanation": _explain(index, u, c, f, common, shared, gap_text, weights, hops),
                "introduction_path": [index.ids[p] for p in path],
                "introduction_names": [index.names[p] for p in path],
            }
        )
    return pl.DataFrame(rows, schema=_SCHEMA)


def _known(g: _Grouping, i: int) -> str | None:
    label = g.labels[g.codes[i]]
    return None if label == UNKNOWN else label


def write_suggestions(
    con: duckdb.DuckDBPyConnection, actor_id: str, frame: pl.DataFrame, params_json: str
) -> None:
    """Replace the stored suggestions for ``actor_id`` with ``frame`` (one transaction).

    Rows go to the table ``partner_suggestions``, stamped with ``for_actor``, the parameters
    they were computed with (JSON) and the time.
    """
    exists = run(
        con,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'partner_suggestions'",
    )[0][0]
    if not exists:
        raise DatabaseError(_say("no_table"))
    stamp = datetime.now(UTC).replace(tzinfo=None)
    rows = frame.select(list(_SCHEMA)).with_columns(
        pl.lit(actor_id).alias("for_actor"),
        pl.lit(params_json).alias("params"),
        pl.lit(stamp).alias("computed_at"),
    )
    with transaction(con):
        run(con, "DELETE FROM partner_suggestions WHERE for_actor = ?", [actor_id])
        con.register("_partner_rows", rows)
        try:
            run(con, "INSERT INTO partner_suggestions BY NAME SELECT * FROM _partner_rows")
        finally:
            con.unregister("_partner_rows")


# ---------------------------------------------------------------------------------------------
# Backtest


@dataclass(eq=False)
class BacktestSplit:
    """Ties split into what is known (the graph) and what came later (the hidden pairs)."""

    index: PartnerIndex
    queries: np.ndarray  # positions of the queried actors
    hidden: list[np.ndarray]  # per query: positions of its hidden new partners
    cut: date | None  # ties starting after this date are new (None: a random split)
    hide_share: float
    seed: int
    train_pairs: int
    hidden_pairs: int

    def tie_break(self, q: int) -> np.ndarray:
        """A random order of all actors for query ``q``: it breaks equal scores for every
        method alike (and is the random baseline's ranking)."""
        return np.random.default_rng([self.seed, q]).random(len(self.index.ids))


@dataclass(frozen=True)
class BacktestResult:
    """Precision@k, recall@k and mean reciprocal rank per method (means over queried actors)."""

    k: int
    seed: int
    hide_share: float
    split: str
    queries: int
    train_pairs: int
    hidden_pairs: int
    methods: dict[str, dict[str, float]]
    query_pairs: int = 0  # the queried actors' new partners, summed (a tie counts per end)
    cut: str | None = None  # the day after which ties were hidden (None: a random split)

    def to_dict(self) -> dict[str, Any]:
        """``{"k": …, "methods": {method: {"precision_at_k", "recall_at_k", "mrr"}}, …}``."""
        return asdict(self)

    def to_frame(self) -> pl.DataFrame:
        """One row per method: ``method, precision_at_k, recall_at_k, mrr``, best first."""
        return pl.DataFrame(
            [{"method": name, **values} for name, values in self.methods.items()],
            schema={
                "method": pl.String,
                "precision_at_k": pl.Float64,
                "recall_at_k": pl.Float64,
                "mrr": pl.Float64,
            },
        ).sort("precision_at_k", "mrr", descending=True)


def _split_ties(
    ties: pl.DataFrame, hide_share: float, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame, date | None]:
    """Known tie rows, hidden new pairs and the cut date (None for a random split)."""
    # a pair is the same whichever way round its rows name it
    keyed = ties.with_columns(
        pl.min_horizontal("actor_a", "actor_b").alias("_lo"),
        pl.max_horizontal("actor_a", "actor_b").alias("_hi"),
    )
    pairs = keyed.group_by("_lo", "_hi").agg(
        pl.col("start_date").min().alias("first"),
        pl.col("start_date").is_null().any().alias("undated"),
    )
    dated = ties["start_date"].drop_nulls().sort()
    k = math.ceil(hide_share * ties.height)
    # the cut is the latest date with at least hide_share of all tie rows starting after it; a
    # pair is new when all its rows start after it (an undated row is as old as the data)
    earlier = dated.filter(dated < dated[len(dated) - k]) if 0 < k <= len(dated) else dated[:0]
    if len(earlier):
        cut = earlier[-1]
        hidden = pairs.filter((pl.col("first") > cut) & ~pl.col("undated"))
        known = ties.filter(pl.col("start_date").is_null() | (pl.col("start_date") <= cut))
    else:
        pairs = pairs.sort("_lo", "_hi")
        pick = np.zeros(pairs.height, dtype=bool)
        pick[rng.choice(pairs.height, size=round(hide_share * pairs.height), replace=False)] = True
        hidden = pairs.filter(pl.Series(pick))
        known = keyed.join(hidden.select("_lo", "_hi"), on=["_lo", "_hi"], how="anti").drop(
            "_lo", "_hi"
        )
        cut = None
    hidden = hidden.select(pl.col("_lo").alias("actor_a"), pl.col("_hi").alias("actor_b"))
    return known, hidden, cut


def prepare_backtest(
    actors: pl.DataFrame,
    ties: pl.DataFrame,
    *,
    hide_share: float = 0.1,
    seed: int = 42,
    max_queries: int | None = 500,
) -> BacktestSplit:
    """Hide the newest ties and choose the actors to query (see ``backtest``)."""
    if not 0 < hide_share < 1:
        raise UsageError(_say("bad_share", value=hide_share))
    rng = np.random.default_rng(seed)
    known, hidden, cut = _split_ties(ties, hide_share, rng)
    G = build_graph(actors, known)
    index = partner_index(G)
    pos = index.position
    hidden = hidden.filter(pl.col("actor_a").is_in(list(pos)) & pl.col("actor_b").is_in(list(pos)))
    a = np.array([pos[x] for x in hidden["actor_a"].to_list()], dtype=np.int64)
    b = np.array([pos[x] for x in hidden["actor_b"].to_list()], dtype=np.int64)
    n = len(index.ids)
    new = sparse.csr_array((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(n, n))
    eligible = np.flatnonzero(np.diff(new.indptr) > 0)
    if max_queries is not None and len(eligible) > max_queries:
        eligible = np.sort(rng.choice(eligible, size=max_queries, replace=False))
    return BacktestSplit(
        index=index,
        queries=eligible,
        hidden=[new[[q], :].indices.copy() for q in eligible],
        cut=cut,
        hide_share=hide_share,
        seed=seed,
        train_pairs=G.number_of_edges(),
        hidden_pairs=hidden.height,
    )


def _baseline_scores(index: PartnerIndex, u: int, method: str, noise: np.ndarray) -> np.ndarray:
    b_u = index.binary[[u], :].toarray().ravel()
    if method == "random":
        return noise
    if method == "common_neighbours":
        return index.binary @ b_u
    if method == "preferential_attachment":
        return index.degree[u] * index.degree.astype(float)
    if method == "resource_allocation":
        inv = np.divide(1.0, index.degree, out=np.zeros(len(index.ids)), where=index.degree > 0)
        return index.binary @ (b_u * inv)
    raise UsageError(_say("bad_method", method=method, methods=", ".join(BASELINES)))


def _metrics(
    score: np.ndarray, mask: np.ndarray, hidden: np.ndarray, tie_break: np.ndarray, k: int
) -> tuple[float, float, float]:
    chosen = np.flatnonzero(mask)
    order = chosen[np.lexsort((tie_break[chosen], -score[chosen]))]
    is_hit = np.zeros(len(score), dtype=bool)
    is_hit[hidden] = True
    ranked_hits = np.flatnonzero(is_hit[order])
    hits = int((ranked_hits < k).sum())
    rr = 1.0 / (ranked_hits[0] + 1) if len(ranked_hits) else 0.0
    return hits / k, hits / len(hidden), rr


def evaluate_backtest(
    split: BacktestSplit,
    *,
    k: int = 10,
    weights: PartnerWeights | Mapping[str, PartnerWeights] | None = None,
    baselines: Sequence[str] = BASELINES,
) -> dict[str, dict[str, float]]:
    """Precision@k, recall@k and MRR of the blended method(s) and ``baselines`` on ``split``.

    ``weights`` may map several names to weights (the tuning script scores many blends on one
    split); a single ``PartnerWeights`` is reported as ``"blended"``.
    """
    if k < 1:
        raise UsageError(_say("bad_k", k=k))
    blends = (
        {"blended": weights or PartnerWeights()}
        if not isinstance(weights, Mapping)
        else dict(weights)
    )
    index = split.index
    gaps = _default_gap_matrices(index)
    unreached = _unreached(index, None)
    sums: dict[str, np.ndarray] = {m: np.zeros(3) for m in [*blends, *baselines]}
    features: dict[tuple[float, int], _Features] = {}
    for q, (u, hidden) in enumerate(zip(split.queries.tolist(), split.hidden, strict=True)):
        mask = _candidate_mask(index, u, None)
        noise = split.tie_break(q)
        features.clear()
        for name, w in blends.items():
            key = (w.restart, w.steps)
            if key not in features:
                features[key] = _features(index, u, w, gaps, unreached, None)
            topology, complementarity, gap_bonus = _parts(features[key], w, mask)
            sums[name] += _metrics(topology + complementarity + gap_bonus, mask, hidden, noise, k)
        for method in baselines:
            sums[method] += _metrics(
                _baseline_scores(index, u, method, noise), mask, hidden, noise, k
            )
    n = max(len(split.queries), 1)
    return {
        method: {
            "precision_at_k": float(s[0] / n),
            "recall_at_k": float(s[1] / n),
            "mrr": float(s[2] / n),
        }
        for method, s in sums.items()
    }


def backtest(
    actors: pl.DataFrame,
    ties: pl.DataFrame,
    *,
    k: int = 10,
    hide_share: float = 0.1,
    seed: int = 42,
    weights: PartnerWeights | None = None,
    max_queries: int | None = 500,
) -> BacktestResult:
    """How well suggestions made before the newest ties predict them, against baselines.

    The cut date is the latest with at least ``hide_share`` of the tie rows starting after it;
    pairs first tied after it are the hidden new pairs (a pair that also has an older or an
    undated tie is not new). When fewer than ``hide_share`` of the rows have a start date (or
    all share one date), a seeded random share of the pairs is hidden instead. The graph of the
    remaining ties is built with ``build_graph``; every actor with at least one hidden new
    partner (a seeded sample of ``max_queries`` of them) gets its candidates ranked by each
    method: the blend, ``random`` (seeded), ``common_neighbours``, ``preferential_attachment``
    (degree product) and ``resource_allocation`` (unweighted). Equal scores are broken by the
    same seeded random order for every method. The same arguments give the same numbers.

    Parameters
    ----------
    actors, ties
        As returned by ``graph.analysis.network.load_actors`` and ``load_ties``.
    k
        Length of the suggestion list scored by precision@k and recall@k.
    hide_share, seed, max_queries
        Share of tie rows to hide, seed of every random choice, most actors to query.
    weights
        The blend to test (default ``PartnerWeights()``).

    Returns
    -------
    BacktestResult
        ``methods[name]`` holds ``precision_at_k`` (hits in the top k over k), ``recall_at_k``
        (hits over the actor's hidden partners) and ``mrr`` (1 / rank of the first hidden
        partner in the full ranking), each a mean over the queried actors.

    Raises
    ------
    EcographError
        No actor has a hidden new partner (too few ties, or too few after the cut).

    Examples
    --------
    Three groups of four actors, all tied within their group, no dates: 10 % of the 18 pairs
    (2) are hidden at random, and the blend finds them back.

    >>> from itertools import combinations
    >>> groups = [[f"g{g}a{i}" for i in range(4)] for g in range(3)]
    >>> pairs = [pair for group in groups for pair in combinations(group, 2)]
    >>> ties = pl.DataFrame({"actor_a": [a for a, _ in pairs], "actor_b": [b for _, b in pairs],
    ...     "kind": "partnership", "activity_id": None, "start_date": None, "end_date": None,
    ...     "weight": 1.0, "synthetic": False})
    >>> actors = pl.DataFrame({"actor_id": [a for group in groups for a in group]})
    >>> result = backtest(actors, ties, k=1, seed=1)
    >>> result.hidden_pairs, result.queries
    (2, 4)
    >>> result.methods["blended"]["precision_at_k"], result.methods["random"]["precision_at_k"]
    (1.0, 0.0)
    """
    split = prepare_backtest(
        actors, ties, hide_share=hide_share, seed=seed, max_queries=max_queries
    )
    if len(split.queries) == 0:
        raise EcographError(
            _say("nothing_after", cut=split.cut.isoformat())
            if split.cut
            else _say("nothing_random")
        )
    methods = evaluate_backtest(split, k=k, weights=weights)
    how = (
        _say("split_after", cut=split.cut.isoformat())
        if split.cut is not None
        else _say("split_random", share=translator().percent(hide_share))
    )
    return BacktestResult(
        k=k,
        seed=seed,
        hide_share=hide_share,
        split=how,
        queries=len(split.queries),
        train_pairs=split.train_pairs,
        hidden_pairs=split.hidden_pairs,
        methods=methods,
        query_pairs=int(sum(len(h) for h in split.hidden)),
        cut=split.cut.isoformat() if split.cut is not None else None,
    )
