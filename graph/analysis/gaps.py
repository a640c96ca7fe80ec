"""The gap analysis: every analysis of one filtered network, its results tables and a summary
in plain words for a regional strategist.

``run_analysis`` builds the graph once and computes actor metrics, group mixing and E-I indices
for every grouping, support distance, brokerage roles, fragility and bridges, strength-area
coverage, the network per year and ties at risk. ``write_results`` stores each as its own table
(with the parameters and time it was computed) so SQL can use them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import networkx as nx
import polars as pl

from graph.analysis.brokerage import brokerage_roles
from graph.analysis.coverage import coverage, coverage_flags
from graph.analysis.fragility import bridges_frame, fragility
from graph.analysis.metrics import MetricsParams, actor_metrics
from graph.analysis.mixing import GROUPINGS, ei_index, group_mixing, memberships, primary_groups
from graph.analysis.network import GraphFilter, build_graph, load_actors, load_ties
from graph.analysis.support import DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS, support_distance
from graph.analysis.timeline import at_risk_ties, ended_activities, network_by_year
from graph.store.cache import analysis_key, data_fingerprint, load_tables, store_tables
from graph.store.database import data_version, read_table, run, transaction

__all__ = [
    "ANALYSIS_STEPS",
    "RESULT_TABLES",
    "Analysis",
    "AnalysisParams",
    "run_analysis",
    "store_analysis",
    "write_results",
]

RESULT_TABLES = (
    "actor_metrics",
    "group_mixing",
    "ei_index",
    "support_distance",
    "brokerage",
    "fragility",
    "bridges",
    "coverage",
    "coverage_flags",
    "network_by_year",
    "at_risk_ties",
)
Progress = Callable[[str], None]
ANALYSIS_STEPS = 8  # calls of progress() in run_analysis


@dataclass(frozen=True)
class AnalysisParams:
    """Everything an analysis depends on besides the data (recorded with every result)."""

    filter: GraphFilter = field(default_factory=GraphFilter)
    group_by: str = "helix"
    metrics: MetricsParams = field(default_factory=MetricsParams)
    as_of: date | None = None  # None: today
    months_ahead: int = 12
    months_back: int = 36
    top: int = 10
    targets: tuple[str, ...] = DEFAULT_TARGET_KINDS
    support: tuple[str, ...] = DEFAULT_SUPPORT_KINDS

    @property
    def today(self) -> date:
        return self.as_of or date.today()

    def to_params(self) -> dict[str, Any]:
        out = asdict(self)
        out["filter"] = self.filter.to_params()
        out["as_of"] = self.today.isoformat()
        out["targets"], out["support"] = list(self.targets), list(self.support)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_params(), sort_keys=True, ensure_ascii=False)


@dataclass
class Analysis:
    """The results of one analysis run."""

    params: AnalysisParams
    tables: dict[str, pl.DataFrame]
    graph: nx.Graph
    ended: pl.DataFrame
    seconds: float = 0.0
    cached: bool = False  # the tables came from graph.store.cache, not a new computation
    _summaries: dict[int, list[str]] = field(default_factory=dict, repr=False)

    @property
    def actors(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def ties(self) -> int:
        return self.graph.number_of_edges()

    def summary_lines(self, top: int = 5) -> list[str]:
        """What a strategist needs to read first, in plain words (made once per ``top``: it
        walks the whole network, seconds at national size)."""
        if top not in self._summaries:
            self._summaries[top] = _summary(self, top)
        return list(self._summaries[top])


def _years(ties: pl.DataFrame, params: AnalysisParams) -> list[int]:
    flt = params.filter
    if flt.start and flt.end:
        return list(range(flt.start.year, flt.end.year + 1))
    starts = ties["start_date"].drop_nulls()
    first = flt.start.year if flt.start else (starts.min().year if len(starts) else None)  # type: ignore[union-attr]
    last = flt.end.year if flt.end else params.today.year
    if first is None:
        return [last]
    first = max(first, last - 15)
    return list(range(first, last + 1))


@dataclass(frozen=True)
class _Inputs:
    actors: pl.DataFrame
    ties: pl.DataFrame
    graph: nx.Graph
    activities: pl.DataFrame
    areas: pl.DataFrame
    ended: pl.DataFrame


def _inputs(
    con: duckdb.DuckDBPyConnection, params: AnalysisParams, graph: nx.Graph | None = None
) -> _Inputs:
    """The network and the tables every analysis reads (also needed for a cached result)."""
    actors = load_actors(con, params.filter).with_columns(
        pl.col("kind").is_in(list(params.support)).alias("support"),
        pl.col("kind").is_in(list(params.targets)).alias("target"),
    )
    ties = load_ties(con, params.filter, actors)
    activities = read_table(con, "activities")
    synthetic_sources = read_table(con, "sources").filter(pl.col("synthetic"))["source_id"]
    ended = ended_activities(
        activities,
        params.today,
        months_back=params.months_back,
        months_ahead=params.months_ahead,
    ).join(
        activities.select(
            "activity_id", pl.col("source_id").is_in(synthetic_sources.implode()).alias("synthetic")
        ),
        on="activity_id",
        how="left",
    )
    G = graph if graph is not None else build_graph(actors, ties)
    return _Inputs(actors, ties, G, activities, read_table(con, "strength_areas"), ended)


def run_analysis(
    con: duckdb.DuckDBPyConnection,
    params: AnalysisParams | None = None,
    progress: Progress | None = None,
    *,
    cache: bool = False,
    store: bool = False,
    graph: nx.Graph | None = None,
) -> Analysis:
    """Compute every analysis on the network that ``params.filter`` selects.

    With ``cache`` a result stored for the same data and parameters (``graph.store.cache``) is
    reused
    (only the network is rebuilt); with ``store`` a fresh result is stored (the connection must
    be writable). ``graph`` is the network already built for the same filter with the default
    support and target kinds (``load_graph``), to save building it again.
    """
    params = params or AnalysisParams()
    say = progress or (lambda _step: None)
    started = time.perf_counter()
    say("building the network")
    default_sets = (params.support, params.targets) == (DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS)
    inputs = _inputs(con, params, graph if default_sets else None)
    key = analysis_key(data_fingerprint(con), params.to_json()) if cache or store else ""
    cached = load_tables(con, key) if cache else None
    if cached is not None and set(cached) == set(RESULT_TABLES):
        for _ in range(ANALYSIS_STEPS - 1):
            say("cached result")
        return Analysis(
            params, cached, inputs.graph, inputs.ended, time.perf_counter() - started, cached=True
        )
    tables = _compute(inputs, params, say)
    if store:
        store_tables(con, key, tables, params.to_json())
    return Analysis(params, tables, inputs.graph, inputs.ended, time.perf_counter() - started)


def _compute(inputs: _Inputs, params: AnalysisParams, say: Progress) -> dict[str, pl.DataFrame]:
    G, actors, ties = inputs.graph, inputs.actors, inputs.ties
    tables: dict[str, pl.DataFrame] = {}
    say("actor metrics")
    metrics = actor_metrics(G, params.metrics)
    tables["actor_metrics"] = metrics
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    say("group mixing")
    mixing = []
    ei = []
    for grouping in GROUPINGS:
        members = memberships(G, grouping, community)
        mix = group_mixing(G, grouping, community)
        mixing.append(mix)
        ei.append(ei_index(mix, members))
    tables["group_mixing"] = pl.concat(mixing)
    tables["ei_index"] = pl.concat(ei)
    say("support distance")
    tables["support_distance"] = support_distance(G, targets=params.targets, support=params.support)
    say("brokerage")
    groups = primary_groups(G, params.group_by, community)
    tables["brokerage"] = brokerage_roles(G, groups).with_columns(
        pl.lit(params.group_by).alias("grouping")
    )
    say("fragility")
    betweenness = dict(zip(metrics["actor_id"], metrics["betweenness"], strict=True))
    tables["fragility"] = fragility(
        G,
        top=params.top,
        betweenness=betweenness,
        exact_limit=params.metrics.exact_limit,
        pivots=params.metrics.samples,
        seed=params.metrics.seed,
    )
    tables["bridges"] = bridges_frame(G)
    say("coverage")
    tables["coverage"] = coverage(G, inputs.areas)
    tables["coverage_flags"] = coverage_flags(G, inputs.areas)
    say("time")
    tables["network_by_year"] = network_by_year(actors, ties, _years(ties, params))
    tables["at_risk_ties"] = at_risk_ties(
        ties,
        inputs.activities,
        actors,
        as_of=params.today,
        months_ahead=params.months_ahead,
        months_back=params.months_back,
    )
    return tables


def store_analysis(con: duckdb.DuckDBPyConnection, analysis: Analysis) -> None:
    """Keep a computed analysis in the cache of a writable database (see ``graph.store.cache``)."""
    params_json = analysis.params.to_json()
    store_tables(
        con, analysis_key(data_fingerprint(con), params_json), analysis.tables, params_json
    )


def write_results(con: duckdb.DuckDBPyConnection, analysis: Analysis) -> None:
    """Replace the results tables with this analysis, in one transaction."""
    stamp = datetime.now(UTC).replace(tzinfo=None)
    params = analysis.params.to_json()
    with transaction(con):
        for name in RESULT_TABLES:
            frame = analysis.tables[name].with_columns(
                pl.lit(params).alias("params"), pl.lit(stamp).alias("computed_at")
            )
            run(con, f"DELETE FROM {name}")
            con.register("_result", frame)
            try:
                run(con, f"INSERT INTO {name} BY NAME SELECT * FROM _result")
            finally:
                con.unregister("_result")
        run(
            con,
            "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?)",
            [
                stamp,
                data_version(con),
                params,
                analysis.seconds,
                "\n".join(analysis.summary_lines()),
            ],
        )


def _names(values: list[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … and {len(values) - limit} more" if len(values) > limit else "")


def _summary(a: Analysis, top: int) -> list[str]:
    t = a.tables
    G = a.graph
    lines: list[str] = []
    n, m = a.actors, a.ties
    components = nx.number_connected_components(G) if n else 0
    largest = max((len(c) for c in nx.connected_components(G)), default=0)
    share = f"{largest / n:.0%}" if n else "0%"
    lines.append(
        f"Network: {n} actors and {m} ties in {components} separate parts "
        f"(the largest holds {share} of the actors)."
    )
    synthetic = sum(1 for _, d in G.nodes(data=True) if d.get("synthetic"))
    if synthetic:
        lines.append(
            f"Synthetic: {synthetic} of {n} actors are synthetic demo data, not facts "
            "(switch them off with --no-synthetic)."
        )
    placeholder = ["(unknown)", "(none)"]
    mix = (
        t["group_mixing"]
        .filter(
            (pl.col("grouping") == a.params.group_by)
            & (pl.col("group_a") != pl.col("group_b"))
            & (pl.col("expected") >= 2)
            & ~pl.col("group_a").is_in(placeholder)
            & ~pl.col("group_b").is_in(placeholder)
        )
        .sort("ratio")
        .head(top)
    )
    if mix.height:
        lines.append(
            f"Gaps by {a.params.group_by} (group pairs with the fewest ties against "
            "what their activity predicts):"
        )
        for r in mix.iter_rows(named=True):
            lines.append(
                f"  {r['group_a']} – {r['group_b']}: {r['observed']:.0f} ties where "
                f"{r['expected']:.1f} were expected ({r['ratio']:.2f}×)"
            )
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
    names = pl.DataFrame(
        {"actor_id": list(G), "name": [d.get("name") for _, d in G.nodes(data=True)]},
        schema={"actor_id": pl.String, "name": pl.String},
    )
    metrics = t["actor_metrics"].join(names, on="actor_id")
    brokers = metrics.sort("betweenness", descending=True).head(top)
    if brokers.height and brokers["betweenness"][0]:
        lines.append("Critical brokers (most shortest paths run through them):")
        for r in brokers.iter_rows(named=True):
            cut = ", a cut point" if r["is_articulation_point"] else ""
            lines.append(f"  {r['name']}: betweenness {r['betweenness']:.3f}{cut}")
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
    risk = t["at_risk_ties"]
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
    flags = t["coverage_flags"].filter(pl.col("flags") != "")
    for r in flags.iter_rows(named=True):
        lines.append(f"Strength area {r['area_name']}: {r['flags']}.")
    return lines
