"""Numbers, percentages and dates as each language writes them, with Babel's CLDR data.

Swedish groups thousands with a no-break space and writes a decimal comma (``1 234,5``), puts a
no-break space before the per cent sign (``26 %``) and writes dates as ``1 december 2026``;
English writes ``1,234.5``, ``26%`` and ``December 1, 2026``. The no-break spaces keep a number
on one line in a report or a table cell.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import (
    NumberPattern,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_pattern,
)

__all__ = ["format_date", "format_number", "format_percent", "language_name", "number_symbols"]

DATE_STYLES = ("short", "medium", "long", "full")


def _pattern_with_decimals(pattern: str, decimals: int) -> str:
    """The locale's number pattern with exactly ``decimals`` digits after the separator."""
    integer = pattern.split(";")[0]
    head, sep, tail = integer.partition(".")
    if sep:  # drop the pattern's own fraction digits, keep what follows them (a % sign)
        tail = tail.lstrip("0#")
        integer = head + tail
    core_end = max(integer.rfind("0"), integer.rfind("#")) + 1
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return integer[:core_end] + fraction + integer[core_end:]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@cache
def _pattern(lang: str, kind: str, decimals: int | None) -> NumberPattern:
    """The locale's decimal or percent pattern, with ``decimals`` fixed (None: as CLDR says),
    parsed once: Babel would parse it again on every call."""
    locale = _locale(lang)
    formats = locale.decimal_formats if kind == "decimal" else locale.percent_formats
    pattern = formats[None]
    if decimals is None:
        return pattern
    return parse_pattern(_pattern_with_decimals(pattern.pattern, decimals))


@cache
def number_symbols(lang: str) -> dict[str, str]:
    """The marks ``lang`` writes numbers with (CLDR): ``decimal``, ``group`` (thousands) and
    ``minus``; for a chart's number locale, and for the minus sign Babel's patterns leave out.

    >>> number_symbols("sv") == {"decimal": ",", "group": "\xa0", "minus": "\u2212"}
    True
    """
    locale = _locale(lang)
    return {
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
        "minus": get_minus_sign_symbol(locale),
    }


def _minus(text: str, lang: str) -> str:
    """The language's own minus sign (Swedish writes U+2212, "−0,28"): Babel's patterns write
    a hyphen whatever CLDR's symbol is."""
    symbol = number_symbols(lang)["minus"]
    return symbol + text[1:] if text.startswith("-") and symbol != "-" else text


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """``value`` written as ``lang`` writes numbers.

    ``decimals`` fixes the digits after the separator; None shows up to three, as needed.

    >>> format_number(1234.5, "sv")
    '1\\xa0234,5'
    >>> format_number(1234.5, "en")
    '1,234.5'
    >>> format_number(0.5, "sv", decimals=2)
    '0,50'
    >>> format_number(-0.28, "sv", decimals=2), format_number(-0.28, "en", decimals=2)
    ('\u22120,28', '-0.28')
    """
    return _minus(_pattern(lang, "decimal", decimals).apply(value, _locale(lang)), lang)


def format_percent(share: float, lang: str, decimals: int = 0) -> str:
    """A share (0.256) as a percentage written as ``lang`` writes them, with ``decimals``
    digits after the separator.

    >>> format_percent(0.256, "sv"), format_percent(0.256, "sv", decimals=1)
    ('26\\xa0%', '25,6\\xa0%')
    >>> format_percent(0.256, "en", decimals=1)
    '25.6%'
    """
    return _minus(_pattern(lang, "percent", decimals).apply(share, _locale(lang)), lang)


def format_date(value: date | datetime, lang: str, style: str = "long") -> str:
    """A date written as ``lang`` writes dates; ``style`` is CLDR's short, medium, long or full.

    >>> from datetime import date
    >>> format_date(date(2026, 12, 1), "sv")
    '1 december 2026'
    >>> format_date(date(2026, 12, 1), "en")
    'December 1, 2026'
    """
    if style not in DATE_STYLES:
        raise ValueError(f"style must be one of {DATE_STYLES}, not {style!r}")
    if isinstance(value, datetime):
        value = value.date()
    return _babel_date(value, format=style, locale=_locale(lang))


def language_name(lang: str) -> str:
    """A language's name in that language, as a switch offers it (``Svenska``, ``English``).

    >>> language_name("sv"), language_name("en"), language_name("fi")
    ('Svenska', 'English', 'Suomi')
    """
    name = _locale(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
