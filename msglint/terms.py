"""The term engine: msglint's only matcher, its only negation policy, and the index rules query.

Term lists are data. A family file ``wordlists/<family>/<lang>.yml`` holds groups of phrases::

    terms:
      review_noun: [review, product review, "lemma:review"]
      incentive: [gift card, voucher]
    exceptions: [free returns]

and the language file ``wordlists/_lang/<lang>.yml`` the language's own words (negation,
conditionals, clause breaks, ...), available to every rule as the groups ``lang:negation``,
``lang:conditional`` and so on.

Phrase notation, the same in every file (and in ``suggest``'s cue file):

* ``gift card`` matches the words in order, compared folded (``lexicon.fold``: case, accents
  and apostrophes do not matter); tokenized as written, lower-cased and capitalised, because
  tokenizers cut abbreviations by case;
* ``lemma:review`` matches every form of the word (reviews, reviewed);
* ``wild:*erstattung`` (one ``*`` or more inside a word) matches words by their folded letters
  (Rückerstattung, Erstattung); a lone ``*`` matches any one word.

A match inside an exception phrase of its own family is dropped. Every family of a language is
compiled into one ``PhraseIndex`` (plus a ``PhraseMatcher`` for lemmas and a ``WildMatcher`` for
wildcards) and run once per text; the phrases' tokens are kept in the user's cache directory
(``PhraseNorms``), so a language's lists are tokenized once per machine, not once per process; ``TermIndex`` holds the matches by sentence and clause. A text written in
several languages (``msglint.languages``) is matched with each language's lists on the sentences
written in it, on that language's own Doc.

``TermIndex.negated`` is the one negation policy of msglint; its options are listed there.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional, Sequence

import numpy
from spacy.attrs import IDX, IS_PUNCT, LENGTH, NORM, SENT_START
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id

from msglint import lang as langdata
from msglint.datafile import DataFile, check_keys, expect_mapping, expect_phrases, optional
from msglint.lexicon import _cache_dir, _write_cache, fold
from msglint.pipeline import before_zone, doc_text, get_nlp, has_lemmas, pipeline_language
from msglint.resources import wordlists_dir
from msglint.spans import QUOTE_CLOSE, QUOTE_OPEN

FAMILIES = ("review", "marketing", "offplatform", "buyer_data", "conduct", "unnecessary", "listing", "appeal")
LANGS = langdata.LANGS
# plain word lists a family file may hold besides its term groups (not matched; read by rules)
FAMILY_LISTS = {"listing": ("stopwords", "plural_suffixes", "rank_after", "rank_before"),
                "buyer_data": ("acronyms", "printable"), "appeal": ("section_words",)}
# language-file lists that are matched as groups "lang:<name>"
LANG_GROUPS = {"negation": None, "transparent": None, "polite_question": None, "conditional": "conditionals",
               "object_pronoun": "object_pronouns", "list_conjunction": "list_conjunctions",
               "prep_about": "prepositions_about", "prep_to": "prepositions_to", "amazon_place": "amazon_places",
               "seller_own": "seller_own", "refusal": "refusals", "stay_on_amazon": "stay_on_amazon",
               "list_opener": "list_openers", "continuation": "continuations", "subordinator": "subordinators",
               "reported": "reported_speech", "report_verb": "report_verbs"}
NEGATION = "lang:negation"
# how far a reported quotation reaches (characters)
_QUOTE_REACH = 300


class Match(NamedTuple):
    """One term match (a named tuple: made by the thousand per batch, so made cheaply)."""

    group: str      # "family:group"
    start: int      # character offsets in the normalised text
    end: int
    tok_start: int  # token offsets in the Doc of the match's language (TermIndex.doc_of)
    tok_end: int
    sent: int       # sentence index (the primary Doc's sentences)
    clause: int     # clause index (sentences cut at , ; : and contrastive conjunctions)
    lang: str = ""  # the language whose lists matched


# --------------------------------------------------------------------------- phrases


class WildMatcher:
    """The ``wild:`` phrases of a book, matched without spaCy's general ``Matcher``.

    A pattern is a sequence of one-token pieces: a folded word (compared by its NORM hash), a
    word pattern (``*erstattung``, a regular expression on the folded word) or any word (``*``).
    Each pattern is filed under one anchor piece, its first plain word or else its first word
    pattern; a text is walked once, and only the patterns anchored at a token are tried there.
    Which word patterns a word fits is computed once per distinct word and kept (bounded), so
    the regular expressions run on new words only. Returns what ``Matcher`` returned: (key hash,
    token start, token end) for every match.
    """

    _CACHE_LIMIT = 5_000   # distinct words (one WildMatcher per term book: a dozen in a process)

    def __init__(self, vocab):
        self.vocab = vocab
        self.patterns: list[tuple[int, tuple]] = []   # (key hash, pieces); piece: (0,) any, (1, hash), (2, rx id)
        self.by_word: dict[int, list[tuple[int, int]]] = defaultdict(list)   # norm hash -> (pattern, anchor)
        self.by_rx: dict[int, list[tuple[int, int]]] = defaultdict(list)     # rx id -> (pattern, anchor)
        self.regexes: list = []
        self._rx_ids: dict[str, int] = {}
        self._combined = None
        self._fits: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self.patterns)

    def add(self, key: str, phrase: str, norms_of) -> None:
        """``norms_of`` gives a word's NORM hashes as the book's tokenizer cuts it (``PhraseNorms``)."""
        pieces = []
        for piece in phrase.split():
            if piece == "*":
                pieces.append((0,))
            elif "*" in piece:
                rx = "".join(".*" if i % 2 else re.escape(part)
                             for i, part in enumerate(_interleave(fold(p) for p in piece.split("*"))))
                rid = self._rx_ids.setdefault(rx, len(self._rx_ids))
                if rid == len(self.regexes):
                    self.regexes.append(re.compile(rx + r"\Z", re.S))
                pieces.append((2, rid))
            else:
                pieces.extend((1, h) for h in norms_of(piece))
        if not pieces or all(p[0] == 0 for p in pieces):
            return
        pid = len(self.patterns)
        self.patterns.append((self.vocab.strings.add(key), tuple(pieces)))
        anchor = next((i for i, p in enumerate(pieces) if p[0] == 1), None)
        if anchor is not None:
            self.by_word[pieces[anchor][1]].append((pid, anchor))
        else:
            anchor = next(i for i, p in enumerate(pieces) if p[0] == 2)
            self.by_rx[pieces[anchor][1]].append((pid, anchor))
        self._combined = None

    def _word_fits(self, h: int, strings) -> tuple:
        fits = self._fits.get(h)
        if fits is None:
            if self._combined is None:
                self._combined = re.compile("|".join(f"(?:{r.pattern})" for r in self.regexes), re.S)
            word = strings[h] if h in strings else ""
            fits = (tuple(i for i, r in enumerate(self.regexes) if r.match(word))
                    if word and self._combined.match(word) else ())
            if len(self._fits) >= self._CACHE_LIMIT:
                self._fits.clear()
            self._fits[h] = fits
        return fits

    def __call__(self, doc, norms: Optional[list] = None) -> list[tuple[int, int, int]]:
        if norms is None:
            norms = doc.to_array(NORM).tolist()
        n = len(norms)
        strings = self.vocab.strings
        by_word, by_rx, patterns = self.by_word, self.by_rx, self.patterns
        fits_cache: dict[int, tuple] = {}
        out = []

        def fits(h):
            f = fits_cache.get(h)
            if f is None:
                f = fits_cache[h] = set(self._word_fits(h, strings)) if self.regexes else set()
            return f

        for i, h in enumerate(norms):
            cands = by_word.get(h, [])
            if by_rx:
                for rid in fits(h):
                    cands = cands + by_rx.get(rid, [])
            for pid, anchor in cands:
                key, pieces = patterns[pid]
                start = i - anchor
                end = start + len(pieces)
                if start < 0 or end > n:
                    continue
                for j, piece in enumerate(pieces):
                    kind = piece[0]
                    if kind == 1:
                        if norms[start + j] != piece[1]:
                            break
                    elif kind == 2 and piece[1] not in fits(norms[start + j]):
                        break
                else:
                    out.append((key, start, end))
        return out


def _interleave(parts):
    """a, b, c -> a, *, b, *, c (the ``*`` as a marker at odd places)."""
    first = True
    for part in parts:
        if not first:
            yield "*"
        first = False
        yield part


class PhraseIndex:
    """Plain phrases as sequences of NORM hashes, matched by walking a text's norms once.

    What spaCy's ``PhraseMatcher`` on NORM did, without a Doc for every phrase: the phrases form a
    trie of norm hashes, walked from each token. Returns (key hash, token start, token end) of every
    match, overlapping ones included, in order of start and then length.
    """

    def __init__(self):
        self.keys: dict[tuple, list[int]] = {}     # norm hashes -> key hashes
        self._trie: Optional[dict] = None          # made from ``keys`` at the first match (see _make_trie)

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: int, norms: tuple) -> None:
        if not norms:
            return
        keys = self.keys.setdefault(norms, [])
        if key not in keys:
            keys.append(key)
        self._trie = None

    def _make_trie(self) -> dict:
        """The phrases as a trie of norm hashes: {hash: node}, a node's key hashes under ``_KEYS`` (-1, which no
        hash is). Walking it from a token follows only prefixes some phrase has, instead of slicing and looking up
        a tuple for every length phrases starting there have (the walk was most of a check's phrase time)."""
        root: dict = {}
        for norms, keys in self.keys.items():
            node = root
            for h in norms:
                node = node.setdefault(h, {})
            node[_KEYS] = tuple(keys)
        return root

    def __call__(self, norms: list) -> list[tuple[int, int, int]]:
        trie = self._trie
        if trie is None:
            trie = self._trie = self._make_trie()
        out = []
        n = len(norms)
        for i, h in enumerate(norms):
            node = trie.get(h)
            j = i + 1
            while node is not None:
                keys = node.get(_KEYS)
                if keys:
                    out.extend((key, i, j) for key in keys)
                if j >= n:
                    break
                node = node.get(norms[j])
                j += 1
        return out


_KEYS = -1   # where a PhraseIndex trie node keeps the key hashes of the phrase ending there


class PhraseNorms:
    """The NORM strings a pipeline's tokenizer gives a phrase, kept in the user's cache directory.

    Tokenizing the ten thousand phrases of a language's lists is most of what a new language
    costs; what the tokenizer makes of a phrase depends only on the phrase, the tokenizer's code
    and spaCy's version, so it is read from ``<cache>/msglint/phrases-<lang>-<key>.json`` (the key
    hashes those) and only phrases not there are tokenized. The file is rewritten atomically when
    phrases were added; an unwritable cache directory only costs the time.
    """

    def __init__(self, nlp, lang: str):
        self.nlp = nlp
        self.path = _cache_dir() / f"phrases-{lang}-{_tokenizer_key()}.json"
        try:
            data = json.loads(self.path.read_text("utf-8"))
            self.known = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.known = {}
        self.added = False

    def __call__(self, phrase: str) -> tuple:
        norms = self.known.get(phrase)
        if not isinstance(norms, list):
            norms = [t.norm_ for t in self.nlp.make_doc(phrase)]
            self.known[phrase] = norms
            self.added = True
        # the hash only: a phrase's words need not be in the StringStore (matching compares hashes with the
        # NORMs of a text's tokens, which are); adding ten thousand phrases' words was a tenth of a cold start
        return tuple(map(get_string_id, norms))

    def save(self) -> None:
        if self.added:
            _write_cache(self.path, self.known)
            self.added = False


@lru_cache(maxsize=None)
def _tokenizer_key() -> str:
    """What a phrase's tokens depend on: spaCy's version and the code that builds the tokenizers."""
    import spacy

    from msglint import lexicon, pipeline, spacydata

    h = hashlib.sha256(spacy.__version__.encode())
    for module in (pipeline, spacydata, lexicon):
        try:
            h.update(Path(module.__file__).read_bytes())
        except OSError:
            h.update(module.__name__.encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=None)
def phrase_norms(nlp_lang: str) -> PhraseNorms:
    return PhraseNorms(get_nlp(nlp_lang), nlp_lang)


@dataclass
class _Compiled:
    plain: PhraseIndex
    lemma: Optional[PhraseMatcher]
    wild: WildMatcher
    groups: tuple


def compile_groups(nlp, groups: Mapping[str, Iterable[str]], lang: Optional[str] = None) -> _Compiled:
    """Matchers for ``{group key: [phrases]}`` on ``nlp``'s vocabulary (phrase notation above).

    With ``lang``, ``nlp`` is that language's shared pipeline (``get_nlp``) and the phrases' tokens
    are read from the cache directory (``PhraseNorms``; the caller saves what was added).
    """
    plain = PhraseIndex()
    lemma = PhraseMatcher(nlp.vocab, attr="LEMMA") if has_lemmas(nlp) else None
    wild = WildMatcher(nlp.vocab)
    norms_of = phrase_norms(pipeline_language(lang)) if lang else _Uncached(nlp)
    strings = nlp.vocab.strings
    for key, phrases in groups.items():
        lemma_docs, seen = [], set()
        key_hash = strings.add(key)
        for phrase in phrases:
            phrase = str(phrase).strip()
            if not phrase:
                continue
            if phrase.startswith("wild:"):
                wild.add(key, phrase[5:], norms_of)
                continue
            if phrase.startswith("lemma:"):
                word = phrase[6:].strip()
                if lemma is not None:
                    lemma_docs.append(nlp(word))
                    continue
                phrase = word
            # norms are folded, so case variants only matter where the tokenizer's special cases are
            # case-sensitive ("Dr.", "l'", "e-mail"): plain words are tokenized once
            plain_words = phrase.replace(" ", "").isalnum()
            forms = (phrase,) if plain_words else (phrase, phrase.lower(), phrase[:1].upper() + phrase[1:])
            for form in forms:
                sig = norms_of(form)
                if sig and sig not in seen:
                    seen.add(sig)
                    plain.add(key_hash, sig)
        if lemma_docs:
            lemma.add(key, lemma_docs)
    return _Compiled(plain, lemma, wild, tuple(groups))


class _Uncached:
    """Phrase norms on a pipeline that is not the process's shared one (tests build their own)."""

    def __init__(self, nlp):
        self.nlp = nlp

    def __call__(self, phrase: str) -> tuple:
        return tuple(t.norm for t in self.nlp.make_doc(phrase))


def run(compiled: _Compiled, doc) -> list[tuple[int, int, int]]:
    """(key hash, token start, token end) of every match in ``doc``."""
    norms = doc.to_array(NORM).tolist()
    raw = compiled.plain(norms)
    if compiled.lemma is not None and len(compiled.lemma):
        raw.extend(compiled.lemma(doc))
    if len(compiled.wild):
        raw.extend(compiled.wild(doc, norms))
    return raw


# --------------------------------------------------------------------------- the term book


_FAMILY_KEYS = ("terms", "exceptions")


def _family_file(family: str, lang: str) -> Optional[DataFile]:
    return optional(wordlists_dir() / family / f"{lang}.yml")


@lru_cache(maxsize=None)
def family_data(family: str, lang: str) -> dict:
    """{"terms": {group: [phrases]}, "exceptions": [...], <list>: [...]} of one family file, checked."""
    f = _family_file(family, lang)
    if f is None:
        return {"terms": {}, "exceptions": []}
    data = expect_mapping(f, f.data)
    check_keys(f, data, _FAMILY_KEYS + FAMILY_LISTS.get(family, ()))
    terms = {}
    for group, phrases in expect_mapping(f, data.get("terms"), "terms").items():
        if not str(group).replace("_", "").isalnum():
            raise f.error(f"group name '{group}' must be letters, digits and '_'", "terms", group)
        terms[str(group)] = expect_phrases(f, phrases, "terms", group)
    out = {"terms": terms, "exceptions": expect_phrases(f, data.get("exceptions"), "exceptions")}
    for key in FAMILY_LISTS.get(family, ()):
        out[key] = expect_phrases(f, data.get(key), key)
    return out


def family_words(family: str, lang: str, key: str) -> frozenset:
    """A plain list of a family file (``listing`` stopwords, rank words ...), folded."""
    return frozenset(fold(w) for w in family_data(family, lang).get(key, ()))


def lang_groups(lang: str) -> dict:
    """The matched groups of the language file: {"lang:negation": [...], ...}."""
    info = langdata.get(lang if lang in langdata.KNOWN else "en")
    out = {"lang:negation": list(info.negation.words), "lang:transparent": list(info.negation.transparent),
           "lang:polite_question": list(info.negation.polite_question)}
    for group, key in LANG_GROUPS.items():
        if key:
            out[f"lang:{group}"] = list(info.words(key))
    return {k: v for k, v in out.items() if v}


class TermBook:
    """All term groups of one language, compiled once: the lint families, or any other set (``suggest``)."""

    def __init__(self, lang: str, groups: Mapping[str, Iterable[str]], exceptions: Mapping[str, Iterable[str]]):
        self.lang = lang
        self.nlp = get_nlp(lang)
        self.compiled = compile_groups(self.nlp, groups, lang)
        self.exceptions = compile_groups(self.nlp, {f"exception:{fam}": list(p) for fam, p in exceptions.items() if p},
                                         lang)
        phrase_norms(pipeline_language(lang)).save()   # once per book, after both compilations
        self.groups = frozenset(groups)
        strings = self.nlp.vocab.strings
        # group names as the matcher stores them, resolved once
        self._names = {strings.add(g): g for g in groups}
        self._exc_names = {strings.add(f"exception:{fam}"): fam for fam in exceptions}
        self._break_hashes = numpy.array(sorted({strings.add(fold(w)) for w in _break_words(lang)}), dtype="uint64")

    def match(self, doc) -> list[tuple[str, int, int]]:
        """(group, token start, token end) in ``doc``, exceptions applied within their family, no duplicates."""
        raw = run(self.compiled, doc)
        if not raw:
            return []
        spans_of: dict[str, list] = defaultdict(list)
        if len(self.exceptions.plain) or len(self.exceptions.wild):
            for key, s, e in run(self.exceptions, doc):
                spans_of[self._exc_names[key]].append((s, e))
        # per family: exception starts in order and the furthest end reached up to each, so that
        # "inside an exception" is one bisection (a long text has thousands of both)
        excluded = {}
        for fam, spans in spans_of.items():
            spans.sort()
            reach, furthest = [], -1
            for _s, e in spans:
                furthest = max(furthest, e)
                reach.append(furthest)
            excluded[fam] = ([s for s, _e in spans], reach)
        out, seen = [], set()
        for key, start, end in raw:
            group = self._names.get(key)
            if group is None or (group, start, end) in seen:
                continue
            fam = group.split(":", 1)[0]
            if fam in excluded:
                starts, reach = excluded[fam]
                i = bisect.bisect_right(starts, start) - 1
                if i >= 0 and reach[i] >= end:
                    continue
            seen.add((group, start, end))
            out.append((group, start, end))
        return out


def _break_words(lang: str) -> list[str]:
    info = langdata.get(lang if lang in langdata.KNOWN else "en")
    return list(langdata.common().clause_punctuation) + list(info.words("clause_breaks"))


@lru_cache(maxsize=None)
def book(lang: str) -> TermBook:
    """The lint term book of ``lang``: every family file plus the language file."""
    groups: dict[str, list] = {}
    exceptions: dict[str, list] = {}
    # Chinese is read with the Japanese book (one character per token): its lists extend the Japanese ones
    for code in (lang, "zh") if lang == "ja" else (lang,):
        for family in FAMILIES:
            data = family_data(family, code)
            for group, phrases in data["terms"].items():
                groups.setdefault(f"{family}:{group}", []).extend(phrases)
            exceptions.setdefault(family, []).extend(data["exceptions"])
    groups.update(lang_groups(lang))
    info = langdata.get(lang if lang in langdata.KNOWN else "en")
    exceptions["lang"] = list(info.negation.exceptions)
    return TermBook(lang, groups, exceptions)


def _books_before_zone(pipeline_lang: str) -> None:
    """The term books of a pipeline are built before its first memory zone opens (their strings stay)."""
    for lang in LANGS:
        if pipeline_language(lang) == pipeline_lang:
            book(lang)


before_zone.append(_books_before_zone)


def all_groups() -> frozenset:
    """Every group key of every language (for checks that a rule names only existing groups)."""
    keys = set()
    for lang in LANGS:
        for family in FAMILIES:
            keys.update(f"{family}:{g}" for g in family_data(family, lang)["terms"])
        keys.update(lang_groups(lang))
    return frozenset(keys)


# --------------------------------------------------------------------------- the index


@dataclass
class NegationPolicy:
    """How ``TermIndex.negated`` reads a negation; the defaults fit every family.

    lookback: tokens a negation may stand before what it negates, in the same clause.
    reach_after: characters a negation may stand after it, in languages that negate after the
        verb (Japanese: 送りません).
    conditional: a negation right after a conditional ("if you don't ...") negates the condition,
        not the rest of the clause ("if you don't remove the review, we will ...").
    lists: a negation also governs a comma list it opens ("we don't need your e-mail, phone or
        WhatsApp").
    transparent: further groups, of a family, in which a negation negates nothing after it (the
        conduct family's "don't be ..." before an insult); the language files' own transparent
        phrases ("don't hesitate to") always apply.
    refusal: groups whose match anywhere in the sentence takes back what it names, for families
        about offers: "we cannot offer discounts, gifts or refunds in exchange for reviews",
        "Eine Zahlung per PayPal ist leider nicht möglich", "thanks for offering WhatsApp, but we
        keep all communication here" (``REFUSING``).
    """

    lookback: int = 8
    reach_after: int = 16
    conditional: bool = True
    lists: bool = True
    transparent: tuple = ()     # family groups whose negations negate nothing after them ("don't be")
    refusal: tuple = ()         # groups that take back a whole sentence ("lang:refusal", "lang:stay_on_amazon")
    refusal_void: tuple = ()    # ... unless the sentence also has one of these (it refuses Amazon's own route)


DEFAULT_POLICY = NegationPolicy()
# for offers and ways off Amazon: a refusal or a "we stay on Amazon" statement takes the sentence back
REFUSING = NegationPolicy(refusal=("lang:refusal", "lang:stay_on_amazon"), refusal_void=("offplatform:via_amazon",))


class TermIndex:
    """All term matches of one text, indexed by group, sentence and clause."""

    def __init__(self, matches: list[Match], n_sents: int, doc, docs: Optional[dict] = None,
                 clause_starts: Sequence[int] = ()):
        self.matches = matches
        self.clause_starts = list(clause_starts)
        self.doc = doc                     # the primary Doc
        self.docs = docs or {}             # language -> Doc its matches index
        self.n_sents = n_sents
        self._by_group: dict[str, list[Match]] = defaultdict(list)
        self._by_sent: dict[tuple, list[Match]] = defaultdict(list)
        for m in matches:
            self._by_group[m.group].append(m)
            self._by_sent[(m.group, m.sent)].append(m)

    # -- lookups
    def clause_at(self, pos: int) -> int:
        """The clause index of character ``pos``."""
        return max(0, bisect.bisect_right(self.clause_starts, pos) - 1)

    def doc_of(self, m: Match):
        return self.docs.get(m.lang, self.doc)

    def get(self, *groups: str) -> list[Match]:
        if len(groups) == 1:
            return list(self._by_group.get(groups[0], ()))
        out: list[Match] = []
        for g in groups:
            out.extend(self._by_group.get(g, ()))
        return sorted(out, key=lambda m: (m.start, -m.end))

    def has(self, *groups: str) -> bool:
        return any(self._by_group.get(g) for g in groups)

    def in_sentence(self, sent: int, *groups: str) -> list[Match]:
        out: list[Match] = []
        for g in groups:
            out.extend(self._by_sent.get((g, sent), ()))
        if len(groups) > 1:
            out.sort(key=lambda m: (m.start, -m.end))
        return out

    def in_clause(self, clause: int, *groups: str) -> list[Match]:
        return [m for m in self.get(*groups) if m.clause == clause]

    def near(self, anchor: Match, groups: Iterable[str], sentences: int = 0) -> list[Match]:
        """Matches of ``groups`` in the anchor's sentence, or within ``sentences`` sentences of it."""
        groups = tuple(groups)
        if sentences == 0:
            return self.in_sentence(anchor.sent, *groups)
        out: list[Match] = []
        for sent in range(anchor.sent - sentences, anchor.sent + sentences + 1):
            out.extend(self.in_sentence(sent, *groups))
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def cooccur(self, first: Iterable[str], second: Iterable[str], scope: str = "sentence",
                window: int = 0) -> list[tuple[Match, Match]]:
        """Pairs (a, b), a from ``first`` and b from ``second``, not overlapping, in one clause or sentence.

        ``window`` widens a sentence scope to neighbouring sentences. Sentences are short (the pipeline
        cuts a run of words without punctuation into sentences), so the pairs stay few.
        """
        pairs = []
        second = tuple(second)
        for a in self.get(*first):
            for b in self.near(a, second, window if scope == "sentence" else 0):
                if a is b or (a.start < b.end and b.start < a.end):
                    continue
                if scope == "clause" and a.clause != b.clause:
                    continue
                pairs.append((a, b))
        return pairs

    def tokens(self, m: Match, before: int = 0, after: int = 0) -> list:
        """The match's tokens, with ``before`` tokens before it and ``after`` tokens after it."""
        doc = self.doc_of(m)
        return list(doc[max(0, m.tok_start - before):min(len(doc), m.tok_end + after)])

    def gap(self, a: Match, b: Match) -> int:
        """Tokens between a and b (0 when adjacent or overlapping), whatever their order."""
        if a.tok_end <= b.tok_start:
            return b.tok_start - a.tok_end
        if b.tok_end <= a.tok_start:
            return a.tok_start - b.tok_end
        return 0

    # -- negation: the one policy
    def negation_of(self, m: Match, policy: NegationPolicy = DEFAULT_POLICY) -> Optional[Match]:
        """The negation that takes ``m`` back, or None.

        A negation word of m's language counts when it stands in m's clause at most
        ``policy.lookback`` tokens before m (in Japanese: after m, within ``reach_after``
        characters, unless a polite question follows it: 〜ませんか), or opens a comma list that
        ends in m. It does not count inside a transparent phrase ("don't hesitate to", "n'hésitez
        pas", "non esiti a"), nor right after a conditional ("if you don't ...").
        """
        if policy.refusal:
            for r in self.get(*policy.refusal):
                if policy.refusal_void and r.group != "lang:stay_on_amazon" and \
                        self.in_sentence(r.sent, *policy.refusal_void) and \
                        not self.in_sentence(r.sent, "offplatform:outside"):
                    continue  # "a refund through Amazon is not possible for us, send your IBAN": refuses Amazon
                if r.sent == m.sent and not (r.start < m.end and m.start < r.end):
                    # where negation follows the verb (Japanese), a refusal that ends in a negation before ``m`` is
                    # about something else ("お支払いが確認できませんでしたので、…こちらで決済し直します")
                    if r.end <= m.start and self._ends_negated(r):
                        continue
                    # a reported question before a colon, then the seller's own answer ("Vous nous demandez si
                    # ... : pas besoin de repasser par Amazon, faites-nous un virement")
                    if r.end <= m.start and self.in_sentence(r.sent, "lang:reported") and \
                            m.lang in langdata.KNOWN and not langdata.get(m.lang).negation.follows and \
                            self._answer_after(r.end, m.start):
                        continue
                    return r
                # "Thanks for offering to send the video by WhatsApp. Communicating outside Amazon is not
                # possible for us.": the next sentence refuses leaving Amazon
                if r.sent == m.sent + 1 and self.in_sentence(r.sent, "offplatform:outside", "lang:stay_on_amazon"):
                    return r
        info = langdata.get(m.lang if m.lang in langdata.KNOWN else "en")
        for r in self._by_group.get("lang:reported", ()):
            # "Sie schreiben, dass Sie einen Stern geben, wenn wir Ihnen 20 Euro überweisen": the buyer's
            # words, reported; in Japanese the report follows them (「…とのことですが」)
            if r.lang != m.lang:
                continue
            # (or the report holds the match: "Die E-Mail, die Sie erwähnen")
            if r.sent == m.sent and ((r.start >= m.end if info.negation.follows else r.end <= m.start)
                                     or (r.start <= m.start and m.end <= r.end)):
                # "Vous nous demandez si on peut vous vendre une deuxième couette : pas besoin de repasser par
                # Amazon, faites-nous un virement": after a colon or semicolon that opens no quotation, the
                # seller answers
                if not info.negation.follows and self._answer_after(r.end, m.start):
                    continue
                return r
            # 'You asked: "Can I text you on WhatsApp? It is faster."', 「…割引してもらえますか？」とのことですが:
            # the quotation the report opens (or closes) is the buyer's, whatever sentences it holds
            if self._in_reported_quote(m, r, info.negation.follows):
                return r
        # 'You asked, "Do you sell on your own site so I can skip Amazon?"': a bare reporting verb reports only
        # the quotation that opens right after it
        for r in self._by_group.get("lang:report_verb", ()):
            if r.lang == m.lang and self._in_reported_quote(m, r, info.negation.follows):
                return r
        negs = self._by_group.get(NEGATION)
        if not negs:
            return None
        follows = info.negation.follows
        transparent = self.get("lang:transparent", *policy.transparent) if policy.transparent \
            else self._by_group.get("lang:transparent", ())
        for neg in negs:
            if neg.lang != m.lang or (neg.start < m.end and m.start < neg.end):
                continue
            if follows:
                if neg.clause != m.clause:
                    continue
                between = doc_text(self.doc_of(m))[m.end:neg.start]
                reach = policy.reach_after * (2 if "・" in between else 1)
                if not (0 <= neg.start - m.end <= reach):
                    continue
                if self._polite_question_after(neg) or self._conditional_after(neg):
                    continue
                if info.negation.only and any(w in between for w in info.negation.only):
                    continue  # 「うちのネットショップでしか扱っとらん」: sold only there, not "not sold there"
                if info.negation.condition_endings and any(w in between for w in info.negation.condition_endings):
                    continue  # 「自社サイトで注文してくれはったら送料かからしまへん」: the negation is the condition's outcome
            else:
                before = neg.tok_end <= m.tok_start and m.tok_start - neg.tok_end <= policy.lookback
                if not before and not ((info.negation.verb_final_modals or info.negation.inverted_subjects)
                                       and self._closes_verb_final(m, neg, info)) \
                        and not (info.negation.after_pronouns and self._after_pronouns(m, neg, info)):
                    continue
                if before and neg.clause != m.clause and not (policy.lists and self._opens_list(neg, m)):
                    continue
                if policy.conditional and self._after_conditional(neg):
                    continue
            if any(t.lang == neg.lang and t.start < neg.end and neg.start < t.end for t in transparent):
                continue
            return neg
        return None

    def _ends_negated(self, r: Match) -> bool:
        """``r`` ends in one of its language's negation words, in a language that negates after the verb."""
        if r.lang not in langdata.KNOWN or not langdata.get(r.lang).negation.follows:
            return False
        return doc_text(self.doc_of(r))[r.start:r.end].endswith(langdata.get(r.lang).negation.words)

    def _answer_after(self, start: int, end: int) -> bool:
        text = doc_text(self.doc)
        for i in range(start, min(end, len(text))):
            # a colon, a semicolon or a dash between spaces ("Sie fragen nach Rezepten – die gibt's alle bei uns")
            if text[i] in ":;" or (text[i] in "–—" and text[i - 1:i].isspace()):
                rest = text[i + 1:end].lstrip()
                if not rest or rest[0] not in QUOTE_CLOSE:
                    return True
        return False

    def _in_reported_quote(self, m: Match, r: Match, follows: bool) -> bool:
        """``m`` stands inside the quotation that the report ``r`` opens ("you asked: «…»") or, where the
        report follows what it reports (Japanese), closes (「…」とのこと)."""
        text = doc_text(self.doc_of(m))
        if not follows:
            if not 0 <= m.start - r.end <= _QUOTE_REACH:
                return False
            between = text[r.end:m.start]
            lead = between.lstrip(" :,\n")
            if not lead or lead[0] not in QUOTE_CLOSE:
                return False
            return QUOTE_CLOSE[lead[0]] not in lead[1:]   # not closed before m
        if not 0 <= r.start - m.end <= _QUOTE_REACH:
            return False
        between = text[m.end:r.start]
        tail = between.rstrip(" \n")
        if not tail or tail[-1] not in QUOTE_OPEN:
            return False
        return QUOTE_OPEN[tail[-1]] not in tail[:-1]      # not opened after m

    def negated(self, m: Match, policy: NegationPolicy = DEFAULT_POLICY) -> bool:
        return self.negation_of(m, policy) is not None

    def live(self, *groups: str, policy: NegationPolicy = DEFAULT_POLICY) -> list[Match]:
        """Matches of ``groups`` that no negation takes back."""
        return [m for m in self.get(*groups) if not self.negated(m, policy)]

    def _after_pronouns(self, m: Match, neg: Match, info) -> bool:
        """The negation follows ``m`` with only pronouns between: "schicken Sie es nicht an uns"."""
        if neg.clause != m.clause or neg.tok_start < m.tok_end or neg.tok_start - m.tok_end > 3:
            return False
        words = {fold(w) for w in info.negation.after_pronouns}
        return all(fold(t.text) in words for t in self.doc_of(m)[m.tok_end:neg.tok_start])

    def _closes_verb_final(self, m: Match, neg: Match, info) -> bool:
        """A verb-final clause opened by ``m``: "Rabattcodes können wir dir leider nicht geben." — a modal
        verb of the language, or a verb with its subject turned round, stands between m and the negation,
        and the clause ends within two words of the negation."""
        if neg.clause != m.clause or neg.tok_start < m.tok_end or neg.tok_start - m.tok_end > 10:
            return False
        doc = self.doc_of(m)
        modals = {fold(w) for w in info.negation.verb_final_modals}
        between = doc[m.tok_end:neg.tok_start]
        # a verb and its subject turned round right after the thing named: the thing is the clause's topic,
        # however long ("weitere Erinnerungen schicken wir nicht", "Ihre Handynummer oder Zugangsdaten
        # brauchen wir dafür nicht")
        inverted = {fold(w) for w in info.negation.inverted_subjects}
        turned = bool(inverted) and (fold(doc[m.tok_end - 1].text) in inverted or (
            len(between) >= 1 and fold(between[0].text) in inverted and doc[m.tok_end - 1].is_alpha) or (
            len(between) >= 2 and between[0].is_alpha and fold(between[1].text) in inverted))
        # ... or a little later, after the rest of the topic ("Erinnerungen an eine Bewertung senden wir nicht")
        turned_later = bool(inverted) and any(between[i].is_alpha and fold(between[i + 1].text) in inverted
                                              for i in range(min(5, len(between) - 1)))
        # else the negated thing opens the clause ("Über WhatsApp ...", "Rabattcodes ...") and a modal follows
        # it within six words ("Über WhatsApp oder Telefon dürfen wir"); "wir melden Ihr Konto ... und Sie
        # können dann nicht mehr kaufen" negates what follows the modal, not the threat
        if not turned and m.clause < len(self.clause_starts):
            start = self.clause_starts[m.clause]
            lead = [t for t in doc[max(0, m.tok_start - 4):m.tok_start] if t.idx >= start and not t.is_space]
            if len(lead) > 2:
                return False
        if any(t.is_punct for t in between) or not (turned or turned_later or
                                                     any(fold(t.text) in modals for t in between[:6])):
            return False
        after = doc[neg.tok_end:neg.tok_end + 3]
        return len(after) < 3 or any(t.is_punct or t.is_space for t in after)

    def _after_conditional(self, neg: Match) -> bool:
        reach = langdata.get(neg.lang if neg.lang in langdata.KNOWN else "en").negation.conditional_reach
        for c in self._by_group.get("lang:conditional", ()):
            if c.lang == neg.lang and c.clause == neg.clause and 0 <= neg.tok_start - c.tok_end <= reach:
                return True
        return False

    def _opens_list(self, neg: Match, m: Match) -> bool:
        """``m`` ends a comma list the negation governs: "you don't need to call, email or WhatsApp us"."""
        if neg.sent != m.sent or m.tok_start == 0:
            return False
        # "Since the refund does not go through Amazon, we need your IBAN", "To be quicker and not wait for
        # Amazon, send ...": a negation in a clause that a subordinator opens ends at its comma; what
        # follows is the main clause, not a list
        for s in self._by_group.get("lang:subordinator", ()):
            if s.lang == neg.lang and s.clause == neg.clause and s.tok_end <= neg.tok_start and \
                    s.clause < len(self.clause_starts) and \
                    not doc_text(self.doc_of(neg))[self.clause_starts[s.clause]:s.start].strip():
                return False
        doc = self.doc_of(m)
        conj = {fold(c) for c in langdata.words("list_conjunctions", (m.lang,))} if m.lang in langdata.KNOWN \
            else frozenset()
        before = fold(doc[m.tok_start - 1].text)
        if before not in conj and before not in (",", "、", "・"):
            return False
        between = doc[neg.tok_end:m.tok_start]
        if before == "," and not any(fold(t.text) in conj for t in doc[m.tok_end:m.tok_end + 8]):
            return False  # a comma, and no "or"/"and" closing the list after it: not a list the negation opens
        return all(t.text in (",", "、", "・") or t.is_alpha for t in between)

    def _conditional_after(self, neg: Match) -> bool:
        """〜ない場合, 〜ないなら: in a language that negates after the verb, a conditional right after the
        negation makes it a condition ("if you do not delete it"), not a negation of the sentence."""
        return any(c.lang == neg.lang and 0 <= c.start - neg.end <= 2
                   for c in self._by_group.get("lang:conditional", ()))

    def _polite_question_after(self, neg: Match) -> bool:
        for q in self._by_group.get("lang:polite_question", ()):
            if q.lang == neg.lang and q.start == neg.end:
                return True
        return False

    def conditional_before(self, m: Match, reach: int = 3) -> bool:
        """A conditional ("if", "wenn", "si", "se", "もし") within ``reach`` tokens before ``m`` in its clause."""
        return any(c.lang == m.lang and c.clause == m.clause and 0 <= m.tok_start - c.tok_end <= reach
                   for c in self._by_group.get("lang:conditional", ()))


def merge_matches(matches: list[Match]) -> list[Match]:
    """Overlapping matches of one group become one ("your friends" + "friends and family")."""
    by_group: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        by_group[m.group].append(m)
    out = []
    for group, ms in by_group.items():
        ms.sort(key=lambda x: (x.start, -x.end))
        cur = ms[0]
        for m in ms[1:]:
            if m.start < cur.end and m.sent == cur.sent and m.lang == cur.lang:
                if m.end > cur.end:
                    cur = Match(group, cur.start, m.end, cur.tok_start, m.tok_end, cur.sent, cur.clause, cur.lang)
            else:
                out.append(cur)
                cur = m
        out.append(cur)
    out.sort(key=lambda x: (x.start, -x.end))
    return out


@lru_cache(maxsize=64)
def _break_set(langs: tuple) -> frozenset:
    return frozenset(h for lang in langs for h in book(lang)._break_hashes.tolist())


def sentence_char_starts(doc) -> list[int]:
    """Character offsets of the sentence starts of ``doc`` (without making a Span per sentence)."""
    if not len(doc):
        return [0]
    arr = doc.to_array([SENT_START, IDX]).tolist()
    starts = [idx for flag, idx in arr if flag == 1]
    if not starts or starts[0] != arr[0][1]:
        starts.insert(0, arr[0][1])
    return starts


def _clause_char_starts(doc, books: Sequence[TermBook], sent_starts: Optional[list[int]] = None) -> list[int]:
    """Character offsets where a clause starts: sentence starts, after , ; : and at "but", "aber", ...."""
    starts = set(sent_starts if sent_starts is not None else sentence_char_starts(doc))
    if len(doc) and books:
        breaks = _break_set(tuple(b.lang for b in books))
        for norm, punct, idx, length in doc.to_array([NORM, IS_PUNCT, IDX, LENGTH]).tolist():
            if norm in breaks:
                starts.add(idx + length if punct else idx)
    return sorted(starts)


def build_index(doc, lang: str, *, parts: Optional[Sequence[tuple[str, object, object]]] = None) -> TermIndex:
    """Match ``doc`` (written in ``lang``) and any further ``parts`` (lang, Doc of the same text, keep) and index.

    ``keep(start_char)`` says whether a match of that part's language is kept at a position.
    """
    sent_starts = sentence_char_starts(doc)
    parts = list(parts) if parts is not None else [(lang, doc, None)]
    books = [book(langdata.term_language(p_lang)) for p_lang, _, _ in parts]
    clause_starts = _clause_char_starts(doc, books, sent_starts)
    matches: list[Match] = []
    docs = {}
    for (p_lang, p_doc, keep), b in zip(parts, books):
        docs[b.lang] = p_doc
        found = b.match(p_doc)
        if not found:
            continue
        offsets = p_doc.to_array([IDX, LENGTH]).tolist()
        for group, start, end in found:
            c_start = offsets[start][0]
            if keep is not None and not keep(c_start):
                continue
            last_idx, last_len = offsets[end - 1]
            matches.append(Match(group, c_start, last_idx + last_len, start, end,
                                 max(0, bisect.bisect_right(sent_starts, c_start) - 1),
                                 max(0, bisect.bisect_right(clause_starts, c_start) - 1), b.lang))
    if matches:
        matches.extend(_combined(matches))
    return TermIndex(merge_matches(matches) if matches else [], len(sent_starts), doc, docs, clause_starts)


def _combined(matches: list[Match]) -> list[Match]:
    """Matches of the combined groups (``combined_groups`` of wordlists/_lang/any.yml): where the two
    groups of a pair meet in one clause of one language, the combined group spans both
    ("your write-up ... is up on the product page" is a review act: a telling word and a public place)."""
    spec = langdata.common().combined_groups
    if not spec:
        return []
    by_group: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        by_group[m.group].append(m)
    out = []
    for target, pairs in spec.items():
        for a_group, b_group in pairs:
            bs = by_group.get(b_group)
            if not bs:
                continue
            for a in by_group.get(a_group, ()):
                for b in bs:
                    if a.clause == b.clause and a.lang == b.lang and (b.start >= a.end or a.start >= b.end):
                        first, last = (a, b) if a.start < b.start else (b, a)
                        out.append(Match(target, first.start, last.end, first.tok_start, last.tok_end, first.sent,
                                         first.clause, first.lang))
    return out


def index_with(b: TermBook, doc, lang: str) -> TermIndex:
    """Match ``doc`` with any term book (``suggest``'s cues) and index it like a check's terms."""
    sent_starts = sentence_char_starts(doc)
    clause_starts = _clause_char_starts(doc, [b], sent_starts)
    offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
    matches = []
    for group, start, end in b.match(doc):
        c_start = offsets[start][0]
        last_idx, last_len = offsets[end - 1]
        matches.append(Match(group, c_start, last_idx + last_len, start, end,
                             max(0, bisect.bisect_right(sent_starts, c_start) - 1),
                             max(0, bisect.bisect_right(clause_starts, c_start) - 1), lang))
    return TermIndex(matches, len(sent_starts), doc, {lang: doc}, clause_starts)


def ctx_terms(ctx) -> TermIndex:
    """The (cached) term index of a check: every language the text is written in, matched once."""
    idx = ctx.cache.get("terms")
    if idx is None:
        idx = ctx.cache["terms"] = build_index(ctx.doc, ctx.lang, parts=ctx.term_parts())
    return idx


def index(doc, lang: str) -> TermIndex:
    """Match one Doc written in ``lang`` (no language detection): for callers outside a check."""
    return build_index(doc, lang)


def term_lang(ctx_lang: str) -> str:
    return langdata.term_language(ctx_lang)


__all__ = ["Match", "TermIndex", "TermBook", "NegationPolicy", "book", "build_index", "ctx_terms", "index",
           "compile_groups", "run", "merge_matches", "index_with", "lang_groups", "family_data", "family_words", "FAMILIES", "LANGS"]

