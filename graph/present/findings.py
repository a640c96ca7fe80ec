"""The findings a board reads first: a few numbered sentences in plain words, each with the number
behind it, a small chart and what it suggests doing.

Findings are made from the analysis, never from judgement: a pair of groups is a gap only when
the mixing test says so (``verdict == "gap"``, see ``graph.present.adapters``), an actor is
unreached only when it has no path to support, a single point of failure is an actor whose
leaving splits the network. Each candidate gets an importance in [0, 1] (how much of the network
it concerns); the report shows the most important few, never more than three names inline.
No analyst term (the ones in ``ANALYST_TERMS``) may appear in a finding: they belong to the
appendix and its glossary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import networkx as nx
import polars as pl
from markupsafe import Markup

from graph.analysis.gaps import Analysis
from graph.analysis.network import edges_frame, nodes_frame
from graph.present.adapters import mixing_with_verdicts
from graph.present.palette import ACTION_COLOR, HELIX_COLORS, helix_label
from graph.present.svg import (
    column_chart,
    hbar_chart,
    line_chart,
    observed_expected_chart,
    people_number,
    stacked_hbar_chart,
)
from graph.present.words import count_phrase, long_date

__all__ = [
    "ANALYST_TERMS",
    "TEXTS",
    "Finding",
    "build_findings",
    "group_phrase",
    "names_phrase",
]

ANALYST_TERMS = ("betweenness", "constraint", "e-i", "modularity", "articulation")
MAX_FINDINGS = 7
MAX_NAMES = 3

TEXTS: dict[str, str] = {
    "gap": "{a} and {b} work together {how}: {observed} where {expected} were expected.",
    "gap_never": "{a} and {b} never work together, though {expected} ties were expected.",
    "gap_only": "Only {names} {verb} {a_lower} with {b_lower}.",
    "gap_action": "Bring {a_lower} and {b_lower} together: a joint learning lab, matchmaking "
    "or a shared call.",
    "gap_action_via": " {first} already works with both sides and could introduce them.",
    "gap_chart": "{a} and {b}: ties there are against ties expected",
    "never": "never, though {expected} ties were expected",
    "half": "half as often as expected",
    "third": "a third as often as expected",
    "quarter": "a quarter as often as expected",
    "three_quarters": "three quarters as often as expected",
    "two_thirds": "two thirds as often as expected",
    "percent": "{pct} as often as expected",
    "unreached": "{count} of {total} {targets} ({share}) have no route at all to a support "
    "organisation, not even through partners.",
    "unreached_detail": "Among them: {names}.",
    "unreached_action": "Ask business support to contact them directly, and invite them to the "
    "next learning lab.",
    "unreached_chart": "Steps from each of the {targets} to the nearest support organisation",
    "far": "{count} more {verb} three or more steps away.",
    "far_only": "{count} of {total} {targets} are three or more steps from the nearest "
    "support organisation.",
    "single": "{count} actors each hold part of the network together on their own: if {name} "
    "left, {cut} would be cut off from the rest.",
    "single_support": ", and {lost} {verb} every route to support.",
    "single_action": "Give the actors that hang on one link a second one: introduce them to "
    "another partner, starting with those around {names}.",
    "single_chart": "Actors cut off from the rest if each of these left",
    "ending": "{count} ties end within the next {months} months with nothing else holding the "
    "pair together{most}.",
    "ending_most": "; {share} of them with “{activity}” (ends {date})",
    "ending_action": "Before {date}, decide which of these partnerships to carry on, and plan a "
    "follow-up activity for them.",
    "ending_chart": "Ties that end with nothing else holding the pair, by quarter",
    "decline": "The network has {now} ties in {year}, {drop} fewer than at its peak of {peak} "
    "in {peak_year}.",
    "decline_action": "Find out which activities ended without a successor, and whether their "
    "partners still need a meeting place.",
    "decline_chart": "Ties per year",
    "thin": "{count} of {total} strength areas {verb} thin on support: {area} has {actors} "
    "but {support} support {org_word} and {academia} academic {partner_word}.",
    "thin_action": "Ask universities and business support to take a role in {areas}.",
    "thin_chart": "Actors in each strength area, by role",
}
THIN_PARTS = ("academia", "industry", "support", "others")

_KIND_PLURAL = {
    "region": "regions",
    "public_agency": "public agencies",
    "municipality": "municipalities",
    "business_support": "business support organisations",
    "design_org": "design organisations",
    "cluster": "clusters",
    "coworking": "co-working spaces",
    "company": "companies",
    "academia": "universities",
    "research_institute": "research institutes",
    "civil_society": "associations",
    "sami_org": "Sami organisations",
    "funder": "funders",
    "other": "other actors",
}
_HELIX_PHRASE = {
    "public": "the public sector",
    "industry": "industry",
    "academia": "academia",
    "civil_society": "civil society",
}


@dataclass(frozen=True)
class Finding:
    """One numbered finding of the report."""

    topic: str  # gap, unreached, single_point, ending, decline, thin_area
    importance: float  # 0..1; the report shows the most important first
    headline: str  # one sentence in plain words, with the number behind it
    detail: str  # a second sentence (at most three names), or ""
    action: str  # what it suggests doing
    chart: Markup  # an inline SVG

    def text(self) -> str:
        """Everything the finding says, as plain text (for tests and the app)."""
        return " ".join(s for s in (self.headline, self.detail, self.action) if s)


def group_phrase(grouping: str, group: str) -> str:
    """A group as a sentence names it ("helix", "public" → "the public sector"; "kind",
    "coworking" → "co-working spaces"; municipalities and areas keep their names).

    >>> group_phrase("helix", "public"), group_phrase("kind", "coworking")
    ('the public sector', 'co-working spaces')
    >>> group_phrase("municipality", "Åre")
    'Åre'
    """
    if grouping == "helix":
        return _HELIX_PHRASE.get(group, helix_label(group))
    if grouping == "kind":
        return _KIND_PLURAL.get(group, group.replace("_", " "))
    if grouping == "role":
        return {"support": "support organisations", "target": "the actors support serves"}.get(
            group, group
        )
    if grouping == "community":
        return f"community {group}"
    return group


def names_phrase(names: Sequence[str], limit: int = MAX_NAMES) -> str:
    """At most ``limit`` names in a sentence, then how many more.

    >>> names_phrase(["A"]), names_phrase(["A", "B"]), names_phrase(["A", "B", "C", "D", "E"])
    ('A', 'A and B', 'A, B, C and 2 more')
    """
    shown = list(names[:limit])
    rest = len(names) - len(shown)
    if rest > 0:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _how_often(ratio: float, expected: float) -> str:
    """How often, in words people use (fractions when near one, else a percentage)."""
    if ratio <= 0:
        return TEXTS["never"].format(expected=people_number(round(expected)))
    for key, value in (
        ("quarter", 0.25),
        ("third", 1 / 3),
        ("half", 0.5),
        ("two_thirds", 2 / 3),
        ("three_quarters", 0.75),
    ):
        if abs(ratio - value) <= 0.04:
            return TEXTS[key]
    return TEXTS["percent"].format(pct=f"{ratio:.0%}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _linkers(G: nx.Graph, grouping: str, ga: str, gb: str) -> dict[str, list[str]] | None:
    """For each of two groups, the names of its actors with a tie to the other group (None
    for groupings that are not an actor attribute)."""
    if grouping not in ("helix", "kind", "municipality", "region"):
        return None
    nodes = nodes_frame(G).select(
        "actor_id", pl.col("name").fill_null(pl.col("actor_id")), pl.col(grouping).alias("g")
    )
    ends = edges_frame(G).select("actor_a", "actor_b")
    both = pl.concat(
        [ends, ends.select(pl.col("actor_b").alias("actor_a"), pl.col("actor_a").alias("actor_b"))]
    )
    crossing = (
        both.join(nodes.rename({"actor_id": "actor_a", "g": "ga"}), on="actor_a")
        .join(
            nodes.select(pl.col("actor_id").alias("actor_b"), pl.col("g").alias("gb")), on="actor_b"
        )
        .filter(
            ((pl.col("ga") == ga) & (pl.col("gb") == gb))
            | ((pl.col("ga") == gb) & (pl.col("gb") == ga))
        )
        .unique(["actor_a"])
    )
    return {
        side: sorted(crossing.filter(pl.col("ga") == side)["name"].to_list()) for side in (ga, gb)
    }


def _gap_findings(a: Analysis) -> list[Finding]:
    groupings = [a.params.group_by] + [g for g in ("helix", "kind") if g != a.params.group_by]
    mixing = mixing_with_verdicts(a.tables["group_mixing"], groupings)
    gaps = (
        mixing.filter(
            pl.col("grouping").is_in(groupings)
            & (pl.col("verdict") == "gap")
            & (pl.col("group_a") != pl.col("group_b"))
            & ~pl.col("group_a").str.starts_with("(")
            & ~pl.col("group_b").str.starts_with("(")
        )
        .with_columns(
            (pl.col("expected") - pl.col("observed")).round(6).alias("_shortfall"),
            pl.col("grouping")
            .replace_strict({g: i for i, g in enumerate(groupings)}, return_dtype=pl.Int32)
            .alias("_order"),
        )
        .sort(["_shortfall", "_order"], descending=[True, False])
    )
    G = a.graph
    out: list[Finding] = []
    seen: set[tuple[float, float]] = set()
    for r in gaps.iter_rows(named=True):
        # the same ties seen by two groupings (academia–industry, universities–companies)
        same = (round(r["observed"], 6), round(r["expected"], 6))
        if same in seen or len(out) == 3:
            continue
        seen.add(same)
        grouping, ga, gb = r["grouping"], r["group_a"], r["group_b"]
        a_name, b_name = group_phrase(grouping, ga), group_phrase(grouping, gb)
        values = {
            "a": _capital(a_name),
            "b": b_name,
            "a_lower": a_name,
            "b_lower": b_name,
            "how": _how_often(r["ratio"] or 0.0, r["expected"]),
            "observed": count_phrase(round(r["observed"]), "tie"),
            "expected": people_number(round(r["expected"])),
        }
        detail, via = "", ""
        linkers = _linkers(G, grouping, ga, gb) if r["observed"] > 0 else None
        if linkers is not None:
            side = min(linkers, key=lambda s: len(linkers[s]))
            if 0 < len(linkers[side]) <= MAX_NAMES:
                other = gb if side == ga else ga
                detail = TEXTS["gap_only"].format(
                    names=names_phrase(linkers[side]),
                    verb="links" if len(linkers[side]) == 1 else "link",
                    a_lower=group_phrase(grouping, side),
                    b_lower=group_phrase(grouping, other),
                )
                via = TEXTS["gap_action_via"].format(first=linkers[side][0])
        ci = (
            (float(r["ci_low"]), float(r["ci_high"]))
            if r.get("ci_low") is not None and r.get("ci_high") is not None
            else None
        )
        out.append(
            Finding(
                topic="gap",
                importance=min(1.0, 0.5 + 0.5 * (1 - (r["ratio"] or 0.0)))
                * min(1.0, 0.4 + r["expected"] / 40),
                headline=TEXTS["gap" if r["observed"] > 0 else "gap_never"].format(**values),
                detail=detail,
                action=TEXTS["gap_action"].format(**values) + via,
                chart=observed_expected_chart(
                    r["observed"], r["expected"], ci=ci, label=TEXTS["gap_chart"].format(**values)
                ),
            )
        )
    return out


def _targets_phrase(targets: Sequence[str]) -> str:
    return names_phrase([_KIND_PLURAL.get(t, t) for t in targets], limit=len(targets))


def _unreached_finding(a: Analysis) -> list[Finding]:
    sd = a.tables["support_distance"]
    if sd.height == 0:
        return []
    unreached = sd.filter(~pl.col("reached")).sort("name")
    far = sd.filter(pl.col("reached") & (pl.col("hops") >= 3))
    if unreached.height == 0 and far.height == 0:
        return []
    targets = _targets_phrase(a.params.targets)
    hops = sd.filter(pl.col("reached"))["hops"].to_list()
    bins = [
        ("1 step", float(sum(1 for h in hops if h == 1)), None),
        ("2 steps", float(sum(1 for h in hops if h == 2)), None),
        ("3 steps", float(sum(1 for h in hops if h == 3)), None),
        ("4+ steps", float(sum(1 for h in hops if h >= 4)), None),
        ("no route", float(unreached.height), ACTION_COLOR),
    ]
    share = unreached.height / sd.height
    if unreached.height:
        headline = TEXTS["unreached"].format(
            count=people_number(unreached.height),
            total=people_number(sd.height),
            targets=targets,
            share=f"{share:.0%}" if share >= 0.01 else "under 1%",
        )
        detail = TEXTS["unreached_detail"].format(names=names_phrase(unreached["name"].to_list()))
        if far.height:
            detail += " " + TEXTS["far"].format(
                count=people_number(far.height), verb="is" if far.height == 1 else "are"
            )
    else:
        headline = TEXTS["far_only"].format(
            count=people_number(far.height), total=people_number(sd.height), targets=targets
        )
        detail = ""
    return [
        Finding(
            topic="unreached",
            importance=min(1.0, 0.45 + 3 * share + 0.5 * far.height / sd.height),
            headline=headline,
            detail=detail,
            action=TEXTS["unreached_action"],
            chart=column_chart(bins, label=TEXTS["unreached_chart"].format(targets=targets)),
        )
    ]


def _single_point_finding(a: Analysis) -> list[Finding]:
    G = a.graph
    metrics = a.tables["actor_metrics"]
    frag = a.tables["fragility"].filter(pl.col("is_articulation_point"))
    count = int(metrics["is_articulation_point"].sum()) if metrics.height else 0
    if count == 0 or frag.height == 0:
        return []
    parts = list(nx.connected_components(G))
    largest = max(len(c) for c in parts)
    in_largest = max(parts, key=len)
    frag = frag.with_columns(
        pl.when(pl.col("actor_id").is_in(list(in_largest)))
        .then(largest - 1 - pl.col("largest_component_after"))
        .otherwise(0)
        .clip(lower_bound=0)
        .alias("cut_off")
    ).sort("cut_off", "lost_support", "name", descending=[True, True, False])
    top = frag.row(0, named=True)
    if top["cut_off"] <= 0 and top["lost_support"] <= 0:
        return []
    headline = TEXTS["single"].format(
        count=people_number(count),
        name=top["name"],
        cut=count_phrase(int(top["cut_off"]), "other actor"),
    )
    if top["lost_support"] > 0:
        headline = headline[:-1] + TEXTS["single_support"].format(
            lost=people_number(top["lost_support"]),
            verb="loses" if top["lost_support"] == 1 else "lose",
        )
    chart_rows = frag.head(5)
    return [
        Finding(
            topic="single_point",
            importance=min(1.0, 0.35 + 4 * max(top["cut_off"], top["lost_support"]) / len(G)),
            headline=headline,
            detail="",
            action=TEXTS["single_action"].format(
                names=names_phrase(frag["name"].head(MAX_NAMES).to_list())
            ),
            chart=hbar_chart(
                [(r["name"], float(r["cut_off"])) for r in chart_rows.iter_rows(named=True)],
                label=TEXTS["single_chart"],
            ),
        )
    ]


def _ending_finding(a: Analysis) -> list[Finding]:
    risk = a.tables["at_risk_ties"].filter((pl.col("status") == "ending") & pl.col("at_risk"))
    if risk.height == 0:
        return []
    named = risk.with_columns(
        pl.coalesce("activity_name", pl.lit("ties with their own end date")).alias("what")
    )
    per = (
        named.group_by("what")
        .agg(pl.len().alias("n"), pl.col("end_date").min().alias("end"))
        .sort("n", "what", descending=[True, False])
    )
    first = per.row(0, named=True)
    most = ""
    if per.height > 1 and first["what"] != "ties with their own end date":
        most = TEXTS["ending_most"].format(
            share=people_number(first["n"]), activity=first["what"], date=long_date(first["end"])
        )
    return [
        Finding(
            topic="ending",
            importance=min(1.0, 0.4 + 6 * risk.height / max(1, a.ties)),
            headline=TEXTS["ending"].format(
                count=people_number(risk.height), months=a.params.months_ahead, most=most
            ),
            detail="",
            action=TEXTS["ending_action"].format(date=long_date(min(risk["end_date"].to_list()))),
            chart=column_chart(
                _by_quarter(risk["end_date"].to_list()), label=TEXTS["ending_chart"]
            ),
        )
    ]


def _by_quarter(days: Sequence[date]) -> list[tuple[str, float, str | None]]:
    """Counts of dates per calendar quarter, every quarter from the first to the last.

    >>> _by_quarter([date(2026, 12, 4), date(2027, 5, 1), date(2027, 5, 2)])
    [('Q4 2026', 1.0, None), ('Q1 2027', 0.0, None), ('Q2 2027', 2.0, None)]
    """
    if not days:
        return []
    counts: dict[tuple[int, int], int] = {}
    for d in days:
        key = (d.year, (d.month - 1) // 3 + 1)
        counts[key] = counts.get(key, 0) + 1
    (year, quarter), last = min(counts), max(counts)
    out: list[tuple[str, float, str | None]] = []
    while (year, quarter) <= last:
        out.append((f"Q{quarter} {year}", float(counts.get((year, quarter), 0)), None))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def _decline_finding(a: Analysis) -> list[Finding]:
    years = a.tables["network_by_year"]
    if years.height < 3:
        return []
    ties = [float(v or 0) for v in years["ties"].to_list()]
    peak_at = max(range(len(ties)), key=lambda i: ties[i])
    now, peak = ties[-1], ties[peak_at]
    if peak == 0 or peak_at == len(ties) - 1 or now > 0.9 * peak:
        return []
    drop = 1 - now / peak
    return [
        Finding(
            topic="decline",
            importance=min(1.0, 0.3 + drop),
            headline=TEXTS["decline"].format(
                now=people_number(now),
                year=years["year"][-1],
                drop=f"{drop:.0%}",
                peak=people_number(peak),
                peak_year=years["year"][peak_at],
            ),
            detail="",
            action=TEXTS["decline_action"],
            chart=line_chart(years["year"].to_list(), ties, label=TEXTS["decline_chart"]),
        )
    ]


def _thin_finding(a: Analysis) -> list[Finding]:
    flags = a.tables["coverage_flags"].filter(pl.col("area_id") != "(none)")
    if flags.height == 0:
        return []
    thin = flags.filter(
        (pl.col("support") <= 1) | (pl.col("academia") == 0) | (pl.col("flags") != "")
    ).sort("support", "academia", pl.col("actors"), descending=[False, False, True])
    if thin.height == 0:
        return []
    worst = thin.row(0, named=True)
    parts = [
        (THIN_PARTS[0], HELIX_COLORS["academia"]),
        (THIN_PARTS[1], HELIX_COLORS["industry"]),
        (THIN_PARTS[2], HELIX_COLORS["public"]),
        (THIN_PARTS[3], "#C9CED6"),
    ]
    rows = [
        (
            r["area_name"],
            [
                float(r["academia"]),
                float(r["industry"]),
                float(r["support"]),
                float(max(0, r["actors"] - r["academia"] - r["industry"] - r["support"])),
            ],
        )
        for r in flags.sort("area_name").iter_rows(named=True)
    ]
    return [
        Finding(
            topic="thin_area",
            importance=min(1.0, 0.3 + 0.4 * thin.height / flags.height),
            headline=TEXTS["thin"].format(
                count=people_number(thin.height),
                total=people_number(flags.height),
                verb="is" if thin.height == 1 else "are",
                area=worst["area_name"],
                actors=count_phrase(int(worst["actors"]), "actor"),
                support=people_number(worst["support"]),
                org_word="organisation" if worst["support"] == 1 else "organisations",
                academia=people_number(worst["academia"]),
                partner_word="partner" if worst["academia"] == 1 else "partners",
            ),
            detail="",
            action=TEXTS["thin_action"].format(areas=names_phrase(thin["area_name"].to_list())),
            chart=stacked_hbar_chart(rows, parts, label=TEXTS["thin_chart"]),
        )
    ]


def build_findings(analysis: Analysis, limit: int = MAX_FINDINGS) -> list[Finding]:
    """The findings of an analysis, most important first, at most ``limit`` (7).

    Fewer come back when the data holds fewer: the report never pads its findings.
    """
    if analysis.actors == 0:
        return []
    candidates = [
        *_gap_findings(analysis),
        *_unreached_finding(analysis),
        *_single_point_finding(analysis),
        *_ending_finding(analysis),
        *_decline_finding(analysis),
        *_thin_finding(analysis),
    ]
    candidates.sort(key=lambda f: f.importance, reverse=True)
    return candidates[:limit]
