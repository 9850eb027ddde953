"""Plan-of-Action appeals (kind ``appeal``): structure and format (AS), specificity (AV) and tone (AT).

A Plan of Action has three parts: the root cause, the corrective actions already taken and the
preventive measures (POLICY section A, "Account health and appeals"). Sellers write them under
headings worded in many ways ("Root cause:", "1. Why it happened", "WHAT WE HAVE DONE") or as
unheaded paragraphs, so a section is found by meaning: the cue phrases of ``wordlists/appeal/en.yml``
(``root_cause``, ``corrective``, ``preventive``), matched by the term engine like every other list.

A line that is short (at most eight words), holds a section cue and ends in a colon or without a
full stop (or at most five words with one: "2) What we have done.") is a heading; so is a label of no
words of its own before a colon, a full stop or a dash at a line's start ("Root cause. Between 3 and 21
March ..."). A heading that joins two sections ("Actions and prevention") heads both. Its section's body
runs to the next heading; an inline heading's body ends with its paragraph (and a list right after it). A cue in running text makes
its sentence part of that section. A section has substance when its body (or a cue sentence) has
words of its own besides apologies, vague promises, claims no seller can keep, generic filler
("all necessary actions", "fixed the problem", "addressed it internally") and words that only name a section ("root cause", "measures", "future").
The tone and most specificity rules are data (``wordlists/_rules/appeal.yml``); this module holds
what needs the sections or counting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint.terms import Match, TermIndex, ctx_terms, family_words

APPEAL = frozenset({"appeal"})
_F = "appeal:"
SECTIONS = ("root_cause", "corrective", "preventive")
SECTION_NAMES = {"root_cause": "root cause", "corrective": "corrective actions", "preventive": "preventive measures"}
_EMPTY_GROUPS = (_F + "apology", _F + "vague_promise", _F + "generic", _F + "impossible", _F + "impossible_ever",
                 _F + "unknown_cause")
# a sentence that puts the measure on someone else ("We recommend that Amazon improves ...") is empty as a whole
_OTHERS_MEASURE = _F + "others_measure"
# list markers a line may start with: "-", "*", "•", "1.", "2)", "a)", "(3)", "Step 1:"
_MARKER = lazy(re.compile, r"^[ \t]*(?:[-*•·–—▪►✓✔]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|#{1,4}|step\s+\d+\s*[:.)-]?)[ \t]+",
                     re.IGNORECASE)
_HEADING_WORDS = 8       # a heading line holds at most this many words
_STOP_HEADING_WORDS = 5  # a heading line ending in a full stop ("2) What we have done.") holds at most this many
_INLINE_HEAD_WORDS = 6   # "Root cause: ..." on one line: the part before the colon
_BODY_WORDS = 3          # content words a headed section's body needs
_DONE_BODY_WORDS = 1     # ... a corrective body that reports a done action of its own ("we have asked them again")
_SENTENCE_WORDS = 2      # content words a cue sentence needs when the section has no heading
_PARAGRAPH_WORDS = 150   # a paragraph or list item longer than this is a wall of text
_APPEAL_WORDS = 800      # an appeal longer than this is too long to be read closely


@dataclass
class Heading:
    section: str
    start: int          # the heading's text (normalised coordinates), without list marker or colon
    end: int
    body_start: int
    limit: int = -1     # an inline heading's body ends with its paragraph (or the list after it)
    body_end: int = -1


@dataclass
class Section:
    name: str
    headings: list = field(default_factory=list)
    cues: list = field(default_factory=list)      # live cue matches outside headings


@dataclass
class Analysis:
    sections: dict
    headings: list


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _first_cue(idx: TermIndex, start: int, end: int) -> Optional[str]:
    """The section named first in a heading line: its cues, or words that are cues only in a heading."""
    groups = [_F + s for s in SECTIONS] + [_F + s + "_heading" for s in SECTIONS]
    cues = [m for m in idx.get(*groups) if start <= m.start and m.end <= end]
    if not cues:
        return None
    first = min(cues, key=lambda m: (m.start, -m.end))
    return first.group.split(":", 1)[1].removesuffix("_heading")


_JOINER = lazy(re.compile, r"\s+(?:and|&)\s+|\s*[/&+]\s*|,\s*", re.IGNORECASE)


def _heading_sections(ctx: Context, idx: TermIndex, start: int, end: int) -> list[str]:
    """The sections a heading names: one, or one per part joined by "and", "&", "/" or a comma
    ("Actions and prevention", "Corrective / preventive actions")."""
    text = ctx.text
    out: list[str] = []
    pos = start
    for cut in list(_JOINER.finditer(text, start, end)) + [None]:
        a, b = (pos, cut.start()) if cut else (pos, end)
        section = _first_cue(idx, a, b)
        if section is not None and section not in out:
            out.append(section)
        if cut:
            pos = cut.end()
    if not out:
        section = _first_cue(idx, start, end)
        if section is not None:
            out.append(section)
    return out


def _label_only(ctx: Context, start: int, end: int) -> bool:
    """``[start, end)`` is only a section label: no word of its own ("Root cause", "What we have done")."""
    return _words(ctx.text[start:end]) <= _INLINE_HEAD_WORDS and content_words(ctx, start, end, label=True) == 0


def _paragraph_end(text: str, b: int) -> int:
    """Where the paragraph that holds the line ending at ``b`` ends: at a blank line, unless a list follows it."""
    end = b
    lines = list(_lines(text[b + 1:])) if b < len(text) else []
    blank = False
    for x, y in lines:
        x, y = x + b + 1, y + b + 1
        line = text[x:y]
        if not line.strip():
            blank = True
            continue
        if blank and not _MARKER.match(line):
            break
        blank = False
        end = y
    return end


def _headings(ctx: Context, idx: TermIndex) -> list[Heading]:
    text = ctx.text
    out: list[Heading] = []
    for a, b in _lines(text):
        line = text[a:b]
        marker = _MARKER.match(line)
        s = a + (marker.end() if marker else len(line) - len(line.lstrip()))
        content = text[s:b].rstrip()
        if not content:
            continue
        e = s + len(content)
        colon = content.find(":")
        if colon > 0 and _words(content[:colon]) <= _INLINE_HEAD_WORDS and colon < len(content) - 1:
            for section in _heading_sections(ctx, idx, s, s + colon):
                out.append(Heading(section, s, s + colon, s + colon + 1, _paragraph_end(text, b)))
            continue
        # "Root cause. Between 3 and 21 March ..." or "Root cause - our supplier ...": a label, then the body
        stop = re.match(r"([^.\n]*?)(?:\.\s+|\s+[-–—]\s+)(?=\S)", content)
        if stop and stop.group(1).strip() and _label_only(ctx, s, s + len(stop.group(1))):
            sections = _heading_sections(ctx, idx, s, s + len(stop.group(1)))
            for section in sections:
                out.append(Heading(section, s, s + len(stop.group(1)), s + stop.end(), _paragraph_end(text, b)))
            if sections:
                continue
        if _words(content) > _HEADING_WORDS or content[-1] in "!?;,":
            continue
        if content[-1] == "." and _words(content) > _STOP_HEADING_WORDS:
            continue
        for section in _heading_sections(ctx, idx, s, e):
            end = e - 1 if content.endswith((":", ".")) else e
            out.append(Heading(section, s, end, b))
    for i, h in enumerate(out):
        nxt = [o.start for o in out[i + 1:] if o.start > h.start]
        h.body_end = nxt[0] if nxt else len(text)
        if h.limit >= 0:
            h.body_end = min(h.body_end, h.limit)
        if h.body_start > h.body_end:
            h.body_start = h.body_end
    return out


def analyse(ctx: Context) -> Analysis:
    """The appeal's sections (cached per check)."""
    an = ctx.cache.get("appeal")
    if an is not None:
        return an
    idx = ctx_terms(ctx)
    heads = _headings(ctx, idx)
    sections = {name: Section(name) for name in SECTIONS}
    for h in heads:
        sections[h.section].headings.append(h)
    for name in SECTIONS:
        for m in idx.get(_F + name):
            if any(h.start <= m.start < h.end for h in heads) or idx.negated(m):
                continue
            sections[name].cues.append(m)
    an = ctx.cache["appeal"] = Analysis(sections, heads)
    return an


def content_words(ctx: Context, start: int, end: int, label: bool = False) -> int:
    """Words of their own in ``[start, end)``: not a stop word, not a section word, not inside an
    apology, a vague promise, an impossible claim, a cause not found or generic filler, and not in a
    sentence that puts the measure on someone else. ``label``: also not a section cue (a heading's words)."""
    idx = ctx_terms(ctx)
    groups = _EMPTY_GROUPS + ((tuple(_F + s for s in SECTIONS) + tuple(_F + s + "_heading" for s in SECTIONS))
                              if label else ())
    empty = [(m.start, m.end) for m in idx.get(*groups) if m.start < end and start < m.end]
    empty += [ctx.sentence_span(m.start) for m in idx.get(_OTHERS_MEASURE) if m.start < end and start < m.end]
    own = family_words("appeal", "en", "section_words")
    n = 0
    for tok in ctx.doc:
        if tok.idx < start or tok.idx >= end:
            continue
        if not (tok.is_alpha or tok.like_num) or tok.is_stop or len(tok.text) < 2:
            continue
        if tok.lower_ in own or any(a <= tok.idx < b for a, b in empty):
            continue
        n += 1
    return n


def _sentence_of(ctx: Context, m: Match) -> tuple[int, int]:
    return ctx.sentence_span(m.start)


def _done_action(ctx: Context, start: int, end: int) -> bool:
    """A corrective cue that reports a done action of its own in ``[start, end)`` ("we have asked")."""
    idx = ctx_terms(ctx)
    empty = idx.get(*_EMPTY_GROUPS)
    return any(start <= m.start < end and not idx.negated(m) and not any(m.start < o.end and o.start < m.end
                                                                       for o in empty)
               for m in idx.get(_F + "corrective"))


def _vague_action(ctx: Context, start: int, end: int) -> bool:
    """An action named, though vaguely, in ``[start, end)`` ("we hire more staff"), not part of filler or a promise."""
    idx = ctx_terms(ctx)
    empty = idx.get(*_EMPTY_GROUPS)
    return any(start <= m.start < end and not idx.negated(m) and not any(m.start < o.end and o.start < m.end
                                                                       for o in empty)
               for m in idx.get(_F + "vague_action"))


def substantive(ctx: Context, sec: Section) -> bool:
    for h in sec.headings:
        n = content_words(ctx, h.body_start, h.body_end)
        if n >= _BODY_WORDS:
            return True
        if sec.name == "corrective" and n >= _DONE_BODY_WORDS and _done_action(ctx, h.body_start, h.body_end):
            return True
        if _vague_action(ctx, h.body_start, h.body_end):
            return True  # an action is named, only vaguely: AV001 reports it
    for m in sec.cues:
        # a cue inside the body of its own section's heading was judged with that body
        if any(h.body_start <= m.start < h.body_end for h in sec.headings):
            continue
        if content_words(ctx, *_sentence_of(ctx, m)) >= _SENTENCE_WORDS:
            return True
    return False


def _opening(ctx: Context) -> tuple[int, int]:
    """Where a finding about the whole appeal points: its first non-empty line."""
    text = ctx.text
    for a, b in _lines(text):
        line = text[a:b]
        if line.strip():
            return a + len(line) - len(line.lstrip()), a + len(line.rstrip())
    return 0, len(text)


# --------------------------------------------------------------------------- appeal.structure


def _missing(name: str):
    def detect(ctx: Context) -> Iterator[Hit]:
        if not ctx.text.strip():
            return
        sec = analyse(ctx).sections[name]
        if not sec.headings and not sec.cues:
            yield Hit(*_opening(ctx), params={"section": SECTION_NAMES[name]})
    return detect


def missing_root_cause(ctx: Context) -> Iterator[Hit]:
    """A Plan of Action that never says what caused the problem.

    What it flags: an appeal with no root-cause section: no heading such as "Root cause",
    "Why it happened", "What went wrong", and no sentence that explains a cause ("was caused by",
    "happened because", "we found that", "due to", "our investigation showed", "we did not check").
    The finding points at the appeal's first line.
    Why: Seller Performance asks for the root cause first; an appeal that only apologises or only
    lists actions does not show that the seller understands what went wrong, and is rejected
    (POLICY section A, "Account health and appeals").
    Examples: flagged "We apologise. We have refunded all buyers and will ship faster."; fine
    "Root cause: our carrier cut-off was 3 pm but orders were picked at 4 pm, so 38 orders
    missed the daily collection."
    Known false positives: a root cause told without any cue phrase ("Two bins held the wrong SKU.")
    Fix: add a root-cause section: what exactly went wrong, in which orders or listings, and why.
    """
    return _missing("root_cause")(ctx)


def missing_corrective_actions(ctx: Context) -> Iterator[Hit]:
    """A Plan of Action that never says what has already been done to fix the problem.

    What it flags: no corrective-actions section: no heading such as "Corrective actions",
    "Actions taken", "What we have done", and no sentence reporting a done action ("we have
    removed", "we refunded", "has been corrected", "we immediately").
    Why: the appeal must show the problem at hand is already fixed: listings removed, buyers
    refunded, stock checked (POLICY section A, "Account health and appeals").
    Examples: flagged "The cause was a wrong label. Going forward a manager will check labels.";
    fine "Corrective actions: we removed the 14 listings on 3 March and refunded all 27 buyers."
    Known false positives: actions reported only in the present tense ("we refund every buyer").
    Fix: add what you have already done, with dates and numbers.
    """
    return _missing("corrective")(ctx)


def missing_preventive_measures(ctx: Context) -> Iterator[Hit]:
    """A Plan of Action that never says how the problem will be kept from happening again.

    What it flags: no preventive-measures section: no heading such as "Preventive measures",
    "To prevent this", "Going forward", and no sentence about a lasting change ("from now on",
    "every order", "weekly", "a new procedure", "to prevent").
    Why: Seller Performance reinstates an account when it trusts the problem will not recur; a
    plan without preventive measures is rejected (POLICY section A, "Account health and appeals").
    Examples: flagged "Root cause: a wrong label. We have relabelled all stock."; fine
    "Preventive measures: from 10 March our warehouse lead checks every label against the SKU
    list before dispatch."
    Known false positives: a lasting change told without any cue phrase.
    Fix: add the measures that keep it from recurring: what, who owns it, how often, from when.
    """
    return _missing("preventive")(ctx)


def empty_section(ctx: Context) -> Iterator[Hit]:
    """A Plan-of-Action section that is there but says nothing concrete.

    What it flags: a section whose heading is followed only by an apology, a vague promise or
    filler ("Root cause: human error.", "Corrective actions: we have taken all necessary
    actions.", "Preventive measures: we will be more careful."), or, without headings, a section
    whose every cue sentence is like that; a cause not found ("Root cause: Unknown. We could not find a
    reason."), "N/A", and a measure put on someone else ("we recommend that Amazon improves its
    detection") are no substance either. A short corrective section that reports a done action ("we have
    asked them again") and an action named only vaguely ("we hire more staff", reported by AV001) are not
    empty. The finding points at the heading or the first cue.
    Why: a section without substance is as good as a missing one: Seller Performance rejects
    plans that do not name the cause, the actions and the measures (POLICY section A).
    Examples: flagged "Corrective actions: we have fixed the problem."; fine "Corrective
    actions: we removed listing B0C1X2Y3Z4 and refunded the 12 buyers on 3 March."
    Known false positives: a very short but real section ("Actions: listing removed.").
    Fix: write what exactly happened or was done: orders, listings, numbers, dates, people.
    """
    an = analyse(ctx)
    for name in SECTIONS:
        sec = an.sections[name]
        if (sec.headings or sec.cues) and not substantive(ctx, sec):
            first = sec.headings[0] if sec.headings else None
            if first is not None:
                yield Hit(first.start, first.end, params={"section": SECTION_NAMES[name]})
            else:
                m = sec.cues[0]
                yield Hit(m.start, m.end, params={"section": SECTION_NAMES[name]})


def _units(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs (blocks between blank lines) and list items, as (start, end)."""
    start = None
    last = 0
    for a, b in _lines(text):
        line = text[a:b]
        if not line.strip():
            if start is not None:
                yield start, last
                start = None
            continue
        if _MARKER.match(line) and start is not None:
            yield start, last
            start = None
        if start is None:
            start = a + len(line) - len(line.lstrip())
        last = b
    if start is not None:
        yield start, last


def _labelled_parts(ctx: Context, idx: TermIndex, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``[a, b)`` cut before every sentence that opens with a section label ("Corrective actions:")."""
    text = ctx.text
    cuts = [a]
    for sent in ctx.doc.sents:
        s = sent.start_char
        if not a < s < b:
            continue
        head = text[s:b].split("\n", 1)[0]
        colon = head.find(":")
        if colon > 0 and _words(head[:colon]) <= _INLINE_HEAD_WORDS and _first_cue(idx, s, s + colon):
            cuts.append(s)
    cuts.append(b)
    for x, y in zip(cuts, cuts[1:]):
        yield x, y


def wall_of_text(ctx: Context) -> Iterator[Hit]:
    """A paragraph or list item so long that a reviewer skims it.

    What it flags: a paragraph (or one list item) of more than 150 words. A paragraph divided by
    section labels in its sentences ("... Corrective actions: ... Preventive measures: ...") is
    judged part by part. The finding points at the paragraph's first sentence.
    Why: Seller Performance reads many appeals; a plan in short sections with bullet points (one
    action per bullet, with its owner and date) is read, a wall of text is not (POLICY section A).
    Examples: flagged a 200-word single paragraph; fine the same content as a heading and five
    bullets.
    Known false positives: none known.
    Fix: split it: one heading per section, one bullet per cause, action or measure.
    """
    text = ctx.text
    idx = ctx_terms(ctx)
    for a, b in _units(text):
        if _words(text[a:b]) <= _PARAGRAPH_WORDS:
            continue
        if all(_words(text[x:y]) <= _PARAGRAPH_WORDS for x, y in _labelled_parts(ctx, idx, a, b)):
            continue
        s, e = ctx.sentence_span(a)
        yield Hit(a, min(len(text[:e].rstrip()), b), params={"words": str(_words(text[a:b]))})


def too_long(ctx: Context) -> Iterator[Hit]:
    """An appeal longer than about two pages.

    What it flags: more than 800 words. The finding points at the first line.
    Why: a Plan of Action is read quickly; the facts (cause, actions, measures) get lost in a long
    letter. Keep it to what Seller Performance needs (POLICY section A).
    Examples: flagged a 1,200-word letter with the company's history; fine a 350-word plan.
    Known false positives: an appeal that must list many ASINs or orders (put them in a file and
    name it).
    Fix: cut the background and the pleas; keep the three sections in bullets.
    """
    n = _words(ctx.text)
    if n > _APPEAL_WORDS:
        yield Hit(*_opening(ctx), params={"words": str(n)})


# --------------------------------------------------------------------------- appeal.specificity


def _specific(ctx: Context, idx: TermIndex, start: int, end: int) -> bool:
    """A number, date, owner, frequency or named tool in ``[start, end)``."""
    if any(start <= m.start < end for m in idx.get(_F + "specific")):
        return True
    return any(start <= t.idx < end and (t.like_num or any(c.isdigit() for c in t.text)) for t in ctx.doc)


def vague_promise(ctx: Context) -> Iterator[Hit]:
    """A promise with no concrete action, owner or date.

    What it flags: "we will do better", "we will improve our processes", "we will be more
    careful", "we will take this seriously", "we will make sure this does not happen again",
    "we will strictly follow Amazon's policies", "we will learn all Amazon policies", "we will
    strengthen the management", "make every customer happy", and actions named only vaguely ("we hire
    more staff", "better packaging", "we will find better suppliers"), when the sentence names no number,
    date, owner (a manager, a team), frequency or scope of a check ("every order", "weekly") or
    tool. "Every customer" or "all orders" alone is no scope.
    Why: Seller Performance rejects promises it cannot check; each measure needs what will be done,
    by whom and from when (POLICY section A).
    Examples: flagged "We will improve our processes."; fine "We will improve our packing: from
    12 March our warehouse lead checks every parcel against the packing list."
    Known false positives: a vague line in the closing that the plan above makes concrete.
    Fix: replace it with the action itself: what, who, how often, from which date.
    """
    idx = ctx_terms(ctx)
    seen = set()
    for m in idx.get(_F + "vague_promise", _F + "vague_action"):
        if idx.negated(m) or m.sent in seen:
            continue
        if _specific(ctx, idx, *_sentence_of(ctx, m)):
            continue
        seen.add(m.sent)
        yield Hit(m.start, m.end)


def unowned_measures(ctx: Context) -> Iterator[Hit]:
    """Preventive measures with no owner, date, frequency or number anywhere.

    What it flags: a preventive-measures section (headed, or its cue sentences) that has substance
    but never says who does it, from when or how often ("We will check listings before
    publishing. Staff will be trained."). The finding points at the heading or first cue.
    Why: a measure without an owner or a rhythm is a wish; Seller Performance looks for who is
    responsible and how the check is repeated (POLICY section A).
    Examples: flagged "Preventive measures: we will check our listings more closely before
    publishing them."; fine "Preventive measures: our compliance manager reviews every new listing
    weekly, starting 10 March."
    Known false positives: a measure that is one-off by nature ("we closed the second account").
    Fix: name the owner (a role is enough), the frequency and the start date of each measure.
    """
    an = analyse(ctx)
    sec = an.sections["preventive"]
    if not (sec.headings or sec.cues) or not substantive(ctx, sec):
        return
    idx = ctx_terms(ctx)
    regions = [(h.body_start, h.body_end) for h in sec.headings]
    regions += [_sentence_of(ctx, m) for m in sec.cues]
    if any(_specific(ctx, idx, a, b) for a, b in regions):
        return
    target = sec.headings[0] if sec.headings else None
    if target is not None:
        yield Hit(target.start, target.end)
    else:
        yield Hit(sec.cues[0].start, sec.cues[0].end)


# rules that judge the whole plan (its sections, lengths): on a template's masked text, whose values are
# blanks, they say nothing; a catalogue template is judged by its rendering with the example values
DOCUMENT_RULES = frozenset({"AS001", "AS002", "AS003", "AS004", "AS005", "AS006", "AV003"})

RULES: tuple[Rule, ...] = (
    Rule("AS001", "missing-root-cause", "appeal.structure", APPEAL, Severity.ERROR,
         "Add the root cause: the appeal never says what caused the problem.", missing_root_cause),
    Rule("AS002", "missing-corrective-actions", "appeal.structure", APPEAL, Severity.ERROR,
         "Add the corrective actions: the appeal never says what you have already done to fix the problem.",
         missing_corrective_actions),
    Rule("AS003", "missing-preventive-measures", "appeal.structure", APPEAL, Severity.ERROR,
         "Add the preventive measures: the appeal never says how you will keep the problem from happening again.",
         missing_preventive_measures),
    Rule("AS004", "empty-section", "appeal.structure", APPEAL, Severity.ERROR,
         "The {section} section says nothing concrete at '{text}': write what exactly happened or was done "
         "(orders, listings, numbers, dates, people).", empty_section),
    Rule("AS005", "wall-of-text", "appeal.structure", APPEAL, Severity.WARNING,
         "Split this {words}-word paragraph starting '{text}': use a heading per section and a bullet per "
         "cause, action or measure.", wall_of_text),
    Rule("AS006", "appeal-too-long", "appeal.structure", APPEAL, Severity.WARNING,
         "Shorten the appeal ({words} words): keep the root cause, actions and measures, cut the background.",
         too_long),
    Rule("AV001", "vague-promise", "appeal.specificity", APPEAL, Severity.WARNING,
         "Replace '{text}' with the action itself: what will be done, by whom and from which date.",
         vague_promise),
    Rule("AV003", "unowned-measures", "appeal.specificity", APPEAL, Severity.WARNING,
         "Name who carries out the preventive measures under '{text}', how often and from when.",
         unowned_measures),
)
