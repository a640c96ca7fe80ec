"""What the read-only console may run, decided from DuckDB's own parse tree.

A keyword at the start of the text says little (``WITH x AS (DELETE … RETURNING *) SELECT …``
starts like a query), so every statement is parsed by DuckDB and serialised to JSON with
``json_serialize_sql``; the tree is then walked:

- every query node must be a SELECT (a CTE holding DELETE, INSERT or UPDATE is a write);
- every table function must be on ``ALLOWED_TABLE_FUNCTIONS`` (``read_blob``, ``read_text``,
  ``read_csv``, ``read_duckdb``, ``glob``, ``query`` and the rest are refused by name, so even the
  database's own file cannot be read as bytes);
- a table name that looks like a path (``'actors.csv'``, ``"/tmp/x"``) is a replacement scan of a
  file and is refused;
- functions that show server paths or settings (``current_setting``, ``duckdb_settings()``,
  ``duckdb_databases()``) are refused, so no viewer learns where the files live.

The sandboxed connection (no external access, locked configuration) stays the second wall.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb

from graph.i18n import N_, translator

__all__ = [
    "ALLOWED_TABLE_FUNCTIONS",
    "REFUSED_FUNCTIONS",
    "StatementRefusal",
    "refusal",
]

# Table functions that compute rows or describe the schema and read no file and show no path.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "json_each",
        "json_tree",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_constraints",
        "duckdb_indexes",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_functions",
        "duckdb_keywords",
        "duckdb_sequences",
        "pragma_table_info",
        "pragma_show",
        "repeat",
        "repeat_row",
        "summary",
    }
)
# Scalar functions that read server state a viewer must not see.
# The refusals, said in the language chosen for the work in hand (the sandbox's child is told it).
TEXTS = {
    "not_select": N_("only SELECT statements run here (this one does something else)"),
    "write": N_(
        "the statement holds a {action} (a write, even inside WITH); data changes only "
        "through `ecograph query --write`"
    ),
    "hides_paths": N_("{name}() shows server paths and settings, which the console hides"),
    "reads_files": N_("{name}() reads files, which the read-only console does not allow"),
    "function": N_(
        "{name}() is not allowed in the read-only console (allowed table functions: {allowed})"
    ),
    "file": N_("reading the file {file} is not allowed in the read-only console"),
    "settings": N_("{name}() shows server settings, which the console hides"),
}
REFUSED_FUNCTIONS = frozenset({"current_setting", "getenv", "duckdb_settings", "version_path"})
_FILE_READERS = ("read_", "parquet_", "glob", "sniff_csv", "query", "iceberg", "delta", "sqlite")
_SELECT_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})
_PATH_MARKS = ("/", "\\", ":", "~")
_FILE_SUFFIXES: tuple[str, ...] = (
    *(".csv", ".tsv", ".parquet", ".json", ".jsonl", ".ndjson", ".txt", ".gz", ".zst"),
    *(".duckdb", ".db", ".xlsx", ".arrow", ".ipc", ".wal", ".tmp", ".zip"),
)


class StatementRefusal(Exception):
    """Why the console refuses a statement (one sentence for the person who wrote it)."""


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _looks_like_path(name: str) -> bool:
    lowered = name.lower().strip('"')
    return any(m in lowered for m in _PATH_MARKS) or lowered.endswith(_FILE_SUFFIXES)


def refusal(con: duckdb.DuckDBPyConnection, statement_sql: str) -> str | None:
    """Why ``statement_sql`` (one SELECT, as DuckDB extracted it) may not run, or None.

    Examples
    --------
    >>> con = duckdb.connect()
    >>> refusal(con, "SELECT * FROM range(3)") is None
    True
    >>> refusal(con, "SELECT * FROM read_blob('x.duckdb')")
    'read_blob() reads files, which the read-only console does not allow'
    """
    t = translator()
    rows = con.execute("SELECT json_serialize_sql(?)", [statement_sql]).fetchall()
    raw = rows[0] if rows else None
    tree = json.loads(raw[0]) if raw else {"error": True}
    if tree.get("error"):
        return t.gettext(TEXTS["not_select"])
    for node in _nodes(tree):
        kind = node.get("type")
        if isinstance(kind, str) and kind.endswith("_NODE") and kind not in _SELECT_NODES:
            action = kind.removesuffix("_QUERY_NODE").removesuffix("_NODE")
            return t.gettext(TEXTS["write"]).format(action=action)
        if kind == "TABLE_FUNCTION":
            name = str((node.get("function") or {}).get("function_name", "")).lower()
            if name not in ALLOWED_TABLE_FUNCTIONS:
                if name in ("duckdb_databases", "duckdb_settings", "pragma_database_list"):
                    return t.gettext(TEXTS["hides_paths"]).format(name=name)
                if name.startswith(_FILE_READERS) or name.endswith("_scan"):
                    return t.gettext(TEXTS["reads_files"]).format(name=name)
                allowed = ", ".join(sorted(ALLOWED_TABLE_FUNCTIONS))
                return t.gettext(TEXTS["function"]).format(name=name, allowed=allowed)
        elif kind == "BASE_TABLE":
            name = str(node.get("table_name", ""))
            if _looks_like_path(name):
                shown = name.strip('"').replace("\\", "/").rsplit("/", 1)[-1]
                return t.gettext(TEXTS["file"]).format(file=repr(shown))
        elif node.get("class") == "FUNCTION":
            name = str(node.get("function_name", "")).lower()
            if name in REFUSED_FUNCTIONS:
                return t.gettext(TEXTS["settings"]).format(name=name)
    return None
