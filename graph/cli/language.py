"""The language of a command-line run: the ``--lang`` option, and the translated messages of the
commands in ``commands.py`` that speak it so far (``init``, ``stats``, the error lines).

``ecograph --lang sv stats`` and ``ecograph stats --lang sv`` both work: the option remembers its
value in the run's context, so any command, and the error handler of the root group, asks
``cli_translator()`` for the language (``--lang``, else ``ECOGRAPH_LANG``, else the locale's
language when it is Swedish, else English; ``graph.i18n.current_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
import polars as pl

from graph.errors import UsageError
from graph.formats.ingest import ImportReport
from graph.i18n import N_, NP_, Translator, available_languages, choose_language, translator

__all__ = [
    "TEXTS",
    "chosen_language",
    "cli_translator",
    "import_summary",
    "lang_option",
    "stats_table",
]

F = TypeVar("F", bound=Callable[..., Any])

_META_KEY = "ecograph.lang"

# The messages of commands.py's init and stats and of the root group's error handler.
TEXTS = {
    "database": N_("database: {path}"),
    "error": N_("error: {message}"),
    "more_problems": N_("... and {n} more (--problems-out FILE saves them all)"),
    "table_change": N_("{table}: {rows} rows ({new} new, {changed} changed)"),
    "matched": N_("matched to known actors: {n} (their names kept as aliases)"),
    "to_review": N_(
        "uncertain matches to review: {n} (imported as new actors; see `ecograph actors review`)"
    ),
    "unchanged": N_("nothing changed: the database already held these rows"),
    # click's help pages are English throughout (translating them is left for later)
    "lang_help": (
        "Language of the messages (default: ECOGRAPH_LANG, else the locale's language when it "
        "is Swedish, else English)."
    ),
}
# messages with a plural form: t.ngettext(*PLURALS[key], n)
PLURALS = {
    "problems": NP_(
        "error: {n} problem found, nothing was imported",
        "error: {n} problems found, nothing was imported",
    ),
}
# the columns of `ecograph stats` (its --json keeps the column names of dataset_stats)
STATS_COLUMNS = {
    "table_name": N_("table"),
    "rows": N_("rows"),
    "sourced": N_("sourced"),
    "synthetic": N_("synthetic"),
    "unsourced": N_("unsourced"),
}


def _remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.meta[_META_KEY] = value.lower()
        # what the core says during the run (an error's reason) speaks it too; the root
        # group's main() puts the language before back when the run ends
        choose_language(value.lower())
    return value


def lang_option(command: F) -> F:
    """``--lang`` for a command or the root group: sets the language of the whole run."""
    return click.option(
        "--lang",
        type=click.Choice(available_languages(), case_sensitive=False),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_remember,
        help=TEXTS["lang_help"],
    )(command)


def chosen_language(ctx: click.Context) -> str | None:
    """The language ``--lang`` asked for in this run, if any (``ecograph --lang sv app`` hands
    it to the app as ``ECOGRAPH_LANG``)."""
    return ctx.meta.get(_META_KEY)


def cli_translator(ctx: click.Context | None = None, *, safe: bool = False) -> Translator:
    """The messages of this run's language. A wrong ``ECOGRAPH_LANG`` is a ``UsageError``,
    unless ``safe`` (the error handler, which must say that very error in some language)."""
    ctx = ctx or click.get_current_context(silent=True)
    explicit = ctx.meta.get(_META_KEY) if ctx is not None else None
    try:
        return translator(explicit)
    except UsageError:
        if not safe:
            raise
        return translator("en")


def import_summary(report: ImportReport, t: Translator) -> str:
    """``report.summary()`` in the language of ``t`` (the same lines in English), with the
    counts written as the language writes numbers."""
    lines = [
        t.gettext(TEXTS["table_change"]).format(
            table=c.table, rows=t.number(c.rows), new=t.number(c.new), changed=t.number(c.changed)
        )
        for c in report.changes
    ]
    if report.matched:
        lines.append(t.gettext(TEXTS["matched"]).format(n=t.number(report.matched)))
    if report.to_review:
        lines.append(t.gettext(TEXTS["to_review"]).format(n=t.number(report.to_review)))
    if not report.modified:
        lines.append(t.gettext(TEXTS["unchanged"]))
    return "\n".join(lines)


def stats_table(frame: pl.DataFrame, t: Translator) -> pl.DataFrame:
    """The frame of ``dataset_stats`` for people: counts written as the language writes
    numbers, columns named in it."""
    columns: dict[str, list[str]] = {}
    for name in frame.columns:
        header = t.gettext(STATS_COLUMNS.get(name, name))
        if name == "table_name":
            columns[header] = frame[name].to_list()
            continue
        cells = [t.number(v) for v in frame[name].to_list()]
        width = max([len(header), *map(len, cells)])
        columns[header] = [c.rjust(width) for c in cells]  # numbers stay right-aligned
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
