"""click's own words ("Usage:", "Options:", "Error: No such option …") in the run's language.

click writes the frame of its help pages and its usage errors through Python's ``gettext``
(domain "messages"), which knows nothing of ecograph's catalogue. The messages it uses are
marked here, so Babel puts them in our catalogue, and ``click_speaks()`` hands click a
``gettext`` and an ``ngettext`` that read it in the language chosen for the run; English (or a
message we do not know) stays click's own text.
"""

from __future__ import annotations

import gettext as _gettext
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from graph.errors import UsageError
from graph.i18n import N_, NC_, NP_, Translator, translator

__all__ = ["CLICK_PLURALS", "CLICK_TEXTS", "METAVARS", "USAGE_PIECES", "PathType", "click_speaks"]

# click's messages that reach people (click 8.5: core, exceptions, formatting, types, parser,
# decorators, termui); messages only a programmer sees (a TypeError) are left out
CLICK_TEXTS = {
    "usage": N_("Usage:"),
    "options": N_("Options"),
    "commands": N_("Commands"),
    "arguments": N_("Positional arguments"),
    "help": N_("Show this message and exit."),
    "error": N_("Error: {message}"),
    "try": N_("Try '{command} {option}' for help."),
    "aborted": N_("Aborted!"),
    "missing_command": N_("Missing command."),
    "no_option": N_("No such option {name!r}."),
    "no_command": N_("No such command {name!r}."),
    "invalid": N_("Invalid value: {message}"),
    "invalid_for": N_("Invalid value for {param_hint}: {message}"),
    "missing_argument": N_("Missing argument"),
    "missing_option": N_("Missing option"),
    "missing_parameter": N_("Missing parameter"),
    "missing_param": N_("Missing {param_type}"),
    "missing_parameter_name": N_("Missing parameter: {param_name}"),
    "open_file": N_("Could not open file {filename!r}: {message}"),
    "unknown_error": N_("unknown error"),
    "default": N_("default: {default}"),
    "env_var": N_("env var: {var}"),
    "required": N_("required"),
    "dynamic": N_("(dynamic)"),
    "deprecated": N_("deprecated"),
    "choose_from": N_("Choose from:\n\t{choices}"),
    "not_number": N_("{value!r} is not a valid {number_type}."),
    "not_in_range": N_("{value} is not in the range {range}."),
    "not_boolean": N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    "file": N_("file"),
    "directory": N_("directory"),
    "path": N_("path"),
    "not_exist": N_("{name} {filename!r} does not exist."),
    "is_file": N_("{name} {filename!r} is a file."),
    "is_directory": N_("{name} {filename!r} is a directory."),
    "not_readable": N_("{name} {filename!r} is not readable."),
    "not_writable": N_("{name} {filename!r} is not writable."),
    "no_value": N_("Option {name!r} does not take a value."),
    "continue": N_("Do you want to continue?"),
    "invalid_input": N_("Error: invalid input"),
    # click's pairs whose two forms have different placeholders: each form is a message of its
    # own, chosen as English chooses (one, or more), which is Swedish's rule too
    "did_you_mean": N_("Did you mean {possibility}?"),
    "did_you_mean_one_of": N_("(Did you mean one of: {possibilities}?)"),
    "not_choice": N_("{value!r} is not {choice}."),
    "not_one_of": N_("{value!r} is not one of {choices}."),
    "date_format": N_("{value!r} does not match the format {format}."),
    "date_formats": N_("{value!r} does not match the formats {formats}."),
    "requires": N_("Option {name!r} requires an argument."),
    "requires_n": N_("Option {name!r} requires {nargs} arguments."),
}
# what stands for an option's value in a help page when the option names nothing itself (click
# writes the type's name in capitals: TEXT, INTEGER RANGE); the key is the type's name
METAVARS = {
    "text": NC_("metavar", "text"),
    "integer": NC_("metavar", "integer"),
    "float": NC_("metavar", "float"),
    "integer range": NC_("metavar", "integer range"),
    "float range": NC_("metavar", "float range"),
    "boolean": NC_("metavar", "boolean"),
}
# the placeholders of a usage line: "Usage: ecograph [OPTIONS] COMMAND [ARGS]..."
USAGE_PIECES = {
    "[OPTIONS]": NC_("usage", "[OPTIONS]"),
    "COMMAND [ARGS]...": NC_("usage", "COMMAND [ARGS]..."),
}
# click's messages with a plural form (the same placeholders in both)
CLICK_PLURALS = {
    "extra_arguments": NP_(
        "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"
    ),
}
_PAIRS = frozenset(CLICK_PLURALS.values())

# the modules of click that bind ``_``/``ngettext`` from gettext when they are imported
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


def _run_translator() -> Translator | None:
    try:
        return translator()
    except UsageError:  # a wrong ECOGRAPH_LANG: that error is said, in English, elsewhere
        return None


def _gettext_for_click(message: str) -> str:
    t = _run_translator()
    return message if t is None else t.gettext(message)


def _ngettext_for_click(singular: str, plural: str, n: int) -> str:
    t = _run_translator()
    if t is None:
        return singular if n == 1 else plural
    if (singular, plural) in _PAIRS:
        return t.ngettext(singular, plural, n)
    return t.gettext(singular if n == 1 else plural)


@contextmanager
def click_speaks() -> Iterator[None]:
    """Inside the block click's own words follow the language chosen for the run (the root
    group's ``main`` encloses each run in it); click's gettext comes back afterwards."""
    saved: list[tuple[Any, str, Any]] = []
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        for attr, replacement in (("_", _gettext_for_click), ("ngettext", _ngettext_for_click)):
            if getattr(module, attr, None) in (_gettext.gettext, _gettext.ngettext):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, replacement)
    try:
        yield
    finally:
        for module, attr, original in reversed(saved):
            setattr(module, attr, original)


class PathType(click.Path):
    """``click.Path`` whose name ("file", "directory", "path") is said in the run's language
    when click writes a message or a metavar (click names it once, when the option is made)."""

    @property  # type: ignore[override]
    def name(self) -> str:
        return _gettext_for_click(self._english_name)

    @name.setter
    def name(self, value: str) -> None:
        self._english_name = value
