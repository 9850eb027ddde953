"""The offset map is exact: every normalised character maps back to where it came from."""
from hypothesis import given, settings, strategies as st

from msglint.normalise import normalise


def _check_map(text):
    n = normalise(text)
    assert len(n.starts) == len(n.text) == len(n.ends)
    prev = 0
    for i in range(len(n.text)):
        a, b = n.to_original(i, i + 1)
        assert 0 <= a < b <= len(text)
        assert a >= prev  # monotone
        prev = a
    return n


def test_fullwidth_email_folds_and_maps_back():
    text = "mail ｒｅｆｕｎｄｓ＠ｖｅｌｌｂｙｈｏｍｅ．ｃｏｍ now"
    n = _check_map(text)
    assert n.text == "mail refunds@vellbyhome.com now"
    start = n.text.index("refunds")
    end = n.text.index(" now")
    assert n.to_original(start, end) == (5, 5 + len("ｒｅｆｕｎｄｓ＠ｖｅｌｌｂｙｈｏｍｅ．ｃｏｍ"))


def test_bracketed_at_and_dot_with_spaced_letters():
    text = "Write to h e l p [at] echoform [dot] audio and"
    n = _check_map(text)
    assert n.text == "Write to help@echoform.audio and"
    s = n.text.index("help")
    e = s + len("help@echoform.audio")
    assert text[slice(*n.to_original(s, e))] == "h e l p [at] echoform [dot] audio"
    # the "@" maps to the whole "[at]" disguise (with its spaces)
    at = n.text.index("@")
    assert text[slice(*n.to_original(at, at + 1))] == " [at] "


def test_zero_width_and_homoglyphs_removed():
    text = "care\u200b@\u200bmaplemoss\u200b.com servicе@hаlden.com"
    n = _check_map(text)
    assert n.text == "care@maplemoss.com service@halden.com"
    s = n.text.index("service")
    assert n.to_original(s, s + 7) == (text.index("servicе"), text.index("servicе") + 7)


def test_at_is_only_folded_between_address_parts():
    for text in ("we are at home. it is fine", "I will be at the store at 5.", "available at amazon.com today",
                 "Punto de venta", "at least one point is clear"):
        assert normalise(text).text == text


def test_spelled_out_digits():
    n = _check_map("ring me on oh seven seven double oh, nine double oh, four five six and")
    assert n.text == "ring me on 07700900456 and"
    n = _check_map("call four one five 555 0199 now")
    assert n.text == "call 4155550199 now"
    first = n.text.index("4")
    assert n.to_original(first, first + 1) == (5, 9)  # "four"
    assert normalise("one or two screws").text == "one or two screws"


def test_domain_disguises_with_path():
    n = _check_map("see lumoralighting dot com slash manuals, under")
    assert n.text == "see lumoralighting.com/manuals, under"
    n = _check_map("here: echoformaudio . com / fw / v2 (just")
    assert n.text == "here: echoformaudio.com/fw/v2 (just"


def test_japanese_text_is_not_folded():
    text = "田中様、LINE（ID：kaguya_zakka）またはお電話 090-1234-5678 まで。"
    n = _check_map(text)
    assert "田中様" in n.text and "お電話" in n.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_map_is_total_and_monotone_for_any_text(text):
    _check_map(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["help", " ", "[at]", "at", "dot", "(punkt)", "shop", ".", "com", "de", "ｇ",
                                 "\u200b", "е", "four", "oh", "double", "5", "555", "0199", "@", "/", "slash",
                                 "ä", "e\u0301", "👍🏽", "\u2060", "\n"]), max_size=25))
def test_map_holds_for_disguise_like_text(parts):
    _check_map("".join(parts))


def test_numbers_dictated_in_pairs():
    n = _check_map("appelez-nous au zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.")
    assert n.text == "appelez-nous au 0612345678."
    first = n.text.index("12")
    assert n.to_original(first, first + 2) == (26, 31)  # "douze"
    assert normalise("Llámenos al seis doce treinta y cuatro cincuenta y seis").text == "Llámenos al 6123456"
    assert normalise("sizes ten, twelve and fourteen").text == "sizes ten, twelve and fourteen"
