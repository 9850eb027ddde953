"""The command line: formats, exit codes, input errors (one line, exit 2, no traceback)."""
import json

import pytest
from click.testing import CliRunner

from msglint.cli import main

DIRTY = "Hi Laura,\nplease email help@vellbyhome.com or call (415) 555-0171.\n"
CLEAN = "Hi Laura,\nyour replacement ships today with UPS 1Z8V92E40312457786.\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(DIRTY, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    return dirty, clean


def test_text_output_and_exit_1(runner, files):
    dirty, _ = files
    result = runner.invoke(main, ["check", str(dirty)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{dirty}:2:14: CE001 [error] Remove the e-mail address 'help@vellbyhome.com': "
                        "buyers must be contacted only through Buyer-Seller Messaging.")
    assert lines[1] == "    please email help@vellbyhome.com or call (415) 555-0171."
    assert lines[2] == "                 " + "^" * len("help@vellbyhome.com")
    assert lines[3] == ("    fix (unsafe): in place of the sentence, ask the buyer to reply to this message: "
                        "'please email help@vellbyhome.com or call (415) 555-0171.' → "
                        "'If you have any questions, please reply to this message.'")
    assert lines[4].startswith(f"{dirty}:2:42: CP001 [error]")
    assert lines[-1] == "Found 2 findings (2 error, 0 warning, 0 info)."
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_clean_file_exits_0(runner, files):
    _, clean = files
    result = runner.invoke(main, ["check", str(clean)])
    assert result.exit_code == 0
    assert result.stdout.strip() == "No findings."


def test_exit_zero(runner, files):
    dirty, _ = files
    assert runner.invoke(main, ["check", "--exit-zero", str(dirty)]).exit_code == 0


def test_json_output(runner, files):
    dirty, clean = files
    result = runner.invoke(main, ["check", "--format", "json", str(dirty), str(clean)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == "1.3"
    first, second = doc["results"]
    assert first["path"] == str(dirty) and first["verdict"] == "block"
    assert second["findings"] == [] and second["verdict"] == "pass"
    email = first["findings"][0]
    assert (email["code"], email["category"], email["severity"]) == ("CE001", "contact.email", "error")
    assert (email["start"], email["end"], email["line"], email["col"]) == (23, 42, 2, 14)
    assert DIRTY[email["start"]:email["end"]] == email["text"] == "help@vellbyhome.com"
    assert email["fix"] == {"replacement": "If you have any questions, please reply to this message.", "safe": False,
                            "start": 10, "end": 66}


def test_jsonl_per_file(runner, files):
    dirty, clean = files
    result = runner.invoke(main, ["check", "--format", "jsonl", str(clean), str(dirty)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in rows] == [str(clean), str(dirty)]
    assert [r["verdict"] for r in rows] == ["pass", "block"]


def test_jsonl_batch_contract(runner, tmp_path):
    batch = tmp_path / "batch.jsonl"
    records = [
        {"id": "a", "text": "Email me: x@shop.com"},
        {"id": 7, "text": "Tel. 030 12345678", "marketplace": "DE"},
        {"id": "c", "text": "The replacement for order 113-5529107-3341628 ships today with UPS."},
        {"id": "d", "text": "Support: help@brand.com", "kind": "listing", "field": "bullet"},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--input", "jsonl", "--format", "jsonl", str(batch)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "c", "d"]
    assert all(set(r) == {"id", "findings"} for r in rows)
    assert [f["code"] for f in rows[0]["findings"]] == ["CE001"]
    assert [f["code"] for f in rows[1]["findings"]] == ["CP001"]
    assert rows[2]["findings"] == []
    keys = {"code", "name", "category", "severity", "start", "end", "line", "col", "text", "message", "fix"}
    assert keys <= set(rows[0]["findings"][0])


def test_stdin(runner):
    result = runner.invoke(main, ["check", "-"], input="mail x@shop.com\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:1:6: CE001 [error]")


@pytest.mark.parametrize("content,expected", [
    ('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n', "batch.jsonl:2: malformed JSON"),
    ('{"id": 1}\n', "batch.jsonl:1: missing string field 'text'"),
    ('{"text": "x"}\n', "batch.jsonl:1: missing field 'id'"),
    ('[1, 2]\n', "batch.jsonl:1: expected a JSON object"),
    ('{"id": 1, "text": "x", "marketplace": "XX"}\n', "batch.jsonl:1: unknown marketplace 'XX'"),
    ('{"id": 1, "text": "x", "kind": "poem"}\n', "batch.jsonl:1: unknown kind 'poem'"),
])
def test_malformed_jsonl_is_exit_2_with_line_number(runner, tmp_path, content, expected):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["check", "--input", "jsonl", "--format", "jsonl", str(batch)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_missing_file_is_exit_2(runner, tmp_path):
    result = runner.invoke(main, ["check", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"msglint: error: {tmp_path / 'nope.txt'}: no such file"


def test_undecodable_bytes_is_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"hello \xff\xfe world")
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"msglint: error: {bad}: not valid UTF-8 (byte 0xff at offset 6)"


def test_unknown_marketplace_is_usage_error(runner, files):
    result = runner.invoke(main, ["check", "--marketplace", "XX", str(files[0])])
    assert result.exit_code == 2
    assert "unknown marketplace 'XX'" in result.stderr


def test_marketplace_changes_phone_region(runner, tmp_path):
    f = tmp_path / "de.txt"
    f.write_text("Rufen Sie uns an: 030 12345678", encoding="utf-8")
    de = runner.invoke(main, ["check", "--format", "json", "--marketplace", "DE", str(f)])
    codes = [x["code"] for x in json.loads(de.stdout)["results"][0]["findings"]]
    assert codes == ["CP001"]
