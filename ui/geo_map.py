"""Geographic map: actors where they are (or at their municipality's seat), every place named,
and the ties between places as flows (one line per pair of places, width = ties; pick a flow
to list its ties). Works with no internet: the base map is off unless the user asks for it;
region outlines are drawn when a GeoJSON file is configured."""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from graph.i18n import N_, NP_
from graph.present.maps import KIND_COLORS, UNKNOWN_COLOR, OutlinesError
from graph.present.palette import kind_label
from graph.store.config import region_outlines_path
from ui import present, state, views
from ui.language import choose_placeholder, ui_translator
from ui.text import md

TEXTS = {
    "title": N_("Geographic map"),
    "none_placed": N_(
        "No actor in the current filter can be placed on the map ({unplaced} without "
        "coordinates or a known municipality), or the database is empty."
    ),
    "flows": N_("Show ties between places"),
    "flows_help": N_("One line per pair of places; the wider, the more ties between them."),
    "places": N_("Show place names"),
    "places_help": N_("Municipality names at their seats, with the number of actors there."),
    "tie_kinds": N_("Only ties of these kinds (none chosen: all)"),
    "base_map": N_("Show base map (needs internet)"),
    "base_map_help": N_(
        "Light map tiles from CARTO. Off, the map shows the actors and ties "
        "alone and needs no network."
    ),
    "points_cut": N_(
        "Showing the {shown} best-connected of {total} actors; filter in the "
        "sidebar to see the others."
    ),
    "pick": N_("List the ties between"),
    "pick_none": N_("— choose two places —"),
    "flows_cut": N_(
        "Showing the {shown} widest of {total} flows between places; filter in the "
        "sidebar to see the others."
    ),
    "no_flows": N_("No ties between different places in the current filter."),
    "outlines_off": N_(
        "Region outlines are drawn when a file of borders is configured (the "
        "README says where to get Sweden's municipality borders)."
    ),
    "exact": N_("At own coordinates"),
    "seat": N_("At municipality seat"),
    "seat_help": N_(
        "No coordinates: drawn at the seat of the actor's municipality, spread a little."
    ),
    "unplaced": N_("Not placeable"),
    "unplaced_help": N_("Neither coordinates nor a known municipality."),
    "synthetic": N_("Synthetic (drawn paler)"),
    "kinds": N_("Actor kinds"),
}
PLURALS = {
    "ties_between": NP_("{count} tie between {a} and {b}", "{count} ties between {a} and {b}"),
}

t = ui_translator()
key = state.db_key()
filter_json = state.current_filter().to_json()
st.title(t.gettext(TEXTS["title"]))
layers = views.geo(key, filter_json)
points, arcs = layers.points, layers.arcs
if points.height == 0:
    st.info(t.gettext(TEXTS["none_placed"]).format(unplaced=t.number(layers.unplaced)))
    st.stop()

c1, c2, c3 = st.columns([1, 2, 1])
show_arcs = c1.toggle(
    t.gettext(TEXTS["flows"]), value=True, key="geo_arcs", help=t.gettext(TEXTS["flows_help"])
)
show_places = c1.toggle(
    t.gettext(TEXTS["places"]),
    value=True,
    key="geo_places",
    help=t.gettext(TEXTS["places_help"]),
)
# tie kinds by name, in the language's order; the values chosen stay the data's
tie_names = {k: views.tie_kind_label(k, t.lang) for k in arcs["kind"].unique().to_list()}
by_name = t.sort_key()
tie_kinds = c2.multiselect(
    t.gettext(TEXTS["tie_kinds"]),
    sorted(tie_names, key=lambda k: by_name(tie_names[k])),
    key="geo_tie_kinds",
    format_func=lambda k: tie_names.get(k, k),
    disabled=not show_arcs,
    placeholder=choose_placeholder(),
)
base_map = c3.toggle(
    t.gettext(TEXTS["base_map"]),
    value=False,
    key="geo_base_map",
    help=t.gettext(TEXTS["base_map_help"]),
)

point_rows, point_total = views.deck_points(key, filter_json)
if point_total > len(point_rows):
    st.caption(
        t.gettext(TEXTS["points_cut"]).format(
            shown=t.number(len(point_rows)), total=t.number(point_total)
        )
    )
deck_layers = []
outline_file = region_outlines_path()
if outline_file is not None:
    try:
        borders = present.outlines(str(outline_file), outline_file.stat().st_mtime)
    except (OutlinesError, OSError) as error:
        st.warning(str(error))
    else:
        deck_layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                data=borders,
                id="outlines",
                stroked=True,
                filled=False,
                get_line_color=[90, 90, 90, 160],
                line_width_min_pixels=1,
            )
        )
flow_rows, place_rows, flow_total = present.geo_flow_rows(key, filter_json, tuple(tie_kinds))
if show_arcs and flow_total > len(flow_rows):
    st.caption(
        t.gettext(TEXTS["flows_cut"]).format(
            shown=t.number(len(flow_rows)), total=t.number(flow_total)
        )
    )
if show_arcs:
    deck_layers.append(
        pdk.Layer(
            "ArcLayer",
            data=flow_rows,
            id="flows",
            pickable=True,
            get_source_position=["a_lon", "a_lat"],
            get_target_position=["b_lon", "b_lat"],
            get_source_color=[0, 114, 178, 170],
            get_target_color=[0, 114, 178, 170],
            get_width="width",
            width_min_pixels=1,
        )
    )
deck_layers.append(
    pdk.Layer(
        "ScatterplotLayer",
        data=point_rows,
        id="actors",
        pickable=True,
        get_position=["lon", "lat"],
        get_fill_color="color",
        get_radius=1200,
        radius_min_pixels=4,
        radius_max_pixels=14,
        stroked=True,
        get_line_color=[60, 60, 60],
        line_width_min_pixels=1,
        # drawn over the arcs, which rise above the ground and would otherwise hide the actors
        parameters={"depthCompare": "always"},
    )
)
if show_places:
    deck_layers.append(
        pdk.Layer(
            "TextLayer",
            data=place_rows,
            id="places",
            get_position=["lon", "lat"],
            get_text="label",
            get_size=13,
            get_color=[40, 40, 40],
            get_pixel_offset=[0, -16],
            character_set="'auto'",  # quoted: a literal, not an accessor; å ä ö Á Ŋ too
            font_family="'sans-serif'",  # quoted for the same reason
            font_weight=600,
            background=True,
            get_background_color=[255, 255, 255, 210],
            background_padding=[3, 1],
            parameters={"depthCompare": "always"},
        )
    )
lat, lon, zoom = views.view_centre(points)
# No map_style at all: Streamlit replaces a missing style with CARTO tiles, while
# map_provider=None keeps pydeck's placeholder style, which Streamlit draws as no base map.
tiles = {"map_provider": "carto", "map_style": "light"} if base_map else {"map_provider": None}
deck = pdk.Deck(
    layers=deck_layers,
    initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
    tooltip={"text": "{name}\n{kind}"},
    **tiles,
)
chosen = st.pydeck_chart(
    deck, height=600, on_select="rerun", selection_mode="single-object", key="geo_deck"
)
if show_arcs:
    pairs = [str(r["name"]) for r in flow_rows]
    clicked = present.picked(chosen, "flows")
    if clicked in pairs:
        st.session_state["geo_flow"] = clicked
    if not pairs:
        st.caption(t.gettext(TEXTS["no_flows"]))
    pick_none = t.gettext(TEXTS["pick_none"])
    flow = st.selectbox(
        t.gettext(TEXTS["pick"]),
        [None, *pairs],
        format_func=lambda p: p or pick_none,
        key="geo_flow",
    )
    if flow:
        place_a, place_b = flow.split(" ↔ ")
        listed = present.ties_of_flow(key, filter_json, place_a, place_b)
        between = t.ngettext(*PLURALS["ties_between"], listed.height)
        st.markdown(between.format(count=t.number(listed.height), a=md(place_a), b=md(place_b)))
        present.show_table(listed)
if outline_file is None:
    st.caption(t.gettext(TEXTS["outlines_off"]))

placed = dict(points.group_by("placed").len().iter_rows())
m1, m2, m3, m4 = st.columns(4)
m1.metric(t.gettext(TEXTS["exact"]), t.number(placed.get("exact", 0)))
m2.metric(
    t.gettext(TEXTS["seat"]),
    t.number(placed.get("municipality seat", 0)),
    help=t.gettext(TEXTS["seat_help"]),
)
m3.metric(
    t.gettext(TEXTS["unplaced"]),
    t.number(layers.unplaced),
    help=t.gettext(TEXTS["unplaced_help"]),
)
m4.metric(t.gettext(TEXTS["synthetic"]), t.number(int(points["synthetic"].sum())))
# the legend by the kinds' names, in the language's order
kinds = {k: kind_label(k, t.lang) for k in points["kind"].drop_nulls().unique()}
st.caption(t.gettext(TEXTS["kinds"]))
st.html(
    views.legend_html(
        {
            name: KIND_COLORS.get(k, UNKNOWN_COLOR)
            for k, name in sorted(kinds.items(), key=lambda kn: by_name(kn[1]))
        }
    )
)
