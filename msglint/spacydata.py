"""spaCy's language data read from its files, without importing the language packages.

Importing ``spacy.lang.<xx>`` runs its whole package: for French that costs three seconds (below),
and language identification only needs a few languages' stop-word lists. :func:`run_module` runs
one data module of spaCy's (``stop_words``, ``punctuation``, ...) on its own.

French
------

``spacy.blank("fr")`` imports ``spacy.lang.fr.tokenizer_exceptions``, which compiles one regular
expression for its hyphenated and elided words ("peut-être", "entr'ouvert", "arc-en-ciel"): about
300 alternatives, each spelling out spaCy's whole class of letters, 1.45 MB of pattern that ``re``
takes ~3 s to compile. That is most of what a first French message costs.

:func:`french` builds the same language from spaCy's own French data modules (punctuation,
exceptions, number words, stop words), read from their files as the stop-word lists are read
(:func:`stop_words`), so the package ``spacy.lang.fr`` is never imported. The exception module is run
with a stand-in for its letter classes; the pattern it would compile is then rewritten with one
short "any letter" class (``[^\\W\\d_]``) where spaCy's long class stood, which compiles in
milliseconds. The two patterns accept the same hyphenated and elided words in every script
spaCy's class lists (it leaves out a few, such as CJK, that no French compound mixes in), so the
tokens are the same; ``tests/test_spacydata.py`` compares both tokenizers.

If spaCy's files change shape (another release), :func:`french` returns ``None`` and the caller
uses ``spacy.blank("fr")``: slower to start, never wrong.
"""

from __future__ import annotations

import builtins
import re
import sys
import types
from pathlib import Path
from typing import Optional

import spacy
from spacy.language import BaseDefaults, Language

# stand-ins for spaCy's letter classes while the exception module builds its patterns
_ALPHA = "\x00A\x00"
_ALPHA_LOWER = "\x00L\x00"
_LETTER = r"[^\W\d_]"
# a bracketed class in which a stand-in stands: "[\x00L\x00]" or "[-–\x00L\x00'’]"
_CLASS_WITH_LETTERS = re.compile(r"\[([^\]\x00]*)\x00[AL]\x00([^\]\x00]*)\]")


class _Recorded:
    """What the exception module's ``re.compile`` returns here: the pattern, uncompiled."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        self.match = self


def source(lang: str, name: str) -> tuple[str, str]:
    """The text and path of ``spacy/lang/<lang>/<name>.py`` (OSError if there is none)."""
    if not (lang.isalpha() and name.replace("_", "").isalpha()):
        raise OSError(f"not a spaCy data module: {lang}/{name}")
    path = Path(spacy.__file__).parent / "lang" / lang / f"{name}.py"
    return path.read_text(encoding="utf-8"), str(path)


def run_module(lang: str, name: str, importer=None, text: Optional[str] = None) -> dict:
    """Run ``spacy/lang/<lang>/<name>.py`` as the module ``spacy.lang.<lang>.<name>``, without its package.

    Its own imports of spaCy's shared modules (``..char_classes``) are real; ``importer`` may answer
    some of them instead. Returns the module's namespace.
    """
    src, path = source(lang, name)
    if text is not None:
        src = text
    namespace: dict = {"__name__": f"spacy.lang.{lang}.{name}", "__package__": f"spacy.lang.{lang}", "__file__": path}
    if importer is not None:
        namespace["__builtins__"] = dict(vars(builtins), __import__=importer)
    exec(compile(src, path, "exec"), namespace)  # noqa: S102 - spaCy's own data module
    return namespace


def stop_words(lang: str) -> Optional[frozenset]:
    """``STOP_WORDS`` of ``spacy/lang/<lang>/stop_words.py``, or None when that module is not plain data."""
    try:
        src, _path = source(lang, "stop_words")
    except OSError:
        return None
    if "import" in src.split("STOP_WORDS", 1)[0]:
        return None
    words = run_module(lang, "stop_words", text=src).get("STOP_WORDS")
    return frozenset(words) if isinstance(words, (set, frozenset)) else None


def _letters_class(match: re.Match) -> str:
    before, after = match.group(1), match.group(2)
    others = before + after
    return f"(?:{_LETTER}|[{others}])" if others else _LETTER


def _token_match(recorded: _Recorded):
    pattern = _CLASS_WITH_LETTERS.sub(_letters_class, recorded.pattern)
    if "\x00" in pattern:  # a stand-in outside a class: not the shape this was written for
        raise ValueError("unexpected French exception pattern")
    return re.compile(pattern, recorded.flags).match


def _exceptions(punctuation: dict):
    fake_re = types.SimpleNamespace(compile=_Recorded)
    fake_classes = types.SimpleNamespace(ALPHA=_ALPHA, ALPHA_LOWER=_ALPHA_LOWER)
    fake_punctuation = types.SimpleNamespace(ELISION=punctuation["ELISION"], HYPHENS=punctuation["HYPHENS"])
    real_import = builtins.__import__

    def importer(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name == "re":
            return fake_re
        if level == 2 and name == "char_classes":
            return fake_classes
        if level == 1 and name == "punctuation":
            return fake_punctuation
        return real_import(name, globals, locals, fromlist, level)

    namespace = run_module("fr", "tokenizer_exceptions", importer)
    recorded = namespace["TOKEN_MATCH"]
    if not isinstance(recorded, _Recorded):
        raise ValueError("unexpected French exception module")
    return namespace["TOKENIZER_EXCEPTIONS"], _token_match(recorded)


def french(create_tokenizer=None) -> Optional[Language]:
    """A blank French pipeline equal to ``spacy.blank("fr")`` (its tokenizer made by ``create_tokenizer``
    where given), or None (then use that)."""
    if "spacy.lang.fr" in sys.modules:  # already paid for
        return None
    try:
        punctuation = run_module("fr", "punctuation")
        exceptions, token_match = _exceptions(punctuation)
        lex_attrs = run_module("fr", "lex_attrs")["LEX_ATTRS"]
        french_stop_words = run_module("fr", "stop_words")["STOP_WORDS"]
    except Exception:  # noqa: BLE001 - another spaCy release: its own import is always right
        return None

    class FrenchDefaults(BaseDefaults):
        tokenizer_exceptions = exceptions
        prefixes = punctuation["TOKENIZER_PREFIXES"]
        infixes = punctuation["TOKENIZER_INFIXES"]
        suffixes = punctuation["TOKENIZER_SUFFIXES"]
        lex_attr_getters = lex_attrs

    FrenchDefaults.token_match = staticmethod(token_match)
    FrenchDefaults.stop_words = french_stop_words

    class French(Language):
        lang = "fr"
        Defaults = FrenchDefaults

    return French(create_tokenizer=create_tokenizer) if create_tokenizer else French()
