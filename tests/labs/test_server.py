"""The JSON route and the form's routes through Starlette's test client (real routes, real
queue file): 201 with a receipt, 400 with a message per field, 409 once closed, 413 too large,
429 over the rate limit; corrections need the receipt's token; the type-ahead folds letters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph.labs.lab import CreatedLab
from graph.labs.queue import list_submissions, queue_path, set_lab_status
from graph.labs.server import ServerSettings, lab_app
from tests.labs.conftest import BASE

GOOD = {
    "organisation": {"name": "Nya Klustret", "kind": "cluster", "municipality": "Åre"},
    "ties": [{"partner": {"name": "MITTUNIVERSITETET"}, "kind": "project", "strength": "core",
              "since": 2020}],
    "wanted": [{"partner": {"id": "avki"}, "obstacle": "okänd kontaktväg"}],
    "comment": "<script>alert(1)</script>",
}  # fmt: skip


def _client(db_path: Path, **limits: int) -> TestClient:
    settings = ServerSettings(queue=queue_path(db_path), base_url=BASE, **limits)
    return TestClient(lab_app(settings))


def test_a_good_submission_gets_a_receipt_and_is_queued(
    db_path: Path, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    client = _client(db_path)
    answer = client.post(f"/lab/{lab.lab.code}/submissions", json=GOOD)
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"receipt", "token", "url"}
    queued = list_submissions(queue, lab.lab.code)
    assert [q.receipt for q in queued] == [body["receipt"]]
    assert queued[0].submission.ties[0].partner.name == "MITTUNIVERSITETET"
    assert queued[0].submission.ties[0].since == "2020"


def test_bad_input_gets_a_message_per_field(
    db_path: Path, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    client = _client(db_path)
    bad = {
        "organisation": {"name": "", "kind": "spaceship"},
        "ties": [{"partner": {"id": "no-such-actor"}, "kind": "project", "strength": "always",
                  "since": "2999"}],
        "wanted": "everyone",
    }  # fmt: skip
    answer = client.post(f"/lab/{lab.lab.code}/submissions", json=bad)
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": {
            "organisation.name": "required",
            "ties[0].partner.id": "no known organisation has this id",
            "ties[0].strength": "choose one of: now_and_then, regularly, core",
            "ties[0].since": "a year (like 2021) or a date (2021-05-01), not in the future",
            "wanted": "must be a list",
        }
    }
    swedish = client.post(
        f"/lab/{lab.lab.code}/submissions", json=bad, headers={"Accept-Language": "sv-SE"}
    )
    assert swedish.json()["errors"]["organisation.name"] == "måste fyllas i"
    not_json = client.post(f"/lab/{lab.lab.code}/submissions", content=b"{nope")
    assert not_json.status_code == 400
    assert list_submissions(queue, lab.lab.code) == []


def test_a_closed_lab_answers_409_and_an_unknown_code_404(
    db_path: Path, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    client = _client(db_path)
    first = client.post(f"/lab/{lab.lab.code}/submissions", json=GOOD).json()
    set_lab_status(queue, lab.lab.code, "closed")
    assert client.post(f"/lab/{lab.lab.code}/submissions", json=GOOD).status_code == 409
    put = client.put(
        f"/lab/{lab.lab.code}/submissions/{first['receipt']}", json=GOOD,
        headers={"Authorization": f"Bearer {first['token']}"},
    )  # fmt: skip
    assert put.status_code == 409
    assert client.post("/lab/AAAAAA/submissions", json=GOOD).status_code == 404
    assert len(list_submissions(queue, lab.lab.code)) == 1


def test_too_many_requests_from_one_device_get_429(
    db_path: Path, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    client = _client(db_path, writes_per_device=3)
    url = f"/lab/{lab.lab.code}/submissions"
    codes = [client.post(url, json=GOOD, headers={"X-Ecograph-Device": "a"}).status_code
             for _ in range(4)]  # fmt: skip
    assert codes == [201, 201, 201, 429]
    # another phone in the same room (same address) is not held back
    assert client.post(url, json=GOOD, headers={"X-Ecograph-Device": "b"}).status_code == 201
    assert len(list_submissions(queue, lab.lab.code)) == 4


def test_the_lab_as_a_whole_is_rate_limited(db_path: Path, lab: CreatedLab) -> None:
    client = _client(db_path, writes_per_lab=2)
    url = f"/lab/{lab.lab.code}/submissions"
    codes = [client.post(url, json=GOOD, headers={"X-Ecograph-Device": str(i)}).status_code
             for i in range(3)]  # fmt: skip
    assert codes == [201, 201, 429]


def test_a_body_over_the_size_limit_gets_413(db_path: Path, lab: CreatedLab) -> None:
    client = _client(db_path, max_body_bytes=1000)
    big = {**GOOD, "comment": "x" * 2000}
    assert client.post(f"/lab/{lab.lab.code}/submissions", json=big).status_code == 413


def test_a_correction_needs_the_receipts_token(
    db_path: Path, queue: sqlite3.Connection, lab: CreatedLab
) -> None:
    client = _client(db_path)
    first = client.post(f"/lab/{lab.lab.code}/submissions", json=GOOD).json()
    url = f"/lab/{lab.lab.code}/submissions/{first['receipt']}"
    assert client.get(url).status_code == 404
    assert client.put(url, json=GOOD, headers={"Authorization": "Bearer guess"}).status_code == 404
    own = client.get(url, headers={"Authorization": f"Bearer {first['token']}"})
    assert own.status_code == 200
    assert own.json()["organisation"]["name"] == "Nya Klustret"
    fixed = {**GOOD, "ties": []}
    put = client.put(url, json=fixed, headers={"Authorization": f"Bearer {first['token']}"})
    assert put.json() == {"receipt": first["receipt"], "version": 2}
    assert list_submissions(queue, lab.lab.code)[0].submission.ties == ()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mittuniv", "miun"),
        ("MITTUNIVERSITETET", "miun"),
        ("mid sweden", "miun"),  # an alias
        ("avki", "avki"),  # Ávki, typed without the accent
        ("ÁVKI", "avki"),
    ],
)
def test_type_ahead_folds_case_and_accents(
    db_path: Path, lab: CreatedLab, typed: str, expected: str
) -> None:
    found = _client(db_path).get(f"/lab/{lab.lab.code}/actors", params={"q": typed}).json()
    assert expected in [a["id"] for a in found]


def test_the_form_page_escapes_and_follows_the_browsers_language(
    db_path: Path, lab: CreatedLab
) -> None:
    client = _client(db_path)
    sv = client.get(f"/lab/{lab.lab.code}", headers={"Accept-Language": "sv-SE,sv;q=0.9"})
    assert sv.status_code == 200
    assert "Vem samarbetar med vem?" in sv.text
    assert "script-src 'nonce-" in sv.headers["content-security-policy"]
    en = client.get(f"/lab/{lab.lab.code}?lang=en", headers={"Accept-Language": "sv"})
    assert "Who works with whom?" in en.text
    assert client.get("/lab/ZZZZZZ").status_code == 404
    svg = client.get(f"/lab/{lab.lab.code}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    png = client.get(f"/lab/{lab.lab.code}/qr.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    poster = client.get(f"/lab/{lab.lab.code}/poster")
    assert f"{BASE}/lab/{lab.lab.code}" in poster.text
    assert "@page { size: A4" in poster.text
