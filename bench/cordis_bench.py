"""CORDIS benchmark: a synthetic CORDIS zip in the documented format (``project.csv`` and
``organization.csv``, semicolons, quoted text with ``;`` inside, Swedish letters, decimal amounts)
imported with ``--nuts SE32`` into a fresh database, re-imported, imported whole, and the actor
matching alone at 10^5 incoming × 10^4 known names.

About 5 % of the organisations are in SE32 (Mellersta Norrland); each organisation takes part in
about three projects of about eight partners.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import numpy as np
import polars as pl

from bench.common import Row, timed
from graph.curation.matching import find_matches
from graph.formats.cordis import CordisOptions, nuts_region_names
from graph.formats.ingest import import_paths
from graph.store.database import connect, row_counts

ROOT = Path(__file__).resolve().parent.parent
_FIRST = [
    "Fjäll", "Norr", "Älv", "Skog", "Sjö", "Berg", "Ljus", "Vind", "Sol", "Is", "Myr", "Älg",
    "Nord", "Hav", "Sten", "Järn", "Guld", "Silver", "Björk", "Tall", "Gran", "Ek", "Lönn",
    "Alp", "Rhein", "Donau", "Loire", "Tajo", "Oder", "Elbe", "Baltic", "Atlantic", "Adria",
    "Karpat", "Pyrene", "Balkan", "Nordic", "Central", "Euro", "Terra",
]  # fmt: skip
_SECOND = [
    "tech", "data", "energi", "design", "bygg", "mat", "turism", "vård", "skog", "kraft",
    "labs", "solutions", "systems", "robotics", "materials", "analytics", "bio", "agri",
    "mobility", "water", "health", "space", "quantum", "photonics", "cyber", "textil", "trä",
    "metall", "kemi", "medtech", "foods", "logistik", "marin", "sensor", "grid", "motion",
    "vision", "cloud", "games", "media",
]  # fmt: skip
_THIRD = [
    "AB", "Aktiebolag", "GmbH", "SA", "Oy", "BV", "Ltd", "Srl", "AS", "Institute", "University",
    "Foundation", "Association", "Centre", "Partners", "Group", "Labs; Research", "Kommun",
    "Region", "Cluster",
]  # fmt: skip
_TYPES = np.array(["PRC", "HES", "REC", "PUB", "OTH"])
_TYPE_WEIGHTS = [0.55, 0.15, 0.15, 0.08, 0.07]
_NUTS_OUTSIDE = np.array(
    ["DE300", "DE212", "FR101", "FI1D9", "FI1B1", "NO081", "DK011", "NL329", "ES300", "ITC4C",
     "SE110", "SE232", "SE224", "SE121", "SE331", "PL911", "AT130", "BE100", "EE001", "IE061"]
)  # fmt: skip

PROJECT_COLUMNS = [
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
    "nature",
    "objective",
    "contentUpdateDate",
    "rcn",
    "grantDoi",
]
ORG_COLUMNS = [
    "projectID",
    "projectAcronym",
    "organisationID",
    "vatNumber",
    "name",
    "shortName",
    "SME",
    "activityType",
    "street",
    "postCode",
    "city",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "contactForm",
    "order",
    "role",
    "ecContribution",
    "netEcContribution",
    "totalCost",
    "endOfParticipation",
    "active",
]


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.choice(_FIRST, n)
    second = rng.choice(_SECOND, n)
    third = rng.choice(_THIRD, n)
    return np.char.add(np.char.add(np.char.add(first, second), " "), third)


def cordis_frames(org_rows: int, seed: int = 11) -> tuple[pl.DataFrame, pl.DataFrame]:
    """project.csv and organization.csv as String frames in CORDIS's column order."""
    rng = np.random.default_rng(seed)
    n_projects = max(1, org_rows // 8)
    n_orgs = max(1, org_rows // 3)
    org_ids = 900_000_000 + np.arange(n_orgs)
    in_region = rng.random(n_orgs) < 0.05
    nuts = np.where(
        in_region, rng.choice(["SE321", "SE322"], n_orgs), rng.choice(_NUTS_OUTSIDE, n_orgs)
    )
    names = _names(rng, n_orgs)
    types = rng.choice(_TYPES, n_orgs, p=_TYPE_WEIGHTS)
    project_of_row = np.sort(rng.integers(0, n_projects, org_rows))
    org_of_row = rng.integers(0, n_orgs, org_rows)
    first_in_project = np.r_[True, project_of_row[1:] != project_of_row[:-1]]
    project_ids = (101_000_000 + np.arange(n_projects)).astype(str)
    start = np.datetime64("2021-01-01") + rng.integers(0, 1500, n_projects).astype("timedelta64[D]")
    end = start + rng.integers(365, 1800, n_projects).astype("timedelta64[D]")
    cost = np.round(rng.lognormal(14, 1, n_projects), 2)
    projects = pl.DataFrame(
        {
            "id": project_ids,
            "acronym": np.char.add("PRJ", np.arange(n_projects).astype(str)),
            "status": "SIGNED",
            "title": np.char.add(
                "Innovation; fjäll och hav nr ", np.arange(n_projects).astype(str)
            ),
            "startDate": start.astype(str),
            "endDate": end.astype(str),
            "totalCost": cost.astype(str),
            "ecMaxContribution": np.round(cost * 0.8, 2).astype(str),
            "frameworkProgramme": "HORIZON",
            "fundingScheme": "HORIZON-RIA",
            "objective": 'Mål: "bättre" samverkan; över gränser',
            "contentUpdateDate": "2025-01-15 10:00:00",
        }
    )
    projects = projects.select(
        [
            pl.col(c) if c in projects.columns else pl.lit(None, pl.String).alias(c)
            for c in PROJECT_COLUMNS
        ]
    )
    lat = np.round(rng.uniform(40, 68, n_orgs), 4)
    lon = np.round(rng.uniform(-5, 25, n_orgs), 4)
    orgs = pl.DataFrame(
        {
            "projectID": project_ids[project_of_row],
            "projectAcronym": np.char.add("PRJ", project_of_row.astype(str)),
            "organisationID": org_ids[org_of_row].astype(str),
            "name": names[org_of_row],
            "SME": np.where(types[org_of_row] == "PRC", "true", "false"),
            "activityType": types[org_of_row],
            "city": np.where(in_region[org_of_row], "Östersund", "Elsewhere"),
            "country": np.char.ljust(nuts[org_of_row], 2).astype("U2"),
            "nutsCode": nuts[org_of_row],
            "geolocation": np.char.add(
                np.char.add(np.char.add("(", lat[org_of_row].astype(str)), ", "),
                np.char.add(lon[org_of_row].astype(str), ")"),
            ),
            "role": np.where(first_in_project, "coordinator", "participant"),
            "ecContribution": np.round(rng.lognormal(12, 1, org_rows), 2).astype(str),
            "active": "true",
        }
    )
    orgs = orgs.select(
        [pl.col(c) if c in orgs.columns else pl.lit(None, pl.String).alias(c) for c in ORG_COLUMNS]
    )
    return projects, orgs


def write_cordis_zip(projects: pl.DataFrame, orgs: pl.DataFrame, path: Path) -> Path:
    """The two frames as CORDIS writes them (';', quoted where needed, UTF-8) in a zip."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.csv", projects.write_csv(separator=";"))
        archive.writestr("organization.csv", orgs.write_csv(separator=";"))
    return path


def _matching_rows(rng: np.random.Generator) -> Row:
    """find_matches alone: 10^5 incoming against 10^4 known names from the same word lists
    (many exact and near-equal names, as between two real registers)."""
    known_names = _names(rng, 10_000)
    incoming_names = _names(rng, 100_000)
    kinds = rng.choice(["company", "academia", "other"], 100_000)
    known = pl.DataFrame(
        {
            "actor_id": np.char.add("k", np.arange(10_000).astype(str)),
            "name": known_names,
            "kind": "company",
            "helix": "industry",
            "municipality": None,
        }
    )
    incoming = pl.DataFrame(
        {
            "actor_id": np.char.add("i", np.arange(100_000).astype(str)),
            "name": incoming_names,
            "kind": kinds,
            "helix": np.where(
                kinds == "company",
                "industry",
                np.where(kinds == "academia", "academia", np.array(None, dtype=object)),
            ),
            "municipality": None,
            "source_id": "s",
        }
    )
    aliases = pl.DataFrame(schema={"actor_id": pl.String, "alias": pl.String})
    with timed() as t:
        result = find_matches(incoming, None, known, aliases)
    return Row(
        "cordis",
        "100k × 10k names",
        "match actors (find_matches)",
        t(),
        f"{result.mapped.height} matched, {result.candidates.height} candidates",
    )


def run(org_rows: int = 200_000, seed: int = 11) -> list[Row]:
    """Generate, import with --nuts SE32, re-import, import everything, and match at scale."""
    rows: list[Row] = []
    size = f"{org_rows // 1000}k org rows"
    nuts_names = nuts_region_names(ROOT / "data")
    with tempfile.TemporaryDirectory() as tmp:
        with timed() as t:
            projects, orgs = cordis_frames(org_rows, seed)
            path = write_cordis_zip(projects, orgs, Path(tmp) / "cordis-HORIZONprojects-csv.zip")
        rows.append(
            Row("cordis", size, "generate + write zip", t(), f"{path.stat().st_size / 1e6:.0f} MB")
        )
        del projects, orgs
        region = CordisOptions(nuts=("SE32",), nuts_names=nuts_names)
        con = connect(Path(tmp) / "region.duckdb")
        with timed() as t:
            import_paths(con, [path], cordis=region)
        counts = row_counts(con)
        note = (
            f"{counts['activities']} projects, {counts['actors']} actors, "
            f"{counts['participations']} participations"
        )
        rows.append(Row("cordis", size, "import --nuts SE32 (fresh db)", t(), note, counts))
        with timed() as t:
            report = import_paths(con, [path], cordis=region)
        rows.append(
            Row("cordis", size, "re-import (no change)", t(), f"modified={report.modified}")
        )
        con.close()
        con = connect(Path(tmp) / "all.duckdb")
        with timed() as t:
            import_paths(con, [path], cordis=CordisOptions(nuts_names=nuts_names))
        counts = row_counts(con)
        note = f"{counts['actors']} actors, {counts['participations']} participations"
        rows.append(Row("cordis", size, "import all projects (fresh db)", t(), note, counts))
        con.close()
    if org_rows >= 200_000:
        rows.append(_matching_rows(np.random.default_rng(seed)))
    return rows
