"""The data tables users import and export: their columns, types, keys and references.

One description serves the validator, the writer and every exporter, so a column added here is
read, checked, stored and written everywhere. The SQL definition lives in ``schema.sql``; a test
checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Provenance columns that frames on their way into the database carry for error messages:
# the file and the row (as a spreadsheet shows it) each row came from.
FILE_COL = "_file"
ROW_COL = "_row"

__all__ = [
    "ACTIVITY_KINDS",
    "ACTOR_KINDS",
    "FILE_COL",
    "HELICES",
    "RELATION_KINDS",
    "ROLES",
    "ROW_COL",
    "TABLES",
    "TABLE_ORDER",
    "Column",
    "ColumnType",
    "Reference",
    "TableSpec",
]

# The controlled vocabularies, in the order of the ENUM types of schema.sql (the database is the
# authority; tests/test_store.py checks that these copies agree). Code that has no connection at
# hand (Kumu's type mapping, the synthetic generator) uses these.
ACTOR_KINDS: tuple[str, ...] = (
    "region", "public_agency", "municipality", "business_support", "design_org", "cluster",
    "coworking", "company", "academia", "research_institute", "civil_society", "sami_org",
    "funder", "other",
)  # fmt: skip
HELICES: tuple[str, ...] = ("public", "industry", "academia", "civil_society")
ROLES: tuple[str, ...] = ("lead", "partner", "cofinancer", "funder", "member", "target_group")
RELATION_KINDS: tuple[str, ...] = (
    "partnership", "membership", "funding", "ownership", "hosting", "advice", "other",
)  # fmt: skip
ACTIVITY_KINDS: tuple[str, ...] = (
    "project", "programme", "learning_lab", "funding_call", "network", "other",
)  # fmt: skip

ColumnType = Literal["id", "text", "date", "float", "bool", "enum", "json"]


@dataclass(frozen=True)
class Column:
    """One column of an importable table.

    ``enum`` names the DuckDB ENUM type whose values are allowed (for ``type == "enum"``).
    ``default`` is what an empty cell means when the column is optional and has a default.
    """

    name: str
    type: ColumnType = "text"
    required: bool = False
    enum: str | None = None
    default: str | None = None
    nonnegative: bool = False
    positive: bool = False


@dataclass(frozen=True)
class Reference:
    """A column whose values must be the key of a row in another table."""

    column: str
    table: str
    what: str  # how the message names the referenced thing: "actor", "activity", ...


@dataclass(frozen=True)
class TableSpec:
    """An importable table: columns in file order, its key and its references."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


_SOURCE_REF = Reference("source_id", "sources", "source")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "sources",
            (
                Column("source_id", "id", required=True),
                Column("title", required=True),
                Column("publisher"),
                Column("url"),
                Column("published", "date"),
                Column("note"),
                Column("synthetic", "bool", default="false"),
                Column("auto", "bool", default="false"),
            ),
            key=("source_id",),
        ),
        TableSpec(
            "strength_areas",
            (
                Column("area_id", "id", required=True),
                Column("name", required=True),
                Column("description"),
                Column("source_id", "id"),
            ),
            key=("area_id",),
            references=(_SOURCE_REF,),
        ),
        TableSpec(
            "actors",
            (
                Column("actor_id", "id", required=True),
                Column("name", required=True),
                Column("kind", "enum", required=True, enum="actor_kind"),
                Column("helix", "enum", enum="helix"),
                Column("municipality"),
                Column("region"),
                Column("lat", "float"),
                Column("lon", "float"),
                Column("website"),
                Column("description"),
                Column("source_id", "id"),
                Column("attributes", "json"),
            ),
            key=("actor_id",),
            references=(_SOURCE_REF,),
        ),
        TableSpec(
            "actor_areas",
            (
                Column("actor_id", "id", required=True),
                Column("area_id", "id", required=True),
                Column("source_id", "id"),
            ),
            key=("actor_id", "area_id"),
            references=(
                Reference("actor_id", "actors", "actor"),
                Reference("area_id", "strength_areas", "strength area"),
                _SOURCE_REF,
            ),
        ),
        TableSpec(
            "activities",
            (
                Column("activity_id", "id", required=True),
                Column("name", required=True),
                Column("kind", "enum", enum="activity_kind", default="project"),
                Column("start_date", "date"),
                Column("end_date", "date"),
                Column("budget_sek", "float", nonnegative=True),
                Column("programme"),
                Column("part_of", "id"),
                Column("description"),
                Column("source_id", "id"),
            ),
            key=("activity_id",),
            references=(Reference("part_of", "activities", "activity"), _SOURCE_REF),
        ),
        TableSpec(
            "participations",
            (
                Column("activity_id", "id", required=True),
                Column("actor_id", "id", required=True),
                Column("role", "enum", enum="participation_role", default="partner"),
                Column("contribution_sek", "float", nonnegative=True),
                Column("source_id", "id"),
            ),
            key=("activity_id", "actor_id"),
            references=(
                Reference("activity_id", "activities", "activity"),
                Reference("actor_id", "actors", "actor"),
                _SOURCE_REF,
            ),
        ),
        TableSpec(
            "relations",
            (
                Column("relation_id", "id"),
                Column("from_actor", "id", required=True),
                Column("to_actor", "id", required=True),
                Column("kind", "enum", enum="relation_kind", default="partnership"),
                Column("directed", "bool", default="false"),
                Column("start_date", "date"),
                Column("end_date", "date"),
                Column("weight", "float", default="1", positive=True),
                Column("description"),
                Column("source_id", "id"),
                Column("attributes", "json"),
            ),
            key=("relation_id",),
            references=(
                Reference("from_actor", "actors", "actor"),
                Reference("to_actor", "actors", "actor"),
                _SOURCE_REF,
            ),
        ),
        TableSpec(
            "actor_aliases",
            (
                Column("actor_id", "id", required=True),
                Column("alias", required=True),
                Column("source_id", "id"),
            ),
            key=("actor_id", "alias"),
            references=(Reference("actor_id", "actors", "actor"), _SOURCE_REF),
        ),
        TableSpec(
            "wanted_ties",
            (
                Column("wanted_id", "id", required=True),
                Column("activity_id", "id", required=True),
                Column("from_actor", "id", required=True),
                Column("to_actor", "id", required=True),
                Column("obstacle"),
                Column("source_id", "id"),
            ),
            key=("wanted_id",),
            references=(
                Reference("activity_id", "activities", "activity"),
                Reference("from_actor", "actors", "actor"),
                Reference("to_actor", "actors", "actor"),
                _SOURCE_REF,
            ),
        ),
    )
}

# Parents before children: the order in which tables are written and validated.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

# When two participations of one actor in one activity become one (two registrations of one
# organisation in a CORDIS project, or a merge of two actors), the role earlier here is kept.
ROLE_PRIORITY: tuple[str, ...] = (
    "lead",
    "cofinancer",
    "funder",
    "partner",
    "member",
    "target_group",
)
