"""How far the actors that support is for are from the innovation-support system.

For every target actor (by default clusters, co-working spaces and companies) the number of hops
to the nearest support actor (by default region, business support, design organisation,
academia, research institute, funder, public agency) and which one; an actor with no path is
unreached. Both sets are configurable. One breadth-first search from a virtual source tied to
every support actor finds all distances at once (scipy, in C).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from graph.analysis.network import edge_indices, nodes_frame

__all__ = ["DEFAULT_SUPPORT_KINDS", "DEFAULT_TARGET_KINDS", "support_distance"]

DEFAULT_TARGET_KINDS = ("cluster", "coworking", "company")
DEFAULT_SUPPORT_KINDS = (
    "region",
    "business_support",
    "design_org",
    "academia",
    "research_institute",
    "funder",
    "public_agency",
)

_SCHEMA = {
    "actor_id": pl.String,
    "name": pl.String,
    "kind": pl.String,
    "hops": pl.Int32,
    "nearest_support": pl.String,
    "nearest_support_name": pl.String,
    "reached": pl.Boolean,
}


def support_distance(
    G: nx.Graph,
    *,
    targets: Sequence[str] = DEFAULT_TARGET_KINDS,
    support: Sequence[str] = DEFAULT_SUPPORT_KINDS,
) -> pl.DataFrame:
    """Hops from each target actor to its nearest support actor.

    Parameters
    ----------
    targets, support:
        Actor kinds. An actor of a kind in both sets is its own support (0 hops).

    Returns
    -------
    ``actor_id, name, kind, hops, nearest_support, nearest_support_name, reached``, one row per
    target actor, nearest first; unreached actors last with null hops. When several support
    actors are equally near, the first in the graph's node order is named.

    Examples
    --------
    >>> G = nx.path_graph(["firm", "cluster", "uni"])
    >>> nx.set_node_attributes(G, {"firm": "company", "cluster": "cluster", "uni": "academia"},
    ...                        "kind")
    >>> support_distance(G).select("actor_id", "hops", "nearest_support").rows()
    [('cluster', 1, 'uni'), ('firm', 2, 'uni')]
    """
    nodes = nodes_frame(G)
    n = nodes.height
    if n == 0:
        return pl.DataFrame(schema=_SCHEMA)
    is_support = nodes["kind"].is_in(list(support)).to_numpy()
    sources = np.flatnonzero(is_support)
    hops = np.full(n, -1, dtype=np.int64)
    nearest = np.full(n, -1, dtype=np.int64)
    if len(sources):
        a, b = edge_indices(G)
        rows = np.concatenate([a, np.full(len(sources), n)])
        cols = np.concatenate([b, sources])
        adjacency = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
        order, pred = breadth_first_order(adjacency, n, directed=False, return_predecessors=True)
        # order is breadth-first, so a node's predecessor is settled before the node itself
        for v in order[1:]:
            p = pred[v]
            if p == n:
                hops[v], nearest[v] = 0, v
            else:
                hops[v], nearest[v] = hops[p] + 1, nearest[p]
    ids = nodes["actor_id"].to_list()
    names = nodes["name"].to_list()
    frame = pl.DataFrame(
        {
            "actor_id": ids,
            "name": names,
            "kind": nodes["kind"],
            "hops": pl.Series([int(h) if h >= 0 else None for h in hops], dtype=pl.Int32),
            "nearest_support": [ids[j] if j >= 0 else None for j in nearest],
            "nearest_support_name": [names[j] if j >= 0 else None for j in nearest],
            "reached": hops >= 0,
        },
        schema=_SCHEMA,
    )
    return frame.filter(pl.col("kind").is_in(list(targets))).sort(
        pl.col("hops").is_null(), "hops", "actor_id"
    )
