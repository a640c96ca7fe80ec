"""The synthetic ecosystem generator: reproducible, labelled, well-formed and useful for gaps."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest

from graph.datasets.synth import (
    ACTIVITY_KINDS,
    KINDS,
    RELATION_KINDS,
    ROLES,
    default_municipalities,
    synthetic_ecosystem,
    write_csv_folder,
)
from graph.errors import UsageError
from graph.formats.ingest import import_frames, import_paths
from graph.store.tables import TABLES

SCHEMA = Path(__file__).resolve().parents[2] / "graph" / "store" / "schema.sql"
SUPPORT = {
    "region",
    "public_agency",
    "business_support",
    "design_org",
    "academia",
    "research_institute",
    "funder",
}
# Real actors as the shipped dataset has them (ids, kinds, places), without reading the file.
ANCHORS = pl.DataFrame(
    {
        "actor_id": [
            "region-jh",
            "miun",
            "peak-innovation",
            "samverket",
            "kollektivet-klovsjo",
            "avki",
            "mid-sweden-science-park",
            "vinnova",
            "svid",
            "ostersund-kommun",
        ],
        "kind": [
            "region",
            "academia",
            "cluster",
            "coworking",
            "coworking",
            "sami_org",
            "business_support",
            "funder",
            "design_org",
            "municipality",
        ],
        "municipality": [
            "Östersund",
            "Östersund",
            "Östersund",
            "Östersund",
            "Berg",
            "Gällivare",
            None,
            None,
            "Stockholm",
            "Östersund",
        ],
        "region": [
            "Jämtlands län",
            "Jämtlands län",
            "Jämtlands län",
            "Jämtlands län",
            "Jämtlands län",
            "Norrbottens län",
            None,
            None,
            "Stockholms län",
            "Jämtlands län",
        ],
    }
)
ANCHOR_IDS = set(ANCHORS["actor_id"])


@pytest.fixture(scope="module")
def data() -> dict[str, pl.DataFrame]:
    return synthetic_ecosystem(300, seed=42)


@pytest.fixture(scope="module")
def anchored() -> dict[str, pl.DataFrame]:
    areas = pl.DataFrame({"area_id": ["upplevelser", "hallbar-energi"], "name": ["U", "H"]})
    return synthetic_ecosystem(300, seed=42, anchors=ANCHORS, areas=areas)


@pytest.fixture(scope="module")
def schema_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    return con


def vocabulary(con: duckdb.DuckDBPyConnection, enum: str) -> list[str]:
    return [r[0] for r in con.execute(f"SELECT unnest(enum_range(NULL::{enum}))").fetchall()]


def ties(dataset: dict[str, pl.DataFrame]) -> int:
    """Relations plus pairs of actors sharing an activity: the rows of ``collaborations``."""
    sizes = dataset["participations"].group_by("activity_id").len()["len"]
    return dataset["relations"].height + int((sizes * (sizes - 1) // 2).sum())


def test_same_arguments_give_identical_tables(data: dict[str, pl.DataFrame]) -> None:
    """Demos, tests and benchmarks rebuild the same ecosystem from a seed."""
    again = synthetic_ecosystem(300, seed=42)
    assert again.keys() == data.keys()
    for name in data:
        assert again[name].equals(data[name]), name


def test_different_seeds_give_different_ecosystems(data: dict[str, pl.DataFrame]) -> None:
    other = synthetic_ecosystem(300, seed=43)
    assert other["sources"]["source_id"].to_list() == ["synthetic-seed-43"]
    assert not other["relations"].equals(data["relations"])
    assert not other["participations"].equals(data["participations"])
    assert not other["actors"]["lat"].equals(data["actors"]["lat"])


def test_one_synthetic_source_names_every_row(data: dict[str, pl.DataFrame]) -> None:
    """Switching synthetic data off removes exactly the rows of this one source."""
    assert data["sources"].to_dicts() == [
        {
            "source_id": "synthetic-seed-42",
            "title": "Synthetic ecosystem (ecograph synth, seed 42, 300 actors)",
            "publisher": "ecograph",
            "url": None,
            "published": None,
            "note": data["sources"]["note"][0],
            "synthetic": True,
            "auto": False,
        }
    ]
    for name, frame in data.items():
        assert frame["source_id"].to_list() == ["synthetic-seed-42"] * frame.height, name


def test_columns_and_types_follow_tables_py(data: dict[str, pl.DataFrame]) -> None:
    """Every writer and exporter relies on the column order and types of graph/store/tables.py."""
    polars_type = {
        "id": pl.String,
        "text": pl.String,
        "enum": pl.String,
        "date": pl.Date,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "json": pl.String,
    }
    assert set(data) == {
        "sources",
        "actors",
        "strength_areas",
        "actor_areas",
        "activities",
        "participations",
        "relations",
    }
    for name, frame in data.items():
        spec = TABLES[name]
        assert frame.columns == spec.column_names, name
        assert frame.dtypes == [polars_type[c.type] for c in spec.columns], name


def test_ids_are_prefixed_and_actors_described_as_synthetic(
    data: dict[str, pl.DataFrame],
) -> None:
    actors = data["actors"]
    assert actors["actor_id"].str.starts_with("syn-").all()
    assert actors["description"].str.starts_with("Synthetic").all()
    assert actors["name"].str.starts_with("Synthetic").all()
    assert data["activities"]["activity_id"].str.starts_with("syn-act-").all()
    assert data["relations"]["relation_id"].str.starts_with("syn-rel-").all()
    # the per-kind numbering, zero-padded to five digits
    assert "syn-company-00042" in actors["actor_id"].to_list()
    assert "syn-business-support-00001" in actors["actor_id"].to_list()


def test_vocabularies_match_schema(schema_db: duckdb.DuckDBPyConnection) -> None:
    """The generator's kind codes index these tuples, so their order must be the schema's."""
    assert list(KINDS) == vocabulary(schema_db, "actor_kind")
    assert list(ROLES) == vocabulary(schema_db, "participation_role")
    assert list(RELATION_KINDS) == vocabulary(schema_db, "relation_kind")
    assert list(ACTIVITY_KINDS) == vocabulary(schema_db, "activity_kind")


def test_values_within_schema_vocabularies(
    data: dict[str, pl.DataFrame], schema_db: duckdb.DuckDBPyConnection
) -> None:
    checks = [
        ("actors", "kind", "actor_kind"),
        ("actors", "helix", "helix"),
        ("activities", "kind", "activity_kind"),
        ("participations", "role", "participation_role"),
        ("relations", "kind", "relation_kind"),
    ]
    for table, column, enum in checks:
        used = set(data[table][column].drop_nulls())
        assert used <= set(vocabulary(schema_db, enum)), (table, column)


def test_kind_mix_and_helix(data: dict[str, pl.DataFrame]) -> None:
    """Mostly companies; every other expected kind present; helix follows from kind."""
    counts = dict(data["actors"]["kind"].value_counts().iter_rows())
    # 300 actors: 2.5 % clusters -> round(7.5) = 8, 7 % co-working -> 21; companies the rest
    assert counts["cluster"] == 8
    assert counts["coworking"] == 21
    assert counts["company"] == 214
    assert {"business_support", "design_org", "academia", "civil_society", "sami_org"} <= set(
        counts
    )
    assert "municipality" not in counts  # only synthetic municipalities get an administration
    helix = {"company": "industry", "cluster": "industry", "coworking": "industry"}
    helix |= {"academia": "academia", "research_institute": "academia"}
    helix |= {"business_support": "public", "funder": "public"}
    helix |= {"civil_society": "civil_society", "design_org": "civil_society", "sami_org": None}
    for kind, h in data["actors"].select("kind", "helix").unique().iter_rows():
        assert helix[kind] == h, kind


def test_places_are_the_county_municipalities(data: dict[str, pl.DataFrame]) -> None:
    """Actors sit within 0.05 degrees of their municipality's seat; Östersund has the most."""
    seats = default_municipalities()
    joined = data["actors"].join(seats, on="municipality", how="left")
    assert joined["lat_right"].null_count() == 0
    assert ((joined["lat"] - joined["lat_right"]).abs() < 0.05).all()
    assert ((joined["lon"] - joined["lon_right"]).abs() < 0.05).all()
    assert set(data["actors"]["region"]) == {"Jämtlands län"}
    top = data["actors"]["municipality"].value_counts(sort=True)["municipality"][0]
    assert top == "Östersund"


def test_national_size_adds_synthetic_municipalities() -> None:
    """Above 2000 actors the ecosystem spreads over about 290 municipalities, as Sweden has."""
    actors = synthetic_ecosystem(2500, seed=1, ties_per_actor=1)["actors"]
    places = set(actors["municipality"])
    assert len(places) <= 290
    assert len(places) > 200
    assert "Östersund" in places
    assert any(p.startswith("Synthetic municipality ") for p in places)
    administrations = actors.filter(pl.col("kind") == "municipality")
    assert administrations.height == 25  # 1 % of 2500
    assert administrations["name"].str.starts_with("Synthetic municipality ").all()
    assert actors["lat"].is_between(55, 69.2).all()


def test_referential_integrity(data: dict[str, pl.DataFrame]) -> None:
    actors = set(data["actors"]["actor_id"])
    acts = set(data["activities"]["activity_id"])
    areas = set(data["strength_areas"]["area_id"])
    assert set(data["participations"]["actor_id"]) <= actors
    assert set(data["participations"]["activity_id"]) == acts  # and no empty activity
    assert set(data["relations"]["from_actor"]) | set(data["relations"]["to_actor"]) <= actors
    assert set(data["actor_areas"]["actor_id"]) <= actors
    assert set(data["actor_areas"]["area_id"]) <= areas


def test_keys_unique_and_no_self_loops(data: dict[str, pl.DataFrame]) -> None:
    for name, frame in data.items():
        assert not frame.select(TABLES[name].key).is_duplicated().any(), name
    rel = data["relations"]
    assert (rel["from_actor"] != rel["to_actor"]).all()
    pairs = rel.select(
        pl.min_horizontal("from_actor", "to_actor").alias("a"),
        pl.max_horizontal("from_actor", "to_actor").alias("b"),
        "kind",
    )
    assert not pairs.is_duplicated().any()


def test_dates_ordered_and_within_the_years() -> None:
    data = synthetic_ecosystem(500, seed=3, start_year=2018, end_year=2020)
    for name in ("activities", "relations"):
        frame = data[name]
        assert frame["start_date"].null_count() == 0
        assert frame["start_date"].min() >= date(2018, 1, 1), name
        assert frame["end_date"].max() <= date(2020, 12, 31), name
        ended = frame.filter(pl.col("end_date").is_not_null())
        assert (ended["end_date"] >= ended["start_date"]).all(), name
    acts = data["activities"]
    assert acts["end_date"].null_count() == 0
    assert acts["start_date"].dt.day().unique().to_list() == [1]  # whole months
    months = (acts["end_date"].dt.year() - acts["start_date"].dt.year()) * 12 + (
        acts["end_date"].dt.month() - acts["start_date"].dt.month()
    )
    assert months.min() >= 5  # 6 months: start 2018-01-01, end 2018-06-30 (5 months apart)
    assert months.max() <= 35


def test_activity_sizes_roles_and_budgets(data: dict[str, pl.DataFrame]) -> None:
    sizes = data["participations"].group_by("activity_id").len()["len"]
    assert sizes.min() >= 2
    assert sizes.max() <= 12
    leads = data["participations"].filter(pl.col("role") == "lead").group_by("activity_id").len()
    assert leads.height == data["activities"].height
    assert (leads["len"] == 1).all()
    budget = data["activities"]["budget_sek"]
    assert budget.min() >= 100_000
    assert budget.max() <= 20_000_000
    funders = data["participations"].filter(pl.col("role") == "funder")
    assert funders["contribution_sek"].null_count() == 0
    partners = data["participations"].filter(pl.col("role") == "partner")
    assert partners["contribution_sek"].null_count() == partners.height
    programmes = data["activities"]["programme"].drop_nulls()
    assert programmes.str.contains(r"^Synthetic programme [A-Z]$").all()


def test_strength_areas_cover_clusters(data: dict[str, pl.DataFrame]) -> None:
    """Each of the four default areas has at least one cluster; clusters have one or two."""
    assert data["strength_areas"]["area_id"].to_list() == [
        "jord-skog-vatten",
        "upplevelser",
        "digitala-losningar",
        "hallbar-energi",
    ]
    clusters = data["actors"].filter(pl.col("kind") == "cluster")["actor_id"]
    rows = data["actor_areas"].filter(pl.col("actor_id").is_in(clusters.implode()))
    assert set(rows["area_id"]) == set(data["strength_areas"]["area_id"])
    per_cluster = rows.group_by("actor_id").len()["len"]
    assert per_cluster.len() == clusters.len()
    assert per_cluster.max() <= 2


def test_sami_businesses_belong_to_a_sami_organisation(data: dict[str, pl.DataFrame]) -> None:
    actors = data["actors"]
    sami = actors.filter(pl.col("description").str.contains("Sami business"))
    assert sami.height == 6  # 3 % of 214 companies
    assert set(sami["kind"]) == {"company"}
    sami_orgs = actors.filter(pl.col("kind") == "sami_org")["actor_id"]
    member = data["relations"].filter(
        (pl.col("kind") == "membership") & pl.col("to_actor").is_in(sami_orgs.implode())
    )
    assert set(sami["actor_id"]) <= set(member["from_actor"])


@pytest.mark.parametrize("target", [4.0, 10.0])
def test_mean_ties_per_actor_near_target(target: float) -> None:
    """ties_per_actor sets the size of the collaboration graph benchmarks run on."""
    data = synthetic_ecosystem(2000, seed=5, ties_per_actor=target)
    assert ties(data) / 2000 == pytest.approx(target, rel=0.3)


def test_degrees_are_heavy_tailed() -> None:
    """Preferential attachment: the best-connected actor has many times the median degree."""
    data = synthetic_ecosystem(2000, seed=5)
    rel = data["relations"]
    ends = pl.concat([rel["from_actor"], rel["to_actor"], data["participations"]["actor_id"]])
    degree = ends.value_counts()["count"]
    assert degree.max() >= 8 * degree.median()


def test_loads_into_schema_without_constraint_errors(
    data: dict[str, pl.DataFrame], schema_db: duckdb.DuckDBPyConnection
) -> None:
    """Keys, checks and enums of schema.sql accept every row; the view counts the ties."""
    con = schema_db.cursor()
    con.execute("BEGIN").fetchall()
    for name, frame in data.items():
        con.register("frame", frame)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM frame").fetchall()
        con.unregister("frame")
        assert con.execute(f"SELECT count(*) FROM {name}").fetchall() == [(frame.height,)]
    assert con.execute("SELECT count(*) FROM collaborations").fetchall() == [(ties(data),)]
    con.execute("ROLLBACK").fetchall()


def test_anchors_join_but_never_pair(anchored: dict[str, pl.DataFrame]) -> None:
    """No row may state a made-up fact between two real organisations."""
    assert not set(anchored["actors"]["actor_id"]) & ANCHOR_IDS
    assert "strength_areas" not in anchored  # the caller's areas already exist
    assert set(anchored["actor_areas"]["area_id"]) <= {"upplevelser", "hallbar-energi"}
    assert not set(anchored["actor_areas"]["actor_id"]) & ANCHOR_IDS
    rel = anchored["relations"]
    both = rel.filter(
        pl.col("from_actor").is_in(list(ANCHOR_IDS)) & pl.col("to_actor").is_in(list(ANCHOR_IDS))
    )
    assert both.height == 0
    per_activity = (
        anchored["participations"]
        .filter(pl.col("actor_id").is_in(list(ANCHOR_IDS)))
        .group_by("activity_id")
        .len()
    )
    assert per_activity["len"].max() == 1
    known = set(anchored["actors"]["actor_id"]) | ANCHOR_IDS
    assert set(rel["from_actor"]) | set(rel["to_actor"]) <= known
    assert set(anchored["participations"]["actor_id"]) <= known


def test_anchor_clusters_and_spaces_get_synthetic_members(
    anchored: dict[str, pl.DataFrame],
) -> None:
    """The demo shows synthetic firms in the real cluster and the real co-working spaces."""
    members = anchored["relations"].filter(pl.col("kind") == "membership")
    for real in ("peak-innovation", "samverket", "kollektivet-klovsjo"):
        joined = members.filter(pl.col("to_actor") == real)["from_actor"]
        assert joined.len() >= 1, real
        assert joined.str.starts_with("syn-").all()
    used = (
        set(anchored["participations"]["actor_id"])
        | set(anchored["relations"]["from_actor"])
        | set(anchored["relations"]["to_actor"])
    )
    assert {"region-jh", "miun", "mid-sweden-science-park"} <= used


def test_demo_leaves_gaps_to_find(anchored: dict[str, pl.DataFrame]) -> None:
    """Some co-working spaces and their members have no path to any support actor."""
    kinds = dict(anchored["actors"].select("actor_id", "kind").iter_rows())
    kinds |= dict(ANCHORS.select("actor_id", "kind").iter_rows())
    G = nx.Graph()
    G.add_nodes_from(kinds)
    G.add_edges_from(anchored["relations"].select("from_actor", "to_actor").iter_rows())
    for _, group in anchored["participations"].group_by("activity_id"):
        G.add_edges_from(itertools.combinations(group["actor_id"].to_list(), 2))
    unreached = [
        c
        for c in nx.connected_components(G)
        if "coworking" in {kinds[a] for a in c} and not {kinds[a] for a in c} & SUPPORT
    ]
    # n=300: 21 co-working spaces, 5 % rounded up to the minimum of 2 pockets
    assert len(unreached) == 2
    for component in unreached:
        assert {kinds[a] for a in component} == {"coworking", "company"}
        assert len(component) >= 3
    dist = nx.multi_source_dijkstra_path_length(G, [a for a, k in kinds.items() if k in SUPPORT])
    reached = {dist[a] for a, k in kinds.items() if k == "company" and a in dist}
    assert {1, 2} <= reached


def test_arguments_are_checked() -> None:
    with pytest.raises(UsageError, match="at least 20"):
        synthetic_ecosystem(5)
    with pytest.raises(UsageError, match="unknown actor kind"):
        synthetic_ecosystem(100, anchors=pl.DataFrame({"actor_id": ["x"], "kind": ["startup"]}))
    with pytest.raises(UsageError, match="syn-"):
        synthetic_ecosystem(100, anchors=pl.DataFrame({"actor_id": ["syn-x"], "kind": ["other"]}))
    with pytest.raises(UsageError, match="start_year"):
        synthetic_ecosystem(100, start_year=2027, end_year=2026)


def test_write_csv_folder(data: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    """One file per table, header in tables.py order, ISO dates, empty cells for nulls."""
    written = write_csv_folder(data, tmp_path / "out")
    assert [p.name for p in written] == [
        "sources.csv",
        "strength_areas.csv",
        "actors.csv",
        "actor_areas.csv",
        "activities.csv",
        "participations.csv",
        "relations.csv",
    ]
    for path in written:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(TABLES[path.stem].column_names)
        assert len(lines) == data[path.stem].height + 1
    first = (tmp_path / "out" / "activities.csv").read_text(encoding="utf-8").splitlines()[1]
    start = data["activities"]["start_date"][0].isoformat()
    assert f",{start}," in first
    with pytest.raises(UsageError, match="unknown table"):
        write_csv_folder({"people": data["actors"]}, tmp_path / "bad")


def test_demo_layer_imports_over_the_shipped_data(
    con: duckdb.DuckDBPyConnection, shipped_dir: Path
) -> None:
    """The real importer accepts the anchored layer on top of the shipped, sourced dataset."""
    import_paths(con, [shipped_dir])
    real = con.sql("SELECT actor_id, kind::VARCHAR AS kind, municipality, region FROM actors").pl()
    areas = con.sql("SELECT area_id, name FROM strength_areas").pl()
    layer = synthetic_ecosystem(300, seed=2026, anchors=real, areas=areas)
    import_frames(con, layer, label="synthetic")
    synthetic = con.execute(
        "SELECT count(*) FROM actors JOIN sources USING (source_id) WHERE synthetic"
    ).fetchall()
    assert synthetic == [(300,)]
    assert con.execute("SELECT count(*) FROM actors").fetchall() == [(300 + real.height,)]
