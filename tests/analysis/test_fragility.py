"""Fragility: bridges, articulation points, efficiency and what-if scenarios.

Most tests use one small hand-drawn ecosystem (``_ecosystem``) whose values are worked out in
the comments, and check the fast paths against networkx on random graphs.
"""

from __future__ import annotations

from fractions import Fraction

import duckdb
import networkx as nx
import polars as pl
import pytest

from graph.analysis.fragility import (
    activities_on_ties,
    bridges_frame,
    expand_ended_activities,
    fragility,
    global_efficiency,
    scenario_graph,
    whatif,
)
from graph.analysis.network import build_graph, load_actors, load_ties
from graph.errors import UsageError

# support/target flags as the actor_kinds table of the schema sets them
SUPPORT_KINDS = {"region", "academia", "business_support", "design_org", "funder"}
TARGET_KINDS = {"cluster", "coworking", "company"}


def _actors(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """An actors frame like ``load_actors`` returns, from (id, name, kind) rows."""
    return pl.DataFrame(
        {
            "actor_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "helix": [None] * len(rows),
            "municipality": ["Östersund"] * len(rows),
            "region": ["Jämtlands län"] * len(rows),
            "lat": [None] * len(rows),
            "lon": [None] * len(rows),
            "synthetic": [False] * len(rows),
            "support": [r[2] in SUPPORT_KINDS for r in rows],
            "target": [r[2] in TARGET_KINDS for r in rows],
            "areas": [[] for _ in rows],
        },
        schema_overrides={"helix": pl.String, "lat": pl.Float64, "lon": pl.Float64},
    )


def _ties(rows: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    """A ties frame like ``load_ties`` returns, from (a, b, kind, activity_id) rows."""
    return pl.DataFrame(
        {
            "actor_a": [r[0] for r in rows],
            "actor_b": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "activity_id": [r[3] for r in rows],
            "start_date": [None] * len(rows),
            "end_date": [None] * len(rows),
            "weight": [1.0] * len(rows),
            "synthetic": [False] * len(rows),
        },
        schema_overrides={
            "activity_id": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
        },
    )


ACTORS = [
    ("reg", "Region Jämtland Härjedalen", "region"),
    ("uni", "Mittuniversitetet", "academia"),
    ("clu", "Peak Innovation", "cluster"),
    ("f1", "Åre Cykel AB", "company"),
    ("f2", "Bräcke Trä AB", "company"),
    ("cow", "Samverket", "coworking"),
    ("f3", "Ávki Design AB", "company"),
    ("lone", "Ensam AB", "company"),
]


def _ecosystem() -> nx.Graph:
    """A triangle region–university–cluster (the project "proj"), two member firms hanging
    off the cluster, a co-working space tied to it only by the learning lab "lab", a firm at
    the co-working space, and a firm with no ties at all::

        reg ── uni          reg–uni: relation + proj;  reg–clu, uni–clu: proj only
          \\   /
           clu ── f1, f2   (memberships)
            │
           cow ── f3       clu–cow: lab only; cow–f3: relation
                           lone: no ties
    """
    ties = _ties(
        [
            ("reg", "uni", "project", "proj"),
            ("clu", "reg", "project", "proj"),
            ("clu", "uni", "project", "proj"),
            ("reg", "uni", "partnership", None),
            ("clu", "f1", "membership", None),
            ("clu", "f2", "membership", None),
            ("clu", "cow", "learning_lab", "lab"),
            ("cow", "f3", "partnership", None),
        ]
    )
    return build_graph(_actors(ACTORS), ties)


def _names(*ids: str) -> list[str]:
    lookup = {a: n for a, n, _ in ACTORS}
    return sorted(lookup[i] for i in ids)


def _random_graphs() -> list[nx.Graph]:
    """Sparse random graphs with isolates, several components, pendant paths, a few cycles."""
    graphs = [
        nx.gnp_random_graph(n, p, seed=seed)
        for n, p, seed in [(12, 0.15, 1), (30, 0.07, 2), (40, 0.05, 3), (60, 0.04, 4), (25, 0.3, 5)]
    ]
    graphs.append(nx.barbell_graph(5, 3))
    graphs.append(nx.path_graph(6))
    return [nx.relabel_nodes(G, {n: f"n{n}" for n in G}) for G in graphs]


# --- bridges and articulation points -----------------------------------------------------------


def test_bridges_frame_of_hand_drawn_ecosystem() -> None:
    """Every tie outside the reg–uni–clu triangle is a bridge; kinds come from the ties."""
    frame = bridges_frame(_ecosystem())
    assert frame.columns == ["actor_a", "actor_b", "name_a", "name_b", "kinds"]
    assert frame.select("actor_a", "actor_b", "kinds").rows() == [
        ("clu", "cow", "learning_lab"),
        ("clu", "f1", "membership"),
        ("clu", "f2", "membership"),
        ("cow", "f3", "partnership"),
    ]
    assert frame.row(0, named=True)["name_b"] == "Samverket"


def test_bridges_frame_joins_several_kinds() -> None:
    """A pair tied both by a project and a relation shows both kinds, sorted, joined by ", "."""
    ties = _ties([("reg", "uni", "project", "p"), ("reg", "uni", "partnership", None)])
    frame = bridges_frame(build_graph(_actors(ACTORS[:2]), ties))
    assert frame["kinds"].to_list() == ["partnership, project"]


def test_bridges_and_articulation_points_agree_with_networkx() -> None:
    """The igraph fast path must find exactly networkx's bridges and cut vertices."""
    for G in _random_graphs():
        frame = bridges_frame(G)
        expected = {tuple(sorted(e)) for e in nx.bridges(G)}
        assert set(frame.select("actor_a", "actor_b").rows()) == expected
        ranked = fragility(G, top=G.number_of_nodes())
        cut = set(ranked.filter(pl.col("is_articulation_point"))["actor_id"])
        assert cut == set(nx.articulation_points(G))


# --- efficiency --------------------------------------------------------------------------------


def test_global_efficiency_of_path_is_hand_value() -> None:
    """Path a–b–c–d: unordered distances 1, 1, 1, 2, 2, 3, so Σ 1/d = 3 + 1 + 1/3 = 13/3 and
    the efficiency is 2 · 13/3 over 4 · 3 ordered pairs = 13/18."""
    value, method = global_efficiency(nx.path_graph(4))
    assert value == pytest.approx(13 / 18, abs=1e-15)
    assert method == "exact"


def test_global_efficiency_equals_networkx_exactly() -> None:
    """Below exact_limit the value is networkx's, to 1e-12, also when disconnected."""
    for G in _random_graphs():
        value, method = global_efficiency(G)
        assert method == "exact"
        assert value == pytest.approx(nx.global_efficiency(G), abs=1e-12)


def test_global_efficiency_over_several_source_blocks() -> None:
    """300 actors need two blocks of 256 bit-parallel sources; the sum must still be exact."""
    G = nx.gnp_random_graph(300, 0.012, seed=7)
    assert global_efficiency(G)[0] == pytest.approx(nx.global_efficiency(G), abs=1e-12)


def test_global_efficiency_sampled_on_a_cycle_is_exact() -> None:
    """On a cycle every actor sees the same distances, so any sample of sources gives the
    exact mean: the estimator must not be biased by how it normalises."""
    G = nx.cycle_graph(101)
    value, method = global_efficiency(G, exact_limit=10, pivots=7, seed=3)
    assert method == "sampled 7 sources (seed 3)"
    assert value == pytest.approx(nx.global_efficiency(G), abs=1e-12)


def test_global_efficiency_sampled_is_close_and_reproducible() -> None:
    """A sampled estimate lands near the exact value and repeats with the same seed."""
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=11)
    exact = nx.global_efficiency(G)
    first = global_efficiency(G, exact_limit=100, pivots=64, seed=5)
    assert first == global_efficiency(G, exact_limit=100, pivots=64, seed=5)
    assert first[0] == pytest.approx(exact, rel=0.03)
    # more sources than actors: nothing to sample, so exact
    assert global_efficiency(G, exact_limit=100, pivots=400)[1] == "exact"


def test_global_efficiency_degenerate_graphs() -> None:
    """No actors, one actor, or no ties: no pairs to reach, efficiency 0 (as networkx says)."""
    assert global_efficiency(nx.Graph()) == (0.0, "exact")
    assert global_efficiency(nx.empty_graph(1)) == (0.0, "exact")
    assert global_efficiency(nx.empty_graph(5)) == (0.0, "exact")
    with pytest.raises(UsageError, match="pivots"):
        global_efficiency(nx.path_graph(3), pivots=0)


# --- what-if -----------------------------------------------------------------------------------


def test_whatif_before_summary_of_ecosystem() -> None:
    """Before any change: 8 actors, 7 edges, 2 components (main 7 + lone); only lone, a
    company, has no path to support. Efficiency by hand: Σ over actors of Σ 1/d is reg 23/6,
    uni 23/6, clu 11/2, f1 10/3, f2 10/3, cow 4, f3 17/6, lone 0 = 80/3; over 8 · 7 = 10/21."""
    result = whatif(_ecosystem(), remove=[])
    b = result.before
    shape = (b.actors, b.ties, b.components, b.largest_component, b.unreached_targets)
    assert shape == (8, 7, 2, 7, 1)
    assert b.efficiency == pytest.approx(float(Fraction(10, 21)), abs=1e-15)
    assert result.after == result.before
    assert result.lost_support.height == 0
    assert result.lost_ties.height == 0
    assert result.split_components == 0


def test_whatif_remove_cluster() -> None:
    """Without the cluster, what is left is reg–uni, cow–f3 and three loners: 5 parts. The
    four targets behind the cluster (f1, f2, cow, f3) lose support; lone never had it. The
    efficiency after is 2 ties × 2 directions over 7 · 6 ordered pairs = 2/21."""
    G = _ecosystem()
    result = whatif(G, remove=["clu"])
    a = result.after
    shape = (a.actors, a.ties, a.components, a.largest_component, a.unreached_targets)
    assert shape == (7, 2, 5, 2, 5)
    assert a.efficiency == pytest.approx(2 / 21, abs=1e-15)
    assert sorted(result.lost_support["actor_id"]) == ["cow", "f1", "f2", "f3"]
    assert result.lost_support["name"].to_list() == _names("cow", "f1", "f2", "f3")
    assert result.lost_ties.select("actor_a", "actor_b", "reason").rows() == [
        ("clu", "cow", "actor removed"),
        ("clu", "f1", "actor removed"),
        ("clu", "f2", "actor removed"),
        ("clu", "reg", "actor removed"),
        ("clu", "uni", "actor removed"),
    ]
    assert result.split_components == 1
    assert result.removed_names == ("Peak Innovation",)
    # the fast path agrees with networkx on the graph after the change
    H = scenario_graph(G, remove=["clu"])
    assert a.components == nx.number_connected_components(H)
    assert a.efficiency == pytest.approx(nx.global_efficiency(H), abs=1e-12)


def test_whatif_end_activity_keeps_ties_with_a_relation() -> None:
    """Ending "proj" removes reg–clu and uni–clu (nothing else behind them) but not reg–uni,
    which also rests on a relation. The cluster's side (clu, f1, f2, cow, f3) loses support."""
    G = _ecosystem()
    result = whatif(G, end_activities=["proj"])
    assert result.lost_ties.select("actor_a", "actor_b", "reason").rows() == [
        ("clu", "reg", "activity ended"),
        ("clu", "uni", "activity ended"),
    ]
    assert result.after.components == 3  # {reg, uni}, {clu, f1, f2, cow, f3}, {lone}
    assert result.lost_support["actor_id"].sort().to_list() == ["clu", "cow", "f1", "f2", "f3"]
    assert result.split_components == 1
    H = scenario_graph(G, end_activities=["proj"])
    assert result.after.efficiency == pytest.approx(nx.global_efficiency(H), abs=1e-12)


def test_scenario_graph_lowers_weight_and_count_per_ended_activity() -> None:
    """reg–uni had weight 2 (relation 1 + proj 1) and count 2: ending proj leaves 1 and 1, no
    activities, and the original graph untouched."""
    G = _ecosystem()
    H = scenario_graph(G, end_activities=["proj"])
    edge = H.edges["reg", "uni"]
    assert (edge["weight"], edge["count"], edge["activities"], edge["relations"]) == (1.0, 1, (), 1)
    assert not H.has_edge("reg", "clu")
    assert G.edges["reg", "uni"]["weight"] == 2.0
    assert G.has_edge("reg", "clu")


def test_ending_a_project_ends_its_parts_that_hold_ties() -> None:
    """In the ecosystem "lab" hangs off "proj" through "plan", a part with no ties of its own;
    ending "proj" ends "lab" too (followed through "plan", which is left out), so the three ties
    that rest on them alone go: reg–clu and uni–clu (proj), clu–cow (lab); reg–uni keeps its
    relation."""
    G = _ecosystem()
    activities = pl.DataFrame(
        {
            "activity_id": ["proj", "plan", "lab", "other"],
            "part_of": ["other", "proj", "plan", None],
        }
    )
    assert activities_on_ties(G) == {"proj", "lab"}
    assert expand_ended_activities(G, activities, ["proj"]) == ("proj", "lab")
    assert expand_ended_activities(G, activities, ["lab", "proj", "lab"]) == ("lab", "proj")
    assert expand_ended_activities(G, activities, []) == ()
    # a given id is kept even without ties, so whatif can say it is wrong
    assert expand_ended_activities(G, activities, ["nothing"]) == ("nothing",)
    result = whatif(G, end_activities=expand_ended_activities(G, activities, ["proj"]))
    assert result.lost_ties.select("actor_a", "actor_b").rows() == [
        ("clu", "cow"),
        ("clu", "reg"),
        ("clu", "uni"),
    ]


def test_whatif_remove_and_end_together() -> None:
    """Removing the co-working space and ending "lab" (which only clu–cow rests on) loses that
    tie once, as 'actor removed' — the stronger reason — and f3 loses support."""
    result = whatif(_ecosystem(), remove=["cow"], end_activities=["lab"])
    assert result.lost_ties.select("actor_a", "actor_b", "reason").rows() == [
        ("clu", "cow", "actor removed"),
        ("cow", "f3", "actor removed"),
    ]
    assert result.lost_support["actor_id"].to_list() == ["f3"]


def test_whatif_summary_lines_read_plainly() -> None:
    """The lines a strategist reads: parts, who loses support, ties, largest part, efficiency."""
    lines = whatif(_ecosystem(), remove=["clu"]).summary_lines()
    assert lines == [
        "Removing Peak Innovation splits the network into 5 parts (was 2); 4 actors lose every "
        # names in code-point order: letters with accents after Z
        "path to support: Bräcke Trä AB, Samverket, Ávki Design AB, Åre Cykel AB.",
        "Ties: 7 before, 2 after (5 with the removed actor).",
        "Largest connected part: 7 actors before, 2 after.",
        "Clusters, co-working spaces and companies with no path to any support actor: "
        "1 before, 5 after.",
        # 2/21 over 10/21 is 20 %, a drop of 80 %
        "Efficiency (how easily anyone reaches anyone; 1 = all tied directly): "
        "0.476 before, 0.095 after (−80%).",
    ]
    ended = whatif(_ecosystem(), end_activities=["lab"]).summary_lines({"lab": "Lärlabb 1"})
    assert ended[0].startswith("Ending Lärlabb 1 splits the network into 3 parts (was 2); ")
    assert ended[1] == "Ties: 7 before, 6 after (1 when the activity ends)."


def test_whatif_unknown_actor_or_activity_is_a_usage_error() -> None:
    """A typo must say which id is wrong instead of silently analysing nothing."""
    G = _ecosystem()
    with pytest.raises(UsageError, match="'nobody'"):
        whatif(G, remove=["reg", "nobody"])
    with pytest.raises(UsageError, match="'no-such-project'"):
        whatif(G, end_activities=["no-such-project"])


def test_whatif_degenerate_graphs() -> None:
    """Empty graph, a lone actor removed, and ties-free graphs give zeros, not errors."""
    empty = whatif(nx.Graph())
    assert empty.before == empty.after
    assert (empty.before.actors, empty.before.components, empty.before.efficiency) == (0, 0, 0.0)

    one = build_graph(_actors(ACTORS[2:3]), _ties([]))
    result = whatif(one, remove=["clu"])
    assert (result.before.components, result.before.unreached_targets) == (1, 1)
    after = result.after
    assert (after.actors, after.components, after.largest_component) == (0, 0, 0)
    assert result.split_components == 0
    assert result.summary_lines()[0].startswith(
        "Removing Peak Innovation leaves the network in 0 parts (was 1)"
    )

    loners = build_graph(_actors(ACTORS[:3]), _ties([]))
    result = whatif(loners, remove=["uni"])
    assert (result.after.components, result.after.ties, result.lost_ties.height) == (2, 0, 0)


# --- fragility ranking -------------------------------------------------------------------------


def test_fragility_ranking_and_values_by_degree() -> None:
    """Cut vertices clu (degree 5) and cow (2) come first, then reg and uni (degree 2, by id).

    Efficiency after, by hand (Σ over actors of Σ 1/d, over 7 · 6 ordered pairs):
    - without clu: reg–uni and cow–f3 only: 4 / 42;
    - without cow: reg 3, uni 3, clu 4, f1 5/2, f2 5/2 = 15 / 42;
    - without reg: uni 17/6, clu 9/2, f1 17/6, f2 17/6, cow 7/2, f3 5/2 = 19 / 42; uni the same.
    """
    frame = fragility(_ecosystem(), top=4)
    assert frame.columns == [
        "actor_id",
        "name",
        "kind",
        "is_articulation_point",
        "bridges",
        "components_after",
        "largest_component_after",
        "lost_support",
        "lost_support_names",
        "efficiency_before",
        "efficiency_after",
        "efficiency_drop",
    ]
    assert frame.select(
        "actor_id",
        "is_articulation_point",
        "bridges",
        "components_after",
        "largest_component_after",
        "lost_support",
    ).rows() == [
        ("clu", True, 3, 5, 2, 4),
        ("cow", True, 2, 3, 5, 1),
        ("reg", False, 0, 2, 6, 0),
        ("uni", False, 0, 2, 6, 0),
    ]
    assert frame["lost_support_names"].to_list() == [
        ", ".join(_names("cow", "f1", "f2", "f3")),
        "Ávki Design AB",
        "",
        "",
    ]
    assert frame["efficiency_after"].to_list() == pytest.approx(
        [4 / 42, 15 / 42, 19 / 42, 19 / 42], abs=1e-15
    )
    assert frame["efficiency_drop"].to_list() == pytest.approx(
        [10 / 21 - 4 / 42, 10 / 21 - 15 / 42, 10 / 21 - 19 / 42, 10 / 21 - 19 / 42], abs=1e-15
    )


def test_fragility_orders_by_given_betweenness() -> None:
    """Cut vertices first in betweenness order (cow before clu here), then the others by it;
    actors missing from the mapping score 0 and follow by id."""
    frame = fragility(_ecosystem(), top=4, betweenness={"cow": 5.0, "clu": 3.0, "reg": 10.0})
    assert frame["actor_id"].to_list() == ["cow", "clu", "reg", "f1"]


def test_fragility_truncates_long_name_lists() -> None:
    """A hub with 12 member firms: the names stop after 10 with "… and 2 more"."""
    firms = [(f"c{i:02d}", f"Firma {i:02d}", "company") for i in range(12)]
    actors = _actors([("reg", "Region", "region"), ("hub", "Hubben", "cluster"), *firms])
    ties = _ties(
        [("reg", "hub", "partnership", None)] + [("hub", f[0], "membership", None) for f in firms]
    )
    row = fragility(build_graph(actors, ties), top=1).row(0, named=True)
    assert row["actor_id"] == "hub"
    assert row["lost_support"] == 12
    shown = ", ".join(f"Firma {i:02d}" for i in range(10))
    assert row["lost_support_names"] == f"{shown} … and 2 more"


def test_fragility_matches_networkx_removal() -> None:
    """For every examined actor, components and efficiency after equal networkx's on G − v."""
    for G in _random_graphs():
        frame = fragility(G, top=5)
        for row in frame.iter_rows(named=True):
            H = G.copy()
            H.remove_node(row["actor_id"])
            assert row["components_after"] == nx.number_connected_components(H)
            assert row["efficiency_after"] == pytest.approx(nx.global_efficiency(H), abs=1e-12)


def test_fragility_degenerate_graphs() -> None:
    """No actors gives an empty table with the columns; one actor or no ties give zeros."""
    empty = fragility(nx.Graph())
    assert empty.height == 0
    assert "efficiency_drop" in empty.columns
    assert fragility(_ecosystem(), top=0).height == 0

    one = fragility(build_graph(_actors(ACTORS[:1]), _ties([])))
    assert one.select("components_after", "largest_component_after", "bridges").rows() == [
        (0, 0, 0)
    ]
    loners = fragility(build_graph(_actors(ACTORS[:3]), _ties([])))
    assert loners["components_after"].to_list() == [2, 2, 2]
    assert loners["efficiency_before"].to_list() == [0.0, 0.0, 0.0]
    with pytest.raises(UsageError, match="top"):
        fragility(_ecosystem(), top=-1)


def test_fragility_on_shipped_data(shipped_con: duckdb.DuckDBPyConnection) -> None:
    """In the shipped data Peak Business & Sports AB knows the support system only through
    Peak Innovation (its single tie), so removing Peak Innovation cuts it off."""
    actors = load_actors(shipped_con)
    G = build_graph(actors, load_ties(shipped_con, actors=actors))
    result = whatif(G, remove=["peak-innovation"])
    assert result.lost_support["actor_id"].to_list() == ["peak-business-sports"]
    frame = fragility(G, top=3)
    assert frame["actor_id"][0] == "peak-innovation"
    assert frame["is_articulation_point"][0]
