"""E-mail files: only the seller's text is checked, findings at the file's line and column."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint.cli import main
from msglint.inputs import InputError
from msglint.mail import parse_mail_bytes, read_mail_file

MAIL = Path(__file__).resolve().parent / "data" / "mail"


def _check(*args):
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-config", *args])
    return result, json.loads(result.stdout) if result.stdout.startswith("{") else None


def _where(doc):
    return [(f["code"], f["line"], f["col"], f["end_line"], f["end_col"], f["text"])
            for r in doc["results"] for f in r["findings"]]


def test_plain_mail_checks_only_the_sellers_text():
    """Headers (the relay address), the "Am ... schrieb" line and the quoted buyer text with her
    phone number, e-mail address and signature are not checked; the seller's phone number is,
    at its line in the file."""
    result, doc = _check("-m", "DE", str(MAIL / "plain.eml"))
    assert result.exit_code == 1
    assert _where(doc) == [("CP001", 14, 35, 14, 47, "030 12345678")]
    lines = (MAIL / "plain.eml").read_text("utf-8").split("\n")
    assert lines[13][34:46] == "030 12345678"
    assert doc["results"][0]["mail"] == {"first_line": 1, "attachments": []}


def test_html_only_mail_quoted_printable_with_link_targets():
    """The HTML part converted to text; a soft line break inside the link text, and a mailto: link
    behind the words "Write to us" (its target is sent, so it is checked); the Gmail quote with the
    buyer's phone number and site is not."""
    result, doc = _check("-m", "US", str(MAIL / "html-only.eml"))
    assert result.exit_code == 1
    assert _where(doc) == [
        ("CU001", 13, 74, 14, 21, "vellby-home.com/assembly"),
        ("CE001", 15, 33, 15, 52, "help@vellbyhome.com"),
    ]
    lines = (MAIL / "html-only.eml").read_text("utf-8").split("\n")
    assert lines[12][73:] == "vell="
    assert lines[13][:20] == "by-home.com/assembly"
    assert lines[14][32:51] == "help@vellbyhome.com"


def test_multipart_mail_with_quoted_message_and_attachments():
    result, doc = _check("-m", "UK", str(MAIL / "multipart.eml"))
    assert result.exit_code == 1
    assert _where(doc) == [
        ("RM002", 20, 28, 20, 49, "If you are happy with"),
        ("RM001", 21, 13, 21, 19, "5-star"),
        ("OP001", 21, 62, 21, 70, "WhatsApp"),
        ("FM101", 51, 38, 51, 58, "winter-catalogue.zip"),
    ]
    # nothing from the "Original Message" block (the buyer's e-mail address, phone number, name)
    assert not any(f["line"] >= 26 and f["code"] != "FM101" for r in doc["results"] for f in r["findings"])
    attachments = doc["results"][0]["mail"]["attachments"]
    assert [(a["filename"], a["content_type"], a["allowed"], a["line"]) for a in attachments] == [
        ("kettle-manual.pdf", "application/pdf", True, 43),
        ("winter-catalogue.zip", "application/zip", False, 51),
    ]
    fm = doc["results"][0]["findings"][-1]
    assert fm["category"] == "formatting" and fm["severity"] == "error"
    assert "application/zip" in fm["message"]


def test_attachments_are_listed_in_text_output_and_fm101_can_be_ignored():
    text = CliRunner().invoke(main, ["check", "--no-config", "-m", "UK", str(MAIL / "multipart.eml")])
    assert (f"{MAIL / 'multipart.eml'}:1: attachments: kettle-manual.pdf (application/pdf, 78 bytes); "
            f"winter-catalogue.zip (application/zip, 22 bytes, not accepted by Amazon)") in text.stdout
    result, doc = _check("-m", "UK", "--ignore", "FM101", str(MAIL / "multipart.eml"))
    assert [c for c, *_ in _where(doc)] == ["RM002", "RM001", "OP001"]


def test_clean_reply_passes():
    raw = (b"From: shop@example.com\nTo: abc123@marketplace.amazon.com\nSubject: Re: order\n"
           b"Content-Type: text/plain; charset=utf-8\n\nHello,\nyour replacement ships today.\n\n"
           b"On Mon, 1 Dec 2025 at 09:00, Amazon Customer <abc123@marketplace.amazon.com> wrote:\n"
           b"> call me on 0171 2345678\n")
    (mail,) = parse_mail_bytes(raw)
    assert mail.text == "Hello,\nyour replacement ships today.\n"


def test_mbox_messages_at_their_lines(tmp_path):
    one = (MAIL / "plain.eml").read_bytes()
    two = (b"From: shop@example.com\nTo: abc123@marketplace.amazon.com\nSubject: Re: order\n\n"
           b"Hello,\nsee www.vellby-deals.com for more.\n")
    box = tmp_path / "sent.mbox"
    box.write_bytes(b"From shop@example.com Tue Dec  2 09:14:05 2025\n" + one + b"\n"
                    b"From shop@example.com Tue Dec  2 10:00:00 2025\n" + two)
    # positions are what this test is about: the text model's warnings (which move when it is trained
    # again) are left out, the rules that find a phone number and a link are exact
    result, doc = _check("-m", "DE", "--ignore", "LG,CD007,UN008,MK009,RI002,RM010", str(box))
    assert result.exit_code == 1
    assert [r["mail"]["first_line"] for r in doc["results"]] == [2, 28]
    assert _where(doc) == [("CP001", 15, 35, 15, 47, "030 12345678"),
                           ("CU001", 33, 5, 33, 25, "www.vellby-deals.com")]


def test_bad_mail_files_are_input_errors(tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_mail_file(str(empty))
    result = CliRunner().invoke(main, ["check", str(empty)])
    assert result.exit_code == 2 and "msglint: error:" in result.stderr
    box = tmp_path / "x.mbox"
    box.write_bytes(b"just some text\n")
    assert CliRunner().invoke(main, ["check", str(box)]).exit_code == 2
