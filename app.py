"""ecograph's Streamlit entry point: page set-up, the shared sidebar and navigation over ui/."""

from __future__ import annotations

import streamlit as st

from graph.errors import DatabaseLockedError, EcographError
from graph.i18n import N_
from ui.auth import current_policy
from ui.language import settle_language
from ui.state import database_busy, database_ready, render_sidebar

# (file, title, icon); the titles are the navigation's and the browser tab's
PAGE_TITLES = [
    ("ui/overview.py", N_("Overview"), ":material/home:"),
    ("ui/network_map.py", N_("Network map"), ":material/hub:"),
    ("ui/gaps.py", N_("Gaps"), ":material/troubleshoot:"),
    ("ui/partners.py", N_("Partners"), ":material/handshake:"),
    ("ui/geo_map.py", N_("Geographic map"), ":material/map:"),
    ("ui/sql_console.py", N_("SQL"), ":material/terminal:"),
    ("ui/data.py", N_("Data"), ":material/database:"),
    ("ui/lab_moderation.py", N_("Labs"), ":material/groups:"),
    ("ui/lab_projector.py", N_("Lab projector"), ":material/tv:"),
    ("ui/lab_summary.py", N_("Lab summary"), ":material/summarize:"),
    ("ui/history.py", N_("History"), ":material/history:"),
    ("ui/changes.py", N_("Changes"), ":material/compare_arrows:"),
]

st.set_page_config(page_title="ecograph", page_icon=":material/hub:", layout="wide")
t = settle_language()  # before the navigation: its titles speak the session's language
page = st.navigation(
    [
        st.Page(file, title=t.gettext(title), icon=icon, default=i == 0)
        for i, (file, title, icon) in enumerate(PAGE_TITLES)
    ]
)
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
