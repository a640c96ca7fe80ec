"""The message catalogues and the language in force.

Messages are written in English in the code and marked so that Babel's extractor finds them
(``babel.cfg``): ``N_("…")`` marks a message kept in a ``TEXTS`` block and translated where it is
shown, ``NP_("…", "…")`` one with a plural form, ``NC_("context", "…")`` one with a context (a
short word such as "Other" means different things in different vocabularies), and
``t.gettext("…")``/``t.ngettext(…)`` translate on the spot. The catalogues are the ``.po`` files
themselves, compiled in memory when first used, so an editable install and a fresh clone need no
build step and a ``.mo`` file can never be older than its ``.po``.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from graph.errors import UsageError
from graph.i18n.collation import sort_key
from graph.i18n.formatting import format_date, format_number, format_percent

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGE_ENV",
    "LOCALE_DIR",
    "NC_",
    "NP_",
    "N_",
    "Translator",
    "available_languages",
    "choose_language",
    "chosen_language",
    "current_language",
    "normalise_language",
    "preferred_languages",
    "translator",
    "use_language",
]

DOMAIN = "ecograph"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_ENV = "ECOGRAPH_LANG"
# The language of the messages in the code, and the one spoken when nothing else is asked for.
DEFAULT_LANGUAGE = "en"
# Where the operating system keeps the user's language, in the order gettext reads them.
LOCALE_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# The language chosen for the work in hand (a command's --lang, a browser session's switch), so
# that a message built deep inside the core -- an error, a problem's reason -- speaks it without
# every function taking a language. Per thread and per task: Streamlit's sessions each run in a
# thread of their own, and a command sets it for its run only (``use_language``).
_CHOSEN: ContextVar[str | None] = ContextVar("ecograph_language", default=None)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (it is translated where shown)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for the catalogue; translate the pair with
    ``translator(lang).ngettext(*pair, n)``."""
    return singular, plural


def NC_(context: str, message: str) -> str:
    """Mark ``message`` with a ``context`` for the catalogue without translating it; translate it
    with ``translator(lang).pgettext(context, message)``."""
    return message


TEXTS = {
    "unknown": N_("{where}: {value!r} is not a language ecograph speaks; choose one of {choices}"),
}


@cache
def available_languages(locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages ecograph speaks: the catalogues under ``locale_dir``, English first (read
    once per process, like the catalogues themselves).

    A new language is a new catalogue (README, "Languages"), so the list is read, not written.

    >>> available_languages()[:1]
    ('en',)
    """
    found = {p.parents[1].name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    found.add(DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *sorted(found - {DEFAULT_LANGUAGE}))


def normalise_language(value: str) -> str:
    """The language part of a language or locale name, in lower case.

    >>> [normalise_language(v) for v in ("sv", "SV", "sv_SE.UTF-8", "sv-FI", "en_GB@euro")]
    ['sv', 'sv', 'sv', 'sv', 'en']
    """
    text = value.strip().split(":")[0]
    for sep in (".", "@", "_", "-"):
        text = text.split(sep)[0]
    return text.lower()


def preferred_languages(accept_language: str | None) -> list[str]:
    """The languages of an HTTP ``Accept-Language`` header, most wanted first (for a page
    served outside Streamlit, such as a lab's form: ``current_language(preferred=…)``).

    >>> preferred_languages("en-GB;q=0.8, sv-SE, sv;q=0.9, *;q=0.1")
    ['sv-SE', 'sv', 'en-GB']
    >>> preferred_languages(None)
    []
    """
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, i, tag))
    return [tag for _, _, tag in sorted(ranked)]


def current_language(
    explicit: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    preferred: Sequence[str | None] = (),
    languages: Iterable[str] | None = None,
) -> str:
    """The language to speak: an ``explicit`` choice (``--lang``, the app's switch), else
    ``ECOGRAPH_LANG``, else the first of the ``preferred`` languages (a browser's) that
    ecograph has a catalogue for, else the locale's language when ecograph has a catalogue for
    it (Swedish today), else English.

    An explicit choice or ``ECOGRAPH_LANG`` that names a language without a catalogue is a
    mistake worth saying (``UsageError``); a browser or a locale in another language simply
    means English.

    >>> current_language(env={"LANG": "sv_SE.UTF-8"})
    'sv'
    >>> current_language(env={"LANG": "de_DE.UTF-8"})
    'en'
    >>> current_language("en", env={"ECOGRAPH_LANG": "sv"})
    'en'
    >>> current_language(env={"LANG": "en_GB.UTF-8"}, preferred=["de-DE", "sv-SE"])
    'sv'
    """
    env = os.environ if env is None else env
    known = tuple(languages) if languages is not None else available_languages()
    for where, value in (("--lang", explicit), (LANGUAGE_ENV, env.get(LANGUAGE_ENV))):
        if value is None or not value.strip():
            continue
        lang = normalise_language(value)
        if lang not in known:
            # said in the locale's language: the one asked for is the mistake
            said_in = current_language(env={k: v for k, v in env.items() if k != LANGUAGE_ENV})
            message = _translator(said_in, LOCALE_DIR).gettext(TEXTS["unknown"])
            raise UsageError(message.format(where=where, value=value, choices=", ".join(known)))
        return lang
    for value in preferred:
        if value and normalise_language(value) in known:
            return normalise_language(value)
    for name in LOCALE_ENV:
        value = env.get(name, "").strip()
        if value:  # the first one set decides, as for gettext
            lang = normalise_language(value)
            return lang if lang in known else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@contextmanager
def use_language(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` (None: the default order of ``current_language``) in whatever runs inside
    the block, in this thread or task; the language before comes back afterwards.

    >>> with use_language("sv"):
    ...     translator().pgettext("actor kind", "Municipality")
    'Kommun'
    """
    token = _CHOSEN.set(lang)
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def choose_language(lang: str | None) -> None:
    """Speak ``lang`` from now on in this thread or task (a Streamlit script run, whose thread
    ends with it; a command whose run ``use_language`` encloses)."""
    _CHOSEN.set(lang)


def chosen_language() -> str | None:
    """The language ``use_language`` chose for the work in hand, if any."""
    return _CHOSEN.get()


@cache
def _translations(lang: str, locale_dir: Path) -> _gettext.NullTranslations:
    """The catalogue of ``lang`` compiled in memory (fuzzy and empty entries left out, so the
    English message shows instead), or no translations for a language without a catalogue."""
    po = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


@dataclass(frozen=True)
class Translator:
    """One language's messages and ways of writing numbers, dates and sorted lists.

    ``gettext(message)``, ``ngettext(singular, plural, n)``, ``pgettext(context, message)`` and
    ``npgettext(context, singular, plural, n)`` are the standard gettext functions; ``number``,
    ``percent``, ``date`` and ``sort_key`` write and sort as the language does.
    """

    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    pgettext: Callable[[str, str], str]
    npgettext: Callable[[str, str, str, int], str]

    def number(self, value: float, decimals: int | None = None) -> str:
        """``value`` as the language writes it (``1 234,5`` in Swedish)."""
        return format_number(value, self.lang, decimals=decimals)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share (0.25) as a percentage (``25 %`` in Swedish)."""
        return format_percent(share, self.lang, decimals=decimals)

    def date(self, value: date | datetime, style: str = "long") -> str:
        """A date as the language writes it (``1 december 2026`` in Swedish)."""
        return format_date(value, self.lang, style=style)

    def sort_key(self) -> Callable[[str], Any]:
        """A key for ``sorted`` that orders names as the language does (Å, Ä, Ö after Z)."""
        return sort_key(self.lang)


def translator(lang: str | None = None, locale_dir: Path = LOCALE_DIR) -> Translator:
    """The messages of ``lang``, read once per language; when None, of the language chosen for
    the work in hand (``use_language``), else ``current_language()``'s.

    >>> t = translator("sv")
    >>> t.pgettext("actor kind", "Municipality"), t.number(1234.5)
    ('Kommun', '1\xa0234,5')
    """
    explicit = lang if lang is not None else _CHOSEN.get()
    return _translator(
        current_language(explicit, languages=available_languages(locale_dir)), locale_dir
    )


@cache
def _translator(lang: str, locale_dir: Path) -> Translator:
    tr = _translations(lang, locale_dir)
    return Translator(lang, tr.gettext, tr.ngettext, tr.pgettext, tr.npgettext)
