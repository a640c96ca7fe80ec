"""``ecograph lab``: create a learning lab and its join link, open and close it, moderate its
queue (approve or reject answers), and print its QR code and poster."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.cli.options import db_option, db_path, format_table, wait_option
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

__all__ = ["lab"]

TEXTS = {
    "created": "lab {code} created: {join_url}",
    "closed": "lab {code} closed: it takes no new answers or corrections",
    "reopened": "lab {code} reopened: {join_url}",
    "empty_queue": "nothing in the queue of lab {code}",
    "approved": "approved {n} submission(s) of lab {code}: {ties} ties, {wanted} wanted ties",
    "nothing_pending": "nothing pending to approve in lab {code}",
    "rejected": "rejected {n} submission(s) and {t} single tie(s) in lab {code}",
    "purged": "deleted the raw answers of {n} submission(s) older than {days} days after their lab",
    "written": "written {path}",
    "approve_what": "name the receipts to approve, or --all",
}


@click.group()
@db_option
def lab(db: Path | None) -> None:
    """Learning labs: participants state their ties on their phones, you approve them."""


def _path(ctx: click.Context, db: Path | None) -> Path:
    group = ctx.parent.params.get("db") if ctx.parent is not None else None
    return db_path(ctx, db or group)


@lab.command()
@db_option
@click.option("--name", required=True, help="The lab's name, e.g. 'Lärlabb 2'.")
@click.option(
    "--date", "lab_date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD."
)
@click.option("--area", "areas", multiple=True, help="A strength area id (repeat for several).")
@click.option("--host-actor", default=None, help="The actor id of the host (stored as lead).")
@click.option(
    "--activity",
    default=None,
    help="Use this existing learning_lab activity (e.g. one of the seed's four labs).",
)
@click.option("--base-url", default=None, help="Where participants reach the app (join link).")
@click.option("--json", "as_json", is_flag=True, help='Print {"code": …, "join_url": …}.')
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
        click.echo(TEXTS["created"].format(code=made.lab.code, join_url=made.join_url))


def _base(explicit: str | None) -> str:
    return base_url(explicit)


@lab.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
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
    if not rows:
        click.echo("no labs yet: ecograph lab create --name NAME --date YYYY-MM-DD")
        return
    import polars as pl

    click.echo(format_table(pl.DataFrame(rows)))


@lab.command()
@db_option
@click.argument("code")
@click.pass_context
def close(ctx: click.Context, db: Path | None, code: str) -> None:
    """Close a lab: no new answers, no corrections."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        done = set_lab_status(queue, code, "closed")
    click.echo(TEXTS["closed"].format(code=done.code))


@lab.command()
@db_option
@click.argument("code")
@click.option("--base-url", default=None, help="Where participants reach the app.")
@click.pass_context
def reopen(ctx: click.Context, db: Path | None, code: str, base_url: str | None) -> None:
    """Open a closed lab again."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        done = set_lab_status(queue, code, "open")
    click.echo(
        TEXTS["reopened"].format(code=done.code, join_url=join_url(_base(base_url), done.code))
    )


@lab.command()
@db_option
@click.argument("code")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected"]),
    default=None,
    help="Only these.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
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
    if frame.height == 0:
        click.echo(TEXTS["empty_queue"].format(code=lab_.code))
        return
    click.echo(format_table(frame.drop("comment", "updated_at")))


@lab.command()
@db_option
@click.argument("code")
@click.argument("receipts", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Approve every pending submission.")
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
    if not receipts and not everything:
        raise click.UsageError(TEXTS["approve_what"])
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
        click.echo(TEXTS["nothing_pending"].format(code=lab_.code))
        return
    click.echo(
        TEXTS["approved"].format(
            n=len(done.receipts), code=lab_.code, ties=done.ties, wanted=done.wanted
        )
    )
    for warning in done.report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(done.report.summary())


@lab.command()
@db_option
@click.argument("code")
@click.argument("items", nargs=-1, required=True)
@click.pass_context
def reject(ctx: click.Context, db: Path | None, code: str, items: tuple[str, ...]) -> None:
    """Reject submissions (RECEIPT) or single ties (RECEIPT/N, as `lab submissions` lists them)."""
    with open_queue(queue_path(_path(ctx, db))) as queue:
        whole, ties = reject_answers(queue, code, items)
        lab_ = find_lab(queue, code)
    click.echo(
        TEXTS["rejected"].format(n=len(whole), t=sum(len(v) for v in ties.values()), code=lab_.code)
    )


@lab.command()
@db_option
@click.argument("code")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="poster.html, qr.svg or qr.png (the extension chooses).",
)
@click.option("--base-url", default=None, help="Where participants reach the app.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
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
        raise click.UsageError("--out must end in .html, .svg or .png")
    click.echo(TEXTS["written"].format(path=out))


@lab.command()
@db_option
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Keep raw answers this many days after the lab (default: the setting, 90).",
)
@click.pass_context
def purge(ctx: click.Context, db: Path | None, days: int | None) -> None:
    """Delete raw answers and contact persons of labs held more than N days ago."""
    keep = lab_retention_days(days)
    with open_queue(queue_path(_path(ctx, db))) as queue:
        n = purge_expired(queue, keep)
    click.echo(TEXTS["purged"].format(n=n, days=keep))


@lab.command()
@db_option
@click.argument("code")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the summary as an HTML page; without it, print its sentences.",
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
    if out is None:
        click.echo(
            f"{result['organisations']} organisations, {result['tie_count']} ties, "
            f"{result['new_organisations']} new organisations"
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
    click.echo(TEXTS["written"].format(path=out))
