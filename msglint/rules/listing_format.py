"""Listing field format (LF): lengths, banned characters, symbols, ALL CAPS, repeated words,
placeholders and ASINs.

Lengths are counted on the text as written (the original, before normalisation): characters
for titles, bullets and descriptions, UTF-8 bytes for search terms. Characters that NFKC
rewrites ("™" -> "TM", "…" -> "...", "º" -> "o") are looked up in the original too. Emojis
and HTML belong to the formatting family and are not reported here.

Which words are shouting: a word in capitals that is a dictionary word of the listing's
language (spaCy's lookup tables: ``lemma_lookup``, and for English ``lemma_index`` too) and
not an acronym, unit, size or model word (``wordlists/listing/units_acronyms.yml``), nor part
of a declared brand. Capitalised words that no dictionary knows ("ASICS", "IPX7", "600D")
are brands and codes, never shouting.
"""
from __future__ import annotations

import bisect
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import Iterator, Optional

import regex
import yaml

from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint.lexicon import full_table
from msglint.pipeline import stop_words
from msglint.resources import wordlists_dir
from msglint.rules.listing import (LISTING, SEARCH_TERMS, TITLE, field_of, g, listing_data, listing_terms,
                                   merge_spans, term_language, term_languages, word_set, words_of)

TITLE_AND_BULLET = frozenset({"title", "bullet"})
TITLE_AND_SEARCH = frozenset({"title", "search_terms"})
BULLET = frozenset({"bullet"})
DESCRIPTION = frozenset({"description"})

# --- helpers ---------------------------------------------------------------------------------


def _norm_index(ctx: Context, original_index: int) -> int:
    """The first normalised position whose original position is at or after ``original_index``."""
    return bisect.bisect_left(ctx.norm.starts, original_index)


def _norm_span(ctx: Context, o_start: int, o_end: int) -> tuple[int, int]:
    starts = ctx.norm.starts
    a = bisect.bisect_right(starts, o_start) - 1
    b = bisect.bisect_left(starts, o_end)
    return max(0, a), max(a + 1, b)


def _brand_spans(ctx: Context) -> list[tuple[int, int]]:
    """Where declared brands occur in the normalised text (case-insensitive)."""
    if "listing_brand_spans" in ctx.cache:
        return ctx.cache["listing_brand_spans"]
    spans = []
    low = ctx.text.lower()
    for brand in ctx.brands:
        b = unicodedata.normalize("NFKC", brand or "").strip().lower()
        if not b:
            continue
        pos = low.find(b)
        while pos != -1:
            spans.append((pos, pos + len(b)))
            pos = low.find(b, pos + 1)
    ctx.cache["listing_brand_spans"] = spans
    return spans


def _in_brand(ctx: Context, start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in _brand_spans(ctx))


def _overflow(ctx: Context, limit: int) -> tuple[int, int]:
    """The normalised span of the original text beyond ``limit`` characters."""
    return _norm_index(ctx, limit), len(ctx.text)


# --- lengths -----------------------------------------------------------------------------------

TITLE_MAX = 200
TITLE_GUIDE = {"UK": 150, "FR": 150}


def title_length(ctx: Context) -> Iterator[Hit]:
    """Title longer than 200 characters (on amazon.co.uk and amazon.fr: longer than 150, a warning).

    What it flags: the part of a title beyond the limit, counting every character of the text as
    written, spaces included.
    Why: 200 characters including spaces is the hard limit for titles; the UK/FR creation
    guideline asks for 150 (POLICY LST-T01, section 8).
    Examples: flagged a 230-character keyword-stuffed title; fine a 190-character title, and a
    title of exactly 200 characters.
    Known false positives: categories with a longer limit (none known); some categories have
    a shorter one, which this rule does not know.
    Fix: cut the title to the product's brand, type, key attribute, size and colour.
    """
    n = len(ctx.original)
    guide = TITLE_GUIDE.get(ctx.marketplace.code)
    if n > TITLE_MAX:
        start, end = _overflow(ctx, TITLE_MAX)
        yield Hit(start, end, {"length": n, "limit": TITLE_MAX})
    elif guide and n > guide:
        start, end = _overflow(ctx, guide)
        yield Hit(start, end, {"length": n, "limit": guide}, severity=Severity.WARNING)


def bullet_length(ctx: Context) -> Iterator[Hit]:
    """Bullet point longer than 250 characters (warning) or 500 characters (error).

    What it flags: the part of a bullet beyond 250 characters (warning) or 500 (error).
    Why: sources disagree on the bullet limit (about 250 vs 500); the policy stance is to warn
    above 250 and to block above 500 (POLICY LST-B05, section 8).
    Examples: flagged a 600-character bullet; fine a 240-character bullet.
    Known false positives: categories that allow longer bullets (warning only up to 500).
    Fix: keep one feature per bullet and move detail to the description.
    """
    n = len(ctx.original)
    if n > 500:
        start, end = _overflow(ctx, 500)
        yield Hit(start, end, {"length": n, "limit": 500})
    elif n > 250:
        start, end = _overflow(ctx, 250)
        yield Hit(start, end, {"length": n, "limit": 250}, severity=Severity.WARNING)


def description_length(ctx: Context) -> Iterator[Hit]:
    """Product description longer than 2,000 characters.

    What it flags: the part of a description beyond 2,000 characters (line-break tags count).
    Why: the description is plain text of up to about 2,000 characters; longer text is cut
    (POLICY LST-D01).
    Examples: flagged a 2,400-character description; fine a 1,800-character one.
    Known false positives: none known.
    Fix: shorten the description; put long content in A+ content.
    """
    n = len(ctx.original)
    if n > 2000:
        start, end = _overflow(ctx, 2000)
        yield Hit(start, end, {"length": n, "limit": 2000})


SEARCH_TERM_BYTES = {"IN": 199, "JP": 499}
SEARCH_TERM_DEFAULT = 249


def search_terms_bytes(ctx: Context) -> Iterator[Hit]:
    """Search terms longer than 249 bytes of UTF-8 (India: 199; Japan: 499, warning above 249).

    What it flags: the part of the search terms beyond the byte limit, counting every byte of
    the UTF-8 text, spaces and punctuation included ("ä" and "£" are 2 bytes, "€" and kana 3).
    Why: Amazon indexes fewer than 250 bytes (200 in India, 500 in Japan) and ignores the whole
    field when it is too long; whether spaces count is disputed, so all bytes are counted
    (POLICY KW-01, section 8).
    Examples: flagged 260 bytes of keywords; fine 245 bytes.
    Known false positives: none known.
    Fix: drop repeated words, words already in the title, brand names and stop words.
    """
    data = ctx.original.encode("utf-8")
    n = len(data)
    code = ctx.marketplace.code
    limit = SEARCH_TERM_BYTES.get(code, SEARCH_TERM_DEFAULT)
    severity = None
    if n <= limit:
        if code == "JP" and n > SEARCH_TERM_DEFAULT:
            limit, severity = SEARCH_TERM_DEFAULT, Severity.WARNING
        else:
            return
    # the first character that does not fit entirely within the limit
    cut = len(data[:limit].decode("utf-8", errors="ignore"))
    start, end = _overflow(ctx, cut)
    yield Hit(start, end, {"bytes": n, "limit": limit}, severity=severity)


# --- characters ----------------------------------------------------------------------------------

_BANNED = lazy(regex.compile, r"([!$?_{}^¬¦])\1*")


def title_banned_character(ctx: Context) -> Iterator[Hit]:
    """A character banned in titles: ! $ ? _ { } ^ ¬ ¦ (unless part of the declared brand).

    What it flags: each run of these characters in a title ("!!!", "$", "_", "{", "}"), also in
    their fullwidth forms.
    Why: Amazon's title requirements ban these characters unless they are part of the
    registered brand name (POLICY LST-T03).
    Examples: flagged "Throw Blanket!! Only $19.99", "Corvin_Tools Drill {20V}"; fine
    "Yahoo! Widget" with --brand "Yahoo!", "Style #4301".
    Known false positives: a brand with such a character that was not declared (--brand or the
    brand_name column).
    Fix: remove the character, or declare the brand.
    """
    text = ctx.text
    for m in _BANNED.finditer(text):
        if _in_brand(ctx, m.start(), m.end()):
            continue
        if m.group()[0] in "!?" and regex.match(r"\p{L}", text[m.start() - 1:m.start()] or " ") \
                and regex.match(r"\p{Lu}", text[m.end():m.end() + 1] or " "):
            continue  # inside a registered name: "FRITZ!Box", "Yahoo!Mail"
        yield Hit(m.start(), m.end(), {"char": m.group()[0]})


_DECORATIVE = lazy(regex.compile, r"([~#<>*])\1*")
_NUMBER_AFTER = lazy(regex.compile, r"\s?=?\s?[-+]?\d")
_IDENT_AFTER = lazy(regex.compile, r"\s?[A-Za-z]{0,3}\d")


def _measurement_or_identifier(text: str, start: int, end: int, ch: str) -> bool:
    if end - start > 1:
        return False  # "<<", "**", "~~" are decoration
    before = text[max(0, start - 2):start].rstrip()
    after = text[end:end + 6]
    if ch == "#":
        if _IDENT_AFTER.match(after):
            return True  # "Style #4301", "#10 envelope", "#A12"
        return bool(regex.search(r"(?<![\w])[A-Ga-g]$", text[max(0, start - 2):start]))  # "C#", "F#"
    if ch in "<>":
        return bool(_NUMBER_AFTER.match(after))  # "<10 lb", "> 60 °C", ">=5"
    if ch == "~":
        return bool(_NUMBER_AFTER.match(after))  # "~5 kg", "5~10 cm"
    if ch == "*":
        return bool(before[-1:].isdigit() and _NUMBER_AFTER.match(after))  # "30*40 cm"
    return False


def title_decorative_character(ctx: Context) -> Iterator[Hit]:
    """"~ # < > *" in a title used as decoration rather than in an identifier or a measurement.

    What it flags: these characters unless they introduce a number or identifier ("Style #4301",
    "#10", "<10 lb", "~5 kg", "30*40 cm", "C#"); doubled forms ("<<", "**") are always decoration.
    Why: Amazon allows these characters in titles only in identifiers and measurements
    (POLICY LST-T03; its own bad example: "Beach Coverup << Size Kids XXS >>").
    Examples: flagged "*** Waterproof *** Jacket", "<< Size Kids XXS >>"; fine "Style #4301",
    "#1 Phillips Screwdriver", "Scale <10 lb".
    Known false positives: a character that is part of an undeclared brand.
    Fix: remove the decoration.
    """
    text = ctx.text
    for m in _DECORATIVE.finditer(text):
        if _in_brand(ctx, m.start(), m.end()):
            continue
        if not _measurement_or_identifier(text, m.start(), m.end(), m.group(1)):
            yield Hit(m.start(), m.end(), {"char": m.group(1)})


# symbols that are units or measurements, never decoration
_ALLOWED_SYMBOLS = frozenset("°⎓℃℉Ωµ′″%‰№")
_ALWAYS = {"©": None, "®": None, "™": None, "℠": None, "†": None, "‡": None}
_BULLET_WARN = frozenset("€¢£¥…±~")
_TITLE_WARN = frozenset("€¢£¥")
_SYMBOL_PROBE = lazy(regex.compile, r"[^\p{L}\p{N}\s\p{P}\p{Sk}$<>~^|+=*#_{}¦¬]")


_NEXT_TO_NUMBER = lazy(regex.compile, r"\d\s?\p{Sm}|\p{Sm}\s?\d")


def _emoji(ch: str, nxt: str) -> bool:
    """An emoji (the formatting family reports those): pictographic, or followed by VS16."""
    if ch in "©®™":
        return False
    return bool(regex.match(r"\p{Extended_Pictographic}", ch)) or nxt == "\ufe0f"


def special_character(ctx: Context) -> Iterator[Hit]:
    """Special symbols in a title or bullet: ©, ®, ™, †, ‡, ★, ●, ►, currency signs, "…", "±", "~".

    What it flags: in titles ©, ®, ™, ℠ and other non-language symbols (★ ● ■ ◆ ► ✓ ...) (error),
    currency signs (warning); in bullets the characters of Amazon's 2024 list: ™ ® © † ‡ (error)
    and € … ¢ £ ¥, "±" and "~" not followed by a number, and other decorative symbols (warning).
    Not flagged: °, ℃, ⎓, Ω, µ and other unit symbols; "×" in dimensions ("幅24cm×奥行24cm"); emojis (the formatting rules report those);
    symbols inside a declared brand.
    Why: titles must not use non-language characters such as © and ® (POLICY LST-T08); since
    2024-08-15 bullets must not contain "™ ® € … † ‡ º ¢ £ ¥ © ± ~" (POLICY LST-B01).
    Examples: flagged "WATERPROOF™ Jacket", "Widget® Two Pack"; fine "Oven-safe to 260 °C",
    "Output 12 V ⎓ 2 A".
    Known false positives: a trademark symbol the brand owner insists on (remove it anyway).
    Fix: remove the symbol; write prices nowhere, and "approximately" instead of "~".
    """
    original = ctx.original
    if original.isascii() and "~" not in original:
        return
    bullet = field_of(ctx) == "bullet"
    spans = []
    for i, ch in enumerate(original):
        if ch.isascii() and ch != "~":
            continue
        nxt = original[i + 1] if i + 1 < len(original) else ""
        severity: Optional[Severity] = Severity.WARNING
        if ch in _ALWAYS:
            severity = None
        elif bullet and ch in _BULLET_WARN:
            if ch in "±~" and regex.match(r"\s?\d", original[i + 1:i + 3]):
                continue
        elif not bullet and ch in _TITLE_WARN:
            pass
        elif ch == "~" or ch in _ALLOWED_SYMBOLS or not _SYMBOL_PROBE.match(ch):
            continue
        elif ch == "×" and regex.search(r"[\p{L}\p{N}]\s?$", original[max(0, i - 2):i]) and \
                regex.match(r"\s?[\p{L}\p{N}]", nxt + original[i + 2:i + 3]):
            continue  # a multiplication sign in dimensions: "幅24cm×奥行24cm", "30 × 40 cm"
        elif unicodedata.category(ch) not in ("So", "Sm") or _emoji(ch, nxt):
            continue
        elif unicodedata.category(ch) == "Sm" and _NEXT_TO_NUMBER.search(original, max(0, i - 2), i + 3):
            continue  # a measurement: "30 × 40 cm", "±0.1 mm", "≤ 5 W"
        elif ch == "×" and regex.search(r"\b\p{Lu}\s?×\s?\p{Lu}\b", original[max(0, i - 2):i + 3]):
            continue  # dimension labels: "(B × T × H)", "(W × D × H)"
        elif 0x3380 <= ord(ch) <= 0x33FF:
            continue  # Japanese unit squares: "24×18×12㎝", "650㎖" are ordinary Japanese typography
        elif not bullet:
            severity = None
        a, b = _norm_span(ctx, i, i + 1)
        if _in_brand(ctx, a, b):
            continue
        spans.append((a, b, severity))
    for start, end, sev in merge_spans(ctx, spans, joiner=regex.compile(r"")):
        yield Hit(start, end, severity=sev)


# --- ALL CAPS --------------------------------------------------------------------------------------

_CAPS_WORD = lazy(regex.compile, r"(?<![\p{L}\p{N}])\p{Lu}[\p{Lu}\p{M}'’]*\p{Lu}(?![\p{L}\p{N}])")
_TWO_CAPS = lazy(regex.compile, r"\p{Lu}\p{Lu}")
_RUN_GAP = lazy(regex.compile, r"[\s\-–/&+'’.]*(?:\d+(?:[.,]\d+)?\s?%?[\s\-–/&+]*)?")
_MODEL_AFTER = lazy(regex.compile, r"[ \-]?\d[\w\-./]*[A-Za-z\-/][\w\-./]*")
_VOWELS = frozenset("AEIOUYÄÖÜÀÂÉÈÊËÎÏÔÙÛÁÍÓÚ")
_ROMAN = lazy(regex.compile, r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_LEAD_BEFORE = lazy(regex.compile, r"(?:^|[\n.!?;]|[•●▪\-–*]\s*|\d[.)]\s*)\s*$")
_LEAD_AFTER = lazy(regex.compile, r"\s*[:：\-–—]")


_MEASURE = lazy(regex.compile, r"\d+(?:[.,]\d+)?([A-Za-z]+)")


def _is_measure(token: str, units: frozenset) -> bool:
    """"350ml", "20W", "5m" are measurements, not model codes."""
    m = _MEASURE.fullmatch(token)
    return bool(m and m.group(1).upper() in units)


@lru_cache(maxsize=1)
def _acronyms() -> tuple[frozenset, frozenset]:
    data = yaml.safe_load((wordlists_dir() / "listing" / "units_acronyms.yml").read_text("utf-8")) or {}
    up = lambda xs: frozenset(str(x).upper() for x in xs or ())  # noqa: E731
    return up(data.get("acronyms")), up(data.get("units"))


def _caps_words(ctx: Context) -> list[tuple[int, int, str]]:
    """Capitalised words: (start, end, kind) with kind 'shout', 'neutral'."""
    text = ctx.text
    if not _TWO_CAPS.search(text):
        return []
    langs = term_languages(ctx)
    acronyms, units = _acronyms()
    brand_words = {w for b in ctx.brands for w in regex.findall(r"[\p{L}\p{N}]+", unicodedata.normalize("NFKC", b).lower())}
    out = []
    for m in _CAPS_WORD.finditer(text):
        start, end = m.start(), m.end()
        word = m.group()
        if word.endswith(("TM", "SM")) and ctx.original_text(end - 2, end) in ("™", "℠"):
            end -= 2  # NFKC turned "WATERPROOF™" into "WATERPROOFTM"
            word = text[start:end]
            if len(word) < 2:
                continue
        letters = regex.sub(r"[^\p{L}]", "", word)
        if letters in acronyms or _ROMAN.fullmatch(letters) or len(letters) < 2:
            out.append((start, end, "neutral"))
            continue
        if letters in units and regex.search(r"\d\s?$", text[max(0, start - 3):start]):
            out.append((start, end, "neutral"))
            continue
        if len(letters) <= 5 and not (set(letters) & _VOWELS):
            out.append((start, end, "neutral"))  # "PVC", "HDMI"-like letter codes
            continue
        model = _MODEL_AFTER.match(text, end)
        if model and not _is_measure(model.group().strip(" -"), units):
            out.append((start, end, "neutral"))  # a model designation: "GSR 18V-55", "GAL 18V-20"
            continue
        lower = letters.lower()
        if lower in brand_words or _in_brand(ctx, start, end):
            out.append((start, end, "neutral"))
            continue
        if _code_like(text, start, end) or (_title_brand(ctx, start)
                                             and not any(lower in _term_words(code) for code in langs + ("en",))):
            out.append((start, end, "neutral"))
            continue
        out.append((start, end, "shout" if any(_is_word(l, lower) for l in langs) else "neutral"))
    return out


def _code_like(text: str, start: int, end: int) -> bool:
    """Part of a code: joined by a hyphen to another capitalised part ("MU-MIMO", "USB-C"), or by dots
    and digits ("21.HUS.71532")."""
    before, after = text[start - 1:start], text[end:end + 1]
    if (before == "-" and regex.match(r"\p{Lu}", text[start - 2:start - 1] or " ")) or \
            (after == "-" and regex.match(r"\p{Lu}", text[end + 1:end + 2] or " ")):
        return True
    return before in (".", "/") or after in (".", "/") and regex.match(r"[\p{Lu}\d]", text[end + 1:end + 2] or " ")


def _title_brand(ctx: Context, start: int) -> bool:
    """The first word of a title with no declared brand: Amazon titles start with the brand ("LEGO Technic",
    "SEB Autocuiseur"), which is written as registered (a marketing word of the term lists, "PREMIUM",
    is still shouting)."""
    return ctx.field == "title" and not ctx.brands and not ctx.text[:start].strip()


def _is_word(lang: str, lower: str) -> bool:
    """True when ``lower`` is a word of ``lang`` or of English (English marketing words are
    written in capitals on every marketplace: "SUPER", "PREMIUM")."""
    for code in ((lang, "en") if lang not in ("en", "ja") else ("en",)):
        if lower in _term_words(code) or _in_lookups(code, lower):
            return True
    return False


def _in_lookups(lang: str, lower: str) -> bool:
    if lower in _function_words(lang):
        return True
    table = _lemma_table(lang)
    if table is None:
        return False
    return (lower in table or lower.capitalize() in table or lower in _lemma_values(lang)
            or (lang == "en" and lower in _english_base_words()))


@lru_cache(maxsize=None)
def _function_words(lang: str) -> frozenset:
    """spaCy's stop words of ``lang`` (pronouns, determiners: "WHAT YOU GET" is shouting too)."""
    return frozenset(w.lower() for w in stop_words(lang))


@lru_cache(maxsize=None)
def _lemma_values(lang: str) -> frozenset:
    """The dictionary forms in the pipeline's lookup table (its keys are the inflected forms)."""
    table = _lemma_table(lang)
    values: set[str] = set()
    for v in (table.values() if table is not None else ()):
        if isinstance(v, str):
            values.add(v.lower())
        else:
            values.update(str(x).lower() for x in v)
    return frozenset(values)


@lru_cache(maxsize=1)
def _english_base_words() -> frozenset:
    """English base forms that have no inflection in ``lemma_lookup`` ("durable", "super")."""
    try:
        import spacy_lookups_data
        from spacy.util import load_language_data

        index = load_language_data(spacy_lookups_data.en["lemma_index"])
    except Exception:  # pragma: no cover - the table ships with spacy-lookups-data
        return frozenset()
    return frozenset(str(w).lower() for words in index.values() for w in words)


@lru_cache(maxsize=None)
def _term_words(lang: str) -> frozenset:
    words = set(word_set(lang, "stopwords"))
    for phrases in (listing_data(lang).get("terms") or {}).values():
        for phrase in phrases or ():
            words.update(regex.findall(r"\p{L}{2,}", str(phrase).lower()))
    return frozenset(words)


def all_caps(ctx: Context) -> Iterator[Hit]:
    """Words in ALL CAPS that are not acronyms, units, sizes or the declared brand.

    What it flags: runs of capitalised dictionary words in any listing field: "SUPER
    Thermoskanne", "PREMIUM ... LEAKPROOF Lid", "LIVRAISON GRATUITE". A lead-in of up to five
    words before a colon ("DURABLE MATERIAL: made of ...") and a run of up to three words are
    warnings; a longer run of shouting, outside a lead-in, is an error. In search terms always
    a warning (search is not case-sensitive).
    Not flagged: acronyms and units (LED, USB-C, HDMI, BPA, PVC, UV, XL, "15 BAR"), codes with
    digits (IPX7, 600D, 4K), roman numerals, words no dictionary knows (brands such as "ASICS"),
    one or two words of up to three letters (water resistance in ATM, UN ECE, a camera line such as EOS), and
    words of a declared brand.
    Why: titles must not be in capitals (POLICY LST-T06), and ALL CAPS in bullets is rejected
    (GoDataFeed 8102), while agencies still recommend an all-caps lead-in, hence the warning
    (POLICY LST-B06, section 8).
    Examples: flagged "PREMIUM Stainless Steel Water Bottle"; fine "Lumora LED Desk Lamp with
    USB-C Charging Port", "ASICS Gel-Kayano 30".
    Known false positives: a brand written in capitals that is also a word ("BLUE BIRD"); declare
    it with --brand or the brand_name column.
    Fix: write the words in title case ("Premium", "Durable Material").
    """
    words = _caps_words(ctx)
    if not any(kind == "shout" for _, _, kind in words):
        return
    text = ctx.text
    runs: list[list[tuple[int, int, str]]] = []
    for w in words:
        if runs and _RUN_GAP.fullmatch(text, runs[-1][-1][1], w[0]):
            runs[-1].append(w)
        else:
            runs.append([w])
    search = field_of(ctx) == "search_terms"
    for run in runs:
        shout = [w for w in run if w[2] == "shout"]
        if not shout:
            continue
        if len(run) <= 2 and all(len(regex.sub(r"[^\p{L}]", "", text[a:b])) <= 3 for a, b, _ in run):
            continue  # one or two short words ("10 ATM", "Canon EOS R5", "UN ECE R129", "20%OFF") are acronyms or a line
        start, end = shout[0][0], shout[-1][1]
        n_words = len(run)
        lead_in = (n_words <= 5 and _LEAD_BEFORE.search(text, 0, run[0][0]) is not None
                   and _LEAD_AFTER.match(text, run[-1][1]) is not None)
        severity = Severity.WARNING if (search or lead_in or n_words <= 3) else None
        yield Hit(start, end, {"words": n_words}, severity=severity)


# --- repeated words -----------------------------------------------------------------------------------

# words as the tokenizer cuts them ("Men's" -> "Men", "Sweat-Free" -> "Sweat", "Free"); letters
# glued to digits ("IPX7", "40H") are codes, not words
_TITLE_WORD = lazy(regex.compile, r"(?<![\p{L}\p{M}\p{N}])[\p{L}\p{M}]+(?![\p{L}\p{M}\p{N}])")
# katakana and kanji words; a single kanji counts when it stands alone between spaces ("犬 リード 犬 首輪")
_JA_WORD = lazy(regex.compile, r"[\p{Katakana}ー]{2,}|\p{Han}{2,}|[A-Za-z]{2,}"
                         r"|(?<![^\s　、,/|・])\p{Han}(?![^\s　、,/|・])")
_HAN_RUN = lazy(regex.compile, r"\p{Han}+")


@lru_cache(maxsize=None)
def _lemma_table(lang: str):
    """spacy-lookups-data's full {form: lemma} table of ``lang``, or None (``msglint.lexicon``)."""
    return full_table(lang)


def _count_key(table, suffixes: tuple, text: str) -> str:
    """The word's counting key: its dictionary form when it is an inflection ending like a plural."""
    lower = text.lower()
    if table is None or not suffixes or not lower.endswith(suffixes):
        return lower
    for form in (text, lower, text.capitalize()):
        lemma = table.get(form)
        if lemma is None:
            continue
        if isinstance(lemma, (list, tuple)):
            lemma = lemma[0] if lemma else None
        if lemma and lemma.lower() != lower and lower.startswith(lemma.lower()[:max(2, len(lemma) - 2)]):
            return lemma.lower()
    return lower


def _word_occurrences(ctx: Context) -> dict[str, list[tuple[int, int]]]:
    lang = term_language(ctx)
    occ: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if ctx.lang == "ja":
        for m in _JA_WORD.finditer(ctx.text):
            word = m.group()
            if len(word) == 4 and _HAN_RUN.fullmatch(word):
                # a four-kanji compound is two words (収納用品 = 収納 + 用品): "収納ボックス 収納ケース 収納用品"
                occ[word[:2]].append((m.start(), m.start() + 2))
                occ[word[2:]].append((m.start() + 2, m.end()))
                continue
            occ[word.lower()].append((m.start(), m.end()))
        return occ
    stop = words_of(ctx, "stopwords")
    suffixes = tuple(word_set(lang, "plural_suffixes"))
    table = _lemma_table(ctx.lang) if lang == ctx.lang else None
    for m in _TITLE_WORD.finditer(ctx.text):
        word = m.group()
        if len(word) < 2 or word.lower() in stop:
            continue
        occ[_count_key(table, suffixes, word)].append((m.start(), m.end()))
    # "Lid" and "Lids" when the table does not know the plural
    for key in [k for k in occ if k.endswith("s") and k[:-1] in occ]:
        occ[key[:-1]].extend(occ.pop(key))
    return occ


def repeated_word(ctx: Context) -> Iterator[Hit]:
    """A word used more than twice in a title (or in search terms).

    What it flags: a word used three or more times in a title, case-insensitive, with plurals
    counted together ("Dog ... dog ... Dogs"); the finding runs from its first to its last use.
    Articles, prepositions and conjunctions of the listing's language do not count
    (``stopwords`` in wordlists/listing/<lang>.yml). In search terms it is a warning: repeats
    add nothing to search. Japanese is counted by katakana and kanji words.
    Why: a title must not contain the same word more than twice (POLICY LST-T04); search terms
    should not repeat words (KW-05).
    Examples: flagged "Dog Leash, Dog Collar and Dog Harness Set"; fine "Dog Leash and Collar
    Set for Small Dogs", "Oven, Microwave and Freezer Safe, Top Rack Dishwasher Safe".
    Known false positives: a unit repeated in a list of sizes ("12 Inch, 18 Inch, 24 Inch"):
    a warning only.
    Fix: say the word once ("Dog Leash, Collar and Harness Set").
    """
    acronyms, units = _acronyms()
    search = field_of(ctx) == "search_terms"
    for key, spans in _word_occurrences(ctx).items():
        if len(spans) <= 2 or key.upper() in acronyms:
            continue  # "2 USB-C and 1 USB-A ports": a connector or standard named per port is not a repeated word
        spans.sort()
        first = ctx.text[spans[0][0]:spans[0][1]]
        severity = Severity.WARNING if (search or key.upper() in units) else None
        # one finding per word, from its first to its last use
        yield Hit(spans[0][0], spans[-1][1], {"word": first, "count": len(spans)}, severity=severity)


# --- placeholders and identifiers -------------------------------------------------------------------

_SEGMENT_BREAKS = frozenset(":;|\n")
_LEAD_SKIP = frozenset(" \t•·-–*\"'([")
_TAIL_SKIP = frozenset(" \t.!,\"')]")
_EMPTY_FIELD = frozenset({"-", "--", "---", "—", "–", ".", "..", "...", "…", "?", "x", "xx", "xxx"})


def _whole_segment(text: str, start: int, end: int) -> bool:
    """True when only spaces and bullet marks stand between [start, end) and the segment breaks
    around it (start or end of text, ':', ';', '|', newline)."""
    i = start - 1
    while i >= 0 and text[i] in _LEAD_SKIP:
        i -= 1
    if i >= 0 and text[i] not in _SEGMENT_BREAKS:
        return False
    j = end
    while j < len(text) and text[j] in _TAIL_SKIP:
        j += 1
    return j >= len(text) or text[j] in _SEGMENT_BREAKS


def placeholder_text(ctx: Context) -> Iterator[Hit]:
    """Placeholder or non-committal text: "N/A", "TBD", "not applicable", "COPY PENDING", "未定".

    What it flags: TBD, "to be decided", "copy pending", "lorem ipsum" anywhere; "N/A", "NA",
    "not applicable", "not eligible", "k. A.", "non applicable", "no aplica", "該当なし" when they
    are the whole field or a whole segment ("Bullet 5: N/A", "Batteries: n/a"); a field that is
    only "-", "..." or "xxx".
    Why: placeholder and non-committal text is not allowed in bullets or other listing fields
    (POLICY LST-B02).
    Examples: flagged "Bullet 5: N/A", "Material: TBD"; fine leaving the field empty, "NASA",
    "Warranty not applicable to misuse" (a sentence, not a placeholder).
    Known false positives: none known.
    Fix: leave the field empty, or write the real content.
    """
    text = ctx.text
    stripped = text.strip()
    if stripped.lower() in _EMPTY_FIELD:
        start = text.index(stripped)
        yield Hit(start, start + len(stripped))
        return
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    spans = [(m.start, m.end) for m in idx.get(*g("placeholder"))]
    for m in idx.get(*g("placeholder_segment")):
        if _whole_segment(text, m.start, m.end):
            spans.append((m.start, m.end))
    for start, end, _ in merge_spans(ctx, spans, joiner=regex.compile(r"")):
        yield Hit(start, end)


_ASIN = lazy(regex.compile, r"(?<![\w-])B0[0-9A-Z]{8}(?![\w-])")


def asin_in_listing(ctx: Context) -> Iterator[Hit]:
    """An ASIN (B0 and eight letters or digits) in listing text.

    What it flags: ASINs in any field: an error in search terms and bullets, a warning in
    titles and descriptions.
    Why: search terms must not contain ASINs or other product identifiers, and bullets must
    not carry ASINs (POLICY KW-02, LST-B02).
    Examples: flagged "anker charger compatible iphone B08XYZ1234"; fine "usb c charger fast
    charging", "Model KT-1750".
    Known false positives: a model number that happens to have the ASIN shape.
    Fix: remove the ASIN; use Amazon's variation and compatibility attributes instead.
    """
    if "B0" not in ctx.text:
        return
    strict = field_of(ctx) in ("search_terms", "bullet")
    for m in _ASIN.finditer(ctx.text):
        if sum(ch.isdigit() for ch in m.group()) >= 2:
            yield Hit(m.start(), m.end(), severity=None if strict else Severity.WARNING)


RULES = (
    Rule("LF001", "title-length", "listing.format", LISTING, Severity.ERROR,
         "Shorten the title: it has {length} characters, more than {limit}; the text from here on is over the limit.",
         title_length, fields=TITLE),
    Rule("LF002", "bullet-length", "listing.format", LISTING, Severity.ERROR,
         "Shorten the bullet: it has {length} characters, more than {limit}.", bullet_length, fields=BULLET),
    Rule("LF003", "description-length", "listing.format", LISTING, Severity.ERROR,
         "Shorten the description: it has {length} characters, more than {limit}.", description_length,
         fields=DESCRIPTION),
    Rule("LF004", "search-terms-bytes", "listing.format", LISTING, Severity.ERROR,
         "Shorten the search terms: they are {bytes} bytes of UTF-8, more than {limit}; Amazon ignores "
         "search terms over the limit.", search_terms_bytes, fields=SEARCH_TERMS),
    Rule("LF005", "title-banned-character", "listing.format", LISTING, Severity.ERROR,
         "Remove '{text}' from the title: the characters ! $ ? _ {{ }} ^ ¬ ¦ are not allowed unless they are "
         "part of the brand name.", title_banned_character, fields=TITLE),
    Rule("LF006", "title-decorative-character", "listing.format", LISTING, Severity.ERROR,
         "Remove '{text}' from the title: ~ # < > * are allowed only in identifiers and measurements "
         "('Style #4301', '<10 lb').", title_decorative_character, fields=TITLE),
    Rule("LF007", "special-character", "listing.format", LISTING, Severity.ERROR,
         "Remove the symbol '{text}': symbols such as © ® ™ and decorative characters are not allowed in "
         "titles and bullets.", special_character, fields=TITLE_AND_BULLET),
    Rule("LF008", "all-caps", "listing.format", LISTING, Severity.ERROR,
         "Write '{text}' in normal case: ALL-CAPS words are not allowed in listing text (acronyms and "
         "units are fine).", all_caps),
    Rule("LF009", "repeated-word", "listing.format", LISTING, Severity.ERROR,
         "Use '{word}' at most twice: it appears {count} times (plurals counted together).", repeated_word,
         fields=TITLE_AND_SEARCH),
    Rule("LF010", "placeholder-text", "listing.format", LISTING, Severity.ERROR,
         "Replace the placeholder '{text}' with real content, or leave the field empty.", placeholder_text),
    Rule("LF011", "asin", "listing.format", LISTING, Severity.ERROR,
         "Remove the ASIN '{text}': product identifiers are not allowed in listing text or search terms.",
         asin_in_listing),
)
