"""The Linter: text -> normalise -> languages -> spaCy Doc -> rules -> findings in original coordinates."""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Iterable, Optional, Sequence

from spacy.attrs import IDX
from spacy.tokens import Span

from msglint import explain, fixes, marketplaces
from msglint.context import Context
from msglint.lang import term_language
from msglint.languages import blank_tags, detect
from msglint.model import FIELDS, KINDS, Finding, Report, Rule, Severity
from msglint.normalise import normalise
from msglint.pipeline import SPAN_KEY, check_scope, exclusive, read
from msglint.rules import ALL_RULES

# Long texts are checked in windows: each window's core is at most _CHUNK characters, and it is
# read with _OVERLAP characters of context on each side, so that a contact detail or phrase that
# straddles a cut is seen whole by the window whose core it starts in.
_CHUNK = 100_000
_OVERLAP = 2_000


class Linter:
    """Checks texts against msglint's rules.

    >>> Linter(marketplace="US").check("Email me at help@shop.com").verdict
    'block'

    The spaCy pipelines are built once per language, lazily, and shared by every marketplace.
    """

    def __init__(self, marketplace: str = "US", *, rules: Optional[Sequence[Rule]] = None,
                 allow_domains: Iterable[str] = (), brands: Iterable[str] = (),
                 severity_overrides: Optional[dict] = None, explain_lang: str = "en"):
        self.marketplace = marketplaces.get(marketplace)
        self.explain_lang = explain.check_lang(explain_lang)  # language of the findings' messages
        self.rules: tuple[Rule, ...] = tuple(rules if rules is not None else ALL_RULES)
        self.allow_domains = frozenset(d.lower().strip() for d in allow_domains)
        self.brands = tuple(brands)
        self.severity_overrides = {k: Severity(v) for k, v in (severity_overrides or {}).items()}

    def check(self, text: str, kind: str = "message", *, field: Optional[str] = None,
              marketplace: Optional[str] = None, brands: Iterable[str] = (),
              message_type: Optional[str] = None, explain_lang: Optional[str] = None) -> Report:
        """Check one text; ``kind`` is 'message', 'listing' or 'appeal' (``field`` for listings).

        ``explain_lang`` ('en' or 'zh', default: the linter's) is the language of the messages.
        """
        lang = explain.check_lang(explain_lang) if explain_lang else self.explain_lang
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if field is not None and field not in FIELDS:
            raise ValueError(f"unknown field {field!r} (one of {', '.join(FIELDS)})")
        mp = marketplaces.get(marketplace) if marketplace else self.marketplace
        brands = tuple(brands) or self.brands
        line_starts = _line_starts(text)
        findings: list[Finding] = []
        seen: set = set()
        for core_start, core_end, w_start, w_end in _windows(text):
            # each window in a scope of its own: what spaCy learnt of its words is freed after it
            with check_scope():
                window = self._check_window(text[w_start:w_end], w_start, text, line_starts, kind, field, mp,
                                            brands, message_type, lang)
            for f in window:
                if core_start <= f.start < core_end and (f.code, f.start, f.end) not in seen:
                    seen.add((f.code, f.start, f.end))
                    findings.append(f)
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return Report(text=text, kind=kind, marketplace=mp.code, findings=tuple(findings), field=field)

    def context(self, text: str, kind: str = "message", *, field: Optional[str] = None,
                marketplace: Optional[str] = None, brands: Iterable[str] = (),
                message_type: Optional[str] = None) -> Context:
        """The Context the rules see for ``text`` (normalised text, languages, Doc): for tools and tests."""
        mp = marketplaces.get(marketplace) if marketplace else self.marketplace
        norm = normalise(text)
        languages = detect(norm.text, mp.languages)
        lang = term_language(languages.primary)
        # HTML tags are the formatting rules' business (they read ctx.text); the words see text without them
        with exclusive():  # no other thread's check has a memory zone open while this Doc is made
            doc = read(lang, blank_tags(norm.text))
        return Context(norm=norm, doc=doc, kind=kind, marketplace=mp, field=field, lang=lang,
                       message_type=message_type, allow_domains=self.allow_domains,
                       brands=tuple(brands) or self.brands, languages=languages)

    def _check_window(self, chunk, offset, full_text, line_starts, kind, field, mp, brands, message_type,
                      explain_lang="en"):
        ctx = self.context(chunk, kind, field=field, marketplace=mp.code, brands=brands, message_type=message_type)
        norm, doc = ctx.norm, ctx.doc
        seen = set()
        out: list[Finding] = []
        spans = []
        found: set = set()  # categories found at warning or error, for the fallback rules
        # fallback rules (the text model's) run last and only for a category no other rule has found
        for rule in sorted(self.rules, key=lambda r: r.fallback):
            if kind not in rule.kinds:
                continue
            if rule.fields is not None and (field or "description") not in rule.fields:
                continue
            if rule.fallback and rule.category in found:
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
                fix = fixes.make_fix(rule, hit, ctx)
                line, col = _line_col(line_starts, o_start)
                end_line, end_col = _line_col(line_starts, o_end)
                out.append(Finding(
                    code=rule.code, name=rule.name, category=rule.category, severity=severity,
                    start=o_start, end=o_end, line=line, col=col, end_line=end_line, end_col=end_col,
                    text=matched, message=explain.message(rule, params, explain_lang),
                    fix=fix.shifted(offset) if fix is not None else None,
                ))
                spans.append((hit.start, hit.end, rule.code))
                if severity in _COUNTED:
                    found.add(rule.category)
        doc.spans[SPAN_KEY] = _doc_spans(doc, spans)
        doc._.msglint_findings = out
        return out


_COUNTED = (Severity.ERROR, Severity.WARNING)


def _doc_spans(doc, items: list) -> list:
    """Spans of the Doc covering each (start, end, code) character range (expanded to whole tokens),
    found by bisection on the token offsets (``Doc.char_span`` scans the tokens for each call)."""
    if not items or not len(doc):
        return []
    starts = doc.to_array([IDX]).tolist()
    out = []
    for start, end, code in items:
        a = max(0, bisect.bisect_right(starts, start) - 1)
        b = max(a + 1, bisect.bisect_left(starts, end))
        out.append(Span(doc, a, min(b, len(doc)), label=code))
    return out


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


def _cut(text: str, target: int, lo: int) -> int:
    """A cut near ``target`` (not before ``lo``): after a line end, else after a space, else ``target``."""
    for sep in ("\n", " "):
        at = text.rfind(sep, lo, target)
        if at > lo:
            return at + 1
    return target


def _windows(text: str):
    """(core start, core end, window start, window end) covering ``text``; one window for short texts."""
    n = len(text)
    if n <= _CHUNK + _OVERLAP:
        yield 0, n, 0, n
        return
    core_start = 0
    while core_start < n:
        core_end = n if n - core_start <= _CHUNK else _cut(text, core_start + _CHUNK, core_start + _CHUNK // 2)
        w_start = 0 if core_start == 0 else _cut(text, core_start - _OVERLAP, core_start - 2 * _OVERLAP)
        w_end = n if core_end >= n else min(n, core_end + _OVERLAP)
        yield core_start, core_end, w_start, w_end
        core_start = core_end
