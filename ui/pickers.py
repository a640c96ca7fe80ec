"""Choosing actors among up to a hundred thousand: a plain list for a regional database, a search
box that narrows the list for a national one (a select box with 10^5 options is slow to send and
useless to scroll)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from graph.i18n import N_, sort_key
from ui import state
from ui.language import choose_placeholder, ui_translator
from ui.state import DbKey

__all__ = ["PICKER_LIMIT", "actor_choices", "pick_actor", "pick_actors"]

PICKER_LIMIT = 2000  # up to this many actors the whole list is offered
SHOWN = 200  # matches shown for a search in a larger network

TEXTS = {
    "find": N_("Find an actor"),
    "find_placeholder": N_("part of a name or id"),
    "find_help": N_("{n} actors: type to narrow the list (the best-connected are listed first)."),
}


def actor_choices(key: DbKey, filter_json: str) -> tuple[list[str], dict[str, str], list[str]]:
    """Actor ids ordered by name as the session's language sorts (Å, Ä, Ö after Z in
    Swedish), their labels ("name (id)"), and the ids ordered by number of ties (what a
    search box offers before anything is typed)."""
    return _actor_choices(key, filter_json, ui_translator().lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _actor_choices(
    key: DbKey, filter_json: str, lang: str
) -> tuple[list[str], dict[str, str], list[str]]:
    G = state.network(key, filter_json)
    labels = {v: f"{d.get('name') or v} ({v})" for v, d in G.nodes(data=True)}
    by_label = sort_key(lang)
    by_name = sorted(G, key=lambda v: by_label(labels[v]))
    by_degree = [v for v, _ in sorted(G.degree(), key=lambda x: (-x[1], x[0]))]
    return by_name, labels, by_degree


def _options(
    ids: list[str], labels: dict[str, str], ranked: list[str], query: str, keep: list[str]
) -> list[str]:
    if len(ids) <= PICKER_LIMIT:
        return ids
    text = query.strip().casefold()
    if text:
        found = [v for v in ids if text in labels[v].casefold() or text in v.casefold()]
    else:
        found = ranked
    return list(dict.fromkeys([*keep, *found[:SHOWN]]))


def _search(where: DeltaGenerator, ids: list[str], key: str) -> str:
    if len(ids) <= PICKER_LIMIT:
        return ""
    t = ui_translator()
    return where.text_input(
        t.gettext(TEXTS["find"]),
        key=f"{key}_find",
        placeholder=t.gettext(TEXTS["find_placeholder"]),
        help=t.gettext(TEXTS["find_help"]).format(n=t.number(len(ids))),
    )


def pick_actor(
    where: DeltaGenerator,
    label: str,
    key_db: DbKey,
    filter_json: str,
    *,
    key: str,
    preferred: list[str] | None = None,
    none_label: str | None = None,
) -> Any:
    """One actor id (or None when ``none_label`` is given and chosen)."""
    ids, labels, ranked = actor_choices(key_db, filter_json)
    current = st.session_state.get(key)
    query = _search(where, ids, key)
    options = _options(ids, labels, preferred or ranked, query, [current] if current else [])
    if preferred and len(ids) <= PICKER_LIMIT:
        options = list(dict.fromkeys([*preferred, *options]))
    choices: list[str | None] = [None, *options] if none_label is not None else [*options]

    def show(v: str | None) -> str:
        return str(none_label) if v is None else labels.get(v, v)

    return where.selectbox(label, choices, key=key, format_func=show)


def pick_actors(
    where: DeltaGenerator, label: str, key_db: DbKey, filter_json: str, *, key: str
) -> list[str]:
    """Several actor ids."""
    ids, labels, ranked = actor_choices(key_db, filter_json)
    chosen = [v for v in st.session_state.get(key, []) if v in labels]
    query = _search(where, ids, key)
    options = _options(ids, labels, ranked, query, chosen)
    return where.multiselect(
        label,
        options,
        key=key,
        format_func=lambda v: labels.get(v, v),
        placeholder=choose_placeholder(),
    )
