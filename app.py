"""ecograph's Streamlit entry point: page set-up and navigation over the pages in ui/."""

from __future__ import annotations

import streamlit as st

from ui.overview import render

st.set_page_config(page_title="ecograph", page_icon="🕸️", layout="wide")
render()
