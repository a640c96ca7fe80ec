"""Gould–Fernandez brokerage roles: equal to a brute-force count of open triads."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping

import networkx as nx
import polars as pl
import pytest

import graph.analysis.brokerage
from graph.analysis.brokerage import ROLES, UNKNOWN_GROUP, brokerage_roles

SCHEMA = pl.Schema(
    {
        "actor_id": pl.String,
        "group": pl.String,
        "coordinator": pl.Int64,
        "itinerant": pl.Int64,
        "gatekeeper_representative": pl.Int64,
        "liaison": pl.Int64,
        "total": pl.Int64,
    }
)


def brute_force_roles(G: nx.Graph, groups: Mapping[str, str]) -> list[tuple[object, ...]]:
    """The definition, pair by pair: every untied pair of a broker's partners, classified."""
    rows = []
    for v in G:
        own = groups.get(v, UNKNOWN_GROUP)
        counts = dict.fromkeys(ROLES, 0)
        partners = [x for x in G[v] if x != v]
        for u, w in itertools.combinations(partners, 2):
            if G.has_edge(u, w):
                continue
            gu, gw = groups.get(u, UNKNOWN_GROUP), groups.get(w, UNKNOWN_GROUP)
            if gu == own and gw == own:
                counts["coordinator"] += 1
            elif (gu == own) != (gw == own):
                counts["gatekeeper_representative"] += 1
            elif gu == gw:
                counts["itinerant"] += 1
            else:
                counts["liaison"] += 1
        rows.append((v, own, *counts.values(), sum(counts.values())))
    return rows


def _random_case(seed: int) -> tuple[nx.Graph, dict[str, str]]:
    """A random graph of varied size and density; 3 or 4 groups; about 1 in 10 actors unnamed."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(rng.randint(5, 45), rng.uniform(0.05, 0.5), seed=seed)
    G = nx.relabel_nodes(G, {i: f"n{i}" for i in G})
    k = rng.choice([3, 4])
    groups = {v: f"g{rng.randrange(k)}" for v in G if rng.random() < 0.9}
    return G, groups


def test_hand_computed_example() -> None:
    """Every role appears, closed pairs are skipped, and one group (C) has a single member.

    Groups A = a1..a5, B = b1, b2, C = c1. Ties: a1 to a2, a3, a4, b1, b2, c1; a2-a3; b1-b2;
    c1-a5. a1 has 6 partners, so 15 pairs; {a2, a3} and {b1, b2} are tied, 13 remain:
      coordinator {a2, a4}, {a3, a4}                    -> 2
      gatekeeper  {a2, a3, a4} x {b1, b2, c1}           -> 9
      liaison     {b1, c1}, {b2, c1}                    -> 2
      itinerant   only {b1, b2}, which is tied          -> 0
    c1 (group C) sits between a1 and a5 (both A, untied) -> itinerant 1.
    a2, a3, b1, b2 have two partners who are tied, a4 and a5 one partner: nothing.
    """
    G = nx.Graph(
        [
            ("a1", "a2"),
            ("a1", "a3"),
            ("a1", "a4"),
            ("a1", "b1"),
            ("a1", "b2"),
            ("a1", "c1"),
            ("a2", "a3"),
            ("b1", "b2"),
            ("c1", "a5"),
        ]
    )
    groups = {f"a{i}": "A" for i in range(1, 6)} | {"b1": "B", "b2": "B", "c1": "C"}
    roles = brokerage_roles(G, groups)
    assert roles.schema == SCHEMA
    assert roles.rows() == [
        ("a1", "A", 2, 0, 9, 2, 13),
        ("a2", "A", 0, 0, 0, 0, 0),
        ("a3", "A", 0, 0, 0, 0, 0),
        ("a4", "A", 0, 0, 0, 0, 0),
        ("b1", "B", 0, 0, 0, 0, 0),
        ("b2", "B", 0, 0, 0, 0, 0),
        ("c1", "C", 0, 1, 0, 0, 1),
        ("a5", "A", 0, 0, 0, 0, 0),
    ]


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_match_brute_force(seed: int) -> None:
    """The vectorised counts (all pairs minus triangles) must equal the pair-by-pair count."""
    G, groups = _random_case(seed)
    assert brokerage_roles(G, groups).rows() == brute_force_roles(G, groups)


@pytest.mark.parametrize("seed", range(4))
def test_chunked_triangle_listing_matches_brute_force(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a budget of one candidate pair every actor's triangles come in chunks of their own;
    the counts must not depend on where the chunks are cut."""
    monkeypatch.setattr(graph.analysis.brokerage, "_WEDGE_BUDGET", 1)
    G, groups = _random_case(100 + seed)
    assert brokerage_roles(G, groups).rows() == brute_force_roles(G, groups)


def test_total_is_open_pairs_on_florentine_families() -> None:
    """Whatever the groups, the total is the number of untied partner pairs: C(degree, 2) minus
    networkx's triangle count."""
    G = nx.florentine_families_graph()
    groups = {family: family[0] for family in G}  # grouped by initial letter
    roles = brokerage_roles(G, groups)
    triangles = nx.triangles(G)
    expected = [d * (d - 1) // 2 - triangles[v] for v, d in G.degree()]
    assert roles["total"].to_list() == expected
    assert roles.rows() == brute_force_roles(G, groups)


def test_empty_graph_has_the_schema() -> None:
    """An empty filter result still gives a frame that joins and concatenates."""
    roles = brokerage_roles(nx.Graph(), {})
    assert roles.schema == SCHEMA
    assert roles.height == 0


def test_one_node_and_no_ties_broker_nothing() -> None:
    """Without two partners there is no pair to broker: every count is 0."""
    assert brokerage_roles(nx.Graph([("x", "x")]), {"x": "A"}).rows() == [("x", "A", 0, 0, 0, 0, 0)]
    G = nx.empty_graph(["a", "b", "c"])
    assert brokerage_roles(G, {"a": "A"}).rows() == [
        ("a", "A", 0, 0, 0, 0, 0),
        ("b", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
        ("c", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
    ]


def test_one_member_group_brokers_as_liaison_or_itinerant() -> None:
    """A star whose centre is alone in its group can never coordinate or gatekeep: leaves x1, x2
    (X) and y1 (Y) around s (S) give pairs {x1, x2} itinerant, {x1, y1} and {x2, y1} liaison."""
    G = nx.star_graph(["s", "x1", "x2", "y1"])
    roles = brokerage_roles(G, {"s": "S", "x1": "X", "x2": "X", "y1": "Y"})
    assert roles.row(0) == ("s", "S", 0, 1, 0, 2, 3)


def test_disconnected_graph_and_unknown_groups() -> None:
    """Components are counted independently, and actors missing from ``groups`` form one group
    "(unknown)": the centre of path p-q-r (all unknown) coordinates; in the other component the
    triangle t-u-w closes every pair."""
    G = nx.Graph([("p", "q"), ("q", "r"), ("t", "u"), ("u", "w"), ("w", "t")])
    roles = brokerage_roles(G, {"t": "A"})
    assert roles.rows() == [
        ("p", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
        ("q", UNKNOWN_GROUP, 1, 0, 0, 0, 1),
        ("r", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
        ("t", "A", 0, 0, 0, 0, 0),
        ("u", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
        ("w", UNKNOWN_GROUP, 0, 0, 0, 0, 0),
    ]


def test_parallel_ties_count_once() -> None:
    """Two shared projects are still one tie: a multigraph gives the simple graph's counts."""
    M = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    groups = {"a": "A", "b": "A", "c": "B"}
    assert brokerage_roles(M, groups).rows() == brokerage_roles(nx.Graph(M), groups).rows()


def test_directed_graph_is_refused() -> None:
    """On directed ties gatekeeper and representative differ; this function does not tell them
    apart, so it must not silently merge them."""
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage_roles(nx.DiGraph([("a", "b")]), {})
