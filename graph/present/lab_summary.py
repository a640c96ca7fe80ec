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
from graph.i18n import N_, NC_, NP_, translator, use_language
from graph.present.maps import LevelOfDetail, MapOptions, layout, network_html

__all__ = [
    "HELIX_LABELS",
    "PLURALS",
    "TEXTS",
    "VERDICT_TEXTS",
    "LabCounters",
    "added_line",
    "helix_words",
    "lab_counters",
    "lab_graph",
    "lab_map_html",
    "lab_summary",
    "lab_summary_html",
    "lab_ties",
    "lab_wanted",
    "wanted_vs_gaps",
]

# The summary's sentences; its headings are in the template (``{% trans %}``).
TEXTS: dict[str, str] = {
    "title": N_("Lab summary: {name}"),
    "added_line": N_("{orgs} stated {ties}; {new}."),
    "source": N_("Source: {source}. Generated {when}."),
    "pair": N_("{a} – {b}"),
}
PLURALS = {
    "orgs": NP_("{n} organisation", "{n} organisations"),
    "ties": NP_("{n} tie", "{n} ties"),
    "new": NP_(
        "{n} organisation was new to the database", "{n} organisations were new to the database"
    ),
    "wanted_line": NP_(
        "Participants named {n} missing link between {a} and {b}; the analysis finds that "
        "pair at {ratio} expected{verdict}.",
        "Participants named {n} missing links between {a} and {b}; the analysis finds that "
        "pair at {ratio} expected{verdict}.",
    ),
    "wanted_line_nodata": NP_(
        "Participants named {n} missing link between {a} and {b}; the analysis has too few "
        "ties between them to compare.",
        "Participants named {n} missing links between {a} and {b}; the analysis has too few "
        "ties between them to compare.",
    ),
}
VERDICT_TEXTS: dict[str, str] = {
    "gap": N_(" (a gap: the shortfall is unlikely by chance)"),
    "more_than_expected": N_(" (more than expected)"),
    "as_expected": N_(" (within what chance gives)"),
    "too_few_to_judge": N_(" (too few ties to judge)"),
}
# a helix as a sentence names it ("between academia and public")
HELIX_LABELS: dict[str, str] = {
    "academia": NC_("helix in a sentence", "academia"),
    "industry": NC_("helix in a sentence", "industry"),
    "public": NC_("helix in a sentence", "public"),
    "civil_society": NC_("helix in a sentence", "civil society"),
    "unknown": NC_("helix in a sentence", "unknown"),
}


def helix_words(helix: str, lang: str | None = None) -> str:
    """A helix as a sentence in ``lang`` names it (``academia``, Swedish ``akademin``)."""
    if helix not in HELIX_LABELS:
        return helix
    return translator(lang).pgettext("helix in a sentence", HELIX_LABELS[helix])


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


def wanted_vs_gaps(
    wanted: pl.DataFrame, mixing: pl.DataFrame | None, lang: str | None = None
) -> pl.DataFrame:
    """Wanted ties per helix pair beside the analysis's mixing of that pair, the sentence in
    ``lang`` (None: the language in force).

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
    >>> wanted_vs_gaps(wanted, mixing, "sv")["sentence"][0]
    'Deltagarna nämnde 2 saknade kopplingar mellan akademin och näringslivet; analysen mäter paret till 0,5× det förväntade.'
    """  # noqa: E501
    t = translator(lang)
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
        words = {"n": t.number(n), "a": helix_words(a, t.lang), "b": helix_words(b, t.lang)}
        if ratio is None or (m.get("expected") or 0) == 0:
            sentence = t.ngettext(*PLURALS["wanted_line_nodata"], n).format(**words)
        else:
            said = VERDICT_TEXTS.get(str(verdict)) if verdict else None
            sentence = t.ngettext(*PLURALS["wanted_line"], n).format(
                **words,
                ratio=t.number(float(f"{ratio:.2g}")) + "×",
                verdict=t.gettext(said) if said else "",
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


def _suggestions(
    G: nx.Graph | None, wanted: pl.DataFrame, top: int = 3, lang: str | None = None
) -> pl.DataFrame:
    """Top partner suggestions (``graph.analysis.partners``) for each organisation that named a
    wanted tie and is in the analysed network, explained in ``lang``."""
    schema = {"for": pl.String, "suggestion": pl.String, "why": pl.String}
    if G is None:
        return pl.DataFrame(schema=schema)
    rows = []
    for actor_id, name in (
        wanted.select("from_actor", "from_name").unique().sort("from_name").rows()
    ):
        if actor_id not in G:
            continue
        with use_language(translator(lang).lang):
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
    lang: str | None = None,
) -> dict[str, Any]:
    """Everything the summary shows: ``ties``, ``wanted``, ``by_helix`` (ties per helix pair),
    ``gaps`` (``wanted_vs_gaps``), ``suggestions`` and the headline numbers, the words in
    ``lang`` (None: the language in force)."""
    t = translator(lang)
    ties = lab_ties(con, source_id)
    wanted = lab_wanted(con, activity_id)
    orgs = set(ties["from_actor"].to_list())
    new = set(ties.filter("from_new")["from_actor"].to_list()) | set(
        ties.filter("to_new")["to_actor"].to_list()
    )
    pairs = [_pair(a, b) for a, b in ties.select("from_helix", "to_helix").iter_rows()]
    by_helix = (
        pl.DataFrame(
            {
                "pair": [
                    t.gettext(TEXTS["pair"]).format(
                        a=helix_words(a, t.lang), b=helix_words(b, t.lang)
                    )
                    for a, b in pairs
                ]
            },
            schema={"pair": pl.String},
        )
        .group_by("pair")
        .agg(pl.len().alias("ties"))
        .sort(["ties", "pair"], descending=[True, False])
    )
    return {
        "ties": ties,
        "wanted": wanted,
        "by_helix": by_helix,
        "gaps": wanted_vs_gaps(wanted, mixing, t.lang),
        "suggestions": _suggestions(network, wanted, lang=t.lang),
        "organisations": len(orgs | set(wanted["from_actor"].to_list())),
        "tie_count": ties.height,
        "new_organisations": len(new),
    }


def added_line(summary: Mapping[str, Any], lang: str | None = None) -> str:
    """What the lab added, in one sentence ("3 organisations stated 2 ties; 1 organisation was
    new to the database.")."""
    t = translator(lang)

    def count(key: str, n: int) -> str:
        return t.ngettext(*PLURALS[key], n).format(n=t.number(n))

    return t.gettext(TEXTS["added_line"]).format(
        orgs=count("orgs", summary["organisations"]),
        ties=count("ties", summary["tie_count"]),
        new=count("new", summary["new_organisations"]),
    )


@lru_cache(maxsize=8)
def _templates(lang: str) -> jinja2.Environment:
    """The templates with ``lang``'s messages installed (one environment per language: an
    environment's gettext is shared by every thread that renders with it)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("graph.present", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    t = translator(lang)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.gettext, t.ngettext, newstyle=True, pgettext=t.pgettext, npgettext=t.npgettext
    )
    return env


def lab_summary_html(
    summary: Mapping[str, Any], *, name: str, source_title: str, lang: str | None = None
) -> str:
    """The summary as a standalone HTML page in ``lang`` (None: the language in force; Jinja2,
    autoescape on: every name is text)."""
    t = translator(lang)
    now = datetime.now()
    return (
        _templates(t.lang)
        .get_template("lab_summary.html")
        .render(
            lang=t.lang,
            title=t.gettext(TEXTS["title"]).format(name=name),
            added=added_line(summary, t.lang),
            by_helix=[(pair, t.number(n)) for pair, n in summary["by_helix"].rows()],
            gaps=summary["gaps"]["sentence"].to_list(),
            wanted=summary["wanted"].select("from_name", "to_name", "obstacle").rows(),
            suggestions=summary["suggestions"].rows(),
            source=t.gettext(TEXTS["source"]).format(
                source=source_title, when=f"{t.date(now)} {now:%H:%M}"
            ),
        )
    )
