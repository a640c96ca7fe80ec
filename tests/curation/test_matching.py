"""Actor matching: name normalisation, and the same organisation arriving through different
importers (our CSV tables, Kumu, GEXF) — matched, not duplicated; unsure matches only listed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest

from graph.curation.matching import find_matches, normalise_name, normalise_names
from graph.curation.merge import pending_candidates
from graph.formats.ingest import import_paths
from graph.store.database import read_table
from tests.conftest import write_files


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("MITTUNIVERSITETET", "mittuniversitetet"),
        ("Mittuniversitetet", "mittuniversitetet"),
        ("Mid Sweden Science Park AB", "mid sweden science park"),
        ("SVID – Stiftelsen Svensk Industridesign", "svid svensk industridesign"),
        ("Åre Företag AB", "are foretag"),
        ("Jämtkraft Aktiebolag (publ)", "jamtkraft"),
        ("Fjällbygdens Ek. för.", "fjallbygdens"),
        ("Hembygdsföreningen, ideell förening", "hembygdsforeningen"),
        ("Ávki – ČĐŊŠŦŽ", "avki cdnstz"),  # Sami letters fold too
        ("A\u030are  kommun", "are kommun"),  # decomposed å, double space
        ("Nordic Tech GmbH", "nordic tech"),
        ("Oulun Tutkimus Oy", "oulun tutkimus"),
        ("Peak Business & Sports AB", "peak business sports"),
        ("AB", "ab"),  # nothing but a legal form: kept rather than emptied
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_normalise_names_is_vectorised_and_keeps_nulls() -> None:
    names = pl.Series(["MITTUNIVERSITETET", None, "Stiftelsen SVID"])
    assert normalise_names(names).to_list() == ["mittuniversitetet", None, "svid"]


CSV_TABLES = {
    "sources.csv": "source_id,title\nreg,Företagsregistret (test)\n",
    "actors.csv": (
        "actor_id,name,kind,municipality,source_id\n"
        "fjallbolaget-ab,Fjällbolaget AB,company,Åre,reg\n"
        "peak,Peak Innovation,cluster,Östersund,reg\n"
    ),
}
KUMU_ELEMENTS = (
    "Label,Type,Municipality\n"
    "FJÄLLBOLAGET,Företag,Åre\n"
    "Peak Innovation,Kluster,\n"
    "Ny Aktör,Företag,Krokom\n"
)
KUMU_CONNECTIONS = (
    "From,To,Type\nFJÄLLBOLAGET,Peak Innovation,member\nNy Aktör,FJÄLLBOLAGET,partner\n"
)


def test_csv_then_kumu_with_the_same_organisations(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The Kumu map names two organisations the CSV files already brought: its ties attach to
    them, no duplicate appears, the CSV rows (which have a source) are not changed, and the
    Kumu spelling becomes an alias. Importing the map again changes nothing."""
    import_paths(con, [write_files(tmp_path / "csv", CSV_TABLES)])
    before = read_table(con, "actors")
    kumu = write_files(
        tmp_path / "kumu", {"elements.csv": KUMU_ELEMENTS, "connections.csv": KUMU_CONNECTIONS}
    )
    files = [kumu / "elements.csv", kumu / "connections.csv"]
    report = import_paths(con, files)
    assert report.matched == 2
    actors = read_table(con, "actors")
    assert actors["actor_id"].to_list() == ["fjallbolaget-ab", "ny-aktor", "peak"]
    assert actors.filter(pl.col("actor_id") != "ny-aktor").equals(before)
    ties = read_table(con, "relations").select("from_actor", "to_actor", "kind").sort("from_actor")
    assert ties.rows() == [
        ("fjallbolaget-ab", "peak", "membership"),
        ("ny-aktor", "fjallbolaget-ab", "partnership"),
    ]
    aliases = read_table(con, "actor_aliases").select("actor_id", "alias", "source_id").rows()
    assert aliases == [("fjallbolaget-ab", "FJÄLLBOLAGET", "file:elements.csv")]
    assert not import_paths(con, files).modified


def test_graph_file_matches_through_a_known_alias(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A GEXF from another tool calls Mittuniversitetet 'Mid Sweden University', the shipped
    alias: the tie lands on 'miun'."""
    G = nx.Graph()
    G.add_node("n1", label="Mid Sweden University", kind="academia")
    G.add_node("n2", label="PEAK INNOVATION", kind="cluster")
    G.add_edge("n1", "n2", weight=2.0)
    path = tmp_path / "net.gexf"
    nx.write_gexf(G, path)
    before = read_table(shipped_con, "actors").height
    report = import_paths(shipped_con, [path])
    assert report.matched == 2
    assert read_table(shipped_con, "actors").height == before
    rel = read_table(shipped_con, "relations").filter(pl.col("source_id") == "file:net.gexf")
    assert rel.select("from_actor", "to_actor", "weight").rows() == [
        ("miun", "peak-innovation", 2.0)
    ]


def test_same_name_in_another_municipality_is_only_a_candidate(
    shipped_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Two co-working spaces may share a name: 'Kollektivet' in Åre is not the shipped
    Kollektivet in Berg without a person saying so."""
    files = write_files(
        tmp_path / "f",
        {
            "actors.csv": (
                "actor_id,name,kind,municipality\nkollektivet-are,Kollektivet,coworking,Åre\n"
            )
        },
    )
    report = import_paths(shipped_con, [files])
    assert (report.matched, report.to_review) == (0, 1)
    assert read_table(shipped_con, "actors").filter(actor_id="kollektivet-are").height == 1
    pending = pending_candidates(shipped_con).select("incoming_id", "candidate_id", "reason")
    assert pending.rows() == [
        ("kollektivet-are", "kollektivet-klovsjo", "same name, but in Åre here and Berg there")
    ]


KNOWN = pl.DataFrame(
    {
        "actor_id": ["miun", "peak", "k1", "k2", "park"],
        "name": [
            "Mittuniversitetet",
            "Peak Innovation",
            "Kollektivet",
            "Kollektivet",
            "Mid Sweden Science Park AB",
        ],
        "kind": ["academia", "cluster", "coworking", "coworking", "business_support"],
        "helix": ["academia", "industry", "industry", "industry", "public"],
        "municipality": ["Östersund", "Östersund", "Berg", "Åre", None],
    }
)
NO_ALIASES = pl.DataFrame(schema={"actor_id": pl.String, "alias": pl.String})


def _incoming(*rows: tuple[str, str, str, str | None]) -> pl.DataFrame:
    helix = {"academia": "academia", "company": "industry", "cluster": "industry"}
    return pl.DataFrame(
        {
            "actor_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "helix": [helix.get(r[2]) for r in rows],
            "municipality": [r[3] for r in rows],
            "source_id": ["s"] * len(rows),
        }
    )


def test_find_matches_confident_and_uncertain() -> None:
    """Exact name and compatible kind → matched; a typo or extra words → candidates with the
    reason; a name two known actors share (no municipality to tell them apart) → candidates for
    both; a company named like a business-support actor → candidate."""
    incoming = _incoming(
        ("x1", "MITTUNIVERSITETET", "academia", None),
        ("x2", "Mittuniversitet", "academia", None),
        ("x3", "Peak Innovation Arena", "cluster", None),
        ("x4", "KOLLEKTIVET", "other", None),
        ("x5", "Mid Sweden Science Park", "company", None),
        ("x6", "Helt Annat Bolag", "company", None),
    )
    result = find_matches(incoming, None, KNOWN, NO_ALIASES)
    assert result.mapped.select("incoming_id", "actor_id", "reason").rows() == [
        ("x1", "miun", "same name 'mittuniversitetet'")
    ]
    found = result.candidates.select("incoming_id", "candidate_id", "score", "reason").rows()
    assert found == [
        # difflib ratio of 'mittuniversitet' and 'mittuniversitetet': 2 × 15 / 32 = 0.9375
        ("x2", "miun", 0.938, "similar name (0.938)"),
        # 'peak innovation' is contained in 'arena innovation peak': ratio 2 × 15 / 36 = 0.833
        ("x3", "peak", 0.833, "one name contains the other"),
        ("x4", "k1", 1.0, "same name as 2 known actors"),
        ("x4", "k2", 1.0, "same name as 2 known actors"),
        ("x5", "park", 1.0, "same name, but company here and business_support there"),
    ]


def test_identifier_alias_beats_names() -> None:
    """An organisation number or CORDIS id recorded as an alias finds its actor whatever the
    name says; a plain name alias does not count as an identifier."""
    known_aliases = pl.DataFrame(
        {"actor_id": ["peak", "miun"], "alias": ["556000-0001", "cordis:42"]}
    )
    incoming = _incoming(("x1", "Helt Annat Namn AB", "company", None))
    incoming_aliases = pl.DataFrame({"actor_id": ["x1"], "alias": ["556000-0001"]})
    result = find_matches(incoming, incoming_aliases, KNOWN, known_aliases)
    assert result.mapped.select("incoming_id", "actor_id", "reason").rows() == [
        ("x1", "peak", "identifier 556000-0001")
    ]


def test_unsourced_known_actor_gets_its_empty_columns_filled(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A known actor from a file that named no source vouches for nothing, so a matching
    import may fill what it lacks; its name and kind stay."""
    import_paths(
        con,
        [
            write_files(
                tmp_path / "a",
                {"actors.csv": "actor_id,name,kind\nfjall,Fjällbolaget AB,company\n"},
            )
        ],
    )
    more = write_files(
        tmp_path / "b",
        {
            "actors.csv": (
                "actor_id,name,kind,municipality,website\n"
                "x,FJÄLLBOLAGET,company,Åre,https://fjall.example\n"
            )
        },
    )
    import_paths(con, [more])
    row = read_table(con, "actors").row(0, named=True)
    assert (row["actor_id"], row["name"], row["municipality"], row["website"]) == (
        "fjall",
        "Fjällbolaget AB",
        "Åre",
        "https://fjall.example",
    )
    assert read_table(con, "actors").height == 1
