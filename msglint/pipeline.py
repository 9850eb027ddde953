"""spaCy pipelines, one per language, built lazily and shared by every marketplace of that language.

Every pipeline is ``spacy.blank(lang)`` (no trained model: none can be downloaded here) with a
sentencizer and msglint's lemma component. Japanese and Chinese texts get a character-level
tokenizer that needs no extra package (spaCy's own ``ja`` needs SudachiPy). Custom pieces are
registered in ``register_components`` only.

Two things differ from a stock blank pipeline:

* a token's NORM is ``lexicon.fold`` of its text (lower case, one apostrophe, no accents on
  Latin letters), set once per vocabulary entry, so term lists match "remboursé" and
  "rembourse", "don’t" and "don't" alike at no cost per token;
* the lemma is looked up in ``lexicon.lemma_map`` (only the forms of words the term lists name,
  on lower-case folded text: "Refunded" at a sentence start gets its lemma too), so a new
  pipeline does not decompress a full lookup table.
"""
from __future__ import annotations

import re

import sys
import threading
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from typing import Callable, Optional

import regex
import spacy
import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from msglint import lexicon, spacydata
from msglint.lazyre import lazy

LEMMATIZED = lexicon.LEMMA_LANGS
CJK_LANGS = frozenset({"ja", "zh"})
SPAN_KEY = "msglint"
_lock = threading.RLock()

_CJK_TOKEN = lazy(regex.compile,
    r"\s+"                                                    # whitespace runs
    r"|[\p{Han}\p{Hiragana}\p{Katakana}ー々〆ヶ]"               # one ideograph or kana per token
    r"|[\p{Latin}\p{N}][\p{Latin}\p{N}@._%+\-/:#'&]*[\p{Latin}\p{N}]|[\p{Latin}\p{N}]"
    r"|\X",
)


class CJKTokenizer:
    """Characters for ideographs and kana, whole runs for Latin words, numbers, addresses."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in _CJK_TOKEN.finditer(text):
            piece = m.group()
            if piece.isspace():
                if piece == " " and words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                    continue
                if words and not spaces[-1] and not words[-1].isspace() and piece.startswith(" "):
                    spaces[-1] = True
                    piece = piece[1:]
            words.append(piece)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # spaCy calls these when a pipeline is serialised; the tokenizer has no state.
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        return None

    def from_disk(self, path, **kwargs):
        return self


_WORD_COLON_NUMBER = lazy(re.compile, r"(?<=[A-Za-zÀ-ÿ]):(?=[+0-9])")


def _with_word_colon_number(finditer):
    """The language's infix search plus a colon between a word and a number (one more pattern, not a
    recompiled infix expression: compiling a language's infixes again costs ~50 ms)."""
    def combined(text: str):
        if ":" not in text:
            return finditer(text)
        extra = list(_WORD_COLON_NUMBER.finditer(text))
        if not extra:
            return finditer(text)
        found = list(finditer(text))
        taken = {m.start() for m in found}
        return sorted(found + [m for m in extra if m.start() not in taken], key=lambda m: m.start())
    return combined


def _tokenizer(nlp: Language):
    """spaCy's tokenizer for ``nlp``'s language with ``_with_word_colon_number`` in its infix search, built
    once: setting ``infix_finditer`` on a built tokenizer loads its special cases again (~70 ms)."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    d = nlp.Defaults
    infix = compile_infix_regex(d.infixes).finditer if d.infixes else _no_infix
    return Tokenizer(
        nlp.vocab, rules=d.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(d.prefixes).search if d.prefixes else None,
        suffix_search=compile_suffix_regex(d.suffixes).search if d.suffixes else None,
        infix_finditer=_with_word_colon_number(infix), token_match=d.token_match, url_match=d.url_match,
    )


def _no_infix(text: str):
    return iter(())


class BoundedTokenizer:
    """spaCy's tokenizer, except on a run of more than LONG_RUN characters without a space.

    spaCy's affix and infix handling takes time quadratic in the length of one "word" (a 20,000
    character run of 'http://a"' took minutes). Text without such a run goes to spaCy's tokenizer
    unchanged; in text with one, the run is cut into pieces of RUN_PIECE characters (no space is
    added: the Doc's text is the input text) and the rest is tokenized by spaCy, piece by piece.
    """

    LONG_RUN = 300
    RUN_PIECE = 64
    _RUN = regex.compile(r"\S{301,}")

    def __init__(self, inner):
        self.inner = inner
        self.vocab = inner.vocab

    def __call__(self, text: str):
        if len(text) <= self.LONG_RUN or not self._RUN.search(text):
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in self._RUN.finditer(text):
            self._add(text[pos:m.start()], words, spaces)
            run = m.group()
            for i in range(0, len(run), self.RUN_PIECE):
                words.append(run[i:i + self.RUN_PIECE])
                spaces.append(False)
            pos = m.end()
        self._add(text[pos:], words, spaces)
        # a run followed by one space: the space belongs to the run's last piece
        fixed_words, fixed_spaces = [], []
        for w, sp in zip(words, spaces):
            if w == " " and fixed_words and not fixed_spaces[-1]:
                fixed_spaces[-1] = True
                continue
            fixed_words.append(w)
            fixed_spaces.append(sp)
        return Doc(self.vocab, words=fixed_words, spaces=fixed_spaces)

    def _add(self, part: str, words: list, spaces: list) -> None:
        if not part:
            return
        for tok in self.inner(part):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # rules, prefix_search ... of the wrapped tokenizer
        return getattr(self.inner, name)

    def to_bytes(self, **kwargs):
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.inner.from_bytes(data, **kwargs)
        return self


class LemmaComponent:
    """Sets ``token.lemma_`` from ``lexicon.lemma_map`` (folded form -> folded lemma).

    Lemmas found outside a memory zone are cached for good (up to CACHE_LIMIT words); inside one
    (``memory_zone``), a lemma's string may be freed with the zone, so what is found there is
    cached for that zone only.
    """

    CACHE_LIMIT = 50_000

    def __init__(self, lang: str):
        self.lang = lang
        self._map = None
        self._cache: dict[int, int] = {}
        self._zone_cache: Optional[dict] = None

    @contextmanager
    def memory_zone(self, mem=None):
        self._zone_cache = {}
        try:
            yield mem
        finally:
            self._zone_cache = None

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if self._map is None:
            self._map = lexicon.lemma_map(self.lang)
        cache = self._cache
        zone = self._zone_cache
        new = zone if zone is not None else (cache if len(cache) < self.CACHE_LIMIT else {})
        strings = doc.vocab.strings
        orths = doc.to_array([ORTH]).tolist()
        lemmas = []
        for orth in orths:
            lem = cache.get(orth)
            if lem is None:
                lem = new.get(orth)
                if lem is None:
                    norm = lexicon.fold(strings[orth])
                    lem = new[orth] = strings.add(self._map.get(norm, norm))
            lemmas.append(lem)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
        return doc


# A run of words with no sentence punctuation is cut into "sentences" of at most this many tokens:
# rules look for phrases together in a sentence, and an unbounded sentence makes that quadratic.
MAX_SENTENCE_TOKENS = 120
_DEFAULT_ENDS = ("!", ".", "?", "‼", "‽", "⁇", "⁈", "⁉", "。", "！", "？", "｡")


# list bullets at the start of a line
_BULLETS = frozenset("・-–—•*●■◆▪►▶➤◦")


class Sentences:
    """spaCy's sentencizer rule (a sentence starts at the first non-punctuation token after a sentence
    end) computed on the token arrays instead of Token objects, plus the MAX_SENTENCE_TOKENS cap."""

    def __init__(self, vocab, punct_chars=_DEFAULT_ENDS):
        self.ends = frozenset(vocab.strings.add(p) for p in punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([ORTH, IS_PUNCT, IS_SPACE]).tolist()
        ends = self.ends
        starts = [-1] * n
        starts[0] = 1
        seen_end = False
        run = 0
        for i, (orth, punct, space) in enumerate(arr):
            in_ends = orth in ends
            if in_ends and i and self._list_marker(doc, i):
                # "details:\n1. Full name\n2. Aadhaar number": the number opens a list item, its dot ends nothing
                starts[i - 1] = 1
                seen_end = False
                run = 1
                continue
            if seen_end and punct and not in_ends and doc[i].text in _BULLETS and self._line_start(doc, i):
                # "以下をご返信ください。\n・銀行名": the bullet opens the next item, it does not close this sentence
                starts[i] = 1
                seen_end = False
                run = 0
                continue
            if seen_end and not punct and not in_ends:
                starts[i] = 1
                seen_end = False
                run = 0
                continue
            if in_ends:
                seen_end = True
            run += 1
            if run > MAX_SENTENCE_TOKENS and not space and not seen_end and i:
                starts[i] = 1
                run = 0
        doc.from_array([SENT_START], numpy.array(starts, dtype="int32").astype("uint64"))
        return doc

    @staticmethod
    def _line_start(doc: Doc, i: int) -> bool:
        """``doc[i]`` begins a line (a line break before it, in a token or in the whitespace before it)."""
        if i == 0:
            return True
        before = doc[i - 1]
        return "\n" in before.whitespace_ or (before.text.endswith("\n") and before.is_space) or before.text == "\n"

    @staticmethod
    def _list_marker(doc: Doc, i: int) -> bool:
        """``doc[i]`` is the dot of a list number at the start of a line ("\n2. ")."""
        num = doc[i - 1]
        if doc[i].text != "." or not (num.text.isdigit() and len(num.text) <= 2) or not doc[i].whitespace_:
            return False
        if i == 1:
            return False  # "1. ..." opening the text is one sentence with what follows anyway
        before = doc[i - 2]
        return ("\n" in before.text and before.is_space) or "\n" in before.whitespace_


_registered = False


def register_components() -> None:
    """Register msglint's spaCy factories, once (spaCy keeps a global registry)."""
    global _registered
    if _registered:
        return

    @spacy.registry.tokenizers("msglint.tokenizer.v1")
    def create_tokenizer():
        return _tokenizer

    @spacy.registry.tokenizers("msglint.cjk_tokenizer.v1")
    def create_cjk_tokenizer():
        return CJKTokenizer

    @Language.factory("msglint_sentences", default_config={"punct_chars": list(_DEFAULT_ENDS)})
    def create_sentences(nlp, name, punct_chars):
        return Sentences(nlp.vocab, tuple(punct_chars))

    @Language.factory("msglint_lemmas", default_config={"lang": "en"})
    def create_lemmas(nlp, name, lang):
        return LemmaComponent(lang)

    if not Doc.has_extension("msglint_findings"):
        Doc.set_extension("msglint_findings", default=None)
    _registered = True


def _fold_norms(nlp: Language) -> None:
    """NORM of every vocabulary entry (present and future) is the folded text."""
    nlp.vocab.lex_attr_getters[NORM] = lexicon.fold
    for lex in nlp.vocab:
        lex.norm_ = lexicon.fold(lex.orth_)


def pipeline_language(lang: str) -> str:
    """The pipeline that reads text in ``lang``: Chinese shares the Japanese character tokenizer."""
    return "ja" if lang in CJK_LANGS else (lang or "en")


# ----------------------------------------------------------------------------- memory zones
#
# spaCy keeps every word it has ever seen (its vocabulary, string store and tokenizer cache grow
# with each new e-mail address, order number or name: about 3 MB per 1,000 generated messages).
# A check therefore reads its text inside a spaCy memory zone (``Language.memory_zone``): what the
# check added to the vocabulary is freed when it ends. The first ZONE_AFTER words of each
# pipeline's vocabulary are kept for good (they are the common ones, looked up again without
# being built again), the words after that live as long as the check that found them.
#
# Strings of one vocabulary added while a zone is open belong to that zone, whichever thread adds
# them: so a check holds _check_lock while it runs (``check_scope``), and other users of the
# pipelines (``suggest``) take it too. Checks are Python code under the GIL: taking turns costs
# little.

ZONE_AFTER = 8_000
_check_lock = threading.RLock()
_scope = threading.local()
# called with a pipeline's language before its first zone opens: whatever must stay in its
# vocabulary for good is built there (the term books)
before_zone: list[Callable[[str], None]] = []


@contextmanager
def check_scope():
    """The scope of one check: pipelines taken with ``nlp_for_check`` read the text in a memory zone
    that ends with the scope (nested scopes are part of the outermost one)."""
    if getattr(_scope, "zones", None) is not None:
        yield
        return
    with _check_lock:
        stack = ExitStack()
        _scope.zones = (stack, set())
        try:
            with stack:
                yield
        finally:
            _scope.zones = None


def exclusive():
    """The lock of the pipelines, for a user outside a check (no other check's zone is open while it is held)."""
    return _check_lock


def read(lang: str, text: str) -> Doc:
    """``text`` read by the check's pipeline for ``lang`` (``nlp_for_check``), its text kept for ``doc_text``."""
    doc = nlp_for_check(lang)(text)
    doc.user_data["msglint_text"] = text  # a Doc's text is its input text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept in the Doc once built: spaCy joins every token's text again at each ``doc.text``."""
    text = doc.user_data.get("msglint_text")
    if text is None:
        text = doc.user_data["msglint_text"] = doc.text
    return text


def nlp_for_check(lang: str) -> Language:
    """``get_nlp(lang)``; inside ``check_scope``, in a memory zone once its vocabulary holds ZONE_AFTER words."""
    nlp = get_nlp(lang)
    zones = getattr(_scope, "zones", None)
    if zones is not None:
        stack, zoned = zones
        if id(nlp) not in zoned and len(nlp.vocab) >= ZONE_AFTER:
            zoned.add(id(nlp))
            for hook in before_zone:
                hook(pipeline_language(lang))
            stack.enter_context(nlp.memory_zone())
    return nlp


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The pipeline for ``lang`` ('en', 'de', 'fr', 'es', 'it', 'ja', 'zh', ...), built once per process."""
    lang = pipeline_language(lang)
    with _lock:
        register_components()
        if lang == "ja":
            nlp = spacy.blank("xx")
            nlp.tokenizer = CJKTokenizer(nlp.vocab)
            nlp.add_pipe("msglint_sentences", config={"punct_chars": ["。", "！", "？", "!", "?", ".", "\n"]})
            _fold_norms(nlp)
            return nlp
        # "WhatsApp:+86 139…", "Tel:0151…": a colon between a word and a number splits them (_tokenizer)
        config = {"nlp": {"tokenizer": {"@tokenizers": "msglint.tokenizer.v1"}}}
        try:
            nlp = (spacydata.french(_tokenizer) if lang == "fr" else None) or spacy.blank(lang, config=config)
        except Exception:  # a language spaCy does not know: the multi-language tokenizer
            nlp = spacy.blank("xx", config=config)
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
        nlp.add_pipe("msglint_sentences", config={"punct_chars": list(Sentencizer.default_punct_chars)})
        if lang in LEMMATIZED:
            nlp.add_pipe("msglint_lemmas", config={"lang": lang})
        _fold_norms(nlp)
        nlp.max_length = 2_000_000
        return nlp


def has_lemmas(nlp: Language) -> bool:
    return "msglint_lemmas" in nlp.pipe_names


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset:
    """spaCy's stop-word list for ``lang`` (empty for a language spaCy does not know).

    Read from spaCy's ``lang/<lang>/stop_words.py`` on its own: importing a language class to get
    its list can cost seconds (French compiles its tokenizer's exception pattern, ~3 s), and
    language identification asks for the lists of several languages a text may be in.
    """
    if f"spacy.lang.{lang}" not in sys.modules:
        words = spacydata.stop_words(lang)
        if words is not None:
            return words
    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - unknown language: no list
        return frozenset()


def stop_word_hits(words, lang: str) -> int:
    stops = stop_words(lang)
    return sum(w in stops for w in words)
