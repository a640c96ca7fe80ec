"""Support distance: hops from targets to the nearest support actor, unreached flagged."""

from __future__ import annotations

import networkx as nx

from graph.analysis.support import support_distance


def _graph() -> nx.Graph:
    """uni – cluster – firm1 – firm2, and a separate pocket cowork – firm3."""
    G = nx.Graph(
        [("uni", "cluster"), ("cluster", "firm1"), ("firm1", "firm2"), ("cowork", "firm3")]
    )
    kinds = {
        "uni": "academia",
        "cluster": "cluster",
        "firm1": "company",
        "firm2": "company",
        "cowork": "coworking",
        "firm3": "company",
    }
    nx.set_node_attributes(G, kinds, "kind")
    nx.set_node_attributes(G, {v: v.upper() for v in G}, "name")
    return G


def test_hops_nearest_and_unreached() -> None:
    rows = (
        support_distance(_graph())
        .select("actor_id", "hops", "nearest_support_name", "reached")
        .rows()
    )
    assert rows == [
        ("cluster", 1, "UNI", True),
        ("firm1", 2, "UNI", True),
        ("firm2", 3, "UNI", True),
        ("cowork", None, None, False),
        ("firm3", None, None, False),
    ]


def test_configurable_sets_and_agreement_with_networkx() -> None:
    G = nx.connected_watts_strogatz_graph(200, 4, 0.2, seed=1)
    kinds = {v: ("academia" if v % 17 == 0 else "company") for v in G}
    nx.set_node_attributes(G, kinds, "kind")
    nx.set_node_attributes(G, {v: str(v) for v in G}, "name")
    G = nx.relabel_nodes(G, {v: f"n{v:03d}" for v in G})
    frame = support_distance(G, targets=("company",), support=("academia",))
    sources = [v for v, k in G.nodes(data="kind") if k == "academia"]
    reference = nx.multi_source_dijkstra_path_length(G, sources)
    assert dict(zip(frame["actor_id"], frame["hops"], strict=True)) == {
        v: reference[v] for v, k in G.nodes(data="kind") if k == "company"
    }
    assert frame["hops"].min() == 1


def test_target_that_is_also_support_is_zero_hops() -> None:
    G = _graph()
    frame = support_distance(G, targets=("academia",), support=("academia",))
    assert frame.select("actor_id", "hops").rows() == [("uni", 0)]


def test_no_support_at_all_and_empty_graph() -> None:
    G = _graph()
    frame = support_distance(G, support=("funder",))
    assert not frame["reached"].any()
    assert support_distance(nx.Graph()).height == 0
