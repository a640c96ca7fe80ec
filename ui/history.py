"""History: every change of the data, who made it and when, undo for editors, and snapshots
("waves") such as "the review of 2026 H2"."""

from __future__ import annotations

import streamlit as st

from graph.errors import EcographError
from graph.history.what import what_text
from graph.i18n import N_, NC_
from ui import auth, state, transfer, waves
from ui.language import ui_translator
from ui.text import md

TEXTS = {
    "title": N_("History"),
    "intro": N_(
        "Every import, merge, dismissal, deletion, undo and restore is recorded here. Times "
        "are **record time** (UTC): when ecograph learned a fact, not the dates of the "
        "activities themselves."
    ),
    "empty": N_("Nothing recorded yet: the change log begins with the first import or change."),
    "snapshot_title": N_("Mark a wave"),
    "snapshot_help": N_("Name the data as recorded now, e.g. 'review 2026 H2'. Costs one row."),
    "snapshot_name": N_("Name"),
    "snapshot_note": N_("Note (optional)"),
    "snapshot_button": N_("Create snapshot"),
    "snapshot_done": N_("Created {label}."),
    "log_title": N_("Changes, newest first"),
    "undo": N_("Undo"),
    "undo_help": N_("Put back what this change replaced or removed (recorded as a change itself)."),
    "undone": N_("Done: {what} ({summary})."),
    "reverted": N_("reverted by #{by}"),
    "row": N_("**#{id}** {kind} · {when} UTC · {who} · +{added} ~{changed} −{removed}{status}"),
    "viewer": N_("Only editors can undo changes or create snapshots."),
    "past": N_(
        "You are looking at a past wave: choose 'now' in the sidebar to undo or mark waves."
    ),
    "shown": N_("The newest {n} changes have an undo button; the full log is in the table below."),
}
# The kinds of change the log records (the log keeps the English word; other kinds show as
# recorded).
CHANGE_KINDS = {
    "baseline": NC_("change kind", "baseline"),
    "unrecorded": NC_("change kind", "unrecorded"),
    "import": NC_("change kind", "import"),
    "merge": NC_("change kind", "merge"),
    "dismiss": NC_("change kind", "dismiss"),
    "delete": NC_("change kind", "delete"),
    "revert": NC_("change kind", "revert"),
    "restore": NC_("change kind", "restore"),
    "sql": NC_("change kind", "sql"),
}
BUTTONS = 30  # entries with their own undo button

FLASH = "_history_flash"  # the outcome of an undo, shown after the rerun that follows it

key = state.db_key()
t = ui_translator()
st.title(t.gettext(TEXTS["title"]))
st.caption(t.gettext(TEXTS["intro"]))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
log = waves.change_log(key)
editor = auth.can_write() and state.current_wave() is None
if not auth.can_write():
    st.info(t.gettext(TEXTS["viewer"]))
elif state.current_wave() is not None:
    st.info(t.gettext(TEXTS["past"]))

if editor:
    with st.form("snapshot_form", clear_on_submit=True):
        st.subheader(t.gettext(TEXTS["snapshot_title"]))
        st.caption(t.gettext(TEXTS["snapshot_help"]))
        name = st.text_input(t.gettext(TEXTS["snapshot_name"]), key="snapshot_name")
        note = st.text_input(t.gettext(TEXTS["snapshot_note"]), key="snapshot_note")
        if st.form_submit_button(t.gettext(TEXTS["snapshot_button"])):
            try:
                made = waves.make_snapshot(state.current_db(), name, note)
            except EcographError as exc:
                st.error(str(exc))
            else:
                st.success(t.gettext(TEXTS["snapshot_done"]).format(label=md(made.label)))

if not log.height:
    st.info(t.gettext(TEXTS["empty"]))
    st.stop()

st.subheader(t.gettext(TEXTS["log_title"]))
if editor and log.height > BUTTONS:
    st.caption(t.gettext(TEXTS["shown"]).format(n=t.number(BUTTONS)))
for row in log.head(BUTTONS).iter_rows(named=True):
    text, action = st.columns([6, 1])
    reverted = t.gettext(TEXTS["reverted"]).format(by=row["reverted_by"])
    status = f" — {reverted}" if row["reverted_by"] else ""
    line = t.gettext(TEXTS["row"]).format(
        id=row["change_id"],
        kind=md(t.pgettext("change kind", row["kind"])),
        when=f"{row['recorded_at']:%Y-%m-%d %H:%M}",
        who=md(row["who"]),
        added=t.number(row["added"]),
        changed=t.number(row["changed"]),
        removed=t.number(row["removed"]),
        status=md(status),
    )
    text.markdown(f"{line}  \n{md(what_text(row['what'], t.lang))}")
    undoable = (
        editor and not row["reverted_by"] and (row["added"] or row["changed"] or row["removed"])
    )
    if undoable and action.button(
        t.gettext(TEXTS["undo"]), key=f"undo_{row['change_id']}", help=t.gettext(TEXTS["undo_help"])
    ):
        try:
            record = waves.revert(state.current_db(), int(row["change_id"]))
        except EcographError as exc:
            st.error(str(exc))
        else:
            st.session_state[FLASH] = t.gettext(TEXTS["undone"]).format(
                what=md(what_text(record.what, t.lang)), summary=md(record.summary())
            )
            st.rerun()
st.dataframe(transfer.shown_columns(log, t), hide_index=True)
