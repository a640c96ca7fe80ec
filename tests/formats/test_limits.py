"""Import limits: the largest file and the most rows per file, set by ECOGRAPH_MAX_FILE_MB and
ECOGRAPH_MAX_ROWS (or --max-file-mb / --max-rows), refused with a message that names the file,
its size and the setting; the app's uploader uses the same limit."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import ImportValidationError, UsageError
from graph.formats.export import write_dataset
from graph.formats.ingest import import_paths
from graph.store.config import import_limits
from graph.store.limits import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_ROWS, ImportLimits
from tests.conftest import ROOT, snapshot, write_files

THREE_ACTORS = "actor_id,name,kind\nx,X,company\ny,Y,company\nz,Z,company\n"


def _problems(con: duckdb.DuckDBPyConnection, paths: list[Path], limits: ImportLimits) -> list[str]:
    before = snapshot(con)
    with pytest.raises(ImportValidationError) as caught:
        import_paths(con, paths, limits=limits)
    after = snapshot(con)
    assert all(before[name].equals(after[name]) for name in before)
    return [str(p) for p in caught.value.problems]


def test_file_over_the_size_limit_is_refused_before_it_is_read(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    # 1.2 MB of actors: 1 258 292 bytes against a limit of 1 MB = 1 048 576 bytes
    (folder / "actors.csv").write_text(
        "actor_id,name,kind\n" + "a,x,company\n" * 104_856, encoding="utf-8"
    )
    assert _problems(con, [folder], ImportLimits(max_file_mb=1)) == [
        "actors.csv::: the file is 1.2 MB, over the limit of 1.0 MB "
        "(ECOGRAPH_MAX_FILE_MB or --max-file-mb)"
    ]


@pytest.mark.parametrize("fmt", ["csv", "excel", "parquet", "json", "graphml"])
def test_file_over_the_row_limit_is_refused(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    actors = pl.DataFrame({"actor_id": ["x", "y", "z"], "name": ["X", "Y", "Z"], "kind": "company"})
    target = tmp_path / {"csv": "out", "parquet": "out", "excel": "out.xlsx"}.get(fmt, f"out.{fmt}")
    written = write_dataset({"actors": actors}, fmt, target)
    problems = _problems(con, written, ImportLimits(max_rows=2))
    assert len(problems) == 1
    assert problems[0].endswith(
        "::: more than 2 rows, over the limit of 2 rows (ECOGRAPH_MAX_ROWS or --max-rows)"
    )


def test_settings_come_from_options_then_environment_then_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert import_limits() == ImportLimits(DEFAULT_MAX_FILE_MB, DEFAULT_MAX_ROWS)
    assert (DEFAULT_MAX_FILE_MB, DEFAULT_MAX_ROWS) == (500, 5_000_000)
    monkeypatch.setenv("ECOGRAPH_MAX_FILE_MB", "2.5")
    monkeypatch.setenv("ECOGRAPH_MAX_ROWS", "1000")
    assert import_limits() == ImportLimits(2.5, 1000)
    assert import_limits(max_file_mb=7, max_rows=8) == ImportLimits(7, 8)
    monkeypatch.setenv("ECOGRAPH_MAX_ROWS", "lots")
    with pytest.raises(UsageError, match="ECOGRAPH_MAX_ROWS='lots' is not a number"):
        import_limits()
    monkeypatch.setenv("ECOGRAPH_MAX_ROWS", "0")
    with pytest.raises(UsageError, match="at least 1"):
        import_limits()


def test_cli_limits_from_options_and_environment(db_path: Path, tmp_path: Path) -> None:
    files = write_files(tmp_path / "three", {"actors.csv": THREE_ACTORS})
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--empty", "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(cli, ["import", str(files), "--db", str(db_path), "--max-rows", "2"])
    assert result.exit_code == 1
    assert "actors.csv::: more than 2 rows, over the limit of 2 rows" in result.stderr
    result = runner.invoke(
        cli,
        ["import", str(files), "--db", str(db_path)],
        env={"ECOGRAPH_MAX_FILE_MB": "0.00001"},
    )
    assert result.exit_code == 1
    assert "actors.csv::: the file is 0.0 MB, over the limit of 0.0 MB" in result.stderr
    result = runner.invoke(
        cli, ["import", str(files), "--db", str(db_path)], env={"ECOGRAPH_MAX_ROWS": "x"}
    )
    assert result.exit_code == 2
    assert result.stderr == "error: ECOGRAPH_MAX_ROWS='x' is not a number\n"
    result = runner.invoke(cli, ["import", str(files), "--db", str(db_path)])
    assert result.exit_code == 0, result.output


def test_uploads_use_the_same_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.datasets.bootstrap import init_database
    from ui.transfer import import_uploads

    db = tmp_path / "app.duckdb"
    init_database(db, empty=True)
    monkeypatch.setenv("ECOGRAPH_MAX_ROWS", "2")
    outcome = import_uploads([("actors.csv", THREE_ACTORS.encode())], path=db)
    assert [str(p) for p in outcome.problems] == [
        "actors.csv::: more than 2 rows, over the limit of 2 rows (ECOGRAPH_MAX_ROWS or --max-rows)"
    ]


def test_streamlit_upload_limit_matches_the_import_limit(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_FILE_MB
    commands: list[list[str]] = []
    monkeypatch.setattr(
        "graph.cli.commands.subprocess.call", lambda command, env: commands.append(command)
    )
    monkeypatch.setenv("ECOGRAPH_MAX_FILE_MB", "1200.5")
    CliRunner().invoke(cli, ["app", "--db", str(db_path)])
    (command,) = commands
    assert command[command.index("--server.maxUploadSize") + 1] == "1201"
