"""The benchmark suite's generator and the shape of its results, on tiny sizes and without the peers.

Numbers are never asserted: only that every section ran and wrote what docs/performance.md reads.
Needs no `bench` extra (Presidio, scrubadub, matplotlib, psutil are optional there).
"""
from __future__ import annotations

import json
import random
import subprocess
import sys

from bench import generate

REPO = generate.__file__.rsplit("/bench/", 1)[0]


def test_generator_is_seeded_and_within_bounds():
    first = list(generate.messages(60, seed=3))
    assert first == list(generate.messages(60, seed=3))
    assert first != list(generate.messages(60, seed=4))
    assert len({r["text"] for r in first}) == 60
    assert all(100 <= len(r["text"]) <= 2000 for r in first)
    short = list(generate.messages(60, seed=3, min_chars=100, max_chars=800))
    assert all(100 <= len(r["text"]) <= 800 for r in short)
    # six languages in turn, each on a marketplace of its language
    for i, rec in enumerate(first[:12]):
        assert generate.LANGUAGE_OF[rec["marketplace"]] == generate.LANGUAGES[i % 6]
    labels = {c for r in first for c in r["labels"]}
    assert {"contact.email", "contact.phone", "contact.url"} & labels
    assert any(not r["labels"] for r in first)


def test_mixed_set_and_exact_lengths():
    mixed = list(generate.mixed(600, seed=1))
    mean = sum(len(r["text"]) for r in mixed) / len(mixed)
    assert 90 <= mean <= 150
    assert len({r["marketplace"] for r in mixed}) >= 8
    rng = random.Random(0)
    for lang in generate.LANGUAGES:
        for n in (50, 1000, 20000):
            assert len(generate.of_length(rng, lang, n)) == n
    assert len(generate.hostile_text("1 2-3 (4) ", 1000)) == 1000


def test_generated_records_are_valid_batch_input(tmp_path, linter):
    path = tmp_path / "m.jsonl"
    stats = generate.write_jsonl(str(path), generate.messages(12, seed=5))
    assert stats["messages"] == 12
    from msglint.inputs import read_jsonl

    items = list(read_jsonl(str(path), None))
    assert len(items) == 12
    contact = [r for r in generate.messages(200, seed=5) if r["labels"] == ["contact.email"]]
    assert contact and any(f.category == "contact.email"
                           for f in linter.check(contact[0]["text"], marketplace=contact[0]["marketplace"]).findings)


def test_quick_suite_shape_without_peers(tmp_path):
    out, docs = tmp_path / "results", tmp_path / "docs"
    cmd = [sys.executable, "-m", "bench", "--quick", "--peers", "none", "--sizes", "2,20", "--mixed", "24",
           "--short", "12", "--file-mb", "0.005", "--reps", "1", "--out", str(out), "--docs", str(docs)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stamped = [p for p in out.iterdir() if p.name != "latest.json"]
    assert len(stamped) == 1
    res = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert res == json.loads(stamped[0].read_text(encoding="utf-8"))
    assert res["options"]["peers"] == []
    s = res["sections"]
    assert set(s) == {"throughput", "mixed", "length", "cold", "switch", "files", "accuracy"}
    assert not [k for k, v in s.items() if "error" in v]

    tp = s["throughput"]
    assert [r["n"] for r in tp["jsonl"]] == [2, 20] and [r["output_lines"] for r in tp["jsonl"]] == [2, 20]
    for r in tp["api"] + [tp["short"]["msglint"], tp["short"]["spacy"]]:
        assert {"messages_per_s", "p50_ms", "p99_ms", "cpu_messages_per_s", "maxrss_mb"} <= set(r)
    assert tp["ratio_big_small"]["sizes"] == [20, 2] and tp["ratio_big_small"]["api_check_time"] > 0
    assert tp["peers"] == {}

    assert s["mixed"]["data"]["messages"] == 24 and s["mixed"]["msglint_jsonl"]["output_lines"] == 24
    assert s["mixed"]["peers"] == {} and s["mixed"]["ratios"] == {}
    assert [p["chars"] for p in s["length"]["engines"]["msglint"]] == list(s["length"]["lengths"])
    for key in ("spacy_floor", "msglint_version", "msglint_check_one"):
        assert s["cold"][key]["median_s"] > 0
    assert s["cold"]["check_one_vs_floor"] > 0
    assert s["switch"]["marketplaces"]["UK"]["language_loaded_before"] is True
    assert s["switch"]["marketplaces"]["DE"]["language_loaded_before"] is False
    files = s["files"]["files"]
    assert "plain" in files and len(files) >= 3
    assert all(r["returncode"] in (0, 1) and not r["timed_out"] for r in files.values())
    for corpus in s["accuracy"]["corpora"].values():
        assert set(corpus["msglint"]["contact"]) == {"contact.email", "contact.phone", "contact.url"}
        assert set(corpus) == {"texts", "msglint"}

    page = (docs / "performance.md").read_text(encoding="utf-8")
    for heading in ("## Issue 10's goals", "## Cold start", "## Marketplace switch", "## Large and hostile files",
                    "## Precision and recall of the contact categories"):
        assert heading in page


def test_report_keeps_the_notes_measured_by_hand(tmp_path, monkeypatch):
    from bench import report

    monkeypatch.setattr(report, "plot", lambda res, docs: {})
    monkeypatch.setattr(report, "render", lambda res, plots, source: "# generated\n\ntables\n")
    page = tmp_path / "performance.md"
    page.write_text("# old generated\n\n" + report.KEPT_MARKER + "\n\n## By hand\n\nfigures\n", encoding="utf-8")
    report.write({}, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# generated") and "old generated" not in text
    assert text.endswith(report.KEPT_MARKER + "\n\n## By hand\n\nfigures\n")
