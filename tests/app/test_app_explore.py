"""The Overview, Network map and Partners pages, driven through the whole app (sidebar included)
with AppTest: on the demo database, with their main controls, and on an empty database.

Expected values come from the database and the core functions called here, so a page that drops
a filter, shows a stale count or wires a control to the wrong thing fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from graph.analysis.network import GraphFilter, load_actors, load_graph, load_ties
from graph.analysis.partners import CandidateFilter, backtest, suggest_partners
from graph.datasets.bootstrap import init_database
from graph.store.database import connect
from tests.app.test_app_pages import _chart_rows
from tests.present.test_escaping import _vis_data


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    init_database(path, empty=True)
    return path


def _app(
    monkeypatch: pytest.MonkeyPatch, db: Path, page: str, *, with_synthetic: bool = True
) -> AppTest:
    """Open ``page`` on ``db``. The app starts on the real region with the synthetic layer off;
    these tests look at the demo layer, so they switch it on first unless told otherwise."""
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file("../../app.py", default_timeout=120).run()
    switch = [t for t in at.toggle if t.key == "synthetic"]
    if with_synthetic and switch and not switch[0].value:
        switch[0].set_value(True).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _count(db: Path, sql: str) -> int:
    con = connect(db, read_only=True)
    try:
        return int(con.sql(sql).fetchall()[0][0])
    finally:
        con.close()


def _plain(text: str) -> str:
    """Markdown source as a reader sees it (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", text)


def _map(at: AppTest) -> str:
    (frame,) = at.get("iframe")
    return str(frame.proto.srcdoc)  # type: ignore[attr-defined]


def _map_nodes(at: AppTest) -> list[dict[str, Any]]:
    return _vis_data(_map(at), "nodes")


def _map_edges(at: AppTest) -> list[dict[str, Any]]:
    return _vis_data(_map(at), "edges")


# --- Overview ----------------------------------------------------------------------------------


def test_overview_counts_and_links(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actors"] == f"{_count(demo_db, 'SELECT count(*) FROM actors'):,}"
    assert metrics["Activities"] == f"{_count(demo_db, 'SELECT count(*) FROM activities'):,}"
    assert metrics["Relations"] == f"{_count(demo_db, 'SELECT count(*) FROM relations'):,}"
    assert any("synthetic demo data" in w.value for w in at.warning)
    assert any(s.value == "What stands out" for s in at.subheader)
    links = {link.proto.label for link in at.get("page_link")}  # type: ignore[attr-defined]
    assert {"All gaps", "See them on the network map"} <= links
    gaps = [d.value for d in at.dataframe if "pair" in d.value.columns]
    assert len(gaps) == 1
    assert 0 < len(gaps[0]) <= 5
    # only significant gaps: fewer ties than the random networks' mean (and their interval)
    assert (gaps[0]["observed"] < gaps[0]["expected"]).all()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Synthetic in the filter"].endswith("%")
    assert not any("group_a" in d.value.columns for d in at.dataframe)  # names, not codes


def test_overview_downloads_the_board_report_with_its_findings(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    """The download is the same report the command line writes, for the sidebar's filter;
    the page shows the report's findings, numbered."""
    from datetime import date

    from graph.analysis.gaps import AnalysisParams, run_analysis
    from graph.present.findings import build_findings

    at = _app(monkeypatch, demo_db, "ui/overview.py")
    (button,) = at.get("download_button")
    assert button.proto.label == "Download the board report"  # type: ignore[attr-defined]
    con = connect(demo_db, read_only=True)
    try:
        expected = build_findings(run_analysis(con, AnalysisParams(as_of=date.today())))
    finally:
        con.close()
    shown = [_plain(m.value) for m in at.markdown if re.match(r"\*\*\d+\. ", m.value)]
    assert shown == [f"**{i}. {f.headline}**" for i, f in enumerate(expected, start=1)]
    assert 3 <= len(shown) <= 7


def test_overview_follows_the_sidebar(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    """The first view is the real region (the shipped data has 80+ sourced actors, so the
    synthetic switch starts off); switching it on adds the demo layer."""
    at = _app(monkeypatch, demo_db, "ui/overview.py", with_synthetic=False)
    con = connect(demo_db, read_only=True)
    try:
        sourced = load_graph(con, GraphFilter(synthetic=False))
    finally:
        con.close()
    assert sourced.number_of_nodes() < demo_graph.number_of_nodes()
    assert at.toggle(key="synthetic").value is False
    glance = [_plain(m.value) for m in at.markdown if "ties in the current filter" in m.value]
    assert glance == [
        f"**{sourced.number_of_nodes():,}** actors and **{sourced.number_of_edges():,}** "
        "ties in the current filter (sourced data only, no synthetic demo data)."
    ]
    # with synthetic data off: no synthetic share anywhere, only the exclusion line
    excluded = demo_graph.number_of_nodes() - sourced.number_of_nodes()
    infos = [i.value.replace("\\", "") for i in at.info]  # markdown escapes ( ) .
    assert infos == [f"Synthetic demo data excluded ({excluded} actors)."]
    texts = [e.value for kind in (at.markdown, at.warning, at.caption) for e in kind]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    # (the filter line says "no synthetic demo data": what is shown, not a share)
    assert not [t for t in texts if "ynthetic" in t and "no synthetic demo data" not in t]
    assert all("synthetic" not in d.value.columns for d in at.dataframe)
    at.toggle(key="synthetic").set_value(True).run()
    assert not at.exception
    glance = [_plain(m.value) for m in at.markdown if "ties in the current filter" in m.value]
    assert glance == [
        f"**{demo_graph.number_of_nodes():,}** actors and **{demo_graph.number_of_edges():,}** "
        "ties in the current filter (all actors and ties)."
    ]


def test_overview_on_an_empty_database(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    at = _app(monkeypatch, empty_db, "ui/overview.py")
    assert any("The database is empty" in i.value for i in at.info)
    assert not at.metric


# --- Network map -------------------------------------------------------------------------------


def test_network_map_draws_every_actor_under_the_budget(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/network_map.py")
    nodes = _map_nodes(at)
    assert demo_graph.number_of_nodes() < 800
    assert {n["id"] for n in nodes} == set(demo_graph)
    assert all(n.get("x") is not None and n.get("y") is not None for n in nodes)
    assert len(_map_edges(at)) == demo_graph.number_of_edges()
    assert not at.info  # no level-of-detail note
    (legend,) = at.get("html")
    assert "company" in legend.proto.body  # type: ignore[attr-defined]  # coloured by kind
    downloads = {b.proto.label: b for b in at.get("download_button")}  # type: ignore[attr-defined]
    assert set(downloads) == {
        "Download this map (standalone HTML)",
        "Download a picture for slides (SVG)",
    }


def test_network_map_level_of_detail(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/network_map.py")
    at.number_input(key="map_budget").set_value(50).run()
    assert not at.exception
    assert any("communit" in i.value for i in at.info), [i.value for i in at.info]
    assert 0 < len(_map_nodes(at)) <= 50
    at.selectbox(key="map_lod").set_value("top").run()
    nodes = {n["id"] for n in _map_nodes(at)}
    assert len(nodes) == 50
    degree = sorted(demo_graph.degree(), key=lambda x: (-x[1], x[0]))
    assert {v for v, _ in degree[:10]} <= nodes  # the ten best connected are all shown
    assert any("Showing the 50 actors with the highest" in i.value for i in at.info)


def test_network_map_ego_view_and_suggested_ties(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/network_map.py")
    at.selectbox(key="map_ego").set_value("peak-innovation").run()
    one_hop = {"peak-innovation", *demo_graph["peak-innovation"]}
    assert {n["id"] for n in _map_nodes(at)} == one_hop
    at.slider(key="map_hops").set_value(2).run()
    two_hops = set(nx.ego_graph(demo_graph, "peak-innovation", radius=2))
    assert {n["id"] for n in _map_nodes(at)} == two_hops
    at.slider(key="map_hops").set_value(1).run()
    at.checkbox(key="map_suggest").check().run()
    assert not at.exception
    dashed = [e for e in _map_edges(at) if e.get("dashes")]
    expected = suggest_partners(demo_graph, "peak-innovation", top=5)["actor_id"].to_list()
    assert len(dashed) == 5
    assert {e["from"] for e in dashed} | {e["to"] for e in dashed} == {
        "peak-innovation",
        *expected,
    }


def test_network_map_colour_by_community(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/network_map.py")
    before = {n["id"]: n["color"] for n in _map_nodes(at)}
    at.selectbox(key="map_color").set_value("community").run()
    assert not at.exception
    after = {n["id"]: n["color"] for n in _map_nodes(at)}
    assert before.keys() == after.keys()
    assert before != after
    (legend,) = at.get("html")
    assert "company" not in legend.proto.body  # type: ignore[attr-defined]


def test_network_map_on_an_empty_database(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    at = _app(monkeypatch, empty_db, "ui/network_map.py")
    assert any("No actors match" in i.value for i in at.info)
    assert not at.get("iframe")


# --- Partners ----------------------------------------------------------------------------------


def _suggested_names(at: AppTest) -> list[str]:
    """The names of the suggestion cards, in order ("**1. Name** · kind · score …")."""
    names = []
    for m in at.markdown:
        found = re.match(r"\*\*(\d+)\. (.*)\*\* · ", m.value)
        if found:
            names.append(_plain(found.group(2)))
    return names


def test_partners_page_shows_the_core_suggestions_with_paths(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.selectbox(key="partners_actor").set_value("peak-innovation").run()
    assert not at.exception
    expected = suggest_partners(demo_graph, "peak-innovation", top=10)
    assert _suggested_names(at) == expected["name"].to_list()
    intros = [
        _plain(c.value)
        for c in at.caption
        if " → " in c.value or c.value.startswith("No chain of existing ties")
    ]
    assert len(intros) == 10
    start = demo_graph.nodes["peak-innovation"]["name"]
    assert any(expected["introduction_names"].to_list())
    for intro, path in zip(intros, expected["introduction_names"].to_list(), strict=True):
        if path:  # the path in words, with names, and whom to ask
            assert intro.startswith(f"{start} → ")
            assert intro.split(": ask ")[0] == " → ".join(path)
            assert intro.split(": ask ")[1].startswith(f"{path[1]} ")
    # the score as its parts: a stacked bar chart whose parts add up to each score
    (chart,) = at.get("vega_lite_chart")
    rows = _chart_rows(chart)
    assert set(rows["part"]) == {"shared partners", "complements you", "bridges groups"}
    sums = rows.groupby("name")["value"].sum()
    for r in expected.iter_rows(named=True):
        assert sums[f"{r['rank']}. {r['name']}"] == pytest.approx(r["score"])
    assert len(at.get("iframe")) == 1  # the introduction paths on a small map
    at.number_input(key="partners_top").set_value(3).run()
    assert _suggested_names(at) == expected["name"].to_list()[:3]


def test_partners_page_candidate_filters(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.selectbox(key="partners_actor").set_value("peak-innovation").run()
    first = suggest_partners(demo_graph, "peak-innovation", top=10)
    at.multiselect(key="partners_exclude").set_value([first["actor_id"][0]]).run()
    assert not at.exception
    names = _suggested_names(at)
    assert first["name"][0] not in names
    assert names[0] == first["name"][1]
    at.multiselect(key="partners_exclude").set_value([]).run()
    at.multiselect(key="partners_helices").set_value(["academia"]).run()
    table = [d.value for d in at.dataframe if "helix" in d.value.columns]
    assert len(table) == 1
    assert set(table[0]["helix"]) == {"academia"}
    wanted = suggest_partners(
        demo_graph, "peak-innovation", top=10, candidates=CandidateFilter(helices=("academia",))
    )
    assert _suggested_names(at) == wanted["name"].to_list()


def test_partners_page_backtest(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.button(key="partners_run_backtest").click().run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "method" in d.value.columns]
    assert len(tables) == 1
    methods = set(tables[0]["method"])
    assert {
        "our suggestions",
        "random suggestions",
        "most shared partners",
        "the best-connected actors",
        "shared partners, weighted by their partners",
    } <= methods
    assert tables[0]["precision_at_k"].between(0, 1).all()
    # the result in counts: found = hit rate × k × actors asked about, for ours and random's
    con = connect(demo_db, read_only=True)
    try:
        actors = load_actors(con)
        result = backtest(actors, load_ties(con, actors=actors), k=10, seed=42, max_queries=300)
    finally:
        con.close()
    ours = round(result.methods["blended"]["precision_at_k"] * 10 * result.queries)
    chance = round(result.methods["random"]["precision_at_k"] * 10 * result.queries)
    (sentence,) = [_plain(m.value) for m in at.markdown if m.value.startswith("**Of ")]
    assert f"Of the {result.query_pairs:,} ties that {result.queries:,} actors formed" in sentence
    assert f"our top 10 suggestions for each found {ours:,}; random" in sentence
    assert sentence.endswith(f"would have found {chance:,}.**")
    assert 0 <= chance <= ours <= result.query_pairs


def test_partners_page_says_why_fewer_than_asked(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    """Derived from the data: the actor kind with the fewest actors that are not partners of
    Peak Innovation yet (at least one); asking for 10 of them must say only that many match."""
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.selectbox(key="partners_actor").set_value("peak-innovation").run()
    partners = set(demo_graph["peak-innovation"])
    open_by_kind: dict[str, int] = {}
    for v, d in demo_graph.nodes(data=True):
        if v != "peak-innovation" and v not in partners and d.get("kind"):
            open_by_kind[d["kind"]] = open_by_kind.get(d["kind"], 0) + 1
    kind, count = min(open_by_kind.items(), key=lambda kv: (kv[1], kv[0]))
    assert count < 10
    at.multiselect(key="partners_kinds").set_value([kind]).run()
    assert not at.exception
    got = len(_suggested_names(at))
    reasons = [_plain(i.value) for i in at.info if i.value.startswith("Only")]
    assert len(reasons) == 1
    word = "actor matches" if count == 1 else "actors match"
    assert reasons[0].startswith(f"Only {count} {word} ")
    assert reasons[0].endswith("for the 10 asked for.")
    assert got <= count


def test_partners_page_on_an_empty_database(
    monkeypatch: pytest.MonkeyPatch, empty_db: Path
) -> None:
    at = _app(monkeypatch, empty_db, "ui/partners.py")
    assert any("at least two actors" in i.value for i in at.info)
