"""The ``ecograph import`` options for EU CORDIS files: the region filter and the exchange rate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from graph.formats.cordis import (
    DEFAULT_EUR_SEK,
    CordisOptions,
    nuts_places,
    nuts_region_names,
    parse_nuts,
)
from graph.i18n import N_
from graph.store.config import data_dir

__all__ = ["HELP", "cordis_from_options", "cordis_options"]

HELP = {
    # {eur_sek_source}: where the default rate comes from (filled in after translation)
    "eur_sek": N_("CORDIS: SEK per EUR for budgets and contributions ({eur_sek_source})."),
    "nuts": N_(
        "CORDIS: keep the projects with a partner in these NUTS regions, with all their "
        "partners (prefix match: SE32 covers SE321 and SE322)."
    ),
}


def cordis_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--nuts CODE[,CODE…]`` and ``--eur-sek RATE`` for CORDIS zips and CSV files."""
    func = click.option(
        "--eur-sek",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_EUR_SEK,
        show_default=True,
        help=HELP["eur_sek"],
    )(func)
    return click.option(
        "--nuts",
        default=None,
        metavar="CODE[,CODE...]",
        help=HELP["nuts"],
    )(func)


def cordis_from_options(nuts: str | None, eur_sek: float) -> CordisOptions:
    """The options as ``graph.formats.cordis`` takes them, with the shipped NUTS region names."""
    return CordisOptions(
        nuts=parse_nuts(nuts),
        eur_sek=eur_sek,
        nuts_names=nuts_region_names(data_dir()),
        places=nuts_places(data_dir()),
    )
