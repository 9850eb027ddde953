"""Benchmark: per-message time after warm-up, and the time to check a 4 MB text file.

Numbers are reported together with a baseline run in the same process (spaCy's blank
tokenizer over the same text), so the ratio stays meaningful on a faster or slower machine.
Not a test: run `python bench/bench_check.py [--quick]`.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

from msglint import Linter
from msglint.pipeline import get_nlp

MESSAGE = (
    "Hello Mr. Rossi,\n\nThank you for your message about order 114-6639201-7740582. We're sorry the "
    "lid arrived cracked. A replacement ships today with UPS 1Z8V92E40312457786 and should arrive by "
    "Thursday, 12/05. You don't need to send the damaged lid back. If anything else is wrong, just reply "
    "to this message and we'll sort it out. Thank you for your patience, and sorry again for the trouble.\n\n"
    "Best regards,\nHalden Kitchen"
)
DIRTY = "Sorry again! Write to help [at] haldenkitchen [dot] com or call (415) 555-0171. "


def per_call(fn, n: int) -> float:
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t0) / n)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and a 1 MB file")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    n = 50 if args.quick else 300
    linter = Linter(marketplace="US")
    nlp = get_nlp("en")
    msg = MESSAGE[:400]
    for _ in range(20):  # warm-up
        linter.check(msg)
        nlp.tokenizer(msg)
    t_msg = per_call(lambda: linter.check(msg), n)
    t_tok = per_call(lambda: nlp.tokenizer(msg), n)
    dirty = (DIRTY + MESSAGE)[:400]
    t_dirty = per_call(lambda: linter.check(dirty), n)

    size = (1 if args.quick else 4) * 1024 * 1024
    block = (MESSAGE + "\n\n" + DIRTY + "\n\n")
    big = (block * (size // len(block) + 1))[:size]
    t0 = time.perf_counter()
    report = linter.check(big)
    t_big = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _, chunk in [(0, big[i:i + 100_000]) for i in range(0, len(big), 100_000)]:
        nlp.tokenizer(chunk)
    t_big_tok = time.perf_counter() - t0

    result = {
        "message_chars": len(msg),
        "per_message_ms": round(t_msg * 1000, 3),
        "per_message_with_findings_ms": round(t_dirty * 1000, 3),
        "baseline_tokenizer_ms": round(t_tok * 1000, 3),
        "ratio_vs_tokenizer": round(t_msg / t_tok, 1),
        "file_mb": round(len(big.encode()) / 1e6, 2),
        "file_seconds": round(t_big, 2),
        "file_findings": len(report.findings),
        "file_baseline_tokenizer_seconds": round(t_big_tok, 2),
        "file_ratio_vs_tokenizer": round(t_big / t_big_tok, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:34} {v}")


if __name__ == "__main__":
    main()
