"""Moving data in and out of the app for the Data page: uploaded files imported into the database
(through the app's write lock) and the dataset as a download (cached per database state)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import polars as pl
import streamlit as st

from graph.curation.access import ACTIONS
from graph.errors import ImportValidationError, Problem, UsageError
from graph.formats.cordis import CordisOptions
from graph.formats.export import export_bytes, read_dataset
from graph.formats.ingest import ImportReport, import_paths
from graph.i18n import N_, NC_, Translator, translator
from graph.store.config import import_limits
from ui import auth, state
from ui.state import DbKey

__all__ = ["ImportOutcome", "export_file", "import_uploads", "shown_columns", "upload_name"]

PROBLEM_COLUMNS = ("file", "row", "column", "reason")
TEXTS = {
    "bad_name": N_("not a usable file name"),
    "twice": N_("uploaded twice; upload each table file only once"),
    "no_files": N_("no files uploaded"),
}
# The headers of the tables the Data page shows (the frames keep their column names).
COLUMN_LABELS = {
    "file": NC_("column", "file"),
    "row": NC_("column", "row"),
    "column": NC_("column", "column"),
    "reason": NC_("column", "reason"),
    "table": NC_("column", "table"),
    "table_name": NC_("column", "table_name"),
    "rows": NC_("column", "rows"),
    "new": NC_("column", "new"),
    "changed": NC_("column", "changed"),
    "sourced": NC_("column", "sourced"),
    "synthetic": NC_("column", "synthetic"),
    "unsourced": NC_("column", "unsourced"),
    "column_name": NC_("column", "column_name"),
    "value": NC_("column", "value"),
    # the change log (History) and the differences between waves (Changes)
    "change_id": NC_("column", "change_id"),
    "kind": NC_("column", "kind"),
    "who": NC_("column", "who"),
    "recorded_at": NC_("column", "recorded_at"),
    "what": NC_("column", "what"),
    "added": NC_("column", "added"),
    "removed": NC_("column", "removed"),
    "reverts": NC_("column", "reverts"),
    "reverted_by": NC_("column", "reverted_by"),
    "tables": NC_("column", "tables"),
    "actor_a": NC_("column", "actor_a"),
    "actor_b": NC_("column", "actor_b"),
    "activity_id": NC_("column", "activity_id"),
    "helix_pair": NC_("column", "helix_pair"),
}


def shown_columns(frame: pl.DataFrame, t: Translator) -> pl.DataFrame:
    """``frame`` with the headers people read in ``t``'s language (other columns as they are)."""
    names = {c: t.pgettext("column", COLUMN_LABELS[c]) for c in frame.columns if c in COLUMN_LABELS}
    if len(set(names.values())) < len(names):  # two headers would read alike: keep the names
        return frame
    return frame.rename(names)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import of uploads did: a report when it wrote, else the problems that stopped it."""

    report: ImportReport | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def problem_frame(self) -> pl.DataFrame:
        """The problems as a table: file, row (as a spreadsheet numbers it), column, reason."""
        rows = [(p.file, p.row, p.column, p.reason) for p in self.problems]
        return pl.DataFrame(rows, schema=dict.fromkeys(PROBLEM_COLUMNS, pl.String), orient="row")

    @property
    def changes(self) -> pl.DataFrame:
        """New and changed rows per table of a successful import."""
        changes = self.report.changes if self.report else []
        return pl.DataFrame(
            [(c.table, c.rows, c.new, c.changed) for c in changes],
            schema={"table": pl.String, "rows": pl.Int64, "new": pl.Int64, "changed": pl.Int64},
            orient="row",
        )


def upload_name(name: str) -> str | None:
    """The file name an upload is saved under: its last path part (whichever the browser's
    separator), or None when nothing usable is left (``..``, an empty name)."""
    base = PurePosixPath(PureWindowsPath(name).name).name.strip()
    return None if base in ("", ".", "..") else base


def import_uploads(
    files: Sequence[tuple[str, bytes]],
    fmt: str | None = None,
    replace: bool = False,
    *,
    path: Path | None = None,
    cordis: CordisOptions | None = None,
) -> ImportOutcome:
    """Validate and import uploaded files, given as ``(original name, content)``.

    The files are written into a private temporary folder under their own names (the readers
    tell tables apart by file name) and imported in one transaction by
    ``graph.formats.ingest.import_paths`` while the app holds its write lock. Any problem, in any
    file,
    and nothing is written. ``path`` is the database (default: the session's); ``cordis`` the
    region filter and exchange rate for CORDIS files.

    Raises
    ------
    AccessDeniedError
        A viewer of a shared app asked (checked here, before anything is read or written).
    EcographError
        Problems that are not about the data: an unknown format, a locked database, ...
    """
    auth.require_editor(ACTIONS["import"])
    t = translator()  # the language of this run (the app settles it for the session)
    problems: list[Problem] = []
    names: dict[str, bytes] = {}
    for original, content in files:
        name = upload_name(original)
        if name is None:
            problems.append(Problem(original, "", "", t.gettext(TEXTS["bad_name"])))
        elif name in names:
            problems.append(Problem(name, "", "", t.gettext(TEXTS["twice"])))
        else:
            names[name] = content
    if not files:
        problems.append(Problem("", "", "", t.gettext(TEXTS["no_files"])))
    if problems:
        return ImportOutcome(problems=problems)
    with tempfile.TemporaryDirectory(prefix="ecograph-upload-") as tmp:
        paths = []
        for name, content in names.items():
            target = Path(tmp) / name
            target.write_bytes(content)
            paths.append(target)
        try:
            with state.writing(path) as con:
                report = import_paths(
                    con, paths, fmt=fmt, replace=replace, limits=import_limits(), cordis=cordis
                )
        except ImportValidationError as exc:
            return ImportOutcome(problems=exc.problems)
        except UsageError as exc:
            # the readers name files by path; the user knows them by the name they uploaded
            raise UsageError(str(exc).replace(f"{tmp}/", "")) from None
    return ImportOutcome(report=report)


@st.cache_data(show_spinner=False, max_entries=4)
def export_file(key: DbKey, fmt: str) -> tuple[bytes, str, str]:
    """The whole dataset as one file (see ``graph.formats.export.export_bytes``), per database
    state."""
    with state.reading(Path(key.path)) as con:
        tables = read_dataset(con)
    return export_bytes(tables, fmt)
