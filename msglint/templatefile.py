"""Linting Jinja template files in a repository of reply templates, with inline suppressions.

The literal text of a template is linted with every ``{{ }}``, ``{% %}`` and ``{# #}`` masked
by spaces (newlines kept), so findings point at the right line and column of the file. When
the template belongs to a catalogue with example values (``catalogue.yaml`` above
``<lang>/<id>.txt.j2``), it is also rendered with them and the result linted.

Suppressions are Jinja comments, so they never render:

    {# msglint: ignore[CU001] carrier booking page #}    the next line
    {# msglint: disable[CE001,CP001] #} ... {# msglint: enable[CE001,CP001] #}
    {# msglint: disable-file[LG003] #}                    the whole file

A suppression that suppresses nothing is reported (ML001), and so is an unknown code (ML002).
Suppressions exist only here: a live message checked through the API, ``msglint check`` of a
plain text, or the HTTP service never honours them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from msglint import explain
from msglint.model import Finding, Fix, Report, Rule, Severity

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_DIRECTIVE = re.compile(r"\{#-?\s*msglint:\s*(ignore|disable|enable|disable-file)\s*(?:\[([^\]]*)\])?(.*?)-?#\}",
                        re.DOTALL)


def _no_detector(ctx):  # ML rules are produced by this module, not by a detector over the text
    return iter(())


def unused_suppression(ctx):
    """A msglint suppression comment that suppresses nothing.

    What it flags: ``{# msglint: ignore[CODE] #}`` with no CODE finding on the next line, a
    ``disable`` range without such a finding, or a ``disable-file`` that is not needed.
    Why: stale suppressions hide future violations; ruff and flake8 users expect to hear about them.
    Fix: delete the comment.
    """
    return iter(())


def unknown_suppression_code(ctx):
    """A msglint suppression comment naming a rule code that does not exist.

    Why: a typo in a code silently suppresses nothing.
    Fix: use a code printed by ``msglint check`` or listed by ``msglint rules``.
    """
    return iter(())


ML_RULES = (
    Rule("ML001", "unused-suppression", None, frozenset({"message", "listing"}), Severity.WARNING,
         "Remove the unused suppression '{text}': no {code} finding is suppressed by it.", unused_suppression),
    Rule("ML002", "unknown-suppression-code", None, frozenset({"message", "listing"}), Severity.ERROR,
         "Unknown rule code '{code}' in the suppression '{text}'.", unknown_suppression_code),
)


def is_template(path: str, text: str) -> bool:
    return path.endswith(TEMPLATE_SUFFIXES) or bool(_JINJA.search(text))


def mask(text: str) -> str:
    """Jinja tags replaced by spaces (newlines kept): same length, same lines and columns."""
    return _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@dataclass
class _Directive:
    kind: str
    codes: tuple
    start: int
    end: int
    line: int
    text: str
    used: bool = False


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _directives(text: str) -> list[_Directive]:
    out = []
    for m in _DIRECTIVE.finditer(text):
        codes = tuple(c.strip() for c in (m.group(2) or "").split(",") if c.strip())
        out.append(_Directive(m.group(1), codes, m.start(), m.end(), _line_of(text, m.start()), m.group()))
    return out


def _suppressed(finding: Finding, directives: list[_Directive], text: str) -> bool:
    hit = False
    active: dict = {}
    for d in directives:
        if d.kind == "disable-file" and (not d.codes or finding.code in d.codes):
            d.used = hit = True
        elif d.kind == "ignore" and d.line + 1 == finding.line and (not d.codes or finding.code in d.codes):
            d.used = hit = True
    # ranges: a disable before the finding without a matching enable in between
    for d in directives:
        if d.start > finding.start:
            break
        for code in d.codes or ("*",):
            if d.kind == "disable":
                active[code] = d
            elif d.kind == "enable":
                active.pop(code, None)
    for code in (finding.code, "*"):
        d = active.get(code)
        if d is not None:
            d.used = hit = True
    return hit


def _catalogue_examples(path: Path, marketplace: Optional[str] = None) -> Optional[tuple[dict, str]]:
    """(example values, language) when the file is ``<root>/<lang>/<id>.txt.j2`` of a catalogue;
    amounts use the example for the marketplace's currency when the catalogue has one (yen)."""
    lang = path.parent.name
    catalogue_file = path.parent.parent / "catalogue.yaml"
    if not catalogue_file.is_file():
        return None
    try:
        data = yaml.safe_load(catalogue_file.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    sid = path.name.split(".")[0]
    for s in data.get("scenarios") or ():
        if s.get("id") == sid:
            currency = _currency(marketplace)
            values = {}
            for v in s.get("variables") or ():
                examples = v.get("examples") or {}
                key = currency if v.get("type") == "money" and currency in examples else lang
                values[v["name"]] = examples.get(key, v.get("example"))
            return values, lang
    return None


def _currency(marketplace: Optional[str]) -> Optional[str]:
    from msglint import marketplaces
    try:
        return marketplaces.get(marketplace).currency if marketplace else None
    except ValueError:
        return None


def _render(path: Path, text: str, values: dict, lang: str, marketplace: str) -> Optional[str]:
    from msglint.drafting import environment
    try:
        return environment(lang if lang in ("en", "de", "fr", "es", "it", "ja") else "en", marketplace) \
            .from_string(text).render(**values, lang=lang, marketplace=marketplace)
    except Exception:  # noqa: BLE001 - a template that does not render is reported by its own tests
        return None


def check_template(linter, path: str, text: str, kind: str = "message", marketplace: Optional[str] = None,
                   known_codes: frozenset = frozenset(), select=lambda code: True) -> Report:
    """Lint a template file: its masked literal text, and its rendering with example values."""
    masked = mask(text)
    lang = getattr(linter, "explain_lang", "en")  # the language of the messages (explain-lang)
    report = linter.check(masked, kind=kind, marketplace=marketplace)
    findings = [_with_text(f, text) for f in report.findings]
    examples = _catalogue_examples(Path(path), report.marketplace)
    if examples is not None:
        values, lang = examples
        rendered = _render(Path(path), text, values, lang, report.marketplace)
        if rendered is not None:
            seen = {(f.code, f.text) for f in findings}
            for f in linter.check(rendered, kind=kind, marketplace=report.marketplace).findings:
                if (f.code, f.text) not in seen:
                    findings.append(_rendered_finding(f, lang))
    directives = _directives(text)
    kept = [f for f in findings if not _suppressed(f, directives, text)]
    for d in directives:
        for code in d.codes:
            if code not in known_codes:
                kept.append(_ml(ML_RULES[1], d, text, code, lang))
        if d.kind != "enable" and not d.used and all(c in known_codes for c in d.codes):
            if any(select(c) for c in d.codes) or not d.codes:
                kept.append(_ml(ML_RULES[0], d, text, ",".join(d.codes) or "any", lang))
    kept.sort(key=lambda f: (f.start, f.end, f.code))
    return Report(text=text, kind=kind, marketplace=report.marketplace, findings=tuple(kept), field=None)


def _with_text(f: Finding, text: str) -> Finding:
    return Finding(**{**f.__dict__, "text": text[f.start:f.end]})


def _rendered_finding(f: Finding, lang: str = "en") -> Finding:
    """A finding in the rendered draft: same code, message marked as coming from the example render."""
    return Finding(**{**f.__dict__, "message": f.message + explain.ui("rendered_suffix", lang),
                      "start": 0, "end": 1, "line": 1, "col": 1, "end_line": 1, "end_col": 2})


def _ml(rule: Rule, d: _Directive, text: str, code: str, lang: str = "en") -> Finding:
    line = d.line
    col = d.start - (text.rfind("\n", 0, d.start) + 1) + 1
    end_line = _line_of(text, d.end)
    end_col = d.end - (text.rfind("\n", 0, d.end) + 1) + 1
    return Finding(code=rule.code, name=rule.name, category=rule.category, severity=rule.severity,
                   start=d.start, end=d.end, line=line, col=col, end_line=end_line, end_col=end_col,
                   text=d.text, message=explain.message(rule, {"text": d.text, "code": code}, lang), fix=Fix("", True))
