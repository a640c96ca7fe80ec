"""A SIGKILL in the middle of an undo loses nothing: the revert is one DuckDB transaction.

The child process reverts the last import and is stopped with SIGKILL after the rows have been
put back in the live tables but before the change is logged and committed (a pause is injected
at the log step, the only way to hit that instant reliably). The file must then hold exactly the
data and the log it held before the undo, and undo must still work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from graph.formats.ingest import import_paths
from graph.history.log import list_changes
from graph.history.undo import undo_last
from graph.store.database import connect
from tests.conftest import snapshot_file, write_files

CHILD = textwrap.dedent(
    """
    import sys, time
    import graph.history.log as log
    from graph.history.undo import undo_last
    from graph.store.database import connect

    real = log._record

    def paused(con, record):
        # the live tables are already reverted inside the open transaction
        n = con.execute("SELECT count(*) FROM actors").fetchone()[0]
        print(f"reverted-in-transaction {n}", flush=True)
        time.sleep(60)
        real(con, record)

    log._record = paused
    con = connect(sys.argv[1])
    undo_last(con)
    """
)


def test_sigkill_during_undo_loses_nothing(
    mini_con: duckdb.DuckDBPyConnection, db_path: Path, tmp_path: Path
) -> None:
    extra = {"actors.csv": "actor_id,name,kind,source_id\nd,Dalarö Kluster,cluster,s1\n"}
    import_paths(mini_con, [write_files(tmp_path / "extra", extra)])
    mini_con.close()
    before = snapshot_file(db_path)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    # inside the child's transaction d is gone already: 3 actors instead of 4
    assert line.strip() == "reverted-in-transaction 3"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    after = snapshot_file(db_path)
    for name in before:
        assert before[name].equals(after[name]), name
    con = connect(db_path)
    try:
        assert list_changes(con)["kind"].to_list() == ["import", "import"]
        undo_last(con)
        assert con.execute("SELECT count(*) FROM actors").fetchone() == (3,)
    finally:
        con.close()
