"""Network map: who works with whom, coloured and sized by what matters, with level of detail."""

from __future__ import annotations

from datetime import date

import streamlit as st

from graph.analysis.partners import CandidateFilter
from graph.present.columns import label_of
from graph.present.maps import COLOR_BY, MapOptions, annotate_map
from ui import pickers, present, state, views

TEXTS = {
    "key": "Size: number of ties. Diamonds with a dark border: single points of failure. "
    "Dashed borders: synthetic demo actors. Hover a node for its details; scroll to zoom, "
    "drag to pan.",
    "ego": "The chosen actor is in the centre, ringed; its partners on the first ring, their "
    "partners on the next. Suggested partners: thick dashed vermillion lines.",
    "map_title": "Network map",
    "download_html": "Download this map (standalone HTML)",
    "download_svg": "Download a picture for slides (SVG)",
    "svg_help": "The whole filtered network as a static picture with title, legend, filter "
    "and date.",
}

SIZE_BY = ["degree", "weighted_degree", "betweenness", "pagerank", "closeness"]

key = state.db_key()
flt = state.current_filter()
st.title("Network map")
analysis = state.analysis(key, flt.to_json(), "helix", date.today())
G = analysis.graph
if G.number_of_nodes() == 0:
    st.info("No actors match the current filter (or the database is empty).")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
color_by = c1.selectbox("Colour by", COLOR_BY, key="map_color")
size_by = c2.selectbox("Size by", SIZE_BY, key="map_size", format_func=label_of)
budget = int(
    c3.number_input(
        "Node budget",
        50,
        5000,
        800,
        step=50,
        key="map_budget",
        help="Above this many actors the map shows a reduced view.",
    )
)
mode = c4.selectbox(
    "Above the budget show",
    ["communities", "top"],
    key="map_lod",
    format_func=lambda m: {
        "communities": "communities as super-nodes",
        "top": f"the top actors by {label_of(size_by).lower()}",
    }[m],
)
c5, c6, c7 = st.columns([3, 1, 1])
ego = pickers.pick_actor(
    c5,
    "Search an actor (ego view)",
    key,
    flt.to_json(),
    key="map_ego",
    none_label="— whole network —",
)
hops = int(c6.slider("Hops", 1, 3, 1, key="map_hops", disabled=ego is None))
cut = c7.checkbox(
    "Mark cut points",
    value=True,
    key="map_cut",
    help="Actors whose leaving splits the network: drawn as diamonds with a dark border.",
)

suggest = st.checkbox(
    "Show suggested partners of the chosen actor (thick dashed lines)",
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
st.caption(TEXTS["key"])
if ego:
    st.caption(TEXTS["ego"])
st.iframe(html, height=options.height_px + 20)
words = present.filter_words(key, flt)
made = date.today().isoformat()
left, right = st.columns(2)
left.download_button(
    TEXTS["download_html"],
    annotate_map(
        html, title=TEXTS["map_title"], legend=legend, filter_text=words, made=made, notes=[note]
    ),
    file_name="ecograph-map.html",
    mime="text/html",
)
right.download_button(
    TEXTS["download_svg"],
    present.map_svg(key, flt.to_json(), TEXTS["map_title"], f"{words} · {made}"),
    file_name="ecograph-map.svg",
    mime="image/svg+xml",
    help=TEXTS["svg_help"],
)
