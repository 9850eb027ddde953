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
plain text (also one with Jinja-looking tags), standard input (unless ``--stdin-filename``
names a template file), or the HTTP service never honours them. A file is a template file by
its name (``*.j2``, ``*.jinja``, ``*.jinja2``) or by the configuration's ``template-files``
globs, never by its content: ``write to {{ help@shop.com }}`` in a plain message is text.

A catalogue template that does not render with its example values (a sandbox violation, an
undefined name, a syntax error, or a rendering past its time, size or loop limits, see
:mod:`msglint.boundedrender`) is reported as ML003, an error: it could never be sent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex
import yaml

# the C loader when PyYAML has it (the suggest cue file and the catalogue are large)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_load(text):
    return yaml.load(text, Loader=_Loader)

from msglint import explain
from msglint.model import KINDS, Finding, Fix, Report, Rule, Severity

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


def template_render_error(ctx):
    """A catalogue template that cannot be rendered with its example values.

    What it flags: a template file of a catalogue (``<root>/<lang>/<id>.txt.j2`` beside
    ``<root>/catalogue.yaml``) whose rendering with the catalogue's example values fails: a
    sandbox violation (``{{ ''.__class__ }}``), an undefined name, a Jinja syntax error, or a
    rendering that goes past msglint's limits (2 s, 100,000 characters of output or of any
    value, 100,000 loop items from ``range()``, as ``{{ "x" * 10**7 }}`` or nested ``range``
    loops would).
    Why: the template could never produce a message to send, and a template that tries to
    escape the sandbox or exhaust the machine is hostile, not merely broken; reporting it clean
    would hide both.
    Examples: flagged ``{{ cycler.__init__.__globals__ }}``, ``{% for i in range(100000) %}{% for j
    in range(100000) %}{% endfor %}{% endfor %}``; fine ``{{ refund_amount | money }}``.
    Fix: correct the template (or its example values in catalogue.yaml) so that it renders.
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
    Rule("ML003", "template-render-error", None, frozenset({"message", "listing"}), Severity.ERROR,
         "The template does not render with its example values: {reason}.", template_render_error),
)


def is_template(path: str, globs: tuple = (), root: Optional[Path] = None) -> bool:
    """A template file by its name (``*.j2``, ``*.jinja``, ``*.jinja2``) or by one of the
    configuration's ``template-files`` globs (relative to ``root``, the configuration's
    directory), never by its content."""
    if path.endswith(TEMPLATE_SUFFIXES):
        return True
    if not globs or path in ("-", "<stdin>"):
        return False
    from msglint.config import matches_glob
    return any(matches_glob(path, glob, root) for glob in globs)


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


def _catalogue_beside(path: Path) -> Optional[dict]:
    """The parsed ``<root>/catalogue.yaml`` of a template file ``<root>/<lang>/<id>.txt.j2``, or None.

    Read once per catalogue and version: a directory of templates asks for it once per file,
    for its kind and for its examples."""
    catalogue_file = path.parent.parent / "catalogue.yaml"
    try:
        st = catalogue_file.stat()
    except OSError:
        return None
    if not catalogue_file.is_file():
        return None
    return _parsed_catalogue(str(catalogue_file), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _parsed_catalogue(catalogue_file: str, _mtime_ns: int, _size: int) -> Optional[dict]:
    try:
        data = _yaml_load(Path(catalogue_file).read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _catalogue_examples(path: Path, marketplace: Optional[str] = None) -> Optional[tuple[dict, str]]:
    """(example values, language) when the file is ``<root>/<lang>/<id>.txt.j2`` of a catalogue;
    amounts use the example for the marketplace's currency when the catalogue has one (yen)."""
    lang = path.parent.name
    data = _catalogue_beside(path)
    if data is None:
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


def catalogue_kind(path: str) -> Optional[str]:
    """The kind a catalogue declares for its template files (``kind: appeal`` in templates/appeals/),
    when ``path`` is ``<root>/<lang>/<id>.txt.j2`` beside ``<root>/catalogue.yaml``; None otherwise."""
    data = _catalogue_beside(Path(path))
    kind = data.get("kind") if data is not None else None
    return kind if kind in KINDS else None


def _currency(marketplace: Optional[str]) -> Optional[str]:
    from msglint import marketplaces
    try:
        return marketplaces.get(marketplace).currency if marketplace else None
    except ValueError:
        return None


def _render(path: Path, text: str, values: dict, lang: str, marketplace: str) -> tuple[Optional[str], Optional[tuple]]:
    """(rendered text, None), or (None, (reason, line)) when it does not render within the limits."""
    from jinja2 import TemplateSyntaxError

    from msglint.boundedrender import RenderLimit, render
    from msglint.drafting import environment
    try:
        env = environment(lang if lang in ("en", "de", "fr", "es", "it", "ja") else "en", marketplace)
        return render(env, text, {**values, "lang": lang, "marketplace": marketplace}), None
    except TemplateSyntaxError as exc:
        return None, (f"syntax error: {_one_line(exc.message or str(exc))}", exc.lineno)
    except (RenderLimit, Exception) as exc:  # noqa: BLE001 - whatever stops the rendering is the finding
        kind = "" if isinstance(exc, RenderLimit) else f"{type(exc).__name__}: "
        return None, (kind + _one_line(str(exc)), _template_line(exc, text))


def _one_line(message: str) -> str:
    first = " ".join(message.split()).rstrip(".")
    return first if len(first) <= 200 else first[:197] + "..."


def _template_line(exc: BaseException, source: str = "") -> Optional[int]:
    """The template line where the rendering failed (Jinja maps its frames to "<template>"); when the
    time limit interrupted it outside the template's own frames, the first loop of the template."""
    import traceback
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    if lines:
        return lines[-1]
    if "took longer" not in str(exc):
        return None
    loop = regex.search(r"\{%-?\s*for\b", source)
    return source.count("\n", 0, loop.start()) + 1 if loop else None


def check_template(linter, path: str, text: str, kind: str = "message", marketplace: Optional[str] = None,
                   known_codes: frozenset = frozenset(), select=lambda code: True) -> Report:
    """Lint a template file: its masked literal text, and its rendering with example values."""
    masked = mask(text)
    lang = getattr(linter, "explain_lang", "en")  # the language of the messages (explain-lang)
    report = linter.check(masked, kind=kind, marketplace=marketplace)
    tags = [(m.start(), m.end()) for m in _JINJA.finditer(text)]
    findings = [_with_text(f, text, tags) for f in report.findings]
    examples = _catalogue_examples(Path(path), report.marketplace)
    if kind == "appeal" and examples is not None:
        from msglint.rules.appeal import DOCUMENT_RULES
        findings = [f for f in findings if f.code not in DOCUMENT_RULES]   # judged on the rendering below
    if examples is not None:
        values, template_lang = examples  # the template's language; ``lang`` stays the explanations'
        rendered, failure = _render(Path(path), text, values, template_lang, report.marketplace)
        if failure is not None:
            findings.append(_render_error(text, *failure, lang=lang))
        else:
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


def _with_text(f: Finding, text: str, tags: list = ()) -> Finding:
    """The finding with the template's own text; a fix that would cut into a Jinja tag is dropped (it was
    written from the masked text, where the tag is blank)."""
    fix = f.fix
    if fix is not None:
        start, end = f.fix_range
        if any(a < end and start < b for a, b in tags):
            fix = None
    return Finding(**{**f.__dict__, "text": text[f.start:f.end], "fix": fix})


def _rendered_finding(f: Finding, lang: str = "en") -> Finding:
    """A finding in the rendered draft: same code, message marked as coming from the example render."""
    return Finding(**{**f.__dict__, "message": f.message + explain.ui("rendered_suffix", lang), "fix": None,
                      "start": 0, "end": 1, "line": 1, "col": 1, "end_line": 1, "end_col": 2})


def _render_error(text: str, reason: str, line: Optional[int], lang: str = "en") -> Finding:
    """ML003 spanning the template line where the rendering failed (the whole file when that
    line is unknown or empty)."""
    lines = text.split("\n")
    start, end = 0, len(text)
    if line and 1 <= line <= len(lines) and lines[line - 1].strip():
        start = sum(len(x) + 1 for x in lines[:line - 1])
        end = start + len(lines[line - 1])
    rule = ML_RULES[2]
    (line, col), (end_line, end_col) = _position(text, start), _position(text, end)
    return Finding(code=rule.code, name=rule.name, category=rule.category, severity=rule.severity,
                   start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col,
                   text=text[start:end], message=explain.message(rule, {"reason": reason}, lang), fix=None)


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    return _line_of(text, offset), offset - (text.rfind("\n", 0, offset) + 1) + 1


def _ml(rule: Rule, d: _Directive, text: str, code: str, lang: str = "en") -> Finding:
    line = d.line
    col = d.start - (text.rfind("\n", 0, d.start) + 1) + 1
    end_line = _line_of(text, d.end)
    end_col = d.end - (text.rfind("\n", 0, d.end) + 1) + 1
    return Finding(code=rule.code, name=rule.name, category=rule.category, severity=rule.severity,
                   start=d.start, end=d.end, line=line, col=col, end_line=end_line, end_col=end_col,
                   text=d.text, message=explain.message(rule, {"text": d.text, "code": code}, lang), fix=Fix("", True, kind="remove"))
