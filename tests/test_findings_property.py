"""For arbitrary text, every finding's span is non-empty and inside the original text."""
from hypothesis import given, settings, strategies as st

PIECES = ["help", " ", "[at]", " at ", " dot ", "(punkt)", "shop", ".", "com", "de", "ｇｍａｉｌ", "\u200b", "е",
          "four ", "oh ", "double ", "5", "555", "0199", "@", "/", "slash", "www.", "http://", "bit.ly/x",
          "(415) 555-0171", "+44 20 7946 0958", "113-5529107-3341628", "\n", "é", "👍", "電話", "１２３"]


def _check(linter, text):
    report = linter.check(text)
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert f.line >= 1 and f.col >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_spans_inside_original_for_any_text(linter, text):
    _check(linter, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_spans_inside_original_for_contact_like_text(linter, parts):
    _check(linter, "".join(parts))
