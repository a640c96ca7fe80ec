"""The durable submission queue: an SQLite file in WAL mode beside the DuckDB database.

Why SQLite and not DuckDB: DuckDB lets one process hold a file for writing, and during a lab the
app, the CLI and the form server would all need it. SQLite in WAL mode takes many small writes
from several processes (each waits its turn for a few milliseconds, ``busy_timeout``), readers
never block the writer, and with ``synchronous=FULL`` a submission whose ``201`` was sent is on
disk: a killed server loses nothing it accepted. Approval (``graph.labs.approval``) moves the
answers into DuckDB in one checked transaction.

Tables: ``labs`` (the join code of each lab and whether it is open), ``submissions`` (the raw
answers as JSON, one row per receipt; a correction replaces the answers and bumps ``version``),
``contacts`` (the optional contact person, stored apart and never exported) and ``directory``
(the known actors and their aliases, folded for the type-ahead, copied from DuckDB by the process
that holds it, so the form server never opens DuckDB).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from graph.curation.matching import name_key, normalise_name
from graph.errors import EcographError, UsageError
from graph.i18n import N_, translator
from graph.labs.submission import Submission

__all__ = [
    "CODE_ALPHABET",
    "Lab",
    "LabClosedError",
    "LabNotFoundError",
    "QueuedSubmission",
    "ReceiptError",
    "add_submission",
    "correct_submission",
    "decide",
    "device_key",
    "directory_search",
    "find_lab",
    "known_name",
    "list_labs",
    "list_submissions",
    "new_code",
    "normalise_code",
    "open_queue",
    "pending_counts",
    "purge_expired",
    "queue_path",
    "read_submission",
    "refresh_directory",
    "register_lab",
    "set_lab_status",
]

# no 0/O, 1/I/L: a code read aloud or from a slide is typed right
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

_SCHEMA = """
CREATE TABLE IF NOT EXISTS labs (
    code TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lab_date TEXT NOT NULL,
    source_id TEXT NOT NULL,
    areas TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    receipt TEXT PRIMARY KEY,
    code TEXT NOT NULL REFERENCES labs (code),
    token_hash TEXT NOT NULL,
    device TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    rejected_ties TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX IF NOT EXISTS submissions_by_lab ON submissions (code, status);
CREATE TABLE IF NOT EXISTS contacts (
    receipt TEXT PRIMARY KEY REFERENCES submissions (receipt) ON DELETE CASCADE,
    contact TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS directory (
    actor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    alias TEXT,
    folded TEXT NOT NULL,
    kind TEXT,
    municipality TEXT
);
CREATE INDEX IF NOT EXISTS directory_folded ON directory (folded);
CREATE INDEX IF NOT EXISTS directory_id ON directory (actor_id);
"""


_READY: set[str] = set()  # queue files whose schema this process has created or checked


TEXTS = {
    "has_lab": N_("activity '{activity}' already has a lab: see `ecograph lab list`"),
    "no_lab": N_("no lab has the code '{code}': see `ecograph lab list`"),
    "closed": N_("lab '{code}' is closed"),
    "receipt": N_("no such receipt in this lab, or a wrong token"),
    "no_receipt": N_("lab '{code}' has no receipt {receipts}"),
}


def _say(key: str, **values: object) -> str:
    return translator().gettext(TEXTS[key]).format(**values)


class LabNotFoundError(EcographError):
    """No lab has this join code."""


class LabClosedError(EcographError):
    """The lab is closed: it takes no new answers and no corrections."""


class ReceiptError(EcographError):
    """A receipt that does not exist in this lab, or a wrong correction token."""


@dataclass(frozen=True)
class Lab:
    code: str
    activity_id: str
    name: str
    lab_date: str
    source_id: str
    areas: tuple[str, ...]
    status: str
    created_at: str
    closed_at: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class QueuedSubmission:
    receipt: str
    code: str
    submission: Submission
    status: str
    rejected_ties: tuple[int, ...]
    version: int
    created_at: str
    updated_at: str


def queue_path(db_path: Path) -> Path:
    """The queue file of a database: ``ecograph.duckdb`` → ``ecograph.duckdb.labs.sqlite``."""
    return db_path.with_name(db_path.name + ".labs.sqlite")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@contextmanager
def open_queue(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the queue (created if missing), in WAL mode with durable commits.
    Every write is one ``with _write(con):`` transaction; the connection is closed afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # a new (or deleted) file gets its schema again
        _READY.discard(str(path.resolve()))
    con = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    try:
        con.execute("PRAGMA busy_timeout = 10000")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = ON")
        key = str(path.resolve())
        if key not in _READY:  # the file's schema and WAL mode, once per process
            con.execute("PRAGMA journal_mode = WAL")  # a property of the file: kept
            con.executescript(_SCHEMA)
            _READY.add(key)
        yield con
    finally:
        con.close()


@contextmanager
def _write(con: sqlite3.Connection) -> Iterator[None]:
    """One write transaction that takes the write lock at its start (``BEGIN IMMEDIATE``), so a
    check and the write after it see the same state; rolled back if the block raises."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def new_code(con: sqlite3.Connection) -> str:
    """A join code no lab has: six letters and digits that cannot be misread."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not con.execute("SELECT 1 FROM labs WHERE code = ?", [code]).fetchone():
            return code


def normalise_code(code: str) -> str:
    """A code as typed (``k7q m4p``) → as stored (``K7QM4P``)."""
    return "".join(code.split()).upper()


def register_lab(
    con: sqlite3.Connection,
    *,
    code: str,
    activity_id: str,
    name: str,
    lab_date: str,
    source_id: str,
    areas: Sequence[str] = (),
) -> Lab:
    """Record a lab created in the database (``graph.labs.lab.create_lab``)."""
    try:
        with _write(con):
            con.execute(
                "INSERT INTO labs (code, activity_id, name, lab_date, source_id, areas, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [code, activity_id, name, lab_date, source_id, json.dumps(list(areas)), _now()],
            )
    except sqlite3.IntegrityError:
        raise UsageError(_say("has_lab", activity=activity_id)) from None
    return find_lab(con, code)


def _lab(row: sqlite3.Row | tuple[Any, ...]) -> Lab:
    code, activity_id, name, lab_date, source_id, areas, status, created, closed = row
    return Lab(
        code,
        activity_id,
        name,
        lab_date,
        source_id,
        tuple(json.loads(areas)),
        status,
        created,
        closed,
    )


_LAB_COLS = "code, activity_id, name, lab_date, source_id, areas, status, created_at, closed_at"


def find_lab(con: sqlite3.Connection, code: str) -> Lab:
    """The lab with this join code (case and spaces forgiven)."""
    row = con.execute(
        f"SELECT {_LAB_COLS} FROM labs WHERE code = ?", [normalise_code(code)]
    ).fetchone()
    if row is None:
        raise LabNotFoundError(_say("no_lab", code=code))
    return _lab(row)


def list_labs(con: sqlite3.Connection) -> list[Lab]:
    """Every lab, newest date first."""
    rows = con.execute(f"SELECT {_LAB_COLS} FROM labs ORDER BY lab_date DESC, code").fetchall()
    return [_lab(r) for r in rows]


def set_lab_status(con: sqlite3.Connection, code: str, status: str) -> Lab:
    """Close or reopen a lab: a closed lab takes no answers and no corrections."""
    lab = find_lab(con, code)
    with _write(con):
        con.execute(
            "UPDATE labs SET status = ?, closed_at = ? WHERE code = ?",
            [status, _now() if status == "closed" else None, lab.code],
        )
    return find_lab(con, lab.code)


def _receipt(con: sqlite3.Connection) -> str:
    while True:
        body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        receipt = f"{body[:4]}-{body[4:]}"
        if not con.execute("SELECT 1 FROM submissions WHERE receipt = ?", [receipt]).fetchone():
            return receipt


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_key(raw: str) -> str:
    """A device as stored: a hash of its id (or address), never the address itself."""
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def add_submission(
    con: sqlite3.Connection, code: str, submission: Submission, device: str
) -> tuple[str, str]:
    """Queue a participant's answers: ``(receipt, token)``. The token (shown once, kept by the
    phone) is what lets its holder correct these answers; only its hash is stored.

    Raises ``LabClosedError`` for a closed lab. The row is committed (and, with
    ``synchronous=FULL``, on disk) before this returns.
    """
    token = secrets.token_urlsafe(24)
    now = _now()
    with _write(con):
        lab = find_lab(con, code)
        if not lab.is_open:
            raise LabClosedError(_say("closed", code=lab.code))
        receipt = _receipt(con)
        con.execute(
            "INSERT INTO submissions (receipt, code, token_hash, device, payload, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                receipt,
                lab.code,
                _token_hash(token),
                device_key(device),
                json.dumps(submission.to_json(), ensure_ascii=False),
                now,
                now,
            ],
        )
        if submission.contact:
            con.execute("INSERT INTO contacts VALUES (?, ?)", [receipt, submission.contact])
    return receipt, token


def _check_token(con: sqlite3.Connection, code: str, receipt: str, token: str) -> None:
    row = con.execute(
        "SELECT token_hash FROM submissions WHERE receipt = ? AND code = ?",
        [receipt, normalise_code(code)],
    ).fetchone()
    if row is None or not secrets.compare_digest(row[0], _token_hash(token or "")):
        raise ReceiptError(_say("receipt"))


def correct_submission(
    con: sqlite3.Connection, code: str, receipt: str, token: str, submission: Submission
) -> int:
    """Replace the answers of ``receipt`` (its holder's token required) while the lab is open.
    A correction of approved answers puts them back in the queue. Returns the new version."""
    with _write(con):
        lab = find_lab(con, code)
        if not lab.is_open:
            raise LabClosedError(_say("closed", code=lab.code))
        _check_token(con, lab.code, receipt, token)
        con.execute(
            "UPDATE submissions SET payload = ?, status = 'pending', rejected_ties = '[]', "
            "version = version + 1, updated_at = ?, decided_at = NULL WHERE receipt = ?",
            [json.dumps(submission.to_json(), ensure_ascii=False), _now(), receipt],
        )
        con.execute("DELETE FROM contacts WHERE receipt = ?", [receipt])
        if submission.contact:
            con.execute("INSERT INTO contacts VALUES (?, ?)", [receipt, submission.contact])
        row = con.execute("SELECT version FROM submissions WHERE receipt = ?", [receipt])
        return int(row.fetchone()[0])


def read_submission(
    con: sqlite3.Connection, code: str, receipt: str, token: str
) -> QueuedSubmission:
    """The holder's own answers (for the form's "correct" step)."""
    _check_token(con, code, receipt, token)
    found = [s for s in list_submissions(con, code) if s.receipt == receipt]
    if not found:
        raise ReceiptError(_say("receipt"))
    return found[0]


def list_submissions(
    con: sqlite3.Connection,
    code: str,
    *,
    status: str | None = None,
    receipts: Sequence[str] | None = None,
) -> list[QueuedSubmission]:
    """The lab's queued answers in arrival order (``status`` pending/approved/rejected)."""
    lab = find_lab(con, code)
    sql = (
        "SELECT s.receipt, s.code, s.payload, s.status, s.rejected_ties, s.version, "
        "s.created_at, s.updated_at, c.contact FROM submissions AS s "
        "LEFT JOIN contacts AS c ON c.receipt = s.receipt WHERE s.code = ?"
    )
    params: list[Any] = [lab.code]
    if status:
        sql += " AND s.status = ?"
        params.append(status)
    rows = con.execute(sql + " ORDER BY s.created_at, s.receipt", params).fetchall()
    wanted = set(receipts) if receipts is not None else None
    out = []
    for receipt, code_, payload, st, rejected, version, created, updated, contact in rows:
        if wanted is not None and receipt not in wanted:
            continue
        out.append(
            QueuedSubmission(
                receipt,
                code_,
                Submission.from_json(json.loads(payload), contact),
                st,
                tuple(json.loads(rejected)),
                version,
                created,
                updated,
            )
        )
    if wanted is not None:
        missing = sorted(wanted - {s.receipt for s in out})
        if missing:
            raise ReceiptError(_say("no_receipt", code=lab.code, receipts=", ".join(missing)))
    return out


def decide(
    con: sqlite3.Connection,
    code: str,
    receipts: Sequence[str],
    status: str,
    *,
    versions: dict[str, int] | None = None,
    rejected_ties: dict[str, Sequence[int]] | None = None,
) -> int:
    """Mark submissions approved or rejected (``rejected_ties``: tie numbers left out of an
    approval). With ``versions``, a submission corrected since it was read stays pending.
    Returns how many rows changed."""
    if status not in ("approved", "rejected", "pending"):
        raise ValueError(status)
    lab = find_lab(con, code)
    changed = 0
    now = _now()
    with _write(con):
        for receipt in receipts:
            params: list[Any] = [
                status,
                now if status != "pending" else None,
                json.dumps(sorted((rejected_ties or {}).get(receipt, ()))),
                receipt,
                lab.code,
            ]
            sql = (
                "UPDATE submissions SET status = ?, decided_at = ?, rejected_ties = ? "
                "WHERE receipt = ? AND code = ?"
            )
            if versions is not None and receipt in versions:
                sql += " AND version = ?"
                params.append(versions[receipt])
            changed += con.execute(sql, params).rowcount
    return changed


def refresh_directory(con: sqlite3.Connection, actors: pl.DataFrame, aliases: pl.DataFrame) -> int:
    """Replace the type-ahead directory with the database's actors and their name aliases
    (identifier aliases such as ``cordis:…`` are left out). Returns the number of entries."""
    names = actors.select(
        "actor_id", "name", pl.lit(None, pl.String).alias("alias"), "kind", "municipality"
    )
    alias_rows = (
        aliases.filter(~pl.col("alias").str.contains(r"^[A-Za-z][A-Za-z0-9_+.-]*:\S+$"))
        .join(actors.select("actor_id", "name", "kind", "municipality"), on="actor_id")
        .select("actor_id", "name", "alias", "kind", "municipality")
    )
    entries = pl.concat([names, alias_rows])
    entries = entries.with_columns(name_key(pl.coalesce("alias", "name")).alias("folded"))
    rows = entries.select("actor_id", "name", "alias", "folded", "kind", "municipality").rows()
    with _write(con):
        con.execute("DELETE FROM directory")
        con.executemany("INSERT INTO directory VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def known_name(con: sqlite3.Connection, actor_id: str) -> str | None:
    """The name of a known actor (from the directory), None if there is none."""
    row = con.execute(
        "SELECT name FROM directory WHERE actor_id = ? LIMIT 1", [actor_id]
    ).fetchone()
    return str(row[0]) if row else None


def directory_search(con: sqlite3.Connection, text: str, limit: int = 8) -> list[dict[str, Any]]:
    """Known actors whose name or alias starts with, or has a word starting with, ``text``
    once both are folded (case, accents, Sami letters, legal forms: ``graph.curation.matching``
    normalisation), so "mittuniv", "MITTUNIVERSITETET" and "avki" find their actors."""
    key = normalise_name(text) if text.strip() else ""
    if len(key) < 2:
        return []
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = con.execute(
        "SELECT actor_id, name, alias, kind, municipality, "
        "CASE WHEN folded LIKE ? || '%' ESCAPE '\\' THEN 0 ELSE 1 END AS rank "
        "FROM directory WHERE folded LIKE ? || '%' ESCAPE '\\' "
        "OR folded LIKE '% ' || ? || '%' ESCAPE '\\' "
        "ORDER BY rank, length(folded), name LIMIT ?",
        [like, like, like, limit * 3],
    ).fetchall()
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for actor_id, name, alias, kind, municipality, _rank in rows:
        if actor_id in seen:
            continue
        seen.add(actor_id)
        out.append(
            {
                "id": actor_id,
                "name": name,
                "alias": alias,
                "kind": kind,
                "municipality": municipality,
            }
        )
        if len(out) == limit:
            break
    return out


def purge_expired(con: sqlite3.Connection, retention_days: int, today: date | None = None) -> int:
    """Delete the raw answers (and contact persons) of labs held more than ``retention_days``
    ago. What was approved stays in the database as sourced relations and wanted ties.
    Returns the number of submissions deleted."""
    cutoff = (today or date.today()) - timedelta(days=retention_days)
    with _write(con):
        codes = [
            r[0]
            for r in con.execute("SELECT code FROM labs WHERE lab_date < ?", [cutoff.isoformat()])
        ]
        deleted = 0
        for code in codes:
            deleted += con.execute("DELETE FROM submissions WHERE code = ?", [code]).rowcount
    return deleted


def pending_counts(con: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Submissions per lab code and status."""
    out: dict[str, dict[str, int]] = {}
    for code, status, n in con.execute(
        "SELECT code, status, count(*) FROM submissions GROUP BY code, status"
    ):
        out.setdefault(code, {})[status] = int(n)
    return out
