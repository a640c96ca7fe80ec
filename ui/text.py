"""Showing text from the data safely in Streamlit markdown."""

from __future__ import annotations

import re

__all__ = ["md"]

# Markdown and Streamlit's own directives (:red[...], :material/icon:) use these characters.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:$])")


def md(text: object) -> str:
    """``text`` escaped for ``st.markdown``: shown literally, never as formatting or a link."""
    return _SPECIAL.sub(r"\\\1", str(text))
