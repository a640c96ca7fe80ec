"""The gap report as a board paper: findings first, then a picture, the diagnosis, and the tables
in an appendix with a glossary.

One self-contained HTML file (no scripts, nothing loaded from the network) rendered by Jinja2
with autoescape on, so every text from the data reaches the page escaped; charts are inline SVG
(``graph.present.svg``). Print CSS lays it out on A4, and ``write_pdf`` prints it through
headless Chromium. Page one holds 3–7 numbered findings in plain words
(``graph.present.findings``); analyst terms appear only in the appendix, where the glossary
explains them.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape

from graph.analysis.diagnosis import TEXTS as DIAGNOSIS_TEXTS
from graph.analysis.diagnosis import WHOLE, explanation, indicator_name, verdict_name
from graph.analysis.gaps import Analysis
from graph.analysis.summary import (
    coverage_flag_words,
    group_name,
    grouping_name,
    synthetic_lines,
)
from graph.errors import EcographError
from graph.i18n import (
    N_,
    NC_,
    VOCABULARIES,
    Translator,
    display_name,
    translator,
    use_language,
)
from graph.present.adapters import diagnosis_of, mixing_with_verdicts
from graph.present.findings import Finding, build_findings, group_phrase
from graph.present.picture import Picture, network_picture
from graph.present.svg import people_number
from graph.present.words import describe_filter, kind_words, long_date

__all__ = [
    "GLOSSARY",
    "TABLE_TEXTS",
    "TEXTS",
    "PdfUnavailableError",
    "find_chromium",
    "render_report",
    "write_pdf",
    "write_report",
]

# The texts of the report's page that hold values; its headings and fixed sentences are in the
# template (report.html.j2, ``_("…")``), the same catalogue.
TEXTS: dict[str, Any] = {
    "meta": N_("Made {generated} by ecograph from {database}, with the data as of {as_of}."),
    "made_at": N_("{date} {time} UTC"),
    # said in plain words: a board paper is no place for a command-line option
    "synthetic_switch": N_("a report can be made without them"),
    "sources_sourced_only": N_("The sources below; {unsourced} rows name no source."),
    "cards": (
        NC_("report card", "actors"),
        NC_("report card", "ties"),
        NC_("report card", "separate parts"),
        NC_("report card", "rows without a source"),
    ),
    "heat_title": N_("Who works with whom: ties between {grouping} groups against chance"),
    "heat_cell": N_("{a} – {b}: {observed} there are, {expected} expected"),
    "gap_mark": N_("{observed} of {expected} expected"),
    "more": N_("Showing {shown} of {total} rows; the full table is in the database."),
    "sources_intro": N_(
        "{sourced} rows rest on the sources below, {synthetic} are synthetic and {unsourced} "
        "name no source."
    ),
    "verdicts": {
        "gap": NC_("mixing verdict", "gap"),
        "more_than_expected": NC_("mixing verdict", "more than expected"),
        "as_expected": NC_("mixing verdict", "as expected"),
        "too_few_to_judge": NC_("mixing verdict", "too few to judge"),
    },
    "statuses": {
        "ended": NC_("activity status", "ended"),
        "ending": NC_("activity status", "ending"),
        "active": NC_("activity status", "active"),
    },
    "yes": N_("yes"),
    "pdf_missing": N_(
        "PDF not written: Chromium is not installed (looked for {names}); install it (Debian: "
        "apt-get install chromium) or print {html} from a browser."
    ),
    "pdf_failed": N_("PDF not written: Chromium stopped with {reason}."),
    "exit_status": N_("exit status {code}"),
}

# the appendix's tables: title, then the column headers (context "table header")
TABLE_TEXTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mixing": (
        N_("Group pairs by {grouping}, with the test behind each verdict"),
        (
            NC_("table header", "Groups"),
            NC_("table header", "ties"),
            NC_("table header", "expected"),
            NC_("table header", "chance range from"),
            NC_("table header", "to"),
            NC_("table header", "q"),
            NC_("table header", "verdict"),
        ),
    ),
    "ei": (
        N_("E-I index by {grouping}"),
        (
            NC_("table header", "Group"),
            NC_("table header", "actors"),
            NC_("table header", "ties inside"),
            NC_("table header", "ties outside"),
            NC_("table header", "E-I index"),
        ),
    ),
    "unreached": (
        N_("Unreached actors: no route to any support organisation"),
        (NC_("table header", "Actor"), NC_("table header", "kind")),
    ),
    "furthest": (
        N_("The actors furthest from support"),
        (
            NC_("table header", "Actor"),
            NC_("table header", "kind"),
            NC_("table header", "steps to support"),
            NC_("table header", "nearest support organisation"),
        ),
    ),
    "brokers": (
        N_("Brokers"),
        (
            NC_("table header", "Actor"),
            NC_("table header", "ties"),
            NC_("table header", "betweenness"),
            NC_("table header", "constraint"),
            NC_("table header", "liaison roles"),
            NC_("table header", "gatekeeper / representative roles"),
            NC_("table header", "cut point"),
        ),
    ),
    "fragility": (
        N_("What removing one actor would do"),
        (
            NC_("table header", "Without"),
            NC_("table header", "kind"),
            NC_("table header", "cut point"),
            NC_("table header", "parts after"),
            NC_("table header", "lose support"),
            NC_("table header", "who"),
            NC_("table header", "efficiency drop"),
        ),
    ),
    "bridges": (
        N_("Bridges ({n}): ties whose loss splits the network"),
        (
            NC_("table header", "Actor"),
            NC_("table header", "Actor"),
            NC_("table header", "kind of tie"),
        ),
    ),
    "ended": (
        N_("Activities that ended or end soon"),
        (
            NC_("table header", "Activity"),
            NC_("table header", "ends"),
            NC_("table header", "status"),
        ),
    ),
    "at_risk": (
        N_("Ties at risk: they end with an activity and nothing else holds the pair"),
        (
            NC_("table header", "Actor"),
            NC_("table header", "Actor"),
            NC_("table header", "activity"),
            NC_("table header", "ends"),
            NC_("table header", "status"),
        ),
    ),
    "areas": (
        N_("Strength areas"),
        (
            NC_("table header", "Strength area"),
            NC_("table header", "actors"),
            NC_("table header", "academia"),
            NC_("table header", "industry"),
            NC_("table header", "support"),
            NC_("table header", "missing"),
        ),
    ),
    "years": (
        N_("The network year by year"),
        (
            NC_("table header", "year"),
            NC_("table header", "active actors"),
            NC_("table header", "tied pairs"),
            NC_("table header", "parts"),
            NC_("table header", "largest part's share"),
            NC_("table header", "new pairs"),
            NC_("table header", "ended pairs"),
        ),
    ),
}

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        NC_("glossary term", "Tie"),
        N_(
            "Two actors work together: a relation (partnership, membership, funding, …) or a "
            "shared activity such as a project."
        ),
    ),
    (
        NC_("glossary term", "Expected ties"),
        N_(
            "How many ties two groups would have if every actor chose partners at random, "
            "keeping its number of ties. Fewer than expected, beyond chance, is a gap."
        ),
    ),
    (
        NC_("glossary term", "Significance (p and q)"),
        N_(
            "p: how likely a shortfall this large is by chance alone. q: the same, corrected for "
            "testing many pairs at once (Benjamini–Hochberg). A pair is a gap when q is below "
            "0.05."
        ),
    ),
    (
        NC_("glossary term", "Support distance"),
        N_(
            "Steps (ties) from a cluster, co-working space or company to the nearest support "
            "organisation. No route: unreached."
        ),
    ),
    (
        NC_("glossary term", "Betweenness"),
        N_(
            "The share of shortest routes between other actors that pass through an actor: a "
            "measure of brokerage."
        ),
    ),
    (
        NC_("glossary term", "Constraint (Burt)"),
        N_(
            "How much an actor's partners also work with each other; high means few "
            "alternatives and little brokerage."
        ),
    ),
    (
        NC_("glossary term", "Effective size"),
        N_("The number of an actor's partners that do not know each other."),
    ),
    (
        NC_("glossary term", "Liaison, gatekeeper, representative"),
        N_(
            "Brokerage roles: linking two other groups (liaison), or letting ties into or out of "
            "one's own group (gatekeeper, representative)."
        ),
    ),
    (
        NC_("glossary term", "E-I index"),
        N_(
            "(ties outside the group − ties inside) ÷ all ties: −1 works only inside its group, "
            "+1 only outside."
        ),
    ),
    (
        NC_("glossary term", "Articulation point (cut point)"),
        N_("An actor whose leaving splits the network: a single point of failure."),
    ),
    (NC_("glossary term", "Bridge"), N_("A tie whose loss splits the network.")),
    (
        NC_("glossary term", "Efficiency"),
        N_("The mean of 1 ÷ distance over all pairs of actors; drops when a broker leaves."),
    ),
    (
        NC_("glossary term", "Community (modularity)"),
        N_("Groups of actors with many ties inside and few outside, found by the Louvain method."),
    ),
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@cache
def _templates(lang: str) -> Environment:
    """The report's templates speaking ``lang`` (one environment per language: the template's
    ``_()`` is bound to it, and each environment compiles its templates once)."""
    env = Environment(
        loader=PackageLoader("graph.present", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=False,
        extensions=["jinja2.ext.i18n"],
    )
    t = translator(lang)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.gettext, t.ngettext, newstyle=True, pgettext=t.pgettext, npgettext=t.npgettext
    )
    return env


class PdfUnavailableError(EcographError):
    """The PDF cannot be made here (no Chromium, or it failed); the HTML report still is."""


def _fmt(value: Any, lang: str | None = None) -> str:
    """A table cell as text: whole numbers without decimals (counts stored as floats, such as
    actors with split strength-area shares, must not read 3.000 beside 36), small fractions
    with three decimals, larger ones with one; numbers as ``lang`` writes them.

    >>> [_fmt(v, "en") for v in (3.0, 1618.0, 0.9368, 77.84, 12345.6, None, float("nan"), True, 7)]
    ['3', '1,618', '0.937', '77.8', '12,346', '', '', 'yes', '7']
    >>> [_fmt(v, "sv") for v in (1618.0, 0.9368, True)]
    ['1\xa0618', '0,937', 'ja']
    """
    t = translator(lang)
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return t.number(int(value), 0)
        if abs(value) < 10:
            return t.number(value, 3)
        return t.number(value, 1) if abs(value) < 1000 else t.number(value, 0)
    if isinstance(value, bool):
        return t.gettext(TEXTS["yes"]) if value else ""
    if isinstance(value, int):
        return t.number(value, 0)
    return str(value)


@dataclass
class _Table:
    title: str
    headers: Sequence[str]
    rows: list[list[tuple[str, str]]] = field(default_factory=list)
    intro: str = ""
    more: str = ""


def _table(
    t: Translator,
    key: str,
    frame: pl.DataFrame,
    columns: Sequence[str],
    *,
    limit: int = 40,
    intro: str = "",
    **title_values: str,
) -> _Table:
    title, headers = TABLE_TEXTS[key]
    rows = []
    for row in frame.head(limit).select(columns).iter_rows():
        cells = []
        for v in row:
            cls = (
                "num"
                if isinstance(v, int | float) and not isinstance(v, bool)
                else "date"
                if isinstance(v, date)
                else ""
            )
            cells.append((_fmt(v, t.lang), cls))
        rows.append(cells)
    more = (
        t.gettext(TEXTS["more"]).format(shown=t.number(limit), total=t.number(frame.height))
        if frame.height > limit
        else ""
    )
    return _Table(
        t.gettext(title).format(**title_values),
        [t.pgettext("table header", h) for h in headers],
        rows,
        intro,
        more,
    )


def _heat_colour(ratio: float | None) -> str:
    """Red below 1 (fewer ties than expected), white at 1, blue above."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "#f2f2f2"
    x = max(-1.0, min(1.0, math.log2(ratio) / 2)) if ratio > 0 else -1.0
    if x < 0:
        g = int(255 + 90 * x)
        return f"rgb(255,{g},{g})"
    g = int(255 - 110 * x)
    return f"rgb({g},{min(255, g + 20)},255)"


def _heatmap(mixing: pl.DataFrame, grouping: str, t: Translator) -> dict[str, Any]:
    mix = mixing.filter(pl.col("grouping") == grouping)
    title = t.gettext(TEXTS["heat_title"]).format(grouping=grouping_name(grouping, t.lang))
    if mix.height == 0:
        return {"title": title, "groups": [], "rows": []}
    totals = (
        pl.concat(
            [
                mix.select(pl.col("group_a").alias("g"), "observed"),
                mix.select(pl.col("group_b").alias("g"), "observed"),
            ]
        )
        .group_by("g")
        .agg(pl.col("observed").sum())
        .sort("observed", "g", descending=[True, False])
    )
    groups = sorted(totals.head(12)["g"].to_list())
    cell: dict[tuple[str, str], dict[str, Any]] = {}
    for r in mix.iter_rows(named=True):
        cell[(r["group_a"], r["group_b"])] = cell[(r["group_b"], r["group_a"])] = r
    label = {g: group_name(grouping, g, t.lang) for g in groups}
    rows = []
    for a in groups:
        cells: list[dict[str, str] | None] = []
        for b in groups:
            found = cell.get((a, b))
            if found is None:
                cells.append(None)
                continue
            r = found
            ratio = r["ratio"]
            observed, expected = t.number(r["observed"], 0), t.number(r["expected"], 1)
            cells.append(
                {
                    "colour": _heat_colour(ratio),
                    "ratio": "–" if ratio is None else f"{t.number(ratio, 2)}×",
                    "counts": f"{observed} / {expected}",
                    "title": t.gettext(TEXTS["heat_cell"]).format(
                        a=label[a], b=label[b], observed=observed, expected=expected
                    ),
                }
            )
        rows.append({"group": label[a], "cells": cells})
    return {"title": title, "groups": [label[g] for g in groups], "rows": rows}


def _gap_marks(
    analysis: Analysis, findings: Sequence[Finding], t: Translator
) -> list[tuple[str, str, str]]:
    """The helix pairs the picture marks: helix gaps by the mixing test (verdict = gap)."""
    if not any(f.topic == "gap" for f in findings):
        return []
    mix = mixing_with_verdicts(analysis.tables["group_mixing"], ["helix"]).filter(
        (pl.col("verdict") == "gap") & (pl.col("group_a") != pl.col("group_b"))
    )
    return [
        (
            r["group_a"],
            r["group_b"],
            t.gettext(TEXTS["gap_mark"]).format(
                observed=people_number(round(r["observed"]), t.lang),
                expected=people_number(round(r["expected"]), t.lang),
            ),
        )
        for r in mix.iter_rows(named=True)
    ]


def _diagnosis_rows(analysis: Analysis, t: Translator) -> list[dict[str, str]]:
    frame = diagnosis_of(analysis.tables, analysis.graph, lang=t.lang)
    if "verdict" in frame.columns:  # the board reads the weak points; the rest is in the table
        frame = frame.filter(pl.col("verdict") == "weak").head(12)

    def number(v: Any, indicator: str) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        # shares as percentages; an E-I index or a modularity is a number from −1 or 0 to 1
        if indicator.startswith("share") and isinstance(v, float):
            return t.percent(v)
        if isinstance(v, float) and 0 < abs(v) < 1:
            return t.number(v, 2)
        return people_number(v, t.lang) if isinstance(v, int | float) else str(v)

    def scope(r: dict[str, Any]) -> str:
        if r["scope"] == WHOLE:
            return t.gettext(DIAGNOSIS_TEXTS["whole"])
        return str(r.get("scope_name") or r["scope"] or "")

    return [
        {
            # the strength area's name, not its id; kinds and helices as people write them
            "scope": scope(r),
            "indicator": indicator_name(str(r["indicator"] or ""), t.lang),
            "value": number(r["value"], str(r["indicator"] or "")),
            "reference": number(r["reference"], str(r["indicator"] or "")),
            "verdict": verdict_name(str(r["verdict"] or ""), t.lang),
            "explanation": explanation(r, t.lang),
        }
        for r in frame.iter_rows(named=True)
    ]


def _words(t: Translator, frame: pl.DataFrame, column: str, block: str, context: str) -> pl.Expr:
    """A column of vocabulary values (a verdict, a status) as the language names them."""
    names = {v: t.pgettext(context, m) for v, m in TEXTS[block].items()}
    return pl.col(column).replace_strict(names, default=pl.col(column), return_dtype=pl.String)


def _kinds(column: str, t: Translator) -> pl.Expr:
    """A column of actor kinds as sentences name them (as the data writes them in English)."""
    if t.lang == "en":
        return pl.col(column)
    return pl.col(column).map_elements(lambda k: kind_words(k, t.lang), return_dtype=pl.String)


def _tie_kinds(column: str, t: Translator) -> pl.Expr:
    """A column of tie kinds joined with ", " (``membership, project``) as people name them."""
    if t.lang == "en":
        return pl.col(column)

    def words(kinds: str) -> str:
        out = []
        for kind in kinds.split(", "):
            vocabulary = "relation_kind" if kind in VOCABULARIES["relation_kind"] else None
            if vocabulary is None and kind in VOCABULARIES["activity_kind"]:
                vocabulary = "activity_kind"
            name = display_name(vocabulary, kind, t.lang) if vocabulary else kind
            out.append(name[:1].lower() + name[1:])
        return ", ".join(out)

    return pl.col(column).map_elements(words, return_dtype=pl.String)


def _appendix_tables(analysis: Analysis, t: Translator) -> list[_Table]:
    tables = analysis.tables
    G = analysis.graph
    params = analysis.params
    grouping = grouping_name(params.group_by, t.lang)
    names = pl.DataFrame(
        {"actor_id": list(G), "name": [str(d.get("name") or v) for v, d in G.nodes(data=True)]},
        schema={"actor_id": pl.String, "name": pl.String},
    )
    mixing = mixing_with_verdicts(tables["group_mixing"], [params.group_by])
    mixing = mixing.with_columns(_words(t, mixing, "verdict", "verdicts", "mixing verdict")).sort(
        "q_value", "group_a", "group_b", nulls_last=True
    )
    brokers = (
        tables["actor_metrics"]
        .join(names, on="actor_id", how="left")
        .join(
            tables["brokerage"].select("actor_id", "liaison", "gatekeeper_representative"),
            on="actor_id",
            how="left",
        )
        .sort("betweenness", "name", descending=[True, False], nulls_last=True)
    )
    support = tables["support_distance"].with_columns(_kinds("kind", t))
    ended = analysis.ended
    if "status" in ended.columns:
        ended = ended.with_columns(_words(t, ended, "status", "statuses", "activity status"))
    at_risk = tables["at_risk_ties"].filter(pl.col("at_risk")).sort("end_date", "name_a")
    at_risk = at_risk.with_columns(_words(t, at_risk, "status", "statuses", "activity status"))
    flags = tables["coverage_flags"].with_columns(
        pl.col("flags").map_elements(
            lambda f: coverage_flag_words(f, t.lang), return_dtype=pl.String
        ),
        pl.col("area_name").map_elements(
            lambda a: group_name("area", a, t.lang), return_dtype=pl.String
        ),
    )
    # a year is a name, not a count: no thousands separator
    years = tables["network_by_year"].with_columns(pl.col("year").cast(pl.String))
    return [
        _table(
            t,
            "mixing",
            mixing.with_columns(
                pl.struct("group_a", "group_b")
                .map_elements(
                    lambda s: (
                        f"{group_phrase(params.group_by, s['group_a'], t.lang)} – "
                        f"{group_phrase(params.group_by, s['group_b'], t.lang)}"
                    ),
                    return_dtype=pl.String,
                )
                .alias("pair")
            ),
            ["pair", "observed", "expected", "ci_low", "ci_high", "q_value", "verdict"],
            grouping=grouping,
        ),
        _table(
            t,
            "ei",
            tables["ei_index"]
            .filter(pl.col("grouping") == params.group_by)
            .with_columns(
                pl.col("group").map_elements(
                    lambda g: group_name(params.group_by, g, t.lang), return_dtype=pl.String
                )
            ),
            ["group", "actors", "internal", "external", "ei"],
            grouping=grouping,
        ),
        _table(
            t,
            "unreached",
            support.filter(~pl.col("reached")).sort("name"),
            ["name", "kind"],
        ),
        _table(
            t,
            "furthest",
            support.filter(pl.col("reached")).sort("hops", "name", descending=[True, False]),
            ["name", "kind", "hops", "nearest_support_name"],
            limit=20,
        ),
        _table(
            t,
            "brokers",
            brokers,
            [
                "name",
                "degree",
                "betweenness",
                "burt_constraint",
                "liaison",
                "gatekeeper_representative",
                "is_articulation_point",
            ],
            limit=params.top,
        ),
        _table(
            t,
            "fragility",
            tables["fragility"].with_columns(_kinds("kind", t)),
            [
                "name",
                "kind",
                "is_articulation_point",
                "components_after",
                "lost_support",
                "lost_support_names",
                "efficiency_drop",
            ],
        ),
        _table(
            t,
            "bridges",
            tables["bridges"].with_columns(_tie_kinds("kinds", t)),
            ["name_a", "name_b", "kinds"],
            limit=20,
            n=t.number(tables["bridges"].height),
        ),
        _table(t, "ended", ended, ["name", "end_date", "status"], limit=25),
        _table(
            t,
            "at_risk",
            at_risk,
            ["name_a", "name_b", "activity_name", "end_date", "status"],
            limit=30,
        ),
        _table(
            t,
            "areas",
            flags,
            ["area_name", "actors", "academia", "industry", "support", "flags"],
        ),
        _table(
            t,
            "years",
            years,
            [
                "year",
                "actors_active",
                "ties",
                "components",
                "largest_component_share",
                "new_pairs",
                "ended_pairs",
            ],
        ),
    ]


def _made(when: datetime, t: Translator) -> str:
    if t.lang == "en":
        return when.strftime("%Y-%m-%d %H:%M UTC")
    return t.gettext(TEXTS["made_at"]).format(date=t.date(when), time=when.strftime("%H:%M"))


def render_report(
    analysis: Analysis,
    *,
    sources: pl.DataFrame,
    stats: pl.DataFrame,
    database: str,
    area_names: Mapping[str, str] | None = None,
    appendix: bool = True,
    generated: datetime | None = None,
    lang: str | None = None,
) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    analysis:
        A finished ``graph.analysis.gaps.run_analysis`` result.
    sources:
        The ``sources`` table (listed at the end, synthetic ones marked).
    stats:
        ``graph.store.stats.dataset_stats`` (the sourced / synthetic / unsourced shares).
    database:
        How to name the database in the header.
    area_names:
        Strength-area ids → names, for the filter line.
    appendix:
        False leaves the appendix out (to count the pages a board reads).
    generated:
        When the report was made (default: now).
    lang:
        The language of the report (None: the language in force), ``<html lang>`` included.
    """
    t = translator(lang)
    with use_language(t.lang):  # what the charts and the core write speaks it too
        return _render(analysis, sources, stats, database, area_names, appendix, generated, t)


def _render(
    analysis: Analysis,
    sources: pl.DataFrame,
    stats: pl.DataFrame,
    database: str,
    area_names: Mapping[str, str] | None,
    appendix: bool,
    generated: datetime | None,
    t: Translator,
) -> str:
    G = analysis.graph
    params = analysis.params
    data_rows = stats.filter(pl.col("table_name") != "sources")
    total = int(data_rows["rows"].sum())
    synthetic = int(data_rows["synthetic"].sum())
    unsourced = int(data_rows["unsourced"].sum())
    findings = build_findings(analysis, lang=t.lang)
    picture: Picture = network_picture(
        G, analysis.tables["actor_metrics"], gaps=_gap_marks(analysis, findings, t), lang=t.lang
    )
    made = _made(generated or datetime.now(UTC), t)
    parts = nx.number_connected_components(G) if analysis.actors else 0
    labels = [t.pgettext("report card", label) for label in TEXTS["cards"]]
    cards = list(
        zip(
            labels,
            (
                people_number(analysis.actors, t.lang),
                people_number(analysis.ties, t.lang),
                people_number(parts, t.lang),
                people_number(unsourced, t.lang),
            ),
            strict=True,
        )
    )
    source_rows = []
    if not params.filter.synthetic:  # excluded data, excluded sources
        sources = sources.filter(~pl.col("synthetic"))
    for r in sources.iter_rows(named=True):
        url = r.get("url") or ""
        source_rows.append(
            {
                "title": r["title"] or r["source_id"],
                "url": url if url.startswith(("https://", "http://")) else "",
                "publisher": r.get("publisher") or "",
                "synthetic": bool(r.get("synthetic")),
                "auto": bool(r.get("auto")),
                "source_id": r["source_id"],
            }
        )
    context = {
        "lang": t.lang,
        "meta": t.gettext(TEXTS["meta"]).format(
            generated=made, database=database, as_of=long_date(params.today, t.lang)
        ),
        "filter_text": describe_filter(params.filter, area_names, lang=t.lang),
        # synthetic data as the filtered network holds it (graph.analysis.summary), or only
        # that it was excluded
        "synthetic_note": " ".join(
            synthetic_lines(
                G,
                synthetic_included=params.filter.synthetic,
                excluded=analysis.excluded_synthetic,
                switch_off=TEXTS["synthetic_switch"],
                lang=t.lang,
            )
        ),
        "cards": cards,
        "findings": findings,
        "picture": picture,
        "diagnosis": _diagnosis_rows(analysis, t) if analysis.actors else [],
        "glossary": [
            (t.pgettext("glossary term", term), t.gettext(meaning)) for term, meaning in GLOSSARY
        ],
        "heat": _heatmap(analysis.tables["group_mixing"], params.group_by, t),
        "tables": _appendix_tables(analysis, t),
        "sources": source_rows,
        "sources_intro": t.gettext(TEXTS["sources_intro"]).format(
            sourced=t.number(total - synthetic - unsourced),
            synthetic=t.number(synthetic),
            unsourced=t.number(unsourced),
        )
        if params.filter.synthetic
        else t.gettext(TEXTS["sources_sourced_only"]).format(unsourced=t.number(unsourced)),
    }
    html = _templates(t.lang).get_template("report.html.j2").render(**context)
    if not appendix:
        start = html.index('<section id="appendix">')
        end = html.index("</section>", start) + len("</section>")
        html = html[:start] + html[end:]
    return html


def write_report(path: Path, html: str) -> Path:
    """Write the report (UTF-8) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome on this machine, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html_path: Path, pdf_path: Path, *, chromium: str | None = None) -> Path:
    """Print an HTML file to an A4 PDF with headless Chromium (the page's print CSS applies).

    Raises ``PdfUnavailableError`` when no Chromium is installed or it fails.
    """
    browser = chromium or find_chromium()
    if browser is None:
        raise PdfUnavailableError(
            translator()
            .gettext(TEXTS["pdf_missing"])
            .format(names=", ".join(CHROMIUM_NAMES), html=html_path)
        )
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ecograph-pdf-") as profile:
        try:
            done = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--disable-gpu",
                    "--no-sandbox",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf_path.resolve()}",
                    html_path.resolve().as_uri(),
                ],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = str(exc)
            raise PdfUnavailableError(
                translator().gettext(TEXTS["pdf_failed"]).format(reason=reason)
            ) from exc
    if done.returncode != 0 or not pdf_path.exists():
        t = translator()
        reason = t.gettext(TEXTS["exit_status"]).format(code=done.returncode)
        raise PdfUnavailableError(t.gettext(TEXTS["pdf_failed"]).format(reason=reason))
    return pdf_path
