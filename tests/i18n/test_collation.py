"""Names sorted as Swedish (and English, and Northern Sami) sort them. The expected orders are
written by hand from the alphabets: Swedish a–z then å, ä, ö (Svenska Akademiens ordlista, and
CLDR's Swedish rules for æ, ø, ü); a letter with an accent just after the plain one."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from graph.i18n import sort_frame, sort_key, sorted_by_name


def test_swedish_puts_a_ring_a_umlaut_and_o_umlaut_after_z() -> None:
    names = ["Östersund", "Zinkgruvan", "Åre", "Ängelholm", "Arvidsjaur", "Oviken"]
    assert sorted(names, key=sort_key("sv")) == [
        "Arvidsjaur",
        "Oviken",
        "Zinkgruvan",
        "Åre",
        "Ängelholm",
        "Östersund",
    ]


def test_english_sorts_them_with_a_and_o() -> None:
    names = ["Östersund", "Zinkgruvan", "Åre", "Ängelholm", "Arvidsjaur", "Oviken"]
    assert sorted(names, key=sort_key("en")) == [
        "Ängelholm",
        "Åre",
        "Arvidsjaur",
        "Östersund",
        "Oviken",
        "Zinkgruvan",
    ]


def test_swedish_sorts_foreign_letters_with_their_swedish_twins() -> None:
    # æ with ä, ø with ö (Danish and Norwegian names), ü with y (Müller among the My-)
    names = ["Ørsted", "Ærø", "Ödeshög", "Äng", "Myra", "Müller", "Mylla", "Arla"]
    assert sorted_by_name(names, "sv") == [
        "Arla",
        "Mylla",
        "Müller",
        "Myra",
        "Äng",
        "Ærø",
        "Ödeshög",
        "Ørsted",
    ]


def test_v_and_w_are_two_letters() -> None:
    """Swedish has sorted w as a letter of its own since SAOL's 13th edition (2006)."""
    assert sorted_by_name(["Wik", "Vom", "Vik"], "sv") == ["Vik", "Vom", "Wik"]


def test_sami_letters_sort_with_their_base_letter_and_stay_intact() -> None:
    """Ávki among the A's, Čohkkiras among the C's, Ŋ among the N's: where a Swedish reader
    looks. A name that differs from another only by a Sami letter comes just after it."""
    names = ["Ŋuvdi", "Nuvdi", "Đavvi", "Dávvi", "Dala", "Čohkkiras", "Cavi", "Ávki", "Avki"]
    names += ["Ŧeahkká", "Teaŋŋa", "Šaddu", "Saddu", "Žiella", "Zeta", "Åsele"]
    ordered = sorted_by_name(names, "sv")
    assert ordered == [
        "Avki",
        "Ávki",
        "Cavi",
        "Čohkkiras",
        "Dala",
        "Dávvi",
        "Đavvi",
        "Nuvdi",
        "Ŋuvdi",
        "Saddu",
        "Šaddu",
        "Ŧeahkká",  # t-e-a-h before t-e-a-n: the letters decide before the accents
        "Teaŋŋa",
        "Zeta",
        "Žiella",
        "Åsele",
    ]
    assert sorted(ordered) == sorted(names)  # sorting never changes a name


def test_northern_sami_has_its_own_letters() -> None:
    """In Northern Sami Á, Č, Đ, Ŋ, Š, Ŧ, Ž are letters of the alphabet (a á b c č d đ …)."""
    names = ["Ávki", "Avki", "Bávtte", "Čohkkiras", "Cuoŋo", "Dála", "Đavvi", "Ŋuvdi", "Nuvdi"]
    assert sorted_by_name(names, "se") == [
        "Avki",
        "Ávki",
        "Bávtte",
        "Cuoŋo",
        "Čohkkiras",
        "Dála",
        "Đavvi",
        "Nuvdi",
        "Ŋuvdi",
    ]


def test_case_spaces_digits_and_prefixes() -> None:
    # lower case before upper case when nothing else differs; a shorter name before a longer
    # one it begins; a space before any letter; digits before letters
    names = ["Region Jämtland", "RegionJ", "region", "Region", "3D-center", "Reg", ""]
    assert sorted_by_name(names, "sv") == [
        "",
        "3D-center",
        "Reg",
        "region",
        "Region",
        "Region Jämtland",
        "RegionJ",
    ]


def test_decomposed_and_composed_letters_sort_alike() -> None:
    """A name pasted from a Mac can arrive decomposed (A + combining ring): still after Z."""
    decomposed = unicodedata.normalize("NFD", "Åre")
    assert decomposed != "Åre"
    assert sorted_by_name([decomposed, "Zeta"], "sv") == ["Zeta", decomposed]
    key = sort_key("sv")
    assert key(decomposed).split(" ")[:3] == key("Åre").split(" ")[:3]


def test_polars_sorts_by_the_key_as_python_does() -> None:
    names = ["Östersund", "Åre", "Zeta", "Ávki", "Avki", "ärla", "Ärla", "Ŋuvdi", "Nora"]
    frame = pl.DataFrame({"name": [*names, None], "n": range(len(names) + 1)})
    by_polars = sort_frame(frame, "name", "sv")
    assert by_polars["name"].to_list() == [*sorted(names, key=sort_key("sv")), None]
    assert by_polars.columns == ["name", "n"]  # no helper column left behind
    # the key as a column sorts the same way in polars itself
    keyed = pl.Series([sort_key("sv")(n) for n in names])
    assert [names[i] for i in keyed.arg_sort().to_list()] == sorted_by_name(names, "sv")
    assert sort_frame(frame, "name", "sv", descending=True)["name"].to_list()[0] == "Östersund"


@pytest.mark.parametrize("lang", ["xx", "de"])
def test_a_language_without_rules_sorts_as_english(lang: str) -> None:
    names = ["Östersund", "Åre", "Zeta"]
    assert sorted_by_name(names, lang) == sorted_by_name(names, "en")
