"""Gould–Fernandez brokerage roles: how often each actor sits between two partners who are not
tied to each other, and which groups those three belong to.

Structural holes (:mod:`graph.analysis.holes`) say *whether* an actor brokers; brokerage roles say
*between whom*. An actor who links firms of its own cluster coordinates; one who links a cluster to
an outside funder is a gatekeeper or representative; one who links two other groups it does not
belong to is a liaison. For a regional strategist this tells apart brokers inside a group from the
few actors that hold different groups (kinds, helices, municipalities) together.

Everything is counted with numpy over arrays of ties: per-actor counts of partner pairs come from
group counts of the partners, and the pairs that are closed (a triangle) are found by listing
triangles in bounded chunks and subtracted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import networkx as nx
import numpy as np
import numpy.typing as npt
import polars as pl
from networkx.utils import not_implemented_for

__all__ = ["ROLES", "UNKNOWN_GROUP", "brokerage_roles"]

UNKNOWN_GROUP = "(unknown)"
"""The group of an actor that ``groups`` does not name."""

ROLES = ("coordinator", "itinerant", "gatekeeper_representative", "liaison")
"""The role columns of :func:`brokerage_roles`, in order."""

_COORDINATOR, _ITINERANT, _GATEKEEPER, _LIAISON = range(len(ROLES))

# The most candidate triangles (two forward neighbours of one actor) held at once: about 50 bytes
# each, so a chunk stays near 200 MB.
_WEDGE_BUDGET = 1 << 22

Array = npt.NDArray[np.int64]


def _ties(G: nx.Graph, nodes: list[object]) -> tuple[Array, Array]:
    """Each tie once as ``(lo, hi)`` node positions with ``lo < hi``, sorted; self-loops dropped."""
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.fromiter(
        ((index[u], index[v]) for u, v in G.edges()),
        dtype=np.dtype((np.int64, 2)),
        count=G.number_of_edges(),
    ).reshape(-1, 2)
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    n = len(nodes)
    # unique also merges the parallel ties of a multigraph
    keys = np.unique(lo[lo != hi] * n + hi[lo != hi])
    return keys // n, keys % n


def _triangles(lo: Array, hi: Array, n: int) -> Iterator[tuple[Array, Array, Array]]:
    """Every triangle once, as three arrays of node positions, a bounded chunk at a time.

    Ties point from the lower to the higher (degree, position) rank, so each triangle is seen
    once, from its lowest-ranked corner, as a pair of that corner's forward neighbours that are
    tied to each other; ranking by degree keeps the forward neighbour lists of hubs short.
    """
    degree = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    forward = rank[lo] < rank[hi]
    source = np.where(forward, lo, hi)
    target = np.where(forward, hi, lo)
    order = np.argsort(source, kind="stable")
    target = target[order]
    out_degree = np.bincount(source, minlength=n)
    indptr = np.concatenate([[0], np.cumsum(out_degree)])
    tie_keys = lo * n + hi  # sorted, because _ties returns them sorted

    wedges = np.concatenate([[0], np.cumsum(out_degree * (out_degree - 1) // 2)])
    start = 0
    while start < n:
        stop = int(np.searchsorted(wedges, wedges[start] + _WEDGE_BUDGET, side="right")) - 1
        stop = min(max(stop, start + 1), n)
        first_pos, stop_pos = indptr[start], indptr[stop]
        if wedges[stop] > wedges[start]:
            # each position p of a forward list pairs with every later position of the same list
            corner = np.repeat(np.arange(start, stop), out_degree[start:stop])
            position = np.arange(first_pos, stop_pos)
            later = indptr[corner + 1] - position - 1
            first = np.repeat(position, later)
            offset = np.arange(first.size) - np.repeat(np.cumsum(later) - later, later)
            second = first + 1 + offset
            a = np.repeat(corner, later)
            b, c = target[first], target[second]
            key = np.minimum(b, c) * n + np.maximum(b, c)
            found = np.searchsorted(tie_keys, key).clip(max=max(tie_keys.size - 1, 0))
            closed = tie_keys[found] == key
            yield a[closed], b[closed], c[closed]
        start = stop


def _role(broker: Array, one: Array, other: Array) -> Array:
    """The role of a broker between two partners, from the three groups."""
    one_inside = one == broker
    other_inside = other == broker
    return np.where(
        one_inside & other_inside,
        _COORDINATOR,
        np.where(
            one_inside ^ other_inside,
            _GATEKEEPER,
            np.where(one == other, _ITINERANT, _LIAISON),
        ),
    )


@not_implemented_for("directed")
def brokerage_roles(G: nx.Graph, groups: Mapping[str, str]) -> pl.DataFrame:
    """How many brokerage opportunities of each Gould–Fernandez role every actor has.

    An opportunity is an open triad u – v – w: broker v is tied to u and to w, and u and w are
    not tied to each other, so what passes between them can pass through v. Each unordered pair
    {u, w} of v's partners that are not tied counts once, in the role given by the groups:

    * ``coordinator``: u, v and w all in the same group (brokering inside one's own group);
    * ``itinerant`` (Gould and Fernandez's consultant): u and w in one group, v in another;
    * ``gatekeeper_representative``: exactly one of u and w in v's group. On directed ties a
      gatekeeper controls what flows *into* its group and a representative what flows *out*;
      ecograph's ties are undirected, so the two cannot be told apart and are counted together;
    * ``liaison``: u, v and w in three different groups.

    The counts show who holds groups together (gatekeepers and liaisons between helices, kinds
    or municipalities) and who brokers only inside a group. The roles of all pairs come from how
    many of v's partners are in each group, then the pairs that are tied (triangles) are listed
    and subtracted, all with numpy, so 100 000 actors and a million ties take seconds.

    Parameters
    ----------
    G : networkx graph
        Undirected ties; weights are ignored, parallel ties count once, self-loops are ignored.
    groups : mapping of actor id to group name
        The group of each actor (its kind, helix, municipality, community, ...). Actors missing
        from it are in the group ``"(unknown)"``.

    Returns
    -------
    polars.DataFrame
        ``actor_id, group, coordinator, itinerant, gatekeeper_representative, liaison, total``:
        one row per node in ``G``'s order; counts are integers, ``total`` is their sum.

    Raises
    ------
    networkx.NetworkXNotImplemented
        If ``G`` is directed.

    Examples
    --------
    Firm b of cluster x is tied to a (also x) and to funders c and d (group y), and nobody else
    is tied. Between a and c, and between a and d, b is a gatekeeper; between c and d it is
    itinerant:

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("b", "d")])
    >>> roles = brokerage_roles(G, {"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> roles.row(1)
    ('b', 'x', 0, 1, 2, 0, 3)
    """
    nodes = list(G)
    n = len(nodes)
    labels = [groups.get(node, UNKNOWN_GROUP) for node in nodes]
    names, group = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    group = group.astype(np.int64).ravel()
    lo, hi = _ties(G, nodes)

    # Every pair of v's partners, by role: from the number of partners in v's own group and the
    # number in each group.
    broker = np.concatenate([lo, hi])
    partner = np.concatenate([hi, lo])
    degree = np.bincount(broker, minlength=n)
    inside = np.bincount(broker[group[broker] == group[partner]], minlength=n)
    outside = degree - inside
    by_group, per_group = np.unique(broker * len(names) + group[partner], return_counts=True)
    same_group_pairs = np.bincount(
        by_group // max(len(names), 1), weights=per_group * (per_group - 1) // 2, minlength=n
    ).astype(np.int64)
    pairs = np.zeros((n, len(ROLES)), dtype=np.int64)
    pairs[:, _COORDINATOR] = inside * (inside - 1) // 2
    pairs[:, _ITINERANT] = same_group_pairs - pairs[:, _COORDINATOR]
    pairs[:, _GATEKEEPER] = inside * outside
    pairs[:, _LIAISON] = outside * (outside - 1) // 2 - pairs[:, _ITINERANT]

    # A triangle a-b-c closes one pair for each of its corners.
    closed = np.zeros(n * len(ROLES), dtype=np.int64)
    for a, b, c in _triangles(lo, hi, n):
        for v, u, w in ((a, b, c), (b, a, c), (c, a, b)):
            role = _role(group[v], group[u], group[w])
            closed += np.bincount(v * len(ROLES) + role, minlength=closed.size)
    pairs -= closed.reshape(n, len(ROLES))

    columns: dict[str, pl.Series] = {
        "actor_id": pl.Series(nodes, dtype=pl.String if not nodes else None),
        "group": pl.Series(labels, dtype=pl.String),
    }
    for i, role_name in enumerate(ROLES):
        columns[role_name] = pl.Series(pairs[:, i], dtype=pl.Int64)
    columns["total"] = pl.Series(pairs.sum(axis=1), dtype=pl.Int64)
    return pl.DataFrame(columns)
