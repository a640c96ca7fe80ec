"""Links only where we put them (issue #21, item 8): Streamlit's markdown turns bare URLs, www.
names and e-mail addresses into links after parsing, so names such as "Besök https://…" became
clickable on the Overview and in introduction paths even though ``ui.text.md`` escaped them.

A real Streamlit server renders text through the real ``md`` in every way the pages use it
(markdown, a list item, a caption, bold), and headless Chromium counts the links: the raw line
(the control) must be linked, the escaped ones not, and they must read the same to a person.
Also: the Overview's summary of a network whose main broker has such a name goes through ``md``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database
from graph.formats.ingest import import_paths
from graph.store.database import open_db
from tests.served import free_port, http_get
from ui.text import WORD_JOINER

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NAME = "Besök https://evil.example/x, www.evil.example eller info@evil.example"
SCRIPT = f"""
import streamlit as st
from ui.text import md
name = {NAME!r}
st.markdown("RAW " + name)
st.markdown("ESCAPED " + md(name))
st.markdown("- LIST " + md(name))
st.caption("CAPTION " + md(name))
st.markdown(f"**BOLD {{md(name)}}**")
"""


def test_escaped_names_show_no_links_in_chromium(tmp_path: Path) -> None:
    if os.environ.get("ECOGRAPH_SKIP_BROWSER") == "1":
        pytest.skip("ECOGRAPH_SKIP_BROWSER=1: the browser test is switched off")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`, or ECOGRAPH_SKIP_BROWSER=1")
    from playwright.sync_api import sync_playwright

    script = tmp_path / "links.py"
    script.write_text(SCRIPT, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if http_get(f"{base}/_stcore/health").strip() == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.25)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page()
                page.goto(base, wait_until="domcontentloaded")
                page.get_by_text("BOLD").first.wait_for(timeout=60_000)
                links = page.evaluate(
                    """() => [...document.querySelectorAll('[data-testid="stMain"] a')]
                        .map(a => [a.closest('[data-testid="stMarkdownContainer"]')
                            .innerText.split(' ')[0].replace('- ', ''), a.href])"""
                )
                texts = page.evaluate(
                    """() => [...document.querySelectorAll(
                        '[data-testid="stMain"] [data-testid="stMarkdownContainer"]')]
                        .map(m => m.innerText)"""
                )
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    # the control: unescaped, all three are links; escaped, none is
    assert sorted(href for where, href in links) == sorted(
        ["https://evil.example/x", "http://www.evil.example/", "mailto:info@evil.example"]
    )
    assert {where for where, _ in links} == {"RAW"}
    # a person reads the same name everywhere (the word joiner is invisible)
    shown = [t.replace(WORD_JOINER, "").split(" ", 1)[1] for t in texts]
    assert len(shown) >= 4
    assert set(shown) == {NAME}


def test_the_overview_summary_of_a_url_named_broker_is_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "links.duckdb"
    init_database(db, empty=True)
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "actor_id,name,kind\n"
        f'hub,"{NAME}",business_support\n'
        + "".join(f"a{i},Företag {i} AB,company\n" for i in range(6)),
        encoding="utf-8",
    )
    # a star around the hub: it is the one broker the summary names
    (folder / "relations.csv").write_text(
        "relation_id,from_actor,to_actor\n" + "".join(f"r{i},hub,a{i}\n" for i in range(6)),
        encoding="utf-8",
    )
    with open_db(db) as con:
        import_paths(con, [folder])
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    sources = [m.value for m in at.markdown if "evil" in m.value]
    assert sources, "the summary names the broker"
    for source in sources:
        assert "https://evil" not in source
        assert f"://{WORD_JOINER}evil" in source
