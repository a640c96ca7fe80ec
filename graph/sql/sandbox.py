"""Run one console query in a child process whose memory and wall time are bounded for real.

DuckDB checks an interrupt only between the steps of a query, and its ``memory_limit`` covers its
buffer pool, not a 4 GB string built by ``repeat``; so a query in the server's own process can
outlive its time limit and take the server's memory with it. Here each query runs in a process
of its own:

- a small helper process (``python -m graph.sql.sandbox``, started once per server process) has
  DuckDB and pyarrow imported and does no work of its own, so forking it is cheap and safe;
- for each query the server hands the helper one end of a fresh socket pair; the helper forks a
  child, which sets an alarm at the deadline with the kernel's default action (the process ends
  even inside C code), opens the database read-only in the sandbox with DuckDB's
  ``memory_limit``, ``threads = 1`` and no temporary files, limits its address space
  (``RLIMIT_AS``) to what it uses idle plus the memory bound, checks and runs the statement,
  and streams the answer back as Arrow IPC, cut at the row cap and at the size cap;
- the server reads with the same deadline (plus a grace second) and kills the child past it.

The answer is ``stopped: the query needed more than 1 GB`` or ``stopped after 10 s``; the
server's memory holds at most the size cap of one answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graph.i18n import N_, translator

__all__ = ["ChildAnswer", "ChildFailure", "run_in_child"]

_HEADER = struct.Struct(">cQ")
_MB = 1024 * 1024
# Address space above the memory bound for what DuckDB does not count (strings of a vector,
# the Arrow buffers of a batch) before the kernel refuses more.
_SLACK_MB = 128
_GRACE_SECONDS = 1.0
TEXTS = {
    "no_start": N_("the SQL console's query process could not start"),
    "not_started": N_("the SQL console's query process could not be started"),
}
_START_SECONDS = 60.0  # importing DuckDB and pyarrow on a busy machine
_BATCH_ROWS = 16_384
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ChildAnswer:
    """What the child sent back: the answer as Arrow IPC stream bytes, and whether rows were
    left out at the row cap."""

    ipc: bytes
    truncated: bool


class ChildFailure(Exception):
    """The child refused or failed the query: ``kind`` names the error class (or "memory",
    "timeout", "too_large"), ``message`` is the one line to show."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# --- framing ---------------------------------------------------------------------------------


def _send(sock: socket.socket, tag: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(tag, len(payload)) + payload)


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    parts = bytearray()
    while len(parts) < n:
        chunk = sock.recv(min(n - len(parts), _CHUNK))
        if not chunk:
            return None
        parts += chunk
    return bytes(parts)


def _recv(sock: socket.socket) -> tuple[bytes, bytes] | None:
    head = _recv_exact(sock, _HEADER.size)
    if head is None:
        return None
    tag, size = _HEADER.unpack(head)
    payload = _recv_exact(sock, size)
    return None if payload is None else (tag, payload)


def _encode(value: Any) -> Any:
    return {"$date": value.isoformat()} if isinstance(value, date) else value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$date"}:
        return date.fromisoformat(value["$date"])
    return value


# --- the child ---------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class _Frames:
    """A write-only file for pyarrow's IPC writer that sends each write as a data frame and
    counts the bytes against the size cap."""

    closed = False

    def __init__(self, sock: socket.socket, limit: int) -> None:
        self.sock = sock
        self.limit = limit
        self.sent = 0
        self.pending = bytearray()  # pyarrow writes many small pieces: send them in chunks

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        self.sent += size
        if self.sent > self.limit:
            raise _TooLarge
        self.pending += data
        if len(self.pending) >= _CHUNK:
            self.flush()
        return size

    def flush(self) -> None:
        if self.pending:
            _send(self.sock, b"D", bytes(self.pending))
            self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.closed = True


def _virtual_size() -> int:
    """This process's address space in bytes (VmSize)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - Linux always has it


def _answer(sock: socket.socket, request: dict[str, Any]) -> None:
    import duckdb
    import pyarrow as pa

    from graph import sql as console
    from graph.errors import EcographError
    from graph.store.database import connect

    memory_mb = int(request["memory_mb"])
    settings: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": f"{memory_mb}MB",
        "threads": 1,
        "max_temp_directory_size": "0B",
    }
    try:
        con = connect(request["db"], sandbox=True, wait_seconds=request["wait"], settings=settings)
    except EcographError as exc:
        raise ChildFailure(type(exc).__name__, str(exc)) from None
    try:
        for view_sql, view_params in request.get("views", []):
            decoded = {k: _decode(v) for k, v in view_params.items()}
            con.execute(view_sql, decoded or None)
    except duckdb.Error as exc:
        raise ChildFailure("QueryError", console._first_lines(exc)) from None
    # from here on the kernel refuses memory past the bound; DuckDB then raises OutOfMemory
    limit = _virtual_size() + (memory_mb + _SLACK_MB) * _MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    params = {k: _decode(v) for k, v in request["params"].items()}
    max_rows = int(request["max_rows"])
    try:
        statement = console.check_read_only(con, request["sql"])
        console._check_params([statement], params)
        relation = con.sql(request["sql"], params=params or None)
        reader = relation.limit(max_rows + 1).to_arrow_reader(_BATCH_ROWS)
        frames = _Frames(sock, int(request["max_result_mb"]) * _MB)
        rows = 0
        with pa.ipc.new_stream(frames, reader.schema) as writer:
            for batch in reader:
                take = min(batch.num_rows, max_rows + 1 - rows)
                writer.write_batch(batch.slice(0, take) if take < batch.num_rows else batch)
                rows += take
                if rows > max_rows:
                    break
        frames.flush()
    except EcographError as exc:
        raise ChildFailure(type(exc).__name__, str(exc)) from None
    except _TooLarge:
        raise ChildFailure("too_large", str(request["max_result_mb"])) from None
    except (duckdb.OutOfMemoryException, MemoryError, pa.ArrowMemoryError):
        raise ChildFailure("memory", "") from None
    except duckdb.Error as exc:
        message = console._first_lines(exc)
        if "memory" in message.lower() and "alloc" in message.lower():
            raise ChildFailure("memory", "") from None
        if _is_permission(exc, message):
            raise ChildFailure(
                "SandboxError", console._say("locked_down", message=message)
            ) from None
        raise ChildFailure("QueryError", message) from None
    except (pa.ArrowException, ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ChildFailure("QueryError", console._say("not_a_table", reason=first)) from None
    _send(sock, b"F", json.dumps({"truncated": rows > max_rows}).encode())


def _is_permission(exc: BaseException, message: str) -> bool:
    import duckdb

    return isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in (
        message
    )


def _child(fd: int) -> None:
    """The forked child: read the request, answer it, end (never returns)."""
    code = 0
    sock = socket.socket(fileno=fd)
    try:
        message = _recv(sock)
        if message is None:
            return
        request = json.loads(message[1])
        # the kernel's default for SIGALRM ends the process, wherever it is
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, float(request["timeout"]))
        _send(sock, b"P", str(os.getpid()).encode())
        from graph.i18n import use_language

        try:
            # the refusals and errors speak the language of the session that asked
            with use_language(request.get("lang")):
                _answer(sock, request)
        except ChildFailure as failure:
            _send(sock, b"E", json.dumps([failure.kind, failure.message]).encode())
        except MemoryError:
            _send(sock, b"E", json.dumps(["memory", ""]).encode())
    except BaseException:
        code = 1
    finally:
        with contextlib.suppress(OSError):
            sock.close()
        os._exit(code)


def serve(control_fd: int) -> None:
    """The helper's loop: fork a child for each socket the server sends; end when it hangs up."""
    import duckdb  # noqa: F401 - imported once here, so every child starts with it
    import pyarrow
    import pyarrow.ipc  # noqa: F401

    import graph.sql
    import graph.store.database  # noqa: F401
    from graph.i18n import available_languages, translator

    for lang in available_languages():  # read each catalogue once, before the forks
        translator(lang)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the server's to handle
    control = socket.socket(fileno=control_fd)
    control.sendall(b"r")  # ready: the imports worked
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 1, 1)
        except OSError:
            break
        if not data:
            break
        for fd in fds:
            pid = os.fork()
            if pid == 0:
                control.close()
                _child(fd)
            os.close(fd)


# --- the server's side ---------------------------------------------------------------------------


class _Helper:
    """The helper process and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {
            **os.environ,
            "ARROW_DEFAULT_MEMORY_POOL": "system",  # no allocator reserving address space
            "MALLOC_ARENA_MAX": "2",
            "POLARS_MAX_THREADS": "1",
            # no allocator background threads in the process that forks (two idle threads of
            # pyarrow and polars remain; the child uses neither, and its alarm bounds any hang)
            "_RJEM_MALLOC_CONF": "background_thread:false",
            "JE_ARROW_MALLOC_CONF": "background_thread:false",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.sql.sandbox", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=Path(__file__).resolve().parents[2],  # graph/ importable, installed or not
        )
        theirs.close()
        self.control = ours
        ours.settimeout(_START_SECONDS)
        try:
            ready = ours.recv(1)
        except OSError:
            ready = b""
        ours.settimeout(None)
        if ready != b"r":
            self.close()
            raise ChildFailure("QueryError", translator().gettext(TEXTS["no_start"]))

    def alive(self) -> bool:
        return self.process.poll() is None

    def hand_over(self, fd: int) -> None:
        socket.send_fds(self.control, [b"q"], [fd])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.control.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()


_helper: _Helper | None = None
_helper_lock = threading.Lock()


def _start_query(fd: int) -> None:
    global _helper
    with _helper_lock:
        for attempt in (1, 2):
            if _helper is None or not _helper.alive():
                if _helper is not None:
                    _helper.close()
                _helper = _Helper()
            try:
                _helper.hand_over(fd)
                return
            except OSError:
                _helper.close()
                _helper = None
                if attempt == 2:
                    raise ChildFailure(
                        "QueryError", translator().gettext(TEXTS["not_started"])
                    ) from None


def helper_pid() -> int | None:
    """The helper process's id (for tests that measure the process tree), or None."""
    return _helper.process.pid if _helper is not None and _helper.alive() else None


def run_in_child(
    db: str | Path,
    sql: str,
    params: dict[str, Any],
    *,
    timeout: float,
    max_rows: int,
    memory_mb: int,
    max_result_mb: int,
    wait_seconds: float,
    views: Sequence[tuple[str, dict[str, Any]]] = (),
) -> ChildAnswer:
    """Run one statement in a bounded child process and return its answer.

    Raises
    ------
    ChildFailure
        ``kind`` "timeout" (past ``timeout``), "memory" (past ``memory_mb``), "too_large" (the
        answer is over ``max_result_mb``), or the name of the error class the child raised.
    """
    started = time.monotonic()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid: int | None = None
    finished = False  # the child said its last word and ends by itself
    try:
        try:
            _start_query(theirs.fileno())
        finally:
            theirs.close()
        request = {
            "db": str(Path(db).resolve()) if str(db) != ":memory:" else ":memory:",
            "lang": translator().lang,  # the child speaks the language of the work in hand
            "sql": sql,
            "params": {k: _encode(v) for k, v in params.items()},
            "timeout": timeout,
            "max_rows": max_rows,
            "memory_mb": memory_mb,
            "max_result_mb": max_result_mb,
            "wait": min(wait_seconds, timeout),
            # statements of our own (temporary views) run before the query, unchecked
            "views": [
                [v_sql, {k: _encode(v) for k, v in v_params.items()}] for v_sql, v_params in views
            ],
        }
        deadline = started + timeout + _GRACE_SECONDS
        ours.settimeout(max(deadline - time.monotonic(), 0.01))
        _send(ours, b"R", json.dumps(request).encode())
        data = bytearray()
        while True:
            ours.settimeout(max(deadline - time.monotonic(), 0.01))
            message = _recv(ours)
            if message is None:
                # the child ended without a word: the alarm at the deadline, or the kernel
                # refusing memory somewhere DuckDB could not turn into an error
                if time.monotonic() - started >= timeout * 0.98:
                    raise ChildFailure("timeout", "")
                raise ChildFailure("memory", "")
            tag, payload = message
            if tag == b"P":
                pid = int(payload)
            elif tag == b"D":
                data += payload
            elif tag == b"E":
                finished = True
                kind, text = json.loads(payload)
                raise ChildFailure(kind, text)
            elif tag == b"F":
                finished = True
                return ChildAnswer(bytes(data), bool(json.loads(payload)["truncated"]))
    except TimeoutError:
        raise ChildFailure("timeout", "") from None
    finally:
        ours.close()
        if pid is not None and not finished:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
