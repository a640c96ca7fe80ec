"""Import files into the database: read, validate everything, then write in one transaction.

Nothing is written unless every row of every file passes (``ImportValidationError`` lists all
problems). Rows are upserted by key, so importing the same files again changes nothing; with
``replace`` the whole dataset is replaced. The write is one DuckDB transaction: a failure or a
killed process leaves the database exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from graph.curation.matching import MatchResult, match_actors, record_candidates
from graph.errors import ImportValidationError
from graph.formats.messages import count, say
from graph.formats.rawdata import normalise_header, raw_from_frames
from graph.formats.readers import read_paths
from graph.formats.validate import Validated, validate
from graph.history.log import recording_change
from graph.history.what import WHAT_TEXTS, describe
from graph.i18n import N_
from graph.store.database import (
    DATA_TABLES,
    require_integrity,
    run,
    touch_data_version,
)
from graph.store.limits import ImportLimits
from graph.store.tables import TABLE_ORDER, TABLES

if TYPE_CHECKING:
    from graph.formats.cordis import CordisOptions

__all__ = [
    "ImportReport",
    "TableChange",
    "import_dataset",
    "import_frames",
    "import_paths",
    "known_areas",
]

# The summary's lines are the command line's (graph.cli.language), one catalogue entry each.
TEXTS = {
    "table_change": N_("{table}: {rows} rows ({new} new, {changed} changed)"),
    "matched": N_("matched to known actors: {n} (their names kept as aliases)"),
    "to_review": N_(
        "uncertain matches to review: {n} (imported as new actors; see `ecograph actors review`)"
    ),
    "unchanged": N_("nothing changed: the database already held these rows"),
    "reading": N_("reading files"),
    "validating": N_("validating"),
    "matching": N_("matching actors to known actors"),
    "writing": N_("writing"),
}


@dataclass(frozen=True)
class TableChange:
    """What an import did to one table."""

    table: str
    rows: int  # rows in the files
    new: int
    changed: int


@dataclass
class ImportReport:
    """The outcome of a successful import."""

    changes: list[TableChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replaced: bool = False
    matched: int = 0  # incoming actors recognised as known actors (graph.curation.matching)
    to_review: int = 0  # new uncertain matches recorded for `ecograph actors review`

    @property
    def modified(self) -> bool:
        return self.replaced or any(c.new or c.changed for c in self.changes)

    def summary(self) -> str:
        """What the import did, one line per table, in the language in force."""
        lines = [
            say(
                TEXTS["table_change"],
                table=c.table,
                rows=count(c.rows),
                new=count(c.new),
                changed=count(c.changed),
            )
            for c in self.changes
        ]
        if self.matched:
            lines.append(say(TEXTS["matched"], n=count(self.matched)))
        if self.to_review:
            lines.append(say(TEXTS["to_review"], n=count(self.to_review)))
        if not self.modified:
            lines.append(say(TEXTS["unchanged"]))
        return "\n".join(lines)


def known_areas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Strength areas by normalised id and name, for readers that meet areas as free text."""
    rows = con.execute("SELECT area_id, name FROM strength_areas").fetchall()
    out: dict[str, str] = {}
    for area_id, name in rows:
        out[normalise_header(area_id)] = area_id
        out[normalise_header(name)] = area_id
    return out


def import_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
    limits: ImportLimits | None = None,
    cordis: CordisOptions | None = None,
    dataset: str | None = None,
) -> ImportReport:
    """Read, validate and import files and folders (see ``graph.formats.readers.read_paths``;
    ``limits``
    caps the size and rows of each file; ``cordis`` sets the region filter and exchange rate of
    CORDIS files; ``dataset`` is the namespace of outside graph files' node ids). Incoming
    actors are matched to known ones (``graph.curation.matching``) unless ``replace``.

    Raises
    ------
    ImportValidationError
        Any problem in any file; the database is unchanged.
    """
    tell = progress or (lambda _msg: None)
    tell(say(TEXTS["reading"]))
    raw = read_paths(
        paths, fmt, known_areas(con), limits, cordis=cordis, progress=tell, dataset=dataset
    )
    tell(say(TEXTS["validating"]))
    checked = validate(raw, con, replace=replace)
    if checked.problems:
        raise ImportValidationError(checked.problems)
    matches = None
    if not replace:
        tell(say(TEXTS["matching"]))
        matches = match_actors(checked, con)
    tell(say(TEXTS["writing"]))
    names = ", ".join(Path(p).name for p in paths)
    what = describe(
        "replace" if replace else "import",
        names=names,
        format=fmt or WHAT_TEXTS["by_extension"],
    )
    return import_dataset(con, checked, replace=replace, matches=matches, what=what)


def import_frames(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pl.DataFrame],
    *,
    label: str,
    replace: bool = False,
    match: bool = False,
) -> ImportReport:
    """Import frames built by code (e.g. ``graph.datasets.synth``) through the same validation as
    files.

    ``label`` names the origin in messages (``"synthetic"`` → ``synthetic[actors]:12:kind``).
    With ``match`` the incoming actors are matched to known ones as a file's are (a learning
    lab's answers name organisations the database may know).
    """
    checked = validate(raw_from_frames(tables, label), con, replace=replace)
    if checked.problems:
        raise ImportValidationError(checked.problems)
    matches = match_actors(checked, con) if match and not replace else None
    return import_dataset(
        con, checked, replace=replace, matches=matches, what=describe("import_rows", source=label)
    )


def _upsert_sql(table: str, columns: list[str]) -> str:
    key = TABLES[table].key
    cols = ", ".join(columns)
    updatable = [c for c in columns if c not in key]
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updatable)
        if updatable
        else "DO NOTHING"
    )
    return (
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming "
        f"ON CONFLICT ({', '.join(key)}) {action}"
    )


def _count_changes(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str]
) -> tuple[int, int]:
    key = TABLES[table].key
    on = " AND ".join(f"t.{k} = i.{k}" for k in key)
    new_rows = run(
        con,
        f"SELECT count(*) FROM _incoming AS i WHERE NOT EXISTS "
        f"(SELECT 1 FROM {table} AS t WHERE {on})",
    )
    typed = ", ".join(f"CAST({c} AS VARCHAR)" for c in columns)
    differing = run(
        con,
        f"SELECT count(*) FROM (SELECT {typed} FROM _incoming EXCEPT SELECT {typed} FROM {table})",
    )
    new = int(new_rows[0][0])
    diff = int(differing[0][0])
    return new, diff - new


def import_dataset(
    con: duckdb.DuckDBPyConnection,
    checked: Validated,
    *,
    replace: bool = False,
    matches: MatchResult | None = None,
    what: str = "imported rows",
) -> ImportReport:
    """Write validated tables in one transaction (upsert by key, or replace everything).

    The references are checked once more inside the transaction, so a concurrent change that
    broke them rolls the import back instead of leaving dangling ties. ``matches`` (from
    ``graph.curation.matching.match_actors``, already applied to ``checked``) adds its uncertain
    matches
    to the review list in the same transaction. The transaction is recorded in the change log
    (``graph.history``) with ``what`` as its description.
    """
    if checked.problems:
        raise ImportValidationError(checked.problems)
    report = ImportReport(warnings=list(checked.warnings), replaced=replace)
    if matches is not None:
        report.warnings += matches.warnings
        report.matched = matches.mapped.height
    with recording_change(con, "import", what):
        if replace:
            run(con, "DELETE FROM match_candidates")
            for table in reversed(DATA_TABLES):
                run(con, f"DELETE FROM {table}")
        for table in TABLE_ORDER:
            if table not in checked.tables:
                continue
            columns = checked.present[table]
            incoming = checked.tables[table].select(columns)
            con.register("_incoming", incoming)
            try:
                new, changed = _count_changes(con, table, columns)
                if new or changed:
                    run(con, _upsert_sql(table, columns))
            finally:
                con.unregister("_incoming")
            report.changes.append(TableChange(table, incoming.height, new, changed))
        if matches is not None:
            report.to_review = record_candidates(con, matches.candidates)
        require_integrity(con, "import")
        if report.modified:
            touch_data_version(con)
    return report
