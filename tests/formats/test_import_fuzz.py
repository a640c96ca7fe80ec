"""Import under random data (hypothesis): valid datasets round-trip exactly through every export
format, and corrupted files — bad ids and references, wrong types, mixed encodings, truncated
files, huge fields, wrong separators, repeated headers, empty files, binary garbage, files over
the limits — never crash and never change the database.

"Never crash" means: the import raises ``ImportValidationError`` (a data problem, exit 1) or
``UsageError`` (an unusable path, exit 2) and nothing else. The examples are derandomised, so CI
runs the same ones every time; a failure prints the smallest example hypothesis found.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from graph.errors import ImportValidationError, UsageError
from graph.formats.export import write_dataset
from graph.formats.ingest import import_paths
from graph.formats.readers import MAX_FIELD_CHARS
from graph.store.database import connect, integrity_problems, read_table
from graph.store.limits import ImportLimits
from graph.store.tables import ACTIVITY_KINDS, ACTOR_KINDS, HELICES, RELATION_KINDS, ROLES, TABLES
from tests.conftest import MINI, ROOT, snapshot, write_files

pytestmark = pytest.mark.timeout(300)


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible in CI: derandomised, no example database on disk, no per-example deadline
    (the first import in a process pays for imports of polars and openpyxl)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- valid datasets ------------------------------------------------------------------------------

SAMI_AND_SWEDISH = "åäöÅÄÖÁáČčĐđŊŋŠšŦŧŽž"
# Letters, the characters CSV and XML must escape, a tab and a line break inside a cell, markup,
# and (below) text that looks like a null or a number. Control characters are invalid data, and
# "\r" is stored as "\n" (test_line_breaks_in_cells_are_stored_as_newlines).
TEXT_CHARS = "abcxyzABCXYZ0129 " + SAMI_AND_SWEDISH + ",;\"'\n\t|:<>&=#–—…€\u00a0\\/"
ID_CHARS = "abcdefxyz0123456789-_.:" + "åŠŋ"

nonblank = st.text(st.sampled_from(TEXT_CHARS), min_size=1, max_size=25).filter(
    lambda s: s == s.strip() and s != ""
)
# Cells are stripped and an empty cell is null, so a value is either null or stripped text.
optional_text = st.none() | nonblank | st.sampled_from(["NA", "null", "NULL", "0", "-", "1e5"])
ids = st.text(st.sampled_from(ID_CHARS), min_size=1, max_size=10).filter(lambda s: s == s.strip())
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
amounts = st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False)
coordinates = st.none() | st.floats(min_value=-90, max_value=90, allow_nan=False)
# The attributes column: a JSON object of what an outside file had (stored with sorted keys)
attribute_values = (
    nonblank
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=64)
    | st.booleans()
    | st.lists(st.integers(min_value=0, max_value=9), max_size=3)
)
optional_attributes = st.none() | st.dictionaries(
    nonblank, attribute_values, min_size=1, max_size=3
).map(lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))


def _span(draw: st.DrawFn) -> tuple[date | None, date | None]:
    start, end = draw(st.none() | days), draw(st.none() | days)
    if start and end and end < start:
        start, end = end, start
    return start, end


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    """Every table, valid and complete (no cell the importer would fill in), as ``read_table``
    returns it: one frame per table, the columns of ``graph.store.tables`` in order, sorted by
    key."""
    source_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    sources = [
        {
            "source_id": s,
            "title": draw(nonblank),
            "publisher": draw(optional_text),
            "url": draw(optional_text),
            "published": draw(st.none() | days),
            "note": draw(optional_text),
            "synthetic": draw(st.booleans()),
            "auto": draw(st.booleans()),
        }
        for s in source_ids
    ]
    source = st.sampled_from(source_ids)
    area_ids = draw(st.lists(ids, max_size=3, unique=True))
    areas = [
        {
            "area_id": a,
            "name": draw(nonblank),
            "description": draw(optional_text),
            "source_id": draw(source),
        }
        for a in area_ids
    ]
    actor_ids = draw(st.lists(ids, min_size=2, max_size=6, unique=True))
    actors = [
        {
            "actor_id": a,
            "name": draw(nonblank),
            "kind": draw(st.sampled_from(ACTOR_KINDS)),
            "helix": draw(st.sampled_from(HELICES)),
            "municipality": draw(optional_text),
            "region": draw(optional_text),
            "lat": draw(coordinates),
            "lon": draw(coordinates),
            "website": draw(optional_text),
            "description": draw(optional_text),
            "source_id": draw(source),
            "attributes": draw(optional_attributes),
        }
        for a in actor_ids
    ]
    actor = st.sampled_from(actor_ids)
    actor_areas = [
        {"actor_id": a, "area_id": b, "source_id": draw(source)}
        for a, b in draw(
            st.lists(st.tuples(actor, st.sampled_from(area_ids)), max_size=4, unique=True)
            if area_ids
            else st.just([])
        )
    ]
    activity_ids = draw(st.lists(ids, max_size=4, unique=True))
    activities = []
    for i, a in enumerate(activity_ids):
        start, end = _span(draw)
        activities.append(
            {
                "activity_id": a,
                "name": draw(nonblank),
                "kind": draw(st.sampled_from(ACTIVITY_KINDS)),
                "start_date": start,
                "end_date": end,
                "budget_sek": draw(amounts),
                "programme": draw(optional_text),
                "part_of": draw(st.none() | st.sampled_from(activity_ids[:i])) if i else None,
                "description": draw(optional_text),
                "source_id": draw(source),
            }
        )
    participations = [
        {
            "activity_id": act,
            "actor_id": who,
            "role": draw(st.sampled_from(ROLES)),
            "contribution_sek": draw(amounts),
            "source_id": draw(source),
        }
        for act, who in draw(
            st.lists(st.tuples(st.sampled_from(activity_ids), actor), max_size=5, unique=True)
            if activity_ids
            else st.just([])
        )
    ]
    relations = []
    for rid in draw(st.lists(ids, max_size=5, unique=True)):
        a, b = draw(st.lists(actor, min_size=2, max_size=2, unique=True))
        start, end = _span(draw)
        relations.append(
            {
                "relation_id": rid,
                "from_actor": a,
                "to_actor": b,
                "kind": draw(st.sampled_from(RELATION_KINDS)),
                "directed": draw(st.booleans()),
                "start_date": start,
                "end_date": end,
                "weight": draw(st.floats(min_value=1e-6, max_value=1e6)),
                "description": draw(optional_text),
                "source_id": draw(source),
                "attributes": draw(optional_attributes),
            }
        )
    aliases = [
        {"actor_id": a, "alias": alias, "source_id": draw(source)}
        for a, alias in draw(st.lists(st.tuples(actor, nonblank), max_size=3, unique=True))
    ]
    wanted = []
    for wid in draw(st.lists(ids, max_size=3, unique=True)) if activity_ids else []:
        a, b = draw(st.lists(actor, min_size=2, max_size=2, unique=True))
        wanted.append(
            {
                "wanted_id": wid,
                "activity_id": draw(st.sampled_from(activity_ids)),
                "from_actor": a,
                "to_actor": b,
                "obstacle": draw(optional_text),
                "source_id": draw(source),
            }
        )
    rows = {
        "sources": sources,
        "strength_areas": areas,
        "actors": actors,
        "actor_areas": actor_areas,
        "activities": activities,
        "participations": participations,
        "relations": relations,
        "actor_aliases": aliases,
        "wanted_ties": wanted,
    }
    return {name: _frame(name, rows[name]) for name in TABLES}


_DTYPES = {
    "id": pl.String,
    "text": pl.String,
    "enum": pl.String,
    "date": pl.Date,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "json": pl.String,
}


def _frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    spec = TABLES[name]
    schema = {c.name: _DTYPES[c.type] for c in spec.columns}
    return pl.DataFrame(rows, schema=schema, orient="row").sort(list(spec.key))


def _write(tables: dict[str, pl.DataFrame], fmt: str, folder: Path) -> Path:
    """The dataset as the files a user would import, in ``fmt``."""
    if fmt == "csv-excel-sv":
        # Swedish Excel's "CSV UTF-8": a BOM, semicolons, CRLF line ends.
        folder.mkdir()
        for name, frame in tables.items():
            text = frame.write_csv(separator=";", line_terminator="\r\n")
            (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        return folder
    suffix = {"excel": ".xlsx", "json": ".json", "gexf": ".gexf", "graphml": ".graphml"}
    target = folder if fmt in ("csv", "parquet") else folder.with_suffix(suffix[fmt])
    write_dataset(tables, fmt, target)
    return target


def _assert_round_trip(tables: dict[str, pl.DataFrame], fmt: str, tmp: Path) -> None:
    con = connect(":memory:")
    try:
        import_paths(con, [_write(tables, fmt, tmp / "dataset")])
        for name, expected in tables.items():
            got = read_table(con, name).sort(list(TABLES[name].key))
            if fmt == "excel":
                # openpyxl writes numbers with 16 significant digits (Excel itself keeps 15),
                # so the 17th digit of a double may change; everything else is exact
                assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-15, abs_tol=0)
            else:
                assert got.equals(expected), f"{fmt}: {name} differs\n{expected}\n{got}"
    finally:
        con.close()


@fuzz_settings(max_examples=40)
@given(tables=datasets())
def test_valid_datasets_round_trip_exactly_through_csv(tables: dict[str, pl.DataFrame]) -> None:
    """The main format, so the most examples: every cell comes back exactly as written, quotes,
    separators, line breaks, tabs, markup, "NA" and Sami letters included."""
    with _tempdir() as tmp:
        _assert_round_trip(tables, "csv", tmp)


@pytest.mark.parametrize("fmt", ["csv-excel-sv", "excel", "parquet", "json", "gexf", "graphml"])
def test_valid_datasets_round_trip_exactly_through_every_format(fmt: str) -> None:
    @fuzz_settings(max_examples=12)
    @given(tables=datasets())
    def round_trip(tables: dict[str, pl.DataFrame]) -> None:
        with _tempdir() as tmp:
            _assert_round_trip(tables, fmt, tmp)

    round_trip()


# --- corruptions ---------------------------------------------------------------------------------


class _Corruption:
    """A folder of valid CSV files, corrupted in one way that must make the import fail."""

    def __init__(self, folder: Path, tables: dict[str, pl.DataFrame]) -> None:
        self.folder = folder
        self.tables = tables
        self.limits = ImportLimits()

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def header(self, table: str) -> list[str]:
        return list(TABLES[table].column_names)

    def append(self, table: str, row: dict[str, str], *, encoding: str = "utf-8") -> None:
        """Add one row (written by the csv module, so quoted as a spreadsheet would)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(
            [row.get(c, "") for c in self.header(table)]
        )
        with self.path(table).open("ab") as handle:
            handle.write(buffer.getvalue().encode(encoding))

    def an_actor(self) -> str:
        return str(self.tables["actors"]["actor_id"][0])

    def a_source(self) -> str:
        return str(self.tables["sources"]["source_id"][0])


MISSING = "no-such-id-\u2603"


def _unknown_reference(c: _Corruption, draw: st.DrawFn) -> None:
    table, row = draw(
        st.sampled_from(
            [
                (
                    "relations",
                    {"relation_id": "fz-r", "from_actor": c.an_actor(), "to_actor": MISSING},
                ),
                ("actor_areas", {"actor_id": MISSING, "area_id": MISSING}),
                ("participations", {"activity_id": MISSING, "actor_id": c.an_actor()}),
                (
                    "actors",
                    {"actor_id": "fz-a", "name": "X", "kind": "company", "source_id": MISSING},
                ),
                ("activities", {"activity_id": "fz-p", "name": "P", "part_of": MISSING}),
            ]
        )
    )
    c.append(table, row)


def _duplicate_id(c: _Corruption, draw: st.DrawFn) -> None:
    table = draw(st.sampled_from(["actors", "sources"]))
    first = c.tables[table].row(0, named=True)
    c.append(table, {k: "" if v is None else str(v) for k, v in first.items()})


def _bad_id(c: _Corruption, draw: st.DrawFn) -> None:
    blank = draw(st.sampled_from(["", " ", "\t", "\u00a0", "  \u2003 "]))
    c.append("actors", {"actor_id": blank, "name": "Namn", "kind": "company"})


def _wrong_type(c: _Corruption, draw: st.DrawFn) -> None:
    table, column, base = draw(
        st.sampled_from(
            [
                ("actors", "lat", {"actor_id": "fz-a", "name": "X", "kind": "company"}),
                ("actors", "kind", {"actor_id": "fz-a", "name": "X"}),
                ("actors", "helix", {"actor_id": "fz-a", "name": "X", "kind": "company"}),
                ("activities", "start_date", {"activity_id": "fz-p", "name": "P"}),
                ("activities", "budget_sek", {"activity_id": "fz-p", "name": "P"}),
                ("activities", "kind", {"activity_id": "fz-p", "name": "P"}),
                ("sources", "synthetic", {"source_id": "fz-s", "title": "T"}),
                ("sources", "published", {"source_id": "fz-s", "title": "T"}),
            ]
        )
    )
    garbage = draw(
        st.sampled_from(["north", "2022-13-45", "yesterday", "maybe", "spaceship", "1,2,3", "∞"])
        | st.text(st.sampled_from("xyzÅ#@!?"), min_size=1, max_size=8)
    )
    c.append(table, {**base, column: garbage})


def _out_of_range(c: _Corruption, draw: st.DrawFn) -> None:
    table, row = draw(
        st.sampled_from(
            [
                ("activities", {"activity_id": "fz-p", "name": "P", "budget_sek": "-1"}),
                (
                    "activities",
                    {"activity_id": "fz-p", "name": "P", "start_date": "2024-01-02",
                     "end_date": "2024-01-01"},
                ),
                (
                    "relations",
                    {"relation_id": "fz-r", "from_actor": c.an_actor(), "to_actor": c.an_actor()},
                ),
                (
                    "relations",
                    {"relation_id": "fz-r", "from_actor": c.an_actor(), "to_actor": MISSING,
                     "weight": "0"},
                ),
                ("actors", {"actor_id": "fz-a", "name": "X", "kind": "company", "lat": "nan"}),
            ]
        )
    )  # fmt: skip
    c.append(table, row)


def _control_character(c: _Corruption, draw: st.DrawFn) -> None:
    char = draw(st.sampled_from(["\x01", "\x07", "\x0b", "\x1b", "\x1f", "\ufffe"]))
    where = draw(st.sampled_from(["name", "description", "actor_id"]))
    row = {"actor_id": "fz-c", "name": "Namn", "kind": "company"}
    c.append("actors", {**row, where: f"x{char}y"})


def _mixed_encodings(c: _Corruption, draw: st.DrawFn) -> None:
    """UTF-8 text with a row saved as Windows-1252 (an Excel edit of an exported file)."""
    utf8 = draw(st.text(st.sampled_from("åäöÅÄÖÁČĐŊŠŦŽéü"), min_size=1, max_size=6))
    latin = draw(st.text(st.sampled_from("åäöÅÄÖéü"), min_size=1, max_size=6))
    c.append("actors", {"actor_id": "fz-u", "name": f"UTF-8 {utf8}", "kind": "company"})
    c.append("actors", {"actor_id": "fz-w", "name": latin, "kind": "company"}, encoding="cp1252")


def _truncated(c: _Corruption, draw: st.DrawFn) -> None:
    """The file ends inside its last row: fewer fields than the header, or an open quote."""
    row = ["fz-t", '"Namn, med citat"', "company", "Åre", "Jämtlands län", "63.1", "13.2"]
    line = ",".join(row) + "\n"
    cut = draw(st.integers(min_value=1, max_value=len(line) - len(row[-1]) - 2))
    with c.path("actors").open("ab") as handle:
        handle.write(line[:cut].encode("utf-8"))


def _huge_field(c: _Corruption, draw: st.DrawFn) -> None:
    size = MAX_FIELD_CHARS + draw(st.integers(min_value=1, max_value=5000))
    text = draw(st.sampled_from(["x", "å", "a\nb", '""']))
    c.append("actors", {"actor_id": "fz-h", "name": (text * size)[:size], "kind": "company"})


def _wrong_separator(c: _Corruption, draw: st.DrawFn) -> None:
    sep = draw(st.sampled_from(["|", ":", " ", "^", "~"]))
    table = draw(st.sampled_from(["actors", "sources", "relations"]))
    c.path(table).write_text(
        c.tables[table].write_csv(separator=sep, quote_style="necessary"), encoding="utf-8"
    )


def _repeated_header(c: _Corruption, draw: st.DrawFn) -> None:
    table = draw(st.sampled_from(["actors", "sources", "activities"]))
    column = draw(st.sampled_from(c.header(table)))
    spelling = draw(
        st.sampled_from([column, column.upper(), f" {column} ", column.replace("_", " ")])
    )
    frame = c.tables[table].with_columns(pl.col(column).alias("__copy"))
    text = frame.write_csv()
    first, _, rest = text.partition("\n")
    c.path(table).write_text(first.replace("__copy", f'"{spelling}"') + "\n" + rest)


def _empty_file(c: _Corruption, draw: st.DrawFn) -> None:
    table = draw(st.sampled_from(list(TABLES)))
    c.path(table).write_bytes(draw(st.sampled_from([b"", b"\n", b"  \r\n\t", b"\xef\xbb\xbf"])))


def _binary_garbage(c: _Corruption, draw: st.DrawFn) -> None:
    name = draw(
        st.sampled_from(
            ["actors.csv", "relations.csv", "actors.xlsx", "actors.parquet", "graph.json",
             "graph.gexf", "graph.graphml"]
        )
    )  # fmt: skip
    garbage = draw(st.binary(min_size=1, max_size=3000))
    if name.endswith(".json") and garbage.strip() in (b"", b"{}", b"[]"):
        garbage = b"\x00" + garbage
    (c.folder / name).write_bytes(garbage)


def _truncated_binary(c: _Corruption, draw: st.DrawFn) -> None:
    """A workbook, Parquet or graph file cut short (a download that stopped)."""
    fmt, name = draw(
        st.sampled_from([("excel", "all.xlsx"), ("parquet", "pq"), ("gexf", "all.gexf"),
                         ("graphml", "all.graphml"), ("json", "all.json")])
    )  # fmt: skip
    target = c.folder / name
    written = write_dataset(c.tables, fmt, target)
    victim = written[draw(st.integers(min_value=0, max_value=len(written) - 1))]
    data = victim.read_bytes()
    victim.write_bytes(data[: draw(st.integers(min_value=0, max_value=len(data) - 2))])
    if fmt == "parquet":  # the other Parquet files are fine: move the cut one into the folder
        shutil.move(victim, c.folder / victim.name)
        shutil.rmtree(target)


def _over_the_limits(c: _Corruption, draw: st.DrawFn) -> None:
    if draw(st.booleans()):
        c.limits = ImportLimits(max_file_mb=1e-4)  # about 100 bytes
        c.append("actors", {"actor_id": "fz-big", "name": "x" * 200, "kind": "company"})
    else:
        c.limits = ImportLimits(max_rows=1)  # every dataset has at least two actors


CORRUPTIONS = {
    "unknown reference": _unknown_reference,
    "duplicate id": _duplicate_id,
    "bad id": _bad_id,
    "wrong type": _wrong_type,
    "value out of range": _out_of_range,
    "control character": _control_character,
    "mixed encodings": _mixed_encodings,
    "truncated file": _truncated,
    "truncated binary file": _truncated_binary,
    "huge field": _huge_field,
    "wrong separator": _wrong_separator,
    "repeated header": _repeated_header,
    "empty file": _empty_file,
    "binary garbage": _binary_garbage,
    "over the limits": _over_the_limits,
}


class _tempdir:
    """A fresh folder per hypothesis example (pytest's tmp_path is one per test)."""

    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="ecograph-fuzz-")
        return Path(self._dir.name)

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


def _mini_database(path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    import_paths(con, [write_files(path.parent / "mini", MINI)])
    return con


def _import_expecting_failure(
    con: duckdb.DuckDBPyConnection, paths: list[Path], limits: ImportLimits, why: str
) -> None:
    before = snapshot(con)
    with pytest.raises((ImportValidationError, UsageError)):
        import_paths(con, paths, limits=limits)
    after = snapshot(con)
    for name, frame in before.items():
        assert frame.equals(after[name]), f"{why}: the failed import changed {name}"


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_corrupted_files_are_refused_and_change_nothing(tmp_path: Path, corruption: str) -> None:
    con = _mini_database(tmp_path / "db.duckdb")
    corrupt = CORRUPTIONS[corruption]

    @fuzz_settings(max_examples=8)
    @given(tables=datasets(), data=st.data())
    def refused(tables: dict[str, pl.DataFrame], data: st.DataObject) -> None:
        with _tempdir() as tmp:
            folder = tmp / "files"
            write_dataset(tables, "csv", folder)
            c = _Corruption(folder, tables)
            corrupt(c, data.draw)
            paths = sorted(folder.iterdir())
            _import_expecting_failure(con, paths, c.limits, corruption)

    try:
        refused()
    finally:
        con.close()


MUTATION_FORMATS = ["csv", "excel", "json", "graphml"]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, inserted, deleted, or cut off."""
    out = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        at = draw(st.integers(min_value=0, max_value=max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del out[at : at + draw(st.integers(min_value=1, max_value=8))]
        else:
            del out[at:]
    return bytes(out)


@pytest.mark.parametrize("fmt", MUTATION_FORMATS)
def test_randomly_damaged_files_never_crash_the_import(tmp_path: Path, fmt: str) -> None:
    """Byte-level damage need not make a file invalid (a flipped letter in a name is still a
    name), so the property is weaker than above: a clean refusal that changes nothing, or an
    import that leaves every reference pointing at a row."""
    con = _mini_database(tmp_path / "db.duckdb")

    @fuzz_settings(max_examples=25)
    @given(tables=datasets(), data=st.data())
    def never_crashes(tables: dict[str, pl.DataFrame], data: st.DataObject) -> None:
        with _tempdir() as tmp:
            written = write_dataset(
                tables, fmt, tmp / {"csv": "files", "excel": "all.xlsx"}.get(fmt, f"all.{fmt}")
            )
            victim = written[data.draw(st.integers(min_value=0, max_value=len(written) - 1))]
            victim.write_bytes(data.draw(mutated(victim.read_bytes())))
            before = snapshot(con)
            try:
                import_paths(con, written)
            except (ImportValidationError, UsageError):
                after = snapshot(con)
                assert all(before[n].equals(after[n]) for n in before), "a refusal wrote"
            else:
                assert integrity_problems(con).height == 0

    try:
        never_crashes()
    finally:
        con.close()


# --- regressions found by the fuzzing above ------------------------------------------------------

REGRESSIONS = {
    # a separator the sniffer does not know: no known column, and the frame lost its rows
    "pipe separator": {"actors.csv": b"actor_id|name|kind\na|b|company\n"},
    # old Mac Excel's lone-CR line ends: polars read one row, the csv module two
    "CR line ends": {"actors.csv": b"actor_id,name,kind\rzz,Namn,spaceship\r"},
    # empty header cells: renaming to the header made two columns named ""
    "empty header cells": {"actors.csv": b"actor_id,,kind,\nzz,,spaceship,\n"},
    # a node attribute our own export uses, holding something else (in a file of ours: typed
    # nodes; in a file from another tool it is just an attribute)
    "aliases_json not JSON": {
        "graph.json": b'{"directed": false, "multigraph": false, "graph": {},'
        b' "nodes": [{"id": "zz", "node_type": "actor", "aliases_json": "nope"}], "edges": []}'
    },
    "aliases_json a number": {
        "graph.json": b'{"directed": false, "multigraph": false, "graph": {},'
        b' "nodes": [{"id": "zz", "node_type": "actor", "aliases_json": 5}], "edges": []}'
    },
    # entity expansion ("billion laughs") and outside files (XXE) in GraphML
    "XML entities": {
        "graph.graphml": b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        b'<graph edgedefault="undirected"><node id="&b;"/></graph></graphml>'
    },
    # UTF-8 Sami letters and a Windows-1252 row: Ŋ is not in Latin-1, so the old mojibake
    # check did not see it and the file was read as Windows-1252, garbling Ŋ into "ÅŠ"
    "mixed encodings beyond Latin-1": {
        "actors.csv": "actor_id,name,kind\nzz,Ŋ,company\n".encode()
        + "zy,Östersund,company\n".encode("cp1252")
    },
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regressions_are_refused_cleanly(tmp_path: Path, name: str) -> None:
    con = _mini_database(tmp_path / "db.duckdb")
    try:
        folder = tmp_path / "files"
        folder.mkdir()
        for file, data in REGRESSIONS[name].items():
            (folder / file).write_bytes(data)
        _import_expecting_failure(con, sorted(folder.iterdir()), ImportLimits(), name)
    finally:
        con.close()


def test_cr_line_ends_are_read_like_any_other() -> None:
    """The csv module's reading wins where polars disagrees: both rows, with their quotes."""
    con = connect(":memory:")
    try:
        with _tempdir() as tmp:
            (tmp / "actors.csv").write_bytes(
                b'actor_id,name,kind\ra,"Ett\rtv\xc3\xa5",company\rb,x"y,academia\r'
            )
            import_paths(con, [tmp / "actors.csv"])
        rows = read_table(con, "actors").select("actor_id", "name", "kind").rows()
    finally:
        con.close()
    assert rows == [("a", "Ett\ntvå", "company"), ("b", 'x"y', "academia")]


def test_line_breaks_in_cells_are_stored_as_newlines() -> None:
    """Windows ("\r\n") and old Mac ("\r") line breaks inside a cell become "\n": XML and
    Excel keep no "\r", so this is the only way every export format gives back the same text."""
    con = connect(":memory:")
    try:
        with _tempdir() as tmp:
            (tmp / "actors.csv").write_bytes(
                b"actor_id,name,kind,description\r\n"
                b'a,"Rad ett\r\nrad tv\xc3\xa5",company,"x\ry\r\n\nz"\r\n'
            )
            import_paths(con, [tmp / "actors.csv"])
        rows = read_table(con, "actors").select("name", "description").rows()
    finally:
        con.close()
    assert rows == [("Rad ett\nrad två", "x\ny\n\nz")]


def test_actor_ids_that_look_like_other_node_ids_survive_graph_formats(tmp_path: Path) -> None:
    """Graph files give activities the node id "activity:<id>": an actor whose own id is
    "activity:p1" used to become activity p1's node, and the export could not be imported."""
    con = connect(":memory:")
    try:
        import_paths(
            con,
            [
                write_files(
                    tmp_path / "ids",
                    {
                        "actors.csv": "actor_id,name,kind\nactivity:p1,A,company\n"
                        "actor:area:x,B,company\nactor:c,C,company\n",
                        "activities.csv": "activity_id,name\np1,P\n",
                        "participations.csv": "activity_id,actor_id\np1,activity:p1\n",
                        "relations.csv": "relation_id,from_actor,to_actor\n"
                        "1,activity:p1,actor:area:x\n2,actor:c,activity:p1\n",
                    },
                )
            ],
        )
        original = {name: read_table(con, name) for name in TABLES}
    finally:
        con.close()
    for fmt in ("gexf", "graphml", "json"):
        fresh = connect(":memory:")
        try:
            target = tmp_path / f"all.{fmt}"
            write_dataset(original, fmt, target)
            import_paths(fresh, [target])
            for name, frame in original.items():
                assert read_table(fresh, name).equals(frame), f"{fmt}: {name}"
        finally:
            fresh.close()


def test_unreadable_paths_are_usage_errors(tmp_path: Path) -> None:
    con = _mini_database(tmp_path / "db.duckdb")
    try:
        fifo = tmp_path / "actors.csv"
        os.mkfifo(fifo)
        empty_folder = tmp_path / "nothing"
        empty_folder.mkdir()
        for path, message in [
            (fifo, "not a regular file"),
            (empty_folder, "no table files in this folder"),
            (tmp_path / "missing.csv", "no such file"),
        ]:
            with pytest.raises(UsageError, match=message):
                import_paths(con, [path])
    finally:
        con.close()


# --- through the real command line ---------------------------------------------------------------

CLI_CASES = {
    "empty file": ({"actors.csv": b""}, [], 1, "the file is empty"),
    "binary garbage": ({"actors.csv": bytes(range(256)) * 4}, [], 1, "binary data"),
    "wrong separator": (
        {"actors.csv": b"actor_id|name|kind\nx|y|company\n"},
        [],
        1,
        "missing required column",
    ),
    "truncated workbook": ({"actors.xlsx": b"PK\x03\x04\x14\x00\x00"}, [], 1, "not a readable"),
    "over the row limit": (
        {"actors.csv": b"actor_id,name,kind\nx,X,company\ny,Y,company\n"},
        ["--max-rows", "1"],
        1,
        "over the limit of 1 rows (ECOGRAPH_MAX_ROWS or --max-rows)",
    ),
    "unknown file type": ({"actors.docx": b"PK"}, [], 2, "unknown file type"),
}


def test_corrupt_files_through_the_cli_exit_cleanly(tmp_path: Path) -> None:
    """The real console command in subprocesses (run side by side): exit 1 for bad data, 2 for
    an unusable path, one ``error:`` line first, no traceback, the database unchanged."""
    template = tmp_path / "template.duckdb"
    _mini_database(template).close()
    runs = {}
    for name, (files, options, _code, _message) in CLI_CASES.items():
        case = tmp_path / name.replace(" ", "-")
        write_files(case, {})
        for file, data in files.items():
            (case / file).write_bytes(data)
        db = case / "db.duckdb"
        shutil.copy(template, db)
        command = [sys.executable, "-m", "graph.cli", "import", *map(str, sorted(case.iterdir()))]
        command = [c for c in command if not c.endswith("db.duckdb")]
        runs[name] = (
            subprocess.Popen(
                [*command, "--db", str(db), *options],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            db,
        )
    with connect(template, read_only=True) as con:
        expected = snapshot(con)
    for name, (process, db) in runs.items():
        _out, err = process.communicate(timeout=120)
        _files, _options, code, message = CLI_CASES[name]
        assert process.returncode == code, f"{name}: exit {process.returncode}\n{err}"
        assert "Traceback" not in err, f"{name}:\n{err}"
        errors = [line for line in err.splitlines() if not line.startswith("... ")]
        assert errors[0].startswith("error: "), f"{name}:\n{err}"
        assert message in err, f"{name}:\n{err}"
        with connect(db, read_only=True) as con:
            after = snapshot(con)
        assert all(expected[n].equals(after[n]) for n in expected), name
