"""The pre-send service under hostile load: start-up memory, hostile requests, half-open connections.

Starts the service as `msglint serve` would (all marketplaces warmed up, default workers, time
limit and connection limits) in a child process on 127.0.0.1 (a socket bound here and handed
over), with its log in a file, and measures three things:

  startup   RSS and PSS of the service's processes (service, supervisor, workers) once /healthz
            answers. PSS divides pages shared between processes (the workers are forks of the
            supervisor) among them, so its sum is the real footprint; the RSS sum counts shared
            pages once per process.
  hostile   a hostile request every 0.5 s (texts that are slow for spaCy's tokenizer or for
            super-linear paths: punctuation and flag-emoji runs, words without sentence ends,
            "review " repeated, x@a.a.a..., http://a" repeated) for --duration seconds, while
            --clients ordinary clients each send a buyer message every 0.1 s and /healthz is
            asked every 0.25 s. Prints p50/p99/max of the ordinary requests and of /healthz, and
            what the hostile requests got.
  halfopen  --connections TCP connections that connect and never send a request (half of
            them send an incomplete header line), held for 15 s (longer than the 10 s header
            timeout); /healthz latency meanwhile, how many the server closed, and the log size.

Numbers only, no pass/fail. Run: `python bench/bench_robustness.py [--phase all|startup|hostile|halfopen]
[--duration 60] [--clients 4] [--connections 5000] [--marketplaces US,DE] [--json]`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time

CHILD = """
import socket, sys
from msglint.server import build_server, create_app
sock = socket.socket(fileno=int(sys.argv[1]))
codes = sys.argv[2].split(",") if sys.argv[2] else None
app = create_app(marketplace_codes=codes)
build_server(app, "127.0.0.1", sock.getsockname()[1]).run(sockets=[sock])
"""

ORDINARY = [
    "Hello Mr. Rossi,\n\nThank you for your message about order 114-6639201-7740582. We're sorry the lid "
    "arrived cracked. A replacement ships today with UPS and should arrive by Thursday.\n\nBest regards,\nHalden",
    "Hi Laura,\nplease email help@vellbyhome.com or call (415) 555-0171 and we will sort it out quickly.",
    "Dear customer, we are sorry for the delay. If you leave us a 5-star review we will refund the shipping.",
    "Hi Tom, thanks for your order of the ceramic pour-over set. It ships tomorrow morning with DHL.",
]

HOSTILE = {
    "punctuation 15k": "!" * 15_000,
    "flag emoji 20k": "\U0001F1E9\U0001F1EA" * 20_000,
    "words without sentence ends 200k": ("lorem ipsum dolor sit amet " * 8_000)[:200_000],
    "'review ' repeated 200k": ("review " * 30_000)[:200_000],
    "x@a.a.a... 200k": "x@" + "a." * 99_999,
    "http://a\" repeated 200k": ('http://a"' * 23_000)[:200_000],
}


def percentile(values: list, q: float):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000, 1)


def summary(values: list) -> dict:
    return {"n": len(values), "p50_ms": percentile(values, 0.5), "p99_ms": percentile(values, 0.99),
            "max_ms": round(max(values) * 1000, 1) if values else None}


# --- the server ---------------------------------------------------------------------------------------

def start_server(log_path: str, codes: str = "") -> tuple[subprocess.Popen, int, float]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "MSGLINT_TOKEN"}
    log = open(log_path, "w")
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sock.fileno()), codes], pass_fds=[sock.fileno()],
                             stdout=log, stderr=log, env=env)
    sock.close()
    log.close()
    while time.monotonic() - started < 600:
        if child.poll() is not None:
            raise SystemExit(f"the server exited during start-up (code {child.returncode}); see {log_path}")
        if get(port, "/healthz", timeout=2)[0] == 200:
            return child, port, time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit("the server was not ready within 600 s")


def stop_server(child: subprocess.Popen) -> None:
    child.terminate()
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, float]:
    t0 = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
    except (OSError, http.client.HTTPException):
        status = 0
    return status, time.perf_counter() - t0


def post(conn: http.client.HTTPConnection, text: str) -> tuple[int, dict]:
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def process_tree(root: int) -> list[tuple[int, int]]:
    """(pid, depth) of ``root`` and its descendants: 0 the service, 1 the supervisor, 2 the workers."""
    children: dict = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [(root, 0)]
    while todo:
        pid, depth = todo.pop()
        out.append((pid, depth))
        todo.extend((child, depth + 1) for child in children.get(pid, []))
    return out


def memory(root: int) -> dict:
    """MB of RSS and PSS per process of the service and in total."""
    rows = []
    for pid, depth in process_tree(root):
        try:
            with open(f"/proc/{pid}/status") as fh:
                rss = int(fh.read().split("VmRSS:")[1].split()[0]) / 1024
            pss = rss
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss = int(line.split()[1]) / 1024
        except (OSError, IndexError, ValueError):
            continue
        role = ("service", "supervisor", "worker")[min(depth, 2)]
        rows.append({"pid": pid, "role": role, "rss_mb": round(rss), "pss_mb": round(pss)})
    return {"processes": rows, "rss_sum_mb": sum(r["rss_mb"] for r in rows),
            "pss_sum_mb": sum(r["pss_mb"] for r in rows)}


# --- phases -------------------------------------------------------------------------------------------

def hostile_phase(port: int, duration: float, clients: int) -> dict:
    stop = time.monotonic() + duration
    ordinary, ordinary_errors, health, health_errors = [], [], [], 0
    hostile: dict = {name: [] for name in HOSTILE}
    lock = threading.Lock()

    def ordinary_client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, body = post(conn, ORDINARY[i % len(ORDINARY)])
            except (OSError, http.client.HTTPException, ValueError) as exc:
                status, body = 0, {"error": type(exc).__name__}
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - t0
            with lock:
                ordinary.append(elapsed)
                if status != 200:
                    ordinary_errors.append(f"{status} {body.get('error')}")
            i += 1
            time.sleep(max(0.0, 0.1 - elapsed))
        conn.close()

    def health_poller() -> None:
        nonlocal health_errors
        while time.monotonic() < stop:
            status, elapsed = get(port, "/healthz")
            with lock:
                health.append(elapsed)
                health_errors += status != 200
            time.sleep(0.25)

    def one_hostile(name: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t0 = time.perf_counter()
        try:
            status, body = post(conn, HOSTILE[name])
            outcome = f"{status} {body.get('verdict')}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            outcome = type(exc).__name__
        with lock:
            hostile[name].append((outcome, time.perf_counter() - t0))
        conn.close()

    threads = [threading.Thread(target=ordinary_client, args=(k,), daemon=True) for k in range(clients)]
    threads.append(threading.Thread(target=health_poller, daemon=True))
    for t in threads:
        t.start()
    names = list(HOSTILE)
    sent, hostile_threads = 0, []
    while time.monotonic() < stop:
        t = threading.Thread(target=one_hostile, args=(names[sent % len(names)],), daemon=True)
        t.start()
        hostile_threads.append(t)
        sent += 1
        time.sleep(0.5)
    for t in threads + hostile_threads:
        t.join(90)
    per_pattern = {}
    for name, results in hostile.items():
        outcomes: dict = {}
        for outcome, _ in results:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        per_pattern[name] = {"sent": len(results), "outcomes": outcomes,
                             "p50_ms": percentile([e for _, e in results], 0.5),
                             "max_ms": round(max((e for _, e in results), default=0) * 1000, 1)}
    return {"duration_s": duration, "ordinary_clients": clients, "ordinary": summary(ordinary),
            "ordinary_errors": len(ordinary_errors), "ordinary_error_samples": sorted(set(ordinary_errors))[:5],
            "healthz": summary(health), "healthz_errors": health_errors, "hostile_sent": sent,
            "hostile": per_pattern}


def halfopen_phase(port: int, n: int, log_path: str) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 256:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(n + 256, soft)), hard))
    log_before = os.path.getsize(log_path)
    held, failed = [], 0
    t0 = time.monotonic()
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            held.append(s)
        except OSError:
            failed += 1
    opened_in = time.monotonic() - t0
    health, health_errors = [], 0
    hold_until = time.monotonic() + 15
    while time.monotonic() < hold_until:
        status, elapsed = get(port, "/healthz")
        health.append(elapsed)
        health_errors += status != 200
        time.sleep(0.25)
    closed = 0
    for s in held:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    return {"connections": n, "opened": len(held), "refused": failed, "opening_s": round(opened_in, 1),
            "closed_by_server_within_15s": closed, "healthz": summary(health), "healthz_errors": health_errors,
            "log_growth_bytes": os.path.getsize(log_path) - log_before}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--phase", choices=["all", "startup", "hostile", "halfopen"], default="all")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--connections", type=int, default=5000)
    ap.add_argument("--marketplaces", default="", help="e.g. US,DE: serve only these (default: all)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not (1 <= args.duration <= 600 and 1 <= args.clients <= 50 and 1 <= args.connections <= 20_000):
        raise SystemExit("keep it bounded: duration up to 600 s, 1-50 clients, up to 20000 connections")

    with tempfile.TemporaryDirectory() as tmp:
        log_path = os.path.join(tmp, "server.log")
        child, port, ready_s = start_server(log_path, args.marketplaces)
        report: dict = {"cpus": os.cpu_count(), "startup_s": round(ready_s, 1),
                        "marketplaces": args.marketplaces or "all"}
        try:
            time.sleep(2)  # let the start-up settle before reading memory
            report["memory_at_start"] = memory(child.pid)
            if args.phase in ("all", "hostile"):
                report["hostile"] = hostile_phase(port, args.duration, args.clients)
                report["memory_after_hostile"] = memory(child.pid)
            if args.phase in ("all", "halfopen"):
                report["halfopen"] = halfopen_phase(port, args.connections, log_path)
            report["log_bytes"] = os.path.getsize(log_path)
        finally:
            stop_server(child)

    if args.json:
        print(json.dumps(report, indent=2))
        return
    m = report["memory_at_start"]
    print(f"start-up (marketplaces: {report['marketplaces']}): ready in {report['startup_s']} s on "
          f"{report['cpus']} CPUs; memory: RSS sum "
          f"{m['rss_sum_mb']} MB, PSS sum {m['pss_sum_mb']} MB")
    for row in m["processes"]:
        print(f"  {row['role']:10} pid {row['pid']:>7}  RSS {row['rss_mb']:>5} MB  PSS {row['pss_mb']:>5} MB")
    if "hostile" in report:
        h = report["hostile"]
        o, z = h["ordinary"], h["healthz"]
        print(f"hostile: {h['hostile_sent']} hostile requests (one every 0.5 s) over {h['duration_s']:g} s, "
              f"{h['ordinary_clients']} ordinary clients (one request per 0.1 s each)")
        print(f"  ordinary  n={o['n']:>5}  p50 {o['p50_ms']} ms  p99 {o['p99_ms']} ms  max {o['max_ms']} ms  "
              f"errors {h['ordinary_errors']}")
        print(f"  /healthz  n={z['n']:>5}  p50 {z['p50_ms']} ms  p99 {z['p99_ms']} ms  max {z['max_ms']} ms  "
              f"errors {h['healthz_errors']}")
        for name, r in h["hostile"].items():
            print(f"  hostile {name:34} sent {r['sent']:>3}  {r['outcomes']}  p50 {r['p50_ms']} ms")
        for sample in h["ordinary_error_samples"]:
            print(f"  ordinary error: {sample}")
        ma = report["memory_after_hostile"]
        print(f"  memory after: RSS sum {ma['rss_sum_mb']} MB, PSS sum {ma['pss_sum_mb']} MB")
    if "halfopen" in report:
        c = report["halfopen"]
        z = c["healthz"]
        print(f"half-open: {c['opened']} of {c['connections']} connections open in {c['opening_s']} s "
              f"(refused {c['refused']}); held 15 s")
        print(f"  /healthz  n={z['n']:>5}  p50 {z['p50_ms']} ms  p99 {z['p99_ms']} ms  max {z['max_ms']} ms  "
              f"errors {c['healthz_errors']}")
        print(f"  closed by the server within 15 s: {c['closed_by_server_within_15s']}; log grew by "
              f"{c['log_growth_bytes']} bytes")
    print(f"server log: {report['log_bytes']} bytes")


if __name__ == "__main__":
    main()
