"""The console sees what the sidebar sees, if asked: ``current_actors`` and
``current_collaborations`` (issue #15 item 5), while the tables stay whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.analysis.network import GraphFilter, load_actors, load_ties
from graph.formats.ingest import import_paths
from graph.sql import current_filter_views, run_query
from graph.store.database import connect
from tests.conftest import EXAMPLE_DIR


@pytest.fixture(scope="module")
def region_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("current") / "region.duckdb"
    con = connect(path)
    import_paths(con, [EXAMPLE_DIR])
    con.close()
    return path


@pytest.mark.parametrize(
    "flt",
    [
        GraphFilter(),
        GraphFilter(kinds=("municipality", "academia")),
        GraphFilter(helices=("industry",), start=date(2023, 1, 1), end=date(2024, 12, 31)),
    ],
)
def test_the_views_hold_what_the_analyses_select(region_db: Path, flt: GraphFilter) -> None:
    """The same actors and ties as graph.analysis.network selects for the filter (the analyses'
    own loaders are the reference), and the tables themselves are untouched."""
    views = current_filter_views(flt.to_params())
    con = connect(region_db, read_only=True)
    try:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
        total = con.sql("SELECT count(*) FROM actors").fetchall()[0][0]
    finally:
        con.close()
    got = run_query(region_db, "SELECT actor_id FROM current_actors ORDER BY 1", views=views)
    assert got.frame["actor_id"].to_list() == sorted(actors["actor_id"].to_list())
    pairs = run_query(
        region_db,
        "SELECT count(DISTINCT least(actor_a, actor_b) || '|' || greatest(actor_a, actor_b)) "
        "AS n FROM current_collaborations",
        views=views,
    )
    expected_pairs = {tuple(sorted(p)) for p in ties.select("actor_a", "actor_b").rows()}
    assert pairs.frame["n"][0] == len(expected_pairs)
    whole = run_query(region_db, "SELECT count(*) AS n FROM actors", views=views)
    assert whole.frame["n"][0] == total
    if flt.kinds:
        assert len(actors) < total  # the filter really narrowed something
