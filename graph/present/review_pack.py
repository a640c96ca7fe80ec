"""The review pack: for the half-yearly review of each strength area's action plan, what changed
since the last review, board-ready, in one self-contained HTML file (no scripts, no network).

Per strength area, findings first: what changed since the snapshot (actors, ties, indicators),
gaps closed and opened, activities started and ended, ties at risk in the next half year, the
helix mix, partner suggestions for the area's clusters; then the cluster view for the
evaluation: each cluster's indicators over every wave as small trend charts. Rendered with a
Jinja2 template with autoescape on, so every text from the data is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import polars as pl
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from graph.analysis.gaps import AnalysisParams
from graph.analysis.network import GraphFilter, build_graph, load_actors, load_ties
from graph.analysis.partners import suggest_partners
from graph.analysis.summary import group_name
from graph.history.snapshots import Wave, list_snapshots, resolve_wave
from graph.history.travel import time_travel
from graph.i18n import N_, NC_, Translator, translator, use_language
from graph.present.changes import WaveComparison, compare_waves
from graph.present.svg import people_number
from graph.store.database import read_table

__all__ = [
    "TEXTS",
    "AreaPack",
    "ClusterTrend",
    "ReviewPack",
    "build_review_pack",
    "cluster_trends",
    "render_review_pack",
    "trend_svg",
    "write_review_pack",
]

# The texts the code fills in; the headings and fixed sentences are in the template
# (review_pack.html.j2, ``_("…")``), the same catalogue.
TEXTS: dict[str, str] = {
    "started": NC_("activity event", "started"),
    "ended": NC_("activity event", "ended"),
    "made_at": N_("{date} {time}"),
    "members": NC_("cluster indicator", "members"),
    "partners": NC_("cluster indicator", "partners"),
    "cross_helix": NC_("cluster indicator", "partners of another helix"),
    "new_partners": NC_("cluster indicator", "new partners since the wave before"),
    "outside_region": NC_("cluster indicator", "partners outside the cluster's region"),
    "support_hops": NC_("cluster indicator", "hops to the nearest support actor"),
    "no_area": N_("no strength area '{area}' (areas: {areas})"),
    "none": NC_("no strength areas", "none"),
}
TREND_INDICATORS = (
    "members",
    "partners",
    "cross_helix",
    "new_partners",
    "outside_region",
    "support_hops",
)
SUGGESTIONS_PER_CLUSTER = 3
CLUSTERS_PER_AREA = 8


@dataclass(frozen=True)
class ClusterTrend:
    """One cluster's indicators at each wave (None where the cluster did not exist yet)."""

    actor_id: str
    name: str
    waves: list[str]
    series: dict[str, list[float | None]]


@dataclass
class AreaPack:
    area_id: str
    name: str
    comparison: WaveComparison
    findings: list[str]
    activities: list[dict[str, Any]]
    at_risk: list[dict[str, Any]]
    helix_mix: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]
    clusters: list[ClusterTrend] = field(default_factory=list)
    actors_added: list[str] = field(default_factory=list)  # names
    actors_removed: list[str] = field(default_factory=list)


@dataclass
class ReviewPack:
    since: Wave
    until: Wave
    areas: list[AreaPack]
    wave_labels: list[str]
    database: str
    synthetic: bool
    gap_rule: str
    made: str


def _waves(con: duckdb.DuckDBPyConnection, until: Wave) -> list[Wave]:
    """Every snapshot up to ``until``, then ``until`` itself (unless it is the last one)."""
    snaps = list_snapshots(con).filter(pl.col("change_id") <= until.change_id)
    out = [resolve_wave(con, name) for name in snaps["name"].to_list()]
    if not out or out[-1].change_id != until.change_id:
        out.append(until)
    return out


def cluster_trends(
    con: duckdb.DuckDBPyConnection, clusters: list[str], waves: list[Wave]
) -> list[ClusterTrend]:
    """The cluster view: for each cluster and wave its members (actors with a membership tie),
    partners, partners of another helix, new partners since the wave before, partners outside
    its region, and hops to the nearest support actor (None: no path)."""
    per_wave: list[dict[str, dict[str, float | None]]] = []
    names: dict[str, str] = {}
    previous: dict[str, set[str]] = {}
    for w in waves:
        with time_travel(con, w.change_id):
            actors = load_actors(con)
            ties = load_ties(con, actors=actors)
        names.update(zip(actors["actor_id"], actors["name"], strict=True))
        info = {r["actor_id"]: r for r in actors.iter_rows(named=True)}
        G = nx.Graph()
        G.add_nodes_from(info)
        G.add_edges_from(ties.select("actor_a", "actor_b").iter_rows())
        support = [v for v, r in info.items() if r["support"]]
        hops = nx.multi_source_dijkstra_path_length(G, support) if support else {}
        members = ties.filter(pl.col("kind") == "membership")
        values: dict[str, dict[str, float | None]] = {}
        for c in clusters:
            if c not in info:
                continue
            partners = set(G[c])
            mine = members.filter((pl.col("actor_a") == c) | (pl.col("actor_b") == c))
            helix, region = info[c]["helix"], info[c]["region"]
            values[c] = {
                "members": float(len(set(mine["actor_a"]) | set(mine["actor_b"]) - {c})),
                "partners": float(len(partners)),
                "cross_helix": float(
                    sum(1 for p in partners if info[p]["helix"] and info[p]["helix"] != helix)
                ),
                "new_partners": float(len(partners - previous.get(c, set()))),
                "outside_region": float(
                    sum(1 for p in partners if info[p]["region"] and info[p]["region"] != region)
                ),
                "support_hops": float(hops[c]) if c in hops else None,
            }
            previous[c] = partners
        per_wave.append(values)
    labels = [w.spec for w in waves]
    return [
        ClusterTrend(
            c,
            names.get(c, c),
            labels,
            {
                k: [wave_values.get(c, {}).get(k) for wave_values in per_wave]
                for k in TREND_INDICATORS
            },
        )
        for c in clusters
    ]


def trend_svg(
    values: list[float | None], labels: list[str], width: int = 230, *, lang: str | None = None
) -> Markup:
    """A small line chart with a dot and value per wave (gaps where a value is missing), its
    numbers written as ``lang`` writes them."""
    height, pad = 90, 18
    known = [v for v in values if v is not None]
    top = max(known, default=1.0) or 1.0
    n = len(values)
    xs = [pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * (v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#c8ced8"/>',
    ]
    points = [(xs[i], y(v)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#4c78a8" stroke-width="2"/>')
    for i, v in enumerate(values):
        if v is None:
            continue
        parts.append(f'<circle cx="{xs[i]:.1f}" cy="{y(v):.1f}" r="3" fill="#4c78a8"/>')
        parts.append(
            f'<text x="{xs[i]:.1f}" y="{y(v) - 6:.1f}" font-size="10" text-anchor="middle">'
            f"{escape(people_number(v, lang))}</text>"
        )
        parts.append(
            f'<text x="{xs[i]:.1f}" y="{height - 4}" font-size="9" text-anchor="middle" '
            f'fill="#5b6575">{escape(labels[i][:14])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _activities(
    con: duckdb.DuckDBPyConnection, result: WaveComparison, since: date, until: date
) -> list[dict[str, Any]]:
    """Activities of the area's actors (in the later wave) that started or ended in the period
    by their own dates."""
    ids = result.after.ties["activity_id"].drop_nulls().unique()
    with time_travel(con, result.after.wave.change_id):
        activities = read_table(con, "activities").filter(
            pl.col("activity_id").is_in(ids.implode())
        )
    rows = []
    for r in activities.sort("start_date", "activity_id", nulls_last=True).iter_rows(named=True):
        for event, day in (("started", r["start_date"]), ("ended", r["end_date"])):
            if day is not None and since < day <= until:
                rows.append({**r, "event": translator().pgettext("activity event", TEXTS[event])})
    return rows


def _suggestions(result: WaveComparison, clusters: list[str]) -> list[dict[str, Any]]:
    state = result.after
    G = (
        state.analysis.graph
        if state.analysis is not None
        else build_graph(state.actors, state.ties)
    )
    names = dict(zip(state.actors["actor_id"], state.actors["name"], strict=True))
    rows = []
    for c in clusters:
        if c not in G:
            continue
        found = suggest_partners(G, c, top=SUGGESTIONS_PER_CLUSTER)
        for r in found.iter_rows(named=True):
            rows.append(
                {"cluster": names.get(c, c), "name": r["name"], "explanation": r["explanation"]}
            )
    return rows


def build_review_pack(
    con: duckdb.DuckDBPyConnection,
    since: Wave,
    until: Wave,
    *,
    areas: list[str] | None = None,
    synthetic: bool = True,
    database: str = "",
    lang: str | None = None,
) -> ReviewPack:
    """Everything the review pack shows, per strength area (all areas, or ``areas``), its
    sentences in ``lang`` (None: the language in force)."""
    t = translator(lang)
    with use_language(t.lang):  # the comparisons' sentences speak it too
        return _build(con, since, until, areas, synthetic, database, t)


def _build(
    con: duckdb.DuckDBPyConnection,
    since: Wave,
    until: Wave,
    areas: list[str] | None,
    synthetic: bool,
    database: str,
    t: Translator,
) -> ReviewPack:
    area_table = read_table(con, "strength_areas")
    chosen = areas or area_table["area_id"].to_list()
    area_names = dict(zip(area_table["area_id"], area_table["name"], strict=True))
    waves = _waves(con, until)
    since_day = since.recorded_at.date() if since.recorded_at else date.min
    until_day = until.recorded_at.date() if until.recorded_at else date.today()
    params = AnalysisParams(as_of=until_day, months_ahead=6)
    packs = []
    gap_rule = ""
    any_synthetic = False
    for area in chosen:
        flt = GraphFilter(areas=(area,), synthetic=synthetic)
        result = compare_waves(con, since, until, flt, params)
        gap_rule = result.gap_rule or gap_rule
        after = result.after
        any_synthetic = any_synthetic or bool(after.actors["synthetic"].any())
        clusters = (
            after.actors.filter(pl.col("kind") == "cluster")["actor_id"]
            .head(CLUSTERS_PER_AREA)
            .to_list()
        )
        helix = (
            pl.concat(
                [
                    result.before.actors.select(
                        pl.col("helix").fill_null("(unknown)"), pl.lit("before").alias("w")
                    ),
                    after.actors.select(
                        pl.col("helix").fill_null("(unknown)"), pl.lit("after").alias("w")
                    ),
                ]
            )
            .group_by("helix", "w")
            .len()
            .pivot(on="w", index="helix", values="len")
            .fill_null(0)
        )
        for col in ("before", "after"):
            if col not in helix.columns:
                helix = helix.with_columns(pl.lit(0).alias(col))
        risk = (
            after.analysis.tables["at_risk_ties"].filter(
                pl.col("at_risk") & (pl.col("status") == "ending")
            )
            if after.analysis is not None
            else pl.DataFrame()
        )
        names = dict(zip(after.actors["actor_id"], after.actors["name"], strict=True))
        names.update(
            zip(result.before.actors["actor_id"], result.before.actors["name"], strict=True)
        )
        packs.append(
            AreaPack(
                area_id=area,
                name=area_names.get(area, area),
                comparison=result,
                findings=result.summary_lines(),
                activities=_activities(con, result, since_day, until_day),
                at_risk=risk.to_dicts() if risk.height else [],
                helix_mix=helix.sort("helix").to_dicts(),
                suggestions=_suggestions(result, clusters),
                clusters=cluster_trends(con, clusters, waves),
                actors_added=[names.get(i, i) for i in result.diff.actors_added],
                actors_removed=[names.get(i, i) for i in result.diff.actors_removed],
            )
        )
    return ReviewPack(
        since=since,
        until=until,
        areas=packs,
        wave_labels=[w.spec for w in waves],
        database=database,
        synthetic=any_synthetic,
        gap_rule=gap_rule,
        made=_made(datetime.now(UTC), t),
    )


def _made(when: datetime, t: Translator) -> str:
    if t.lang == "en":
        return when.strftime("%Y-%m-%d %H:%M")
    return t.gettext(TEXTS["made_at"]).format(date=t.date(when), time=when.strftime("%H:%M"))


@cache
def _environment(lang: str) -> Environment:
    """An environment whose template ``_()`` speaks ``lang`` (one per language)."""
    env = Environment(
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    t = translator(lang)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.gettext, t.ngettext, newstyle=True, pgettext=t.pgettext, npgettext=t.npgettext
    )
    env.filters["day"] = lambda d: "" if d is None else (str(d) if lang == "en" else t.date(d))
    return env


def render_review_pack(pack: ReviewPack, *, lang: str | None = None) -> str:
    """The review pack as one HTML page (every text from the data escaped by Jinja2), in
    ``lang`` (None: the language in force), ``<html lang>`` included."""
    t = translator(lang)
    template = (
        resources.files("graph.present")
        .joinpath("templates/review_pack.html.j2")
        .read_text(encoding="utf-8")
    )
    areas = []
    for a in pack.areas:
        charts = [
            {
                "name": c.name,
                "charts": [
                    {
                        "label": t.pgettext("cluster indicator", TEXTS[k]),
                        "svg": trend_svg(c.series[k], c.waves, lang=t.lang),
                    }
                    for k in TREND_INDICATORS
                ],
            }
            for c in a.clusters
        ]
        areas.append(
            {
                "name": a.name,
                "findings": a.findings,
                "gaps_closed": a.comparison.gaps_closed,
                "gaps_opened": a.comparison.gaps_opened,
                "indicators": a.comparison.indicators,
                "helix_mix": [
                    {**r, "helix": group_name("helix", str(r["helix"]), t.lang)}
                    for r in a.helix_mix
                ],
                "activities": a.activities,
                "at_risk": a.at_risk,
                "suggestions": a.suggestions,
                "actors_added": a.actors_added,
                "actors_removed": a.actors_removed,
                "clusters": charts,
            }
        )
    view = {**pack.__dict__, "areas": areas}
    return _environment(t.lang).from_string(template).render(pack=view, lang=t.lang)


def write_review_pack(path: Path, html: str) -> Path:
    """Write the pack (UTF-8) and return the path."""
    path.write_text(html, encoding="utf-8")
    return path
