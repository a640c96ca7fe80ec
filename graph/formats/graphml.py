"""GraphML files (yEd, igraph, networkx, Gephi) read into a ``GraphDoc``, and written.

Reading follows the ``<key>`` declarations (``attr.name``, ``attr.type``, ``<default>``) and
``edgedefault``, with an edge's own ``directed`` overriding it. yEd's drawings are read too:
the visible ``y:NodeLabel`` of a ``nodegraphics`` key is the node's label (yEd writes no other
name), ``y:Geometry`` and ``y:Fill`` become ``viz`` position and colour, an ``y:EdgeLabel``
the edge's label, and a group node (a node holding a nested ``<graph>``) is kept as a node
whose members name it as their parent. A ``<data>`` whose key was never declared is a
problem ("key 'lbl' is used but never declared"); hyperedges are skipped with a warning.
"""

from __future__ import annotations

import contextlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from graph.formats.graphdoc import EdgeRecord, GraphDoc, NodeRecord, xml_attr_type
from graph.formats.messages import say, say_n
from graph.formats.xmlsafe import local_name, parse_xml
from graph.i18n import N_, NP_

__all__ = ["PLURALS", "TEXTS", "read_graphml", "write_graphml"]

TEXTS = {
    "no_graph": N_("no <graph> element"),
    "bad_sources": N_("the graph's ecograph_sources are not JSON"),
    "node_without_id": N_("a <node> without an id"),
    "edge_without_ends": N_("edge '{id}' has no source or no target"),
    "wrong_root": N_("the root element is <{tag}>, not <graphml>"),
}
PLURALS = {
    "undeclared": NP_(
        "key {names} is used but never declared", "keys {names} are used but never declared"
    ),
    # English says "1 hyperedges", as it always has (tests match it)
    "hyperedges": NP_(
        "{file}: {n} hyperedges skipped: a tie joins two actors",
        "{file}: {n} hyperedges skipped: a tie joins two actors",
    ),
}

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_TYPES = {"int": int, "long": int, "float": float, "double": float}


def _typed(text: str | None, kind: str) -> Any:
    if text is None:
        return None
    if kind in _TYPES:
        try:
            return _TYPES[kind](text.strip())
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    if kind == "boolean":
        low = text.strip().lower()
        return True if low in ("true", "1") else False if low in ("false", "0") else text
    return text


def _yfiles(element: ET.Element, is_node: bool) -> tuple[str | None, dict[str, Any]]:
    """A yEd graphics block: its label text and its position and colour."""
    label = None
    viz: dict[str, Any] = {}
    for item in element.iter():
        name = local_name(item.tag)
        if name == ("NodeLabel" if is_node else "EdgeLabel") and label is None:
            text = "".join(item.itertext()).strip()
            if text:
                label = text
        elif name == "Geometry" and is_node and "position" not in viz:
            with contextlib.suppress(ValueError):
                viz["position"] = {"x": float(item.get("x", "")), "y": float(item.get("y", ""))}
        elif name == "Fill" and is_node and item.get("color") and "color" not in viz:
            code = item.get("color", "").lstrip("#")
            with contextlib.suppress(ValueError):
                viz["color"] = {
                    "r": int(code[0:2], 16),
                    "g": int(code[2:4], 16),
                    "b": int(code[4:6], 16),
                }
    return label, viz


class _Reader:
    def __init__(self, root: ET.Element, doc: GraphDoc) -> None:
        self.doc = doc
        self.keys: dict[str, tuple[str, str, str | None, str | None]] = {}
        self.undeclared: set[str] = set()
        self.hyperedges = 0
        self.fors: dict[str, str] = {}
        for key in root:
            if local_name(key.tag) != "key":
                continue
            kid = key.get("id")
            if kid is None:
                continue
            default = next((c.text for c in key if local_name(c.tag) == "default"), None)
            self.keys[kid] = (
                key.get("attr.name") or kid,
                (key.get("attr.type") or "string").lower(),
                default,
                key.get("yfiles.type"),
            )

    def data(self, element: ET.Element, is_node: bool) -> tuple[str | None, dict[str, Any]]:
        attrs: dict[str, Any] = {}
        label = None
        for child in element:
            if local_name(child.tag) != "data":
                continue
            kid = child.get("key")
            if kid is None:
                continue
            if kid not in self.keys:
                self.undeclared.add(kid)
                continue
            name, kind, _, yfiles = self.keys[kid]
            if yfiles in ("nodegraphics", "edgegraphics"):
                text, viz = _yfiles(child, is_node)
                label = label or text
                if viz:
                    attrs["viz"] = viz
                continue
            if yfiles is not None:
                continue  # yEd resources, URLs of drawings: nothing an actor needs
            attrs[name] = _typed("".join(child.itertext()), kind)
        return label, attrs

    def graph(self, graph: ET.Element, parent: str | None, directed: bool) -> None:
        default = graph.get("edgedefault")
        if default is not None:
            directed = default.lower() == "directed"
        for item in graph:
            name = local_name(item.tag)
            if name == "node":
                nid = item.get("id")
                if nid is None:
                    self.doc.problems.append(say(TEXTS["node_without_id"]))
                    continue
                label, attrs = self.data(item, is_node=True)
                if label is None:
                    given = attrs.get("label") or attrs.get("name")
                    label = given if isinstance(given, str) else None
                self.doc.nodes.append(NodeRecord(nid, label, attrs, parent))
                for nested in item:
                    if local_name(nested.tag) == "graph":
                        self.graph(nested, nid, directed)
            elif name == "edge":
                source, target = item.get("source"), item.get("target")
                if source is None or target is None:
                    self.doc.problems.append(
                        say(TEXTS["edge_without_ends"], id=item.get("id", "?"))
                    )
                    continue
                label, attrs = self.data(item, is_node=False)
                if label is not None:
                    attrs.setdefault("label", label)
                own = item.get("directed")
                is_directed = own.lower() == "true" if own is not None else directed
                self.doc.edges.append(
                    EdgeRecord(source, target, item.get("id"), is_directed, attrs)
                )
            elif name == "hyperedge":
                self.hyperedges += 1

    def defaults(self) -> None:
        """Declared defaults apply where a node or edge has no value of its own."""
        node_defaults = {
            name: _typed(default, kind)
            for kid, (name, kind, default, yfiles) in self.keys.items()
            if default is not None and yfiles is None and self._for(kid) in ("node", "all")
        }
        edge_defaults = {
            name: _typed(default, kind)
            for kid, (name, kind, default, yfiles) in self.keys.items()
            if default is not None and yfiles is None and self._for(kid) in ("edge", "all")
        }
        for node in self.doc.nodes:
            for name, value in node_defaults.items():
                node.attrs.setdefault(name, value)
        for edge in self.doc.edges:
            for name, value in edge_defaults.items():
                edge.attrs.setdefault(name, value)

    def _for(self, kid: str) -> str:
        return self.fors.get(kid, "all")


def read_graphml(path: Path) -> GraphDoc:
    """Read a GraphML file (yEd's included) into a ``GraphDoc`` (problems in ``doc.problems``).

    Raises ``graph.formats.xmlsafe.XmlRefused`` for unsafe or malformed XML.
    """
    root = parse_xml(path)
    doc = GraphDoc("GraphML")
    if local_name(root.tag) != "graphml":
        doc.problems.append(say(TEXTS["wrong_root"], tag=local_name(root.tag)))
        return doc
    reader = _Reader(root, doc)
    reader.fors = {
        key.get("id", ""): (key.get("for") or "all").lower()
        for key in root
        if local_name(key.tag) == "key"
    }
    graphs = [g for g in root if local_name(g.tag) == "graph"]
    if not graphs:
        doc.problems.append(say(TEXTS["no_graph"]))
        return doc
    for graph in graphs:
        _, graph_data = reader.data(graph, is_node=False)
        sources = graph_data.get("ecograph_sources")
        if isinstance(sources, str):
            try:
                doc.meta["sources"] = json.loads(sources)
            except ValueError:
                doc.problems.append(say(TEXTS["bad_sources"]))
            doc.meta["ecograph"] = True
        reader.graph(graph, None, False)
    reader.defaults()
    if reader.undeclared:
        names = ", ".join(f"'{k}'" for k in sorted(reader.undeclared)[:5])
        doc.problems.append(say_n(PLURALS["undeclared"], len(reader.undeclared), names=names))
    if reader.hyperedges:
        doc.warnings.append(say_n(PLURALS["hyperedges"], reader.hyperedges, file=path.name))
    return doc


# --- writing -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _scalar_values(items: list[dict[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for attrs in items:
        for key, value in attrs.items():
            if value is None or isinstance(value, list | dict):
                continue
            out.setdefault(key, []).append(value)
    return out


def write_graphml(doc: GraphDoc, path: Path) -> None:
    """Write ``doc`` as GraphML that networkx, igraph, Gephi and yEd open as written.

    ``edgedefault`` is ``undirected`` unless every edge is directed; a directed edge in a mixed
    graph carries ``directed="true"``. Edge ids are kept (networkx reads parallel edges with
    them as keys, no ``networkx_key``). Gephi's ``viz`` is written as networkx's ``x``, ``y``,
    ``size`` and ``r``/``g``/``b`` data (what Gephi's GraphML importer reads), dates as
    ``start_date``/``end_date``, and ``doc.meta["sources"]`` as a graph-level key.
    """
    directed = bool(doc.edges) and all(e.directed for e in doc.edges)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    node_items = [_flat(n.attrs) for n in doc.nodes]
    edge_items = [_flat(e.attrs) for e in doc.edges]
    for edge, flat in zip(doc.edges, edge_items, strict=True):
        if edge.start:
            flat["start_date"] = edge.start
        if edge.end:
            flat["end_date"] = edge.end
    ids: dict[tuple[str, str], str] = {}
    for klass, items in (("node", node_items), ("edge", edge_items)):
        for key, values in _scalar_values(items).items():
            kid = f"{klass[0]}{len([k for k in ids if k[0] == klass])}"
            ids[(klass, key)] = kid
            ET.SubElement(
                root,
                "key",
                {"id": kid, "for": klass, "attr.name": key, "attr.type": xml_attr_type(values)},
            )
    if "sources" in doc.meta:
        ET.SubElement(
            root,
            "key",
            {"id": "g0", "for": "graph", "attr.name": "ecograph_sources", "attr.type": "string"},
        )
    graph = ET.SubElement(
        root, "graph", {"id": "G", "edgedefault": "directed" if directed else "undirected"}
    )
    if "sources" in doc.meta:
        data = ET.SubElement(graph, "data", {"key": "g0"})
        data.text = json.dumps(doc.meta["sources"], ensure_ascii=False)
    for node, flat in zip(doc.nodes, node_items, strict=True):
        element = ET.SubElement(graph, "node", {"id": node.id})
        for key, value in flat.items():
            if value is None or isinstance(value, list | dict):
                continue
            ET.SubElement(element, "data", {"key": ids[("node", key)]}).text = _text(value)
    for i, (edge, flat) in enumerate(zip(doc.edges, edge_items, strict=True)):
        attrs = {"id": edge.id or str(i), "source": edge.source, "target": edge.target}
        if edge.directed and not directed:
            attrs["directed"] = "true"
        element = ET.SubElement(graph, "edge", attrs)
        for key, value in flat.items():
            if value is None or isinstance(value, list | dict):
                continue
            ET.SubElement(element, "data", {"key": ids[("edge", key)]}).text = _text(value)
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    """Attributes as GraphML holds them: ``viz`` as networkx's x, y, size, r, g, b data."""
    flat = {k: v for k, v in attrs.items() if k != "viz"}
    viz = attrs.get("viz")
    if isinstance(viz, dict):
        position = viz.get("position") or {}
        color = viz.get("color") or {}
        for key, value in (
            ("x", position.get("x")),
            ("y", position.get("y")),
            ("size", viz.get("size")),
            ("r", color.get("r")),
            ("g", color.get("g")),
            ("b", color.get("b")),
        ):
            if value is not None:
                flat.setdefault(key, value)
    return flat
