"""Fixes: a rewrite of the sentence or clause that holds a finding, in the message's own language.

How each rule is fixed is data (``wordlists/_fixes/rules.yml``: a strategy and whether the fix is
safe); the words a fix writes are data too (``wordlists/_fixes/<lang>.yml``: the neutral review
request, the neutral feedback note, "please reply to this message", the words that join a
contact clause). A fix is a replacement of ``text[start:end]`` of the ORIGINAL text, which may be
wider than the finding (its clause or sentence). It never needs a fact msglint does not know: it
only removes words, changes their case or punctuation, or puts in one of the fixed neutral
sentences; a rule whose honest fix needs such a fact (a real warranty term, "we have cancelled
your order") has strategy ``none``.

``safe`` is ruff's sense: applying the fix changes formatting only (an emoji, "!!!", capitals,
an HTML tag), never what the message says; ``msglint check --fix`` applies only those unless
``--unsafe-fixes`` is given. What each fix does is explained in ``msglint/locale/<en|zh>.yml``
(``fixes:``), keyed by ``Fix.kind``.
"""
from __future__ import annotations

import bisect

import re
from functools import lru_cache
from typing import Optional


from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Fix, Hit, Rule
from msglint.resources import wordlists_dir
from msglint.spans import trimmed

FIX_LANGS = ("en", "de", "fr", "es", "it", "ja")
STRATEGIES = ("span", "contact", "review", "feedback", "drop-sentence", "drop-phrase", "remove", "title-case",
              "none")
PHRASE_KEYS = ("review_request", "feedback_note", "reply_sentence", "reply_clause")
_HSPACE = " \t\u3000"
_CLAUSE_END = lazy(re.compile, r"[,;.!?。！？、；\n]")
_SEPARATOR = lazy(re.compile, r"\s*(?:[,;:、，；：]|\s[-–—])\s*")
_LISTING_SEP = " \t,;|/–—-"


def _load(name: str) -> dict:
    from msglint.datafile import load

    return load(wordlists_dir() / "_fixes" / name).data or {}


@lru_cache(maxsize=None)
def strategies() -> dict:
    """``{code: (strategy, safe)}`` from ``wordlists/_fixes/rules.yml``."""
    out = {}
    for code, spec in _load("rules.yml").items():
        strategy = spec["strategy"]
        if strategy not in STRATEGIES:
            raise ValueError(f"wordlists/_fixes/rules.yml: {code}: unknown strategy {strategy!r}")
        out[code] = (strategy, bool(spec.get("safe", False)))
    return out


@lru_cache(maxsize=None)
def phrases(lang: str) -> dict:
    """The words fixes write in ``lang`` (empty for a language without a file)."""
    if lang not in FIX_LANGS:
        return {}
    return _load(f"{lang}.yml")


@lru_cache(maxsize=None)
def _connector_pattern(lang: str):
    words = sorted(phrases(lang).get("connectors") or (), key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    if lang == "ja":
        return re.compile(rf"、?(?:{alternatives})、?")
    return re.compile(rf"\s*,?\s+(?:{alternatives})\s+", re.IGNORECASE)


def strategy_of(rule: Rule) -> tuple[str, bool]:
    return strategies().get(rule.code, ("none", False))


def make_fix(rule: Rule, hit: Hit, ctx: Context) -> Optional[Fix]:
    """The fix for ``hit`` of ``rule`` in the coordinates of ``ctx.original`` (None: no fix offered)."""
    strategy, safe = strategy_of(rule)
    if strategy == "none":
        return None
    builder = _BUILDERS[strategy]
    made = builder(rule, hit, ctx)
    if made is None:
        return None
    start, end, replacement, kind = made
    original = ctx.original
    if original[start:end] == replacement:
        return None
    if not replacement.strip() and _blank_outside(ctx, start, end):
        return None  # the whole message would go: the fix is not to send it, which is no rewrite
    return Fix(replacement, safe, start, end, kind)


def _blank_outside(ctx: Context, start: int, end: int) -> bool:
    """Only white space in the original text before ``start`` and from ``end`` on."""
    edges = ctx.cache.get("fix_text_edges")
    if edges is None:
        original = ctx.original
        edges = ctx.cache["fix_text_edges"] = (len(original) - len(original.lstrip()), len(original.rstrip()))
    return edges[0] >= start and edges[1] <= end


# --------------------------------------------------------------------------- units of text

def _units(ctx: Context) -> list[tuple[int, int]]:
    """Sentences split at line breaks, without surrounding white space (normalised coordinates)."""
    cached = ctx.cache.get("fix_units")
    if cached is not None:
        return cached
    text = ctx.text
    out = []
    for a, b in ctx.sentence_spans() or [(0, len(text))]:
        pos = a
        for piece in text[a:b].split("\n"):
            p_start, p_end = trimmed(text, pos, pos + len(piece))
            pos += len(piece) + 1
            if p_start < p_end:
                out.append((p_start, p_end))
    ctx.cache["fix_units"] = out
    return out


def _covering(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """The units (sentences or lines) that the normalised range [start, end) touches."""
    units = _units(ctx)
    bounds = ctx.cache.get("fix_unit_bounds")
    if bounds is None:
        bounds = ctx.cache["fix_unit_bounds"] = ([u[0] for u in units], [u[1] for u in units])
    # units are in order and do not overlap: the ones touched are a slice, found by bisection
    first = bisect.bisect_right(bounds[1], start)
    last = bisect.bisect_left(bounds[0], max(end, start + 1))
    if first >= last:
        return start, end
    return units[first][0], units[last - 1][1]


def _to_original(ctx: Context, start: int, end: int) -> tuple[int, int]:
    return ctx.norm.to_original(start, end)


def _widen(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    """[start, end) grown over the ``chars`` on both sides."""
    while start > 0 and text[start - 1] in chars:
        start -= 1
    while end < len(text) and text[end] in chars:
        end += 1
    return start, end


def _drop(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """The original range that removes the unit [start, end) (original coordinates) with its spacing."""
    text = ctx.original
    a = start
    i, j = _widen(text, start, end, _HSPACE)
    line_start = i == 0 or text[i - 1] == "\n"
    line_end = j == len(text) or text[j] in "\r\n"
    if line_start and line_end:
        # the whole line goes, with its line break
        if j < len(text):
            j += 2 if text[j:j + 2] == "\r\n" else 1
            # a paragraph of one line: one of the blank lines around it goes too
            if (i == 0 or text[max(0, i - 2):i] == "\n\n") and j < len(text) and text[j] in "\r\n":
                j += 2 if text[j:j + 2] == "\r\n" else 1
        else:
            while i > 0 and text[i - 1] in "\r\n":
                i -= 1
        return i, j
    if line_end:
        return i, j  # the last sentence of its line: the space before it goes with it
    return a, j  # a sentence followed by another on its line: the space after it goes with it


def _unit_drop(ctx: Context, start: int, end: int, kind: str):
    a, b = _to_original(ctx, *_covering(ctx, start, end))
    da, db = _drop(ctx, a, b)
    return da, db, "", kind


# --------------------------------------------------------------------------- strategies

def _span(rule: Rule, hit: Hit, ctx: Context):
    a, b = _to_original(ctx, hit.start, hit.end)
    original = ctx.original[a:b]
    replacement = hit.fix if hit.fix is not None else rule.fix
    if rule.code == "FM006":  # one mark, written as the text writes it (fullwidth in Japanese)
        marks = [ch for ch in original if ch in "?？"] or [ch for ch in original if ch in "!！"]
        return (a, b, marks[0], "single_mark") if marks else None
    if rule.code == "FM005":
        if replacement is None or ctx.text[hit.start:hit.end] != original:
            return None
        return a, b, replacement, "sentence_case"
    if replacement is None:
        replacement = ""  # an HTML tag without a replacement of its own: the tag goes, its text stays
    if replacement == "":
        stop = _sentence_stop(ctx, a, b) if rule.code == "FM001" else None
        if stop is not None:  # the emoji ended a sentence: a full stop takes its place
            return stop
        a, b = _eat_one_space(ctx.original, a, b)
        return a, b, "", "remove"
    return a, b, replacement, "line_break" if replacement == "\n" else "remove"


def _sentence_stop(ctx: Context, a: int, b: int):
    """An emoji between two sentences ("on their way 😀 They arrive Friday"): (start, end, stop, kind)."""
    text = ctx.original
    i, j = _widen(text, a, b, _HSPACE)
    if i == 0 or j >= len(text) or not text[i - 1].isalnum():
        return None
    if ctx.lang == "ja":
        if ord(text[i - 1]) < 0x3000 or ord(text[j]) < 0x3000:
            return None
        return i, j, "。", "sentence_stop"
    if not text[j].isupper():
        return None
    return i, b, ".", "sentence_stop"


def _eat_one_space(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen a removal by one space so that no double space or space before punctuation is left."""
    before = text[a - 1] if a > 0 else "\n"
    after = text[b] if b < len(text) else "\n"
    if after in " \u3000" and before in " \n\u3000":
        return a, b + 1
    if before in " \u3000" and (after in "\n.,!?;:" or b == len(text)):
        return a - 1, b
    return a, b


def _phrase(ctx: Context, key: str) -> Optional[str]:
    return phrases(ctx.lang).get(key)


def _present(ctx: Context, sentence: str, a: int, b: int) -> bool:
    """The sentence already appears in the text outside [a, b) (original coordinates)."""
    text = ctx.original
    at = text.find(sentence)
    while at != -1:
        if at + len(sentence) <= a or at >= b:
            return True
        at = text.find(sentence, at + 1)
    return False


def _replace_sentence(rule: Rule, hit: Hit, ctx: Context, key: str):
    """The sentence becomes the neutral ``key`` sentence, once per message; later ones go."""
    sentence = _phrase(ctx, key)
    if not sentence:
        return None
    a, b = _to_original(ctx, *_covering(ctx, hit.start, hit.end))
    given = ctx.cache.setdefault("fix_neutral", {})
    first = given.setdefault(key, (a, b))
    if first != (a, b) or _present(ctx, sentence, a, b):
        da, db = _drop(ctx, a, b)
        return da, db, "", "drop_sentence"
    return a, b, sentence, key


def _review(rule: Rule, hit: Hit, ctx: Context):
    return _replace_sentence(rule, hit, ctx, "review_request")


def _feedback(rule: Rule, hit: Hit, ctx: Context):
    return _replace_sentence(rule, hit, ctx, "feedback_note")


def _drop_sentence(rule: Rule, hit: Hit, ctx: Context):
    return _unit_drop(ctx, hit.start, hit.end, "drop_sentence")


def _words(text: str, lang: str = "en") -> int:
    """Roughly how many words ``text`` has (Japanese: about two characters a word)."""
    if lang == "ja":
        return len(re.findall(r"\w", text)) // 2
    return len(re.findall(r"\w+", text))


def _contact(rule: Rule, hit: Hit, ctx: Context):
    """A contact detail: its "or call ..." clause goes; else "reply to this message" takes its place."""
    if ctx.kind != "message":
        return _drop_sentence(rule, hit, ctx)
    text = ctx.text
    u_start, u_end = _covering(ctx, hit.start, hit.end)
    before = text[u_start:hit.start]
    # the nearest clause boundary before the finding: a joining word or a separator
    boundary, joined = None, False
    pattern = _connector_pattern(ctx.lang)
    for m in (pattern.finditer(before) if pattern else ()):
        boundary, joined = m, True
    for m in _SEPARATOR.finditer(before):
        if boundary is None or m.start() >= boundary.start():
            boundary, joined = m, False
    m_end = _CLAUSE_END.search(text, hit.end, u_end)
    clause_end = m_end.start() if m_end else u_end
    while clause_end > hit.end and text[clause_end - 1] in " \t":
        clause_end -= 1
    if boundary is not None and _words(before[:boundary.start()], ctx.lang):
        c_start = u_start + boundary.start()
        if joined:
            a, b = _to_original(ctx, c_start, clause_end)
            return a, b, "", "drop_clause"
        head = before[:boundary.start()]
        if ":" in boundary.group() or "：" in boundary.group() or _words(head, ctx.lang) <= 1:
            return _unit_drop(ctx, hit.start, hit.end, "drop_line")  # a label: "Tel: ...", "WhatsApp: ..."
        clause = _phrase(ctx, "reply_clause")
        if clause:
            a, b = _to_original(ctx, u_start + boundary.end(), clause_end)
            return a, b, clause, "reply_clause"
        return None
    rest = text[u_start:hit.start] + text[hit.end:u_end]
    if _words(rest, ctx.lang) <= 2:
        return _unit_drop(ctx, hit.start, hit.end, "drop_line")  # nothing but the detail and a label
    sentence = _phrase(ctx, "reply_sentence")
    if not sentence:
        return None
    a, b = _to_original(ctx, u_start, u_end)
    given = ctx.cache.setdefault("fix_neutral", {})
    first = given.setdefault("reply_sentence", (a, b))
    if first != (a, b) or _present(ctx, sentence, a, b):
        da, db = _drop(ctx, a, b)
        return da, db, "", "drop_sentence"
    return a, b, sentence, "reply_sentence"


def _drop_phrase(rule: Rule, hit: Hit, ctx: Context):
    """Listings: the phrase goes from a title or search terms; from a bullet or description, its sentence."""
    if ctx.kind == "listing" and (ctx.field or "description") in ("bullet", "description"):
        return _drop_sentence(rule, hit, ctx)
    text = ctx.original
    a, b = _to_original(ctx, hit.start, hit.end)
    left, right = _widen(text, a, b, _LISTING_SEP)
    if left == 0 or right == len(text):
        return left, right, "", "drop_phrase"
    kept = text[left:a] if text[left:a].strip() else (text[b:right] if text[b:right].strip() else " ")
    return left, right, kept, "drop_phrase"


def _remove(rule: Rule, hit: Hit, ctx: Context):
    a, b = _to_original(ctx, hit.start, hit.end)
    a, b = _eat_one_space(ctx.original, a, b)
    return a, b, "", "remove"


def _title_case(rule: Rule, hit: Hit, ctx: Context):
    a, b = _to_original(ctx, hit.start, hit.end)
    original = ctx.original[a:b]
    fixed = re.sub(r"\w+", lambda m: m.group()[:1] + m.group()[1:].lower(), original)
    return a, b, fixed, "title_case"


_BUILDERS = {
    "span": _span,
    "contact": _contact,
    "review": _review,
    "feedback": _feedback,
    "drop-sentence": _drop_sentence,
    "drop-phrase": _drop_phrase,
    "remove": _remove,
    "title-case": _title_case,
}
