"""Options shared by several ``ecograph`` sub-commands: the database and the network filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
import polars as pl

from graph.analysis.network import GraphFilter
from graph.cli.click_words import PathType
from graph.datasets.bootstrap import ensure_database
from graph.errors import UsageError
from graph.i18n import N_, translator
from graph.store.config import resolve_db_path

__all__ = [
    "HELP",
    "TEXTS",
    "db_option",
    "db_path",
    "filter_from_options",
    "filter_options",
    "format_table",
    "limit_options",
    "wait_option",
]

# the help of the shared options
HELP = {
    "db": N_("Database file (default: $ECOGRAPH_DB, else data/ecograph.duckdb)."),
    "wait": N_(
        "Seconds to keep retrying while another process uses the database "
        "(default: $ECOGRAPH_LOCK_WAIT, else 5)."
    ),
    "max_rows": N_(
        "Refuse a file with more data rows (default: $ECOGRAPH_MAX_ROWS, else 5000000)."
    ),
    "max_file_mb": N_("Refuse a larger file (default: $ECOGRAPH_MAX_FILE_MB, else 500)."),
    "kinds": N_("Keep actors of this kind (repeatable)."),
    "helices": N_("Keep actors of this helix."),
    "municipalities": N_("Keep actors in this municipality."),
    "regions": N_("Keep actors in this region."),
    "areas": N_("Keep actors in this strength area (id)."),
    "exclude": N_("Leave this actor out (id)."),
    "year": N_("Only ties active in this year."),
    "year_from": N_("First year of ties."),
    "year_to": N_("Last year of ties."),
    "no_synthetic": N_("Leave synthetic demo data out."),
}
TEXTS = {
    "year_or_range": N_("give either --year or --from/--to, not both"),
}


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH`` on every sub-command (it may also be given before the sub-command)."""
    return click.option(
        "--db",
        "db",
        type=PathType(dir_okay=False, path_type=Path),
        default=None,
        help=HELP["db"],
    )(func)


def db_path(ctx: click.Context, db: Path | None) -> Path:
    """The database chosen on the sub-command or the group; the default one is created on
    first use."""
    chosen = db or ctx.find_root().params.get("db")
    path = resolve_db_path(chosen)
    ensure_database(path)
    return path


def wait_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--wait SECONDS``: how long to retry while another process holds the database."""
    return click.option(
        "--wait",
        "wait",
        type=click.FloatRange(min=0),
        default=None,
        help=HELP["wait"],
    )(func)


def limit_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-file-mb`` and ``--max-rows``: the import limits per file."""
    func = click.option(
        "--max-rows",
        type=click.IntRange(min=1),
        default=None,
        help=HELP["max_rows"],
    )(func)
    return click.option(
        "--max-file-mb",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        help=HELP["max_file_mb"],
    )(func)


_FILTERS = (
    click.option("--kind", "kinds", multiple=True, help=HELP["kinds"]),
    click.option("--helix", "helices", multiple=True, help=HELP["helices"]),
    click.option("--municipality", "municipalities", multiple=True, help=HELP["municipalities"]),
    click.option("--region", "regions", multiple=True, help=HELP["regions"]),
    click.option("--area", "areas", multiple=True, help=HELP["areas"]),
    click.option("--exclude", "exclude", multiple=True, help=HELP["exclude"]),
    click.option("--year", type=int, default=None, help=HELP["year"]),
    click.option("--from", "year_from", type=int, default=None, help=HELP["year_from"]),
    click.option("--to", "year_to", type=int, default=None, help=HELP["year_to"]),
    click.option("--no-synthetic", is_flag=True, help=HELP["no_synthetic"]),
)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The network filters (actor kinds, helix, place, areas, years, synthetic)."""
    for option in reversed(_FILTERS):
        func = option(func)
    return func


def filter_from_options(
    kinds: tuple[str, ...],
    helices: tuple[str, ...],
    municipalities: tuple[str, ...],
    regions: tuple[str, ...],
    areas: tuple[str, ...],
    exclude: tuple[str, ...],
    year: int | None,
    year_from: int | None,
    year_to: int | None,
    no_synthetic: bool,
) -> GraphFilter:
    """Turn the filter options into a ``GraphFilter``."""
    if year is not None and (year_from is not None or year_to is not None):
        raise UsageError(translator().gettext(TEXTS["year_or_range"]))
    first, last = (year, year) if year is not None else (year_from, year_to)
    return GraphFilter(
        kinds=kinds,
        helices=helices,
        municipalities=municipalities,
        regions=regions,
        areas=areas,
        exclude=exclude,
        synthetic=not no_synthetic,
        start=date(first, 1, 1) if first else None,
        end=date(last, 12, 31) if last else None,
    )


def format_table(frame: pl.DataFrame) -> str:
    """A frame as a plain-text table for the terminal (all rows and columns)."""
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=60,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_formatting="ASCII_MARKDOWN",
    ):
        return str(frame)
