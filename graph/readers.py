"""Read the files a user imports into raw tables: our CSV/Excel/Parquet layouts, and detection of
Kumu, GEXF, GraphML and node-link JSON files (converted by ``graph.kumu`` and
``graph.interchange``).

Reading never raises for bad content: every defect becomes a ``Problem`` with file, row and
column, so one import reports all of them at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from graph.errors import Problem, UsageError
from graph.rawdata import RawDataset, normalise_header, raw_table
from graph.tables import TABLES

__all__ = [
    "FORMATS",
    "MAX_FIELD_CHARS",
    "decode_text",
    "detect_format",
    "read_csv_text",
    "read_paths",
]

FORMATS = ("csv", "excel", "parquet", "kumu", "gexf", "graphml", "json")
MAX_FIELD_CHARS = 100_000  # one cell; longer is a damaged file, not a description

csv.field_size_limit(MAX_FIELD_CHARS)

_MOJIBAKE = re.compile("[\u00c3\u00c2][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc]")


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
        if _MOJIBAKE.search(text):
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


def _sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def read_csv_text(text: str, file: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Parse CSV text (``,``, ``;`` or tab, detected from the header) into String columns.

    Structural defects are reported per row with the spreadsheet row number: a row with more or
    fewer fields than the header, an unterminated quote, an over-long field, a repeated header.
    """
    first_line = text.split("\n", 1)[0]
    sep = _sniff_separator(first_line)
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    header: list[str] | None = None
    record = 1
    try:
        for record, fields in enumerate(reader, start=1):
            if header is None:
                header = fields
                continue
            if fields and len(fields) != len(header):
                problems.append(
                    Problem(
                        file,
                        str(record),
                        "",
                        f"{len(fields)} fields where the header has "
                        f"{len(header)} (separator '{sep}')",
                    )
                )
            if len(problems) >= 50:
                break
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a field longer than {MAX_FIELD_CHARS} characters"
        problems.append(Problem(file, str(record + 1), "", f"unreadable CSV: {reason}"))
    if header is None:
        return None, [*problems, Problem(file, "1", "", "the file has no header row")]
    normalised = [normalise_header(h) for h in header]
    for i, name in enumerate(normalised):
        if name and name in normalised[:i]:
            problems.append(Problem(file, "1", header[i], "column appears more than once"))
    if problems:
        return None, problems
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sep,
            infer_schema=False,
            has_header=True,
        )
    except pl.exceptions.PolarsError as exc:
        return None, [Problem(file, "", "", f"unreadable CSV: {str(exc).splitlines()[0]}")]
    return frame.rename(dict(zip(frame.columns, header, strict=True))), []


def _table_for_name(stem: str) -> str | None:
    name = normalise_header(stem)
    return name if name in TABLES else None


def _cell(value: Any) -> str | None:
    """An Excel cell as the text a CSV would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _excel_sheets(path: Path, file: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    from openpyxl import load_workbook  # imported here: only Excel imports pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        return {}, [Problem(file, "", "", f"not a readable Excel workbook: {exc}")]
    sheets: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    try:
        for ws in book.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            if not rows:
                continue
            header = [h if h is not None else "" for h in rows[0]]
            width = len(header)
            while width and not header[width - 1]:
                width -= 1
            header = header[:width]
            label = f"{file}[{ws.title}]"
            normalised = [normalise_header(h) for h in header]
            dupes = [h for i, h in enumerate(header) if normalised[i] in normalised[:i]]
            if dupes:
                problems.extend(
                    Problem(label, "1", h, "column appears more than once") for h in dupes
                )
                continue
            body = [r[:width] + [None] * (width - len(r)) for r in rows[1:]]
            columns = {h or f"column_{i + 1}": [r[i] for r in body] for i, h in enumerate(header)}
            sheets[ws.title] = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    finally:
        book.close()
    return sheets, problems


def detect_format(path: Path) -> str:
    """Guess a file's format from its extension (and, for CSV and Excel, later its headers)."""
    suffix = path.suffix.lower()
    if path.is_dir():
        return "folder"
    return {
        ".csv": "csv",
        ".tsv": "csv",
        ".txt": "csv",
        ".xlsx": "excel",
        ".xlsm": "excel",
        ".parquet": "parquet",
        ".gexf": "gexf",
        ".graphml": "graphml",
        ".xml": "graphml",
        ".json": "json",
    }.get(suffix, "unknown")


def _is_kumu_header(columns: Sequence[str]) -> str | None:
    names = [normalise_header(c) for c in columns]
    if names[:2] == ["from", "to"]:
        return "connections"
    if names[:1] == ["label"] or names[:2] == ["id", "label"]:
        return "elements"
    return None


def _read_csv_file(path: Path, forced: str | None, areas: dict[str, str]) -> RawDataset:
    out = RawDataset()
    file = path.name
    text, problems, warnings = decode_text(path.read_bytes(), file)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    if text is None:
        return out
    frame, problems = read_csv_text(text, file)
    out.problems.extend(problems)
    if frame is None:
        return out
    table = _table_for_name(path.stem)
    kumu_sheet = _is_kumu_header(frame.columns)
    if forced == "kumu" or (table is None and kumu_sheet):
        from graph.kumu import kumu_to_raw

        sheet = kumu_sheet or "elements"
        out.extend(kumu_to_raw({sheet: frame}, file, areas))
        return out
    if table is None:
        names = ", ".join(f"{t}.csv" for t in TABLES)
        out.problems.append(
            Problem(
                file,
                "",
                "",
                f"cannot tell which table this file holds: name it one of "
                f"{names}, or give Kumu's Label/From,To columns",
            )
        )
        return out
    tbl, problems, warnings = raw_table(table, frame, file)
    out.tables.append(tbl)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    return out


def _read_excel_file(path: Path, forced: str | None, areas: dict[str, str]) -> RawDataset:
    out = RawDataset()
    sheets, problems = _excel_sheets(path, path.name)
    out.problems.extend(problems)
    kumu_sheets = {
        normalise_header(name): frame
        for name, frame in sheets.items()
        if "(ignore)" not in name.lower() and normalise_header(name) in ("elements", "connections")
    }
    if forced == "kumu" or (kumu_sheets and not any(_table_for_name(n) for n in sheets)):
        from graph.kumu import kumu_to_raw

        out.extend(kumu_to_raw(kumu_sheets, path.name, areas))
        return out
    for name, frame in sheets.items():
        table = _table_for_name(name)
        if table is None:
            out.warnings.append(f"{path.name}: sheet '{name}' is not a table name and was ignored")
            continue
        tbl, problems, warnings = raw_table(table, frame, f"{path.name}[{name}]")
        out.tables.append(tbl)
        out.problems.extend(problems)
        out.warnings.extend(warnings)
    if not out.tables and not out.problems:
        out.problems.append(
            Problem(
                path.name,
                "",
                "",
                "no sheet is named after a table "
                f"({', '.join(TABLES)}) or Kumu's Elements/Connections",
            )
        )
    return out


def _read_parquet_file(path: Path) -> RawDataset:
    out = RawDataset()
    table = _table_for_name(path.stem)
    if table is None:
        out.problems.append(
            Problem(
                path.name,
                "",
                "",
                "name the Parquet file after its table "
                f"({', '.join(f'{t}.parquet' for t in TABLES)})",
            )
        )
        return out
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # pyarrow/polars raise several types for damaged files
        out.problems.append(Problem(path.name, "", "", f"not a readable Parquet file: {exc}"))
        return out
    as_text = frame.with_columns(
        [
            pl.col(c).cast(pl.String).str.to_lowercase()
            if t == pl.Boolean
            else pl.col(c).cast(pl.String)
            for c, t in frame.schema.items()
        ]
    )
    tbl, problems, warnings = raw_table(table, as_text, path.name)
    out.tables.append(tbl)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    return out


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in (".csv", ".parquet", ".xlsx")
                and _table_for_name(p.stem)
            )
            if not found:
                raise UsageError(
                    f"{path}: no table files in this folder (expected "
                    f"{', '.join(f'{t}.csv' for t in TABLES)})"
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def read_paths(
    paths: Sequence[str | Path], fmt: str | None = None, areas: dict[str, str] | None = None
) -> RawDataset:
    """Read files and folders into one ``RawDataset``.

    Parameters
    ----------
    paths:
        Files, or folders of ``<table>.csv`` / ``<table>.parquet`` files.
    fmt:
        Force a format (one of ``FORMATS``) instead of detecting it from the extension.
    areas:
        Known strength areas (normalised id or name → area id), so Kumu tags can become areas.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    areas = areas or {}
    out = RawDataset()
    for path in _expand(Path(p) for p in paths):
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        kind = fmt if fmt not in (None, "kumu") else detect_format(path)
        if fmt == "kumu" and path.suffix.lower() in (".xlsx", ".xlsm"):
            kind = "excel"
        elif fmt == "kumu":
            kind = "csv"
        if kind == "csv":
            out.extend(_read_csv_file(path, fmt, areas))
        elif kind == "excel":
            out.extend(_read_excel_file(path, fmt, areas))
        elif kind == "parquet":
            out.extend(_read_parquet_file(path))
        elif kind in ("gexf", "graphml", "json"):
            from graph.interchange import read_graph_file

            out.extend(read_graph_file(path, kind))
        else:
            raise UsageError(
                f"{path}: unknown file type '{path.suffix}' (give --format, one of "
                f"{', '.join(FORMATS)})"
            )
    return out
