"""Languages: message catalogues, the language in force, numbers and dates as each language writes
them, the Swedish sort order and the display names of the controlled vocabularies.

Every text a person reads is an English message marked in the code (``N_``, ``NP_``, ``NC_``, or a
translator's ``gettext``/``ngettext``) and translated in a gettext catalogue,
``graph/i18n/locale/<lang>/LC_MESSAGES/ecograph.po``, managed with Babel (``babel.cfg``, README
"Languages"). A language is a catalogue, not code: the languages are the catalogues found.

May import: ``errors`` only (every other part may import this one).
"""

from __future__ import annotations

from graph.i18n.catalogue import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGE_ENV,
    LOCALE_DIR,
    N_,
    NC_,
    NP_,
    Translator,
    available_languages,
    choose_language,
    chosen_language,
    current_language,
    normalise_language,
    preferred_languages,
    translator,
    use_language,
)
from graph.i18n.collation import sort_frame, sort_key, sorted_by_name
from graph.i18n.formatting import format_date, format_number, format_percent, language_name
from graph.i18n.vocabularies import VOCABULARIES, display_name, display_names

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGE_ENV",
    "LOCALE_DIR",
    "NC_",
    "NP_",
    "N_",
    "VOCABULARIES",
    "Translator",
    "available_languages",
    "choose_language",
    "chosen_language",
    "current_language",
    "display_name",
    "display_names",
    "format_date",
    "format_number",
    "format_percent",
    "language_name",
    "normalise_language",
    "preferred_languages",
    "sort_frame",
    "sort_key",
    "sorted_by_name",
    "translator",
    "use_language",
]
