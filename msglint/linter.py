"""The Linter: text -> normalise -> spaCy Doc -> rules -> findings in original coordinates."""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Iterable, Optional, Sequence

import regex

from msglint import marketplaces
from msglint.context import Context
from msglint.model import KINDS, Finding, Fix, Report, Rule, Severity
from msglint.normalise import normalise
from msglint.pipeline import SPAN_KEY, get_nlp, stop_word_hits
from msglint.rules import ALL_RULES

FIELDS = ("title", "bullet", "description", "search_terms")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_LETTER = regex.compile(r"\p{L}")
_CHUNK = 100_000


class Linter:
    """Checks texts against msglint's rules.

    >>> Linter(marketplace="US").check("Email me at help@shop.com").verdict
    'block'

    The spaCy pipelines are built once per language and reused by every check.
    """

    def __init__(self, marketplace: str = "US", *, rules: Optional[Sequence[Rule]] = None,
                 allow_domains: Iterable[str] = (), brands: Iterable[str] = (),
                 severity_overrides: Optional[dict] = None):
        self.marketplace = marketplaces.get(marketplace)
        self.rules: tuple[Rule, ...] = tuple(rules if rules is not None else ALL_RULES)
        self.allow_domains = frozenset(d.lower().strip() for d in allow_domains)
        self.brands = tuple(brands)
        self.severity_overrides = {k: Severity(v) for k, v in (severity_overrides or {}).items()}
        get_nlp(self._pipeline_lang(self.marketplace.language))

    @staticmethod
    def _pipeline_lang(lang: str) -> str:
        return "ja" if lang in ("ja", "zh") else lang

    def _lang_for(self, text: str, marketplace) -> str:
        """The pipeline and term-list language: the marketplace's, or which of its languages the text is in."""
        lang = marketplace.language
        head = text[:2000]
        if lang != "ja":
            letters = len(_LETTER.findall(head))
            if letters and len(_CJK.findall(head)) > 0.3 * letters:
                return "ja"
        if len(marketplace.languages) > 1:
            lang = _stopword_vote(head, marketplace.languages) or lang
        return self._pipeline_lang(lang)

    def check(self, text: str, kind: str = "message", *, field: Optional[str] = None,
              marketplace: Optional[str] = None, brands: Iterable[str] = (),
              message_type: Optional[str] = None) -> Report:
        """Check one text; ``kind`` is 'message' or 'listing' (``field`` for listings)."""
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if field is not None and field not in FIELDS:
            raise ValueError(f"unknown field {field!r} (one of {', '.join(FIELDS)})")
        mp = marketplaces.get(marketplace) if marketplace else self.marketplace
        findings: list[Finding] = []
        line_starts = _line_starts(text)
        for offset, chunk in _chunks(text):
            findings.extend(self._check_chunk(chunk, offset, text, line_starts, kind, field, mp,
                                              tuple(brands) or self.brands, message_type))
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return Report(text=text, kind=kind, marketplace=mp.code, findings=tuple(findings), field=field)

    def _check_chunk(self, chunk, offset, full_text, line_starts, kind, field, mp, brands, message_type):
        norm = normalise(chunk)
        lang = self._lang_for(norm.text, mp)
        doc = get_nlp(lang)(norm.text)
        ctx = Context(norm=norm, doc=doc, kind=kind, marketplace=mp, field=field, lang=lang,
                      message_type=message_type, allow_domains=self.allow_domains, brands=brands)
        seen = set()
        out: list[Finding] = []
        spans = []
        for rule in self.rules:
            if kind not in rule.kinds:
                continue
            if rule.fields is not None and (field or "description") not in rule.fields:
                continue
            for hit in rule.detector(ctx):
                o_start, o_end = norm.to_original(hit.start, hit.end)
                o_start += offset
                o_end += offset
                key = (rule.code, o_start, o_end)
                if key in seen:
                    continue
                seen.add(key)
                matched = full_text[o_start:o_end]
                params = defaultdict(str, {"text": matched})
                params.update(hit.params)
                severity = self.severity_overrides.get(rule.code) or hit.severity or rule.severity
                fix_text = hit.fix if hit.fix is not None else rule.fix
                line, col = _line_col(line_starts, o_start)
                end_line, end_col = _line_col(line_starts, o_end)
                out.append(Finding(
                    code=rule.code, name=rule.name, category=rule.category, severity=severity,
                    start=o_start, end=o_end, line=line, col=col, end_line=end_line, end_col=end_col,
                    text=matched, message=rule.message.format_map(params),
                    fix=Fix(fix_text, rule.fix_safe) if fix_text is not None else None,
                ))
                span = doc.char_span(hit.start, hit.end, label=rule.code, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[SPAN_KEY] = spans
        doc._.msglint_findings = out
        return out


_WORDS = regex.compile(r"\p{L}+")


def _stopword_vote(text: str, languages) -> Optional[str]:
    """Which of ``languages`` the text is written in, by spaCy stop words (None when unclear)."""
    words = [w.lower() for w in _WORDS.findall(text)][:300]
    if len(words) < 4:
        return None
    scores = {lang: stop_word_hits(words, lang) for lang in languages}
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    return best if ranked[0] >= 3 and ranked[0] > 1.5 * ranked[1] else None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _line_col(line_starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(line_starts, pos) - 1
    return i + 1, pos - line_starts[i] + 1


def _chunks(text: str):
    """Pieces of at most ~100k characters cut at line ends, with their offsets."""
    if len(text) <= _CHUNK:
        yield 0, text
        return
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", pos, end)
            if cut > pos:
                end = cut + 1
        yield pos, text[pos:end]
        pos = end
