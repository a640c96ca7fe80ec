"""Display names of the controlled vocabularies: every value of every vocabulary has one, and
the data keeps its values."""

from __future__ import annotations

import pytest

from graph.i18n import display_name, display_names, translator
from graph.i18n.vocabularies import CONTEXTS, VOCABULARIES
from graph.store.tables import ACTIVITY_KINDS, ACTOR_KINDS, HELICES, RELATION_KINDS, ROLES
from tests.i18n.test_catalogue import marked_messages

# the vocabularies as the store defines them (graph/store/tables.py mirrors schema.sql)
STORE = {
    "actor_kind": ACTOR_KINDS,
    "helix": HELICES,
    "role": ROLES,
    "relation_kind": RELATION_KINDS,
    "activity_kind": ACTIVITY_KINDS,
}


def test_every_value_of_every_vocabulary_has_a_name() -> None:
    """A new kind in the schema without a name here fails, naming the kind."""
    assert set(VOCABULARIES) == set(STORE) == set(CONTEXTS)
    for vocabulary, values in STORE.items():
        assert tuple(VOCABULARIES[vocabulary]) == values, vocabulary


def test_every_name_is_a_message_of_the_catalogue() -> None:
    """The name is looked up with the vocabulary's context: a typo in a context would show
    English in every language, so each (context, name) must be what the extractor found."""
    marked = marked_messages()
    for vocabulary, names in VOCABULARIES.items():
        for english in names.values():
            assert (CONTEXTS[vocabulary], english) in marked, (vocabulary, english)


@pytest.mark.parametrize(
    ("vocabulary", "value", "sv", "en"),
    [
        ("actor_kind", "business_support", "Företagsstöd", "Business support"),
        ("actor_kind", "municipality", "Kommun", "Municipality"),
        ("actor_kind", "sami_org", "Samisk organisation", "Sami organisation"),
        ("actor_kind", "academia", "Lärosäte", "University"),
        ("actor_kind", "other", "Övrig aktör", "Other"),
        ("helix", "academia", "Akademi", "Academia"),
        ("helix", "industry", "Näringsliv", "Industry"),
        ("role", "cofinancer", "Medfinansiär", "Co-financer"),
        ("relation_kind", "other", "Övrig relation", "Other"),
        ("activity_kind", "learning_lab", "Lärlabb", "Learning lab"),
        ("activity_kind", "funding_call", "Utlysning", "Funding call"),
    ],
)
def test_names_in_both_languages(vocabulary: str, value: str, sv: str, en: str) -> None:
    assert display_name(vocabulary, value, "sv") == sv
    assert display_name(vocabulary, value, "en") == en


def test_the_same_word_is_translated_per_vocabulary() -> None:
    """ "Other" is one English word and three Swedish ones, chosen by the message context."""
    others = {v: display_name(v, "other", "sv") for v in STORE if "other" in STORE[v]}
    assert others == {
        "actor_kind": "Övrig aktör",
        "relation_kind": "Övrig relation",
        "activity_kind": "Övrig aktivitet",
    }


def test_every_swedish_name_is_a_translation() -> None:
    """Each name has its own Swedish entry (a few words are the same in both languages)."""
    same = {("actor_kind", "region"), ("role", "partner")}  # Region, Partner in Swedish too
    sv = translator("sv")
    for vocabulary, names in VOCABULARIES.items():
        for value, english in names.items():
            swedish = sv.pgettext(CONTEXTS[vocabulary], english)
            assert (swedish == english) == ((vocabulary, value) in same), (vocabulary, value)


def test_a_value_the_vocabulary_does_not_know_is_shown_as_stored() -> None:
    assert display_name("actor_kind", "incubator", "sv") == "incubator"
    with pytest.raises(KeyError, match="no vocabulary 'colour'"):
        display_name("colour", "red", "sv")


def test_display_names_keep_the_schema_order() -> None:
    names = display_names("helix", "sv")
    assert names == {
        "public": "Offentlig sektor",
        "industry": "Näringsliv",
        "academia": "Akademi",
        "civil_society": "Civilsamhälle",
    }
