"""Damaged, lying and oversized zips and workbooks (issue #21, items 3 and 4): they gave
``zlib.error``/``BadZipFile`` tracebacks, or were read in full (a 107 KB workbook with a 100 MB
string took 3.4 GB; a CORDIS zip with a 503 MB title was imported). Each is now one line, and a
refused file is refused before it grows: the peak memory of a fresh process that reads it is
measured (``VmHWM``) and stays under 500 MB."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from graph.errors import ImportValidationError
from graph.formats.ingest import import_paths
from graph.formats.readers import read_paths
from graph.store.limits import ImportLimits
from tests.conftest import ROOT, snapshot
from tests.formats.test_cordis import (
    ORGANIZATION_HEADER,
    ORGANIZATIONS,
    PROJECT_HEADER,
    PROJECTS,
    ZIP_NAME,
    write_zip,
)

MB = 1024 * 1024


def _refused(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    before = snapshot(con)
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [path])
    after = snapshot(con)
    assert all(before[t].equals(after[t]) for t in before)
    return [str(p) for p in caught.value.problems]


def _peak_of_reading(path: Path) -> tuple[list[str], float]:
    """The problems and the peak resident memory (MB) of a fresh process reading ``path``."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from graph.formats.readers import read_paths\n"
        "raw = read_paths([sys.argv[1]])\n"
        # VmHWM starts again at exec; ru_maxrss would keep the forking pytest process's peak
        "hwm = [l for l in Path('/proc/self/status').read_text().splitlines()"
        " if l.startswith('VmHWM:')][0]\n"
        "peak = int(hwm.split()[1]) / 1024\n"
        "print(json.dumps([[str(p) for p in raw.problems], peak]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    problems, peak = json.loads(done.stdout)
    return problems, peak


def _damage_one_byte(path: Path, member: str) -> None:
    """Flip one byte in the middle of ``member``'s compressed data."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _deflated_zip(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ZIP_NAME
    rows = ORGANIZATIONS * 200  # enough data that a flipped byte lands inside a deflate block
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("csv/project.csv", "\n".join([PROJECT_HEADER, *PROJECTS]) + "\n")
        archive.writestr("csv/organization.csv", "\n".join([ORGANIZATION_HEADER, *rows]) + "\n")
    return path


def test_a_cordis_zip_with_one_damaged_byte_is_one_line(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = _deflated_zip(tmp_path / "damaged")
    _damage_one_byte(path, "csv/organization.csv")
    (problem,) = _refused(shipped_con, path)
    assert problem.startswith(f"{ZIP_NAME}[organization.csv]::: not a readable zip: ")


@pytest.mark.parametrize("change", [-50, +50])
def test_a_cordis_zip_with_a_lying_member_size_is_one_line(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path, change: int
) -> None:
    """The central directory says the member is 50 bytes smaller (or larger) than it is."""
    path = write_zip(tmp_path / "lying")
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("csv/organization.csv")
    data = bytearray(path.read_bytes())
    size = struct.pack("<I", info.file_size)
    lied = struct.pack("<I", info.file_size + change)
    at = data.rfind(size)  # the central directory's entry (after the local header's)
    data[at : at + 4] = lied
    path.write_bytes(bytes(data))
    (problem,) = _refused(shipped_con, path)
    assert problem.startswith(f"{ZIP_NAME}[organization.csv]::: not a readable zip: ")


def test_a_zip_that_is_no_zip_is_one_line(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / ZIP_NAME
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (problem,) = _refused(shipped_con, path)
    assert problem.startswith(f"{ZIP_NAME}::: not a readable zip: ")


def test_a_cordis_zip_declaring_more_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = _deflated_zip(tmp_path / "big")
    raw = read_paths([path], limits=ImportLimits(max_file_mb=0.01))
    (problem,) = raw.problems
    assert str(problem).startswith(f"{ZIP_NAME}[csv/organization.csv]::: the file is ")
    assert str(problem).endswith("over the limit of 0.0 MB (ECOGRAPH_MAX_FILE_MB or --max-file-mb)")


def test_a_cordis_zip_with_a_503_mb_title_is_refused_under_500_mb(tmp_path: Path) -> None:
    path = tmp_path / ZIP_NAME
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("csv/project.csv", "w", force_zip64=True) as member:
            member.write((PROJECT_HEADER + "\n101000009;BIG;SIGNED;").encode())
            block = b"x" * 1_000_000
            for _ in range(503):  # 503 MB, as in the issue (a little under the 500 MiB limit)
                member.write(block)
            member.write(b";2023-01-01;2025-12-31;1;1;;;HORIZON;;;HORIZON-RIA;;;;9;\n")
        archive.writestr("csv/organization.csv", "\n".join([ORGANIZATION_HEADER, *ORGANIZATIONS]))
    assert path.stat().st_size < 5 * MB
    problems, peak = _peak_of_reading(path)
    assert problems == [f"{ZIP_NAME}[project.csv]:2:: a field longer than 100000 characters"]
    assert peak < 500, f"{peak:.0f} MB"


def _workbook(path: Path, shared: int) -> Path:
    """A minimal workbook whose one shared string is ``shared`` characters long."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
            "</worksheet>",
        )
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst><si><t>")
            left = shared
            while left:
                step = min(left, MB)
                member.write(b"x" * step)
                left -= step
            member.write(b"</t></si></sst>")
    return path


@pytest.mark.parametrize(("size_mb", "file_kb"), [(100, 107), (400, 412)])
def test_a_small_workbook_with_a_huge_string_is_refused_under_500_mb(
    tmp_path: Path, size_mb: int, file_kb: int
) -> None:
    """A 107 KB workbook took 3.4 GB; a 412 KB one was killed past 6 GB."""
    path = _workbook(tmp_path / "actors.xlsx", size_mb * MB)
    assert path.stat().st_size < 2 * file_kb * 1024
    problems, peak = _peak_of_reading(path)
    assert problems == [
        "actors.xlsx::: a cell longer than 100000 characters in xl/sharedStrings.xml"
    ]
    assert peak < 500, f"{peak:.0f} MB"


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "actors.xlsx", 2 * MB)
    raw = read_paths([path], limits=ImportLimits(max_file_mb=1))
    (problem,) = raw.problems
    assert "over the limit of 1.0 MB" in str(problem)


def test_a_workbook_with_an_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "actors.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t>'
            "</si></sst>",
        )
    (problem,) = read_paths([path]).problems
    assert str(problem) == (
        "actors.xlsx::: xl/sharedStrings.xml declares a DOCTYPE, which a workbook never needs"
    )


def test_a_damaged_workbook_is_one_line(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "actors.xlsx", 300_000)
    _damage_one_byte(path, "xl/sharedStrings.xml")
    (problem,) = read_paths([path]).problems
    assert str(problem).startswith("actors.xlsx::: not a readable zip: ")


def test_a_csv_with_a_300_mb_field_is_refused_under_500_mb(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    with path.open("wb") as handle:
        handle.write(b"actor_id,name,kind,source_id\nx,")
        for _ in range(300):
            handle.write(b"y" * MB)
        handle.write(b",company,s1\n")
    problems, peak = _peak_of_reading(path)
    assert problems == ["actors.csv:2:: a field longer than 100000 characters"]
    assert peak < 500, f"{peak:.0f} MB"
