"""CSV that a spreadsheet opens as data, never as formulas.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and
a tab or carriage return before one of them) as a formula: ``=HYPERLINK("http://…")`` becomes a
link, ``+cmd|' /C calc'!A0`` a command (OWASP "CSV injection"). Text from the data (an actor's
name, a description) must not do that in a downloaded answer, so such cells get a leading ``'``,
which spreadsheets show as text and do not display.

Numbers keep their type: only text columns change, so ``-5`` in a number column stays -5.
``ecograph export --format csv`` keeps exact values for round trips unless ``--excel-safe``.
"""

from __future__ import annotations

import polars as pl

__all__ = ["FORMULA_STARTS", "spreadsheet_safe"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula prefixed by
    ``'``; other columns unchanged.

    Examples
    --------
    >>> names = ["=HYPERLINK(\\"x\\")", "Åre", "-2", None]
    >>> frame = pl.DataFrame({"name": names, "n": [1, -2, 3, 4]})
    >>> spreadsheet_safe(frame).rows()
    [('\\'=HYPERLINK("x")', 1), ('Åre', -2), ("'-2", 3), (None, 4)]
    """
    text = [n for n, t in frame.schema.items() if t == pl.String]
    if not text:
        return frame
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_STARTS) + "]"
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(pattern))
        .then(pl.lit("'") + pl.col(n))
        .otherwise(pl.col(n))
        .alias(n)
        for n in text
    )
