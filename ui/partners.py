"""Partners: whom an actor should work with next, why, and who can introduce them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from graph.analysis.partners import CandidateFilter
from graph.errors import EcographError
from graph.i18n import N_, NC_, display_names
from graph.present.explain import (
    backtest_sentence,
    introduction_words,
    score_parts,
    shortfall_reason,
)
from graph.present.palette import helix_label, kind_label
from ui import pickers, present, state, views
from ui.language import choose_placeholder, ui_translator
from ui.text import md

TEXTS = {
    "title": N_("Partners"),
    "too_few": N_("The partner finder needs at least two actors in the current filter."),
    "for": N_("Suggest partners for"),
    "only": N_("Only suggest these kinds"),
    "how_many": N_("How many"),
    "more": N_("More filters for the suggestions"),
    "more_caption": N_(
        "These choose which actors may be suggested; the sidebar chooses the network the "
        "scores are computed on."
    ),
    "helix": NC_("partner filter", "Helix"),
    "municipality": NC_("partner filter", "Municipality"),
    "area": NC_("partner filter", "Strength area"),
    "never": N_("Never suggest"),
    "tab_suggest": N_("Suggestions"),
    "tab_backtest": N_("How good are they? (backtest)"),
    "none": N_("No candidates match: widen the kinds or the sidebar filter."),
    "parts": N_("Why these partners"),
    "parts_help": N_(
        "Each score is the sum of its parts: shared partners (how close you already "
        "are through others), how well the partner complements you (another helix, a shared "
        "strength area, nearby), and a bonus for closing a gap between groups."
    ),
    "score": N_("Score"),
    "row": N_("**{rank}. {name}** · {kind} · score {score}"),
    "paths": N_("Who can introduce you"),
    "paths_help": N_(
        "The chosen actor is drawn large and ringed; thick dashed lines are the "
        "suggested ties, grey lines the existing ties that lead to them."
    ),
    "backtest_intro": N_(
        "How good are the suggestions? The newest ties are hidden, suggestions "
        "are made from the rest, and we count how many of the hidden ties they find."
    ),
    "k": N_("Suggestions per actor"),
    "seed": N_("Random seed"),
    "run": N_("Run the backtest"),
}
METHODS = {
    "blended": NC_("backtest method", "our suggestions"),
    "random": NC_("backtest method", "random suggestions"),
    "common_neighbours": NC_("backtest method", "most shared partners"),
    "adamic_adar": NC_("backtest method", "shared partners, rare ones counting more"),
    "resource_allocation": NC_("backtest method", "shared partners, weighted by their partners"),
    "preferential_attachment": NC_("backtest method", "the best-connected actors"),
    "jaccard": NC_("backtest method", "share of partners in common"),
}


t = ui_translator()
say = t.gettext
key = state.db_key()
flt = state.current_filter()
filter_json = flt.to_json()
st.title(say(TEXTS["title"]))
G = state.network(key, filter_json)
if G.number_of_nodes() < 2:
    st.info(say(TEXTS["too_few"]))
    st.stop()

kind_names = display_names("actor_kind", t.lang)
by_name = t.sort_key()
present_kinds = {str(d.get("kind")) for _, d in G.nodes(data=True) if d.get("kind")}
kinds = [kind for _, kind in sorted((by_name(kind_names.get(x, x)), x) for x in present_kinds)]
ids = pickers.actor_choices(key, filter_json)[0]
clusters = [v for v in ids if G.nodes[v].get("kind") == "cluster"]
left, mid, right = st.columns([3, 2, 1])
actor = pickers.pick_actor(
    left, say(TEXTS["for"]), key, filter_json, key="partners_actor", preferred=clusters
)
only = mid.multiselect(
    say(TEXTS["only"]),
    kinds,
    key="partners_kinds",
    format_func=lambda k: kind_names.get(k, k),
    placeholder=choose_placeholder(),
)
top = int(right.number_input(say(TEXTS["how_many"]), 1, 50, 10, key="partners_top"))
choices = state.options(key)
area_names = dict(zip(choices["areas"], choices["area_names"], strict=True))
with st.expander(say(TEXTS["more"])) as more:
    st.caption(say(TEXTS["more_caption"]))
    c1, c2, c3 = st.columns(3)
    helices = c1.multiselect(
        t.pgettext("partner filter", TEXTS["helix"]),
        choices["helices"],
        key="partners_helices",
        format_func=lambda h: helix_label(h, t.lang),
        placeholder=choose_placeholder(),
    )
    places = c2.multiselect(
        t.pgettext("partner filter", TEXTS["municipality"]),
        choices["municipalities"],
        key="partners_places",
        placeholder=choose_placeholder(),
    )
    areas = c3.multiselect(
        t.pgettext("partner filter", TEXTS["area"]),
        list(area_names),
        key="partners_areas",
        format_func=lambda a: area_names.get(a, a),
        placeholder=choose_placeholder(),
    )
    exclude = pickers.pick_actors(
        more, say(TEXTS["never"]), key, filter_json, key="partners_exclude"
    )
candidates = CandidateFilter(
    kinds=tuple(only),
    helices=tuple(helices),
    municipalities=tuple(places),
    areas=tuple(areas),
    exclude=tuple(exclude),
)

frame = views.suggestions(key, filter_json, actor, top, candidates)  # cached per language
tab_suggest, tab_backtest = st.tabs([say(TEXTS["tab_suggest"]), say(TEXTS["tab_backtest"])])
with tab_suggest:
    if frame.height == 0:
        st.info(say(TEXTS["none"]))
    elif frame.height < top:
        reason = shortfall_reason(
            G, actor, candidates, asked=top, got=frame.height, area_names=area_names, lang=t.lang
        )
        st.info(md(reason))
    if frame.height:
        st.subheader(say(TEXTS["parts"]))
        st.caption(say(TEXTS["parts_help"]))
        st.altair_chart(
            views.bar_chart(
                score_parts(frame, t.lang),
                "name",
                "value",
                title=say(TEXTS["score"]),
                color="part",
                lang=t.lang,
            )
        )
    for row in frame.iter_rows(named=True):
        with st.container(border=True):
            st.markdown(
                say(TEXTS["row"]).format(
                    rank=row["rank"],
                    name=md(row["name"]),
                    kind=md(kind_label(row["kind"], t.lang)),
                    score=t.number(row["score"], 2),
                )
            )
            st.markdown(md(row["explanation"]))
            st.caption(md(introduction_words(row["introduction_names"] or [], t.lang)))
    if frame.height:
        st.subheader(say(TEXTS["paths"]))
        paths = tuple(tuple(p) for p in frame["introduction_path"].to_list() if p)
        html = views.path_map(key, filter_json, actor, paths, tuple(frame["actor_id"]))
        st.caption(say(TEXTS["paths_help"]))
        st.iframe(html, height=440)
        present.show_table(
            frame,
            ["rank", "name", "kind", "helix", "municipality", "score"],
        )
with tab_backtest:
    st.markdown(say(TEXTS["backtest_intro"]))
    c1, c2, c3 = st.columns(3)
    k = int(c1.number_input(say(TEXTS["k"]), 1, 50, 10, key="partners_k"))
    seed = int(c2.number_input(say(TEXTS["seed"]), 0, 10_000, 42, key="partners_seed"))
    if c3.button(say(TEXTS["run"]), key="partners_run_backtest"):
        st.session_state["partners_backtest"] = (key, filter_json, k, seed)
    if st.session_state.get("partners_backtest") == (key, filter_json, k, seed):
        try:
            # the sentence below describes the split again in the session's language
            result = present.backtest_result(key, filter_json, k, seed)
        except EcographError as exc:  # the backtest says why it cannot run (e.g. too few ties)
            st.warning(md(str(exc).splitlines()[0]))
        else:
            st.markdown(f"**{md(backtest_sentence(result, lang=t.lang))}**")
            methods = {m: t.pgettext("backtest method", words) for m, words in METHODS.items()}
            present.show_table(
                result.to_frame().with_columns(
                    pl.col("method").replace_strict(methods, default=pl.col("method"))
                ),
                ["method", "precision_at_k", "recall_at_k", "mrr"],
            )
