"""Conduct: threats, insults, discrimination, pressure, harassment and profanity towards the buyer (CD001-CD006).

Each rule reads groups of ``wordlists/conduct/<lang>.yml``. A group that is a violation on its own
(``threat``, ``insult``, ``ultimatum``, ``harassment``, ``profanity`` ...) gives an error unless a
negation governs it ("we would never report you"); a ``*_weak`` group needs a companion in the same
sentence: a threat marker ("we will", "unless you") for "police" or "lawyer", a "you" right next to
"stupid", a review or claim near "damaging our account". Pressure about a review is also
``review.manipulation``; that family writes its own finding, these rules report only the conduct.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from msglint.context import Context
from msglint.model import Hit, Rule, Severity
from msglint.spans import outermost as _outermost
from msglint.spans import merged, overlaps, span as _span
from msglint.terms import Match, NegationPolicy, TermIndex, ctx_terms

MESSAGE = frozenset({"message"})
_F = "conduct:"
W = Severity.WARNING


# "we will not hesitate to", "don't be", "ne soyez pas": negations that take nothing back
_POLICY = NegationPolicy(transparent=(_F + "hesitate",))
# a name-calling phrase is taken back only by a negation right after it (馬鹿ではありません), not by a
# refusal later in the sentence (説明書も読めないお客様には対応できません)
_INSULT_POLICY = NegationPolicy(transparent=(_F + "hesitate",), reach_after=3)


def _active(idx: TermIndex, m: Match) -> bool:
    """Not negated. Japanese negates after the verb (the engine knows it from the language file): in
    消さないなら弁護士に相談します the ない negates the buyer's deleting, not the threat after it."""
    return not idx.negated(m, _POLICY)


def _companions(idx: TermIndex, m: Match, groups: Iterable[str], sentences: int = 0) -> list[Match]:
    """Matches of ``groups`` in m's sentence (or within ``sentences`` of it) that are not m itself."""
    return [o for o in idx.near(m, groups, sentences) if not overlaps(o, m)]


def _aimed_at(idx: TermIndex, you: Match, word: Match, ja: bool) -> bool:
    """The weak insult follows "you"/"your" with only intensifiers between: "you are so stupid", "your stupid question"."""
    if you.tok_end > word.tok_start:
        return False
    gap = set(range(you.tok_end, word.tok_start))
    if len(gap) > (4 if ja else 3):
        return False
    for glue in idx.near(word, (_F + "intensifier",)):
        gap -= set(range(glue.tok_start, glue.tok_end))
    return not gap


def threat(ctx: Context) -> Iterator[Hit]:
    """Threatening the buyer with police, lawyers, lawsuits, reports, blacklists, collections or a new charge.

    What it flags: "we will report you to the police", "our lawyer is ready to sue you for defamation",
    "we will make sure you're blacklisted", "we'll charge your card again and send the debt to a
    collection agency", "wir zeigen Sie an", "nous porterons plainte contre vous", "le denunciaremos",
    "la denunceremo", "法的措置を取ります". "police", "lawyer", "court" or "fraud" alone are a warning, and
    only next to a threat marker ("we will", "unless you", "if you don't", "or else").
    Why: threats are the clearest breach of the duty to be courteous and appropriate; over a review
    or feedback they are also review manipulation (POLICY MSG-C08, REV-F02 "pressure", section A
    "seller conduct").
    Examples: flagged "If you don't remove that review by Friday, we will report you to the police";
    fine "If the parcel was stolen, you can file a police report", "please report the e-mail to
    Amazon", "we will never take legal action over a return".
    Known false positives: a seller explaining what Amazon or a carrier might do ("the carrier will
    take legal steps against the thief") gets a warning.
    Fix: remove the threat; state the facts and the next step through Amazon (A-to-z, returns).
    """
    idx = ctx_terms(ctx)
    hits = []
    strong_sents = set()
    for m in idx.get(_F + "threat"):
        if _active(idx, m):
            hits.append(Hit(m.start, m.end))
            strong_sents.add(m.sent)
    for m in idx.get(_F + "threat_weak"):
        if m.sent in strong_sents or not _active(idx, m):
            continue
        for k in _companions(idx, m, (_F + "threat_marker",)):
            before = k.tok_end <= m.tok_start
            ja = m.lang == "ja"
            if (before or ja) and idx.gap(k, m) <= (30 if ja else 12) and _active(idx, k):
                # "we won't hesitate to call the police" is as clear as a named threat
                sure = any(h.clause == m.clause for h in idx.get(_F + "hesitate"))
                hits.append(Hit(*_span(k, m), severity=None if sure else W))
                break
    yield from _outermost(hits)


def insult(ctx: Context) -> Iterator[Hit]:
    """Insulting, mocking or condescending the buyer, or calling them a liar.

    What it flags: name-calling ("you idiot", "Idiot", "imbécile", "idiota", "バカ"), "stop lying",
    "learn to read", "people like you", "shame on you"; "stupid", "ridiculous", "lazy" aimed at
    the buyer ("your stupid question", "are you stupid"); mocking ("if you can't work out how to
    connect a hose, maybe gardening isn't for you"); contempt for the buyer's competence ("too dumb
    to", "can't read a manual", "wer zu blöd", "incapable de lire", "no sabe ni"), sarcasm ("a real
    talent", "un vero talento"), brushing the buyer off ("further messages will be ignored",
    "ahórrese los mensajes"), and "customers like you" when the sentence scorns ("... are why honest
    sellers close down", not "customers like you make our work worthwhile"). Condescension alone ("it's not rocket science",
    "common sense") and accusations ("you broke it yourself", "fake claim") are warnings.
    Why: messages must be courteous and appropriate; offensive language gets messages blocked and
    accounts restricted (POLICY MSG-C07, MSG-C08, section A "seller conduct").
    Examples: flagged "Stop lying to us; the motor doesn't just burn out";
    fine "Sorry for our silly mistake with the colour", "this setup is idiot-proof", "if you need
    a waterproof model, this one is not for you".
    Known false positives: quoting the buyer's own words back ("you wrote that we are idiots").
    Fix: remove the remark; describe the fault and the remedy neutrally.
    """
    idx = ctx_terms(ctx)
    hits = [Hit(m.start, m.end) for m in idx.get(_F + "insult") if not idx.negated(m, _INSULT_POLICY)]
    for m in idx.get(_F + "insult_weak"):
        if not _active(idx, m):
            continue
        for y in idx.near(m, (_F + "you",)):
            if _aimed_at(idx, y, m, m.lang == "ja"):
                hits.append(Hit(*_span(y, m)))
                break
    # "customers like you" is contempt only with scorn in the sentence ("... are the reason shops go under",
    # "we don't refund customers like you"), not in "customers like you make our day"
    for m in idx.get(_F + "like_you"):
        if _companions(idx, m, (_F + "scorn",)):
            hits.append(Hit(m.start, m.end))
    for m in idx.get(_F + "condescension", _F + "mock_weak"):
        if not _active(idx, m):
            continue
        mock = _companions(idx, m, (_F + "mocking",))
        if mock:
            hits.append(Hit(*_span(m, min(mock, key=lambda k: idx.gap(k, m)))))
        elif m.group == _F + "condescension":
            hits.append(Hit(m.start, m.end, severity=W))
    hits += [Hit(m.start, m.end, severity=W) for m in idx.get(_F + "accusation") if _active(idx, m)]
    yield from merged(list(_outermost(hits)))


def discriminatory_remark(ctx: Context) -> Iterator[Hit]:
    """Remarks about the buyer's name, nationality, ethnicity, religion or origin.

    What it flags: "buyers with names like yours", "people from your country", "your kind", "your
    religion", remarks on the buyer's age ("people your age", "Leute in Ihrem Alter"), "Leute wie Sie aus ...", "les gens de votre pays", "gente de su país", "gente del suo
    paese"; a nationality, ethnic or religious group put next to buyers or people ("Nigerian buyers",
    "clients étrangers") is an error with a negative word in the sentence ("fake", "fraud", "can't
    be trusted"), else a warning; a marketplace's own nationality ("French customers", "deutsche
    Kunden") only with a generalised complaint ("les clients français toujours se plaindre").
    Why: discriminatory language is abusive and never appropriate in a buyer message (POLICY MSG-C07,
    MSG-C08, section A "fair dealing").
    Examples: flagged "we get a lot of fake damage claims from buyers with names like yours";
    fine "the manual is printed in English and Chinese", "the black version ships tomorrow".
    Known false positives: a neutral statement about a market ("Italian customers can use
    amazon.it") gets a warning.
    Fix: remove the remark; treat the claim like any other and ask only for what the order needs.
    """
    idx = ctx_terms(ctx)
    hits = [Hit(m.start, m.end) for m in idx.get(_F + "discrimination") if not idx.negated(m, _INSULT_POLICY)]
    for g in idx.get(_F + "group_ref"):
        people = [p for p in _companions(idx, g, (_F + "people",)) if idx.gap(g, p) <= 1]
        if not people or not _active(idx, g):
            continue
        negative = _companions(idx, g, (_F + "negative",))
        hits.append(Hit(*_span(g, *people), severity=None if negative else W))
    # the marketplace's own nationalities ("French customers", "deutsche Kunden") are ordinary words; next to
    # buyers they are a remark only with a generalised complaint: "les clients français toujours se plaindre"
    for g in idx.get(_F + "nationality"):
        people = [p for p in _companions(idx, g, (_F + "people",)) if idx.gap(g, p) <= 1]
        if people and _active(idx, g) and _companions(idx, g, (_F + "generalised",)):
            hits.append(Hit(*_span(g, *people)))
    yield from _outermost(hits)


# a review, rating or feedback named by the review family's lists
_REVIEW_NAMED = ("review:review_noun", "review:feedback_noun", "review:positive", "review:negative")


def pressure(ctx: Context) -> Iterator[Hit]:
    """Ultimatums and guilt-tripping: "you have 24 hours or you get nothing", "our family business will close".

    What it flags: ultimatums ("you get nothing", "think carefully", "take it or leave it", "we expect
    it gone", "or else", "Sie bekommen nichts", "c'est à prendre ou à laisser", "o no recibirá nada",
    "ultima possibilità"); guilt over the seller's business ("it is damaging our account", "our
    family business will close", "we will go out of business") is an error when a claim, complaint or
    return is named in the same or a neighbouring sentence, else a warning; a short deadline set as a
    demand ("you have 24 hours to accept", "within 48 hours or we ...") is a warning.
    Not flagged here: guilt over a review, rating or feedback ("your two stars are sinking our little
    shop"): that is review pressure, reported by RM009 (review.manipulation).
    Why: pressure, threats and guilt-tripping, above all over reviews and feedback, are prohibited
    (POLICY MSG-C08, REV-F02: only a neutral note after a fix is allowed).
    Examples: flagged "It is damaging our account and we expect it gone by the end of the week";
    fine "If you are satisfied that we have resolved your concerns, it is possible to update or
    remove the feedback", "the return window closes on 2 February", "you have 30 days to return it".
    Known false positives: an honest explanation of an account problem unrelated to the buyer ("our
    account was suspended last week, which delayed your order") gets a warning.
    Fix: remove the pressure; state the offer or the facts once and leave the decision to the buyer.
    """
    idx = ctx_terms(ctx)
    hits = [Hit(m.start, m.end) for m in idx.get(_F + "ultimatum") if _active(idx, m)]
    for m in idx.get(_F + "guilt", _F + "guilt_weak"):
        lever = _companions(idx, m, (_F + "lever",), sentences=1)
        if m.group == _F + "guilt_weak" and not lever:
            continue  # "we are a small family business and hand-pour every candle": no pressure without a lever
        if lever and idx.near(m, _REVIEW_NAMED, sentences=1):
            continue  # guilt over a review is review pressure: RM009 reports it (review.manipulation)
        hits.append(Hit(m.start, m.end, severity=None if lever else W))
    for d in idx.get(_F + "deadline"):
        demands = [k for k in _companions(idx, d, (_F + "demand",)) if idx.gap(k, d) <= 6 and _active(idx, k)]
        if demands and _companions(idx, d, (_F + "lever", _F + "demand_object")):
            hits.append(Hit(*_span(d, demands[0]), severity=W))
    yield from _outermost(hits)


def harassment(ctx: Context) -> Iterator[Hit]:
    """Repeated or insistent messages: "this is our sixth message today", "we will keep writing until you answer".

    What it flags: counting the messages or reminders sent ("third message", "vierte Erinnerung",
    "troisième message", "sexto mensaje", "sesto messaggio", "6回目のご連絡"), promising to keep writing
    ("we will keep writing until you answer", "every day until"), reproaches for not answering ("why
    are you ignoring us"), and "the fourth time we are asking you ..." (a repeated ask).
    Why: badgering a buyer is harassment; asking for the same thing repeatedly (a review above all) is
    a named reason for messaging restrictions (POLICY MSG-C08, section 1L, REV-F02 "pressure").
    Examples: flagged "This is the fourth time we are asking you to remove your negative feedback";
    fine "This is the third time the courier tried to deliver", "We'll hold the order until you
    reply with the engraving text".
    Known false positives: a seller apologising for writing again ("sorry, this is our third message
    about the missing address") — check that the follow-up is really needed.
    Fix: send one clear message and wait for the buyer's answer.
    """
    idx = ctx_terms(ctx)
    hits = [Hit(m.start, m.end) for m in idx.get(_F + "harassment") if _active(idx, m)]
    for m in idx.get(_F + "repeat_count"):
        asks = _companions(idx, m, (_F + "asking",))
        if asks and _active(idx, m):
            hits.append(Hit(*_span(m, *asks)))
    yield from _outermost(hits)


RULES = (
    Rule("CD001", "threat", "conduct", MESSAGE, Severity.ERROR,
         "Remove the threat '{text}': threatening the buyer (police, lawyers, reports, blacklists, charges) is "
         "never allowed.", threat),
    Rule("CD002", "insult", "conduct", MESSAGE, Severity.ERROR,
         "Remove '{text}': insulting, mocking or accusing the buyer is not courteous; describe the problem neutrally.",
         insult),
    Rule("CD003", "discriminatory-remark", "conduct", MESSAGE, Severity.ERROR,
         "Remove '{text}': remarks about the buyer's name, origin, nationality, ethnicity or religion are "
         "discriminatory.", discriminatory_remark),
    Rule("CD004", "pressure", "conduct", MESSAGE, Severity.ERROR,
         "Remove '{text}': ultimatums and guilt-tripping put the buyer under pressure; state the facts and "
         "the options once.", pressure),
    Rule("CD005", "harassment", "conduct", MESSAGE, Severity.ERROR,
         "Remove '{text}': repeated or insistent messages are harassment; send one message and wait for an answer.",
         harassment),
)
