"""End to end in headless Chromium: the participant form on a 360 px phone (type-ahead, submit,
receipt, correct), and the projector view, which shows a newly approved tie without a reload.

The server is what ``ecograph app`` runs (serve.py: the Streamlit app with the lab routes on the
same port) on a temporary database with the shipped data and one open lab.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.datasets.bootstrap import init_database
from graph.labs.approval import approve
from graph.labs.lab import create_lab
from graph.labs.queue import list_submissions, open_queue, queue_path
from graph.store.database import open_db
from tests.app.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _chromium_or_fail
from tests.served import private_data_dir, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(base URL, lab code, database) of a running serve.py with one open lab."""
    tmp = tmp_path_factory.mktemp("lab-browser")
    data = private_data_dir(tmp)
    db = tmp / "lab.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECOGRAPH_DATA_DIR", str(data))
        mp.delenv("ECOGRAPH_DB", raising=False)
        init_database(db, synthetic=False)
        with open_db(db) as con, open_queue(queue_path(db)) as queue:
            code = create_lab(
                con,
                queue,
                name="Lärlabb 4",
                lab_date=date(2026, 12, 10),
                base_url="http://127.0.0.1",
            ).lab.code
    with serve_app(db, data, tmp / "server.log", script="serve.py") as base:
        yield base, code, db


def _browser_page(pw: object, viewport: dict[str, int]) -> tuple[object, Page]:
    browser = pw.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(TIMEOUT_MS)
    return browser, page


def _pick(page: Page, input_selector: str, typed: str, name: str) -> None:
    """Type into a type-ahead field and choose ``name`` from the suggestions."""
    field = page.locator(input_selector)
    field.click()
    field.press_sequentially(typed, delay=30)
    page.get_by_role("button", name=name).first.click()


def test_the_form_on_a_phone_submit_receipt_correct(served: tuple[str, str, Path]) -> None:
    _chromium_or_fail()
    from playwright.sync_api import expect, sync_playwright

    base, code, db = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser, page = _browser_page(pw, PHONE)
        try:
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/lab/{code}?lang=sv")
            expect(page.locator("h1")).to_have_text("Vem samarbetar med vem?")
            # accent- and case-folded: "mittuniv" finds Mittuniversitetet
            _pick(page, "#org-name", "mittuniv", "Mittuniversitetet")
            expect(page.locator("#org-known")).to_be_visible()
            _pick(page, "#ties .tie .partner", "region jamt", "Region Jämtland Härjedalen")
            page.locator("#ties .tie .how").select_option("advice")
            page.locator("#ties .tie .since").fill("2019")
            page.locator("#add-wanted").click()
            page.locator("#wanted .wanted .partner").fill("Ett kluster vi inte når")
            page.locator("#wanted .wanted .obstacle").fill("ingen kontaktväg")
            page.locator("#submit").click()
            expect(page.locator("#consent ~ *").first).to_be_attached()
            expect(page.locator(".err[data-f='consent']")).not_to_be_empty()  # consent needed
            page.locator("#consent").check()
            page.locator("#submit").click()
            receipt_box = page.locator("#receipt")
            expect(receipt_box).to_be_visible()
            receipt = page.locator("#receipt-id").inner_text()
            assert len(receipt) == 9, receipt
            # a 360 px phone: nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=ARTIFACTS / "lab_form_receipt.png", full_page=True)

            # the receipt survives a reload; correct the answers from it
            page.reload()
            expect(receipt_box).to_be_visible()
            page.locator("#correct").click()
            expect(page.locator("#org-name")).to_have_value("Mittuniversitetet")
            strength = page.locator("#ties .tie .strength")
            expect(strength).to_have_count(1)
            strength.select_option("core")
            page.locator("#submit").click()
            expect(receipt_box).to_be_visible()
            assert page.locator("#receipt-id").inner_text() == receipt
        finally:
            browser.close()  # type: ignore[attr-defined]
    assert errors == []
    with open_queue(queue_path(db)) as queue:
        queued = list_submissions(queue, code)
    assert [(q.receipt, q.version) for q in queued] == [(receipt, 2)]
    sub = queued[0].submission
    assert sub.organisation.actor_id == "miun"
    assert [(t.partner.actor_id, t.kind, t.strength, t.since) for t in sub.ties] == [
        ("region-jh", "advice", "core", "2019")
    ]
    assert [(w.partner.name, w.obstacle) for w in sub.wanted] == [
        ("Ett kluster vi inte når", "ingen kontaktväg")
    ]


def _metrics(page: Page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
                m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                m.querySelector('[data-testid="stMetricValue"]').innerText.trim()])"""
        )
    )


def test_the_projector_shows_an_approval_without_reload(served: tuple[str, str, Path]) -> None:
    """Runs after the form test, whose submission is pending: approve it while the page is open
    and wait for the counters to change, with the page's own marker still in place."""
    _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    base, code, db = served
    with open_queue(queue_path(db)) as queue:
        assert [q.status for q in list_submissions(queue, code)] == ["pending"]
    with sync_playwright() as pw:
        browser, page = _browser_page(pw, {"width": 1400, "height": 1000})
        try:
            page.goto(f"{base}/lab_projector?code={code}")
            page.locator('[data-testid="stMetric"]').first.wait_for(timeout=TIMEOUT_MS)
            page.wait_for_function(
                "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length === 5"
            )
            assert _metrics(page)["Ties"] == "0"
            page.evaluate("() => { window.__notReloaded = true; }")
            with open_db(db, wait_seconds=30) as con, open_queue(queue_path(db)) as queue:
                approve(con, queue, code)
            page.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
                    m.innerText.startsWith('Ties') && m.querySelector(
                    '[data-testid="stMetricValue"]').innerText.trim() === '1')""",
                timeout=TIMEOUT_MS,
            )
            assert page.evaluate("() => window.__notReloaded === true")
            counts = _metrics(page)
            assert (counts["Organisations"], counts["Ties"]) == ("2", "1")
            page.screenshot(path=ARTIFACTS / "lab_projector.png", full_page=True)
        finally:
            browser.close()  # type: ignore[attr-defined]
