"""A self-contained HTML gap report a strategist can send to a board.

One file, no scripts, no network: inline CSS, tables, a colour-scale heatmap of group mixing and
a small inline SVG chart. Every text that comes from the data is HTML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

from graph.analysis.gaps import Analysis

__all__ = ["render_report", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d2430;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #e3e7ee;padding-bottom:.3rem}
.meta{color:#5b6575;font-size:.9rem}.summary li{margin:.25rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{background:#f4f6fa;border-radius:8px;padding:.7rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem;width:100%}
th,td{border:1px solid #dde2ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap}
table.heat td{text-align:center;min-width:4.5rem}.small{font-size:.75rem;color:#404858}
.synthetic{color:#8a5a00;background:#fff4dc;border-radius:4px;padding:0 .3rem}
.note{background:#fff8e6;border-left:4px solid #f0b429;padding:.6rem 1rem;margin:1rem 0}
"""


def _fmt(value: Any) -> str:
    """A table cell as text: whole numbers without decimals (counts stored as floats, such as
    actors with split strength-area shares, must not read 3.000 beside 36), small fractions
    with three decimals, larger ones with one.

    >>> [_fmt(v) for v in (3.0, 1618.0, 0.9368, 77.84, 12345.6, None, float("nan"), True, 7)]
    ['3', '1,618', '0.937', '77.8', '12,346', '', '', 'yes', '7']
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return f"{int(value):,}"
        if abs(value) < 10:
            return f"{value:.3f}"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _table(
    frame: pl.DataFrame,
    columns: Sequence[str] | None = None,
    headers: Sequence[str] | None = None,
    limit: int = 50,
) -> str:
    columns = list(columns or frame.columns)
    headers = list(headers or columns)
    if frame.height == 0:
        return "<p class='small'>Nothing to show.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    rows = []
    for row in frame.head(limit).select(columns).iter_rows():
        cells = "".join(
            f"<td class='num'>{escape(_fmt(v))}</td>"
            if isinstance(v, int | float) and not isinstance(v, bool)
            else f"<td class='date'>{escape(_fmt(v))}</td>"
            if isinstance(v, date)
            else f"<td>{escape(_fmt(v))}</td>"
            for v in row
        )
        rows.append(f"<tr>{cells}</tr>")
    more = (
        (
            f"<p class='small'>Showing {limit} of {frame.height} rows; the full table is in the "
            "database.</p>"
        )
        if frame.height > limit
        else ""
    )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>{more}"


def _heat_colour(ratio: float | None) -> str:
    """Red below 1 (fewer ties than expected: a gap), white at 1, blue above."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "#f2f2f2"
    x = max(-1.0, min(1.0, math.log2(ratio) / 2)) if ratio > 0 else -1.0
    if x < 0:
        g = int(255 + 90 * x)
        return f"rgb(255,{g},{g})"
    g = int(255 - 110 * x)
    return f"rgb({g},{g + 20 if g + 20 < 256 else 255},255)"


def _heatmap(mixing: pl.DataFrame, grouping: str) -> str:
    mix = mixing.filter(pl.col("grouping") == grouping)
    if mix.height == 0:
        return "<p class='small'>No ties to compare.</p>"
    groups = sorted(set(mix["group_a"]) | set(mix["group_b"]))
    if len(groups) > 30:
        keep = (
            pl.concat(
                [
                    mix.select(pl.col("group_a").alias("g"), "observed"),
                    mix.select(pl.col("group_b").alias("g"), "observed"),
                ]
            )
            .group_by("g")
            .agg(pl.col("observed").sum())
            .sort("observed", descending=True)
            .head(30)["g"]
            .to_list()
        )
        groups = sorted(keep)
    cell: dict[tuple[str, str], dict[str, Any]] = {}
    for r in mix.iter_rows(named=True):
        cell[(r["group_a"], r["group_b"])] = r
        cell[(r["group_b"], r["group_a"])] = r
    head = "".join(f"<th>{escape(g)}</th>" for g in groups)
    body = []
    for a in groups:
        tds = []
        for b in groups:
            found = cell.get((a, b))
            if found is None:
                tds.append("<td></td>")
                continue
            r = found
            ratio = r["ratio"]
            label = "–" if ratio is None else f"{ratio:.2f}×"
            title = f"{a} – {b}: {r['observed']:.1f} observed, {r['expected']:.1f} expected"
            tds.append(
                f"<td style='background:{_heat_colour(ratio)}' title='{escape(title)}'>"
                f"{escape(label)}<br><span class='small'>{r['observed']:.0f} / "
                f"{r['expected']:.1f}</span></td>"
            )
        body.append(f"<tr><th>{escape(a)}</th>{''.join(tds)}</tr>")
    return (
        f"<table class='heat'><tr><th></th>{head}</tr>{''.join(body)}</table>"
        "<p class='small'>Each cell: observed ties ÷ ties expected if partners were chosen at "
        "random given each actor's number of ties (red: fewer than expected, a gap; blue: "
        "more). Below: observed / expected.</p>"
    )


def _line_chart(frame: pl.DataFrame, x: str, y: str, label: str) -> str:
    if frame.height < 2:
        return ""
    xs, ys = frame[x].to_list(), [float(v or 0) for v in frame[y].to_list()]
    w, h, pad = 640, 180, 30
    top = max(ys) or 1.0
    step = (w - 2 * pad) / (len(xs) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{h - pad - (v / top) * (h - 2 * pad):.1f}" for i, v in enumerate(ys)
    )
    ticks = "".join(
        f"<text x='{pad + i * step:.1f}' y='{h - 8}' font-size='10' text-anchor='middle'>"
        f"{escape(str(v))}</text>"
        for i, v in enumerate(xs)
    )
    return (
        f"<svg width='{w}' height='{h}' role='img' aria-label='{escape(label)}'>"
        f"<polyline fill='none' stroke='#2f6fdf' stroke-width='2' points='{points}'/>"
        f"<text x='{pad}' y='14' font-size='11'>{escape(label)} (max {top:.0f})</text>"
        f"{ticks}</svg>"
    )


def _list(items: Iterable[str]) -> str:
    """Summary lines as a list; lines indented by two spaces nest under the line before."""
    out: list[str] = []
    nested: list[str] = []

    def close() -> None:
        if nested:
            out[-1] = out[-1].removesuffix("</li>") + "<ul>" + "".join(nested) + "</ul></li>"
            nested.clear()

    for item in items:
        if item.startswith("  ") and out:
            nested.append(f"<li>{escape(item.strip())}</li>")
            continue
        close()
        out.append(f"<li>{escape(item)}</li>")
    close()
    return "<ul class='summary'>" + "".join(out) + "</ul>"


def render_report(
    analysis: Analysis,
    *,
    sources: pl.DataFrame,
    stats: pl.DataFrame,
    database: str,
) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    analysis:
        A finished ``graph.analysis.gaps.run_analysis`` result.
    sources:
        The ``sources`` table (listed at the end, synthetic ones marked).
    stats:
        ``graph.store.stats.dataset_stats`` (the sourced / synthetic / unsourced shares).
    database:
        How to name the database in the header.
    """
    t = analysis.tables
    G = analysis.graph
    params = analysis.params
    names = {v: d.get("name") or v for v, d in G.nodes(data=True)}
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data_rows = stats.filter(pl.col("table_name") != "sources")
    total = int(data_rows["rows"].sum())
    synthetic = int(data_rows["synthetic"].sum())
    unsourced = int(data_rows["unsourced"].sum())
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        "<title>Innovation-system gap report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Innovation-system gap report</h1>",
        f"<p class='meta'>Generated {escape(generated)} by ecograph from "
        f"{escape(database)}, as of {escape(params.today.isoformat())}. Filter: "
        f"{escape(_describe_filter(params.filter.to_params()))}.</p>",
    ]
    if synthetic:
        parts.append(
            f"<div class='note'><b>Synthetic data:</b> {synthetic} of {total} rows "
            f"({synthetic / total:.0%}) are synthetic demo data generated by code, not facts "
            "about real organisations. Rerun with <code>--no-synthetic</code> for the sourced "
            "data alone.</div>"
        )
    parts += [
        "<h2>Summary</h2>",
        _list(analysis.summary_lines()),
        "<div class='cards'>",
        *(
            f"<div class='card'><b>{escape(str(v))}</b>{escape(k)}</div>"
            for k, v in (
                ("actors", analysis.actors),
                ("ties", analysis.ties),
                ("unreached targets", int((~t["support_distance"]["reached"]).sum())),
                ("cut points", int(t["actor_metrics"]["is_articulation_point"].sum())),
                ("bridges", t["bridges"].height),
                ("rows unsourced", unsourced),
            )
        ),
        "</div>",
        f"<h2>Who works with whom: mixing by {escape(params.group_by)}</h2>",
        _heatmap(t["group_mixing"], params.group_by),
        "<h3>E-I index (−1: works only inside its group, +1: only outside)</h3>",
        _table(
            t["ei_index"].filter(pl.col("grouping") == params.group_by),
            ["group", "actors", "internal", "external", "ei"],
        ),
        "<h2>Distance to the support system</h2>",
        _table(
            t["support_distance"].filter(~pl.col("reached")),
            ["name", "kind"],
            ["Unreached actor", "kind"],
        ),
        _table(
            t["support_distance"].filter(pl.col("reached")).sort("hops", descending=True),
            ["name", "kind", "hops", "nearest_support_name"],
            ["Actor", "kind", "hops to support", "nearest support actor"],
            limit=25,
        ),
        "<h2>Brokers</h2>",
        _table(
            t["actor_metrics"]
            .with_columns(pl.col("actor_id").replace_strict(names, default=None).alias("name"))
            .join(
                t["brokerage"].select("actor_id", "liaison", "gatekeeper_representative"),
                on="actor_id",
                how="left",
            )
            .sort("betweenness", descending=True),
            [
                "name",
                "degree",
                "betweenness",
                "burt_constraint",
                "liaison",
                "gatekeeper_representative",
                "is_articulation_point",
            ],
            [
                "Actor",
                "ties",
                "betweenness",
                "constraint",
                "liaison roles",
                "gatekeeper/representative roles",
                "cut point",
            ],
            limit=params.top,
        ),
        "<h2>Fragile points</h2>",
        _table(
            t["fragility"],
            [
                "name",
                "kind",
                "is_articulation_point",
                "components_after",
                "lost_support",
                "lost_support_names",
                "efficiency_drop",
            ],
            [
                "Without",
                "kind",
                "cut point",
                "parts after",
                "lose support",
                "who",
                "efficiency drop",
            ],
        ),
        f"<p>{t['bridges'].height} ties are bridges: removing any one splits the network.</p>",
        _table(t["bridges"], ["name_a", "name_b", "kinds"], ["Actor", "Actor", "kinds"], limit=20),
        "<h2>Ended and ending activities, and ties at risk</h2>",
        _table(analysis.ended, ["name", "end_date", "status"], ["Activity", "ends", "status"]),
        _table(
            t["at_risk_ties"],
            ["name_a", "name_b", "activity_name", "end_date", "status", "other_ties", "at_risk"],
            ["Actor", "Actor", "activity", "end date", "status", "other ties", "at risk"],
            limit=60,
        ),
        "<h2>Strength areas</h2>",
        _table(
            t["coverage_flags"],
            ["area_name", "actors", "academia", "industry", "support", "flags"],
            ["Strength area", "actors", "academia", "industry", "support actors", "missing"],
        ),
        "<h2>The network year by year</h2>",
        _line_chart(t["network_by_year"], "year", "ties", "ties per year"),
        _table(
            t["network_by_year"],
            [
                "year",
                "actors_active",
                "ties",
                "components",
                "largest_component_share",
                "new_pairs",
                "ended_pairs",
            ],
            [
                "year",
                "active actors",
                "tied pairs",
                "parts",
                "largest part share",
                "new pairs",
                "ended pairs",
            ],
        ),
        "<h2>Sources</h2>",
        f"<p>{total - synthetic - unsourced} rows rest on the sources below, {synthetic} are "
        f"synthetic and {unsourced} name no source.</p>",
        _sources(sources),
        "</body></html>",
    ]
    return "\n".join(parts)


def _describe_filter(flt: dict[str, Any]) -> str:
    bits = [
        f"{k} = {', '.join(v) if isinstance(v, list) else v}"
        for k, v in flt.items()
        if v not in (None, [], True)
    ]
    if flt.get("synthetic") is False:
        bits = [b for b in bits if not b.startswith("synthetic")] + ["sourced data only"]
    return "; ".join(bits) or "none (all actors and ties)"


def _sources(sources: pl.DataFrame) -> str:
    items = []
    for r in sources.iter_rows(named=True):
        title = escape(r["title"] or r["source_id"])
        url = r.get("url") or ""
        if url.startswith(("https://", "http://")):  # never a javascript: or data: link
            title = f"<a href='{escape(url)}'>{title}</a>"
        tag = " <span class='synthetic'>synthetic</span>" if r.get("synthetic") else ""
        tag += " <span class='synthetic'>no source named</span>" if r.get("auto") else ""
        publisher = f" — {escape(r['publisher'])}" if r.get("publisher") else ""
        items.append(
            f"<li>{title}{publisher}{tag} <span class='small'>"
            f"[{escape(r['source_id'])}]</span></li>"
        )
    return "<ol>" + "".join(items) + "</ol>"


def write_report(path: Path, html: str) -> Path:
    """Write the report (UTF-8) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
