"""The lab summary in Swedish and in English: the page's language on ``<html lang>``, the
headings from the template's ``{% trans %}`` blocks, the sentences with Swedish plurals and
numbers, the helices as a sentence names them, and every name escaped."""

from __future__ import annotations

import sqlite3

import duckdb
import polars as pl

from graph.labs.approval import approve
from graph.labs.lab import CreatedLab, lab_source_title
from graph.labs.queue import add_submission, known_name
from graph.labs.submission import parse_submission
from graph.present.lab_summary import added_line, lab_summary, lab_summary_html, wanted_vs_gaps

ANSWERS = {
    "organisation": {"id": "miun"},
    "ties": [{"partner": {"id": "svid"}, "kind": "project", "strength": "core"}],
    "wanted": [{"partner": {"id": "region-jh"}, "obstacle": "<b>tid</b>"}],
}


def _summary(
    con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab, lang: str
) -> tuple[dict[str, object], str]:
    sub, errors = parse_submission(ANSWERS, known=lambda i: known_name(queue, i))
    assert sub is not None, errors
    add_submission(queue, lab.lab.code, sub, "phone")
    approve(con, queue, lab.lab.code)
    # academia–public: 2 ties observed where 1.234 were expected (ratio 1.62 → "1,6×")
    mixing = pl.DataFrame(
        {"grouping": ["helix"], "group_a": ["academia"], "group_b": ["public"],
         "observed": [2.0], "expected": [1.234], "ratio": [2.0 / 1.234],
         "verdict": ["more_than_expected"]}
    )  # fmt: skip
    summary = lab_summary(
        con, activity_id=lab.lab.activity_id, source_id=lab.lab.source_id, mixing=mixing,
        lang=lang,
    )  # fmt: skip
    title = lab_source_title(lab.lab.name, lab.lab.lab_date, lang)
    return summary, lab_summary_html(summary, name=lab.lab.name, source_title=title, lang=lang)


def test_the_summary_in_swedish(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    summary, html = _summary(shipped_con, queue, lab, "sv")
    assert '<html lang="sv">' in html
    assert "<title>Lärlabbets sammanfattning: Lärlabb 2</title>" in html
    assert "<h2>Det labbet tillförde</h2>" in html
    assert "1 organisation uppgav 1 koppling; 0 organisationer var nya i databasen." in html
    assert "<th>helixpar</th><th>kopplingar</th>" in html
    assert "<td>akademin – civilsamhället</td>" in html
    assert (
        "Deltagarna nämnde 1 saknad koppling mellan akademin och offentlig sektor; analysen "
        "mäter paret till 1,6× det förväntade (fler än förväntat)." in html
    )
    assert "Källa: Lärlabb 2, 2026-12-10: deltagarnas uppgifter. Skapad " in html
    assert "&lt;b&gt;tid&lt;/b&gt;" in html
    assert "<b>tid</b>" not in html
    assert "What the lab added" not in html
    assert added_line(summary, "sv") == (
        "1 organisation uppgav 1 koppling; 0 organisationer var nya i databasen."
    )


def test_the_summary_in_english_keeps_its_words(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    _, html = _summary(shipped_con, queue, lab, "en")
    assert '<html lang="en">' in html
    assert "<h2>What the lab added</h2>" in html
    assert "1 organisation stated 1 tie; 0 organisations were new to the database." in html
    assert (
        "Participants named 1 missing link between academia and public; the analysis finds "
        "that pair at 1.6× expected (more than expected)." in html
    )


def test_swedish_plurals_and_numbers_in_the_wanted_sentences() -> None:
    wanted = pl.DataFrame(
        {"from_helix": ["civil_society"] * 3, "to_helix": ["industry"] * 3}
    )  # fmt: skip
    sentence = wanted_vs_gaps(wanted, None, "sv")["sentence"][0]
    assert sentence == (
        "Deltagarna nämnde 3 saknade kopplingar mellan civilsamhället och näringslivet; "
        "analysen har för få kopplingar mellan dem för att jämföra."
    )
