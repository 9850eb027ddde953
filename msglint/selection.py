"""Choosing rules by code, code prefix, category or category prefix (ruff's select/ignore habit).

The code printed in output ("CE001") is exactly what ``--select``/``--ignore`` accept; so are
its prefixes ("CE", "C"), its category ("contact.email"), a category prefix ("contact"),
and "ALL".
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from msglint.model import CATEGORIES, Rule


def _all_rules() -> tuple:
    from msglint.rules import ALL_RULES
    from msglint.mail import MAIL_RULES
    from msglint.templatefile import ML_RULES
    return ALL_RULES + MAIL_RULES + ML_RULES


def matches(selector: str, rule: Rule) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    if s.upper() == rule.code[: len(s)] and s[:1].isalpha() and s == s.upper():
        return True
    category = rule.category or "msglint"
    return s == category or category.startswith(s + ".")


def validate_selectors(selectors: Iterable[str], codes_only: bool = False) -> None:
    """ValueError naming the first selector that matches no rule."""
    rules = _all_rules()
    for s in selectors:
        if codes_only:
            if not any(r.code == s for r in rules):
                raise ValueError(f"unknown rule code {s!r}")
            continue
        if not any(matches(s, r) for r in rules):
            raise ValueError(f"unknown code, prefix or category {s!r}")


def select(rules: Sequence[Rule], select: Optional[Iterable[str]] = None, extend: Iterable[str] = (),
           ignore: Iterable[str] = ()) -> tuple:
    """Rules chosen by ``select`` (default: all), plus ``extend``, minus ``ignore``."""
    chosen = list(select) if select is not None else ["ALL"]
    chosen += list(extend)
    ignored = list(ignore)
    return tuple(r for r in rules
                 if any(matches(s, r) for s in chosen) and not any(matches(s, r) for s in ignored))


def is_selected(code: str, select_: Optional[Iterable[str]], extend: Iterable[str], ignore: Iterable[str]) -> bool:
    rule = next((r for r in _all_rules() if r.code == code), None)
    if rule is None:
        return False
    return bool(select([rule], select_, extend, ignore))


__all__ = ["matches", "select", "validate_selectors", "is_selected", "CATEGORIES"]
