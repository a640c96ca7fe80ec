"""Partner suggestions that explain themselves: the introduction path in words with names, the
score as its parts, why fewer suggestions came back than were asked for, and the backtest as a
count people can judge ("of the 120 ties that formed after the cut-off, our top 10 found 31,
random would find 2").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import networkx as nx
import polars as pl

from graph.analysis.partners import TEXTS as PARTNER_TEXTS
from graph.analysis.partners import BacktestResult, CandidateFilter
from graph.i18n import N_, NC_, NP_, Translator, translator
from graph.present.palette import helix_label, kind_label

__all__ = [
    "PLURALS",
    "SCORE_PARTS",
    "TEXTS",
    "backtest_sentence",
    "introduction_words",
    "score_parts",
    "shortfall_reason",
]

# Every sentence speaks the language in force (``graph.i18n.use_language``) unless given one.
SCORE_PARTS = {
    "topology": NC_("score part", "shared partners"),
    "complementarity": NC_("score part", "complements you"),
    "gap_bonus": NC_("score part", "bridges groups"),
}
TEXTS = {
    "no_path": N_("No chain of existing ties leads there: a cold introduction."),
    "direct": N_("{path}: ask {first} to introduce you."),
    "longer": N_("{path}: ask {first} (who works with {second}) to introduce you."),
    "backtest": N_(
        "Of the {new} ties that {queries} formed after the cut-off ({split}), our top "
        "{k} suggestions for each found {found}; random suggestions would have found {random}."
    ),
    "backtest_random_split": N_(
        "Of {new} ties hidden at random from {queries} ({split}), our top "
        "{k} suggestions for each found {found}; random suggestions would have found {random}."
    ),
    "fewer_scores": N_(
        "{got} of the {asked} asked for: the other {rest} candidates have nothing "
        "to build on (no shared partners, strength area, helix or place)."
    ),
    "anyone": N_("the filters"),
    "or": N_(" or "),
    "in": N_("in {places}"),
}
PLURALS = {
    "fewer_match": NP_(
        "Only {n} actor matches {what} and is not already a partner of {name}: "
        "{got} for the {asked} asked for.",
        "Only {n} actors match {what} and are not already partners of {name}: "
        "{got} for the {asked} asked for.",
    ),
    "suggestions": NP_("{n} suggestion", "{n} suggestions"),
    "actors": NP_("{n} actor", "{n} actors"),
}


def _count(t: Translator, key: str, n: int) -> str:
    return t.ngettext(*PLURALS[key], n).format(n=t.number(n))


def introduction_words(names: Sequence[str], lang: str | None = None) -> str:
    """The introduction path with names, and whom to ask, in ``lang`` (None: the language in
    force).

    >>> introduction_words(["Peak Innovation", "Mittuniversitetet", "Region JH"])
    'Peak Innovation → Mittuniversitetet → Region JH: ask Mittuniversitetet to introduce you.'
    >>> introduction_words(["A", "B", "C", "D"])
    'A → B → C → D: ask B (who works with C) to introduce you.'
    >>> introduction_words([])
    'No chain of existing ties leads there: a cold introduction.'
    >>> introduction_words(["A", "B", "C"], "sv")
    'A → B → C: be B att presentera dig.'
    """
    t = translator(lang)
    if len(names) < 3:
        return t.gettext(TEXTS["no_path"])
    path = " → ".join(names)
    if len(names) == 3:
        return t.gettext(TEXTS["direct"]).format(path=path, first=names[1])
    return t.gettext(TEXTS["longer"]).format(path=path, first=names[1], second=names[2])


def score_parts(suggestions: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The score of each suggestion as its parts, long (``name, part, value``), for a stacked
    bar chart; the parts add up to the score; the parts' names in ``lang``.

    >>> frame = pl.DataFrame({"rank": [1], "name": ["X"], "score": [1.5], "topology": [1.0],
    ...     "complementarity": [0.6], "gap_bonus": [-0.1]})
    >>> score_parts(frame)["value"].to_list(), score_parts(frame)["part"][0]
    ([1.0, 0.6, -0.1], 'shared partners')
    """
    t = translator(lang)
    parts = {k: t.pgettext("score part", v) for k, v in SCORE_PARTS.items()}
    label = pl.format("{}. {}", "rank", "name").alias("name")
    return (
        suggestions.select(label, *SCORE_PARTS)
        .unpivot(index="name", on=list(SCORE_PARTS), variable_name="part", value_name="value")
        .with_columns(pl.col("part").replace_strict(parts))
        .sort(pl.col("name").str.extract(r"^(\d+)").cast(pl.Int64), maintain_order=True)
    )


def _what(candidates: CandidateFilter, area_names: Mapping[str, str], t: Translator) -> str:
    """The candidate filter in words: kinds and helices as people say them, places and
    strength areas by name."""
    either = t.gettext(TEXTS["or"])

    def within(names: Sequence[str]) -> str:
        return t.gettext(TEXTS["in"]).format(places=either.join(names))

    bits = []
    if candidates.kinds:
        bits.append(either.join(kind_label(k, t.lang) for k in candidates.kinds))
    if candidates.helices:
        bits.append(either.join(helix_label(h, t.lang) for h in candidates.helices))
    if candidates.municipalities:
        bits.append(within(candidates.municipalities))
    if candidates.regions:
        bits.append(within(candidates.regions))
    if candidates.areas:
        bits.append(within([area_names.get(a, a) for a in candidates.areas]))
    return ", ".join(bits) or t.gettext(TEXTS["anyone"])


def shortfall_reason(
    G: nx.Graph,
    actor: str,
    candidates: CandidateFilter,
    *,
    asked: int,
    got: int,
    area_names: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> str:
    """Why ``got`` suggestions came back for ``asked`` ("" when none is missing), in ``lang``
    (None: the language in force): too few
    actors match the filters and are not partners already, or the rest score nothing.
    (``b`` below is a university but already a partner; ``c`` is the one left.)

    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c", kind="academia"); G.nodes["b"]["kind"] = "academia"
    >>> only = CandidateFilter(kinds=("academia",))
    >>> for part in shortfall_reason(G, "a", only, asked=5, got=1).split(": "):
    ...     print(part)
    Only 1 actor matches university and is not already a partner of a
    1 suggestion for the 5 asked for.
    """
    if got >= asked:
        return ""
    t = translator(lang)
    names = area_names or {}
    partners = set(G[actor]) if actor in G else set()

    def matches(v: str) -> bool:
        d = G.nodes[v]
        return (
            v != actor
            and v not in candidates.exclude
            and (not candidates.kinds or d.get("kind") in candidates.kinds)
            and (not candidates.helices or d.get("helix") in candidates.helices)
            and (
                not candidates.municipalities or d.get("municipality") in candidates.municipalities
            )
            and (not candidates.regions or d.get("region") in candidates.regions)
            and (not candidates.areas or bool(set(d.get("areas") or ()) & set(candidates.areas)))
        )

    open_ = [v for v in G if matches(v) and v not in partners]
    if len(open_) < asked:
        name = G.nodes[actor].get("name") or actor if actor in G else actor
        return t.ngettext(*PLURALS["fewer_match"], len(open_)).format(
            n=t.number(len(open_)),
            what=_what(candidates, names, t),
            name=name,
            got=_count(t, "suggestions", got),
            asked=t.number(asked),
        )
    return t.gettext(TEXTS["fewer_scores"]).format(
        got=t.number(got), asked=t.number(asked), rest=t.number(len(open_) - got)
    )


def backtest_sentence(
    result: BacktestResult, method: str = "blended", lang: str | None = None
) -> str:
    """The backtest as counts: how many of the new ties our top k found, and random's, in
    ``lang`` (None: the language in force; the split is described again in it, so a result
    computed in another language reads the same).

    Found = precision@k × k × queried actors (each hit is one new tie of one queried actor).
    """
    t = translator(lang)
    queries = result.queries
    found = round(result.methods[method]["precision_at_k"] * result.k * queries)
    rand = result.methods.get("random", {}).get("precision_at_k", 0.0) * result.k * queries
    if result.cut is not None:
        key = "backtest"
        split = t.gettext(PARTNER_TEXTS["split_after"]).format(
            cut=t.date(date.fromisoformat(result.cut))
        )
    else:
        key = "backtest_random_split"
        split = t.gettext(PARTNER_TEXTS["split_random"]).format(share=t.percent(result.hide_share))
    return t.gettext(TEXTS[key]).format(
        new=t.number(result.query_pairs),
        queries=_count(t, "actors", queries),
        split=split,
        k=t.number(result.k),
        found=t.number(found),
        random=t.number(round(rand)),
    )
