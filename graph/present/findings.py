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
from graph.i18n import N_, NC_, NP_, Translator, translator, use_language
from graph.present.adapters import mixing_with_verdicts
from graph.present.palette import ACTION_COLOR, HELIX_COLORS
from graph.present.svg import (
    column_chart,
    hbar_chart,
    line_chart,
    observed_expected_chart,
    people_number,
    stacked_hbar_chart,
)
from graph.present.words import helix_words, long_date

__all__ = [
    "ANALYST_TERMS",
    "GROUP_TEXTS",
    "HELIX_TEXTS",
    "PLURALS",
    "ROLE_TEXTS",
    "TEXTS",
    "THIN_LABELS",
    "Finding",
    "build_findings",
    "group_phrase",
    "names_phrase",
]

ANALYST_TERMS = ("betweenness", "constraint", "e-i", "modularity", "articulation")
MAX_FINDINGS = 7
MAX_NAMES = 3

TEXTS: dict[str, str] = {
    "gap": N_("{a} and {b} work together {how}: {observed} where {expected} were expected."),
    "gap_never": N_("{a} and {b} never work together, though {expected} ties were expected."),
    "gap_action": N_(
        "Bring {a_lower} and {b_lower} together: a joint learning lab, matchmaking or a shared "
        "call."
    ),
    "gap_action_via": N_(" {first} already works with both sides and could introduce them."),
    "gap_chart": N_("{a} and {b}: ties there are against ties expected"),
    "never": N_("never, though {expected} ties were expected"),
    "half": N_("half as often as expected"),
    "third": N_("a third as often as expected"),
    "quarter": N_("a quarter as often as expected"),
    "three_quarters": N_("three quarters as often as expected"),
    "two_thirds": N_("two thirds as often as expected"),
    "percent": N_("{pct} as often as expected"),
    "under": N_("under {pct}"),
    "unreached": N_(
        "{count} of {total} {targets} ({share}) have no route at all to a support "
        "organisation, not even through partners."
    ),
    "unreached_detail": N_("Among them: {names}."),
    "unreached_action": N_(
        "Ask business support to contact them directly, and invite them to the next learning lab."
    ),
    "unreached_chart": N_("Steps from each of the {targets} to the nearest support organisation"),
    "far_only": N_(
        "{count} of {total} {targets} are three or more steps from the nearest support "
        "organisation."
    ),
    "step_1": N_("1 step"),
    "step_2": N_("2 steps"),
    "step_3": N_("3 steps"),
    "step_4": N_("4+ steps"),
    "no_route": N_("no route"),
    "single_action": N_(
        "Give the actors that hang on one link a second one: introduce them to another partner, "
        "starting with those around {names}."
    ),
    "single_chart": N_("Actors cut off from the rest if each of these left"),
    "ending_most": N_("; {share} of them with “{activity}” (ends {date})"),
    "ending_action": N_(
        "Before {date}, decide which of these partnerships to carry on, and plan a follow-up "
        "activity for them."
    ),
    "ending_chart": N_("Ties that end with nothing else holding the pair, by quarter"),
    "quarter_label": N_("Q{quarter} {year}"),
    "decline": N_(
        "The network has {now} ties in {year}, {drop} fewer than at its peak of {peak} in "
        "{peak_year}."
    ),
    "decline_action": N_(
        "Find out which activities ended without a successor, and whether their partners still "
        "need a meeting place."
    ),
    "decline_chart": N_("Ties per year"),
    "thin_area": N_("{area} has {actors} but {support} and {academia}."),
    "thin_action": N_("Ask universities and business support to take a role in {areas}."),
    "thin_chart": N_("Actors in each strength area, by role"),
    "more_names": N_("{names} and {n} more"),
    "two_names": N_("{first} and {last}"),
    "community": N_("community {group}"),
}
# messages with a plural form: t.ngettext(*PLURALS[key], n)
PLURALS = {
    "ties": NP_("{n} tie", "{n} ties"),
    "actors": NP_("{n} actor", "{n} actors"),
    "other_actors": NP_("{n} other actor", "{n} other actors"),
    "gap_only": NP_(
        "Only {names} links {a_lower} with {b_lower}.",
        "Only {names} link {a_lower} with {b_lower}.",
    ),
    "far": NP_(
        "{count} more is three or more steps away.", "{count} more are three or more steps away."
    ),
    "single": NP_(
        "{count} actor holds part of the network together on its own: if {name} left, {cut} "
        "would be cut off from the rest.",
        "{count} actors each hold part of the network together on their own: if {name} left, "
        "{cut} would be cut off from the rest.",
    ),
    "single_support": NP_(
        ", and {lost} loses every route to support.", ", and {lost} lose every route to support."
    ),
    "ending": NP_(
        "{count} tie ends within the next {months} months with nothing else holding the pair "
        "together{most}.",
        "{count} ties end within the next {months} months with nothing else holding the pair "
        "together{most}.",
    ),
    "thin": NP_(
        "{count} of {total} strength areas is thin on support:",
        "{count} of {total} strength areas are thin on support:",
    ),
    "support_orgs": NP_("{n} support organisation", "{n} support organisations"),
    "academic_partners": NP_("{n} academic partner", "{n} academic partners"),
}
THIN_PARTS = ("academia", "industry", "support", "others")
# the parts of a strength area's bar, as its legend names them
THIN_LABELS = {
    "academia": NC_("part of a strength area", "academia"),
    "industry": NC_("part of a strength area", "industry"),
    "support": NC_("part of a strength area", "support"),
    "others": NC_("part of a strength area", "others"),
}

# groups as a sentence names them (plural, lower case)
GROUP_TEXTS = {
    "region": NC_("actors of a kind", "regions"),
    "public_agency": NC_("actors of a kind", "public agencies"),
    "municipality": NC_("actors of a kind", "municipalities"),
    "business_support": NC_("actors of a kind", "business support organisations"),
    "design_org": NC_("actors of a kind", "design organisations"),
    "cluster": NC_("actors of a kind", "clusters"),
    "coworking": NC_("actors of a kind", "co-working spaces"),
    "company": NC_("actors of a kind", "companies"),
    "academia": NC_("actors of a kind", "universities"),
    "research_institute": NC_("actors of a kind", "research institutes"),
    "civil_society": NC_("actors of a kind", "associations"),
    "sami_org": NC_("actors of a kind", "Sami organisations"),
    "funder": NC_("actors of a kind", "funders"),
    "other": NC_("actors of a kind", "other actors"),
}
HELIX_TEXTS = {
    "public": NC_("helix in a sentence", "the public sector"),
    "industry": NC_("helix in a sentence", "industry"),
    "academia": NC_("helix in a sentence", "academia"),
    "civil_society": NC_("helix in a sentence", "civil society"),
}
ROLE_TEXTS = {
    "support": NC_("role in a sentence", "support organisations"),
    "target": NC_("role in a sentence", "the actors support serves"),
}
_CONTEXTS = {
    "kind": "actors of a kind",
    "helix": "helix in a sentence",
    "role": "role in a sentence",
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


def group_phrase(grouping: str, group: str, lang: str | None = None) -> str:
    """A group as a sentence names it in ``lang`` ("helix", "public" → "the public sector";
    "kind", "coworking" → "co-working spaces"; municipalities and areas keep their names).

    >>> group_phrase("helix", "public", "en"), group_phrase("kind", "coworking", "en")
    ('the public sector', 'co-working spaces')
    >>> group_phrase("municipality", "Åre", "sv")
    'Åre'
    """
    t = translator(lang)
    if grouping == "helix":
        if group in HELIX_TEXTS:
            return t.pgettext(_CONTEXTS["helix"], HELIX_TEXTS[group])
        return helix_words(group, t.lang)
    if grouping == "kind":
        if group in GROUP_TEXTS:
            return t.pgettext(_CONTEXTS["kind"], GROUP_TEXTS[group])
        return group.replace("_", " ")
    if grouping == "role":
        if group in ROLE_TEXTS:
            return t.pgettext(_CONTEXTS["role"], ROLE_TEXTS[group])
        return group
    if grouping == "community":
        return t.gettext(TEXTS["community"]).format(group=group)
    return group


def names_phrase(names: Sequence[str], limit: int = MAX_NAMES, lang: str | None = None) -> str:
    """At most ``limit`` names in a sentence, then how many more.

    >>> names_phrase(["A"]), names_phrase(["A", "B"], lang="en")
    ('A', 'A and B')
    >>> names_phrase(["A", "B", "C", "D", "E"], lang="en")
    'A, B, C and 2 more'
    """
    t = translator(lang)
    shown = list(names[:limit])
    rest = len(names) - len(shown)
    if rest > 0:
        return t.gettext(TEXTS["more_names"]).format(names=", ".join(shown), n=t.number(rest))
    if len(shown) <= 1:
        return "".join(shown)
    return t.gettext(TEXTS["two_names"]).format(first=", ".join(shown[:-1]), last=shown[-1])


def _how_often(ratio: float, expected: float, t: Translator) -> str:
    """How often, in words people use (fractions when near one, else a percentage)."""
    if ratio <= 0:
        return t.gettext(TEXTS["never"]).format(expected=people_number(round(expected), t.lang))
    for key, value in (
        ("quarter", 0.25),
        ("third", 1 / 3),
        ("half", 0.5),
        ("two_thirds", 2 / 3),
        ("three_quarters", 0.75),
    ):
        if abs(ratio - value) <= 0.04:
            return t.gettext(TEXTS[key])
    return t.gettext(TEXTS["percent"]).format(pct=t.percent(ratio))


def _count(t: Translator, key: str, n: float) -> str:
    """``{n} tie`` / ``{n} ties`` (PLURALS[key]) with ``n`` written as the language does."""
    return t.ngettext(*PLURALS[key], int(n)).format(n=people_number(n, t.lang))


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


def _gap_findings(a: Analysis, t: Translator) -> list[Finding]:
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
        a_name, b_name = group_phrase(grouping, ga, t.lang), group_phrase(grouping, gb, t.lang)
        values = {
            "a": _capital(a_name),
            "b": b_name,
            "a_lower": a_name,
            "b_lower": b_name,
            "how": _how_often(r["ratio"] or 0.0, r["expected"], t),
            "observed": _count(t, "ties", round(r["observed"])),
            "expected": people_number(round(r["expected"]), t.lang),
        }
        detail, via = "", ""
        linkers = _linkers(G, grouping, ga, gb) if r["observed"] > 0 else None
        if linkers is not None:
            side = min(linkers, key=lambda s: len(linkers[s]))
            if 0 < len(linkers[side]) <= MAX_NAMES:
                other = gb if side == ga else ga
                detail = t.ngettext(*PLURALS["gap_only"], len(linkers[side])).format(
                    names=names_phrase(linkers[side], lang=t.lang),
                    a_lower=group_phrase(grouping, side, t.lang),
                    b_lower=group_phrase(grouping, other, t.lang),
                )
                via = t.gettext(TEXTS["gap_action_via"]).format(first=linkers[side][0])
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
                headline=t.gettext(TEXTS["gap" if r["observed"] > 0 else "gap_never"]).format(
                    **values
                ),
                detail=detail,
                action=t.gettext(TEXTS["gap_action"]).format(**values) + via,
                chart=observed_expected_chart(
                    r["observed"],
                    r["expected"],
                    ci=ci,
                    label=t.gettext(TEXTS["gap_chart"]).format(**values),
                ),
            )
        )
    return out


def _targets_phrase(targets: Sequence[str], t: Translator) -> str:
    groups = [group_phrase("kind", k, t.lang) if k in GROUP_TEXTS else k for k in targets]
    return names_phrase(groups, limit=len(targets), lang=t.lang)


def _unreached_finding(a: Analysis, t: Translator) -> list[Finding]:
    sd = a.tables["support_distance"]
    if sd.height == 0:
        return []
    unreached = sd.filter(~pl.col("reached")).sort("name")
    far = sd.filter(pl.col("reached") & (pl.col("hops") >= 3))
    if unreached.height == 0 and far.height == 0:
        return []
    targets = _targets_phrase(a.params.targets, t)
    hops = sd.filter(pl.col("reached"))["hops"].to_list()
    bins = [
        (t.gettext(TEXTS["step_1"]), float(sum(1 for h in hops if h == 1)), None),
        (t.gettext(TEXTS["step_2"]), float(sum(1 for h in hops if h == 2)), None),
        (t.gettext(TEXTS["step_3"]), float(sum(1 for h in hops if h == 3)), None),
        (t.gettext(TEXTS["step_4"]), float(sum(1 for h in hops if h >= 4)), None),
        (t.gettext(TEXTS["no_route"]), float(unreached.height), ACTION_COLOR),
    ]
    share = unreached.height / sd.height
    if unreached.height:
        headline = t.gettext(TEXTS["unreached"]).format(
            count=people_number(unreached.height, t.lang),
            total=people_number(sd.height, t.lang),
            targets=targets,
            share=t.percent(share)
            if share >= 0.01
            else t.gettext(TEXTS["under"]).format(pct=t.percent(0.01)),
        )
        detail = t.gettext(TEXTS["unreached_detail"]).format(
            names=names_phrase(unreached["name"].to_list(), lang=t.lang)
        )
        if far.height:
            detail += " " + t.ngettext(*PLURALS["far"], far.height).format(
                count=people_number(far.height, t.lang)
            )
    else:
        headline = t.gettext(TEXTS["far_only"]).format(
            count=people_number(far.height, t.lang),
            total=people_number(sd.height, t.lang),
            targets=targets,
        )
        detail = ""
    return [
        Finding(
            topic="unreached",
            importance=min(1.0, 0.45 + 3 * share + 0.5 * far.height / sd.height),
            headline=headline,
            detail=detail,
            action=t.gettext(TEXTS["unreached_action"]),
            chart=column_chart(
                bins, label=t.gettext(TEXTS["unreached_chart"]).format(targets=targets)
            ),
        )
    ]


def _single_point_finding(a: Analysis, t: Translator) -> list[Finding]:
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
    headline = t.ngettext(*PLURALS["single"], count).format(
        count=people_number(count, t.lang),
        name=top["name"],
        cut=_count(t, "other_actors", int(top["cut_off"])),
    )
    if top["lost_support"] > 0:
        headline = headline[:-1] + t.ngettext(
            *PLURALS["single_support"], int(top["lost_support"])
        ).format(lost=people_number(top["lost_support"], t.lang))
    chart_rows = frag.head(5)
    return [
        Finding(
            topic="single_point",
            importance=min(1.0, 0.35 + 4 * max(top["cut_off"], top["lost_support"]) / len(G)),
            headline=headline,
            detail="",
            action=t.gettext(TEXTS["single_action"]).format(
                names=names_phrase(frag["name"].head(MAX_NAMES).to_list(), lang=t.lang)
            ),
            chart=hbar_chart(
                [(r["name"], float(r["cut_off"])) for r in chart_rows.iter_rows(named=True)],
                label=t.gettext(TEXTS["single_chart"]),
            ),
        )
    ]


def _ending_finding(a: Analysis, t: Translator) -> list[Finding]:
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
        most = t.gettext(TEXTS["ending_most"]).format(
            share=people_number(first["n"], t.lang),
            activity=first["what"],
            date=long_date(first["end"], t.lang),
        )
    return [
        Finding(
            topic="ending",
            importance=min(1.0, 0.4 + 6 * risk.height / max(1, a.ties)),
            headline=t.ngettext(*PLURALS["ending"], risk.height).format(
                count=people_number(risk.height, t.lang),
                months=people_number(a.params.months_ahead, t.lang),
                most=most,
            ),
            detail="",
            action=t.gettext(TEXTS["ending_action"]).format(
                date=long_date(min(risk["end_date"].to_list()), t.lang)
            ),
            chart=column_chart(
                _by_quarter(risk["end_date"].to_list(), t.lang),
                label=t.gettext(TEXTS["ending_chart"]),
            ),
        )
    ]


def _by_quarter(
    days: Sequence[date], lang: str | None = None
) -> list[tuple[str, float, str | None]]:
    """Counts of dates per calendar quarter, every quarter from the first to the last.

    >>> _by_quarter([date(2026, 12, 4), date(2027, 5, 1), date(2027, 5, 2)], "en")
    [('Q4 2026', 1.0, None), ('Q1 2027', 0.0, None), ('Q2 2027', 2.0, None)]
    """
    label = translator(lang).gettext(TEXTS["quarter_label"])
    if not days:
        return []
    counts: dict[tuple[int, int], int] = {}
    for d in days:
        key = (d.year, (d.month - 1) // 3 + 1)
        counts[key] = counts.get(key, 0) + 1
    (year, quarter), last = min(counts), max(counts)
    out: list[tuple[str, float, str | None]] = []
    while (year, quarter) <= last:
        name = label.format(quarter=quarter, year=year)
        out.append((name, float(counts.get((year, quarter), 0)), None))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def _decline_finding(a: Analysis, t: Translator) -> list[Finding]:
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
            headline=t.gettext(TEXTS["decline"]).format(
                now=people_number(now, t.lang),
                year=years["year"][-1],
                drop=t.percent(drop),
                peak=people_number(peak, t.lang),
                peak_year=years["year"][peak_at],
            ),
            detail="",
            action=t.gettext(TEXTS["decline_action"]),
            chart=line_chart(
                years["year"].to_list(), ties, label=t.gettext(TEXTS["decline_chart"])
            ),
        )
    ]


def _thin_finding(a: Analysis, t: Translator) -> list[Finding]:
    flags = a.tables["coverage_flags"].filter(pl.col("area_id") != "(none)")
    if flags.height == 0:
        return []
    thin = flags.filter(
        (pl.col("support") <= 1) | (pl.col("academia") == 0) | (pl.col("flags") != "")
    ).sort("support", "academia", pl.col("actors"), descending=[False, False, True])
    if thin.height == 0:
        return []
    worst = thin.row(0, named=True)
    legend = [t.pgettext("part of a strength area", THIN_LABELS[p]) for p in THIN_PARTS]
    parts = [
        (legend[0], HELIX_COLORS["academia"]),
        (legend[1], HELIX_COLORS["industry"]),
        (legend[2], HELIX_COLORS["public"]),
        (legend[3], "#C9CED6"),
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
            headline=t.ngettext(*PLURALS["thin"], thin.height).format(
                count=people_number(thin.height, t.lang), total=people_number(flags.height, t.lang)
            )
            + " "
            + t.gettext(TEXTS["thin_area"]).format(
                area=worst["area_name"],
                actors=_count(t, "actors", int(worst["actors"])),
                support=_count(t, "support_orgs", int(worst["support"])),
                academia=_count(t, "academic_partners", int(worst["academia"])),
            ),
            detail="",
            action=t.gettext(TEXTS["thin_action"]).format(
                areas=names_phrase(thin["area_name"].to_list(), lang=t.lang)
            ),
            chart=stacked_hbar_chart(rows, parts, label=t.gettext(TEXTS["thin_chart"])),
        )
    ]


def build_findings(
    analysis: Analysis, limit: int = MAX_FINDINGS, *, lang: str | None = None
) -> list[Finding]:
    """The findings of an analysis, most important first, at most ``limit`` (7), in ``lang``
    (None: the language in force).

    Fewer come back when the data holds fewer: the report never pads its findings.
    """
    if analysis.actors == 0:
        return []
    t = translator(lang)
    with use_language(t.lang):  # the charts' labels and numbers speak it too
        candidates = [
            *_gap_findings(analysis, t),
            *_unreached_finding(analysis, t),
            *_single_point_finding(analysis, t),
            *_ending_finding(analysis, t),
            *_decline_finding(analysis, t),
            *_thin_finding(analysis, t),
        ]
    candidates.sort(key=lambda f: f.importance, reverse=True)
    return candidates[:limit]
