from functools import lru_cache
from pathlib import Path

import pytest

from msglint import Linter

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


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
