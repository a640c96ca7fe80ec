"""Overview: the findings for the current filter in plain words, the board report to download,
what the database holds and how much of it is sourced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from graph.analysis.summary import (
    APP_SWITCH,
    gap_lines,
    significant_gaps,
    synthetic_lines,
    synthetic_share,
)
from graph.i18n import N_, NC_
from graph.present.findings import group_phrase
from graph.present.report import GLOSSARY
from graph.store.stats import dataset_stats
from ui import present, state
from ui.language import ui_translator
from ui.text import md

TEXTS: dict[str, str] = {
    "title": N_("Innovation ecosystem overview"),
    "database": N_("Database: {path}"),
    "empty": N_("The database is empty. Import your actors and ties on the **Data** page."),
    "to_data": N_("Go to the Data page"),
    "unsourced": N_("{count} rows name no source (see the Data page)."),
    "findings": N_("What stands out"),
    "glance": N_("**{actors}** actors and **{ties}** ties in the current filter ({filter})."),
    "none": N_("Nothing in this part of the data stands out."),
    "todo": N_("What to do:"),
    "download": N_("Download the board report"),
    "download_help": N_(
        "The findings, a picture of the network, the diagnosis and the tables, "
        "for the filter in the sidebar. One HTML file; print it to PDF from the browser (A4)."
    ),
    "gaps": N_("Significant gaps between groups"),
    "all_gaps": N_("All gaps"),
    "fragile": N_("Single points of failure"),
    "to_map": N_("See them on the network map"),
    "holds": N_("What the database holds"),
    "glossary": N_("Words used in ecograph"),
    "in_filter_help": N_("Actors that pass the sidebar filter."),
}
TABLE_NAMES = {
    "actors": NC_("table", "actors"),
    "activities": NC_("table", "activities"),
    "participations": NC_("table", "participations in activities"),
    "relations": NC_("table", "relations"),
    "strength_areas": NC_("table", "strength areas"),
    "actor_areas": NC_("table", "actors' strength areas"),
    "actor_aliases": NC_("table", "other names of actors"),
    "sources": NC_("table", "sources"),
}
METRIC_LABELS = {
    "actors": N_("Actors"),
    "activities": N_("Activities"),
    "relations": N_("Relations"),
    "in_filter": N_("In the filter"),
    "synthetic": N_("Synthetic in the filter"),
}

t = ui_translator()
key = state.db_key()
flt = state.current_filter()
st.title(t.gettext(TEXTS["title"]))
# the file name only: where the server keeps its files is no viewer's business (issue #21)
st.caption(t.gettext(TEXTS["database"]).format(path=md(Path(key.path).name)))

with state.reading() as con:
    stats = dataset_stats(con)
data_rows = stats.filter(pl.col("table_name") != "sources")
total = int(data_rows["rows"].sum())
if total == 0:
    st.info(t.gettext(TEXTS["empty"]))
    st.page_link(page="ui/data.py", label=t.gettext(TEXTS["to_data"]), icon=":material/database:")
    st.stop()

unsourced = int(data_rows["unsourced"].sum())
count = dict(zip(stats["table_name"], stats["rows"], strict=True))
cols = st.columns(5)
# the database's counts first: they show while the filtered network is analysed
for col, table_name in zip(cols[:3], ("actors", "activities", "relations"), strict=True):
    col.metric(t.gettext(METRIC_LABELS[table_name]), t.number(count[table_name]))
today = date.today()
analysis = state.analysis(key, flt.to_json(), "helix", today)
G = analysis.graph
# synthetic data as the filtered network holds it; switched off, only that it was excluded
synthetic_text = synthetic_lines(
    G, synthetic_included=flt.synthetic, excluded=analysis.excluded_synthetic, switch_off=APP_SWITCH
)
cols[3].metric(
    t.gettext(METRIC_LABELS["in_filter"]),
    t.number(analysis.actors),
    help=t.gettext(TEXTS["in_filter_help"]),
)
if flt.synthetic:
    cols[4].metric(t.gettext(METRIC_LABELS["synthetic"]), t.percent(synthetic_share(G)))
for line in synthetic_text:
    (st.warning if flt.synthetic else st.info)(md(line))
if unsourced:
    st.warning(t.gettext(TEXTS["unsourced"]).format(count=t.number(unsourced)))

head, button = st.columns([3, 1])
head.subheader(t.gettext(TEXTS["findings"]))
button.download_button(
    t.gettext(TEXTS["download"]),
    present.report_html(key, flt.to_json(), today, t.lang),
    file_name=f"ecograph-report-{today.isoformat()}.html",
    mime="text/html",
    help=t.gettext(TEXTS["download_help"]),
    icon=":material/download:",
    key="overview_report",
)
st.markdown(
    t.gettext(TEXTS["glance"]).format(
        actors=t.number(analysis.actors),
        ties=t.number(analysis.ties),
        filter=md(present.filter_words(key, flt)),
    )
)
found = present.findings(key, flt.to_json(), today, t.lang)
if not found:
    st.info(t.gettext(TEXTS["none"]))
for i, finding in enumerate(found, start=1):
    text, chart = st.columns([3, 2])
    text.markdown(f"**{i}. {md(finding.headline)}**")
    if finding.detail:
        text.markdown(md(finding.detail))
    text.markdown(f"*{t.gettext(TEXTS['todo'])}* {md(finding.action)}")
    chart.image(str(finding.chart))  # an SVG string: drawn as an image, never as markup

with st.container():
    st.subheader(t.gettext(TEXTS["gaps"]))
    # only the pairs the null model finds significant (graph.analysis.significance)
    mix = significant_gaps(analysis.tables["group_mixing"], ["helix", "kind"], top=5)
    mix = mix.with_columns(
        pl.struct("grouping", "group_a", "group_b")
        .map_elements(
            lambda r: (
                f"{group_phrase(r['grouping'], r['group_a'], t.lang)} – "
                f"{group_phrase(r['grouping'], r['group_b'], t.lang)}"
            ),
            return_dtype=pl.String,
        )
        .alias("pair")
    )
    if mix.height:
        present.show_table(mix, ["pair", "observed", "expected", "ci_low", "ci_high", "ratio"])
    else:
        for grouping in ("helix", "kind"):
            st.caption(md(gap_lines(analysis.tables["group_mixing"], grouping)[0]))
    st.page_link(
        page="ui/gaps.py", label=t.gettext(TEXTS["all_gaps"]), icon=":material/troubleshoot:"
    )
with st.container():
    st.subheader(t.gettext(TEXTS["fragile"]))
    present.show_table(
        analysis.tables["fragility"].filter(pl.col("is_articulation_point")).head(5),
        ["name", "kind", "components_after", "lost_support"],
    )
    st.page_link(page="ui/network_map.py", label=t.gettext(TEXTS["to_map"]), icon=":material/hub:")

table_names = {name: t.pgettext("table", text) for name, text in TABLE_NAMES.items()}
with st.expander(t.gettext(TEXTS["holds"])):
    present.show_table(
        stats.with_columns(
            pl.col("table_name").replace_strict(table_names, default=pl.col("table_name"))
        ).rename({"table_name": "what"}),
        ["what", "rows", "synthetic", "unsourced"]
        if flt.synthetic
        else ["what", "rows", "unsourced"],
    )
with st.expander(t.gettext(TEXTS["glossary"])):
    # the report's glossary (graph.present.report), in the session's language where its
    # catalogue has it
    st.markdown(
        "\n".join(
            f"- **{md(t.gettext(term))}**: {md(t.gettext(meaning))}" for term, meaning in GLOSSARY
        )
    )
