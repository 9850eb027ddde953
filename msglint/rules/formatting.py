"""Formatting (FM): emojis, HTML, tracking pixels, GIFs, ALL-CAPS shouting and "!!!".

Emojis and HTML apply to messages and listings; shouting and repeated punctuation only to
messages (in listings, ALL-CAPS words and "!" are ``listing.format``).

* Emojis are found by Unicode property (``Extended_Pictographic``, regional-indicator flags,
  keycaps), whole sequences at a time: skin tones, ZWJ families and variation selectors stay
  in one finding. ©, ® and ™ are symbols, not emojis.
* HTML is read with Python's own ``html.parser`` (a real parser, not a regex over "<...>"),
  only for known HTML element names, so "<0.5 W", ">60 °C", "Step 3 -> attach" or "<your
  name>" are not tags. The parser's line/column positions are turned back into exact
  character offsets.
* The acronym list that keeps "USB LED HDMI" from counting as shouting is data:
  ``wordlists/formatting/acronyms.txt``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Iterator, Optional

import regex

from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint.spans import join_split_runs
from msglint.resources import wordlists_dir

BOTH = frozenset({"message", "listing"})
MESSAGE = frozenset({"message"})

# --- emoji -----------------------------------------------------------------------------------

_NOT_EMOJI = frozenset("©®™‼⁉ℹ〰")
_RATING_STARS = frozenset("★☆")
# pictographs that are ordinary typography unless written with the emoji variation selector
_TYPOGRAPHIC = frozenset("↔↕↖↗↘↙↩↪➡⤴⤵⬅⬆⬇▪▫▶◀◻◼◽◾〽Ⓜ")
# One emoji: a flag (two regional indicators), a keycap, or a pictograph with its skin tone;
# ZWJ and variation selectors were dropped by normalisation, so a ZWJ family is a run of
# pictographs and is taken whole by the "+".
_EMOJI_RUN = lazy(regex.compile,
    r"(?:\p{Regional_Indicator}{2}|[0-9#*]\u20e3|[\p{Extended_Pictographic}★☆][\p{Emoji_Modifier}\u20e3]*)+"
)
_PRESENTATION = lazy(regex.compile, r"[\p{Emoji_Presentation}\p{Regional_Indicator}\p{Emoji_Modifier}\u20e3]")


def emoji(ctx: Context) -> Iterator[Hit]:
    """Emoji, including flags, keycaps, skin-tone and ZWJ sequences.

    What it flags: every run of emojis ("😊", "⭐⭐⭐⭐⭐", "👍🏽", "👨‍👩‍👧", "🇩🇪", "1️⃣") as one finding.
    Pictographs that are text symbols unless styled as emoji ("✔", "➡", "☎" without the
    emoji variation selector) and, in messages, rating stars "★☆" are warnings.
    Not flagged: ©, ® and ™ (trademark symbols: in listings they are ``listing.format``),
    "⎓", "°", arrows written "->".
    Why: Amazon does not allow emojis in buyer messages (POLICY MSG-S01) nor in bullet points
    and other listing text (LST-B01).
    Examples: flagged "Thanks for shopping with us 😊🎉"; fine "Thanks for your order, Jess."
    Known false positives: a symbol a seller uses as plain punctuation ("▶ Step 1").
    Fix: delete the emoji; say it in words if it carried meaning.
    """
    return iter(join_split_runs(ctx, list(_emoji_hits(ctx))))


def _emoji_hits(ctx: Context) -> Iterator[Hit]:
    text = ctx.text
    if "\u20e3" in ctx.original:
        yield from _keycaps(ctx)
    if text.isascii():
        return
    for m in _EMOJI_RUN.finditer(text):
        run = m.group()
        if all(ch in _NOT_EMOJI for ch in run):
            continue
        start, end = m.start(), m.end()
        # trim symbols that are not emojis from the edges ("™😀")
        while start < end and text[start] in _NOT_EMOJI:
            start += 1
        while end > start and text[end - 1] in _NOT_EMOJI:
            end -= 1
        run = text[start:end]
        stars = all(ch in _RATING_STARS for ch in run)
        if stars and ctx.kind != "message":
            continue
        styled = bool(_PRESENTATION.search(run)) or "\ufe0f" in ctx.original_text(start, end)
        if not styled and all(ch in _TYPOGRAPHIC for ch in run):
            continue  # arrows and squares used as typography ("USB-C ↔ HDMI", "▪ 2 m cable")
        severity = None if (styled and not stars) else Severity.WARNING
        yield Hit(start, end, {"emoji": run}, severity=severity, fix="")


def _keycaps(ctx: Context) -> Iterator[Hit]:
    """Keycap emojis ("4️⃣"): normalisation keeps their digit (a phone number written in keycaps is
    still a number), so they are found through the original text behind each digit."""
    text = ctx.text
    run_start = None
    for i, ch in enumerate(text + " "):
        keycap = ch in "0123456789#*" and "\u20e3" in ctx.original_text(i, i + 1)
        if keycap and run_start is None:
            run_start = i
        elif not keycap and run_start is not None:
            if not (ch.isspace() and i + 1 < len(text) and text[i + 1] in "0123456789#*"
                    and "\u20e3" in ctx.original_text(i + 1, i + 2)):
                yield Hit(run_start, i, {"emoji": text[run_start:i]})
                run_start = None


# --- HTML -------------------------------------------------------------------------------------

_HTML_ELEMENTS = frozenset("""
a abbr address area article aside audio b base basefont bdi bdo big blink blockquote body br button
canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em
embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup
hr html i iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav nobr
noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script
section select small source span strike strong style sub summary sup svg table tbody td template
textarea tfoot th thead time title tr track tt u ul var video wbr o:p
""".split())
_BOOLEAN_ATTRS = frozenset("""
hidden disabled checked selected readonly required multiple autoplay controls loop muted nowrap
noshade compact async defer novalidate autofocus open reversed allowfullscreen ismap itemscope
""".split())
_NEWLINE = lazy(regex.compile, r"\n")
_TAG_HINT = lazy(regex.compile, r"<(?:/?[A-Za-z][A-Za-z0-9:]*(?:[\s/>]|$)|!--)")
_PIXEL_SIZE = lazy(regex.compile, r"^\s*[01](?:\.0+)?\s*(?:px)?\s*$", regex.IGNORECASE)
_HIDDEN_STYLE = lazy(regex.compile,
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|(?:^|[;\s])(?:max-)?(?:width|height)\s*:\s*[01](?:\.0+)?\s*(?:px)?\s*(?:;|$)",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    name: str
    kind: str           # "start", "startend", "end", "comment"
    attrs: tuple
    orphan: bool = False  # an end tag with no start tag before it

    def attr(self, name: str) -> Optional[str]:
        for k, v in self.attrs:
            if k == name:
                return v or ""
        return None

    @property
    def tracking_pixel(self) -> bool:
        if self.name != "img":
            return False
        width, height, style = self.attr("width"), self.attr("height"), self.attr("style") or ""
        tiny = any(v is not None and _PIXEL_SIZE.match(v) for v in (width, height))
        return tiny or bool(_HIDDEN_STYLE.search(style)) or self.attr("hidden") is not None

    @property
    def gif(self) -> bool:
        src = (self.attr("src") or "").split("?", 1)[0].split("#", 1)[0].lower()
        return self.name == "img" and src.endswith(".gif")


class _TagCollector(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.tags: list[_Tag] = []
        self.open: dict[str, int] = {}

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, "start")

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, "startend")

    def _start(self, tag, attrs, kind):
        if tag not in _HTML_ELEMENTS:
            return
        # "if a<b and c>d": words read as value-less attributes are prose, not a tag
        if any(v is None and k not in _BOOLEAN_ATTRS for k, v in attrs):
            return
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.tags.append(_Tag(start, start + len(raw), tag, kind, tuple(attrs)))
        if kind == "start":
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if tag not in _HTML_ELEMENTS:
            return
        start = self._offset()
        close = self.text.find(">", start)
        end = close + 1 if close != -1 else len(self.text)
        orphan = not self.open.get(tag)
        if not orphan:
            self.open[tag] -= 1
        self.tags.append(_Tag(start, end, tag, "end", (), orphan))

    def handle_comment(self, data):
        start = self._offset()
        close = self.text.find("-->", start)
        end = close + 3 if close != -1 else len(self.text)
        self.tags.append(_Tag(start, end, "!--", "comment", ()))


def _tags(ctx: Context) -> list[_Tag]:
    cached = ctx.cache.get("html_tags")
    if cached is not None:
        return cached
    tags: list[_Tag] = []
    text = ctx.text
    if "<" in text and _TAG_HINT.search(text):
        parser = _TagCollector(text)
        try:
            parser.feed(text)
            parser.close()
        except Exception:  # html.parser is lenient; never let odd markup stop a check
            pass
        # only tags whose text really is a tag (the parser may report a truncated one)
        tags = [t for t in parser.tags if text.startswith("<", t.start) and t.end > t.start]
    ctx.cache["html_tags"] = tags
    return tags


def html_tag(ctx: Context) -> Iterator[Hit]:
    """HTML tag or comment in a message or listing.

    What it flags: each start tag (``<p>``, ``<b>``, ``<span style=...>``, ``<a href=...>``,
    ``<br>``), each end tag with no start tag (``</br>``) and HTML comments, for known HTML
    element names only. Tracking pixels have their own rule (FM003).
    Severity: in a message a warning (e-mail sent through Buyer-Seller Messaging may carry
    simple HTML), an error when the message goes through the API (a message type is given)
    or to the JP marketplace, whose contact form is plain text; in a listing an error, except
    ``<br>``/``</br>`` in the description, which is allowed and not reported.
    Not flagged: "<0.5 W", ">60 °C", "Step 3 -> attach", "<your name>".
    Why: SP-API message text must not contain HTML; plain-text forms block it; listings allow
    no HTML besides line breaks in the description (POLICY MSG-S06, MSG-S04, LST-G01).
    Examples: flagged ``<font color="red"><b>Ultra soft</b></font>``; fine "standby <0.5 W".
    Known false positives: a literal tag name in angle brackets meant as text ("press <b>").
    Fix: write plain text; use line breaks instead of tags. Link targets are checked by the
    contact.url rules.
    """
    tags = _tags(ctx)
    if not tags:
        return
    if ctx.kind == "message":
        strict = bool(ctx.message_type) or ctx.marketplace.code == "JP"
        severity = Severity.ERROR if strict else Severity.WARNING
    else:
        severity = Severity.ERROR
    for t in tags:
        if t.kind == "end" and not t.orphan:
            continue
        if t.tracking_pixel:
            continue
        if ctx.kind == "listing" and t.name == "br" and (ctx.field or "description") == "description":
            continue
        label = "comment" if t.kind == "comment" else f"<{t.name}>"
        yield Hit(t.start, t.end, {"tag": label}, severity=severity,
                  fix="\n" if t.name == "br" else None)


def tracking_pixel(ctx: Context) -> Iterator[Hit]:
    """Tracking pixel: a 1x1, 0-size or hidden image.

    What it flags: ``<img>`` with width or height 0 or 1 (``"1"``, ``"1px"``), a style with
    ``display:none``, ``visibility:hidden``, ``opacity:0`` or a 0/1-pixel width or height,
    or the ``hidden`` attribute.
    Why: tracking pixels and tracking images are prohibited in buyer messages (POLICY MSG-S03)
    and HTML of any kind is prohibited in listings (LST-G01).
    Examples: flagged ``<img src="https://t.mytool.io/open?id=1" width="1" height="1">``;
    fine ``<img src="https://cdn.example/logo.png" width="120" alt="Logo">`` (an HTML warning).
    Known false positives: a spacer image from an old e-mail template (remove it anyway).
    Fix: remove the image.
    """
    for t in _tags(ctx):
        if t.kind in ("start", "startend") and t.tracking_pixel:
            yield Hit(t.start, t.end, fix="")


def gif_image(ctx: Context) -> Iterator[Hit]:
    """GIF image embedded in a message.

    What it flags: ``<img>`` whose source is a ``.gif`` file (animated banners, "thank you"
    GIFs) and that is not a tracking pixel (FM003 reports those).
    Why: GIFs, animated or not, are not allowed in buyer messages (POLICY MSG-S02).
    Examples: flagged ``<img src="https://cdn.shop.com/thanks.gif">``; fine a PNG logo.
    Known false positives: none known.
    Fix: remove the GIF; a static brand logo (PNG/JPEG, https, alt text) is the most a
    message may carry.
    """
    for t in _tags(ctx):
        if t.kind in ("start", "startend") and t.gif and not t.tracking_pixel:
            yield Hit(t.start, t.end, fix="")


# --- ALL CAPS ----------------------------------------------------------------------------------

_CAPS_WORD = lazy(regex.compile, r"(?<![\p{L}\p{N}])\p{Lu}[\p{Lu}\p{M}'’]*\p{Lu}(?![\p{L}\p{N}])")
_LOWER = lazy(regex.compile, r"[\p{Ll}\p{Lo}\p{Lt}\n]")
_SENTENCE_END = lazy(regex.compile, r"[.!?。！？](?:\s|$)")
_VOWEL = lazy(regex.compile, r"[AEIOUYÀÁÂÄÆÈÉÊËÌÍÎÏÒÓÔÖŒÙÚÛÜÅØ]")
_MIN_SHOUT_WORDS = 3
_QUOTES = frozenset("\"'“”„«»‘’「」『』")
_AFTER_BREAK = lazy(regex.compile, r"(?:^|[.!?:]\s+|\n\s*)\Z")
_SENTENCE_START = lazy(regex.compile, r"([.!?]\s+)(\p{Ll})")


@lru_cache(maxsize=1)
def _acronyms() -> frozenset:
    path = wordlists_dir() / "formatting" / "acronyms.txt"
    words = set()
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.upper())
    return frozenset(words)


def _acronym(word: str) -> bool:
    return word in _acronyms() or not _VOWEL.search(word)


def _sentence_case(text: str, words: list) -> str:
    """The caps stretch covered by ``words`` (regex matches) in sentence case, acronyms kept."""
    start, end = words[0].start(), words[-1].end()
    out = []
    pos = start
    capital = start == 0 or bool(_AFTER_BREAK.search(text, max(0, start - 3), start))
    for m in words:
        out.append(text[pos:m.start()])
        word = m.group()
        if _acronym(word):
            out.append(word)
        else:
            low = word.lower()
            out.append(low[:1].upper() + low[1:] if capital else low)
        capital = False
        pos = m.end()
    out.append(text[pos:end])
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), "".join(out))


def all_caps(ctx: Context) -> Iterator[Hit]:
    """Shouting: text written in capital letters in a message.

    What it flags: a stretch of three or more upper-case words (not counting acronyms) with no
    lower-case letter in between, such as "PLEASE DO NOT THROW AWAY THE ORIGINAL BOX" or a whole
    message in capitals, reported sentence by sentence; two or more two-word stretches in one
    message ("BITTE LESEN: ... 24 STUNDEN LADEN"), or one with a shouted word elsewhere ("a TOTAL LIE
    ... Remove it TODAY"), are a warning.
    Not flagged: acronyms and codes ("USB LED", "FBA", "UPS", "HDMI", "ASIN", "SKU", "LMR-12V-2A",
    "EF-EOS"), words without a vowel, one or two capitalised words for emphasis ("IMPORTANT:"). The acronym
    list is data: ``wordlists/formatting/acronyms.txt``.
    Why: capitals read as shouting; messages must be courteous and follow Amazon's styling
    rules (POLICY MSG-C08, MSG-S04). In listings ALL-CAPS words are ``listing.format``.
    Examples: flagged "YOUR REFUND HAS BEEN ISSUED."; fine "The USB LED version runs from a
    5 V USB port."
    Known false positives: a brand name of three or more words written in capitals (add it to
    the acronym list).
    Fix: write in sentence case.
    """
    text = ctx.text
    words = [m for m in _CAPS_WORD.finditer(text) if not _code_piece(text, m)]
    if len(words) < _MIN_SHOUT_WORDS:
        return
    blocks: list[list] = []
    current: list = []
    for m in words:
        if current and _LOWER.search(text, current[-1].end(), m.start()):
            blocks.append(current)
            current = []
        current.append(m)
    if current:
        blocks.append(current)
    # two-word stretches count when the message has two or more of them: "BITTE LESEN: ... 24 STUNDEN
    # LADEN" shouts as much as one long stretch (a warning: one such pair is emphasis)
    pairs = [b for b in blocks if sum(not _acronym(m.group()) for m in b) == 2 and not _quoted_block(
        text, b[0].start(), b[-1].end())]
    # ... and so does one pair with a shouted word elsewhere: "a COMPLETE LIE. Take it down TODAY"
    singles = [b for b in blocks if [m for m in b if not _acronym(m.group()) and len(m.group()) >= 4] and sum(
        not _acronym(m.group()) for m in b) == 1 and not _quoted_block(text, b[0].start(), b[-1].end())
        and not text.startswith(":", b[-1].end())]  # "IMPORTANT:" is a label, not shouting
    if len(pairs) >= 2 or (pairs and singles):
        for block in pairs:
            for hit in _caps_piece(ctx, block):
                yield Hit(hit.start, hit.end, fix=hit.fix, severity=Severity.WARNING)
        for block in singles if pairs else ():
            shouted = [m for m in block if not _acronym(m.group())][0]
            yield Hit(shouted.start(), shouted.end(), fix=_sentence_case(text, [shouted]), severity=Severity.WARNING)
    for block in blocks:
        if sum(not _acronym(m.group()) for m in block) < _MIN_SHOUT_WORDS:
            continue
        if _quoted_block(text, block[0].start(), block[-1].end()):
            continue  # a quoted label or error message: 'the display shows "CHECK FILTER NOW"'
        # one finding per sentence of the block
        piece: list = []
        for m in block:
            if piece and _SENTENCE_END.search(text, piece[-1].end(), m.start()):
                yield from _caps_piece(ctx, piece)
                piece = []
            piece.append(m)
        yield from _caps_piece(ctx, piece)


_CODE_NEIGHBOUR = lazy(regex.compile, r"[\p{Lu}\p{N}]")


def _code_piece(text: str, m) -> bool:
    """A piece of a hyphenated code ("EF-EOS", "ADP-EFR", "LMR-12V-2A"): a model or part name, not shouting."""
    start, end = m.start(), m.end()
    after = text[end:end + 2]
    before = text[max(0, start - 2):start]
    return (len(after) == 2 and after[0] in "-/" and _CODE_NEIGHBOUR.match(after[1]) is not None) or \
        (len(before) == 2 and before[1] in "-/" and _CODE_NEIGHBOUR.match(before[0]) is not None)


def _quoted_block(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip(" .!?")
    return bool(before) and before[-1] in _QUOTES and bool(after) and after[0] in _QUOTES


def _caps_piece(ctx: Context, piece: list) -> Iterator[Hit]:
    shouted = [m for m in piece if not _acronym(m.group())]
    if len(shouted) < 2:
        return
    yield Hit(piece[0].start(), piece[-1].end(), fix=_sentence_case(ctx.text, piece))


# --- punctuation ------------------------------------------------------------------------------

_REPEATED = lazy(regex.compile, r"[!?]{2,}")


def repeated_punctuation(ctx: Context) -> Iterator[Hit]:
    """Runs of exclamation or question marks ("!!!", "???", "?!?!").

    What it flags: three or more "!"/"?" in a row (error), two in a row (warning).
    Fullwidth "！！" counts the same.
    Why: excessive punctuation reads as pressure or spam and breaks Amazon's styling rules
    (POLICY MSG-S04, MSG-C08). In listings, "!" is a banned title character (``listing.format``).
    Examples: flagged "We are so sorry!!!!"; fine "We are so sorry!"
    Known false positives: none known.
    Fix: use one mark.
    """
    return iter(join_split_runs(ctx, list(_repeated_hits(ctx))))


def _repeated_hits(ctx: Context) -> Iterator[Hit]:
    text = ctx.text
    if "!!" not in text and "??" not in text and "!?" not in text and "?!" not in text:
        return
    for m in _REPEATED.finditer(text):
        run = m.group()
        severity = Severity.ERROR if len(run) >= 3 else Severity.WARNING
        yield Hit(m.start(), m.end(), {"marks": run}, severity=severity, fix="?" if "?" in run else "!")


RULES = (
    Rule("FM001", "emoji", "formatting", BOTH, Severity.ERROR,
         "Remove the emoji '{text}': Amazon does not allow emojis in buyer messages or listings.",
         emoji, fix="", fix_safe=True),
    Rule("FM002", "html-tag", "formatting", BOTH, Severity.WARNING,
         "Remove the HTML {tag} '{text}': write plain text (HTML is not allowed in API messages, "
         "plain-text forms or listings).", html_tag),
    Rule("FM003", "tracking-pixel", "formatting", BOTH, Severity.ERROR,
         "Remove the tracking pixel '{text}': tracking images are not allowed in buyer messages.",
         tracking_pixel, fix="", fix_safe=True),
    Rule("FM004", "gif-image", "formatting", BOTH, Severity.ERROR,
         "Remove the GIF image '{text}': GIFs are not allowed in buyer messages.",
         gif_image, fix="", fix_safe=True),
    Rule("FM005", "all-caps-shouting", "formatting", MESSAGE, Severity.WARNING,
         "Rewrite '{text}' in sentence case: text in capitals reads as shouting.", all_caps),
    Rule("FM006", "repeated-punctuation", "formatting", MESSAGE, Severity.ERROR,
         "Replace '{text}' with a single mark: repeated exclamation or question marks read as "
         "shouting.", repeated_punctuation, fix_safe=True),
)
