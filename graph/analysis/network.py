"""Build networkx graphs from the store: actors as nodes, collaborations as weighted edges.

The ``collaborations`` view has one row per pair of actors per shared activity or relation; the
graph has one undirected edge per pair whose ``weight`` sums them (a shared activity counts 1, a
relation its own weight) and which keeps what they were: ``count``, ``kinds``, ``activities``,
``relations`` and the span of dates. Filters select actors (kind, helix, municipality, region,
strength area, synthetic) and ties (a time window, synthetic); a tie needs both ends kept.

All selection and aggregation is done by DuckDB and polars; Python only hands finished rows to
networkx.
"""

from __future__ import annotations

import gc
import json
import weakref
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import networkx as nx
import numpy as np
import polars as pl

from graph.errors import UsageError
from graph.i18n import N_, translator

__all__ = [
    "GraphFilter",
    "build_graph",
    "edge_indices",
    "edges_frame",
    "load_actors",
    "load_graph",
    "load_ties",
    "nodes_frame",
]

TEXTS = {
    "window": N_("time window ends ({end}) before it starts ({start})"),
}


@dataclass(frozen=True)
class GraphFilter:
    """Which actors and ties an analysis looks at. Empty tuples mean "all".

    A tie counts in a time window when its dates overlap it; a tie without dates always counts
    (most hand-collected ties have none). ``areas`` keeps actors in any of the listed strength
    areas. ``synthetic=False`` drops synthetic actors and every tie that rests on synthetic data.
    """

    kinds: tuple[str, ...] = ()
    helices: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    synthetic: bool = True
    exclude: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            message = translator().gettext(TEXTS["window"])
            raise UsageError(message.format(end=self.end, start=self.start))

    @classmethod
    def for_years(cls, first: int | None, last: int | None, **kwargs: Any) -> GraphFilter:
        """A filter for whole calendar years ``first``..``last`` (either may be open)."""
        return cls(
            start=date(first, 1, 1) if first else None,
            end=date(last, 12, 31) if last else None,
            **kwargs,
        )

    def to_params(self) -> dict[str, Any]:
        """The filter as plain JSON-able values (recorded with every result)."""
        out = asdict(self)
        out["start"] = self.start.isoformat() if self.start else None
        out["end"] = self.end.isoformat() if self.end else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}

    def to_json(self) -> str:
        return json.dumps(self.to_params(), sort_keys=True, ensure_ascii=False)


_ACTORS_SQL = """
SELECT
    a.actor_id, a.name, CAST(a.kind AS VARCHAR) AS kind, CAST(a.helix AS VARCHAR) AS helix,
    a.municipality, a.region, a.lat, a.lon,
    coalesce(s.synthetic, false) AS synthetic,
    s.title AS source,
    coalesce(k.support, false) AS support,
    coalesce(k.target, false) AS target,
    coalesce(
        (SELECT list(aa.area_id ORDER BY aa.area_id) FROM actor_areas AS aa
         WHERE aa.actor_id = a.actor_id),
        []
    ) AS areas
FROM actors AS a
LEFT JOIN sources AS s ON s.source_id = a.source_id
LEFT JOIN actor_kinds AS k ON k.kind = a.kind
ORDER BY a.actor_id
"""

_TIES_SQL = """
SELECT c.actor_a, c.actor_b, c.kind, c.activity_id, c.start_date, c.end_date, c.weight,
       coalesce(s.synthetic, false) AS synthetic
FROM collaborations AS c
LEFT JOIN sources AS s ON s.source_id = c.source_id
WHERE ($start IS NULL OR c.end_date IS NULL OR c.end_date >= $start)
  AND ($end IS NULL OR c.start_date IS NULL OR c.start_date <= $end)
"""


def load_actors(con: duckdb.DuckDBPyConnection, flt: GraphFilter | None = None) -> pl.DataFrame:
    """The actors that pass ``flt``: id, name, kind, helix, place, flags and their areas."""
    flt = flt or GraphFilter()
    actors = con.sql(_ACTORS_SQL).pl()
    conditions = []
    if flt.kinds:
        conditions.append(pl.col("kind").is_in(flt.kinds))
    if flt.helices:
        conditions.append(pl.col("helix").is_in(flt.helices))
    if flt.municipalities:
        conditions.append(pl.col("municipality").is_in(flt.municipalities))
    if flt.regions:
        conditions.append(pl.col("region").is_in(flt.regions))
    if flt.areas:
        conditions.append(pl.col("areas").list.eval(pl.element().is_in(flt.areas)).list.any())
    if not flt.synthetic:
        conditions.append(~pl.col("synthetic"))
    if flt.exclude:
        conditions.append(~pl.col("actor_id").is_in(flt.exclude))
    return actors.filter(*conditions) if conditions else actors


def load_ties(
    con: duckdb.DuckDBPyConnection,
    flt: GraphFilter | None = None,
    actors: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The collaborations rows that pass ``flt`` and join two kept actors (one row per tie)."""
    flt = flt or GraphFilter()
    if actors is None:
        actors = load_actors(con, flt)
    ties = con.sql(_TIES_SQL, params={"start": flt.start, "end": flt.end}).pl()
    if not flt.synthetic:
        ties = ties.filter(~pl.col("synthetic"))
    kept = actors["actor_id"].implode()
    return ties.filter(pl.col("actor_a").is_in(kept) & pl.col("actor_b").is_in(kept))


def _edge_rows(ties: pl.DataFrame) -> pl.DataFrame:
    """One row per pair: summed weight and what the ties were."""
    return (
        ties.group_by("actor_a", "actor_b")
        .agg(
            pl.col("weight").sum().alias("weight"),
            pl.len().alias("count"),
            pl.col("kind").unique().sort().alias("kinds"),
            pl.col("activity_id").drop_nulls().unique().sort().alias("activities"),
            pl.col("activity_id").is_null().sum().alias("relations"),
            pl.col("start_date").min().alias("start"),
            # an open-ended tie keeps the pair open: no end date
            pl.when(pl.col("end_date").is_null().any())
            .then(None)
            .otherwise(pl.col("end_date").max())
            .alias("end"),
            pl.col("synthetic").all().alias("synthetic"),
        )
        .sort("actor_a", "actor_b")
    )


def build_graph(actors: pl.DataFrame, ties: pl.DataFrame) -> nx.Graph:
    """An undirected weighted graph with every actor of ``actors`` (isolated ones included).

    Node attributes: name, kind, helix, municipality, region, lat, lon, synthetic, source (the
    title of the actor's source), support, target, areas (tuple). Edge attributes: weight,
    count, kinds, activities (tuples), relations (number of direct relations), start, end
    (``None`` = open), synthetic (all ties synthetic).

    Examples
    --------
    >>> import polars as pl
    >>> actors = pl.DataFrame({"actor_id": ["a", "b"], "name": ["A", "B"]})
    >>> ties = pl.DataFrame({"actor_a": ["a", "a"], "actor_b": ["b", "b"],
    ...     "kind": ["project", "advice"], "activity_id": ["p", None],
    ...     "start_date": [None, None], "end_date": [None, None], "weight": [1.0, 2.0],
    ...     "synthetic": [False, False]})
    >>> G = build_graph(actors, ties)
    >>> G.edges["a", "b"]["weight"], G.edges["a", "b"]["kinds"]
    (3.0, ('advice', 'project'))
    """
    # A million edge dicts make Python's cyclic garbage collector run again and again for
    # nothing (none of them form cycles); pausing it halves the build time of large graphs.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(actors, ties)
    finally:
        if enabled:
            gc.enable()


def _build(actors: pl.DataFrame, ties: pl.DataFrame) -> nx.Graph:
    G = nx.Graph()
    node_columns = [c for c in actors.columns if c != "actor_id"]
    for row in actors.iter_rows(named=True):
        attrs = {c: row[c] for c in node_columns}
        if "areas" in attrs:
            attrs["areas"] = tuple(attrs["areas"] or ())
        G.add_node(row["actor_id"], **attrs)
    nodes = actors.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in _NODE_SCHEMA.items() if c not in actors.columns]
    )
    _remember(G, "nodes", nodes.select([pl.col(c).cast(t) for c, t in _NODE_SCHEMA.items()]))
    if not ties.height:
        _remember(G, "edges", pl.DataFrame(schema=_EDGE_SCHEMA))
    else:
        edges = _edge_rows(ties)
        G.add_edges_from(
            (
                a,
                b,
                {
                    "weight": w,
                    "count": n,
                    "kinds": tuple(kinds),
                    "activities": tuple(acts),
                    "relations": r,
                    "start": s,
                    "end": e,
                    "synthetic": syn,
                },
            )
            for a, b, w, n, kinds, acts, r, s, e, syn in edges.iter_rows()
        )
        _remember(
            G,
            "edges",
            edges.select(
                "actor_a", "actor_b", "weight", pl.col("kinds").list.first().alias("kind")
            ),
        )
    return G


def load_graph(con: duckdb.DuckDBPyConnection, flt: GraphFilter | None = None) -> nx.Graph:
    """``build_graph`` of the actors and ties that pass ``flt``."""
    actors = load_actors(con, flt)
    return build_graph(actors, load_ties(con, flt, actors))


_NODE_SCHEMA: dict[str, Any] = {
    "actor_id": pl.String,
    "name": pl.String,
    "kind": pl.String,
    "helix": pl.String,
    "municipality": pl.String,
    "region": pl.String,
    "synthetic": pl.Boolean,
    "support": pl.Boolean,
    "target": pl.Boolean,
    "areas": pl.List(pl.String),
}
_EDGE_SCHEMA: dict[str, Any] = {
    "actor_a": pl.String,
    "actor_b": pl.String,
    "weight": pl.Float64,
    "kind": pl.String,  # the first of the edge's kinds (a map colours a tie by one kind)
}

# Frames of a graph's nodes and edges, remembered per graph object: every analysis needs them,
# and making them from networkx's dicts costs seconds at 100k actors. The analyses never change a
# graph they are given (what-if works on copies); an entry is dropped if the node count changes.
# (networkx counts edges by summing every degree, too slow to check on every call.)
_FRAMES: weakref.WeakKeyDictionary[nx.Graph, dict[str, tuple[int, pl.DataFrame]]]
_FRAMES = weakref.WeakKeyDictionary()


def _remember(G: nx.Graph, name: str, frame: pl.DataFrame) -> pl.DataFrame:
    _FRAMES.setdefault(G, {})[name] = (G.number_of_nodes(), frame)
    return frame


def _recall(G: nx.Graph, name: str) -> pl.DataFrame | None:
    entry = _FRAMES.get(G, {}).get(name)
    if entry and entry[0] == G.number_of_nodes():
        return entry[1]
    return None


def nodes_frame(G: nx.Graph) -> pl.DataFrame:
    """The graph's actors and their attributes as a frame (``actor_id`` first), in node order.

    Node attributes are read once per graph; change them through ``build_graph`` (not in
    place) if the frame must follow.
    """
    cached = _recall(G, "nodes")
    if cached is not None:
        return cached
    ids = list(G)
    data: dict[str, list[Any]] = {"actor_id": ids}
    for c in list(_NODE_SCHEMA)[1:-1]:
        data[c] = [d.get(c) for _, d in G.nodes(data=True)]
    frame = pl.DataFrame(data, schema={k: v for k, v in _NODE_SCHEMA.items() if k != "areas"})
    # one flat frame of (actor, area) is far faster than a list per actor
    flat = [(v, a) for v, areas in G.nodes(data="areas") for a in areas or ()]
    areas = (
        pl.DataFrame(flat, schema={"actor_id": pl.String, "areas": pl.String}, orient="row")
        .group_by("actor_id")
        .agg(pl.col("areas"))
    )
    frame = frame.join(areas, on="actor_id", how="left", maintain_order="left").with_columns(
        pl.col("areas").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )
    return _remember(G, "nodes", frame.select(list(_NODE_SCHEMA)))


def edges_frame(G: nx.Graph) -> pl.DataFrame:
    """The graph's edges as ``actor_a, actor_b, weight, kind`` (each pair once, in no set order;
    ``kind`` is the first of the edge's kinds)."""
    cached = _recall(G, "edges")
    if cached is not None:
        return cached
    rows = [
        (u, v, float(d.get("weight", 1.0)), (d.get("kinds") or (None,))[0])
        for u, v, d in G.edges(data=True)
    ]
    frame = pl.DataFrame(rows, schema=_EDGE_SCHEMA, orient="row")
    return _remember(G, "edges", frame)


def edge_indices(G: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Each edge's two ends as positions in the node order of ``G`` (for sparse matrices)."""
    nodes = nodes_frame(G).select("actor_id").with_row_index("i")
    ends = edges_frame(G).select("actor_a", "actor_b")
    if ends.height == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a = ends.join(
        nodes.rename({"actor_id": "actor_a"}), on="actor_a", how="left", maintain_order="left"
    )["i"]
    b = ends.join(
        nodes.rename({"actor_id": "actor_b"}), on="actor_b", how="left", maintain_order="left"
    )["i"]
    return a.to_numpy().astype(np.int64), b.to_numpy().astype(np.int64)
