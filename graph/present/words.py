"""Plain words for what people read beside a result: the filter in force, dates, counts.

A report or an exported map must say which part of the data it shows; these sentences do, in
the words of the page (no option names, no table names).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graph.analysis.network import GraphFilter
from graph.present.palette import helix_label, kind_label

__all__ = ["TEXTS", "count_phrase", "describe_filter", "long_date"]

TEXTS = {
    "all": "all actors and ties",
    "kinds": "kinds: {values}",
    "helices": "helices: {values}",
    "municipalities": "municipalities: {values}",
    "regions": "regions: {values}",
    "areas": "strength areas: {values}",
    "window": "ties active {start} to {end}",
    "from": "ties active from {start}",
    "until": "ties active until {end}",
    "sourced": "sourced data only, no synthetic demo data",
    "exclude": "leaving out {count}",
}


def long_date(day: date) -> str:
    """A date as people write it.

    >>> long_date(date(2026, 12, 4))
    '4 December 2026'
    """
    return f"{day.day} {day:%B %Y}"


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    """``1 actor``, ``2 actors``, ``1,618 actors``.

    >>> count_phrase(1, "actor"), count_phrase(1618, "actor"), count_phrase(2, "city", "cities")
    ('1 actor', '1,618 actors', '2 cities')
    """
    word = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {word}"


def describe_filter(flt: GraphFilter, area_names: Mapping[str, str] | None = None) -> str:
    """The filter in force in plain words.

    >>> describe_filter(GraphFilter())
    'all actors and ties'
    >>> describe_filter(GraphFilter(kinds=("coworking",), exclude=("x",),
    ...     start=date(2020, 1, 1), end=date(2023, 12, 31)))
    'kinds: co-working space; ties active 1 January 2020 to 31 December 2023; leaving out 1 actor'
    """
    names = area_names or {}
    bits: list[str] = []
    if flt.kinds:
        bits.append(TEXTS["kinds"].format(values=", ".join(kind_label(k) for k in flt.kinds)))
    if flt.helices:
        bits.append(TEXTS["helices"].format(values=", ".join(helix_label(h) for h in flt.helices)))
    if flt.municipalities:
        bits.append(TEXTS["municipalities"].format(values=", ".join(flt.municipalities)))
    if flt.regions:
        bits.append(TEXTS["regions"].format(values=", ".join(flt.regions)))
    if flt.areas:
        bits.append(TEXTS["areas"].format(values=", ".join(names.get(a, a) for a in flt.areas)))
    if flt.start and flt.end:
        bits.append(TEXTS["window"].format(start=long_date(flt.start), end=long_date(flt.end)))
    elif flt.start:
        bits.append(TEXTS["from"].format(start=long_date(flt.start)))
    elif flt.end:
        bits.append(TEXTS["until"].format(end=long_date(flt.end)))
    if not flt.synthetic:
        bits.append(TEXTS["sourced"])
    if flt.exclude:
        bits.append(TEXTS["exclude"].format(count=count_phrase(len(flt.exclude), "actor")))
    return "; ".join(bits) or TEXTS["all"]
