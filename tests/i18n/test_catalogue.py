"""The catalogues: every message the code marks is translated in every language, and the
catalogues are what the running program reads (from the .po files, no build step)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from graph.errors import UsageError
from graph.i18n import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    available_languages,
    current_language,
    preferred_languages,
    translator,
)

ROOT = Path(__file__).resolve().parents[2]

Key = tuple[str | None, str]  # (context, message)


def marked_messages(root: Path = ROOT) -> dict[Key, dict[str, object]]:
    """Every message Babel's extractor finds with the project's ``babel.cfg``: its plural form
    (or None) and where it is marked."""
    with (root / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(root / "babel.cfg"))
    found: dict[Key, dict[str, object]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(root), method_map, options_map
    ):
        singular, plural = (message, None) if isinstance(message, str) else message[:2]
        entry = found.setdefault((context, singular), {"plural": plural, "where": []})
        entry["where"].append(f"{filename}:{lineno}")  # type: ignore[union-attr]
    return found


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


_PERCENT_FIELD = re.compile(r"%\((\w+)\)[sd]")  # Jinja2's {% trans %} writes %(name)s


def _fields(text: str) -> set[str]:
    """The placeholders of a message: ``{name}`` (Python) and ``%(name)s`` (Jinja2)."""
    try:
        brace = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:  # a lone brace: not a format string
        brace = set()
    return brace | set(_PERCENT_FIELD.findall(text))


def missing_translations(
    messages: dict[Key, dict[str, object]], catalogue: Catalog, lang: str
) -> list[str]:
    """One line per message ``catalogue`` lacks: absent, untranslated, fuzzy, without its plural
    forms or with other ``{placeholders}`` than the message. The source language (English) may
    leave a translation empty: the message in the code is its text."""
    out: list[str] = []
    for (context, singular), info in sorted(messages.items(), key=lambda kv: str(kv[0])):
        where = ", ".join(info["where"])  # type: ignore[arg-type]
        label = f"{lang}: {singular!r}" + (f" (context {context!r})" if context else "")
        entry = catalogue.get(singular, context=context)
        if entry is None:
            out.append(f"{label} is not in the catalogue (marked at {where})")
            continue
        if info["plural"] is not None and not entry.pluralizable:
            out.append(f"{label} has no plural forms in the catalogue (marked at {where})")
            continue
        if entry.fuzzy:
            out.append(f"{label} is fuzzy (marked at {where})")
            continue
        strings = list(entry.string) if entry.pluralizable else [entry.string]
        if lang == DEFAULT_LANGUAGE and not any(strings):
            continue
        if not all(strings):
            out.append(f"{label} is not translated (marked at {where})")
            continue
        expected = _fields(singular)
        for text in strings:
            if _fields(text) != expected:
                out.append(f"{label}: {text!r} has other placeholders than {sorted(expected)}")
    return out


def test_the_extractor_finds_the_marked_messages() -> None:
    """The check is only as good as the extraction: the three kinds of marks are all found
    (N_ with the CLI's error line, NP_ with its plural, NC_ with its context)."""
    messages = marked_messages()
    assert (None, "error: {message}") in messages
    assert messages[(None, "error: {n} problem found, nothing was imported")]["plural"] == (
        "error: {n} problems found, nothing was imported"
    )
    assert ("actor kind", "Business support") in messages
    assert ("relation kind", "Other") in messages
    assert ("actor kind", "Other") in messages


@pytest.mark.parametrize("lang", available_languages())
def test_every_marked_message_is_translated(lang: str) -> None:
    catalogue = read_catalogue(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po")
    assert missing_translations(marked_messages(), catalogue, lang) == []


@pytest.mark.parametrize("lang", available_languages())
def test_no_catalogue_keeps_messages_the_code_dropped(lang: str) -> None:
    """A message changed in the code leaves its old entry behind until ``pybabel update``
    marks it obsolete; a stale entry would be a translation nobody sees."""
    catalogue = read_catalogue(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po")
    marked = set(marked_messages())
    stale = [(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id]
    assert [k for k in stale if k not in marked] == []


def test_the_check_names_what_is_missing(tmp_path: Path) -> None:
    """The check can fail: a new message, a fuzzy one, a lost plural and a broken placeholder
    in a small project are each named, with the file and line where the code marks them."""
    (tmp_path / "babel.cfg").write_text("[python: **.py]\nkeywords = N_ NP_:1,2\n")
    (tmp_path / "mod.py").write_text(
        'A = N_("kept")\nB = N_("new")\nC = N_("fuzzy")\n'
        'D = NP_("{n} tie", "{n} ties")\nE = N_("hello {name}")\n'
    )
    catalogue = Catalog(locale="sv")
    catalogue.add("kept", "behållen")
    catalogue.add("fuzzy", "luddig", flags={"fuzzy"})
    catalogue.add("{n} tie", "{n} band")  # a plural message stored without its plural
    catalogue.add("hello {name}", "hej {namn}")
    found = missing_translations(marked_messages(tmp_path), catalogue, "sv")
    assert found == [  # in the order of the messages
        "sv: 'fuzzy' is fuzzy (marked at mod.py:3)",
        "sv: 'hello {name}': 'hej {namn}' has other placeholders than ['name']",
        "sv: 'new' is not in the catalogue (marked at mod.py:2)",
        "sv: '{n} tie' has no plural forms in the catalogue (marked at mod.py:4)",
    ]


def test_jinja2_templates_are_extracted_too(tmp_path: Path) -> None:
    """The reports' templates (graph/present/templates/) will hold most of the words: the
    mapping's jinja2 section finds {% trans %} blocks, their plurals and _() calls."""
    (tmp_path / "babel.cfg").write_text(
        (ROOT / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    templates = tmp_path / "graph" / "present" / "templates"
    templates.mkdir(parents=True)
    (templates / "report.html").write_text(
        "<h1>{% trans %}Findings{% endtrans %}</h1><p>{{ _('Gap') }}</p>\n"
        "<p>{% trans n=count %}{{ n }} tie{% pluralize %}{{ n }} ties{% endtrans %}</p>\n",
        encoding="utf-8",
    )
    messages = marked_messages(tmp_path)
    assert set(messages) == {(None, "Findings"), (None, "Gap"), (None, "%(n)s tie")}
    assert messages[(None, "%(n)s tie")]["plural"] == "%(n)s ties"
    catalogue = Catalog(locale="sv")
    catalogue.add("Findings", "Resultat")
    catalogue.add("Gap", "Glapp")
    catalogue.add(("%(n)s tie", "%(n)s ties"), ("%(n)s band", "%(antal)s band"))
    assert missing_translations(messages, catalogue, "sv") == [
        "sv: '%(n)s tie': '%(antal)s band' has other placeholders than ['n']"
    ]


def test_swedish_is_read_from_the_po_file_itself() -> None:
    """No .mo file is shipped or needed: the translator compiles the .po in memory."""
    assert not list(LOCALE_DIR.rglob("*.mo"))
    sv = translator("sv")
    assert sv.gettext("error: {message}") == "fel: {message}"
    assert sv.pgettext("activity kind", "Learning lab") == "Lärlabb"
    one, many = (
        "error: {n} problem found, nothing was imported",
        ("error: {n} problems found, nothing was imported"),
    )
    assert sv.ngettext(one, many, 1) == "fel: {n} problem hittades, inget importerades"
    en = translator("en")
    assert (en.ngettext(one, many, 1), en.ngettext(one, many, 2)) == (one, many)
    # a message no catalogue knows is shown as written in the code
    assert sv.gettext("not a message") == "not a message"


def test_the_languages_are_the_catalogues_found(tmp_path: Path) -> None:
    """A third language is a catalogue, not code."""
    assert available_languages()[0] == "en"
    assert "sv" in available_languages()
    po = tmp_path / "se" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgctxt "actor kind"\nmsgid "Municipality"\nmsgstr "Gielda"\n',
        encoding="utf-8",
    )
    assert available_languages(tmp_path) == ("en", "se")
    assert translator("se", tmp_path).pgettext("actor kind", "Municipality") == "Gielda"


@pytest.mark.parametrize(
    ("explicit", "env", "preferred", "expected"),
    [
        (None, {}, (), "en"),
        ("sv", {"ECOGRAPH_LANG": "en"}, (), "sv"),  # --lang beats the environment
        (None, {"ECOGRAPH_LANG": "sv", "LANG": "en_US.UTF-8"}, (), "sv"),
        (None, {"ECOGRAPH_LANG": "SV_se"}, (), "sv"),
        (None, {"ECOGRAPH_LANG": " "}, (), "en"),  # empty means not set
        (None, {"LANG": "sv_SE.UTF-8"}, (), "sv"),
        (None, {"LANG": "sv_FI.UTF-8"}, (), "sv"),  # Swedish in Finland is Swedish
        (None, {"LANG": "nb_NO.UTF-8"}, (), "en"),  # no catalogue: English
        (None, {"LANG": "C.UTF-8"}, (), "en"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "sv_SE.UTF-8"}, (), "en"),  # LC_ALL first
        (None, {"LANGUAGE": "sv:en", "LANG": "en_US.UTF-8"}, (), "sv"),
        (None, {"LANG": "en_US.UTF-8"}, ("sv-SE",), "sv"),  # a browser's language
        (None, {"LANG": "sv_SE.UTF-8"}, ("de-DE", None), "sv"),  # then the locale
        (None, {"ECOGRAPH_LANG": "en"}, ("sv-SE",), "en"),  # the operator's choice first
    ],
)
def test_the_language_in_force(
    explicit: str | None, env: dict[str, str], preferred: tuple[str, ...], expected: str
) -> None:
    assert current_language(explicit, env, preferred=preferred) == expected


def test_an_unknown_language_is_said_in_one_line() -> None:
    with pytest.raises(UsageError) as info:
        current_language(env={"ECOGRAPH_LANG": "de"})
    choices = ", ".join(available_languages())  # "en, sv" today; a new catalogue adds itself
    assert str(info.value) == (
        f"ECOGRAPH_LANG: 'de' is not a language ecograph speaks; choose one of {choices}"
    )
    with pytest.raises(UsageError, match=r"^--lang: 'fr'"):
        current_language("fr", env={})


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7", "sv"),  # a Swedish phone's browser
        ("en-US,en;q=0.9", "en"),
        ("de-DE,sv;q=0.5", "sv"),  # German first, but ecograph has no German
        ("fr;q=0.9, sv;q=0", "en"),  # q=0 means "not this one"
        ("", "en"),
        ("sv;q=oops, en", "en"),  # a broken quality counts as not wanted
    ],
)
def test_a_forms_language_from_the_browsers_header(header: str, expected: str) -> None:
    """The lab form follows the participant's browser (issue 19), through Accept-Language."""
    assert current_language(env={}, preferred=preferred_languages(header)) == expected


def test_the_chosen_language_holds_in_its_block_and_thread_only() -> None:
    """``use_language`` makes what the core says inside the block speak a language (an error's
    reason, built far from the page), and leaves other threads (other browser sessions) and the
    code after the block in theirs."""
    import threading

    from graph.i18n import chosen_language, use_language

    seen: dict[str, str] = {}

    def other_session() -> None:
        seen["other"] = translator().lang

    with use_language("sv"):
        assert translator().lang == "sv"
        thread = threading.Thread(target=other_session)
        thread.start()
        thread.join()
    assert seen["other"] == "en"  # conftest's ECOGRAPH_LANG
    assert chosen_language() is None
    assert translator().lang == "en"


def test_a_commands_language_ends_with_its_run(tmp_path: Path) -> None:
    """``--lang sv`` sets the language of one run; the next run in the same thread (as in a
    test session, or an editor's process) speaks its own again."""
    from click.testing import CliRunner

    from graph.cli import cli
    from graph.i18n import chosen_language

    missing = tmp_path / "none.duckdb"
    first = CliRunner().invoke(cli, ["--lang", "sv", "stats", "--db", str(missing)])
    assert first.output.startswith("fel: ")
    assert chosen_language() is None
    second = CliRunner().invoke(cli, ["stats", "--db", str(missing)])
    assert second.output.startswith("error: ")
