"""Showing text from the data safely in Streamlit markdown."""

from __future__ import annotations

import re

__all__ = ["md"]

# Markdown and Streamlit's own directives (:red[...], :material/icon:) use these characters.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:$])")
# Streamlit's markdown turns bare URLs, www. names and e-mail addresses into links after the
# text is parsed, so escaping does not stop it (issue #21: a name "https://…" became a link).
# A word joiner (U+2060, invisible, no break) where a link would start breaks the match.
_LINK_STARTS = re.compile(r"(?<=://)|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """``text`` escaped for ``st.markdown``: shown literally, never as formatting or a link.

    >>> print(md("Visit https://x.se or a@b.se").replace(WORD_JOINER, "|"))
    Visit https\\://|x\\.se or a@|b\\.se
    """
    unlinked = _LINK_STARTS.sub(WORD_JOINER, str(text))
    return _SPECIAL.sub(r"\\\1", unlinked)
