"""Two waves side by side: what was added and removed, and the indicators before and after.

``compare_waves`` reads the data as recorded at each wave (``graph.history.travel``) through the
same filter as every analysis, lists the differences (``graph.history.compare``) and, unless
asked not to, runs the gap analysis on both waves for the indicators a review reads: actors,
ties, cross-helix ties, ties that cross a region's border, support reach, gaps, brokers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import polars as pl

from graph.analysis.gaps import Analysis, AnalysisParams, run_analysis
from graph.analysis.network import GraphFilter, load_actors, load_ties
from graph.history.compare import (
    TIE_KEY,
    WaveDiff,
    affected_between,
    diff_waves,
    only_affected_ties,
)
from graph.history.snapshots import Wave
from graph.history.travel import time_travel
from graph.i18n import N_, NP_, translator

__all__ = [
    "GAP_RULE",
    "PLURALS",
    "TEXTS",
    "Indicator",
    "WaveComparison",
    "WaveState",
    "compare_waves",
    "difference_map_html",
    "gap_pairs",
    "wave_indicators",
    "wave_state",
]

# Said in the language chosen for the work in hand when the comparison is made (the app's cache
# of comparisons is keyed by the session's language for that reason).
TEXTS = {
    "actors": N_("actors"),
    "ties": N_("ties (pairs of actors that work together)"),
    "cross_helix": N_("ties across helices"),
    "extra_regional": N_("ties between actors of different regions"),
    "support_reach": N_("target actors with a path to support (share)"),
    "gaps": N_("gaps between groups"),
    "brokers": N_("top brokers (betweenness)"),
    "gap_rule_significance": N_("pairs the significance test calls a gap"),
    "gap_rule_ratio": N_(
        "pairs with fewer than half the ties their activity predicts (at least 2 expected); "
        "this build has no significance test of gaps"
    ),
    "no_change": N_("Nothing changed between {a} and {b} for this selection."),
    "summary_indicator": N_("{name}: {before} then, {after} now."),
    "gaps_opened": N_("Gaps opened: {gaps} ({rule})."),
    "gaps_closed": N_("Gaps closed: {gaps} ({rule})."),
    "record_time": N_(
        "Waves are points in record time (when ecograph learned the facts); the activities "
        "keep their own start and end dates."
    ),
    "comparing": N_("comparing"),
    "analysing": N_("analysing {wave}"),
    "new_tie": N_("new tie"),
    "lost_tie": N_("lost tie"),
    "kept_tie": N_("in both waves"),
}
# The English keeps its plural forms as they always were ("1 actors joined"); Swedish has both.
PLURALS = {
    "summary_actors": NP_(
        "{added} actors joined and {removed} left.", "{added} actors joined and {removed} left."
    ),
    "summary_ties": NP_(
        "{added} ties are new, {removed} were lost and {changed} changed.",
        "{added} ties are new, {removed} were lost and {changed} changed.",
    ),
}

PLACEHOLDER_GROUPS = ("(unknown)", "(none)")


@dataclass(frozen=True)
class WaveState:
    """The filtered actors and ties of one wave (and its analysis, when asked for).

    Without ``complete`` the ties are only those that can differ between the two waves
    compared (``graph.history.compare.only_affected_ties``): enough for the lists, not for
    counting ties."""

    wave: Wave
    actors: pl.DataFrame
    ties: pl.DataFrame
    analysis: Analysis | None = None
    complete: bool = True


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    before: Any
    after: Any


@dataclass
class WaveComparison:
    """Everything the Changes page, ``ecograph compare`` and the review pack show."""

    before: WaveState
    after: WaveState
    diff: WaveDiff
    indicators: list[Indicator] = field(default_factory=list)
    gaps_opened: list[str] = field(default_factory=list)
    gaps_closed: list[str] = field(default_factory=list)
    gap_rule: str = ""

    def by(self, column: str) -> pl.DataFrame:
        """Ties added and removed per value of ``column`` (kind, helix_pair or area)."""
        added = _tie_groups(self.diff.ties_added, self.after, column).rename({"n": "added"})
        removed = _tie_groups(self.diff.ties_removed, self.before, column).rename({"n": "removed"})
        return added.join(removed, on=column, how="full", coalesce=True).fill_null(0).sort(column)

    def summary_lines(self) -> list[str]:
        """The comparison in plain words: every sentence holds on the waves and filter used."""
        t = translator()
        d = self.diff
        a, b = self.before.wave.label, self.after.wave.label
        if d.empty:
            lines = [t.gettext(TEXTS["no_change"]).format(a=a, b=b)]
        else:
            joined = len(d.actors_added)
            lines = [
                t.ngettext(*PLURALS["summary_actors"], joined).format(
                    added=t.number(joined), removed=t.number(len(d.actors_removed))
                ),
                t.ngettext(*PLURALS["summary_ties"], d.ties_added.height).format(
                    added=t.number(d.ties_added.height),
                    removed=t.number(d.ties_removed.height),
                    changed=t.number(d.ties_changed.height),
                ),
            ]
        for ind in self.indicators:
            if ind.before != ind.after:
                lines.append(
                    t.gettext(TEXTS["summary_indicator"]).format(
                        name=ind.label.capitalize(),
                        before=_shown(ind.before, t.lang),
                        after=_shown(ind.after, t.lang),
                    )
                )
        if self.gaps_opened:
            gaps = ", ".join(self.gaps_opened)
            lines.append(t.gettext(TEXTS["gaps_opened"]).format(gaps=gaps, rule=self.gap_rule))
        if self.gaps_closed:
            gaps = ", ".join(self.gaps_closed)
            lines.append(t.gettext(TEXTS["gaps_closed"]).format(gaps=gaps, rule=self.gap_rule))
        return lines

    def to_json(self) -> dict[str, Any]:
        """The shape of ``ecograph compare --json``."""

        def ties(frame: pl.DataFrame) -> list[dict[str, Any]]:
            return frame.select(list(TIE_KEY)).to_dicts()

        return {
            "from": _wave_json(self.before.wave),
            "to": _wave_json(self.after.wave),
            "actors": {"added": self.diff.actors_added, "removed": self.diff.actors_removed},
            "ties": {
                "added": ties(self.diff.ties_added),
                "removed": ties(self.diff.ties_removed),
                "changed": ties(self.diff.ties_changed),
            },
            "by_kind": self.by("kind").to_dicts(),
            "by_helix_pair": self.by("helix_pair").to_dicts(),
            "indicators": [
                {"name": i.name, "label": i.label, "before": i.before, "after": i.after}
                for i in self.indicators
            ],
            "gaps": {"opened": self.gaps_opened, "closed": self.gaps_closed, "rule": self.gap_rule},
            "summary": self.summary_lines(),
            "note": translator().gettext(TEXTS["record_time"]),
        }


def _shown(value: Any, lang: str) -> str:
    """An indicator's value as the language writes it (a count as a number, text as it is)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return translator(lang).number(value)
    return str(value)


def _wave_json(w: Wave) -> dict[str, Any]:
    return {
        "wave": w.spec,
        "change_id": w.change_id,
        "label": w.label,
        "recorded_at": w.recorded_at.isoformat() if w.recorded_at else None,
    }


def _tie_groups(ties: pl.DataFrame, state: WaveState, column: str) -> pl.DataFrame:
    if column == "kind":
        return ties.group_by("kind").agg(pl.len().alias("n"))
    helix = state.actors.select("actor_id", pl.col("helix").fill_null("(unknown)"))
    pairs = (
        ties.join(helix.rename({"actor_id": "actor_a", "helix": "ha"}), on="actor_a", how="left")
        .join(helix.rename({"actor_id": "actor_b", "helix": "hb"}), on="actor_b", how="left")
        .with_columns(
            pl.concat_str(
                [pl.min_horizontal("ha", "hb"), pl.max_horizontal("ha", "hb")], separator="–"
            ).alias("helix_pair")
        )
    )
    return pairs.group_by("helix_pair").agg(pl.len().alias("n"))


def wave_state(
    con: duckdb.DuckDBPyConnection,
    wave: Wave,
    flt: GraphFilter,
    params: AnalysisParams | None = None,
) -> WaveState:
    """The actors and ties of ``wave`` that pass ``flt`` (and the analysis when ``params``)."""
    with time_travel(con, wave.change_id):
        actors = load_actors(con, flt)
        ties = load_ties(con, flt, actors)
        analysis = (
            run_analysis(con, replace(params, filter=flt), cache=True)
            if params is not None
            else None
        )
    return WaveState(wave, actors, ties, analysis)


def _changed_ties(
    con: duckdb.DuckDBPyConnection, before: Wave, after: Wave, flt: GraphFilter
) -> tuple[WaveDiff, WaveState, WaveState]:
    """The lists, reading only the ties that can differ: those resting on rows changed between
    the waves or touching an actor that entered or left the filter (seconds at 3M ties where
    reading both waves whole takes tens)."""
    with time_travel(con, before.change_id):
        actors_a = load_actors(con, flt)
    with time_travel(con, after.change_id):
        actors_b = load_actors(con, flt)
    moved = sorted(set(actors_a["actor_id"]) ^ set(actors_b["actor_id"]))
    affected = affected_between(con, before.change_id, after.change_id)
    frames = []
    for wave, actors in ((before, actors_a), (after, actors_b)):
        with (
            time_travel(con, wave.change_id),
            only_affected_ties(con, wave.change_id, affected, moved),
        ):
            frames.append(load_ties(con, flt, actors))
    diff = diff_waves(actors_a, actors_b, frames[0], frames[1])
    return (
        diff,
        WaveState(before, actors_a, frames[0], complete=affected.everything),
        WaveState(after, actors_b, frames[1], complete=affected.everything),
    )


GAP_RULE = "ratio"


def gap_pairs(analysis: Analysis) -> tuple[set[str], str]:
    """The group pairs the analysis calls gaps (by its grouping), and the rule used.

    With the significance columns of ``group_mixing`` (``verdict``), a gap is what the test
    says; without them, a pair with fewer than half the expected ties and at least 2 expected.
    """
    mix = analysis.tables["group_mixing"].filter(
        (pl.col("grouping") == analysis.params.group_by)
        & (pl.col("group_a") != pl.col("group_b"))
        & ~pl.col("group_a").is_in(PLACEHOLDER_GROUPS)
        & ~pl.col("group_b").is_in(PLACEHOLDER_GROUPS)
    )
    if "verdict" in mix.columns:
        gaps = mix.filter(pl.col("verdict") == "gap")
        rule = translator().gettext(TEXTS["gap_rule_significance"])
    else:
        gaps = mix.filter((pl.col("expected") >= 2) & (pl.col("ratio") < 0.5))
        rule = translator().gettext(TEXTS["gap_rule_ratio"])
    return {f"{r['group_a']} – {r['group_b']}" for r in gaps.iter_rows(named=True)}, rule


def wave_indicators(state: WaveState) -> dict[str, Any]:
    """The indicators of one wave (the analysis ones only when the state has an analysis)."""
    actors, ties = state.actors, state.ties
    if not state.complete:
        return {"actors": actors.height}
    pairs = ties.select("actor_a", "actor_b").unique()
    info = actors.select("actor_id", "helix", "region")
    joined = pairs.join(
        info.rename({"actor_id": "actor_a", "helix": "ha", "region": "ra"}), on="actor_a"
    ).join(info.rename({"actor_id": "actor_b", "helix": "hb", "region": "rb"}), on="actor_b")
    out: dict[str, Any] = {
        "actors": actors.height,
        "ties": pairs.height,
        "cross_helix": joined.filter(
            pl.col("ha").is_not_null() & pl.col("hb").is_not_null() & (pl.col("ha") != pl.col("hb"))
        ).height,
        "extra_regional": joined.filter(
            pl.col("ra").is_not_null() & pl.col("rb").is_not_null() & (pl.col("ra") != pl.col("rb"))
        ).height,
    }
    a = state.analysis
    if a is not None:
        sd = a.tables["support_distance"]
        reached = sd.select(pl.col("reached").cast(pl.Float64).mean()).item() if sd.height else None
        out["support_reach"] = translator().percent(reached) if reached is not None else "—"
        gaps, _ = gap_pairs(a)
        out["gaps"] = len(gaps)
        metrics = a.tables["actor_metrics"]
        if metrics.height and "betweenness" in metrics.columns:
            names = dict(zip(actors["actor_id"], actors["name"], strict=True))
            top = metrics.sort("betweenness", descending=True, nulls_last=True).head(3)
            out["brokers"] = ", ".join(names.get(i, i) for i in top["actor_id"].to_list())
        else:
            out["brokers"] = "—"
    return out


def compare_waves(
    con: duckdb.DuckDBPyConnection,
    before: Wave,
    after: Wave,
    flt: GraphFilter | None = None,
    params: AnalysisParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> WaveComparison:
    """Compare two waves through ``flt``; with ``params`` also the analysis indicators.

    Examples
    --------
    >>> # compare_waves(con, resolve_wave(con, "review 2026 H1"), resolve_wave(con, "now"))
    """
    t = translator()
    say = progress or (lambda _m: None)
    flt = flt or GraphFilter()
    say(t.gettext(TEXTS["comparing"]))
    diff, light_a, light_b = _changed_ties(con, before, after, flt)
    if params is None:
        a, b = light_a, light_b
    else:
        say(t.gettext(TEXTS["analysing"]).format(wave=before.label))
        a = wave_state(con, before, flt, params)
        say(t.gettext(TEXTS["analysing"]).format(wave=after.label))
        b = wave_state(con, after, flt, params)
    result = WaveComparison(a, b, diff)
    ia, ib = wave_indicators(a), wave_indicators(b)
    result.indicators = [
        Indicator(name, t.gettext(TEXTS[name]), ia[name], ib[name]) for name in ia if name in ib
    ]
    if a.analysis is not None and b.analysis is not None:
        gaps_a, rule = gap_pairs(a.analysis)
        gaps_b, _ = gap_pairs(b.analysis)
        result.gaps_opened = sorted(gaps_b - gaps_a)
        result.gaps_closed = sorted(gaps_a - gaps_b)
        result.gap_rule = rule
    return result


NEW_TIE_COLOR = "#1a9850"  # green: a tie the later wave has and the earlier lacked
LOST_TIE_COLOR = "#d73027"  # red, dashed: a tie the earlier wave had and the later lost
KEPT_TIE_COLOR = "#b8c0cc"


def difference_map_html(result: WaveComparison, budget: int = 300, height_px: int = 640) -> str:
    """A network map of what changed: the actors of new and lost ties (the ``budget`` with the
    most changes), new ties in green, lost ties dashed red, ties both waves have in grey."""
    import networkx as nx
    from pyvis.network import Network

    from graph.present.maps import _text, layout

    t = translator()
    d = result.diff
    changed = pl.concat(
        [
            d.ties_added.select("actor_a", "actor_b").with_columns(pl.lit("new").alias("state")),
            d.ties_removed.select("actor_a", "actor_b").with_columns(pl.lit("lost").alias("state")),
        ]
    )
    counts = (
        pl.concat(
            [
                changed.select(pl.col("actor_a").alias("v")),
                changed.select(pl.col("actor_b").alias("v")),
            ]
        )
        .group_by("v")
        .agg(pl.len().alias("n"))
        .sort(["n", "v"], descending=[True, False])
        .head(budget)
    )
    keep = set(counts["v"].to_list())
    names = {
        **dict(zip(result.before.actors["actor_id"], result.before.actors["name"], strict=True)),
        **dict(zip(result.after.actors["actor_id"], result.after.actors["name"], strict=True)),
    }
    G = nx.Graph()
    G.add_nodes_from(keep)
    # per pair: new (it gained a tie), kept (it has ties in both waves), lost (it has none now)
    new_pairs = set(d.ties_added.select("actor_a", "actor_b").iter_rows())
    edges: dict[tuple[str, str], str] = {}
    after_pairs = result.after.ties.select("actor_a", "actor_b").unique()
    inside = pl.col("actor_a").is_in(keep) & pl.col("actor_b").is_in(keep)
    for a, b in after_pairs.filter(inside).iter_rows():
        edges[(a, b)] = "new" if (a, b) in new_pairs else "kept"
    for a, b in d.ties_removed.select("actor_a", "actor_b").filter(inside).iter_rows():
        edges.setdefault((a, b), "lost")
    G.add_edges_from(edges)
    positions = layout(G) if G.number_of_nodes() else {}
    nodes = [
        {
            "id": v,
            "label": _text(names.get(v, v)),
            "title": _text(names.get(v, v)),
            "x": positions[v][0],
            "y": positions[v][1],
            "size": 10,
            "color": {"background": "#4c78a8", "border": "#333333"},
            "shape": "dot",
        }
        for v in G
    ]
    styles = {
        "new": {
            "color": {"color": NEW_TIE_COLOR},
            "width": 3,
            "title": t.gettext(TEXTS["new_tie"]),
        },
        "lost": {
            "color": {"color": LOST_TIE_COLOR},
            "width": 2,
            "dashes": True,
            "title": t.gettext(TEXTS["lost_tie"]),
        },
        "kept": {
            "color": {"color": KEPT_TIE_COLOR, "opacity": 0.6},
            "width": 1,
            "title": t.gettext(TEXTS["kept_tie"]),
        },
    }
    net = Network(height=f"{height_px}px", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    net.nodes = nodes
    net.edges = [{"from": a, "to": b, **styles[s]} for (a, b), s in edges.items()]
    net.set_options(
        '{"physics": {"enabled": false}, "interaction": {"hover": true, "navigationButtons": true},'
        ' "edges": {"smooth": false}, "nodes": {"font": {"face": "sans-serif"}}}'
    )
    html = net.generate_html()
    html = re.sub(r"<link\s[^>]*cdn\.jsdelivr\.net[^>]*/>\s*", "", html)
    return re.sub(r"<script\s[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>\s*", "", html)
