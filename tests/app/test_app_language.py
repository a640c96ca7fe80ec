"""The language switch in the sidebar: the default, the address (?lang=sv), the choice, and
the choice surviving a change of page (which clears Streamlit's query parameters)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database


def _switch_page() -> None:
    """A page that draws only the switch and one translated vocabulary name."""
    import streamlit as st

    from graph.i18n import display_name
    from ui.language import render_language_switch

    t = render_language_switch()
    st.markdown(display_name("actor_kind", "municipality", t.lang))


def _app() -> AppTest:
    return AppTest.from_function(_switch_page, default_timeout=30)


def test_english_by_default_and_the_address_says_so() -> None:
    at = _app().run()
    assert not at.exception
    assert at.sidebar.radio[0].value == "en"
    assert at.sidebar.radio[0].label.endswith("Language")
    assert at.markdown[0].value == "Municipality"
    assert at.query_params["lang"] == "en"


def test_the_address_chooses_swedish() -> None:
    at = _app()
    at.query_params["lang"] = "sv"
    at.run()
    assert at.sidebar.radio[0].value == "sv"
    assert at.sidebar.radio[0].label.endswith("Språk")
    assert at.markdown[0].value == "Kommun"


def test_choosing_swedish_translates_and_is_written_to_the_address() -> None:
    at = _app().run()
    at.sidebar.radio[0].set_value("sv").run()
    assert at.markdown[0].value == "Kommun"
    assert at.sidebar.radio[0].label.endswith("Språk")
    assert at.query_params["lang"] == "sv"
    # changing page clears the address's parameters; the session puts the choice back
    at.query_params.clear()
    at.run()
    assert at.markdown[0].value == "Kommun"
    assert at.query_params["lang"] == "sv"


def test_an_unknown_language_in_the_address_falls_back() -> None:
    at = _app()
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception
    assert at.sidebar.radio[0].value == "en"
    assert at.query_params["lang"] == "en"


def test_the_servers_locale_is_the_default_without_ecograph_lang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ECOGRAPH_LANG")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    at = _app().run()
    assert at.sidebar.radio[0].value == "sv"


def test_a_wrong_ecograph_lang_is_a_warning_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOGRAPH_LANG", "de")
    at = _app().run()
    assert not at.exception
    assert at.sidebar.warning[0].value.startswith("ECOGRAPH_LANG: 'de' is not a language")
    assert at.sidebar.radio[0].value == "en"


def test_the_whole_app_has_the_switch_at_the_top_of_the_sidebar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.duckdb"
    init_database(path, empty=True)
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run()
    assert not at.exception
    assert at.sidebar.radio[0].label.endswith("Språk")
    assert at.sidebar.radio[0].value == "sv"
