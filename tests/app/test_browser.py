"""End to end: the real Streamlit server on a temporary database, driven by headless Chromium.

The database holds the shipped data, the synthetic demo layer and two actors whose names are
XSS probes, imported through the real importer and tied to Region Jämtland Härjedalen so they
are drawn on the maps. Every page must render its title and a characteristic text without a
Streamlit exception, show the probe names only as text (no alert, no ``<img src=x>`` or
``<script>alert(1)</script>`` element in any frame), and leave a screenshot in tests/artifacts/.

Needs Debian's Chromium at /usr/bin/chromium (``make chromium``); Playwright's own browser
download is not used. ``ECOGRAPH_SKIP_BROWSER=1`` skips the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.analysis.network import GraphFilter, load_graph
from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.store.database import open_db
from graph.store.stats import synthetic_by_default
from tests.served import private_data_dir, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium dials out at start-up, and this machine's
# closed network refuses it; the rest keeps a headless run quiet and reproducible.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 60_000  # the first page load computes (and caches) the whole analysis

SCRIPT_PROBE = "<script>alert(1)</script>"
IMG_PROBE = "<img src=x onerror=alert(1)>"
PROBES = {"xss-script": SCRIPT_PROBE, "xss-img": IMG_PROBE}


@dataclass(frozen=True)
class PageSpec:
    path: str  # URL path: the file stem of the st.Page, "" for the default page
    title: str  # text of the page's h1
    text: str  # a characteristic text of the page's main area


PAGES = [
    PageSpec("", "Innovation ecosystem overview", "Actors"),
    PageSpec("network_map", "Network map", "Node budget"),
    PageSpec("gaps", "Gaps", "Support"),
    PageSpec("partners", "Partners", "Suggestions"),
    PageSpec("geo_map", "Geographic map", "municipality seat"),
    PageSpec("sql_console", "SQL", "Run"),
    PageSpec("data", "Data", "Import"),
]


def _chromium_or_fail() -> None:
    """Skip on request; otherwise a missing browser is a failure, never a silent skip."""
    if os.environ.get("ECOGRAPH_SKIP_BROWSER") == "1":
        pytest.skip("ECOGRAPH_SKIP_BROWSER=1: the browser test is switched off")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make chromium` (or `sudo apt-get install chromium`), "
            "or set ECOGRAPH_SKIP_BROWSER=1 to skip the browser test"
        )


def _probe_files(folder: Path) -> Path:
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "actor_id,name,kind,municipality,region\n"
        + "".join(
            f'{actor_id},"{name}",company,Östersund,Jämtlands län\n'
            for actor_id, name in PROBES.items()
        ),
        encoding="utf-8",
    )
    (folder / "relations.csv").write_text(
        "relation_id,from_actor,to_actor,kind\n"
        + "".join(f"rel-{actor_id},{actor_id},region-jh,partnership\n" for actor_id in PROBES),
        encoding="utf-8",
    )
    return folder


@dataclass(frozen=True)
class Served:
    url: str  # the base URL of the running app
    hub: tuple[str, str]  # (id, name) of the actor with the most ties, for the ego view


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real ``streamlit run app.py`` on a temporary database, and an actor derived from
    that data (the one with the most partners) to look at in the ego view."""
    tmp = tmp_path_factory.mktemp("browser")
    data = private_data_dir(tmp)
    db = tmp / "browser.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECOGRAPH_DATA_DIR", str(data))
        mp.delenv("ECOGRAPH_DB", raising=False)
        init_database(db)
        with open_db(db) as con:
            import_paths(con, [_probe_files(tmp / "probes")])
            # the app's first view: the synthetic layer only while the real region is small
            G = load_graph(con, GraphFilter(synthetic=synthetic_by_default(con)))
    hub = max(G, key=lambda v: (G.degree(v), v))
    with serve_app(db, data, tmp / "server.log") as base:
        yield Served(base, (hub, str(G.nodes[hub].get("name") or hub)))


def _wait_until_idle(page: Page) -> None:
    """Wait for the page's h1, then until the status widget has not said "Running" and no
    element is still a loading skeleton (st.dataframe loads lazily) for a whole second: the
    title is drawn before the analysis, so it alone says nothing about the end of the run."""
    page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.evaluate("() => { delete window.__ecographIdleSince; }")
    page.wait_for_function(
        """() => {
            const w = document.querySelector('[data-testid="stStatusWidget"]');
            const busy = (w !== null && w.innerText.includes('Running'))
                || document.querySelector('[data-testid="stSkeleton"]') !== null
                || document.querySelector('[data-testid="stSpinner"]') !== null;
            const now = Date.now();
            if (busy || window.__ecographIdleSince === undefined) window.__ecographIdleSince = now;
            return !busy && now - window.__ecographIdleSince >= 1000;
        }""",
        timeout=TIMEOUT_MS,
        polling=200,
    )


def _assert_no_injected_elements(page: Page, where: str) -> None:
    """No frame of the page (the pyvis map is an iframe) holds an element made from a probe."""
    for frame in page.frames:
        counts = frame.evaluate(
            """() => ({
                img: document.querySelectorAll('img[src="x"]').length,
                script: [...document.querySelectorAll('script')]
                    .filter(s => s.textContent.trim() === 'alert(1)').length,
            })"""
        )
        assert counts == {"img": 0, "script": 0}, f"{where}: injected elements in {frame.url}"


def _screenshot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main container, so a full-page shot of the
    window shows one screen only; make the window as tall as the content for the shot."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, 1000), 6000)})
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    page.set_viewport_size(VIEWPORT)


def test_every_page_renders_in_chromium(request: pytest.FixtureRequest) -> None:
    _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    server: Served = request.getfixturevalue("served")
    base = server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dialogs: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(TIMEOUT_MS)
            # An XSS that runs would most likely show itself as an alert().
            page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
            page.on("pageerror", lambda e: page_errors.append(str(e)))

            for spec in PAGES:
                name = spec.path or "overview"
                page.goto(f"{base}/{spec.path}", wait_until="domcontentloaded")
                _wait_until_idle(page)
                _assert_page_ok(page, spec, name)
                if spec.path == "sql_console":
                    _check_sql_console(page)  # the screenshot shows its result
                _screenshot(page, name)
                _screenshot_narrow(page, name)
                if spec.path in TABLES_FIT:
                    _assert_tables_fit(page, name)
                if spec.path == "network_map":
                    _check_network_map(page)  # then ego views: the shot shows the whole map
                    _check_ego_view_centred(page, *server.hub)
                    _screenshot(page, "network_map_ego")
                if spec.path == "data":
                    _check_review_and_delete(page)
                    _screenshot(page, "data_review")
                _assert_no_injected_elements(page, name)
        finally:
            browser.close()
    assert not dialogs, f"a probe ran as script: {dialogs}"
    assert not page_errors, f"JavaScript errors: {page_errors}"


# Pages whose main tables must fit a 1400 px window without scrolling sideways (the SQL
# console and the Data page show whatever columns the user's table has).
TABLES_FIT = ("", "network_map", "gaps", "partners", "geo_map")
NARROW = {"width": 360, "height": 800}


def _screenshot_narrow(page: Page, name: str) -> None:
    """The page on a phone-sized window (360 px), for looking at: it must not raise."""
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(400)
    page.screenshot(path=ARTIFACTS / f"{name}-360.png", full_page=False)
    page.set_viewport_size(VIEWPORT)
    page.wait_for_timeout(400)


def _assert_tables_fit(page: Page, name: str) -> None:
    """No visible table of the page scrolls sideways: every column a person reads is in view.
    glide-data-grid scrolls inside its ``.dvn-scroller``."""
    widths = page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stMain"] [data-testid="stDataFrame"]')]
            .filter(t => t.offsetParent !== null)
            .map(t => {
                const s = t.querySelector('.dvn-scroller');
                return s ? [s.scrollWidth, s.clientWidth] : [0, 0];
            })"""
    )
    wide = [(i, w) for i, w in enumerate(widths) if w[0] > w[1] + 2]
    assert not wide, f"{name}: tables wider than the window (scroll, client): {wide}"


def _check_ego_view_centred(page: Page, actor_id: str, name: str) -> None:
    """The ego view of the best-connected actor: the actor is drawn at the centre of the map
    (its screen position within 5 % of the canvas's centre), ringed, and every node of the
    view carries a label (read from vis-network's own positions and data)."""
    search = page.get_by_role("combobox", name="Search an actor (ego view)")
    search.click()
    search.fill(name[:20])
    page.get_by_role("option").filter(has_text=f"({actor_id})").first.click()
    _wait_until_idle(page)
    frame = _map_frame(page)
    # the chosen actor may already be on the previous ego view (the probes' partner): wait
    # for the view in which it is the one ringed
    frame.wait_for_function(
        """id => typeof network !== 'undefined' && network.body.data.nodes.get(id) !== null
            && network.body.data.nodes.get(id).borderWidth >= 6""",
        arg=actor_id,
        timeout=TIMEOUT_MS,
    )
    view = frame.evaluate(
        """id => {
            const r = document.querySelector('canvas').getBoundingClientRect();
            const at = network.canvasToDOM(network.getPositions([id])[id]);
            const nodes = network.body.data.nodes.get();
            return {
                dx: Math.abs(at.x - r.width / 2) / r.width,
                dy: Math.abs(at.y - r.height / 2) / r.height,
                unlabelled: nodes.filter(n => !(n.label || '').trim()).map(n => n.id),
                count: nodes.length,
                ring: network.body.data.nodes.get(id).borderWidth,
            };
        }""",
        actor_id,
    )
    assert view["count"] > 10, view
    assert view["dx"] <= 0.05, view
    assert view["dy"] <= 0.05, view
    assert view["unlabelled"] == [], view
    assert view["ring"] >= 6, view


def _assert_page_ok(page: Page, spec: PageSpec, name: str) -> None:
    from playwright.sync_api import expect

    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_contain_text(spec.title, timeout=5_000)
    expect(main.get_by_text(spec.text).first).to_be_visible()
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{name}: {exceptions.first.inner_text()}"


def _map_frame(page: Page) -> Frame:
    """The frame of the pyvis map (an st.iframe with the HTML as srcdoc; after a rerun the
    element is replaced, so wait until the new one has its document)."""
    frame = None
    for _ in range(50):
        handle = page.locator('[data-testid="stIFrame"]').first.element_handle()
        frame = handle.content_frame() if handle else None
        if frame is not None:
            break
        page.wait_for_timeout(200)
    assert frame is not None, "the network map has no iframe"
    return frame


def _check_network_map(page: Page) -> None:
    """vis-network draws on a canvas; the probe names must reach the page as text only.

    st.dataframe draws its cells on a canvas, so a grid cannot show that a name was rendered as
    text. Two places do, with the real escaping code in between: the actor search (a selectbox
    whose options are DOM text: type "alert" and both probes must be offered literally), and
    the map's tooltip (pyvis data as escaped JSON, vis-network's tooltip div): choose each probe
    as the ego, so the map shows it and Region Jämtland Härjedalen only, hover it, and its
    tooltip must read the name literally.
    """
    from playwright.sync_api import expect

    expect(page.frame_locator('[data-testid="stIFrame"]').locator("canvas").first).to_be_attached()
    for actor_id, name in PROBES.items():
        search = page.get_by_role("combobox", name="Search an actor (ego view)")
        search.click()
        search.fill("alert")
        options = page.get_by_role("option")
        for other_id, other in PROBES.items():
            expect(options.filter(has_text=f"{other} ({other_id})")).to_have_count(1)
        options.filter(has_text=f"{name} ({actor_id})").click()
        _wait_until_idle(page)
        frame = _map_frame(page)
        frame.wait_for_function(
            "id => typeof network !== 'undefined' && network.body.data.nodes.get(id) !== null"
            " && network.body.data.nodes.length <= 5",
            arg=actor_id,
            timeout=TIMEOUT_MS,
        )
        iframe = page.locator('[data-testid="stIFrame"]').first
        iframe.scroll_into_view_if_needed()
        box = iframe.bounding_box()
        assert box is not None
        x, y = frame.evaluate(
            """id => {
                const at = network.canvasToDOM(network.getPositions([id])[id]);
                const r = document.querySelector('canvas').getBoundingClientRect();
                return [r.x + at.x, r.y + at.y];
            }""",
            actor_id,
        )
        page.mouse.move(box["x"] + x, box["y"] + y)
        tooltip = frame.locator("div.vis-tooltip")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text(name)
        assert tooltip.locator("img, script").count() == 0
        page.mouse.move(0, 0)
    _assert_no_injected_elements(page, "network_map (ego views)")


def _check_review_and_delete(page: Page) -> None:
    """The Data page's Review and clean tab: nothing to review on this database; delete one
    probe actor through the real widgets (its name offered literally, the button enabled only
    after the confirmation), and the page reports the deletion."""
    from playwright.sync_api import expect

    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("tab", name="Review and clean").click()
    expect(main.get_by_text("Nothing to review").first).to_be_visible()
    main.get_by_text("Delete actors").first.click()
    picker = page.get_by_role("combobox", name="Actors to delete")
    picker.click()
    expect(picker).to_be_focused()
    page.wait_for_timeout(500)  # the expander's opening settles; keys typed earlier are lost
    picker.press_sequentially("alert", delay=50)
    options = page.get_by_role("option")
    for actor_id, name in PROBES.items():
        expect(options.filter(has_text=f"{name} ({actor_id})")).to_have_count(1)
    options.filter(has_text=f"{IMG_PROBE} (xss-img)").click()
    page.keyboard.press("Escape")
    _wait_until_idle(page)
    button = main.get_by_role("button", name="Delete", exact=True)
    expect(button).to_be_disabled()
    main.get_by_text("Yes, delete these actors and their ties").click()
    _wait_until_idle(page)
    expect(button).to_be_enabled()
    button.click()
    _wait_until_idle(page)
    main.get_by_role("tab", name="Review and clean").click()
    expect(main.get_by_text("deleted 1 actor(s) (xss-img)").first).to_be_visible()
    _assert_no_injected_elements(page, "data (review and clean)")


def _check_sql_console(page: Page) -> None:
    """Run the saved query the page offers first, then a query of our own that returns the
    probes, and read them back from the result grid.

    st.dataframe draws its cells on a canvas, but glide-data-grid also keeps an accessible
    ``<table role="grid">`` as the canvas's fallback content, one ``gridcell`` per shown cell:
    the probe names must be the text of those cells (not hidden, just not "visible" to
    Playwright, being inside a canvas, so the test counts them instead).
    """
    from playwright.sync_api import expect

    main = page.locator('[data-testid="stMain"]')
    answer = main.get_by_text(re.compile(r"^\d+ rows · "))
    saved = page.get_by_role("combobox", name="Saved query")
    expect(saved).not_to_have_value(re.compile("write your own"))
    page.get_by_role("button", name="Run", exact=True).click()
    expect(answer).to_be_visible()
    assert main.locator('[data-testid="stAlertContentError"]').count() == 0

    saved.click()
    saved.fill("write your own")
    page.get_by_role("option", name="— write your own —").click()
    _wait_until_idle(page)
    sql = page.get_by_role("textbox", name="SQL")
    sql.fill("SELECT actor_id, name FROM actors WHERE name LIKE '%alert(1)%' ORDER BY actor_id")
    sql.press("Control+Enter")  # commits the text, which enables Run
    run = page.get_by_role("button", name="Run", exact=True)
    expect(run).to_be_enabled()
    run.click()
    expect(main.get_by_text(re.compile(r"^2 rows · "))).to_be_visible()
    cells = main.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    for name in PROBES.values():
        exact = re.compile(f"^{re.escape(name)}$")
        expect(cells.filter(has_text=exact)).to_have_count(1)
