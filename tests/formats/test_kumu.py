"""Kumu spreadsheets (Elements/Connections, as CSV files or an Excel workbook) and graph files
made by other tools."""

from __future__ import annotations

from pathlib import Path

import duckdb
import networkx as nx
import pytest
from openpyxl import Workbook

from graph.errors import ImportValidationError
from graph.formats.ingest import import_paths
from graph.store.database import read_table
from tests.conftest import write_files

ELEMENTS = (
    "Label,Type,Description,Tags,Municipality\n"
    "Peak Innovation,Innovationskluster,Arena i Östersund,Hållbar energi|Turism,Östersund\n"
    "Mittuniversitetet,University,,,Östersund\n"
    "Fjällbolaget AB,Företag,,,Åre\n"
    "Okänd aktör,Spaceship,,,\n"
)
CONNECTIONS = (
    "From,To,Type,Strength,Direction\n"
    "Fjällbolaget AB,Peak Innovation|Mittuniversitetet,member,2,\n"
    "Peak Innovation,Mittuniversitetet,collaboration,,mutual\n"
    "Okänd aktör,Peak Innovation,knows,,undirected\n"
)


@pytest.fixture
def with_area(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    import_paths(
        con,
        [
            write_files(
                tmp_path / "a",
                {"strength_areas.csv": "area_id,name\nhallbar-energi,Hållbar energi\n"},
            )
        ],
    )
    return con


def _check(con: duckdb.DuckDBPyConnection) -> None:
    """The original type texts and the tags that name no area stay in the attributes."""
    actors = read_table(con, "actors").select(
        "actor_id", "name", "kind", "municipality", "description", "attributes"
    )
    assert actors.rows() == [
        ("fjallbolaget-ab", "Fjällbolaget AB", "company", "Åre", None, '{"Type": "Företag"}'),
        (
            "mittuniversitetet",
            "Mittuniversitetet",
            "academia",
            "Östersund",
            None,
            '{"Type": "University"}',
        ),
        ("okand-aktor", "Okänd aktör", "other", None, None, '{"Type": "Spaceship"}'),
        (
            "peak-innovation",
            "Peak Innovation",
            "cluster",
            "Östersund",
            "Arena i Östersund",
            '{"Tags": "Turism", "Type": "Innovationskluster"}',
        ),
    ]
    assert read_table(con, "actor_areas").select("actor_id", "area_id").rows() == [
        ("peak-innovation", "hallbar-energi")
    ]
    relations = (
        read_table(con, "relations")
        .select("from_actor", "to_actor", "kind", "directed", "weight", "attributes")
        .sort("from_actor", "to_actor")
    )
    assert relations.rows() == [
        ("fjallbolaget-ab", "mittuniversitetet", "membership", True, 2.0, '{"Type": "member"}'),
        ("fjallbolaget-ab", "peak-innovation", "membership", True, 2.0, '{"Type": "member"}'),
        ("okand-aktor", "peak-innovation", "other", False, 1.0, '{"Type": "knows"}'),
        (
            "peak-innovation",
            "mittuniversitetet",
            "partnership",
            False,
            1.0,
            '{"Type": "collaboration"}',
        ),
    ]


def test_kumu_csv_pair(with_area: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Kumu's two CSV files: types mapped by synonym, tags to areas, '|' fans out, direction."""
    folder = write_files(tmp_path / "k", {"elements.csv": ELEMENTS, "connections.csv": CONNECTIONS})
    import_paths(with_area, [folder / "elements.csv", folder / "connections.csv"])
    _check(with_area)


def test_kumu_workbook(with_area: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, text in (
        ("Elements", ELEMENTS),
        ("Connections", CONNECTIONS),
        ("Notes (ignore)", "a,b\n1,2\n"),
    ):
        sheet = book.create_sheet(title)
        for line in text.strip().split("\n"):
            sheet.append([c or None for c in line.split(",")])
    path = tmp_path / "map.xlsx"
    book.save(path)
    import_paths(with_area, [path])
    _check(with_area)


def test_kumu_connection_to_unknown_element_is_reported(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = write_files(
        tmp_path / "k",
        {
            "elements.csv": "Label,Type\nA,company\n",
            "connections.csv": "From,To\nA,Ghost\n",
        },
    )
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [folder / "elements.csv", folder / "connections.csv"])
    assert [str(p) for p in caught.value.problems] == [
        "connections.csv:2:To: unknown actor 'ghost'"
    ]


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_file_from_another_tool(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    """A plain graph (Gephi-style: label and custom attributes, weighted edges) imports as
    actors of kind 'other' unless a kind attribute says more, with a warning; node ids live in
    the file's namespace ("g:" for g.gexf)."""
    G = nx.Graph()
    G.add_node("n1", label="Åre kommun", kind="municipality", municipality="Åre")
    G.add_node("n2", label="Fjällbolaget")
    G.add_edge("n1", "n2", weight=3.0)
    path = tmp_path / f"g.{fmt}"
    (nx.write_gexf if fmt == "gexf" else nx.write_graphml)(G, path)
    report = import_paths(con, [path])
    actors = read_table(con, "actors").select("actor_id", "name", "kind", "municipality")
    assert actors.rows() == [
        ("g:n1", "Åre kommun", "municipality", "Åre"),
        ("g:n2", "Fjällbolaget", "other", None),
    ]
    rel = read_table(con, "relations").select("from_actor", "to_actor", "weight", "directed")
    assert rel.rows() == [("g:n1", "g:n2", 3.0, False)]
    assert any("1 nodes have no kind" in w for w in report.warnings)


def test_damaged_graph_file_is_a_problem_not_a_crash(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "broken.gexf"
    path.write_text("<gexf><graph><nodes><node id='1'", encoding="utf-8")
    with pytest.raises(ImportValidationError, match=r"broken.gexf::: GEXF: not well-formed XML"):
        import_paths(con, [path])
