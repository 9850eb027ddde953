"""CORS (--allow-origin) and the JavaScript examples of docs/service.md, run as written:
presend.mjs + check.mjs with node, helpdesk.html in chromium from a second origin on loopback."""
from __future__ import annotations

import functools
import http.client
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from browser import chromium, start_service
from msglint.server import create_app, validate_origins

REPO = Path(__file__).resolve().parent.parent
TOKEN = "cors-test-token"
DIRTY = "Hi Laura, please write to help@vellbyhome.com about the lid."


def doc_example(name: str) -> str:
    text = (REPO / "docs" / "service.md").read_text("utf-8")
    m = re.search(r"<!-- example: " + re.escape(name) + r" -->\n```\w*\n(.*?)```", text, re.DOTALL)
    assert m, f"docs/service.md has no example {name}"
    return m.group(1)


@pytest.fixture(scope="module")
def helpdesk_site(tmp_path_factory):
    """A second origin: a static server on another loopback port serving the docs' page and module."""
    root = tmp_path_factory.mktemp("helpdesk")
    (root / "presend.mjs").write_text(doc_example("presend.mjs"), "utf-8")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def cors_service(linter, helpdesk_site):
    _, origin = helpdesk_site
    running = start_service(create_app(linter=linter, warm_up=(), token=TOKEN, allow_origins=[origin]))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def plain_service(linter):
    running = start_service(create_app(linter=linter, warm_up=(), token=TOKEN))
    yield running
    running.stop()


def _request(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def test_cors_headers_only_for_the_allowed_origin(cors_service, plain_service, helpdesk_site):
    _, origin = helpdesk_site
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    status, headers = _request(cors_service.port, "OPTIONS", "/v1/check", preflight)
    assert status == 200  # no token needed for the preflight itself
    assert headers["access-control-allow-origin"] == origin
    assert "POST" in headers["access-control-allow-methods"]
    assert "authorization" in headers["access-control-allow-headers"].lower()
    body = json.dumps({"text": DIRTY})
    status, headers = _request(cors_service.port, "POST", "/v1/check",
                               {"Origin": origin, "Content-Type": "application/json",
                                "Authorization": f"Bearer {TOKEN}"}, body)
    assert status == 200 and headers["access-control-allow-origin"] == origin
    # another origin, and a service without --allow-origin: no CORS headers
    status, headers = _request(cors_service.port, "POST", "/v1/check",
                               {"Origin": "http://evil.example", "Content-Type": "application/json",
                                "Authorization": f"Bearer {TOKEN}"}, body)
    assert "access-control-allow-origin" not in headers
    status, headers = _request(plain_service.port, "OPTIONS", "/v1/check", preflight)
    assert "access-control-allow-origin" not in headers


def test_origin_validation():
    assert validate_origins(["https://helpdesk.example.com/", "http://127.0.0.1:8000", "*"]) == (
        "https://helpdesk.example.com", "http://127.0.0.1:8000", "*")
    with pytest.raises(ValueError, match="expected an origin"):
        validate_origins(["helpdesk.example.com"])
    with pytest.raises(ValueError, match="expected an origin"):
        validate_origins(["https://helpdesk.example.com/app"])


def test_node_example(cors_service, tmp_path):
    node = shutil.which("node")
    assert node, "node is needed for the Node example"
    (tmp_path / "presend.mjs").write_text(doc_example("presend.mjs"), "utf-8")
    (tmp_path / "check.mjs").write_text(doc_example("check.mjs"), "utf-8")
    env = {"PATH": "/usr/bin:/bin", "MSGLINT_URL": cors_service.base, "MSGLINT_TOKEN": TOKEN}
    blocked = subprocess.run([node, "check.mjs", DIRTY], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=60)
    assert blocked.returncode == 1, blocked.stderr
    assert "1:27 CE001 Remove the e-mail address 'help@vellbyhome.com'" in blocked.stdout
    assert "do not send (block)" in blocked.stdout
    clean = subprocess.run([node, "check.mjs", "Hi Laura, the new lid ships today."], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert (clean.returncode, clean.stdout.strip()) == (0, "send")
    no_token = subprocess.run([node, "check.mjs", "Hi Laura."], cwd=tmp_path, env={**env, "MSGLINT_TOKEN": ""},
                              capture_output=True, text=True, timeout=60)
    assert no_token.returncode == 1 and "missing or invalid bearer token" in no_token.stdout


def _page(site_root: Path, service_base: str, name: str) -> str:
    """The docs' page pointed at ``service_base``, saved as ``name`` (a new name: no cached copy)."""
    page = doc_example("helpdesk.html")
    page = page.replace('{url: "http://127.0.0.1:8080", token: null}', json.dumps({"url": service_base, "token": TOKEN}))
    assert service_base in page
    (site_root / name).write_text(page, "utf-8")
    return name


def test_browser_example_from_another_origin(cors_service, plain_service, helpdesk_site, tmp_path):
    root, origin = helpdesk_site
    with chromium(tmp_path / "profile") as ctx:
        page = ctx.new_page()
        page.goto(origin + "/" + _page(root, cors_service.base, "helpdesk.html"))
        page.fill("#reply", DIRTY)
        page.click("#send")
        page.wait_for_function("document.getElementById('status').textContent !== ''")
        assert page.text_content("#status") == "not sent: block"
        assert page.text_content("#findings li").startswith("CE001: Remove the e-mail address 'help@vellbyhome.com'")
        page.fill("#reply", "Hi Laura, the new lid ships today.")
        page.click("#send")
        page.wait_for_function("document.getElementById('status').textContent === 'sent'")

        # the same page against a service started without --allow-origin: the browser blocks the answer
        page.goto(origin + "/" + _page(root, plain_service.base, "helpdesk-no-cors.html"))
        page.fill("#reply", "Hi Laura, the new lid ships today.")
        page.click("#send")
        page.wait_for_function("document.getElementById('status').textContent !== ''")
        assert page.text_content("#status").startswith("not sent: msglint unavailable")
