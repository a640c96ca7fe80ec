"""A graph file as read, before it becomes our tables: nodes, edges and their attributes.

Every outside graph reader (GEXF, GraphML, GML, Pajek, the JSON dialects) produces a
``GraphDoc``; ``outside_to_raw`` translates it into raw tables by one set of rules, so a
self-loop or a weight of 0 means the same whatever tool wrote the file:

- node ids live in a namespace per dataset (``les-miserables:11``), so two files never share
  actors by accident; a node without a label is named by its id;
- known attribute names fill columns (``lat``/``latitude``, ``lon``/``lng``/``longitude``,
  ``url``/``website``/``link``, ``type``/``category``/``kind`` through the synonym table,
  ``description``/``notes``, ``municipality``, ``region``, ``helix``); every other attribute, the
  original type text, Gephi's ``viz`` and timestamped values go into the ``attributes`` JSON;
- a self-loop is skipped and counted; parallel edges are separate relations (ids from the
  file's edge ids, else their order); edges identical in every column are imported once; a
  weight of 0 or below is kept in the attributes and the tie counts with weight 1;
- ``null``, ``NaN`` and empty values are no value.

Our own exports carry ``node_type``/``edge_type`` attributes (see ``graph.formats.interchange``)
and are read back as the tables they were written from.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from graph.errors import Problem
from graph.formats.messages import count, say, say_n
from graph.formats.rawdata import RawDataset, normalise_header, raw_table, slugify
from graph.formats.synonyms import KIND_SYNONYMS, RELATION_SYNONYMS, map_type
from graph.i18n import N_, NP_
from graph.store.tables import ACTOR_KINDS, HELICES, RELATION_KINDS, TABLES

__all__ = [
    "PLURALS",
    "TEXTS",
    "EdgeRecord",
    "GraphDoc",
    "NodeRecord",
    "counted_warnings",
    "dataset_namespace",
    "is_empty_value",
    "new_counts",
    "outside_to_raw",
    "parse_time",
    "tidy_relations",
    "xml_attr_type",
]

# The counted warnings of a file's translation. Their English says "{n} edges" whatever the
# count, as it always has (scripts and tests match it); a language with a singular uses it.
PLURALS = {
    "self_loops": NP_(
        "{file}: {n} self-loops skipped: a tie needs two actors",
        "{file}: {n} self-loops skipped: a tie needs two actors",
    ),
    "identical": NP_(
        "{file}: {n} edges identical in every column to an earlier one were imported once ({rows})",
        "{file}: {n} edges identical in every column to an earlier one were imported once ({rows})",
    ),
    "low_weight": NP_(
        "{file}: {n} edges have a weight of 0 or below: kept in their attributes ('weight'), "
        "and the tie counts with weight 1",
        "{file}: {n} edges have a weight of 0 or below: kept in their attributes ('weight'), "
        "and the tie counts with weight 1",
    ),
    "bad_weight": NP_(
        "{file}: {n} edges have a weight that is not a number: kept in their attributes "
        "('weight'), and the tie counts with weight 1",
        "{file}: {n} edges have a weight that is not a number: kept in their attributes "
        "('weight'), and the tie counts with weight 1",
    ),
    "no_kind": NP_(
        "{file}: {n} nodes have no kind and were imported as 'other'",
        "{file}: {n} nodes have no kind and were imported as 'other'",
    ),
    "bad_coordinate": NP_(
        "{file}: {n} coordinates are not numbers within range: kept in the attributes",
        "{file}: {n} coordinates are not numbers within range: kept in the attributes",
    ),
    "repeated_edge_id": NP_(
        "{file}: {n} edge ids repeat an earlier edge's id: numbered by their order instead",
        "{file}: {n} edge ids repeat an earlier edge's id: numbered by their order instead",
    ),
    "groups": NP_(
        "{file}: {n} group nodes kept as actors, with a 'part of' relation from each member",
        "{file}: {n} group nodes kept as actors, with a 'part of' relation from each member",
    ),
    "bad_date": NP_(
        "{file}: {n} dates that are not dates: kept in the attributes",
        "{file}: {n} dates that are not dates: kept in the attributes",
    ),
}
TEXTS = {
    "and_more": N_("{shown} and {more} more"),
    "from_outside": N_("{fmt}: {problem}"),
}

# Attribute names (normalised) that fill an actor column rather than the attributes.
_ACTOR_COLUMNS = {
    "lat": "lat",
    "latitude": "lat",
    "lon": "lon",
    "lng": "lon",
    "long": "lon",
    "longitude": "lon",
    "url": "website",
    "website": "website",
    "link": "website",
    "homepage": "website",
    "description": "description",
    "notes": "description",
    "note": "description",
    "municipality": "municipality",
    "kommun": "municipality",
    "region": "region",
}
_KIND_NAMES = ("kind", "type", "category", "element_type")
_RELATION_KIND_NAMES = ("kind", "type", "category", "relation", "connection_type", "edge_type")
_RELATION_COLUMNS = {"description": "description", "notes": "description", "note": "description"}
_RANGES = {"lat": 90.0, "lon": 180.0}
# attribute names repeat on every node and edge of a file: normalise each one once
_norm = functools.lru_cache(maxsize=8192)(normalise_header)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class NodeRecord:
    """One node as the file has it. ``attrs`` holds the file's attribute names and values
    (str, int, float, bool; ``viz`` a dict; a timestamped value a list of
    ``{"value", "start", "end"}``). ``parent`` is the group node this node belongs to."""

    id: str
    label: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None


@dataclass
class EdgeRecord:
    """One edge as the file has it; ``start``/``end`` are ISO dates already (or None)."""

    source: str
    target: str
    id: str | None = None
    directed: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    start: str | None = None
    end: str | None = None


@dataclass
class GraphDoc:
    """A whole graph file: what the readers give ``outside_to_raw``."""

    fmt: str  # as messages name it: "GEXF", "GraphML", ...
    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_ours(self) -> bool:
        """Written by our own export (typed nodes), so read back as our tables."""
        return any("node_type" in n.attrs for n in self.nodes[:50]) or bool(
            self.meta.get("ecograph")
        )


def xml_attr_type(values: list[Any]) -> str:
    """The attribute type GEXF and GraphML both declare for a column of ``values``: boolean,
    long, double, or string when they are mixed or text."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def is_empty_value(value: Any) -> bool:
    """``None``, ``NaN``, an empty or blank text, the text ``null``/``NaN``: no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        text = value.strip()
        return not text or text.lower() in ("null", "nan", "none")
    if isinstance(value, list | dict):
        return not value
    return False


def dataset_namespace(file: str, dataset: str | None) -> str:
    """The namespace of a file's node ids: ``--dataset NAME``, else the file name's slug.

    >>> dataset_namespace("Les Misérables.gexf", None)
    'les-miserables'
    >>> dataset_namespace("x.gexf", "Power grid")
    'power-grid'
    """
    base = dataset if dataset else file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return slugify(base)


def _json(attrs: dict[str, Any]) -> str | None:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True) if attrs else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_time(value: str | None, timeformat: str, *, end: bool) -> str | None:
    """A GEXF time as an ISO date, or None when it is not one.

    A date or dateTime gives its date; an integer or a whole double from 1000 to 9999 is a
    year, which starts on 1 January and ends on 31 December.

    >>> parse_time("2004", "integer", end=False), parse_time("2004", "integer", end=True)
    ('2004-01-01', '2004-12-31')
    >>> parse_time("2010-03-04T10:00:00", "dateTime", end=False)
    '2010-03-04'
    >>> parse_time("0.5", "double", end=False) is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    if _DATE.match(text):
        return text[:10]
    try:
        number = float(text)
    except ValueError:
        return None
    if math.isfinite(number) and number.is_integer() and 1000 <= number <= 9999:
        year = int(number)
        return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
    return None


def _frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    columns: list[str] = []
    for rec in records:
        columns.extend(k for k in rec if k not in columns)
    data = {
        c: [v if v is None or type(v) is str else _text(v) for v in (r.get(c) for r in records)]
        for c in columns
    }
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))


@dataclass
class _Counts:
    self_loops: int = 0
    low_weight: int = 0
    bad_weight: int = 0
    no_kind: int = 0
    bad_coordinate: int = 0
    repeated_edge_id: int = 0
    groups: int = 0
    bad_date: int = 0
    identical_rows: list[str] = field(default_factory=list)


def _actor_record(node: NodeRecord, ns: str, counts: _Counts) -> dict[str, Any]:
    rec: dict[str, Any] = {"actor_id": f"{ns}:{node.id}"}
    attrs: dict[str, Any] = {}
    kind: str | None = None
    name = node.label if not is_empty_value(node.label) else None
    for key, value in node.attrs.items():
        if is_empty_value(value):
            continue
        norm = _norm(key)
        column = _ACTOR_COLUMNS.get(norm)
        if column in _RANGES:
            number = _number(value)
            if number is None or abs(number) > _RANGES[column]:
                counts.bad_coordinate += 1
                attrs[key] = value
                continue
            rec.setdefault(column, number)
            continue
        if column is not None and column not in rec and not isinstance(value, list | dict):
            rec[column] = value
            continue
        if norm in _KIND_NAMES and kind is None and isinstance(value, str):
            kind = map_type(value, ACTOR_KINDS, KIND_SYNONYMS)
            attrs[key] = value  # the original text, whether it mapped or not
            continue
        if norm == "helix" and isinstance(value, str) and _norm(value) in HELICES:
            rec["helix"] = _norm(value)
            continue
        if norm in ("label", "name") and name is None and isinstance(value, str):
            name = value
            continue
        attrs[key] = value
    if kind is None:
        counts.no_kind += 1
    rec["name"] = name.strip() if name and name.strip() else node.id
    rec["kind"] = kind or "other"
    rec["attributes"] = _json(attrs)
    return rec


def _date_value(value: str | None, counts: _Counts, attrs: dict[str, Any], key: str) -> str | None:
    if value is None:
        return None
    iso = parse_time(value, "date", end=key == "end")
    if iso is not None:
        return iso
    counts.bad_date += 1
    attrs[key] = value
    return None


def _relation_record(
    edge: EdgeRecord, ns: str, counts: _Counts, position: int
) -> dict[str, Any] | None:
    if edge.source == edge.target:
        counts.self_loops += 1
        return None
    rec: dict[str, Any] = {
        "from_actor": f"{ns}:{edge.source}",
        "to_actor": f"{ns}:{edge.target}",
        "directed": edge.directed,
    }
    attrs: dict[str, Any] = {}
    kind: str | None = None
    label_kind: str | None = None
    start, end = edge.start, edge.end
    for key, value in edge.attrs.items():
        if is_empty_value(value):
            continue
        norm = _norm(key)
        if norm in ("start", "start_date") and start is None and isinstance(value, str):
            start = value
            continue
        if norm in ("end", "end_date") and end is None and isinstance(value, str):
            end = value
            continue
        if norm in ("weight", "strength"):
            number = _number(value)
            if number is None:
                counts.bad_weight += 1
                attrs[key] = value
            elif number <= 0:
                counts.low_weight += 1
                attrs[key] = value
            else:
                rec["weight"] = number
            continue
        if norm in _RELATION_KIND_NAMES and kind is None and isinstance(value, str):
            kind = map_type(value, RELATION_KINDS, RELATION_SYNONYMS) or "other"
            attrs[key] = value
            continue
        if norm == "label" and isinstance(value, str):
            label_kind = map_type(value, RELATION_KINDS, RELATION_SYNONYMS)
        column = _RELATION_COLUMNS.get(norm)
        if column and column not in rec and isinstance(value, str):
            rec[column] = value
            continue
        attrs[key] = value
    rec["kind"] = kind or label_kind
    rec["start_date"] = _date_value(start, counts, attrs, "start")
    rec["end_date"] = _date_value(end, counts, attrs, "end")
    if rec["start_date"] and rec["end_date"] and rec["end_date"] < rec["start_date"]:
        attrs["start"], attrs["end"] = rec["start_date"], rec["end_date"]
        rec["start_date"] = rec["end_date"] = None
        counts.bad_date += 1
    rec["attributes"] = _json(attrs)
    rec["_edge_id"] = edge.id
    rec["_position"] = f"e{position}"
    return rec


def tidy_relations(
    records: list[dict[str, Any]],
    rows: list[str],
    ns: str | None,
    counts: _Counts,
    generated: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Give each relation an id and drop exact repeats (see the module docstring).

    A relation keeps its file's edge id (``ns:id``); without one, or when the id repeats an
    earlier edge's, it is named by its place in the file (``_position``: ``ns:e7``, the 7th
    edge), so parallel edges stay
    separate relations and a re-import finds them again; ``generated`` prefixes those instead of
    ``ns`` (Kumu: the file's name). A record equal in every column to an earlier one (id
    included when the file gives ids) is dropped and its row noted.
    """
    prefix = f"{ns}:" if ns else ""
    made = f"{generated}:" if generated else prefix
    seen_ids: set[str] = set()
    seen_rows: set[tuple[Any, ...]] = set()
    out_records: list[dict[str, Any]] = []
    out_rows: list[str] = []
    for rec, row in zip(records, rows, strict=True):
        edge_id = rec.pop("_edge_id", None)
        position = rec.pop("_position")
        content = tuple(sorted((k, v) for k, v in rec.items() if k != "relation_id"))
        identity = (edge_id, content)
        if identity in seen_rows:
            counts.identical_rows.append(row)
            continue
        seen_rows.add(identity)
        if edge_id is not None and not is_empty_value(edge_id):
            rid = f"{prefix}{edge_id}"
            if rid in seen_ids:
                counts.repeated_edge_id += 1
                rid = f"{made}{position}"
        else:
            rid = f"{made}{position}"
        while rid in seen_ids:
            rid += "_"
        seen_ids.add(rid)
        rec["relation_id"] = rid
        out_records.append(rec)
        out_rows.append(row)
    return out_records, out_rows


def counted_warnings(file: str, counts: _Counts) -> list[str]:
    """The one-line warnings of one file's translation."""
    out = []
    for key in (
        "self_loops",
        "low_weight",
        "bad_weight",
        "no_kind",
        "bad_coordinate",
        "repeated_edge_id",
        "groups",
        "bad_date",
    ):
        n = getattr(counts, key)
        if n:
            out.append(say_n(PLURALS[key], n, file=file))
    if counts.identical_rows:
        shown = ", ".join(counts.identical_rows[:5])
        more = len(counts.identical_rows) - 5
        rows = say(TEXTS["and_more"], shown=shown, more=count(more)) if more > 0 else shown
        out.append(say_n(PLURALS["identical"], len(counts.identical_rows), file=file, rows=rows))
    return out


def new_counts() -> _Counts:
    """A fresh tally for ``tidy_relations`` and ``counted_warnings`` (used by the Kumu reader)."""
    return _Counts()


def _tables(
    out: RawDataset,
    file: str,
    records: dict[str, list[dict[str, Any]]],
    rows: dict[str, list[str]],
) -> None:
    for table in TABLES:
        recs = records.get(table)
        if not recs:
            continue
        tbl, problems, warnings = raw_table(table, _frame(recs), file, rows=rows[table])
        tbl.canonical_json = True  # written by json.dumps(sort_keys=True) above
        out.tables.append(tbl)
        out.problems += problems
        out.warnings += warnings


def outside_to_raw(doc: GraphDoc, file: str, dataset: str | None) -> RawDataset:
    """Translate a graph file made by another tool into raw tables (module docstring rules)."""
    out = RawDataset(warnings=list(doc.warnings))
    out.problems += [
        Problem(file, "", "", say(TEXTS["from_outside"], fmt=doc.fmt, problem=p))
        for p in doc.problems
    ]
    if doc.problems:
        return out
    ns = dataset_namespace(file, dataset)
    counts = _Counts()
    actors = [_actor_record(node, ns, counts) for node in doc.nodes]
    actor_rows = [f"node '{node.id}'" for node in doc.nodes]
    relations: list[dict[str, Any]] = []
    relation_rows: list[str] = []
    for position, edge in enumerate(doc.edges, start=1):
        rec = _relation_record(edge, ns, counts, position)
        if rec is not None:
            relations.append(rec)
            relation_rows.append(f"edge '{edge.id or position}'")
    members = [n for n in doc.nodes if n.parent is not None]
    for node in members:
        relations.append(
            {
                "from_actor": f"{ns}:{node.id}",
                "to_actor": f"{ns}:{node.parent}",
                "kind": "membership",
                "directed": True,
                "description": "part of",
                "_edge_id": f"part-of:{node.id}",
                "_position": f"part-of:{node.id}",
            }
        )
        relation_rows.append(f"node '{node.id}'")
    counts.groups = len({n.parent for n in members})
    relations, relation_rows = tidy_relations(relations, relation_rows, ns, counts)
    out.warnings += counted_warnings(file, counts)
    _tables(
        out,
        file,
        {"actors": actors, "relations": relations},
        {"actors": actor_rows, "relations": relation_rows},
    )
    return out
