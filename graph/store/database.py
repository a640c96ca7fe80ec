"""Open, create and read the DuckDB database that holds actors and collaborations.

A database is a single DuckDB file created from ``schema.sql``. Its schema version is stored in
``schema_info``; opening an older database migrates it, a newer one is refused with a message
that says to upgrade. Every write bumps ``data_version``, which the app uses as a cache key.
"""

from __future__ import annotations

import errno
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from graph.errors import DatabaseError, DatabaseLockedError, DiskFullError, SchemaVersionError
from graph.i18n import N_, NC_, NP_, translator
from graph.store.tables import TABLE_ORDER, TABLES
from graph.store.upgrade import upgrade_to_schema

__all__ = [
    "DATA_TABLES",
    "SANDBOX_CONFIG",
    "SCHEMA_VERSION",
    "connect",
    "created_at",
    "data_version",
    "integrity_problems",
    "is_empty",
    "open_db",
    "read_table",
    "require_integrity",
    "row_counts",
    "run",
    "schema_version",
    "touch_data_version",
    "transaction",
    "vocabulary",
]

SCHEMA_VERSION = 2
# A connection that can read the tables and nothing else: no files, no network, no extensions,
# no changing these settings afterwards.
SANDBOX_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": "false",
    "autoload_known_extensions": "false",
    "autoinstall_known_extensions": "false",
    "lock_configuration": "true",
}
DATA_TABLES: tuple[str, ...] = TABLE_ORDER


def _schema_sql() -> str:
    return resources.files("graph.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _to_current_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1 → 2: everything turn 2 added to schema.sql is additive (new tables, columns,
    vocabulary values), so the generic upgrade does it."""
    upgrade_to_schema(con, _schema_sql())


# Migrations from version v to v + 1, applied in order inside one transaction.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _to_current_schema}


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = True,
    sandbox: bool = False,
    wait_seconds: float = 5.0,
    settings: dict[str, str | bool | int | float | list[str]] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path`` (``":memory:"`` for a throwaway one), creating it if needed.

    Parameters
    ----------
    path:
        The DuckDB file. A missing file is created with the schema when ``create`` is true and
        ``read_only`` is false; otherwise it is an error that says how to create one.
    read_only:
        Open without the right to write. Several read-only processes may share a file.
    sandbox:
        Read-only, with every file and network access disabled and the configuration locked
        (``SANDBOX_CONFIG``): what the SQL console and the app use. DuckDB keeps one
        configuration per open file and process, so all readers in a process should agree.
    wait_seconds:
        How long to keep retrying while another process holds the file for writing.
    settings:
        More DuckDB settings for this connection (the SQL console's ``memory_limit``,
        ``threads``, ...); with ``sandbox`` they are locked together with the rest.

    Raises
    ------
    DatabaseError
        The file is missing (and may not be created) or is not an ecograph database.
    DatabaseLockedError
        Another process kept the file locked for longer than ``wait_seconds``.
    SchemaVersionError
        The database was written by a newer ecograph, or by one too old to migrate.
    """
    in_memory = str(path) == ":memory:"
    if not in_memory:
        path = Path(path)
        if not path.exists() and (read_only or not create):
            raise DatabaseError(_say("no_database", path=path))
        if path.is_dir():
            raise DatabaseError(_say("folder", path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    read_only = read_only or sandbox
    config = {**(settings or {}), **(SANDBOX_CONFIG if sandbox else {})}
    con = _open_with_retry(str(path), read_only=read_only, config=config, wait_seconds=wait_seconds)
    try:
        _prepare(con, read_only=read_only, name=str(path))
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_db(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = True,
    sandbox: bool = False,
    wait_seconds: float = 5.0,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``connect`` as a context manager that always closes the connection."""
    con = connect(
        path, read_only=read_only, create=create, sandbox=sandbox, wait_seconds=wait_seconds
    )
    try:
        yield con
    finally:
        con.close()


# The errors people read, said in the language chosen for the work in hand.
TEXTS = {
    "no_database": N_("no database at {path}: create one with `ecograph init --db {path}`"),
    "folder": N_("{path} is a folder, not a database file"),
    "cannot_open": N_("cannot open {path}: {reason}"),
    "locked": N_(
        "{path} is in use by another process{holder}; waited {seconds} s: try again when it "
        "has finished, or wait longer (--wait SECONDS or ECOGRAPH_LOCK_WAIT)"
    ),
    "not_duckdb": N_("cannot open {path} as a DuckDB database: {reason}"),
    "disk_full": N_("the disk is full: nothing was written{free}"),
    "free": N_(" ({mb} MB free)"),
    "empty": N_("{path} is empty: create it with `ecograph init --db {path}`"),
    "not_ecograph": N_(
        "{path} is a DuckDB file but not an ecograph database (no schema_info table); "
        "choose another file with --db"
    ),
    "newer": N_(
        "{path} has schema version {version}, newer than this ecograph understands "
        "({supported}); upgrade ecograph (pip install -U ecograph) to open it"
    ),
    "too_old": N_(
        "{path} has schema version {version}, which this ecograph cannot migrate; "
        "export it with the ecograph that wrote it (`ecograph export --format csv`) and "
        "import the folder into a new database"
    ),
    "migrate": N_(
        "{path} has schema version {version} and must be migrated to {supported}: "
        "run any writing command once (for example `ecograph stats`) without read-only"
    ),
}
PLURALS = {
    "rolled_back": NP_(
        "{action} rolled back: {n} references would point nowhere, e.g. {table}.{column} = "
        "'{value}'",
        "{action} rolled back: {n} references would point nowhere, e.g. {table}.{column} = "
        "'{value}'",
    ),
}

# The writers that check the references last (``require_integrity``), by name in the message.
WRITES = {
    "import": NC_("write", "import"),
    "merge": NC_("write", "merge"),
    "deletion": NC_("write", "deletion"),
}


def _say(name: str, /, **fields: Any) -> str:
    return translator().gettext(TEXTS[name]).format(**fields)


_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def _open_with_retry(
    target: str,
    *,
    read_only: bool,
    config: dict[str, str | bool | int | float | list[str]],
    wait_seconds: float,
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(target, read_only=read_only, config=config)
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                reason = message.splitlines()[0]
                raise DatabaseError(_say("cannot_open", path=target, reason=reason)) from exc
            if time.monotonic() >= deadline:
                holder = _LOCK_HOLDER.search(message)
                raise DatabaseLockedError(
                    _say(
                        "locked",
                        path=target,
                        holder=f" (PID {holder.group(1)})" if holder else "",
                        seconds=translator().number(wait_seconds),
                    )
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise DatabaseError(_say("not_duckdb", path=target, reason=first)) from exc


def run(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    """Execute one statement and read its whole result.

    DuckDB 2.0 refuses new work on a connection while a result is pending, even the row count of
    an INSERT, so every statement whose result we do not need goes through here.
    """
    return con.execute(sql, params or []).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One DuckDB transaction: committed when the block ends, rolled back if it raises.

    A full disk (at the commit, or while the block spills) is a ``DiskFullError`` that says so
    and how much room is left, instead of DuckDB's fatal error: the commit did not happen, so
    nothing was written.
    """
    folder = _folder_of(con)
    run(con, "BEGIN TRANSACTION")
    try:
        yield
    except BaseException as exc:
        full = _disk_full(exc, folder)
        if full is None:
            run(con, "ROLLBACK")
            raise
        with suppress(duckdb.Error):  # a full disk may have invalidated the connection
            run(con, "ROLLBACK")
        raise full from None
    try:
        run(con, "COMMIT")
    except (duckdb.Error, OSError) as exc:
        full = _disk_full(exc, folder)
        if full is None:
            raise
        with suppress(duckdb.Error):
            run(con, "ROLLBACK")
        raise full from None


_NO_SPACE = ("no space left on device", "disk is full", "disk full")


def _folder_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder of the connection's database file (None in memory)."""
    rows = run(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return Path(rows[0][0]).parent if rows and rows[0][0] else None


def _disk_full(exc: BaseException, folder: Path | None) -> DiskFullError | None:
    """``DiskFullError`` when ``exc`` is the disk filling up, else None."""
    full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    full = full or (isinstance(exc, duckdb.Error) and any(m in str(exc).lower() for m in _NO_SPACE))
    if not full:
        return None
    free = ""
    if folder is not None:
        with suppress(OSError):
            mb = shutil.disk_usage(folder).free // (1024 * 1024)
            free = _say("free", mb=translator().number(mb))
    return DiskFullError(_say("disk_full", free=free))


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def _prepare(con: duckdb.DuckDBPyConnection, *, read_only: bool, name: str) -> None:
    tables = _tables(con)
    if not tables:
        if read_only:
            raise DatabaseError(_say("empty", path=name))
        _create_schema(con)
        return
    if "schema_info" not in tables:
        raise DatabaseError(_say("not_ecograph", path=name))
    version = schema_version(con)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            _say("newer", path=name, version=version, supported=SCHEMA_VERSION)
        )
    missing = [v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        raise SchemaVersionError(_say("too_old", path=name, version=version))
    if read_only:
        raise SchemaVersionError(
            _say("migrate", path=name, version=version, supported=SCHEMA_VERSION)
        )
    _migrate(con, version)


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    with transaction(con):
        run(con, _schema_sql())
        for key, value in (
            ("schema_version", str(SCHEMA_VERSION)),
            ("data_version", "0"),
            ("created_at", now),
        ):
            run(con, "INSERT INTO schema_info VALUES (?, ?)", [key, value])


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    with transaction(con):
        for v in range(version, SCHEMA_VERSION):
            MIGRATIONS[v](con)
        run(
            con,
            "UPDATE schema_info SET value = ? WHERE key = 'schema_version'",
            [str(SCHEMA_VERSION)],
        )


def _info(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = run(con, "SELECT value FROM schema_info WHERE key = ?", [key])
    return str(rows[0][0]) if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version stored in the database (0 when it is not recorded)."""
    value = _info(con, "schema_version")
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def created_at(con: duckdb.DuckDBPyConnection) -> str:
    """When the database file was created (ISO time): a replaced file has another value."""
    return _info(con, "created_at") or ""


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter bumped by every write: equal versions mean equal data (a cache key)."""
    value = _info(con, "data_version")
    return int(value) if value is not None else 0


def touch_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Record that the data changed. Call inside the writing transaction."""
    run(
        con,
        "UPDATE schema_info SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
        "WHERE key = 'data_version'",
    )


def vocabulary(con: duckdb.DuckDBPyConnection, enum: str) -> list[str]:
    """The allowed values of a controlled vocabulary (a DuckDB ENUM type of the schema)."""
    allowed = {c.enum for spec in TABLES.values() for c in spec.columns if c.enum}
    if enum not in allowed:
        raise KeyError(enum)
    rows = con.execute(f"SELECT unnest(enum_range(NULL::{enum}))").fetchall()
    return [str(r[0]) for r in rows]


def _as_plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Enum columns arrive as polars categoricals; analyses and exports want plain strings."""
    cats = [n for n, t in frame.schema.items() if isinstance(t, pl.Categorical | pl.Enum)]
    return frame.with_columns(pl.col(cats).cast(pl.String)) if cats else frame


def read_table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """Read a data table (one of ``DATA_TABLES``) as a polars frame, in key order."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}")
    spec = TABLES[name]
    cols = ", ".join(spec.column_names)
    order = ", ".join(spec.key)
    return _as_plain(con.sql(f"SELECT {cols} FROM {name} ORDER BY {order}").pl())


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per data table."""
    counts: dict[str, int] = {}
    for name in DATA_TABLES:
        counts[name] = int(run(con, f"SELECT count(*) FROM {name}")[0][0])
    return counts


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no data table has a row."""
    return not any(row_counts(con).values())


def integrity_problems(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every reference that points nowhere: (table, column, value) rows; empty when sound.

    The importer checks references before it writes; this query is the safety net it runs again
    inside the transaction, and a health check for databases changed by hand through SQL.
    """
    parts = []
    for spec in TABLES.values():
        for ref in spec.references:
            key = TABLES[ref.table].key[0]
            parts.append(
                f"SELECT '{spec.name}' AS table_name, '{ref.column}' AS column_name, "
                f"t.{ref.column} AS value FROM {spec.name} AS t "
                f"WHERE t.{ref.column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {ref.table} AS r WHERE r.{key} = t.{ref.column})"
            )
    return con.sql(" UNION ALL ".join(parts) + " ORDER BY ALL").pl()


def require_integrity(con: duckdb.DuckDBPyConnection, action: str) -> None:
    """Raise ``DatabaseError`` ("<action> rolled back: …") when a reference points nowhere.

    Every writer (import, merge, deletion) calls this last inside its transaction, so the
    raise rolls the whole write back.
    """
    dangling = integrity_problems(con)
    if dangling.height:
        first = dangling.row(0, named=True)
        n = dangling.height
        raise DatabaseError(
            translator()
            .ngettext(*PLURALS["rolled_back"], n)
            .format(
                action=translator().pgettext("write", WRITES.get(action, action)),
                n=n,
                table=first["table_name"],
                column=first["column_name"],
                value=first["value"],
            )
        )
