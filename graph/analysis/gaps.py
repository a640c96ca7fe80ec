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
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import networkx as nx
import polars as pl

from graph.analysis import summary
from graph.analysis.brokerage import brokerage_roles
from graph.analysis.coverage import coverage, coverage_flags
from graph.analysis.diagnosis import DiagnosisParams, diagnose
from graph.analysis.fragility import bridges_frame, fragility
from graph.analysis.metrics import MetricsParams, actor_metrics
from graph.analysis.mixing import GROUPINGS, ei_index, memberships, primary_groups
from graph.analysis.network import GraphFilter, build_graph, load_actors, load_ties
from graph.analysis.significance import NullModelParams, mixing_significance
from graph.analysis.support import DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS, support_distance
from graph.analysis.timeline import at_risk_ties, ended_activities, network_by_year
from graph.i18n import NC_, translator
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

# the steps of an analysis, as a progress bar names them (``ANALYSIS_STEPS`` of them)
STEP_LABELS = {
    "building": NC_("analysis step", "building the network"),
    "cached": NC_("analysis step", "cached result"),
    "metrics": NC_("analysis step", "actor metrics"),
    "mixing": NC_("analysis step", "group mixing against random networks"),
    "support": NC_("analysis step", "support distance"),
    "brokerage": NC_("analysis step", "brokerage"),
    "fragility": NC_("analysis step", "fragility"),
    "coverage": NC_("analysis step", "coverage"),
    "time": NC_("analysis step", "time"),
    "diagnosis": NC_("analysis step", "diagnosis"),
}

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
    "diagnosis",
)
Progress = Callable[[str], None]
ANALYSIS_STEPS = 9  # calls of progress() in run_analysis


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
    null: NullModelParams = field(default_factory=NullModelParams)
    diagnosis: DiagnosisParams = field(default_factory=DiagnosisParams)

    @property
    def today(self) -> date:
        return self.as_of or date.today()

    def to_params(self) -> dict[str, Any]:
        out = asdict(self)
        out["filter"] = self.filter.to_params()
        out["as_of"] = self.today.isoformat()
        out["targets"], out["support"] = list(self.targets), list(self.support)
        out["null"] = self.null.to_params()
        out["diagnosis"] = self.diagnosis.to_params()
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
    # synthetic actors the filter left out (synthetic=False) that would pass it otherwise
    excluded_synthetic: int = 0
    _summaries: dict[tuple[int, str, str], list[str]] = field(default_factory=dict, repr=False)

    @property
    def actors(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def ties(self) -> int:
        return self.graph.number_of_edges()

    def summary_lines(
        self, top: int = 5, switch_off: str = summary.CLI_SWITCH, *, lang: str | None = None
    ) -> list[str]:
        """What a strategist needs to read first, in plain words (``graph.analysis.summary``;
        made once per ``top`` and language: it walks the whole network, seconds at national
        size). ``switch_off`` says how to switch synthetic data off where it is shown; ``lang``
        None is the language in force."""
        key = (top, switch_off, translator(lang).lang)
        if key not in self._summaries:
            self._summaries[key] = summary.summary_lines(self, top, switch_off, lang=key[2])
        return list(self._summaries[key])


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
    excluded_synthetic: int


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
    if not params.filter.synthetic:  # made-up activities are excluded with the rest
        ended = ended.filter(~pl.col("synthetic").fill_null(False))
    G = graph if graph is not None else build_graph(actors, ties)
    excluded = (
        0
        if params.filter.synthetic
        else load_actors(con, replace(params.filter, synthetic=True))["synthetic"].sum()
    )
    return _Inputs(
        actors, ties, G, activities, read_table(con, "strength_areas"), ended, int(excluded)
    )


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
    t = translator()

    def say(step: str) -> None:  # the progress bar's label of each step, in the language in force
        if progress is not None:
            progress(t.pgettext("analysis step", STEP_LABELS[step]))

    started = time.perf_counter()
    say("building")
    default_sets = (params.support, params.targets) == (DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS)
    inputs = _inputs(con, params, graph if default_sets else None)
    key = analysis_key(data_fingerprint(con), params.to_json()) if cache or store else ""
    cached = load_tables(con, key) if cache else None
    if cached is not None and set(cached) == set(RESULT_TABLES):
        for _ in range(ANALYSIS_STEPS - 1):
            say("cached")
        return Analysis(
            params,
            cached,
            inputs.graph,
            inputs.ended,
            time.perf_counter() - started,
            cached=True,
            excluded_synthetic=inputs.excluded_synthetic,
        )
    tables = _compute(inputs, params, say)
    if store:
        store_tables(con, key, tables, params.to_json())
    return Analysis(
        params,
        tables,
        inputs.graph,
        inputs.ended,
        time.perf_counter() - started,
        excluded_synthetic=inputs.excluded_synthetic,
    )


def _compute(inputs: _Inputs, params: AnalysisParams, say: Progress) -> dict[str, pl.DataFrame]:
    G, actors, ties = inputs.graph, inputs.actors, inputs.ties
    tables: dict[str, pl.DataFrame] = {}
    say("metrics")
    metrics = actor_metrics(G, params.metrics)
    tables["actor_metrics"] = metrics
    community = dict(zip(metrics["actor_id"], metrics["community"], strict=True))
    say("mixing")
    mixing = mixing_significance(G, GROUPINGS, community, params.null)
    tables["group_mixing"] = mixing
    tables["ei_index"] = pl.concat(
        [
            ei_index(mixing.filter(pl.col("grouping") == g), memberships(G, g, community))
            for g in GROUPINGS
        ]
    )
    say("support")
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
    say("diagnosis")
    tables["diagnosis"] = diagnose(
        G,
        inputs.areas,
        DiagnosisParams(
            home_region=params.diagnosis.home_region,
            networks=params.diagnosis.networks,
            seed=params.diagnosis.seed,
            min_actors=params.diagnosis.min_actors,
            support=params.support,
            targets=params.targets,
        ),
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
                # stored as data, in English like the rest of the database
                "\n".join(analysis.summary_lines(lang="en")),
            ],
        )
