"""Burt's structural holes: constraint and effective size of every actor, computed on sparse
matrices in bounded memory.

An actor whose partners do not work with one another spans a *structural hole*: it hears things
the others do not and can broker between them. Burt's *constraint* is high (up to 1 and a bit)
when an actor's ties all lead into one closed group and low when they span separate groups;
*effective size* is the number of partners minus their redundancy, i.e. how many non-overlapping
contacts the actor really has.

networkx defines both measures (``nx.constraint``, ``nx.effective_size``) and is the reference the
tests compare against, but its all-nodes ``effective_size`` builds a dense n x n matrix (about
7 GB at 30 000 actors) and its constraint forms the full two-step product. Here both are computed
from the row-normalised adjacency matrix in row chunks, and only on the pattern of existing ties,
so memory is bounded by the chunk and not by the number of actors squared.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import numpy.typing as npt
import polars as pl
import scipy.sparse as sp

__all__ = ["structural_holes"]

# The most two-step products (entries of one chunk of P @ P before masking) held at once. One
# entry costs 12-16 bytes, so a chunk stays near 250 MB however many hubs it holds.
_PRODUCT_BUDGET = 1 << 24


def _mutual_weights(G: nx.Graph, weight: str | None) -> tuple[list[object], sp.csr_array]:
    """The nodes of ``G`` in order and the symmetric matrix of their mutual tie weights.

    Mutual weight is networkx's: the weights of the ties from u to v and from v to u added (an
    undirected tie is stored in both directions, so its matrix entry is its weight; networkx's
    doubled weight cancels in every normalisation below). Missing weights count 1, self-loops are
    dropped: a tie to oneself is not a contact.
    """
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    ties = (
        G.edges(data=weight, default=1)
        if weight is not None
        else ((u, v, 1.0) for u, v in G.edges())
    )
    rows = np.fromiter(
        ((index[u], index[v], w) for u, v, w in ties),
        dtype=[("u", np.int64), ("v", np.int64), ("w", np.float64)],
        count=G.number_of_edges(),
    )
    u, v, w = rows["u"], rows["v"], rows["w"]
    if not np.all(w > 0):  # also catches NaN
        raise ValueError(f"tie weights ({weight!r}) must be positive numbers")
    loop = u == v
    u, v, w = u[~loop], v[~loop], w[~loop]
    n = len(nodes)
    W = sp.csr_array(
        (np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n)
    )
    W.sum_duplicates()
    W.sort_indices()
    return nodes, W


def _row_sums(matrix: sp.csr_array) -> npt.NDArray[np.float64]:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _row_max(W: sp.csr_array) -> npt.NDArray[np.float64]:
    out = np.zeros(W.shape[0])
    filled = np.flatnonzero(np.diff(W.indptr))
    if filled.size:
        out[filled] = np.maximum.reduceat(W.data, W.indptr[filled])
    return out


def _chunks(cost: npt.NDArray[np.int64], chunk_rows: int) -> list[tuple[int, int]]:
    """Consecutive row ranges of at most ``chunk_rows`` rows and about ``_PRODUCT_BUDGET`` cost.

    A row that alone costs more than the budget (a hub) gets a chunk of its own.
    """
    total = np.concatenate([[0], np.cumsum(cost)])
    n = len(cost)
    out = []
    start = 0
    while start < n:
        by_cost = int(np.searchsorted(total, total[start] + _PRODUCT_BUDGET, side="right")) - 1
        stop = max(start + 1, min(start + chunk_rows, by_cost, n))
        out.append((start, stop))
        start = stop
    return out


def structural_holes(
    G: nx.Graph, weight: str | None = "weight", chunk_rows: int = 4096
) -> pl.DataFrame:
    r"""Burt's constraint and effective size of every node of ``G``.

    Both measures ask whether an actor's partners are themselves tied: brokers whose partners are
    not (low constraint, effective size close to the number of partners) span structural holes;
    actors inside a closed clique are constrained and have few non-redundant contacts. The values
    equal networkx's ``nx.constraint(G, weight=weight)`` and ``nx.effective_size(G,
    weight=weight)`` but the computation needs memory in proportion to the ties, not to the
    number of actors squared, so it runs on graphs of 100 000 actors.

    With :math:`p_{ij} = w_{ij} / \sum_k w_{ik}` (the share of i's tie weight spent on j) and
    :math:`m_{ij} = w_{ij} / \max_k w_{ik}` (j's tie to i relative to i's strongest tie):

    * constraint :math:`c_i = \sum_{j \in N(i)} (p_{ij} + \sum_q p_{iq} p_{qj})^2`;
    * effective size :math:`e_i = \sum_{j \in N(i)} (1 - \sum_q p_{iq} m_{jq})`, which for
      ``weight=None`` is Borgatti's :math:`n - 2t/n` (n partners with t ties among them).

    The two-step sums are sparse products ``P @ P`` and ``P @ M.T`` computed ``chunk_rows`` rows
    at a time (fewer when the rows reach many actors through hubs) and kept only where i and j
    are tied.

    Parameters
    ----------
    G : networkx graph
        Undirected (as :func:`graph.analysis.network.build_graph` makes it); for a directed graph
        the
        weights of the two directions of a pair are added, as networkx does. Self-loops are
        ignored (networkx counts them as a tie to oneself).
    weight : str or None, default "weight"
        The edge attribute holding a positive tie strength; a tie without it counts 1. ``None``
        counts every tie 1.
    chunk_rows : int, default 4096
        The most rows of the two-step products held in memory at once.

    Returns
    -------
    polars.DataFrame
        ``actor_id, burt_constraint, effective_size``: one row per node in ``G``'s order. Both
        measures are null for isolated nodes, for which they are undefined.

    Raises
    ------
    ValueError
        If ``chunk_rows`` is below 1 or a tie weight is not a positive number.

    Examples
    --------
    In a path a - b - c the middle actor b brokers between two partners who are not tied:

    >>> import networkx as nx
    >>> structural_holes(nx.path_graph(["a", "b", "c"])).rows()
    [('a', 1.0, 1.0), ('b', 0.5, 2.0), ('c', 1.0, 1.0)]
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    nodes, W = _mutual_weights(G, weight)
    n = len(nodes)
    degree = np.diff(W.indptr)
    strength = _row_sums(W)
    isolated = degree == 0
    # P[i, j] = p_ij; Mt[q, j] = m_jq (W is symmetric, so W[q, j] / the maximum of row j)
    P = sp.csr_array((W.data / np.repeat(strength, degree), W.indices, W.indptr), shape=(n, n))
    Mt = sp.csr_array((W.data / _row_max(W)[W.indices], W.indices, W.indptr), shape=(n, n))

    # Row i of a product with P or Mt has at most this many entries before duplicates merge.
    reach = np.concatenate([[0], np.cumsum(degree[W.indices], dtype=np.int64)])
    cost = reach[W.indptr[1:]] - reach[W.indptr[:-1]]

    constraint = np.zeros(n)
    redundancy = np.zeros(n)
    for start, stop in _chunks(cost, chunk_rows):
        rows = P[start:stop]
        ties = sp.csr_array((np.ones_like(rows.data), rows.indices, rows.indptr), shape=rows.shape)
        # the indirect term only exists where i and j are tied; rows is positive there, so the
        # sum keeps exactly the pattern of i's ties
        local = rows + (rows @ P).multiply(ties)
        constraint[start:stop] = _row_sums(local.power(2))
        redundancy[start:stop] = _row_sums((rows @ Mt).multiply(ties))

    effective_size = degree - redundancy
    constraint[isolated] = np.nan
    effective_size[isolated] = np.nan
    return pl.DataFrame(
        {
            "actor_id": pl.Series(nodes, dtype=pl.String if not nodes else None),
            "burt_constraint": pl.Series(constraint, dtype=pl.Float64).fill_nan(None),
            "effective_size": pl.Series(effective_size, dtype=pl.Float64).fill_nan(None),
        }
    )
