"""``ecograph lab``: create a learning lab and its join link, open and close it, moderate its
queue (approve or reject answers), and print its QR code and poster."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.cli.click_words import PathType
from graph.cli.language import TEXTS as LANGUAGE_TEXTS
from graph.cli.language import Group, cli_translator, import_summary, people_table
from graph.cli.options import db_option, db_path, format_table, wait_option
from graph.i18n import N_, NC_
from graph.labs.approval import approve as approve_answers
from graph.labs.approval import reject as reject_answers
from graph.labs.approval import review
from graph.labs.lab import create_lab, join_url, lab_source_title
from graph.labs.qr import poster_html, qr_png, qr_svg
from graph.labs.queue import (
    find_lab,
    list_labs,
    open_queue,
    pending_counts,
    purge_expired,
    queue_path,
    set_lab_status,
)
from graph.present.lab_summary import lab_summary, lab_summary_html
from graph.store.config import base_url, lab_retention_days, lock_wait_seconds
from graph.store.database import open_db

__all__ = ["HELP", "TEXTS", "lab"]

HELP = {
    "lab": N_("Learning labs: participants state their ties on their phones, you approve them."),
    "create": N_(
        "Create a lab with a join code and link (the app must run with the same --base-url)."
    ),
    "name": N_("The lab's name, e.g. 'Lärlabb 2'."),
    "date": N_("YYYY-MM-DD."),
    "area": N_("A strength area id (repeat for several)."),
    "host_actor": N_("The actor id of the host (stored as lead)."),
    "activity": N_("Use this existing learning_lab activity (e.g. one of the seed's four labs)."),
    "base_url": N_("Where participants reach the app (join link)."),
    "base_url_short": N_("Where participants reach the app."),
    "create_json": N_('Print {{"code": …, "join_url": …}}.'),
    "json_table": N_("Print JSON instead of a table."),
    "list": N_("The labs: code, name, date, open or closed, and their queues."),
    "close": N_("Close a lab: no new answers, no corrections."),
    "reopen": N_("Open a closed lab again."),
    "status": N_("Only these."),
    "submissions": N_(
        "The lab's queue: one row per stated tie or wanted tie, with each organisation's match "
        "(known actor, uncertain, new). Contact persons are never listed."
    ),
    "all": N_("Approve every pending submission."),
    "approve": N_(
        "Approve submissions: their ties become relations sourced to the lab (one import, with "
        "the same validation and actor matching as every file)."
    ),
    "reject": N_(
        "Reject submissions (RECEIPT) or single ties (RECEIPT/N, as `lab submissions` lists them)."
    ),
    "poster_out": N_("poster.html, qr.svg or qr.png (the extension chooses)."),
    "poster_lang": N_("Language of the poster (and of the messages)."),
    "poster": N_(
        "Write the join link as an A4 poster (.html, print it) or a QR code (.svg, .png)."
    ),
    "days": N_("Keep raw answers this many days after the lab (default: the setting, 90)."),
    "purge": N_("Delete raw answers and contact persons of labs held more than N days ago."),
    "summary_out": N_("Write the summary as an HTML page; without it, print its sentences."),
    "summary": N_(
        "What the lab added, and its wanted ties beside the gaps the analysis measures on the "
        "whole network (helix pairs)."
    ),
}
TEXTS = {
    "created": N_("lab {code} created: {join_url}"),
    "closed": N_("lab {code} closed: it takes no new answers or corrections"),
    "reopened": N_("lab {code} reopened: {join_url}"),
    "empty_queue": N_("nothing in the queue of lab {code}"),
    "approved": N_("approved {n} submission(s) of lab {code}: {ties} ties, {wanted} wanted ties"),
    "nothing_pending": N_("nothing pending to approve in lab {code}"),
    "rejected": N_("rejected {n} submission(s) and {t} single tie(s) in lab {code}"),
    "purged": N_(
        "deleted the raw answers of {n} submission(s) older than {days} days after their lab"
    ),
    "written": LANGUAGE_TEXTS["written"],
    "approve_what": N_("name the receipts to approve, or --all"),
    "no_labs": N_("no labs yet: ecograph lab create --name NAME --date YYYY-MM-DD"),
    "out_suffix": N_("--out must end in .html, .svg or .png"),
    "summary": N_("{organisations} organisations, {ties} ties, {new} new organisations"),
}
# a lab's status as `lab list` shows it (the data and --json keep open/closed)
STATUS = {"open": NC_("lab status", "open"), "closed": NC_("lab status", "closed")}


@click.group(cls=Group, help=HELP["lab"])
@db_option
def lab(db: Path | None) -> None:
    """Learning labs: participants state their ties on their phones, you approve them."""


def _path(ctx: click.Context, db: Path | None) -> Path:
    group = ctx.parent.params.get("db") if ctx.parent is not None else None
    return db_path(ctx, db or group)


@lab.command(help=HELP["create"])
@db_option
@click.option("--name", required=True, help=HELP["name"])
@click.option(
    "--date", "lab_date", required=True, type=click.DateTime(["%Y-%m-%d"]), help=HELP["date"]
)
@click.option("--area", "areas", multiple=True, help=HELP["area"])
@click.option("--host-actor", default=None, help=HELP["host_actor"])
@click.option("--activity", default=None, help=HELP["activity"])
@click.option("--base-url", default=None, help=HELP["base_url"])
@click.option("--json", "as_json", is_flag=True, help=HELP["create_json"])
@wait_option
@click.pass_context
def create(
    ctx: click.Context,
    db: Path | None,
    name: str,
    lab_date: object,
    areas: tuple[str, ...],
    host_actor: str | None,
    activity: str | None,
    base_url: str | None,
    as_json: bool,
    wait: float | None,
) -> None:
    """Create a lab with a join code and link (the app must run with the same --base-url)."""
    path = _path(ctx, db)
    url = _base(base_url)
    day = lab_date.date() if hasattr(lab_date, "date") else date.fromisoformat(str(lab_date))
    with (
        open_db(path, wait_seconds=lock_wait_seconds(wait)) as con,
        open_queue(queue_path(path)) as queue,
    ):
        made = create_lab(
            con,
            queue,
            name=name,
            lab_date=day,
            base_url=url,
            areas=areas,
            host=host_actor,
            activity_id=activity,
        )
    if as_json:
        click.echo(json.dumps({"code": made.lab.code, "join_url": made.join_url}))
    else:
        created = cli_translator(ctx).gettext(TEXTS["created"])
        click.echo(created.format(code=made.lab.code, join_url=made.join_url))


def _base(explicit: str | None) -> str:
    return base_url(explicit)


@lab.command("list", help=HELP["list"])
@db_option
@click.option("--json", "as_json", is_flag=True, help=HELP["json_table"])
@click.pass_context
def list_cmd(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """The labs: code, name, date, open or closed, and their queues."""
    path = _path(ctx, db)
    with open_queue(queue_path(path)) as queue:
        labs = list_labs(queue)
        counts = pending_counts(queue)
    rows = [
        {
            "code": x.code,
            "name": x.name,
            "date": x.lab_date,
            "status": x.status,
            "activity_id": x.activity_id,
            **{s: counts.get(x.code, {}).get(s, 0) for s in ("pending", "approved", "rejected")},
        }
        for x in labs
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    t = cli_translator(ctx)
    if not rows:
        click.echo(t.gettext(TEXTS["no_labs"]))
        return
    import polars as pl

    for row in rows:
        status = str(row["status"])
        row["status"] = t.pgettext("lab status", STATUS.get(status, status))
        row["date"] = t.date(date.fromisoformat(str(row["date"])))
    click.echo(format_table(people_table(pl.DataFrame(rows), t)))


@lab.command(help=HELP["close"])
@db_option
@click.argument("code")
@click.pass_context
def close(ctx: click.Context, db: Path | None, code: str) -> None:
    """Close a lab: no new answers, no corrections."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        done = set_lab_status(queue, code, "closed")
    click.echo(cli_translator(ctx).gettext(TEXTS["closed"]).format(code=done.code))


@lab.command(help=HELP["reopen"])
@db_option
@click.argument("code")
@click.option("--base-url", default=None, help=HELP["base_url_short"])
@click.pass_context
def reopen(ctx: click.Context, db: Path | None, code: str, base_url: str | None) -> None:
    """Open a closed lab again."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        done = set_lab_status(queue, code, "open")
    reopened = cli_translator(ctx).gettext(TEXTS["reopened"])
    click.echo(reopened.format(code=done.code, join_url=join_url(_base(base_url), done.code)))


@lab.command(help=HELP["submissions"])
@db_option
@click.argument("code")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected"]),
    default=None,
    help=HELP["status"],
)
@click.option("--json", "as_json", is_flag=True, help=HELP["json_table"])
@click.pass_context
def submissions(
    ctx: click.Context, db: Path | None, code: str, status: str | None, as_json: bool
) -> None:
    """The lab's queue: one row per stated tie or wanted tie, with each organisation's match
    (known actor, uncertain, new). Contact persons are never listed."""
    path = _path(ctx, db)
    with open_db(path, read_only=True) as con, open_queue(queue_path(path)) as queue:
        frame = review(con, queue, code, status)
        lab_ = find_lab(queue, code)
    if as_json:
        click.echo(frame.write_json())
        return
    t = cli_translator(ctx)
    if frame.height == 0:
        click.echo(t.gettext(TEXTS["empty_queue"]).format(code=lab_.code))
        return
    click.echo(format_table(people_table(frame.drop("comment", "updated_at"), t)))


@lab.command(help=HELP["approve"])
@db_option
@click.argument("code")
@click.argument("receipts", nargs=-1)
@click.option("--all", "everything", is_flag=True, help=HELP["all"])
@wait_option
@click.pass_context
def approve(
    ctx: click.Context,
    db: Path | None,
    code: str,
    receipts: tuple[str, ...],
    everything: bool,
    wait: float | None,
) -> None:
    """Approve submissions: their ties become relations sourced to the lab (one import, with
    the same validation and actor matching as every file)."""
    t = cli_translator(ctx)
    if not receipts and not everything:
        raise click.UsageError(t.gettext(TEXTS["approve_what"]))
    path = _path(ctx, db)
    with (
        open_db(path, wait_seconds=lock_wait_seconds(wait)) as con,
        open_queue(queue_path(path)) as queue,
    ):
        done = approve_answers(
            con, queue, code, None if everything else [r.upper() for r in receipts]
        )
        lab_ = find_lab(queue, code)
    if not done.receipts:
        click.echo(t.gettext(TEXTS["nothing_pending"]).format(code=lab_.code))
        return
    click.echo(
        t.gettext(TEXTS["approved"]).format(
            n=t.number(len(done.receipts)),
            code=lab_.code,
            ties=t.number(done.ties),
            wanted=t.number(done.wanted),
        )
    )
    for warning in done.report.warnings:
        click.echo(t.gettext(LANGUAGE_TEXTS["warning"]).format(message=warning), err=True)
    click.echo(import_summary(done.report, t))


@lab.command(help=HELP["reject"])
@db_option
@click.argument("code")
@click.argument("items", nargs=-1, required=True)
@click.pass_context
def reject(ctx: click.Context, db: Path | None, code: str, items: tuple[str, ...]) -> None:
    """Reject submissions (RECEIPT) or single ties (RECEIPT/N, as `lab submissions` lists them)."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        whole, ties = reject_answers(queue, code, items)
        lab_ = find_lab(queue, code)
    tr = cli_translator(ctx)
    single = sum(len(v) for v in ties.values())
    click.echo(
        tr.gettext(TEXTS["rejected"]).format(
            n=tr.number(len(whole)), t=tr.number(single), code=lab_.code
        )
    )


@lab.command(help=HELP["poster"])
@db_option
@click.argument("code")
@click.option(
    "--out",
    type=PathType(dir_okay=False, path_type=Path),
    required=True,
    help=HELP["poster_out"],
)
@click.option("--base-url", default=None, help=HELP["base_url_short"])
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help=HELP["poster_lang"],
)
@click.pass_context
def poster(
    ctx: click.Context, db: Path | None, code: str, out: Path, base_url: str | None, lang: str
) -> None:
    """Write the join link as an A4 poster (.html, print it) or a QR code (.svg, .png)."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        lab_ = find_lab(queue, code)
    url = join_url(_base(base_url), lab_.code)
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_bytes(qr_svg(url))
    elif suffix == ".png":
        out.write_bytes(qr_png(url))
    elif suffix in (".html", ".htm"):
        out.write_text(
            poster_html(
                lab_name=lab_.name, lab_date=lab_.lab_date, code=lab_.code, url=url, lang=lang
            ),
            encoding="utf-8",
        )
    else:
        raise click.UsageError(cli_translator(ctx).gettext(TEXTS["out_suffix"]))
    click.echo(cli_translator(ctx).gettext(TEXTS["written"]).format(path=out))


@lab.command(help=HELP["purge"])
@db_option
@click.option("--days", type=click.IntRange(min=0), default=None, help=HELP["days"])
@click.pass_context
def purge(ctx: click.Context, db: Path | None, days: int | None) -> None:
    """Delete raw answers and contact persons of labs held more than N days ago."""
    keep = lab_retention_days(days)
    with open_queue(queue_path(_path(ctx, db))) as queue:
        n = purge_expired(queue, keep)
    t = cli_translator(ctx)
    click.echo(t.gettext(TEXTS["purged"]).format(n=t.number(n), days=t.number(keep)))


@lab.command(help=HELP["summary"])
@db_option
@click.argument("code")
@click.option(
    "--out",
    type=PathType(dir_okay=False, path_type=Path),
    default=None,
    help=HELP["summary_out"],
)
@click.pass_context
def summary(ctx: click.Context, db: Path | None, code: str, out: Path | None) -> None:
    """What the lab added, and its wanted ties beside the gaps the analysis measures on the
    whole network (helix pairs)."""
    path = _path(ctx, db)
    with open_queue(queue_path(path)) as queue:
        lab_ = find_lab(queue, code)
    with open_db(path, read_only=True) as con:
        analysis = run_analysis(con, AnalysisParams(group_by="helix"), cache=True)
        result = lab_summary(
            con,
            activity_id=lab_.activity_id,
            source_id=lab_.source_id,
            mixing=analysis.tables.get("group_mixing"),
            network=analysis.graph,
        )
    t = cli_translator(ctx)
    if out is None:
        click.echo(
            t.gettext(TEXTS["summary"]).format(
                organisations=t.number(result["organisations"]),
                ties=t.number(result["tie_count"]),
                new=t.number(result["new_organisations"]),
            )
        )
        for line in result["gaps"]["sentence"].to_list():
            click.echo(line)
        return
    out.write_text(
        lab_summary_html(
            result, name=lab_.name, source_title=lab_source_title(lab_.name, lab_.lab_date)
        ),
        encoding="utf-8",
    )
    click.echo(t.gettext(TEXTS["written"]).format(path=out))
