"""Import problems in Swedish: the reasons of every family of problem (validation, graph XML
safety, encoding, CORDIS, Kumu) are built in the language chosen for the run, by the command
line's --lang or ``use_language``, and keep the file, row and column of the English ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

import click
import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

import graph.formats.messages as messages
from graph.cli import cli
from graph.errors import ImportValidationError, Problem, UsageError
from graph.formats.cordis import parse_nuts
from graph.formats.ingest import import_paths
from graph.formats.messages import reason_expr
from graph.i18n import Translator, translator, use_language
from tests.conftest import MINI, write_files
from tests.formats.test_cordis import ORGANIZATIONS, write_zip

NBSP = "\u00a0"

# A folder that breaks a rule of each kind the validator checks, one row each.
BROKEN = {
    **MINI,
    "actors.csv": MINI["actors.csv"]
    + "d,Fjällbolaget,fjallbolag,Berg,Jämtlands län,95,,s1\n"  # unknown kind, lat outside
    + "a,Dubblett AB,company,Åre,Jämtlands län,,,s1\n"  # an id seen on row 2
    + "e,,company,,,,,s1\n",  # no name
    "activities.csv": (
        "activity_id,name,kind,start_date,end_date,budget_sek,source_id\n"
        "p1,Projekt Ŋ,project,2024-06-30,2022-04-01,-5,s1\n"  # ends before it starts, negative
        "p2,Projekt 2,project,1 mars 2024,,mycket,s1\n"  # not a date, not a number
    ),
    "relations.csv": (
        "relation_id,from_actor,to_actor,kind,directed,start_date,end_date,weight,source_id\n"
        "r1,a,c,partnership,kanske,2020-01-01,,1,s1\n"  # not true or false
        "r2,a,a,partnership,false,,,1,s1\n"  # to itself
        "r3,a,zz,partnership,false,,,1,s1\n"  # unknown actor
    ),
}

# What the English reasons were before the catalogue, and what they are in Swedish, by
# file:row:column (worked out from the messages and the rows above; 95 is outside -90..90).
# Sorted as every import sorts them: by file, row and column.
BROKEN_EN = [
    "activities.csv:2:budget_sek: negative amount '-5'",
    "activities.csv:2:end_date: end date 2022-04-01 is before start date 2024-06-30",
    "activities.csv:3:budget_sek: not a number 'mycket'",
    "activities.csv:3:start_date: bad date '1 mars 2024' (use YYYY-MM-DD)",
    "actors.csv:5:kind: unknown kind 'fjallbolag' (allowed: ",
    "actors.csv:5:lat: 95 is outside -90..90",
    "actors.csv:6:actor_id: duplicate id 'a' (first on row 2)",
    "actors.csv:7:name: missing required value",
    "relations.csv:2:directed: not true or false: 'kanske'",
    "relations.csv:3:to_actor: relation from actor 'a' to itself",
    "relations.csv:4:to_actor: unknown actor 'zz'",
]
BROKEN_SV = [
    "activities.csv:2:budget_sek: negativt belopp '-5'",
    "activities.csv:2:end_date: slutdatumet 2022-04-01 är före startdatumet 2024-06-30",
    "activities.csv:3:budget_sek: inte ett tal 'mycket'",
    "activities.csv:3:start_date: felaktigt datum '1 mars 2024' (skriv ÅÅÅÅ-MM-DD)",
    "actors.csv:5:kind: okänd typ 'fjallbolag' (tillåtna: ",
    "actors.csv:5:lat: 95 ligger utanför -90..90",
    "actors.csv:6:actor_id: id:t 'a' finns redan (först på rad 2)",
    "actors.csv:7:name: obligatoriskt värde saknas",
    "relations.csv:2:directed: varken sant eller falskt: 'kanske'",
    "relations.csv:3:to_actor: relation från aktören 'a' till sig själv",
    "relations.csv:4:to_actor: okänd aktör 'zz'",
]


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _error_lines(result: click.testing.Result) -> list[str]:
    """The lines of stderr after the progress lines ("... läser filer")."""
    return [line for line in result.stderr.splitlines() if not line.startswith("... ")]


def _problems(con: duckdb.DuckDBPyConnection, paths: list[Path], lang: str, **kw) -> list[str]:
    with use_language(lang), pytest.raises(ImportValidationError) as caught:
        import_paths(con, paths, **kw)
    return [str(p) for p in caught.value.problems]


def _starts(lines: list[str], expected: list[str]) -> None:
    """Each line begins as expected (the allowed kinds are the vocabulary's, not written out)."""
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_validation_problems_in_swedish_keep_file_row_and_column(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = write_files(tmp_path / "broken", BROKEN)
    _starts(_problems(con, [folder], "en"), BROKEN_EN)
    _starts(_problems(con, [folder], "sv"), BROKEN_SV)


def test_command_line_import_speaks_swedish(db_path: Path, tmp_path: Path) -> None:
    """``ecograph --lang sv import`` writes the same problem lines the library builds, with
    the count line of the command line in Swedish too; English without --lang."""
    folder = write_files(tmp_path / "broken", BROKEN)
    run("init", "--empty", "--db", str(db_path))
    sv = run("--lang", "sv", "import", str(folder), "--db", str(db_path))
    assert sv.exit_code == 1
    assert sv.stderr.startswith("... läser filer\n... kontrollerar\n")
    lines = _error_lines(sv)
    assert lines[0] == "fel: 11 problem hittades, inget importerades"
    _starts(lines[1:], BROKEN_SV)
    en = run("import", str(folder), "--db", str(db_path))
    assert en.stderr.startswith("... reading files\n... validating\n")
    _starts(_error_lines(en)[1:], BROKEN_EN)


def test_swedish_numbers_in_a_field_limit(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A count in a reason is written the Swedish way (100 000, with a no-break space);
    English keeps its digits as they were (scripts match "100000 characters")."""
    folder = write_files(
        tmp_path / "long", {"sources.csv": MINI["sources.csv"] + "s2," + "x" * 100_001}
    )
    assert _problems(con, [folder], "sv") == [
        f"sources.csv:3:: oläslig CSV: ett fält längre än 100{NBSP}000 tecken"
    ]
    assert _problems(con, [folder], "en") == [
        "sources.csv:3:: unreadable CSV: a field longer than 100000 characters"
    ]


def test_encoding_problems_in_swedish(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "sources.csv").write_bytes(
        MINI["sources.csv"].encode() + "s2,Östersund,,false\n".encode("cp1252")
    )
    assert _problems(con, [mixed], "sv") == [
        "sources.csv:3:: blandade teckenkodningar (delvis UTF-8, delvis Windows-1252); spara "
        "hela filen som 'CSV UTF-8'"
    ]
    empty = write_files(tmp_path / "empty", {"sources.csv": "\n"})
    assert _problems(con, [empty], "sv") == ["sources.csv:1:: filen är tom"]


def test_graph_xml_safety_in_swedish(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A DOCTYPE in a GEXF file, and a file whose root is not <gexf>: refused in Swedish, on
    the command line as by the library."""
    doctype = tmp_path / "bomb.gexf"
    doctype.write_text(
        '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]>'
        '<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="n" label="&a;"/></nodes>'
        "</graph></gexf>",
        encoding="utf-8",
    )
    assert _problems(con, [doctype], "sv") == [
        "bomb.gexf::: GEXF: XML med en DOCTYPE- eller ENTITY-deklaration tas inte emot "
        "(entitetsexpansion och externa filer; DTDForbidden)"
    ]
    wrong = tmp_path / "other.gexf"
    wrong.write_text("<graphml><graph/></graphml>", encoding="utf-8")
    assert _problems(con, [wrong], "sv") == [
        "other.gexf::: GEXF: rotelementet är <graphml>, inte <gexf>"
    ]


def test_graph_file_warnings_in_swedish_with_plural_forms(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A GEXF file with one self-loop and two nodes without a kind: the counted warnings in
    Swedish take the singular and the plural."""
    path = tmp_path / "map.gexf"
    path.write_text(
        '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="undirected">'
        '<nodes><node id="1" label="Ávki"/><node id="2" label="Åre"/></nodes>'
        '<edges><edge source="1" target="2"/><edge source="1" target="1"/></edges>'
        "</graph></gexf>",
        encoding="utf-8",
    )
    with use_language("sv"):
        report = import_paths(con, [path])
        summary = report.summary()
    assert report.warnings == [
        "map.gexf: 1 självloop hoppades över: en koppling behöver två aktörer",
        "map.gexf: 2 noder saknar typ och importerades som 'other' (annan)",
    ]
    assert "actors: 2 rader (2 nya, 0 ändrade)" in summary.splitlines()


def test_kumu_problems_in_swedish(db_path: Path, tmp_path: Path) -> None:
    """A Kumu elements sheet without its Label column, imported from the command line."""
    path = tmp_path / "elements.csv"
    path.write_text("Type,Description\ncompany,Åre Företag AB\n", encoding="utf-8")
    run("init", "--empty", "--db", str(db_path))
    result = run("--lang", "sv", "import", str(path), "--format", "kumu", "--db", str(db_path))
    assert result.exit_code == 1
    assert _error_lines(result) == [
        "fel: 1 problem hittades, inget importerades",
        "elements.csv:1:Label: obligatorisk kolumn saknas",
    ]


def test_cordis_problems_and_errors_in_swedish(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    bad = [ORGANIZATIONS[0].replace("400000.25", "fyrahundra"), *ORGANIZATIONS[1:]]
    path = write_zip(tmp_path, organizations=bad)
    assert _problems(con, [path], "sv") == [
        "cordis-HORIZONprojects-csv.zip[organization.csv]:2:ecContribution: "
        "inte ett tal 'fyrahundra'"
    ]
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "hello")
    (line,) = _problems(con, [other], "sv")
    assert line.startswith("photos.zip::: inte en CORDIS-zipfil: project.csv och")
    with use_language("sv"), pytest.raises(UsageError, match=r"^'S3' är ingen NUTS-kod"):
        parse_nuts("S3")


def test_every_reason_of_the_broken_folder_is_translated(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Can fail: a reason left in English, or built from pieces outside the catalogue, would
    read the same in both languages."""
    folder = write_files(tmp_path / "broken", BROKEN)
    english = _problems(con, [folder], "en")
    swedish = _problems(con, [folder], "sv")
    same = [sv for en, sv in zip(english, swedish, strict=True) if en == sv]
    assert same == []


def test_reasons_follow_the_translation_s_word_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A language may put the placeholders in another order, and write braces: the polars
    pieces follow the translation, not the English."""
    reordered = {
        "end date {end} is before start date {start}": "{start} kommer efter {end} {{!}}",
    }
    english = translator("en")
    fake = Translator(
        "xx",
        lambda m: reordered.get(m, m),
        english.ngettext,
        english.pgettext,
        english.npgettext,
    )
    monkeypatch.setattr(messages, "translator", lambda: fake)
    frame = pl.DataFrame({"s": ["2024-01-01", None], "e": ["2023-01-01", "2023-02-01"]})
    why = reason_expr(
        "end date {end} is before start date {start}", end=pl.col("e"), start=pl.col("s")
    )
    assert frame.select(why.alias("r"))["r"].to_list() == [
        "2024-01-01 kommer efter 2023-01-01 {!}",
        None,  # a missing part gives no reason, as concatenation with + did
    ]
    assert str(Problem("f.csv", "2", "end_date", "x")) == "f.csv:2:end_date: x"
