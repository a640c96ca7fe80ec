"""A learning lab as the projector and the report show it: its ties and organisations, the
counters, the map, and after the lab the summary — what the lab added, and the wanted ties its
participants named set beside the gaps the analysis measures.

A lab is known here by its activity and source ids (``graph.labs`` owns the join codes; present
does not import it): approved ties are the relations sourced to the lab, wanted ties the
``wanted_ties`` rows of its activity. Pending ties from the queue, when shown, are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import duckdb
import jinja2
import networkx as nx
import polars as pl

from graph.analysis.partners import suggest_partners
from graph.present.maps import LevelOfDetail, MapOptions, layout, network_html

__all__ = [
    "TEXTS",
    "VERDICT_TEXTS",
    "LabCounters",
    "lab_counters",
    "lab_graph",
    "lab_map_html",
    "lab_summary",
    "lab_summary_html",
    "lab_ties",
    "lab_wanted",
    "wanted_vs_gaps",
]

TEXTS: dict[str, str] = {
    "title": "Lab summary: {name}",
    "added": "What the lab added",
    "added_line": (
        "{orgs} organisations stated {ties} ties; {new} organisations were new to the database."
    ),
    "by_helix": "Ties by helix pair",
    "wanted": "Wanted ties and the measured gaps",
    "wanted_none": "No wanted ties were named in this lab.",
    "wanted_line": (
        "Participants named {n} missing link{s} between {a} and {b}; the analysis finds that "
        "pair at {ratio} expected{verdict}."
    ),
    "wanted_line_nodata": (
        "Participants named {n} missing link{s} between {a} and {b}; the analysis has too few "
        "ties between them to compare."
    ),
    "suggestions": "Partner suggestions for those who named a wanted tie",
    "suggestions_none": "No organisation that named a wanted tie is in the analysed network.",
    "wanted_table": "Every wanted tie",
    "source": "Source: {source}. Generated {when}.",
    "col_from": "named by",
    "col_to": "would like to reach",
    "col_obstacle": "what stops it",
    "col_pair": "helix pair",
    "col_ties": "ties",
    "col_for": "for",
    "col_suggestion": "suggested partner",
    "col_why": "why",
}
VERDICT_TEXTS: dict[str, str] = {
    "gap": " (a gap: the shortfall is unlikely by chance)",
    "more_than_expected": " (more than expected)",
    "as_expected": " (within what chance gives)",
    "too_few_to_judge": " (too few ties to judge)",
}


def lab_ties(con: duckdb.DuckDBPyConnection, source_id: str) -> pl.DataFrame:
    """The lab's approved ties with both organisations' names, kinds and helices."""
    return con.sql(
        """
        SELECT r.relation_id, r.from_actor, a.name AS from_name, CAST(a.kind AS VARCHAR) AS
               from_kind, CAST(coalesce(a.helix, k1.default_helix) AS VARCHAR) AS from_helix,
               r.to_actor, b.name AS to_name, CAST(b.kind AS VARCHAR) AS to_kind,
               CAST(coalesce(b.helix, k2.default_helix) AS VARCHAR) AS to_helix,
               CAST(r.kind AS VARCHAR) AS kind, r.weight,
               a.source_id = $1 AS from_new, b.source_id = $1 AS to_new
        FROM relations AS r
        JOIN actors AS a ON a.actor_id = r.from_actor
        JOIN actors AS b ON b.actor_id = r.to_actor
        LEFT JOIN actor_kinds AS k1 ON k1.kind = a.kind
        LEFT JOIN actor_kinds AS k2 ON k2.kind = b.kind
        WHERE r.source_id = $1
        ORDER BY r.relation_id
        """,
        params=[source_id],
    ).pl()


def lab_wanted(con: duckdb.DuckDBPyConnection, activity_id: str) -> pl.DataFrame:
    """The lab's wanted ties with both organisations' names and helices."""
    return con.sql(
        """
        SELECT w.wanted_id, w.from_actor, a.name AS from_name,
               CAST(coalesce(a.helix, k1.default_helix) AS VARCHAR) AS from_helix,
               w.to_actor, b.name AS to_name,
               CAST(coalesce(b.helix, k2.default_helix) AS VARCHAR) AS to_helix, w.obstacle
        FROM wanted_ties AS w
        JOIN actors AS a ON a.actor_id = w.from_actor
        JOIN actors AS b ON b.actor_id = w.to_actor
        LEFT JOIN actor_kinds AS k1 ON k1.kind = a.kind
        LEFT JOIN actor_kinds AS k2 ON k2.kind = b.kind
        WHERE w.activity_id = $1
        ORDER BY w.wanted_id
        """,
        params=[activity_id],
    ).pl()


@dataclass(frozen=True)
class LabCounters:
    """What the projector counts: organisations and ties, and the helices, kinds and strength
    areas present among the organisations."""

    organisations: int
    ties: int
    pending_ties: int
    helices: tuple[str, ...]
    kinds: tuple[str, ...]
    areas: tuple[str, ...] = field(default=())


def lab_graph(ties: pl.DataFrame, pending: pl.DataFrame | None = None) -> nx.Graph:
    """The lab's organisations and ties as a graph (node attributes name, kind, helix; edge
    attribute ``pending`` for ties still in the queue). ``pending`` has from_actor, from_name,
    from_kind, to_actor, to_name, to_kind."""
    G = nx.Graph()
    frames = [ties.with_columns(pl.lit(False).alias("pending"))]
    if pending is not None and pending.height:
        frames.append(pending.with_columns(pl.lit(True).alias("pending")))
    for frame in frames:
        for r in frame.iter_rows(named=True):
            for end in ("from", "to"):
                G.add_node(
                    r[f"{end}_actor"],
                    name=r[f"{end}_name"],
                    kind=r.get(f"{end}_kind") or "other",
                    helix=r.get(f"{end}_helix"),
                )
            if not G.has_edge(r["from_actor"], r["to_actor"]) or not r["pending"]:
                G.add_edge(r["from_actor"], r["to_actor"], pending=r["pending"], weight=1.0)
    return G


def lab_counters(G: nx.Graph, areas: Mapping[str, list[str]] | None = None) -> LabCounters:
    """Counters of the lab's graph; ``areas`` maps actor ids to their strength areas' names."""
    approved = sum(1 for *_, d in G.edges(data=True) if not d.get("pending"))
    helices = sorted({str(h) for _, h in G.nodes(data="helix") if h})
    kinds = sorted({str(k) for _, k in G.nodes(data="kind") if k})
    present = sorted({a for v in G for a in (areas or {}).get(v, [])})
    return LabCounters(
        organisations=G.number_of_nodes(),
        ties=approved,
        pending_ties=G.number_of_edges() - approved,
        helices=tuple(helices),
        kinds=tuple(kinds),
        areas=tuple(present),
    )


def lab_map_html(G: nx.Graph, *, newest: tuple[str, ...] = (), height_px: int = 640) -> str:
    """The projector's map: pending ties dashed, the organisations of the newest ties larger."""
    approved = nx.Graph()
    approved.add_nodes_from(G.nodes(data=True))
    approved.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if not d.get("pending"))
    pending = tuple((u, v) for u, v, d in G.edges(data=True) if d.get("pending"))
    lod = LevelOfDetail(graph=approved, mode="all")
    options = MapOptions(
        color_by="helix",
        size_by=None,
        suggested=pending,
        highlight=newest,
        height_px=height_px,
        mark_cut_points=False,
    )
    html, _legend = network_html(lod, layout(approved) if len(approved) else {}, options=options)
    return html


def _pair(a: str | None, b: str | None) -> tuple[str, str]:
    x, y = a or "unknown", b or "unknown"
    return (x, y) if x <= y else (y, x)


def wanted_vs_gaps(wanted: pl.DataFrame, mixing: pl.DataFrame | None) -> pl.DataFrame:
    """Wanted ties per helix pair beside the analysis's mixing of that pair.

    Returns ``group_a, group_b, wanted, observed, expected, ratio, verdict, sentence``, most
    wanted first. ``mixing`` is a ``group_mixing`` frame (its ``helix`` rows are used; the
    ``verdict`` column is used when the analysis has it).

    Examples
    --------
    >>> wanted = pl.DataFrame({"from_helix": ["academia", "industry"],
    ...                        "to_helix": ["industry", "academia"]})
    >>> mixing = pl.DataFrame({"grouping": ["helix"], "group_a": ["academia"],
    ...     "group_b": ["industry"], "observed": [2.0], "expected": [4.0], "ratio": [0.5]})
    >>> wanted_vs_gaps(wanted, mixing)["sentence"][0]
    'Participants named 2 missing links between academia and industry; the analysis finds that pair at 0.5× expected.'
    """  # noqa: E501
    counts: dict[tuple[str, str], int] = {}
    for a, b in wanted.select("from_helix", "to_helix").iter_rows():
        counts[_pair(a, b)] = counts.get(_pair(a, b), 0) + 1
    measured: dict[tuple[str, str], dict[str, Any]] = {}
    if mixing is not None and mixing.height:
        for r in mixing.filter(pl.col("grouping") == "helix").iter_rows(named=True):
            measured[_pair(r["group_a"], r["group_b"])] = r
    rows = []
    for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        m = measured.get((a, b), {})
        ratio = m.get("ratio")
        verdict = m.get("verdict")
        if ratio is None or (m.get("expected") or 0) == 0:
            sentence = TEXTS["wanted_line_nodata"].format(n=n, s="" if n == 1 else "s", a=a, b=b)
        else:
            sentence = TEXTS["wanted_line"].format(
                n=n,
                s="" if n == 1 else "s",
                a=a,
                b=b,
                ratio=f"{ratio:.2g}×",
                verdict=VERDICT_TEXTS.get(str(verdict), "") if verdict else "",
            )
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "wanted": n,
                "observed": m.get("observed"),
                "expected": m.get("expected"),
                "ratio": ratio,
                "verdict": str(verdict) if verdict else None,
                "sentence": sentence,
            }
        )
    schema = {
        "group_a": pl.String,
        "group_b": pl.String,
        "wanted": pl.Int64,
        "observed": pl.Float64,
        "expected": pl.Float64,
        "ratio": pl.Float64,
        "verdict": pl.String,
        "sentence": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _suggestions(G: nx.Graph | None, wanted: pl.DataFrame, top: int = 3) -> pl.DataFrame:
    """Top partner suggestions (``graph.analysis.partners``) for each organisation that named a
    wanted tie and is in the analysed network."""
    schema = {"for": pl.String, "suggestion": pl.String, "why": pl.String}
    if G is None:
        return pl.DataFrame(schema=schema)
    rows = []
    for actor_id, name in (
        wanted.select("from_actor", "from_name").unique().sort("from_name").rows()
    ):
        if actor_id not in G:
            continue
        found = suggest_partners(G, actor_id, top=top)
        for r in found.iter_rows(named=True):
            rows.append({"for": name, "suggestion": r["name"], "why": r["explanation"]})
    return pl.DataFrame(rows, schema=schema)


def lab_summary(
    con: duckdb.DuckDBPyConnection,
    *,
    activity_id: str,
    source_id: str,
    mixing: pl.DataFrame | None = None,
    network: nx.Graph | None = None,
) -> dict[str, Any]:
    """Everything the summary shows: ``ties``, ``wanted``, ``by_helix`` (ties per helix pair),
    ``gaps`` (``wanted_vs_gaps``), ``suggestions`` and the headline numbers."""
    ties = lab_ties(con, source_id)
    wanted = lab_wanted(con, activity_id)
    orgs = set(ties["from_actor"].to_list())
    new = set(ties.filter("from_new")["from_actor"].to_list()) | set(
        ties.filter("to_new")["to_actor"].to_list()
    )
    pairs = [_pair(a, b) for a, b in ties.select("from_helix", "to_helix").iter_rows()]
    by_helix = (
        pl.DataFrame({"pair": [f"{a} – {b}" for a, b in pairs]}, schema={"pair": pl.String})
        .group_by("pair")
        .agg(pl.len().alias("ties"))
        .sort(["ties", "pair"], descending=[True, False])
    )
    return {
        "ties": ties,
        "wanted": wanted,
        "by_helix": by_helix,
        "gaps": wanted_vs_gaps(wanted, mixing),
        "suggestions": _suggestions(network, wanted),
        "organisations": len(orgs | set(wanted["from_actor"].to_list())),
        "tie_count": ties.height,
        "new_organisations": len(new),
    }


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("graph.present", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def lab_summary_html(summary: Mapping[str, Any], *, name: str, source_title: str) -> str:
    """The summary as a standalone HTML page (Jinja2, autoescape on: every name is text)."""
    t = TEXTS
    return (
        _templates()
        .get_template("lab_summary.html")
        .render(
            t=t,
            title=t["title"].format(name=name),
            added=t["added_line"].format(
                orgs=summary["organisations"],
                ties=summary["tie_count"],
                new=summary["new_organisations"],
            ),
            by_helix=summary["by_helix"].rows(),
            gaps=summary["gaps"]["sentence"].to_list(),
            wanted=summary["wanted"].select("from_name", "to_name", "obstacle").rows(),
            suggestions=summary["suggestions"].rows(),
            source=t["source"].format(
                source=source_title, when=datetime.now().strftime("%Y-%m-%d %H:%M")
            ),
        )
    )
