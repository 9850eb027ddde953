"""The SMTP pre-send gate: a mail client or helpdesk sends through it, and mail to Amazon's
relay addresses reaches the upstream server only when msglint finds no error in it.

    msglint smtp-gate --listen 127.0.0.1:2525 --relay smtp.example.com:587

* Mail with a recipient at an Amazon relay address (``…@marketplace.amazon.de`` and the other
  marketplaces' domains) is checked like ``msglint check`` checks an ``.eml``: the seller's text
  only, and the attachments (FM101). The marketplace is the relay address's domain.
* Clean mail (no error finding) is relayed **unchanged**: the exact bytes received, with the
  same envelope sender and recipients.
* Mail with error findings is refused with ``550 5.7.1`` and one reply line per finding
  (line, code, message); it is never relayed.
* If the check itself fails (an exception, the time limit) the mail is refused with ``451 4.3.0``
  (temporary: the client keeps it and retries); it is never relayed unchecked.
* Mail to other addresses is relayed untouched (``--other-recipients relay``, the default) or
  refused at RCPT time (``--other-recipients refuse``).

Nothing of a mail's content is logged: one line per mail with the number of recipients, the
verdict and the finding codes.
"""
from __future__ import annotations

import asyncio
import logging
import re
import smtplib
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

from msglint.inputs import InputError
from msglint.mail import parse_mail_bytes
from msglint.model import Severity

log = logging.getLogger(__name__)

# Amazon's anonymised buyer addresses: <random>@marketplace.amazon.<marketplace domain>
AMAZON_RELAY = re.compile(r"@marketplace\.amazon\.([a-z.]+)>?$", re.IGNORECASE)
DOMAIN_MARKETPLACE = {
    "com": "US", "co.uk": "UK", "ca": "CA", "com.au": "AU", "ie": "IE", "in": "IN", "sg": "SG", "ae": "AE",
    "sa": "SA", "de": "DE", "fr": "FR", "com.be": "BE", "it": "IT", "es": "ES", "com.mx": "MX", "nl": "NL",
    "se": "SE", "pl": "PL", "com.tr": "TR", "com.br": "BR", "co.jp": "JP",
}
OTHER_POLICIES = ("relay", "refuse")
MAX_REPLY_FINDINGS = 10


def relay_marketplace(address: str) -> Optional[str]:
    """The marketplace of an Amazon relay address, None for any other address."""
    m = AMAZON_RELAY.search(address.strip())
    if not m:
        return None
    return DOMAIN_MARKETPLACE.get(m.group(1).lower(), "US")


def _ascii(text: str, limit: int = 400) -> str:
    """SMTP reply text: ASCII, one line, bounded (RFC 5321 allows 512 octets per reply line)."""
    flat = unicodedata.normalize("NFKD", text.replace("\r", " ").replace("\n", " "))
    out = "".join(ch if 32 <= ord(ch) < 127 else ("" if unicodedata.combining(ch) else "?") for ch in flat)
    return out if len(out) <= limit else out[:limit - 3] + "..."


@dataclass
class Verdict:
    ok: bool
    reply: str
    codes: list = field(default_factory=list)


class GateHandler:
    """aiosmtpd handler: RCPT applies the policy for other recipients; DATA checks, then relays or refuses."""

    def __init__(self, linter, relay: tuple[str, int], *, other: str = "relay", timeout: float = 10.0,
                 relay_timeout: float = 30.0, workers: int = 2):
        if other not in OTHER_POLICIES:
            raise ValueError(f"other recipients: {other!r} is not one of {', '.join(OTHER_POLICIES)}")
        self.linter = linter
        self.relay = relay
        self.other = other
        self.timeout = timeout
        self.relay_timeout = relay_timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="msglint-gate")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if relay_marketplace(address) is None and self.other == "refuse":
            return "550 5.7.1 msglint gate: only mail to Amazon relay addresses is accepted here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        started = time.perf_counter()
        raw = envelope.original_content if envelope.original_content is not None else envelope.content
        amazon = [mp for mp in map(relay_marketplace, envelope.rcpt_tos) if mp]
        loop = asyncio.get_running_loop()
        verdict = None
        if amazon:
            try:
                verdict = await asyncio.wait_for(loop.run_in_executor(self.pool, self.check, raw, amazon[0]),
                                                 self.timeout)
            except asyncio.TimeoutError:
                log.warning("mail to %d recipient(s): check exceeded %.1f s; refused (451)",
                            len(envelope.rcpt_tos), self.timeout)
                return "451 4.3.0 msglint gate: the check did not finish in time; not sent, try again later"
            except Exception as exc:  # noqa: BLE001 - never relay what could not be checked
                log.error("mail to %d recipient(s): check failed (%s); refused (451)",
                          len(envelope.rcpt_tos), type(exc).__name__)
                return "451 4.3.0 msglint gate: the check failed; not sent, try again later"
            if not verdict.ok:
                log.info("mail to %d recipient(s): blocked %s (%.0f ms)", len(envelope.rcpt_tos),
                         ",".join(verdict.codes), 1000 * (time.perf_counter() - started))
                return verdict.reply
        try:
            await loop.run_in_executor(self.pool, self._relay, envelope.mail_from, list(envelope.rcpt_tos), raw)
        except smtplib.SMTPResponseException as exc:
            log.warning("upstream refused the mail: %d", exc.smtp_code)
            code = exc.smtp_code if 400 <= exc.smtp_code < 600 else 451
            return f"{code} msglint gate: upstream refused the mail: {_ascii(_text(exc.smtp_error), 300)}"
        except smtplib.SMTPRecipientsRefused as exc:
            log.warning("upstream refused %d recipient(s)", len(exc.recipients))
            code, msg = next(iter(exc.recipients.values()))
            return f"{code} msglint gate: upstream refused the recipients: {_ascii(_text(msg), 300)}"
        except (OSError, smtplib.SMTPException) as exc:
            log.error("upstream %s:%d unreachable (%s); refused (451)", *self.relay, type(exc).__name__)
            return "451 4.4.1 msglint gate: the upstream server could not be reached; not sent, try again later"
        log.info("mail to %d recipient(s): %s, relayed (%.0f ms)", len(envelope.rcpt_tos),
                 "checked" if amazon else "not checked (no Amazon recipient)",
                 1000 * (time.perf_counter() - started))
        return "250 OK: checked by msglint and relayed" if amazon else "250 OK: relayed"

    def check(self, raw: bytes, marketplace: str) -> Verdict:
        """The verdict for one mail. Raises when the mail cannot be checked (the caller answers 451)."""
        try:
            messages = parse_mail_bytes(raw, "<mail>")
        except InputError:
            raise
        errors = []
        for mail in messages:
            report = self.linter.check(mail.text, "message", marketplace=marketplace)
            if report.verdict not in ("pass", "block"):
                raise RuntimeError("the linter returned an unknown verdict")
            findings = mail.remap(report.findings) + mail.attachment_findings()
            errors.extend(f for f in findings if f.severity is Severity.ERROR)
        if not errors:
            return Verdict(True, "250 OK")
        errors.sort(key=lambda f: (f.line, f.col, f.code))
        head = f"5.7.1 msglint gate: not sent, {len(errors)} finding{'s' if len(errors) != 1 else ''} to fix"
        lines = [head] + [_ascii(f"line {f.line}:{f.col} {f.code} {f.name}: {f.message}")
                          for f in errors[:MAX_REPLY_FINDINGS]]
        if len(errors) > MAX_REPLY_FINDINGS:
            lines.append(f"... and {len(errors) - MAX_REPLY_FINDINGS} more (msglint check the .eml for all)")
        reply = "\r\n".join(f"550{'-' if i < len(lines) - 1 else ' '}{'' if i == 0 else '5.7.1 '}{line}"
                            for i, line in enumerate(lines))
        return Verdict(False, reply, sorted({f.code for f in errors}))

    def _relay(self, mail_from: str, rcpt_tos: list, raw: bytes) -> None:
        host, port = self.relay
        with smtplib.SMTP(host, port, timeout=self.relay_timeout) as smtp:
            smtp.ehlo_or_helo_if_needed()
            if smtp.has_extn("starttls") and host not in ("127.0.0.1", "localhost", "::1"):
                smtp.starttls()
                smtp.ehlo()
            smtp.sendmail(mail_from, rcpt_tos, raw)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def parse_address(value: str, what: str) -> tuple[str, int]:
    """HOST:PORT (IPv6 as [::1]:25) -> (host, port); ValueError naming ``what``."""
    m = re.fullmatch(r"\[?([^\[\]]+?)\]?:(\d{1,5})", value.strip())
    if not m or not 0 < int(m.group(2)) < 65536:
        raise ValueError(f"{what}: expected HOST:PORT, got {value!r}")
    return m.group(1), int(m.group(2))


def create_gate(listen: tuple[str, int], relay: tuple[str, int], *, linter=None, other: str = "relay",
                timeout: float = 10.0):
    """An aiosmtpd Controller (not started) running the gate; ``linter`` None builds ``Linter()``."""
    from aiosmtpd.controller import Controller
    if linter is None:
        from msglint import Linter
        linter = Linter()
        linter.check("Hello, thank you for your order.", "message")  # build the pipeline before serving
    handler = GateHandler(linter, relay, other=other, timeout=timeout)
    return Controller(handler, hostname=listen[0], port=listen[1], enable_SMTPUTF8=True,
                      server_hostname="msglint-gate", ident="msglint smtp-gate")


def run_gate(listen: tuple[str, int], relay: tuple[str, int], *, other: str = "relay", timeout: float = 10.0) -> None:
    """Run until SIGINT/SIGTERM."""
    import signal
    import threading
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    controller = create_gate(listen, relay, other=other, timeout=timeout)
    try:
        controller.start()
    except (OSError, RuntimeError) as exc:
        raise RuntimeError(f"the gate could not listen on {listen[0]}:{listen[1]} ({exc})") from None
    log.info("msglint smtp-gate on %s:%d, relaying to %s:%d, other recipients: %s", *listen, *relay, other)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        controller.handler.close()
