"""Keeping the actor list clean from the app: settle the possible duplicates an import found
(merge them, or mark them as different) and delete actors.

Each write checks for an editor (``ui.auth``) before it opens the database, and runs through the
app's write lock (``ui.state.writing``), so a viewer of a shared app cannot reach it by any
widget state. The graph functions do the work, in one transaction each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import streamlit as st

from graph.analysis.network import GraphFilter
from graph.curation.access import ACTIONS
from graph.curation.delete import DeleteReport, delete_actors
from graph.curation.matching import reason_text
from graph.curation.merge import MergeReport, dismiss_candidate, merge_actors, pending_candidates
from graph.errors import EcographError
from graph.i18n import N_, NP_
from ui import auth, pickers, state
from ui.language import ui_translator
from ui.state import DbKey
from ui.text import md

__all__ = [
    "delete",
    "dismiss",
    "merge",
    "render_deletion",
    "render_outcome",
    "render_review",
    "review_list",
]

TEXTS = {
    "pair": N_("{incoming} ({incoming_id}) ↔ {candidate} ({candidate_id}) · score {score}"),
    "nothing": N_("Nothing to review: no import left an uncertain match."),
    "settle": N_("Pair to settle"),
    "merge": N_("Same actor: merge"),
    "dismiss": N_("Different actors: dismiss"),
    "dismissed": N_("dismissed: {incoming} and {candidate} are different actors"),
    "delete_title": N_("Delete actors"),
    "delete_help": N_(
        "Deletes the actors with their participations, relations, strength areas and "
        "aliases. Activities and sources stay. This cannot be undone: make a backup first "
        "(`ecograph backup`)."
    ),
    "to_delete": N_("Actors to delete"),
    "sure": N_("Yes, delete these actors and their ties"),
    "delete": N_("Delete"),
}
PLURALS = {
    "review": NP_(
        "{n} imported actor(s) look like actors already known but differ in kind "
        "or place, so the import kept them apart. Decide each pair: the same organisation "
        "(merge: the known actor keeps every tie, the other's name and id become aliases) or "
        "two different ones (dismiss: the pair is not proposed again).",
        "{n} imported actor(s) look like actors already known but differ in kind "
        "or place, so the import kept them apart. Decide each pair: the same organisation "
        "(merge: the known actor keeps every tie, the other's name and id become aliases) or "
        "two different ones (dismiss: the pair is not proposed again).",
    ),
}
EVERYONE = GraphFilter().to_json()  # deletion and merging may name any actor, filtered or not


@st.cache_data(show_spinner=False, max_entries=8)
def review_list(key: DbKey) -> pl.DataFrame:
    """The pending possible duplicates (``graph.curation.merge.pending_candidates``), per database
    state."""
    with state.reading(Path(key.path)) as con:
        return pending_candidates(con)


def merge(keep: str, other: str, *, path: Path | None = None) -> MergeReport:
    """Merge actor ``other`` into ``keep`` (editors only)."""
    auth.require_editor(ACTIONS["merge"])
    with state.writing(path) as con:
        return merge_actors(con, keep, other)


def dismiss(incoming: str, candidate: str, *, path: Path | None = None) -> None:
    """Mark a pending pair as two different actors (editors only)."""
    auth.require_editor(ACTIONS["settle"])
    with state.writing(path) as con:
        dismiss_candidate(con, incoming, candidate)


def delete(actor_ids: Sequence[str], *, path: Path | None = None) -> DeleteReport:
    """Delete actors and every row naming them (editors only)."""
    auth.require_editor(ACTIONS["delete"])
    with state.writing(path) as con:
        return delete_actors(con, actor_ids)


def _pair_label(row: dict[str, object]) -> str:
    t = ui_translator()
    return t.gettext(TEXTS["pair"]).format(
        incoming=row["incoming_name"],
        incoming_id=row["incoming_id"],
        candidate=row["candidate_name"],
        candidate_id=row["candidate_id"],
        score=t.number(float(row["score"]), 2),  # type: ignore[arg-type]
    )


def render_review(key: DbKey) -> None:
    """The review list; for editors, merge or dismiss one pair at a time."""
    t = ui_translator()
    pending = review_list(key)
    if pending.height == 0:
        st.success(t.gettext(TEXTS["nothing"]))
        return
    n = pending.height
    st.markdown(t.ngettext(*PLURALS["review"], n).format(n=t.number(n)))
    if "reason" in pending.columns:  # recorded in English, read in the session's language
        pending = pending.with_columns(
            pl.col("reason").map_elements(lambda r: reason_text(r, t.lang), return_dtype=pl.String)
        )
    st.dataframe(pending, hide_index=True)
    if not auth.can_write():
        return
    rows = pending.rows(named=True)
    labels = {i: _pair_label(r) for i, r in enumerate(rows)}  # options show as plain text
    choice = st.selectbox(
        t.gettext(TEXTS["settle"]), list(labels), format_func=labels.__getitem__, key="review_pair"
    )
    row = rows[choice]
    left, right = st.columns(2)
    done = None
    try:
        if left.button(t.gettext(TEXTS["merge"]), key="review_merge", type="primary"):
            done = merge(str(row["candidate_id"]), str(row["incoming_id"])).summary()
        if right.button(t.gettext(TEXTS["dismiss"]), key="review_dismiss"):
            dismiss(str(row["incoming_id"]), str(row["candidate_id"]))
            done = t.gettext(TEXTS["dismissed"]).format(
                incoming=row["incoming_id"], candidate=row["candidate_id"]
            )
    except EcographError as exc:
        st.error(md(exc))
    if done:
        st.session_state["curation_done"] = done
        st.rerun()


def render_deletion(key: DbKey) -> None:
    """For editors: pick actors, confirm, delete."""
    if not auth.can_write():
        return
    t = ui_translator()
    with st.expander(t.gettext(TEXTS["delete_title"])) as box:
        st.caption(t.gettext(TEXTS["delete_help"]))
        chosen = pickers.pick_actors(
            box, t.gettext(TEXTS["to_delete"]), key, EVERYONE, key="delete_actors"
        )
        sure = st.checkbox(t.gettext(TEXTS["sure"]), key="delete_confirm", disabled=not chosen)
        if st.button(
            t.gettext(TEXTS["delete"]),
            key="delete_button",
            type="primary",
            disabled=not (chosen and sure),
        ):
            try:
                report = delete(chosen)
            except EcographError as exc:
                st.error(md(exc))
            else:
                st.session_state["curation_done"] = report.summary()
                for widget in ("delete_actors", "delete_confirm"):
                    st.session_state.pop(widget, None)
                st.rerun()


def render_outcome() -> None:
    """What the last merge, dismissal or deletion of this session did."""
    done = st.session_state.pop("curation_done", None)
    if done:
        st.success(md(done))
