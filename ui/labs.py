"""What the three learning-lab pages share: the queue of the database in use, the lab picker,
and the calls into ``graph.labs`` and ``graph.present.lab_summary`` (writes check for an editor
first, then go through the app's write lock, ``ui.state.writing``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import networkx as nx
import polars as pl
import streamlit as st

from graph.i18n import N_, NC_, Translator
from graph.labs.approval import Approval, approve, reject, review
from graph.labs.lab import CreatedLab, create_lab, join_url
from graph.labs.queue import (
    Lab,
    list_labs,
    list_submissions,
    open_queue,
    queue_path,
    set_lab_status,
)
from graph.labs.submission import Organisation
from graph.present.lab_summary import lab_graph, lab_ties
from graph.store.config import base_url
from ui import auth, state
from ui.language import ui_translator

__all__ = [
    "STATUS_LABELS",
    "TEXTS",
    "approve_items",
    "choose_lab",
    "close_or_reopen",
    "create",
    "current_base_url",
    "lab_day",
    "labs",
    "projector_graph",
    "queue_frame",
    "reject_items",
    "status_label",
]

TEXTS = {
    "no_labs": N_(
        "No learning lab yet: create one on the Labs page (editors), or with "
        "`ecograph lab create --name NAME --date YYYY-MM-DD`."
    ),
    "pick": NC_("learning lab", "Lab"),
    "create": N_("create a learning lab"),
    "close": N_("close or reopen a lab"),
    "approve": N_("approve lab answers"),
    "reject": N_("reject lab answers"),
}
STATUS_LABELS = {
    "open": NC_("lab status", "open"),
    "closed": NC_("lab status", "closed"),
}


def lab_day(lab: Lab, t: Translator) -> str:
    """The lab's day as ``t``'s language writes it (``10 december 2026``)."""
    try:
        return t.date(date.fromisoformat(lab.lab_date))
    except ValueError:
        return lab.lab_date


def status_label(status: str, t: Translator) -> str:
    """A lab's status ("open", "closed") in ``t``'s language."""
    return t.pgettext("lab status", STATUS_LABELS.get(status, status))


def _action(key: str) -> str:
    return ui_translator().gettext(TEXTS[key])


def _queue() -> Path:
    return queue_path(state.current_db())


def current_base_url() -> str:
    """The address the join links use (``ecograph app --base-url``)."""
    return base_url()


def labs() -> list[Lab]:
    """Every lab of the database in use; none (and no file created) when it has no queue yet,
    so a viewer's page never writes."""
    if not _queue().exists():
        return []
    with open_queue(_queue()) as queue:
        return list_labs(queue)


def choose_lab(key: str = "lab_code") -> Lab | None:
    """A lab picker (the ``?code=`` of the page's URL preselects one); None when there is none."""
    t = ui_translator()  # once: the picker's labels are formatted again outside the run
    found = labs()
    if not found:
        st.info(t.gettext(TEXTS["no_labs"]))
        return None
    codes = [x.code for x in found]
    wanted = st.query_params.get("code")
    index = codes.index(wanted) if wanted in codes else 0
    chosen = st.selectbox(
        t.pgettext("learning lab", TEXTS["pick"]),
        codes,
        index=index,
        key=key,
        format_func=lambda c: next(
            f"{x.name} · {lab_day(x, t)} · {c} ({status_label(x.status, t)})"
            for x in found
            if x.code == c
        ),
    )
    return next(x for x in found if x.code == chosen)


def create(name: str, day: date, areas: Sequence[str], host: str | None) -> CreatedLab:
    """Create a lab (editors only)."""
    auth.require_editor(_action("create"))
    with state.writing() as con, open_queue(_queue()) as queue:
        return create_lab(
            con,
            queue,
            name=name,
            lab_date=day,
            base_url=current_base_url(),
            areas=areas,
            host=host or None,
        )


def close_or_reopen(lab: Lab) -> Lab:
    """Close an open lab, reopen a closed one (editors only)."""
    auth.require_editor(_action("close"))
    with open_queue(_queue()) as queue:
        return set_lab_status(queue, lab.code, "closed" if lab.is_open else "open")


def queue_frame(lab: Lab) -> pl.DataFrame:
    """The moderator's view of the queue (``graph.labs.approval.review``), never contacts."""
    with state.reading() as con, open_queue(_queue()) as queue:
        return review(con, queue, lab.code)


def approve_items(lab: Lab, receipts: Sequence[str] | None) -> Approval:
    """Approve the receipts (all pending when None): one import into the database."""
    auth.require_editor(_action("approve"))
    with state.writing() as con, open_queue(_queue()) as queue:
        return approve(con, queue, lab.code, receipts)


def reject_items(lab: Lab, items: Sequence[str]) -> None:
    """Reject submissions (RECEIPT) or single ties (RECEIPT/N) (editors only)."""
    auth.require_editor(_action("reject"))
    with open_queue(_queue()) as queue:
        reject(queue, lab.code, items)


def _pending_frame(lab: Lab) -> pl.DataFrame:
    """Pending ties in the queue, as lab_graph takes them (new organisations by provisional
    name-based ids, so the same name is one node)."""
    rows = []

    def end(org: Organisation) -> tuple[str, str, str]:
        return org.actor_id or f"pending:{org.name.casefold()}", org.name, org.kind or "other"

    with open_queue(_queue()) as queue:
        for q in list_submissions(queue, lab.code, status="pending"):
            a = end(q.submission.organisation)
            for i, tie in enumerate(q.submission.ties, start=1):
                if i in q.rejected_ties:
                    continue
                b = end(tie.partner)
                rows.append(
                    {
                        "from_actor": a[0],
                        "from_name": a[1],
                        "from_kind": a[2],
                        "to_actor": b[0],
                        "to_name": b[1],
                        "to_kind": b[2],
                    }
                )
    return pl.DataFrame(
        rows,
        schema=dict.fromkeys(
            ("from_actor", "from_name", "from_kind", "to_actor", "to_name", "to_kind"), pl.String
        ),
    )


def projector_graph(lab: Lab, *, pending: bool) -> tuple[nx.Graph, tuple[str, ...]]:
    """The lab's graph (approved ties; pending ones too for editors) and the organisations of
    the five newest approved ties, which the projector highlights."""
    with state.reading() as con:
        ties = lab_ties(con, lab.source_id)
    waiting = _pending_frame(lab) if pending and auth.can_write() else None
    newest = ties.tail(5)
    highlight = tuple(dict.fromkeys([*newest["from_actor"], *newest["to_actor"]]))
    return lab_graph(ties, waiting), highlight


def join_link(lab: Lab) -> str:
    return join_url(current_base_url(), lab.code)
