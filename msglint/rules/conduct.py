"""Rules of the conduct family (being written)."""
from __future__ import annotations

RULES: tuple = ()
