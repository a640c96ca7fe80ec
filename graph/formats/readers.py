"""Read the files a user imports into raw tables: our CSV/Excel/Parquet layouts, and detection of
Kumu, GEXF, GraphML and node-link JSON files (converted by ``graph.formats.kumu`` and
``graph.formats.interchange``).

Reading never raises for bad content: every defect becomes a ``Problem`` with file, row and
column, so one import reports all of them at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from warnings import catch_warnings, simplefilter

import polars as pl

from graph.errors import Problem, UsageError
from graph.formats.archives import workbook_problems
from graph.formats.cordis import CordisOptions, cordis_folder_files, is_cordis_file, read_cordis
from graph.formats.encoding import decode_text
from graph.formats.fields import MAX_FIELD_CHARS, csv_stream_problem
from graph.formats.messages import count, say
from graph.formats.rawdata import RawDataset, normalise_header, raw_table
from graph.i18n import N_
from graph.store.limits import ImportLimits
from graph.store.tables import TABLES

__all__ = [
    "FORMATS",
    "MAX_FIELD_CHARS",
    "TEXTS",
    "detect_format",
    "read_csv_text",
    "read_paths",
]

FORMATS = (
    "csv", "excel", "parquet", "kumu", "gexf", "graphml", "gml", "pajek", "json", "cordis",
)  # fmt: skip
# files above this size are first read as a stream, so a hostile field is refused before
# the whole text is in memory (graph.formats.fields)
_STREAM_CHECK_BYTES = 16 * 1024 * 1024

csv.field_size_limit(MAX_FIELD_CHARS)

TEXTS = {
    "fields": N_("{fields} fields where the header has {header} (separator '{sep}')"),
    "long_field": N_("a field longer than {limit} characters"),
    "unreadable_csv": N_("unreadable CSV: {reason}"),
    "no_header": N_("the file has no header row"),
    "repeated_column": N_("column appears more than once"),
    "not_excel": N_("not a readable Excel workbook: {reason}"),
    "which_table": N_(
        "cannot tell which table this file holds: name it one of {names}, or give Kumu's "
        "Label/From,To columns"
    ),
    "excel_warning": N_("{file}: Excel: {text}"),
    "sheet_ignored": N_("{file}: sheet '{sheet}' is not a table name and was ignored"),
    "cordis_workbook": N_(
        "a CORDIS workbook: ecograph reads CORDIS's CSV files, so download the CSV zip "
        "(cordis-HORIZONprojects-csv.zip) and import that"
    ),
    "no_table_sheet": N_(
        "no sheet is named after a table ({tables}) or Kumu's Elements/Connections"
    ),
    "parquet_name": N_("name the Parquet file after its table ({names})"),
    "not_parquet": N_("not a readable Parquet file: {reason}"),
    "no_table_files": N_("{path}: no table files in this folder (expected {names})"),
    "unknown_format": N_("unknown format '{fmt}' (choose from {formats})"),
    "cannot_read": N_("{path}: cannot read it ({reason})"),
    "no_such_file": N_("{path}: no such file or folder"),
    "not_regular": N_("{path}: not a regular file (devices, pipes and sockets are refused)"),
    "unknown_type": N_("{path}: unknown file type '{suffix}' (give --format, one of {formats})"),
}

_LINE_END = re.compile(r"\r\n|\r|\n")
# Rows are turned into a frame this many at a time when polars cannot be trusted with a file.
_CHUNK_ROWS = 65_536


def _sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _column_names(header: list[str]) -> list[str]:
    """The header as unique frame column names: an empty header cell becomes ``column_<n>``."""
    names: list[str] = []
    taken: set[str] = set()  # a set: a 100 000-column header took 87 s with a list
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        while name in taken:
            name += "_"
        names.append(name)
        taken.add(name)
    return names


def _repeated(normalised: Sequence[str]) -> list[int]:
    """The positions of header names seen before (in one pass, whatever the width)."""
    seen: set[str] = set()
    repeats: list[int] = []
    for i, name in enumerate(normalised):
        if name and name in seen:
            repeats.append(i)
        seen.add(name)
    return repeats


def _frame_from_records(text: str, sep: str, names: list[str]) -> pl.DataFrame:
    """The data rows as Python's csv module reads them (it already vetted the file), turned
    into a frame a chunk at a time so memory stays near the size of the frame itself."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    next(reader)
    schema = dict.fromkeys(names, pl.String)
    blank: list[str | None] = [None] * len(names)
    chunks: list[pl.DataFrame] = []
    rows: list[list[str] | list[str | None]] = []
    for fields in reader:
        rows.append(fields or blank)
        if len(rows) == _CHUNK_ROWS:
            chunks.append(pl.DataFrame(rows, schema=schema, orient="row"))
            rows = []
    chunks.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(chunks)


def read_csv_text(
    text: str, file: str, *, max_rows: int | None = None
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Parse CSV text (``,``, ``;`` or tab, detected from the header) into String columns.

    Structural defects are reported per row with the spreadsheet row number: a row with more or
    fewer fields than the header, an unterminated quote, an over-long field, a repeated header,
    more than ``max_rows`` rows.
    """
    first_line = _LINE_END.split(text, maxsplit=1)[0]
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
            if max_rows is not None and record - 1 > max_rows:
                problems.append(ImportLimits(max_rows=max_rows).rows_problem(file))
                break
            if fields and len(fields) != len(header):
                why = say(
                    TEXTS["fields"], fields=count(len(fields)), header=count(len(header)), sep=sep
                )
                problems.append(Problem(file, str(record), "", why))
            if len(problems) >= 50:
                break
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = say(TEXTS["long_field"], limit=count(MAX_FIELD_CHARS))
        why = say(TEXTS["unreadable_csv"], reason=reason)
        problems.append(Problem(file, str(record + 1), "", why))
    if header is None:
        return None, [*problems, Problem(file, "1", "", say(TEXTS["no_header"]))]
    normalised = [normalise_header(h) for h in header]
    for i in _repeated(normalised):
        problems.append(Problem(file, "1", header[i], say(TEXTS["repeated_column"])))
    if problems:
        return None, problems
    names = _column_names(header)
    data_rows = record - 1
    # polars reads fast but is a second parser: where it disagrees with the csv module that
    # checked the file (line ends of a lone CR, as old Mac Excel writes, or a quote inside an
    # unquoted field), the csv module's reading is the one to trust.
    try:
        frame: pl.DataFrame | None = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sep,
            infer_schema=False,
            has_header=True,
        )
    except pl.exceptions.PolarsError:
        frame = None
    if frame is None or frame.shape != (data_rows, len(names)):
        frame = _frame_from_records(text, sep, names)
    frame.columns = names
    return frame, []


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


def _excel_sheets(
    path: Path, file: str, limits: ImportLimits | None = None
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    from openpyxl import load_workbook  # imported here: only Excel imports pay for it

    limits = limits or ImportLimits()
    # a workbook is a zip: its sizes and every cell's length are checked while streaming,
    # before openpyxl builds a string (a 107 KB file held a 100 MB one)
    refused = workbook_problems(path, file, limits)
    if refused:
        return {}, refused
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        why = say(TEXTS["not_excel"], reason=_first_line(exc))
        return {}, [Problem(file, "", "", why)]
    sheets: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    try:
        for ws in book.worksheets:
            rows: list[list[str | None]] = []
            # a workbook is a zip: a small file can hold millions of rows, so count while reading
            for row in ws.iter_rows(values_only=True):
                if len(rows) > limits.max_rows:
                    break
                rows.append([_cell(v) for v in row])
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            if len(rows) > limits.max_rows:
                problems.append(limits.rows_problem(f"{file}[{ws.title}]"))
                continue
            if not rows:
                continue
            header = [h if h is not None else "" for h in rows[0]]
            width = len(header)
            while width and not header[width - 1]:
                width -= 1
            header = header[:width]
            label = f"{file}[{ws.title}]"
            normalised = [normalise_header(h) for h in header]
            dupes = [header[i] for i in _repeated(normalised)]
            if dupes:
                problems.extend(
                    Problem(label, "1", h, say(TEXTS["repeated_column"])) for h in dupes
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
        ".gml": "gml",
        ".net": "pajek",
        ".paj": "pajek",
        ".json": "json",
    }.get(suffix, "unknown")


def _is_kumu_header(columns: Sequence[str]) -> str | None:
    names = [normalise_header(c) for c in columns]
    if names[:2] == ["from", "to"]:
        return "connections"
    if names[:1] == ["label"] or names[:2] == ["id", "label"]:
        return "elements"
    return None


def _first_line(exc: BaseException) -> str:
    """An exception as one line of a problem report (some carry pages of detail, some none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_csv_file(
    path: Path,
    forced: str | None,
    areas: dict[str, str],
    limits: ImportLimits,
    dataset: str | None = None,
) -> RawDataset:
    out = RawDataset()
    file = path.name
    if path.stat().st_size > _STREAM_CHECK_BYTES:
        with path.open("rb") as handle:
            streamed = csv_stream_problem(handle, file, limits=limits)
        if streamed:
            out.problems.append(streamed)
            return out
    with path.open("rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)  # never more, whatever the file claims
    too_large = limits.size_problem(file, len(data))
    if too_large:
        out.problems.append(too_large)
        return out
    text, problems, warnings = decode_text(data, file)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    if text is None:
        return out
    frame, problems = read_csv_text(text, file, max_rows=limits.max_rows)
    out.problems.extend(problems)
    if frame is None:
        return out
    table = _table_for_name(path.stem)
    kumu_sheet = _is_kumu_header(frame.columns)
    if forced == "kumu" or (table is None and kumu_sheet):
        from graph.formats.kumu import kumu_to_raw

        sheet = kumu_sheet or "elements"
        out.extend(kumu_to_raw({sheet: frame}, file, areas, dataset))
        return out
    if table is None:
        names = ", ".join(f"{t}.csv" for t in TABLES)
        out.problems.append(Problem(file, "", "", say(TEXTS["which_table"], names=names)))
        return out
    tbl, problems, warnings = raw_table(table, frame, file)
    out.tables.append(tbl)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    return out


def _read_excel_file(
    path: Path,
    forced: str | None,
    areas: dict[str, str],
    limits: ImportLimits,
    dataset: str | None = None,
) -> RawDataset:
    out = RawDataset()
    with catch_warnings(record=True) as caught:
        # openpyxl warns about styles, data validation and the like on stderr, in many lines
        simplefilter("always")
        sheets, problems = _excel_sheets(path, path.name, limits)
    out.problems.extend(problems)
    out.warnings.extend(
        dict.fromkeys(
            say(TEXTS["excel_warning"], file=path.name, text=_first_line(Exception(w.message)))
            for w in caught
        )
    )
    kumu_sheets = {
        normalise_header(name): frame
        for name, frame in sheets.items()
        if "(ignore)" not in name.lower() and normalise_header(name) in ("elements", "connections")
    }
    if forced == "kumu" or (kumu_sheets and not any(_table_for_name(n) for n in sheets)):
        from graph.formats.kumu import KUMU_SIDE_TABLES, kumu_to_raw

        areas = dict(areas)
        for name, frame in sheets.items():
            # sheets Kumu skips ("(ignore)") where our Kumu export keeps sources and areas
            side = normalise_header(name.lower().replace("(ignore)", ""))
            if "(ignore)" not in name.lower() or side not in KUMU_SIDE_TABLES:
                continue
            tbl, problems, warnings = raw_table(side, frame, f"{path.name}[{name}]")
            out.tables.append(tbl)
            out.problems.extend(problems)
            out.warnings.extend(warnings)
            if side == "strength_areas" and {"area_id", "name"} <= set(tbl.frame.columns):
                for area_id, area_name in tbl.frame.select("area_id", "name").iter_rows():
                    if area_id:
                        areas[normalise_header(area_id)] = area_id
                        if area_name:
                            areas[normalise_header(area_name)] = area_id
        out.extend(kumu_to_raw(kumu_sheets, path.name, areas, dataset))
        return out
    for name, frame in sheets.items():
        table = _table_for_name(name)
        if table is None:
            out.warnings.append(say(TEXTS["sheet_ignored"], file=path.name, sheet=name))
            continue
        tbl, problems, warnings = raw_table(table, frame, f"{path.name}[{name}]")
        out.tables.append(tbl)
        out.problems.extend(problems)
        out.warnings.extend(warnings)
    if not out.tables and not out.problems:
        headers = {normalise_header(c) for frame in sheets.values() for c in frame.columns}
        cordis = {"projectid", "organisationid", "frameworkprogramme"} & headers
        out.problems.append(
            Problem(
                path.name,
                "",
                "",
                say(TEXTS["cordis_workbook"])
                if cordis
                else say(TEXTS["no_table_sheet"], tables=", ".join(TABLES)),
            )
        )
    return out


def _read_parquet_file(path: Path, limits: ImportLimits) -> RawDataset:
    out = RawDataset()
    table = _table_for_name(path.stem)
    if table is None:
        out.problems.append(
            Problem(
                path.name,
                "",
                "",
                say(TEXTS["parquet_name"], names=", ".join(f"{t}.parquet" for t in TABLES)),
            )
        )
        return out
    try:
        # Parquet compresses well: ask the footer for the row count before reading the rows
        if pl.scan_parquet(path).select(pl.len()).collect().item() > limits.max_rows:
            out.problems.append(limits.rows_problem(path.name))
            return out
        frame = pl.read_parquet(path)
    except Exception as exc:  # pyarrow/polars raise several types for damaged files
        out.problems.append(
            Problem(path.name, "", "", say(TEXTS["not_parquet"], reason=_first_line(exc)))
        )
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
                found = cordis_folder_files(path)  # an unzipped CORDIS dump
            if not found:
                names = ", ".join(f"{t}.csv" for t in TABLES)
                raise UsageError(say(TEXTS["no_table_files"], path=path, names=names))
            files.extend(found)
        else:
            files.append(path)
    return files


def read_paths(
    paths: Sequence[str | Path],
    fmt: str | None = None,
    areas: dict[str, str] | None = None,
    limits: ImportLimits | None = None,
    *,
    cordis: CordisOptions | None = None,
    progress: Callable[[str], None] | None = None,
    dataset: str | None = None,
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
    limits:
        The largest file and the most rows per file (default: ``ImportLimits()``); a file over
        them is a problem, found before it is parsed (size) or while it is read (rows).
    cordis:
        Region filter, exchange rate and NUTS names for CORDIS zips and CSV files (detected by
        their extension and headers, or all files with ``fmt="cordis"``; see
        ``graph.formats.cordis``).
    progress:
        Called with a short message at each step of a long read.
    dataset:
        The namespace of node ids from outside graph files (``les-miserables:11``) and of Kumu
        element ids; default: each graph file's name (see ``graph.formats.graphdoc``).

    Raises
    ------
    UsageError
        A path that does not exist, is not a regular file, or cannot be read.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(say(TEXTS["unknown_format"], fmt=fmt, formats=", ".join(FORMATS)))
    areas = areas or {}
    limits = limits or ImportLimits()
    out = RawDataset()
    try:
        files = _expand(Path(p) for p in paths)
        cordis_files = _cordis_files(files, fmt)
    except OSError as exc:  # a folder or file this user may not read
        why = say(TEXTS["cannot_read"], path=exc.filename, reason=exc.strerror)
        raise UsageError(why) from exc
    if cordis_files:
        out.extend(read_cordis(cordis_files, cordis, progress, limits))
    for path in files:
        if path in cordis_files:
            continue
        try:
            out.extend(_read_file(path, fmt, areas, limits, dataset))
        except OSError as exc:
            reason = exc.strerror or _first_line(exc)
            raise UsageError(say(TEXTS["cannot_read"], path=path, reason=reason)) from exc
    return out


def _cordis_files(files: list[Path], fmt: str | None) -> list[Path]:
    """The files to read as CORDIS data: all with ``--format cordis``, else zips and CSV files
    with CORDIS's headers."""
    if fmt not in (None, "cordis"):
        return []
    return [p for p in files if fmt == "cordis" or is_cordis_file(p)]


def _read_file(
    path: Path,
    fmt: str | None,
    areas: dict[str, str],
    limits: ImportLimits,
    dataset: str | None = None,
) -> RawDataset:
    """One file, in the format forced or detected, after checking its size."""
    if not path.exists():
        raise UsageError(say(TEXTS["no_such_file"], path=path))
    if not path.is_file():
        raise UsageError(say(TEXTS["not_regular"], path=path))
    too_large = limits.size_problem(path.name, path.stat().st_size)
    if too_large:
        return RawDataset(problems=[too_large])
    kind = fmt if fmt not in (None, "kumu") else detect_format(path)
    if fmt == "kumu" and path.suffix.lower() in (".xlsx", ".xlsm"):
        kind = "excel"
    elif fmt == "kumu":
        kind = "csv"
    if kind == "csv":
        return _read_csv_file(path, fmt, areas, limits, dataset)
    if kind == "excel":
        return _read_excel_file(path, fmt, areas, limits, dataset)
    if kind == "parquet":
        return _read_parquet_file(path, limits)
    if kind in ("gexf", "graphml", "gml", "pajek", "json"):
        from graph.formats.interchange import read_graph_file

        return read_graph_file(path, kind, limits, dataset)
    raise UsageError(
        say(TEXTS["unknown_type"], path=path, suffix=path.suffix, formats=", ".join(FORMATS))
    )
