"""The language of a command-line run: the ``--lang`` option, help pages in that language, and
the messages shared by several commands.

``ecograph --lang sv stats`` and ``ecograph stats --lang sv`` both work: every command and group
made with ``Command``/``Group`` has ``--lang``, the option remembers its value in the run's
context, and any command, and the error handler of the root group, asks ``cli_translator()`` for
the language (``--lang``, else ``ECOGRAPH_LANG``, else the locale's language when it is Swedish,
else English; ``graph.i18n.current_language``).

Help is written for people in marked messages (``help=HELP["…"]`` on a command, an option's
``help=``), translated when the help page is formatted; docstrings stay for programmers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click
import polars as pl

from graph.cli.click_words import CLICK_TEXTS, METAVARS, USAGE_PIECES
from graph.errors import UsageError
from graph.formats.cordis import EUR_SEK_SOURCE
from graph.formats.ingest import ImportReport
from graph.i18n import (
    N_,
    NC_,
    NP_,
    Translator,
    available_languages,
    choose_language,
    display_names,
    translator,
)
from graph.sql import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

__all__ = [
    "COLUMNS",
    "TEXTS",
    "Command",
    "Group",
    "chosen_language",
    "cli_translator",
    "help_text",
    "import_summary",
    "lang_in_args",
    "lang_option",
    "people_table",
    "stats_table",
]

F = TypeVar("F", bound=Callable[..., Any])

_META_KEY = "ecograph.lang"

# The messages of commands.py's init and stats, of the root group's error handler, and those
# several commands share.
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
    "lang_help": N_(
        "Language of the messages (default: ECOGRAPH_LANG, else the locale's language when it "
        "is Swedish, else English)."
    ),
    "warning": N_("warning: {message}"),
    "progress": N_("... {message}"),
    "written": N_("written {path}"),
}
# values some help texts name: filled in after translation (a help text is a format string)
HELP_FIELDS = {
    "default_timeout": f"{DEFAULT_TIMEOUT:g}",
    "default_max_rows": str(DEFAULT_MAX_ROWS),
    "eur_sek_source": EUR_SEK_SOURCE,
}
# messages with a plural form: t.ngettext(*PLURALS[key], n)
PLURALS = {
    "problems": NP_(
        "error: {n} problem found, nothing was imported",
        "error: {n} problems found, nothing was imported",
    ),
}
# the headings of the columns the commands' tables show (people_table): in English each is the
# column's own name, as the tables always read; --json keeps the column names in every language
COLUMNS = {
    "actor_id": NC_("column", "actor_id"),
    "name": NC_("column", "name"),
    "kind": NC_("column", "kind"),
    "score": NC_("column", "score"),
    "reason": NC_("column", "reason"),
    "incoming_id": NC_("column", "incoming_id"),
    "incoming_name": NC_("column", "incoming_name"),
    "candidate_id": NC_("column", "candidate_id"),
    "candidate_name": NC_("column", "candidate_name"),
    "actor_a": NC_("column", "actor_a"),
    "actor_b": NC_("column", "actor_b"),
    "name_a": NC_("column", "name_a"),
    "name_b": NC_("column", "name_b"),
    "activity_id": NC_("column", "activity_id"),
    "change_id": NC_("column", "change_id"),
    "created_at": NC_("column", "created_at"),
    "who": NC_("column", "who"),
    "note": NC_("column", "note"),
    "code": NC_("column", "code"),
    "date": NC_("column", "date"),
    "status": NC_("column", "status"),
    "pending": NC_("column", "pending"),
    "approved": NC_("column", "approved"),
    "rejected": NC_("column", "rejected"),
    "receipt": NC_("column", "receipt"),
    "organisation": NC_("column", "organisation"),
    "org_match": NC_("column", "org_match"),
    "item": NC_("column", "item"),
    "partner": NC_("column", "partner"),
    "partner_match": NC_("column", "partner_match"),
    "how": NC_("column", "how"),
    "strength": NC_("column", "strength"),
    "since": NC_("column", "since"),
    "obstacle": NC_("column", "obstacle"),
    "method": NC_("column", "method"),
    "mrr": NC_("column", "mrr"),
    "start_date": NC_("column", "start_date"),
    "end_date": NC_("column", "end_date"),
    "role": NC_("column", "role"),
    "weight": NC_("column", "weight"),
    "directed": NC_("column", "directed"),
    "source_id": NC_("column", "source_id"),
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


def _lang_settings() -> dict[str, Any]:
    return {
        "type": click.Choice(available_languages(), case_sensitive=False),
        "default": None,
        "expose_value": False,
        "is_eager": True,
        "callback": _remember,
        "help": TEXTS["lang_help"],
    }


def _lang_parameter() -> click.Option:
    return click.Option(["--lang"], **_lang_settings())


def lang_option(command: F) -> F:
    """``--lang`` for a command made otherwise than with ``Command``/``Group`` (which have it):
    sets the language of the whole run."""
    return click.option("--lang", **_lang_settings())(command)


def _has_lang(command: click.Command) -> bool:
    return any("--lang" in p.opts for p in command.params)


def lang_in_args(args: Sequence[str]) -> str | None:
    """The language a run's arguments ask for with ``--lang`` (wherever it stands), when it is
    one ecograph speaks: chosen before click parses anything, so a usage error or a help page
    asked for before ``--lang`` (``ecograph --help --lang sv``) speaks it too.

    >>> lang_in_args(["stats", "--lang", "SV"]), lang_in_args(["--lang=xx"]), lang_in_args([])
    ('sv', None, None)
    """
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            value = value.strip().lower()
            return value if value in available_languages() else None
    return None


def help_text(text: str, t: Translator) -> str:
    """A marked help text in the language of ``t``, with the values it names filled in."""
    return t.gettext(text).format_map(HELP_FIELDS)


def _in_language(param: click.Parameter, t: Translator, ctx: click.Context) -> click.Parameter:
    """A copy of ``param`` whose help and value's placeholder (INTEGER) are in the language of
    ``t`` (the original stays English: the same command object serves runs in every language)."""
    shown = copy.copy(param)
    english = getattr(param, "help", None)
    if english:
        shown.help = help_text(english, t)  # type: ignore[attr-defined]
    if (
        isinstance(param, click.Option)
        and param.metavar is None
        and not param.is_flag
        and param.type.name in METAVARS
        and param.type.get_metavar(param=param, ctx=ctx) is None
    ):
        metavar = t.pgettext("metavar", METAVARS[param.type.name]).upper()
        shown.metavar = metavar + ("..." if param.nargs != 1 else "")
    return shown


class _TranslatedHelp(click.Command):
    """A command whose help page is written in the run's language, with ``--lang``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not _has_lang(self):
            self.params.append(_lang_parameter())

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click names it once, in the language of the first run
            option.help = CLICK_TEXTS["help"]
        return option

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help is None:
            return super().format_help_text(ctx, formatter)
        t = cli_translator(ctx, safe=True)
        shown = copy.copy(self)
        shown.help = help_text(self.help, t)
        return click.Command.format_help_text(shown, ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        t = cli_translator(ctx, safe=True)
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            record = _in_language(param, t, ctx).get_help_record(ctx)
            if record is not None:
                rows.append(record)
        if rows:
            with formatter.section(t.gettext(CLICK_TEXTS["options"])):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        t = cli_translator(ctx, safe=True)
        return [
            t.pgettext("usage", USAGE_PIECES[piece]) if piece in USAGE_PIECES else piece
            for piece in super().collect_usage_pieces(ctx)
        ]

    def get_short_help_str(self, limit: int = 45) -> str:
        t = cli_translator(safe=True)
        shown = copy.copy(self)
        shown.help = help_text(self.help, t) if self.help else self.help
        shown.short_help = help_text(self.short_help, t) if self.short_help else self.short_help
        return click.Command.get_short_help_str(shown, limit)


class Command(_TranslatedHelp):
    """An ecograph command: help in the run's language, ``--lang``."""


class Group(_TranslatedHelp, click.Group):
    """An ecograph group of commands: help in the run's language, ``--lang``; its commands and
    groups are made the same way."""

    command_class = Command
    group_class = type


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


def people_table(
    frame: pl.DataFrame, t: Translator, vocabularies: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """A frame for the terminal in the language of ``t``: its columns headed as ``COLUMNS`` says
    (a column not there keeps its name), in a language that writes numbers otherwise than
    polars its numbers written as the language does, and the columns of ``vocabularies``
    (column name: vocabulary) showing the values' display names."""
    for name, vocabulary in (vocabularies or {}).items():
        if name in frame.columns:
            names = display_names(vocabulary, t.lang)
            shown = [None if v is None else names.get(v, v) for v in frame[name].to_list()]
            frame = frame.with_columns(pl.Series(name, shown, dtype=pl.String))
    named = {
        name: t.pgettext("column", COLUMNS[name]) if name in COLUMNS else name
        for name in frame.columns
    }
    if t.lang != "en":
        for name, dtype in frame.schema.items():
            if not dtype.is_numeric():
                continue
            decimals = 3 if dtype.is_float() else 0
            cells = [None if v is None else t.number(v, decimals) for v in frame[name].to_list()]
            width = max([len(named[name]), *(len(c) for c in cells if c is not None)])
            # numbers stay right-aligned, as polars aligns them
            padded = [None if c is None else c.rjust(width) for c in cells]
            frame = frame.with_columns(pl.Series(name, padded, dtype=pl.String))
    return frame.rename(named)


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
