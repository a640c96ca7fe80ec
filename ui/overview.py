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
from graph.present.findings import group_phrase
from graph.present.report import GLOSSARY
from graph.store.stats import dataset_stats
from ui import present, state
from ui.text import md

TEXTS: dict[str, str] = {
    "title": "Innovation ecosystem overview",
    "database": "Database: {path}",
    "empty": "The database is empty. Import your actors and ties on the **Data** page.",
    "to_data": "Go to the Data page",
    "unsourced": "{count:,} rows name no source (see the Data page).",
    "findings": "What stands out",
    "glance": "**{actors:,}** actors and **{ties:,}** ties in the current filter ({filter}).",
    "none": "Nothing in this part of the data stands out.",
    "todo": "What to do:",
    "download": "Download the board report",
    "download_help": "The findings, a picture of the network, the diagnosis and the tables, "
    "for the filter in the sidebar. One HTML file; print it to PDF from the browser (A4).",
    "gaps": "Significant gaps between groups",
    "all_gaps": "All gaps",
    "fragile": "Single points of failure",
    "to_map": "See them on the network map",
    "holds": "What the database holds",
    "glossary": "Words used in ecograph",
}
TABLE_NAMES = {
    "actors": "actors",
    "activities": "activities",
    "participations": "participations in activities",
    "relations": "relations",
    "strength_areas": "strength areas",
    "actor_areas": "actors' strength areas",
    "actor_aliases": "other names of actors",
    "sources": "sources",
}
METRICS = ("Actors", "Activities", "Relations", "In the filter", "Synthetic in the filter")

key = state.db_key()
flt = state.current_filter()
st.title(TEXTS["title"])
# the file name only: where the server keeps its files is no viewer's business (issue #21)
st.caption(TEXTS["database"].format(path=md(Path(key.path).name)))

with state.reading() as con:
    stats = dataset_stats(con)
data_rows = stats.filter(pl.col("table_name") != "sources")
total = int(data_rows["rows"].sum())
if total == 0:
    st.info(TEXTS["empty"])
    st.page_link("ui/data.py", label=TEXTS["to_data"], icon=":material/database:")
    st.stop()

unsourced = int(data_rows["unsourced"].sum())
count = dict(zip(stats["table_name"], stats["rows"], strict=True))
cols = st.columns(5)
# the database's counts first: they show while the filtered network is analysed
for col, label, value in zip(
    cols[:3],
    METRICS[:3],
    (f"{count['actors']:,}", f"{count['activities']:,}", f"{count['relations']:,}"),
    strict=True,
):
    col.metric(label, value)
today = date.today()
analysis = state.analysis(key, flt.to_json(), "helix", today)
G = analysis.graph
# synthetic data as the filtered network holds it; switched off, only that it was excluded
synthetic_text = synthetic_lines(
    G, synthetic_included=flt.synthetic, excluded=analysis.excluded_synthetic, switch_off=APP_SWITCH
)
cols[3].metric(METRICS[3], f"{analysis.actors:,}", help="Actors that pass the sidebar filter.")
if flt.synthetic:
    cols[4].metric(METRICS[4], f"{synthetic_share(G):.0%}")
for line in synthetic_text:
    (st.warning if flt.synthetic else st.info)(md(line))
if unsourced:
    st.warning(TEXTS["unsourced"].format(count=unsourced))

head, button = st.columns([3, 1])
head.subheader(TEXTS["findings"])
button.download_button(
    TEXTS["download"],
    present.report_html(key, flt.to_json(), today),
    file_name=f"ecograph-report-{today.isoformat()}.html",
    mime="text/html",
    help=TEXTS["download_help"],
    icon=":material/download:",
    key="overview_report",
)
st.markdown(
    TEXTS["glance"].format(
        actors=analysis.actors, ties=analysis.ties, filter=md(present.filter_words(key, flt))
    )
)
found = present.findings(key, flt.to_json(), today)
if not found:
    st.info(TEXTS["none"])
for i, finding in enumerate(found, start=1):
    text, chart = st.columns([3, 2])
    text.markdown(f"**{i}. {md(finding.headline)}**")
    if finding.detail:
        text.markdown(md(finding.detail))
    text.markdown(f"*{TEXTS['todo']}* {md(finding.action)}")
    chart.image(str(finding.chart))  # an SVG string: drawn as an image, never as markup

with st.container():
    st.subheader(TEXTS["gaps"])
    # only the pairs the null model finds significant (graph.analysis.significance)
    mix = significant_gaps(analysis.tables["group_mixing"], ["helix", "kind"], top=5)
    mix = mix.with_columns(
        pl.struct("grouping", "group_a", "group_b")
        .map_elements(
            lambda r: (
                f"{group_phrase(r['grouping'], r['group_a'])} – "
                f"{group_phrase(r['grouping'], r['group_b'])}"
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
    st.page_link("ui/gaps.py", label=TEXTS["all_gaps"], icon=":material/troubleshoot:")
with st.container():
    st.subheader(TEXTS["fragile"])
    present.show_table(
        analysis.tables["fragility"].filter(pl.col("is_articulation_point")).head(5),
        ["name", "kind", "components_after", "lost_support"],
    )
    st.page_link("ui/network_map.py", label=TEXTS["to_map"], icon=":material/hub:")

with st.expander(TEXTS["holds"]):
    present.show_table(
        stats.with_columns(
            pl.col("table_name").replace_strict(TABLE_NAMES, default=pl.col("table_name"))
        ).rename({"table_name": "what"}),
        ["what", "rows", "synthetic", "unsourced"]
        if flt.synthetic
        else ["what", "rows", "unsourced"],
    )
with st.expander(TEXTS["glossary"]):
    st.markdown("\n".join(f"- **{md(term)}**: {md(meaning)}" for term, meaning in GLOSSARY))
