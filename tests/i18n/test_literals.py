"""No text for people written outside the catalogue, in the code already translated.

A message written straight into ``click.echo``, ``st.markdown``, a widget's label or an error
would show English in every language, and the catalogue test cannot see it (nothing marks it).
This test reads the code (``ast``) and names each string literal with words in it that reaches
such a call without going through a translator. ``TRANSLATED`` lists the code that speaks
through the catalogue so far; whoever translates a page, the report or a command adds it here
(a file, or ``file::function`` for part of one), and the list grows until it is everything.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import graph.errors

ROOT = Path(__file__).resolve().parents[2]

TRANSLATED = [
    "graph/cli/language.py",
    "graph/cli/commands.py::init",
    "graph/cli/commands.py::stats",
    "graph/cli/commands.py::invoke",  # the root group's error lines
    "graph/i18n/vocabularies.py",
    "ui/language.py",
]

# calls whose text arguments people read: click's output, Streamlit's elements and widgets
SHOWN = {
    "echo", "secho", "title", "header", "subheader", "markdown", "write", "caption", "text",
    "info", "warning", "error", "success", "toast", "metric", "button", "download_button",
    "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider", "select_slider",
    "text_input", "text_area", "number_input", "date_input", "file_uploader", "expander",
    "tabs", "segmented_control", "pills", "form_submit_button", "link_button", "page_link",
}  # fmt: skip
SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "title", "body", "message"}
# calls whose positional arguments are not text (st.Page's first one is a file), keywords are
KEYWORDS_ONLY = {"Page"}
# a literal without words (punctuation, a number, a path separator) or a Streamlit icon
_WORDS = re.compile(r"[^\W\d_]{2,}")
_ICON = re.compile(r"^\s*(:material/[a-z_]+:\s*)+$")


def _shown_text(node: ast.expr) -> list[ast.expr]:
    """The parts of an argument that are written into the code as text with words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        return [node] if _WORDS.search(text) and not _ICON.match(text) else []
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts
        return [node] if any(_shown_text(v) for v in node.values) else []
    if isinstance(node, ast.BinOp):  # "a" + b, "a %s" % b
        return _shown_text(node.left) + _shown_text(node.right)
    return []


# errors people read: ecograph's own (graph/errors.py) and click's usage errors; a KeyError or
# a ValueError is a programmer's mistake, written for programmers
USER_ERRORS = {*graph.errors.__all__, "BadParameter", "ClickException", "FileError"}


def _is_error(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in USER_ERRORS


def untranslated(path: Path, function: str | None = None, root: Path = ROOT) -> list[str]:
    """One line per literal text that ``path`` (or its ``function``) shows or raises."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scopes: list[ast.AST] = [tree]
    if function is not None:
        scopes = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function
        ]
        assert scopes, f"{path}: no function {function}"
    out: list[str] = []
    for scope in scopes:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = name or getattr(node.func, "id", "")
            if name not in SHOWN | KEYWORDS_ONLY and not _is_error(node.func):
                continue
            positional = [] if name in KEYWORDS_ONLY else node.args
            args = [*positional, *(k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS)]
            for arg in args:
                for literal in _shown_text(arg):
                    text = ast.get_source_segment(path.read_text(encoding="utf-8"), literal)
                    out.append(
                        f"{path.relative_to(root)}:{literal.lineno}: {name}({text}) "
                        "shows text outside the catalogue"
                    )
    return out


@pytest.mark.parametrize("entry", TRANSLATED)
def test_translated_code_shows_no_literal_text(entry: str) -> None:
    file, _, function = entry.partition("::")
    assert untranslated(ROOT / file, function or None) == []


def test_the_check_finds_literals(tmp_path: Path) -> None:
    """The check can fail: each way of writing text straight into the code is named; text
    through a translator, an icon, and a bare placeholder are not."""
    source = tmp_path / "page.py"
    source.write_text(
        "import click, streamlit as st\n"
        "def page(t, n, path):\n"
        "    click.echo(f'database: {path}')\n"
        "    st.sidebar.radio('Language', ['en'], help=t.gettext('Help'))\n"
        "    st.markdown(t.gettext(TEXTS['x']).format(n=n))\n"
        "    st.button(':material/translate: ' + t.gettext('Go'))\n"
        "    st.caption('Shown: ' + str(n))\n"
        "    click.echo(f'{n}: {path}')\n"
        "    raise UsageError('give a number')\n"
        "    raise KeyError(f'no such key {n}')\n"
        "    st.Page('ui/overview.py', title='Overview')\n",
        encoding="utf-8",
    )
    assert untranslated(source, root=tmp_path) == [
        "page.py:3: echo(f'database: {path}') shows text outside the catalogue",
        "page.py:4: radio('Language') shows text outside the catalogue",
        "page.py:7: caption('Shown: ') shows text outside the catalogue",
        "page.py:9: UsageError('give a number') shows text outside the catalogue",
        "page.py:11: Page('Overview') shows text outside the catalogue",
    ]
