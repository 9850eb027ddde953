"""docs/performance.md and its two plots, from one results JSON of ``python -m bench``.

``python -m bench.report [bench/results/latest.json] [--docs DIR]`` writes them again from a
stored run. The plots need matplotlib (the ``bench`` extra); without it the page is written
with a note in their place.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Optional

LATENCY_PNG = "performance-latency-vs-length.png"
THROUGHPUT_PNG = "performance-throughput-vs-n.png"
ENGINE_LABELS = {"msglint": "msglint (API, warm, one core)", "spacy": "spaCy blank tokenizer alone",
                 "presidio": "Presidio analyzer (blank spaCy; e-mail/phone/URL)",
                 "scrubadub": "scrubadub (e-mail/phone/URL detectors)"}


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def fmt(v, digits: int = 1, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        v = f"{v:,.{digits}f}"
    elif isinstance(v, int):
        v = f"{v:,}"
    return f"{v}{unit}"


def _met(value, target, below: bool = True) -> str:
    if value is None:
        return "not measured"
    return "yes" if (value < target if below else value >= target) else "**no**"


def _table(header: list, rows: list) -> list:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out + [""]


def done_when(res: dict) -> list:
    s = res.get("sections", {})
    short = _get(s, "throughput", "short", "msglint") or {}
    short_rate, short_p99 = short.get("messages_per_s"), short.get("p99_ms")
    mixed = s.get("mixed") or {}
    presidio_ratio = _get(mixed, "ratios", "presidio", "jsonl_command_vs_peer_command")
    uk = _get(s, "switch", "marketplaces", "UK") or {}
    de = _get(s, "switch", "marketplaces", "DE") or {}
    cold = s.get("cold") or {}
    files = s.get("files") or {}
    plain = _get(files, "files", "plain", "wall_s")
    worst = files.get("worst_hostile_ratio")
    worst_name = next((k for k, r in (files.get("files") or {}).items() if r.get("ratio_to_plain") == worst), "")
    worst_cpu, worst_cpu_name = _worst_cpu_ratio(files)
    tp = s.get("throughput") or {}
    big = max(tp.get("sizes") or [0])
    api_big = next((r for r in tp.get("api", []) if r.get("n") == big), {})
    jsonl_big = next((r for r in tp.get("jsonl", []) if r.get("n") == big), {})
    rss_api = api_big.get("maxrss_mb")
    rss_jsonl = jsonl_big.get("maxrss_mb")
    rss_tree = jsonl_big.get("tree_peak_rss_mb")
    ratio = _get(tp, "ratio_big_small") or {}
    cpu_ratio = _cpu_ratios(tp)
    rows = [
        ["warm, in-process, one core, generated 100–800-character messages", "≥ 3,000 messages/s",
         f"{fmt(short_rate)} messages/s; in CPU time {fmt(short.get('cpu_messages_per_s'))} "
         f"(spaCy tokenizer alone: {fmt(_get(tp, 'short', 'spacy', 'messages_per_s'))})",
         _met(short_rate, 3000, below=False)],
        ["… p99 latency in-process", "< 2 ms", f"{fmt(short_p99, 2)} ms (p50 {fmt(short.get('p50_ms'), 2)} ms); "
                                                f"in CPU time {fmt(short.get('cpu_p99_ms'), 2)} ms",
         _met(short_p99, 2)],
        [f"{fmt(_get(mixed, 'data', 'messages'))} mixed-marketplace messages, JSONL batch, whole command, vs Presidio",
         "≥ 5×", f"{fmt(presidio_ratio, 2)}× ({fmt(_get(mixed, 'msglint_jsonl', 'messages_per_s'))} vs "
                 f"{fmt(_get(mixed, 'peers', 'presidio', 'whole_command_messages_per_s'))} messages/s)",
         _met(presidio_ratio, 5, below=False)],
        ["first check on a marketplace of a loaded language (UK after US)", "< 10 ms",
         f"{fmt(uk.get('switch_ms'), 1)} ms", _met(uk.get("switch_ms"), 10)],
        ["first check on a new language (DE after US)", "< 0.3 s",
         f"{fmt((de.get('switch_ms') or 0) / 1000 if de else None, 3)} s", _met((de.get("switch_ms") or 0) / 1000
                                                                             if de else None, 0.3)],
        ["cold `msglint check one.txt` vs `import spacy; spacy.blank('en')`", "≤ 1.3×",
         f"{fmt(cold.get('check_one_vs_floor'), 2)}× ({fmt(_get(cold, 'msglint_check_one', 'median_s'), 2)} s vs "
         f"{fmt(_get(cold, 'spacy_floor', 'median_s'), 2)} s); in CPU time {fmt(cold.get('check_one_vs_floor_cpu'), 2)}×",
         _met(cold.get("check_one_vs_floor"), 1.3001)],
        ["`msglint --version`", "< 0.3 s", f"{fmt(_get(cold, 'msglint_version', 'median_s'), 3)} s",
         _met(_get(cold, "msglint_version", "median_s"), 0.3)],
        [f"a {fmt(files.get('size_bytes', 0) / 2**20, 2)} MB plain text, `msglint check`", "≤ 3 s",
         f"{fmt(plain, 2)} s", _met(plain, 3.0001)],
        ["worst hostile file of the same size vs plain", "≤ 3×",
         f"wall time {fmt(worst, 2)}× ({worst_name}); CPU time {fmt(worst_cpu, 2)}× ({worst_cpu_name})",
         _met(max((x for x in (worst, worst_cpu) if x), default=None), 3.0001)],
        [f"peak RSS at {fmt(big)} messages", "< 300 MB",
         f"API {fmt(rss_api)} MB; JSONL command: largest process {fmt(rss_jsonl)} MB, all its processes "
         f"{fmt(rss_tree)} MB", _met(max(x for x in (rss_api, rss_jsonl, 0) if x is not None) or None, 300)],
        [f"{fmt(big)}/{fmt(big // 10)} time ratio", "≤ 11",
         f"API {fmt(ratio.get('api_check_time'), 2)} (CPU time {fmt(cpu_ratio.get('api'), 2)}); JSONL command "
         f"{fmt(ratio.get('jsonl_wall_time'), 2)} (CPU time {fmt(cpu_ratio.get('jsonl'), 2)})",
         _met(max((x for x in (ratio.get("api_check_time"), ratio.get("jsonl_wall_time")) if x), default=None),
              11.0001)],
    ]
    return _table(["goal (issue 10, Done when)", "target", "measured in this run", "met"], rows)


def _cpu_ratios(tp: dict) -> dict:
    """The big/small ratio in CPU time (checking time of the API; the JSONL command's CPU seconds)."""
    sizes = (tp.get("ratio_big_small") or {}).get("sizes")
    if not sizes:
        return {}
    big, small = sizes

    def pick(rows, key):
        by = {r.get("n"): r.get(key) for r in rows}
        a, b = by.get(big), by.get(small)
        return round(a / b, 3) if a and b else None

    return {"api": pick(tp.get("api", []), "cpu_check_s"), "jsonl": pick(tp.get("jsonl", []), "cpu_s")}


def _worst_cpu_ratio(files: dict) -> tuple:
    rows = files.get("files") or {}
    plain = _get(rows, "plain", "cpu_s")
    ratios = {k: r["cpu_s"] / plain for k, r in rows.items() if k != "plain" and plain and r.get("cpu_s")}
    if not ratios:
        return None, ""
    name = max(ratios, key=ratios.get)
    return round(ratios[name], 2), name


def _peer_cols(res) -> list:
    return [p for p in ("presidio", "scrubadub") if p in (_get(res, "options", "peers") or [])]


def throughput_section(res: dict) -> list:
    tp = _get(res, "sections", "throughput")
    if not tp or "error" in tp:
        return [f"Not measured{': ' + tp['error'] if tp else ''}.", ""]
    peers = _peer_cols(res)
    out = ["Generated messages in the six languages (100–2,000 characters, log-uniform lengths; "
           "about 40% carry a violation), every marketplace of each language. **JSONL command**: "
           "`msglint check --input jsonl --format jsonl FILE`, whole command with its default worker "
           "processes, wall time; peak RSS of its largest process and of all its processes together. "
           "**API**: `Linter.check` per message in one process pinned to one core after a warm-up on "
           "other texts; latency is the call alone. Peers and the spaCy floor: the same messages, same way.", ""]
    out += ["Columns in CPU time (the thread's own time per call) show what other programs on a shared "
            "machine did to the wall-clock numbers.", ""]
    rows = []
    for j in tp.get("jsonl", []):
        n = j["n"]
        a = next((r for r in tp.get("api", []) if r.get("n") == n), {})
        sp = next((r for r in tp.get("spacy", []) if r.get("n") == n), {})
        row = [fmt(n), fmt(_get(j, "data", "mean_chars")), f"{fmt(j.get('messages_per_s'))} ({fmt(j.get('wall_s'), 1)} s)",
               f"{fmt(j.get('maxrss_mb'))} / {fmt(j.get('tree_peak_rss_mb'))}", fmt(a.get("messages_per_s")),
               f"{fmt(a.get('p50_ms'), 2)} / {fmt(a.get('p99_ms'), 2)}", fmt(a.get("cpu_messages_per_s")),
               fmt(a.get("maxrss_mb")),
               fmt(sp.get("messages_per_s"))]
        for p in peers:
            pr = next((r for r in tp["peers"].get(p, []) if r.get("n") == n), {})
            rate = pr.get("messages_per_s")
            ratio = a.get("messages_per_s") / rate if rate and a.get("messages_per_s") else None
            row.append(f"{fmt(rate)} (msglint {fmt(ratio, 2)}×)" if rate else "—")
        rows.append(row)
    out += _table(["messages", "mean chars", "JSONL command msg/s (wall)", "JSONL peak RSS MB (largest / all)",
                   "API msg/s", "API p50 / p99 ms", "API msg/s in CPU time", "API peak RSS MB",
                   "spaCy tokenizer msg/s"]
                  + [f"{p} msg/s" for p in peers], rows)
    peer_sizes = {r.get("n") for rows_ in (tp.get("peers") or {}).values() for r in rows_}
    skipped = [n for n in tp.get("sizes", []) if peers and n not in peer_sizes]
    if skipped:
        out += [f"The peers were not run on {', '.join(fmt(n) for n in skipped)} messages (`--peer-max`), to keep "
                "the run within its time: their cost per message does not depend on the batch size (compare "
                "their rows above).", ""]
    ratio = tp.get("ratio_big_small")
    if ratio:
        cpu = _cpu_ratios(tp)
        out += [f"Time ratio {fmt(ratio['sizes'][0])}/{fmt(ratio['sizes'][1])}: API checking time "
                f"{fmt(ratio.get('api_check_time'), 2)} (CPU time {fmt(cpu.get('api'), 2)}), JSONL command wall time "
                f"{fmt(ratio.get('jsonl_wall_time'), 2)} (CPU time {fmt(cpu.get('jsonl'), 2)}); 10 would be linear.",
                ""]
    short = tp.get("short") or {}
    if short:
        out += [f"**{fmt(_get(short, 'data', 'messages'))} messages of 100–800 characters** (mean "
                f"{fmt(_get(short, 'data', 'mean_chars'))}), warm, one core:", ""]
        rows = []
        for eng in ["msglint", "spacy"] + peers:
            r = short.get(eng) or {}
            rows.append([ENGINE_LABELS.get(eng, eng), fmt(r.get("messages_per_s")), fmt(r.get("p50_ms"), 3),
                         fmt(r.get("p99_ms"), 3), fmt(r.get("max_ms"), 1), fmt(r.get("cpu_messages_per_s")),
                         fmt(r.get("cpu_p99_ms"), 3), fmt(r.get("maxrss_mb"))])
        out += _table(["engine", "messages/s", "p50 ms", "p99 ms", "max ms", "messages/s in CPU time",
                       "p99 ms in CPU time", "peak RSS MB"], rows)
    return out


def mixed_section(res: dict) -> list:
    m = _get(res, "sections", "mixed")
    if not m or "error" in m:
        return [f"Not measured{': ' + m['error'] if m else ''}.", ""]
    d = m["data"]
    out = [f"{fmt(d['messages'])} messages, mean {fmt(d['mean_chars'])} characters, from "
           f"{', '.join(m['marketplaces'])} (weighted like a helpdesk's day). Whole command = process start, "
           "imports, set-up, reading the file, checking, writing the results.", ""]
    rows = [["msglint JSONL command, default workers", fmt(m["msglint_jsonl"]["messages_per_s"]),
             fmt(m["msglint_jsonl"]["wall_s"], 2), fmt(m["msglint_jsonl"]["cpu_s"], 2), "—"],
            ["msglint JSONL command, `--jobs 1`", fmt(_get(m, "msglint_jsonl_1job", "messages_per_s")),
             fmt(_get(m, "msglint_jsonl_1job", "wall_s"), 2), fmt(_get(m, "msglint_jsonl_1job", "cpu_s"), 2), "—"],
            ["msglint API, warm, one core", "—", "—", "—", fmt(_get(m, "msglint_api", "messages_per_s"))],
            ["spaCy blank tokenizer alone, one core", "—", "—", "—", fmt(_get(m, "spacy", "messages_per_s"))]]
    for p, r in m.get("peers", {}).items():
        rows.append([ENGINE_LABELS.get(p, p) + ", whole command", fmt(r.get("whole_command_messages_per_s")),
                     fmt(_get(r, "process", "wall_s"), 2), fmt(_get(r, "process", "cpu_s"), 2),
                     fmt(r.get("messages_per_s"))])
    out += _table(["engine", "whole command msg/s", "wall s", "CPU s", "in-process msg/s"], rows)
    for p, r in (m.get("ratios") or {}).items():
        out.append(f"- msglint vs {p}: JSONL command / {p} command {fmt(r['jsonl_command_vs_peer_command'], 2)}×; "
                   f"with `--jobs 1` {fmt(r['jsonl_1job_vs_peer_command'], 2)}×; in-process "
                   f"{fmt(r['api_vs_peer_in_process'], 2)}×")
    return out + [""]


def length_section(res: dict, plots: dict) -> list:
    ln = _get(res, "sections", "length")
    if not ln or "error" in ln:
        return [f"Not measured{': ' + ln['error'] if ln else ''}.", ""]
    engines = [e for e in ln["engines"] if isinstance(ln["engines"][e], list)]
    out = [f"{ln['per_length']} messages per length (the six languages in turn), warm, one core; median latency in ms.", ""]
    rows = []
    for i, chars in enumerate(ln["lengths"]):
        row = [fmt(chars)]
        for e in engines:
            pts = ln["engines"][e]
            row.append(fmt(pts[i]["p50_ms"], 3) if i < len(pts) else "—")
        rows.append(row)
    out += _table(["characters"] + [f"{e} p50 ms" for e in engines], rows)
    if plots.get("latency"):
        out += [f"![latency against message length]({plots['latency']})", ""]
    return out


def cold_section(res: dict) -> list:
    c = _get(res, "sections", "cold")
    if not c or "error" in c:
        return [f"Not measured{': ' + c['error'] if c else ''}.", ""]
    out = [f"Median of {c['reps']} interleaved runs of each command (after one untimed run of each).", ""]
    rows = []
    floor = c["spacy_floor"]["median_s"]
    for key in ("python_bare", "spacy_floor", "msglint_version", "msglint_check_one"):
        r = c[key]
        cpu_floor = c["spacy_floor"].get("cpu_median_s")
        rows.append([f"`{c['commands'][key]}`", fmt(r["median_s"], 3), fmt(r["min_s"], 3),
                     fmt(r["median_s"] / floor if floor else None, 2) + "×", fmt(r.get("cpu_median_s"), 3),
                     fmt(r["cpu_median_s"] / cpu_floor if cpu_floor and r.get("cpu_median_s") else None, 2) + "×",
                     fmt(r.get("maxrss_mb"))])
    return out + _table(["command", "median s", "min s", "vs spaCy floor", "CPU median s", "CPU vs floor",
                         "peak RSS MB"], rows)


def switch_section(res: dict) -> list:
    sw = _get(res, "sections", "switch")
    if not sw or "error" in sw:
        return [f"Not measured{': ' + sw['error'] if sw else ''}.", ""]
    out = [f"A fresh process: `Linter(marketplace=\"US\")` and its first check ({fmt(sw['first_US_s'], 2)} s, "
           f"English built), then `Linter(marketplace=X)` and its first check for each marketplace in this order; "
           f"switch = first check − warm check of the same text. Median of {sw['processes']} processes.", ""]
    rows = [[mp, r["language"], "yes" if r["language_loaded_before"] else "no", fmt(r["first_ms"], 1),
             fmt(r["warm_ms"], 2), fmt(r["switch_ms"], 1)] for mp, r in sw["marketplaces"].items()]
    return out + _table(["marketplace", "language", "language loaded before", "first check ms", "warm ms",
                         "switch ms"], rows)


def files_section(res: dict) -> list:
    f = _get(res, "sections", "files")
    if not f or "error" in f:
        return [f"Not measured{': ' + f['error'] if f else ''}.", ""]
    out = [f"`msglint check --format jsonl FILE`, whole command, files of {fmt(f['size_bytes'] / 2**20, 2)} MB.", ""]
    rows = []
    plain_cpu = _get(f, "files", "plain", "cpu_s")
    for name, r in f["files"].items():
        rows.append([name, fmt(r["wall_s"], 2) + (" (stopped)" if r.get("timed_out") else ""), fmt(r["cpu_s"], 2),
                     fmt(r["maxrss_mb"]), fmt(r.get("findings")),
                     fmt(r.get("ratio_to_plain"), 2) + "×" if r.get("ratio_to_plain") else "1×",
                     fmt(r["cpu_s"] / plain_cpu if plain_cpu else None, 2) + "×"])
    return out + _table(["file", "wall s", "CPU s", "peak RSS MB", "findings", "vs plain (wall)", "vs plain (CPU)"],
                        rows)


def accuracy_section(res: dict) -> list:
    a = _get(res, "sections", "accuracy")
    if not a or "error" in a:
        return [f"Not measured{': ' + a['error'] if a else ''}.", ""]
    out = ["Per text and category: a text is found for a category when the engine reports at least one "
           "finding (msglint: severity error or warning, as the corpus scoring counts) or entity of the mapped "
           "type (Presidio EMAIL_ADDRESS/PHONE_NUMBER/URL, scrubadub email/phone/url); clean for it otherwise. "
           "Peers see the text only (Presidio as English, scrubadub with the marketplace's locale).", ""]
    peers = _peer_cols(res)
    for name, c in a["corpora"].items():
        out += [f"**{name}** ({c['texts']} texts)", ""]
        rows = []
        for cat in a["categories"]:
            m = c["msglint"]["contact"][cat]
            row = [cat, fmt(m["positives"]), f"{fmt(m['precision'], 3)} / {fmt(m['recall'], 3)}"]
            for p in peers:
                pc = _get(c, p, "contact", cat)
                row.append(f"{fmt(pc['precision'], 3)} / {fmt(pc['recall'], 3)}" if pc else "—")
            rows.append(row)
        out += _table(["category", "texts with it", "msglint P / R"] + [f"{p} P / R" for p in peers], rows)
        allc = c["msglint"]["all_categories"]
        rows = [[cat, fmt(v["positives"]), fmt(v["tp"]), fmt(v["fp"]), fmt(v["fn"]), fmt(v["precision"], 3),
                 fmt(v["recall"], 3)] for cat, v in allc.items()]
        out += [f"msglint, every category of {name} (clean texts with an error finding: "
                f"{fmt(c['msglint']['clean_with_error'], 4)} of {c['msglint']['clean_texts']}):", ""]
        out += _table(["category", "texts with it", "tp", "fp", "fn", "precision", "recall"], rows)
    return out


def plot(res: dict, docs: Path) -> dict:
    """The two PNG plots; {} when matplotlib is missing or there is nothing to draw."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}
    out = {}
    ln = _get(res, "sections", "length")
    if ln and "engines" in ln:
        series = {ENGINE_LABELS.get(e, e): [(p["chars"], p["p50_ms"]) for p in pts]
                  for e, pts in ln["engines"].items() if isinstance(pts, list) and pts}
        _loglog(plt, docs / LATENCY_PNG, series, "message length (characters)", "median latency per message (ms)",
                "Latency against message length (warm, one core)")
        out["latency"] = LATENCY_PNG
    tp = _get(res, "sections", "throughput")
    if tp and tp.get("api"):
        series = {"msglint JSONL command (whole command, default workers)":
                  [(r["n"], r.get("messages_per_s")) for r in tp.get("jsonl", [])],
                  ENGINE_LABELS["msglint"]: [(r.get("n"), r.get("messages_per_s")) for r in tp.get("api", [])],
                  ENGINE_LABELS["spacy"]: [(r.get("n"), r.get("messages_per_s")) for r in tp.get("spacy", [])]}
        for p, rows in (tp.get("peers") or {}).items():
            series[ENGINE_LABELS.get(p, p) + ", one core"] = [(r.get("n"), r.get("messages_per_s")) for r in rows]
        series = {label: [(n, v) for n, v in pts if n and v] for label, pts in series.items()}
        _loglog(plt, docs / THROUGHPUT_PNG, {k: v for k, v in series.items() if v},
                "messages in the batch (generated, 100–2,000 characters)", "messages per second",
                "Throughput against batch size")
        out["throughput"] = THROUGHPUT_PNG
    return out


def _loglog(plt, path, series: dict, xlabel: str, ylabel: str, title: str) -> None:
    """One log-log line plot, a line with markers per series of (x, y) points, written to ``path``."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, pts in series.items():
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def render(res: dict, plots: dict, source: str = "bench/results/latest.json") -> str:
    m = res.get("machine", {})
    v = m.get("versions", {})
    lines = ["# msglint performance", "",
             f"<!-- generated by `python -m bench` from {source}; do not edit: run the suite again -->", "",
             f"One run of `python -m bench{' --quick' if _get(res, 'options', 'quick') else ''}` "
             f"started {res.get('started')} on {m.get('cores')} cores ({m.get('cpu') or 'unknown CPU'}, "
             f"{fmt(m.get('memory_gb'))} GB), Python {m.get('python')}, msglint {v.get('msglint')} "
             f"(commit {m.get('git_commit') or '?'}), spaCy {v.get('spacy')}, Presidio {v.get('presidio') or '—'}, "
             f"scrubadub {v.get('scrubadub') or '—'}; load average at start {m.get('load_average_1min_at_start')}; "
             f"{fmt(res.get('seconds'))} s in all. Everything in one table was measured in the same run, on the "
             "same generated messages. These are numbers, not tests: no test asserts a time.", ""]
    loads = {k: v.get("load_average_1min") for k, v in res.get("sections", {}).items()
             if isinstance(v, dict) and v.get("load_average_1min")}
    busy = {k: max(v) for k, v in loads.items() if max(v) > 1.5}
    if busy:
        lines += [f"> Other programs were running on the machine during this run (1-minute load average up to "
                  f"{max(busy.values()):.1f} on {m.get('cores')} cores during {', '.join(busy)}): wall-clock "
                  "numbers there are higher than on an idle machine; the CPU-time columns are not inflated by it.",
                  ""]
    for note in res.get("notes", []):
        lines.append(f"> Note: {note}")
    if res.get("notes"):
        lines.append("")
    lines += ["Run it: `pip install -e \".[bench]\"` (Presidio, scrubadub, matplotlib, psutil), then "
              "`python -m bench` from the repository (`--quick` for a smoke run; `--only SECTION`, `--sizes`, "
              "`--corpus FILE.jsonl`, `--out DIR`; `python -m bench --help`). Results: `bench/results/`.", ""]
    lines += ["## Issue 10's goals", ""] + done_when(res)
    lines += ["## Throughput and latency: batch command and Python API", ""] + throughput_section(res)
    if plots.get("throughput"):
        lines += [f"![throughput against batch size]({plots['throughput']})", ""]
    lines += ["## Mixed marketplaces, short messages, side by side", ""] + mixed_section(res)
    lines += ["## Latency against message length", ""] + length_section(res, plots)
    lines += ["## Cold start", ""] + cold_section(res)
    lines += ["## Marketplace switch", ""] + switch_section(res)
    lines += ["## Large and hostile files", ""] + files_section(res)
    lines += ["## Precision and recall of the contact categories", ""] + accuracy_section(res)
    lines += ["## How it is measured", "",
              "- The generator (`bench/generate.py`) is seeded: the same texts on every machine. Messages are "
              "greetings, order sentences, sign-offs and, in some, e-mail addresses, phone numbers in the "
              "marketplace's own format, links, review incentives, review pressure, off-Amazon moves and marketing.",
              "- In-process numbers come from `python -m bench.worker ENGINE FILE --pin`: one process per engine "
              "and file, pinned to one core, warmed up on other texts of every marketplace; each call is timed "
              "alone; records are read one at a time, so the peak RSS is the engine's.",
              "- Presidio: `AnalyzerEngine` over a blank English spaCy pipeline with only `EmailRecognizer`, "
              "`PhoneRecognizer` (its default regions) and `UrlRecognizer`; tldextract uses its bundled suffix list. "
              "scrubadub: a `Scrubber` with its e-mail, phone and URL detectors, one per marketplace locale.",
              "- Peak RSS of a command: the largest process (`wait4`) and, with psutil, the sum over the command's "
              "processes sampled every 50 ms (shared pages of forked workers are counted once per process).",
              f"- Two environments: msglint and the spaCy floor ran in `{_get(res, 'options', 'msglint_python')}`, "
              f"the peers in `{_get(res, 'options', 'peer_python')}`. presidio-analyzer registers a spaCy plugin "
              "(`spacy_factories`), so in an environment where it is installed every `spacy.blank()` imports "
              "presidio_analyzer (here about 0.2 s and 12 MB more for each process, floor included): msglint runs "
              "from an environment without the `bench` extra (`--msglint-python`), as its users run it.",
              ""]
    return "\n".join(lines)


def write(res: dict, docs: Path, source: Optional[str] = None) -> list:
    docs.mkdir(parents=True, exist_ok=True)
    plots = plot(res, docs)
    if not plots:
        res.setdefault("notes", []).append("matplotlib is not installed: no plots")
    page = docs / "performance.md"
    text = render(res, plots, source or "bench/results/latest.json")
    # notes measured by hand below KEPT_MARKER stay when the suite writes the page again
    try:
        old = page.read_text(encoding="utf-8")
    except OSError:
        old = ""
    if KEPT_MARKER in old:
        text = text.rstrip("\n") + "\n\n" + old[old.index(KEPT_MARKER):]
    page.write_text(text, encoding="utf-8")
    return [page] + [docs / p for p in plots.values()]


KEPT_MARKER = "<!-- measured by hand: kept when python -m bench writes this page again -->"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.report")
    ap.add_argument("results", nargs="?", default=str(Path(__file__).parent / "results" / "latest.json"))
    ap.add_argument("--docs", default=str(Path(__file__).resolve().parent.parent / "docs"))
    args = ap.parse_args(argv)
    res = json.loads(Path(args.results).read_text(encoding="utf-8"))
    for p in write(res, Path(args.docs)):
        print(p)


if __name__ == "__main__":
    main()
