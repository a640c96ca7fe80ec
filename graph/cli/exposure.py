"""What ``ecograph app`` checks before it starts the server: who could reach it, and whether
open access would then make every visitor an editor (issue #21, item 7)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from graph.errors import UsageError
from graph.i18n import N_, translator
from graph.store.config import access_mode

__all__ = ["LOCAL_HOSTS", "TEXTS", "open_access_warning", "secrets_access"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TEXTS = {
    "open": N_(
        "the app listens on {host} in open access: everyone who can reach it is an editor and "
        "can import, change and delete data; set ECOGRAPH_ACCESS=shared (with an editor "
        "password or sign-in in the secrets) to make visitors viewers"
    ),
    "unreadable": N_(
        "the app listens on {host} and its access settings (the secrets file) cannot be read: "
        "the app will show nothing until they are fixed"
    ),
    "cannot_read": N_("the access settings cannot be read"),
}


def secrets_access(folders: list[Path] | None = None) -> str | None:
    """``access`` from the ``[ecograph]`` section of the secrets files Streamlit reads (the
    user's ``~/.streamlit/secrets.toml``, then the working folder's, which wins); None when
    neither sets it.

    Raises
    ------
    UsageError
        A secrets file exists but is not valid TOML.
    """
    found: str | None = None
    for folder in folders if folders is not None else [Path.home(), Path.cwd()]:
        path = folder / ".streamlit" / "secrets.toml"
        if not path.is_file():
            continue
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("ecograph") or {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            raise UsageError(translator().gettext(TEXTS["cannot_read"])) from None
        if isinstance(section, dict) and section.get("access"):
            found = str(section["access"]).strip().lower()
    return found


def open_access_warning(host: str, folders: list[Path] | None = None) -> str | None:
    """A warning when the app would listen beyond this computer in open access, else None.

    >>> open_access_warning("127.0.0.1") is None
    True
    """
    if host.strip().lower() in LOCAL_HOSTS:
        return None
    mode = access_mode()  # a wrong ECOGRAPH_ACCESS is an error of its own
    t = translator()
    if mode is None:
        try:
            mode = secrets_access(folders) or "open"
        except UsageError:
            return t.gettext(TEXTS["unreadable"]).format(host=host)
    return t.gettext(TEXTS["open"]).format(host=host) if mode == "open" else None
