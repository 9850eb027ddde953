"""Suggest which reply scenarios answer a buyer's incoming message.

``suggest(text)`` ranks the scenarios of ``templates/catalogue.yaml`` by how well the cue
phrases of ``templates/suggest_cues.yaml`` match the buyer's message and returns the best
``top`` ones, each with a one-line reason naming the strongest cue it found::

    >>> [s.scenario_id for s in suggest("My lamp arrived broken, the glass is cracked.")][:1]
    ['damaged-photo-request']

How matching works (the cue file explains the notation to whoever extends it):

* the message is NFKC-normalised and run through the project's spaCy pipeline for its
  language (``msglint.pipeline.get_nlp``); the language is detected when not given;
* a plain cue phrase is matched on lower-case tokens with accents folded (``PhraseMatcher``
  on ``NORM``, which suggest sets to the lower-case, accent-free form, so "devolucion"
  matches "devolución"), ``lemma:word`` on the lookup lemma (attr ``LEMMA``), and a phrase
  with ``*`` in a word ("*erstattung") as a token pattern, so German compounds need not all
  be listed; Japanese is tokenized one character per token, so its cues match as substrings
  (and keep their voicing marks);
* ``neg:`` in front of a cue keeps only matches with a negation word (the project's
  ``wordlists/negation``) before it in the same clause (after it, for Japanese), ``pos:``
  only matches without one: "neg:lemma:arrive" is "hasn't arrived", "never arrived" ...;
* ``@name`` stands for a shared signal list (for instance ``@refund``) and ``A + B`` is a
  combination: it matches when all parts occur within one sentence of each other;
* per scenario, the matched cues' weights are combined with diminishing returns (the
  strongest counts fully, the next ``DECAY`` times, and so on; one cue counts once and
  overlapping phrases count once), minus its matched penalties (negative weights: a message
  about a return that reached the seller is no "delivered but not received"), plus the
  scenario's small ``prior`` for tie-breaks; a scenario whose total is not positive is dropped.

No statistical model is involved: what the tool knows is exactly what the cue file says.
"""
from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex
import yaml

# the C loader when PyYAML has it (the suggest cue file and the catalogue are large)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_load(text):
    return yaml.load(text, Loader=_Loader)

from msglint import languages, pipeline, terms
from msglint.resources import templates_dir

__all__ = ["Suggestion", "suggest", "detect_language", "LANGS", "scenario_ids"]

LANGS = ("en", "de", "fr", "es", "it", "ja")
CUES_FILE = "suggest_cues.yaml"
DECAY = 0.75            # weight of the 2nd strongest cue of a scenario, DECAY**2 the 3rd ...
COMBO_WINDOW = 1        # parts of "A + B" may lie this many sentences apart
FALLBACK = "product-question-answer"

_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]")
_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


@dataclass(frozen=True)
class Suggestion:
    scenario_id: str
    score: float
    reason: str          # one line: what the message says and the words that show it


# --------------------------------------------------------------------------- language


def detect_language(text: str) -> str:
    """One of en/de/fr/es/it/ja (``msglint.languages``): kana, or a text written mostly in kanji, is
    Japanese; other text is told by its function words, else by py3langid."""
    if _KANA.search(text):
        return "ja"
    letters = len(_LETTER.findall(text))
    if letters and len(_HAN.findall(text)) * 2 >= letters:
        return "ja"
    if not letters:
        return "en"
    return languages.detect_one(text, LANGS)


# --------------------------------------------------------------------------- cue file


@dataclass(frozen=True)
class _Atom:
    """One matchable expression with a polarity: +1 only unnegated, -1 only negated, 0 any."""
    key: str            # matcher key, e.g. "lower:arrived broken", "lemma:receive", "wild:*erstattung"
    polarity: int


@dataclass(frozen=True)
class _Cue:
    text: str                           # as written in the cue file
    weight: float
    parts: tuple[tuple[_Atom, ...], ...]  # one part: a plain cue; several: "A + B"


@dataclass(frozen=True)
class _Scenario:
    id: str
    reason: str
    prior: float
    cues: dict                           # lang -> tuple[_Cue, ...]


def _cue_path():
    return templates_dir() / CUES_FILE


@lru_cache(maxsize=1)
def load_cue_file() -> dict:
    """The raw cue file (a mapping with ``signals`` and ``scenarios``)."""
    path = _cue_path()
    data = _yaml_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), dict):
        raise ValueError(f"{path}: expected a mapping with 'signals' and 'scenarios'")
    return data


def scenario_ids() -> list[str]:
    """Scenario ids of the catalogue, in catalogue order."""
    cat = _yaml_load((templates_dir() / "catalogue.yaml").read_text("utf-8"))
    return [s["id"] for s in cat["scenarios"]]


def _parse_atom(expr: str) -> _Atom:
    """A cue in the engine's phrase notation (``msglint.terms``): the cue file's "*" is ``wild:``."""
    expr = str(expr).strip()
    polarity = 0
    if expr.startswith("neg:"):
        polarity, expr = -1, expr[4:]
    elif expr.startswith("pos:"):
        polarity, expr = 1, expr[4:]
    if expr.startswith("lemma:"):
        return _Atom("lemma:" + expr[6:].strip(), polarity)
    if "*" in expr:
        return _Atom("wild:" + expr.lower(), polarity)
    return _Atom(expr.lower(), polarity)


def _weighted(block, where: str):
    """Yield (weight, phrase) from ``{weight: [phrases]}``."""
    if block is None:
        return
    if not isinstance(block, dict):
        raise ValueError(f"{where}: expected a mapping of weight -> list of cue phrases")
    for weight, phrases in block.items():
        try:
            w = float(weight)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: weight {weight!r} is not a number") from None
        if isinstance(phrases, str):
            phrases = [phrases]
        for phrase in phrases or ():
            yield w, str(phrase)


@lru_cache(maxsize=None)
def _scenarios(lang: str) -> tuple[_Scenario, ...]:
    data = load_cue_file()
    signals = data.get("signals") or {}

    def part(expr: str, where: str, default: str = "") -> tuple[_Atom, ...]:
        expr = expr.strip()
        prefix = ""
        if default and not expr.startswith(("neg:", "pos:")):
            expr = default + expr
        for p in ("neg:", "pos:"):
            if expr.startswith(p + "@"):
                prefix, expr = p, expr[len(p):]
        if expr.startswith("@"):
            name = expr[1:]
            if name not in signals:
                raise ValueError(f"{where}: unknown signal @{name}")
            phrases = (signals[name] or {}).get(lang) or ()
            atoms = []
            for ph in phrases:
                ph = str(ph)
                if prefix and not ph.startswith(("neg:", "pos:")):
                    ph = prefix + ph
                atoms.append(_parse_atom(ph))
            return tuple(atoms)
        return (_parse_atom(prefix + expr),)

    out = []
    for sid, spec in data["scenarios"].items():
        spec = spec or {}
        cues_spec = spec.get("cues") or {}
        cues = []
        default = "pos:" if spec.get("only_unnegated") else ""
        for block_lang in ("all", lang):
            where = f"{CUES_FILE}: {sid}.cues.{block_lang}"
            for w, phrase in _weighted(cues_spec.get(block_lang), where):
                parts = tuple(part(p, where, default) for p in phrase.split(" + "))
                if any(not p for p in parts):
                    continue        # a signal with no phrases in this language
                cues.append(_Cue(phrase, w, parts))
        out.append(_Scenario(sid, str(spec.get("reason") or sid), float(spec.get("prior") or 0.0), tuple(cues)))
    return tuple(out)


# --------------------------------------------------------------------------- matchers


@lru_cache(maxsize=None)
def _book(lang: str) -> terms.TermBook:
    """Every cue of ``lang`` compiled by the term engine, with the language file's negation words."""
    keys = {atom.key for sc in _scenarios(lang) for cue in sc.cues for p in cue.parts for atom in p}
    if lang == "ja":
        keys = {k for k in keys if not k.startswith("wild:")}   # no word wildcards in character text
    groups = {key: [key] for key in sorted(keys)}
    groups.update(terms.lang_groups(lang))
    from msglint import lang as langdata

    return terms.TermBook(lang, groups, {"lang": list(langdata.get(lang).negation.exceptions)})


# --------------------------------------------------------------------------- scoring

@dataclass(frozen=True)
class _Span:
    start: int          # token offsets
    end: int
    sent: int
    text: str           # shown in the reason (with its negation: "never received")


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


def _atom_spans(doc, lang: str) -> dict:
    """{atom key: [(span, negated)]} for every cue expression found in ``doc``.

    Negation is the engine's one policy (``TermIndex.negation_of``); the reason quotes the
    negation with the cue ("never received").
    """
    idx = terms.index_with(_book(lang), doc, lang)
    found: dict[str, list] = {}
    for m in idx.matches:
        if m.group.startswith("lang:"):
            continue
        neg = idx.negation_of(m)
        start = neg.tok_start if neg is not None and neg.tok_start < m.tok_start else m.tok_start
        item = (_Span(m.tok_start, m.tok_end, m.sent, doc[start:m.tok_end].text), neg is not None)
        lst = found.setdefault(m.group, [])
        if item not in lst:
            lst.append(item)
    return found


def _part_spans(part: tuple[_Atom, ...], found: dict) -> list[_Span]:
    spans = []
    for atom in part:
        for span, negated in found.get(atom.key, ()):
            if atom.polarity == 1 and negated:
                continue
            if atom.polarity == -1 and not negated:
                continue
            spans.append(span)
    # longest first, then earliest
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    return spans


def _overlaps(a: _Span, b: _Span) -> bool:
    return a.start < b.end and b.start < a.end


def _combo(parts_spans: list[list[_Span]]) -> Optional[tuple[_Span, ...]]:
    """The first choice of one span per part, pairwise disjoint, within COMBO_WINDOW sentences."""
    for choice in itertools.product(*parts_spans):
        sents = [s.sent for s in choice]
        if max(sents) - min(sents) > COMBO_WINDOW:
            continue
        if any(_overlaps(a, b) for a, b in itertools.combinations(choice, 2)):
            continue
        return choice
    return None


def _quote(spans: tuple[_Span, ...]) -> str:
    ordered = sorted(spans, key=lambda s: s.start)
    return " … ".join(f"'{s.text}'" for s in ordered)


def _score_scenario(sc: _Scenario, found: dict) -> Optional[tuple[float, str]]:
    """(score, reason) of one scenario, or None when no positive cue matched or the
    penalties (negative weights) cancel the evidence."""
    positive: list[tuple[float, _Cue, tuple[_Span, ...]]] = []
    penalty = 0.0
    singles = []
    for cue in sc.cues:
        spans_per_part = [_part_spans(p, found) for p in cue.parts]
        if any(not s for s in spans_per_part):
            continue
        if cue.weight < 0:
            if len(cue.parts) == 1 or _combo(spans_per_part) is not None:
                penalty += cue.weight
            continue
        if len(cue.parts) == 1:
            singles.append((cue, spans_per_part[0]))
        else:
            choice = _combo(spans_per_part)
            if choice is not None:
                positive.append((cue.weight, cue, choice))
    # single cues: strongest (then longest) first; a cue whose every span overlaps one
    # already counted for this scenario adds nothing ("arrived broken" and "broken").
    singles.sort(key=lambda cs: (-cs[0].weight, -(cs[1][0].end - cs[1][0].start)))
    taken: list[_Span] = []
    for cue, spans in singles:
        free = next((s for s in spans if not any(_overlaps(s, t) for t in taken)), None)
        if free is None:
            continue
        taken.append(free)
        positive.append((cue.weight, cue, (free,)))
    if not positive:
        return None
    positive.sort(key=lambda h: (-h[0], -sum(s.end - s.start for s in h[2])))
    score = sum(w * DECAY ** i for i, (w, _c, _s) in enumerate(positive)) + penalty
    if score <= 0:
        return None
    best = positive[0]
    return score + sc.prior, f"{sc.reason} ({_quote(best[2])})"


def suggest(text: str, lang: str | None = None, top: int = 3) -> list[Suggestion]:
    """The ``top`` reply scenarios that best answer the buyer's ``text``, best first.

    ``lang`` is one of en/de/fr/es/it/ja, or None to detect it (``detect_language``; when
    py3langid is unsure, as for "Refund?", the two runner-up languages are tried too and the
    reading with the strongest cue wins). Raises ValueError for an
    empty (or whitespace-only) text, an unknown language or ``top < 1``. When no cue
    matches, the only suggestion is a low-scored ``product-question-answer``.
    """
    if text is None or not str(text).strip():
        raise ValueError("the incoming message is empty")
    if top < 1:
        raise ValueError("top must be at least 1")
    if lang is None:
        candidates = _candidate_languages(text)
        ranked = [_rank(text, c) for c in candidates]
        # strongest cue evidence wins; on a tie the detected language (listed first) stays
        best = max(range(len(ranked)), key=lambda i: (ranked[i][0].score if ranked[i] else -1.0, -i))
        return ranked[best][:top]
    lang = lang.lower()
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")
    return _rank(text, lang)[:top]


LOW_CONFIDENCE = 0.6    # below this py3langid probability, also try the next two languages


def _candidate_languages(text: str) -> list[str]:
    """The detected language first; for a short, ambiguous text ("Refund?") the runners-up too."""
    lang = detect_language(text)
    if lang == "ja" or not _LETTER.search(text):
        return [lang]
    ranking = languages.ranking(text)
    if ranking and ranking[0][1] >= LOW_CONFIDENCE:
        return [lang]
    return [lang] + [code for code, _p in ranking if code != lang and code in LANGS][:2]


def _rank(text: str, lang: str) -> list[Suggestion]:
    """Every matching scenario for ``text`` read as ``lang``, best first."""
    # the pipelines are shared with checks, which free their words in memory zones: one at a time
    with pipeline.exclusive():
        doc = _book(lang).nlp(_prepare(text))
        found = _atom_spans(doc, lang)
    order = {sc.id: i for i, sc in enumerate(_scenarios(lang))}
    scored = []
    for sc in _scenarios(lang):
        result = _score_scenario(sc, found)
        if result is not None:
            scored.append(Suggestion(sc.id, round(result[0], 3), result[1]))
    if not scored:
        return [Suggestion(FALLBACK, 0.0, "no specific cue matched; treat it as a question about the item")]
    scored.sort(key=lambda s: (-s.score, order[s.scenario_id]))
    return scored
