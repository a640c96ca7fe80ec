"""The core's errors speak the language chosen for the work in hand (``use_language``): the
store's, the SQL console's (whose refusals come from a child process) and the history's, in
Swedish when Swedish is chosen and in English otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.datasets.bootstrap import init_database
from graph.errors import DatabaseError, UsageError
from graph.history.log import HistoryError
from graph.history.snapshots import resolve_wave
from graph.i18n import use_language
from graph.sql import SandboxError, run_query
from graph.store.database import connect, open_db
from graph.store.limits import SqlLimits


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    init_database(path)
    return path


def test_no_database_in_swedish_and_in_english(tmp_path: Path) -> None:
    missing = tmp_path / "saknas.duckdb"
    with use_language("sv"), pytest.raises(DatabaseError) as sv:
        connect(missing, create=False)
    assert str(sv.value) == (
        f"det finns ingen databas i {missing}. Skapa en med `ecograph init --db {missing}`"
    )
    with pytest.raises(DatabaseError) as en:
        connect(missing, create=False)
    assert (
        str(en.value) == f"no database at {missing}: create one with `ecograph init --db {missing}`"
    )


def test_a_refusal_from_the_sandbox_child_speaks_the_chosen_language(demo_db: Path) -> None:
    """The child process that runs a console query is told the language and answers in it."""
    with use_language("sv"), pytest.raises(SandboxError) as sv:
        run_query(demo_db, "SELECT 1; SELECT 2")
    assert str(sv.value) == "bara en SELECT-sats är tillåten, men fick 2 satser"
    with pytest.raises(SandboxError) as en:
        run_query(demo_db, "SELECT 1; SELECT 2")
    assert str(en.value) == "only one SELECT statement is allowed; got 2 statements"


def test_a_setting_out_of_bounds_names_the_limit_in_swedish() -> None:
    with use_language("sv"), pytest.raises(UsageError) as sv:
        SqlLimits(timeout=0)
    assert str(sv.value) == (
        "tidsgränsen måste vara ett antal sekunder över 0 och högst 86400, inte 0"
    )


def test_an_unknown_wave_in_swedish_and_in_english(demo_db: Path) -> None:
    with open_db(demo_db) as con:
        with use_language("sv"), pytest.raises(HistoryError) as sv:
            resolve_wave(con, "vår 2026")
        with pytest.raises(HistoryError) as en:
            resolve_wave(con, "vår 2026")
    assert str(sv.value).startswith("det finns ingen ögonblicksbild 'vår 2026' (det finns inga")
    assert str(en.value).startswith("no snapshot 'vår 2026' (there are no snapshots yet)")


def test_the_command_line_says_a_store_error_in_swedish(tmp_path: Path) -> None:
    """`--lang sv` reaches the store's error: the whole line is Swedish."""
    missing = tmp_path / "saknas.duckdb"
    result = CliRunner().invoke(cli, ["--lang", "sv", "history", "--db", str(missing)])
    assert result.exit_code == 1
    assert "det finns ingen databas i" in result.output
    assert "no database" not in result.output
