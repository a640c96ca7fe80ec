"""Approval: queued answers become sourced relations and wanted ties, as one import.

The answers are turned into the tables an import file would hold — new organisations as actors
(with provisional ids), ties as relations, wanted ties as ``wanted_ties`` rows, all sourced to the
lab — and go through ``graph.formats.ingest.import_frames`` with matching: the same validation,
the same actor matching (a participant's "MITTUNIVERSITETET" becomes the known Mid Sweden
University, and the name an alias), the same single transaction and integrity check. Ids are
derived from the receipt, so approving the same answers twice changes nothing.

The moderator's view of the queue (``review``) runs the same matching without writing, so each
organisation shows whether it is a known actor, an uncertain match or a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from graph.curation.matching import find_matches, normalise_name
from graph.formats.ingest import ImportReport, import_frames
from graph.formats.rawdata import slugify
from graph.i18n import N_, NC_, translator
from graph.labs.lab import sync_directory
from graph.labs.queue import Lab, QueuedSubmission, decide, find_lab, list_submissions
from graph.labs.submission import STRENGTH_WEIGHTS, TIE_KINDS, Organisation, Submission
from graph.store.database import read_table

__all__ = ["TEXTS", "Approval", "approve", "reject", "review", "submission_frames"]

# The descriptions are written into the database in the language of the moderator who
# approves; the match labels are shown on the moderation page.
TEXTS = {
    "tie_description": N_("Stated at {lab}: {how}, {often}."),
    "new_actor": N_("Named by a participant of {lab}."),
    "match_known": N_("known actor"),
    "match_uncertain": N_("uncertain: like {names}"),
    "match_new": N_("new organisation"),
}
HOW_TEXTS = {
    "project": NC_("lab tie kind", "in a project"),
    "advice": NC_("lab tie kind", "advice"),
    "funding": NC_("lab tie kind", "funding"),
    "membership": NC_("lab tie kind", "membership"),
    "other": NC_("lab tie kind", "other"),
}
OFTEN_TEXTS = {
    "now_and_then": NC_("lab tie strength", "now and then"),
    "regularly": NC_("lab tie strength", "regularly"),
    "core": NC_("lab tie strength", "core partner"),
}


def _say(key: str, **values: object) -> str:
    return translator().gettext(TEXTS[key]).format(**values)


@dataclass(frozen=True)
class Approval:
    """What one approval wrote."""

    receipts: tuple[str, ...]
    ties: int
    wanted: int
    report: ImportReport


def _provisional_id(lab: Lab, org: Organisation) -> str:
    """A new organisation's id: stable per lab and name, never a known actor's id."""
    return f"lab-{lab.code.lower()}-{slugify(normalise_name(org.name))}"


def _since(value: str | None) -> str | None:
    if not value:
        return None
    return value if len(value) == 10 else f"{value}-01-01"


def submission_frames(
    lab: Lab, queued: Sequence[QueuedSubmission], known_ids: set[str]
) -> dict[str, pl.DataFrame]:
    """The import tables of a batch of approved answers (ties the moderator rejected left out)."""
    actors: dict[str, dict[str, str | None]] = {}

    def actor(org: Organisation) -> str:
        if org.actor_id:
            return org.actor_id
        actor_id = _provisional_id(lab, org)
        if actor_id not in known_ids and actor_id not in actors:
            actors[actor_id] = {
                "actor_id": actor_id,
                "name": org.name,
                "kind": org.kind or "other",
                "municipality": org.municipality,
                "description": _say("new_actor", lab=lab.name),
                "source_id": lab.source_id,
            }
        return actor_id

    t = translator()
    relations: list[dict[str, object]] = []
    wanted: list[dict[str, object]] = []
    for q in queued:
        sub: Submission = q.submission
        me = actor(sub.organisation)
        for i, tie in enumerate(sub.ties, start=1):
            if i in q.rejected_ties:
                continue
            relations.append(
                {
                    "relation_id": f"lab-{lab.code.lower()}-{q.receipt.lower()}-{i}",
                    "from_actor": me,
                    "to_actor": actor(tie.partner),
                    "kind": TIE_KINDS[tie.kind],
                    "start_date": _since(tie.since),
                    "weight": STRENGTH_WEIGHTS[tie.strength],
                    "description": _say(
                        "tie_description",
                        lab=lab.name,
                        how=t.pgettext("lab tie kind", HOW_TEXTS[tie.kind]),
                        often=t.pgettext("lab tie strength", OFTEN_TEXTS[tie.strength]),
                    ),
                    "source_id": lab.source_id,
                }
            )
        for i, want in enumerate(sub.wanted, start=1):
            wanted.append(
                {
                    "wanted_id": f"lab-{lab.code.lower()}-{q.receipt.lower()}-w{i}",
                    "activity_id": lab.activity_id,
                    "from_actor": me,
                    "to_actor": actor(want.partner),
                    "obstacle": want.obstacle,
                    "source_id": lab.source_id,
                }
            )
    text = pl.String
    tables: dict[str, pl.DataFrame] = {}
    if actors:
        tables["actors"] = pl.DataFrame(
            list(actors.values()),
            schema=dict.fromkeys(
                ("actor_id", "name", "kind", "municipality", "description", "source_id"), text
            ),
        )
    if relations:
        tables["relations"] = pl.DataFrame(
            relations,
            schema={
                "relation_id": text,
                "from_actor": text,
                "to_actor": text,
                "kind": text,
                "start_date": text,
                "weight": pl.Float64,
                "description": text,
                "source_id": text,
            },
        )
    if wanted:
        tables["wanted_ties"] = pl.DataFrame(
            wanted,
            schema=dict.fromkeys(
                ("wanted_id", "activity_id", "from_actor", "to_actor", "obstacle", "source_id"),
                text,
            ),
        )
    return tables


def approve(
    con: duckdb.DuckDBPyConnection,
    queue: sqlite3.Connection,
    code: str,
    receipts: Sequence[str] | None = None,
) -> Approval:
    """Approve pending answers (``receipts``, or all pending ones when None): write them into
    the database as one import, then mark them approved in the queue.

    Raises ``ImportValidationError`` (nothing written, nothing marked) when the answers do not
    pass the import's checks. A crash between the database's commit and the queue's mark leaves
    them pending; approving again writes nothing new (the ids are the receipts').
    """
    lab = find_lab(queue, code)
    batch = [
        q for q in list_submissions(queue, lab.code, receipts=receipts) if q.status == "pending"
    ]
    if not batch:
        return Approval((), 0, 0, ImportReport())
    known_ids = {r[0] for r in con.execute("SELECT actor_id FROM actors").fetchall()}
    tables = submission_frames(lab, batch, known_ids)
    report = (
        import_frames(con, tables, label=f"lab {lab.code}", match=True)
        if tables
        else (ImportReport())
    )
    decide(
        queue,
        lab.code,
        [q.receipt for q in batch],
        "approved",
        versions={q.receipt: q.version for q in batch},
        rejected_ties={q.receipt: q.rejected_ties for q in batch},
    )
    sync_directory(con, queue)
    return Approval(
        tuple(q.receipt for q in batch),
        tables["relations"].height if "relations" in tables else 0,
        tables["wanted_ties"].height if "wanted_ties" in tables else 0,
        report,
    )


def reject(
    queue: sqlite3.Connection, code: str, items: Sequence[str]
) -> tuple[list[str], dict[str, list[int]]]:
    """Reject whole submissions (``RECEIPT``) or single ties (``RECEIPT/N``, N from 1). A
    rejected tie is left out when the rest of its submission is approved."""
    lab = find_lab(queue, code)
    whole: list[str] = []
    ties: dict[str, list[int]] = {}
    for item in items:
        receipt, _, number = item.partition("/")
        if number:
            ties.setdefault(receipt.upper(), []).append(int(number))
        else:
            whole.append(receipt.upper())
    found = list_submissions(queue, lab.code, receipts=[*whole, *ties])
    if whole:
        decide(queue, lab.code, whole, "rejected")
    for q in found:
        if q.receipt in ties and q.receipt not in whole:
            merged = sorted({*q.rejected_ties, *ties[q.receipt]})
            decide(queue, lab.code, [q.receipt], q.status, rejected_ties={q.receipt: merged})
    return whole, ties


def review(
    con: duckdb.DuckDBPyConnection, queue: sqlite3.Connection, code: str, status: str | None = None
) -> pl.DataFrame:
    """The queue as the moderator sees it: one row per stated tie or wanted tie (and one for a
    submission without either), with how each named organisation matches the known actors
    (``known actor``, ``uncertain: like …``, ``new organisation``). Contact persons are not in
    it. Columns: receipt, status, item, organisation, org_match, partner, partner_match, how,
    strength, since, obstacle, comment, updated_at."""
    lab = find_lab(queue, code)
    queued = list_submissions(queue, lab.code, status=status)
    orgs: dict[str, Organisation] = {}
    for q in queued:
        for org in (
            q.submission.organisation,
            *(t.partner for t in q.submission.ties),
            *(w.partner for w in q.submission.wanted),
        ):
            if not org.actor_id:
                orgs.setdefault(_provisional_id(lab, org), org)
    matches = _match_labels(con, orgs)
    rows: list[dict[str, object]] = []

    def label(org: Organisation) -> str:
        if org.actor_id:
            return _say("match_known")
        return matches.get(_provisional_id(lab, org), _say("match_new"))

    for q in queued:
        sub = q.submission
        base = {
            "receipt": q.receipt,
            "status": q.status,
            "organisation": sub.organisation.name,
            "org_match": label(sub.organisation),
            "comment": sub.comment,
            "updated_at": q.updated_at,
        }
        items = 0
        for i, tie in enumerate(sub.ties, start=1):
            items += 1
            rows.append(
                {
                    **base,
                    "item": f"{q.receipt}/{i}",
                    "partner": tie.partner.name,
                    "partner_match": label(tie.partner),
                    "how": tie.kind,
                    "strength": tie.strength,
                    "since": tie.since,
                    "obstacle": None,
                    "status": "rejected" if i in q.rejected_ties else q.status,
                }
            )
        for want in sub.wanted:
            items += 1
            rows.append(
                {
                    **base,
                    "item": "wanted",
                    "partner": want.partner.name,
                    "partner_match": label(want.partner),
                    "how": "wanted",
                    "strength": None,
                    "since": None,
                    "obstacle": want.obstacle,
                }
            )
        if not items:
            rows.append(
                {
                    **base,
                    "item": q.receipt,
                    "partner": None,
                    "partner_match": None,
                    "how": None,
                    "strength": None,
                    "since": None,
                    "obstacle": None,
                }
            )
    columns = [
        "receipt",
        "status",
        "item",
        "organisation",
        "org_match",
        "partner",
        "partner_match",
        "how",
        "strength",
        "since",
        "obstacle",
        "comment",
        "updated_at",
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String)).select(columns)


def _match_labels(con: duckdb.DuckDBPyConnection, orgs: dict[str, Organisation]) -> dict[str, str]:
    """How each named organisation (by provisional id) matches: known / uncertain / (new)."""
    if not orgs:
        return {}
    known = read_table(con, "actors")
    already = {i for i in orgs if i in set(known["actor_id"].to_list())}
    incoming = pl.DataFrame(
        {
            "actor_id": list(orgs),
            "name": [o.name for o in orgs.values()],
            "kind": [o.kind or "other" for o in orgs.values()],
            "helix": [None] * len(orgs),
            "municipality": [o.municipality for o in orgs.values()],
            "source_id": ["lab"] * len(orgs),
        },
        schema_overrides={"helix": pl.String, "municipality": pl.String},
    )
    found = find_matches(incoming, None, known, read_table(con, "actor_aliases"))
    known_actor = _say("match_known")
    labels = dict.fromkeys(already, known_actor)
    for incoming_id, actor_name in found.mapped.select("incoming_id", "actor_name").iter_rows():
        labels[incoming_id] = f"{known_actor}: {actor_name}"
    for incoming_id, group in found.candidates.group_by("incoming_id"):
        names = ", ".join(group["candidate_name"].to_list())
        labels.setdefault(str(incoming_id[0]), _say("match_uncertain", names=names))
    return labels
