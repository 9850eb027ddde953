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

from msglint.domains import is_public_suffix_domain

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
    for make_edits in (_character_edits, _homoglyph_edits, _spaced_letter_edits,
                       _spelled_digit_edits, _address_edits):
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

_CLUSTER = regex.compile(r"\X", regex.DOTALL)
_EXTRA_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u180e", "\u034f"}


def _invisible(ch: str) -> bool:
    if ch in _EXTRA_INVISIBLE:
        return True
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return True
    # variation selectors (Mn) carry no letter of their own
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _character_edits(text: str) -> list[Edit]:
    if text.isascii():
        return []
    edits: list[Edit] = []
    for m in _CLUSTER.finditer(text):
        cluster = m.group()
        if cluster.isascii():
            continue
        kept = "".join(ch for ch in cluster if not _invisible(ch))
        folded = unicodedata.normalize("NFKC", kept)
        if folded != cluster:
            edits.append((m.start(), m.end(), [(folded, m.start(), m.end())] if folded else []))
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


_WORDISH = regex.compile(r"[\p{L}\p{N}._@%+\-/:]+")


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


# --- 3. spaced-out letters ----------------------------------------------------------------

_SPACED = regex.compile(r"(?<![^\s(\[:,;])[A-Za-z0-9@.](?: [A-Za-z0-9@.]){3,}(?![^\s)\],;:!?])")


def _spaced_letter_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _SPACED.finditer(text):
        chars = m.group()[::2]
        if sum(ch.isalnum() for ch in chars) < 4:
            continue
        pieces = [(ch, m.start() + 2 * i, m.start() + 2 * i + 1) for i, ch in enumerate(chars)]
        edits.append((m.start(), m.end(), pieces))
    return edits


# --- 4. spelled-out digits ---------------------------------------------------------------

def _number_words() -> dict:
    """Spoken numbers 0-99 in en, de, fr, es, it -> their digits ("douze" -> "12", "vier" -> "4").

    Phone numbers are dictated digit by digit ("four one five") and, in France and elsewhere, in
    pairs ("zéro six, douze, trente-quatre"). Only single words and hyphenated compounds are
    listed (and Spanish "treinta y cuatro"): "twenty one" with a space stays two numbers.
    """
    words: dict = {"oh": 0, "o": 0}

    def put(word: str, n: int) -> None:
        words.setdefault(word, n)

    en_units = "zero one two three four five six seven eight nine".split()
    en_teens = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    en_tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    de_units = "null eins zwei drei vier fünf sechs sieben acht neun".split()
    de_teens = "zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn".split()
    de_tens = "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()
    fr_units = "zéro un deux trois quatre cinq six sept huit neuf".split()
    fr_teens = "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf".split()
    es_units = "cero uno dos tres cuatro cinco seis siete ocho nueve".split()
    es_to_29 = ("diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno "
                "veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve").split()
    es_tens = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
    it_units = "zero uno due tre quattro cinque sei sette otto nove".split()
    it_teens = ("dieci undici dodici tredici quattordici quindici sedici diciassette diciotto "
                "diciannove").split()
    it_tens = "venti trenta quaranta cinquanta sessanta settanta ottanta novanta".split()
    for n, w in enumerate(en_units):
        put(w, n)
    for n, w in enumerate(en_teens, 10):
        put(w, n)
    for i, t in enumerate(en_tens):
        put(t, 20 + 10 * i)
        for u in range(1, 10):
            put(f"{t}-{en_units[u]}", 20 + 10 * i + u)
    for n, w in enumerate(de_units):
        put(w, n)
    put("ein", 1)
    for n, w in enumerate(de_teens, 10):
        put(w, n)
    for i, t in enumerate(de_tens):
        put(t, 20 + 10 * i)
        for u in range(1, 10):
            put(("ein" if u == 1 else de_units[u]) + "und" + t, 20 + 10 * i + u)
    for n, w in enumerate(fr_units):
        put(w, n)
    put("zero", 0)
    for n, w in enumerate(fr_teens, 10):
        put(w, n)
    for i, t in enumerate(("vingt", "trente", "quarante", "cinquante", "soixante")):
        base = 20 + 10 * i
        put(t, base)
        put(f"{t}-et-un", base + 1)
        for u in range(2, 10):
            put(f"{t}-{fr_units[u]}", base + u)
        if t == "soixante":  # 70-79: soixante-dix, soixante-et-onze, soixante-douze ...
            put("soixante-et-onze", 71)
            for k, w in enumerate(fr_teens):
                put(f"soixante-{w}", 70 + k)
    put("quatre-vingts", 80)
    put("quatre-vingt", 80)
    for u in range(1, 10):
        put(f"quatre-vingt-{fr_units[u]}", 80 + u)
    for k, w in enumerate(fr_teens):
        put(f"quatre-vingt-{w}", 90 + k)
    for n, w in enumerate(es_units):
        put(w, n)
    for n, w in enumerate(es_to_29, 10):
        put(w, n)
    for i, t in enumerate(es_tens):
        put(t, 30 + 10 * i)
        for u in range(1, 10):
            put(f"{t} y {es_units[u]}", 30 + 10 * i + u)
    for n, w in enumerate(it_units):
        put(w, n)
    for n, w in enumerate(it_teens, 10):
        put(w, n)
    for i, t in enumerate(it_tens):
        put(t, 20 + 10 * i)
        for u in range(1, 10):
            unit = "tré" if u == 3 else it_units[u]
            stem = t[:-1] if u in (1, 8) else t  # ventuno, ventotto
            put(stem + unit, 20 + 10 * i + u)
    return {w: (str(n) if n < 10 else f"{n:02d}") for w, n in words.items()}


_DIGIT_WORDS = _number_words()
# every word part of a number word: the cheap test before the run regex splits "trente-quatre"
_NUMBER_PARTS = frozenset(part for w in _DIGIT_WORDS for part in regex.split(r"[^\p{L}]+", w) if part)
_REPEAT_WORDS = {"double": 2, "triple": 3, "doppel": 2, "doppio": 2, "doble": 2}
_NUMBER_WORD = "|".join(sorted((regex.escape(w) for w in _DIGIT_WORDS), key=len, reverse=True))
_REPEAT = r"double|triple|doppel|doppio|doble"
_NUMBER_TOKEN = rf"(?:(?:{_REPEAT})[ -]+)?(?:{_NUMBER_WORD})(?![\p{{L}}])"
_DIGIT_RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:{_NUMBER_TOKEN}|\d{{1,4}})(?:[ ,.\-–—/]{{1,3}}(?:{_NUMBER_TOKEN}|\d{{1,4}}))+"
    r"(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)
_TOKEN = regex.compile(rf"(?:({_REPEAT})[ -]+)?((?:{_NUMBER_WORD})(?![\p{{L}}])|\d{{1,4}})", regex.IGNORECASE)


_WORD_SPLIT = regex.compile(r"[^\p{L}]+")


def _spelled_digit_edits(text: str) -> list[Edit]:
    # cheap test first: the run needs at least three number words
    if sum(w in _NUMBER_PARTS for w in _WORD_SPLIT.split(text.lower())) < 3:
        return []
    edits: list[Edit] = []
    for m in _DIGIT_RUN.finditer(text):
        pieces: list[Piece] = []
        words = 0
        for t in _TOKEN.finditer(m.group()):
            a, b = m.start() + t.start(), m.start() + t.end()
            repeat, core = t.group(1), t.group(2)
            if core.isdigit():
                digits = core
            else:
                digits = _DIGIT_WORDS[core.lower()]
                words += 1
            if repeat:
                digits = digits * _REPEAT_WORDS[repeat.lower()]
            pieces.append((digits, a, b))
        total = sum(len(p[0]) for p in pieces)
        # three or more number words, enough digits for a phone number
        if words >= 3 and total >= 7:
            edits.append((m.start(), m.end(), pieces))
    return edits


# --- 5. "@" and "." disguises --------------------------------------------------------------

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63}[A-Za-z0-9])?"
_AT_BRACKET = r"\s*[\[({<]\s*(?:at|@|arobase|chiocciola|arroba|ät)\s*[\])}>]\s*"
_AT_WORD = r"\s*(?:アットマーク|あっとまーく)\s*|\s+(?:at|arobase|chiocciola|arroba|ät|klammeraffe)\s+"
_AT_SPACED = r"\s+@\s*|\s*@\s+"
_DOT_BRACKET = r"\s*[\[({<]\s*(?:dot|punkt|point|punto|\.)\s*[\])}>]\s*"
_DOT_WORD = r"\s*(?:ドット|どっと)\s*|\s+(?:dot|punkt|point|punto)\s+"
_DOT_SPACED = r"\s+\.\s*"
_DOT = rf"(?:{_DOT_BRACKET}|{_DOT_WORD}|{_DOT_SPACED}|\.)"
_SLASH = r"(?:\s*/\s*|\s+slash\s+)"

_EMAIL_DISGUISE = regex.compile(
    rf"(?<![\w.@])(?P<local>{_LOCAL})(?P<at>{_AT_BRACKET}|{_AT_WORD}|{_AT_SPACED}|@)"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+)",
    regex.IGNORECASE,
)
_DOMAIN_DISGUISE = regex.compile(
    rf"(?<![\w.@/])(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+)(?P<path>(?:{_SLASH}[\w\-]+)*)",
    regex.IGNORECASE,
)
_DOT_SEP = regex.compile(_DOT, regex.IGNORECASE)
_SLASH_SEP = regex.compile(_SLASH, regex.IGNORECASE)

# Short words that are also top-level domains: after a spaced or spelled dot they are far
# more often the next word of a sentence than a domain.
_WORDLIKE_SUFFIXES = frozenset(
    "it is in me to at be no so us do go my es de la le el il un on an am as by he if or up we "
    "ok tv ch se si ma mi ne al au di da ca".split()
)
# Mail providers whose name after a plain " at " is a disguised address, not a place.
_MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo hotmail outlook live msn icloud me aol gmx web t-online qq 163 126 "
    "proton protonmail yandex mail orange wanadoo free libero virgilio tiscali laposte sfr "
    "bluewin yahoo.co ymail".split()
)


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


def _plain(sep: str) -> bool:
    return sep == "."


def _fold_domain(labels, seps, context_email: bool):
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
            if not bracketed and not context_email and suffix.lower() in _WORDLIKE_SUFFIXES:
                if not regex.search(r"[\d\-]", names[cut - 2]):
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


_ADDRESS_HINT = regex.compile(
    r"(?i)\bat\b|@|arobase|chiocciola|arroba|ät|klammeraffe|dot|punkt|point|punto|アットマーク|あっとまーく|ドット|"
    r"[\[({<]\s*\.|\s\.\s*\w"
)


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
        plain_word_at = at.strip().lower() == "at"  # "アットマーク" is always a disguise
        folded = _fold_domain(labels, seps, context_email=not plain_word_at)
        if folded is None:
            continue
        pieces, end, _ = folded
        at_is_word = at.strip().lower() not in ("@",) and not regex.search(r"[\[({<]", at)
        domain_plain = all(_plain(s) for s, _, _ in seps[: len([p for p in pieces if p[0] == "."])])
        if at.strip() == "@" and domain_plain and at == "@":
            taken_until = end
            continue  # an ordinary address: nothing to fold
        if at_is_word and domain_plain:
            local = m.group("local")
            provider = labels[0][0].lower()
            if provider not in _MAIL_PROVIDERS and not regex.search(r"[._\d]", local):
                continue  # "available at shop.com" is a place, not an address
        edit_pieces = [(m.group("local"), m.start("local"), m.end("local")),
                       ("@", m.start("at"), m.end("at"))] + pieces
        edits.append((m.start(), end, edit_pieces))
        taken_until = end
    for m in _DOMAIN_DISGUISE.finditer(text):
        if any(e[0] <= m.start() < e[1] for e in edits):
            continue
        d_start = m.start("domain")
        labels, seps = _split_domain(m.group("domain"), d_start)
        if all(_plain(s) for s, _, _ in seps) and not _loose_path(m.group("path")):
            continue
        folded = _fold_domain(labels, seps, context_email=False)
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


def _loose_path(path: str) -> bool:
    return bool(path) and any(sep.group() != "/" for sep in _SLASH_SEP.finditer(path))
