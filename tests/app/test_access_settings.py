"""A broken secrets file fails closed with one line and no path (issue #21, item 3): it showed
viewers a traceback with the server's paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.datasets.bootstrap import init_database

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.mark.parametrize("broken", ["[ecograph\naccess = 'shared'\n", "editors = [\n", "\x00"])
def test_a_broken_secrets_file_shows_one_line_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    db = tmp_path / "demo.duckdb"
    init_database(db, empty=True)
    monkeypatch.setenv("ECOGRAPH_DB", str(db))
    project = tmp_path / "deployment"
    (project / ".streamlit").mkdir(parents=True)
    (project / ".streamlit" / "secrets.toml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(project)
    for page in ("ui/data.py", "ui/sql_console.py", "ui/overview.py"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [
            "The access settings cannot be read, so this app shows nothing until they are "
            "fixed (ask whoever runs it)."
        ]
        shown = " ".join(
            str(getattr(e, "value", "")) for e in (*at.markdown, *at.caption, *at.info, *at.error)
        )
        assert str(tmp_path) not in shown
        assert not any(str(b.key).startswith("data_import") for b in at.button)
