"""Projector: a lab's organisations and ties on the map, growing as the moderator approves,
with counters; it refreshes itself every few seconds without reloading the page
(``st.fragment(run_every=…)``). Editors may show the pending ties too (dashed)."""

from __future__ import annotations

import streamlit as st

from graph.present.lab_summary import lab_counters, lab_map_html
from ui import auth, labs
from ui.text import md

REFRESH_S = 3
TEXTS = {
    "title": "Projector",
    "pending": "Show pending ties (dashed)",
    "organisations": "Organisations",
    "ties": "Ties",
    "waiting": "Pending ties",
    "helices": "Helices present",
    "kinds": "Kinds present",
    "none": "none yet",
    "join": "Join: {url} · code {code}",
}

st.title(TEXTS["title"])
chosen = labs.choose_lab("projector_lab")
if chosen is None:
    st.stop()
lab = chosen
show_pending = auth.can_write() and st.toggle(TEXTS["pending"], value=False)
st.caption(TEXTS["join"].format(url=md(labs.join_link(lab)), code=lab.code))


@st.fragment(run_every=REFRESH_S)
def live() -> None:
    G, newest = labs.projector_graph(lab, pending=show_pending)
    counts = lab_counters(G)
    cols = st.columns(5)
    cols[0].metric(TEXTS["organisations"], counts.organisations)
    cols[1].metric(TEXTS["ties"], counts.ties)
    cols[2].metric(TEXTS["waiting"], counts.pending_ties if show_pending else "–")
    cols[3].metric(TEXTS["helices"], len(counts.helices))
    cols[4].metric(TEXTS["kinds"], len(counts.kinds))
    st.caption(
        md(", ".join(counts.helices) or TEXTS["none"])
        + " · "
        + md(", ".join(counts.kinds) or TEXTS["none"])
    )
    if G.number_of_nodes():
        st.iframe(lab_map_html(G, newest=newest, height_px=560), height=580)


live()
