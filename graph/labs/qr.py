"""The join link as a QR code (SVG for slides, PNG for documents) and a printable A4 poster.

segno is pure Python, so nothing is drawn by a service outside the machine.
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

import jinja2
import segno

from graph.i18n import available_languages, translator
from graph.labs.texts import form_texts

__all__ = ["poster_html", "qr_png", "qr_svg", "templates"]


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The lab's Jinja2 templates, with autoescape on for every one of them."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("graph.labs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _code(url: str) -> segno.QRCode:
    # level M survives a smudged print or a projector's glare; boost_error keeps it small
    return segno.make_qr(url, error="m")


def qr_svg(url: str, *, scale: int = 10) -> bytes:
    """The QR code of ``url`` as an SVG document."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="svg", scale=scale, border=4, xmldecl=True)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The QR code of ``url`` as a PNG image."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _day(lab_date: str, lang: str) -> str:
    try:
        return translator(lang).date(date.fromisoformat(lab_date))
    except ValueError:
        return lab_date


def poster_html(*, lab_name: str, lab_date: str, code: str, url: str, lang: str = "sv") -> str:
    """An A4 page to print and put on the wall: the lab's name, the QR code, the link and the
    code, in both languages (the room is mixed), the chosen one first."""
    first = form_texts(lang)
    # the second language: English under any other, Swedish under English
    others = [x for x in ("en", "sv", *available_languages()) if x != lang]
    second = form_texts(others[0])
    svg = _code(url).svg_inline(scale=12, border=2)  # segno's own markup: modules, no text
    return (
        templates()
        .get_template("poster.html")
        .render(
            name=lab_name,
            date=_day(lab_date, lang),
            code=code,
            second_lang=others[0],
            url=url,
            first=first,
            second=second,
            qr=svg,
            lang=lang,
        )
    )
