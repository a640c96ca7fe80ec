"""What ``ecograph app`` runs: the Streamlit app (app.py) and the learning labs' participant form
(graph/labs/server.py) on one port, so a lab's join link ``{base_url}/lab/{code}`` works while the
app runs. Streamlit's ``st.App`` serves the script on uvicorn and takes extra Starlette routes.
"""

from __future__ import annotations

import streamlit as st

from graph.labs.server import lab_routes, settings_from_env

app = st.App("app.py", routes=lab_routes(settings_from_env()))
