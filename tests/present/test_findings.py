"""Findings are made from the analysis: a gap only from the mixing test's verdict, names
capped, numbers as people read them, no analyst terms."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from pathlib import Path

import duckdb
import polars as pl
import pytest

from graph.analysis.gaps import AnalysisParams, run_analysis
from graph.formats.ingest import import_paths
from graph.present.adapters import mixing_with_verdicts
from graph.present.findings import ANALYST_TERMS, build_findings, names_phrase
from tests.conftest import write_files

AS_OF = date(2026, 11, 25)


def _two_cliques() -> dict[str, str]:
    """Six universities tied to each other, six companies tied to each other, and one tie
    between the camps (u1–c1); one business-support actor tied to c2."""
    actors = ["actor_id,name,kind,source_id"]
    actors += [f"u{i},University {i},academia,s" for i in range(1, 7)]
    actors += [f"c{i},Company {i},company,s" for i in range(1, 7)]
    actors += ["bs,Business Support,business_support,s"]
    rel = ["relation_id,from_actor,to_actor,source_id"]
    for side in ("u", "c"):
        for a, b in combinations(range(1, 7), 2):
            rel.append(f"{side}{a}{b},{side}{a},{side}{b},s")
    rel += ["x,u1,c1,s", "y,bs,c2,s"]
    return {
        "sources.csv": "source_id,title\ns,Test\n",
        "actors.csv": "\n".join(actors) + "\n",
        "relations.csv": "\n".join(rel) + "\n",
    }


@pytest.fixture
def cliques(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    import_paths(con, [write_files(tmp_path / "cliques", _two_cliques())])
    return con


def test_a_significant_shortfall_is_a_gap_finding_with_names(
    cliques: duckdb.DuckDBPyConnection,
) -> None:
    """Helix degrees: academia 6·5 + 1 = 31; industry 6·5 + 1 + 1 (c2–bs) = 32; public 1;
    2m = 2 · 32 = 64. Expected academia–industry ties = 31 · 32 / 64 = 15.5, observed 1: far
    below chance (Poisson P(X ≤ 1 | 15.5) ≈ 3e-6), so it is a gap; u1 alone links the sides."""
    analysis = run_analysis(cliques, AnalysisParams(as_of=AS_OF))
    mixing = mixing_with_verdicts(analysis.tables["group_mixing"])
    row = mixing.filter(
        (pl.col("grouping") == "helix")
        & (pl.col("group_a") == "academia")
        & (pl.col("group_b") == "industry")
    ).row(0, named=True)
    # 15.5 is the configuration-model value; the degree-preserving random networks (simple
    # graphs, graph.analysis.significance) give a little more, within 15 %
    assert row["expected"] == pytest.approx(15.5, rel=0.15)
    assert row["verdict"] == "gap"
    gaps = [f for f in build_findings(analysis) if f.topic == "gap"]
    assert gaps
    first = gaps[0]
    assert first.headline == (
        "Academia and industry work together 6% as often as expected: 1 tie where 17 were expected."
    )
    assert first.detail in (
        "Only University 1 links academia with industry.",
        "Only Company 1 links industry with academia.",
    )
    assert "<svg" in first.chart
    for finding in build_findings(analysis):
        assert not any(term in finding.text().lower() for term in ANALYST_TERMS)


def test_no_gap_finding_without_the_verdict_gap(cliques: duckdb.DuckDBPyConnection) -> None:
    """The same shortfall, judged 'as expected' by the analysis's own test (as issue #15's
    columns would say), makes no gap finding: the report never second-guesses the test."""
    analysis = run_analysis(cliques, AnalysisParams(as_of=AS_OF))
    judged = mixing_with_verdicts(analysis.tables["group_mixing"]).with_columns(
        pl.lit("as_expected").alias("verdict")
    )
    analysis.tables["group_mixing"] = judged
    assert [f for f in build_findings(analysis) if f.topic == "gap"] == []


def test_unreached_finding_counts_and_caps_names(cliques: duckdb.DuckDBPyConnection) -> None:
    """With the default support kinds (universities and business support) every company is
    one or two steps from support: no unreached finding. With business support alone and the
    universities as targets too, u1 is 3 steps away (u1–c1–c2–bs) and u2..u6 are 4."""
    analysis = run_analysis(cliques, AnalysisParams(as_of=AS_OF))
    assert [f.topic for f in build_findings(analysis)].count("unreached") == 0
    analysis2 = run_analysis(
        cliques,
        AnalysisParams(as_of=AS_OF, targets=("company", "academia"), support=("business_support",)),
    )
    (finding,) = [f for f in build_findings(analysis2) if f.topic == "unreached"]
    assert finding.headline == (
        "6 of 12 companies and universities are three or more steps from the nearest support "
        "organisation."
    )


def test_names_are_capped() -> None:
    assert names_phrase([f"N{i}" for i in range(10)]) == "N0, N1, N2 and 7 more"
