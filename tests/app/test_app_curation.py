"""The Data page's CORDIS import and its Review and clean tab, in Streamlit's AppTest on real
database files: an upload of the CORDIS zip with a NUTS filter, the uncertain match it leaves,
settled by merging or dismissing, and actors deleted — and none of it open to a viewer of a
shared app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.curation.merge import pending_candidates
from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.store.database import connect
from tests.conftest import file_unchanged, snapshot_file
from tests.formats.test_cordis import ORGANIZATIONS, PROJECTS, options, write_zip
from ui.auth import TOKEN_KEY
from ui.transfer import import_uploads

APP = "../../app.py"  # relative to this file
PASSWORD = "correct horse battery staple"


@pytest.fixture
def shipped_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "shipped.duckdb"
    init_database(path, synthetic=False)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


@pytest.fixture
def review_db(shipped_db: Path, tmp_path: Path) -> Path:
    """The shipped data plus the CORDIS fixture for SE322: one uncertain match is pending."""
    con = connect(shipped_db)
    try:
        import_paths(con, [write_zip(tmp_path / "download")], cordis=options("SE322"))
        assert pending_candidates(con).height == 1
    finally:
        con.close()
    return shipped_db


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = connect(path, read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _shown(elements: Any) -> list[str]:
    """The texts of message elements as a reader sees them (markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def _review_tab(secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.switch_page("ui/data.py").run()
    assert not at.exception, at.exception
    return at


def test_cordis_zip_upload_applies_the_region_filter(shipped_db: Path, tmp_path: Path) -> None:
    """What the Import tab does with an uploaded zip and a NUTS code typed into its field."""
    zipped = write_zip(tmp_path / "download")
    outcome = import_uploads(
        [(zipped.name, zipped.read_bytes())], path=shipped_db, cordis=options("SE322")
    )
    assert outcome.report is not None, outcome.problems
    assert outcome.report.to_review == 1
    assert outcome.report.matched >= 1  # MITTUNIVERSITETET is the shipped Mid Sweden University
    projects = _query(
        shipped_db, "SELECT activity_id FROM activities WHERE source_id LIKE 'cordis%' ORDER BY 1"
    )
    # P1 has a partner in SE322; P2 (SE321) and P3 (France, Germany) are left out
    assert projects == [("cordis-101000001",)]


def test_cordis_upload_problems_name_the_uploaded_file(shipped_db: Path) -> None:
    before = snapshot_file(shipped_db)
    broken = ORGANIZATIONS[0].replace("400000.25", "lots")
    zipped_dir = Path(shipped_db).parent / "bad"
    zipped = write_zip(zipped_dir, PROJECTS, [broken, *ORGANIZATIONS[1:]])
    outcome = import_uploads(
        [(zipped.name, zipped.read_bytes())], path=shipped_db, cordis=options("SE322")
    )
    assert outcome.report is None
    rows = outcome.problem_frame.rows(named=True)
    assert any(
        r["file"] == "cordis-HORIZONprojects-csv.zip[organization.csv]"
        and r["row"] == "2"
        and r["column"] == "ecContribution"
        for r in rows
    ), rows
    assert file_unchanged(shipped_db, before)


def test_import_tab_offers_the_cordis_options(shipped_db: Path) -> None:
    at = _review_tab()
    assert at.number_input(key="data_cordis_eur_sek").value == pytest.approx(11.48)
    at.text_input(key="data_cordis_nuts").input("SE322").run()
    assert not at.exception
    assert "cordis" in at.selectbox(key="data_format").options


def test_review_tab_lists_and_merges_the_uncertain_match(review_db: Path) -> None:
    at = _review_tab()
    assert any("Review and clean" in t.label for t in at.tabs)
    frames = [d.value for d in at.dataframe]
    assert any(
        "cordis-999000003" in f["incoming_id"].to_list()
        for f in frames
        if "incoming_id" in f.columns
    )
    label = at.selectbox(key="review_pair").format_func(at.selectbox(key="review_pair").value)
    assert "MID SWEDEN SCIENCE PARK AB (cordis-999000003)" in label
    at.button(key="review_merge").click().run()
    assert not at.exception, at.exception
    assert any(
        "merged cordis-999000003 into mid-sweden-science-park" in s for s in _shown(at.success)
    )
    assert _query(review_db, "SELECT count(*) FROM actors WHERE actor_id = 'cordis-999000003'") == [
        (0,)
    ]
    aliases = _query(
        review_db,
        "SELECT alias FROM actor_aliases WHERE actor_id = 'mid-sweden-science-park' ORDER BY 1",
    )
    assert ("MID SWEDEN SCIENCE PARK AB",) in aliases
    assert ("cordis-999000003",) in aliases
    assert any("Nothing to review" in s for s in _shown(at.success))


def test_review_tab_dismisses_a_pair(review_db: Path) -> None:
    at = _review_tab()
    at.button(key="review_dismiss").click().run()
    assert not at.exception, at.exception
    assert any("are different actors" in s for s in _shown(at.success))
    assert _query(review_db, "SELECT status FROM match_candidates") == [("dismissed",)]
    # both actors stay
    assert _query(
        review_db,
        "SELECT count(*) FROM actors "
        "WHERE actor_id IN ('cordis-999000003', 'mid-sweden-science-park')",
    ) == [(2,)]


def test_delete_needs_the_confirmation_then_deletes(shipped_db: Path) -> None:
    at = _review_tab()
    assert any("Nothing to review" in s for s in _shown(at.success))
    at.multiselect(key="delete_actors").set_value(["svid"]).run()
    assert at.button(key="delete_button").disabled  # not confirmed yet
    at.checkbox(key="delete_confirm").check().run()
    assert not at.button(key="delete_button").disabled
    at.button(key="delete_button").click().run()
    assert not at.exception, at.exception
    assert any("deleted 1 actor(s) (svid)" in s for s in _shown(at.success))
    assert _query(shipped_db, "SELECT count(*) FROM actors WHERE actor_id = 'svid'") == [(0,)]
    assert _query(
        shipped_db, "SELECT count(*) FROM collaborations WHERE 'svid' IN (actor_a, actor_b)"
    ) == [(0,)]
    assert at.multiselect(key="delete_actors").value == []


def test_viewer_of_a_shared_app_sees_the_list_but_cannot_settle_or_delete(
    review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = snapshot_file(review_db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["ecograph"] = {"editor_password": PASSWORD}
    at.switch_page("ui/data.py")
    for key, value in {
        "review_merge": True,
        "review_dismiss": True,
        "review_pair": 0,
        "delete_actors": ["svid"],
        "delete_confirm": True,
        "delete_button": True,
        TOKEN_KEY: "0" * 64,
    }.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    keys = {str(w.key) for w in (*at.button, *at.selectbox, *at.multiselect, *at.checkbox)}
    assert not {"review_merge", "review_dismiss", "review_pair", "delete_button"} & keys
    frames = [d.value for d in at.dataframe]
    assert any("incoming_id" in f.columns for f in frames)  # the list itself is readable
    assert file_unchanged(review_db, before)


def test_curation_functions_refuse_a_viewer(
    review_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = snapshot_file(review_db)

    def script(db: str) -> None:
        from pathlib import Path

        import streamlit as st

        from graph.errors import AccessDeniedError
        from ui import curation

        for name, call in {
            "merge": lambda: curation.merge(
                "mid-sweden-science-park", "cordis-999000003", path=Path(db)
            ),
            "dismiss": lambda: curation.dismiss(
                "cordis-999000003", "mid-sweden-science-park", path=Path(db)
            ),
            "delete": lambda: curation.delete(["svid"], path=Path(db)),
        }.items():
            try:
                call()
                st.success(f"{name} done")
            except AccessDeniedError as exc:
                st.error(f"{name} refused: {exc}")

    at = AppTest.from_function(script, args=(str(review_db),), default_timeout=60)
    at.secrets["ecograph"] = {"editor_password": PASSWORD}
    at.session_state[TOKEN_KEY] = "forged"
    at.run()
    assert not at.exception, at.exception
    assert not at.success
    assert [e.value.split(":")[0] for e in at.error] == [
        "merge refused",
        "dismiss refused",
        "delete refused",
    ]
    assert file_unchanged(review_db, before)
