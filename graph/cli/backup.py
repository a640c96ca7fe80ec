"""``ecograph backup`` and ``ecograph restore``: a checked copy of the database, and its return."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.history import record_restore
from graph.cli.options import db_option, wait_option
from graph.store.backup import restore_backup, write_backup
from graph.store.config import lock_wait_seconds, resolve_db_path

__all__ = ["backup", "restore"]


@click.command()
@db_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The backup file to write (a zip archive with a manifest and a checksum).",
)
@wait_option
@click.pass_context
def backup(ctx: click.Context, db: Path | None, out: Path, wait: float | None) -> None:
    """Write a consistent copy of the database, with its row counts and SHA-256, to one file."""
    path = resolve_db_path(db or ctx.find_root().params.get("db"))
    manifest = write_backup(path, out, wait_seconds=lock_wait_seconds(wait))
    rows = sum(manifest.row_counts.values())
    click.echo(f"backup of {path} written to {out}")
    click.echo(
        f"{rows} rows, schema version {manifest.schema_version}, data version "
        f"{manifest.data_version}, sha256 {manifest.sha256}"
    )


@click.command()
@db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that holds data (it is kept beside it as PATH.bak).",
)
@wait_option
@click.pass_context
def restore(
    ctx: click.Context, db: Path | None, file: Path, force: bool, wait: float | None
) -> None:
    """Replace the database with a backup, after checking the backup's checksum and schema.

    A damaged backup is refused and the database is left as it was.
    """
    path = resolve_db_path(db or ctx.find_root().params.get("db"))
    report = restore_backup(file, path, force=force, wait_seconds=lock_wait_seconds(wait))
    click.echo(f"restored {path} from {file} (backup of {report.manifest.created})")
    kept = f"; the database it replaced is kept as {report.previous}" if report.previous else ""
    record_restore(path, f"restored from {file.name} (backup of {report.manifest.created}){kept}")
    if report.previous is not None:
        click.echo(f"the database it replaced is kept as {report.previous}")
