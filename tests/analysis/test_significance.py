"""Is the gap real: group mixing against degree-preserving random networks.

The planted-gap and false-alarm tests are the method's power and size; the brute-force test
checks the null model itself against every simple graph with the same degrees.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import networkx as nx
import numpy as np
import polars as pl
import pytest

from graph.analysis.mixing import group_mixing, memberships
from graph.analysis.significance import (
    NullModelParams,
    _coding,
    benjamini_hochberg,
    mixing_significance,
    null_networks,
)


def _labelled(G: nx.Graph, groups: dict[int, str], attribute: str = "kind") -> nx.Graph:
    G = nx.relabel_nodes(G, {v: f"n{v:03d}" for v in G})
    nx.set_node_attributes(G, {f"n{v:03d}": g for v, g in groups.items()}, attribute)
    return G


def _planted(seed: int) -> nx.Graph:
    """Four groups of 40; every pair of groups ties with probability 0.06 except A–B, which
    ties 5× less (0.012). Expected A–B ties ≈ 40·40·0.012 ≈ 19 against ≈ 96 for the others."""
    sizes = [40, 40, 40, 40]
    p = [[0.06] * 4 for _ in range(4)]
    p[0][1] = p[1][0] = 0.012
    G = nx.stochastic_block_model(sizes, p, seed=seed)
    groups = {v: "ABCD"[v // 40] for v in G}
    return _labelled(G, groups)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_gap_is_a_gap(seed: int) -> None:
    result = mixing_significance(_planted(seed), ["kind"])
    ab = result.filter((pl.col("group_a") == "A") & (pl.col("group_b") == "B")).row(0, named=True)
    assert ab["verdict"] == "gap"
    assert ab["observed"] < ab["ci_low"]
    assert ab["q_value"] < 0.05
    assert ab["z"] < -3
    # the planted pair is the clearest gap (others can shift: A's and B's ties go elsewhere)
    assert result.sort("z").row(0, named=True)["group_b"] == "B"


def test_false_alarms_at_most_five_in_a_hundred_random_networks() -> None:
    """A G(n, m) graph is a uniform draw among the simple graphs with its degrees, so the null
    model is exactly true; random labels make four groups. BH at 5 % must flag any gap in at
    most 5 of 100 seeded runs."""
    flagged = 0
    for seed in range(100):
        rng = random.Random(seed)
        G = nx.gnm_random_graph(120, 360, seed=seed)
        G = _labelled(G, {v: rng.choice("ABCD") for v in G})
        result = mixing_significance(G, ["kind"], params=NullModelParams(seed=seed))
        flagged += int((result["verdict"] == "gap").any())
    assert flagged <= 5


def test_one_actor_group_on_the_diagonal_is_too_few_to_judge() -> None:
    """Even with no minimum of expected ties, a group of one actor cannot tie with itself."""
    G = nx.relabel_nodes(nx.star_graph(30), str)
    nx.set_node_attributes(G, {v: "hub" if v == "0" else "firm" for v in G}, "kind")
    result = mixing_significance(G, ["kind"], params=NullModelParams(min_expected=0))
    verdicts = {(a, b): v for a, b, v in result.select("group_a", "group_b", "verdict").rows()}
    assert verdicts[("hub", "hub")] == "too_few_to_judge"
    # the star is the only graph with its degrees: every null network is the star itself
    assert result.filter(pl.col("group_a") == "firm")["expected"].to_list() == [0.0, 30.0]


def test_small_expected_counts_are_too_few_to_judge() -> None:
    G = _labelled(nx.path_graph(6), {v: "ab"[v % 2] for v in range(6)})
    result = mixing_significance(G, ["kind"])
    assert set(result["verdict"]) == {"too_few_to_judge"}
    assert result["q_value"].is_null().all()


def _all_graphs_with_degrees(degrees: list[int]) -> list[list[tuple[int, int]]]:
    """Every simple graph on len(degrees) labelled nodes with these degrees (backtracking)."""
    n = len(degrees)
    found: list[list[tuple[int, int]]] = []

    def extend(i: int, left: list[int], edges: list[tuple[int, int]]) -> None:
        if i == n:
            if not any(left):
                found.append(list(edges))
            return
        later = [j for j in range(i + 1, n) if left[j] > 0]
        if left[i] > len(later):
            return
        for chosen in itertools.combinations(later, left[i]):
            for j in chosen:
                left[j] -= 1
            extend(i + 1, [*left[:i], 0, *left[i + 1 :]], edges + [(i, j) for j in chosen])
            for j in chosen:
                left[j] += 1

    extend(0, list(degrees), [])
    return found


def test_expected_and_interval_match_brute_force_over_every_graph_with_the_degrees() -> None:
    """The uniform distribution over all simple graphs with the observed degrees is what
    degree-preserving rewiring samples from. On 8 nodes we list every such graph, count the
    ties between groups in each, and compare the exact mean and 5th/95th percentiles with the
    estimate from 4000 null networks: the mean within 0.1 ties, the interval within one tie
    (the exact percentiles of a count are whole numbers; the estimate interpolates)."""
    G0 = nx.Graph([(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (2, 5), (3, 6), (4, 7), (5, 6), (6, 7)])
    groups = {0: "a", 1: "a", 2: "a", 3: "b", 4: "b", 5: "b", 6: "c", 7: "c"}
    G = _labelled(G0, groups)
    degrees = [G0.degree(v) for v in range(8)]
    graphs = _all_graphs_with_degrees(degrees)
    assert len(graphs) > 100  # enough graphs for the test to mean something
    exact: dict[tuple[str, str], list[int]] = {}
    for edges in graphs:
        counts: Counter[tuple[str, str]] = Counter()
        for u, v in edges:
            a, b = sorted((groups[u], groups[v]))
            counts[(a, b)] += 1
        for pair in itertools.combinations_with_replacement("abc", 2):
            exact.setdefault(pair, []).append(counts[pair])
    result = mixing_significance(
        G, ["kind"], params=NullModelParams(networks=4000, min_expected=0, seed=7)
    )
    for r in result.iter_rows(named=True):
        values = np.array(exact[(r["group_a"], r["group_b"])], dtype=float)
        assert r["expected"] == pytest.approx(values.mean(), abs=0.1)
        low, high = np.quantile(values, [0.05, 0.95])
        assert abs(r["ci_low"] - low) <= 1.0
        assert abs(r["ci_high"] - high) <= 1.0
        assert r["z"] == pytest.approx((r["observed"] - values.mean()) / values.std(), abs=0.15)


def test_null_networks_keep_every_degree_and_stay_simple() -> None:
    G = nx.barabasi_albert_graph(200, 3, seed=5)
    edges = np.array(list(G.edges()))
    degrees = np.bincount(edges.ravel(), minlength=200)
    for net in null_networks(200, edges, NullModelParams(networks=5)):
        assert (np.bincount(net.ravel(), minlength=200) == degrees).all()
        assert (net[:, 0] != net[:, 1]).all()
        assert len({tuple(sorted(e)) for e in net.tolist()}) == len(net)
        assert {tuple(sorted(e)) for e in net.tolist()} != {tuple(sorted(e)) for e in edges}


def test_same_seed_same_verdicts_and_caller_random_state_untouched() -> None:
    G = _planted(4)
    random.seed(123)
    before = random.random()
    random.seed(123)
    first = mixing_significance(G, ["kind"])
    assert random.random() == before
    second = mixing_significance(G, ["kind"])
    assert first.equals(second)


def test_observed_counts_agree_with_group_mixing_including_shared_areas() -> None:
    """The counter used on null networks gives group_mixing's observed ties, also when an actor
    is in two strength areas (half a tie to each)."""
    G = nx.gnm_random_graph(40, 90, seed=3)
    rng = random.Random(3)
    areas = {v: tuple(rng.sample(["x", "y", "z"], rng.choice([0, 1, 2]))) for v in G}
    G = _labelled(G, areas, "areas")
    order = list(G)
    position = {v: i for i, v in enumerate(order)}
    edges = np.array([(position[a], position[b]) for a, b in G.edges()])
    for grouping in ("area",):
        coding = _coding(memberships(G, grouping), order)
        counts = coding.counts(edges[:, 0], edges[:, 1])
        mix = group_mixing(G, grouping)
        assert counts.tolist() == pytest.approx(mix["observed"].to_list())
    result = mixing_significance(G, ["area"])
    assert result["observed"].to_list() == pytest.approx(group_mixing(G, "area")["observed"])


def test_benjamini_hochberg_by_hand() -> None:
    # sorted p: 0.01, 0.02, 0.03, 0.20 (n = 4): 4p/rank = 0.04, 0.04, 0.04, 0.20;
    # the running minimum from the top keeps them
    q = benjamini_hochberg(np.array([0.03, 0.20, 0.01, 0.02]))
    assert q.tolist() == pytest.approx([0.04, 0.20, 0.04, 0.04])
