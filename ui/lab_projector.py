"""Projector: a lab's organisations and ties on the map, growing as the moderator approves,
with counters; it refreshes itself every few seconds without reloading the page
(``st.fragment(run_every=…)``). Editors may show the pending ties too (dashed)."""

from __future__ import annotations

import streamlit as st

from graph.i18n import N_, display_name
from graph.present.lab_summary import lab_counters, lab_map_html
from ui import auth, labs
from ui.language import ui_translator
from ui.text import md

REFRESH_S = 3
TEXTS = {
    "title": N_("Projector"),
    "pending": N_("Show pending ties (dashed)"),
    "organisations": N_("Organisations"),
    "ties": N_("Ties"),
    "waiting": N_("Pending ties"),
    "helices": N_("Helices present"),
    "kinds": N_("Kinds present"),
    "none": N_("none yet"),
    "join": N_("Join: {url} · code {code}"),
}

t = ui_translator()
st.title(t.gettext(TEXTS["title"]))
chosen = labs.choose_lab("projector_lab")
if chosen is None:
    st.stop()
lab = chosen
show_pending = auth.can_write() and st.toggle(t.gettext(TEXTS["pending"]), value=False)
st.caption(t.gettext(TEXTS["join"]).format(url=md(labs.join_link(lab)), code=lab.code))


@st.fragment(run_every=REFRESH_S)
def live() -> None:
    G, newest = labs.projector_graph(lab, pending=show_pending)
    counts = lab_counters(G)
    cols = st.columns(5)
    cols[0].metric(t.gettext(TEXTS["organisations"]), t.number(counts.organisations))
    cols[1].metric(t.gettext(TEXTS["ties"]), t.number(counts.ties))
    waiting = t.number(counts.pending_ties) if show_pending else "–"
    cols[2].metric(t.gettext(TEXTS["waiting"]), waiting)
    cols[3].metric(t.gettext(TEXTS["helices"]), t.number(len(counts.helices)))
    cols[4].metric(t.gettext(TEXTS["kinds"]), t.number(len(counts.kinds)))
    helices = [display_name("helix", h, t.lang) for h in counts.helices]
    kinds = [display_name("actor_kind", k, t.lang) for k in counts.kinds]
    nothing = t.gettext(TEXTS["none"])
    st.caption(
        md(", ".join(sorted(helices, key=t.sort_key())) or nothing)
        + " · "
        + md(", ".join(sorted(kinds, key=t.sort_key())) or nothing)
    )
    if G.number_of_nodes():
        st.iframe(lab_map_html(G, newest=newest, height_px=560), height=580)


live()
