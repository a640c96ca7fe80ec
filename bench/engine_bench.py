"""networkx against python-igraph on the same graph, for the heaviest algorithms: the reason
ecograph's engine (graph/analysis/engine.py, graph/analysis/holes.py, graph/present/maps.py) runs
them in igraph or in
sparse matrices. Each pair is also checked to give the same answer.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import polars as pl

from bench.common import Row, timed
from graph.analysis import engine
from graph.analysis.holes import structural_holes
from graph.analysis.network import build_graph
from graph.datasets.synth import synthetic_ecosystem
from graph.present.maps import layout

# networkx is left out above these sizes: it would take minutes to hours (DESIGN.md)
NX_LIMITS = {
    "betweenness": 20_000,
    "louvain": 20_000,
    "constraint": 20_000,
    "closeness": 2_000,
    "layout": 2_000,
}


def _graph(n: int, seed: int = 5) -> nx.Graph:
    tables = synthetic_ecosystem(n, seed, ties_per_actor=10)
    actors = tables["actors"].select("actor_id", "name", "kind")
    pairs = _ties(tables)
    return build_graph(actors, pairs)


def _ties(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    rel = tables["relations"].select(
        pl.min_horizontal("from_actor", "to_actor").alias("actor_a"),
        pl.max_horizontal("from_actor", "to_actor").alias("actor_b"),
        "kind",
        pl.lit(None, pl.String).alias("activity_id"),
        "start_date",
        "end_date",
        "weight",
        pl.lit(True).alias("synthetic"),
    )
    p = tables["participations"].select("activity_id", "actor_id")
    pairs = (
        p.join(p, on="activity_id", suffix="_b")
        .filter(pl.col("actor_id") < pl.col("actor_id_b"))
        .join(
            tables["activities"].select("activity_id", "kind", "start_date", "end_date"),
            on="activity_id",
        )
        .select(
            pl.col("actor_id").alias("actor_a"),
            pl.col("actor_id_b").alias("actor_b"),
            "kind",
            "activity_id",
            "start_date",
            "end_date",
            pl.lit(1.0).alias("weight"),
            pl.lit(True).alias("synthetic"),
        )
    )
    return pl.concat([rel, pairs], how="vertical_relaxed")


def run(n: int, samples: int = 64) -> list[Row]:
    rows: list[Row] = []
    size = f"{n // 1000}k actors"
    G = _graph(n)
    igg = engine.to_igraph(G)

    def pair(name: str, nx_call: object, ig_call: object, check: object | None = None) -> None:
        with timed() as t:
            ours = ig_call()  # type: ignore[operator]
        ig_s = t()
        if n > NX_LIMITS[name]:
            rows.append(
                Row(
                    "engine",
                    size,
                    f"{name}: ecograph / networkx",
                    ig_s,
                    f"networkx skipped above {NX_LIMITS[name]} actors",
                )
            )
            return
        with timed() as t:
            theirs = nx_call()  # type: ignore[operator]
        nx_s = t()
        agree = check(ours, theirs) if check else "n/a"  # type: ignore[operator]
        rows.append(
            Row(
                "engine",
                size,
                f"{name}: ecograph / networkx",
                ig_s,
                f"networkx {nx_s:.2f} s, {nx_s / ig_s:.0f}x faster, same answer: {agree}",
            )
        )

    order = igg.nodes
    pair(
        "betweenness",
        lambda: nx.betweenness_centrality(G, k=samples, seed=42),
        lambda: engine.betweenness(igg, k=samples, seed=42),
        lambda a, b: bool(np.allclose(a, [b[v] for v in order], atol=1e-12)),
    )
    pivots = None if n <= 3000 else 256  # exact closeness is O(n·m): pivots above 3k actors
    pair(
        "closeness",
        lambda: nx.closeness_centrality(G),
        lambda: engine.closeness(igg, pivots=pivots),
        lambda a, b: bool(np.allclose(a, [b[v] for v in order], atol=1e-12)),
    )
    pair(
        "louvain",
        lambda: nx.community.louvain_communities(G, weight="weight", seed=42),
        lambda: engine.louvain(igg, seed=42),
        lambda a, b: (
            f"modularity {_modularity(G, order, a):.3f} vs {nx.community.modularity(G, b):.3f}"
        ),
    )
    pair(
        "constraint",
        lambda: nx.constraint(G, weight="weight"),
        lambda: structural_holes(G),
        lambda a, b: bool(
            np.allclose(
                a["burt_constraint"].fill_null(np.nan).to_numpy(),
                [b[v] for v in a["actor_id"]],
                atol=1e-9,
                equal_nan=True,
            )
        ),
    )
    if n <= 20_000:  # the app lays out at most the node budget, never 100k actors
        pair("layout", lambda: nx.spring_layout(G, seed=1), lambda: layout(G))
    rows.append(_parallel_row(G, igg, size, samples))
    return rows


def _parallel_row(G: nx.Graph, igg: engine.IGraph, size: str, samples: int) -> Row:
    """networkx's backend dispatch to nx-parallel (an optional package, never a dependency) for
    sampled betweenness, against the igraph engine; or why it cannot run here."""
    label = "betweenness: ecograph / nx-parallel"
    try:
        import nx_parallel  # noqa: F401  (registers the "parallel" backend)
    except Exception as exc:  # an old nx-parallel fails to import with a newer networkx
        return Row(
            "engine",
            size,
            label,
            float("nan"),
            f"nx-parallel not usable: {str(exc).split(' (')[0]}",
        )
    if G.number_of_nodes() > NX_LIMITS["betweenness"]:
        return Row("engine", size, label, float("nan"), "skipped above the networkx limit")
    with timed() as t:
        ours = engine.betweenness(igg, k=samples, seed=42)
    ig_s = t()
    with timed() as t:
        theirs = nx.betweenness_centrality(G, k=samples, seed=42, backend="parallel")
    par_s = t()
    same = bool(np.allclose(ours, [theirs[v] for v in igg.nodes], atol=1e-12))
    return Row(
        "engine",
        size,
        label,
        ig_s,
        f"nx-parallel {par_s:.2f} s, {par_s / ig_s:.0f}x faster, same answer: {same}",
    )


def _modularity(G: nx.Graph, order: list[str], labels: np.ndarray) -> float:
    groups: dict[int, set[str]] = {}
    for v, label in zip(order, labels, strict=True):
        groups.setdefault(int(label), set()).add(v)
    return float(nx.community.modularity(G, list(groups.values())))
