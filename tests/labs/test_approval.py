"""Approval: answers become relations sourced to the lab, through the import's validation and
actor matching; wanted ties are stored apart and are never ties."""

from __future__ import annotations

import sqlite3
from datetime import date

import duckdb
import pytest

from graph.analysis.network import load_graph
from graph.errors import ImportValidationError
from graph.labs.approval import approve, reject, review
from graph.labs.lab import CreatedLab
from graph.labs.queue import (
    LabClosedError,
    add_submission,
    correct_submission,
    known_name,
    list_submissions,
    purge_expired,
    set_lab_status,
)
from graph.labs.submission import Submission, parse_submission


def _sub(queue: sqlite3.Connection, data: dict[str, object]) -> Submission:
    sub, errors = parse_submission(data, known=lambda i: known_name(queue, i))
    assert errors == {}
    assert sub is not None
    return sub


ANSWERS = {
    # the way a participant types it, not the database's spelling "Mittuniversitetet"
    "organisation": {"name": "MITTUNIVERSITETET", "kind": "academia", "municipality": "Östersund"},
    "ties": [
        {"partner": {"id": "svid"}, "kind": "project", "strength": "core", "since": "2021"},
        {"partner": {"name": "Kluster Ŋorr"}, "kind": "advice", "strength": "regularly"},
    ],
    "wanted": [{"partner": {"id": "avki"}, "obstacle": "vi når dem inte"}],
    "contact": "Kontakt Persson",
}


def test_approval_writes_sourced_relations_and_matches_known_actors(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    code = lab.lab.code
    receipt, _ = add_submission(queue, code, _sub(queue, ANSWERS), "phone-1")
    before = shipped_con.execute("SELECT count(*) FROM relations").fetchall()[0]
    done = approve(shipped_con, queue, code)
    assert done.receipts == (receipt,)
    assert (done.ties, done.wanted) == (2, 1)
    rows = shipped_con.execute(
        "SELECT r.from_actor, r.to_actor, CAST(r.kind AS VARCHAR), r.weight, r.start_date, "
        "s.title FROM relations AS r JOIN sources AS s USING (source_id) "
        "WHERE r.source_id = ? ORDER BY r.relation_id",
        [lab.lab.source_id],
    ).fetchall()
    new_cluster = f"lab-{code.lower()}-kluster-norr"
    # MITTUNIVERSITETET matched the known Mid Sweden University (id miun): no new actor
    assert rows == [
        ("miun", "svid", "partnership", 3.0, date(2021, 1, 1),
         "Lärlabb 2, 2026-12-10: participants' statements"),
        ("miun", new_cluster, "advice", 2.0, None,
         "Lärlabb 2, 2026-12-10: participants' statements"),
    ]  # fmt: skip
    assert shipped_con.execute("SELECT count(*) FROM relations").fetchall()[0][0] == before[0] + 2
    assert shipped_con.execute(
        "SELECT alias FROM actor_aliases WHERE actor_id = 'miun' AND alias = 'MITTUNIVERSITETET'"
    ).fetchall() == [("MITTUNIVERSITETET",)]
    assert shipped_con.execute(
        "SELECT name, CAST(kind AS VARCHAR), source_id FROM actors WHERE actor_id = ?",
        [new_cluster],
    ).fetchall() == [("Kluster Ŋorr", "other", lab.lab.source_id)]
    # the contact person never reaches the database
    for (table,) in shipped_con.execute("SHOW TABLES").fetchall():
        cells = shipped_con.execute(f'SELECT * FROM "{table}"').fetchall()
        assert not any("Kontakt Persson" in str(c) for row in cells for c in row), table
    assert [s.status for s in list_submissions(queue, code)] == ["approved"]


def test_wanted_ties_are_never_ties(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    """miun has no tie with avki in the shipped data; wanting one must not make one."""
    add_submission(queue, lab.lab.code, _sub(queue, ANSWERS), "phone-1")
    approve(shipped_con, queue, lab.lab.code)
    assert shipped_con.execute(
        "SELECT from_actor, to_actor, obstacle FROM wanted_ties"
    ).fetchall() == [("miun", "avki", "vi når dem inte")]
    pair = "least(actor_a, actor_b) = 'avki' AND greatest(actor_a, actor_b) = 'miun'"
    assert shipped_con.execute(f"SELECT count(*) FROM collaborations WHERE {pair}").fetchall() == [
        (0,)
    ]
    G = load_graph(shipped_con)
    assert G.has_edge("miun", "svid")
    assert not G.has_edge("miun", "avki")


def test_approving_twice_writes_nothing_new(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    """A crash after DuckDB's commit and before the queue's mark leaves the answers pending:
    the second approval must find every row already there."""
    receipt, _ = add_submission(queue, lab.lab.code, _sub(queue, ANSWERS), "phone-1")
    approve(shipped_con, queue, lab.lab.code)
    queue.execute("UPDATE submissions SET status = 'pending'")  # as if the mark was lost
    again = approve(shipped_con, queue, lab.lab.code, [receipt])
    assert not again.report.modified


def test_a_rejected_tie_is_left_out_and_a_rejected_submission_never_written(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    code = lab.lab.code
    first, _ = add_submission(queue, code, _sub(queue, ANSWERS), "phone-1")
    second, _ = add_submission(queue, code, _sub(queue, ANSWERS), "phone-2")
    reject(queue, code, [f"{first}/2", second])
    assert review(shipped_con, queue, code).filter(item=f"{first}/2")["status"].to_list() == [
        "rejected"
    ]
    done = approve(shipped_con, queue, code)
    assert done.receipts == (first,)
    assert done.ties == 1
    assert shipped_con.execute(
        "SELECT to_actor FROM relations WHERE source_id = ?", [lab.lab.source_id]
    ).fetchall() == [("svid",)]


def test_review_shows_each_organisations_match(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    add_submission(queue, lab.lab.code, _sub(queue, ANSWERS), "phone-1")
    frame = review(shipped_con, queue, lab.lab.code)
    assert frame["org_match"].unique().to_list() == ["known actor: Mittuniversitetet"]
    assert frame["partner_match"].to_list() == ["known actor", "new organisation", "known actor"]
    assert "contact" not in frame.columns
    assert not any("Kontakt" in str(v) for v in frame.rows())


def test_a_correction_replaces_the_answers_until_the_lab_closes(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    code = lab.lab.code
    receipt, token = add_submission(queue, code, _sub(queue, ANSWERS), "phone-1")
    fewer = {**ANSWERS, "ties": ANSWERS["ties"][:1], "wanted": []}  # type: ignore[index]
    assert correct_submission(queue, code, receipt, token, _sub(queue, fewer)) == 2
    approve(shipped_con, queue, code)
    assert shipped_con.execute("SELECT count(*) FROM wanted_ties").fetchall() == [(0,)]
    set_lab_status(queue, code, "closed")
    with pytest.raises(LabClosedError):
        correct_submission(queue, code, receipt, token, _sub(queue, ANSWERS))
    with pytest.raises(LabClosedError):
        add_submission(queue, code, _sub(queue, ANSWERS), "phone-3")


def test_answers_that_fail_the_import_checks_write_and_mark_nothing(
    shipped_con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    """The importer's own rule decides: an actor chosen by id in the type-ahead and deleted
    before approval is a reference that points nowhere."""
    add_submission(queue, lab.lab.code, _sub(queue, ANSWERS), "phone-1")
    shipped_con.execute("DELETE FROM actors WHERE actor_id = 'svid'")
    before = shipped_con.execute("SELECT count(*) FROM relations").fetchall()[0]
    with pytest.raises(ImportValidationError, match="svid"):
        approve(shipped_con, queue, lab.lab.code)
    assert shipped_con.execute("SELECT count(*) FROM relations").fetchall()[0] == before
    assert [s.status for s in list_submissions(queue, lab.lab.code)] == ["pending"]


def test_raw_answers_are_deleted_after_the_retention_period(
    queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    add_submission(queue, lab.lab.code, _sub(queue, ANSWERS), "phone-1")
    # lab on 2026-12-10, 90 days: kept on 2027-03-10 (day 90), deleted on 2027-03-11
    assert purge_expired(queue, 90, today=date(2027, 3, 10)) == 0
    assert purge_expired(queue, 90, today=date(2027, 3, 11)) == 1
    assert queue.execute("SELECT count(*) FROM contacts").fetchone() == (0,)
