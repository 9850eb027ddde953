"""Review and feedback rules: incentives (RI) and manipulation (RM).

The words "review", "feedback", "Bewertung", "avis", "レビュー" are fine in a neutral request
(POLICY REV-R01). These rules fire on combinations inside a sentence or clause: a review
term with an incentive, a condition, a change/remove ask, a star demand, routing, steering.
Term lists are ``wordlists/review/<lang>.yml``; negation lists ``wordlists/negation/<lang>.yml``.
"""
from __future__ import annotations

from typing import Iterator, Optional

import regex

from msglint import lang as langdata
from msglint.context import Context
from msglint.lazyre import lazy
from msglint.lexicon import fold
from msglint.spans import inside, overlaps_any, quoted, sentence_money
from msglint.model import Hit, Rule, Severity
from msglint.pipeline import doc_text
from msglint.terms import NEGATION, REFUSING as _LANG_REFUSING, Match, NegationPolicy, TermIndex, ctx_terms

MESSAGE = frozenset({"message"})
REVIEW = ("review:review_noun", "review:review_act")
FEEDBACK = ("review:feedback_noun",)
# the language's refusals, and the ways sellers refuse review deals ("we are not allowed to offer ...",
# "nous n'avons pas le droit d'offrir ...", "wir dürfen für Bewertungen keine ...")
REFUSING = NegationPolicy(refusal=_LANG_REFUSING.refusal + ("review:refusal",), refusal_void=_LANG_REFUSING.refusal_void)
ANY_REVIEW = REVIEW + FEEDBACK


def _span(*matches: Match) -> tuple[int, int]:
    return min(m.start for m in matches), max(m.end for m in matches)


def _refused(idx: TermIndex, m: Match) -> bool:
    """Negated, or in a sentence that refuses the offer ("we cannot offer gifts or refunds for reviews"), or the
    gift is the buyer's review itself ("ci farebbe un gran regalo a raccontarlo con una recensione")."""
    return idx.negated(m, REFUSING) or inside(m, idx.get("review:favour"))


def _negated(idx: TermIndex, m: Match) -> bool:
    """Negated in its clause ("we do not offer anything for reviews"); a negation inside a condition
    ("if you don't remove it, ...") negates the condition only (the engine's default policy)."""
    return idx.negated(m)


def _pronouns(m: Match) -> frozenset:
    return langdata.words("object_pronouns", (m.lang,)) if m.lang in langdata.KNOWN else frozenset()


# a first-person subject between the review and the verb: the seller does the changing, nobody asks the buyer
_WE = frozenset({"we", "we've", "we'd", "wir", "nous", "hemos", "tuvimos", "abbiamo", "siamo"})


_JA_TOPIC = lazy(regex.compile, r"(?:[（(][^）)\n]{0,12}[）)])?(?:につきまして|につきましては|について|に関して|につき|の件)")
# "商品レビュー（星1つ）の内容を、…ご修正": the review's content as the object of the verb
_JA_CONTENT = lazy(regex.compile, r"\s*(?:（[^）]{0,12}）|\([^)]{0,12}\))?\s*の(?:内容|文面|評価|表現|星の数)を")
# a star rating standing for the review ("your 1-star", "la tua recensione a 2 stelle")
_STARS = lazy(regex.compile, r"\d|star|stern|étoile|etoile|estrella|stell|星", regex.I)


def _governs(ctx: Context, verb: Match, noun: Match) -> bool:
    """Without a parser: the change verb is close enough to the review noun to be about it.

    Verb first ("delete the 1-star review", "löschen Sie Ihre Bewertung"): at most 4 tokens between.
    Noun first ("die Bewertung zu löschen", "レビューを削除"): at most 3 tokens (12 for Japanese
    characters), none of them a first-person subject ("votre avis nous avons dû retirer 40 pièces"). Or the noun earlier in the sentence and the verb taking a pronoun ("take it down"); in Japanese the review as the sentence's topic ("商品レビューにつきまして、...ご修正いただけますと").
    """
    if verb.lang != noun.lang:
        return False
    if verb.tok_start >= noun.tok_end:
        gap = verb.tok_start - noun.tok_end
        between = {fold(t.text) for t in ctx.doc[noun.tok_end:verb.tok_start]} if verb.lang != "ja" else set()
        if between & _WE:
            return False  # "grâce à votre avis nous avons dû retirer 40 pièces": the seller removes something
        if gap <= (12 if verb.lang == "ja" else 3):
            return True
        # German puts the infinitive at the end of its clause: "Ihre Rezension vom letzten Monat daraufhin noch
        # einmal überarbeiten?"
        if verb.lang == "de" and gap <= 8 and (verb.tok_end >= len(ctx.doc) or ctx.doc[verb.tok_end].is_punct):
            return True
        # Japanese names the review as the sentence's topic and asks at the end: "商品レビュー（星1つ）に
        # つきまして、現在の状況を踏まえた内容にご修正いただけますと"
        if verb.lang == "ja" and (_JA_TOPIC.match(ctx.text, noun.end) or _JA_CONTENT.match(ctx.text, noun.end)):
            return True
        pronouns = _pronouns(verb)
        # the pronoun may be part of the verb's phrase: a clitic before it ("hasta que la quite")
        own = [ctx_terms(ctx).doc_of(verb)[verb.tok_start]] if verb.lang in ("fr", "es", "it") else []
        return any((t.text if verb.lang == "de" else fold(t.text)) in pronouns
                   for t in own + idx_tokens(ctx, verb, 1, 2))
    return noun.tok_start - verb.tok_end <= 4


def idx_tokens(ctx: Context, m: Match, before: int, after: int) -> list:
    return ctx_terms(ctx).tokens(m, before=before, after=after)


def _done(ctx: Context, m: Match) -> bool:
    """``m`` stands in a clause in the perfect tense, with no condition: what it names was already given ("On a
    remboursé les chaînes sans discuter", "wir haben Ihnen ja den Ersatz gratis geschickt", "we've refunded you in
    full"), not offered. An auxiliary before ``m`` and a past participle after the auxiliary (the language's data)."""
    if m.lang not in langdata.KNOWN:
        return False
    data = langdata.get(m.lang)
    # compared in lower case, accents kept: "à" is no "a", "remboursé" ends in "é"
    aux, endings, nots = (frozenset(w.lower() for w in data.words(k))
                          for k in ("perfect_auxiliaries", "participle_endings", "participle_not"))
    if not aux or not endings:
        return False
    idx = ctx_terms(ctx)
    if any(c.clause == m.clause for c in idx.get("lang:conditional", "review:condition", "review:exchange")):
        return False
    window = [t for t in idx.tokens(m, before=10, after=8) if idx.clause_at(t.idx) == m.clause]
    first = idx.tokens(m)[0].i
    for a in window:
        if a.i > first or a.text.lower().replace("’", "'") not in aux:
            continue
        for p in window:
            word = p.text.lower()
            if a.i < p.i <= a.i + 10 and p.is_alpha and word not in nots and not (m.lang == "de" and p.text[:1].isupper()) \
                    and any(word.endswith(e) and len(word) > len(e) + 1 for e in endings):
                return True
    return False


def _instruction(idx: TermIndex, verb: Match) -> bool:
    """ "Le explico cómo ajustarlo": an instruction word ("how", "cómo", "wie") in the two tokens before the verb:
    how to do something, not a request about the review."""
    if verb.lang not in langdata.KNOWN:
        return False
    words = {fold(w) for w in langdata.get(verb.lang).words("instruction_words")}
    doc = idx.doc_of(verb)
    return any(fold(t.text) in words for t in doc[max(0, verb.tok_start - 2):verb.tok_start])


def _pronoun_object(ctx: Context, verb: Match) -> bool:
    """The verb takes a pronoun for the review: "remove it", "löschen Sie diese", "¿podría borrarla?"."""
    pronouns = _pronouns(verb)
    idx = ctx_terms(ctx)
    before = 12 if verb.lang == "de" else 3   # German puts the object far before the verb
    near = [t for t in idx_tokens(ctx, verb, before, 2) if idx.clause_at(t.idx) == verb.clause]
    # German: as written ("Entfernen Sie sie": the second, lower-case "sie" is the review)
    romance = verb.lang in ("fr", "es", "it")
    articles = langdata.words("article_pronouns", (verb.lang,)) if verb.lang in langdata.KNOWN else frozenset()
    for t in near:
        if (t.text if verb.lang == "de" else fold(t.text)) not in pronouns:
            # "Könnten Sie die bitte abändern?": an article with no noun after it stands for the review
            # ("die alte Adresse bitte ändern": a capitalised noun before the verb takes the article)
            between = t.doc[t.i + 1:idx.tokens(verb)[0].i]
            if not (t.text in articles and len(between) and not between[0].is_punct
                    and not any(w.is_alpha and w.text[:1].isupper() for w in between)):
                continue
        # French, Spanish, Italian: "la"/"l'" after the verb with a word after it is an article, not the
        # review ("modifier l'adresse", "cambiar la dirección"); the pronoun stands before the verb or is
        # attached to it ("la supprimer", "borrarla")
        hyphened = t.text.startswith("-") or (t.idx and doc_text(t.doc)[t.idx - 1] == "-")  # "Supprimez-le"
        if romance and not hyphened and t.i >= idx.tokens(verb)[-1].i and t.i + 1 < len(t.doc) \
                and t.doc[t.i + 1].is_alpha:
            continue
        return True
    last = fold(idx.tokens(verb)[-1].text)
    return any(last.endswith(e) and len(last) > len(e) + 3 for e in _enclitics(verb))


def _enclitics(m: Match) -> tuple:
    return langdata.get(m.lang).words("enclitic_pronouns") if m.lang in langdata.KNOWN else ()


def _passive_after(ctx: Context, verb: Match, noun: Match) -> bool:
    """The review named first, the change verb later in its clause as a passive: "... until the 1-star review
    on the product page has been removed", "finché la recensione non verrà rimossa"."""
    if noun.tok_end > verb.tok_start or verb.tok_start - noun.tok_end > 10 or noun.clause != verb.clause:
        return False
    aux = {fold(w) for w in langdata.words("passive_auxiliaries", (verb.lang,))} if verb.lang in langdata.KNOWN \
        else set()
    return any(fold(t.text) in aux for t in idx_tokens(ctx, verb, 2, 0)[:2])


def _in_condition(idx: TermIndex, verb: Match, reach: int = 4) -> bool:
    """The verb stands in a condition: "if (it is not) removed", "se non verrà rimossa", "削除いただけない場合"."""
    if idx.conditional_before(verb, reach=reach):
        return True
    return verb.lang == "ja" and any(c.lang == "ja" and c.sent == verb.sent and 0 <= c.start - verb.end <= 10
                                     for c in idx.get("lang:conditional"))


# what a threat over a review is made of: the conduct family's threat terms (data, matched in the same index)
_THREATS = ("conduct:threat", "conduct:threat_weak", "conduct:withhold")


def _stay_threatened(idx: TermIndex, nouns: tuple, name_before: int = 0) -> Optional[Match]:
    """A review staying or vanishing as a condition, with a threat or an offer: "Se il feedback resta, ...
    avvocato", "Wenn der Text nicht bis Freitag verschwunden ist, zeigen wir Sie an", "remboursement ... dès que
    votre commentaire négatif aura disparu". The review is named in the condition's sentence or, with
    ``name_before``, up to that many sentences before it ("der Text")."""
    for v in idx.get("review:stays"):
        reach = max(4, langdata.get(v.lang if v.lang in langdata.KNOWN else "en").negation.conditional_reach)
        offer = [o for o in idx.in_sentence(v.sent, "review:incentive", "review:give") if not _refused(idx, o)]
        cue = offer and any(c.end <= v.start for c in idx.in_clause(v.clause, "review:exchange", "review:since"))
        if not (cue or _in_condition(idx, v, reach)):
            continue
        if not (offer or idx.near(v, _THREATS, sentences=1)):
            continue
        if any(v.sent - name_before <= n.sent <= v.sent and n.start < v.start for n in idx.get(*nouns)):
            return v
    return None


def _clause_end(ctx: Context, verb: Match) -> int:
    """End of the pronoun after the verb ("Remove it"), or of the verb."""
    pronouns = _pronouns(verb)
    for t in idx_tokens(ctx, verb, 0, 2)[verb.tok_end - verb.tok_start:]:
        if fold(t.text) in pronouns:
            return t.idx + len(t.text)
    return verb.end


def review_incentive(ctx: Context) -> Iterator[Hit]:
    """Something of value offered for a review or feedback, or for changing or removing one.

    What it flags: a review or feedback term and an incentive in the same sentence — refunds,
    partial refunds, discounts, coupons, gift cards, free or second items, giveaway or draw
    entries, cash or money amounts, VIP or loyalty perks, extended warranties, "keep the item" —
    and offers tied to a screenshot or to the review going live; and something the seller sends,
    tied to the review by a condition or an exchange cue, even when no incentive word names it
    ("If you post a review, we will send you one more spool",
    "レビューをお寄せくださった方には、半紙百枚を進呈"); a refund or gift already given and then asked to be
    paid for with the review, by a sentence that opens with "in return" ("Im Gegenzug wäre es nur fair, wenn Ihr
    Kommentar mit dem einen Stern wieder verschwindet"). Six languages.
    Why: any compensation for a review, or for changing or removing one, is prohibited
    (POLICY REV-R02, REV-R07, REV-F01, MSG-C01; FTC 16 CFR 465, UK DMCC Act).
    Examples: flagged "Leave a review and we'll send you a $10 gift card"; fine "We do not offer
    anything in exchange for reviews", "We've refunded you. If you have a moment, a review helps."
    Not flagged: a refund already made, named as the background of the request ("now that the refund
    has gone through, could you revisit the review?" is a change request, RM004, not an offer); the
    buyer's own words reported ("Sie schreiben, dass Sie einen Stern geben, wenn wir ... überweisen");
    the review called a gift to the seller ("ci farebbe un gran regalo a raccontarlo con una
    recensione"); a refund followed by "but next time ..." about the review ("On va vous rembourser,
    mais la prochaine fois, lisez la notice avant d'écrire un commentaire").
    Known false positives: a refund and a neutral review request in one sentence.
    Fix: remove the offer; a review request must be neutral and unconditional.
    """
    idx = ctx_terms(ctx)
    if not idx.has(*ANY_REVIEW, "review:top_rating"):
        return
    # "now that the refund has gone through, could you revisit the review": a refund already made is the
    # background of a change request (RM004), not an offer for it
    # (only in the settled words' own clause: "We've refunded you in full, and we'd add a £10 voucher if you took
    # your review down" still offers the voucher)
    settled = idx.get("review:settled")
    done = set()

    def given(pos: int, sent: int, m: Optional[Match] = None) -> bool:
        return any(s.sent == sent and s.clause == idx.clause_at(pos) for s in settled) or \
            (m is not None and _done(ctx, m))

    # (the top rating stands for the review: "si le pone las cinco, le mandamos de regalito ...")
    for a, b in idx.cooccur(ANY_REVIEW + ("review:top_rating",), ("review:incentive",), scope="sentence"):
        if a.sent in done or given(b.start, b.sent, b) or _refused(idx, b) or _refused(idx, a) \
                or _contrasted(ctx, idx, b, a):
            continue
        done.add(a.sent)
        yield Hit(*_span(a, b), {"offer": ctx.text[b.start:b.end]})
    # a money amount given back for the review ("post a review and we'll send you $5 back")
    for a in idx.get(*ANY_REVIEW):
        if a.sent in done:
            continue
        money = [x for x in sentence_money(ctx, a.sent) if not given(x[0], a.sent)]
        if money and idx.in_sentence(a.sent, "review:exchange", "review:review_act", "review:ask"):
            if _refused(idx, a):
                continue
            done.add(a.sent)
            m_start, m_end = money[0]
            yield Hit(min(a.start, m_start), max(a.end, m_end), {"offer": ctx.text[m_start:m_end]})
    done |= {m.sent for m in settled}   # the paths below read a sentence with something settled as background
    # an incentive next to an explicit exchange cue, with the review named in a neighbouring sentence
    for b, c in idx.cooccur(("review:incentive",), ("review:exchange",), scope="sentence"):
        if b.sent in done or _refused(idx, b):
            continue
        # "We may not give anything for reviews. We'll send the spare parts free of charge anyway": the review
        # is named only in the refusal
        if [r for r in idx.near(b, ANY_REVIEW, sentences=1)
            if not (_refused(idx, r) or idx.in_sentence(r.sent, "review:refusal"))]:
            done.add(b.sent)
            yield Hit(*_span(b, c), {"offer": ctx.text[b.start:b.end]})
    # a refund or gift already given, then asked to be paid for with the review: an exchange cue opening the next
    # sentence ("Wir haben Ihnen den Kaufpreis komplett erstattet. Im Gegenzug wäre es nur fair, wenn Ihr Kommentar
    # mit dem einen Stern wieder verschwindet", "Nous vous avons remboursé 30 €. En contrepartie, ...")
    for c in idx.get("review:in_return"):
        if c.sent == 0 or c.sent in done:
            continue
        a, _b = ctx.sentence_span(c.start)
        if ctx.text[a:c.start].strip(" \t\n,;:-–—"):
            continue
        gifts = [m for m in idx.in_sentence(c.sent - 1, "review:incentive", "review:settled") if not _refused(idx, m)]
        reviews = [r for r in idx.in_sentence(c.sent, *ANY_REVIEW) if not _refused(idx, r)]
        if gifts and reviews:
            done.add(c.sent)
            yield Hit(gifts[0].start, max(r.end for r in reviews), {"offer": ctx.text[gifts[0].start:gifts[0].end]})
    # something the seller sends or gives, tied to a review by an exchange cue, a condition on the review or
    # "if you liked it", with no incentive word of its own ("If you post a 5-star review, we will send you one
    # more spool", "once your review is up, we'll mail you a bottle of syrup", "レビューをお寄せくださった方
    # には、半紙百枚を進呈"); the review may stand in the sentence before ("Si tu laisses un avis ... Fais-moi
    # signe quand c'est en ligne et je t'envoie un deuxième but")
    for g in idx.get("review:give"):
        if g.sent in done or _refused(idx, g):
            continue
        # the give word inside the review itself is no gift ("could you pop a few words up on Amazon")
        reviews = [r for r in idx.near(g, ANY_REVIEW, sentences=1) if g.sent - 1 <= r.sent <= g.sent
                   and not (r.start < g.end and g.start < r.end)
                   and r.sent not in done and not (_refused(idx, r) or idx.in_sentence(r.sent, "review:refusal"))]
        if not reviews:
            continue
        cues = [c for c in idx.in_sentence(g.sent, "review:exchange", "review:condition")
                if not (c.start < g.end and g.start < c.end)]
        # without an exchange cue, a condition on writing the review ("if you post a review, ..."); a condition on
        # the review as it stands ("if the comment is still up on Friday, you will hear from us") is a threat
        # (Japanese puts the condition after the review: 使い心地を商品ページに書いてもらえたら、…お付けします)
        # ("場合でも", "ても": "even if", a concession, no condition)
        ja_condition = g.lang == "ja" and any(c.sent == g.sent and any(r.end <= c.start < g.start for r in reviews)
                                              and not ctx.text[c.end:c.end + 2].startswith(("でも", "も"))
                                              for c in idx.get("lang:conditional"))
        if not cues and not ja_condition and not (any(idx.conditional_before(r, reach=4) for r in reviews)
                                                  and idx.in_sentence(g.sent, "review:ask", "review:review_act")):
            continue
        r = reviews[0]
        # a negation between the review and what is sent is a threat ("if the review is not gone by Friday,
        # you will receive a letter from our lawyer", "dann bekommen Sie keine Erstattung"), not an offer
        if any(n.lang == g.lang and (r.start < n.start < g.start or (n.sent == g.sent and 0 <= n.tok_start - g.tok_end <= 3))
               for n in idx.get(NEGATION)):
            continue
        done.add(g.sent)
        yield Hit(min(r.start, g.start), max(r.end, g.end), {"offer": ctx.text[g.start:g.end]})
    # value offered in a sentence, and the review asked for "in return" in the next one ("Members receive our
    # new gadgets free. All we ask in return is an honest review.")
    for c in idx.get("review:exchange"):
        if c.sent in done or _refused(idx, c) or not idx.in_sentence(c.sent, *ANY_REVIEW):
            continue
        offers = [o for o in idx.in_sentence(c.sent - 1, "review:incentive") if not _refused(idx, o)] if c.sent else []
        if offers:
            done.add(c.sent)
            yield Hit(offers[0].start, offers[0].end, {"offer": ctx.text[offers[0].start:offers[0].end]})
    # something of value in the sentence after a request to change or remove a review or feedback
    # ("Could you remove your 2-star review? We'd happily send a $15 voucher.")
    for verb, noun in idx.cooccur(("review:change_verb",), ANY_REVIEW, scope="sentence"):
        nxt = verb.sent + 1
        if nxt in done or _negated(idx, verb) or not _governs(ctx, verb, noun):
            continue
        price = _price_in(ctx, idx, nxt)
        if price:
            done.add(nxt)
            yield Hit(*price, {"offer": ctx.text[price[0]:price[1]]})
    # the review named in one sentence, the change asked for with a price in the next ("We read your 2-star
    # rating. If you could take it down, or at least edit it, we'd send you 20 euros.")
    for verb in idx.get("review:change_verb"):
        if verb.sent in done or not verb.sent or _negated(idx, verb) or idx.in_sentence(verb.sent, *ANY_REVIEW):
            continue
        if not [r for r in idx.in_sentence(verb.sent - 1, *ANY_REVIEW) if not _refused(idx, r)]:
            continue
        price = _price_in(ctx, idx, verb.sent)
        if price:
            done.add(verb.sent)
            yield Hit(*price, {"offer": ctx.text[price[0]:price[1]]})


def _contrasted(ctx: Context, idx: TermIndex, offer: Match, review: Match) -> bool:
    """The offer comes first and a contrast ("but", "mais", "aber") turns to the review, with no condition or
    exchange on it: "On va vous rembourser, pas de problème, mais la prochaine fois, lisez la notice avant
    d'écrire un commentaire à une étoile" (the refund is not for the review; "..., but only if you leave 5
    stars" keeps its condition)."""
    if offer.lang != review.lang or offer.tok_end > review.tok_start or offer.lang not in langdata.KNOWN:
        return False
    breaks = {fold(w) for w in langdata.words("clause_breaks", (offer.lang,))}
    doc = idx.doc_of(offer)
    turn = next((t for t in doc[offer.tok_end:review.tok_start] if fold(t.text) in breaks), None)
    if turn is None:
        return False
    after = [m for m in idx.in_sentence(review.sent, "lang:conditional", "review:exchange", "review:condition")
             if m.start >= turn.idx]
    return not after


def _price_in(ctx: Context, idx: TermIndex, sent: int) -> Optional[tuple[int, int]]:
    """The offer a sentence makes: its first incentive that is not refused, else its first money amount."""
    offers = [o for o in idx.in_sentence(sent, "review:incentive") if not _refused(idx, o)]
    if offers:
        return offers[0].start, offers[0].end
    money = sentence_money(ctx, sent)
    return money[0] if money else None


def rating_demand(ctx: Context) -> Iterator[Hit]:
    """Asking for a positive review or a particular star rating.

    What it flags: "leave us 5 stars", "a 5-star review", "positive feedback", "高評価", "星5",
    "5-Sterne-Bewertung", "avis 5 étoiles" when asked for (an ask, a review act or a condition
    in the sentence), and star-emoji rows.
    Why: review requests must be neutral; positive-only or star-rating requests are prohibited
    (POLICY REV-R03, MSG-C03, MSG-C05).
    Examples: flagged "We'd love it if you could leave us 5 stars"; fine "We never ask for 5 stars",
    "Whether your experience was good or bad, your review helps other shoppers."
    Known false positives: thanking a buyer for a 5-star review they already left, if phrased as an ask.
    Fix: ask for an honest review, whatever the buyer's experience.
    """
    idx = ctx_terms(ctx)
    positives = idx.get("review:positive")
    # the top rating named without stars or "positive" ("la valutazione di massimo livello", "full marks")
    positives += [t for t in idx.get("review:top_rating") if not overlaps_any(t, positives)]
    for p in positives:
        # a change verb asks only when it is about the review ("change it to 5 stars", not "thanks to your lovely
        # review we had to remove 40 units")
        changes = any(_governs(ctx, v, n) for v in idx.in_sentence(p.sent, "review:change_verb")
                      for n in idx.in_sentence(p.sent, *ANY_REVIEW))
        # "after you write the 5 stars comment, ... we will return £8": an exchange asks for the rating too
        ask = (idx.in_sentence(p.sent, "review:ask", "review:review_act", "review:condition", "review:incentive",
                               "review:exchange", "review:favour")
               or changes or (p.lang == "ja" and not _thanks_ja(ctx, p)))
        named = idx.in_sentence(p.sent, *ANY_REVIEW) or any(ch in ctx.text[p.start:p.end] for ch in "⭐★星") \
            or overlaps_any(p, idx.in_sentence(p.sent, "review:top_rating"))  # "ponerle la nota más alta"
        # "positive or negative", "positiva o negativa che sia": a neutral request
        balanced = any(0 <= n.tok_start - p.tok_end <= 3 or 0 <= p.tok_start - n.tok_end <= 3
                       for n in idx.in_sentence(p.sent, "review:negative")) or overlaps_any(
            p, idx.in_sentence(p.sent, "review:neutral"))  # "qu'elle soit positive ou non"
        # "a 5 ⭐ review would make our day": star emoji next to a review are a rating asked for, unless
        # the sentence thanks the buyer for one already left
        if not ask and any(ch in ctx.text[p.start:p.end] for ch in "⭐★") and not idx.in_sentence(
                p.sent, "unnecessary:thanks", "unnecessary:appreciation"):
            ask = any(not (r.start < p.end and p.start < r.end) for r in idx.in_sentence(p.sent, *ANY_REVIEW)) \
                or bool(regex.search(r"\d\s?$", ctx.text[max(0, p.start - 3):p.start])
                        or regex.search(r"\d", ctx.text[p.start:p.end]))  # "a quick 5 ⭐ on Amazon"
        if quoted(ctx.text, ctx.sentence_span(p.start)[0], p.start):
            continue  # 「5つ星ホテル仕様」, "5-Star Hotel" collection: a product name
        if p.lang == "ja" and _thanks_ja(ctx, p):
            continue  # 高いご評価をいただき、ありがとうございました: thanks for a rating given, not a request
        # "we cannot send a free set in return for a 5-star review": the offer is refused, and with it the rating
        # it would have been for
        refused_offer = any(idx.negated(i, REFUSING) for i in idx.in_sentence(p.sent, "review:incentive")) and \
            not idx.in_sentence(p.sent, "review:ask", "review:review_act")
        if ask and named and not balanced and not _negated(idx, p) and not refused_offer:
            yield Hit(p.start, p.end)
            return


def conditional_request(ctx: Context) -> Iterator[Hit]:
    """A review request aimed only at satisfied buyers ("if you love it, please leave a review").

    What it flags: a condition on the buyer's satisfaction ("if you are happy", "glad you love it",
    "wenn Sie zufrieden sind", "si vous êtes satisfait", "si está satisfecho", "se è soddisfatto",
    "ご満足いただけましたら") within a sentence of a review or feedback request; also a causal word
    ("since", "now that") with a satisfaction word in one clause ("Puisque vous êtes ravie", "Visto
    che sei soddisfatta", "Wenn Sie eh so zufrieden sind"), and a conditional a few words before a
    satisfaction word ("If the mower's treating you well"; in Japanese after it: "気に入ってもろてたら").
    A satisfaction word before the "if" is not enough: "we would be happy if you left a review" is the
    seller's wish, not a condition on the buyer.
    Why: asking only happy buyers is review gating (POLICY REV-R03, MSG-C03).
    Not flagged: the one neutral note, after a problem was resolved, that seller feedback can be
    updated or removed (POLICY REV-F02): "if you are satisfied that we have resolved it, it is
    possible to update or remove the feedback".
    Examples: flagged "If you're happy with it, please leave us a review"; fine "Whether your
    experience was good or bad, we'd value an honest review."
    Known false positives: a condition about something else next to a neutral review ask.
    Fix: drop the condition: ask every buyer the same neutral question.
    """
    idx = ctx_terms(ctx)
    conditions = idx.get("review:condition")
    # "since/as/if" + "satisfied/delighted/happy" in one clause, the satisfaction not negated
    conditions += [b for a, b in idx.cooccur(["review:since"], ["review:satisfied"], scope="clause")
                   if not idx.negated(b) and not overlaps_any(b, conditions)]
    # "If the mower's treating you well", "気に入ってもろてたら": a conditional right before the satisfaction
    # word (right after it in Japanese); "we would be happy if you left a review" has it the other way round
    conditions += [s for c, s in idx.cooccur(["lang:conditional"], ["review:satisfied"], scope="clause")
                   if _conditional_on(c, s) and not idx.negated(s)
                   and not overlaps_any(s, conditions)]
    for cond in sorted(conditions, key=lambda m: m.start):
        near = idx.near(cond, ANY_REVIEW, sentences=1)
        if not near:
            continue
        if any(_feedback_note(idx, s) for s in {cond.sent} | {m.sent for m in near}):
            continue  # "Wir freuen uns, dass ... Falls Sie möchten, können Sie Ihre Verkäuferbewertung aktualisieren"
        # "hágalo con total libertad, tanto si su experiencia ha sido buena como si no": the condition's own
        # sentence says either way
        if any(idx.in_sentence(s, "review:neutral") for s in {cond.sent} | {m.sent for m in near}):
            continue
        if not any(m.group in REVIEW or idx.in_sentence(m.sent, "review:ask", "review:positive") for m in near):
            continue
        yield Hit(cond.start, cond.end)
        return


def _conditional_on(cond: Match, satisfied: Match, reach: int = 4) -> bool:
    """``cond`` ("if", "wenn", "たら") makes ``satisfied`` a condition: it comes at most ``reach`` tokens
    before it, or in Japanese, which puts the conditional at the end of the clause, at most ``2 * reach``
    characters after it (気に入ってもろてたら, ご満足いただけましたら)."""
    if cond.lang != satisfied.lang:
        return False
    if cond.lang == "ja":
        return 0 <= cond.start - satisfied.end <= 2 * reach
    return 0 <= satisfied.tok_start - cond.tok_end <= reach


def _thanks_ja(ctx: Context, m: Match) -> bool:
    """A Japanese sentence that thanks for a rating already given (高いご評価をいただき、ありがとうございました)."""
    sentence = ctx.sentence(m.start)
    if not any(w in sentence for w in ("ありがとう", "感謝", "御礼", "お礼")):
        return False
    idx = ctx_terms(ctx)
    # "いつもありがとうございます…気に入ってもらえたら★★★★★でお願いしまーす": a greeting, then the rating asked for
    if any(a.start >= m.end for a in idx.in_sentence(m.sent, "review:ask")):
        return False
    # "星5つのレビューを書いてくれた方には、お礼に…お送り": a thank-you gift offered for the rating, not thanks for one
    return not idx.in_sentence(m.sent, "review:exchange", "review:give")


def _feedback_note(idx: TermIndex, sent: int) -> bool:
    """The REV-F02 neutral note: seller feedback, a change verb and 'it is possible' in one sentence."""
    return bool(idx.in_sentence(sent, *FEEDBACK) and idx.in_sentence(sent, "review:change_verb")
                and idx.in_sentence(sent, "review:possibility") and not idx.in_sentence(sent, "review:review_noun"))


def review_gating(ctx: Context) -> Iterator[Hit]:
    """Routing unhappy buyers to the seller instead of to reviews, or discouraging negative reviews.

    What it flags: "contact us first / before leaving a review", "instead of leaving negative
    feedback", "please don't leave negative feedback or a low rating", and any way to reach the
    seller with "first" in one clause ("flick me a message here first", "escríbanos primero",
    "まずうちに言うてください"), in six languages, when a review or feedback is named within a sentence;
    and the other branch of a conditional review request sent to the seller ("If the insoles helped,
    tell others about it on Amazon. If not, just reply here", "Sinon, écrivez-nous").
    Why: steering unhappy buyers away from reviews is review suppression (POLICY MSG-C04,
    REV-R03, REV-R08; FTC 16 CFR 465).
    Examples: flagged "If anything is wrong, contact us before leaving a review"; fine "If the item
    arrived damaged, reply to this message and we'll send a replacement" (no review named).
    Known false positives: "contact us first" in a message that separately asks neutrally for a review.
    Fix: offer help without mentioning reviews, and ask for reviews neutrally in a separate message.
    """
    idx = ctx_terms(ctx)
    # "flick me a message here first", "まずうちに言うてください": a way to reach the seller and "first" in
    # one clause is routing too
    routes = idx.get("review:routing") + [
        Match("review:routing", min(c.start, f.start), max(c.end, f.end), min(c.tok_start, f.tok_start),
              max(c.tok_end, f.tok_end), c.sent, c.clause, c.lang)
        for c, f in idx.cooccur(["review:contact_verb"], ["review:first"], scope="clause")
        if c.lang == f.lang and not idx.negated(c) and not idx.in_sentence(c.sent, "review:routing")]
    for r in sorted(routes, key=lambda m: m.start):
        # "レビューの代わりに何かもらえんかとのご質問ですが": the buyer's words reported, or a route taken back
        if idx.negated(r):
            continue
        # "lisez la notice avant d'écrire un commentaire": reading first, not writing to the seller first
        if idx.in_clause(r.clause, "review:read_first") and not idx.in_clause(r.clause, "review:contact_verb"):
            continue
        # a satisfaction condition nearby counts when a review, rating or stars are named within two sentences
        # ("If you're happy, five stars would help. If not, contact us first"); "Wenn ja, antworte mit OK, sonst
        # schreib mir" about a print proof names none
        # ("si la paellera le ha gustado, cuéntelo en la ficha de Amazon; si no, mejor díganoslo a nosotros": the
        # product page stands for the review when a satisfaction condition goes with it)
        if idx.near(r, ANY_REVIEW + ("review:positive", "review:negative"), sentences=1) or \
                (idx.near(r, ("review:condition",), sentences=1)
                 and idx.near(r, ANY_REVIEW + ("review:positive", "review:negative"), sentences=2)) or \
                any(idx.in_sentence(p.sent, "review:condition", "review:satisfied")
                    for p in idx.get("review:public_place") if abs(p.sent - r.sent) <= 1):
            yield Hit(r.start, r.end)
            return
    # "If the insoles helped, tell others about it on Amazon. If not, just reply here": the other branch of
    # a conditional review request, sent to the seller
    for o, c in idx.cooccur(["review:otherwise"], ["review:contact_verb"]):
        if o.lang != c.lang or c.start < o.end:
            continue
        asked = o.sent > 0 and idx.in_sentence(o.sent - 1, "lang:conditional", "review:condition") and \
            idx.in_sentence(o.sent - 1, *REVIEW)
        # both branches in one sentence: "if you're tickled with it, a good word on Amazon sure helps; if not,
        # holler at me here first"
        asked = asked or (any(m.end <= o.start for m in idx.in_sentence(o.sent, "lang:conditional", "review:condition"))
                          and any(m.end <= o.start for m in idx.in_sentence(o.sent, *REVIEW)))
        if asked:
            yield Hit(o.start, c.end)
            return
    # "wann Ihne de Trockner gefallt, schreiwe Se was Nettes. Un wann net, schreiwe Se liewer gar nix": the unhappy
    # branch of a satisfaction condition asked to write nothing
    for w in idx.get("review:write_nothing"):
        if idx.negated(w):
            continue
        unhappy = idx.in_sentence(w.sent, "review:otherwise") or idx.in_sentence(w.sent, "review:negative")
        happy = any(idx.in_sentence(s, "review:satisfied", "review:condition", *REVIEW)
                    for s in (w.sent, w.sent - 1) if s >= 0)
        if unhappy and happy:
            yield Hit(w.start, w.end)
            return
    for d in idx.get("review:discourage"):
        # "don't leave a bad review"; where the verb comes last, the review before it in its clause ("von einer
        # öffentlichen Bewertung abzusehen"); in Japanese anywhere before it: 星1はつけないでください
        target = [m for m in idx.in_sentence(d.sent, *ANY_REVIEW, "review:negative")
                  if m.start > d.start or (m.end <= d.start and (d.lang == "ja" or m.clause == d.clause))]
        if target:
            yield Hit(min(d.start, *(m.start for m in target)), max(d.end, *(m.end for m in target)))
            return


def _seller_note(idx: TermIndex, noun: Match, verb: Match) -> bool:
    """The review named is seller feedback ("sus comentarios como vendedor", "la opinión que dejaste sobre el
    vendedor") and the sentence says it can be updated: the neutral note POLICY REV-F02 allows."""
    return any(0 <= s.tok_start - noun.tok_end <= 6 for s in idx.in_sentence(noun.sent, "review:about_seller")) \
        and bool(idx.in_sentence(verb.sent, "review:possibility"))


def review_change_request(ctx: Context) -> Iterator[Hit]:
    """Asking the buyer to change, update or remove a product review.

    What it flags: a change verb (change, update, revise, edit, remove, delete, take down, retract;
    ändern, löschen, entfernen; modifier, supprimer, retirer; cambiar, eliminar, retirar; modificare,
    rimuovere; 削除, 修正, 変更) with a product review or rating in the same sentence, also inside a
    condition or threat ("if you don't remove your review ..."); in Japanese, which leaves the object
    out, also a change verb one or two sentences after the review is named
    ("星1レビューは不当です。金曜日までに削除してください"); and the review's staying or vanishing made
    the condition of a threat ("Wenn der Text nicht bis Freitag verschwunden ist, schalten wir unseren
    Anwalt ein", "if your review stays up, our lawyer ...").
    Why: sellers may never ask for a product review to be changed or removed, even after fixing
    the problem (POLICY REV-R05, MSG-C02, MSG-C12).
    Examples: flagged "Please delete the 1-star review you posted"; fine "You can leave a review
    from Your Orders", "We will review your return request".
    Known false positives: "review" used as a verb about the seller's own process next to a change verb.
    Fix: do not ask about the review; resolve the problem, and reply publicly if needed.
    """
    idx = ctx_terms(ctx)
    feedback = idx.get("review:feedback_noun")
    # a change phrase that names the review itself ("revoir votre note", "removal of your review")
    for verb in idx.get("review:change_verb"):
        # ... or a review phrase that holds the verb ("den Kommentar zu löschen": what non-native sellers call a review)
        inner = [n for n in idx.in_sentence(verb.sent, "review:review_noun")
                 if (verb.start <= n.start < verb.end or n.start <= verb.start < verb.end <= n.end)
                 and not inside(n, feedback)]
        if inner and not _refused(idx, verb) and not idx.negated(verb) and not _seller_note(idx, inner[0], verb):
            holder = inner[0] if inner[0].start <= verb.start and verb.end <= inner[0].end else verb
            yield Hit(holder.start, holder.end)
            return
    # the review named first; a star rating standing for it only where no review is named ("I've seen your
    # 1-star. ... Pull it down")
    pairs = idx.cooccur(("review:change_verb",), ("review:review_noun",), scope="sentence", window=2)
    pairs += idx.cooccur(("review:change_verb",), ("review:negative",), scope="sentence", window=2)
    for verb, noun in pairs:
        if noun.group == "review:negative" and not _STARS.search(ctx.text[noun.start:noun.end]):
            continue  # "I've seen your 1-star. ... Pull it down": a star rating stands for the review; "bad" does not
        if _refused(idx, verb):
            continue  # also "we may not offer anything for changing a review"
        if inside(noun, feedback):
            continue  # "los comentarios sobre el vendedor": seller feedback, RM005's business
        # "si lo deseas, puedes actualizar la opinión que dejaste sobre el vendedor": the review is seller feedback,
        # and the neutral note that it can be updated is allowed (POLICY REV-F02)
        if _seller_note(idx, noun, verb):
            continue

        if noun.sent == verb.sent and (_governs(ctx, verb, noun) or _passive_after(ctx, verb, noun)):
            yield Hit(*_span(verb, noun))
            return
        # "Your review is false. Remove it within 48 hours": the verb takes a pronoun for the review;
        # "... If it is not removed within 48 hours, ...", "3日以内に削除いただけない場合は": a condition on it
        # Japanese leaves the object out: "星1レビューは不当です。金曜日までに削除してください" (no other object
        # marked with を right before the verb)
        # (a particle right before the verb marks an object or target of its own: "お届け先に変更がないか";
        # "金曜日までに削除", "今週中に削除", "3日以内に削除" are times)
        before = ctx.text[max(0, verb.start - 3):verb.start]
        dropped = verb.lang == "ja" and verb.start > 0 and before[-1:] not in ("を", "が", "の") \
            and not (before.endswith("に") and before[-2:-1] not in "で中日内週月間後前")
        # the buyer's words quoted back (「星1つにするぞ」とのお言葉) name no review of the seller's asking
        if noun.sent != verb.sent and quoted(ctx.text, ctx.sentence_span(noun.start)[0], noun.start):
            continue
        if noun.sent in (verb.sent - 1, verb.sent - 2) and not _instruction(idx, verb) and (
                _pronoun_object(ctx, verb) or _in_condition(idx, verb) or dropped):
            yield Hit(verb.start, _clause_end(ctx, verb))
            return
    stays = _stay_threatened(idx, ("review:review_noun",), name_before=2)
    if stays and not any(inside(n, feedback) for n in idx.in_sentence(stays.sent, "review:review_noun")):
        yield Hit(stays.start, stays.end)


def feedback_removal_pressure(ctx: Context) -> Iterator[Hit]:
    """Asking or pressing the buyer to change or remove seller feedback.

    What it flags: a change verb with seller feedback in the same sentence when it is asked for,
    pressed or paid for ("please remove your negative feedback", "we are asking you again to
    remove it", "if you change your feedback we'll refund you"); the feedback named a sentence or two
    before and a pronoun for it with money or an offer ("la valoración negativa que nos dejó como
    vendedor ... Si la retira esta semana, le devolvemos 15 €"); the feedback's staying made the
    condition of a threat ("Se il feedback resta, ... avvocato").
    Not flagged: the neutral, optional note after a resolved problem that it is possible to update
    or remove the feedback (POLICY REV-F02): "it is possible to update or remove the feedback".
    Why: after resolving a problem a seller may only neutrally mention that feedback can be
    updated; pressure and incentives are violations (POLICY REV-F01, REV-F02).
    Examples: flagged "This is the fourth time we are asking you to remove your negative feedback";
    fine "If you feel we resolved the issue, you are welcome to update or remove the seller feedback."
    Known false positives: none known.
    Fix: send at most one neutral note after the problem is solved, saying it is possible to update
    the feedback, with no request, pressure or offer.
    """
    idx = ctx_terms(ctx)
    for verb, noun in idx.cooccur(("review:change_verb",), FEEDBACK, scope="sentence"):
        if _refused(idx, verb) or not _governs(ctx, verb, noun):
            continue
        s = verb.sent
        # "ora che il rimborso è stato emesso, ... può aggiornare il feedback": a refund already settled is no offer
        settled = idx.in_sentence(s, "review:settled")
        # the amount of a refund already made ("Ora che il rimborso di 42,00 € è stato emesso") offers nothing
        money = [x for x in sentence_money(ctx, s) if not (settled and x[0] < verb.start)]
        pressure = [m for m in idx.in_sentence(s, "review:incentive", "review:reminder") if not inside(m, settled)] \
            or money
        asked = idx.in_sentence(s, "review:ask")
        possible = idx.in_sentence(s, "review:possibility")
        if pressure or (asked and not possible) or not (possible or asked):
            yield Hit(*_span(verb, noun))
            return
    # "la valoración negativa que nos dejó como vendedor ... Si la retira esta semana, le devolvemos 15 €": the
    # verb takes a pronoun for the feedback named a sentence or two before, with money or an offer on it
    for verb, noun in idx.cooccur(("review:change_verb",), FEEDBACK, scope="sentence", window=2):
        if noun.sent not in (verb.sent - 1, verb.sent - 2) or _refused(idx, verb):
            continue
        if idx.in_sentence(verb.sent, "review:review_noun") and not idx.in_sentence(verb.sent, *FEEDBACK):
            continue  # a product review named in the verb's own sentence: RM004's
        if (_pronoun_object(ctx, verb) or _in_condition(idx, verb)) and (
                idx.in_sentence(verb.sent, "review:incentive", "review:reminder") or sentence_money(ctx, verb.sent)):
            yield Hit(verb.start, _clause_end(ctx, verb))
            return
    stays = _stay_threatened(idx, FEEDBACK)
    if stays:
        yield Hit(stays.start, stays.end)


RULES = (
    Rule("RI001", "review-incentive", "review.incentive", MESSAGE, Severity.ERROR,
         "Remove the offer '{offer}' linked to a review or feedback: anything of value for a review, "
         "or for changing one, is prohibited.", review_incentive),
    Rule("RM001", "rating-demand", "review.manipulation", MESSAGE, Severity.ERROR,
         "Do not ask for '{text}': review requests must be neutral, never for a rating or a positive review.",
         rating_demand),
    Rule("RM002", "conditional-review-request", "review.manipulation", MESSAGE, Severity.ERROR,
         "Remove the condition '{text}': asking only satisfied buyers for a review is review gating.",
         conditional_request),
    Rule("RM003", "review-gating", "review.manipulation", MESSAGE, Severity.ERROR,
         "Remove '{text}': steering unhappy buyers away from reviews is review suppression.",
         review_gating),
    Rule("RM004", "review-change-request", "review.manipulation", MESSAGE, Severity.ERROR,
         "Do not ask the buyer to change or remove a product review ('{text}'), even after fixing the problem.",
         review_change_request),
    Rule("RM005", "feedback-removal-pressure", "review.manipulation", MESSAGE, Severity.ERROR,
         "Do not ask or press the buyer to change seller feedback ('{text}'): after a fix, only mention once "
         "that it is possible to update it.", feedback_removal_pressure),
)
