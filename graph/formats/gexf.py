"""GEXF files (Gephi's format), every version, read into a ``GraphDoc`` and written as 1.3.

Reading does not trust the namespace: GEXF 1.0 (``http://www.gephi.org/gexf``), 1.1 and 1.2
(``…/1.2draft``) and 1.3, with ``www.gexf.net`` or ``gexf.net``, or none at all, are read by the
local names of their elements. What is kept:

- ``label`` (optional: a node without one is named by its id), declared attributes with their
  types and defaults, ``viz:position``/``viz:color``/``viz:size``/``viz:shape`` (kept under
  ``viz``), the 1.x hierarchy (``pid`` or nested ``<nodes>``) as a parent;
- edge ``id``, ``type`` (directed/undirected/mutual, overriding ``defaultedgetype``), ``label``,
  ``weight``, ``kind``;
- dynamics: ``start``/``end`` and ``<spells>`` on nodes and edges in ``timeformat`` date,
  dateTime, integer or double (a whole number from 1000 to 9999 is a year: ``2004`` is
  2004-01-01..2004-12-31), and timestamped attribute values as their whole history
  (``[{"value", "start", "end"}, …]``).

Writing produces GEXF 1.3 that Gephi and networkx open as written (see ``write_gexf``).
"""

from __future__ import annotations

import contextlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from graph.formats.graphdoc import EdgeRecord, GraphDoc, NodeRecord, parse_time, xml_attr_type
from graph.formats.messages import say
from graph.formats.xmlsafe import local_name, parse_xml
from graph.i18n import N_

__all__ = ["TEXTS", "read_gexf", "write_gexf"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
TEXTS = {
    "no_graph": N_("no <graph> element"),
    "bad_sources": N_("the ecograph sources in <meta> are not JSON"),
    "node_without_id": N_("a <node> without an id"),
    "edge_without_ends": N_("edge '{id}' has no source or no target"),
    "wrong_root": N_("the root element is <{tag}>, not <gexf>"),
}

_INT_TYPES = {"integer", "long", "short", "byte", "int", "bigint"}
_FLOAT_TYPES = {"float", "double", "bigdecimal"}


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local_name(c.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for c in element:
        if local_name(c.tag) == name:
            return c
    return None


def _typed(text: str | None, kind: str) -> Any:
    if text is None:
        return None
    if kind in _INT_TYPES:
        try:
            return int(text.strip())
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return text
            return int(number) if number.is_integer() else number
    if kind in _FLOAT_TYPES:
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean":
        low = text.strip().lower()
        return True if low in ("true", "1") else False if low in ("false", "0") else text
    return text


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _viz(element: ET.Element, is_node: bool) -> dict[str, Any]:
    viz: dict[str, Any] = {}
    for child in element:
        name = local_name(child.tag)
        a = child.attrib
        if name == "color":
            if "hex" in a and "r" not in a:
                hexcode = a["hex"].lstrip("#")
                if len(hexcode) >= 6:
                    with contextlib.suppress(ValueError):
                        viz["color"] = {
                            "r": int(hexcode[0:2], 16),
                            "g": int(hexcode[2:4], 16),
                            "b": int(hexcode[4:6], 16),
                        }
            else:
                color: dict[str, Any] = {
                    k: _typed(a[k], "integer") for k in ("r", "g", "b") if k in a
                }
                if "a" in a:
                    color["a"] = _typed(a["a"], "float")
                viz["color"] = color
        elif name == "position" and is_node:
            viz["position"] = {k: _float(a[k]) for k in ("x", "y", "z") if k in a}
        elif name in ("size", "thickness") and "value" in a:
            viz[name] = _float(a["value"])
        elif name == "shape" and "value" in a:
            viz["shape"] = a["value"]
    return viz


class _Reader:
    def __init__(self, root: ET.Element, doc: GraphDoc) -> None:
        self.doc = doc
        self.graph = _child(root, "graph")
        if self.graph is None:
            doc.problems.append(say(TEXTS["no_graph"]))
            return
        self.timeformat = self.graph.get("timeformat", "date").lower()
        self.dynamic = self.graph.get("mode", "static").lower() == "dynamic"
        default = self.graph.get("defaultedgetype", "undirected").lower()
        self.directed = default == "directed"
        self.decl: dict[str, dict[str, tuple[str, str, str | None]]] = {"node": {}, "edge": {}}
        for block in _children(self.graph, "attributes"):
            klass = block.get("class", "node").lower()
            if klass not in self.decl:
                continue
            for attribute in _children(block, "attribute"):
                aid = attribute.get("id")
                if aid is None:
                    continue
                default_el = _child(attribute, "default")
                self.decl[klass][aid] = (
                    attribute.get("title") or aid,
                    (attribute.get("type") or "string").lower(),
                    default_el.text if default_el is not None else None,
                )
        meta = _child(root, "meta")
        if meta is not None:
            for child in meta:
                name = local_name(child.tag)
                if name == "sources" and child.text:
                    try:
                        doc.meta["sources"] = json.loads(child.text)
                    except ValueError:
                        doc.problems.append(say(TEXTS["bad_sources"]))
                elif name == "creator" and (child.text or "").strip() == "ecograph":
                    doc.meta["ecograph"] = True

    def time(self, value: str | None, *, end: bool) -> str | None:
        if value is None:
            return None
        return parse_time(value, self.timeformat, end=end) or value

    def attvalues(self, element: ET.Element, klass: str) -> dict[str, Any]:
        decl = self.decl[klass]
        attrs: dict[str, Any] = {}
        history: dict[str, list[dict[str, Any]]] = {}
        block = _child(element, "attvalues")
        if block is not None:
            for av in _children(block, "attvalue"):
                key = av.get("for") or av.get("id")
                if key is None:
                    continue
                title, kind, _ = decl.get(key, (key, "string", None))
                value = _typed(av.get("value"), kind)
                start = av.get("start") or av.get("timestamp")
                end = av.get("end") or av.get("timestamp")
                if start is None and end is None:
                    attrs[title] = value
                    continue
                entry: dict[str, Any] = {"value": value}
                if start is not None:
                    entry["start"] = self.time(start, end=False)
                if end is not None:
                    entry["end"] = self.time(end, end=True)
                history.setdefault(title, []).append(entry)
        for title, entries in history.items():
            attrs[title] = entries
        for title, kind, default in decl.values():
            if title not in attrs and default is not None:
                attrs[title] = _typed(default, kind)
        return attrs

    def spells(self, element: ET.Element) -> list[list[str | None]]:
        block = _child(element, "spells")
        out: list[list[str | None]] = []
        if block is not None:
            for spell in _children(block, "spell"):
                start = spell.get("start") or spell.get("timestamp")
                end = spell.get("end") or spell.get("timestamp")
                out.append(
                    [
                        self.time(start, end=False) if start else None,
                        self.time(end, end=True) if end else None,
                    ]
                )
        return out

    def nodes(self, container: ET.Element, parent: str | None) -> None:
        for block in _children(container, "nodes"):
            for node in _children(block, "node"):
                nid = node.get("id")
                if nid is None:
                    self.doc.problems.append(say(TEXTS["node_without_id"]))
                    continue
                attrs = self.attvalues(node, "node")
                viz = _viz(node, is_node=True)
                if viz:
                    attrs["viz"] = viz
                for key in ("start", "end"):
                    if node.get(key) is not None:
                        attrs[key] = self.time(node.get(key), end=key == "end")
                spells = self.spells(node)
                if spells:
                    attrs["spells"] = spells
                pid = node.get("pid") or parent
                parents = _child(node, "parents")
                if parents is not None:
                    first = _child(parents, "parent")
                    if first is not None and first.get("for"):
                        pid = first.get("for")
                self.doc.nodes.append(NodeRecord(nid, node.get("label"), attrs, pid))
                self.nodes(node, nid)  # GEXF 1.x hierarchy: nodes inside a node

    def edges(self) -> None:
        assert self.graph is not None
        for block in _children(self.graph, "edges"):
            for edge in _children(block, "edge"):
                source, target = edge.get("source"), edge.get("target")
                if source is None or target is None:
                    self.doc.problems.append(
                        say(TEXTS["edge_without_ends"], id=edge.get("id", "?"))
                    )
                    continue
                attrs = self.attvalues(edge, "edge")
                for key in ("label", "kind"):
                    if edge.get(key) is not None:
                        attrs.setdefault(key, edge.get(key))
                if edge.get("weight") is not None:
                    attrs.setdefault("weight", _typed(edge.get("weight"), "double"))
                viz = _viz(edge, is_node=False)
                if viz:
                    attrs["viz"] = viz
                kind = (edge.get("type") or "").lower()
                directed = kind == "directed" if kind else self.directed
                start = self.time(edge.get("start"), end=False)
                end = self.time(edge.get("end"), end=True)
                spells = self.spells(edge)
                if spells:
                    attrs["spells"] = spells
                    starts = [s for s, _ in spells if s is not None]
                    ends = [e for _, e in spells if e is not None]
                    start = start or (min(starts) if starts else None)
                    end = end or (max(ends) if ends else None)
                self.doc.edges.append(
                    EdgeRecord(source, target, edge.get("id"), directed, attrs, start, end)
                )


def read_gexf(path: Path) -> GraphDoc:
    """Read a GEXF file of any version into a ``GraphDoc`` (problems in ``doc.problems``).

    Raises ``graph.formats.xmlsafe.XmlRefused`` for unsafe or malformed XML.
    """
    root = parse_xml(path)
    doc = GraphDoc("GEXF")
    if local_name(root.tag) != "gexf":
        doc.problems.append(say(TEXTS["wrong_root"], tag=local_name(root.tag)))
        return doc
    reader = _Reader(root, doc)
    if reader.graph is None:
        return doc
    reader.nodes(reader.graph, None)
    reader.edges()
    return doc


# --- writing -------------------------------------------------------------------------------


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


def _is_history(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "value" in v for v in value)
    )


def _plain_values(items: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Attribute name → its values, for the attributes GEXF can hold (scalars, histories)."""
    out: dict[str, list[Any]] = {}
    for attrs in items:
        for key, value in attrs.items():
            if key == "viz" or value is None:
                continue
            if _is_history(value):
                out.setdefault(key, []).extend(v["value"] for v in value)
            elif not isinstance(value, list | dict):
                out.setdefault(key, []).append(value)
    return out


def _declare(graph: ET.Element, klass: str, values: dict[str, list[Any]]) -> dict[str, str]:
    """Write an ``<attributes>`` block; return attribute name → GEXF type."""
    types = {key: xml_attr_type(vals) for key, vals in values.items()}
    if not types:
        return types
    block = ET.SubElement(graph, "attributes", {"class": klass, "mode": "static"})
    for i, (key, kind) in enumerate(types.items()):
        ET.SubElement(block, "attribute", {"id": f"{klass[0]}{i}", "title": key, "type": kind})
    return types


def _attvalues(parent: ET.Element, attrs: dict[str, Any], ids: dict[str, str]) -> None:
    entries: list[dict[str, str]] = []
    for key, value in attrs.items():
        if key not in ids or value is None:
            continue
        if _is_history(value):
            for v in value:
                entry = {"for": ids[key], "value": _value_text(v["value"])}
                for bound in ("start", "end"):
                    if v.get(bound):
                        entry[bound] = str(v[bound])
                entries.append(entry)
        elif not isinstance(value, list | dict):
            entries.append({"for": ids[key], "value": _value_text(value)})
    if entries:
        block = ET.SubElement(parent, "attvalues")
        for entry in entries:
            ET.SubElement(block, "attvalue", entry)


def _write_viz(parent: ET.Element, viz: Any, is_node: bool) -> None:
    if not isinstance(viz, dict):
        return
    color = viz.get("color")
    if isinstance(color, dict) and {"r", "g", "b"} <= color.keys():
        attrs = {k: _value_text(color[k]) for k in ("r", "g", "b")}
        if color.get("a") is not None:
            attrs["a"] = _value_text(color["a"])
        ET.SubElement(parent, "viz:color", attrs)
    position = viz.get("position")
    if is_node and isinstance(position, dict):
        ET.SubElement(
            parent,
            "viz:position",
            {k: _value_text(v) for k, v in position.items() if v is not None},
        )
    for name in ("size", "thickness"):
        if viz.get(name) is not None:
            ET.SubElement(parent, f"viz:{name}", {"value": _value_text(viz[name])})
    if viz.get("shape") is not None:
        ET.SubElement(parent, "viz:shape", {"value": str(viz["shape"])})


def write_gexf(doc: GraphDoc, path: Path, *, description: str = "") -> None:
    """Write ``doc`` as GEXF 1.3 that Gephi and networkx open as written.

    ``defaultedgetype`` is ``undirected`` unless every edge is directed; in a mixed graph each
    directed edge says so (``type="directed"``; Gephi reads that, networkx refuses mixed
    graphs). Edge dates become ``start``/``end`` with ``mode="dynamic"`` and
    ``timeformat="date"`` so Gephi's timeline plays them; ``viz`` is written back; edge ids are
    the file's own (no ``networkx_key``). ``doc.meta["sources"]`` is written in ``<meta>``.
    """
    directed = bool(doc.edges) and all(e.directed for e in doc.edges)
    dynamic = any(e.start or e.end for e in doc.edges)
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "ecograph"
    if description:
        ET.SubElement(meta, "description").text = description
    if "sources" in doc.meta:
        sources = ET.SubElement(
            meta, "ecograph:sources", {"xmlns:ecograph": "https://ecograph.invalid/gexf"}
        )
        sources.text = json.dumps(doc.meta["sources"], ensure_ascii=False)
    graph_attrs = {"defaultedgetype": "directed" if directed else "undirected"}
    if dynamic:
        graph_attrs.update(mode="dynamic", timeformat="date")
    graph = ET.SubElement(root, "graph", graph_attrs)
    node_types = _declare(graph, "node", _plain_values([n.attrs for n in doc.nodes]))
    edge_values = _plain_values([e.attrs for e in doc.edges])
    edge_values.pop("weight", None)  # GEXF's own edge attribute
    edge_types = _declare(graph, "edge", edge_values)
    node_ids = {key: f"n{i}" for i, key in enumerate(node_types)}
    edge_ids = {key: f"e{i}" for i, key in enumerate(edge_types)}
    nodes = ET.SubElement(graph, "nodes")
    for node in doc.nodes:
        element = ET.SubElement(nodes, "node", {"id": node.id, "label": node.label or node.id})
        _attvalues(element, node.attrs, node_ids)
        _write_viz(element, node.attrs.get("viz"), is_node=True)
    edges = ET.SubElement(graph, "edges")
    for i, edge in enumerate(doc.edges):
        attrs = {"id": edge.id or str(i), "source": edge.source, "target": edge.target}
        if edge.directed and not directed:
            attrs["type"] = "directed"
        weight = edge.attrs.get("weight")
        if isinstance(weight, int | float) and not isinstance(weight, bool) and weight > 0:
            attrs["weight"] = _value_text(weight)
        if edge.start:
            attrs["start"] = edge.start
        if edge.end:
            attrs["end"] = edge.end
        element = ET.SubElement(edges, "edge", attrs)
        _attvalues(element, {k: v for k, v in edge.attrs.items() if k != "weight"}, edge_ids)
        _write_viz(element, edge.attrs.get("viz"), is_node=False)
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
