"""Cached wrappers and display helpers for what ``graph.present`` makes: the board report, its
findings, and human column names with one-line help for every table a person reads."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from graph.analysis.network import GraphFilter, load_actors, load_ties
from graph.analysis.partners import BacktestResult, backtest
from graph.i18n import N_, NC_, translator, use_language
from graph.present.columns import COLUMNS
from graph.present.findings import Finding, build_findings
from graph.present.maps import flow_ties, geo_flows, load_outlines
from graph.present.palette import helix_label, kind_label
from graph.present.picture import network_picture
from graph.present.report import render_report
from graph.present.words import describe_filter
from graph.store.stats import dataset_stats
from ui import state, views
from ui.language import ui_translator

MAX_FLOWS = 1500  # more lines than this between places blur into a solid mass
DATE_FORMAT = NC_("date format of a table (moment.js)", "D MMM YYYY")

# What a spinner says while a cached result is made for the first time.
SPINNER_TEXTS = {
    "report": N_("Writing the report …"),
    "picture": N_("Drawing the picture …"),
    "backtest": N_("Running the backtest …"),
}
# The geographic map's tooltips of flows and places (deck.gl shows them as plain text); a count
# first, so a translation can read right for one and for many ("kopplingar: 1").
TOOLTIP_TEXTS = {
    "ties": N_("{n} ties"),
    "kind_ties": N_("{n} {kind} ties"),
    "place": N_("{n} actors, {inside} ties inside"),
}

__all__ = [
    "backtest_result",
    "column_config",
    "filter_words",
    "findings",
    "geo_flow_rows",
    "map_svg",
    "outlines",
    "picked",
    "report_html",
    "show_table",
    "ties_of_flow",
]


def report_html(key: state.DbKey, filter_json: str, as_of: date, lang: str | None = None) -> str:
    """The board report for the current filter in ``lang`` (None: the session's): the same
    HTML ``ecograph report --lang`` writes."""
    t = translator(lang) if lang else ui_translator()
    with st.spinner(t.gettext(SPINNER_TEXTS["report"])):
        return _report_html(key, filter_json, as_of, t.lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _report_html(key: state.DbKey, filter_json: str, as_of: date, lang: str) -> str:
    with use_language(lang):  # the cache is per language; the report speaks it
        return _render_report(key, filter_json, as_of)


def _render_report(key: state.DbKey, filter_json: str, as_of: date) -> str:
    analysis = state.analysis(key, filter_json, "helix", as_of)
    with state.reading(Path(key.path)) as con:
        stats = dataset_stats(con)
    areas = state.table(key, "strength_areas")
    return render_report(
        analysis,
        sources=state.table(key, "sources"),
        stats=stats,
        database=Path(key.path).name,
        area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
    )


def findings(
    key: state.DbKey, filter_json: str, as_of: date, lang: str | None = None
) -> list[Finding]:
    """The report's findings for the current filter in ``lang`` (None: the session's; shared
    by sessions, read-only)."""
    return _findings(key, filter_json, as_of, lang or ui_translator().lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _findings(key: state.DbKey, filter_json: str, as_of: date, lang: str) -> list[Finding]:
    with use_language(lang):
        return build_findings(state.analysis(key, filter_json, "helix", as_of))


def column_config(columns: Sequence[str]) -> dict[str, object]:
    """Streamlit column settings: the human name and the one-line help of each known column;
    yes/no columns as check boxes, dates as dates."""
    config: dict[str, object] = {}
    # dates as the session's language writes them in a table (a catalogue's choice: Swedish
    # tables write 2026-12-01; Streamlit would name months in the browser's language)
    date_format = translator().pgettext("date format of a table (moment.js)", DATE_FORMAT)
    for name in columns:
        if name not in COLUMNS:
            continue
        label, help_text, kind = COLUMNS[name]
        if kind == "bool":
            config[name] = st.column_config.CheckboxColumn(label, help=help_text)
        elif kind == "date":
            config[name] = st.column_config.DateColumn(label, help=help_text, format=date_format)
        elif kind == "int":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="localized")
        elif kind == "share":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="percent")
        elif kind == "float":  # as people write them: 1,618 · 2.83 · 0 (not 0.00)
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="localized")
        else:
            config[name] = st.column_config.TextColumn(label, help=help_text)
    return config


def show_table(frame: pl.DataFrame, columns: Sequence[str] | None = None, **kwargs: object) -> None:
    """``st.dataframe`` of the chosen columns, names before ids, with human headers and help,
    and kinds and helices as people say them ("co-working space", "civil society")."""
    shown = frame.select(columns) if columns else frame
    # the language is bound here: polars may call the function in a thread of its own, where
    # the session's chosen language (a per-thread setting) is not in force
    lang = ui_translator().lang
    shown = shown.with_columns(
        pl.col(c).map_elements(functools.partial(label, lang=lang), return_dtype=pl.String)
        for c, label in (("kind", kind_label), ("helix", helix_label))
        if c in shown.columns and shown.schema[c] == pl.String
    )
    st.dataframe(  # type: ignore[call-overload]
        shown,
        hide_index=True,
        width="stretch",
        column_config=column_config(shown.columns),
        **kwargs,
    )


def filter_words(key: state.DbKey, flt: GraphFilter) -> str:
    """The filter in force in plain words (strength areas by name)."""
    areas = state.table(key, "strength_areas")
    return describe_filter(flt, dict(zip(areas["area_id"], areas["name"], strict=True)))


def map_svg(key: state.DbKey, filter_json: str, title: str, subtitle: str) -> str:
    """The filtered network as a static SVG picture for slides (title, legend, filter, date),
    its legend in the session's language."""
    t = ui_translator()
    with st.spinner(t.gettext(SPINNER_TEXTS["picture"])):
        return _map_svg(key, filter_json, title, subtitle, t.lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _map_svg(key: state.DbKey, filter_json: str, title: str, subtitle: str, lang: str) -> str:
    with use_language(lang):
        return _picture_svg(key, filter_json, title, subtitle)


def _picture_svg(key: state.DbKey, filter_json: str, title: str, subtitle: str) -> str:
    analysis = state.analysis(key, filter_json, "helix", date.today())
    picture = network_picture(
        analysis.graph, analysis.tables["actor_metrics"], title=title, subtitle=subtitle
    )
    return f"<?xml version='1.0' encoding='UTF-8'?>\n{picture.svg}"


def geo_flow_rows(
    key: state.DbKey, filter_json: str, kinds: tuple[str, ...] = ()
) -> tuple[list[dict[str, object]], list[dict[str, object]], int]:
    """Deck rows of the geographic map's flows (one per pair of places, width = ties; the
    ``MAX_FLOWS`` widest), of every place's label, and how many flows there are; their
    tooltips in the session's language."""
    return _geo_flow_rows(key, filter_json, kinds, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _geo_flow_rows(
    key: state.DbKey, filter_json: str, kinds: tuple[str, ...], lang: str
) -> tuple[list[dict[str, object]], list[dict[str, object]], int]:
    t = translator(lang)
    G = state.network(key, filter_json)
    flows = geo_flows(G, views.geo(key, filter_json).points, kinds)

    ties_text = t.gettext(TOOLTIP_TEXTS["kind_ties" if len(kinds) == 1 else "ties"])
    kind = views.tie_kind_label(kinds[0], lang) if len(kinds) == 1 else ""
    place_text = t.gettext(TOOLTIP_TEXTS["place"])

    top = flows.flows.head(MAX_FLOWS)
    flow_rows = top.select(
        "a_lat",
        "a_lon",
        "b_lat",
        "b_lon",
        "width",
        "ties",
        (pl.col("place_a") + " ↔ " + pl.col("place_b")).alias("name"),
    ).to_dicts()
    for row in flow_rows:
        row["kind"] = ties_text.format(n=t.number(row["ties"]), kind=kind)  # type: ignore[arg-type]
    place_rows = flows.places.select(
        "lat", "lon", "label", pl.col("place").alias("name"), "actors", "inside"
    ).to_dicts()
    for row in place_rows:
        actors, inside = row.pop("actors"), row.pop("inside")
        row["kind"] = place_text.format(n=t.number(actors), inside=t.number(inside))  # type: ignore[arg-type]
    return flow_rows, place_rows, flows.flows.height


@st.cache_data(show_spinner=False, max_entries=32)
def ties_of_flow(key: state.DbKey, filter_json: str, place_a: str, place_b: str) -> pl.DataFrame:
    """The ties behind one flow, by name (what a click on a flow lists)."""
    G = state.network(key, filter_json)
    return flow_ties(G, views.geo(key, filter_json).points, place_a, place_b)


@st.cache_data(show_spinner=False, max_entries=4)
def outlines(path: str, mtime: float) -> dict[str, object]:
    """The configured region outlines (re-read when the file changes)."""
    del mtime
    return load_outlines(Path(path))


def picked(selection: Any, layer: str) -> str | None:
    """The ``name`` of the object clicked on a pydeck layer (None when nothing is)."""
    try:
        objects = selection["selection"]["objects"].get(layer) or []
    except (KeyError, TypeError, AttributeError):
        return None
    return str(objects[0].get("name")) if objects else None


def backtest_result(key: state.DbKey, filter_json: str, k: int, seed: int) -> BacktestResult:
    """The partner backtest (hide the newest ties, predict them) as its full result."""
    with st.spinner(ui_translator().gettext(SPINNER_TEXTS["backtest"])):
        return _backtest_result(key, filter_json, k, seed)


@st.cache_data(show_spinner=False, max_entries=8)
def _backtest_result(key: state.DbKey, filter_json: str, k: int, seed: int) -> BacktestResult:
    flt = state._filter_from_json(filter_json)
    with state.reading(Path(key.path)) as con:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
    return backtest(actors, ties, k=k, seed=seed, max_queries=300)
