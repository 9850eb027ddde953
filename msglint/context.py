"""What a detector sees: the normalised text, its spaCy Doc, its languages, and facts about the check."""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import Optional

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

from msglint.lang import term_language
from msglint.languages import TextLanguages
from msglint.marketplaces import Marketplace
from msglint.normalise import Normalised
from msglint.pipeline import pipeline_language, read


@dataclass
class Context:
    norm: Normalised
    doc: Doc
    kind: str
    marketplace: Marketplace
    field: Optional[str] = None
    lang: str = "en"                 # the text's primary language (its pipeline and main term lists)
    message_type: Optional[str] = None  # Amazon message type when known (API sends)
    allow_domains: frozenset = frozenset()
    brands: tuple = ()
    languages: Optional[TextLanguages] = None   # sentence by sentence (msglint.languages)
    # detectors share expensive intermediate results through this cache
    cache: dict = dc_field(default_factory=dict)

    @property
    def text(self) -> str:
        """The normalised text: what every rule matches against."""
        return self.norm.text

    @property
    def original(self) -> str:
        return self.norm.original

    @property
    def ja(self) -> bool:
        """The text is read with the character tokenizer (Japanese or Chinese)."""
        return self.doc.lang_ == "xx"

    def term_parts(self) -> list:
        """(term-list language, Doc, keep) for every language whose term lists apply to this text.

        The primary language uses the check's Doc; another language present in some sentences
        gets a Doc of its own pipeline, and its matches are kept only where its lists apply
        (``keep(position)``).
        """
        langs = self.languages
        wanted = [self.lang]
        if langs is not None:
            for code in langs.term_langs():
                t = term_language(code)
                if t not in wanted:
                    wanted.append(t)
        if len(wanted) == 1:
            return [(self.lang, self.doc, None)]
        return [(t, self.doc_for(t), (lambda pos, t=t: langs.applies(t, pos))) for t in wanted]

    def doc_for(self, code: str) -> Doc:
        """The text parsed by the pipeline of ``code`` (the check's own Doc for its language)."""
        key = pipeline_language(code)
        if key == pipeline_language(self.lang):
            return self.doc
        docs = self.cache.setdefault("docs", {})
        if key not in docs:
            # only the sentences in that language are read (the others are blanked, offsets stay)
            from msglint.languages import blank_tags
            text = self.languages.blanked(blank_tags(self.text), code) if self.languages is not None else self.text
            docs[key] = read(key, text)
        return docs[key]

    @cached_property
    def _sentence_bounds(self) -> tuple[list[int], list[int]]:
        starts, ends = [], []
        for sent in self.doc.sents:
            starts.append(sent.start_char)
            ends.append(sent.end_char)
        return starts, ends

    def sentence_span(self, start: int) -> tuple[int, int]:
        """Character range of the sentence holding ``start`` (normalised coordinates)."""
        starts, ends = self._sentence_bounds
        if not starts:
            return 0, len(self.text)
        i = max(0, bisect.bisect_right(starts, start) - 1)
        return starts[i], ends[i]

    def sentence(self, start: int) -> str:
        a, b = self.sentence_span(start)
        return self.text[a:b]

    def sentence_spans(self) -> tuple[tuple[int, int], ...]:
        return self._sentence_span_tuple

    @cached_property
    def _sentence_span_tuple(self) -> tuple[tuple[int, int], ...]:
        starts, ends = self._sentence_bounds
        return tuple(zip(starts, ends))

    @cached_property
    def _token_starts(self) -> list[int]:
        return self.doc.to_array(IDX).tolist() if len(self.doc) else []

    def token_at(self, char: int):
        """The token that holds character ``char``, or None in whitespace."""
        starts = self._token_starts
        i = bisect.bisect_right(starts, char) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if tok.idx <= char < tok.idx + len(tok.text) else None

    def inside_longer_word(self, start: int, end: int) -> bool:
        """True when [start, end) begins or ends in the middle of a longer alphanumeric token."""
        for pos, edge in ((start, "start"), (end - 1, "end")):
            tok = self.token_at(pos)
            if tok is None:
                continue
            if edge == "start" and tok.idx < start and self.text[start - 1].isalnum():
                return True
            if edge == "end" and tok.idx + len(tok.text) > end and self.text[end].isalnum():
                return True
        return False

    def disguised(self, start: int, end: int) -> bool:
        """True when the original span hides what the normalised one says.

        Fullwidth forms count as a disguise except on the Japanese marketplace, where an
        input method writes them in ordinary text.
        """
        o_start, o_end = self.norm.to_original(start, end)
        original = self.original[o_start:o_end]
        if self.marketplace.language == "ja":
            original = unicodedata.normalize("NFKC", original).replace("ー", "-").replace("ｰ", "-")
        return original != self.text[start:end]

    def inserted_space(self, pos: int) -> bool:
        """A space the normaliser put into a long run of symbols (it stands for no space of the original)."""
        if self.text[pos:pos + 1] != " ":
            return False
        o_start, o_end = self.norm.to_original(pos, pos + 1)
        return not self.original[o_start:o_end].isspace()

    def original_text(self, start: int, end: int) -> str:
        o_start, o_end = self.norm.to_original(start, end)
        return self.original[o_start:o_end]

    def span(self, start: int, end: int) -> Optional[Span]:
        return self.doc.char_span(start, end, alignment_mode="expand")

