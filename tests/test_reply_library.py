"""Reply library v2 (issue 12): values kept as typed, whole-yen amounts, first-of-month ordinals,
carriers per marketplace, message types, and the wording fixes, each checked on a real draft."""
import re
import unicodedata
from datetime import date

import pytest
import yaml
from click.testing import CliRunner

from msglint import drafting
from msglint.cli import main
from msglint.drafting import (LANG_MARKETPLACE, CatalogueError, VariableError, catalogue, draft, environment,
                              format_long_date, render, resolve_values)

CAT = catalogue()
LANGS = ("en", "de", "fr", "es", "it", "ja")


def _draft(get_linter, scenario_id, lang, marketplace=None, **values):
    mp = marketplace or LANG_MARKETPLACE[lang]
    return draft(scenario_id, lang, values, get_linter(mp), marketplace=mp, use_examples=True)


# --------------------------------------------------------------------------- values kept as typed

ENGRAVINGS = [
    "ケンタ＆ミサキ　Ⅱ（2026.06.12）①",       # fullwidth ampersand, ideographic space, roman numeral, fullwidth brackets, circled digit
    "ﬁne ﬂour ﬁ",                          # ligatures
    "12 m²",                                 # superscript
    "3.º B",                                 # ordinal indicator
    "Anna ＆ Marco ⑫ ½ ™",
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("engraving", ENGRAVINGS)
def test_customisation_text_reaches_the_draft_byte_identical(get_linter, lang, engraving):
    assert unicodedata.normalize("NFKC", engraving) != engraving   # NFKC would have changed it
    d = _draft(get_linter, "customization-confirm", lang, custom_text=engraving)
    assert d.values["custom_text"] == engraving
    assert engraving.encode("utf-8") in d.text.encode("utf-8")
    if lang == "ja" or not re.search(r"[\u3040-\u30ff]", engraving):   # kana in a European draft is a
        assert d.ok and d.report.findings == ()                      # script warning, rightly


def test_free_text_gets_canonical_composition_only():
    var = CAT.get("customization-confirm").variable("custom_text")
    assert var.validate("Rene\u0301e") == "Renée"                        # NFC: one code point for é
    assert var.validate("（水温30度以下）") == "（水温30度以下）"              # fullwidth brackets stay
    assert var.validate("  ＡＢＣ　") == "ＡＢＣ　"                          # only ASCII spaces are trimmed
    with pytest.raises(VariableError, match="control character U\\+0007"):
        var.validate("Anna\x07")


def test_japanese_example_answer_keeps_its_fullwidth_brackets(get_linter):
    d = _draft(get_linter, "product-question-answer", "ja")
    assert "（水温30度以下）" in d.text


def test_parsed_values_are_normalised(get_linter):
    s = CAT.get("wrong-item")
    values = resolve_values(s, {**s.examples("ja", "JP"), "order_id": "５０３－１１８２７３６－４４５９１０２",
                                "send_by": "２０２６/１２/０４", "tracking_number": ""}, lang="ja", marketplace="JP")
    assert values["order_id"] == "503-1182736-4459102"
    assert values["send_by"] == "2026-12-04"


# --------------------------------------------------------------------------- money

@pytest.mark.parametrize("typed", ["1980.50", "1,980.5", "1.980,50", "￥1980.50"])
def test_yen_amounts_with_decimals_are_refused_naming_the_variable(typed):
    s = CAT.get("refund-no-return")
    with pytest.raises(VariableError) as err:
        resolve_values(s, {**s.examples("ja", "JP"), "refund_amount": typed}, lang="ja", marketplace="JP")
    assert err.value.name == "refund_amount"
    assert "JPY amounts are whole numbers" in str(err.value) and str(err.value).startswith("refund_amount:")


@pytest.mark.parametrize("typed,expected", [("1980", "￥1,980"), ("1,980", "￥1,980"), ("１９８０", "￥1,980"),
                                            ("¥1,980", "￥1,980"), ("1980円", "￥1,980")])
def test_yen_amounts_render_as_whole_yen(typed, expected):
    s = CAT.get("refund-no-return")
    values = resolve_values(s, {**s.examples("ja", "JP"), "refund_amount": typed}, lang="ja", marketplace="JP")
    assert expected in render(s, "ja", values, "JP")


@pytest.mark.parametrize("typed,amount", [("24,95", "24.95"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50"),
                                          ("€ 24.95", "24.95"), ("24.9", "24.9"), ("1.234.567", "1234567"),
                                          ("1 234,50", "1234.50")])
def test_euro_amounts_in_every_usual_spelling(typed, amount):
    var = CAT.get("refund-no-return").variable("refund_amount")
    assert var.validate(typed, lang="de", marketplace="DE") == amount


@pytest.mark.parametrize("typed,message", [("24.955", "is ambiguous: write 24955 or 24.95"),
                                           ("1,234", "is ambiguous: write 1234 or 1.23"),
                                           ("24.9551", "more than 2 decimals for EUR"),
                                           ("1,23.45", "is not an amount"), ("-5", "is not an amount"),
                                           ("ten euros", "is not an amount")])
def test_unclear_amounts_are_refused_not_guessed(typed, message):
    var = CAT.get("refund-no-return").variable("refund_amount")
    with pytest.raises(VariableError, match=message):
        var.validate(typed, lang="de", marketplace="DE")


def test_cli_refuses_yen_decimals_with_exit_2():
    result = CliRunner().invoke(main, ["draft", "refund-no-return", "--lang", "ja", "--sample",
                                       "--set", "refund_amount=1980.50"])
    assert result.exit_code == 2
    assert result.stderr.startswith("msglint: error: variable refund_amount: '1980.50' has decimals")
    assert result.stdout == ""


MONEY_SCENARIOS = [s.id for s in CAT.scenarios if any(v.type == "money" for v in s.variables)]


@pytest.mark.parametrize("scenario_id", MONEY_SCENARIOS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_yen_examples_are_sized_for_japan(get_linter, scenario_id, lang):
    s = CAT.get(scenario_id)
    for var in (v for v in s.variables if v.type == "money"):
        example = var.example_for(lang, "JP")
        assert re.fullmatch(r"\d+", example) and int(example) >= 500, (scenario_id, var.name, example)
    d = draft(scenario_id, lang, {}, get_linter("JP"), marketplace="JP", use_examples=True)
    amounts = [int(a.replace(",", "")) for a in re.findall(r"[￥¥]([\d,]+)", d.text)]
    assert amounts and min(amounts) >= 500 and not re.search(r"[￥¥][\d,]+\.\d", d.text)
    # an English reply to a buyer on Amazon.co.jp: only the language-of-preference warning may remain
    assert {f.code for f in d.report.findings} <= {"LG003"}


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("locale,first,second", [
    ("fr_FR", "1er décembre 2026", "2 décembre 2026"),
    ("fr_BE", "1er décembre 2026", "2 décembre 2026"),
    ("fr_CA", "1er décembre 2026", "2 décembre 2026"),
    ("it_IT", "1° dicembre 2026", "2 dicembre 2026"),
    ("de_DE", "1. Dezember 2026", "2. Dezember 2026"),       # already an ordinal for every day
    ("es_ES", "1 de diciembre de 2026", "2 de diciembre de 2026"),   # Spanish writes the 1st as a cardinal
    ("en_US", "December 1, 2026", "December 2, 2026"),
    ("en_GB", "1 December 2026", "2 December 2026"),
    ("ja_JP", "2026年12月1日", "2026年12月2日"),
])
def test_first_of_month_is_written_as_each_language_writes_it(locale, first, second):
    assert format_long_date(date(2026, 12, 1), locale) == first
    assert format_long_date(date(2026, 12, 2), locale) == second


def test_ordinal_first_in_rendered_drafts():
    s = CAT.get("warranty-info")          # cover ends on 2028-12-01
    fr = render(s, "fr", resolve_values(s, {}, use_examples=True, lang="fr", marketplace="FR"), "FR")
    it = render(s, "it", resolve_values(s, {}, use_examples=True, lang="it", marketplace="IT"), "IT")
    assert "au 1er décembre 2028" in fr and "1 décembre" not in fr
    assert "al giorno 1° dicembre 2028" in it and "1 dicembre" not in it
    assert environment("fr", "FR").from_string("{{ '2027-01-01' | date }}").render() == "1er janvier 2027"


# --------------------------------------------------------------------------- carriers per marketplace

def test_japanese_drafts_name_japanese_carriers_in_japanese(get_linter):
    d = _draft(get_linter, "order-in-transit", "ja", carrier="Yamato")
    assert "ヤマト運輸" in d.text and "Yamato" not in d.text
    for typed, written in (("japan post", "日本郵便"), ("ゆうパック", "日本郵便"), ("Sagawa", "佐川急便")):
        assert _draft(get_linter, "order-in-transit", "ja", carrier=typed).values["carrier"] == written
    en = draft("order-in-transit", "en", {"carrier": "ヤマト運輸"}, get_linter("JP"), marketplace="JP", use_examples=True)
    assert en.values["carrier"] == "Yamato Transport"


def test_every_japanese_sample_uses_a_japanese_carrier(get_linter):
    for s in CAT.scenarios:
        if s.variable("carrier") is None:
            continue
        d = _draft(get_linter, s.id, "ja")
        assert d.values["carrier"] in {"ヤマト運輸", "日本郵便", "佐川急便", "西濃運輸", "福山通運"}, s.id
        assert not re.search(r"Yamato|Japan Post|Sagawa", d.text), s.id


def test_a_carrier_that_does_not_deliver_on_the_marketplace_is_refused():
    var = CAT.get("order-in-transit").variable("carrier")
    with pytest.raises(VariableError) as err:
        var.validate("Colissimo", lang="de", marketplace="DE")
    assert err.value.name == "carrier"
    assert "not a carrier on the DE marketplace" in str(err.value) and "DHL" in str(err.value)
    assert var.validate("Hermes", lang="en", marketplace="UK") == "Evri"     # renamed in the UK
    assert var.validate("hermes", lang="de", marketplace="DE") == "Hermes"
    assert var.validate("Canada Post", lang="fr", marketplace="CA") == "Postes Canada"
    result = CliRunner().invoke(main, ["draft", "order-in-transit", "--lang", "fr", "--sample", "--set", "carrier=USPS"])
    assert result.exit_code == 2 and "variable carrier: 'USPS' is not a carrier on the FR marketplace" in result.stderr


def test_catalogue_lists_carriers_for_every_marketplace():
    from msglint.marketplaces import MARKETPLACES
    for code in MARKETPLACES:
        assert CAT.carriers_for(code), code
    assert [c.name_for("ja") for c in CAT.carriers_for("JP")][:3] == ["ヤマト運輸", "日本郵便", "佐川急便"]


# --------------------------------------------------------------------------- message types

def test_feedback_note_has_its_own_type_and_unprompted_messages_are_no_replies():
    assert CAT.get("feedback-update-note").message_type == "feedbackNote"
    assert [s.id for s in CAT.scenarios if s.message_type == "feedbackNote"] == ["feedback-update-note"]
    for sid in ("a-to-z-claim", "chargeback", "missing-parts", "feedback-update-note"):
        assert CAT.get(sid).unprompted, sid
        assert CAT.get(sid).message_type != "reply", sid
    assert all(s.message_type != "reply" for s in CAT.scenarios if s.unprompted)
    assert CAT.get("digital-access-key").message_type == "digitalAccessKey"
    assert CAT.get("digital-access-key").limit == 400
    assert not CAT.get("order-in-transit").unprompted


def test_an_unprompted_reply_is_a_catalogue_error(tmp_path, monkeypatch):
    data = yaml.safe_load((drafting.templates_dir() / "catalogue.yaml").read_text("utf-8"))
    data["scenarios"] = [dict(data["scenarios"][0], unprompted=True, message_type="reply")]
    (tmp_path / "catalogue.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    monkeypatch.setattr(drafting, "templates_dir", lambda: tmp_path)
    drafting.catalogue.cache_clear()
    try:
        with pytest.raises(CatalogueError, match="usually sent unprompted cannot have the message type 'reply'"):
            drafting.catalogue()
    finally:
        monkeypatch.undo()
        drafting.catalogue.cache_clear()
    assert len(drafting.catalogue().scenarios) == len(CAT.scenarios)


def test_pre_order_question_needs_no_order_id(get_linter):
    d = _draft(get_linter, "pre-order-question", "en", product="Velvet armchair cover")
    assert d.ok and "order" not in d.text.lower()
    result = CliRunner().invoke(main, ["draft", "pre-order-question", "--lang", "de", "--sample"])
    assert result.exit_code == 0 and "Bestellung" not in result.stdout
    bad = CliRunner().invoke(main, ["draft", "pre-order-question", "--lang", "en", "--sample",
                                    "--set", "order_id=112-8830174-2265019"])
    assert bad.exit_code == 2 and "order_id: is not a variable of pre-order-question" in bad.stderr


# --------------------------------------------------------------------------- wording and content fixes

@pytest.mark.parametrize("lang,thread,direct", [
    ("en", "through this message thread", "directly"),
    ("de", "über diesen Nachrichtenverlauf", "direkt"),
    ("fr", "par le biais de cette conversation", "directement"),
    ("es", "a través de esta conversación", "directamente"),
    ("it", "attraverso questa conversazione", "direttamente"),
    ("ja", "本メッセージでのやり取りを通じて", "直接"),
])
def test_chargeback_reply_keeps_the_conversation_in_the_thread(get_linter, lang, thread, direct):
    text = _draft(get_linter, "chargeback", lang).text
    assert thread in text and direct not in text


def test_japanese_invoice_is_a_receipt_or_qualified_invoice(get_linter):
    text = _draft(get_linter, "invoice-sent", "ja").text
    assert "領収書（適格請求書）" in text
    assert "請求書" not in text.replace("適格請求書", "")          # never a bill for a paid order


@pytest.mark.parametrize("lang,term", [("es", "factura rectificativa"), ("fr", "facture rectificative"),
                                       ("it", "nota di credito e una nuova fattura"), ("de", "korrigierte Rechnung"),
                                       ("en", "corrected invoice")])
def test_corrected_invoice_terms(get_linter, lang, term):
    assert term in _draft(get_linter, "invoice-sent", lang).text


@pytest.mark.parametrize("lang,term", [("de", "Rechnungskorrektur"), ("fr", "facture d'avoir"),
                                       ("es", "factura rectificativa"), ("it", "nota di credito"),
                                       ("ja", "適格返還請求書"), ("en", "credit note")])
def test_credit_note_terms(get_linter, lang, term):
    assert term in _draft(get_linter, "credit-note-after-refund", lang).text


def test_italian_product_names_are_quoted(get_linter):
    for s in CAT.scenarios:
        if s.variable("product") is None:
            continue
        d = _draft(get_linter, s.id, "it")
        product = d.values["product"]
        unquoted = [m.start() for m in re.finditer(re.escape(product), d.text)
                    if d.text[m.start() - 1] not in "«(" and not d.text[:m.start()].endswith(": ")]
        assert not unquoted, (s.id, d.text)


def test_japanese_sentences_do_not_repeat_themselves(get_linter):
    delay = _draft(get_linter, "shipping-delay", "ja").text
    assert delay.count("遅れ") + delay.count("遅延") <= 1
    for sid in ("partial-refund", "a-to-z-claim", "refund-not-showing"):
        text = _draft(get_linter, sid, "ja").text
        for sentence in re.split(r"[。\n]", text):
            assert sentence.count("返金") <= 1, (sid, sentence)


@pytest.mark.parametrize("lang,sentence", [
    ("es", "garantía legal, que es de tres años desde la entrega"),
    ("it", "garanzia legale di conformità prevista dal Codice del Consumo, valida due anni dalla consegna"),
    ("de", "gesetzlichen Gewährleistungsrechte"),
    ("fr", "garantie légale de conformité"),
    ("en", "statutory rights"),
])
def test_warranty_texts_keep_the_statutory_guarantee(get_linter, lang, sentence):
    assert sentence in _draft(get_linter, "warranty-info", lang).text


def test_spanish_troubleshooting_names_the_three_year_legal_guarantee(get_linter):
    text = _draft(get_linter, "defective-troubleshooting", "es").text
    assert "garantía legal (tres años desde la entrega)" in text
    assert "garantía comercial de 24 meses" in text
    without = _draft(get_linter, "defective-troubleshooting", "es", warranty_months="").text
    assert "garantía legal (tres años desde la entrega)." in without and "24 meses" not in without


@pytest.mark.parametrize("lang", LANGS)
def test_statutory_guarantee_claim_offers_repair_replacement_or_refund(get_linter, lang):
    d = _draft(get_linter, "statutory-guarantee-claim", lang)
    assert d.ok and d.values["fault"] in d.text


def test_delay_of_a_shipped_parcel_does_not_promise_to_ship_it(get_linter):
    shipped = _draft(get_linter, "shipping-delay", "en", carrier="UPS").text
    assert "already on its way with UPS" in shipped and "ship it" not in shipped and "cancel" not in shipped
    assert "refuse the parcel" in shipped
    waiting = _draft(get_linter, "shipping-delay", "en", carrier="").text
    assert "cancel the order and refund you in full" in waiting and "on its way" not in waiting


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_item_claims_a_sent_item_only_with_its_tracking_number(get_linter, lang):
    sent = {"en": "We have sent", "de": "Wir haben Ihnen den richtigen Artikel", "fr": "Nous vous avons envoyé",
            "es": "Le hemos enviado", "it": "Le abbiamo spedito", "ja": "すでに発送いたしました"}[lang]
    with_tracking = _draft(get_linter, "wrong-item", lang).text
    assert sent in with_tracking
    without = _draft(get_linter, "wrong-item", lang, tracking_number="", send_by="").text
    assert sent not in without
    planned = _draft(get_linter, "wrong-item", lang, tracking_number="", send_by="2026-12-04")
    assert sent not in planned.text and planned.ok


def test_exchange_returns_through_amazon_and_orders_the_new_size(get_linter):
    text = _draft(get_linter, "exchange-size-colour", "en").text
    assert "Request a return" in text and "as a new order" in text
    assert "we will send you the item in" not in text       # nothing ships outside an order


@pytest.mark.parametrize("lang", LANGS)
def test_returned_to_sender_for_every_reason(get_linter, lang):
    texts = {r: _draft(get_linter, "returned-to-sender", lang, reason=r).text
             for r in ("undeliverable", "refused", "not-collected")}
    assert len(set(texts.values())) == 3


def test_refund_before_return_mentions_proof_of_postage_only_where_the_law_gives_it(get_linter):
    assert "proof of postage" in _draft(get_linter, "refund-before-return", "en", marketplace="UK").text
    assert "proof of postage" not in _draft(get_linter, "refund-before-return", "en", marketplace="US").text
    assert "Einlieferungsbelegs" in _draft(get_linter, "refund-before-return", "de").text


def test_digital_access_key_fits_400_characters_in_every_language(get_linter):
    for lang in LANGS:
        d = _draft(get_linter, "digital-access-key", lang)
        assert "VHK7-2QXP-9M4T-RW3D" in d.text and len(d.text.rstrip()) <= 400 and d.ok


# --------------------------------------------------------------------------- Chinese titles

def test_chinese_titles_are_not_word_for_word_translations():
    titles = " ".join(s.title["zh"] + s.when["zh"] for s in CAT.scenarios)
    for stiff in ("中立的评价请求", "善意退货", "承运商", "正在发送"):
        assert stiff not in titles, stiff
    assert CAT.get("invoice-sent").title["zh"] == "发送发票"
