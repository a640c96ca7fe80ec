"""The shell in Swedish: the sidebar, the Overview, Network map and Geographic map pages driven
through the whole app with the session's language set by the address (``?lang=sv``), and the
pickers sorting names the Swedish way (Å, Ä, Ö after Z) and the English way in English.

Expected texts are the Swedish catalogue's; numbers are written with
``graph.i18n.format_number``/``format_percent`` (no-break spaces, decimal comma), so a page that
formats a number itself (``f"{n:,}"``) or reads a cached English result fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.i18n import format_number, sort_key
from graph.store.database import open_db
from tests.conftest import MINI, write_files
from tests.present.test_escaping import _vis_data


@pytest.fixture
def names_db(tmp_path: Path) -> Path:
    """The small dataset plus names that sort differently in Swedish and English: Zeta, Ärla
    and Östersund (and the small set's Åre, Mittuniversitetet and Ávki)."""
    files = dict(MINI)
    files["actors.csv"] += (
        "z,Zeta Design AB,company,Krokom,Jämtlands län,,,s1\n"
        "e,Ärla Konsult,company,Åre,Jämtlands län,,,s1\n"
        "o,Östersunds kommun,municipality,Östersund,Jämtlands län,,,s1\n"
    )
    path = tmp_path / "names.duckdb"
    init_database(path, empty=True)
    with open_db(path) as con:
        import_paths(con, [write_files(tmp_path / "names", files)])
    return path


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, lang: str = "sv") -> AppTest:
    """Open ``page`` on ``db`` in ``lang`` (from the address, as a shared link does), with the
    synthetic demo layer switched on."""
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file("../../app.py", default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    switch = [t for t in at.toggle if t.key == "synthetic"]
    if switch and not switch[0].value:
        switch[0].set_value(True).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _map(at: AppTest) -> str:
    (frame,) = at.get("iframe")
    return str(frame.proto.srcdoc)  # type: ignore[attr-defined]


def test_the_sidebar_speaks_swedish(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/overview.py")
    assert at.sidebar.selectbox(key="db_path").label == "Databas"
    assert at.sidebar.selectbox(key="wave").label == "Data som de var registrerade vid"
    assert at.sidebar.selectbox(key="wave").options[0] == "nu"
    assert at.sidebar.checkbox(key="use_years").label == "Begränsa till ett tidsfönster"
    assert at.sidebar.multiselect(key="kinds").label == "Aktörstyper"
    assert at.sidebar.toggle(key="synthetic").label == "Ta med syntetiska demodata"
    # kinds by their Swedish names, in Swedish order (not the values' order: academia is
    # Lärosäte); the values chosen stay the data's
    kinds = at.sidebar.multiselect(key="kinds")
    assert {"Företagsstöd", "Lärosäte", "Samisk organisation"} <= set(kinds.options)
    assert kinds.options == sorted(kinds.options, key=sort_key("sv"))
    kinds.set_value(["business_support"]).run()
    assert not at.exception
    assert at.session_state["graph_filter"].kinds == ("business_support",)


def test_overview_in_swedish(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/overview.py")
    assert at.title[0].value == "Översikt över innovationssystemet"
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {
        "Aktörer",
        "Aktiviteter",
        "Relationer",
        "I urvalet",
        "Syntetiska i urvalet",
    }
    # a Swedish percentage: a no-break space before the sign
    assert re.fullmatch(r"\d+\xa0%", metrics["Syntetiska i urvalet"])
    assert metrics["I urvalet"] == format_number(demo_graph.number_of_nodes(), "sv")
    assert any(s.value == "Det som sticker ut" for s in at.subheader)
    (button,) = at.get("download_button")
    assert button.proto.label == "Ladda ned styrelserapporten"  # type: ignore[attr-defined]
    glance = [_plain(m.value) for m in at.markdown if "kopplingar i urvalet" in m.value]
    n, ties = demo_graph.number_of_nodes(), demo_graph.number_of_edges()
    assert glance[0].startswith(
        f"**{format_number(n, 'sv')}** aktörer och **{format_number(ties, 'sv')}** kopplingar "
        "i urvalet ("
    )
    links = {link.proto.label for link in at.get("page_link")}  # type: ignore[attr-defined]
    assert {"Alla glapp", "Se dem på nätverkskartan"} <= links
    # the tables' headers and their help are Swedish too (the columns keep their names)
    config: dict[str, dict[str, str]] = {}
    for frame in at.dataframe:
        config.update(json.loads(frame.proto.columns))  # type: ignore[attr-defined]
    assert config["pair"]["label"] == "Grupper"
    assert config["rows"]["label"] == "Rader"
    assert config["rows"]["help"] == "Rader i tabellen."


def test_network_map_in_swedish_then_english(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    """The map's HTML, legend and tooltips are cached per language: switching to English in
    the same session draws an English map, not the Swedish one from the cache."""
    at = _app(monkeypatch, demo_db, "ui/network_map.py")
    assert at.title[0].value == "Nätverkskarta"
    assert at.selectbox(key="map_color").label == "Färg efter"
    assert at.selectbox(key="map_color").options[0] == "typ"
    assert at.selectbox(key="map_size").options[0] == "Kopplingar"  # degree, by its column name
    assert at.number_input(key="map_budget").label == "Nodbudget"
    html = _map(at)
    assert '<html lang="sv">' in html
    titles = " ".join(str(n["title"]) for n in _vis_data(html, "nodes"))
    assert "kopplingar " in titles
    assert "mellanhandscentralitet 0," in titles
    (legend,) = at.get("html")
    assert "företag" in legend.proto.body  # type: ignore[attr-defined]
    downloads = {b.proto.label for b in at.get("download_button")}  # type: ignore[attr-defined]
    assert downloads == {
        "Ladda ned kartan (fristående HTML)",
        "Ladda ned en bild för presentationer (SVG)",
    }
    at.number_input(key="map_budget").set_value(50).run()
    assert any("delnätverk som supernoder" in i.value for i in at.info), at.info

    at.sidebar.radio(key="ui_language_switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Network map"
    assert '<html lang="en">' in _map(at)
    assert any("communities as super-nodes" in i.value for i in at.info)


def test_geographic_map_in_swedish(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/geo_map.py")
    assert at.title[0].value == "Karta"
    labels = {m.label for m in at.metric}
    assert labels == {
        "På egna koordinater",
        "Vid kommunens centralort",
        "Kan inte placeras",
        "Syntetiska (ritas blekare)",
    }
    assert at.toggle(key="geo_arcs").label == "Visa kopplingar mellan orter"
    (deck,) = at.get("deck_gl_json_chart")
    layers = json.loads(deck.proto.json)["layers"]  # type: ignore[attr-defined]
    flows, points, places = (layer["data"] for layer in layers)
    assert all(f["kind"] == f"kopplingar: {f['ties']}" for f in flows)
    assert all(p["kind"].startswith("aktörer: ") for p in places)
    assert any(p["kind"].startswith("Företag") for p in points)  # kinds by their names
    assert any(c.value == "Aktörstyper" for c in at.caption)
    # tie kinds offered by their Swedish names; the value chosen stays the data's
    tie_kinds = at.multiselect(key="geo_tie_kinds")
    assert "medlemskap" in tie_kinds.options
    tie_kinds.set_value(["membership"]).run()
    assert not at.exception


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                "Ávki – ČĐŊŠŦŽ",
                "Mittuniversitetet",
                "Zeta Design AB",
                "Åre Företag AB",
                "Ärla Konsult",
                "Östersunds kommun",
            ],
        ),
        (
            "en",
            [
                "Åre Företag AB",
                "Ärla Konsult",
                "Ávki – ČĐŊŠŦŽ",
                "Mittuniversitetet",
                "Östersunds kommun",
                "Zeta Design AB",
            ],
        ),
    ],
)
def test_pickers_sort_names_as_the_language_does(
    monkeypatch: pytest.MonkeyPatch, names_db: Path, lang: str, expected: list[str]
) -> None:
    """Swedish puts Å, Ä, Ö after Z (and Ávki with the A's); English sorts them as A and O."""
    at = _app(monkeypatch, names_db, "ui/network_map.py", lang)
    ego = at.selectbox(key="map_ego")
    shown = [o.rsplit(" (", 1)[0] for o in ego.options[1:]]  # "name (id)", after "whole network"
    assert shown == expected
    assert ego.options[0] == ("— hela nätverket —" if lang == "sv" else "— whole network —")
    municipalities = at.sidebar.multiselect(key="municipalities").options
    assert municipalities == (
        ["Gällivare", "Krokom", "Åre", "Östersund"]
        if lang == "sv"
        else ["Åre", "Gällivare", "Krokom", "Östersund"]
    )


def test_table_columns_follow_the_language_in_force() -> None:
    """Headers, help and the date format of a table come from the catalogue when the table is
    drawn (Swedish tables write dates 2026-12-01), English ones stay as they were."""
    from graph.i18n import use_language
    from ui.present import column_config

    with use_language("sv"):
        swedish = column_config(["start_date", "degree"])
    assert swedish["start_date"]["label"] == "Börjar"  # type: ignore[index]
    assert swedish["start_date"]["type_config"]["format"] == "YYYY-MM-DD"  # type: ignore[index]
    assert swedish["degree"]["help"] == "Hur många partner aktören har."  # type: ignore[index]
    english = column_config(["start_date"])
    assert english["start_date"]["label"] == "Starts"  # type: ignore[index]
    assert english["start_date"]["type_config"]["format"] == "D MMM YYYY"  # type: ignore[index]
