"""The classic network formats GML (Gephi, igraph, networkx) and Pajek ``.net``, read into a
``GraphDoc`` through networkx's parsers.

Node ids are the files' own (numeric in both formats: the namespace of ``outside_to_raw`` keeps
two files apart), the ``label`` is the name, GML's ``graphics`` (x, y, fill) become ``viz``.
Parallel edges are kept even where a GML file forgot to say ``multigraph 1``; networkx's
warnings become one line of ours.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from pathlib import Path
from typing import Any

import networkx as nx

from graph.formats.encoding import decode_text
from graph.formats.graphdoc import EdgeRecord, GraphDoc, NodeRecord
from graph.formats.messages import count, say
from graph.formats.readers import MAX_FIELD_CHARS
from graph.i18n import N_

__all__ = ["TEXTS", "read_gml", "read_pajek"]

TEXTS = {
    "long_line": N_("a line longer than {limit} characters"),
    "library_warning": N_("{file}: {fmt}: {text}"),
    "unreadable": N_("unreadable"),
}

# a line longer than a field at the limit and its key: in bytes (before decoding, so a huge
# line is never copied; 4 bytes a character at most), then exactly in characters
_LONG_BYTES = re.compile(b"[^\n]{" + str(4 * MAX_FIELD_CHARS + 800).encode() + b",}")
_LONG_LINE = re.compile("[^\n]{" + str(MAX_FIELD_CHARS + 200) + ",}")


def _text(path: Path, doc: GraphDoc) -> str | None:
    data = path.read_bytes()
    if _LONG_BYTES.search(data):
        doc.problems.append(say(TEXTS["long_line"], limit=count(MAX_FIELD_CHARS)))
        return None
    text, problems, notes = decode_text(data, path.name)
    doc.warnings += notes
    if text is None:
        doc.problems += [p.reason for p in problems]
        return None
    if _LONG_LINE.search(text):
        doc.problems.append(say(TEXTS["long_line"], limit=count(MAX_FIELD_CHARS)))
        return None
    return text


def _viz(graphics: Any) -> dict[str, Any]:
    viz: dict[str, Any] = {}
    if not isinstance(graphics, dict):
        return viz
    if "x" in graphics and "y" in graphics:
        viz["position"] = {"x": graphics["x"], "y": graphics["y"]}
    fill = graphics.get("fill")
    if isinstance(fill, str) and fill.startswith("#") and len(fill) >= 7:
        with contextlib.suppress(ValueError):
            viz["color"] = {k: int(fill[i : i + 2], 16) for k, i in (("r", 1), ("g", 3), ("b", 5))}
    if "w" in graphics:
        viz["size"] = graphics["w"]
    return viz


def _doc_from(G: nx.Graph, fmt: str, label_is_node: bool) -> GraphDoc:
    doc = GraphDoc(fmt)
    for node, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k not in ("label", "graphics", "id")}
        viz = _viz(data.get("graphics"))
        if viz:
            attrs["viz"] = viz
        if label_is_node:  # networkx's Pajek reader names nodes by their labels
            nid, label = str(data.get("id", node)), str(node)
        else:
            nid, label = str(node), data.get("label")
        doc.nodes.append(NodeRecord(nid, None if label is None else str(label), attrs))
    ids = {node: doc.nodes[i].id for i, node in enumerate(G.nodes)}
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for item in edges:
        u, v, data = item[0], item[1], item[-1]
        attrs = {k: val for k, val in data.items() if k not in ("graphics", "id")}
        edge_id = data.get("id")
        doc.edges.append(
            EdgeRecord(
                ids[u],
                ids[v],
                None if edge_id is None else str(edge_id),
                G.is_directed(),
                attrs,
            )
        )
    return doc


def _quiet(parse: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = parse(*args, **kwargs)
    return result, [str(w.message).splitlines()[0] for w in caught]


def read_gml(path: Path) -> GraphDoc:
    """Read a GML file into a ``GraphDoc`` (problems in ``doc.problems``)."""
    doc = GraphDoc("GML")
    text = _text(path, doc)
    if text is None:
        return doc
    try:
        G, notes = _quiet(nx.parse_gml, text, label="id")
    except nx.NetworkXError as exc:
        if "duplicated" not in str(exc):
            doc.problems.append(str(exc).splitlines()[0])
            return doc
        # parallel edges in a file that did not declare itself a multigraph
        fixed = re.sub(r"(\bgraph\s*\[)", r"\1 multigraph 1", text, count=1)
        try:
            G, notes = _quiet(nx.parse_gml, fixed, label="id")
        except (nx.NetworkXError, ValueError) as again:
            doc.problems.append(str(again).splitlines()[0])
            return doc
    except ValueError as exc:
        doc.problems.append(str(exc).splitlines()[0] or say(TEXTS["unreadable"]))
        return doc
    out = _doc_from(G, "GML", label_is_node=False)
    out.warnings = doc.warnings + [
        say(TEXTS["library_warning"], file=path.name, fmt="GML", text=n) for n in notes
    ]
    return out


def read_pajek(path: Path) -> GraphDoc:
    """Read a Pajek ``.net`` file into a ``GraphDoc`` (problems in ``doc.problems``)."""
    doc = GraphDoc("Pajek")
    text = _text(path, doc)
    if text is None:
        return doc
    try:
        G, notes = _quiet(nx.parse_pajek, text.splitlines())
    except (nx.NetworkXError, ValueError, IndexError, KeyError) as exc:
        doc.problems.append(str(exc).splitlines()[0] or type(exc).__name__)
        return doc
    out = _doc_from(G, "Pajek", label_is_node=True)
    out.warnings = doc.warnings + [
        say(TEXTS["library_warning"], file=path.name, fmt="Pajek", text=n) for n in notes
    ]
    return out
