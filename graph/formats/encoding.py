"""Bytes to text for the readers: UTF-8 with or without BOM, else Windows-1252 with a warning.

Shared by the table readers and the CORDIS reader (which is why it is a module of its own: it
keeps ``readers`` and ``cordis`` from importing each other).
"""

from __future__ import annotations

import re

from graph.errors import Problem

__all__ = ["decode_text"]

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


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem], list[str]]:
    """Decode a text file: UTF-8 (with or without BOM), else Windows-1252 (older Swedish Excel).

    A file that mixes the two, or holds binary data, is a problem rather than a guess.
    """
    if not data.strip():
        return None, [Problem(file, "1", "", "the file is empty")], []
    if b"\x00" in data[:65536]:
        return None, [Problem(file, "1", "", "binary data, not a text file")], []
    try:
        return data.decode("utf-8-sig"), [], []
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return (
                None,
                [
                    Problem(
                        file,
                        str(bad_line),
                        "",
                        "not UTF-8 text (a byte that no text encoding "
                        "used here allows); save the file as 'CSV UTF-8'",
                    )
                ],
                [],
            )
        if _MOJIBAKE.search(text) or _has_utf8_letters(data):
            return (
                None,
                [
                    Problem(
                        file,
                        str(bad_line),
                        "",
                        "mixed text encodings (part UTF-8, part "
                        "Windows-1252); save the whole file as 'CSV UTF-8'",
                    )
                ],
                [],
            )
        return (
            text,
            [],
            [f"{file}: not UTF-8; read as Windows-1252 (save as 'CSV UTF-8' to avoid this guess)"],
        )
