"""Off-platform diversion (OP): moving the conversation, the sale or the payment off Amazon.

A seller may talk to a buyer only through Buyer-Seller Messaging and may sell only through
Amazon (POLICY MSG-P03, MSG-P04, MSG-C10, MSG-L01). These rules find the words that do the
moving: a messaging app or social network, another marketplace, the seller's own shop as a
place to buy, "outside Amazon", a payment method that is not Amazon's, and asks for the
buyer's own e-mail or phone number. A contact detail alone (an address, a number, a link) is
the contact rules' business; these rules add ``offplatform`` when the text says where to go.

Term lists: ``wordlists/offplatform/<lang>.yml``. Everything is negation-aware ("we never ask
you to pay by bank transfer", "please don't send us your e-mail address").
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

import regex

from msglint import lang as langdata
from msglint.contactscan import links
from msglint.context import Context
from msglint.lazyre import lazy
from msglint.lexicon import fold
from msglint.model import Hit, Rule, Severity
from msglint.spans import followed_by, one_per_sentence, overlaps, span
from msglint.terms import REFUSING, Match, TermIndex, ctx_terms

MESSAGE = frozenset({"message"})
_G = "offplatform:"


def _amazon() -> frozenset:
    return langdata.common().amazon_names


def _clause_tokens(idx: TermIndex, m: Match, reach: int = 12, after: Optional[int] = None) -> list:
    """Up to ``reach`` tokens each side of ``m`` in its clause (``after`` tokens after it, when given), by the index's
    clause numbering."""
    return [t for t in idx.tokens(m, before=reach, after=reach if after is None else after)
            if (t.idx < m.start or t.idx >= m.end) and idx.clause_at(t.idx) == m.clause]


def _from_amazon(lang: str) -> frozenset:
    """"order directly from Amazon", "from Your Orders": words that make "directly" Amazon's."""
    return _amazon() | {fold(w) for w in langdata.words("amazon_places", (lang,))}


# --- social handles ---------------------------------------------------------------------------

_HANDLE = lazy(regex.compile, r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,28}[A-Za-z0-9_])")


_NAME_QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "«": "»", "„": "“", "‚": "‘"}


def _in_name_quotes(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    if before.count("「") > before.count("」") or before.count("『") > before.count("』"):
        return True
    # "The '@Home Trail' series": a name in quotation marks that opens with the "@"
    close = _NAME_QUOTES.get(text[pos - 1:pos]) if pos > 0 else None
    return close is not None and close in text[pos + 1:pos + 40]


def _handles(ctx: Context) -> list[tuple[int, int]]:
    """``@name`` social handles (not e-mail addresses, not "2 @ $4.99", not "4K@120Hz")."""
    if "op_handles" not in ctx.cache:
        found = []
        if "@" in ctx.text:
            for m in _HANDLE.finditer(ctx.text):
                if not any(ch.isalpha() for ch in m.group()):
                    continue
                if _in_name_quotes(ctx.text, m.start()):
                    continue  # 「＠Desk モニター台」: a product name in quotation marks
                found.append((m.start(), m.end()))
        ctx.cache["op_handles"] = found
    return ctx.cache["op_handles"]


def _handle_after(ctx: Context, end: int, limit: int = 3) -> Optional[tuple[int, int]]:
    """A handle right after ``end``, across a space or colon ("Instagram @shop", "Instagram: @shop")."""
    for h_start, h_end in _handles(ctx):
        if 0 <= h_start - end <= limit and not ctx.text[end:h_start].strip(" :："):
            return h_start, h_end
    return None


def _with_handle(ctx: Context, start: int, end: int) -> tuple[int, int]:
    h = _handle_after(ctx, end)
    return (start, h[1]) if h else (start, end)


# --- OP001 messaging apps -----------------------------------------------------------------------

def _app_in_context(ctx: Context, idx: TermIndex, m: Match) -> bool:
    """LINE, Signal and Messenger are apps only when written as app names (not "line 3", "signal strength")."""
    toks = idx.tokens(m)
    words = {t.lower_ for t in toks}
    if words & {"facebook", "fb"}:
        return True
    for tok in toks:
        if tok.lower_ not in ("line", "signal", "messenger"):
            continue
        if tok.text == "LINE":
            # a sentence in capitals ("CUT ALONG THE LINE") says nothing about the app
            letters = [c for c in ctx.sentence(tok.idx) if c.isalpha()]
            return sum(c.isupper() for c in letters) < 0.6 * len(letters)
        if tok.text == "Line":
            return bool(words & {"id", "app", "account"})
        return tok.text in ("Signal", "Messenger")
    return True  # Japanese ライン… phrases have no Latin word to check


_KATAKANA = lazy(regex.compile, r"[\p{Katakana}ー]")


def _inside_katakana_word(ctx: Context, m: Match) -> bool:
    """A katakana match glued to katakana before it is part of a longer word (オンライン, ガイドライン)."""
    return (m.start > 0 and bool(_KATAKANA.match(ctx.text[m.start]))
            and bool(_KATAKANA.match(ctx.text[m.start - 1])))


def messaging_app(ctx: Context) -> Iterator[Hit]:
    """Messaging app named as a way to reach the seller (WhatsApp, WeChat, LINE, Telegram ...).

    What it flags: WhatsApp, WeChat/微信/VX, LINE (written "LINE", "LINE ID", "on LINE", ラインID),
    Telegram, Skype, Viber, KakaoTalk, Signal and Messenger (only as apps: "on Signal",
    "Facebook Messenger"), Snapchat, Discord, iMessage, FaceTime, Zoom calls, QQ; in six languages.
    Why: buyers may be contacted only through Buyer-Seller Messaging; instant-messenger handles
    move the conversation off Amazon (POLICY MSG-P03, MSG-C10).
    Examples: flagged "add me on WhatsApp", "please call or WeChat me", "LINE（ID：shop）";
    fine "reply here through Buyer-Seller Messaging", "see line 3 of the invoice", "a messenger bag",
    "the signal is weak", "we never use WhatsApp".
    Known false positives: a message that names an app only to say the seller does not use it
    without a negation word ("WhatsApp is not how we work" is fine, "Forget WhatsApp" is not).
    Fix: remove the app and ask the buyer to reply to this message.
    """
    idx = ctx_terms(ctx)
    for m in idx.get(_G + "msg_app", _G + "app_context"):
        if m.group == _G + "app_context" and not _app_in_context(ctx, idx, m):
            continue
        if _inside_katakana_word(ctx, m):
            continue  # オンラインで, ガイドラインで: not the LINE app
        if idx.in_sentence(m.sent, _G + "app_feature"):
            continue  # "the watch shows WhatsApp and LINE notifications": a feature of the product, not a channel
        if idx.negated(m, REFUSING):
            continue
        start, end = _with_handle(ctx, m.start, m.end)
        yield Hit(start, end, {"app": ctx.text[m.start:m.end]})


# --- OP002 social networks and direct messages ---------------------------------------------------

# what sends the buyer to social media in general: follow, find, search, visit, check out, DM ...
_GO = (_G + "handle_cue", _G + "dm", "marketing:follow", "marketing:look")


def _links_in_sentence(ctx: Context, m: Match) -> bool:
    a, b = ctx.sentence_span(m.start)
    return any(a <= link.start < b for link in links(ctx) if link.kind not in ("local", "carrier"))

def social_media(ctx: Context) -> Iterator[Hit]:
    """Social network, social handle or direct-message request (Instagram, Facebook, TikTok, "DM us").

    What it flags: Instagram, Facebook, TikTok, Twitter, Pinterest, a YouTube channel, "our
    socials", "link in bio" and "DM us"/"send us a DM", with a handle after them when there is one
    ("Instagram @shop"); a bare ``@handle`` that the sentence asks to follow, find or message.
    Severity: error when the sentence points the buyer there (on, our, follow, find, message,
    page, handle ...); a bare mention without such a word and a lone handle are warnings.
    Why: social handles and DMs take the conversation off Amazon (POLICY MSG-P03, MSG-L01).
    Examples: flagged "Drop us a DM on Instagram (@nordway.home)", "Follow us on Instagram
    @lumorahome", "find us @shopname"; fine "reply to this message", "2 @ $4.99", "4K@120Hz".
    Known false positives: a reply that quotes where the buyer saw the product ("the one from
    TikTok"), which is then a warning.
    Fix: remove the platform and handle; keep the conversation in Buyer-Seller Messaging.
    """
    idx = ctx_terms(ctx)
    covered: list[tuple[int, int]] = []
    apps = idx.get(_G + "app_context", _G + "msg_app")
    for m in idx.get(_G + "social", _G + "dm", _G + "social_generic"):
        if idx.negated(m, REFUSING) or any(a.start <= m.start and m.end <= a.end for a in apps):
            continue
        if idx.in_sentence(m.sent, _G + "app_feature"):
            continue  # Instagram notifications on a watch: a feature, not a channel
        if idx.near(m, ("conduct:threat", "conduct:accusation"), sentences=1):
            continue  # "we will publish your name on our Facebook page": a threat (conduct), not a channel
            continue  # "Facebook Messenger" is the messaging-app finding
        start, end = _with_handle(ctx, m.start, m.end)
        covered.append((start, end))
        if m.group == _G + "social_generic":
            # "our social media" is off-platform only when the buyer is sent there, not in "we'll post it on social media"
            if end == m.end and not idx.in_sentence(m.sent, *_GO) and not _links_in_sentence(ctx, m):
                continue
            yield Hit(start, end, {"platform": ctx.text[m.start:m.end]})
            continue
        strong = m.group == _G + "dm" or end > m.end or any(
            c is not m and not (c.start < m.end and m.start < c.end)
            for c in idx.in_sentence(m.sent, _G + "social_cue", _G + "dm"))
        yield Hit(start, end, {"platform": ctx.text[m.start:m.end]},
                  severity=None if strong else Severity.WARNING)
    handles = _handles(ctx)
    cues = idx.get(_G + "handle_cue", _G + "dm", "marketing:follow") if handles else ()
    for h_start, h_end in handles:
        if any(a <= h_start < b for a, b in covered):
            continue
        a, b = ctx.sentence_span(h_start)
        asked = any(a <= c.start < b for c in cues)
        yield Hit(h_start, h_end, {"platform": ctx.text[h_start:h_end]},
                  severity=None if asked else Severity.WARNING)


# --- OP003 other marketplaces ------------------------------------------------------------------


# --- OP004 ordering outside Amazon ----------------------------------------------------------------

def order_outside_amazon(ctx: Context) -> Iterator[Hit]:
    """The seller's own website or shop as a place to buy, or any move "outside Amazon".

    What it flags: "order directly from us", "buy direct", "order from our website next time",
    "cheaper on our online shop", "save the Amazon fee", "faster than through Amazon",
    "let's continue outside Amazon", "außerhalb von Amazon", "en dehors d'Amazon", "fuera de
    Amazon", "fuori da Amazon", "Amazonを通さず", "faster than here", in six languages. "Our website"
    alone (a manual on the seller's site) is not flagged: it needs a buying word in the same sentence, or
    the site's address in the sentence that names it as the seller's own site, page or catalogue ("the
    manual is on our site, brand dot com slash manuals", "im Netz finden Sie uns unter weingut.de"), or
    given with something to do there (a link to register the warranty; a newsletter to sign up to there).
    A short link counts where the sentence names the seller's own shop or page ("unsere neue
    Kollektion gibt's in unserem eigenen Shop: bit.ly/..."), and so does a QR code to scan that leads
    to the seller's own site, to something to do there ("lo inquadri col telefono per registrare la garanzia") or
    to the seller's group ("pour rejoindre notre groupe de clients").
    Why: diverting the sale or the conversation off Amazon is prohibited (POLICY MSG-P04,
    MSG-P03, MSG-L01).
    Examples: flagged "Next time, order directly from our website and save 15%",
    "let's continue outside Amazon"; fine "order a spare directly from Amazon",
    "the manual is on our website", "we never contact buyers outside Amazon".
    Known false positives: "you can order directly from Your Orders" when the words after
    "directly" do not name Amazon.
    Fix: remove the invitation; buyers order and talk through Amazon.
    """
    idx = ctx_terms(ctx)
    hits: list[tuple[int, Hit]] = []
    for m in idx.live(_G + "outside", _G + "cheaper", policy=REFUSING):
        hits.append((m.sent, Hit(m.start, m.end)))
    for m in idx.live(_G + "direct_order", policy=REFUSING):
        if followed_by(idx, m, _from_amazon(m.lang), 5, until_punct=True):
            continue  # "order it directly from Amazon / from Your Orders"
        hits.append((m.sent, Hit(m.start, m.end)))
    for site, buy in idx.cooccur((_G + "own_site",), (_G + "buy",), scope="sentence"):
        if idx.negated(site, REFUSING) or idx.negated(buy, REFUSING):
            continue
        hits.append((site.sent, Hit(*span(site, buy))))
    # something to do on the seller's own site, without its address ("当店ホームページで会員登録していただくと",
    # "register your warranty on our website"): the buyer is sent there as surely as with the link
    for site, act in idx.cooccur((_G + "own_site", _G + "own_page"), (_G + "site_action",), scope="sentence"):
        if not idx.negated(site, REFUSING) and not idx.negated(act, REFUSING):
            hits.append((site.sent, Hit(*span(site, act))))
    # the seller's own shop is a place to buy by its name ("by the way, we also have our own online shop, just google
    # our name", "金沢のうちのネットショップでしか扱っとらん"), unless it is the seller's shop on Amazon
    shops = [(shop.sent, Hit(shop.start, shop.end)) for shop in idx.live(_G + "own_shop", policy=REFUSING)
             if not followed_by(idx, shop, _from_amazon(shop.lang), 5)
             and not any(fold(t.text) in _amazon() for t in _clause_tokens(idx, shop, reach=6))]
    # a link to a site that is not Amazon's, in a sentence about buying or a sale there ("our winter sale at
    # atelier-lumiere.fr/soldes", "die Ersatzkartuschen bekommen Sie direkt unter aquafein-shop punkt de"):
    # the seller's own shop
    shopping = (_G + "direct_order", "marketing:launch", "marketing:launch_timed", "marketing:sale",
                "marketing:discount", "marketing:crosssell", "marketing:new_marker", "marketing:more",
                "marketing:newsletter")
    for link in links(ctx):
        if link.kind not in ("link", "disguised", "shortener") or _off_host(link.host):
            continue
        a, b = ctx.sentence_span(link.start)
        # a short link hides where it goes: it counts as the seller's own site only where the sentence says so
        # ("unsere neue Kollektion gibt's in unserem eigenen Shop: bit.ly/..."); a discount behind a short link
        # alone is marketing and a link (contact.url)
        if link.kind == "shortener" and not any(a <= c.start < b for c in idx.get(_G + "own_site")):
            continue
        cues = [c for c in idx.get(*shopping) if a <= c.start < b and not idx.negated(c, REFUSING)]
        # the seller's own site, page or catalogue named with its address ("the manual is on our site, brand dot
        # com slash manuals", "im Netz finden Sie uns unter pfaelzer-nudelholz.de", "弊舗の公式ページ（kyoto-chasen
        # てん jp）"), or a warranty to register there ("register your warranty here: <link>"): the buyer is sent to
        # the seller's own site (TAXONOMY: offplatform "names ... the seller's own site or shop"; 240 of 241
        # labelled messages with both agree, the development corpus' dev-0196 alone labels it contact.url only)
        here = [c for c in idx.get(_G + "own_site", _G + "own_page", _G + "site_action")
                if a <= c.start < b and not idx.negated(c, REFUSING)]
        if link.kind != "shortener" or any(c.group == _G + "site_action" for c in here):
            cues = cues or here
        if cues:
            hits.append((cues[0].sent, Hit(*span(link, *cues))))
    # a QR code to scan that leads to the seller's own site or shop ("scannen Sie den QR-Code für die Registrierung
    # der Garantie auf unserer Webseite"): a link in another form (CU005), to the seller's own site
    for qr in idx.get(_G + "qr_code"):
        # a code to scan, or one the sentence says holds the seller's own page ("notre catalogue complet est sur le
        # QR code imprimé au dos de la notice")
        if not idx.near(qr, (_G + "qr_scan",), sentences=1) \
                and not idx.in_sentence(qr.sent, _G + "own_site", _G + "own_page"):
            continue
        # the seller's own site, or something to do there ("lo inquadri col telefono per registrare la garanzia");
        # something safe in the sentence (a return, the product's app) does not count where the code leads to the
        # seller's own shop ("per scaricare l'app inquadri il codice QR: la porta sul nostro negozio online")
        cues = [c for c in idx.near(qr, (_G + "own_site", _G + "own_page", _G + "site_action", _G + "social_generic"),
                                    sentences=1)
                if not idx.negated(c, REFUSING)]
        if idx.in_sentence(qr.sent, _G + "qr_safe") and not any(c.group != _G + "site_action" for c in cues):
            continue
        if cues:
            hits.append((cues[0].sent, Hit(*span(qr, cues[0]))))
            break
    # (where the sentence says more, "in unserem eigenen Shop gibt es Sets, die Sie hier nicht finden", that is the span)
    said = {sent for sent, _ in hits}
    hits += [(sent, hit) for sent, hit in shops if sent not in said]
    hits.sort(key=lambda h: (h[0], h[1].start))
    yield from one_per_sentence(hits)


# --- OP005 payment outside Amazon --------------------------------------------------------------------

def outside_payment(ctx: Context) -> Iterator[Hit]:
    """Payment or refund outside Amazon: PayPal, Venmo, Zelle, Bizum, bank transfer, crypto, "we'll charge your card ourselves".

    What it flags: payment apps and methods that are not Amazon's (PayPal, Venmo, Zelle, Cash App,
    Western Union, Alipay, WeChat Pay, Bizum, Revolut, Interac e-Transfer, PayPay), bank and wire
    transfers, cash or cheque taken by the seller ("we take cash or check", "in bar bezahlen"), the buyer's
    IBAN or sort code where a refund or payment is to go to it, crypto-currencies, and the seller charging or paying the buyer
    itself ("we'll charge it ourselves", "we'll pay you back ourselves"); Überweisung, virement,
    transferencia, bonifico, 銀行振込 and the rest in six languages; a charge next to a request for
    the buyer's card details ("send us your card number and expiry date, then we charge the
    difference").
    Why: every payment and refund must go through Amazon; another payment route diverts the
    sale (POLICY MSG-P04; the convention of this project: "pay by Bizum and save" is off-platform).
    Examples: flagged "Just pay via PayPal", "we'll refund the $45 through PayPal",
    "send your sort code and account number for the refund"; fine "Amazon Pay", "we have refunded $129.00 to
    your original payment method", "we will never ask you to pay by bank transfer", "we can only accept
    payment through Amazon, bank transfer is not possible", "for the warranty registration we need your
    IBAN" (personal data: buyer.data).
    Known false positives: a reply explaining that Amazon refunds a cash-on-delivery order by
    bank transfer.
    Fix: remove the payment route; refunds go through the order, payments through Amazon checkout.
    """
    idx = ctx_terms(ctx)
    hits: list[Hit] = []
    named = set()
    # "Payments can only be made through Amazon; bank transfer or PayPal is not possible": the seller turns the
    # route down (also in the sentence after: "Thanks for offering PayPal. We can only accept payment via Amazon.")
    turned_down = {r.sent + k for r in idx.get(_G + "refusal") for k in (0, 1)}
    # the route named by the buyer and turned down in the next sentence ("Thanks for offering PayPal. We can only
    # accept payment via Amazon", "Me preguntas '¿puedo pagar con PayPal?'. Lo siento, todos los pagos van por
    # Amazon"), unless the seller proposes it there ("Pay via PayPal and save 10%.")
    turned_down |= {r.sent - 1 for r in idx.get(_G + "refusal")
                    if r.sent and not idx.in_sentence(r.sent - 1, _G + "ask", _G + "pay_verb", _G + "cheaper",
                                                      _G + "buy", "marketing:discount", "marketing:sale",
                                                      "marketing:save")}
    payments = [m for m in idx.live(_G + "payment", policy=REFUSING) if m.sent not in turned_down]
    # the buyer's account identifiers (IBAN, sort code, RIB, 口座番号) are a payment route only where money moves
    # in that sentence or a neighbouring one ("send your IBAN so we can transfer the refund"); asked for a warranty
    # registration they are personal data (buyer.data), not a payment off Amazon
    accounts = [m for m in idx.live(_G + "payment_account", policy=REFUSING)
                if m.sent not in turned_down and idx.near(m, (_G + "money_move",), sentences=1)
                and not any(overlaps(m, p) for p in payments)]
    # one finding per sentence for the account details ("your account number and IFSC code or UPI ID")
    payments += [m for i, m in enumerate(accounts) if not any(o.sent == m.sent for o in accounts[:i])]
    for m in sorted(payments, key=lambda m: m.start):
        # "Amazon refunds cash-on-delivery orders by bank transfer": Amazon's own route, unless the
        # sentence also says "instead of Amazon"
        amazon_pays = (any(fold(t.text) in _amazon() for t in _clause_tokens(idx, m))
                       and not idx.in_sentence(m.sent, _G + "outside", _G + "cheaper"))
        named.add(m.sent)
        hits.append(Hit(m.start, m.end, {"method": ctx.text[m.start:m.end]},
                        severity=Severity.WARNING if amazon_pays else None))
    for verb, me in idx.cooccur((_G + "pay_verb",), (_G + "self",), scope="sentence"):
        if verb.sent in named or idx.negated(verb, REFUSING):
            continue
        named.add(verb.sent)  # one "we'll charge it ourselves" per sentence
        hits.append(Hit(*span(verb, me), {"method": "a payment you take yourself"}))
    # the buyer's card details asked for, and a charge in the same or the next sentence: the seller
    # takes the payment itself ("send us the card number and expiry date; then we charge the difference")
    cards = [c for c in idx.get("buyer_data:card") if not idx.negated(c, REFUSING)]
    for verb in idx.get(_G + "pay_verb"):
        if verb.sent in named or idx.negated(verb, REFUSING):
            continue
        # ("we'll charge your card again" names the card inside the charge: no request for card details)
        if any(c.sent in (verb.sent, verb.sent - 1) and not overlaps(c, verb) for c in cards):
            named.add(verb.sent)
            hits.append(Hit(verb.start, verb.end, {"method": "a payment you take yourself"}))
    yield from sorted(hits, key=lambda h: h.start)


# --- OP006 asking for the buyer's contact details -----------------------------------------------------

def contact_request(ctx: Context) -> Iterator[Hit]:
    """Asking for the buyer's own e-mail address, phone number or messenger ID.

    What it flags: "send me your personal email", "what's your WhatsApp number?", "could you give
    us your phone number", "Ihre private E-Mail-Adresse", "votre numéro de portable",
    "su correo personal", "il suo numero di cellulare", "メールアドレスを教えてください".
    A personal or private address is flagged even without an ask.
    Severity: error; a phone number asked for a carrier, driver or freight delivery is a warning
    (Amazon passes the number to the carrier itself).
    Why: sellers may not ask buyers for personal data or move them to another channel
    (POLICY MSG-C10, MSG-P03).
    Examples: flagged "Could you send me your personal email address so I can share it there?";
    fine "please keep all communication here and don't send us any personal details",
    "Amazon will confirm the cancellation by email", "we'll need your order number".
    Known false positives: "we've sent it to your e-mail" (a warning: said of Amazon's e-mail).
    Fix: remove the request; share files and answers in this message thread.
    """
    idx = ctx_terms(ctx)
    hits: list[tuple[int, Hit]] = []
    for m in idx.live(_G + "personal_contact", policy=REFUSING):
        hits.append((m.sent, Hit(m.start, m.end)))
    for noun in idx.get(_G + "contact"):
        if idx.negated(noun, REFUSING):
            continue
        asks = [a for a in idx.in_sentence(noun.sent, _G + "ask")
                if not (a.start < noun.end and noun.start < a.end) and not idx.negated(a, REFUSING)]
        if not asks:
            continue
        if any(fold(t.text) in _amazon() for t in _clause_tokens(idx, noun, after=4)):
            continue  # "Amazon will send the confirmation to your e-mail": Amazon's own mail, not a request
            # (Amazon further on names something else: "pásame tu correo y la clave de tu cuenta de Amazon")
        info = langdata.get(noun.lang or ctx.lang)
        if info.words("seller_own") and any(w in ctx.sentence(noun.start) for w in info.words("seller_own")):
            continue  # "弊社のメールアドレスまで": the seller's own address
        severity = None
        prev = idx.tokens(noun, before=1)[0] if noun.tok_start > 0 else None
        before = fold(prev.text) if prev is not None else ""
        # "un problema con il suo indirizzo email" is about the address; "ci risponda con il suo indirizzo email"
        # asks for it: the ask ends on the preposition
        asked_with = any(a.tok_end == noun.tok_start for a in asks)
        if before in {fold(w) for w in info.words("prepositions_about")} and not asked_with:
            continue
        if before in {fold(w) for w in info.words("prepositions_to")}:
            severity = Severity.WARNING  # "we sent it to your e-mail"
        text = ctx.text[noun.start:noun.end].lower()
        if idx.in_sentence(noun.sent, _G + "carrier") and not any(w in text for w in ("mail", "whatsapp", "wechat", "line",
                                                                                        "telegram", "skype", "メール")):
            severity = Severity.WARNING
        ask = min(asks, key=lambda a: abs(a.start - noun.start))
        hits.append((noun.sent, Hit(*span(ask, noun) if abs(ask.start - noun.start) < 80 else (noun.start, noun.end),
                                    severity=severity)))
    # one finding per sentence, covering the ask and every contact term in it
    by_sent: dict[int, list[Hit]] = {}
    for sent, hit in hits:
        by_sent.setdefault(sent, []).append(hit)
    for sent in sorted(by_sent):
        group = by_sent[sent]
        severity = None if any(h.severity is None for h in group) else Severity.WARNING
        yield Hit(min(h.start for h in group), max(h.end for h in group), severity=severity)


# --- OP007 links to social networks, messengers and other marketplaces ----------------------------------

_OFF_HOSTS = {
    "wa.me": "WhatsApp", "whatsapp.com": "WhatsApp", "t.me": "Telegram", "telegram.me": "Telegram", "m.me": "Messenger",
    "line.me": "LINE", "lin.ee": "LINE", "weixin.qq.com": "WeChat", "u.wechat.com": "WeChat", "qm.qq.com": "QQ",
    "instagram.com": "Instagram", "instagr.am": "Instagram", "facebook.com": "Facebook", "fb.com": "Facebook",
    "fb.me": "Facebook", "tiktok.com": "TikTok", "twitter.com": "Twitter", "x.com": "X", "pinterest.com": "Pinterest",
    "pin.it": "Pinterest", "snapchat.com": "Snapchat", "discord.gg": "Discord", "discord.com": "Discord",
    "linktr.ee": "Linktree", "beacons.ai": "Beacons", "etsy.com": "Etsy", "etsy.me": "Etsy", "ebay.com": "eBay",
    "ebay.de": "eBay", "ebay.co.uk": "eBay", "ebay.fr": "eBay", "ebay.es": "eBay", "ebay.it": "eBay",
    "myshopify.com": "Shopify", "aliexpress.com": "AliExpress", "walmart.com": "Walmart", "temu.com": "Temu",
    "rakuten.co.jp": "Rakuten", "mercari.com": "Mercari", "jp.mercari.com": "Mercari", "paypal.me": "PayPal",
    "paypal.com": "PayPal", "venmo.com": "Venmo", "cash.app": "Cash App", "revolut.me": "Revolut",
}


def _off_host(host: str) -> Optional[str]:
    host = host.lower().removeprefix("www.")
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = _OFF_HOSTS.get(".".join(parts[i:]))
        if name:
            return name
    return None


def offplatform_link(ctx: Context) -> Iterator[Hit]:
    """Link to a messaging app, social network, link hub, payment app or other marketplace.

    What it flags: wa.me, t.me, m.me, line.me, Instagram, Facebook, TikTok, X/Twitter, Pinterest,
    Discord, linktr.ee, Etsy, eBay, Shopify, AliExpress, Walmart, Rakuten, paypal.me, cash.app
    links (plain or disguised). The link itself is also a ``contact.url`` finding; this rule adds
    that it leads to another channel.
    Why: links to social media, other marketplaces or payment pages move the buyer off Amazon
    (POLICY MSG-L01, MSG-P03, MSG-P04).
    Examples: flagged "Join our Telegram channel t.me/nordwaydeals", "all our socials at
    linktr.ee/haldenoutdoor"; fine "https://www.amazon.com/stores/...", "youtu.be/…" (a video
    link is only a ``contact.url`` finding).
    Known false positives: none known.
    Fix: remove the link.
    """
    for link in links(ctx):
        name = _off_host(link.host)
        if name:
            yield Hit(link.start, link.end, {"site": name, "url": link.url})


RULES = (
    Rule("OP001", "messaging-app", "offplatform", MESSAGE, Severity.ERROR,
         "Remove '{text}': buyers must be contacted only through Buyer-Seller Messaging, not through {app}.",
         messaging_app),
    Rule("OP002", "social-media", "offplatform", MESSAGE, Severity.ERROR,
         "Remove '{text}': social networks, handles and DMs move the conversation off Amazon.",
         social_media),
    Rule("OP004", "order-outside-amazon", "offplatform", MESSAGE, Severity.ERROR,
         "Remove '{text}': inviting the buyer to order or talk outside Amazon is not allowed.",
         order_outside_amazon),
    Rule("OP005", "outside-payment", "offplatform", MESSAGE, Severity.ERROR,
         "Remove '{text}': payments and refunds must go through Amazon, not {method}.",
         outside_payment),
    Rule("OP006", "contact-request", "offplatform", MESSAGE, Severity.ERROR,
         "Remove '{text}': do not ask for the buyer's own e-mail address or phone number; keep the conversation in this thread.",
         contact_request),
    Rule("OP007", "offplatform-link", "offplatform", MESSAGE, Severity.ERROR,
         "Remove the link '{url}': it leads to {site}, off Amazon.",
         offplatform_link),
)
