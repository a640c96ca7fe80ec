"""The command line: every sub-command, --db everywhere, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.store.database import connect, read_table
from tests.conftest import MINI, write_files


def run(*args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_every_command_has_help() -> None:
    """sqlite-utils' meta-test: a command without help text is a command nobody finds."""
    for name, command in cli.commands.items():
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "--db" in result.output, name


def test_init_empty_then_import_then_stats(db_path: Path, mini_dir: Path) -> None:
    assert run("init", "--empty", "--db", str(db_path)).exit_code == 0
    result = run("import", str(mini_dir), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "actors: 3 rows (3 new, 0 changed)" in result.output
    stats = run("--db", str(db_path), "stats", "--json")
    rows = {r["table_name"]: r for r in json.loads(stats.output)}
    assert rows["actors"] == {
        "table_name": "actors",
        "rows": 3,
        "sourced": 3,
        "synthetic": 0,
        "unsourced": 0,
    }


def test_import_error_exits_1_lists_problems_and_writes_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    run("init", "--empty", "--db", str(db_path))
    bad = write_files(
        tmp_path / "bad", {**MINI, "actors.csv": MINI["actors.csv"] + "d,,x,,,,,s1\n"}
    )
    problems = tmp_path / "problems.csv"
    result = run("import", str(bad), "--db", str(db_path), "--problems-out", str(problems))
    assert result.exit_code == 1
    assert "error: 2 problems found, nothing was imported" in result.stderr
    assert "actors.csv:5:name: missing required value" in result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert problems.read_text(encoding="utf-8").count("\n") == 3  # header + 2 problems
    con = connect(db_path)
    assert read_table(con, "actors").height == 0
    con.close()


def test_usage_error_exits_2(db_path: Path, mini_dir: Path) -> None:
    result = run("import", str(mini_dir), "--format", "docx", "--db", str(db_path))
    assert result.exit_code == 2


def test_init_refuses_to_overwrite_data(db_path: Path, mini_dir: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    run("import", str(mini_dir), "--db", str(db_path))
    result = run("init", "--no-synthetic", "--db", str(db_path))
    assert result.exit_code == 1
    assert "already holds data; add --force" in result.stderr


def test_init_no_synthetic_loads_only_sourced_data(db_path: Path) -> None:
    result = run("init", "--no-synthetic", "--db", str(db_path))
    assert result.exit_code == 0, result.stderr
    con = connect(db_path)
    try:
        assert not read_table(con, "sources")["synthetic"].any()
        assert "region-jh" in read_table(con, "actors")["actor_id"].to_list()
    finally:
        con.close()


def test_db_from_environment(tmp_path: Path, mini_dir: Path) -> None:
    path = tmp_path / "env.duckdb"
    env = {"ECOGRAPH_DB": str(path)}
    assert run("init", "--empty", env=env).exit_code == 0
    assert run("import", str(mini_dir), env=env).exit_code == 0
    assert path.exists()


def test_query_prints_table_csv_and_json(db_path: Path, mini_dir: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    run("import", str(mini_dir), "--db", str(db_path))
    sql = "SELECT actor_id, name FROM actors ORDER BY actor_id"
    as_csv = run("query", sql, "--format", "csv", "--db", str(db_path))
    assert as_csv.output.splitlines() == [
        "actor_id,name",
        "a,Åre Företag AB",
        "b,Mittuniversitetet",
        "c,Ávki – ČĐŊŠŦŽ",
    ]
    as_json = run("query", sql, "--format", "json", "--db", str(db_path))
    assert json.loads(as_json.output)[0] == {"actor_id": "a", "name": "Åre Företag AB"}
    table = run("query", sql, "--db", str(db_path))
    assert "Mittuniversitetet" in table.output


def test_query_cannot_write(db_path: Path, mini_dir: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    run("import", str(mini_dir), "--db", str(db_path))
    result = run("query", "DELETE FROM actors", "--db", str(db_path))
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    con = connect(db_path)
    assert read_table(con, "actors").height == 3
    con.close()


def test_export_and_synth_write_files(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    run("import", str(mini_dir), "--db", str(db_path))
    out = tmp_path / "out.graphml"
    assert (
        run("export", "--format", "graphml", "--out", str(out), "--db", str(db_path)).exit_code == 0
    )
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    folder = tmp_path / "synth"
    result = run("synth", "--actors", "50", "--seed", "3", "--out", str(folder))
    assert result.exit_code == 0
    assert (folder / "actors.csv").read_text(encoding="utf-8").count("\n") == 51


def test_console_script_has_no_traceback_on_expected_errors(tmp_path: Path) -> None:
    """The installed entry point, in a real process: a missing file is exit 2 with one line."""
    env = {**os.environ, "ECOGRAPH_DB": str(tmp_path / "x.duckdb")}
    out = subprocess.run(
        [sys.executable, "-m", "graph.cli", "import", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "does not exist" in out.stderr


@pytest.mark.parametrize("command", ["stats", "export --format csv --out x"])
def test_missing_database_is_a_clear_error(tmp_path: Path, command: str) -> None:
    result = run(*command.split(), "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1
    assert "no database at" in result.stderr


def test_export_html_map_is_standalone_and_escaped(db_path: Path, tmp_path: Path) -> None:
    """The map export inlines vis-network (works offline) and keeps data text out of markup."""
    run("init", "--empty", "--db", str(db_path))
    folder = write_files(
        tmp_path / "x",
        {
            "actors.csv": "actor_id,name,kind\na,<script>alert(1)</script>,company\nb,B,academia\n",
            "relations.csv": "from_actor,to_actor\na,b\n",
        },
    )
    run("import", str(folder), "--db", str(db_path))
    out = tmp_path / "map.html"
    result = run("export", "--format", "html", "--out", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "vis.Network" in html
    assert "<script>alert(1)</script>" not in html
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "cdn.jsdelivr.net" not in html


def test_readme_documents_every_command() -> None:
    """The README's command table is the user's manual: a command missing there is lost."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                assert f"`ecograph {name} {sub}" in readme, f"{name} {sub}"
        else:
            assert f"`ecograph {name}" in readme, name
