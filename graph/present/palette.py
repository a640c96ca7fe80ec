"""Colours people can tell apart: one hue per helix, shades of it per actor kind.

The hues are Okabe and Ito's colour-blind-safe set (blue, orange, bluish green, reddish
purple); kinds are lighter or darker shades of their helix's hue, so a map coloured by kind still
reads by helix at a glance. Vermillion is kept out of every node colour: it marks what the reader
should act on (suggested ties, gaps), and near-black rings mark single points of failure.
"""

from __future__ import annotations

from graph.i18n import N_, NC_, VOCABULARIES, display_name, translator

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

# Kinds and helices in running text are their vocabularies' display names (graph.i18n) with a
# small first letter ("co-working space", "public sector"); these are the exceptions, where a
# sentence says something else than a picker.
_KIND_IN_TEXT = {
    "civil_society": NC_("actor kind, in running text", "association"),
    "sami_org": NC_("actor kind, in running text", "Sami organisation"),
}
TEXTS = {
    "no_helix": N_("no helix"),
    "unknown_kind": N_("unknown kind"),
}


def _in_text(name: str) -> str:
    """A display name as it reads inside a sentence: its first letter small."""
    return name[:1].lower() + name[1:]


def helix_label(helix: str | None, lang: str | None = None) -> str:
    """A helix as people say it in ``lang`` (None: the language in force): "civil_society" →
    "civil society"; none → "no helix".

    >>> helix_label("civil_society", "en"), helix_label(None, "en"), helix_label("(unknown)", "en")
    ('civil society', 'no helix', 'no helix')
    >>> helix_label("industry", "sv")
    'näringsliv'
    """
    t = translator(lang)
    if not helix or helix.startswith("("):
        return t.gettext(TEXTS["no_helix"])
    if helix in VOCABULARIES["helix"]:
        return _in_text(display_name("helix", helix, t.lang))
    return helix.replace("_", " ")


def kind_label(kind: str | None, lang: str | None = None) -> str:
    """An actor kind as people say it in ``lang`` (None: the language in force): "coworking" →
    "co-working space".

    >>> kind_label("coworking", "en"), kind_label("business_support", "en"), kind_label(None, "en")
    ('co-working space', 'business support', 'unknown kind')
    >>> kind_label("business_support", "sv"), kind_label("sami_org", "sv")
    ('företagsstöd', 'samisk organisation')
    """
    t = translator(lang)
    if not kind or kind.startswith("("):
        return t.gettext(TEXTS["unknown_kind"])
    if kind in _KIND_IN_TEXT:
        return t.pgettext("actor kind, in running text", _KIND_IN_TEXT[kind])
    if kind in VOCABULARIES["actor_kind"]:
        return _in_text(display_name("actor_kind", kind, t.lang))
    return kind.replace("_", " ")
