"""End to end: the language switch in a real browser remembers its choice across a reload and a
change of page, and a Swedish browser gets Swedish without choosing.

Runs the real server (on an empty database: the switch needs no data) in Debian's Chromium, as
``test_browser.py`` does, and leaves a screenshot of the Swedish sidebar in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from graph.datasets.bootstrap import init_database
from tests.app.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, _chromium_or_fail
from tests.served import private_data_dir, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on an empty database, with no ECOGRAPH_LANG and an English server locale, so
    the browser's language and the switch decide."""
    tmp = tmp_path_factory.mktemp("browser-language")
    data = private_data_dir(tmp)
    db = tmp / "empty.duckdb"
    init_database(db, empty=True)
    env = {"ECOGRAPH_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    with serve_app(db, data, tmp / "server.log", env=env) as base:
        yield base


def _switch_label(page: Page) -> str:
    """The label of the sidebar's language switch, once the app has drawn it."""
    radio = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').first
    radio.wait_for(state="visible", timeout=TIMEOUT_MS)
    return radio.locator('[data-testid="stWidgetLabel"]').inner_text().strip()


def _wait_for_label(page: Page, text: str) -> None:
    page.wait_for_function(
        """(text) => {
            const r = document.querySelector('[data-testid="stSidebar"] [data-testid="stRadio"]');
            return r !== null && r.innerText.includes(text);
        }""",
        arg=text,
        timeout=TIMEOUT_MS,
    )


def _lang_in_address(page: Page, lang: str) -> None:
    page.wait_for_function(
        "(lang) => new URLSearchParams(location.search).get('lang') === lang",
        arg=lang,
        timeout=TIMEOUT_MS,
    )


def test_the_choice_survives_a_reload_and_a_change_of_page(request: pytest.FixtureRequest) -> None:
    _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    base: str = request.getfixturevalue("app_url")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            english = browser.new_context(viewport=VIEWPORT, locale="en-GB")
            page = english.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base, wait_until="domcontentloaded")
            _wait_for_label(page, "Language")
            _lang_in_address(page, "en")

            page.locator('[data-testid="stSidebar"] label').filter(has_text="Svenska").click()
            _wait_for_label(page, "Språk")
            _lang_in_address(page, "sv")
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stSkeleton\"]') === null"
            )
            page.screenshot(path=ARTIFACTS / "language_switch_sv.png")

            page.reload(wait_until="domcontentloaded")
            _wait_for_label(page, "Språk")
            assert "Språk" in _switch_label(page)

            # a change of page clears the query parameters; the sidebar writes the choice back
            # (the navigation speaks Swedish too: "Gaps" is "Glapp")
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Glapp").click()
            page.wait_for_url("**/gaps*", timeout=TIMEOUT_MS)
            _lang_in_address(page, "sv")
            assert "Språk" in _switch_label(page)
            english.close()

            swedish = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
            page = swedish.new_page()
            page.goto(base, wait_until="domcontentloaded")
            _wait_for_label(page, "Språk")  # no choice made: the browser's language
            _lang_in_address(page, "sv")
            swedish.close()
        finally:
            browser.close()
