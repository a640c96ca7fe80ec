"""The change log's descriptions: kept in English, read in the reader's language."""

from __future__ import annotations

import pytest

from graph.history.what import WHAT_TEXTS, describe, what_text
from graph.i18n import translator

SAMPLES = {
    "revert": {"change": 3, "what": describe("merge", other="a", keep="b")},
    "import_rows": {"source": "lab"},
    "replace": {"names": "jamtland", "format": WHAT_TEXTS["by_extension"]},
    "import": {"names": "actors.csv, relations.csv", "format": "csv"},
    "dismiss": {"incoming": "x-2", "candidate": "x"},
    "merge": {"other": "miun-2", "keep": "miun"},
    "delete": {"ids": "a, b"},
    "restore": {"file": "b.zip", "created": "2026-11-30", "kept": ""},
    "kept": {"previous": "old.duckdb"},
}


@pytest.mark.parametrize("key", [k for k in WHAT_TEXTS if k != "by_extension"])
def test_each_description_reads_back_in_swedish_and_stays_in_english(key: str) -> None:
    stored = describe(key, **SAMPLES.get(key, {}))
    assert what_text(stored, "en") == stored
    swedish = what_text(stored, "sv")
    assert swedish != stored
    # the values come through unchanged
    for value in SAMPLES.get(key, {}).values():
        plain = isinstance(value, str) and value and value not in WHAT_TEXTS.values()
        if plain and not str(value).startswith("merged"):  # a nested one is read again
            assert value in swedish


def test_nested_descriptions_and_messages_are_read_too() -> None:
    stored = describe("revert", change=7, what=describe("replace", names="j", format="x"))
    sv = translator("sv")
    assert what_text(stored, "sv") == sv.gettext(WHAT_TEXTS["revert"]).format(
        change=7, what=sv.gettext(WHAT_TEXTS["replace"]).format(names="j", format="x")
    )
    by_ext = describe("import", names="a.gexf", format=WHAT_TEXTS["by_extension"])
    assert sv.gettext(WHAT_TEXTS["by_extension"]) in what_text(by_ext, "sv")


def test_a_description_it_does_not_know_is_shown_as_it_is() -> None:
    assert what_text("UPDATE actors SET name = 'x'", "sv") == "UPDATE actors SET name = 'x'"
