"""The records msglint is made of: rules, hits, findings and reports."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Callable, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from msglint.context import Context

CATEGORIES = (
    "contact.email", "contact.phone", "contact.url", "offplatform", "review.incentive",
    "review.manipulation", "marketing", "buyer.data", "conduct", "unnecessary", "language",
    "formatting", "listing.promo", "listing.rank", "listing.claims", "listing.format",
    "appeal.structure", "appeal.specificity", "appeal.tone",
)
KINDS = ("message", "listing", "appeal")
FIELDS = ("title", "bullet", "description", "search_terms")  # listing fields


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Hit:
    """What a detector found, in the coordinates of the normalised text.

    ``params`` fill the rule's message template; ``severity`` overrides the rule's default
    (e.g. a phone number without context is only a warning); ``fix`` is a replacement text.
    """

    start: int
    end: int
    params: dict = field(default_factory=dict)
    severity: Optional[Severity] = None
    fix: Optional[str] = None


Detector = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True)
class Fix:
    """A compliant rewrite: ``replacement`` replaces ``text[start:end]`` (the finding's clause or
    sentence, which may be wider than its span; None: the finding's span). ``safe``: applying it
    changes formatting only, never what the text says. ``kind`` names what it does
    (``msglint/locale/<lang>.yml``, ``fixes:``)."""

    replacement: str
    safe: bool = False
    start: Optional[int] = None
    end: Optional[int] = None
    kind: str = ""

    def shifted(self, offset: int) -> "Fix":
        if self.start is None or not offset:
            return self
        return Fix(self.replacement, self.safe, self.start + offset, self.end + offset, self.kind)


@dataclass(frozen=True)
class Rule:
    """A rule is data plus a small detector; the detector's docstring is the rule's documentation."""

    code: str
    name: str
    category: Optional[str]
    kinds: frozenset
    severity: Severity
    message: str
    detector: Detector
    fix: Optional[str] = None
    fix_safe: bool = False
    doc: Optional[str] = None
    fields: Optional[frozenset] = None  # listing fields it applies to; None = all
    # a fallback rule's finding is kept only when no other rule found its category (at warning or
    # error) in the same check: the text-model rules back up the phrase lists, never repeat them
    fallback: bool = False

    def __post_init__(self):
        # ML rules are about msglint itself (configuration, suppressions): no content category
        assert self.category in CATEGORIES or (self.category is None and self.code.startswith("ML")), self.category
        assert len(self.code) == 5 and self.code[:2].isalpha() and self.code[2:].isdigit(), self.code

    @property
    def documentation(self) -> str:
        return inspect.cleandoc(self.doc or self.detector.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.documentation.splitlines()[0] if self.documentation else self.name


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    category: str
    severity: Severity
    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int
    text: str
    message: str
    fix: Optional[Fix] = None

    @property
    def suppression(self) -> str:
        return "{# msglint: ignore[" + self.code + "] reason #}"

    @property
    def fix_range(self) -> tuple[int, int]:
        """The range of the text the fix replaces (the finding's span unless the fix names a wider one)."""
        if self.fix is None or self.fix.start is None:
            return self.start, self.end
        return self.fix.start, self.fix.end

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "text": self.text,
            "message": self.message,
            "fix": None if self.fix is None else {
                "replacement": self.fix.replacement, "safe": self.fix.safe,
                "start": self.start if self.fix.start is None else self.fix.start,
                "end": self.end if self.fix.end is None else self.fix.end},
            "suppress": self.suppression,
        }


@dataclass(frozen=True)
class Report:
    """The result of checking one text."""

    text: str
    kind: str
    marketplace: str
    findings: tuple[Finding, ...]
    field: Optional[str] = None

    @property
    def verdict(self) -> str:
        """'block' when any finding is an error, else 'pass'."""
        return "block" if any(f.severity is Severity.ERROR for f in self.findings) else "pass"

    def at_least(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= severity.rank]
