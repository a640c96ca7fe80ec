"""Group mixing against the configuration-model expectation, and the E-I index."""

from __future__ import annotations

import networkx as nx
import polars as pl
import pytest

from graph.analysis.mixing import ei_index, group_mixing, memberships, mixing_matrix


def _star() -> nx.Graph:
    """A hub 'h' (support) with three firms; two firms also tied: f1–f2.

    Edges: h–f1, h–f2, h–f3, f1–f2 → m = 4. Degrees: h 3, f1 2, f2 2, f3 1.
    Groups by kind: h in 'region', f* in 'company'.
    """
    G = nx.Graph([("h", "f1"), ("h", "f2"), ("h", "f3"), ("f1", "f2")])
    nx.set_node_attributes(
        G, {"h": "region", "f1": "company", "f2": "company", "f3": "company"}, "kind"
    )
    return G


def test_observed_expected_ratio_density_by_hand() -> None:
    # d_company = 2 + 2 + 1 = 5, d_region = 3, 2m = 8
    # expected company–company = 5² / (4·4) = 25/16; company–region = 5·3/8 = 15/8;
    # region–region = 3²/16 = 9/16 (sums to 25/16 + 30/16 + 9/16 = 4 = m)
    # observed: company–company 1 (f1–f2), company–region 3, region–region 0
    # density: company–company 1 / C(3,2) = 1/3; company–region 3 / (3·1) = 1; region: 0 pairs
    rows = (
        group_mixing(_star(), "kind")
        .select("group_a", "group_b", "observed", "expected", "ratio", "density")
        .rows()
    )
    assert rows == [
        (
            "company",
            "company",
            1.0,
            pytest.approx(25 / 16),
            pytest.approx(16 / 25),
            pytest.approx(1 / 3),
        ),
        ("company", "region", 3.0, pytest.approx(15 / 8), pytest.approx(8 / 5), 1.0),
        ("region", "region", 0.0, pytest.approx(9 / 16), 0.0, None),
    ]


def test_expected_sums_to_observed_total() -> None:
    G = nx.gnm_random_graph(60, 150, seed=9)
    nx.set_node_attributes(G, {v: f"g{v % 4}" for v in G}, "kind")
    G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})  # actor ids are strings
    mix = group_mixing(G, "kind")
    assert mix["observed"].sum() == pytest.approx(150)
    assert mix["expected"].sum() == pytest.approx(150)


def test_multi_area_actors_split_their_share() -> None:
    """An actor in two areas counts half in each, so the observed total stays the tie count."""
    G = nx.Graph([("a", "b")])
    nx.set_node_attributes(G, {"a": ("x", "y"), "b": ("x",)}, "areas")
    members = memberships(G, "area")
    assert sorted(members.rows()) == [("a", "x", 0.5), ("a", "y", 0.5), ("b", "x", 1.0)]
    mix = group_mixing(G, "area")
    assert mix.select("group_a", "group_b", "observed").rows() == [
        ("x", "x", 0.5),
        ("x", "y", 0.5),
        ("y", "y", 0.0),
    ]


def test_ei_index_by_hand() -> None:
    # company: I = 1, E = 3 → (3 - 1)/4 = 0.5; region: I = 0, E = 3 → 1.0
    # overall: I = 1, E = 3 → 0.5
    G = _star()
    ei = ei_index(group_mixing(G, "kind"), memberships(G, "kind"))
    assert ei.select("group", "actors", "internal", "external", "ei").rows() == [
        ("(all)", 4.0, 1.0, 3.0, 0.5),
        ("company", 3.0, 1.0, 3.0, 0.5),
        ("region", 1.0, 0.0, 3.0, 1.0),
    ]


def test_degenerate_inputs() -> None:
    assert group_mixing(nx.Graph(), "kind").height == 0
    assert ei_index(group_mixing(nx.Graph(), "kind")).height == 0
    lonely = nx.empty_graph(["a", "b"])
    nx.set_node_attributes(lonely, {"a": "x", "b": "y"}, "kind")
    mix = group_mixing(lonely, "kind")
    assert mix.select("observed", "expected", "ratio").rows() == [
        (0.0, 0.0, None),
        (0.0, 0.0, None),
        (0.0, 0.0, None),
    ]
    ei = ei_index(mix)
    assert ei.filter(pl.col("group") == "(all)")["ei"].to_list() == [None]


def test_missing_values_are_a_group_of_their_own() -> None:
    G = nx.Graph([("a", "b")])
    nx.set_node_attributes(G, {"a": "Åre"}, "municipality")
    assert sorted(memberships(G, "municipality")["group"]) == ["(unknown)", "Åre"]


def test_mixing_matrix_fills_both_triangles_of_one_grouping() -> None:
    """The star's three pairs (see the hand values above) become a 2 × 2 square: the
    company–region cell (3 observed, 15/8 expected) appears both ways, the diagonal once; the
    helix rows of the same table are left out."""
    G = _star()
    nx.set_node_attributes(G, "public", "helix")
    both = pl.concat([group_mixing(G, "kind"), group_mixing(G, "helix")])
    matrix = mixing_matrix(both, "kind")
    assert matrix.columns == ["group_a", "group_b", "observed", "expected", "ratio", "density"]
    assert matrix.select("group_a", "group_b", "observed", "expected").rows() == [
        ("company", "company", 1.0, pytest.approx(25 / 16)),
        ("company", "region", 3.0, pytest.approx(15 / 8)),
        ("region", "company", 3.0, pytest.approx(15 / 8)),
        ("region", "region", 0.0, pytest.approx(9 / 16)),
    ]
    assert mixing_matrix(both, "municipality").height == 0
