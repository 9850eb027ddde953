"""A small bundled text model for what phrase lists keep missing: hostile tone, promotion,
review rewards and messages with no order purpose.

Why a model: on every fresh blind set the phrase lists of these four categories caught only
half to four fifths of the violations, because sellers say the same thing in ever new words
(sarcasm, contempt, "a little surprise in your next parcel"). A linear model over character
and word n-grams, trained on the project's labelled texts in six languages, recognises the
family resemblance. It backs the rules up; it does not replace them: its findings are
warnings, and they are reported only when no rule of the category has found anything
(``Rule.fallback``).

The model is plain data (``modeldata/message_model.npz``: hashed n-gram keys, idf weights,
one weight vector per category, thresholds and the training manifest), read with numpy; no
machine-learning library is needed at run time. ``tools/train_text_model.py`` (extra
``[train]``) writes it from the labelled sets with scikit-learn; the features are computed by
:func:`features` below in both places, so training and checking cannot drift apart.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent / "modeldata" / "message_model.npz"
_BITS = 22
_MASK = (1 << _BITS) - 1
_CHAR_N = (2, 3, 4, 5)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\S+")


_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_MARK = re.compile(r"[.!?。！？]")


def without_signature(text: str) -> str:
    """``text`` without its closing block: a last paragraph of at most 60 characters with no sentence
    mark ("Viele Grüße\nJonas", "なにわサイクル＆ホビー"). A shop's name says nothing about a message's
    tone, and a model that learnt it from one shop's rude messages would blame its polite ones."""
    parts = _PARAGRAPH.split(text.rstrip())
    if len(parts) > 1 and len(parts[-1].strip()) <= 60 and not _SENTENCE_MARK.search(parts[-1]):
        rest = text[:text.rstrip().rfind(parts[-1])]
        if _SENTENCE_MARK.search(rest):  # "Hi\n\nplease stop" is all body
            return rest
    return text


def _prepared(text: str) -> str:
    """What the features are read from: the text without its closing block, NFKC-folded, lower-cased."""
    return unicodedata.normalize("NFKC", without_signature(text)).lower()


def features(text: str, chars: bool = True) -> tuple[list[int], list[int]]:
    """The hashed n-gram keys of ``text``, with repeats: (character n-grams, word n-grams).

    Character n-grams (2-5) are taken inside each whitespace-separated word padded with a space
    on both sides, so they never straddle words; word n-grams are single words and pairs.
    The closing block is left out (``without_signature``); text is NFKC-folded and lower-cased.
    """
    t = _prepared(text)
    crc = zlib.crc32
    char_keys: list[int] = []
    if chars:
        for word in _SPACE.findall(t):
            char_keys.extend(_char_keys(word))
    words: list[int] = []
    toks = _WORD.findall(t)
    for i, tok in enumerate(toks):
        words.append(crc(("w" + tok).encode()) & _MASK)
        if i:
            words.append(crc(("b" + toks[i - 1] + " " + tok).encode()) & _MASK)
    return char_keys, words


@lru_cache(maxsize=1 << 16)
def _char_keys(word: str) -> tuple[int, ...]:
    """The character n-gram keys of one word (words repeat across messages: computed once each, bounded)."""
    # crc32("c" + gram) is continued character by character from crc32("c"): each start's 2- to 5-gram keys
    # cost one step each, not an encoding and a hash of the whole n-gram (a Japanese message is one long word)
    padded = f" {word} "
    size = len(padded)
    crc = zlib.crc32
    enc = [ch.encode() for ch in padded]
    grams: dict[int, list[int]] = {n: [] for n in _CHAR_N}
    for i in range(size - 1):
        h = crc(enc[i], _C_SEED)
        for n in range(2, min(size - i, _CHAR_N[-1]) + 1):
            h = crc(enc[i + n - 1], h)
            grams[n].append(h & _MASK)
    return tuple(k for n in _CHAR_N for k in grams[n])


_C_SEED = zlib.crc32(b"c")   # the hash of the character n-grams' prefix


@dataclass(frozen=True)
class TextModel:
    """Weights of one linear model per category over the two l2-normalised n-gram blocks."""

    keys: np.ndarray        # sorted uint32 keys known to the model (both blocks)
    idf: np.ndarray         # float32, one per key
    coef: np.ndarray        # float32 [categories, keys]
    intercept: np.ndarray   # float32 [categories]
    categories: tuple
    thresholds: np.ndarray  # float32 [categories]: the probability from which a text is flagged
    manifest: tuple         # (file name, sha256) of the training data

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "TextModel":
        with np.load(path, allow_pickle=False) as z:
            return cls(keys=z["keys"], idf=z["idf"], coef=z["coef"], intercept=z["intercept"],
                       categories=tuple(str(c) for c in z["categories"]), thresholds=z["thresholds"],
                       manifest=tuple((str(a), str(b)) for a, b in z["manifest"]))

    def block(self, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(indices into the model's keys, l2-normalised tf-idf values) of one block of keys: what a check
        multiplies with the weights, and what tools/train_text_model.py fits them on."""
        if not keys:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        uniq, counts = np.unique(np.asarray(keys, dtype=np.uint32), return_counts=True)
        pos = np.searchsorted(self.keys, uniq)
        pos[pos >= len(self.keys)] = 0
        known = self.keys[pos] == uniq
        return self._weighted(pos[known], counts[known])

    def _weighted(self, pos: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, l2-normalised tf-idf values) from the known positions of a block and their counts."""
        if not len(pos):
            return pos, np.empty(0, dtype=np.float32)
        values = (1.0 + np.log(counts)) * self.idf[pos]
        norm = math.sqrt(float(np.dot(values, values)))
        return pos, (values / norm if norm else values)

    def _word_positions(self, word: str) -> np.ndarray:
        """The model positions of one word's character n-grams that the model knows, repeats kept (cached: words
        repeat across messages, and the lookup is most of a check's model time)."""
        cache = self.__dict__.setdefault("_positions", {})
        pos = cache.get(word)
        if pos is None:
            keys = np.asarray(_char_keys(word), dtype=np.uint32)
            found = np.searchsorted(self.keys, keys)
            found[found >= len(self.keys)] = 0
            pos = found[self.keys[found] == keys]
            if len(cache) >= 1 << 16:
                cache.clear()
            cache[word] = pos
        return pos

    def _char_block(self, text: str, prepared: Optional[str] = None) -> tuple[np.ndarray, np.ndarray]:
        """``block(features(text)[0])`` from cached word positions: the same indices and values."""
        parts = [self._word_positions(w) for w in _SPACE.findall(_prepared(text) if prepared is None else prepared)]
        if not parts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return self._weighted(*np.unique(np.concatenate(parts), return_counts=True))

    def _word_block(self, prepared: str) -> tuple[np.ndarray, np.ndarray]:
        """``block(features(text, chars=False)[1])`` from cached positions of word n-grams (``"w" + word``,
        ``"b" + pair``; -1 when the model does not know it): words and pairs repeat across messages, and hashing
        them one by one was a third of the model's time. A key's position is unique to it, so the sorted known
        positions and their counts are those of the sorted known keys."""
        toks = _WORD.findall(prepared)
        grams = ["w" + tok for tok in toks]
        grams.extend("b" + toks[i - 1] + " " + toks[i] for i in range(1, len(toks)))
        cache = self.__dict__.setdefault("_gram_positions", {})
        positions = {g: cache.get(g) for g in grams}
        missing = [g for g, p in positions.items() if p is None]
        if missing:  # new n-grams are looked up together: one search for all of them
            crc = zlib.crc32
            hashes = np.array([crc(g.encode()) & _MASK for g in missing], dtype=np.uint32)
            found = np.searchsorted(self.keys, hashes)
            found[found >= len(self.keys)] = 0
            found[self.keys[found] != hashes] = -1
            new = dict(zip(missing, found.tolist()))
            positions.update(new)
            if len(cache) >= 1 << 17:
                cache.clear()
            cache.update(new)
        known = [p for p in map(positions.__getitem__, grams) if p >= 0]
        if not known:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return self._weighted(*np.unique(np.array(known, dtype=np.int64), return_counts=True))

    def probabilities(self, text: str) -> dict[str, float]:
        """The model's probability of each category for ``text``."""
        prepared = _prepared(text)
        score = self.intercept.astype(np.float64).copy()
        for pos, values in (self._char_block(text, prepared), self._word_block(prepared)):
            if len(pos):
                score += self.coef[:, pos] @ values
        probs = 1.0 / (1.0 + np.exp(-score))
        return dict(zip(self.categories, probs.tolist()))

    def flags(self, text: str) -> dict[str, float]:
        """The categories whose probability reaches their threshold, with the probability."""
        probs = self.probabilities(text)
        return {c: p for c, p, t in zip(self.categories, probs.values(), self.thresholds.tolist()) if p >= t}

    def threshold(self, category: str) -> float:
        return float(self.thresholds[self.categories.index(category)])


_LOCK = threading.Lock()


_MAPPED_FORMAT = "1"
_ARRAYS = ("keys", "idf", "coef", "intercept", "categories", "thresholds", "manifest")


@lru_cache(maxsize=1)
def _cached() -> TextModel:
    return _mapped(MODEL_FILE) or TextModel.load()


def _mapped(path: Path) -> Optional[TextModel]:
    """The model at ``path`` from an uncompressed copy in the cache directory, its arrays mapped from it.

    Inflating the compressed archive (11 MB of weights) was ~60 ms of every process's first check, and a
    check reads only the weights of the n-grams its text has: the copy is written once per model file
    (keyed by its path, size and time), and each array is mapped copy-on-write, so a page is read only
    when touched and the arrays hold the same values as ``TextModel.load``'s. None when the cache
    directory cannot hold the copy: the archive is read as before.
    """
    import hashlib

    from msglint.lexicon import _cache_dir, write_cache_dir

    def write(tmp: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            for name in _ARRAYS:
                np.save(tmp / f"{name}.npy", z[name], allow_pickle=False)

    try:
        st = path.stat()
        key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}|{_MAPPED_FORMAT}".encode()).hexdigest()[:16]
        cache = _cache_dir() / f"textmodel-{key}"
        if not cache.is_dir():
            write_cache_dir(cache, write)
        a = {name: np.load(cache / f"{name}.npy", mmap_mode="c", allow_pickle=False) for name in _ARRAYS}
    except (OSError, ValueError):
        return None
    return TextModel(keys=np.asarray(a["keys"]), idf=np.asarray(a["idf"]), coef=np.asarray(a["coef"]),
                     intercept=np.asarray(a["intercept"]), categories=tuple(str(c) for c in a["categories"]),
                     thresholds=np.asarray(a["thresholds"]),
                     manifest=tuple((str(x), str(y)) for x, y in a["manifest"]))


def bundled() -> TextModel:
    """The bundled model, read once per process."""
    with _LOCK:
        return _cached()

