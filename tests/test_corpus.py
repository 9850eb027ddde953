"""The development corpus through the JSONL batch interface (the same path score.py uses)."""
import json
from collections import defaultdict

from click.testing import CliRunner

from msglint.cli import main

CONTACT = ("contact.email", "contact.phone", "contact.url")


def _run(corpus_path):
    result = CliRunner().invoke(main, ["check", "--input", "jsonl", "--format", "jsonl", str(corpus_path)])
    assert result.exit_code in (0, 1), result.stderr
    return {str(r["id"]): r["findings"] for r in map(json.loads, result.stdout.splitlines())}


def test_contact_precision_recall_and_clean_texts(corpus_path):
    records = [json.loads(line) for line in corpus_path.read_text("utf-8").splitlines() if line.strip()]
    out = _run(corpus_path)
    assert set(out) == {r["id"] for r in records}
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    for rec in records:
        gold = set(rec["labels"])
        findings = out[rec["id"]]
        pred = {f["category"] for f in findings if f["severity"] in ("error", "warning")}
        if not gold:
            errs = [f for f in findings if f["severity"] == "error" and f["category"] in CONTACT]
            assert errs == [], f"{rec['id']}: error-level contact finding on a clean text: {errs}"
        for c in CONTACT:
            if c in gold and c in pred:
                tp[c] += 1
            elif c in gold:
                fn[c] += 1
            elif c in pred:
                fp[c] += 1
    for c in CONTACT:
        precision = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0
        recall = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0
        assert precision >= 0.95 and recall >= 0.95, (c, precision, recall)
