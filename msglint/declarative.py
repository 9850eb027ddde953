"""Rules written as data: ``wordlists/_rules/<family>.yml``.

Many rules are "a phrase of group A, with (or without) a phrase of group B near it, not negated".
Those are described in YAML, like Vale's ``existence`` and ``occurrence`` rules, and compiled
here into ordinary ``Rule`` records; detectors that need an algorithm (phone numbers, links,
title length, whole-message analysis) stay in Python. A rule file::

    rules:
      - code: RM007
        name: circle-reviews
        category: review.manipulation
        kinds: [message]
        severity: error
        message: "Remove '{text}': do not ask buyers to get friends or family to post reviews."
        doc: |
          Asking the buyer to get friends, family or colleagues to post reviews.
          ...
        detect:
          - find: [review:third_party]          # the phrase reported
            near: [review:review_noun]          # ... only with one of these in scope
            scope: sentence                     # sentence (default), clause, or text
            window: 1                           # with "sentence": this many sentences either side
            once: text                          # report the first only (text | sentence)

Options of a ``detect`` entry: ``find`` (groups; required), ``near`` and ``scope``/``window``,
``unless`` (groups that cancel the match in the same scope; ``unless_window`` widens a sentence scope for
them alone), ``not_overlapping`` (groups whose
matches take precedence), ``strong_if`` (groups in the sentence that make it the rule's severity;
without one the finding is a warning), ``severity``, ``negation`` (``skip``, the default, drops
negated matches; ``keep`` does not), ``fields`` (listing fields the entry applies to), ``span``
(``match``, default, or ``with-near``: from the match to its companion), ``once``.
Rule options: ``fields``, ``fix``, ``fix_safe``, ``merge`` (join touching spans, as listing rules
report), ``outermost`` (drop a finding inside a longer one), ``transparent`` (groups in which a
negation negates nothing after it). Every group named must exist in some language's term lists,
and every key is checked; a mistake names the file and line.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from msglint.datafile import DataFile, check_keys, expect_mapping, expect_phrases, load
from msglint.model import CATEGORIES, KINDS, Hit, Rule, Severity
from msglint.resources import wordlists_dir
from msglint.spans import merge_spans, outermost, overlaps, span
from msglint.terms import NegationPolicy, TermIndex, all_groups, ctx_terms

_RULE_KEYS = ("code", "name", "category", "kinds", "severity", "message", "doc", "detect", "fields", "fix",
              "fix_safe", "merge", "outermost", "transparent")
_DETECT_KEYS = ("find", "near", "scope", "window", "unless", "unless_window", "not_overlapping", "strong_if", "severity",
                "negation", "fields", "span", "once")
from msglint.model import FIELDS as _FIELDS  # noqa: E402


@dataclass(frozen=True)
class Clause:
    find: tuple
    near: tuple = ()
    scope: str = "sentence"
    window: int = 0
    unless: tuple = ()
    unless_window: Optional[int] = None
    not_overlapping: tuple = ()
    strong_if: tuple = ()
    severity: Optional[Severity] = None
    negation: str = "skip"
    fields: Optional[frozenset] = None
    span: str = "match"
    once: Optional[str] = None


def _in_scope(idx: TermIndex, m, groups: tuple, scope: str, window: int) -> list:
    if not groups:
        return []
    if scope == "clause":
        return [o for o in idx.get(*groups) if o.clause == m.clause]
    if scope == "text":
        return idx.get(*groups)
    return idx.near(m, groups, sentences=window)


def _clause_hits(idx: TermIndex, c: Clause, policy: NegationPolicy) -> Iterator[tuple[int, Hit]]:
    taken = idx.get(*c.not_overlapping) if c.not_overlapping else []
    for m in idx.get(*c.find):
        if taken and any(overlaps(m, t) for t in taken):
            continue
        if c.negation == "skip" and idx.negated(m, policy):
            continue
        companions = _in_scope(idx, m, c.near, c.scope, c.window)
        if c.near and not companions:
            continue
        if c.unless and _in_scope(idx, m, c.unless, c.scope,
                                  c.window if c.unless_window is None else c.unless_window):
            continue
        start, end = m.start, m.end
        if c.span == "with-near" and companions:
            start, end = span(m, min(companions, key=lambda o: abs(o.start - m.start)))
        severity = c.severity
        if c.strong_if:
            strong = [o for o in idx.in_sentence(m.sent, *c.strong_if) if not overlaps(o, m)]
            if not strong:
                severity = Severity.WARNING
        yield m.sent, Hit(start, end, severity=severity)


def _detector(spec: "DataRule"):
    policy = NegationPolicy(transparent=spec.transparent) if spec.transparent else NegationPolicy()

    def detect(ctx) -> Iterator[Hit]:
        idx = ctx_terms(ctx)
        field = ctx.field or "description"
        hits: list[Hit] = []
        done_text = False
        for c in spec.clauses:
            if c.fields is not None and field not in c.fields:
                continue
            seen_sents: set = set()
            for sent, hit in _clause_hits(idx, c, policy):
                if c.once == "text":
                    if done_text:
                        break
                    done_text = True
                elif c.once == "sentence":
                    if sent in seen_sents:
                        continue
                    seen_sents.add(sent)
                hits.append(hit)
        if spec.merge:
            merged = merge_spans(ctx.text, [(h.start, h.end, h.severity) for h in hits])
            hits = [Hit(a, b, severity=sev) for a, b, sev in merged]
        if spec.outermost:
            hits = list(outermost(hits))
        yield from sorted(hits, key=lambda h: (h.start, h.end))

    detect.__doc__ = spec.doc
    detect.__name__ = spec.name.replace("-", "_")
    return detect


@dataclass(frozen=True)
class DataRule:
    code: str
    name: str
    doc: str
    clauses: tuple
    merge: bool = False
    outermost: bool = False
    transparent: tuple = ()


def _groups(f: DataFile, value, known: frozenset, *keys) -> tuple:
    groups = tuple(expect_phrases(f, value, *keys))
    for g in groups:
        if g not in known:
            raise f.error(f"'{'.'.join(map(str, keys))}': no term list has the group '{g}'", *keys)
    return groups


def _severity(f: DataFile, value, *keys) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise f.error(f"'{'.'.join(map(str, keys))}' must be error, warning or info, not {value!r}", *keys) from None


def _fields(f: DataFile, value, *keys) -> Optional[frozenset]:
    if value is None:
        return None
    fields = expect_phrases(f, value, *keys)
    for x in fields:
        if x not in _FIELDS:
            raise f.error(f"'{'.'.join(map(str, keys))}': unknown listing field '{x}' (one of {', '.join(_FIELDS)})",
                          *keys)
    return frozenset(fields)


def _unless_window(f: DataFile, data, keys) -> Optional[int]:
    value = data.get("unless_window")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise f.error("'unless_window' must be a whole number of sentences", *keys, "unless_window")
    return value


def _clause(f: DataFile, data, known: frozenset, i: int, j: int) -> Clause:
    keys = ("rules", i, "detect", j)
    data = expect_mapping(f, data, *keys)
    check_keys(f, data, _DETECT_KEYS, *keys, required=("find",))
    scope = data.get("scope", "sentence")
    if scope not in ("sentence", "clause", "text"):
        raise f.error(f"'scope' must be sentence, clause or text, not {scope!r}", *keys, "scope")
    for key, allowed in (("negation", ("skip", "keep")), ("span", ("match", "with-near")),
                         ("once", (None, "text", "sentence"))):
        if data.get(key, allowed[0]) not in allowed:
            raise f.error(f"'{key}' must be one of {', '.join(str(a) for a in allowed if a)}", *keys, key)
    window = data.get("window", 0)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise f.error("'window' must be a whole number of sentences", *keys, "window")
    return Clause(
        find=_groups(f, data["find"], known, *keys, "find"),
        near=_groups(f, data.get("near"), known, *keys, "near"),
        scope=scope, window=window,
        unless=_groups(f, data.get("unless"), known, *keys, "unless"),
        unless_window=_unless_window(f, data, keys),
        not_overlapping=_groups(f, data.get("not_overlapping"), known, *keys, "not_overlapping"),
        strong_if=_groups(f, data.get("strong_if"), known, *keys, "strong_if"),
        severity=_severity(f, data["severity"], *keys, "severity") if "severity" in data else None,
        negation=data.get("negation", "skip"),
        fields=_fields(f, data.get("fields"), *keys, "fields"),
        span=data.get("span", "match"),
        once=data.get("once"),
    )


def load_rules(path: Path) -> tuple[Rule, ...]:
    """The rules of one data file, checked."""
    f = load(path)
    data = expect_mapping(f, f.data)
    check_keys(f, data, ("rules",), required=("rules",))
    if not isinstance(data["rules"], list):
        raise f.error("'rules' must be a list", "rules")
    known = all_groups()
    out = []
    for i, item in enumerate(data["rules"]):
        item = expect_mapping(f, item, "rules", i)
        check_keys(f, item, _RULE_KEYS, "rules", i, required=("code", "name", "category", "kinds", "severity",
                                                              "message", "doc", "detect"))
        code = str(item["code"])
        if len(code) != 5 or not code[:2].isalpha() or not code[2:].isdigit():
            raise f.error(f"'code' {code!r} must be two letters and three digits", "rules", i, "code")
        if item["category"] not in CATEGORIES:
            raise f.error(f"unknown category {item['category']!r} (see TAXONOMY.md)", "rules", i, "category")
        kinds = expect_phrases(f, item["kinds"], "rules", i, "kinds")
        if not kinds or any(k not in KINDS for k in kinds):
            raise f.error(f"'kinds' must be some of {', '.join(KINDS)}", "rules", i, "kinds")
        if not isinstance(item["detect"], list) or not item["detect"]:
            raise f.error("'detect' must be a non-empty list", "rules", i, "detect")
        clauses = tuple(_clause(f, c, known, i, j) for j, c in enumerate(item["detect"]))
        spec = DataRule(code, str(item["name"]), str(item["doc"]).strip(), clauses,
                        merge=bool(item.get("merge", False)), outermost=bool(item.get("outermost", False)),
                        transparent=_groups(f, item.get("transparent"), known, "rules", i, "transparent"))
        out.append(Rule(code, spec.name, item["category"], frozenset(kinds),
                        _severity(f, item["severity"], "rules", i, "severity"), str(item["message"]),
                        _detector(spec), fix=item.get("fix"), fix_safe=bool(item.get("fix_safe", False)),
                        doc=spec.doc, fields=_fields(f, item.get("fields"), "rules", i, "fields")))
    return tuple(out)


@lru_cache(maxsize=1)
def data_rules() -> tuple[Rule, ...]:
    """Every rule of ``wordlists/_rules/*.yml``."""
    rules: list[Rule] = []
    for path in sorted((wordlists_dir() / "_rules").glob("*.yml")):
        rules.extend(load_rules(path))
    return tuple(rules)
