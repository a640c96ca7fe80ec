"""Labs (editors): create a learning lab, show its join link, QR code and poster, moderate its
queue (each organisation's match to the known actors; approve or reject per tie or all at once),
close and reopen it. Viewers see that the page is for editors only."""

from __future__ import annotations

from datetime import date

import streamlit as st

from graph.errors import EcographError
from graph.labs.qr import poster_html, qr_png, qr_svg
from ui import auth, labs, state
from ui.text import md

TEXTS = {
    "title": "Learning labs",
    "editors_only": "Moderating learning labs is for editors: sign in as an editor in the sidebar.",
    "create": "Create a lab",
    "name": "Name",
    "date": "Date",
    "areas": "Strength areas",
    "host": "Host (actor id, optional)",
    "create_button": "Create the lab",
    "created": "Lab {code} created: {url}",
    "join": "Join link: {url} · code **{code}**",
    "poster": "Download the A4 poster (HTML, print it)",
    "svg": "QR code (SVG, for slides)",
    "png": "QR code (PNG)",
    "close": "Close the lab",
    "reopen": "Reopen the lab",
    "queue": "Queue",
    "empty": "Nothing in the queue yet.",
    "approve_all": "Approve all pending",
    "approve_some": "Approve these receipts",
    "reject_some": "Reject these (a receipt, or one tie RECEIPT/N)",
    "approved": "Approved {n} submission(s): {ties} ties, {wanted} wanted ties.",
    "rejected": "Rejected {n} item(s).",
    "projector": "Open the projector view",
}

st.title(TEXTS["title"])
if not auth.can_write():
    st.info(TEXTS["editors_only"])
    st.stop()

key = state.db_key()
with st.expander(TEXTS["create"], expanded=not labs.labs()), st.form("lab_create"):
    name = st.text_input(TEXTS["name"], value="Lärlabb")
    day = st.date_input(TEXTS["date"], value=date.today())
    areas = st.multiselect(TEXTS["areas"], state.table(key, "strength_areas")["area_id"].to_list())
    host = st.text_input(TEXTS["host"])
    if st.form_submit_button(TEXTS["create_button"]):
        try:
            made = labs.create(name, day, areas, host.strip() or None)
            st.success(TEXTS["created"].format(code=made.lab.code, url=md(made.join_url)))
        except EcographError as exc:
            st.error(md(exc))

lab = labs.choose_lab()
if lab is None:
    st.stop()
url = labs.join_link(lab)
left, right = st.columns([2, 1])
left.markdown(TEXTS["join"].format(url=md(url), code=lab.code))
left.page_link("ui/lab_projector.py", label=TEXTS["projector"], icon=":material/tv:")
right.image(qr_png(url, scale=5))
c1, c2, c3, c4 = st.columns(4)
c1.download_button(
    TEXTS["poster"],
    poster_html(lab_name=lab.name, lab_date=lab.lab_date, code=lab.code, url=url),
    file_name=f"lab-{lab.code}-poster.html",
    mime="text/html",
)
c2.download_button(TEXTS["svg"], qr_svg(url), file_name=f"lab-{lab.code}.svg", mime="image/svg+xml")
c3.download_button(TEXTS["png"], qr_png(url), file_name=f"lab-{lab.code}.png", mime="image/png")
if c4.button(TEXTS["reopen"] if not lab.is_open else TEXTS["close"]):
    labs.close_or_reopen(lab)
    st.rerun()

st.subheader(TEXTS["queue"])
queue = labs.queue_frame(lab)
if queue.height == 0:
    st.info(TEXTS["empty"])
    st.stop()
st.dataframe(queue.drop("updated_at"), hide_index=True, width="stretch")
pending = queue.filter(queue["status"] == "pending")["receipt"].unique(maintain_order=True)
try:
    if st.button(TEXTS["approve_all"], type="primary", disabled=pending.len() == 0):
        done = labs.approve_items(lab, None)
        st.success(
            TEXTS["approved"].format(n=len(done.receipts), ties=done.ties, wanted=done.wanted)
        )
    chosen = st.multiselect(TEXTS["approve_some"], pending.to_list())
    if chosen and st.button(TEXTS["approve_some"]):
        done = labs.approve_items(lab, chosen)
        st.success(
            TEXTS["approved"].format(n=len(done.receipts), ties=done.ties, wanted=done.wanted)
        )
    items = [i for i in queue["item"].unique(maintain_order=True).to_list() if i != "wanted"]
    refuse = st.multiselect(TEXTS["reject_some"], sorted({*queue["receipt"], *items}))
    if refuse and st.button(TEXTS["reject_some"]):
        labs.reject_items(lab, refuse)
        st.success(TEXTS["rejected"].format(n=len(refuse)))
except EcographError as exc:
    st.error(md(exc))
