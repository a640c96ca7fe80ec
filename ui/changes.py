"""Changes: compare two waves — actors and ties added and removed, the indicators before and
after in plain words, a map of the difference — and download the review pack."""

from __future__ import annotations

import streamlit as st

from graph.errors import EcographError
from ui import state, waves
from ui.text import md

TEXTS = {
    "title": "Changes between waves",
    "intro": (
        "A wave is the data as recorded at a snapshot (record time: when ecograph learned the "
        "facts; the activities keep their own dates). The sidebar's filters apply."
    ),
    "no_waves": (
        "There are no snapshots yet. Mark one on the History page (or `ecograph snapshot "
        "create NAME`) and compare it with the data later."
    ),
    "before": "From",
    "after": "To",
    "indicators": "Indicators before and after (runs the analysis on both waves)",
    "actors_added": "Actors added",
    "actors_removed": "Actors removed",
    "ties_added": "Ties added",
    "ties_removed": "Ties removed",
    "ties_changed": "Ties changed (dates or weight)",
    "by_kind": "By kind of tie",
    "by_helix": "By helix pair",
    "map": "Map of the difference: new ties green, lost ties dashed red, kept ties grey",
    "map_empty": "No tie was added or lost.",
    "pack": "Review pack (HTML)",
    "pack_help": "Board-ready: per strength area what changed since 'From', with cluster trends.",
    "pack_button": "Make the review pack",
    "none": "none",
}

key = state.db_key()
flt = state.current_filter()
st.title(TEXTS["title"])
st.caption(TEXTS["intro"])
snaps = state.snapshots(key.path, key.created, key.version)
if not snaps.height:
    st.info(TEXTS["no_waves"])
    st.stop()
names = list(reversed(snaps["name"].to_list()))
left, right = st.columns(2)
before = left.selectbox(TEXTS["before"], names, key="changes_before")
after = right.selectbox(TEXTS["after"], ["now", *names], key="changes_after")
with_indicators = st.toggle(TEXTS["indicators"], value=True, key="changes_indicators")
try:
    result = waves.comparison(key, before, after, flt.to_json(), with_indicators)
except EcographError as exc:
    st.error(str(exc))
    st.stop()

for line in result.summary_lines():
    st.markdown(f"- {md(line)}")
if result.indicators:
    cols = st.columns(min(4, len(result.indicators)))
    for i, ind in enumerate(result.indicators):
        cols[i % len(cols)].metric(
            ind.label.capitalize(), str(ind.after), help=f"before: {ind.before}"
        )

d = result.diff
tabs = st.tabs(
    [TEXTS["actors_added"], TEXTS["actors_removed"], TEXTS["ties_added"], TEXTS["ties_removed"],
     TEXTS["ties_changed"], TEXTS["by_kind"], TEXTS["by_helix"]]
)  # fmt: skip
tabs[0].write(", ".join(md(a) for a in d.actors_added) or TEXTS["none"])
tabs[1].write(", ".join(md(a) for a in d.actors_removed) or TEXTS["none"])
tabs[2].dataframe(d.ties_added, hide_index=True)
tabs[3].dataframe(d.ties_removed, hide_index=True)
tabs[4].dataframe(d.ties_changed, hide_index=True)
tabs[5].dataframe(result.by("kind"), hide_index=True)
tabs[6].dataframe(result.by("helix_pair"), hide_index=True)

st.subheader(TEXTS["map"])
if d.ties_added.height or d.ties_removed.height:
    st.iframe(waves.difference_map(key, before, after, flt.to_json(), with_indicators), height=660)
else:
    st.caption(TEXTS["map_empty"])

st.subheader(TEXTS["pack"])
st.caption(TEXTS["pack_help"])
if st.button(TEXTS["pack_button"], key="changes_pack"):
    html = waves.review_pack(key, before, after, flt.synthetic)
    st.download_button(
        TEXTS["pack"], html, file_name="review-pack.html", mime="text/html", key="pack_download"
    )
