"""Rendering a template someone else wrote, with limits on time, size and loop items.

Jinja's sandbox stops a template from reaching Python internals, but not from spending the
machine: ``{{ "x" * 10**7 }}``, two nested ``range(100000)`` loops or a string doubled in a
loop run until memory or patience runs out. :func:`render` renders in an overlay of the given
sandboxed environment in which

- ``+``, ``*``, ``**``, ``%`` and ``~`` refuse results longer than ``max_chars`` (checked
  before the work where the size is known in advance: ``"x" * 10**7`` never allocates);
- calls (methods, globals such as ``lipsum``) and filters refuse results longer than
  ``max_chars``, and size arguments (``center``, ``ljust``, ``indent``, ``lipsum``, ...) above
  it; ``str.format``, ``%`` and ``|format`` refuse field widths of six digits or more;
- ``range()`` draws on one budget of ``max_items`` for the whole rendering, so nested loops
  are bounded by their product;
- the output is streamed and cut off at ``max_chars``;
- in the main thread, a timer (``SIGALRM``) ends the rendering after ``seconds``.

Any limit raises :class:`RenderLimit`, a plain exception with a one-line reason.
"""
from __future__ import annotations

import functools
import re
import signal
import threading
import time
from typing import Any, Callable

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

MAX_CHARS = 100_000
MAX_ITEMS = 100_000
SECONDS = 2.0
_WIDE_FIELD = re.compile(r"\d{6,}")
# callables whose integer arguments are sizes of what they build (other numbers, a price say, are not)
_SIZE_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "generate_lorem_ipsum"})
_SIZE_FILTERS = frozenset({"center", "indent", "slice", "batch", "wordwrap", "truncate"})


class RenderLimit(Exception):
    """The rendering went past one of its limits."""


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` (string concatenation) checked like ``a + b``."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.msglint_checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Limits:
    def __init__(self, max_chars: int, max_items: int, seconds: float):
        self.max_chars = max_chars
        self.items_left = max_items
        self.max_items = max_items
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"the rendering took longer than {self.seconds:g} s")

    def size(self, n: int) -> None:
        if n > self.max_chars:
            raise RenderLimit(f"a value longer than {self.max_chars} characters")

    def checked(self, value: Any) -> Any:
        if isinstance(value, (str, bytes, list, tuple, dict)):
            self.size(len(value))
        return value

    def arguments(self, args, kwargs) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > self.max_chars:
                raise RenderLimit(f"a size argument larger than {self.max_chars}")

    def range(self, *args: int) -> range:
        self.clock()
        r = range(*args)
        self.items_left -= len(r)
        if self.items_left < 0:
            raise RenderLimit(f"loops over more than {self.max_items} items")
        return r


def _sized(value: Any):
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _format_guard(limits: _Limits, fmt: Any) -> None:
    if isinstance(fmt, str) and _WIDE_FIELD.search(fmt):
        raise RenderLimit("a format field wider than 99999 characters")


def _bounded_environment(base: SandboxedEnvironment, limits: _Limits) -> SandboxedEnvironment:
    if not getattr(base, "sandboxed", False):
        raise TypeError("templates are rendered only in a sandboxed environment")
    env = base.overlay()
    env.code_generator_class = _BoundedCodeGenerator
    env.intercepted_binops = frozenset({"+", "*", "**", "%"})
    plain_binop = base.call_binop
    plain_call = base.call

    def call_binop(context, operator: str, left: Any, right: Any) -> Any:
        limits.clock()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if _sized(seq) is not None and isinstance(n, int):
                    limits.size(_sized(seq) * max(n, 0))
        elif operator == "+" and _sized(left) is not None and _sized(right) is not None:
            limits.size(_sized(left) + _sized(right))
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 256 \
                and isinstance(left, (int, float)) and abs(left) > 1:
            raise RenderLimit("an exponent larger than 256")
        elif operator == "%":
            _format_guard(limits, left)
        return limits.checked(plain_binop(context, operator, left, right))

    def call(__context, __obj, *args, **kwargs):
        limits.clock()
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        name = getattr(target, "__name__", "")
        owner = getattr(target, "__self__", None)
        if name in _SIZE_METHODS:
            limits.arguments(args, kwargs)
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                _format_guard(limits, owner)
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                limits.size(len(owner) + owner.count(args[0]) * max(0, len(args[1]) - len(args[0])))
        return limits.checked(plain_call(__context, __obj, *args, **kwargs))

    env.call_binop = call_binop
    env.call = call
    env.msglint_checked = limits.checked
    env.globals = {**base.globals, "range": limits.range}
    env.filters = {name: _guard_filter(f, name, limits) for name, f in base.filters.items()}
    return env


def _guard_filter(f: Callable, name: str, limits: _Limits) -> Callable:
    @functools.wraps(f)  # keeps jinja's pass_context / pass_environment marks
    def guarded(*args, **kwargs):
        limits.clock()
        # the first argument (after a passed context/environment) is the value: a price or a date
        # may be a large number, a width may not
        values = [a for a in args if not hasattr(a, "environment") and not isinstance(a, SandboxedEnvironment)]
        if name in _SIZE_FILTERS:
            limits.arguments(values[1:], kwargs)
        if name == "replace" and len(values) >= 3 and all(isinstance(v, str) for v in values[:3]):
            s, old, new = values[:3]
            limits.size(len(s) + (s.count(old) if old else len(s) + 1) * max(0, len(new) - len(old)))
        if name == "format" and values:
            _format_guard(limits, values[0])
        return limits.checked(f(*args, **kwargs))
    return guarded


def render(base: SandboxedEnvironment, source: str, context: dict, *, max_chars: int = MAX_CHARS,
           max_items: int = MAX_ITEMS, seconds: float = SECONDS) -> str:
    """``source`` rendered with ``context`` in a bounded overlay of ``base``; RenderLimit past a limit.

    Jinja's own errors (syntax, undefined names, sandbox violations) propagate unchanged.
    """
    limits = _Limits(max_chars, max_items, seconds)
    env = _bounded_environment(base, limits)
    template = env.from_string(source)
    with _alarm(seconds):
        out, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > max_chars:
                raise RenderLimit(f"the output is longer than {max_chars} characters")
            out.append(piece)
    return "".join(out)


class _alarm:
    """SIGALRM after ``seconds`` (main thread only: elsewhere the other limits still apply)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"))

    def __enter__(self):
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            self.previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def _expired(self, signum, frame):
        raise RenderLimit(f"the rendering took longer than {self.seconds:g} s")

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            if self.previous_timer[0]:  # someone else's timer was running: give it back what is left
                signal.setitimer(signal.ITIMER_REAL, *self.previous_timer)
        return False
