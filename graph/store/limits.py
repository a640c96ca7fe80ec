"""Limits on what one import may read: the largest file and the most rows in one file.

A mistaken upload (a 3 GB log file named ``actors.csv``) or a hostile one (a zip bomb posing as
a workbook) is refused with a message that names the file, its size and the setting to change,
instead of filling the memory of a shared server.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import Problem, UsageError

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "DEFAULT_MAX_ROWS",
    "MAX_FILE_MB_ENV",
    "MAX_ROWS_ENV",
    "ImportLimits",
]

DEFAULT_MAX_FILE_MB = 500
DEFAULT_MAX_ROWS = 5_000_000
MAX_FILE_MB_ENV = "ECOGRAPH_MAX_FILE_MB"
MAX_ROWS_ENV = "ECOGRAPH_MAX_ROWS"
_MB = 1024 * 1024  # as Streamlit counts its server.maxUploadSize


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
        if not self.max_file_mb > 0:
            raise UsageError(f"the file size limit must be above 0 MB, not {self.max_file_mb}")
        if self.max_rows < 1:
            raise UsageError(f"the row limit must be at least 1, not {self.max_rows}")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * _MB)

    def size_problem(self, file: str, size: int) -> Problem | None:
        """A problem when a file of ``size`` bytes is over the limit, else None."""
        if size <= self.max_file_bytes:
            return None
        return Problem(
            file,
            "",
            "",
            f"the file is {_megabytes(size)}, over the limit of {_megabytes(self.max_file_bytes)}"
            f" ({MAX_FILE_MB_ENV} or --max-file-mb)",
        )

    def rows_problem(self, file: str) -> Problem:
        """The problem of a file (or sheet) with more than ``max_rows`` rows."""
        return Problem(
            file,
            "",
            "",
            f"more than {self.max_rows} rows, over the limit of {self.max_rows} rows "
            f"({MAX_ROWS_ENV} or --max-rows)",
        )


def _megabytes(size: int) -> str:
    mb = size / _MB
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"
