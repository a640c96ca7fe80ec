"""Lab summary: what a lab added (organisations, ties by helix pair), the wanted ties its
participants named beside the gaps the analysis measures on the network in force, and partner
suggestions for those who named a wanted tie; downloadable as HTML."""

from __future__ import annotations

from datetime import date

import streamlit as st

from graph.labs.lab import lab_source_title
from graph.present.lab_summary import TEXTS as SUMMARY_TEXTS
from graph.present.lab_summary import lab_summary, lab_summary_html
from ui import labs, state
from ui.text import md

TEXTS = {
    "title": "Lab summary",
    "download": "Download the summary (HTML)",
    "filter_note": "The gaps are measured on the network the sidebar's filter selects.",
}

st.title(TEXTS["title"])
lab = labs.choose_lab("summary_lab")
if lab is None:
    st.stop()
key = state.db_key()
flt = state.current_filter()
analysis = state.analysis(key, flt.to_json(), "helix", date.today())
with state.reading() as con:
    summary = lab_summary(
        con,
        activity_id=lab.activity_id,
        source_id=lab.source_id,
        mixing=analysis.tables.get("group_mixing"),
        network=analysis.graph,
    )
t = SUMMARY_TEXTS
st.subheader(t["added"])
st.write(
    md(
        t["added_line"].format(
            orgs=summary["organisations"],
            ties=summary["tie_count"],
            new=summary["new_organisations"],
        )
    )
)
if summary["by_helix"].height:
    st.dataframe(summary["by_helix"], hide_index=True)
st.subheader(t["wanted"])
st.caption(TEXTS["filter_note"])
for line in summary["gaps"]["sentence"].to_list() or [t["wanted_none"]]:
    st.markdown(f"- {md(line)}")
st.subheader(t["suggestions"])
if summary["suggestions"].height:
    st.dataframe(summary["suggestions"], hide_index=True)
else:
    st.write(t["suggestions_none"])
html = lab_summary_html(
    summary, name=lab.name, source_title=lab_source_title(lab.name, lab.lab_date)
)
st.download_button(
    TEXTS["download"], html, file_name=f"lab-{lab.code}-summary.html", mime="text/html"
)
