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

if TYPE_CHECKING:
    from graph.analysis.gaps import Analysis

__all__ = [
    "APP_SWITCH",
    "CLI_SWITCH",
    "TEXTS",
    "broker_lines",
    "diagnosis_lines",
    "gap_lines",
    "network_line",
    "significant_gaps",
    "summary_lines",
    "synthetic_lines",
    "synthetic_share",
]

CLI_SWITCH = "switch them off with --no-synthetic"
APP_SWITCH = "switch them off in the sidebar"
PLACEHOLDERS = ("(unknown)", "(none)")

# Every text a person reads, in one place (for the Swedish and English catalogues).
TEXTS = {
    "network": "Network: {n} actors and {m} ties in {parts} separate parts (the largest holds "
    "{share} of the actors).",
    "synthetic": "Synthetic: {s} of {n} actors ({share}) in this network are synthetic demo "
    "data, not facts ({switch_off}).",
    "excluded": "Synthetic demo data excluded ({n} actors).",
    "gaps_head": "Gaps by {grouping}: group pairs with significantly fewer ties than random "
    "networks with the same numbers of ties give (q < {alpha:g}):",
    "gap": "  {pair}: {observed} ties where {expected:.1f} were expected (90 % of random "
    "networks: {low:.0f}–{high:.0f}; {ratio:.2f}×)",
    "within": "within {group}",
    "no_gap": "No significant gap between {grouping} groups: none of the {judged} pairs that "
    "can be judged has fewer ties than random networks with the same numbers of ties give"
    "{few}.",
    "no_pairs": "No significant gap between {grouping} groups: no pair has enough expected "
    "ties to be judged{few}.",
    "few": " ({n} pairs with too few ties expected to judge)",
    "brokers_head": "Critical brokers (most shortest paths run through them):",
    "broker": "  {name}: betweenness {value:.3f}{cut}",
    "cut": ", a cut point",
    "no_broker": "No broker: no shortest path between two actors runs through a third.",
    "diagnosis_whole": "Diagnosis of the whole network: {weak} of {judged} indicators weak{colon}",
    "diagnosis_area": "Strength area {area}: weak on {failures} ({weak} of {judged} indicators).",
}


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "0%"


def network_line(G: nx.Graph) -> str:
    """Actors, ties, separate parts and the share in the largest part."""
    n = G.number_of_nodes()
    parts = nx.number_connected_components(G) if n else 0
    largest = max((len(c) for c in nx.connected_components(G)), default=0)
    return TEXTS["network"].format(
        n=n, m=G.number_of_edges(), parts=parts, share=_share(largest, n)
    )


def synthetic_share(G: nx.Graph) -> float:
    """The share of the network's actors that are synthetic demo data (0 for no actors)."""
    n = G.number_of_nodes()
    return sum(1 for _, d in G.nodes(data=True) if d.get("synthetic")) / n if n else 0.0


def synthetic_lines(
    G: nx.Graph, *, synthetic_included: bool, excluded: int, switch_off: str = CLI_SWITCH
) -> list[str]:
    """What the network holds of synthetic demo data: its share of the filtered network, or,
    with synthetic data switched off, only that it was excluded (and how many actors).

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": True, "b": False}, "synthetic")
    >>> print(synthetic_lines(G, synthetic_included=True, excluded=0)[0][:44])
    Synthetic: 1 of 2 actors (50%) in this netwo
    >>> synthetic_lines(nx.Graph([("b", "c")]), synthetic_included=False, excluded=7)
    ['Synthetic demo data excluded (7 actors).']
    """
    if not synthetic_included:
        return [TEXTS["excluded"].format(n=excluded)]
    n = G.number_of_nodes()
    s = sum(1 for _, d in G.nodes(data=True) if d.get("synthetic"))
    if not s:
        return []
    return [TEXTS["synthetic"].format(s=s, n=n, share=_share(s, n), switch_off=switch_off)]


def gap_lines(
    mixing: pl.DataFrame, grouping: str, label: str | None = None, top: int = 5, alpha: float = 0.05
) -> list[str]:
    """The significant gaps of one grouping (``verdict == "gap"``, most certain first), or the
    sentence that there is none. Groups "(unknown)" and "(none)" are left out.

    Examples
    --------
    >>> mix = pl.DataFrame({"grouping": ["helix"] * 2, "group_a": ["academia", "academia"],
    ...     "group_b": ["industry", "public"], "observed": [2.0, 9.0],
    ...     "expected": [11.5, 8.0], "ratio": [2 / 11.5, 9 / 8], "ci_low": [7.0, 5.0],
    ...     "ci_high": [16.0, 11.0], "z": [-3.4, 0.4], "verdict": ["gap", "as_expected"]})
    >>> print(gap_lines(mix, "helix")[1])
      academia – industry: 2 ties where 11.5 were expected (90 % of random networks: 7–16; 0.17×)
    >>> print(gap_lines(mix.filter(pl.col("verdict") != "gap"), "helix")[0][:60])
    No significant gap between helix groups: none of the 1 pairs
    """
    label = label or grouping
    rows = mixing.filter(
        (pl.col("grouping") == grouping)
        & ~pl.col("group_a").is_in(PLACEHOLDERS)
        & ~pl.col("group_b").is_in(PLACEHOLDERS)
    )
    gaps = rows.filter(pl.col("verdict") == "gap").sort("z", "group_a", "group_b")
    few = rows.filter(pl.col("verdict") == "too_few_to_judge").height
    few_text = TEXTS["few"].format(n=few) if few else ""
    judged = rows.height - few
    if gaps.height == 0:
        key = "no_gap" if judged else "no_pairs"
        return [TEXTS[key].format(grouping=label, judged=judged, few=few_text)]
    lines = [TEXTS["gaps_head"].format(grouping=label, alpha=alpha)]
    for r in gaps.head(top).iter_rows(named=True):
        pair = (
            TEXTS["within"].format(group=r["group_a"])
            if r["group_a"] == r["group_b"]
            else f"{r['group_a']} – {r['group_b']}"
        )
        observed = (
            f"{r['observed']:.0f}"
            if float(r["observed"]).is_integer()
            else (f"{r['observed']:.1f}")
        )
        lines.append(
            TEXTS["gap"].format(
                pair=pair,
                observed=observed,
                expected=r["expected"],
                low=r["ci_low"],
                high=r["ci_high"],
                ratio=r["ratio"] or 0.0,
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


def broker_lines(metrics: pl.DataFrame, names: dict[str, str], top: int = 5) -> list[str]:
    """The actors with the highest betweenness, only those above 0 (an actor no shortest path
    runs through brokers nothing).

    Examples
    --------
    >>> m = pl.DataFrame({"actor_id": ["a", "b"], "betweenness": [0.5, 0.0],
    ...     "is_articulation_point": [True, False]})
    >>> broker_lines(m, {"a": "Alfa", "b": "Beta"})[1:]
    ['  Alfa: betweenness 0.500, a cut point']
    """
    brokers = (
        metrics.filter(pl.col("betweenness") > 0)
        .sort("betweenness", "actor_id", descending=[True, False])
        .head(top)
    )
    if brokers.height == 0:
        return [TEXTS["no_broker"]] if metrics.height >= 3 else []
    lines = [TEXTS["brokers_head"]]
    for r in brokers.iter_rows(named=True):
        lines.append(
            TEXTS["broker"].format(
                name=names.get(r["actor_id"], r["actor_id"]),
                value=r["betweenness"],
                cut=TEXTS["cut"] if r["is_articulation_point"] else "",
            )
        )
    return lines


def diagnosis_lines(diagnosis: pl.DataFrame, top: int = 5) -> list[str]:
    """The diagnosis in a few lines: the whole network's weak points with their explanations,
    then one line per strength area that is weak somewhere."""
    if diagnosis.height == 0:
        return []
    lines: list[str] = []
    judged = diagnosis.filter(pl.col("verdict") != "not_judged")
    whole = judged.filter(pl.col("scope") == "(all)")
    weak = whole.filter(pl.col("verdict") == "weak")
    if whole.height:
        lines.append(
            TEXTS["diagnosis_whole"].format(
                weak=weak.height, judged=whole.height, colon=":" if weak.height else "."
            )
        )
        lines += [f"  {text}" for text in weak["explanation"].head(top)]
    areas = judged.filter(pl.col("scope") != "(all)")
    for (scope,), rows in areas.group_by(["scope"], maintain_order=True):
        bad = rows.filter(pl.col("verdict") == "weak")
        if bad.height == 0:
            continue
        failures = ", ".join(dict.fromkeys(bad["failure"].to_list()))
        lines.append(
            TEXTS["diagnosis_area"].format(
                area=rows["scope_name"][0] or scope,
                failures=failures,
                weak=bad.height,
                judged=rows.height,
            )
        )
    return lines


def _names(values: list[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … and {len(values) - limit} more" if len(values) > limit else "")


def summary_lines(a: Analysis, top: int = 5, switch_off: str = CLI_SWITCH) -> list[str]:
    """Everything a strategist needs to read first, in plain words, for one analysis."""
    t = a.tables
    G = a.graph
    lines = [network_line(G)]
    lines += synthetic_lines(
        G,
        synthetic_included=a.params.filter.synthetic,
        excluded=a.excluded_synthetic,
        switch_off=switch_off,
    )
    lines += gap_lines(t["group_mixing"], a.params.group_by, top=top, alpha=a.params.null.alpha)
    sd = t["support_distance"]
    unreached = sd.filter(~pl.col("reached"))
    if sd.height:
        lines.append(
            f"Unreached: {unreached.height} of {sd.height} target actors "
            f"({', '.join(a.params.targets)}) have no path to any support actor"
            + (f": {_names(unreached['name'].to_list())}" if unreached.height else ".")
        )
        reach = (
            sd.filter(pl.col("kind").is_in(["cluster", "coworking"]) & pl.col("reached"))
            .group_by("nearest_support_name")
            .agg(pl.len().alias("n"), pl.col("hops").mean().alias("hops"))
            .sort("n", "nearest_support_name", descending=[True, False])
        )
        if reach.height:
            named = [
                f"{r['nearest_support_name']} ({r['n']}, {r['hops']:.1f} hops)"
                for r in reach.iter_rows(named=True)
            ]
            lines.append("Support the clusters and co-working spaces reach first: " + _names(named))
    names = {v: str(d.get("name") or v) for v, d in G.nodes(data=True)}
    lines += broker_lines(t["actor_metrics"], names, top)
    components = nx.number_connected_components(G) if G.number_of_nodes() else 0
    frag = (
        t["fragility"]
        .filter((pl.col("lost_support") > 0) | (pl.col("components_after") > components + 1))
        .sort("lost_support", "components_after", descending=True)
        .head(top)
    )
    if frag.height:
        lines.append(f"Fragile points (what removing one actor would do; now {components} parts):")
        for r in frag.iter_rows(named=True):
            lines.append(
                f"  without {r['name']}: {r['lost_support']} actors lose every path "
                f"to support, {r['components_after']} parts"
            )
    lines += _activity_lines(a, top)
    if "diagnosis" in t:
        lines += diagnosis_lines(t["diagnosis"], top)
    flags = t["coverage_flags"].filter(pl.col("flags") != "")
    for r in flags.iter_rows(named=True):
        lines.append(f"Strength area {r['area_name']}: {r['flags']}.")
    return lines


def _activity_lines(a: Analysis, top: int) -> list[str]:
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
            f"'{act['name']}' {'ended' if over else 'ends'} on {act['end_date']}: "
            f"{rows.height} ties {'ended' if over else 'end'} with it, {lost.height} with no "
            "other tie between the pair" + (f": {_names(pairs, 6)}" if pairs else ".")
        )
    if ended.height > top:
        lines.append(
            f"  … and {ended.height - top} more activities ended or end between "
            f"{a.params.months_back} months ago and {a.params.months_ahead} months "
            "ahead (table at_risk_ties)."
        )
    ending = risk.filter((pl.col("status") == "ending") & pl.col("at_risk"))
    if ending.height:
        lines.append(
            f"At risk: {ending.height} ties end within {a.params.months_ahead} months "
            "with nothing else holding the pair together."
        )
    return lines
