"""Rules of the unnecessary family (being written)."""
from __future__ import annotations

RULES: tuple = ()
