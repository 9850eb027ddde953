"""The pre-send service under hostile and careless clients, over real HTTP on 127.0.0.1.

Checks run in processes built from tests/service_doubles.FaultyLinter: "SLOW" texts never end,
"CRASH" ends its process, "OK ..." texts are checked for real. The server has short limits
(1 s header timeout, 1 s keep-alive, 64 connections, 2 s per check, 0.5 s for a body) so the
tests run quickly; the defaults are the same code with other numbers.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from msglint import __version__
from msglint.server import FIELDS, SafeFormatter, build_server, create_app
from test_server import Running

LONG = "x" * 200  # longer than the test server's small_text (100): never goes to the express worker
ERROR_415 = {"error": "Content-Type must be application/json"}


def _start(app, **server_options) -> Running:
    server = build_server(app, "127.0.0.1", 0, **server_options)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return Running(app, server, thread, sock.getsockname()[1])


@pytest.fixture(scope="module")
def hostile_srv():
    from service_doubles import FaultyLinter
    app = create_app(linter_factory=FaultyLinter, timeout=2.0, token="", warm_up=(), workers=2, small_text=100,
                     body_timeout=0.5)
    running = _start(app, header_timeout=1.0, keep_alive=1, max_connections=64)
    yield running
    running.server.should_exit = True
    running.thread.join(timeout=30)


def stats(running) -> dict:
    return asyncio.run(running.app.state.service.processes.stats())


def wait_until(condition, seconds: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]


@pytest.fixture
def logs():
    handler = _Capture()
    names = ["", "uvicorn", "uvicorn.error", "msglint.server", "asyncio"]
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in names:
        logging.getLogger(name).removeHandler(handler)


# --- time limits that really stop the work ------------------------------------------------------------

def test_a_check_past_its_time_limit_is_killed(hostile_srv, tmp_path):
    pidfile = tmp_path / "pid"
    before = stats(hostile_srv)
    status, headers, body = hostile_srv.call("POST", "/v1/check", {"text": f"SLOW {pidfile}"})
    assert (status, headers["retry-after"]) == (503, "1")
    assert body == {"verdict": "error", "error": "the check did not finish within 2 s", "version": __version__}
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):  # the process that ran it is gone, not finishing in the background
        os.kill(pid, 0)
    after = stats(hostile_srv)
    assert after["killed"] == before["killed"] + 1
    assert pid in before["workers"] and pid not in after["workers"] and len(after["workers"]) == 2
    status, _, body = hostile_srv.call("POST", "/v1/check", {"text": "OK thanks"})
    assert (status, body["verdict"]) == (200, "pass")


def test_long_hostile_texts_cannot_take_every_worker(hostile_srv):
    """Four never-ending long texts at once: the one worker that takes long texts is busy and three
    wait in the queue; the express worker still answers short messages and /healthz answers."""
    results = []
    hostile = [threading.Thread(target=lambda: results.append(
        hostile_srv.call("POST", "/v1/check", {"text": "SLOW " + LONG}))) for _ in range(4)]
    for t in hostile:
        t.start()
    wait_until(lambda: stats(hostile_srv)["queued"] >= 3, what="the hostile requests to be queued")
    for _ in range(5):
        status, _, body = hostile_srv.call("POST", "/v1/check", {"text": "OK thanks, mail help@shop.com"})
        assert (status, body["verdict"], [f["code"] for f in body["findings"]]) == (200, "block", ["CE001"])
        assert hostile_srv.call("GET", "/healthz")[::2] == (200, {"status": "ok", "version": __version__})
    assert any(t.is_alive() for t in hostile)  # the hostile ones were still running meanwhile
    for t in hostile:
        t.join(30)
    # each answered "error" at its deadline, whether it was running (killed) or still waiting
    assert [(s, b) for s, _, b in results] == [(503, {"verdict": "error", "error": "the check did not finish within 2 s",
                                                      "version": __version__})] * 4


def test_a_crashed_check_process_is_an_error_and_replaced(hostile_srv, logs):
    before = stats(hostile_srv)
    status, _, body = hostile_srv.call("POST", "/v1/check", {"text": "CRASH"})
    assert (status, body) == (500, {"verdict": "error", "error": "internal error (ProcessExited)",
                                    "version": __version__})
    assert stats(hostile_srv)["died"] == before["died"] + 1
    assert hostile_srv.call("POST", "/v1/check", {"text": "OK thanks"})[0] == 200
    assert "internal error in check: the check's process ended unexpectedly" in logs.messages()


def test_an_exception_in_a_check_is_an_error_without_its_message(hostile_srv, logs):
    status, _, body = hostile_srv.call("POST", "/v1/check", {"text": "Zanzibar-7781 explodes"})
    assert (status, body["verdict"], body["error"]) == (500, "error", "internal error (RuntimeError)")
    assert not any("Zanzibar" in m for m in logs.messages())


def test_the_supervisor_is_restarted_when_it_dies(hostile_srv, logs):
    first = stats(hostile_srv)
    os.kill(first["supervisor"], signal.SIGKILL)
    wait_until(lambda: hostile_srv.call("GET", "/healthz")[0] == 503, what="/healthz to report the outage")
    status, _, body = hostile_srv.call("POST", "/v1/check", {"text": "OK thanks"})
    assert (status, body["verdict"]) == (503, "error")  # never a pass while there is nobody to check
    wait_until(lambda: hostile_srv.call("GET", "/healthz")[0] == 200, seconds=120, what="the restart")
    assert stats(hostile_srv)["supervisor"] != first["supervisor"]
    for pid in first["workers"]:  # the old workers died with their supervisor
        wait_until(lambda: not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2],
                   what=f"worker {pid} to end")
    assert hostile_srv.call("POST", "/v1/check", {"text": "OK thanks"})[::2] == (
        200, {"verdict": "pass", "findings": [], "version": __version__})
    assert "the checking processes ended unexpectedly; restarting them" in logs.messages()


def test_suppressions_never_apply_to_the_service(hostile_srv):
    text = "OK {# msglint: disable-file[CE001] #}\nMail help@shop.com\n"
    status, _, body = hostile_srv.call("POST", "/v1/check", {"text": text})
    assert (status, body["verdict"]) == (200, "block")
    assert [(f["code"], f["line"], f["col"], f["text"]) for f in body["findings"]] == [("CE001", 2, 6, "help@shop.com")]


# --- request bodies -------------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/jsonx",
                                          "application/json; charset=latin-1", "text/json"])
def test_only_application_json_bodies_are_accepted(hostile_srv, content_type):
    headers = {"Content-Type": content_type} if content_type else {"Content-Type": ""}
    body = json.dumps({"text": "OK thanks"}).encode()
    for path in ("/v1/check", "/v1/check/batch"):
        status, _, payload = hostile_srv.call("POST", path, body, headers)
        assert (status, payload) == (415, ERROR_415), (path, content_type)


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=UTF-8",
                                          "Application/JSON ; charset=\"utf-8\""])
def test_application_json_with_or_without_utf8_charset(hostile_srv, content_type):
    status, _, body = hostile_srv.call("POST", "/v1/check", json.dumps({"text": "OK thanks"}).encode(),
                                       {"Content-Type": content_type})
    assert (status, body["verdict"]) == (200, "pass")


@pytest.mark.parametrize("path, body, error", [
    ("/v1/check", b'{"text": "help@x.com", "text": "OK hello"}', "request body: duplicate key 'text'"),
    ("/v1/check", b'{"text": "OK hi", "kind": "message", "kind": "listing"}', "request body: duplicate key 'kind'"),
    ("/v1/check/batch", b'{"items": [{"id": 1, "text": "OK a", "id": 2}]}', "request body: duplicate key 'id'"),
    ("/v1/check/batch", b'{"items": [], "items": [{"id": 1, "text": "a@b.com"}]}',
     "request body: duplicate key 'items'"),
    ("/v1/check/batch", b'{"items": [{"id": NaN, "text": "OK"}]}', "request body: NaN is not valid JSON"),
    ("/v1/check/batch", b'{"items": [{"id": "\\udc00", "text": "OK"}]}',
     "items[0].id: not valid Unicode (lone surrogate)"),
    ("/v1/check", b'{"text": "OK", "kind": ' + b"[" * 100 + b"]" * 100 + b"}",
     "request body: malformed JSON (nested deeper than 64 levels)"),
    ("/v1/check", b'{"text": "OK", "kind": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "request body: malformed JSON (nested deeper than 64 levels)"),
])
def test_ambiguous_or_invalid_json_is_refused(hostile_srv, path, body, error):
    status, _, payload = hostile_srv.call("POST", path, body)
    assert (status, payload) == (422, {"error": error})


def test_a_body_that_does_not_arrive_is_408(hostile_srv):
    with socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"text\": ")
        head, body = _read_response(sock)
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body) == {"error": "the request body did not arrive within 0.5 s"}


# --- connections -----------------------------------------------------------------------------------------

def _read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """(head, body) of one HTTP response read from a raw socket (its body by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, "the connection closed before a response"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(4096)
        assert chunk, "the connection closed within the body"
        body += chunk
    return head, body


def _closed_by_server(sock: socket.socket) -> bool:
    """True when the server closes the connection (EOF or reset) within the socket's timeout."""
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


def test_a_connection_that_sends_nothing_is_closed(hostile_srv):
    with socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10) as sock:
        assert _closed_by_server(sock)


def test_headers_trickled_slowly_are_cut_off(hostile_srv):
    """Slowloris: a header line every 0.2 s keeps the connection busy but never completes a request."""
    with socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for i in range(50):  # 10 s of trickling, ten times the header timeout
            try:
                sock.sendall(f"X-Slow-{i}: y\r\n".encode())
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.2)
        assert closed or _closed_by_server(sock)


def test_an_idle_keep_alive_connection_is_closed(hostile_srv):
    with socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        head, body = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200 ") and json.loads(body)["status"] == "ok"
        assert _closed_by_server(sock)


def test_half_open_connections_past_the_cap_do_not_lock_out_healthz(hostile_srv, logs):
    """300 connections that never send a request against a cap of 64: the longest-waiting ones are
    closed to make room, /healthz and checks still get in, and the log gets one line about it."""
    held = []
    try:
        for _ in range(300):
            held.append(socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10))
        for _ in range(3):
            assert hostile_srv.call("GET", "/healthz")[::2] == (200, {"status": "ok", "version": __version__})
            assert hostile_srv.call("POST", "/v1/check", {"text": "OK thanks"})[0] == 200
        assert len(hostile_srv.server.server_state.connections) <= 64
    finally:
        for sock in held:
            sock.close()
    shed = [m for m in logs.messages() if "open connections: closed" in m]
    assert len(shed) <= 1
    assert not any(r.exc_info for r in logs.records)  # no tracebacks


# --- logs ---------------------------------------------------------------------------------------------------

def test_request_paths_cannot_forge_log_lines_or_reach_the_terminal(hostile_srv, logs):
    raw_paths = [b"/healthz%0AINFO%20msglint.server:%20POST%20/v1/check%20200%201.0ms",
                 b"/%1B[31mred%1B[0m", b"/x%0D%0Ay", b"/%E2%80%AEevil", b"/%C2%85next"]
    for raw in raw_paths:
        with socket.create_connection(("127.0.0.1", hostile_srv.port), timeout=10) as sock:
            sock.sendall(b"GET " + raw + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 404 ")
    time.sleep(0.1)
    lines = [m for m in logs.messages() if m.startswith("GET /")]
    assert lines[-5:] == [
        "GET /healthz\\nINFO msglint.server: POST /v1/check 200 1.0ms 404 " + lines[-5].rsplit(" ", 1)[1],
        "GET /\\x1b[31mred\\x1b[0m 404 " + lines[-4].rsplit(" ", 1)[1],
        "GET /x\\r\\ny 404 " + lines[-3].rsplit(" ", 1)[1],
        "GET /\\u202eevil 404 " + lines[-2].rsplit(" ", 1)[1],
        "GET /\\x85next 404 " + lines[-1].rsplit(" ", 1)[1],
    ]
    for message in logs.messages():
        assert "\n" not in message and "\x1b" not in message and "\r" not in message


def test_the_log_format_writes_every_record_on_one_line():
    """Whatever a library logs (a newline, an escape, a traceback), msglint's format keeps it on one line."""
    formatter = SafeFormatter("%(levelname)s %(name)s: %(message)s")
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "line one\nforged \x1b[2J %s", ("\u2028",),
                                   sys.exc_info())
    out = formatter.format(record)
    assert "\n" not in out and "\x1b" not in out and "\u2028" not in out
    assert out.startswith("ERROR x: line one\\nforged \\x1b[2J \\u2028")


# --- the service's own process ---------------------------------------------------------------------------

def test_the_service_process_does_not_load_spacy():
    """The service only passes texts to its checking processes: spaCy and the pipelines live there."""
    code = "import sys, msglint.server; print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120).stdout.strip() == "False"


def test_fields_are_the_linters():
    from msglint.linter import FIELDS as LINTER_FIELDS
    assert FIELDS == LINTER_FIELDS


def test_a_service_for_some_marketplaces_refuses_the_others(linter):
    """serve --marketplace US --marketplace DE loads only English and German (the memory is in the
    languages' tables) and says so when asked for another marketplace, instead of checking it wrongly."""
    running = _start(create_app(linter=linter, marketplace_codes=["us", "DE", "US"], token="", warm_up=()))
    try:
        assert running.app.state.service.served == ("US", "DE")
        status, _, body = running.call("POST", "/v1/check", {"text": "Hallo", "marketplace": "JP"})
        assert (status, body) == (422, {"error": "marketplace: JP is not checked by this service (it checks US, DE)"})
        status, _, body = running.call("POST", "/v1/check/batch", {"items": [{"id": 1, "text": "x", "marketplace": "FR"}]})
        assert (status, body) == (422, {"error": "items[0].marketplace: FR is not checked by this service "
                                                 "(it checks US, DE)"})
        assert running.call("POST", "/v1/check", {"text": "Hallo", "marketplace": "de"})[0] == 200
    finally:
        running.server.should_exit = True
        running.thread.join(timeout=30)
    with pytest.raises(ValueError, match="name at least one marketplace"):
        create_app(linter=linter, marketplace_codes=[], token="")
