"""Regular expressions compiled on first use.

Most of msglint's module-level patterns serve one kind of text (an e-mail address spelt out, a street
address, HTML, a listing's title), and a check of a short message uses a few of them: compiling them
all while the modules were imported was ~40 ms of every cold start.
"""
from __future__ import annotations


class LazyPattern:
    """``compile(pattern, *args)``, made at the first read of one of its attributes.

    Each attribute read (``search``, ``finditer`` ...) is kept on this object, so later calls cost
    what they cost on the compiled pattern. ``pattern`` is there before compiling: some patterns are
    built from others' text.
    """

    def __init__(self, compile, pattern, *args, **kwargs):
        self.pattern = pattern
        self._make = (compile, args, kwargs)

    def __getattr__(self, name: str):
        make = self.__dict__.get("_make")
        if make is None or name.startswith("__"):
            raise AttributeError(name)
        compile, args, kwargs = make
        value = getattr(compile(self.pattern, *args, **kwargs), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


lazy = LazyPattern
