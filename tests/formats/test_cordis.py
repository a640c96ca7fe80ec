"""EU CORDIS bulk data: the zip (or its two CSV files) in the documented format — semicolons,
quoted text with ';' inside, Swedish letters, decimal points and commas — filtered to a region,
mapped to our tables, matched against known actors, reviewed, merged and re-imported."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.curation.merge import (
    ActorNotFoundError,
    CandidateNotFoundError,
    dismiss_candidate,
    merge_actors,
    pending_candidates,
)
from graph.errors import ImportValidationError, UsageError
from graph.formats.cordis import CordisOptions, nuts_region_names, parse_nuts
from graph.formats.ingest import import_paths
from graph.store.database import integrity_problems, read_table, run
from tests.conftest import ROOT

PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
    "frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;"
    "grantDoi"
)
ORGANIZATION_HEADER = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;"
    "postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;order;role;"
    "ecContribution;netEcContribution;totalCost;endOfParticipation;active"
)
# P1 has partners in Jämtland (SE322), Stockholm and Germany; P2 in Västernorrland (SE321) and
# Finland; P3 only in France and Germany.
PROJECTS = [
    '101000001;FJÄLLDESIGN;SIGNED;"Design; innovation och fjäll";2023-01-01;2025-12-31;'
    "1000000.50;800000;HORIZON.2.4;HORIZON-CL4;HORIZON;;;HORIZON-RIA;;"
    '"Mål: ""design"" i fjällen; med Åre";2024-05-01 10:00:00;1;',
    "101000002;NORRSKEN;SIGNED;Norrsken energi;2022-06-01;2024-05-31;2500000,75;2000000;;;"
    "HORIZON;;;HORIZON-IA;;Energi;2024-03-01 09:00:00;2;",
    "101000003;OUTSIDE;CLOSED;Elsewhere;2021-01-01;2022-12-31;10;10;;;HORIZON;;;HORIZON-CSA;;"
    "Ailleurs;2023-01-01 08:00:00;3;",
]
ORGANIZATIONS = [
    "101000001;FJÄLLDESIGN;999000001;;MITTUNIVERSITETET;MIUN;false;HES;Holmgatan 10;85170;"
    "Östersund;SE;SE322;(63.1792, 14.6357);http://www.miun.se;;1;coordinator;400000.25;;;;true",
    '101000001;FJÄLLDESIGN;999000002;SE556677889901;"Fjällföretaget AB; Åre";FJF;true;PRC;;;'
    "Åre;SE;SE322;63.40,13.08;https://fjallforetaget.example;;2;participant;150000,5;;;;true",
    "101000001;FJÄLLDESIGN;999000003;;MID SWEDEN SCIENCE PARK AB;;true;PRC;;;Östersund;SE;"
    "SE322;;;;3;participant;50000;;;;true",
    "101000001;FJÄLLDESIGN;999000004;DE123456789;Technische Universität Beispiel;TUB;false;HES;"
    ";;Berlin;DE;DE300;(52.5, 13.4);;;4;participant;200000;;;;true",
    "101000001;FJÄLLDESIGN;999000010;;STIFTELSEN SVENSK INDUSTRIDESIGN;SVID;false;OTH;;;"
    "Stockholm;SE;SE110;;;;5;thirdParty;;;;;true",
    "101000002;NORRSKEN;999000005;;Norrlandsbolaget AB;;true;PRC;;;Sundsvall;SE;SE321;;;;1;"
    "coordinator;1000000;;;;true",
    "101000002;NORRSKEN;999000006;;Oulun Tutkimus Oy;;false;REC;;;Oulu;FI;FI1D9;unknown;;;2;"
    "participant;500000;;;;true",
    "101000003;OUTSIDE;999000007;;Entreprise Exemple SA;;false;PRC;;;Paris;FR;FR101;;;;1;"
    "coordinator;5;;;;true",
    "101000003;OUTSIDE;999000008;;Stadt Beispiel;;false;PUB;;;Berlin;DE;DE300;;;;2;"
    "participant;5;;;;true",
]
ZIP_NAME = "cordis-HORIZONprojects-csv.zip"
ORG_FILE = f"{ZIP_NAME}[organization.csv]"


def write_zip(
    folder: Path,
    projects: list[str] = PROJECTS,
    organizations: list[str] = ORGANIZATIONS,
    *,
    name: str = ZIP_NAME,
) -> Path:
    """A CORDIS zip as published: the two files in a folder inside the zip, UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("csv/project.csv", "\n".join([PROJECT_HEADER, *projects]) + "\n")
        archive.writestr(
            "csv/organization.csv", "\n".join([ORGANIZATION_HEADER, *organizations]) + "\n"
        )
    return path


def options(nuts: str = "SE322", eur_sek: float = 11.48) -> CordisOptions:
    return CordisOptions(
        nuts=parse_nuts(nuts), eur_sek=eur_sek, nuts_names=nuts_region_names(ROOT / "data")
    )


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    return write_zip(tmp_path / "download")


def _actors(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return read_table(con, "actors").filter(pl.col("source_id").str.starts_with("cordis"))


def test_region_filter_keeps_projects_with_a_partner_there_and_all_their_partners(
    con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """SE322 picks P1 only, with its Stockholm and German partners; the prefix SE32 also picks
    P2 (a partner in SE321); P3 has no Swedish partner and never comes in."""
    import_paths(con, [dump], cordis=options("SE322"))
    assert read_table(con, "activities")["activity_id"].to_list() == ["cordis-101000001"]
    assert _actors(con)["actor_id"].to_list() == [
        "cordis-999000001",
        "cordis-999000002",
        "cordis-999000003",
        "cordis-999000004",
        "cordis-999000010",
    ]
    import_paths(con, [dump], cordis=options("SE32"))
    assert read_table(con, "activities")["activity_id"].to_list() == [
        "cordis-101000001",
        "cordis-101000002",
    ]
    assert "cordis-999000007" not in _actors(con)["actor_id"].to_list()


def test_kind_and_helix_from_activity_type(con: duckdb.DuckDBPyConnection, dump: Path) -> None:
    """PRC company/industry, HES academia, REC research institute (academia), PUB public agency,
    OTH other in the civil-society helix."""
    import_paths(con, [dump], cordis=options("SE,DE,FR,FI"))
    rows = _actors(con).select("actor_id", "kind", "helix").rows()
    assert rows == [
        ("cordis-999000001", "academia", "academia"),
        ("cordis-999000002", "company", "industry"),
        ("cordis-999000003", "company", "industry"),
        ("cordis-999000004", "academia", "academia"),
        ("cordis-999000005", "company", "industry"),
        ("cordis-999000006", "research_institute", "academia"),
        ("cordis-999000007", "company", "industry"),
        ("cordis-999000008", "public_agency", "public"),
        ("cordis-999000010", "other", "civil_society"),
    ]


def test_coordinator_is_lead_and_every_other_role_partner(
    con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    import_paths(con, [dump], cordis=options("SE322"))
    roles = read_table(con, "participations").select("actor_id", "role").rows()
    assert roles == [
        ("cordis-999000001", "lead"),  # coordinator
        ("cordis-999000002", "partner"),  # participant
        ("cordis-999000003", "partner"),
        ("cordis-999000004", "partner"),
        ("cordis-999000010", "partner"),  # thirdParty
    ]


def test_amounts_are_converted_from_eur_at_the_rate(
    con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """1 000 000.50 EUR × 11.48 = 11 480 005.74 SEK; '150000,5' (decimal comma) × 11.48 =
    1 722 005.74; '2500000,75' × 11.48 = 28 700 008.61; a missing amount stays empty. The EUR
    amounts and the rate stay in the description."""
    import_paths(con, [dump], cordis=options("SE32"))
    budgets = read_table(con, "activities").select("activity_id", "budget_sek").rows()
    assert budgets == [("cordis-101000001", 11480005.74), ("cordis-101000002", 28700008.61)]
    parts = dict(read_table(con, "participations").select("actor_id", "contribution_sek").rows())
    assert parts["cordis-999000001"] == pytest.approx(4592002.87)  # 400000.25 × 11.48
    assert parts["cordis-999000002"] == pytest.approx(1722005.74)
    assert parts["cordis-999000010"] is None
    p1 = read_table(con, "activities").row(0, named=True)
    assert p1["description"] == (
        "CORDIS project 101000001; HORIZON-RIA; status SIGNED; total cost 1000000.5 EUR; "
        "EU contribution up to 800000.0 EUR; converted at 11.48 SEK per EUR"
    )


def test_another_rate_can_be_given(con: duckdb.DuckDBPyConnection, dump: Path) -> None:
    import_paths(con, [dump], cordis=options("SE322", eur_sek=10))
    assert read_table(con, "activities")["budget_sek"].to_list() == [10000005.0]
    assert "10 SEK per EUR" in read_table(con, "sources")["note"][0]


def test_text_places_coordinates_and_source(con: duckdb.DuckDBPyConnection, dump: Path) -> None:
    """Quoted ';' and Swedish letters survive; NUTS codes become county names where the shipped
    table knows them (the code otherwise); '(lat, lon)' and 'lat,lon' both parse, 'unknown' is
    no place; the source is the file with its newest update date."""
    import_paths(con, [dump], cordis=options("SE32"))
    activity = read_table(con, "activities").row(0, named=True)
    assert activity["name"] == "FJÄLLDESIGN – Design; innovation och fjäll"
    assert (str(activity["start_date"]), activity["programme"]) == ("2023-01-01", "HORIZON")
    rows = _actors(con).select("actor_id", "name", "region", "lat", "lon", "website").rows()
    assert rows[:3] == [
        (
            "cordis-999000001",
            "MITTUNIVERSITETET",
            "Jämtlands län",
            63.1792,
            14.6357,
            "http://www.miun.se",
        ),
        (
            "cordis-999000002",
            "Fjällföretaget AB; Åre",
            "Jämtlands län",
            63.4,
            13.08,
            "https://fjallforetaget.example",
        ),
        ("cordis-999000003", "MID SWEDEN SCIENCE PARK AB", "Jämtlands län", None, None, None),
    ]
    by_id = {r[0]: r for r in rows}
    assert by_id["cordis-999000004"][2] == "DE300"
    assert by_id["cordis-999000005"][2] == "Västernorrlands län"
    assert by_id["cordis-999000006"][2:5] == ("FI1D9", None, None)
    fjall = _actors(con).filter(actor_id="cordis-999000002").row(0, named=True)
    assert fjall["municipality"] is None  # a city is not a municipality
    assert fjall["description"] == "CORDIS organisation 999000002; short name FJF; SME; Åre, SE"
    source = read_table(con, "sources").row(0, named=True)
    assert (source["source_id"], source["title"], str(source["published"])) == (
        "cordis-horizon-2024-05-01",
        f"CORDIS HORIZON projects ({ZIP_NAME})",
        "2024-05-01",
    )
    assert (source["publisher"], source["url"], source["synthetic"]) == (
        "European Commission, CORDIS",
        "https://cordis.europa.eu/",
        False,
    )
    assert set(read_table(con, "participations")["source_id"]) == {"cordis-horizon-2024-05-01"}


def test_identifiers_and_legal_name_become_aliases(
    con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """The organisation id, the VAT number and (Swedish VAT SE + org. no. + 01) the organisation
    number let a later import find the organisation again."""
    import_paths(con, [dump], cordis=options("SE322"))
    aliases = read_table(con, "actor_aliases").filter(actor_id="cordis-999000002")
    assert aliases["alias"].to_list() == [
        "556677-8899",
        "Fjällföretaget AB; Åre",
        "cordis:999000002",
        "vat:SE556677889901",
    ]


def test_csv_pair_and_unzipped_folder_read_like_the_zip(
    con: duckdb.DuckDBPyConnection, dump: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(dump) as archive:
        archive.extractall(folder)
    pair = [folder / "csv" / "project.csv", folder / "csv" / "organization.csv"]
    import_paths(con, pair, cordis=options("SE322"))
    assert len(_actors(con)) == 5
    report = import_paths(con, [folder / "csv"], cordis=options("SE322"))
    assert not report.modified


def test_progress_is_reported(con: duckdb.DuckDBPyConnection, dump: Path) -> None:
    said: list[str] = []
    import_paths(con, [dump], cordis=options("SE322"), progress=said.append)
    assert said == [
        "reading files",
        f"reading {ZIP_NAME}",
        f"{ZIP_NAME}: 3 projects, 9 organisation rows",
        "kept 1 projects with a partner in SE322: 5 organisation rows",
        "CORDIS: 1 projects, 5 organisations, 5 participations",
        "validating",
        "matching actors to known actors",
        "writing",
    ]


def test_matches_the_shipped_mid_sweden_university(
    shipped_con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """MITTUNIVERSITETET is the shipped Mittuniversitetet (same normalised name, both academia):
    its participation goes to 'miun', no duplicate is made, the hand-curated row is unchanged,
    and the CORDIS name and id are recorded as aliases. 'STIFTELSEN SVENSK INDUSTRIDESIGN' is
    SVID through its alias once 'Stiftelsen' is dropped."""
    con = shipped_con
    before = read_table(con, "actors").filter(actor_id="miun")
    report = import_paths(con, [dump], cordis=options("SE322"))
    assert report.matched == 2
    assert _actors(con)["actor_id"].to_list() == [
        "cordis-999000002",
        "cordis-999000003",
        "cordis-999000004",
    ]
    assert read_table(con, "actors").filter(actor_id="miun").equals(before)
    p1 = read_table(con, "participations").filter(activity_id="cordis-101000001")
    assert p1.filter(actor_id="miun").select("role", "source_id").row(0) == (
        "lead",
        "cordis-horizon-2024-05-01",
    )
    assert p1.filter(actor_id="svid").height == 1
    miun_aliases = read_table(con, "actor_aliases").filter(actor_id="miun")["alias"].to_list()
    assert miun_aliases == ["MITTUNIVERSITETET", "Mid Sweden University", "cordis:999000001"]


def test_uncertain_match_is_listed_for_review_and_not_merged(
    shipped_con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """'MID SWEDEN SCIENCE PARK AB' has the name of the shipped business-support actor but
    CORDIS calls it a company: imported as its own actor, and listed for review."""
    report = import_paths(shipped_con, [dump], cordis=options("SE322"))
    assert report.to_review == 1
    assert "uncertain matches to review: 1" in report.summary()
    pending = pending_candidates(shipped_con)
    assert pending.select(
        "incoming_id", "candidate_id", "incoming_kind", "candidate_kind", "score", "reason"
    ).rows() == [
        (
            "cordis-999000003",
            "mid-sweden-science-park",
            "company",
            "business_support",
            1.0,
            "same name, but company here and business_support there",
        )
    ]


def test_merge_moves_ties_records_aliases_and_keeps_integrity(
    shipped_con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    con = shipped_con
    import_paths(con, [dump], cordis=options("SE322"))
    report = merge_actors(con, "mid-sweden-science-park", "cordis-999000003")
    assert (report.participations_moved, report.participations_combined) == (1, 0)
    assert read_table(con, "actors").filter(actor_id="cordis-999000003").height == 0
    part = read_table(con, "participations").filter(actor_id="mid-sweden-science-park")
    assert part.select("activity_id", "role").rows() == [
        ("cordis-101000001", "partner"),
        ("peak-innovation-iii", "lead"),
    ]
    aliases = read_table(con, "actor_aliases").filter(actor_id="mid-sweden-science-park")
    assert set(aliases["alias"]) == {
        "MID SWEDEN SCIENCE PARK AB",
        "cordis-999000003",
        "cordis:999000003",
    }
    assert integrity_problems(con).height == 0
    assert pending_candidates(con).height == 0
    # the merged-away id is now an alias: the next import of the dump finds it by identifier
    again = import_paths(con, [dump], cordis=options("SE322"))
    assert again.to_review == 0
    assert read_table(con, "actors").filter(actor_id="cordis-999000003").height == 0


def test_merge_of_actors_sharing_a_project_and_a_tie(
    con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    """Two registrations of one organisation in one project become one participation (the
    coordinator's role, contributions summed: 4 592 002.87 + 2 296 000 SEK); a relation between
    the two would be a self-loop and is dropped; a relation to a third actor moves."""
    import_paths(con, [dump], cordis=options("SE322"))
    run(
        con,
        "INSERT INTO relations (relation_id, from_actor, to_actor, source_id) VALUES "
        "('r1', 'cordis-999000001', 'cordis-999000004', 'cordis-horizon-2024-05-01'), "
        "('r2', 'cordis-999000004', 'cordis-999000002', 'cordis-horizon-2024-05-01')",
    )
    report = merge_actors(con, "cordis-999000001", "cordis-999000004")
    assert (report.participations_combined, report.relations_moved, report.relations_dropped) == (
        1,
        1,
        1,
    )
    row = read_table(con, "participations").filter(actor_id="cordis-999000001").row(0, named=True)
    assert row["role"] == "lead"
    assert row["contribution_sek"] == pytest.approx(4592002.87 + 2296000.0)
    rel = read_table(con, "relations").select("relation_id", "from_actor", "to_actor").rows()
    assert rel == [("r2", "cordis-999000001", "cordis-999000002")]
    assert integrity_problems(con).height == 0


def test_merge_refuses_unknown_or_identical_actors(shipped_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ActorNotFoundError, match="no actor 'ghost'"):
        merge_actors(shipped_con, "miun", "ghost")
    with pytest.raises(UsageError, match="into itself"):
        merge_actors(shipped_con, "miun", "miun")


def test_dismissed_pair_leaves_the_review_list(
    shipped_con: duckdb.DuckDBPyConnection, dump: Path
) -> None:
    import_paths(shipped_con, [dump], cordis=options("SE322"))
    dismiss_candidate(shipped_con, "cordis-999000003", "mid-sweden-science-park")
    assert pending_candidates(shipped_con).height == 0
    with pytest.raises(CandidateNotFoundError):
        dismiss_candidate(shipped_con, "cordis-999000003", "mid-sweden-science-park")


def test_reimport_of_a_changed_dump_updates_and_never_duplicates(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A newer dump: P1 has a new title and a new partner, and a later update date. The title
    changes, the partner is added, every other row stays single, miun is found again by its
    CORDIS id, and the uncertain pair is not proposed twice."""
    con = shipped_con
    import_paths(con, [write_zip(tmp_path / "old")], cordis=options("SE322"))
    counts = {t: read_table(con, t).height for t in ("actors", "participations", "activities")}
    newer = [
        PROJECTS[0]
        .replace('"Design; innovation och fjäll"', '"Design; innovation och fjäll, fas två"')
        .replace("2024-05-01 10:00:00", "2025-02-03 12:00:00"),
        *PROJECTS[1:],
    ]
    added = (
        "101000001;FJÄLLDESIGN;999000011;;Jämtkraft Test AB;;false;PRC;;;Östersund;SE;SE322;;;;6;"
        "participant;1000;;;;true"
    )
    report = import_paths(
        con,
        [write_zip(tmp_path / "new", newer, [*ORGANIZATIONS, added])],
        cordis=options("SE322"),
    )
    assert report.to_review == 0
    changes = {c.table: (c.new, c.changed) for c in report.changes}
    assert changes["activities"] == (0, 1)
    assert changes["actors"] == (1, 3)  # the new partner; 3 CORDIS actors take the new source
    assert read_table(con, "actors").height == counts["actors"] + 1
    assert read_table(con, "participations").height == counts["participations"] + 1
    assert read_table(con, "activities").height == counts["activities"]
    p1 = read_table(con, "activities").filter(activity_id="cordis-101000001").row(0, named=True)
    assert p1["name"] == "FJÄLLDESIGN – Design; innovation och fjäll, fas två"
    assert p1["source_id"] == "cordis-horizon-2025-02-03"
    assert read_table(con, "participations").filter(actor_id="miun").height == 1
    assert pending_candidates(con).height == 1


def test_bad_amount_is_reported_with_file_row_and_column(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    bad = [ORGANIZATIONS[0].replace("400000.25", "fyrahundra"), *ORGANIZATIONS[1:]]
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [write_zip(tmp_path, organizations=bad)], cordis=options("SE322"))
    assert [str(p) for p in caught.value.problems] == [
        f"{ORG_FILE}:2:ecContribution: not a number 'fyrahundra'"
    ]
    assert read_table(con, "actors").height == 0


def test_missing_column_and_foreign_zip_are_problems(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(ImportValidationError, match=r"photos\.zip::: not a CORDIS zip"):
        import_paths(con, [other])
    broken = tmp_path / "broken"
    path = write_zip(broken, organizations=[])
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.csv", PROJECT_HEADER.replace("title;", "") + "\n")
        archive.writestr("organization.csv", ORGANIZATION_HEADER + "\n")
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [path])
    assert [str(p) for p in caught.value.problems] == [
        f"{ZIP_NAME}[project.csv]:1:title: missing required column"
    ]


def test_no_project_in_the_region_is_a_warning(con: duckdb.DuckDBPyConnection, dump: Path) -> None:
    report = import_paths(con, [dump], cordis=options("SE125"))
    assert any("no CORDIS project has a partner in NUTS SE125" in w for w in report.warnings)
    assert read_table(con, "actors").height == 0


@pytest.mark.parametrize("bad", ["Jämtland", "S", "SE3222X", "322"])
def test_bad_nuts_codes_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError, match="is not a NUTS code"):
        parse_nuts(bad)


def test_parse_nuts_normalises() -> None:
    assert parse_nuts(" se322, SE321 ,se322") == ("SE322", "SE321")


def test_cli_import_review_merge_and_dismiss(db_path: Path, dump: Path) -> None:
    """The walk-through of the README: import with --nuts, review, merge."""
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--db", str(db_path), "--no-synthetic"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["import", "--db", str(db_path), str(dump), "--nuts", "SE322"])
    assert result.exit_code == 0, result.output
    assert "matched to known actors: 2" in result.output
    assert "kept 1 projects with a partner in SE322" in result.output
    result = runner.invoke(cli, ["actors", "review", "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    pending = json.loads(result.output)
    assert [(p["incoming_id"], p["candidate_id"]) for p in pending] == [
        ("cordis-999000003", "mid-sweden-science-park")
    ]
    result = runner.invoke(cli, ["actors", "review", "--db", str(db_path)])
    assert "ecograph actors merge CANDIDATE_ID INCOMING_ID" in result.output
    result = runner.invoke(
        cli,
        ["actors", "merge", "--db", str(db_path), "mid-sweden-science-park", "cordis-999000003"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("merged cordis-999000003 into mid-sweden-science-park")
    result = runner.invoke(cli, ["actors", "review", "--db", str(db_path)])
    assert "nothing to review" in result.output
    result = runner.invoke(cli, ["actors", "dismiss", "--db", str(db_path), "x", "y"])
    assert result.exit_code == 2
    assert "no pending match of 'x' with 'y'" in result.output
    result = runner.invoke(cli, ["import", "--db", str(db_path), str(dump), "--nuts", "Jämtland"])
    assert result.exit_code == 2
    assert "'JÄMTLAND' is not a NUTS code" in result.output


# --- coarse NUTS codes and project files without organisations (issue 14, item 7) ----------

COARSE = [
    # P4's only Swedish partners say just "SE": one in Krokom (a Jämtland municipality), one in
    # Malmö; P5's only Swedish partner says "SE" and sits in Malmö
    "101000004;KROKOM;999000020;;Krokomsbolaget AB;;true;PRC;;;Krokom;SE;SE;;;;1;coordinator;"
    "1;;;;true",
    "101000004;KROKOM;999000006;;Oulun Tutkimus Oy;;false;REC;;;Oulu;FI;FI1D9;;;;2;participant;"
    "1;;;;true",
    "101000005;MALMO;999000021;;Malmöbolaget AB;;true;PRC;;;Malmö;SE;SE;;;;1;coordinator;1;;;;true",
]
COARSE_PROJECTS = [
    "101000004;KROKOM;SIGNED;Krokom;2023-01-01;2024-12-31;10;10;;;HORIZON;;;HORIZON-CSA;;x;"
    "2024-01-01 08:00:00;4;",
    "101000005;MALMO;SIGNED;Malmö;2023-01-01;2024-12-31;10;10;;;HORIZON;;;HORIZON-CSA;;x;"
    "2024-01-01 08:00:00;5;",
]


def test_coarser_nuts_code_is_reported_and_counted_in_by_its_city(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """'SE' is coarser than SE322: the Krokom firm is in the region (Krokom is a municipality
    of Jämtlands län), the Malmö firm is not, and both are named."""
    from graph.formats.cordis import nuts_places

    dump = write_zip(tmp_path / "d", [*PROJECTS, *COARSE_PROJECTS], [*ORGANIZATIONS, *COARSE])
    region = CordisOptions(
        nuts=("SE322",),
        nuts_names=nuts_region_names(ROOT / "data"),
        places=nuts_places(ROOT / "data"),
    )
    report = import_paths(con, [dump], cordis=region)
    assert read_table(con, "activities")["activity_id"].to_list() == [
        "cordis-101000001",
        "cordis-101000004",
    ]
    assert (
        "1 organisations with a NUTS code coarser than SE322 were counted as in the region "
        "because their city is one of its municipalities: Krokomsbolaget AB (SE)"
    ) in report.warnings
    assert (
        "1 organisations have a NUTS code coarser than SE322 and were not counted as in the "
        "region (their city is no municipality of it): Malmöbolaget AB (SE)"
    ) in report.warnings


def test_nuts_places_from_the_shipped_tables() -> None:
    from graph.formats.cordis import nuts_places

    places = nuts_places(ROOT / "data")
    # the 8 municipalities of Jämtlands län and their seats (Järpen, Hammarstrand, Svenstavik,
    # Sveg differ from the municipality's name): 12 names; SE32 adds Sundsvall
    assert len(places["SE322"]) == 12
    assert {"krokom", "järpen", "åre"} <= places["SE322"]
    assert places["SE32"] == places["SE322"] | {"sundsvall"}


def test_project_file_without_organisation_rows_says_so(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    dump = write_zip(tmp_path / "d", PROJECTS, [])
    report = import_paths(con, [dump], cordis=CordisOptions())
    assert report.warnings[0] == (
        "none of the 3 projects has organisation rows: the organization.csv read is not the one "
        "of this project.csv (download both from the same CORDIS zip)"
    )
