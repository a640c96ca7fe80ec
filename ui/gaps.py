"""Gaps: where the support system is thin — groups that rarely work together, actors far from
support, the brokers everything hangs on, empty strength areas, ties about to end, and what
breaks if an actor leaves or a project ends."""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
import streamlit as st

from graph.analysis.mixing import GROUPINGS, mixing_matrix
from graph.analysis.summary import gap_lines
from graph.errors import UsageError
from ui import pickers, present, state, views
from ui.text import md

key = state.db_key()
filter_json = state.current_filter().to_json()
st.title("Gaps in the support system")
c1, c2 = st.columns(2)
group_by: str = c1.selectbox(
    "Group actors by",
    GROUPINGS,
    index=GROUPINGS.index("helix"),
    format_func=lambda g: state.GROUPING_LABELS[g],
    key="gaps_group_by",
)
as_of = c2.date_input(
    "As of",
    value=date.today(),
    key="gaps_as_of",
    help="The day that decides which activities have ended or end soon.",
)
# every grouping's mixing is in the one analysis the other pages share; only the brokerage
# roles depend on the grouping, and views.brokers computes those on their own
analysis = state.analysis(key, filter_json, "helix", as_of)
if analysis.actors == 0:
    st.info(
        "No actors match the current filter (or the database is empty). Widen the filter in "
        "the sidebar, or import data on the **Data** page."
    )
    st.stop()
t = analysis.tables
label = state.GROUPING_LABELS[group_by]
tabs = st.tabs(
    [
        "Mixing",
        "Diagnosis",
        "Support distance",
        "Brokers",
        "Coverage",
        "Over time",
        "At-risk ties",
        "What-if",
    ]
)

with tabs[0]:
    st.caption(
        f"Ties between groups by {label}, against random networks in which every actor keeps "
        f"its number of ties ({analysis.params.null.networks} of them, degree-preserving "
        "rewiring). Each cell: observed / expected ties; red fewer, blue more, outlined when "
        "the difference is significant (Benjamini–Hochberg, q below "
        f"{analysis.params.null.alpha:g}), grey when too few ties are expected to judge."
    )
    mixing = t["group_mixing"]
    st.altair_chart(views.mixing_heatmap(mixing_matrix(mixing, group_by), label))
    for line in gap_lines(mixing, group_by, label, top=20, alpha=analysis.params.null.alpha):
        st.markdown(("- " if line.startswith("  ") else "") + md(line.strip()))
    st.dataframe(
        mixing.filter(pl.col("grouping") == group_by).drop("grouping").sort("verdict", "z"),
        hide_index=True,
    )
    st.subheader("How open each group is")
    st.caption(
        "Openness (the E-I index): (ties outside − ties inside) ÷ all ties. −1: the group "
        "works only within itself; +1: only with other groups."
    )
    present.show_table(t["ei_index"].filter(pl.col("grouping") == group_by).drop("grouping"))

with tabs[1]:
    diagnosis = t["diagnosis"]
    st.caption(
        "Regional innovation-system failures (Tödtling & Trippl 2005; Klein Woolthuis et al. "
        "2005): organisational thinness, fragmentation, lock-in and support reach, for the "
        "whole network and each strength area. Each indicator is judged against a published "
        "threshold or against the same indicator on random networks with the same numbers "
        f"of ties; home region: {md(analysis.params.diagnosis.home_region)}."
    )
    scopes = dict(zip(diagnosis["scope"], diagnosis["scope_name"], strict=False))
    scope = st.selectbox(
        "Scope", list(scopes), format_func=lambda s: scopes.get(s) or s, key="gaps_scope"
    )
    rows = diagnosis.filter(pl.col("scope") == scope)
    for line in rows.filter(pl.col("verdict") == "weak")["explanation"]:
        st.warning(md(line))
    st.dataframe(rows.drop("scope", "scope_name"), hide_index=True)

with tabs[2]:
    sd = t["support_distance"]
    st.caption(
        "Steps from each cluster, co-working space and company to the nearest support "
        "actor (region, business support, design organisation, academia, research "
        "institute, funder, public agency)."
    )
    st.altair_chart(views.hops_chart(views.hop_counts(sd)))
    st.subheader("Unreached actors")
    present.show_table(sd.filter(~pl.col("reached")).select("name", "kind", "actor_id"))
    st.subheader("Support the clusters and co-working spaces reach first")
    present.show_table(views.first_support(sd))

with tabs[3]:
    st.caption(
        "Most shortest routes between other actors run through the actors at the top (their "
        f"broker score). Brokerage roles count the pairs an actor links, by {label}; a "
        "single point of failure splits the network if it leaves."
    )
    top = st.slider("Show the top", 5, 100, 20, step=5, key="gaps_top")
    brokers = views.brokers(key, filter_json, group_by, as_of).head(top)
    st.bar_chart(
        brokers.head(15),
        x="name",
        y="betweenness",
        horizontal=True,
        sort="-betweenness",
        x_label="Broker score (share of shortest routes through the actor)",
        y_label="",
    )
    present.show_table(brokers)

with tabs[4]:
    by_kind = st.toggle("By actor kind (instead of helix)", key="gaps_cov_kind")
    measure = st.radio("Count", ["actors", "ties"], horizontal=True, key="gaps_cov_measure")
    dimension = "kind" if by_kind else "helix"
    cov = t["coverage"].filter(pl.col("dimension") == dimension)
    st.altair_chart(views.coverage_heatmap(cov, measure, dimension))
    flags = t["coverage_flags"]
    for row in flags.filter(pl.col("flags") != "").iter_rows(named=True):
        st.warning(f"**{md(row['area_name'])}**: {md(row['flags'])}")
    present.show_table(flags.drop("area_id"))

with tabs[5]:
    years = t["network_by_year"]
    st.caption(
        "Tied pairs and active actors per year (a tie counts in every year its dates overlap; "
        "undated ties count every year)."
    )
    st.line_chart(
        years.select(
            pl.col("year").cast(pl.String),
            pl.col("ties").alias("tied pairs"),
            pl.col("actors_active").alias("active actors"),
        ),
        x="year",
        y=["tied pairs", "active actors"],
        x_label="",
        y_label="",
    )
    present.show_table(
        years, ["year", "ties", "actors_active", "new_pairs", "ended_pairs", "components"]
    )

with tabs[6]:
    months = st.slider(
        "Months ahead",
        1,
        analysis.params.months_ahead,
        analysis.params.months_ahead,
        key="gaps_months",
        help=f"Ties that ended in the last {analysis.params.months_back} months "
        "or end within this many months after the date.",
    )
    acts, ties = views.ending_activities(analysis.ended, t["at_risk_ties"], as_of, months)
    st.subheader("Activities that ended or end")
    present.show_table(acts)
    st.subheader("Ties that end with them")
    if st.toggle(
        "Only ties at risk (no other tie holds the pair together)", value=True, key="gaps_only_risk"
    ):
        ties = ties.filter(pl.col("at_risk"))
    present.show_table(ties)

with tabs[7]:
    G = analysis.graph
    act_names = views.activity_names(key)
    left, right = st.columns(2)
    remove = pickers.pick_actors(left, "Actors that leave", key, filter_json, key="whatif_remove")
    end = right.multiselect(
        "Activities that end (their parts end with them)",
        views.tie_activities(key, filter_json),
        format_func=lambda a: act_names.get(a, a),
        key="whatif_end",
    )
    if st.button("Run what-if", type="primary", key="whatif_run"):
        st.session_state["whatif_scenario"] = (tuple(remove), tuple(end))
    scenario = st.session_state.get("whatif_scenario")
    if not scenario or not any(scenario):
        st.caption("Choose actors and/or activities, then press **Run what-if**.")
        st.stop()
    try:
        result = views.whatif(key, filter_json, *scenario)
    except UsageError as error:
        st.warning(md(error))
        st.stop()
    for col, (name, value, delta, colour) in zip(
        st.columns(4), views.whatif_metrics(result), strict=True
    ):
        arrow: Literal["auto", "off"] = "off" if colour == "off" else "auto"
        col.metric(name, value, delta, delta_color=colour, delta_arrow=arrow)
    st.markdown("\n".join(f"- {md(line)}" for line in result.summary_lines(act_names)))
    st.subheader("Actors that lose every path to support")
    present.show_table(result.lost_support)
    st.subheader("Ties that disappear")
    present.show_table(result.lost_ties)
