"""SQL for analysts: saved, parameterised queries (``queries/*.sql``) and a sandboxed console.

The console (the app's SQL page and ``ecograph query``) runs one SELECT per call in a child
process whose memory and wall time the kernel bounds (``graph.sql.sandbox``), on a connection
that is read-only, has every file, network and extension access disabled and its configuration
locked (``graph.store.database.SANDBOX_CONFIG``). Statements are checked on DuckDB's parse tree
before they run (``graph.sql.checks``: a CTE holding DELETE is a write, ``read_blob`` is a file
read), so a refusal names what was refused; the sandbox catches whatever a check might miss. The
answer comes back under a row cap and a size cap. The bounds are the server's
(``graph.store.config.sql_limits``). ``run_write`` is the one way to change data, used only by
``ecograph query --write``.

The part is a package of three modules: this one (saved queries, the console's entry points),
``checks`` (the parse-tree rules) and ``sandbox`` (the bounded child process). It may import
``graph.errors`` and ``graph.store`` only.

A saved query is a ``.sql`` file whose first lines are a header::

    -- name: two_hop_neighbourhood
    -- title: Who is within two hops of an actor
    -- description: Actors reachable from $actor_id through at most $max_hops ties,
    --   with the actors one hop closer that connect them.
    -- params: actor_id VARCHAR = 'peak-innovation', max_hops INTEGER = 2

and whose body uses DuckDB named parameters (``$actor_id``). The header ends at the first line
that is not a ``--`` comment; an indented comment line continues the previous field.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from graph.errors import (
    DatabaseError,
    DatabaseLockedError,
    EcographError,
    SchemaVersionError,
    UsageError,
)
from graph.history.log import recording_change
from graph.i18n import N_, NP_, translator
from graph.sql.checks import refusal
from graph.sql.sandbox import ChildFailure, run_in_child
from graph.store.config import PROJECT_ROOT, lock_wait_seconds, sql_limits
from graph.store.database import connect, integrity_problems, touch_data_version
from graph.store.limits import DEFAULT_SQL_MAX_ROWS, DEFAULT_SQL_TIMEOUT, SqlLimits, finite_seconds

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "PARAM_TYPES",
    "TEXTS",
    "QueryError",
    "QueryMemoryError",
    "QueryParam",
    "QueryResult",
    "QueryTimeoutError",
    "SandboxError",
    "StoredQuery",
    "check_read_only",
    "current_filter_views",
    "find_query",
    "load_queries",
    "run_query",
    "run_write",
    "saved_queries_dir",
]

DEFAULT_TIMEOUT = DEFAULT_SQL_TIMEOUT
DEFAULT_MAX_ROWS = DEFAULT_SQL_MAX_ROWS
PARAM_TYPES = ("VARCHAR", "INTEGER", "DOUBLE", "DATE", "BOOLEAN")

_TRUE = {"true", "t", "yes", "y", "1", "on"}
_FALSE = {"false", "f", "no", "n", "0", "off"}
_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")
_HEADER_KEYS = ("name", "title", "description", "params")
_HEADER_LINE = re.compile(r"--\s?(?P<key>[A-Za-z_]+):\s*(?P<value>.*)")
_CONTINUATION = re.compile(r"--\s{2,}(?P<value>\S.*)")
# One declaration of a `-- params:` line: name TYPE [= default], a default in single quotes may
# hold commas ('' is a quote inside it).
_PARAM_DECL = re.compile(
    r"\s*(?P<name>[A-Za-z_]\w*)\s+(?P<type>[A-Za-z]+)"
    r"(?:\s*=\s*(?P<default>'(?:[^']|'')*'|[^,]*?))?\s*(?:,|$)"
)
# Whitespace and comments before a statement's first keyword.
_LEADING_NOISE = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.DOTALL)
_EXPLAIN = re.compile(r"EXPLAIN\s+(?:ANALYZE\s+)?(?P<rest>.*)", re.DOTALL | re.IGNORECASE)
_WRITE_KEYWORDS = {"INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "MERGE", "TRUNCATE"}


class QueryError(EcographError):
    """A query failed: DuckDB's message without its source excerpt, or a refusal."""


class SandboxError(QueryError):
    """The read-only console refused a statement (a write, DDL, file access, a setting, ...)."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class QueryMemoryError(QueryError):
    """A query needed more memory than the console allows and was stopped."""


# What the console says when it stops or refuses a query, said in the language chosen for the
# work in hand (the sandbox's child is told the session's language, see ``sandbox``).
TEXTS = {
    "timeout": N_("stopped after {seconds} s (the time limit)"),
    "memory": N_("stopped: the query needed more than {memory} (the memory limit)"),
    "too_large": N_(
        "stopped: the answer is larger than {mb} MB; select fewer rows or columns, or shorter "
        "text (left(name, 100))"
    ),
    "unknown_type": N_("parameter {name}: unknown type {type}"),
    "hint_integer": N_("a whole number, such as 12"),
    "hint_double": N_("a number, such as 0.5"),
    "hint_date": N_("a date written YYYY-MM-DD"),
    "hint_boolean": N_("true or false"),
    "hint_varchar": N_("text"),
    "bad_value": N_("parameter {name}: {value} is not {type} (expected {hint})"),
    "no_parameters": N_("no parameters"),
    "unknown_param": N_("saved query {query} has no parameter {unknown} (it takes: {takes})"),
    "needs_param": N_(
        "saved query {query} needs parameter {name} ({type}): add --param {name}=VALUE"
    ),
    "no_query": N_("no saved query named {name}; `ecograph query --list` shows them"),
    "continuation": N_("a continuation line must follow a description"),
    "header_line": N_("expected `-- key: value` with key name, title, description or params"),
    "twice": N_("{key} given twice"),
    "no_header_key": N_("{path}: the header has no `-- {key}:` line"),
    "bad_name": N_(
        "{path}: name {name} must match the file name ({stem}) and use only "
        "lower-case letters, digits and _"
    ),
    "param_twice": N_("{path}: a parameter is declared twice"),
    "no_sql": N_("{path}: no SQL after the header"),
    "bad_param_decl": N_("cannot read parameter at {text}: write `name TYPE = default`"),
    "bad_param_type": N_("parameter {name}: type {type} is not one of {types}"),
    "default": N_("default: {reason}"),
    "malformed": N_("{path}:{line}: malformed header: {reason}"),
    "this_statement": N_("this statement"),
    "explain": N_("EXPLAIN is allowed only of a SELECT statement in the read-only console"),
    "hint_copy": N_("; save an answer with --format and --out (or the app's download button)"),
    "hint_write": N_("; data changes only through `ecograph query --write`"),
    "hint_select": N_("; only SELECT statements run here"),
    "not_allowed": N_("{keyword} is not allowed in the read-only console{hint}"),
    "no_statement": N_("there is no SQL statement to run"),
    "needs_params": N_("the query needs parameter {names}: add {options}"),
    "none": N_("none"),
    "extra_params": N_("the query has no parameter {names} (it uses: {uses})"),
    "write_timeout": N_("query stopped after {seconds} s (time limit; raise --timeout)"),
    "locked_down": N_(
        "file, network and settings access is disabled in the read-only console ({message})"
    ),
    "row_cap": N_("the row cap must be at least 1, not {value}"),
    "not_a_table": N_("cannot show this result as a table: {reason}; cast the column to VARCHAR"),
    "transaction": N_(
        "{keyword} is not needed: --write runs everything in one "
        "transaction and commits it at the end"
    ),
}
PLURALS = {
    "statements": NP_(
        "only one SELECT statement is allowed; got {n} statement",
        "only one SELECT statement is allowed; got {n} statements",
    ),
    "broken": NP_(
        "nothing was written: the change leaves {n} "
        "reference(s) pointing nowhere, e.g. {table}.{column} = {value}",
        "nothing was written: the change leaves {n} "
        "reference(s) pointing nowhere, e.g. {table}.{column} = {value}",
    ),
}


def _say(name: str, /, **fields: Any) -> str:
    """The message ``name`` in the language chosen for the work in hand, filled in."""
    return translator().gettext(TEXTS[name]).format(**fields)


@dataclass(frozen=True)
class QueryParam:
    """A named parameter of a saved query: its DuckDB type and its default (None = NULL)."""

    name: str
    type: str
    default: Any = None
    required: bool = False

    def convert(self, value: Any) -> Any:
        """Turn text from the command line or a widget into this parameter's Python value.

        Values that already have the right type pass through. Empty text is NULL for every type
        (an empty widget or ``--param kind=`` means "no value"); so is ``NULL`` for every type
        but VARCHAR.

        >>> QueryParam("months", "INTEGER").convert("12")
        12
        """
        if value is None:
            return None
        if not isinstance(value, str):
            return self._check_typed(value)
        text = value.strip()
        if text == "":
            return None
        if self.type == "VARCHAR":
            return value
        if text.upper() == "NULL":
            return None
        try:
            if self.type == "INTEGER":
                return int(text.replace(" ", "").replace("\u00a0", ""))
            if self.type == "DOUBLE":
                # Swedish spreadsheets write decimal commas
                return float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
            if self.type == "DATE":
                return date.fromisoformat(text)
        except ValueError:
            raise self._bad(value) from None
        if self.type == "BOOLEAN":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise self._bad(value)
        raise UsageError(_say("unknown_type", name=self.name, type=self.type))  # pragma: no cover

    def _check_typed(self, value: Any) -> Any:
        expected: dict[str, tuple[type, ...]] = {
            "VARCHAR": (str,),
            "INTEGER": (int,),
            "DOUBLE": (int, float),
            "DATE": (date,),
            "BOOLEAN": (bool,),
        }
        ok = isinstance(value, expected[self.type])
        if self.type in ("INTEGER", "DOUBLE") and isinstance(value, bool):
            ok = False
        if not ok:
            raise self._bad(value)
        return float(value) if self.type == "DOUBLE" else value

    def _bad(self, value: Any) -> UsageError:
        hint = _say(f"hint_{self.type.lower()}")
        return UsageError(
            _say("bad_value", name=self.name, value=repr(value), type=self.type, hint=hint)
        )


@dataclass(frozen=True)
class StoredQuery:
    """A saved query: a name to call it by, a title and description for people, SQL, params."""

    name: str
    title: str
    description: str
    sql: str
    params: tuple[QueryParam, ...] = ()
    path: Path | None = None

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The parameter values to run with: ``values`` converted to their types, defaults for
        the rest.

        Raises
        ------
        UsageError
            A value does not convert, a parameter is unknown, or a required one is missing.
        """
        values = dict(values or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or _say("no_parameters")
            raise UsageError(
                _say("unknown_param", query=self.name, unknown=", ".join(unknown), takes=takes)
            )
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in values:
                bound[p.name] = p.convert(values[p.name])
            elif p.required:
                raise UsageError(_say("needs_param", query=self.name, name=p.name, type=p.type))
            else:
                bound[p.name] = p.default
        return bound


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: at most ``max_rows`` rows, whether more existed, and the time."""

    frame: pl.DataFrame
    truncated: bool
    seconds: float


def saved_queries_dir() -> Path:
    """The folder of the shipped saved queries, ``queries/`` in the project."""
    return PROJECT_ROOT / "queries"


def load_queries(folder: Path | None = None) -> list[StoredQuery]:
    """Read every ``*.sql`` file of ``folder`` (default: the shipped queries) as a saved query,
    sorted by name.

    Raises
    ------
    QueryError
        A header is malformed (the message names the file and line) or a name is repeated.
    """
    folder = folder or saved_queries_dir()
    queries = [_parse_query(p) for p in sorted(folder.glob("*.sql"))]
    return sorted(queries, key=lambda q: q.name)


def find_query(queries: Sequence[StoredQuery], name: str) -> StoredQuery:
    """The saved query called ``name``; a UsageError that says how to list them otherwise."""
    for q in queries:
        if q.name == name:
            return q
    raise UsageError(_say("no_query", name=repr(name)))


def _parse_query(path: Path) -> StoredQuery:
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    last: str | None = None
    body_start = len(lines)
    for i, line in enumerate(lines):
        lineno = i + 1
        if not line.startswith("--"):
            body_start = i
            break
        if m := _CONTINUATION.fullmatch(line.rstrip()):
            if last not in ("title", "description"):
                raise _header_error(path, lineno, _say("continuation"))
            fields[last] += " " + m["value"].strip()
            continue
        m = _HEADER_LINE.fullmatch(line.rstrip())
        if not m or m["key"] not in _HEADER_KEYS:
            raise _header_error(path, lineno, _say("header_line"))
        key, value = m["key"], m["value"].strip()
        if key == "params":
            params.extend(_parse_params(path, lineno, value))
        elif key in fields:
            raise _header_error(path, lineno, _say("twice", key=key))
        else:
            fields[key] = value
        last = key
    for key in ("name", "title"):
        if not fields.get(key):
            raise QueryError(_say("no_header_key", path=path, key=key))
    name = fields["name"]
    if not _NAME.fullmatch(name) or name != path.stem:
        raise QueryError(_say("bad_name", path=path, name=repr(name), stem=path.stem))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(_say("param_twice", path=path))
    sql = "\n".join(lines[body_start:]).strip()
    if not sql:
        raise QueryError(_say("no_sql", path=path))
    return StoredQuery(
        name=name,
        title=fields["title"],
        description=fields.get("description", ""),
        sql=sql,
        params=tuple(params),
        path=path,
    )


def _parse_params(path: Path, lineno: int, text: str) -> list[QueryParam]:
    out: list[QueryParam] = []
    pos = 0
    while pos < len(text):
        m = _PARAM_DECL.match(text, pos)
        if not m or m.end() == pos:
            raise _header_error(
                path,
                lineno,
                _say("bad_param_decl", text=repr(text[pos:])),
            )
        pos = m.end()
        ptype = m["type"].upper()
        if ptype not in PARAM_TYPES:
            raise _header_error(
                path,
                lineno,
                _say(
                    "bad_param_type", name=m["name"], type=m["type"], types=", ".join(PARAM_TYPES)
                ),
            )
        raw = m["default"]
        param = QueryParam(m["name"], ptype, None, required=raw is None)
        if raw is not None and raw.strip().upper() != "NULL":
            literal = raw.strip()
            if literal.startswith("'"):
                literal = literal[1:-1].replace("''", "'")
            try:
                default = param.convert(literal)
            except UsageError as exc:
                raise _header_error(path, lineno, _say("default", reason=exc)) from None
            param = QueryParam(m["name"], ptype, default)
        out.append(param)
    return out


def _header_error(path: Path, lineno: int, reason: str) -> QueryError:
    return QueryError(_say("malformed", path=path, line=lineno, reason=reason))


def _skip_noise(sql: str) -> str:
    """``sql`` from its first keyword on, past whitespace, comments and opening brackets."""
    m = _LEADING_NOISE.match(sql)
    return sql[m.end() :] if m else sql


def _keyword(statement_sql: str) -> str:
    """The first word of a statement (INSERT, COPY, ...)."""
    m = re.match(r"[A-Za-z_]+", _skip_noise(statement_sql))
    return m.group(0).upper() if m else _say("this_statement")


def _first_lines(exc: BaseException) -> str:
    """DuckDB's message without the source excerpt ("LINE 1: ..." and the caret under it)."""
    lines = []
    for line in str(exc).splitlines():
        if line.startswith("LINE "):
            break
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines) or type(exc).__name__


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """Parse ``sql`` and return its one statement if the console may run it.

    Only one SELECT (or an EXPLAIN of one) is allowed; anything else is refused by name before
    it runs. Parsing uses ``con`` but runs nothing.

    Raises
    ------
    SandboxError
        Several statements, or a statement that is not a SELECT.
    QueryError
        The SQL does not parse, or holds no statement.
    """
    statements = _parse(con, sql)
    if len(statements) != 1:
        n = len(statements)
        raise SandboxError(translator().ngettext(*PLURALS["statements"], n).format(n=n))
    statement = statements[0]
    if statement.type == duckdb.StatementType.SELECT:
        _refuse_by_tree(con, statement.query)
        return statement
    keyword = _keyword(statement.query)
    if statement.type == duckdb.StatementType.EXPLAIN:
        rest = _skip_noise(statement.query)
        m = _EXPLAIN.match(rest)
        inner = _parse(con, m["rest"]) if m else []
        if len(inner) == 1 and inner[0].type == duckdb.StatementType.SELECT:
            _refuse_by_tree(con, inner[0].query)
            return statement
        raise SandboxError(_say("explain"))
    if keyword in ("COPY", "EXPORT"):
        hint = _say("hint_copy")
    elif keyword in _WRITE_KEYWORDS:
        hint = _say("hint_write")
    else:
        hint = _say("hint_select")
    raise SandboxError(_say("not_allowed", keyword=keyword, hint=hint))


def _refuse_by_tree(con: duckdb.DuckDBPyConnection, statement_sql: str) -> None:
    """Refuse a SELECT whose parse tree holds a write, a file read or a server setting."""
    reason = refusal(con, statement_sql)
    if reason:
        raise SandboxError(reason)


def _parse(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_first_lines(exc)) from None
    if not statements:
        raise QueryError(_say("no_statement"))
    return list(statements)


def _check_params(statements: Sequence[duckdb.Statement], params: Mapping[str, Any]) -> None:
    wanted = set().union(*(s.named_parameters for s in statements))
    missing = sorted(wanted - set(params))
    if missing:
        options = " ".join(f"--param {m}=VALUE" for m in missing)
        raise UsageError(_say("needs_params", names=", ".join(missing), options=options))
    extra = sorted(set(params) - wanted)
    if extra:
        uses = ", ".join(sorted(wanted)) or _say("none")
        raise UsageError(_say("extra_params", names=", ".join(extra), uses=uses))


class _Deadline:
    """Interrupts a connection's running query after ``seconds`` (None: never)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float | None) -> None:
        self.con = con
        self.seconds = seconds
        self.expired = False
        self._timer = threading.Timer(seconds, self._stop) if seconds else None

    def _stop(self) -> None:
        self.expired = True
        # the query may have ended and the connection closed meanwhile
        with contextlib.suppress(duckdb.Error):
            self.con.interrupt()

    def __enter__(self) -> _Deadline:
        if self._timer:
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer:
            self._timer.cancel()

    def error(self) -> QueryTimeoutError:
        seconds = translator().number(self.seconds or 0)
        return QueryTimeoutError(_say("write_timeout", seconds=seconds))


def _translate(exc: duckdb.Error, deadline: _Deadline) -> QueryError:
    if isinstance(exc, duckdb.InterruptException) and deadline.expired:
        return deadline.error()
    message = _first_lines(exc)
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in message:
        return SandboxError(_say("locked_down", message=message))
    return QueryError(message)


def _unique(names: list[str]) -> list[str]:
    """Column names made unique the way DuckDB's relations do it (a, a_1, ...)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        out.append(f"{n}_{seen[n]}" if n in seen else n)
        seen[n] = seen.get(n, 0) + 1
    return out


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """DuckDB ENUM columns arrive as categoricals; CSV, Parquet and people want plain text."""
    cats = [n for n, t in frame.schema.items() if isinstance(t, pl.Categorical | pl.Enum)]
    return frame.with_columns(pl.col(cats).cast(pl.String)) if cats else frame


def current_filter_views(filter_params: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The statements (with their parameters) that define the temporary views
    ``current_actors`` and ``current_collaborations`` for a filter, given as
    ``GraphFilter.to_params()`` (``graph/store/current_filter.sql``); ``run_query(views=...)``
    runs them before the query, so saved queries still read the whole database."""
    text = resources.files("graph.store").joinpath("current_filter.sql").read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    statements = [part.strip() for part in body.split(";") if part.strip()]
    values: dict[str, Any] = {
        name: list(filter_params.get(name) or [])
        for name in ("kinds", "helices", "municipalities", "regions", "areas", "exclude")
    }
    values |= {
        "start": filter_params.get("start"),
        "end": filter_params.get("end"),
        "synthetic": bool(filter_params.get("synthetic", True)),
    }
    return [(statements[0], values), *((sql, {}) for sql in statements[1:])]


def run_query(
    path: str | Path,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    limits: SqlLimits | None = None,
    views: Sequence[tuple[str, dict[str, Any]]] = (),
) -> QueryResult:
    """Run one SELECT in the sandbox and return at most ``max_rows`` rows of its answer.

    The statement runs in a child process of its own (``graph.sql.sandbox``) whose memory and
    wall time are bounded by the kernel, so no query can take the calling process down.

    Parameters
    ----------
    path:
        The database file; the child opens it with ``connect(path, sandbox=True)``.
    sql:
        One SELECT statement, with ``$name`` parameters.
    params:
        A value for every ``$name`` of ``sql`` (``StoredQuery.bind`` makes them for a saved one).
    timeout:
        Seconds before the query is stopped: a finite number above 0 (default: the limits').
    max_rows:
        The row cap; ``truncated`` says whether the answer had more (default: the limits').
    limits:
        The bounds (``graph.store.config.sql_limits()`` when None). ``timeout`` and
        ``max_rows`` replace the limits' values; the app passes ``limits.lowered(...)``
        instead, so a viewer can only lower them.
    views:
        Statements of ours run first on the child's connection, e.g.
        ``current_filter_views(...)``: temporary views the query may read.

    Raises
    ------
    SandboxError
        The statement is not one SELECT, or it tried to touch a file, the network or a setting.
    QueryTimeoutError
        The query ran past ``timeout``.
    QueryMemoryError
        The query needed more memory than the limits allow.
    QueryError
        DuckDB refused or failed the query, or the answer is larger than the size cap.
    UsageError
        A parameter is missing or unknown, or a limit is not a finite positive number.

    Examples
    --------
    >>> run_query(db, "SELECT count(*) AS n FROM actors").frame["n"][0]  # doctest: +SKIP
    22
    """
    bounds = limits or sql_limits()
    seconds = bounds.timeout if timeout is None else finite_seconds(timeout)
    rows_cap = bounds.max_rows if max_rows is None else int(max_rows)
    if rows_cap < 1:
        raise UsageError(_say("row_cap", value=max_rows))
    started = time.perf_counter()
    try:
        answer = run_in_child(
            path,
            sql,
            dict(params or {}),
            timeout=seconds,
            max_rows=rows_cap,
            memory_mb=bounds.memory_mb,
            max_result_mb=bounds.max_result_mb,
            wait_seconds=lock_wait_seconds(),
            views=views,
        )
    except ChildFailure as failure:
        raise _failure_error(failure, seconds, bounds) from None
    try:
        frame = pl.read_ipc_stream(io.BytesIO(answer.ipc))
    except (
        pl.exceptions.PolarsError,
        pl.exceptions.PanicException,  # a BaseException: polars panics on some Arrow types
        ValueError,
        TypeError,
        OSError,
    ) as exc:
        # a column type polars cannot hold (an INTERVAL, a UNION): say which, no trace
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryError(_say("not_a_table", reason=first)) from None
    truncated = answer.truncated or frame.height > rows_cap
    return QueryResult(_plain(frame.head(rows_cap)), truncated, time.perf_counter() - started)


_FAILURES: dict[str, type[EcographError]] = {
    "SandboxError": SandboxError,
    "QueryError": QueryError,
    "UsageError": UsageError,
    "DatabaseError": DatabaseError,
    "DatabaseLockedError": DatabaseLockedError,
    "SchemaVersionError": SchemaVersionError,
}


def _failure_error(failure: ChildFailure, seconds: float, bounds: SqlLimits) -> EcographError:
    """The error of ``graph.sql`` that a child's verdict stands for."""
    if failure.kind == "timeout":
        return QueryTimeoutError(_say("timeout", seconds=translator().number(seconds)))
    if failure.kind == "memory":
        return QueryMemoryError(_say("memory", memory=bounds.memory_text))
    if failure.kind == "too_large":
        return QueryError(_say("too_large", mb=translator().number(bounds.max_result_mb)))
    return _FAILURES.get(failure.kind, QueryError)(failure.message)


def run_write(
    path: str | Path,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run one or more statements with write access, all in one transaction (``--write``).

    The change is committed only if every statement succeeds and no reference is left pointing
    nowhere (``graph.store.database.integrity_problems``); it bumps the data version so the app
    reloads.
    Returns the answer of the last statement (the number of changed rows for INSERT, UPDATE, ...).

    Raises
    ------
    QueryError
        A statement failed, the time ran out or a reference would break; nothing was written.
    """
    params = dict(params or {})
    timeout = finite_seconds(DEFAULT_TIMEOUT if timeout is None else timeout)
    started = time.perf_counter()
    con = connect(path, create=False)
    try:
        statements = _parse(con, sql)
        for st in statements:
            if st.type == duckdb.StatementType.TRANSACTION:
                raise UsageError(_say("transaction", keyword=_keyword(st.query)))
        _check_params(statements, params)
        frame = pl.DataFrame()
        with _Deadline(con, timeout) as deadline:
            try:
                with recording_change(con, "sql", " ".join(sql.split())[:200]):
                    for st in statements:
                        values = {k: params[k] for k in st.named_parameters}
                        con.execute(st.query, values or None)
                        columns = _unique([d[0] for d in con.description or []])
                        rows = con.fetchall()
                        frame = pl.DataFrame(rows, schema=columns, orient="row")
                    broken = integrity_problems(con)
                    if broken.height:
                        table, column, value = broken.row(0)
                        n = broken.height
                        raise QueryError(
                            translator()
                            .ngettext(*PLURALS["broken"], n)
                            .format(n=n, table=table, column=column, value=repr(value))
                        )
                    touch_data_version(con)
            except duckdb.Error as exc:
                raise _translate(exc, deadline) from None
    finally:
        con.close()
    return QueryResult(_plain(frame), False, time.perf_counter() - started)
