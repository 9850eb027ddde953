"""Running a command as a child process and measuring it: wall and CPU time, peak memory."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional, Sequence

REPO = Path(__file__).resolve().parent.parent


def child_env(one_thread: bool = True) -> dict:
    """The environment of a measured child: ``bench`` importable, numeric libraries on one thread,
    English messages, tldextract kept off the network, .pyc files written and used."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    env["LC_ALL"] = env["LANG"] = "C.UTF-8"
    # an installed msglint has its .pyc files (pip writes them); a shell that forbids writing them would
    # have every measured command compile msglint's sources again (~0.15 s of each cold start)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if one_thread:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = "1"
    return env


def msglint_argv(python: Optional[str] = None) -> list:
    """The installed ``msglint`` console script next to ``python`` (default: this interpreter), else
    ``python -m msglint``."""
    python = python or sys.executable
    script = Path(python).parent / "msglint"
    return [str(script)] if script.exists() else [python, "-m", "msglint"]


PLUGIN_CHECK = ("import importlib.metadata as m, json; "
                "print(json.dumps(sorted({e.dist.name for e in m.entry_points(group='spacy_factories') "
                "if e.dist and e.dist.name.lower().startswith(('presidio', 'scrubadub'))})))")


def spacy_plugins_of_peers(python: str) -> list:
    """Peers that register spaCy plugins in ``python``'s environment: every ``spacy.blank()`` there
    imports them (presidio-analyzer does), which a user of msglint alone never pays."""
    r = subprocess.run([python, "-c", PLUGIN_CHECK], capture_output=True, text=True, env=child_env(), timeout=120)
    try:
        return json.loads(r.stdout.strip() or "[]")
    except ValueError:
        return []


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants every 50 ms (needs psutil)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.psutil = psutil
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except self.psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except self.psutil.Error:
                return
            self.stop.wait(0.05)


def psutil_available() -> bool:
    try:
        import psutil  # noqa: F401
        return True
    except ImportError:
        return False


def run(argv: Sequence[str], *, stdout_path: Optional[str] = None, timeout: Optional[float] = None,
        env: Optional[dict] = None, capture: bool = False) -> dict:
    """Run ``argv`` to its end; wall seconds, CPU seconds (user + system of it and its children),
    the peak RSS of its largest process (``wait4``) and, with psutil, of the whole process tree."""
    out_fh = open(stdout_path, "wb") if stdout_path else (subprocess.PIPE if capture else subprocess.DEVNULL)
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=out_fh, stderr=subprocess.PIPE, env=env or child_env(), cwd=REPO)
    sampler = None
    if psutil_available():
        try:
            sampler = _TreeSampler(proc.pid)
            sampler.start()
        except Exception:  # the child may be gone already
            sampler = None
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        proc.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # read the pipes in threads, then reap with wait4 for the child's own resource usage
    captured: dict = {}

    def drain(name, stream):
        captured[name] = stream.read()

    readers = [threading.Thread(target=drain, args=("stderr", proc.stderr))]
    if capture and not stdout_path:
        readers.append(threading.Thread(target=drain, args=("stdout", proc.stdout)))
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    if timer:
        timer.cancel()
    if sampler:
        sampler.stop.set()
        sampler.join()
    if stdout_path:
        out_fh.close()
    result = {"wall_s": round(wall, 4), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
              "maxrss_mb": round(usage.ru_maxrss / 1024, 1), "returncode": proc.returncode,
              "timed_out": timed_out.is_set()}
    if sampler:
        result["tree_peak_rss_mb"] = round(sampler.peak / 2**20, 1)
    if capture and not stdout_path:
        result["stdout"] = captured.get("stdout", b"").decode("utf-8", "replace")
    err = captured.get("stderr", b"").decode("utf-8", "replace")
    if proc.returncode not in (0, 1) and not timed_out.is_set():
        result["stderr"] = err[-2000:]
    return result


def worker(engine: str, path: str, *, pin: bool = True, warmup: int = 60, detections: Optional[str] = None,
           per_record: bool = False, timeout: Optional[float] = None, python: Optional[str] = None) -> dict:
    """``python -m bench.worker`` for one engine and file: its own report plus the parent's view."""
    argv = [python or sys.executable, "-m", "bench.worker", engine, path, "--warmup", str(warmup)]
    if pin:
        argv.append("--pin")
    if detections:
        argv += ["--detections", detections]
    if per_record:
        argv.append("--per-record")
    outer = run(argv, capture=True, timeout=timeout)
    if outer["returncode"] != 0:
        return {"error": outer.get("stderr") or f"exit {outer['returncode']}", "timed_out": outer["timed_out"]}
    inner = json.loads(outer.pop("stdout").strip().splitlines()[-1])
    inner["process"] = outer
    return inner


def median_runs(argv: Sequence[str], reps: int) -> dict:
    walls = []
    for _ in range(reps):
        walls.append(run(argv)["wall_s"])
    return {"median_s": round(statistics.median(walls), 4), "min_s": round(min(walls), 4), "runs_s": walls}
