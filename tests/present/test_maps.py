"""Maps: level of detail, layout, the pyvis HTML and the geographic layers."""

from __future__ import annotations

import json
import re

import networkx as nx
import polars as pl

from graph.analysis.metrics import actor_metrics
from graph.present.maps import (
    MapOptions,
    geo_layers,
    layout,
    level_of_detail,
    network_html,
    palette,
    standalone_map,
)


def _two_cliques() -> tuple[nx.Graph, dict[str, int]]:
    """Community 0: a1..a4 (a clique, 6 ties); community 1: b1..b3 (a triangle, 3 ties);
    two ties between them (a1–b1 weight 2, a2–b1 weight 1)."""
    G = nx.Graph()
    a = [f"a{i}" for i in range(1, 5)]
    b = [f"b{i}" for i in range(1, 4)]
    G.add_edges_from(((u, v) for i, u in enumerate(a) for v in a[i + 1 :]), weight=1.0)
    G.add_edges_from(((u, v) for i, u in enumerate(b) for v in b[i + 1 :]), weight=1.0)
    G.add_edge("a1", "b1", weight=2.0)
    G.add_edge("a2", "b1", weight=1.0)
    nx.set_node_attributes(G, {v: v.upper() for v in G}, "name")
    nx.set_node_attributes(G, dict.fromkeys(G, "company"), "kind")
    return G, {**dict.fromkeys(a, 0), **dict.fromkeys(b, 1)}


def test_under_the_budget_everything_is_drawn() -> None:
    G, community = _two_cliques()
    lod = level_of_detail(G, budget=7, community=community)
    assert (lod.mode, lod.graph is G, lod.note) == ("all", True, "")


def test_communities_become_super_nodes() -> None:
    G, community = _two_cliques()
    lod = level_of_detail(G, budget=5, community=community)
    H = lod.graph
    assert lod.mode == "communities"
    assert dict(H.nodes(data="size")) == {"community:0": 4, "community:1": 3}
    # the two ties between the communities: count 2, weights 2 + 1
    assert H.edges["community:0", "community:1"] == {"weight": 3.0, "count": 2}
    # names: the best-connected members first (a1, a2 have degree 4; b1 degree 4)
    assert H.nodes["community:0"]["name"] == "4 actors: A1, A2, A3"
    assert H.nodes["community:1"]["kinds"] == {"company": 3}
    assert sorted(lod.members["community:1"]) == ["b1", "b2", "b3"]
    assert "over the budget of 5 nodes" in lod.note


def test_more_communities_than_the_budget_keeps_the_largest() -> None:
    G, community = _two_cliques()
    lod = level_of_detail(G, budget=1, community=community)
    assert list(lod.graph) == ["community:0"]
    assert lod.graph.number_of_edges() == 0


def test_top_mode_keeps_the_highest_scores() -> None:
    G, _ = _two_cliques()
    score = {v: float(i) for i, v in enumerate(sorted(G))}  # b3 highest, then b2, b1, a4
    lod = level_of_detail(G, budget=3, mode="top", metric=score)
    assert sorted(lod.graph) == ["b1", "b2", "b3"]
    assert lod.graph.number_of_edges() == 3


def test_layout_is_deterministic_and_covers_every_node() -> None:
    G, _ = _two_cliques()
    first, second = layout(G, seed=3), layout(G, seed=3)
    assert first == second
    assert set(first) == set(G)
    assert layout(nx.Graph()) == {}


def test_html_has_every_node_positioned_and_fixed() -> None:
    G, community = _two_cliques()
    metrics = actor_metrics(G)
    html, legend = network_html(
        level_of_detail(G, budget=100),
        layout(G),
        metrics=metrics,
        community=community,
        options=MapOptions(color_by="community"),
    )
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))
    assert sorted(n["id"] for n in nodes) == sorted(G)
    assert all("x" in n and "y" in n for n in nodes)
    assert '"physics": {"enabled": false' in html
    assert legend == {
        "community 0": palette(["community 0", "community 1"], "community")["community 0"],
        "community 1": palette(["community 0", "community 1"], "community")["community 1"],
    }


def test_cut_points_are_marked() -> None:
    G = nx.path_graph(["x", "y", "z"])
    html, _ = network_html(level_of_detail(G, budget=10), layout(G), metrics=actor_metrics(G))
    nodes = {
        n["id"]: n
        for n in json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))
    }
    assert nodes["y"]["shape"] == "diamond"
    assert nodes["x"]["shape"] == "dot"


def test_standalone_map_applies_the_budget() -> None:
    G, _ = _two_cliques()
    html, lod = standalone_map(G, actor_metrics(G), options=MapOptions(budget=3))
    assert lod.mode == "communities"
    assert "vis.Network" in html


def test_geo_layers_place_actors_exactly_or_at_their_seat() -> None:
    G = nx.Graph([("exact", "seat"), ("seat", "nowhere")])
    nx.set_node_attributes(
        G, {"exact": "Åre", "seat": "Östersund", "nowhere": "Atlantis"}, "municipality"
    )
    nx.set_node_attributes(G, dict.fromkeys(G, "company"), "kind")
    actors = pl.DataFrame(
        {
            "actor_id": ["exact", "seat", "nowhere"],
            "lat": [63.4, None, None],
            "lon": [13.1, None, None],
        }
    )
    seats = pl.DataFrame({"municipality": ["Östersund"], "lat": [63.18], "lon": [14.64]})
    geo = geo_layers(G, actors, seats, jitter=0.03)
    rows = {r["actor_id"]: r for r in geo.points.iter_rows(named=True)}
    assert (rows["exact"]["lat"], rows["exact"]["lon"], rows["exact"]["placed"]) == (
        63.4,
        13.1,
        "exact",
    )
    assert rows["seat"]["placed"] == "municipality seat"
    # within the jitter of the seat, the same place every time (seeded by the actor id)
    assert abs(rows["seat"]["lat"] - 63.18) <= 0.03
    assert abs(rows["seat"]["lon"] - 14.64) <= 0.06
    assert geo_layers(G, actors, seats).points.equals(geo.points)
    assert geo.unplaced == 1
    assert geo.arcs.height == 1  # exact–seat; the tie to the unplaced actor has no arc
