"""Kumu spreadsheets (Elements and Connections) as our actors, areas and relations.

Kumu's rules (see FORMATS.md): ``Label`` names an element, ``ID`` overrides it as the key; ``Type``,
``Description`` and ``Tags`` (several values separated by ``|``) are optional; connections name
their ends by label or ID in ``From``/``To`` (``To`` may list several, ``|``-separated), with
optional ``Type``, ``Label``, ``Strength`` and ``Direction`` (Kumu draws connections as directed
unless told otherwise). Types outside our vocabulary become ``other`` with the original kept in the
description; tags naming a known strength area become area links, other tags are kept as text.
"""

from __future__ import annotations

import polars as pl

from graph.errors import Problem
from graph.formats.rawdata import RawDataset, normalise_header, raw_table, slugify
from graph.formats.synonyms import KIND_SYNONYMS, RELATION_SYNONYMS, map_type
from graph.store.tables import ACTOR_KINDS, RELATION_KINDS

__all__ = [
    "KIND_SYNONYMS",
    "RELATION_SYNONYMS",
    "kumu_to_raw",
    "map_type",
]

_ACTOR_PASSTHROUGH = ("helix", "municipality", "region", "lat", "lon", "website", "source_id")


def _with_note(description: str | None, note: str | None) -> str | None:
    if not note:
        return description
    return f"{description} ({note})" if description else note


def _elements(frame: pl.DataFrame, file: str, areas: dict[str, str], out: RawDataset) -> dict:
    cols = {normalise_header(c): c for c in frame.columns}
    if "label" not in cols:
        out.problems.append(Problem(file, "1", "Label", "missing required column"))
        return {}
    actors: dict[str, list] = {k: [] for k in ("actor_id", "name", "kind", "description")}
    extra: dict[str, list] = {k: [] for k in _ACTOR_PASSTHROUGH if k in cols}
    area_rows: dict[str, list] = {"actor_id": [], "area_id": [], "_r": []}
    rows: list[str] = []
    label_to_id: dict[str, str] = {}
    seen_labels: dict[str, int] = {}
    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        label = (rec.get(cols["label"]) or "").strip() or None
        given_id = (rec.get(cols["id"]) or "").strip() if "id" in cols else ""
        actor_id = given_id or (slugify(label) if label else None)
        kumu_type = (rec.get(cols["type"]) or "").strip() or None if "type" in cols else None
        kind = map_type(kumu_type, ACTOR_KINDS, KIND_SYNONYMS)
        note = f"Kumu type: {kumu_type}" if kumu_type and kind is None else None
        tags = (rec.get(cols["tags"]) or "") if "tags" in cols else ""
        other_tags = []
        for tag in (t.strip() for t in tags.split("|")):
            if not tag:
                continue
            area = areas.get(normalise_header(tag))
            if area and actor_id:
                area_rows["actor_id"].append(actor_id)
                area_rows["area_id"].append(area)
                area_rows["_r"].append(str(i))
            else:
                other_tags.append(tag)
        if other_tags:
            note = "; ".join(filter(None, [note, "Tags: " + ", ".join(other_tags)]))
        description = rec.get(cols["description"]) if "description" in cols else None
        actors["actor_id"].append(actor_id)
        actors["name"].append(label)
        actors["kind"].append(kind or ("other" if label else None))
        actors["description"].append(_with_note(description, note))
        for k in extra:
            extra[k].append(rec.get(cols[k]))
        rows.append(str(i))
        if label and actor_id:
            seen_labels[label] = seen_labels.get(label, 0) + 1
            label_to_id[label] = actor_id
            label_to_id[actor_id] = actor_id
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
            {"actor_id": area_rows["actor_id"], "area_id": area_rows["area_id"]}
        )
        tbl, problems, _ = raw_table(
            "actor_areas", frame_areas, file, rows=area_rows["_r"], labels={"area_id": "Tags"}
        )
        out.tables.append(tbl)
        out.problems += problems
    return label_to_id


def _connections(
    frame: pl.DataFrame, file: str, label_to_id: dict[str, str], out: RawDataset
) -> None:
    cols = {normalise_header(c): c for c in frame.columns}
    for needed in ("from", "to"):
        if needed not in cols:
            out.problems.append(Problem(file, "1", needed.title(), "missing required column"))
    if "from" not in cols or "to" not in cols:
        return
    rel: dict[str, list] = {
        k: [] for k in ("from_actor", "to_actor", "kind", "directed", "weight", "description")
    }
    rows: list[str] = []

    def resolve(name: str | None) -> str | None:
        if not name:
            return None
        return label_to_id.get(name) or slugify(name)

    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        source = (rec.get(cols["from"]) or "").strip() or None
        targets = [t.strip() for t in (rec.get(cols["to"]) or "").split("|") if t.strip()] or [None]
        kumu_type = (rec.get(cols["type"]) or "").strip() or None if "type" in cols else None
        kind = map_type(kumu_type, RELATION_KINDS, RELATION_SYNONYMS)
        note = f"Kumu type: {kumu_type}" if kumu_type and kind is None else None
        label = rec.get(cols["label"]) if "label" in cols else None
        description = rec.get(cols["description"]) if "description" in cols else None
        text = "; ".join(filter(None, [label, description])) or None
        direction = (
            (rec.get(cols["direction"]) or "").strip().lower() if "direction" in cols else ""
        )
        directed = {"directed": "true", "undirected": "false", "mutual": "false"}.get(
            direction, direction or "true"
        )
        for target in targets:
            rel["from_actor"].append(resolve(source))
            rel["to_actor"].append(resolve(target))
            rel["kind"].append(kind or ("other" if kumu_type else None))
            rel["directed"].append(directed)
            rel["weight"].append(rec.get(cols["strength"]) if "strength" in cols else None)
            rel["description"].append(_with_note(text, note))
            rows.append(str(i))
    tbl, problems, warnings = raw_table(
        "relations",
        pl.DataFrame(rel, schema=dict.fromkeys(rel, pl.String)),
        file,
        rows=rows,
        labels={
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


def kumu_to_raw(sheets: dict[str, pl.DataFrame], file: str, areas: dict[str, str]) -> RawDataset:
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
    """
    out = RawDataset()
    label_to_id: dict[str, str] = {}
    multi = len(sheets) > 1 or file.lower().endswith((".xlsx", ".xlsm"))
    if "elements" in sheets:
        where = f"{file}[Elements]" if multi else file
        label_to_id = _elements(sheets["elements"], where, areas, out)
    if "connections" in sheets:
        where = f"{file}[Connections]" if multi else file
        _connections(sheets["connections"], where, label_to_id, out)
    if not sheets:
        out.problems.append(Problem(file, "", "", "no Elements or Connections sheet"))
    return out
