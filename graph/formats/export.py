"""Write the whole dataset out: a CSV or Parquet folder, an Excel workbook, GEXF, GraphML or
node-link JSON, and a Kumu workbook. Every format but Kumu imports back into identical tables
(tested), so an export is also a portable backup and a way into Gephi or a notebook; the Kumu
workbook holds the actors, relations and area links (what a Kumu map has), which import back
identical where the strength areas and sources are known.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import duckdb
import polars as pl

from graph.errors import UsageError
from graph.formats.interchange import write_graph_file
from graph.formats.kumu import write_kumu_workbook
from graph.formats.messages import say
from graph.formats.spreadsheet import spreadsheet_safe
from graph.i18n import N_
from graph.store.database import DATA_TABLES, read_table
from graph.store.tables import TABLES

__all__ = [
    "COMPLETE_FORMATS",
    "EXPORT_FORMATS",
    "TEXTS",
    "export_bytes",
    "export_dataset",
    "read_dataset",
    "write_dataset",
]

EXPORT_FORMATS = ("csv", "parquet", "excel", "gexf", "graphml", "json", "kumu")
TEXTS = {
    "unknown_format": N_("unknown export format '{fmt}' (choose from {formats})"),
    "is_a_file": N_("{path} is a file; {fmt} export writes a folder of files"),
    "is_a_folder": N_("{path} is a folder; {fmt} export writes one file"),
}
# The formats that hold every table (Kumu's workbook holds actors, relations and area links).
COMPLETE_FORMATS = tuple(f for f in EXPORT_FORMATS if f != "kumu")
# The name and MIME type of a one-file download of each format (csv and parquet are zipped).
_DOWNLOAD = {
    "csv": ("ecograph-csv.zip", "application/zip"),
    "parquet": ("ecograph-parquet.zip", "application/zip"),
    "excel": (
        "ecograph.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "gexf": ("ecograph.gexf", "application/gexf+xml"),
    "graphml": ("ecograph.graphml", "application/graphml+xml"),
    "json": ("ecograph.json", "application/json"),
    "kumu": (
        "ecograph-kumu.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def read_dataset(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every data table, in key order, as polars frames."""
    return {name: read_table(con, name) for name in DATA_TABLES}


def _write_excel(tables: dict[str, pl.DataFrame], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(TABLES[name].column_names)
        for row in frame.iter_rows():
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                # openpyxl makes text that starts with "=" a formula: data must stay data (an
                # actor named "=HYPERLINK(...)" must not become a live link in the workbook)
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)


def write_dataset(
    tables: dict[str, pl.DataFrame], fmt: str, out: Path, *, excel_safe: bool = False
) -> list[Path]:
    """Write ``tables`` in format ``fmt`` to ``out`` (a folder for csv/parquet, else a file).

    CSV keeps every value exactly, so the files import back into identical tables; a text
    starting with ``= + - @`` is then a formula to a spreadsheet. ``excel_safe`` prefixes such
    text with ``'`` (``graph.formats.spreadsheet``) for files meant for people, not re-import.

    Returns the files written.
    """
    if fmt not in EXPORT_FORMATS:
        formats = ", ".join(EXPORT_FORMATS)
        raise UsageError(say(TEXTS["unknown_format"], fmt=fmt, formats=formats))
    if fmt in ("csv", "parquet"):
        if out.exists() and not out.is_dir():
            raise UsageError(say(TEXTS["is_a_file"], path=out, fmt=fmt))
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in tables.items():
            target = out / f"{name}.{fmt}"
            if fmt == "csv":
                (spreadsheet_safe(frame) if excel_safe else frame).write_csv(target)
            else:
                frame.write_parquet(target)
            written.append(target)
        return written
    if out.is_dir():
        raise UsageError(say(TEXTS["is_a_folder"], path=out, fmt=fmt))
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "excel":
        _write_excel(tables, out)
    elif fmt == "kumu":
        write_kumu_workbook(tables, out)
    else:
        write_graph_file(tables, out, fmt)
    return [out]


def export_dataset(
    con: duckdb.DuckDBPyConnection, fmt: str, out: Path, *, excel_safe: bool = False
) -> list[Path]:
    """Export the database's dataset (see ``write_dataset``)."""
    return write_dataset(read_dataset(con), fmt, out, excel_safe=excel_safe)


def export_bytes(tables: dict[str, pl.DataFrame], fmt: str) -> tuple[bytes, str, str]:
    """``tables`` in format ``fmt`` as one downloadable file: ``(content, file name, MIME type)``.

    The content is exactly what ``write_dataset`` writes, so it imports back into identical
    tables; csv and parquet, which are a folder of files, come as a zip holding that folder
    (``ecograph-csv/actors.csv``, ...). Equal tables give equal zip bytes (fixed timestamps).

    Examples
    --------
    >>> content, name, mime = export_bytes({}, "csv")
    >>> name, mime
    ('ecograph-csv.zip', 'application/zip')
    """
    if fmt not in EXPORT_FORMATS:
        formats = ", ".join(EXPORT_FORMATS)
        raise UsageError(say(TEXTS["unknown_format"], fmt=fmt, formats=formats))
    file_name, mime = _DOWNLOAD[fmt]
    with tempfile.TemporaryDirectory(prefix="ecograph-export-") as tmp:
        if fmt in ("csv", "parquet"):
            folder = Path(tmp) / file_name.removesuffix(".zip")
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path in write_dataset(tables, fmt, folder):
                    member = zipfile.ZipInfo(f"{folder.name}/{path.name}", (1980, 1, 1, 0, 0, 0))
                    member.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(member, path.read_bytes())
            return buffer.getvalue(), file_name, mime
        (written,) = write_dataset(tables, fmt, Path(tmp) / file_name)
        return written.read_bytes(), file_name, mime
