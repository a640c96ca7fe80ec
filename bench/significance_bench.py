"""Significance benchmark: the degree-preserving null model for every grouping of group mixing
(``graph.analysis.significance.mixing_significance``) on a synthetic ecosystem.

The ecosystem is synthetic (graph.datasets.synth) and built straight into a graph (the import
and the graph build are timed by the import and analyze benches). The communities come from
the igraph Louvain of ``graph.analysis.engine``, as the analysis uses them.
"""

from __future__ import annotations

import time

import polars as pl

from bench.common import Row, peak_rss_mb, timed
from graph.analysis import engine
from graph.analysis.mixing import GROUPINGS
from graph.analysis.network import build_graph, load_actors, load_ties
from graph.analysis.significance import NullModelParams, mixing_significance
from graph.datasets.synth import synthetic_ecosystem
from graph.formats.ingest import import_frames
from graph.store.database import connect


def run(n_actors: int, ties_per_actor: float = 12.0, seed: int = 11) -> list[Row]:
    """Time the null model for all groupings on one synthetic ecosystem (12 ties per actor in
    the generator give about 10 distinct tied pairs per actor: ~100k ties at 10k actors)."""

    rows: list[Row] = []
    size = f"{n_actors // 1000}k actors"
    con = connect(":memory:")
    import_frames(
        con, synthetic_ecosystem(n_actors, seed, ties_per_actor=ties_per_actor), label="synthetic"
    )
    actors = load_actors(con)
    G = build_graph(actors, load_ties(con, actors=actors))
    con.close()
    labels = engine.louvain(engine.to_igraph(G))
    community = dict(zip(list(G), labels.tolist(), strict=True))
    params = NullModelParams()
    cpu = time.process_time()
    with timed() as t:
        result = mixing_significance(G, GROUPINGS, community, params)
    cpu = time.process_time() - cpu
    verdicts = result.group_by("verdict").len().sort("verdict")
    counts = ", ".join(f"{v} {n}" for v, n in verdicts.iter_rows())
    rows.append(
        Row(
            "signif",
            size,
            f"null model, {len(GROUPINGS)} groupings",
            t(),
            f"{G.number_of_nodes()} actors, {G.number_of_edges()} ties, CPU {cpu:.2f} s, "
            f"{params.networks} null networks (burn-in {params.burn_in:g} and thinning "
            f"{params.thinning:g} swap trials per tie), {result.height} pairs: {counts}; "
            f"peak {peak_rss_mb():.0f} MB",
            extra={"pairs": result.height, "communities": int(pl.Series(labels).n_unique())},
        )
    )
    return rows
