"""Maps: level of detail, layout, the pyvis HTML and the geographic layers."""

from __future__ import annotations

import json
import math
import re

import networkx as nx
import polars as pl

from graph.analysis.metrics import actor_metrics
from graph.present.maps import (
    COLOR_BY,
    HELIX_COLORS,
    KIND_COLORS,
    MapOptions,
    ego_layout,
    geo_flows,
    geo_layers,
    layout,
    level_of_detail,
    network_html,
    palette,
    standalone_map,
)
from graph.present.palette import ACTION_COLOR
from tests.present.test_escaping import _vis_data


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


def _nodes_of(html: str) -> dict[str, dict]:
    return {
        n["id"]: n
        for n in json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))
    }


def test_ego_view_centres_rings_and_labels_the_chosen_actor() -> None:
    """A star of 30 around 'hub' plus a tail hub–x1–y1: the hub at the origin, its 31
    partners on the first ring (radius max(260, 31·38/2π ≈ 187.5) = 260), y1 on the second
    (radius 520); every node labelled (an ego view labels all, even above 150 nodes' rule)."""
    G = nx.star_graph(30)
    G = nx.relabel_nodes(G, {0: "hub", **{i: f"s{i}" for i in range(1, 31)}})
    G.add_edges_from([("hub", "x1"), ("x1", "y1")])
    nx.set_node_attributes(G, {v: f"Name {v}" for v in G}, "name")
    pos = ego_layout(G, "hub")
    assert pos["hub"] == (0.0, 0.0)
    first = {round(math.hypot(*pos[v]), 6) for v in G["hub"]}
    assert first == {260.0}
    assert round(math.hypot(*pos["y1"]), 6) == 520.0
    lod = level_of_detail(G, budget=100)
    lod.mode = "ego"
    html, _ = network_html(
        lod, pos, metrics=actor_metrics(G), options=MapOptions(highlight=("hub",))
    )
    nodes = _nodes_of(html)
    assert all(n["label"].strip() for n in nodes.values())
    assert (nodes["hub"]["x"], nodes["hub"]["y"]) == (0.0, 0.0)  # ego views are not stretched
    assert nodes["hub"]["borderWidth"] == 7
    assert nodes["hub"]["font"]["bold"] is True


def test_suggested_ties_are_thick_and_in_a_colour_no_node_uses() -> None:
    G, community = _two_cliques()
    for color_by in COLOR_BY:
        html, _ = network_html(
            level_of_detail(G, budget=100),
            layout(G),
            metrics=actor_metrics(G),
            community=community,
            options=MapOptions(color_by=color_by, suggested=(("a3", "b3"),)),
        )
        suggested = [e for e in _vis_data(html, "edges") if e.get("dashes")]
        assert len(suggested) == 1
        assert suggested[0]["width"] >= 5
        colour = suggested[0]["color"]["color"]
        assert colour == ACTION_COLOR
        assert colour not in {n["color"]["background"] for n in _nodes_of(html).values()}
    # and no palette a map uses holds it
    for table in (KIND_COLORS, HELIX_COLORS):
        assert ACTION_COLOR not in table.values()


def test_a_crowded_map_fills_its_frame_and_labels_its_top_actors() -> None:
    """A big core and far-away small parts: stretched to the 1600 × 900 frame, each axis
    spans it fully, and the 20 largest actors by degree carry a label."""
    G = nx.barabasi_albert_graph(400, 2, seed=3)
    G.add_edges_from([(1000 + i, 1001 + i) for i in range(0, 20, 2)])  # ten tiny parts
    G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    nx.set_node_attributes(G, {v: f"Actor {v}" for v in G}, "name")
    metrics = actor_metrics(G)
    html, _ = network_html(level_of_detail(G, budget=1000), layout(G), metrics=metrics)
    nodes = _nodes_of(html)
    xs = [n["x"] for n in nodes.values()]
    ys = [n["y"] for n in nodes.values()]
    assert (min(xs), max(xs)) == (-800.0, 800.0)
    assert (min(ys), max(ys)) == (-450.0, 450.0)
    top = metrics.sort("degree", "actor_id", descending=[True, False]).head(20)["actor_id"]
    assert all(nodes[v]["label"].strip() for v in top)


def test_exported_map_carries_title_legend_filter_and_date() -> None:
    G, _ = _two_cliques()
    html, _ = standalone_map(
        G,
        actor_metrics(G),
        title="Network map <b>",
        filter_text="kinds: company",
        made="made 2026-12-01",
    )
    header = html[html.index("<div id='ecograph-map-header'") :][:2000]
    assert "Network map &lt;b&gt;" in header
    assert "kinds: company · made 2026-12-01" in header
    assert "company" in header.split("made 2026-12-01")[1]  # the legend
    assert html.index("ecograph-map-header") < html.index('<div id="mynetwork"')


def test_geographic_flows_at_10k_actors_are_lines_between_places() -> None:
    """Ten thousand synthetic actors in Sweden's municipalities: the map draws one line per
    pair of places at most (≤ places²), far fewer than the ties, and every tie between two
    places is counted in exactly one flow."""
    from graph.analysis.network import build_graph
    from graph.datasets.bootstrap import municipalities
    from graph.datasets.synth import synthetic_ecosystem

    tables = synthetic_ecosystem(10_000, 5, ties_per_actor=8)
    actors = tables["actors"]
    ties = tables["relations"].select(
        pl.col("from_actor").alias("actor_a"), pl.col("to_actor").alias("actor_b")
    )
    G = nx.Graph()
    for r in actors.select("actor_id", "name", "kind", "municipality").iter_rows(named=True):
        G.add_node(r["actor_id"], **r)
    G.add_edges_from((a, b) for a, b in ties.iter_rows() if a != b)
    del build_graph
    layers = geo_layers(G, actors.select("actor_id", "lat", "lon"), municipalities())
    flows = geo_flows(G, layers.points)
    places = flows.places.height
    assert 10 < places <= 300
    assert flows.flows.height <= places * places
    assert flows.flows.height < G.number_of_edges() / 3
    placed = set(layers.points["actor_id"].to_list())
    place = dict(zip(layers.points["actor_id"], layers.points["municipality"], strict=True))
    between = sum(1 for a, b in G.edges() if a in placed and b in placed and place[a] != place[b])
    assert int(flows.flows["ties"].sum()) == between
    assert int(flows.places["inside"].sum()) + between == sum(
        1 for a, b in G.edges() if a in placed and b in placed
    )
