"""``ecograph history``, ``undo``, ``revert``, ``snapshot``, ``compare`` and the ``--at`` option:
the change log and the waves from the command line."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click

from graph.cli.analysis import _params, analysis_options
from graph.cli.language import TEXTS as LANGUAGE_TEXTS
from graph.cli.language import Command, Group, cli_translator, people_table
from graph.cli.options import HELP as OPTION_HELP
from graph.cli.options import (
    db_option,
    db_path,
    filter_from_options,
    filter_options,
    format_table,
    wait_option,
)
from graph.errors import UsageError
from graph.history.log import list_changes, record_event
from graph.history.snapshots import create_snapshot, list_snapshots, resolve_wave
from graph.history.travel import materialise
from graph.history.undo import revert_change, undo_last
from graph.history.what import what_text
from graph.i18n import N_, translator
from graph.sql import QueryResult, run_query
from graph.store.config import lock_wait_seconds
from graph.store.database import open_db, read_table

__all__ = [
    "COMMANDS",
    "HELP",
    "TEXTS",
    "compare",
    "history",
    "query_at",
    "record_restore",
    "revert",
    "review_pack",
    "snapshot",
    "undo",
]

HELP = {
    "review_pack": N_(
        "Write the board-ready review pack: per strength area what changed since a wave, and "
        "each cluster's indicators over all waves (one self-contained HTML file)."
    ),
    "pack_since": N_("The last review's wave."),
    "pack_until": N_("The wave to compare it with (default: now)."),
    "pack_area": N_("Only this strength area (id, repeatable)."),
    "pack_out": N_("The HTML file to write."),
    "history": N_(
        "The change log, newest first: who changed what, when, and how many rows per table."
    ),
    "json_table": N_("Print JSON instead of a table."),
    "limit": N_("Newest N changes only."),
    "undo": N_("Revert the newest change still in effect (repeat to go further back)."),
    "revert": N_(
        "Revert one change (refused, with the reason, when a later change depends on it)."
    ),
    "snapshot": N_('Name waves ("review 2026 H2") and list them.'),
    "snapshot_create": N_(
        "Name the data as recorded now; costs one row whatever the size of the data."
    ),
    "note": N_("What the wave is, e.g. the review meeting."),
    "snapshot_list": N_("The snapshots, oldest first."),
    "compare": N_(
        "What changed from wave A to wave B (default now): actors and ties added and removed, "
        "and the indicators before and after (--area ID: one strength area's actors)."
    ),
    "no_indicators": N_(
        "Only the lists and actor counts (skip the two analyses behind the indicators)."
    ),
    "compare_json": N_("Print the comparison as JSON."),
}
TEXTS = {
    "nothing_changed": N_("nothing changed: the change had no rows to put back"),
    "empty_log": N_("the change log is empty: it begins with the next import, merge or deletion"),
    # one change of `ecograph history` (the what on a line of its own below it)
    "change": N_(
        "#{change_id} {recorded_at} UTC  {kind} {who}  +{added} ~{changed} -{removed}{state}"
    ),
    "reverted_by": N_("  [reverted by #{change_id}]"),
    "recorded_as": N_("{what}: recorded as {summary}"),
    "snapshot_created": N_("{label} created"),
    "no_snapshots": N_("no snapshots yet: `ecograph snapshot create NAME`"),
    "from_to": N_("from {a} to {b}"),
    "actors_added": N_("Actors added"),
    "actors_removed": N_("Actors removed"),
    "ties_added": N_("Ties added"),
    "ties_removed": N_("Ties removed"),
    "ties_changed": N_("Ties changed"),
    "indicators": N_("Indicators:"),
    "querying": N_("querying the data as recorded at {label} (record time, not activity dates)"),
}


@click.command(cls=Command, help=HELP["history"])
@db_option
@click.option("--json", "as_json", is_flag=True, help=HELP["json_table"])
@click.option("--limit", type=click.IntRange(min=1), default=None, help=HELP["limit"])
@click.pass_context
def history(ctx: click.Context, db: Path | None, as_json: bool, limit: int | None) -> None:
    """The change log, newest first: who changed what, when, and how many rows per table."""
    path = db_path(ctx, db)
    with open_db(path, read_only=True) as con:
        frame = list_changes(con, limit)
    if as_json:
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str))
        return
    t = cli_translator(ctx)
    if not frame.height:
        click.echo(t.gettext(TEXTS["empty_log"]))
        return
    for r in frame.iter_rows(named=True):
        state = (
            t.gettext(TEXTS["reverted_by"]).format(change_id=r["reverted_by"])
            if r["reverted_by"]
            else ""
        )
        line = t.gettext(TEXTS["change"]).format(
            change_id=f"{r['change_id']:<5}",
            recorded_at=f"{r['recorded_at']:%Y-%m-%d %H:%M:%S}",
            kind=f"{r['kind']:<10}",
            who=r["who"],
            added=r["added"],
            changed=r["changed"],
            removed=r["removed"],
            state=state,
        )
        click.echo(f"{line}\n       {what_text(r['what'], t.lang)}")


def _echo_revert(record: Any) -> None:
    t = translator()
    if record.change_id:
        click.echo(
            t.gettext(TEXTS["recorded_as"]).format(
                what=what_text(record.what, t.lang), summary=record.summary()
            )
        )
    else:
        click.echo(t.gettext(TEXTS["nothing_changed"]))


@click.command(cls=Command, help=HELP["undo"])
@db_option
@wait_option
@click.pass_context
def undo(ctx: click.Context, db: Path | None, wait: float | None) -> None:
    """Revert the newest change still in effect (repeat to go further back)."""
    path = db_path(ctx, db)
    with open_db(path, wait_seconds=lock_wait_seconds(wait)) as con:
        record = undo_last(con)
    _echo_revert(record)


@click.command(cls=Command, help=HELP["revert"])
@db_option
@click.argument("change_id", type=int)
@wait_option
@click.pass_context
def revert(ctx: click.Context, db: Path | None, change_id: int, wait: float | None) -> None:
    """Revert one change (refused, with the reason, when a later change depends on it)."""
    path = db_path(ctx, db)
    with open_db(path, wait_seconds=lock_wait_seconds(wait)) as con:
        record = revert_change(con, change_id)
    _echo_revert(record)


@click.group(cls=Group, help=HELP["snapshot"])
@db_option
def snapshot(db: Path | None) -> None:
    """Name waves ("review 2026 H2") and list them."""


def _snapshot_db(ctx: click.Context, db: Path | None) -> Path:
    """``--db`` given after the sub-command, after ``snapshot``, or before it."""
    group = ctx.parent.params.get("db") if ctx.parent is not None else None
    return db_path(ctx, db or group)


@snapshot.command("create", help=HELP["snapshot_create"])
@db_option
@click.argument("name")
@click.option("--note", default=None, help=HELP["note"])
@wait_option
@click.pass_context
def snapshot_create(
    ctx: click.Context, db: Path | None, name: str, note: str | None, wait: float | None
) -> None:
    """Name the data as recorded now; costs one row whatever the size of the data."""
    path = _snapshot_db(ctx, db)
    with open_db(path, wait_seconds=lock_wait_seconds(wait)) as con:
        wave = create_snapshot(con, name, note)
    click.echo(cli_translator(ctx).gettext(TEXTS["snapshot_created"]).format(label=wave.label))


@snapshot.command("list", help=HELP["snapshot_list"])
@db_option
@click.option("--json", "as_json", is_flag=True, help=HELP["json_table"])
@click.pass_context
def snapshot_list(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """The snapshots, oldest first."""
    path = _snapshot_db(ctx, db)
    with open_db(path, read_only=True) as con:
        frame = list_snapshots(con)
    if as_json:
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str))
    elif frame.height:
        click.echo(format_table(people_table(frame, cli_translator(ctx))))
    else:
        click.echo(cli_translator(ctx).gettext(TEXTS["no_snapshots"]))


@click.command(cls=Command, help=HELP["compare"])
@db_option
@click.argument("wave_a")
@click.argument("wave_b", default="now")
@click.option("--no-indicators", is_flag=True, help=HELP["no_indicators"])
@filter_options
@analysis_options
@click.option("--json", "as_json", is_flag=True, help=HELP["compare_json"])
@click.pass_context
def compare(
    ctx: click.Context,
    db: Path | None,
    wave_a: str,
    wave_b: str,
    no_indicators: bool,
    as_json: bool,
    group_by: str,
    as_of: Any,
    months: int,
    top: int,
    exact_limit: int,
    samples: int,
    seed: int,
    resolution: float,
    **filters: Any,
) -> None:
    """What changed from wave A to wave B (default now): actors and ties added and removed,
    and the indicators before and after (--area ID: one strength area's actors)."""
    from graph.present.changes import compare_waves

    home_region = filters.pop("home_region", None)
    flt = filter_from_options(**filters)
    params = _params(
        flt, group_by, as_of, months, top, exact_limit, samples, seed, resolution, home_region
    )
    path = db_path(ctx, db)
    t = cli_translator(ctx)
    with open_db(path, read_only=True) as con:
        a, b = resolve_wave(con, wave_a), resolve_wave(con, wave_b)
        result = compare_waves(
            con,
            a,
            b,
            flt,
            None if no_indicators else params,
            progress=lambda m: click.echo(
                t.gettext(LANGUAGE_TEXTS["progress"]).format(message=m), err=True
            ),
        )
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        return
    click.echo(t.gettext(TEXTS["from_to"]).format(a=a.label, b=b.label))
    for line in result.summary_lines():
        click.echo(line)
    d = result.diff
    for title, ids in (
        (TEXTS["actors_added"], d.actors_added),
        (TEXTS["actors_removed"], d.actors_removed),
    ):
        if ids:
            click.echo(f"\n{t.gettext(title)}: {', '.join(ids)}")
    for title, frame in (
        (TEXTS["ties_added"], d.ties_added),
        (TEXTS["ties_removed"], d.ties_removed),
        (TEXTS["ties_changed"], d.ties_changed),
    ):
        if frame.height:
            click.echo(f"\n{t.gettext(title)}:")
            click.echo(format_table(people_table(frame, t)))
    if result.indicators:
        click.echo("\n" + t.gettext(TEXTS["indicators"]))
        for i in result.indicators:
            click.echo(f"  {i.label}: {i.before} → {i.after}")


@click.command("review-pack", cls=Command, help=HELP["review_pack"])
@db_option
@click.option("--since", "since", required=True, metavar="WAVE", help=HELP["pack_since"])
@click.option(
    "--until", "until", default="now", show_default=True, metavar="WAVE", help=HELP["pack_until"]
)
@click.option("--area", "areas", multiple=True, help=HELP["pack_area"])
@click.option("--no-synthetic", is_flag=True, help=OPTION_HELP["no_synthetic"])
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help=HELP["pack_out"]
)
@click.pass_context
def review_pack(
    ctx: click.Context,
    db: Path | None,
    since: str,
    until: str,
    areas: tuple[str, ...],
    no_synthetic: bool,
    out: Path,
) -> None:
    """Write the board-ready review pack: per strength area what changed since a wave, and
    each cluster's indicators over all waves (one self-contained HTML file)."""
    from graph.present.review_pack import TEXTS as PACK_TEXTS
    from graph.present.review_pack import build_review_pack, render_review_pack, write_review_pack

    t = cli_translator(ctx)
    path = db_path(ctx, db)
    with open_db(path, read_only=True) as con:
        known = set(read_table(con, "strength_areas")["area_id"].to_list())
        unknown = [a for a in areas if a not in known]
        if unknown:
            listed = ", ".join(sorted(known, key=t.sort_key())) or t.pgettext(
                "no strength areas", PACK_TEXTS["none"]
            )
            raise UsageError(t.gettext(PACK_TEXTS["no_area"]).format(area=unknown[0], areas=listed))
        pack = build_review_pack(
            con,
            resolve_wave(con, since),
            resolve_wave(con, until),
            areas=list(areas) or None,
            synthetic=not no_synthetic,
            database=path.name,
            lang=t.lang,
        )
        html = render_review_pack(pack, lang=t.lang)
    click.echo(str(write_review_pack(out, html)))


def query_at(
    path: Path,
    at: str,
    sql: str,
    values: dict[str, Any],
    *,
    timeout: float | None,
    max_rows: int | None,
) -> QueryResult:
    """``query --at``: the SQL console's sandbox opens a file, so the wave is copied into a
    temporary database (deleted afterwards) and the query runs there, read-only."""
    with open_db(path, read_only=True) as con:
        wave = resolve_wave(con, at)
    click.echo(translator().gettext(TEXTS["querying"]).format(label=wave.label), err=True)
    with tempfile.TemporaryDirectory(prefix="ecograph-wave-") as folder:
        copy = materialise(path, wave.change_id, Path(folder) / "wave.duckdb")
        return run_query(copy, sql, values, timeout=timeout, max_rows=max_rows)


def record_restore(path: Path, what: str) -> None:
    """Note a restore in the restored file's change log. A restore replaces the whole file, so
    the log it continues is the backup's own; this entry says where the log resumed."""
    with open_db(path) as con:
        record_event(con, "restore", what)


COMMANDS = (history, undo, revert, snapshot, compare, review_pack)
