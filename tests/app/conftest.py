"""Fixtures shared by the app's tests."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.network import load_graph
from graph.datasets.bootstrap import init_database
from graph.store.database import connect


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database per test module: the pages only read it, and sharing it lets the
    cached analysis serve every test after the first. (Modules whose tests write define their
    own, function-scoped.)"""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    init_database(path)
    return path


@pytest.fixture(scope="module")
def demo_graph(demo_db: Path) -> nx.Graph:
    """The demo database's whole network."""
    con = connect(demo_db, read_only=True)
    try:
        return load_graph(con)
    finally:
        con.close()
