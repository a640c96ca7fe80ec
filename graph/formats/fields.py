"""The field limit every reader applies, and a streaming check of CSV text against it.

One cell longer than ``MAX_FIELD_CHARS`` (100 000 characters) is a damaged or hostile file, not a
description. Readers must refuse it before the string is built: a 503 MB title in a CORDIS zip or
a 500 MB CSV with one field would otherwise take several times its size in memory before any
check ran. ``csv_stream_problem`` reads a byte stream line by line (each physical line at most
``MAX_LINE_CHARS``), through Python's csv module with the field limit set, so memory stays near
one line whatever the file holds. The graph-format readers use ``field_problem`` for their own
fields.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

from graph.errors import Problem
from graph.formats.messages import count, say
from graph.i18n import N_
from graph.store.limits import ImportLimits

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_LINE_CHARS",
    "TEXTS",
    "csv_stream_problem",
    "field_problem",
]

MAX_FIELD_CHARS = 100_000  # one cell; longer is a damaged file, not a description
MAX_LINE_CHARS = 32 * 1024 * 1024  # one physical line of a CSV file; longer is not a table
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

TEXTS = {
    "long_field_of": N_("a field longer than {limit} characters ({length})"),
    "long_field": N_("a field longer than {limit} characters"),
    "long_line": N_("a line longer than {limit} characters"),
}


def field_problem(file: str, row: str, column: str, length: int) -> Problem | None:
    """The problem of a field of ``length`` characters, or None when it is within the limit.

    >>> str(field_problem("graph.graphml", "node n1", "label", 300_000))
    'graph.graphml:node n1:label: a field longer than 100000 characters (300000)'
    """
    if length <= MAX_FIELD_CHARS:
        return None
    why = say(TEXTS["long_field_of"], limit=count(MAX_FIELD_CHARS), length=count(length))
    return Problem(file, row, column, why)


class _LineTooLong(Exception):
    def __init__(self, piece: str) -> None:
        super().__init__()
        self.piece = piece


def _lines(text: io.TextIOBase) -> Iterator[str]:
    while True:
        line = text.readline(MAX_LINE_CHARS)
        if not line:
            return
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise _LineTooLong(line)
        yield line


def _sniff(header: str, separator: str | None) -> str:
    if separator:
        return separator
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def csv_stream_problem(
    raw: IO[bytes], file: str, *, separator: str | None = None, limits: ImportLimits | None = None
) -> Problem | None:
    """Read CSV bytes from ``raw`` as a stream and return the first problem that would make a
    full read large: a field past ``MAX_FIELD_CHARS``, a line past ``MAX_LINE_CHARS``, more than
    ``limits.max_rows`` data rows. None when there is none (other defects are the full reader's).

    Text is decoded as UTF-8 (or UTF-16/32 after a byte-order mark), undecodable bytes counted
    as one character each, so a Windows-1252 file is measured as well as a UTF-8 one.

    >>> import io
    >>> str(csv_stream_problem(io.BytesIO(b"id;title\\n1;" + b"x" * 100_001 + b"\\n"), "p.csv"))
    'p.csv:2:: a field longer than 100000 characters'
    """
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    start = buffered.peek(4)[:4]
    encoding = next((codec for bom, codec in _WIDE if start.startswith(bom)), "utf-8-sig")
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
    lines = _lines(text)
    record = 1
    try:
        header = next(lines, None)
        if header is None:
            return None
        sep = _sniff(header, separator)
        records = csv.reader(_chain(header, lines), delimiter=sep, strict=False)
        for record, _fields in enumerate(records, start=1):
            if limits is not None and record - 1 > limits.max_rows:
                return limits.rows_problem(file)
    except _LineTooLong as long_line:
        sep = _sniff(long_line.piece[:65536], separator)
        if max(len(f) for f in long_line.piece.split(sep)) > MAX_FIELD_CHARS:
            reason = say(TEXTS["long_field"], limit=count(MAX_FIELD_CHARS))
        else:
            reason = say(TEXTS["long_line"], limit=count(MAX_LINE_CHARS))
        return Problem(file, str(record + 1), "", reason)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            why = say(TEXTS["long_field"], limit=count(MAX_FIELD_CHARS))
            return Problem(file, str(record + 1), "", why)
        return None  # the full reader reports other defects with their own words
    return None


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


csv.field_size_limit(MAX_FIELD_CHARS)
