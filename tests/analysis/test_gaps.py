"""The whole gap analysis on the shipped data: tables written, summary and report say what a
strategist must read (the design project ended, which ties ended with it, whom clusters reach)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from graph.analysis.gaps import RESULT_TABLES, AnalysisParams, run_analysis, write_results
from graph.analysis.network import GraphFilter
from graph.cli import cli
from graph.present.report import render_report
from graph.store.database import connect, read_table, run
from graph.store.stats import dataset_stats

AS_OF = date(2026, 11, 25)
PROJECT_PAIRS = [
    "Design i Västernorrland ↔ Region Jämtland Härjedalen",
    "Design i Västernorrland ↔ SVID – Stiftelsen Svensk Industridesign",
    "Region Jämtland Härjedalen ↔ SVID – Stiftelsen Svensk Industridesign",
]


def test_analysis_of_the_shipped_data(shipped_con: duckdb.DuckDBPyConnection) -> None:
    analysis = run_analysis(shipped_con, AnalysisParams(as_of=AS_OF))
    assert analysis.actors == 22
    write_results(shipped_con, analysis)
    for name in RESULT_TABLES:
        stored = run(shipped_con, f"SELECT count(*), count(DISTINCT params) FROM {name}")[0]
        assert stored == (analysis.tables[name].height, 1 if analysis.tables[name].height else 0)
    lines = "\n".join(analysis.summary_lines())
    assert (
        "'Designdrivna innovationskluster' ended on 2024-06-30: 6 ties ended with it, 6 with"
        in lines
    )
    for pair in PROJECT_PAIRS:
        assert pair in lines
    # relations.csv: Peak Innovation is tied to two support actors, Jämtlands läns landsting
    # and Mittuniversitetet (1 hop each; the first id is named); Samverket to Region Jämtland
    # Härjedalen; Kollektivet to nobody
    reach = analysis.tables["support_distance"].select("actor_id", "hops", "nearest_support")
    assert reach.filter(
        pl.col("actor_id").is_in(["peak-innovation", "samverket", "kollektivet-klovsjo"])
    ).rows() == [
        ("peak-innovation", 1, "jamtlands-lans-landsting"),
        ("samverket", 1, "region-jh"),
        ("kollektivet-klovsjo", None, None),
    ]
    assert (
        "Support the clusters and co-working spaces reach first: Jämtlands läns landsting "
        "(1, 1.0 hops), Region Jämtland Härjedalen (1, 1.0 hops)"
    ) in lines


def test_results_record_their_parameters(shipped_con: duckdb.DuckDBPyConnection) -> None:
    params = AnalysisParams(
        filter=GraphFilter(helices=("public", "industry")), as_of=AS_OF, group_by="kind"
    )
    write_results(shipped_con, run_analysis(shipped_con, params))
    stored = json.loads(run(shipped_con, "SELECT DISTINCT params FROM group_mixing")[0][0])
    assert stored["filter"]["helices"] == ["public", "industry"]
    assert stored["group_by"] == "kind"
    assert stored["as_of"] == "2026-11-25"


def test_empty_database_gives_empty_results(con: duckdb.DuckDBPyConnection) -> None:
    analysis = run_analysis(con, AnalysisParams(as_of=AS_OF))
    assert analysis.actors == 0
    empty = [n for n in RESULT_TABLES if n not in ("coverage_flags", "network_by_year")]
    assert all(analysis.tables[n].height == 0 for n in empty)
    # the current year is still reported, with nothing in it
    assert analysis.tables["network_by_year"].select("year", "ties").rows() == [(2026, 0)]
    write_results(con, analysis)
    assert analysis.summary_lines()[0].startswith("Network: 0 actors and 0 ties")


def test_report_is_self_contained_and_escapes_data(
    shipped_con: duckdb.DuckDBPyConnection,
) -> None:
    run(shipped_con, "UPDATE actors SET name = '<script>alert(1)</script>' WHERE actor_id = 'avki'")
    analysis = run_analysis(shipped_con, AnalysisParams(as_of=AS_OF))
    html = render_report(
        analysis,
        sources=read_table(shipped_con, "sources"),
        stats=dataset_stats(shipped_con),
        database="test.duckdb",
    )
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "src=" not in html, "nothing loads from the network"
    assert "http-equiv" not in html
    assert "Designdrivna innovationskluster" in html
    assert "2024-06-30" in html
    assert "Beslut RUN/664/2021" in html  # the list of sources


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    assert CliRunner().invoke(cli, ["init", "--db", str(path)]).exit_code == 0
    return path


def test_cli_analyze_whatif_report(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["analyze", "--db", str(demo_db), "--as-of", "2026-11-25", "--group-by", "kind"],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    assert "Designdrivna innovationskluster' ended on 2024-06-30" in out.output
    as_json = runner.invoke(
        cli, ["analyze", "--db", str(demo_db), "--json", "--no-synthetic", "--as-of", "2026-11-25"]
    )
    payload = json.loads(as_json.stdout)
    assert set(payload["tables"]) == set(RESULT_TABLES)
    # the sizes of the shipped data (157 actors in data/jamtland) and of the demo layer (300)
    assert len(payload["tables"]["actor_metrics"]) == 157
    con = connect(demo_db, read_only=True)
    assert read_table(con, "actors").height == 457
    con.close()
    whatif = runner.invoke(
        cli,
        [
            "whatif",
            "--db",
            str(demo_db),
            "--end-activity",
            "designdrivna-innovationskluster",
            "--no-synthetic",
            "--json",
        ],
    )
    result = json.loads(whatif.stdout)
    gone = {(r["actor_a"], r["actor_b"]) for r in result["lost_ties"]}
    assert ("avki", "svid") in gone
    assert len(gone) == 6
    report = tmp_path / "report.html"
    made = runner.invoke(cli, ["report", "--db", str(demo_db), "--out", str(report)])
    assert made.exit_code == 0, made.output
    assert "in this network are synthetic demo data" in report.read_text(encoding="utf-8")


def test_cli_whatif_unknown_actor_is_a_clear_error(demo_db: Path) -> None:
    out = CliRunner().invoke(cli, ["whatif", "--db", str(demo_db), "--remove", "nobody"])
    assert out.exit_code == 2
    assert "nobody" in out.stderr
    assert "Traceback" not in out.stderr


def test_year_and_range_are_exclusive(demo_db: Path) -> None:
    out = CliRunner().invoke(
        cli, ["analyze", "--db", str(demo_db), "--year", "2020", "--from", "2019"]
    )
    assert out.exit_code == 2
    assert pl is not None


def test_results_are_cached_by_data_and_parameters(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A restart must not recompute: the second run reads the stored tables; a change of the
    data or of a parameter is a different key and computes afresh."""
    params = AnalysisParams(as_of=AS_OF)
    first = run_analysis(shipped_con, params, cache=True, store=True)
    assert not first.cached
    again = run_analysis(shipped_con, params, cache=True)
    assert again.cached
    for name in RESULT_TABLES:
        assert again.tables[name].equals(first.tables[name]), name
    assert again.summary_lines() == first.summary_lines()
    other = AnalysisParams(as_of=AS_OF, group_by="kind")
    assert not run_analysis(shipped_con, other, cache=True).cached
    run(shipped_con, "UPDATE actors SET name = 'Bytt namn' WHERE actor_id = 'avki'")
    assert not run_analysis(shipped_con, params, cache=True).cached


def test_cache_keeps_only_recent_entries(shipped_con: duckdb.DuckDBPyConnection) -> None:
    from graph.store.cache import KEEP_ENTRIES

    for months in range(1, KEEP_ENTRIES + 3):
        run_analysis(shipped_con, AnalysisParams(as_of=AS_OF, months_ahead=months), store=True)
    kept = run(shipped_con, "SELECT count(DISTINCT cache_key) FROM analysis_cache")[0][0]
    assert kept == KEEP_ENTRIES


def test_a_prebuilt_network_gives_the_same_analysis(
    shipped_con: duckdb.DuckDBPyConnection,
) -> None:
    """The app passes the network it already built; the results must not depend on that."""
    from graph.analysis.network import load_graph

    params = AnalysisParams(as_of=AS_OF)
    own = run_analysis(shipped_con, params)
    given = run_analysis(shipped_con, params, graph=load_graph(shipped_con))
    for name in RESULT_TABLES:
        assert given.tables[name].equals(own.tables[name]), name
