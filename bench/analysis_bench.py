"""Analysis benchmark: build the network from the database and time every analysis on it.

The ecosystem is synthetic (graph.datasets.synth), imported into a fresh DuckDB file first (not
timed
here: see the import bench).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from bench.common import Row, peak_rss_mb, timed
from graph.analysis.brokerage import brokerage_roles
from graph.analysis.coverage import coverage, coverage_flags
from graph.analysis.fragility import bridges_frame, fragility
from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.analysis.holes import structural_holes
from graph.analysis.metrics import MetricsParams, actor_metrics
from graph.analysis.mixing import group_mixing
from graph.analysis.network import build_graph, load_actors, load_ties
from graph.analysis.support import support_distance
from graph.analysis.timeline import at_risk_ties, network_by_year
from graph.datasets.synth import synthetic_ecosystem
from graph.formats.ingest import import_frames
from graph.store.database import connect, read_table

AS_OF = date(2026, 11, 25)


def run(n_actors: int, ties_per_actor: float = 10.0, seed: int = 11) -> list[Row]:
    """Time each analysis step and the whole ``run_analysis`` on one synthetic ecosystem."""
    rows: list[Row] = []
    size = f"{n_actors // 1000}k actors"

    def add(step: str, seconds: float, note: str = "") -> None:
        rows.append(Row("analyze", size, step, seconds, note))

    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        import_frames(
            con,
            synthetic_ecosystem(n_actors, seed, ties_per_actor=ties_per_actor),
            label="synthetic",
        )
        with timed() as t:
            actors = load_actors(con)
            ties = load_ties(con, actors=actors)
        add("DuckDB → polars (actors, ties)", t(), f"{ties.height} tie rows")
        with timed() as t:
            G = build_graph(actors, ties)
        add(
            "build networkx graph", t(), f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges"
        )
        params = MetricsParams()
        with timed() as t:
            metrics = actor_metrics(G, params)
        add("actor metrics (all)", t(), metrics["betweenness_method"][0])
        with timed() as t:
            structural_holes(G)
        add("  of which constraint + effective size", t())
        with timed() as t:
            group_mixing(G, "municipality")
        add("group mixing (municipality)", t())
        with timed() as t:
            support_distance(G)
        add("support distance", t())
        groups = dict(zip(actors["actor_id"], actors["kind"], strict=True))
        with timed() as t:
            brokerage_roles(G, groups)
        add("brokerage roles (kind)", t())
        with timed() as t:
            fragility(
                G,
                top=10,
                betweenness=dict(zip(metrics["actor_id"], metrics["betweenness"], strict=True)),
            )
            bridges_frame(G)
        add("fragility top 10 + bridges", t())
        areas = read_table(con, "strength_areas")
        with timed() as t:
            coverage(G, areas)
            coverage_flags(G, areas)
        add("coverage", t())
        activities = read_table(con, "activities")
        with timed() as t:
            network_by_year(actors, ties, list(range(2015, 2027)))
            at_risk_ties(ties, activities, actors, as_of=AS_OF)
        add("network by year + at-risk ties", t())
        with timed() as t:
            analysis = run_analysis(con, AnalysisParams(as_of=AS_OF))
        add(
            "run_analysis (everything, from the db)",
            t(),
            f"{analysis.actors} actors; peak {peak_rss_mb():.0f} MB",
        )
        con.close()
    return rows
