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

import threading
from functools import lru_cache

import regex
import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc

from msglint import lexicon

LEMMATIZED = lexicon.LEMMA_LANGS
CJK_LANGS = frozenset({"ja", "zh"})
SPAN_KEY = "msglint"
_lock = threading.RLock()

_CJK_TOKEN = regex.compile(
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


class LemmaComponent:
    """Sets ``token.lemma_`` from ``lexicon.lemma_map`` (folded form -> folded lemma)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._map = None
        self._cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self._map is None:
            self._map = lexicon.lemma_map(self.lang)
        cache = self._cache
        strings = doc.vocab.strings
        for tok in doc:
            orth = tok.orth
            lem = cache.get(orth)
            if lem is None:
                norm = lexicon.fold(tok.text)
                lem = strings.add(self._map.get(norm, norm))
                if len(cache) < 200_000:
                    cache[orth] = lem
            tok.lemma = lem
        return doc


_registered = False


def register_components() -> None:
    """Register msglint's spaCy factories, once (spaCy keeps a global registry)."""
    global _registered
    if _registered:
        return

    @spacy.registry.tokenizers("msglint.cjk_tokenizer.v1")
    def create_cjk_tokenizer():
        return CJKTokenizer

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


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The pipeline for ``lang`` ('en', 'de', 'fr', 'es', 'it', 'ja', 'zh', ...), built once per process."""
    lang = pipeline_language(lang)
    with _lock:
        register_components()
        if lang == "ja":
            nlp = spacy.blank("xx")
            nlp.tokenizer = CJKTokenizer(nlp.vocab)
            nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "!", "?", ".", "\n"]})
            _fold_norms(nlp)
            return nlp
        try:
            nlp = spacy.blank(lang)
        except Exception:  # a language spaCy does not know: the multi-language tokenizer
            nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        if lang in LEMMATIZED:
            nlp.add_pipe("msglint_lemmas", config={"lang": lang})
        _fold_norms(nlp)
        nlp.max_length = 2_000_000
        return nlp


def has_lemmas(nlp: Language) -> bool:
    return "msglint_lemmas" in nlp.pipe_names


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset:
    """spaCy's stop-word list for ``lang`` (empty for a language spaCy does not know)."""
    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - unknown language: no list
        return frozenset()


def stop_word_hits(words, lang: str) -> int:
    stops = stop_words(lang)
    return sum(w in stops for w in words)
