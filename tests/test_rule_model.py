import re

from msglint.model import CATEGORIES
from msglint.rules import ALL_RULES

PREFIX = {"CE": "contact.email", "CP": "contact.phone", "CU": "contact.url", "OP": "offplatform",
          "RI": "review.incentive", "RM": "review.manipulation", "MK": "marketing", "BD": "buyer.data",
          "CD": "conduct", "UN": "unnecessary", "LG": "language", "FM": "formatting",
          "LP": "listing.promo", "LR": "listing.rank", "LC": "listing.claims", "LF": "listing.format",
          "AS": "appeal.structure", "AV": "appeal.specificity", "AT": "appeal.tone"}


def test_codes_names_categories_and_docs():
    for rule in ALL_RULES:
        assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code)
        assert PREFIX[rule.code[:2]] == rule.category, rule.code
        assert rule.category in CATEGORIES
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.name), rule.name
        assert rule.kinds and rule.kinds <= {"message", "listing", "appeal"}
        doc = rule.documentation
        assert len(doc.splitlines()) >= 3, f"{rule.code} needs a docstring"
        assert "Why" in doc and "Fix" in doc, f"{rule.code} docstring must say Why and Fix"


def test_rules_are_frozen():
    rule = ALL_RULES[0]
    try:
        rule.code = "XX999"
    except Exception:
        return
    raise AssertionError("Rule must be immutable")
