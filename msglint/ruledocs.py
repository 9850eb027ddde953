"""Rule documentation from the rules' docstrings: ``msglint rule CODE``, ``msglint rules``, docs/rules.md.

The same documents exist in Simplified Chinese (``lang="zh"``, from msglint/locale/zh.yml):
``msglint rule CODE --explain-lang zh`` and docs/rules.zh.md.
"""
from __future__ import annotations

from msglint import explain
from msglint.model import Rule

DOCS = {"en": "docs/rules.md", "zh": "docs/rules.zh.md"}


def all_rules() -> tuple:
    from msglint.rules import ALL_RULES
    from msglint.mail import MAIL_RULES
    from msglint.templatefile import ML_RULES
    return ALL_RULES + MAIL_RULES + ML_RULES


def rule_markdown(rule: Rule, lang: str = "en") -> str:
    def t(key: str) -> str:
        return explain.ui(key, lang)

    sep = "：" if lang == "zh" else ": "
    fields = f" · {t('doc_fields')}{sep}{', '.join(sorted(rule.fields))}" if rule.fields else ""
    head = (f"## {rule.code} {rule.name}\n\n"
            f"{t('doc_category')}{sep}`{rule.category or 'msglint'}` · {t('doc_kinds')}{sep}"
            f"{', '.join(sorted(rule.kinds))} · {t('doc_severity')}{sep}{rule.severity.value}{fields}\n\n"
            f"{t('doc_message')}{sep}{_template(rule, lang)}\n")
    from msglint.fixes import strategy_of
    strategy, safe = strategy_of(rule)
    how = (explain.catalog(lang).get("fix_strategies") or {}).get(strategy) or \
        explain.catalog("en")["fix_strategies"][strategy]
    safety = "" if strategy == "none" else (t('doc_fix_safe') if safe else t('doc_fix_unsafe'))
    safety = (f"（{safety}）" if lang == "zh" else f" ({safety})") if safety else ""
    head += f"\n{t('doc_auto_fix')}{safety}{sep}{how}\n"
    suppress = "{# msglint: ignore[" + rule.code + "] reason #}"
    return f"{head}\n{explain.documentation(rule, lang)}\n\n{t('doc_suppress')}{sep}`{suppress}`\n"


def _template(rule: Rule, lang: str) -> str:
    """The message template as written (placeholders shown, ``{{`` as ``{``)."""
    if lang == "zh":
        zh = (explain.catalog("zh").get("rules") or {}).get(rule.code) or {}
        if zh.get("message"):
            return zh["message"]
    return rule.message


def rules_markdown(lang: str = "en") -> str:
    """The whole of docs/rules.md (``lang="zh"``: docs/rules.zh.md); a test fails when a checked-in file differs."""
    rules = all_rules()
    lines = [f"# {explain.ui('docs_title', lang)}", "", explain.ui("docs_intro", lang), "",
             explain.ui("docs_columns", lang), "|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.category or 'msglint'} | "
                     f"{r.severity.value} | {explain.summary(r, lang).replace('|', '/')} |")
    lines.append("")
    body = "\n".join(lines) + "\n" + "\n".join(rule_markdown(r, lang) for r in rules)
    return body
