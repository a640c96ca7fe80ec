"""Import: every validation rule, all problems at once, nothing written on error, upserts,
--replace, CSV dialects (``;``, BOM, Windows-1252) and the shipped dataset.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from graph.errors import ImportValidationError
from graph.formats.ingest import import_paths
from graph.store.database import data_version, read_table
from tests.conftest import MINI, assert_same_tables, snapshot, write_files

ALLOWED_KINDS = (
    "region, public_agency, municipality, business_support, design_org, cluster, coworking, "
    "company, academia, research_institute, civil_society, sami_org, funder, other"
)

# One case per rule: (file, line appended to MINI's file, the exact problem message).
# Row numbers are the rows a spreadsheet shows: the header is row 1, MINI's last data row + 1
# is where the appended line lands.
RULES = [
    pytest.param(
        "participations.csv",
        "p1,zz,partner,,s1",
        "participations.csv:4:actor_id: unknown actor 'zz'",
        id="unknown-actor",
    ),
    pytest.param(
        "actors.csv",
        "a,Dubblett,company,,,,,s1",
        "actors.csv:5:actor_id: duplicate id 'a' (first on row 2)",
        id="duplicate-id",
    ),
    pytest.param(
        "actors.csv",
        "d,,company,,,,,s1",
        "actors.csv:5:name: missing required value",
        id="missing-required",
    ),
    pytest.param(
        "actors.csv",
        "d,Rymdbolaget,spaceship,,,,,s1",
        f"actors.csv:5:kind: unknown kind 'spaceship' (allowed: {ALLOWED_KINDS})",
        id="unknown-kind",
    ),
    pytest.param(
        "activities.csv",
        "p2,P2,project,2022-13-01,,,s1",
        "activities.csv:3:start_date: bad date '2022-13-01' (use YYYY-MM-DD)",
        id="bad-date",
    ),
    pytest.param(
        "activities.csv",
        "p2,P2,project,2022-01-01,2021-06-30,,s1",
        "activities.csv:3:end_date: end date 2021-06-30 is before start date 2022-01-01",
        id="end-before-start",
    ),
    pytest.param(
        "relations.csv",
        "r2,a,a,partnership,false,,,1,s1",
        "relations.csv:3:to_actor: relation from actor 'a' to itself",
        id="self-loop",
    ),
    pytest.param(
        "participations.csv",
        "p1,c,partner,-5,s1",
        "participations.csv:4:contribution_sek: negative amount '-5'",
        id="negative-amount",
    ),
    pytest.param(
        "activities.csv",
        "p2,P2,project,,,-100,s1",
        "activities.csv:3:budget_sek: negative amount '-100'",
        id="negative-budget",
    ),
    pytest.param(
        "relations.csv",
        "r2,a,b,friendship,false,,,1,s1",
        "relations.csv:3:kind: unknown relation kind 'friendship' (allowed: partnership, "
        "membership, funding, ownership, hosting, advice, other)",
        id="unknown-relation-kind",
    ),
    pytest.param(
        "participations.csv",
        "p1,c,boss,,s1",
        "participations.csv:4:role: unknown role 'boss' (allowed: lead, partner, cofinancer, "
        "funder, member, target_group)",
        id="unknown-role",
    ),
    pytest.param(
        "actors.csv",
        "d,D,company,,,nord,,s1",
        "actors.csv:5:lat: not a number 'nord'",
        id="bad-number",
    ),
    pytest.param(
        "actors.csv",
        "d,D,company,,,,,nosource",
        "actors.csv:5:source_id: unknown source 'nosource'",
        id="unknown-source",
    ),
    pytest.param(
        "participations.csv",
        "p9,c,partner,,s1",
        "participations.csv:4:activity_id: unknown activity 'p9'",
        id="unknown-activity",
    ),
    pytest.param(
        "actor_areas.csv",
        "b,rymd,s1",
        "actor_areas.csv:3:area_id: unknown strength area 'rymd'",
        id="unknown-area",
    ),
    pytest.param(
        "relations.csv",
        "r2,a,b,partnership,false,,,0,s1",
        "relations.csv:3:weight: must be greater than 0, not '0'",
        id="zero-weight",
    ),
]


@pytest.mark.parametrize(("file", "line", "message"), RULES)
def test_each_rule_rejects_the_file_and_writes_nothing(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    mini_dir: Path,
    file: str,
    line: str,
    message: str,
) -> None:
    """A defect anywhere → exactly its message, and the database is byte-for-byte as before."""
    import_paths(con, [mini_dir])
    before = snapshot(con)
    bad = write_files(tmp_path / "bad", {**MINI, file: MINI[file] + line + "\n"})
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [bad])
    assert [str(p) for p in caught.value.problems] == [message]
    assert_same_tables(before, snapshot(con))


def test_all_problems_are_reported_at_once(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Users fix a file in one pass only if every problem is listed, not the first."""
    files = {
        **MINI,
        "actors.csv": MINI["actors.csv"]
        + "d,,spaceship,,,,,s1\ne,E,company,,,,,s1\ne,E2,x,,,,,s1\n",
    }
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [write_files(tmp_path / "many", files)])
    found = [str(p) for p in caught.value.problems]
    assert found == [
        "actors.csv:5:kind: unknown kind 'spaceship' (allowed: " + ALLOWED_KINDS + ")",
        "actors.csv:5:name: missing required value",
        "actors.csv:7:actor_id: duplicate id 'e' (first on row 6)",
        "actors.csv:7:kind: unknown kind 'x' (allowed: " + ALLOWED_KINDS + ")",
    ]
    assert read_table(con, "actors").height == 0


def test_one_bad_file_blocks_the_good_ones(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    files = {**MINI, "relations.csv": MINI["relations.csv"] + "r2,a,q,,,,,,s1\n"}
    with pytest.raises(ImportValidationError):
        import_paths(con, [write_files(tmp_path / "x", files)])
    assert all(read_table(con, t).height == 0 for t in ("sources", "actors", "activities"))


def test_reference_to_an_actor_already_in_the_database_is_fine(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """An incremental import may tie new rows to actors imported earlier."""
    more = write_files(
        tmp_path / "more",
        {
            "relations.csv": "from_actor,to_actor,kind,source_id\nb,c,advice,s1\n",
        },
    )
    report = import_paths(mini_con, [more])
    assert [c.new for c in report.changes] == [1]
    assert read_table(mini_con, "relations").height == 2


def test_reimport_changes_nothing(mini_con: duckdb.DuckDBPyConnection, mini_dir: Path) -> None:
    before = snapshot(mini_con)
    report = import_paths(mini_con, [mini_dir])
    assert not report.modified
    assert all(c.new == 0 and c.changed == 0 for c in report.changes)
    assert_same_tables(before, snapshot(mini_con))


def test_upsert_updates_changed_rows_and_keeps_columns_the_file_lacks(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A file with only id and name renames an actor without erasing its municipality."""
    version = data_version(mini_con)
    update = write_files(
        tmp_path / "u", {"actors.csv": "actor_id,name,kind\nb,Mid Sweden University,academia\n"}
    )
    report = import_paths(mini_con, [update])
    actors = read_table(mini_con, "actors").filter(actor_id="b").row(0, named=True)
    assert actors["name"] == "Mid Sweden University"
    assert actors["municipality"] == "Östersund"
    assert [(c.table, c.new, c.changed) for c in report.changes] == [
        ("sources", 1, 0),
        ("actors", 0, 1),
    ]
    assert data_version(mini_con) == version + 1


def test_rows_without_source_get_a_file_source_marked_auto(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Every row has a source; rows whose file named none point at the file and count as
    unsourced (sources.auto), so the data-quality warnings can find them."""
    folder = write_files(tmp_path / "f", {"actors.csv": "actor_id,name,kind\nx,X,company\n"})
    import_paths(con, [folder])
    assert read_table(con, "actors")["source_id"].to_list() == ["file:actors.csv"]
    source = read_table(con, "sources").row(0, named=True)
    assert (source["source_id"], source["auto"], source["synthetic"]) == (
        "file:actors.csv",
        True,
        False,
    )


def test_helix_defaults_to_the_kind_helix(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "f",
        {"actors.csv": "actor_id,name,kind,helix\nx,X,company,\ny,Y,academia,public\nz,Z,other,\n"},
    )
    import_paths(con, [folder])
    assert read_table(con, "actors")["helix"].to_list() == ["industry", "public", None]


def test_replace_replaces_the_whole_dataset(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    other = write_files(
        tmp_path / "o",
        {
            "sources.csv": "source_id,title\nt,T\n",
            "actors.csv": "actor_id,name,kind,source_id\nz,Z,cluster,t\n",
        },
    )
    import_paths(mini_con, [other], replace=True)
    assert read_table(mini_con, "actors")["actor_id"].to_list() == ["z"]
    assert read_table(mini_con, "relations").height == 0
    assert read_table(mini_con, "sources")["source_id"].to_list() == ["t"]


def test_replace_may_not_reference_the_old_data(
    mini_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """With --replace the old actors are going away, so a tie to one is a dangling reference."""
    before = snapshot(mini_con)
    other = write_files(
        tmp_path / "o",
        {
            "relations.csv": "from_actor,to_actor\na,b\n",
        },
    )
    with pytest.raises(ImportValidationError, match=r"relations\.csv:2:from_actor: unknown actor"):
        import_paths(mini_con, [other], replace=True)
    assert_same_tables(before, snapshot(mini_con))


def test_swedish_excel_csv_semicolons_bom_and_decimal_comma(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Swedish Excel writes ';', a UTF-8 BOM and decimal commas: all must read correctly."""
    text = (
        "\ufeffactor_id;name;kind;lat;lon\n"
        "x;Östersunds kommun;municipality;63,18;14,64\n"
        'y;"Bolag; med semikolon";company;;\n'
    )
    folder = write_files(tmp_path / "se", {"actors.csv": text})
    import_paths(con, [folder])
    rows = read_table(con, "actors").select("actor_id", "name", "lat", "lon").rows()
    assert rows == [
        ("x", "Östersunds kommun", 63.18, 14.64),
        ("y", "Bolag; med semikolon", None, None),
    ]


def test_windows_1252_file_is_read_with_a_warning(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = write_files(
        tmp_path / "w",
        {"actors.csv": "actor_id;name;kind\nx;Härjedalen AB;company\n"},
        encoding="cp1252",
    )
    report = import_paths(con, [folder])
    assert read_table(con, "actors")["name"].to_list() == ["Härjedalen AB"]
    assert any("Windows-1252" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "actors.csv:1:: the file is empty", id="empty"),
        pytest.param(
            b"actor_id,name,kind\n\x00\x01\x02",
            "actors.csv:1:: binary data, not a text file",
            id="binary",
        ),
        pytest.param(
            b"actor_id,name,kind\nx,X,company,extra\n",
            "actors.csv:2:: 4 fields where the header has 3 (separator ',')",
            id="too-many-fields",
        ),
        pytest.param(
            b"actor_id,name\nx,X\n",
            "actors.csv:1:kind: missing required column",
            id="missing-column",
        ),
        pytest.param(
            b"actor_id,name,kind,name\nx,X,company,Y\n",
            "actors.csv:1:name: column appears more than once",
            id="duplicate-header",
        ),
        pytest.param(
            "actor_id,name,kind\nx,Å,company\n".encode() + "y,Ä,company\n".encode("cp1252"),
            "actors.csv:3:: mixed text encodings (part UTF-8, part Windows-1252); "
            "save the whole file as 'CSV UTF-8'",
            id="mixed-encodings",
        ),
        pytest.param(
            b'actor_id,name,kind\nx,"unterminated,company\n',
            "actors.csv:2:: unreadable CSV: unexpected end of data",
            id="truncated",
        ),
    ],
)
def test_unreadable_files_are_reported_not_raised(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "actors.csv"
    path.write_bytes(content)
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, [path])
    assert [str(p) for p in caught.value.problems] == [message]


def test_shipped_dataset_loads_with_every_row_sourced(
    shipped_con: duckdb.DuckDBPyConnection,
) -> None:
    """Honest data: no row of the shipped dataset lacks a real (non-auto, non-synthetic) source."""
    sources = read_table(shipped_con, "sources")
    assert not sources["auto"].any()
    assert not sources["synthetic"].any()
    known = set(sources["source_id"])
    for table in (
        "actors",
        "strength_areas",
        "actor_areas",
        "activities",
        "participations",
        "relations",
        "actor_aliases",
    ):
        assert set(read_table(shipped_con, table)["source_id"]) <= known, table


def test_shipped_dataset_states_the_decision(shipped_con: duckdb.DuckDBPyConnection) -> None:
    """The seed decision RUN/664/2021: the project, its dates, its applicants and the region's
    150 000 SEK of work time, each traced to the decision."""
    project = (
        read_table(shipped_con, "activities")
        .filter(activity_id="designdrivna-innovationskluster")
        .row(0, named=True)
    )
    assert (str(project["start_date"]), str(project["end_date"])) == ("2022-04-01", "2024-06-30")
    parts = read_table(shipped_con, "participations").filter(
        activity_id="designdrivna-innovationskluster"
    )
    assert sorted(parts["actor_id"]) == ["avki", "design-i-vasternorrland", "region-jh", "svid"]
    region = parts.filter(actor_id="region-jh").row(0, named=True)
    assert (region["role"], region["contribution_sek"]) == ("cofinancer", 150000.0)
    assert set(parts["source_id"]) == {"rjh-run-664-2021"}
    areas = read_table(shipped_con, "strength_areas")["name"].to_list()
    assert sorted(areas) == sorted(
        ["Jord, skog och vatten", "Upplevelser", "Digitala lösningar", "Hållbar energi"]
    )


def test_data_quality_lists_unsourced_and_unplaced(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The Data page's warnings: which automatic sources carry rows, which actors cannot be
    placed on the map (no coordinates, no municipality)."""
    from graph.store.stats import auto_sources, unplaced_actors

    folder = write_files(
        tmp_path / "q",
        {
            "actors.csv": "actor_id,name,kind,municipality,lat,lon\n"
            "x,X,company,Åre,,\ny,Y,company,,,\nz,Z,company,,63.1,14.6\n",
        },
    )
    import_paths(con, [folder])
    assert auto_sources(con).rows() == [
        ("file:actors.csv", "Imported file actors.csv (no source named)", 3)
    ]
    assert unplaced_actors(con).rows() == [("y", "Y", "company")]
