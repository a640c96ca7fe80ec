"""Every text the participant form, its messages and the poster show, per language.

One dict per language with the same keys (a test checks that they agree), so the texts move into
gettext catalogues mechanically. The form follows the browser's language (``Accept-Language``)
and offers a switch; anything but Swedish falls back to English.
"""

from __future__ import annotations

from graph.i18n.catalogue import preferred_languages

__all__ = ["LANGUAGES", "TEXTS", "choose_language"]

LANGUAGES = ("sv", "en")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "switch_to": "På svenska",
        "title": "Who works with whom?",
        "intro": "Tell us which organisations yours works with. It takes about three minutes.",
        "my_org": "My organisation",
        "org_search": "Type its name",
        "org_new": "Not in the list: add it as a new organisation",
        "kind": "Kind of organisation",
        "municipality": "Municipality",
        "ties": "With whom do you work?",
        "partner": "Partner organisation",
        "how": "How",
        "how_project": "In a project",
        "how_advice": "Advice",
        "how_funding": "Funding",
        "how_membership": "Membership",
        "how_other": "Other",
        "strength": "How often",
        "strength_now_and_then": "Now and then",
        "strength_regularly": "Regularly",
        "strength_core": "Core partner",
        "since": "Since (year)",
        "add_tie": "Add a partner",
        "remove": "Remove",
        "wanted": "Whom would you like to work with but cannot reach?",
        "obstacle": "What stops it?",
        "add_wanted": "Add an organisation you would like to reach",
        "comment": "Anything else? (optional)",
        "contact": "Contact person (optional, never shown on the map or exported)",
        "consent": (
            "I agree that the ties above are stored as statements of my organisation, sourced to "
            "this lab, and shown on the lab's map. Organisations only: no names of people are "
            "published. A contact person, if given, is kept apart and deleted with the raw "
            "answers {days} days after the lab."
        ),
        "submit": "Send",
        "save": "Save my corrections",
        "receipt_title": "Thank you! Your answers were received.",
        "receipt_id": "Receipt",
        "receipt_note": (
            "A moderator checks the answers before they appear on the map. You can correct "
            "them on this phone until the lab closes."
        ),
        "correct": "Correct my answers",
        "closed": "This lab is closed: answers can no longer be sent or corrected.",
        "unknown_lab": "There is no open lab with this code.",
        "known": "known organisation",
        "sending": "Sending…",
        "failed": "Sending failed: check your connection and try again.",
        "too_many": "Too many answers from this device in a short time: wait a minute.",
        "fix_fields": "Some answers need a look: see the messages in red.",
        "poster_join": "Map your organisation's ties",
        "poster_how": "Scan the code with your phone's camera, or open the link and enter the code",
        "poster_code": "Code",
        "kind_region": "Region",
        "kind_public_agency": "Public agency",
        "kind_municipality": "Municipality",
        "kind_business_support": "Business support",
        "kind_design_org": "Design organisation",
        "kind_cluster": "Cluster",
        "kind_coworking": "Co-working space",
        "kind_company": "Company",
        "kind_academia": "University",
        "kind_research_institute": "Research institute",
        "kind_civil_society": "Civil society",
        "kind_sami_org": "Sami organisation",
        "kind_funder": "Funder",
        "kind_other": "Other",
        # per-field messages of the JSON route
        "err_required": "required",
        "err_text": "must be text",
        "err_too_long": "at most {n} characters",
        "err_choice": "choose one of: {choices}",
        "err_unknown_actor": "no known organisation has this id",
        "err_year": "a year (like 2021) or a date (2021-05-01), not in the future",
        "err_list": "must be a list",
        "err_too_many": "at most {n}",
        "err_object": "must be an object",
        "err_self": "the same organisation as yours",
        "err_consent": "needed to send the answers",
        "err_body": "the request must be a JSON object",
    },
    "sv": {
        "lang_name": "Svenska",
        "switch_to": "In English",
        "title": "Vem samarbetar med vem?",
        "intro": "Berätta vilka organisationer er organisation samarbetar med. Det tar ungefär "
        "tre minuter.",
        "my_org": "Min organisation",
        "org_search": "Skriv dess namn",
        "org_new": "Finns inte i listan: lägg till den som en ny organisation",
        "kind": "Typ av organisation",
        "municipality": "Kommun",
        "ties": "Vilka samarbetar ni med?",
        "partner": "Samarbetsorganisation",
        "how": "Hur",
        "how_project": "I ett projekt",
        "how_advice": "Rådgivning",
        "how_funding": "Finansiering",
        "how_membership": "Medlemskap",
        "how_other": "Annat",
        "strength": "Hur ofta",
        "strength_now_and_then": "Då och då",
        "strength_regularly": "Regelbundet",
        "strength_core": "Kärnpartner",
        "since": "Sedan (år)",
        "add_tie": "Lägg till en samarbetsorganisation",
        "remove": "Ta bort",
        "wanted": "Vilka skulle ni vilja samarbeta med men når inte?",
        "obstacle": "Vad hindrar?",
        "add_wanted": "Lägg till en organisation ni vill nå",
        "comment": "Något mer? (frivilligt)",
        "contact": "Kontaktperson (frivilligt, visas aldrig på kartan och exporteras aldrig)",
        "consent": (
            "Jag godkänner att samarbetena ovan sparas som min organisations uppgifter, med "
            "labbet som källa, och visas på labbets karta. Bara organisationer: inga namn på "
            "personer publiceras. En kontaktperson, om den anges, sparas separat och raderas "
            "med de råa svaren {days} dagar efter labbet."
        ),
        "submit": "Skicka",
        "save": "Spara mina ändringar",
        "receipt_title": "Tack! Dina svar har tagits emot.",
        "receipt_id": "Kvitto",
        "receipt_note": (
            "En moderator granskar svaren innan de visas på kartan. Du kan rätta dem på den "
            "här telefonen tills labbet stänger."
        ),
        "correct": "Rätta mina svar",
        "closed": "Labbet är stängt: svar kan inte längre skickas eller rättas.",
        "unknown_lab": "Det finns inget öppet labb med den här koden.",
        "known": "känd organisation",
        "sending": "Skickar…",
        "failed": "Det gick inte att skicka: kontrollera anslutningen och försök igen.",
        "too_many": "För många svar från den här enheten på kort tid: vänta en minut.",
        "fix_fields": "Några svar behöver ses över: se meddelandena i rött.",
        "poster_join": "Kartlägg er organisations samarbeten",
        "poster_how": "Skanna koden med mobilens kamera, eller öppna länken och skriv koden",
        "poster_code": "Kod",
        "kind_region": "Region",
        "kind_public_agency": "Myndighet",
        "kind_municipality": "Kommun",
        "kind_business_support": "Företagsstöd",
        "kind_design_org": "Designorganisation",
        "kind_cluster": "Kluster",
        "kind_coworking": "Coworking",
        "kind_company": "Företag",
        "kind_academia": "Universitet eller högskola",
        "kind_research_institute": "Forskningsinstitut",
        "kind_civil_society": "Civilsamhälle",
        "kind_sami_org": "Samisk organisation",
        "kind_funder": "Finansiär",
        "kind_other": "Annat",
        "err_required": "måste fyllas i",
        "err_text": "måste vara text",
        "err_too_long": "högst {n} tecken",
        "err_choice": "välj ett av: {choices}",
        "err_unknown_actor": "ingen känd organisation har detta id",
        "err_year": "ett år (som 2021) eller ett datum (2021-05-01), inte i framtiden",
        "err_list": "måste vara en lista",
        "err_too_many": "högst {n}",
        "err_object": "måste vara ett objekt",
        "err_self": "samma organisation som er egen",
        "err_consent": "behövs för att skicka svaren",
        "err_body": "förfrågan måste vara ett JSON-objekt",
    },
}


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
    if explicit in LANGUAGES:
        return str(explicit)
    for tag in preferred_languages(accept_language):  # most wanted first (q-values)
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return "en"
