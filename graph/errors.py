"""Errors a user can cause, each with a message that says what to do.

The CLI prints ``str(error)`` on one line (or one line per problem) and exits with
``error.exit_code``: 1 for problems with data or the database, 2 for usage mistakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccessDeniedError",
    "BackupError",
    "DatabaseError",
    "DatabaseLockedError",
    "EcographError",
    "ImportValidationError",
    "NoMatchError",
    "Problem",
    "SchemaVersionError",
    "UsageError",
]


class EcographError(Exception):
    """An expected error: shown to the user as a message, never as a traceback."""

    exit_code = 1


class UsageError(EcographError):
    """The command was called wrongly (an unknown option value, a missing argument)."""

    exit_code = 2


class NoMatchError(EcographError):
    """A filter of known values that leaves nothing to analyse (no actor matches it)."""


class DatabaseError(EcographError):
    """The database file cannot be used: missing, not an ecograph database, damaged."""


class DatabaseLockedError(DatabaseError):
    """Another process holds the database file open for writing."""


class SchemaVersionError(DatabaseError):
    """The database was written by another version of ecograph and cannot be used as is."""


class DiskFullError(DatabaseError):
    """The disk filled up while writing; the transaction was rolled back (issue #21)."""


class BackupError(EcographError):
    """A backup cannot be written or restored: damaged, not a backup, or the target is busy."""


class AccessDeniedError(EcographError):
    """A change was asked for by someone who may only read (a viewer of a shared app)."""


@dataclass(frozen=True)
class Problem:
    """One defect in an input file: where it is and why it is wrong.

    ``row`` is the row number a spreadsheet shows (the header is row 1); for graph files it names
    the node or edge instead. ``column`` is empty for problems with a whole row or file.
    """

    file: str
    row: str
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"


class ImportValidationError(EcographError):
    """An import found problems; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found, nothing was imported"
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems))
