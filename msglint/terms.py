"""Term lists from ``wordlists/`` matched with spaCy, and the questions rules ask of the matches.

A term list file is ``wordlists/<family>/<lang>.yml``::

    terms:
      review_noun: [review, reviews, product review, "lemma:review"]
      incentive: [gift card, voucher, "$"]
    exceptions: [free returns, free of charge]

Every phrase is matched on lower-case tokens with a ``PhraseMatcher`` (attr LOWER); a phrase
written ``lemma:word`` is matched on the lookup lemma instead (attr LEMMA), so "reviewed",
"Bewertungen" or "avis" match their dictionary form. Japanese and Chinese are tokenized one
character per token, so the same matchers give character-level matching there. A match that
lies inside an exception phrase of its own family is dropped. Lists are loaded once per language.

Rules ask: which groups matched in a sentence (or clause), where, and whether a negation
("not", "never", "nicht", "jamais", "nunca", "mai", "ない" ...) precedes a match in its clause.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import yaml
import numpy
from spacy.attrs import IDX, IS_PUNCT, LENGTH, LOWER
from spacy.matcher import PhraseMatcher

from msglint.pipeline import get_nlp
from msglint.resources import wordlists_dir

FAMILIES = ("review", "marketing", "offplatform", "buyer_data", "conduct", "unnecessary", "negation")
LANGS = ("en", "de", "fr", "es", "it", "ja")


@dataclass(frozen=True)
class Match:
    group: str      # "family:group"
    start: int      # character offsets in the normalised text
    end: int
    tok_start: int
    tok_end: int
    sent: int       # sentence index
    clause: int     # clause index (sentences cut at , ; : and contrastive conjunctions)


class TermIndex:
    """All term matches of one text, indexed by sentence and clause."""

    def __init__(self, matches: list[Match], n_sents: int, doc):
        self.matches = matches
        self.doc = doc
        self.n_sents = n_sents
        self._by_group: dict[str, list[Match]] = defaultdict(list)
        for m in matches:
            self._by_group[m.group].append(m)

    def get(self, *groups: str) -> list[Match]:
        out: list[Match] = []
        for g in groups:
            out.extend(self._by_group.get(g, ()))
        return sorted(out, key=lambda m: (m.start, -m.end))

    def has(self, *groups: str) -> bool:
        return any(self._by_group.get(g) for g in groups)

    def in_sentence(self, sent: int, *groups: str) -> list[Match]:
        return [m for m in self.get(*groups) if m.sent == sent]

    def in_clause(self, clause: int, *groups: str) -> list[Match]:
        return [m for m in self.get(*groups) if m.clause == clause]

    def near(self, anchor: Match, groups: Iterable[str], sentences: int = 0) -> list[Match]:
        """Matches of ``groups`` in the anchor's sentence, or within ``sentences`` sentences of it."""
        return [m for m in self.get(*groups) if abs(m.sent - anchor.sent) <= sentences]

    def cooccur(self, first: Iterable[str], second: Iterable[str], scope: str = "sentence",
                window: int = 0) -> list[tuple[Match, Match]]:
        """Pairs (a, b) with a from ``first`` and b from ``second`` in the same sentence/clause.

        ``window`` widens a sentence scope to neighbouring sentences.
        """
        pairs = []
        seconds = self.get(*second)
        for a in self.get(*first):
            for b in seconds:
                if a is b or (a.start < b.end and b.start < a.end):
                    continue
                if scope == "clause" and a.clause != b.clause:
                    continue
                if scope == "sentence" and abs(a.sent - b.sent) > window:
                    continue
                pairs.append((a, b))
        return pairs

    def negated(self, match: Match, lookback: int = 8) -> bool:
        """True when a negation word stands in the match's clause before it (or right after, for ja)."""
        for neg in self._by_group.get("negation:negation", ()):
            if neg.clause != match.clause:
                continue
            if neg.tok_end <= match.tok_start and match.tok_start - neg.tok_end <= lookback:
                return True
            # Japanese negates after the verb: 〜しません, 〜ことはありません
            if self.doc.lang_ == "xx" and 0 <= neg.tok_start - match.tok_end <= 12:
                return True
        return False


CLAUSE_BREAK = frozenset({",", ";", ":", "、", "，", "；", "：", "but", "aber", "mais", "pero", "sino", "ma", "però",
                           "however", "jedoch", "cependant", "tuttavia", "が", "けど", "しかし"})


@dataclass
class _LangMatchers:
    lower: PhraseMatcher
    lemma: Optional[PhraseMatcher]
    exceptions: PhraseMatcher
    groups: tuple


@lru_cache(maxsize=None)
def _matchers(lang: str) -> _LangMatchers:
    nlp = get_nlp("ja" if lang in ("ja", "zh") else lang)
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    has_lemma = "lemmatizer" in nlp.pipe_names
    lemma = PhraseMatcher(nlp.vocab, attr="LEMMA") if has_lemma else None
    exceptions = PhraseMatcher(nlp.vocab, attr="LOWER")
    groups = []
    for family, data in _load(lang).items():
        for group, phrases in (data.get("terms") or {}).items():
            key = f"{family}:{group}"
            groups.append(key)
            plain, lemmas = [], []
            for phrase in phrases or ():
                phrase = str(phrase)
                if phrase.startswith("lemma:"):
                    lemmas.append(phrase[6:])
                else:
                    # tokenised as written and lower-cased: "ID card" is the token "ID", "id card" is "i" "d"
                    # (I'd); typographic and straight apostrophes are the same letter to a seller
                    for form in (phrase, phrase.lower()):
                        plain.append(form)
                        for a, b in (("'", "’"), ("’", "'")):
                            if a in form:
                                plain.append(form.replace(a, b))
            if plain:
                lower.add(key, list(nlp.tokenizer.pipe(list(dict.fromkeys(plain)))))
            if lemmas:
                if lemma is not None:
                    lemma.add(key, list(nlp.pipe(lemmas)))
                else:
                    lower.add(key, list(nlp.tokenizer.pipe([w.lower() for w in lemmas])))
        exc = [str(p).lower() for p in (data.get("exceptions") or ())]
        if exc:
            exceptions.add(f"{family}:exception", list(nlp.tokenizer.pipe(exc)))
    return _LangMatchers(lower, lemma, exceptions, tuple(groups))


@lru_cache(maxsize=None)
def _load(lang: str) -> dict:
    """{family: {"terms": {...}, "exceptions": [...]}} for ``lang`` (missing files are empty)."""
    base = wordlists_dir()
    out = {}
    for family in FAMILIES:
        path = base / family / f"{lang}.yml"
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text("utf-8")) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f":{mark.line + 1}" if mark is not None else ""
                raise ValueError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
            if not isinstance(data, dict):
                raise ValueError(f"{path}: expected a mapping with 'terms' and 'exceptions'")
            out[family] = data
    return out


def term_lang(ctx_lang: str) -> str:
    return ctx_lang if ctx_lang in LANGS else ("ja" if ctx_lang == "zh" else "en")


def index(doc, lang: str) -> TermIndex:
    """Match every term list of ``lang`` against ``doc`` and index the matches."""
    m = _matchers(term_lang(lang))
    # group names live in the matchers' own string store: a text in a language without term lists
    # (Dutch, Polish, ...) is matched with the English lists but parsed with another vocabulary
    vocab_strings = m.lower.vocab.strings
    raw = list(m.lower(doc))
    if m.lemma is not None:
        raw.extend(m.lemma(doc))
    # exceptions hold only within their own family: "free returns" cancels review:incentive, not unnecessary:*
    excluded: dict = defaultdict(list)
    for key, s, e in m.exceptions(doc):
        excluded[vocab_strings[key].split(":", 1)[0]].append((s, e))
    sent_starts = [s.start for s in doc.sents]
    clause_starts = _clause_starts(doc, sent_starts)
    # token character offsets as arrays: far cheaper than a Span per match
    offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
    matches = []
    seen = set()
    for key, start, end in raw:
        group = vocab_strings[key]
        fam_excluded = excluded.get(group.split(":", 1)[0]) if excluded else None
        if fam_excluded and any(s <= start and end <= e for s, e in fam_excluded):
            continue
        if (group, start, end) in seen:
            continue
        seen.add((group, start, end))
        last_idx, last_len = offsets[end - 1]
        matches.append(Match(group, offsets[start][0], last_idx + last_len, start, end,
                             bisect.bisect_right(sent_starts, start) - 1,
                             bisect.bisect_right(clause_starts, start) - 1))
    return TermIndex(merge_matches(matches), len(sent_starts), doc)


def merge_matches(matches: list[Match]) -> list[Match]:
    """Overlapping matches of one group become one ("your friends" + "friends and family")."""
    by_group: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        by_group[m.group].append(m)
    out = []
    for group, ms in by_group.items():
        ms.sort(key=lambda x: (x.start, -x.end))
        cur = ms[0]
        for m in ms[1:]:
            if m.start < cur.end and m.sent == cur.sent:
                if m.end > cur.end:
                    cur = Match(group, cur.start, m.end, cur.tok_start, m.tok_end, cur.sent, cur.clause)
            else:
                out.append(cur)
                cur = m
        out.append(cur)
    out.sort(key=lambda x: (x.start, -x.end))
    return out


def _clause_starts(doc, sent_starts: list[int]) -> list[int]:
    """Token indices where a clause starts: sentence starts, after , ; : and at "but", "aber", ... ."""
    starts = set(sent_starts)
    if len(doc):
        arr = doc.to_array([LOWER, IS_PUNCT])
        hashes = _break_hashes(doc.vocab)
        for i in numpy.flatnonzero(numpy.isin(arr[:, 0], hashes)).tolist():
            starts.add(i + 1 if arr[i, 1] else i)
    return sorted(starts)


@lru_cache(maxsize=None)
def _break_hashes_cached(vocab_id: int, strings) -> "numpy.ndarray":
    return numpy.array([strings.add(w) for w in CLAUSE_BREAK], dtype="uint64")


def _break_hashes(vocab):
    return _break_hashes_cached(id(vocab), vocab.strings)


def ctx_terms(ctx) -> TermIndex:
    """The (cached) term index of a check's context."""
    idx = ctx.cache.get("terms")
    if idx is None:
        idx = index(ctx.doc, ctx.lang)
        ctx.cache["terms"] = idx
    return idx
