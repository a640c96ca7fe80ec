"""Learning-lab load test: 60 participants × 5 ties within 2 minutes, through the real server.

What runs at the same time, as in a real lab:

- the server ``ecograph app`` starts (``streamlit run serve.py``: the app and the form's routes
  on one port), on a temporary database with the shipped data and the synthetic layer;
- headless Chromium on the lab's projector page, which refreshes itself every 3 s;
- ``ecograph import`` from the command line, writing a synthetic ecosystem into the same
  database (DuckDB's one writer) while the phones submit;
- 60 participants arriving at random over the window, each posting one submission with 5 ties
  (JSON, each its own device id), on loopback only.

Then: every accepted submission must be in the queue exactly once (the bench fails loudly if
not); the approval of all 300 ties is timed (one import with matching). Prints the p50/p95/max
submission latency (target p95 < 1 s) and the approval time (target < 5 s). ``--quick`` squeezes
the arrivals into 20 s.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from bench.common import Row, timed
from graph.datasets.bootstrap import init_database
from graph.datasets.synth import synthetic_ecosystem, write_csv_folder
from graph.labs.approval import approve
from graph.labs.lab import create_lab
from graph.labs.queue import list_submissions, open_queue, queue_path
from graph.store.database import open_db

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
PARTICIPANTS = 60
TIES = 5
WINDOW_S = 120.0
P95_TARGET_S = 1.0
APPROVAL_TARGET_S = 5.0
KINDS = ("project", "advice", "funding", "membership", "other")
STRENGTHS = ("now_and_then", "regularly", "core")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


def _wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app exited:\n{log.read_text()}")
        try:
            with _opener().open(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the app was not healthy in 90 s:\n{log.read_text()}")


def _answers(rng: random.Random, n: int, actor_ids: list[str]) -> dict[str, object]:
    """One participant: a new organisation or a known one, 5 partners (known or new)."""
    own: dict[str, object] = (
        {"id": actor_ids[n % len(actor_ids)]}
        if n % 3
        else {"name": f"Deltagare {n} Åre AB", "kind": "company", "municipality": "Åre"}
    )
    partners = rng.sample(actor_ids, TIES)
    ties = [
        {
            "partner": {"id": p} if i % 2 == 0 else {"name": f"Partner {n}-{i} i Östersund"},
            "kind": rng.choice(KINDS),
            "strength": rng.choice(STRENGTHS),
            "since": str(rng.randint(2010, 2025)),
        }
        for i, p in enumerate(partners)
    ]
    ties = [t for t in ties if t["partner"] != own] or ties[:1]
    return {
        "organisation": own,
        "ties": ties,
        "wanted": [{"partner": {"id": rng.choice(actor_ids)}, "obstacle": "tid"}],
        "consent": True,
    }


def _submit(url: str, body: dict[str, object], device: str) -> tuple[int, float, str]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "X-Ecograph-Device": device},
    )
    start = time.perf_counter()
    try:
        with _opener().open(request, timeout=30) as r:
            answer = json.loads(r.read())
            return r.status, time.perf_counter() - start, str(answer.get("receipt", ""))
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - start, exc.read().decode()[:200]


def _projector(base: str, code: str, stop: threading.Event, seen: list[str]) -> None:
    """Headless Chromium keeps the projector page open (it refreshes itself)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        seen.append("playwright missing: no projector")
        return
    if not CHROMIUM.is_file():
        seen.append(f"{CHROMIUM} missing: no projector")
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/lab_projector?code={code}", timeout=120_000)
        while not stop.is_set():
            page.wait_for_timeout(1000)
            value = page.evaluate(
                "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
                ".map(e => e.innerText).join('/')"
            )
            broken = page.locator('[data-testid="stException"]').count()
            seen.append(f"{value}{' EXCEPTION' if broken else ''}" if value else "")
        browser.close()


def run(quick: bool = False, seed: int = 17) -> list[Row]:
    """The load test; one row per measured step."""
    rows: list[Row] = []
    window = 20.0 if quick else WINDOW_S
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        db = tmp / "lab-bench.duckdb"
        init_database(db)
        with open_db(db) as con, open_queue(queue_path(db)) as queue:
            code = create_lab(
                con, queue, name="Lärlabb last", lab_date=date.today(), base_url="http://127.0.0.1"
            ).lab.code
            actor_ids = [
                r[0]
                for r in con.execute("SELECT actor_id FROM actors ORDER BY actor_id").fetchall()
            ]
        folders = [
            write_csv_folder(synthetic_ecosystem(3000, seed + k), tmp / f"import-{k}")[0].parent
            for k in range(2)
        ]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp / "app.log"
        env = {**os.environ, "ECOGRAPH_DB": str(db), "ECOGRAPH_BASE_URL": base}
        with log.open("wb") as out:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "serve.py",
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        stop = threading.Event()
        seen: list[str] = []
        try:
            _wait_healthy(base, server, log)
            projector = threading.Thread(target=_projector, args=(base, code, stop, seen))
            projector.start()
            time.sleep(5 if quick else 10)  # the projector's first load
            imports: list[tuple[int, str]] = []

            def import_meanwhile() -> None:
                """CLI imports one after the other for as long as the phones submit."""
                k = 0
                while not done_submitting.is_set():
                    out = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "graph.cli",
                            "import",
                            str(folders[k % 2]),
                            "--db",
                            str(db),
                            "--wait",
                            "120",
                        ],
                        cwd=ROOT,
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=600,
                    )
                    imports.append((out.returncode, (out.stdout + out.stderr)[-300:]))
                    k += 1

            done_submitting = threading.Event()
            importer = threading.Thread(target=import_meanwhile)
            importer.start()
            arrivals = sorted(rng.uniform(0, window) for _ in range(PARTICIPANTS))
            bodies = [_answers(rng, n, actor_ids) for n in range(PARTICIPANTS)]
            start = time.monotonic()

            def participant(n: int) -> tuple[int, float, str]:
                time.sleep(max(0.0, start + arrivals[n] - time.monotonic()))
                return _submit(f"{base}/lab/{code}/submissions", bodies[n], f"bench-phone-{n}")

            with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
                results = list(pool.map(participant, range(PARTICIPANTS)))
            elapsed = time.monotonic() - start
            done_submitting.set()
            importer.join(timeout=600)
            stop.set()
            projector.join(timeout=60)
        finally:
            stop.set()
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        accepted = [r[2] for r in results if r[0] == 201]
        refused = [f"{r[0]}: {r[2]}" for r in results if r[0] != 201]
        latencies = sorted(r[1] for r in results)
        with open_queue(queue_path(db)) as queue:
            queued = [q.receipt for q in list_submissions(queue, code)]
        exactly_once = sorted(queued) == sorted(accepted) and len(set(queued)) == len(queued)
        p50 = statistics.median(latencies)
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        size = f"{PARTICIPANTS}×{TIES} in {elapsed:.0f} s"
        rows.append(Row("labs", size, "submission p50", p50, f"{len(accepted)} accepted"))
        rows.append(
            Row(
                "labs",
                size,
                "submission p95",
                p95,
                f"target < {P95_TARGET_S:g} s: {'met' if p95 < P95_TARGET_S else 'MISSED'}",
            )
        )
        rows.append(Row("labs", size, "submission max", latencies[-1], ""))
        rows.append(
            Row(
                "labs",
                size,
                "queue exactly once",
                0.0,
                f"{len(queued)} queued, {len(accepted)} accepted, refused {refused or 'none'}: "
                + ("OK" if exactly_once and not refused else "FAILED"),
            )
        )
        failed = [text for code_, text in imports if code_ != 0]
        rows.append(
            Row(
                "labs",
                size,
                "cli imports meanwhile",
                float(len(imports)),
                "all ok" if not failed else "FAILED: " + failed[0],
            )
        )
        shown = [v for v in seen if v]
        broken = [v for v in seen if "EXCEPTION" in v]
        rows.append(
            Row(
                "labs",
                size,
                "projector polls (1/s)",
                float(len(seen)),
                f"{len(shown)} with counters, {len(broken)} with an exception",
            )
        )
        with open_db(db) as con, open_queue(queue_path(db)) as queue:
            with timed() as t:
                done = approve(con, queue, code)
            seconds = t()
        rows.append(
            Row(
                "labs",
                f"{done.ties} ties",
                "approval (one import)",
                seconds,
                f"target < {APPROVAL_TARGET_S:g} s: "
                f"{'met' if seconds < APPROVAL_TARGET_S else 'MISSED'}; "
                f"{done.report.matched} organisations matched to known actors",
            )
        )
        if not exactly_once or refused:
            raise SystemExit(
                f"labs bench: the queue does not hold every accepted submission "
                f"exactly once ({len(queued)} queued, {len(accepted)} accepted)"
            )
    return rows
