"""The Data, SQL, History and Changes pages in Swedish (the session's language set as the sidebar
sets it): Swedish sentences, Swedish numbers, and the SQL console's refusals, which come from a
child process, in the session's language too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.curation.delete import delete_actors
from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.history.snapshots import create_snapshot
from graph.store.database import open_db
from tests.conftest import MINI, write_files

APP = "../../app.py"  # relative to this file
NBSP = "\xa0"  # Swedish groups thousands and parts a percentage with a no-break space
# Words of English sentences that Swedish text does not have: one left on a page is an English
# sentence (names from the data are Swedish or Sami, and ids and SQL are in code font, not here).
ENGLISH_WORDS = re.compile(r"\b(the|and|of|with|is|are|to|from|no|not|this|there)\b")


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.duckdb"
    init_database(path)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


@pytest.fixture
def waves_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MINI (#1), the snapshot "mätomgång 1", actor d (#2), c deleted (#3)."""
    path = tmp_path / "waves.duckdb"
    init_database(path, empty=True)
    with open_db(path) as con:
        import_paths(con, [write_files(tmp_path / "mini", MINI)])
        create_snapshot(con, "mätomgång 1")
        extra = {"actors.csv": "actor_id,name,kind,source_id\nd,Dalarö Kluster,cluster,s1\n"}
        import_paths(con, [write_files(tmp_path / "extra", extra)])
        delete_actors(con, ["c"])
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


def swedish_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["ui_language"] = "sv"
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def main_texts(at: AppTest) -> list[str]:
    """The sentences of the page's main area: headings, text, notices, captions and tabs."""
    out: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success"):
        out += [str(e.value) for e in at.main.get(kind)]
    out += [str(tab.label) for tab in at.tabs]
    return out


def english_in(texts: list[str]) -> list[str]:
    """The texts that hold an English function word outside code font (`…`)."""
    return [s for s in texts if ENGLISH_WORDS.search(re.sub(r"`[^`]*`", "", s))]


def test_the_english_check_can_fail() -> None:
    """The check names an English sentence, and lets Swedish ones (with code and ids) pass."""
    texts = ["Every reference points to an existing row.", "Kör `SELECT * FROM actors`", "Data"]
    assert english_in(texts) == ["Every reference points to an existing row."]


def test_data_page_in_swedish(demo_db: Path) -> None:
    at = swedish_page("ui/data.py")
    assert [tab.label for tab in at.tabs] == [
        "Import",
        "Export",
        "Granska och rensa",
        "Statistik och datakvalitet",
    ]
    assert "Alla hänvisningar pekar på en rad som finns." in [s.value for s in at.success]
    synthetic = [w.value for w in at.warning if "syntetiska demodata" in w.value]
    # the share as Swedish writes a percentage: a number, a no-break space, %
    assert len(synthetic) == 1
    assert re.match(rf"\d+{NBSP}% av raderna är syntetiska demodata", synthetic[0])
    stats = at.dataframe[0].value
    assert stats.columns.tolist()[:2] == ["tabell", "rader"]
    assert [b.label for b in at.get("download_button")] == ["Ladda ner ecograph-csv.zip"]
    assert english_in(main_texts(at)) == []


def test_sql_page_in_swedish_with_refusals_from_the_sandbox(demo_db: Path) -> None:
    at = swedish_page("ui/sql_console.py")
    # 10 s and 10 000 rows: the server's defaults, written the Swedish way
    assert any("högst 10 s" in c.value and f"10{NBSP}000 rader per fråga" in c.value
               for c in at.caption)  # fmt: skip
    picker = at.selectbox(key="sql_query")
    assert "Aktörer utan någon koppling alls" in picker.options  # a saved query's title
    assert "— skriv en egen —" in picker.options
    at.selectbox(key="sql_query").set_value("isolated_actors").run()
    assert any(
        m.value.startswith("Aktörer som inte delar någon aktivitet") for m in at.markdown
    )  # its description
    at.selectbox(key="sql_query").set_value("").run()
    at.text_area(key="sql_text_own").set_value("SELECT 1.5 AS n UNION ALL SELECT 2").run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert any(re.fullmatch(r"2 rader · \d+,\d\d s", c.value) for c in at.caption)
    # refused in the child process that runs the query: said in the session's language
    at.text_area(key="sql_text_own").set_value("DROP TABLE actors").run()
    at.button(key="sql_run").click().run()
    assert [e.value for e in at.error] == [
        "DROP är inte tillåtet i den skrivskyddade konsolen\\. Data ändras bara med "
        "\\`ecograph query \\-\\-write\\`"
    ]
    assert any(i.value.startswith("Konsolen är bara för läsning") for i in at.info)
    at.text_area(key="sql_text_own").set_value("SELECT * FROM read_csv('x.csv')").run()
    at.button(key="sql_run").click().run()
    assert [e.value for e in at.error] == [
        "read\\_csv\\(\\) läser filer, vilket den skrivskyddade konsolen inte tillåter"
    ]


def test_history_page_in_swedish(waves_db: Path) -> None:
    at = swedish_page("ui/history.py")
    assert at.title[0].value == "Historik"
    assert [s.value for s in at.subheader] == ["Markera en mätomgång", "Ändringar, nyaste först"]
    assert [b.label for b in at.button if str(b.key).startswith("undo_")] == ["Ångra"] * 3
    assert english_in(main_texts(at)) == []


def test_changes_page_in_swedish(waves_db: Path) -> None:
    at = swedish_page("ui/changes.py")
    at.toggle(key="changes_indicators").set_value(False).run()
    assert not at.exception
    assert at.title[0].value == "Ändringar mellan mätomgångar"
    lines = [str(m.value) for m in at.markdown]
    # d joined and c left between the snapshot and now
    assert "- 1 aktör tillkom och 1 försvann\\." in lines
    assert at.tabs[0].label == "Nya aktörer"
    assert at.selectbox(key="changes_after").options[0] == "nu"
    assert english_in(main_texts(at)) == []
