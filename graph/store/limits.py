"""Limits on what one import may read: the largest file and the most rows in one file.

A mistaken upload (a 3 GB log file named ``actors.csv``) or a hostile one (a zip bomb posing as
a workbook) is refused with a message that names the file, its size and the setting to change,
instead of filling the memory of a shared server.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graph.errors import Problem, UsageError
from graph.i18n import N_, translator

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_SQL_MAX_ROWS",
    "DEFAULT_SQL_MEMORY_MB",
    "DEFAULT_SQL_RESULT_MB",
    "DEFAULT_SQL_TIMEOUT",
    "MAX_FILE_MB_ENV",
    "MAX_ROWS_ENV",
    "SQL_MAX_ROWS_ENV",
    "SQL_MEMORY_MB_ENV",
    "SQL_RESULT_MB_ENV",
    "SQL_TIMEOUT_ENV",
    "ImportLimits",
    "SqlLimits",
    "finite_seconds",
]

DEFAULT_MAX_FILE_MB = 500
DEFAULT_MAX_ROWS = 5_000_000
MAX_FILE_MB_ENV = "ECOGRAPH_MAX_FILE_MB"
MAX_ROWS_ENV = "ECOGRAPH_MAX_ROWS"
_MB = 1024 * 1024  # as Streamlit counts its server.maxUploadSize

# Said in the language chosen for the work in hand.
TEXTS = {
    "file_limit": N_("the file size limit must be a finite number above 0 MB, not {value}"),
    "row_limit": N_("the row limit must be at least 1, not {value}"),
    "too_big": N_("the file is {size}, over the limit of {limit} ({env} or --max-file-mb)"),
    "too_many_rows": N_("more than {n} rows, over the limit of {n} rows ({env} or --max-rows)"),
    "seconds": N_("{what} must be a number of seconds above 0 and at most 86400, not {value}"),
    "time_limit": N_("the time limit"),
    "lock_wait": N_("the lock wait"),
    "sql_whole": N_("the SQL console's {name} must be a whole number above 0"),
    "sql_memory": N_("the SQL console needs a memory limit of at least 64 MB"),
}


def _say(name: str, /, **fields: object) -> str:
    return translator().gettext(TEXTS[name]).format(**fields)


@dataclass(frozen=True)
class ImportLimits:
    """The largest file (in MB) and the most data rows per file an import accepts.

    Examples
    --------
    >>> limits = ImportLimits(max_file_mb=1, max_rows=10)
    >>> limits.max_file_bytes
    1048576
    >>> str(limits.rows_problem("actors.csv"))
    'actors.csv::: more than 10 rows, over the limit of 10 rows (ECOGRAPH_MAX_ROWS or --max-rows)'
    """

    max_file_mb: float = DEFAULT_MAX_FILE_MB
    max_rows: int = DEFAULT_MAX_ROWS

    def __post_init__(self) -> None:
        if not (self.max_file_mb > 0 and math.isfinite(self.max_file_mb)):
            raise UsageError(_say("file_limit", value=self.max_file_mb))
        if self.max_rows < 1:
            raise UsageError(_say("row_limit", value=self.max_rows))

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * _MB)

    def size_problem(self, file: str, size: int) -> Problem | None:
        """A problem when a file of ``size`` bytes is over the limit, else None."""
        if size <= self.max_file_bytes:
            return None
        reason = _say(
            "too_big",
            size=_megabytes(size),
            limit=_megabytes(self.max_file_bytes),
            env=MAX_FILE_MB_ENV,
        )
        return Problem(file, "", "", reason)

    def rows_problem(self, file: str) -> Problem:
        """The problem of a file (or sheet) with more than ``max_rows`` rows."""
        return Problem(file, "", "", _say("too_many_rows", n=self.max_rows, env=MAX_ROWS_ENV))


def _megabytes(size: int) -> str:
    mb = size / _MB
    return f"{translator().number(mb, 0 if mb >= 10 else 1)} MB"


# --- the SQL console's bounds (issue #21): server settings, never raised by a viewer ---------

DEFAULT_SQL_TIMEOUT = 10.0
DEFAULT_SQL_MAX_ROWS = 10_000
DEFAULT_SQL_MEMORY_MB = 1024
DEFAULT_SQL_RESULT_MB = 100
SQL_TIMEOUT_ENV = "ECOGRAPH_SQL_TIMEOUT"
SQL_MAX_ROWS_ENV = "ECOGRAPH_SQL_MAX_ROWS"
SQL_MEMORY_MB_ENV = "ECOGRAPH_SQL_MEMORY_MB"
SQL_RESULT_MB_ENV = "ECOGRAPH_SQL_RESULT_MB"


def finite_seconds(value: float, what: str = "the time limit") -> float:
    """``value`` as seconds if it is a finite number above 0; a ``UsageError`` otherwise
    (``inf``, ``1e308`` past a day, ``nan``, 0 and negatives would each mean "no limit").

    >>> finite_seconds(2.5)
    2.5
    >>> finite_seconds(float("nan"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: the time limit must be a number of seconds above 0 ..., not nan
    """
    seconds = float(value)
    if not (math.isfinite(seconds) and 0 < seconds <= 86_400):
        # ``what`` is one of the TEXTS' names for a limit when it can be translated
        raise UsageError(_say("seconds", what=translator().gettext(what), value=value))
    return seconds


@dataclass(frozen=True)
class SqlLimits:
    """How long one console query may run, how many rows and bytes it may return, and how much
    memory the process that runs it may use.

    The app's widgets may only lower them (``lowered``); they are set on the server
    (``graph.store.config.sql_limits``: environment variables, else the defaults).

    >>> SqlLimits().lowered(timeout=600, max_rows=1_000_000)
    SqlLimits(timeout=10.0, max_rows=10000, memory_mb=1024, max_result_mb=100)
    """

    timeout: float = DEFAULT_SQL_TIMEOUT
    max_rows: int = DEFAULT_SQL_MAX_ROWS
    memory_mb: int = DEFAULT_SQL_MEMORY_MB
    max_result_mb: int = DEFAULT_SQL_RESULT_MB

    def __post_init__(self) -> None:
        finite_seconds(self.timeout)
        for name in ("max_rows", "memory_mb", "max_result_mb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(_say("sql_whole", name=name))
        if self.memory_mb < 64:
            raise UsageError(_say("sql_memory"))

    def lowered(self, timeout: float | None = None, max_rows: int | None = None) -> SqlLimits:
        """These limits, with the time limit and row cap lowered to what a person asked for
        (never raised: a request above the server's bound gets the bound)."""
        t = self.timeout if timeout is None else min(finite_seconds(timeout), self.timeout)
        rows = self.max_rows if max_rows is None else max(1, min(int(max_rows), self.max_rows))
        return SqlLimits(t, rows, self.memory_mb, self.max_result_mb)

    @property
    def memory_text(self) -> str:
        """The memory bound for people: "1 GB", "512 MB"."""
        mb = self.memory_mb
        return f"{mb / 1024:g} GB" if mb % 1024 == 0 else f"{mb} MB"
