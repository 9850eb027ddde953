"""The coverage matrix: policy concepts × languages (``wordlists/_concepts/``), and ``docs/coverage.md``.

``index.yml`` lists the concepts: what a policy rule looks like in text, the msglint rules that
report it, and the term groups (and language-file lists) it needs. ``<lang>.yml`` holds, per
concept, texts in that language that must be flagged and near misses that must pass; the test
suite checks every example on the language's own marketplace and on a marketplace of another
language. A cell is covered when the groups have phrases, the lists are filled and both kinds
of examples exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from msglint import lang as langdata
from msglint.datafile import check_keys, expect_mapping, expect_phrases, load, optional
from msglint.model import CATEGORIES
from msglint.resources import wordlists_dir
from msglint.terms import all_groups, family_data, lang_groups

LANGS = langdata.LANGS
HOME = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "ja": "JP"}
# a marketplace of another language, to show that a violation is caught whatever the marketplace
ABROAD = {"en": "DE", "de": "FR", "fr": "IT", "es": "JP", "it": "US", "ja": "UK"}
_CONCEPT_KEYS = ("id", "title", "category", "policy", "rules", "groups", "lang_lists", "kind", "field")
_EXAMPLE_KEYS = ("flag", "pass")


@dataclass(frozen=True)
class Concept:
    id: str
    title: str
    category: str
    policy: tuple
    rules: tuple
    groups: tuple          # tuple of alternatives: ((a, b), (c,)) means (a or b) and c
    lang_lists: tuple
    kind: str = "message"
    field: Optional[str] = None


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    f = load(wordlists_dir() / "_concepts" / "index.yml")
    data = expect_mapping(f, f.data)
    check_keys(f, data, ("concepts",), required=("concepts",))
    known = all_groups()
    from msglint.ruledocs import all_rules

    codes = {r.code for r in all_rules()}
    out, seen = [], set()
    for i, item in enumerate(data["concepts"]):
        item = expect_mapping(f, item, "concepts", i)
        check_keys(f, item, _CONCEPT_KEYS, "concepts", i, required=("id", "title", "category", "policy", "rules"))
        cid = str(item["id"])
        if cid in seen:
            raise f.error(f"concept '{cid}' is defined twice", "concepts", i, "id")
        seen.add(cid)
        if item["category"] not in CATEGORIES:
            raise f.error(f"unknown category {item['category']!r}", "concepts", i, "category")
        rules = tuple(expect_phrases(f, item["rules"], "concepts", i, "rules"))
        for code in rules:
            if code not in codes:
                raise f.error(f"no rule {code}", "concepts", i, "rules")
        groups = []
        for j, alt in enumerate(item.get("groups") or ()):
            alt = tuple(expect_phrases(f, alt, "concepts", i, "groups", j))
            for g in alt:
                if g not in known:
                    raise f.error(f"no term list has the group '{g}'", "concepts", i, "groups", j)
            groups.append(alt)
        lists = tuple(expect_phrases(f, item.get("lang_lists"), "concepts", i, "lang_lists"))
        out.append(Concept(cid, str(item["title"]), item["category"],
                           tuple(expect_phrases(f, item["policy"], "concepts", i, "policy")), rules, tuple(groups),
                           lists, str(item.get("kind", "message")), item.get("field")))
    return tuple(out)


@lru_cache(maxsize=None)
def examples(lang: str) -> dict:
    """{concept id: {"flag": [texts], "pass": [texts]}} of ``wordlists/_concepts/<lang>.yml``."""
    f = optional(wordlists_dir() / "_concepts" / f"{lang}.yml")
    if f is None:
        return {}
    data = expect_mapping(f, f.data)
    ids = {c.id for c in concepts()}
    out = {}
    for cid, item in data.items():
        if cid not in ids:
            raise f.error(f"unknown concept '{cid}' (see wordlists/_concepts/index.yml)", cid)
        item = expect_mapping(f, item, cid)
        check_keys(f, item, _EXAMPLE_KEYS, cid)
        out[cid] = {k: expect_phrases(f, item.get(k), cid, k) for k in _EXAMPLE_KEYS}
    return out


def phrases(concept: Concept, lang: str) -> Optional[int]:
    """How many phrases of ``lang`` the concept's groups hold, or None when an entry has none."""
    total = 0
    lang_g = lang_groups(lang)
    for alt in concept.groups:
        n = 0
        for g in alt:
            family, name = g.split(":", 1)
            n += len(lang_g.get(g, ())) if family == "lang" else len(family_data(family, lang)["terms"].get(name, ()))
        if n == 0:
            return None
        total += n
    info = langdata.get(lang)
    for key in concept.lang_lists:
        n = len(info.numbers) if key == "numbers" else len(info.words(key))
        if n == 0:
            return None
        total += n
    return total


def cell(concept: Concept, lang: str) -> tuple[bool, str]:
    n = phrases(concept, lang)
    ex = examples(lang).get(concept.id, {})
    flags, passes = len(ex.get("flag", ())), len(ex.get("pass", ()))
    problems = []
    if n is None:
        problems.append("no phrases")
    if not flags:
        problems.append("no flagged example")
    if not passes:
        problems.append("no near miss")
    if problems:
        return False, "✗ " + ", ".join(problems)
    return True, f"✓ {n} · {flags}/{passes}"


def markdown() -> str:
    lines = ["# Coverage: policy concepts × languages", "",
             "Generated from `wordlists/_concepts/` by `msglint coverage > docs/coverage.md`; do not edit by hand.",
             "A cell reads `✓ phrases · flagged/near-miss examples`: the number of phrases the concept's term",
             "groups (and language-file lists) hold in that language, and how many example texts must be",
             "flagged and must pass. Every example is checked by the test suite on the language's own",
             "marketplace and on a marketplace of another language.",
             "Plan-of-Action appeals (`--kind appeal`: AS, AV, AT rules) are not in this matrix: appeals go to",
             "Seller Performance in English, so their cue phrases (`wordlists/appeal/en.yml`) exist in English only;",
             "their examples are the rule fixtures and `tests/data/appeals_dev.jsonl`.", "",
             "| concept | category | rules | policy | " + " | ".join(LANGS) + " |",
             "|---|---|---|---|" + "---|" * len(LANGS)]
    for c in concepts():
        cells = [cell(c, lang)[1] for lang in LANGS]
        lines.append(f"| {c.id} — {c.title} | {c.category} | {', '.join(c.rules)} | {', '.join(c.policy)} | "
                     + " | ".join(cells) + " |")
    covered = sum(cell(c, lang)[0] for c in concepts() for lang in LANGS)
    lines += ["", f"{covered} of {len(concepts()) * len(LANGS)} cells covered.", ""]
    return "\n".join(lines)
