"""The SMTP pre-send gate end to end: smtplib -> gate (aiosmtpd) -> upstream (aiosmtpd), all on loopback."""
from __future__ import annotations

import smtplib
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from msglint.smtpgate import create_gate, parse_address, relay_marketplace

BUYER = "k3v9x2pqrstw8yz@marketplace.amazon.de"
SELLER = "service@vellbyhome.com"


def _mail(body: str, to: str = BUYER) -> bytes:
    return (f"From: Vellby Home <{SELLER}>\r\nTo: {to}\r\nSubject: Re: Ihre Bestellung\r\n"
            f"Date: Tue, 02 Dec 2025 09:14:05 +0100\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}").replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode("utf-8")


CLEAN = _mail("Hallo Frau Krüger,\n\nder Ersatz für Ihre Lampe ist heute verschickt worden.\n"
              "Sendungsnummer: 00340434161234567890\n\nViele Grüße\nIhr Vellby Home Team\n")
WITH_LINK = _mail("Hallo Frau Krüger,\n\ndie Aufbauanleitung finden Sie unter https://vellby-home.de/anleitung.\n\n"
                  "Viele Grüße\nIhr Vellby Home Team\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK upstream"


class FailingLinter:
    def check(self, text, kind="message", **kwargs):
        raise RuntimeError("detector exploded")


@pytest.fixture(scope="module")
def upstream():
    handler = Upstream()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, (controller.hostname, controller.port)
    controller.stop()


def _gate(upstream_addr, linter, **kwargs):
    controller = create_gate(("127.0.0.1", _free_port()), upstream_addr, linter=linter, **kwargs)
    controller.start()
    return controller


@pytest.fixture(scope="module")
def gate(upstream, get_linter):
    controller = _gate(upstream[1], get_linter("DE"))
    yield controller
    controller.stop()
    controller.handler.close()


def _send(controller, raw: bytes, to=BUYER):
    with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as smtp:
        return smtp.sendmail(SELLER, [to], raw)


def test_clean_reply_reaches_the_upstream_byte_identical(gate, upstream):
    handler, _ = upstream
    before = len(handler.received)
    assert _send(gate, CLEAN) == {}
    assert len(handler.received) == before + 1
    mail_from, rcpts, content = handler.received[-1]
    assert (mail_from, rcpts) == (SELLER, [BUYER])
    assert content == CLEAN


def test_reply_with_a_link_is_refused_with_550_naming_cu001(gate, upstream):
    handler, _ = upstream
    before = len(handler.received)
    with pytest.raises(smtplib.SMTPDataError) as err:
        _send(gate, WITH_LINK)
    assert err.value.smtp_code == 550
    reply = err.value.smtp_error.decode()
    assert "5.7.1 msglint gate: not sent, 1 finding to fix" in reply
    assert "line 11:38 CU001 external-link: Remove the link 'https://vellby-home.de/anleitung'" in reply
    assert len(handler.received) == before  # never relayed


def test_failing_check_is_refused_with_451_and_not_relayed(upstream):
    handler, addr = upstream
    controller = _gate(addr, FailingLinter())
    try:
        before = len(handler.received)
        with pytest.raises(smtplib.SMTPDataError) as err:
            _send(controller, CLEAN)
        assert err.value.smtp_code == 451
        assert b"the check failed" in err.value.smtp_error
        assert len(handler.received) == before
    finally:
        controller.stop()
        controller.handler.close()


def test_other_recipients_relayed_unchecked_or_refused(upstream, get_linter):
    handler, addr = upstream
    other = "buyer@example.com"
    relaying = _gate(addr, FailingLinter())  # a mail that is not checked never reaches the checker
    try:
        raw = _mail("see https://vellby-home.de\n", to=other)
        assert _send(relaying, raw, to=other) == {}
        assert handler.received[-1] == (SELLER, [other], raw)
    finally:
        relaying.stop()
        relaying.handler.close()
    refusing = _gate(addr, get_linter("DE"), other="refuse")
    try:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
            _send(refusing, CLEAN, to=other)
        assert err.value.recipients[other][0] == 550
    finally:
        refusing.stop()
        refusing.handler.close()


def test_relay_addresses_and_arguments():
    assert relay_marketplace("abc@marketplace.amazon.co.uk") == "UK"
    assert relay_marketplace("<abc@marketplace.amazon.co.jp>") == "JP"
    assert relay_marketplace("abc@marketplace.amazon.com") == "US"
    assert relay_marketplace("abc@amazon.com") is None
    assert parse_address("127.0.0.1:2525", "--listen") == ("127.0.0.1", 2525)
    assert parse_address("[::1]:25", "--relay") == ("::1", 25)
    with pytest.raises(ValueError, match="--relay: expected HOST:PORT"):
        parse_address("smtp.example.com", "--relay")
