"""Strength-area coverage: actors and ties per helix and kind, flags for what is missing."""

from __future__ import annotations

import networkx as nx
import polars as pl

from graph.analysis.coverage import coverage, coverage_flags

AREAS = pl.DataFrame(
    {"area_id": ["energi", "upplevelser"], "name": ["Hållbar energi", "Upplevelser"]}
)


def _graph() -> nx.Graph:
    """energi: a university and a firm (tied); upplevelser: a cluster alone; a firm in no area
    tied to the cluster."""
    G = nx.Graph([("uni", "firm"), ("cluster", "loose")])
    attrs = {
        "uni": {"areas": ("energi",), "helix": "academia", "kind": "academia", "support": True},
        "firm": {"areas": ("energi",), "helix": "industry", "kind": "company", "support": False},
        "cluster": {
            "areas": ("upplevelser",),
            "helix": "industry",
            "kind": "cluster",
            "support": False,
        },
        "loose": {"areas": (), "helix": "industry", "kind": "company", "support": False},
    }
    nx.set_node_attributes(G, attrs)
    return G


def test_coverage_by_hand() -> None:
    cov = coverage(_graph(), AREAS).filter(dimension="helix")
    assert cov.select("area_id", "value", "actors", "ties").rows() == [
        ("(none)", "industry", 1, 1),
        ("energi", "academia", 1, 1),
        ("energi", "industry", 1, 1),
        ("upplevelser", "industry", 1, 1),
    ]


def test_flags_name_what_is_missing() -> None:
    flags = coverage_flags(_graph(), AREAS)
    assert flags.select("area_id", "actors", "academia", "industry", "support", "flags").rows() == [
        ("(none)", 1, 0, 1, 0, "no academia; no support actor"),
        ("energi", 2, 1, 1, 1, ""),
        ("upplevelser", 1, 0, 1, 0, "no academia; no support actor"),
    ]


def test_area_without_actors_is_flagged_as_empty() -> None:
    areas = pl.concat([AREAS, pl.DataFrame({"area_id": ["digital"], "name": ["Digitala"]})])
    row = coverage_flags(_graph(), areas).filter(area_id="digital").row(0, named=True)
    assert (row["actors"], row["flags"]) == (0, "no academia; no industry; no support actor")
    assert coverage(nx.Graph(), AREAS).height == 0
