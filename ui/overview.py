"""Overview page: what the database holds and how much of it is sourced."""

from __future__ import annotations

import streamlit as st

from graph.bootstrap import ensure_database
from graph.config import resolve_db_path
from graph.stats import dataset_stats
from graph.store import open_db


def render() -> None:
    """Show the database in use and its row counts by table and provenance."""
    path = resolve_db_path()
    ensure_database(path)
    st.title("ecograph")
    st.caption(f"Database: {path}")
    with open_db(path, read_only=True) as con:
        stats = dataset_stats(con)
    st.dataframe(stats, hide_index=True)
