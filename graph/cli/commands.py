"""The ``ecograph`` command line: a thin click layer over the library, one sub-command per job.

Expected errors print one clear line (or one line per import problem) on stderr and exit with 1
(data, database) or 2 (usage); they never print a traceback.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import polars as pl

from graph.analysis.filters import check_filter
from graph.analysis.metrics import actor_metrics
from graph.analysis.network import load_graph
from graph.cli.actors import actors
from graph.cli.analysis import analyze, report, whatif
from graph.cli.at import at_option, viewing
from graph.cli.backup import backup, restore
from graph.cli.click_words import PathType, click_speaks
from graph.cli.cordis import cordis_from_options, cordis_options
from graph.cli.exposure import open_access_warning
from graph.cli.history import COMMANDS as HISTORY_COMMANDS
from graph.cli.history import query_at
from graph.cli.labs import lab
from graph.cli.language import (
    PLURALS,
    TEXTS,
    Group,
    chosen_language,
    cli_translator,
    import_summary,
    lang_in_args,
    stats_table,
)
from graph.cli.options import (
    db_option,
    db_path,
    filter_from_options,
    filter_options,
    format_table,
    limit_options,
    wait_option,
)
from graph.cli.partners import partners
from graph.datasets.bootstrap import init_database
from graph.datasets.synth import synthetic_ecosystem, write_csv_folder
from graph.errors import EcographError, ImportValidationError, UsageError
from graph.formats.export import EXPORT_FORMATS, export_dataset
from graph.formats.ingest import import_paths
from graph.formats.readers import FORMATS
from graph.formats.spreadsheet import spreadsheet_safe
from graph.i18n import N_, NP_, use_language
from graph.present.maps import MapOptions, standalone_map
from graph.present.words import describe_filter
from graph.sql import (
    find_query,
    load_queries,
    run_query,
    run_write,
)
from graph.store.config import (
    BASE_URL_ENV,
    PROJECT_ROOT,
    import_limits,
    lock_wait_seconds,
    resolve_db_path,
)
from graph.store.config import base_url as resolve_base_url
from graph.store.database import open_db, read_table
from graph.store.stats import dataset_stats

__all__ = ["HELP", "QUERY_TEXTS", "cli", "main"]

# what the help pages say: each command's help and its options' (docstrings are for programmers)
HELP = {
    "cli": N_(
        "ecograph: who works with whom in an innovation ecosystem, where support is thin, and "
        "whom to partner with."
    ),
    "init": N_(
        "Create a database with the shipped Jämtland Härjedalen data (and a synthetic layer)."
    ),
    "init_no_synthetic": N_("Load only the sourced data."),
    "init_empty": N_("Create an empty database."),
    "init_force": N_("Replace the data of a database that has some."),
    "import": N_(
        "Import CSV/Excel/Parquet tables, Kumu, GEXF, GraphML, GML, Pajek, graph JSON or "
        "CORDIS.\n\nEverything is validated first; one bad row and nothing is written. Imported "
        "actors that match known ones are merged into them; uncertain matches wait in "
        "`ecograph actors review`."
    ),
    "import_format": N_("Read the files as this format instead of guessing from the extension."),
    "import_replace": N_("Replace the whole dataset with these files."),
    "import_dataset": N_(
        "Namespace of the node ids of graph files from other tools (default: the file name)."
    ),
    "import_problems_out": N_("On failure, write every problem to this CSV file."),
    "export": N_(
        "Export the whole dataset in a format that imports back into identical tables, or the "
        "network as a standalone HTML map (--format html; the filters apply to the map "
        "only).\n\nCSV keeps exact values for round trips, so a name starting with = + - @ is "
        "a formula to a spreadsheet; --excel-safe neutralises those for files meant for people."
    ),
    "export_format": N_(
        "csv/parquet write a folder; html a standalone network map; the others one file."
    ),
    "export_out": N_("Folder or file."),
    "export_budget": N_("html: most nodes drawn before communities stand in for actors."),
    "export_excel_safe": N_(
        "csv: prefix text starting with = + - @ with ' so spreadsheets do not run it as a "
        "formula (the files then no longer import back exactly)."
    ),
    "synth": N_(
        "Write a synthetic ecosystem as CSV files that `ecograph import` reads (for demos and "
        "benchmarks; every row is labelled synthetic)."
    ),
    "synth_actors": N_("How many synthetic actors."),
    "synth_seed": N_("Seed of the random generator (the same seed, the same ecosystem)."),
    "synth_ties": N_("Ties per actor on average."),
    "synth_out": N_("The folder to write the CSV files to."),
    "stats": N_("Rows per table, and how many are sourced, synthetic or unsourced."),
    "json_table": N_("Print JSON instead of a table."),
    "query": N_(
        "Run one read-only SQL query, or a saved query by name, and print or save the "
        "answer.\n\nThe console cannot change data or touch files; `--write` is the explicit "
        "way to change data."
    ),
    "query_list": N_("List the saved queries: name and title."),
    "query_param": N_("A value for the query's parameter $KEY (repeat for several)."),
    "query_format": N_("parquet needs --out."),
    "query_out": N_("Write the answer to this file instead of the terminal."),
    "query_timeout": N_(
        "Stop the query after this many seconds (finite; default ECOGRAPH_SQL_TIMEOUT or "
        "{default_timeout})."
    ),
    "query_max_rows": N_(
        "Return at most this many rows (default ECOGRAPH_SQL_MAX_ROWS or {default_max_rows})."
    ),
    "query_write": N_("Allow statements that change the data (run in one transaction; CLI only)."),
    "app": N_(
        "Start the Streamlit app on this database, with the learning labs' participant form on "
        "the same port."
    ),
    "app_port": N_("The port to listen on."),
    "app_host": N_(
        "Address to listen on: this computer only by default; 0.0.0.0 for every network (e.g. "
        "for phones in a learning lab; then set ECOGRAPH_ACCESS=shared, or everyone who reaches "
        "it is an editor)."
    ),
    "app_base_url": N_(
        "Where others reach the app (learning labs' join links); default http://HOST:PORT."
    ),
}
# what `query` and `app` say
QUERY_TEXTS = {
    "nested": N_(
        "column {column} holds lists or structs, which CSV cannot: use --format json or parquet"
    ),
    "key_value": N_("{pair!r}: write KEY=VALUE"),
    "give_sql": N_("give SQL or the name of a saved query (see --list)"),
    "parquet_out": N_("--format parquet needs --out FILE"),
    "write_at": N_("--write cannot change a past wave: leave out --at"),
    "committed": N_("committed"),
    "join_links": N_(
        "note: join links of learning labs need the address phones use: pass --base-url "
        "http://THIS-MACHINE:{port}"
    ),
}
QUERY_PLURALS = {
    "written": NP_("{n} row written to {path}", "{n} rows written to {path}"),
    "truncated": NP_(
        "(truncated to {n} row; raise --max-rows for more)",
        "(truncated to {n} rows; raise --max-rows for more)",
    ),
}

MAX_PROBLEM_LINES = 200
# A bare word is a saved query's name; anything else is SQL.
_SAVED_NAME = re.compile(r"[a-z0-9_]+")


class _Group(Group):
    """Turns expected errors into a message and an exit code instead of a traceback."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        # --lang chooses the language of the run (graph.i18n.choose_language), read from the
        # arguments before click parses them so its own words (a usage error, a help page) speak
        # it too; the language before the run comes back after it (tests share a thread)
        given = list(sys.argv[1:] if args is None else args)
        with use_language(lang_in_args(given)), click_speaks():
            return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ImportValidationError as exc:
            t = cli_translator(ctx, safe=True)
            problems = exc.problems
            click.echo(
                t.ngettext(*PLURALS["problems"], len(problems)).format(n=len(problems)), err=True
            )
            for problem in problems[:MAX_PROBLEM_LINES]:
                click.echo(str(problem), err=True)
            if len(problems) > MAX_PROBLEM_LINES:
                n = len(problems) - MAX_PROBLEM_LINES
                click.echo(t.gettext(TEXTS["more_problems"]).format(n=n), err=True)
            ctx.exit(exc.exit_code)
        except EcographError as exc:
            t = cli_translator(ctx, safe=True)
            click.echo(t.gettext(TEXTS["error"]).format(message=exc), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, help=HELP["cli"], context_settings={"help_option_names": ["-h", "--help"]})
@db_option
def cli(db: Path | None) -> None:
    """ecograph: who works with whom in an innovation ecosystem, where support is thin, and whom
    to partner with.
    """
    cli_translator()  # a wrong ECOGRAPH_LANG is said before any command runs


@cli.command(help=HELP["init"])
@db_option
@click.option("--no-synthetic", is_flag=True, help=HELP["init_no_synthetic"])
@click.option("--empty", is_flag=True, help=HELP["init_empty"])
@click.option("--force", is_flag=True, help=HELP["init_force"])
@click.pass_context
def init(ctx: click.Context, db: Path | None, no_synthetic: bool, empty: bool, force: bool) -> None:
    """Create a database with the shipped Jämtland Härjedalen data (and a synthetic layer)."""
    path = resolve_db_path(db or ctx.find_root().params.get("db"))
    report = init_database(path, synthetic=not no_synthetic, empty=empty, force=force)
    t = cli_translator(ctx)
    click.echo(t.gettext(TEXTS["database"]).format(path=path))
    for r in report.reports:
        if r.changes:
            click.echo(import_summary(r, t))


@cli.command("import", help=HELP["import"])
@db_option
@click.argument("paths", nargs=-1, required=True, type=PathType(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help=HELP["import_format"],
)
@click.option("--replace", is_flag=True, help=HELP["import_replace"])
@click.option("--dataset", default=None, help=HELP["import_dataset"])
@click.option(
    "--problems-out",
    type=PathType(dir_okay=False, path_type=Path),
    default=None,
    help=HELP["import_problems_out"],
)
@limit_options
@wait_option
@cordis_options
@click.pass_context
def import_cmd(
    ctx: click.Context,
    db: Path | None,
    paths: tuple[Path, ...],
    fmt: str | None,
    replace: bool,
    dataset: str | None,
    problems_out: Path | None,
    max_file_mb: float | None,
    max_rows: int | None,
    wait: float | None,
    nuts: str | None,
    eur_sek: float,
) -> None:
    """Import CSV/Excel/Parquet tables, Kumu, GEXF, GraphML, GML, Pajek, graph JSON or CORDIS.

    Everything is validated first; one bad row and nothing is written. Imported actors that
    match known ones are merged into them; uncertain matches wait in `ecograph actors review`.
    """
    path = db_path(ctx, db)
    limits = import_limits(max_file_mb, max_rows)
    t = cli_translator(ctx)
    with open_db(path, wait_seconds=lock_wait_seconds(wait)) as con:
        try:
            report = import_paths(
                con,
                list(paths),
                fmt=fmt,
                replace=replace,
                progress=lambda msg: click.echo(
                    t.gettext(TEXTS["progress"]).format(message=msg), err=True
                ),
                limits=limits,
                cordis=cordis_from_options(nuts, eur_sek),
                dataset=dataset,
            )
        except ImportValidationError as exc:
            if problems_out:
                pl.DataFrame(
                    [vars(p) for p in exc.problems],
                    schema={
                        "file": pl.String,
                        "row": pl.String,
                        "column": pl.String,
                        "reason": pl.String,
                    },
                ).write_csv(problems_out)
            raise
    for warning in report.warnings:
        click.echo(t.gettext(TEXTS["warning"]).format(message=warning), err=True)
    click.echo(import_summary(report, t))


@cli.command(help=HELP["export"])
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*EXPORT_FORMATS, "html"]),
    required=True,
    help=HELP["export_format"],
)
@click.option("--out", type=PathType(path_type=Path), required=True, help=HELP["export_out"])
@click.option(
    "--budget",
    type=click.IntRange(min=10),
    default=800,
    show_default=True,
    help=HELP["export_budget"],
)
@click.option("--excel-safe", is_flag=True, help=HELP["export_excel_safe"])
@filter_options
@at_option
@click.pass_context
def export(
    ctx: click.Context,
    db: Path | None,
    fmt: str,
    out: Path,
    budget: int,
    at: str | None,
    excel_safe: bool,
    **filters: Any,
) -> None:
    """Export the whole dataset in a format that imports back into identical tables, or the
    network as a standalone HTML map (--format html; the filters apply to the map only).

    CSV keeps exact values for round trips, so a name starting with = + - @ is a formula to a
    spreadsheet; --excel-safe neutralises those for files meant for people.
    """
    path = db_path(ctx, db)
    with open_db(path, read_only=True) as con, viewing(con, at):
        if fmt != "html":
            written = export_dataset(con, fmt, out, excel_safe=excel_safe)
        else:
            flt = filter_from_options(**filters)
            check_filter(con, flt)
            G = load_graph(con, flt)
            areas = read_table(con, "strength_areas")
            area_names = dict(zip(areas["area_id"], areas["name"], strict=True))
            html, lod = standalone_map(
                G,
                actor_metrics(G),
                options=MapOptions(budget=budget),
                area_names=area_names,
                filter_text=describe_filter(flt, area_names),
            )
            out.write_text(html, encoding="utf-8")
            if lod.note:
                click.echo(lod.note, err=True)
            written = [out]
    for f in written:
        click.echo(str(f))


@cli.command(help=HELP["synth"])
@db_option
@click.option(
    "--actors", "n_actors", type=click.IntRange(min=1), required=True, help=HELP["synth_actors"]
)
@click.option("--seed", type=int, default=2026, show_default=True, help=HELP["synth_seed"])
@click.option(
    "--ties-per-actor",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help=HELP["synth_ties"],
)
@click.option(
    "--out", type=PathType(file_okay=False, path_type=Path), required=True, help=HELP["synth_out"]
)
def synth(db: Path | None, n_actors: int, seed: int, ties_per_actor: float, out: Path) -> None:
    """Write a synthetic ecosystem as CSV files that `ecograph import` reads (for demos and
    benchmarks; every row is labelled synthetic).
    """
    tables = synthetic_ecosystem(n_actors, seed, ties_per_actor=ties_per_actor)
    for f in write_csv_folder(tables, out):
        click.echo(str(f))


@cli.command(help=HELP["stats"])
@db_option
@click.option("--json", "as_json", is_flag=True, help=HELP["json_table"])
@click.pass_context
def stats(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """Rows per table, and how many are sourced, synthetic or unsourced."""
    path = db_path(ctx, db)
    with open_db(path, read_only=True) as con:
        frame = dataset_stats(con)
    if as_json:
        click.echo(frame.write_json())
        return
    t = cli_translator(ctx)
    click.echo(t.gettext(TEXTS["database"]).format(path=path))
    click.echo(format_table(stats_table(frame, t)))


def _write_frame(frame: pl.DataFrame, fmt: str, out: Path | None) -> None:
    """Print ``frame`` as a table, CSV or JSON, or write it to ``out`` (Parquet needs a file)."""
    nested = [n for n, t in frame.schema.items() if t.is_nested()]
    if fmt == "csv" and nested:
        message = cli_translator().gettext(QUERY_TEXTS["nested"])
        raise UsageError(message.format(column=nested[0]))
    if fmt == "parquet":
        assert out is not None
        frame.write_parquet(out)
        return
    if fmt == "csv":
        # an answer is for people and spreadsheets: text must not run as a formula
        text = spreadsheet_safe(frame).write_csv()
    elif fmt == "json":
        text = frame.write_json() + "\n"
    else:
        text = format_table(frame) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            message = cli_translator().gettext(QUERY_TEXTS["key_value"]).format(pair=pair)
            raise click.BadParameter(message, param_hint="--param")
        values[key.strip()] = value
    return values


@cli.command(help=HELP["query"])
@db_option
@click.argument("sql_or_name", required=False)
@click.option("--list", "list_saved", is_flag=True, help=HELP["query_list"])
@click.option(
    "--param", "param_pairs", multiple=True, metavar="KEY=VALUE", help=HELP["query_param"]
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "parquet"]),
    default="table",
    show_default=True,
    help=HELP["query_format"],
)
@click.option(
    "--out",
    type=PathType(dir_okay=False, path_type=Path),
    default=None,
    help=HELP["query_out"],
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=HELP["query_timeout"],
)
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help=HELP["query_max_rows"])
@click.option("--write", is_flag=True, help=HELP["query_write"])
@at_option
@click.pass_context
def query(
    ctx: click.Context,
    db: Path | None,
    sql_or_name: str | None,
    list_saved: bool,
    param_pairs: tuple[str, ...],
    fmt: str,
    out: Path | None,
    timeout: float | None,
    max_rows: int | None,
    write: bool,
    at: str | None,
) -> None:
    """Run one read-only SQL query, or a saved query by name, and print or save the answer.

    The console cannot change data or touch files; `--write` is the explicit way to change data.
    """
    saved = load_queries()
    t = cli_translator(ctx)
    if list_saved:
        width = max((len(q.name) for q in saved), default=0)
        for q in saved:
            # the titles are in the catalogue (graph/sql/catalogue.py extracts them)
            click.echo(f"{q.name:<{width}}  {t.gettext(q.title)}")
        return
    if not sql_or_name:
        raise click.UsageError(t.gettext(QUERY_TEXTS["give_sql"]))
    if fmt == "parquet" and out is None:
        raise click.UsageError(t.gettext(QUERY_TEXTS["parquet_out"]))
    values: dict[str, Any] = _params(param_pairs)
    sql = sql_or_name
    if _SAVED_NAME.fullmatch(sql_or_name.strip()):
        stored = find_query(saved, sql_or_name.strip())
        sql, values = stored.sql, stored.bind(values)
    path = db_path(ctx, db)
    if at is not None:
        if write:
            raise UsageError(t.gettext(QUERY_TEXTS["write_at"]))
        result = query_at(path, at, sql, values, timeout=timeout, max_rows=max_rows)
    elif write:
        result = run_write(path, sql, values, timeout=timeout)
        click.echo(t.gettext(QUERY_TEXTS["committed"]), err=True)
    else:
        result = run_query(path, sql, values, timeout=timeout, max_rows=max_rows)
    _write_frame(result.frame, fmt, out)
    n = result.frame.height
    if out is not None:
        written = t.ngettext(*QUERY_PLURALS["written"], n)
        click.echo(written.format(n=t.number(n), path=out), err=True)
    if result.truncated:
        truncated = t.ngettext(*QUERY_PLURALS["truncated"], n)
        click.echo(truncated.format(n=t.number(n)), err=True)


@cli.command(help=HELP["app"])
@db_option
@click.option("--port", type=int, default=8501, show_default=True, help=HELP["app_port"])
@click.option("--host", default="127.0.0.1", show_default=True, help=HELP["app_host"])
@click.option("--base-url", default=None, help=HELP["app_base_url"])
@click.pass_context
def app(ctx: click.Context, db: Path | None, port: int, host: str, base_url: str | None) -> None:
    """Start the Streamlit app on this database, with the learning labs' participant form on
    the same port."""
    path = db_path(ctx, db)
    t = cli_translator(ctx)
    warning = open_access_warning(host)
    if warning:
        click.echo(t.gettext(TEXTS["warning"]).format(message=warning), err=True)
    given = base_url or os.environ.get(BASE_URL_ENV)
    if not given and host in ("0.0.0.0", "::"):
        click.echo(t.gettext(QUERY_TEXTS["join_links"]).format(port=port), err=True)
    env = {
        **os.environ,
        "ECOGRAPH_DB": str(path),
        BASE_URL_ENV: resolve_base_url(given or f"http://{host}:{port}"),
    }
    if lang := chosen_language(ctx):  # the app's default language; its switch still works
        env["ECOGRAPH_LANG"] = lang
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        # app.py plus the lab form's routes (serve.py: st.App on uvicorn)
        str(PROJECT_ROOT / "serve.py"),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # the uploader refuses what the importer would refuse anyway (ECOGRAPH_MAX_FILE_MB)
        "--server.maxUploadSize",
        str(math.ceil(import_limits().max_file_mb)),
    ]
    raise SystemExit(subprocess.call(command, env=env))


for _command in (
    analyze,
    whatif,
    report,
    partners,
    backup,
    restore,
    actors,
    lab,
    *HISTORY_COMMANDS,
):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the ``ecograph`` console script."""
    cli(prog_name="ecograph")
