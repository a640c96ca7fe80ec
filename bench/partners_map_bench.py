"""Partner suggestions for one actor and the network map's HTML, on the database path the app
uses: build the network, then time ``suggest_partners`` (cold, with its index, and warm) and
``standalone_map`` (level of detail, layout, HTML).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Row, timed
from graph.analysis.metrics import actor_metrics
from graph.analysis.network import load_graph
from graph.analysis.partners import partner_index, suggest_partners
from graph.datasets.synth import synthetic_ecosystem
from graph.formats.ingest import import_frames
from graph.present.maps import standalone_map
from graph.store.database import connect


def run(n: int, seed: int = 13) -> list[Row]:
    rows: list[Row] = []
    size = f"{n // 1000}k actors"
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        import_frames(con, synthetic_ecosystem(n, seed, ties_per_actor=10), label="synthetic")
        G = load_graph(con)
        con.close()
    actor = max((v for v, k in G.nodes(data="kind") if k == "cluster"), key=G.degree)
    with timed() as t:
        frame = suggest_partners(G, actor, top=10)
    rows.append(
        Row(
            "partners",
            size,
            "suggest for one actor (cold)",
            t(),
            f"{frame.height} suggestions for {actor}",
        )
    )
    with timed() as t:
        index = partner_index(G)
    rows.append(Row("partners", size, "partner index (once per network)", t()))
    with timed() as t:
        suggest_partners(G, actor, top=10, index=index)
    rows.append(Row("partners", size, "suggest for one actor (index cached)", t()))
    metrics = actor_metrics(G)
    with timed() as t:
        html, lod = standalone_map(G, metrics)
    rows.append(
        Row(
            "map",
            size,
            "network map HTML (LOD, layout, HTML)",
            t(),
            f"{lod.mode}: {lod.graph.number_of_nodes()} nodes drawn, {len(html) / 1e6:.1f} MB",
        )
    )
    return rows
