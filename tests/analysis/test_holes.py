"""Burt's constraint and effective size: equal to networkx on small graphs, bounded in memory."""

from __future__ import annotations

import math
import random

import networkx as nx
import polars as pl
import pytest

import graph.analysis.holes
from graph.analysis.holes import structural_holes


def _weighted_random_graph(seed: int) -> nx.Graph:
    """A sparse random graph with weights 1-3, an isolated node and a few leaves."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(40, 0.12, seed=seed)
    G = nx.relabel_nodes(G, {i: f"n{i}" for i in G})
    for _, _, data in G.edges(data=True):
        data["weight"] = rng.uniform(1, 3)
    G.add_node("alone")
    G.add_edge("leaf", "n0", weight=2.5)
    return G


def _assert_matches(frame: pl.DataFrame, column: str, expected: dict[str, float]) -> None:
    """Compare with a networkx result: same order, equal values, null where networkx gives nan."""
    assert frame["actor_id"].to_list() == list(expected)
    for actor, value in zip(frame["actor_id"], frame[column], strict=True):
        if math.isnan(expected[actor]):
            assert value is None, actor
        else:
            assert value == pytest.approx(expected[actor], abs=1e-9), actor


def test_florentine_families_match_networkx() -> None:
    """The named graph networkx's own tests use: unweighted constraint and effective size."""
    G = nx.florentine_families_graph()
    holes = structural_holes(G, weight=None)
    assert holes.columns == ["actor_id", "burt_constraint", "effective_size"]
    _assert_matches(holes, "burt_constraint", nx.constraint(G))
    _assert_matches(holes, "effective_size", nx.effective_size(G))


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_unweighted_random_graphs_match_networkx(seed: int) -> None:
    """weight=None must ignore the weights the graph has; networkx then uses n - 2t/n."""
    G = _weighted_random_graph(seed)
    holes = structural_holes(G, weight=None)
    _assert_matches(holes, "burt_constraint", nx.constraint(G, weight=None))
    _assert_matches(holes, "effective_size", nx.effective_size(G, weight=None))


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_weighted_random_graphs_match_networkx(seed: int) -> None:
    """Weighted constraint equals nx.constraint; weighted effective size equals networkx's
    per-node path (``nodes=...``), which follows Burt's formula. networkx 3.6's all-nodes path
    divides by the wrong node's strongest tie (networkx PR #8906), so it is not the reference."""
    G = _weighted_random_graph(seed)
    holes = structural_holes(G, weight="weight")
    _assert_matches(holes, "burt_constraint", nx.constraint(G, weight="weight"))
    _assert_matches(holes, "effective_size", nx.effective_size(G, nodes=list(G), weight="weight"))


def test_weighted_triangle_by_hand() -> None:
    """Pins Burt's weighted formulas on a triangle ab=1, ac=2, bc=1 (strengths a 3, b 2, c 3).

    p_ab = 1/3, p_ac = 2/3, p_bc = 1/2, p_cb = 1/3.
    constraint(a) = (p_ab + p_ac p_cb)^2 + (p_ac + p_ab p_bc)^2
                  = (1/3 + 2/9)^2 + (2/3 + 1/6)^2 = 25/81 + 25/36 = 325/324.
    m_bc = w_bc / max tie of b = 1/1, m_cb = w_cb / max tie of c = 1/2.
    effective_size(a) = (1 - p_ac m_bc) + (1 - p_ab m_cb) = 1/3 + 5/6 = 7/6
    (networkx's all-nodes path gives 4/3 here, dividing by c's and b's maxima the other way).
    """
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1.0), ("a", "c", 2.0), ("b", "c", 1.0)])
    a = structural_holes(G).row(0, named=True)
    assert a["burt_constraint"] == pytest.approx(325 / 324, abs=1e-12)
    assert a["effective_size"] == pytest.approx(7 / 6, abs=1e-12)


def test_isolated_nodes_are_null_and_leaves_fully_constrained() -> None:
    """Both measures are undefined without ties (null, not nan, so SQL and polars skip them); a
    leaf depends on one partner: constraint 1, effective size 1. Path a-b-c: b spends half its
    ties on each of two untied partners, constraint 1/4 + 1/4, effective size 2."""
    G = nx.path_graph(["a", "b", "c"])
    G.add_node("z")
    holes = structural_holes(G)
    assert holes.rows() == [
        ("a", 1.0, 1.0),
        ("b", 0.5, 2.0),
        ("c", 1.0, 1.0),
        ("z", None, None),
    ]


def test_chunking_does_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """One row at a time, and chunks cut by a tiny product budget (every hub alone), must give
    the same numbers as one chunk: the chunk boundaries are an implementation detail."""
    G = nx.barabasi_albert_graph(300, 3, seed=7)
    G = nx.relabel_nodes(G, {i: f"n{i}" for i in G})
    rng = random.Random(7)
    for _, _, data in G.edges(data=True):
        data["weight"] = rng.uniform(1, 3)
    whole = structural_holes(G, chunk_rows=10_000)
    by_row = structural_holes(G, chunk_rows=1)
    monkeypatch.setattr(graph.analysis.holes, "_PRODUCT_BUDGET", 50)
    by_budget = structural_holes(G, chunk_rows=64)
    for other in (by_row, by_budget):
        assert other["actor_id"].to_list() == whole["actor_id"].to_list()
        for column in ("burt_constraint", "effective_size"):
            assert other[column].to_list() == pytest.approx(whole[column].to_list(), abs=1e-12)


def test_empty_graph_has_the_schema() -> None:
    """An empty filter result must still give a frame that joins and concatenates."""
    holes = structural_holes(nx.Graph())
    assert holes.schema == pl.Schema(
        {"actor_id": pl.String, "burt_constraint": pl.Float64, "effective_size": pl.Float64}
    )
    assert holes.height == 0


def test_missing_weight_counts_one_and_self_loops_are_ignored() -> None:
    """A tie without the weight attribute weighs 1 (as in networkx); a self-loop is not a
    contact, so adding one changes nothing."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    expected = structural_holes(G, weight=None)
    G.add_edge("c", "c", weight=5.0)
    assert structural_holes(G, weight="weight").rows() == expected.rows()


def test_directed_graph_uses_mutual_weights_like_networkx() -> None:
    """On directed ties networkx adds the two directions of a pair; so does the matrix here.
    networkx's per-node effective size calls a node with only incoming ties isolated (it looks at
    successors only), so those nodes are left out of the effective-size comparison."""
    G = nx.gnp_random_graph(25, 0.15, seed=3, directed=True)
    for u, v, data in G.edges(data=True):
        data["weight"] = float((u + v) % 3 + 1)
    G = nx.relabel_nodes(G, {i: f"n{i}" for i in G})
    holes = structural_holes(G)
    _assert_matches(holes, "burt_constraint", nx.constraint(G, weight="weight"))
    senders = [v for v in G if G.out_degree(v)]
    assert len(senders) > 15
    expected = nx.effective_size(G, nodes=senders, weight="weight")
    _assert_matches(holes.filter(pl.col("actor_id").is_in(senders)), "effective_size", expected)


def test_bad_arguments_raise() -> None:
    """A non-positive weight would divide by zero or flip signs; say so instead."""
    with pytest.raises(ValueError, match="positive"):
        structural_holes(nx.Graph([("a", "b", {"weight": 0.0})]))
    with pytest.raises(ValueError, match="chunk_rows"):
        structural_holes(nx.path_graph(["a", "b"]), chunk_rows=0)
