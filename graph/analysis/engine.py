"""python-igraph as the engine for heavy graph algorithms, giving networkx's answers.

networkx is the API and the reference; igraph (C) computes betweenness, closeness, PageRank,
k-cores, articulation points and Louvain communities 10–65× faster (DESIGN.md). Each function
here returns exactly what the networkx function it names would (tests compare them on small
graphs), in the node order of ``G``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np

__all__ = [
    "IGraph",
    "articulation_points",
    "betweenness",
    "closeness",
    "core_numbers",
    "louvain",
    "pagerank",
    "to_igraph",
]


@dataclass(frozen=True)
class IGraph:
    """An igraph copy of a networkx graph: ``g`` has vertex i = ``nodes[i]``."""

    g: ig.Graph
    nodes: list[str]


def to_igraph(G: nx.Graph, weight: str = "weight") -> IGraph:
    """Copy an undirected networkx graph into igraph once; edge weights as ``weight``."""
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in G.edges(data=True)]
    return IGraph(g, nodes)


def betweenness(ig_graph: IGraph, *, k: int | None = None, seed: int = 42) -> np.ndarray:
    """``nx.betweenness_centrality(G, k=k, seed=seed)`` (normalised, unweighted hops).

    With ``k`` the same ``k`` source nodes networkx would draw are used (``random.Random(seed)``
    sampling ``list(G)``), so the estimate equals networkx's, with its source/non-source scaling.
    """
    g, nodes = ig_graph.g, ig_graph.nodes
    n = len(nodes)
    if n < 3:
        return np.zeros(n)
    if k is None or k >= n:
        raw = np.asarray(g.betweenness(directed=False), dtype=float)
        # igraph counts each unordered pair once; networkx normalises ordered pairs
        return raw * 2.0 / ((n - 1) * (n - 2))
    sampled = random.Random(seed).sample(nodes, k)
    index = {v: i for i, v in enumerate(nodes)}
    sources = [index[s] for s in sampled]
    raw = 2.0 * np.asarray(g.betweenness(directed=False, sources=sources), dtype=float)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return raw * scale


def _component_sizes(g: ig.Graph) -> np.ndarray:
    membership = np.asarray(g.connected_components().membership)
    return np.bincount(membership)[membership]


def closeness(ig_graph: IGraph, *, pivots: int | None = None, seed: int = 42) -> np.ndarray:
    """``nx.closeness_centrality(G)`` (Wasserman–Faust scaling for disconnected graphs).

    With ``pivots`` the distance sums are estimated from BFS out of that many randomly chosen
    source nodes per component (Eppstein–Wang); components no larger than ``pivots`` are exact.
    """
    g, n = ig_graph.g, len(ig_graph.nodes)
    if n <= 1:
        return np.zeros(n)
    size = _component_sizes(g).astype(float)
    if pivots is None:
        # igraph: (r - 1) / sum of distances within the component (NaN when alone)
        raw = np.nan_to_num(np.asarray(g.closeness(normalized=True), dtype=float))
        return raw * (size - 1) / (n - 1)
    membership = np.asarray(g.connected_components().membership)
    value = np.zeros(n)
    small = np.flatnonzero(size <= pivots)
    if len(small):
        raw = np.asarray(g.closeness(vertices=small.tolist(), normalized=True), dtype=float)
        value[small] = np.nan_to_num(raw) * (size[small] - 1) / (n - 1)
    rng = np.random.default_rng(seed)
    for comp in np.unique(membership[size > pivots]):
        members = np.flatnonzero(membership == comp)
        s = len(members)
        chosen = rng.choice(members, pivots, replace=False)
        dist = np.asarray(g.distances(source=chosen.tolist(), target=members.tolist()), float)
        totals = dist.sum(axis=0) * (s / pivots)
        value[members] = (s - 1) / totals * (s - 1) / (n - 1)
    return value


def pagerank(ig_graph: IGraph, *, alpha: float = 0.85) -> np.ndarray:
    """``nx.pagerank(G, alpha, weight="weight")``."""
    if not ig_graph.nodes:
        return np.zeros(0)
    return np.asarray(ig_graph.g.pagerank(damping=alpha, weights="weight"), dtype=float)


def core_numbers(ig_graph: IGraph) -> np.ndarray:
    """``nx.core_number(G)``."""
    return np.asarray(ig_graph.g.coreness(), dtype=int)


def articulation_points(ig_graph: IGraph) -> np.ndarray:
    """A boolean mask: ``nx.articulation_points(G)``."""
    mask = np.zeros(len(ig_graph.nodes), dtype=bool)
    mask[ig_graph.g.articulation_points()] = True
    return mask


def louvain(ig_graph: IGraph, *, resolution: float = 1.0, seed: int = 42) -> np.ndarray:
    """Louvain communities on edge weights (igraph's multilevel, seeded): a label per node.

    Not identical to networkx's Louvain (another implementation and random order), but of equal
    modularity in tests; used above the size where networkx's is too slow.
    """
    state = random.getstate()
    random.seed(seed)  # python-igraph draws its random numbers from Python's random module
    try:
        clusters = ig_graph.g.community_multilevel(weights="weight", resolution=resolution)
    finally:
        random.setstate(state)
    return np.asarray(clusters.membership, dtype=int)
