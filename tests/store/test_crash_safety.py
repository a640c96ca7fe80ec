"""Crash safety: an import killed with SIGKILL at any moment leaves the database exactly as it
was or fully imported, never in between, and the file opens without error afterwards.

A real ``python -m graph.cli import`` of a synthetic ecosystem (20 000 actors, about 150 000
rows, a second or two of work) is killed after increasing delays: before it reads, while it
reads and validates, while it writes, at its commit and while it checkpoints on close. After
each kill the database is opened (DuckDB replays or discards its write-ahead log) and every
table must hash to the state before the import or to the state a complete import leaves.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from graph.datasets.synth import synthetic_ecosystem, write_csv_folder
from graph.formats.ingest import import_paths
from graph.store.database import DATA_TABLES, connect, run
from tests.conftest import MINI, ROOT, write_files

pytestmark = pytest.mark.timeout(240)

Digest = dict[str, tuple[int, int]]


def digest(path: Path, *, read_only: bool) -> Digest:
    """Rows and an order-free content hash of every table, ``schema_info`` included (it holds
    the data version an import bumps)."""
    con = connect(path, read_only=read_only, create=False)
    try:
        out: Digest = {}
        for table in (*DATA_TABLES, "schema_info"):
            count, total = run(con, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} t")[0]
            out[table] = (int(count), int(total))
        return out
    finally:
        con.close()


def _import(db: Path, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "import", str(folder), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def ecosystem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database holding the mini dataset, and a folder of 20 000 synthetic actors."""
    tmp = tmp_path_factory.mktemp("crash")
    folder = tmp / "big"
    write_csv_folder(synthetic_ecosystem(20_000, 11, ties_per_actor=4.0), folder)
    db = tmp / "before.duckdb"
    con = connect(db)
    try:
        import_paths(con, [write_files(tmp / "mini", MINI)])
    finally:
        con.close()
    return db, folder


def test_sigkill_at_any_moment_leaves_the_database_before_or_after(
    ecosystem: tuple[Path, Path], tmp_path: Path
) -> None:
    template, folder = ecosystem
    before = digest(template, read_only=True)

    # One complete run: the state after, and when its phases begin (for the kill times).
    full = tmp_path / "full.duckdb"
    shutil.copy(template, full)
    started = time.monotonic()
    process = _import(full, folder)
    assert process.stderr is not None
    writing_at = None
    for line in process.stderr:
        if line.startswith("... writing") and writing_at is None:
            writing_at = time.monotonic() - started
    assert process.wait(timeout=120) == 0
    finished_at = time.monotonic() - started
    assert writing_at is not None
    after = digest(full, read_only=True)
    assert after != before

    # Kill times: a few before the write, most inside it (the transaction, the commit, the
    # checkpoint on close; the window ends a little early, as later runs start faster), and
    # one after the process has finished by itself.
    rng = random.Random(2026)
    window = 0.9 * (finished_at - writing_at)
    delays = sorted(
        [0.0, rng.uniform(0.2, writing_at), rng.uniform(0.2, writing_at)]
        + [writing_at + window * (i + rng.random()) / 9 for i in range(9)]
        + [finished_at + 5.0]
    )
    outcomes = []
    for i, delay in enumerate(delays):
        db = tmp_path / f"kill-{i}.duckdb"
        shutil.copy(template, db)
        process = _import(db, folder)
        try:
            process.wait(timeout=delay)  # returns early if the import finishes first
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()
        killed = process.returncode == -signal.SIGKILL
        # A reader opening the file first (as the app does), then a writer (which replays or
        # discards the WAL), then a reader again: all see the same one of the two states.
        seen = [digest(db, read_only=ro) for ro in (True, False, True)]
        for state in seen:
            assert state in (before, after), (
                f"killed at {delay:.2f} s (write phase {writing_at:.2f}-{finished_at:.2f} s): "
                f"rows { {t: c for t, (c, _) in state.items()} }"
            )
        assert seen[0] == seen[1] == seen[2]
        outcomes.append(("after" if seen[0] == after else "before", killed, round(delay, 2)))
    assert {o for o, _killed, _d in outcomes} == {"before", "after"}, outcomes
    assert any(killed for _o, killed, d in outcomes if d > writing_at), outcomes


def test_a_database_left_with_a_wal_by_a_killed_writer_opens_read_only(tmp_path: Path) -> None:
    """The app opens sandboxed read-only connections: after a crash that left a WAL behind,
    they must read the committed data (DuckDB replays the WAL in memory), not fail."""
    db = tmp_path / "wal.duckdb"
    code = (
        f"import os, duckdb; c = duckdb.connect({str(db)!r}); "
        "c.execute('SET checkpoint_threshold = \\'1TB\\''); "
        "c.execute('CREATE TABLE t AS SELECT range AS x FROM range(1000)'); "
        "os.kill(os.getpid(), 9)"
    )
    process = subprocess.run([sys.executable, "-c", code], check=False)
    assert process.returncode == -signal.SIGKILL
    assert Path(f"{db}.wal").exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert run(con, "SELECT count(*) FROM t") == [(1000,)]
    finally:
        con.close()
