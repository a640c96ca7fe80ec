"""``ecograph actors``: review the possible duplicates imports found, merge two actors, mark a
pair as different, or delete actors."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.language import Group, cli_translator, people_table
from graph.cli.options import db_option, db_path, format_table
from graph.curation.delete import delete_actors
from graph.curation.merge import dismiss_candidate, merge_actors, pending_candidates
from graph.i18n import N_
from graph.store.database import open_db

__all__ = ["HELP", "TEXTS", "actors"]

HELP = {
    "actors": N_(
        "Review possible duplicate actors found by imports, merge or keep them apart, or "
        "delete actors."
    ),
    "review": N_(
        "List the uncertain matches imports did not merge (an imported actor and a known actor "
        "that may be the same), best first."
    ),
    "json": N_("Print JSON instead of a table."),
    "merge": N_(
        "Merge actor OTHER_ID into KEEP_ID: its participations, relations, strength areas and "
        "aliases move to KEEP_ID, its name and id become aliases, and it is deleted."
    ),
    "dismiss": N_("Mark a pending match as two different actors (it is not proposed again)."),
    "delete": N_(
        "Delete actors with their participations, relations, strength areas, aliases and "
        "review-list pairs (activities and sources stay). Asks first unless --yes."
    ),
    "yes": N_("Do not ask for confirmation."),
}
TEXTS = {
    "nothing": N_("nothing to review: no uncertain matches are pending"),
    "how": N_(
        "\nSame actor: ecograph actors merge CANDIDATE_ID INCOMING_ID (keeps the candidate)\n"
        "Different:  ecograph actors dismiss INCOMING_ID CANDIDATE_ID"
    ),
    "dismissed": N_("dismissed: {incoming} and {candidate} are different actors"),
    "confirm": N_("Delete {ids} and every tie, area and alias of them?"),
}


@click.group(cls=Group, help=HELP["actors"])
@db_option
def actors(db: Path | None) -> None:
    """Review possible duplicate actors found by imports, merge or keep them apart, or delete
    actors."""


def _path(ctx: click.Context, db: Path | None) -> Path:
    """``--db`` given after the sub-command, after ``actors``, or before it."""
    group = ctx.parent.params.get("db") if ctx.parent is not None else None
    return db_path(ctx, db or group)


@actors.command(help=HELP["review"])
@db_option
@click.option("--json", "as_json", is_flag=True, help=HELP["json"])
@click.pass_context
def review(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """List the uncertain matches imports did not merge (an imported actor and a known actor
    that may be the same), best first."""
    path = _path(ctx, db)
    with open_db(path, read_only=True) as con:
        frame = pending_candidates(con)
    if as_json:
        click.echo(frame.write_json())
        return
    t = cli_translator(ctx)
    if frame.height == 0:
        click.echo(t.gettext(TEXTS["nothing"]))
        return
    compact = ("incoming_id", "incoming_name", "candidate_id", "candidate_name", "score", "reason")
    click.echo(format_table(people_table(frame.select(compact), t)))
    click.echo(t.gettext(TEXTS["how"]))


@actors.command(help=HELP["merge"])
@db_option
@click.argument("keep_id")
@click.argument("other_id")
@click.pass_context
def merge(ctx: click.Context, db: Path | None, keep_id: str, other_id: str) -> None:
    """Merge actor OTHER_ID into KEEP_ID: its participations, relations, strength areas and
    aliases move to KEEP_ID, its name and id become aliases, and it is deleted."""
    path = _path(ctx, db)
    with open_db(path) as con:
        report = merge_actors(con, keep_id, other_id)
    click.echo(report.summary())


@actors.command(help=HELP["dismiss"])
@db_option
@click.argument("incoming_id")
@click.argument("candidate_id")
@click.pass_context
def dismiss(ctx: click.Context, db: Path | None, incoming_id: str, candidate_id: str) -> None:
    """Mark a pending match as two different actors (it is not proposed again)."""
    path = _path(ctx, db)
    with open_db(path) as con:
        dismiss_candidate(con, incoming_id, candidate_id)
    message = cli_translator(ctx).gettext(TEXTS["dismissed"])
    click.echo(message.format(incoming=incoming_id, candidate=candidate_id))


@actors.command(help=HELP["delete"])
@db_option
@click.argument("actor_ids", nargs=-1, required=True, metavar="ACTOR_ID...")
@click.option("--yes", is_flag=True, help=HELP["yes"])
@click.pass_context
def delete(ctx: click.Context, db: Path | None, actor_ids: tuple[str, ...], yes: bool) -> None:
    """Delete actors with their participations, relations, strength areas, aliases and
    review-list pairs (activities and sources stay). Asks first unless --yes."""
    path = _path(ctx, db)
    if not yes:
        question = cli_translator(ctx).gettext(TEXTS["confirm"])
        click.confirm(question.format(ids=", ".join(actor_ids)), abort=True)
    with open_db(path) as con:
        report = delete_actors(con, actor_ids)
    click.echo(report.summary())
