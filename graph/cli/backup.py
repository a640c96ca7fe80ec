"""``ecograph backup`` and ``ecograph restore``: a checked copy of the database, and its return."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.click_words import PathType
from graph.cli.history import record_restore
from graph.cli.language import Command, cli_translator
from graph.cli.options import db_option, wait_option
from graph.history.what import describe
from graph.i18n import N_
from graph.store.backup import restore_backup, write_backup
from graph.store.config import lock_wait_seconds, resolve_db_path

__all__ = ["HELP", "TEXTS", "backup", "restore"]

HELP = {
    "backup": N_(
        "Write a consistent copy of the database, with its row counts and SHA-256, to one file."
    ),
    "backup_out": N_("The backup file to write (a zip archive with a manifest and a checksum)."),
    "restore": N_(
        "Replace the database with a backup, after checking the backup's checksum and "
        "schema.\n\nA damaged backup is refused and the database is left as it was."
    ),
    "restore_force": N_("Replace a database that holds data (it is kept beside it as PATH.bak)."),
}
TEXTS = {
    "written": N_("backup of {path} written to {out}"),
    "manifest": N_("{rows} rows, schema version {schema}, data version {data}, sha256 {sha256}"),
    "restored": N_("restored {path} from {file} (backup of {created})"),
    "kept": N_("the database it replaced is kept as {previous}"),
}


@click.command(cls=Command, help=HELP["backup"])
@db_option
@click.option(
    "--out",
    type=PathType(dir_okay=False, path_type=Path),
    required=True,
    help=HELP["backup_out"],
)
@wait_option
@click.pass_context
def backup(ctx: click.Context, db: Path | None, out: Path, wait: float | None) -> None:
    """Write a consistent copy of the database, with its row counts and SHA-256, to one file."""
    path = resolve_db_path(db or ctx.find_root().params.get("db"))
    manifest = write_backup(path, out, wait_seconds=lock_wait_seconds(wait))
    rows = sum(manifest.row_counts.values())
    t = cli_translator(ctx)
    click.echo(t.gettext(TEXTS["written"]).format(path=path, out=out))
    click.echo(
        t.gettext(TEXTS["manifest"]).format(
            rows=t.number(rows),
            schema=manifest.schema_version,
            data=manifest.data_version,
            sha256=manifest.sha256,
        )
    )


@click.command(cls=Command, help=HELP["restore"])
@db_option
@click.argument("file", type=PathType(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=HELP["restore_force"])
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
    t = cli_translator(ctx)
    created = report.manifest.created
    click.echo(t.gettext(TEXTS["restored"]).format(path=path, file=file, created=created))
    kept = describe("kept", previous=report.previous) if report.previous else ""
    record_restore(
        path, describe("restore", file=file.name, created=report.manifest.created, kept=kept)
    )
    if report.previous is not None:
        click.echo(t.gettext(TEXTS["kept"]).format(previous=report.previous))
