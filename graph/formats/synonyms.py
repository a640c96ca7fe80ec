"""The words other tools use for actor and relation types, mapped to our vocabularies.

Shared by every outside-format reader (Kumu, GEXF, GraphML, JSON), so "University" means
``academia`` whichever tool wrote it.
"""

from __future__ import annotations

import functools

from graph.formats.rawdata import normalise_header

__all__ = ["KIND_SYNONYMS", "RELATION_SYNONYMS", "map_type"]

# Words Kumu maps use for actor types, in English and Swedish, mapped to our kinds.
KIND_SYNONYMS: dict[str, str] = {
    "university": "academia",
    "universitet": "academia",
    "högskola": "academia",
    "hogskola": "academia",
    "college": "academia",
    "company": "company",
    "företag": "company",
    "foretag": "company",
    "business": "company",
    "firm": "company",
    "sme": "company",
    "industry": "company",
    "enterprise": "company",
    "kluster": "cluster",
    "innovation_cluster": "cluster",
    "innovationskluster": "cluster",
    "innovation_arena": "cluster",
    "co_working": "coworking",
    "coworking_space": "coworking",
    "co_working_space": "coworking",
    "kommun": "municipality",
    "municipality": "municipality",
    "agency": "public_agency",
    "myndighet": "public_agency",
    "government": "public_agency",
    "public": "public_agency",
    "incubator": "business_support",
    "inkubator": "business_support",
    "science_park": "business_support",
    "företagsstöd": "business_support",
    "business_support": "business_support",
    "design": "design_org",
    "design_organisation": "design_org",
    "design_organization": "design_org",
    "research": "research_institute",
    "institute": "research_institute",
    "research_institute": "research_institute",
    "forskningsinstitut": "research_institute",
    "ngo": "civil_society",
    "association": "civil_society",
    "förening": "civil_society",
    "forening": "civil_society",
    "nonprofit": "civil_society",
    "civil_society": "civil_society",
    "sami": "sami_org",
    "samisk": "sami_org",
    "sami_organisation": "sami_org",
    "funder": "funder",
    "financier": "funder",
    "finansiär": "funder",
    "finansiar": "funder",
    "region": "region",
}
RELATION_SYNONYMS: dict[str, str] = {
    "partner": "partnership",
    "partners": "partnership",
    "collaboration": "partnership",
    "samarbete": "partnership",
    "member": "membership",
    "member_of": "membership",
    "medlem": "membership",
    "funds": "funding",
    "funded_by": "funding",
    "finansierar": "funding",
    "owns": "ownership",
    "owner": "ownership",
    "äger": "ownership",
    "hosts": "hosting",
    "host": "hosting",
    "advises": "advice",
    "advisor": "advice",
    "rådgivning": "advice",
}


def map_type(value: str | None, vocab: tuple[str, ...], synonyms: dict[str, str]) -> str | None:
    """A type text as one of ``vocab`` (case, spaces and dashes forgiven), through ``synonyms``;
    None when it is neither.

    >>> map_type("University", ("academia", "other"), KIND_SYNONYMS)
    'academia'
    """
    if value is None:
        return None
    key = _normalised(value)
    if key in vocab:
        return key
    return synonyms.get(key)


# a file repeats its few type texts on every row: normalise each one once
_normalised = functools.lru_cache(maxsize=8192)(normalise_header)
