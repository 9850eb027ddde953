"""Marketing (MK): coupons, discounts on future orders, sales, other or new products, storefront
promotion, newsletters, "follow us" and referral schemes.

Buyer messages may only serve the order; marketing of any kind, even one line inside an
otherwise permitted message, is prohibited (POLICY MSG-T01, MSG-T05). The words used for it
("code", "discount", "collection", "follow") also appear in compliant replies, so most rules
want two things in one sentence: a discount and a future order, a look verb and a product
range, a code word and a code-shaped word. Explaining a price ("the $5.00 coupon you clipped was
applied by Amazon") and refusing ("we aren't able to offer discount codes") are not marketing.

Term lists: ``wordlists/marketing/<lang>.yml``.
"""
from __future__ import annotations

from typing import Iterator

import regex

from msglint.contactscan import links
from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint import lang as langdata
from msglint.spans import followed_by, one_per_sentence, span
from msglint.terms import REFUSING, Match, TermIndex, ctx_terms

MESSAGE = frozenset({"message"})
_G = "marketing:"

# an amount: "15%", "-15 %", "10 €", "$10", "500円"
_AMOUNT = lazy(regex.compile,
    r"\d+(?:[.,]\d+)?\s?(?:%|％|percent\b|per\s?cent\b|prozent\b|pour\s?cent\b|por\s?ciento\b|per\s?cento\b|割)"
    r"|[$€£¥￥]\s?\d|\d(?:[.,]\d+)?\s?(?:€|\$|£|円|EUR\b|USD\b|GBP\b|euros?\b|dollars?\b|pounds?\b)",
    regex.IGNORECASE,
)
# a discount written as one token or in Japanese: "10%OFF", "10％オフ", "500円引き", "2割引"
_OFF = lazy(regex.compile, r"\d+\s?(?:[%％]|円)\s?(?:off|オフ|引き)|\d+\s?割引|[%％]\s?off\b", regex.IGNORECASE)
# a promo code: upper-case letters and digits (SAVE20, BIENVENUE15, WELCOME), not an ASIN
_CODE = lazy(regex.compile, r"[A-Z][A-Z0-9]{3,19}")
_ASIN = lazy(regex.compile, r"B0[A-Z0-9]{8}")
_NOT_CODES = frozenset({"ASIN", "HTTPS", "HTTP", "AMAZON", "BELOW", "ABOVE", "HERE", "THIS", "THAT", "ORDER", "CODE", "PROMO"})


def _sentence_text(ctx: Context, m: Match) -> tuple[int, str]:
    a, b = ctx.sentence_span(m.start)
    return a, ctx.text[a:b]


_AMOUNT_BEFORE = lazy(regex.compile, r"(?:[$€£¥￥]\s?)?[-−]?\d+(?:[.,]\d+)?\s?(?:[$€£¥￥]\s?)?$")
_AMOUNT_AFTER = lazy(regex.compile,
    r"\s?(?:un\s|una\s|uno\s)?(?:[$€£¥￥]\s?)?\d+(?:[.,]\d+)?(?:\s?(?:%|％|€|\$|£|円|percent\b))?")


def _with_amount(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """Widen a discount span to its amount: "30" + "% off", "$10" + "off", "save" + " 15%"."""
    m = _AMOUNT_BEFORE.search(ctx.text[max(0, start - 14):start])
    if m and m.group().strip():
        start -= len(m.group().lstrip())
    m = _AMOUNT_AFTER.match(ctx.text, end)
    if m and any(c.isdigit() for c in m.group()):
        end = m.end()
    return start, end


def _for_a_review(idx: TermIndex, sent: int) -> bool:
    """The saving is offered for writing or changing a review or feedback: by this project's convention that is
    ``review.incentive`` (with ``review.manipulation`` for a change), not marketing."""
    return bool(idx.in_sentence(sent, "review:review_noun", "review:feedback_noun", "review:review_act"))




def _for_a_change(idx: TermIndex, sent: int) -> bool:
    """The saving is the price of changing or removing a review or feedback ("take down the feedback and we'll
    add a voucher to your next order"): ``review.incentive`` and ``review.manipulation``, not marketing. A
    discount on the next order for writing a review is marketing as well."""
    return bool(idx.in_sentence(sent, "review:change_verb")) and _for_a_review(idx, sent)


def _explained(idx: TermIndex, sent: int) -> bool:
    """The sentence explains a price or an Amazon promotion rather than offering one."""
    return bool(idx.in_sentence(sent, _G + "explain"))


# --- MK001 coupon codes ------------------------------------------------------------------------------

def _code_after(ctx: Context, idx: TermIndex, m: Match):
    """A code-shaped word within two tokens (quotes, colon, 「」 skipped) after ``m``."""
    skipped = 0
    for tok in idx.tokens(m, after=4)[m.tok_end - m.tok_start:]:
        if tok.is_punct or tok.text in ("«", "»", "「", "」", "“", "”", '"', "'", "‘", "’", "the", "le", "der", "den", "dem",
                                        "el", "il", "lo"):
            continue
        word = tok.text
        if _CODE.fullmatch(word) and word not in _NOT_CODES and not _ASIN.fullmatch(word) and (
                any(c.isdigit() for c in word) or len(word) >= 5):
            return tok
        skipped += 1
        if skipped >= 2:
            return None
    return None


_QUOTES = {"「": "」", "“": "”", '"': '"', "'": "'", "«": "»", "‘": "’", "『": "』"}


def _code_end(ctx: Context, start: int, tok) -> int:
    """End of the code word, with its closing quote when the opening one is inside the span."""
    end = tok.idx + len(tok.text)
    opener = ctx.text[tok.idx - 1] if tok.idx > start else ""
    if opener in _QUOTES and ctx.text[end:end + 1] == _QUOTES[opener]:
        end += 1
    return end


def coupon_code(ctx: Context) -> Iterator[Hit]:
    """Coupon or promo code offered to the buyer.

    What it flags: "use code SAVE20", "with code REVIEW30", "promo code", "discount code",
    "Gutscheincode SOMMER10", "code promo", "le code BIENVENUE15", "código de descuento",
    "codice sconto", "クーポンコード"; "code", "with code", "use code" only when a code-shaped word (capitals and
    digits) follows it and the sentence speaks of a discount, an amount, a future order or a sale.
    Why: coupons and promotions are marketing, prohibited in buyer messages even inside a
    permitted message (POLICY MSG-T05, MSG-T01).
    Examples: flagged "Use code SPRING20 for 20% off your next purchase"; fine "We aren't able
    to offer discount codes through messages", "error code E-105", "the gate code 4471".
    Known false positives: a reply about a code the buyer used ("the promo code you entered")
    is skipped only when the sentence says so.
    Fix: remove the code; a buyer message may not promote.
    """
    idx = ctx_terms(ctx)
    hits = []
    for m in idx.live(_G + "code", policy=REFUSING):
        if _explained(idx, m.sent):
            continue
        tok = _code_after(ctx, idx, m)
        end = _code_end(ctx, m.start, tok) if tok is not None else m.end
        hits.append((m.sent, Hit(m.start, end)))
    for m in idx.live(_G + "code_cue", policy=REFUSING):
        tok = _code_after(ctx, idx, m)
        if tok is None or _explained(idx, m.sent):
            continue
        # "enter code ABCD1234 at the gate", "error code: E105": a code is a promo code only in a sentence
        # that also speaks of a discount, an amount, an order to come or a sale
        if not (idx.in_sentence(m.sent, _G + "discount", _G + "future", _G + "sale", _G + "offer_gift")
                or _AMOUNT.search(_sentence_text(ctx, m)[1])):
            continue
        hits.append((m.sent, Hit(m.start, _code_end(ctx, m.start, tok))))
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(hits)


# --- MK002 discounts on future orders -----------------------------------------------------------------

def future_discount(ctx: Context) -> Iterator[Hit]:
    """Discount, coupon or saving on a future order, or a discount handed over as a gift.

    What it flags: a discount ("% off", "discount", "coupon", "voucher", "Rabatt", "réduction",
    "descuento", "sconto", "割引", "10%OFF") or a saving with an amount ("save 15%", "sparen
    Sie 10 %", "ahorras un 10 %") in the same sentence as a future order ("your next order",
    "next time", "nächste Bestellung", "prochain achat", "próxima compra", "prossimo acquisto",
    "次回"); gifts such as "here's a coupon", "an exclusive discount for you"; and a price elsewhere
    compared with Amazon's ("cheaper than on Amazon", "günstiger als bei Amazon", "アマゾンより安く").
    Not flagged when the saving is for paying outside Amazon ("pay by Bizum next time and save
    10%": that is ``offplatform`` only, by this project's labelling convention), when the sentence
    explains a price, when it is the price of changing or removing a review or feedback
    (``review.incentive``), or when it is negated. A discount on the next order offered for writing a
    review is marketing and ``review.incentive`` both.
    Why: discounts on future purchases are marketing (POLICY MSG-T05, MSG-T07).
    Examples: flagged "get 30% off your next order", "Profitez de -15 % sur votre prochain
    achat"; fine "We can't offer a discount on future orders", "we've issued a partial refund
    of $12.50", "free returns for 30 days".
    Known false positives: a sentence that mentions a saving and, separately, "next time".
    Fix: remove the discount; if the buyer had a problem, offer a refund or replacement instead.
    """
    idx = ctx_terms(ctx)
    hits = []
    for f in idx.live(_G + "future", policy=REFUSING):
        if idx.in_sentence(f.sent, "offplatform:payment") or _explained(idx, f.sent) or _for_a_change(idx, f.sent):
            continue
        found = [(d.start, d.end) for d in idx.in_sentence(f.sent, _G + "discount")
                 if not idx.negated(d, REFUSING) and not (d.start < f.end and f.start < d.end)]
        if not found:
            base, text = _sentence_text(ctx, f)
            off = _OFF.search(text)
            saves = [s for s in idx.in_sentence(f.sent, _G + "save") if not idx.negated(s, REFUSING)]
            if off:
                found = [(base + off.start(), base + off.end())]
            elif saves and _AMOUNT.search(text):
                found = [(s.start, s.end) for s in saves]
        if found:
            d_start, d_end = _with_amount(ctx, min(a for a, _ in found), max(b for _, b in found))
            if abs(f.start - d_start) > 60:  # far apart: report the discount, the key term
                hits.append((f.sent, Hit(d_start, d_end)))
            else:
                hits.append((f.sent, Hit(min(f.start, d_start), max(f.end, d_end))))
    # a price compared with Amazon's ("on our own site it's a tenner cheaper", "アマゾンより安う"): a saving
    # offered elsewhere; a saving for paying another way is offplatform only (see above)
    # ... or a discount for going round Amazon ("アマゾンの手数料がないぶんディスカウントできます"); "dort fallen
    # für uns keine Amazon-Gebühren an" alone offers the buyer nothing
    elsewhere = idx.live("offplatform:cheaper", policy=REFUSING) + [
        m for m in idx.live("offplatform:outside", policy=REFUSING)
        if any(not idx.negated(d, REFUSING) for d in idx.in_sentence(m.sent, _G + "discount"))]
    for m in elsewhere:
        if not idx.in_sentence(m.sent, "offplatform:payment") and not _explained(idx, m.sent):
            hits.append((m.sent, Hit(m.start, m.end)))
    for m in idx.live(_G + "offer_gift", policy=REFUSING):
        if not _explained(idx, m.sent) and not _for_a_review(idx, m.sent):
            hits.append((m.sent, Hit(*_with_amount(ctx, m.start, m.end))))
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(hits)


def _merge_touching(ctx: Context, hits: list[tuple[int, Hit]]) -> list[tuple[int, Hit]]:
    """Join hits of one sentence that overlap or touch ("just launched" + "our new cast iron range")."""
    out: list[tuple[int, Hit]] = []
    for sent, hit in hits:
        if out and out[-1][0] == sent and hit.start <= out[-1][1].end + 1 and not ctx.text[out[-1][1].end:hit.start].strip():
            prev = out[-1][1]
            out[-1] = (sent, Hit(prev.start, max(prev.end, hit.end), prev.params, prev.severity))
        else:
            out.append((sent, hit))
    return out


# --- MK003 other and new products -----------------------------------------------------------------------

# where "more sizes" can be bought: the seller's shop on or off Amazon
_SHOP_PLACES = (_G + "shop", "offplatform:market", "offplatform:own_site")


def product_promotion(ctx: Context) -> Iterator[Hit]:
    """Promotion of other or new products: cross-selling, launches, collections, "check out our range".

    What it flags: "you might also like our matching pillowcases", "just launched our new cast
    iron range", "take a look at the whole collection", "check it out in our Amazon store",
    "new arrivals", "first looks at new designs", "we have more sizes in our Etsy shop", "our
    new pan has just come out", "our packing cubes landed on Amazon this week", a release announced
    with its time ("a novembre esce il pressino in titanio"),
    "das könnte Ihnen auch gefallen", "découvrez notre nouvelle collection", "descubre nuestra
    nueva colección", "scopri le nuove collezioni", "新商品"; in six languages.
    Severity: error; "it also comes in walnut" alone is a warning (a reply to "does it come in
    walnut?" uses the same words).
    Why: promoting other products is marketing, prohibited in buyer messages (POLICY MSG-T05,
    MSG-T01).
    Examples: flagged "Did you know it also comes in oak? Take a look at the whole collection in
    our Amazon storefront"; fine "we've sent a new unit", "the new model fixes this", "take a
    look at the manual".
    Known false positives: a buyer who asked for other products ("do you sell a matching
    lid?") gets a warning or an error for the answer.
    Fix: remove the promotion; answer only what the order needs.
    """
    idx = ctx_terms(ctx)
    hits = []
    for m in idx.live(_G + "crosssell", policy=REFUSING):
        if _for_a_review(idx, m.sent) and idx.in_sentence(m.sent, "review:incentive"):
            continue  # a matching product given away for a review: review.incentive, not cross-selling
        hits.append((m.sent, Hit(m.start, m.end)))
    for m in idx.live(_G + "new_marker", policy=REFUSING):
        nouns = [n for n in idx.in_sentence(m.sent, _G + "range_noun") if 0 <= n.tok_start - m.tok_end <= 4]
        if nouns:
            hits.append((m.sent, Hit(m.start, nouns[0].end)))
        elif idx.in_sentence(m.sent, _G + "launched"):
            # "our new cast-iron pan has just come out", "è appena uscito il nostro nuovo macinacaffè"
            hits.append((m.sent, Hit(m.start, m.end)))
    # "Our packing cubes landed on Amazon this week", "hemos lanzado la bruma facial": a launch of the
    # seller's own product (the sentence names the seller, its shop or a range)
    for m in idx.live(_G + "launch", policy=REFUSING):
        if idx.in_sentence(m.sent, _G + "own", _G + "shop", _G + "range_noun", _G + "new_marker"):
            hits.append((m.sent, Hit(m.start, m.end)))
    # "a novembre esce il pressino in titanio", "来月から小さい版も出しますんで": a coming release announced
    for m in idx.live(_G + "launch_timed", policy=REFUSING):
        hits.append((m.sent, Hit(m.start, m.end)))
    # "Ergänzend möchten wir Sie auf unsere neue Hantelbank hinweisen": a new product pointed out
    for look, new in idx.cooccur((_G + "look",), (_G + "new_marker",), scope="sentence"):
        if not idx.negated(look, REFUSING):
            hits.append((look.sent, Hit(*span(look, new))))
    for look, prod in idx.cooccur((_G + "look",), (_G + "products",), scope="sentence"):
        if idx.negated(look, REFUSING):
            continue
        hits.append((look.sent, Hit(*span(look, prod))))
    for more, shop in idx.cooccur((_G + "more",), _SHOP_PLACES, scope="sentence"):
        if idx.negated(more, REFUSING):
            continue
        hits.append((more.sent, Hit(*span(more, shop))))
    # "more accessories for the cellar at www.pfalz-kellerbedarf.de": more products where a link leads, not Amazon
    mores = [m for m in idx.get(_G + "more") if not idx.negated(m, REFUSING)]
    if mores:
        for link in links(ctx):
            if link.kind in ("link", "disguised", "shortener") and "amazon" not in link.host.lower():
                for m in mores:
                    if ctx.sentence_span(m.start) == ctx.sentence_span(link.start):
                        hits.append((m.sent, Hit(*span(m, link))))
    strong = {s for s, _ in hits}
    for m in idx.live(_G + "crosssell_weak", policy=REFUSING):
        if m.sent not in strong and not (_for_a_review(idx, m.sent) and idx.in_sentence(m.sent, "review:incentive")):
            hits.append((m.sent, Hit(m.start, m.end, severity=Severity.WARNING)))
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(_merge_touching(ctx, hits))


# --- MK004 storefront links ------------------------------------------------------------------------------

_STOREFRONT = lazy(regex.compile,
    r"(?i)(?:https?://)?(?:www\.|smile\.)?amazon\.(?:com|co\.uk|de|fr|es|it|co\.jp|ca|com\.au|com\.mx|nl|se|pl|com\.be|com\.tr|ae|sa|in|sg|com\.br)"
    r"/(?:stores/|shops/|s\?(?:[^\s]*&)?me=|sp\?(?:[^\s]*&)?seller=)[^\s<>\"')\]]*"
)
_TRAIL = ".,;:!?)]}'\"»”’"


def storefront_link(ctx: Context) -> Iterator[Hit]:
    """Link to an Amazon storefront or seller page used to show other products.

    What it flags: ``amazon.com/stores/<Brand>/page/...``, ``amazon.de/shops/<seller>``,
    ``amazon.co.uk/s?me=<seller>`` and ``amazon.fr/sp?seller=...`` on every marketplace.
    Why: Amazon links are not contact details, but a storefront link in a buyer message
    promotes other products; the policy conflict on Amazon links is settled here as an error
    for storefront and other-product links (POLICY MSG-L03, section 8, MSG-T05).
    Examples: flagged "Take a look at the whole collection: https://www.amazon.com/stores/MapleMoss/page/8E2A";
    fine "https://www.amazon.com/review/create-review?asin=B0C7TR5Q2M", "Your Orders".
    Known false positives: none known.
    Fix: remove the link.
    """
    text = ctx.text
    if "amazon." not in text.lower():
        return
    for m in _STOREFRONT.finditer(text):
        url = m.group().rstrip(_TRAIL)
        yield Hit(m.start(), m.start() + len(url), {"url": url})


# --- MK005 newsletters and clubs -------------------------------------------------------------------------

def newsletter_signup(ctx: Context) -> Iterator[Hit]:
    """Newsletter, mailing list, club or members-only offer.

    What it flags: "newsletter", "mailing list", "members-only offers", "VIP club", "loyalty
    programme", "reply JOIN", "unsubscribe", and "sign up/subscribe/join" with "offers",
    "updates", "news" or "deals" in the same sentence; Newsletter, lettre d'information,
    boletín, メルマガ in six languages.
    Why: newsletter sign-ups are marketing communications (POLICY MSG-T01, MSG-T05, MSG-L05).
    Examples: flagged "Reply JOIN to get our monthly newsletter"; fine "you can register the
    warranty by replying here", "Subscribe & Save" (Amazon's own programme).
    Known false positives: none known.
    Fix: remove the sign-up.
    """
    idx = ctx_terms(ctx)
    hits = [(m.sent, Hit(m.start, m.end)) for m in idx.live(_G + "newsletter", policy=REFUSING)]
    for sub, news in idx.cooccur((_G + "subscribe",), (_G + "news",), scope="sentence"):
        if not idx.negated(sub, REFUSING):
            hits.append((sub.sent, Hit(*span(sub, news))))
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(hits)


# --- MK006 follow us ----------------------------------------------------------------------------------------

def follow_us(ctx: Context) -> Iterator[Hit]:
    """A request to follow, like or join the seller somewhere ("Follow us on Instagram").

    What it flags: "follow us", "like us on Facebook", "find us on TikTok", "join us on",
    "tag us", "subscribe to our channel", "folgen Sie uns", "suivez-nous", "síguenos",
    "seguici", "フォローしてください". The platform named after it is also an ``offplatform``
    finding (the project's convention: "Follow us on <platform>" is marketing and offplatform).
    Why: follow requests promote the brand (POLICY MSG-T01, MSG-T05, MSG-L01).
    Examples: flagged "Follow us on Instagram @lumorahome"; fine "follow the steps below",
    "please follow up with us here", "find us on Amazon".
    Known false positives: none known.
    Fix: remove the request.
    """
    idx = ctx_terms(ctx)
    for m in idx.live(_G + "follow", policy=REFUSING):
        if followed_by(idx, m, langdata.common().amazon_names, 2):
            continue
        yield Hit(m.start, m.end)
    # "Auf Instagram zeigen wir jede Woche neue Rezepte – einfach nach „Dörrliebe“ suchen": a social network
    # with a look or search cue is a follow request too
    if not idx.has(_G + "follow"):
        for p in idx.live("offplatform:social", policy=REFUSING):
            if idx.in_sentence(p.sent, "offplatform:dm", "offplatform:msg_app", "offplatform:app_context") or \
                    idx.near(p, ("conduct:threat", "conduct:accusation"), sentences=1):
                continue  # a DM or a threat is offplatform or conduct, not promotion
            cue = [c for c in idx.in_sentence(p.sent, _G + "look") if not idx.negated(c)]
            if cue:
                yield Hit(*span(p, cue[0]))
                return


# --- MK007 referral schemes ---------------------------------------------------------------------------------

def referral_scheme(ctx: Context) -> Iterator[Hit]:
    """Referral scheme or request to recommend the shop ("refer a friend and you'll both get $10").

    What it flags: "refer a friend", "referral code", "invite your friends", "tell your friends
    about us", "you'll both get", "Freunde werben", "parrainage", "recomienda a un amigo",
    "invita un amico", "友達紹介".
    Why: referral schemes are marketing (POLICY MSG-T05, MSG-T01).
    Examples: flagged "refer a friend to our Amazon store and you'll both get $10 off";
    fine "if your friends have questions, they can message us through Amazon" (no scheme).
    Known false positives: none known.
    Fix: remove the referral offer.
    """
    idx = ctx_terms(ctx)
    hits = [(m.sent, Hit(m.start, m.end)) for m in idx.live(_G + "referral", policy=REFUSING)]
    yield from one_per_sentence(hits)


# --- MK008 sales and special offers ------------------------------------------------------------------------

def sale_announcement(ctx: Context) -> Iterator[Hit]:
    """A sale, deal or special offer announced to the buyer ("flash deals", "our summer sale").

    What it flags: "flash deals", "summer sale", "Black Friday deals", "exclusive offers",
    "limited-time offer", "early access", "buy one get one", "Sonderangebote", "soldes",
    "rebajas", "saldi", "タイムセール"; in six languages; and lower prices in the seller's own shop
    ("prezzi più bassi che su Amazon", "más baratos en nuestra web") or a one-day offer
    ("Aujourd'hui seulement").
    Why: announcing sales is marketing (POLICY MSG-T01, MSG-T05).
    Examples: flagged "Join our channel for flash deals before they hit Amazon"; fine "the price
    dropped during a Lightning Deal run by Amazon" (explaining a price), "we don't run sales".
    Known false positives: a buyer's own question about a sale quoted back.
    Fix: remove the offer.
    """
    idx = ctx_terms(ctx)
    hits = [(m.sent, Hit(m.start, m.end)) for m in idx.live(_G + "sale", policy=REFUSING) if not _explained(idx, m.sent)]
    # "this month all our mushroom kits are 20% off", "diesen Monat sind alle unsere Sets um 20 % reduziert": a discount on
    # the seller's own products for a time is a sale announced, without the word "sale"
    for d in idx.live(_G + "discount", policy=REFUSING):
        if idx.in_sentence(d.sent, _G + "window") and idx.in_sentence(d.sent, _G + "own") \
                and not _explained(idx, d.sent) and not _for_a_review(idx, d.sent):
            hits.append((d.sent, Hit(*_with_amount(ctx, d.start, d.end))))
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(hits)


RULES = (
    Rule("MK001", "coupon-code", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': coupons and promo codes are marketing, which Amazon does not allow in buyer messages.",
         coupon_code),
    Rule("MK002", "future-discount", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': discounts on future orders are marketing, which Amazon does not allow in buyer messages.",
         future_discount),
    Rule("MK003", "product-promotion", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': promoting other or new products is marketing, which Amazon does not allow in buyer messages.",
         product_promotion),
    Rule("MK004", "storefront-link", "marketing", MESSAGE, Severity.ERROR,
         "Remove the storefront link '{url}': linking to your other products is promotion.",
         storefront_link),
    Rule("MK005", "newsletter-signup", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': newsletters, clubs and members-only offers are marketing.",
         newsletter_signup),
    Rule("MK006", "follow-us", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': asking buyers to follow or like you is marketing.",
         follow_us),
    Rule("MK007", "referral-scheme", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': referral schemes are marketing, which Amazon does not allow in buyer messages.",
         referral_scheme),
    Rule("MK008", "sale-announcement", "marketing", MESSAGE, Severity.ERROR,
         "Remove '{text}': announcing sales and special offers is marketing, which Amazon does not allow in buyer messages.",
         sale_announcement),
)
