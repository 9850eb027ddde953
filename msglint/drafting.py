"""Compliant reply templates: the catalogue, variable validation, sandboxed rendering, linting.

The library is ``templates/catalogue.yaml`` (scenarios, Amazon message types and their text
limits, variables with types, validation and example values) plus one Jinja2 file per scenario
and language, ``templates/<lang>/<id>.txt.j2``. Rendering uses Jinja2's SandboxedEnvironment with
StrictUndefined; money and dates are formatted for the language and marketplace with Babel.
Every draft is linted before it is shown, including the values the user typed.

Values are kept exactly as typed: free text (a product name, an engraving, an answer) is only
put in canonical composition (NFC), never NFKC, so ``ケンタ＆ミサキ　Ⅱ①`` or ``12 m²`` reach the
draft unchanged. Only the values that are parsed are normalised: order IDs, amounts (checked
against the marketplace currency's decimals: no yen cents), dates, numbers, choices and
carriers (each marketplace has its own, named in the draft's language: ヤマト運輸 in Japanese).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import yaml

# the C loader when PyYAML has it (the suggest cue file and the catalogue are large)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_load(text):
    return yaml.load(text, Loader=_Loader)
from babel.dates import format_date, get_date_format
from babel.numbers import format_currency, get_currency_precision
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from msglint import marketplaces
from msglint.model import Report, Severity
from msglint.resources import templates_dir

LANG_MARKETPLACE = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "ja": "JP"}
LANG_LOCALE = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "it": "it_IT", "ja": "ja_JP"}
VARIABLE_TYPES = ("text", "product", "order_id", "money", "date", "tracking", "choice", "integer", "carrier", "percent")
KINDS = ("message", "appeal")   # a catalogue drafts buyer messages, or Plan-of-Action appeals (templates/appeals/)
APPEALS_DIR = "appeals"
_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
_TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{4,38}[A-Za-z0-9]")
_JINJA_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
# hyphens and dashes a person may type (or a phone keyboard may insert) inside an order ID
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\ufe63"), "-")
# first of the month written as an ordinal where the language needs it: "1er décembre", "1° dicembre".
# German already writes every day as an ordinal ("1. Dezember"); English ("December 1" / "1 December"),
# Spanish ("1 de diciembre") and Japanese ("12月1日") write the first like any other day.
_FIRST_OF_MONTH = {"fr": "1er", "it": "1°"}
_CURRENCY_MARKS = re.compile(r"^(?:[A-Z]{3}|[€$£¥￥₹]|R\$|円)\s*|\s*(?:[A-Z]{3}|[€$£¥￥₹]|円)$")


class CatalogueError(Exception):
    """The template library itself is broken (a maintainer's problem, reported clearly)."""


class VariableError(ValueError):
    """A missing or invalid variable value; ``name`` is the variable."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name


def _marketplace_code(lang: Optional[str], marketplace: Optional[str]) -> str:
    return marketplaces.get(marketplace or LANG_MARKETPLACE.get(lang or "en", "US")).code


def _free_text(name: str, raw: str) -> str:
    """Free text exactly as typed: only canonical composition (NFC), so that a precomposed and a
    decomposed "é" are the same, while fullwidth forms, ligatures, superscripts, circled digits
    and ideographic spaces (an engraving's ``ケンタ＆ミサキ　Ⅱ①``, ``12 m²``, ``3.º B``) survive."""
    value = unicodedata.normalize("NFC", raw).strip(" \t")
    if "\n" in value or "\r" in value:
        raise VariableError(name, "must be a single line")
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise VariableError(name, f"contains the control character U+{ord(bad):04X}")
    return value


def parse_amount(name: str, value: str, currency: str) -> str:
    """An amount typed as ``24.95``, ``24,95``, ``1,980``, ``1.234,50`` or ``￥1,980``, checked
    against the currency's decimals (JPY has none: ``1980.50`` is refused, never rounded).
    A single separator before exactly three digits ("1,234", "24.955") is a thousands separator
    only for a currency without decimals; otherwise it is ambiguous and refused."""
    allowed = get_currency_precision(currency)
    example = "1980" if allowed == 0 else "24.95"
    text = _CURRENCY_MARKS.sub("", unicodedata.normalize("NFKC", value).strip())
    text = re.sub(r"[\s\u00a0\u202f']", "", text)
    bad = VariableError(name, f"{value!r} is not an amount (e.g. {example})")
    if not re.fullmatch(r"\d[\d.,]*", text) or text[-1] in ".,":
        raise bad
    seps = [c for c in text if c in ".,"]
    if len(set(seps)) == 2:                       # 1,234.50 / 1.234,50: the last one is the decimal mark
        decimal_mark = text[max(text.rfind("."), text.rfind(","))]
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = text.rpartition(decimal_mark)
        if not re.fullmatch(r"\d{1,3}(" + re.escape(grouping) + r"\d{3})+", whole):
            raise bad
        text = whole.replace(grouping, "") + "." + fraction
    elif len(seps) > 1:                           # 1,234,567 / 1.234.567: grouping only
        if not re.fullmatch(r"\d{1,3}(" + re.escape(seps[0]) + r"\d{3})+", text):
            raise bad
        text = text.replace(seps[0], "")
    elif seps:
        whole, _, fraction = text.partition(seps[0])
        if len(fraction) == 3 and allowed == 0:   # ￥1,980
            text = whole + fraction
        elif len(fraction) == 3 and allowed != 3:
            raise VariableError(name, f"{value!r} is ambiguous: write {whole}{fraction} or {whole}.{fraction[:2]}")
        else:
            text = whole + "." + fraction
    decimals = len(text.partition(".")[2])
    if decimals > allowed:
        if allowed == 0:
            raise VariableError(name, f"{value!r} has decimals, but {currency} amounts are whole numbers (e.g. {example})")
        raise VariableError(name, f"{value!r} has more than {allowed} decimals for {currency} (e.g. {example})")
    return str(Decimal(text))


def parse_date(name: str, value: str) -> str:
    """An ISO date (``2026-12-05``; ``2026/12/05`` and fullwidth digits are read too)."""
    text = unicodedata.normalize("NFKC", value).strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    try:
        if not m:
            raise ValueError
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise VariableError(name, f"{value!r} is not a date (YYYY-MM-DD, e.g. 2026-12-05)") from None


def parse_percent(name: str, value: str) -> str:
    """A percentage typed as ``1.8``, ``1.8%``, ``1,8 %`` or ``０.９％``: 0 to 100, at most two decimals."""
    text = unicodedata.normalize("NFKC", value).strip().rstrip("%").strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", text) or Decimal(text) > 100:
        raise VariableError(name, f"{value!r} is not a percentage between 0 and 100 (e.g. 1.8)")
    return str(Decimal(text))


@dataclass(frozen=True)
class Carrier:
    """A carrier that delivers on a marketplace: its name per language and what people type for it."""
    names: tuple            # ((lang, name), ...); lang "" is the name used where no language is given
    aliases: tuple = ()

    def name_for(self, lang: Optional[str]) -> str:
        names = dict(self.names)
        return names.get(lang or "", names.get("en", names[""]))

    def matches(self, typed: str) -> bool:
        key = unicodedata.normalize("NFKC", typed).casefold().replace(" ", "")
        return any(key == unicodedata.normalize("NFKC", n).casefold().replace(" ", "")
                   for n in (*(name for _l, name in self.names), *self.aliases))


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    required: bool
    example: Optional[str] = None
    help: str = ""
    choices: tuple = ()
    examples: tuple = ()  # ((key, example), ...): key a template language, or a currency code for money
    min: Optional[int] = None
    max: Optional[int] = None
    section: Optional[str] = None   # appeals: the Plan-of-Action section the value fills

    def validate(self, raw, lang: Optional[str] = None, marketplace: Optional[str] = None) -> Optional[str]:
        """The value of ``raw`` for a draft in ``lang`` on ``marketplace``, None for an empty optional
        value; VariableError otherwise. Free text (``text``, ``product``) is kept exactly as typed
        (NFC only); the values that are parsed (IDs, amounts, dates, numbers, choices, carriers)
        are read with NFKC, so fullwidth digits work, and written back in their standard form."""
        value = "" if raw is None else _free_text(self.name, str(raw))
        if not value.strip():
            if self.required:
                raise VariableError(self.name, "is required")
            return None
        if self.type in ("text", "product"):
            if len(value) > 300:
                raise VariableError(self.name, "is longer than 300 characters")
            return value
        parsed = unicodedata.normalize("NFKC", value).strip()
        if self.type == "order_id":
            candidate = parsed.translate(_DASHES).replace(" ", "")
            if not _ORDER_ID.fullmatch(candidate):
                raise VariableError(self.name, f"{value!r} is not an Amazon order ID (3-7-7 digits, e.g. 112-8830174-2265019)")
            return candidate
        if self.type == "money":
            return parse_amount(self.name, value, marketplaces.get(_marketplace_code(lang, marketplace)).currency)
        if self.type == "date":
            return parse_date(self.name, value)
        if self.type == "tracking":
            if not _TRACKING.fullmatch(parsed):
                raise VariableError(self.name, f"{value!r} is not a tracking number (letters, digits, spaces, hyphens)")
            return parsed
        if self.type == "choice":
            for choice in self.choices:
                if parsed.casefold() == str(choice).casefold():
                    return str(choice)
            raise VariableError(self.name, f"{value!r} is not one of: {', '.join(map(str, self.choices))}")
        if self.type == "carrier":
            mp = _marketplace_code(lang, marketplace)
            carriers = catalogue().carriers_for(mp)
            for carrier in carriers:
                if carrier.matches(parsed):
                    return carrier.name_for(lang)
            raise VariableError(self.name, f"{value!r} is not a carrier on the {mp} marketplace "
                                           f"(one of: {', '.join(c.name_for(lang) for c in carriers)})")
        if self.type == "percent":
            return parse_percent(self.name, value)
        if self.type == "integer":
            if not re.fullmatch(r"-?\d+", parsed):
                raise VariableError(self.name, f"{value!r} is not a whole number")
            number = int(parsed)
            if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                raise VariableError(self.name, f"{number} is outside {self.min}..{self.max}")
            return str(number)
        raise CatalogueError(f"variable {self.name}: unknown type {self.type!r}")

    def choices_for(self, lang: Optional[str] = None, marketplace: Optional[str] = None) -> tuple:
        """What may be chosen: the fixed choices, or a carrier variable's carriers on the marketplace."""
        if self.type == "carrier":
            return tuple(c.name_for(lang) for c in catalogue().carriers_for(_marketplace_code(lang, marketplace)))
        return self.choices

    def example_for(self, lang: Optional[str], marketplace: Optional[str] = None) -> Optional[str]:
        """The example for a draft in ``lang`` on ``marketplace``: an amount sized for the
        marketplace's currency (yen, not euro cents), a carrier that delivers there, otherwise
        the example written for the language, else the default example."""
        examples = dict(self.examples)
        if self.type == "money":
            currency = marketplaces.get(_marketplace_code(lang, marketplace)).currency
            return examples.get(currency, self.example)
        example = examples.get(lang, self.example) if lang else self.example
        if self.type == "carrier" and example is not None:
            carriers = catalogue().carriers_for(_marketplace_code(lang, marketplace))
            for candidate in (example, self.example):
                match = next((c for c in carriers if c.matches(candidate)), None)
                if match is not None:
                    return match.name_for(lang)
            return carriers[0].name_for(lang) if carriers else example
        return example

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
        if self.section:
            d["section"] = self.section
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
    unprompted: bool = False     # usually sent without the buyer writing first (never a "reply")
    kind: str = "message"        # "appeal": a Plan of Action, linted with --kind appeal
    sections: tuple = ()         # appeals: (Section, ...) with titles and guidance in en and zh

    def variable(self, name: str) -> Optional[Variable]:
        return next((v for v in self.variables if v.name == name), None)

    @property
    def needs_order(self) -> bool:
        """False for the one kind of message that comes before any order (a pre-sale question)."""
        return self.variable("order_id") is not None

    def examples(self, lang: Optional[str] = None, marketplace: Optional[str] = None) -> dict:
        """Example values, in ``lang`` and sized for ``marketplace`` where the catalogue has them."""
        return {v.name: v.example_for(lang, marketplace) for v in self.variables if v.example is not None}

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title.get("en", self.id), "title_zh": self.title.get("zh"),
                "when": self.when.get("en"), "when_zh": self.when.get("zh"),
                "message_type": self.message_type, "limit": self.limit, "critical": self.critical,
                "unprompted": self.unprompted,
                "languages": list(self.languages), "variables": [v.to_dict() for v in self.variables],
                **({"kind": self.kind, "sections": [x.to_dict() for x in self.sections]} if self.kind != "message" else {})}


@dataclass(frozen=True)
class Section:
    """A part of a Plan of Action (root_cause, corrective, preventive) with its title and guidance."""
    id: str
    title: dict
    guide: dict

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title.get("en"), "title_zh": self.title.get("zh"),
                "guide": self.guide.get("en"), "guide_zh": self.guide.get("zh")}


SECTION_IDS = ("root_cause", "corrective", "preventive")


@dataclass(frozen=True)
class Catalogue:
    scenarios: tuple
    languages: tuple
    message_types: dict
    carriers: dict = field(default_factory=dict)   # marketplace code -> tuple[Carrier, ...]
    kind: str = "message"

    def get(self, scenario_id: str) -> Scenario:
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(scenario_id)

    def ids(self) -> list[str]:
        return [s.id for s in self.scenarios]

    def carriers_for(self, marketplace: str) -> tuple:
        """The carriers that deliver on ``marketplace`` (the catalogue's ``other`` list elsewhere)."""
        return self.carriers.get(marketplace) or self.carriers.get("other", ())


def _load_carriers(path, raw) -> dict:
    out = {}
    for mp, entries in (raw or {}).items():
        if mp != "other":
            try:
                mp = marketplaces.get(mp).code
            except ValueError as exc:
                raise CatalogueError(f"{path}: carriers: {exc}") from None
        carriers = []
        for entry in entries or ():
            if isinstance(entry, str):
                carriers.append(Carrier(names=(("", entry),)))
            elif isinstance(entry, dict) and entry.get("name"):
                # `name` is how the marketplace writes it, so it is also its name in the marketplace's
                # language (ヤマト運輸 in a Japanese draft on JP, Yamato Transport in an English one)
                own = () if mp == "other" else ((marketplaces.get(mp).language, str(entry["name"])),)
                names = [("", str(entry["name"])), *own] + [(k, str(v)) for k, v in entry.items()
                                                            if k not in ("name", "aliases")]
                carriers.append(Carrier(names=tuple(names), aliases=tuple(map(str, entry.get("aliases") or ()))))
            else:
                raise CatalogueError(f"{path}: carriers: {mp}: {entry!r} is neither a name nor a mapping with 'name'")
        out[mp] = tuple(carriers)
    return out


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The buyer-message scenario catalogue, loaded and checked once."""
    return _load_catalogue(templates_dir(), "message")


@lru_cache(maxsize=1)
def appeal_catalogue() -> Catalogue:
    """The Plan-of-Action catalogue (``templates/appeals/``), loaded and checked once."""
    return _load_catalogue(templates_dir() / APPEALS_DIR, "appeal")


def catalogue_for(kind: str) -> Catalogue:
    return appeal_catalogue() if kind == "appeal" else catalogue()


def find_scenario(scenario_id: str) -> Scenario:
    """A scenario of either catalogue (ids are unique across both); KeyError when there is none."""
    for cat in (catalogue(), appeal_catalogue()):
        if scenario_id in cat.ids():
            return cat.get(scenario_id)
    raise KeyError(scenario_id)


def _sections(path, sid: str, raw) -> tuple:
    out = []
    for x in raw or ():
        if not isinstance(x, dict) or x.get("id") not in SECTION_IDS:
            raise CatalogueError(f"{path}: scenario {sid}: a section needs an id, one of {', '.join(SECTION_IDS)}")
        for key in ("title", "guide"):
            if not all((x.get(key) or {}).get(lang) for lang in ("en", "zh")):
                raise CatalogueError(f"{path}: scenario {sid}: section {x['id']}: '{key}' needs en and zh")
        out.append(Section(x["id"], dict(x["title"]), dict(x["guide"])))
    return tuple(out)


def _load_catalogue(base, default_kind: str) -> Catalogue:
    path = base / "catalogue.yaml"
    try:
        data = _yaml_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot load ({exc})") from None
    kind = data.get("kind", default_kind)
    if kind != default_kind:
        raise CatalogueError(f"{path}: kind {kind!r}, expected {default_kind!r}")
    types = data.get("message_types") or {}
    langs = tuple(data.get("languages") or ())
    scenarios = []
    for raw in data.get("scenarios") or ():
        sid = raw["id"]
        mtype = raw["message_type"]
        if mtype not in types:
            raise CatalogueError(f"{path}: scenario {sid}: unknown message type {mtype!r}")
        unprompted = bool(raw.get("unprompted", False))
        if unprompted and mtype == "reply":
            raise CatalogueError(f"{path}: scenario {sid}: a message usually sent unprompted cannot have "
                                 f"the message type 'reply'")
        sections = _sections(path, sid, raw.get("sections"))
        variables = []
        for v in raw.get("variables") or ():
            if v["type"] not in VARIABLE_TYPES:
                raise CatalogueError(f"{path}: scenario {sid}: variable {v['name']}: unknown type {v['type']!r}")
            if v.get("section") is not None and v["section"] not in {x.id for x in sections}:
                raise CatalogueError(f"{path}: scenario {sid}: variable {v['name']}: unknown section {v['section']!r}")
            variables.append(Variable(name=v["name"], type=v["type"], required=bool(v.get("required")),
                                      example=None if v.get("example") is None else str(v["example"]),
                                      help=v.get("help", ""), choices=tuple(v.get("choices") or ()),
                                      min=v.get("min"), max=v.get("max"), section=v.get("section"),
                                      examples=tuple((k, str(x)) for k, x in (v.get("examples") or {}).items())))
        available = tuple(lang for lang in langs if (base / lang / f"{sid}.txt.j2").is_file())
        scenarios.append(Scenario(id=sid, title=raw.get("title") or {}, when=raw.get("when") or {},
                                  message_type=mtype, critical=bool(raw.get("critical", types[mtype].get("critical"))),
                                  limit=int(types[mtype]["limit"]), variables=tuple(variables), languages=available,
                                  unprompted=unprompted, kind=kind, sections=sections))
    return Catalogue(tuple(scenarios), langs, types, _load_carriers(path, data.get("carriers")), kind=kind)


def template_source(scenario_id: str, lang: str) -> str:
    path = templates_dir() / lang / f"{scenario_id}.txt.j2"
    if not path.is_file():
        path = templates_dir() / APPEALS_DIR / lang / f"{scenario_id}.txt.j2"
    if not path.is_file():
        raise KeyError(f"{scenario_id} has no {lang} template")
    return path.read_text("utf-8")


def locale_for(lang: str, marketplace: str) -> str:
    mp = marketplaces.get(marketplace)
    return mp.locale if mp.locale.split("_")[0] == lang else LANG_LOCALE.get(lang, "en_US")


def format_long_date(value, locale: str) -> str:
    """The long date of ``locale``, with the first of the month as an ordinal where the language
    writes it so ("1er décembre 2026", "1° dicembre 2026")."""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    first = _FIRST_OF_MONTH.get(locale.split("_")[0]) if day.day == 1 else None
    if first is None:
        return format_date(day, format="long", locale=locale)
    # replace the day field "d" of the CLDR pattern, leaving quoted literals ('de') alone
    parts = get_date_format("long", locale=locale).pattern.split("'")
    parts[::2] = [re.sub(r"(?<![A-Za-z])d(?![A-Za-z])", f"'{first}'", p) for p in parts[::2]]
    return format_date(day, format="'".join(parts), locale=locale)


def environment(lang: str, marketplace: str) -> SandboxedEnvironment:
    """A sandbox with only the money and date filters; undefined names are errors."""
    mp = marketplaces.get(marketplace)
    loc = locale_for(lang, marketplace)
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                               trim_blocks=False, lstrip_blocks=False)
    env.filters["money"] = lambda value: format_currency(Decimal(str(value)), mp.currency, locale=loc)
    env.filters["date"] = lambda value: format_long_date(value, loc)
    env.filters["percent"] = lambda value: f"{value}%"
    # a value that opens a sentence ("- {{ root_cause | sentence }}"): first letter upper-case, the rest as typed
    env.filters["sentence"] = lambda value: str(value)[:1].upper() + str(value)[1:]
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


def resolve_values(scenario: Scenario, given: dict, use_examples: bool = False, lang: Optional[str] = None,
                   marketplace: Optional[str] = None) -> dict:
    """Validated values for every variable (None for empty optional ones); VariableError names the first bad one.
    Amounts are checked against the marketplace's currency, carriers against its carriers."""
    unknown = sorted(set(given) - {v.name for v in scenario.variables})
    if unknown:
        raise VariableError(unknown[0], f"is not a variable of {scenario.id} "
                                        f"(variables: {', '.join(v.name for v in scenario.variables)})")
    values = {}
    for var in scenario.variables:
        raw = given.get(var.name)
        if raw is None and use_examples:
            raw = var.example_for(lang, marketplace)
        values[var.name] = var.validate(raw, lang=lang, marketplace=marketplace)
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
    scenario = find_scenario(scenario_id)
    if lang not in scenario.languages:
        raise VariableError("lang", f"{scenario_id} is available in {', '.join(scenario.languages)}, not {lang!r}")
    mp = marketplaces.get(marketplace or LANG_MARKETPLACE.get(lang, "US")).code
    values = resolve_values(scenario, given, use_examples=use_examples, lang=lang, marketplace=mp)
    return lint_draft(scenario, lang, mp, values, render(scenario, lang, values, mp), linter)


def lint_draft(scenario: Scenario, lang: str, marketplace: str, values: dict, text: str, linter) -> Draft:
    """Lint a draft's text (rendered, or edited by the user) against the rules and its type's limit."""
    if scenario.kind == "appeal":   # a Plan of Action to Seller Performance: the appeal rules, no message type
        report = linter.check(text, kind="appeal", marketplace=marketplace)
    else:
        report = linter.check(text, kind="message", marketplace=marketplace, message_type=scenario.message_type)
    problems = []
    length = len(text.rstrip())
    if length > scenario.limit:
        problems.append(f"the draft is {length} characters; a {scenario.message_type} message "
                        f"allows {scenario.limit}")
    return Draft(scenario, lang, marketplace, values, text, report, problems)
