"""Filters are checked on every command that filters: an unknown value is a usage error (exit
2) with the allowed or the closest known values, a filter that leaves no actor exits 1, and
in both cases the stored results stay exactly as they were."""

from __future__ import annotations

from pathlib import Path

import click
import polars as pl
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.store.database import connect


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped region (no synthetic layer), analysed once so results are stored."""
    path = tmp_path_factory.mktemp("filters") / "region.duckdb"
    assert run("init", "--no-synthetic", "--db", str(path)).exit_code == 0
    result = run("analyze", "--db", str(path), "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.output
    return path


STORED = ("group_mixing", "actor_metrics", "diagnosis", "analysis_runs", "partner_suggestions")


def _stored(path: Path) -> dict[str, pl.DataFrame]:
    con = connect(path, read_only=True)
    try:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").pl() for t in STORED}
    finally:
        con.close()


COMMANDS = {
    "analyze": ["analyze"],
    "report": ["report", "--out", "{tmp}/report.html"],
    "whatif": ["whatif", "--remove", "region-jh"],
    "partners": ["partners", "peak-innovation"],
    "export": ["export", "--format", "html", "--out", "{tmp}/map.html"],
}
CASES = [
    (
        ["--kind", "klustr"],
        2,
        "error: unknown kind 'klustr' (did you mean cluster?); choose from region, public_agency,",
    ),
    (
        ["--helix", "publik"],
        2,
        "error: unknown helix 'publik' (did you mean public?); choose from public, industry, "
        "academia, civil_society",
    ),
    (
        ["--municipality", "Ostersund"],
        2,
        "error: unknown municipality 'Ostersund' (did you mean Östersund?)",
    ),
    (["--municipality", "ÅRE"], 2, "(did you mean Åre?)"),
    (
        ["--region", "jamtlands lan"],
        2,
        "error: unknown region 'jamtlands lan' (did you mean Jämtlands län?)",
    ),
    (
        ["--area", "Hållbar energi"],
        2,
        "unknown strength area id 'Hållbar energi' (did you mean hallbar-energi?)",
    ),
    (["--area", "energy"], 2, "(did you mean hallbar-energi?)"),
    (
        ["--exclude", "region-jhh"],
        2,
        "error: unknown actor id 'region-jhh' (did you mean region-jh?)",
    ),
    (
        ["--kind", "sami_org", "--municipality", "Åre"],
        1,
        "error: no actor matches kind = sami_org; municipality = Åre: nothing was computed or "
        "written",
    ),
]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("options", "code", "message"), CASES)
def test_filter_errors_exit_with_a_clear_line_and_change_nothing(
    analysed: Path, tmp_path: Path, command: str, options: list[str], code: int, message: str
) -> None:
    before = _stored(analysed)
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    result = run(*args, *options, "--db", str(analysed))
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, no traceback
    after = _stored(analysed)
    assert all(before[t].equals(after[t]) for t in STORED)
    assert not list(tmp_path.glob("*.html"))  # no report or map was written


def test_unknown_home_region_is_a_usage_error(analysed: Path) -> None:
    result = run("analyze", "--home-region", "Jamtland", "--db", str(analysed))
    assert result.exit_code == 2
    assert "unknown home region 'Jamtland' (did you mean Jämtlands län?)" in result.stderr


def test_known_values_pass(analysed: Path) -> None:
    result = run("analyze", "--municipality", "Östersund", "--db", str(analysed))
    assert result.exit_code == 0, result.output
    assert "Network: " in result.output
