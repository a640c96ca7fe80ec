"""igraph as the engine must give networkx's answers (networkx is the reference)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graph.analysis import engine


def _graphs() -> list[nx.Graph]:
    florentine = nx.florentine_families_graph()
    disconnected = nx.gnm_random_graph(80, 120, seed=4)
    disconnected.add_nodes_from(["isolated-1", "isolated-2"])
    weighted = nx.barabasi_albert_graph(120, 3, seed=5)
    rng = np.random.default_rng(1)
    for u, v in weighted.edges():
        weighted.edges[u, v]["weight"] = float(rng.integers(1, 4))
    return [florentine, disconnected, weighted]


@pytest.mark.parametrize("G", _graphs())
def test_exact_algorithms_equal_networkx(G: nx.Graph) -> None:
    igg = engine.to_igraph(G)
    nodes = igg.nodes
    ref_b = nx.betweenness_centrality(G)
    assert engine.betweenness(igg) == pytest.approx([ref_b[v] for v in nodes], abs=1e-12)
    ref_c = nx.closeness_centrality(G)
    assert engine.closeness(igg) == pytest.approx([ref_c[v] for v in nodes], abs=1e-12)
    ref_p = nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000)
    assert engine.pagerank(igg) == pytest.approx([ref_p[v] for v in nodes], abs=1e-9)
    ref_k = nx.core_number(G)
    assert engine.core_numbers(igg).tolist() == [ref_k[v] for v in nodes]
    cut = set(nx.articulation_points(G))
    assert engine.articulation_points(igg).tolist() == [v in cut for v in nodes]


@pytest.mark.parametrize("G", _graphs()[1:])
def test_sampled_betweenness_equals_networkx_sample(G: nx.Graph) -> None:
    """With the same seed igraph uses the very sources networkx samples, so the estimates are
    identical, not just close."""
    igg = engine.to_igraph(G)
    ref = nx.betweenness_centrality(G, k=17, seed=42)
    got = engine.betweenness(igg, k=17, seed=42)
    assert got == pytest.approx([ref[v] for v in igg.nodes], abs=1e-12)


def test_pivot_closeness_is_exact_for_small_components_and_close_for_large() -> None:
    G = nx.connected_watts_strogatz_graph(1500, 6, 0.1, seed=3)
    G.add_edges_from([("x", "y"), ("y", "z")])  # a small component: computed exactly
    igg = engine.to_igraph(G)
    exact = engine.closeness(igg)
    sampled = engine.closeness(igg, pivots=200, seed=1)
    small = [igg.nodes.index(v) for v in ("x", "y", "z")]
    assert sampled[small] == pytest.approx(exact[small], abs=1e-12)
    relative = np.abs(sampled - exact) / exact
    assert np.median(relative) < 0.03


def test_louvain_matches_networkx_quality() -> None:
    """Another implementation, so not the same partition, but as good a one."""
    G = nx.planted_partition_graph(6, 40, 0.3, 0.01, seed=2)
    igg = engine.to_igraph(G)
    labels = engine.louvain(igg, seed=7)
    ours = [set(np.asarray(igg.nodes)[labels == c].tolist()) for c in np.unique(labels)]
    theirs = nx.community.louvain_communities(G, seed=7)
    assert nx.community.modularity(G, ours) == pytest.approx(
        nx.community.modularity(G, theirs), abs=0.02
    )
    assert (engine.louvain(igg, seed=7) == labels).all(), "seeded: same result twice"


def test_degenerate_graphs() -> None:
    for G in (nx.Graph(), nx.empty_graph(["a"]), nx.empty_graph(["a", "b", "c"])):
        igg = engine.to_igraph(G)
        n = G.number_of_nodes()
        assert engine.betweenness(igg).tolist() == [0.0] * n
        assert engine.closeness(igg).tolist() == [0.0] * n
        assert engine.articulation_points(igg).tolist() == [False] * n
