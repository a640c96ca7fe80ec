"""No text for people written outside the catalogue, in the code already translated.

A message written straight into ``click.echo``, ``st.markdown``, a widget's label or an error
would show English in every language, and the catalogue test cannot see it (nothing marks it).
This test reads the code (``ast``) and names each string literal with words in it that reaches
such a call without going through a translator, and each plain string in a module's texts block
(``TEXTS = {...}``) that is not marked for the catalogue. Every module of the app, the core and
the command line is read, less ``EXEMPT`` (strings that are data).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import graph.errors

ROOT = Path(__file__).resolve().parents[2]

# Every module of the app, the core and the command line is checked, except those whose
# strings are data, not messages (EXEMPT, with the reason).
EXEMPT = {
    "graph/datasets/synth.py": "the synthetic layer's names and descriptions are data",
}


def checked_files(root: Path = ROOT) -> list[str]:
    """The modules whose texts people read: app.py, ui/ and graph/, less EXEMPT."""
    found = [
        root / "app.py",
        *sorted((root / "ui").rglob("*.py")),
        *sorted((root / "graph").rglob("*.py")),
    ]
    names = [str(p.relative_to(root)) for p in found]
    return [n for n in names if n not in EXEMPT]


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


# the names of the blocks that hold a module's texts for people (STYLE.md, "one place")
_TEXT_BLOCK = re.compile(r"^_?([A-Z]+_)*(TEXTS|MESSAGES|LABELS|TITLES|HELP|PLURALS)$")
_MARKS = {"N_", "NP_", "NC_"}


def unmarked_texts(path: Path, root: Path = ROOT) -> list[str]:
    """One line per value of a module-level texts block (``TEXTS = {...}``) written as a plain
    string: the extractor cannot see it, so no catalogue translates it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in tree.body:
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if not (isinstance(target, ast.Name) and _TEXT_BLOCK.match(target.id)):
            continue
        if not isinstance(value, ast.Dict):
            continue
        for item in value.values:
            if isinstance(item, ast.Call) and getattr(item.func, "id", "") in _MARKS:
                continue
            for literal in _shown_text(item):
                out.append(
                    f"{path.relative_to(root)}:{literal.lineno}: {target.id} holds text not "
                    "marked for the catalogue (N_, NP_ or NC_)"
                )
    return out


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


@pytest.mark.parametrize("file", checked_files())
def test_translated_code_shows_no_literal_text(file: str) -> None:
    assert untranslated(ROOT / file) + unmarked_texts(ROOT / file) == []


def test_the_lists_name_real_modules() -> None:
    """A module renamed or removed leaves no stale line behind in EXEMPT."""
    missing = [f for f in [*EXEMPT] if not (ROOT / f).is_file()]
    assert missing == []


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


def test_the_check_finds_unmarked_text_blocks(tmp_path: Path) -> None:
    """The check can fail: a texts block with a plain string is named; marked ones are not."""
    source = tmp_path / "mod.py"
    source.write_text(
        "TEXTS = {\n"
        "    'a': N_('Marked'),\n"
        "    'b': 'Not marked',\n"
        "    'c': NP_('{n} tie', '{n} ties'),\n"
        "}\n"
        "COLUMN_LABELS: dict[str, str] = {'x': 'Plain label', 'y': NC_('column', 'Name')}\n",
        encoding="utf-8",
    )
    assert unmarked_texts(source, root=tmp_path) == [
        "mod.py:3: TEXTS holds text not marked for the catalogue (N_, NP_ or NC_)",
        "mod.py:6: COLUMN_LABELS holds text not marked for the catalogue (N_, NP_ or NC_)",
    ]
