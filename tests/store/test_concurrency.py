"""Concurrent use, with real processes: readers never see half an import, a locked database is
a clear message after a configurable wait (never a traceback), and the running app keeps
serving its sessions while the command line imports.

DuckDB lets one process write a file, or several read it, never both: a reader retries while
the writer holds the file (``connect(wait_seconds=...)``), the writer retries while readers
hold it, and an import is one transaction, so whoever gets the file sees all of it or none.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.datasets.synth import synthetic_ecosystem, write_csv_folder
from graph.formats.ingest import import_paths
from graph.store.database import connect
from tests.app.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import MINI, ROOT, write_files
from tests.served import http_get, private_data_dir, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.timeout(300)

# One statement, so one snapshot: the counts, the references that point nowhere, the version.
READER = r"""
import json, sys, time
from pathlib import Path
from graph.store.database import connect, run
db, stop = sys.argv[1], Path(sys.argv[2])
while not stop.exists():
    con = connect(db, sandbox=True, wait_seconds=60)
    try:
        row = run(con, '''
            SELECT (SELECT count(*) FROM actors), (SELECT count(*) FROM participations),
                   (SELECT count(*) FROM relations),
                   (SELECT count(*) FROM participations p WHERE NOT EXISTS
                        (SELECT 1 FROM actors a WHERE a.actor_id = p.actor_id)),
                   (SELECT count(*) FROM relations r WHERE NOT EXISTS
                        (SELECT 1 FROM actors a WHERE a.actor_id = r.to_actor)),
                   (SELECT value FROM schema_info WHERE key = 'data_version')''')[0]
    finally:
        con.close()
    print(json.dumps(row), flush=True)
    time.sleep(0.01)
"""

HOLDER = r"""
import sys
from graph.store.database import connect
con = connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


def _python(code: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


@contextmanager
def _holding(db: Path) -> Iterator[int]:
    """Another process holds ``db`` open for writing for the length of the block (its PID is
    yielded); it lets go when the block ends, however it ends."""
    holder = _python(HOLDER, str(db), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        yield holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        if holder.stdout:
            holder.stdout.close()


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _synthetic(tmp_path_factory: pytest.TempPathFactory, n_actors: int) -> Path:
    folder = tmp_path_factory.mktemp("concurrency") / "synthetic"
    write_csv_folder(synthetic_ecosystem(n_actors, 5, ties_per_actor=3.0), folder)
    return folder


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 000 synthetic actors: an import that holds the file for a second or so."""
    return _synthetic(tmp_path_factory, 4_000)


@pytest.fixture(scope="module")
def large_synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """15 000 synthetic actors: long enough an import for the app's sessions to reload in it."""
    return _synthetic(tmp_path_factory, 15_000)


def _mini_db(path: Path) -> Path:
    con = connect(path)
    try:
        import_paths(con, [write_files(path.parent / "mini-files", MINI)])
    finally:
        con.close()
    return path


def test_readers_see_the_state_before_or_after_an_import_never_between(
    tmp_path: Path, synthetic_folder: Path
) -> None:
    db = _mini_db(tmp_path / "db.duckdb")
    stop = tmp_path / "stop"
    readers = [_python(READER, str(db), str(stop), stdout=subprocess.PIPE) for _ in range(2)]
    try:
        seen: list[list[tuple[object, ...]]] = [[] for _ in readers]
        for i, reader in enumerate(readers):  # both read before the writer starts
            assert reader.stdout is not None
            seen[i].append(tuple(json.loads(reader.stdout.readline())))
        writer = _cli("import", str(synthetic_folder), "--db", str(db), "--wait", "60")
        assert writer.returncode == 0, writer.stderr
        con = connect(db, read_only=True)
        try:
            version = con.sql("SELECT value FROM schema_info WHERE key = 'data_version'")
            new_version = version.fetchall()[0][0]
        finally:
            con.close()
        for i, reader in enumerate(readers):  # read on until each has seen the new state
            assert reader.stdout is not None
            while seen[i][-1][5] != new_version:
                line = reader.stdout.readline()
                assert line, f"reader {i} stopped"
                seen[i].append(tuple(json.loads(line)))
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)
            if reader.stdout:
                reader.stdout.read()
                reader.stdout.close()
    states = {row for rows in seen for row in rows}
    old, new = seen[0][0], seen[0][-1]
    # mini: 3 actors, 2 participations, 1 relation, nothing dangling, one import so far
    assert old == (3, 2, 1, 0, 0, "1")
    assert new[0] > old[0]
    assert new[1] > old[1]
    assert new[3:5] == (0, 0)
    assert states == {old, new}, states


def test_a_locked_database_is_one_clear_line_after_the_wait(tmp_path: Path) -> None:
    """While another process holds the file for writing, import (and backup) retry for
    --wait / ECOGRAPH_LOCK_WAIT seconds, then say who holds it; once it is free they work."""
    db = _mini_db(tmp_path / "db.duckdb")
    files = write_files(tmp_path / "more", {"actors.csv": "actor_id,name,kind\nz,Ny,company\n"})
    with _holding(db) as holder_pid:
        started = time.monotonic()
        result = _cli("import", str(files), "--db", str(db), "--wait", "1.5")
        assert time.monotonic() - started >= 1.5
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            f"error: {db} is in use by another process (PID {holder_pid}); waited 1.5 s: try "
            "again when it has finished, or wait longer (--wait SECONDS or ECOGRAPH_LOCK_WAIT)"
        ]
        env = {**os.environ, "ECOGRAPH_LOCK_WAIT": "0.2"}
        result = _cli("import", str(files), "--db", str(db), env=env)
        assert result.returncode == 1
        assert "waited 0.2 s" in result.stderr
        result = _cli("backup", "--db", str(db), "--out", str(tmp_path / "b.zip"), "--wait", "0")
        assert result.returncode == 1
        assert "in use by another process" in result.stderr
        assert "Traceback" not in result.stderr
    result = _cli("import", str(files), "--db", str(db), "--wait", "0")
    assert result.returncode == 0, result.stderr
    assert "actors: 1 rows (1 new, 0 changed)" in result.stdout


# --- the running app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``streamlit run app.py`` on a database holding the mini dataset; readers in the app wait
    at most 1 s for the file (ECOGRAPH_LOCK_WAIT), then say the database is busy and retry."""
    if os.environ.get("ECOGRAPH_SKIP_BROWSER") == "1":
        pytest.skip("ECOGRAPH_SKIP_BROWSER=1: the browser tests are switched off")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    tmp = tmp_path_factory.mktemp("served")
    data = private_data_dir(tmp)
    db = _mini_db(tmp / "served.duckdb")
    with serve_app(db, data, tmp / "server.log", {"ECOGRAPH_LOCK_WAIT": "1"}) as base:
        yield base, db


def _actors_shown(page: Page) -> str:
    """The Overview's "Actors" metric (digits only)."""
    value = page.locator('[data-testid="stMetric"]').filter(has_text="Actors")
    return re.sub(r"\D", "", value.locator('[data-testid="stMetricValue"]').inner_text())


def _assert_no_exception(page: Page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()}"


@pytest.mark.browser
def test_app_serves_sessions_while_the_cli_imports(
    app_server: tuple[str, Path], large_synthetic_folder: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default: too short for a rerun on a loaded 2-core machine
    expect.set_options(timeout=30_000)
    base, db = app_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            pages = [browser.new_context().new_page() for _ in range(2)]  # two sessions
            for page in pages:
                page.set_default_timeout(60_000)
                page.goto(base, wait_until="domcontentloaded")
                expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
                assert _actors_shown(page) == "3"

            # Another process holds the file: the page says so, then recovers by itself.
            with _holding(db):
                pages[0].reload(wait_until="domcontentloaded")
                expect(pages[0].get_by_text("The database is busy")).to_be_visible()
                _assert_no_exception(pages[0], "while the file was held")
            expect(pages[0].locator('[data-testid="stMetric"]').first).to_be_visible()
            assert _actors_shown(pages[0]) == "3"

            # The CLI imports while both sessions keep reloading: each sees the old data, the
            # new data or the busy notice, never an error and never a count in between.
            importer = subprocess.Popen(
                [sys.executable, "-m", "graph.cli", "import", str(large_synthetic_folder),
                 "--db", str(db), "--wait", "60"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert importer.stderr is not None
            # the importer prints this once it holds the file, until its commit
            assert importer.stderr.readline().startswith("... reading files")
            shown: set[str] = set()
            while importer.poll() is None:
                for page in pages:
                    page.reload(wait_until="domcontentloaded")
                    assert http_get(f"{base}/_stcore/health").strip() == "ok"
                    metric = page.locator('[data-testid="stMetric"]').first
                    busy = page.get_by_text("The database is busy")
                    expect(metric.or_(busy)).to_be_visible()
                    if metric.is_visible():
                        shown.add(_actors_shown(page))
                    _assert_no_exception(page, "during the import")
            _out, err = importer.communicate(timeout=60)
            assert importer.returncode == 0, err
            new_count = _actors_in(db)
            assert new_count > 3
            for page in pages:
                page.reload(wait_until="domcontentloaded")
                expect(
                    page.locator('[data-testid="stMetric"]')
                    .filter(has_text="Actors")
                    .locator('[data-testid="stMetricValue"]')
                ).to_have_text(re.compile("^" + r"\D?".join(str(new_count)) + "$"))
                _assert_no_exception(page, "after the import")
            assert shown <= {"3", str(new_count)}, shown
        finally:
            browser.close()


def _actors_in(db: Path) -> int:
    con = connect(db, read_only=True, wait_seconds=30)
    try:
        return int(con.sql("SELECT count(*) FROM actors").fetchall()[0][0])
    finally:
        con.close()


def test_restore_refuses_while_the_database_is_in_use(tmp_path: Path) -> None:
    db = _mini_db(tmp_path / "db.duckdb")
    backup = tmp_path / "b.zip"
    assert _cli("backup", "--db", str(db), "--out", str(backup)).returncode == 0
    with _holding(db):
        result = _cli("restore", str(backup), "--db", str(db), "--force", "--wait", "0.2")
        assert result.returncode == 1
        assert "in use by another process" in result.stderr
        assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("db.duckdb*.bak"))
