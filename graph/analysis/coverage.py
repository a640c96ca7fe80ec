"""Who is present in each smart-specialisation strength area, and what is missing.

For every strength area: actors and ties by helix and by kind, and flags for areas that have no
academia, no industry or no support actor — the places where a cluster has nobody to turn to.
"""

from __future__ import annotations

import networkx as nx
import polars as pl

from graph.analysis.mixing import NO_AREA, UNKNOWN
from graph.analysis.network import edges_frame, nodes_frame
from graph.i18n import N_, translator

__all__ = ["coverage", "coverage_flags", "flags_text"]

# The flags of ``coverage_flags``: stored in English, as values of the data (the analysis
# tables are cached and shared by every language), and shown through ``flags_text``.
FLAG_TEXTS = {
    "no academia": N_("no academia"),
    "no industry": N_("no industry"),
    "no support actor": N_("no support actor"),
}

_COVERAGE_SCHEMA = {
    "area_id": pl.String,
    "area_name": pl.String,
    "dimension": pl.String,
    "value": pl.String,
    "actors": pl.Int64,
    "ties": pl.Int64,
}


def _area_members(G: nx.Graph, areas: pl.DataFrame) -> pl.DataFrame:
    nodes = (
        nodes_frame(G)
        .with_columns(
            pl.when(pl.col("areas").list.len() == 0)
            .then(pl.lit([NO_AREA]))
            .otherwise(pl.col("areas"))
            .alias("area_id")
        )
        .explode("area_id")
    )
    names = areas.select("area_id", pl.col("name").alias("area_name"))
    return nodes.join(names, on="area_id", how="left").with_columns(
        pl.col("area_name").fill_null(pl.col("area_id")),
        pl.col("helix").fill_null(UNKNOWN),
    )


def coverage(G: nx.Graph, areas: pl.DataFrame) -> pl.DataFrame:
    """Actors and ties per strength area × helix and × kind.

    A tie counts for an (area, value) cell when at least one of its two actors is in that cell.
    ``areas`` has ``area_id, name`` (every area appears, even an empty one).

    Examples
    --------
    >>> G = nx.Graph([("u", "f")])
    >>> nx.set_node_attributes(G, {"u": ("energy",), "f": ("energy",)}, "areas")
    >>> nx.set_node_attributes(G, {"u": "academia", "f": "industry"}, "helix")
    >>> nx.set_node_attributes(G, {"u": "academia", "f": "company"}, "kind")
    >>> areas = pl.DataFrame({"area_id": ["energy"], "name": ["Energy"]})
    >>> coverage(G, areas).filter(dimension="helix").select("value", "actors", "ties").rows()
    [('academia', 1, 1), ('industry', 1, 1)]
    """
    members = _area_members(G, areas)
    if members.height == 0:
        return pl.DataFrame(schema=_COVERAGE_SCHEMA)
    edges = edges_frame(G).with_row_index("edge")
    ends = pl.concat(
        [
            edges.select("edge", pl.col("actor_a").alias("actor_id")),
            edges.select("edge", pl.col("actor_b").alias("actor_id")),
        ]
    )
    parts = []
    for dimension in ("helix", "kind"):
        cells = members.select("actor_id", "area_id", "area_name", pl.col(dimension).alias("value"))
        actors = cells.group_by("area_id", "area_name", "value").agg(
            pl.col("actor_id").n_unique().alias("actors")
        )
        ties = (
            cells.join(ends, on="actor_id")
            .group_by("area_id", "value")
            .agg(pl.col("edge").n_unique().alias("ties"))
        )
        parts.append(
            actors.join(ties, on=["area_id", "value"], how="left").with_columns(
                pl.lit(dimension).alias("dimension"), pl.col("ties").fill_null(0)
            )
        )
    return (
        pl.concat(parts)
        .select(list(_COVERAGE_SCHEMA))
        .cast({"actors": pl.Int64, "ties": pl.Int64})
        .sort("area_id", "dimension", "value")
    )


def coverage_flags(G: nx.Graph, areas: pl.DataFrame) -> pl.DataFrame:
    """Per strength area: actors, academia, industry and support actors, and what is missing.

    Returns ``area_id, area_name, actors, academia, industry, support, flags`` where ``flags``
    lists "no academia", "no industry", "no support actor" (empty when nothing is missing). Areas
    of ``areas`` without any actor appear with zeros.
    """
    members = _area_members(G, areas)
    counts = members.group_by("area_id").agg(
        pl.len().alias("actors"),
        (pl.col("helix") == "academia").sum().alias("academia"),
        (pl.col("helix") == "industry").sum().alias("industry"),
        pl.col("support").fill_null(False).sum().alias("support"),
    )
    all_areas = areas.select("area_id", pl.col("name").alias("area_name"))
    if members.filter(pl.col("area_id") == NO_AREA).height:
        all_areas = pl.concat(
            [all_areas, pl.DataFrame({"area_id": [NO_AREA], "area_name": [NO_AREA]})]
        )
    out = all_areas.join(counts, on="area_id", how="left").with_columns(
        pl.col("actors", "academia", "industry", "support").fill_null(0).cast(pl.Int64)
    )
    flags = pl.concat_str(
        [
            pl.when(pl.col("academia") == 0).then(pl.lit("no academia")),
            pl.when(pl.col("industry") == 0).then(pl.lit("no industry")),
            pl.when(pl.col("support") == 0).then(pl.lit("no support actor")),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return out.with_columns(flags.alias("flags")).sort("area_id")


def flags_text(flags: str, lang: str | None = None) -> str:
    """A ``flags`` value of ``coverage_flags`` as people read it in ``lang`` (default: the
    language in force); flags it does not know are kept as they are.

    >>> flags_text("no academia; no support actor", "sv")
    'ingen akademi; ingen stödaktör'
    >>> flags_text("", "sv")
    ''
    """
    t = translator(lang)
    return "; ".join(
        t.gettext(FLAG_TEXTS[f]) if f in FLAG_TEXTS else f for f in flags.split("; ") if f
    )
