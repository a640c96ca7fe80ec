"""Geographic map: actors where they are (or at their municipality's seat), every place named,
and the ties between places as flows (one line per pair of places, width = ties; pick a flow
to list its ties). Works with no internet: the base map is off unless the user asks for it;
region outlines are drawn when a GeoJSON file is configured."""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from graph.present.maps import KIND_COLORS, UNKNOWN_COLOR, OutlinesError
from graph.present.palette import kind_label
from graph.store.config import region_outlines_path
from ui import present, state, views
from ui.text import md

TEXTS = {
    "flows": "Show ties between places",
    "flows_help": "One line per pair of places; the wider, the more ties between them.",
    "pick": "List the ties between",
    "pick_none": "— choose two places —",
    "ties_between": "{count:,} ties between {a} and {b}",
    "flows_cut": "Showing the {shown:,} widest of {total:,} flows between places; filter in the "
    "sidebar to see the others.",
    "no_flows": "No ties between different places in the current filter.",
    "outlines_off": "Region outlines are drawn when a file of borders is configured (the "
    "README says where to get Sweden's municipality borders).",
}

key = state.db_key()
filter_json = state.current_filter().to_json()
st.title("Geographic map")
layers = views.geo(key, filter_json)
points, arcs = layers.points, layers.arcs
if points.height == 0:
    st.info(
        f"No actor in the current filter can be placed on the map ({layers.unplaced} without "
        "coordinates or a known municipality), or the database is empty."
    )
    st.stop()

c1, c2, c3 = st.columns([1, 2, 1])
show_arcs = c1.toggle(TEXTS["flows"], value=True, key="geo_arcs", help=TEXTS["flows_help"])
show_places = c1.toggle(
    "Show place names",
    value=True,
    key="geo_places",
    help="Municipality names at their seats, with the number of actors there.",
)
tie_kinds = c2.multiselect(
    "Only ties of these kinds (none chosen: all)",
    sorted(arcs["kind"].unique().to_list()),
    key="geo_tie_kinds",
    disabled=not show_arcs,
)
base_map = c3.toggle(
    "Show base map (needs internet)",
    value=False,
    key="geo_base_map",
    help="Light map tiles from CARTO. Off, the map shows the actors and ties "
    "alone and needs no network.",
)

point_rows, point_total = views.deck_points(key, filter_json)
if point_total > len(point_rows):
    st.caption(
        f"Showing the {len(point_rows)} best-connected of {point_total} actors; filter in the "
        "sidebar to see the others."
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
    st.caption(TEXTS["flows_cut"].format(shown=len(flow_rows), total=flow_total))
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
        st.caption(TEXTS["no_flows"])
    flow = st.selectbox(
        TEXTS["pick"], [None, *pairs], format_func=lambda p: p or TEXTS["pick_none"], key="geo_flow"
    )
    if flow:
        place_a, place_b = flow.split(" ↔ ")
        listed = present.ties_of_flow(key, filter_json, place_a, place_b)
        st.markdown(TEXTS["ties_between"].format(count=listed.height, a=md(place_a), b=md(place_b)))
        present.show_table(listed)
if outline_file is None:
    st.caption(TEXTS["outlines_off"])

placed = dict(points.group_by("placed").len().iter_rows())
m1, m2, m3, m4 = st.columns(4)
m1.metric("At own coordinates", placed.get("exact", 0))
m2.metric(
    "At municipality seat",
    placed.get("municipality seat", 0),
    help="No coordinates: drawn at the seat of the actor's municipality, spread a little.",
)
m3.metric("Not placeable", layers.unplaced, help="Neither coordinates nor a known municipality.")
m4.metric("Synthetic (drawn paler)", int(points["synthetic"].sum()))
kinds = sorted(points["kind"].drop_nulls().unique().to_list())
st.caption("Actor kinds")
st.html(views.legend_html({kind_label(k): KIND_COLORS.get(k, UNKNOWN_COLOR) for k in kinds}))
