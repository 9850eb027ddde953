"""The coverage matrix: every policy concept in every language, flagged on any marketplace."""
from pathlib import Path

import pytest

from msglint.coverage import ABROAD, HOME, LANGS, cell, concepts, examples, markdown

REPO = Path(__file__).resolve().parent.parent


def test_docs_coverage_md_is_generated_from_the_data():
    assert (REPO / "docs" / "coverage.md").read_text("utf-8") == markdown(), \
        "docs/coverage.md is stale: msglint coverage > docs/coverage.md"


@pytest.mark.parametrize("lang", LANGS)
def test_every_concept_is_covered_in_every_language(lang):
    empty = {c.id: cell(c, lang)[1] for c in concepts() if not cell(c, lang)[0]}
    assert not empty, f"{lang}: {empty}"


def _cases():
    for c in concepts():
        for lang in LANGS:
            ex = examples(lang).get(c.id, {})
            for i, text in enumerate(ex.get("flag", ())):
                yield pytest.param(c, lang, "flag", text, id=f"{c.id}-{lang}-flag-{i}")
            for i, text in enumerate(ex.get("pass", ())):
                yield pytest.param(c, lang, "pass", text, id=f"{c.id}-{lang}-pass-{i}")


@pytest.mark.parametrize("concept, lang, mode, text", list(_cases()))
def test_concept_example(get_linter, concept, lang, mode, text):
    for marketplace in (HOME[lang], ABROAD[lang]):
        report = get_linter(marketplace).check(text, kind=concept.kind, field=concept.field)
        found = [f for f in report.findings if f.code in concept.rules and f.severity.value in ("error", "warning")]
        if mode == "flag":
            assert found, f"{concept.id} ({', '.join(concept.rules)}) not flagged on {marketplace}: {text!r}"
            assert all(f.category for f in found)
        else:
            assert not found, f"{concept.id}: near miss flagged on {marketplace}: {[(f.code, f.text) for f in found]}"
