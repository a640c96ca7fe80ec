"""Numbers, percentages and dates as Swedish and English write them (values written by hand
from the languages' conventions: Språkrådet's Svenska skrivregler for Swedish, CLDR for both)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graph.i18n import format_date, format_number, format_percent, language_name, translator

NBSP = "\u00a0"  # Swedish groups thousands with a (no-break) space: 1 234,5


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.5, "sv", None, f"1{NBSP}234,5"),
        (1234.5, "en", None, "1,234.5"),
        (1234567, "sv", None, f"1{NBSP}234{NBSP}567"),
        (999, "sv", None, "999"),
        (-1234.5, "sv", None, f"\u22121{NBSP}234,5"),  # the minus sign, as CLDR writes it
        (0.5, "sv", 2, "0,50"),
        (1234.5678, "sv", 1, f"1{NBSP}234,6"),
        (1234.5678, "en", 2, "1,234.57"),
        (150000, "sv", 0, f"150{NBSP}000"),
        (2.25, "en", None, "2.25"),
    ],
)
def test_numbers(value: float, lang: str, decimals: int | None, expected: str) -> None:
    assert format_number(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("share", "lang", "decimals", "expected"),
    [
        (0.256, "sv", 0, f"26{NBSP}%"),  # Swedish puts a space before the per cent sign
        (0.256, "en", 0, "26%"),
        (0.256, "sv", 1, f"25,6{NBSP}%"),
        (0.256, "en", 1, "25.6%"),
        (1.0, "sv", 0, f"100{NBSP}%"),
        (0.0, "en", 2, "0.00%"),
    ],
)
def test_percentages(share: float, lang: str, decimals: int, expected: str) -> None:
    assert format_percent(share, lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "lang", "style", "expected"),
    [
        (date(2026, 12, 1), "sv", "long", "1 december 2026"),  # no capital, no dot
        (date(2026, 12, 1), "en", "long", "December 1, 2026"),
        (date(2022, 4, 1), "sv", "long", "1 april 2022"),
        (date(2026, 12, 1), "sv", "short", "2026-12-01"),  # ISO in Swedish
        (date(2026, 12, 1), "sv", "medium", "1 dec. 2026"),
        (datetime(2024, 6, 30, 23, 59), "sv", "long", "30 juni 2024"),
    ],
)
def test_dates(value: date, lang: str, style: str, expected: str) -> None:
    assert format_date(value, lang, style=style) == expected


def test_an_unknown_date_style_is_refused() -> None:
    with pytest.raises(ValueError, match="style must be one of"):
        format_date(date(2026, 1, 1), "sv", style="fancy")


def test_the_translator_writes_as_its_language() -> None:
    sv, en = translator("sv"), translator("en")
    assert (sv.number(1234.5), en.number(1234.5)) == (f"1{NBSP}234,5", "1,234.5")
    assert (sv.percent(0.5), en.percent(0.5)) == (f"50{NBSP}%", "50%")
    assert sv.date(date(2026, 12, 1)) == "1 december 2026"


def test_languages_are_named_in_themselves() -> None:
    assert [language_name(lang) for lang in ("sv", "en", "fi", "se")] == [
        "Svenska",
        "English",
        "Suomi",
        "Davvisámegiella",
    ]
