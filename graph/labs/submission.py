"""One participant's answers: the JSON shape, its checks, and a message per field.

The phone form and other survey tools send the same JSON (README, "Learning labs"):
``{"organisation": {"name", "kind", "municipality", "id"}, "ties": [{"partner": {...}, "kind",
"strength", "since"}], "wanted": [{"partner": {...}, "obstacle"}], "comment", "contact",
"consent"}``. ``parse_submission`` returns the checked answers, or every problem keyed by the
field's path (``ties[1].kind``), in the participant's language. Organisations are named by the id
of a known actor (the type-ahead) or by name; a name is matched to the known actors on approval.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from graph.curation.matching import normalise_name
from graph.labs.texts import form_texts
from graph.store.tables import ACTOR_KINDS

__all__ = [
    "LIMITS",
    "STRENGTH_WEIGHTS",
    "TIE_KINDS",
    "Organisation",
    "Submission",
    "SubmissionLimits",
    "Tie",
    "Wanted",
    "parse_submission",
]

# how a participant says they work together → the relation kind stored
TIE_KINDS: dict[str, str] = {
    "project": "partnership",
    "advice": "advice",
    "funding": "funding",
    "membership": "membership",
    "other": "other",
}
# how often → the relation's weight (the map draws heavier ties thicker)
STRENGTH_WEIGHTS: dict[str, float] = {"now_and_then": 1.0, "regularly": 2.0, "core": 3.0}
_YEAR = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")


@dataclass(frozen=True)
class SubmissionLimits:
    """Size limits of one submission (the request body is capped by the server too)."""

    max_ties: int = 30
    max_wanted: int = 15
    max_name: int = 200
    max_text: int = 2000


LIMITS = SubmissionLimits()


@dataclass(frozen=True)
class Organisation:
    """An organisation as a participant named it: a known actor's id, or a name (with a kind and
    municipality when it is new)."""

    name: str
    actor_id: str | None = None
    kind: str | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class Tie:
    partner: Organisation
    kind: str  # a key of TIE_KINDS
    strength: str  # a key of STRENGTH_WEIGHTS
    since: str | None = None  # YYYY or YYYY-MM-DD


@dataclass(frozen=True)
class Wanted:
    partner: Organisation
    obstacle: str | None = None


@dataclass(frozen=True)
class Submission:
    """Checked answers, as they are queued (``to_json``) and approved."""

    organisation: Organisation
    ties: tuple[Tie, ...] = ()
    wanted: tuple[Wanted, ...] = ()
    comment: str | None = None
    contact: str | None = field(default=None, repr=False)  # stored apart, see queue
    consent: bool = False

    def to_json(self) -> dict[str, Any]:
        """The answers as JSON, without the contact person (kept in a table of its own)."""
        data = asdict(self)
        data.pop("contact")
        return data

    @staticmethod
    def from_json(data: Mapping[str, Any], contact: str | None = None) -> Submission:
        """Rebuild queued answers (``to_json``'s output)."""

        def org(d: Mapping[str, Any]) -> Organisation:
            return Organisation(**d)

        return Submission(
            organisation=org(data["organisation"]),
            ties=tuple(Tie(**{**t, "partner": org(t["partner"])}) for t in data["ties"]),
            wanted=tuple(Wanted(**{**w, "partner": org(w["partner"])}) for w in data["wanted"]),
            comment=data.get("comment"),
            contact=contact,
            consent=bool(data.get("consent")),
        )


class _Checker:
    """Collects one message per field path while the answers are read."""

    def __init__(self, lang: str, limits: SubmissionLimits) -> None:
        self.t = form_texts(lang)
        self.limits = limits
        self.errors: dict[str, str] = {}

    def fail(self, path: str, key: str, **values: Any) -> None:
        self.errors.setdefault(path, self.t[key].format(**values))

    def read_text(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        limit: int | None = None,
    ) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, "err_required")
            return None
        if not isinstance(value, str):
            self.fail(path, "err_text")
            return None
        value = " ".join(value.split()) if limit == self.limits.max_name else value.strip()
        n = limit or self.limits.max_text
        if len(value) > n:
            self.fail(path, "err_too_long", n=n)
            return None
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, choices: Any, default: str | None = None
    ) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if default is None:
                self.fail(path, "err_required")
            return default
        if value not in choices:
            self.fail(path, "err_choice", choices=", ".join(choices))
            return None
        return str(value)

    def organisation(
        self, data: Any, path: str, known: Callable[[str], str | None], *, full: bool
    ) -> Organisation | None:
        if not isinstance(data, Mapping):
            self.fail(path, "err_object" if data is not None else "err_required")
            return None
        actor_id = self.read_text(data, "id", f"{path}.id", limit=self.limits.max_name)
        name = self.read_text(data, "name", f"{path}.name", limit=self.limits.max_name)
        if actor_id is not None:
            known_name = known(actor_id)
            if known_name is None:
                self.fail(f"{path}.id", "err_unknown_actor")
                return None
            return Organisation(name=known_name, actor_id=actor_id)
        if name is None:
            self.fail(f"{path}.name", "err_required")
            return None
        kind = self.choice(data, "kind", f"{path}.kind", ACTOR_KINDS, default="other")
        municipality = (
            self.read_text(data, "municipality", f"{path}.municipality", limit=self.limits.max_name)
            if full or data.get("municipality")
            else None
        )
        return Organisation(name=name, kind=kind, municipality=municipality)

    def items(self, data: Mapping[str, Any], key: str, limit: int) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, "err_list")
            return []
        if len(value) > limit:
            self.fail(key, "err_too_many", n=limit)
            return []
        return value


def _same(a: Organisation, b: Organisation) -> bool:
    if a.actor_id or b.actor_id:
        return a.actor_id == b.actor_id
    return normalise_name(a.name) == normalise_name(b.name)


def _since(value: Any, checker: _Checker, path: str, today: date) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, str | int) else ""
    m = _YEAR.match(text)
    try:
        when = date(int(m[1]), int(m[2] or 1), int(m[3] or 1)) if m else None
    except ValueError:
        when = None
    if when is None or when > today or when.year < 1800:
        checker.fail(path, "err_year")
        return None
    return text


def parse_submission(
    data: Any,
    *,
    known: Callable[[str], str | None],
    lang: str = "en",
    limits: SubmissionLimits = LIMITS,
    today: date | None = None,
    require_consent: bool = False,
) -> tuple[Submission | None, dict[str, str]]:
    """Check a submission: the answers, or None and a message per field path.

    ``known`` gives a known actor's name for its id (None when there is no such actor), so an
    organisation chosen in the type-ahead is checked against the directory. ``require_consent``
    is what the phone form asks for; other tools state their consent in their own terms.

    Examples
    --------
    >>> names = {"miun": "Mittuniversitetet"}
    >>> sub, errors = parse_submission(
    ...     {"organisation": {"name": "Ávki", "kind": "sami_org"},
    ...      "ties": [{"partner": {"id": "miun"}, "kind": "project", "strength": "core"}]},
    ...     known=names.get)
    >>> errors, sub.ties[0].partner.name
    ({}, 'Mittuniversitetet')
    >>> parse_submission({"organisation": {}, "ties": [{"kind": "x"}]}, known=names.get)[1]
    ... # doctest: +NORMALIZE_WHITESPACE
    {'organisation.name': 'required', 'ties[0].partner': 'required',
     'ties[0].kind': 'choose one of: project, advice, funding, membership, other',
     'ties[0].strength': 'required'}
    """
    checker = _Checker(lang, limits)
    today = today or date.today()
    if not isinstance(data, Mapping):
        return None, {"": checker.t["err_body"]}
    org = checker.organisation(data.get("organisation"), "organisation", known, full=True)
    ties: list[Tie] = []
    for i, raw in enumerate(checker.items(data, "ties", limits.max_ties)):
        path = f"ties[{i}]"
        if not isinstance(raw, Mapping):
            checker.fail(path, "err_object")
            continue
        partner = checker.organisation(raw.get("partner"), f"{path}.partner", known, full=False)
        kind = checker.choice(raw, "kind", f"{path}.kind", tuple(TIE_KINDS))
        strength = checker.choice(raw, "strength", f"{path}.strength", tuple(STRENGTH_WEIGHTS))
        since = _since(raw.get("since"), checker, f"{path}.since", today)
        if partner and org and _same(partner, org):
            checker.fail(f"{path}.partner", "err_self")
        elif partner and kind and strength:
            ties.append(Tie(partner, kind, strength, since))
    wanted: list[Wanted] = []
    for i, raw in enumerate(checker.items(data, "wanted", limits.max_wanted)):
        path = f"wanted[{i}]"
        if not isinstance(raw, Mapping):
            checker.fail(path, "err_object")
            continue
        partner = checker.organisation(raw.get("partner"), f"{path}.partner", known, full=False)
        obstacle = checker.read_text(raw, "obstacle", f"{path}.obstacle")
        if partner and org and _same(partner, org):
            checker.fail(f"{path}.partner", "err_self")
        elif partner:
            wanted.append(Wanted(partner, obstacle))
    comment = checker.read_text(data, "comment", "comment")
    contact = checker.read_text(data, "contact", "contact", limit=limits.max_name)
    consent = data.get("consent") is True
    if require_consent and not consent:
        checker.fail("consent", "err_consent")
    if checker.errors or org is None:
        return None, checker.errors
    return Submission(org, tuple(ties), tuple(wanted), comment, contact, consent), {}
