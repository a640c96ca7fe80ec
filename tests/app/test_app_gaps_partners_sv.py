"""The Gaps and Partners pages in Swedish (AppTest with ``?lang=sv``): the pages' own words, the
partner explanations and introduction paths, numbers with a decimal comma, and the cached
suggestions keyed by the language (switching language never shows the other language's)."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from graph.analysis.partners import suggest_partners
from graph.i18n import use_language

ACTOR = "peak-innovation"


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, lang: str = "sv") -> AppTest:
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file("../../app.py", default_timeout=180)
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


def _cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if re.match(r"\*\*\d+\. ", m.value)]


def test_the_gaps_page_in_swedish(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/gaps.py")
    assert at.title[0].value == "Glapp i stödsystemet"
    assert [t.label for t in at.tabs] == [
        "Blandning", "Diagnos", "Avstånd till stöd", "Mäklare", "Täckning", "Över tid",
        "Hotade kopplingar", "Tänk om",
    ]  # fmt: skip
    captions = [c.value for c in at.caption]
    # 50 random networks, q below 0.05: a Swedish decimal comma
    mixing = next(c for c in captions if c.startswith("Kopplingar mellan grupper efter "))
    assert "(50 stycken, omkoppling som bevarar graden)" in mixing
    assert "q under 0,05" in mixing
    assert at.subheader[0].value == "Hur öppen varje grupp är"
    assert at.button(key="whatif_run").label == "Kör tänk om"
    assert at.radio(key="gaps_cov_measure").options == ["aktörer", "kopplingar"]
    assert "Gaps in the support system" not in [t.value for t in at.title]


def test_the_partners_page_in_swedish(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.selectbox(key="partners_actor").set_value(ACTOR).run()
    assert not at.exception
    assert at.title[0].value == "Partner"
    assert [t.label for t in at.tabs] == ["Förslag", "Hur bra är de? (efterhandstest)"]
    with use_language("sv"):
        expected = suggest_partners(demo_graph, ACTOR, top=10)
    cards = _cards(at)
    assert len(cards) == 10
    first = expected.row(0, named=True)
    # "**1. Name** · Kluster · poäng 1,23": the kind's Swedish name, the score with a comma
    score = f"{first['score']:.2f}".replace(".", ",")
    assert _plain(cards[0]).endswith(f"· poäng {score}")
    explanations = [_plain(m.value) for m in at.markdown]
    assert first["explanation"] in explanations
    assert any("gemensam" in e or "steg bort i nätverket" in e for e in expected["explanation"])
    intros = [_plain(c.value) for c in at.caption if " → " in c.value]
    assert intros
    assert all(": be " in i and "att presentera dig." in i for i in intros)
    assert at.subheader[0].value == "Varför de här partnerna"


def test_switching_language_never_shows_the_cached_other_language(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, demo_graph: nx.Graph
) -> None:
    """The suggestions are cached; the language is part of the key, so the same actor's
    explanations come back in English after Swedish, and the two differ."""
    sv = _app(monkeypatch, demo_db, "ui/partners.py")
    sv.selectbox(key="partners_actor").set_value(ACTOR).run()
    en = _app(monkeypatch, demo_db, "ui/partners.py", "en")
    en.selectbox(key="partners_actor").set_value(ACTOR).run()
    english = suggest_partners(demo_graph, ACTOR, top=10)["explanation"][0]
    with use_language("sv"):
        swedish = suggest_partners(demo_graph, ACTOR, top=10)["explanation"][0]
    assert english != swedish
    assert english in [_plain(m.value) for m in en.markdown]
    assert swedish not in [_plain(m.value) for m in en.markdown]
    assert swedish in [_plain(m.value) for m in sv.markdown]


def test_the_backtest_in_swedish(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "ui/partners.py")
    at.button(key="partners_run_backtest").click().run()
    assert not at.exception
    (sentence,) = [_plain(m.value) for m in at.markdown if m.value.startswith("**Av ")]
    # the cut-off day as Swedish writes it ("15 maj 2024"), counts and words in Swedish
    assert re.search(
        r"efter brytpunkten \(kopplingar som börjar efter \d{1,2} [a-z]+ \d{4} dolda\)", sentence
    )
    assert re.search(r"hittade våra 10 främsta förslag för var och en \d+; slumpmässiga", sentence)
    assert sentence.endswith(".**")
    tables = [d.value for d in at.dataframe if "method" in d.value.columns]
    assert {"våra förslag", "slumpmässiga förslag"} <= set(tables[0]["method"])


def test_the_suggestions_table_names_kinds_and_helices_in_swedish(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    """The table's kinds and helices are written in the session's language: polars may call the
    naming function in a thread of its own, where the session's language is not in force
    unless it is handed over (it showed 'university', 'academia' on a Swedish page)."""
    from graph.i18n import display_names

    at = _app(monkeypatch, demo_db, "ui/partners.py")
    assert not at.exception
    tables = [d.value for d in at.dataframe if {"kind", "helix"} <= set(d.value.columns)]
    assert tables
    helices = set(tables[0]["helix"])
    swedish = {v.lower() for v in display_names("helix", "sv").values()}
    english = {v.lower() for v in display_names("helix", "en").values()} - swedish
    assert helices & swedish
    assert not helices & english


def test_the_mixing_heatmap_and_tables_name_groups_in_swedish(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path
) -> None:
    """The heatmap's axes and the mixing and openness tables name helices in Swedish (they
    showed the stored values, 'civil_society', 'public', '(all)')."""
    import pyarrow as pa

    from graph.i18n import display_names

    at = _app(monkeypatch, demo_db, "ui/gaps.py")
    assert not at.exception
    chart = at.get("vega_lite_chart")[0]
    cells = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    swedish = set(display_names("helix", "sv").values())
    assert {"Näringsliv", "Offentlig sektor"} <= set(cells["group_a"]) <= swedish | {"(okänd)"}
    openness = [d.value for d in at.dataframe if "ei" in d.value.columns]
    assert "Hela nätverket" in set(openness[0]["group"])
