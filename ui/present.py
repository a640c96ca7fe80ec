"""Cached wrappers and display helpers for what ``graph.present`` makes: the board report, its
findings, and human column names with one-line help for every table a person reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from graph.analysis.network import GraphFilter
from graph.present.columns import COLUMNS
from graph.present.findings import Finding, build_findings
from graph.present.report import render_report
from graph.present.words import describe_filter
from graph.store.stats import dataset_stats
from ui import state

__all__ = ["column_config", "filter_words", "findings", "report_html", "show_table"]


@st.cache_data(show_spinner="Writing the report …", max_entries=4)
def report_html(key: state.DbKey, filter_json: str, as_of: date) -> str:
    """The board report for the current filter: the same HTML ``ecograph report`` writes."""
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


@st.cache_resource(show_spinner=False, max_entries=8)
def findings(key: state.DbKey, filter_json: str, as_of: date) -> list[Finding]:
    """The report's findings for the current filter (shared by sessions; read-only)."""
    return build_findings(state.analysis(key, filter_json, "helix", as_of))


def column_config(columns: Sequence[str]) -> dict[str, object]:
    """Streamlit column settings: the human name and the one-line help of each known column;
    yes/no columns as check boxes, dates as dates."""
    config: dict[str, object] = {}
    for name in columns:
        if name not in COLUMNS:
            continue
        label, help_text, kind = COLUMNS[name]
        if kind == "bool":
            config[name] = st.column_config.CheckboxColumn(label, help=help_text)
        elif kind == "date":
            config[name] = st.column_config.DateColumn(label, help=help_text, format="D MMM YYYY")
        elif kind == "int":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="%d")
        elif kind == "share":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="percent")
        elif kind == "float":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="%.2f")
        else:
            config[name] = st.column_config.TextColumn(label, help=help_text)
    return config


def show_table(frame: pl.DataFrame, columns: Sequence[str] | None = None, **kwargs: object) -> None:
    """``st.dataframe`` of the chosen columns, names before ids, with human headers and help."""
    shown = frame.select(columns) if columns else frame
    st.dataframe(  # type: ignore[call-overload]
        shown,
        hide_index=True,
        use_container_width=True,
        column_config=column_config(shown.columns),
        **kwargs,
    )


def filter_words(key: state.DbKey, flt: GraphFilter) -> str:
    """The filter in force in plain words (strength areas by name)."""
    areas = state.table(key, "strength_areas")
    return describe_filter(flt, dict(zip(areas["area_id"], areas["name"], strict=True)))
