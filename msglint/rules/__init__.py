"""All rules, joined explicitly in one place. Each family module exports ``RULES``."""
from __future__ import annotations

from msglint.model import Rule
from msglint.rules import (buyer_data, conduct, contact, formatting, language, listing, listing_format, marketing,
                           offplatform, review, unnecessary)

ALL_RULES: tuple[Rule, ...] = (
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
)

RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
assert len(RULES_BY_CODE) == len(ALL_RULES), "rule codes must be unique"
