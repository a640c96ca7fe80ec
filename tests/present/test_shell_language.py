"""Column headers, kind and helix labels, the maps and the filter's messages speak the language
in force when they are read (``graph.i18n.use_language``), and English stays as it was."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.filters import check_values, describe_filter
from graph.analysis.metrics import actor_metrics
from graph.analysis.network import GraphFilter
from graph.errors import UsageError
from graph.i18n import use_language
from graph.present.columns import COLUMNS, label_of
from graph.present.maps import MapOptions, standalone_map
from graph.present.palette import helix_label, kind_label
from tests.present.test_escaping import _vis_data


def test_columns_are_read_in_the_language_in_force() -> None:
    assert COLUMNS["degree"] == ("Ties", "How many partners the actor has.", "int")
    with use_language("sv"):
        assert COLUMNS["degree"] == ("Kopplingar", "Hur många partner aktören har.", "int")
        assert label_of("betweenness") == "Mäklarvärde"
    assert label_of("betweenness", "sv") == "Mäklarvärde"
    assert label_of("betweenness") == "Broker score"  # back to English after the block
    assert label_of("no_such_column", "sv") == "no_such_column"
    assert len(COLUMNS) == len(list(COLUMNS)) > 90


@pytest.mark.parametrize(
    ("kind", "english", "swedish"),
    [
        ("coworking", "co-working space", "coworkingplats"),
        ("business_support", "business support", "företagsstöd"),
        ("civil_society", "association", "förening"),  # a sentence's word, not the picker's
        ("sami_org", "Sami organisation", "samisk organisation"),
        (None, "unknown kind", "okänd typ"),
        ("spaceship_yard", "spaceship yard", "spaceship yard"),  # unknown: as stored
    ],
)
def test_kinds_in_running_text(kind: str | None, english: str, swedish: str) -> None:
    assert (kind_label(kind, "en"), kind_label(kind, "sv")) == (english, swedish)


def test_helices_in_running_text() -> None:
    assert [helix_label(h, "sv") for h in ("public", "civil_society", None)] == [
        "offentlig sektor",
        "civilsamhälle",
        "ingen helix",
    ]
    assert helix_label("public", "en") == "public sector"


def test_a_swedish_map_says_so_and_writes_swedish_numbers() -> None:
    """The exported map: <html lang="sv">, a Swedish title, key and filter, and tooltips with
    decimal commas; the same map in English keeps its English texts."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d")])
    nx.set_node_attributes(
        G, {"a": "company", "b": "cluster", "c": "region", "d": "company"}, "kind"
    )
    nx.set_node_attributes(G, dict.fromkeys(G, "industry"), "helix")
    with use_language("sv"):
        html, _ = standalone_map(G, actor_metrics(G), made="1 december 2026")
    assert '<html lang="sv">' in html
    assert "Nätverkskarta" in html
    assert "alla aktörer och kopplingar · 1 december 2026" in html
    assert "Romber med mörk kant: sårbara punkter." in html
    b = next(n for n in _vis_data(html, "nodes") if n["id"] == "b")
    # of the 3 pairs of other actors, a–c and a–d have their only shortest route through b and
    # c–d are tied: b's normalised betweenness is 2/3, written 0,667 in Swedish
    assert "kopplingar 3 · mellanhandscentralitet 0,667" in b["title"]
    assert "kluster · näringsliv" in b["title"]
    assert "Sårbar punkt: utan den delas nätverket" in b["title"]
    edge = _vis_data(html, "edges")[0]
    assert edge["title"] == "1 koppling"
    english, _ = standalone_map(G, actor_metrics(G), options=MapOptions(), made="made today")
    assert '<html lang="en">' in english
    assert "all actors and ties · made today" in english


def test_filter_mistakes_are_said_in_swedish() -> None:
    with use_language("sv"), pytest.raises(UsageError) as info:
        check_values(["Ostersund"], ["Åre", "Östersund"], "municipality")
    assert str(info.value) == "kommun 'Ostersund' finns inte (menade du Östersund?)"
    with use_language("sv"), pytest.raises(UsageError) as info:
        check_values(["klustr"], ["cluster", "company"], "kind", vocabulary=True)
    assert str(info.value) == (
        "typ 'klustr' finns inte (menade du cluster?); välj bland cluster, company"
    )
    flt = GraphFilter(kinds=("cluster",), municipalities=("Åre",), synthetic=False)
    assert describe_filter(flt, "sv") == "typ = cluster; kommun = Åre; bara data med källa"
    assert describe_filter(flt, "en") == "kind = cluster; municipality = Åre; sourced data only"
    assert describe_filter(GraphFilter(), "sv") == "urvalet"
