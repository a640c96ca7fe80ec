"""EU CORDIS bulk data (Horizon Europe, Horizon 2020) as our activities, actors and participations.

CORDIS publishes every EU-funded project and its partners as a zip
(``cordis-HORIZONprojects-csv.zip``, ``cordis-h2020projects-csv.zip``) holding, among others,
``project.csv`` and ``organization.csv``: ``;``-separated, ``"``-quoted, UTF-8 (see FORMATS.md).
The user downloads the file; ecograph never fetches anything. The zip, the two CSV files, or a
folder holding them are read.

Mapping:

- project → activity ``cordis-<id>``: name "ACRONYM – title", kind ``project``, programme =
  frameworkProgramme, budget from totalCost, dates, and a description with the EUR amounts;
- organisation → actor ``cordis-<organisationID>``: kind and helix from activityType
  (``ACTIVITY_TYPES``), region = the name of its NUTS region from the table passed in (the code
  itself when the table lacks it, the country code when there is no NUTS code), lat/lon from
  geolocation, website from organizationURL. Municipality stays empty: CORDIS gives a city, not a
  municipality, so the city goes into the description;
- organisation row → participation: ``coordinator`` → lead, every other role (participant,
  thirdParty, associatedPartner, …) → partner; contribution from ecContribution;
- aliases that let matching (``graph.curation.matching``) find known actors:
``cordis:<organisationID>``,
  the legal name, ``vat:<vatNumber>`` and, for a Swedish VAT number, the organisation number
  (``SE232100021401`` → ``232100-0214``).

Amounts are EUR in CORDIS and SEK in our tables: they are converted at ``CordisOptions.eur_sek``
(default ``DEFAULT_EUR_SEK``), the EUR amounts stay in the activity's description and the rate in
the source's note. With ``CordisOptions.nuts`` only the projects with at least one organisation
whose nutsCode starts with one of the codes are kept, with all of their partners (the outside
partners are the region's links to the world). Every row is sourced to the file and its date.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from graph.errors import Problem, UsageError
from graph.formats.archives import DAMAGED, member_stream, open_zip, read_member
from graph.formats.encoding import decode_text
from graph.formats.fields import csv_stream_problem
from graph.formats.messages import count, say, say_n
from graph.formats.rawdata import TEXTS as RAW_TEXTS
from graph.formats.rawdata import RawDataset, raw_table, slugify
from graph.i18n import N_, NP_
from graph.store.limits import ImportLimits

__all__ = [
    "ACTIVITY_TYPES",
    "DEFAULT_EUR_SEK",
    "EUR_SEK_SOURCE",
    "CordisOptions",
    "cordis_folder_files",
    "cordis_role",
    "is_cordis_file",
    "nuts_places",
    "nuts_region_names",
    "parse_nuts",
    "read_cordis",
]

# Counted warnings: their English says "{n} projects" whatever the count, as it always has
# (scripts and tests match it); a language with a singular uses it.
PLURALS = {
    "coarse_out": NP_(
        "{n} organisations have a NUTS code coarser than {filters} and were not "
        "counted as in the region (their city is no municipality of it): {names}",
        "{n} organisations have a NUTS code coarser than {filters} and were not "
        "counted as in the region (their city is no municipality of it): {names}",
    ),
    "coarse_in": NP_(
        "{n} organisations with a NUTS code coarser than {filters} were counted as in "
        "the region because their city is one of its municipalities: {names}",
        "{n} organisations with a NUTS code coarser than {filters} were counted as in "
        "the region because their city is one of its municipalities: {names}",
    ),
    "no_org_rows": NP_(
        "none of the {n} projects has organisation rows: the organization.csv read "
        "is not the one of this project.csv (download both from the same CORDIS zip)",
        "none of the {n} projects has organisation rows: the organization.csv read "
        "is not the one of this project.csv (download both from the same CORDIS zip)",
    ),
    "some_without_orgs": NP_(
        "{n} projects have no organisation rows and were imported without partners",
        "{n} projects have no organisation rows and were imported without partners",
    ),
    "skipped_orgs": NP_(
        "{n} organisation rows name a project that project.csv lacks and were skipped",
        "{n} organisation rows name a project that project.csv lacks and were skipped",
    ),
}
TEXTS = {
    "not_nuts": N_(
        "'{code}' is not a NUTS code (two letters for the country and up to three more, "
        "e.g. SE322 for Jämtlands län, SE32 for Mellersta Norrland)"
    ),
    "nuts_capitals": N_("write NUTS codes in capitals, once each: {codes}"),
    "bad_rate": N_("the EUR→SEK rate must be above 0, not {rate}"),
    "not_cordis_zip": N_(
        "not a CORDIS zip: project.csv and organization.csv are not both in it "
        "(download cordis-HORIZONprojects-csv.zip from https://cordis.europa.eu/)"
    ),
    "several_files": N_("several {role} files ({names}): unzip and choose"),
    "not_zip": N_("not a readable zip: {reason}"),
    "no_such_file": N_("{path}: no such file"),
    "not_cordis_csv": N_("not a CORDIS project.csv or organization.csv header"),
    "one_of_each": N_("give CORDIS's project.csv and organization.csv together, one of each"),
    "unreadable_csv": N_("unreadable CSV: {reason}"),
    "not_a_number": N_("not a number '{value}'"),
    "and_more": N_("{shown} and {more} more"),
    "reading": N_("reading {file}"),
    "read": N_("{file}: {projects} projects, {orgs} organisation rows"),
    "kept": N_("kept {projects} projects with a partner in {nuts}: {orgs} organisation rows"),
    "none_in_region": N_(
        "no CORDIS project has a partner in NUTS {nuts}: check the codes (e.g. SE322 for "
        "Jämtlands län)"
    ),
    "done": N_(
        "CORDIS: {projects} projects, {orgs} organisations, {participations} participations"
    ),
}

# Sveriges riksbank's average EUR/SEK rate for 2023 (11.48 SEK per EUR); --eur-sek overrides it.
DEFAULT_EUR_SEK = 11.48
EUR_SEK_SOURCE = "Sveriges riksbank, average EUR/SEK exchange rate for 2023"

# CORDIS activityType → (kind, helix). OTH covers associations, foundations, NGOs and international
# bodies: kind "other", counted in the civil-society helix. Unknown or empty types: other, no helix.
ACTIVITY_TYPES: dict[str, tuple[str, str]] = {
    "PRC": ("company", "industry"),
    "HES": ("academia", "academia"),
    "REC": ("research_institute", "academia"),
    "PUB": ("public_agency", "public"),
    "OTH": ("other", "civil_society"),
}

_PROJECT_COLUMNS = (
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "frameworkProgramme",
    "fundingScheme",
    "contentUpdateDate",
)
_PROJECT_REQUIRED = ("id", "title")
_ORG_COLUMNS = (
    "projectID",
    "organisationID",
    "vatNumber",
    "name",
    "shortName",
    "SME",
    "activityType",
    "city",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "role",
    "ecContribution",
)
_ORG_REQUIRED = ("projectID", "organisationID", "name")
_MEMBER_ROLES = {
    "project.csv": "project",
    "organization.csv": "organization",
    "organisation.csv": "organization",
}
_NUTS_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")
_GEO = r"^\(?\s*([-+]?\d+(?:\.\d+)?)\s*[,;]\s*([-+]?\d+(?:\.\d+)?)\s*\)?$"
_ROW = "_row"
_INPUT = "_input"


def parse_nuts(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"se322, SE321"`` → ``("SE322", "SE321")``; a code that is not NUTS-shaped is an error."""
    if text is None:
        return ()
    parts = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    codes = tuple(dict.fromkeys(p.strip().upper() for p in parts if p.strip()))
    bad = [c for c in codes if not _NUTS_CODE.fullmatch(c)]
    if bad:
        raise UsageError(say(TEXTS["not_nuts"], code=bad[0]))
    return codes


@dataclass(frozen=True)
class CordisOptions:
    """How to read CORDIS files.

    ``nuts``: keep only projects with a partner whose NUTS code starts with one of these (empty:
    every project). ``eur_sek``: SEK per EUR for the amounts. ``nuts_names``: NUTS code → region
    name (``nuts_region_names``). ``places``: NUTS code → lower-case municipality and seat names
    (``nuts_places``), for organisations whose NUTS code is coarser than the filter.
    """

    nuts: tuple[str, ...] = ()
    eur_sek: float = DEFAULT_EUR_SEK
    nuts_names: Mapping[str, str] = field(default_factory=dict)
    # NUTS code → the municipalities and their seats in it (``nuts_places``): an organisation
    # with a coarser code (only ``SE``) whose city is one of them counts as in the region
    places: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if parse_nuts(list(self.nuts)) != tuple(self.nuts):
            raise UsageError(say(TEXTS["nuts_capitals"], codes=", ".join(self.nuts)))
        if not self.eur_sek > 0:
            raise UsageError(say(TEXTS["bad_rate"], rate=self.eur_sek))


def nuts_region_names(folder: Path) -> dict[str, str]:
    """NUTS code → region name from ``folder/nuts_se.csv`` (empty when the file is missing)."""
    path = folder / "nuts_se.csv"
    if not path.exists():
        return {}
    table = pl.read_csv(path, infer_schema=False)
    return dict(zip(table["nuts_code"], table["name"], strict=True))


def nuts_places(folder: Path) -> dict[str, frozenset[str]]:
    """NUTS code → the lower-case names of the municipalities (and their seats) in it, from
    ``folder/municipalities.csv`` (its county) and ``folder/nuts_se.csv`` (the county's code);
    every code's prefixes get the names too (``SE32`` holds those of ``SE321`` and ``SE322``)."""
    municipalities, nuts = folder / "municipalities.csv", folder / "nuts_se.csv"
    if not municipalities.exists() or not nuts.exists():
        return {}
    code_of = {
        name: code
        for code, name in pl.read_csv(nuts, infer_schema=False)
        .select("nuts_code", "name")
        .iter_rows()
    }
    places: dict[str, set[str]] = {}
    rows = pl.read_csv(municipalities, infer_schema=False).select("municipality", "seat", "county")
    for municipality, seat, county in rows.iter_rows():
        code = code_of.get(county)
        if code is None:
            continue
        for n in range(2, len(code) + 1):
            places.setdefault(code[:n], set()).update(x.lower() for x in (municipality, seat) if x)
    return {code: frozenset(names) for code, names in places.items()}


def cordis_role(path: Path) -> str | None:
    """``"project"`` or ``"organization"`` when a CSV file's header is CORDIS's, else None."""
    if path.suffix.lower() not in (".csv", ".txt") or not path.is_file():
        return None
    with path.open("rb") as handle:
        header = handle.readline(65536).decode("utf-8", "replace")
    names = {h.strip().strip('"').lower() for h in header.split(";")}
    if {"projectid", "organisationid"} <= names:
        return "organization"
    if {"id", "frameworkprogramme"} <= names:
        return "project"
    return None


def is_cordis_file(path: Path) -> bool:
    """A zip (CORDIS publishes zips; any other zip is reported by the reader) or a CSV file with
    CORDIS's project or organisation header."""
    return path.suffix.lower() == ".zip" or cordis_role(path) is not None


def cordis_folder_files(folder: Path) -> list[Path]:
    """An unzipped CORDIS folder's project and organisation files (empty if either is missing)."""
    found = {
        role: p
        for p in sorted(folder.iterdir())
        if p.is_file() and (role := cordis_role(p)) is not None
    }
    return [found["project"], found["organization"]] if len(found) == 2 else []


@dataclass
class _Input:
    """One CORDIS dump: the two files' bytes and the labels messages use for them."""

    label: str
    files: dict[str, tuple[str, bytes]]
    fallback_date: date | None


def _zip_input(path: Path, limits: ImportLimits, out: RawDataset) -> _Input | None:
    # declared sizes first, then each member streamed: a damaged byte, a lying size or a
    # 503 MB title is one line, never a traceback or a full memory (graph.formats.archives)
    archive, refused = open_zip(path, path.name, limits)
    if archive is None:
        if refused:
            out.problems.append(refused)
        return None
    with archive:
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in archive.infolist():
            role = _MEMBER_ROLES.get(info.filename.rsplit("/", 1)[-1].lower())
            if role and not info.is_dir():
                members.setdefault(role, []).append(info)
        if len(members) < 2:
            out.problems.append(Problem(path.name, "", "", say(TEXTS["not_cordis_zip"])))
            return None
        files: dict[str, tuple[str, bytes]] = {}
        for role, infos in members.items():
            if len(infos) > 1:
                names = ", ".join(i.filename for i in infos)
                out.problems.append(
                    Problem(path.name, "", "", say(TEXTS["several_files"], role=role, names=names))
                )
                return None
            info = infos[0]
            label = f"{path.name}[{info.filename.rsplit('/', 1)[-1]}]"
            try:
                with member_stream(archive, info) as stream:
                    streamed = csv_stream_problem(stream, label, separator=";", limits=limits)
            except DAMAGED as exc:
                out.problems.append(
                    Problem(label, "", "", say(TEXTS["not_zip"], reason=_first_line(exc)))
                )
                return None
            if streamed:
                out.problems.append(streamed)
                return None
            data, damaged = read_member(archive, info, label)
            if data is None:
                if damaged:
                    out.problems.append(damaged)
                return None
            files[role] = (label, data)
        stamp = members["organization"][0].date_time
        return _Input(path.name, files, date(stamp[0], stamp[1], stamp[2]))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _loose_problem(path: Path, limits: ImportLimits) -> Problem | None:
    """A loose CORDIS CSV read as a stream first (a huge field is refused before it is read)."""
    with path.open("rb") as handle:
        return csv_stream_problem(handle, path.name, separator=";", limits=limits)


def _inputs(paths: Sequence[Path], limits: ImportLimits, out: RawDataset) -> list[_Input]:
    """Each zip is one dump; loose CSV files must be one project and one organisation file."""
    inputs: list[_Input] = []
    loose: dict[str, list[Path]] = {}
    for path in paths:
        if not path.is_file():
            raise UsageError(say(TEXTS["no_such_file"], path=path))
        too_large = limits.size_problem(path.name, path.stat().st_size)
        if too_large:
            out.problems.append(too_large)
            continue
        if path.suffix.lower() == ".zip":
            found = _zip_input(path, limits, out)
            if found is not None:
                inputs.append(found)
            continue
        role = cordis_role(path)
        if role is None:
            out.problems.append(Problem(path.name, "1", "", say(TEXTS["not_cordis_csv"])))
            continue
        loose.setdefault(role, []).append(path)
    if loose:
        if [len(loose.get("project", [])), len(loose.get("organization", []))] != [1, 1]:
            names = ", ".join(p.name for ps in loose.values() for p in ps)
            out.problems.append(Problem(names, "", "", say(TEXTS["one_of_each"])))
        else:
            project, organization = loose["project"][0], loose["organization"][0]
            streamed = [
                p for p in (_loose_problem(f, limits) for f in (project, organization)) if p
            ]
            if streamed:
                out.problems.extend(streamed)
                return inputs
            modified = date.fromtimestamp(organization.stat().st_mtime)
            inputs.append(
                _Input(
                    organization.name,
                    {
                        "project": (project.name, project.read_bytes()),
                        "organization": (organization.name, organization.read_bytes()),
                    },
                    modified,
                )
            )
    return inputs


def _parse(
    data: bytes,
    file: str,
    columns: Sequence[str],
    required: Sequence[str],
    limits: ImportLimits,
    out: RawDataset,
) -> pl.DataFrame | None:
    """One CORDIS CSV as String columns named as CORDIS names them, plus the spreadsheet row."""
    text, problems, warnings = decode_text(data, file)
    out.problems.extend(problems)
    out.warnings.extend(warnings)
    if text is None:
        return None
    payload = text.encode("utf-8") if warnings else data.removeprefix(b"\xef\xbb\xbf")
    try:
        frame = pl.read_csv(
            io.BytesIO(payload), separator=";", quote_char='"', infer_schema=False, has_header=True
        )
    except pl.exceptions.PolarsError as exc:
        why = say(TEXTS["unreadable_csv"], reason=str(exc).splitlines()[0])
        out.problems.append(Problem(file, "", "", why))
        return None
    by_name = {c.replace("\ufeff", "").strip().lower(): c for c in frame.columns}
    missing = [c for c in required if c.lower() not in by_name]
    out.problems.extend(Problem(file, "1", c, say(RAW_TEXTS["missing_column"])) for c in missing)
    if missing:
        return None
    if frame.height > limits.max_rows:
        out.problems.append(limits.rows_problem(file))
        return None
    return frame.select(
        [
            (
                pl.col(by_name[c.lower()]).str.strip_chars().replace("", None)
                if c.lower() in by_name
                else pl.lit(None, pl.String)
            ).alias(c)
            for c in columns
        ]
    ).with_columns(pl.int_range(2, frame.height + 2).cast(pl.String).alias(_ROW))


def _number(column: str) -> pl.Expr:
    """An amount as CORDIS writes it (``1234.5``, older files ``1234,5``) as a float."""
    text = pl.col(column).str.replace_all(r"[\s\u00a0\u202f]", "")
    text = (
        pl.when(text.str.contains(",") & text.str.contains(r"\."))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text.str.replace(",", ".", literal=True))
    )
    number = text.cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number).otherwise(None)


def _bad_numbers(frame: pl.DataFrame, columns: Sequence[str], files: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    for column in columns:
        bad = frame.filter(pl.col(column).is_not_null() & _number(column).is_null())
        problems += [
            Problem(files[i], row, column, say(TEXTS["not_a_number"], value=value))
            for i, row, value in bad.select(_INPUT, _ROW, column).rows()
        ]
    return problems


def _source(
    inp: _Input, projects: pl.DataFrame, options: CordisOptions
) -> dict[str, str | bool | None]:
    """The source row of one dump: its framework programmes and its newest update date."""
    frameworks = projects["frameworkProgramme"].drop_nulls().unique().sort().to_list()
    newest = (
        projects["contentUpdateDate"].str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).max()
    )
    published = newest if isinstance(newest, date) else inp.fallback_date
    stem = slugify("-".join(frameworks)) if frameworks else slugify(Path(inp.label).stem)
    stem = stem.removeprefix("cordis-")
    source_id = f"cordis-{stem}-{published.isoformat()}" if published else f"cordis-{stem}"
    region = (
        f"Kept the projects with at least one partner in NUTS {', '.join(options.nuts)}, "
        "with all of their partners."
        if options.nuts
        else "All projects of the file."
    )
    return {
        "source_id": source_id,
        "title": f"CORDIS {'/'.join(frameworks) or 'EU'} projects ({inp.label})",
        "publisher": "European Commission, CORDIS",
        "url": "https://cordis.europa.eu/",
        "published": published.isoformat() if published else None,
        "note": (
            f"EU-funded projects and their partners from the CORDIS bulk data file {inp.label}. "
            f"{region} Amounts converted from EUR at {options.eur_sek:g} SEK per EUR."
        ),
        "synthetic": "false",
    }


def _coarse_organisations(orgs: pl.DataFrame, options: CordisOptions, out: RawDataset) -> pl.Expr:
    """Organisations whose NUTS code is coarser than every filter code (``SE`` for ``SE322``):
    in the region when their city is one of its municipalities, else left out; both reported
    by count and name. Returns the expression that marks the ones counted in."""
    code = pl.col("nutsCode").str.to_uppercase()
    coarse = pl.any_horizontal(
        [pl.lit(c).str.starts_with(code) & (code.str.len_chars() < len(c)) for c in options.nuts]
    ) & (code.str.len_chars() > 0)
    names: set[str] = set()
    for c in options.nuts:
        names |= options.places.get(c, frozenset())
    city_in = pl.col("city").str.strip_chars().str.to_lowercase().is_in(sorted(names))
    found = (
        orgs.filter(coarse)
        .unique(subset=["organisationID"], keep="last", maintain_order=True)
        .with_columns(city_in.fill_null(False).alias("_in"))
    )
    filters = ", ".join(options.nuts)
    for inside, text in ((True, PLURALS["coarse_in"]), (False, PLURALS["coarse_out"])):
        part = found.filter(pl.col("_in") == inside)
        if part.height:
            shown = ", ".join(f"{n} ({c})" for n, c in part.select("name", "nutsCode").rows()[:8])
            if part.height > 8:
                shown = say(TEXTS["and_more"], shown=shown, more=count(part.height - 8))
            out.warnings.append(say_n(text, part.height, filters=filters, names=shown))
    return coarse & city_in.fill_null(False)


def _region_filter(
    projects: pl.DataFrame,
    orgs: pl.DataFrame,
    nuts: Sequence[str],
    counted_in: pl.Expr | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The projects to keep (the newest dump's copy of each) and their organisation rows."""
    projects = projects.unique(subset=["id"], keep="last", maintain_order=True)
    if nuts:
        code = pl.col("nutsCode").str.to_uppercase()
        in_region = pl.any_horizontal([code.str.starts_with(c) for c in nuts])
        if counted_in is not None:
            in_region = in_region | counted_in
        wanted = orgs.filter(in_region).select(_INPUT, pl.col("projectID").alias("id")).unique()
        projects = projects.join(wanted, on=[_INPUT, "id"], how="semi")
    keys = projects.select(_INPUT, pl.col("id").alias("projectID"))
    return projects, orgs.join(keys, on=[_INPUT, "projectID"], how="semi")


def _activities(projects: pl.DataFrame, rate: float) -> pl.DataFrame:
    total, maximum = _number("totalCost"), _number("ecMaxContribution")
    described = pl.concat_str(
        [
            pl.lit("CORDIS project ") + pl.col("id"),
            pl.col("fundingScheme"),
            pl.lit("status ") + pl.col("status"),
            pl.lit("total cost ") + total.round(2).cast(pl.String) + pl.lit(" EUR"),
            pl.lit("EU contribution up to ") + maximum.round(2).cast(pl.String) + pl.lit(" EUR"),
            pl.when(total.is_not_null()).then(pl.lit(f"converted at {rate:g} SEK per EUR")),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return projects.select(
        _INPUT,
        _ROW,
        (pl.lit("cordis-") + pl.col("id")).alias("activity_id"),
        pl.coalesce(
            pl.concat_str([pl.col("acronym"), pl.lit(" – "), pl.col("title")]),
            pl.col("title"),
        ).alias("name"),
        pl.lit("project").alias("kind"),
        pl.col("startDate").alias("start_date"),
        pl.col("endDate").alias("end_date"),
        (total * rate).round(2).alias("budget_sek"),
        pl.col("frameworkProgramme").alias("programme"),
        described.alias("description"),
        pl.col("_source").alias("source_id"),
    )


def _actors(orgs: pl.DataFrame, nuts_names: Mapping[str, str]) -> pl.DataFrame:
    """One actor per organisation: its row in the newest dump's last project that names it."""
    kind_type = pl.col("activityType").str.to_uppercase()
    geo = pl.col("geolocation").str.extract_groups(_GEO)
    lat = geo.struct.field("1").cast(pl.Float64, strict=False)
    lon = geo.struct.field("2").cast(pl.Float64, strict=False)
    on_earth = lat.is_between(-90, 90) & lon.is_between(-180, 180)
    nuts = pl.col("nutsCode").str.to_uppercase()
    place = pl.concat_str([pl.col("city"), pl.col("country")], separator=", ", ignore_nulls=True)
    return orgs.unique(subset=["organisationID"], keep="last", maintain_order=True).select(
        _INPUT,
        _ROW,
        "organisationID",
        "vatNumber",
        "country",
        (pl.lit("cordis-") + pl.col("organisationID")).alias("actor_id"),
        "name",
        kind_type.replace_strict(
            {k: v[0] for k, v in ACTIVITY_TYPES.items()}, default="other"
        ).alias("kind"),
        kind_type.replace_strict(
            {k: v[1] for k, v in ACTIVITY_TYPES.items()}, default=None, return_dtype=pl.String
        ).alias("helix"),
        pl.coalesce(nuts.replace(dict(nuts_names)), pl.col("country")).alias("region"),
        pl.when(on_earth).then(lat).alias("lat"),
        pl.when(on_earth).then(lon).alias("lon"),
        pl.col("organizationURL").alias("website"),
        pl.concat_str(
            [
                pl.lit("CORDIS organisation ") + pl.col("organisationID"),
                pl.lit("short name ") + pl.col("shortName"),
                pl.when(pl.col("SME").str.to_lowercase().is_in(["true", "yes", "1"])).then(
                    pl.lit("SME")
                ),
                place.replace("", None),
            ],
            separator="; ",
            ignore_nulls=True,
        ).alias("description"),
        pl.col("_source").alias("source_id"),
    )


def _aliases(actors: pl.DataFrame) -> pl.DataFrame:
    """Identifiers and the legal name of each organisation, so later imports find it again."""
    vat = pl.col("vatNumber").str.replace_all(r"[\s.\-]", "").str.to_uppercase()
    orgnr = vat.str.extract(r"^SE(\d{10})01$")
    forms = [
        pl.lit("cordis:") + pl.col("organisationID"),
        pl.col("name"),
        pl.lit("vat:") + vat,
        pl.concat_str([orgnr.str.slice(0, 6), pl.lit("-"), orgnr.str.slice(6, 4)]),
    ]
    named = actors.filter(pl.col("actor_id").is_not_null())
    return (
        pl.concat(
            [named.select(_INPUT, _ROW, "actor_id", "source_id", f.alias("alias")) for f in forms]
        )
        .filter(pl.col("alias").is_not_null())
        .unique(subset=["actor_id", "alias"], keep="first", maintain_order=True)
        .select(_INPUT, _ROW, "actor_id", "alias", "source_id")
    )


def _participations(orgs: pl.DataFrame, rate: float) -> pl.DataFrame:
    """One participation per organisation and project: lead if any of its rows is coordinator,
    contributions summed (an organisation registered twice in one project)."""
    role = pl.when(pl.col("role").str.to_lowercase() == "coordinator").then(pl.lit("lead"))
    contribution = _number("ecContribution") * rate
    return (
        orgs.with_columns(
            role.otherwise(pl.lit("partner")).alias("_role"), contribution.alias("_c")
        )
        .group_by("projectID", "organisationID", maintain_order=True)
        .agg(
            pl.col(_INPUT).first(),
            pl.col(_ROW).first(),
            pl.col("_source").first(),
            pl.when((pl.col("_role") == "lead").any())
            .then(pl.lit("lead"))
            .otherwise(pl.lit("partner"))
            .alias("role"),
            pl.when(pl.col("_c").is_not_null().any()).then(pl.col("_c").sum()).alias("_c"),
        )
        .select(
            _INPUT,
            _ROW,
            (pl.lit("cordis-") + pl.col("projectID")).alias("activity_id"),
            (pl.lit("cordis-") + pl.col("organisationID")).alias("actor_id"),
            "role",
            pl.col("_c").round(2).alias("contribution_sek"),
            pl.col("_source").alias("source_id"),
        )
    )


_LABELS = {
    "activities": {
        "activity_id": "id",
        "name": "title",
        "start_date": "startDate",
        "end_date": "endDate",
        "budget_sek": "totalCost",
        "programme": "frameworkProgramme",
    },
    "actors": {
        "actor_id": "organisationID",
        "kind": "activityType",
        "region": "nutsCode",
        "lat": "geolocation",
        "lon": "geolocation",
        "website": "organizationURL",
    },
    "participations": {
        "activity_id": "projectID",
        "actor_id": "organisationID",
        "contribution_sek": "ecContribution",
    },
    "actor_aliases": {"actor_id": "organisationID", "alias": "name"},
}


def read_cordis(
    paths: Sequence[Path],
    options: CordisOptions | None = None,
    progress: Callable[[str], None] | None = None,
    limits: ImportLimits | None = None,
) -> RawDataset:
    """Read CORDIS zips (or one project.csv + organization.csv pair) into raw tables.

    Parameters
    ----------
    paths:
        Zips as CORDIS publishes them, and/or the two CSV files of one dump.
    options:
        Region filter, exchange rate, NUTS region names (see ``CordisOptions``).
    progress:
        Called with a short message at each step.
    limits:
        The largest file (each zip member counts, unzipped) and the most rows per file.

    Returns
    -------
    RawDataset
        sources, activities, actors, participations and actor_aliases, each row labelled with the
        CORDIS file and row it came from, ready for ``graph.formats.validate.validate``.
    """
    options = options or CordisOptions()
    limits = limits or ImportLimits()
    tell = progress or (lambda _msg: None)
    out = RawDataset()
    parsed: list[tuple[_Input, pl.DataFrame, pl.DataFrame, dict[str, str | bool | None]]] = []
    for inp in _inputs(paths, limits, out):
        tell(say(TEXTS["reading"], file=inp.label))
        project_file, project_bytes = inp.files["project"]
        org_file, org_bytes = inp.files["organization"]
        projects = _parse(
            project_bytes, project_file, _PROJECT_COLUMNS, _PROJECT_REQUIRED, limits, out
        )
        orgs = _parse(org_bytes, org_file, _ORG_COLUMNS, _ORG_REQUIRED, limits, out)
        if projects is None or orgs is None:
            continue
        tell(
            say(
                TEXTS["read"],
                file=inp.label,
                projects=count(projects.height),
                orgs=count(orgs.height),
            )
        )
        parsed.append((inp, projects, orgs, _source(inp, projects, options)))
    if not parsed:
        return out
    files = {
        "projects": [inp.files["project"][0] for inp, *_ in parsed],
        "orgs": [inp.files["organization"][0] for inp, *_ in parsed],
        "sources": [inp.label for inp, *_ in parsed],
    }
    projects = pl.concat(
        [
            p.with_columns(pl.lit(i).alias(_INPUT), pl.lit(s["source_id"]).alias("_source"))
            for i, (_, p, _, s) in enumerate(parsed)
        ]
    )
    orgs = pl.concat(
        [
            o.with_columns(
                pl.lit(i).alias(_INPUT),
                pl.lit(s["source_id"]).alias("_source"),
                pl.col("nutsCode").str.to_uppercase(),
            )
            for i, (_, _, o, s) in enumerate(parsed)
        ]
    )
    all_orgs = orgs.height
    without = projects.join(
        orgs.select(_INPUT, pl.col("projectID").alias("id")).unique(), on=[_INPUT, "id"], how="anti"
    ).height
    if without == projects.height:
        out.warnings.append(say_n(PLURALS["no_org_rows"], projects.height))
    elif without and not options.nuts:
        out.warnings.append(say_n(PLURALS["some_without_orgs"], without))
    counted_in = _coarse_organisations(orgs, options, out) if options.nuts else None
    projects, orgs = _region_filter(projects, orgs, options.nuts, counted_in)
    if options.nuts:
        nuts = ", ".join(options.nuts)
        tell(
            say(
                TEXTS["kept"],
                projects=count(projects.height),
                nuts=nuts,
                orgs=count(orgs.height),
            )
        )
        if projects.height == 0:
            out.warnings.append(say(TEXTS["none_in_region"], nuts=nuts))
            return out
    elif orgs.height < all_orgs:
        out.warnings.append(say_n(PLURALS["skipped_orgs"], all_orgs - orgs.height))
    out.problems += _bad_numbers(projects, ["totalCost", "ecMaxContribution"], files["projects"])
    out.problems += _bad_numbers(orgs, ["ecContribution"], files["orgs"])
    actors = _actors(orgs, options.nuts_names)
    activities = _activities(projects, options.eur_sek)
    used = activities["source_id"].unique().implode()
    tables = {
        "sources": pl.DataFrame([{**s, _INPUT: i, _ROW: "-"} for i, (*_, s) in enumerate(parsed)])
        .unique(subset=["source_id"], keep="first", maintain_order=True)
        .filter(pl.col("source_id").is_in(used)),
        "activities": activities,
        "actors": actors.drop("organisationID", "vatNumber", "country"),
        "participations": _participations(orgs, options.eur_sek),
        "actor_aliases": _aliases(actors),
    }
    file_of = {
        "sources": files["sources"],
        "activities": files["projects"],
        "actors": files["orgs"],
        "participations": files["orgs"],
        "actor_aliases": files["orgs"],
    }
    for table, frame in tables.items():
        for i in range(len(parsed)):
            part = frame.filter(pl.col(_INPUT) == i)
            if part.height == 0:
                continue
            tbl, problems, warnings = raw_table(
                table,
                part.drop(_INPUT, _ROW),
                file_of[table][i],
                rows=part[_ROW],
                labels=_LABELS.get(table),
            )
            out.tables.append(tbl)
            out.problems += problems
            out.warnings += warnings
    tell(
        say(
            TEXTS["done"],
            projects=count(tables["activities"].height),
            orgs=count(actors.height),
            participations=count(tables["participations"].height),
        )
    )
    return out
