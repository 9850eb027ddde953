from functools import lru_cache
import sys
from pathlib import Path

import pytest

from msglint import Linter

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/browser.py


@lru_cache(maxsize=None)
def linter_for(marketplace: str) -> Linter:
    return Linter(marketplace=marketplace)


@pytest.fixture(scope="session")
def linter():
    """The pipeline is built once per session."""
    return linter_for("US")


@pytest.fixture(scope="session")
def get_linter():
    return linter_for


@pytest.fixture(scope="session")
def corpus_path():
    path = SHARED / "corpus" / "dev.jsonl"
    assert path.exists(), f"development corpus not found at {path} (../shared next to the repository)"
    return path
