"""All rules, joined explicitly in one place. Each family module exports ``RULES``."""
from __future__ import annotations

from msglint.model import Rule
from msglint.rules import contact

ALL_RULES: tuple[Rule, ...] = (
    *contact.RULES,
)

RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
assert len(RULES_BY_CODE) == len(ALL_RULES), "rule codes must be unique"
