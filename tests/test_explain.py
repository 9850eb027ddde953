"""Explanations in English and Simplified Chinese: every rule, variable, scenario reason and UI text.

What "translated" means here, so that a missing or half-done text fails:
- the text exists and is not empty;
- a message template uses exactly the English template's {placeholders};
- every example the English documentation quotes ("..." or ``...``) appears verbatim in the
  Chinese documentation (examples stay in the language of the example text);
- every section of the English docstring (What it flags, Why, Examples, ...) has its Chinese
  heading, and each line of a Chinese text is mostly Chinese once quotations are taken out;
- no leftover English sentence: outside quotations, no run of three or more Latin words that
  includes an English function word ("the", "to", "your", ...). Proper names such as "Seller
  Central" or "FTC Green Guides" pass; "Remove the link" does not.
"""
import re

import pytest
import yaml

from msglint import explain
from msglint.drafting import appeal_catalogue, catalogue, find_scenario
from msglint.resources import templates_dir
from msglint.ruledocs import all_rules

RULES = all_rules()
ZH = explain.catalog("zh")
EN = explain.catalog("en")

_QUOTED = [re.compile(p) for p in (r"``.*?``", r'"[^"]*"', r"“[^”]*”", r"「[^」]*」", r"'[^']*'",
                                    r"\{[^{}]*\}")]
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*){2,}")
_FUNCTION_WORDS = {"the", "a", "an", "to", "of", "and", "is", "are", "for", "with", "your", "you", "in", "on",
                   "it", "be", "this", "that", "not", "we", "or", "as", "by", "at", "from", "if", "no", "can",
                   "must", "should", "may", "do", "does", "has", "have", "will", "only", "when", "which"}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _unquoted(text: str) -> str:
    for pattern in _QUOTED:
        text = pattern.sub(" ", text)
    return text


def english_leftovers(text: str) -> list:
    """Runs of English words outside quotations that read as a sentence, not a name."""
    out = []
    for m in _LATIN_RUN.finditer(_unquoted(text)):
        words = {w.lower() for w in m.group().split()}
        if words & _FUNCTION_WORDS:
            out.append(m.group())
    return out


def assert_chinese(text: str, where: str, share: float = 0.3) -> None:
    assert text and text.strip(), f"{where}: empty"
    assert not english_leftovers(text), f"{where}: English left in {english_leftovers(text)}"
    plain = _unquoted(text)
    han, latin = len(_HAN.findall(plain)), len(_LATIN.findall(plain))
    # mostly Chinese; a list of names (WhatsApp, WeChat, LINE ...) may outweigh a real explanation of 20+ characters
    assert han >= 2 and (han >= share * (han + latin) or han >= 20), \
        f"{where}: not mostly Chinese ({han} Han, {latin} Latin)"


def _flat(text: str) -> str:
    """One line: a line break inside Japanese or Chinese text joins without a space."""
    text = re.sub(r"(?<=[\u3040-\u9fff])\s*\n\s*(?=[\u3040-\u9fff])", "", text)
    return " ".join(text.split())


def _quotations(text: str) -> list:
    flat = _flat(text)
    code = re.findall(r"``.*?``", flat)
    rest = re.sub(r"``.*?``", " ", flat)
    return code + re.findall(r'"[^"]*"', rest)


def test_the_leftover_check_itself():
    assert english_leftovers("删除链接：Remove the link.") == ["Remove the link"]
    assert english_leftovers("进入卖家平台（Seller Central）的 FTC Green Guides 页面") == []
    assert english_leftovers('会报告 "Email us at service@mybrand.com"') == []
    with pytest.raises(AssertionError):
        assert_chinese("Remove the link '{url}': links to other sites are not allowed.", "msg")


# --------------------------------------------------------------------------- rules

def test_every_rule_has_chinese_texts_and_no_stray_entries():
    codes = {r.code for r in RULES}
    assert set(ZH["rules"]) == codes, (sorted(codes - set(ZH["rules"])), sorted(set(ZH["rules"]) - codes))
    for code, entry in ZH["rules"].items():
        assert set(entry) == {"summary", "message", "doc", "fix"}, code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_explained_in_chinese(rule):
    entry = ZH["rules"][rule.code]
    # message: the same placeholders, filled the same way, and Chinese around them
    assert explain.placeholders(entry["message"]) == explain.placeholders(rule.message), rule.code
    assert_chinese(entry["message"], f"{rule.code} message")
    params = {name: f"<{name}>" for name in explain.placeholders(rule.message)}
    zh_message = explain.message(rule, params, "zh")
    for value in params.values():
        assert value in zh_message
    assert explain.message(rule, params, "en") == rule.message.format(**params)
    # summary, fix hint, documentation
    assert_chinese(explain.summary(rule, "zh"), f"{rule.code} summary")
    assert "\n" not in explain.summary(rule, "zh")
    assert_chinese(explain.fix_hint(rule, "zh"), f"{rule.code} fix")
    assert explain.fix_hint(rule, "en"), f"{rule.code}: the English docstring has no Fix: section"
    doc = explain.documentation(rule, "zh")
    assert doc.startswith(explain.summary(rule, "zh") + "\n\n")
    for line in doc.splitlines()[2:]:
        assert_chinese(line, f"{rule.code} doc line {line[:20]!r}", share=0.2)
    # every section of the English docstring has its Chinese counterpart, and no other
    english = rule.documentation
    for section, heading in explain.SECTIONS.items():
        in_english = re.search(rf"^{section}:", english, re.MULTILINE) is not None
        in_chinese = re.search(rf"^{heading}：", doc, re.MULTILINE) is not None
        assert in_english == in_chinese, f"{rule.code}: section {section!r} / {heading}"
    # examples stay in their own language, verbatim
    chinese = _flat(explain.summary(rule, "zh") + "\n" + doc)
    missing = [q for q in _quotations(english) if q not in chinese]
    assert not missing, f"{rule.code}: examples not kept verbatim: {missing}"


def test_message_values_are_translated():
    """Values a detector puts into a message (language names, "a street address") read Chinese too."""
    from msglint import Linter
    linter = Linter(marketplace="DE", explain_lang="zh")
    lg003 = [f for f in linter.check("Thank you for your order, the replacement ships today and arrives on "
                                     "Friday with tracking.").findings if f.code == "LG003"]
    assert lg003 and lg003[0].message.startswith("这段文字看起来是英语")
    assert "德语" in lg003[0].message
    bd004 = Linter(marketplace="US", explain_lang="zh").check(
        "Sorry, your parcel went to Jane Roe at 12 Oak St, Apt 3, Dayton, OH by mistake.")
    (finding,) = [f for f in bd004.findings if f.code == "BD004"]
    assert "姓名和街道地址" in finding.message and not english_leftovers(finding.message)
    html = Linter(marketplace="US", explain_lang="zh").check("Thanks <!-- internal note --> for writing.")
    (comment,) = [f for f in html.findings if f.code == "FM002"]
    assert "HTML 注释" in comment.message


def test_english_messages_are_unchanged():
    from msglint import Linter
    (finding,) = Linter().check("Email me at help@shop.com").findings
    assert finding.message == ("Remove the e-mail address 'help@shop.com': buyers must be contacted only "
                               "through Buyer-Seller Messaging.")
    (zh,) = Linter().check("Email me at help@shop.com", explain_lang="zh").findings
    assert zh.message == "删除电子邮箱地址“help@shop.com”：只能通过买家与卖家消息服务联系买家。"
    assert (zh.start, zh.end, zh.code) == (finding.start, finding.end, finding.code)
    with pytest.raises(ValueError):
        Linter(explain_lang="fr")


# --------------------------------------------------------------------------- UI, variables, reasons

def test_ui_texts_exist_in_both_languages_with_the_same_placeholders():
    assert set(ZH["ui"]) == set(EN["ui"])
    for key, english in EN["ui"].items():
        assert explain.placeholders(ZH["ui"][key]) == explain.placeholders(english), key
        if not re.search(r"[^\W\d_]", re.sub(r"\{[^{}]*\}", "", english)):
            continue  # only placeholders and punctuation, e.g. "{name} ({type}, {need}{hint}){choices}"
        assert_chinese(ZH["ui"][key], f"ui.{key}", share=0.2)
    assert set(ZH["types"]) == set(EN["types"])
    for key, english in (ZH.get("invalid") or {}).items():
        assert_chinese(english, f"invalid.{key}")
        assert explain.placeholders(english) <= {"name", "value", "choices", "min", "max"}


def _catalogue_variables():
    return [(s.id, v) for cat in (catalogue(), appeal_catalogue()) for s in cat.scenarios for v in s.variables]


def test_every_catalogue_variable_has_help_in_both_languages():
    pairs = _catalogue_variables()
    assert len(pairs) > 100
    for scenario_id, var in pairs:
        zh = explain.variable_help(var.name, "zh", scenario_id, var.help)
        en = explain.variable_help(var.name, "en", scenario_id, var.help)
        assert en, f"{scenario_id}.{var.name}: no English help"
        assert_chinese(zh, f"{scenario_id}.{var.name}")
        if var.help:
            assert en == var.help
    names = {v.name for _, v in pairs}
    assert names <= set(ZH["variables"]) and names <= set(EN["variables"])
    ids = {s.id for s in catalogue().scenarios} | {s.id for s in appeal_catalogue().scenarios}
    for scenario_id, overrides in ZH["variables_in"].items():
        assert scenario_id in ids, scenario_id
        scenario = find_scenario(scenario_id)
        assert set(overrides) <= {v.name for v in scenario.variables}, scenario_id


# the scenarios issue 12 adds to the catalogue; their reasons are written ahead of the templates
NEW_SCENARIOS = ("order-in-transit", "cancel-after-shipment", "address-change-request", "returned-to-sender",
                 "pickup-not-collected", "split-shipment", "keep-item-partial-refund-offer", "return-not-eligible",
                 "return-arrived-damaged", "refund-before-return", "return-label-problem",
                 "vat-invoice-business-details", "credit-note-after-refund", "statutory-guarantee-claim",
                 "fba-order-amazon-handles", "pre-order-question", "decline-contact-request", "not-as-described",
                 "counterfeit-complaint", "customs-import-fees", "digital-access-key", "reminder-no-answer")


def test_every_scenario_reason_exists_in_chinese():
    cues = yaml.safe_load((templates_dir() / "suggest_cues.yaml").read_text("utf-8"))
    scenario_ids = set(cues["scenarios"]) | set(NEW_SCENARIOS) | {s.id for s in catalogue().scenarios}
    assert scenario_ids <= set(ZH["suggest"]), sorted(scenario_ids - set(ZH["suggest"]))
    for sid in scenario_ids:
        assert_chinese(ZH["suggest"][sid], f"suggest.{sid}")


def test_suggest_reason_keeps_the_buyers_words():
    from msglint.suggest import suggest
    (best, *_) = suggest("My lamp arrived broken, the glass is cracked.", lang="en")
    zh = explain.suggest_reason(best.scenario_id, best.reason, "zh")
    assert zh.startswith(ZH["suggest"][best.scenario_id] + "（'")
    for cue in re.findall(r"'[^']+'", best.reason):
        assert cue in zh
    assert explain.suggest_reason(best.scenario_id, best.reason, "en") == best.reason


# --------------------------------------------------------------------------- choosing the language

@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),      # LC_ALL wins
    ({"LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
])
def test_locale_picks_the_language(environ, expected):
    assert explain.locale_lang(environ) == expected
    assert explain.choose(None, None, environ) == expected


def test_command_line_beats_configuration_beats_locale():
    zh_env = {"LANG": "zh_CN.UTF-8"}
    assert explain.choose("en", "zh", zh_env) == "en"
    assert explain.choose(None, "en", zh_env) == "en"
    assert explain.choose(None, None, zh_env) == "zh"
    with pytest.raises(ValueError):
        explain.choose("jp", None, zh_env)
