"""The three lab pages through the whole app with AppTest: Labs (editors: create, queue with
matches, approve), Lab projector and Lab summary; a viewer of a shared app cannot moderate; an
organisation named like a script tag reaches the pages only as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.labs.lab import create_lab
from graph.labs.queue import add_submission, known_name, list_submissions, open_queue, queue_path
from graph.labs.submission import parse_submission
from graph.store.database import connect, open_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def lab_db(tmp_path: Path) -> tuple[Path, str]:
    """The shipped data, one lab, one pending submission naming a new organisation SCRIPT."""
    db = tmp_path / "lab.duckdb"
    init_database(db, synthetic=False)
    with open_db(db) as con, open_queue(queue_path(db)) as queue:
        code = create_lab(
            con,
            queue,
            name="Lärlabb 1",
            lab_date=date(2026, 12, 10),
            base_url="http://127.0.0.1:8501",
        ).lab.code
        sub, errors = parse_submission(
            {
                "organisation": {"name": "MITTUNIVERSITETET", "kind": "academia"},
                "ties": [
                    {"partner": {"name": SCRIPT}, "kind": "project", "strength": "core"},
                    {"partner": {"id": "svid"}, "kind": "advice", "strength": "regularly"},
                ],
                "wanted": [{"partner": {"id": "region-jh"}, "obstacle": "tid"}],
            },
            known=lambda i: known_name(queue, i),
        )
        assert sub is not None, errors
        add_submission(queue, code, sub, "phone")
    return db, code


def _page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file("../../app.py", default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_an_editor_sees_the_queue_with_matches_and_approves_all(
    monkeypatch: pytest.MonkeyPatch, lab_db: tuple[Path, str]
) -> None:
    db, code = lab_db
    at = _page(monkeypatch, db, "ui/lab_moderation.py")
    assert any(f"/lab/{code}" in m.value for m in at.markdown)
    queue = next(d.value for d in at.dataframe if "org_match" in d.value.columns)
    assert queue["org_match"].unique().tolist() == ["known actor: Mittuniversitetet"]
    assert SCRIPT in queue["partner"].tolist()  # a cell of the grid: text, never markup
    next(b for b in at.button if b.label == "Approve all pending").click().run()
    assert not at.exception
    assert any("Approved 1 submission: 2 ties, 1 wanted tie." in s.value for s in at.success)
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM wanted_ties").fetchall() == [(1,)]
    finally:
        con.close()
    with open_queue(queue_path(db)) as queue:
        assert [q.status for q in list_submissions(queue, code)] == ["approved"]


def test_a_viewer_of_a_shared_app_cannot_moderate(
    monkeypatch: pytest.MonkeyPatch, lab_db: tuple[Path, str]
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    db, _code = lab_db
    at = _page(monkeypatch, db, "ui/lab_moderation.py")
    assert [i.value for i in at.info][-1].startswith("Moderating learning labs is for editors")
    assert not at.dataframe
    assert not [b for b in at.button if b.label == "Approve all pending"]


def test_projector_and_summary_after_approval(
    monkeypatch: pytest.MonkeyPatch, lab_db: tuple[Path, str]
) -> None:
    db, _code = lab_db
    at = _page(monkeypatch, db, "ui/lab_moderation.py")
    next(b for b in at.button if b.label == "Approve all pending").click().run()
    projector = _page(monkeypatch, db, "ui/lab_projector.py")
    metrics = {m.label: m.value for m in projector.metric}
    # MITTUNIVERSITETET (= miun), the new organisation SCRIPT and svid: 3 organisations, 2 ties
    assert (metrics["Organisations"], metrics["Ties"]) == ("3", "2")
    summary = _page(monkeypatch, db, "ui/lab_summary.py")
    lines = [m.value for m in summary.markdown]
    # the wanted tie miun (academia) → Region Jämtland Härjedalen (public)
    assert any("missing link between academia and public" in line for line in lines), lines
    assert not any(SCRIPT in line for line in lines)  # escaped wherever it is shown


def test_the_lab_pages_in_swedish(
    monkeypatch: pytest.MonkeyPatch, lab_db: tuple[Path, str]
) -> None:
    """The session's language reaches the queue's matches, the counts and the summary."""
    db, _code = lab_db
    at = _page(monkeypatch, db, "ui/lab_moderation.py", "sv")
    assert at.title[0].value == "Lärlabb"
    assert at.selectbox[0].label == "Labb"
    assert "10 december 2026 · " in at.selectbox[0].options[0]  # the lab picker
    queue = next(d.value for d in at.dataframe if "org_match" in d.value.columns)
    assert queue["org_match"].unique().tolist() == ["känd aktör: Mittuniversitetet"]
    assert sorted(queue["how"].unique().tolist()) == ["I ett projekt", "Rådgivning", "önskad"]
    assert set(queue["status"]) == {"väntar"}
    next(b for b in at.button if b.label == "Godkänn alla som väntar").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Godkände 1 svar: 2 kopplingar, 1 önskad koppling."]
    projector = _page(monkeypatch, db, "ui/lab_projector.py", "sv")
    metrics = {m.label: m.value for m in projector.metric}
    assert (metrics["Organisationer"], metrics["Kopplingar"]) == ("3", "2")
    summary = _page(monkeypatch, db, "ui/lab_summary.py", "sv")
    assert summary.subheader[0].value == "Det labbet tillförde"
    lines = [m.value for m in summary.markdown]
    assert any(
        "1 saknad koppling mellan akademin och offentlig sektor" in line for line in lines
    ), lines
    assert not any(SCRIPT in line for line in lines)
