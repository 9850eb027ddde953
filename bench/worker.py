"""One engine over one JSONL file, in its own process: ``python -m bench.worker ENGINE FILE``.

Prints one JSON object: the import and set-up time, the per-message latencies (p50/p90/p99/max
of each call, timed around the call alone, in wall-clock time and in the thread's CPU time,
which other programs on a shared machine do not inflate), messages and characters per second
of checking time, and the process's peak RSS. Records are read and checked one at a time, so the
memory measured is the engine's, not the file's. With ``--pin`` the process runs on one core.
``--detections OUT`` writes ``{"id", "categories"}`` per record (for precision/recall);
``--per-record`` adds ``[id, ms]`` for each record to the output (latency against length).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from array import array


def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..1)."""
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def warmup_records(n: int) -> list:
    """Other texts than the measured ones, every marketplace of the generated sets in turn (tables loaded)."""
    import random

    from bench import generate

    rng = random.Random(99)
    codes = list(generate.MIXED_WEIGHTS)
    out = []
    for i in range(n):
        mp = codes[i % len(codes)]
        text, _, _ = generate.message(rng, generate.LANGUAGE_OF[mp], 50, 800, marketplace=mp)
        out.append({"id": f"w{i}", "text": text, "marketplace": mp})
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.worker")
    ap.add_argument("engine")
    ap.add_argument("file")
    ap.add_argument("--warmup", type=int, default=60, help="messages checked before timing (other texts)")
    ap.add_argument("--pin", action="store_true", help="run on one core")
    ap.add_argument("--detections")
    ap.add_argument("--per-record", action="store_true")
    args = ap.parse_args(argv)
    if args.pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    t0 = time.perf_counter()
    from bench import peers

    engine_cls = peers.ENGINES[args.engine]
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine = engine_cls()
    t_setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    for rec in warmup_records(args.warmup):
        engine.detect(rec)
    t_warm = time.perf_counter() - t0

    latencies = array("d")
    cpu_times = array("d")  # CPU time of each call: what other programs on the machine cannot inflate
    per_record = []
    chars = 0
    det = open(args.detections, "w", encoding="utf-8") if args.detections else None
    perf, cpu = time.perf_counter, time.thread_time
    t_loop, c_loop = perf(), time.process_time()
    with open(args.file, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            start_cpu = cpu()
            start = perf()
            result = engine.detect(rec)
            elapsed = perf() - start
            cpu_times.append(cpu() - start_cpu)
            latencies.append(elapsed)
            chars += len(rec["text"])
            if args.per_record:
                per_record.append([rec["id"], round(elapsed * 1000, 4)])
            if det is not None:
                det.write(json.dumps({"id": rec["id"], "categories": sorted(engine.categories(result))}) + "\n")
    t_loop, c_loop = perf() - t_loop, time.process_time() - c_loop
    if det is not None:
        det.close()
    total = sum(latencies)
    ordered = sorted(latencies)
    cpu_total = sum(cpu_times)
    cpu_ordered = sorted(cpu_times)
    n = len(latencies)
    out = {
        "engine": args.engine, "version": peers.version(args.engine), "pinned": bool(args.pin),
        "import_s": round(t_import, 3), "setup_s": round(t_setup, 3), "warmup_s": round(t_warm, 3),
        "warmup_messages": args.warmup, "n": n, "chars": chars,
        "check_s": round(total, 3), "loop_s": round(t_loop, 3),
        "messages_per_s": round(n / total, 1) if total else None,
        "chars_per_s": round(chars / total) if total else None,
        "mean_ms": round(total / n * 1000, 4) if n else None,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 4),
        "p90_ms": round(percentile(ordered, 0.90) * 1000, 4),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 4),
        "max_ms": round(ordered[-1] * 1000, 3) if n else None,
        "cpu_check_s": round(cpu_total, 3), "loop_cpu_s": round(c_loop, 3),
        "cpu_messages_per_s": round(n / cpu_total, 1) if cpu_total else None,
        "cpu_p50_ms": round(percentile(cpu_ordered, 0.50) * 1000, 4),
        "cpu_p99_ms": round(percentile(cpu_ordered, 0.99) * 1000, 4),
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.per_record:
        out["per_record"] = per_record
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
