"""Match imported actors to the actors the database already knows, so that an overlapping file or
a newer dump adds ties to the known actor instead of creating a duplicate.

Every importer goes through it (``graph.formats.ingest.import_paths`` calls ``match_actors`` between
validation and writing): our CSV/Excel/Parquet tables, Kumu, GEXF/GraphML/JSON and CORDIS. Only
incoming actors whose id the database does not hold are matched, in three steps:

1. **Identifier** — the incoming id, or one of its identifier aliases (``scheme:value`` such as
   ``cordis:999875431`` or ``vat:SE232100021401``, or a Swedish organisation number
   ``232100-0214``), is an alias of a known actor: confident.
2. **Same name** — the normalised name (``normalise_names``) or a normalised name alias equals the
   normalised name or an alias of a known actor. Confident when exactly one such actor is
   compatible: the same helix (or either actor is of kind ``other`` or has no helix) and the
   same municipality (or either is unknown). A region may differ: organisations register at one
   site and work at several. Equal names of another kind or municipality, or of several known
   actors, are uncertain.
3. **Similar name** — difflib similarity of the sorted words ≥ ``SIMILARITY`` (0.85), or the
   words of one name contain all words of the other (at least two words or eight letters):
   uncertain.

A confident match is applied to the import: every reference is rewritten to the known id and the
incoming name becomes one of its aliases. The known actor's row is not changed: its source vouches
for each of its columns, so a website or coordinates from another file would be attributed to a
source that never stated them (the facts stay in that file's own rows: participations, aliases).
Only an unsourced known actor (its rows came from a file that named no source, ``sources.auto``)
gets its empty columns filled from the incoming row. An uncertain match
is never merged: the incoming actor is imported as a new actor and the pair is recorded in
``match_candidates`` for ``ecograph actors review`` (see ``graph.curation.merge``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Protocol

import duckdb
import polars as pl

from graph.i18n import N_, display_name, translator
from graph.store.database import read_table, run
from graph.store.tables import FILE_COL, ROLE_PRIORITY, ROW_COL

__all__ = [
    "CANDIDATE_COLUMNS",
    "IDENTIFIER_PATTERN",
    "LEGAL_FORMS",
    "SIMILARITY",
    "MatchResult",
    "apply_matches",
    "find_matches",
    "match_actors",
    "name_key",
    "normalise_name",
    "normalise_names",
    "reason_text",
    "record_candidates",
]

# Why two actors were matched: recorded in English (``match_candidates.reason``, data) and shown
# in the language of the reader by ``reason_text``, which reads the recorded sentence back.
REASONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"identifier (?P<key>.+) of several actors"),
        N_("identifier {key} of several actors"),
    ),
    (re.compile(r"identifier (?P<key>.+)"), N_("identifier {key}")),
    (re.compile(r"same name '(?P<name>.*)'"), N_("same name '{name}'")),
    (re.compile(r"similar name \((?P<score>[\d.]+)\)"), N_("similar name ({score})")),
    (re.compile(r"one name contains the other"), N_("one name contains the other")),
    (
        re.compile(r"same name, but in (?P<here>.+) here and (?P<there>.+) there"),
        N_("same name, but in {here} here and {there} there"),
    ),
    (
        re.compile(r"same name, but (?P<here>.+) here and (?P<there>.+) there"),
        N_("same name, but {here} here and {there} there"),
    ),
    (re.compile(r"same name as (?P<n>\d+) known actors"), N_("same name as {n} known actors")),
]
TEXTS = {
    "relation_loops": N_("{n} relations joined two names of one actor and were dropped"),
    "wanted_loops": N_("{n} wanted ties joined two names of one actor and were dropped"),
}


class Validated(Protocol):
    """What matching needs of a validated import (``graph.formats.validate.Validated`` is one):
    the typed frames per table and the columns each table's files gave. A protocol, so that
    curation does not import the formats part that calls it."""

    tables: dict[str, pl.DataFrame]
    present: dict[str, list[str]]


SIMILARITY = 0.85
# Words that say what legal form an organisation has, not which one it is: removed before names
# are compared ("Mid Sweden Science Park AB" = "MID SWEDEN SCIENCE PARK"). Written as normalised
# text (lower case, no accents, no punctuation), longest first.
LEGAL_FORMS: tuple[str, ...] = (
    "ekonomisk forening",
    "ideell forening",
    "aktiebolag",
    "stiftelsen",
    "stiftelse",
    "limited",
    "ek for",
    "gmbh",
    "publ",
    "ltd",
    "oyj",
    "asa",
    "srl",
    "inc",
    "plc",
    "llc",
    "aps",
    "ab",
    "hb",
    "kb",
    "oy",
    "as",
    "sa",
    "bv",
    "nv",
    "ag",
)
# scheme:value (cordis:999875431, vat:SE232100021401, a URL) or a Swedish organisation number.
IDENTIFIER_PATTERN = r"^(?:[A-Za-z][A-Za-z0-9_+.-]*:\S+|\d{6}-\d{4})$"
CANDIDATE_COLUMNS = (
    "incoming_id",
    "incoming_name",
    "candidate_id",
    "candidate_name",
    "score",
    "reason",
    "source_id",
)
_LEGAL_RE = r"\b(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r")\b"
# Letters that Unicode does not decompose into a base letter and an accent.
_EXTRA_FOLDS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ı": "i",
    "ł": "l",
    "ŋ": "n",
    "ŧ": "t",
    "þ": "th",
}
_COMMON_TOKEN = 50  # a word in more known names than this does not block candidate pairs
_MAX_CANDIDATES = 3


def _fold_table() -> dict[str, str]:
    """Lower-case Latin letters with accents → their base letters (å ä ö → a a o, á č ž → a c z)."""
    table = dict(_EXTRA_FOLDS)
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char != char.lower() or char in table:
            continue
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        if base and base != char:
            table[char] = base
    return table


_FOLDS = _fold_table()


def name_key(expr: pl.Expr) -> pl.Expr:
    """A name as it is compared (the expression form of ``normalise_names``)."""
    words = (
        expr.str.to_lowercase()
        .str.replace_all(r"\p{M}", "")
        .str.replace_many(list(_FOLDS), list(_FOLDS.values()))
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
    )
    stripped = words.str.replace_all(_LEGAL_RE, " ").str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(stripped == "").then(words.str.strip_chars()).otherwise(stripped)


def normalise_names(names: pl.Series) -> pl.Series:
    """Names as they are compared: lower case, accents folded (``å ä ö`` → ``a a o``: CORDIS and
    older registers often write Swedish names without them), punctuation to spaces, legal forms
    (``LEGAL_FORMS``: AB, Stiftelsen, GmbH, …) removed, spaces collapsed. A name that is nothing
    but a legal form keeps it. Vectorised.

    Examples
    --------
    >>> names = pl.Series(["MITTUNIVERSITETET", "Åre Företag AB", "Stiftelsen SVID"])
    >>> normalise_names(names).to_list()
    ['mittuniversitetet', 'are foretag', 'svid']
    """
    return names.to_frame("name").select(name_key(pl.col("name")))["name"]


def normalise_name(name: str) -> str:
    """One name as ``normalise_names`` compares it: ``"MID SWEDEN SCIENCE PARK AB"`` →
    ``"mid sweden science park"``."""
    return str(normalise_names(pl.Series([name], dtype=pl.String))[0])


@dataclass
class MatchResult:
    """What matching found for one import.

    ``mapped``: incoming_id, incoming_name, actor_id, actor_name, reason — confident matches,
    applied. ``candidates``: ``CANDIDATE_COLUMNS`` — uncertain matches, for review.
    """

    mapped: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema=dict.fromkeys(
                ("incoming_id", "incoming_name", "actor_id", "actor_name", "reason"), pl.String
            )
        )
    )
    candidates: pl.DataFrame = field(default_factory=lambda: _empty_candidates())
    warnings: list[str] = field(default_factory=list)


def _empty_candidates() -> pl.DataFrame:
    schema: dict[str, type[pl.DataType]] = dict.fromkeys(CANDIDATE_COLUMNS, pl.String)
    schema["score"] = pl.Float64
    return pl.DataFrame(schema=schema)


def _identifiers(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.filter(pl.col(column).str.contains(IDENTIFIER_PATTERN))


def _names(actors: pl.DataFrame, aliases: pl.DataFrame, id_col: str) -> pl.DataFrame:
    """(id, key, text): each actor's normalised name and name aliases, one row per distinct key."""
    texts = pl.concat(
        [
            actors.select(pl.col("actor_id").alias(id_col), pl.col("name").alias("text")),
            aliases.filter(~pl.col("alias").str.contains(IDENTIFIER_PATTERN)).select(
                pl.col("actor_id").alias(id_col), pl.col("alias").alias("text")
            ),
        ]
    )
    return (
        texts.with_columns(name_key(pl.col("text")).alias("key"))
        .filter(pl.col("key").is_not_null() & (pl.col("key") != ""))
        .unique(subset=[id_col, "key"], keep="first", maintain_order=True)
    )


def _compatible() -> pl.Expr:
    """Two actors that may be one: kinds of one helix (or unknown), municipalities equal (or
    unknown). Columns: kind/helix/municipality and the same with a ``_k`` suffix."""
    same_helix = (
        (pl.col("kind") == "other")
        | (pl.col("kind_k") == "other")
        | pl.col("helix").is_null()
        | pl.col("helix_k").is_null()
        | (pl.col("helix") == pl.col("helix_k"))
    )
    same_place = (
        pl.col("municipality").is_null()
        | pl.col("municipality_k").is_null()
        | (pl.col("municipality").str.to_lowercase() == pl.col("municipality_k").str.to_lowercase())
    )
    return same_helix & same_place


def reason_text(reason: str, lang: str | None = None) -> str:
    """A recorded match reason in ``lang`` (None: the language of the work in hand); a reason
    of another form is shown as it was recorded.

    >>> reason_text("same name, but company here and cluster there", "sv")
    'samma namn, men Företag här och Kluster där'
    """
    t = translator(lang)
    for pattern, message in REASONS:
        found = pattern.fullmatch(reason)
        if found is None:
            continue
        fields = found.groupdict()
        if "score" in fields:
            fields["score"] = t.number(float(fields["score"]))
        if message == REASONS[-2][1]:  # the two actors' kinds, by their display names
            fields = {k: display_name("actor_kind", v, t.lang) for k, v in fields.items()}
        return t.gettext(message).format(**fields)
    return reason


def _why_not(n_known: pl.Expr) -> pl.Expr:
    """Why an equal name is only a candidate."""
    kinds = (
        pl.lit("same name, but ")
        + pl.col("kind")
        + pl.lit(" here and ")
        + pl.col("kind_k")
        + pl.lit(" there")
    )
    places = (
        pl.lit("same name, but in ")
        + pl.col("municipality")
        + pl.lit(" here and ")
        + pl.col("municipality_k")
        + pl.lit(" there")
    )
    several = pl.lit("same name as ") + n_known.cast(pl.String) + pl.lit(" known actors")
    return (
        pl.when(n_known > 1)
        .then(several)
        .when(pl.col("municipality").is_not_null() & pl.col("municipality_k").is_not_null())
        .then(pl.coalesce(places, kinds))
        .otherwise(kinds)
    )


def _blocks(keys: pl.DataFrame) -> pl.DataFrame:
    """(key, block): each word of two letters or more, and the first four letters."""
    words = (
        keys.select("key", pl.col("key").str.split(" ").alias("block"))
        .explode("block")
        .filter(pl.col("block").str.len_chars() >= 2)
    )
    prefixes = keys.select("key", (pl.lit("^") + pl.col("key").str.slice(0, 4)).alias("block"))
    return pl.concat([words, prefixes]).unique()


def _similar_keys(incoming: pl.Series, known: pl.Series) -> pl.DataFrame:
    """Pairs of distinct normalised names (key, key_k) that may be alike: they share a rare word
    or their first four letters, and their lengths allow a similarity of ``SIMILARITY`` (or the
    words of one contain the other's). Only these pairs are scored.

    A block shared by more than ``_COMMON_TOKEN`` known names ("kommun", "university", "^regi")
    pairs nothing, which keeps the pairs few: 10^5 incoming × 10^4 known names take seconds.
    """
    known_blocks = _blocks(known.to_frame("key"))
    rare = (
        known_blocks.group_by("block")
        .agg(pl.len().alias("n"))
        .filter(pl.col("n") <= _COMMON_TOKEN)
        .select("block")
    )
    pairs = (
        _blocks(incoming.to_frame("key"))
        .join(rare, on="block", how="semi")
        .join(known_blocks.rename({"key": "key_k"}), on="block")
        .select("key", "key_k")
        .unique()
        .filter(pl.col("key") != pl.col("key_k"))
    )
    len_a, len_b = pl.col("key").str.len_chars(), pl.col("key_k").str.len_chars()
    words_a, words_b = pl.col("key").str.split(" "), pl.col("key_k").str.split(" ")
    contained = (words_a.list.set_difference(words_b).list.len() == 0) | (
        words_b.list.set_difference(words_a).list.len() == 0
    )
    shorter = pl.when(len_a < len_b).then(pl.col("key")).otherwise(pl.col("key_k"))
    long_enough = (shorter.str.count_matches(" ") >= 1) | (shorter.str.len_chars() >= 8)
    length_ratio = 2 * pl.min_horizontal(len_a, len_b) / (len_a + len_b)
    return (
        pairs.with_columns(length_ratio.alias("length_ratio"))
        .with_columns((contained & long_enough).alias("contained"))
        .filter(pl.col("contained") | (pl.col("length_ratio") >= SIMILARITY))
    )


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split(" ")))


def _score(pairs: pl.DataFrame) -> pl.DataFrame:
    """Score each pair and keep the alike: a name whose words contain the other's scores the
    share of letters they have in common (2 × shorter / both); any other pair the difflib ratio
    of the sorted words, kept from ``SIMILARITY`` up."""
    loose = pairs.filter(~pl.col("contained"))
    scores: list[float] = []
    for a, b in loose.select("key", "key_k").iter_rows():
        matcher = SequenceMatcher(None, _sorted_words(a), _sorted_words(b), autojunk=False)
        # the quick ratios are upper bounds of ratio(): most pairs stop there
        if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
            scores.append(0.0)
        else:
            scores.append(round(matcher.ratio(), 3))
    similar = (
        loose.with_columns(pl.Series("score", scores, dtype=pl.Float64))
        .filter(pl.col("score") >= SIMILARITY)
        .with_columns(
            (pl.lit("similar name (") + pl.col("score").cast(pl.String) + pl.lit(")")).alias(
                "reason"
            )
        )
    )
    contains = pairs.filter(pl.col("contained")).with_columns(
        pl.col("length_ratio").round(3).alias("score"),
        pl.lit("one name contains the other").alias("reason"),
    )
    return pl.concat([similar, contains]).select("key", "key_k", "score", "reason")


def find_matches(
    incoming: pl.DataFrame,
    incoming_aliases: pl.DataFrame | None,
    known: pl.DataFrame,
    known_aliases: pl.DataFrame,
) -> MatchResult:
    """Match incoming actors to known ones (see the module docstring for the rules).

    Parameters
    ----------
    incoming, known:
        Actor frames with actor_id, name, kind, helix, municipality (and source_id for
        incoming). Incoming actors whose id is known are not matched: they update that actor.
    incoming_aliases, known_aliases:
        actor_id, alias.

    Returns
    -------
    MatchResult
        The confident matches (``mapped``) and the uncertain ones (``candidates``).

    Examples
    --------
    >>> known = pl.DataFrame({"actor_id": ["miun"], "name": ["Mittuniversitetet"],
    ...     "kind": ["academia"], "helix": ["academia"], "municipality": ["Östersund"]})
    >>> new = pl.DataFrame({"actor_id": ["cordis-1"], "name": ["MITTUNIVERSITETET"],
    ...     "kind": ["academia"], "helix": ["academia"], "municipality": [None],
    ...     "source_id": ["s"]})
    >>> aliases = pl.DataFrame(schema={"actor_id": pl.String, "alias": pl.String})
    >>> find_matches(new, None, known, aliases).mapped["actor_id"].to_list()
    ['miun']
    """
    result = MatchResult()
    columns = ("actor_id", "name", "kind", "helix", "municipality")
    inc = _with_columns(incoming, (*columns, "source_id")).unique(
        subset=["actor_id"], keep="first", maintain_order=True
    )
    inc = inc.filter(
        pl.col("actor_id").is_not_null() & ~pl.col("actor_id").is_in(known["actor_id"].implode())
    )
    if inc.height == 0 or known.height == 0:
        return result
    known = _with_columns(known, columns)
    alias_schema = {"actor_id": pl.String, "alias": pl.String}
    inc_aliases = (
        incoming_aliases.select("actor_id", "alias")
        if incoming_aliases is not None
        else pl.DataFrame(schema=alias_schema)
    ).join(inc.select("actor_id"), on="actor_id", how="semi")
    known_aliases = known_aliases.select("actor_id", "alias")
    known_cols = known.select(
        pl.col("actor_id").alias("candidate_id"),
        pl.col("name").alias("candidate_name"),
        pl.col("kind").alias("kind_k"),
        pl.col("helix").alias("helix_k"),
        pl.col("municipality").alias("municipality_k"),
    )
    inc_cols = inc.select(
        pl.col("actor_id").alias("incoming_id"),
        pl.col("name").alias("incoming_name"),
        "kind",
        "helix",
        "municipality",
        "source_id",
    )
    mapped: list[pl.DataFrame] = []
    candidates: list[pl.DataFrame] = []

    # 1. identifiers
    keys = pl.concat(
        [
            inc.select(pl.col("actor_id").alias("incoming_id"), pl.col("actor_id").alias("key")),
            _identifiers(inc_aliases, "alias").select(
                pl.col("actor_id").alias("incoming_id"), pl.col("alias").alias("key")
            ),
        ]
    )
    hits = (
        keys.join(
            known_aliases.select(
                pl.col("alias").alias("key"), pl.col("actor_id").alias("candidate_id")
            ),
            on="key",
        )
        .unique(subset=["incoming_id", "candidate_id"], keep="first", maintain_order=True)
        .with_columns(pl.len().over("incoming_id").alias("n"))
        .join(inc_cols, on="incoming_id")
        .join(known_cols, on="candidate_id")
    )
    mapped.append(
        hits.filter(pl.col("n") == 1).select(
            "incoming_id",
            "incoming_name",
            pl.col("candidate_id").alias("actor_id"),
            pl.col("candidate_name").alias("actor_name"),
            (pl.lit("identifier ") + pl.col("key")).alias("reason"),
        )
    )
    candidates.append(
        hits.filter(pl.col("n") > 1).with_columns(
            pl.lit(1.0).alias("score"),
            (pl.lit("identifier ") + pl.col("key") + pl.lit(" of several actors")).alias("reason"),
        )
    )
    settled = hits.select("incoming_id").unique()

    # 2. equal normalised names
    rest = inc.join(settled, left_on="actor_id", right_on="incoming_id", how="anti")
    inc_names = _names(rest, inc_aliases.join(rest, on="actor_id", how="semi"), "incoming_id")
    known_names = _names(known, known_aliases, "candidate_id")
    equal = (
        inc_names.join(known_names.select("candidate_id", "key"), on="key")
        .unique(subset=["incoming_id", "candidate_id"], keep="first", maintain_order=True)
        .join(inc_cols, on="incoming_id")
        .join(known_cols, on="candidate_id")
        .with_columns(_compatible().alias("ok"))
        .with_columns(
            pl.len().over("incoming_id").alias("n"),
            pl.col("ok").sum().over("incoming_id").alias("n_ok"),
        )
    )
    confident = pl.col("ok") & (pl.col("n_ok") == 1)
    mapped.append(
        equal.filter(confident).select(
            "incoming_id",
            "incoming_name",
            pl.col("candidate_id").alias("actor_id"),
            pl.col("candidate_name").alias("actor_name"),
            (pl.lit("same name '") + pl.col("key") + pl.lit("'")).alias("reason"),
        )
    )
    unsure = equal.filter(pl.col("n_ok") != 1)
    candidates.append(
        unsure.with_columns(pl.lit(1.0).alias("score"), _why_not(pl.col("n")).alias("reason"))
    )
    settled = pl.concat([settled, equal.select("incoming_id").unique()])

    # 3. similar names, scored once per distinct pair of names
    rest_names = inc_names.join(settled, on="incoming_id", how="anti")
    if rest_names.height:
        scored = _score(_similar_keys(rest_names["key"].unique(), known_names["key"].unique()))
        candidates.append(
            rest_names.select("incoming_id", "key")
            .join(scored, on="key")
            .join(known_names.select("candidate_id", pl.col("key").alias("key_k")), on="key_k")
            .join(inc_cols, on="incoming_id")
            .join(known_cols, on="candidate_id")
        )

    result.mapped = pl.concat(mapped, how="vertical_relaxed").unique(
        subset=["incoming_id"], keep="first", maintain_order=True
    )
    found = pl.concat([c.select(*CANDIDATE_COLUMNS) for c in candidates], how="vertical_relaxed")
    result.candidates = (
        found.sort(["incoming_id", "score", "candidate_id"], descending=[False, True, False])
        .unique(subset=["incoming_id", "candidate_id"], keep="first", maintain_order=True)
        .filter(pl.int_range(pl.len()).over("incoming_id") < _MAX_CANDIDATES)
    )
    return result


def _with_columns(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """``frame`` restricted to ``columns`` as text, a missing column as nulls."""
    return frame.select(
        [
            pl.col(c).cast(pl.String) if c in frame.columns else pl.lit(None, pl.String).alias(c)
            for c in columns
        ]
    )


def _swap(column: str, ids: dict[str, str]) -> pl.Expr:
    return pl.col(column).replace(ids)


def _collapse_participations(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per (activity, actor): the strongest role (``ROLE_PRIORITY``), contributions
    summed — two registrations of one organisation in one project become one participation."""
    key = ["activity_id", "actor_id"]
    if not frame.select(pl.struct(key).is_duplicated().any()).item():
        return frame
    rank = {role: i for i, role in enumerate(ROLE_PRIORITY)}
    ordered = frame.with_columns(
        pl.col("role").replace_strict(rank, default=len(rank), return_dtype=pl.Int64).alias("_rank")
        if "role" in frame.columns
        else pl.lit(0).alias("_rank")
    ).sort("_rank", maintain_order=True)
    others = [c for c in frame.columns if c not in (*key, "contribution_sek")]
    aggs = [pl.col(c).first() for c in others]
    if "contribution_sek" in frame.columns:
        c = pl.col("contribution_sek")
        aggs.append(pl.when(c.is_not_null().any()).then(c.sum()).alias("contribution_sek"))
    return ordered.group_by(key, maintain_order=True).agg(aggs).select(frame.columns)


def apply_matches(
    checked: Validated,
    mapped: pl.DataFrame,
    known: pl.DataFrame,
    unsourced: pl.Series | None = None,
) -> list[str]:
    """Rewrite a validated import so that matched incoming actors become the known ones.

    Every reference (participations, relations, wanted ties, actor areas, aliases) moves to the
    known id, the
    incoming name becomes an alias, and ties that now join an actor to itself are dropped. The
    known actor's row stays as it is, except that a known actor whose source is one of
    ``unsourced`` (auto sources) gets its empty columns filled (lat/lon only as a pair). Returns
    warnings about what was dropped.
    """
    if mapped.height == 0:
        return []
    ids = dict(zip(mapped["incoming_id"], mapped["actor_id"], strict=True))
    warnings: list[str] = []
    tables = checked.tables
    actors = tables["actors"]
    is_mapped = pl.col("actor_id").is_in(list(ids))
    kept = actors.filter(~is_mapped)
    moved = (
        actors.filter(is_mapped)
        .with_columns(_swap("actor_id", ids).alias("_target"))
        .unique(subset=["_target"], keep="first", maintain_order=True)
        .filter(~pl.col("_target").is_in(kept["actor_id"].implode()))
    )
    known_rows = known.filter(pl.col("actor_id").is_in(moved["_target"].implode()))
    joined = moved.join(
        known_rows.rename({c: f"{c}_k" for c in known_rows.columns}),
        left_on="_target",
        right_on="actor_id_k",
    )
    may_fill = pl.col("source_id_k").is_in(
        (unsourced if unsourced is not None else pl.Series([], dtype=pl.String)).implode()
    )
    no_place = may_fill & pl.col("lat_k").is_null() & pl.col("lon_k").is_null()
    filled = []
    for c in actors.columns:
        if c in (FILE_COL, ROW_COL):
            filled.append(pl.col(c))
        elif c == "actor_id":
            filled.append(pl.col("_target").alias(c))
        elif c in ("name", "kind", "source_id"):
            filled.append(pl.col(f"{c}_k").alias(c))
        elif c in ("lat", "lon"):
            filled.append(pl.when(no_place).then(pl.col(c)).otherwise(pl.col(f"{c}_k")).alias(c))
        else:
            value = pl.coalesce(pl.col(f"{c}_k"), pl.col(c))
            filled.append(pl.when(may_fill).then(value).otherwise(pl.col(f"{c}_k")).alias(c))
    tables["actors"] = pl.concat([kept, joined.select(filled)], how="vertical_relaxed")

    if "participations" in tables:
        tables["participations"] = _collapse_participations(
            tables["participations"].with_columns(_swap("actor_id", ids))
        )
    if "relations" in tables:
        rel = tables["relations"].with_columns(_swap("from_actor", ids), _swap("to_actor", ids))
        loops = rel.filter(pl.col("from_actor") == pl.col("to_actor"))
        if loops.height:
            warnings.append(translator().gettext(TEXTS["relation_loops"]).format(n=loops.height))
        tables["relations"] = rel.filter(pl.col("from_actor") != pl.col("to_actor"))
    if "wanted_ties" in tables:
        wanted = tables["wanted_ties"].with_columns(
            _swap("from_actor", ids), _swap("to_actor", ids)
        )
        loops = wanted.filter(pl.col("from_actor") == pl.col("to_actor"))
        if loops.height:
            warnings.append(translator().gettext(TEXTS["wanted_loops"]).format(n=loops.height))
        tables["wanted_ties"] = wanted.filter(pl.col("from_actor") != pl.col("to_actor"))
    if "actor_areas" in tables:
        tables["actor_areas"] = (
            tables["actor_areas"]
            .with_columns(_swap("actor_id", ids))
            .unique(subset=["actor_id", "area_id"], keep="first", maintain_order=True)
        )
    names = (
        actors.filter(is_mapped)
        .with_columns(_swap("actor_id", ids))
        .join(known.select("actor_id", pl.col("name").alias("_known")), on="actor_id")
        .filter(pl.col("name") != pl.col("_known"))
        .select("actor_id", pl.col("name").alias("alias"), "source_id", FILE_COL, ROW_COL)
    )
    aliases = tables.get("actor_aliases")
    if aliases is None:
        checked.present["actor_aliases"] = ["actor_id", "alias", "source_id"]
        aliases = names.head(0)
    tables["actor_aliases"] = pl.concat(
        [aliases.with_columns(_swap("actor_id", ids)), names], how="diagonal_relaxed"
    ).unique(subset=["actor_id", "alias"], keep="first", maintain_order=True)
    return warnings


def match_actors(checked: Validated, con: duckdb.DuckDBPyConnection) -> MatchResult:
    """Match the actors of a validated import to the database's and apply the confident matches
    to ``checked`` (in place). The uncertain ones are returned for ``record_candidates``."""
    if "actors" not in checked.tables:
        return MatchResult()
    known = read_table(con, "actors")
    result = find_matches(
        checked.tables["actors"],
        checked.tables.get("actor_aliases"),
        known,
        read_table(con, "actor_aliases"),
    )
    unsourced = con.sql("SELECT source_id FROM sources WHERE auto").pl()["source_id"]
    result.warnings = apply_matches(checked, result.mapped, known, unsourced)
    return result


def record_candidates(con: duckdb.DuckDBPyConnection, candidates: pl.DataFrame) -> int:
    """Store uncertain matches for review (inside the import's transaction). A pair already
    recorded — pending or dismissed — is left as it is. Returns the number of new pairs."""
    if candidates.height == 0:
        return 0
    now = datetime.now(UTC).replace(tzinfo=None)
    frame = candidates.select(*CANDIDATE_COLUMNS)
    con.register("_candidates", frame)
    try:
        before = run(con, "SELECT count(*) FROM match_candidates")[0][0]
        run(
            con,
            "INSERT INTO match_candidates (incoming_id, incoming_name, candidate_id, "
            "candidate_name, score, reason, source_id, created_at) "
            "SELECT incoming_id, incoming_name, candidate_id, candidate_name, score, reason, "
            "source_id, ? FROM _candidates ON CONFLICT DO NOTHING",
            [now],
        )
        after = run(con, "SELECT count(*) FROM match_candidates")[0][0]
    finally:
        con.unregister("_candidates")
    return int(after - before)
