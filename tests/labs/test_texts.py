"""The form's texts: one dict per language with the same keys and the same placeholders, so
either language can be shown for any text (and the dicts move into gettext catalogues)."""

from __future__ import annotations

import string

from graph.labs.texts import LANGUAGES, TEXTS
from graph.store.tables import ACTOR_KINDS


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_language_has_every_text_with_the_same_placeholders() -> None:
    assert set(TEXTS) == set(LANGUAGES)
    keys = set(TEXTS["en"])
    for lang in LANGUAGES:
        assert set(TEXTS[lang]) == keys, lang
        for key in keys:
            assert _fields(TEXTS[lang][key]) == _fields(TEXTS["en"][key]), (lang, key)


def test_every_actor_kind_has_a_label() -> None:
    for lang in LANGUAGES:
        assert all(f"kind_{k}" in TEXTS[lang] for k in ACTOR_KINDS), lang
