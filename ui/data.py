"""Data: import files into the database, export the dataset or the network map, and check how
much of the data rests on a source."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from graph.cli.cordis import cordis_from_options
from graph.errors import EcographError
from graph.formats.cordis import DEFAULT_EUR_SEK, EUR_SEK_SOURCE
from graph.formats.export import EXPORT_FORMATS
from graph.formats.readers import FORMATS
from graph.present.maps import MapOptions
from graph.store.database import integrity_problems
from graph.store.stats import auto_sources, dataset_stats, synthetic_share, unplaced_actors
from ui import auth, curation, state, transfer, views
from ui.text import md

UPLOAD_TYPES = [
    "csv", "xlsx", "parquet", "gexf", "graphml", "xml", "gml", "net", "json", "zip",
]  # fmt: skip
HTML_MAP = "html map"
EXPORT_LABELS = {
    "csv": "CSV (a zipped folder, one file per table)",
    "parquet": "Parquet (a zipped folder, one file per table)",
    "excel": "Excel workbook (one sheet per table)",
    "gexf": "GEXF (Gephi)",
    "graphml": "GraphML",
    "json": "node-link JSON",
    "kumu": "Kumu workbook (Elements and Connections)",
    HTML_MAP: "standalone HTML network map",
}
EXPORT_CAPTIONS = {
    "kumu": "Actors, relations and strength-area tags as Kumu imports them; sources and "
    "areas ride along on sheets Kumu skips. Activities stay out (Kumu has no place for them).",
}
EXPORT_CAPTION = "Every format imports back into identical tables."


def import_panel(key: state.DbKey, total: int) -> None:
    """Upload, validate and import files (shown to those who may change data)."""
    if total == 0:
        st.info("The database is empty: import your actors and ties here to start.")
    st.markdown(
        "Upload table files named after their table (`actors.csv`, `relations.csv`, …), "
        "an Excel workbook with one sheet per table, Kumu sheets, a GEXF, GraphML or "
        "node-link JSON graph, or EU CORDIS project data (the zip, or its `project.csv` and "
        "`organization.csv`). Every row is checked first; one bad row and nothing is "
        "written. Rows are added or updated by their id; imported organisations that match "
        "known actors are merged into them, uncertain matches wait in **Review and clean**."
    )
    uploads = st.file_uploader(
        "Files to import", type=UPLOAD_TYPES, accept_multiple_files=True, key="data_uploads"
    )
    left, right = st.columns(2)
    fmt = left.selectbox(
        "Format",
        [None, *FORMATS],
        key="data_format",
        format_func=lambda f: "detect from the file" if f is None else f,
    )
    replace = right.checkbox(
        "Replace the whole dataset",
        key="data_replace",
        help="Delete every row of every table and keep only these files.",
    )
    with st.expander("EU CORDIS files"):
        nuts = st.text_input(
            "NUTS regions",
            key="data_cordis_nuts",
            placeholder="e.g. SE322 (Jämtlands län) or SE32,SE33",
            help="Keep the projects with a partner in these regions, with all their partners "
            "(prefix match: SE32 covers SE321 and SE322). Empty: every project.",
        )
        eur_sek = st.number_input(
            "SEK per EUR",
            min_value=0.01,
            value=DEFAULT_EUR_SEK,
            key="data_cordis_eur_sek",
            help=f"For budgets and EU contributions ({EUR_SEK_SOURCE}).",
        )
    if st.button(
        "Validate and import", type="primary", disabled=not uploads, key="data_import_button"
    ):
        try:
            cordis = cordis_from_options(nuts or None, float(eur_sek))
            with st.spinner("Validating and importing …"):
                outcome = transfer.import_uploads(
                    [(f.name, f.getvalue()) for f in uploads or []], fmt, replace, cordis=cordis
                )
        except EcographError as exc:
            st.error(md(exc))
        else:
            st.session_state["data_import"] = (key.path, outcome)
            if outcome.report is not None:
                st.rerun()  # the sidebar and the tables below must read the new data
    done_path, done = st.session_state.get("data_import", (None, None))
    if done is not None and done_path == key.path:
        if done.report is None:
            n = len(done.problems)
            st.error(f"{n} problem{'s' if n != 1 else ''} found, nothing was imported.")
            st.dataframe(done.problem_frame, hide_index=True)
        else:
            st.success(
                "Imported: the dataset was replaced." if done.report.replaced else "Imported."
            )
            st.dataframe(done.changes, hide_index=True)
            if not done.report.modified:
                st.info("Nothing changed: the database already held these rows.")
            for warning in done.report.warnings:
                st.warning(md(warning))
            if done.report.matched:
                st.info(
                    f"{done.report.matched} imported actor(s) were recognised as actors already "
                    "known and merged into them (their names are kept as aliases)."
                )
            if done.report.to_review:
                st.info(
                    f"{done.report.to_review} uncertain match(es) wait in **Review and clean**: "
                    "decide whether each is an actor already known."
                )


key = state.db_key()
st.title("Data")
# the file name only: where the server keeps its files is no viewer's business (issue #21)
st.caption(f"Database: {md(Path(key.path).name)}")
with state.reading() as con:
    stats = dataset_stats(con)
    synthetic = synthetic_share(con)
    broken = integrity_problems(con)
    auto_list = auto_sources(con)
    unplaced = unplaced_actors(con)
data_rows = stats.filter(pl.col("table_name") != "sources")
total = int(data_rows["rows"].sum())
tab_import, tab_export, tab_review, tab_quality = st.tabs(
    ["Import", "Export", "Review and clean", "Stats and data quality"]
)

with tab_import:
    auth.render_sign_in()
    if auth.can_write():
        import_panel(key, total)

with tab_export:
    choice = st.selectbox(
        "Export format",
        [*EXPORT_FORMATS, HTML_MAP],
        key="data_export_format",
        format_func=EXPORT_LABELS.__getitem__,
    )
    if choice != HTML_MAP:
        content, file_name, mime = transfer.export_file(key, choice)
        st.caption(EXPORT_CAPTIONS.get(choice, EXPORT_CAPTION))
        st.download_button(
            f"Download {file_name}",
            content,
            file_name=file_name,
            mime=mime,
            on_click="ignore",
            key="data_export",
        )
    else:
        st.info(
            "The map uses the current sidebar filter (kinds, helix, municipalities, strength "
            "areas, time window, synthetic data) and the Network map page's default view."
        )
        flt = state.current_filter()
        if state.analysis(key, flt.to_json(), "helix", date.today()).graph.number_of_nodes():
            opts = MapOptions()
            html, _legend, _mode, note = views.network_html(
                key, flt.to_json(), opts.budget, opts.lod_mode, "degree", None, 1, opts
            )
            if note:
                st.caption(md(note))
            st.download_button(
                "Download ecograph-map.html",
                html,
                file_name="ecograph-map.html",
                mime="text/html",
                on_click="ignore",
                key="data_export_map",
            )
        else:
            st.warning("No actors match the current filter: there is no map to export.")

with tab_review:
    curation.render_outcome()
    curation.render_review(key)
    curation.render_deletion(key)

with tab_quality:
    st.dataframe(stats, hide_index=True)
    unsourced = int(data_rows["unsourced"].sum())
    if unsourced:
        st.warning(
            f"{unsourced} of {total} rows name no source: their files had no `source_id`, "
            "so they hang on an automatic source per file (below). Add the real source "
            "and import them again before relying on them."
        )
        st.dataframe(auto_list, hide_index=True)
    if synthetic:
        st.warning(
            f"{synthetic:.0%} of the rows are synthetic demo data generated by code, not "
            "facts: switch them off in the sidebar before drawing conclusions."
        )
    if unplaced.height:
        actor_rows = int(stats.filter(pl.col("table_name") == "actors")["rows"][0])
        st.warning(
            f"{unplaced.height} of {actor_rows} actors have neither coordinates nor a "
            "municipality, so the geographic map cannot place them."
        )
        st.dataframe(unplaced, hide_index=True)
    if broken.height:
        st.error(
            f"{broken.height} references point to rows that do not exist (the database was "
            "changed outside the importer). Fix them with `ecograph query --write`."
        )
        st.dataframe(broken, hide_index=True)
    elif total:
        st.success("Every reference points to an existing row.")
