"""Network map: who works with whom, coloured and sized by what matters, with level of detail."""

from __future__ import annotations

from datetime import date

import streamlit as st

from graph.analysis.partners import CandidateFilter
from graph.i18n import N_, NC_
from graph.present.columns import label_of
from graph.present.maps import COLOR_BY, MapOptions, annotate_map
from ui import pickers, present, state, views
from ui.language import ui_translator

TEXTS = {
    "title": N_("Network map"),
    "no_actors": N_("No actors match the current filter (or the database is empty)."),
    "color_by": N_("Colour by"),
    "size_by": N_("Size by"),
    "budget": N_("Node budget"),
    "budget_help": N_("Above this many actors the map shows a reduced view."),
    "lod": N_("Above the budget show"),
    "communities": N_("communities as super-nodes"),
    "top": N_("the top actors by {metric}"),
    "ego": N_("Search an actor (ego view)"),
    "whole": N_("— whole network —"),
    "hops": N_("Hops"),
    "cut": N_("Mark cut points"),
    "cut_help": N_(
        "Actors whose leaving splits the network: drawn as diamonds with a dark border."
    ),
    "suggest": N_("Show suggested partners of the chosen actor (thick dashed lines)"),
    "key": N_(
        "Size: number of ties. Diamonds with a dark border: single points of failure. "
        "Dashed borders: synthetic demo actors. Hover a node for its details; scroll to zoom, "
        "drag to pan."
    ),
    "ego_key": N_(
        "The chosen actor is in the centre, ringed; its partners on the first ring, their "
        "partners on the next. Suggested partners: thick dashed vermillion lines."
    ),
    "download_html": N_("Download this map (standalone HTML)"),
    "download_svg": N_("Download a picture for slides (SVG)"),
    "svg_help": N_(
        "The whole filtered network as a static picture with title, legend, filter and date."
    ),
}
# What the map can be coloured by, as the picker says it.
COLOR_LABELS = {
    "kind": NC_("colour by", "kind"),
    "helix": NC_("colour by", "helix"),
    "community": NC_("colour by", "community"),
    "area": NC_("colour by", "strength area"),
}

SIZE_BY = ["degree", "weighted_degree", "betweenness", "pagerank", "closeness"]

t = ui_translator()
key = state.db_key()
flt = state.current_filter()
st.title(t.gettext(TEXTS["title"]))
analysis = state.analysis(key, flt.to_json(), "helix", date.today())
G = analysis.graph
if G.number_of_nodes() == 0:
    st.info(t.gettext(TEXTS["no_actors"]))
    st.stop()

c1, c2, c3, c4 = st.columns(4)
color_by = c1.selectbox(
    t.gettext(TEXTS["color_by"]),
    COLOR_BY,
    key="map_color",
    format_func=lambda c: t.pgettext("colour by", COLOR_LABELS[c]) if c in COLOR_LABELS else c,
)
size_by = c2.selectbox(
    t.gettext(TEXTS["size_by"]), SIZE_BY, key="map_size", format_func=lambda c: label_of(c, t.lang)
)
budget = int(
    c3.number_input(
        t.gettext(TEXTS["budget"]),
        50,
        5000,
        800,
        step=50,
        key="map_budget",
        help=t.gettext(TEXTS["budget_help"]),
    )
)
mode = c4.selectbox(
    t.gettext(TEXTS["lod"]),
    ["communities", "top"],
    key="map_lod",
    format_func=lambda m: {
        "communities": t.gettext(TEXTS["communities"]),
        "top": t.gettext(TEXTS["top"]).format(metric=label_of(size_by).lower()),
    }[m],
)
c5, c6, c7 = st.columns([3, 1, 1])
ego = pickers.pick_actor(
    c5,
    t.gettext(TEXTS["ego"]),
    key,
    flt.to_json(),
    key="map_ego",
    none_label=t.gettext(TEXTS["whole"]),
)
hops = int(c6.slider(t.gettext(TEXTS["hops"]), 1, 3, 1, key="map_hops", disabled=ego is None))
cut = c7.checkbox(
    t.gettext(TEXTS["cut"]),
    value=True,
    key="map_cut",
    help=t.gettext(TEXTS["cut_help"]),
)

suggest = st.checkbox(
    t.gettext(TEXTS["suggest"]),
    key="map_suggest",
    disabled=ego is None,
)
suggested: tuple[tuple[str, str], ...] = ()
if ego and suggest:
    top = views.suggestions(key, flt.to_json(), ego, 5, CandidateFilter())
    suggested = tuple((ego, b) for b in top["actor_id"])
options = MapOptions(
    color_by=color_by,
    size_by=size_by,
    budget=budget,
    lod_mode=mode,
    mark_cut_points=cut,
    highlight=(ego,) if ego else (),
    suggested=suggested,
)
html, legend, lod_mode, note = views.network_html(
    key, flt.to_json(), budget, mode, size_by, ego, hops, options
)
if note:
    st.info(note)
st.html(views.legend_html(legend))
st.caption(t.gettext(TEXTS["key"]))
if ego:
    st.caption(t.gettext(TEXTS["ego_key"]))
st.iframe(html, height=options.height_px + 20)
words = present.filter_words(key, flt)
made = t.date(date.today())
title = t.gettext(TEXTS["title"])
left, right = st.columns(2)
left.download_button(
    t.gettext(TEXTS["download_html"]),
    annotate_map(html, title=title, legend=legend, filter_text=words, made=made, notes=[note]),
    file_name="ecograph-map.html",
    mime="text/html",
)
right.download_button(
    t.gettext(TEXTS["download_svg"]),
    present.map_svg(key, flt.to_json(), title, f"{words} · {made}"),
    file_name="ecograph-map.svg",
    mime="image/svg+xml",
    help=t.gettext(TEXTS["svg_help"]),
)
