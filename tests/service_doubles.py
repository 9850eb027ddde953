"""Checkers for the service tests, built in the service's checking processes (so importable by name).

FaultyLinter: "OK ..." texts are checked for real; "SLOW [pidfile]" never ends (and writes its
process id to pidfile first); "CRASH" ends its process; anything else raises, quoting the text
as a careless exception might.
"""
from __future__ import annotations

import os
import time

from msglint.linter import Linter
from msglint.workers import WARM_UP_TEXTS


class FaultyLinter:
    def __init__(self):
        self.real = Linter()
        for text in WARM_UP_TEXTS:  # what the service's warm-up checks, before the workers fork
            self.real.check(text, "message", marketplace="US")

    def check(self, text, kind="message", *, field=None, marketplace=None, message_type=None):
        if text.startswith("SLOW"):
            parts = text.split()
            if len(parts) > 1 and parts[1].startswith("/"):
                with open(parts[1], "w") as fh:
                    fh.write(str(os.getpid()))
            while True:
                time.sleep(60)
        if text.startswith("CRASH"):
            os._exit(3)
        if text.startswith("OK"):
            return self.real.check(text, kind, field=field, marketplace=marketplace)
        raise RuntimeError(f"detector exploded on {text!r}")


def broken_factory():
    raise ValueError("cannot build: Zanzibar-7781")
