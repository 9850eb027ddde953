"""All rules, joined explicitly in one place.

Each Python family module exports ``RULES``; the rules written as data (``wordlists/_rules/*.yml``,
compiled by ``msglint.declarative``) join them. The tuple is ordered by category prefix, then code.
"""
from __future__ import annotations

from msglint.declarative import data_rules
from msglint.model import Rule
from msglint.rules import (appeal, buyer_data, conduct, contact, formatting, language, learned, listing, listing_format,
                           marketing, offplatform, review, unnecessary)

PREFIX_ORDER = ("CE", "CP", "CU", "OP", "RI", "RM", "MK", "BD", "CD", "UN", "LG", "FM", "LP", "LR", "LC", "LF", "AS", "AV", "AT")

_PYTHON_RULES: tuple[Rule, ...] = (
    *contact.RULES,
    *offplatform.RULES,
    *review.RULES,
    *marketing.RULES,
    *buyer_data.RULES,
    *conduct.RULES,
    *unnecessary.RULES,
    *language.RULES,
    *formatting.RULES,
    *listing.RULES,
    *listing_format.RULES,
    *appeal.RULES,
    *learned.RULES,
)

ALL_RULES: tuple[Rule, ...] = tuple(sorted(
    _PYTHON_RULES + data_rules(), key=lambda r: (PREFIX_ORDER.index(r.code[:2]), r.code)))

RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
assert len(RULES_BY_CODE) == len(ALL_RULES), "rule codes must be unique"
