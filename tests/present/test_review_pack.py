"""The review pack and its cluster view on two hand-made waves of one strength area.

Wave "H1" (recorded 2026-01-15): MINI plus the cluster k (area energi) with a member a.
Now: university m (area energi, another region) partners k, and both run the lab p2
(2026-03-01..2027-03-01). By hand, for area energi (actors a, k, then a, k, m):
actors joined [m]; ties new: k–m partnership and k–m in p2; p2 started in the period.
Cluster k per wave (whole network): members 1, 1; partners 1, 2; of another helix 0, 1 (m is
academia, k industry); new partners 1, 1; outside k's region 0, 1; hops to support 2 (k–a–b,
b is academia), then 1 (m).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from graph.formats.ingest import import_paths
from graph.history.snapshots import create_snapshot, resolve_wave
from graph.present.review_pack import build_review_pack, cluster_trends, render_review_pack
from tests.conftest import MINI, write_files

NAME = "<script>alert(1)</script> Kluster"


@pytest.fixture
def two_waves(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    files = dict(MINI)
    files["actors.csv"] += f'k,"{NAME}",cluster,Östersund,Jämtlands län,,,s1\n'
    files["actor_areas.csv"] += "k,energi,s1\n"
    files["relations.csv"] += "rk1,a,k,membership,true,2021-01-01,,1,s1\n"
    import_paths(con, [write_files(tmp_path / "w1", files)])
    create_snapshot(con, "H1")
    # the first wave was recorded in January (record time is otherwise "now" in a test)
    con.execute("UPDATE changes SET recorded_at = TIMESTAMP '2026-01-15 10:00' WHERE change_id = 1")
    con.execute("UPDATE snapshots SET created_at = TIMESTAMP '2026-01-15 10:05'")
    later = {
        "actors.csv": (
            "actor_id,name,kind,municipality,region,source_id\n"
            "m,Umeå universitet,academia,Umeå,Västerbottens län,s1\n"
        ),
        "actor_areas.csv": "actor_id,area_id,source_id\nm,energi,s1\n",
        "activities.csv": (
            "activity_id,name,kind,start_date,end_date,source_id\n"
            "p2,Energilabb,learning_lab,2026-03-01,2027-03-01,s1\n"
        ),
        "participations.csv": (
            "activity_id,actor_id,role,source_id\np2,k,lead,s1\np2,m,partner,s1\n"
        ),
        "relations.csv": "relation_id,from_actor,to_actor,kind,source_id\nrk2,k,m,partnership,s1\n",
    }
    import_paths(con, [write_files(tmp_path / "w2", later)])
    return con


def test_cluster_trends_over_the_waves(two_waves: duckdb.DuckDBPyConnection) -> None:
    waves = [resolve_wave(two_waves, "H1"), resolve_wave(two_waves, "now")]
    (k,) = cluster_trends(two_waves, ["k"], waves)
    assert k.waves == ["H1", "now"]
    assert k.series == {
        "members": [1.0, 1.0],
        "partners": [1.0, 2.0],
        "cross_helix": [0.0, 1.0],
        "new_partners": [1.0, 1.0],
        "outside_region": [0.0, 1.0],
        "support_hops": [2.0, 1.0],
    }


def test_review_pack_of_one_area(two_waves: duckdb.DuckDBPyConnection) -> None:
    pack = build_review_pack(
        two_waves, resolve_wave(two_waves, "H1"), resolve_wave(two_waves, "now"), areas=["energi"]
    )
    (area,) = pack.areas
    assert area.name == "Hållbar energi"
    assert area.findings[:2] == [
        "1 actors joined and 0 left.",
        "2 ties are new, 0 were lost and 0 changed.",
    ]
    assert area.actors_added == ["Umeå universitet"]
    assert [(r["activity_id"], r["event"]) for r in area.activities] == [("p2", "started")]
    assert sorted((r["before"], r["after"], r["helix"]) for r in area.helix_mix) == [
        (0, 1, "academia"),
        (2, 2, "industry"),
    ]


def test_review_pack_html_escapes_the_data(two_waves: duckdb.DuckDBPyConnection) -> None:
    pack = build_review_pack(
        two_waves, resolve_wave(two_waves, "H1"), resolve_wave(two_waves, "now"), areas=["energi"]
    )
    html = render_review_pack(pack)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kluster" in html
    assert html.count("<svg") == 6  # one trend chart per indicator of the one cluster
    assert "record time" in html
