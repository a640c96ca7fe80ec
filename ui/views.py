"""Cached map computations for the pages: level of detail, layout and HTML are computed once per
database state, filter and view, and reused on every rerun (a colour change reuses the layout)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

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
from graph.i18n import N_, NC_, Translator, display_name, sort_key, translator, use_language
from graph.i18n.formatting import number_symbols
from graph.present.maps import (
    KIND_COLORS,
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
from ui.language import ui_translator
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
    "tie_kind_label",
    "view_centre",
    "whatif",
    "whatif_metrics",
]


# What a spinner says while a cached result is computed for the first time.
SPINNER_TEXTS = {
    "layout": N_("Laying out the map …"),
    "draw": N_("Drawing the map …"),
    "place": N_("Placing actors on the map …"),
    "whatif": N_("Running the what-if …"),
    "partner_index": N_("Preparing the partner finder …"),
    "partners": N_("Finding partners …"),
    "backtest": N_("Running the backtest …"),
    "paths": N_("Drawing the introduction paths …"),
}
# The what-if's figures, the charts' titles and the geographic map's tooltips.
TEXTS = {
    "parts": N_("Separate parts (was {n})"),
    "largest": N_("Largest part (was {n})"),
    "unreached_targets": N_("Unreached targets (was {n})"),
    "efficiency": N_("Efficiency (was {n})"),
    "no_change": N_("no change"),
    "unreached": N_("unreached"),
    "one_hop": N_("1 hop"),
    "hops": N_("{n} hops"),
    "group": NC_("chart", "group"),
    "with": NC_("chart", "with"),
    "observed": NC_("chart", "observed"),
    "expected": N_("expected (random networks)"),
    "ci_low": N_("90 % of random networks from"),
    "ci_high": NC_("chart", "to"),
    "ratio": NC_("chart", "ratio"),
    "q_value": NC_("chart", "q"),
    "verdict": NC_("chart", "verdict"),
    "ratio_title": N_("observed / expected"),
    "distance": N_("distance to nearest support"),
    "target_actors": N_("target actors"),
    "actors": NC_("chart", "actors"),
    "ties": NC_("chart", "ties"),
    "strength_area": NC_("chart", "strength area"),
    "unknown_kind": N_("unknown kind"),
    "synthetic": N_(" · synthetic demo data"),
    "at_seat": N_(" · at its municipality's seat"),
    "weight": N_("{kind} · weight {weight}"),
    "tie": NC_("tie kind", "tie"),
}
# A pair of groups' verdict as the mixing chart's tooltip says it (the data keeps its value).
VERDICT_TEXTS = {
    "gap": NC_("verdict", "gap"),
    "more_than_expected": NC_("verdict", "more than expected"),
    "as_expected": NC_("verdict", "as expected"),
    "too_few_to_judge": NC_("verdict", "too few to judge"),
}
# Axis titles a page passes in (a dimension or a measure); others are shown as they are.
AXIS_TEXTS = {
    "kind": NC_("chart", "kind"),
    "helix": NC_("chart", "helix"),
    "actors": NC_("chart", "actors"),
    "ties": NC_("chart", "ties"),
}

P = ParamSpec("P")
R = TypeVar("R")


def _spinning(message: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Show ``message`` in the session's language while the wrapped (cached) function runs
    (Streamlit shows a spinner only after half a second, so a cache hit shows none)."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with st.spinner(ui_translator().gettext(message)):
                return func(*args, **kwargs)

        return run

    return wrap


def _axis(t: Translator, label: str) -> str:
    """A dimension's or a measure's name as an axis title in the translator's language."""
    return t.pgettext("chart", AXIS_TEXTS[label]) if label in AXIS_TEXTS else label


def tie_kind_label(kind: str, lang: str | None = None) -> str:
    """A tie's kind (a relation's or an activity's kind) as a sentence names it, in ``lang``:
    "membership", "learning lab"; "tie" when it has none."""
    for vocabulary in ("relation_kind", "activity_kind"):
        name = display_name(vocabulary, kind, lang)
        if name != kind:
            return name[:1].lower() + name[1:]
    if kind == "tie":
        return translator(lang).pgettext("tie kind", TEXTS["tie"])
    return kind.replace("_", " ")


def map_view(
    key: DbKey,
    filter_json: str,
    budget: int,
    mode: str,
    size_by: str,
    ego: str | None,
    hops: int,
    extra: tuple[str, ...] = (),
    lang: str | None = None,
) -> tuple[LevelOfDetail, dict[str, tuple[float, float]]]:
    """The graph to draw (ego view or level of detail) and its positions; ``extra`` actors
    (suggested partners) join an ego view; the note in ``lang`` (None: the session's)."""
    language = lang or ui_translator().lang
    with st.spinner(translator(language).gettext(SPINNER_TEXTS["layout"])):
        return _map_view(key, filter_json, budget, mode, size_by, ego, hops, extra, language)


@st.cache_resource(show_spinner=False, max_entries=16)
def _map_view(
    key: DbKey,
    filter_json: str,
    budget: int,
    mode: str,
    size_by: str,
    ego: str | None,
    hops: int,
    extra: tuple[str, ...],
    lang: str,
) -> tuple[LevelOfDetail, dict[str, tuple[float, float]]]:
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
    with use_language(lang):  # the level of detail's note
        lod = reduce_graph(G, budget=budget, mode=mode, community=community, metric=metric)
    if ego and lod.mode == "all":
        lod.mode = "ego"
        return lod, ego_layout(lod.graph, ego)
    return lod, layout(lod.graph)


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
    """(html, legend, level-of-detail mode, note) of the network map, in the session's
    language (the page's lang attribute, tooltips, legend and note)."""
    t = ui_translator()
    with st.spinner(t.gettext(SPINNER_TEXTS["draw"])):
        return _network_html(key, filter_json, budget, mode, size_by, ego, hops, options, t.lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _network_html(
    key: DbKey,
    filter_json: str,
    budget: int,
    mode: str,
    size_by: str,
    ego: str | None,
    hops: int,
    options: MapOptions,
    lang: str,
) -> tuple[str, dict[str, str], str, str]:
    extra = tuple(b for _, b in options.suggested)
    lod, positions = map_view(key, filter_json, budget, mode, size_by, ego, hops, extra, lang)
    analysis = state.analysis(key, filter_json, "helix", date.today())
    metrics = analysis.tables["actor_metrics"]
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    areas = state.table(key, "strength_areas")
    with use_language(lang):
        html, legend = render_network(
            lod,
            positions,
            options=options,
            metrics=metrics,
            community=community,
            area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
        )
    return html, legend, lod.mode, lod.note


@_spinning(SPINNER_TEXTS["place"])
@st.cache_resource(show_spinner=False, max_entries=8)
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


def tie_activities(key: DbKey, filter_json: str) -> list[str]:
    """The activities that hold ties in the filtered network, by name as the session's
    language sorts (the ones that can end)."""
    return _tie_activities(key, filter_json, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _tie_activities(key: DbKey, filter_json: str, lang: str) -> list[str]:
    names = activity_names(key)
    found = activities_on_ties(state.network(key, filter_json))
    by_name = sort_key(lang)
    return sorted(found, key=lambda a: (by_name(str(names.get(a) or a)), a))


@_spinning(SPINNER_TEXTS["whatif"])
def whatif(
    key: DbKey, filter_json: str, removed: tuple[str, ...], ended: tuple[str, ...]
) -> WhatIf:
    """Before/after of removing actors and ending activities (with their parts that hold ties),
    its words in the session's language.

    Raises ``UsageError`` when an actor or activity is not in the filtered network."""
    return _whatif(key, filter_json, removed, ended, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _whatif(
    key: DbKey, filter_json: str, removed: tuple[str, ...], ended: tuple[str, ...], lang: str
) -> WhatIf:
    G = state.network(key, filter_json)
    activities = state.table(key, "activities")
    with use_language(lang):
        return run_whatif(
            G, remove=removed, end_activities=expand_ended_activities(G, activities, ended)
        )


def whatif_metrics(
    result: WhatIf, lang: str | None = None
) -> list[tuple[str, str, str, Literal["normal", "inverse", "off"]]]:
    """``st.metric`` arguments (label with the value before, value after, change, delta colour)
    for parts, largest part, unreached targets and efficiency, in ``lang`` (None: the language
    in force); "inverse" where more is worse, "off" (grey, no arrow's colour) for a change of
    zero, which is neither good nor bad."""
    t = translator(lang)
    return [_neutral_when_zero(m, t) for m in _whatif_metrics(result, t)]


def _neutral_when_zero(
    metric: tuple[str, str, str, Literal["normal", "inverse"]], t: Translator
) -> tuple[str, str, str, Literal["normal", "inverse", "off"]]:
    label, value, delta, colour = metric
    zero = delta.lstrip("+-").strip("0.,") == ""
    return (
        label,
        value,
        t.gettext(TEXTS["no_change"]) if zero else delta,
        "off" if zero else colour,
    )


def _signed(t: Translator, change: float, decimals: int = 0) -> str:
    """A change with its sign, as the language writes numbers ("+0,012"); a hyphen for minus,
    which ``st.metric`` reads as a fall."""
    return ("-" if change < 0 else "+") + t.number(abs(change), decimals)


def _whatif_metrics(
    result: WhatIf, t: Translator
) -> list[tuple[str, str, str, Literal["normal", "inverse"]]]:
    b, a = result.before, result.after
    return [
        (
            t.gettext(TEXTS["parts"]).format(n=t.number(b.components)),
            t.number(a.components),
            _signed(t, a.components - b.components),
            "inverse",
        ),
        (
            t.gettext(TEXTS["largest"]).format(n=t.number(b.largest_component)),
            t.number(a.largest_component),
            _signed(t, a.largest_component - b.largest_component),
            "normal",
        ),
        (
            t.gettext(TEXTS["unreached_targets"]).format(n=t.number(b.unreached_targets)),
            t.number(a.unreached_targets),
            _signed(t, a.unreached_targets - b.unreached_targets),
            "inverse",
        ),
        (
            t.gettext(TEXTS["efficiency"]).format(n=t.number(b.efficiency, 3)),
            t.number(a.efficiency, 3),
            _signed(t, a.efficiency - b.efficiency, 3),
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


UNREACHED_ORDER = 10**6  # the unreached sort after every distance


def hop_counts(support_distance: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Target actors per distance to support: ``distance`` ("1 hop", …, "unreached", in
    ``lang``; None: the language in force), ``order`` (for sorting; unreached last) and
    ``actors``."""
    t = translator(lang)
    before, _, after = t.gettext(TEXTS["hops"]).partition("{n}")
    return (
        support_distance.group_by("hops")
        .len("actors")
        .select(
            pl.when(pl.col("hops").is_null())
            .then(pl.lit(t.gettext(TEXTS["unreached"])))
            .when(pl.col("hops") == 1)
            .then(pl.lit(t.gettext(TEXTS["one_hop"])))
            .otherwise(pl.lit(before) + pl.col("hops").cast(pl.String) + pl.lit(after))
            .alias("distance"),
            pl.col("hops").fill_null(UNREACHED_ORDER).alias("order"),
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


def mixing_heatmap(matrix: pl.DataFrame, label: str, lang: str | None = None) -> alt.LayerChart:
    """Observed/expected ties between groups as a heatmap: each cell reads "observed /
    expected", coloured red below 1 (fewer ties than random networks give) and blue above,
    the colour scale stopping at 0 and 2 so one huge ratio does not wash out the rest. Pairs
    with too few expected ties to judge are grey; significant ones are outlined. Titles and
    verdicts in ``lang`` (None: the language in force)."""
    t = translator(lang)
    verdicts = {v: t.pgettext("verdict", text) for v, text in VERDICT_TEXTS.items()}
    decimal = t.number(0.5, 1)[1:2]  # the language's decimal separator
    matrix = matrix.with_columns(
        (
            pl.col("observed").round(0).cast(pl.Int64).cast(pl.String)
            + " / "
            + pl.col("expected").round(1).cast(pl.String).str.replace(".", decimal, literal=True)
        ).alias("cell"),
        pl.col("verdict")
        .replace_strict(verdicts, default=pl.col("verdict").str.replace_all("_", " "))
        .alias("verdict_text"),
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

    def chart(name: str) -> str:
        return t.pgettext("chart", TEXTS[name])

    tooltip = [
        alt.Tooltip("group_a:N", title=chart("group")),
        alt.Tooltip("group_b:N", title=chart("with")),
        alt.Tooltip("observed:Q", format=".1f", title=chart("observed")),
        alt.Tooltip("expected:Q", format=".1f", title=t.gettext(TEXTS["expected"])),
        alt.Tooltip("ci_low:Q", format=".0f", title=t.gettext(TEXTS["ci_low"])),
        alt.Tooltip("ci_high:Q", format=".0f", title=chart("ci_high")),
        alt.Tooltip("ratio:Q", format=".2f", title=chart("ratio")),
        alt.Tooltip("q_value:Q", format=".3f", title=chart("q_value")),
        alt.Tooltip("verdict_text:N", title=chart("verdict")),
    ]
    judged = alt.datum.verdict != "too few to judge"
    cells = base.mark_rect().encode(
        color=alt.condition(
            judged,
            alt.Color(
                "ratio:Q",
                title=t.gettext(TEXTS["ratio_title"]),
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


def hops_chart(counts: pl.DataFrame, lang: str | None = None) -> alt.Chart:
    """A bar per distance to support (``hop_counts``), titles in ``lang`` (None: the language
    in force); the unreached (``order`` beyond every distance) in red."""
    t = translator(lang)
    distance, actors = t.gettext(TEXTS["distance"]), t.gettext(TEXTS["target_actors"])
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("distance:N", sort=alt.SortField("order"), title=distance),
            y=alt.Y("actors:Q", title=actors),
            color=alt.condition(
                alt.datum.order >= UNREACHED_ORDER, alt.value("#d62728"), alt.value("#1f77b4")
            ),
            tooltip=[
                alt.Tooltip("distance:N", title=distance),
                alt.Tooltip("actors:Q", title=actors),
            ],
        )
    )


def coverage_heatmap(
    coverage: pl.DataFrame, measure: str, label: str, lang: str | None = None
) -> alt.LayerChart:
    """Actors or ties per strength area × helix (or kind), with both counts in the tooltip;
    titles in ``lang`` (None: the language in force), helices and kinds by their names."""
    t = translator(lang)
    title, area = _axis(t, label), t.pgettext("chart", TEXTS["strength_area"])
    if label in ("kind", "helix") and "value" in coverage.columns:
        vocabulary = "actor_kind" if label == "kind" else "helix"
        coverage = coverage.with_columns(
            pl.col("value").map_elements(
                lambda v: display_name(vocabulary, v, t.lang), return_dtype=pl.String
            )
        )
    base = alt.Chart(coverage).encode(
        x=alt.X("value:N", title=title, axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("area_name:N", title=area),
        tooltip=[
            alt.Tooltip("area_name:N", title=area),
            alt.Tooltip("value:N", title=title),
            alt.Tooltip("actors:Q", title=_axis(t, "actors")),
            alt.Tooltip("ties:Q", title=_axis(t, "ties")),
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", scale=alt.Scale(scheme="blues"), title=_axis(t, measure))
    )
    text = base.mark_text(fontSize=10).encode(text=alt.Text(f"{measure}:Q"))
    return (cells + text).properties(height=alt.Step(28))


# --- Geographic map ------------------------------------------------------------------------------

JAMTLAND = (63.2, 14.6, 6.0)  # lat, lon, zoom shown when nothing can be placed


MAX_POINTS = 25_000  # beyond this the page is slow to send and the map a blur
MAX_PLACES = 300  # Sweden has 290 municipalities


def deck_points(key: DbKey, filter_json: str) -> tuple[list[dict[str, object]], int]:
    """Scatterplot rows (the ``MAX_POINTS`` best-connected actors at most) and how many actors
    could be placed: position, colour (synthetic actors paler) and the tooltip's text fields
    ``name`` and ``kind`` (deck.gl shows them as plain text), in the session's language."""
    return _deck_points(key, filter_json, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _deck_points(key: DbKey, filter_json: str, lang: str) -> tuple[list[dict[str, object]], int]:
    t = translator(lang)
    kind_names = {k: display_name("actor_kind", k, lang) for k in KIND_COLORS}
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
            pl.col("kind")
            .replace_strict(kind_names, default=pl.col("kind"))
            .fill_null(t.gettext(TEXTS["unknown_kind"])),
            pl.when(pl.col("synthetic"))
            .then(pl.lit(t.gettext(TEXTS["synthetic"])))
            .otherwise(pl.lit("")),
            pl.when(pl.col("placed") == "exact")
            .then(pl.lit(""))
            .otherwise(pl.lit(t.gettext(TEXTS["at_seat"]))),
        ).alias("kind"),
        pl.concat_list("color", pl.when(pl.col("synthetic")).then(110).otherwise(230)).alias(
            "color"
        ),
    )
    return rows.to_dicts(), total


MAX_ARCS = 5000  # more arcs than this make the page slow and the map unreadable


def deck_arcs(
    key: DbKey, filter_json: str, kinds: tuple[str, ...] = ()
) -> tuple[list[dict[str, object]], int]:
    """Arc rows of the chosen tie kinds (all when empty), the ``MAX_ARCS`` heaviest at most,
    and how many there were: positions, colour, a width that grows with the weight, and the
    tooltip's ``name`` (the pair) and ``kind``, in the session's language."""
    return _deck_arcs(key, filter_json, kinds, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _deck_arcs(
    key: DbKey, filter_json: str, kinds: tuple[str, ...], lang: str
) -> tuple[list[dict[str, object]], int]:
    t = translator(lang)
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
            "kind",
            "weight",
            pl.col("weight").sqrt().clip(1, 8).alias("width"),
            pl.concat_list("color", pl.lit(120)).alias("color"),
        )
        .to_dicts()
    )
    text = t.gettext(TEXTS["weight"])
    for row in rows:
        weight = t.number(float(row.pop("weight")), 1)  # type: ignore[arg-type]
        row["kind"] = text.format(kind=tie_kind_label(str(row["kind"]), lang), weight=weight)
    return rows, total


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


@_spinning(SPINNER_TEXTS["partner_index"])
@st.cache_resource(show_spinner=False, max_entries=4)
def partner_index_for(key: DbKey, filter_json: str) -> PartnerIndex:
    """The scoring index of the filtered network (built once, reused for every actor)."""
    return partner_index(state.network(key, filter_json))


@_spinning(SPINNER_TEXTS["partners"])
def suggestions(
    key: DbKey, filter_json: str, actor_id: str, top: int, candidates: CandidateFilter
) -> pl.DataFrame:
    """Ranked, explained partner suggestions for one actor (explained in the session's
    language)."""
    return _suggestions(key, filter_json, actor_id, top, candidates, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _suggestions(
    key: DbKey, filter_json: str, actor_id: str, top: int, candidates: CandidateFilter, lang: str
) -> pl.DataFrame:
    areas = state.table(key, "strength_areas")
    index = partner_index_for(key, filter_json)
    with use_language(lang):
        return suggest_partners(
            state.network(key, filter_json),
            actor_id,
            top=top,
            candidates=candidates,
            area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
            index=index,
        )


@_spinning(SPINNER_TEXTS["backtest"])
@st.cache_data(show_spinner=False, max_entries=8)
def partner_backtest(key: DbKey, filter_json: str, k: int, seed: int) -> pl.DataFrame:
    """Precision@k, recall@k and MRR of the blend and the baselines (hide the newest ties)."""
    flt = state._filter_from_json(filter_json)
    with state.reading(Path(key.path)) as con:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
    result = backtest(actors, ties, k=k, seed=seed, max_queries=300)
    return result.to_frame().with_columns(pl.lit(str(result.split)).alias("split"))


@_spinning(SPINNER_TEXTS["paths"])
def path_map(
    key: DbKey,
    filter_json: str,
    actor_id: str,
    paths: tuple[tuple[str, ...], ...],
    suggested: tuple[str, ...],
) -> str:
    """A small map of the actor, its suggestions and the chains of ties that introduce them,
    its tooltips in the session's language."""
    return _path_map(key, filter_json, actor_id, paths, suggested, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _path_map(
    key: DbKey,
    filter_json: str,
    actor_id: str,
    paths: tuple[tuple[str, ...], ...],
    suggested: tuple[str, ...],
    lang: str,
) -> str:
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
    with use_language(lang):
        html, _ = render_network(lod, layout(H), options=options)
    return html


def number_locale(lang: str | None = None) -> dict[str, object]:
    """How ``lang`` writes numbers, as Vega's number locale (d3-format; Swedish ``1 234,5``,
    ``−0,3``)."""
    marks = number_symbols(translator(lang).lang)
    return {
        "decimal": marks["decimal"],
        "thousands": marks["group"],
        "grouping": [3],
        "currency": ["", ""],
        "minus": marks["minus"],
    }


def localised(chart: alt.Chart, lang: str | None = None) -> alt.Chart:
    """``chart`` with its axes' and tooltips' numbers written as ``lang`` writes them (Vega
    formats numbers in English unless its spec names a locale)."""
    shown = chart.copy()
    config = shown.config if isinstance(shown.config, alt.Config) else alt.Config()
    config.locale = alt.Locale(number=alt.NumberLocale(**number_locale(lang)))  # type: ignore[arg-type]
    shown.config = config
    return shown


def bar_chart(
    frame: pl.DataFrame,
    name: str,
    value: str,
    *,
    title: str,
    color: str | None = None,
    lang: str | None = None,
) -> alt.Chart:
    """Horizontal bars of ``value`` per ``name`` in the frame's order (stacked by ``color``),
    numbers in ``lang``'s way."""
    encoding: dict[str, object] = {
        "y": alt.Y(f"{name}:N", sort=None, title=None),
        "x": alt.X(f"{value}:Q", title=title, stack="zero" if color else None),
        "tooltip": [alt.Tooltip(f"{name}:N", title=None), alt.Tooltip(f"{value}:Q", title=title)],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None, legend=alt.Legend(orient="top"))
    return localised(alt.Chart(frame).mark_bar().encode(**encoding), lang)  # type: ignore[arg-type]


def series_chart(frame: pl.DataFrame, x: str, lang: str | None = None) -> alt.Chart:
    """One line per value column of ``frame`` over ``x`` (the columns' names are the series'
    names); the data long, as ``year, series, value``; numbers in ``lang``'s way."""
    long = frame.unpivot(index=x, variable_name="series", value_name="value")
    return localised(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=["series:N", f"{x}:O", "value:Q"],
        ),
        lang,
    )
