"""Reproducible synthetic innovation ecosystems for demos, tests and benchmarks.

The shipped Jämtland Härjedalen dataset holds only sourced facts, which makes it far too small to
show what the analyses find. ``synthetic_ecosystem`` makes up a realistic layer around it — member
firms, co-working spaces, clusters, support actors, projects — from a seed, so the same arguments
always give the same tables. Every row it makes names one source marked ``synthetic = true``,
every id starts with ``syn-`` and every actor's description starts with "Synthetic", so the layer
can be recognised, labelled and switched off anywhere it appears.

The generator is shaped so that the gap analyses have something to find:

- actors gather in communities around clusters (most ties stay inside one, some cross);
- degrees are heavy-tailed: every actor has a Pareto "fitness" and tie ends are drawn in
  proportion to it, so a few hubs collect many ties;
- a few co-working spaces and their members form pockets with no tie to any support actor;
- Sami businesses keep mostly to Sami organisations, and academia ties little to companies
  directly, so those group pairs mix less than chance would predict.

Real actors passed as ``anchors`` join the pools synthetic actors draw from (synthetic firms join
a real cluster, synthetic projects include a real university), but no row ever ties two real
actors to each other: that would be a made-up fact about two real organisations.

Everything is vectorised with numpy and polars: 100 000 actors and a million ties take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from graph.errors import UsageError
from graph.store.tables import (
    ACTIVITY_KINDS,
    ACTOR_KINDS,
    RELATION_KINDS,
    ROLES,
    TABLE_ORDER,
    TABLES,
)

__all__ = [
    "default_municipalities",
    "default_strength_areas",
    "synthetic_ecosystem",
    "synthetic_source_id",
    "write_csv_folder",
]

KINDS = ACTOR_KINDS

_K = {kind: code for code, kind in enumerate(KINDS)}
_ROLE = {role: code for code, role in enumerate(ROLES)}
_REL = {kind: code for code, kind in enumerate(RELATION_KINDS)}
_ACT = {kind: code for code, kind in enumerate(ACTIVITY_KINDS)}

_HELIX: dict[str, str | None] = {
    "company": "industry",
    "cluster": "industry",
    "coworking": "industry",
    "academia": "academia",
    "research_institute": "academia",
    "region": "public",
    "public_agency": "public",
    "municipality": "public",
    "business_support": "public",
    "funder": "public",
    "civil_society": "civil_society",
    "design_org": "civil_society",
    "sami_org": None,
    "other": None,
}
_LABEL = {
    "region": "region",
    "public_agency": "public agency",
    "municipality": "municipality",
    "business_support": "business support organisation",
    "design_org": "design organisation",
    "cluster": "cluster",
    "coworking": "co-working space",
    "company": "company",
    "academia": "university",
    "research_institute": "research institute",
    "civil_society": "association",
    "sami_org": "Sami organisation",
    "funder": "funder",
    "other": "organisation",
}
# The part of the ecosystem the support analyses treat as "support" (actor_kinds.support).
_SUPPORT: tuple[str, ...] = (
    *("region", "public_agency", "business_support", "design_org", "academia"),
    *("research_institute", "funder"),
)

# Share of the synthetic actors per kind and the least number made; companies take the rest
# (about 70 %). Clusters get at least one per strength area, in _kind_counts.
_KIND_SHARES: dict[str, tuple[float, int]] = {
    "cluster": (0.025, 1),
    "coworking": (0.07, 1),
    "business_support": (0.045, 1),
    "design_org": (0.02, 0),
    "academia": (0.005, 1),
    "research_institute": (0.01, 0),
    "funder": (0.01, 1),
    "civil_society": (0.09, 0),
    "sami_org": (0.005, 1),
}
# Order of the synthetic actors in the actors table (companies last: they take the remainder).
_KIND_ORDER = (*_KIND_SHARES, "municipality", "company")
_MUNICIPALITY_SHARE = 0.01  # municipal administrations, only of synthetic municipalities
_SAMI_BUSINESS_SHARE = 0.03  # of the companies

# How strongly each kind attracts ties (multiplies the Pareto fitness).
_FITNESS = {"cluster": 3.0, "business_support": 2.5, "region": 3.0, "funder": 2.0}
_FITNESS |= {"academia": 2.0, "research_institute": 1.5, "design_org": 1.5, "coworking": 1.5}
_FITNESS |= {"public_agency": 1.5, "sami_org": 1.5, "civil_society": 0.7, "other": 0.5}
_PARETO_SHAPE = 1.8  # tail exponent of fitness: finite mean, a few strong hubs
_FITNESS_CAP = 12.0  # no single firm takes part in a third of all projects
_ANCHOR_FITNESS = 1.5  # real actors are established: they attract more ties

# Who leads activities and who joins them (multipliers of fitness; missing kinds: 0).
# Clusters lead most activities, so many firms meet support only through their cluster.
_LEAD = {"cluster": 1.5, "business_support": 0.25, "region": 0.3, "academia": 0.2}
_LEAD |= {"design_org": 0.2, "research_institute": 0.2, "sami_org": 0.6, "public_agency": 0.2}
_LEAD |= {"municipality": 0.3}
_PARTNER = {"company": 1.0, "coworking": 0.8, "cluster": 0.6, "civil_society": 0.6}
_PARTNER |= {"municipality": 0.5, "business_support": 0.2, "design_org": 0.2, "sami_org": 0.5}
_PARTNER |= {"research_institute": 0.3, "public_agency": 0.3, "region": 0.3, "other": 0.3}
_PARTNER |= {"academia": 0.15}  # sparse industry-academia mixing is one gap to find
_FUNDERS = {"funder": 1.0, "region": 0.5}

_COMPANY_CLUSTER_MEMBER = 0.55  # a company is a formal member of its home cluster
_COWORKING_CLUSTER_MEMBER = 0.4
_COWORKING_MEMBER = 0.35  # a company rents a desk in a co-working space
_SAME_COWORKING_COMMUNITY = 0.75  # a co-working member shares its space's home cluster
_LOCAL_CLUSTER = 0.85  # an actor's home cluster is in its own county
_REACH_SAMI = 0.25  # how often outsiders draw a Sami actor, relative to its fitness

# Direct ties beyond memberships: (from kinds, to kinds, relation kind, directed, probability
# that the far end is in the near end's community, share of these ties).
_FLEX_TIES: tuple[tuple[tuple[str, ...], tuple[str, ...], str, bool, float, float], ...] = (
    (("business_support", "design_org"), ("company", "coworking"), "advice", True, 0.7, 0.10),
    (("company",), ("company", "coworking"), "partnership", False, 0.85, 0.59),
    (("cluster",), _SUPPORT, "partnership", False, 0.5, 0.08),
    (
        ("academia", "research_institute"),
        ("cluster", "business_support", "design_org", "region", "public_agency", "academia"),
        "partnership",
        False,
        0.3,
        0.04,
    ),
    (("funder", "region"), ("company", "cluster", "coworking"), "funding", True, 0.2, 0.03),
    (
        ("civil_society", "municipality", "public_agency", "sami_org"),
        ("company", "coworking", "cluster", "civil_society"),
        "partnership",
        False,
        0.7,
        0.12,
    ),
    (("cluster",), ("cluster",), "partnership", False, 0.0, 0.04),
)
_FLEX_SHARE = 0.4  # of the ties beyond memberships; activities make the rest
_STRUCTURAL_CAP = 0.5  # memberships take at most this share of the tie budget

_SIZES = np.arange(2, 13)  # participants per activity
_SIZE_P = np.exp(-(_SIZES - 2) / 3.0) / np.exp(-(_SIZES - 2) / 3.0).sum()
_ACTIVITY_KIND_P = {"project": 0.8, "learning_lab": 0.08, "network": 0.07, "programme": 0.05}
_ACTIVITY_LABEL = {"project": "project", "learning_lab": "learning lab"}
_ACTIVITY_LABEL |= {"network": "network", "programme": "programme"}
_FUNDED = 0.1  # share of activities with a funder among the participants
_LOCAL_PARTNER = 0.75
_LOCAL_PARTNER_SAMI = 0.92

_NATIONAL_THRESHOLD = 2000  # above this many actors the ecosystem spreads over Sweden
_NATIONAL_MUNICIPALITIES = 290
_SYNTHETIC_COUNTIES = 20
_SWEDEN_LAT = (55.4, 68.9)
_SWEDEN_LON = (11.2, 23.9)
_JITTER_DEGREES = 0.04

# The county's eight municipalities with their seats' approximate coordinates (shared/SOURCES.md).
# The weights are the generator's own choice, rough relative sizes so that Östersund, the county's
# centre, holds most actors; they are not data.
_JAMTLAND: tuple[tuple[str, float, float, float], ...] = (
    ("Östersund", 63.18, 14.64, 6.0),
    ("Krokom", 63.33, 14.45, 1.5),
    ("Åre", 63.35, 13.47, 1.3),
    ("Strömsund", 63.85, 15.56, 1.1),
    ("Härjedalen", 62.03, 14.36, 1.0),
    ("Berg", 62.77, 14.43, 0.7),
    ("Bräcke", 62.75, 15.42, 0.6),
    ("Ragunda", 63.10, 16.35, 0.5),
)
_JAMTLAND_COUNTY = "Jämtlands län"
_JAMTLAND_AREAS = (
    ("jord-skog-vatten", "Jord, skog och vatten"),
    ("upplevelser", "Upplevelser"),
    ("digitala-losningar", "Digitala lösningar"),
    ("hallbar-energi", "Hållbar energi"),
)

_POLARS_TYPE = {
    "id": pl.String,
    "text": pl.String,
    "enum": pl.String,
    "date": pl.Date,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "json": pl.String,
}


def synthetic_source_id(seed: int) -> str:
    """The id of the one source every row of a synthetic ecosystem made from ``seed`` names."""
    return f"synthetic-seed-{seed}"


def default_municipalities() -> pl.DataFrame:
    """The eight municipalities of Jämtlands län with their seats' coordinates and weights.

    The generator's default places; a constant, so the core never reads a global file.
    """
    return pl.DataFrame(
        {
            "municipality": [m[0] for m in _JAMTLAND],
            "county": [_JAMTLAND_COUNTY] * len(_JAMTLAND),
            "lat": [m[1] for m in _JAMTLAND],
            "lon": [m[2] for m in _JAMTLAND],
            "weight": [m[3] for m in _JAMTLAND],
        }
    )


def default_strength_areas() -> pl.DataFrame:
    """The four strength areas of Jämtland Härjedalen's smart-specialisation programme."""
    return pl.DataFrame(
        {"area_id": [a[0] for a in _JAMTLAND_AREAS], "name": [a[1] for a in _JAMTLAND_AREAS]}
    )


def synthetic_ecosystem(
    n_actors: int,
    seed: int = 2026,
    *,
    municipalities: pl.DataFrame | None = None,
    areas: pl.DataFrame | None = None,
    anchors: pl.DataFrame | None = None,
    ties_per_actor: float = 10.0,
    start_year: int = 2015,
    end_year: int = 2026,
) -> dict[str, pl.DataFrame]:
    """Make up a reproducible innovation ecosystem of ``n_actors`` synthetic actors.

    The same arguments always give identical tables, so demos, tests and benchmarks can rebuild
    the same ecosystem; a different seed gives a different one.

    Parameters
    ----------
    n_actors
        Number of synthetic actors (at least 20). About 70 % are companies; the rest are
        co-working spaces, clusters (at least one per strength area), business support, design
        organisations, universities and research institutes, associations, Sami organisations,
        funders and, above 2000 actors, municipal administrations of synthetic municipalities.
    seed
        Seed of the random generator (non-negative); also names the synthetic source.
    municipalities
        Places actors are located in: columns ``municipality``, ``county`` (or ``region``),
        ``lat``, ``lon`` and optionally ``weight`` (relative number of actors). Default: the
        eight municipalities of Jämtlands län, Östersund-heavy. Above 2000 actors, synthetic
        municipalities ("Synthetic municipality 17", in "Synthetic county 3", somewhere in
        Sweden's bounding box) are added until there are about 290, as in Sweden.
    areas
        Strength areas (``area_id``, ``name``) actors are assigned to. When given, they are
        taken to exist already and no ``strength_areas`` table is returned; by default the four
        Jämtland areas are used and returned under the synthetic source.
    anchors
        Real actors (``actor_id``, ``kind``, and optionally ``municipality``, ``region``) the
        synthetic layer attaches to: they join the pools synthetic actors draw partners from, but
        no returned row ties two anchors together and no anchor is returned as an actor.
    ties_per_actor
        Target mean number of ties per synthetic actor, counting each relation and each pair of
        actors sharing an activity (the rows of the ``collaborations`` view).
    start_year, end_year
        Every date lies within these years (inclusive).

    Returns
    -------
    dict[str, pl.DataFrame]
        ``sources`` (one row), ``actors``, ``strength_areas`` (only when ``areas`` is None),
        ``actor_areas``, ``activities``, ``participations`` and ``relations``, each with exactly
        the columns of ``graph.store.tables.TABLES`` in order and typed (text as Utf8, dates as
        Date).

    Raises
    ------
    UsageError
        When an argument is out of range or a frame lacks a column or names an unknown kind.

    Examples
    --------
    >>> data = synthetic_ecosystem(300, seed=42)
    >>> data["sources"]["source_id"].to_list()
    ['synthetic-seed-42']
    >>> data["actors"].height
    300
    """
    _check_arguments(n_actors, seed, ties_per_actor, start_year, end_year)
    rng = np.random.default_rng(seed)
    source_id = synthetic_source_id(seed)
    area_frame = default_strength_areas() if areas is None else _checked_areas(areas)
    n_areas = area_frame.height
    places = _places(municipalities, n_actors, rng)
    anchor_frame = _checked_anchors(anchors)
    counts = _kind_counts(n_actors, n_areas, int(places.synthetic.sum()))
    target_ties = ties_per_actor * n_actors

    world = _build_world(rng, counts, places, anchor_frame, n_areas, target_ties)
    rel = _relations(rng, world, target_ties, start_year, end_year)
    budget = max(target_ties - rel.size, 0.0)
    act, part = _activities(rng, world, budget, start_year, end_year)
    area_rows = _actor_areas(rng, world, n_areas)

    ids = pl.concat([world.synthetic_ids, anchor_frame["actor_id"]])
    out: dict[str, pl.DataFrame] = {
        "sources": _source_frame(
            source_id, seed, n_actors, ties_per_actor, start_year, end_year, anchors is not None
        ),
        "actors": _actor_frame(world, places, area_frame, rng, seed, source_id),
    }
    if areas is None:
        out["strength_areas"] = _table(
            "strength_areas",
            area_frame.height,
            area_id=area_frame["area_id"],
            name=area_frame["name"],
            source_id=source_id,
        )
    out["actor_areas"] = _table(
        "actor_areas",
        len(area_rows[0]),
        actor_id=ids.gather(area_rows[0]),
        area_id=area_frame["area_id"].cast(pl.String).gather(area_rows[1]),
        source_id=source_id,
    )
    out["activities"] = _activity_frame(act, source_id)
    out["participations"] = _table(
        "participations",
        len(part.actor),
        activity_id=out["activities"]["activity_id"].gather(part.activity),
        actor_id=ids.gather(part.actor),
        role=pl.Series(ROLES).gather(part.role),
        contribution_sek=pl.Series(part.contribution, dtype=pl.Float64).fill_nan(None),
        source_id=source_id,
    )
    out["relations"] = _relation_frame(rel, ids, source_id)
    return out


def write_csv_folder(dataset: dict[str, pl.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``<out_dir>/<table>.csv`` so ``ecograph import`` can load the folder.

    UTF-8, comma-separated, a header with the columns in ``graph.store.tables`` order, ISO dates and
    empty cells for missing values. Tables are written parents first; returns the files written.
    """
    unknown = sorted(set(dataset) - set(TABLES))
    if unknown:
        raise UsageError(
            f"unknown table(s) {', '.join(unknown)}: use the names in graph/store/tables.py"
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLE_ORDER:
        if name not in dataset:
            continue
        path = out_dir / f"{name}.csv"
        frame = dataset[name].select(TABLES[name].column_names)
        frame.write_csv(path, date_format="%Y-%m-%d")
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------
# Arguments


def _check_arguments(
    n_actors: int, seed: int, ties_per_actor: float, start_year: int, end_year: int
) -> None:
    if n_actors < 20:
        raise UsageError(f"n_actors is {n_actors}: a synthetic ecosystem needs at least 20 actors")
    if seed < 0:
        raise UsageError(f"seed is {seed}: use a non-negative integer")
    if not ties_per_actor >= 0:
        raise UsageError(f"ties_per_actor is {ties_per_actor}: use a number >= 0")
    if not 1900 <= start_year <= end_year <= 2200:
        raise UsageError(
            f"years {start_year}..{end_year}: start_year must not be after end_year (1900..2200)"
        )


def _require(frame: pl.DataFrame, what: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(f"{what} lack column(s) {', '.join(missing)}")


def _checked_areas(areas: pl.DataFrame) -> pl.DataFrame:
    _require(areas, "areas", ("area_id", "name"))
    if areas.height == 0:
        raise UsageError("areas is empty: pass at least one strength area, or None")
    return areas.select(pl.col("area_id").cast(pl.String), pl.col("name").cast(pl.String))


def _checked_anchors(anchors: pl.DataFrame | None) -> pl.DataFrame:
    empty = pl.DataFrame(
        schema={"actor_id": pl.String, "kind": pl.String, "municipality": pl.String}
        | {"region": pl.String}
    )
    if anchors is None:
        return empty
    _require(anchors, "anchors", ("actor_id", "kind"))
    frame = anchors.select(
        pl.col("actor_id").cast(pl.String),
        pl.col("kind").cast(pl.String),
        *(
            (pl.col(c) if c in anchors.columns else pl.lit(None)).cast(pl.String).alias(c)
            for c in ("municipality", "region")
        ),
    )
    unknown = sorted(set(frame["kind"].drop_nulls().to_list()) - set(KINDS))
    if unknown or frame["kind"].null_count():
        raise UsageError(f"anchors have unknown actor kind(s) {unknown}: use {', '.join(KINDS)}")
    if frame["actor_id"].null_count() or frame["actor_id"].is_duplicated().any():
        raise UsageError("anchors need a unique, non-empty actor_id per row")
    if frame["actor_id"].str.starts_with("syn-").any():
        raise UsageError("anchors must be real actors: their ids must not start with 'syn-'")
    return frame


# ---------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class _Places:
    """Municipalities actors are located in, indexed 0..n-1."""

    name: pl.Series
    county: np.ndarray  # index into county_names
    county_names: list[str]
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray
    synthetic: np.ndarray  # made up by the generator (may have a synthetic administration)


def _places(
    municipalities: pl.DataFrame | None, n_actors: int, rng: np.random.Generator
) -> _Places:
    frame = default_municipalities() if municipalities is None else municipalities
    county_col = "county" if "county" in frame.columns else "region"
    _require(frame, "municipalities", ("municipality", county_col, "lat", "lon"))
    if frame.height == 0:
        raise UsageError("municipalities is empty: pass at least one, or None for the default")
    weight = (
        frame["weight"].cast(pl.Float64).fill_null(1.0).to_numpy()
        if "weight" in frame.columns
        else np.ones(frame.height)
    )
    counties = frame[county_col].cast(pl.String).fill_null("unknown county")
    county_names = counties.unique(maintain_order=True).to_list()
    county_index = {name: i for i, name in enumerate(county_names)}
    names = frame["municipality"].cast(pl.String)
    county = np.array([county_index[c] for c in counties.to_list()], dtype=np.int64)
    lat = frame["lat"].cast(pl.Float64).to_numpy()
    lon = frame["lon"].cast(pl.Float64).to_numpy()
    n_extra = (
        max(_NATIONAL_MUNICIPALITIES - frame.height, 0) if n_actors > _NATIONAL_THRESHOLD else 0
    )
    synthetic = np.zeros(frame.height, dtype=bool)
    if n_extra:
        # Municipalities scatter around synthetic county seats, like real ones around a county.
        seats_lat = rng.uniform(*_SWEDEN_LAT, _SYNTHETIC_COUNTIES)
        seats_lon = rng.uniform(*_SWEDEN_LON, _SYNTHETIC_COUNTIES)
        home = rng.integers(0, _SYNTHETIC_COUNTIES, n_extra)
        extra_lat = np.clip(seats_lat[home] + rng.normal(0, 0.5, n_extra), *_SWEDEN_LAT)
        extra_lon = np.clip(seats_lon[home] + rng.normal(0, 0.9, n_extra), *_SWEDEN_LON)
        extra_weight = rng.lognormal(0.0, 0.9, n_extra) * float(np.median(weight))
        names = pl.concat(
            [names, pl.Series([f"Synthetic municipality {i}" for i in range(1, n_extra + 1)])]
        )
        county = np.concatenate([county, len(county_names) + home])
        county_names = county_names + [
            f"Synthetic county {i}" for i in range(1, _SYNTHETIC_COUNTIES + 1)
        ]
        lat = np.concatenate([lat, np.round(extra_lat, 2)])
        lon = np.concatenate([lon, np.round(extra_lon, 2)])
        weight = np.concatenate([weight, extra_weight])
        synthetic = np.concatenate([synthetic, np.ones(n_extra, dtype=bool)])
    return _Places(names, county, county_names, lat, lon, weight, synthetic)


def _kind_counts(n_actors: int, n_areas: int, n_synthetic_places: int) -> dict[str, int]:
    counts = {
        kind: max(round(share * n_actors), least) for kind, (share, least) in _KIND_SHARES.items()
    }
    counts["cluster"] = max(counts["cluster"], n_areas)
    counts["municipality"] = (
        min(n_synthetic_places, max(1, round(_MUNICIPALITY_SHARE * n_actors)))
        if n_synthetic_places
        else 0
    )
    counts["company"] = n_actors - sum(counts.values())
    if counts["company"] < n_actors // 4:
        raise UsageError(
            f"n_actors is {n_actors}: too few for {n_areas} strength areas; use more actors"
        )
    return counts


# ---------------------------------------------------------------------------------------------
# Weighted draws


class _Pool:
    """Actors to draw from in proportion to a weight, optionally within a group.

    Candidates are sorted by group and their weights summed cumulatively, so one
    ``searchsorted`` draws for any number of queries at once, each inside its own group.
    """

    def __init__(self, weight: np.ndarray, group: np.ndarray | None = None, n_groups: int = 1):
        group = np.zeros(len(weight), dtype=np.int64) if group is None else group
        candidates = np.flatnonzero((weight > 0) & (group >= 0) & (group < n_groups))
        order = np.argsort(group[candidates], kind="stable")
        self.actors = candidates[order]
        groups = group[self.actors]
        self.cum = np.cumsum(weight[self.actors])
        cum0 = np.concatenate([[0.0], self.cum])
        self.start = np.searchsorted(groups, np.arange(n_groups), side="left")
        self.end = np.searchsorted(groups, np.arange(n_groups), side="right")
        self.low = cum0[self.start]
        self.high = cum0[self.end]
        self.n_groups = n_groups

    def draw(self, rng: np.random.Generator, groups: np.ndarray | int) -> np.ndarray:
        """One actor per query from the query's group (``-1`` where the group has none)."""
        q = np.atleast_1d(np.asarray(groups, dtype=np.int64))
        u = rng.random(len(q))
        if len(self.actors) == 0 or len(q) == 0:
            return np.full(len(q), -1, dtype=np.int64)
        ok = (q >= 0) & (q < self.n_groups)
        g = np.where(ok, q, 0)
        start, end = self.start[g], self.end[g]
        ok &= end > start
        target = self.low[g] + u * (self.high[g] - self.low[g])
        pos = np.searchsorted(self.cum, target, side="right")
        pos = np.clip(pos, start, np.maximum(end - 1, start))
        pos = np.minimum(pos, len(self.actors) - 1)
        return np.where(ok, self.actors[pos], -1)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws from the whole pool (the pool must have a single group)."""
        return self.draw(rng, np.zeros(size, dtype=np.int64))


def _mask(kind: np.ndarray, kinds: tuple[str, ...] | dict[str, float]) -> np.ndarray:
    """Per-actor multiplier: 1 (or the dict's value) for the named kinds, 0 otherwise."""
    table = np.zeros(len(KINDS))
    for k in kinds:
        table[_K[k]] = kinds[k] if isinstance(kinds, dict) else 1.0
    return table[kind]


# ---------------------------------------------------------------------------------------------
# Actors and communities


@dataclass
class _World:
    """All actors the generator draws from: the synthetic ones (0..n-1), then the anchors."""

    n: int
    kind: np.ndarray
    anchor: np.ndarray
    fitness: np.ndarray
    place: np.ndarray  # index into places, -1 when unknown
    community: np.ndarray
    center: np.ndarray  # actor at the centre of each community (cluster, Sami org, pocket space)
    closed: np.ndarray  # in a pocket: never tied to anyone outside it
    sami: np.ndarray  # Sami business or Sami organisation
    sami_business: np.ndarray
    reach: np.ndarray  # weight when drawn by someone outside the actor's community
    number: np.ndarray  # per-kind running number of synthetic actors
    community_area: np.ndarray  # a strength area per community, inherited by its members
    cluster_second_area: np.ndarray  # a second area of a synthetic cluster, or -1
    structural: tuple[np.ndarray, np.ndarray, np.ndarray]  # membership ties (from, to, kind)
    synthetic_ids: pl.Series


def _build_world(
    rng: np.random.Generator,
    counts: dict[str, int],
    places: _Places,
    anchors: pl.DataFrame,
    n_areas: int,
    target_ties: float,
) -> _World:
    n = sum(counts.values())
    a = anchors.height
    size = n + a
    syn_kind = np.repeat([_K[k] for k in _KIND_ORDER], [counts[k] for k in _KIND_ORDER])
    anchor_kind = np.array([_K[k] for k in anchors["kind"].to_list()], dtype=np.int64)
    kind = np.concatenate([syn_kind, anchor_kind]).astype(np.int64)
    anchor = np.arange(size) >= n
    number = np.zeros(size, dtype=np.int64)
    for k in _KIND_ORDER:
        idx = np.flatnonzero(syn_kind == _K[k])
        number[idx] = np.arange(1, len(idx) + 1)

    fitness = np.minimum(rng.pareto(_PARETO_SHAPE, size) + 1.0, _FITNESS_CAP)
    fitness *= _mask(kind, _FITNESS | _ones_for_rest())
    fitness[anchor] *= _ANCHOR_FITNESS

    # Companies: regular ones, then Sami businesses, then members of pocket co-working spaces.
    companies = np.flatnonzero(syn_kind == _K["company"])
    coworkings = np.flatnonzero(syn_kind == _K["coworking"])
    n_pockets = min(max(2, round(0.05 * len(coworkings))), len(coworkings) - 1)
    n_pockets = max(n_pockets, 0) if len(coworkings) >= 3 else 0
    pocket_spaces = coworkings[len(coworkings) - n_pockets :]
    pocket_sizes = 2 + rng.poisson(2.0, n_pockets)
    pocket_of_member = np.repeat(np.arange(n_pockets), pocket_sizes)[: len(companies) // 4]
    n_sami_orgs = counts["sami_org"] + int((anchor_kind == _K["sami_org"]).sum())
    n_sami = max(1, round(_SAMI_BUSINESS_SHARE * len(companies))) if n_sami_orgs else 0
    n_regular = len(companies) - n_sami - len(pocket_of_member)
    regular = companies[:n_regular]
    sami_business = np.zeros(size, dtype=bool)
    sami_business[companies[n_regular : n_regular + n_sami]] = True
    pocket_members = companies[n_regular + n_sami :]

    # Places: weighted for most, uniform for Sami actors (rural), distinct synthetic
    # municipalities for the synthetic municipal administrations.
    place = np.full(size, -1, dtype=np.int64)
    p = places.weight / places.weight.sum()
    place[:n] = rng.choice(len(p), size=n, p=p)
    sami = sami_business | (kind == _K["sami_org"])
    sami_syn = np.flatnonzero(sami[:n])
    place[sami_syn] = rng.integers(0, len(p), len(sami_syn))
    municipal = np.flatnonzero(syn_kind == _K["municipality"])
    if len(municipal):
        place[municipal] = rng.choice(
            np.flatnonzero(places.synthetic), size=len(municipal), replace=False
        )
    place_index = {name: i for i, name in enumerate(places.name.to_list())}
    place[n:] = [place_index.get(m, -1) for m in anchors["municipality"].to_list()]
    county_index = {name: i for i, name in enumerate(places.county_names)}
    anchor_county = np.array(
        [county_index.get(r, -1) for r in anchors["region"].to_list()], dtype=np.int64
    )

    # Co-working: the first regular companies join the real spaces (each gets a member), the
    # rest join a space with some probability; members work where their space is.
    structural_cap = _structural_scale(target_ties, n_regular, len(coworkings), n_sami)
    space = np.full(size, -1, dtype=np.int64)
    pocket_member_space = pocket_spaces[pocket_of_member]
    space[pocket_members] = pocket_member_space
    is_space = (kind == _K["coworking"]).astype(float)
    is_space[pocket_spaces] = 0.0
    open_spaces = _Pool(fitness * is_space)
    joins = rng.random(n_regular) < _COWORKING_MEMBER * structural_cap
    anchor_spaces = np.flatnonzero(anchor & (kind == _K["coworking"]))
    forced_spaces = anchor_spaces[: n_regular // 2]
    joins[: len(forced_spaces)] = False
    space[regular[joins]] = open_spaces.sample(rng, int(joins.sum()))
    space[regular[: len(forced_spaces)]] = forced_spaces
    members = np.flatnonzero(space >= 0)
    located = members[place[space[members]] >= 0]
    place[located] = place[space[located]]
    county = np.where(place >= 0, places.county[np.maximum(place, 0)], -1)
    county[n:] = np.where(county[n:] >= 0, county[n:], anchor_county)

    # Communities: clusters first, then Sami organisations, then pocket spaces.
    clusters = np.flatnonzero(kind == _K["cluster"])
    sami_orgs = np.flatnonzero(kind == _K["sami_org"])
    centers = np.concatenate([clusters, sami_orgs, pocket_spaces]).astype(np.int64)
    community = np.full(size, -1, dtype=np.int64)
    community[centers] = np.arange(len(centers))
    n_clusters = len(clusters)
    is_cluster = (kind == _K["cluster"]).astype(float)
    local_clusters = _Pool(fitness * is_cluster, county, len(places.county_names))
    any_cluster = _Pool(fitness * is_cluster)
    homeless = np.flatnonzero(community < 0)
    near = local_clusters.draw(rng, county[homeless])
    far = any_cluster.sample(rng, len(homeless))
    stay = (rng.random(len(homeless)) < _LOCAL_CLUSTER) & (near >= 0)
    community[homeless] = community[np.where(stay, near, far)]
    # Co-working members mostly share their space's cluster; pocket members only their pocket.
    follow = members[rng.random(len(members)) < _SAME_COWORKING_COMMUNITY]
    community[follow] = community[space[follow]]
    community[pocket_members] = community[pocket_member_space]
    sami_of = np.full(size, -1, dtype=np.int64)
    sami_businesses = np.flatnonzero(sami_business)
    sami_of[sami_businesses] = _Pool(fitness * (kind == _K["sami_org"])).sample(
        rng, len(sami_businesses)
    )
    community[sami_businesses] = community[sami_of[sami_businesses]]
    # The first regular companies after the co-working ones join the real clusters.
    anchor_clusters = np.flatnonzero(anchor & (kind == _K["cluster"]))
    forced_clusters = anchor_clusters[: max(n_regular - len(forced_spaces), 0)]
    forced_members = regular[len(forced_spaces) : len(forced_spaces) + len(forced_clusters)]
    community[forced_members] = community[forced_clusters]

    closed = np.zeros(size, dtype=bool)
    closed[pocket_spaces] = True
    closed[pocket_members] = True
    reach = np.where(closed, 0.0, np.where(sami, _REACH_SAMI, 1.0))

    # Memberships: companies in their cluster and space, spaces in their cluster, Sami
    # businesses in their Sami organisation. Every tie starts at a synthetic actor.
    in_cluster = regular[
        (community[regular] < n_clusters)
        & (rng.random(n_regular) < _COMPANY_CLUSTER_MEMBER * structural_cap)
    ]
    in_cluster = np.union1d(in_cluster, forced_members)
    open_syn_spaces = np.setdiff1d(coworkings, pocket_spaces)
    space_in_cluster = open_syn_spaces[
        rng.random(len(open_syn_spaces)) < _COWORKING_CLUSTER_MEMBER * structural_cap
    ]
    member_from = np.concatenate([in_cluster, space_in_cluster, members, sami_businesses])
    member_to = np.concatenate(
        [
            centers[community[in_cluster]],
            centers[community[space_in_cluster]],
            space[members],
            sami_of[sami_businesses],
        ]
    )
    member_kind = np.full(len(member_from), _REL["membership"], dtype=np.int64)

    # A latent strength area per community (first clusters cover every area once).
    n_comm = len(centers)
    community_area = rng.integers(0, n_areas, n_comm)
    syn_clusters = min(counts["cluster"], n_comm)
    community_area[: min(n_areas, syn_clusters)] = np.arange(min(n_areas, syn_clusters))
    second = np.full(n_comm, -1, dtype=np.int64)
    if n_areas > 1:
        has_second = rng.random(syn_clusters) < 0.35
        shift = rng.integers(1, n_areas, syn_clusters)
        second[:syn_clusters] = np.where(
            has_second, (community_area[:syn_clusters] + shift) % n_areas, -1
        )

    ids = _synthetic_ids(syn_kind, number[:n])
    return _World(
        n=n,
        kind=kind,
        anchor=anchor,
        fitness=fitness,
        place=place,
        community=community,
        center=centers,
        closed=closed,
        sami=sami,
        sami_business=sami_business,
        reach=reach,
        number=number,
        community_area=community_area,
        cluster_second_area=second,
        structural=(member_from, member_to, member_kind),
        synthetic_ids=ids,
    )


def _ones_for_rest() -> dict[str, float]:
    return {k: 1.0 for k in KINDS if k not in _FITNESS}


def _structural_scale(target_ties: float, n_regular: int, n_spaces: int, n_sami: int) -> float:
    """Shrink membership probabilities when they alone would exceed the tie budget."""
    expected = (
        (_COMPANY_CLUSTER_MEMBER + _COWORKING_MEMBER) * n_regular
        + _COWORKING_CLUSTER_MEMBER * n_spaces
        + n_sami
    )
    return min(1.0, _STRUCTURAL_CAP * target_ties / expected) if expected else 1.0


def _synthetic_ids(kind: np.ndarray, number: np.ndarray) -> pl.Series:
    width = max(5, len(str(int(number.max(initial=0)))))
    slug = pl.Series([k.replace("_", "-") for k in KINDS]).gather(kind)
    return (
        pl.DataFrame({"slug": slug, "num": number})
        .select(
            pl.concat_str(
                pl.lit("syn-"), "slug", pl.lit("-"), pl.col("num").cast(pl.String).str.zfill(width)
            ).alias("actor_id")
        )
        .to_series()
    )


# ---------------------------------------------------------------------------------------------
# Ties


@dataclass
class _Relations:
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    directed: np.ndarray
    weight: np.ndarray
    start: np.ndarray  # days since 1970-01-01
    end: np.ndarray  # days, or -1 for open-ended

    @property
    def size(self) -> int:
        return len(self.source)


def _draw_ties(
    rng: np.random.Generator,
    world: _World,
    m: int,
    from_kinds: tuple[str, ...],
    to_kinds: tuple[str, ...],
    local: float,
) -> tuple[np.ndarray, np.ndarray]:
    """``m`` ties, both ends drawn by fitness; the far end near the first with prob ``local``."""
    src = _Pool(world.fitness * _mask(world.kind, from_kinds)).sample(rng, m)
    to_weight = world.fitness * _mask(world.kind, to_kinds)
    n_comm = len(world.center)
    near = _Pool(to_weight, world.community, n_comm).draw(rng, world.community[src])
    far = _Pool(to_weight * world.reach).sample(rng, m)
    keep_local = np.where(
        world.closed[src],
        1.0,
        np.where(world.sami[src], max(local, _LOCAL_PARTNER_SAMI), local),
    )
    use_near = (rng.random(m) < keep_local) & (near >= 0)
    dst = np.where(use_near, near, np.where(world.closed[src], -1, far))
    ok = (dst >= 0) & (src != dst)
    ok &= ~(world.anchor[src] & world.anchor[np.maximum(dst, 0)])
    return src[ok], dst[ok]


def _relations(
    rng: np.random.Generator,
    world: _World,
    target_ties: float,
    start_year: int,
    end_year: int,
) -> _Relations:
    src, dst, kind = world.structural
    directed = np.ones(len(src), dtype=bool)
    flex_budget = _FLEX_SHARE * max(target_ties - len(src), 0.0)
    sources, targets, kinds, directions = [src], [dst], [kind], [directed]
    for from_kinds, to_kinds, rel_kind, is_directed, local, share in _FLEX_TIES:
        s, t = _draw_ties(rng, world, round(share * flex_budget), from_kinds, to_kinds, local)
        sources.append(s)
        targets.append(t)
        kinds.append(np.full(len(s), _REL[rel_kind], dtype=np.int64))
        directions.append(np.full(len(s), is_directed))
    src = np.concatenate(sources)
    dst = np.concatenate(targets)
    kind = np.concatenate(kinds)
    directed = np.concatenate(directions)

    # One tie per unordered pair and relation kind, keeping the first drawn.
    size = np.int64(len(world.kind))
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    key = (low * size + high) * len(RELATION_KINDS) + kind
    _, first = np.unique(key, return_index=True)
    first.sort()
    src, dst, kind, directed = src[first], dst[first], kind[first], directed[first]

    m = len(src)
    weight = np.where(kind == _REL["membership"], 1.0, 1.0 + rng.poisson(0.4, m))
    start, end = _tie_dates(rng, m, start_year, end_year)
    return _Relations(src, dst, kind, directed, weight.astype(np.float64), start, end)


def _epoch_day(year: int, month: int = 1, day: int = 1) -> int:
    return (date(year, month, day) - date(1970, 1, 1)).days


def _tie_dates(
    rng: np.random.Generator, m: int, start_year: int, end_year: int
) -> tuple[np.ndarray, np.ndarray]:
    first, last = _epoch_day(start_year), _epoch_day(end_year, 12, 31)
    start = first + rng.integers(0, last - first + 1, m)
    ended = rng.random(m) < 0.25
    end = np.minimum(start + rng.integers(90, 1500, m), last)
    return start, np.where(ended, end, -1)


# ---------------------------------------------------------------------------------------------
# Activities


@dataclass
class _Activities:
    kind: np.ndarray
    start: np.ndarray  # datetime64[D]
    end: np.ndarray
    budget: np.ndarray
    programme: np.ndarray  # index of "Synthetic programme A..", -1 for none

    @property
    def size(self) -> int:
        return len(self.kind)


@dataclass
class _Participations:
    activity: np.ndarray
    actor: np.ndarray
    role: np.ndarray
    contribution: np.ndarray  # NaN where not stated


def _activities(
    rng: np.random.Generator,
    world: _World,
    pair_budget: float,
    start_year: int,
    end_year: int,
) -> tuple[_Activities, _Participations]:
    """Activities whose co-participation pairs add up to about ``pair_budget`` ties.

    Participant lists lose duplicates and extra real actors, so the pairs an activity yields
    are estimated and a few top-up rounds close the gap.
    """
    lead_pool = _Pool(world.fitness * _mask(world.kind, _LEAD) * ~world.closed)
    funder_pool = _Pool(world.fitness * _mask(world.kind, _FUNDERS))
    partner_weight = world.fitness * _mask(world.kind, _PARTNER)
    near_pool = _Pool(partner_weight * ~world.closed, world.community, len(world.center))
    far_pool = _Pool(partner_weight * world.reach)
    if len(lead_pool.actors) == 0 or len(far_pool.actors) == 0:
        pair_budget = 0.0

    pairs_each = float((_SIZE_P * _SIZES * (_SIZES - 1) / 2).sum())
    rounds: list[tuple[_Activities, _Participations]] = []
    remaining, offset = pair_budget, 0
    for _ in range(4):
        count = round(remaining / pairs_each) if remaining > 0.01 * pair_budget else 0
        if count == 0:
            break
        acts, parts = _activity_round(
            rng, world, count, lead_pool, funder_pool, near_pool, far_pool, start_year, end_year
        )
        sizes = np.bincount(parts.activity, minlength=acts.size)
        pairs = float((sizes * (sizes - 1) / 2).sum())
        if acts.size:
            pairs_each = max(pairs / acts.size, 1.0)
        remaining -= pairs
        parts.activity = parts.activity + offset
        offset += acts.size
        rounds.append((acts, parts))
    if not rounds:
        none = np.empty(0, dtype=np.int64)
        no_day = none.astype("datetime64[D]")
        return (
            _Activities(none, no_day, no_day, np.empty(0), none),
            _Participations(none, none, none, np.empty(0)),
        )
    activities = _Activities(
        *(np.concatenate([getattr(r[0], f.name) for r in rounds]) for f in fields(_Activities))
    )
    participations = _Participations(
        *(np.concatenate([getattr(r[1], f.name) for r in rounds]) for f in fields(_Participations))
    )
    return activities, participations


def _activity_round(
    rng: np.random.Generator,
    world: _World,
    count: int,
    lead_pool: _Pool,
    funder_pool: _Pool,
    near_pool: _Pool,
    far_pool: _Pool,
    start_year: int,
    end_year: int,
) -> tuple[_Activities, _Participations]:
    size = rng.choice(_SIZES, size=count, p=_SIZE_P)
    lead = lead_pool.sample(rng, count)
    funded = rng.random(count) < _FUNDED
    funder = funder_pool.sample(rng, count)
    funded &= funder >= 0

    # Twice as many partner candidates as places: duplicates and extra anchors drop out.
    n_cand = 2 * size + 2
    act = np.repeat(np.arange(count), n_cand)
    community = world.community[lead[act]]
    near = near_pool.draw(rng, community)
    far = far_pool.sample(rng, len(act))
    local = np.where(world.sami[lead[act]], _LOCAL_PARTNER_SAMI, _LOCAL_PARTNER)
    partner = np.where((rng.random(len(act)) < local) & (near >= 0), near, far)

    fund_acts = np.flatnonzero(funded)
    acts_all = np.concatenate([np.arange(count), fund_acts, act])
    actors = np.concatenate([lead, funder[fund_acts], partner])
    order_in = np.concatenate([np.zeros(count), np.ones(len(fund_acts)), 2 + np.arange(len(act))])
    role = np.concatenate(
        [
            np.full(count, _ROLE["lead"]),
            np.full(len(fund_acts), _ROLE["funder"]),
            np.full(len(act), _ROLE["partner"]),
        ]
    ).astype(np.int64)
    ok = actors >= 0
    acts_all, actors, order_in, role = acts_all[ok], actors[ok], order_in[ok], role[ok]
    order = np.lexsort((order_in, acts_all))
    acts_all, actors, role = acts_all[order], actors[order], role[order]

    # An actor takes part once; keep the first (lead, then funder, then partners in order).
    n_world = np.int64(len(world.kind))
    _, first = np.unique(acts_all * n_world + actors, return_index=True)
    first.sort()
    acts_all, actors, role = acts_all[first], actors[first], role[first]
    # At most one real actor per activity: two would make a tie between real organisations.
    anchor = world.anchor[actors]
    starts = np.searchsorted(acts_all, acts_all, side="left")
    anchor_cum = np.cumsum(anchor)
    anchors_before = anchor_cum - anchor - np.where(starts > 0, anchor_cum[starts - 1], 0)
    keep = ~anchor | (anchors_before == 0)
    acts_all, actors, role = acts_all[keep], actors[keep], role[keep]
    starts = np.searchsorted(acts_all, acts_all, side="left")
    rank = np.arange(len(acts_all)) - starts
    keep = rank < size[acts_all]
    acts_all, actors, role = acts_all[keep], actors[keep], role[keep]

    # Drop activities left with fewer than two participants and renumber the rest.
    n_part = np.bincount(acts_all, minlength=count)
    alive = n_part >= 2
    new_index = np.cumsum(alive) - 1
    keep = alive[acts_all]
    acts_all, actors, role = new_index[acts_all[keep]], actors[keep], role[keep]
    n_alive = int(alive.sum())

    kind_names = list(_ACTIVITY_KIND_P)
    kind = np.array([_ACT[k] for k in kind_names])[
        rng.choice(len(kind_names), size=n_alive, p=list(_ACTIVITY_KIND_P.values()))
    ]
    start, end = _activity_dates(rng, n_alive, start_year, end_year)
    budget = np.round(np.clip(rng.lognormal(np.log(1.5e6), 1.0, n_alive), 1e5, 2e7), -3)
    n_programmes = min(26, max(3, n_alive // 40 + 1))
    programme = np.where(rng.random(n_alive) < 0.7, rng.integers(0, n_programmes, n_alive), -1)

    # Roles follow the kinds: municipalities co-finance, companies in learning labs are the
    # target group, everyone in a network is a member.
    partner_kind = world.kind[actors]
    act_kind = kind[acts_all]
    is_partner = role == _ROLE["partner"]
    role = np.where(is_partner & (partner_kind == _K["municipality"]), _ROLE["cofinancer"], role)
    is_partner = role == _ROLE["partner"]
    role = np.where(
        is_partner & (act_kind == _ACT["learning_lab"]) & (partner_kind == _K["company"]),
        _ROLE["target_group"],
        role,
    )
    role = np.where(
        (role == _ROLE["partner"]) & (act_kind == _ACT["network"]), _ROLE["member"], role
    )
    share = np.where(
        role == _ROLE["funder"],
        rng.uniform(0.3, 0.7, len(role)),
        np.where(role == _ROLE["cofinancer"], rng.uniform(0.02, 0.1, len(role)), np.nan),
    )
    contribution = np.round(budget[acts_all] * share, -3)
    return (
        _Activities(kind, start, end, budget, programme),
        _Participations(acts_all, actors, role, contribution),
    )


def _activity_dates(
    rng: np.random.Generator, m: int, start_year: int, end_year: int
) -> tuple[np.ndarray, np.ndarray]:
    """Whole-month activities of 6..36 months that lie entirely within the years."""
    months = (end_year - start_year + 1) * 12
    duration = np.minimum(rng.integers(6, 37, m), months)
    first = (rng.random(m) * (months - duration + 1)).astype(np.int64)
    base = np.datetime64(f"{start_year:04d}-01", "M")
    start = (base + first).astype("datetime64[D]")
    end = (base + first + duration).astype("datetime64[D]") - np.timedelta64(1, "D")
    return start, end


# ---------------------------------------------------------------------------------------------
# Strength areas


def _actor_areas(
    rng: np.random.Generator, world: _World, n_areas: int
) -> tuple[np.ndarray, np.ndarray]:
    """(actor, area) pairs: clusters 1-2 areas, members mostly their community's area."""
    n = world.n
    kind = world.kind[:n]
    idx = np.arange(n)
    comm_area = world.community_area[world.community[:n]]
    clusters = idx[kind == _K["cluster"]]
    second = world.cluster_second_area[world.community[clusters]]
    firms = idx[(kind == _K["company"]) | (kind == _K["coworking"])]
    inherit = rng.random(len(firms)) < 0.85
    firm_area = np.where(inherit, comm_area[firms], rng.integers(0, n_areas, len(firms)))
    firms2 = firms[rng.random(len(firms)) < 0.15]
    science = idx[(kind == _K["academia"]) | (kind == _K["research_institute"])]
    science2 = science[rng.random(len(science)) < 0.5]
    others = idx[_mask(kind, ("business_support", "design_org", "civil_society")) > 0]
    others = others[rng.random(len(others)) < 0.3]
    actor = np.concatenate(
        [clusters, clusters[second >= 0], firms, firms2, science, science2, others]
    )
    area = np.concatenate(
        [
            comm_area[clusters],
            second[second >= 0],
            firm_area,
            rng.integers(0, n_areas, len(firms2) + len(science) + len(science2) + len(others)),
        ]
    )
    _, first = np.unique(actor * np.int64(n_areas) + area, return_index=True)
    first.sort()
    return actor[first], area[first]


# ---------------------------------------------------------------------------------------------
# Frames


def _table(table: str, height: int, /, **columns: pl.Series | str | bool | None) -> pl.DataFrame:
    """A frame with exactly the columns of ``TABLES[table]`` in order, typed; missing ones null."""
    spec = TABLES[table]
    out = []
    for col in spec.columns:
        dtype = _POLARS_TYPE[col.type]
        value = columns.pop(col.name, None)
        if isinstance(value, pl.Series):
            out.append(value.cast(dtype).alias(col.name))
        else:
            out.append(pl.repeat(value, height, dtype=dtype, eager=True).alias(col.name))
    if columns:
        raise KeyError(f"{table} has no column(s) {sorted(columns)}")
    return pl.DataFrame(out)


def _source_frame(
    source_id: str,
    seed: int,
    n_actors: int,
    ties_per_actor: float,
    start_year: int,
    end_year: int,
    anchored: bool,
) -> pl.DataFrame:
    note = (
        "Made up by ecograph's generator graph/datasets/synth.py: no row under this source is "
        f"a fact about the world. Arguments: n_actors={n_actors}, seed={seed}, "
        f"ties_per_actor={ties_per_actor:g}, years {start_year}-{end_year}"
        + (
            ", attached to real anchor actors (never two real actors in one row)."
            if anchored
            else "."
        )
    )
    return _table(
        "sources",
        1,
        source_id=source_id,
        title=f"Synthetic ecosystem (ecograph synth, seed {seed}, {n_actors} actors)",
        publisher="ecograph",
        note=note,
        synthetic=True,
        auto=False,
    )


def _actor_frame(
    world: _World,
    places: _Places,
    areas: pl.DataFrame,
    rng: np.random.Generator,
    seed: int,
    source_id: str,
) -> pl.DataFrame:
    n = world.n
    kind = world.kind[:n]
    place = world.place[:n]
    sami_business = world.sami_business[:n]
    is_cluster = kind == _K["cluster"]
    cluster_area = np.where(is_cluster, world.community_area[world.community[:n]], -1)
    kinds = pl.Series(KINDS).gather(kind)
    label = pl.Series([_LABEL[k] for k in KINDS]).gather(kind)
    helix = pl.Series([_HELIX[k] for k in KINDS], dtype=pl.String).gather(kind)
    area_name = areas["name"].gather(np.maximum(cluster_area, 0))
    frame = pl.DataFrame(
        {
            "label": label,
            "num": world.number[:n],
            "sami": sami_business,
            "area": area_name,
            "cluster": is_cluster,
            "municipal": kind == _K["municipality"],
            "place": places.name.gather(place),
        }
    )
    by_kind = pl.when(pl.col("sami")).then(pl.lit("Sami business")).otherwise(pl.col("label"))
    suffix = pl.when(pl.col("cluster")).then(pl.concat_str(pl.lit(" ("), "area", pl.lit(")")))
    names = frame.select(
        pl.when(pl.col("municipal"))
        .then(pl.col("place"))
        .otherwise(
            pl.concat_str(pl.lit("Synthetic "), by_kind, pl.lit(" "), pl.col("num").cast(pl.String))
            + suffix.otherwise(pl.lit(""))
        )
        .alias("name"),
        pl.concat_str(
            pl.lit("Synthetic "),
            pl.when(pl.col("sami"))
            .then(pl.lit("Sami business (a company)"))
            .otherwise(pl.col("label")),
            pl.lit(f" made up by ecograph synth (seed {seed}); not a real organisation."),
        ).alias("description"),
    )
    county = places.county[place]
    jitter = rng.uniform(-_JITTER_DEGREES, _JITTER_DEGREES, (2, n))
    return _table(
        "actors",
        n,
        actor_id=world.synthetic_ids,
        name=names["name"],
        kind=kinds,
        helix=helix,
        municipality=places.name.gather(place),
        region=pl.Series(places.county_names).gather(county),
        lat=pl.Series(np.round(places.lat[place] + jitter[0], 5)),
        lon=pl.Series(np.round(places.lon[place] + jitter[1], 5)),
        description=names["description"],
        source_id=source_id,
    )


def _activity_frame(act: _Activities, source_id: str) -> pl.DataFrame:
    m = act.size
    width = max(6, len(str(m)))
    kind = pl.Series(ACTIVITY_KINDS).gather(act.kind)
    label = pl.Series([_ACTIVITY_LABEL.get(k, k) for k in ACTIVITY_KINDS]).gather(act.kind)
    letters = pl.Series([f"Synthetic programme {chr(ord('A') + i)}" for i in range(26)])
    frame = pl.DataFrame(
        {
            "num": np.arange(1, m + 1),
            "label": label,
            "prog": letters.gather(np.maximum(act.programme, 0)),
            "has_prog": act.programme >= 0,
        }
    ).select(
        pl.concat_str(pl.lit("syn-act-"), pl.col("num").cast(pl.String).str.zfill(width)).alias(
            "id"
        ),
        pl.concat_str(
            pl.lit("Synthetic "), "label", pl.lit(" "), pl.col("num").cast(pl.String)
        ).alias("name"),
        pl.when("has_prog").then("prog").alias("programme"),
    )
    return _table(
        "activities",
        m,
        activity_id=frame["id"],
        name=frame["name"],
        kind=kind,
        start_date=pl.Series(act.start.astype("datetime64[D]")),
        end_date=pl.Series(act.end.astype("datetime64[D]")),
        budget_sek=pl.Series(act.budget, dtype=pl.Float64),
        programme=frame["programme"],
        description="Synthetic activity made up by ecograph synth; not a real project.",
        source_id=source_id,
    )


def _relation_frame(rel: _Relations, ids: pl.Series, source_id: str) -> pl.DataFrame:
    m = rel.size
    width = max(6, len(str(m)))
    rel_id = (
        pl.DataFrame({"num": np.arange(1, m + 1)})
        .select(pl.concat_str(pl.lit("syn-rel-"), pl.col("num").cast(pl.String).str.zfill(width)))
        .to_series()
    )
    dates = pl.DataFrame({"start": rel.start, "end": rel.end}).select(
        pl.col("start").cast(pl.Int32).cast(pl.Date),
        pl.when(pl.col("end") >= 0).then(pl.col("end")).cast(pl.Int32).cast(pl.Date),
    )
    return _table(
        "relations",
        m,
        relation_id=rel_id,
        from_actor=ids.gather(rel.source),
        to_actor=ids.gather(rel.target),
        kind=pl.Series(RELATION_KINDS).gather(rel.kind),
        directed=pl.Series(rel.directed, dtype=pl.Boolean),
        start_date=dates["start"],
        end_date=dates["end"],
        weight=pl.Series(rel.weight, dtype=pl.Float64),
        source_id=source_id,
    )
