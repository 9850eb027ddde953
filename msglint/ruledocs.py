"""Rule documentation from the rules' docstrings: ``msglint rule CODE``, ``msglint rules``, docs/rules.md."""
from __future__ import annotations

from msglint.model import Rule


def all_rules() -> tuple:
    from msglint.rules import ALL_RULES
    from msglint.mail import MAIL_RULES
    from msglint.templatefile import ML_RULES
    return ALL_RULES + MAIL_RULES + ML_RULES


def rule_markdown(rule: Rule) -> str:
    fields = f" · fields: {', '.join(sorted(rule.fields))}" if rule.fields else ""
    head = (f"## {rule.code} {rule.name}\n\n"
            f"category: `{rule.category or 'msglint'}` · kinds: {', '.join(sorted(rule.kinds))} · "
            f"default severity: {rule.severity.value}{fields}\n\n"
            f"Message: {rule.message}\n")
    if rule.fix:
        head += f"\nSuggested fix: {rule.fix}\n"
    suppress = "{# msglint: ignore[" + rule.code + "] reason #}"
    return f"{head}\n{rule.documentation}\n\nSuppress in a template file: `{suppress}`\n"


def rules_markdown() -> str:
    """The whole of docs/rules.md (a test fails when the checked-in file differs)."""
    rules = all_rules()
    lines = ["# msglint rules", "",
             "Generated from the rules' docstrings by `msglint rules --format markdown > docs/rules.md`;",
             "do not edit by hand. `msglint rule CODE` prints one entry.", "",
             "| code | name | category | severity | summary |", "|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.category or 'msglint'} | "
                     f"{r.severity.value} | {r.summary.replace('|', '/')} |")
    lines.append("")
    body = "\n".join(lines) + "\n" + "\n".join(rule_markdown(r) for r in rules)
    return body
