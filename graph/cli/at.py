"""``--at WAVE``: the commands that read the data (analyze, report, export, query) can read it as
it was recorded at a wave instead."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import duckdb

from graph.history.snapshots import Wave, resolve_wave
from graph.history.travel import time_travel
from graph.i18n import N_, translator

__all__ = ["TEXTS", "at_option", "viewing"]

TEXTS = {
    "at_help": N_(
        "Use the data as recorded at a wave: a snapshot's name, #CHANGE_ID or a record date "
        "YYYY-MM-DD (end of that day, UTC). Read-only."
    ),
    "viewing": N_(
        "viewing the data as recorded at {label} (record time: when ecograph learned the "
        "facts, not the activities' own dates)"
    ),
    "not_stored": N_("results not stored: the data of a past wave is read-only"),
    # where the report of a past wave names its database (``ecograph report --at``)
    "report_at": N_("{database}, as recorded at {label} (record time)"),
}


def at_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--at WAVE`` on a command that reads the data."""
    return click.option("--at", "at", default=None, metavar="WAVE", help=TEXTS["at_help"])(func)


@contextmanager
def viewing(con: duckdb.DuckDBPyConnection, at: str | None) -> Iterator[Wave | None]:
    """Inside the block ``con`` shows the data as recorded at ``at`` (the present when None)."""
    if at is None:
        yield None
        return
    wave = resolve_wave(con, at)
    click.echo(translator().gettext(TEXTS["viewing"]).format(label=wave.label), err=True)
    with time_travel(con, wave.change_id):
        yield wave
