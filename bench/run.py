"""The benchmark suite: ``python -m bench [--quick] [--sizes 1000,10000,100000] [--only SECTION] ...``.

Sections (``--only`` takes a comma-separated list of them):

  throughput  1k/10k/100k generated messages (six languages, 100–2,000 characters) through the
              JSONL batch command (whole command, default workers) and the Python API (warm, one
              core, p50/p99 per message), peak RSS, the 100k/10k time ratio; the same messages
              through the peers and spaCy's blank tokenizer (one core); and the 100–800-character
              set's messages/s and p99 in-process
  mixed       6,000 messages of about 120 characters from ten marketplaces: the JSONL command
              (default workers and --jobs 1), the API, and the peers as a whole command
  length      latency against message length, 50 to 20,000 characters
  cold        `msglint check one.txt` and `msglint --version` against
              `python -c "import spacy; spacy.blank('en')"`, medians of interleaved runs
  switch      the first check on a marketplace of a loaded language (UK after US) and of a new one
  files       a 4 MB plain text and hostile 4 MB files through `msglint check`, ratio to plain
  accuracy    precision/recall of contact.email/phone/url on ../shared/corpus/dev.jsonl and each
              --corpus, for msglint and each peer (msglint's other categories too)

Results: ``bench/results/<timestamp>.json`` and ``latest.json`` (``--out``), then
``docs/performance.md`` with two plots (``--docs``; see bench/report.py). Numbers and ratios
only: nothing here passes or fails.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import generate, measure, peers

SECTIONS = ("throughput", "mixed", "length", "cold", "switch", "files", "accuracy")
DEFAULT_CORPUS = measure.REPO.parent / "shared" / "corpus" / "dev.jsonl"
LENGTHS = (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
QUICK_LENGTHS = (50, 1000, 5000)
QUICK_HOSTILE = ("a@ repeated", "digits and separators '1 2-3 (4) '")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes for a smoke run (under 2 minutes)")
    ap.add_argument("--sizes", help="message counts for the throughput section (default 1000,10000,100000; "
                                    "--quick: 200)")
    ap.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    ap.add_argument("--corpus", action="append", default=[],
                    help="an extra labelled JSONL set for precision/recall (repeatable)")
    ap.add_argument("--out", default=str(measure.REPO / "bench" / "results"), help="directory of the results JSON")
    ap.add_argument("--docs", default=str(measure.REPO / "docs"),
                    help="where performance.md and the plots go ('' for none)")
    ap.add_argument("--peers", default=",".join(peers.PEERS),
                    help="peers to run side by side ('none' for none; default: presidio,scrubadub)")
    ap.add_argument("--peer-max", type=int, default=None,
                    help="largest throughput size the peers are run on (default: every size)")
    ap.add_argument("--mixed", type=int, default=None, help="messages of the mixed set (default 6000; --quick 300)")
    ap.add_argument("--short", type=int, default=None,
                    help="messages of the 100–800-character set (default 10000; --quick 200)")
    ap.add_argument("--file-mb", type=float, default=None, help="size of the large files (default 4; --quick 0.0625)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions of the cold-start runs (default 7; --quick 1)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before one measured command is stopped")
    ap.add_argument("--msglint-python",
                    help="interpreter of an environment with msglint but without the bench extra, for everything "
                         "msglint and the spaCy floor (presidio-analyzer registers a spaCy plugin that every "
                         "spacy.blank() imports); default: this interpreter")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--keep-data", help="write the generated sets to this directory and keep them")
    args = ap.parse_args(argv)
    q = args.quick
    args.sizes = [int(s) for s in (args.sizes or ("200" if q else "1000,10000,100000")).split(",") if s]
    args.only = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = [s for s in args.only if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {', '.join(unknown)} (one of {', '.join(SECTIONS)})")
    args.mixed = args.mixed or (300 if q else 6000)
    args.short = args.short or (200 if q else 10000)
    args.file_mb = args.file_mb or (0.0625 if q else 4.0)
    args.reps = args.reps or (1 if q else 7)
    args.lengths = QUICK_LENGTHS if q else LENGTHS
    args.per_length = 3 if q else 12
    wanted = [] if args.peers.strip() in ("", "none") else [p.strip() for p in args.peers.split(",")]
    args.peers = wanted
    args.corpus = ([str(DEFAULT_CORPUS)] if DEFAULT_CORPUS.exists() else []) + args.corpus
    return args


class Suite:
    def __init__(self, args: argparse.Namespace, data_dir: str):
        self.args = args
        self.data = Path(data_dir)
        self.notes: list[str] = []
        self.peers = []
        for name in args.peers:
            if name not in peers.PEERS:
                raise SystemExit(f"unknown peer {name!r} (one of {', '.join(peers.PEERS)})")
            if peers.version(name) is None:
                self.notes.append(f"{name} is not installed (pip install -e \".[bench]\"): its measurements are left out")
            else:
                self.peers.append(name)
        self.datasets: dict = {}
        # msglint and the spaCy floor run here; the peers run in this interpreter (sys.executable)
        self.py = args.msglint_python or sys.executable
        leaking = measure.spacy_plugins_of_peers(self.py)
        if leaking:
            self.notes.append(
                f"{', '.join(leaking)} registers a spaCy plugin in the environment msglint ran in ({self.py}), so "
                "every spacy.blank() there imports it: msglint's and the spaCy floor's start-up and memory include "
                "it. Run msglint from an environment without the bench extra: --msglint-python PATH")

    # --- data ----------------------------------------------------------------------------------

    def dataset(self, name: str, records) -> tuple[str, dict]:
        if name not in self.datasets:
            path = str(self.data / f"{name}.jsonl")
            t0 = time.perf_counter()
            stats = generate.write_jsonl(path, records)
            stats["generate_s"] = round(time.perf_counter() - t0, 2)
            self.datasets[name] = (path, stats)
        return self.datasets[name]

    def sized(self, n: int) -> tuple[str, dict]:
        return self.dataset(f"messages_{n}", generate.messages(n, seed=self.args.seed))

    # --- sections ------------------------------------------------------------------------------

    def batch_command(self, path: str, n: int, jobs=None) -> dict:
        argv = measure.msglint_argv(self.py) + ["check", "--input", "jsonl", "--format", "jsonl", "--exit-zero"]
        if jobs:
            argv += ["--jobs", str(jobs)]
        out = str(self.data / "batch_out.jsonl")
        r = measure.run(argv + [path], stdout_path=out, timeout=self.args.timeout)
        with open(out, "rb") as fh:
            lines = sum(1 for _ in fh)
        os.unlink(out)
        r.update({"n": n, "output_lines": lines, "jobs": jobs or os.cpu_count(),
                  "messages_per_s": round(n / r["wall_s"], 1) if not r["timed_out"] else None})
        return r

    def throughput(self) -> dict:
        res = {"sizes": self.args.sizes, "jsonl": [], "api": [], "peers": {p: [] for p in self.peers}, "spacy": []}
        peer_max = self.args.peer_max or max(self.args.sizes)
        for n in self.args.sizes:
            path, stats = self.sized(n)
            log(f"throughput n={n}: JSONL command")
            res["jsonl"].append({**self.batch_command(path, n), "data": stats})
            log(f"throughput n={n}: API in-process")
            api = measure.worker("msglint", path, timeout=self.args.timeout, python=self.py)
            res["api"].append({**api, "data": stats})
            if n <= 10_000:
                res["spacy"].append(measure.worker("spacy", path, timeout=self.args.timeout, python=self.py))
            for p in self.peers:
                if n <= peer_max:
                    log(f"throughput n={n}: {p}")
                    res["peers"][p].append(measure.worker(p, path, timeout=self.args.timeout))
        by_n = {r["n"]: r for r in res["api"] if "n" in r}
        jl = {r["n"]: r for r in res["jsonl"]}
        big, small = max(self.args.sizes), None
        for n in sorted(self.args.sizes):
            if n * 10 == big:
                small = n
        if small:
            res["ratio_big_small"] = {"sizes": [big, small],
                                      "api_check_time": _ratio(by_n.get(big, {}).get("check_s"),
                                                               by_n.get(small, {}).get("check_s")),
                                      "jsonl_wall_time": _ratio(jl[big]["wall_s"], jl[small]["wall_s"])}
        # the Done-when set: 100–800 characters, warm, one core
        path, stats = self.dataset("short_100_800", generate.messages(self.args.short, seed=self.args.seed,
                                                                      min_chars=100, max_chars=800, prefix="s"))
        log(f"throughput: {self.args.short} messages of 100–800 characters, API and floor")
        short = {"data": stats,
                 "msglint": measure.worker("msglint", path, timeout=self.args.timeout, python=self.py),
                 "spacy": measure.worker("spacy", path, timeout=self.args.timeout, python=self.py)}
        for p in self.peers:
            short[p] = measure.worker(p, path, timeout=self.args.timeout)
        res["short"] = short
        return res

    def mixed(self) -> dict:
        path, stats = self.dataset("mixed", generate.mixed(self.args.mixed, seed=self.args.seed))
        n = stats["messages"]
        log(f"mixed: {n} messages, JSONL command (default workers, then --jobs 1), API")
        res = {"data": stats, "marketplaces": sorted(generate.MIXED_WEIGHTS),
               "msglint_jsonl": self.batch_command(path, n),
               # one worker: the same cores as a peer's single process (skipped by --quick)
               "msglint_jsonl_1job": None if self.args.quick else self.batch_command(path, n, jobs=1),
               "msglint_api": measure.worker("msglint", path, timeout=self.args.timeout, python=self.py),
               "spacy": measure.worker("spacy", path, timeout=self.args.timeout, python=self.py), "peers": {}}
        for p in self.peers:
            log(f"mixed: {p} as a whole command")
            r = measure.worker(p, path, pin=False, warmup=0, timeout=self.args.timeout)
            if "process" in r:
                r["whole_command_messages_per_s"] = round(n / r["process"]["wall_s"], 1)
            res["peers"][p] = r
        msglint_cmd = res["msglint_jsonl"]["messages_per_s"]
        msglint_1 = (res["msglint_jsonl_1job"] or {}).get("messages_per_s")
        msglint_api = res["msglint_api"].get("messages_per_s")
        res["ratios"] = {}
        for p, r in res["peers"].items():
            res["ratios"][p] = {
                "jsonl_command_vs_peer_command": _ratio(msglint_cmd, r.get("whole_command_messages_per_s")),
                "jsonl_1job_vs_peer_command": _ratio(msglint_1, r.get("whole_command_messages_per_s")),
                "api_vs_peer_in_process": _ratio(msglint_api, r.get("messages_per_s"))}
        return res

    def length(self) -> dict:
        recs = list(generate.lengths(self.args.lengths, self.args.per_length, seed=self.args.seed))
        path, stats = self.dataset("lengths", recs)
        chars_of = {r["id"]: r["chars"] for r in recs}
        res = {"lengths": list(self.args.lengths), "per_length": self.args.per_length, "engines": {}}
        for engine in ["msglint", "spacy"] + self.peers:
            log(f"length: {engine}")
            r = measure.worker(engine, path, per_record=True, timeout=self.args.timeout,
                               python=self.py if engine in ("msglint", "spacy") else None)
            if "per_record" not in r:
                res["engines"][engine] = r
                continue
            groups: dict = {}
            for rid, ms in r["per_record"]:
                groups.setdefault(chars_of[rid], []).append(ms)
            res["engines"][engine] = [
                {"chars": c, "p50_ms": round(statistics.median(v), 3), "max_ms": round(max(v), 3),
                 "ms_per_1000_chars": round(statistics.median(v) / c * 1000, 4)}
                for c, v in sorted(groups.items())]
        return res

    def cold(self) -> dict:
        one = self.data / "one.txt"
        one.write_text(generate.sample_message("US", seed=self.args.seed), encoding="utf-8")
        commands = {
            "spacy_floor": [self.py, "-c", "import spacy; spacy.blank('en')"],
            "python_bare": [self.py, "-c", "pass"],
            "msglint_version": measure.msglint_argv(self.py) + ["--version"],
            "msglint_check_one": measure.msglint_argv(self.py) + ["check", "--exit-zero", str(one)],
        }
        if not self.args.quick:
            for argv in commands.values():  # page cache and .pyc files warm before anything is timed
                measure.run(argv)
        runs: dict = {k: [] for k in commands}
        log(f"cold: {self.args.reps} interleaved runs of {len(commands)} commands")
        for _ in range(self.args.reps):
            for name, argv in commands.items():
                runs[name].append(measure.run(argv))
        res = {"reps": self.args.reps, "one_txt_chars": len(one.read_text(encoding="utf-8")),
               "commands": {k: " ".join(Path(a).name if i == 0 or a == str(one) else a for i, a in enumerate(v))
                            for k, v in commands.items()}}
        for name, rs in runs.items():
            walls, cpus = [r["wall_s"] for r in rs], [r["cpu_s"] for r in rs]
            res[name] = {"median_s": round(statistics.median(walls), 4), "min_s": round(min(walls), 4),
                         "cpu_median_s": round(statistics.median(cpus), 4), "runs_s": walls, "cpu_runs_s": cpus,
                         "maxrss_mb": max(r["maxrss_mb"] for r in rs)}
        floor, floor_cpu = res["spacy_floor"]["median_s"], res["spacy_floor"]["cpu_median_s"]
        res["check_one_vs_floor"] = _ratio(res["msglint_check_one"]["median_s"], floor)
        res["version_vs_floor"] = _ratio(res["msglint_version"]["median_s"], floor)
        res["check_one_vs_floor_cpu"] = _ratio(res["msglint_check_one"]["cpu_median_s"], floor_cpu)
        return res

    def switch(self) -> dict:
        reps = 1 if self.args.quick else 3
        log(f"switch: {reps} fresh processes")
        runs = []
        for _ in range(reps):
            r = measure.run([self.py, "-m", "bench.switch"], capture=True, timeout=self.args.timeout)
            if r["returncode"] != 0:
                return {"error": r.get("stderr")}
            runs.append(json.loads(r["stdout"].strip().splitlines()[-1]))
        res = {"processes": reps, "first_US_s": _med([r["first_US_s"] for r in runs]),
               "warm_US_ms": _med([r["warm_US_ms"] for r in runs]), "marketplaces": {}}
        for mp, first in runs[0]["marketplaces"].items():
            res["marketplaces"][mp] = {
                "language": first["language"], "language_loaded_before": first["language_loaded_before"],
                **{k: _med([r["marketplaces"][mp][k] for r in runs]) for k in ("first_ms", "warm_ms", "switch_ms")}}
        return res

    def files(self) -> dict:
        size = int(self.args.file_mb * 1024 * 1024)
        bodies = {"plain": generate.plain_text(size, seed=self.args.seed)}
        for name, pattern in generate.HOSTILE.items():
            if not self.args.quick or name in QUICK_HOSTILE:
                bodies[name] = generate.hostile_text(pattern, size)
        res = {"size_bytes": size, "files": {}}
        argv = measure.msglint_argv(self.py) + ["check", "--format", "jsonl", "--exit-zero"]
        plain = None
        for name, body in bodies.items():
            path = self.data / f"file_{len(res['files'])}.txt"
            path.write_text(body, encoding="utf-8")
            out = str(self.data / "file_out.jsonl")
            log(f"files: {name} ({len(body.encode()) / 2**20:.2f} MB)")
            r = measure.run(argv + [str(path)], stdout_path=out, timeout=self.args.timeout)
            r["findings"] = _count_findings(out)
            r["bytes"] = len(body.encode("utf-8"))
            if name == "plain":
                plain = r["wall_s"]
            elif plain:
                r["ratio_to_plain"] = _ratio(r["wall_s"], plain)
            res["files"][name] = r
            os.unlink(out)
            path.unlink()
        hostile = [r.get("ratio_to_plain") for k, r in res["files"].items() if k != "plain"]
        res["worst_hostile_ratio"] = max((h for h in hostile if h is not None), default=None)
        return res

    def accuracy(self) -> dict:
        res = {"categories": list(peers.CONTACT), "corpora": {}}
        for corpus in self.args.corpus:
            name = _corpus_name(corpus)
            records = _load(corpus)
            gold = {str(r["id"]): set(r.get("labels") or []) for r in records}
            log(f"accuracy: {name} ({len(records)} texts), msglint")
            out = str(self.data / "acc_out.jsonl")
            argv = measure.msglint_argv(self.py) + ["check", "--input", "jsonl", "--format", "jsonl", "--exit-zero",
                                                    corpus]
            run = measure.run(argv, stdout_path=out, timeout=self.args.timeout)
            found, errors = {}, {}
            with open(out, encoding="utf-8") as fh:
                for line in fh:
                    obj = json.loads(line)
                    fs = obj.get("findings", [])
                    found[str(obj["id"])] = {f["category"] for f in fs
                                             if f.get("category") and f.get("severity") in peers.COUNTED}
                    errors[str(obj["id"])] = any(f.get("severity") == "error" for f in fs)
            clean = [i for i, g in gold.items() if not g]
            entry = {"texts": len(records), "msglint": {
                "contact": _scores(gold, found, peers.CONTACT),
                "all_categories": _scores(gold, found, sorted({c for g in gold.values() for c in g})),
                "clean_texts": len(clean),
                "clean_with_error": round(sum(errors.get(i, False) for i in clean) / len(clean), 4) if clean else None,
                "missing_outputs": sum(1 for i in gold if i not in found),
                "wall_s": run["wall_s"]}}
            for p in self.peers:
                log(f"accuracy: {name}, {p}")
                det = str(self.data / f"acc_{p}.jsonl")
                r = measure.worker(p, corpus, warmup=0, pin=False, detections=det, timeout=self.args.timeout)
                if "error" in r:
                    entry[p] = r
                    continue
                pf = {}
                with open(det, encoding="utf-8") as fh:
                    for line in fh:
                        obj = json.loads(line)
                        pf[str(obj["id"])] = set(obj["categories"])
                entry[p] = {"contact": _scores(gold, pf, peers.CONTACT), "wall_s": r["process"]["wall_s"]}
            res["corpora"][name] = entry
        return res


def _corpus_name(path: str) -> str:
    """tests/data/heldout.jsonl inside the repository, shared/corpus/dev.jsonl beside it, else the file name."""
    p = Path(path).resolve()
    for base, prefix in ((measure.REPO, ""), (measure.REPO.parent / "shared", "shared/")):
        try:
            return prefix + str(p.relative_to(base.resolve()))
        except ValueError:
            pass
    return p.name


def _load(path: str) -> list:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _scores(gold: dict, found: dict, categories) -> dict:
    """Per text and category: found when the engine reports the category; precision and recall."""
    out = {}
    for c in categories:
        tp = fp = fn = 0
        for rid, labels in gold.items():
            hit = c in found.get(rid, set())
            if c in labels:
                tp += hit
                fn += not hit
            else:
                fp += hit
        out[c] = {"positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                  "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                  "recall": round(tp / (tp + fn), 3) if tp + fn else None}
    return out


def _count_findings(path: str) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                n += len(json.loads(line).get("findings", []))
    return n


def _ratio(a, b):
    return round(a / b, 3) if a and b else None


def _med(values):
    return round(statistics.median(values), 4)


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = round(int(fh.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=measure.REPO, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_1min_at_start": round(os.getloadavg()[0], 2),
            "git_commit": commit,
            "versions": {k: peers.version(k) for k in ("msglint", "spacy", "presidio", "scrubadub", "matplotlib",
                                                       "psutil")}}


def main(argv=None) -> dict:
    args = parse_args(argv)
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="msglint-bench-") as tmp:
        data_dir = args.keep_data or tmp
        os.makedirs(data_dir, exist_ok=True)
        suite = Suite(args, data_dir)
        if not measure.psutil_available():
            suite.notes.append("psutil is not installed: peak RSS is the largest single process (wait4), "
                               "not the process tree")
        results = {"schema": 1, "started": started.isoformat(timespec="seconds"), "machine": machine(),
                   "options": {"quick": args.quick, "sizes": args.sizes, "sections": args.only,
                               "peers": suite.peers, "mixed": args.mixed, "short": args.short,
                               "file_mb": args.file_mb, "reps": args.reps, "seed": args.seed,
                               "msglint_python": suite.py, "peer_python": sys.executable,
                               "corpora": [Path(c).name for c in args.corpus]},
                   "notes": suite.notes, "sections": {}}
        for name in SECTIONS:
            if name in args.only:
                s0 = time.perf_counter()
                load0 = os.getloadavg()[0]
                try:
                    section = getattr(suite, name)()
                except Exception as exc:  # one broken section must not lose the others' numbers
                    section = {"error": f"{type(exc).__name__}: {exc}"}
                    log(f"{name} failed: {section['error']}")
                section["section_s"] = round(time.perf_counter() - s0, 1)
                # other programs on the machine show here: compare wall and CPU times when it is high
                section["load_average_1min"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
                results["sections"][name] = section
        results["datasets"] = {k: v[1] for k, v in suite.datasets.items()}
    results["seconds"] = round(time.perf_counter() - t0, 1)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(results, indent=1, ensure_ascii=False) + "\n"
    (out_dir / f"{stamp}.json").write_text(text, encoding="utf-8")
    (out_dir / "latest.json").write_text(text, encoding="utf-8")
    log(f"results: {out_dir / (stamp + '.json')} ({results['seconds']} s)")
    if args.docs:
        from bench import report

        written = report.write(results, Path(args.docs))
        log("docs: " + ", ".join(str(p) for p in written))
    return results
