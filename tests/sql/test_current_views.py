"""The SQL console's views current_actors and current_collaborations select exactly what the
analyses select for the same filter, and the saved queries still read the whole database."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.analysis.network import GraphFilter, load_actors, load_ties
from graph.datasets.bootstrap import init_database
from graph.sql import current_filter_views, find_query, load_queries, run_query
from graph.store.database import connect
from tests.conftest import snapshot_file


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("views") / "demo.duckdb"
    init_database(path)
    return path


FILTERS = [
    GraphFilter(),
    GraphFilter(synthetic=False),
    GraphFilter(kinds=("cluster", "company"), municipalities=("Östersund", "Åre")),
    GraphFilter(helices=("industry",), areas=("hallbar-energi",)),
    GraphFilter(regions=("Jämtlands län",), exclude=("region-jh",)),
    GraphFilter.for_years(2023, 2024),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_views_match_the_analysis_selection(demo_db: Path, flt: GraphFilter) -> None:
    con = connect(demo_db, read_only=True)
    try:
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
    finally:
        con.close()
    views = current_filter_views(flt.to_params())
    got = run_query(
        demo_db, "SELECT actor_id FROM current_actors ORDER BY actor_id", views=views
    ).frame
    assert got["actor_id"].to_list() == sorted(actors["actor_id"].to_list())
    n = run_query(demo_db, "SELECT count(*) AS n FROM current_collaborations", views=views)
    assert n.frame["n"][0] == ties.height


def test_saved_queries_read_the_whole_database_and_nothing_is_written(demo_db: Path) -> None:
    before = snapshot_file(demo_db)
    query = find_query(load_queries(), "synthetic_share")
    narrow = current_filter_views(GraphFilter(synthetic=False, kinds=("cluster",)).to_params())
    with_views = run_query(demo_db, query.sql, query.bind({}), views=narrow).frame
    without = run_query(demo_db, query.sql, query.bind({})).frame
    assert with_views.equals(without)
    after = snapshot_file(demo_db)
    assert all(before[t].equals(after[t]) for t in before)


def test_views_are_not_there_without_the_filter(demo_db: Path) -> None:
    """The views are temporary: a connection that was not given them has none."""
    from graph.sql import QueryError

    with pytest.raises(QueryError):
        run_query(demo_db, "SELECT * FROM current_actors")
