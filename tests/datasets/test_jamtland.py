"""The shipped Jämtland Härjedalen dataset: every row sourced by a page or a seed document, no
names of people, places consistent with the reference table, and the README's walk-through true.

The walk-through expectations were counted by hand from data/jamtland/*.csv (the comment at each
says how) and are also looked up, word for word, in README.md, so text and data cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest
from click.testing import CliRunner

from graph.analysis.network import GraphFilter, build_graph, load_actors, load_ties
from graph.analysis.support import support_distance
from graph.cli.commands import cli
from graph.datasets.bootstrap import init_database, municipalities
from graph.store.database import DATA_TABLES, connect, read_table
from graph.store.stats import REAL_REGION_ACTORS, dataset_stats, synthetic_by_default
from tests.conftest import ROOT

DATA = ROOT / "data" / "jamtland"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Given names of the people that ../shared/REGION-FACTS.md and the seed documents mention, in
# the text or in page addresses (chairs, managers, project leaders, a person in an organisation's
# name). None may appear in a shipped text cell as a word of its own.
GIVEN_NAMES = (
    "Anna", "Catarina", "Elise", "Fredrik", "Jonas", "John", "Magnus", "Marita", "Niklas",
    "Oliver", "Roger", "Teres",
)  # fmt: skip
# Surnames from the same places, for the same check.
SURNAMES = (
    "Andersson", "Bauer", "Blom", "Dogo", "Espmark", "Forslin", "Hallberg", "Halvarsson", "Huss",
    "Gärdin", "Nöjdh", "Olofsson", "Persson", "Wikén",
)  # fmt: skip


# tables the shipped region must have; the others (wanted_ties: what labs collect) may be absent
SHIPPED = ("sources", "actors", "activities", "participations", "relations", "actor_aliases")


def _frames() -> dict[str, pl.DataFrame]:
    missing = [t for t in SHIPPED if not (DATA / f"{t}.csv").exists()]
    assert not missing, f"data/jamtland lacks {missing}"
    return {
        t: pl.read_csv(DATA / f"{t}.csv", infer_schema_length=0)
        for t in DATA_TABLES
        if (DATA / f"{t}.csv").exists()
    }


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database `ecograph init --no-synthetic` makes, closed for the CLI to open."""
    path = tmp_path_factory.mktemp("region") / "region.duckdb"
    init_database(path, synthetic=False, shipped=DATA)
    return path


@pytest.fixture(scope="module")
def G(shipped: Path) -> nx.Graph:
    con = duckdb.connect(str(shipped), read_only=True)
    try:
        flt = GraphFilter(synthetic=False)
        actors = load_actors(con, flt)
        return build_graph(actors, load_ties(con, flt, actors))
    finally:
        con.close()


def test_every_row_rests_on_a_page_or_a_seed_document() -> None:
    """A source without a URL is allowed only for the two seed documents, and says so."""
    frames = _frames()
    sources = frames["sources"]
    no_url = sources.filter(pl.col("url").is_null())
    assert no_url["source_id"].sort().to_list() == [
        "rjh-call-innovation-clusters-2021",
        "rjh-run-664-2021",
    ]
    assert all("shared/seeds/" in note for note in no_url["note"])
    assert sources.filter(pl.col("url").is_not_null())["url"].str.contains(r"^https?://").all()
    assert (sources["synthetic"] == "false").all()
    assert (sources["auto"] == "false").all()
    known = set(sources["source_id"])
    for table, frame in frames.items():
        if table != "sources":
            assert set(frame["source_id"]) <= known, table
    # every source says what it states
    assert sources["note"].str.len_chars().min() > 40


def test_stats_on_the_region_alone(shipped: Path) -> None:
    """The issue's bar: ≥ 80 actors, ≥ 60 activities or relations, 100 % sourced."""
    con = duckdb.connect(str(shipped), read_only=True)
    try:
        stats = {r["table_name"]: r for r in dataset_stats(con).iter_rows(named=True)}
        assert not synthetic_by_default(con)
    finally:
        con.close()
    assert stats["actors"]["rows"] == 157 >= REAL_REGION_ACTORS
    assert stats["activities"]["rows"] == 85
    assert stats["relations"]["rows"] == 93
    assert all(r["sourced"] == r["rows"] for r in stats.values())


def test_no_names_of_people() -> None:
    """Organisations only: no given name or surname from the facts file in any text cell."""
    words = re.compile(r"\b(" + "|".join(GIVEN_NAMES + SURNAMES) + r")\b")
    hits = []
    for table, frame in _frames().items():
        # a URL is the page's address, kept verbatim even where it contains a name
        for column in (c for c in frame.columns if c != "url"):
            for value in frame[column].drop_nulls():
                if words.search(value):
                    hits.append((table, column, value[:60]))
    assert hits == []


def test_places_agree_with_the_reference_table() -> None:
    """An actor in a municipality of municipalities.csv carries that municipality's county as
    its region; every actor with a municipality has a region; regions come from a short list."""
    actors = _frames()["actors"]
    seats = municipalities(ROOT / "data")
    county = dict(zip(seats["municipality"], seats["county"], strict=True))
    for row in actors.iter_rows(named=True):
        if row["municipality"] in county:
            assert row["region"] == county[row["municipality"]], row["actor_id"]
        if row["municipality"]:
            assert row["region"], row["actor_id"]
    allowed = set(county.values()) | {
        "Dalarnas län", "Nederländerna", "Norge", "Sverige (nationell)", "Trøndelag fylke",
        "Västerbottens län", "Värmlands län", "Örebro län",
    }  # fmt: skip
    assert set(actors["region"].drop_nulls()) <= allowed
    # the eight municipalities of the county are all there, in their own municipality
    kommuner = actors.filter(pl.col("kind") == "municipality", pl.col("region") == "Jämtlands län")
    assert sorted(kommuner["municipality"]) == sorted(
        m for m, c in county.items() if c == "Jämtlands län"
    )


def test_the_demo_database_still_holds_the_synthetic_layer(tmp_path: Path) -> None:
    """Switching the first view to the real region must not empty the demo database."""
    path = tmp_path / "demo.duckdb"
    init_database(path, shipped=DATA)
    con = connect(path)
    try:
        synthetic = con.sql(
            "SELECT count(*) FROM actors JOIN sources USING (source_id) WHERE synthetic"
        ).fetchall()
        assert synthetic[0][0] > 0
        assert not synthetic_by_default(con)  # the real region is big enough to come first
    finally:
        con.close()


def test_small_sourced_data_keeps_the_synthetic_layer_on(
    mini_con: duckdb.DuckDBPyConnection,
) -> None:
    """Below REAL_REGION_ACTORS sourced actors the demo layer stays on by default."""
    assert read_table(mini_con, "actors").height < REAL_REGION_ACTORS
    assert synthetic_by_default(mini_con)


# --- the README walk-through ------------------------------------------------------------------


def _names(G: nx.Graph, nodes: object) -> list[str]:
    return sorted(G.nodes[n]["name"] for n in nodes)  # type: ignore[attr-defined]


def test_walkthrough_peak_innovations_partners(G: nx.Graph) -> None:
    # relations.csv: 8 rel-peak-* partners, rel-mssp-runs-peak, rel-peak-region-peak; activities:
    # Peak Innovation II–IV (Vinnova; ETOUR, NVC, STRC in III), the pre-study (Region JH),
    # north-sweden-besok-2022 (North Sweden European Office, Tillväxtverket, MIUN, Region JH).
    assert _names(G, G["peak-innovation"]) == sorted(
        [
            "Peak Business & Sports AB", "Jämtland-Härjedalens Idrottsförbund", "Mittuniversitetet",
            "Östersunds kommun", "Krokoms kommun", "Åre kommun", "Jämtlands läns landsting",
            "Regionförbundet Jämtlands län", "Mid Sweden Science Park AB", "Peak Region AB",
            "Vinnova", "ETOUR – European Tourism Research Institute",
            "Nationellt vintersportcentrum (NVC)", "Sports Tech Research Centre (STRC)",
            "Region Jämtland Härjedalen", "North Sweden European Office", "Tillväxtverket",
        ]
    )  # fmt: skip
    assert "Peak Innovation has 17 direct partners" in README


def test_walkthrough_partner_suggestions(shipped: Path) -> None:
    result = CliRunner().invoke(
        cli, ["partners", "peak-innovation", "--no-synthetic", "--json", "--db", str(shipped)]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 10
    assert all(len(r["introduction_path"]) >= 3 for r in rows)  # an introduction for every one
    first = [(r["actor_id"], r["introduction_path"][1]) for r in rows[:3]]
    assert first == [
        ("rcr", "miun"),
        ("lansstyrelsen-jamtland", "region-jh"),
        ("harjedalen-kommun", "ostersund-kommun"),
    ]
    for text in (
        "puts first Risk and Crisis Research Centre (RCR), introduced through\n  Mittuniversitetet",
        "Länsstyrelsen Jämtlands län, introduced through Region Jämtland\n  Härjedalen",
        "Härjedalens kommun, introduced through Östersunds kommun",
        "All ten suggestions\n  come with an introduction path",
    ):
        assert text in README


def test_walkthrough_mid_sweden_universitys_reach(G: nx.Graph) -> None:
    partners = list(G["miun"])
    regions = Counter(G.nodes[n]["region"] for n in partners)
    inside = [n for n in partners if G.nodes[n]["region"] == "Jämtlands län"]
    places = Counter(G.nodes[n]["municipality"] for n in inside)
    kommuner = _names(G, (n for n in inside if G.nodes[n]["kind"] == "municipality"))
    assert len(partners) == 50
    assert len(inside) == 22
    assert places == {"Östersund": 12, None: 7, "Krokom": 2, "Härjedalen": 1}
    assert kommuner == ["Härjedalens kommun", "Östersunds kommun"]
    assert regions["Trøndelag fylke"] == 6
    assert regions["Västernorrlands län"] == 2
    assert regions["Sverige (nationell)"] == 4
    for text in (
        "Mittuniversitetet has 50 direct partners,\n  22 of them in Jämtlands län: "
        "12 in Östersund, 2 in Krokom, 1 in Härjedalen and 7",
        "Östersunds kommun and Härjedalens kommun. Its other ties reach Trøndelag (6 partners),\n"
        "  Västernorrland (2) and actors with a national remit (4).",
    ):
        assert text in README


def test_walkthrough_sami_organisations_and_support(G: nx.Graph) -> None:
    sami = support_distance(G, targets=("sami_org",))
    hops = dict(zip(sami["actor_id"], sami["hops"], strict=True))
    assert len(hops) == 11
    assert sorted(a for a, h in hops.items() if h == 2) == ["saemien-sijte", "slow-food-sapmi"]
    assert sum(1 for h in hops.values() if h == 1) == 9
    gaaltije = [n for n in G["gaaltije"] if G.nodes[n]["support"]]
    assert sorted(gaaltije) == [
        "lansstyrelsen-jamtland", "lansstyrelsen-vasternorrland", "rcr", "region-jh",
        "riksantikvarieambetet", "skogsstyrelsen", "slu", "tillvaxtverket",
    ]  # fmt: skip
    for sameby in ("handolsdalens-sameby", "mittadalens-sameby"):
        support = [n for n in G[sameby] if G.nodes[n]["support"]]
        assert sorted(support) == ["regionforbundet-jamtland", "tillvaxtverket"]
        # both ties come from the 2014 pre-study alone
        for n in support:
            edge = G.edges[sameby, n]
            assert edge["activities"] == ("lopme-laante-forstudie",)
            assert edge["relations"] == 0
    assert "Of the 11 Sami organisations, 9 have a\n  direct tie to a support actor" in README
    assert "Gaaltije has 8" in README
    assert "Saemien Sijte (Snåsa) and\n  Slow Food Sápmi are two steps away." in README


def test_walkthrough_who_support_does_not_reach(G: nx.Graph) -> None:
    unreached = support_distance(G).filter(~pl.col("reached"))
    assert sorted(unreached["actor_id"]) == ["are-destination", "kollektivet-klovsjo"]
    assert "Kollektivet, the co-working hub in Klövsjö, and\n  Åre Destination." in README
