"""Actor metrics: how central, how much of a broker, which community.

One row per actor with degree, weighted degree, betweenness, closeness, PageRank, Burt's
constraint and effective size, Louvain community, k-core and articulation point. Exact up to
``exact_limit`` actors; above it betweenness and closeness are estimated from a fixed-seed sample
of sources, and the ``*_method`` columns say so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np
import polars as pl

from graph.analysis import engine
from graph.analysis.holes import structural_holes

__all__ = ["METRIC_COLUMNS", "MetricsParams", "actor_metrics", "communities"]

METRIC_COLUMNS = (
    "actor_id",
    "degree",
    "weighted_degree",
    "betweenness",
    "betweenness_method",
    "closeness",
    "closeness_method",
    "pagerank",
    "burt_constraint",
    "effective_size",
    "community",
    "core_number",
    "is_articulation_point",
)


@dataclass(frozen=True)
class MetricsParams:
    """How the metrics are computed (recorded with the results).

    exact_limit:
        Up to this many actors betweenness and closeness are exact.
    samples, seed:
        Above it, the number of sampled sources (pivots) and the seed that picks them.
    resolution:
        Louvain's resolution: above 1 gives more, smaller communities.
    louvain_networkx_limit:
        Up to this many actors communities come from networkx's Louvain, above from igraph's.
    """

    exact_limit: int = 3000
    samples: int = 256
    seed: int = 42
    resolution: float = 1.0
    louvain_networkx_limit: int = 5000

    def to_params(self) -> dict[str, Any]:
        return asdict(self)


def communities(
    G: nx.Graph,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    networkx_limit: int = 5000,
    ig_graph: engine.IGraph | None = None,
) -> dict[str, int]:
    """Louvain communities as ``{actor: label}``, labels 0, 1, … by size (largest first).

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> sorted(set(communities(G).values()))
    [0, 1]
    """
    if G.number_of_nodes() == 0:
        return {}
    if G.number_of_nodes() <= networkx_limit:
        groups = nx.community.louvain_communities(
            G, weight="weight", resolution=resolution, seed=seed
        )
    else:
        ig_graph = ig_graph or engine.to_igraph(G)
        labels = engine.louvain(ig_graph, resolution=resolution, seed=seed)
        by_label: dict[int, set[str]] = {}
        for node, label in zip(ig_graph.nodes, labels, strict=True):
            by_label.setdefault(int(label), set()).add(node)
        groups = list(by_label.values())
    ordered = sorted(groups, key=lambda c: (-len(c), min(c)))
    return {node: i for i, group in enumerate(ordered) for node in group}


def actor_metrics(G: nx.Graph, params: MetricsParams | None = None) -> pl.DataFrame:
    """Every actor's centralities, structural-hole measures, community and fragility flags.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> actor_metrics(G).select("actor_id", "degree", "betweenness").rows()
    [('a', 1, 0.0), ('b', 2, 1.0), ('c', 1, 0.0)]
    """
    params = params or MetricsParams()
    n = G.number_of_nodes()
    if n == 0:
        return pl.DataFrame(schema=_SCHEMA)
    igg = engine.to_igraph(G)
    exact = n <= params.exact_limit
    k = None if exact else params.samples
    method = "exact" if exact else f"sampled {params.samples} sources (seed {params.seed})"
    holes = structural_holes(G)
    labels = communities(
        G,
        resolution=params.resolution,
        seed=params.seed,
        networkx_limit=params.louvain_networkx_limit,
        ig_graph=igg,
    )
    frame = pl.DataFrame(
        {
            "actor_id": igg.nodes,
            "degree": np.asarray(igg.g.degree(), dtype=np.int32),
            "weighted_degree": np.asarray(igg.g.strength(weights="weight"), dtype=float),
            "betweenness": engine.betweenness(igg, k=k, seed=params.seed),
            "betweenness_method": [method] * n,
            "closeness": engine.closeness(igg, pivots=k, seed=params.seed),
            "closeness_method": [method.replace("sources", "pivots")] * n,
            "pagerank": engine.pagerank(igg),
            "community": [labels[v] for v in igg.nodes],
            "core_number": engine.core_numbers(igg).astype(np.int32),
            "is_articulation_point": engine.articulation_points(igg),
        },
        schema_overrides={"community": pl.Int32},
    )
    return frame.join(holes, on="actor_id", how="left").select(METRIC_COLUMNS)


_SCHEMA = {
    "actor_id": pl.String,
    "degree": pl.Int32,
    "weighted_degree": pl.Float64,
    "betweenness": pl.Float64,
    "betweenness_method": pl.String,
    "closeness": pl.Float64,
    "closeness_method": pl.String,
    "pagerank": pl.Float64,
    "burt_constraint": pl.Float64,
    "effective_size": pl.Float64,
    "community": pl.Int32,
    "core_number": pl.Int32,
    "is_articulation_point": pl.Boolean,
}
