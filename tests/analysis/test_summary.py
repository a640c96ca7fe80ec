"""The plain-words summary says only what holds on the data and the filter in force."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.analysis.network import GraphFilter
from graph.analysis.summary import broker_lines, gap_lines
from graph.datasets.bootstrap import init_database
from graph.store.database import connect, read_table
from graph.store.stats import dataset_stats

AS_OF = date(2025, 1, 1)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "demo.duckdb"
    init_database(path)
    return path


def _analysis(path: Path, flt: GraphFilter):  # type: ignore[no-untyped-def]
    con = connect(path, read_only=True)
    try:
        return run_analysis(con, AnalysisParams(filter=flt, as_of=AS_OF))
    finally:
        con.close()


def test_synthetic_off_says_only_that_it_was_excluded(demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    try:
        synthetic_actors = con.sql(
            "SELECT count(*) FROM actors a JOIN sources s USING (source_id) WHERE s.synthetic"
        ).fetchall()[0][0]
    finally:
        con.close()
    lines = _analysis(demo_db, GraphFilter(synthetic=False)).summary_lines()
    about = [line for line in lines if "ynthetic" in line]
    assert about == [f"Synthetic demo data excluded ({synthetic_actors} actors)."]
    assert not [line for line in lines if re.search(r"\d+%.*synthetic", line)]


def test_synthetic_share_is_of_the_filtered_network(demo_db: Path) -> None:
    analysis = _analysis(demo_db, GraphFilter(kinds=("cluster", "company")))
    G = analysis.graph
    synthetic = sum(1 for _, d in G.nodes(data=True) if d["synthetic"])
    line = next(line for line in analysis.summary_lines() if line.startswith("Synthetic:"))
    assert line.startswith(f"Synthetic: {synthetic} of {G.number_of_nodes()} actors")


def test_listed_gaps_are_significant_and_brokers_positive(demo_db: Path) -> None:
    analysis = _analysis(demo_db, GraphFilter())
    lines = analysis.summary_lines(top=10)
    mix = analysis.tables["group_mixing"].filter(pl.col("grouping") == "helix")
    gaps = {  # the placeholder groups "(unknown)" and "(none)" are no finding
        (r["group_a"], r["group_b"])
        for r in mix.filter(pl.col("verdict") == "gap").iter_rows(named=True)
        if not {r["group_a"], r["group_b"]} & {"(unknown)", "(none)"}
    }
    head = next(i for i, line in enumerate(lines) if line.startswith(("Gaps by", "No signif")))
    listed = []
    for line in lines[head + 1 :]:
        if not line.startswith("  "):
            break
        listed.append(tuple(line.strip().split(":")[0].split(" – ")))
    assert set(listed) <= gaps
    assert len(listed) == min(len(gaps), 10)
    start = next((i for i, line in enumerate(lines) if line.startswith("Critical")), None)
    if start is not None:
        for line in lines[start + 1 :]:
            if not line.startswith("  "):
                break
            assert float(line.split("betweenness ")[1].split(",")[0]) > 0


def test_no_significant_gap_is_said_so() -> None:
    mix = pl.DataFrame(
        {
            "grouping": ["helix"] * 3,
            "group_a": ["academia", "academia", "industry"],
            "group_b": ["industry", "public", "public"],
            "observed": [4.0, 1.0, 30.0],
            "expected": [5.2, 0.8, 29.0],
            "ratio": [4 / 5.2, 1.25, 30 / 29],
            "ci_low": [2.0, 0.0, 22.0],
            "ci_high": [8.0, 2.0, 36.0],
            "z": [-0.6, 0.2, 0.2],
            "verdict": ["as_expected", "too_few_to_judge", "as_expected"],
        }
    )
    assert gap_lines(mix, "helix") == [
        "No significant gap between helix groups: none of the 2 pairs that can be judged has "
        "fewer ties than random networks with the same numbers of ties give (1 pairs with too "
        "few ties expected to judge)."
    ]


def test_brokers_with_betweenness_zero_are_no_brokers() -> None:
    metrics = pl.DataFrame(
        {
            "actor_id": ["a", "b", "c"],
            "betweenness": [0.0, 0.0, 0.0],
            "is_articulation_point": [False] * 3,
        }
    )
    assert broker_lines(metrics, {}) == [
        "No broker: no shortest path between two actors runs through a third."
    ]


def test_report_with_synthetic_off_has_no_synthetic_share(demo_db: Path) -> None:
    from graph.present.report import render_report

    analysis = _analysis(demo_db, GraphFilter(synthetic=False))
    con = connect(demo_db, read_only=True)
    try:
        html = render_report(
            analysis,
            sources=read_table(con, "sources"),
            stats=dataset_stats(con),
            database="demo.duckdb",
        )
    finally:
        con.close()
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.DOTALL)
    mentions = {m.strip() for m in re.findall(r"[^.\n]*ynthetic[^.\n]*", text)}
    # the filter line says what is shown; no synthetic share anywhere
    assert mentions <= {
        f"Synthetic demo data excluded ({analysis.excluded_synthetic} actors)",
        "Showing: sourced data only, no synthetic demo data",
    }
    assert f"Synthetic demo data excluded ({analysis.excluded_synthetic} actors)" in mentions
