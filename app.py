"""ecograph's Streamlit entry point: page set-up, the shared sidebar and navigation over ui/."""

from __future__ import annotations

import streamlit as st

from graph.errors import DatabaseLockedError, EcographError
from ui.auth import current_policy
from ui.state import database_busy, database_ready, render_sidebar

st.set_page_config(page_title="ecograph", page_icon=":material/hub:", layout="wide")

PAGES = [
    st.Page("ui/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("ui/network_map.py", title="Network map", icon=":material/hub:"),
    st.Page("ui/gaps.py", title="Gaps", icon=":material/troubleshoot:"),
    st.Page("ui/partners.py", title="Partners", icon=":material/handshake:"),
    st.Page("ui/geo_map.py", title="Geographic map", icon=":material/map:"),
    st.Page("ui/sql_console.py", title="SQL", icon=":material/terminal:"),
    st.Page("ui/data.py", title="Data", icon=":material/database:"),
    st.Page("ui/lab_moderation.py", title="Labs", icon=":material/groups:"),
    st.Page("ui/lab_projector.py", title="Lab projector", icon=":material/tv:"),
    st.Page("ui/lab_summary.py", title="Lab summary", icon=":material/summarize:"),
    st.Page("ui/history.py", title="History", icon=":material/history:"),
    st.Page("ui/changes.py", title="Changes", icon=":material/compare_arrows:"),
]

page = st.navigation(PAGES)
try:
    current_policy()  # unreadable access settings stop every page here (fail closed)
    render_sidebar()
    page.run()
except DatabaseLockedError as exc:  # a command-line import holds the file: wait, then retry
    database_busy(exc)
except EcographError as exc:  # an expected error (unreadable access settings, ...): one line
    st.error(str(exc))
else:
    database_ready()
