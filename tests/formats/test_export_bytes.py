"""export_bytes: the whole dataset as one downloadable file, in every export format."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest
from openpyxl import load_workbook

from graph.errors import UsageError
from graph.formats.export import COMPLETE_FORMATS, EXPORT_FORMATS, export_bytes, read_dataset
from graph.formats.ingest import import_paths
from graph.store.database import DATA_TABLES, connect
from tests.conftest import assert_same_tables

DOWNLOADS = {
    "csv": ("ecograph-csv.zip", "application/zip"),
    "parquet": ("ecograph-parquet.zip", "application/zip"),
    "excel": ("ecograph.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "gexf": ("ecograph.gexf", "application/gexf+xml"),
    "graphml": ("ecograph.graphml", "application/graphml+xml"),
    "json": ("ecograph.json", "application/json"),
    "kumu": (
        "ecograph-kumu.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def unpack(content: bytes, file_name: str, into: Path) -> Path:
    """Save a download as a user would: unzip a zip, else write the file. Returns the path to
    import (the folder inside the zip, or the file)."""
    if file_name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            archive.extractall(into)
        return into / file_name.removesuffix(".zip")
    into.mkdir(parents=True, exist_ok=True)
    (into / file_name).write_bytes(content)
    return into / file_name


def test_every_export_format_has_a_download() -> None:
    assert set(DOWNLOADS) == set(EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", COMPLETE_FORMATS)
def test_download_imports_back_into_identical_tables(
    mini_con: duckdb.DuckDBPyConnection, shipped_dir: Path, tmp_path: Path, fmt: str
) -> None:
    """The mini dataset (å ä ö, Á Č Đ Ŋ Š Ŧ Ž, dates, floats, booleans) plus the shipped data."""
    import_paths(mini_con, [shipped_dir])
    original = read_dataset(mini_con)
    content, file_name, mime = export_bytes(original, fmt)
    assert (file_name, mime) == DOWNLOADS[fmt]
    target = unpack(content, file_name, tmp_path / "download")
    fresh = connect(tmp_path / "fresh.duckdb")
    try:
        import_paths(fresh, [target])
        assert_same_tables(original, read_dataset(fresh))
    finally:
        fresh.close()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_zip_holds_one_file_per_table_in_a_folder(
    mini_con: duckdb.DuckDBPyConnection, fmt: str
) -> None:
    content, _, _ = export_bytes(read_dataset(mini_con), fmt)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names == [f"ecograph-{fmt}/{table}.{fmt}" for table in DATA_TABLES]


def test_csv_zip_keeps_swedish_and_sami_letters(mini_con: duckdb.DuckDBPyConnection) -> None:
    content, _, _ = export_bytes(read_dataset(mini_con), "csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read("ecograph-csv/actors.csv").decode("utf-8")
    assert text.splitlines()[0].startswith("actor_id,name,kind,")
    assert "Ávki – ČĐŊŠŦŽ" in text
    assert "Åre Företag AB" in text


def test_same_tables_give_the_same_zip(mini_con: duckdb.DuckDBPyConnection) -> None:
    """Fixed timestamps inside the zip: a download changes only when the data does."""
    tables = read_dataset(mini_con)
    assert export_bytes(tables, "csv")[0] == export_bytes(tables, "csv")[0]


def test_excel_has_one_sheet_per_table(mini_con: duckdb.DuckDBPyConnection) -> None:
    content, _, _ = export_bytes(read_dataset(mini_con), "excel")
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:
        assert book.sheetnames == list(DATA_TABLES)
        # 3 actors under a header row
        assert book["actors"].max_row == 4
    finally:
        book.close()


@pytest.mark.parametrize(("fmt", "root"), [("gexf", "gexf"), ("graphml", "graphml")])
def test_graph_files_are_xml(mini_con: duckdb.DuckDBPyConnection, fmt: str, root: str) -> None:
    content, _, _ = export_bytes(read_dataset(mini_con), fmt)
    assert ElementTree.fromstring(content).tag.endswith(root)


def test_json_is_node_link(mini_con: duckdb.DuckDBPyConnection) -> None:
    data = json.loads(export_bytes(read_dataset(mini_con), "json")[0])
    assert {"nodes", "edges"} <= set(data) or {"nodes", "links"} <= set(data)
    ids = {node["id"] for node in data["nodes"]}
    assert {"a", "b", "c"} <= ids


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        export_bytes({}, "pdf")
