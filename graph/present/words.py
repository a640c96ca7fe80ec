"""Plain words for what people read beside a result: the filter in force, dates, counts.

A report or an exported map must say which part of the data it shows; these sentences do, in
the words of the page (no option names, no table names), in the language asked for (``lang``;
None: the language in force, ``graph.i18n.translator``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graph.analysis.network import GraphFilter
from graph.i18n import N_, NP_, VOCABULARIES, display_name, translator
from graph.present.palette import helix_label, kind_label

__all__ = [
    "PLURALS",
    "TEXTS",
    "count_phrase",
    "describe_filter",
    "helix_words",
    "kind_words",
    "long_date",
]

TEXTS = {
    "all": N_("all actors and ties"),
    "kinds": N_("kinds: {values}"),
    "helices": N_("helices: {values}"),
    "municipalities": N_("municipalities: {values}"),
    "regions": N_("regions: {values}"),
    "areas": N_("strength areas: {values}"),
    "window": N_("ties active {start} to {end}"),
    "from": N_("ties active from {start}"),
    "until": N_("ties active until {end}"),
    "sourced": N_("sourced data only, no synthetic demo data"),
    "exclude": N_("leaving out {count}"),
    "no_helix": N_("no helix"),
}
PLURALS = {
    "actors": NP_("{n} actor", "{n} actors"),
}


def long_date(day: date, lang: str | None = None) -> str:
    """A date as people write it in ``lang``.

    >>> long_date(date(2026, 12, 4), "en"), long_date(date(2026, 12, 4), "sv")
    ('4 December 2026', '4 december 2026')
    """
    t = translator(lang)
    if t.lang == "en":  # the report's English has always put the day first
        return f"{day.day} {day:%B %Y}"
    return t.date(day)


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    """``1 actor``, ``2 actors``, ``1,618 actors`` (English words only; a translated count is
    ``t.ngettext(*PLURALS[...], n)``).

    >>> count_phrase(1, "actor"), count_phrase(1618, "actor"), count_phrase(2, "city", "cities")
    ('1 actor', '1,618 actors', '2 cities')
    """
    word = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {word}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def kind_words(kind: str | None, lang: str | None = None) -> str:
    """An actor kind inside a sentence ("co-working space", "coworkingplats").

    >>> kind_words("coworking", "en"), kind_words("coworking", "sv")
    ('co-working space', 'coworkingplats')
    """
    t = translator(lang)
    if t.lang == "en":
        return kind_label(kind)
    known = kind if kind in VOCABULARIES["actor_kind"] else "other"
    return _lower_first(display_name("actor_kind", known, t.lang))


def helix_words(helix: str | None, lang: str | None = None) -> str:
    """A helix inside a sentence ("public sector", "offentlig sektor").

    >>> helix_words("public", "en"), helix_words("public", "sv")
    ('public sector', 'offentlig sektor')
    """
    t = translator(lang)
    if t.lang == "en":
        return helix_label(helix)
    if helix not in VOCABULARIES["helix"]:
        return t.gettext(TEXTS["no_helix"])
    return _lower_first(display_name("helix", str(helix), t.lang))


def describe_filter(
    flt: GraphFilter, area_names: Mapping[str, str] | None = None, *, lang: str | None = None
) -> str:
    """The filter in force in plain words, in ``lang``.

    >>> describe_filter(GraphFilter(), lang="en")
    'all actors and ties'
    >>> describe_filter(GraphFilter(kinds=("coworking",), exclude=("x",),
    ...     start=date(2020, 1, 1), end=date(2023, 12, 31)), lang="en")
    'kinds: co-working space; ties active 1 January 2020 to 31 December 2023; leaving out 1 actor'
    >>> describe_filter(GraphFilter(kinds=("coworking",), exclude=("x",)), lang="sv")
    'typer: coworkingplats; utelämnar 1 aktör'
    """
    t = translator(lang)
    names = area_names or {}
    bits: list[str] = []

    def say(key: str, **values: str) -> None:
        bits.append(t.gettext(TEXTS[key]).format(**values))

    if flt.kinds:
        say("kinds", values=", ".join(kind_words(k, t.lang) for k in flt.kinds))
    if flt.helices:
        say("helices", values=", ".join(helix_words(h, t.lang) for h in flt.helices))
    if flt.municipalities:
        say("municipalities", values=", ".join(flt.municipalities))
    if flt.regions:
        say("regions", values=", ".join(flt.regions))
    if flt.areas:
        say("areas", values=", ".join(names.get(a, a) for a in flt.areas))
    if flt.start and flt.end:
        say("window", start=long_date(flt.start, t.lang), end=long_date(flt.end, t.lang))
    elif flt.start:
        say("from", start=long_date(flt.start, t.lang))
    elif flt.end:
        say("until", end=long_date(flt.end, t.lang))
    if not flt.synthetic:
        say("sourced")
    if flt.exclude:
        n = len(flt.exclude)
        say("exclude", count=t.ngettext(*PLURALS["actors"], n).format(n=t.number(n)))
    return "; ".join(bits) or t.gettext(TEXTS["all"])
