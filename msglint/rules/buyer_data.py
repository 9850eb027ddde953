"""Rules of the buyer_data family (being written)."""
from __future__ import annotations

RULES: tuple = ()
