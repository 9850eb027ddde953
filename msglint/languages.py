"""Which languages a text is written in, sentence by sentence: the one place that answers it.

A seller on Amazon.de may write in English, paste a Chinese note into a German reply, or
answer a Spanish-speaking buyer on Amazon.com. Rules must read each sentence with the term
lists of the language it is written in, whatever the marketplace (an English review
incentive on DE is still an incentive). ``detect`` cuts the text into sentences and labels
each one:

* by script: kana is Japanese, Han without kana Chinese, Hangul Korean;
* by function words (spaCy's stop-word lists) for the Latin-script languages msglint has term
  lists for (en, de, fr, es, it): a sentence is *sure* when one language clearly wins;
* a sentence too short to tell takes its neighbours' language and is *unsure*.

The text's primary language (its spaCy pipeline) is the one most of its sure sentences are
in; with no sure sentence, py3langid decides when it is confident, else the marketplace's
language. Term lists of a language apply to the sentences labelled with it, and to unsure
sentences also the lists of the primary language and the marketplace's languages.
"""
from __future__ import annotations

import bisect
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

import regex

from msglint.lang import LANGS, term_language
from msglint import lang as langdata
from msglint.pipeline import stop_words

LATIN_LANGS = ("en", "de", "fr", "es", "it")
_SENTENCE = regex.compile(r"[^.!?。！？\n]*(?:[.!?。！？]+|\n+|$)")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]")
_HAN = regex.compile(r"\p{Han}")
_HANGUL = regex.compile(r"\p{Hangul}")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}'’]+")
_TAG = regex.compile(r"</?[A-Za-z][^<>]{0,300}>|<!--.*?-->", regex.DOTALL)


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    lang: str       # en de fr es it ja zh ko, or the marketplace's language when nothing tells
    sure: bool      # decided by the sentence itself (script or clear function words)


@dataclass(frozen=True)
class TextLanguages:
    primary: str                      # the language of the text's spaCy pipeline
    segments: tuple[Segment, ...]
    fallback: tuple[str, ...]         # lists that also apply to unsure sentences

    @cached_property
    def langs(self) -> tuple[str, ...]:
        """Languages present, primary first."""
        seen = [self.primary]
        for s in self.segments:
            if s.lang not in seen:
                seen.append(s.lang)
        return tuple(seen)

    def term_langs(self) -> tuple[str, ...]:
        """Every language whose term lists apply somewhere in the text, primary first.

        The fallback lists (the marketplace's languages) apply to unsure sentences only when no
        sentence of the text is sure: a short title or a one-line reply with nothing to tell by.
        """
        out = list(self.langs)
        if not self.any_sure:
            out += [f for f in self.fallback if f not in out]
        return tuple(out)

    @cached_property
    def any_sure(self) -> bool:
        return any(s.sure for s in self.segments)

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.segments]

    def segment_at(self, pos: int) -> Optional[Segment]:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.segments[i].start <= pos < self.segments[i].end:
            return self.segments[i]
        return None

    def applies(self, lang: str, start: int) -> bool:
        """Whether the term lists of ``lang`` (a term-list language) apply to the text at ``start``."""
        s = self.segment_at(start)
        if s is None:
            return lang == term_language(self.primary)
        if term_language(s.lang) == lang:
            return True
        return not s.sure and not self.any_sure and lang in {term_language(f) for f in self.fallback}

    def lang_at(self, pos: int) -> str:
        s = self.segment_at(pos)
        return s.lang if s is not None else self.primary

    def blanked(self, text: str, lang: str) -> str:
        """``text`` with the sentences where ``lang``'s lists do not apply turned into spaces (same length)."""
        out = list(text)
        for s in self.segments:
            if not self.applies(lang, s.start):
                for i in range(s.start, min(s.end, len(out))):
                    if not out[i].isspace():
                        out[i] = " "
        return "".join(out)

    def share(self, lang: str) -> float:
        """Share of the text's letters in sentences labelled ``lang``."""
        total = sum(s.end - s.start for s in self.segments) or 1
        return sum(s.end - s.start for s in self.segments if s.lang == lang) / total


@lru_cache(maxsize=None)
def _stops(lang: str) -> frozenset:
    """spaCy's stop words of ``lang`` and the function words of its regional speech (wordlists/_lang)."""
    extra = langdata.get(lang).words("dialect_function_words") if lang in langdata.KNOWN else ()
    return stop_words(lang) | frozenset(w.lower() for w in extra)


@lru_cache(maxsize=64)
def _single_owner(candidates: tuple) -> dict:
    """{function word: the one candidate language whose stop-word list has it} (words of several left out)."""
    owners: dict = {}
    for lang in candidates:
        for w in _stops(lang):
            owners.setdefault(w, []).append(lang)
    return {w: langs[0] for w, langs in owners.items() if len(langs) == 1}


def _vote(words: Sequence[str], candidates: Sequence[str]) -> tuple[Optional[str], bool]:
    """(language, sure) by function words that belong to one candidate language only.

    "en", "la", "de" are function words of several languages and tell nothing; "the", "und",
    "vous", "usted", "della" do. Sure: at least two such words, twice as many as any other
    language has; (None, False) when nothing tells.
    """
    scores = dict.fromkeys(candidates, 0)
    owner = _single_owner(tuple(candidates))
    for w in words:
        lang = owner.get(w)
        if lang is not None:
            scores[lang] += 1
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    # "mal de dos" is French for back pain; "mal" and "dos" are Spanish function words: one owned word more
    # than another language's is no vote
    if n >= 2 and n >= 2 * second and n - second >= 2:
        return best, True
    return None, False


def blank_tags(text: str) -> str:
    """``text`` with HTML tags and comments turned into spaces (same length: offsets stay)."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: " " * len(m.group()), text)


def _script(sentence: str) -> tuple[Optional[str], int]:
    """Language told by the script, and the number of letters."""
    letters = len(_LETTER.findall(sentence))
    if not letters:
        return None, 0
    if _KANA.search(sentence):
        return "ja", letters
    hans = len(_HAN.findall(sentence))
    if hans >= 2 and hans * 3 >= letters:
        return "zh", letters
    if len(_HANGUL.findall(sentence)) * 3 >= letters:
        return "ko", letters
    return None, letters


# besides msglint's own: languages a seller's message is sometimes written in and that spaCy has no function
# words for, or too few (Welsh, Haitian Creole, Afrikaans, Irish, Occitan)
_MODEL_LANGS = tuple(LANGS) + ("zh", "nl", "pt", "pl", "sv", "tr", "cy", "ht", "af", "ga", "oc")
_MODEL_CACHE_FORMAT = "1"


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model (shipped with the package, loaded once), restricted to _MODEL_LANGS."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = Path(MODEL_DIR / MODEL_FILE)
    try:
        arrays = _restricted_model(model)
    except Exception:  # noqa: BLE001 - another model layout: py3langid's own loader
        arrays = None
    if arrays is None:
        ident = LanguageIdentifier.from_model_file(model, norm_probs=True)
    else:
        ptc, pc, classes, nextmove, row, out_feat = arrays
        ident = LanguageIdentifier(ptc, pc, classes, nextmove, out_feat, norm_probs=True, tk_row=row)
    ident.set_languages(list(_MODEL_LANGS))
    # set_languages keeps the whole model to be able to widen the set again; msglint never does
    ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident


def _restricted_model(model: Path):
    """(ptc, pc, classes, nextmove, row, out_feat) of py3langid's model with only the columns of
    _MODEL_LANGS: what ``LanguageIdentifier.set_languages`` keeps of it.

    py3langid's loader holds the whole model (142 columns of 100,053 features) and a second copy
    of its 39 MB transition table at once while it loads: a peak of about 100 MB. Here the
    decompressed archive is read member by member, the feature table a slice of rows at a time,
    and the result is kept in the cache directory (about 45 MB) for the next processes, which
    read the transition table straight into its array.
    """
    from msglint.lexicon import _cache_dir

    st = model.stat()
    key = hashlib.sha256(f"{model}|{st.st_size}|{st.st_mtime_ns}|{','.join(_MODEL_LANGS)}|{_MODEL_CACHE_FORMAT}"
                         .encode()).hexdigest()[:16]
    cache = _cache_dir() / f"langid-{key}"
    try:
        return _read_model_cache(cache)
    except (OSError, ValueError, KeyError):
        pass
    arrays = _stream_model(model)
    _write_model_cache(cache, arrays)
    return arrays


def _read_model_cache(cache: Path):
    import numpy as np
    from array import array

    with np.load(cache / "small.npz", allow_pickle=False) as data:
        ptc, pc = data["ptc"], data["pc"]
        classes = data["classes"].tolist()
        row = array(str(data["row_typecode"]))
        row.frombytes(data["row"].tobytes())
        out_feat = data["out_feat"].tolist()
        typecode, count = str(data["nextmove_typecode"]), int(data["nextmove_count"])
    nextmove = array(typecode)
    with open(cache / "nextmove.bin", "rb") as fh:
        step = 1 << 20   # array.fromfile reads all it is asked for into one bytes object first
        for start in range(0, count, step):
            nextmove.fromfile(fh, min(step, count - start))
    return ptc, pc, classes, nextmove, row, out_feat


def _write_model_cache(cache: Path, arrays) -> None:
    import numpy as np

    from msglint.lexicon import write_cache_dir

    ptc, pc, classes, nextmove, row, out_feat = arrays

    def write(tmp: Path) -> None:
        with open(tmp / "nextmove.bin", "wb") as fh:
            nextmove.tofile(fh)
        np.savez(tmp / "small.npz", ptc=ptc, pc=pc, classes=np.array(classes), row=np.frombuffer(row, dtype=row.typecode),
                 row_typecode=np.array(row.typecode), out_feat=np.array(out_feat, dtype=np.int64),
                 nextmove_typecode=np.array(nextmove.typecode), nextmove_count=np.array(len(nextmove)))

    try:
        write_cache_dir(cache, write)
    except OSError:  # an unwritable cache directory only costs the time
        pass


def _stream_model(model: Path):
    """py3langid's ``load_model`` and ``set_languages`` in one pass, without holding the whole model."""
    import lzma
    import zipfile
    from array import array

    import numpy as np
    from numpy.lib import format as npformat

    typecodes = {2: "H", 4: "I", 8: "L"}   # py3langid's modelio: unsigned arrays as stdlib arrays

    def header(fh):
        version = npformat.read_magic(fh)
        read = npformat.read_array_header_1_0 if version == (1, 0) else npformat.read_array_header_2_0
        shape, fortran, dtype = read(fh)
        if fortran or dtype.byteorder == ">" or dtype.hasobject:
            raise ValueError("unexpected array layout")
        return shape, dtype

    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(model) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as z:
            with z.open("classes.npy") as fh:
                all_classes = npformat.read_array(fh, allow_pickle=False).tolist()
            wanted = set(_MODEL_LANGS)
            indices = [i for i, c in enumerate(all_classes) if c in wanted]
            with z.open("pc.npy") as fh:
                pc = npformat.read_array(fh, allow_pickle=False)[indices]
            with z.open("ptc.npy") as fh:
                (n_rows, n_cols), dtype = header(fh)
                ptc = np.empty((n_rows, len(indices)), dtype=dtype)
                step = 4096
                for start in range(0, n_rows, step):
                    rows = min(step, n_rows - start)
                    chunk = fh.read(rows * n_cols * dtype.itemsize)
                    ptc[start:start + rows] = np.frombuffer(chunk, dtype=dtype).reshape(rows, n_cols)[:, indices]
            with z.open("nextmove.npy") as fh:
                (count,), dtype = header(fh)
                nextmove = array(typecodes[dtype.itemsize])
                if nextmove.itemsize != dtype.itemsize or dtype.kind != "u":
                    raise ValueError("unexpected transition table")
                step = 1 << 20
                for start in range(0, count, step):
                    nextmove.frombytes(fh.read(min(step, count - start) * dtype.itemsize))
            with z.open("nextmove_row.npy") as fh:
                raw = npformat.read_array(fh, allow_pickle=False)
                row = array(typecodes[raw.dtype.itemsize])
                row.frombytes(np.ascontiguousarray(raw).tobytes())
            with z.open("out_feat.npy") as fh:
                out_feat = npformat.read_array(fh, allow_pickle=False).tolist()
    classes = [all_classes[i] for i in indices]
    return ptc, pc, classes, nextmove, row, out_feat


def identify(text: str) -> tuple[str, float]:
    """py3langid's (language, probability) for a whole text."""
    return _identifier().classify(text)


def ranking(text: str) -> list[tuple[str, float]]:
    """py3langid's languages for ``text``, most probable first."""
    return _identifier().rank(text)


def detect(text: str, marketplace_langs: Sequence[str] = ("en",), *, candidates: Sequence[str] = LATIN_LANGS,
           use_identifier: bool = True) -> TextLanguages:
    """Label each sentence of ``text`` with its language; see the module documentation."""
    default = marketplace_langs[0] if marketplace_langs else "en"
    text = blank_tags(text)  # HTML tags and their attributes ("<font color=red>") are not the text's language
    raw: list[list] = []        # [start, end, lang or None, sure, letters]
    for m in _SENTENCE.finditer(text):
        if m.start() == m.end():
            continue
        sentence = m.group()
        lang, letters = _script(sentence)
        sure = lang is not None
        if lang is None and letters:
            found = _WORD.findall(sentence)[:120]
            # a title in Title Case ("New Hot Sale Car Phone Holder Car Vent"): its capitalised words are names,
            # not function words ("Car" is no French "car"); only its lower-case words vote
            if len(found) >= 6 and sum(w[:1].isupper() for w in found) >= 0.75 * len(found):
                found = [w for w in found if not w[:1].isupper()]
            words = [w.lower().replace("’", "'") for w in found]
            lang, sure = _vote(words, candidates)
        raw.append([m.start(), m.end(), lang, sure, letters])
    raw = _split_cjk_runs(text, raw)
    sure_letters: dict[str, int] = {}
    extra_fallback = None
    confident = False
    for start, end, lang, sure, letters in raw:
        if sure and lang:
            sure_letters[lang] = sure_letters.get(lang, 0) + letters
    if sure_letters:
        primary = max(sure_letters, key=sure_letters.get)
    else:
        primary = default
        letters = len(_LETTER.findall(text))
        if use_identifier and letters >= 12:
            guess, prob = identify(text)
            if prob >= 0.9 and (guess in candidates or guess in ("ja", "zh")):
                primary = guess
                confident = True
            elif prob >= 0.5 and guess in candidates:
                # a short title or bullet with no function word: its likely language's lists apply too
                extra_fallback = guess
    # unsure sentences take the language of the nearest sentence that is sure, else the primary
    labels = [r[2] if r[3] else None for r in raw]
    before: list = [None] * len(raw)
    after: list = [None] * len(raw)
    last = None
    for i, label in enumerate(labels):
        before[i] = last
        last = label or last
    last = None
    for i in range(len(raw) - 1, -1, -1):
        after[i] = last
        last = labels[i] or last
    for i, r in enumerate(raw):
        if labels[i] is None:
            r[2] = before[i] or after[i] or r[2] or primary
    segments = tuple(Segment(r[0], r[1], r[2], bool(r[3])) for r in raw) or (Segment(0, len(text), primary, False),)
    # when py3langid is sure of an Italian text on FR, the French lists stay out ("con Colissimo" is not French)
    fallback = (primary,) if confident else \
        tuple(dict.fromkeys([primary, *marketplace_langs, *([extra_fallback] if extra_fallback else [])]))
    return TextLanguages(primary, segments, fallback)


# Chinese or Japanese words inside a sentence in a Latin script ("Gentile cliente, 五星好评返现5欧元, prego ...")
_CJK_RUN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー々](?:[\p{Han}\p{Hiragana}\p{Katakana}ー々\d，、]*"
                         r"[\p{Han}\p{Hiragana}\p{Katakana}ー々])?")


def _split_cjk_runs(text: str, raw: list) -> list:
    """A run of two or more Chinese or Japanese characters inside a sentence in another script is a segment
    of its own, so that the Chinese and Japanese lists read it (the rest of the sentence keeps its language)."""
    out = []
    for start, end, lang, sure, letters in raw:
        runs = [] if lang in ("ja", "zh", "ko") else [r for r in _CJK_RUN.finditer(text, start, end)
                                                       if len(r.group()) >= 2]
        if not runs:
            out.append([start, end, lang, sure, letters])
            continue
        pos = start
        for r in runs:
            if r.start() > pos:
                out.append([pos, r.start(), lang, sure, len(_LETTER.findall(text, pos, r.start()))])
            run_lang = "ja" if _KANA.search(r.group()) else "zh"
            out.append([r.start(), r.end(), run_lang, True, len(_LETTER.findall(r.group()))])
            pos = r.end()
        if pos < end:
            out.append([pos, end, lang, sure, len(_LETTER.findall(text, pos, end))])
    return out


def detect_one(text: str, candidates: Sequence[str] = LANGS) -> str:
    """The single language a short text (a buyer's message) is written in, among ``candidates``."""
    tl = detect(text, (candidates[0],), candidates=[c for c in candidates if c in LATIN_LANGS])
    if any(s.lang in ("ja", "zh") for s in tl.segments) and "ja" in candidates:
        return "ja" if tl.share("ja") + tl.share("zh") >= 0.5 or tl.primary in ("ja", "zh") else tl.primary
    if any(s.sure for s in tl.segments):
        return tl.primary if tl.primary in candidates else candidates[0]
    guess, _prob = identify(text) if _LETTER.search(text) else (candidates[0], 0.0)
    return guess if guess in candidates else candidates[0]
