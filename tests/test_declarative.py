"""Rules written as data: the schema check names the file and line of every mistake."""
from pathlib import Path

import pytest

from msglint.datafile import DataError, load
from msglint.declarative import load_rules
from msglint.rules import RULES_BY_CODE

GOOD = """\
rules:
  - code: RM097
    name: test-rule
    category: review.manipulation
    kinds: [message]
    severity: error
    message: "Remove '{text}'."
    doc: |
      A test rule.
    detect:
      - find: [review:reminder]
        near: [review:review_noun]
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rules.yml"
    p.write_text(text, "utf-8")
    load.cache_clear()
    return p


def test_a_valid_file_compiles_to_rules(tmp_path, get_linter):
    (rule,) = load_rules(_write(tmp_path, GOOD))
    assert (rule.code, rule.category, rule.severity.value) == ("RM097", "review.manipulation", "error")
    ctx = get_linter("US").context("Friendly reminder: we would still love your review!")
    hits = list(rule.detector(ctx))
    assert [(ctx.text[h.start:h.end]) for h in hits] == ["Friendly reminder"]


@pytest.mark.parametrize("change, message", [
    (("find: [review:reminder]", "find: [review:no_such_group]"),
     "rules.yml:11: 'rules.0.detect.0.find': no term list has the group 'review:no_such_group'"),
    (("category: review.manipulation", "category: review.whatever"),
     "rules.yml:4: unknown category 'review.whatever' (see TAXONOMY.md)"),
    (("severity: error", "severity: fatal"),
     "rules.yml:6: 'rules.0.severity' must be error, warning or info, not 'fatal'"),
    (("        near:", "        nearby:"),
     "rules.yml:12: unknown key 'rules.0.detect.0.nearby'"),
    (("code: RM097", "code: RM97"),
     "rules.yml:2: 'code' 'RM97' must be two letters and three digits"),
    (("kinds: [message]", "kinds: [email]"),
     "rules.yml:5: 'kinds' must be some of message, listing, appeal"),
])
def test_mistakes_name_file_and_line(tmp_path, change, message):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(DataError) as exc:
        load_rules(path)
    assert str(exc.value).startswith(f"{tmp_path}/{message}")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("    kinds: [message]", "    kinds: [message"))
    with pytest.raises(DataError, match=r"rules\.yml:\d+: not valid YAML"):
        load_rules(path)


def test_data_rules_take_their_place_among_the_python_rules():
    assert RULES_BY_CODE["RM007"].detector.__doc__.startswith("Asking the buyer to get friends")
    codes = list(RULES_BY_CODE)
    assert codes.index("RM006") < codes.index("RM007") < codes.index("RM008") < codes.index("MK001")
