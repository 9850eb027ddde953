"""Listing text: promotion (LP), rank and badge claims (LR) and prohibited claims (LC).

Listings are checked field by field (``ctx.field``: title, bullet, description, search_terms;
no field counts as a description). The term lists are ``wordlists/listing/<lang>.yml``, one
per language with the same groups, matched by the one engine (``msglint.terms``: the check's
term index holds them as ``listing:<group>``), which ``listing_format`` reads too.

Which list is used: the text's pipeline language, or another language of the marketplace
when the text's articles and prepositions say so (French on amazon.ca, Spanish on .com).

Facts are not claims: "100% cotton", "Pack of 2", "2-year manufacturer warranty", "cures in
24 hours" (epoxy), "#1 Phillips bit", "No. 10 envelopes", "Top Rack Dishwasher Safe" and
"Cold Rated to -30" pass; the claim groups need a claim shape (a verb with a disease, a
number with a rank word), and the look-alikes are listed as exceptions.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import regex

from msglint.context import Context
from msglint.lazyre import lazy
from msglint.lexicon import fold
from msglint.lang import term_language as _term_language
from msglint.model import Hit, Rule, Severity
from msglint.spans import hits, merge_spans as _merge_spans, overlaps_any as overlaps, quoted
from msglint.terms import Match, TermIndex, ctx_terms, family_data, family_words

LISTING = frozenset({"listing"})
FAMILY = "listing"
TITLE = frozenset({"title"})
SEARCH_TERMS = frozenset({"search_terms"})
TITLE_AND_SEARCH = frozenset({"title", "search_terms"})


# --- term lists ---------------------------------------------------------------------------

def listing_data(lang: str) -> dict:
    """The checked ``wordlists/listing/<lang>.yml`` (terms, exceptions and plain word lists)."""
    return family_data(FAMILY, lang)


def word_set(lang: str, key: str) -> frozenset:
    """A plain word list of the language file (stopwords, rank_after ...), folded."""
    return family_words(FAMILY, lang, key)


def term_languages(ctx: Context) -> tuple[str, ...]:
    """The languages whose listing lists apply, the text's primary language first (msglint.languages)."""
    langs = [ctx.lang]
    if ctx.languages is not None and ctx.field != "search_terms":
        for code in ctx.languages.term_langs():
            t = _term_language(code)
            if t not in langs:
                langs.append(t)
    return tuple(langs)


def term_language(ctx: Context) -> str:
    """The main language of the listing lists that apply (see ``term_languages``)."""
    return term_languages(ctx)[0]


def words_of(ctx: Context, key: str) -> frozenset:
    """A plain word list (stopwords, rank_after ...) of every language that applies."""
    langs = term_languages(ctx)
    if len(langs) == 1:
        return word_set(langs[0], key)
    return frozenset().union(*(word_set(l, key) for l in langs))


def listing_terms(ctx: Context) -> TermIndex:
    """The check's term index (msglint.terms): the listing groups are ``listing:<group>``."""
    return ctx_terms(ctx)


def merge_spans(ctx: Context, spans, joiner=None) -> list[tuple]:
    return _merge_spans(ctx.text, spans) if joiner is None else _merge_spans(ctx.text, spans, joiner)


@lru_cache(maxsize=None)
def g(*groups: str) -> tuple[str, ...]:
    """Group keys of the listing family: g("sale", "cheap") -> ("listing:sale", "listing:cheap")."""
    return tuple(f"{FAMILY}:{x}" for x in groups)


def field_of(ctx: Context) -> str:
    """The listing field; a listing checked without one is treated as a description."""
    return ctx.field or "description"


# --- listing.promo ---------------------------------------------------------------------------


_PERCENT_OFF = lazy(regex.compile,
    r"(?<![\w.,])(?:-\s?)?\d{1,2}(?:[.,]\d+)?\s?%\s?(?:off\b|rabatt|günstiger|reduziert|billiger|"
    r"de\s+(?:réduction|remise|descuento)|di\s+sconto|de\s+dto|dto\b|オフ|引き|割引)"
    r"|(?:\bsave|\bspare|sparen\s+sie|économisez|ahorra|ahorre|risparmia|risparmi)\s+(?:up\s+to\s+|bis\s+zu\s+|jusqu'à\s+|hasta\s+(?:un\s+)?|fino\s+al?\s+)?"
    r"\d{1,2}(?:[.,]\d+)?\s?%"
    r"|(?<![\w.,])-\d{1,2}\s?%(?!\w)"
    r"|\d{1,2}\s?割引|\d{1,2}\s?%\s?off",
    regex.IGNORECASE,
)


def sale_or_discount(ctx: Context) -> Iterator[Hit]:
    """Sale, discount, deal, coupon or bargain-price wording in listing text.

    What it flags: "sale", "on sale", "discount", "deal of the day", "clearance", "coupon",
    "best price", "lowest price", "40% off", "30 % günstiger", "sconto del 20%", "2x1",
    "Black Friday", "セール", "最安値" in any field (error); "cheap", "affordable price",
    "preiswert", "pas cher", "barato", "economico" (warning: subjective price words, KW-04).
    Why: sale pricing and promotions belong in Seller Central, never in detail-page text
    (POLICY LST-G03, LST-G10, LST-T07, KW-03, KW-04).
    Examples: flagged "Black Friday deal: 40% off while stocks last"; fine "for point-of-sale (POS)
    systems", "deals with moisture", "a great deal of storage".
    Known false positives: a product whose name contains "Sale" or "Deal" (a card game).
    Fix: remove the offer; run it as a Seller Central promotion.
    """
    idx = listing_terms(ctx)
    spans = [(m.start, m.end) for m in idx.get(*g("sale"))]
    if "%" in ctx.text or "割" in ctx.text:
        spans.extend((m.start(), m.end()) for m in _PERCENT_OFF.finditer(ctx.text))
    strong = [m for m in idx.get(*g("sale"))]
    spans.extend((m.start, m.end, Severity.WARNING) for m in idx.get(*g("cheap")) if not overlaps(m, strong))
    yield from hits(merge_spans(ctx, spans))


_PRICE = lazy(regex.compile,
    r"(?:(?:US|CA|AU|NZ|C|A)?\$|€|£|¥|₹|\b(?:EUR|USD|GBP|CAD|AUD|JPY|INR)\s?)\s?\d(?:[\d.,]*\d)?"
    r"|(?<![\d.,])\d(?:[\d.,]*\d)?\s?(?:€|\$|£|円|EUR\b|USD\b|GBP\b|euros?\b|dollars?\b|Euro\b)"
)
_DIGIT = lazy(regex.compile, r"\d")
_UNIT_AFTER = lazy(regex.compile, r"(?i)\s?(?:kg|g|mg|cm|mm|m|km|l|ml|cl|w|kw|v|mah|ah|lbs?|oz|ft|hz|db|pcs|stk|st)\b")
_PRICE_CUE = lazy(regex.compile,
    r"(?i)(?:only|just|now|was|save|price|priced|sale|für\s+nur|nur|statt|seulement|à\s+seulement|prix|"
    r"solo|por\s+solo|precio|a\s+soli|solo\s+a|prezzo|今なら|特価|価格|税込)\W{0,3}$"
)


def price_in_listing(ctx: Context) -> Iterator[Hit]:
    """A price in listing text ("Only $19.99", "für nur 24,99 €", "1,980円").

    What it flags: a money amount (currency symbol or code with a number). In a title, and after
    "only", "just", "now", "was", "nur", "seulement", "solo", "今なら" in any field, it is an error;
    elsewhere a warning (an amount can describe an included voucher or a compatible value).
    Why: price, RRP and availability details may not appear in listing text (POLICY LST-G03,
    LST-T07, LST-D02).
    Examples: flagged "Throw Blanket, Only $19.99"; fine "12 V, 2 A", "Pack of 2".
    Known false positives: an amount that is a technical value written with a currency word.
    Fix: remove the price; set it in Seller Central.
    """
    text = ctx.text
    if not _DIGIT.search(text):
        return
    title = field_of(ctx) == "title"
    for m in _PRICE.finditer(text):
        if _UNIT_AFTER.match(text, m.end()):
            continue  # "Porte-Bébé ~ Naissance $ 20 kg": a sign used as a separator before a measurement
        cue = bool(_PRICE_CUE.search(text[max(0, m.start() - 16):m.start()]))
        yield Hit(m.start(), m.end(), severity=None if (title or cue) else Severity.WARNING)


# --- listing.rank ---------------------------------------------------------------------------

def _rank_numbers(ctx: Context, idx: TermIndex) -> list[Match]:
    """"#1", "No. 1", "Nr. 1", "número 1" that stand next to a rank word ("#1 Best Seller",
    "Nr. 1 bei Amazon", "número 1 en menaje", "rated #1"); "#1 Phillips bit" and "No. 10" do not."""
    after, before = words_of(ctx, "rank_after"), words_of(ctx, "rank_before")
    stop = words_of(ctx, "stopwords") | {"amazon"}
    out = []
    for m in idx.get(*g("rank_number")):
        doc = idx.doc_of(m)
        nxt = m.tok_end
        while nxt < len(doc) and doc[nxt].is_punct and doc[nxt].text in "-–:":
            nxt += 1
        prev = fold(doc[m.tok_start - 1].text) if m.tok_start > 0 else ""
        if nxt < len(doc) and fold(doc[nxt].text) in after:
            if fold(doc[nxt].text) not in stop and not doc[nxt].is_punct:
                # "#1 Rated", "No. 1 Bestseller": the rank word belongs to the claim
                nxt_tok = doc[nxt]
                m = Match(m.group, m.start, nxt_tok.idx + len(nxt_tok.text), m.tok_start, nxt + 1, m.sent, m.clause,
                          m.lang)
            out.append(m)
        elif prev in before:
            out.append(m)
    return out


def best_seller_claim(ctx: Context) -> Iterator[Hit]:
    """Sales-rank claim: best seller, #1 / No. 1 / Nr. 1 with a rank word, "ranked top 10", "ランキング1位".

    What it flags: "best seller", "best-selling", "top seller", "#1 Best Seller", "No. 1 in
    Kitchen", "ranked top 10", "Bestseller", "meistverkauft", "meilleure vente", "n°1 des ventes",
    "más vendido", "número 1 en", "più venduto", "ベストセラー", "売れ筋", "1位".
    Why: best-seller and sales-rank claims are subjective commentary in titles and unverifiable
    claims elsewhere (POLICY LST-T07, LST-B08, KW-04).
    Examples: flagged "#1 Best Seller Bamboo Cutting Board"; fine "Includes a #1 and a #2 Phillips
    bit", "No. 10 Envelopes", "Top Rack Dishwasher Safe".
    Known false positives: a book by a "bestselling author" (still a claim Amazon may remove).
    Fix: remove the claim; Amazon shows earned badges and ranks itself.
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    spans = [(m.start, m.end) for m in idx.get(*g("rank"))]
    spans.extend((m.start, m.end) for m in _rank_numbers(ctx, idx))
    yield from hits(merge_spans(ctx, spans))


# --- listing.claims -------------------------------------------------------------------------

def guarantee_claim(ctx: Context) -> Iterator[Hit]:
    """Guarantee or refund promise: "100% Satisfaction Guaranteed", "money-back guarantee", "Geld zurück".

    What it flags: satisfaction and money-back guarantees, full refunds, "no questions asked",
    "risk-free", lifetime guarantees, "we guarantee", "satisfait ou remboursé", "soddisfatti o
    rimborsati", "返金保証" (error); a bare "guaranteed" (warning).
    Why: guarantee and refund phrases are banned in titles and bullets, and a satisfaction
    guarantee must be honoured for any reason (POLICY LST-T02, LST-B03, LST-D02).
    Examples: flagged "100% MONEY-BACK GUARANTEE – no questions asked"; fine "2-year manufacturer
    warranty", "2 Jahre Garantie", "garantie 2 ans", "1年保証".
    Known false positives: "guaranteed to fit" (warning only). "Lowest price guaranteed" is a
    price claim, reported by LP002 only.
    Fix: remove the promise; state the warranty term as a fact ("2-year manufacturer warranty").
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    strong = idx.get(*g("guarantee"))
    spans = [(m.start, m.end) for m in strong]
    prices = idx.get(*g("sale", "cheap"))
    for m in idx.get(*g("guarantee_weak")):
        # "lowest price guaranteed", "prezzo più basso garantito": a price claim (LP002), not a guarantee
        after_price = any(p.clause == m.clause and 0 <= m.tok_start - p.tok_end <= 1 for p in prices)
        if not overlaps(m, strong) and not after_price:
            spans.append((m.start, m.end, Severity.WARNING))
    yield from hits(merge_spans(ctx, spans))


_OTHER_CLAIMS = ("rank", "badge", "sale", "cheap", "shipping", "guarantee", "commentary", "popularity",
                 "popularity_search", "temporary", "temporary_search", "time_limited")
# groups that other rules report in one field only
_GROUP_FIELDS = {"commentary": "title", "temporary_search": "search_terms", "popularity_search": "search_terms"}


def superlative_claim(ctx: Context) -> Iterator[Hit]:
    """Unverifiable superlative: "World's Best", "Best Quality", "highest quality", "100% safe", "最高品質".

    What it flags: world's best, best in class, best quality, highest or top quality, "second to
    none", "100% safe", "der/die/das Beste", "le meilleur", "el mejor", "il migliore", "世界一"
    (error); "the best", "high quality", "premium quality", "miracle", a bare "Best" in a title,
    and "best", "amazing", "effective", "fastest", "most" in search terms (warning).
    Why: claims the seller cannot substantiate are misleading, and subjective words are
    banned in titles and search terms (POLICY LST-G09, LST-B08, LST-T07, KW-04).
    Examples: flagged "World's Best Coffee Grinder"; fine "Best results: preheat the pan",
    "Best Friend Necklace", "#1 Best Seller" (a rank claim, reported by LR001), a title in
    quotation marks (« Le Meilleur de la Cuisine Alsacienne »).
    Known false positives: a novelty product whose printed text is a superlative ("Best Dad Ever")
    when it is not in quotation marks.
    Fix: replace the superlative with a verifiable fact (material, test result, measurement).
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    field = field_of(ctx)
    other_groups = [x for x in _OTHER_CLAIMS if _GROUP_FIELDS.get(x, field) == field]
    others = idx.get(*g(*other_groups))
    # « Le Meilleur de la Cuisine Alsacienne », "The Best of Bach": a work's title in quotation marks names it
    strong = [m for m in idx.get(*g("superlative")) if not overlaps(m, others) and not _quoted_title(ctx, m)]
    spans = [(m.start, m.end) for m in strong]
    taken = strong + others
    weak_groups = ["superlative_weak"]
    if field == "title":
        weak_groups.append("best_word")
    if field == "search_terms":
        weak_groups.append("subjective_search")
    for m in idx.get(*g(*weak_groups)):
        if not overlaps(m, taken) and not _quoted_title(ctx, m):
            spans.append((m.start, m.end, Severity.WARNING))
    yield from hits(merge_spans(ctx, spans))


def _quoted_title(ctx: Context, m: Match) -> bool:
    """A capitalised superlative inside quotation marks names a work (« Le Meilleur de la Cuisine
    Alsacienne »); a quoted testimonial ("The best tamper I've ever owned" – James H.) is written in
    lower case and stays a claim."""
    words = ctx.text[m.start:m.end].split()
    return bool(words) and words[-1][:1].isupper() and quoted(ctx.text, ctx.sentence_span(m.start)[0], m.start)


def _disclaimed(idx: TermIndex, m: Match) -> bool:
    """A disclaimer ("not intended to diagnose, treat ...") in the sentence takes the claim back."""
    return any(d.sent == m.sent for d in idx.get(*g("health_disclaimer")))


def _negated(ctx: Context, m: Match) -> bool:
    return ctx_terms(ctx).negated(m)


def _pairs(ctx: Context, idx: TermIndex, verbs: tuple, nouns: tuple, after: int, before: int) -> list[tuple[int, int]]:
    """Spans of a noun and its verb in one clause.

    Each noun takes the nearest verb before it (at most ``after`` tokens between: "kills 99.9%
    of germs"), or else the nearest verb after it (at most ``before`` tokens: verb-final German
    "die Keime abtötet", "菌を除去"). A disclaimer in the sentence or a negation before the verb
    cancels the pair.
    """
    ja = ctx.ja
    if ja:
        # one token per character; "が" is a clause break in the shared index but is also the
        # subject particle ("血圧が下がる"), so Japanese pairs are taken per sentence
        after, before = 12, 12
    nouns_m = idx.get(*nouns)
    if not nouns_m:
        return []
    verbs_m = idx.get(*verbs)
    out = []
    for n in nouns_m:
        # a verb phrase that holds its noun ("keeps snakes and spiders away")
        holder = next((v for v in verbs_m if v.start <= n.start and n.end <= v.end and (v.start, v.end) != (n.start, n.end)), None)
        if holder is not None:
            out.append((holder.start, holder.end))
            continue
        best, best_gap, best_after = None, None, True
        for v in verbs_m:
            if (n.sent != v.sent if ja else n.clause != v.clause) or (v.start < n.end and n.start < v.end):
                continue
            if n.tok_start >= v.tok_end and n.tok_start - v.tok_end <= after:
                gap, is_before = n.tok_start - v.tok_end, True
            elif v.tok_start >= n.tok_end and v.tok_start - n.tok_end <= before:
                gap, is_before = v.tok_start - n.tok_end, False
            else:
                continue
            # a verb before the noun wins over one after it; then the nearest
            if best is None or (is_before and not best_after) or (is_before == best_after and gap < best_gap):
                best, best_gap, best_after = v, gap, is_before
        if best is not None and not _disclaimed(idx, best) and not _negated(ctx, best):
            out.append((min(best.start, n.start), max(best.end, n.end)))
    return out


def health_claim(ctx: Context) -> Iterator[Hit]:
    """Disease or drug claim: "cures arthritis", "relieves joint pain", "boosts your immune system".

    What it flags: a treatment verb (cure, treat, heal, prevent, relieve, lower, fight ...) with a
    disease or condition (arthritis, diabetes, cancer, COVID, inflammation, insomnia, high blood
    pressure ...) in one clause, and stand-alone health claims ("detox your body", "boost your
    immune system", "fat burner"), in six languages ("guérit les douleurs articulaires",
    "がんの予防").
    Not flagged: a disclaimer in the sentence ("not intended to diagnose, treat, cure or prevent
    any disease"), a negated verb, and verbs without a condition ("epoxy cures in 24 hours",
    "prevents rust", "dog treats").
    Why: claims to cure, mitigate, treat or prevent disease need FDA approval; Amazon removes
    them from non-drug listings (POLICY LST-C03, LST-G09).
    Examples: flagged "Relieves arthritis pain and cures joint inflammation"; fine "Caffeine-free
    herbal tea blend", "fully cures in 24 hours at 70 degrees F".
    Known false positives: a licensed drug or cleared medical device listing its approved use.
    Fix: remove the claim, or list only the approved indication of a registered product.
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    spans = [(m.start, m.end) for m in idx.get(*g("health_phrase"))
             if not _disclaimed(idx, m) and not _negated(ctx, m)]
    spans.extend(_pairs(ctx, idx, g("health_verb"), g("health_condition"), after=6, before=3))
    yield from hits(merge_spans(ctx, spans, joiner=regex.compile(r"[\s\-–—]*")))


def fda_claim(ctx: Context) -> Iterator[Hit]:
    """"FDA approved" (or certified) for a product: claims an approval only drugs get.

    What it flags: "FDA approved", "approved by the FDA", "FDA certified", "von der FDA zugelassen",
    "approuvé par la FDA", "FDA承認" (error); "FDA registered" (warning: registration is not approval).
    Why: the FDA approves drugs, not ordinary products or materials; the claim is misleading and
    is a drug claim (POLICY LST-C03, LST-G09).
    Examples: flagged "FDA approved and 100% safe for the whole family"; fine "food-grade silicone
    that meets FDA 21 CFR 177.2600", "FDA-cleared" devices (not flagged).
    Known false positives: an approved drug's listing.
    Fix: state the standard the material meets ("meets FDA food-contact requirements").
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    strong = idx.get(*g("fda"))
    spans = [(m.start, m.end) for m in strong]
    spans.extend((m.start, m.end, Severity.WARNING) for m in idx.get(*g("fda_weak")) if not overlaps(m, strong))
    yield from hits(merge_spans(ctx, spans))


_EFFICACY = lazy(regex.compile, r"99")


def pesticide_claim(ctx: Context) -> Iterator[Hit]:
    """Pesticide or antimicrobial claim: "antibacterial", "kills 99.9% of germs", "repels mosquitoes".

    What it flags: antibacterial, antimicrobial, antifungal, anti-mold, "sanitizes", "disinfects",
    "sterilizes", insect repellent; a kill/eliminate/inhibit verb with germs, bacteria, viruses or
    mold, and a repel/kill verb with insects or pests, in one clause; in six languages
    ("antibakteriell", "élimine 99,9 % des bactéries", "elimina il 99,9% di batteri", "抗菌").
    On amazon.co.jp a stand-alone 抗菌/除菌 is a warning (Japan regulates these words differently).
    Why: a product that claims to kill or repel pests or microbes is a pesticide and needs EPA
    registration; Amazon's 2024 bullet list bans "anti-microbial" and "anti-bacterial"
    (POLICY LST-C01, LST-C02, LST-B04).
    Examples: flagged "Antibacterial cutting board kills 99.9% of germs"; fine "Easy-to-clean
    polypropylene board, dishwasher safe", "Silicone mold for chocolate".
    Known false positives: a registered pesticide listing its label claims (it must show its
    EPA registration number).
    Fix: remove the claim, or list the product as a registered pesticide with its EPA number.
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    jp = ctx.marketplace.code == "JP"
    spans = []
    screens = idx.get(*g("insect_screen"))
    barriers = idx.get(*g("barrier"))
    for m in idx.get(*g("pesticide")):
        if _negated(ctx, m):
            continue
        # "Couvercle anti-moustiques (maille de 1 mm)", "Insektenschutz-Gitter": a screen that keeps insects out
        # by its mesh kills or repels nothing
        if any(s.start < m.end and m.start < s.end for s in screens) and \
                any(b.sent == m.sent and abs(b.tok_start - m.tok_start) <= 8 for b in barriers):
            continue
        weak = jp and not _EFFICACY.search(ctx.text[m.start:m.end])
        spans.append((m.start, m.end, Severity.WARNING if weak else None))
    spans.extend(_pairs(ctx, idx, g("kill_verb"), g("germ"), after=5, before=3))
    # "Der Deckel aus Baumwollstoff ... hält Fruchtfliegen fern": a lid, mesh or net keeps pests out by being
    # there, it repels nothing
    kills = idx.get(*g("kill_verb"))
    for a, b in _pairs(ctx, idx, g("repel_verb"), g("pest"), after=5, before=3):
        s_start, s_end = ctx.sentence_span(a)
        # (a net or grid that kills is a pesticide all the same: "rejilla ... que elimina el 100 % de los mosquitos")
        killing = any(s_start <= k.start < s_end for k in kills)
        if killing or not any(s_start <= x.start < s_end for x in barriers):
            spans.append((a, b))
    yield from hits(merge_spans(ctx, spans, joiner=regex.compile(r"[\s\-–—]*")))


def eco_claim(ctx: Context) -> Iterator[Hit]:
    """Broad environmental claim: "eco-friendly", "environmentally friendly", "umweltfreundlich", "環境に優しい".

    What it flags: the 2024 bullet list (eco-friendly, environmentally or ecologically friendly,
    made from / containing soybeans) and broad green claims ("good for the planet", "carbon
    neutral", "écologique", "ecológico", "ecosostenibile") (error); biodegradable, compostable,
    sustainable and the bamboo items of the 2024 list ("made from bamboo") (warning).
    In search terms these are only informational: Amazon's own keyword example uses "eco friendly".
    Why: unqualified environmental claims are misleading under the FTC Green Guides and banned in
    bullets since 2024 (POLICY LST-B04, LST-C04).
    Examples: flagged "Eco-friendly biodegradable plastic bags"; fine "Bags made with 20%
    post-consumer recycled plastic", "algodón ecológico" (certified organic cotton).
    Known false positives: a certified claim written in the broad form.
    Fix: make the claim specific and verifiable ("made with 20% recycled materials", "FSC-certified wood").
    """
    idx = listing_terms(ctx)
    if not idx.matches:
        return
    search = field_of(ctx) == "search_terms"
    strong = idx.get(*g("eco"))
    spans = [(m.start, m.end, Severity.INFO if search else None) for m in strong]
    spans.extend((m.start, m.end, Severity.INFO if search else Severity.WARNING)
                 for m in idx.get(*g("eco_weak")) if not overlaps(m, strong))
    for start, end, sev in merge_spans(ctx, spans):
        yield Hit(start, end, severity=sev)


RULES = (
    Rule("LP002", "sale-or-discount", "listing.promo", LISTING, Severity.ERROR,
         "Remove '{text}': sales, discounts and bargain prices are promotions, which belong in Seller Central, "
         "not in listing text.", sale_or_discount),
    Rule("LP005", "price-in-listing", "listing.promo", LISTING, Severity.ERROR,
         "Remove the price '{text}': prices and RRPs are set in Seller Central, not written in listing text.",
         price_in_listing),
    Rule("LR001", "best-seller-claim", "listing.rank", LISTING, Severity.ERROR,
         "Remove '{text}': best-seller and sales-rank claims are not allowed; Amazon shows earned ranks itself.",
         best_seller_claim),
    Rule("LC001", "guarantee-claim", "listing.claims", LISTING, Severity.ERROR,
         "Remove '{text}': guarantee and refund promises are not allowed; state the warranty term as a fact.",
         guarantee_claim),
    Rule("LC002", "superlative-claim", "listing.claims", LISTING, Severity.ERROR,
         "Replace '{text}' with a verifiable fact: unverifiable superlatives are misleading claims.",
         superlative_claim),
    Rule("LC003", "health-claim", "listing.claims", LISTING, Severity.ERROR,
         "Remove '{text}': claims to cure, treat or prevent a disease need FDA approval and are not allowed "
         "for this product.", health_claim),
    Rule("LC004", "fda-approval-claim", "listing.claims", LISTING, Severity.ERROR,
         "Remove '{text}': the FDA approves drugs, not products like this; name the standard the material "
         "meets instead.", fda_claim),
    Rule("LC005", "pesticide-claim", "listing.claims", LISTING, Severity.ERROR,
         "Remove '{text}': antimicrobial and pest claims make the product a pesticide that needs EPA "
         "registration.", pesticide_claim),
    Rule("LC006", "eco-claim", "listing.claims", LISTING, Severity.ERROR,
         "Replace '{text}' with a specific, verifiable environmental fact (e.g. '20% recycled materials'); "
         "broad eco claims are not allowed.", eco_claim),
)
