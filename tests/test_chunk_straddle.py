"""A contact detail across a window cut is found whole, at every offset near every cut.

Long texts are checked in windows (msglint.linter: a core of _CHUNK characters read with
_OVERLAP characters of context on each side). Here the windows are made small so that the
sweep is quick; the cutting code is the same. One test uses the real sizes.
"""
import pytest

import msglint.linter as linter_mod
from msglint import Linter

ITEMS = [
    ("CE001", "help@brightshop-mail.com"),
    ("CE002", "help [at] brightshop [dot] com"),
    ("CP001", "call +44 20 7946 0958"),
    ("CU001", "https://brightshop.example.com/manuals"),
    ("CU002", "brightshop dot com slash manuals"),
    ("CP002", "call four one five, five five five, zero one nine nine"),
]
CHUNK, OVERLAP, REACH = 1_500, 250, 200


def _text(size: int, at: int, item: str, *, spaces: bool) -> str:
    """Filler of ``size`` characters with ``item`` placed to start at ``at``."""
    unit = "lorem ipsum dolor " if spaces else "loremipsumdolor"
    filler = (unit * (size // len(unit) + 2))[:size]
    # " and " after the item: a filler fragment such as "m" right after a number would read as a unit
    return filler[:at] + " " + item + " and " + filler[at + len(item) + 6:]


@pytest.fixture(scope="module")
def lint():
    return Linter(marketplace="US")


@pytest.mark.parametrize("code,item", ITEMS, ids=[c for c, _ in ITEMS])
@pytest.mark.parametrize("spaces", [False, True], ids=["no-spaces", "words"])
def test_every_offset_near_every_cut(monkeypatch, lint, code, item, spaces):
    monkeypatch.setattr(linter_mod, "_CHUNK", CHUNK)
    monkeypatch.setattr(linter_mod, "_OVERLAP", OVERLAP)
    size = 3 * CHUNK + OVERLAP + 100
    base = _text(size, 10, "x" * len(item), spaces=spaces)
    cuts = [c for c, *_ in linter_mod._windows(base)][1:]
    assert len(cuts) >= 2
    missed = []
    for cut in cuts:
        for at in range(cut - REACH, cut + REACH, 1 if code in ("CE001", "CP001") else 7):
            text = _text(size, at, item, spaces=spaces)
            start = text.index(item, at)
            want = item[len("call "):] if item.startswith("call ") else item
            w_start = text.index(want, start)
            spans = {(f.start, f.end) for f in lint.check(text).findings if f.code == code}
            if (w_start, w_start + len(want)) not in spans:
                missed.append((cut, at, sorted(spans)))
    assert not missed, missed[:5]


def test_real_window_size_straddle(lint):
    """At the real sizes: an e-mail address and a phone number across the first cut of a text with no newline."""
    size = linter_mod._CHUNK + linter_mod._OVERLAP + 5_000
    base = _text(size, 10, "x" * 30, spaces=False)
    cut = [c for c, *_ in linter_mod._windows(base)][1]
    for code, item, want in (("CE001", "help@brightshop-mail.com", "help@brightshop-mail.com"),
                             ("CP001", "call +44 20 7946 0958", "+44 20 7946 0958")):
        for at in (cut - len(item) // 2, cut - 3, cut - len(item) + 1):
            text = _text(size, at, item, spaces=False)
            start = text.index(want, at)
            found = {(f.start, f.end) for f in lint.check(text).findings if f.code == code}
            assert (start, start + len(want)) in found, (code, at, cut)
