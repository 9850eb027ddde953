"""Span helpers shared by every rule family (no family imports another family's private helpers)."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

import regex

from msglint.lazyre import lazy
from msglint.lexicon import fold
from msglint.model import Hit, Severity


# an amount of money: a currency sign or word next to a number ("$5", "10 €", "15 EUR", "5 euro", "3000円")
MONEY = lazy(regex.compile, r"(?:[$€£¥￥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|円|元|块|EUR|USD|GBP|RMB|CNY|dollars?|euros?|pounds?|dólares?|pesos|dollari|sterline|livres?))")


def sentence_money(ctx, sent: int) -> list[tuple[int, int]]:
    """(start, end) of each amount of money in sentence ``sent`` of ``ctx`` (normalised coordinates), cached."""
    spans = ctx.sentence_spans()
    if sent >= len(spans):
        return []
    cache = ctx.cache.setdefault("spans:sentence_money", {})
    if sent not in cache:
        a, b = spans[sent]
        cache[sent] = [(m.start(), m.end()) for m in MONEY.finditer(ctx.text, a, b)]
    return cache[sent]


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past white space (an empty range when there is only white space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def span(*items) -> tuple[int, int]:
    """The smallest range holding every item (anything with ``start`` and ``end``)."""
    return min(m.start for m in items), max(m.end for m in items)


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def overlaps_any(m, others: Iterable) -> bool:
    return any(m.start < o.end and o.start < m.end for o in others)


def inside(m, others: Iterable) -> bool:
    """``m`` lies within one of ``others`` (and is not that one)."""
    return any(o is not m and o.start <= m.start and m.end <= o.end for o in others)


def one_per_sentence(hits: Iterable[tuple[int, Hit]]) -> Iterator[Hit]:
    """The first hit of each sentence, from (sentence index, hit) pairs."""
    seen = set()
    for sent, hit in hits:
        if sent not in seen:
            seen.add(sent)
            yield hit


def first_per_sentence(matches: Iterable) -> list:
    seen, out = set(), []
    for m in matches:
        if m.sent not in seen:
            seen.add(m.sent)
            out.append(m)
    return out


def outermost(hits: list[Hit]) -> Iterator[Hit]:
    """Drop a hit that lies inside a longer one ("idiot" inside "you idiot")."""
    for h in hits:
        if not any(o is not h and o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
                   for o in hits):
            yield h


def merged(hits: list[Hit]) -> Iterator[Hit]:
    """Overlapping hits as one span, the stronger severity kept ("Wow, you can't even" and "can't even
    read" are one remark: "Wow, you can't even read")."""
    rank = {None: 2, Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}
    cur = None
    for h in sorted(hits, key=lambda h: (h.start, h.end)):
        if cur is not None and h.start < cur.end:
            sev = cur.severity if rank[cur.severity] >= rank[h.severity] else h.severity
            cur = Hit(cur.start, max(cur.end, h.end), severity=sev)
            continue
        if cur is not None:
            yield cur
        cur = h
    if cur is not None:
        yield cur


def followed_by(idx, m, words: frozenset, n: int = 3, until_punct: bool = False) -> bool:
    """One of ``words`` (folded) among the ``n`` tokens after the match; with ``until_punct``, only before the
    first punctuation mark ("order it directly from Amazon", not "order direct from us, no Amazon markup")."""
    doc = idx.doc_of(m)
    for t in doc[m.tok_end:min(len(doc), m.tok_end + n)]:
        if until_punct and t.is_punct:
            return False
        if fold(t.text) in words:
            return True
    return False


def preceded_by(idx, m, words: frozenset, n: int = 1) -> bool:
    """One of ``words`` (folded) among the ``n`` tokens before the match."""
    doc = idx.doc_of(m)
    return any(fold(t.text) in words for t in doc[max(0, m.tok_start - n):m.tok_start])


_JOIN = regex.compile(r"[\s\-–—]*")


def merge_spans(text: str, spans: Iterable[tuple], joiner=_JOIN) -> list[tuple]:
    """Overlapping spans, and spans separated only by spaces or dashes, become one.

    Items are (start, end) or (start, end, severity); a merged span keeps the highest severity
    (None, the rule's own severity, is the highest).
    """
    items = sorted(((s[0], s[1], s[2] if len(s) > 2 else None) for s in spans), key=lambda x: (x[0], x[1]))
    out: list[list] = []
    for start, end, sev in items:
        if out and (start <= out[-1][1] or joiner.fullmatch(text, out[-1][1], start)):
            last = out[-1]
            last[1] = max(last[1], end)
            last[2] = higher(last[2], sev)
        else:
            out.append([start, end, sev])
    return [tuple(x) for x in out]


def higher(a: Optional[Severity], b: Optional[Severity]) -> Optional[Severity]:
    if a is None or b is None:
        return None  # None = the rule's own (highest) severity
    return a if a.rank >= b.rank else b


def hits(spans: Iterable[tuple], **params) -> Iterator[Hit]:
    for start, end, *rest in spans:
        sev = rest[0] if rest else None
        yield Hit(start, end, dict(params), severity=sev)


# quotation marks, opening -> closing ("„…“" is German; its closing mark opens an English quotation)
QUOTE_CLOSE = {'"': '"', "“": "”", "„": "“", "«": "»", "「": "」", "『": "』", "‘": "’", "‹": "›"}
QUOTE_OPEN = {v: k for k, v in QUOTE_CLOSE.items()}


def quoted(text: str, sentence_start: int, pos: int) -> bool:
    """True when ``pos`` stands inside quotation marks opened in its sentence (a gift note, a quote)."""
    before = text[sentence_start:pos]
    for opening, closing in QUOTE_CLOSE.items():
        if opening == closing:
            if before.count(opening) % 2:
                return True
        elif opening == "“" and "„" in before:
            continue  # “ closes a German „
        elif before.count(opening) > before.count(closing):
            return True
    return False


def join_split_runs(ctx, hits: list[Hit]) -> list[Hit]:
    """Hits separated only by spaces the normaliser inserted into a long run of symbols become one
    ("!!!!" × 1000 is one finding, not 60); the first hit's params and severity are kept."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: h.start):
        if out and h.start - out[-1].end == 1 and ctx.inserted_space(out[-1].end):
            last = out[-1]
            out[-1] = Hit(last.start, h.end, last.params, last.severity, last.fix)
        else:
            out.append(h)
    return out
