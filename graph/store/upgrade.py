"""Bring an older database up to ``schema.sql``: new tables, columns, vocabulary values, views.

Every schema change of a release is written in ``schema.sql`` only; this module compares a file
with a fresh copy of the schema (built in memory) and adds what the file lacks, so the data in it
stays as it was. What it can do is additive: a missing table or index is created, a missing
column is added (with its default; a CHECK on a new column is not added to old rows' table), a
vocabulary (ENUM) that gained values is widened, and the views are created anew. Removing or
renaming a column needs a migration function of its own in ``database.MIGRATIONS``.
"""

from __future__ import annotations

import duckdb

__all__ = ["upgrade_to_schema"]


def _views(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
    ).fetchall()
    return dict(rows)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, tuple[str, str | None]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type, column_default FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name IN "
        "(SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main') "
        "ORDER BY table_name, column_index"
    ).fetchall()
    out: dict[str, dict[str, tuple[str, str | None]]] = {}
    for table, column, dtype, default in rows:
        out.setdefault(table, {})[column] = (dtype, default)
    return out


def _enums(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT type_name, labels FROM duckdb_types() "
        "WHERE logical_type = 'ENUM' AND schema_name = 'main' AND labels IS NOT NULL"
    ).fetchall()
    return {name: list(labels) for name, labels in rows}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade_to_schema(con: duckdb.DuckDBPyConnection, schema_sql: str) -> list[str]:
    """Add to ``con``'s database what ``schema_sql`` has and it lacks; return what was done.

    Runs inside the caller's transaction. Views are dropped first and created from the schema at
    the end, since DuckDB cannot change a column that a view reads.
    """
    target = duckdb.connect()
    try:
        target.execute(schema_sql)
        want_tables = dict(
            target.execute(
                "SELECT table_name, sql FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        )
        want_columns = _columns(target)
        want_enums = _enums(target)
        want_views = _views(target)
        want_indexes = target.execute(
            "SELECT index_name, sql FROM duckdb_indexes() WHERE schema_name = 'main'"
        ).fetchall()
    finally:
        target.close()

    done: list[str] = []
    for view in _views(con):
        con.execute(f"DROP VIEW {_quote(view)}")
    have_columns = _columns(con)
    have_enums = _enums(con)
    for name, labels in want_enums.items():
        if name not in have_enums:
            con.execute(f"CREATE TYPE {_quote(name)} AS ENUM ({', '.join(map(_literal, labels))})")
            done.append(f"vocabulary {name} created")
        elif have_enums[name] != labels:
            # the columns of the type go through text while the type is made anew
            enum_text = "ENUM(" + ", ".join(map(_literal, have_enums[name])) + ")"
            users = [
                (t, c)
                for t, cols in have_columns.items()
                for c, (dtype, _) in cols.items()
                if dtype == enum_text
            ]
            for t, c in users:
                con.execute(f"ALTER TABLE {_quote(t)} ALTER {_quote(c)} TYPE VARCHAR")
            con.execute(f"DROP TYPE {_quote(name)}")
            con.execute(f"CREATE TYPE {_quote(name)} AS ENUM ({', '.join(map(_literal, labels))})")
            for t, c in users:
                con.execute(f"ALTER TABLE {_quote(t)} ALTER {_quote(c)} TYPE {_quote(name)}")
            done.append(f"vocabulary {name} widened")
    for table, sql in want_tables.items():
        if table not in have_columns:
            con.execute(sql)
            done.append(f"table {table} created")
            continue
        for column, (dtype, default) in want_columns[table].items():
            if column in have_columns[table]:
                continue
            clause = f" DEFAULT {default}" if default is not None else ""
            con.execute(f"ALTER TABLE {_quote(table)} ADD COLUMN {_quote(column)} {dtype}{clause}")
            done.append(f"column {table}.{column} added")
    have_indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    for name, sql in want_indexes:
        if name not in have_indexes and sql:
            con.execute(sql)
            done.append(f"index {name} created")
    for sql in want_views.values():
        con.execute(sql)
    return done
