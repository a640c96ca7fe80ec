"""Backups of a database: one file that restores exactly, and proves it is undamaged first.

A backup is a zip archive holding ``manifest.json`` and ``ecograph.duckdb``, a consistent copy of
the database made by DuckDB (``COPY FROM DATABASE`` under a read-only connection, so no writer
can change the file while it is copied). The manifest records the schema version, the data
version, the rows per table and the SHA-256 of the copy. A restore checks all of them on a
private copy beside the target before it touches the target, so a damaged backup never costs
the current database; the database it replaces is kept beside it (``PATH.bak``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

from graph.errors import BackupError, DatabaseError, DatabaseLockedError
from graph.i18n import N_, translator
from graph.store.database import (
    SCHEMA_VERSION,
    connect,
    data_version,
    row_counts,
    run,
    schema_version,
)

__all__ = [
    "BACKUP_FORMAT",
    "BackupManifest",
    "RestoreReport",
    "read_manifest",
    "restore_backup",
    "write_backup",
]

BACKUP_FORMAT = "ecograph-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "ecograph.duckdb"
_BLOCK = 1 << 20


# The errors people read, said in the language chosen for the work in hand.
TEXTS = {
    "out_folder": N_("{path} is a folder: give the backup's file name, e.g. {path}/backup.zip"),
    "overwrite": N_("the backup must not overwrite the database itself: choose another --out"),
    "copy": N_("cannot copy {path}: {reason}"),
    "no_format": N_("{file} is not an ecograph backup (its manifest names no such format)"),
    "format": N_(
        "{file} is a backup format version {version}, which this ecograph does not read (it "
        "reads version {reads}); upgrade ecograph"
    ),
    "manifest": N_("{file} is damaged: its manifest lacks or garbles {field}"),
    "no_backup": N_("no backup at {file}"),
    "no_manifest": N_("{file} is not an ecograph backup (no {name})"),
    "damaged_or_not": N_("{file} is damaged or not an ecograph backup ({reason})"),
    "no_database": N_("{file} is damaged: it holds no {name}"),
    "damaged_why": N_("{file} is damaged ({reason})"),
    "checksum": N_("{file} is damaged: the database in it does not match its SHA-256 checksum"),
    "newer": N_(
        "{file} holds schema version {version}, newer than this ecograph understands "
        "({supported}); upgrade ecograph to restore it"
    ),
    "damaged": N_("{file} is damaged: {reason}"),
    "rows": N_("{file} is damaged: its tables do not hold the recorded rows"),
    "in_use": N_(
        "{path} is in use by another process: stop the app and any command using it, then "
        "restore ({reason})"
    ),
    "folder": N_("{path} is a folder, not a database file"),
    "holds_data": N_(
        "{path} holds data: add --force to replace it (it is then kept beside it as a .bak file)"
    ),
}


def _say(name: str, /, **fields: object) -> str:
    return translator().gettext(TEXTS[name]).format(**fields)


@dataclass(frozen=True)
class BackupManifest:
    """What a backup holds, as recorded when it was written."""

    created: str
    source: str
    schema_version: int
    data_version: int
    row_counts: dict[str, int]
    size: int
    sha256: str
    ecograph_version: str

    def to_json(self) -> str:
        return json.dumps(
            {"format": BACKUP_FORMAT, "format_version": FORMAT_VERSION, **vars(self)}, indent=1
        )


@dataclass(frozen=True)
class RestoreReport:
    """The outcome of a restore: the database written and where the replaced one was kept."""

    path: Path
    manifest: BackupManifest
    previous: Path | None


def _ecograph_version() -> str:
    try:
        return version("ecograph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _quoted_path(path: Path) -> str:
    """A file path as a SQL string literal (ATTACH takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def _scratch(path: Path, purpose: str) -> Iterator[Path]:
    """A private file name beside ``path`` (same file system, so the final rename is atomic),
    removed with its WAL afterwards unless it was moved into place."""
    scratch = path.with_name(f".{path.name}.{purpose}-{os.getpid()}")
    for leftover in (scratch, Path(f"{scratch}.wal")):
        leftover.unlink(missing_ok=True)
    try:
        yield scratch
    finally:
        for leftover in (scratch, Path(f"{scratch}.wal")):
            leftover.unlink(missing_ok=True)


def write_backup(db: Path, out: Path, *, wait_seconds: float = 5.0) -> BackupManifest:
    """Write a backup of the database ``db`` to the file ``out`` (replaced only when complete).

    Parameters
    ----------
    db:
        The database; it must exist and be an ecograph database.
    out:
        The backup file (a zip archive; ``.zip`` is a good suffix).
    wait_seconds:
        How long to retry while another process writes to ``db``.

    Raises
    ------
    DatabaseError
        ``db`` is missing, not an ecograph database, or held by a writer for too long.
    """
    out = Path(out)
    if out.is_dir():
        raise BackupError(_say("out_folder", path=out))
    if out.resolve() == Path(db).resolve():
        raise BackupError(_say("overwrite"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _scratch(out, "copy") as copy, _scratch(out, "zip") as archive:
        con = connect(db, read_only=True, create=False, wait_seconds=wait_seconds)
        try:
            counts = row_counts(con)
            versions = (schema_version(con), data_version(con))
            source = str(run(con, "SELECT current_database()")[0][0]).replace('"', '""')
            # The read-only connection keeps writers out until the copy is complete.
            run(con, f"ATTACH {_quoted_path(copy)} AS ecograph_backup (READ_WRITE)")
            run(con, f'COPY FROM DATABASE "{source}" TO ecograph_backup')
            run(con, "DETACH ecograph_backup")
        except duckdb.Error as exc:
            raise BackupError(_say("copy", path=db, reason=str(exc).splitlines()[0])) from exc
        finally:
            con.close()
        manifest = BackupManifest(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            source=str(Path(db).resolve()),
            schema_version=versions[0],
            data_version=versions[1],
            row_counts=counts,
            size=copy.stat().st_size,
            sha256=_sha256(copy),
            ecograph_version=_ecograph_version(),
        )
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST_NAME, manifest.to_json())
            zf.write(copy, DATABASE_NAME)
        archive.replace(out)
    return manifest


def _manifest_from(data: dict[str, Any], file: Path) -> BackupManifest:
    if data.get("format") != BACKUP_FORMAT:
        raise BackupError(_say("no_format", file=file))
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _say("format", file=file, version=data.get("format_version"), reads=FORMAT_VERSION)
        )
    try:
        return BackupManifest(
            created=str(data["created"]),
            source=str(data["source"]),
            schema_version=int(data["schema_version"]),
            data_version=int(data["data_version"]),
            row_counts={str(k): int(v) for k, v in dict(data["row_counts"]).items()},
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            ecograph_version=str(data["ecograph_version"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(_say("manifest", file=file, field=exc)) from exc


def read_manifest(file: Path) -> BackupManifest:
    """The manifest of a backup file.

    Raises
    ------
    BackupError
        The file is missing, not a backup or damaged.
    """
    file = Path(file)
    if not file.is_file():
        raise BackupError(_say("no_backup", file=file))
    try:
        with zipfile.ZipFile(file) as zf:
            return _manifest_from(json.loads(zf.read(MANIFEST_NAME)), file)
    except KeyError as exc:
        raise BackupError(_say("no_manifest", file=file, name=MANIFEST_NAME)) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise BackupError(
            _say("damaged_or_not", file=file, reason=str(exc) or type(exc).__name__)
        ) from exc


def _extract_checked(file: Path, manifest: BackupManifest, target: Path) -> None:
    """Extract the database to ``target`` and prove it is the one the manifest describes."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(file) as zf, zf.open(DATABASE_NAME) as src, target.open("wb") as dst:
            while block := src.read(_BLOCK):
                digest.update(block)
                dst.write(block)
    except KeyError as exc:
        raise BackupError(_say("no_database", file=file, name=DATABASE_NAME)) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise BackupError(
            _say("damaged_why", file=file, reason=str(exc) or type(exc).__name__)
        ) from exc
    if target.stat().st_size != manifest.size or digest.hexdigest() != manifest.sha256:
        raise BackupError(_say("checksum", file=file))
    if manifest.schema_version > SCHEMA_VERSION:
        raise BackupError(
            _say("newer", file=file, version=manifest.schema_version, supported=SCHEMA_VERSION)
        )
    try:
        con = connect(target, create=False)
    except DatabaseError as exc:
        raise BackupError(_say("damaged", file=file, reason=exc)) from exc
    try:
        if row_counts(con) != manifest.row_counts:
            raise BackupError(_say("rows", file=file))
        # The restored file is a new database for every cache keyed by its creation time.
        run(
            con,
            "UPDATE schema_info SET value = ? WHERE key = 'created_at'",
            [datetime.now(UTC).isoformat(timespec="microseconds")],
        )
    except duckdb.Error as exc:
        raise BackupError(_say("damaged", file=file, reason=str(exc).splitlines()[0])) from exc
    finally:
        con.close()


def _holds_data(db: Path, wait_seconds: float) -> bool:
    """Whether the database at ``db`` has rows; locks it briefly to prove no process uses it.

    A file that is not a usable database counts as holding data: replacing it needs --force.
    """
    try:
        con = connect(db, create=False, wait_seconds=wait_seconds)
    except DatabaseLockedError as exc:
        raise BackupError(_say("in_use", path=db, reason=exc)) from exc
    except DatabaseError:
        return True
    try:
        return any(row_counts(con).values())
    finally:
        con.close()


def _kept_name(db: Path) -> Path:
    kept = db.with_name(f"{db.name}.bak")
    if kept.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        kept = db.with_name(f"{db.name}.{stamp}.bak")
    return kept


def restore_backup(
    file: Path, db: Path, *, force: bool = False, wait_seconds: float = 5.0
) -> RestoreReport:
    """Replace the database ``db`` with the one in the backup ``file``.

    The backup is extracted beside ``db`` and checked (SHA-256, schema version, that it opens
    as an ecograph database, rows per table) before ``db`` is touched. A database that holds
    data is replaced only with ``force`` and is kept as ``db.bak`` (or a dated ``.bak``).

    Raises
    ------
    BackupError
        The backup is damaged or not a backup (``db`` is unchanged), ``db`` holds data and
        ``force`` is false, or another process uses ``db``.
    """
    file, db = Path(file), Path(db)
    manifest = read_manifest(file)
    if db.is_dir():
        raise BackupError(_say("folder", path=db))
    db.parent.mkdir(parents=True, exist_ok=True)
    with _scratch(db, "restore") as staged:
        _extract_checked(file, manifest, staged)
        previous: Path | None = None
        if db.exists():
            if _holds_data(db, wait_seconds) and not force:
                raise BackupError(_say("holds_data", path=db))
            previous = _kept_name(db)
            wal = Path(f"{db}.wal")
            if wal.exists():  # never let an old WAL be replayed into the restored file
                shutil.move(wal, Path(f"{previous}.wal"))
            # keep the old file under its new name first, so that at every moment, even if
            # this process is killed, a complete database is at ``db``
            try:
                os.link(db, previous)
            except OSError:  # a file system without hard links
                shutil.copy2(db, previous)
        staged.replace(db)
    return RestoreReport(db, manifest, previous)
