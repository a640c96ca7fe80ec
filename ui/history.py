"""History: every change of the data, who made it and when, undo for editors, and snapshots
("waves") such as "the review of 2026 H2"."""

from __future__ import annotations

import streamlit as st

from graph.errors import EcographError
from ui import auth, state, waves
from ui.text import md

TEXTS = {
    "title": "History",
    "intro": (
        "Every import, merge, dismissal, deletion, undo and restore is recorded here. Times "
        "are **record time** (UTC): when ecograph learned a fact, not the dates of the "
        "activities themselves."
    ),
    "empty": "Nothing recorded yet: the change log begins with the first import or change.",
    "snapshot_title": "Mark a wave",
    "snapshot_help": "Name the data as recorded now, e.g. 'review 2026 H2'. Costs one row.",
    "snapshot_name": "Name",
    "snapshot_note": "Note (optional)",
    "snapshot_button": "Create snapshot",
    "snapshot_done": "Created {label}.",
    "log_title": "Changes, newest first",
    "undo": "Undo",
    "undo_help": "Put back what this change replaced or removed (recorded as a change itself).",
    "undone": "Done: {what} ({summary}).",
    "reverted": "reverted by #{by}",
    "viewer": "Only editors can undo changes or create snapshots.",
    "past": "You are looking at a past wave: choose 'now' in the sidebar to undo or mark waves.",
    "shown": "The newest {n} changes have an undo button; the full log is in the table below.",
}
BUTTONS = 30  # entries with their own undo button

FLASH = "_history_flash"  # the outcome of an undo, shown after the rerun that follows it

key = state.db_key()
st.title(TEXTS["title"])
st.caption(TEXTS["intro"])
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
log = waves.change_log(key)
editor = auth.can_write() and state.current_wave() is None
if not auth.can_write():
    st.info(TEXTS["viewer"])
elif state.current_wave() is not None:
    st.info(TEXTS["past"])

if editor:
    with st.form("snapshot_form", clear_on_submit=True):
        st.subheader(TEXTS["snapshot_title"])
        st.caption(TEXTS["snapshot_help"])
        name = st.text_input(TEXTS["snapshot_name"], key="snapshot_name")
        note = st.text_input(TEXTS["snapshot_note"], key="snapshot_note")
        if st.form_submit_button(TEXTS["snapshot_button"]):
            try:
                made = waves.make_snapshot(state.current_db(), name, note)
            except EcographError as exc:
                st.error(str(exc))
            else:
                st.success(TEXTS["snapshot_done"].format(label=md(made.label)))

if not log.height:
    st.info(TEXTS["empty"])
    st.stop()

st.subheader(TEXTS["log_title"])
if editor and log.height > BUTTONS:
    st.caption(TEXTS["shown"].format(n=BUTTONS))
for row in log.head(BUTTONS).iter_rows(named=True):
    text, action = st.columns([6, 1])
    status = f" — {TEXTS['reverted'].format(by=row['reverted_by'])}" if row["reverted_by"] else ""
    text.markdown(
        f"**#{row['change_id']}** {md(row['kind'])} · {row['recorded_at']:%Y-%m-%d %H:%M} UTC · "
        f"{md(row['who'])} · +{row['added']} ~{row['changed']} −{row['removed']}{md(status)}  \n"
        f"{md(row['what'])}"
    )
    undoable = (
        editor and not row["reverted_by"] and (row["added"] or row["changed"] or row["removed"])
    )
    if undoable and action.button(
        TEXTS["undo"], key=f"undo_{row['change_id']}", help=TEXTS["undo_help"]
    ):
        try:
            record = waves.revert(state.current_db(), int(row["change_id"]))
        except EcographError as exc:
            st.error(str(exc))
        else:
            st.session_state[FLASH] = TEXTS["undone"].format(
                what=md(record.what), summary=md(record.summary())
            )
            st.rerun()
st.dataframe(log, hide_index=True)
