"""What a change did, in words: written into the change log in English (it is data, and the
log of a shared database is read in several languages), read back in the reader's language.

Every writer writes its description from one of the English messages below
(``describe("merge", other=…, keep=…)``); ``what_text`` recognises the message in a stored
description, and writes it again in the language asked for, values unchanged. A description
it does not recognise (a query's SQL, a log written by an older version) is shown as it is.
"""

from __future__ import annotations

import re
import string
from functools import cache
from typing import Any

from graph.i18n import N_, translator

__all__ = ["WHAT_TEXTS", "describe", "what_text"]

# the order matters where one message could read another's text: the more specific first
WHAT_TEXTS = {
    "revert": N_("revert #{change} ({what})"),
    "import_rows": N_("imported rows from {source}"),
    "replace": N_("replaced the data with {names} ({format})"),
    "import": N_("imported {names} ({format})"),
    "by_extension": N_("format by extension"),
    "baseline": N_("the data as it was when the change log began"),
    "unrecorded": N_("changes written without the change log (by an older ecograph or by hand)"),
    "dismiss": N_("{incoming} and {candidate} are two actors"),
    "merge": N_("merged {other} into {keep}"),
    "delete": N_("deleted {ids}"),
    "restore": N_("restored from {file} (backup of {created}){kept}"),
    "kept": N_("; the database it replaced is kept as {previous}"),
}
# values that are themselves messages (translated too) or descriptions (read again)
_NESTED = {"what", "kept"}
_MESSAGE_VALUES = {"format": "by_extension"}


def describe(key: str, **values: Any) -> str:
    """The English description of a change, as the change log keeps it.

    >>> describe("merge", other="miun-2", keep="miun")
    'merged miun-2 into miun'
    """
    return WHAT_TEXTS[key].format(**values)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for key, message in WHAT_TEXTS.items():
        parts = []
        for literal, field, _, _ in string.Formatter().parse(message):
            parts.append(re.escape(literal))
            if field is not None:
                greedy = field in _NESTED  # a nested description runs to the last ")"
                parts.append(f"(?P<{field}>.*)" if greedy else f"(?P<{field}>.*?)")
        out.append((key, re.compile("".join(parts) + r"\Z", re.S)))
    return out


def what_text(what: str, lang: str | None = None) -> str:
    """A stored description in ``lang`` (None: the language in force).

    >>> what_text("merged miun-2 into miun", "sv")
    'slog ihop miun-2 med miun'
    >>> what_text("revert #3 (imported actors.csv (format by extension))", "sv")
    'ångrade #3 (importerade actors.csv (format enligt filändelsen))'
    >>> what_text("SELECT 1", "sv")
    'SELECT 1'
    """
    t = translator(lang)
    if t.lang == "en" or not what:
        return what
    for key, pattern in _patterns():
        found = pattern.match(what)
        if found is None:
            continue
        values = found.groupdict()
        for name, value in values.items():
            if name in _NESTED:
                values[name] = what_text(value, t.lang)
            elif name in _MESSAGE_VALUES and value == WHAT_TEXTS[_MESSAGE_VALUES[name]]:
                values[name] = t.gettext(WHAT_TEXTS[_MESSAGE_VALUES[name]])
        return t.gettext(WHAT_TEXTS[key]).format(**values)
    return what
