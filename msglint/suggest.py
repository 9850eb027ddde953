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

import bisect
import itertools
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex
import yaml
from spacy.matcher import Matcher, PhraseMatcher

from msglint import terms
from msglint.pipeline import get_nlp
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


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ident.set_languages([lang for lang in LANGS if lang != "ja"])
    return ident


def detect_language(text: str) -> str:
    """One of en/de/fr/es/it/ja: any kana (or a text written mostly in kanji) is Japanese,
    anything else is classified by py3langid restricted to the five European languages."""
    if _KANA.search(text):
        return "ja"
    letters = len(_LETTER.findall(text))
    if letters and len(_HAN.findall(text)) * 2 >= letters:
        return "ja"
    if not letters:
        return "en"
    lang, _prob = _identifier().classify(text)
    return lang if lang in LANGS else "en"


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
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), dict):
        raise ValueError(f"{path}: expected a mapping with 'signals' and 'scenarios'")
    return data


def scenario_ids() -> list[str]:
    """Scenario ids of the catalogue, in catalogue order."""
    cat = yaml.safe_load((templates_dir() / "catalogue.yaml").read_text("utf-8"))
    return [s["id"] for s in cat["scenarios"]]


def _parse_atom(expr: str) -> _Atom:
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
    return _Atom("lower:" + expr.lower(), polarity)


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


def _fold(text: str, lang: str) -> str:
    """Lower case and, outside Japanese, without accents: buyers often type "devolucion",
    "perche", "a ete" on a phone. (Japanese keeps its voicing marks: が is not か.)"""
    text = text.lower()
    if lang == "ja":
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _set_norms(doc, lang: str) -> None:
    for tok in doc:
        tok.norm_ = _fold(tok.text, lang)


def _fix_lemmas(doc, table) -> None:
    """The lookup lemmatizer is case-sensitive: "Refunded" at a sentence start gets no lemma.
    Fall back to the lemma of the lower-case form when the token's own form has none."""
    if table is None:
        return
    for tok in doc:
        if tok.lemma_ == tok.text and tok.text != tok.lower_:
            lem = table.get(tok.lower_)
            if isinstance(lem, (list, tuple)):
                lem = lem[0] if lem else None
            if isinstance(lem, str) and lem:
                tok.lemma_ = lem


@dataclass
class _Matchers:
    nlp: object
    plain: PhraseMatcher
    lemma: Optional[PhraseMatcher]
    wild: Matcher
    table: object


def _lookup_table(nlp):
    if "lemmatizer" not in nlp.pipe_names:
        return None
    try:
        return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except Exception:  # pragma: no cover - no lookup table: lemmas stay as spaCy gives them
        return None


def _wild_pattern(nlp, phrase: str, lang: str) -> list[dict]:
    pattern = []
    for piece in phrase.split():
        if piece == "*":
            pattern.append({})
        elif "*" in piece:
            rx = "^" + ".*".join(regex.escape(_fold(p, lang)) for p in piece.split("*")) + "$"
            pattern.append({"NORM": {"REGEX": rx}})
        else:
            pattern.extend({"NORM": _fold(t.text, lang)} for t in nlp.tokenizer(piece))
    return pattern


@lru_cache(maxsize=None)
def _matchers(lang: str) -> _Matchers:
    nlp = get_nlp(lang)
    table = _lookup_table(nlp)
    plain = PhraseMatcher(nlp.vocab, attr="NORM")
    lemma = PhraseMatcher(nlp.vocab, attr="LEMMA") if table is not None else None
    wild = Matcher(nlp.vocab)
    keys = {atom.key for sc in _scenarios(lang) for cue in sc.cues for p in cue.parts for atom in p}
    for key in sorted(keys):
        kind, _, phrase = key.partition(":")
        if kind == "lemma" and lemma is not None:
            pdoc = nlp(phrase)
            _fix_lemmas(pdoc, table)
            lemma.add(key, [pdoc])
        elif kind == "wild" and lang != "ja":
            wild.add(key, [_wild_pattern(nlp, phrase, lang)])
        else:
            pdoc = nlp.tokenizer(phrase.replace("*", ""))
            _set_norms(pdoc, lang)
            plain.add(key, [pdoc])
    return _Matchers(nlp, plain, lemma, wild, table)


# --------------------------------------------------------------------------- scoring

# Informal spellings the shared negation list does not hold: "doesnt" -> "does" + "nt".
_EXTRA_NEGATION = {"en": {"nt"}}
_NEG_LOOKBACK = 8       # tokens between a negation and what it negates (as msglint.terms)
_NEG_LOOKAHEAD_JA = 12  # Japanese negates after the verb: 届いていません


@dataclass(frozen=True)
class _Span:
    start: int          # token offsets
    end: int
    sent: int
    text: str           # shown in the reason (with its negation: "never received")


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


def _negations(doc, lang: str, clause_of) -> list[tuple[int, int, int]]:
    """(token start, token end, clause) of every negation word, from wordlists/negation."""
    out = [(n.tok_start, n.tok_end, n.clause) for n in terms.index(doc, lang).get("negation:negation")]
    extra = _EXTRA_NEGATION.get(lang, ())
    out.extend((t.i, t.i + 1, clause_of(t.i)) for t in doc if t.lower_ in extra)
    return out


def _negated_by(start: int, end: int, clause: int, negs, lang: str) -> Optional[int]:
    """Start token of the negation that negates tokens [start, end), or None."""
    found = None
    for n_start, n_end, n_clause in negs:
        if n_clause != clause:
            continue
        if n_end <= start and start - n_end <= _NEG_LOOKBACK:
            if found is None or n_start > found:
                found = n_start
        elif lang == "ja" and 0 <= n_start - end <= _NEG_LOOKAHEAD_JA and found is None:
            found = end
    return found


def _atom_spans(doc, lang: str, m: _Matchers) -> dict:
    """{atom key: [(span, negated)]} for every cue expression found in ``doc``."""
    raw = list(m.plain(doc))
    if m.lemma is not None:
        raw.extend(m.lemma(doc))
    if len(m.wild):
        raw.extend(m.wild(doc))
    sent_starts = [s.start for s in doc.sents]
    clause_starts = terms._clause_starts(doc, sent_starts)

    def clause_of(i: int) -> int:
        return bisect.bisect_right(clause_starts, i) - 1

    negs = _negations(doc, lang, clause_of)
    strings = doc.vocab.strings
    found: dict[str, list] = {}
    for key_id, start, end in raw:
        key = strings[key_id]
        sent = bisect.bisect_right(sent_starts, start) - 1
        neg = _negated_by(start, end, clause_of(start), negs, lang)
        shown = doc[neg:end] if neg is not None and neg < start else doc[start:end]
        item = (_Span(start, end, sent, shown.text), neg is not None)
        lst = found.setdefault(key, [])
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
    ranking = _identifier().rank(text)
    if ranking and ranking[0][1] >= LOW_CONFIDENCE:
        return [lang]
    return [lang] + [code for code, _p in ranking if code != lang and code in LANGS][:2]


def _rank(text: str, lang: str) -> list[Suggestion]:
    """Every matching scenario for ``text`` read as ``lang``, best first."""
    m = _matchers(lang)
    doc = m.nlp(_prepare(text))
    _fix_lemmas(doc, m.table)
    _set_norms(doc, lang)
    found = _atom_spans(doc, lang, m)
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
