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
from graph.curation.delete import DeleteReport, delete_actors
from graph.curation.merge import MergeReport, dismiss_candidate, merge_actors, pending_candidates
from graph.errors import EcographError
from ui import auth, pickers, state
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

EVERYONE = GraphFilter().to_json()  # deletion and merging may name any actor, filtered or not


@st.cache_data(show_spinner=False, max_entries=8)
def review_list(key: DbKey) -> pl.DataFrame:
    """The pending possible duplicates (``graph.curation.merge.pending_candidates``), per database
    state."""
    with state.reading(Path(key.path)) as con:
        return pending_candidates(con)


def merge(keep: str, other: str, *, path: Path | None = None) -> MergeReport:
    """Merge actor ``other`` into ``keep`` (editors only)."""
    auth.require_editor("merge actors")
    with state.writing(path) as con:
        return merge_actors(con, keep, other)


def dismiss(incoming: str, candidate: str, *, path: Path | None = None) -> None:
    """Mark a pending pair as two different actors (editors only)."""
    auth.require_editor("settle possible duplicates")
    with state.writing(path) as con:
        dismiss_candidate(con, incoming, candidate)


def delete(actor_ids: Sequence[str], *, path: Path | None = None) -> DeleteReport:
    """Delete actors and every row naming them (editors only)."""
    auth.require_editor("delete actors")
    with state.writing(path) as con:
        return delete_actors(con, actor_ids)


def _pair_label(row: dict[str, object]) -> str:
    return (
        f"{row['incoming_name']} ({row['incoming_id']}) ↔ "
        f"{row['candidate_name']} ({row['candidate_id']}) · score {row['score']:.2f}"
    )


def render_review(key: DbKey) -> None:
    """The review list; for editors, merge or dismiss one pair at a time."""
    pending = review_list(key)
    if pending.height == 0:
        st.success("Nothing to review: no import left an uncertain match.")
        return
    st.markdown(
        f"{pending.height} imported actor(s) look like actors already known but differ in kind "
        "or place, so the import kept them apart. Decide each pair: the same organisation "
        "(merge: the known actor keeps every tie, the other's name and id become aliases) or "
        "two different ones (dismiss: the pair is not proposed again)."
    )
    st.dataframe(pending, hide_index=True)
    if not auth.can_write():
        return
    rows = pending.rows(named=True)
    labels = {i: _pair_label(r) for i, r in enumerate(rows)}  # options show as plain text
    choice = st.selectbox(
        "Pair to settle", list(labels), format_func=labels.__getitem__, key="review_pair"
    )
    row = rows[choice]
    left, right = st.columns(2)
    done = None
    try:
        if left.button("Same actor: merge", key="review_merge", type="primary"):
            done = merge(str(row["candidate_id"]), str(row["incoming_id"])).summary()
        if right.button("Different actors: dismiss", key="review_dismiss"):
            dismiss(str(row["incoming_id"]), str(row["candidate_id"]))
            done = f"dismissed: {row['incoming_id']} and {row['candidate_id']} are different actors"
    except EcographError as exc:
        st.error(md(exc))
    if done:
        st.session_state["curation_done"] = done
        st.rerun()


def render_deletion(key: DbKey) -> None:
    """For editors: pick actors, confirm, delete."""
    if not auth.can_write():
        return
    with st.expander("Delete actors") as box:
        st.caption(
            "Deletes the actors with their participations, relations, strength areas and "
            "aliases. Activities and sources stay. This cannot be undone: make a backup first "
            "(`ecograph backup`)."
        )
        chosen = pickers.pick_actors(box, "Actors to delete", key, EVERYONE, key="delete_actors")
        sure = st.checkbox(
            "Yes, delete these actors and their ties", key="delete_confirm", disabled=not chosen
        )
        if st.button("Delete", key="delete_button", type="primary", disabled=not (chosen and sure)):
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
