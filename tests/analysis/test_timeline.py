"""Time: the network year by year and the ties that lapse when activities end."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest

from graph.analysis.network import build_graph, load_actors, load_ties
from graph.analysis.timeline import at_risk_ties, ended_activities, network_by_year
from graph.errors import UsageError
from graph.store.database import read_table

ACTORS = pl.DataFrame(
    {
        "actor_id": ["a", "b", "c", "d", "e"],
        "name": ["Åre kommun", "Ávki", "SVID", "Samverket", "Peak Innovation"],
    }
)


def _ties(rows: list[tuple[str, str, str, str | None, date | None, date | None]]) -> pl.DataFrame:
    """Tie rows like ``load_ties`` returns, from (a, b, kind, activity, start, end)."""
    return pl.DataFrame(
        {
            "actor_a": [r[0] for r in rows],
            "actor_b": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "activity_id": [r[3] for r in rows],
            "start_date": [r[4] for r in rows],
            "end_date": [r[5] for r in rows],
            "weight": [1.0] * len(rows),
            "synthetic": [False] * len(rows),
        },
        schema_overrides={"activity_id": pl.String, "start_date": pl.Date, "end_date": pl.Date},
    )


# a–b always; b–c through project p1 in 2021–22 and a relation from 2022 (written c–b);
# d–e through p2 in 2023 only; a–c open start, ended 2021; f is not an actor, so f–a is ignored.
YEAR_TIES = _ties(
    [
        ("a", "b", "partnership", None, None, None),
        ("b", "c", "project", "p1", date(2021, 3, 1), date(2022, 6, 30)),
        ("c", "b", "partnership", None, date(2022, 1, 1), None),
        ("d", "e", "project", "p2", date(2023, 1, 1), date(2023, 12, 31)),
        ("a", "c", "advice", None, None, date(2021, 12, 31)),
        ("a", "f", "advice", None, None, None),
    ]
)


def test_network_by_year_hand_values() -> None:
    """Per year, by hand (5 actors, so 10 possible pairs):
    2020 (the year before, for new/ended): pairs ab, ac.
    2021: rows ab, bc(p1), ac -> 3 pairs, 3 active, 1 component; new bc; ended none.
    2022: rows ab, bc(p1), bc(rel) -> 2 pairs; new none; ended ac.
    2023: rows ab, bc, de -> 3 pairs, 5 active, 2 components, largest 3 of 5; new de.
    2024: rows ab, bc -> 2 pairs; ended de.
    """
    frame = network_by_year(ACTORS, YEAR_TIES, [2021, 2022, 2023, 2024])
    assert frame.columns == [
        "year",
        "actors_active",
        "ties",
        "tie_rows",
        "density",
        "components",
        "largest_component_share",
        "mean_degree",
        "new_pairs",
        "ended_pairs",
    ]
    assert frame.select(
        "year", "actors_active", "ties", "tie_rows", "components", "new_pairs", "ended_pairs"
    ).rows() == [
        (2021, 3, 3, 3, 1, 1, 0),
        (2022, 3, 2, 3, 1, 0, 1),
        (2023, 5, 3, 3, 2, 1, 0),
        (2024, 3, 2, 2, 1, 0, 1),
    ]
    assert frame["density"].to_list() == pytest.approx([0.3, 0.2, 0.3, 0.2])
    assert frame["largest_component_share"].to_list() == pytest.approx([1.0, 1.0, 0.6, 1.0])
    # 2 × pairs / active actors
    assert frame["mean_degree"].to_list() == pytest.approx([2.0, 4 / 3, 6 / 5, 4 / 3])


def test_network_by_year_compares_with_the_calendar_year_before() -> None:
    """Years may come unsorted, repeated or with gaps; new and ended pairs always compare with
    the calendar year before (2022 for 2023), not with the previous year asked for."""
    frame = network_by_year(ACTORS, YEAR_TIES, [2023, 2021, 2021])
    # 2021 vs 2020: bc new; 2023 vs 2022 (ab, bc): de new, nothing ended
    assert frame.select("year", "new_pairs", "ended_pairs").rows() == [
        (2021, 1, 0),
        (2023, 1, 0),
    ]


def test_network_by_year_components_agree_with_networkx() -> None:
    """Each year's component count equals networkx's on the graph of that year's active ties."""
    actors = ACTORS
    frame = network_by_year(actors, YEAR_TIES, range(2019, 2026))
    for year, components in frame.select("year", "components").rows():
        first, last = date(year, 1, 1), date(year, 12, 31)
        in_year = YEAR_TIES.filter(
            (pl.col("start_date").is_null() | (pl.col("start_date") <= last))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= first))
            & pl.col("actor_b").is_in(actors["actor_id"].implode())
        )
        G = build_graph(actors.select("actor_id"), in_year)
        G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
        assert components == nx.number_connected_components(G), year


def test_network_by_year_empty_inputs() -> None:
    """No years gives no rows; no ties gives zero rows for every year, not an error."""
    assert network_by_year(ACTORS, YEAR_TIES, []).height == 0
    frame = network_by_year(ACTORS, _ties([]), [2020, 2021])
    assert frame.select("actors_active", "ties", "components", "density").rows() == [
        (0, 0, 0, 0.0),
        (0, 0, 0, 0.0),
    ]
    one = network_by_year(ACTORS.head(1), _ties([]), [2020])
    assert one["density"].to_list() == [0.0]


AS_OF = date(2024, 7, 1)
RISK_TIES = _ties(
    [
        # p1 ends the day before as_of for three pairs
        ("a", "b", "project", "p1", date(2022, 4, 1), date(2024, 6, 30)),
        ("a", "c", "project", "p1", date(2022, 4, 1), date(2024, 6, 30)),
        ("b", "c", "project", "p1", date(2022, 4, 1), date(2024, 6, 30)),
        # a–b keeps an open-ended relation; a–c a relation ending the same day (not later)
        ("a", "b", "partnership", None, None, None),
        ("a", "c", "partnership", None, None, date(2024, 6, 30)),
        # b–c also shares p2, which ends later, inside the window
        ("b", "c", "project", "p2", None, date(2025, 3, 31)),
        # c–d ended before the window (as_of − 36 months = 2021-07-01)
        ("c", "d", "project", "p3", None, date(2020, 1, 1)),
        # d–e ends exactly at as_of + 12 months (window end, included); e–b just after it
        ("d", "e", "funding", None, None, date(2025, 7, 1)),
        ("b", "e", "funding", None, None, date(2025, 7, 2)),
    ]
)
ACTIVITIES = pl.DataFrame(
    {
        "activity_id": ["p1", "p2", "p3"],
        "name": ["Designdrivna innovationskluster", "Lärlabb 1", "Förstudie"],
        "end_date": [date(2024, 6, 30), date(2025, 3, 31), date(2020, 1, 1)],
    }
)


def test_at_risk_ties_hand_values() -> None:
    """Other ties count when they are still active after this end date:
    p1 a–b: the open relation -> 1; p1 a–c: the relation ends the same day -> 0, and the
    relation likewise 0; p1 b–c: p2 ends later -> 1; p2 b–c: p1 ended earlier -> 0;
    d–e: nothing else -> 0. Sorted by end date, then activity (relations last), then pair."""
    frame = at_risk_ties(RISK_TIES, ACTIVITIES, ACTORS, as_of=AS_OF)
    assert frame.columns == [
        "actor_a",
        "actor_b",
        "name_a",
        "name_b",
        "kind",
        "activity_id",
        "activity_name",
        "end_date",
        "status",
        "other_ties",
        "at_risk",
    ]
    assert frame.select(
        "actor_a", "actor_b", "activity_id", "end_date", "status", "other_ties", "at_risk"
    ).rows() == [
        ("a", "b", "p1", date(2024, 6, 30), "ended", 1, False),
        ("a", "c", "p1", date(2024, 6, 30), "ended", 0, True),
        ("b", "c", "p1", date(2024, 6, 30), "ended", 1, False),
        ("a", "c", None, date(2024, 6, 30), "ended", 0, True),
        ("b", "c", "p2", date(2025, 3, 31), "ending", 0, True),
        ("d", "e", None, date(2025, 7, 1), "ending", 0, True),
    ]
    assert frame.row(0, named=True)["activity_name"] == "Designdrivna innovationskluster"
    assert frame.row(0, named=True)["name_b"] == "Ávki"


def test_at_risk_ties_window_and_status_edges() -> None:
    """A tie ending on as_of itself is 'ending' (not yet over); narrowing the window drops
    the ties outside it, and a negative window is a usage error."""
    frame = at_risk_ties(
        RISK_TIES, ACTIVITIES, ACTORS, as_of=date(2024, 6, 30), months_ahead=0, months_back=0
    )
    assert frame.select("activity_id", "status").rows() == [
        ("p1", "ending"),
        ("p1", "ending"),
        ("p1", "ending"),
        (None, "ending"),
    ]
    assert at_risk_ties(_ties([]), ACTIVITIES, ACTORS, as_of=AS_OF).height == 0
    with pytest.raises(UsageError, match="months_back"):
        at_risk_ties(RISK_TIES, ACTIVITIES, ACTORS, as_of=AS_OF, months_back=-1)


def test_ended_activities_window_by_calendar_months() -> None:
    """One month before 31 March 2024 is 29 February (leap year): it is inside, the 28th not."""
    activities = pl.DataFrame(
        {
            "activity_id": ["late", "leap", "open", "soon"],
            "name": ["Sent", "Skottdag", "Öppen", "Snart"],
            "end_date": [date(2024, 2, 28), date(2024, 2, 29), None, date(2024, 4, 30)],
        }
    )
    frame = ended_activities(activities, date(2024, 3, 31), months_back=1, months_ahead=1)
    assert frame.rows() == [
        ("leap", "Skottdag", date(2024, 2, 29), "ended"),
        ("soon", "Snart", date(2024, 4, 30), "ending"),
    ]


def test_shipped_designdrivna_project_ties_are_at_risk(
    shipped_con: duckdb.DuckDBPyConnection, shipped_dir: Path
) -> None:
    """The shipped project "Designdrivna innovationskluster" ended 2024-06-30 with four
    participants (SVID, Design i Västernorrland, Ávki, Region Jämtland Härjedalen): C(4, 2) = 6
    pairs. No relation in relations.csv joins two of them, and no other activity does, so
    every pair is at risk. No other tie ends between 2021-07-01 and 2025-07-01."""
    actors = load_actors(shipped_con)
    ties = load_ties(shipped_con, actors=actors)
    activities = read_table(shipped_con, "activities")
    frame = at_risk_ties(ties, activities, actors, as_of=AS_OF, months_back=36)

    partners = ["avki", "design-i-vasternorrland", "region-jh", "svid"]
    relations = pl.read_csv(shipped_dir / "relations.csv")
    assert (
        relations.filter(
            pl.col("from_actor").is_in(partners) & pl.col("to_actor").is_in(partners)
        ).height
        == 0
    )

    assert frame.height == 6
    assert set(frame["activity_id"]) == {"designdrivna-innovationskluster"}
    assert set(frame["activity_name"]) == {"Designdrivna innovationskluster"}
    assert set(frame["end_date"]) == {date(2024, 6, 30)}
    assert set(frame["status"]) == {"ended"}
    assert frame["at_risk"].all()
    assert frame.select("actor_a", "actor_b").rows() == list(itertools.combinations(partners, 2))

    headline = ended_activities(activities, AS_OF)
    assert headline.filter(pl.col("activity_id") == "designdrivna-innovationskluster").rows() == [
        (
            "designdrivna-innovationskluster",
            "Designdrivna innovationskluster",
            date(2024, 6, 30),
            "ended",
        )
    ]
