"""Every command group in Swedish: what the commands print, their errors, their help pages and
click's own words around them (``Användning:``, ``Flaggor:``), with ``--lang sv`` before or after
the command or ``ECOGRAPH_LANG=sv``; English stays as it was."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from graph.cli.language import help_text
from graph.i18n import translator

NBSP = "\u00a0"
SV = translator("sv")
# click's English frame of a help page: none of it may show in a Swedish one
ENGLISH_FRAME = ("Usage:", "Options:", "Commands:", "Show this message and exit.", "[OPTIONS]")
# the commands whose help is another engineer's to move into the catalogue (H4: the report
# and the review pack); their frame is Swedish already, their own texts not yet
NOT_MINE = {"report", "review-pack"}


def run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=env, input=input, prog_name="ecograph", catch_exceptions=False
    )


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped, sourced data without the synthetic layer (quick to analyse)."""
    path = tmp_path_factory.mktemp("sv") / "shipped.duckdb"
    assert run("init", "--no-synthetic", "--db", str(path)).exit_code == 0
    return path


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def untranslated_help(command: click.Command, words: tuple[str, ...]) -> list[str]:
    """What of ``command``'s help would stay English in Swedish: its help text or an option's
    help missing from the catalogue, or click's English frame in the page ``words`` runs."""
    out = []
    texts = [("help", command.help)] + [(p.name, getattr(p, "help", None)) for p in command.params]
    for name, text in texts:
        if text and help_text(text, SV) == help_text(text, translator("en")):
            out.append(f"{' '.join(words)}: {name}: {text[:40]!r} is not in Swedish")
    page = run("--lang", "sv", *words, "--help").output
    out += [
        f"{' '.join(words)}: {word!r} on the help page" for word in ENGLISH_FRAME if word in page
    ]
    return out


def test_the_root_help_page_in_swedish() -> None:
    page = run("--lang", "sv", "--help").output
    assert page.startswith("Användning: ecograph [FLAGGOR] KOMMANDO [ARGUMENT]...\n")
    assert "\nFlaggor:\n" in page
    assert "\nKommandon:\n" in page
    assert "Visa den här hjälpen och avsluta." in page
    # each command's short help, cut where click cuts it
    assert re.search(r"\n  init +Skapa en databas med de medföljande", page)
    assert re.search(r"\n  lab +Lärlabb: deltagarna anger sina kopplingar", page)
    # English is as it always was (the help option is made once, then reused: it must not
    # keep the language of the first run)
    english = run("--help").output
    assert english.startswith("Usage: ecograph [OPTIONS] COMMAND [ARGS]...\n")
    assert "  -h, --help      Show this message and exit." in english


def test_the_import_help_page_in_swedish() -> None:
    page = run("--lang", "sv", "import", "--help").output
    assert page.startswith("Användning: ecograph import [FLAGGOR] PATHS...\n")
    assert "Allt kontrolleras först: är en enda rad fel skrivs ingenting." in " ".join(page.split())
    assert re.search(r"--problems-out FIL +Skriv alla problem till den här CSV-filen", page)
    assert re.search(r"--max-rows HELTAL +Vägra en fil med fler datarader", page)
    assert "[standard: 11.48; x>0]" in " ".join(page.split())  # click's "default:"
    # --lang after the command, and after --help, works the same
    assert run("import", "--help", "--lang", "sv").output == page


def test_every_help_page_is_in_swedish() -> None:
    problems = []
    for words, command in _commands(cli):
        if words[-1] not in NOT_MINE:
            problems += untranslated_help(command, words)
    assert problems == []


def test_the_help_check_can_fail() -> None:
    """A command written with click's own class and an unmarked help is named, word by word."""

    @click.command(help="Shout the names.")
    @click.option("--loud", is_flag=True, help="Louder.")
    def shout(loud: bool) -> None:
        """Not the help people read."""

    cli.add_command(shout)
    try:
        assert untranslated_help(shout, ("shout",)) == [
            "shout: help: 'Shout the names.' is not in Swedish",
            "shout: loud: 'Louder.' is not in Swedish",
            # click's words are Swedish in every command; our class translates the usage line
            "shout: '[OPTIONS]' on the help page",
        ]
    finally:
        del cli.commands["shout"]


def test_click_speaks_its_own_language_again_after_a_run() -> None:
    run("--lang", "sv", "--help")
    assert click.core._ is gettext.gettext
    assert click.exceptions.ngettext is gettext.ngettext


def test_usage_errors_in_swedish(tmp_path: Path, shipped_db: Path) -> None:
    missing = tmp_path / "ingen.csv"
    result = run("--lang", "sv", "import", str(missing), "--db", str(shipped_db))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Användning: ecograph import [FLAGGOR] PATHS...",
        "Skriv 'ecograph import --help' för hjälp.",
        "",
        f"Fel: Ogiltigt värde för 'PATHS...': Sökväg '{missing}' finns inte.",
    ]
    # an unknown option, with --lang after it: read before click parses anything
    result = run("query", "SELECT 1", "--bogus", "--lang", "sv")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Fel: Flaggan '--bogus' finns inte. Menade du '--out'?"
    )
    result = run("--lang", "sv", "nosuch")
    assert result.stderr.splitlines()[-1] == "Fel: Kommandot 'nosuch' finns inte."


def test_query_in_swedish(tmp_path: Path, shipped_db: Path) -> None:
    db = ("--db", str(shipped_db))
    result = run("--lang", "sv", "query", *db)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Fel: ange SQL eller namnet på en sparad fråga (se --list)"
    )
    out = tmp_path / "svar.csv"
    sql = "SELECT * FROM range(3)"
    written = run("--lang", "sv", "query", sql, "--format", "csv", "--out", str(out), *db)
    assert written.stderr == f"3 rader skrevs till {out}\n"
    capped = run("--lang", "sv", "query", sql, "--max-rows", "1", *db)
    assert capped.stderr == "(avkortat till 1 rad; höj --max-rows för fler)\n"  # singular
    assert run("query", sql, "--max-rows", "1", *db).stderr == (
        "(truncated to 1 row; raise --max-rows for more)\n"
    )


def test_analyze_in_swedish(shipped_db: Path) -> None:
    result = run("--lang", "sv", "analyze", "--db", str(shipped_db))
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-1]
    # "149 aktörer och 1 234 kopplingar analyserades på 0,7 s; tabeller som skrevs: …":
    # thousands with a no-break space, seconds with a decimal comma
    assert re.fullmatch(
        r"[\d\xa0]+ aktörer och [\d\xa0]+ kopplingar analyserades på \d+,\d s; "
        r"tabeller som skrevs: actor_metrics, .*",
        last,
    ), last
    assert "analyserar" in result.stderr  # the progress bar's label


def test_partners_in_swedish(shipped_db: Path) -> None:
    result = run(
        "--lang", "sv", "partners", "peak-innovation", "--top", "2", "--db", str(shipped_db)
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Partnerförslag för Peak Innovation (peak-innovation):"
    # "  1. Mittuniversitetet (Akademi, Östersund)  poäng 0,87": the kind's Swedish name, the
    # score with a decimal comma
    assert re.fullmatch(r"  1\. .+ \(.+\)  poäng \d+,\d\d", lines[1]), lines[1]
    assert lines[3].startswith("     introduktionsväg: Peak Innovation → ")
    missing = run("--lang", "sv", "partners", "--db", str(shipped_db))
    assert missing.stderr == (
        "fel: ange ACTOR_ID för aktören som ska få partnerförslag (eller --backtest)\n"
    )


def test_history_and_actors_in_swedish(db_path: Path, mini_dir: Path) -> None:
    db = ("--db", str(db_path))
    run("init", "--empty", *db)
    assert run("--lang", "sv", "history", *db).stdout == (
        "ändringsloggen är tom: den börjar med nästa import, sammanslagning eller radering\n"
    )
    assert run("--lang", "sv", "actors", "review", *db).stdout == (
        "inget att granska: inga osäkra matchningar väntar\n"
    )
    run("import", str(mini_dir), *db)
    first = run("--lang", "sv", "history", *db).stdout.splitlines()[0]
    assert re.fullmatch(r"#1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  import +\S+  \+\d+ ~0 -0", first)
    assert run("--lang", "sv", "snapshot", "list", *db).stdout == (
        "inga ögonblicksbilder än: `ecograph snapshot create NAMN`\n"
    )
    created = run("snapshot", "create", "uppföljning 2026 H2", "--lang", "sv", *db)
    assert created.stdout.endswith(" skapad\n")


def test_lab_list_in_swedish(db_path: Path) -> None:
    db = ("--db", str(db_path))
    run("init", "--empty", *db)
    assert run("--lang", "sv", "lab", "list", *db).stdout == (
        "inga lärlabb än: ecograph lab create --name NAMN --date ÅÅÅÅ-MM-DD\n"
    )
    made = run("--lang", "sv", "lab", "create", "--name", "Lärlabb 9", "--date", "2026-12-01", *db)
    assert re.fullmatch(r"lärlabb [A-Z0-9]+ skapat: http://\S+/lab/[A-Z0-9]+\n", made.stdout)
    table = run("lab", "--lang", "sv", "list", *db).stdout.splitlines()  # --lang on the group
    assert re.match(r"\| kod +\| namn +\| datum +\| status +\|", table[0])
    assert "| Lärlabb 9 | 1 december 2026 | öppet  |" in table[2]
    # English: the columns' own names, the date as English writes it
    english = run("lab", "list", *db).stdout.splitlines()
    assert re.match(r"\| code +\| name +\| date +\| status +\|", english[0])
    assert "| Lärlabb 9 | December 1," in english[2]  # the table wraps the rest of the date
    assert "| open   |" in english[2]
    # --json is for programs: the same in every language
    assert json.loads(run("--lang", "sv", "lab", "list", "--json", *db).stdout)[0]["status"] == (
        "open"
    )


def test_backup_in_swedish(db_path: Path, mini_dir: Path, tmp_path: Path) -> None:
    db = ("--db", str(db_path))
    run("init", "--empty", *db)
    run("import", str(mini_dir), *db)
    rows = sum(r["rows"] for r in json.loads(run("stats", "--json", *db).stdout))
    out = tmp_path / "kopia.zip"
    lines = run("--lang", "sv", "backup", "--out", str(out), *db).stdout.splitlines()
    assert lines[0] == f"säkerhetskopia av {db_path} skrevs till {out}"
    assert lines[1].startswith(f"rader: {SV.number(rows)}, schemaversion ")
    refused = run("--lang", "sv", "init", *db)
    assert refused.stderr == (
        f"fel: {db_path} innehåller redan uppgifter; lägg till --force för att ersätta dem med "
        "de medföljande uppgifterna\n"
    )


def test_ecograph_lang_sv_works_for_help_and_commands(db_path: Path) -> None:
    env: dict[str, str | None] = {"ECOGRAPH_LANG": "sv"}
    assert run("--help", env=env).output.startswith("Användning: ecograph [FLAGGOR]")
    run("init", "--empty", "--db", str(db_path))
    assert run("lab", "list", "--db", str(db_path), env=env).stdout.startswith("inga lärlabb än")
    # --lang wins over ECOGRAPH_LANG
    assert run("--lang", "en", "--help", env=env).output.startswith("Usage: ecograph [OPTIONS]")


def test_large_numbers_are_written_the_swedish_way() -> None:
    """The check behind the tables: a thousand has a no-break space in Swedish, none in
    English (a table that printed polars' 1234 in Swedish would fail here)."""
    import polars as pl

    from graph.cli.language import people_table

    frame = pl.DataFrame({"name": ["Åre"], "score": [1234.5], "pending": [1234]})
    # right-aligned to the heading's width ("väntar" is one character wider than "1 234")
    assert people_table(frame, SV).row(0) == ("Åre", f"1{NBSP}234,500", f" 1{NBSP}234")
    assert people_table(frame, SV).columns == ["namn", "poäng", "väntar"]
    assert people_table(frame, translator("en")).equals(frame)


def test_saved_queries_are_listed_by_their_swedish_titles() -> None:
    """`query --list` names each saved query in the run's language (the SQL stays)."""
    from graph.sql import load_queries

    saved = {q.name: q.title for q in load_queries()}
    english = CliRunner().invoke(cli, ["query", "--list"])
    swedish = CliRunner().invoke(cli, ["--lang", "sv", "query", "--list"])
    assert saved["boundary_spanners"] in english.output
    assert saved["boundary_spanners"] not in swedish.output
    assert "Gränsgångare mellan helixarna" in swedish.output
