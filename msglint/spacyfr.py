"""spaCy's French tokenizer without the three-second import.

``spacy.blank("fr")`` imports ``spacy.lang.fr.tokenizer_exceptions``, which compiles one regular
expression for its hyphenated and elided words ("peut-être", "entr'ouvert", "arc-en-ciel"): about
300 alternatives, each spelling out spaCy's whole class of letters, 1.45 MB of pattern that ``re``
takes ~3 s to compile. That is most of what a first French message costs.

:func:`french` builds the same language from spaCy's own French data modules (punctuation,
exceptions, number words, stop words), read from their files as ``pipeline.stop_words`` reads the
stop-word lists, so the package ``spacy.lang.fr`` is never imported. The exception module is run
with a stand-in for its letter classes; the pattern it would compile is then rewritten with one
short "any letter" class (``[^\\W\\d_]``) where spaCy's long class stood, which compiles in
milliseconds. The two patterns accept the same hyphenated and elided words in every script
spaCy's class lists (it leaves out a few, such as CJK, that no French compound mixes in), so the
tokens are the same; ``tests/test_pipeline.py`` compares both tokenizers.

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


def _source(name: str) -> tuple[str, str]:
    path = Path(spacy.__file__).parent / "lang" / "fr" / f"{name}.py"
    return path.read_text(encoding="utf-8"), str(path)


def _run(name: str, importer=None) -> dict:
    """Run ``spacy/lang/fr/<name>.py`` as the module ``spacy.lang.fr.<name>`` without its package."""
    source, path = _source(name)
    namespace: dict = {"__name__": f"spacy.lang.fr.{name}", "__package__": "spacy.lang.fr", "__file__": path}
    if importer is not None:
        namespace["__builtins__"] = dict(vars(builtins), __import__=importer)
    exec(compile(source, path, "exec"), namespace)  # noqa: S102 - spaCy's own data module
    return namespace


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

    namespace = _run("tokenizer_exceptions", importer)
    recorded = namespace["TOKEN_MATCH"]
    if not isinstance(recorded, _Recorded):
        raise ValueError("unexpected French exception module")
    return namespace["TOKENIZER_EXCEPTIONS"], _token_match(recorded)


def french() -> Optional[Language]:
    """A blank French pipeline equal to ``spacy.blank("fr")``, or None (then use that)."""
    if "spacy.lang.fr" in sys.modules:  # already paid for
        return None
    try:
        punctuation = _run("punctuation")
        exceptions, token_match = _exceptions(punctuation)
        lex_attrs = _run("lex_attrs")["LEX_ATTRS"]
        stop_words = _run("stop_words")["STOP_WORDS"]
    except Exception:  # noqa: BLE001 - another spaCy release: its own import is always right
        return None

    class FrenchDefaults(BaseDefaults):
        tokenizer_exceptions = exceptions
        prefixes = punctuation["TOKENIZER_PREFIXES"]
        infixes = punctuation["TOKENIZER_INFIXES"]
        suffixes = punctuation["TOKENIZER_SUFFIXES"]
        lex_attr_getters = lex_attrs

    FrenchDefaults.token_match = staticmethod(token_match)
    FrenchDefaults.stop_words = stop_words

    class French(Language):
        lang = "fr"
        Defaults = FrenchDefaults

    return French()
