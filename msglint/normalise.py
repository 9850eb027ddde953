"""Undo the disguises sellers use for contact details, remembering where every character came from.

The rules run on the normalised text; every finding is reported in the coordinates of the
original text through the offset map kept here. Each character of the normalised text
knows the half-open range of original code points it came from, so a span [a, b) of the
normalised text maps back to [starts[a], ends[b - 1]) of the original, which is never
empty and never outside it.

Passes, in order (each one composes its map with the previous one):

1. characters: drop invisible format characters (zero-width space, joiners, word joiner,
   soft hyphen, BOM, bidi controls, Hangul fillers, variation selectors) and apply NFKC per
   grapheme cluster (fullwidth letters and digits, "＠", "．", ligatures);
2. homoglyphs: fold Cyrillic, Greek and other look-alike letters into Latin with the
   Unicode confusables table shipped by ``confusable-homoglyphs``, only inside runs that
   look like Latin words, addresses or domains (never whole Japanese or Chinese text);
3. spaced letters: "g m a i l . c o m" -> "gmail.com", "4 1 5 5 5 5 0 1 6 3" -> digits;
4. spelled-out digits: "four one five", "oh seven seven double oh" (en, and de/fr/es/it
   number words when the run is long enough to be a phone number);
5. "@" and "." disguises: "[at]", "(at)", "{at}", " at ", "arobase", "chiocciola", "ät",
   "dot", "[dot]", "punkt", "point", "punto", " . " and " / " or "slash" after a domain,
   folded only where they join address-like parts that end in a real public suffix.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import regex

from msglint import lang as langdata
from msglint.domains import is_public_suffix_domain
from msglint.lazyre import lazy

__all__ = ["Normalised", "normalise"]

# A piece of replacement text and the range [a, b) of the *current* text it stands for.
Piece = tuple[str, int, int]
# An edit: replace current[start:end] by the pieces.
Edit = tuple[int, int, Sequence[Piece]]


@dataclass(frozen=True)
class Normalised:
    """The normalised text of ``original`` and the map back to it."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span [start, end) to the original text (never empty)."""
        if not self.text:
            return (0, min(1, len(self.original)))
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.starts[start], self.ends[end - 1]

    def disguised(self, start: int, end: int) -> bool:
        """True when the original span differs from the normalised one (a disguise was undone)."""
        o_start, o_end = self.to_original(start, end)
        return self.original[o_start:o_end] != self.text[start:end]


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for the rules; see the module documentation for the passes."""
    starts = list(range(len(text)))
    ends = list(range(1, len(text) + 1))
    current = text
    for make_edits in (_run_edits, _character_edits, _homoglyph_edits, _digit_lookalike_edits, _spaced_letter_edits,
                       _spelled_digit_edits, _spelled_name_edits, _split_address_edits, _address_edits):
        edits = make_edits(current)
        if edits:
            current, starts, ends = _apply(current, starts, ends, edits)
    return Normalised(text, current, tuple(starts), tuple(ends))


def _apply(text: str, starts: list[int], ends: list[int], edits: Iterable[Edit]):
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for e_start, e_end, pieces in edits:
        if e_start < pos:  # overlapping edits: keep the first
            continue
        out.append(text[pos:e_start])
        new_starts.extend(starts[pos:e_start])
        new_ends.extend(ends[pos:e_start])
        for piece, a, b in pieces:
            if not piece:
                continue
            out.append(piece)
            new_starts.extend([starts[a]] * len(piece))
            new_ends.extend([ends[b - 1]] * len(piece))
        pos = e_end
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(out), new_starts, new_ends


# --- 1. invisible characters and NFKC --------------------------------------------------

_CLUSTER = lazy(regex.compile, r"\X", regex.DOTALL)
# Hangul fillers, Mongolian vowel separator, combining grapheme joiner, and the keycap frame of emoji
# digits ("4️⃣" is the digit 4 in a frame)
_EXTRA_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u180e", "\u034f", "\u20e3"}
_EMOJI_NUMBERS = {"\U0001F51F": "10"}


def _invisible(ch: str) -> bool:
    if ch in _EXTRA_INVISIBLE:
        return True
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return True
    # variation selectors (Mn) carry no letter of their own
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


# "０９０ー１２３４ー５６７８": Japanese input methods type the long vowel mark for a dash between digits
_DASH_BETWEEN_DIGITS = lazy(regex.compile, r"(?<=[0-9０-９])[ーｰ―−‐–](?=[0-9０-９])")


_NON_ASCII_RUN = lazy(regex.compile, r"[^\x00-\x7f]+")


def _non_ascii_segments(text: str) -> list[list[int]]:
    """[start, end) ranges that hold every grapheme cluster with a non-ASCII character in it, each
    beginning and ending on a cluster boundary: a run of non-ASCII characters widened by one
    character on each side (between two ASCII characters there is always a boundary, CR LF aside,
    and a lone CR or LF is a cluster of its own either way), runs that close merged."""
    n = len(text)
    segments: list[list[int]] = []
    for m in _NON_ASCII_RUN.finditer(text):
        a, b = max(0, m.start() - 1), min(n, m.end() + 1)
        if segments and a <= segments[-1][1]:
            segments[-1][1] = b
        else:
            segments.append([a, b])
    return segments


_IDEOGRAPHIC_DOMAIN = lazy(regex.compile,
    r"(?<![A-Za-z0-9\-])[A-Za-z0-9][A-Za-z0-9\-]*(?:[。｡][A-Za-z0-9][A-Za-z0-9\-]*)*[。｡][A-Za-z]{2,6}(?![A-Za-z0-9])")


def _character_edits(text: str) -> list[Edit]:
    if text.isascii():
        return []
    edits: list[Edit] = [(m.start(), m.end(), [("-", m.start(), m.end())]) for m in _DASH_BETWEEN_DIGITS.finditer(text)]
    dashes = {e[0] for e in edits}
    # an ideographic full stop between the labels of a web address ("www。hengxin-tool。com") is its dot
    ideographic_dots = {m.start() + i for m in _IDEOGRAPHIC_DOMAIN.finditer(text)
                        for i, ch in enumerate(m.group()) if ch in "。｡"} if "。" in text or "｡" in text else set()
    # ASCII clusters are left as they are: only the stretches around non-ASCII characters are read
    for seg_start, seg_end in _non_ascii_segments(text):
        for m in _CLUSTER.finditer(text, seg_start, seg_end):
            cluster = m.group()
            if cluster.isascii() or m.start() in dashes:
                continue
            if cluster in "。｡" and m.start() in ideographic_dots:
                edits.append((m.start(), m.end(), [(".", m.start(), m.end())]))
                continue
            kept = "".join(_EMOJI_NUMBERS.get(ch, ch) for ch in cluster if not _invisible(ch))
            folded = unicodedata.normalize("NFKC", kept)
            if folded != cluster:
                pieces = [(folded, m.start(), m.end())] if folded else []
                # a circled step number glued to a word ("③PayPalで"): the number stays a word of its own
                if folded.isdigit() and unicodedata.category(cluster[0]) == "No" and \
                        text[m.end():m.end() + 1].isalpha() and text[m.end():m.end() + 1].isascii():
                    pieces.append((" ", m.start(), m.end()))
                edits.append((m.start(), m.end(), pieces))
    edits.sort(key=lambda e: e[0])
    return edits


# --- 1b. long runs of symbols ---------------------------------------------------------------------

# 32 or more punctuation marks, symbols or emoji in a row, with no space: spaCy's tokenizer takes time
# quadratic in such a run ("!" * 20000 took minutes), so a space is put after every 16 of them. Each
# inserted space maps to the character before it, so offsets stay exact.
_LONG_RUN = lazy(regex.compile, r"[^\s\p{L}\p{N}]{32,}")
_RUN_STEP = 16


def _run_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _LONG_RUN.finditer(text):
        pieces: list[Piece] = []
        for i in range(m.start(), m.end()):
            pieces.append((text[i], i, i + 1))
            if (i - m.start()) % _RUN_STEP == _RUN_STEP - 1 and i + 1 < m.end():
                pieces.append((" ", i, i + 1))
        edits.append((m.start(), m.end(), pieces))
    return edits


# --- 2. homoglyphs ----------------------------------------------------------------------

_FOLD_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "LISU", "MATHEMATICAL")


@lru_cache(maxsize=1)
def _fold_table() -> dict[str, str]:
    """Non-Latin letters that Unicode lists as confusable with one ASCII letter or digit."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    table: dict[str, str] = {}
    for char, glyphs in json.loads(raw).items():
        if len(char) != 1 or char.isascii() or not char.isalnum():
            continue
        name = unicodedata.name(char, "")
        if not name.startswith(_FOLD_SCRIPTS):
            continue
        for glyph in glyphs:
            c = glyph["c"]
            if len(c) == 1 and c.isascii() and c.isalnum():
                table[char] = c
                break
    return table


# a Latin-looking run; Japanese and Chinese letters end it ("できます：tinyurl.сom", the colon folded to ":")
_WORDISH = lazy(regex.compile, r"(?:(?![\p{Han}\p{Hiragana}\p{Katakana}])[\p{L}\p{N}._@%+\-/:])+")


def _homoglyph_edits(text: str) -> list[Edit]:
    if text.isascii():
        return []
    table = _fold_table()
    edits: list[Edit] = []
    for m in _WORDISH.finditer(text):
        run = m.group()
        if run.isascii():
            continue
        foldable = [i for i, ch in enumerate(run) if ch in table]
        if not foldable:
            continue
        letters = [ch for ch in run if ch.isalpha()]
        has_ascii_letter = any(ch.isascii() for ch in letters)
        all_foldable = all(ch.isascii() or ch in table for ch in letters)
        if not (has_ascii_letter and all_foldable):
            continue
        for i in foldable:
            pos = m.start() + i
            edits.append((pos, pos + 1, [(table[run[i]], pos, pos + 1)]))
    return edits


# --- 2b. letters written for digits -------------------------------------------------------

# "O4l2 345 678", "O9O-l234-5678": O and l (I, |) typed for 0 and 1 inside a run of digit groups
_LOOKALIKE_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"}
_DIGITISH_RUN = lazy(regex.compile, r"(?<![\p{L}\p{N}])[0-9OolI|]+(?:[ \-./][0-9OolI|]+)+(?![\p{L}\p{N}])")
_GROUP_SPLIT = lazy(regex.compile, r"[ \-./]")


def _digit_lookalike_edits(text: str) -> list[Edit]:
    if not any(ch in text for ch in "OolI|"):
        return []
    edits: list[Edit] = []
    for m in _DIGITISH_RUN.finditer(text):
        run = m.group()
        groups = _GROUP_SPLIT.split(run)
        real = sum(ch.isdigit() for ch in run)
        letters = [i for i, ch in enumerate(run) if ch in _LOOKALIKE_DIGITS]
        # every group holds a real digit, most of the run is digits, and it is long enough for a
        # phone number: "I 2" or "No. l" are words, "O6 l2 34 56 78" is a number
        if not letters or real < 6 or real + len(letters) < 8 or len(letters) * 2 > real \
                or not all(any(ch.isdigit() for ch in g) for g in groups):
            continue
        for i in letters:
            pos = m.start() + i
            edits.append((pos, pos + 1, [(_LOOKALIKE_DIGITS[run[i]], pos, pos + 1)]))
    return edits


# --- 3. spaced-out letters ----------------------------------------------------------------

_SPACED_UNIT = r"[A-Za-z0-9@._\-]"
# one space between the characters, or none next to a dot, hyphen or "@" ("s a k u r a-g o o d s")
# and a line break right before or after the "@" ("s h e n\n@ o u t l o o k . c o m") or between
# two digits of a number dictated over several lines ("6 6 2\n1 2 3\n4 5 6 7")
_SPACED_SEP = r"(?: |(?<=[.\-@])|(?=[.\-@])| ?\n ?(?=@)|(?<=@) ?\n ?|(?<=\d) ?\n ?(?=\d))"
_SPACED = lazy(regex.compile,
    rf"(?<![\p{{L}}\p{{N}}@._\-]){_SPACED_UNIT}(?:{_SPACED_SEP}{_SPACED_UNIT}){{3,}}(?![\p{{L}}\p{{N}}@_])")
# after a spaced-out address ending in a dot, the rest of its domain in short pieces: " co . uk"
# (lower case: "k u n d e n @ h o m e l u x . d e . Wir antworten" ends with a full stop, not with "Wir")
_SPACED_TAIL = lazy(regex.compile, r"(?: [a-z]{2,6} ?\.(?= ?[a-z]))* ?[a-z]{2,6}(?![\w@])")


def _spaced_letter_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _SPACED.finditer(text):
        run = m.group()
        if run.count(" ") < 3 or sum(ch.isalnum() for ch in run) < 4:
            continue
        end = m.end()
        # a dash after the run is punctuation ("h e l p @ b i r d h a v e n . c o m - just put ..."), not part of it
        while text[end - 1] in "-_ " and end - m.start() > 1:
            end -= 1
        start = m.start()
        # a spaced number is not joined to the one-letter word next to it ("... 4 5 6 7 y con gusto")
        while end - start > 2 and text[end - 1].isalpha() and text[end - 2] in " \n" and text[end - 3].isdigit():
            end -= 2
        while end - start > 2 and text[start].isalpha() and text[start + 1] in " \n" and text[start + 2].isdigit():
            start += 2
        run = text[start:end]
        if run.count(" ") < 3 or sum(ch.isalnum() for ch in run) < 4:
            continue
        if "@" in run and run.endswith("."):
            tail = _SPACED_TAIL.match(text, end)
            if tail:
                end = tail.end()
        pieces = [(ch, start + i, start + i + 1) for i, ch in enumerate(text[start:end]) if ch not in " \n"]
        edits.append((start, end, pieces))
    return edits


# --- 4. spelled-out digits ---------------------------------------------------------------

def _number_words() -> dict:
    """Spoken numbers 0-99 of every language file (wordlists/_lang: numbers) -> their digits.

    Phone numbers are dictated digit by digit ("four one five") and, in France and elsewhere, in
    pairs ("zéro six, douze, trente-quatre"). Words of Latin-script languages are matched as
    whole words; Japanese and Chinese numerals (〇九〇, イチ) are matched in ``_cjk_digit_edits``.
    """
    out: dict = {}
    for code in langdata.KNOWN:
        if code in ("ja", "zh"):
            continue
        for word, n in langdata.get(code).numbers.items():
            out.setdefault(word.lower(), str(n) if n < 10 else f"{n:02d}")
    return out


def _repeat_words() -> dict:
    out = {}
    for code in langdata.KNOWN:
        for word, n in langdata.get(code).repeat_words.items():
            out.setdefault(word.lower(), n)
    return out


_DIGIT_WORDS = _number_words()
# every word part of a number word: the cheap test before the run regex splits "trente-quatre"
_NUMBER_PARTS = frozenset(part for w in _DIGIT_WORDS for part in regex.split(r"[^\p{L}]+", w) if part)
_REPEAT_WORDS = _repeat_words()
_NUMBER_WORD = "|".join(sorted((regex.escape(w).replace(r"\ ", " ") for w in _DIGIT_WORDS), key=len, reverse=True))
_REPEAT = "|".join(regex.escape(w) for w in sorted(_REPEAT_WORDS, key=len, reverse=True)) or "(?!)"
_NUMBER_TOKEN = rf"(?:(?:{_REPEAT})[ -]+)?(?:{_NUMBER_WORD})(?![\p{{L}}])"


@lru_cache(maxsize=None)
def _run_patterns():
    """(the run of number words and digits, one token of it), compiled when a text first has number
    words enough to need them: the run pattern is 16,000 characters and takes ~0.1 s to compile."""
    run = regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(?:{_NUMBER_TOKEN}|\d{{1,4}})(?:[ ,.\-–—/]{{1,3}}(?:{_NUMBER_TOKEN}|\d{{1,4}}))+"
        r"(?![\p{L}\p{N}])",
        regex.IGNORECASE,
    )
    token = regex.compile(rf"(?:({_REPEAT})[ -]+)?((?:{_NUMBER_WORD})(?![\p{{L}}])|\d{{1,4}})", regex.IGNORECASE)
    return run, token


def _cjk_numbers() -> dict:
    out = {}
    for code in ("ja", "zh"):
        for word, n in langdata.get(code).numbers.items():
            out.setdefault(word, str(n))
    return out


_CJK_DIGITS = _cjk_numbers()
_CJK_WORD = "|".join(sorted((regex.escape(w) for w in _CJK_DIGITS), key=len, reverse=True))
# numerals in a row, with the separators a phone number is written with (〇九〇-一二三四・五六七八)
# ("ゼロロク の ろくななごさん の よんいちにーはち", "ゼロキュウゼロ の 7731 の 4082": numerals and digits mixed)
_CJK_RUN = lazy(regex.compile, rf"(?:{_CJK_WORD}|[0-9]+)(?:[\s\-‐－ー−・（）()、，,の]{{0,3}}(?:{_CJK_WORD}|[0-9]+))+")
_CJK_TOKEN = lazy(regex.compile, rf"{_CJK_WORD}|[0-9]+")


def _cjk_digit_edits(text: str) -> list[Edit]:
    """Japanese and Chinese numerals read out digit by digit: ten or more digits in a row are a number."""
    edits: list[Edit] = []
    for m in _CJK_RUN.finditer(text):
        tokens = list(_CJK_TOKEN.finditer(m.group()))
        numerals = sum(not t.group().isdigit() for t in tokens)
        if numerals < 3 or sum(len(t.group()) if t.group().isdigit() else 1 for t in tokens) < 10:
            continue
        pieces = [(t.group() if t.group().isdigit() else _CJK_DIGITS[t.group()], m.start() + t.start(),
                   m.start() + t.end()) for t in tokens]
        # separators between numerals are kept as written (a hyphen stays a hyphen)
        out: list[Piece] = []
        pos = m.start()
        for piece in pieces:
            if piece[1] > pos:
                sep = text[pos:piece[1]]
                out.append(("-" if sep.strip() else " ", pos, piece[1]))
            out.append(piece)
            pos = piece[2]
        edits.append((m.start(), m.end(), out))
    return edits


_WORD_SPLIT = lazy(regex.compile, r"[^\p{L}]+")


# Stretches of text a digit run can lie in: letters, digits, and the separators of _DIGIT_RUN and of
# the number words themselves. Any other character ends every run, and is no letter or digit for
# its look-arounds: runs found stretch by stretch are the runs found in the whole text.
_RUN_STRETCH = lazy(regex.compile,
    "[\\p{L}\\p{N}" + regex.escape("".join(sorted(
        set(" ,.-–—/") | {c for w in (*_DIGIT_WORDS, *_REPEAT_WORDS) for c in w if not c.isalpha()}))) + "]+")


_DIGITS_4 = lazy(regex.compile, r"\d{4}")
_DIGIT_PAIRS = lazy(regex.compile, r"(?<!\d)\d{2,3}(?!\d)")


def _number_parts(text: str) -> int:
    return sum(w in _NUMBER_PARTS for w in _WORD_SPLIT.split(text.lower()))


def _spelled_digit_edits(text: str) -> list[Edit]:
    edits: list[Edit] = [] if text.isascii() else _cjk_digit_edits(text)
    # cheap test first: the run needs three number words, or one among digits ("0933 ventidue 41 88", "zéro six
    # 12 45 78 90": a four-digit group or three groups of two)
    parts = _number_parts(text)
    if parts < 3 and not (parts and (_DIGITS_4.search(text) or len(_DIGIT_PAIRS.findall(text)) >= 3)):
        return edits
    if not _adjacent_number_items(text):
        return edits
    if len(text) <= 2000:
        stretches = [(0, len(text))]
    else:  # a long text: only the stretches with three number words of their own are read
        stretches = [(m.start(), m.end()) for m in _RUN_STRETCH.finditer(text) if _number_parts(m.group()) >= 3]
    for s_start, s_end in stretches:
        _digit_runs(text, s_start, s_end, edits)
    return edits


_REPEAT_PARTS = frozenset(part for w in _REPEAT_WORDS for part in regex.split(r"[^\p{L}]+", w) if part)
_NUMBER_ITEM = lazy(regex.compile, r"\p{L}+|\d+")


def _adjacent_number_items(text: str) -> bool:
    """Whether a word part of a number word (or a repeat word) stands next to another such part or a digit group.

    Every run that makes an edit has two tokens or more, one a number word, and between two tokens of
    a run there are only separators: so its letters and digits hold such a pair. "un produit" and
    "et le" have number parts but no pair; the run pattern (16,000 characters) need not read them.
    """
    # per item: 0 not part of a number, 1 a digit group, 2 a number word's part
    kinds = [1 if item.isdigit() else 2 if item in _NUMBER_PARTS or item in _REPEAT_PARTS else 0
             for item in _NUMBER_ITEM.findall(text.lower())]
    return any(a and b and (a == 2 or b == 2) for a, b in zip(kinds, kinds[1:]))


def _digit_runs(text: str, s_start: int, s_end: int, edits: list) -> None:
    digit_run, token = _run_patterns()
    for m in digit_run.finditer(text, s_start, s_end):
        pieces: list[Piece] = []
        words = 0
        for t in token.finditer(m.group()):
            a, b = m.start() + t.start(), m.start() + t.end()
            repeat, core = t.group(1), t.group(2)
            if core.isdigit():
                digits = core
            else:
                digits = _DIGIT_WORDS[core.lower()]
                words += 1
            if repeat:
                digits = digits * _REPEAT_WORDS[repeat.lower()]
            # "seiscientos doce" is 612, not 60012: a hundreds word and a smaller number word after a space
            if pieces and not core.isdigit() and not repeat and len(digits) <= 2 and not text[pieces[-1][2]:a].strip():
                prev, pa, _pb = pieces[-1]
                if len(prev) == 3 and prev.endswith("00") and not text[pa:_pb].isdigit():
                    pieces[-1] = (prev[0] + digits.zfill(2), pa, b)
                    continue
            pieces.append((digits, a, b))
        total = sum(len(p[0]) for p in pieces)
        # three or more number words, enough digits for a phone number; two words leading a long number
        # ("zéro six 12 34 56 78"); one word between digit groups of a ten-digit number ("0933 ventidue 41 88")
        inner_word = any(not text[a:b].isdigit() for _, a, b in pieces[1:-1]) and \
            text[pieces[0][1]:pieces[0][2]].isdigit() and text[pieces[-1][1]:pieces[-1][2]].isdigit()
        if (words >= 3 and total >= 7) or (words >= 2 and total >= 9) or (words >= 1 and total >= 10 and inner_word):
            edits.append((m.start(), m.end(), pieces))


# --- 5. "@" and "." disguises --------------------------------------------------------------

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63}[A-Za-z0-9])?"
def _words(key: str) -> tuple[list[str], list[str]]:
    """(Latin-script words, CJK words) of one list of every language file, longest first."""
    latin, cjk = set(), set()
    for code in langdata.KNOWN:
        for w in langdata.get(code).words(key):
            (latin if regex.search(r"[A-Za-zÀ-ÿ]", w) else cjk).add(w.lower() if w.isascii() else w)
    order = lambda ws: sorted(ws, key=len, reverse=True)  # noqa: E731
    return order(latin), order(cjk)


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)"


_AT_LATIN, _AT_CJK = _words("at_words")
_DOT_LATIN, _DOT_CJK = _words("dot_words")
_SLASH_LATIN, _SLASH_CJK = _words("slash_words")
_AT_BRACKET = rf"\s*[\[({{<（【]\s*(?:{_alt(_AT_LATIN + _AT_CJK)}|@)\s*[\])}}>）】]\s*"
_AT_WORD = rf"\s*(?:{_alt(_AT_CJK)})\s*|\s+(?:{_alt(_AT_LATIN)})\s+"
# "name @ shop.com", "name@ shop.com"; not "TikTok @shop.us", which is a social handle
_AT_SPACED = r"\s+@\s+|@\s+|\s+@"
# the sign named with filler words around it: "familie.zuercher, danach das At-Zeichen, dann bluewin.ch"
_AT_SIGN_LATIN, _AT_SIGN_CJK = _words("at_sign_words")
_FILLERS, _ = _words("spelling_fillers")
_FILLER = rf"(?:(?:{_alt(_FILLERS)})\s+)"
_AT_FILLED = (rf"[,;:]?\s+{_FILLER}{{0,3}}(?:{_alt(_AT_SIGN_LATIN)})[,;:]?\s+{_FILLER}{{0,2}}"
              if _AT_SIGN_LATIN else "(?!)")
_DOT_BRACKET = rf"\s*[\[({{<（【]\s*(?:{_alt(_DOT_LATIN + _DOT_CJK)}|\.)\s*[\])}}>）】]\s*"
_DOT_WORD = rf"\s*(?:{_alt(_DOT_CJK)})\s*|,?\s+(?:{_alt(_DOT_LATIN)})\s+"
_DOT_SPACED = r"\s+\.\s*"
_DOT = rf"(?:{_DOT_BRACKET}|{_DOT_WORD}|{_DOT_SPACED}|\.)"
_SLASH = rf"(?:\s*/\s*|\s+(?:{_alt(_SLASH_LATIN)})\s+|\s*(?:{_alt(_SLASH_CJK)})\s*)"

_EMAIL_DISGUISE = lazy(regex.compile,
    # the local part may be spelled too ("laguna punto store chiocciola gmail punto com")
    rf"(?<![\w.@#])(?P<local>{_LOCAL}(?:(?:{_DOT_BRACKET}|{_DOT_WORD}){_LOCAL}){{0,3}})"
    rf"(?P<at>{_AT_BRACKET}|{_AT_FILLED}|{_AT_WORD}|{_AT_SPACED}|@|\#)"
    # "order at www.shop.co.uk" is a link, not order@www...
    rf"(?!www\d?\.)(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,6}})",
    regex.IGNORECASE,
)
# a mailbox name, a spelled "at" and a domain whose name is written as words: "orders at thistle and thimble
# dot co dot uk", "sales at blue fox dot com" (the words join into one label)
_WORDED_EMAIL = lazy(regex.compile,
    rf"(?<![\w.@#])(?P<local>[A-Za-z]+)(?P<at>\s+(?:{_alt(_AT_LATIN)})\s+)(?P<words>(?:[a-z]{{2,15}}\s+){{1,3}}?)"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,6}})",
    regex.IGNORECASE,
)
_DOMAIN_DISGUISE = lazy(regex.compile,
    rf"(?<![\w.@/])(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,6}})(?P<path>(?:{_SLASH}[\w\-]+){{0,8}})",
    regex.IGNORECASE,
)
_DOT_SEP = lazy(regex.compile, _DOT, regex.IGNORECASE)
_SLASH_SEP = lazy(regex.compile, _SLASH, regex.IGNORECASE)
_SLASH_AFTER = lazy(regex.compile, rf"\s+(?:{_alt(_SLASH_LATIN)})\s+[\w\-]", regex.IGNORECASE)

# Short words that are also top-level domains: after a spaced or spelled dot they are far
# more often the next word of a sentence than a domain.
_WORDLIKE_SUFFIXES = frozenset(
    "it is in me to at be no so us do go my es de la le el il un on an am as by he if or up we "
    "ok tv ch se si ma mi ne al au di da ca et ci su ve re nu".split()
)
# Generic suffixes a spelled-out link really uses; other long suffixes (.final, .green, .love) after one
# spelled dot are the next word of the sentence.
_COMMON_GTLDS = frozenset(
    "com net org info biz shop store online site app io co web website shopping club top xyz vip eu asia "
    "tech store art fun live life space page link "
    # the regional suffixes of shops in the marketplaces' countries: tintesdelbarri punto cat, ardoa punto eus
    "cat eus gal bzh scot wales cymru".split()
)
# Mail providers whose name after a plain " at " is a disguised address, not a place.
_MAIL_PROVIDERS = langdata.common().mail_providers
# Mailbox names: "support at shop dot com" is an address even at an unknown provider.
_MAILBOX_NAMES = langdata.common().mailbox_names


def _split_domain(domain: str, offset: int) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """Labels and separators of a possibly disguised domain, with absolute positions."""
    labels, seps = [], []
    pos = 0
    for sep in _DOT_SEP.finditer(domain):
        labels.append((domain[pos:sep.start()], offset + pos, offset + sep.start()))
        seps.append((sep.group(), offset + sep.start(), offset + sep.end()))
        pos = sep.end()
    labels.append((domain[pos:], offset + pos, offset + len(domain)))
    return labels, seps


# country suffixes of the marketplaces: "gartenglueck punkt de." is a domain, "un point de vue" is not
_COUNTRY_SUFFIXES = frozenset("de fr it es jp uk at ch be mx ca nl se pl".split())


def _country_suffix_ends(text: str, label: tuple, name: str) -> bool:
    """A spelled-out country suffix after a long lower-case name, not followed by another lower-case word."""
    suffix, _a, b = label
    after = text[b:b + 2]
    # "giardinofacile punto it barra manuali": a spelled slash after the suffix continues the address
    path_follows = bool(_SLASH_AFTER.match(text, b))
    return (suffix.lower() in _COUNTRY_SUFFIXES and suffix == suffix.lower() and len(name) >= 5 and name.islower()
            and (path_follows or not regex.match(r"\s\p{Ll}", after)))


def _plain(sep: str) -> bool:
    return sep == "."


def _fold_domain(labels, seps, context_email: bool, text: str = ""):
    """Pieces for a folded domain, or None when it is not a plausible (disguised) domain."""
    names = [label for label, _, _ in labels]
    disguised_seps = [s for s, _, _ in seps if not _plain(s)]
    # The disguise must end the domain: labels after the last real suffix are the sentence.
    for cut in range(len(names), 1, -1):
        candidate = ".".join(names[:cut])
        if not is_public_suffix_domain(candidate):
            continue
        suffix = names[cut - 1]
        used = [s for s, _, _ in seps[: cut - 1]]
        loose = [s for s in used if not _plain(s)]
        if loose:
            if suffix != suffix.lower() and candidate != candidate.upper():
                continue
            bracketed = all("[" in s or "(" in s or "{" in s or "<" in s for s in loose)
            spelled = len(loose) >= 2 or names[0].lower() == "www"
            if not bracketed and not context_email and not spelled and suffix.lower() in _WORDLIKE_SUFFIXES:
                if not regex.search(r"[\d\-]", names[cut - 2]) and not _country_suffix_ends(text, labels[cut - 1], names[cut - 2]):
                    continue
            # one spelled dot before a long generic suffix that is a word: "sans point final", "a dot green"
            if not bracketed and not context_email and not spelled and len(suffix) > 2 \
                    and suffix.lower() not in _COMMON_GTLDS:
                continue
        pieces = []
        for i in range(cut):
            label, a, b = labels[i]
            pieces.append((label, a, b))
            if i < cut - 1:
                s, sa, sb = seps[i]
                pieces.append((".", sa, sb))
        return pieces, labels[cut - 1][2], bool(disguised_seps and used and loose)
    return None


# an address whose domain goes on after a line break: "dana.k@northbound\nsleep.ca"
_SPLIT_DOMAIN = lazy(regex.compile,
    r"(?<=[\w.+\-]@[A-Za-z0-9\-]{2,63})[ \t]*\n[ \t]*(?=[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![\w@]))"
)


# at words that are everyday words too ("at the shop", "chez DHL"): an address only with a mail provider, a
# mailbox name or a dotted local part, or with a dot word of another language ("jonas at riegelwerk punkt io":
# "at" is not German); language data: everyday_at_words
def _everyday_at_words() -> dict[str, frozenset[str]]:
    """Each everyday at word -> the dot words of the languages it is not an everyday word of."""
    own: dict[str, set[str]] = {}
    for code in langdata.KNOWN:
        lang = langdata.get(code)
        for w in lang.words("everyday_at_words"):
            own.setdefault(w.lower(), set()).update(d.lower() for d in lang.words("dot_words"))
    every_dot = {d.lower() for code in langdata.KNOWN for d in langdata.get(code).words("dot_words")}
    return {w: frozenset(every_dot - dots) for w, dots in own.items()}


_PLAIN_AT_WORDS = _everyday_at_words()


def _split_address_edits(text: str) -> list[Edit]:
    """The line break inside an address's domain goes (the domain is checked like any other afterwards)."""
    if "@" not in text:
        return []
    return [(m.start(), m.end(), []) for m in _SPLIT_DOMAIN.finditer(text)]


_ADDRESS_HINT = lazy(regex.compile,
    rf"(?i)@|\b(?:{_alt(_AT_LATIN + _DOT_LATIN)})\b|{_alt(_AT_CJK + _DOT_CJK)}|[\[({{<（【]\s*\.|\s\.\s*\w"
)


_MAIL_CUE = langdata.cue_before("mail_cues")


@lru_cache(maxsize=1)
def _spelled_names():
    """Provider and domain names spelled in kana (language data: spelled_names, "kana=latin"), and the pattern
    of one standing next to an "at" or "dot" word or sign."""
    names = {}
    for code in langdata.KNOWN:
        for item in langdata.get(code).words("spelled_names"):
            kana, _, latin = item.partition("=")
            if kana and latin:
                names[kana] = latin
    if not names:
        return names, None
    word = _alt(sorted(names, key=len, reverse=True))
    joint = rf"(?:{_alt(_AT_CJK + _DOT_CJK)}|[@.．＠])"
    return names, regex.compile(rf"(?<={joint}\s*)(?:{word})|(?:{word})(?=\s*{joint})")


def _spelled_name_edits(text: str) -> list[Edit]:
    """ "あっと ぐーめーる どっと こむ": a provider or domain name spelled in kana next to an "at" or "dot" word is
    written in Latin letters, so that the address passes read "gmail" and "com"."""
    names, pattern = _spelled_names()
    if pattern is None or not _AT_DOT_CJK_HINT.search(text):
        return []
    return [(m.start(), m.end(), [(names[m.group()], m.start(), m.end())]) for m in pattern.finditer(text)]


_AT_DOT_CJK_HINT = lazy(regex.compile, r"[\p{Hiragana}\p{Katakana}]")


def _address_edits(text: str) -> list[Edit]:
    if not _ADDRESS_HINT.search(text):
        return []
    edits: list[Edit] = []
    taken_until = 0
    for m in _EMAIL_DISGUISE.finditer(text, overlapped=True):
        if m.start() < taken_until:
            continue
        d_start = m.start("domain")
        labels, seps = _split_domain(m.group("domain"), d_start)
        at = m.group("at")
        at_word = at.strip().lower()
        # "アットマーク" is always a disguise; "at" only where the dot words are of its own language
        plain_word_at = (at_word in _PLAIN_AT_WORDS
                         and not any(s.strip(" ,").lower() in _PLAIN_AT_WORDS[at_word] for s, _, _ in seps))
        # "lucy.hartley\n@btinternet.com": a space or line break before the sign only; a social handle
        # ("TikTok @shop.us") unless the address looks like one (provider, mailbox name, dotted local part)
        plain_word_at = plain_word_at or bool(regex.fullmatch(r"\s+@", at))
        # "warranty at northboundsleep dot ca": a mailbox name before a spelled "at" makes it an address too
        mailbox = m.group("local").lower() in _MAILBOX_NAMES
        # "pizzeriastone at libero dot it": a mail provider's domain makes it an address as well
        provider_domain = labels[0][0].lower() in _MAIL_PROVIDERS
        folded = _fold_domain(labels, seps, context_email=not plain_word_at or mailbox or provider_domain, text=text)
        if folded is None:
            continue
        pieces, end, _ = folded
        at_is_word = at.strip().lower() not in ("@",) and not regex.search(r"[\[({<]", at)
        domain_plain = all(_plain(s) for s, _, _ in seps[: len([p for p in pieces if p[0] == "."])])
        if at.strip() == "@" and domain_plain and at == "@":
            taken_until = end
            continue  # an ordinary address: nothing to fold
        local_labels, local_seps = _split_domain(m.group("local"), m.start("local"))
        # an at sign written as an everyday word ("at", "chez"; "arroba", "アットマーク" and "Klammeraffe" are
        # always a disguise) is more often a place than an address
        if plain_word_at:
            local = m.group("local")
            provider = labels[0][0].lower()
            dotted = regex.search(r"[._\d]", local) or local_seps
            # "send it over to fitting at bostonbenchgear dot com": a sending verb names an address
            cued = bool(_MAIL_CUE.search(text, max(0, m.start() - 40), m.start()))
            if (provider not in _MAIL_PROVIDERS and not dotted and not cued
                    and local.lower() not in _MAILBOX_NAMES):
                continue  # "available at shop.com", "shop direct at lunagarden dot com": a place, not an address
        local_pieces: list = []
        for k, label in enumerate(local_labels):
            local_pieces.append(label)
            if k < len(local_seps):
                local_pieces.append((".", local_seps[k][1], local_seps[k][2]))  # a spelled dot becomes "."
        edit_pieces = local_pieces + [("@", m.start("at"), m.end("at"))] + pieces
        edits.append((m.start(), end, edit_pieces))
        taken_until = end
    for m in _WORDED_EMAIL.finditer(text):
        if m.group("local").lower() not in _MAILBOX_NAMES or any(e[0] < m.end() and m.start() < e[1] for e in edits):
            continue
        if any(w != w.lower() for w in m.group("words").split()):
            continue
        labels, seps = _split_domain(m.group("domain"), m.start("domain"))
        if all(_plain(s) for s, _, _ in seps):
            continue  # "orders at thistle and thimble.co.uk": written plainly, the words are the sentence's
        folded = _fold_domain(labels, seps, context_email=True, text=text)
        if folded is None:
            continue
        pieces, end, _ = folded
        first, a, b = pieces[0]
        joined = "".join(m.group("words").split()) + first
        edits.append((m.start(), end, [(m.group("local"), m.start("local"), m.end("local")),
                                       ("@", m.start("at"), m.end("at")), (joined, m.start("words"), b)] + pieces[1:]))
    for m in _DOMAIN_DISGUISE.finditer(text):
        if any(e[0] <= m.start() < e[1] for e in edits):
            continue
        d_start = m.start("domain")
        labels, seps = _split_domain(m.group("domain"), d_start)
        if all(_plain(s) for s, _, _ in seps) and not _loose_path(m.group("path")):
            continue
        # a spaced or spelled path ("kettwerk . berlin / halterung-xl") or a word that introduces a site right
        # before it ("en nuestra web guitarreriacarmona punto es") makes it a link
        cued = _loose_path(m.group("path")) or bool(_LINK_CUE.search(text[max(0, m.start() - 40):m.start()]))
        folded = _fold_domain(labels, seps, context_email=cued, text=text)
        if folded is None:
            continue
        pieces, end, _ = folded
        if end == m.end("domain") and m.group("path"):
            path = m.group("path")
            p_start = m.start("path")
            pos = 0
            for sep in _SLASH_SEP.finditer(path):
                if sep.start() > pos:
                    pieces.append((path[pos:sep.start()], p_start + pos, p_start + sep.start()))
                pieces.append(("/", p_start + sep.start(), p_start + sep.end()))
                pos = sep.end()
            if pos < len(path):
                pieces.append((path[pos:], p_start + pos, p_start + len(path)))
            end = m.end()
        if "".join(p[0] for p in pieces) == text[m.start():end]:
            continue
        edits.append((m.start(), end, pieces))
    edits.sort(key=lambda e: e[0])
    return edits


_LINK_CUE = langdata.cue_before("link_cues", r"\s*[:：]?\s*$")


def _loose_path(path: str) -> bool:
    return bool(path) and any(sep.group() != "/" for sep in _SLASH_SEP.finditer(path))
