"""Rules backed by the bundled text model (``msglint.textmodel``): CD007, UN008, MK009, RI002, RM010.

The phrase-list rules of conduct, unnecessary messages, marketing, review incentives and review
manipulation are precise but keep missing new wordings. These five rules ask the text model whether the whole
message reads like one of those categories, and report the sentence that reads most like it.
They are warnings, never errors, and are *fallbacks*: the linter keeps their finding only when no
other rule found the category in the message (the phrase lists speak first and say precisely
what is wrong).
"""
from __future__ import annotations

from typing import Iterator

from spacy.attrs import IS_ALPHA

from msglint.context import Context
from msglint.terms import ctx_terms
from msglint.model import Hit, Rule, Severity
from msglint.rules.unnecessary import permitted
from msglint.pipeline import doc_text
from msglint.spans import sentence_money, trimmed
from msglint.textmodel import bundled

MESSAGE = frozenset({"message"})
_CACHE = "textmodel"


def _probabilities(ctx: Context) -> dict[str, float]:
    """The model's probabilities for the check's text, computed once per check."""
    if _CACHE not in ctx.cache:
        ctx.cache[_CACHE] = bundled().probabilities(doc_text(ctx.doc))
    return ctx.cache[_CACHE]


def _sentences(ctx: Context) -> list[tuple[int, int]]:
    """(start, end) of each sentence with something in it, surrounding white space trimmed."""
    text = doc_text(ctx.doc)
    return [(a, b) for a, b in (trimmed(text, *s) for s in ctx.sentence_spans()) if a < b]


# the model reads too little in a message of fewer words than this ("Mail x@shop.com"): its rules stay silent
MIN_WORDS = 4


def _reaches(ctx: Context, category: str) -> bool:
    """The model's probability of ``category`` reaches its threshold (in a message of MIN_WORDS words or more)."""
    if "textmodel_words" not in ctx.cache:
        ctx.cache["textmodel_words"] = int(ctx.doc.to_array(IS_ALPHA).sum()) if len(ctx.doc) else 0
    if ctx.cache["textmodel_words"] < MIN_WORDS:
        return False
    return _probabilities(ctx).get(category, 0.0) >= bundled().threshold(category)


def _flag(ctx: Context, category: str) -> Iterator[Hit]:
    if not _reaches(ctx, category):
        return
    model = bundled()
    p = _probabilities(ctx)[category]
    text = doc_text(ctx.doc)
    sentences = _sentences(ctx)
    if not sentences:
        return
    # the sentence that, read alone, is most like the category; ties keep the first
    scored = [(model.probabilities(text[s:e])[category], -s, s, e) for s, e in sentences]
    _, _, start, end = max(scored)
    yield Hit(start, end, params={"percent": f"{round(100 * p)}"})


def hostile_tone(ctx: Context) -> Iterator[Hit]:
    """A message that reads as hostile, contemptuous or pressuring towards the buyer (text model).

    What it flags: messages the bundled text model reads as conduct towards the buyer (sarcasm,
    contempt for the buyer's competence, accusations, veiled threats, guilt-tripping) when none of
    CD001-CD006 found anything; the finding marks the sentence that reads most hostile, e.g.
    "Vielleicht lesen Sie beim nächsten Mal die Beschreibung, bevor Sie auf Kaufen klicken."
    Why: buyer messages must be courteous and appropriate; hostility, mockery and pressure are not
    allowed, however they are worded (POLICY MSG-C07, MSG-C08). The phrase lists cannot know every
    wording; the model recognises the family resemblance.
    Examples: flagged "We have sold thousands of these and you are the only one who can't get it
    working. Funny, isn't it?"; fine "We are sorry the manual was unclear. Page 4 shows the two screws that hold the
    base; we can also send a video if that helps."
    Known false positives: firm but polite refusals, and replies that quote a rude buyer, can read
    as hostile; the finding is a warning so that a person looks at it.
    Fix: say the facts and the next step once, politely, without judging the buyer.
    """
    yield from _flag(ctx, "conduct")


def no_order_purpose(ctx: Context) -> Iterator[Hit]:
    """A proactive message with no order purpose: thanks, check-ins, confirmations (text model).

    What it flags: messages the bundled text model reads as unnecessary (a thank-you note, "just
    checking in", a shipping or order confirmation, a cancellation request for the seller's own
    stock problem) when none of UN001-UN007 found anything and the message names no order purpose
    (replacement, refund, return, damage, delay, a real question) and does not answer the buyer,
    e.g. "Nous voulions simplement vous dire que nous espérons que le mixeur vous comble !"
    Why: Amazon permits proactive messages only when they are needed to complete the order or
    answer the buyer; everything else is not permitted (POLICY MSG-T02, MSG-T03, MSG-T04).
    Examples: flagged "Nous voulions simplement vous dire que nous espérons que le mixeur vous comble !";
    fine "Your replacement kettle ships tomorrow; the tracking number will be in your order details."
    Known false positives: a short reply to a buyer that does not show it is a reply; the finding
    is a warning so that a person looks at it.
    Fix: do not send it; put what matters into a message that answers the buyer or completes the order.
    """
    # a named order purpose or an answer to the buyer outweighs the model's guess (asked only when the
    # model speaks: the purpose analysis reads the whole message)
    if _reaches(ctx, "unnecessary") and not permitted(ctx):
        yield from _flag(ctx, "unnecessary")


def promotional_message(ctx: Context) -> Iterator[Hit]:
    """A message that reads as promotion: sales, other products, discounts to come back (text model).

    What it flags: messages the bundled text model reads as marketing when none of MK001-MK008
    found anything, e.g. "ちなみに、おそろいのクッションセットを発売しました。"
    Why: buyer messages may not promote products, sales, coupons or future orders
    (POLICY MSG-C02, MSG-C04, MSG-T05).
    Examples: flagged "A proposito, abbiamo appena lanciato un set di cuscini abbinati, dia
    un'occhiata al nostro negozio quando può!"; fine "The autumn model you asked about has the same
    charger as yours, so the spare one you ordered will fit."
    Known false positives: a reply that answers the buyer's own question about another product;
    the finding is a warning so that a person looks at it.
    Fix: remove the promotion; answer the buyer's question or complete the order only.
    """
    yield from _flag(ctx, "marketing")


# a review, rating or feedback named in any words: without one, nothing is offered or steered for one
_REVIEW_NAMED = ("review:review_noun", "review:review_act", "review:feedback_noun", "review:public_telling",
                 "review:public_place", "review:positive", "review:negative")


def review_reward_likely(ctx: Context) -> Iterator[Hit]:
    """A message that reads as offering something of value for a review (text model).

    What it flags: messages the bundled text model reads as a review incentive when RI001 found
    nothing, e.g. "Une fois votre commentaire publié, envoyez-nous une capture d'écran et on vous
    fait un geste."
    Why: nothing of value may be offered for writing, changing or removing a review or feedback
    (POLICY REV-R02, REV-R05, REV-R07, MSG-C01).
    Examples: flagged "Une fois votre commentaire publié, envoyez-nous une capture d'écran et on
    vous fait un geste."; fine "If you have a moment, we would appreciate it if you could share your
    experience with other buyers."
    Not flagged: a message that names no review, rating or feedback at all ("just post the goggles back to
    us and I'll refund you"); a request to change a review, a star-rating ask or review gating that names nothing of
    value (free, gift, refund, discount, voucher, money; gratis, Geschenk, cadeau, regalo, omaggio,
    プレゼント ...): the model reads "please delete the 1-star review" much like an offer, but with nothing
    offered it is review manipulation, not an incentive.
    Known false positives: a message that mentions both a review and a refund for another reason;
    the finding is a warning so that a person looks at it.
    Fix: ask for a review only in Amazon's neutral words, and never link it to anything of value.
    """
    idx = ctx_terms(ctx)
    # no review, rating or feedback named anywhere (in any words): whatever is offered, it is not offered for one
    if not idx.has(*_REVIEW_NAMED):
        return
    # something of value named only as already given ("Ya le procesamos el reembolso completo") offers nothing
    # an amount of money named ("noi ritornare 5 euro in Suo conto") is something of value too
    offered = any(not idx.in_sentence(v.sent, "review:settled") for v in idx.get("review:value")) or \
        any(sentence_money(ctx, s) and not idx.in_sentence(s, "review:settled")
            for s in range(len(ctx.sentence_spans())))
    if idx.has("review:change_verb", "review:positive", "review:condition", "review:routing") and not offered:
        return  # a change, rating or gating ask with nothing of value named: review manipulation, not an incentive
    yield from _flag(ctx, "review.incentive")



def review_manipulation_likely(ctx: Context) -> Iterator[Hit]:
    """A message that reads as steering the buyer's review: asking for a good one, a change, or silence (text model).

    What it flags: messages the bundled text model reads as review manipulation when none of RM001-RM009
    found anything and the message names a review, a rating or feedback in any words: a top rating asked for
    in new words, a review routed or discouraged, a change asked for after a fix, pressure about what was
    written, e.g. "Wenn alles passt, freuen wir uns über ein Zeichen von Ihnen auf der Produktseite, wenn
    nicht, bitte erst zu uns."
    Why: sellers may ask for a review only neutrally, once, from every buyer; steering its content, its
    rating or whether it is written at all is prohibited (POLICY REV-R03, REV-R05, REV-R08, MSG-C03,
    MSG-C04, MSG-C05).
    Examples: flagged "If the calligraphy brushes lived up to your hopes, a whole row of gold on the page
    would mean the world; if not, talk to us before anything goes up."; fine "You can leave a review from Your
    Orders if you wish; either way, thank you for your order."
    Not flagged: a message that names no review, rating or feedback at all; a message that offers something
    (a refund, a gift, money: the offer is RI001's or RI002's).
    Known false positives: a neutral review request next to an apology or a fixed problem can read as
    steering; the finding is a warning so that a person looks at it.
    Fix: ask for a review only in Amazon's neutral words (or use Request a Review), and never ask for a
    rating, a change or a first contact instead.
    """
    idx = ctx_terms(ctx)
    if not idx.has(*_REVIEW_NAMED):
        return
    # something offered: the offer is the violation (RI001, RI002); whether it also steers the review is for the
    # phrase rules to say, the model reads every offer for a review as steering it
    if idx.has("review:incentive", "review:value", "review:give"):
        return
    yield from _flag(ctx, "review.manipulation")

RULES = (
    Rule("CD007", "hostile-tone", "conduct", MESSAGE, Severity.WARNING,
         "'{text}' reads as hostile or pressuring towards the buyer (text model, {percent}%): say the facts and the "
         "next step politely.", hostile_tone, fallback=True),
    Rule("UN008", "no-order-purpose", "unnecessary", MESSAGE, Severity.WARNING,
         "This message reads as one with no order purpose, e.g. '{text}' (text model, {percent}%): send only what "
         "answers the buyer or completes the order.", no_order_purpose, fallback=True),
    Rule("MK009", "promotional-message", "marketing", MESSAGE, Severity.WARNING,
         "'{text}' reads as promotion (text model, {percent}%): buyer messages may not advertise products, sales "
         "or future orders.", promotional_message, fallback=True),
    Rule("RI002", "review-reward-likely", "review.incentive", MESSAGE, Severity.WARNING,
         "'{text}' reads as offering something for a review (text model, {percent}%): never link a review to "
         "anything of value.", review_reward_likely, fallback=True),
    Rule("RM010", "review-manipulation-likely", "review.manipulation", MESSAGE, Severity.WARNING,
         "'{text}' reads as steering the buyer's review (text model, {percent}%): ask for a review only in "
         "Amazon's neutral words, or not at all.", review_manipulation_likely, fallback=True),
)
