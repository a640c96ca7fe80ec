"""``ecograph partners``: suggestions as text and JSON, the backtest, the stored table, errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.cli.partners import partners
from graph.store.database import connect

if "partners" not in cli.commands:  # until graph/cli/commands.py registers it
    cli.add_command(partners)

ACTOR = "peak-innovation"  # a real cluster of the shipped data, tied into the demo layer


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with the synthetic demo layer, as `ecograph init` makes it."""
    path = tmp_path_factory.mktemp("partners") / "demo.duckdb"
    result = run("init", "--db", str(path))
    assert result.exit_code == 0, result.output
    return path


def stored(path: Path, actor: str) -> list[tuple[object, ...]]:
    con = connect(path, read_only=True)
    try:
        return con.execute(
            "SELECT rank, actor_id, introduction_path, params FROM partner_suggestions "
            "WHERE for_actor = ? ORDER BY rank",
            [actor],
        ).fetchall()
    finally:
        con.close()


def test_json_is_a_list_of_suggestions_with_paths(demo_db: Path) -> None:
    result = run("partners", ACTOR, "--top", "5", "--json", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list)
    assert len(rows) == 5
    for rank, row in enumerate(rows, start=1):
        assert {"actor_id", "name", "score", "explanation", "introduction_path"} <= set(row)
        assert row["rank"] == rank
        assert isinstance(row["score"], float)
        assert row["explanation"]
        path = row["introduction_path"]
        assert isinstance(path, list)
        assert all(isinstance(v, str) for v in path)
        assert path[0] == ACTOR
        assert path[-1] == row["actor_id"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_suggestions_are_stored_and_replaced(demo_db: Path) -> None:
    run("partners", ACTOR, "--top", "4", "--db", str(demo_db))
    first = stored(demo_db, ACTOR)
    assert [r[0] for r in first] == [1, 2, 3, 4]
    assert first[0][2][0] == ACTOR
    assert first[0][2][-1] == first[0][1]
    assert json.loads(str(first[0][3]))["top"] == 4
    run("partners", ACTOR, "--top", "2", "--db", str(demo_db))
    assert [r[1] for r in stored(demo_db, ACTOR)] == [r[1] for r in first[:2]]


def test_terminal_output_lists_reasons_and_introductions(demo_db: Path) -> None:
    result = run("partners", ACTOR, "--top", "3", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Partners for Peak Innovation (peak-innovation):")
    assert "  1. " in result.output
    assert "  3. " in result.output
    assert "common partner" in result.output
    assert "introduction: Peak Innovation → " in result.output


def test_candidate_filters_choose_whom_to_suggest(demo_db: Path) -> None:
    result = run(
        "partners",
        ACTOR,
        "--kind",
        "academia",
        "--kind",
        "research_institute",
        "--json",
        "--db",
        str(demo_db),
    )
    rows = json.loads(result.output)
    assert rows
    assert {r["kind"] for r in rows} <= {"academia", "research_institute"}


def test_backtest_json_shape(demo_db: Path) -> None:
    result = run("partners", "--backtest", "--k", "5", "--json", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["k"] == 5
    assert set(payload["methods"]) == {
        "blended",
        "random",
        "common_neighbours",
        "preferential_attachment",
        "resource_allocation",
    }
    for values in payload["methods"].values():
        assert set(values) == {"precision_at_k", "recall_at_k", "mrr"}
    again = run("partners", "--backtest", "--k", "5", "--json", "--db", str(demo_db))
    assert json.loads(again.output) == payload  # the same seed gives the same numbers


def test_backtest_table(demo_db: Path) -> None:
    result = run("partners", "--backtest", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert "precision@10" in result.output
    assert "resource_allocation" in result.output


def test_backtest_of_an_empty_network_says_why(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    run("init", "--empty", "--db", str(path))
    result = run("partners", "--backtest", "--db", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: nothing to backtest: no actor gained a new partner")


def test_usage_errors_are_one_line_and_exit_2(demo_db: Path) -> None:
    result = run("partners", "no-such-actor", "--db", str(demo_db))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: unknown actor 'no-such-actor'")
    assert "Traceback" not in result.output + result.stderr
    assert run("partners", "--db", str(demo_db)).exit_code == 2
    assert run("partners", ACTOR, "--backtest", "--db", str(demo_db)).exit_code == 2


def test_help_says_which_filters_select_candidates() -> None:
    result = run("partners", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "choose which actors may be SUGGESTED" in text
    assert "--year --from --to --no-synthetic limit the network" in text
    assert "--kind TEXT Suggest only actors of this kind" in text
