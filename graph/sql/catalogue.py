"""The saved queries' titles and descriptions for the translation catalogues.

A saved query's title and description are written in English in its ``queries/*.sql`` header;
``babel.cfg`` has Babel read them with ``extract_query_headers`` so that every language's
catalogue translates them, and the SQL page shows them through a translator. The SQL stays as
it is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

__all__ = ["extract_query_headers"]


def extract_query_headers(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: the title and description of the saved query in ``fileobj``,
    exactly as ``graph.sql.load_queries`` reads them (continuation lines joined).

    ``babel.cfg``: ``[graph.sql.catalogue.extract_query_headers: queries/**.sql]``.
    """
    from graph.sql import _parse_query

    query = _parse_query(Path(fileobj.name))
    comment = [f"saved query {query.name}"]
    yield 2, "", query.title, comment
    if query.description:
        yield 3, "", query.description, comment
