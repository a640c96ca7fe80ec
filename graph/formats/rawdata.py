"""Tables as read from files, before validation: every cell a string, every row traceable.

Readers of each format (CSV, Excel, Parquet, Kumu, GEXF, GraphML, node-link JSON) produce
``RawTable`` objects; the validator turns them into typed rows or ``Problem`` reports that name
the file, the row a spreadsheet shows and the column as the file spells it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from graph.errors import Problem
from graph.formats.messages import say
from graph.i18n import N_
from graph.store.tables import FILE_COL, ROW_COL, TABLES

__all__ = [
    "FILE_COL",
    "ROW_COL",
    "TEXTS",
    "RawDataset",
    "RawTable",
    "normalise_header",
    "raw_from_frames",
    "raw_table",
    "slugify",
]

TEXTS = {
    "repeated_column": N_("column '{name}' appears more than once"),
    "unknown_column": N_("{file}: column '{column}' is not a {table} column and was ignored"),
    "missing_column": N_("missing required column"),
}


@dataclass
class RawTable:
    """The rows of one table from one file.

    ``frame`` holds one String column per known column present in the file plus ``_file`` and
    ``_row`` (the row label used in messages). ``labels`` maps our column names to the names the
    file used, so messages speak the user's language (Kumu's "Type" rather than "kind").
    """

    table: str
    frame: pl.DataFrame
    file: str
    labels: dict[str, str] = field(default_factory=dict)
    # JSON columns (``attributes``) already in canonical form: a reader that wrote them with
    # sorted keys says so, and the validator need not parse them again
    canonical_json: bool = False

    @property
    def present(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (FILE_COL, ROW_COL)]

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


@dataclass
class RawDataset:
    """Everything read from the files of one import, plus what could not be read."""

    tables: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: RawDataset) -> None:
        self.tables.extend(other.tables)
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)

    def by_table(self, name: str) -> list[RawTable]:
        return [t for t in self.tables if t.table == name]


def normalise_header(name: str) -> str:
    """``" Actor ID"`` → ``"actor_id"``: the forgiving match of a file's column to ours."""
    name = name.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def slugify(text: str) -> str:
    """A stable ASCII id from a name: ``"Ávki – Arena"`` → ``"avki-arena"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def raw_table(
    table: str,
    frame: pl.DataFrame,
    file: str,
    *,
    rows: list[str] | pl.Series | None = None,
    labels: dict[str, str] | None = None,
    first_row: int = 2,
) -> tuple[RawTable, list[Problem], list[str]]:
    """Build a ``RawTable`` from a frame whose columns are the file's own headers.

    Headers are matched to the table's columns by ``normalise_header``. Unknown columns are
    reported as warnings and dropped; a missing required column and a repeated column are
    problems. Cells are stripped, line breaks become ``\\n``, empty cells become null. ``rows``
    gives the row labels; by default rows are numbered as a spreadsheet shows them, starting at
    ``first_row``.
    """
    spec = TABLES[table]
    problems: list[Problem] = []
    warnings: list[str] = []
    labels = dict(labels or {})
    chosen: dict[str, str] = {}
    for original in frame.columns:
        name = normalise_header(original)
        if name in spec.column_names:
            if name in chosen:
                problems.append(
                    Problem(file, "1", original, say(TEXTS["repeated_column"], name=name))
                )
                continue
            chosen[name] = original
            labels.setdefault(name, original)
        elif name and not name.startswith("_"):
            warnings.append(say(TEXTS["unknown_column"], file=file, column=original, table=table))
    for required in spec.required:
        if required not in chosen:
            problems.append(
                Problem(file, "1", labels.get(required, required), say(TEXTS["missing_column"]))
            )
    n = frame.height
    if rows is None:
        row_labels = pl.Series(ROW_COL, [str(i) for i in range(first_row, first_row + n)])
    else:
        row_labels = pl.Series(ROW_COL, [str(r) for r in rows])
    # A line break inside a cell is stored as "\n" whatever the file used ("\r\n", old Mac
    # "\r"): XML and Excel turn "\r" into "\n" anyway, so only this way do exports round-trip.
    cells = frame.select(
        [
            pl.col(original)
            .cast(pl.String)
            .str.replace_all("\r\n?", "\n")
            .str.strip_chars()
            .replace("", None)
            .alias(name)
            for name, original in chosen.items()
        ]
    )
    # built from Series, not with_columns: with no known column at all, ``cells`` has no rows
    cleaned = pl.DataFrame(
        [
            *cells.get_columns(),
            pl.repeat(file, n, dtype=pl.String, eager=True).alias(FILE_COL),
            row_labels,
        ]
    )
    return RawTable(table, cleaned, file, labels), problems, warnings


def raw_from_frames(tables: dict[str, pl.DataFrame], file: str) -> RawDataset:
    """Frames built by code (the synthetic generator, an API caller) as a ``RawDataset``, so they
    pass through exactly the validation a file does. Rows are labelled by their position.
    """
    out = RawDataset()
    for name, frame in tables.items():
        as_text = frame.with_columns(
            [
                pl.col(c).cast(pl.String).str.to_lowercase()
                if t == pl.Boolean
                else pl.col(c).cast(pl.String)
                for c, t in frame.schema.items()
            ]
        )
        tbl, problems, warnings = raw_table(name, as_text, f"{file}[{name}]")
        out.tables.append(tbl)
        out.problems.extend(problems)
        out.warnings.extend(warnings)
    return out
