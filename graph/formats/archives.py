"""Zips and Excel workbooks read safely: by their declared and actual sizes, in a streaming way,
refused before a string grows past the field limit.

A workbook is a zip of XML files. A 107 KB ``.xlsx`` held a 100 MB string (3.4 GB while openpyxl
read it), a 412 KB one a 400 MB shared string (killed past 6 GB); a CORDIS zip with one damaged
byte gave ``zlib.error`` and one with a lying member size ``BadZipFile``, both as tracebacks.
Here:

- ``open_zip`` opens an archive and checks every member's declared size and their sum against
  the file-size limit (``zipfile`` never unpacks more than a member declares, and a member
  that holds more fails its CRC);
- ``member_stream``/``read_member`` read one member, and turn every way a damaged archive fails
  (``zlib.error``, ``BadZipFile``, ``EOFError``, a CRC error) into one line,
  "not a readable zip: …";
- ``workbook_problems`` streams each sheet and the shared strings of a workbook through expat
  with a counter on the text of each element, so a cell past ``MAX_FIELD_CHARS`` is refused
  while at most one parser buffer of it exists, and refuses DOCTYPEs and entity declarations.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.parsers import expat

from graph.errors import Problem
from graph.formats.fields import MAX_FIELD_CHARS
from graph.formats.messages import count, say
from graph.i18n import N_
from graph.store.limits import ImportLimits

__all__ = [
    "DAMAGED",
    "TEXTS",
    "member_stream",
    "open_zip",
    "read_member",
    "workbook_problems",
]

# Every exception a damaged or lying archive raises while it is read.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_CHUNK = 1 << 20
# The parts of a workbook that hold cell text (sheets, shared strings, inline strings).
_TEXT_PARTS = ("xl/sharedStrings.xml", "xl/worksheets/")

TEXTS = {
    "not_zip": N_("not a readable zip: {reason}"),
    "size_lie": N_("{member} holds {actual} bytes, not the {declared} its directory says"),
    "long_cell": N_("a cell longer than {limit} characters in {part}"),
    "doctype": N_("{part} declares a DOCTYPE, which a workbook never needs"),
    "entity": N_("{part} declares an entity, which a workbook never needs"),
    "not_excel": N_("not a readable Excel workbook: {part}: {reason}"),
}


def _unreadable(file: str, exc: BaseException | str) -> Problem:
    text = exc if isinstance(exc, str) else (str(exc).splitlines() or [type(exc).__name__])[0]
    return Problem(file, "", "", say(TEXTS["not_zip"], reason=text or type(exc).__name__))


def open_zip(
    path: Path, file: str, limits: ImportLimits
) -> tuple[zipfile.ZipFile | None, Problem | None]:
    """The archive at ``path``, or the one problem that refuses it: not a zip, damaged, or
    unpacking to more than the file-size limit (by the sizes its members declare)."""
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except DAMAGED as exc:
        return None, _unreadable(file, exc)
    total = 0
    for info in infos:
        total += info.file_size
        too_large = limits.size_problem(f"{file}[{info.filename}]", info.file_size)
        if too_large is None:
            too_large = limits.size_problem(f"{file} (unpacked)", total)
        if too_large is not None:
            archive.close()
            return None, too_large
    return archive, None


@contextmanager
def member_stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[IO[bytes]]:
    """A member opened for streaming reads (``archive.open``); errors are the caller's to turn
    into a problem with ``DAMAGED``."""
    with archive.open(info) as stream:
        yield stream


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str
) -> tuple[bytes | None, Problem | None]:
    """All bytes of one member (its declared size was checked by ``open_zip``), or the problem
    of a damaged or lying member."""
    try:
        with archive.open(info) as stream:
            parts = []
            while chunk := stream.read(_CHUNK):
                parts.append(chunk)
    except DAMAGED as exc:
        return None, _unreadable(file, exc)
    data = b"".join(parts)
    if len(data) != info.file_size:
        return None, _unreadable(file, _size_lie(info, len(data)))
    return data, None


def _size_lie(info: zipfile.ZipInfo, actual: int) -> str:
    return say(
        TEXTS["size_lie"],
        member=info.filename,
        actual=count(actual),
        declared=count(info.file_size),
    )


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _xml_problem(
    stream: IO[bytes], file: str, part: str, info: zipfile.ZipInfo | None = None
) -> Problem | None:
    """Stream one XML part through expat: a text run past the field limit, a DOCTYPE or an
    entity declaration is a problem (found while at most one chunk of it is in memory)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    # one element's text may come in several calls (parser buffers, chunk boundaries): count
    # it until the next tag
    run = [0]

    def tag(*_args: object) -> None:
        run[0] = 0

    def text(data: str) -> None:
        run[0] += len(data)
        if run[0] > MAX_FIELD_CHARS:
            raise _Refused(say(TEXTS["long_cell"], limit=count(MAX_FIELD_CHARS), part=part))

    parser.StartElementHandler = tag
    parser.EndElementHandler = tag

    def doctype(*_args: object) -> None:
        raise _Refused(say(TEXTS["doctype"], part=part))

    def entity(*_args: object) -> None:
        raise _Refused(say(TEXTS["entity"], part=part))

    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    actual = 0
    try:
        while chunk := stream.read(_CHUNK):
            actual += len(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as refused:
        return Problem(file, "", "", refused.reason)
    except expat.ExpatError as exc:
        return Problem(file, "", "", say(TEXTS["not_excel"], part=part, reason=exc))
    if info is not None and actual != info.file_size:
        return _unreadable(file, _size_lie(info, actual))
    return None


def workbook_problems(path: Path, file: str, limits: ImportLimits) -> list[Problem]:
    """What refuses a workbook before openpyxl reads it: not a readable zip, a member or the
    whole unpacking past the size limit, a cell past the field limit, a DOCTYPE or entity.

    >>> import io, zipfile as z, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with z.ZipFile(folder / "big.xlsx", "w", z.ZIP_DEFLATED) as book:
    ...     cell = "<sst><si><t>" + "x" * 200_000 + "</t></si></sst>"
    ...     book.writestr("xl/sharedStrings.xml", cell)
    >>> [p.reason for p in workbook_problems(folder / "big.xlsx", "big.xlsx", ImportLimits())]
    ['a cell longer than 100000 characters in xl/sharedStrings.xml']
    """
    archive, problem = open_zip(path, file, limits)
    if archive is None:
        return [problem] if problem else []
    with archive:
        for info in archive.infolist():
            name = info.filename
            if not (name.startswith(_TEXT_PARTS) and name.endswith(".xml")):
                continue
            try:
                with archive.open(info) as stream:
                    found = _xml_problem(stream, file, name, info)
            except DAMAGED as exc:
                return [_unreadable(file, exc)]
            if found is not None:
                return [found]
    return []
