from msglint import Linter, Severity
from msglint.pipeline import SPAN_KEY, get_nlp


def test_check_returns_report_with_verdict(linter):
    report = linter.check("Write to help [at] shop [dot] com please")
    assert report.verdict == "block"
    (finding,) = report.findings
    assert finding.code == "CE002" and finding.severity is Severity.ERROR
    assert (finding.start, finding.end) == (9, 33)
    assert finding.text == "help [at] shop [dot] com"
    assert linter.check("Your order 113-5529107-3341628 shipped with UPS.").verdict == "pass"


def test_pipeline_is_built_once_per_language():
    a = Linter(marketplace="DE")
    b = Linter(marketplace="DE")
    assert get_nlp("de") is get_nlp("de")
    assert a.check("x").marketplace == "DE" and b.check("y").marketplace == "DE"


def test_findings_are_attached_to_the_doc(linter):
    nlp = get_nlp("en")
    doc = nlp("placeholder")
    assert SPAN_KEY not in doc.spans or list(doc.spans[SPAN_KEY]) == []
    report = linter.check("Mail x@shop.com")
    assert report.findings[0].code == "CE001"


def test_allow_list_of_domains():
    linter = Linter(marketplace="US", allow_domains=["carrier-booking.com"])
    booking = "Book your slot at https://www.carrier-booking.com/slot"
    # the allow list is about links: the text model's opinion of the sentence (a warning) is not its business
    assert [f.code for f in Linter(marketplace="US").check(booking).findings if f.category == "contact.url"] == ["CU001"]
    assert [f for f in linter.check(booking).findings if f.category in ("contact.url", "offplatform")] == []
    assert [f.code for f in linter.check("See https://www.myshop.com").findings if f.category == "contact.url"] == ["CU001"]


def test_japanese_and_chinese_text_are_tokenized_without_extra_packages():
    linter = Linter(marketplace="JP")
    report = linter.check("お急ぎの場合は、LINE（ID：kaguya_zakka）またはお電話 090-1234-5678 までご連絡ください。")
    assert [(f.code, f.text) for f in report.findings if f.category == "contact.phone"] == [("CP001", "090-1234-5678")]
    assert any(f.category == "offplatform" and "LINE" in f.text for f in report.findings)


def test_bad_arguments_raise_clear_errors(linter):
    import pytest
    with pytest.raises(ValueError, match="unknown kind"):
        linter.check("x", kind="poem")
    with pytest.raises(ValueError, match="unknown marketplace"):
        Linter(marketplace="XX")
    with pytest.raises(TypeError):
        linter.check(None)
