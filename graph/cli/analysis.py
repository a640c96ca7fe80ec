"""``ecograph analyze``, ``whatif`` and ``report``: the gap analysis from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from graph.analysis.diagnosis import DiagnosisParams
from graph.analysis.filters import check_filter, check_values
from graph.analysis.gaps import (
    ANALYSIS_STEPS,
    RESULT_TABLES,
    AnalysisParams,
    run_analysis,
    write_results,
)
from graph.analysis.metrics import MetricsParams
from graph.analysis.mixing import GROUPINGS
from graph.analysis.network import GraphFilter, load_graph
from graph.cli.at import TEXTS as AT_TEXTS
from graph.cli.at import at_option, viewing
from graph.cli.language import Command, cli_translator, people_table
from graph.cli.options import db_option, db_path, filter_from_options, filter_options, format_table
from graph.i18n import N_, NP_, translator
from graph.store.config import home_region as configured_home_region
from graph.store.database import open_db, read_table, run
from graph.store.stats import dataset_stats

__all__ = ["HELP", "TEXTS", "analyze", "report", "whatif"]

HELP = {
    "group_by": N_("Grouping for the headline gaps and brokerage roles."),
    "as_of": N_("Date for ended and at-risk ties (default today)."),
    "months": N_("Ties ending within this many months are at risk."),
    "top": N_("How many brokers and fragile points to examine."),
    "exact_limit": N_("Exact betweenness/closeness up to this many actors, sampled above."),
    "samples": N_("Sampled sources above the exact limit."),
    "seed": N_(
        "Seed of the sampling and the community detection (the same seed, the same result)."
    ),
    "resolution": N_("Louvain resolution (higher: smaller communities)."),
    "home_region": N_(
        "Region whose openness the diagnosis measures (ties leaving it; default: "
        "$ECOGRAPH_HOME_REGION, else Jämtlands län)."
    ),
    "analyze": N_("Run the gap analysis, store its tables in the database and print a summary."),
    "analyze_json": N_("Print every results table as JSON."),
    "whatif": N_(
        "What breaks if an actor leaves or an activity ends: the network before and after."
    ),
    "whatif_remove": N_("Actor to take out (id, repeatable)."),
    "whatif_end": N_("Activity that ends (id, repeatable); its parts end with it."),
    "whatif_json": N_("Print the result as JSON."),
    "report": N_(
        "Write a self-contained HTML gap report for a board: findings first, then a picture of "
        "the network, the diagnosis, and the tables in an appendix (opens with no network)."
    ),
    "report_out": N_("The HTML file to write."),
    "report_pdf": N_("Also print it to an A4 PDF beside the HTML file (needs Chromium)."),
}
TEXTS = {
    "analyzing": N_("analyzing"),
    "home_region": N_("home region"),
    "analysed": N_("{actors}, {ties} analysed in {seconds} s"),
    "tables_written": N_("; tables written: {tables}"),
    "whatif_what": N_("give --remove ACTOR_ID and/or --end-activity ID"),
    "lost_support": N_("Actors that lose every path to support:"),
    "lost_ties": N_("Ties that disappear:"),
}
PLURALS = {
    "actors": NP_("{n} actor", "{n} actors"),
    "ties": NP_("{n} tie", "{n} ties"),
}


def _params(
    flt: GraphFilter,
    group_by: str,
    as_of: Any,
    months: int,
    top: int,
    exact_limit: int,
    samples: int,
    seed: int,
    resolution: float,
    home_region: str | None = None,
) -> AnalysisParams:
    return AnalysisParams(
        filter=flt,
        group_by=group_by,
        as_of=as_of.date() if as_of else None,
        months_ahead=months,
        top=top,
        metrics=MetricsParams(
            exact_limit=exact_limit, samples=samples, seed=seed, resolution=resolution
        ),
        diagnosis=DiagnosisParams(home_region=configured_home_region(home_region)),
    )


def _check(con: Any, params: AnalysisParams, home_region: str | None) -> None:
    """Refuse unknown filter values, a filter that leaves no actor and an unknown
    ``--home-region`` before anything is computed or written."""
    check_filter(con, params.filter)
    if home_region:
        regions = [
            r[0] for r in run(con, "SELECT DISTINCT region FROM actors WHERE region IS NOT NULL")
        ]
        check_values([home_region], sorted(regions), translator().gettext(TEXTS["home_region"]))


_ANALYSIS_OPTIONS = (
    click.option(
        "--group-by",
        type=click.Choice(GROUPINGS),
        default="helix",
        show_default=True,
        help=HELP["group_by"],
    ),
    click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help=HELP["as_of"],
    ),
    click.option(
        "--months",
        type=click.IntRange(min=1),
        default=12,
        show_default=True,
        help=HELP["months"],
    ),
    click.option(
        "--top",
        type=click.IntRange(min=1),
        default=10,
        show_default=True,
        help=HELP["top"],
    ),
    click.option(
        "--exact-limit",
        type=click.IntRange(min=1),
        default=3000,
        show_default=True,
        help=HELP["exact_limit"],
    ),
    click.option(
        "--samples",
        type=click.IntRange(min=2),
        default=256,
        show_default=True,
        help=HELP["samples"],
    ),
    click.option("--seed", type=int, default=42, show_default=True, help=HELP["seed"]),
    click.option(
        "--resolution",
        type=click.FloatRange(min=0, min_open=True),
        default=1.0,
        show_default=True,
        help=HELP["resolution"],
    ),
    click.option(
        "--home-region",
        default=None,
        help=HELP["home_region"],
    ),
)


def analysis_options(func: Any) -> Any:
    for option in reversed(_ANALYSIS_OPTIONS):
        func = option(func)
    return func


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr advanced by each step of the analysis."""
    with click.progressbar(
        length=ANALYSIS_STEPS,
        label=translator().gettext(label),
        file=sys.stderr,
        show_eta=False,
        item_show_func=lambda s: s,
    ) as bar:

        def step(name: str) -> None:
            bar.update(1, name)

        yield step


@click.command(cls=Command, help=HELP["analyze"])
@db_option
@filter_options
@analysis_options
@click.option("--json", "as_json", is_flag=True, help=HELP["analyze_json"])
@at_option
@click.pass_context
def analyze(
    ctx: click.Context,
    db: Path | None,
    as_json: bool,
    at: str | None,
    group_by: str,
    as_of: Any,
    months: int,
    top: int,
    exact_limit: int,
    samples: int,
    seed: int,
    resolution: float,
    home_region: str | None,
    **filters: Any,
) -> None:
    """Run the gap analysis, store its tables in the database and print a summary."""
    path = db_path(ctx, db)
    params = _params(
        filter_from_options(**filters),
        group_by,
        as_of,
        months,
        top,
        exact_limit,
        samples,
        seed,
        resolution,
        home_region,
    )
    with open_db(path, read_only=at is not None) as con, viewing(con, at) as wave:
        _check(con, params, home_region)
        with _progress(TEXTS["analyzing"]) as step:
            analysis = run_analysis(con, params, progress=step, cache=True, store=wave is None)
        if wave is None:
            write_results(con, analysis)
    t = cli_translator(ctx)
    if wave is not None:
        click.echo(t.gettext(AT_TEXTS["not_stored"]), err=True)
    if as_json:
        payload = {
            "params": params.to_params(),
            "summary": analysis.summary_lines(),
            "tables": {name: analysis.tables[name].to_dicts() for name in RESULT_TABLES},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, default=str))
        return
    for line in analysis.summary_lines():
        click.echo(line)
    done = t.gettext(TEXTS["analysed"]).format(
        actors=t.ngettext(*PLURALS["actors"], analysis.actors).format(n=t.number(analysis.actors)),
        ties=t.ngettext(*PLURALS["ties"], analysis.ties).format(n=t.number(analysis.ties)),
        seconds=t.number(analysis.seconds, 1),
    )
    if wave is None:
        done += t.gettext(TEXTS["tables_written"]).format(tables=", ".join(RESULT_TABLES))
    click.echo("\n" + done)


@click.command(cls=Command, help=HELP["whatif"])
@db_option
@click.option("--remove", "remove", multiple=True, help=HELP["whatif_remove"])
@click.option("--end-activity", "end", multiple=True, help=HELP["whatif_end"])
@filter_options
@click.option("--json", "as_json", is_flag=True, help=HELP["whatif_json"])
@click.pass_context
def whatif(
    ctx: click.Context,
    db: Path | None,
    remove: tuple[str, ...],
    end: tuple[str, ...],
    as_json: bool,
    **filters: Any,
) -> None:
    """What breaks if an actor leaves or an activity ends: the network before and after."""
    from graph.analysis.fragility import expand_ended_activities
    from graph.analysis.fragility import whatif as run_whatif

    t = cli_translator(ctx)
    if not remove and not end:
        raise click.UsageError(t.gettext(TEXTS["whatif_what"]))
    path = db_path(ctx, db)
    flt = filter_from_options(**filters)
    with open_db(path, read_only=True) as con:
        check_filter(con, flt)
        G = load_graph(con, flt)
        activities = read_table(con, "activities")
    result = run_whatif(
        G, remove=list(remove), end_activities=expand_ended_activities(G, activities, end)
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "before": vars(result.before),
                    "after": vars(result.after),
                    "summary": result.summary_lines(),
                    "lost_support": result.lost_support.to_dicts(),
                    "lost_ties": result.lost_ties.to_dicts(),
                },
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for line in result.summary_lines():
        click.echo(line)
    if result.lost_support.height:
        click.echo("\n" + t.gettext(TEXTS["lost_support"]))
        kinds = {"kind": "actor_kind"}
        click.echo(format_table(people_table(result.lost_support, t, kinds)))
    if result.lost_ties.height:
        click.echo("\n" + t.gettext(TEXTS["lost_ties"]))
        click.echo(format_table(people_table(result.lost_ties, t)))


@click.command(cls=Command, help=HELP["report"])
@db_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=HELP["report_out"],
)
@click.option("--pdf", "pdf", is_flag=True, help=HELP["report_pdf"])
@filter_options
@analysis_options
@at_option
@click.pass_context
def report(
    ctx: click.Context,
    db: Path | None,
    out: Path,
    at: str | None,
    pdf: bool,
    group_by: str,
    as_of: Any,
    months: int,
    top: int,
    exact_limit: int,
    samples: int,
    seed: int,
    resolution: float,
    home_region: str | None,
    **filters: Any,
) -> None:
    """Write a self-contained HTML gap report for a board: findings first, then a picture of
    the network, the diagnosis, and the tables in an appendix (opens with no network)."""
    from graph.present.report import render_report, write_pdf, write_report

    t = cli_translator(ctx)
    lang = t.lang

    path = db_path(ctx, db)
    params = _params(
        filter_from_options(**filters),
        group_by,
        as_of,
        months,
        top,
        exact_limit,
        samples,
        seed,
        resolution,
        home_region,
    )
    with open_db(path, read_only=True) as con, viewing(con, at) as wave:
        _check(con, params, home_region)
        with _progress("analyzing") as step:
            analysis = run_analysis(con, params, progress=step, cache=True)
        areas = read_table(con, "strength_areas")
        html = render_report(
            analysis,
            sources=read_table(con, "sources"),
            stats=dataset_stats(con),
            # a report of a past wave says so where it names the database
            database=path.name
            if wave is None
            else t.gettext(AT_TEXTS["report_at"]).format(database=path.name, label=wave.label),
            area_names=dict(zip(areas["area_id"], areas["name"], strict=True)),
            lang=lang,
        )
    click.echo(str(write_report(out, html)))
    if pdf:
        click.echo(str(write_pdf(out, out.with_suffix(".pdf"))))
