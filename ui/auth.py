"""Editor sign-in for shared deployments: the access policy from the environment and Streamlit's
secrets, the session's identity, the sign-in panel, and the check every write makes
(``require_editor``, called by ``state.writing`` and by each write function itself, so hiding a
button is never the only guard). The rules live in ``graph.curation.access``.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import streamlit as st

from graph.curation.access import (
    AccessPolicy,
    Identity,
    SignInThrottle,
    editor_token,
    password_matches,
    policy_from_settings,
    token_is_valid,
)
from graph.curation.access import require_editor as _require
from graph.errors import UsageError
from graph.i18n import N_, NP_
from graph.store.config import access_mode
from ui.language import ui_translator
from ui.text import md

__all__ = ["can_write", "current_policy", "identity", "render_sign_in", "require_editor"]

_log = logging.getLogger(__name__)
TOKEN_KEY = "_ecograph_editor_token"  # no widget has this key, so no client can set it
# for the server's log, which its operator reads in English (as every library's log lines)
LOG_UNREADABLE = "the app's secrets cannot be read: %s"
FAILED_SIGN_IN_DELAY = 1.0  # seconds: slows down guessing the password


@st.cache_resource
def _process_secret() -> bytes:
    """A secret of this server process: password sign-ins end when the server restarts."""
    return secrets.token_bytes(32)


@st.cache_resource
def _throttle() -> SignInThrottle:
    """The server-wide count of failed password sign-ins
    (``graph.curation.access.SignInThrottle``)."""
    return SignInThrottle()


TEXTS = {
    # no path, no parser detail: viewers read this; the server's log has the rest
    "unreadable": N_(
        "The access settings cannot be read, so this app shows nothing until they "
        "are fixed (ask whoever runs it)."
    ),
    "signed_in": N_("Signed in as editor {name}"),
    "sign_out": N_("Sign out"),
    "shared": N_(
        "This app is shared: everyone can explore the data, and only editors can change it."
    ),
    "not_editor": N_("{name} is signed in but is not an editor of this app."),
    "sign_in": N_("Sign in as editor"),
    "password": N_("Editor password"),
    "wrong": N_("Wrong editor password."),
    "no_sign_in": N_(
        "No editor sign-in is configured for this deployment: data is imported on the "
        "server with `ecograph import`."
    ),
}
PLURALS = {
    "paused": NP_(
        "Too many failed sign-ins on this server: password sign-in is paused for "
        "{n} more minute(s).",
        "Too many failed sign-ins on this server: password sign-in is paused for "
        "{n} more minute(s).",
    ),
}


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # StreamlitSecretNotFoundError, also for a garbled file
        if str(exc).startswith("No secrets found"):
            return {}  # a local run without a secrets file
        # fail closed: a shared deployment with a broken secrets file must not open up
        _log.error(LOG_UNREADABLE, exc)
        raise UsageError(ui_translator().gettext(TEXTS["unreadable"])) from None
    except Exception as exc:  # a parser's own error type: the same verdict
        _log.error(LOG_UNREADABLE, exc)
        raise UsageError(ui_translator().gettext(TEXTS["unreadable"])) from None


def current_policy() -> AccessPolicy:
    """The access policy of this deployment (``ECOGRAPH_ACCESS`` and the secrets)."""
    return policy_from_settings(access_mode(), _secrets())


def identity(policy: AccessPolicy | None = None) -> Identity:
    """Who this session is: in an open app everyone is an editor."""
    policy = policy or current_policy()
    if not policy.shared:
        return Identity(editor=True, via="open")
    if policy.sign_in == "oidc":
        user = st.user
        if not user.get("is_logged_in"):
            return Identity(editor=False)
        email = str(user.get("email") or "").strip().lower()
        verified = user.get("email_verified", True) is not False
        return Identity(editor=verified and email in policy.editors, name=email, via="oidc")
    if policy.sign_in == "password" and token_is_valid(
        policy, _process_secret(), st.session_state.get(TOKEN_KEY)
    ):
        return Identity(editor=True, name="editor", via="password")
    return Identity(editor=False)


def can_write() -> bool:
    """Whether this session may change data (what the pages use to show write controls)."""
    return identity().editor


def require_editor(action: str) -> None:
    """Raise ``AccessDeniedError`` unless this session may ``action`` (e.g. "import files")."""
    policy = current_policy()
    _require(policy, identity(policy), action)


def _oidc_provider(policy_secrets: dict[str, Any]) -> str | None:
    """The provider to pass to ``st.login``: the one named ``[auth.<name>]`` section, if any."""
    named = [k for k, v in (policy_secrets.get("auth") or {}).items() if isinstance(v, dict)]
    return named[0] if len(named) == 1 else None


def render_sign_in() -> None:
    """The sign-in or sign-out controls of a shared app (nothing in an open one)."""
    policy = current_policy()
    if not policy.shared:
        return
    t = ui_translator()
    who = identity(policy)
    if who.editor:
        left, right = st.columns([4, 1])
        left.caption(t.gettext(TEXTS["signed_in"]).format(name=md(who.name)))
        if right.button(t.gettext(TEXTS["sign_out"]), key="auth_sign_out"):
            st.session_state.pop(TOKEN_KEY, None)
            if who.via == "oidc":
                st.logout()
            st.rerun()
        return
    st.info(t.gettext(TEXTS["shared"]))
    if policy.sign_in == "oidc":
        if who.name:
            st.warning(t.gettext(TEXTS["not_editor"]).format(name=md(who.name)))
            if st.button(t.gettext(TEXTS["sign_out"]), key="auth_sign_out"):
                st.logout()
        elif st.button(t.gettext(TEXTS["sign_in"]), key="auth_sign_in"):
            provider = _oidc_provider(_secrets())
            st.login(provider) if provider else st.login()
    elif policy.sign_in == "password":
        with st.form("auth_password_form", clear_on_submit=True):
            given = st.text_input(
                t.gettext(TEXTS["password"]), type="password", key="auth_password"
            )
            submitted = st.form_submit_button(t.gettext(TEXTS["sign_in"]))
        if submitted:
            throttle = _throttle()
            wait = throttle.wait_seconds(time.monotonic())
            if wait > 0:
                minutes = round(wait / 60)
                st.error(t.ngettext(*PLURALS["paused"], minutes).format(n=t.number(minutes)))
            elif password_matches(policy, given or ""):
                st.session_state[TOKEN_KEY] = editor_token(policy, _process_secret())
                st.rerun()
            else:
                throttle.failed(time.monotonic())
                time.sleep(FAILED_SIGN_IN_DELAY)
                st.error(t.gettext(TEXTS["wrong"]))
    else:
        st.caption(t.gettext(TEXTS["no_sign_in"]))
