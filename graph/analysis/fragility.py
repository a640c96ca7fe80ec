"""Fragility: which actors and ties the network hangs on, and what breaks if one goes.

A strategist asks "what happens if Peak Innovation stops, or the design project ends?". The
answers here are structural: bridges (ties whose loss splits the network), articulation points
(actors whose loss splits it), and what-if scenarios that remove actors or end activities and
compare the network before and after — how many parts it falls into, which clusters, co-working
spaces and companies (``target`` actors) lose every path to a support actor, and how much the
global efficiency (mean inverse distance over all pairs) drops.

networkx is the reference; the work is done on integer edge arrays so that ten removals on a
100k-actor, 1M-tie graph take seconds: components with ``scipy.sparse.csgraph``, articulation
points and bridges with igraph, and efficiency with a bit-parallel breadth-first search that
follows 64 sources per machine word. Above ``exact_limit`` actors the efficiency is an unbiased
estimate from ``pivots`` sources drawn with a fixed seed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from graph.errors import UsageError
from graph.i18n import N_, NC_, NP_, Translator, translator

__all__ = [
    "NetworkSummary",
    "WhatIf",
    "activities_on_ties",
    "bridges_frame",
    "expand_ended_activities",
    "fragility",
    "global_efficiency",
    "reason_text",
    "scenario_graph",
    "whatif",
]

# How many sources one bit-parallel search follows at once: 4 words of 64 bits per actor. Bounds
# the memory of one step to (2 × ties) × 32 bytes, 64 MB at a million ties.
_BLOCK = 256
_NAMES_SHOWN = 10

TEXTS = {
    "exact_limit": N_("exact_limit must be 0 or more, not {value}"),
    "pivots": N_("pivots must be 1 or more, not {value}"),
    "top": N_("top must be 0 or more, not {value}"),
    "unknown_actors": N_(
        "no actor {ids} in the network: check the actor ids (and the filter the network was "
        "built with)"
    ),
    "unknown_activities": N_(
        "no tie in the network rests on activity {ids}: check the activity ids (and the filter "
        "the network was built with)"
    ),
    # the what-if's first line: "{action} {parts}; {support}", e.g. "Removing Peak Innovation
    # splits the network into 3 parts (was 2); no cluster, …" (in Swedish the subordinate clause
    # comes first: "Om Peak Innovation tas bort delas nätverket i 3 delar (var 2); …")
    "line": N_("{action} {parts}; {support}"),
    "removing": N_("removing {names}"),
    "ending": N_("ending {names}"),
    "and": N_("{first} and {last}"),
    "nothing": N_("Changing nothing"),
    "splits": N_("splits the network into {after} parts (was {before})"),
    "no_support_lost": N_("no cluster, co-working space or company loses its path to support."),
    "ties": N_("Ties: {before} before, {after} after{lost}."),
    "targets": N_(
        "Clusters, co-working spaces and companies with no path to any support actor: "
        "{before} before, {after} after."
    ),
    "efficiency": N_(
        "Efficiency (how easily anyone reaches anyone; 1 = all tied directly): "
        "{before} before, {after} after{change}{how}."
    ),
    "sampled": N_("sampled {n} sources (seed {seed})"),
    "more": N_("{names} … and {n} more"),
}
# ``lost_ties``' reasons: values of the data, shown through ``reason_text``
REASON_TEXTS = {
    "actor removed": NC_("lost tie", "actor removed"),
    "activity ended": NC_("lost tie", "activity ended"),
}
PLURALS = {
    "as_before": NP_(
        "leaves the network in {n} part, as before", "leaves the network in {n} parts, as before"
    ),
    "parts_was": NP_(
        "leaves the network in {n} part (was {before})",
        "leaves the network in {n} parts (was {before})",
    ),
    "lose_support": NP_(
        "{n} actor loses every path to support: {names}.",
        "{n} actors lose every path to support: {names}.",
    ),
    # n is the number of ties lost; the plural follows the number of actors removed
    "with_removed": NP_("{n} with the removed actor", "{n} with the removed actors"),
    "when_ended": NP_("{n} when the activity ends", "{n} when the activities end"),
    "largest": NP_(
        "Largest connected part: {before} actor before, {after} after.",
        "Largest connected part: {before} actors before, {after} after.",
    ),
}

_BRIDGES_SCHEMA = {
    "actor_a": pl.String,
    "actor_b": pl.String,
    "name_a": pl.String,
    "name_b": pl.String,
    "kinds": pl.String,
}
_LOST_SUPPORT_SCHEMA = {"actor_id": pl.String, "name": pl.String, "kind": pl.String}
_LOST_TIES_SCHEMA = {
    "actor_a": pl.String,
    "actor_b": pl.String,
    "name_a": pl.String,
    "name_b": pl.String,
    "reason": pl.String,
}
_FRAGILITY_SCHEMA = {
    "actor_id": pl.String,
    "name": pl.String,
    "kind": pl.String,
    "is_articulation_point": pl.Boolean,
    "bridges": pl.Int64,
    "components_after": pl.Int64,
    "largest_component_after": pl.Int64,
    "lost_support": pl.Int64,
    "lost_support_names": pl.String,
    "efficiency_before": pl.Float64,
    "efficiency_after": pl.Float64,
    "efficiency_drop": pl.Float64,
}


# --- integer representation --------------------------------------------------------------------


@dataclass(frozen=True)
class _Net:
    """Nodes 0..n-1 and undirected edges ``u[i]``–``v[i]`` (no self-loops, no duplicates)."""

    n: int
    u: np.ndarray
    v: np.ndarray

    def csr(self) -> csr_matrix:
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        data = np.ones(rows.size, dtype=np.int8)
        return csr_matrix((data, (rows, cols)), shape=(self.n, self.n))

    def without(self, keep_nodes: np.ndarray, keep_edges: np.ndarray) -> tuple[_Net, np.ndarray]:
        """The subgraph on the kept nodes and edges, and old index → new index (-1 if dropped).

        An edge is kept only when both its ends are kept, whatever ``keep_edges`` says.
        """
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[keep_nodes] = np.arange(int(keep_nodes.sum()), dtype=np.int64)
        mask = keep_edges & keep_nodes[self.u] & keep_nodes[self.v]
        return _Net(int(keep_nodes.sum()), remap[self.u[mask]], remap[self.v[mask]]), remap


def _net_of(G: nx.Graph) -> tuple[list[Hashable], _Net]:
    """Node ids in ``G``'s order and the integer form of ``G`` (self-loops dropped)."""
    ids = list(G.nodes)
    index = {node: i for i, node in enumerate(ids)}
    # a flat stream of ints, not a list of pairs: a million tuples would set off full garbage
    # collections that walk every object of a large graph (seconds each)
    ends = np.fromiter(
        (index[x] for edge in G.edges() for x in edge),
        dtype=np.int64,
        count=2 * G.number_of_edges(),
    )
    return ids, _net_from_ends(len(ids), ends)


def _net_from_ends(n: int, ends: np.ndarray) -> _Net:
    u, v = ends[0::2], ends[1::2]
    loops = u == v
    return _Net(n, u[~loops], v[~loops]) if loops.any() else _Net(n, u, v)


def _flags(G: nx.Graph, ids: list[Hashable], attribute: str) -> np.ndarray:
    return np.fromiter((bool(G.nodes[n].get(attribute)) for n in ids), dtype=bool, count=len(ids))


def _name(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("name") or node)


def _name_list(names: Sequence[str], limit: int = _NAMES_SHOWN, t: Translator | None = None) -> str:
    """``"A, B, C"``, or the first ``limit`` names and ``"… and N more"`` (in the language of
    ``t``, English by default: the fragility table is stored and shared by every language)."""
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    if rest <= 0:
        return shown
    t = t or translator("en")
    return t.gettext(TEXTS["more"]).format(names=shown, n=t.number(rest))


# --- components and efficiency -----------------------------------------------------------------


def _components(net: _Net) -> tuple[int, np.ndarray]:
    """Number of connected components and a component label per node."""
    if net.n == 0:
        return 0, np.zeros(0, dtype=np.int64)
    count, labels = connected_components(net.csr(), directed=False)
    return int(count), labels


def _popcount(words: np.ndarray) -> int:
    if hasattr(np, "bitwise_count"):
        return int(np.bitwise_count(words).sum())
    table = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)
    return int(table[words.view(np.uint8)].sum())


def _inverse_distance_total(net: _Net, sources: np.ndarray) -> float:
    """Σ over ``sources`` s of Σ over the other reachable nodes t of 1 / d(s, t).

    A breadth-first search from every source at once: bit j of a node's words says whether
    source j has reached it. One step ORs the frontier words of each node's neighbours.
    """
    if net.n == 0 or sources.size == 0 or net.u.size == 0:
        return 0.0
    A = net.csr()
    has_neighbours = np.diff(A.indptr) > 0
    starts = A.indptr[:-1][has_neighbours]
    total = 0.0
    for first in range(0, sources.size, _BLOCK):
        block = sources[first : first + _BLOCK]
        j = np.arange(block.size)
        visited = np.zeros((net.n, (block.size + 63) // 64), dtype=np.uint64)
        visited[block, j // 64] = np.left_shift(np.uint64(1), (j % 64).astype(np.uint64))
        frontier = visited.copy()
        reached = np.zeros_like(visited)
        distance = 0
        while True:
            distance += 1
            reached[has_neighbours] = np.bitwise_or.reduceat(frontier[A.indices], starts, axis=0)
            new = reached & ~visited
            count = _popcount(new)
            if count == 0:
                break
            total += count / distance
            visited |= new
            frontier = new
    return total


def _efficiency(net: _Net, order: np.ndarray | None, pivots: int) -> float:
    """Exact global efficiency when ``order`` is None, else estimated from its first sources.

    Each sampled source s contributes its mean inverse distance to the n - 1 others; their
    average is an unbiased estimate of the mean over all sources, which is the efficiency.
    """
    if net.n < 2:
        return 0.0
    if order is None or pivots >= net.n:
        return _inverse_distance_total(net, np.arange(net.n)) / (net.n * (net.n - 1))
    sources = order[:pivots]
    return _inverse_distance_total(net, sources) / (sources.size * (net.n - 1))


def _check_sampling(exact_limit: int, pivots: int) -> None:
    if exact_limit < 0:
        raise UsageError(translator().gettext(TEXTS["exact_limit"]).format(value=exact_limit))
    if pivots < 1:
        raise UsageError(translator().gettext(TEXTS["pivots"]).format(value=pivots))


def _sampling_order(n: int, *, exact_limit: int, pivots: int, seed: int) -> np.ndarray | None:
    """A seeded random order of the nodes to draw sources from, or None for the exact value."""
    if n <= exact_limit or pivots >= n:
        return None
    return np.random.default_rng(seed).permutation(n)


def _method(order: np.ndarray | None, pivots: int, seed: int) -> str:
    """How efficiency was computed, in English (a value of the data, as ``metrics``' method):
    ``"exact"`` or ``"sampled 256 sources (seed 42)"``."""
    return "exact" if order is None else TEXTS["sampled"].format(n=pivots, seed=seed)


def _sampling(order: np.ndarray | None, pivots: int, seed: int) -> tuple[int, int] | None:
    return None if order is None else (pivots, seed)


def _order_after(order: np.ndarray | None, remap: np.ndarray) -> np.ndarray | None:
    """The same random order restricted to the surviving nodes, in their new indices.

    Reusing the sources of the "before" value makes the before/after difference far less noisy
    than two independent samples would.
    """
    if order is None:
        return None
    mapped = remap[order]
    return mapped[mapped >= 0]


def global_efficiency(
    G: nx.Graph, *, exact_limit: int = 2000, pivots: int = 256, seed: int = 42
) -> tuple[float, str]:
    """The global efficiency of ``G``: the mean of 1 / distance over all ordered pairs of actors.

    1 when everyone is tied to everyone, 0 when nobody is tied; pairs with no path count 0.
    Equal to ``nx.global_efficiency(G)`` (unweighted) up to ``exact_limit`` actors; above it an
    unbiased estimate from breadth-first searches out of ``pivots`` sources drawn with ``seed``.

    Parameters
    ----------
    G : nx.Graph
        An undirected graph; weights are ignored.
    exact_limit : int
        Largest number of actors computed exactly.
    pivots, seed : int
        Number of sampled sources above ``exact_limit``, and the seed that draws them.

    Returns
    -------
    tuple[float, str]
        The efficiency and how it was computed: ``"exact"`` or
        ``"sampled 256 sources (seed 42)"``.

    Examples
    --------
    >>> import networkx as nx
    >>> global_efficiency(nx.path_graph(3))  # (1 + 1 + 1/2) * 2 ordered pairs / 6
    (0.8333333333333334, 'exact')
    """
    _check_sampling(exact_limit, pivots)
    _, net = _net_of(G)
    order = _sampling_order(net.n, exact_limit=exact_limit, pivots=pivots, seed=seed)
    return _efficiency(net, order, pivots), _method(order, pivots, seed)


# --- bridges -----------------------------------------------------------------------------------


def _cut_structure(net: _Net) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The articulation points, and the two ends of every bridge (igraph, linear time)."""
    empty = np.zeros(0, dtype=np.int64)
    if net.u.size == 0:
        return empty, empty, empty
    g = ig.Graph(n=net.n)
    # add_edges reads the array as a buffer; the constructor goes through Python objects, which
    # costs seconds of garbage collection next to a large networkx graph
    g.add_edges(np.column_stack([net.u, net.v]))
    cut = np.asarray(g.articulation_points(), dtype=np.int64)
    edge_ids = np.asarray(g.bridges(), dtype=np.int64)
    return cut, net.u[edge_ids], net.v[edge_ids]


def bridges_frame(G: nx.Graph) -> pl.DataFrame:
    """The ties whose loss alone would split the network (the bridges of ``G``).

    Returns
    -------
    pl.DataFrame
        ``actor_a, actor_b`` (``actor_a < actor_b``), ``name_a, name_b`` and ``kinds`` (the
        kinds of tie behind the edge, joined with ", "), sorted by the pair.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> bridges_frame(G)["actor_b"].to_list()  # only c–d; a, b, c form a triangle
    ['d']
    """
    ids, net = _net_of(G)
    _, a_index, b_index = _cut_structure(net)
    rows = []
    for i, j in zip(a_index.tolist(), b_index.tolist(), strict=True):
        a, b = sorted((ids[i], ids[j]), key=str)
        kinds = G.edges[a, b].get("kinds") or ()
        rows.append((str(a), str(b), _name(G, a), _name(G, b), ", ".join(map(str, kinds))))
    return pl.DataFrame(rows, schema=_BRIDGES_SCHEMA, orient="row").sort("actor_a", "actor_b")


# --- what-if -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkSummary:
    """The shape of a network, for before/after comparisons.

    ``unreached_targets`` counts target actors (clusters, co-working spaces, companies) whose
    component holds no support actor: no path leads them to support.
    """

    actors: int
    ties: int
    components: int
    largest_component: int
    efficiency: float
    unreached_targets: int


@dataclass(frozen=True)
class _State:
    summary: NetworkSummary
    labels: np.ndarray
    reaches_support: np.ndarray  # per node of this network


def _state(
    net: _Net, support: np.ndarray, target: np.ndarray, order: np.ndarray | None, pivots: int
) -> _State:
    count, labels = _components(net)
    sizes = np.bincount(labels, minlength=count)
    has_support = np.bincount(labels, weights=support.astype(float), minlength=count) > 0
    reaches = has_support[labels] if net.n else np.zeros(0, dtype=bool)
    summary = NetworkSummary(
        actors=net.n,
        ties=int(net.u.size),
        components=count,
        largest_component=int(sizes.max()) if count else 0,
        efficiency=_efficiency(net, order, pivots),
        unreached_targets=int((target & ~reaches).sum()),
    )
    return _State(summary, labels, reaches)


def _split_count(before_labels: np.ndarray, after_labels: np.ndarray, keep: np.ndarray) -> int:
    """How many components of the old network now lie in two or more parts."""
    if after_labels.size == 0:
        return 0
    pairs = np.unique(np.column_stack([before_labels[keep], after_labels]), axis=0)
    parts = np.bincount(pairs[:, 0])
    return int((parts > 1).sum())


def _lost_support_positions(
    before: _State, after: _State, remap: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Indices (old numbering) of surviving targets that reached support before and not after."""
    kept = remap >= 0
    reaches_after = np.zeros(remap.size, dtype=bool)
    reaches_after[kept] = after.reaches_support[remap[kept]]
    return np.flatnonzero(target & kept & before.reaches_support & ~reaches_after)


# eq=False: comparing two results field by field would ask polars for the truth of a frame
@dataclass(frozen=True, eq=False)
class WhatIf:
    """The network before and after removing actors and/or ending activities.

    ``lost_support`` lists target actors (not removed themselves) that had a path to a support
    actor before and have none after. ``lost_ties`` lists the edges that disappeared, with the
    ``reason`` 'actor removed' or 'activity ended'. ``split_components`` counts the components
    of the old network that fell apart into two or more pieces.
    """

    removed_actors: tuple[str, ...]
    removed_names: tuple[str, ...]
    ended_activities: tuple[str, ...]
    before: NetworkSummary
    after: NetworkSummary
    lost_support: pl.DataFrame
    lost_ties: pl.DataFrame
    split_components: int
    efficiency_method: str
    # (sources, seed) when the efficiency was estimated from sampled sources, else None
    efficiency_sampling: tuple[int, int] | None = None

    def summary_lines(
        self, activity_names: Mapping[str, str] | None = None, lang: str | None = None
    ) -> list[str]:
        """Plain before/after lines for a report or a strategist, in ``lang`` (default: the
        language in force, ``graph.i18n.translator``).

        ``activity_names`` maps activity ids to the names to show (ids are shown otherwise).
        """
        t = translator(lang)
        names = activity_names or {}
        b, a = self.before, self.after
        lines = [
            t.gettext(TEXTS["line"]).format(
                action=self._action(names, t),
                parts=self._parts_phrase(t),
                support=self._support_phrase(t),
            )
        ]
        by_reason = self.lost_ties.group_by("reason").len()
        counts = dict(zip(by_reason["reason"], by_reason["len"], strict=True))
        causes = []
        if counts.get("actor removed"):
            with_removed = t.ngettext(*PLURALS["with_removed"], len(self.removed_actors))
            causes.append(with_removed.format(n=t.number(counts["actor removed"])))
        if counts.get("activity ended"):
            when_ended = t.ngettext(*PLURALS["when_ended"], len(self.ended_activities))
            causes.append(when_ended.format(n=t.number(counts["activity ended"])))
        lost = f" ({', '.join(causes)})" if causes else ""
        lines.append(
            t.gettext(TEXTS["ties"]).format(
                before=t.number(b.ties), after=t.number(a.ties), lost=lost
            )
        )
        lines.append(
            t.ngettext(*PLURALS["largest"], b.largest_component).format(
                before=t.number(b.largest_component), after=t.number(a.largest_component)
            )
        )
        lines.append(
            t.gettext(TEXTS["targets"]).format(
                before=t.number(b.unreached_targets), after=t.number(a.unreached_targets)
            )
        )
        change = ""
        if b.efficiency > 0:
            ratio = (a.efficiency - b.efficiency) / b.efficiency
            # a small change shown as "+0%" or "−0%" would read as none at all
            decimals = 0 if abs(ratio) >= 0.01 or ratio == 0 else 2
            sign = "−" if ratio < 0 else "+"
            change = f" ({sign}{t.percent(abs(ratio), decimals)})"
        how = ""
        if self.efficiency_sampling is not None:
            sources, seed = self.efficiency_sampling
            how = "; " + t.gettext(TEXTS["sampled"]).format(n=t.number(sources), seed=seed)
        lines.append(
            t.gettext(TEXTS["efficiency"]).format(
                before=t.number(b.efficiency, 3),
                after=t.number(a.efficiency, 3),
                change=change,
                how=how,
            )
        )
        return lines

    def _action(self, activity_names: Mapping[str, str], t: Translator) -> str:
        parts = []
        if self.removed_names:
            names = _and_list(self.removed_names, t)
            parts.append(t.gettext(TEXTS["removing"]).format(names=names))
        if self.ended_activities:
            ended = _and_list([activity_names.get(a, a) for a in self.ended_activities], t)
            parts.append(t.gettext(TEXTS["ending"]).format(names=ended))
        if not parts:
            return t.gettext(TEXTS["nothing"])
        action = _and_list(parts, t)
        return action[0].upper() + action[1:]

    def _parts_phrase(self, t: Translator) -> str:
        before, after = self.before.components, self.after.components
        if after > before:
            return t.gettext(TEXTS["splits"]).format(after=t.number(after), before=t.number(before))
        if after == before:
            return t.ngettext(*PLURALS["as_before"], after).format(n=t.number(after))
        return t.ngettext(*PLURALS["parts_was"], after).format(
            n=t.number(after), before=t.number(before)
        )

    def _support_phrase(self, t: Translator) -> str:
        n = self.lost_support.height
        if n == 0:
            return t.gettext(TEXTS["no_support_lost"])
        names = _name_list(self.lost_support["name"].to_list(), t=t)
        return t.ngettext(*PLURALS["lose_support"], n).format(n=t.number(n), names=names)


def reason_text(reason: str, lang: str | None = None) -> str:
    """A ``reason`` of ``WhatIf.lost_ties`` as people read it in ``lang`` (default: the
    language in force).

    >>> reason_text("actor removed", "sv"), reason_text("activity ended", "en")
    ('aktören tas bort', 'activity ended')
    """
    if reason not in REASON_TEXTS:
        return reason
    return translator(lang).pgettext("lost tie", REASON_TEXTS[reason])


def _and_list(items: Sequence[str], t: Translator | None = None) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"`` (``och`` in Swedish)."""
    if len(items) <= 1:
        return "".join(items)
    t = t or translator()
    return t.gettext(TEXTS["and"]).format(first=", ".join(items[:-1]), last=items[-1])


def _scenario(
    G: nx.Graph, remove: Sequence[str], end_activities: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray | None]:
    """Check a scenario in one pass over the edges: unknown actors or activities raise.

    Returns the unique actors and activities in the given order, and which edges survive the
    ended activities (in ``G.edges()`` order, self-loops skipped as in ``_net_of``; None when
    no activity ends).
    """
    removed = tuple(dict.fromkeys(remove))
    missing = [a for a in removed if a not in G]
    if missing:
        ids = _and_list([repr(m) for m in missing])
        raise UsageError(translator().gettext(TEXTS["unknown_actors"]).format(ids=ids))
    ended = tuple(dict.fromkeys(end_activities))
    if not ended:
        return removed, ended, None
    gone = set(ended)
    found: set[str] = set()
    keep = []
    for a, b, data in G.edges(data=True):
        acts = data.get("activities") or ()
        hit = gone.intersection(acts)
        found.update(hit)
        if a != b:
            # the edge lives on while another activity or a direct relation remains
            keep.append(not hit or len(acts) > len(hit) or int(data.get("relations") or 0) > 0)
    unknown = [x for x in ended if x not in found]
    if unknown:
        ids = _and_list([repr(u) for u in unknown])
        raise UsageError(translator().gettext(TEXTS["unknown_activities"]).format(ids=ids))
    return removed, ended, np.array(keep, dtype=bool)


def scenario_graph(
    G: nx.Graph, *, remove: Sequence[str] = (), end_activities: Sequence[str] = ()
) -> nx.Graph:
    """A copy of ``G`` without the actors in ``remove`` and the activities in ``end_activities``.

    An edge that rests on an ended activity loses it: ``weight`` and ``count`` drop by 1 per
    ended activity (a shared activity counts 1 in ``build_graph``) and the activity leaves
    ``activities``. The edge disappears when no activity and no direct relation remains.
    ``kinds`` is kept as it was: the graph does not record which kind each activity had.
    Use it to draw the "after" network; ``whatif`` computes the comparison without copying.

    Raises
    ------
    UsageError
        An actor id is not in ``G``, or no edge rests on an activity id.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2.0, count=2, activities=("p", "q"), relations=0)
    >>> H = scenario_graph(G, end_activities=["p"])
    >>> H.edges["a", "b"]["weight"], H.edges["a", "b"]["activities"]
    (1.0, ('q',))
    """
    removed, ended, _ = _scenario(G, remove, end_activities)
    H = G.copy()
    H.remove_nodes_from(removed)
    if ended:
        gone = set(ended)
        drop = []
        for a, b, data in H.edges(data=True):
            acts = tuple(data.get("activities") or ())
            hit = sum(1 for x in acts if x in gone)
            if not hit:
                continue
            if hit == len(acts) and not int(data.get("relations") or 0):
                drop.append((a, b))
                continue
            data["activities"] = tuple(x for x in acts if x not in gone)
            data["weight"] = data.get("weight", float(hit)) - hit
            data["count"] = data.get("count", hit) - hit
        H.remove_edges_from(drop)
    return H


def activities_on_ties(G: nx.Graph) -> set[str]:
    """The activities that at least one tie of ``G`` rests on (the ones a what-if can end).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", activities=("p", "q"))
    >>> G.add_edge("b", "c", activities=())
    >>> sorted(activities_on_ties(G))
    ['p', 'q']
    """
    return {str(a) for _, _, acts in G.edges(data="activities") for a in acts or ()}


def expand_ended_activities(
    G: nx.Graph, activities: pl.DataFrame, ended: Sequence[str]
) -> tuple[str, ...]:
    """The activities that end when ``ended`` end: each one given, then its parts (learning
    labs of a project, and their parts in turn, via ``activities.part_of``) that hold ties in
    ``G``. Parts without ties are left out, since ``whatif`` refuses an activity no tie rests
    on; the given ones are kept as they are, so a wrong id still gets ``whatif``'s message.

    Parameters
    ----------
    G : nx.Graph
        The network of the scenario (edge attribute ``activities``).
    activities : pl.DataFrame
        ``activity_id, part_of`` (as ``graph.store.database.read_table(con, "activities")``).
    ended : sequence of str
        Activity ids that end.

    Returns
    -------
    tuple of str
        Unique ids: the given ones in order, then their parts in breadth-first order.

    Examples
    --------
    >>> import networkx as nx
    >>> import polars as pl
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", activities=("proj",))
    >>> G.add_edge("b", "c", activities=("lab1",))
    >>> acts = pl.DataFrame({"activity_id": ["proj", "lab1", "lab2"],
    ...                      "part_of": [None, "proj", "proj"]})
    >>> expand_ended_activities(G, acts, ["proj"])
    ('proj', 'lab1')
    """
    children: dict[str, list[str]] = {}
    for child, parent in activities.select("activity_id", "part_of").iter_rows():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    on_ties = activities_on_ties(G)
    result = dict.fromkeys(ended)
    queue = list(result)
    while queue:
        for child in sorted(children.get(queue.pop(0), ())):
            if child not in result:
                # a part without ties is still followed: its own parts may hold some
                queue.append(child)
                result[child] = None
    given = set(ended)
    return tuple(a for a in result if a in given or a in on_ties)


def whatif(
    G: nx.Graph,
    *,
    remove: Sequence[str] = (),
    end_activities: Sequence[str] = (),
    exact_limit: int = 2000,
    pivots: int = 256,
    seed: int = 42,
) -> WhatIf:
    """Compare the network before and after removing actors and/or ending activities.

    Parameters
    ----------
    G : nx.Graph
        A graph from ``build_graph`` (node flags ``support`` and ``target``; edge attributes
        ``activities`` and ``relations``).
    remove : sequence of str
        Actor ids to take out, with all their ties.
    end_activities : sequence of str
        Activity ids that end: see ``scenario_graph`` for what happens to their ties.
    exact_limit, pivots, seed : int
        How efficiency is computed (see ``global_efficiency``); "after" reuses the sources of
        "before" that survive.

    Returns
    -------
    WhatIf
        Before/after summaries, the actors that lose their path to support, the lost ties.

    Raises
    ------
    UsageError
        An actor id is not in ``G``, or no edge rests on an activity id.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["firm", "cluster", "region"])
    >>> nx.set_node_attributes(G, {"region": True}, "support")
    >>> nx.set_node_attributes(G, {"firm": True, "cluster": True}, "target")
    >>> result = whatif(G, remove=["cluster"])
    >>> result.after.components, result.lost_support["actor_id"].to_list()
    (2, ['firm'])
    """
    _check_sampling(exact_limit, pivots)
    removed, ended, survives = _scenario(G, remove, end_activities)
    ids, net = _net_of(G)
    index = {node: i for i, node in enumerate(ids)}
    keep_edges = np.ones(net.u.size, dtype=bool) if survives is None else survives
    keep_nodes = np.ones(net.n, dtype=bool)
    keep_nodes[[index[r] for r in removed]] = False
    support = _flags(G, ids, "support")
    target = _flags(G, ids, "target")

    order = _sampling_order(net.n, exact_limit=exact_limit, pivots=pivots, seed=seed)
    before = _state(net, support, target, order, pivots)
    after_net, remap = net.without(keep_nodes, keep_edges)
    kept = remap >= 0
    after = _state(after_net, support[kept], target[kept], _order_after(order, remap), pivots)

    lost_positions = _lost_support_positions(before, after, remap, target)
    lost_support = pl.DataFrame(
        [
            (str(ids[i]), _name(G, ids[i]), G.nodes[ids[i]].get("kind"))
            for i in lost_positions.tolist()
        ],
        schema=_LOST_SUPPORT_SCHEMA,
        orient="row",
    ).sort("name", "actor_id")

    node_gone = ~keep_nodes[net.u] | ~keep_nodes[net.v]
    edge_gone = node_gone | ~keep_edges
    lost_rows = []
    for k in np.flatnonzero(edge_gone).tolist():
        a, b = sorted((ids[int(net.u[k])], ids[int(net.v[k])]), key=str)
        reason = "actor removed" if node_gone[k] else "activity ended"
        lost_rows.append((str(a), str(b), _name(G, a), _name(G, b), reason))
    lost_ties = pl.DataFrame(lost_rows, schema=_LOST_TIES_SCHEMA, orient="row").sort(
        "actor_a", "actor_b"
    )
    return WhatIf(
        removed_actors=tuple(str(r) for r in removed),
        removed_names=tuple(_name(G, r) for r in removed),
        ended_activities=tuple(ended),
        before=before.summary,
        after=after.summary,
        lost_support=lost_support,
        lost_ties=lost_ties,
        split_components=_split_count(before.labels, after.labels, kept),
        efficiency_method=_method(order, pivots, seed),
        efficiency_sampling=_sampling(order, pivots, seed),
    )


# --- fragility ranking -------------------------------------------------------------------------


def fragility(
    G: nx.Graph,
    *,
    top: int = 10,
    betweenness: Mapping[str, float] | None = None,
    exact_limit: int = 2000,
    pivots: int = 256,
    seed: int = 42,
) -> pl.DataFrame:
    """What removing each of the most critical actors would do to the network.

    The actors examined are the articulation points (whose removal splits a component) ordered
    by ``betweenness`` — or by degree when it is not given — then the other actors by the same
    score, up to ``top`` in all. Each is removed on its own from the full network.

    Parameters
    ----------
    G : nx.Graph
        A graph from ``build_graph`` (node flags ``support``, ``target``; ``name``, ``kind``).
    top : int
        How many actors to examine.
    betweenness : mapping of actor id to float, optional
        Scores to rank by, e.g. from a betweenness computation; missing actors score 0.
    exact_limit, pivots, seed : int
        How efficiency is computed (see ``global_efficiency``).

    Returns
    -------
    pl.DataFrame
        ``actor_id, name, kind, is_articulation_point, bridges`` (bridges at the actor),
        ``components_after, largest_component_after, lost_support`` (targets that lose every
        path to support), ``lost_support_names`` (at most 10, then "… and N more"),
        ``efficiency_before, efficiency_after, efficiency_drop`` (before − after), in ranking
        order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["firm", "cluster", "region"])
    >>> nx.set_node_attributes(G, {"region": True}, "support")
    >>> nx.set_node_attributes(G, {"firm": True, "cluster": True}, "target")
    >>> frame = fragility(G, top=1)
    >>> frame["actor_id"].to_list(), frame["lost_support_names"].to_list()
    (['cluster'], ['firm'])
    """
    if top < 0:
        raise UsageError(translator().gettext(TEXTS["top"]).format(value=top))
    _check_sampling(exact_limit, pivots)
    ids, net = _net_of(G)
    if top == 0 or net.n == 0:
        return pl.DataFrame(schema=_FRAGILITY_SCHEMA)
    support = _flags(G, ids, "support")
    target = _flags(G, ids, "target")

    if betweenness is None:
        score = np.bincount(np.concatenate([net.u, net.v]), minlength=net.n).astype(float)
    else:
        score = np.array([float(betweenness.get(str(n), 0.0)) for n in ids])
    cut, bridge_a, bridge_b = _cut_structure(net)
    is_cut = np.zeros(net.n, dtype=bool)
    is_cut[cut] = True
    bridges_at = np.bincount(np.concatenate([bridge_a, bridge_b]), minlength=net.n)
    # articulation points first, then by score, highest first; ties broken by actor id
    ranked = sorted(range(net.n), key=lambda i: (not is_cut[i], -score[i], str(ids[i])))[:top]

    order = _sampling_order(net.n, exact_limit=exact_limit, pivots=pivots, seed=seed)
    before = _state(net, support, target, order, pivots)
    all_edges = np.ones(net.u.size, dtype=bool)
    rows = []
    for i in ranked:
        keep = np.ones(net.n, dtype=bool)
        keep[i] = False
        after_net, remap = net.without(keep, all_edges)
        after = _state(after_net, support[keep], target[keep], _order_after(order, remap), pivots)
        lost = _lost_support_positions(before, after, remap, target)
        lost_names = sorted(_name(G, ids[k]) for k in lost.tolist())
        node = ids[i]
        rows.append(
            (
                str(node),
                _name(G, node),
                G.nodes[node].get("kind"),
                bool(is_cut[i]),
                int(bridges_at[i]),
                after.summary.components,
                after.summary.largest_component,
                len(lost_names),
                _name_list(lost_names),
                before.summary.efficiency,
                after.summary.efficiency,
                before.summary.efficiency - after.summary.efficiency,
            )
        )
    return pl.DataFrame(rows, schema=_FRAGILITY_SCHEMA, orient="row")
