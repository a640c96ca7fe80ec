"""Bytes to text for the readers: UTF-8 with or without BOM, UTF-16/32 with a BOM, else
Windows-1252 with a warning.

Shared by the table readers and the CORDIS reader (which is why it is a module of its own: it
keeps ``readers`` and ``cordis`` from importing each other).
"""

from __future__ import annotations

import codecs
import re

from graph.errors import Problem
from graph.formats.messages import say
from graph.i18n import N_

__all__ = ["TEXTS", "decode_text"]

TEXTS = {
    "damaged": N_("damaged {encoding} text"),
    "no_bom": N_("UTF-16 text without a byte-order mark: save the file as 'CSV UTF-8'"),
    "empty": N_("the file is empty"),
    "binary": N_("binary data, not a text file"),
    "not_utf8": N_(
        "not UTF-8 text (a byte that no text encoding used here allows); save the file as "
        "'CSV UTF-8'"
    ),
    "mixed": N_(
        "mixed text encodings (part UTF-8, part Windows-1252); save the whole file as 'CSV UTF-8'"
    ),
    "windows_1252": N_(
        "{file}: not UTF-8; read as Windows-1252 (save as 'CSV UTF-8' to avoid this guess)"
    ),
}

_MOJIBAKE = re.compile("[\u00c3\u00c2][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc]")
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


def _has_utf8_letters(data: bytes) -> bool:
    """Whether some run of non-ASCII bytes is valid UTF-8 (as "Ŋ" or "å" are). In text that
    really is Windows-1252 that almost never happens: its letters are single bytes that UTF-8
    does not allow alone, so such a run marks a UTF-8 part of a file that is not all UTF-8."""
    for run in _NON_ASCII_RUN.finditer(data):
        try:
            run.group().decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


# Byte-order marks of the wider Unicode encodings (UTF-32 first: its LE mark begins like UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _decode_unicode(data: bytes, file: str) -> tuple[str | None, list[Problem], list[str]] | None:
    """UTF-16 or UTF-32 text (Excel's "Unicode Text" is UTF-16 with a byte-order mark), or None
    when ``data`` is neither. Without a mark, a NUL in every other byte names UTF-16."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), [], []
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count("\n".encode(codec)) + 1
                why = say(TEXTS["damaged"], encoding=name)
                return None, [Problem(file, str(line), "", why)], []
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > 0.9 * len(head[1::2]) and 0 not in head[0::2]:
        return None, [_no_bom(file)], []
    if len(head) >= 4 and head[0::2].count(0) > 0.9 * len(head[0::2]) and 0 not in head[1::2]:
        return None, [_no_bom(file)], []
    return None


def _no_bom(file: str) -> Problem:
    return Problem(file, "1", "", say(TEXTS["no_bom"]))


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem], list[str]]:
    """Decode a text file: UTF-8 (with or without BOM), else Windows-1252 (older Swedish Excel).

    A file that mixes the two, or holds binary data, is a problem rather than a guess.
    """
    if not data.strip():
        return None, [Problem(file, "1", "", say(TEXTS["empty"]))], []
    unicode = _decode_unicode(data, file)
    if unicode is not None:
        return unicode
    if b"\x00" in data[:65536]:
        return None, [Problem(file, "1", "", say(TEXTS["binary"]))], []
    try:
        return data.decode("utf-8-sig"), [], []
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return (
                None,
                [Problem(file, str(bad_line), "", say(TEXTS["not_utf8"]))],
                [],
            )
        if _MOJIBAKE.search(text) or _has_utf8_letters(data):
            return (
                None,
                [Problem(file, str(bad_line), "", say(TEXTS["mixed"]))],
                [],
            )
        return (
            text,
            [],
            [say(TEXTS["windows_1252"], file=file)],
        )
