"""The app's side of the change log and the waves: cached reads of the log and of comparisons,
and the writes (undo, snapshot) through the app's write lock for editors only."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from graph.history.log import ChangeRecord, list_changes
from graph.history.snapshots import Wave, create_snapshot, resolve_wave
from graph.history.travel import materialise
from graph.history.undo import revert_change
from graph.i18n import N_, use_language
from graph.present.changes import WaveComparison, compare_waves, difference_map_html
from ui import state
from ui.state import DbKey

__all__ = [
    "change_log",
    "comparison",
    "difference_map",
    "make_snapshot",
    "query_path",
    "revert",
    "review_pack",
    "wave",
]

TEXTS = {
    "copying": N_("Copying the wave for the SQL console …"),
}


@st.cache_data(show_spinner=False, max_entries=8)
def change_log(key: DbKey) -> pl.DataFrame:
    """The change log, newest first (per database state)."""
    with state.present(Path(key.path)) as con:
        return list_changes(con)


def wave(key: DbKey, spec: str) -> Wave:
    """A snapshot name, ``now`` or ``#ID`` resolved against the database as it is now."""
    with state.present(Path(key.path)) as con:
        return resolve_wave(con, spec)


@st.cache_resource(show_spinner=False, max_entries=8)
def comparison(
    key: DbKey, before: str, after: str, filter_json: str, indicators: bool, lang: str
) -> WaveComparison:
    """Two waves compared through the sidebar's filter (shared by sessions of one language,
    whose words its labels hold; read-only)."""
    from graph.analysis.gaps import AnalysisParams

    flt = state._filter_from_json(filter_json)
    with use_language(lang), state.present(Path(key.path)) as con:
        a, b = resolve_wave(con, before), resolve_wave(con, after)
        return compare_waves(con, a, b, flt, AnalysisParams(filter=flt) if indicators else None)


@st.cache_data(show_spinner=False, max_entries=8)
def difference_map(
    key: DbKey, before: str, after: str, filter_json: str, indicators: bool, lang: str
) -> str:
    """The map of the difference, its tooltips in ``lang``."""
    with use_language(lang):
        return difference_map_html(comparison(key, before, after, filter_json, indicators, lang))


def revert(path: Path, change_id: int) -> ChangeRecord:
    """Revert one change (editors only; refused with the reason when a later one depends on
    it)."""
    with state.writing(path) as con:
        record = revert_change(con, change_id)
    change_log.clear()
    return record


def make_snapshot(path: Path, name: str, note: str | None) -> Wave:
    """Name the data as recorded now (editors only)."""
    with state.writing(path) as con:
        made = create_snapshot(con, name, note or None)
    state.snapshots.clear()
    change_log.clear()
    return made


@st.cache_data(show_spinner=False, max_entries=4)
def review_pack(key: DbKey, since: str, until: str, synthetic: bool, lang: str) -> str:
    """The review pack's HTML for every strength area in ``lang`` (cached per database state
    and language)."""
    from graph.present.review_pack import build_review_pack, render_review_pack

    with use_language(lang):
        with state.present(Path(key.path)) as con:
            pack = build_review_pack(
                con,
                resolve_wave(con, since),
                resolve_wave(con, until),
                synthetic=synthetic,
                database=Path(key.path).name,
            )
        return render_review_pack(pack)


@st.cache_resource(show_spinner=False, max_entries=4)
def _wave_copy(path: str, created: str, change_id: int) -> Path:
    """The data as recorded at ``change_id`` in a file of its own (the console's sandbox opens
    a file); kept in a temporary folder for the life of the app."""
    folder = Path(tempfile.mkdtemp(prefix="ecograph-wave-"))
    with state.read_lock():
        return materialise(path, change_id, folder / "wave.duckdb")


def query_path() -> Path:
    """The file the SQL console queries: the database, or a copy of the wave the sidebar
    chose (so the console shows what every other page shows)."""
    key = state.db_key()
    if key.at is None:
        return Path(key.path)
    from ui.language import ui_translator

    with st.spinner(ui_translator().gettext(TEXTS["copying"])):
        return _wave_copy(key.path, key.created, key.at)
