"""Every saved query in queries/, checked against the 22-actor example dataset that was shipped
until issue #20, frozen in tests/fixtures/jamtland_2025 ("the shipped data" below).

Expected rows are worked out by hand from its CSV files; the comment above each says how.
The shipped graph has 20 ties: 11 relations (8 of them around Peak Innovation, 3 around Region
Jämtland Härjedalen's design partners and Samverket) plus the actor pairs of two activities,
Designdrivna innovationskluster (svid, design-i-vasternorrland, avki, region-jh: 6 pairs,
2022-04-01..2024-06-30) and Peak Innovation III (mid-sweden-science-park, vinnova,
peak-innovation: 3 pairs, undated). Where the shipped data cannot show a query's point (nothing
is synthetic, unsourced or linked to a strength area; the analysis tables are empty until
`ecograph analyze` runs), a test adds a few hand-made rows, documented as such, to a copy.
Names sort by bytes (DuckDB's default collation): Å, Á and Ö come after Z.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from graph.formats.ingest import import_paths
from graph.sql import QueryError, find_query, load_queries, run_query
from graph.store.database import connect, run
from tests.conftest import EXAMPLE_DIR, write_files

QUERIES = load_queries()


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding only the shipped data, closed so the sandbox can open it."""
    path = tmp_path_factory.mktemp("shipped") / "shipped.duckdb"
    con = connect(path)
    import_paths(con, [EXAMPLE_DIR])
    con.close()
    return path


def answer(path: Path, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of saved query ``name`` run in the sandbox, with text parameters as the CLI
    passes them."""
    stored = find_query(QUERIES, name)
    return run_query(path, stored.sql, stored.bind(params)).frame.rows()


def columns(path: Path, name: str, **params: Any) -> list[str]:
    stored = find_query(QUERIES, name)
    return run_query(path, stored.sql, stored.bind(params)).frame.columns


def with_additions(shipped_db: Path, tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the shipped database with hand-made CSV rows imported on top."""
    path = tmp_path / "plus.duckdb"
    shutil.copy(shipped_db, path)
    con = connect(path)
    import_paths(con, [write_files(tmp_path / "additions", files)])
    con.close()
    return path


def with_rows(
    shipped_db: Path, tmp_path: Path, table: str, names: str, rows: list[tuple[Any, ...]]
) -> Path:
    """A copy of the shipped database with hand-made rows in the columns ``names`` of an
    analysis table."""
    path = tmp_path / "analysed.duckdb"
    shutil.copy(shipped_db, path)
    con = connect(path)
    marks = ", ".join("?" * len(rows[0]))
    for row in rows:
        run(con, f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row))
    con.close()
    return path


def test_every_saved_query_is_tested() -> None:
    """A saved query without a test would be a query nobody knows still answers correctly."""
    tests = [name for name in globals() if name.startswith("test_")]
    assert len(QUERIES) >= 15
    for q in QUERIES:
        assert any(t.startswith(f"test_{q.name}") for t in tests), q.name


def test_declared_parameters_are_the_ones_the_sql_uses() -> None:
    """A declared parameter the SQL does not use (or the reverse) fails only when it runs."""
    con = duckdb.connect()
    for q in QUERIES:
        (statement,) = con.extract_statements(q.sql)
        assert statement.named_parameters == {p.name for p in q.params}, q.name
        assert q.title, q.name
        assert q.description, q.name
    con.close()


def test_activities_by_budget_and_partners(shipped_db: Path) -> None:
    # activities.csv: only the call has a budget (10 000 000); then by participants
    # (participations.csv): Designdrivna 4 (lead svid, 150 000 from region-jh), Peak Innovation
    # III 3 (lead Mid Sweden Science Park), four activities with region-jh or Peak Innovation
    # alone, and the four learning labs with nobody.
    rows = answer(shipped_db, "activities_by_budget_and_partners")
    assert [(r[0], r[5], r[6], r[7], r[8]) for r in rows] == [
        ("call-innovation-clusters-2021", 10_000_000.0, None, 1, None),
        (
            "designdrivna-innovationskluster",
            None,
            150_000.0,
            4,
            "SVID – Stiftelsen Svensk Industridesign",
        ),
        ("peak-innovation-iii", None, None, 3, "Mid Sweden Science Park AB"),
        ("en-attraktiv-region", None, None, 1, None),
        ("rus-jamtlands-lan-2050", None, None, 1, "Region Jämtland Härjedalen"),
        ("smart-specialisering-jh-2021-2027", None, None, 1, "Region Jämtland Härjedalen"),
        ("forstudie-regional-fornyelse-jh", None, None, 1, "Peak Innovation"),
        *[
            (f"designdrivna-innovationskluster-larlabb-{i}", None, None, 0, None)
            for i in (1, 2, 3, 4)
        ],
    ]
    assert rows[1][9] == (
        "Design i Västernorrland, Region Jämtland Härjedalen, "
        "SVID – Stiftelsen Svensk Industridesign, Ávki – Arena samisk näringslivsutveckling"
    )
    two_or_more = answer(shipped_db, "activities_by_budget_and_partners", min_participants="2")
    assert [r[0] for r in two_or_more] == ["designdrivna-innovationskluster", "peak-innovation-iii"]
    labs = answer(shipped_db, "activities_by_budget_and_partners", kind="learning_lab")
    assert [r[7] for r in labs] == [0, 0, 0, 0]


def test_actors_per_area_and_helix(shipped_db: Path, tmp_path: Path) -> None:
    # actor_areas.csv is empty, so the four areas have nobody and all 22 actors fall in the last
    # row. Helix per actors.csv (empty cells take the kind's default helix): public 14 (8
    # municipalities, region, landsting, Designcentrum, Mid Sweden Science Park, Vinnova,
    # Samverket), industry 3 (Peak Innovation, Peak Business & Sports, Kollektivet), academia 1
    # (miun), civil society 3 (SVID, Design i Västernorrland, the sports federation), none 1
    # (Ávki: sami_org has no default helix).
    assert answer(shipped_db, "actors_per_area_and_helix") == [
        ("digitala-losningar", "Digitala lösningar", 0, 0, 0, 0, 0, 0),
        ("hallbar-energi", "Hållbar energi", 0, 0, 0, 0, 0, 0),
        ("jord-skog-vatten", "Jord, skog och vatten", 0, 0, 0, 0, 0, 0),
        ("upplevelser", "Upplevelser", 0, 0, 0, 0, 0, 0),
        (None, "(no strength area)", 14, 3, 1, 3, 1, 22),
    ]
    # Hand-made links (not facts): Peak Innovation and Mittuniversitetet to Upplevelser.
    path = with_additions(
        shipped_db,
        tmp_path,
        {
            "actor_areas.csv": "actor_id,area_id,source_id\n"
            "peak-innovation,upplevelser,ecograph-source-notes\n"
            "miun,upplevelser,ecograph-source-notes\n"
        },
    )
    rows = answer(path, "actors_per_area_and_helix")
    assert rows[0] == ("upplevelser", "Upplevelser", 0, 1, 1, 0, 0, 2)
    assert rows[-1] == (None, "(no strength area)", 14, 2, 0, 3, 1, 20)
    assert answer(path, "actors_per_area_and_helix", kind="cluster")[0][-1] == 1


def test_boundary_spanners(shipped_db: Path) -> None:
    # Distinct partners and their helices per actor: Peak Innovation's 9 partners span all four
    # helices and 7 kinds; region-jh's 5 (Designcentrum, Samverket public; SVID, Design i
    # Västernorrland civil society; Ávki none) span 2 helices and 3 kinds (design_org,
    # coworking, sami_org); the others reach 2 helices with 2-4 partners. Actors whose partners
    # are all of one helix (miun, the municipalities, Samverket, ...) are left out.
    rows = answer(shipped_db, "boundary_spanners")
    assert [r[:6] for r in rows] == [
        ("peak-innovation", "Peak Innovation", "cluster", 4, 7, 9),
        ("region-jh", "Region Jämtland Härjedalen", "region", 2, 3, 5),
        ("design-i-vasternorrland", "Design i Västernorrland", "design_org", 2, 3, 4),
        ("svid", "SVID – Stiftelsen Svensk Industridesign", "design_org", 2, 3, 3),
        ("avki", "Ávki – Arena samisk näringslivsutveckling", "sami_org", 2, 2, 3),
        ("designcentrum-rjh", "Designcentrum, Region Jämtland Härjedalen", "design_org", 2, 2, 2),
        ("mid-sweden-science-park", "Mid Sweden Science Park AB", "business_support", 2, 2, 2),
        ("vinnova", "Vinnova", "funder", 2, 2, 2),
    ]
    assert rows[0][6] == "academia, civil_society, industry, public"
    assert [r[0] for r in answer(shipped_db, "boundary_spanners", min_helices="3")] == [
        "peak-innovation"
    ]


def test_clusters_without_academic_partner(shipped_db: Path) -> None:
    # The one cluster, Peak Innovation, has Mittuniversitetet as a partner (relations.csv), so
    # no cluster lacks one. Neither co-working space has an academic tie: Samverket's only
    # partner is the region, Kollektivet has none.
    assert answer(shipped_db, "clusters_without_academic_partner") == []
    assert answer(shipped_db, "clusters_without_academic_partner", kind="coworking") == [
        ("samverket", "Samverket", "Östersund", 1, "Region Jämtland Härjedalen"),
        ("kollektivet-klovsjo", "Kollektivet", "Berg", 0, None),
    ]


def test_coworking_without_business_support(shipped_db: Path) -> None:
    # No co-working space is tied to an actor of kind business_support; Samverket is tied to
    # the region (a support actor of another kind), Kollektivet to nobody.
    assert answer(shipped_db, "coworking_without_business_support") == [
        ("samverket", "Samverket", "Östersund", 1, "Region Jämtland Härjedalen"),
        ("kollektivet-klovsjo", "Kollektivet", "Berg", 0, None),
    ]
    # Counting any support actor, only Kollektivet is left without.
    assert answer(shipped_db, "coworking_without_business_support", support_kind="") == [
        ("kollektivet-klovsjo", "Kollektivet", "Berg", 0, None),
    ]


def test_isolated_actors(shipped_db: Path) -> None:
    # Actors in no relation and in no activity with another actor: Kollektivet and the five
    # municipalities not named as Peak Innovation partners.
    rows = answer(shipped_db, "isolated_actors")
    assert [(r[0], r[2]) for r in rows] == [
        ("kollektivet-klovsjo", "coworking"),
        ("berg-kommun", "municipality"),
        ("bracke-kommun", "municipality"),
        ("harjedalen-kommun", "municipality"),
        ("ragunda-kommun", "municipality"),
        ("stromsund-kommun", "municipality"),
    ]
    assert rows[0][4] == "Co-working spaces in Jämtland Härjedalen (report)"
    assert [r[0] for r in answer(shipped_db, "isolated_actors", kind="coworking")] == [
        "kollektivet-klovsjo"
    ]


MIXING_COLUMNS = (
    "grouping, group_a, group_b, observed, expected, ratio, density, params, computed_at, "
    "verdict, q_value"
)
MIXING_ROWS = [
    # Hand-made group_mixing rows (not computed): an older run of the kind grouping that must be
    # ignored, the latest run, and a helix run. design_org–sami_org is below 0.6 but too small
    # to judge, so only significant_only=false lists it.
    ("kind", "academia", "cluster", 0.0, 1.0, 0.0, 0.0, "{}", datetime(2024, 1, 1), "gap", 0.01),
    (
        "kind", "academia", "cluster", 2.0, 1.0, 2.0, 0.5, "{}", datetime(2025, 1, 1),
        "more_than_expected", 0.01,
    ),
    (
        "kind", "business_support", "coworking", 0.0, 0.8, 0.0, 0.0, "{}", datetime(2025, 1, 1),
        "gap", 0.001,
    ),
    ("kind", "cluster", "funder", 1.0, 2.5, 0.4, 0.25, "{}", datetime(2025, 1, 1), "gap", 0.02),
    (
        "kind", "company", "region", 0.0, 0.0, None, 0.0, "{}", datetime(2025, 1, 1),
        "too_few_to_judge", None,
    ),
    (
        "kind", "design_org", "sami_org", 1.0, 2.0, 0.5, 0.5, "{}", datetime(2025, 1, 1),
        "too_few_to_judge", None,
    ),
    ("helix", "academia", "industry", 0.0, 3.0, 0.0, 0.0, "{}", datetime(2025, 1, 1), "gap", 0.03),
]  # fmt: skip


def test_mixing_gaps(shipped_db: Path, tmp_path: Path) -> None:
    assert answer(shipped_db, "mixing_gaps") == []  # empty until an analysis has run
    path = with_rows(shipped_db, tmp_path, "group_mixing", MIXING_COLUMNS, MIXING_ROWS)
    # Latest kind run, ratio below 0.5, smallest first, significant gaps only; 0.5 itself is not
    # below; the older run's academia/cluster gap and the pair with no expectation (ratio NULL)
    # are not listed.
    assert answer(path, "mixing_gaps") == [
        ("business_support", "coworking", 0.0, 0.8, 0.0, 0.0, "gap", 0.001),
        ("cluster", "funder", 1.0, 2.5, 0.4, 0.25, "gap", 0.02),
    ]
    assert [r[:2] for r in answer(path, "mixing_gaps", max_ratio="0,6")][-1] == (
        "cluster",
        "funder",
    )
    assert [r[:2] for r in answer(path, "mixing_gaps", max_ratio="0,6", significant_only="false")][
        -1
    ] == ("design_org", "sami_org")
    assert answer(path, "mixing_gaps", grouping="helix") == [
        ("academia", "industry", 0.0, 3.0, 0.0, 0.0, "gap", 0.03)
    ]


METRIC_COLUMNS = (
    "actor_id, degree, weighted_degree, betweenness, pagerank, is_articulation_point, params, "
    "computed_at"
)


def _metrics(actor: str, degree: int, betweenness: float, pagerank: float, when: int) -> tuple:
    cut = actor == "peak-innovation"
    return (actor, degree, float(degree), betweenness, pagerank, cut, "{}", datetime(when, 1, 1))


METRIC_ROWS = [
    # Hand-made actor_metrics rows (not computed): the latest run (2025) and an older one (2024)
    # in which Samverket would rank first.
    _metrics("peak-innovation", 9, 0.5, 0.20, 2025),
    _metrics("region-jh", 5, 0.3, 0.15, 2025),
    _metrics("miun", 1, 0.0, 0.05, 2025),
    _metrics("samverket", 1, 0.0, 0.03, 2025),
    _metrics("are-kommun", 1, 0.0, 0.04, 2025),
    _metrics("vinnova", 2, 0.01, 0.06, 2025),
    _metrics("samverket", 1, 0.9, 0.90, 2024),
]


def test_most_central_actors_per_municipality(shipped_db: Path, tmp_path: Path) -> None:
    assert answer(shipped_db, "most_central_actors_per_municipality") == []
    path = with_rows(shipped_db, tmp_path, "actor_metrics", METRIC_COLUMNS, METRIC_ROWS)
    # Top 3 by betweenness per municipality (actors.csv): Vinnova has none ("(unknown)"), Åre
    # kommun is alone in Åre; in Östersund Peak Innovation 0.5, the region 0.3, then miun and
    # Samverket tie at 0 and the name decides (Mittuniversitetet < Samverket).
    rows = answer(path, "most_central_actors_per_municipality")
    assert [(*r[:3], r[5], r[7]) for r in rows] == [
        ("(unknown)", 1, "vinnova", 0.01, False),
        ("Åre", 1, "are-kommun", 0.0, False),
        ("Östersund", 1, "peak-innovation", 0.5, True),
        ("Östersund", 2, "region-jh", 0.3, False),
        ("Östersund", 3, "miun", 0.0, False),
    ]
    top_pagerank = answer(path, "most_central_actors_per_municipality", measure="pagerank", top="1")
    assert [(r[0], r[2], r[5]) for r in top_pagerank] == [
        ("(unknown)", "vinnova", 0.06),
        ("Åre", "are-kommun", 0.04),
        ("Östersund", "peak-innovation", 0.20),
    ]
    with pytest.raises(QueryError, match="measure must be one of"):
        answer(path, "most_central_actors_per_municipality", measure="fame")


def test_partners_of_actor(shipped_db: Path) -> None:
    # Peak Innovation (default): miun twice (two relations), eight others once; Mid Sweden
    # Science Park and Vinnova through Peak Innovation III, the rest through partnerships.
    rows = answer(shipped_db, "partners_of_actor")
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("miun", 2, "partnership"),
        ("jh-idrottsforbund", 1, "partnership"),
        ("jamtlands-lans-landsting", 1, "partnership"),
        ("krokom-kommun", 1, "partnership"),
        ("mid-sweden-science-park", 1, "Peak Innovation III"),
        ("peak-business-sports", 1, "partnership"),
        ("vinnova", 1, "Peak Innovation III"),
        ("are-kommun", 1, "partnership"),
        ("ostersund-kommun", 1, "partnership"),
    ]
    assert not any(r[8] for r in rows)  # nothing shipped is synthetic
    # Region Jämtland Härjedalen: Designdrivna (dated) with three partners, hosting and other;
    # by name, where "SVID" sorts before "Samverket" (V < a) and Ávki last.
    region = answer(shipped_db, "partners_of_actor", actor_id="region-jh")
    assert [(r[0], r[5], r[6], r[7]) for r in region] == [
        (
            "design-i-vasternorrland",
            "Designdrivna innovationskluster",
            date(2022, 4, 1),
            date(2024, 6, 30),
        ),
        ("designcentrum-rjh", "hosting", None, None),
        ("svid", "Designdrivna innovationskluster", date(2022, 4, 1), date(2024, 6, 30)),
        ("samverket", "other", None, None),
        ("avki", "Designdrivna innovationskluster", date(2022, 4, 1), date(2024, 6, 30)),
    ]


def test_strength_areas_without_cluster(shipped_db: Path, tmp_path: Path) -> None:
    # No actor is linked to a strength area (actor_areas.csv is empty): all four lack a cluster.
    assert answer(shipped_db, "strength_areas_without_cluster") == [
        ("digitala-losningar", "Digitala lösningar", 0, None),
        ("hallbar-energi", "Hållbar energi", 0, None),
        ("jord-skog-vatten", "Jord, skog och vatten", 0, None),
        ("upplevelser", "Upplevelser", 0, None),
    ]
    # Hand-made links (not facts): the cluster to Upplevelser, the university to Digitala
    # lösningar. Upplevelser now has a cluster; Digitala lösningar has an actor but no cluster.
    path = with_additions(
        shipped_db,
        tmp_path,
        {
            "actor_areas.csv": "actor_id,area_id,source_id\n"
            "peak-innovation,upplevelser,ecograph-source-notes\n"
            "miun,digitala-losningar,ecograph-source-notes\n"
        },
    )
    assert answer(path, "strength_areas_without_cluster") == [
        ("digitala-losningar", "Digitala lösningar", 1, "academia"),
        ("hallbar-energi", "Hållbar energi", 0, None),
        ("jord-skog-vatten", "Jord, skog och vatten", 0, None),
    ]


def test_support_by_municipality(shipped_db: Path) -> None:
    # Per municipality of actors.csv; support and target flags from the schema's actor_kinds.
    # (unknown): Designcentrum, landsting, Mid Sweden Science Park, Vinnova (support), the
    # sports federation, and Peak Business & Sports (a company tied only to the cluster).
    # Berg: the municipality and Kollektivet (no tie). Östersund: region and miun (support),
    # Peak Innovation (tied to miun, Vinnova, ...) and Samverket (tied to the region).
    rows = answer(shipped_db, "support_by_municipality")
    assert rows == [
        ("(unknown)", 6, 4, 1, 0, 1),
        ("Berg", 2, 0, 1, 0, 1),
        ("Östersund", 5, 2, 2, 2, 0),
        ("Bräcke", 1, 0, 0, 0, 0),
        ("Gällivare", 1, 0, 0, 0, 0),
        ("Härjedalen", 1, 0, 0, 0, 0),
        ("Krokom", 1, 0, 0, 0, 0),
        ("Ragunda", 1, 0, 0, 0, 0),
        ("Stockholm", 1, 1, 0, 0, 0),
        ("Strömsund", 1, 0, 0, 0, 0),
        ("Sundsvall", 1, 1, 0, 0, 0),
        ("Åre", 1, 0, 0, 0, 0),
    ]
    # In Jämtlands län only: SVID (Stockholm), Design i Västernorrland (Sundsvall), Ávki
    # (Gällivare) and the three actors without a region leave; (unknown) keeps Designcentrum,
    # the landsting and the sports federation.
    county = answer(shipped_db, "support_by_municipality", region="Jämtlands län")
    assert county[0] == ("Berg", 2, 0, 1, 0, 1)
    assert ("(unknown)", 3, 2, 0, 0, 0) in county
    assert {r[0] for r in county}.isdisjoint({"Stockholm", "Sundsvall", "Gällivare"})


def test_support_reach(shipped_db: Path) -> None:
    # The 8 support actors; targets are clusters, co-working spaces and companies they are tied
    # to directly: the region reaches Samverket; four reach Peak Innovation; the three design
    # organisations reach none (their ties are to each other, the region and Ávki).
    rows = answer(shipped_db, "support_reach")
    assert [(r[0], r[4], r[5], r[6]) for r in rows] == [
        ("region-jh", 1, 5, "Samverket"),
        ("mid-sweden-science-park", 1, 2, "Peak Innovation"),
        ("vinnova", 1, 2, "Peak Innovation"),
        ("jamtlands-lans-landsting", 1, 1, "Peak Innovation"),
        ("miun", 1, 1, "Peak Innovation"),
        ("design-i-vasternorrland", 0, 4, None),
        ("svid", 0, 3, None),
        ("designcentrum-rjh", 0, 2, None),
    ]
    coworking = answer(shipped_db, "support_reach", target_kind="coworking")
    assert [(r[0], r[4]) for r in coworking if r[4]] == [("region-jh", 1)]


def test_synthetic_share(shipped_db: Path, tmp_path: Path) -> None:
    # Row counts of data/jamtland/*.csv; nothing shipped is synthetic.
    assert answer(shipped_db, "synthetic_share") == [
        ("actors", 22, 0, 0.0),
        ("strength_areas", 4, 0, 0.0),
        ("actor_areas", 0, 0, None),
        ("activities", 11, 0, 0.0),
        ("participations", 12, 0, 0.0),
        ("relations", 11, 0, 0.0),
        ("actor_aliases", 9, 0, 0.0),
        ("(all data)", 69, 0, 0.0),
    ]
    # Hand-made synthetic rows: 2 actors and 1 relation under a synthetic source.
    # 2/24 = 8.3 %, 1/12 = 8.3 %, 3/72 = 4.2 %.
    path = with_additions(
        shipped_db,
        tmp_path,
        {
            "sources.csv": "source_id,title,synthetic\ndemo,Demo layer,true\n",
            "actors.csv": "actor_id,name,kind,source_id\n"
            "demo-firm-1,Demo AB,company,demo\ndemo-firm-2,Test AB,company,demo\n",
            "relations.csv": "relation_id,from_actor,to_actor,source_id\n"
            "demo-rel,demo-firm-1,peak-innovation,demo\n",
        },
    )
    rows = answer(path, "synthetic_share")
    assert rows[0] == ("actors", 24, 2, 8.3)
    assert rows[5] == ("relations", 12, 1, 8.3)
    assert rows[-1] == ("(all data)", 72, 3, 4.2)


def test_ties_ending_soon(shipped_db: Path) -> None:
    # Only Designdrivna's 6 pairs have an end date (2024-06-30); from 2024-01-01 that is
    # 31 + 29 + 31 + 30 + 31 + 29 = 181 days later (2024 is a leap year).
    rows = answer(shipped_db, "ties_ending_soon", as_of="2024-01-01")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (date(2024, 6, 30), 181, "Design i Västernorrland", "Region Jämtland Härjedalen"),
        (
            date(2024, 6, 30),
            181,
            "Design i Västernorrland",
            "SVID – Stiftelsen Svensk Industridesign",
        ),
        (
            date(2024, 6, 30),
            181,
            "Design i Västernorrland",
            "Ávki – Arena samisk näringslivsutveckling",
        ),
        (
            date(2024, 6, 30),
            181,
            "Region Jämtland Härjedalen",
            "SVID – Stiftelsen Svensk Industridesign",
        ),
        (
            date(2024, 6, 30),
            181,
            "Region Jämtland Härjedalen",
            "Ávki – Arena samisk näringslivsutveckling",
        ),
        (
            date(2024, 6, 30),
            181,
            "SVID – Stiftelsen Svensk Industridesign",
            "Ávki – Arena samisk näringslivsutveckling",
        ),
    ]
    assert {r[5] for r in rows} == {"Designdrivna innovationskluster"}
    # Six months from 2024-01-01 end on 2024-07-01: still inside; from 2023-06-01 not.
    assert len(answer(shipped_db, "ties_ending_soon", as_of="2024-01-01", months="6")) == 6
    assert answer(shipped_db, "ties_ending_soon", as_of="2023-06-01", months="6") == []
    assert answer(shipped_db, "ties_ending_soon", as_of="2024-07-01") == []


def test_ties_lost_if_activity_ends(shipped_db: Path) -> None:
    # Designdrivna's 6 pairs have no other tie (the design partners' relations link Designcentrum,
    # which is not in the project).
    rows = answer(shipped_db, "ties_lost_if_activity_ends")
    assert [r[:2] for r in rows] == [
        ("Design i Västernorrland", "Region Jämtland Härjedalen"),
        ("Design i Västernorrland", "SVID – Stiftelsen Svensk Industridesign"),
        ("Design i Västernorrland", "Ávki – Arena samisk näringslivsutveckling"),
        ("Region Jämtland Härjedalen", "SVID – Stiftelsen Svensk Industridesign"),
        ("Region Jämtland Härjedalen", "Ávki – Arena samisk näringslivsutveckling"),
        ("SVID – Stiftelsen Svensk Industridesign", "Ávki – Arena samisk näringslivsutveckling"),
    ]
    assert rows[0][2] == "design_org – region"
    # Peak Innovation III: its 3 pairs have no other tie either.
    peak = answer(shipped_db, "ties_lost_if_activity_ends", activity_id="peak-innovation-iii")
    assert [r[:2] for r in peak] == [
        ("Mid Sweden Science Park AB", "Peak Innovation"),
        ("Mid Sweden Science Park AB", "Vinnova"),
        ("Peak Innovation", "Vinnova"),
    ]


def test_ties_per_kind_pair_per_year(shipped_db: Path) -> None:
    # Dated ties: Designdrivna's 6 pairs in 2022, 2023 and 2024. By kind (actors.csv): svid and
    # Design i Västernorrland are design_org, Ávki sami_org, the region region, so per year
    # design_org-region 2, design_org-sami_org 2, design_org-design_org 1, region-sami_org 1.
    # Undated: the 11 relations and Peak Innovation III's 3 pairs.
    per_year = [
        (2, "design_org", "region"),
        (2, "design_org", "sami_org"),
        (1, "design_org", "design_org"),
        (1, "region", "sami_org"),
    ]
    expected = [(y, a, b, n) for y in (2022, 2023, 2024) for n, a, b in per_year] + [
        (None, "cluster", "municipality", 3),
        (None, "academia", "cluster", 2),
        (None, "business_support", "cluster", 1),
        (None, "business_support", "funder", 1),
        (None, "civil_society", "cluster", 1),
        (None, "cluster", "company", 1),
        (None, "cluster", "funder", 1),
        (None, "cluster", "public_agency", 1),
        (None, "coworking", "region", 1),
        (None, "design_org", "design_org", 1),
        (None, "design_org", "region", 1),
    ]
    assert answer(shipped_db, "ties_per_kind_pair_per_year") == expected
    only_2023 = answer(
        shipped_db,
        "ties_per_kind_pair_per_year",
        from_year="2023",
        to_year="2023",
        include_undated="false",
    )
    assert only_2023 == [(2023, a, b, n) for n, a, b in per_year]
    assert columns(shipped_db, "ties_per_kind_pair_per_year") == [
        "year",
        "kind_a",
        "kind_b",
        "ties",
    ]


def test_two_hop_neighbourhood(shipped_db: Path) -> None:
    # From Peak Innovation (default): its 9 partners at one hop; none of them has a partner
    # outside that set, so nothing at two hops.
    rows = answer(shipped_db, "two_hop_neighbourhood")
    assert rows[0][:2] == (0, "peak-innovation")
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        (1, a, "Peak Innovation")
        for a in (
            "jh-idrottsforbund",
            "jamtlands-lans-landsting",
            "krokom-kommun",
            "mid-sweden-science-park",
            "miun",
            "peak-business-sports",
            "vinnova",
            "are-kommun",
            "ostersund-kommun",
        )
    ]
    # From Samverket: the region at one hop; the region's four other partners at two.
    samverket = answer(shipped_db, "two_hop_neighbourhood", actor_id="samverket")
    assert [(r[0], r[1], r[5]) for r in samverket] == [
        (0, "samverket", None),
        (1, "region-jh", "Samverket"),
        (2, "design-i-vasternorrland", "Region Jämtland Härjedalen"),
        (2, "designcentrum-rjh", "Region Jämtland Härjedalen"),
        (2, "svid", "Region Jämtland Härjedalen"),
        (2, "avki", "Region Jämtland Härjedalen"),
    ]
    # A third hop adds nobody: the region's partners only know each other and the region.
    assert (
        answer(shipped_db, "two_hop_neighbourhood", actor_id="samverket", max_hops="3") == samverket
    )
    assert answer(shipped_db, "two_hop_neighbourhood", actor_id="kollektivet-klovsjo") == [
        (0, "kollektivet-klovsjo", "Kollektivet", "coworking", "Berg", None)
    ]
    assert answer(shipped_db, "two_hop_neighbourhood", actor_id="no-such-actor") == []


def test_unsourced_facts(shipped_db: Path, tmp_path: Path) -> None:
    assert answer(shipped_db, "unsourced_facts") == []  # every shipped row names its source
    # Hand-made rows that name no source: the importer attaches them to file:<name> sources.
    path = with_additions(
        shipped_db,
        tmp_path,
        {
            "actors.csv": "actor_id,name,kind,municipality\n"
            "nya-kontoret,Nya Kontoret,coworking,Åre\n",
            "relations.csv": "relation_id,from_actor,to_actor,kind,source_id\n"
            "rel-nya-region,nya-kontoret,region-jh,advice,\n",
        },
    )
    rows = answer(path, "unsourced_facts")
    assert [r[:4] for r in rows] == [
        ("actors", "nya-kontoret", "Nya Kontoret", "file:actors.csv"),
        ("relations", "rel-nya-region", "nya-kontoret – region-jh", "file:relations.csv"),
    ]
    assert [r[1] for r in answer(path, "unsourced_facts", table_name="relations")] == [
        "rel-nya-region"
    ]
