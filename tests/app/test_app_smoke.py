"""The app starts on the default database, which is created on first use."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from graph.store.config import default_db_path


def test_app_starts_and_creates_the_default_database() -> None:
    """First use: no database yet, the app creates and fills it and shows the counts."""
    assert not default_db_path().exists()
    at = AppTest.from_file("../../app.py", default_timeout=60).run()
    assert not at.exception
    assert default_db_path().exists()
    assert at.dataframe
