"""Partner suggestions: obvious answers rank first, reasons and introduction paths are real, the
backtest is reproducible and the tuned blend beats the baselines on an ecosystem it never saw."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import duckdb
import networkx as nx
import polars as pl
import pytest

from bench.tune_partners import ecosystem  # the data path the weights were tuned on
from graph.analysis.mixing import group_mixing
from graph.analysis.network import build_graph
from graph.analysis.partners import (
    BASELINES,
    CandidateFilter,
    PartnerWeights,
    backtest,
    gap_pairs_from_mixing,
    prepare_backtest,
    suggest_partners,
    write_suggestions,
)
from graph.errors import UsageError

# bench/tune_partners.py chose the default weights on synthetic_ecosystem(3000, seed=1); the
# blend is judged here on an ecosystem made with another seed.
TUNING_SEED = 1
UNSEEN_SEED = 7


@pytest.fixture(scope="module")
def small() -> tuple[pl.DataFrame, pl.DataFrame]:
    return ecosystem(300, 5)


@pytest.fixture(scope="module")
def small_graph(small: tuple[pl.DataFrame, pl.DataFrame]) -> nx.Graph:
    return build_graph(*small)


def two_firms() -> nx.Graph:
    """f1 and f2 share three partners and the area "energy"; f3 shares one partner; u is a
    university tied to nobody's partners. The obvious partner of f1 is f2 and vice versa."""
    G = nx.Graph()
    G.add_node("f1", name="Firm One", kind="company", helix="industry", areas=("energy",))
    G.add_node("f2", name="Firm Two", kind="company", helix="industry", areas=("energy",))
    G.add_node("f3", name="Firm Three", kind="company", helix="industry", areas=("tourism",))
    for p, name in (("p1", "Peak Innovation"), ("p2", "Mittuniversitetet"), ("p3", "Almi")):
        G.add_node(p, name=name, kind="business_support", helix="public", areas=())
        G.add_edge("f1", p, weight=1.0)
        G.add_edge("f2", p, weight=1.0)
    G.add_edge("f3", "p1", weight=1.0)
    G.add_node("u", name="University", kind="academia", helix="academia", areas=())
    G.add_node("x", name="Outsider", kind="company", helix="industry", areas=())
    G.add_edge("u", "x", weight=1.0)
    return G


def test_firms_sharing_partners_and_area_rank_each_other_first() -> None:
    G = two_firms()
    assert suggest_partners(G, "f1")["actor_id"][0] == "f2"
    assert suggest_partners(G, "f2")["actor_id"][0] == "f1"


def test_explanation_names_the_real_common_partners() -> None:
    G = two_firms()
    best = suggest_partners(G, "f1", top=1).row(0, named=True)
    # f1 and f2 are both tied to p1, p2 and p3 and to nothing else
    assert sorted(best["common_partners"]) == ["Almi", "Mittuniversitetet", "Peak Innovation"]
    assert best["explanation"].startswith("3 common partners (")
    for name in best["common_partners"]:
        assert name in best["explanation"]
    assert best["shared_areas"] == ["energy"]
    assert "shares energy" in best["explanation"]


def test_common_partners_are_the_true_intersections(small_graph: nx.Graph) -> None:
    G = small_graph
    names = nx.get_node_attributes(G, "name")
    for actor in ["syn-cluster-00001", "syn-company-00010", "syn-coworking-00002"]:
        for row in suggest_partners(G, actor, top=10).iter_rows(named=True):
            common = set(G[actor]) & set(G[row["actor_id"]])
            assert sorted(row["common_partners"]) == sorted(names[c] for c in common)
            if common:
                assert f"{len(common)} common partner" in row["explanation"]
                assert row["common_partners"][0] in row["explanation"]


def test_every_introduction_path_is_a_chain_of_real_ties(small_graph: nx.Graph) -> None:
    G = small_graph
    checked = 0
    for actor in list(G)[::15]:
        for row in suggest_partners(G, actor, top=10).iter_rows(named=True):
            path, target = row["introduction_path"], row["actor_id"]
            assert actor != target
            assert not G.has_edge(actor, target)
            if not nx.has_path(G, actor, target):
                assert path == []
                assert row["introduction_names"] == []
                continue
            assert path[0] == actor
            assert path[-1] == target
            assert all(G.has_edge(a, b) for a, b in pairwise(path))
            assert len(path) - 1 == nx.shortest_path_length(G, actor, target)
            assert row["introduction_names"] == [G.nodes[v]["name"] for v in path]
            checked += 1
    assert checked > 50


def test_path_prefers_the_stronger_of_two_equally_short_routes() -> None:
    G = nx.Graph()
    G.add_edge("me", "weak", weight=1.0)
    G.add_edge("weak", "them", weight=1.0)
    G.add_edge("me", "strong", weight=5.0)
    G.add_edge("strong", "them", weight=5.0)
    frame = suggest_partners(G, "me", candidates=CandidateFilter(exclude=("weak", "strong")))
    assert frame["introduction_path"][0].to_list() == ["me", "strong", "them"]
    # strength never buys a longer path: a direct chain of two hops beats three strong ones
    G.add_edge("me", "s1", weight=100.0)
    G.add_edge("s1", "s2", weight=100.0)
    G.add_edge("s2", "them", weight=100.0)
    frame = suggest_partners(G, "me", candidates=CandidateFilter(kinds=()), top=10)
    row = frame.filter(pl.col("actor_id") == "them").row(0, named=True)
    assert len(row["introduction_path"]) == 3


def test_path_prefers_the_more_recent_of_two_equal_routes() -> None:
    G = nx.Graph()
    G.add_edge("me", "old", weight=1.0, end=date(2016, 6, 30))
    G.add_edge("old", "them", weight=1.0, end=date(2016, 6, 30))
    G.add_edge("me", "open", weight=1.0, end=None)  # still running: the most recent
    G.add_edge("open", "them", weight=1.0, end=None)
    frame = suggest_partners(G, "me", candidates=CandidateFilter(exclude=("old", "open")))
    assert frame["introduction_path"][0].to_list() == ["me", "open", "them"]


def test_newcomer_gets_suggestions_from_attributes_alone() -> None:
    G = nx.Graph()
    place = {"municipality": "Östersund", "region": "Jämtlands län"}
    G.add_node(
        "new", name="Newcomer AB", kind="company", helix="industry", areas=("energy",), **place
    )
    # same kind, area and place as the newcomer; the decoy is elsewhere with no shared area
    G.add_node("match", name="Match", kind="cluster", helix="industry", areas=("energy",), **place)
    G.add_node(
        "decoy",
        name="Decoy",
        kind="cluster",
        helix="industry",
        areas=("tourism",),
        municipality="Kiruna",
        region="Norrbottens län",
    )
    for i, hub in enumerate(("match", "decoy")):
        for j in range(3):
            G.add_node(
                f"m{i}{j}", name=f"Member {i}{j}", kind="company", helix="industry", areas=()
            )
            G.add_edge(hub, f"m{i}{j}")
    frame = suggest_partners(G, "new", top=3)
    assert frame.height == 3
    best = frame.row(0, named=True)
    assert best["actor_id"] == "match"
    assert best["introduction_path"] == []
    assert best["common_partners"] == []
    assert "Newcomer AB has no ties yet; Match has 3 partners" in best["explanation"]
    assert "shares energy" in best["explanation"]


def test_candidate_filters_and_exclusions(small_graph: nx.Graph) -> None:
    G = small_graph
    actor = "syn-cluster-00002"
    everyone = suggest_partners(G, actor, top=1000)
    assert actor not in everyone["actor_id"].to_list()
    assert not set(G[actor]) & set(everyone["actor_id"].to_list())
    assert everyone.height == G.number_of_nodes() - 1 - G.degree[actor]
    assert everyone["rank"].to_list() == list(range(1, everyone.height + 1))
    assert everyone["score"].is_sorted(descending=True)

    kinds = suggest_partners(
        G, actor, top=50, candidates=CandidateFilter(kinds=("academia", "business_support"))
    )
    assert set(kinds["kind"]) <= {"academia", "business_support"}
    assert kinds.height > 0
    helix = suggest_partners(G, actor, top=50, candidates=CandidateFilter(helices=("public",)))
    assert set(helix["helix"]) == {"public"}
    place = suggest_partners(
        G, actor, top=50, candidates=CandidateFilter(municipalities=("Krokom",))
    )
    assert set(place["municipality"]) == {"Krokom"}
    region = suggest_partners(
        G, actor, top=50, candidates=CandidateFilter(regions=("Norrbottens län",))
    )
    assert region.height == 0  # the whole ecosystem lies in Jämtlands län
    area = suggest_partners(G, actor, top=50, candidates=CandidateFilter(areas=("upplevelser",)))
    assert all("upplevelser" in G.nodes[v]["areas"] for v in area["actor_id"])
    first = everyone["actor_id"][0]
    excluded = suggest_partners(G, actor, top=5, candidates=CandidateFilter(exclude=(first,)))
    assert first not in excluded["actor_id"].to_list()
    assert excluded["actor_id"].to_list() == everyone["actor_id"].to_list()[1:6]


def test_unknown_actor_and_bad_arguments_are_usage_errors(small_graph: nx.Graph) -> None:
    with pytest.raises(UsageError, match="unknown actor 'no-such-actor'"):
        suggest_partners(small_graph, "no-such-actor")
    with pytest.raises(UsageError, match="top"):
        suggest_partners(small_graph, "syn-cluster-00001", top=0)
    with pytest.raises(UsageError, match="geography"):
        PartnerWeights(geography=-1.0)
    with pytest.raises(UsageError, match="restart"):
        PartnerWeights(restart=1.0)


def test_default_gaps_are_the_mixing_analysis_gaps(small_graph: nx.Graph) -> None:
    """Left to itself, suggest_partners marks as gaps exactly what gap_pairs_from_mixing takes
    from group_mixing by helix and by kind."""
    G = small_graph
    pairs = gap_pairs_from_mixing(group_mixing(G, "helix")) | gap_pairs_from_mixing(
        group_mixing(G, "kind")
    )
    assert pairs  # the generator makes some group pairs mix far less than chance
    for actor in ("syn-company-00050", "syn-academia-00001"):
        default = suggest_partners(G, actor, top=30)
        given = suggest_partners(G, actor, top=30, gap_pairs=pairs)
        assert default.equals(given)


def test_gap_bonus_names_the_gap_with_its_ratio() -> None:
    G = two_firms()
    ratio = group_mixing(G, "helix").filter(
        (pl.col("group_a") == "academia") & (pl.col("group_b") == "industry")
    )["ratio"][0]
    frame = suggest_partners(G, "f1", top=10, gap_pairs={("academia", "industry")})
    row = frame.filter(pl.col("actor_id") == "u").row(0, named=True)
    assert row["gap_bonus"] == pytest.approx(PartnerWeights().gap)
    assert row["closes_gap"] == (
        f"links groups that rarely work together: industry–academia ({ratio:.1f}× expected)"
    )
    assert row["closes_gap"] in row["explanation"]
    assert frame.filter(pl.col("actor_id") == "f2")["closes_gap"][0] is None


def test_unreached_actor_is_pointed_to_support() -> None:
    G = nx.Graph()
    G.add_node("firm", name="Lonely AB", kind="company")
    G.add_node("mate", name="Mate AB", kind="company")
    G.add_edge("firm", "mate")  # a pocket: no support actor in reach
    G.add_node("almi", name="Almi", kind="business_support")
    G.add_node("other", name="Other AB", kind="company")
    G.add_edge("almi", "other")
    frame = suggest_partners(G, "firm", top=5)
    row = frame.filter(pl.col("actor_id") == "almi").row(0, named=True)
    assert row["closes_gap"] == "gives Lonely AB a first path to the support system"
    assert row["gap_bonus"] > 0


def test_write_suggestions_replaces_rows_of_that_actor(con: duckdb.DuckDBPyConnection) -> None:
    G = two_firms()
    write_suggestions(con, "f1", suggest_partners(G, "f1", top=3), '{"top": 3}')
    write_suggestions(con, "f2", suggest_partners(G, "f2", top=2), '{"top": 2}')
    write_suggestions(con, "f1", suggest_partners(G, "f1", top=1), '{"top": 1}')
    rows = con.sql(
        "SELECT for_actor, rank, actor_id, common_partners, introduction_path, params "
        "FROM partner_suggestions ORDER BY for_actor, rank"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("f1", 1, "f2"), ("f2", 1, "f1"), ("f2", 2, "f3")]
    assert sorted(rows[0][3]) == ["Almi", "Mittuniversitetet", "Peak Innovation"]
    assert rows[0][4][0] == "f1"
    assert rows[0][4][-1] == "f2"
    assert rows[0][5] == '{"top": 1}'


def test_backtest_is_reproducible_and_seeded(small: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    actors, ties = small
    first = backtest(actors, ties, k=10, seed=3)
    again = backtest(actors, ties, k=10, seed=3)
    assert first == again
    assert set(first.methods) == {"blended", *BASELINES}
    for values in first.methods.values():
        assert set(values) == {"precision_at_k", "recall_at_k", "mrr"}
        assert all(0.0 <= v <= 1.0 for v in values.values())
    other = backtest(actors, ties, k=10, seed=4)
    assert other.methods["random"] != first.methods["random"]
    # the date split does not depend on the seed: the same pairs are hidden
    assert other.hidden_pairs == first.hidden_pairs
    assert first.split.startswith("ties starting")


def test_backtest_without_dates_hides_a_seeded_random_tenth(
    small: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    actors, ties = small
    undated = ties.with_columns(pl.lit(None, pl.Date).alias("start_date"))
    pairs = undated.select("actor_a", "actor_b").unique().height
    result = backtest(actors, undated, k=5, seed=8)
    assert result.split == "a random 10% of pairs hidden (start dates cannot tell the newest)"
    assert result.hidden_pairs == round(0.1 * pairs)
    assert result.train_pairs == pairs - result.hidden_pairs
    assert backtest(actors, undated, k=5, seed=8) == result
    assert backtest(actors, undated, k=5, seed=9).methods != result.methods


def test_only_pairs_first_tied_after_the_cut_are_new() -> None:
    """15 tie rows, 14 dated: hiding 20 % (3 rows) puts the cut at the latest date with 3 rows
    after it, 2016-10-01. x–y first meets after it; c–d also has a 2015 tie and a–b an undated
    one, so neither is new."""
    rows = [(f"o{i}", f"p{i}", date(2015 + i % 2, 1 + i, 1)) for i in range(10)]
    rows += [("c", "d", date(2015, 12, 1)), ("c", "d", date(2026, 1, 1))]
    rows += [("a", "b", None), ("a", "b", date(2026, 2, 1)), ("x", "y", date(2026, 3, 1))]
    ties = pl.DataFrame(
        {
            "actor_a": [r[0] for r in rows],
            "actor_b": [r[1] for r in rows],
            "kind": "partnership",
            "activity_id": pl.Series([None] * len(rows), dtype=pl.String),
            "start_date": pl.Series([r[2] for r in rows], dtype=pl.Date),
            "end_date": pl.Series([None] * len(rows), dtype=pl.Date),
            "weight": 1.0,
            "synthetic": False,
        }
    )
    ids = sorted({r[0] for r in rows} | {r[1] for r in rows})
    actors = pl.DataFrame({"actor_id": ids, "name": ids})
    split = prepare_backtest(actors, ties, hide_share=0.2)
    assert split.cut == date(2016, 10, 1)
    assert split.hidden_pairs == 1
    assert sorted(split.index.ids[q] for q in split.queries) == ["x", "y"]
    assert split.train_pairs == 12  # o–p ×10, c–d and a–b


def test_blended_beats_baselines_on_unseen_seed() -> None:
    """The weights were tuned on seed 1; on an ecosystem from seed 7 the blend must still be
    the most precise. The numbers are printed for the record (pytest -s)."""
    assert UNSEEN_SEED != TUNING_SEED
    actors, ties = ecosystem(1000, UNSEEN_SEED)
    result = backtest(actors, ties, k=10, seed=42)
    print(result.to_frame())
    precision = {m: v["precision_at_k"] for m, v in result.methods.items()}
    best_baseline = max(precision[m] for m in BASELINES)
    assert precision["blended"] > best_baseline
