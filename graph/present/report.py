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
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape

from graph.analysis.gaps import Analysis
from graph.analysis.summary import synthetic_lines
from graph.errors import EcographError
from graph.i18n.vocabularies import display_name
from graph.present.adapters import diagnosis_of, mixing_with_verdicts
from graph.present.findings import Finding, build_findings, group_phrase
from graph.present.picture import Picture, network_picture
from graph.present.svg import people_number
from graph.present.words import describe_filter, long_date

__all__ = [
    "GLOSSARY",
    "TEXTS",
    "PdfUnavailableError",
    "find_chromium",
    "render_report",
    "write_pdf",
    "write_report",
]

TEXTS: dict[str, Any] = {
    "title": "Innovation-system gap report",
    "meta": "Made {generated} by ecograph from {database}, with the data as of {as_of}.",
    "filter": "Showing",
    "synthetic_switch": "a report with --no-synthetic leaves them out",
    "sources_sourced_only": "The sources below; {unsourced} rows name no source.",
    "cards": ("actors", "ties", "separate parts", "rows without a source"),
    "findings": "Findings",
    "todo": "What to do:",
    "no_findings": "Nothing in this part of the data stands out: no significant gaps between "
    "groups, every target actor reaches support, and no partnerships end soon.",
    "picture": "The network",
    "diagnosis": "Diagnosis",
    "diagnosis_intro": "How the regional innovation system scores on the usual failures "
    "(thin, fragmented, locked in, out of reach of support), each against a reference value.",
    "diagnosis_headers": ("Where", "Indicator", "Value", "Reference", "Verdict", "Why it matters"),
    "no_diagnosis": "No actors, so nothing to diagnose.",
    "appendix": "Appendix: the tables behind the findings",
    "appendix_intro": "The full results, for analysts. The glossary explains the terms.",
    "glossary": "Glossary",
    "heat_title": "Who works with whom: ties between {grouping} groups against chance",
    "heat_note": "Each cell: ties there are ÷ ties expected if partners were chosen at random "
    "given each actor's number of ties (red: fewer, blue: more). Below: there are / expected.",
    "nothing": "Nothing to show.",
    "more": "Showing {shown} of {total} rows; the full table is in the database.",
    "sources": "Sources",
    "sources_intro": "{sourced} rows rest on the sources below, {synthetic} are synthetic and "
    "{unsourced} name no source.",
    "synthetic_tag": "synthetic",
    "auto_tag": "no source named",
    "verdicts": {
        "gap": "gap",
        "more_than_expected": "more than expected",
        "as_expected": "as expected",
        "too_few_to_judge": "too few to judge",
    },
    "pdf_missing": "PDF not written: Chromium is not installed (looked for {names}); install "
    "it (Debian: apt-get install chromium) or print {html} from a browser.",
    "pdf_failed": "PDF not written: Chromium stopped with {reason}.",
}

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Tie",
        "Two actors work together: a relation (partnership, membership, funding, …) or a shared "
        "activity such as a project.",
    ),
    (
        "Expected ties",
        "How many ties two groups would have if every actor chose partners at random, keeping "
        "its number of ties. Fewer than expected, beyond chance, is a gap.",
    ),
    (
        "Significance (p and q)",
        "p: how likely a shortfall this large is by chance alone. q: the same, corrected for "
        "testing many pairs at once (Benjamini–Hochberg). A pair is a gap when q is below 0.05.",
    ),
    (
        "Support distance",
        "Steps (ties) from a cluster, co-working space or company to the nearest support "
        "organisation. No route: unreached.",
    ),
    (
        "Betweenness",
        "The share of shortest routes between other actors that pass through an actor: a "
        "measure of brokerage.",
    ),
    (
        "Constraint (Burt)",
        "How much an actor's partners also work with each other; high means few alternatives "
        "and little brokerage.",
    ),
    ("Effective size", "The number of an actor's partners that do not know each other."),
    (
        "Liaison, gatekeeper, representative",
        "Brokerage roles: linking two other groups (liaison), or letting ties into or out of "
        "one's own group (gatekeeper, representative).",
    ),
    (
        "E-I index",
        "(ties outside the group − ties inside) ÷ all ties: −1 works only inside its group, "
        "+1 only outside.",
    ),
    (
        "Articulation point (cut point)",
        "An actor whose leaving splits the network: a single point of failure.",
    ),
    ("Bridge", "A tie whose loss splits the network."),
    (
        "Efficiency",
        "The mean of 1 ÷ distance over all pairs of actors; drops when a broker leaves.",
    ),
    (
        "Community (modularity)",
        "Groups of actors with many ties inside and few outside, found by the Louvain method.",
    ),
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TEMPLATES = Environment(
    loader=PackageLoader("graph.present", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=False,
)


class PdfUnavailableError(EcographError):
    """The PDF cannot be made here (no Chromium, or it failed); the HTML report still is."""


def _fmt(value: Any) -> str:
    """A table cell as text: whole numbers without decimals (counts stored as floats, such as
    actors with split strength-area shares, must not read 3.000 beside 36), small fractions
    with three decimals, larger ones with one.

    >>> [_fmt(v) for v in (3.0, 1618.0, 0.9368, 77.84, 12345.6, None, float("nan"), True, 7)]
    ['3', '1,618', '0.937', '77.8', '12,346', '', '', 'yes', '7']
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return f"{int(value):,}"
        if abs(value) < 10:
            return f"{value:.3f}"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dataclass
class _Table:
    title: str
    headers: Sequence[str]
    rows: list[list[tuple[str, str]]] = field(default_factory=list)
    intro: str = ""
    more: str = ""


def _table(
    title: str,
    frame: pl.DataFrame,
    columns: Sequence[str],
    headers: Sequence[str],
    *,
    limit: int = 40,
    intro: str = "",
) -> _Table:
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
            cells.append((_fmt(v), cls))
        rows.append(cells)
    more = (
        TEXTS["more"].format(shown=limit, total=f"{frame.height:,}") if frame.height > limit else ""
    )
    return _Table(title, headers, rows, intro, more)


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


def _heatmap(mixing: pl.DataFrame, grouping: str) -> dict[str, Any]:
    mix = mixing.filter(pl.col("grouping") == grouping)
    title = TEXTS["heat_title"].format(grouping=grouping)
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
            cells.append(
                {
                    "colour": _heat_colour(ratio),
                    "ratio": "–" if ratio is None else f"{ratio:.2f}×",
                    "counts": f"{r['observed']:.0f} / {r['expected']:.1f}",
                    "title": f"{a} – {b}: {r['observed']:.0f} there are, "
                    f"{r['expected']:.1f} expected",
                }
            )
        rows.append({"group": a, "cells": cells})
    return {"title": title, "groups": groups, "rows": rows}


def _gap_marks(analysis: Analysis, findings: Sequence[Finding]) -> list[tuple[str, str, str]]:
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
            f"{people_number(round(r['observed']))} of {people_number(round(r['expected']))}"
            " expected",
        )
        for r in mix.iter_rows(named=True)
    ]


def _indicator_words(indicator: str) -> str:
    """``support: design_org`` → ``support: Design organisation``: a vocabulary value after the
    colon gets its display name (graph.i18n), everything else stays as the analysis wrote it."""
    head, sep, value = indicator.partition(": ")
    vocabulary = {"support": "actor_kind", "helix": "helix"}.get(head)
    if not sep or vocabulary is None:
        return indicator
    return f"{head}: {display_name(vocabulary, value)}"


def _diagnosis_rows(analysis: Analysis) -> list[dict[str, str]]:
    frame = diagnosis_of(analysis.tables, analysis.graph)
    if "verdict" in frame.columns:  # the board reads the weak points; the rest is in the table
        frame = frame.filter(pl.col("verdict") == "weak").head(12)

    def number(v: Any, indicator: str) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        # shares as percentages; an E-I index or a modularity is a number from −1 or 0 to 1
        if indicator.startswith("share") and isinstance(v, float):
            return f"{v:.0%}"
        if isinstance(v, float) and 0 < abs(v) < 1:
            return f"{v:.2f}"
        return people_number(v) if isinstance(v, int | float) else str(v)

    return [
        {
            # the strength area's name, not its id; kinds and helices as people write them
            "scope": str(r.get("scope_name") or r["scope"] or ""),
            "indicator": _indicator_words(str(r["indicator"] or "")),
            "value": number(r["value"], str(r["indicator"] or "")),
            "reference": number(r["reference"], str(r["indicator"] or "")),
            "verdict": str(r["verdict"] or "").replace("_", " "),
            "explanation": str(r["explanation"] or ""),
        }
        for r in frame.iter_rows(named=True)
    ]


def _appendix_tables(analysis: Analysis) -> list[_Table]:
    t = analysis.tables
    G = analysis.graph
    params = analysis.params
    names = pl.DataFrame(
        {"actor_id": list(G), "name": [str(d.get("name") or v) for v, d in G.nodes(data=True)]},
        schema={"actor_id": pl.String, "name": pl.String},
    )
    mixing = mixing_with_verdicts(t["group_mixing"], [params.group_by])
    mixing = mixing.with_columns(
        pl.col("verdict").replace_strict(TEXTS["verdicts"], default=pl.col("verdict"))
    ).sort("q_value", "group_a", "group_b", nulls_last=True)
    brokers = (
        t["actor_metrics"]
        .join(names, on="actor_id", how="left")
        .join(
            t["brokerage"].select("actor_id", "liaison", "gatekeeper_representative"),
            on="actor_id",
            how="left",
        )
        .sort("betweenness", "name", descending=[True, False], nulls_last=True)
    )
    return [
        _table(
            f"Group pairs by {params.group_by}, with the test behind each verdict",
            mixing.with_columns(
                pl.struct("group_a", "group_b")
                .map_elements(
                    lambda s: (
                        f"{group_phrase(params.group_by, s['group_a'])} – "
                        f"{group_phrase(params.group_by, s['group_b'])}"
                    ),
                    return_dtype=pl.String,
                )
                .alias("pair")
            ),
            ["pair", "observed", "expected", "ci_low", "ci_high", "q_value", "verdict"],
            ["Groups", "ties", "expected", "chance range from", "to", "q", "verdict"],
        ),
        _table(
            f"E-I index by {params.group_by}",
            t["ei_index"].filter(pl.col("grouping") == params.group_by),
            ["group", "actors", "internal", "external", "ei"],
            ["Group", "actors", "ties inside", "ties outside", "E-I index"],
        ),
        _table(
            "Unreached actors: no route to any support organisation",
            t["support_distance"].filter(~pl.col("reached")).sort("name"),
            ["name", "kind"],
            ["Actor", "kind"],
        ),
        _table(
            "The actors furthest from support",
            t["support_distance"]
            .filter(pl.col("reached"))
            .sort("hops", "name", descending=[True, False]),
            ["name", "kind", "hops", "nearest_support_name"],
            ["Actor", "kind", "steps to support", "nearest support organisation"],
            limit=20,
        ),
        _table(
            "Brokers",
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
            [
                "Actor",
                "ties",
                "betweenness",
                "constraint",
                "liaison roles",
                "gatekeeper / representative roles",
                "cut point",
            ],
            limit=params.top,
        ),
        _table(
            "What removing one actor would do",
            t["fragility"],
            [
                "name",
                "kind",
                "is_articulation_point",
                "components_after",
                "lost_support",
                "lost_support_names",
                "efficiency_drop",
            ],
            [
                "Without",
                "kind",
                "cut point",
                "parts after",
                "lose support",
                "who",
                "efficiency drop",
            ],
        ),
        _table(
            f"Bridges ({t['bridges'].height:,}): ties whose loss splits the network",
            t["bridges"],
            ["name_a", "name_b", "kinds"],
            ["Actor", "Actor", "kind of tie"],
            limit=20,
        ),
        _table(
            "Activities that ended or end soon",
            analysis.ended,
            ["name", "end_date", "status"],
            ["Activity", "ends", "status"],
            limit=25,
        ),
        _table(
            "Ties at risk: they end with an activity and nothing else holds the pair",
            t["at_risk_ties"].filter(pl.col("at_risk")).sort("end_date", "name_a"),
            ["name_a", "name_b", "activity_name", "end_date", "status"],
            ["Actor", "Actor", "activity", "ends", "status"],
            limit=30,
        ),
        _table(
            "Strength areas",
            t["coverage_flags"],
            ["area_name", "actors", "academia", "industry", "support", "flags"],
            ["Strength area", "actors", "academia", "industry", "support", "missing"],
        ),
        _table(
            "The network year by year",
            t["network_by_year"],
            [
                "year",
                "actors_active",
                "ties",
                "components",
                "largest_component_share",
                "new_pairs",
                "ended_pairs",
            ],
            [
                "year",
                "active actors",
                "tied pairs",
                "parts",
                "largest part's share",
                "new pairs",
                "ended pairs",
            ],
        ),
    ]


def render_report(
    analysis: Analysis,
    *,
    sources: pl.DataFrame,
    stats: pl.DataFrame,
    database: str,
    area_names: Mapping[str, str] | None = None,
    appendix: bool = True,
    generated: datetime | None = None,
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
    """
    G = analysis.graph
    params = analysis.params
    data_rows = stats.filter(pl.col("table_name") != "sources")
    total = int(data_rows["rows"].sum())
    synthetic = int(data_rows["synthetic"].sum())
    unsourced = int(data_rows["unsourced"].sum())
    findings = build_findings(analysis)
    picture: Picture = network_picture(
        G, analysis.tables["actor_metrics"], gaps=_gap_marks(analysis, findings)
    )
    made = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    parts = nx.number_connected_components(G) if analysis.actors else 0
    labels = TEXTS["cards"]
    cards = list(
        zip(
            labels,
            (
                people_number(analysis.actors),
                people_number(analysis.ties),
                people_number(parts),
                people_number(unsourced),
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
        "t": TEXTS,
        "meta": TEXTS["meta"].format(
            generated=made, database=database, as_of=long_date(params.today)
        ),
        "filter_text": describe_filter(params.filter, area_names),
        # synthetic data as the filtered network holds it (graph.analysis.summary), or only
        # that it was excluded
        "synthetic_note": " ".join(
            synthetic_lines(
                G,
                synthetic_included=params.filter.synthetic,
                excluded=analysis.excluded_synthetic,
                switch_off=TEXTS["synthetic_switch"],
            )
        ),
        "cards": cards,
        "findings": findings,
        "picture": picture,
        "diagnosis": _diagnosis_rows(analysis) if analysis.actors else [],
        "glossary": GLOSSARY,
        "heat": _heatmap(analysis.tables["group_mixing"], params.group_by),
        "tables": _appendix_tables(analysis),
        "sources": source_rows,
        "sources_intro": TEXTS["sources_intro"].format(
            sourced=f"{total - synthetic - unsourced:,}",
            synthetic=f"{synthetic:,}",
            unsourced=f"{unsourced:,}",
        )
        if params.filter.synthetic
        else TEXTS["sources_sourced_only"].format(unsourced=f"{unsourced:,}"),
    }
    html = _TEMPLATES.get_template("report.html.j2").render(**context)
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
            TEXTS["pdf_missing"].format(names=", ".join(CHROMIUM_NAMES), html=html_path)
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
            raise PdfUnavailableError(TEXTS["pdf_failed"].format(reason=exc)) from exc
    if done.returncode != 0 or not pdf_path.exists():
        reason = f"exit status {done.returncode}"
        raise PdfUnavailableError(TEXTS["pdf_failed"].format(reason=reason))
    return pdf_path
