"""The app's language: the switch in the sidebar, and the translator every page asks for.

The choice lives in the page's address as ``?lang=sv``, and in the session. Streamlit clears
the query parameters when the user changes page, so the sidebar, which runs on every page,
writes the parameter back from the session each time; a reload or a bookmark starts a new
session that reads it from the address. Nothing is stored on the server or in a cookie
(Streamlit can read cookies but not set them without a custom component), so it works for a
viewer of a shared app too. Without a choice, the language is ``ECOGRAPH_LANG``, else the
browser's language when ecograph has a catalogue for it, else the server's locale, else
English (``graph.i18n.current_language``).
"""

from __future__ import annotations

import streamlit as st

from graph.errors import UsageError
from graph.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Translator,
    available_languages,
    choose_language,
    current_language,
    language_name,
    translator,
)

__all__ = [
    "QUERY_KEY",
    "STATE_KEY",
    "choose_placeholder",
    "render_language_switch",
    "settle_language",
    "ui_language",
    "ui_translator",
]

QUERY_KEY = "lang"
STATE_KEY = "ui_language"  # the session's choice
WIDGET_KEY = "ui_language_switch"  # the radio's own state

TEXTS = {
    # an empty multiselect's placeholder (Streamlit's own says it in English whatever the page)
    "choose": N_("Choose options"),
    "label": N_("Language"),
    "help": N_(
        "The language of the app. It stays in the address (?lang=…), so a reload or a "
        "bookmark keeps it."
    ),
}


def _default_language() -> str:
    """The language before any choice: the operator's, the browser's, the server's, English."""
    try:
        return current_language(preferred=[st.context.locale])
    except UsageError as exc:  # a wrong ECOGRAPH_LANG: say so once, speak English
        st.sidebar.warning(str(exc))
        return DEFAULT_LANGUAGE


def ui_language() -> str:
    """The language this browser session speaks (the default until the sidebar has run)."""
    chosen = st.session_state.get(STATE_KEY)
    return chosen if chosen in available_languages() else _default_language()


def choose_placeholder() -> str:
    """What an empty multiselect says, in the session's language."""
    return ui_translator().gettext(TEXTS["choose"])


def ui_translator() -> Translator:
    """The messages, numbers, dates and sorting of this session's language."""
    return translator(ui_language())


def settle_language() -> Translator:
    """Decide this run's language before anything is drawn (the navigation's page titles come
    first) and make it the language of everything the run says, the core's messages included
    (``graph.i18n.choose_language``: the run's thread is this session's alone)."""
    languages = available_languages()
    state = st.session_state
    if state.get(WIDGET_KEY) in languages:  # the switch as the user left it
        state[STATE_KEY] = state[WIDGET_KEY]
    elif state.get(STATE_KEY) not in languages:  # a new session: the address, else the default
        from_address = st.query_params.get(QUERY_KEY, "").strip().lower()
        # an unknown ?lang= (a typo in a link) falls back to the default rather than failing
        state[STATE_KEY] = from_address if from_address in languages else _default_language()
    choose_language(state[STATE_KEY])
    return translator(state[STATE_KEY])


def render_language_switch() -> Translator:
    """Draw the language switch at the top of the sidebar and return the translator it sets."""
    languages = available_languages()
    state = st.session_state
    t = settle_language()
    # the widget's own state goes when a run does not draw it; the session's choice stays
    state[WIDGET_KEY] = state[STATE_KEY]
    st.sidebar.radio(
        ":material/translate: " + t.gettext(TEXTS["label"]),
        languages,
        key=WIDGET_KEY,
        format_func=language_name,
        horizontal=True,
        help=t.gettext(TEXTS["help"]),
    )
    if st.query_params.get(QUERY_KEY) != t.lang:
        st.query_params[QUERY_KEY] = t.lang
    return t
