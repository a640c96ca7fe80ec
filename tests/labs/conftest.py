"""A lab on the shipped Jämtland Härjedalen data: the database, its queue, and the lab."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from graph.labs.lab import CreatedLab, create_lab
from graph.labs.queue import open_queue, queue_path

LAB_DATE = date(2026, 12, 10)
BASE = "http://lab.test:8501"


@pytest.fixture
def queue(db_path: Path) -> Iterator[object]:
    with open_queue(queue_path(db_path)) as q:
        yield q


@pytest.fixture
def lab(shipped_con: duckdb.DuckDBPyConnection, queue: object) -> CreatedLab:
    """Lärlabb 2 of the seed's project, opened as a lab."""
    return create_lab(
        shipped_con, queue, name="Lärlabb 2", lab_date=LAB_DATE, base_url=BASE,  # type: ignore[arg-type]
        activity_id="designdrivna-innovationskluster-larlabb-2",
    )  # fmt: skip
