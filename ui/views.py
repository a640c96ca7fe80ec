"""Cached map computations for the pages: level of detail, layout and HTML are computed once per
database state, filter and view, and reused on every rerun (a colour change reuses the layout)."""

from __future__ import annotations

import math
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal

import altair as alt
import polars as pl
import streamlit as st

from graph.analysis.brokerage import brokerage_roles
from graph.analysis.fragility import WhatIf, activities_on_ties, expand_ended_activities
from graph.analysis.fragility import whatif as run_whatif
from graph.analysis.mixing import primary_groups
from graph.analysis.network import load_actors, load_ties
from graph.analysis.partners import (
    CandidateFilter,
    PartnerIndex,
    backtest,
    partner_index,
    suggest_partners,
)
from graph.datasets.bootstrap import municipalities
from graph.present.maps import (
    GeoLayers,
    LevelOfDetail,
    MapOptions,
    ego_graph,
    ego_layout,
    geo_layers,
    layout,
    place_labels,
)
from graph.present.maps import level_of_detail as reduce_graph
from graph.present.maps import network_html as render_network
from ui import state
from ui.state import DbKey

__all__ = [
    "activity_names",
    "arc_legend",
    "brokers",
    "coverage_heatmap",
    "deck_arcs",
    "deck_points",
    "ending_activities",
    "first_support",
    "geo",
    "hop_counts",
    "hops_chart",
    "legend_html",
    "map_view",
    "mixing_heatmap",
    "network_html",
    "partner_backtest",
    "partner_index_for",
    "path_map",
    "suggestions",
    "tie_activities",
    "view_centre",
    "whatif",
    "whatif_metrics",
]


@st.cache_resource(show_spinner="Laying out the map …", max_entries=16)
def map_view(
    key: DbKey,
    filter_json: str,
    budget: int,
    mode: str,
    size_by: str,
    ego: str | None,
    hops: int,
    extra: tuple[str, ...] = (),
) -> tuple[LevelOfDetail, dict[str, tuple[float, float]]]:
    """The graph to draw (ego view or level of detail) and its positions; ``extra`` actors
    (suggested partners) join an ego view."""
    analysis = state.analysis(key, filter_json, "helix", date.today())
    G = analysis.graph
    metrics = analysis.tables["actor_metrics"]
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    if ego and ego in G:
        G = G.subgraph(set(ego_graph(G, ego, hops)) | {v for v in extra if v in G})
    metric = (
        dict(zip(metrics["actor_id"], metrics[size_by], strict=True))
        if size_by in metrics.columns
        else None
    )
    lod = reduce_graph(G, budget=budget, mode=mode, community=community, metric=metric)
    if ego and lod.mode == "all":
        lod.mode = "ego"
        return lod, ego_layout(lod.graph, ego)
    return lod, layout(lod.graph)


@st.cache_data(show_spinner="Drawing the map …", max_entries=32)
def network_html(
    key: DbKey,
    filter_json: str,
    budget: int,
    mode: str,
    size_by: str,
    ego: str | None,
    hops: int,
    options: MapOptions,
) -> tuple[str, dict[str, str], str, str]:
    """(html, legend, level-of-detail mode, note) of the network map."""
    extra = tuple(b for _, b in options.suggested)
    lod, positions = map_view(key, filter_json, budget, mode, size_by, ego, hops, extra)
    analysis = state.analysis(key, filter_json, "helix", date.today())
    metrics = analysis.tables["actor_metrics"]
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    areas = state.table(key, "strength_areas")
    html, legend = render_network(
        lod,
        positions,
        options=options,
        metrics=metrics,
        community=community,
        area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
    )
    return html, legend, lod.mode, lod.note


@st.cache_resource(show_spinner="Placing actors on the map …", max_entries=8)
def geo(key: DbKey, filter_json: str) -> GeoLayers:
    """Points and arcs of the geographic map."""
    G = state.network(key, filter_json)
    actors = state.table(key, "actors").select("actor_id", "lat", "lon")
    return geo_layers(G, actors, municipalities())


def legend_html(legend: dict[str, str]) -> str:
    """The legend as small coloured squares (labels escaped; colours are ours)."""
    from html import escape

    items = "".join(
        f"<span style='display:inline-block;margin:0 12px 4px 0'><span style='display:inline-"
        f"block;width:12px;height:12px;background:{color};border:1px solid #555;margin-right:4px'"
        f"></span>{escape(label)}</span>"
        for label, color in legend.items()
    )
    return f"<div style='font-size:0.85rem'>{items}</div>"


# --- Gaps page -----------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def activity_names(key: DbKey) -> dict[str, str]:
    """Activity id → name (for what-if choices and summaries)."""
    acts = state.table(key, "activities")
    return dict(zip(acts["activity_id"], acts["name"], strict=True))


@st.cache_data(show_spinner=False, max_entries=16)
def tie_activities(key: DbKey, filter_json: str) -> list[str]:
    """The activities that hold ties in the filtered network, by name (the ones that can end)."""
    names = activity_names(key)
    found = activities_on_ties(state.network(key, filter_json))
    return sorted(found, key=lambda a: (str(names.get(a) or a).casefold(), a))


@st.cache_data(show_spinner="Running the what-if …", max_entries=32)
def whatif(
    key: DbKey, filter_json: str, removed: tuple[str, ...], ended: tuple[str, ...]
) -> WhatIf:
    """Before/after of removing actors and ending activities (with their parts that hold ties).

    Raises ``UsageError`` when an actor or activity is not in the filtered network."""
    G = state.network(key, filter_json)
    activities = state.table(key, "activities")
    return run_whatif(
        G, remove=removed, end_activities=expand_ended_activities(G, activities, ended)
    )


def whatif_metrics(
    result: WhatIf,
) -> list[tuple[str, str, str, Literal["normal", "inverse", "off"]]]:
    """``st.metric`` arguments (label with the value before, value after, change, delta colour)
    for parts, largest part, unreached targets and efficiency; "inverse" where more is worse,
    "off" (grey, no arrow's colour) for a change of zero, which is neither good nor bad."""
    return [_neutral_when_zero(m) for m in _whatif_metrics(result)]


def _neutral_when_zero(
    metric: tuple[str, str, str, Literal["normal", "inverse"]],
) -> tuple[str, str, str, Literal["normal", "inverse", "off"]]:
    label, value, delta, colour = metric
    zero = delta.lstrip("+-").strip("0.") == ""
    return (label, value, "no change" if zero else delta, "off" if zero else colour)


def _whatif_metrics(result: WhatIf) -> list[tuple[str, str, str, Literal["normal", "inverse"]]]:
    b, a = result.before, result.after
    return [
        (
            f"Separate parts (was {b.components})",
            str(a.components),
            f"{a.components - b.components:+d}",
            "inverse",
        ),
        (
            f"Largest part (was {b.largest_component})",
            str(a.largest_component),
            f"{a.largest_component - b.largest_component:+d}",
            "normal",
        ),
        (
            f"Unreached targets (was {b.unreached_targets})",
            str(a.unreached_targets),
            f"{a.unreached_targets - b.unreached_targets:+d}",
            "inverse",
        ),
        (
            f"Efficiency (was {b.efficiency:.3f})",
            f"{a.efficiency:.3f}",
            f"{a.efficiency - b.efficiency:+.3f}",
            "normal",
        ),
    ]


@st.cache_data(show_spinner=False, max_entries=16)
def brokers(key: DbKey, filter_json: str, group_by: str, as_of: date) -> pl.DataFrame:
    """Actor metrics with names and Gould–Fernandez brokerage roles, by betweenness."""
    analysis = state.analysis(key, filter_json, "helix", as_of)
    names = state.table(key, "actors").select("actor_id", "name", "kind")
    if group_by == "helix":
        roles = analysis.tables["brokerage"].drop("grouping")
    else:
        metrics = analysis.tables["actor_metrics"]
        community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
        roles = brokerage_roles(analysis.graph, primary_groups(analysis.graph, group_by, community))
    return (
        analysis.tables["actor_metrics"]
        .join(names, on="actor_id", how="left")
        .join(roles, on="actor_id", how="left")
        .select(
            "name",
            "kind",
            "group",
            "betweenness",
            "degree",
            "burt_constraint",
            "effective_size",
            "is_articulation_point",
            "coordinator",
            "itinerant",
            "gatekeeper_representative",
            "liaison",
            "total",
            "actor_id",
        )
        .sort("betweenness", "degree", descending=True)
    )


def hop_counts(support_distance: pl.DataFrame) -> pl.DataFrame:
    """Target actors per distance to support: ``distance`` ("1 hop", …, "unreached"),
    ``order`` (for sorting) and ``actors``."""
    return (
        support_distance.group_by("hops")
        .len("actors")
        .select(
            pl.when(pl.col("hops").is_null())
            .then(pl.lit("unreached"))
            .when(pl.col("hops") == 1)
            .then(pl.lit("1 hop"))
            .otherwise(pl.col("hops").cast(pl.String) + " hops")
            .alias("distance"),
            pl.col("hops").fill_null(10**6).alias("order"),
            "actors",
        )
        .sort("order")
    )


def first_support(support_distance: pl.DataFrame) -> pl.DataFrame:
    """The support actors that clusters and co-working spaces reach first, most reached first."""
    return (
        support_distance.filter(pl.col("kind").is_in(["cluster", "coworking"]) & pl.col("reached"))
        .group_by("nearest_support", "nearest_support_name")
        .agg(
            pl.len().alias("reached_first_by"),
            pl.col("hops").mean().alias("mean_hops"),
            pl.col("name").sort().str.join(", ").alias("clusters_and_coworking"),
        )
        .sort(["reached_first_by", "nearest_support_name"], descending=[True, False])
        .rename({"nearest_support": "support_id", "nearest_support_name": "support_actor"})
    )


def ending_activities(
    ended: pl.DataFrame, at_risk: pl.DataFrame, as_of: date, months: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The activities that ended or end up to ``months`` after ``as_of`` with their tie counts,
    and those ties (the analysis looks further ahead; this narrows its window exactly)."""
    until = pl.lit(as_of).dt.offset_by(f"{months}mo")
    ties = at_risk.filter(pl.col("end_date") <= until)
    counts = ties.group_by("activity_id").agg(
        pl.len().alias("ties"), pl.col("at_risk").sum().alias("ties_at_risk")
    )
    acts = (
        ended.filter(pl.col("end_date") <= until)
        .join(counts, on="activity_id", how="left")
        .with_columns(pl.col("ties", "ties_at_risk").fill_null(0))
        .sort("end_date", "activity_id")
    )
    return acts, ties


def mixing_heatmap(matrix: pl.DataFrame, label: str) -> alt.LayerChart:
    """Observed/expected ties between groups as a heatmap: each cell reads "observed /
    expected", coloured red below 1 (fewer ties than random networks give) and blue above,
    the colour scale stopping at 0 and 2 so one huge ratio does not wash out the rest. Pairs
    with too few expected ties to judge are grey; significant ones are outlined."""
    matrix = matrix.with_columns(
        (
            pl.col("observed").round(0).cast(pl.Int64).cast(pl.String)
            + " / "
            + pl.col("expected").round(1).cast(pl.String)
        ).alias("cell"),
        pl.col("verdict").str.replace_all("_", " ").alias("verdict"),
    )
    base = alt.Chart(matrix).encode(
        x=alt.X(
            "group_b:N",
            title=label,
            axis=alt.Axis(labelAngle=-45, labelLimit=160, labelOverlap=False),
        ),
        y=alt.Y("group_a:N", title=label, axis=alt.Axis(labelLimit=160)),
    )
    tooltip = [
        alt.Tooltip("group_a:N", title="group"),
        alt.Tooltip("group_b:N", title="with"),
        alt.Tooltip("observed:Q", format=".1f"),
        alt.Tooltip("expected:Q", format=".1f", title="expected (random networks)"),
        alt.Tooltip("ci_low:Q", format=".0f", title="90 % of random networks from"),
        alt.Tooltip("ci_high:Q", format=".0f", title="to"),
        alt.Tooltip("ratio:Q", format=".2f"),
        alt.Tooltip("q_value:Q", format=".3f"),
        alt.Tooltip("verdict:N"),
    ]
    judged = alt.datum.verdict != "too few to judge"
    cells = base.mark_rect().encode(
        color=alt.condition(
            judged,
            alt.Color(
                "ratio:Q",
                title="observed / expected",
                scale=alt.Scale(scheme="redblue", domain=[0, 2], domainMid=1, clamp=True),
            ),
            alt.value("#d9d9d9"),
        ),
        stroke=alt.condition(
            (alt.datum.verdict == "gap") | (alt.datum.verdict == "more than expected"),
            alt.value("black"),
            alt.value(None),
        ),
        strokeWidth=alt.value(2),
        tooltip=tooltip,
    )
    dark = judged & ((alt.datum.ratio < 0.4) | (alt.datum.ratio > 1.6))
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("cell:N"),
        color=alt.condition(dark, alt.value("white"), alt.value("black")),
        tooltip=tooltip,
    )
    return (cells + text).properties(height=alt.Step(26), width=alt.Step(64))


def hops_chart(counts: pl.DataFrame) -> alt.Chart:
    """A bar per distance to support (``hop_counts``)."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("distance:N", sort=alt.SortField("order"), title="distance to nearest support"),
            y=alt.Y("actors:Q", title="target actors"),
            color=alt.condition(
                alt.datum.distance == "unreached", alt.value("#d62728"), alt.value("#1f77b4")
            ),
            tooltip=["distance:N", "actors:Q"],
        )
    )


def coverage_heatmap(coverage: pl.DataFrame, measure: str, label: str) -> alt.LayerChart:
    """Actors or ties per strength area × helix (or kind), with both counts in the tooltip."""
    base = alt.Chart(coverage).encode(
        x=alt.X("value:N", title=label, axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("area_name:N", title="strength area"),
        tooltip=["area_name:N", alt.Tooltip("value:N", title=label), "actors:Q", "ties:Q"],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", scale=alt.Scale(scheme="blues"), title=measure)
    )
    text = base.mark_text(fontSize=10).encode(text=alt.Text(f"{measure}:Q"))
    return (cells + text).properties(height=alt.Step(28))


# --- Geographic map ------------------------------------------------------------------------------

JAMTLAND = (63.2, 14.6, 6.0)  # lat, lon, zoom shown when nothing can be placed


MAX_POINTS = 25_000  # beyond this the page is slow to send and the map a blur
MAX_PLACES = 300  # Sweden has 290 municipalities


@st.cache_data(show_spinner=False, max_entries=8)
def deck_points(key: DbKey, filter_json: str) -> tuple[list[dict[str, object]], int]:
    """Scatterplot rows (the ``MAX_POINTS`` best-connected actors at most) and how many actors
    could be placed: position, colour (synthetic actors paler) and the tooltip's text fields
    ``name`` and ``kind`` (deck.gl shows them as plain text)."""
    points = geo(key, filter_json).points
    total = points.height
    if total > MAX_POINTS:
        degree = dict(state.network(key, filter_json).degree())
        points = (
            points.with_columns(pl.col("actor_id").replace_strict(degree, default=0).alias("_d"))
            .sort("_d", descending=True)
            .head(MAX_POINTS)
        )
    rows = points.select(
        "name",
        "lat",
        "lon",
        pl.concat_str(
            pl.col("kind").fill_null("unknown kind"),
            pl.when(pl.col("synthetic"))
            .then(pl.lit(" · synthetic demo data"))
            .otherwise(pl.lit("")),
            pl.when(pl.col("placed") == "exact")
            .then(pl.lit(""))
            .otherwise(pl.lit(" · at its municipality's seat")),
        ).alias("kind"),
        pl.concat_list("color", pl.when(pl.col("synthetic")).then(110).otherwise(230)).alias(
            "color"
        ),
    )
    return rows.to_dicts(), total


MAX_ARCS = 5000  # more arcs than this make the page slow and the map unreadable


@st.cache_data(show_spinner=False, max_entries=16)
def deck_arcs(
    key: DbKey, filter_json: str, kinds: tuple[str, ...] = ()
) -> tuple[list[dict[str, object]], int]:
    """Arc rows of the chosen tie kinds (all when empty), the ``MAX_ARCS`` heaviest at most,
    and how many there were: positions, colour, a width that grows with the weight, and the
    tooltip's ``name`` (the pair) and ``kind``."""
    arcs = geo(key, filter_json).arcs
    chosen = arcs.filter(pl.col("kind").is_in(list(kinds))) if kinds else arcs
    total = chosen.height
    rows = (
        chosen.sort("weight", descending=True)
        .head(MAX_ARCS)
        .select(
            "from_lat",
            "from_lon",
            "to_lat",
            "to_lon",
            (pl.col("from_name") + " ↔ " + pl.col("to_name")).alias("name"),
            (pl.col("kind") + " · weight " + pl.col("weight").round(1).cast(pl.String)).alias(
                "kind"
            ),
            pl.col("weight").sqrt().clip(1, 8).alias("width"),
            pl.concat_list("color", pl.lit(120)).alias("color"),
        )
    )
    return rows.to_dicts(), total


@st.cache_data(show_spinner=False, max_entries=8)
def deck_places(key: DbKey, filter_json: str) -> list[dict[str, object]]:
    """Text-layer rows: each municipality with actors on the map, at its seat (at most
    ``MAX_PLACES``, those with the most actors)."""
    labels = place_labels(geo(key, filter_json).points, municipalities())
    return labels.head(MAX_PLACES).select("label", "lat", "lon").to_dicts()


def view_centre(points: pl.DataFrame) -> tuple[float, float, float]:
    """Latitude and longitude of the points' mean, and a zoom that fits the middle 90 % of them
    into a map about 800 × 600 pixels (a few far-away partners do not shrink the region to a
    dot). Jämtland when there are no points."""
    if points.height == 0:
        return JAMTLAND
    lat, lon = float(points["lat"].mean()), float(points["lon"].mean())  # type: ignore[arg-type]
    box = points.select(
        *(pl.col(c).quantile(q).alias(f"{c}{q}") for c in ("lat", "lon") for q in (0.05, 0.95))
    ).row(0)
    lat_span, lon_span = max(box[1] - box[0], 0.05), max(box[3] - box[2], 0.05)
    # a 512-pixel tile spans 360 / 2^zoom degrees of longitude; Mercator stretches latitude
    stretch = 1 / max(math.cos(math.radians(lat)), 0.1)
    zoom = (
        min(
            math.log2(360 * 600 / 512 / (lat_span * stretch)), math.log2(360 * 800 / 512 / lon_span)
        )
        - 0.3
    )
    return lat, lon, min(11.0, max(3.0, zoom))


def arc_legend(arcs: pl.DataFrame) -> dict[str, str]:
    """Tie kind → the hex colour its arcs are drawn in."""
    pairs = arcs.select("kind", "color").unique("kind").sort("kind").iter_rows()
    return {kind: "#{:02x}{:02x}{:02x}".format(*color) for kind, color in pairs}


@st.cache_resource(show_spinner="Preparing the partner finder …", max_entries=4)
def partner_index_for(key: DbKey, filter_json: str) -> PartnerIndex:
    """The scoring index of the filtered network (built once, reused for every actor)."""
    return partner_index(state.network(key, filter_json))


@st.cache_data(show_spinner="Finding partners …", max_entries=64)
def suggestions(
    key: DbKey, filter_json: str, actor_id: str, top: int, candidates: CandidateFilter
) -> pl.DataFrame:
    """Ranked, explained partner suggestions for one actor."""
    areas = state.table(key, "strength_areas")
    return suggest_partners(
        state.network(key, filter_json),
        actor_id,
        top=top,
        candidates=candidates,
        area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
        index=partner_index_for(key, filter_json),
    )


@st.cache_data(show_spinner="Running the backtest …", max_entries=8)
def partner_backtest(key: DbKey, filter_json: str, k: int, seed: int) -> pl.DataFrame:
    """Precision@k, recall@k and MRR of the blend and the baselines (hide the newest ties)."""
    flt = state._filter_from_json(filter_json)
    with state.reading(Path(key.path)) as con:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
    result = backtest(actors, ties, k=k, seed=seed, max_queries=300)
    return result.to_frame().with_columns(pl.lit(str(result.split)).alias("split"))


@st.cache_data(show_spinner="Drawing the introduction paths …", max_entries=32)
def path_map(
    key: DbKey,
    filter_json: str,
    actor_id: str,
    paths: tuple[tuple[str, ...], ...],
    suggested: tuple[str, ...],
) -> str:
    """A small map of the actor, its suggestions and the chains of ties that introduce them."""
    G = state.network(key, filter_json)
    nodes = {actor_id, *suggested, *(v for p in paths for v in p)}
    H = G.subgraph(nodes).copy()
    path_edges = {frozenset(e) for p in paths for e in pairwise(p)}
    H.remove_edges_from([(u, v) for u, v in H.edges() if frozenset((u, v)) not in path_edges])
    lod = LevelOfDetail(H, "ego")
    options = MapOptions(
        color_by="kind",
        size_by=None,
        highlight=(actor_id,),
        height_px=420,
        suggested=tuple((actor_id, s) for s in suggested),
    )
    html, _ = render_network(lod, layout(H), options=options)
    return html
