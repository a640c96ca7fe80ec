"""Every text the participant form, its messages and the poster show, in the catalogue.

The form is written for participants on phones, so its words are its own (``kind_academia`` is
"University" here, not the vocabulary's name): every message has the context ``lab form`` in the
catalogue, apart from the app's. The form follows the browser's language (``Accept-Language``)
and offers a switch to each other language ecograph speaks; a language without a catalogue falls
back to English.
"""

from __future__ import annotations

from graph.i18n import NC_, available_languages, preferred_languages, translator

__all__ = ["CONTEXT", "TEXTS", "choose_language", "form_texts", "other_languages"]

CONTEXT = "lab form"

# "switch_to" is each language's own words for itself ("På svenska"): the link to that language.
TEXTS: dict[str, str] = {
    "switch_to": NC_("lab form", "In English"),
    "title": NC_("lab form", "Who works with whom?"),
    "intro": NC_(
        "lab form", "Tell us which organisations yours works with. It takes about three minutes."
    ),
    "my_org": NC_("lab form", "My organisation"),
    "org_search": NC_("lab form", "Type its name"),
    "org_new": NC_("lab form", "Not in the list: add it as a new organisation"),
    "kind": NC_("lab form", "Kind of organisation"),
    "municipality": NC_("lab form", "Municipality"),
    "ties": NC_("lab form", "With whom do you work?"),
    "partner": NC_("lab form", "Partner organisation"),
    "how": NC_("lab form", "How"),
    "how_project": NC_("lab form", "In a project"),
    "how_advice": NC_("lab form", "Advice"),
    "how_funding": NC_("lab form", "Funding"),
    "how_membership": NC_("lab form", "Membership"),
    "how_other": NC_("lab form", "Other"),
    "strength": NC_("lab form", "How often"),
    "strength_now_and_then": NC_("lab form", "Now and then"),
    "strength_regularly": NC_("lab form", "Regularly"),
    "strength_core": NC_("lab form", "Core partner"),
    "since": NC_("lab form", "Since (year)"),
    "add_tie": NC_("lab form", "Add a partner"),
    "remove": NC_("lab form", "Remove"),
    "wanted": NC_("lab form", "Whom would you like to work with but cannot reach?"),
    "obstacle": NC_("lab form", "What stops it?"),
    "add_wanted": NC_("lab form", "Add an organisation you would like to reach"),
    "comment": NC_("lab form", "Anything else? (optional)"),
    "contact": NC_("lab form", "Contact person (optional, never shown on the map or exported)"),
    "consent": NC_(
        "lab form",
        "I agree that the ties above are stored as statements of my organisation, sourced to "
        "this lab, and shown on the lab's map. Organisations only: no names of people are "
        "published. A contact person, if given, is kept apart and deleted with the raw "
        "answers {days} days after the lab.",
    ),
    "submit": NC_("lab form", "Send"),
    "save": NC_("lab form", "Save my corrections"),
    "receipt_title": NC_("lab form", "Thank you! Your answers were received."),
    "receipt_id": NC_("lab form", "Receipt"),
    "receipt_note": NC_(
        "lab form",
        "A moderator checks the answers before they appear on the map. You can correct "
        "them on this phone until the lab closes.",
    ),
    "correct": NC_("lab form", "Correct my answers"),
    "closed": NC_("lab form", "This lab is closed: answers can no longer be sent or corrected."),
    "unknown_lab": NC_("lab form", "There is no open lab with this code."),
    "known": NC_("lab form", "known organisation"),
    "sending": NC_("lab form", "Sending…"),
    "failed": NC_("lab form", "Sending failed: check your connection and try again."),
    "too_many": NC_(
        "lab form", "Too many answers from this device in a short time: wait a minute."
    ),
    "fix_fields": NC_("lab form", "Some answers need a look: see the messages in red."),
    "poster_join": NC_("lab form", "Map your organisation's ties"),
    "poster_how": NC_(
        "lab form", "Scan the code with your phone's camera, or open the link and enter the code"
    ),
    "poster_code": NC_("lab form", "Code"),
    "kind_region": NC_("lab form", "Region"),
    "kind_public_agency": NC_("lab form", "Public agency"),
    "kind_municipality": NC_("lab form", "Municipality"),
    "kind_business_support": NC_("lab form", "Business support"),
    "kind_design_org": NC_("lab form", "Design organisation"),
    "kind_cluster": NC_("lab form", "Cluster"),
    "kind_coworking": NC_("lab form", "Co-working space"),
    "kind_company": NC_("lab form", "Company"),
    "kind_academia": NC_("lab form", "University"),
    "kind_research_institute": NC_("lab form", "Research institute"),
    "kind_civil_society": NC_("lab form", "Civil society"),
    "kind_sami_org": NC_("lab form", "Sami organisation"),
    "kind_funder": NC_("lab form", "Funder"),
    "kind_other": NC_("lab form", "Other"),
    "err_required": NC_("lab form", "required"),
    "err_text": NC_("lab form", "must be text"),
    "err_too_long": NC_("lab form", "at most {n} characters"),
    "err_choice": NC_("lab form", "choose one of: {choices}"),
    "err_unknown_actor": NC_("lab form", "no known organisation has this id"),
    "err_year": NC_("lab form", "a year (like 2021) or a date (2021-05-01), not in the future"),
    "err_list": NC_("lab form", "must be a list"),
    "err_too_many": NC_("lab form", "at most {n}"),
    "err_object": NC_("lab form", "must be an object"),
    "err_self": NC_("lab form", "the same organisation as yours"),
    "err_consent": NC_("lab form", "needed to send the answers"),
    "err_body": NC_("lab form", "the request must be a JSON object"),
}


def form_texts(lang: str) -> dict[str, str]:
    """The form's texts in ``lang`` (English where the catalogue has no translation), by key.

    >>> form_texts("sv")["title"], form_texts("en")["title"]
    ('Vem samarbetar med vem?', 'Who works with whom?')
    """
    t = translator(lang)
    return {key: t.pgettext(CONTEXT, message) for key, message in TEXTS.items()}


def other_languages(lang: str) -> list[tuple[str, str]]:
    """The form's switch: each other language and the link's words in it.

    >>> other_languages("sv")
    [('en', 'In English')]
    """
    return [
        (other, form_texts(other)["switch_to"]) for other in available_languages() if other != lang
    ]


def choose_language(accept_language: str | None, explicit: str | None = None) -> str:
    """The form's language: ``explicit`` (the switch) when it is one we have, else the first
    of ours in the browser's ``Accept-Language``, else English.

    >>> choose_language("sv-SE,sv;q=0.9,en;q=0.8")
    'sv'
    >>> choose_language("de-DE,en;q=0.5", explicit="sv")
    'sv'
    >>> choose_language("fi")
    'en'
    >>> choose_language("en;q=0.5, sv;q=0.9")
    'sv'
    """
    languages = available_languages()
    if explicit in languages:
        return str(explicit)
    for tag in preferred_languages(accept_language):  # most wanted first (q-values)
        primary = tag.split("-")[0].lower()
        if primary in languages:
            return primary
    return "en"
