"""The what-if's before/after figures: a change of zero is neutral (grey, no arrow), never a
red "+0"."""

from __future__ import annotations

import networkx as nx

from graph.analysis.fragility import whatif
from ui.views import whatif_metrics


def test_zero_change_is_neutral_and_real_changes_keep_their_colour() -> None:
    # a triangle of firms with a region r tied to a; removing a leaf firm d (tied to b) leaves
    # one part and every firm reached: parts and unreached do not change, the largest part does
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("r", "a"), ("d", "b")])
    kinds = {"a": "company", "b": "company", "c": "company", "d": "company", "r": "region"}
    nx.set_node_attributes(G, kinds, "kind")
    nx.set_node_attributes(G, {v: k == "region" for v, k in kinds.items()}, "support")
    nx.set_node_attributes(G, {v: k == "company" for v, k in kinds.items()}, "target")
    nx.set_node_attributes(G, {v: v.upper() for v in G}, "name")
    metrics = {
        label.split(" (")[0]: rest for label, *rest in whatif_metrics(whatif(G, remove=["d"]))
    }
    assert metrics["Separate parts"] == ["1", "no change", "off"]
    assert metrics["Unreached targets"] == ["0", "no change", "off"]
    assert metrics["Largest part"] == ["4", "-1", "normal"]
