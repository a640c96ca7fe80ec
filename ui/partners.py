"""Partners: whom an actor should work with next, why, and who can introduce them."""

from __future__ import annotations

import streamlit as st

from graph.analysis.partners import CandidateFilter
from ui import pickers, state, views
from ui.text import md

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
        st.info("No candidates match: widen the kinds or the sidebar filter.")
    for row in frame.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(
                f"**{row['rank']}. {md(row['name'])}** · {md(row['kind'])} · score "
                f"{row['score']:.3f}"
            )
            st.markdown(md(row["explanation"]))
            path = row["introduction_names"]
            st.caption(
                "Introduction: "
                + (
                    " → ".join(md(p) for p in path)
                    if path
                    else "no chain of existing ties leads there"
                )
            )
    if frame.height:
        st.subheader("Introduction paths")
        paths = tuple(tuple(p) for p in frame["introduction_path"].to_list() if p)
        html = views.path_map(key, filter_json, actor, paths, tuple(frame["actor_id"]))
        st.caption(
            "The chosen actor is drawn large; dashed orange lines are the suggested ties, "
            "grey lines the existing ties that lead to them."
        )
        st.iframe(html, height=440)
        st.dataframe(frame.drop("introduction_path", "introduction_names"), hide_index=True)
with tab_backtest:
    st.markdown(
        "The newest 10 % of ties are hidden, suggestions are made from the rest, and "
        "each method is scored on how many hidden ties it finds among its first *k*."
    )
    c1, c2, c3 = st.columns(3)
    k = int(c1.number_input("k", 1, 50, 10, key="partners_k"))
    seed = int(c2.number_input("Seed", 0, 10_000, 42, key="partners_seed"))
    if c3.button("Run the backtest", key="partners_run_backtest"):
        st.session_state["partners_backtest"] = (key, filter_json, k, seed)
    if st.session_state.get("partners_backtest") == (key, filter_json, k, seed):
        try:
            result = views.partner_backtest(key, filter_json, k, seed)
        except Exception as exc:  # the backtest says why it cannot run (e.g. too few ties)
            st.warning(md(str(exc).splitlines()[0]))
        else:
            st.caption(md(result["split"][0]))
            st.dataframe(result.drop("split"), hide_index=True)
