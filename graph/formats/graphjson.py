"""Graph JSON files read into a ``GraphDoc``: networkx's node-link JSON, graphology's
serialisation (what sigma.js writes), Gephi Lite's project files and Kumu's JSON export; and
node-link JSON written.

Which dialect a file is comes from its shape:

- Gephi Lite: ``{"type": "gephi-lite", "graphDataset": {"nodeData": {id: {…}}, "edgeData":
  {id: {…}}, "layout": {id: {x, y}}, "fullGraph": <graphology>}}``;
- graphology: ``{"options": {…}, "nodes": [{"key", "attributes"}], "edges": [{"key", "source",
  "target", "attributes", "undirected"}]}``;
- Kumu: ``{"elements": [{"_id", "attributes": {"label", "element type", …}}], "connections":
  [{"_id", "from", "to", "direction", "attributes": {"connection type", …}}]}``;
- node-link: ``{"directed", "multigraph", "graph", "nodes": [{"id", …}], "edges"|"links":
  [{"source", "target", …}]}``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graph.formats.encoding import decode_text
from graph.formats.graphdoc import EdgeRecord, GraphDoc, NodeRecord
from graph.formats.messages import count, say
from graph.formats.readers import MAX_FIELD_CHARS
from graph.i18n import N_

__all__ = ["TEXTS", "read_graph_json", "write_node_link"]

TEXTS = {
    "node_without_key": N_("a node without a key"),
    "node_without_id": N_("a node without an id"),
    "edge_without_ends": N_("edge {n} has no source or no target"),
    "element_without_id": N_("an element without an _id or a label"),
    "connection_without_ends": N_("connection {n} has no from or no to"),
    "long_text": N_("a text longer than {limit} characters"),
    "not_json": N_("not JSON ({reason})"),
    "not_an_object": N_("not a graph: the file holds no object with nodes and edges"),
    "no_dialect": N_(
        "not a graph: no 'nodes' (node-link, graphology), 'graphDataset' (Gephi Lite) "
        "or 'elements' (Kumu)"
    ),
}

# a quoted run certainly over the limit even in 4-byte characters, found before decoding (the
# exact check is on the parsed values)
_LONG_STRING = re.compile(b'"[^"]{' + str(4 * MAX_FIELD_CHARS + 1).encode() + b",}")


def _too_long(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) > MAX_FIELD_CHARS
    if isinstance(value, dict):
        return any(len(str(k)) > MAX_FIELD_CHARS or _too_long(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_too_long(v) for v in value)
    return False


def _id(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("true", "directed", "1")
    return default


_RGB = re.compile(r"^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)")
_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})")


def _color(value: Any) -> dict[str, int] | None:
    """``rgb(91,91,245)`` or ``#5b5bf5`` (how Gephi Lite and sigma.js write colours) as r, g, b."""
    if not isinstance(value, str):
        return None
    rgb = _RGB.match(value.strip())
    if rgb:
        r, g, b = (int(x) for x in rgb.groups())
        return {"r": r, "g": g, "b": b}
    hexcode = _HEX.match(value.strip())
    if hexcode:
        r, g, b = (int(x, 16) for x in hexcode.groups())
        return {"r": r, "g": g, "b": b}
    return None


def _graphology(data: dict[str, Any], doc: GraphDoc) -> None:
    options = data.get("options") or {}
    directed = str(options.get("type", "mixed")).lower() == "directed"
    mixed = str(options.get("type", "mixed")).lower() == "mixed"
    for node in data.get("nodes") or []:
        if not isinstance(node, dict) or _id(node.get("key")) is None:
            doc.problems.append(say(TEXTS["node_without_key"]))
            continue
        attrs = dict(node.get("attributes") or {})
        viz: dict[str, Any] = {}
        if "x" in attrs and "y" in attrs:
            viz["position"] = {"x": attrs.pop("x"), "y": attrs.pop("y")}
        if "size" in attrs:
            viz["size"] = attrs.pop("size")
        if _color(attrs.get("color")) is not None:
            viz["color"] = _color(attrs.pop("color"))
        if viz:
            attrs["viz"] = viz
        label = attrs.pop("label", None)
        doc.nodes.append(NodeRecord(_id(node["key"]) or "", _id(label), attrs))
    for i, edge in enumerate(data.get("edges") or []):
        if not isinstance(edge, dict):
            continue
        source, target = _id(edge.get("source")), _id(edge.get("target"))
        if source is None or target is None:
            doc.problems.append(say(TEXTS["edge_without_ends"], n=i + 1))
            continue
        undirected = edge.get("undirected")
        is_directed = (not undirected) if mixed and undirected is not None else directed
        if mixed and undirected is None:
            is_directed = True  # graphology's default for an edge of a mixed graph
        doc.edges.append(
            EdgeRecord(
                source,
                target,
                _id(edge.get("key")),
                is_directed,
                dict(edge.get("attributes") or {}),
            )
        )


def _gephi_lite(data: dict[str, Any], doc: GraphDoc) -> None:
    dataset = data.get("graphDataset") or {}
    full = dataset.get("fullGraph") or {}
    node_data = dataset.get("nodeData") or {}
    edge_data = dataset.get("edgeData") or {}
    layout = dataset.get("layout") or {}
    _graphology(full, doc)
    for node in doc.nodes:
        extra = node_data.get(node.id) or {}
        for key, value in extra.items():
            if key == "label" and node.label is None:
                node.label = _id(value)
            elif key == "size" and isinstance(value, int | float):
                node.attrs.setdefault("viz", {})["size"] = value
            elif key == "color" and _color(value) is not None:
                node.attrs.setdefault("viz", {})["color"] = _color(value)
            else:
                node.attrs.setdefault(key, value)
        where = layout.get(node.id)
        if isinstance(where, dict) and "x" in where and "y" in where:
            node.attrs.setdefault("viz", {})["position"] = {"x": where["x"], "y": where["y"]}
    for edge in doc.edges:
        for key, value in (edge_data.get(edge.id or "") or {}).items():
            edge.attrs.setdefault(key, value)


def _kumu(data: dict[str, Any], doc: GraphDoc) -> None:
    for element in data.get("elements") or []:
        if not isinstance(element, dict):
            continue
        attrs = dict(element.get("attributes") or {})
        eid = _id(element.get("_id") or attrs.get("id") or attrs.get("label"))
        if eid is None:
            doc.problems.append(say(TEXTS["element_without_id"]))
            continue
        label = attrs.pop("label", None)
        if "element type" in attrs:
            attrs["type"] = attrs.pop("element type")
        tags = attrs.get("tags")
        if isinstance(tags, list):
            attrs["tags"] = "|".join(str(t) for t in tags)
        doc.nodes.append(NodeRecord(eid, _id(label), attrs))
    for i, connection in enumerate(data.get("connections") or []):
        if not isinstance(connection, dict):
            continue
        source, target = _id(connection.get("from")), _id(connection.get("to"))
        if source is None or target is None:
            doc.problems.append(say(TEXTS["connection_without_ends"], n=i + 1))
            continue
        attrs = dict(connection.get("attributes") or {})
        if "connection type" in attrs:
            attrs["type"] = attrs.pop("connection type")
        tags = attrs.get("tags")
        if isinstance(tags, list):
            attrs["tags"] = "|".join(str(t) for t in tags)
        direction = str(connection.get("direction") or "directed").lower()
        doc.edges.append(
            EdgeRecord(source, target, _id(connection.get("_id")), direction == "directed", attrs)
        )


def _node_link(data: dict[str, Any], doc: GraphDoc) -> None:
    directed = _bool(data.get("directed"), False)
    graph = data.get("graph")
    if isinstance(graph, dict) and "ecograph_sources" in graph:
        doc.meta["sources"] = graph["ecograph_sources"]
        doc.meta["ecograph"] = True
    for node in data.get("nodes") or []:
        if not isinstance(node, dict) or _id(node.get("id")) is None:
            doc.problems.append(say(TEXTS["node_without_id"]))
            continue
        attrs = {k: v for k, v in node.items() if k not in ("id", "label")}
        doc.nodes.append(NodeRecord(_id(node["id"]) or "", _id(node.get("label")), attrs))
    links = data.get("edges") if "edges" in data else data.get("links")
    for i, edge in enumerate(links or []):
        if not isinstance(edge, dict):
            continue
        source, target = _id(edge.get("source")), _id(edge.get("target"))
        if source is None or target is None:
            doc.problems.append(say(TEXTS["edge_without_ends"], n=i + 1))
            continue
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key", "id")}
        edge_id = _id(edge.get("id", edge.get("key")))
        is_directed = _bool(attrs.pop("directed", None), directed) if not directed else True
        start, end = attrs.pop("start", None), attrs.pop("end", None)
        doc.edges.append(
            EdgeRecord(source, target, edge_id, is_directed, attrs, _id(start), _id(end))
        )


def read_graph_json(path: Path) -> GraphDoc:
    """Read a graph JSON file of any dialect above into a ``GraphDoc``."""
    doc = GraphDoc("JSON")
    data_bytes = path.read_bytes()
    # before decoding: a 400 MB string must not be copied into text (and then into objects)
    if _LONG_STRING.search(data_bytes):
        doc.problems.append(say(TEXTS["long_text"], limit=count(MAX_FIELD_CHARS)))
        return doc
    text, problems, notes = decode_text(data_bytes, path.name)
    del data_bytes
    doc.warnings += notes
    if text is None:
        doc.problems += [p.reason for p in problems]
        return doc
    try:
        data = json.loads(text)
    except ValueError as exc:
        doc.problems.append(say(TEXTS["not_json"], reason=exc))
        return doc
    if _too_long(data):
        doc.problems.append(say(TEXTS["long_text"], limit=count(MAX_FIELD_CHARS)))
        return doc
    if not isinstance(data, dict):
        doc.problems.append(say(TEXTS["not_an_object"]))
        return doc
    if data.get("type") == "gephi-lite":
        doc.fmt = "Gephi Lite JSON"
        _gephi_lite(data, doc)
    elif "elements" in data or "connections" in data:
        doc.fmt = "Kumu JSON"
        _kumu(data, doc)
    elif isinstance(data.get("nodes"), list) and any(
        isinstance(n, dict) and "key" in n for n in data["nodes"][:10]
    ):
        doc.fmt = "graphology JSON"
        _graphology(data, doc)
    elif "nodes" in data:
        _node_link(data, doc)
    else:
        doc.problems.append(say(TEXTS["no_dialect"]))
    return doc


def write_node_link(doc: GraphDoc, path: Path) -> None:
    """Write ``doc`` as networkx's node-link JSON (``edges``), which ``read_graph_json`` and
    ``networkx.node_link_graph(data, edges="edges")`` read back."""
    directed = bool(doc.edges) and all(e.directed for e in doc.edges)
    graph: dict[str, Any] = {}
    if "sources" in doc.meta:
        graph["ecograph_sources"] = doc.meta["sources"]
    data = {
        "directed": directed,
        "multigraph": True,
        "graph": graph,
        "nodes": [{"id": n.id, "label": n.label, **n.attrs} for n in doc.nodes],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "key": e.id,
                **({"directed": True} if e.directed and not directed else {}),
                **({"start": e.start} if e.start else {}),
                **({"end": e.end} if e.end else {}),
                **e.attrs,
            }
            for e in doc.edges
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
