"""Graph files (GEXF, GraphML, node-link JSON) to and from our tables.

Export writes every table into one typed graph so that nothing is lost: actors are nodes (id =
actor_id), activities, strength areas and sources are nodes whose id carries a prefix
(``activity:``, ``area:``, ``source:``) and a ``node_type`` attribute; relations, participations,
area links and learning labs' wanted ties are edges with an ``edge_type``. Gephi shows the whole
picture and filters by type; importing the file gives back identical tables.

Import also reads graphs made elsewhere: nodes without ``node_type`` are actors (``label`` →
name, attributes matched to actor columns by name, ``kind`` ``other`` when absent), edges without
``edge_type`` are relations (``weight``, ``type``/``kind``, GEXF ``start``/``end`` → dates).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl

from graph.errors import Problem
from graph.formats.kumu import RELATION_SYNONYMS, map_type
from graph.formats.rawdata import RawDataset, normalise_header, raw_table
from graph.store.limits import ImportLimits
from graph.store.tables import RELATION_KINDS, TABLES

__all__ = ["dataset_graph", "read_graph_file", "write_graph_file"]

_PREFIX = {"activities": "activity:", "strength_areas": "area:", "sources": "source:"}
_NODE_TYPE = {
    "actors": "actor",
    "activities": "activity",
    "strength_areas": "area",
    "sources": "source",
}
_EDGE_TYPE = {"relations": "relation", "participations": "participation", "actor_areas": "area"}
# Actors keep their own ids as node ids (what Gephi users expect), unless an id starts like the
# id of another node type ("activity:p1" would become the node of activity p1): those get this
# prefix, which reading removes again.
_ACTOR_PREFIX = "actor:"
_RESERVED = (*_PREFIX.values(), _ACTOR_PREFIX)
_BOOKKEEPING = {
    "node_type",
    "edge_type",
    "id",
    "label",
    "key",
    "source",
    "target",
    "viz",
    "aliases_json",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _attrs(row: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items() if v is not None and k not in skip}


def _actor_node(actor_id: str) -> str:
    """The node id of an actor (see ``_ACTOR_PREFIX``)."""
    return _ACTOR_PREFIX + actor_id if actor_id.startswith(_RESERVED) else actor_id


def _actor_id(node: str) -> str:
    """The actor id of a node id: the inverse of ``_actor_node``."""
    rest = node.removeprefix(_ACTOR_PREFIX)
    return rest if rest != node and rest.startswith(_RESERVED) else node


def dataset_graph(tables: dict[str, pl.DataFrame]) -> nx.MultiDiGraph:
    """All tables as one typed multigraph (see the module docstring for the encoding)."""
    G = nx.MultiDiGraph()
    aliases: dict[str, list[list[str]]] = {}
    for row in tables.get("actor_aliases", pl.DataFrame()).iter_rows(named=True):
        aliases.setdefault(row["actor_id"], []).append([row["alias"], row["source_id"]])
    for table, node_type in _NODE_TYPE.items():
        frame = tables.get(table)
        if frame is None:
            continue
        key = TABLES[table].key[0]
        prefix = _PREFIX.get(table, "")
        for row in frame.iter_rows(named=True):
            attrs = _attrs(row, {key})
            attrs["node_type"] = node_type
            label = row.get("name") or row.get("title") or row[key]
            attrs["label"] = label
            if table == "actors" and row[key] in aliases:
                attrs["aliases_json"] = json.dumps(aliases[row[key]], ensure_ascii=False)
            node = _actor_node(row[key]) if table == "actors" else prefix + row[key]
            G.add_node(node, **attrs)
    for row in tables.get("relations", pl.DataFrame()).iter_rows(named=True):
        G.add_edge(
            _actor_node(row["from_actor"]),
            _actor_node(row["to_actor"]),
            key=row["relation_id"],
            edge_type="relation",
            **_attrs(row, {"from_actor", "to_actor"}),
        )
    for row in tables.get("wanted_ties", pl.DataFrame()).iter_rows(named=True):
        G.add_edge(  # a learning lab's wanted tie: typed apart, never read as a relation
            _actor_node(row["from_actor"]),
            _actor_node(row["to_actor"]),
            key=row["wanted_id"],
            edge_type="wanted",
            **_attrs(row, {"from_actor", "to_actor"}),
        )
    for row in tables.get("participations", pl.DataFrame()).iter_rows(named=True):
        G.add_edge(
            _actor_node(row["actor_id"]),
            "activity:" + row["activity_id"],
            # string keys throughout: GEXF declares one type for all keys, from the first edge
            key="participation",
            edge_type="participation",
            **_attrs(row, {"actor_id", "activity_id"}),
        )
    for row in tables.get("actor_areas", pl.DataFrame()).iter_rows(named=True):
        G.add_edge(
            _actor_node(row["actor_id"]),
            "area:" + row["area_id"],
            key="area",
            edge_type="area",
            **_attrs(row, {"actor_id", "area_id"}),
        )
    return G


def write_graph_file(tables: dict[str, pl.DataFrame], path: Path, fmt: str) -> None:
    """Write all tables to a GEXF, GraphML or node-link JSON file."""
    G = dataset_graph(tables)
    if fmt == "gexf":
        nx.write_gexf(G, path)
    elif fmt == "graphml":
        nx.write_graphml(G, path)
    elif fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(fmt)


# A DOCTYPE can declare entities that expand a small file into gigabytes ("billion laughs") or
# name outside files (XXE); no GEXF or GraphML file needs one.
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _load(path: Path, fmt: str) -> nx.Graph:
    if fmt in ("gexf", "graphml") and _DOCTYPE.search(path.read_bytes()):
        raise ValueError("XML with a DOCTYPE or ENTITY declaration is not accepted")
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    edges = "links" if "links" in data and "edges" not in data else "edges"
    return nx.node_link_graph(data, edges=edges)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    columns: list[str] = []
    for rec in records:
        columns.extend(k for k in rec if k not in columns)
    data = {c: [_text(r.get(c)) for r in records] for c in columns}
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))


def _aliases(value: Any) -> list[tuple[str, str | None]] | None:
    """The ``aliases_json`` node attribute our export writes, or None when it is not ours."""
    try:
        pairs = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs
    ):
        return None
    return [(alias, None if source is None else str(source)) for alias, source in pairs]


def read_graph_file(path: Path, fmt: str, limits: ImportLimits | None = None) -> RawDataset:
    """Read a GEXF, GraphML or node-link JSON file into raw tables (see the module docstring)."""
    out = RawDataset()
    file = path.name
    limits = limits or ImportLimits()
    try:
        G = _load(path, fmt)
    except Exception as exc:  # XML/JSON parsers and networkx raise many types for bad files
        out.problems.append(
            Problem(
                file,
                "",
                "",
                f"not a readable {fmt} file: "
                f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            )
        )
        return out
    if G.number_of_nodes() + G.number_of_edges() > limits.max_rows:
        out.problems.append(limits.rows_problem(file))
        return out
    records: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    rows: dict[str, list[str]] = {t: [] for t in TABLES}
    foreign_kinds = 0
    for node, data in G.nodes(data=True):
        node_type = data.get("node_type", "actor")
        table = {v: k for k, v in _NODE_TYPE.items()}.get(node_type)
        if table is None:
            out.problems.append(
                Problem(file, f"node '{node}'", "node_type", f"unknown node type '{node_type}'")
            )
            continue
        key = TABLES[table].key[0]
        rec = {normalise_header(k): v for k, v in data.items() if k not in _BOOKKEEPING}
        rec[key] = (
            _actor_id(str(node))
            if table == "actors"
            else str(node).removeprefix(_PREFIX.get(table, ""))
        )
        if table == "actors":
            if "name" not in rec:
                rec["name"] = data.get("label", node)
            if "kind" not in rec:
                rec["kind"] = "other"
                foreign_kinds += 1
            aliases = _aliases(data.get("aliases_json", "[]"))
            if aliases is None:
                out.problems.append(
                    Problem(
                        file,
                        f"node '{node}'",
                        "aliases_json",
                        "not a JSON list of [alias, source_id] pairs",
                    )
                )
                aliases = []
            for alias, source in aliases:
                records["actor_aliases"].append(
                    {"actor_id": rec[key], "alias": alias, "source_id": source}
                )
                rows["actor_aliases"].append(f"node '{node}'")
        records[table].append(rec)
        rows[table].append(f"node '{node}'")
    edges = (
        G.edges(data=True, keys=True)
        if G.is_multigraph()
        else ((u, v, None, d) for u, v, d in G.edges(data=True))
    )
    for u, v, _key, data in edges:
        edge_type = data.get("edge_type", "relation")
        label = f"edge '{u}'->'{v}'"
        rec = {normalise_header(k): val for k, val in data.items() if k not in _BOOKKEEPING}
        if edge_type == "relation":
            rec.update(from_actor=_actor_id(str(u)), to_actor=_actor_id(str(v)))
            if "kind" not in rec and ("type" in rec or "label" in data):
                raw_kind = rec.pop("type", None) or data.get("label")
                rec["kind"] = (
                    map_type(_text(raw_kind), RELATION_KINDS, RELATION_SYNONYMS) or "other"
                )
            rec.pop("type", None)
            if "start" in rec:
                rec.setdefault("start_date", rec.pop("start"))
            if "end" in rec:
                rec.setdefault("end_date", rec.pop("end"))
            if "directed" not in rec:
                rec["directed"] = G.is_directed()
            table = "relations"
        elif edge_type == "participation":
            rec.update(actor_id=_actor_id(str(u)), activity_id=str(v).removeprefix("activity:"))
            table = "participations"
        elif edge_type == "area":
            rec.update(actor_id=_actor_id(str(u)), area_id=str(v).removeprefix("area:"))
            table = "actor_areas"
        elif edge_type == "wanted":
            rec.update(from_actor=_actor_id(str(u)), to_actor=_actor_id(str(v)))
            table = "wanted_ties"
        else:
            out.problems.append(
                Problem(file, label, "edge_type", f"unknown edge type '{edge_type}'")
            )
            continue
        records[table].append(rec)
        rows[table].append(label)
    if foreign_kinds:
        out.warnings.append(
            f"{file}: {foreign_kinds} nodes have no kind and were imported as 'other'"
        )
    for table, recs in records.items():
        if not recs:
            continue
        tbl, problems, warnings = raw_table(table, _frame(recs), file, rows=rows[table])
        out.tables.append(tbl)
        out.problems += problems
        out.warnings += warnings
    return out
