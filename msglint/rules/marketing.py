"""Rules of the marketing family (being written)."""
from __future__ import annotations

RULES: tuple = ()
