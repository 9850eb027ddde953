"""``msglint eval CORPUS``: the per-category table of a labelled corpus, in process.

A corpus is JSON Lines in the format of ``../shared/corpus`` (``id``, ``kind``, ``field``,
``marketplace``, ``text``, ``labels``). Scoring is the one the project is measured with: a
category is found when a finding of severity error or warning carries it; a clean text
(``labels: []``) passes only with no error finding.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from msglint import marketplaces
from msglint.inputs import InputError
from msglint.model import CATEGORIES, FIELDS, KINDS

COUNTED = ("error", "warning")


@dataclass
class CategoryScore:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    records: int = 0
    categories: dict = field(default_factory=lambda: defaultdict(CategoryScore))
    clean: int = 0
    clean_with_error: int = 0
    misses: list = field(default_factory=list)        # (category, id, text)
    false_alarms: list = field(default_factory=list)  # (category, id, [matched texts])

    @property
    def clean_error_rate(self) -> float:
        return self.clean_with_error / self.clean if self.clean else 0.0

    def as_dict(self) -> dict:
        return {"records": self.records, "clean": self.clean, "clean_with_error": self.clean_with_error,
                "clean_error_rate": round(self.clean_error_rate, 4),
                "categories": {c: {"positives": s.positives, "tp": s.tp, "fn": s.fn, "fp": s.fp,
                                   "precision": round(s.precision, 3), "recall": round(s.recall, 3)}
                               for c, s in sorted(self.categories.items())}}


def read_corpus(path: str) -> list[dict]:
    """The labelled records of ``path``; a malformed line is an InputError naming file and line."""
    records = []
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(f"{path}:{n}: a record needs a string 'text'")
            labels = rec.get("labels", [])
            if not isinstance(labels, list) or any(lab not in CATEGORIES for lab in labels):
                raise InputError(f"{path}:{n}: 'labels' must be a list of categories of TAXONOMY.md")
            if rec.get("kind", "message") not in KINDS:
                raise InputError(f"{path}:{n}: unknown kind {rec.get('kind')!r}")
            if rec.get("field") not in (None, *FIELDS):
                raise InputError(f"{path}:{n}: unknown field {rec.get('field')!r}")
            try:
                marketplaces.get(rec.get("marketplace") or "US")
            except ValueError as exc:
                raise InputError(f"{path}:{n}: {exc}") from None
            rec.setdefault("id", f"{path}:{n}")
            records.append(rec)
    return records


def evaluate(records: Iterable[dict], linter_for, only: Optional[set] = None) -> Evaluation:
    """Score ``records``; ``linter_for(marketplace)`` gives the Linter of a marketplace."""
    ev = Evaluation()
    for rec in records:
        ev.records += 1
        report = linter_for(rec.get("marketplace") or "US").check(
            rec["text"], kind=rec.get("kind") or "message", field=rec.get("field"))
        gold = set(rec.get("labels") or ())
        found = {f.category for f in report.findings if f.category and f.severity.value in COUNTED}
        if not gold:
            ev.clean += 1
            ev.clean_with_error += any(f.severity.value == "error" for f in report.findings)
        for c in gold | found:
            if only and c not in only:
                continue
            score = ev.categories[c]
            if c in gold and c in found:
                score.tp += 1
            elif c in gold:
                score.fn += 1
                ev.misses.append((c, str(rec["id"]), rec["text"]))
            else:
                score.fp += 1
                ev.false_alarms.append((c, str(rec["id"]), [rec["text"][f.start:f.end] for f in report.findings
                                                             if f.category == c]))
    return ev


def table(ev: Evaluation) -> list[str]:
    lines = [f"{'category':22} {'pos':>4} {'tp':>4} {'fn':>4} {'fp':>4} {'prec':>6} {'recall':>6}"]
    for c, s in sorted(ev.categories.items()):
        lines.append(f"{c:22} {s.positives:4} {s.tp:4} {s.fn:4} {s.fp:4} {s.precision:6.3f} {s.recall:6.3f}")
    return lines
