"""The diagnosis of the innovation system on small networks whose answers are known."""

from __future__ import annotations

import networkx as nx
import polars as pl
import pytest

from graph.analysis.diagnosis import DiagnosisParams, diagnose

NO_AREAS = pl.DataFrame(schema={"area_id": pl.String, "name": pl.String})


def _graph(
    edges: list[tuple[str, str]], kinds: dict[str, str], regions: dict[str, str] | None = None
) -> nx.Graph:
    helix = {
        "company": "industry",
        "cluster": "industry",
        "academia": "academia",
        "region": "public",
        "business_support": "public",
    }
    G = nx.Graph(edges)
    G.add_nodes_from(kinds)
    nx.set_node_attributes(G, kinds, "kind")
    nx.set_node_attributes(G, {v: helix[k] for v, k in kinds.items()}, "helix")
    nx.set_node_attributes(G, {v: v.upper() for v in G}, "name")
    nx.set_node_attributes(G, regions or dict.fromkeys(G, "Jämtlands län"), "region")
    return G


def _row(d: pl.DataFrame, indicator: str, scope: str = "(all)") -> dict[str, object]:
    return d.filter((pl.col("scope") == scope) & (pl.col("indicator") == indicator)).row(
        0, named=True
    )


def test_thinness_counts_none_one_several() -> None:
    # 3 companies, 1 university, no region: industry several, academia one, public none
    G = _graph(
        [("c1", "c2"), ("c2", "c3"), ("c3", "u")],
        {"c1": "company", "c2": "company", "c3": "company", "u": "academia"},
    )
    d = diagnose(G, NO_AREAS)
    assert _row(d, "helix: industry")["verdict"] == "sound"
    assert _row(d, "helix: industry")["value"] == 3
    academia = _row(d, "helix: academia")
    assert (academia["value"], academia["verdict"]) == (1.0, "watch")
    assert "Only one academia actor in the whole network (U)" in str(academia["explanation"])
    public = _row(d, "helix: public")
    assert (public["value"], public["verdict"]) == (0.0, "weak")
    assert "organisational thinness (Tödtling & Trippl 2005)" in str(public["explanation"])
    assert _row(d, "support: region")["verdict"] == "weak"


def test_two_separate_cliques_are_fragmented_against_random_networks() -> None:
    """Two 5-cliques: every actor has 4 ties; random networks with these degrees are almost
    always connected, so 2 parts and half the actors outside the largest part are weak."""
    left = [f"a{i}" for i in range(5)]
    right = [f"b{i}" for i in range(5)]
    edges = [(u, v) for group in (left, right) for i, u in enumerate(group) for v in group[i + 1 :]]
    G = _graph(edges, dict.fromkeys(left + right, "company"))
    d = diagnose(G, NO_AREAS)
    parts = _row(d, "separate parts")
    assert parts["value"] == 2.0
    assert parts["reference"] < 1.5
    assert parts["verdict"] == "weak"
    outside = _row(d, "share outside the largest part")
    assert (outside["value"], outside["verdict"]) == (0.5, "weak")
    assert _row(d, "modularity")["value"] == pytest.approx(0.5)  # two equal closed halves


def test_support_reach_and_openness() -> None:
    """A region tied to three firms; three more firms form their own triangle, out of reach.
    Two firms are outside the home region and tied to the region: openness is measured."""
    edges = [("r", "f1"), ("r", "f2"), ("r", "f3"), ("g1", "g2"), ("g2", "g3"), ("g1", "g3")]
    kinds = {"r": "region", **dict.fromkeys(("f1", "f2", "f3", "g1", "g2", "g3"), "company")}
    regions = dict.fromkeys(kinds, "Jämtlands län") | {"f1": "Norge", "f2": "Norge"}
    d = diagnose(_graph(edges, kinds, regions), NO_AREAS)
    reach = _row(d, "share of targets with a path to support")
    assert reach["value"] == pytest.approx(0.5)  # f1-f3 reach r, g1-g3 do not
    assert _row(d, "median hops to support")["value"] == 1.0
    openness = _row(d, "share of ties leaving the home region")
    # ties with an end in the home region: all 6; leaving it: r–f1, r–f2
    assert openness["value"] == pytest.approx(2 / 6)
    assert openness["verdict"] in ("sound", "weak")


def test_openness_not_judged_without_actors_outside_the_home_region() -> None:
    G = _graph(
        [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")],
        dict.fromkeys("abcde", "company"),
    )
    d = diagnose(G, NO_AREAS, DiagnosisParams(home_region="Jämtlands län"))
    openness = _row(d, "share of ties leaving the home region")
    assert openness["verdict"] == "not_judged"
    assert "ties leaving the region cannot be seen" in str(openness["explanation"])


def test_each_strength_area_is_its_own_scope() -> None:
    G = _graph([("a", "b"), ("b", "c")], {"a": "company", "b": "academia", "c": "company"})
    nx.set_node_attributes(G, {"a": ("energi",), "b": ("energi",), "c": ()}, "areas")
    areas = pl.DataFrame({"area_id": ["energi", "mat"], "name": ["Hållbar energi", "Mat"]})
    d = diagnose(G, areas)
    assert set(d["scope"]) == {"(all)", "energi", "mat"}
    assert _row(d, "helix: industry", "energi")["value"] == 1.0
    assert _row(d, "helix: industry", "mat")["verdict"] == "weak"
    # two actors are too few for structural verdicts
    assert _row(d, "structure", "energi")["verdict"] == "not_judged"
    assert set(d["verdict"]) <= {"weak", "watch", "sound", "not_judged"}
