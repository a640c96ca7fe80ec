"""Text from the data is shown as text in every HTML the project writes: the pyvis network map
(in the app, the Data page's download and ``ecograph export --format html``), the gap report,
the legends the pages draw with ``st.html``; and stays text in an Excel export.

Actors, areas, activities and sources are named after classic payloads, and one source links to
``javascript:``. Each file is parsed as a browser would tokenise it (``html.parser`` treats a
``<script>`` body as raw text up to ``</script``, as browsers do) and must hold no element or
attribute made from a payload, and no ``<`` from the data inside a script. The browser test
(tests/app/test_browser.py) shows the same names to a real Chromium.
"""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import polars as pl
import pytest

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.analysis.metrics import actor_metrics
from graph.analysis.network import load_graph
from graph.formats.export import write_dataset
from graph.formats.ingest import import_paths
from graph.present.maps import MapOptions, level_of_detail, network_html, standalone_map
from graph.present.report import render_report
from graph.store.database import connect, read_table
from graph.store.stats import dataset_stats

PAYLOADS = {
    "xss-script": "<script>alert(1)</script>",
    "xss-img": "<img src=x onerror=alert(1)>",
    "xss-close": "</script><script>alert(1)</script>",
    "xss-dq": '" onmouseover="alert(1)',
    "xss-sq": "' onmouseover='alert(1)",
    "xss-href": '<a href="javascript:alert(1)">href</a>',
    "xss-comment": "<!--<script>alert(1)</script>-->",
    "xss-svg": "<svg/onload=alert(1)>",
}
EVIL_URL = "javascript:alert(1)"


def _csv(frame: pl.DataFrame) -> str:
    return frame.write_csv()


@pytest.fixture
def probe_con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Payload actors tied in a ring (so each has ties, a tooltip and a metric), in a payload
    municipality and strength area, in a payload activity, from a payload source."""
    ids = list(PAYLOADS)
    folder = tmp_path / "probes"
    folder.mkdir()
    files = {
        "sources": pl.DataFrame(
            {
                "source_id": ["s-evil", "s-quote"],
                "title": ["<script>alert(1)</script> källa", "Källa ' \" <b>"],
                "url": [EVIL_URL, "https://example.org/' onmouseover='alert(1)"],
            }
        ),
        "strength_areas": pl.DataFrame(
            {"area_id": ["area-x"], "name": ["<img src=x onerror=alert(1)>"], "source_id": "s-evil"}
        ),
        "actors": pl.DataFrame(
            {
                "actor_id": ids,
                "name": list(PAYLOADS.values()),
                "kind": ["company", "cluster", "academia", "business_support"] * 2,
                "municipality": ["<b>Östersund</b>"] * len(ids),
                "region": ["</script>"] * len(ids),
                "website": [EVIL_URL] * len(ids),
                "description": ["<iframe src=javascript:alert(1)>"] * len(ids),
                "source_id": "s-evil",
            }
        ),
        "actor_areas": pl.DataFrame({"actor_id": ids, "area_id": "area-x", "source_id": "s-evil"}),
        "activities": pl.DataFrame(
            {"activity_id": ["act-x"], "name": ["<script>alert(1)</script>"], "source_id": "s-evil"}
        ),
        "participations": pl.DataFrame(
            {"activity_id": "act-x", "actor_id": ids[:3], "source_id": "s-evil"}
        ),
        "relations": pl.DataFrame(
            {
                "relation_id": [f"r{i}" for i in range(len(ids))],
                "from_actor": ids,
                "to_actor": ids[1:] + ids[:1],
                "kind": "partnership",
                "description": "<script>alert(1)</script>",
                "source_id": "s-evil",
            }
        ),
    }
    for name, frame in files.items():
        (folder / f"{name}.csv").write_text(_csv(frame), encoding="utf-8")
    con = connect(tmp_path / "probes.duckdb")
    import_paths(con, [folder])
    return con


class _Tokens(HTMLParser):
    """Elements, attributes, script bodies and text of a page, as a browser tokenises it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _our_chart(tag: str, attrs: dict[str, str | None]) -> bool:
    """An inline SVG chart the report draws itself (a payload's ``<svg/onload=…>`` has
    neither the namespace nor the role)."""
    return (
        tag == "svg"
        and attrs.get("xmlns") == "http://www.w3.org/2000/svg"
        and attrs.get("role") == "img"
    )


def assert_inert(html: str, *, baseline: str | None = None, charts: bool = False) -> _Tokens:
    """No element or attribute was made from a payload, and the scripts are those of
    ``baseline`` (the same page made from harmless names): as many (a ``</script>`` breaking
    out of a JSON string would add one), each with as many ``<`` (data adds none). With
    ``charts`` the page may hold its own inline SVG charts."""
    page = _Tokens(html)
    expected = _Tokens(baseline).scripts if baseline else []
    for tag, attrs in page.elements:
        if charts and _our_chart(tag, attrs):
            continue
        assert tag not in ("img", "svg", "iframe"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert len(page.scripts) == len(expected), [s[:80] for s in page.scripts]
    for body, plain in zip(page.scripts, expected, strict=True):
        assert body.strip() != "alert(1)"
        assert body.count("<") == plain.count("<"), "a < from the data inside a script"
    return page


def _vis_data(html: str, name: str) -> list[dict[str, object]]:
    """The JSON pyvis hands to ``new vis.DataSet(...)`` for ``name`` (nodes or edges)."""
    start = html.index(f"{name} = new vis.DataSet(") + len(f"{name} = new vis.DataSet(")
    data, _end = json.JSONDecoder().raw_decode(html, start)
    assert "<" not in html[start:_end], "a raw < in the JSON of a script"
    return list(data)


def _map(con: duckdb.DuckDBPyConnection, options: MapOptions | None = None) -> str:
    G = load_graph(con)
    areas = read_table(con, "strength_areas")
    html, _lod = standalone_map(
        G,
        actor_metrics(G),
        options=options,
        area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
    )
    return html


@pytest.mark.parametrize("color_by", ["kind", "area"])
def test_network_map_shows_names_as_text(
    probe_con: duckdb.DuckDBPyConnection, color_by: str
) -> None:
    """The map (as the app, its download and ``export --format html`` build it): payloads reach
    vis-network only as escaped JSON, and its tooltips are plain text (pyvis would switch to
    an innerHTML popup if any title contained "href"; ``graph.present.maps._text`` breaks the
    word)."""
    html = _map(probe_con, MapOptions(color_by=color_by))
    assert_inert(html, baseline=_map_of_plain_names())
    assert "popup.innerHTML" not in html
    nodes = _vis_data(html, "nodes")
    labels = {str(n["id"]): str(n["label"]) for n in nodes}
    titles = {str(n["id"]): str(n["title"]) for n in nodes}
    for actor_id, name in PAYLOADS.items():
        shown = name.replace("href", "hre\u200bf")
        assert (
            labels[actor_id] == shown
            if len(name) <= 40
            else labels[actor_id].startswith(shown[:38])
        )
        assert titles[actor_id].startswith(shown + "\n")
        assert "href" not in titles[actor_id].lower()
        assert "<b>Östersund</b>" in titles[actor_id]
    edges = _vis_data(html, "edges")
    assert all("href" not in str(e.get("title", "")).lower() for e in edges)


def _map_of_plain_names() -> str:
    import networkx as nx

    G = nx.Graph()
    G.add_node("a", name="A", kind="company")
    G.add_node("b", name="B", kind="company")
    G.add_edge("a", "b", weight=1.0)
    lod = level_of_detail(G, budget=10)
    html, _ = network_html(lod, {"a": (0.0, 0.0), "b": (1.0, 1.0)})
    return html


def test_community_super_nodes_show_member_names_as_text(
    probe_con: duckdb.DuckDBPyConnection,
) -> None:
    """Above the node budget, super-nodes are labelled with their members' names."""
    html = _map(probe_con, MapOptions(budget=2))
    assert_inert(html, baseline=_map_of_plain_names())
    titles = " ".join(str(n["title"]) for n in _vis_data(html, "nodes"))
    assert "actors: " in titles
    assert any(name.replace("href", "hre\u200bf") in titles for name in PAYLOADS.values())


def test_report_shows_names_as_text_and_links_only_to_the_web(
    probe_con: duckdb.DuckDBPyConnection,
) -> None:
    analysis = run_analysis(probe_con, AnalysisParams(as_of=date(2025, 1, 1)))
    html = render_report(
        analysis,
        sources=read_table(probe_con, "sources"),
        stats=dataset_stats(probe_con),
        database="<script>alert(1)</script>.duckdb",
    )
    page = assert_inert(html, charts=True)
    text = "".join(page.text)
    assert "<script>alert(1)</script> källa" in text  # shown, as text
    assert "<script>alert(1)</script>.duckdb" in text
    links = [attrs.get("href") for tag, attrs in page.elements if tag == "a"]
    assert links == ["https://example.org/' onmouseover='alert(1)"]  # one attribute, quoted


def test_cli_html_export_is_the_same_safe_map(
    probe_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from graph.cli import cli

    db = Path(
        probe_con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchall()[0][0]
    )
    probe_con.close()
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli, ["export", "--format", "html", "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert_inert(html, baseline=_map_of_plain_names())


def test_legends_escape_group_names() -> None:
    """Legends go through ``st.html``: area and municipality names are data."""
    from ui.views import legend_html

    page = _Tokens(legend_html(dict.fromkeys(PAYLOADS.values(), "#123456")))
    assert [tag for tag, _attrs in page.elements if tag not in ("div", "span")] == []
    assert all(name in "".join(page.text) for name in PAYLOADS.values())


def test_excel_export_keeps_formula_text_as_text(tmp_path: Path) -> None:
    """Text that starts with "=" is written as text: an actor named
    ``=HYPERLINK("http://evil.example","click")`` must not become a live link in a workbook
    someone opens (formula injection), and must come back unchanged."""
    from openpyxl import load_workbook

    names = ['=HYPERLINK("http://evil.example","click")', "=1+1", "=cmd|' /C calc'!A0"]
    tables = {
        "sources": pl.DataFrame({"source_id": ["s"], "title": ["=2*3"]}),
        "actors": pl.DataFrame(
            {"actor_id": ["a", "b", "c"], "name": names, "kind": "company", "source_id": "s"}
        ),
    }
    con = connect(":memory:")
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        for name, frame in tables.items():
            (folder / f"{name}.csv").write_text(frame.write_csv(), encoding="utf-8")
        import_paths(con, [folder])
        full = {name: read_table(con, name) for name in ("sources", "actors")}
    finally:
        con.close()
    target = tmp_path / "out.xlsx"
    write_dataset(full, "excel", target)
    book = load_workbook(target)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    fresh = connect(":memory:")
    try:
        import_paths(fresh, [target])
        assert read_table(fresh, "actors")["name"].to_list() == names
    finally:
        fresh.close()
