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


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Explanations default to the locale's language (zh_CN -> Chinese): tests that expect English
    must not depend on the machine running them. Tests of Chinese set the language themselves."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
