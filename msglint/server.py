"""The pre-send HTTP service: a helpdesk posts a message before sending it and gets back
"pass", "block" or "error" — never a silent "pass" when something went wrong.

    POST /v1/check         {"text", "kind"?, "marketplace"?, "field"?, "message_type"?, "explain_lang"?}
    POST /v1/check/batch   {"items": [{"id", "text", ...}, ...]}
    GET  /v1/rules, /v1/categories, /healthz, /openapi.json
    GET  /desk (the drafting desk page), /v1/templates; POST /v1/suggest, /v1/draft (msglint/desk.py)

Starlette app under uvicorn. The Linter (spaCy pipelines for every marketplace's language)
is built once, before uvicorn accepts connections, in a supervisor process that forks the
worker processes the checks run in (:mod:`msglint.workers`): a check past its time limit is
killed and answered 503 "error", so no request can hold up the others. uvicorn runs with a
header timeout and a connection cap (:mod:`msglint.httpguard`). JSON bodies are accepted only
as ``application/json`` and parsed strictly (:mod:`msglint.strictjson`: duplicate keys, NaN,
deep nesting refused). Message texts are never logged: the only log line per request is
method, path (escaped), status and duration.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Protocol, Union

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from msglint import __version__, desk, marketplaces
from msglint.httpguard import HEADER_TIMEOUT, MAX_CONNECTIONS, connection_cap, guarded_protocol
from msglint.model import CATEGORIES, KINDS, Report
from msglint.workers import SMALL_TEXT, CheckFailed, CheckPool, CheckTimeout, PoolUnavailable, describe_exception

log = logging.getLogger(__name__)

# msglint.linter.FIELDS (a test keeps them equal): importing msglint.linter would load spaCy into
# the service's own process, which only hands texts to the checking processes
FIELDS = ("title", "bullet", "description", "search_terms")

DEFAULT_MAX_BODY = 256 * 1024      # bytes
DEFAULT_TIMEOUT = 5.0              # seconds per check; a 256 KiB text takes about 1.2 s
DEFAULT_MAX_BATCH = 1000           # items per batch request
DEFAULT_WORKERS = 2                # checker processes: one for short texts only, one for any text
                                   # (bench/bench_server.py, bench/bench_robustness.py)
DEFAULT_KEEP_ALIVE = 5             # seconds an idle keep-alive connection stays open
DEFAULT_BODY_TIMEOUT = 30.0        # seconds to receive a request's body once its headers are in
WARM_UP_TEXT = "Hello, thank you for your order. It ships today."


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def log_safe(value: str, limit: int = 200) -> str:
    """``value`` for a log line: control characters (newlines, ANSI escapes, bidi overrides)
    written as escapes, so nobody can forge a line or recolour a terminal; cut to ``limit``."""
    if len(value) > limit:
        value = value[:limit] + "..."
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


class SafeFormatter(logging.Formatter):
    """Every record is one line with no control characters, whichever logger wrote it."""

    def format(self, record: logging.LogRecord) -> str:
        return log_safe(super().format(record), limit=4000)


class _RateLimit(logging.Filter):
    """On asyncio: an accept loop that runs out of descriptors logs the same traceback many times a
    second. Keep its message without the traceback, and the same message at most once a minute."""

    def __init__(self):
        super().__init__()
        self.last: dict = {}

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        key = str(record.msg)
        now = time.monotonic()
        if now - self.last.get(key, -1e9) < 60:
            return False
        self.last[key] = now
        return True


class _DropAll(logging.Filter):
    """On uvicorn.access: its lines carry the query string and client address. uvicorn turns the
    access log on whenever that logger has a handler, so a filter is the reliable off switch."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


class _RedactExceptions(logging.Filter):
    """On uvicorn.error: an exception's message can quote request data (h11 quotes a malformed
    chunk header line, which may be message text). Keep the type and the frames, drop the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()} [{describe_exception(record.exc_info[1])}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


LOG_CONFIG: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_all": {"()": _DropAll}, "redact_exceptions": {"()": _RedactExceptions},
                "rate_limit": {"()": _RateLimit}},
    "formatters": {"plain": {"()": SafeFormatter, "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO", "filters": ["redact_exceptions"]},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False, "filters": ["drop_all"]},
        "msglint.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "asyncio": {"handlers": ["stderr"], "level": "WARNING", "propagate": False, "filters": ["rate_limit"]},
    },
}


class Checker(Protocol):
    """What the service needs from a linter (``msglint.Linter`` or a test double)."""

    def check(self, text: str, kind: str = "message", *, field: Optional[str] = None,
              marketplace: Optional[str] = None, message_type: Optional[str] = None) -> Report: ...
    # Requests with "explain_lang" also pass ``explain_lang=`` (msglint.Linter accepts it).


# --- requests and errors ------------------------------------------------------------------------

class ServiceError(Exception):
    """An error answered with ``status`` and a JSON body; 5xx bodies carry verdict "error"."""

    def __init__(self, status: int, message: str, headers: Optional[dict] = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    def response(self) -> JSONResponse:
        body: dict = {"error": self.message}
        if self.status >= 500:
            body = {"verdict": "error", "error": self.message, "version": __version__}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def _invalid(message: str) -> ServiceError:
    return ServiceError(422, message)


@dataclass(frozen=True)
class CheckRequest:
    """One validated text to check."""

    text: str
    kind: str = "message"
    marketplace: str = "US"
    field: Optional[str] = None
    message_type: Optional[str] = None
    id: Any = None
    explain_lang: Optional[str] = None  # en | zh: the language of the findings' messages (None: English)


_CHECK_KEYS = frozenset({"text", "kind", "marketplace", "field", "message_type", "explain_lang"})
EXPLAIN_LANGS = ("en", "zh")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_check_request(obj: Any, message_types: Iterable[str], *, where: str = "",
                        with_id: bool = False, served: Optional[tuple] = None) -> CheckRequest:
    """Validate one check object; ServiceError(422) names the offending key (``where`` prefixes it).
    ``served``: the marketplaces this service checks (None: all)."""
    if not isinstance(obj, dict):
        raise _invalid(f"{where.rstrip('.') or 'request body'}: expected a JSON object")
    allowed = _CHECK_KEYS | {"id"} if with_id else _CHECK_KEYS
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise _invalid(f"{where}{unknown[0][:40]}: unknown key (allowed: {', '.join(sorted(allowed))})")
    if with_id:
        if "id" not in obj:
            raise _invalid(f"{where}id: required")
        if not isinstance(obj["id"], (str, int)) or isinstance(obj["id"], bool):
            raise _invalid(f"{where}id: expected a string or an integer")
    text = obj.get("text")
    if "text" not in obj:
        raise _invalid(f"{where}text: required")
    if not isinstance(text, str):
        raise _invalid(f"{where}text: expected a string")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(f"{where}text: not valid Unicode (lone surrogate)") from None

    def optional_str(key: str, default: Optional[str]) -> Optional[str]:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise _invalid(f"{where}{key}: expected a string")
        return value

    kind = optional_str("kind", "message")
    if kind not in KINDS:
        raise _invalid(f"{where}kind: unknown kind {_short(kind)} (one of {', '.join(KINDS)})")
    try:
        marketplace = marketplaces.get(optional_str("marketplace", "US")).code
    except ValueError:
        raise _invalid(f"{where}marketplace: unknown marketplace {_short(obj.get('marketplace'))} "
                       f"(one of {', '.join(marketplaces.MARKETPLACES)})") from None
    if served is not None and marketplace not in served:
        raise _invalid(f"{where}marketplace: {marketplace} is not checked by this service (it checks "
                       f"{', '.join(served)})")
    field = optional_str("field", None)
    if field is not None:
        if field not in FIELDS:
            raise _invalid(f"{where}field: unknown field {_short(field)} (one of {', '.join(FIELDS)})")
        if kind != "listing":
            raise _invalid(f"{where}field: applies only to kind 'listing'")
    message_type = optional_str("message_type", None)
    if message_type is not None:
        types = list(message_types)
        if message_type not in types:
            raise _invalid(f"{where}message_type: unknown message type {_short(message_type)} "
                           f"(one of {', '.join(types)})")
        if kind != "message":
            raise _invalid(f"{where}message_type: applies only to kind 'message'")
    explain_lang = optional_str("explain_lang", None)
    if explain_lang is not None and explain_lang not in EXPLAIN_LANGS:
        raise _invalid(f"{where}explain_lang: unknown language {_short(explain_lang)} (one of {', '.join(EXPLAIN_LANGS)})")
    return CheckRequest(text=text, kind=kind, marketplace=marketplace, field=field,
                        message_type=message_type, id=obj.get("id"), explain_lang=explain_lang)


async def read_body(request: Request, limit: int, timeout: float = DEFAULT_BODY_TIMEOUT) -> bytes:
    """The request body, refused with 413 when the declared length or the bytes read exceed ``limit``,
    and with 408 when it has not arrived within ``timeout`` seconds."""
    try:
        return await asyncio.wait_for(_read_body(request, limit), timeout)
    except asyncio.TimeoutError:
        raise ServiceError(408, f"the request body did not arrive within {timeout:g} s",
                           headers={"Connection": "close"}) from None


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = ServiceError(413, f"request body larger than {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    try:
        async for chunk in request.stream():  # chunked uploads have no Content-Length: count the bytes
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
    except ClientDisconnect:  # nobody is left to answer; the status is only for the log line
        raise ServiceError(400, "the client disconnected before sending the whole body") from None
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    """The body as strict JSON (UTF-8; no duplicate keys, NaN, lone surrogates or deep nesting): 422 otherwise."""
    from msglint.strictjson import StrictJSONError, loads
    if not body.strip():
        raise _invalid("request body: empty (expected a JSON object)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid("request body: malformed JSON (UnicodeDecodeError)") from None
    try:
        return loads(text)
    except StrictJSONError as exc:
        raise _invalid(str(exc) if exc.path else f"request body: {exc}") from None


def require_json(request: Request) -> None:
    """415 unless the body is declared as ``application/json`` (UTF-8 if a charset is named):
    a form post or a text/plain body from a browser page is not an API call."""
    media_type, _, params = request.headers.get("content-type", "").partition(";")
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params.split(";")
                    if p.strip().lower().startswith("charset=")), "utf-8")
    if media_type.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        raise ServiceError(415, "Content-Type must be application/json")


# --- running checks --------------------------------------------------------------------------

@dataclass
class Service:
    """What the endpoints share; the linter and the pool exist between lifespan start and end."""

    max_body: int
    timeout: float
    max_batch: int
    token: Optional[str]
    message_types: tuple
    linter: Optional[Checker] = None
    pool: Optional[ThreadPoolExecutor] = None
    processes: Optional[CheckPool] = None  # checks in worker processes (the default)
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    served: Optional[tuple] = None         # marketplace codes checked (None: all)

    @property
    def ready(self) -> bool:
        return self.processes.ready if self.processes is not None else self.pool is not None

    async def run_check(self, req: CheckRequest) -> dict:
        """{"verdict", "findings"} for ``req``; ServiceError 500 (failure) or 503 (time limit)."""
        if self.processes is not None:
            return await self._run_in_process(req)
        if self.linter is None or self.pool is None:
            raise ServiceError(503, "the service is not ready")
        future = asyncio.wrap_future(self.pool.submit(self._check_sync, req))
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            # The worker thread cannot be killed; it finishes in the background and is discarded.
            log.warning("check exceeded the %.1f s time limit", self.timeout)
            raise ServiceError(503, f"the check did not finish within {self.timeout:g} s",
                               headers={"Retry-After": "1"}) from None
        except Exception as exc:  # noqa: BLE001 - any failure is an "error" verdict, never a pass
            _log_internal_error(exc)
            raise ServiceError(500, f"internal error ({type(exc).__name__})") from None

    async def _run_in_process(self, req: CheckRequest) -> dict:
        try:
            return await self.processes.check((req.text, req.kind, req.field, req.marketplace, req.message_type,
                                               req.explain_lang), self.timeout)
        except PoolUnavailable:
            raise ServiceError(503, "the service is not ready", headers={"Retry-After": "5"}) from None
        except CheckTimeout:
            log.warning("check exceeded the %.1f s time limit (stopped)", self.timeout)
            raise ServiceError(503, f"the check did not finish within {self.timeout:g} s",
                               headers={"Retry-After": "1"}) from None
        except CheckFailed as exc:
            log.error("internal error in check: %s", exc)
            raise ServiceError(500, f"internal error ({exc.kind})") from None

    async def run_job(self, job: Callable, *args) -> Any:
        """``job(linter, *args)`` where checks run (a worker process, or a thread of this process when
        a linter object was given) under the time limit; ServiceError 500/503 otherwise. ``job`` is a
        module-level function (the worker imports it by name)."""
        if self.processes is not None:
            try:
                return await self.processes.call(f"{job.__module__}:{job.__qualname__}", args, self.timeout)
            except PoolUnavailable:
                raise ServiceError(503, "the service is not ready", headers={"Retry-After": "5"}) from None
            except CheckTimeout:
                raise ServiceError(503, f"the request did not finish within {self.timeout:g} s",
                                   headers={"Retry-After": "1"}) from None
            except CheckFailed as exc:
                log.error("internal error in request: %s", exc)
                raise ServiceError(500, f"internal error ({exc.kind})") from None
        if self.linter is None or self.pool is None:
            raise ServiceError(503, "the service is not ready")
        future = asyncio.wrap_future(self.pool.submit(job, self.linter, *args))
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            raise ServiceError(503, f"the request did not finish within {self.timeout:g} s",
                               headers={"Retry-After": "1"}) from None
        except Exception as exc:  # noqa: BLE001 - reported as an error, never as a clean result
            _log_internal_error(exc)
            raise ServiceError(500, f"internal error ({type(exc).__name__})") from None

    def _check_sync(self, req: CheckRequest) -> dict:
        extra = {"explain_lang": req.explain_lang} if req.explain_lang else {}  # only when asked for
        report = self.linter.check(req.text, req.kind, field=req.field, marketplace=req.marketplace,
                                   message_type=req.message_type, **extra)
        verdict = report.verdict
        if verdict not in ("pass", "block"):
            raise RuntimeError("the linter returned an unknown verdict")
        return {"verdict": verdict, "findings": [f.to_dict() for f in report.findings]}

    def warm_up(self, marketplace_codes: Iterable[str]) -> list[str]:
        """One check per marketplace and kind builds every pipeline and term matcher now, not in a
        request. Returns the marketplaces whose warm-up failed (their checks will answer "error")."""
        from msglint.contactscan import warm_phone_regions  # a linter loads them at its first number only

        failed = []
        for code in marketplace_codes:
            for kind in KINDS:
                try:
                    warm_phone_regions(marketplaces.get(code).language)
                    self.linter.check(WARM_UP_TEXT, kind, marketplace=code)
                except Exception as exc:  # noqa: BLE001 - the marketplace will answer "error"; say so now
                    _log_warm_up_failure(code, kind, describe_exception(exc))
                    if code not in failed:
                        failed.append(code)
        return failed


def _log_warm_up_failure(code: str, kind: str, description: str) -> None:
    log.warning("warm-up of marketplace %s (kind %s) failed: %s; such checks will answer verdict \"error\"",
                code, kind, description)


def _log_internal_error(exc: BaseException) -> None:
    log.error("internal error in check: %s", describe_exception(exc))


# --- endpoints -----------------------------------------------------------------------------------

def _endpoint(fn: Callable) -> Callable:
    """ServiceError becomes its JSON response; anything else a 500 with verdict "error" (and no
    traceback in the log: uvicorn's would include the exception message)."""
    async def wrapper(request: Request) -> Response:
        try:
            return await fn(request)
        except ServiceError as exc:
            return exc.response()
        except Exception as exc:  # noqa: BLE001
            _log_internal_error(exc)
            return ServiceError(500, f"internal error ({type(exc).__name__})").response()
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _service(request: Request) -> Service:
    return request.app.state.service


@_endpoint
async def check(request: Request) -> Response:
    service = _service(request)
    require_json(request)
    payload = parse_json(await read_body(request, service.max_body, service.body_timeout))
    req = parse_check_request(payload, service.message_types, served=service.served)
    result = await service.run_check(req)
    return JSONResponse({**result, "version": __version__})


@_endpoint
async def check_batch(request: Request) -> Response:
    service = _service(request)
    require_json(request)
    payload = parse_json(await read_body(request, service.max_body, service.body_timeout))
    if not isinstance(payload, dict):
        raise _invalid("request body: expected a JSON object")
    if set(payload) != {"items"}:
        extra = sorted(set(payload) - {"items"})
        raise _invalid(f"{extra[0]}: unknown key (allowed: items)" if extra else "items: required")
    items = payload["items"]
    if not isinstance(items, list):
        raise _invalid("items: expected an array")
    if len(items) > service.max_batch:
        raise _invalid(f"items: at most {service.max_batch} items per batch (got {len(items)})")
    requests = [parse_check_request(obj, service.message_types, where=f"items[{i}].", with_id=True,
                                    served=service.served)
                for i, obj in enumerate(items)]

    results, statuses = [], set()
    for req in requests:
        if 503 in statuses:  # the pool is busy with a slow check: do not queue more behind it
            results.append({"id": req.id, "verdict": "error", "findings": [],
                            "error": "not checked: an earlier item exceeded the time limit"})
            continue
        try:
            results.append({"id": req.id, **await service.run_check(req)})
        except ServiceError as exc:
            results.append({"id": req.id, "verdict": "error", "findings": [], "error": exc.message})
            statuses.add(exc.status)
    failures = sum(r["verdict"] == "error" for r in results)
    if failures:
        return JSONResponse({"verdict": "error", "error": f"{failures} of {len(requests)} items could not be checked",
                             "results": results, "version": __version__},
                            status_code=500 if 500 in statuses else 503)
    return JSONResponse({"results": results, "version": __version__})


@_endpoint
async def rules(request: Request) -> Response:
    from msglint.rules import ALL_RULES
    return JSONResponse({
        "rules": [{"code": r.code, "name": r.name, "category": r.category, "kinds": sorted(r.kinds),
                   "severity": r.severity.value, "summary": r.summary} for r in ALL_RULES],
        "version": __version__,
    })


@_endpoint
async def categories(request: Request) -> Response:
    return JSONResponse({"categories": list(CATEGORIES), "version": __version__})


@_endpoint
async def healthz(request: Request) -> Response:
    if not _service(request).ready:
        raise ServiceError(503, "the service is not ready")
    return JSONResponse({"status": "ok", "version": __version__})


@_endpoint
async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(_service(request)))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """404/405 from the router as JSON like every other error."""
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


# --- middleware (pure ASGI: no body buffering, no logging of anything but the request line) -------

class AccessLogMiddleware:
    """One line per request: method, path (no query string; control characters escaped), status, duration."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = [500]

        async def send_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, send_status)
        finally:
            log.info("%s %s %d %.1fms", log_safe(scope["method"], 20), log_safe(scope["path"]), status[0],
                     (time.perf_counter() - start) * 1000)


class BearerTokenMiddleware:
    """With a token configured, /v1/* needs ``Authorization: Bearer <token>`` (constant-time compare)."""

    def __init__(self, app, token: Optional[str]):
        self.app = app
        self.token = token.encode("utf-8") if token else None

    async def __call__(self, scope, receive, send):
        if self.token is None or scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            return await self.app(scope, receive, send)
        given = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credentials = value.partition(b" ")
                if scheme.lower() == b"bearer":
                    given = credentials.strip()
        if not hmac.compare_digest(given, self.token):
            response = JSONResponse({"error": "missing or invalid bearer token"}, status_code=401,
                                    headers={"WWW-Authenticate": 'Bearer realm="msglint"'})
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


# --- the application ---------------------------------------------------------------------------

def create_app(*, linter: Optional[Checker] = None, max_body: int = DEFAULT_MAX_BODY,
               timeout: float = DEFAULT_TIMEOUT, token: Optional[str] = None,
               max_batch: int = DEFAULT_MAX_BATCH, workers: int = DEFAULT_WORKERS,
               warm_up: Optional[Iterable[str]] = None,
               linter_factory: Optional[Union[str, Callable[[], Checker]]] = None,
               small_text: int = SMALL_TEXT, body_timeout: float = DEFAULT_BODY_TIMEOUT,
               marketplace_codes: Optional[Iterable[str]] = None, allow_origins: Iterable[str] = ()) -> Starlette:
    """The ASGI application.

    Checks run in ``workers`` processes forked from a supervisor that builds the checker once
    (``linter_factory()``, default ``msglint.Linter``; an importable class or function) at
    start-up, before uvicorn accepts connections; a check past ``timeout`` is killed. Worker 0
    takes texts of up to ``small_text`` characters only. Passing a ``linter`` object instead runs
    checks in ``workers`` threads of this process (for embedding and tests: a thread cannot be
    stopped, so an overrunning check finishes in the background). ``token``: the bearer token
    required on /v1/*; None reads ``MSGLINT_TOKEN`` (unset: none required), "" requires none.
    ``warm_up``: marketplace codes checked once at start-up so no request pays for building a
    pipeline (None: all marketplaces, or those of ``marketplace_codes``). ``marketplace_codes``:
    the only marketplaces the service checks (others get 422); only their languages' pipelines are
    built, which is most of the memory. ``allow_origins``: web origins
    ("https://helpdesk.example.com") whose pages may call the service from a browser (CORS); none
    by default. The drafting desk (``/desk``) is served either way.
    Also usable as ``uvicorn --factory msglint.server:create_app``.
    """
    if max_body < 1:
        raise ValueError("max_body must be at least 1 byte")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if max_batch < 1 or workers < 1:
        raise ValueError("max_batch and workers must be at least 1")
    if linter is not None and linter_factory is not None:
        raise ValueError("give a linter or a linter_factory, not both")
    if body_timeout <= 0:
        raise ValueError("body_timeout must be positive")
    if token is None:
        token = os.environ.get("MSGLINT_TOKEN")
        if token is not None and not token.strip():
            raise ValueError("MSGLINT_TOKEN is set but empty: set a token or unset the variable")
    origins = validate_origins(allow_origins)
    served = None if marketplace_codes is None else tuple(dict.fromkeys(
        marketplaces.get(code).code for code in marketplace_codes))
    if served == ():
        raise ValueError("marketplace_codes: name at least one marketplace")
    if warm_up is None:
        warm_codes = served or tuple(marketplaces.MARKETPLACES)
    else:
        warm_codes = tuple(marketplaces.get(code).code for code in warm_up)
    from msglint.drafting import catalogue
    service = Service(max_body=max_body, timeout=timeout, max_batch=max_batch, token=token or None,
                      message_types=tuple(catalogue().message_types), body_timeout=body_timeout, served=served)
    if linter is None:
        # by name: this process never imports the Linter (nor spaCy); the supervisor does
        processes = CheckPool(linter_factory or "msglint.linter:Linter", workers=workers, warm_up=warm_codes,
                              small_text=small_text)
    else:
        processes = None

    @asynccontextmanager
    async def lifespan(app: Starlette):
        loop = asyncio.get_running_loop()
        pool = None
        try:
            started = time.perf_counter()
            if processes is not None:
                try:
                    failures = await loop.run_in_executor(None, processes.start)
                except RuntimeError as exc:
                    log.error("%s", exc)
                    raise
                for code, kind, description in failures:
                    _log_warm_up_failure(code, kind, description)
                failed = {code for code, _, _ in failures}
                service.processes = processes  # from here on the service is ready
                how = f"{workers} worker processes"
            else:
                pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="msglint-check")
                service.linter = linter
                failed = await loop.run_in_executor(pool, service.warm_up, warm_codes)
                service.pool = pool  # from here on the service is ready
                how = f"{workers} threads"
            log.info("msglint %s ready in %.1f s (%d of %d marketplaces warmed up, %s, max body %d bytes, "
                     "time limit %g s, token %s)", __version__, time.perf_counter() - started,
                     len(warm_codes) - len(failed), len(warm_codes), how, max_body, timeout,
                     "required" if service.token else "not required")
            yield
        finally:
            service.pool = None
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            if processes is not None:
                await loop.run_in_executor(None, processes.close)

    app = Starlette(
        routes=[
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/check/batch", check_batch, methods=["POST"]),
            Route("/v1/rules", rules, methods=["GET"]),
            Route("/v1/categories", categories, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            *desk.routes(),
        ],
        middleware=[Middleware(AccessLogMiddleware), *_cors(origins),
                    Middleware(BearerTokenMiddleware, token=service.token)],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.service = service
    return app


_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")


def validate_origins(origins: Iterable[str]) -> tuple:
    """Origins as a browser sends them (scheme://host[:port], no path), or "*"; ValueError otherwise."""
    out = []
    for origin in origins:
        value = origin.strip().rstrip("/")
        if value != "*" and not _ORIGIN.match(value):
            raise ValueError(f"--allow-origin {origin!r}: expected an origin like https://helpdesk.example.com "
                             f"(scheme, host and port only) or *")
        out.append(value)
    return tuple(out)


def _cors(origins: tuple) -> list:
    """CORS for the given origins (outside the token check, so a preflight needs no token); none: no CORS
    headers at all, and browsers keep other origins' pages from reading the answers."""
    if not origins:
        return []
    from starlette.middleware.cors import CORSMiddleware
    return [Middleware(CORSMiddleware, allow_origins=list(origins), allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], max_age=600)]


def build_server(app, host: str = "127.0.0.1", port: int = 8080, *, log_level: str = "info",
                 header_timeout: float = HEADER_TIMEOUT, keep_alive: int = DEFAULT_KEEP_ALIVE,
                 max_connections: int = MAX_CONNECTIONS):
    """A uvicorn server for ``app`` with msglint's logging (no access log, no bodies) and
    connection limits: request headers within ``header_timeout`` seconds, idle keep-alive
    connections closed after ``keep_alive`` seconds, at most ``max_connections`` open (the
    longest-waiting idle or half-open one is closed to make room; see msglint.httpguard)."""
    import uvicorn
    protocol = guarded_protocol(header_timeout, connection_cap(max_connections))
    config = uvicorn.Config(app, host=host, port=port, lifespan="on", access_log=False,
                            log_config=LOG_CONFIG, log_level=log_level, server_header=False,
                            proxy_headers=False, http=protocol, timeout_keep_alive=keep_alive)
    return uvicorn.Server(config)


def serve(host: str = "127.0.0.1", port: int = 8080, *, max_body: int = DEFAULT_MAX_BODY,
          timeout: float = DEFAULT_TIMEOUT, log_level: str = "info", allow_origins: Iterable[str] = (),
          workers: int = DEFAULT_WORKERS, max_connections: int = MAX_CONNECTIONS,
          marketplace_codes: Optional[Iterable[str]] = None) -> None:
    """Run the service until SIGINT/SIGTERM. ValueError for a bad setting (or an empty
    MSGLINT_TOKEN), RuntimeError when it could not start (port in use, start-up failed)."""
    app = create_app(max_body=max_body, timeout=timeout, allow_origins=allow_origins, workers=workers,
                     marketplace_codes=marketplace_codes)
    if host not in ("127.0.0.1", "::1", "localhost") and not app.state.service.token:
        log.warning("listening on %s without MSGLINT_TOKEN: anyone who can reach the port can use it", host)
    server = build_server(app, host, port, log_level=log_level, max_connections=max_connections)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind; the caller chooses the exit code
        raise RuntimeError(f"the service could not start on {host}:{port} (see the log above)") from exc
    if not server.started:  # the lifespan failed: uvicorn has logged why
        raise RuntimeError("the service could not start (see the log above)")


# --- OpenAPI ---------------------------------------------------------------------------------

def openapi_document(service: Service) -> dict:
    """The OpenAPI 3.1 description of the service, with enums from the package's own tables."""
    def ref(name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    def json_body(schema: dict, description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    check_props = {
        "text": {"type": "string", "description": "The message or listing text, as it would be sent."},
        "kind": {"type": "string", "enum": list(KINDS), "default": "message"},
        "marketplace": {"type": "string", "default": "US",
                        "description": "Amazon marketplace code (case-insensitive; GB is UK).",
                        "examples": list(marketplaces.MARKETPLACES)},
        "field": {"type": ["string", "null"], "enum": [*FIELDS, None],
                  "description": "Listing field; only with kind 'listing'."},
        "message_type": {"type": ["string", "null"], "enum": [*service.message_types, None],
                         "description": "Amazon message type of the send; only with kind 'message'."},
        "explain_lang": {"type": ["string", "null"], "enum": [*EXPLAIN_LANGS, None], "default": "en",
                         "description": "Language of the findings' messages: en (default) or zh (Simplified "
                                        "Chinese). The text itself is checked the same way."},
    }
    errors = {
        "401": json_body(ref("Error"), "A token is configured and the request has no matching bearer token."),
        "408": json_body(ref("Error"), "The body did not arrive within the time limit for it."),
        "413": json_body(ref("Error"), f"The body is larger than the limit ({service.max_body} bytes)."),
        "415": json_body(ref("Error"), "The body is not declared as Content-Type: application/json."),
        "422": json_body(ref("Error"), "Malformed JSON (also duplicate keys, NaN, nesting deeper than 64 "
                                       "levels, lone surrogates), a wrong type, or an unknown key, kind, "
                                       "marketplace, field or message type."),
        "500": json_body(ref("ServiceError"), "Internal error: treat as blocked."),
        "503": json_body(ref("ServiceError"), "The check exceeded the time limit or the service is not ready: "
                                              "treat as blocked."),
    }
    secured = [{"bearer": []}, {}] if service.token is None else [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "msglint pre-send service", "version": __version__,
                 "description": "Check a buyer message or listing text before sending it. Send only on "
                                "HTTP 200 with verdict \"pass\"; block on \"block\", on \"error\" and on "
                                "any other status."},
        "paths": {
            "/v1/check": {"post": {
                "summary": "Check one text",
                "operationId": "check",
                "security": secured,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("CheckRequest")}}},
                "responses": {"200": json_body(ref("CheckResponse"), "The verdict and the findings."), **errors},
            }},
            "/v1/check/batch": {"post": {
                "summary": f"Check up to {service.max_batch} texts",
                "operationId": "checkBatch",
                "security": secured,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("BatchRequest")}}},
                "responses": {
                    "200": json_body(ref("BatchResponse"), "One result per item, in input order."),
                    **{k: v for k, v in errors.items() if k not in ("500", "503")},
                    "500": json_body(ref("BatchErrorResponse"), "At least one item failed: treat those as blocked."),
                    "503": json_body(ref("BatchErrorResponse"), "At least one item exceeded the time limit."),
                },
            }},
            "/v1/rules": {"get": {
                "summary": "The rules", "operationId": "rules", "security": secured,
                "responses": {"200": json_body(ref("RulesResponse"), "Every rule."), "401": errors["401"]},
            }},
            "/v1/categories": {"get": {
                "summary": "The finding categories", "operationId": "categories", "security": secured,
                "responses": {"200": json_body(ref("CategoriesResponse"), "Every category."),
                              "401": errors["401"]},
            }},
            "/healthz": {"get": {
                "summary": "Liveness and readiness", "operationId": "healthz", "security": [],
                "responses": {"200": json_body(ref("Health"), "Ready to check."),
                              "503": json_body(ref("ServiceError"), "Not ready.")},
            }},
            "/openapi.json": {"get": {
                "summary": "This document", "operationId": "openapi", "security": [],
                "responses": {"200": {"description": "The OpenAPI document."}},
            }},
            "/v1/templates": {"get": {
                "summary": "The reply scenarios (for the drafting desk)", "operationId": "templates",
                "security": secured,
                "responses": {"200": json_body(ref("TemplatesResponse"), "Every scenario with its variables."),
                              "401": errors["401"]},
            }},
            "/v1/suggest": {"post": {
                "summary": "Scenarios that answer a buyer's message", "operationId": "suggest", "security": secured,
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": ref("SuggestRequest")}}},
                "responses": {"200": json_body(ref("SuggestResponse"), "The best scenarios, best first."),
                              **errors},
            }},
            "/v1/draft": {"post": {
                "summary": "Render a scenario with values and check the draft", "operationId": "draft",
                "security": secured,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("DraftRequest")}}},
                "responses": {
                    "200": json_body(ref("DraftResponse"), "The draft, its verdict and findings."),
                    **errors,
                    "422": json_body(ref("VariableError"), "Unknown scenario or language, or a missing or invalid "
                                                           "value (named in `variable`)."),
                },
            }},
            "/desk": {"get": {
                "summary": "The drafting desk (an HTML page)", "operationId": "desk", "security": [],
                "parameters": [{"name": "ui", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": ["en", "zh"]},
                                "description": "Interface language (default: from Accept-Language)."}],
                "responses": {"200": {"description": "The page.", "content": {"text/html": {}}}},
            }},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Required when MSGLINT_TOKEN is set on the server."}},
            "schemas": {
                "CheckRequest": {"type": "object", "required": ["text"], "additionalProperties": False,
                                 "properties": check_props},
                "BatchItem": {"type": "object", "required": ["id", "text"], "additionalProperties": False,
                              "properties": {"id": {"type": ["string", "integer"]}, **check_props}},
                "BatchRequest": {"type": "object", "required": ["items"], "additionalProperties": False,
                                 "properties": {"items": {"type": "array", "maxItems": service.max_batch,
                                                          "items": ref("BatchItem")}}},
                "CheckResponse": {"type": "object", "required": ["verdict", "findings", "version"],
                                  "properties": {"verdict": {"type": "string", "enum": ["pass", "block"]},
                                                 "findings": {"type": "array", "items": ref("Finding")},
                                                 "version": {"type": "string"}}},
                "BatchResult": {"type": "object", "required": ["id", "verdict", "findings"],
                                "properties": {"id": {"type": ["string", "integer"]},
                                               "verdict": {"type": "string", "enum": ["pass", "block", "error"]},
                                               "findings": {"type": "array", "items": ref("Finding")},
                                               "error": {"type": "string"}}},
                "BatchResponse": {"type": "object", "required": ["results", "version"],
                                  "properties": {"results": {"type": "array", "items": ref("BatchResult")},
                                                 "version": {"type": "string"}}},
                "BatchErrorResponse": {"type": "object", "required": ["verdict", "error", "results", "version"],
                                       "properties": {"verdict": {"const": "error"}, "error": {"type": "string"},
                                                      "results": {"type": "array", "items": ref("BatchResult")},
                                                      "version": {"type": "string"}}},
                "Finding": {
                    "type": "object", "description": "See docs/wire-schema.md.",
                    "required": ["code", "name", "category", "severity", "start", "end", "line", "col",
                                 "end_line", "end_col", "text", "message", "fix", "suppress"],
                    "properties": {
                        "code": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{3}$"},
                        "name": {"type": "string"},
                        "category": {"type": "string", "enum": list(CATEGORIES)},
                        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                        **{k: {"type": "integer"} for k in ("start", "end", "line", "col", "end_line", "end_col")},
                        "text": {"type": "string"},
                        "message": {"type": "string"},
                        "fix": {"oneOf": [{"type": "null"}, {
                            "type": "object", "required": ["replacement", "safe", "start", "end"],
                            "description": "replacement replaces text[start:end] (the finding's clause or sentence, "
                                           "which may be wider than the finding) (schema 1.3).",
                            "properties": {"replacement": {"type": "string"}, "safe": {"type": "boolean"},
                                           "start": {"type": "integer"}, "end": {"type": "integer"}}}]},
                        "suppress": {"type": "string"},
                    },
                },
                "Rule": {"type": "object", "required": ["code", "name", "category", "kinds", "severity", "summary"],
                         "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                        "category": {"type": "string", "enum": list(CATEGORIES)},
                                        "kinds": {"type": "array", "items": {"type": "string", "enum": list(KINDS)}},
                                        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                                        "summary": {"type": "string"}}},
                "RulesResponse": {"type": "object", "required": ["rules", "version"],
                                  "properties": {"rules": {"type": "array", "items": ref("Rule")},
                                                 "version": {"type": "string"}}},
                "CategoriesResponse": {"type": "object", "required": ["categories", "version"],
                                       "properties": {"categories": {"type": "array",
                                                                     "items": {"type": "string"}},
                                                      "version": {"type": "string"}}},
                "SuggestRequest": {"type": "object", "required": ["text"], "additionalProperties": False,
                                   "properties": {"text": {"type": "string", "description": "The buyer's message."},
                                                  "lang": {"type": "string", "enum": list(desk.TEMPLATE_LANGS),
                                                           "description": "Its language (default: detected)."},
                                                  "top": {"type": "integer", "minimum": 1,
                                                          "maximum": desk.MAX_TOP, "default": 3}}},
                "SuggestResponse": {"type": "object", "required": ["lang", "suggestions", "version"], "properties": {
                    "lang": {"type": "string"}, "version": {"type": "string"},
                    "suggestions": {"type": "array", "items": {
                        "type": "object", "required": ["id", "title", "score", "reason", "languages"],
                        "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                       "title_zh": {"type": ["string", "null"]}, "score": {"type": "number"},
                                       "reason": {"type": "string"},
                                       "languages": {"type": "array", "items": {"type": "string"}}}}}}},
                "DraftRequest": {"type": "object", "required": ["scenario", "lang"], "additionalProperties": False,
                                 "properties": {"scenario": {"type": "string"},
                                                "lang": {"type": "string", "enum": list(desk.TEMPLATE_LANGS)},
                                                "marketplace": {"type": "string",
                                                                "description": "Default: the language's."},
                                                "values": {"type": "object",
                                                           "additionalProperties": {"type": ["string", "null"]}}}},
                "DraftResponse": {"type": "object",
                                  "required": ["text", "verdict", "findings", "problems", "message_type", "limit",
                                               "marketplace", "version"],
                                  "properties": {"text": {"type": "string"},
                                                 "verdict": {"type": "string", "enum": ["pass", "block"]},
                                                 "findings": {"type": "array", "items": ref("Finding")},
                                                 "problems": {"type": "array", "items": {"type": "string"}},
                                                 "message_type": {"type": "string"}, "limit": {"type": "integer"},
                                                 "marketplace": {"type": "string"}, "version": {"type": "string"}}},
                "VariableError": {"type": "object", "required": ["error"],
                                  "properties": {"error": {"type": "string"}, "variable": {"type": "string"}}},
                "TemplatesResponse": {"type": "object", "required": ["scenarios", "languages", "version"],
                                      "properties": {"scenarios": {"type": "array", "items": {"type": "object"}},
                                                     "languages": {"type": "array", "items": {"type": "string"}},
                                                     "message_types": {"type": "object"},
                                                     "version": {"type": "string"}}},
                "Health": {"type": "object", "required": ["status", "version"],
                           "properties": {"status": {"const": "ok"}, "version": {"type": "string"}}},
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "ServiceError": {"type": "object", "required": ["verdict", "error", "version"],
                                 "properties": {"verdict": {"const": "error"}, "error": {"type": "string"},
                                                "version": {"type": "string"}}},
            },
        },
    }
