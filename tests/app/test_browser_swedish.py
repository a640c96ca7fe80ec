"""End to end (issue #19, "Done when"): every page of the app speaks Swedish in a real browser.

The real server (``tests.served``) on the demo database (the shipped data, the synthetic layer
and one learning lab), shared with an editor password, in Debian's Chromium. Each of the twelve
pages (app.py's ``PAGE_TITLES``) is opened with ``?lang=sv`` as a viewer, and the three that
differ for an editor (Data, Labs, History) again after signing in as one; each is photographed
at 1400 px and at 360 px into tests/artifacts/ (``sv-<page>[-editor][-360].png``).

The check reads what a person reads on the page -- the main block and the sidebar, less data
grids, maps, code and the names and descriptions that come from the data -- and looks for
English function words ("the", "and", "of", ... as whole words): a Swedish page has none,
whatever its nouns. Every word found is reported with its page and the line it stands in, and
the whole report is written to tests/artifacts/swedish_pages.txt, so a failing run says what is
left to translate. The same pages opened with ``?lang=en`` must keep failing that check: they
show English, so the check can tell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.datasets.bootstrap import init_database
from graph.labs.lab import create_lab
from graph.labs.queue import open_queue, queue_path
from graph.store.database import open_db
from tests.app.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _chromium_or_fail
from tests.served import private_data_dir, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

WIDE = {"width": 1400, "height": 1000}
NARROW = {"width": 360, "height": 800}
TIMEOUT_MS = 60_000  # the first page computes (and caches) the analysis on a busy 2-core machine
PASSWORD = "redaktör-lösen-19"
REPORT = ARTIFACTS / "swedish_pages.txt"
TEXTS_READ = ARTIFACTS / "page-text"

# (URL path, name in the report): app.py's PAGE_TITLES in order; "" is the default page
PAGES = [
    ("", "overview"),
    ("network_map", "network_map"),
    ("gaps", "gaps"),
    ("partners", "partners"),
    ("geo_map", "geo_map"),
    ("sql_console", "sql_console"),
    ("data", "data"),
    ("lab_moderation", "lab_moderation"),
    ("lab_projector", "lab_projector"),
    ("lab_summary", "lab_summary"),
    ("history", "history"),
    ("changes", "changes"),
]
EDITOR_PAGES = ("data", "lab_moderation", "history")  # they show editors more than viewers

# Words that only an English sentence has: a Swedish text (and the Sami, organisation and
# place names in it) uses none of them as a whole word. The first 25 are the list; the
# rest catch the short labels that list misses ("Limit to a time window", "none yet") and are
# no Swedish words either ("in", "by", "per", "all" and "it" are, so they are not here).
ENGLISH_WORDS = (
    "the", "and", "of", "with", "is", "are", "this", "that", "which", "from", "have", "has",
    "not", "there", "your", "you", "was", "were", "will", "would", "been", "these", "those",
    "into", "than",
    "to", "for", "or", "on", "at", "an", "as", "out", "up", "off", "yet", "none", "what", "when",
    "who", "how", "only", "each", "every", "here",
)  # fmt: skip
ENGLISH = re.compile(r"\b(" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
# Streamlit's own English where a page gives no text of its own (a picker's placeholder): the
# page can pass one (``placeholder=``), so it counts as the page's.
STREAMLIT_DEFAULTS = re.compile(
    r"(Choose an option|Choose options|No results|No options to select)"
)
# Numbers as English writes them: a decimal point, a thousands comma, a percent sign with no
# space ("0.36×", "1,234", "4%"); Swedish writes "0,36×", "1 234", "4 %".
ENGLISH_NUMBER = re.compile(r"(?<![\w.,])(\d+\.\d+|[1-9]\d{0,2}(?:,\d{3})+|\d+%)(?![\w.,]?\d)")
ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:duckdb|csv|xlsx|html|zip|json)\b")

# What a person reads, as text: the sidebar and the main block, with the placeholders shown in
# empty fields and pickers. Left out: data grids and maps (canvases and iframes, whose cells are
# data), code (SQL, commands and ids stay as written), and the file uploader's drop zone, which
# Streamlit draws in English with no way to change it.
READ_TEXT = """() => {
    const skip = [
        '[data-testid="stDataFrame"]', '[data-testid="stIFrame"]', 'iframe', 'canvas',
        'pre', 'code', '[data-testid="stCode"]',
        '[data-testid="stFileUploaderDropzoneInstructions"]',
    ].join(', ');
    const read = (where) => {
        const root = document.querySelector(where);
        if (root === null) return '';
        let text = root.innerText;
        for (const el of root.querySelectorAll(skip)) {
            const inner = (el.innerText || '').trim();
            if (inner) text = text.split(inner).join('\\n');
        }
        // placeholders are shown, but innerText leaves them out
        // (a picker keeps its placeholder while it shows a value: count the empty ones only;
        // an SQL example stays as written)
        const empty = (el) => {
            const picker = el.closest('[data-baseweb="select"]');
            return el.value === '' && (picker === null || picker.innerText.trim() === '');
        };
        const shown = [...root.querySelectorAll('input[placeholder], textarea[placeholder]')]
            .filter(el => el.offsetParent !== null && !el.closest(skip) && empty(el))
            .map(el => el.getAttribute('placeholder'))
            .filter(p => !/^\\s*(SELECT|WITH)\\b/i.test(p));
        return [text, ...shown].join('\\n');
    };
    return {sidebar: read('[data-testid="stSidebar"]'), main: read('[data-testid="stMain"]')};
}"""

# Idle: the script has run to its end (the app's own script state says "notRunning", no element
# is left stale from the run before, the page's title and the sidebar's language switch are
# drawn), and for 0.6 s nothing is a loading skeleton or a spinner.
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app === null ? null : app.getAttribute('data-test-script-state');
    const busy = state !== 'notRunning'
        || document.querySelector('[data-testid="stMain"] h1') === null
        || document.querySelector('[data-testid="stSidebar"] [data-testid="stRadio"]') === null
        || document.querySelector('[data-stale="true"]') !== null
        || document.querySelector('[data-testid="stSkeleton"]') !== null
        || document.querySelector('[data-testid="stSpinner"]') !== null;
    const now = Date.now();
    if (busy || window.__ecographIdleSince === undefined) window.__ecographIdleSince = now;
    return !busy && now - window.__ecographIdleSince >= 600;
}"""


@dataclass(frozen=True)
class Finding:
    """An English word on a page, and the line of text it stands in."""

    page: str
    word: str
    line: str


@dataclass
class Served:
    url: str
    data_texts: list[str] = field(default_factory=list)  # names, descriptions: longest first


def english_words(page: str, text: str, data_texts: Sequence[str] = ()) -> list[Finding]:
    """The English function words and English-written numbers in ``text``, line by line, once
    the ``data_texts`` (names and descriptions from the data, which stay in their own language)
    and addresses and file names are taken out.

    >>> [f.word for f in english_words("p", "Glapp i nätverket\\nThe gaps of the network")]
    ['The', 'of', 'the']
    >>> [f.word for f in english_words("p", "11 ties where 30.4 were expected (4%)")]
    ['30.4', 'were', '4%']
    >>> [f.word for f in english_words("p", "Aktörstyper\\nChoose options")]
    ['Choose options']
    >>> english_words("p", "Ávki – Arena samisk näringslivsutveckling: 1 234 aktörer, 30,4 %")
    []
    """
    found = []
    for raw in text.splitlines():
        shown = " ".join(raw.split())
        line = ADDRESS.sub(" ", shown)
        for name in data_texts:
            if name in line:
                line = line.replace(name, " ")
        checks = (ENGLISH, ENGLISH_NUMBER, STREAMLIT_DEFAULTS)
        hits = sorted((m for check in checks for m in check.finditer(line)), key=_start)
        found.extend(Finding(page, m.group(1), shown) for m in hits)
    return found


def _start(match: re.Match[str]) -> int:
    return match.start()


def assert_speaks_swedish(findings: Sequence[Finding]) -> None:
    """Fail with every English word found, by page, each with its line."""
    assert not findings, "English on Swedish pages:\n" + format_findings(findings)


def format_findings(findings: Sequence[Finding]) -> str:
    """One line per page and line of text (the sidebar, the same on every page, once): the
    words found in it, then the line."""
    words: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        seen = words.setdefault((f.page, f.line), [])
        if f.word.lower() not in seen:
            seen.append(f.word.lower())
    return "\n".join(
        f"  {page}: [{', '.join(found)}] {line[:220]}" for (page, line), found in words.items()
    )


def _data_texts(db: Path) -> list[str]:
    """Every name, title and description the data holds: they are shown as written."""
    queries = [
        "SELECT name FROM actors UNION SELECT description FROM actors",
        "SELECT name FROM activities UNION SELECT description FROM activities"
        " UNION SELECT programme FROM activities",
        "SELECT title FROM sources UNION SELECT publisher FROM sources"
        " UNION SELECT note FROM sources",
        "SELECT name FROM strength_areas UNION SELECT description FROM strength_areas",
        "SELECT alias FROM actor_aliases",
    ]
    found: set[str] = set()
    with open_db(db) as con:
        for sql in queries:
            found.update(" ".join(str(v).split()) for (v,) in con.execute(sql).fetchall() if v)
    return sorted((t for t in found if len(t) >= 4), key=len, reverse=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on the demo database with one lab, shared: viewers read, and the editor
    password (in a secrets file of the test's own) lets an editor in."""
    tmp = tmp_path_factory.mktemp("browser-swedish")
    data = private_data_dir(tmp)
    db = tmp / "demo.duckdb"
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[ecograph]\neditor_password = "{PASSWORD}"\n', encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECOGRAPH_DATA_DIR", str(data))
        mp.delenv("ECOGRAPH_DB", raising=False)
        init_database(db)
        with open_db(db) as con, open_queue(queue_path(db)) as queue:
            create_lab(
                con, queue, name="Lärlabb 4", lab_date=date(2026, 12, 10),
                base_url="http://127.0.0.1",
            )  # fmt: skip
    env = {
        "ECOGRAPH_ACCESS": "shared",
        "STREAMLIT_SECRETS_FILES": str(secrets),
        "ECOGRAPH_LANG": "",
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "LANG": "C.UTF-8",
    }
    texts = _data_texts(db)
    with serve_app(db, data, tmp / "server.log", env=env) as base:
        yield Served(base, texts)


def _wait_until_idle(page: Page) -> None:
    page.evaluate("() => { delete window.__ecographIdleSince; }")
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=250)


def _open(page: Page, base: str, path: str, lang: str) -> None:
    page.goto(f"{base}/{path}?lang={lang}", wait_until="domcontentloaded")
    _wait_until_idle(page)


def _photograph(page: Page, name: str) -> None:
    """The whole page at 1400 px (the window as tall as the content: Streamlit scrolls inside
    its main block), then one screen at 360 px."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDE["width"], "height": min(max(height, 1000), 6000)})
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(400)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png")
    page.set_viewport_size(WIDE)
    page.wait_for_timeout(300)


def _read(page: Page, name: str, served: Served, lang: str = "sv") -> list[Finding]:
    """What is English on the page: in its main block (as ``name``) and in the sidebar. The
    text read is kept in tests/artifacts/page-text/ for a look at what the check saw."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{name}: {exceptions.first.inner_text()}"
    text = page.evaluate(READ_TEXT)
    TEXTS_READ.mkdir(parents=True, exist_ok=True)
    slug = name.replace(" (editor)", "-editor")
    (TEXTS_READ / f"{lang}-{slug}.txt").write_text(
        f"{text['main']}\n--- sidebar ---\n{text['sidebar']}\n", encoding="utf-8"
    )
    return [
        *english_words("sidebar", text["sidebar"], served.data_texts),
        *english_words(name, text["main"], served.data_texts),
    ]


def _sign_in(page: Page) -> None:
    """Sign in with the editor password on the Data page (where the sign-in panel is)."""
    main = page.locator('[data-testid="stMain"]')
    main.locator('input[type="password"]').fill(PASSWORD)
    main.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain] input[type=password]') === null",
        timeout=TIMEOUT_MS,
    )
    _wait_until_idle(page)


def _go_by_sidebar(page: Page, path: str) -> None:
    """Change page through the navigation: the session (and the sign-in) stays."""
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
    page.wait_for_url(f"**/{path}*", timeout=TIMEOUT_MS)
    _wait_until_idle(page)


def test_every_page_speaks_swedish_and_english_stays_english(served: Served) -> None:
    _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    swedish: list[Finding] = []
    english: dict[str, list[Finding]] = {}
    page_errors: list[str] = []
    overview = ""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            # an English browser: the address alone says Swedish
            context = browser.new_context(viewport=WIDE, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            for path, name in PAGES:
                _open(page, served.url, path, "sv")
                swedish += _read(page, name, served)
                if name == "overview":
                    overview = page.locator('[data-testid="stMain"]').inner_text()
                _photograph(page, f"sv-{name}")

            # an editor: sign in on the Data page, then change page through the sidebar
            _open(page, served.url, "data", "sv")
            _sign_in(page)
            for path in EDITOR_PAGES:
                if path != "data":
                    _go_by_sidebar(page, path)
                swedish += _read(page, f"{path} (editor)", served)
                _photograph(page, f"sv-{path}-editor")

            for path, name in PAGES:
                _open(page, served.url, path, "en")
                english[name] = _read(page, name, served, "en")
            context.close()
        finally:
            browser.close()

    # the check can fail: on every English page it finds English in the page itself
    silent = [name for name, found in english.items() if all(f.page == "sidebar" for f in found)]
    REPORT.write_text(
        "English words on the Swedish pages (page: [words] line)\n"
        + (format_findings(swedish) or "  none")
        + "\n\nEnglish pages with no English function word (the check could not tell): "
        + (", ".join(silent) or "none")
        + "\n",
        encoding="utf-8",
    )
    assert not page_errors, f"JavaScript errors: {page_errors}"
    assert not silent, f"English pages the check cannot tell from Swedish: {silent}"
    with pytest.raises(AssertionError, match="overview: "):
        assert_speaks_swedish(english["overview"])
    # the demo data's counts above a thousand (1 060 relations), written the Swedish way
    assert re.search(r"\b\d{1,3}[\u00a0\u202f]\d{3}\b", overview), "no Swedish thousands shown"
    assert_speaks_swedish(swedish)
