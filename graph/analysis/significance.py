"""Is a gap real? Group mixing tested against a degree-preserving null model.

A pair of groups with fewer ties than their activity predicts may be chance: small groups and
small expected counts swing a lot. Here the observed ties between two groups are compared with
their distribution over random networks with exactly the same degrees (every actor keeps its
number of partners), drawn by degree-preserving rewiring (double-edge swaps; Maslov & Sneppen
2002, "Specificity and stability in topology of protein networks", Science 296: 910–913), with
igraph's ``rewire`` and a fixed seed.

One Markov chain of swaps serves every grouping: ``burn_in`` swap trials per tie from the
observed network, then a null network every ``thinning`` trials per tie, ``networks`` of them.
For each pair of groups this gives

- ``expected``: the mean number of ties over the null networks (the ratio is observed/expected);
- ``ci_low``, ``ci_high``: the 5th and 95th percentiles of the null counts (a 90 % interval);
- ``z``: (observed − expected) / standard deviation of the null counts;
- ``p_value``: one-sided, in the direction of the deviation, from the normal approximation with
  the null mean and standard deviation (Student's t with networks − 1 degrees of freedom, as
  the deviation is estimated from them) and a continuity correction of half a tie (simulated
  p-values from 50 networks cannot go below 1/51, too coarse for a correction over many pairs);
- ``q_value``: Benjamini–Hochberg (1995) over the judged pairs of the grouping, applied to
  2 · ``p_value`` (each pair is tested in both directions);
- ``verdict``: ``gap`` (fewer ties than expected, q < ``alpha``), ``more_than_expected``,
  ``as_expected``, or ``too_few_to_judge`` (expected below ``min_expected`` ties, or a group of
  one actor on the diagonal, which can never tie with itself).
"""

from __future__ import annotations

import functools
import itertools
import random
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.special import stdtr

from graph.analysis.mixing import GROUPINGS, group_mixing, memberships

# igraph has one random-number generator per process: one chain at a time may swap it in
_IGRAPH_RNG = threading.Lock()

__all__ = [
    "SIGNIFICANCE_COLUMNS",
    "VERDICTS",
    "NullModelParams",
    "benjamini_hochberg",
    "mixing_significance",
    "null_graphs",
    "null_networks",
]

VERDICTS = ("gap", "more_than_expected", "as_expected", "too_few_to_judge")
SIGNIFICANCE_COLUMNS = ("ci_low", "ci_high", "z", "p_value", "q_value", "verdict")

_COLUMNS = {
    "grouping": pl.String,
    "group_a": pl.String,
    "group_b": pl.String,
    "observed": pl.Float64,
    "expected": pl.Float64,
    "ratio": pl.Float64,
    "density": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "z": pl.Float64,
    "p_value": pl.Float64,
    "q_value": pl.Float64,
    "verdict": pl.String,
}


@dataclass(frozen=True)
class NullModelParams:
    """How the null networks are drawn and the pairs judged (recorded with every result).

    networks:
        Number of null networks (degree-preserving random networks).
    burn_in:
        Swap trials per tie before the first null network (igraph's default rewiring is 10).
    thinning:
        Swap trials per tie between two null networks (0.5: every tie is moved about once).
    seed:
        Seed of the swaps: the same data and parameters give the same verdicts.
    min_expected:
        Pairs expected to have fewer ties than this are ``too_few_to_judge``.
    alpha:
        The false-discovery rate below which a pair is a gap (or more than expected).
    """

    networks: int = 50
    burn_in: float = 10.0
    thinning: float = 0.5
    seed: int = 42
    min_expected: float = 5.0
    alpha: float = 0.05

    def to_params(self) -> dict[str, Any]:
        return asdict(self)


def _edge_array(g: ig.Graph) -> np.ndarray:
    flat = np.fromiter(
        itertools.chain.from_iterable(g.get_edgelist()), dtype=np.int32, count=2 * g.ecount()
    )
    return flat.reshape(-1, 2)


def null_networks(
    n: int, edges: np.ndarray, params: NullModelParams | None = None
) -> Iterator[np.ndarray]:
    """Yield ``params.networks`` edge arrays (m × 2 node positions) of degree-preserving random
    networks drawn from the network of ``n`` nodes and ``edges``.

    The chain's random state is its own (``random.Random(params.seed)``, lent to igraph for the
    swaps only), so the same network and seed give the same random networks in any process.

    Examples
    --------
    >>> edges = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
    >>> nets = list(null_networks(4, edges, NullModelParams(networks=3)))
    >>> [sorted(np.bincount(e.ravel(), minlength=4).tolist()) for e in nets]
    [[2, 2, 3, 3], [2, 2, 3, 3], [2, 2, 3, 3]]
    """
    for _, net in null_graphs(n, edges, params):
        yield net


def null_graphs(
    n: int, edges: np.ndarray, params: NullModelParams | None = None
) -> Iterator[tuple[ig.Graph, np.ndarray]]:
    """``null_networks`` with each network also as the igraph graph the chain rewires (valid
    until the next one is drawn: read it, never change it)."""
    params = params or NullModelParams()
    m = len(edges)
    g = ig.Graph(n=n, edges=[(int(a), int(b)) for a, b in edges], directed=False)
    # The chain draws from a generator of its own, handed to igraph only while it swaps: the
    # global ``random`` module is shared by every thread of the process (a Streamlit server
    # runs sessions and spinners in threads), so a chain on it would not repeat itself.
    chain = random.Random(params.seed)

    def swap(trials: int) -> None:
        if m < 2 or trials < 1:
            return
        with _IGRAPH_RNG:
            ig.set_random_number_generator(chain)
            try:
                g.rewire(n=trials, allowed_edge_types="simple")
            finally:
                ig.set_random_number_generator(random)

    swap(round(params.burn_in * m))
    for r in range(params.networks):
        if r:
            swap(max(1, round(params.thinning * m)))
        yield g, (_edge_array(g) if m else np.zeros((0, 2), dtype=np.int64))


@dataclass(frozen=True)
class _Coding:
    """One grouping as numbers: the group of each node in one group (``codes``, -1 for a node
    in several) and, when some node is in several, their shares (``matrix``, n × k)."""

    groups: list[str]
    sizes: np.ndarray  # distinct actors per group
    codes: np.ndarray
    matrix: sp.csr_matrix | None

    def counts(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Ties between each pair of groups (upper triangle, row-major, diagonal included)."""
        k = len(self.groups)
        cu, cv = self.codes[u], self.codes[v]
        single = (cu >= 0) & (cv >= 0)
        flat = np.bincount(cu[single] * k + cv[single], minlength=k * k)
        square = flat.reshape(k, k).astype(np.float64)
        if self.matrix is not None and not single.all():
            # only the ties of actors in several groups go through the (slower) shares
            rest = ~single
            square += (self.matrix[u[rest]].T @ self.matrix[v[rest]]).toarray()
        both = square + square.T
        np.fill_diagonal(both, np.diag(square))
        return both[self.upper]

    @property
    def upper(self) -> tuple[np.ndarray, np.ndarray]:
        return _upper(len(self.groups))


@functools.lru_cache(maxsize=16)
def _upper(k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(k)


def _coding(members: pl.DataFrame, order: Sequence[str]) -> _Coding:
    groups = sorted(members["group"].unique().to_list())
    index = {g: i for i, g in enumerate(groups)}
    position = {v: i for i, v in enumerate(order)}
    rows = np.array([position[v] for v in members["actor_id"]], dtype=np.int64)
    cols = np.array([index[g] for g in members["group"]], dtype=np.int64)
    sizes = np.bincount(cols, minlength=len(groups))
    per_node = np.bincount(rows, minlength=len(order))
    codes = np.full(len(order), -1, dtype=np.int64)
    alone = per_node[rows] == 1
    codes[rows[alone]] = cols[alone]
    if (per_node == 1).all():
        return _Coding(groups, sizes, codes, None)
    matrix = sp.csr_matrix(
        (members["share"].to_numpy(), (rows, cols)), shape=(len(order), len(groups))
    )
    return _Coding(groups, sizes, codes, matrix)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values) of ``p``, in the same order.

    Examples
    --------
    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5])).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    scaled = p[order] * n / np.arange(1, n + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def _judge(
    observed: np.ndarray,
    samples: np.ndarray,
    too_few_diagonal: np.ndarray,
    params: NullModelParams,
) -> dict[str, np.ndarray]:
    """The significance columns of one grouping from its null counts (networks × pairs)."""
    mean = samples.mean(axis=0)
    sd = samples.std(axis=0, ddof=1) if len(samples) > 1 else np.zeros(samples.shape[1])
    low, high = np.quantile(samples, [0.05, 0.95], axis=0)
    diff = observed - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, diff / sd, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
        corrected = np.maximum(np.abs(diff) - 0.5, 0.0)
        p = np.where(
            sd > 0,
            stdtr(max(len(samples) - 1, 1), -corrected / np.where(sd > 0, sd, 1.0)),
            np.where(np.abs(diff) < 1e-9, 1.0, 0.0),
        )
    p = np.minimum(p, 1.0)
    judged = (mean >= params.min_expected) & ~too_few_diagonal
    q = np.full(len(p), np.nan)
    q[judged] = benjamini_hochberg(np.minimum(2 * p[judged], 1.0))
    verdict = np.where(
        ~judged,
        "too_few_to_judge",
        np.where(
            q < params.alpha,
            np.where(diff < 0, "gap", "more_than_expected"),
            "as_expected",
        ),
    )
    return {
        "expected": mean,
        "ci_low": low,
        "ci_high": high,
        "z": z,
        "p_value": p,
        "q_value": q,
        "verdict": verdict,
    }


def mixing_significance(
    G: nx.Graph,
    groupings: Sequence[str] = GROUPINGS,
    community: Mapping[str, int] | None = None,
    params: NullModelParams | None = None,
) -> pl.DataFrame:
    """``group_mixing`` of every grouping, with ``expected`` from the null networks and the
    significance columns (``ci_low, ci_high, z, p_value, q_value, verdict``).

    Parameters
    ----------
    G : nx.Graph
        The network (simple, undirected).
    groupings : sequence of str
        Groupings of ``graph.analysis.mixing.GROUPINGS``; one chain of null networks serves all.
    community : mapping, optional
        Each actor's community, for the ``community`` grouping.
    params : NullModelParams, optional
        Number of null networks, swaps, seed, minimum expected ties, false-discovery rate.

    Returns
    -------
    pl.DataFrame
        ``grouping, group_a, group_b, observed, expected, ratio, density, ci_low, ci_high, z,
        p_value, q_value, verdict``, one row per pair of groups (``group_a <= group_b``).

    Examples
    --------
    Two cliques of five firms (kinds a and b) joined by one tie: 1 tie between the kinds where
    the random networks with the same degrees give 9 to 15; each clique's 10 inner ties lie
    above its 90 % interval, but fewer than 5 were expected there.

    >>> G = nx.relabel_nodes(nx.barbell_graph(5, 0), str)
    >>> nx.set_node_attributes(G, {v: "a" if int(v) < 5 else "b" for v in G}, "kind")
    >>> result = mixing_significance(G, ["kind"])
    >>> for row in result.select("group_a", "group_b", "observed", "expected", "ci_low", "ci_high"
    ...     ).rows():
    ...     print(row)
    ('a', 'a', 10.0, 4.52, 3.0, 6.0)
    ('a', 'b', 1.0, 11.96, 9.0, 15.0)
    ('b', 'b', 10.0, 4.52, 3.0, 6.0)
    >>> result["verdict"].to_list()
    ['too_few_to_judge', 'gap', 'too_few_to_judge']
    """
    params = params or NullModelParams()
    if G.number_of_nodes() == 0 or params.networks == 0:
        return pl.DataFrame(schema=_COLUMNS)
    # actors and ties in a canonical order, so the same network gives the same random networks
    # however it was built
    order = sorted(G)
    frames = {g: group_mixing(G, g, community) for g in groupings}
    codings = {g: _coding(memberships(G, g, community), order) for g in groupings}
    position = {a: i for i, a in enumerate(order)}
    tie_pairs = sorted(
        (min(position[a], position[b]), max(position[a], position[b])) for a, b in G.edges()
    )
    edges = np.array(tie_pairs, dtype=np.int64).reshape(-1, 2)
    samples = {
        g: np.empty((params.networks, len(c.groups) * (len(c.groups) + 1) // 2))
        for g, c in codings.items()
    }
    for r, net in enumerate(null_networks(len(order), edges, params)):
        for g, c in codings.items():
            samples[g][r] = c.counts(net[:, 0], net[:, 1])
    out = []
    for g, coding in codings.items():
        k = len(coding.groups)
        if k == 0 or params.networks == 0:
            continue
        ia, ib = np.triu_indices(k)
        names = np.array(coding.groups, dtype=object)
        pairs = pl.DataFrame(
            {"group_a": names[ia].tolist(), "group_b": names[ib].tolist()},
            schema={"group_a": pl.String, "group_b": pl.String},
        )
        mix = pairs.join(frames[g], on=["group_a", "group_b"], how="left", maintain_order="left")
        diagonal_of_one = (ia == ib) & (coding.sizes[ia] <= 1)
        judged = _judge(mix["observed"].to_numpy(), samples[g], diagonal_of_one, params)
        mix = mix.with_columns(
            *(pl.Series(name, values) for name, values in judged.items()),
        ).with_columns(
            pl.when(pl.col("expected") > 0)
            .then(pl.col("observed") / pl.col("expected"))
            .otherwise(None)
            .alias("ratio"),
            pl.col("q_value").fill_nan(None),
        )
        out.append(mix.select(list(_COLUMNS)))
    if not out:
        return pl.DataFrame(schema=_COLUMNS)
    return pl.concat(out).sort("grouping", "group_a", "group_b")
