"""Which groups work together less than chance predicts: mixing against expectation, E-I index.

For a grouping (actor kind, helix, municipality, region, strength area, community, or role in the
support system) the observed ties between each pair of groups are set against the ties expected
if partners were chosen at random given every actor's number of ties (degree-preserving random
mixing, the configuration model): ``expected(a, b) = d_a · d_b / 2m`` for ``a ≠ b`` and
``d_a² / 4m`` within a group, where ``d_a`` is the total degree of group ``a`` and ``m`` the number
of ties, so the expected ties sum to the observed total. A ratio far below 1 is a gap.

An actor in several strength areas belongs to each with an equal share (1/k), so every tie is
counted once in total; an actor in none is in "(none)", a missing value is "(unknown)".
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import polars as pl

from graph.analysis.network import edges_frame, nodes_frame
from graph.errors import UsageError
from graph.i18n import N_, NC_, display_name, translator

__all__ = [
    "GROUPINGS",
    "ei_index",
    "group_mixing",
    "group_text",
    "memberships",
    "mixing_matrix",
    "primary_groups",
]

# The group values this module makes (stored in the analysis tables as they are) and their
# names for people, through ``group_text``; kinds and helices are the vocabularies' own.
GROUP_TEXTS = {
    "(unknown)": NC_("group", "(unknown)"),
    "(none)": NC_("group", "(none)"),
    "support": NC_("group", "support"),
    "target": NC_("group", "target"),
    "other": NC_("group", "other"),
}

TEXTS = {
    "unknown_grouping": N_("unknown grouping '{grouping}' (choose from {choices})"),
    "no_communities": N_("grouping by community needs the communities (run the metrics)"),
}

GROUPINGS = ("kind", "helix", "municipality", "region", "area", "community", "role")
UNKNOWN = "(unknown)"
NO_AREA = "(none)"

_MIXING_SCHEMA = {
    "grouping": pl.String,
    "group_a": pl.String,
    "group_b": pl.String,
    "observed": pl.Float64,
    "expected": pl.Float64,
    "ratio": pl.Float64,
    "density": pl.Float64,
}
_EI_SCHEMA = {
    "grouping": pl.String,
    "group": pl.String,
    "actors": pl.Float64,
    "internal": pl.Float64,
    "external": pl.Float64,
    "ei": pl.Float64,
}


def memberships(
    G: nx.Graph, grouping: str, community: Mapping[str, int] | None = None
) -> pl.DataFrame:
    """Each actor's group(s) for ``grouping`` as ``actor_id, group, share`` (shares sum to 1)."""
    if grouping not in GROUPINGS:
        message = translator().gettext(TEXTS["unknown_grouping"])
        raise UsageError(message.format(grouping=grouping, choices=", ".join(GROUPINGS)))
    nodes = nodes_frame(G)
    if grouping == "area":
        exploded = nodes.select(
            "actor_id",
            pl.when(pl.col("areas").list.len() == 0)
            .then(pl.lit([NO_AREA]))
            .otherwise(pl.col("areas"))
            .alias("group"),
        ).explode("group")
        return exploded.with_columns((1.0 / pl.len().over("actor_id")).alias("share"))
    if grouping == "community":
        if community is None:
            raise UsageError(translator().gettext(TEXTS["no_communities"]))
        group = pl.Series([str(community.get(v, UNKNOWN)) for v in nodes["actor_id"]])
    elif grouping == "role":
        group = nodes.select(
            pl.when(pl.col("support"))
            .then(pl.lit("support"))
            .when(pl.col("target"))
            .then(pl.lit("target"))
            .otherwise(pl.lit("other"))
        ).to_series()
    else:
        group = nodes[grouping].fill_null(UNKNOWN)
    return pl.DataFrame({"actor_id": nodes["actor_id"], "group": group, "share": 1.0})


def primary_groups(
    G: nx.Graph, grouping: str, community: Mapping[str, int] | None = None
) -> dict[str, str]:
    """One group per actor (the first, alphabetically, of an actor in several strength areas),
    for analyses such as brokerage roles that need a single group."""
    primary = (
        memberships(G, grouping, community)
        .sort("actor_id", "group")
        .unique("actor_id", keep="first")
    )
    return dict(zip(primary["actor_id"], primary["group"], strict=True))


def _pair_contributions(G: nx.Graph, members: pl.DataFrame) -> pl.DataFrame:
    edges = edges_frame(G).select("actor_a", "actor_b")
    left = members.rename({"actor_id": "actor_a", "group": "ga", "share": "sa"})
    right = members.rename({"actor_id": "actor_b", "group": "gb", "share": "sb"})
    joined = edges.join(left, on="actor_a").join(right, on="actor_b")
    return (
        joined.select(
            pl.min_horizontal("ga", "gb").alias("group_a"),
            pl.max_horizontal("ga", "gb").alias("group_b"),
            (pl.col("sa") * pl.col("sb")).alias("observed"),
        )
        .group_by("group_a", "group_b")
        .agg(pl.col("observed").sum())
    )


def group_mixing(
    G: nx.Graph, grouping: str, community: Mapping[str, int] | None = None
) -> pl.DataFrame:
    """Observed against expected ties for every pair of groups (``a <= b``).

    Returns ``grouping, group_a, group_b, observed, expected, ratio, density`` where ``ratio`` is
    observed / expected (null when nothing is expected) and ``density`` observed / possible pairs.

    Examples
    --------
    Two groups, all 2 ties run between them (the 4-cycle a–x–b–y):

    >>> G = nx.cycle_graph(["a", "x", "b", "y"])
    >>> nx.set_node_attributes(G, {"a": "k1", "b": "k1", "x": "k2", "y": "k2"}, "kind")
    >>> group_mixing(G, "kind").select("group_a", "group_b", "observed", "expected").rows()
    [('k1', 'k1', 0.0, 1.0), ('k1', 'k2', 4.0, 2.0), ('k2', 'k2', 0.0, 1.0)]
    """
    members = memberships(G, grouping, community)
    if members.height == 0:
        return pl.DataFrame(schema=_MIXING_SCHEMA)
    degree = pl.DataFrame({"actor_id": list(G), "degree": [float(d) for _, d in G.degree()]})
    groups = (
        members.join(degree, on="actor_id")
        .group_by("group")
        .agg(
            (pl.col("share") * pl.col("degree")).sum().alias("d"), pl.col("share").sum().alias("n")
        )
    )
    m = G.number_of_edges()
    pairs = (
        groups.join(groups, how="cross", suffix="_b")
        .filter(pl.col("group") <= pl.col("group_b"))
        .rename({"group": "group_a", "d": "d_a", "n": "n_a"})
    )
    observed = _pair_contributions(G, members) if m else None
    result = (
        pairs.join(observed, on=["group_a", "group_b"], how="left")
        if observed is not None
        else pairs.with_columns(pl.lit(None, pl.Float64).alias("observed"))
    )
    same = pl.col("group_a") == pl.col("group_b")
    expected = (
        pl.when(pl.lit(m) == 0)
        .then(0.0)
        .when(same)
        .then(pl.col("d_a") ** 2 / (4 * m if m else 1))
        .otherwise(pl.col("d_a") * pl.col("d_b") / (2 * m if m else 1))
    )
    possible = (
        pl.when(same)
        .then(pl.col("n_a") * (pl.col("n_a") - 1) / 2)
        .otherwise(pl.col("n_a") * pl.col("n_b"))
    )
    return (
        result.with_columns(
            pl.col("observed").fill_null(0.0),
            expected.alias("expected"),
            possible.alias("_possible"),
        )
        .with_columns(
            pl.when(pl.col("expected") > 0)
            .then(pl.col("observed") / pl.col("expected"))
            .otherwise(None)
            .alias("ratio"),
            pl.when(pl.col("_possible") > 0)
            .then(pl.col("observed") / pl.col("_possible"))
            .otherwise(None)
            .alias("density"),
            pl.lit(grouping).alias("grouping"),
        )
        .select(list(_MIXING_SCHEMA))
        .sort("group_a", "group_b")
    )


def ei_index(mixing: pl.DataFrame, members: pl.DataFrame | None = None) -> pl.DataFrame:
    """Krackhardt & Stern's E-I index per group and overall, from a ``group_mixing`` result.

    ``(E - I) / (E + I)`` with E the group's ties to other groups and I its ties inside: -1 is a
    closed group, +1 one that only works outside. The row ``(all)`` is the whole network's index.
    ``actors`` counts the group's members (shares) when ``members`` is given.

    Examples
    --------
    >>> G = nx.cycle_graph(["a", "x", "b", "y"])
    >>> nx.set_node_attributes(G, {"a": "k1", "b": "k1", "x": "k2", "y": "k2"}, "kind")
    >>> ei_index(group_mixing(G, "kind")).select("group", "ei").rows()
    [('(all)', 1.0), ('k1', 1.0), ('k2', 1.0)]
    """
    if mixing.height == 0:
        return pl.DataFrame(schema=_EI_SCHEMA)
    grouping = mixing["grouping"][0]
    long = pl.concat(
        [
            mixing.select(
                pl.col("group_a").alias("group"), pl.col("group_b").alias("other"), "observed"
            ),
            mixing.filter(pl.col("group_a") != pl.col("group_b")).select(
                pl.col("group_b").alias("group"), pl.col("group_a").alias("other"), "observed"
            ),
        ]
    )
    per_group = long.group_by("group").agg(
        pl.col("observed").filter(pl.col("group") == pl.col("other")).sum().alias("internal"),
        pl.col("observed").filter(pl.col("group") != pl.col("other")).sum().alias("external"),
    )
    if members is not None:
        sizes = members.group_by("group").agg(pl.col("share").sum().alias("actors"))
        per_group = per_group.join(sizes, on="group", how="left")
    else:
        per_group = per_group.with_columns(pl.lit(None, pl.Float64).alias("actors"))
    internal_all = mixing.filter(pl.col("group_a") == pl.col("group_b"))["observed"].sum()
    external_all = mixing.filter(pl.col("group_a") != pl.col("group_b"))["observed"].sum()
    overall = pl.DataFrame(
        {
            "group": ["(all)"],
            "internal": [float(internal_all)],
            "external": [float(external_all)],
            "actors": [float(per_group["actors"].sum()) if members is not None else None],
        }
    )
    both = pl.concat([overall, per_group.select(overall.columns)], how="vertical_relaxed")
    total = pl.col("internal") + pl.col("external")
    return (
        both.with_columns(
            pl.lit(grouping).alias("grouping"),
            pl.when(total > 0)
            .then((pl.col("external") - pl.col("internal")) / total)
            .otherwise(None)
            .alias("ei"),
        )
        .select(list(_EI_SCHEMA))
        .sort(pl.col("group") != "(all)", "group")
    )


def mixing_matrix(mixing: pl.DataFrame, grouping: str) -> pl.DataFrame:
    """The full square of one grouping's mixing, for a heatmap: ``group_mixing`` keeps each pair
    once (``a <= b``); this adds the mirror image so both triangles are filled.

    Parameters
    ----------
    mixing : pl.DataFrame
        A ``group_mixing`` result, possibly of several groupings (as the ``group_mixing`` table).
    grouping : str
        The grouping to take.

    Returns
    -------
    pl.DataFrame
        ``group_a, group_b, observed, expected, ratio, density`` (and ``ci_low, ci_high,
        q_value, verdict`` when ``mixing`` has them) with a row for every ordered pair of
        groups, sorted by ``group_a, group_b``.

    Examples
    --------
    >>> G = nx.cycle_graph(["a", "x", "b", "y"])
    >>> nx.set_node_attributes(G, {"a": "k1", "b": "k1", "x": "k2", "y": "k2"}, "kind")
    >>> mixing_matrix(group_mixing(G, "kind"), "kind").select("group_a", "group_b", "ratio").rows()
    [('k1', 'k1', 0.0), ('k1', 'k2', 2.0), ('k2', 'k1', 2.0), ('k2', 'k2', 0.0)]
    """
    columns = ["group_a", "group_b", "observed", "expected", "ratio", "density"]
    # the significance columns (graph.analysis.significance) travel with the cells
    columns += [c for c in ("ci_low", "ci_high", "q_value", "verdict") if c in mixing.columns]
    rows = mixing.filter(pl.col("grouping") == grouping).select(columns)
    mirror = rows.filter(pl.col("group_a") != pl.col("group_b")).select(
        pl.col("group_b").alias("group_a"), pl.col("group_a").alias("group_b"), *columns[2:]
    )
    return pl.concat([rows, mirror]).sort("group_a", "group_b")


def group_text(grouping: str, value: str, lang: str | None = None) -> str:
    """A group of ``grouping`` as people read it in ``lang`` (default: the language in force):
    a kind or helix by its display name, a role and the placeholders ``(unknown)`` and
    ``(none)`` by theirs; any other value (a municipality, an area id, a community number) as
    it is.

    >>> group_text("helix", "civil_society", "sv"), group_text("role", "support", "sv")
    ('Civilsamhälle', 'stöd')
    >>> group_text("area", "(none)", "sv"), group_text("municipality", "Åre", "sv")
    ('(inget)', 'Åre')
    """
    vocabulary = {"kind": "actor_kind", "helix": "helix"}.get(grouping)
    if vocabulary is not None and value not in GROUP_TEXTS:
        return display_name(vocabulary, value, lang)
    if value in ("(unknown)", "(none)") or (grouping == "role" and value in GROUP_TEXTS):
        return translator(lang).pgettext("group", GROUP_TEXTS[value])
    return value
