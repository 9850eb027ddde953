"""Compliant reply templates: the catalogue, variable validation, sandboxed rendering, linting.

The library is ``templates/catalogue.yaml`` (scenarios, Amazon message types and their text
limits, variables with types, validation and example values) plus one Jinja2 file per scenario
and language, ``templates/<lang>/<id>.txt.j2``. Rendering uses Jinja2's SandboxedEnvironment with
StrictUndefined; money and dates are formatted for the language and marketplace with Babel.
Every draft is linted before it is shown, including the values the user typed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

import yaml
from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from msglint import marketplaces
from msglint.model import Report, Severity
from msglint.resources import templates_dir

LANG_MARKETPLACE = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "ja": "JP"}
LANG_LOCALE = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "ja": "ja_JP"}
VARIABLE_TYPES = ("text", "product", "order_id", "money", "date", "tracking", "choice", "integer")
_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
_TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{4,38}[A-Za-z0-9]")
_JINJA_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


class CatalogueError(Exception):
    """The template library itself is broken (a maintainer's problem, reported clearly)."""


class VariableError(ValueError):
    """A missing or invalid variable value; ``name`` is the variable."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    required: bool
    example: Optional[str] = None
    help: str = ""
    choices: tuple = ()
    examples: tuple = ()  # ((lang, example), ...): examples written for a template language
    min: Optional[int] = None
    max: Optional[int] = None

    def validate(self, raw) -> Optional[str]:
        """The cleaned value of ``raw``, None for an empty optional value; VariableError otherwise."""
        value = "" if raw is None else unicodedata.normalize("NFKC", str(raw)).strip()
        if not value:
            if self.required:
                raise VariableError(self.name, "is required")
            return None
        if "\n" in value or "\r" in value:
            raise VariableError(self.name, "must be a single line")
        if self.type in ("text", "product"):
            if len(value) > 300:
                raise VariableError(self.name, "is longer than 300 characters")
            return value
        if self.type == "order_id":
            if not _ORDER_ID.fullmatch(value):
                raise VariableError(self.name, f"{value!r} is not an Amazon order ID (3-7-7 digits, e.g. 112-8830174-2265019)")
            return value
        if self.type == "money":
            candidate = value.replace(" ", "")
            if re.fullmatch(r"\d+,\d{1,2}", candidate):
                candidate = candidate.replace(",", ".")
            try:
                amount = Decimal(candidate)
            except InvalidOperation:
                raise VariableError(self.name, f"{value!r} is not an amount (e.g. 24.95)") from None
            if amount < 0 or amount.as_tuple().exponent < -2:
                raise VariableError(self.name, f"{value!r} is not an amount (e.g. 24.95)")
            return str(amount)
        if self.type == "date":
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                raise VariableError(self.name, f"{value!r} is not a date (YYYY-MM-DD, e.g. 2026-12-05)") from None
        if self.type == "tracking":
            if not _TRACKING.fullmatch(value):
                raise VariableError(self.name, f"{value!r} is not a tracking number (letters, digits, spaces, hyphens)")
            return value
        if self.type == "choice":
            for choice in self.choices:
                if value.casefold() == str(choice).casefold():
                    return str(choice)
            raise VariableError(self.name, f"{value!r} is not one of: {', '.join(map(str, self.choices))}")
        if self.type == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise VariableError(self.name, f"{value!r} is not a whole number")
            number = int(value)
            if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                raise VariableError(self.name, f"{number} is outside {self.min}..{self.max}")
            return str(number)
        raise CatalogueError(f"variable {self.name}: unknown type {self.type!r}")

    def example_for(self, lang: Optional[str]) -> Optional[str]:
        """The example in ``lang`` when the catalogue has one, else the default example."""
        return dict(self.examples).get(lang, self.example) if lang else self.example

    def to_dict(self) -> dict:
        d = {"name": self.name, "type": self.type, "required": self.required, "example": self.example}
        if self.examples:
            d["examples"] = dict(self.examples)
        if self.help:
            d["help"] = self.help
        if self.choices:
            d["choices"] = list(self.choices)
        if self.min is not None or self.max is not None:
            d["min"], d["max"] = self.min, self.max
        return d


@dataclass(frozen=True)
class Scenario:
    id: str
    title: dict
    when: dict
    message_type: str
    critical: bool
    limit: int
    variables: tuple
    languages: tuple

    def variable(self, name: str) -> Optional[Variable]:
        return next((v for v in self.variables if v.name == name), None)

    def examples(self, lang: Optional[str] = None) -> dict:
        """Example values, in ``lang`` where the catalogue has them."""
        return {v.name: v.example_for(lang) for v in self.variables if v.example is not None}

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title.get("en", self.id), "title_zh": self.title.get("zh"),
                "when": self.when.get("en"), "when_zh": self.when.get("zh"),
                "message_type": self.message_type, "limit": self.limit, "critical": self.critical,
                "languages": list(self.languages), "variables": [v.to_dict() for v in self.variables]}


@dataclass(frozen=True)
class Catalogue:
    scenarios: tuple
    languages: tuple
    message_types: dict

    def get(self, scenario_id: str) -> Scenario:
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(scenario_id)

    def ids(self) -> list[str]:
        return [s.id for s in self.scenarios]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The scenario catalogue, loaded and checked once."""
    base = templates_dir()
    path = base / "catalogue.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot load ({exc})") from None
    types = data.get("message_types") or {}
    langs = tuple(data.get("languages") or ())
    scenarios = []
    for raw in data.get("scenarios") or ():
        sid = raw["id"]
        mtype = raw["message_type"]
        if mtype not in types:
            raise CatalogueError(f"{path}: scenario {sid}: unknown message type {mtype!r}")
        variables = []
        for v in raw.get("variables") or ():
            if v["type"] not in VARIABLE_TYPES:
                raise CatalogueError(f"{path}: scenario {sid}: variable {v['name']}: unknown type {v['type']!r}")
            variables.append(Variable(name=v["name"], type=v["type"], required=bool(v.get("required")),
                                      example=None if v.get("example") is None else str(v["example"]),
                                      help=v.get("help", ""), choices=tuple(v.get("choices") or ()),
                                      min=v.get("min"), max=v.get("max"),
                                      examples=tuple((k, str(x)) for k, x in (v.get("examples") or {}).items())))
        available = tuple(lang for lang in langs if (base / lang / f"{sid}.txt.j2").is_file())
        scenarios.append(Scenario(id=sid, title=raw.get("title") or {}, when=raw.get("when") or {},
                                  message_type=mtype, critical=bool(raw.get("critical", types[mtype].get("critical"))),
                                  limit=int(types[mtype]["limit"]), variables=tuple(variables), languages=available))
    return Catalogue(tuple(scenarios), langs, types)


def template_source(scenario_id: str, lang: str) -> str:
    path = templates_dir() / lang / f"{scenario_id}.txt.j2"
    if not path.is_file():
        raise KeyError(f"{scenario_id} has no {lang} template")
    return path.read_text("utf-8")


def locale_for(lang: str, marketplace: str) -> str:
    mp = marketplaces.get(marketplace)
    return mp.locale if mp.locale.split("_")[0] == lang else LANG_LOCALE.get(lang, "en_US")


def environment(lang: str, marketplace: str) -> SandboxedEnvironment:
    """A sandbox with only the money and date filters; undefined names are errors."""
    mp = marketplaces.get(marketplace)
    loc = locale_for(lang, marketplace)
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                               trim_blocks=False, lstrip_blocks=False)
    env.filters["money"] = lambda value: format_currency(Decimal(str(value)), mp.currency, locale=loc)
    env.filters["date"] = lambda value: format_date(date.fromisoformat(str(value)), format="long", locale=loc)
    return env


@dataclass
class Draft:
    scenario: Scenario
    lang: str
    marketplace: str
    values: dict
    text: str
    report: Report
    problems: list = field(default_factory=list)  # draft-level errors, e.g. over the type's limit

    @property
    def ok(self) -> bool:
        return not self.problems and not any(f.severity is Severity.ERROR for f in self.report.findings)


def resolve_values(scenario: Scenario, given: dict, use_examples: bool = False, lang: Optional[str] = None) -> dict:
    """Validated values for every variable (None for empty optional ones); VariableError names the first bad one."""
    unknown = sorted(set(given) - {v.name for v in scenario.variables})
    if unknown:
        raise VariableError(unknown[0], f"is not a variable of {scenario.id} "
                                        f"(variables: {', '.join(v.name for v in scenario.variables)})")
    values = {}
    for var in scenario.variables:
        raw = given.get(var.name)
        if raw is None and use_examples:
            raw = var.example_for(lang)
        values[var.name] = var.validate(raw)
    return values


def render(scenario: Scenario, lang: str, values: dict, marketplace: Optional[str] = None) -> str:
    mp = marketplace or LANG_MARKETPLACE.get(lang, "US")
    env = environment(lang, mp)
    try:
        template = env.from_string(template_source(scenario.id, lang))
        text = template.render(**values, lang=lang, marketplace=mp)
    except TemplateError as exc:
        raise CatalogueError(f"{lang}/{scenario.id}.txt.j2: {exc}") from None
    if _JINJA_LEFTOVER.search(text):
        raise CatalogueError(f"{lang}/{scenario.id}.txt.j2: template syntax left in the rendered text")
    return text.strip() + "\n"


def draft(scenario_id: str, lang: str, given: dict, linter, marketplace: Optional[str] = None,
          use_examples: bool = False) -> Draft:
    """Render a scenario with the given values and lint the result (values included)."""
    scenario = catalogue().get(scenario_id)
    if lang not in scenario.languages:
        raise VariableError("lang", f"{scenario_id} is available in {', '.join(scenario.languages)}, not {lang!r}")
    mp = marketplaces.get(marketplace or LANG_MARKETPLACE.get(lang, "US")).code
    values = resolve_values(scenario, given, use_examples=use_examples, lang=lang)
    return lint_draft(scenario, lang, mp, values, render(scenario, lang, values, mp), linter)


def lint_draft(scenario: Scenario, lang: str, marketplace: str, values: dict, text: str, linter) -> Draft:
    """Lint a draft's text (rendered, or edited by the user) against the rules and its type's limit."""
    report = linter.check(text, kind="message", marketplace=marketplace, message_type=scenario.message_type)
    problems = []
    length = len(text.rstrip())
    if length > scenario.limit:
        problems.append(f"the draft is {length} characters; a {scenario.message_type} message "
                        f"allows {scenario.limit}")
    return Draft(scenario, lang, marketplace, values, text, report, problems)
