"""The rule of the arrows: which part of ``graph/`` may import which (DESIGN.md, "Layout").

The layout is the architecture's first document, so a test keeps it true: it reads every module's
imports with ``ast`` (imports inside functions and ``TYPE_CHECKING`` blocks count too — a lazy
import is still an arrow) and names the file, the line and the import that breaks a rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parents[2] / "graph"

# part -> the parts of graph/ it may import (itself always). "errors" is the floor every part
# stands on, and "i18n" (languages: messages, numbers, dates, sorting) stands on it alone, so
# every part may speak; "sql" is the console, a module of its own beside the parts.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "store": {"errors", "i18n"},
    # the writers record their changes in history's change log (history imports none of them)
    "curation": {"errors", "i18n", "store", "history"},
    "formats": {"errors", "i18n", "store", "curation", "history"},
    "history": {"errors", "i18n", "store"},
    "analysis": {"errors", "i18n", "store"},
    # the review pack and the Changes page present history's waves with analysis's indicators
    "present": {"errors", "i18n", "store", "analysis", "history"},
    "datasets": {"errors", "i18n", "store", "formats", "curation"},
    "labs": {"errors", "i18n", "store", "formats", "curation", "history"},
    "sql": {"errors", "i18n", "store", "history"},  # --write is a recorded change
    "i18n": {"errors"},
    "cli": {"*"},
}
# third-party packages only some parts may import
RESTRICTED = {"click": {"cli"}, "streamlit": set()}


def part_of(module_file: Path, root: Path = GRAPH) -> str:
    """The part a file of graph/ belongs to: its folder, or its own name for top-level modules."""
    rel = module_file.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(module_file: Path, root: Path = GRAPH) -> list[tuple[int, str]]:
    """Every module a file imports, with the line: absolute names, relative ones resolved."""
    tree = ast.parse(module_file.read_text(encoding="utf-8"), filename=str(module_file))
    package = ".".join(("graph", *module_file.relative_to(root).parent.parts))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            if base == "graph":  # from graph import store -> graph.store
                found.extend((node.lineno, f"graph.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, base))
    return found


def violations(root: Path = GRAPH) -> list[str]:
    """One line per import that breaks the rule of the arrows, naming file, line and import."""
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        part = part_of(path, root)
        if part == "__init__":
            continue
        allowed = ALLOWED.get(part)
        where = path.relative_to(root.parent)
        if allowed is None:
            out.append(f"{where}: part '{part}' has no rule in ALLOWED (add it to DESIGN.md too)")
            continue
        for line, name in imports(path, root):
            top = name.split(".")[0]
            if top in RESTRICTED and part not in RESTRICTED[top]:
                out.append(
                    f"{where}:{line}: imports {name}, which only {RESTRICTED[top] or 'no part'} may"
                )
            if top != "graph" or "*" in allowed:
                continue
            target = name.split(".")[1] if "." in name else ""
            if target and target != part and target not in allowed:
                out.append(
                    f"{where}:{line}: {part} imports {name} (it may import {sorted(allowed)})"
                )
    return out


def test_every_import_follows_the_arrows() -> None:
    """The whole of graph/ as it is now."""
    assert violations() == []


def test_every_folder_has_a_rule_and_a_docstring() -> None:
    """A new part needs a line in ALLOWED and a docstring that says what it is for."""
    for folder in sorted(p for p in GRAPH.iterdir() if p.is_dir() and p.name != "__pycache__"):
        assert folder.name in ALLOWED, folder
        init = folder / "__init__.py"
        assert init.exists(), init
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init}: say what the part is for"
        assert "import" in doc, f"{init}: say what the part may import"


@pytest.mark.parametrize(
    ("part", "source", "expected"),
    [
        (
            "analysis",
            "from graph.formats.readers import FORMATS\n",
            "analysis imports graph.formats",
        ),
        (
            "store",
            "def f():\n    from graph.analysis import gaps\n",
            "store imports graph.analysis",
        ),
        ("present", "import streamlit as st\n", "imports streamlit"),
        ("formats", "import click\n", "imports click"),
        ("analysis", "from graph import present\n", "analysis imports graph.present"),
        ("curation", "from ..formats import ingest\n", "curation imports graph.formats"),
    ],
)
def test_a_broken_rule_is_named(tmp_path: Path, part: str, source: str, expected: str) -> None:
    """The check can fail: a module with a forbidden import is reported with its file and line."""
    root = tmp_path / "graph"
    (root / part).mkdir(parents=True)
    (root / part / "__init__.py").write_text('"""x"""\n')
    (root / part / "bad.py").write_text(source)
    found = violations(root)
    assert len(found) == 1, found
    assert f"graph/{part}/bad.py:" in found[0]
    assert expected in found[0]


def test_the_cli_may_import_everything_but_streamlit(tmp_path: Path) -> None:
    root = tmp_path / "graph"
    (root / "cli").mkdir(parents=True)
    (root / "cli" / "x.py").write_text(
        "import click\nfrom graph.analysis import gaps\nimport streamlit\n"
    )
    assert [v.split(": ", 1)[1] for v in violations(root)] == [
        "imports streamlit, which only no part may"
    ]
