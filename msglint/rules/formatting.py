"""Rules of the formatting family (being written)."""
from __future__ import annotations

RULES: tuple = ()
