"""The board report and the maps at size: the analysis, the report from a finished analysis,
``ecograph report`` after ``ecograph analyze`` (the analysis from the database's cache), the
network map's standalone HTML with its header, the SVG picture, and the geographic flows (with
the count of lines drawn).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from bench.common import Row, timed
from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.analysis.network import load_graph
from graph.datasets.bootstrap import municipalities
from graph.datasets.synth import synthetic_ecosystem
from graph.formats.ingest import import_frames
from graph.present.findings import build_findings
from graph.present.maps import geo_flows, geo_layers, standalone_map
from graph.present.picture import network_picture
from graph.present.report import render_report
from graph.store.database import connect, read_table
from graph.store.stats import dataset_stats

AS_OF = date(2026, 11, 25)


def run(n: int, seed: int = 17) -> list[Row]:
    rows: list[Row] = []
    size = f"{n // 1000}k actors"

    def add(step: str, seconds: float, note: str = "") -> None:
        rows.append(Row("present", size, step, seconds, note))

    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        import_frames(con, synthetic_ecosystem(n, seed, ties_per_actor=10), label="synthetic")
        sources, stats = read_table(con, "sources"), dataset_stats(con)
        params = AnalysisParams(as_of=AS_OF)
        with timed() as t:
            analysis = run_analysis(con, params, store=True)
        add("analysis (ecograph analyze; stored in the cache)", t())
        with timed() as t:
            html = render_report(analysis, sources=sources, stats=stats, database="bench")
        add("report HTML from a finished analysis", t(), f"{len(html) / 1e6:.1f} MB")
        with timed() as t:
            cached = run_analysis(con, params, cache=True)
            render_report(cached, sources=sources, stats=stats, database="bench")
        add(
            "ecograph report after analyze (network build, cached tables, HTML)",
            t(),
            "cached" if cached.cached else "recomputed",
        )
        with timed() as t:
            found = build_findings(analysis)
        add("findings", t(), f"{len(found)} findings: {', '.join(f.topic for f in found)}")
        G = load_graph(con)
        actors = read_table(con, "actors").select("actor_id", "lat", "lon")
        con.close()
    metrics = analysis.tables["actor_metrics"]
    with timed() as t:
        picture = network_picture(G, metrics)
    add("network picture (SVG, 400 actors drawn)", t(), f"{len(picture.svg) / 1e3:.0f} kB")
    with timed() as t:
        map_html, lod = standalone_map(G, metrics, filter_text="all actors and ties")
    add(
        "network map HTML with title, legend, filter, date",
        t(),
        f"{lod.mode}: {lod.graph.number_of_nodes()} nodes, {len(map_html) / 1e6:.1f} MB",
    )
    layers = geo_layers(G, actors, municipalities())
    with timed() as t:
        flows = geo_flows(G, layers.points)
    places = flows.places.height
    add(
        "geographic flows between places",
        t(),
        f"{flows.flows.height} lines for {G.number_of_edges()} ties, {places} places "
        f"(≤ {places * places})",
    )
    return rows
