"""The desk's JSON endpoints and page over real HTTP (no browser)."""
from __future__ import annotations

import http.client
import json

import jsonschema
import pytest

from browser import start_service
from msglint import __version__
from msglint.server import create_app

VALUES = {"buyer_name": "Anna", "order_id": "302-4471829-5530621", "seller_name": "Vellby Home",
          "product": "Stehlampe Lumo"}


@pytest.fixture(scope="module")
def svc(linter):
    running = start_service(create_app(linter=linter, warm_up=(), token=""))
    yield running
    running.stop()


def call(svc, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=60)
    try:
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        raw = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, hdrs, (json.loads(raw) if "json" in hdrs.get("content-type", "") else raw.decode())
    finally:
        conn.close()


def schema_check(svc, name, instance):
    schemas = call(svc, "GET", "/openapi.json")[2]["components"]["schemas"]
    jsonschema.validate(instance, {**schemas[name], "components": {"schemas": schemas}},
                        cls=jsonschema.Draft202012Validator)


def test_templates(svc):
    status, _, body = call(svc, "GET", "/v1/templates")
    assert status == 200 and body["version"] == __version__
    s = next(x for x in body["scenarios"] if x["id"] == "damaged-photo-request")
    order = next(v for v in s["variables"] if v["name"] == "order_id")
    assert order["type"] == "order_id" and order["required"] is True
    assert next(v for v in s["variables"] if v["name"] == "product")["examples"]["de"] == "27-Zoll-Monitor"
    schema_check(svc, "TemplatesResponse", body)


def test_suggest(svc):
    status, _, body = call(svc, "POST", "/v1/suggest", {"text": "Meine Lampe ist kaputt angekommen."})
    assert status == 200
    assert body["lang"] == "de" and body["suggestions"][0]["id"] == "damaged-photo-request"
    assert "kaputt angekommen" in body["suggestions"][0]["reason"]
    schema_check(svc, "SuggestResponse", body)
    assert call(svc, "POST", "/v1/suggest", {"text": "  "})[0] == 422
    assert call(svc, "POST", "/v1/suggest", {"text": "x", "lang": "xx"})[2] == {
        "error": "lang: unknown language 'xx' (one of en, de, fr, es, it, ja)"}
    assert call(svc, "POST", "/v1/suggest", {"text": "x", "top": 0})[0] == 422
    assert call(svc, "POST", "/v1/suggest", {"text": "x", "extra": 1})[0] == 422


def test_draft_pass_block_and_variable_errors(svc):
    status, _, body = call(svc, "POST", "/v1/draft", {"scenario": "damaged-photo-request", "lang": "de",
                                                     "values": VALUES})
    assert status == 200 and body["verdict"] == "pass" and body["marketplace"] == "DE"
    assert "Stehlampe Lumo" in body["text"] and body["findings"] == [] and body["problems"] == []
    schema_check(svc, "DraftResponse", body)
    dirty = {**VALUES, "seller_name": "Vellby Home, Tel. +49 30 12345678"}
    status, _, body = call(svc, "POST", "/v1/draft", {"scenario": "damaged-photo-request", "lang": "de",
                                                     "marketplace": "DE", "values": dirty})
    assert status == 200 and body["verdict"] == "block"
    (f,) = body["findings"]
    assert f["code"] == "CP001" and body["text"][f["start"]:f["end"]] == "+49 30 12345678"
    status, _, body = call(svc, "POST", "/v1/draft", {"scenario": "damaged-photo-request", "lang": "de",
                                                     "values": {**VALUES, "order_id": "12345"}})
    assert status == 422 and body["variable"] == "order_id"
    assert body["error"].startswith("variable order_id: '12345' is not an Amazon order ID")
    schema_check(svc, "VariableError", body)
    status, _, body = call(svc, "POST", "/v1/draft", {"scenario": "nope", "lang": "de", "values": {}})
    assert status == 422 and body["error"].startswith("scenario: unknown scenario 'nope'")
    assert call(svc, "POST", "/v1/draft", {"scenario": "damaged-photo-request", "lang": "de",
                                          "values": {"order_id": 5}})[0] == 422


def test_page_language_headers_and_redirect(svc):
    status, headers, _ = call(svc, "GET", "/")
    assert status == 307 and headers["location"] == "/desk"
    status, headers, html = call(svc, "GET", "/desk", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert status == 200 and '<html lang="zh-Hans">' in html and "msglint 回复工作台" in html
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
    assert headers["cache-control"] == "no-store"
    status, _, html = call(svc, "GET", "/desk?ui=en", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in html and "msglint drafting desk" in html
    # no resource from anywhere else
    assert "http://" not in html.replace(f"http://127.0.0.1:{svc.port}", "") and "https://" not in html
    status, headers, js = call(svc, "GET", "/desk/desk.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and "fetch(" in js
    assert call(svc, "GET", "/desk/../server.py")[0] == 404
    assert call(svc, "GET", "/desk/nope.js")[0] == 404
