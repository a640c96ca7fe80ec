"""The form's texts come from the catalogue (context ``lab form``), in the participant's
language: the page, the per-field messages of a 400, the route's own errors and the poster, in
Swedish and in English, with the lab's day written as each language writes it."""

from __future__ import annotations

import string
from pathlib import Path

from starlette.testclient import TestClient

from graph.labs.lab import CreatedLab
from graph.labs.qr import poster_html
from graph.labs.queue import queue_path, set_lab_status
from graph.labs.server import ServerSettings, lab_app
from graph.labs.texts import TEXTS, form_texts, other_languages
from graph.store.tables import ACTOR_KINDS
from tests.labs.conftest import BASE


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _client(db_path: Path) -> TestClient:
    return TestClient(lab_app(ServerSettings(queue=queue_path(db_path), base_url=BASE)))


def test_every_text_is_translated_with_the_same_placeholders() -> None:
    english, swedish = form_texts("en"), form_texts("sv")
    assert set(english) == set(swedish) == set(TEXTS)
    assert english == TEXTS  # the English is the code's
    for key in TEXTS:
        assert _fields(swedish[key]) == _fields(english[key]), key
    # every text but the names that read the same in both languages is translated
    same = {k for k in TEXTS if swedish[k] == english[k]}
    assert same == {"kind_region"}


def test_every_actor_kind_has_a_label() -> None:
    assert all(f"kind_{k}" in TEXTS for k in ACTOR_KINDS)


def test_the_switch_names_each_other_language_in_its_own_words() -> None:
    assert other_languages("en") == [("sv", "På svenska")]
    assert other_languages("sv") == [("en", "In English")]


def test_the_form_in_swedish_and_in_english(db_path: Path, lab: CreatedLab) -> None:
    client = _client(db_path)
    code = lab.lab.code
    sv = client.get(f"/lab/{code}", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"}).text
    assert '<html lang="sv">' in sv
    assert "<h1>Vem samarbetar med vem?</h1>" in sv
    assert "Lärlabb 2 · 10 december 2026" in sv  # the day as Swedish writes it
    assert '<option value="academia">Universitet eller högskola</option>' in sv
    assert '<option value="core">Kärnpartner</option>' in sv
    assert "raderas med de råa svaren 90 dagar efter labbet" in sv
    assert 'id="switch" href="?lang=en" lang="en" hreflang="en">In English</a>' in sv
    assert "Who works with whom?" not in sv
    en = client.get(f"/lab/{code}?lang=en", headers={"Accept-Language": "sv"}).text
    assert '<html lang="en">' in en
    assert "<h1>Who works with whom?</h1>" in en
    assert "Lärlabb 2 · December 10, 2026" in en
    assert '<option value="academia">University</option>' in en
    assert ">På svenska</a>" in en
    assert "Vem samarbetar med vem?" not in en


def test_a_400_names_each_field_in_swedish(db_path: Path, lab: CreatedLab) -> None:
    bad = {
        "organisation": {"name": "Ávki"},
        "ties": [{"partner": {"name": "ÁVKI"}, "kind": "x", "strength": "core",
                  "since": "2999"}],
        "wanted": [{"partner": {"name": "x" * 201}}],
    }  # fmt: skip
    answer = _client(db_path).post(
        f"/lab/{lab.lab.code}/submissions?lang=sv", json={**bad, "consent": False}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": {
            "ties[0].kind": "välj ett av: project, advice, funding, membership, other",
            "ties[0].since": "ett år (som 2021) eller ett datum (2021-05-01), inte i framtiden",
            "ties[0].partner": "samma organisation som er egen",
            "wanted[0].partner.name": "högst 200 tecken",
            "consent": "behövs för att skicka svaren",
        }
    }
    not_json = _client(db_path).post(
        f"/lab/{lab.lab.code}/submissions", content=b"{", headers={"Accept-Language": "sv"}
    )
    assert not_json.json() == {"errors": {"": "innehållet är inte giltig JSON"}}


def test_the_routes_own_errors_speak_the_participants_language(
    db_path: Path, queue: object, lab: CreatedLab
) -> None:
    client = _client(db_path)
    set_lab_status(queue, lab.lab.code, "closed")  # type: ignore[arg-type]
    closed = client.post(
        f"/lab/{lab.lab.code}/submissions", json={}, headers={"Accept-Language": "sv-SE"}
    )
    assert closed.status_code == 409
    assert closed.json() == {"error": "labbet är stängt: det tar inte emot svar eller rättelser"}
    english = client.post(f"/lab/{lab.lab.code}/submissions", json={})
    assert english.json() == {"error": "this lab is closed: it takes no answers or corrections"}
    missing = client.get("/lab/ZZZZZZ?lang=sv")
    assert missing.status_code == 404
    assert '<html lang="sv">' in missing.text
    assert "Det finns inget öppet labb med den här koden." in missing.text


def test_the_poster_puts_the_chosen_language_first() -> None:
    html = poster_html(
        lab_name="Lärlabb 2", lab_date="2026-12-10", code="K7M2QX", url=f"{BASE}/lab/K7M2QX"
    )
    assert '<html lang="sv">' in html
    assert "10 december 2026" in html
    first, second = (
        html.index("Kartlägg er organisations samarbeten"),
        html.index("Map your organisation&#39;s ties"),
    )
    assert first < second
    english = poster_html(
        lab_name="Lärlabb 2", lab_date="2026-12-10", code="K7M2QX", url=f"{BASE}/lab/K7M2QX",
        lang="en",
    )  # fmt: skip
    assert "December 10, 2026" in english
    assert english.index("Map your organisation") < english.index("Kartlägg")
