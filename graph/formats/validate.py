"""Check raw tables against the data model and turn them into typed rows.

Every rule runs on whole columns (polars expressions), so a million rows are checked in seconds,
and every broken rule is reported, not only the first: ``file:row:column: reason``. Rules:
missing required value, unknown vocabulary value (the allowed ones listed), bad date, bad number,
negative amount, end before start, relation from an actor to itself, duplicate id, and a
reference to an actor, activity, area or source that neither the import nor the database holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import duckdb
import polars as pl

from graph.errors import Problem
from graph.formats.messages import reason_expr
from graph.formats.rawdata import FILE_COL, ROW_COL, RawDataset, RawTable
from graph.i18n import N_
from graph.store.database import vocabulary
from graph.store.tables import TABLE_ORDER, TABLES, Column

__all__ = ["Validated", "auto_source_id", "canonical_json", "validate"]

# Characters Excel and XML 1.0 cannot store (tab, line feed and carriage return they can): they
# come from copy and paste, never from a name, and would make every export fail.
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
# A date, optionally with a time whose parts are in range (2024-01-01T25:61 is no time).
_DATE_RE = r"^\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?$"
# Columns whose numbers have a range (the schema's CHECK, found here with file, row and column).
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("actors", "lat"): (-90.0, 90.0),
    ("actors", "lon"): (-180.0, 180.0),
}
_TRUE = ["true", "1", "yes", "ja", "y", "t"]
_FALSE = ["false", "0", "no", "nej", "n", "f"]
TEXTS = {
    "missing": N_("missing required value"),
    "bad_date": N_("bad date '{value}' (use YYYY-MM-DD)"),
    "not_a_number": N_("not a number '{value}'"),
    "outside": N_("{value} is outside {lowest}..{highest}"),
    "negative": N_("negative amount '{value}'"),
    "not_positive": N_("must be greater than 0, not '{value}'"),
    "not_bool": N_("not true or false: '{value}'"),
    "not_json": N_('not a JSON object {value} (write {{"name": value, ...}})'),
    "control": N_(
        "a control character ({char}) in the text: remove it (no spreadsheet or XML file can "
        "hold it)"
    ),
    "same_row": N_("row {row}"),
    "other_file_row": N_("{file} row {row}"),
    "duplicate_relation": N_("duplicate relation: same actors, kind and dates as {where}"),
    "duplicate_id": N_("duplicate id '{key}' (first on {where})"),
    "end_before_start": N_("end date {end} is before start date {start}"),
    "self_loop": N_("relation from actor '{value}' to itself"),
    "unknown_reference": N_("unknown {what} '{value}'"),
}
# A value outside a vocabulary, said for each vocabulary (the allowed values are the data's own).
_UNKNOWN_VALUE_TEXTS = {
    "actor_kind": N_("unknown kind '{value}' (allowed: {allowed})"),
    "activity_kind": N_("unknown activity kind '{value}' (allowed: {allowed})"),
    "relation_kind": N_("unknown relation kind '{value}' (allowed: {allowed})"),
    "participation_role": N_("unknown role '{value}' (allowed: {allowed})"),
    "helix": N_("unknown helix '{value}' (allowed: {allowed})"),
}
# A reference to nothing the import or the database holds, said for each thing referred to
# (``Reference.what`` in graph.store.tables).
_UNKNOWN_REFERENCE_TEXTS = {
    "actor": N_("unknown actor '{value}'"),
    "activity": N_("unknown activity '{value}'"),
    "strength area": N_("unknown strength area '{value}'"),
    "source": N_("unknown source '{value}'"),
}


@dataclass
class Validated:
    """Typed rows ready to write, the columns each file gave, and what was wrong."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    present: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def auto_source_id(file: str) -> str:
    """The source given to rows of ``file`` that name none (stable, so re-imports agree)."""
    return f"file:{file.split('[', 1)[0]}"


def _no_constant(name: str) -> None:
    raise ValueError(name)


def canonical_json(text: str) -> str | None:
    """A JSON object in one spelling (sorted keys), or None when ``text`` is not one.

    Stored attributes are compared and exported as text, so two spellings of one object
    (key order, spacing) must become one, or a round trip through another format would change
    them. NaN and Infinity, which JSON does not have, are refused.

    >>> canonical_json('{"b": 1,"a" :[true, null]}')
    '{"a": [true, null], "b": 1}'
    >>> canonical_json("[1]") is None
    True
    """
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _problems(frame: pl.DataFrame, column: str, reason: pl.Expr) -> list[Problem]:
    """One Problem per row of ``frame`` (already filtered to the bad rows)."""
    if frame.height == 0:
        return []
    rows = frame.select(FILE_COL, ROW_COL, reason.alias("_reason")).rows()
    return [Problem(f, r, column, why) for f, r, why in rows]


def _parse_cells(tbl: RawTable, vocab: dict[str, list[str]]) -> tuple[pl.DataFrame, list[Problem]]:
    """Convert one raw table's cells to their types; report the cells that do not convert."""
    spec = TABLES[tbl.table]
    frame = tbl.frame
    problems: list[Problem] = []
    converted: list[pl.Expr] = []
    for name in tbl.present:
        col: Column = spec.column(name)
        label = tbl.label(name)
        raw = pl.col(name)
        if col.required:
            problems += _problems(frame.filter(raw.is_null()), label, reason_expr(TEXTS["missing"]))
        if col.type == "date":
            parsed = (
                pl.when(raw.str.contains(_DATE_RE))
                .then(raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
                .otherwise(None)
            )
            bad = frame.filter(raw.is_not_null() & parsed.is_null())
            problems += _problems(bad, label, reason_expr(TEXTS["bad_date"], value=raw))
            converted.append(parsed.alias(name))
        elif col.type == "float":
            cleaned = raw.str.replace_all(r"[\s\u00a0\u202f]", "")
            cleaned = (
                pl.when(cleaned.str.contains(",") & ~cleaned.str.contains(r"\."))
                .then(cleaned.str.replace(",", ".", literal=True))
                .otherwise(cleaned)
            )
            number = cleaned.cast(pl.Float64, strict=False)
            number = pl.when(number.is_finite()).then(number).otherwise(None)
            bad = frame.filter(raw.is_not_null() & number.is_null())
            problems += _problems(bad, label, reason_expr(TEXTS["not_a_number"], value=raw))
            if (tbl.table, name) in _RANGES:
                lowest, highest = _RANGES[(tbl.table, name)]
                outside = frame.filter((number < lowest) | (number > highest))
                why = reason_expr(
                    TEXTS["outside"], value=raw, lowest=f"{lowest:g}", highest=f"{highest:g}"
                )
                problems += _problems(outside, label, why)
            if col.nonnegative:
                neg = frame.filter(number < 0)
                problems += _problems(neg, label, reason_expr(TEXTS["negative"], value=raw))
            if col.positive:
                nonpos = frame.filter(number <= 0)
                problems += _problems(nonpos, label, reason_expr(TEXTS["not_positive"], value=raw))
            if col.default is not None:
                number = number.fill_null(float(col.default))
            converted.append(number.alias(name))
        elif col.type == "bool":
            low = raw.str.to_lowercase()
            value = (
                pl.when(low.is_in(_TRUE))
                .then(True)
                .when(low.is_in(_FALSE))
                .then(False)
                .otherwise(None)
            )
            bad = frame.filter(raw.is_not_null() & value.is_null())
            problems += _problems(bad, label, reason_expr(TEXTS["not_bool"], value=raw))
            if col.default is not None:
                value = value.fill_null(col.default == "true")
            converted.append(value.alias(name))
        elif col.type == "enum":
            assert col.enum is not None
            allowed = vocab[col.enum]
            value = raw.str.to_lowercase().str.replace_all(r"[\s\-]+", "_")
            bad = frame.filter(raw.is_not_null() & ~value.is_in(allowed))
            why = reason_expr(_UNKNOWN_VALUE_TEXTS[col.enum], value=raw, allowed=", ".join(allowed))
            problems += _problems(bad, label, why)
            if col.default is not None:
                value = value.fill_null(col.default)
            converted.append(value.alias(name))
        elif col.type == "json" and tbl.canonical_json:
            converted.append(raw)
        elif col.type == "json":
            canonical = raw.map_elements(canonical_json, return_dtype=pl.String, skip_nulls=True)
            bad = frame.filter(raw.is_not_null() & canonical.is_null())
            shown = (
                pl.when(raw.str.len_chars() > 40)
                .then(pl.lit("'") + raw.str.slice(0, 40) + pl.lit("…'"))
                .otherwise(pl.lit("'") + raw + pl.lit("'"))
            )
            problems += _problems(bad, label, reason_expr(TEXTS["not_json"], value=shown))
            converted.append(canonical.alias(name))
        else:
            bad = frame.filter(raw.str.contains(_CONTROL))
            char = raw.str.extract(f"({_CONTROL})").map_elements(
                lambda c: f"U+{ord(c):04X}", return_dtype=pl.String
            )
            problems += _problems(bad, label, reason_expr(TEXTS["control"], char=char))
            converted.append(raw)
    typed = frame.select([*converted, pl.col(FILE_COL), pl.col(ROW_COL)])
    return typed, problems


def _duplicates(frame: pl.DataFrame, table: str, labels: dict[str, str]) -> list[Problem]:
    """Rows whose key repeats an earlier row of the same import."""
    key = list(TABLES[table].key)
    if not set(key) <= set(frame.columns):
        return []
    indexed = frame.with_row_index("_i")
    first = (
        indexed.group_by(key)
        .agg(pl.col("_i").min().alias("_first_i"), pl.len().alias("_n"))
        .filter(pl.col("_n") > 1)
    )
    if first.height == 0:
        return []
    firsts = indexed.select(
        pl.col("_i").alias("_first_i"),
        pl.col(FILE_COL).alias("_first_file"),
        pl.col(ROW_COL).alias("_first_row"),
    )
    dupes = (
        indexed.join(first, on=key)
        .filter(pl.col("_i") != pl.col("_first_i"))
        .join(firsts, on="_first_i")
    )
    key_text = pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=", ")
    where = (
        pl.when(pl.col("_first_file") == pl.col(FILE_COL))
        .then(reason_expr(TEXTS["same_row"], row=pl.col("_first_row")))
        .otherwise(
            reason_expr(
                TEXTS["other_file_row"], file=pl.col("_first_file"), row=pl.col("_first_row")
            )
        )
    )
    reason = reason_expr(TEXTS["duplicate_id"], key=key_text, where=where)
    if table == "relations" and "_generated_id" in frame.columns:
        reason = (
            pl.when(pl.col("_generated_id"))
            .then(reason_expr(TEXTS["duplicate_relation"], where=where))
            .otherwise(reason)
        )
    label = labels.get(key[-1], key[-1]) if len(key) == 1 else ", ".join(key)
    return _problems(dupes, label, reason)


def _generate_relation_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Give relations without an id a stable one made from their content (md5, which is stable
    across versions, unlike polars' hash), so re-importing the file finds them again.
    """
    if "relation_id" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("relation_id"))
    missing = pl.col("relation_id").is_null()
    if frame.filter(missing).height == 0:
        return frame.with_columns(pl.lit(False).alias("_generated_id"))
    parts = [
        pl.col(c).cast(pl.String).fill_null("") if c in frame.columns else pl.lit("")
        for c in ("from_actor", "to_actor", "kind", "start_date", "end_date")
    ]
    content = frame.select(pl.concat_str(parts, separator="|"))[:, 0]
    hashed = pl.Series([hashlib.md5(text.encode()).hexdigest()[:16] for text in content])
    generated = pl.lit("rel-") + hashed
    return frame.with_columns(
        pl.when(missing).then(generated).otherwise(pl.col("relation_id")).alias("relation_id"),
        missing.alias("_generated_id"),
    )


def _known_keys(
    con: duckdb.DuckDBPyConnection, table: str, incoming: pl.DataFrame | None, replace: bool
) -> pl.Series:
    key = TABLES[table].key[0]
    parts = []
    if incoming is not None and key in incoming.columns:
        parts.append(incoming[key].drop_nulls())
    if not replace:
        parts.append(con.sql(f"SELECT {key} FROM {table}").pl()[key])
    if not parts:
        return pl.Series(key, [], dtype=pl.String)
    return pl.concat(parts).unique()


def validate(
    raw: RawDataset, con: duckdb.DuckDBPyConnection, *, replace: bool = False
) -> Validated:
    """Check everything read for an import and return typed tables, or the problems found.

    Parameters
    ----------
    raw:
        What the readers produced (with any problems they already found).
    con:
        The target database: its vocabularies, and its rows for references (unless ``replace``).
    replace:
        The import will replace the whole dataset, so references may only point into it.
    """
    out = Validated(problems=list(raw.problems), warnings=list(raw.warnings))
    vocab = {e: vocabulary(con, e) for e in _UNKNOWN_VALUE_TEXTS}
    default_helix = dict(
        con.execute(
            "SELECT CAST(kind AS VARCHAR), CAST(default_helix AS VARCHAR) FROM actor_kinds"
        ).fetchall()
    )
    labels: dict[str, dict[str, str]] = {}
    for name in TABLE_ORDER:
        parts = raw.by_table(name)
        if not parts:
            continue
        typed_parts = []
        for tbl in parts:
            typed, problems = _parse_cells(tbl, vocab)
            out.problems += problems
            typed_parts.append(typed)
            for col, lab in tbl.labels.items():
                labels.setdefault(name, {}).setdefault(col, lab)
        frame = pl.concat(typed_parts, how="diagonal_relaxed")
        frame = _fill_defaults(frame, name)
        out.present[name] = [c for c in TABLES[name].column_names if c in frame.columns]
        out.tables[name] = frame
    _fill_derived(out, default_helix)
    for name, frame in out.tables.items():
        out.problems += _duplicates(frame, name, labels.get(name, {}))
        out.problems += _row_rules(frame, name, labels.get(name, {}))
    for name, frame in out.tables.items():
        for ref in TABLES[name].references:
            if ref.column not in frame.columns:
                continue
            known = _known_keys(con, ref.table, out.tables.get(ref.table), replace)
            bad = frame.filter(
                pl.col(ref.column).is_not_null() & ~pl.col(ref.column).is_in(known.implode())
            )
            out.problems += _problems(
                bad,
                labels.get(name, {}).get(ref.column, ref.column),
                _unknown_reference(ref.what, pl.col(ref.column)),
            )
    out.problems.sort(key=_problem_order)
    return out


def _unknown_reference(what: str, value: pl.Expr) -> pl.Expr:
    """The reason of a reference to nothing known: its own message for each thing referred to,
    the general one (``what`` in English) for a thing added to the tables later."""
    if what in _UNKNOWN_REFERENCE_TEXTS:
        return reason_expr(_UNKNOWN_REFERENCE_TEXTS[what], value=value)
    return reason_expr(TEXTS["unknown_reference"], what=what, value=value)


def _fill_defaults(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """A column's default where a file had no such column: two files of one table, one with
    weights and one without, must not leave the second one's rows without a weight."""
    fills = []
    for col in TABLES[table].columns:
        if col.default is None or col.name not in frame.columns:
            continue
        value: object = col.default
        if col.type == "float":
            value = float(col.default)
        elif col.type == "bool":
            value = col.default == "true"
        fills.append(pl.col(col.name).fill_null(pl.lit(value)))
    return frame.with_columns(fills) if fills else frame


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, int(p.row) if p.row.isdigit() else 0, p.row, p.column)


def _fill_derived(out: Validated, default_helix: dict[str, str | None]) -> None:
    """Derived values: relation ids, the kind's helix, and a source for unsourced rows."""
    if "relations" in out.tables:
        out.tables["relations"] = _generate_relation_ids(out.tables["relations"])
        if "relation_id" not in out.present["relations"]:
            out.present["relations"].insert(0, "relation_id")
    if "actors" in out.tables and "kind" in out.tables["actors"].columns:
        actors = out.tables["actors"]
        derived = pl.col("kind").replace_strict(default_helix, default=None, return_dtype=pl.String)
        helix = pl.coalesce(pl.col("helix"), derived) if "helix" in actors.columns else derived
        out.tables["actors"] = actors.with_columns(helix.alias("helix"))
        if "helix" not in out.present["actors"]:
            out.present["actors"].insert(3, "helix")
    auto_files: set[str] = set()
    for name, frame in out.tables.items():
        if name == "sources":
            continue
        sid = pl.col("source_id") if "source_id" in frame.columns else pl.lit(None, pl.String)
        auto = (
            pl.col(FILE_COL)
            .str.replace(r"\[.*$", "")
            .map_elements(auto_source_id, return_dtype=pl.String)
            if frame.height
            else pl.lit(None, pl.String)
        )
        filled = frame.with_columns(pl.coalesce(sid, auto).alias("source_id"))
        unsourced = frame.filter(sid.is_null()) if "source_id" in frame.columns else frame
        auto_files.update(unsourced[FILE_COL].str.replace(r"\[.*$", "").unique().to_list())
        out.tables[name] = filled
        if "source_id" not in out.present[name]:
            out.present[name].append("source_id")
    if auto_files:
        rows = [
            {
                "source_id": auto_source_id(f),
                "title": f"Imported file {f} (no source named)",
                "note": f"Created by ecograph: rows imported from {f} named no source",
                "synthetic": False,
                "auto": True,
                FILE_COL: f,
                ROW_COL: "-",
            }
            for f in sorted(auto_files)
        ]
        extra = pl.DataFrame(rows)
        given = out.tables.get("sources")
        if given is not None:
            extra = extra.filter(
                ~pl.col("source_id").is_in(given["source_id"].drop_nulls().implode())
            )
            out.tables["sources"] = pl.concat([given, extra], how="diagonal_relaxed")
        else:
            out.tables["sources"] = extra
            out.present["sources"] = ["source_id", "title", "note", "synthetic", "auto"]


def _row_rules(frame: pl.DataFrame, table: str, labels: dict[str, str]) -> list[Problem]:
    """Rules that compare columns of one row: dates in order, no self-loops."""
    problems: list[Problem] = []
    if {"start_date", "end_date"} <= set(frame.columns):
        bad = frame.filter(pl.col("end_date") < pl.col("start_date"))
        problems += _problems(
            bad,
            labels.get("end_date", "end_date"),
            reason_expr(
                TEXTS["end_before_start"],
                end=pl.col("end_date").cast(pl.String),
                start=pl.col("start_date").cast(pl.String),
            ),
        )
    if table == "relations" and {"from_actor", "to_actor"} <= set(frame.columns):
        bad = frame.filter(pl.col("from_actor") == pl.col("to_actor"))
        problems += _problems(
            bad,
            labels.get("to_actor", "to_actor"),
            reason_expr(TEXTS["self_loop"], value=pl.col("from_actor")),
        )
    return problems
