"""The participant form and the JSON route, as Starlette routes.

``ecograph app`` mounts these routes on the app's own port (``serve.py``: Streamlit's ``st.App``
runs on uvicorn and takes extra routes), so the join link ``{base_url}/lab/{code}`` works while
the app runs; ``lab_app`` is the same routes as a Starlette app of their own (tests, or a
deployment that serves the form apart). The routes touch the SQLite queue only, never DuckDB.

Routes, all under ``/lab/{code}`` — the join code is the only key, and it opens that lab only:

- ``GET``  the form (Swedish or English: the browser's language, ``?lang=`` switches);
- ``GET  /actors?q=`` type-ahead over the known actors and their aliases;
- ``POST /submissions`` JSON answers → ``201 {"receipt", "token"}`` | ``400 {"errors": {field:
  message}}`` | ``409`` closed | ``413`` too large | ``429`` too many;
- ``GET|PUT /submissions/{receipt}`` with ``Authorization: Bearer TOKEN``: read or correct one's
  own answers until the lab closes;
- ``GET /qr.svg``, ``/qr.png``, ``/poster``: the join link as a QR code and an A4 poster.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape as html_escape
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from graph.errors import EcographError
from graph.i18n import NC_, translator
from graph.labs.lab import join_url
from graph.labs.qr import poster_html, qr_png, qr_svg, templates
from graph.labs.queue import (
    Lab,
    LabClosedError,
    LabNotFoundError,
    ReceiptError,
    add_submission,
    correct_submission,
    directory_search,
    find_lab,
    known_name,
    open_queue,
    purge_expired,
    queue_path,
    read_submission,
)
from graph.labs.submission import STRENGTH_WEIGHTS, TIE_KINDS, parse_submission
from graph.labs.texts import CONTEXT, choose_language, form_texts, other_languages
from graph.store.config import base_url, lab_retention_days, resolve_db_path
from graph.store.tables import ACTOR_KINDS

__all__ = ["ERRORS", "RateLimiter", "ServerSettings", "lab_app", "lab_routes", "settings_from_env"]

# the JSON route's own messages, in the participant's language (field messages come from
# graph.labs.submission)
ERRORS = {
    "not_found": NC_("lab form", "no open lab has this code"),
    "closed": NC_("lab form", "this lab is closed: it takes no answers or corrections"),
    "too_large": NC_("lab form", "the request is larger than {n} bytes"),
    "too_many": NC_("lab form", "too many requests from this device or to this lab: wait a minute"),
    "bad_json": NC_("lab form", "the body is not valid JSON"),
    "receipt": NC_("lab form", "no such receipt in this lab, or a wrong token"),
}
DEVICE_HEADER = "x-ecograph-device"


@dataclass
class RateLimiter:
    """Sliding one-minute windows per device and per lab, in this process's memory (a restart
    forgets them, which only ever lets more through)."""

    per_device: int
    per_lab: int
    window_s: float = 60.0
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, device: str, lab: str, now: float | None = None) -> bool:
        """Count a request; False (and not counted) when either window is full."""
        now = time.monotonic() if now is None else now
        keys = ((f"d:{lab}:{device}", self.per_device), (f"l:{lab}", self.per_lab))
        with self._lock:
            windows = []
            for key, limit in keys:
                hits = self._hits.setdefault(key, deque())
                while hits and now - hits[0] > self.window_s:
                    hits.popleft()
                if len(hits) >= limit:
                    return False
                windows.append(hits)
            for hits in windows:
                hits.append(now)
        return True


@dataclass(frozen=True)
class ServerSettings:
    """Where the queue is, how the join link reads, and the limits."""

    queue: Path
    base_url: str
    retention_days: int = 90
    max_body_bytes: int = 64 * 1024
    writes_per_device: int = 10  # submissions and corrections per minute from one phone
    writes_per_lab: int = 600  # per minute, all phones of one lab together
    reads_per_device: int = 240  # type-ahead look-ups per minute from one phone


def settings_from_env() -> ServerSettings:
    """Settings for the app's process: the database's queue, ``ECOGRAPH_BASE_URL``, the
    retention setting, and ``ECOGRAPH_LAB_RATE`` (writes per device and minute)."""
    rate = os.environ.get("ECOGRAPH_LAB_RATE", "").strip()
    return ServerSettings(
        queue=queue_path(resolve_db_path()),
        base_url=base_url(),
        retention_days=lab_retention_days(),
        **({"writes_per_device": int(rate)} if rate.isdigit() else {}),
    )


def _error(lang: str, key: str, **values: Any) -> str:
    """The JSON route's message ``key`` in ``lang``."""
    return translator(lang).pgettext(CONTEXT, ERRORS[key]).format(**values)


def _json(status: int, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _lab_date(lab_date: str, lang: str) -> str:
    """The lab's day as the language writes it (``10 december 2026``), or as stored."""
    try:
        return translator(lang).date(date.fromisoformat(lab_date))
    except ValueError:
        return lab_date


def _device(request: Request) -> str:
    given = request.headers.get(DEVICE_HEADER, "").strip()[:64]
    host = request.client.host if request.client else "unknown"
    return given or f"ip:{host}"


def _security_headers(nonce: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def lab_routes(settings: ServerSettings) -> list[BaseRoute]:
    """The form's routes (see the module docstring)."""
    limiter = RateLimiter(settings.writes_per_device, settings.writes_per_lab)
    reads = RateLimiter(settings.reads_per_device, settings.reads_per_device * 100)
    purged: dict[str, str] = {}

    def with_queue(work: Callable[..., Any], *args: Any) -> Any:
        with open_queue(settings.queue) as con:
            today = date.today().isoformat()
            if purged.get("day") != today:  # the retention rule, once a day
                purge_expired(con, settings.retention_days)
                purged["day"] = today
            return work(con, *args)

    async def lab_of(request: Request) -> Lab | None:
        try:
            return await run_in_threadpool(with_queue, find_lab, request.path_params["code"])
        except LabNotFoundError:
            return None

    def lang_of(request: Request) -> str:
        return choose_language(
            request.headers.get("accept-language"), request.query_params.get("lang")
        )

    async def form(request: Request) -> Response:
        lab = await lab_of(request)
        lang = lang_of(request)
        t = form_texts(lang)
        nonce = secrets.token_urlsafe(16)
        if lab is None:
            return HTMLResponse(
                f'<!doctype html><html lang="{lang}"><meta charset=utf-8>'
                f"<p>{html_escape(t['unknown_lab'])}</p>",
                404,
                headers=_security_headers(nonce),
            )
        prefix = f"/lab/{lab.code}"
        kinds = [(k, t[f"kind_{k}"]) for k in ACTOR_KINDS]
        messages = {
            k: t[k]
            for k in ("sending", "failed", "too_many", "fix_fields", "closed", "submit", "save")
        }
        html = (
            templates()
            .get_template("form.html")
            .render(
                lang=lang,
                other_languages=other_languages(lang),
                t=t,
                lab_name=lab.name,
                lab_date=_lab_date(lab.lab_date, lang),
                is_open=lab.is_open,
                nonce=nonce,
                kinds=kinds,
                tie_kinds=list(TIE_KINDS),
                strengths=list(STRENGTH_WEIGHTS),
                consent=t["consent"].format(days=settings.retention_days),
                config={
                    "code": lab.code,
                    "lang": lang,
                    "texts": messages,
                    "actors_url": f"{prefix}/actors",
                    "submit_url": f"{prefix}/submissions",
                },
            )
        )
        return HTMLResponse(html, headers=_security_headers(nonce))

    async def actors(request: Request) -> Response:
        lab = await lab_of(request)
        if lab is None:
            return _json(404, {"error": _error(lang_of(request), "not_found")})
        if not reads.allow(_device(request), lab.code):
            return _json(429, {"error": _error(lang_of(request), "too_many")})
        text = request.query_params.get("q", "")[:100]
        found = await run_in_threadpool(with_queue, directory_search, text)
        return JSONResponse(found, headers={"Cache-Control": "no-store"})

    async def read_body(request: Request) -> tuple[Any, Response | None]:
        declared = request.headers.get("content-length", "")
        limit = settings.max_body_bytes
        if declared.isdigit() and int(declared) > limit:
            return None, _json(413, {"error": _error(lang_of(request), "too_large", n=limit)})
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return None, _json(413, {"error": _error(lang_of(request), "too_large", n=limit)})
        try:
            return json.loads(body.decode("utf-8")), None
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None, _json(400, {"errors": {"": _error(lang_of(request), "bad_json")}})

    def check(con: Any, data: Any, lang: str) -> Any:
        # the form always sends "consent"; a tool that leaves it out asked in its own terms
        asks = isinstance(data, dict) and "consent" in data
        return parse_submission(
            data, known=lambda actor_id: known_name(con, actor_id), lang=lang, require_consent=asks
        )

    async def writable(request: Request) -> tuple[Lab | None, Response | None]:
        lab = await lab_of(request)
        if lab is None:
            return None, _json(404, {"error": _error(lang_of(request), "not_found")})
        if not limiter.allow(_device(request), lab.code):
            return None, _json(429, {"error": _error(lang_of(request), "too_many")})
        if not lab.is_open:
            return None, _json(409, {"error": _error(lang_of(request), "closed")})
        return lab, None

    async def submit(request: Request) -> Response:
        lab, refused = await writable(request)
        if refused is not None or lab is None:
            return refused or _json(404, {"error": _error(lang_of(request), "not_found")})
        data, bad = await read_body(request)
        if bad is not None:
            return bad
        lang = lang_of(request)
        device = _device(request)

        def work(con: Any) -> tuple[int, dict[str, Any]]:
            submission, errors = check(con, data, lang)
            if submission is None:
                return 400, {"errors": errors}
            try:
                receipt, token = add_submission(con, lab.code, submission, device)
            except LabClosedError:
                return 409, {"error": _error(lang_of(request), "closed")}
            return 201, {
                "receipt": receipt,
                "token": token,
                "url": f"/lab/{lab.code}/submissions/{receipt}",
            }

        status, body = await run_in_threadpool(with_queue, work)
        return _json(status, body)

    def token_of(request: Request) -> str:
        auth = request.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else ""

    async def own(request: Request) -> Response:
        lab = await lab_of(request)
        if lab is None:
            return _json(404, {"error": _error(lang_of(request), "not_found")})
        receipt = request.path_params["receipt"]
        token = token_of(request)
        if request.method == "GET":
            if not reads.allow(_device(request), lab.code):
                return _json(429, {"error": _error(lang_of(request), "too_many")})
            try:
                queued = await run_in_threadpool(
                    with_queue, read_submission, lab.code, receipt, token
                )
            except ReceiptError:
                return _json(404, {"error": _error(lang_of(request), "receipt")})
            if not lab.is_open:
                return _json(409, {"error": _error(lang_of(request), "closed")})
            body = queued.submission.to_json()
            body["contact"] = queued.submission.contact  # the holder's own answer
            return _json(200, {**body, "receipt": receipt, "status": queued.status})
        lab, refused = await writable(request)
        if refused is not None or lab is None:
            return refused or _json(404, {"error": _error(lang_of(request), "not_found")})
        data, bad = await read_body(request)
        if bad is not None:
            return bad
        lang = lang_of(request)

        def work(con: Any) -> tuple[int, dict[str, Any]]:
            submission, errors = check(con, data, lang)
            if submission is None:
                return 400, {"errors": errors}
            try:
                version = correct_submission(con, lab.code, receipt, token, submission)
            except LabClosedError:
                return 409, {"error": _error(lang_of(request), "closed")}
            except ReceiptError:
                return 404, {"error": _error(lang_of(request), "receipt")}
            return 200, {"receipt": receipt, "version": version}

        status, body = await run_in_threadpool(with_queue, work)
        return _json(status, body)

    async def qr(request: Request) -> Response:
        lab = await lab_of(request)
        if lab is None:
            return _json(404, {"error": _error(lang_of(request), "not_found")})
        url = join_url(settings.base_url, lab.code)
        if request.path_params["fmt"] not in ("png", "svg"):
            return _json(404, {"error": _error(lang_of(request), "not_found")})
        if request.path_params["fmt"] == "png":
            return Response(qr_png(url), media_type="image/png")
        return Response(qr_svg(url), media_type="image/svg+xml")

    async def poster(request: Request) -> Response:
        lab = await lab_of(request)
        if lab is None:
            return _json(404, {"error": _error(lang_of(request), "not_found")})
        html = poster_html(
            lab_name=lab.name,
            lab_date=lab.lab_date,
            code=lab.code,
            url=join_url(settings.base_url, lab.code),
            lang=lang_of(request),
        )
        return HTMLResponse(html, headers={"X-Content-Type-Options": "nosniff"})

    return [
        Route("/lab/{code}", form, methods=["GET"]),
        Route("/lab/{code}/actors", actors, methods=["GET"]),
        Route("/lab/{code}/submissions", submit, methods=["POST"]),
        Route("/lab/{code}/submissions/{receipt}", own, methods=["GET", "PUT"]),
        Route("/lab/{code}/qr.{fmt}", qr, methods=["GET"]),
        Route("/lab/{code}/poster", poster, methods=["GET"]),
    ]


def lab_app(settings: ServerSettings | None = None) -> Starlette:
    """The form's routes as an app of their own (``uvicorn graph.labs.server:app --factory``)."""

    async def on_error(request: Request, exc: Exception) -> Response:
        return _json(500, {"error": str(exc) if isinstance(exc, EcographError) else "error"})

    return Starlette(
        routes=lab_routes(settings or settings_from_env()),
        exception_handlers={EcographError: on_error},
    )
