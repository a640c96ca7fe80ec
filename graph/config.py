"""Where ecograph keeps its files: the one place that resolves the database path.

The path comes from an explicit ``--db`` option, else the ``ECOGRAPH_DB`` environment variable,
else a default file under the project's ``data/`` folder. Relative paths in ``ECOGRAPH_DB`` are
taken from the current directory (as a user typing a path expects); the default is resolved from
the project root, never from the working directory, so the app and the CLI agree wherever they run.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DEFAULT_DB_NAME",
    "PROJECT_ROOT",
    "data_dir",
    "default_db_path",
    "resolve_db_path",
    "shipped_dataset_dir",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_NAME = "ecograph.duckdb"


def data_dir() -> Path:
    """The folder of shipped data (``ECOGRAPH_DATA_DIR`` overrides, for tests and deployments)."""
    override = os.environ.get("ECOGRAPH_DATA_DIR")
    return Path(override).resolve() if override else PROJECT_ROOT / "data"


def shipped_dataset_dir() -> Path:
    """The sourced Jämtland Härjedalen dataset that fills a new default database."""
    return data_dir() / "jamtland"


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``ECOGRAPH_DB`` names one."""
    return data_dir() / DEFAULT_DB_NAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path: ``explicit``, else ``$ECOGRAPH_DB``, else the default file."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("ECOGRAPH_DB")
    if env:
        return Path(env).expanduser().resolve()
    return default_db_path()
