"""Labs (editors): create a learning lab, show its join link, QR code and poster, moderate its
queue (each organisation's match to the known actors; approve or reject per tie or all at once),
close and reopen it. Viewers see that the page is for editors only."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from graph.errors import EcographError
from graph.i18n import N_, NC_, NP_
from graph.labs.approval import Approval
from graph.labs.qr import poster_html, qr_png, qr_svg
from graph.labs.texts import form_texts
from ui import auth, labs, state
from ui.language import choose_placeholder, ui_translator
from ui.text import md

TEXTS = {
    "title": N_("Learning labs"),
    "editors_only": N_(
        "Moderating learning labs is for editors: sign in as an editor in the sidebar."
    ),
    "create": N_("Create a lab"),
    "name": NC_("learning lab", "Name"),
    "date": NC_("learning lab", "Date"),
    "areas": N_("Strength areas"),
    "host": N_("Host (actor id, optional)"),
    "create_button": N_("Create the lab"),
    "created": N_("Lab {code} created: {url}"),
    "join": N_("Join link: {url} · code **{code}**"),
    "poster": N_("Download the A4 poster (HTML, print it)"),
    "svg": N_("QR code (SVG, for slides)"),
    "png": N_("QR code (PNG)"),
    "close": N_("Close the lab"),
    "reopen": N_("Reopen the lab"),
    "queue": NC_("learning lab", "Queue"),
    "empty": N_("Nothing in the queue yet."),
    "approve_all": N_("Approve all pending"),
    "approve_some": N_("Approve these receipts"),
    "reject_some": N_("Reject these (a receipt, or one tie RECEIPT/N)"),
    "projector": N_("Open the projector view"),
}
PLURALS = {
    "approved": NP_(
        "Approved {n} submission: {ties}, {wanted}.", "Approved {n} submissions: {ties}, {wanted}."
    ),
    "rejected": NP_("Rejected {n} item.", "Rejected {n} items."),
    "ties": NP_("{n} tie", "{n} ties"),
    "wanted": NP_("{n} wanted tie", "{n} wanted ties"),
}
# the queue's columns, as the moderator reads them
COLUMN_LABELS = {
    "receipt": NC_("lab queue", "Receipt"),
    "status": NC_("lab queue", "Status"),
    "organisation": NC_("lab queue", "Organisation"),
    "org_match": NC_("lab queue", "Match"),
    "comment": NC_("lab queue", "Comment"),
    "item": NC_("lab queue", "Item"),
    "partner": NC_("lab queue", "Partner"),
    "partner_match": NC_("lab queue", "Partner's match"),
    "how": NC_("lab queue", "How"),
    "strength": NC_("lab queue", "How often"),
    "since": NC_("lab queue", "Since"),
    "obstacle": NC_("lab queue", "Obstacle"),
}
STATUS_LABELS = {
    "pending": NC_("lab queue", "pending"),
    "approved": NC_("lab queue", "approved"),
    "rejected": NC_("lab queue", "rejected"),
    "wanted": NC_("lab queue", "wanted"),
}

PROJECTOR_PAGE = "ui/lab_projector.py"
CONTEXTS = {"name": "learning lab", "date": "learning lab", "queue": "learning lab"}

t = ui_translator()
form = form_texts(t.lang)


def say(key: str, **values: object) -> str:
    text = TEXTS[key]
    if key in CONTEXTS:
        return t.pgettext(CONTEXTS[key], text).format(**values)
    return t.gettext(text).format(**values)


def approved(done: Approval) -> str:
    ties = t.ngettext(*PLURALS["ties"], done.ties).format(n=t.number(done.ties))
    wanted = t.ngettext(*PLURALS["wanted"], done.wanted).format(n=t.number(done.wanted))
    n = len(done.receipts)
    return t.ngettext(*PLURALS["approved"], n).format(n=t.number(n), ties=ties, wanted=wanted)


def shown_queue(queue: pl.DataFrame) -> pl.DataFrame:
    """The queue with its statuses and tie kinds in the session's language."""
    words = {k: t.pgettext("lab queue", v) for k, v in STATUS_LABELS.items()}
    how = {k[4:]: v for k, v in form.items() if k.startswith("how_")}
    often = {k[9:]: v for k, v in form.items() if k.startswith("strength_")}
    return queue.with_columns(
        pl.col("status").replace(words),
        pl.col("how").replace({**how, **words}),
        pl.col("strength").replace(often),
        pl.col("item").replace(words),
    )


st.title(say("title"))
if not auth.can_write():
    st.info(say("editors_only"))
    st.stop()

key = state.db_key()
with st.expander(say("create"), expanded=not labs.labs()), st.form("lab_create"):
    name = st.text_input(say("name"), value="Lärlabb")
    day = st.date_input(say("date"), value=date.today())
    areas = st.multiselect(
        say("areas"),
        state.table(key, "strength_areas")["area_id"].to_list(),
        placeholder=choose_placeholder(),
    )
    host = st.text_input(say("host"))
    if st.form_submit_button(say("create_button")):
        try:
            made = labs.create(name, day, areas, host.strip() or None)
            st.success(say("created", code=made.lab.code, url=md(made.join_url)))
        except EcographError as exc:
            st.error(md(exc))

lab = labs.choose_lab()
if lab is None:
    st.stop()
url = labs.join_link(lab)
left, right = st.columns([2, 1])
left.markdown(say("join", url=md(url), code=lab.code))
left.page_link(PROJECTOR_PAGE, label=say("projector"), icon=":material/tv:")
right.image(qr_png(url, scale=5))
c1, c2, c3, c4 = st.columns(4)
c1.download_button(
    say("poster"),
    poster_html(lab_name=lab.name, lab_date=lab.lab_date, code=lab.code, url=url, lang=t.lang),
    file_name=f"lab-{lab.code}-poster.html",
    mime="text/html",
)
c2.download_button(say("svg"), qr_svg(url), file_name=f"lab-{lab.code}.svg", mime="image/svg+xml")
c3.download_button(say("png"), qr_png(url), file_name=f"lab-{lab.code}.png", mime="image/png")
if c4.button(say("reopen") if not lab.is_open else say("close")):
    labs.close_or_reopen(lab)
    st.rerun()

st.subheader(say("queue"))
queue = labs.queue_frame(lab)
if queue.height == 0:
    st.info(say("empty"))
    st.stop()
st.dataframe(
    shown_queue(queue.drop("updated_at")),
    hide_index=True,
    width="stretch",
    column_config={
        c: st.column_config.TextColumn(t.pgettext("lab queue", label))
        for c, label in COLUMN_LABELS.items()
    },
)
pending = queue.filter(queue["status"] == "pending")["receipt"].unique(maintain_order=True)
try:
    if st.button(say("approve_all"), type="primary", disabled=pending.len() == 0):
        done = labs.approve_items(lab, None)
        st.success(approved(done))
    chosen = st.multiselect(
        say("approve_some"), pending.to_list(), placeholder=choose_placeholder()
    )
    if chosen and st.button(say("approve_some")):
        done = labs.approve_items(lab, chosen)
        st.success(approved(done))
    items = [i for i in queue["item"].unique(maintain_order=True).to_list() if i != "wanted"]
    refuse = st.multiselect(
        say("reject_some"), sorted({*queue["receipt"], *items}), placeholder=choose_placeholder()
    )
    if refuse and st.button(say("reject_some")):
        labs.reject_items(lab, refuse)
        st.success(t.ngettext(*PLURALS["rejected"], len(refuse)).format(n=t.number(len(refuse))))
except EcographError as exc:
    st.error(md(exc))
