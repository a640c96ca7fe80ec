"""A killed server loses no accepted submission: the form server runs in a process of its own
(uvicorn, the real routes), phones keep posting, and the process is killed with SIGKILL in the
middle of it. Every submission that got its 201 must be in the queue, exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from graph.labs.lab import CreatedLab
from graph.labs.queue import list_submissions, open_queue, queue_path
from tests.conftest import ROOT
from tests.served import free_port, http_get

pytestmark = pytest.mark.timeout(120)

ANSWERS = {
    "organisation": {"name": "Ett Företag i Åre", "kind": "company", "municipality": "Åre"},
    "ties": [{"partner": {"id": "svid"}, "kind": "project", "strength": "regularly"}],
}


def _post(url: str, device: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(
        url, data=json.dumps(ANSWERS).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Ecograph-Device": device},
    )  # fmt: skip
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def test_a_killed_server_loses_no_accepted_submission(
    shipped_con: duckdb.DuckDBPyConnection, db_path: Path, lab: CreatedLab, tmp_path: Path
) -> None:
    shipped_con.close()  # the form server never opens DuckDB; nothing else should hold it
    port = free_port()
    env = {**os.environ, "ECOGRAPH_DB": str(db_path), "ECOGRAPH_LAB_RATE": "100000"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "graph.labs.server:lab_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/lab/{lab.lab.code}"
    accepted: list[str] = []
    failures: list[str] = []
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http_get(base)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail((tmp_path / "server.log").read_text())
                time.sleep(0.2)

        def phone(n: int) -> None:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    status, body = _post(f"{base}/submissions", f"phone-{n}-{i}")
                except OSError:
                    return  # the server is gone
                if status == 201:
                    accepted.append(body["receipt"])
                else:
                    failures.append(str(status))

        phones = [threading.Thread(target=phone, args=(n,)) for n in range(4)]
        for p in phones:
            p.start()
        while len(accepted) < 40 and time.monotonic() < deadline + 30:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # in the middle of the phones' requests
        server.wait(timeout=10)
        stop.set()
        for p in phones:
            p.join(timeout=10)
    finally:
        stop.set()
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        log.close()
    assert failures == []
    assert len(accepted) >= 40
    with open_queue(queue_path(db_path)) as queue:
        queued = [q.receipt for q in list_submissions(queue, lab.lab.code)]
        integrity = queue.execute("PRAGMA integrity_check").fetchone()
    assert integrity == ("ok",)
    assert len(queued) == len(set(queued))
    # every accepted one is there; at most the requests in flight at the kill are extra
    assert set(accepted) <= set(queued)
    assert len(queued) - len(accepted) <= 4
