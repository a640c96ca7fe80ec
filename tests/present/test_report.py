"""The board report: findings first (3–7, each with a chart, no analyst terms), a picture of the
network, the diagnosis, the appendix; printed to at most four A4 pages before the appendix."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.present.findings import ANALYST_TERMS
from graph.present.report import find_chromium, write_pdf

AS_OF = "2026-11-25"


class _Sections(HTMLParser):
    """Text, SVG count and finding count of each top-level ``<section id=…>``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = {}
        self.svgs: dict[str, int] = {}
        self.items: dict[str, list[int]] = {}  # section → svgs per finding
        self._section: str | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id") or ""
            self.text[self._section] = ""
            self.svgs[self._section] = 0
            self.items[self._section] = []
        elif self._section is not None:
            if tag == "li" and "finding" in (found.get("class") or ""):
                self.items[self._section].append(0)
            if tag == "svg":
                self.svgs[self._section] += 1
                if self.items[self._section]:
                    self.items[self._section][-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._section is not None:
            self.text[self._section] += data


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "demo.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", str(db)]).exit_code == 0
    out = folder / "r.html"
    done = runner.invoke(cli, ["report", "--db", str(db), "--out", str(out), "--as-of", AS_OF])
    assert done.exit_code == 0, done.output
    return out, out.read_text(encoding="utf-8")


def test_findings_come_first_with_a_chart_each_in_plain_words(
    demo_report: tuple[Path, str],
) -> None:
    _, html = demo_report
    sections = _Sections(html)
    order = [m.group(1) for m in re.finditer(r'<section id="([a-z]+)"', html)]
    assert order == ["findings", "picture", "diagnosis", "appendix"]
    per_finding = sections.items["findings"]
    assert 3 <= len(per_finding) <= 7, per_finding
    assert all(n == 1 for n in per_finding), "each finding carries one inline chart"
    text = sections.text["findings"].lower()
    for term in ANALYST_TERMS:
        assert term not in text, term
    assert "what to do:" in text
    # the appendix is where the terms live, explained
    assert "betweenness" in sections.text["appendix"].lower()
    assert "glossary" in sections.text["appendix"].lower()


def test_the_picture_draws_the_network(demo_report: tuple[Path, str]) -> None:
    _, html = demo_report
    section = html[html.index('<section id="picture">') : html.index('<section id="diagnosis">')]
    assert section.count("<svg") == 1
    circles = section.count("<circle")
    # one circle per actor drawn (plus the legend's dots and the rings of single points of
    # failure): all of them, or the 400 best-connected of a larger network, as the caption says
    whole = re.search(r"All ([\d,]+) actors", section)
    part = re.search(r"The ([\d,]+) best-connected of ([\d,]+) actors", section)
    assert whole or part, section[-600:]
    drawn = int((whole or part).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert drawn <= 400
    assert circles >= drawn
    assert "Names: the 10 actors with the most ties." in section


def test_report_prints_to_at_most_four_a4_pages_before_the_appendix(
    demo_report: tuple[Path, str], tmp_path: Path
) -> None:
    """Counted from Chromium's own print of the page with the appendix cut off."""
    if find_chromium() is None:
        pytest.fail("Chromium is missing: run `make chromium` (the PDF is printed with it)")
    path, html = demo_report
    start = html.index('<section id="appendix">')
    end = html.index("</section>", start) + len("</section>")
    board = tmp_path / "board.html"
    board.write_text(html[:start] + html[end:], encoding="utf-8")
    pages = len(pypdf.PdfReader(write_pdf(board, tmp_path / "board.pdf")).pages)
    assert 1 <= pages <= 4, pages
    whole = pypdf.PdfReader(write_pdf(path, tmp_path / "whole.pdf"))
    assert len(whole.pages) > pages
    first = whole.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 in pt


def test_cli_pdf_without_chromium_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "demo.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", str(db), "--no-synthetic"]).exit_code == 0
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    out = tmp_path / "r.html"
    done = runner.invoke(cli, ["report", "--db", str(db), "--out", str(out), "--pdf"])
    assert done.exit_code == 1
    assert out.exists(), "the HTML report is still written"
    assert not out.with_suffix(".pdf").exists()
    lines = [line for line in done.output.splitlines() if line.startswith("error:")]
    assert lines == [
        "error: PDF not written: Chromium is not installed (looked for chromium, "
        "chromium-browser, google-chrome, google-chrome-stable); install it (Debian: apt-get "
        f"install chromium) or print {out} from a browser."
    ]
    assert "Traceback" not in done.output
