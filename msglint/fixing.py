"""Applying fixes to a text: non-overlapping fixes a round at a time, re-checked, never a new finding.

Used by ``msglint check --fix`` / ``--diff``, the interactive assistant and ``bench/fix_eval.py``.

Each round takes the findings of the current text whose fixes may be applied (safe ones, or
all with ``unsafe``), keeps the fixes that do not overlap (the earliest, then the widest, so
that a sentence rewrite wins over a clause inside it), applies them together and checks the
result. A finding that was not in the original text is a *new* finding: if the round brought
one, its fixes are tried one by one and every fix that brings a new finding is rolled back (and
not tried again). Rounds repeat until nothing changes, at most ``max_rounds`` times.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from msglint.model import Finding, Report

Check = Callable[[str], Report]


@dataclass
class FixResult:
    original: str
    text: str
    before: Report
    after: Report
    applied: list = field(default_factory=list)      # findings whose fix was applied
    rolled_back: list = field(default_factory=list)  # findings whose fix would have caused a new finding
    chain: list = field(default_factory=list)        # the edits of each step, to map positions back

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def resolved(self) -> list[Finding]:
        """Findings of the original text that are gone."""
        return _match(self.before, self.after, self.chain)[0]

    def new(self) -> list[Finding]:
        """Findings of the fixed text that the original did not have (the engine keeps this empty)."""
        return _match(self.before, self.after, self.chain)[1]


def _map_position(p: int, edits: list, is_end: bool) -> int:
    """A position of the edited text in the text before ``edits`` ((start, end, new length), sorted)."""
    shift = 0
    for start, end, length in edits:
        new_start = start + shift
        if p <= new_start:
            return p - shift
        if p < new_start + length:
            return end if is_end else start  # inside a replacement: the whole replaced range
        shift += length - (end - start)
    return p - shift


def _match(before: Report, after: Report, chain: list) -> tuple[list, list]:
    """(findings of ``before`` that are gone, findings of ``after`` that are new).

    A finding of the fixed text is the same as one of the original when it has the same code and, mapped
    back through the edits, touches it (a sentence a fix shortened is still the same sentence), or the
    same code and matched text.
    """
    unmatched = list(before.findings)
    new = []
    for g in after.findings:
        a, b = g.start, g.end
        for edits in reversed(chain):
            a, b = _map_position(a, edits, False), _map_position(b, edits, True)
        hit = next((f for f in unmatched if f.code == g.code and f.start <= b and a <= f.end), None)
        if hit is None:
            hit = next((f for f in unmatched if f.code == g.code and f.text == g.text), None)
        if hit is None:
            new.append(g)
        else:
            unmatched.remove(hit)
    return unmatched, new


def wanted(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and (f.fix.safe or unsafe)


def choose(findings, unsafe: bool) -> list[Finding]:
    """Findings whose fixes can be applied together: no two fixes overlap (equal fixes count once)."""
    candidates = [f for f in findings if wanted(f, unsafe)]
    candidates.sort(key=lambda f: (f.fix_range[0], -f.fix_range[1], f.code))
    chosen: list[Finding] = []
    end = -1
    last = None
    for f in candidates:
        start, stop = f.fix_range
        if last is not None and _fix_key(f) == _fix_key(last):
            chosen.append(f)  # the same rewrite fixes this finding too
            continue
        if start < end:
            continue
        chosen.append(f)
        end = max(end, stop)
        last = f
    return chosen


def _fix_key(f: Finding) -> tuple:
    start, end = f.fix_range
    return (start, end, f.fix.replacement)


def apply(text: str, findings: list[Finding]) -> str:
    """``text`` with the (non-overlapping) fixes of ``findings`` applied."""
    return _apply(text, findings)[0]


def _apply(text: str, findings: list[Finding]) -> tuple[str, list]:
    """The text with the fixes applied, and the edits as (start, end, new length), sorted."""
    edits = sorted({_fix_key(f) for f in findings})
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text, [(start, end, len(replacement)) for start, end, replacement in edits]


def fix_text(text: str, check: Check, unsafe: bool = False, max_rounds: int = 4,
             before: Optional[Report] = None) -> FixResult:
    """Apply the fixes of ``text`` (safe ones; all with ``unsafe``) until nothing changes."""
    before = before if before is not None else check(text)
    result = FixResult(original=text, text=text, before=before, after=before)
    refused: set = set()  # (code, matched text, replacement) of fixes rolled back
    current, report = text, before
    for _ in range(max_rounds):
        chosen = choose([f for f in report.findings
                         if f.fix is None or (f.code, f.text, f.fix.replacement) not in refused], unsafe)
        if not chosen:
            break
        candidate, edits = _apply(current, chosen)
        checked = check(candidate)
        if not _match(before, checked, result.chain + [edits])[1]:
            current, report = candidate, checked
            result.chain.append(edits)
            result.applied.extend(chosen)
            continue
        # some fix brings a new finding: apply them one at a time, keeping those that do not
        progress = False
        for group in _groups(chosen):
            f = group[0]
            trial_report = check(current)
            live = [g for g in trial_report.findings if g.fix is not None and _same_fix(g, f)]
            if not live:
                continue
            candidate, edits = _apply(current, live[:1])
            checked = check(candidate)
            if _match(before, checked, result.chain + [edits])[1]:
                refused.update((g.code, g.text, g.fix.replacement) for g in group)
                result.rolled_back.extend(group)
                continue
            current, report = candidate, checked
            result.chain.append(edits)
            result.applied.extend(group)
            progress = True
        if not progress:
            break
        report = check(current)
    result.text, result.after = current, report if current != text else before
    return result


def _groups(chosen: list[Finding]) -> list[list[Finding]]:
    """Chosen findings grouped by the rewrite they share."""
    groups: dict = {}
    for f in chosen:
        groups.setdefault(_fix_key(f), []).append(f)
    return list(groups.values())


def _same_fix(a: Finding, b: Finding) -> bool:
    """The same fix in a text that may have moved: same code, matched text and replacement."""
    return (a.code, a.text, a.fix.replacement) == (b.code, b.text, b.fix.replacement)
