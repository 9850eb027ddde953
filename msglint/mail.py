"""E-mail files (``.eml``, ``.mbox``): the text the seller wrote, and where each character is in the file.

Amazon relays buyer-seller messages as e-mail, so a seller's reply often exists as a saved
``.eml`` (or a mailbox ``.mbox``). Checking such a file as plain text would lint its headers
(the Amazon relay address itself looks like an e-mail address to the rules) and the buyer's
quoted message. This module parses the mail with the standard library's ``email`` package
(``policy.default``) and keeps only what the seller wrote:

* the ``text/plain`` body part, or, for an HTML-only mail, the ``text/html`` part converted to
  text with inscriptis (quoted elements such as ``<blockquote>``, Gmail's ``gmail_quote`` and
  Outlook's reply header are removed first);
* without the headers, without quoted earlier messages ("> " lines, an "On … wrote:" line in
  six languages and everything below it, Outlook's "-----Original Message-----" and
  "From:/Sent:" blocks, Amazon's "------------- Message: -------------" relay blocks) and so
  without the buyer's signature inside them. The seller's own signature is checked: contact
  details are not allowed there either.

Every character of that text remembers its position in the file, through the part's transfer
encoding (7bit/8bit, quoted-printable, base64 line by line) and, for HTML, an alignment of the
converted text with the HTML source; so findings point at the line and column of the file.

Attachments are listed; one of a type Amazon does not accept, or over its size limit, is a
finding (FM101, POLICY 1G).
"""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import Iterator, Optional, Sequence

from msglint.inputs import InputError
from msglint.model import Finding, Fix, Rule, Severity

MAIL_SUFFIXES = (".eml", ".mbox")

# Amazon Buyer-Seller Messaging accepts these attachment types (Seller Central help 200389080;
# POLICY MSG-A01/A02: product instructions, warranty information, invoices; at most 10 MB).
ALLOWED_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".txt", ".jpg", ".jpeg", ".png", ".gif", ".bmp"})
ALLOWED_TYPES = frozenset({
    "application/pdf", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain", "image/jpeg", "image/png", "image/gif", "image/bmp",
})
MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024


def disallowed_attachment(ctx):
    """An e-mail attachment of a type Amazon does not accept, or attachments over 10 MB.

    What it flags: in an ``.eml``/``.mbox`` file (``msglint check``, the SMTP gate), an attached
    file that is not a PDF, Word document (.doc, .docx), text file or image (JPEG, PNG, GIF, BMP),
    judged by both its file name and its declared content type, so a ZIP named "manual.pdf" is
    flagged too; and every attachment once the attachments together exceed 10 MB. The finding
    sits on the attachment's ``filename`` in the file (else on its first header line).
    Why: Amazon allows attachments only for product instructions, warranty information and
    invoices, in those formats, up to 10 MB per message (POLICY MSG-A01, MSG-A02); other files
    (catalogues, coupon flyers, archives, executables, videos) are refused or get the account
    warned.
    Examples: flagged "catalogue-2026.zip (application/zip)", "setup.mp4 (video/mp4)";
    fine "manual-de.pdf (application/pdf)", "invoice-302-4471829.pdf", "photo.jpg (image/jpeg)".
    Known false positives: an inline logo image of the seller's mail client counts as an
    attachment when it has a file name (it is allowed as an image, but it is still sent).
    Fix: send the content as a PDF, or leave the file out.
    """
    return iter(())


MAIL_RULES = (
    Rule("FM101", "disallowed-attachment", "formatting", frozenset({"message"}), Severity.ERROR,
         "Remove the attachment '{text}': {reason}.", disallowed_attachment),
)
_RULE = MAIL_RULES[0]


def is_mail_file(path: str) -> bool:
    return path.lower().endswith(MAIL_SUFFIXES)


# --- records -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    line: int            # where its name is in the file (1-based)
    col: int
    allowed: bool

    def to_dict(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size,
                "line": self.line, "allowed": self.allowed}


@dataclass(frozen=True)
class MailText:
    """The seller's text of one message and the file position of each of its characters.

    ``positions[i]`` is the offset in ``file_text`` of ``text[i]``; ``positions[len(text)]`` the
    offset just after the last character. ``file_text`` is the whole file read as UTF-8.
    """

    text: str
    positions: tuple
    file_text: str
    attachments: tuple
    first_line: int      # the message's first line in the file (an mbox holds several)

    def line_col(self, offset: int) -> tuple[int, int]:
        starts = _line_starts(self.file_text)
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def remap(self, findings: Sequence[Finding]) -> list[Finding]:
        """Findings on ``text`` moved to the file: start/end/line/col become file positions."""
        out = []
        for f in findings:
            start = self.positions[min(f.start, len(self.positions) - 1)]
            last = self.positions[max(f.start, min(f.end - 1, len(self.positions) - 1))]
            end = max(start, last + 1)
            line, col = self.line_col(start)
            end_line, end_col = self.line_col(end)
            # no fix: an e-mail file is not rewritten, and a fix's range is in the seller's text, not the file
            out.append(replace(f, start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col,
                               fix=None))
        return out

    def attachment_findings(self) -> list[Finding]:
        total = sum(a.size for a in self.attachments)
        out = []
        starts = _line_starts(self.file_text)
        for a in self.attachments:
            reasons = []
            if not a.allowed:
                reasons.append(f"Amazon accepts only PDF, Word, text and image files (JPEG, PNG, GIF, BMP), "
                               f"not {a.content_type}")
            if total > MAX_ATTACHMENTS_BYTES:
                reasons.append(f"the attachments add up to {total / 1048576:.1f} MB; Amazon allows 10 MB per message")
            if not reasons:
                continue
            start = starts[a.line - 1] + a.col - 1
            end = start + len(a.filename) if self.file_text[start:start + len(a.filename)] == a.filename else start
            end_line, end_col = self.line_col(end)
            out.append(Finding(
                code=_RULE.code, name=_RULE.name, category=_RULE.category, severity=_RULE.severity,
                start=start, end=end, line=a.line, col=a.col, end_line=end_line, end_col=end_col,
                text=a.filename, message=_RULE.message.format(text=a.filename, reason="; ".join(reasons)),
                fix=None))
        return out


# --- reading files ---------------------------------------------------------------------------------

def read_mail_file(path: str) -> list[MailText]:
    """The messages of an ``.eml`` (one) or ``.mbox`` (each) file; InputError for a bad file."""
    import os
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_mail_bytes(data, path, mbox=path.lower().endswith(".mbox"))


def parse_mail_bytes(data: bytes, where: str = "<mail>", *, mbox: bool = False) -> list[MailText]:
    if not data.strip():
        raise InputError(f"{where}: the e-mail file is empty")
    file_text = data.decode("utf-8", errors="replace")
    ranges = _mbox_ranges(data) if mbox else [(0, len(data))]
    if not ranges:
        raise InputError(f"{where}: no message found (an mbox message starts with a 'From ' line)")
    byte_to_char = _ByteMap(data)
    out = []
    for start, end in ranges:
        raw = data[start:end]
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        if not _looks_like_mail(msg):
            raise InputError(f"{where}:{_line_of(data, start)}: not an e-mail message (no From, To, Subject or "
                             f"Content-Type header)")
        try:
            out.append(_seller_text(msg, data, start, end, file_text, byte_to_char))
        except (LookupError, ValueError) as exc:  # an unknown charset, a broken part
            raise InputError(f"{where}:{_line_of(data, start)}: cannot read the message ({exc})") from None
    return out


def _looks_like_mail(msg: EmailMessage) -> bool:
    return any(msg.get(h) is not None for h in ("From", "To", "Subject", "Content-Type", "Date"))


def _mbox_ranges(data: bytes) -> list[tuple[int, int]]:
    """(start, end) byte ranges of the messages of an mbox, each without its "From " line."""
    starts = []
    pos = 0
    previous_blank = True
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and previous_blank:
            starts.append((pos, pos + len(line)))
        previous_blank = line.strip() == b""
        pos += len(line)
    ranges = []
    for i, (from_line, body) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        ranges.append((body, end))
    return ranges


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


class _ByteMap:
    """Byte offset in the file -> character offset in the file read as UTF-8 (with replacement)."""

    def __init__(self, data: bytes):
        self.data = data
        self.lines = [0]
        pos = data.find(b"\n")
        while pos != -1:
            self.lines.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        self.char_lines = []
        chars = 0
        for i, start in enumerate(self.lines):
            self.char_lines.append(chars)
            end = self.lines[i + 1] if i + 1 < len(self.lines) else len(data)
            chars += len(data[start:end].decode("utf-8", errors="replace"))

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self.lines, offset) - 1
        return self.char_lines[i] + len(self.data[self.lines[i]:offset].decode("utf-8", errors="replace"))


# --- MIME structure with byte ranges -------------------------------------------------------------

def _header_end(data: bytes, start: int, end: int) -> int:
    """Offset of the body: after the first empty line (CRLF or LF) of data[start:end]."""
    if data.startswith((b"\r\n", b"\n"), start):  # no headers at all
        return start + (2 if data.startswith(b"\r\n", start) else 1)
    m = re.compile(rb"\r?\n\r?\n").search(data, start, end)
    return m.end() if m else end


def _leaves(msg: EmailMessage, data: bytes, start: int, end: int) -> Iterator[tuple[EmailMessage, int, int, int]]:
    """(part, header start, body start, body end) for every non-multipart part, in order."""
    body = _header_end(data, start, end)
    if msg.is_multipart():
        boundary = msg.get_boundary()
        subparts = msg.get_payload()
        if not boundary or not isinstance(subparts, list):
            return
        delim = re.compile(rb"(?m)^--" + re.escape(boundary.encode("utf-8", "replace")) + rb"(--)?[ \t]*\r?$")
        marks = [m for m in delim.finditer(data, body, end)]
        bounds = []
        for i, m in enumerate(marks):
            if m.group(1):  # the closing delimiter
                break
            part_start = m.end() + (1 if data[m.end():m.end() + 1] == b"\n" else 0)
            nxt = marks[i + 1].start() if i + 1 < len(marks) else end
            bounds.append((part_start, max(part_start, nxt - 1)))
        for sub, (s, e) in zip(subparts, bounds):
            yield from _leaves(sub, data, s, e)
    else:
        yield msg, start, body, end


def _seller_text(msg, data, start, end, file_text, byte_to_char) -> MailText:
    plain = html = None
    attachments = []
    for part, head, body, stop in _leaves(msg, data, start, end):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition == "attachment" or (filename and ctype not in ("text/plain", "text/html")) or \
                (disposition == "inline" and filename):
            attachments.append(_attachment(part, data, head, body, byte_to_char))
            continue
        if ctype == "text/plain" and plain is None:
            plain = (part, body, stop)
        elif ctype == "text/html" and html is None:
            html = (part, body, stop)
        elif ctype not in ("text/plain", "text/html") and part.get_content_maintype() != "multipart":
            attachments.append(_attachment(part, data, head, body, byte_to_char))
    if plain is not None:
        text, pos = _decoded(plain[0], data, plain[1], plain[2])
    elif html is not None:
        text, pos = _decoded(html[0], data, html[1], html[2])
        text, pos = html_to_text(text, pos)
    else:
        text, pos = "", []
    text, pos = seller_lines(text, pos)
    positions = tuple(byte_to_char(p) for p in pos) + ((byte_to_char(pos[-1]) + 1,) if pos else (0,))
    return MailText(text=text, positions=positions, file_text=file_text, attachments=tuple(attachments),
                    first_line=_line_of(data, start))


def _attachment(part, data, head, body, byte_to_char) -> Attachment:
    filename = part.get_filename() or f"(unnamed {part.get_content_type()})"
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001 - a broken part still counts as an attachment
        payload = b""
    ctype = part.get_content_type()
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    allowed = ext in ALLOWED_EXTENSIONS and ctype in ALLOWED_TYPES | {"application/octet-stream"}
    # where the name is written in the part's headers (else the part's first line)
    at = data.find(filename.encode("utf-8", "replace"), head, body) if part.get_filename() else -1
    offset = at if at >= 0 else head
    char = byte_to_char(offset)
    line = _line_of(data, offset)
    line_start = byte_to_char(data.rfind(b"\n", 0, offset) + 1)
    return Attachment(filename, ctype, len(payload), line, char - line_start + 1, allowed)


# --- transfer encodings, with positions -----------------------------------------------------------

def _decoded(part, data: bytes, body: int, stop: int) -> tuple[str, list[int]]:
    """The part's text and, for each character, the byte offset in the file it came from."""
    cte = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    raw = data[body:stop]
    if cte == "quoted-printable":
        decoded, src = _qp(raw, body)
    elif cte == "base64":
        decoded, src = _b64(raw, body)
    else:
        decoded, src = raw, list(range(body, stop))
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    text, pos = _chars(decoded, src, charset)
    # line ends: CRLF -> LF
    keep = [i for i, ch in enumerate(text) if not (ch == "\r" and text[i + 1:i + 2] == "\n")]
    return "".join(text[i] for i in keep).replace("\r", "\n"), [pos[i] for i in keep]


def _chars(decoded: bytes, src: list[int], charset: str) -> tuple[str, list[int]]:
    dec = codecs.getincrementaldecoder(charset)(errors="replace")
    chars, pos = [], []
    pending = 0
    for i in range(len(decoded)):
        out = dec.decode(decoded[i:i + 1])
        if out:
            chars.append(out)
            pos.extend([src[pending]] * len(out))
            pending = i + 1
    tail = dec.decode(b"", final=True)
    if tail:
        chars.append(tail)
        pos.extend([src[min(pending, len(src) - 1)]] * len(tail))
    return "".join(chars), pos


_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def _qp(raw: bytes, base: int) -> tuple[bytes, list[int]]:
    out = bytearray()
    src: list[int] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        content = line.rstrip(b"\r\n")
        ending = line[len(content):]
        soft = content.rstrip(b" \t").endswith(b"=")
        if soft:
            content = content.rstrip(b" \t")[:-1]
        i = 0
        while i < len(content):
            m = _HEX.match(content, i)
            if m:
                out.append(int(m.group(1), 16))
                src.append(base + pos + i)
                i += 3
            else:
                out.append(content[i])
                src.append(base + pos + i)
                i += 1
        if ending and not soft:
            out += b"\n"
            src.append(base + pos + len(content))
        pos += len(line)
    return bytes(out), src


def _b64(raw: bytes, base: int) -> tuple[bytes, list[int]]:
    import base64
    import binascii
    out = bytearray()
    src: list[int] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        chunk = line.strip()
        if chunk:
            try:
                piece = base64.b64decode(chunk, validate=False)
            except (binascii.Error, ValueError):
                piece = b""
            if len(chunk) % 4:  # not line-aligned: decode the whole body, positions at its start
                whole = base64.b64decode(b"".join(raw.split()) + b"===", validate=False)
                return whole, [base] * len(whole)
            out += piece
            src.extend(base + pos + (j * 4) // 3 for j in range(len(piece)))
        pos += len(line)
    return bytes(out), src


# --- HTML ----------------------------------------------------------------------------------------

_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_QUOTE_REST_IDS = ("divrplyfwdmsg", "appendonsend")  # Outlook: the quoted mail follows until the end
_SKIP = frozenset({"script", "style", "head", "title"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Scanner(HTMLParser):
    """Visible characters with their offsets in the HTML, and the ranges of quoted elements."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = _line_starts(html)
        self.stream: list[tuple[str, int]] = []
        self.quotes: list[tuple[int, int]] = []
        self.stack: list[tuple[str, int, bool]] = []   # (tag, start offset, quoted)
        self.links: list[tuple[str, int]] = []          # (href, offset of its value)
        self.skip = 0
        self.rest_from: Optional[int] = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        attrs = {k: (v or "") for k, v in attrs}
        classes = attrs.get("class", "").lower().split()
        quoted = tag == "blockquote" or any(c in _QUOTE_CLASSES for c in classes)
        if attrs.get("id", "").lower() in _QUOTE_REST_IDS and self.rest_from is None:
            self.rest_from = start
        if tag in _VOID:
            return
        if tag in _SKIP:
            self.skip += 1
        href = attrs.get("href", "").strip()
        if tag == "a" and href and not self.skip:
            at = (self.get_starttag_text() or "").find(href)
            self.links.append((href, start + max(at, 0)))
        self.stack.append((tag, start, quoted))

    def handle_endtag(self, tag):
        end = self.html.find(">", self._offset()) + 1  # just after this end tag
        while self.stack:
            name, start, quoted = self.stack.pop()
            if name in _SKIP:
                self.skip = max(0, self.skip - 1)
            if quoted:
                self.quotes.append((start, end))
            if name == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        base = self._offset()
        self.stream.extend((ch, base + i) for i, ch in enumerate(data))

    def _entity(self, text: str) -> None:
        if not self.skip:
            import html as html_mod
            ch = html_mod.unescape(text)
            self.stream.extend((c, self._offset()) for c in ch)

    def handle_entityref(self, name):
        self._entity(f"&{name};")

    def handle_charref(self, name):
        self._entity(f"&#{name};")


def html_to_text(html: str, positions: Sequence[int]) -> tuple[str, list[int]]:
    """Text of an HTML body (inscriptis), quoted elements left out, each character with the file
    offset of the HTML character it came from (an in-order alignment with the HTML's text)."""
    from inscriptis import get_text

    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    blanks = list(scanner.quotes)
    if scanner.rest_from is not None:
        blanks.append((scanner.rest_from, len(html)))
    if blanks:
        chars = list(html)
        for s, e in blanks:
            for i in range(s, min(e, len(chars))):
                if chars[i] != "\n":
                    chars[i] = " "
        html = "".join(chars)
        scanner = _Scanner(html)
        scanner.feed(html)
        scanner.close()
    text = get_text(html).strip("\n")
    stream = [(ch, off) for ch, off in scanner.stream if not ch.isspace()]
    out_pos: list[int] = []
    p = 0
    last = positions[0] if positions else 0
    for ch in text:
        if not ch.isspace():
            for q in range(p, min(len(stream), p + 400)):
                if stream[q][0] == ch:
                    last = positions[stream[q][1]] if stream[q][1] < len(positions) else last
                    p = q + 1
                    break
        out_pos.append(last)
    # A link's target is not visible text, but it is sent: each one that the text does not
    # already show goes on a line of its own after the text, at its place in the HTML.
    visible = text.casefold()
    for href, offset in scanner.links:
        target = re.sub(r"^(?:mailto|tel|sms|callto):", "", href, flags=re.IGNORECASE)
        shown = re.sub(r"^[a-z]+://", "", target, flags=re.IGNORECASE).rstrip("/").casefold()
        if href.startswith("#") or not shown or shown in visible:
            continue
        skip = len(href) - len(target)
        text += "\n" + target
        out_pos.append(positions[offset] if offset < len(positions) else last)
        out_pos.extend(positions[min(offset + skip + i, len(positions) - 1)] for i in range(len(target)))
    return text + "\n", out_pos + [out_pos[-1] if out_pos else last]


# --- quoted messages ---------------------------------------------------------------------------------

# "On <date>, <name> wrote:", "Am <date> schrieb <name>:", "Le <date>, <name> a écrit :", ...
_REPLY_HEADER = re.compile(
    r"(?:\bwrote\b|\bschrieb\b|\ba\s+écrit\b|\bescribió\b|\bha\s+scritto\b|が書きました|写道).*[:：]\s*$",
    re.IGNORECASE)
_REPLY_START = re.compile(r"^\s*(?:On|Am|Le|El|Il giorno|Il)\s", re.IGNORECASE)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|"
    r"Messaggio originale|元のメッセージ|原始邮件|Forwarded message|Weitergeleitete Nachricht)\s*-{2,}\s*$",
    re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*(?:From|Von|De|Da|差出人|发件人)\s*[:：]\s*\S")
_OUTLOOK_SENT = re.compile(r"^\s*(?:Sent|Gesendet|Envoyé|Enviado|Inviato|Data|送信日時|发送时间|Date)\s*[:：]\s*\S")
_AMAZON_BLOCK = re.compile(
    r"^\s*-{3,}\s*(?:Message|Nachricht|Mensaje|Messaggio|メッセージ)\s*:?\s*-{3,}\s*$", re.IGNORECASE)
_AMAZON_END = re.compile(
    r"^\s*-{3,}\s*(?:End message|Ende der Nachricht|Fin du message|Fin del mensaje|Fine del messaggio|"
    r"Fine messaggio|メッセージ終了)\s*-{3,}\s*$", re.IGNORECASE)


def _is_reply_header(line: str) -> bool:
    """A quote header names when or who: it has a date/time digit or an address."""
    return bool(_REPLY_HEADER.search(line)) and (any(c.isdigit() for c in line) or "@" in line
                                                  or bool(_REPLY_START.match(line)))


def seller_lines(text: str, positions: Sequence[int]) -> tuple[str, list[int]]:
    """``text`` without quoted earlier messages; quoted lines are left out, positions kept per character."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    i = 0
    in_amazon = False
    while i < len(lines):
        line = lines[i]
        if in_amazon:
            keep[i] = False
            if _AMAZON_END.match(line):
                in_amazon = False
            i += 1
            continue
        if _AMAZON_BLOCK.match(line):
            keep[i] = False
            in_amazon = True
            i += 1
            continue
        two = line + " " + lines[i + 1] if i + 1 < len(lines) else line
        if (_ORIGINAL.match(line) or _is_reply_header(line)
                or (_REPLY_START.match(line) and not line.rstrip().endswith((".", "!", "?"))
                    and _is_reply_header(two))
                or (_OUTLOOK_FROM.match(line) and any(_OUTLOOK_SENT.match(x) for x in lines[i + 1:i + 4]))):
            for j in range(i, len(lines)):
                keep[j] = False
            break
        if line.lstrip().startswith(">"):
            keep[i] = False
        i += 1
    out_chars: list[str] = []
    out_pos: list[int] = []
    at = 0
    for n, line in enumerate(lines):
        end = at + len(line)
        if keep[n]:
            out_chars.append(line)
            out_pos.extend(positions[at:end])
            if n + 1 < len(lines):
                out_chars.append("\n")
                out_pos.append(positions[end] if end < len(positions) else (positions[-1] if positions else 0))
        at = end + 1
    stripped = "".join(out_chars).rstrip()  # blank lines left by removed quotes are noise
    if not stripped:
        return "", []
    end = out_pos[len(stripped)] if len(stripped) < len(out_pos) else out_pos[-1]
    return stripped + "\n", out_pos[:len(stripped)] + [end]
