"""Gaps: where the support system is thin — groups that rarely work together, actors far from
support, the brokers everything hangs on, empty strength areas, ties about to end, and what
breaks if an actor leaves or a project ends."""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
import streamlit as st

from graph.analysis.diagnosis import TEXTS as DIAGNOSIS_TEXTS
from graph.analysis.diagnosis import (
    WHOLE,
    explanations,
    failure_name,
    indicator_name,
    verdict_name,
)
from graph.analysis.mixing import GROUPINGS, group_text, mixing_matrix
from graph.analysis.summary import gap_lines
from graph.errors import UsageError
from graph.i18n import N_, NC_, NP_
from ui import pickers, present, state, views
from ui.language import choose_placeholder, ui_translator
from ui.text import md

# the mixing table's columns a person weighs
MIXING_COLUMNS = ("group_a", "group_b", "observed", "expected", "ratio", "q_value", "verdict")
TEXTS = {
    "whole_network": N_("Whole network"),
    "title": N_("Gaps in the support system"),
    "group_by": N_("Group actors by"),
    "as_of": N_("As of"),
    "as_of_help": N_("The day that decides which activities have ended or end soon."),
    "no_actors": N_(
        "No actors match the current filter (or the database is empty). Widen the filter in "
        "the sidebar, or import data on the **Data** page."
    ),
    "mixing_caption": N_(
        "Ties between groups by {label}, against random networks in which every actor keeps "
        "its number of ties ({networks} of them, degree-preserving rewiring). Each cell: "
        "observed / expected ties; red fewer, blue more, outlined when the difference is "
        "significant (Benjamini–Hochberg, q below {alpha}), grey when too few ties are "
        "expected to judge."
    ),
    "openness": N_("How open each group is"),
    "openness_caption": N_(
        "Openness (the E-I index): (ties outside − ties inside) ÷ all ties. −1: the group "
        "works only within itself; +1: only with other groups."
    ),
    "diagnosis_caption": N_(
        "Regional innovation-system failures (Tödtling & Trippl 2005; Klein Woolthuis et al. "
        "2005): organisational thinness, fragmentation, lock-in and support reach, for the "
        "whole network and each strength area. Each indicator is judged against a published "
        "threshold or against the same indicator on random networks with the same numbers "
        "of ties; home region: {region}."
    ),
    "scope": N_("Scope"),
    "distance_caption": N_(
        "Steps from each cluster, co-working space and company to the nearest support "
        "actor (region, business support, design organisation, academia, research "
        "institute, funder, public agency)."
    ),
    "unreached": N_("Unreached actors"),
    "first_support": N_("Support the clusters and co-working spaces reach first"),
    "brokers_caption": N_(
        "Most shortest routes between other actors run through the actors at the top (their "
        "broker score). Brokerage roles count the pairs an actor links, by {label}; a "
        "single point of failure splits the network if it leaves."
    ),
    "top": N_("Show the top"),
    "broker_axis": N_("Broker score (share of shortest routes through the actor)"),
    "by_kind": N_("By actor kind (instead of helix)"),
    "count": NC_("coverage measure", "Count"),
    "years_caption": N_(
        "Tied pairs and active actors per year (a tie counts in every year its dates overlap; "
        "undated ties count every year)."
    ),
    "tied_pairs": N_("tied pairs"),
    "active_actors": N_("active actors"),
    "months": N_("Months ahead"),
    "ending_acts": N_("Activities that ended or end"),
    "ending_ties": N_("Ties that end with them"),
    "only_risk": N_("Only ties at risk (no other tie holds the pair together)"),
    "leave": N_("Actors that leave"),
    "end": N_("Activities that end (their parts end with them)"),
    "run": N_("Run what-if"),
    "choose": N_("Choose actors and/or activities, then press **Run what-if**."),
    "lost_support": N_("Actors that lose every path to support"),
    "lost_ties": N_("Ties that disappear"),
}
TAB_TITLES = {
    "mixing": NC_("gaps tab", "Mixing"),
    "diagnosis": NC_("gaps tab", "Diagnosis"),
    "distance": NC_("gaps tab", "Support distance"),
    "brokers": NC_("gaps tab", "Brokers"),
    "coverage": NC_("gaps tab", "Coverage"),
    "years": NC_("gaps tab", "Over time"),
    "at_risk": NC_("gaps tab", "At-risk ties"),
    "whatif": NC_("gaps tab", "What-if"),
}
MEASURE_LABELS = {
    "actors": NC_("coverage measure", "actors"),
    "ties": NC_("coverage measure", "ties"),
}
PLURALS = {
    "months_help": NP_(
        "Ties that ended in the last {n} month or end within this many months after the date.",
        "Ties that ended in the last {n} months or end within this many months after the date.",
    ),
}

t = ui_translator()
say = t.gettext


def grouping_words(grouping: str) -> str:
    return state.grouping_label(grouping, t.lang)


key = state.db_key()
filter_json = state.current_filter().to_json()
st.title(say(TEXTS["title"]))
c1, c2 = st.columns(2)
group_by: str = c1.selectbox(
    say(TEXTS["group_by"]),
    GROUPINGS,
    index=GROUPINGS.index("helix"),
    format_func=grouping_words,
    key="gaps_group_by",
)
as_of = c2.date_input(
    say(TEXTS["as_of"]),
    value=date.today(),
    key="gaps_as_of",
    help=say(TEXTS["as_of_help"]),
)


def named_groups(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """The groups of ``columns`` as people read them in the session's language (helices and
    kinds by their names, the whole network's row as such); the language is bound here, as
    polars may call the function in a thread of its own."""
    lang, whole = t.lang, say(TEXTS["whole_network"])

    def name(value: str) -> str:
        return whole if value == "(all)" else group_text(group_by, value, lang)

    return frame.with_columns(pl.col(c).map_elements(name, return_dtype=pl.String) for c in columns)


# every grouping's mixing is in the one analysis the other pages share; only the brokerage
# roles depend on the grouping, and views.brokers computes those on their own
analysis = state.analysis(key, filter_json, "helix", as_of)
if analysis.actors == 0:
    st.info(say(TEXTS["no_actors"]))
    st.stop()
tables = analysis.tables
label = grouping_words(group_by)
tabs = st.tabs([t.pgettext("gaps tab", title) for title in TAB_TITLES.values()])

with tabs[0]:
    st.caption(
        say(TEXTS["mixing_caption"]).format(
            label=label,
            networks=t.number(analysis.params.null.networks),
            alpha=t.number(analysis.params.null.alpha),
        )
    )
    mixing = tables["group_mixing"]
    st.altair_chart(
        views.mixing_heatmap(
            named_groups(mixing_matrix(mixing, group_by), "group_a", "group_b"), label
        )
    )
    for line in gap_lines(mixing, group_by, label, top=20, alpha=analysis.params.null.alpha):
        st.markdown(("- " if line.startswith("  ") else "") + md(line.strip()))
    verdicts = {v: t.pgettext("verdict", text) for v, text in views.VERDICT_TEXTS.items()}
    # what a person weighs, with headers and verdicts in the session's language (the test's
    # z and p, the interval and the density are in the SQL console's group_mixing and exports)
    present.show_table(
        named_groups(
            mixing.filter(pl.col("grouping") == group_by).sort("verdict", "z"), "group_a", "group_b"
        ).with_columns(pl.col("verdict").replace(verdicts)),
        MIXING_COLUMNS,
    )
    st.subheader(say(TEXTS["openness"]))
    st.caption(say(TEXTS["openness_caption"]))
    present.show_table(
        named_groups(
            tables["ei_index"].filter(pl.col("grouping") == group_by).drop("grouping"), "group"
        )
    )

with tabs[1]:
    diagnosis = tables["diagnosis"]
    st.caption(
        say(TEXTS["diagnosis_caption"]).format(region=md(analysis.params.diagnosis.home_region))
    )
    scopes = dict(zip(diagnosis["scope"], diagnosis["scope_name"], strict=False))
    whole = t.gettext(DIAGNOSIS_TEXTS["whole"])
    scopes[WHOLE] = whole[:1].upper() + whole[1:]
    scope = st.selectbox(
        say(TEXTS["scope"]),
        list(scopes),
        format_func=lambda s: scopes.get(s) or s,
        key="gaps_scope",
    )
    rows = diagnosis.filter(pl.col("scope") == scope)
    # the table keeps its explanations in English (data); they are read in the session's
    # language, as are the indicators and verdicts
    for line in explanations(rows.filter(pl.col("verdict") == "weak"), t.lang):
        st.warning(md(line))
    shown = rows.select(
        pl.col("failure").map_elements(lambda v: failure_name(v, t.lang), pl.String),
        pl.col("indicator").map_elements(lambda v: indicator_name(v, t.lang), pl.String),
        "value",
        "reference",
        pl.col("verdict").map_elements(lambda v: verdict_name(v, t.lang), pl.String),
        pl.Series("explanation", explanations(rows, t.lang), pl.String),
    )
    present.show_table(shown)

with tabs[2]:
    sd = tables["support_distance"]
    st.caption(say(TEXTS["distance_caption"]))
    st.altair_chart(views.hops_chart(views.hop_counts(sd)))
    st.subheader(say(TEXTS["unreached"]))
    present.show_table(sd.filter(~pl.col("reached")).select("name", "kind", "actor_id"))
    st.subheader(say(TEXTS["first_support"]))
    present.show_table(views.first_support(sd))

with tabs[3]:
    st.caption(say(TEXTS["brokers_caption"]).format(label=label))
    top = st.slider(say(TEXTS["top"]), 5, 100, 20, step=5, key="gaps_top")
    brokers = views.brokers(key, filter_json, group_by, as_of).head(top)
    st.altair_chart(
        views.bar_chart(
            brokers.head(15).sort("betweenness", descending=True, maintain_order=True),
            "name",
            "betweenness",
            title=say(TEXTS["broker_axis"]),
            lang=t.lang,
        )
    )
    present.show_table(brokers)

with tabs[4]:
    by_kind = st.toggle(say(TEXTS["by_kind"]), key="gaps_cov_kind")
    measure = st.radio(
        t.pgettext("coverage measure", TEXTS["count"]),
        list(MEASURE_LABELS),
        horizontal=True,
        key="gaps_cov_measure",
        format_func=lambda m: t.pgettext("coverage measure", MEASURE_LABELS[m]),
    )
    dimension = "kind" if by_kind else "helix"
    cov = tables["coverage"].filter(pl.col("dimension") == dimension)
    st.altair_chart(views.coverage_heatmap(cov, measure, dimension))
    flags = tables["coverage_flags"]
    for row in flags.filter(pl.col("flags") != "").iter_rows(named=True):
        st.warning(f"**{md(row['area_name'])}**: {md(row['flags'])}")
    present.show_table(flags.drop("area_id"))

with tabs[5]:
    years = tables["network_by_year"]
    st.caption(say(TEXTS["years_caption"]))
    tied, active = say(TEXTS["tied_pairs"]), say(TEXTS["active_actors"])
    st.altair_chart(
        views.series_chart(
            years.select(
                pl.col("year").cast(pl.String),
                pl.col("ties").alias(tied),
                pl.col("actors_active").alias(active),
            ),
            "year",
            lang=t.lang,
        )
    )
    present.show_table(
        years, ["year", "ties", "actors_active", "new_pairs", "ended_pairs", "components"]
    )

with tabs[6]:
    months = st.slider(
        say(TEXTS["months"]),
        1,
        analysis.params.months_ahead,
        analysis.params.months_ahead,
        key="gaps_months",
        help=t.ngettext(*PLURALS["months_help"], analysis.params.months_back).format(
            n=t.number(analysis.params.months_back)
        ),
    )
    acts, ties = views.ending_activities(analysis.ended, tables["at_risk_ties"], as_of, months)
    st.subheader(say(TEXTS["ending_acts"]))
    present.show_table(acts)
    st.subheader(say(TEXTS["ending_ties"]))
    if st.toggle(say(TEXTS["only_risk"]), value=True, key="gaps_only_risk"):
        ties = ties.filter(pl.col("at_risk"))
    present.show_table(ties)

with tabs[7]:
    G = analysis.graph
    act_names = views.activity_names(key)
    left, right = st.columns(2)
    remove = pickers.pick_actors(left, say(TEXTS["leave"]), key, filter_json, key="whatif_remove")
    end = right.multiselect(
        say(TEXTS["end"]),
        views.tie_activities(key, filter_json),
        format_func=lambda a: act_names.get(a, a),
        key="whatif_end",
        placeholder=choose_placeholder(),
    )
    if st.button(say(TEXTS["run"]), type="primary", key="whatif_run"):
        st.session_state["whatif_scenario"] = (tuple(remove), tuple(end))
    scenario = st.session_state.get("whatif_scenario")
    if not scenario or not any(scenario):
        st.caption(say(TEXTS["choose"]))
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
    st.subheader(say(TEXTS["lost_support"]))
    present.show_table(result.lost_support)
    st.subheader(say(TEXTS["lost_ties"]))
    present.show_table(result.lost_ties)
