"""Explanations in the team's language: English or Simplified Chinese.

What a person reads — a rule's message, summary, documentation and fix hint; the assistant's
prompts; the catalogue variables' help; ``suggest`` reasons; the lines ``check`` prints — comes
from here, in the language chosen by ``--explain-lang en|zh``, the configuration key
``explain-lang``, the HTTP field ``explain_lang``, or else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``zh…`` means Chinese). The message a buyer receives is never
translated: only the explanations around it.

English rule texts are the rules themselves (``Rule.message`` and the detector's docstring);
everything else is data: ``msglint/locale/en.yml`` and ``msglint/locale/zh.yml``. A text
missing from zh.yml falls back to English (a test makes sure none is missing).
"""
from __future__ import annotations

import os
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

from msglint.lazyre import lazy
from msglint.model import Rule

LANGS = ("en", "zh")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

# The sections of a rule's docstring and their Chinese headings (docs keep this order).
SECTIONS = {
    "What it flags": "检查内容",
    "Not flagged": "不报告",
    "Severity": "严重程度",
    "Why": "原因",
    "Examples": "示例",
    "Known false positives": "已知误报",
    "Fix": "修改方法",
}
_SECTION_START = lazy(re.compile, r"^(" + "|".join(map(re.escape, SECTIONS)) + r"):\s*", re.MULTILINE)


class _Params(dict):
    """Format parameters: a missing one renders empty, as the linter has always done."""

    def __missing__(self, key):
        return ""


# --------------------------------------------------------------------------- choosing the language

def check_lang(lang: str) -> str:
    """``lang`` itself when it is a supported explanation language; ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown explanation language {lang!r} (one of {', '.join(LANGS)})")
    return lang


def locale_lang(environ: Optional[Mapping[str, str]] = None) -> str:
    """'zh' when the locale is Chinese (the first of LC_ALL, LC_MESSAGES, LANG that is set), else 'en'."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def choose(option: Optional[str], configured: Optional[str] = None,
           environ: Optional[Mapping[str, str]] = None) -> str:
    """The command line wins, then the configuration, then the locale."""
    if option:
        return check_lang(option)
    if configured:
        return check_lang(configured)
    return locale_lang(environ)


# --------------------------------------------------------------------------- data

@lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    """The locale file of ``lang`` (``msglint/locale/<lang>.yml``)."""
    from msglint.datafile import load

    # read through the data cache (the zh catalogue is the largest YAML file msglint reads)
    return load(LOCALE_DIR / f"{check_lang(lang)}.yml").data or {}


def _zh_rule(rule: Rule) -> dict:
    return (catalog("zh").get("rules") or {}).get(rule.code) or {}


def placeholders(template: str) -> set:
    """The ``{names}`` a format string uses (escaped ``{{ }}`` are not placeholders)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name is not None}


# --------------------------------------------------------------------------- rules

def message(rule: Rule, params: Mapping, lang: str = "en") -> str:
    """The finding's message for ``rule`` with ``params`` (the matched text and the detector's values)."""
    params = _Params(params)
    if lang == "zh":
        template = _zh_rule(rule).get("message")
        if template:
            values = catalog("zh").get("values") or {}
            for key, table in values.items():
                if key in params and isinstance(params[key], str) and params[key] in table:
                    params[key] = table[params[key]]
            return template.format_map(params)
    return rule.message.format_map(params)


def summary(rule: Rule, lang: str = "en") -> str:
    """The rule's one-line summary."""
    if lang == "zh":
        text = _zh_rule(rule).get("summary")
        if text:
            return text.strip()
    return rule.summary


def _english_sections(rule: Rule) -> dict:
    body = rule.documentation.split("\n", 1)[1] if "\n" in rule.documentation else ""
    parts = _SECTION_START.split(body)
    return {parts[i]: " ".join(parts[i + 1].split()) for i in range(1, len(parts) - 1, 2)}


def fix_hint(rule: Rule, lang: str = "en") -> str:
    """How to fix a finding of ``rule``, in a sentence or two (the docstring's "Fix:" section)."""
    if lang == "zh":
        text = _zh_rule(rule).get("fix")
        if text:
            return " ".join(text.split())
    return _english_sections(rule).get("Fix", "")


def fix_description(kind: str, lang: str = "en") -> str:
    """What a fix of ``kind`` (``Fix.kind``) does, in ``lang`` ("remove the sentence", "删除这句话")."""
    return (catalog(lang).get("fixes") or {}).get(kind) or (catalog("en").get("fixes") or {}).get(kind) or kind


def documentation(rule: Rule, lang: str = "en") -> str:
    """The rule's documentation: summary line, blank line, the sections (What it flags, Why, ...)."""
    if lang == "zh":
        entry = _zh_rule(rule)
        if entry.get("doc"):
            hint = fix_hint(rule, "zh")
            body = entry["doc"].strip() + (f"\n{SECTIONS['Fix']}：{hint}" if hint else "")
            return f"{summary(rule, 'zh')}\n\n{body}"
    return rule.documentation


# --------------------------------------------------------------------------- other texts

def ui(key: str, lang: str = "en", **params) -> str:
    """A text of the assistant or the command line, with its ``{placeholders}`` filled in."""
    template = (catalog(lang).get("ui") or {}).get(key)
    if template is None:
        template = catalog("en")["ui"][key]
    return template.format(**params) if params else template


def type_name(var_type: str, lang: str = "en") -> str:
    """A variable type as the assistant names it (``order_id`` -> 订单号)."""
    return (catalog(lang).get("types") or {}).get(var_type) or var_type


def variable_help(name: str, lang: str = "en", scenario_id: Optional[str] = None, english: str = "") -> str:
    """Help for the catalogue variable ``name``; ``english`` is the catalogue's own help, if any.

    Chinese: the scenario's own wording when zh.yml has one (``variables_in``), else the
    variable's. English: the catalogue's help, else a generic one.
    """
    if lang == "zh":
        zh = catalog("zh")
        special = ((zh.get("variables_in") or {}).get(scenario_id) or {}).get(name) if scenario_id else None
        text = special or (zh.get("variables") or {}).get(name)
        if text:
            return text
    return english or (catalog("en").get("variables") or {}).get(name, "")


def invalid_value(var, raw: str, error: Exception, lang: str = "en") -> str:
    """Why a value typed into the assistant was refused (Chinese from the variable's type)."""
    if lang == "zh":
        zh = catalog("zh")
        value = raw.strip()
        if not value:
            return ui("invalid_required", "zh", name=var.name)
        kind = var.type
        if kind == "integer" and re.fullmatch(r"-?\d+", value):
            kind = "integer_range"  # a whole number, but outside min..max
        template = (zh.get("invalid") or {}).get(kind)
        if template:
            choices = " / ".join(map(str, getattr(var, "choices", ()) or ()))
            return template.format(name=var.name, value=value, choices=choices,
                                   min=getattr(var, "min", None), max=getattr(var, "max", None))
    return str(error)


def suggest_reason(scenario_id: str, english: str, lang: str = "en") -> str:
    """A ``suggest`` reason: the scenario's reason in ``lang`` plus the buyer's words that show it.

    ``english`` is the reason ``msglint.suggest`` gave: "<reason> ('<cue>' … '<cue>')".
    """
    if lang != "zh":
        return english
    zh = catalog("zh")
    quoted = re.search(r" \(('.*')\)$", english)
    base = (zh.get("suggest") or {}).get(scenario_id)
    if english == ui("suggest_fallback", "en"):
        return ui("suggest_fallback", "zh")
    if not base:
        return english
    return f"{base}（{quoted.group(1)}）" if quoted else base


def scenario_title(scenario, lang: str = "en") -> str:
    title = scenario.title or {}
    return (title.get("zh") if lang == "zh" else None) or title.get("en") or scenario.id


def scenario_when(scenario, lang: str = "en") -> str:
    when = scenario.when or {}
    return (when.get("zh") if lang == "zh" else None) or when.get("en", "")


_TOO_LONG = lazy(re.compile, r"the draft is (?P<length>\d+) characters; a (?P<type>\S+) message allows (?P<limit>\d+)")


def draft_problem(problem: str, lang: str = "en") -> str:
    """A draft-level problem reported by ``msglint.drafting`` (English), in ``lang``."""
    m = _TOO_LONG.fullmatch(problem)
    if lang == "en" or m is None:
        return problem
    return ui("draft_too_long", lang, **m.groupdict())
