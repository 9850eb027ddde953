"""Linter.check over arbitrary Unicode: never raises, spans inside the text and non-empty, deterministic.

Example counts are moderate on purpose (the suite runs on 2 cores); hypothesis keeps the
failing examples it finds in .hypothesis/ and replays them first.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

MARKETPLACES = ("US", "DE", "FR", "IT", "ES", "JP", "UK", "MX")
KINDS = ("message", "listing", "appeal")

# every code point that is a Unicode scalar value (lone surrogates are not text: the service
# and the JSONL reader refuse them), from every plane, with control and format characters
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=300)

# arbitrary text spliced with the pieces that disguises, contacts and tags are made of
PIECES = st.sampled_from([
    "help@shop.com", " [at] ", " dot ", "www.", "https://", "(415) 555-0171", "+49 30 1234567", "\u200b",
    "\u2028", "\u0085", "\r\n", "\ufeff", "\u202e", "ｇｍａｉｌ", "０３０", "е", "👍🏽", "🇩🇪", "\u0301", "{{ ", " }}",
    "{# msglint: disable-file #}", "!!!!!!!!", "review", "5 stars", "電話", "メール", "\t", "  ",
])
MIXED = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=25).map("".join)


def _assert_sound(text: str, report) -> None:
    assert report.verdict in ("pass", "block")
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text), (f.code, f.start, f.end, len(text))
        assert text[f.start:f.end] == f.text
        assert f.line >= 1 and f.col >= 1
        assert (f.end_line, f.end_col) >= (f.line, f.col)
        assert f.severity.value in ("error", "warning", "info")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, marketplace=st.sampled_from(MARKETPLACES), kind=st.sampled_from(KINDS))
def test_any_unicode_text_is_checked_soundly_and_deterministically(linter, text, marketplace, kind):
    first = linter.check(text, kind=kind, marketplace=marketplace)
    _assert_sound(text, first)
    again = linter.check(text, kind=kind, marketplace=marketplace)
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in first.findings]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MIXED, marketplace=st.sampled_from(MARKETPLACES))
def test_contact_like_text_with_arbitrary_unicode(linter, text, marketplace):
    first = linter.check(text, marketplace=marketplace)
    _assert_sound(text, first)
    assert [f.to_dict() for f in linter.check(text, marketplace=marketplace).findings] == [
        f.to_dict() for f in first.findings]
