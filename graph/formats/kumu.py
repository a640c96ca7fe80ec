"""Kumu spreadsheets (Elements and Connections) as our actors, areas and relations, and our
actors and relations as a Kumu workbook.

Kumu's rules (see FORMATS.md): ``Label`` names an element, ``ID`` overrides it as the key; ``Type``,
``Description`` and ``Tags`` (several values separated by ``|``) are optional; connections name
their ends by label or ID in ``From``/``To`` (``To`` may list several, ``|``-separated), with
optional ``Type``, ``Label``, ``Strength`` and ``Direction`` (Kumu draws connections as directed
unless told otherwise).

Nothing is lost: a type outside our vocabulary becomes ``other``, and the original type text is
kept in the ``attributes`` JSON (``{"Type": "Spaceship"}``) whenever it is not simply our kind's
name; tags naming a known strength area become area links, the other tags stay in the
attributes (``"Tags"``); every custom column (``Net Worth``, ``Founded``) is an attribute.
Connections follow the rules of every outside graph format (``graph.formats.graphdoc``): a
self-loop is skipped with a warning, rows identical in every column are imported once, a
strength of 0 or below is kept in the attributes while the tie counts with weight 1, and each
connection keeps its own id (``ID``, else ``<file>:c<row>``), so parallel connections stay apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from graph.errors import Problem
from graph.formats.graphdoc import counted_warnings, is_empty_value, new_counts, tidy_relations
from graph.formats.messages import say
from graph.formats.rawdata import TEXTS as RAW_TEXTS
from graph.formats.rawdata import RawDataset, normalise_header, raw_table, slugify
from graph.formats.synonyms import KIND_SYNONYMS, RELATION_SYNONYMS, map_type
from graph.i18n import N_
from graph.store.tables import ACTOR_KINDS, RELATION_KINDS

__all__ = [
    "KIND_SYNONYMS",
    "KUMU_SIDE_TABLES",
    "RELATION_SYNONYMS",
    "kumu_to_raw",
    "map_type",
    "write_kumu_workbook",
]

# Our tables a Kumu workbook of ours carries on sheets Kumu skips ("sources (ignore)").
KUMU_SIDE_TABLES = ("sources", "strength_areas")
TEXTS = {
    "no_sheet": N_("no Elements or Connections sheet"),
}

# Kumu's own name of the column a problem names (data, as the file spells it, not text).
_LABEL_COLUMN = "Label"
_ACTOR_PASSTHROUGH = ("helix", "municipality", "region", "lat", "lon", "website", "source_id")
_ELEMENT_OWN = {"label", "id", "type", "description", "tags", *_ACTOR_PASSTHROUGH}
_CONNECTION_OWN = {
    "from", "to", "type", "strength", "direction", "description", "id", "source_id",
    "start_date", "end_date",
}  # fmt: skip
_DATE_NAMES = {"start": "start_date", "end": "end_date", "from_date": "start_date"}


def _cell(rec: dict[str, Any], cols: dict[str, str], name: str) -> str | None:
    if name not in cols:
        return None
    value = rec.get(cols[name])
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _custom(rec: dict[str, Any], cols: dict[str, str], own: set[str]) -> dict[str, Any]:
    return {
        original: rec[original].strip()
        for norm, original in cols.items()
        if norm not in own and not norm.startswith("_") and not is_empty_value(rec.get(original))
    }


def _json(attrs: dict[str, Any]) -> str | None:
    return json.dumps(attrs, ensure_ascii=False, sort_keys=True) if attrs else None


def _elements(
    frame: pl.DataFrame, file: str, areas: dict[str, str], out: RawDataset, ns: str
) -> dict[str, str]:
    cols = {normalise_header(c): c for c in frame.columns}
    if "label" not in cols:
        out.problems.append(Problem(file, "1", _LABEL_COLUMN, say(RAW_TEXTS["missing_column"])))
        return {}
    actors: dict[str, list[Any]] = {
        k: [] for k in ("actor_id", "name", "kind", "description", "attributes")
    }
    extra: dict[str, list[Any]] = {k: [] for k in _ACTOR_PASSTHROUGH if k in cols}
    area_rows: dict[str, list[str | None]] = {
        "actor_id": [],
        "area_id": [],
        "source_id": [],
        "_r": [],
    }
    rows: list[str] = []
    label_to_id: dict[str, str] = {}
    seen_labels: dict[str, int] = {}
    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        label = _cell(rec, cols, "label")
        given_id = _cell(rec, cols, "id")
        actor_id = given_id or (slugify(label) if label else None)
        if actor_id and ns:
            actor_id = f"{ns}:{actor_id}"
        kumu_type = _cell(rec, cols, "type")
        kind = map_type(kumu_type, ACTOR_KINDS, KIND_SYNONYMS)
        attrs = _custom(rec, cols, _ELEMENT_OWN)
        if kumu_type and normalise_header(kumu_type) != kind:
            attrs[cols["type"]] = kumu_type
        other_tags = []
        for tag in (t.strip() for t in (_cell(rec, cols, "tags") or "").split("|")):
            if not tag:
                continue
            area = areas.get(normalise_header(tag))
            if area and actor_id:
                area_rows["actor_id"].append(actor_id)
                area_rows["area_id"].append(area)
                area_rows["source_id"].append(_cell(rec, cols, "source_id"))
                area_rows["_r"].append(str(i))
            else:
                other_tags.append(tag)
        if other_tags:
            attrs[cols["tags"]] = "|".join(other_tags)
        actors["actor_id"].append(actor_id)
        actors["name"].append(label)
        actors["kind"].append(kind or ("other" if label else None))
        actors["description"].append(_cell(rec, cols, "description"))
        actors["attributes"].append(_json(attrs))
        for k in extra:
            extra[k].append(rec.get(cols[k]))
        rows.append(str(i))
        if label and actor_id:
            seen_labels[label] = seen_labels.get(label, 0) + 1
            label_to_id[label] = actor_id
            label_to_id[actor_id] = actor_id
            if given_id:
                label_to_id[given_id] = actor_id
    for label, n in seen_labels.items():
        if n > 1:
            label_to_id.pop(label, None)  # an ambiguous label cannot name a connection end
    data = {**actors, **extra}
    tbl, problems, warnings = raw_table(
        "actors",
        pl.DataFrame(data, schema=dict.fromkeys(data, pl.String)),
        file,
        rows=rows,
        labels={"actor_id": "ID", "name": "Label", "kind": "Type", "description": "Description"},
    )
    out.tables.append(tbl)
    out.problems += problems
    out.warnings += warnings
    if area_rows["actor_id"]:
        frame_areas = pl.DataFrame(
            {k: area_rows[k] for k in ("actor_id", "area_id", "source_id")},
            schema=dict.fromkeys(("actor_id", "area_id", "source_id"), pl.String),
        )
        tbl, problems, _ = raw_table(
            "actor_areas",
            frame_areas,
            file,
            rows=[str(r) for r in area_rows["_r"]],
            labels={"area_id": "Tags"},
        )
        out.tables.append(tbl)
        out.problems += problems
    return label_to_id


def _connections(
    frame: pl.DataFrame, file: str, label_to_id: dict[str, str], out: RawDataset, ns: str
) -> None:
    cols = {_DATE_NAMES.get(n, n): c for n, c in ((normalise_header(c), c) for c in frame.columns)}
    for needed in ("from", "to"):
        if needed not in cols:
            out.problems.append(
                Problem(file, "1", needed.title(), say(RAW_TEXTS["missing_column"]))
            )
    if "from" not in cols or "to" not in cols:
        return
    records: list[dict[str, Any]] = []
    rows: list[str] = []
    counts = new_counts()
    prefix = slugify(file.split("[", 1)[0].rsplit(".", 1)[0])

    def resolve(name: str | None) -> str | None:
        if not name:
            return None
        return label_to_id.get(name) or (f"{ns}:{slugify(name)}" if ns else slugify(name))

    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        source = _cell(rec, cols, "from")
        targets = [t.strip() for t in (_cell(rec, cols, "to") or "").split("|") if t.strip()]
        kumu_type = _cell(rec, cols, "type")
        kind = map_type(kumu_type, RELATION_KINDS, RELATION_SYNONYMS)
        attrs = _custom(rec, cols, _CONNECTION_OWN)
        if kumu_type and normalise_header(kumu_type) != kind:
            attrs[cols["type"]] = kumu_type
        strength = _cell(rec, cols, "strength")
        weight: str | None = strength
        if strength is not None:
            try:
                number = float(strength.replace(",", "."))
            except ValueError:
                number = None
            if number is not None and number <= 0:
                attrs[cols["strength"]] = strength
                counts.low_weight += 1
                weight = None
        direction = (_cell(rec, cols, "direction") or "").lower()
        directed = {"directed": "true", "undirected": "false", "mutual": "false"}.get(
            direction, direction or "true"
        )
        given_id = _cell(rec, cols, "id")
        for n, target in enumerate(targets or [None], start=1):
            from_actor, to_actor = resolve(source), resolve(target)
            if from_actor is not None and from_actor == to_actor:
                counts.self_loops += 1
                continue
            records.append(
                {
                    "from_actor": from_actor,
                    "to_actor": to_actor,
                    "kind": kind or ("other" if kumu_type else None),
                    "directed": directed,
                    "weight": weight,
                    "description": _cell(rec, cols, "description"),
                    "start_date": _cell(rec, cols, "start_date"),
                    "end_date": _cell(rec, cols, "end_date"),
                    "source_id": _cell(rec, cols, "source_id"),
                    "attributes": _json(attrs),
                    "_edge_id": given_id,
                    "_position": f"c{i}" + (f".{n}" if len(targets) > 1 else ""),
                }
            )
            rows.append(str(i))
    records, rows = tidy_relations(records, rows, ns, counts, generated=prefix)
    out.warnings += counted_warnings(file, counts)
    if not records:
        return
    columns = list(records[0])
    rel = {c: [None if r.get(c) is None else str(r[c]) for r in records] for c in columns}
    tbl, problems, warnings = raw_table(
        "relations",
        pl.DataFrame(rel, schema=dict.fromkeys(rel, pl.String)),
        file,
        rows=rows,
        labels={
            "relation_id": "ID",
            "from_actor": "From",
            "to_actor": "To",
            "kind": "Type",
            "weight": "Strength",
            "directed": "Direction",
            "description": "Description",
        },
    )
    out.tables.append(tbl)
    out.problems += problems
    out.warnings += warnings


def kumu_to_raw(
    sheets: dict[str, pl.DataFrame],
    file: str,
    areas: dict[str, str],
    dataset: str | None = None,
) -> RawDataset:
    """Convert Kumu ``elements`` and/or ``connections`` sheets (String frames) to raw tables.

    Parameters
    ----------
    sheets:
        ``{"elements": frame, "connections": frame}`` (either may be missing), columns as Kumu
        names them.
    file:
        The file name used in messages (``map.xlsx`` → ``map.xlsx[Elements]``).
    areas:
        Known strength areas by normalised id or name, so tags can become area links.
    dataset:
        A namespace for element ids (``--dataset NAME``: ``name:peak-innovation``); without
        one, ids are Kumu's own (the ID column, else the label's slug), since Kumu names its
        elements rather than numbering them.
    """
    out = RawDataset()
    ns = slugify(dataset) if dataset else ""
    label_to_id: dict[str, str] = {}
    multi = len(sheets) > 1 or file.lower().endswith((".xlsx", ".xlsm"))
    if "elements" in sheets:
        where = f"{file}[Elements]" if multi else file
        label_to_id = _elements(sheets["elements"], where, areas, out, ns)
    if "connections" in sheets:
        where = f"{file}[Connections]" if multi else file
        _connections(sheets["connections"], where, label_to_id, out, ns)
    if not sheets:
        out.problems.append(Problem(file, "", "", say(TEXTS["no_sheet"])))
    return out


# --- export --------------------------------------------------------------------------------

_ELEMENT_COLUMNS = ("ID", "Label", "Type", "Description", "Tags")
_ELEMENT_FIELDS = ("Helix", "Municipality", "Region", "Lat", "Lon", "Website", "Source ID")
_CONNECTION_COLUMNS = (
    "ID", "From", "To", "Type", "Direction", "Strength", "Description", "Start Date",
    "End Date", "Source ID",
)  # fmt: skip


def _text(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "directed" if value else "undirected"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _own(attrs: dict[str, Any], name: str) -> Any:
    """The attribute that holds Kumu's own column ``name`` (``Type``, ``Tags``), any spelling."""
    return next((v for k, v in attrs.items() if normalise_header(k) == name), None)


def _attribute_columns(frame: pl.DataFrame, own: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    taken = {normalise_header(c) for c in own}
    for text in frame["attributes"].drop_nulls().to_list() if "attributes" in frame.columns else []:
        for key, value in json.loads(text).items():
            if (
                key not in names
                and normalise_header(key) not in taken
                and not isinstance(value, list | dict)
            ):
                names.append(key)
    return names


def write_kumu_workbook(tables: dict[str, pl.DataFrame], path: Path) -> None:
    """Write actors and relations as a Kumu workbook: an ``Elements`` and a ``Connections``
    sheet, our columns and every attribute a column of its own, as Kumu imports it.

    The sources and strength areas go on sheets Kumu skips (``sources (ignore)``,
    ``strength_areas (ignore)``), so importing the workbook again (``ecograph import``) gives
    identical sources, areas, actors, relations and area links: ``ID`` keeps the ids, ``Type`` is
    the original type text where there was one (else our kind), ``Tags`` lists the strength
    areas' names and the other tags, ``Direction`` is directed/undirected.
    """
    from openpyxl import Workbook

    actors = tables["actors"]
    relations = tables["relations"]
    area_names = dict(tables["strength_areas"].select("area_id", "name").iter_rows())
    areas_of: dict[str, list[str]] = {}
    for actor_id, area_id in tables["actor_areas"].select("actor_id", "area_id").iter_rows():
        areas_of.setdefault(actor_id, []).append(area_names.get(area_id, area_id))
    book = Workbook()
    book.remove(book.active)
    element_extra = _attribute_columns(actors, (*_ELEMENT_COLUMNS, *_ELEMENT_FIELDS))
    sheet = book.create_sheet("Elements")
    sheet.append([*_ELEMENT_COLUMNS, *_ELEMENT_FIELDS, *element_extra])
    for row in actors.iter_rows(named=True):
        attrs = json.loads(row["attributes"]) if row.get("attributes") else {}
        tags = [*areas_of.get(row["actor_id"], []), *filter(None, [_own(attrs, "tags")])]
        sheet.append(
            [
                row["actor_id"],
                row["name"],
                _own(attrs, "type") or row["kind"],
                row["description"],
                "|".join(tags) or None,
                row["helix"],
                row["municipality"],
                row["region"],
                row["lat"],
                row["lon"],
                row["website"],
                row["source_id"],
                *[_text(attrs.get(k)) for k in element_extra],
            ]
        )
    connection_extra = _attribute_columns(relations, _CONNECTION_COLUMNS)
    sheet = book.create_sheet("Connections")
    sheet.append([*_CONNECTION_COLUMNS, *connection_extra])
    for row in relations.iter_rows(named=True):
        attrs = json.loads(row["attributes"]) if row.get("attributes") else {}
        sheet.append(
            [
                row["relation_id"],
                row["from_actor"],
                row["to_actor"],
                _own(attrs, "type") or row["kind"],
                _text(row["directed"]),
                _own(attrs, "strength") or row["weight"],
                row["description"],
                _text(row["start_date"]),
                _text(row["end_date"]),
                row["source_id"],
                *[_text(attrs.get(k)) for k in connection_extra],
            ]
        )
    for side in KUMU_SIDE_TABLES:
        frame = tables[side]
        sheet = book.create_sheet(f"{side} (ignore)")
        sheet.append(list(frame.columns))
        for values in frame.iter_rows():
            sheet.append([_plain(v) for v in values])
    for ws in book.worksheets:
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if cell.data_type == "f":  # text from data stays text, never a formula
                    cell.data_type = "s"
    book.save(path)
