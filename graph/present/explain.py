"""Partner suggestions that explain themselves: the introduction path in words with names, the
score as its parts, why fewer suggestions came back than were asked for, and the backtest as a
count people can judge ("of the 120 ties that formed after the cut-off, our top 10 found 31,
random would find 2").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx
import polars as pl

from graph.analysis.partners import BacktestResult, CandidateFilter
from graph.present.palette import helix_label, kind_label
from graph.present.words import count_phrase

__all__ = [
    "SCORE_PARTS",
    "TEXTS",
    "backtest_sentence",
    "introduction_words",
    "score_parts",
    "shortfall_reason",
]

SCORE_PARTS = {
    "topology": "shared partners",
    "complementarity": "complements you",
    "gap_bonus": "bridges groups",
}
TEXTS = {
    "no_path": "No chain of existing ties leads there: a cold introduction.",
    "direct": "{path}: ask {first} to introduce you.",
    "longer": "{path}: ask {first} (who works with {second}) to introduce you.",
    "backtest": "Of the {new} ties that {queries} formed after the cut-off ({split}), our top "
    "{k} suggestions for each found {found}; random suggestions would have found {random}.",
    "backtest_random_split": "Of {new} ties hidden at random from {queries} ({split}), our top "
    "{k} suggestions for each found {found}; random suggestions would have found {random}.",
    "fewer_match": "Only {count} {verb} {what} and {be} not already {partner} of {name}: "
    "{got} for the {asked} asked for.",
    "fewer_scores": "{got} of the {asked} asked for: the other {rest} candidates have nothing "
    "to build on (no shared partners, strength area, helix or place).",
    "anyone": "the filters",
}


def introduction_words(names: Sequence[str]) -> str:
    """The introduction path with names, and whom to ask.

    >>> introduction_words(["Peak Innovation", "Mittuniversitetet", "Region JH"])
    'Peak Innovation → Mittuniversitetet → Region JH: ask Mittuniversitetet to introduce you.'
    >>> introduction_words(["A", "B", "C", "D"])
    'A → B → C → D: ask B (who works with C) to introduce you.'
    >>> introduction_words([])
    'No chain of existing ties leads there: a cold introduction.'
    """
    if len(names) < 3:
        return TEXTS["no_path"]
    path = " → ".join(names)
    if len(names) == 3:
        return TEXTS["direct"].format(path=path, first=names[1])
    return TEXTS["longer"].format(path=path, first=names[1], second=names[2])


def score_parts(suggestions: pl.DataFrame) -> pl.DataFrame:
    """The score of each suggestion as its parts, long (``name, part, value``), for a stacked
    bar chart; the parts add up to the score.

    >>> frame = pl.DataFrame({"rank": [1], "name": ["X"], "score": [1.5], "topology": [1.0],
    ...     "complementarity": [0.6], "gap_bonus": [-0.1]})
    >>> score_parts(frame)["value"].to_list(), score_parts(frame)["part"][0]
    ([1.0, 0.6, -0.1], 'shared partners')
    """
    label = pl.format("{}. {}", "rank", "name").alias("name")
    return (
        suggestions.select(label, *SCORE_PARTS)
        .unpivot(index="name", on=list(SCORE_PARTS), variable_name="part", value_name="value")
        .with_columns(pl.col("part").replace_strict(SCORE_PARTS))
        .sort(pl.col("name").str.extract(r"^(\d+)").cast(pl.Int64), maintain_order=True)
    )


def _what(candidates: CandidateFilter, area_names: Mapping[str, str]) -> str:
    bits = []
    if candidates.kinds:
        bits.append(" or ".join(kind_label(k) for k in candidates.kinds))
    if candidates.helices:
        bits.append(" or ".join(helix_label(h) for h in candidates.helices))
    if candidates.municipalities:
        bits.append("in " + " or ".join(candidates.municipalities))
    if candidates.regions:
        bits.append("in " + " or ".join(candidates.regions))
    if candidates.areas:
        bits.append("in " + " or ".join(area_names.get(a, a) for a in candidates.areas))
    return ", ".join(bits) or TEXTS["anyone"]


def shortfall_reason(
    G: nx.Graph,
    actor: str,
    candidates: CandidateFilter,
    *,
    asked: int,
    got: int,
    area_names: Mapping[str, str] | None = None,
) -> str:
    """Why ``got`` suggestions came back for ``asked`` ("" when none is missing): too few
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
        one = len(open_) == 1
        return TEXTS["fewer_match"].format(
            count=count_phrase(len(open_), "actor"),
            verb="matches" if one else "match",
            what=_what(candidates, names),
            be="is" if one else "are",
            partner="a partner" if one else "partners",
            name=name,
            got=count_phrase(got, "suggestion"),
            asked=asked,
        )
    return TEXTS["fewer_scores"].format(got=got, asked=asked, rest=len(open_) - got)


def backtest_sentence(result: BacktestResult, method: str = "blended") -> str:
    """The backtest as counts: how many of the new ties our top k found, and random's.

    Found = precision@k × k × queried actors (each hit is one new tie of one queried actor).
    """
    queries = result.queries
    found = round(result.methods[method]["precision_at_k"] * result.k * queries)
    rand = result.methods.get("random", {}).get("precision_at_k", 0.0) * result.k * queries
    key = "backtest" if "after" in result.split else "backtest_random_split"
    return TEXTS[key].format(
        new=f"{result.query_pairs:,}",
        queries=count_phrase(queries, "actor"),
        split=result.split,
        k=result.k,
        found=f"{found:,}",
        random=f"{round(rand):,}",
    )
