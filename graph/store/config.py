"""Where ecograph keeps its files: the one place that resolves the database path.

The path comes from an explicit ``--db`` option, else the ``ECOGRAPH_DB`` environment variable,
else a default file under the project's ``data/`` folder. Relative paths in ``ECOGRAPH_DB`` are
taken from the current directory (as a user typing a path expects); the default is resolved from
the project root, never from the working directory, so the app and the CLI agree wherever they run.
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import UsageError
from graph.i18n import N_, translator
from graph.store.limits import (
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_ROWS,
    MAX_FILE_MB_ENV,
    MAX_ROWS_ENV,
    SQL_MAX_ROWS_ENV,
    SQL_MEMORY_MB_ENV,
    SQL_RESULT_MB_ENV,
    SQL_TIMEOUT_ENV,
    ImportLimits,
    SqlLimits,
    finite_seconds,
)
from graph.store.limits import TEXTS as LIMIT_TEXTS

__all__ = [
    "ACCESS_ENV",
    "ACCESS_MODES",
    "BASE_URL_ENV",
    "DEFAULT_DB_NAME",
    "DEFAULT_HOME_REGION",
    "DEFAULT_LOCK_WAIT",
    "HOME_REGION_ENV",
    "LAB_RETENTION_ENV",
    "LOCK_WAIT_ENV",
    "PROJECT_ROOT",
    "access_mode",
    "base_url",
    "data_dir",
    "default_db_path",
    "home_region",
    "import_limits",
    "lab_retention_days",
    "lock_wait_seconds",
    "region_outlines_path",
    "resolve_db_path",
    "shipped_dataset_dir",
    "sql_limits",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_NAME = "ecograph.duckdb"
LOCK_WAIT_ENV = "ECOGRAPH_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 5.0
ACCESS_ENV = "ECOGRAPH_ACCESS"
ACCESS_MODES = ("open", "shared")
# The region whose openness the diagnosis measures (ties that leave it): the shipped region.
# The settings' mistakes, said in the language chosen for the work in hand.
TEXTS = {
    "not_number": N_("{name}={value} is not a number"),
    "whole": N_("{name} must be a whole number, not {value}"),
    "access": N_("{name}={value} is not an access mode (choose from {modes})"),
    "base_url": N_("the base URL must start with http:// or https://, not {value}"),
    "days": N_("{name} must be a whole number of days, not {value}"),
}


def _say(name: str, /, **fields: object) -> str:
    return translator().gettext(TEXTS[name]).format(**fields)


DEFAULT_HOME_REGION = "Jämtlands län"
HOME_REGION_ENV = "ECOGRAPH_HOME_REGION"


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


def _number(name: str, explicit: float | None, default: float) -> float:
    """An explicit option, else the environment variable ``name``, else ``default``."""
    if explicit is not None:
        return explicit
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise UsageError(_say("not_number", name=name, value=repr(raw))) from None


def lock_wait_seconds(explicit: float | None = None) -> float:
    """How long to keep retrying while another process holds the database (``--wait``, else
    ``ECOGRAPH_LOCK_WAIT``, else 5 seconds)."""
    seconds = _number(LOCK_WAIT_ENV, explicit, DEFAULT_LOCK_WAIT)
    if seconds == 0:
        return 0.0
    # inf or nan would wait for ever (nan compares false with every deadline)
    return finite_seconds(seconds, LIMIT_TEXTS["lock_wait"])


def import_limits(max_file_mb: float | None = None, max_rows: int | None = None) -> ImportLimits:
    """The import limits: explicit options, else ``ECOGRAPH_MAX_FILE_MB`` and
    ``ECOGRAPH_MAX_ROWS``, else 500 MB and 5 000 000 rows per file."""
    rows = float(_number(MAX_ROWS_ENV, max_rows, DEFAULT_MAX_ROWS))
    if not rows.is_integer():
        raise UsageError(_say("whole", name=MAX_ROWS_ENV, value=rows))
    return ImportLimits(
        max_file_mb=_number(MAX_FILE_MB_ENV, max_file_mb, DEFAULT_MAX_FILE_MB), max_rows=int(rows)
    )


def access_mode() -> str | None:
    """Who may change data in the app, as ``ECOGRAPH_ACCESS`` sets it: ``open`` (everyone, a
    local run) or ``shared`` (viewers read, editors sign in to write); None when unset (the
    app then reads ``[ecograph] access`` from its secrets, default ``open``)."""
    mode = os.environ.get(ACCESS_ENV, "").strip().lower()
    if not mode:
        return None
    if mode not in ACCESS_MODES:
        raise UsageError(
            _say("access", name=ACCESS_ENV, value=repr(mode), modes=", ".join(ACCESS_MODES))
        )
    return mode


BASE_URL_ENV = "ECOGRAPH_BASE_URL"
LAB_RETENTION_ENV = "ECOGRAPH_LAB_RETENTION_DAYS"
DEFAULT_LAB_RETENTION_DAYS = 90


def base_url(explicit: str | None = None) -> str:
    """The address participants reach the app at, for join links and QR codes (``--base-url``,
    else ``ECOGRAPH_BASE_URL``, else http://localhost:8501), without a trailing slash."""
    url = (explicit or os.environ.get(BASE_URL_ENV, "") or "http://localhost:8501").strip()
    if not url.startswith(("http://", "https://")):
        raise UsageError(_say("base_url", value=repr(url)))
    return url.rstrip("/")


def lab_retention_days(explicit: int | None = None) -> int:
    """Days after a lab before its raw answers and contact persons are deleted
    (``ECOGRAPH_LAB_RETENTION_DAYS``, default 90)."""
    days = _number(LAB_RETENTION_ENV, explicit, DEFAULT_LAB_RETENTION_DAYS)
    if days < 0 or not float(days).is_integer():
        raise UsageError(_say("days", name=LAB_RETENTION_ENV, value=days))
    return int(days)


OUTLINES_ENV = "ECOGRAPH_OUTLINES"


def region_outlines_path() -> Path | None:
    """A GeoJSON file of region or municipality borders for the geographic map
    (``ECOGRAPH_OUTLINES``), else ``data/outlines.geojson`` when it exists, else None."""
    configured = os.environ.get(OUTLINES_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    shipped = data_dir() / "outlines.geojson"
    return shipped if shipped.exists() else None


def _whole(name: str, default: int) -> int:
    value = float(_number(name, None, default))
    if not value.is_integer():
        raise UsageError(_say("whole", name=name, value=value))
    return int(value)


def sql_limits() -> SqlLimits:
    """The SQL console's bounds on this server: ``ECOGRAPH_SQL_TIMEOUT`` (seconds, default 10),
    ``ECOGRAPH_SQL_MAX_ROWS`` (10 000), ``ECOGRAPH_SQL_MEMORY_MB`` (1024) and
    ``ECOGRAPH_SQL_RESULT_MB`` (100). The app may only lower them."""
    defaults = SqlLimits()
    return SqlLimits(
        timeout=finite_seconds(_number(SQL_TIMEOUT_ENV, None, defaults.timeout), SQL_TIMEOUT_ENV),
        max_rows=_whole(SQL_MAX_ROWS_ENV, defaults.max_rows),
        memory_mb=_whole(SQL_MEMORY_MB_ENV, defaults.memory_mb),
        max_result_mb=_whole(SQL_RESULT_MB_ENV, defaults.max_result_mb),
    )


def home_region(explicit: str | None = None) -> str:
    """The home region of the openness indicator: ``--home-region``, else
    ``ECOGRAPH_HOME_REGION``, else the shipped region (Jämtlands län)."""
    chosen = (explicit or os.environ.get(HOME_REGION_ENV, "")).strip()
    return chosen or DEFAULT_HOME_REGION
