"""What every page shares: the database in use, safe connections, the sidebar filters and the
cached data and analyses (keyed by the database's state, so nothing is recomputed on a rerun and
everything is recomputed after an import).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import polars as pl
import streamlit as st

from graph.analysis.diagnosis import DiagnosisParams
from graph.analysis.gaps import Analysis, AnalysisParams, run_analysis, store_analysis
from graph.analysis.mixing import GROUPINGS
from graph.analysis.network import GraphFilter, build_graph, load_actors, load_ties
from graph.datasets.bootstrap import ensure_database
from graph.errors import DatabaseLockedError, EcographError
from graph.history.log import HistoryError, acting_as
from graph.history.snapshots import list_snapshots
from graph.history.travel import time_travel
from graph.store.config import data_dir, home_region, lock_wait_seconds, resolve_db_path
from graph.store.database import created_at, data_version, open_db, read_table
from graph.store.stats import REAL_REGION_ACTORS, synthetic_by_default
from ui import auth
from ui.language import render_language_switch
from ui.text import md

_log = logging.getLogger(__name__)

__all__ = [
    "DbKey",
    "analysis",
    "current_db",
    "current_filter",
    "current_wave",
    "database_busy",
    "database_ready",
    "db_key",
    "network",
    "options",
    "present",
    "read_lock",
    "reading",
    "render_sidebar",
    "table",
    "writing",
]


class _ReadWriteLock:
    """Many readers or one writer. DuckDB allows one configuration per open file and process:
    the app reads through sandboxed connections and must close them all before it writes."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@st.cache_resource
def _lock() -> _ReadWriteLock:
    return _ReadWriteLock()


@dataclass(frozen=True)
class DbKey:
    """A database and its state: equal keys mean equal data (the cache key of every result)."""

    path: str
    created: str  # when the file was created: tells a replaced database from the old one
    version: int  # data_version: bumped by every write of data
    at: int | None = None  # the change id of the wave looked at (None: the present)


def current_db() -> Path:
    """The database this session looks at (chosen in the sidebar, else the configured one)."""
    chosen = st.session_state.get("db_path")
    path = Path(chosen) if chosen else resolve_db_path()
    ensure_database(path)
    return path


@contextmanager
def read_lock() -> Iterator[None]:
    """Hold off the app's own writes while code outside this module reads the file."""
    with _lock().read():
        yield


WAVE_KEY = "_wave_change_id"  # the change id of the wave the sidebar chose (no widget has it)


def current_wave() -> int | None:
    """The change id of the wave this session looks at, None for the present."""
    value = st.session_state.get(WAVE_KEY)
    return int(value) if value is not None else None


@contextmanager
def reading(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sandboxed read-only connection for the length of a ``with`` block. While another
    process writes (a CLI import), it retries for ``ECOGRAPH_LOCK_WAIT`` seconds, then raises
    ``DatabaseLockedError``, which the app shows as "busy" (``database_busy``). When the
    sidebar chose a past wave, the data tables are that wave's (``graph.history.travel``)."""
    target = path or current_db()
    wave = current_wave()
    with _lock().read(), open_db(target, sandbox=True, wait_seconds=lock_wait_seconds()) as con:
        if wave is None:
            yield con
        else:
            with time_travel(con, wave):
                yield con


@contextmanager
def present(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Like ``reading``, but always the data as it is now (the History page, the wave list)."""
    target = path or current_db()
    with _lock().read(), open_db(target, sandbox=True, wait_seconds=lock_wait_seconds()) as con:
        yield con


@contextmanager
def writing(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection, once every reader of this process has closed its own. Only
    for editors: in a shared app a viewer's session gets ``AccessDeniedError`` here, whatever
    the page showed it."""
    auth.require_editor("change data")
    if current_wave() is not None:
        raise HistoryError(
            "you are looking at a past wave, which is read-only: choose 'now' under "
            "'Data as recorded at' in the sidebar to change data"
        )
    target = path or current_db()
    who = auth.identity()
    with (
        _lock().write(),
        open_db(target, wait_seconds=lock_wait_seconds()) as con,
        acting_as(f"editor:{who.name}" if who.name else f"app ({who.via or 'open'})"),
    ):
        yield con


def db_key(path: Path | None = None) -> DbKey:
    path = path or current_db()
    with present(path) as con:
        version = data_version(con)
        created = created_at(con)
    return DbKey(str(path), created, version, current_wave())


@st.cache_data(show_spinner=False, max_entries=16)
def table(key: DbKey, name: str) -> pl.DataFrame:
    """A data table (cached per database state)."""
    with reading(Path(key.path)) as con:
        return read_table(con, name)


@st.cache_data(show_spinner=False, max_entries=8)
def options(key: DbKey) -> dict[str, list[str]]:
    """The values the sidebar offers: kinds, helices, municipalities, areas and years."""
    with reading(Path(key.path)) as con:
        actors = load_actors(con)
        years = con.sql(
            "SELECT min(year(start_date)), max(year(coalesce(end_date, start_date))) "
            "FROM collaborations"
        ).fetchall()[0]
        areas = read_table(con, "strength_areas")
        synthetic_default = synthetic_by_default(con)
    first, last = years
    today = date.today().year
    return {
        "kinds": sorted(actors["kind"].drop_nulls().unique().to_list()),
        "helices": sorted(actors["helix"].drop_nulls().unique().to_list()),
        "municipalities": sorted(actors["municipality"].drop_nulls().unique().to_list()),
        "areas": areas["area_id"].to_list(),
        "area_names": areas["name"].to_list(),
        "years": [str(first or today), str(max(last or today, today))],
        "synthetic_default": ["on" if synthetic_default else "off"],
    }


@st.cache_resource(show_spinner="Building the network …", max_entries=8)
def network(key: DbKey, filter_json: str) -> nx.Graph:
    """The filtered network (shared by all sessions; treat it as read-only)."""
    flt = _filter_from_json(filter_json)
    with reading(Path(key.path)) as con:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
    return build_graph(actors, ties)


@st.cache_resource(show_spinner="Analysing the network …", max_entries=8)
def _analysis(key: DbKey, filter_json: str, group_by: str, as_of: date) -> Analysis:
    """The analysis, computed once per state and filter and kept in this server's memory (shared
    by all sessions): reading the database's own cache, never writing it."""
    params = AnalysisParams(
        filter=_filter_from_json(filter_json),
        group_by=group_by,
        as_of=as_of,
        diagnosis=DiagnosisParams(home_region=home_region()),  # $ECOGRAPH_HOME_REGION or default
    )
    G = network(key, filter_json)
    with reading(Path(key.path)) as con:
        return run_analysis(con, params, cache=True, graph=G)


@st.cache_resource
def _kept() -> set[tuple[DbKey, str, str, date]]:
    """The analyses this server has already stored in the database's cache."""
    return set()


def analysis(key: DbKey, filter_json: str, group_by: str, as_of: date) -> Analysis:
    """The full gap analysis of the filtered network (computed once per state and filter).

    Viewers never write: their analyses live in the server's memory only. An editor's fresh
    analysis is also stored in the database's cache, so a restart does not recompute it."""
    result = _analysis(key, filter_json, group_by, as_of)
    ident = (key, filter_json, group_by, as_of)
    # the cache is keyed by the present data (not a wave's), and only editors write it
    if not result.cached and key.at is None and ident not in _kept() and auth.can_write():
        _kept().add(ident)
        _keep(Path(key.path), result)
    return result


def _keep(path: Path, result: Analysis) -> None:
    """Store a fresh analysis in the database's cache, so a restart does not recompute it. Best
    effort: a database another process holds, or a read-only file, simply stays uncached."""
    try:
        with _lock().write(), open_db(path, wait_seconds=0.5) as con:
            store_analysis(con, result)
    except (EcographError, duckdb.Error, OSError) as exc:
        _log.info("analysis not cached in %s: %s", path, exc)


def _filter_from_json(text: str) -> GraphFilter:
    import json

    raw = json.loads(text)
    for name in ("kinds", "helices", "municipalities", "regions", "areas", "exclude"):
        raw[name] = tuple(raw.get(name) or ())
    for name in ("start", "end"):
        raw[name] = date.fromisoformat(raw[name]) if raw.get(name) else None
    return GraphFilter(**raw)


def current_filter() -> GraphFilter:
    """The filter the sidebar set (all actors and ties before the sidebar has run)."""
    return st.session_state.get("graph_filter", GraphFilter())


def _database_files() -> list[str]:
    found = sorted(str(p) for p in data_dir().glob("*.duckdb"))
    configured = str(resolve_db_path())
    return sorted({configured, *found})


def render_sidebar() -> GraphFilter:
    """Draw the shared sidebar (database, time window, filters, synthetic switch) and return the
    filter it sets. Widgets have keys, so their values stay when the user changes page."""
    render_language_switch()
    sb = st.sidebar
    files = _database_files()
    current = str(current_db())
    if current not in files:
        files.append(current)
    sb.selectbox(
        "Database",
        files,
        index=files.index(current),
        key="db_path",
        format_func=lambda p: Path(p).name,
        help="DuckDB files in the data folder.",
    )
    _wave_picker(sb)
    key = db_key()
    opts = options(key)
    first, last = int(opts["years"][0]), int(opts["years"][1])
    if first >= last:
        first = last - 1
    use_years = sb.checkbox("Limit to a time window", key="use_years")
    start = end = None
    if use_years:
        lo, hi = sb.slider("Years", first, last, (first, last), key="years")
        start, end = date(lo, 1, 1), date(hi, 12, 31)
    area_names = dict(zip(opts["areas"], opts["area_names"], strict=True))
    flt = GraphFilter(
        kinds=tuple(sb.multiselect("Actor kinds", opts["kinds"], key="kinds")),
        helices=tuple(sb.multiselect("Helix", opts["helices"], key="helices")),
        municipalities=tuple(
            sb.multiselect("Municipality", opts["municipalities"], key="municipalities")
        ),
        areas=tuple(
            sb.multiselect(
                "Strength area",
                opts["areas"],
                key="areas",
                format_func=lambda a: area_names.get(a, a),
            )
        ),
        synthetic=sb.toggle(
            "Include synthetic demo data",
            value=opts["synthetic_default"] == ["on"],
            key="synthetic",
            help="Synthetic actors and ties are generated by code for the demo, not facts. "
            "Off at first when the database holds a sourced region of "
            f"{REAL_REGION_ACTORS} or more actors; switch on to add the demo layer.",
        ),
        start=start,
        end=end,
    )
    st.session_state["graph_filter"] = flt
    return flt


WAVE_TEXTS = {
    "label": "Data as recorded at",
    "now": "now",
    "help": (
        "A snapshot (wave) shows the data as ecograph had recorded it then: record time, when "
        "the facts were learned. The activities keep their own start and end dates."
    ),
    "past": (
        "Read-only view of **{name}** (change #{change}): the data as recorded then, not "
        "the activities' own dates. Choose 'now' to change data."
    ),
}


@st.cache_data(show_spinner=False, max_entries=16)
def snapshots(path: str, created: str, version: int) -> pl.DataFrame:
    """The snapshots of a database (cached per database state)."""
    with present(Path(path)) as con:
        return list_snapshots(con)


def _wave_picker(sb: Any) -> None:
    """The sidebar's choice of wave: now, or one of the snapshots (sets ``WAVE_KEY``)."""
    path = current_db()
    with present(path) as con:
        state = (data_version(con), created_at(con))
    waves = snapshots(str(path), state[1], state[0])
    ids = dict(zip(waves["name"], waves["change_id"], strict=True))
    choices = [WAVE_TEXTS["now"], *reversed(list(ids))]
    if st.session_state.get("wave") not in choices:
        st.session_state["wave"] = WAVE_TEXTS["now"]
    chosen = sb.selectbox(WAVE_TEXTS["label"], choices, key="wave", help=WAVE_TEXTS["help"])
    if chosen == WAVE_TEXTS["now"]:
        st.session_state[WAVE_KEY] = None
        return
    st.session_state[WAVE_KEY] = int(ids[chosen])
    sb.info(WAVE_TEXTS["past"].format(name=md(chosen), change=ids[chosen]))


GROUPING_LABELS = {
    "kind": "actor kind",
    "helix": "helix",
    "municipality": "municipality",
    "region": "region",
    "area": "strength area",
    "community": "community",
    "role": "role in the support system",
}
assert set(GROUPING_LABELS) == set(GROUPINGS)


BUSY_KEY = "_database_busy_retries"
BUSY_RETRIES = 10  # automatic retries before the page waits for the user to ask again
BUSY_PAUSE = 2.0  # seconds between them (on top of the lock wait of each attempt)


def database_busy(exc: DatabaseLockedError) -> None:
    """Say that another process (a command-line import, a backup) holds the database, and try
    the page again in a moment: the import is one transaction, so the next run sees all of it."""
    st.warning(
        "The database is busy: another process is changing it (an import, a restore). "
        "This page tries again in a moment."
    )
    st.caption(str(exc))
    tries = int(st.session_state.get(BUSY_KEY, 0))
    if tries < BUSY_RETRIES:
        st.session_state[BUSY_KEY] = tries + 1
        time.sleep(BUSY_PAUSE)
        st.rerun()
    st.button("Try again", key="busy_try_again")


def database_ready() -> None:
    """The page ran: the next busy spell gets its automatic retries again."""
    st.session_state.pop(BUSY_KEY, None)
