"""Where the bundled data lives: ``templates/`` and ``wordlists/``.

A wheel carries them inside the package (``msglint/templates``, ``msglint/wordlists``, mapped
in pyproject.toml); a source checkout or an editable install has them at the repository root.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory of bundled data ``name`` ('templates' or 'wordlists')."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"msglint data directory {name!r} is missing from the installation")


def templates_dir() -> Path:
    return data_dir("templates")


def wordlists_dir() -> Path:
    return data_dir("wordlists")
