"""Word forms: the folded comparison form of a word, and dictionary forms (lemmas) from spacy-lookups-data.

``fold`` is how msglint compares words everywhere: lower case, typographic apostrophes as
"'", and accents dropped from Latin letters, so "Rückerstattung"/"Ruckerstattung",
"remboursé"/"rembourse" and "don’t"/"don't" are one word to every term list (sellers and
buyers often type without accents). Japanese and Chinese characters keep their marks
(が is not か).

Lemmas: a term written ``lemma:refund`` matches every form of the word. The full lookup tables
of spacy-lookups-data are large (Spanish: half a million forms, about a second to load), and a
message check only needs to know which forms belong to the few hundred words the term lists
name. ``lemma_map`` is that small table; it is computed once from the full table and kept in
the user's cache directory, so later processes start without decompressing the full table.
Listing rules that ask "is this capitalised word a dictionary word?" use ``full_table``.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from msglint.resources import templates_dir, wordlists_dir

LEMMA_LANGS = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "tr"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_LATIN_MAX = 0x024F


def fold_text(word: str) -> str:
    """Lower case, one apostrophe, no accents on Latin letters (``fold`` without its cache, for long text)."""
    low = word.lower()
    if low.isascii():
        return low
    low = low.translate(_APOSTROPHES)
    if low.isascii():
        return low
    out = []
    for ch in low:
        if ord(ch) <= _LATIN_MAX and not ch.isascii():
            base = unicodedata.normalize("NFD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)) or ch)
        else:
            out.append(ch)
    return "".join(out)


fold = lru_cache(maxsize=30_000)(fold_text)
fold.__doc__ = "Lower case, one apostrophe, no accents on Latin letters (cached: words and phrases)."


@lru_cache(maxsize=None)
def full_table(lang: str) -> Optional[dict]:
    """{form: lemma} of spacy-lookups-data for ``lang`` (None when it has none)."""
    if lang not in LEMMA_LANGS:
        return None
    try:
        import spacy_lookups_data
        from spacy.util import load_language_data

        tables = getattr(spacy_lookups_data, lang, None)
        if not tables or "lemma_lookup" not in tables:
            return None
        return load_language_data(tables["lemma_lookup"])
    except Exception:  # noqa: BLE001 - no table: words are their own lemmas
        return None


_LEMMA_PHRASE = regex.compile(r"""["']?lemma:([^"',\]\n]+)""")


@lru_cache(maxsize=None)
def lemma_words(lang: str) -> frozenset:
    """Every word written ``lemma:word`` in the term lists and suggest cues of ``lang`` (folded)."""
    texts = []
    base = wordlists_dir()
    for path in sorted(base.glob(f"*/{lang}.yml")):
        texts.append(path.read_text("utf-8"))
    cues = templates_dir() / "suggest_cues.yaml"
    if cues.is_file():
        texts.append(cues.read_text("utf-8"))
    words = set()
    for text in texts:
        for m in _LEMMA_PHRASE.finditer(text):
            words.update(fold(w) for w in regex.findall(r"[\p{L}\p{M}'’\-]+", m.group(1)))
    return frozenset(words)


def _cache_dir() -> Path:
    root = os.environ.get("MSGLINT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "msglint"


def write_cache_dir(cache: Path, write) -> None:
    """Make the directory ``cache`` (in the cache directory) whole or not at all: ``write(tmp)`` fills a
    temporary directory beside it, which is then renamed; when another process made it first, ours is dropped.
    Raises OSError when the cache directory cannot be written."""
    import shutil
    import tempfile

    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{cache.name}-", dir=cache.parent))
    try:
        write(tmp)
        os.replace(tmp, cache)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not cache.is_dir():  # not another process's copy: a real failure
            raise


def _lookups_version() -> str:
    try:
        from importlib.metadata import version

        return version("spacy-lookups-data")
    except Exception:  # noqa: BLE001
        return "unknown"


@lru_cache(maxsize=None)
def lemma_map(lang: str) -> dict:
    """{folded form: folded lemma} for the forms whose lemma is a word the term lists name.

    Read from the cache directory when it is there (a few kilobytes), else computed from the full
    table and written there atomically; an unwritable cache directory only costs the time.
    """
    wanted = lemma_words(lang)
    if lang not in LEMMA_LANGS or not wanted:
        return {}
    key = hashlib.sha256(("\n".join(sorted(wanted)) + _lookups_version()).encode()).hexdigest()[:16]
    path = _cache_dir() / f"lemmas-{lang}-{key}.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    table = full_table(lang) or {}
    out = {}
    for form, lemma in table.items():
        if isinstance(lemma, (list, tuple)):
            lemma = lemma[0] if lemma else None
        if not isinstance(lemma, str):
            continue
        f_lemma = fold(lemma)
        if f_lemma in wanted:
            f_form = fold(form)
            if f_form != f_lemma:
                out.setdefault(f_form, f_lemma)
    _write_cache(path, out)
    return out


def _write_cache(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".lemmas-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
