"""Checks in processes that a time limit can really stop.

A check of a hostile text can run for a long time inside spaCy's tokenizer (C code holding the
GIL) or a super-linear Python path; a thread cannot be stopped, so a time limit on a thread
only answers the caller while the work goes on. Here every check runs in a worker process, and
a check past its deadline is ended with SIGKILL and its worker replaced:

    service (uvicorn, asyncio) ──pipe──► supervisor ──fork──► worker 0 (express: short texts only)
                                         (holds the          worker 1..n-1 (any text, lower CPU
                                          warmed Linter)      priority)

- The supervisor is a new Python process (``subprocess``, so it is safe to start from a threaded
  parent and never re-imports the parent's main module), in its own session (a terminal's
  Ctrl-C goes to the service, which then closes the pipe). It builds the checker once and warms
  its pipelines, then forks the workers from itself. A
  fork is a copy of a warmed process: a replacement worker is ready in milliseconds, and the
  workers share the supervisor's memory pages until they write to them (``gc.freeze()``
  keeps the garbage collector from touching them all).
- Deadlines are kept by the supervisor: a request that waited or ran past its time limit is
  answered "timeout"; a running one is killed first. A worker that dies (a segfault, the
  out-of-memory killer, its memory limit) answers "failed" and is replaced.
- Worker 0 takes only texts up to ``small_text`` characters, so a flood of long hostile texts
  can never occupy every worker; the others take any text, oldest first, at a lower CPU
  priority (nice +5), so ordinary messages keep a core when long texts compete for one.
- A worker is replaced after ``recycle_after`` checks (whatever it accumulated is dropped) and
  may use at most ``memory_headroom`` bytes of address space more than it started with.

The service talks to the supervisor through :class:`CheckPool`.
"""
from __future__ import annotations

import asyncio
import gc
import importlib
import itertools
import logging
import os
import queue
import resource
import signal
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Optional, Union

log = logging.getLogger("msglint.server")

SMALL_TEXT = 10_000            # characters: what the express worker takes (a long buyer message is ~4,000)
RECYCLE_AFTER = 5_000          # checks per worker before it is replaced by a fresh fork
MEMORY_HEADROOM = 1 << 30      # bytes of address space a worker may add to what it starts with
GRACE = 2.0                    # seconds the service waits beyond the time limit for the supervisor's answer
WARM_UP_TEXT = "Hello, thank you for your order. It ships today."
# what the warm-up checks per marketplace and kind: besides a plain message, contact details and a
# text too short for stop words to settle its language (which loads the language identifier), so
# that the forked workers find all of it loaded instead of each loading it on a first request
WARM_UP_TEXTS = (WARM_UP_TEXT, "Please write to help@example.com or call (415) 555-0171, see www.example.com/help.",
                 "OK email a@b.com")
KINDS = ("message", "listing", "appeal")


class CheckTimeout(Exception):
    """The check did not finish within its time limit (it was stopped)."""


class CheckFailed(Exception):
    """The check raised, or its process ended. ``kind`` is the exception type's name, the message
    its type and source lines (never the exception's message, which may quote the text)."""

    def __init__(self, kind: str, description: str):
        super().__init__(description)
        self.kind = kind


class PoolUnavailable(Exception):
    """The checking processes are not running (starting, restarting or stopped)."""


def describe_exception(exc: BaseException) -> str:
    """Exception type and where it happened; never its message, which may quote the text."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(frames[-4:]))
    return f"{type(exc).__name__} at {where or '?'}"


def factory_spec(factory: Union[str, Callable[[], Any]]) -> str:
    """'module:qualname' of an importable factory (a class or a module-level function), or that string."""
    if isinstance(factory, str):
        if ":" not in factory:
            raise ValueError(f"the checker factory {factory!r} must be written module:name")
        return factory
    module, name = getattr(factory, "__module__", None), getattr(factory, "__qualname__", "")
    if not module or "<" in name:
        raise ValueError(f"the checker factory {factory!r} must be an importable class or module-level function")
    return f"{module}:{name}"


def _load(spec: str) -> Callable[[], Any]:
    module, _, name = spec.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# --- the supervisor and its workers (child processes) ------------------------------------------------

@dataclass
class _Job:
    rid: int
    what: str        # "check" or "call"
    args: tuple
    deadline: float
    small: bool


@dataclass
class _Worker:
    pid: int
    conn: Connection
    express: bool
    job: Optional[_Job] = None
    done: int = 0


_BOOT = ("import json, os, sys; sys.path[:0] = [p for p in json.loads(os.environ['MSGLINT_SYS_PATH']) "
         "if p not in sys.path]; from msglint.workers import _child_main; _child_main()")


def _child_main() -> None:
    """Entry point of the supervisor process: ``python -c _BOOT <fd> <settings as JSON>``."""
    import json
    import sys
    fd, settings = int(sys.argv[1]), json.loads(sys.argv[2])
    _supervise(Connection(fd), *settings)


def _supervise(conn: Connection, spec: str, workers: int, warm_up: list, kinds: list, small_text: int,
               recycle_after: int, memory_headroom: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the service, which then closes the pipe
    try:
        checker = _load(spec)()
        failed = _warm(checker, warm_up, kinds)
    except BaseException as exc:  # noqa: BLE001 - reported to the service, which refuses to start
        conn.send(("failed", describe_exception(exc)))
        return
    gc.collect()
    gc.freeze()  # the warmed objects stay out of the collector's way: forked workers share their pages
    _Supervisor(conn, checker, workers, small_text, recycle_after, memory_headroom).run(failed)


def _warm(checker, codes: Iterable[str], kinds: Iterable[str]) -> list:
    failed = []
    for code in codes:
        for kind in kinds:
            try:
                for text in WARM_UP_TEXTS:
                    checker.check(text, kind, marketplace=code)
            except Exception as exc:  # noqa: BLE001 - named in a warning; such checks will answer "error"
                failed.append((code, kind, describe_exception(exc)))
    try:  # the desk's suggestions: their cue books are built once, here, not in a request's time limit
        from msglint.suggest import LANGS, suggest
        for lang in LANGS:
            suggest("warm up", lang=lang)
    except Exception as exc:  # noqa: BLE001 - named in a warning; suggestions will answer "error"
        failed.append(("suggest", "message", describe_exception(exc)))
    return failed


class _Supervisor:
    def __init__(self, conn: Connection, checker, n_workers: int, small_text: int, recycle_after: int,
                 memory_headroom: int):
        self.conn = conn
        self.checker = checker
        self.small_text = small_text
        self.recycle_after = recycle_after
        self.memory_headroom = memory_headroom
        self.queue: deque = deque()
        self.workers: list[_Worker] = []
        self.forked = self.killed = self.died = 0
        for i in range(n_workers):
            self.workers.append(self._fork(express=(i == 0 and n_workers > 1)))

    # -- workers --

    def _fork(self, express: bool) -> _Worker:
        from multiprocessing import Pipe
        mine, theirs = Pipe()
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                mine.close()
                self.conn.close()
                for w in self.workers:
                    w.conn.close()
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _die_with_parent(supervisor)
                if not express:
                    os.nice(5)
                _limit_memory(self.memory_headroom)
                _serve_checks(theirs, self.checker)
            except BaseException:  # noqa: BLE001 - never return into the supervisor's code
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.forked += 1
        return _Worker(pid, mine, express)

    def _end(self, w: _Worker, *, kill: bool) -> None:
        if kill:
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        w.conn.close()
        try:
            os.waitpid(w.pid, 0)
        except ChildProcessError:
            pass

    def _replace(self, w: _Worker, *, kill: bool, reply: Optional[tuple] = None) -> None:
        """End ``w`` (its process is gone when this returns), send ``reply``, fork its successor."""
        self._end(w, kill=kill)
        if reply is not None:
            self._reply(*reply)
        self.workers[self.workers.index(w)] = self._fork(w.express)

    # -- the loop --

    def run(self, failed: list) -> None:
        self.conn.send(("ready", failed, self._stats()))
        while True:
            self._expire()
            self._dispatch()
            deadlines = [w.job.deadline for w in self.workers if w.job] + [j.deadline for j in self.queue]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for ready in wait([self.conn] + [w.conn for w in self.workers], timeout):
                if ready is self.conn:
                    if not self._from_service():
                        self._shutdown()
                        return
                else:
                    worker = next((w for w in self.workers if w.conn is ready), None)
                    if worker is not None:
                        self._from_worker(worker)

    def _from_service(self) -> bool:
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            return False
        if message[0] in ("check", "call"):
            what, rid, args, timeout = message
            small = what == "call" or len(args[0]) <= self.small_text  # desk calls are short work
            self.queue.append(_Job(rid, what, args, time.monotonic() + timeout, small))
        elif message[0] == "stats":
            self._reply(message[1], "ok", self._stats())
        elif message[0] == "stop":
            return False
        return True

    def _from_worker(self, w: _Worker) -> None:
        try:
            rid, status, payload = w.conn.recv()
        except (EOFError, OSError):
            self.died += 1
            failure = ("failed", ("ProcessExited", "the check's process ended unexpectedly"))
            self._replace(w, kill=True, reply=(w.job.rid, *failure) if w.job is not None else None)
            return
        w.job = None
        w.done += 1
        self._reply(rid, status, payload)
        if status == "exit" or w.done >= self.recycle_after:
            self._replace(w, kill=True)

    def _dispatch(self) -> None:
        for w in sorted(self.workers, key=lambda w: not w.express):  # the express worker first
            if w.job is not None or not self.queue:
                continue
            job = next((j for j in self.queue if j.small), None) if w.express else self.queue[0]
            if job is None:
                continue
            self.queue.remove(job)
            try:
                w.conn.send((job.rid, job.what, job.args))
            except OSError:  # it died while idle: the next loop notices; this job goes back in front
                self.queue.appendleft(job)
                continue
            w.job = job

    def _expire(self) -> None:
        now = time.monotonic()
        for w in list(self.workers):
            if w.job is not None and w.job.deadline <= now:
                self.killed += 1
                self._replace(w, kill=True, reply=(w.job.rid, "timeout", None))
        for job in [j for j in self.queue if j.deadline <= now]:
            self.queue.remove(job)
            self._reply(job.rid, "timeout", None)

    def _reply(self, rid: int, status: str, payload: Any) -> None:
        try:
            self.conn.send((rid, "failed" if status == "exit" else status, payload))
        except OSError:
            pass

    def _stats(self) -> dict:
        return {"supervisor": os.getpid(), "workers": [w.pid for w in self.workers],
                "express": [w.pid for w in self.workers if w.express], "forked": self.forked,
                "killed": self.killed, "died": self.died, "queued": len(self.queue),
                "busy": sum(w.job is not None for w in self.workers)}

    def _shutdown(self) -> None:
        for w in self.workers:
            self._end(w, kill=True)


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this worker when the supervisor dies (a worker stuck in a check would not
    notice its closed pipe)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the supervisor died before that took effect
            os._exit(0)
    except (OSError, AttributeError):
        pass


def _limit_memory(headroom: int) -> None:
    if headroom <= 0:
        return
    try:
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + headroom, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError):
        pass  # no /proc or no limit allowed: the recycling still bounds growth


def _serve_checks(conn: Connection, checker) -> None:
    """The worker's loop: one (rid, what, args) in, one (rid, status, payload) out, until the pipe closes."""
    while True:
        try:
            rid, what, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if what == "call":  # a function of the service's own code: function(checker, *arguments)
                spec, arguments = args
                result = _load(spec)(checker, *arguments)
            else:
                result = _run_check(checker, args)
        except MemoryError as exc:  # answer, then let the supervisor replace this process
            conn.send((rid, "exit", ("MemoryError", describe_exception(exc))))
            return
        except Exception as exc:  # noqa: BLE001 - any failure is an "error" verdict, never a pass
            conn.send((rid, "failed", (type(exc).__name__, describe_exception(exc))))
            continue
        conn.send((rid, "ok", result))


def _run_check(checker, args: tuple) -> dict:
    text, kind, field, marketplace, message_type, explain_lang = args
    extra = {"explain_lang": explain_lang} if explain_lang else {}  # only when asked for
    report = checker.check(text, kind, field=field, marketplace=marketplace, message_type=message_type, **extra)
    verdict = report.verdict
    if verdict not in ("pass", "block"):
        raise RuntimeError("the linter returned an unknown verdict")
    return {"verdict": verdict, "findings": [f.to_dict() for f in report.findings]}


# --- the service's side ------------------------------------------------------------------------------

class CheckPool:
    """The service's handle on the supervisor: ``start()`` (blocking), ``await check(...)``, ``close()``."""

    def __init__(self, factory: Union[str, Callable[[], Any]], *, workers: int = 2, warm_up: Iterable[str] = (),
                 kinds: Iterable[str] = KINDS, small_text: int = SMALL_TEXT, recycle_after: int = RECYCLE_AFTER,
                 memory_headroom: int = MEMORY_HEADROOM, start_timeout: float = 900.0):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.spec = factory_spec(factory)
        self.settings = (workers, tuple(warm_up), tuple(kinds), small_text, recycle_after, memory_headroom)
        self.start_timeout = start_timeout
        self._ids = itertools.count(1)
        self._pending: dict = {}
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._conn: Optional[Connection] = None
        self._process = None
        self._closing = False
        self.restarts = 0

    @property
    def ready(self) -> bool:
        return self._conn is not None and not self._closing

    def start(self) -> list:
        """Start the supervisor and wait until its workers run. Returns the warm-up failures as
        (marketplace, kind, description); RuntimeError if the checker could not be built."""
        import json
        import socket
        import subprocess
        import sys
        here, there = socket.socketpair()
        env = dict(os.environ, MSGLINT_SYS_PATH=json.dumps(sys.path))
        process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(there.fileno()), json.dumps([self.spec, *self.settings])],
            pass_fds=[there.fileno()], env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        there.close()
        mine = Connection(here.detach())
        try:
            if not mine.poll(self.start_timeout):
                raise RuntimeError(f"the checking processes did not start within {self.start_timeout:g} s")
            message = mine.recv()
        except (EOFError, OSError):
            message = ("failed", "the supervisor process ended during start-up")
        except RuntimeError:
            process.kill()
            process.wait()
            raise
        if message[0] != "ready":
            mine.close()
            process.wait(10)
            raise RuntimeError(f"the checker could not be built: {message[1]}")
        self._process = process
        with self._lock:
            self._conn = mine
        threading.Thread(target=self._read, args=(mine,), name="msglint-pool-reader", daemon=True).start()
        if self.restarts == 0:
            threading.Thread(target=self._send_loop, name="msglint-pool-sender", daemon=True).start()
        return message[1]

    async def check(self, args: tuple, timeout: float) -> dict:
        """{"verdict", "findings"}; CheckTimeout, CheckFailed or PoolUnavailable otherwise."""
        status, payload = await self._request(("check", args, timeout), timeout + GRACE)
        if status == "ok":
            return payload
        if status == "timeout":
            raise CheckTimeout()
        raise CheckFailed(*payload)

    async def call(self, spec: str, args: tuple, timeout: float) -> Any:
        """``function(checker, *args)`` in a worker, ``spec`` naming the function ("module:name");
        CheckTimeout, CheckFailed or PoolUnavailable as for :meth:`check`."""
        status, payload = await self._request(("call", (spec, tuple(args)), timeout), timeout + GRACE)
        if status == "ok":
            return payload
        if status == "timeout":
            raise CheckTimeout()
        raise CheckFailed(*payload)

    async def stats(self) -> dict:
        status, payload = await self._request(("stats",), 10.0)
        return payload

    async def _request(self, message: tuple, wait_for: float):
        if not self.ready:
            raise PoolUnavailable()
        loop = asyncio.get_running_loop()
        rid = next(self._ids)
        future = loop.create_future()
        self._pending[rid] = (loop, future)
        self._outbox.put((message[0], rid, *message[1:]))
        try:
            return await asyncio.wait_for(future, wait_for)
        except asyncio.TimeoutError:  # the supervisor did not answer in time: treat as a time-out
            return "timeout", None
        finally:
            self._pending.pop(rid, None)

    def _send_loop(self) -> None:
        while True:
            message = self._outbox.get()
            if message is None:
                return
            with self._lock:
                conn = self._conn
            try:
                if conn is None:
                    raise OSError("not running")
                conn.send(message)
            except OSError:
                self._resolve(message[1], ("failed", ("ProcessExited", "the checking processes are not running")))

    def _read(self, conn: Connection) -> None:
        while True:
            try:
                rid, status, payload = conn.recv()
            except (EOFError, OSError):
                break
            self._resolve(rid, (status, payload))
        with self._lock:
            if self._conn is conn:
                self._conn = None
        for rid in list(self._pending):
            self._resolve(rid, ("failed", ("ProcessExited", "the checking processes ended")))
        if not self._closing:
            log.error("the checking processes ended unexpectedly; restarting them")
            self._restart()

    def _resolve(self, rid: int, result: tuple) -> None:
        entry = self._pending.get(rid)
        if entry is None:
            return
        loop, future = entry

        def settle():
            if not future.done():
                future.set_result(result)
        try:
            loop.call_soon_threadsafe(settle)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    def _restart(self) -> None:
        delay = 1.0
        while not self._closing:
            self.restarts += 1
            try:
                self.start()
                log.info("the checking processes are running again")
                return
            except RuntimeError as exc:
                log.error("restarting the checking processes failed: %s; retrying in %g s", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 60.0)

    def close(self) -> None:
        self._closing = True
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.send(("stop",))
            except OSError:
                pass
            conn.close()
        self._outbox.put(None)
        if self._process is not None:
            try:
                self._process.wait(10)
            except Exception:  # noqa: BLE001 - subprocess.TimeoutExpired: it did not stop by itself
                self._process.kill()
                self._process.wait(5)
