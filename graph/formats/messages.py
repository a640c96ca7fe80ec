"""How the readers, the validator and the writers speak: every problem, warning and error of a
file format in the language chosen for the work in hand (``graph.i18n.use_language``: the
command line's ``--lang``, the app's session), translated when it is built.

The messages themselves live in each module's ``TEXTS`` block, marked with ``N_``/``NP_``;
these are the few ways they are filled in. Counts are written as the language writes numbers,
except that English keeps its digits ungrouped ("longer than 100000 characters"), as these
reasons always have: scripts and tests match them.
"""

from __future__ import annotations

import string

import polars as pl

from graph.i18n import translator

__all__ = ["count", "reason_expr", "say", "say_n"]

_FIELDS = string.Formatter()


def say(message: str, **fields: object) -> str:
    """``message`` (a marked English text) in the language in force, its ``{fields}`` filled.

    >>> from graph.i18n import use_language
    >>> with use_language("sv"):
    ...     say("missing required column")
    'obligatorisk kolumn saknas'
    """
    return translator().gettext(message).format(**fields)


def say_n(pair: tuple[str, str], n: int, **fields: object) -> str:
    """A message with a plural (``NP_``) for ``n`` things; ``{n}`` is the count as written by
    ``count``."""
    return translator().ngettext(*pair, n).format(n=count(n), **fields)


def count(n: int) -> str:
    """A count in a message: ``100 000`` in Swedish, ``100000`` in English (see the module
    docstring)."""
    t = translator()
    return str(n) if t.lang == "en" else t.number(n)


def reason_expr(message: str, **parts: pl.Expr | str) -> pl.Expr:
    """``message`` translated and filled in per row, as one polars expression: the translation
    is split at its ``{placeholders}``, each piece a literal or the expression named, and
    concatenated (null where a part is null, as ``+`` was), so a million reasons stay one
    vectorised string operation whatever the language's word order.

    >>> frame = pl.DataFrame({"kind": ["fjäll"]})
    >>> frame.select(reason_expr("unknown {what} '{value}'", what="kind", value=pl.col("kind")))
    shape: (1, 1)
    ┌──────────────────────┐
    │ literal              │
    │ ---                  │
    │ str                  │
    ╞══════════════════════╡
    │ unknown kind 'fjäll' │
    └──────────────────────┘
    """
    text = translator().gettext(message)
    pieces: list[pl.Expr] = []
    for literal, name, _spec, _conversion in _FIELDS.parse(text):
        if literal:
            pieces.append(pl.lit(literal))
        if name is not None:
            part = parts[name]
            pieces.append(part if isinstance(part, pl.Expr) else pl.lit(part))
    if not pieces:
        return pl.lit("")
    return pl.concat_str(pieces) if len(pieces) > 1 else pieces[0]
