"""``ecograph history``, ``undo``, ``revert``, ``snapshot``, ``compare`` and ``--at``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from graph.cli import cli
from tests.conftest import write_files

EXTRA = {
    "actors.csv": "actor_id,name,kind,source_id\nd,Dalarö Kluster,cluster,s1\n",
    "relations.csv": "relation_id,from_actor,to_actor,kind,source_id\nr2,b,d,partnership,s1\n",
}


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _two_waves(db: Path, mini_dir: Path, tmp_path: Path) -> None:
    assert run("import", str(mini_dir), "--db", str(db)).exit_code == 0
    assert run("snapshot", "create", "review 2026 H1", "--db", str(db)).exit_code == 0
    assert run("import", str(write_files(tmp_path / "x", EXTRA)), "--db", str(db)).exit_code == 0


def test_history_lists_the_changes(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    _two_waves(db_path, mini_dir, tmp_path)
    result = run("history", "--json", "--db", str(db_path))
    log = json.loads(result.output)
    assert [c["change_id"] for c in log] == [2, 1]
    assert log[0]["added"] == 2  # d and r2
    text = run("history", "--db", str(db_path)).output
    assert "#2" in text
    assert "imported x" in text


def test_compare_json_has_the_issue_shape(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    _two_waves(db_path, mini_dir, tmp_path)
    result = run(
        "compare", "review 2026 H1", "now", "--json", "--no-indicators", "--db", str(db_path)
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["from"]["change_id"] == 1
    assert payload["to"]["change_id"] == 2
    assert payload["actors"] == {"added": ["d"], "removed": []}
    assert payload["ties"]["added"] == [
        {"actor_a": "b", "actor_b": "d", "kind": "partnership", "activity_id": None}
    ]
    assert payload["ties"]["removed"] == []
    names = [i["name"] for i in payload["indicators"]]
    assert names == ["actors"]  # --no-indicators: the lists and the actor counts only


def test_query_and_export_at_a_wave(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    _two_waves(db_path, mini_dir, tmp_path)
    sql = "SELECT count(*) AS n FROM actors"
    then = run("query", sql, "--at", "review 2026 H1", "--format", "csv", "--db", str(db_path))
    now = run("query", sql, "--format", "csv", "--db", str(db_path))
    assert then.stdout == "n\n3\n"
    assert now.stdout == "n\n4\n"
    out = tmp_path / "export"
    run("export", "--format", "csv", "--out", str(out), "--at", "#1", "--db", str(db_path))
    assert (out / "actors.csv").read_text(encoding="utf-8").count("\n") == 4  # header + a, b, c


def test_analyze_at_the_first_wave_equals_the_analysis_then(
    db_path: Path, mini_dir: Path, tmp_path: Path
) -> None:
    assert run("import", str(mini_dir), "--db", str(db_path)).exit_code == 0
    args = ["--json", "--as-of", "2026-06-30", "--db", str(db_path)]
    then = json.loads(run("analyze", *args).stdout)
    run("snapshot", "create", "first", "--db", str(db_path))
    run("import", str(write_files(tmp_path / "x", EXTRA)), "--db", str(db_path))
    later = json.loads(run("analyze", "--at", "first", *args).stdout)
    now = json.loads(run("analyze", *args).stdout)
    assert later["summary"] == then["summary"]
    strip = {"computed_at", "params"}
    for name, rows in then["tables"].items():
        assert [{k: v for k, v in r.items() if k not in strip} for r in rows] == [
            {k: v for k, v in r.items() if k not in strip} for r in later["tables"][name]
        ], name
    assert now["summary"] != then["summary"]


def test_undo_and_a_refused_revert(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    _two_waves(db_path, mini_dir, tmp_path)
    tie = {"relations.csv": "relation_id,from_actor,to_actor,source_id\nr3,a,d,s1\n"}
    run("import", str(write_files(tmp_path / "t", tie)), "--db", str(db_path))
    refused = run("revert", "2", "--db", str(db_path))
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: change #2 cannot be reverted: later change #3")
    assert "Traceback" not in refused.output
    undone = run("undo", "--db", str(db_path))
    assert undone.exit_code == 0
    assert undone.stdout.startswith("revert #3")
    assert run("revert", "2", "--db", str(db_path)).exit_code == 0
    unknown = run("compare", "no such wave", "--db", str(db_path))
    assert unknown.exit_code == 2
    assert "no snapshot 'no such wave'" in unknown.stderr


def test_report_at_a_wave_says_which(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    _two_waves(db_path, mini_dir, tmp_path)
    out = tmp_path / "report.html"
    result = run("report", "--out", str(out), "--at", "review 2026 H1", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "as recorded at snapshot &#x27;review 2026 H1&#x27; (change #1)" in html or (
        "as recorded at snapshot &#39;review 2026 H1&#39; (change #1)" in html
    )
