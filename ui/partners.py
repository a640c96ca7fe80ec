"""Partners: whom an actor should work with next, why, and who can introduce them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from graph.analysis.partners import CandidateFilter
from graph.errors import EcographError
from graph.present.explain import (
    backtest_sentence,
    introduction_words,
    score_parts,
    shortfall_reason,
)
from graph.present.palette import kind_label
from ui import pickers, present, state, views
from ui.text import md

TEXTS = {
    "none": "No candidates match: widen the kinds or the sidebar filter.",
    "parts": "Why these partners",
    "parts_help": "Each score is the sum of its parts: shared partners (how close you already "
    "are through others), how well the partner complements you (another helix, a shared "
    "strength area, nearby), and a bonus for closing a gap between groups.",
    "score": "Score",
    "paths": "Who can introduce you",
    "paths_help": "The chosen actor is drawn large and ringed; thick dashed lines are the "
    "suggested ties, grey lines the existing ties that lead to them.",
    "backtest_intro": "How good are the suggestions? The newest ties are hidden, suggestions "
    "are made from the rest, and we count how many of the hidden ties they find.",
    "k": "Suggestions per actor",
    "seed": "Random seed",
    "run": "Run the backtest",
}
METHODS = {
    "blended": "our suggestions",
    "random": "random suggestions",
    "common_neighbours": "most shared partners",
    "adamic_adar": "shared partners, rare ones counting more",
    "resource_allocation": "shared partners, weighted by their partners",
    "preferential_attachment": "the best-connected actors",
    "jaccard": "share of partners in common",
}

key = state.db_key()
flt = state.current_filter()
filter_json = flt.to_json()
st.title("Partners")
G = state.network(key, filter_json)
if G.number_of_nodes() < 2:
    st.info("The partner finder needs at least two actors in the current filter.")
    st.stop()

kinds = sorted({str(d.get("kind")) for _, d in G.nodes(data=True) if d.get("kind")})
ids = pickers.actor_choices(key, filter_json)[0]
clusters = [v for v in ids if G.nodes[v].get("kind") == "cluster"]
left, mid, right = st.columns([3, 2, 1])
actor = pickers.pick_actor(
    left, "Suggest partners for", key, filter_json, key="partners_actor", preferred=clusters
)
only = mid.multiselect("Only suggest these kinds", kinds, key="partners_kinds")
top = int(right.number_input("How many", 1, 50, 10, key="partners_top"))
choices = state.options(key)
area_names = dict(zip(choices["areas"], choices["area_names"], strict=True))
with st.expander("More filters for the suggestions") as more:
    st.caption(
        "These choose which actors may be suggested; the sidebar chooses the network the "
        "scores are computed on."
    )
    c1, c2, c3 = st.columns(3)
    helices = c1.multiselect("Helix", choices["helices"], key="partners_helices")
    places = c2.multiselect("Municipality", choices["municipalities"], key="partners_places")
    areas = c3.multiselect(
        "Strength area",
        list(area_names),
        key="partners_areas",
        format_func=lambda a: area_names.get(a, a),
    )
    exclude = pickers.pick_actors(more, "Never suggest", key, filter_json, key="partners_exclude")
candidates = CandidateFilter(
    kinds=tuple(only),
    helices=tuple(helices),
    municipalities=tuple(places),
    areas=tuple(areas),
    exclude=tuple(exclude),
)

frame = views.suggestions(key, filter_json, actor, top, candidates)
tab_suggest, tab_backtest = st.tabs(["Suggestions", "How good are they? (backtest)"])
with tab_suggest:
    if frame.height == 0:
        st.info(TEXTS["none"])
    elif frame.height < top:
        st.info(
            md(
                shortfall_reason(
                    G, actor, candidates, asked=top, got=frame.height, area_names=area_names
                )
            )
        )
    if frame.height:
        st.subheader(TEXTS["parts"])
        st.caption(TEXTS["parts_help"])
        st.bar_chart(
            score_parts(frame),
            x="name",
            y="value",
            color="part",
            horizontal=True,
            sort=False,
            x_label=TEXTS["score"],
            y_label="",
        )
    for row in frame.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(
                f"**{row['rank']}. {md(row['name'])}** · {md(kind_label(row['kind']))} · "
                f"{TEXTS['score'].lower()} {row['score']:.2f}"
            )
            st.markdown(md(row["explanation"]))
            st.caption(md(introduction_words(row["introduction_names"] or [])))
    if frame.height:
        st.subheader(TEXTS["paths"])
        paths = tuple(tuple(p) for p in frame["introduction_path"].to_list() if p)
        html = views.path_map(key, filter_json, actor, paths, tuple(frame["actor_id"]))
        st.caption(TEXTS["paths_help"])
        st.iframe(html, height=440)
        present.show_table(
            frame,
            ["rank", "name", "kind", "helix", "municipality", "score"],
        )
with tab_backtest:
    st.markdown(TEXTS["backtest_intro"])
    c1, c2, c3 = st.columns(3)
    k = int(c1.number_input(TEXTS["k"], 1, 50, 10, key="partners_k"))
    seed = int(c2.number_input(TEXTS["seed"], 0, 10_000, 42, key="partners_seed"))
    if c3.button(TEXTS["run"], key="partners_run_backtest"):
        st.session_state["partners_backtest"] = (key, filter_json, k, seed)
    if st.session_state.get("partners_backtest") == (key, filter_json, k, seed):
        try:
            result = present.backtest_result(key, filter_json, k, seed)
        except EcographError as exc:  # the backtest says why it cannot run (e.g. too few ties)
            st.warning(md(str(exc).splitlines()[0]))
        else:
            st.markdown(f"**{md(backtest_sentence(result))}**")
            present.show_table(
                result.to_frame().with_columns(
                    pl.col("method").replace_strict(METHODS, default=pl.col("method"))
                ),
                ["method", "precision_at_k", "recall_at_k", "mrr"],
            )
