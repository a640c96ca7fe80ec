"""Backups: ``ecograph backup`` and ``ecograph restore`` round-trip exactly, and a damaged or
foreign backup is refused with a clear message before the database is touched."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import BackupError, DatabaseError
from graph.store.backup import read_manifest, restore_backup, write_backup
from graph.store.database import DATA_TABLES, SCHEMA_VERSION, connect, read_table
from tests.conftest import snapshot


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(path: Path) -> dict[str, object]:
    con = connect(path, read_only=True)
    try:
        out: dict[str, object] = {name: read_table(con, name) for name in DATA_TABLES}
        out["versions"] = con.sql(
            "SELECT key, value FROM schema_info WHERE key <> 'created_at' ORDER BY key"
        ).fetchall()
        return out
    finally:
        con.close()


def _same(a: dict[str, object], b: dict[str, object]) -> bool:
    return a.keys() == b.keys() and all(
        a[k] == b[k] if k == "versions" else a[k].equals(b[k])  # type: ignore[attr-defined]
        for k in a
    )


@pytest.fixture
def filled_db(shipped_con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    """The shipped Jämtland data in a file (closed, so other connections may open it)."""
    shipped_con.close()
    return db_path


def test_backup_and_restore_round_trip(filled_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.zip"
    manifest = write_backup(filled_db, backup)
    assert manifest.row_counts["actors"] > 0
    assert manifest.schema_version == SCHEMA_VERSION
    with zipfile.ZipFile(backup) as zf:
        assert sorted(zf.namelist()) == ["ecograph.duckdb", "manifest.json"]
        assert hashlib.sha256(zf.read("ecograph.duckdb")).hexdigest() == manifest.sha256
    assert read_manifest(backup) == manifest

    target = tmp_path / "restored.duckdb"
    report = restore_backup(backup, target)
    assert report.previous is None
    assert _same(_tables(target), _tables(filled_db))
    con = connect(target, read_only=True)
    try:  # a restored file is a new database for the app's caches
        created = dict(con.sql("SELECT key, value FROM schema_info").fetchall())["created_at"]
    finally:
        con.close()
    con = connect(filled_db, read_only=True)
    try:
        original = dict(con.sql("SELECT key, value FROM schema_info").fetchall())["created_at"]
    finally:
        con.close()
    assert created != original
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_restore_over_data_needs_force_and_keeps_the_old_file(
    filled_db: Path, mini_dir: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.zip"
    write_backup(filled_db, backup)
    other = tmp_path / "other.duckdb"
    con = connect(other)
    try:
        from graph.formats.ingest import import_paths

        import_paths(con, [mini_dir])
        before = snapshot(con)
    finally:
        con.close()
    before_sha = _sha(other)
    with pytest.raises(BackupError, match="holds data: add --force"):
        restore_backup(backup, other)
    assert _sha(other) == before_sha

    report = restore_backup(backup, other, force=True)
    assert report.previous == tmp_path / "other.duckdb.bak"
    assert _same(_tables(other), _tables(filled_db))
    con = connect(report.previous, read_only=True)
    try:
        kept = snapshot(con)
    finally:
        con.close()
    assert all(kept[name].equals(before[name]) for name in before)
    # a second forced restore keeps the first .bak and adds a dated one
    second = restore_backup(backup, other, force=True)
    assert second.previous is not None
    assert second.previous.name.endswith(".bak")
    assert second.previous != report.previous
    assert report.previous.exists()


def _damaged_copies(backup: Path, tmp_path: Path) -> dict[str, Path]:
    """One byte flipped at several places, the file cut short, a member missing, a manifest
    that lies about the checksum, and a file that is no backup at all."""
    data = backup.read_bytes()
    with zipfile.ZipFile(backup) as zf:
        info = zf.getinfo("ecograph.duckdb")
        manifest = json.loads(zf.read("manifest.json"))
    out: dict[str, Path] = {}

    def write(name: str, content: bytes) -> None:
        out[name] = tmp_path / f"{name}.zip"
        out[name].write_bytes(content)

    for label, at in [
        ("flip in the database", info.header_offset + 200),
        ("flip near the end of the database", info.header_offset + info.compress_size // 2),
        ("flip in the manifest", 60),
        ("flip in the directory", len(data) - 40),
    ]:
        flipped = bytearray(data)
        flipped[at] ^= 0x5A
        write(label, bytes(flipped))
    write("cut short", data[: len(data) // 2])
    write("empty", b"")
    write("not a zip", b"SQLite format 3\x00" + bytes(100))

    def rezip(name: str, members: dict[str, bytes]) -> None:
        target = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for member, content in members.items():
                zf.writestr(member, content)
        out[name] = target

    with zipfile.ZipFile(backup) as zf:
        database = zf.read("ecograph.duckdb")
    rezip("no database", {"manifest.json": json.dumps(manifest).encode()})
    rezip("wrong checksum", {
        "manifest.json": json.dumps({**manifest, "sha256": "0" * 64}).encode(),
        "ecograph.duckdb": database,
    })  # fmt: skip
    rezip("another format", {
        "manifest.json": json.dumps({**manifest, "format": "something-else"}).encode(),
        "ecograph.duckdb": database,
    })  # fmt: skip
    rezip("newer schema", {
        "manifest.json": json.dumps({**manifest, "schema_version": 99}).encode(),
        "ecograph.duckdb": database,
    })  # fmt: skip
    garbage = bytes(range(256)) * 64
    rezip("not a database inside", {
        "manifest.json": json.dumps(
            {**manifest, "size": len(garbage), "sha256": hashlib.sha256(garbage).hexdigest()}
        ).encode(),
        "ecograph.duckdb": garbage,
    })  # fmt: skip
    return out


def test_damaged_backups_are_refused_and_the_database_is_untouched(
    filled_db: Path, mini_dir: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.zip"
    write_backup(filled_db, backup)
    target = tmp_path / "target.duckdb"
    con = connect(target)
    try:
        from graph.formats.ingest import import_paths

        import_paths(con, [mini_dir])
    finally:
        con.close()
    target_sha = _sha(target)
    (tmp_path / "damaged").mkdir()
    damaged = _damaged_copies(backup, tmp_path / "damaged")
    for label, path in damaged.items():
        with pytest.raises(BackupError) as caught:
            restore_backup(path, target, force=True)
        message = str(caught.value)
        assert str(path) in message, label
        assert any(
            word in message for word in ("damaged", "not an ecograph backup", "newer", "no backup")
        ), (label, message)
        assert "\n" not in message, label
        assert _sha(target) == target_sha, label
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
        assert leftovers == [], label  # no half-extracted file beside the database


def test_backup_refuses_bad_targets(filled_db: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="is a folder"):
        write_backup(filled_db, tmp_path)
    with pytest.raises(BackupError, match="must not overwrite the database"):
        write_backup(filled_db, filled_db)
    with pytest.raises(DatabaseError, match="no database at"):
        write_backup(tmp_path / "missing.duckdb", tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


def test_cli_backup_and_restore(filled_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    backup = tmp_path / "nightly.zip"
    result = runner.invoke(cli, ["backup", "--db", str(filled_db), "--out", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"written to {backup}" in result.output
    assert "sha256 " in result.output

    restored = tmp_path / "restored.duckdb"
    result = runner.invoke(cli, ["restore", str(backup), "--db", str(restored)])
    assert result.exit_code == 0, result.output
    assert _same(_tables(restored), _tables(filled_db))

    result = runner.invoke(cli, ["restore", str(backup), "--db", str(restored)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {restored} holds data: add --force")

    broken = tmp_path / "broken.zip"
    data = bytearray(backup.read_bytes())
    data[len(data) // 3] ^= 0xFF
    broken.write_bytes(bytes(data))
    result = runner.invoke(cli, ["restore", str(broken), "--db", str(restored), "--force"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {broken} is damaged")
    assert "Traceback" not in result.output
