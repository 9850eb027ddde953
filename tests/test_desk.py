"""The drafting desk in a real browser (Debian's chromium via playwright), against the service on loopback.

Screenshots of each step go to a temporary directory, or to docs/desk/ with
MSGLINT_UPDATE_SCREENSHOTS=1 (how the README's pictures are made).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser import chromium, start_service
from msglint.server import create_app

REPO = Path(__file__).resolve().parent.parent
BUYER_DE = ("Hallo, meine Stehlampe ist gestern kaputt angekommen, der Glasschirm ist gesprungen. "
            "Was kann ich jetzt tun?\nViele Grüße\nAnna Krüger")
PHONE = "+49 30 12345678"


@pytest.fixture(scope="module")
def service(linter):
    running = start_service(create_app(warm_up=("DE", "US"), token=""))
    yield running
    running.stop()


@pytest.fixture
def shots(tmp_path):
    target = REPO / "docs" / "desk" if os.environ.get("MSGLINT_UPDATE_SCREENSHOTS") == "1" else tmp_path / "shots"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _wait_text(page, selector, pattern, timeout=20000):
    page.wait_for_function(
        "([sel, pat]) => { const el = document.querySelector(sel); return el && new RegExp(pat).test("
        "el.value !== undefined && el.tagName !== 'LI' && el.tagName !== 'DIV' && el.tagName !== 'P' "
        "? el.value : el.textContent); }", arg=[selector, pattern], timeout=timeout)


def test_desk_flow_german_message_keyboard_only(service, shots, tmp_path, get_linter):
    base = service.base
    requests = []
    with chromium(tmp_path / "profile", locale="en-US", viewport={"width": 1200, "height": 1500}) as ctx:
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = ctx.new_page()
        page.on("request", lambda r: requests.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/")  # redirects to the desk
        assert page.url == base + "/desk"
        assert page.locator("html").get_attribute("lang") == "en"
        page.wait_for_function("document.querySelectorAll('#scenario-select option').length > 20")

        # 1. paste the buyer's message (German), keyboard only from here on
        page.focus("#buyer-message")
        page.keyboard.insert_text(BUYER_DE)
        page.screenshot(path=str(shots / "1-buyer-message.png"), full_page=True)

        # 2. suggested scenarios: Tab to the button, Enter
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "suggest-btn"
        page.keyboard.press("Enter")
        page.wait_for_selector("#suggestion-list input[type=radio]")
        first = page.locator("#suggestion-list label").first
        assert first.locator("input").get_attribute("value") == "damaged-photo-request"
        assert "German" in page.text_content("#detected")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "suggestion-0"
        page.keyboard.press("Space")
        page.wait_for_selector("#var-order_id")
        page.screenshot(path=str(shots / "2-suggested-scenario.png"), full_page=True)

        # 3. fill the values: the examples are the hints; the draft is German (the buyer's language)
        assert page.get_attribute("#var-order_id", "placeholder") == "e.g. 302-4471829-5530621"
        assert page.get_attribute("#var-product", "placeholder") == "e.g. 27-Zoll-Monitor"
        values = [("buyer_name", "Anna Krüger"), ("order_id", "302-4471829-5530621"),
                  ("seller_name", "Vellby Home"), ("product", "Stehlampe Lumo")]
        for name, value in values:
            while page.evaluate("document.activeElement.id") != f"var-{name}":
                page.keyboard.press("Tab")
            page.keyboard.type(value)
        _wait_text(page, "#draft", "302-4471829-5530621")
        _wait_text(page, "#verdict", "Clean")
        draft = page.input_value("#draft")
        assert "Stehlampe Lumo" in draft and "Anna" in draft and "Vellby Home" in draft
        assert page.locator("#preview mark").count() == 0
        page.screenshot(path=str(shots / "3-values-and-draft.png"), full_page=True)

        # 4. a phone number typed into a value: highlighted on its exact span, with the explanation
        page.focus("#var-seller_name")
        page.keyboard.press("End")
        page.keyboard.type(f", Tel. {PHONE}")
        page.wait_for_selector("#preview mark.sev-error")
        mark = page.locator("#preview mark.sev-error")
        assert mark.count() == 1 and mark.text_content() == PHONE
        assert mark.get_attribute("data-code") == "CP001"
        finding = page.locator("#findings li.finding").first
        assert f"Remove the phone number '{PHONE}'" in finding.text_content()
        assert "Amazon forbids phone numbers in buyer messages." in finding.text_content()
        assert "Do not send" in page.text_content("#verdict")
        assert page.is_disabled("#copy-btn")
        # the highlight is exactly the finding's span in the draft
        draft = page.input_value("#draft")
        result = get_linter("DE").check(draft, message_type="reply")
        (phone,) = [f for f in result.findings if f.code == "CP001"]
        assert draft[phone.start:phone.end] == PHONE
        page.screenshot(path=str(shots / "4-finding-highlighted.png"), full_page=True)

        # 5. apply the fix with the keyboard
        while "apply-fix" not in (page.evaluate("document.activeElement.className") or ""):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        _wait_text(page, "#verdict", "Clean")
        assert PHONE not in page.input_value("#var-seller_name")
        assert page.locator("#preview mark").count() == 0
        page.screenshot(path=str(shots / "5-fix-applied.png"), full_page=True)

        # 6. copy the clean draft
        while page.evaluate("document.activeElement.id") != "copy-btn":
            page.keyboard.press("Tab")
        # leaving the value field may render the same draft once more: let that settle first
        page.wait_for_load_state("networkidle")
        _wait_text(page, "#verdict", "Clean")
        page.evaluate("window.__clicks = 0; document.getElementById('copy-btn')"
                      ".addEventListener('click', () => { window.__clicks += 1; })")
        page.keyboard.press("Enter")
        # the page always says whether it copied (a clipboard that does not answer falls back after 2 s); the
        # long wait is for a loaded CI machine, where the browser is slow
        _wait_text(page, "#copy-status", "Copied|Could not copy", timeout=60000)
        assert page.evaluate("window.__clicks") == 1
        assert page.text_content("#copy-status") == "Copied to the clipboard."
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.input_value("#draft")
        assert PHONE not in copied and "302-4471829-5530621" in copied
        assert not [f for f in get_linter("DE").check(copied).findings if f.severity.value == "error"]
        page.screenshot(path=str(shots / "6-copied.png"), full_page=True)
        assert errors == []
    # everything came from the service itself: no external resource
    assert requests and all(url.startswith(base + "/") for url in requests), requests


def test_desk_in_chinese_and_free_text_mode(service, tmp_path):
    with chromium(tmp_path / "profile", locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"}) as ctx:
        page = ctx.new_page()
        page.goto(service.base + "/desk")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert page.text_content("h1") == "msglint 回复工作台"
        assert page.text_content("label[for=buyer-message]") == "粘贴买家的消息"
        page.check("input[name=mode][value=free]")
        assert page.is_hidden("#step-buyer")
        assert page.text_content("#draft-label") == "您的回复"
        page.select_option("#marketplace", "US")
        page.focus("#draft")
        page.keyboard.type("Hi Laura, the new lid ships today. Questions? Write to help@vellbyhome.com")
        page.wait_for_selector("#preview mark.sev-error")
        assert page.text_content("#preview mark.sev-error") == "help@vellbyhome.com"
        finding = page.text_content("#findings li.finding")
        assert "亚马逊禁止在买家消息中出现电子邮件地址。" in finding and "[错误]" in finding
        assert "请勿发送" in page.text_content("#verdict")
        # the fix edits the text and the text is checked again
        page.click("#findings .apply-fix")
        _wait_text(page, "#verdict", "没有问题")
        assert "help@vellbyhome.com" not in page.input_value("#draft")
        page.goto(service.base + "/desk?ui=en")
        assert page.text_content("h1") == "msglint drafting desk"
