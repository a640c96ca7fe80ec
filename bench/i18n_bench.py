"""Languages at size: sorting actor names the Swedish way, writing numbers and dates, and the
first load of a catalogue (compiled in memory from its .po file)."""

from __future__ import annotations

from datetime import date, timedelta

from bench.common import Row, timed
from graph.datasets.synth import synthetic_ecosystem
from graph.i18n import display_names, format_date, format_number, sort_frame, sort_key
from graph.i18n.catalogue import _translations, _translator, translator


def run(n: int) -> list[Row]:
    """Time each step on the ``n`` actor names of a synthetic ecosystem."""
    actors = synthetic_ecosystem(n, 2026, ties_per_actor=1)["actors"]
    names = actors["name"].to_list()
    size = f"{len(names)} names"
    rows: list[Row] = []

    _translations.cache_clear()
    _translator.cache_clear()
    with timed() as t:
        translator("sv")
    rows.append(Row("i18n", size, "load the Swedish catalogue (.po)", t()))

    key = sort_key("sv")
    with timed() as t:
        ordered = sorted(names, key=key)
    rows.append(Row("i18n", size, "sorted(names, key=sort_key('sv'))", t()))
    with timed() as t:
        framed = sort_frame(actors, "name", "sv")
    rows.append(Row("i18n", size, "sort_frame(actors, 'name', 'sv')", t()))
    assert framed["name"].to_list() == ordered

    with timed() as t:
        actors["kind"].replace_strict(display_names("actor_kind", "sv"))
    rows.append(Row("i18n", size, "kind column -> Swedish names", t()))
    with timed() as t:
        for i in range(len(names)):
            format_number(i * 1.5, "sv")
    rows.append(Row("i18n", size, "format_number (sv), one per name", t()))
    start = date(2020, 1, 1)
    with timed() as t:
        for i in range(len(names)):
            format_date(start + timedelta(days=i % 3650), "sv")
    rows.append(Row("i18n", size, "format_date (sv), one per name", t()))
    return rows
