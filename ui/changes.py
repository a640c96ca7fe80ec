"""Changes: compare two waves — actors and ties added and removed, the indicators before and
after in plain words, a map of the difference — and download the review pack."""

from __future__ import annotations

import streamlit as st

from graph.errors import EcographError
from graph.i18n import N_
from ui import state, transfer, waves
from ui.language import ui_translator
from ui.text import md

TEXTS = {
    "title": N_("Changes between waves"),
    "intro": N_(
        "A wave is the data as recorded at a snapshot (record time: when ecograph learned the "
        "facts; the activities keep their own dates). The sidebar's filters apply."
    ),
    "no_waves": N_(
        "There are no snapshots yet. Mark one on the History page (or `ecograph snapshot "
        "create NAME`) and compare it with the data later."
    ),
    "before": N_("From"),
    "after": N_("To"),
    "indicators": N_("Indicators before and after (runs the analysis on both waves)"),
    "actors_added": N_("Actors added"),
    "actors_removed": N_("Actors removed"),
    "ties_added": N_("Ties added"),
    "ties_removed": N_("Ties removed"),
    "ties_changed": N_("Ties changed (dates or weight)"),
    "by_kind": N_("By kind of tie"),
    "by_helix": N_("By helix pair"),
    "map": N_("Map of the difference: new ties green, lost ties dashed red, kept ties grey"),
    "map_empty": N_("No tie was added or lost."),
    "pack": N_("Review pack (HTML)"),
    "pack_help": N_(
        "Board-ready: per strength area what changed since 'From', with cluster trends."
    ),
    "pack_button": N_("Make the review pack"),
    "none": N_("none"),
    "now": N_("now"),
    "before_value": N_("before: {value}"),
    "comparing": N_("Comparing the two waves …"),
    "drawing": N_("Drawing the changes …"),
    "making_pack": N_("Making the review pack …"),
}


def _shown(value: object) -> str:
    """An indicator's value as the session's language writes it (counts as numbers)."""
    t = ui_translator()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return t.number(value)
    return str(value)


key = state.db_key()
t = ui_translator()
flt = state.current_filter()
st.title(t.gettext(TEXTS["title"]))
st.caption(t.gettext(TEXTS["intro"]))
snaps = state.snapshots(key.path, key.created, key.version)
if not snaps.height:
    st.info(t.gettext(TEXTS["no_waves"]))
    st.stop()
names = list(reversed(snaps["name"].to_list()))
left, right = st.columns(2)
before = left.selectbox(t.gettext(TEXTS["before"]), names, key="changes_before")
after = right.selectbox(
    t.gettext(TEXTS["after"]),
    ["now", *names],
    key="changes_after",
    format_func=lambda n: t.gettext(TEXTS["now"]) if n == "now" else n,
)
with_indicators = st.toggle(t.gettext(TEXTS["indicators"]), value=True, key="changes_indicators")
try:
    with st.spinner(t.gettext(TEXTS["comparing"])):
        result = waves.comparison(key, before, after, flt.to_json(), with_indicators, t.lang)
except EcographError as exc:
    st.error(str(exc))
    st.stop()

for line in result.summary_lines():
    st.markdown(f"- {md(line)}")
if result.indicators:
    cols = st.columns(min(4, len(result.indicators)))
    for i, ind in enumerate(result.indicators):
        cols[i % len(cols)].metric(
            ind.label.capitalize(),
            _shown(ind.after),
            help=t.gettext(TEXTS["before_value"]).format(value=_shown(ind.before)),
        )

d = result.diff
TAB_KEYS = [
    "actors_added", "actors_removed", "ties_added", "ties_removed", "ties_changed", "by_kind",
    "by_helix",
]  # fmt: skip
tabs = st.tabs([t.gettext(TEXTS[k]) for k in TAB_KEYS])
tabs[0].write(", ".join(md(a) for a in d.actors_added) or t.gettext(TEXTS["none"]))
tabs[1].write(", ".join(md(a) for a in d.actors_removed) or t.gettext(TEXTS["none"]))
tabs[2].dataframe(transfer.shown_columns(d.ties_added, t), hide_index=True)
tabs[3].dataframe(transfer.shown_columns(d.ties_removed, t), hide_index=True)
tabs[4].dataframe(transfer.shown_columns(d.ties_changed, t), hide_index=True)
tabs[5].dataframe(transfer.shown_columns(result.by("kind"), t), hide_index=True)
tabs[6].dataframe(transfer.shown_columns(result.by("helix_pair"), t), hide_index=True)

st.subheader(t.gettext(TEXTS["map"]))
if d.ties_added.height or d.ties_removed.height:
    with st.spinner(t.gettext(TEXTS["drawing"])):
        html = waves.difference_map(key, before, after, flt.to_json(), with_indicators, t.lang)
    st.iframe(html, height=660)
else:
    st.caption(t.gettext(TEXTS["map_empty"]))

st.subheader(t.gettext(TEXTS["pack"]))
st.caption(t.gettext(TEXTS["pack_help"]))
if st.button(t.gettext(TEXTS["pack_button"]), key="changes_pack"):
    with st.spinner(t.gettext(TEXTS["making_pack"])):
        html = waves.review_pack(key, before, after, flt.synthetic, t.lang)
    st.download_button(
        t.gettext(TEXTS["pack"]),
        html,
        file_name="review-pack.html",
        mime="text/html",
        key="pack_download",
    )
