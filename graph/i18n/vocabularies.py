"""Display names of the controlled vocabularies (actor kinds, helices, roles, relation kinds,
activity kinds) in every language.

The data keeps its values (``business_support``); people read names (Business support,
Företagsstöd). The English names are messages with the vocabulary as their context, so a word
such as "Other" can be translated differently per vocabulary and a new language needs only its
catalogue. The values are those of ``graph/store/tables.py`` (a test checks that every value of
every vocabulary has a name, so a new kind without a translation fails).
"""

from __future__ import annotations

from graph.i18n.catalogue import NC_, translator

__all__ = ["CONTEXTS", "VOCABULARIES", "display_name", "display_names"]

# vocabulary -> the message context of its names (what a translator sees beside the word)
CONTEXTS: dict[str, str] = {
    "actor_kind": "actor kind",
    "helix": "helix",
    "role": "role in an activity",
    "relation_kind": "relation kind",
    "activity_kind": "activity kind",
}

# vocabulary -> value -> English display name, in the order of the schema's ENUM types
VOCABULARIES: dict[str, dict[str, str]] = {
    "actor_kind": {
        "region": NC_("actor kind", "Region"),
        "public_agency": NC_("actor kind", "Public agency"),
        "municipality": NC_("actor kind", "Municipality"),
        "business_support": NC_("actor kind", "Business support"),
        "design_org": NC_("actor kind", "Design organisation"),
        "cluster": NC_("actor kind", "Cluster"),
        "coworking": NC_("actor kind", "Co-working space"),
        "company": NC_("actor kind", "Company"),
        "academia": NC_("actor kind", "University"),
        "research_institute": NC_("actor kind", "Research institute"),
        "civil_society": NC_("actor kind", "Civil-society organisation"),
        "sami_org": NC_("actor kind", "Sami organisation"),
        "funder": NC_("actor kind", "Funder"),
        "other": NC_("actor kind", "Other"),
    },
    "helix": {
        "public": NC_("helix", "Public sector"),
        "industry": NC_("helix", "Industry"),
        "academia": NC_("helix", "Academia"),
        "civil_society": NC_("helix", "Civil society"),
    },
    "role": {
        "lead": NC_("role in an activity", "Lead"),
        "partner": NC_("role in an activity", "Partner"),
        "cofinancer": NC_("role in an activity", "Co-financer"),
        "funder": NC_("role in an activity", "Funder"),
        "member": NC_("role in an activity", "Member"),
        "target_group": NC_("role in an activity", "Target group"),
    },
    "relation_kind": {
        "partnership": NC_("relation kind", "Partnership"),
        "membership": NC_("relation kind", "Membership"),
        "funding": NC_("relation kind", "Funding"),
        "ownership": NC_("relation kind", "Ownership"),
        "hosting": NC_("relation kind", "Hosting"),
        "advice": NC_("relation kind", "Advice"),
        "other": NC_("relation kind", "Other"),
    },
    "activity_kind": {
        "project": NC_("activity kind", "Project"),
        "programme": NC_("activity kind", "Programme"),
        "learning_lab": NC_("activity kind", "Learning lab"),
        "funding_call": NC_("activity kind", "Funding call"),
        "network": NC_("activity kind", "Network"),
        "other": NC_("activity kind", "Other"),
    },
}


def display_name(vocabulary: str, value: str, lang: str | None = None) -> str:
    """The name people read for ``value`` of ``vocabulary`` in ``lang``.

    A value the vocabulary does not know (a newer database's kind) is shown as it is stored
    rather than hidden.

    >>> display_name("actor_kind", "business_support", "sv")
    'Företagsstöd'
    >>> display_name("actor_kind", "business_support", "en")
    'Business support'
    """
    if vocabulary not in VOCABULARIES:
        raise KeyError(f"no vocabulary {vocabulary!r}; there are {sorted(VOCABULARIES)}")
    english = VOCABULARIES[vocabulary].get(value)
    if english is None:
        return value
    return translator(lang).pgettext(CONTEXTS[vocabulary], english)


def display_names(vocabulary: str, lang: str | None = None) -> dict[str, str]:
    """Every value of ``vocabulary`` with its name in ``lang``, in the schema's order (for
    ``format_func`` of a picker, or ``replace_strict`` on a polars column)."""
    return {value: display_name(vocabulary, value, lang) for value in VOCABULARIES[vocabulary]}
