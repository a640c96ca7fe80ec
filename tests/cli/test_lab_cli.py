"""``ecograph lab``: create with a join code and link, list, close and reopen, the queue with
matches, approve and reject, the poster and QR files; expected errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from graph.cli import cli
from graph.labs.queue import add_submission, known_name, open_queue, queue_path
from graph.labs.submission import parse_submission
from graph.store.database import connect


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _submit(db: Path, code: str, data: dict[str, object]) -> str:
    with open_queue(queue_path(db)) as queue:
        sub, errors = parse_submission(data, known=lambda i: known_name(queue, i))
        assert sub is not None, errors
        return add_submission(queue, code, sub, "phone")[0]


def test_a_lab_from_creation_to_approval(db_path: Path, tmp_path: Path) -> None:
    assert run("init", "--no-synthetic", "--db", str(db_path)).exit_code == 0
    made = run(
        "lab",
        "create",
        "--db",
        str(db_path),
        "--name",
        "Lärlabb 3",
        "--date",
        "2026-12-10",
        "--base-url",
        "http://10.0.0.5:8501",
        "--json",
    )
    assert made.exit_code == 0, made.output
    info = json.loads(made.output)
    code = info["code"]
    assert info["join_url"] == f"http://10.0.0.5:8501/lab/{code}"
    listed = json.loads(run("lab", "list", "--db", str(db_path), "--json").output)
    assert [(x["code"], x["status"], x["pending"]) for x in listed] == [(code, "open", 0)]

    receipt = _submit(
        db_path,
        code,
        {
            "organisation": {"name": "MITTUNIVERSITETET", "kind": "academia"},
            "ties": [
                {"partner": {"id": "svid"}, "kind": "advice", "strength": "now_and_then"},
                {"partner": {"id": "avki"}, "kind": "project", "strength": "core"},
            ],
        },
    )
    queue = json.loads(run("lab", "submissions", code, "--db", str(db_path), "--json").output)
    assert [(r["item"], r["org_match"]) for r in queue] == [
        (f"{receipt}/1", "known actor: Mittuniversitetet"),
        (f"{receipt}/2", "known actor: Mittuniversitetet"),
    ]
    assert run("lab", "reject", code, f"{receipt}/2", "--db", str(db_path)).exit_code == 0
    approved = run("lab", "approve", code, "--all", "--db", str(db_path))
    assert approved.exit_code == 0, approved.output
    assert f"approved 1 submission(s) of lab {code}: 1 ties, 0 wanted ties" in approved.output
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            "SELECT from_actor, to_actor FROM relations WHERE relation_id LIKE 'lab-%'"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("miun", "svid")]
    assert "nothing pending" in run("lab", "approve", code, "--all", "--db", str(db_path)).output

    assert "closed" in run("lab", "close", code, "--db", str(db_path)).output
    assert (
        json.loads(run("lab", "list", "--db", str(db_path), "--json").output)[0]["status"]
        == "closed"
    )
    assert run("lab", "reopen", code.lower(), "--db", str(db_path)).exit_code == 0

    for name in ("poster.html", "qr.svg", "qr.png"):
        out = tmp_path / name
        assert run("lab", "poster", code, "--out", str(out), "--db", str(db_path)).exit_code == 0
        assert out.stat().st_size > 200
    assert "Lärlabb 3" in (tmp_path / "poster.html").read_text(encoding="utf-8")


def test_expected_errors_are_one_line(db_path: Path) -> None:
    assert run("init", "--no-synthetic", "--db", str(db_path)).exit_code == 0
    result = CliRunner().invoke(cli, ["lab", "close", "NOPE42", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.strip() == "error: no lab has the code 'NOPE42': see `ecograph lab list`"
    bad_area = CliRunner().invoke(
        cli,
        [
            "lab",
            "create",
            "--name",
            "X",
            "--date",
            "2026-01-01",
            "--area",
            "nowhere",
            "--db",
            str(db_path),
        ],
    )
    assert bad_area.exit_code == 2
    assert "strength area 'nowhere' is not in the database" in bad_area.output
    assert "Traceback" not in bad_area.output


def test_the_summary_sets_wanted_ties_beside_the_measured_gaps(
    db_path: Path, tmp_path: Path
) -> None:
    assert run("init", "--no-synthetic", "--db", str(db_path)).exit_code == 0
    code = json.loads(
        run(
            "lab",
            "create",
            "--db",
            str(db_path),
            "--name",
            "Lärlabb 1",
            "--date",
            "2026-12-10",
            "--json",
        ).output
    )["code"]
    _submit(
        db_path,
        code,
        {
            "organisation": {"id": "miun"},
            "ties": [{"partner": {"id": "svid"}, "kind": "project", "strength": "core"}],
            "wanted": [{"partner": {"id": "region-jh"}, "obstacle": "<b>tid</b>"}],
        },
    )
    assert run("lab", "approve", code, "--all", "--db", str(db_path)).exit_code == 0
    said = run("lab", "summary", code, "--db", str(db_path))
    assert said.exit_code == 0, said.output
    lines = said.output.splitlines()
    assert lines[0] == "1 organisations, 1 ties, 0 new organisations"
    assert lines[1].startswith(
        "Participants named 1 missing link between academia and public; the analysis finds"
    )
    out = tmp_path / "summary.html"
    assert run("lab", "summary", code, "--out", str(out), "--db", str(db_path)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;tid&lt;/b&gt;" in html
    assert "<b>tid</b>" not in html
