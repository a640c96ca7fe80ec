"""Write the whole dataset out: a CSV or Parquet folder, an Excel workbook, GEXF, GraphML or
node-link JSON. Every format imports back into identical tables (tested), so an export is also a
portable backup and a way into Gephi, Kumu-style spreadsheets or a notebook.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from graph.errors import UsageError
from graph.interchange import write_graph_file
from graph.store import DATA_TABLES, read_table
from graph.tables import TABLES

__all__ = ["EXPORT_FORMATS", "export_dataset", "read_dataset", "write_dataset"]

EXPORT_FORMATS = ("csv", "parquet", "excel", "gexf", "graphml", "json")


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
    book.save(path)


def write_dataset(tables: dict[str, pl.DataFrame], fmt: str, out: Path) -> list[Path]:
    """Write ``tables`` in format ``fmt`` to ``out`` (a folder for csv/parquet, else a file).

    Returns the files written.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format '{fmt}' (choose from {', '.join(EXPORT_FORMATS)})")
    if fmt in ("csv", "parquet"):
        if out.exists() and not out.is_dir():
            raise UsageError(f"{out} is a file; {fmt} export writes a folder of files")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in tables.items():
            target = out / f"{name}.{fmt}"
            if fmt == "csv":
                frame.write_csv(target)
            else:
                frame.write_parquet(target)
            written.append(target)
        return written
    if out.is_dir():
        raise UsageError(f"{out} is a folder; {fmt} export writes one file")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "excel":
        _write_excel(tables, out)
    else:
        write_graph_file(tables, out, fmt)
    return [out]


def export_dataset(con: duckdb.DuckDBPyConnection, fmt: str, out: Path) -> list[Path]:
    """Export the database's dataset (see ``write_dataset``)."""
    return write_dataset(read_dataset(con), fmt, out)
