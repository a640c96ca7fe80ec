"""Lab summary: what a lab added (organisations, ties by helix pair), the wanted ties its
participants named beside the gaps the analysis measures on the network in force, and partner
suggestions for those who named a wanted tie; downloadable as HTML."""

from __future__ import annotations

from datetime import date

import streamlit as st

from graph.i18n import N_, NC_
from graph.labs.lab import lab_source_title
from graph.present.lab_summary import added_line, lab_summary, lab_summary_html
from ui import labs, state
from ui.language import ui_translator
from ui.text import md

TEXTS = {
    "title": N_("Lab summary"),
    "download": N_("Download the summary (HTML)"),
    "filter_note": N_("The gaps are measured on the network the sidebar's filter selects."),
    "added": N_("What the lab added"),
    "by_helix": N_("Ties by helix pair"),
    "wanted": N_("Wanted ties and the measured gaps"),
    "wanted_none": N_("No wanted ties were named in this lab."),
    "suggestions": N_("Partner suggestions for those who named a wanted tie"),
    "suggestions_none": N_("No organisation that named a wanted tie is in the analysed network."),
}
# the tables' columns (the same words as the HTML summary's)
COLUMN_LABELS = {
    "pair": NC_("lab summary", "helix pair"),
    "ties": NC_("lab summary", "ties"),
    "for": NC_("lab summary", "for"),
    "suggestion": NC_("lab summary", "suggested partner"),
    "why": NC_("lab summary", "why"),
}

t = ui_translator()
st.title(t.gettext(TEXTS["title"]))
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
        lang=t.lang,
    )
columns = {
    c: st.column_config.Column(t.pgettext("lab summary", label))
    for c, label in COLUMN_LABELS.items()
}
st.subheader(t.gettext(TEXTS["added"]))
st.write(md(added_line(summary, t.lang)))
if summary["by_helix"].height:
    st.dataframe(summary["by_helix"], hide_index=True, column_config=columns)
st.subheader(t.gettext(TEXTS["wanted"]))
st.caption(t.gettext(TEXTS["filter_note"]))
for line in summary["gaps"]["sentence"].to_list() or [t.gettext(TEXTS["wanted_none"])]:
    st.markdown(f"- {md(line)}")
st.subheader(t.gettext(TEXTS["suggestions"]))
if summary["suggestions"].height:
    st.dataframe(summary["suggestions"], hide_index=True, column_config=columns)
else:
    st.write(t.gettext(TEXTS["suggestions_none"]))
html = lab_summary_html(
    summary,
    name=lab.name,
    source_title=lab_source_title(lab.name, lab.lab_date, t.lang),
    lang=t.lang,
)
st.download_button(
    t.gettext(TEXTS["download"]), html, file_name=f"lab-{lab.code}-summary.html", mime="text/html"
)
