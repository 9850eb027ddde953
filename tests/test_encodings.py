"""Files as the team's machines save them: GBK/GB18030 (Chinese Windows), Shift-JIS/cp932
(Japanese Windows), UTF-16 with a byte-order mark ("Unicode" in Notepad and Excel).

Spans, lines and columns are in code points of the decoded text, never in bytes.
"""
import json

import pytest
from click.testing import CliRunner

from msglint.cli import main
from msglint.inputs import DecodeError, decode, guess_encoding

ZH_TEXT = "您好，请加微信 shop123 联系我们。\nPlease email help@shop.com\n"
JA_TEXT = "ご注文ありがとうございます。\nお電話は 03-1234-5678 までお願いします。\n"


def _check(*args, input=None):
    return CliRunner().invoke(main, ["check", *args], input=input)


def _findings(result) -> list:
    doc = json.loads(result.stdout)
    return [(f["code"], f["start"], f["end"], f["line"], f["col"], f["text"]) for f in doc["results"][0]["findings"]]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "GBK"])
def test_a_gbk_file_is_checked_with_encoding(tmp_path, encoding):
    path = tmp_path / "reply.txt"
    path.write_bytes(ZH_TEXT.encode("gbk"))
    result = _check("--encoding", encoding, "--format", "json", str(path))
    assert result.exit_code == 1, result.stderr
    email = ZH_TEXT.index("help@shop.com")
    assert email == 35 and len(ZH_TEXT[:email].encode("gbk")) == 47  # code points, not bytes
    found = _findings(result)
    assert ("CE001", 35, 48, 2, 14, "help@shop.com") in found
    assert ("LG001", 0, 2, 1, 1, "您好") in found            # Chinese on amazon.com
    assert ("LG001", 3, 7, 1, 4, "请加微信") in found


def test_a_gbk_file_without_encoding_gets_a_one_line_hint(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(ZH_TEXT.encode("gbk"))
    result = _check(str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"msglint: error: {path}: not valid UTF-8 (byte 0xc4 at offset 0); it looks like "
                             f"Chinese text saved as GBK/GB18030: try --encoding gb18030\n")
    chinese = _check("--explain-lang", "zh", str(path))
    assert chinese.exit_code == 2
    assert chinese.stderr == (f"msglint: error: {path}：不是有效的 UTF-8 文本（偏移 0 处的字节 0xc4）；"
                              f"看起来是以 GBK/GB18030 保存的中文文本，请加上 --encoding gb18030\n")


def test_a_shift_jis_file_is_checked_with_encoding(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(JA_TEXT.encode("shift_jis"))
    result = _check("--marketplace", "JP", "--encoding", "shift_jis", "--format", "json", str(path))
    assert result.exit_code == 1, result.stderr
    phone = JA_TEXT.index("03-1234-5678")
    assert (phone, JA_TEXT.index("\n") + 1) == (20, 15)
    assert ("CP001", 20, 32, 2, 6, "03-1234-5678") in _findings(result)
    # the Windows code page reads the same file the same way
    cp932 = _check("--marketplace", "JP", "--encoding", "cp932", "--format", "json", str(path))
    assert _findings(cp932) == _findings(result)


def test_a_shift_jis_file_without_encoding_gets_a_one_line_hint(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(JA_TEXT.encode("shift_jis"))
    result = _check("--marketplace", "JP", str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"msglint: error: {path}: not valid UTF-8 (byte 0x82 at offset 0); it looks like "
                             f"Japanese text saved as Shift-JIS: try --encoding shift_jis\n")
    # NEC circled digits exist only in Windows' cp932: the hint names it
    path.write_bytes("①番の商品は明日発送いたします。".encode("cp932"))
    assert "try --encoding cp932\n" in _check(str(path)).stderr


def test_utf16_with_bom(tmp_path):
    text = "Hi Laura,\nplease email help@vellbyhome.com\n"
    utf8, utf16 = tmp_path / "a.txt", tmp_path / "b.txt"
    utf8.write_text(text, "utf-8")
    utf16.write_bytes(text.encode("utf-16"))  # with BOM
    assert utf16.read_bytes()[:2] == b"\xff\xfe"
    plain = _check("--format", "json", str(utf8))
    wide = _check("--format", "json", "--encoding", "utf-16", str(utf16))
    assert wide.exit_code == plain.exit_code == 1
    assert _findings(wide) == _findings(plain) == [("CE001", 23, 42, 2, 14, "help@vellbyhome.com")]
    hint = _check(str(utf16))
    assert hint.exit_code == 2 and hint.stderr.endswith("it starts with a UTF-16 byte-order mark: try --encoding utf-16\n")


def test_stdin_and_jsonl_with_encoding(tmp_path):
    result = _check("--encoding", "gb18030", "--format", "json", "-", input=ZH_TEXT.encode("gb18030"))
    assert result.exit_code == 1
    assert ("CE001", 35, 48, 2, 14, "help@shop.com") in _findings(result)
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes((json.dumps({"id": "a", "text": "请发邮件到 help@shop.com"}, ensure_ascii=False) + "\n")
                      .encode("gbk"))
    out = _check("--input", "jsonl", "--format", "jsonl", "--encoding", "gbk", str(batch))
    assert out.exit_code == 1
    record = json.loads(out.stdout)
    assert [(f["code"], f["start"], f["end"]) for f in record["findings"]] == [("LG001", 0, 5), ("CE001", 6, 19)]


def test_wrong_or_unknown_encoding_is_a_usage_error(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes("Danke für Ihre Bestellung.\n".encode("utf-8"))
    unknown = _check("--encoding", "klingon", str(path))
    assert unknown.exit_code == 2 and "unknown encoding 'klingon'" in unknown.stderr
    path.write_bytes(b"Caf\xe9 cr\xe8me\n")  # Latin-1: not CJK, so no guess
    latin = _check(str(path))
    assert latin.exit_code == 2
    assert latin.stderr == f"msglint: error: {path}: not valid UTF-8 (byte 0xe9 at offset 3)\n"
    path.write_bytes(ZH_TEXT.encode("gbk")[:-3] + b"\xff\xff\n")
    broken = _check("--encoding", "gbk", str(path))
    assert broken.exit_code == 2 and broken.stderr.startswith(f"msglint: error: {path}: not valid gbk (byte 0xff at ")


def test_suggest_and_draft_from_read_the_encoding(tmp_path):
    incoming = tmp_path / "buyer.txt"
    incoming.write_bytes("商品が壊れて届きました。写真を送ります。".encode("shift_jis"))
    refused = CliRunner().invoke(main, ["suggest", str(incoming)])
    assert refused.exit_code == 2 and "try --encoding shift_jis" in refused.stderr
    result = CliRunner().invoke(main, ["suggest", "--encoding", "shift_jis", "--format", "json", str(incoming)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] in ("damaged-photo-request", "damaged-replacement-sent")
    drafted = CliRunner().invoke(main, ["draft", "--from", str(incoming), "--encoding", "shift_jis"], input="q\n")
    assert drafted.exit_code == 0, drafted.stderr
    assert "Suggested replies for the buyer's message:" in drafted.stderr


@pytest.mark.parametrize("text, encoding, expected", [
    ("您好，感谢您的购买。", "gbk", "gb18030"),
    ("退款", "gb18030", "gb18030"),
    ("商品が壊れて届きました。", "shift_jis", "shift_jis"),
    ("返金", "shift_jis", "shift_jis"),        # kanji only, still Japanese: read as GBK it gives rare characters
    ("Grüße aus Köln", "cp1252", None),
    ("Café", "latin-1", None),
])
def test_guess_encoding(text, encoding, expected):
    data = text.encode(encoding)
    assert guess_encoding(data) == expected
    with pytest.raises(DecodeError) as err:
        decode(data, "x.txt")
    assert err.value.hint == expected
    if expected:
        assert decode(data, "x.txt", expected) == text
