"""Who may change data in a shared app: the rules, without Streamlit.

A local run is ``open``: whoever runs the app owns the data, and every session may import. A
deployment shared with many people is ``shared``: every session reads, and a write (import, and
any merge or delete added later) needs an editor — someone signed in through the deployment's
OpenID Connect provider whose e-mail is on the editors list, or someone who typed the editor
password kept in the deployment's secrets. ``ui/auth.py`` reads the settings and the session;
this module decides.

A password sign-in is remembered as a token, not a flag: an HMAC of a per-process secret keyed
with the password. Session state that was crafted (by a test, or by any bug that lets a client
set a key) cannot produce it without knowing both, and changing the password or restarting the
server signs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.errors import AccessDeniedError, UsageError
from graph.i18n import N_, translator

__all__ = [
    "AccessPolicy",
    "Identity",
    "SignInThrottle",
    "editor_token",
    "password_matches",
    "policy_from_settings",
    "require_editor",
    "token_is_valid",
]

SignIn = Literal["none", "oidc", "password"]


@dataclass(frozen=True)
class AccessPolicy:
    """The access settings of one deployment.

    ``sign_in`` is how an editor proves who they are: ``oidc`` when the secrets configure
    Streamlit's OpenID Connect login (``[auth]``), else ``password`` when they hold an editor
    password, else ``none`` (a shared app nobody can change; imports go through the CLI).
    """

    mode: Literal["open", "shared"] = "open"
    sign_in: SignIn = "none"
    editors: frozenset[str] = field(default_factory=frozenset)  # e-mails, lower case
    password: str | None = field(default=None, repr=False)

    @property
    def shared(self) -> bool:
        return self.mode == "shared"


@dataclass(frozen=True)
class Identity:
    """Who a session is, as far as writing goes."""

    editor: bool
    name: str = ""  # an e-mail, "editor" for a password sign-in, "" for an anonymous viewer
    via: Literal["open", "oidc", "password", "none"] = "none"


def policy_from_settings(mode: str | None, secrets: Mapping[str, Any]) -> AccessPolicy:
    """Build the policy from the access mode and the deployment's secrets.

    Parameters
    ----------
    mode:
        ``open`` or ``shared`` as set in the environment (``graph.store.config.access_mode``), which
        wins; None to take ``access`` from the ``[ecograph]`` secrets, else ``open``.
    secrets:
        Streamlit's secrets as a mapping: ``[auth]`` (OpenID Connect) and ``[ecograph]`` with
        ``access``, ``editors`` (a list of e-mails) and ``editor_password``.

    Examples
    --------
    >>> policy_from_settings(None, {"ecograph": {"access": "shared", "editor_password": "x"}})
    AccessPolicy(mode='shared', sign_in='password', editors=frozenset())
    >>> policy_from_settings("open", {"ecograph": {"access": "shared"}}).shared
    False
    """
    section = secrets.get("ecograph") or {}
    if not isinstance(section, Mapping):
        raise UsageError(_say("section"))
    chosen = str(mode or section.get("access") or "open").strip().lower()
    if chosen not in ("open", "shared"):
        raise UsageError(_say("mode", value=repr(chosen)))
    editors = section.get("editors") or []
    if isinstance(editors, str) or not isinstance(editors, Sequence):
        raise UsageError(_say("editors"))
    password = section.get("editor_password")
    if password is not None and (not isinstance(password, str) or not password):
        raise UsageError(_say("password"))
    sign_in: SignIn = "oidc" if "auth" in secrets else "password" if password else "none"
    return AccessPolicy(
        mode="shared" if chosen == "shared" else "open",
        sign_in=sign_in,
        editors=frozenset(str(e).strip().lower() for e in editors),
        password=password,
    )


TEXTS = {
    "section": N_("the [ecograph] section of the secrets must be a table"),
    "mode": N_("access = {value} is not an access mode (choose open or shared)"),
    "editors": N_('editors in [ecograph] must be a list of e-mails: editors = ["a@b.se"]'),
    "password": N_("editor_password in [ecograph] must be a non-empty string"),
    "no_password": N_("this deployment has no editor password"),
    "how_oidc": N_("sign in as an editor"),
    "how_password": N_("sign in with the editor password"),
    "how_none": N_("use the command line on the server (this app has no editor sign-in)"),
    "editors_only": N_("only editors may {action} in this shared app: {how}"),
}
# What the app's writes name in ``require_editor`` ("only editors may … in this shared app").
ACTIONS = {
    "change": N_("change data"),
    "import": N_("import files"),
    "merge": N_("merge actors"),
    "settle": N_("settle possible duplicates"),
    "delete": N_("delete actors"),
    "create_lab": N_("create a learning lab"),
    "close_lab": N_("close or reopen a lab"),
    "approve": N_("approve lab answers"),
    "reject": N_("reject lab answers"),
}


def _say(name: str, /, **fields: object) -> str:
    return translator().gettext(TEXTS[name]).format(**fields)


def password_matches(policy: AccessPolicy, given: str) -> bool:
    """Whether ``given`` is the editor password (compared in constant time)."""
    if policy.sign_in != "password" or policy.password is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), policy.password.encode("utf-8"))


def editor_token(policy: AccessPolicy, process_secret: bytes) -> str:
    """The token a session keeps after a password sign-in (see the module docstring)."""
    if policy.password is None:
        raise AccessDeniedError(_say("no_password"))
    mac = hmac.new(policy.password.encode("utf-8"), process_secret, hashlib.sha256)
    return mac.hexdigest()


def token_is_valid(policy: AccessPolicy, process_secret: bytes, token: object) -> bool:
    """Whether ``token`` (from session state, so of any type) proves a password sign-in."""
    if policy.sign_in != "password" or policy.password is None or not isinstance(token, str):
        return False
    return hmac.compare_digest(token, editor_token(policy, process_secret))


def require_editor(policy: AccessPolicy, who: Identity, action: str) -> None:
    """Raise unless ``who`` may ``action`` (e.g. "import files") under ``policy``.

    Raises
    ------
    AccessDeniedError
        A viewer of a shared deployment asked for a change.
    """
    if not policy.shared or who.editor:
        return
    t = translator()
    how = t.gettext(TEXTS[f"how_{policy.sign_in}"])
    # ``action`` is one of ACTIONS (translated), or any other words (shown as they are)
    raise AccessDeniedError(
        t.gettext(TEXTS["editors_only"]).format(action=t.gettext(action), how=how)
    )


class SignInThrottle:
    """A server-wide limit on failed password sign-ins: after ``max_failures`` within
    ``window_seconds``, every attempt is refused until the oldest failure leaves the window.

    Per-session delays alone do not stop guessing, since every new browser tab is a new session;
    this counts failures across the whole server process. The price is that a guesser can hold
    editors off for one window, which is why the window is short and OpenID Connect is the
    recommended sign-in for exposed deployments. Thread-safe (Streamlit runs sessions in
    threads).
    """

    def __init__(self, max_failures: int = 10, window_seconds: float = 600.0) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    def _forget(self, now: float) -> None:
        while self._failures and now - self._failures[0] >= self.window_seconds:
            self._failures.popleft()

    def wait_seconds(self, now: float) -> float:
        """0 when an attempt may be made now, else how long until one may."""
        with self._lock:
            self._forget(now)
            if len(self._failures) < self.max_failures:
                return 0.0
            return self._failures[0] + self.window_seconds - now

    def failed(self, now: float) -> None:
        """Record a failed attempt."""
        with self._lock:
            self._forget(now)
            self._failures.append(now)
