"""Reading XML from outside (GEXF, GraphML) safely: decoded first, parsed by a hardened parser,
and refused before memory grows.

Three defences, each one a reason a byte search was not enough:

- **Decoding first.** The file is decoded as its byte order mark, its first bytes or its
  declaration say (UTF-8, UTF-16 or UTF-32, with or without a BOM; a declared single-byte
  encoding such as ISO-8859-1) and handed to the parser as UTF-8, so a ``<!DOCTYPE`` written in
  UTF-16 is seen like any other.
- **A hardened parser.** ``defusedxml`` refuses a DOCTYPE, entity declarations and outside
  references (no "billion laughs", no XXE); an undeclared entity is a parse error.
- **Field and token limits.** The file is fed in chunks; a single tag still open after
  ``MAX_TOKEN_BYTES`` bytes is refused before the parser buffers the rest of it, and a text or
  attribute value longer than ``MAX_FIELD_CHARS`` characters is refused once parsed (it is
  then at most a few MB).
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from graph.formats.messages import count, say
from graph.formats.readers import MAX_FIELD_CHARS
from graph.i18n import N_

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_TOKEN_BYTES",
    "TEXTS",
    "XmlRefused",
    "local_name",
    "parse_xml",
    "sniff_encoding",
]


# One tag with all its attributes: ten fields at the limit in 4-byte UTF-8 characters, and room.
MAX_TOKEN_BYTES = 8 * 1024 * 1024
_CHUNK = 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# "<?" (or "<" then anything) in each wide encoding, as the XML specification's appendix F sniffs
_WIDE = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


TEXTS = {
    "unknown_encoding": N_("the declared encoding '{label}' is not known"),
    "lying_encoding": N_("the file declares {label} but is not written in it"),
    "long_attribute": N_("<{tag}> attribute '{name}' is longer than {limit} characters"),
    "long_text": N_("a text longer than {limit} characters"),
    "long_tag": N_("one tag runs over {mb} MB (a value longer than {limit} characters)"),
    "bad_text": N_("not valid {encoding} text ({reason})"),
    "doctype": N_(
        "XML with a DOCTYPE or ENTITY declaration is not accepted (entity expansion "
        "and outside files; {what})"
    ),
    "not_xml": N_("not well-formed XML ({reason})"),
}


class XmlRefused(ValueError):
    """An XML file that is unsafe or unreadable; the message is one line for the user."""


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of an XML file from its first bytes, and the length of its BOM.

    >>> sniff_encoding(b"\\xff\\xfe<\\x00?\\x00")
    ('utf-16-le', 2)
    >>> sniff_encoding(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    ('iso8859-1', 0)
    >>> sniff_encoding(b"<gexf>")
    ('utf-8', 0)
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    for start, name in _WIDE:
        if head.startswith(start):
            return name, 0
    declared = _DECLARED.match(head)
    if declared:
        label = declared.group(1).decode("ascii")
        try:
            name = codecs.lookup(label).name
        except LookupError as exc:
            raise XmlRefused(say(TEXTS["unknown_encoding"], label=label)) from exc
        if name.startswith(("utf-16", "utf-32")):
            # declared wide but written in single bytes (the first bytes said so): a lie
            raise XmlRefused(say(TEXTS["lying_encoding"], label=label))
        return name, 0
    return "utf-8", 0


def local_name(tag: str) -> str:
    """A tag without its namespace: ``{http://gexf.net/1.3}node`` → ``node``."""
    return tag.rsplit("}", 1)[-1]


class _NoEvents:
    """A parser target that takes no events: the guard parser only checks, at C speed."""

    def close(self) -> None:
        return None


def _check_fields(root: ET.Element) -> None:
    """Refuse a text or attribute value over the field limit (the token guard has already
    bounded how large one can be)."""
    for element in root.iter():
        for name, value in element.attrib.items():
            if len(value) > MAX_FIELD_CHARS:
                raise XmlRefused(
                    say(
                        TEXTS["long_attribute"],
                        tag=local_name(element.tag),
                        name=local_name(name),
                        limit=count(MAX_FIELD_CHARS),
                    )
                )
        if (element.text and len(element.text) > MAX_FIELD_CHARS) or (
            element.tail and len(element.tail) > MAX_FIELD_CHARS
        ):
            raise XmlRefused(say(TEXTS["long_text"], limit=count(MAX_FIELD_CHARS)))


def parse_xml(path: Path) -> ET.Element:
    """Parse an XML file safely (see the module docstring) and return its root element.

    Raises
    ------
    XmlRefused
        A DOCTYPE or entity, an unknown or lying encoding, a value over the field limit, or
        XML that does not parse; the message says which, in one line.
    """
    with path.open("rb") as handle:
        head = handle.read(4096)
        encoding, bom = sniff_encoding(head)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        # Two parsers read the same bytes: defusedxml's, which refuses a DOCTYPE, entities and
        # outside references and sees each chunk first, and the C ElementTree parser, which
        # builds the tree fast. ``encoding="utf-8"`` is what we feed, whatever the file says.
        guard = DefusedXMLParser(
            target=_NoEvents(),  # type: ignore[arg-type]
            encoding="utf-8",
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        builder = ET.XMLParser(encoding="utf-8")
        fed = 0
        chunk = head[bom:]
        try:
            while True:
                final = len(chunk) == 0
                data = decoder.decode(chunk, final=final).encode("utf-8")
                guard.feed(data)
                fed += len(data)
                # after a feed, the guard's byte index is where its last tag began
                if fed - guard.parser.CurrentByteIndex > MAX_TOKEN_BYTES:
                    raise XmlRefused(
                        say(
                            TEXTS["long_tag"],
                            mb=MAX_TOKEN_BYTES // (1024 * 1024),
                            limit=count(MAX_FIELD_CHARS),
                        )
                    )
                builder.feed(data)
                if final:
                    break
                chunk = handle.read(_CHUNK)
            guard.close()
            root = builder.close()
        except UnicodeDecodeError as exc:
            raise XmlRefused(say(TEXTS["bad_text"], encoding=encoding, reason=exc.reason)) from exc
        except DefusedXmlException as exc:
            raise XmlRefused(say(TEXTS["doctype"], what=type(exc).__name__)) from exc
        except ET.ParseError as exc:
            raise XmlRefused(say(TEXTS["not_xml"], reason=exc)) from exc
    _check_fields(root)
    return root
