"""Sami names stay intact in every language (issue #19): the shipped region's Sami organisations
(data/jamtland, kind ``sami_org``) come out of the command line and the app letter for letter in
Swedish and in English, and sort where a reader looks for them (Ávki with the A's, not after Ö).

A translation that ran names through a catalogue, a normalisation (NFD would split Á into A and
a combining accent) or an ASCII fallback would change them; a code point sort would put Ávki
after Z.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from graph.cli.commands import cli
from graph.datasets.bootstrap import init_database
from graph.i18n import sort_frame, translator
from tests.conftest import ROOT

SHIPPED_ACTORS = ROOT / "data" / "jamtland" / "actors.csv"
APP = str(ROOT / "app.py")


def _sami_organisations() -> dict[str, str]:
    """``{actor_id: name}`` of the shipped Sami organisations, as the CSV file writes them."""
    actors = pl.read_csv(SHIPPED_ACTORS, infer_schema=False)
    rows = actors.filter(pl.col("kind") == "sami_org").select("actor_id", "name").rows()
    return dict(rows)


SAMI = _sami_organisations()


def test_the_shipped_region_has_sami_organisations_with_sami_letters() -> None:
    """The test has something to test: names with Á among them, all in NFC."""
    assert {"avki", "gaaltije", "saminuorra", "slow-food-sapmi", "ssr"} <= set(SAMI)
    assert SAMI["avki"] == "Ávki – Arena samisk näringslivsutveckling"
    assert SAMI["slow-food-sapmi"] == "Slow Food Sápmi"
    assert all(unicodedata.is_normalized("NFC", name) for name in SAMI.values())


@pytest.fixture(scope="module")
def region_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped region without the synthetic layer."""
    path = tmp_path_factory.mktemp("sami") / "region.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECOGRAPH_DATA_DIR", str(ROOT / "data"))
        init_database(path, synthetic=False)
    return path


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_command_line_gives_the_names_unchanged(region_db: Path, lang: str) -> None:
    runner = CliRunner()
    sql = "SELECT actor_id, name FROM actors WHERE kind = 'sami_org'"
    result = runner.invoke(
        cli, ["--lang", lang, "query", "--db", str(region_db), "--format", "csv", sql]
    )
    assert result.exit_code == 0, result.output
    assert dict(csv.reader(io.StringIO(result.stdout.strip()))) == {"actor_id": "name", **SAMI}

    # a sentence around a name, in each language (the what-if's first line)
    result = runner.invoke(
        cli, ["--lang", lang, "whatif", "--db", str(region_db), "--remove", "gaaltije"]
    )
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    opening = {"sv": "Om Stiftelsen Gaaltije tas bort ", "en": "Removing Stiftelsen Gaaltije "}
    assert first.startswith(opening[lang])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_app_offers_the_names_unchanged(
    monkeypatch: pytest.MonkeyPatch, region_db: Path, lang: str
) -> None:
    """The network map's actor search lists every actor as "name (id)": the Sami
    organisations' names must be there letter for letter, in either language."""
    monkeypatch.setenv("ECOGRAPH_DB", str(region_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("ui/network_map.py").run()
    assert not at.exception
    assert at.sidebar.radio[0].value == lang
    options = set(at.selectbox(key="map_ego").options)
    with_ties = [i for i in SAMI if any(o.endswith(f"({i})") for o in options)]
    assert len(with_ties) >= 5  # the Sami organisations with a tie are on the map
    for actor_id in with_ties:
        assert f"{SAMI[actor_id]} ({actor_id})" in options


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_names_sort_in_place(lang: str) -> None:
    """Among every shipped actor, sorted the language's way, a Sami name sorts by its base
    letters: Ávki and Ájtte among the A's, Sáminuorra and Slow Food Sápmi among the S's."""
    actors = pl.read_csv(SHIPPED_ACTORS, infer_schema=False).select("actor_id", "name")
    ordered = sort_frame(actors, "name", lang)["name"].to_list()
    assert ordered == sorted(actors["name"].to_list(), key=translator(lang).sort_key())

    def base(name: str) -> str:  # the letters a reader sorts by: Á as A, Š as S
        return unicodedata.normalize("NFD", name)[0].upper()

    for name in (SAMI["avki"], SAMI["saminuorra"], SAMI["slow-food-sapmi"]):
        i = ordered.index(name)
        # its neighbours begin with the same base letter or the ones next to it in the alphabet
        assert base(ordered[i - 1]) <= base(name) <= base(ordered[i + 1]), ordered[i - 1 : i + 2]
    a_block = [n for n in ordered if base(n) == "A" and not n.startswith(("Å", "Ä"))]
    first_b = next(i for i, n in enumerate(ordered) if base(n) == "B")
    assert SAMI["avki"] in a_block
    assert ordered.index(SAMI["avki"]) < first_b
    if lang == "sv":  # Å, Ä, Ö after Z: the Swedish letters move, the Sami ones do not
        assert ordered[-1][0] in "ÅÄÖ"
