"""Configuration: ``[tool.msglint]`` in pyproject.toml, or ``msglint.toml`` / ``.msglint.toml``.

Found by walking up from each checked file (the nearest directory holding one wins; inside a
directory ``.msglint.toml`` beats ``msglint.toml`` beats ``pyproject.toml``). Command-line options
override it. Unknown keys and unknown rule codes are errors naming the file and the key.

Example::

    [tool.msglint]
    marketplace = "DE"
    select = ["contact", "RM"]          # codes, code prefixes, categories or category prefixes, or "ALL"
    extend-select = ["LG003"]
    ignore = ["FM004"]
    fail-on = "warning"                 # error (default) | warning | info
    buyer-facing = ["*.j2", "*.txt"]    # what --only-buyer-facing (the pre-commit hook) checks
    exclude = ["fixtures/**"]           # never checked by it (README*, CHANGELOG*, docs/ never are)
    kind = {"listings/**" = "listing"}  # or a single kind: kind = "listing"
    per-file-ignores = {"templates/legacy/*" = ["CU001"]}
    severity = {LG003 = "error"}
    explain-lang = "zh"                 # language of messages and explanations: en | zh (default: the locale)
    template-files = ["replies/*.txt"]  # also Jinja templates (besides *.j2, *.jinja, *.jinja2)

    [tool.msglint.allow]
    domains = ["carrier-booking.com"]
    phrases = ["re:^Nordway Home$"]     # "re:" = regular expression, otherwise exact text
    brands = ["Yahoo!"]
"""
from __future__ import annotations

import fnmatch
import os
import re
import stat
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from msglint import marketplaces
from msglint.model import KINDS

CONFIG_FILES = (".msglint.toml", "msglint.toml", "pyproject.toml")
KEYS = {"select", "ignore", "extend-select", "per-file-ignores", "marketplace", "kind", "allow",
        "severity", "fail-on", "buyer-facing", "exclude", "explain-lang",
        "template-files"}
# What --only-buyer-facing (the pre-commit hook) checks: files whose name matches one of these ...
DEFAULT_BUYER_FACING = ("*.j2", "*.jinja", "*.jinja2", "*.txt")
# ... and never these (README, CHANGELOG, anything under docs/), whatever the configuration adds
ALWAYS_EXCLUDED = ("README*", "CHANGELOG*", "docs/**")
ALLOW_KEYS = {"domains", "phrases", "brands"}


class ConfigError(Exception):
    """A configuration problem, reported as one line naming the file and key."""


@dataclass(frozen=True)
class Config:
    path: Optional[str] = None
    select: Optional[tuple] = None
    extend_select: tuple = ()
    ignore: tuple = ()
    per_file_ignores: tuple = ()  # ((glob, (codes...)), ...)
    marketplace: Optional[str] = None
    kind: tuple = ()              # ((glob, kind), ...); glob "*" for a single kind
    allow_domains: tuple = ()
    allow_phrases: tuple = ()
    brands: tuple = ()
    severity: tuple = ()          # ((code, severity), ...)
    fail_on: Optional[str] = None
    buyer_facing: tuple = DEFAULT_BUYER_FACING
    exclude: tuple = ()
    explain_lang: Optional[str] = None  # en | zh; None: the command line, else the locale decides
    template_files: tuple = ()    # globs of files that are Jinja templates whatever their suffix

    def is_buyer_facing(self, path: str) -> bool:
        """Whether ``path`` is a text that reaches buyers (``buyer-facing`` globs, minus ``exclude``
        and the documentation: README*, CHANGELOG*, docs/). A glob without "/" matches the file
        name, one with "/" the path from the configuration's directory."""
        rel = _relative(path, self.root)
        parts = rel.split("/")
        if "docs" in parts[:-1] or any(_glob_match(rel, g) for g in ALWAYS_EXCLUDED + tuple(self.exclude)):
            return False
        return any(_glob_match(rel, g) for g in self.buyer_facing)

    @property
    def root(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def kind_for(self, path: str) -> Optional[str]:
        rel = _relative(path, self.root)
        for glob, kind in self.kind:
            if glob == "*" or fnmatch.fnmatch(rel, glob):
                return kind
        return None

    def ignored_for(self, path: str) -> set:
        rel = _relative(path, self.root)
        out = set()
        for glob, codes in self.per_file_ignores:
            if fnmatch.fnmatch(rel, glob):
                out.update(codes)
        return out

    def allowed_phrase(self, text: str) -> bool:
        for phrase in self.allow_phrases:
            if phrase.startswith("re:"):
                if re.search(phrase[3:], text):
                    return True
            elif phrase == text:
                return True
        return False

    def to_dict(self) -> dict:
        return {
            "path": self.path, "select": list(self.select) if self.select is not None else ["ALL"],
            "extend-select": list(self.extend_select), "ignore": list(self.ignore),
            "per-file-ignores": {g: list(c) for g, c in self.per_file_ignores},
            "marketplace": self.marketplace or "US", "kind": {g: k for g, k in self.kind} or "message",
            "allow": {"domains": list(self.allow_domains), "phrases": list(self.allow_phrases),
                      "brands": list(self.brands)},
            "severity": dict(self.severity), "fail-on": self.fail_on or "error",
            "buyer-facing": list(self.buyer_facing), "exclude": list(self.exclude),
            "explain-lang": self.explain_lang, "template-files": list(self.template_files),
        }


def _glob_match(rel: str, glob: str) -> bool:
    if "/" in glob:
        return fnmatch.fnmatch(rel, glob) or (glob.startswith("**/") and fnmatch.fnmatch(rel, glob[3:]))
    return fnmatch.fnmatch(rel.rsplit("/", 1)[-1], glob)


def matches_glob(path: str, glob: str, root: Optional[Path] = None) -> bool:
    """``path`` relative to ``root`` (default: the working directory) matches ``glob``: a glob
    without "/" matches the file name, one with "/" the path (as for buyer-facing)."""
    return _glob_match(_relative(path, root or Path.cwd()), glob)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def find_config_file(start: str) -> Optional[Path]:
    """The nearest configuration file at or above ``start`` (a file or a directory).

    A configuration file that is not valid TOML, or not a regular file, is an error (ConfigError
    naming it), also a ``pyproject.toml`` that may have no ``[tool.msglint]`` at all: what it says
    cannot be known, and skipping it would silently check with other settings.
    """
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            try:
                st = os.stat(candidate)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                raise ConfigError(f"{candidate}: not a regular file (a configuration file must be one)")
            if name == "pyproject.toml" and "msglint" not in _tool_tables(candidate):
                continue
            return candidate
    return None


def _read_toml(path: Path) -> dict:
    """The TOML document at ``path``; ConfigError "file:line:col: not valid TOML (reason)"."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if at:
            line, col = int(at.group(1)), int(at.group(2))
            message = message[:at.start()]
        else:  # "(at end of document)"
            message = re.sub(r"\s*\(at end of document\)$", "", message)
            line, col = text.count("\n") + 1, len(text) - text.rfind("\n")
        raise ConfigError(f"{path}:{line}:{col}: not valid TOML ({message})") from None


def _tool_tables(path: Path) -> dict:
    tool = _read_toml(path).get("tool", {})
    return tool if isinstance(tool, dict) else {}


def load(path: Optional[str]) -> Config:
    """Parse and validate one configuration file (None: the defaults); re-read when it changes."""
    if path is None:
        return Config()
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{path}: not a regular file (a configuration file must be one)")
    return _load(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _load(path: str, mtime_ns: int, size: int) -> Config:
    p = Path(path)
    data = _read_toml(p)
    if p.name == "pyproject.toml":
        data = data.get("tool", {}).get("msglint", {})
    return parse(data, str(p))


def parse(data: dict, where: str) -> Config:
    from msglint.selection import validate_selectors

    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(KEYS))})")

    def str_list(key, value) -> tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")
        return tuple(value)

    def selectors(key) -> Optional[tuple]:
        if key not in data:
            return None
        values = str_list(key, data[key])
        try:
            validate_selectors(values)
        except ValueError as exc:
            raise ConfigError(f"{where}: '{key}': {exc}") from None
        return values

    per_file = []
    for glob, codes in (data.get("per-file-ignores") or {}).items():
        codes = str_list(f"per-file-ignores.{glob}", codes)
        try:
            validate_selectors(codes)
        except ValueError as exc:
            raise ConfigError(f"{where}: 'per-file-ignores.{glob}': {exc}") from None
        per_file.append((glob, codes))
    kind_value = data.get("kind")
    kinds = []
    if isinstance(kind_value, str):
        kinds.append(("*", kind_value))
    elif isinstance(kind_value, dict):
        kinds.extend(kind_value.items())
    elif kind_value is not None:
        raise ConfigError(f"{where}: 'kind' must be a kind or a table of glob = kind")
    for glob, kind in kinds:
        if kind not in KINDS:
            raise ConfigError(f"{where}: 'kind': unknown kind {kind!r} for {glob!r} (one of {', '.join(KINDS)})")
    mp = data.get("marketplace")
    if mp is not None:
        try:
            mp = marketplaces.get(mp).code
        except ValueError as exc:
            raise ConfigError(f"{where}: 'marketplace': {exc}") from None
    allow = data.get("allow") or {}
    if not isinstance(allow, dict):
        raise ConfigError(f"{where}: 'allow' must be a table with domains, phrases, brands")
    bad = sorted(set(allow) - ALLOW_KEYS)
    if bad:
        raise ConfigError(f"{where}: unknown key 'allow.{bad[0]}' (known: {', '.join(sorted(ALLOW_KEYS))})")
    phrases = str_list("allow.phrases", allow.get("phrases", []))
    for phrase in phrases:
        if phrase.startswith("re:"):
            try:
                re.compile(phrase[3:])
            except re.error as exc:
                raise ConfigError(f"{where}: 'allow.phrases': bad regular expression {phrase[3:]!r} ({exc})") from None
    severity = []
    for code, level in (data.get("severity") or {}).items():
        try:
            validate_selectors([code], codes_only=True)
        except ValueError as exc:
            raise ConfigError(f"{where}: 'severity': {exc}") from None
        if level not in ("error", "warning", "info"):
            raise ConfigError(f"{where}: 'severity.{code}': {level!r} is not error, warning or info")
        severity.append((code, level))
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in ("error", "warning", "info"):
        raise ConfigError(f"{where}: 'fail-on': {fail_on!r} is not error, warning or info")
    buyer_facing = str_list("buyer-facing", data["buyer-facing"]) if "buyer-facing" in data else DEFAULT_BUYER_FACING
    explain_lang = data.get("explain-lang")
    if explain_lang is not None and explain_lang not in ("en", "zh"):
        raise ConfigError(f"{where}: 'explain-lang': {explain_lang!r} is not en or zh")
    return Config(
        buyer_facing=buyer_facing, exclude=str_list("exclude", data.get("exclude", [])),
        path=where, select=selectors("select"), extend_select=selectors("extend-select") or (),
        ignore=selectors("ignore") or (), per_file_ignores=tuple(per_file), marketplace=mp, kind=tuple(kinds),
        allow_domains=str_list("allow.domains", allow.get("domains", [])), allow_phrases=phrases,
        brands=str_list("allow.brands", allow.get("brands", [])), severity=tuple(severity), fail_on=fail_on,
        explain_lang=explain_lang,
        template_files=str_list("template-files", data.get("template-files", [])),
    )


def for_path(path: str) -> Config:
    """The configuration that applies to ``path`` ('-' or '<stdin>': the working directory)."""
    start = os.getcwd() if path in ("-", "<stdin>") else path
    found = find_config_file(start)
    return load(str(found) if found else None)
