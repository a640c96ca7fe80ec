"""Graph files (GEXF, GraphML, GML, Pajek, graph JSON) to and from our tables.

Export writes every table into one typed graph so that nothing is lost and Gephi shows the
whole picture: actors are nodes (id = actor_id), activities and strength areas are nodes whose
id carries a prefix (``activity:``, ``area:``) and a ``node_type`` attribute; relations,
participations, area links and learning labs' wanted ties are edges with an ``edge_type``; the
sources are graph metadata, not nodes. An actor's or relation's ``attributes`` are written
twice: unpacked, one attribute per key (so Gephi shows "Net Worth" as a column and ``viz`` as
the layout), and whole in ``attributes_json``, which is what reading our own file trusts.
Importing the file gives back identical tables.

Files made elsewhere are translated by ``graph.formats.graphdoc.outside_to_raw`` (namespaced
ids, skipped self-loops, parallel edges, the ``attributes`` column).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from graph.errors import Problem
from graph.formats.graphdoc import (
    PLURALS,
    EdgeRecord,
    GraphDoc,
    NodeRecord,
    outside_to_raw,
)
from graph.formats.messages import say, say_n
from graph.formats.rawdata import RawDataset, normalise_header, raw_table
from graph.formats.xmlsafe import XmlRefused
from graph.i18n import N_
from graph.store.limits import ImportLimits
from graph.store.tables import TABLES

__all__ = [
    "GRAPH_FORMATS",
    "TEXTS",
    "dataset_doc",
    "read_graph_doc",
    "read_graph_file",
    "write_graph_file",
]

GRAPH_FORMATS = ("gexf", "graphml", "gml", "pajek", "json")
_FORMAT_NAMES = {
    "gexf": "GEXF",
    "graphml": "GraphML",
    "gml": "GML",
    "pajek": "Pajek",
    "json": "JSON",
}
_PREFIX = {"activities": "activity:", "strength_areas": "area:", "sources": "source:"}
_NODE_TYPE = {
    "actors": "actor",
    "activities": "activity",
    "strength_areas": "area",
    "sources": "source",  # files of earlier versions held sources as nodes
}
_TABLE_OF_NODE_TYPE = {v: k for k, v in _NODE_TYPE.items()}
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
    "attributes_json",
    "directed",
    "start",
    "end",
    "type",
    "weight",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _actor_node(actor_id: str) -> str:
    """The node id of an actor (see ``_ACTOR_PREFIX``)."""
    return _ACTOR_PREFIX + actor_id if actor_id.startswith(_RESERVED) else actor_id


def _actor_id(node: str) -> str:
    """The actor id of a node id: the inverse of ``_actor_node``."""
    rest = node.removeprefix(_ACTOR_PREFIX)
    return rest if rest != node and rest.startswith(_RESERVED) else node


def _columns(row: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items() if v is not None and k not in skip}


def _unpacked(attributes: str | None, taken: set[str]) -> dict[str, Any]:
    """The ``attributes`` JSON as attributes of a node or edge: every key that does not
    collide with a column or our bookkeeping, and ``viz`` for the layout."""
    if not attributes:
        return {}
    values = json.loads(attributes)
    out = {
        k: v
        for k, v in values.items()
        if k not in taken and k not in _BOOKKEEPING and normalise_header(k) not in taken
    }
    if isinstance(values.get("viz"), dict):
        out["viz"] = values["viz"]
    out["attributes_json"] = attributes
    return out


def dataset_doc(tables: dict[str, pl.DataFrame]) -> GraphDoc:
    """All tables as one typed ``GraphDoc`` (see the module docstring for the encoding)."""
    doc = GraphDoc("ecograph")
    doc.meta["ecograph"] = True
    doc.meta["sources"] = [
        _columns(row, set()) for row in tables.get("sources", pl.DataFrame()).iter_rows(named=True)
    ]
    aliases: dict[str, list[list[str]]] = {}
    for row in tables.get("actor_aliases", pl.DataFrame()).iter_rows(named=True):
        aliases.setdefault(row["actor_id"], []).append([row["alias"], row["source_id"]])
    for table in ("actors", "activities", "strength_areas"):
        frame = tables.get(table)
        if frame is None:
            continue
        key = TABLES[table].key[0]
        taken = set(TABLES[table].column_names)
        for row in frame.iter_rows(named=True):
            attrs = _columns(row, {key, "attributes"})
            attrs["node_type"] = _NODE_TYPE[table]
            if table == "actors":
                if row[key] in aliases:
                    attrs["aliases_json"] = json.dumps(aliases[row[key]], ensure_ascii=False)
                attrs.update(_unpacked(row.get("attributes"), taken))
                node = _actor_node(row[key])
            else:
                node = _PREFIX[table] + row[key]
            doc.nodes.append(NodeRecord(node, row.get("name") or row[key], attrs))
    relations = tables.get("relations", pl.DataFrame())
    all_directed = relations.height > 0 and bool(relations["directed"].all())
    relation_ids = set(relations["relation_id"].to_list()) if relations.height else set()
    taken = set(TABLES["relations"].column_names)
    for row in relations.iter_rows(named=True):
        attrs = _columns(
            row,
            {"relation_id", "from_actor", "to_actor", "directed", "start_date", "end_date"},
        )
        attrs.pop("attributes", None)
        attrs["edge_type"] = "relation"
        attrs.update(_unpacked(row.get("attributes"), taken))
        doc.edges.append(
            EdgeRecord(
                _actor_node(row["from_actor"]),
                _actor_node(row["to_actor"]),
                row["relation_id"],
                bool(row["directed"]),
                attrs,
                _plain(row["start_date"]),
                _plain(row["end_date"]),
            )
        )

    def edge_id(stem: str, n: int) -> str:
        candidate = f"{stem}:{n}"
        while candidate in relation_ids:
            candidate += "_"
        return candidate

    for row in tables.get("wanted_ties", pl.DataFrame()).iter_rows(named=True):
        attrs = _columns(row, {"from_actor", "to_actor"})
        attrs["edge_type"] = "wanted"  # a learning lab's wanted tie: never read as a relation
        doc.edges.append(
            EdgeRecord(
                _actor_node(row["from_actor"]),
                _actor_node(row["to_actor"]),
                edge_id("wanted", len(doc.edges)),
                all_directed,
                attrs,
            )
        )
    for n, row in enumerate(tables.get("participations", pl.DataFrame()).iter_rows(named=True)):
        attrs = _columns(row, {"actor_id", "activity_id"})
        attrs["edge_type"] = "participation"
        doc.edges.append(
            EdgeRecord(
                _actor_node(row["actor_id"]),
                "activity:" + row["activity_id"],
                edge_id("participation", n),
                all_directed,
                attrs,
            )
        )
    for n, row in enumerate(tables.get("actor_areas", pl.DataFrame()).iter_rows(named=True)):
        attrs = _columns(row, {"actor_id", "area_id"})
        attrs["edge_type"] = "area"
        doc.edges.append(
            EdgeRecord(
                _actor_node(row["actor_id"]),
                "area:" + row["area_id"],
                edge_id("area", n),
                all_directed,
                attrs,
            )
        )
    return doc


def write_graph_file(tables: dict[str, pl.DataFrame], path: Path, fmt: str) -> None:
    """Write all tables to a GEXF 1.3, GraphML or node-link JSON file."""
    from graph.formats.gexf import write_gexf
    from graph.formats.graphjson import write_node_link
    from graph.formats.graphml import write_graphml

    doc = dataset_doc(tables)
    if fmt == "gexf":
        counts = ", ".join(f"{name} {frame.height}" for name, frame in tables.items())
        write_gexf(doc, path, description=f"ecograph dataset: {counts}")
    elif fmt == "graphml":
        write_graphml(doc, path)
    elif fmt == "json":
        write_node_link(doc, path)
    else:
        raise ValueError(fmt)


# --- reading -------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
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


def _record(attrs: dict[str, Any], table: str) -> dict[str, Any]:
    names = set(TABLES[table].column_names)
    rec = {}
    for key, value in attrs.items():
        norm = normalise_header(key)
        # our own file: a text "null" is a text, only a missing value is none
        if norm in names and norm != "attributes" and value is not None:
            rec[norm] = value
    return rec


def _attributes(attrs: dict[str, Any], table: str) -> str | None:
    """The ``attributes`` of a node or edge of our own file: ``attributes_json`` when present,
    else what the file has beyond our columns (a file edited in Gephi, say)."""
    given = attrs.get("attributes_json")
    if isinstance(given, str) and given.strip():
        return given
    names = set(TABLES[table].column_names)
    extra = {
        k: v
        for k, v in attrs.items()
        if normalise_header(k) not in names and k not in _BOOKKEEPING and v is not None
    }
    if isinstance(attrs.get("viz"), dict):
        extra["viz"] = attrs["viz"]
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None


TEXTS = {
    "unknown_node_type": N_("unknown node type '{value}'"),
    "bad_aliases": N_("not a JSON list of [alias, source_id] pairs"),
    "unknown_edge_type": N_("unknown edge type '{value}'"),
    "refused": N_("{fmt}: {reason}"),
    "unreadable_file": N_("{fmt}: not a readable {fmt} file ({reason})"),
    "library_warning": N_("{file}: {fmt}: {text}"),
    "unreadable": N_("unreadable"),
}

# The attributes of our own export that problems name as their column (data, not text).
_COLUMNS = {"node": "node_type", "edge": "edge_type", "aliases": "aliases_json"}


def ours_to_raw(doc: GraphDoc, file: str) -> RawDataset:
    """Read a file our export wrote (typed nodes and edges) back into the tables it came from."""
    out = RawDataset()
    records: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    rows: dict[str, list[str]] = {t: [] for t in TABLES}
    for i, source in enumerate(doc.meta.get("sources") or []):
        if isinstance(source, dict):
            records["sources"].append(source)
            rows["sources"].append(f"source {i + 1}")
    foreign_kinds = 0
    for node in doc.nodes:
        node_type = node.attrs.get("node_type", "actor")
        table = _TABLE_OF_NODE_TYPE.get(str(node_type))
        where = f"node '{node.id}'"
        if table is None:
            out.problems.append(
                Problem(
                    file, where, _COLUMNS["node"], say(TEXTS["unknown_node_type"], value=node_type)
                )
            )
            continue
        key = TABLES[table].key[0]
        rec = _record(node.attrs, table)
        rec[key] = _actor_id(node.id) if table == "actors" else node.id.removeprefix(_PREFIX[table])
        if table == "sources":
            rec.setdefault("title", node.label or node.id)
        elif "name" not in rec:
            rec["name"] = node.label or node.id
        if table == "actors":
            if "kind" not in rec:
                rec["kind"] = "other"
                foreign_kinds += 1
            rec["attributes"] = _attributes(node.attrs, "actors")
            aliases = _aliases(node.attrs.get("aliases_json", "[]"))
            if aliases is None:
                out.problems.append(
                    Problem(file, where, _COLUMNS["aliases"], say(TEXTS["bad_aliases"]))
                )
                aliases = []
            for alias, source in aliases:
                records["actor_aliases"].append(
                    {"actor_id": rec[key], "alias": alias, "source_id": source}
                )
                rows["actor_aliases"].append(where)
        records[table].append(rec)
        rows[table].append(where)
    for n, edge in enumerate(doc.edges, start=1):
        edge_type = edge.attrs.get("edge_type", "relation")
        where = f"edge '{edge.id or n}'"
        if edge_type == "relation":
            rec = _record(edge.attrs, "relations")
            rec.update(
                relation_id=rec.get("relation_id") or edge.id,
                from_actor=_actor_id(edge.source),
                to_actor=_actor_id(edge.target),
                directed=edge.directed,
                attributes=_attributes(edge.attrs, "relations"),
            )
            if edge.start and "start_date" not in rec:
                rec["start_date"] = edge.start
            if edge.end and "end_date" not in rec:
                rec["end_date"] = edge.end
            if edge.attrs.get("weight") is not None:
                rec["weight"] = edge.attrs["weight"]
            table = "relations"
        elif edge_type == "participation":
            rec = _record(edge.attrs, "participations")
            rec.update(
                actor_id=_actor_id(edge.source),
                activity_id=edge.target.removeprefix("activity:"),
            )
            table = "participations"
        elif edge_type == "area":
            rec = _record(edge.attrs, "actor_areas")
            rec.update(actor_id=_actor_id(edge.source), area_id=edge.target.removeprefix("area:"))
            table = "actor_areas"
        elif edge_type == "wanted":
            rec = _record(edge.attrs, "wanted_ties")
            rec.update(from_actor=_actor_id(edge.source), to_actor=_actor_id(edge.target))
            table = "wanted_ties"
        else:
            out.problems.append(
                Problem(
                    file, where, _COLUMNS["edge"], say(TEXTS["unknown_edge_type"], value=edge_type)
                )
            )
            continue
        records[table].append(rec)
        rows[table].append(where)
    if foreign_kinds:
        out.warnings.append(say_n(PLURALS["no_kind"], foreign_kinds, file=file))
    for table, recs in records.items():
        if not recs:
            continue
        tbl, problems, notes = raw_table(table, _frame(recs), file, rows=rows[table])
        out.tables.append(tbl)
        out.problems += problems
        out.warnings += notes
    return out


def _reader(fmt: str) -> Callable[[Path], GraphDoc]:
    from graph.formats.gexf import read_gexf
    from graph.formats.graphjson import read_graph_json
    from graph.formats.graphml import read_graphml
    from graph.formats.netfiles import read_gml, read_pajek

    return {
        "gexf": read_gexf,
        "graphml": read_graphml,
        "gml": read_gml,
        "pajek": read_pajek,
        "json": read_graph_json,
    }[fmt]


def read_graph_doc(path: Path, fmt: str) -> tuple[GraphDoc | None, str | None]:
    """Read a graph file into a ``GraphDoc``, or say in one line why it cannot be read.

    Library warnings raised while reading become one-line warnings of the document.
    """
    name = _FORMAT_NAMES[fmt]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            doc = _reader(fmt)(path)
        except XmlRefused as exc:
            return None, say(TEXTS["refused"], fmt=name, reason=exc)
        except (ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
            # networkx and the XML tree raise these for damaged files we did not foresee
            text = str(exc).strip().splitlines()
            reason = text[0] if text else type(exc).__name__
            return None, say(TEXTS["unreadable_file"], fmt=name, reason=reason)
    for w in caught:
        text = str(w.message).strip().splitlines()
        doc.warnings.append(
            say(
                TEXTS["library_warning"],
                file=path.name,
                fmt=name,
                text=text[0] if text else type(w).__name__,
            )
        )
    return doc, None


def read_graph_file(
    path: Path, fmt: str, limits: ImportLimits | None = None, dataset: str | None = None
) -> RawDataset:
    """Read a graph file into raw tables: our own export back into its tables, a file made
    elsewhere translated (``graph.formats.graphdoc``) with its node ids in the namespace
    ``dataset`` (default: the file name's slug)."""
    file = path.name
    limits = limits or ImportLimits()
    doc, refusal = read_graph_doc(path, fmt)
    if doc is None:
        why = refusal or say(TEXTS["unreadable"])
        return RawDataset(problems=[Problem(file, "", "", why)])
    if doc.problems:
        return RawDataset(
            problems=[
                Problem(file, "", "", say(TEXTS["refused"], fmt=doc.fmt, reason=p))
                for p in doc.problems[:20]
            ],
            warnings=doc.warnings,
        )
    if len(doc.nodes) + len(doc.edges) > limits.max_rows:
        return RawDataset(problems=[limits.rows_problem(file)])
    if doc.is_ours:
        out = ours_to_raw(doc, file)
        out.warnings = doc.warnings + out.warnings
        return out
    return outside_to_raw(doc, file, dataset)
