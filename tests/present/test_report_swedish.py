"""The board report and the review pack in Swedish: ``<html lang="sv">``, Swedish headings and
finding sentences, numbers and dates as Swedish writes them (``3 128``, ``26 %``,
``25 november 2026``), and none of the common English function words in the visible text once
the names from the data are taken out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.history.snapshots import resolve_wave
from graph.present.review_pack import build_review_pack, render_review_pack
from graph.store.database import open_db, read_table
from tests.present.test_review_pack import two_waves  # noqa: F401  (a fixture)

AS_OF = "2026-11-25"
# words that mark an English sentence (the list); a Swedish text has none of them
ENGLISH = ("the", "and", "of", "with", "is", "are", "this", "that", "which", "from", "have",
           "has", "not")  # fmt: skip
NBSP = "\xa0"
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"


class _Visible(HTMLParser):
    """The text a reader sees: every text node outside <style>, <title> and <script>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def english_words(text: str, names: set[str]) -> list[str]:
    """The English function words left in ``text`` once every name from the data is removed
    (longest first, so a name inside a longer one goes with it)."""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, " ")
    words = re.findall(r"[A-Za-z]+", text)
    return sorted({w.lower() for w in words if w.lower() in ENGLISH})


def _data_names(db: Path) -> set[str]:
    with open_db(db, read_only=True) as con:
        names = {str(v) for v in read_table(con, "actors")["name"].to_list() if v}
        names |= {str(v) for v in read_table(con, "activities")["name"].to_list() if v}
        names |= {str(v) for v in read_table(con, "strength_areas")["name"].to_list() if v}
        sources = read_table(con, "sources")
        for column in ("title", "publisher", "source_id"):
            names |= {str(v) for v in sources[column].to_list() if v}
    return names


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The shipped region's report, once with ``--lang sv`` and once in English."""
    folder = tmp_path_factory.mktemp("report_sv")
    db = folder / "demo.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", str(db)]).exit_code == 0
    out: dict[str, object] = {"names": _data_names(db)}
    for lang in ("sv", "en"):
        path = folder / f"r_{lang}.html"
        args = ["report", "--db", str(db), "--out", str(path), "--as-of", AS_OF, "--lang", lang]
        done = runner.invoke(cli, args)
        assert done.exit_code == 0, done.output
        out[lang] = path.read_text(encoding="utf-8")
    return out


def test_the_report_speaks_swedish(reports: dict[str, object]) -> None:
    html = str(reports["sv"])
    text = _Visible(html).text
    assert '<html lang="sv">' in html
    for heading in (
        "Glapprapport för innovationssystemet",
        "Iakttagelser",
        "Nätverket",
        "Diagnos",
        "Bilaga: tabellerna bakom iakttagelserna",
        "Ordlista",
        "Källor",
    ):
        assert f">{heading}<" in html, heading
    # a finding sentence, with the number behind it, and its advice
    assert re.search(r"samarbetar [^.]+ så ofta som förväntat: [\d\xa0]+ kopplingar där", text)
    assert "Vad du kan göra:" in text
    # the data as of 25 November 2026, as Swedish writes dates; numbers with no-break spaces
    assert "med data per 25 november 2026" in text
    assert re.search(rf"\b\d{{1,3}}{NBSP}\d{{3}}\b", text), "a thousands group: 3 128"
    assert re.search(rf"\b\d+{NBSP}%", text), "a percentage: 66 %"
    assert re.search(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b", text)
    # the picture's legend and the table headers
    assert "offentlig sektor" in text
    assert "mellanhandscentralitet" in text
    # no command-line option in a board paper
    assert "--no-synthetic" not in html
    assert english_words(text, reports["names"]) == []  # type: ignore[arg-type]


def test_the_english_report_is_english_and_the_check_can_fail(
    reports: dict[str, object],
) -> None:
    """The same check finds the English report's function words: it can fail."""
    html = str(reports["en"])
    text = _Visible(html).text
    assert '<html lang="en">' in html
    assert ">Findings<" in html
    assert "with the data as of 25 November 2026" in text
    found = english_words(text, reports["names"])  # type: ignore[arg-type]
    assert {"the", "and", "of", "with"} <= set(found)
    # a name from the data is not mistaken for English
    assert english_words("Bron Innovation and the rest", {"Bron Innovation and the rest"}) == []


def test_the_review_pack_speaks_swedish(two_waves: duckdb.DuckDBPyConnection) -> None:  # noqa: F811
    con = two_waves
    pack = build_review_pack(
        con, resolve_wave(con, "H1"), resolve_wave(con, "now"), areas=["energi"], lang="sv"
    )
    html = render_review_pack(pack, lang="sv")
    text = _Visible(html).text
    assert '<html lang="sv">' in html
    for heading in (
        "Uppföljningsunderlag: vad som har ändrats sedan förra uppföljningen",
        "Iakttagelser",
        "Glapp som har slutits och öppnats",
        "Helixfördelning (aktörer)",
        "Klustervy: indikatorer över mätomgångarna",
    ):
        assert f">{heading}<" in html, heading
    # the lab p2 started on 1 March 2026: its row, in Swedish words and date
    assert re.search(r"Energilabb</td><td>startade</td><td class=\"date\">1 mars 2026<", html)
    assert "Tillkommit: Umeå universitet" in text
    assert "Akademi" in text  # the helix mix by display name
    assert re.search(rf"gjord \d{{1,2}} ({MONTHS}) \d{{4}} kl\. \d\d:\d\d UTC", text)
    # what the comparison, the waves and the partner suggestions say is written by their own
    # modules (graph.present.changes, graph.history, graph.analysis.partners) and checked by
    # their tests; everything the pack itself writes is Swedish
    theirs = {pack.since.label, pack.until.label, pack.gap_rule, *pack.wave_labels}
    for area in pack.areas:
        theirs |= set(area.findings)
        theirs |= {str(i.label) for i in area.comparison.indicators}
        theirs |= {str(i.before) for i in area.comparison.indicators}
        theirs |= {str(i.after) for i in area.comparison.indicators}
        theirs |= {str(r["explanation"]) for r in area.suggestions}
        theirs |= {str(g) for g in (*area.comparison.gaps_closed, *area.comparison.gaps_opened)}
    names = {str(r[0]) for r in con.execute("SELECT name FROM actors").fetchall()}
    names |= {str(r[0]) for r in con.execute("SELECT name FROM activities").fetchall()}
    names |= {str(r[0]) for r in con.execute("SELECT name FROM strength_areas").fetchall()}
    assert english_words(text, names | theirs) == []


def test_the_cli_review_pack_takes_lang(tmp_path: Path) -> None:
    """``ecograph review-pack --lang sv`` writes a Swedish page; a wrong area is said in
    Swedish too."""
    db = tmp_path / "demo.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", str(db), "--no-synthetic"]).exit_code == 0
    assert runner.invoke(cli, ["snapshot", "--db", str(db), "create", "H1"]).exit_code == 0
    out = tmp_path / "pack.html"
    base = ["review-pack", "--db", str(db), "--since", "H1", "--out", str(out), "--lang", "sv"]
    wrong = runner.invoke(cli, [*base, "--area", "energy"])
    assert wrong.exit_code != 0
    assert "inget styrkeområde 'energy'" in wrong.output
    done = runner.invoke(cli, [*base, "--area", "hallbar-energi"])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert ">Uppföljningsunderlag: vad som har ändrats sedan förra uppföljningen<" in page


def test_every_diagnosis_explanation_reads_back(tmp_path: Path) -> None:
    """The diagnosis keeps its explanations in English (they are stored and cached whatever
    the language); each one of the shipped region's reads back into its message and values,
    and writes the very same sentence again in English, so the Swedish one says the same."""
    from graph.analysis.diagnosis import _read, _render, explanation
    from graph.analysis.gaps import AnalysisParams, run_analysis
    from graph.i18n import translator

    db = tmp_path / "demo.duckdb"
    assert CliRunner().invoke(cli, ["init", "--db", str(db)]).exit_code == 0
    with open_db(db, read_only=True) as con:
        table = run_analysis(con, AnalysisParams()).tables["diagnosis"]
    assert table.height > 20
    english = translator("en")
    for row in table.iter_rows(named=True):
        parts = _read(row["explanation"])
        assert parts is not None, row["explanation"]
        again = _render(row["scope"], row["scope_name"], parts, english)
        assert again == row["explanation"]
        swedish = explanation(row, "sv")
        assert swedish != row["explanation"]
        assert english_words(swedish, {str(row["scope_name"]), "Tödtling & Trippl"}) == [], swedish
