"""Labelled sets written blind (from TAXONOMY.md and POLICY.md alone, by writers who never saw the
rules, word lists, tests or corpus), scored once on first run, then tuned on and kept here so
that what their misses taught is not lost again. Their first-run figures are in the issue notes;
these thresholds only guard against regressions.
"""
from pathlib import Path

import pytest

from msglint import Linter
from msglint.evaluate import evaluate, read_corpus

SETS = sorted((Path(__file__).parent / "data" / "blind").glob("*.jsonl"))
MIN_PRECISION = MIN_RECALL = 0.80
MAX_CLEAN_ERROR = 0.02


@pytest.fixture(scope="module")
def linters():
    cache = {}

    def get(marketplace):
        if marketplace not in cache:
            cache[marketplace] = Linter(marketplace=marketplace)
        return cache[marketplace]
    return get


def test_there_are_blind_sets():
    assert len(SETS) >= 2


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_blind_set_stays_above_its_floor(path, linters):
    ev = evaluate(read_corpus(str(path)), linters)
    low = {c: (round(s.precision, 3), round(s.recall, 3)) for c, s in ev.categories.items()
           if s.precision < MIN_PRECISION or s.recall < MIN_RECALL}
    assert not low, low
    assert ev.clean_error_rate <= MAX_CLEAN_ERROR, (ev.clean_with_error, ev.clean)
