"""Load run of the pre-send service on loopback: 20 concurrent keep-alive clients, 2,000 requests.

Starts `msglint.server` in a child process on 127.0.0.1 (a socket bound here and handed over,
so no port race), waits for /healthz, runs a bounded load (request count AND wall-clock
limit), then stops the child. Reports requests/s, p50/p99 latency and errors (any status
other than 200, or a verdict that differs from the same text checked in this process), next
to a same-process baseline: Linter.check on the same texts, one after another.
Also checks that no message text reached the server's log.

Not a test: run `python bench/bench_server.py [--clients 20] [--requests 2000] [--json]`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from msglint import Linter
from msglint.server import DEFAULT_WORKERS

# Realistic replies of 150-600 characters; about half must be blocked.
TEXTS = [
    "Hello Mr. Rossi,\n\nThank you for your message about order 114-6639201-7740582. We're sorry the lid "
    "arrived cracked. A replacement ships today with UPS 1Z8V92E40312457786 and should arrive by Thursday. "
    "You don't need to send the damaged lid back.\n\nBest regards,\nHalden Kitchen",
    "Hi Laura,\nyour replacement pillow shipped today with the tracking number shown in your order. "
    "If anything is wrong when it arrives, just reply to this message.\nKind regards, Vellby Home",
    "Hi Laura,\nplease email help@vellbyhome.com or call (415) 555-0171 and we will sort it out quickly.\n"
    "Thanks, Vellby Home",
    "Dear customer, we are sorry for the delay. If you leave us a 5-star review we will refund the shipping "
    "cost right away. Thank you for your understanding!",
    "Hello,\nthe manual for your kettle is attached as a PDF. The descaling steps are on page 4. "
    "Let us know through this thread if you have any other question.\nBest, Halden Kitchen",
    "Sorry again! Write to help [at] haldenkitchen [dot] com or message us on WhatsApp for faster help. "
    "Visit www.haldenkitchen.com/support for more.",
    "Hi Tom, thanks for your order of the ceramic pour-over set. We checked it before packing and it ships "
    "tomorrow morning with DHL. We hope you enjoy your coffee!",
    "Hello, we noticed you returned the blender. Please remove your negative review and we will send you a "
    "free replacement jar and a $20 gift card for your trouble.",
]

CHILD = """
import socket, sys
from msglint.server import build_server, create_app
sock = socket.socket(fileno=int(sys.argv[1]))
app = create_app(warm_up=sys.argv[2].split(","), timeout=float(sys.argv[3]), workers=int(sys.argv[4]))
build_server(app, "127.0.0.1", sock.getsockname()[1]).run(sockets=[sock])
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def baseline(texts: list[str], n: int) -> tuple[dict, list[str]]:
    """Linter.check in this process for the same n texts, one after another."""
    linter = Linter(marketplace="US")
    for text in texts:  # warm-up
        linter.check(text)
    expected = [linter.check(text).verdict for text in texts]
    times = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        linter.check(texts[i % len(texts)])
        times.append(time.perf_counter() - t0)
    wall = time.perf_counter() - started
    result = {"requests": n, "seconds": round(wall, 2), "per_second": round(n / wall, 1),
              "p50_ms": round(percentile(times, 0.5) * 1000, 2), "p99_ms": round(percentile(times, 0.99) * 1000, 2)}
    return result, expected


def start_server(timeout: float, workers: int, log_file) -> tuple[subprocess.Popen, int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "MSGLINT_TOKEN"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sock.fileno()), "US", str(timeout), str(workers)],
                             pass_fds=[sock.fileno()], stdout=log_file, stderr=log_file, env=env)
    sock.close()  # the child holds its own copy
    return child, port


def wait_ready(child: subprocess.Popen, port: int, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if child.poll() is not None:
            raise SystemExit(f"the server exited during start-up (code {child.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server was not ready within {limit:g} s")


def load(port: int, texts: list[str], expected: list[str], clients: int, total: int, deadline: float) -> dict:
    """``clients`` threads, each on one keep-alive connection, share ``total`` requests."""
    lock = threading.Lock()
    next_index = [0]
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next_index[0]
                if i >= total or time.monotonic() > deadline:
                    break
                next_index[0] += 1
            body = json.dumps({"text": texts[i % len(texts)], "kind": "message", "marketplace": "US"}).encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                payload = json.loads(resp.read())
                elapsed = time.perf_counter() - t0
                problem = None
                if resp.status != 200:
                    problem = f"HTTP {resp.status}: {payload.get('error')}"
                elif payload.get("verdict") != expected[i % len(texts)]:
                    problem = f"verdict {payload.get('verdict')!r}, expected {expected[i % len(texts)]!r}"
            except (OSError, http.client.HTTPException, ValueError) as exc:
                elapsed, problem = time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
    wall = time.perf_counter() - started
    done = len(latencies)
    return {"clients": clients, "requests": done, "planned": total, "seconds": round(wall, 2),
            "per_second": round(done / wall, 1) if wall else 0.0,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 2) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
            "max_ms": round(max(latencies) * 1000, 2) if latencies else None,
            "errors": len(errors) + (total - done), "error_samples": sorted(set(errors))[:5]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--time-limit", type=float, default=120.0, help="stop the load after this many seconds")
    ap.add_argument("--check-timeout", type=float, default=5.0, help="the server's per-check time limit")
    ap.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="the server's checking processes")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not (1 <= args.clients <= 200 and 1 <= args.requests <= 100_000 and 0 < args.time_limit <= 600):
        raise SystemExit("keep it bounded: 1-200 clients, 1-100000 requests, time limit up to 600 s")

    base, expected = baseline(TEXTS, args.requests)
    with tempfile.TemporaryFile(mode="w+") as log_file:
        child, port = start_server(args.check_timeout, args.workers, log_file)
        try:
            startup = wait_ready(child, port, 180)
            single = load(port, TEXTS, expected, 1, min(200, args.requests), time.monotonic() + args.time_limit)
            result = load(port, TEXTS, expected, args.clients, args.requests, time.monotonic() + args.time_limit)
        finally:
            child.terminate()  # SIGTERM: uvicorn shuts down gracefully
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log_file.seek(0)
        server_log = log_file.read()
    leaked = sum(text[:40] in server_log for text in TEXTS)
    access_lines = server_log.count("POST /v1/check 200 ")

    report = {"baseline_in_process": base, "http_single_client": single, "http_concurrent": result,
              "server_startup_seconds": round(startup, 2), "server_log_access_lines": access_lines,
              "texts_found_in_server_log": leaked, "cpus": os.cpu_count(), "workers": args.workers}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"server start-up (Linter + US warm-up): {report['server_startup_seconds']} s, "
              f"cpus: {os.cpu_count()}, checking processes: {args.workers}")
        print(f"{'':28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        print(f"{'in-process Linter.check':28}{base['requests']:>9}{base['per_second']:>9}{base['p50_ms']:>9}"
              f"{base['p99_ms']:>9}{'-':>8}")
        for label, r in (("HTTP, 1 client", single), (f"HTTP, {result['clients']} clients", result)):
            print(f"{label:28}{r['requests']:>9}{r['per_second']:>9}{r['p50_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}")
        for sample in result["error_samples"] + single["error_samples"]:
            print(f"  error: {sample}")
        print(f"server log: {access_lines} access lines, message texts found in it: {leaked}")
    if result["errors"] or single["errors"] or leaked:
        sys.exit(1)


if __name__ == "__main__":
    main()
