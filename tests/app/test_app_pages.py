"""The Gaps and Geographic map pages, driven through the whole app (sidebar included) with
AppTest: on the demo database, on an empty one, and with markup in the data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.store.database import connect, open_db
from tests.conftest import MINI, write_files

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# markdown shows "\<" as a literal "<"; a "<" without the backslash may open a tag
UNESCAPED_TAG = re.compile(r"(?<!\\)<")


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    init_database(path, empty=True)
    return path


@pytest.fixture
def markup_db(tmp_path: Path) -> Path:
    """The small dataset plus a cluster named like a script tag (tied only to the company) in a
    strength area whose name is an image tag."""
    files = dict(MINI)
    files["strength_areas.csv"] = f'area_id,name,source_id\nenergi,"{IMG}",s1\n'
    files["actors.csv"] += f"x,{SCRIPT},cluster,Åre,Jämtlands län,,,s1\n"
    files["actor_areas.csv"] += "x,energi,s1\n"
    files["relations.csv"] += "r2,a,x,partnership,false,2020-01-01,,1,s1\n"
    path = tmp_path / "markup.duckdb"
    init_database(path, empty=True)
    with open_db(path) as con:
        import_paths(con, [write_files(tmp_path / "markup", files)])
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
    assert not at.exception
    return at


def _frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one dataframe on the page whose first columns are these."""
    found = [
        d.value for d in at.dataframe if list(d.value.columns[: len(columns)]) == list(columns)
    ]
    assert len(found) == 1, f"{len(found)} dataframes with {columns}"
    return found[0]


def _chart_rows(chart: object) -> pd.DataFrame:
    """The data a Vega-Lite chart element carries (Arrow IPC)."""
    data = chart.proto.datasets[0].data.data  # type: ignore[attr-defined]
    return pa.ipc.open_stream(data).read_all().to_pandas()


def _deck(at: AppTest) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def _texts(at: AppTest) -> Iterator[str]:
    """Every piece of text the page shows through markdown."""
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "header",
        "subheader",
    ):
        for element in at.get(kind):
            yield str(element.value)  # type: ignore[union-attr]
    for metric in at.metric:
        yield metric.label


# --- Gaps ------------------------------------------------------------------------------------


def test_gaps_page_on_demo_database(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/gaps.py")
    assert [t.label for t in at.tabs] == [
        "Mixing",
        "Diagnosis",
        "Support distance",
        "Brokers",
        "Coverage",
        "Over time",
        "At-risk ties",
        "What-if",
    ]
    # mixing, hops, brokers, coverage, over time
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5
    unreached = _frame(at, "name", "kind", "actor_id")
    assert len(unreached) > 0
    assert set(unreached["kind"]) <= {"cluster", "co-working space", "company"}  # as people say
    brokers = _frame(at, "name", "kind", "group", "betweenness")
    assert list(brokers["betweenness"]) == sorted(brokers["betweenness"], reverse=True)
    assert len(brokers) == 20  # the default top 20
    # the brokers as a bar chart: the first 15 of the table, by name
    bars = _chart_rows(charts[2])
    assert sorted(bars["name"]) == sorted(brokers["name"][:15])
    assert dict(zip(bars["name"], bars["betweenness"], strict=True)) == pytest.approx(
        dict(zip(brokers["name"][:15], brokers["betweenness"][:15], strict=True))
    )
    # ties over time as a line chart: the analysis's tied pairs per year
    years = _frame(at, "year", "ties", "actors_active")
    line = _chart_rows(charts[4])  # long: year, series name, value
    pairs = line[line.iloc[:, 1] == "tied pairs"]
    assert list(pairs["year"]) == [str(y) for y in years["year"]]
    assert list(pairs.iloc[:, 2]) == list(years["ties"])

    at.selectbox(key="gaps_group_by").set_value("helix").run()
    assert not at.exception
    cells = _chart_rows(at.get("vega_lite_chart")[0])
    pairs = set(zip(cells["group_a"], cells["group_b"], strict=True))
    # both triangles: every pair appears both ways, and only helices appear
    assert pairs == {(b, a) for a, b in pairs}
    assert (
        {"Industry", "Public sector"}
        <= set(cells["group_a"])
        <= {"Public sector", "Industry", "Academia", "Civil society", "(unknown)"}
    )
    assert "Each cell: observed / expected ties" in at.caption[0].value
    # every cell carries its verdict; the pairs too small to judge are the greyed ones
    assert set(cells["verdict"]) <= {
        "gap",
        "more than expected",
        "as expected",
        "too few to judge",
    }
    assert (cells[cells["verdict"] == "too few to judge"]["expected"] < 5).all()
    assert all(" / " in c for c in cells["cell"])
    diagnosis = _frame(at, "failure", "indicator", "value", "reference", "verdict")
    assert {"organisational thinness", "fragmentation", "lock-in", "support reach"} <= set(
        diagnosis["failure"]
    )


def test_gaps_whatif_removing_an_actor_shows_before_and_after(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    at = _app(monkeypatch, demo_db, "ui/gaps.py")
    assert not at.metric  # nothing runs before the button is pressed
    at.multiselect(key="whatif_remove").set_value(["peak-innovation"])
    at.button(key="whatif_run").click().run()
    assert not at.exception
    labels = [m.label.split(" (was")[0] for m in at.metric]
    assert labels == ["Separate parts", "Largest part", "Unreached targets", "Efficiency"]
    largest = at.metric[1]
    # Peak Innovation sits in the largest part, which loses it: one actor fewer
    assert int(largest.value) == int(largest.label.split("was ")[1].rstrip(")")) - 1
    assert largest.delta == "-1"
    assert any(m.value.startswith("- Removing Peak Innovation") for m in at.markdown)
    assert set(_frame(at, "actor_a", "actor_b", "name_a", "name_b", "reason")["reason"]) == {
        "actor removed"
    }


def test_gaps_whatif_ending_the_design_project_without_synthetic_data(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    """Designdrivna innovationskluster tied SVID, Design i Västernorrland, Region Jämtland
    Härjedalen and Ávki: its 4 partners make C(4, 2) = 6 ties that nothing else holds."""
    at = _app(monkeypatch, demo_db, "ui/gaps.py")
    at.sidebar.toggle(key="synthetic").set_value(False).run()
    at.multiselect(key="whatif_end").set_value(["designdrivna-innovationskluster"])
    at.button(key="whatif_run").click().run()
    assert not at.exception
    lost = _frame(at, "actor_a", "actor_b", "name_a", "name_b", "reason")
    assert len(lost) == 6
    assert set(lost["reason"]) == {"activity ended"}
    assert set(lost["actor_a"]) | set(lost["actor_b"]) == {
        "avki",
        "design-i-vasternorrland",
        "region-jh",
        "svid",
    }
    summary = next(m.value for m in at.markdown if m.value.startswith("- Ending"))
    assert "Designdrivna innovationskluster" in summary  # the name, not the id


def test_gaps_page_on_empty_database(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    at = _app(monkeypatch, empty_db, "ui/gaps.py")
    assert "No actors match" in at.info[0].value
    assert not at.tabs
    assert not at.get("vega_lite_chart")


# --- Geographic map --------------------------------------------------------------------------


def test_geo_map_on_demo_database(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/geo_map.py")
    deck = _deck(at)
    assert [layer["@@type"] for layer in deck["layers"]] == [
        "ArcLayer",
        "ScatterplotLayer",
        "TextLayer",
    ]
    points = deck["layers"][1]["data"]
    places = deck["layers"][2]
    assert places["characterSet"] == "auto"  # å ä ö are not in deck.gl's default ASCII set
    con = connect(demo_db, read_only=True)
    try:
        per_place = dict(
            con.sql(
                "SELECT municipality, count(*) FROM actors WHERE municipality IS NOT NULL "
                "GROUP BY municipality"
            ).fetchall()
        )
    finally:
        con.close()
    labels = {p["label"] for p in places["data"]}
    assert "Östersund (" + str(per_place["Östersund"]) + ")" in labels
    assert len(labels) == len(places["data"])
    assert points
    assert all({"name", "kind", "lat", "lon", "color"} <= set(p) for p in points)
    # no base map by default: pydeck's placeholder style, which Streamlit draws as nothing
    assert deck["mapStyle"] == "__MAP_STYLE__"
    assert "cartocdn" not in json.dumps(deck)
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip == {"text": "{name}\n{kind}"}
    counts = {m.label: int(m.value) for m in at.metric}
    assert counts["At own coordinates"] + counts["At municipality seat"] == len(points)
    assert counts["Not placeable"] >= 0

    flows = deck["layers"][0]["data"]
    # flows between places, not one arc per tie: one line per pair of places at most
    assert 0 < len(flows) <= len(places["data"]) ** 2
    assert len({f["name"] for f in flows}) == len(flows)
    assert all(f["kind"] == f"{f['ties']} ties" for f in flows)
    widest = max(flows, key=lambda f: f["ties"])
    at.selectbox(key="geo_flow").set_value(widest["name"]).run()
    assert not at.exception
    listed = [d.value for d in at.dataframe]
    assert len(listed) == 1
    assert len(listed[0]) == widest["ties"]
    assert any(f"{widest['ties']:,} ties between" in m.value for m in at.markdown)
    at.selectbox(key="geo_flow").set_value(None).run()

    at.multiselect(key="geo_tie_kinds").set_value(["membership"]).run()
    arcs = _deck(at)["layers"][0]["data"]
    assert arcs
    assert all(a["kind"].endswith("membership ties") for a in arcs)

    at.toggle(key="geo_arcs").set_value(False).run()
    at.toggle(key="geo_places").set_value(False).run()
    assert [layer["@@type"] for layer in _deck(at)["layers"]] == ["ScatterplotLayer"]

    at.toggle(key="geo_base_map").set_value(True).run()
    deck = _deck(at)
    assert deck["mapProvider"] == "carto"
    assert "positron" in deck["mapStyle"]


def test_geo_map_on_empty_database(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    at = _app(monkeypatch, empty_db, "ui/geo_map.py")
    assert "can be placed" in at.info[0].value
    assert not at.get("deck_gl_json_chart")


# --- Markup in the data ----------------------------------------------------------------------


def test_markup_in_names_is_shown_as_text(monkeypatch: pytest.MonkeyPatch, markup_db: Path) -> None:
    """An actor named like a script tag reaches markdown only escaped: in the what-if summary
    that names it, and an area named like an image tag in the coverage warning."""
    at = _app(monkeypatch, markup_db, "ui/gaps.py")
    at.multiselect(key="whatif_remove").set_value(["x"])
    at.button(key="whatif_run").click().run()
    assert not at.exception
    texts = list(_texts(at))
    assert any("alert\\(1\\)" in t for t in texts)  # the name is there, escaped
    assert any("onerror" in t for t in texts)
    for text in texts:
        assert not UNESCAPED_TAG.search(text), text

    at.switch_page("ui/geo_map.py").run()
    assert not at.exception
    deck = _deck(at)
    assert SCRIPT in {p["name"] for p in deck["layers"][1]["data"]}  # as data, for a text tooltip
    assert "html" not in json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    for text in _texts(at):
        assert not UNESCAPED_TAG.search(text), text
