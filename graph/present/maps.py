"""Maps of the network: pyvis (vis-network) HTML with level of detail, and geographic layers.

Positions are computed in Python once (igraph's Fruchterman–Reingold, seeded) and handed to
vis-network with physics off, so even a large view draws at once and never hangs the browser.
Above a node budget the view shows communities as super-nodes, or the top actors by a metric,
and says so. The HTML is standalone: vis-network's JavaScript is inlined, nothing is loaded from
the network, and every text from the data reaches the page as escaped JSON or plain text.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import polars as pl
from pyvis.network import Network

from graph.analysis.network import edges_frame, nodes_frame
from graph.i18n import N_, NC_, NP_, translator
from graph.present.palette import (
    ACTION_COLOR,
    CUT_POINT_COLOR,
    HELIX_COLORS,
    KIND_COLORS,
    UNKNOWN_COLOR,
    helix_label,
    kind_label,
)

__all__ = [
    "COLOR_BY",
    "GeoFlows",
    "GeoLayers",
    "LevelOfDetail",
    "MapOptions",
    "OutlinesError",
    "annotate_map",
    "ego_graph",
    "ego_layout",
    "fill_frame",
    "flow_ties",
    "geo_flows",
    "geo_layers",
    "layout",
    "level_of_detail",
    "load_outlines",
    "network_html",
    "palette",
    "place_labels",
    "standalone_map",
]

COLOR_BY = ("kind", "helix", "community", "area")
# Every text of the maps, in the language in force when a map is drawn (graph.i18n).
TEXTS = {
    "key": N_(
        "Size: number of ties. Diamonds with a dark border: single points of failure. "
        "Dashed vermillion lines: suggested ties. Dashed borders: synthetic demo actors."
    ),
    "top_note": N_(
        "Showing the {budget} actors with the highest {metric} of {n} (over the budget of "
        "{budget} nodes); ties to the others are hidden."
    ),
    "score": N_("score"),
    "degree": N_("degree"),
    "communities_note": N_(
        "{n} actors are over the budget of {budget} nodes: showing {shown} "
        "communities as super-nodes (size = actors, edges = ties between communities). "
        "Filter, choose an ego view or raise the budget to see actors."
    ),
    "community": N_("community {n}"),
    "community_title": N_("Community {n}"),
    "unknown": N_("(unknown)"),
    "no_area": NC_("no strength area", "(none)"),
    "synthetic_actor": N_("SYNTHETIC demo actor (not a fact)"),
    "helix_unknown": N_("helix unknown"),
    "areas": N_("Areas: {areas}"),
    "metrics": N_("ties {degree} · betweenness {betweenness} · PageRank {pagerank}"),
    "cut_point": N_("Cut point: removing it splits the network"),
    "source": N_("Source: {source}"),
    "id": N_("id: {id}"),
    "synthetic_ties": N_("{ties} (synthetic)"),
    "suggested": N_("suggested tie"),
    "title": N_("Network map"),
    "everything": N_("all actors and ties"),
    "made": N_("made {date}"),
    "unreadable": N_("{path}: cannot read the region outlines ({reason})"),
    "too_large": N_(
        "{path}: the region outlines are {size} MB, over {limit} MB; "
        "simplify them (mapshaper.org) first"
    ),
    "not_geojson": N_("{path}: not a GeoJSON file ({reason})"),
    "not_collection": N_("{path}: not a GeoJSON FeatureCollection"),
}
PLURALS = {
    "members": NP_("{n} actor: {names}", "{n} actors: {names}"),
    "ties": NP_("{n} tie", "{n} ties"),
    "kinds_ties": NP_("{n} tie: {kinds}", "{n} ties: {kinds}"),
}
MAP_KEY = TEXTS["key"]  # in English; translator().gettext(MAP_KEY) in the language in force
TOP_LABELS = 20  # a crowded map labels at least this many of its largest actors
# Colour-blind-safe: one hue per helix, shades per kind (graph.present.palette); the cycle for
# communities and areas leaves out vermillion, which marks suggested ties and gaps.
_CYCLE = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#882255",
    "#AA4499",
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#56B4E9",
    "#F0E442",
    "#CC79A7",
    "#6699CC",
    "#997700",
]
EGO_RING_COLOR = "#000000"


@dataclass(frozen=True)
class MapOptions:
    """What the network map shows."""

    color_by: str = "kind"
    size_by: str | None = "degree"  # a column of the metrics frame, or None for equal sizes
    budget: int = 800  # most nodes drawn; above it the level of detail applies
    lod_mode: str = "communities"  # or "top": the top actors by size_by
    mark_cut_points: bool = True
    suggested: tuple[tuple[str, str], ...] = ()  # drawn as dashed edges
    highlight: tuple[str, ...] = ()  # actors drawn larger with a thick border
    height_px: int = 700


@dataclass
class LevelOfDetail:
    """The graph to draw and what was done to get it (shown on the page)."""

    graph: nx.Graph
    mode: str  # "all", "communities", "top", "ego"
    note: str = ""
    members: dict[str, list[str]] = field(default_factory=dict)  # super-node → actors


def palette(values: Sequence[str], color_by: str) -> dict[str, str]:
    """A stable colour per group value (kinds and helices have fixed colours)."""
    fixed = KIND_COLORS if color_by == "kind" else HELIX_COLORS if color_by == "helix" else {}
    out: dict[str, str] = {}
    others = sorted(v for v in set(values) if v not in fixed)
    for v in set(values):
        if v in fixed:
            out[v] = fixed[v]
    for i, v in enumerate(others):
        out[v] = UNKNOWN_COLOR if v in ("(unknown)", "(none)") else _CYCLE[i % len(_CYCLE)]
    return out


def ego_graph(G: nx.Graph, actor_id: str, hops: int) -> nx.Graph:
    """The actor and everyone within ``hops`` ties (1–3), with the ties among them."""
    return nx.ego_graph(G, actor_id, radius=hops)


def level_of_detail(
    G: nx.Graph,
    *,
    budget: int,
    mode: str = "communities",
    community: Mapping[str, int] | None = None,
    metric: Mapping[str, float] | None = None,
) -> LevelOfDetail:
    """Reduce a graph above ``budget`` nodes to something a browser draws at once.

    ``communities``: one super-node per community (its size the number of actors, its label the
    community's best-connected members); edges count the ties between communities. If there
    are more communities than the budget, the largest are kept. ``top``: the ``budget`` actors
    with the highest ``metric`` and the ties among them.
    """
    n = G.number_of_nodes()
    if n <= budget:
        return LevelOfDetail(G, "all")
    if mode == "top" or community is None:
        score = metric or dict(G.degree())
        keep = sorted(G, key=lambda v: (-float(score.get(v, 0) or 0), v))[:budget]
        H = G.subgraph(keep).copy()
        t = translator()
        return LevelOfDetail(
            H,
            "top",
            t.gettext(TEXTS["top_note"]).format(
                budget=t.number(budget),
                metric=t.gettext(TEXTS["score" if metric else "degree"]),
                n=t.number(n),
            ),
        )
    # polars does the grouping: at 100k actors and a million ties a Python loop takes seconds
    nodes = (
        nodes_frame(G)
        .select("actor_id", "name", "kind", "synthetic")
        .with_columns(
            pl.Series("community", [community.get(v, -1) for v in G], dtype=pl.Int64),
            pl.Series("degree", [d for _, d in G.degree()], dtype=pl.Int64),
        )
    )
    groups = (
        nodes.sort("degree", "actor_id", descending=[True, False])
        .group_by("community")
        .agg(
            pl.len().alias("size"),
            pl.col("actor_id"),
            pl.col("name").head(3).alias("top_names"),
            pl.col("kind").fill_null("None").value_counts(sort=True).alias("kinds"),
            pl.col("synthetic").fill_null(False).all().alias("synthetic"),
        )
        .sort("size", "community", descending=[True, False])
        .head(budget)
    )
    H = nx.Graph()
    members: dict[str, list[str]] = {}
    t = translator()
    for r in groups.iter_rows(named=True):
        c = f"community:{r['community']}"
        members[c] = r["actor_id"]
        names = [str(x) for x in r["top_names"]]
        H.add_node(
            c,
            name=t.ngettext(*PLURALS["members"], r["size"]).format(
                n=t.number(r["size"]), names=", ".join(names)
            ),
            kind="community",
            size=r["size"],
            community=int(r["community"]),
            kinds={k["kind"]: int(k["count"]) for k in r["kinds"]},
            synthetic=bool(r["synthetic"]),
        )
    where = nodes.select("actor_id", "community").filter(
        pl.col("community").is_in(groups["community"].implode())
    )
    between = (
        edges_frame(G)
        .join(where.rename({"actor_id": "actor_a", "community": "ca"}), on="actor_a")
        .join(where.rename({"actor_id": "actor_b", "community": "cb"}), on="actor_b")
        .filter(pl.col("ca") != pl.col("cb"))
        .select(
            pl.min_horizontal("ca", "cb").alias("a"),
            pl.max_horizontal("ca", "cb").alias("b"),
            "weight",
        )
        .group_by("a", "b")
        .agg(pl.col("weight").sum(), pl.len().alias("count"))
    )
    H.add_edges_from(
        (f"community:{a}", f"community:{b}", {"weight": w, "count": c})
        for a, b, w, c in between.iter_rows()
    )
    note = t.gettext(TEXTS["communities_note"]).format(
        n=t.number(n), budget=t.number(budget), shown=t.number(H.number_of_nodes())
    )
    return LevelOfDetail(H, "communities", note, members)


def ego_layout(G: nx.Graph, ego: str, *, ring: float = 260.0) -> dict[str, tuple[float, float]]:
    """Positions for an ego view: the chosen actor at the centre (0, 0), everyone one tie away
    on the first ring, two ties away on the second, and so on; on each ring actors follow the
    order of the actor that brought them (breadth-first), so ties mostly run outward, not
    across. Rings grow with the number of actors on them so labels have room.

    >>> pos = ego_layout(nx.star_graph(4), 0)
    >>> pos[0], sorted(round(math.hypot(*pos[v])) for v in (1, 2, 3, 4))
    ((0.0, 0.0), [260, 260, 260, 260])
    """
    if ego not in G:
        return layout(G)
    rings: list[list[str]] = [[ego]]
    seen = {ego}
    while True:
        nxt: list[str] = []
        for v in rings[-1]:
            for u in sorted(G[v], key=str):
                if u not in seen:
                    seen.add(u)
                    nxt.append(u)
        if not nxt:
            break
        rings.append(nxt)
    positions: dict[str, tuple[float, float]] = {ego: (0.0, 0.0)}
    radius = 0.0
    for members in rings[1:]:
        # at least one ring step further out, and 38 px of circumference per actor
        radius = max(radius + ring, len(members) * 38 / (2 * math.pi))
        for i, v in enumerate(members):
            angle = 2 * math.pi * i / len(members) - math.pi / 2
            positions[v] = (radius * math.cos(angle), radius * math.sin(angle))
    rest = [v for v in G if v not in seen]  # not tied to the ego (suggested partners)
    if rest:
        radius += ring
        for i, v in enumerate(rest):
            angle = 2 * math.pi * i / len(rest)
            positions[v] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def fill_frame(
    positions: Mapping[str, tuple[float, float]],
    *,
    width: float = 1600.0,
    height: float = 900.0,
    spread: float = 0.7,
) -> dict[str, tuple[float, float]]:
    """Positions stretched to a wide frame, each axis a blend of the layout and its rank: a
    force layout packs hubs into a dense core and pushes small parts to the rim, so fitting it
    as it is leaves most of the frame empty and the core unreadable.

    >>> fill_frame({"a": (0.0, 0.0), "b": (1.0, 5.0), "c": (9.0, 10.0)}, width=100, height=10,
    ...            spread=0.5)
    {'a': (-50.0, -5.0), 'b': (-19.4, 0.0), 'c': (50.0, 5.0)}
    """
    nodes = list(positions)
    if len(nodes) < 3:
        return dict(positions)
    out: dict[str, list[float]] = {v: [0.0, 0.0] for v in nodes}
    for axis, size in ((0, width), (1, height)):
        values = [positions[v][axis] for v in nodes]
        low, high = min(values), max(values)
        order = sorted(range(len(nodes)), key=lambda i: (values[i], i))
        rank = [0.0] * len(nodes)
        for r, i in enumerate(order):
            rank[i] = r / (len(nodes) - 1)
        for i, v in enumerate(nodes):
            linear = (values[i] - low) / (high - low) if high > low else 0.5
            out[v][axis] = round(((1 - spread) * linear + spread * rank[i] - 0.5) * size, 1)
    return {v: (x, y) for v, (x, y) in out.items()}


def annotate_map(
    html: str,
    *,
    title: str,
    legend: Mapping[str, str],
    filter_text: str,
    made: str,
    notes: Sequence[str] = (),
) -> str:
    """An exported map with its title, legend, filter and date at the top, so a copy sent on
    or shown on a slide says what it is. Every text is escaped; colours are ours."""
    from markupsafe import escape

    items = "".join(
        f"<span style='margin-right:14px;white-space:nowrap'><span style='display:inline-block;"
        f"width:11px;height:11px;border-radius:50%;background:{color};margin-right:4px'>"
        f"</span>{escape(label)}</span>"
        for label, color in legend.items()
    )
    extra = "".join(f"<div>{escape(n)}</div>" for n in notes)
    header = (
        "<div id='ecograph-map-header' style='font-family:system-ui,sans-serif;"
        "padding:8px 12px;border-bottom:1px solid #ddd'>"
        f"<div style='font-size:18px;font-weight:600'>{escape(title)}</div>"
        f"<div style='font-size:12px;color:#444'>{escape(filter_text)} · {escape(made)}</div>"
        f"<div style='font-size:12px;margin-top:4px'>{items}</div>"
        f"<div style='font-size:12px;color:#444'>{extra}</div></div>"
    )
    return re.sub(r"<body>", lambda _m: "<body>" + header, html, count=1)


def layout(G: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Node positions in pixels, computed once: igraph's Fruchterman–Reingold (seeded), with
    each connected part laid out and packed side by side (networkx's spring layout takes minutes
    at 10k nodes; this takes about a second)."""
    nodes = list(G)
    if not nodes:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    state = random.getstate()
    random.seed(seed)
    try:
        coords = g.layout_fruchterman_reingold(
            niter=300 if len(nodes) < 3000 else 120, grid="auto"
        ).coords
    finally:
        random.setstate(state)
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    factor = scale * max(1.0, math.sqrt(len(nodes)) / 10) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        v: ((x - cx) * factor, (y - cy) * factor) for v, (x, y) in zip(nodes, coords, strict=True)
    }


_NO_HREF = re.compile("href", re.IGNORECASE)


def _text(value: Any) -> str:
    """Plain text for vis-network: its tooltips set innerText, but pyvis switches to an
    innerHTML tooltip when any title contains "href", so that word is broken up."""
    return _NO_HREF.sub(lambda m: m.group(0)[:3] + "\u200b" + m.group(0)[3:], str(value))


def _group_of(
    data: Mapping[str, Any], color_by: str, community: Mapping[str, int] | None, node: str
) -> str:
    if data.get("kind") == "community":  # a super-node is coloured as its community
        return f"community {data.get('community')}"
    if color_by == "community":
        return (
            f"community {community.get(node)}" if community and node in community else "(unknown)"
        )
    if color_by == "area":
        areas = data.get("areas") or ()
        return str(areas[0]) if areas else "(none)"
    value = data.get(color_by)
    return str(value) if value else "(unknown)"


def network_html(
    lod: LevelOfDetail,
    positions: Mapping[str, tuple[float, float]],
    *,
    options: MapOptions | None = None,
    metrics: pl.DataFrame | None = None,
    community: Mapping[str, int] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> tuple[str, dict[str, str]]:
    """The map as a standalone HTML page, and its legend (group → colour).

    ``metrics`` (an ``actor_metrics`` frame) gives sizes, tooltips and cut points.
    """
    opts = options or MapOptions()
    t = translator()
    H = lod.graph
    stats: dict[str, dict[str, Any]] = {}
    if metrics is not None and metrics.height:
        stats = {r["actor_id"]: r for r in metrics.iter_rows(named=True)}
    groups = {v: _group_of(d, opts.color_by, community, v) for v, d in H.nodes(data=True)}
    if opts.color_by == "area" and area_names:
        groups = {v: area_names.get(g, g) for v, g in groups.items()}
    colors = palette(list(groups.values()), opts.color_by)
    sizes = _sizes(H, lod, stats, opts.size_by)
    # An ego view labels every node; elsewhere a crowded view labels the largest nodes by the
    # size metric (always at least the top TOP_LABELS); every node keeps its tooltip.
    labelled = (
        set(H)
        if lod.mode == "ego" or H.number_of_nodes() <= 150
        else set(sorted(H, key=lambda v: (-sizes[v], v))[:TOP_LABELS]) | set(opts.highlight)
    )
    if lod.mode != "ego":
        positions = fill_frame(positions)
    nodes = []
    for v, d in H.nodes(data=True):
        s = stats.get(v, {})
        cut = bool(s.get("is_articulation_point")) and opts.mark_cut_points
        synthetic = bool(d.get("synthetic"))
        label = str(d.get("name") or v)
        node: dict[str, Any] = {
            "id": v,
            "label": _text(label if len(label) <= 40 else label[:38] + "…")
            if v in labelled
            else " ",
            "title": _text(_tooltip(v, d, s, lod, area_names)),
            "x": positions[v][0],
            "y": positions[v][1],
            "size": sizes[v] * (1.4 if v in opts.highlight else 1.0),
            "color": {
                "background": colors[groups[v]],
                "border": EGO_RING_COLOR
                if v in opts.highlight
                else CUT_POINT_COLOR
                if cut
                else "#333333",
            },
            "borderWidth": 7 if v in opts.highlight else 4 if cut else 1,
            "shape": "diamond" if cut else "dot",
            "font": _font(lod, H.number_of_nodes()),
        }
        if v in opts.highlight:  # the chosen actor: ringed, labelled in bold, drawn on top
            node["font"] = {"size": 18, "bold": True, "strokeWidth": 4, "strokeColor": "#ffffff"}
            node["label"] = _text(label if len(label) <= 60 else label[:58] + "…")
        if synthetic:
            node["shapeProperties"] = {"borderDashes": [4, 3]}
        nodes.append(node)
    edges = []
    top_weight = max((d.get("weight", 1.0) for _, _, d in H.edges(data=True)), default=1.0)
    for u, v, d in H.edges(data=True):
        w = float(d.get("weight", 1.0))
        kinds = ", ".join(d.get("kinds", ())) if d.get("kinds") else ""
        count = int(d.get("count", 1))
        ties = t.ngettext(*PLURALS["kinds_ties" if kinds else "ties"], count).format(
            n=t.number(count), kinds=kinds
        )
        if d.get("synthetic"):
            ties = t.gettext(TEXTS["synthetic_ties"]).format(ties=ties)
        edges.append(
            {
                "from": u,
                "to": v,
                "width": 1 + 5 * math.sqrt(w / top_weight),
                "title": _text(ties),
                "color": {"color": "#9aa5b1", "opacity": 0.6},
            }
        )
    for a, b in opts.suggested:
        if a in H and b in H:
            edges.append(
                {
                    "from": a,
                    "to": b,
                    "dashes": [12, 6],
                    "width": 6,
                    "color": {"color": ACTION_COLOR, "opacity": 1.0},
                    "title": t.gettext(TEXTS["suggested"]),
                }
            )
    net = Network(
        height=f"{opts.height_px}px", width="100%", cdn_resources="in_line", bgcolor="#ffffff"
    )
    net.nodes, net.edges = nodes, edges
    net.set_options(
        '{"physics": {"enabled": false}, "interaction": {"hover": true, "tooltipDelay": 120,'
        ' "navigationButtons": true, "keyboard": true, "hideEdgesOnDrag": true},'
        ' "edges": {"smooth": false}, "nodes": {"font": {"face": "sans-serif"}}}'
    )
    html = net.generate_html()
    # pyvis always links Bootstrap from a CDN; the map needs neither it nor a network
    html = re.sub(r"<link\s[^>]*cdn\.jsdelivr\.net[^>]*/>\s*", "", html)
    html = re.sub(r"<script\s[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>\s*", "", html)
    # the page says its language (screen readers, hyphenation, a browser's translate offer)
    html = re.sub(r"<html>", lambda _m: f'<html lang="{t.lang}">', html, count=1)
    legend = {_legend_label(g, opts.color_by): colors[g] for g in sorted(set(groups.values()))}
    return html, legend


def _legend_label(group: str, color_by: str) -> str:
    t = translator()
    if group.startswith("community ") and group[len("community ") :].lstrip("-").isdigit():
        return t.gettext(TEXTS["community"]).format(n=group[len("community ") :])
    if color_by == "kind":
        return kind_label(group)
    if color_by == "helix":
        return helix_label(group)
    if group == "(unknown)":
        return t.gettext(TEXTS["unknown"])
    if group == "(none)":
        return t.pgettext("no strength area", TEXTS["no_area"])
    return group


def _sizes(
    H: nx.Graph, lod: LevelOfDetail, stats: Mapping[str, Mapping[str, Any]], size_by: str | None
) -> dict[str, float]:
    if lod.mode == "communities":
        values = {v: float(d.get("size", 1)) for v, d in H.nodes(data=True)}
    elif size_by:
        values = {v: float(stats.get(v, {}).get(size_by) or 0.0) for v in H}
    else:
        return dict.fromkeys(H, 14.0)
    top = max(values.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(H, 14.0)
    # a crowded view draws smaller nodes, so that the frame is not one blot
    low, span = (8.0, 32.0) if H.number_of_nodes() <= 150 else (5.0, 22.0)
    return {v: low + span * math.sqrt(x / top) for v, x in values.items()}


def _font(lod: LevelOfDetail, n: int) -> dict[str, Any]:
    """Labels stay readable when vis-network zooms out to fit a crowded view: larger type
    with a white halo (on the canvas, over the ties)."""
    size = 14 if lod.mode == "communities" else 12 if n <= 150 else 20
    return {"size": size, "strokeWidth": 4 if n > 150 else 2, "strokeColor": "#ffffff"}


def _tooltip(
    node: str,
    d: Mapping[str, Any],
    s: Mapping[str, Any],
    lod: LevelOfDetail,
    area_names: Mapping[str, str] | None,
) -> str:
    t = translator()
    if d.get("kind") == "community":
        kinds = ", ".join(
            f"{kind_label(k) if k != 'None' else '?'} {t.number(n)}"
            for k, n in sorted((d.get("kinds") or {}).items(), key=lambda x: -x[1])
        )
        title = t.gettext(TEXTS["community_title"]).format(n=d.get("community"))
        return f"{title}\n{d.get('name')}\n{kinds}"
    lines = [str(d.get("name") or node)]
    if d.get("synthetic"):
        lines.append(t.gettext(TEXTS["synthetic_actor"]))
    kind = kind_label(d["kind"]) if d.get("kind") else "?"
    helix = helix_label(d["helix"]) if d.get("helix") else t.gettext(TEXTS["helix_unknown"])
    lines.append(f"{kind} · {helix}")
    place = ", ".join(str(x) for x in (d.get("municipality"), d.get("region")) if x)
    if place:
        lines.append(place)
    areas = d.get("areas") or ()
    if areas:
        names = ", ".join((area_names or {}).get(a, a) for a in areas)
        lines.append(t.gettext(TEXTS["areas"]).format(areas=names))
    if s:
        lines.append(
            t.gettext(TEXTS["metrics"]).format(
                degree=s.get("degree"),
                betweenness=t.number(float(s.get("betweenness") or 0), 3),
                pagerank=t.number(float(s.get("pagerank") or 0), 4),
            )
        )
        if s.get("is_articulation_point"):
            lines.append(t.gettext(TEXTS["cut_point"]))
    if d.get("source"):
        lines.append(t.gettext(TEXTS["source"]).format(source=d.get("source")))
    lines.append(t.gettext(TEXTS["id"]).format(id=node))
    return "\n".join(lines)


def standalone_map(
    G: nx.Graph,
    metrics: pl.DataFrame,
    *,
    options: MapOptions | None = None,
    area_names: Mapping[str, str] | None = None,
    title: str | None = None,
    filter_text: str | None = None,
    made: str | None = None,
) -> tuple[str, LevelOfDetail]:
    """The whole network as one standalone HTML map (level of detail applied), for export,
    headed by its title, legend, the filter it shows and the date it was made, in the
    language in force (``graph.i18n.use_language``; the title "Network map", the filter "all
    actors and ties" and the time it is made unless given).

    ``metrics`` is an ``actor_metrics`` frame of ``G`` (sizes, communities, cut points).
    """
    opts = options or MapOptions()
    t = translator()
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    metric = (
        dict(zip(metrics["actor_id"], metrics[opts.size_by], strict=True))
        if opts.size_by and opts.size_by in metrics.columns
        else None
    )
    lod = level_of_detail(
        G, budget=opts.budget, mode=opts.lod_mode, community=community, metric=metric
    )
    html, legend = network_html(
        lod,
        layout(lod.graph),
        options=opts,
        metrics=metrics,
        community=community,
        area_names=area_names,
    )
    now = datetime.now(UTC)
    stamp = made or t.gettext(TEXTS["made"]).format(
        date=f"{t.date(now)} {now.strftime('%H:%M')} UTC"
    )
    html = annotate_map(
        html,
        title=title if title is not None else t.gettext(TEXTS["title"]),
        legend=legend,
        filter_text=filter_text if filter_text is not None else t.gettext(TEXTS["everything"]),
        made=stamp,
        notes=[n for n in (lod.note, t.gettext(TEXTS["key"])) if n],
    )
    return html, lod


@dataclass
class GeoLayers:
    """Points and arcs for a geographic map (lat/lon in degrees)."""

    points: pl.DataFrame  # actor_id, name, kind, synthetic, lat, lon, placed, color, municipality
    arcs: pl.DataFrame  # source/target lat lon, kind, color, weight
    unplaced: int  # actors with neither coordinates nor a known municipality


def _rgb(hex_color: str) -> list[int]:
    return [int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]


def _unit_pairs(ids: Sequence[str]) -> tuple[list[float], list[float]]:
    """Two numbers in [0, 1) per id, the same for the same id in every run and version."""
    first, second = [], []
    for v in ids:
        digest = hashlib.md5(v.encode()).digest()
        first.append(int.from_bytes(digest[:4], "big") / 2**32)
        second.append(int.from_bytes(digest[4:8], "big") / 2**32)
    return first, second


def _rgb_column(column: str, colors: Mapping[str, str]) -> pl.Expr:
    mapping = {k: _rgb(v) for k, v in colors.items()}
    return pl.col(column).replace_strict(
        mapping, default=_rgb(UNKNOWN_COLOR), return_dtype=pl.List(pl.Int64)
    )


def place_labels(points: pl.DataFrame, seats: pl.DataFrame) -> pl.DataFrame:
    """Where to write the name of each municipality that has actors on the map: at its seat,
    labelled "name (number of actors)", most actors first. Without a base map (no internet)
    these names are what tells the reader where the points are.

    ``points`` is ``GeoLayers.points``; ``seats`` has ``municipality, lat, lon``.

    >>> pts = pl.DataFrame({"municipality": ["Åre", "Åre", None, "Krokom"]})
    >>> seats = pl.DataFrame({"municipality": ["Åre", "Krokom", "Berg"],
    ...                       "lat": [63.4, 63.3, 62.8], "lon": [13.1, 14.5, 14.5]})
    >>> place_labels(pts, seats)["label"].to_list()
    ['Åre (2)', 'Krokom (1)']
    """
    return (
        points.filter(pl.col("municipality").is_not_null())
        .group_by("municipality")
        .agg(pl.len().alias("actors"))
        .join(seats.select("municipality", "lat", "lon"), on="municipality")
        .sort(["actors", "municipality"], descending=[True, False])
        .select(
            "municipality",
            "lat",
            "lon",
            "actors",
            pl.format("{} ({})", "municipality", "actors").alias("label"),
        )
    )


def geo_layers(
    G: nx.Graph, actors: pl.DataFrame, seats: pl.DataFrame, *, jitter: float = 0.03
) -> GeoLayers:
    """Actors at their coordinates, else at their municipality's seat (spread a little so
    actors of one town do not hide each other, deterministically by id); ties as arcs coloured
    by their kind. Done in polars: a national network has 10^5 actors and 10^6 ties.

    ``actors`` has ``actor_id, lat, lon``; ``seats`` has ``municipality, lat, lon``.
    """
    nodes = nodes_frame(G).select("actor_id", "name", "kind", "synthetic", "municipality")
    angle, radius = _unit_pairs(nodes["actor_id"].to_list())
    located = (
        nodes.with_columns(
            pl.Series("_a", angle, dtype=pl.Float64) * (2 * math.pi),
            pl.Series("_r", radius, dtype=pl.Float64).sqrt() * jitter,
        )
        .join(actors.select("actor_id", "lat", "lon"), on="actor_id", how="left")
        .join(
            seats.select(
                "municipality", pl.col("lat").alias("_slat"), pl.col("lon").alias("_slon")
            ),
            on="municipality",
            how="left",
        )
    )
    exact = pl.col("lat").is_not_null() & pl.col("lon").is_not_null()
    placed = (
        pl.when(exact)
        .then(pl.lit("exact"))
        .when(pl.col("_slat").is_not_null())
        .then(pl.lit("municipality seat"))
        .otherwise(None)
    )
    located = located.with_columns(
        placed.alias("placed"),
        pl.when(exact)
        .then(pl.col("lat"))
        .otherwise(pl.col("_slat") + pl.col("_r") * pl.col("_a").sin())
        .alias("lat"),
        pl.when(exact)
        .then(pl.col("lon"))
        .otherwise(pl.col("_slon") + 2 * pl.col("_r") * pl.col("_a").cos())
        .alias("lon"),
    )
    unplaced = int(located["placed"].is_null().sum())
    points = located.filter(pl.col("placed").is_not_null()).select(
        "actor_id",
        pl.col("name").fill_null(pl.col("actor_id")),
        "kind",
        pl.col("synthetic").fill_null(False),
        "lat",
        "lon",
        "placed",
        _rgb_column("kind", KIND_COLORS).alias("color"),
        "municipality",
    )
    where = points.select("actor_id", "name", "lat", "lon")
    edges = edges_frame(G).with_columns(pl.col("kind").fill_null("tie"))
    kinds_palette = palette(sorted(edges["kind"].unique().to_list()), "edge")
    arcs = (
        edges.join(
            where.rename(
                {"actor_id": "actor_a", "name": "from_name", "lat": "from_lat", "lon": "from_lon"}
            ),
            on="actor_a",
        )
        .join(
            where.rename(
                {"actor_id": "actor_b", "name": "to_name", "lat": "to_lat", "lon": "to_lon"}
            ),
            on="actor_b",
        )
        .select(
            "from_name",
            "to_name",
            "from_lat",
            "from_lon",
            "to_lat",
            "to_lon",
            "kind",
            "weight",
            _rgb_column("kind", kinds_palette).alias("color"),
        )
    )
    return GeoLayers(points, arcs, unplaced)


@dataclass
class GeoFlows:
    """Ties between places, one line per pair of places (at most places² lines, never one
    arc per tie), and the places with their actors and the ties inside them."""

    places: pl.DataFrame  # place, lat, lon, actors, inside, label
    flows: pl.DataFrame  # place_a, place_b, a_lat, a_lon, b_lat, b_lon, ties, weight, width


def _place_column() -> pl.Expr:
    """An actor's place: its municipality, else its coordinates to a tenth of a degree."""
    return pl.coalesce(
        pl.col("municipality"),
        pl.format("{}° N, {}° E", pl.col("lat").round(1), pl.col("lon").round(1)),
    ).alias("place")


def geo_flows(G: nx.Graph, points: pl.DataFrame, kinds: Sequence[str] = ()) -> GeoFlows:
    """Aggregate the ties between placed actors into flows between places (width grows with
    the ties), and count the actors and the ties inside each place for its label.

    ``points`` is ``GeoLayers.points``; ``kinds`` keeps ties of these kinds (all when empty).
    Done in polars (10^6 ties in well under a second).

    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")])
    >>> pts = pl.DataFrame({"actor_id": list("abcd"), "municipality": ["X", "X", "Y", "Y"],
    ...     "lat": [63.0, 63.0, 62.0, 62.0], "lon": [14.0, 14.0, 15.0, 15.0]})
    >>> flows = geo_flows(G, pts)
    >>> flows.flows.select("place_a", "place_b", "ties").rows()
    [('X', 'Y', 2)]
    >>> flows.places.select("place", "actors", "inside").rows()
    [('X', 2, 1), ('Y', 2, 1)]
    """
    where = points.select("actor_id", _place_column(), "lat", "lon")
    places = where.group_by("place").agg(
        pl.len().alias("actors"), pl.col("lat").mean(), pl.col("lon").mean()
    )
    edges = edges_frame(G).with_columns(pl.col("kind").fill_null("tie"))
    if kinds:
        edges = edges.filter(pl.col("kind").is_in(list(kinds)))
    ties = (
        edges.join(
            where.select(pl.col("actor_id").alias("actor_a"), pl.col("place").alias("pa")),
            on="actor_a",
        )
        .join(
            where.select(pl.col("actor_id").alias("actor_b"), pl.col("place").alias("pb")),
            on="actor_b",
        )
        .select(
            pl.min_horizontal("pa", "pb").alias("place_a"),
            pl.max_horizontal("pa", "pb").alias("place_b"),
            "weight",
        )
    )
    inside = (
        ties.filter(pl.col("place_a") == pl.col("place_b"))
        .group_by("place_a")
        .agg(pl.len().alias("inside"))
        .rename({"place_a": "place"})
    )
    places = (
        places.join(inside, on="place", how="left")
        .with_columns(pl.col("inside").fill_null(0).cast(pl.Int64), pl.col("actors").cast(pl.Int64))
        .with_columns(pl.format("{} ({})", "place", "actors").alias("label"))
        .sort(["actors", "place"], descending=[True, False])
        .select("place", "lat", "lon", "actors", "inside", "label")
    )
    at = places.select("place", "lat", "lon")
    flows = (
        ties.filter(pl.col("place_a") != pl.col("place_b"))
        .group_by("place_a", "place_b")
        .agg(pl.len().cast(pl.Int64).alias("ties"), pl.col("weight").sum())
        .join(at.rename({"place": "place_a", "lat": "a_lat", "lon": "a_lon"}), on="place_a")
        .join(at.rename({"place": "place_b", "lat": "b_lat", "lon": "b_lon"}), on="place_b")
        .with_columns((1 + pl.col("ties").cast(pl.Float64).sqrt() * 0.8).clip(1, 12).alias("width"))
        .sort(["ties", "place_a", "place_b"], descending=[True, False, False])
        .select("place_a", "place_b", "a_lat", "a_lon", "b_lat", "b_lon", "ties", "weight", "width")
    )
    return GeoFlows(places, flows)


def flow_ties(G: nx.Graph, points: pl.DataFrame, place_a: str, place_b: str) -> pl.DataFrame:
    """The ties of one flow: the two actors' names and the kinds of their tie (for the list a
    click on a flow opens)."""
    where = points.select("actor_id", "name", _place_column())
    edges = edges_frame(G)
    named = (
        edges.join(
            where.rename({"actor_id": "actor_a", "name": "name_a", "place": "pa"}), on="actor_a"
        )
        .join(where.rename({"actor_id": "actor_b", "name": "name_b", "place": "pb"}), on="actor_b")
        .filter(
            ((pl.col("pa") == place_a) & (pl.col("pb") == place_b))
            | ((pl.col("pa") == place_b) & (pl.col("pb") == place_a))
        )
    )
    flipped = pl.col("pa") != place_a
    return named.select(
        pl.when(flipped).then(pl.col("name_b")).otherwise(pl.col("name_a")).alias("name_a"),
        pl.when(flipped).then(pl.col("name_a")).otherwise(pl.col("name_b")).alias("name_b"),
        pl.col("kind").fill_null("tie").alias("kind"),
    ).sort("name_a", "name_b")


class OutlinesError(ValueError):
    """The configured region-outline file cannot be drawn (missing, not GeoJSON, too large)."""


MAX_OUTLINE_MB = 50


def load_outlines(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of region borders, checked enough to draw: a readable file
    under ``MAX_OUTLINE_MB``, valid JSON, a FeatureCollection. Raises ``OutlinesError`` with
    a one-line reason otherwise."""
    import json

    t = translator()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise OutlinesError(
            t.gettext(TEXTS["unreadable"]).format(path=path, reason=exc.strerror)
        ) from exc
    if size > MAX_OUTLINE_MB * 1024 * 1024:
        raise OutlinesError(
            t.gettext(TEXTS["too_large"]).format(
                path=path, size=t.number(size // 2**20), limit=t.number(MAX_OUTLINE_MB)
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutlinesError(t.gettext(TEXTS["not_geojson"]).format(path=path, reason=exc)) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise OutlinesError(t.gettext(TEXTS["not_collection"]).format(path=path))
    return data
