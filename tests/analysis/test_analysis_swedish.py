"""The analysis speaks the language in force (issue #19): the what-if's lines, the errors a user
can cause, the analysis steps a progress bar names, and the coverage flags, in Swedish -- with
Swedish numbers (``0,476``, ``−80 %``) -- while English stays exactly as it was."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from graph.analysis.coverage import flags_text
from graph.analysis.fragility import global_efficiency, reason_text, whatif
from graph.analysis.gaps import ANALYSIS_STEPS, AnalysisParams, run_analysis
from graph.analysis.mixing import group_text, memberships
from graph.analysis.network import GraphFilter
from graph.analysis.timeline import at_risk_ties
from graph.datasets.bootstrap import init_database
from graph.errors import UsageError
from graph.i18n import use_language
from tests.analysis.test_fragility import _ecosystem
from tests.app.test_browser_swedish import english_words
from tests.conftest import ROOT


def test_whatif_lines_in_swedish() -> None:
    """The same scenario as test_fragility's English lines: removing the cluster splits the
    network into 5 parts and leaves 4 firms without support; efficiency 10/21 -> 2/21."""
    lines = whatif(_ecosystem(), remove=["clu"]).summary_lines(lang="sv")
    assert lines == [
        "Om Peak Innovation tas bort delas nätverket i 5 delar (var 2); 4 aktörer förlorar "
        "alla vägar till stöd: Bräcke Trä AB, Samverket, Ávki Design AB, Åre Cykel AB.",
        "Kopplingar: 7 före, 2 efter (5 med den borttagna aktören).",
        "Största sammanhängande del: 7 aktörer före, 2 efter.",
        "Kluster, coworkingplatser och företag utan väg till någon stödaktör: 1 före, 5 efter.",
        # decimal comma, and a no-break space before the percent sign
        "Effektivitet (hur lätt alla når alla; 1 = alla har en direkt koppling): "
        "0,476 före, 0,095 efter (−80\u00a0%).",
    ]
    assert english_words("what-if", "\n".join(lines)) == []


def test_whatif_in_the_language_in_force_with_both_removal_and_ending() -> None:
    """Without ``lang`` the lines speak the language chosen for the work (the app's session,
    the CLI's --lang); the subordinate clause comes first, so the verb follows it."""
    with use_language("sv"):
        lines = whatif(_ecosystem(), remove=["cow"], end_activities=["lab"]).summary_lines(
            {"lab": "Lärlabb 1"}
        )
    assert lines[0].startswith(
        "Om Samverket tas bort och om Lärlabb 1 avslutas delas nätverket i 3 delar (var 2); "
    )
    assert lines[0].endswith("1 aktör förlorar alla vägar till stöd: Ávki Design AB.")
    assert lines[1] == "Kopplingar: 7 före, 5 efter (2 med den borttagna aktören)."
    english = whatif(_ecosystem(), remove=["cow"], end_activities=["lab"]).summary_lines(
        {"lab": "Lärlabb 1"}, lang="en"
    )
    assert english[0].startswith(
        "Removing Samverket and ending Lärlabb 1 splits the network into 3 parts "
    )
    # the check the browser test uses tells the two apart
    assert english_words("what-if", english[0]) != []


def test_nothing_changed_and_a_sampled_efficiency_in_swedish() -> None:
    """No change at all, on a graph above the exact limit: the estimate says how it was made."""
    result = whatif(_ecosystem(), exact_limit=2, pivots=3, seed=7)
    lines = result.summary_lines(lang="sv")
    assert lines[0] == (
        "Om inget ändras består nätverket av 2 delar, som förut; inget kluster, ingen "
        "coworkingplats och inget företag förlorar sin väg till stöd."
    )
    assert lines[-1].endswith(" (+0\u00a0%); stickprov på 3 startpunkter (frö 7).")
    # the data keeps its English value (stored and shared by every language)
    assert result.efficiency_method == "sampled 3 sources (seed 7)"


def test_errors_a_user_can_cause_in_swedish() -> None:
    G = _ecosystem()
    with use_language("sv"), pytest.raises(UsageError) as unknown:
        whatif(G, remove=["reg", "nobody", "noone"])
    assert str(unknown.value) == (
        "'nobody' och 'noone' finns inte bland nätverkets aktörer: kontrollera aktörernas id "
        "(och urvalet som nätverket byggdes med)"
    )
    with use_language("sv"), pytest.raises(UsageError, match=r"bygger på aktiviteten 'x'"):
        whatif(G, end_activities=["x"])
    with use_language("sv"), pytest.raises(UsageError, match=r"^tidsfönstret slutar"):
        GraphFilter(start=date(2026, 12, 1), end=date(2025, 1, 1))
    with use_language("sv"), pytest.raises(UsageError, match=r"^okänd gruppering 'colour'"):
        memberships(G, "colour")
    with use_language("sv"), pytest.raises(UsageError, match=r"^gruppering efter gemenskap"):
        memberships(G, "community")
    with use_language("sv"), pytest.raises(UsageError, match=r"^pivots måste vara 1 eller mer"):
        global_efficiency(G, pivots=0)
    empty = pl.DataFrame()
    with use_language("sv"), pytest.raises(UsageError, match=r"inte -1 och 0$"):
        at_risk_ties(empty, empty, empty, as_of=date(2026, 12, 1), months_back=-1, months_ahead=0)
    # and in English as before
    with use_language("en"), pytest.raises(UsageError, match=r"^no actor 'nobody' in the network"):
        whatif(G, remove=["nobody"])


def test_the_progress_bar_names_the_steps_in_swedish(con: duckdb.DuckDBPyConnection) -> None:
    steps: list[str] = []
    with use_language("sv"):
        run_analysis(con, AnalysisParams(as_of=date(2026, 12, 1)), progress=steps.append)
    assert len(steps) == ANALYSIS_STEPS
    assert steps[:3] == [
        "bygger nätverket",
        "aktörsmått",
        "samarbete mellan grupper jämfört med slumpnätverk",
    ]
    english: list[str] = []
    run_analysis(con, AnalysisParams(as_of=date(2026, 12, 1)), progress=english.append)
    assert english[0] == "building the network"


def test_coverage_flags_are_data_and_read_in_swedish() -> None:
    assert flags_text("no academia; no industry; no support actor", "sv") == (
        "ingen akademi; inget näringsliv; ingen stödaktör"
    )
    assert flags_text("no industry", "en") == "no industry"
    assert flags_text("something new", "sv") == "something new"


def test_stored_values_are_read_in_swedish() -> None:
    """Group and reason values are data (stored, shared by every language): read them in the
    language asked for, and keep what is a name (a municipality) as it is."""
    assert group_text("role", "target", "sv") == "målgrupp"
    assert group_text("kind", "business_support", "sv") == "Företagsstöd"
    assert group_text("community", "(unknown)", "sv") == "(okänd)"
    assert group_text("municipality", "Östersund", "sv") == "Östersund"
    assert group_text("role", "support", "en") == "support"
    result = whatif(_ecosystem(), remove=["cow"], end_activities=["lab"])
    reasons = {reason_text(r, "sv") for r in result.lost_ties["reason"]}
    assert reasons == {"aktören tas bort"}


def test_the_gaps_page_tells_the_what_if_in_swedish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The what-if on the Gaps page, in a Swedish session: the lines come from this module."""
    db = tmp_path / "region.duckdb"
    init_database(db, synthetic=False)
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page("ui/gaps.py").run()
    at.multiselect(key="whatif_remove").set_value(["peak-innovation"])
    at.button(key="whatif_run").click().run()
    assert not at.exception
    told = next(m.value for m in at.markdown if m.value.startswith("- Om Peak Innovation tas bort"))
    lines = told.replace("\\", "").splitlines()  # md() escapes the markdown in the lines
    assert lines[1].startswith("- Kopplingar: ")
    assert re.search(r"\b0,\d{3} före", lines[-1])  # the efficiency with a decimal comma
    assert english_words("gaps", told) == []
