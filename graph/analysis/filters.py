"""Filters are checked before anything runs: an unknown value is a mistake, never "0 actors".

``check_filter`` compares every value of a ``GraphFilter`` with what the database holds:

- an unknown actor kind or helix (a controlled vocabulary) is a usage error that lists the
  allowed values;
- an unknown municipality, region, strength area or actor id is a usage error that names the
  closest known values, compared with accents and case folded away ("Ostersund" → "did you mean
  Östersund?");
- a filter of known values that leaves no actor is a ``NoMatchError`` ("no actor matches …"),
  raised before any result is written, so the stored results stay as they were.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

import duckdb
import polars as pl

from graph.analysis.network import GraphFilter, load_actors
from graph.errors import NoMatchError, UsageError
from graph.i18n import N_, NC_, Translator, translator
from graph.store.database import run
from graph.store.tables import ACTOR_KINDS, HELICES

__all__ = ["TEXTS", "check_filter", "check_values", "closest", "describe_filter", "fold"]

# Every text a person reads, in one place (for the Swedish and English catalogues).
TEXTS = {
    "vocabulary": N_("unknown {what} {value!r}{hint}; choose from {allowed}"),
    "unknown": N_("unknown {what} {value!r}{hint}"),
    "hint": N_(" (did you mean {names}?)"),
    "no_hint": N_(" (no known {what} is like it)"),
    "or": NC_("between two names", "or"),
    "no_actor": N_("no actor matches {description}: nothing was computed or written"),
    "everything": N_("the filter"),
    "sourced_only": N_("sourced data only"),
    "condition": N_("{field} = {values}"),
}
# What a value is, as the messages name it ("unknown municipality 'Ostersund'"); a caller of
# check_values may name another, shown as it is written when no catalogue knows it.
FIELD = "filter field"
FIELD_TEXTS = {
    "kind": NC_("filter field", "kind"),
    "helix": NC_("filter field", "helix"),
    "municipality": NC_("filter field", "municipality"),
    "region": NC_("filter field", "region"),
    "strength area": NC_("filter field", "strength area"),
    "strength area id": NC_("filter field", "strength area id"),
    "actor id": NC_("filter field", "actor id"),
    "excluding": NC_("filter field", "excluding"),
    "home region": NC_("filter field", "home region"),
}
# Sami letters that NFKD does not split into a base letter and a mark.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "ŋ": "n", "ŧ": "t", "ø": "o", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """``text`` without case and accents, for comparing names as a person would.

    >>> fold("Östersund"), fold("ÁVKI Čŋ")
    ('ostersund', 'avki cn')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_EXTRA_FOLDS).strip()


def closest(value: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known values closest to ``value``, accent- and case-folded; an exact folded match
    comes first.

    >>> closest("ostersund", ["Östersund", "Åre", "Krokom"])
    ['Östersund']
    """
    by_fold: dict[str, list[str]] = {}
    for k in known:
        by_fold.setdefault(fold(k), []).append(k)
    target = fold(value)
    if target in by_fold:
        return sorted(by_fold[target])[:n]
    matches = difflib.get_close_matches(target, list(by_fold), n=n, cutoff=0.6)
    if not matches:  # a word of a longer value: "energy" for "hallbar-energi"
        scored = []
        for folded in by_fold:
            words = re.split(r"[^0-9a-z]+", folded)
            best = max(difflib.SequenceMatcher(None, target, w).ratio() for w in words)
            if best >= 0.75:
                scored.append((-best, folded))
        matches = [folded for _, folded in sorted(scored)[:n]]
    return [name for m in matches for name in sorted(by_fold[m])][:n]


def _field(t: Translator, what: str) -> str:
    """``what`` in the translator's language (as written when no catalogue knows it)."""
    return t.pgettext(FIELD, what)


def _hint(t: Translator, value: str, known: Sequence[str], what: str) -> str:
    names = closest(value, known)
    if not names:
        return t.gettext(TEXTS["no_hint"]).format(what=_field(t, what))
    joiner = " {} ".format(t.pgettext("between two names", TEXTS["or"]))
    return t.gettext(TEXTS["hint"]).format(names=joiner.join(names))


def check_values(
    values: Iterable[str], known: Sequence[str], what: str, *, vocabulary: bool = False
) -> None:
    """Raise ``UsageError`` for the first of ``values`` not in ``known``: a vocabulary error
    lists every allowed value, any other names the closest known ones.

    >>> check_values(["klustr"], ["cluster", "co"], "kind", vocabulary=True)
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: unknown kind 'klustr' (did you mean cluster?); choose from cluster, co
    """
    allowed = set(known)
    t = translator()
    for value in values:
        if value in allowed:
            continue
        hint = _hint(t, value, known, what)
        if vocabulary:
            raise UsageError(
                t.gettext(TEXTS["vocabulary"]).format(
                    what=_field(t, what), value=value, hint=hint, allowed=", ".join(known)
                )
            )
        raise UsageError(
            t.gettext(TEXTS["unknown"]).format(what=_field(t, what), value=value, hint=hint)
        )


def _distinct(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    # column names come from the fixed list in check_filter, never from the user
    rows = run(con, f"SELECT DISTINCT {column} FROM actors WHERE {column} IS NOT NULL")
    return sorted(str(r[0]) for r in rows)


def _conditions(flt: GraphFilter, t: Translator) -> list[str]:
    """The filter's conditions in words, in the translator's language (none: everything)."""
    parts = [
        t.gettext(TEXTS["condition"]).format(field=_field(t, field), values=", ".join(values))
        for field, values in (
            ("kind", flt.kinds),
            ("helix", flt.helices),
            ("municipality", flt.municipalities),
            ("region", flt.regions),
            ("strength area", flt.areas),
            ("excluding", flt.exclude),
        )
        if values
    ]
    if not flt.synthetic:
        parts.append(t.gettext(TEXTS["sourced_only"]))
    return parts


def describe_filter(flt: GraphFilter, lang: str | None = None) -> str:
    """The actor filters in words, in ``lang`` (None: the language in force).

    >>> describe_filter(GraphFilter(kinds=("cluster",), municipalities=("Åre",)), "en")
    'kind = cluster; municipality = Åre'
    >>> describe_filter(GraphFilter(kinds=("cluster",), municipalities=("Åre",)), "sv")
    'typ = cluster; kommun = Åre'
    """
    t = translator(lang)
    return "; ".join(_conditions(flt, t)) or t.gettext(TEXTS["everything"])


def check_filter(con: duckdb.DuckDBPyConnection, flt: GraphFilter) -> pl.DataFrame:
    """Check every value of ``flt`` against the database and return the actors it keeps.

    Raises
    ------
    UsageError
        A value the database does not know (with the allowed or the closest known values).
    NoMatchError
        Every value is known but together they leave no actor (an empty database with no
        filter is left to the command, which says what it cannot do without data).
    """
    check_values(flt.kinds, ACTOR_KINDS, "kind", vocabulary=True)
    check_values(flt.helices, HELICES, "helix", vocabulary=True)
    if flt.municipalities:
        check_values(flt.municipalities, _distinct(con, "municipality"), "municipality")
    if flt.regions:
        check_values(flt.regions, _distinct(con, "region"), "region")
    if flt.areas:
        areas = run(con, "SELECT area_id, name FROM strength_areas ORDER BY area_id")
        known_ids = [r[0] for r in areas]
        by_name = {fold(r[1]): r[0] for r in areas}
        for value in flt.areas:
            if value in known_ids:
                continue
            if fold(value) in by_name:  # a name typed for an id: say which id it is
                t = translator()
                raise UsageError(
                    t.gettext(TEXTS["unknown"]).format(
                        what=_field(t, "strength area id"),
                        value=value,
                        hint=t.gettext(TEXTS["hint"]).format(names=by_name[fold(value)]),
                    )
                )
            check_values([value], known_ids, "strength area id")
    if flt.exclude:
        ids = [r[0] for r in run(con, "SELECT actor_id FROM actors ORDER BY actor_id")]
        check_values(flt.exclude, ids, "actor id")
    actors = load_actors(con, flt)
    if actors.height == 0 and _conditions(flt, translator()):
        t = translator()
        raise NoMatchError(t.gettext(TEXTS["no_actor"]).format(description=describe_filter(flt)))
    return actors
