"""Colours people can tell apart: one hue per helix, shades of it per actor kind.

The hues are Okabe and Ito's colour-blind-safe set (blue, orange, bluish green, reddish
purple); kinds are lighter or darker shades of their helix's hue, so a map coloured by kind still
reads by helix at a glance. Vermillion is kept out of every node colour: it marks what the reader
should act on (suggested ties, gaps), and near-black rings mark single points of failure.
"""

from __future__ import annotations

__all__ = [
    "ACTION_COLOR",
    "CUT_POINT_COLOR",
    "HELIX_COLORS",
    "HELIX_OF_KIND",
    "KIND_COLORS",
    "UNKNOWN_COLOR",
    "helix_label",
    "kind_label",
]

HELIX_COLORS = {
    "public": "#0072B2",  # blue
    "industry": "#E69F00",  # orange
    "academia": "#009E73",  # bluish green
    "civil_society": "#CC79A7",  # reddish purple
}
UNKNOWN_COLOR = "#9E9E9E"
ACTION_COLOR = "#D55E00"  # vermillion: used by no node
CUT_POINT_COLOR = "#1A1A1A"

# The helix a kind belongs to by default (the schema's rule), for its shade.
HELIX_OF_KIND: dict[str, str | None] = {
    "region": "public",
    "public_agency": "public",
    "municipality": "public",
    "business_support": "public",
    "funder": "public",
    "company": "industry",
    "cluster": "industry",
    "coworking": "industry",
    "academia": "academia",
    "research_institute": "academia",
    "civil_society": "civil_society",
    "design_org": "civil_society",
    "sami_org": None,
    "other": None,
}

# Shades: dark, base, light, lighter (hand-picked so neighbours differ in lightness).
KIND_COLORS = {
    "region": "#004A75",
    "public_agency": "#0072B2",
    "municipality": "#4F9FD1",
    "business_support": "#1B5E8A",
    "funder": "#8EC3E6",
    "company": "#E69F00",
    "cluster": "#A86F00",
    "coworking": "#F5C55A",
    "academia": "#009E73",
    "research_institute": "#5CC9A7",
    "civil_society": "#CC79A7",
    "design_org": "#9C4E7C",
    "sami_org": "#6B6B6B",
    "other": UNKNOWN_COLOR,
}

_HELIX_LABELS = {
    "public": "public sector",
    "industry": "industry",
    "academia": "academia",
    "civil_society": "civil society",
}
_KIND_LABELS = {
    "region": "region",
    "public_agency": "public agency",
    "municipality": "municipality",
    "business_support": "business support",
    "design_org": "design organisation",
    "cluster": "cluster",
    "coworking": "co-working space",
    "company": "company",
    "academia": "university",
    "research_institute": "research institute",
    "civil_society": "association",
    "sami_org": "Sami organisation",
    "funder": "funder",
    "other": "other",
}


def helix_label(helix: str | None) -> str:
    """A helix as people say it ("civil_society" → "civil society"; none → "no helix").

    >>> helix_label("civil_society"), helix_label(None), helix_label("(unknown)")
    ('civil society', 'no helix', 'no helix')
    """
    if not helix or helix.startswith("("):
        return "no helix"
    return _HELIX_LABELS.get(helix, helix.replace("_", " "))


def kind_label(kind: str | None) -> str:
    """An actor kind as people say it ("coworking" → "co-working space").

    >>> kind_label("coworking"), kind_label("business_support"), kind_label(None)
    ('co-working space', 'business support', 'unknown kind')
    """
    if not kind or kind.startswith("("):
        return "unknown kind"
    return _KIND_LABELS.get(kind, kind.replace("_", " "))
