"""Names sorted as each language sorts them: a sort key for ``sorted`` and for polars.

Swedish puts Å, Ä and Ö after Z, in that order, and sorts Æ with Ä, Ø and Œ with Ö, Ü with Y
(CLDR's Swedish rules). The Sami letters of names are never changed: in a Swedish or English list
Á, Č, Đ, Ŋ, Š, Ŧ and Ž sort with A, C, D, N, S, T and Z, just after the plain letter when two names
differ only there (``Avki`` < ``Ávki`` < ``Avkia``), which is where a Swedish reader looks for
them; a Northern Sami list (``se``) treats them as the letters of its own alphabet. Python's
``locale.strxfrm`` would do this only where the machine has a Swedish locale installed, so the
rules are written here, as data.

The key has three levels, compared in turn: the letters (primary), the accents (secondary) and
upper/lower case (tertiary), then the name itself so that the order is total. It is an ASCII
string, so Python and polars (which compares strings byte by byte) sort the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import polars as pl

__all__ = ["COLLATIONS", "Collation", "sort_frame", "sort_key", "sorted_by_name"]

_LATIN = "abcdefghijklmnopqrstuvwxyz"
# Weights: punctuation and spaces sort before digits, digits before letters, letters before
# everything else (other scripts keep their code point order after the letters).
_SPACE, _DIGIT, _LETTER, _OTHER = 0x10, 0x20, 0x100, 0x1000
# Letters sorted as another one come after every accent of it (secondary weights above marks).
_TAILORED = 0x500


@dataclass(frozen=True)
class Collation:
    """One language's sort rules: its alphabet in order, and the letters it sorts as another
    letter (``{"æ": "ä"}``: Æ is an Ä with a secondary difference) or as several (``"ß": "ss"``).
    """

    alphabet: str
    same_as: dict[str, str] = field(default_factory=dict)


# Letters without a decomposition that every language sorts with a base letter.
_COMMON = {
    "đ": "d", "ð": "d", "ŋ": "n", "ŧ": "t", "ł": "l", "ı": "i", "ß": "ss", "þ": "th",
}  # fmt: skip

_ROOT = Collation(_LATIN, {**_COMMON, "æ": "ae", "œ": "oe", "ø": "o"})
_SWEDISH = Collation(
    _LATIN + "åäö",
    {**_COMMON, "æ": "ä", "ę": "ä", "ø": "ö", "œ": "ö", "ő": "ö", "ô": "ö", "ü": "y", "ű": "y"},
)
# CLDR's Northern Sami alphabet; Æ, Ø, Å, Ä, Ö (Nordic names) follow Ž.
_NORTHERN_SAMI = Collation(
    "aábcčdđefghijklmnŋopqrsštŧuvwxyzžæøåäö",
    {k: v for k, v in _COMMON.items() if k not in {"đ", "ŋ", "ŧ"}} | {"œ": "ø", "ü": "y"},
)
COLLATIONS: dict[str, Collation] = {
    "en": _ROOT,
    "sv": _SWEDISH,
    "fi": _SWEDISH,  # Finnish sorts Å, Ä, Ö after Z as Swedish does
    "se": _NORTHERN_SAMI,
}


def _letter_weights(
    char: str, rules: Collation, rank: dict[str, int], tailored: list[str]
) -> tuple[str, str, str]:
    """One character's primary, secondary and tertiary weights, encoded (several units for a
    letter sorted as two, such as ß = ss)."""
    lower = char.lower() if len(char.lower()) == 1 else char
    case = "1" if lower != char else "0"
    if lower in rank:
        units = [(rank[lower], 0)]
    elif lower in rules.same_as:
        second = _TAILORED + tailored.index(lower)
        units = [(rank.get(t, _OTHER + ord(t)), second) for t in rules.same_as[lower]]
    else:
        decomposed = unicodedata.normalize("NFD", lower)
        base, marks = decomposed[0], decomposed[1:]
        mark = sum(ord(m) - 0x2FF for m in marks)  # 0 for a plain letter
        if base in rank:
            units = [(rank[base], mark)]
        elif base.isdigit() and unicodedata.digit(base, -1) >= 0:
            units = [(_DIGIT + unicodedata.digit(base), mark)]
        elif base.isspace() or unicodedata.category(base)[0] in "PSZC":
            units = [(_SPACE, ord(base))]
        else:
            units = [(_OTHER + ord(base), mark)]
    return (
        "".join(f"{p:06x}" for p, _ in units),
        "".join(f"{s:06x}" for _, s in units),
        case * len(units),
    )


@cache
def sort_key(lang: str) -> Callable[[str], str]:
    """A key function that sorts names as ``lang`` does (languages without rules of their own
    sort as English). Works with ``sorted`` and, as a string column, with polars.

    >>> sorted(["Östersund", "Åre", "Zeta", "Ärla", "Avki", "Ávki"], key=sort_key("sv"))
    ['Avki', 'Ávki', 'Zeta', 'Åre', 'Ärla', 'Östersund']
    >>> sorted(["Östersund", "Åre", "Zeta", "Ärla"], key=sort_key("en"))
    ['Åre', 'Ärla', 'Östersund', 'Zeta']
    """
    rules = COLLATIONS.get(lang, _ROOT)
    rank = {letter: _LETTER + i for i, letter in enumerate(rules.alphabet)}
    tailored = list(rules.same_as)
    known: dict[str, tuple[str, str, str]] = {}  # each character is weighed once

    def key(name: str) -> str:
        primary, secondary, tertiary = [], [], []
        for char in unicodedata.normalize("NFC", name):
            weights = known.get(char)
            if weights is None:
                weights = known[char] = _letter_weights(char, rules, rank, tailored)
            primary.append(weights[0])
            secondary.append(weights[1])
            tertiary.append(weights[2])
        # a space (below every hex digit) ends each level, so a shorter name sorts first
        return f"{''.join(primary)} {''.join(secondary)} {''.join(tertiary)} {name}"

    return key


def sorted_by_name(names: list[str], lang: str) -> list[str]:
    """``names`` sorted as ``lang`` sorts them (a convenience for pickers)."""
    return sorted(names, key=sort_key(lang))


def sort_frame(
    frame: pl.DataFrame, column: str, lang: str, descending: bool = False
) -> pl.DataFrame:
    """``frame`` sorted by the text ``column`` as ``lang`` sorts names (empty cells last).

    >>> frame = pl.DataFrame({"name": ["Östersund", "Åre", None, "Berg"]})
    >>> sort_frame(frame, "name", "sv")["name"].to_list()
    ['Berg', 'Åre', 'Östersund', None]
    """
    key = sort_key(lang)
    keys = pl.Series(
        [None if v is None else key(v) for v in frame[column].to_list()], dtype=pl.String
    )
    tmp = "__sort_key__"
    return (
        frame.with_columns(keys.alias(tmp))
        .sort(tmp, descending=descending, nulls_last=True, maintain_order=True)
        .drop(tmp)
    )
