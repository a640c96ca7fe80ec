"""A real ``streamlit run app.py`` for the tests that drive the app from outside (the browser
test, the concurrency test): a private data folder, a free port, a health check, and a server
that is always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> str:
    """The body of a GET, bypassing any proxy the environment names."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=2) as response:
        return str(response.read().decode())


def private_data_dir(tmp: Path) -> Path:
    """A data folder with the shipped data and reference files but none of the developer's
    databases (conftest's autouse fixture is function-scoped, so not in force for a module
    fixture that starts a server)."""
    data = tmp / "data-dir"
    data.mkdir()
    (data / "jamtland").symlink_to(ROOT / "data" / "jamtland")
    (data / "municipalities.csv").symlink_to(ROOT / "data" / "municipalities.csv")
    return data


@contextmanager
def serve_app(
    db: Path, data: Path, log_path: Path, env: Mapping[str, str] = {}, script: str = "app.py"
) -> Iterator[str]:
    """Start the app on ``db`` and yield its base URL once it is healthy; stop it afterwards.
    The server's output goes to ``log_path`` and is shown if it fails to start. ``script``
    ``serve.py`` serves the app with the learning labs' form routes (what ``ecograph app``
    runs)."""
    port = free_port()
    environment = {**os.environ, "ECOGRAPH_DB": str(db), "ECOGRAPH_DATA_DIR": str(data), **env}
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script,
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                if server.poll() is not None:
                    pytest.fail(f"the server exited ({server.returncode}):\n{log_path.read_text()}")
                try:
                    if http_get(f"{base}/_stcore/health").strip() == "ok":
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the server was not healthy in {START_TIMEOUT_S} s:\n"
                        f"{log_path.read_text()}"
                    )
                time.sleep(0.25)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
