"""`msglint eval CORPUS`: the per-category table of a labelled corpus, and its input errors."""
import json

from click.testing import CliRunner

from msglint.cli import main

CORPUS = [
    {"id": "a", "kind": "message", "field": None, "marketplace": "US",
     "text": "Write to help@shop-mail.com for faster help.", "labels": ["contact.email"]},
    {"id": "b", "kind": "message", "field": None, "marketplace": "DE",
     "text": "Schreiben Sie uns an info ät lichtwerk punkt de.", "labels": ["contact.email"]},
    {"id": "c", "kind": "message", "field": None, "marketplace": "US",
     "text": "Your replacement ships today; the tracking number is in your order.", "labels": []},
    {"id": "d", "kind": "message", "field": None, "marketplace": "US",
     "text": "Thanks for your patience while we checked the warranty.", "labels": ["conduct"]},
]


def _write(tmp_path, records):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_table_counts_found_missed_and_clean(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--explain-lang", "en", "--misses", "5", _write(tmp_path, CORPUS)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["category", "pos", "tp", "fn", "fp", "prec", "recall"]
    assert "conduct                   1    0    1    0  1.000  0.000" in lines
    assert "contact.email             2    2    0    0  1.000  1.000" in lines
    assert "clean texts: 1, with an error finding: 0 (0.0%)" in lines
    assert any(line.startswith("MISSED conduct") and " d: " in line for line in lines)


def test_json_shape(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--json", "--only", "contact.email", _write(tmp_path, CORPUS)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["records"] == 4 and data["clean"] == 1 and data["clean_with_error"] == 0
    assert data["categories"] == {"contact.email": {"positives": 2, "tp": 2, "fn": 0, "fp": 0,
                                                    "precision": 1.0, "recall": 1.0}}


def test_chinese_summary(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--explain-lang", "zh", _write(tmp_path, CORPUS[2:3])])
    assert result.exit_code == 0
    assert "干净文本：1 条，其中有错误级问题的：0 条（0.0%）" in result.output


def test_bad_records_are_one_line_errors_with_exit_2(tmp_path):
    cases = [
        ('{"text": 1}\n', "corpus.jsonl:1: a record needs a string 'text'"),
        ('{"text": "hi", "labels": ["spam"]}\n', "corpus.jsonl:1: 'labels' must be a list of categories"),
        ('{"text": "hi"}\nnot json\n', "corpus.jsonl:2: not JSON"),
        ('{"text": "hi", "marketplace": "XX"}\n', "corpus.jsonl:1:"),
    ]
    for body, message in cases:
        path = tmp_path / "corpus.jsonl"
        path.write_text(body, encoding="utf-8")
        result = CliRunner().invoke(main, ["eval", str(path)])
        assert result.exit_code == 2, (body, result.output)
        err = result.output.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("msglint: error: ") and message in err[0], (body, err)
