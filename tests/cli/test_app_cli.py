"""`ecograph app` is local by default and warns when open access would meet the network
(issue #21, item 7): it listened on every interface while open mode made every session an
editor. The Streamlit command it would run is captured instead of started."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import commands
from graph.cli.exposure import open_access_warning, secrets_access
from graph.datasets.bootstrap import init_database


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    def call(command: list[str], env: dict[str, str]) -> int:
        calls.append(command)
        return 0

    monkeypatch.setattr(commands.subprocess, "call", call)
    return calls


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "x.duckdb"
    init_database(path, empty=True)
    return str(path)


def _address(command: list[str]) -> str:
    return command[command.index("--server.address") + 1]


def test_app_binds_to_this_computer_by_default(
    started: list[list[str]], db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(commands.cli, ["app", "--db", db])
    assert result.exit_code == 0, result.output
    assert _address(started[0]) == "127.0.0.1"
    assert "warning" not in result.stderr


def test_open_access_on_every_interface_is_warned_about(
    started: list[list[str]], db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(commands.cli, ["app", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert _address(started[0]) == "0.0.0.0"
    assert result.stderr.startswith("warning: the app listens on 0.0.0.0 in open access")
    assert "ECOGRAPH_ACCESS=shared" in result.stderr


def test_shared_access_on_every_interface_is_not_warned_about(
    started: list[list[str]], db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ECOGRAPH_ACCESS", "shared")
    result = CliRunner().invoke(commands.cli, ["app", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_the_secrets_file_decides_when_the_environment_does_not(tmp_path: Path) -> None:
    home, project = tmp_path / "home", tmp_path / "project"
    for folder, text in ((home, '[ecograph]\naccess = "open"\n'), (project, "")):
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")
    assert secrets_access([home, project]) == "open"
    assert open_access_warning("0.0.0.0", [home, project]) is not None
    (project / ".streamlit" / "secrets.toml").write_text(
        '[ecograph]\naccess = "shared"\neditor_password = "x"\n', encoding="utf-8"
    )
    assert secrets_access([home, project]) == "shared"  # the working folder's wins
    assert open_access_warning("0.0.0.0", [home, project]) is None
    (project / ".streamlit" / "secrets.toml").write_text("[ecograph\n", encoding="utf-8")
    warning = open_access_warning("::", [home, project])
    assert warning is not None
    assert "cannot be read" in warning
    assert str(tmp_path) not in warning
