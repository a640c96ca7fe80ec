"""SQL: run a saved query or any read-only SELECT over the tables, see the answer, download it."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from graph.errors import EcographError
from graph.formats.spreadsheet import spreadsheet_safe
from graph.i18n import N_, NP_
from graph.sql import (
    QueryMemoryError,
    QueryParam,
    QueryTimeoutError,
    SandboxError,
    current_filter_views,
    load_queries,
    run_query,
)
from graph.store.config import sql_limits
from graph.store.limits import SqlLimits
from ui import state, waves
from ui.language import ui_translator
from ui.text import md

OWN = ""  # the picker's value for "write your own"
EXAMPLE_SQL = "SELECT kind, count(*) AS actors FROM actors GROUP BY kind"  # SQL: not translated
# Comments and quoted text may hold a "$" that is no parameter.
NOT_CODE = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", re.DOTALL)
PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")

TEXTS = {
    "empty": N_("empty = NULL"),
    "running": N_("Running …"),
    "title": N_("SQL"),
    "bounds": N_(
        "Read-only: one SELECT at a time over the tables and the `collaborations` view, "
        "with at most {seconds} s, {memory} of memory and {rows} rows per query."
    ),
    "filter": N_(
        "The sidebar's filter is there too: `current_actors` holds the actors it keeps and "
        "`current_collaborations` their ties in its time window. The saved queries read the "
        "whole database."
    ),
    "saved": N_("Saved query"),
    "own": N_("— write your own —"),
    "sql": N_("SQL"),
    "as_text": N_("{name} (passed as text)"),
    "timeout": N_("Time limit (seconds)"),
    "row_cap": N_("Row cap"),
    "run": N_("Run"),
    "read_only": N_(
        "The console is read-only: it runs one SELECT (or EXPLAIN of one) and cannot "
        "change data, read files or change settings. Import data on the Data page."
    ),
    "raise_cap": N_("Raise the row cap for more."),
    "download": N_("Download {format}"),
    "no_download": N_("No {format} download: {reason}"),
}
PLURALS = {
    # the English says "1 rows" as it always has (tests and scripts read it); Swedish has both
    "rows": NP_("{n} rows · {seconds} s", "{n} rows · {seconds} s"),
    "truncated": NP_(
        "Truncated: the answer has more than {n} rows; the first {n} are shown and downloaded.",
        "Truncated: the answer has more than {n} rows; the first {n} are shown and downloaded.",
    ),
}


def param_input(p: QueryParam, key: str) -> Any:
    """A widget for a parameter of the saved query; an empty one means NULL."""
    label, empty = f"{p.name} ({p.type})", ui_translator().gettext(TEXTS["empty"])
    if p.type == "INTEGER":
        return st.number_input(label, value=p.default, step=1, key=key, placeholder=empty)
    if p.type == "DOUBLE":
        return st.number_input(
            label, value=p.default, step=0.1, format="%g", key=key, placeholder=empty
        )
    if p.type == "DATE":
        return st.date_input(
            label,
            value=p.default,
            min_value=date(1900, 1, 1),
            max_value=date(2100, 12, 31),
            key=key,
        )
    if p.type == "BOOLEAN":
        return st.checkbox(label, value=bool(p.default), key=key)
    return st.text_input(label, value=p.default or "", key=key, placeholder=empty)


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its lists and structs as JSON text, which CSV can hold."""
    nested = [n for n, t in frame.schema.items() if t.is_nested()]
    return frame.with_columns(
        pl.Series(
            n,
            [
                None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                for v in frame[n].to_list()
            ],
            dtype=pl.String,
        )
        for n in nested
    )


def run(sql: str, params: dict[str, Any], limits: SqlLimits) -> dict[str, Any]:
    """Run the query in the sandbox under ``limits`` (the server's, lowered by the widgets);
    the answer (with its downloads) or the error to show."""
    try:
        with state.read_lock(), st.spinner(ui_translator().gettext(TEXTS["running"])):
            result = run_query(
                waves.query_path(),
                sql,
                params,
                limits=limits,
                # the sidebar's filter as two temporary views; the tables stay whole
                views=current_filter_views(state.current_filter().to_params()),
            )
    except SandboxError as exc:
        return {"error": str(exc), "refused": True}
    except (QueryTimeoutError, QueryMemoryError) as exc:  # "stopped …": a sentence on the page
        message = str(exc)
        return {"error": f"{message[:1].upper()}{message[1:]}."}
    except EcographError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # a library's own error, e.g. a column type polars cannot read
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    downloads: dict[str, bytes | str] = {}  # the file, or why there is none
    for fmt, write in (("csv", pl.DataFrame.write_csv), ("parquet", pl.DataFrame.write_parquet)):
        buffer = io.BytesIO()
        try:
            # CSV is opened by spreadsheets: text from the data must not run as a formula
            write(spreadsheet_safe(flat(result.frame)) if fmt == "csv" else result.frame, buffer)
        except Exception as exc:  # a column type the format cannot hold, e.g. nested for CSV
            downloads[fmt] = str(exc).splitlines()[0]
        else:
            downloads[fmt] = buffer.getvalue()
    return {"result": result, "downloads": downloads}


bounds = sql_limits()  # the server's: the widgets below may only lower them
t = ui_translator()
st.title(t.gettext(TEXTS["title"]))
st.caption(
    t.gettext(TEXTS["bounds"]).format(
        seconds=t.number(bounds.timeout),
        memory=bounds.memory_text,
        rows=t.number(bounds.max_rows),
    )
)
st.caption(t.gettext(TEXTS["filter"]))
queries = {q.name: q for q in load_queries()}
name = st.selectbox(
    t.gettext(TEXTS["saved"]),
    [OWN, *queries],
    index=1 if queries else 0,
    key="sql_query",
    format_func=lambda n: t.gettext(TEXTS["own"]) if n == OWN else t.gettext(queries[n].title),
    on_change=lambda: st.session_state.pop("sql_last", None),
)
query = queries.get(name)
values: dict[str, Any] = {}
if query:
    st.markdown(md(t.gettext(query.description) if query.description else ""))
    columns = st.columns(3)
    for i, p in enumerate(query.params):
        with columns[i % 3]:
            values[p.name] = p.convert(param_input(p, f"sql_param_{name}_{p.name}"))
sql = st.text_area(
    t.gettext(TEXTS["sql"]),
    value=query.sql if query else "",
    height=260,
    key=f"sql_text_{name or 'own'}",
    placeholder=EXAMPLE_SQL,
)
used = list(dict.fromkeys(PARAMETER.findall(NOT_CODE.sub(" ", sql))))
for extra in [n for n in used if n not in values]:
    values[extra] = QueryParam(extra, "VARCHAR").convert(
        st.text_input(
            t.gettext(TEXTS["as_text"]).format(name=extra),
            key=f"sql_extra_{extra}",
            placeholder=t.gettext(TEXTS["empty"]),
        )
    )
left, right, button = st.columns([1, 1, 1], vertical_alignment="bottom")
timeout = left.number_input(
    t.gettext(TEXTS["timeout"]),
    min(1.0, bounds.timeout),
    bounds.timeout,
    bounds.timeout,
    step=1.0,
    key="sql_timeout",
)
max_rows = int(
    right.number_input(
        t.gettext(TEXTS["row_cap"]),
        1,
        bounds.max_rows,
        bounds.max_rows,
        step=1000,
        key="sql_max_rows",
    )
)
if button.button(t.gettext(TEXTS["run"]), type="primary", key="sql_run", disabled=not sql.strip()):
    params = {n: values[n] for n in used}
    st.session_state["sql_last"] = {
        "db": str(state.current_db()),
        "name": name or "query",
        # lowered, never raised: a value sent past the widget's bounds gets the server's
        **run(sql, params, bounds.lowered(timeout, max_rows)),
    }

last = st.session_state.get("sql_last")
if last and last["db"] != str(state.current_db()):
    last = None  # the answer came from another database
if last and "error" in last:
    st.error(md(last["error"]))
    if last.get("refused"):
        st.info(t.gettext(TEXTS["read_only"]))
elif last:
    result = last["result"]
    n = result.frame.height
    st.caption(
        t.ngettext(*PLURALS["rows"], n).format(n=t.number(n), seconds=t.number(result.seconds, 2))
    )
    if result.truncated:
        st.warning(
            t.ngettext(*PLURALS["truncated"], n).format(n=t.number(n))
            + (" " + t.gettext(TEXTS["raise_cap"]) if n < bounds.max_rows else "")
        )
    st.dataframe(result.frame, hide_index=True)
    for column, (fmt, mime) in zip(
        st.columns(2), [("csv", "text/csv"), ("parquet", "application/octet-stream")], strict=True
    ):
        data = last["downloads"][fmt]
        if isinstance(data, bytes):
            column.download_button(
                t.gettext(TEXTS["download"]).format(format=fmt.upper()),
                data,
                file_name=f"{last['name']}.{fmt}",
                mime=mime,
                on_click="ignore",
                key=f"sql_download_{fmt}",
            )
        else:
            column.caption(
                t.gettext(TEXTS["no_download"]).format(format=fmt.upper(), reason=md(data))
            )
