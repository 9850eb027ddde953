"""Finding contact details in a check's normalised text: e-mail addresses, phone numbers and links.

The contact rules (CE, CP, CU) report them; the off-platform and marketing rules ask where a
link leads. Each scan runs once per check and is cached in the context. All of them read the
normalised text, so disguises ("[at]", spelled-out digits, fullwidth letters) are already undone.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import phonenumbers
import regex
from phonenumbers import Leniency, PhoneNumberMatcher

from msglint import domains
from msglint import lang as langdata
from msglint.context import Context
from msglint.lazyre import lazy
from msglint.lexicon import fold, fold_text
from msglint.lookalikes import IPV4_OCTET as _OCTET, labelled, mask
from msglint.model import Severity

# --- e-mail -------------------------------------------------------------------------------

# Latin letters and digits only: "メールはhelp@shop.comまで" holds the address help@shop.com
_W = r"[\p{Latin}\p{N}_]"
_EMAIL = lazy(regex.compile,
    r"(?<![\p{Latin}\p{N}_.%+\-])"
    rf"(?P<local>{_W}(?:[\p{{Latin}}\p{{N}}_.%+\-]{{0,63}}{_W})?)@"
    rf"(?P<domain>(?:{_W}(?:[\p{{Latin}}\p{{N}}_\-]{{0,61}}{_W})?\.)+\p{{Latin}}{{2,63}})(?![\p{{Latin}}\p{{N}}_\-])"
)


@dataclass(frozen=True)
class Email:
    start: int
    end: int
    address: str
    disguised: bool


def emails(ctx: Context) -> list[Email]:
    if "emails" not in ctx.cache:
        found = []
        if "@" in ctx.text:
            for m in _EMAIL.finditer(ctx.text):
                domain, end = m.group("domain"), m.end()
                if not domains.is_public_suffix_domain(domain):
                    # spaced letters joined one word too far ("p e d i d o s @ t i e n d a . e s y se la
                    # mandamos" reads "...tienda.esy"): the address ends where its domain is a real one
                    if not ctx.disguised(m.start(), end):
                        continue
                    for cut in (1, 2):
                        if len(domain) > cut + 3 and domains.is_public_suffix_domain(domain[:-cut]):
                            end -= cut
                            break
                    else:
                        continue
                found.append(Email(m.start(), end, ctx.text[m.start():end], ctx.disguised(m.start(), end)))
        ctx.cache["emails"] = found
    return ctx.cache["emails"]


# --- phone ----------------------------------------------------------------------------------


def _phrase_units(phrase: str) -> list[str]:
    """A phone-context phrase as pattern pieces a trie can share: one character, a space (any
    whitespace), "*" at the end of a word (any ending); a Latin-script phrase starts at a word
    boundary and ends at one unless it ends in its own dot or colon ("cel." is no context inside
    "parcel.")."""
    latin = bool(regex.search(r"[A-Za-zÀ-ÿ]", phrase))
    units = [r"\b"] if latin else []
    units += [r"\s+" if ch == " " else regex.escape(ch) for ch in phrase.rstrip("*")]
    if phrase.endswith("*"):
        units.append(r"\w*")
    if latin and phrase[-1:] not in ".:":
        units.append(r"\b")
    return units


def _trie_pattern(phrases) -> str:
    """One pattern matching what the phrases' pieces joined and ``|``-alternated match, shared prefixes factored.

    A long alternation is tried alternative by alternative at every position of the text; a trie
    is tried once per shared prefix (about 4x faster on the phone-context words).
    """
    root: dict = {}
    for phrase in phrases:
        node = root
        for unit in _phrase_units(phrase):
            node = node.setdefault(unit, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [unit + build(child) for unit, child in node.items() if unit]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(root) or "(?!)"


@lru_cache(maxsize=1)
def _phone_context():
    """Words that say a number is a phone number, in every language (wordlists/_lang: phone_context)."""
    phrases = set()
    for code in langdata.KNOWN:
        phrases.update(langdata.get(code).words("phone_context"))
    # messaging apps are where a number is used too
    phrases.update(("whatsapp", "whats app", "wechat", "viber", "telegram", "signal", "line id"))
    cased = [p for p in phrases if p.isupper()]         # "TEL", "LINE": only in capitals
    # compared folded: "Llámenos" is "llamenos" to "llam*"
    folded = sorted({fold(p) for p in phrases if not p.isupper()}, key=len, reverse=True)
    rx = "(?i:" + _trie_pattern(folded) + ")"
    if cased:
        rx += "|" + "|".join(regex.escape(p) for p in sorted(cased, key=len, reverse=True))
    return regex.compile(rx)


# digit groups with the separators phone numbers are written with, also across one line break
# ("+49 30\n5557 1234", "33 1 4 5 2\n- 8 7 0 9"); glued to Japanese or Chinese text on either side
# ("携帯090-1234-5678まで"); Japanese middle dots as separators ("0120・555・347")
_PHONE_CANDIDATE = lazy(regex.compile,
    r"(?<![\p{Latin}\p{N}_+])\+?\(?\d(?:[\d \t().\-/–—・･]|\n(?=[ \t]*[\-–]?[ \t]*[\d(+])){5,24}\d(?![\p{Latin}\p{N}_])")


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


@dataclass(frozen=True)
class Phone:
    start: int
    end: int
    number: str
    severity: Severity
    disguised: bool


def phones(ctx: Context) -> list[Phone]:
    if "phones" in ctx.cache:
        return ctx.cache["phones"]
    found: list[Phone] = []
    text = ctx.text
    taken: list[tuple[int, int]] = [(e.start, e.end) for e in emails(ctx)]
    taken += [(link.start, link.end) for link in links(ctx) if link.kind == "ip"]
    context_near = _ContextWords(text)
    for c_start, c_end in _phone_candidates(text):
        raw = text[c_start:c_end]
        if any(a < c_end and c_start < b for a, b in taken):
            continue
        if ctx.inside_longer_word(c_start, c_end):
            continue
        warm_phone_regions(ctx.marketplace.language)
        for start, end, valid in _parse_phones(raw, _regions(ctx)):
            start += c_start
            end += c_start
            if text[start] == "(" and ")" not in text[start:end]:
                start += 1  # "（06-6123-4567": the bracket opens a remark, it is not part of the number
            if start >= 2 and text[start - 1] in ".," and text[start - 2].isdigit():
                continue  # the tail of a dotted code ("Norm VG1 01.040 2014-12"), not a number of its own
            number = text[start:end]
            a, b = ctx.sentence_span(start)
            if "\n" in number:
                a = ctx.sentence_span(start)[0]
                b = ctx.sentence_span(end - 1)[1]
            if a > 0 and a >= start - 16:
                # "Tel. 338 123 4567", "cell. 338 ...": the abbreviation's dot ended a sentence; read the words before it
                a = ctx.sentence_span(a - 1)[0]
            context = context_near(max(a, start - 80), min(b, end + 40))
            international = number.startswith("+") and _digits(number) >= 10
            if not valid and not context and not international:
                continue  # "+52 1 33 2345 6789": a country code and ten digits are a phone number anywhere
            if "\n" in number and not (context or number.startswith("+") or (valid and _split_over_lines(number))):
                continue  # numbers on separate lines are a list unless the text says they are a phone number
            disguised = ctx.disguised(start, end)
            formatted = number.startswith("+") or "(" in number or len(regex.findall(r"\d+", number)) >= 3
            severity = Severity.ERROR if (context or disguised or formatted) else Severity.WARNING
            found.append(Phone(start, end, number, severity, disguised))
            taken.append((start, end))
    ctx.cache["phones"] = found
    return found


def _split_over_lines(number: str) -> bool:
    """One valid number cut into short pieces over a few lines ("33 1⏎234⏎5678", "０８０⏎４４１２⏎７７３０",
    "347 91⏎08 224"): a line of four digits or fewer, or lines none of which is a whole number (six digits
    or fewer each), are no items of a list of numbers, so the lines are one number."""
    lines = [ln for ln in number.split("\n") if ln.strip()]
    counts = [_digits(ln) for ln in lines]
    return 2 <= len(lines) <= 4 and (min(counts) <= 4 or max(counts) <= 6)


class _ContextWords:
    """Is there a phone-context word in ``text[start:end]``?

    A short text is searched window by window. In a long one (a 4 MB file, a page of digit runs)
    windows of neighbouring numbers overlap many times over, so the words are found once per block
    of the text, each block read with a margin, and a window asks the blocks it touches.
    """

    LONG, BLOCK, MARGIN = 4096, 4096, 96

    def __init__(self, text: str):
        self.text = text
        self.blocks: dict[int, Optional[list[tuple[int, int]]]] = {}

    @property
    def rx(self):
        """The words' pattern, made at the first number asked about: most texts have none."""
        return _phone_context()

    def _search(self, window: str) -> bool:
        return bool(self.rx.search(window) or self.rx.search(fold_text(window)))

    def _block(self, k: int) -> Optional[list[tuple[int, int]]]:
        if k not in self.blocks:
            s = max(0, k * self.BLOCK - self.MARGIN)
            seg = self.text[s:(k + 1) * self.BLOCK + self.MARGIN]
            folded = fold_text(seg)
            if len(folded) != len(seg):
                self.blocks[k] = None  # folding moved the offsets: search window by window here
            else:
                self.blocks[k] = [(m.start() + s, m.end() + s)
                                  for src in (seg, folded) for m in self.rx.finditer(src)]
        return self.blocks[k]

    def __call__(self, start: int, end: int) -> bool:
        if len(self.text) <= self.LONG:
            return self._search(self.text[start:end])
        for k in range(start // self.BLOCK, (max(start, end - 1)) // self.BLOCK + 1):
            spans = self._block(k)
            if spans is None:
                return self._search(self.text[start:end])
            if any(start <= a and b <= end for a, b in spans):
                return True
        return False


# shapes that are never phone numbers whatever surrounds them: an order ID, a long digit run
_PLAIN_LOOKALIKE = lazy(regex.compile, r"\d{3}-\d{7}-\d{7}|\d{13,}")


@lru_cache(maxsize=4096)
def _mask(window: str) -> str:
    return mask(window)


@lru_cache(maxsize=1024)
def _international_run(run: str) -> bool:
    """A 13-15 digit run that is a valid number once "+" is put before it ("4915123456789" after "WhatsApp"): the
    country code written without its plus. It stays a phone number only where a phone word is near (see ``phones``)."""
    if not (run.isdigit() and 13 <= len(run) <= 15):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+" + run, None))
    except phonenumbers.NumberParseException:
        return False


def _phone_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Digit runs that may be phone numbers once look-alikes (order IDs, tracking, dates...) are masked.

    Masking is done only in a window around each raw candidate: most texts have a few numbers,
    and masking the whole text is the slowest step of a check.
    """
    for raw in _PHONE_CANDIDATE.finditer(text):
        if _digits(raw.group()) < 7:
            continue
        if _PLAIN_LOOKALIKE.fullmatch(raw.group()):
            if _international_run(raw.group()) and not labelled(text, raw.start(), raw.end()):
                yield raw.start(), raw.end()  # a long run a tracking mask would take, but a number after its plus
            continue
        w_start = max(0, raw.start() - 48)
        w_end = min(len(text), raw.end() + 8)
        masked = _mask(text[w_start:w_end])
        inner = masked[raw.start() - w_start: raw.end() - w_start]
        for cand in _PHONE_CANDIDATE.finditer(inner):
            if _digits(cand.group()) >= 7:
                yield raw.start() + cand.start(), raw.start() + cand.end()


# where a number written in a language's national format is valid: a German reply on amazon.co.uk gives a
# German number; the French overseas departments dial French-style ten-digit numbers of their own (0696 in
# Martinique, 0692 in La Réunion); Luxembourg, Switzerland and Spanish-speaking America are left out, their
# short national formats make standard, serial and model numbers valid phone numbers
_LANG_REGIONS = {"en": ("US", "GB"), "de": ("DE", "AT", "CH"),
                 "fr": ("FR", "CA", "BE", "GP", "MQ", "GF", "RE", "YT"), "es": ("ES", "MX"),
                 "it": ("IT",), "ja": ("JP",), "zh": ("CN",)}


def _regions(ctx: Context) -> tuple[str, ...]:
    regions = [ctx.marketplace.region]
    langs = ctx.languages.term_langs() if ctx.languages is not None else (ctx.lang,)
    for code in langs:
        regions.extend(r for r in _LANG_REGIONS.get(code, ()) if r not in regions)
    return tuple(regions)


@lru_cache(maxsize=None)
def warm_phone_regions(lang: str) -> None:
    """Load and exercise the phone-number metadata of a language's marketplaces, once per process.

    libphonenumber loads a region's metadata and compiles its patterns at the first number it sees of
    that region; done for the whole language at the first candidate number of a text in it, the first
    message on another marketplace of the language (UK after US) costs nothing extra, and a text
    without digits costs nothing (a linter no longer warms them when it is made: ~15 ms of a cold check).
    """
    from msglint.marketplaces import MARKETPLACES  # noqa: PLC0415 (no cycle at import time)

    regions = {m.region for m in MARKETPLACES.values() if m.language == lang} | set(_LANG_REGIONS.get(lang, ()))
    for region in sorted(regions):
        example = phonenumbers.example_number(region)
        if example is not None:
            number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            for _ in PhoneNumberMatcher(number, region, leniency=Leniency.VALID):
                pass


@lru_cache(maxsize=4096)
def _parse_phones(raw: str, regions: tuple[str, ...]) -> list[tuple[int, int, bool]]:
    """Phone numbers inside one candidate string: (start, end, valid for one of the regions)."""
    raw = raw.replace("\n", " ")  # a number split over lines is read as one line (same length)
    out = []
    for region in regions:
        for m in PhoneNumberMatcher(raw, region, leniency=Leniency.VALID):
            out.append((m.start, m.end, True))
        if out:
            return out
    region = regions[0]
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


# --- links ------------------------------------------------------------------------------------

# quotation marks and brackets of every script end a link; trailing punctuation is not part of it
_QUOTES = "\"'`„“”‚‘’«»‹›「」『』（）【】〈〉《》"
_TRAIL = ".,;:!?)]}" + _QUOTES + "。、，！？"
_URLCHAR = r"[^\s<>\p{Han}\p{Hiragana}\p{Katakana}" + regex.escape(_QUOTES) + r"]"
_URL = lazy(regex.compile,
    rf"(?P<scheme>\b(?:https?|ftp)://{_URLCHAR}+)"
    rf"|(?P<www>(?<![\p{{Latin}}\p{{N}}_.\-/@])www\d?\.{_URLCHAR}+)"
    rf"|(?P<ip>(?<![\p{{Latin}}\p{{N}}_.\-/@])(?:{_OCTET}\.){{3}}{_OCTET}(?::\d{{2,5}})?(?:/{_URLCHAR}*)?(?![\p{{Latin}}\p{{N}}_]|\.[\p{{Latin}}\p{{N}}]))"
    rf"|(?P<bare>(?<![\p{{Latin}}\p{{N}}_.\-/@])(?:[\p{{Latin}}\p{{N}}_](?:[\p{{Latin}}\p{{N}}_\-]{{0,61}}[\p{{Latin}}\p{{N}}_])?\.){{1,16}}\p{{Latin}}{{2,63}}(?::\d{{2,5}})?(?:/{_URLCHAR}*)?(?![\p{{Latin}}\p{{N}}_\-@]))"
)
# Suffixes that are also everyday file extensions: "video.mov" is a file, not a site.
_FILE_LIKE = frozenset({"zip", "mov", "py", "sh", "md", "rs", "ps", "pl", "cs", "ai", "mp", "so", "bz", "gz", "js", "ts"})
_COMMON_TLDS = frozenset({"com", "net", "org", "info", "biz", "shop", "store", "online", "site", "co", "io",
                          "de", "fr", "es", "it", "uk", "jp", "ca", "au", "mx", "eu", "nl", "be", "at", "ch"})
_MAIL_SCHEME = lazy(regex.compile, r"(?i)mailto:$")
# a dot glued to a letter on both sides, a scheme or "www": cheap test before the full link regex
_LINK_HINT = lazy(regex.compile, r"[\w\-]\.\p{L}|://|www|\d\.\d{1,3}\.\d", regex.IGNORECASE)
_IPV4 = lazy(regex.compile, rf"{_OCTET}(?:\.{_OCTET}){{3}}")


@lru_cache(maxsize=1)
def _version_before():
    """Words before a dotted number that make it a version ("firmware 1.0.4.2"), every language."""
    words = sorted({w for code in langdata.KNOWN for w in langdata.get(code).words("version_words")},
                   key=len, reverse=True)
    # "firmware 1.0.4.2", "Version: 2.1.0.3", "ファームウェアは1.0.12.4" (a Japanese topic or case particle between)
    return regex.compile(r"(?i)(?:" + "|".join(regex.escape(w) for w in words) + r")[\s:：]*(?:[はがをの][\s:：]*)?$")


# the buyer's own network: RFC 1918 private ranges, loopback and link-local (not the documentation ranges)
_LOCAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                          "127.0.0.0/8", "169.254.0.0/16"))


def _local_address(host: str) -> bool:
    """A device on the buyer's own network, or no host at all: a subnet mask (255.255.255.0) or
    broadcast address is from the reserved range 240/4, 0.0.0.0 is unspecified, 224/4 multicast."""
    address = ipaddress.ip_address(host)
    return (any(address in net for net in _LOCAL_NETWORKS) or address.is_reserved or address.is_unspecified
            or address.is_multicast)


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    url: str
    host: str
    kind: str  # "shortener", "ip", "disguised", "link", "local" (a device on the buyer's own network),
    # "carrier" (a carrier's tracking or delivery page, not over http, in a message)


def host_of(url: str) -> str:
    u = regex.sub(r"(?i)^(?:https?|ftp)://", "", url)
    u = u.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    u = u.rsplit("@", 1)[-1]
    return u.split(":", 1)[0].lower()


def links(ctx: Context) -> list[Link]:
    """Every link and bare domain that is not Amazon's or allowed (local device addresses have kind 'local')."""
    if "links" in ctx.cache:
        return ctx.cache["links"]
    found: list[Link] = []
    text = ctx.text
    if _LINK_HINT.search(text):
        mails = [(e.start, e.end) for e in emails(ctx)]
        for m in _URL.finditer(text):
            start = m.start()
            url = m.group().rstrip(_TRAIL)
            end = start + len(url)
            if not url or any(a < end and start < b for a, b in mails):
                continue
            if _MAIL_SCHEME.search(text[max(0, start - 7):start]):
                continue
            host = host_of(url)
            kind = "ip" if _IPV4.fullmatch(host) else m.lastgroup
            if kind == "ip":
                parts = host.split(".")
                if len(parts) != 4 or any(int(p) > 255 for p in parts):
                    continue
                if _version_before().search(text[max(0, start - 16):start]):
                    continue
                if _local_address(host):
                    # a router's or device's own page on the buyer's network ("open 192.168.0.1"): not a site
                    found.append(Link(start, end, url, host, "local"))
                    continue
            elif kind == "bare":
                if not _plausible_bare_domain(url, host, ctx, start, end):
                    continue
            elif kind == "www" and not domains.is_public_suffix_domain(host):
                continue
            if domains.is_amazon(host) or _allowed(host, ctx.allow_domains):
                continue
            if ctx.kind == "message" and url[:7].lower() != "http://" and domains.is_carrier(host):
                # a carrier's tracking or delivery-booking page (https or written without a scheme): the order's
                # own business (MSG-L02); only an insecure http:// link to it is flagged (MSG-L04)
                found.append(Link(start, end, url, host, "carrier"))
                continue
            if domains.is_shortener(host):
                label = "shortener"
            elif kind == "ip":
                label = "ip"
            elif ctx.disguised(start, end):
                label = "disguised"
            else:
                label = "link"
            found.append(Link(start, end, url, host, label))
    ctx.cache["links"] = found
    return found


# technology names written like domains
_NOT_DOMAINS = frozenset({"asp.net", "vb.net", "ado.net", "dot.net"})
# a mobile carrier's access point name typed into a device's settings ("APN,internet.itelcel.com#",
# "APN: web.vodafone.de"): a setting, not a site
_APN_BEFORE = lazy(regex.compile, r"(?i)\bAPN(?:[ -]?namen?)?\s*[,:=：]?\s*[\"'«“「]?\s*$")
_APN_WORD = lazy(regex.compile, r"\bAPNs?\b")


# a brand word right before a capitalised name written with its dot ("la marca Flaut.io")
_BRAND_BEFORE = langdata.cue_before("brand_words", r"\s*[:：]?\s*[\"'«“„「]?$")


def _plausible_bare_domain(url: str, host: str, ctx: Context, start: int, end: int) -> bool:
    if not domains.is_public_suffix_domain(host) or host in _NOT_DOMAINS:
        return False
    # "Its IP will look like 192.168.0.xxx": an address with a placeholder, every label before the suffix a number
    if host.count(".") >= 2 and all(label.isdigit() for label in host.split(".")[:-1]):
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
    # "Lum.io Lampe de Bureau LED à Pince" in a listing title: the brand's name, written with its dot
    if ctx.kind == "listing" and ctx.field == "title" and raw_name[:1].isupper() and "/" not in url and not sub:
        return False
    # « Apiculture.com : 40 ans de ruches »: a capitalised name opening a quoted title of several words (a book, a
    # product), not a site the buyer is sent to
    if raw_name[:1].isupper() and "/" not in url and not sub and _opens_quoted_title(ctx.text, start, end):
        return False
    # "Lievito madre.com: storie di pane": a name inside a quoted title of several words
    if "/" not in url and not sub and _inside_quoted_title(ctx.text, start, end):
        return False
    # "los escobillones de la marca Flaut.io": a capitalised name right after a brand word names the brand
    if raw_name[:1].isupper() and "/" not in url and not sub and _BRAND_BEFORE.search(ctx.text, max(0, start - 24), start):
        return False
    if ctx.inside_longer_word(start, end):
        return False
    if "/" not in url and _APN_BEFORE.search(ctx.text, max(0, start - 16), start):
        return False
    # "L'APN si imposta dall'app: per TIM è ibox.tim.it, per Vodafone mobile.vodafone.it": access point names
    # listed after the word in their sentence
    if "/" not in url and _APN_WORD.search(ctx.text, ctx.sentence_span(start)[0], start):
        return False
    return True


_TITLE_OPEN = "«“„\"'『「"


def _inside_quoted_title(text: str, start: int, end: int) -> bool:
    """The name stands inside a quotation of four words or more that opened shortly before it on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40):start]
    for opening, closing in (("«", "»"), ("“", "”"), ("„", "“"), ('"', '"'), ("『", "』"), ("「", "」")):
        i = before.rfind(opening)
        if i < 0 or closing in before[i + 1:]:
            continue
        close = text.find(closing, end, end + 80)
        if close > 0 and len(regex.findall(r"\w+", before[i + 1:] + text[start:close])) >= 4:
            return True
    return False


def _opens_quoted_title(text: str, start: int, end: int) -> bool:
    """The name stands right after an opening quotation mark and the quotation goes on with three words or more."""
    before = text[max(0, start - 2):start].rstrip()
    if not before or before[-1] not in _TITLE_OPEN:
        return False
    rest = regex.match(r"[^»”“\"'』」\n]{0,80}", text[end:])
    rest = rest.group() if rest else ""
    # a subtitle after a colon or dash ("« Poterie.com : 50 projets »") is a title with fewer words
    words = 2 if regex.match(r"\s*[:–—-]\s", rest) else 3
    return len(regex.findall(r"[\p{L}\p{N}]{2,}", rest)) >= words


def _allowed(host: str, allow: frozenset) -> bool:
    if not allow:
        return False
    reg = domains.registered_domain(host)
    return host in allow or reg in allow
