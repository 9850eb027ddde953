"""The pre-send HTTP service over real HTTP: uvicorn on 127.0.0.1 with an ephemeral port."""
from __future__ import annotations

import asyncio
import http.client
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass

import pytest

from msglint import __version__
from msglint.model import CATEGORIES
from msglint.rules import ALL_RULES
from msglint.server import DEFAULT_MAX_BODY, build_server, create_app

DIRTY = "Hi Laura,\nplease email help@vellbyhome.com or call (415) 555-0171.\n"
CLEAN = "Hi Laura,\nyour replacement ships today with UPS 1Z8V92E40312457786.\n"
EMAIL_FINDING = {
    "code": "CE001", "name": "email-address", "category": "contact.email", "severity": "error",
    "start": 23, "end": 42, "line": 2, "col": 14, "end_line": 2, "end_col": 33,
    "text": "help@vellbyhome.com",
    "message": "Remove the e-mail address 'help@vellbyhome.com': buyers must be contacted only through "
               "Buyer-Seller Messaging.",
    "fix": {"replacement": "If you have any questions, please reply to this message.", "safe": False,
            "start": 10, "end": 66},
    "suppress": "{# msglint: ignore[CE001] reason #}",
}
TOKEN = "s3cr3t-token-for-tests"
SECRET = "Zanzibar-7781 private note: call Ms Quenby at 0207 946 0321"  # must never reach a log


@dataclass
class Running:
    app: object
    server: object
    thread: threading.Thread
    port: int

    def call(self, method: str, path: str, body=None, headers=None, *, chunked: bool = False):
        """(status, headers, parsed JSON body) over a fresh connection; a body is sent as
        application/json unless ``headers`` name a Content-Type."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            conn.request(method, path, body=body, headers=headers, encode_chunked=chunked)
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, json.loads(raw)
        finally:
            conn.close()


def _start(app) -> Running:
    server = build_server(app, "127.0.0.1", 0)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server did not start within 120 s"
        time.sleep(0.02)
    return Running(app, server, thread, sock.getsockname()[1])


def _stop(running: Running) -> None:
    running.server.should_exit = True
    running.thread.join(timeout=30)


@pytest.fixture(scope="session")
def srv():
    """The default construction path: the lifespan builds the Linter; no token."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MSGLINT_TOKEN", raising=False)
        app = create_app(warm_up=("US", "DE"))
    running = _start(app)
    yield running
    _stop(running)


@pytest.fixture(scope="session")
def token_srv(linter):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MSGLINT_TOKEN", TOKEN)
        app = create_app(linter=linter, warm_up=())
    running = _start(app)
    yield running
    _stop(running)


@pytest.fixture(scope="session")
def faulty_srv():
    """Checks in processes built by tests/service_doubles.FaultyLinter, with a 0.3 s time limit."""
    from service_doubles import FaultyLinter
    running = _start(create_app(linter_factory=FaultyLinter, timeout=0.3, token="", warm_up=()))
    yield running
    _stop(running)


# --- check -------------------------------------------------------------------------------------

def test_pass(srv):
    status, headers, body = srv.call("POST", "/v1/check", {"text": CLEAN})
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert body == {"verdict": "pass", "findings": [], "version": __version__}


def test_block_with_exact_findings(srv, linter):
    status, _, body = srv.call("POST", "/v1/check", {"text": DIRTY, "kind": "message", "marketplace": "US"})
    assert status == 200
    assert set(body) == {"verdict", "findings", "version"}
    assert body["verdict"] == "block"
    assert body["version"] == __version__
    assert body["findings"][0] == EMAIL_FINDING
    assert [f["code"] for f in body["findings"]] == ["CE001", "CP001"]
    # the same JSON as the Python API's Finding.to_dict (docs/wire-schema.md)
    assert body["findings"] == [f.to_dict() for f in linter.check(DIRTY).findings]


def test_explain_lang_zh_gives_chinese_messages_with_the_same_findings(srv):
    """A helpdesk used by a Chinese-speaking team asks for the messages in Chinese; nothing else changes."""
    status, _, body = srv.call("POST", "/v1/check", {"text": DIRTY, "explain_lang": "zh"})
    assert status == 200 and body["verdict"] == "block"
    english = srv.call("POST", "/v1/check", {"text": DIRTY, "explain_lang": "en"})[2]
    assert english["findings"][0] == EMAIL_FINDING
    assert [{**f, "message": None} for f in body["findings"]] == [{**f, "message": None} for f in english["findings"]]
    assert body["findings"][0]["message"] == "删除电子邮箱地址“help@vellbyhome.com”：只能通过买家与卖家消息服务联系买家。"
    assert body["findings"][1]["message"].startswith("删除电话号码“(415) 555-0171”")
    status, _, batch = srv.call("POST", "/v1/check/batch", {"items": [
        {"id": "zh", "text": DIRTY, "explain_lang": "zh"}, {"id": "en", "text": DIRTY}]})
    assert status == 200
    assert batch["results"][0]["findings"] == body["findings"]
    assert batch["results"][1]["findings"][0] == EMAIL_FINDING


def test_marketplace_listing_field_and_message_type(srv, linter):
    status, _, body = srv.call("POST", "/v1/check", {"text": "Bitte schreiben Sie an hilfe@laden.de",
                                                     "marketplace": "de"})
    assert (status, body["verdict"], [f["code"] for f in body["findings"]]) == (200, "block", ["CE001"])

    title = "Best price guaranteed! #1 bestseller, 100% free shipping"
    status, _, body = srv.call("POST", "/v1/check", {"text": title, "kind": "listing", "field": "title"})
    expected = linter.check(title, "listing", field="title")
    assert status == 200
    assert body == {"verdict": expected.verdict, "findings": [f.to_dict() for f in expected.findings],
                    "version": __version__}

    text = "Hi Laura, thanks for your order!"
    status, _, body = srv.call("POST", "/v1/check", {"text": text, "message_type": "reply", "field": None})
    expected = linter.check(text, message_type="reply")
    assert status == 200
    assert body["findings"] == [f.to_dict() for f in expected.findings]


# --- 413 ---------------------------------------------------------------------------------------

def _padded(limit: int) -> bytes:
    """A valid request of exactly ``limit`` bytes (JSON allows trailing whitespace)."""
    body = json.dumps({"text": CLEAN}).encode()
    return body + b" " * (limit - len(body))


def test_body_at_the_limit_is_accepted(srv):
    status, _, body = srv.call("POST", "/v1/check", _padded(DEFAULT_MAX_BODY))
    assert (status, body["verdict"]) == (200, "pass")


def test_413_by_content_length(srv):
    status, _, body = srv.call("POST", "/v1/check", _padded(DEFAULT_MAX_BODY + 1))
    assert status == 413
    assert body == {"error": f"request body larger than {DEFAULT_MAX_BODY} bytes"}


def test_413_by_bytes_read_in_a_chunked_upload(srv):
    chunks = [b'{"text": "'] + [b"a" * 8192] * 40 + [b'"}']  # 320 KiB, no Content-Length
    status, _, body = srv.call("POST", "/v1/check", iter(chunks), chunked=True)
    assert status == 413
    assert body == {"error": f"request body larger than {DEFAULT_MAX_BODY} bytes"}


def test_small_chunked_upload_is_accepted(srv):
    chunks = [b'{"text": ', json.dumps(DIRTY).encode(), b"}"]
    status, _, body = srv.call("POST", "/v1/check", iter(chunks), chunked=True)
    assert (status, body["verdict"], body["findings"][0]) == (200, "block", EMAIL_FINDING)


def test_413_on_batch(srv):
    status, _, body = srv.call("POST", "/v1/check/batch", _padded(DEFAULT_MAX_BODY + 1))
    assert (status, body) == (413, {"error": f"request body larger than {DEFAULT_MAX_BODY} bytes"})


def test_custom_limit_server(linter):
    running = _start(create_app(linter=linter, max_body=1024, token="", warm_up=()))
    try:
        assert running.call("POST", "/v1/check", _padded(1024))[0] == 200
        assert running.call("POST", "/v1/check", _padded(1025))[:3:2] == (
            413, {"error": "request body larger than 1024 bytes"})
    finally:
        _stop(running)


# --- 422 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, error", [
    (b'{"text": "hello"', "request body: malformed JSON (Expecting ',' delimiter at column 17)"),
    (b"", "request body: empty (expected a JSON object)"),
    (b"\xff\xfe\x00", "request body: malformed JSON (UnicodeDecodeError)"),
    (b'["text"]', "request body: expected a JSON object"),
    (b'{"kind": "message"}', "text: required"),
    (b'{"text": 42}', "text: expected a string"),
    (b'{"text": null}', "text: expected a string"),
    (b'{"text": "\\ud800"}', "text: not valid Unicode (lone surrogate)"),
    (b'{"text": "hi", "kind": 1}', "kind: expected a string"),
    (b'{"text": "hi", "kind": "tweet"}', "kind: unknown kind 'tweet' (one of message, listing, appeal)"),
    (b'{"text": "hi", "marketplace": "XX"}',
     "marketplace: unknown marketplace 'XX' (one of US, UK, CA, AU, IE, IN, SG, AE, SA, DE, FR, BE, IT, ES, "
     "MX, NL, SE, PL, TR, BR, JP)"),
    (b'{"text": "hi", "marketplace": ["US"]}', "marketplace: expected a string"),
    (b'{"text": "hi", "kind": "listing", "field": "body"}',
     "field: unknown field 'body' (one of title, bullet, description, search_terms)"),
    (b'{"text": "hi", "field": "title"}', "field: applies only to kind 'listing'"),
    (b'{"text": "hi", "message_type": "chat"}',
     "message_type: unknown message type 'chat' (one of reply, unexpectedProblem, confirmDeliveryDetails, "
     "confirmOrderDetails, confirmCustomizationDetails, digitalAccessKey, invoice, warranty, solicitation, "
     "feedbackNote)"),
    (b'{"text": "hi", "marketplce": "DE"}',
     "marketplce: unknown key (allowed: explain_lang, field, kind, marketplace, message_type, text)"),
    (b'{"text": "hi", "explain_lang": "de"}', "explain_lang: unknown language 'de' (one of en, zh)"),
])
def test_422(srv, body, error):
    status, headers, payload = srv.call("POST", "/v1/check", body, {"Content-Type": "application/json"})
    assert status == 422
    assert headers["content-type"] == "application/json"
    assert payload == {"error": error}


@pytest.mark.parametrize("body, error", [
    ({"texts": []}, "texts: unknown key (allowed: items)"),
    ({}, "items: required"),
    ({"items": {"id": 1}}, "items: expected an array"),
    ({"items": [{"text": "hi"}]}, "items[0].id: required"),
    ({"items": ["hi"]}, "items[0]: expected a JSON object"),
    ({"items": [{"id": True, "text": "hi"}]}, "items[0].id: expected a string or an integer"),
    ({"items": [{"id": "a", "text": "hi"}, {"id": "b", "text": "hi", "kind": "tweet"}]},
     "items[1].kind: unknown kind 'tweet' (one of message, listing, appeal)"),
    ({"items": [{"id": i, "text": "hi"} for i in range(1001)]}, "items: at most 1000 items per batch (got 1001)"),
])
def test_batch_422(srv, body, error):
    status, _, payload = srv.call("POST", "/v1/check/batch", body)
    assert (status, payload) == (422, {"error": error})


def test_404_and_405_are_json(srv):
    assert srv.call("GET", "/v1/nothing")[::2] == (404, {"error": "Not Found"})
    status, headers, body = srv.call("GET", "/v1/check")
    assert (status, headers["allow"], body) == (405, "POST", {"error": "Method Not Allowed"})


# --- batch -------------------------------------------------------------------------------------

def test_batch(srv, linter):
    items = [{"id": "a", "text": CLEAN}, {"id": 7, "text": DIRTY},
             {"id": "c", "text": "Bitte schreiben Sie an hilfe@laden.de", "marketplace": "DE"}]
    status, _, body = srv.call("POST", "/v1/check/batch", {"items": items})
    assert status == 200
    assert body == {"results": [
        {"id": "a", "verdict": "pass", "findings": []},
        {"id": 7, "verdict": "block", "findings": [f.to_dict() for f in linter.check(DIRTY).findings]},
        {"id": "c", "verdict": "block", "findings": [
            f.to_dict() for f in linter.check(items[2]["text"], marketplace="DE").findings]},
    ], "version": __version__}


def test_batch_bounds(srv):
    assert srv.call("POST", "/v1/check/batch", {"items": []})[::2] == (200, {"results": [], "version": __version__})
    items = [{"id": i, "text": "ok"} for i in range(1000)]
    status, _, body = srv.call("POST", "/v1/check/batch", {"items": items})
    assert status == 200
    assert [r["id"] for r in body["results"]] == list(range(1000))


# --- rules, categories, health, OpenAPI ------------------------------------------------------------

def test_rules(srv):
    status, _, body = srv.call("GET", "/v1/rules")
    assert status == 200
    assert set(body) == {"rules", "version"}
    assert len(body["rules"]) == len(ALL_RULES)
    first = ALL_RULES[0]
    assert body["rules"][0] == {"code": first.code, "name": first.name, "category": first.category,
                                "kinds": sorted(first.kinds), "severity": first.severity.value,
                                "summary": first.summary}
    assert body["rules"][0]["code"] == "CE001"
    assert all(set(r) == {"code", "name", "category", "kinds", "severity", "summary"} for r in body["rules"])


def test_categories(srv):
    assert srv.call("GET", "/v1/categories")[::2] == (200, {"categories": list(CATEGORIES), "version": __version__})


def test_healthz(srv):
    assert srv.call("GET", "/healthz")[::2] == (200, {"status": "ok", "version": __version__})


def pool_stats(running) -> dict:
    """The checking processes' state, asked of the supervisor from a private event loop."""
    return asyncio.run(running.app.state.service.processes.stats())


def test_linter_built_once_at_start_up(srv):
    """One supervisor builds the Linter before the first request; its workers are forks of it and
    stay the same processes from request to request."""
    service = srv.app.state.service
    assert service.linter is None and service.processes.ready
    before = pool_stats(srv)
    srv.call("POST", "/v1/check", {"text": DIRTY})
    srv.call("POST", "/v1/check", {"text": CLEAN, "marketplace": "DE"})
    after = pool_stats(srv)
    assert (after["supervisor"], after["workers"], after["forked"]) == (before["supervisor"], before["workers"], 2)


def test_openapi(srv):
    status, _, doc = srv.call("GET", "/openapi.json")
    assert status == 200
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == __version__
    assert set(doc["paths"]) == {"/v1/check", "/v1/check/batch", "/v1/rules", "/v1/categories", "/healthz",
                                 "/openapi.json", "/v1/templates", "/v1/suggest", "/v1/draft", "/desk"}
    assert set(doc["paths"]["/v1/check"]["post"]["responses"]) == {"200", "401", "408", "413", "415", "422", "500",
                                                                   "503"}
    # every $ref resolves
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].rsplit("/", 1)[1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(doc)
    assert refs <= set(doc["components"]["schemas"])
    import openapi_spec_validator as validator
    validator.validate(doc)


def test_openapi_schema_matches_responses(srv):
    import jsonschema
    doc = srv.call("GET", "/openapi.json")[2]
    schemas = doc["components"]["schemas"]

    def check(name, instance):
        jsonschema.validate(instance, {**schemas[name], "components": {"schemas": schemas}},
                            cls=jsonschema.Draft202012Validator)
    check("CheckResponse", srv.call("POST", "/v1/check", {"text": DIRTY})[2])
    check("BatchResponse", srv.call("POST", "/v1/check/batch", {"items": [{"id": 1, "text": DIRTY}]})[2])
    check("RulesResponse", srv.call("GET", "/v1/rules")[2])
    check("CategoriesResponse", srv.call("GET", "/v1/categories")[2])
    check("Health", srv.call("GET", "/healthz")[2])
    check("Error", srv.call("POST", "/v1/check", b"{")[2])
    check("CheckRequest", {"text": "x", "kind": "listing", "field": "title", "marketplace": "DE"})


# --- token -------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "}, {"Authorization": "Bearer \u00e9"},
])
def test_token_required(token_srv, headers):
    for method, path, body in [("POST", "/v1/check", {"text": DIRTY}), ("POST", "/v1/check/batch", {"items": []}),
                               ("GET", "/v1/rules", None), ("GET", "/v1/categories", None)]:
        encoded = {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
        status, resp_headers, payload = token_srv.call(method, path, body, encoded)
        assert status == 401, path
        assert payload == {"error": "missing or invalid bearer token"}
        assert resp_headers["www-authenticate"] == 'Bearer realm="msglint"'


def test_token_accepted(token_srv):
    for scheme in ("Bearer", "bearer"):
        status, _, body = token_srv.call("POST", "/v1/check", {"text": DIRTY},
                                         {"Authorization": f"{scheme} {TOKEN}"})
        assert (status, body["verdict"], body["findings"][0]) == (200, "block", EMAIL_FINDING)
    assert token_srv.call("GET", "/v1/rules", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200


def test_token_leaves_health_and_openapi_open(token_srv):
    assert token_srv.call("GET", "/healthz")[::2] == (200, {"status": "ok", "version": __version__})
    assert token_srv.call("GET", "/openapi.json")[0] == 200


def test_empty_token_variable_is_refused(monkeypatch):
    monkeypatch.setenv("MSGLINT_TOKEN", "  ")
    with pytest.raises(ValueError, match="MSGLINT_TOKEN is set but empty"):
        create_app(warm_up=())


# --- failures are "error", never "pass" --------------------------------------------------------------

def test_internal_error_is_500_error_verdict(faulty_srv):
    status, _, body = faulty_srv.call("POST", "/v1/check", {"text": "anything"})
    assert status == 500
    assert body == {"verdict": "error", "error": "internal error (RuntimeError)", "version": __version__}


def test_timeout_is_503_error_verdict(faulty_srv):
    started = time.monotonic()
    status, headers, body = faulty_srv.call("POST", "/v1/check", {"text": "SLOW please"})
    assert time.monotonic() - started < 5
    assert status == 503
    assert headers["retry-after"] == "1"
    assert body == {"verdict": "error", "error": "the check did not finish within 0.3 s", "version": __version__}


def test_batch_with_a_failing_item_is_500_error(faulty_srv):
    items = [{"id": 1, "text": "OK thanks"}, {"id": 2, "text": "boom"}, {"id": 3, "text": "OK email a@b.com"}]
    status, _, body = faulty_srv.call("POST", "/v1/check/batch", {"items": items})
    assert status == 500
    assert set(body) == {"verdict", "error", "results", "version"}
    assert (body["verdict"], body["error"]) == ("error", "1 of 3 items could not be checked")
    assert body["results"][0] == {"id": 1, "verdict": "pass", "findings": []}
    assert body["results"][1] == {"id": 2, "verdict": "error", "findings": [],
                                  "error": "internal error (RuntimeError)"}
    assert (body["results"][2]["id"], body["results"][2]["verdict"]) == (3, "block")


def test_batch_with_a_slow_item_is_503_error(faulty_srv):
    items = [{"id": "a", "text": "OK thanks"}, {"id": "b", "text": "SLOW"}, {"id": "c", "text": "OK thanks"}]
    status, _, body = faulty_srv.call("POST", "/v1/check/batch", {"items": items})
    assert status == 503
    assert body == {"verdict": "error", "error": "2 of 3 items could not be checked", "version": __version__,
                    "results": [
                        {"id": "a", "verdict": "pass", "findings": []},
                        {"id": "b", "verdict": "error", "findings": [],
                         "error": "the check did not finish within 0.3 s"},
                        {"id": "c", "verdict": "error", "findings": [],
                         "error": "not checked: an earlier item exceeded the time limit"},
                    ]}


def test_a_broken_marketplace_answers_error_not_pass():
    """Whatever makes a check raise (here: any exception in the pipeline) must not read as a pass,
    also with checks in threads of the service's own process (a linter object passed in)."""
    class Exploding:
        def check(self, *args, **kwargs):
            raise KeyError("simulated")
    running = _start(create_app(linter=Exploding(), token="", warm_up=()))
    try:
        status, _, body = running.call("POST", "/v1/check", {"text": CLEAN})
    finally:
        _stop(running)
    assert (status, body) == (500, {"verdict": "error", "error": "internal error (KeyError)", "version": __version__})


# --- logs --------------------------------------------------------------------------------------

class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = f"{record.levelname} {record.name} {record.getMessage()}"
        self.lines.append(text + (self.formatException(record.exc_info) if record.exc_info else ""))


@pytest.fixture
def captured_logs(srv, token_srv, faulty_srv):
    """A handler on every logger the servers write to (added after they were configured)."""
    handler = _Capture()
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "msglint", "msglint.server"]
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler.lines
    for name in names:
        logging.getLogger(name).removeHandler(handler)


def test_message_text_never_logged(srv, token_srv, faulty_srv, captured_logs):
    secret = SECRET
    srv.call("POST", "/v1/check", {"text": secret})
    srv.call("POST", "/v1/check?text=" + "Zanzibar-7781", {"text": secret})
    srv.call("POST", "/v1/check/batch", {"items": [{"id": 1, "text": secret}]})
    srv.call("POST", "/v1/check", json.dumps({"text": secret}).encode()[:-1])          # malformed JSON
    srv.call("POST", "/v1/check", {"text": secret, "kind": "Zanzibar-7781"})           # 422 quoting a value
    token_srv.call("POST", "/v1/check", {"text": secret}, {"Authorization": "Bearer Zanzibar-7781"})
    faulty_srv.call("POST", "/v1/check", {"text": secret})                              # exception quoting the text
    faulty_srv.call("POST", "/v1/check", {"text": "SLOW " + secret})                    # timeout
    # a body sent raw although chunked was declared: h11's error quotes the "chunk header" line
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n"
                     + json.dumps({"text": secret}).encode() + b"\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 400 ")
    time.sleep(0.1)
    log = "\n".join(captured_logs)
    assert "Zanzibar" not in log
    assert "Quenby" not in log and "0207 946 0321" not in log
    # what is logged: method, path, status, duration
    for line in ("POST /v1/check 200 ", "POST /v1/check/batch 200 ", "POST /v1/check 422 ", "POST /v1/check 401 ",
                 "POST /v1/check 500 ", "POST /v1/check 503 "):
        assert line in log, line
    assert "internal error in check: RuntimeError at " in log
    assert "WARNING uvicorn.error Invalid HTTP request received." in log
    assert "POST /v1/check 400 " in log  # the malformed body's request: a client error, not a 500


def test_uvicorn_exception_messages_are_redacted():
    """uvicorn.error records with an exception keep its type and frames, not its message."""
    from msglint.server import LOG_CONFIG
    redact = LOG_CONFIG["filters"]["redact_exceptions"]["()"]()
    try:
        raise ValueError("illegal chunk header: " + SECRET)
    except ValueError as exc:
        record = logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, "Invalid HTTP request %s", ("x",),
                                   (type(exc), exc, exc.__traceback__))
    assert redact.filter(record) is True
    assert record.exc_info is None
    assert record.getMessage().startswith("Invalid HTTP request x [ValueError at test_server.py:")
    assert "Zanzibar" not in record.getMessage()
    drop = LOG_CONFIG["filters"]["drop_all"]["()"]()
    assert drop.filter(record) is False


def test_serve_reports_a_port_in_use(monkeypatch, linter):
    import msglint.server as server_module
    real_create_app = server_module.create_app
    monkeypatch.setattr(server_module, "create_app",
                        lambda **kw: real_create_app(linter=linter, token="", warm_up=(), **kw))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        with pytest.raises(RuntimeError, match=r"could not start on 127\.0\.0\.1:\d+"):
            server_module.serve("127.0.0.1", busy.getsockname()[1], max_body=1000, timeout=1.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"max_body": 0}, "max_body must be at least 1 byte"),
    ({"timeout": 0}, "timeout must be positive"),
    ({"max_batch": 0}, "max_batch and workers must be at least 1"),
    ({"warm_up": ["XX"]}, "unknown marketplace 'XX'"),
])
def test_create_app_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        create_app(token="", **kwargs)


def test_a_hanging_check_does_not_hold_up_the_others(faulty_srv):
    """Two checking processes: while one hangs (until its time limit), other requests are answered."""
    hanging = threading.Thread(target=faulty_srv.call, args=("POST", "/v1/check", {"text": "SLOW"}))
    hanging.start()
    try:
        time.sleep(0.05)
        started = time.monotonic()
        status, _, body = faulty_srv.call("POST", "/v1/check", {"text": "OK thanks"})
        assert (status, body) == (200, {"verdict": "pass", "findings": [], "version": __version__})
        assert time.monotonic() - started < 0.3
    finally:
        hanging.join(timeout=10)


def test_appeal_kind_is_checked_with_the_appeal_rules(srv, linter):
    text = "We are sorry. Your system is unfair and this will never happen again."
    status, _, body = srv.call("POST", "/v1/check", {"text": text, "kind": "appeal"})
    assert status == 200 and body["verdict"] == "block"
    assert [f["code"] for f in body["findings"]] == ["AS001", "AS002", "AS003", "AT001", "AV002"]
    assert body["findings"] == [f.to_dict() for f in linter.check(text, kind="appeal").findings]
