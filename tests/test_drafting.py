"""The template library: every scenario in every language renders, lints clean, fits its type's limit."""
import json
import re

import pytest
from click.testing import CliRunner
from jinja2.exceptions import SecurityError

from msglint.cli import main
from msglint.drafting import (LANG_MARKETPLACE, VariableError, catalogue, draft, environment, render,
                              resolve_values)

CAT = catalogue()
LANGS = ("en", "de", "fr", "es", "it", "ja")
NEW_SCENARIOS = (
    "order-in-transit", "cancel-after-shipment", "address-change-request", "returned-to-sender",
    "pickup-not-collected", "split-shipment", "keep-item-partial-refund-offer", "return-not-eligible",
    "return-arrived-damaged", "refund-before-return", "return-label-problem", "vat-invoice-business-details",
    "credit-note-after-refund", "statutory-guarantee-claim", "fba-order-amazon-handles", "pre-order-question",
    "decline-contact-request", "not-as-described", "counterfeit-complaint", "customs-import-fees",
    "digital-access-key", "reminder-no-answer")
# every scenario in every language on the language's marketplace, plus English on the UK marketplace
# (other carriers, pounds), Spanish on Mexico and French on Belgium
PAIRS = [(s.id, lang, LANG_MARKETPLACE[lang]) for s in CAT.scenarios for lang in CAT.languages]
PAIRS += [(s.id, lang, mp) for s in CAT.scenarios for lang, mp in (("en", "UK"), ("es", "MX"), ("fr", "BE"))]


def test_catalogue_has_52_scenarios_in_six_languages():
    assert len(CAT.scenarios) >= 52
    assert set(NEW_SCENARIOS) <= set(CAT.ids())
    for s in CAT.scenarios:
        assert set(s.languages) == set(LANGS), s.id
        assert s.title.get("en") and s.title.get("zh") and s.when.get("en") and s.when.get("zh"), s.id
        names = [v.name for v in s.variables]
        assert {"seller_name", "buyer_name"} <= set(names), s.id
        assert not s.variable("buyer_name").required and s.variable("seller_name").required
        if s.id == "pre-order-question":          # asked before any order exists
            assert "order_id" not in names and not s.needs_order
        else:
            assert s.variable("order_id").required, s.id
        for v in s.variables:
            assert v.example is not None, (s.id, v.name)
            for lang in LANGS:       # every example is valid for a draft in every language on its marketplace
                assert v.validate(v.example_for(lang), lang=lang) is not None, (s.id, v.name, lang)
            for key, _example in v.examples:
                assert key in s.languages or (v.type == "money" and key == "JPY"), (s.id, v.name, key)


@pytest.mark.parametrize("scenario_id,lang,marketplace", PAIRS, ids=[f"{a}-{b}-{c}" for a, b, c in PAIRS])
def test_every_template_renders_lints_clean_and_fits(get_linter, scenario_id, lang, marketplace):
    s = CAT.get(scenario_id)
    linter = get_linter(marketplace)
    all_values = s.examples(lang, marketplace)
    required_only = {v.name: (v.example_for(lang, marketplace) if v.required else "") for v in s.variables}
    variants = [all_values, required_only]
    for v in s.variables:          # every choice changes the text: each one must be clean too
        if v.type == "choice":
            variants += [{**all_values, v.name: c} for c in v.choices]
            variants += [{**required_only, v.name: c} for c in v.choices]
    for given in variants:
        d = draft(scenario_id, lang, given, linter, marketplace=marketplace)
        assert d.report.findings == (), [(f.code, f.text) for f in d.report.findings]
        assert d.problems == []
        assert len(d.text.rstrip()) <= s.limit
        assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#|#\}|None|\n\n\n| \n", d.text)
        assert d.values["seller_name"] in d.text
        if s.needs_order:
            assert d.values["order_id"] in d.text


def test_money_and_dates_follow_the_locale():
    assert environment("de", "DE").from_string("{{ '24.95' | money }}").render() == "24,95\xa0€"
    assert environment("ja", "JP").from_string("{{ '2480' | money }}").render() == "￥2,480"
    assert environment("fr", "FR").from_string("{{ '2026-12-05' | date }}").render() == "5 décembre 2026"
    assert environment("en", "UK").from_string("{{ '24.95' | money }}").render() == "£24.95"


def test_greeting_falls_back_when_the_name_is_unknown():
    s = CAT.get("partial-refund")
    values = resolve_values(s, {}, use_examples=True)
    values["buyer_name"] = None
    assert render(s, "en", values).startswith("Hello,\n")
    assert render(s, "ja", values).startswith("お客様")


@pytest.mark.parametrize("change,name,message", [
    ({"order_id": None}, "order_id", "is required"),
    ({"order_id": "12345"}, "order_id", "is not an Amazon order ID"),
    ({"refund_amount": "ten euros"}, "refund_amount", "is not an amount"),
    ({"colour": "red"}, "colour", "is not a variable of partial-refund"),
])
def test_missing_or_invalid_variables_are_named(change, name, message):
    s = CAT.get("partial-refund")
    values = {**s.examples(), **change}
    values = {k: v for k, v in values.items() if v is not None}
    with pytest.raises(VariableError) as err:
        resolve_values(s, values)
    assert err.value.name == name and message in str(err.value)


def test_sandbox_refuses_attribute_tricks():
    env = environment("en", "US")
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()
    with pytest.raises(Exception):
        env.from_string("{{ undefined_name }}").render()


def test_typed_values_are_linted_as_part_of_the_draft(get_linter):
    s = CAT.get("partial-refund")
    values = {**s.examples(), "reason": "call us on (415) 555-0171 or see www.myshop.com"}
    d = draft("partial-refund", "en", values, get_linter("US"))
    assert not d.ok
    assert {f.code for f in d.report.findings} >= {"CP001", "CU001"}
    f = next(f for f in d.report.findings if f.code == "CP001")
    assert d.text[f.start:f.end] == "(415) 555-0171"


# --- CLI ---------------------------------------------------------------------------------------


def test_templates_list_json():
    result = CliRunner().invoke(main, ["templates", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) >= 52
    assert set(rows[0]) == {"id", "title", "message_type", "unprompted", "languages", "variables"}
    assert all(len(r["languages"]) == 6 for r in rows)


def test_templates_show():
    result = CliRunner().invoke(main, ["templates", "show", "review-request", "--lang", "de"])
    assert result.exit_code == 0
    assert "message type: solicitation" in result.stdout
    assert "--- de/review-request.txt.j2 ---" in result.stdout
    bad = CliRunner().invoke(main, ["templates", "show", "nope"])
    assert bad.exit_code == 2 and "unknown scenario" in bad.stderr


def test_draft_non_interactive_exit_0_with_text_on_stdout():
    result = CliRunner().invoke(main, ["draft", "damaged-photo-request", "--lang", "en", "--sample",
                                       "--set", "buyer_name=Melissa", "--set", "order_id=113-5529107-3341628"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Hello Melissa,")
    assert "113-5529107-3341628" in result.stdout
    assert result.stderr == ""


def test_draft_exit_1_when_a_typed_value_breaks_the_rules():
    result = CliRunner().invoke(main, ["draft", "partial-refund", "--lang", "en", "--sample",
                                       "--set", "reason=you can email help@shop.com"])
    assert result.exit_code == 1
    assert "CE001 [error]" in result.stderr


def test_draft_exit_2_names_the_variable():
    result = CliRunner().invoke(main, ["draft", "partial-refund", "--lang", "en", "--set", "order_id=1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("msglint: error: variable order_id:")


def test_draft_output_is_atomic_and_never_overwrites_without_force(tmp_path):
    out = tmp_path / "reply.txt"
    args = ["draft", "invoice-sent", "--lang", "it", "--sample", "--output", str(out)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and out.read_text("utf-8").startswith("Gentile")
    out.write_text("my own notes", encoding="utf-8")
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 2 and "use --force" in second.stderr
    assert out.read_text("utf-8") == "my own notes"
    third = CliRunner().invoke(main, args + ["--force"])
    assert third.exit_code == 0 and out.read_text("utf-8").startswith("Gentile")
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]  # no temporary file left behind
