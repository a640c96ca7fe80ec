"""The findings of an analysis in plain words: the sentences the CLI, the Overview page and the
report print, built in one place so that every one of them holds on the data and the filter.

- Gaps are only the pairs whose ``verdict`` is ``gap`` (``graph.analysis.significance``); when
  there is none the summary says "no significant gap between …".
- Critical brokers have a betweenness above 0.
- Synthetic data is counted on the filtered network; with synthetic data switched off the only
  line about it is "Synthetic demo data excluded (N actors)."

Each builder takes plain tables (or an ``Analysis``) and returns lines; a line indented by two
spaces belongs to the line above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from graph.analysis.diagnosis import explanations, failure_name
from graph.i18n import N_, NC_, NP_, Translator, display_name, translator

if TYPE_CHECKING:
    from graph.analysis.gaps import Analysis

__all__ = [
    "APP_SWITCH",
    "CLI_SWITCH",
    "FLAG_TEXTS",
    "GROUPING_TEXTS",
    "PLACEHOLDER_TEXTS",
    "PLURALS",
    "TEXTS",
    "broker_lines",
    "coverage_flag_words",
    "diagnosis_lines",
    "gap_lines",
    "group_name",
    "grouping_name",
    "network_line",
    "significant_gaps",
    "summary_lines",
    "synthetic_lines",
    "synthetic_share",
]

# how to switch synthetic data off, where the lines are shown (translated where shown)
CLI_SWITCH = N_("switch them off with --no-synthetic")
APP_SWITCH = N_("switch them off in the sidebar")
PLACEHOLDERS = ("(unknown)", "(none)")

# Every text a person reads, in one place (for the Swedish and English catalogues).
TEXTS = {
    "network": N_(
        "Network: {actors} and {ties} in {parts} (the largest holds {share} of the actors)."
    ),
    "synthetic": N_(
        "Synthetic: {s} of {n} actors ({share}) in this network are synthetic demo data, not "
        "facts ({switch_off})."
    ),
    "gaps_head": N_(
        "Gaps by {grouping}: group pairs with significantly fewer ties than random networks "
        "with the same numbers of ties give (q < {alpha}):"
    ),
    "gap": N_(
        "  {pair}: {observed} ties where {expected} were expected (90 % of random networks: "
        "{low}–{high}; {ratio}×)"
    ),
    "within": N_("within {group}"),
    "no_gap": N_(
        "No significant gap between {grouping} groups: none of the {judged} pairs that can be "
        "judged has fewer ties than random networks with the same numbers of ties give{few}."
    ),
    "no_pairs": N_(
        "No significant gap between {grouping} groups: no pair has enough expected ties to be "
        "judged{few}."
    ),
    "brokers_head": N_("Critical brokers (most shortest paths run through them):"),
    "broker": N_("  {name}: betweenness {value}{cut}"),
    "cut": N_(", a cut point"),
    "no_broker": N_("No broker: no shortest path between two actors runs through a third."),
    "diagnosis_whole": N_(
        "Diagnosis of the whole network: {weak} of {judged} indicators weak{colon}"
    ),
    "diagnosis_area": N_(
        "Strength area {area}: weak on {failures} ({weak} of {judged} indicators)."
    ),
    "unreached": N_(
        "Unreached: {n} of {total} target actors ({kinds}) have no path to any support actor: "
        "{names}"
    ),
    "unreached_none": N_(
        "Unreached: {n} of {total} target actors ({kinds}) have no path to any support actor."
    ),
    "reach_first": N_("Support the clusters and co-working spaces reach first: {names}"),
    "reach_item": N_("{name} ({n}, {hops} hops)"),
    "more_names": N_("{names} … and {n} more"),
    "fragile_head": N_(
        "Fragile points (what removing one actor would do; now {components} parts):"
    ),
    "activity_ended": N_(
        "'{name}' ended on {date}: {ties} ties ended with it, {lost} with no other tie between "
        "the pair{tail}"
    ),
    "activity_ends": N_(
        "'{name}' ends on {date}: {ties} ties end with it, {lost} with no other tie between the "
        "pair{tail}"
    ),
    "more_activities": N_(
        "  … and {n} more activities ended or end between {back} months ago and {ahead} months "
        "ahead (table at_risk_ties)."
    ),
    "area_flags": N_("Strength area {area}: {flags}."),
    # Swedish "par" is one pair and many: no plural form needed
    "few": N_(" ({n} pairs with too few ties expected to judge)"),
}
# messages with a plural form: t.ngettext(*PLURALS[key], n)
PLURALS = {
    "actors": NP_("{n} actor", "{n} actors"),
    "ties": NP_("{n} tie", "{n} ties"),
    "parts": NP_("{n} separate part", "{n} separate parts"),
    "excluded": NP_(
        "Synthetic demo data excluded ({n} actor).", "Synthetic demo data excluded ({n} actors)."
    ),
    "fragile": NP_(
        "  without {name}: {lost} actor loses every path to support, {parts} parts",
        "  without {name}: {lost} actors lose every path to support, {parts} parts",
    ),
    "at_risk": NP_(
        "At risk: {n} tie ends within {months} months with nothing else holding the pair together.",
        "At risk: {n} ties end within {months} months with nothing else holding the pair together.",
    ),
}
# the groupings of the mixing test as a sentence names them ("gaps by helix")
GROUPING_TEXTS = {
    "kind": NC_("grouping", "kind"),
    "helix": NC_("grouping", "helix"),
    "municipality": NC_("grouping", "municipality"),
    "region": NC_("grouping", "region"),
    "area": NC_("grouping", "area"),
    "community": NC_("grouping", "community"),
    "role": NC_("grouping", "role"),
}
# what coverage_flags says a strength area lacks
FLAG_TEXTS = {
    "no academia": NC_("strength area lacks", "no academia"),
    "no industry": NC_("strength area lacks", "no industry"),
    "no support actor": NC_("strength area lacks", "no support actor"),
}
# the placeholder groups of the tables ("(unknown)" helix, "(none)" strength area, "(all)")
PLACEHOLDER_TEXTS = {
    "(unknown)": NC_("placeholder group", "(unknown)"),
    "(none)": NC_("placeholder group", "(none)"),
    "(all)": NC_("placeholder group", "(all)"),
}
_VOCABULARY_OF = {"helix": "helix", "kind": "actor_kind"}


def _share(part: float, whole: float, t: Translator) -> str:
    return t.percent(part / whole) if whole else t.percent(0)


def grouping_name(grouping: str, lang: str | None = None) -> str:
    """A grouping of the mixing test as a sentence names it (``kind`` → ``typ`` in Swedish)."""
    known = GROUPING_TEXTS.get(grouping)
    return translator(lang).pgettext("grouping", known) if known else grouping


def _group_name(grouping: str, group: str, t: Translator) -> str:
    """A group of the mixing test: its value in English (as the analysis names it), its
    display name in any other language."""
    vocabulary = _VOCABULARY_OF.get(grouping)
    if t.lang == "en":
        return group
    if group in PLACEHOLDER_TEXTS:
        return t.pgettext("placeholder group", PLACEHOLDER_TEXTS[group])
    if vocabulary is None:
        return group
    return display_name(vocabulary, group, t.lang)


def group_name(grouping: str, group: str, lang: str | None = None) -> str:
    """A group of the mixing test as a table names it: its value in English (``academia``),
    its display name in any other language (``Akademi``)."""
    return _group_name(grouping, group, translator(lang))


def coverage_flag_words(flags: str, lang: str | None = None) -> str:
    """What ``coverage_flags`` says a strength area lacks, in ``lang``.

    >>> coverage_flag_words("no academia; no support actor", "sv")
    'ingen akademi; ingen stödaktör'
    """
    t = translator(lang)
    words = [
        t.pgettext("strength area lacks", FLAG_TEXTS[f]) if f in FLAG_TEXTS else f
        for f in flags.split("; ")
    ]
    return "; ".join(words)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _count(t: Translator, key: str, n: int) -> str:
    return t.ngettext(*PLURALS[key], n).format(n=t.number(n))


def network_line(G: nx.Graph, *, lang: str | None = None) -> str:
    """Actors, ties, separate parts and the share in the largest part."""
    t = translator(lang)
    n = G.number_of_nodes()
    parts = nx.number_connected_components(G) if n else 0
    largest = max((len(c) for c in nx.connected_components(G)), default=0)
    return t.gettext(TEXTS["network"]).format(
        actors=_count(t, "actors", n),
        ties=_count(t, "ties", G.number_of_edges()),
        parts=_count(t, "parts", parts),
        share=_share(largest, n, t),
    )


def synthetic_share(G: nx.Graph) -> float:
    """The share of the network's actors that are synthetic demo data (0 for no actors)."""
    n = G.number_of_nodes()
    return sum(1 for _, d in G.nodes(data=True) if d.get("synthetic")) / n if n else 0.0


def synthetic_lines(
    G: nx.Graph,
    *,
    synthetic_included: bool,
    excluded: int,
    switch_off: str = CLI_SWITCH,
    lang: str | None = None,
) -> list[str]:
    """What the network holds of synthetic demo data: its share of the filtered network, or,
    with synthetic data switched off, only that it was excluded (and how many actors).
    ``switch_off`` says how to switch it off (a message of the catalogue, translated here).

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": True, "b": False}, "synthetic")
    >>> print(synthetic_lines(G, synthetic_included=True, excluded=0, lang="en")[0][:44])
    Synthetic: 1 of 2 actors (50%) in this netwo
    >>> synthetic_lines(nx.Graph([("b", "c")]), synthetic_included=False, excluded=7, lang="en")
    ['Synthetic demo data excluded (7 actors).']
    """
    t = translator(lang)
    if not synthetic_included:
        return [_count(t, "excluded", excluded)]
    n = G.number_of_nodes()
    s = sum(1 for _, d in G.nodes(data=True) if d.get("synthetic"))
    if not s:
        return []
    return [
        t.gettext(TEXTS["synthetic"]).format(
            s=t.number(s), n=t.number(n), share=_share(s, n, t), switch_off=t.gettext(switch_off)
        )
    ]


def gap_lines(
    mixing: pl.DataFrame,
    grouping: str,
    label: str | None = None,
    top: int = 5,
    alpha: float = 0.05,
    *,
    lang: str | None = None,
) -> list[str]:
    """The significant gaps of one grouping (``verdict == "gap"``, most certain first), or the
    sentence that there is none. Groups "(unknown)" and "(none)" are left out.

    Examples
    --------
    >>> mix = pl.DataFrame({"grouping": ["helix"] * 2, "group_a": ["academia", "academia"],
    ...     "group_b": ["industry", "public"], "observed": [2.0, 9.0],
    ...     "expected": [11.5, 8.0], "ratio": [2 / 11.5, 9 / 8], "ci_low": [7.0, 5.0],
    ...     "ci_high": [16.0, 11.0], "z": [-3.4, 0.4], "verdict": ["gap", "as_expected"]})
    >>> print(gap_lines(mix, "helix", lang="en")[1])
      academia – industry: 2 ties where 11.5 were expected (90 % of random networks: 7–16; 0.17×)
    >>> print(gap_lines(mix, "helix", lang="sv")[1][:49])
      Akademi – Näringsliv: 2 kopplingar där 11,5 var
    >>> print(gap_lines(mix.filter(pl.col("verdict") != "gap"), "helix", lang="en")[0][:60])
    No significant gap between helix groups: none of the 1 pairs
    """
    t = translator(lang)
    label = label or grouping_name(grouping, t.lang)
    rows = mixing.filter(
        (pl.col("grouping") == grouping)
        & ~pl.col("group_a").is_in(PLACEHOLDERS)
        & ~pl.col("group_b").is_in(PLACEHOLDERS)
    )
    gaps = rows.filter(pl.col("verdict") == "gap").sort("z", "group_a", "group_b")
    few = rows.filter(pl.col("verdict") == "too_few_to_judge").height
    few_text = t.gettext(TEXTS["few"]).format(n=t.number(few)) if few else ""
    judged = rows.height - few
    if gaps.height == 0:
        key = "no_gap" if judged else "no_pairs"
        return [t.gettext(TEXTS[key]).format(grouping=label, judged=t.number(judged), few=few_text)]
    lines = [t.gettext(TEXTS["gaps_head"]).format(grouping=label, alpha=t.number(alpha))]
    for r in gaps.head(top).iter_rows(named=True):
        a, b = _group_name(grouping, r["group_a"], t), _group_name(grouping, r["group_b"], t)
        pair = t.gettext(TEXTS["within"]).format(group=a) if a == b else f"{a} – {b}"
        whole = float(r["observed"]).is_integer()
        lines.append(
            t.gettext(TEXTS["gap"]).format(
                pair=pair,
                observed=t.number(r["observed"], 0 if whole else 1),
                expected=t.number(r["expected"], 1),
                low=t.number(r["ci_low"], 0),
                high=t.number(r["ci_high"], 0),
                ratio=t.number(r["ratio"] or 0.0, 2),
            )
        )
    return lines


def significant_gaps(
    mixing: pl.DataFrame, groupings: Sequence[str] | None = None, top: int | None = None
) -> pl.DataFrame:
    """The pairs whose verdict is ``gap`` (placeholder groups left out), most certain first:
    ``grouping, group_a, group_b, observed, expected, ci_low, ci_high, ratio, q_value``."""
    rows = mixing.filter(
        (pl.col("verdict") == "gap")
        & ~pl.col("group_a").is_in(PLACEHOLDERS)
        & ~pl.col("group_b").is_in(PLACEHOLDERS)
    )
    if groupings is not None:
        rows = rows.filter(pl.col("grouping").is_in(list(groupings)))
    rows = rows.sort("z", "grouping", "group_a", "group_b").select(
        "grouping",
        "group_a",
        "group_b",
        "observed",
        "expected",
        "ci_low",
        "ci_high",
        "ratio",
        "q_value",
    )
    return rows.head(top) if top is not None else rows


def broker_lines(
    metrics: pl.DataFrame, names: dict[str, str], top: int = 5, *, lang: str | None = None
) -> list[str]:
    """The actors with the highest betweenness, only those above 0 (an actor no shortest path
    runs through brokers nothing).

    Examples
    --------
    >>> m = pl.DataFrame({"actor_id": ["a", "b"], "betweenness": [0.5, 0.0],
    ...     "is_articulation_point": [True, False]})
    >>> broker_lines(m, {"a": "Alfa", "b": "Beta"}, lang="en")[1:]
    ['  Alfa: betweenness 0.500, a cut point']
    """
    t = translator(lang)
    brokers = (
        metrics.filter(pl.col("betweenness") > 0)
        .sort("betweenness", "actor_id", descending=[True, False])
        .head(top)
    )
    if brokers.height == 0:
        return [t.gettext(TEXTS["no_broker"])] if metrics.height >= 3 else []
    lines = [t.gettext(TEXTS["brokers_head"])]
    for r in brokers.iter_rows(named=True):
        lines.append(
            t.gettext(TEXTS["broker"]).format(
                name=names.get(r["actor_id"], r["actor_id"]),
                value=t.number(r["betweenness"], 3),
                cut=t.gettext(TEXTS["cut"]) if r["is_articulation_point"] else "",
            )
        )
    return lines


def diagnosis_lines(diagnosis: pl.DataFrame, top: int = 5, *, lang: str | None = None) -> list[str]:
    """The diagnosis in a few lines: the whole network's weak points with their explanations,
    then one line per strength area that is weak somewhere."""
    if diagnosis.height == 0:
        return []
    t = translator(lang)
    lines: list[str] = []
    judged = diagnosis.filter(pl.col("verdict") != "not_judged")
    whole = judged.filter(pl.col("scope") == "(all)")
    weak = whole.filter(pl.col("verdict") == "weak")
    if whole.height:
        lines.append(
            t.gettext(TEXTS["diagnosis_whole"]).format(
                weak=t.number(weak.height),
                judged=t.number(whole.height),
                colon=":" if weak.height else ".",
            )
        )
        lines += [f"  {text}" for text in explanations(weak.head(top), t.lang)]
    areas = judged.filter(pl.col("scope") != "(all)")
    for (scope,), rows in areas.group_by(["scope"], maintain_order=True):
        bad = rows.filter(pl.col("verdict") == "weak")
        if bad.height == 0:
            continue
        failures = ", ".join(
            failure_name(f, t.lang) for f in dict.fromkeys(bad["failure"].to_list())
        )
        lines.append(
            t.gettext(TEXTS["diagnosis_area"]).format(
                area=rows["scope_name"][0] or scope,
                failures=failures,
                weak=t.number(bad.height),
                judged=t.number(rows.height),
            )
        )
    return lines


def _names(values: list[str], t: Translator, limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    if len(values) > limit:
        return t.gettext(TEXTS["more_names"]).format(names=shown, n=t.number(len(values) - limit))
    return shown


def _day(day: object, t: Translator) -> str:
    """An activity's end date: as the data writes it in English (as the lines always have),
    as the language writes dates in any other."""
    if t.lang == "en" or not hasattr(day, "year"):
        return str(day)
    return t.date(day)  # type: ignore[arg-type]


def summary_lines(
    a: Analysis, top: int = 5, switch_off: str = CLI_SWITCH, *, lang: str | None = None
) -> list[str]:
    """Everything a strategist needs to read first, in plain words, for one analysis, in
    ``lang`` (None: the language in force)."""
    t = translator(lang)
    tables = a.tables
    G = a.graph
    lines = [network_line(G, lang=t.lang)]
    lines += synthetic_lines(
        G,
        synthetic_included=a.params.filter.synthetic,
        excluded=a.excluded_synthetic,
        switch_off=switch_off,
        lang=t.lang,
    )
    lines += gap_lines(
        tables["group_mixing"], a.params.group_by, top=top, alpha=a.params.null.alpha, lang=t.lang
    )
    sd = tables["support_distance"]
    unreached = sd.filter(~pl.col("reached"))
    if sd.height:
        kinds = ", ".join(_lower_first(_group_name("kind", k, t)) for k in a.params.targets)
        values = {"n": t.number(unreached.height), "total": t.number(sd.height), "kinds": kinds}
        if unreached.height:
            names = _names(unreached["name"].to_list(), t)
            lines.append(t.gettext(TEXTS["unreached"]).format(names=names, **values))
        else:
            lines.append(t.gettext(TEXTS["unreached_none"]).format(**values))
        reach = (
            sd.filter(pl.col("kind").is_in(["cluster", "coworking"]) & pl.col("reached"))
            .group_by("nearest_support_name")
            .agg(pl.len().alias("n"), pl.col("hops").mean().alias("hops"))
            .sort("n", "nearest_support_name", descending=[True, False])
        )
        if reach.height:
            named = [
                t.gettext(TEXTS["reach_item"]).format(
                    name=r["nearest_support_name"], n=t.number(r["n"]), hops=t.number(r["hops"], 1)
                )
                for r in reach.iter_rows(named=True)
            ]
            lines.append(t.gettext(TEXTS["reach_first"]).format(names=_names(named, t)))
    names_of = {v: str(d.get("name") or v) for v, d in G.nodes(data=True)}
    lines += broker_lines(tables["actor_metrics"], names_of, top, lang=t.lang)
    components = nx.number_connected_components(G) if G.number_of_nodes() else 0
    frag = (
        tables["fragility"]
        .filter((pl.col("lost_support") > 0) | (pl.col("components_after") > components + 1))
        .sort("lost_support", "components_after", descending=True)
        .head(top)
    )
    if frag.height:
        lines.append(t.gettext(TEXTS["fragile_head"]).format(components=t.number(components)))
        for r in frag.iter_rows(named=True):
            lines.append(
                t.ngettext(*PLURALS["fragile"], int(r["lost_support"])).format(
                    name=r["name"],
                    lost=t.number(r["lost_support"]),
                    parts=t.number(r["components_after"]),
                )
            )
    lines += _activity_lines(a, top, t)
    if "diagnosis" in tables:
        lines += diagnosis_lines(tables["diagnosis"], top, lang=t.lang)
    flags = tables["coverage_flags"].filter(pl.col("flags") != "")
    for r in flags.iter_rows(named=True):
        lines.append(
            t.gettext(TEXTS["area_flags"]).format(
                area=r["area_name"], flags=coverage_flag_words(r["flags"], t.lang)
            )
        )
    return lines


def _activity_lines(a: Analysis, top: int, t: Translator) -> list[str]:
    lines: list[str] = []
    risk = a.tables["at_risk_ties"]
    counts = risk.group_by("activity_id").agg(
        pl.len().alias("ties"), pl.col("at_risk").sum().alias("lost")
    )
    ended = a.ended.join(counts, on="activity_id", how="inner").sort(
        "synthetic", "lost", "end_date", descending=[False, True, False]
    )
    for act in ended.head(top).iter_rows(named=True):
        rows = risk.filter(pl.col("activity_id") == act["activity_id"])
        over = act["status"] == "ended"
        lost = rows.filter(pl.col("at_risk"))
        pairs = [f"{r['name_a']} ↔ {r['name_b']}" for r in lost.iter_rows(named=True)]
        lines.append(
            t.gettext(TEXTS["activity_ended" if over else "activity_ends"]).format(
                name=act["name"],
                date=_day(act["end_date"], t),
                ties=t.number(rows.height),
                lost=t.number(lost.height),
                tail=f": {_names(pairs, t, 6)}" if pairs else ".",
            )
        )
    if ended.height > top:
        lines.append(
            t.gettext(TEXTS["more_activities"]).format(
                n=t.number(ended.height - top),
                back=t.number(a.params.months_back),
                ahead=t.number(a.params.months_ahead),
            )
        )
    ending = risk.filter((pl.col("status") == "ending") & pl.col("at_risk"))
    if ending.height:
        lines.append(
            t.ngettext(*PLURALS["at_risk"], ending.height).format(
                n=t.number(ending.height), months=t.number(a.params.months_ahead)
            )
        )
    return lines
