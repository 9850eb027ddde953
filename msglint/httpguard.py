"""Connection limits for uvicorn: a header timeout and a cap on open connections.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but not connections that
never finish their request headers: 20,000 clients that connect and send nothing (or one header
byte now and then) used up every file descriptor, /healthz stopped answering and asyncio
logged an accept traceback in a tight loop. :func:`guarded_protocol` returns uvicorn's h11
protocol with

- a header timeout: a connection that has not completed a request's headers within
  ``header_timeout`` seconds of connecting (or of starting a new request on a kept-alive
  connection) is closed, however slowly it trickles bytes;
- a connection cap: when a new connection would exceed ``max_connections``, the connection
  that has been waiting longest without a request in progress (half-open or idle) is closed to
  make room, so a health check or an ordinary request still gets in; only when every
  connection has a request in progress is the new one closed instead.

Closing is silent (no log line per connection); a warning at most once a minute says that
connections were shed. :func:`raise_open_file_limit` lifts the process's soft descriptor limit
to its hard limit, so the cap, not the kernel, is what refuses connections.
"""
from __future__ import annotations

import logging
import resource
import time
from collections import OrderedDict

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("msglint.server")

HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 1000
RESERVED_DESCRIPTORS = 128  # for the log, the worker pipes, files


def raise_open_file_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit (where allowed); return the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered to what the descriptor limit allows with a reserve."""
    return max(16, min(wanted, raise_open_file_limit() - RESERVED_DESCRIPTORS))


def guarded_protocol(header_timeout: float = HEADER_TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> type:
    """A subclass of uvicorn's H11Protocol with its own header timeout and connection cap
    (one class per server: the waiting list is shared by that server's connections only)."""
    waiting: "OrderedDict[GuardedH11Protocol, float]" = OrderedDict()  # no request in progress, oldest first
    shed = {"count": 0, "logged": 0.0}

    class GuardedH11Protocol(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._header_timer = None
            self._wait_for_request()
            if len(self.connections) > max_connections:
                self._make_room()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._in_request():
                self._request_started()
            elif self._header_timer is None and not self.transport.is_closing():
                # bytes of a next request on a kept-alive connection: its headers are on the clock too
                self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and not self._in_request():
                waiting[self] = time.monotonic()
                waiting.move_to_end(self)

        def connection_lost(self, exc) -> None:
            waiting.pop(self, None)
            self._cancel_header_timer()
            super().connection_lost(exc)

        # --

        def _in_request(self) -> bool:
            return self.cycle is not None and not self.cycle.response_complete

        def _wait_for_request(self) -> None:
            waiting[self] = time.monotonic()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _request_started(self) -> None:
            waiting.pop(self, None)
            self._cancel_header_timer()

        def _cancel_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if not self._in_request() and not self.transport.is_closing():
                waiting.pop(self, None)
                self.transport.abort()

        def _make_room(self) -> None:
            victim = next((p for p in waiting if p is not self), None)
            if victim is None:  # every other connection has a request in progress: refuse this one
                victim = self
            waiting.pop(victim, None)
            victim._cancel_header_timer()
            victim.transport.abort()
            shed["count"] += 1
            now = time.monotonic()
            if now - shed["logged"] >= 60:
                log.warning("more than %d open connections: closed %d waiting connection(s) to make room",
                            max_connections, shed["count"])
                shed["count"], shed["logged"] = 0, now

    GuardedH11Protocol.waiting = waiting
    return GuardedH11Protocol
