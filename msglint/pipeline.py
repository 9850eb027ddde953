"""spaCy pipelines, built once per language and cached.

Every pipeline is ``spacy.blank(lang)`` (no trained model: none can be downloaded here) with
a sentencizer and, where spacy-lookups-data has a table, the lookup lemmatizer. Japanese and
Chinese texts get a character-level tokenizer that needs no extra package (spaCy's own ``ja``
needs SudachiPy). Custom pieces are registered in ``register_components`` only.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc

LEMMATIZED = frozenset({"en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "tr"})
CJK_LANGS = frozenset({"ja", "zh"})
SPAN_KEY = "msglint"
_lock = threading.Lock()

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


_registered = False


def register_components() -> None:
    """Register msglint's spaCy factories, once (spaCy keeps a global registry)."""
    global _registered
    if _registered:
        return

    @spacy.registry.tokenizers("msglint.cjk_tokenizer.v1")
    def create_cjk_tokenizer():
        return CJKTokenizer

    if not Doc.has_extension("msglint_findings"):
        Doc.set_extension("msglint_findings", default=None)
    _registered = True


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The pipeline for ``lang`` ('en', 'de', 'fr', 'es', 'it', 'ja', 'zh', ...), built once."""
    with _lock:
        register_components()
        if lang in CJK_LANGS:
            nlp = spacy.blank("xx")
            nlp.tokenizer = CJKTokenizer(nlp.vocab)
            nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "!", "?", ".", "\n"]})
            return nlp
        try:
            nlp = spacy.blank(lang)
        except Exception:  # a language spaCy does not know: the multi-language tokenizer
            nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        if lang in LEMMATIZED:
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            try:
                nlp.initialize()
            except Exception:  # no lookup table for this language: keep going without lemmas
                nlp.remove_pipe("lemmatizer")
        nlp.max_length = 2_000_000
        return nlp


def pipeline_language(text_lang: str) -> str:
    return text_lang if text_lang else "en"


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
