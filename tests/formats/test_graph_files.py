"""Graph files as other tools write them (Gephi, yEd, igraph, networkx, Gephi Lite, Kumu):
counts, names, attributes and warnings checked against networkx's own reading of the same file
where networkx reads it, and exports that networkx reads back as written.

The fixtures are written here in each tool's style (namespaces, viz, dynamics with integer
years, yEd labels and groups, parallel edges, self-loops, zero and null weights); the real
sample files of Gephi (Les Misérables, US Airports, Java, Power Grid) were checked the same
way by hand and are not shipped (see README, "Graph files from other tools").
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest

from graph.errors import ImportValidationError
from graph.formats.export import export_dataset, read_dataset
from graph.formats.ingest import import_paths
from graph.store.database import connect, read_table
from tests.conftest import assert_same_tables

# Gephi 0.10 writes GEXF 1.3 with the www. namespace, which networkx 3.6 does not know.
GEPHI_13 = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.3" version="1.3" xmlns:viz="http://www.gexf.net/1.3/viz">
  <meta lastmodifieddate="2024-05-01"><creator>Gephi 0.10.1</creator></meta>
  <graph defaultedgetype="undirected" mode="dynamic" timeformat="integer">
    <attributes class="node" mode="static">
      <attribute id="type" title="type" type="string"></attribute>
      <attribute id="worth" title="Net Worth" type="double"></attribute>
      <attribute id="lat" title="latitude" type="double"></attribute>
    </attributes>
    <attributes class="node" mode="dynamic">
      <attribute id="staff" title="staff" type="integer"></attribute>
    </attributes>
    <nodes>
      <node id="0" label="Mittuniversitetet">
        <attvalues>
          <attvalue for="type" value="University"></attvalue>
          <attvalue for="worth" value="12.5"></attvalue>
          <attvalue for="lat" value="63.18"></attvalue>
          <attvalue for="staff" value="10" start="2004" end="2005"></attvalue>
          <attvalue for="staff" value="12" start="2006" end="2006"></attvalue>
        </attvalues>
        <viz:size value="10.0"></viz:size>
        <viz:position x="-12.5" y="3.25" z="0.0"></viz:position>
        <viz:color r="153" g="0" b="153"></viz:color>
      </node>
      <node id="1">
        <attvalues><attvalue for="type" value="Startup"></attvalue></attvalues>
      </node>
      <node id="2" label="Fjällbolaget AB"></node>
    </nodes>
    <edges>
      <edge id="0" source="0" target="1" weight="2.0" label="sponsored" start="2004" end="2006"/>
      <edge id="1" source="0" target="1" weight="0.0" label="requires"></edge>
      <edge id="2" source="1" target="1"></edge>
      <edge id="3" source="1" target="2"></edge>
    </edges>
  </graph>
</gexf>
"""


def _networkx_gexf(text: str, tmp_path: Path) -> nx.Graph:
    """networkx's reading, after giving it the namespace spelling it knows."""
    path = tmp_path / "for-networkx.gexf"
    path.write_text(text.replace("http://www.gexf.net/", "http://gexf.net/"), encoding="utf-8")
    return nx.read_gexf(path)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(con: duckdb.DuckDBPyConnection, table: str, *columns: str) -> list[tuple]:
    return read_table(con, table).select(columns).rows()


def test_gephi_13_file_imports_whole(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """What was lost before: the file itself (refused), labels, viz, type texts, dynamic
    values, integer years, parallel edges; the self-loop is the only thing left out."""
    report = import_paths(con, [_write(tmp_path, "innovation-map.gexf", GEPHI_13)])
    G = _networkx_gexf(GEPHI_13, tmp_path)
    # networkx: 3 nodes, 4 edges in a multigraph (2 parallel), 1 of them a self-loop
    assert (G.number_of_nodes(), G.number_of_edges(), nx.number_of_selfloops(G)) == (3, 4, 1)
    actors = _rows(con, "actors", "actor_id", "name", "kind", "lat")
    assert actors == [
        ("innovation-map:0", "Mittuniversitetet", "academia", 63.18),
        # a node without a label is named by its id; "Startup" is no kind of ours
        ("innovation-map:1", "1", "other", None),
        ("innovation-map:2", "Fjällbolaget AB", "other", None),
    ]
    assert {G.nodes[n].get("label") or n for n in G} == {a[1] for a in actors}
    attributes = json.loads(read_table(con, "actors")["attributes"][0])
    assert attributes == {
        "Net Worth": 12.5,
        "type": "University",  # the original text, beside the kind it mapped to
        # the history, not only the last value; a year Y is Y-01-01..Y-12-31
        "staff": [
            {"value": 10, "start": "2004-01-01", "end": "2005-12-31"},
            {"value": 12, "start": "2006-01-01", "end": "2006-12-31"},
        ],
        "viz": {
            "color": {"r": 153, "g": 0, "b": 153},
            "position": {"x": -12.5, "y": 3.25, "z": 0.0},
            "size": 10.0,
        },
    }
    assert G.nodes["0"]["viz"]["position"] == attributes["viz"]["position"]
    relations = _rows(
        con, "relations", "relation_id", "from_actor", "to_actor", "start_date", "weight"
    )
    from datetime import date

    assert relations == [
        ("innovation-map:0", "innovation-map:0", "innovation-map:1", date(2004, 1, 1), 2.0),
        ("innovation-map:1", "innovation-map:0", "innovation-map:1", None, 1.0),
        ("innovation-map:3", "innovation-map:1", "innovation-map:2", None, 1.0),
    ]
    edge_attributes = read_table(con, "relations")["attributes"].to_list()
    assert edge_attributes[:2] == ['{"label": "sponsored"}', '{"label": "requires", "weight": 0.0}']
    assert report.warnings == [
        "innovation-map.gexf: 1 self-loops skipped: a tie needs two actors",
        "innovation-map.gexf: 1 edges have a weight of 0 or below: kept in their attributes "
        "('weight'), and the tie counts with weight 1",
        "innovation-map.gexf: 2 nodes have no kind and were imported as 'other'",
    ]
    assert all("\n" not in w for w in report.warnings)
    # queryable in SQL
    worth = con.sql("SELECT attributes->>'Net Worth' FROM actors WHERE name = 'Mittuniversitetet'")
    assert worth.fetchall() == [("12.5",)]


@pytest.mark.parametrize(
    ("namespace", "version"),
    [
        ("http://www.gexf.net/1.3", "1.3"),
        ("http://gexf.net/1.3", "1.3"),
        ("http://www.gexf.net/1.2draft", "1.2"),
        ("http://gexf.net/1.2draft", "1.2"),
        ("http://www.gexf.net/1.1draft", "1.1"),
        ("http://www.gephi.org/gexf", "1.0"),
        ("", "1.3"),
    ],
)
def test_every_gexf_namespace_is_read(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, namespace: str, version: str
) -> None:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    text = (
        f'<?xml version="1.0"?><gexf{xmlns} version="{version}">'
        '<graph defaultedgetype="undirected"><nodes><node id="a" label="A"/>'
        '<node id="b" label="B"/></nodes><edges><edge id="e" source="a" target="b"/></edges>'
        "</graph></gexf>"
    )
    import_paths(con, [_write(tmp_path, "g.gexf", text)])
    assert _rows(con, "actors", "actor_id", "name") == [("g:a", "A"), ("g:b", "B")]
    assert _rows(con, "relations", "relation_id", "from_actor") == [("g:e", "g:a")]


def test_dynamic_spells_and_dates(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Spells on an edge: the tie lasts from the first start to the last end; date and
    dateTime formats give their dates."""
    text = """<gexf xmlns="http://gexf.net/1.3" version="1.3">
      <graph mode="dynamic" timeformat="dateTime"><nodes><node id="a"/><node id="b"/></nodes>
      <edges><edge id="e" source="a" target="b"><spells>
        <spell start="2019-03-01T00:00:00" end="2019-06-30T00:00:00"/>
        <spell start="2021-01-01T12:00:00" end="2022-02-28T00:00:00"/>
      </spells></edge></edges></graph></gexf>"""
    import_paths(con, [_write(tmp_path, "d.gexf", text)])
    rel = read_table(con, "relations")
    assert [str(rel["start_date"][0]), str(rel["end_date"][0])] == ["2019-03-01", "2022-02-28"]
    assert json.loads(rel["attributes"][0])["spells"] == [
        ["2019-03-01", "2019-06-30"],
        ["2021-01-01", "2022-02-28"],
    ]


def test_numeric_ids_of_two_files_never_collide(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A power grid (ids 0..4) and a second map (ids 0..2): five plus three actors, and the
    second file's ties stay its own. Re-importing the same file changes nothing."""
    grid = "graph [\n" + "".join(f"node [ id {i} ]\n" for i in range(5))
    grid += "".join(f"edge [ source {i} target {i + 1} ]\n" for i in range(4)) + "]\n"
    second = (
        "graph [\n"
        + "".join(f'node [ id {i} label "Org {i}" ]\n' for i in range(3))
        + "edge [ source 0 target 2 ]\n]\n"
    )
    grid_path = _write(tmp_path, "power-grid.gml", grid)
    import_paths(con, [grid_path, _write(tmp_path, "regional.gml", second)])
    G1, G2 = nx.read_gml(grid_path, label="id"), nx.read_gml(tmp_path / "regional.gml", label="id")
    actors = read_table(con, "actors")
    assert actors.height == G1.number_of_nodes() + G2.number_of_nodes() == 8
    assert actors.filter(pl.col("actor_id") == "power-grid:0")["name"].item() == "0"
    assert actors.filter(pl.col("actor_id") == "regional:0")["name"].item() == "Org 0"
    rel = read_table(con, "relations")
    assert rel.height == G1.number_of_edges() + G2.number_of_edges() == 5
    assert not import_paths(con, [grid_path]).modified


def test_dataset_option_names_the_namespace(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.gexf", GEPHI_13)
    import_paths(con, [path], dataset="Jämtland 2024")
    assert read_table(con, "actors")["actor_id"].to_list() == [
        "jamtland-2024:0",
        "jamtland-2024:1",
        "jamtland-2024:2",
    ]


def test_known_actor_is_still_found_by_name(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The namespace does not hide a node from matching: 'Mittuniversitetet' finds 'miun'."""
    before = read_table(shipped_con, "actors").height
    report = import_paths(shipped_con, [_write(tmp_path, "map.gexf", GEPHI_13)])
    assert report.matched >= 1
    rel = read_table(shipped_con, "relations").filter(pl.col("source_id") == "file:map.gexf")
    assert "miun" in rel["from_actor"].to_list()
    assert read_table(shipped_con, "actors").height == before + 2


YED = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml"
  xmlns:yed="http://www.yworks.com/xml/yed/3">
  <key for="node" id="d5" attr.name="description" attr.type="string"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="edge" id="d10" yfiles.type="edgegraphics"/>
  <key for="graphml" id="d7" yfiles.type="resources"/>
  <graph edgedefault="directed" id="G">
    <node id="n0" yfiles.foldertype="group">
      <data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode>
        <y:Geometry height="200.0" width="300.0" x="0.0" y="0.0"/>
        <y:Fill color="#F5F5F5" transparent="false"/>
        <y:NodeLabel alignment="right" autoSizePolicy="node_width">Klustret</y:NodeLabel>
      </y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data>
      <graph edgedefault="directed" id="n0:">
        <node id="n0::n0">
          <data key="d5">Medlemsföretag</data>
          <data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="10.5" y="20.0"/>
            <y:Fill color="#FFCC00" transparent="false"/>
            <y:NodeLabel>Åre Bageri</y:NodeLabel><y:Shape type="rectangle"/></y:ShapeNode></data>
        </node>
        <node id="n0::n1">
          <data key="d6"><y:ShapeNode><y:NodeLabel>Fjällbolaget AB</y:NodeLabel>
          </y:ShapeNode></data>
        </node>
      </graph>
    </node>
    <node id="n1">
      <data key="d6"><y:ShapeNode><y:NodeLabel>Region Jämtland Härjedalen</y:NodeLabel>
      </y:ShapeNode></data>
    </node>
    <edge id="e0" source="n0::n0" target="n1">
      <data key="d10"><y:PolyLineEdge><y:EdgeLabel>finansierar</y:EdgeLabel></y:PolyLineEdge></data>
    </edge>
    <edge id="e1" source="n0::n1" target="n0::n1"/>
  </graph>
  <data key="d7"><y:Resources/></data>
</graphml>
"""


def test_yed_labels_and_groups(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """yEd's visible labels are the names (not n0, n1, …); the group node is an actor its
    members are 'part of'; networkx reads the same four nodes."""
    path = _write(tmp_path, "yed.graphml", YED)
    report = import_paths(con, [path])
    G = nx.read_graphml(path)
    assert G.number_of_nodes() == 4
    assert _rows(con, "actors", "actor_id", "name", "description") == [
        ("yed:n0", "Klustret", None),
        ("yed:n0::n0", "Åre Bageri", "Medlemsföretag"),
        ("yed:n0::n1", "Fjällbolaget AB", None),
        ("yed:n1", "Region Jämtland Härjedalen", None),
    ]
    member = json.loads(read_table(con, "actors")["attributes"][1])
    assert member["viz"] == {
        "position": {"x": 10.5, "y": 20.0},
        "color": {"r": 255, "g": 204, "b": 0},
    }
    rel = _rows(con, "relations", "from_actor", "to_actor", "kind", "directed", "description")
    assert sorted(rel) == [
        ("yed:n0::n0", "yed:n0", "membership", True, "part of"),
        ("yed:n0::n0", "yed:n1", "funding", True, None),  # the label "finansierar"
        ("yed:n0::n1", "yed:n0", "membership", True, "part of"),
    ]
    assert "yed.graphml: 1 self-loops skipped: a tie needs two actors" in report.warnings
    assert (
        "yed.graphml: 1 group nodes kept as actors, with a 'part of' relation from each member"
        in report.warnings
    )


def test_graphml_key_never_declared(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    text = (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'
        '<node id="a"><data key="lbl">A</data></node></graph></graphml>'
    )
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [_write(tmp_path, "bad.graphml", text)])
    assert [str(p) for p in caught.value.problems] == [
        "bad.graphml::: GraphML: key 'lbl' is used but never declared"
    ]


def test_igraph_style_graphml_parallel_edges_and_null_weights(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """igraph writes no edge ids and NaN for missing numbers; parallel edges are separate
    relations numbered by their order, identical ones come once with a warning."""
    text = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="v_name" for="node" attr.name="name" attr.type="string"/>
<key id="e_weight" for="edge" attr.name="weight" attr.type="double"/>
<key id="e_airline" for="edge" attr.name="airline" attr.type="string"/>
<graph id="G" edgedefault="undirected">
<node id="n0"><data key="v_name">Åre Östersund Airport</data></node>
<node id="n1"><data key="v_name">Arlanda</data></node>
<edge source="n0" target="n1"><data key="e_weight">3</data><data key="e_airline">SAS</data></edge>
<edge source="n0" target="n1"><data key="e_weight">NaN</data><data key="e_airline">BRA</data></edge>
<edge source="n0" target="n1"><data key="e_weight">NaN</data><data key="e_airline">BRA</data></edge>
</graph></graphml>"""
    path = _write(tmp_path, "flights.graphml", text)
    report = import_paths(con, [path])
    G = nx.read_graphml(path)
    assert isinstance(G, nx.MultiGraph)
    assert G.number_of_edges() == 3
    assert _rows(con, "actors", "name") == [("Åre Östersund Airport",), ("Arlanda",)]
    assert _rows(con, "relations", "relation_id", "weight", "attributes") == [
        ("flights:e1", 3.0, '{"airline": "SAS"}'),
        ("flights:e2", 1.0, '{"airline": "BRA"}'),
    ]
    assert (
        "flights.graphml: 1 edges identical in every column to an earlier one were imported "
        "once (edge '3')"
    ) in report.warnings


def test_pajek_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    text = (
        '*Vertices 3\n1 "Mittuniversitetet"\n2 "Peak Innovation"\n3 "SVID"\n*Arcs\n1 2 1.5\n2 3 0\n'
    )
    path = _write(tmp_path, "net.net", text)
    report = import_paths(con, [path])
    G = nx.read_pajek(path)
    assert G.number_of_nodes() == 3
    assert G.number_of_edges() == 2
    assert _rows(con, "actors", "actor_id", "name") == [
        ("net:1", "Mittuniversitetet"),
        ("net:2", "Peak Innovation"),
        ("net:3", "SVID"),
    ]
    assert _rows(con, "relations", "from_actor", "to_actor", "weight", "directed") == [
        ("net:1", "net:2", 1.5, True),
        ("net:2", "net:3", 1.0, True),
    ]
    assert any("weight of 0 or below" in w for w in report.warnings)


def test_json_dialects(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """graphology (sigma.js), Gephi Lite and Kumu's JSON export, each as its tool writes it."""
    graphology = {
        "attributes": {},
        "options": {"type": "undirected", "multi": True, "allowSelfLoops": True},
        "nodes": [
            {"key": "a", "attributes": {"label": "SVID", "x": 1, "y": 2, "Net Worth": 5}},
            {"key": "b", "attributes": {"label": "Ávki"}},
        ],
        "edges": [{"key": "e1", "source": "a", "target": "b", "attributes": {"weight": 2}}],
    }
    gephi_lite = {
        "type": "gephi-lite",
        "version": "1.0.0",
        "graphDataset": {
            # as Gephi Lite 1.0 writes it: colour and size among the node's data
            "nodeData": {
                "a": {"label": "Region", "color": "rgb(91,91,245)", "size": 4},
                "b": {"label": "Kommunen", "kind": "kommun"},
            },
            "edgeData": {"ab": {"weight": 1}},
            "layout": {"a": {"x": 0.5, "y": -1}},
            "fullGraph": {
                "options": {"type": "mixed", "multi": False},
                "nodes": [{"key": "a"}, {"key": "b"}],
                "edges": [{"key": "ab", "source": "a", "target": "b", "undirected": True}],
            },
        },
    }
    kumu = {
        "elements": [
            {
                "_id": "elem-1",
                "attributes": {"label": "Peak Innovation", "element type": "Kluster"},
            },
            {"_id": "elem-2", "attributes": {"label": "Mittuniversitetet", "tags": ["Turism"]}},
        ],
        "connections": [
            {
                "_id": "conn-1",
                "from": "elem-1",
                "to": "elem-2",
                "direction": "undirected",
                "attributes": {"connection type": "samarbete"},
            }
        ],
    }
    paths = []
    for name, data in (("sigma", graphology), ("lite", gephi_lite), ("kumu", kumu)):
        paths.append(_write(tmp_path, f"{name}.json", json.dumps(data, ensure_ascii=False)))
    import_paths(con, paths)
    assert _rows(con, "actors", "actor_id", "name", "kind") == [
        ("kumu:elem-1", "Peak Innovation", "cluster"),
        ("kumu:elem-2", "Mittuniversitetet", "other"),
        ("lite:a", "Region", "other"),
        ("lite:b", "Kommunen", "municipality"),
        ("sigma:a", "SVID", "other"),
        ("sigma:b", "Ávki", "other"),
    ]
    assert json.loads(read_table(con, "actors")["attributes"][4]) == {
        "Net Worth": 5,
        "viz": {"position": {"x": 1, "y": 2}},
    }
    assert json.loads(read_table(con, "actors")["attributes"][2]) == {
        "viz": {"position": {"x": 0.5, "y": -1}, "color": {"r": 91, "g": 91, "b": 245}, "size": 4}
    }
    assert _rows(con, "relations", "relation_id", "kind", "directed", "weight") == [
        ("kumu:conn-1", "partnership", False, 1.0),
        ("lite:ab", "partnership", False, 1.0),
        ("sigma:e1", "partnership", False, 2.0),
    ]


# --- export ----------------------------------------------------------------------------------


def _undirected_map(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    text = GEPHI_13.replace('<edge id="3" source="1" target="2"></edge>', "")
    import_paths(con, [_write(tmp_path, "map.gexf", text)])


def test_gexf_export_opens_in_networkx_as_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Undirected, no networkx_key, sources in the metadata (not nodes), viz written back,
    dates as a dynamic timeline, our attributes as Gephi columns."""
    _undirected_map(con, tmp_path)
    out = tmp_path / "out.gexf"
    export_dataset(con, "gexf", out)
    G = nx.read_gexf(out)
    assert isinstance(G, nx.MultiGraph)
    assert not G.is_directed()
    assert sorted(G.nodes) == ["map:0", "map:1", "map:2"]  # no stray source node
    assert G.number_of_edges() == 2
    assert G.nodes["map:0"]["label"] == "Mittuniversitetet"
    assert G.nodes["map:0"]["viz"]["position"] == {"x": -12.5, "y": 3.25, "z": 0.0}
    assert G.nodes["map:0"]["viz"]["color"] == {"r": 153, "g": 0, "b": 153, "a": 1.0}
    assert G.nodes["map:0"]["Net Worth"] == 12.5
    assert G.graph["mode"] == "dynamic"
    edges = {k: d for _, _, k, d in G.edges(keys=True, data=True)}
    assert set(edges) == {"map:0", "map:1"}
    assert edges["map:0"]["start"] == "2004-01-01"
    assert edges["map:0"]["end"] == "2006-12-31"
    assert all("networkx_key" not in d for d in edges.values())
    root = ET.parse(out).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf"
    assert root.get("version") == "1.3"
    graph = root.find("{http://gexf.net/1.3}graph")
    assert graph is not None
    assert graph.get("defaultedgetype") == "undirected"


def test_graphml_export_opens_in_networkx_as_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _undirected_map(con, tmp_path)
    out = tmp_path / "out.graphml"
    export_dataset(con, "graphml", out)
    G = nx.read_graphml(out)
    assert not G.is_directed()
    assert isinstance(G, nx.MultiGraph)
    assert sorted(G.nodes) == ["map:0", "map:1", "map:2"]
    assert G.number_of_edges() == 2
    assert (G.nodes["map:0"]["x"], G.nodes["map:0"]["y"]) == (-12.5, 3.25)
    assert G.nodes["map:0"]["Net Worth"] == 12.5
    assert "ecograph_sources" in G.graph


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_gephi_file_import_export_import_gives_identical_tables(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    import_paths(con, [_write(tmp_path, "map.gexf", GEPHI_13)])
    first = read_dataset(con)
    out = tmp_path / f"out.{fmt}"
    export_dataset(con, fmt, out)
    fresh = connect(":memory:")
    try:
        import_paths(fresh, [out])
        assert_same_tables(first, read_dataset(fresh))
    finally:
        fresh.close()


KUMU_ELEMENTS = (
    "Label,Type,Description,Tags,Net Worth,Founded\n"
    "Peak Innovation,Innovationskluster,Arena,Hållbar energi|Turism,,2009\n"
    "Mittuniversitetet,University,,,12,\n"
    "Okänd aktör,Spaceship,,,,\n"
)
KUMU_CONNECTIONS = (
    "From,To,Type,Strength,Direction,Since\n"
    "Peak Innovation,Mittuniversitetet,collaboration,2,,2015\n"
    "Peak Innovation,Mittuniversitetet,collaboration,2,,2015\n"
    "Peak Innovation,Mittuniversitetet,member,0,,\n"
    "Okänd aktör,Okänd aktör,knows,,,\n"
)


def test_kumu_custom_columns_self_loops_and_repeats(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    import_paths(
        con,
        [
            _write(tmp_path, "strength_areas.csv", "area_id,name\nenergi,Hållbar energi\n"),
        ],
    )
    report = import_paths(
        con,
        [
            _write(tmp_path, "elements.csv", KUMU_ELEMENTS),
            _write(tmp_path, "connections.csv", KUMU_CONNECTIONS),
        ],
    )
    assert _rows(con, "actors", "actor_id", "attributes") == [
        ("mittuniversitetet", '{"Net Worth": "12", "Type": "University"}'),
        ("okand-aktor", '{"Type": "Spaceship"}'),
        ("peak-innovation", '{"Founded": "2009", "Tags": "Turism", "Type": "Innovationskluster"}'),
    ]
    assert _rows(con, "relations", "relation_id", "kind", "weight", "attributes") == [
        ("connections:c2", "partnership", 2.0, '{"Since": "2015", "Type": "collaboration"}'),
        ("connections:c4", "membership", 1.0, '{"Strength": "0", "Type": "member"}'),
    ]
    assert report.warnings == [
        "connections.csv: 1 self-loops skipped: a tie needs two actors",
        "connections.csv: 1 edges have a weight of 0 or below: kept in their attributes "
        "('weight'), and the tie counts with weight 1",
        "connections.csv: 1 edges identical in every column to an earlier one were imported "
        "once (3)",
    ]


def test_kumu_workbook_export_imports_back_identical(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    import_paths(
        con, [_write(tmp_path, "strength_areas.csv", "area_id,name\nenergi,Hållbar energi\n")]
    )
    import_paths(
        con,
        [
            _write(tmp_path, "elements.csv", KUMU_ELEMENTS),
            _write(tmp_path, "connections.csv", KUMU_CONNECTIONS),
        ],
    )
    first = read_dataset(con)
    out = tmp_path / "kumu.xlsx"
    export_dataset(con, "kumu", out)
    fresh = connect(":memory:")
    try:
        import_paths(fresh, [out])
        again = read_dataset(fresh)
        for table in ("sources", "strength_areas", "actors", "actor_areas", "relations"):
            assert again[table].equals(first[table]), table
    finally:
        fresh.close()


# --- safety ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_doctype_in_any_encoding_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, encoding: str
) -> None:
    """The byte search missed a DOCTYPE in UTF-16, and the entity made a 100 000-char name."""
    declared = encoding.removesuffix("-sig").removesuffix("-le").upper()
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>'
        '<!DOCTYPE g [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<graph edgedefault="undirected"><node id="&b;"/></graph></graphml>'
    )
    path = tmp_path / "bomb.graphml"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(ImportValidationError, match="DOCTYPE or ENTITY declaration"):
        import_paths(con, [path])
    assert read_table(con, "actors").height == 0


def test_utf16_file_without_doctype_is_read(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "wide.gexf"
    path.write_bytes(GEPHI_13.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    import_paths(con, [path])
    assert "Fjällbolaget AB" in read_table(con, "actors")["name"].to_list()


LONG = "x" * 300_000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("long.gexf", f'<gexf><graph><nodes><node id="a" label="{LONG}"/></nodes></graph></gexf>'),
        (
            "long.graphml",
            '<graphml><key id="d" for="node" attr.name="name"/><graph><node id="a">'
            f'<data key="d">{LONG}</data></node></graph></graphml>',
        ),
        ("long.json", json.dumps({"nodes": [{"id": "a", "label": LONG}], "edges": []})),
        ("long.gml", f'graph [ node [ id 1 label "{LONG}" ] ]'),
        ("long.net", f'*Vertices 1\n1 "{LONG}"\n'),
    ],
)
def test_over_long_fields_are_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, text: str
) -> None:
    with pytest.raises(ImportValidationError, match="longer than 100000 characters"):
        import_paths(con, [_write(tmp_path, name, text)])


def test_unreadable_file_names_the_format(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [_write(tmp_path, "cut.gexf", "<gexf><graph><nodes><node id='1'")])
    (problem,) = caught.value.problems
    assert str(problem).startswith("cut.gexf::: GEXF: not well-formed XML")


def test_library_warnings_become_one_line(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A workbook whose style sheet is empty (as some tools write it) made openpyxl print on
    stderr; it is one warning line of ours now."""
    import warnings
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "actors"
    sheet.append(["actor_id", "name", "kind"])
    sheet.append(["a", "Åre kommun", "municipality"])
    full = tmp_path / "full.xlsx"
    book.save(full)
    path = tmp_path / "actors.xlsx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = (
                    b'<styleSheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"/>'
                )
            dst.writestr(item, data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak
        report = import_paths(con, [path])
    assert report.warnings == [
        "actors.xlsx: Excel: Workbook contains no stylesheet, using openpyxl's defaults"
    ]


def test_cordis_workbook_points_to_the_csv_zip(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "organization"
    sheet.append(["projectID", "organisationID", "name"])
    sheet.append(["101000001", "999000001", "MITTUNIVERSITETET"])
    path = tmp_path / "organization.xlsx"
    book.save(path)
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [path])
    assert [p.reason for p in caught.value.problems] == [
        "a CORDIS workbook: ecograph reads CORDIS's CSV files, so download the CSV zip "
        "(cordis-HORIZONprojects-csv.zip) and import that"
    ]


def test_gexf_hierarchy_becomes_part_of(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """GEXF 1.2's hierarchy: nested nodes and ``pid``; both members are 'part of' the cluster."""
    text = """<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph>
      <nodes><node id="k" label="Klustret"><nodes><node id="a" label="Åre Bageri"/></nodes></node>
      <node id="b" label="Fjällbolaget AB" pid="k"/></nodes><edges/></graph></gexf>"""
    import_paths(con, [_write(tmp_path, "h.gexf", text)])
    assert _rows(con, "relations", "relation_id", "from_actor", "to_actor", "kind") == [
        ("h:part-of:a", "h:a", "h:k", "membership"),
        ("h:part-of:b", "h:b", "h:k", "membership"),
    ]


def test_one_huge_tag_is_refused_while_reading(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A 9 MB attribute: refused once 8 MB of one tag are read, not after it is all parsed."""
    path = tmp_path / "huge.graphml"
    path.write_bytes(b'<graphml><graph><node id="' + b"x" * 9_500_000 + b'"/></graph></graphml>')
    with pytest.raises(ImportValidationError, match="one tag runs over 8 MB"):
        import_paths(con, [path])


def test_long_swedish_text_under_the_limit_is_read(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """90 000 characters of 'å' are 180 000 bytes: under the limit, which counts characters."""
    text = "å" * 90_000
    data = {"nodes": [{"id": "a", "label": "Åre", "notes": text}], "edges": []}
    import_paths(con, [_write(tmp_path, "long.json", json.dumps(data, ensure_ascii=False))])
    assert read_table(con, "actors")["description"].to_list() == [text]


def test_attributes_column_in_our_csv(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Our own tables may carry attributes: a JSON object, stored in one spelling; anything
    else is a problem with file, row and column."""
    good = 'actor_id,name,kind,attributes\na,Åre kommun,municipality,"{""b"": 1,  ""a"": [true]}"\n'
    import_paths(con, [_write(tmp_path, "actors.csv", good)])
    assert read_table(con, "actors")["attributes"].to_list() == ['{"a": [true], "b": 1}']
    bad = "actor_id,name,kind,attributes\nb,Berg,municipality,[1]\nc,Krokom,municipality,{x\n"
    folder = tmp_path / "bad"
    folder.mkdir()
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [_write(folder, "actors.csv", bad)])
    assert [str(p) for p in caught.value.problems] == [
        "actors.csv:2:attributes: not a JSON object '[1]' (write {\"name\": value, ...})",
        "actors.csv:3:attributes: not a JSON object '{x' (write {\"name\": value, ...})",
    ]
