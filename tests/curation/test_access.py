"""Access in a shared app: viewers read, editors sign in to write (graph/curation/access.py,
ui/auth.py).

A local run is open. With ``ECOGRAPH_ACCESS=shared`` a viewer's session gets no write control,
and the write functions themselves refuse it, so neither a crafted widget state nor a direct
call writes. Editors sign in with Streamlit's OpenID Connect login where ``[auth]`` is
configured, else with the editor password from the secrets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.curation.access import (
    AccessPolicy,
    Identity,
    SignInThrottle,
    editor_token,
    password_matches,
    policy_from_settings,
    require_editor,
    token_is_valid,
)
from graph.datasets.bootstrap import init_database
from graph.errors import AccessDeniedError, UsageError
from graph.store.database import connect
from tests.conftest import MINI, file_unchanged, snapshot_file

APP = "../../app.py"
PASSWORD = "rätt lösenord ŋ"
TOKEN_KEY = "_ecograph_editor_token"
UPLOAD = [("actors.csv", "actor_id,name,kind\nnew-actor,Ny aktör,company\n".encode())]


# --- the rules -----------------------------------------------------------------------------------


def test_policy_from_settings() -> None:
    assert policy_from_settings(None, {}) == AccessPolicy()
    assert not policy_from_settings(None, {}).shared
    password = policy_from_settings("shared", {"ecograph": {"editor_password": "x"}})
    assert (password.mode, password.sign_in) == ("shared", "password")
    oidc = policy_from_settings(
        None,
        {
            "auth": {"redirect_uri": "x", "cookie_secret": "y"},
            "ecograph": {"access": "shared", "editors": ["Ed@Example.org"], "editor_password": "x"},
        },
    )
    assert (oidc.mode, oidc.sign_in, oidc.editors) == ("shared", "oidc", {"ed@example.org"})
    # the environment wins over the secrets, both ways
    assert not policy_from_settings("open", {"ecograph": {"access": "shared"}}).shared
    assert policy_from_settings("shared", {"ecograph": {"access": "open"}}).shared
    for bad in (
        {"ecograph": {"access": "public"}},
        {"ecograph": {"editors": "ed@example.org"}},
        {"ecograph": {"editor_password": ""}},
        {"ecograph": "shared"},
    ):
        with pytest.raises(UsageError):
            policy_from_settings(None, bad)


def test_password_and_token() -> None:
    policy = policy_from_settings("shared", {"ecograph": {"editor_password": PASSWORD}})
    assert password_matches(policy, PASSWORD)
    assert not password_matches(policy, PASSWORD[:-1])
    assert not password_matches(policy, "")
    secret = b"s" * 32
    token = editor_token(policy, secret)
    assert token_is_valid(policy, secret, token)
    assert not token_is_valid(policy, b"t" * 32, token)  # another server process
    other = policy_from_settings("shared", {"ecograph": {"editor_password": "changed"}})
    assert not token_is_valid(other, secret, token)  # the password was changed
    for forged in (True, 1, "yes", "", None, token.upper(), [token]):
        assert not token_is_valid(policy, secret, forged)
    # the password never appears in the policy's repr (logs, tracebacks)
    assert PASSWORD not in repr(policy)


def test_require_editor() -> None:
    require_editor(AccessPolicy(), Identity(editor=False), "import files")  # open: anyone
    shared = policy_from_settings("shared", {"ecograph": {"editor_password": "x"}})
    require_editor(shared, Identity(editor=True, via="password"), "import files")
    with pytest.raises(AccessDeniedError, match="only editors may import files"):
        require_editor(shared, Identity(editor=False), "import files")
    nobody = policy_from_settings("shared", {})
    with pytest.raises(AccessDeniedError, match="use the command line"):
        require_editor(nobody, Identity(editor=False), "import files")


# --- the app -------------------------------------------------------------------------------------


@pytest.fixture
def mini_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "mini.duckdb"
    init_database(path, empty=True)
    from graph.formats.ingest import import_paths
    from tests.conftest import write_files

    con = connect(path)
    try:
        import_paths(con, [write_files(tmp_path / "mini", MINI)])
    finally:
        con.close()
    monkeypatch.setenv("ECOGRAPH_DB", str(path))
    return path


def _data_page(secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.switch_page("ui/data.py").run()
    assert not at.exception, at.exception
    return at


def _keys(at: AppTest) -> set[str]:
    return {str(w.key) for w in (*at.button, *at.text_input, *at.checkbox, *at.selectbox)}


def test_open_app_shows_the_import_to_everyone(mini_db: Path) -> None:
    at = _data_page()
    assert {"data_import_button", "data_replace", "data_format"} <= _keys(at)
    assert not [i for i in at.info if "shared" in i.value]


def test_viewer_of_a_shared_app_sees_no_write_control(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    at = _data_page({"ecograph": {"editor_password": PASSWORD}})
    keys = _keys(at)
    assert not {"data_import_button", "data_replace", "data_format"} & keys
    assert "auth_password" in keys  # the sign-in form instead
    assert any("only editors can change it" in i.value for i in at.info)
    assert "data_uploads" not in at.session_state


def test_crafted_session_state_does_not_write(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set what a forged client might: the import button pressed, the replace box ticked, a
    made-up sign-in token, and a previous import's outcome. Nothing is written, nothing shown."""
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = snapshot_file(mini_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["ecograph"] = {"editor_password": PASSWORD}
    at.switch_page("ui/data.py")
    for key, value in {
        "data_import_button": True,
        "data_replace": True,
        "data_format": "csv",
        TOKEN_KEY: "0" * 64,
        "auth_password": PASSWORD,
    }.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert "data_import_button" not in _keys(at)
    assert file_unchanged(mini_db, before)


def _write_script(db: str, upload: list[tuple[str, bytes]]) -> None:
    """A page that offers the sign-in and calls the write functions directly."""
    from pathlib import Path

    import streamlit as st

    from graph.errors import AccessDeniedError
    from ui import auth, state, transfer

    auth.render_sign_in()
    if st.button("Import directly", key="direct_import"):
        try:
            outcome = transfer.import_uploads(upload, path=Path(db))
            st.success(f"imported: {outcome.report is not None}")
        except AccessDeniedError as exc:
            st.error(f"import refused: {exc}")
    if st.button("Write directly", key="direct_write"):
        try:
            with state.writing(Path(db)) as con:
                con.execute("DELETE FROM actor_areas").fetchall()
            st.success("written")
        except AccessDeniedError as exc:
            st.error(f"write refused: {exc}")


def _write_app(db: Path, secrets: dict[str, Any]) -> AppTest:
    at = AppTest.from_function(_write_script, default_timeout=60, args=(str(db), UPLOAD))
    for key, value in secrets.items():
        at.secrets[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_viewer_calling_the_write_functions_directly_is_refused(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = snapshot_file(mini_db)
    at = _write_app(mini_db, {"ecograph": {"editor_password": PASSWORD}})
    at.session_state[TOKEN_KEY] = "forged"
    at.button(key="direct_import").click().run()
    errors = [e.value for e in at.error]
    assert any(e.startswith("import refused: only editors may import files") for e in errors)
    at.button(key="direct_write").click().run()
    errors = [e.value for e in at.error]
    assert any(e.startswith("write refused: only editors may change data") for e in errors)
    assert file_unchanged(mini_db, before)


def test_wrong_password_is_refused(mini_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    monkeypatch.setattr("ui.auth.FAILED_SIGN_IN_DELAY", 0.0)
    before = snapshot_file(mini_db)
    at = _write_app(mini_db, {"ecograph": {"editor_password": PASSWORD}})
    at.text_input(key="auth_password").input(PASSWORD.upper())
    at.button(key="FormSubmitter:auth_password_form-Sign in as editor").click().run()
    assert [e.value for e in at.error] == ["Wrong editor password."]
    assert TOKEN_KEY not in at.session_state
    at.button(key="direct_import").click().run()
    assert any(e.value.startswith("import refused") for e in at.error)
    assert file_unchanged(mini_db, before)


def test_throttle_counts_failures_in_a_sliding_window() -> None:
    throttle = SignInThrottle(max_failures=3, window_seconds=60)
    assert throttle.wait_seconds(0) == 0
    for t in (0, 10, 20):
        throttle.failed(t)
    assert throttle.wait_seconds(30) == pytest.approx(30)  # the failure at 0 leaves at 60
    assert throttle.wait_seconds(60) == 0
    throttle.failed(61)
    assert throttle.wait_seconds(62) == pytest.approx(8)  # now 10, 20, 61: 10 leaves at 70


def test_too_many_failed_sign_ins_pause_password_sign_in(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the server-wide limit of failures even the right password is refused, whichever
    session tries: a guesser cannot go on by opening new tabs."""
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    monkeypatch.setattr("ui.auth.FAILED_SIGN_IN_DELAY", 0.0)
    throttle = SignInThrottle(max_failures=2, window_seconds=600)
    monkeypatch.setattr("ui.auth._throttle", lambda: throttle)
    submit = "FormSubmitter:auth_password_form-Sign in as editor"
    for _ in range(2):
        at = _write_app(mini_db, {"ecograph": {"editor_password": PASSWORD}})  # a new session
        at.text_input(key="auth_password").input("guess")
        at.button(key=submit).click().run()
        assert [e.value for e in at.error] == ["Wrong editor password."]
    at = _write_app(mini_db, {"ecograph": {"editor_password": PASSWORD}})
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key=submit).click().run()
    assert any("Too many failed sign-ins" in e.value for e in at.error)
    assert TOKEN_KEY not in at.session_state
    at.button(key="direct_import").click().run()
    assert any(e.value.startswith("import refused") for e in at.error)


def test_editor_with_the_password_can_import(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    at = _write_app(mini_db, {"ecograph": {"editor_password": PASSWORD}})
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="FormSubmitter:auth_password_form-Sign in as editor").click().run()
    assert not at.error
    assert any("Signed in as editor" in c.value for c in at.caption)
    assert "auth_password" not in at.session_state or not at.session_state["auth_password"]
    at.button(key="direct_import").click().run()
    assert [s.value for s in at.success] == ["imported: True"]
    con = connect(mini_db, read_only=True)
    try:
        assert con.sql("SELECT name FROM actors WHERE actor_id = 'new-actor'").fetchall() == [
            ("Ny aktör",)
        ]
    finally:
        con.close()
    at.button(key="auth_sign_out").click().run()
    at.button(key="direct_write").click().run()
    assert any(e.value.startswith("write refused") for e in at.error)


def test_editor_sees_the_import_on_the_data_page(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    at = _data_page({"ecograph": {"editor_password": PASSWORD}})
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="FormSubmitter:auth_password_form-Sign in as editor").click().run()
    assert not at.exception
    assert "data_import_button" in _keys(at)


OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "ecograph",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    },
    "ecograph": {"editors": ["editor@example.org"]},
}


@pytest.mark.parametrize(
    ("user", "may_write"),
    [
        ({"is_logged_in": False}, False),
        ({"is_logged_in": True, "email": "viewer@example.org"}, False),
        ({"is_logged_in": True, "email": "Editor@Example.org", "email_verified": False}, False),
        ({"is_logged_in": True, "email": "Editor@Example.org"}, True),
    ],
)
def test_openid_connect_editors_are_the_listed_signed_in_users(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch, user: dict[str, Any], may_write: bool
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    before = snapshot_file(mini_db)
    at = AppTest.from_function(_write_script, default_timeout=60, args=(str(mini_db), UPLOAD))
    for key, value in OIDC.items():
        at.secrets[key] = value
    at.user = user
    at.run()
    assert not at.exception
    assert "auth_password" not in _keys(at)  # OIDC configured: no password form
    if not user["is_logged_in"]:
        assert "auth_sign_in" in _keys(at)
    at.button(key="direct_import").click().run()
    if may_write:
        assert [s.value for s in at.success] == ["imported: True"]
    else:
        assert any(e.value.startswith("import refused") for e in at.error)
        assert file_unchanged(mini_db, before)


def test_shared_app_without_sign_in_is_read_only(
    mini_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    at = _data_page()
    assert "data_import_button" not in _keys(at)
    assert any("ecograph import" in c.value for c in at.caption)
