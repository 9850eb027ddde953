"""Rules of the offplatform family (being written)."""
from __future__ import annotations

RULES: tuple = ()
