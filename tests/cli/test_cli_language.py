"""The command line in Swedish: --lang (on the root group or the command), ECOGRAPH_LANG, the
locale, and the messages of init, stats and the error lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.cli.language import import_summary
from graph.formats.ingest import ImportReport, TableChange
from graph.i18n import available_languages, translator
from tests.conftest import MINI, write_files

NBSP = "\u00a0"


def run(*args: str, env: dict[str, str | None] | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_init_speaks_swedish(db_path: Path) -> None:
    result = run("--lang", "sv", "init", "--no-synthetic", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    first, *lines = result.output.splitlines()
    assert first == f"databas: {db_path}"
    assert lines, "init reports what it loaded"
    for line in lines:  # "actors: 22 rader (22 nya, 0 ändrade)"
        assert re.fullmatch(r"[a-z_]+: [\d\xa0]+ rader \([\d\xa0]+ nya, [\d\xa0]+ ändrade\)", line)


def test_stats_in_swedish_and_in_english(db_path: Path, mini_dir: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    run("import", str(mini_dir), "--db", str(db_path))
    sv = run("stats", "--lang", "sv", "--db", str(db_path))  # --lang on the command works too
    assert sv.exit_code == 0, sv.output
    lines = sv.output.splitlines()
    assert lines[0] == f"databas: {db_path}"
    assert lines[1] == "| tabell         | rader | med källa | syntetiska | utan källa |"
    # MINI has 3 actors, all with a source
    assert "| actors         |     3 |         3 |          0 |          0 |" in lines
    en = run("stats", "--db", str(db_path))
    assert en.output.splitlines()[1] == (
        "| table          | rows | sourced | synthetic | unsourced |"
    )
    # --json is for programs: the same keys in every language
    assert (
        run("--lang", "sv", "stats", "--json", "--db", str(db_path)).output
        == run("stats", "--json", "--db", str(db_path)).output
    )


def test_the_error_line_in_swedish(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = run("--lang", "sv", "stats", "--db", str(missing))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"fel: det finns ingen databas i {missing}")  # the store's
    assert len(result.stderr.splitlines()) == 1


def test_import_problems_counted_in_swedish_with_plural_forms(
    db_path: Path, tmp_path: Path
) -> None:
    run("init", "--empty", "--db", str(db_path))
    one = write_files(
        tmp_path / "one", {**MINI, "actors.csv": MINI["actors.csv"] + "d,,x,,,,,s1\n"}
    )
    result = run("--lang", "sv", "import", str(one), "--db", str(db_path))
    assert result.exit_code == 1
    assert "fel: 2 problem hittades, inget importerades" in result.stderr
    single = write_files(
        tmp_path / "single", {**MINI, "actors.csv": MINI["actors.csv"] + "d,,company,,,,,s1\n"}
    )
    result = run("import", str(single), "--db", str(db_path))
    assert "error: 1 problem found, nothing was imported" in result.stderr  # singular


def test_ecograph_lang_and_the_locale_choose_the_language(db_path: Path) -> None:
    run("init", "--empty", "--db", str(db_path))
    args = ("stats", "--db", str(db_path))
    assert run(*args, env={"ECOGRAPH_LANG": "sv"}).output.startswith("databas: ")
    assert run("--lang", "en", *args, env={"ECOGRAPH_LANG": "sv"}).output.startswith("database: ")
    swedish_locale = {"ECOGRAPH_LANG": None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None}
    swedish_locale["LANG"] = "sv_SE.UTF-8"
    assert run(*args, env=swedish_locale).output.startswith("databas: ")
    assert run(*args, env={**swedish_locale, "LANG": "de_DE.UTF-8"}).output.startswith("database: ")


def test_an_unknown_language_is_one_line_and_exit_2(db_path: Path) -> None:
    result = run("stats", "--db", str(db_path), env={"ECOGRAPH_LANG": "de"})
    assert result.exit_code == 2
    choices = ", ".join(available_languages())  # "en, sv" today
    assert result.stderr == (
        f"error: ECOGRAPH_LANG: 'de' is not a language ecograph speaks; choose one of {choices}\n"
    )
    result = run("--lang", "xx", "stats")
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr


def test_no_traceback_from_the_installed_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "graph.cli", "--lang", "sv", "stats", "--db", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1
    assert out.stderr.startswith("fel: ")
    assert "Traceback" not in out.stderr


def test_the_import_summary_in_both_languages() -> None:
    report = ImportReport(
        changes=[TableChange("actors", 1234, 1200, 34), TableChange("relations", 5, 0, 0)],
        matched=2,
        to_review=1,
    )
    assert import_summary(report, translator("sv")).splitlines() == [
        f"actors: 1{NBSP}234 rader (1{NBSP}200 nya, 34 ändrade)",
        "relations: 5 rader (0 nya, 0 ändrade)",
        "matchade mot kända aktörer: 2 (deras namn sparade som alias)",
        "osäkra matchningar att granska: 1 (importerade som nya aktörer; se "
        "`ecograph actors review`)",
    ]
    # in English it says what ImportReport.summary says (numbers below 1 000 look alike)
    small = ImportReport(changes=[TableChange("actors", 3, 3, 0)], matched=1, to_review=2)
    assert import_summary(small, translator("en")) == small.summary()
    unchanged = ImportReport(changes=[TableChange("actors", 3, 0, 0)])
    assert import_summary(unchanged, translator("en")) == unchanged.summary()
    assert import_summary(unchanged, translator("sv")).splitlines()[-1] == (
        "inget ändrades: databasen hade redan dessa rader"
    )


def test_ecograph_lang_sv_app_starts_the_app_in_swedish(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ecograph --lang sv app`` hands the language to the Streamlit process (which is not
    started here: the command line it would run is recorded instead)."""
    run("init", "--empty", "--db", str(db_path))
    started: list[dict[str, str]] = []

    def record(command: list[str], env: dict[str, str]) -> int:
        started.append(env)
        return 0

    monkeypatch.setattr("graph.cli.commands.subprocess.call", record)
    monkeypatch.delenv("ECOGRAPH_LANG")
    for args in (("--lang", "sv", "app"), ("app",)):
        assert run(*args, "--db", str(db_path)).exit_code == 0
    assert started[0]["ECOGRAPH_LANG"] == "sv"
    assert "ECOGRAPH_LANG" not in started[1]  # no choice: the app decides (browser, locale)
