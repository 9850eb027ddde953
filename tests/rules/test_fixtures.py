"""One fixture file per rule: texts that must be flagged (with exact spans) and texts that must pass."""
from pathlib import Path

import pytest
import yaml

from msglint.rules import ALL_RULES, RULES_BY_CODE

FIXTURES = Path(__file__).parent / "fixtures"


def _load():
    cases = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        code = data["rule"]
        for i, case in enumerate(data.get("flag", [])):
            cases.append(pytest.param(code, "flag", case, id=f"{code}-flag-{i}"))
        for i, case in enumerate(data.get("pass", [])):
            cases.append(pytest.param(code, "pass", case, id=f"{code}-pass-{i}"))
    return cases


def _expected_spans(text, case):
    spans = []
    for item in case["match"]:
        at = text.index(item)
        spans.append((at, at + len(item)))
    return spans


@pytest.mark.parametrize("code,mode,case", _load())
def test_rule_fixture(get_linter, code, mode, case):
    rule = RULES_BY_CODE[code]
    linter = get_linter(case.get("marketplace", "US"))
    kind = case.get("kind", sorted(rule.kinds)[0] if "message" not in rule.kinds else "message")
    report = linter.check(case["text"], kind=kind, field=case.get("field"), brands=case.get("brands", ()))
    found = [f for f in report.findings if f.code == code]
    if mode == "flag":
        assert sorted((f.start, f.end) for f in found) == sorted(_expected_spans(case["text"], case)), found
        for f in found:
            assert case["text"][f.start:f.end] == f.text
            assert f.category == rule.category
        if "severity" in case:
            assert {f.severity.value for f in found} == {case["severity"]}
    else:
        assert found == [], found


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    fixture_codes = {p.stem for p in FIXTURES.glob("*.yml")}
    rule_codes = {r.code for r in ALL_RULES}
    assert rule_codes - fixture_codes == set(), "rules without a fixture file"
    assert fixture_codes - rule_codes == set(), "fixture files without a rule"


def test_every_fixture_flags_and_passes_something():
    for path in FIXTURES.glob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert data["rule"] == path.stem
        assert data.get("flag"), f"{path.name} has no texts to flag"
        assert data.get("pass"), f"{path.name} has no texts that must pass"
