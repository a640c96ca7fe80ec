"""Shared helpers for the benchmarks: timing, peak memory, result tables."""

from __future__ import annotations

import json
import platform
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One measured step."""

    bench: str
    size: str
    step: str
    seconds: float
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed() -> Iterator[Callable[[], float]]:
    """``with timed() as t: ...`` then ``t()`` is the elapsed seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def print_rows(rows: list[Row]) -> None:
    width = max((len(r.step) for r in rows), default=10)
    print(f"{'bench':<10} {'size':<16} {'step':<{width}} {'seconds':>9}  note")
    for r in rows:
        print(f"{r.bench:<10} {r.size:<16} {r.step:<{width}} {r.seconds:>9.3f}  {r.note}")


def write_json(name: str, rows: list[Row]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rows": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return path
