"""Contact details: e-mail addresses (CE), phone numbers (CP) and links (CU), plain or disguised.

All of them run on the normalised text, so "h e l p [at] shop [dot] com", fullwidth letters,
Cyrillic look-alikes, zero-width characters and "four one five ..." arrive here already
undone; ``ctx.disguised`` tells whether the original was disguised.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import phonenumbers
import regex
from phonenumbers import Leniency, PhoneNumberMatcher

from msglint import domains
from msglint.context import Context
from msglint.lookalikes import mask
from msglint.model import Hit, Rule, Severity

BOTH = frozenset({"message", "listing"})

# --- e-mail -------------------------------------------------------------------------------

_EMAIL = regex.compile(
    r"(?<![\w.%+\-])(?P<local>[\w](?:[\w.%+\-]{0,63}[\w])?)@(?P<domain>(?:[\w](?:[\w\-]{0,61}[\w])?\.)+[\p{L}]{2,63})(?![\w\-])"
)


@dataclass(frozen=True)
class _Email:
    start: int
    end: int
    address: str
    disguised: bool


def _emails(ctx: Context) -> list[_Email]:
    if "emails" not in ctx.cache:
        found = []
        if "@" in ctx.text:
            for m in _EMAIL.finditer(ctx.text):
                domain = m.group("domain")
                if not domains.is_public_suffix_domain(domain):
                    continue
                found.append(_Email(m.start(), m.end(), m.group(), ctx.disguised(m.start(), m.end())))
        ctx.cache["emails"] = found
    return ctx.cache["emails"]


def email_address(ctx: Context) -> Iterator[Hit]:
    """E-mail address written in plain form.

    What it flags: an address such as ``service@mybrand.com`` (also inside ``mailto:`` links),
    whose domain ends in a real public suffix (``info@presidio.`` and ``user@localhost`` are
    not addresses).
    Why: buyers must be contacted only through Buyer-Seller Messaging; Amazon deletes e-mail
    addresses and may block the message (POLICY MSG-P01, LST-G02).
    Examples: flagged "Email us at service@mybrand.com"; fine "Just reply to this message."
    Known false positives: none known; code strings such as ``a@b`` without a real suffix are
    not matched.
    Fix: remove the address and ask the buyer to reply to this message.
    """
    for e in _emails(ctx):
        if not e.disguised:
            yield Hit(e.start, e.end, {"address": e.address})


def disguised_email(ctx: Context) -> Iterator[Hit]:
    """E-mail address hidden with "at"/"dot" words, spacing, look-alike letters or invisible characters.

    What it flags: ``help [at] shop [dot] com``, ``h e l p @ shop.com``, ``ｈｅｌｐ＠ｓｈｏｐ．ｃｏｍ``,
    Cyrillic or Greek look-alike letters, zero-width characters inside an address, and the
    same tricks in other languages ("arobase ... point", "chiocciola ... punto", "(at) ... (punkt)").
    Why: a disguised address is still an address, and hiding it shows intent to move the
    buyer off Amazon (POLICY MSG-P01, MSG-P03).
    Examples: flagged "write to help [at] echoform [dot] audio"; fine "we are at home. It works".
    Known false positives: "name at provider.com" is folded only for mail providers or when the
    dots are disguised too, so "available at bestbuy.com" stays a link, not an address.
    Fix: remove the address and ask the buyer to reply to this message.
    """
    for e in _emails(ctx):
        if e.disguised:
            yield Hit(e.start, e.end, {"address": e.address})


# --- phone ----------------------------------------------------------------------------------

_PHONE_CONTEXT = regex.compile(
    r"(?i)\b(?:call(?:ing)?|ring|phone|tel|telephone|mobile|cell|hotline|text\s+(?:me|us)|sms|whats\s?app|wechat|"
    r"viber|telegram|signal|line\s+id|reach\s+(?:me|us|him|her|our)|his\s+number|her\s+number|my\s+number|"
    r"our\s+number|number\s+is|dial|fax|telefon\w*|handy|anrufen|rufen|ruf|téléphon\w*|appele[rz]|appel|portable|"
    r"tel[ée]fono|ll[aá]m\w*|chiam\w*|cellulare|numero\s+di\s+telefono)\b|電話|携帯|TEL|微信|ライン|LINE",
)
_PHONE_CANDIDATE = regex.compile(r"(?<![\w+])\+?\(?\d[\d \t().\-/]{5,22}\d(?![\w])")


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


@dataclass(frozen=True)
class _Phone:
    start: int
    end: int
    number: str
    severity: Severity
    disguised: bool


def _phones(ctx: Context) -> list[_Phone]:
    if "phones" in ctx.cache:
        return ctx.cache["phones"]
    found: list[_Phone] = []
    text = ctx.text
    taken: list[tuple[int, int]] = [(e.start, e.end) for e in _emails(ctx)]
    for c_start, c_end in _phone_candidates(text):
        raw = text[c_start:c_end]
        if any(a < c_end and c_start < b for a, b in taken):
            continue
        if ctx.inside_longer_word(c_start, c_end):
            continue
        for start, end, valid in _parse_phones(raw, ctx.marketplace.region):
            start += c_start
            end += c_start
            number = text[start:end]
            a, b = ctx.sentence_span(start)
            context = bool(_PHONE_CONTEXT.search(text[max(a, start - 80):min(b, end + 40)]))
            if not valid and not context:
                continue
            disguised = ctx.disguised(start, end)
            formatted = number.startswith("+") or "(" in number or len(regex.findall(r"\d+", number)) >= 3
            severity = Severity.ERROR if (context or disguised or formatted) else Severity.WARNING
            found.append(_Phone(start, end, number, severity, disguised))
            taken.append((start, end))
    ctx.cache["phones"] = found
    return found


# shapes that are never phone numbers whatever surrounds them: an order ID, a long digit run
_PLAIN_LOOKALIKE = regex.compile(r"\d{3}-\d{7}-\d{7}|\d{13,}")


def _phone_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Digit runs that may be phone numbers once look-alikes (order IDs, tracking, dates...) are masked.

    Masking is done only in a window around each raw candidate: most texts have a few numbers,
    and masking the whole text is the slowest step of a check.
    """
    for raw in _PHONE_CANDIDATE.finditer(text):
        if _digits(raw.group()) < 7 or _PLAIN_LOOKALIKE.fullmatch(raw.group()):
            continue
        w_start = max(0, raw.start() - 48)
        w_end = min(len(text), raw.end() + 8)
        masked = mask(text[w_start:w_end])
        inner = masked[raw.start() - w_start: raw.end() - w_start]
        for cand in _PHONE_CANDIDATE.finditer(inner):
            if _digits(cand.group()) >= 7:
                yield raw.start() + cand.start(), raw.start() + cand.end()


def _parse_phones(raw: str, region: str) -> list[tuple[int, int, bool]]:
    """Phone numbers inside one candidate string: (start, end, valid for a region)."""
    out = []
    for m in PhoneNumberMatcher(raw, region, leniency=Leniency.VALID):
        out.append((m.start, m.end, True))
    if out:
        return out
    # Not valid as written for this region: a long enough digit run is still a number when
    # the sentence says it is one ("call or WeChat me: 138 0013 8000").
    stripped = raw.strip(" .-/()")
    n = _digits(stripped)
    if 9 <= n <= 15:
        start = raw.index(stripped[0])
        try:
            parsed = phonenumbers.parse(stripped, region)
            possible = phonenumbers.is_possible_number(parsed)
        except phonenumbers.NumberParseException:
            possible = False
        if possible or n >= 10:
            out.append((start, start + len(stripped), False))
    return out


def phone_number(ctx: Context) -> Iterator[Hit]:
    """Phone number, in any national or international format.

    What it flags: numbers that ``phonenumbers`` (Google's libphonenumber) recognises as valid
    for the marketplace's country, any "+CC" international number, and long digit runs in a
    sentence that says they are a number to call or message ("call", "tel", "WhatsApp",
    "Telefon", "téléphone", "teléfono", "telefono", "電話", ...).
    Why: sellers may not give buyers a phone number; buyers must stay in Buyer-Seller Messaging
    (POLICY MSG-P02, LST-G02).
    Severity: error when the number is formatted as a phone number, international, or named as
    one by the sentence; a bare digit string with no phone context is only a warning.
    Examples: flagged "Call our hotline +1 (201) 555-0123"; fine "order 113-5529107-3341628",
    "UPS 1Z8V92E40312457786", "SKU CRV-DR20-KIT", "$1,249.00", "205 x 95 x 60 cm", "12.06.2024".
    Known false positives: an unlabelled 10-digit reference number that happens to be a valid
    number in the marketplace's country (a warning, not an error).
    Fix: remove the number and ask the buyer to reply to this message.
    """
    for p in _phones(ctx):
        if not p.disguised:
            yield Hit(p.start, p.end, {"number": p.number}, severity=p.severity)


def disguised_phone(ctx: Context) -> Iterator[Hit]:
    """Phone number hidden as words, spaced digits or invisible characters.

    What it flags: "four one five 555 0199", "oh seven seven double oh ...", "4 1 5 5 5 5 0 1 6 3",
    digits split by zero-width or word-joiner characters, look-alike digits.
    Why: a disguised number is still a number, and the disguise shows intent (POLICY MSG-P02).
    Examples: flagged "ring me on oh seven seven double oh, nine double oh, four five six";
    fine "one or two screws may be loose".
    Known false positives: a long list of spelled-out numbers that is not a phone number.
    Fix: remove the number and ask the buyer to reply to this message.
    """
    for p in _phones(ctx):
        if p.disguised:
            yield Hit(p.start, p.end, {"number": p.number}, severity=Severity.ERROR)


# --- links ------------------------------------------------------------------------------------

# quotation marks and brackets of every script end a link; trailing punctuation is not part of it
_QUOTES = "\"'`„“”‚‘’«»‹›「」『』（）【】〈〉《》"
_TRAIL = ".,;:!?)]}" + _QUOTES + "。、，！？"
_URLCHAR = r"[^\s<>" + regex.escape(_QUOTES) + r"]"
_URL = regex.compile(
    rf"(?P<scheme>\b(?:https?|ftp)://{_URLCHAR}+)"
    rf"|(?P<www>(?<![\w.\-/@])www\d?\.{_URLCHAR}+)"
    rf"|(?P<ip>(?<![\w.\-/])(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?::\d{{2,5}})?(?:/{_URLCHAR}*)?(?![\w.]))"
    rf"|(?P<bare>(?<![\w.\-/@])(?:[\w](?:[\w\-]{{0,61}}[\w])?\.)+[\p{{L}}]{{2,63}}(?::\d{{2,5}})?(?:/{_URLCHAR}*)?(?![\w\-@]))"
)
_VERSION_BEFORE = regex.compile(r"(?i)(?:\bv|version|firmware|fw|ver\.?|build|release)\s*$")
# Suffixes that are also everyday file extensions: "video.mov" is a file, not a site.
_FILE_LIKE = frozenset({"zip", "mov", "py", "sh", "md", "rs", "ps", "pl", "cs", "ai", "mp", "so", "bz", "gz", "js", "ts"})
_COMMON_TLDS = frozenset({"com", "net", "org", "info", "biz", "shop", "store", "online", "site", "co", "io",
                          "de", "fr", "es", "it", "uk", "jp", "ca", "au", "mx", "eu", "nl", "be", "at", "ch"})
_MAIL_SCHEME = regex.compile(r"(?i)mailto:$")
# a dot glued to a letter on both sides, a scheme or "www": cheap test before the full link regex
_LINK_HINT = regex.compile(r"[\w\-]\.\p{L}|://|www|\d\.\d{1,3}\.\d", regex.IGNORECASE)
_IPV4 = regex.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


@dataclass(frozen=True)
class _Link:
    start: int
    end: int
    url: str
    host: str
    kind: str  # "shortener", "ip", "disguised", "link"


def _host_of(url: str) -> str:
    u = regex.sub(r"(?i)^(?:https?|ftp)://", "", url)
    u = u.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    u = u.rsplit("@", 1)[-1]
    return u.split(":", 1)[0].lower()


def _links(ctx: Context) -> list[_Link]:
    if "links" in ctx.cache:
        return ctx.cache["links"]
    found: list[_Link] = []
    text = ctx.text
    if _LINK_HINT.search(text):
        emails = [(e.start, e.end) for e in _emails(ctx)]
        for m in _URL.finditer(text):
            start, end = m.start(), m.end()
            url = m.group().rstrip(_TRAIL)
            # keep a closing bracket that belongs to the URL, e.g. wiki/Foo_(bar)
            end = start + len(url)
            if not url or any(a < end and start < b for a, b in emails):
                continue
            if _MAIL_SCHEME.search(text[max(0, start - 7):start]):
                continue
            host = _host_of(url)
            kind = "ip" if _IPV4.fullmatch(host) else m.lastgroup
            if kind == "ip":
                parts = host.split(".")
                if len(parts) != 4 or any(int(p) > 255 for p in parts):
                    continue
                if _VERSION_BEFORE.search(text[max(0, start - 12):start]):
                    continue
            elif kind == "bare":
                if not _plausible_bare_domain(url, host, ctx, start, end):
                    continue
            elif kind == "www" and not domains.is_public_suffix_domain(host):
                continue
            if domains.is_amazon(host) or _allowed(host, ctx.allow_domains):
                continue
            if domains.is_shortener(host):
                label = "shortener"
            elif kind == "ip":
                label = "ip"
            elif ctx.disguised(start, end):
                label = "disguised"
            else:
                label = "link"
            found.append(_Link(start, end, url, host, label))
    ctx.cache["links"] = found
    return found


def _plausible_bare_domain(url: str, host: str, ctx: Context, start: int, end: int) -> bool:
    if not domains.is_public_suffix_domain(host):
        return False
    sub, name, suffix = domains.split(host)
    raw_host = url.split("/", 1)[0].split(":", 1)[0]
    raw_suffix = raw_host[len(raw_host) - len(suffix):]
    # "shipped.It" is a missing space, not a domain: the suffix must be lower case (or all caps)
    if raw_suffix != raw_suffix.lower() and raw_host != raw_host.upper():
        return False
    if suffix in _FILE_LIKE and "/" not in url:
        return False
    # "Triple.fi" in a product name: a capitalised name on an uncommon country suffix, no path
    raw_name = raw_host[: len(raw_host) - len(suffix) - 1].rsplit(".", 1)[-1]
    if raw_name[:1].isupper() and suffix not in _COMMON_TLDS and "/" not in url and not sub:
        return False
    if ctx.inside_longer_word(start, end):
        return False
    return True


def _allowed(host: str, allow: frozenset) -> bool:
    if not allow:
        return False
    reg = domains.registered_domain(host)
    return host in allow or reg in allow


def _link_hits(ctx: Context, kind: str) -> Iterator[Hit]:
    for link in _links(ctx):
        if link.kind == kind:
            yield Hit(link.start, link.end, {"url": link.url, "host": link.host})


def link(ctx: Context) -> Iterator[Hit]:
    """Link or bare domain that is not an Amazon property.

    What it flags: ``https://...`` and ``http://...`` links (also in HTML ``href``/``src``),
    ``www.`` addresses and bare domains ending in a real public suffix (``myshop.com/x``,
    ``atelier-soline.fr``).
    Not flagged: Amazon's own sites in every marketplace and its short links (amazon.*,
    amzn.to, a.co), domains on the allow-list, file names ("manual_rev2.pdf", "video.mov"),
    versions ("v2.1", "1.0.4"), abbreviations ("e.g.", "U.S.A."), and capitalised product names
    on uncommon suffixes ("Triple.fi").
    Why: links to non-Amazon sites are prohibited in buyer messages and listings
    (POLICY MSG-L01, LST-G02).
    Examples: flagged "www.atelier-soline.fr/montage"; fine "https://www.amazon.fr/review/create-review".
    Known false positives: a carrier's booking page needed for a freight delivery (allow its
    domain in the configuration).
    Fix: remove the link; attach the document or explain the step in the message.
    """
    return _link_hits(ctx, "link")


def disguised_link(ctx: Context) -> Iterator[Hit]:
    """Link hidden with "dot"/"slash" words, spaces, fullwidth or look-alike characters.

    What it flags: "mybrand dot com slash manuals", "echoformaudio . com / fw", "ｗｗｗ．ｓｈｏｐ．ｃｏｍ",
    "shop[.]com".
    Why: a disguised link is still a link, and the disguise shows intent (POLICY MSG-L01).
    Examples: flagged "lumoralighting dot com slash manuals"; fine "the red dot on the lid".
    Known false positives: a sentence that really says "<word> dot com".
    Fix: remove the link.
    """
    return _link_hits(ctx, "disguised")


def shortened_link(ctx: Context) -> Iterator[Hit]:
    """Link through a URL shortener or link hub (bit.ly, tinyurl, t.me, wa.me, linktr.ee, ...).

    Why: shorteners hide where a link goes; Amazon names them explicitly (POLICY MSG-L01).
    Amazon's own short links (amzn.to, a.co) are not flagged.
    Examples: flagged "bit.ly/3xKq9Tz"; fine "amzn.to/3abc".
    Known false positives: none known.
    Fix: remove the link.
    """
    return _link_hits(ctx, "shortener")


def ip_address_link(ctx: Context) -> Iterator[Hit]:
    """Link to a bare IP address (``http://203.0.113.7/shop``, ``192.168.0.10:8080``).

    Why: a raw IP address is a link to a non-Amazon site (POLICY MSG-L01).
    Examples: flagged "203.0.113.7/catalog"; fine "firmware 1.0.4.2".
    Known false positives: a four-part version number not labelled as a version.
    Fix: remove the link.
    """
    return _link_hits(ctx, "ip")


_REPLY = "reply to this message"

RULES = (
    Rule("CE001", "email-address", "contact.email", BOTH, Severity.ERROR,
         "Remove the e-mail address '{address}': buyers must be contacted only through Buyer-Seller Messaging.",
         email_address, fix=_REPLY),
    Rule("CE002", "disguised-email", "contact.email", BOTH, Severity.ERROR,
         "Remove the disguised e-mail address '{address}': hidden contact details are still contact details.",
         disguised_email, fix=_REPLY),
    Rule("CP001", "phone-number", "contact.phone", BOTH, Severity.ERROR,
         "Remove the phone number '{number}': buyers must be contacted only through Buyer-Seller Messaging.",
         phone_number, fix=_REPLY),
    Rule("CP002", "disguised-phone", "contact.phone", BOTH, Severity.ERROR,
         "Remove the disguised phone number '{number}': spelled-out or spaced digits are still a phone number.",
         disguised_phone, fix=_REPLY),
    Rule("CU001", "external-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the link '{url}': links to sites other than Amazon are not allowed.",
         link),
    Rule("CU002", "disguised-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the disguised link '{url}': a spelled-out or spaced web address is still a link.",
         disguised_link),
    Rule("CU003", "shortened-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the shortened link '{url}': short links hide a destination outside Amazon.",
         shortened_link),
    Rule("CU004", "ip-address-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the link to the IP address '{url}': links to sites other than Amazon are not allowed.",
         ip_address_link),
)
