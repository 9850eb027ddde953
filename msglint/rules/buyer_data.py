"""Buyer data: asking the buyer for sensitive personal data (BD001-BD003), exposing another customer's (BD004).

A data term ("card number", "Passwort", "DNI", "生年月日") is a finding only when the same sentence
asks for it: a request word ("send", "we need", "what is your", "bitte senden Sie", "necesitamos",
"ci serve", "お送りください"), or a form line ("Card number: ____"). A sentence where the request is
negated ("we will never ask for your password, card number ...", "please don't send it to us") is a
warning to the buyer, not a request, and is skipped whole. Weak terms need a companion: an expiry date
or "last four digits" only count when a card is named in the sentence, and a card itself only when a
photo or copy of it is asked for.

The term lists are ``wordlists/buyer_data/<lang>.yml``; the groups shared by the three request rules
are ``request``, ``photo``, ``amazon_place`` (the buyer is sent to Amazon's own pages, not to the
seller) and ``customization`` (a birth date to engrave is order data).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

import regex

from msglint.context import Context
from msglint.contactscan import phones
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint.lexicon import fold
from msglint.terms import Match, TermIndex, ctx_terms, family_words

MESSAGE = frozenset({"message"})
_F = "buyer_data:"
_REQUEST = _F + "request"
_VALUE_AFTER = lazy(regex.compile, r"[ \t]*[:：#]?[ \t]*\d{4,}(?!\d)")
_KINDS = {
    "payment": (_F + "card", _F + "card_weak", _F + "card_object", _F + "bank"),
    "credential": (_F + "credential",),
    "identity": (_F + "identity", _F + "tax_id"),
}
_DATA_GROUPS = tuple(g for groups in _KINDS.values() for g in groups)
_KIND_OF = {g: kind for kind, groups in _KINDS.items() for g in groups}
_FORM_FIELD = lazy(regex.compile, r"[ \t]*[:：]")


@dataclass(frozen=True)
class _Ask:
    kind: str                 # payment | credential | identity
    start: int                # span: from the request to the last data term (or the reverse)
    end: int
    data: tuple[str, ...]     # the data named, as written
    only_tax: bool            # all data are tax numbers (sometimes needed for an invoice)
    invoice: bool = False     # the sentence is about an invoice


def _is_data(ctx: Context, m: Match) -> bool:
    text = ctx.text[m.start:m.end]
    # short words that are data only when written in capitals ("PIN", not a shelf "pin"; "SIN", not "sin")
    if fold(text) in family_words("buyer_data", m.lang or ctx.lang, "acronyms") and not text.isupper():
        return False
    return not ctx.inside_longer_word(m.start, m.end)


def _printable(ctx: Context, m: Match) -> bool:
    return fold(ctx.text[m.start:m.end]) in family_words("buyer_data", m.lang or ctx.lang, "printable")


def _form_field(ctx: Context, m: Match) -> bool:
    """'Card number: ____' on a line of its own: a form the buyer is asked to fill in."""
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    before = ctx.text[line_start:m.start].strip(" \t-*•·0123456789.)")
    if before and before.lower() not in ("your", "ihre", "votre", "su", "sua", "il", "la", "le"):
        return False
    return bool(_FORM_FIELD.match(ctx.text, m.end))


def _distance(a: Match, b: Match) -> int:
    if a.tok_end <= b.tok_start:
        return b.tok_start - a.tok_end
    if b.tok_end <= a.tok_start:
        return a.tok_start - b.tok_end
    return 0


def _photo_of_card(idx: TermIndex, card: Match, photos: list[Match], ja: bool) -> bool:
    """A photo, scan or copy asked for right before the card ("a photo of the front and back of your card")."""
    for p in photos:
        if p.tok_end <= card.tok_start and card.tok_start - p.tok_end <= (20 if ja else 10):
            return True
        if ja and card.tok_end <= p.tok_start and p.tok_start - card.tok_end <= 6:  # クレジットカードの写真
            return True
    return False


# a list item: "1. Full name", "- IBAN", "・生年月日"
_LIST_ITEM = lazy(regex.compile, r"\s*(?:\d{1,2}[.)、．]|[-–•・*●■◆▪]|[①-⑳])\s*\S")


def _list_header_requests(ctx: Context, idx: TermIndex, sent: int) -> list[Match]:
    """The requests of the line that opens the list ``sent`` is an item of ("kindly send the below details:
    1. Full name 2. Aadhaar number"): the header ends in a colon, and only list items stand between."""
    spans = ctx.sentence_spans()
    if not 0 <= sent < len(spans):
        return []
    if not _LIST_ITEM.match(ctx.text, spans[sent][0]):
        # one line of items right under the header, without bullets ("下記の情報をご返信ください：\n銀行名・支店名・
        # 口座番号・口座名義"): the header is the sentence before, ending in a colon
        line = ctx.text[spans[sent][0]:spans[sent][1]].strip()
        if sent == 0 or "\n" in line or len(line) > 80 or \
                not ctx.text[spans[sent - 1][0]:spans[sent - 1][1]].rstrip().endswith((":", "：")):
            return []
        requests = idx.in_sentence(sent - 1, _REQUEST)
        return [] if any(idx.negated(r) for r in requests) else requests
    i = sent - 1
    while i >= 0 and sent - i <= 12 and _LIST_ITEM.match(ctx.text, spans[i][0]):
        i -= 1
    if i < 0:
        return []
    # the header ends in a colon or announces the list ("the following", "以下"; wordlists/_lang: list_openers)
    header = ctx.text[spans[i][0]:spans[i][1]]
    if not header.rstrip().endswith((":", "：")) and not idx.in_sentence(i, "lang:list_opener"):
        return []
    requests = idx.in_sentence(i, _REQUEST)
    return [] if any(idx.negated(r) for r in requests) else requests


def _continued_requests(ctx: Context, idx: TermIndex, sent: int) -> list[Match]:
    """The requests of the sentence before, where this one opens by continuing it ("Necesitamos su nombre completo.
    También su fecha de nacimiento y el número de pasaporte."; wordlists/_lang: continuations)."""
    if sent == 0:
        return []
    start = ctx.sentence_spans()[sent][0]
    if not any(not ctx.text[start:c.start].strip() for c in idx.in_sentence(sent, "lang:continuation")):
        return []
    requests = idx.in_sentence(sent - 1, _REQUEST)
    return [] if any(idx.negated(r) for r in requests) else requests


def _listed_after(ctx: Context, requests: list[Match], m: Match) -> bool:
    """``m`` stands on a list line ("- a photo of ...") below a request whose line ends in a colon."""
    text = ctx.text
    line_start = text.rfind("\n", 0, m.start) + 1
    if not line_start or not _LIST_ITEM.match(text, line_start):
        return False
    for r in requests:
        r_end = text.find("\n", r.end)
        if r.end <= line_start and r_end != -1 and text[:r_end].rstrip().endswith((":", "：")) and \
                all(_LIST_ITEM.match(text, i + 1) for i in _newlines(text, r_end, line_start - 1)):
            return True
    return False


def _newlines(text: str, start: int, end: int) -> list[int]:
    """Positions of the line breaks between ``start`` and ``end`` that open a non-empty line."""
    out, i = [], text.find("\n", start + 1, end)
    while i != -1:
        if text[i + 1:i + 2].strip():
            out.append(i)
        i = text.find("\n", i + 1, end)
    return out


def _sentence_asks(ctx: Context, idx: TermIndex, sent: int, ja: bool) -> list[_Ask]:
    data = [m for m in idx.in_sentence(sent, *_DATA_GROUPS) if _is_data(ctx, m) and not idx.negated(m)]
    if not data:
        return []
    # a shorter term inside a longer one of another group is the longer one's ("sua carta" in "sua carta d'identità")
    data = [m for m in data if not any(o is not m and o.start < m.end and m.start < o.end
                                       and (o.end - o.start) > (m.end - m.start) for o in data)]
    # "sent" inside "the code we sent to your phone" is part of the data, not a request; a request that only shares
    # a word with the data ("we'll need a copy of" + "copy of your passport") is still one
    requests = [r for r in idx.in_sentence(sent, _REQUEST)
                if not any(m.start <= r.start and r.end <= m.end for m in data)]
    if any(idx.negated(r) for r in requests) or idx.in_sentence(sent, _F + "protect"):
        return []  # "we will never ask for ...", "please don't send it to us": a warning, not a request
    # data the buyer manages at Amazon itself ("update your card details in Your Account")
    # a code printed on the device ("the PIN on the sticker", "本体シールに記載のPIN"): that term only
    # a code written out after its name is told, not asked for ("confirm the PIN code 400053 is correct": the
    # delivery address's postal PIN in India); another customer's ID number written out is disclosed (BD004)
    data = [m for m in data if m.group != _F + "credential" or not _VALUE_AFTER.match(ctx.text, m.end)]
    on_product = idx.in_sentence(sent, _F + "on_product")
    data = [m for m in data if not any(_distance(m, p) <= 4 for p in on_product)]
    places = idx.in_sentence(sent, _F + "amazon_place")
    # a password is never the buyer's to hand over, wherever it is used ("la password con cui entra su Amazon")
    data = [m for m in data if m.group == _F + "credential"
            or not any(0 <= p.tok_start - m.tok_end <= 3 or (ja and 0 <= m.tok_start - p.tok_end <= 3) for p in places)]
    forms = [m for m in data if _form_field(ctx, m)]
    header = [] if requests or forms else (_list_header_requests(ctx, idx, sent) or _continued_requests(ctx, idx, sent))
    if header:
        forms = list(data)  # each item of a list the header asks for is asked for
    elif requests:
        # a header and its items in one sentence ("please reply with:\n- the serial number\n- a photo of your
        # driving license"): each item on a list line after a request whose line ends in a colon is asked for
        forms += [m for m in data if m not in forms and _listed_after(ctx, requests, m)]
    if not requests and not forms:
        return []
    cards = [m for m in data if m.group in (_F + "card", _F + "card_object")]
    photos = idx.in_sentence(sent, _F + "photo")
    customised = bool(idx.in_sentence(sent, _F + "customization"))
    kept = []
    for m in data:
        if m.group == _F + "card_weak" and not any(_distance(m, c) <= (10 if ja else 6) for c in cards):
            continue  # "expiry date" of a card, not of a sunscreen; "last 4 digits" of a card, not of a serial
        if m.group == _F + "card_object" and not _photo_of_card(idx, m, photos, ja):
            continue
        if customised and _KIND_OF[m.group] == "identity" and _printable(ctx, m):
            continue  # the birth date to engrave on a gift; a passport or ID number is never printed
        kept.append(m)
    window = 40 if ja else 25
    out = []
    for kind in _KINDS:
        found = [m for m in kept if _KIND_OF[m.group] == kind]
        if not found:
            continue
        near = _nearest(found, requests, window, ja)
        if near is None and not any(m in forms for m in found):
            continue
        first, last = found[0], found[-1]
        start, end = first.start, last.end
        if near is not None and not all(m in forms for m in found):  # a listed item: the item alone
            start, end = min(start, near.start), max(end, near.end)
            if near.start > last.end:  # request after the data (ja, de verb-final): data .. request
                start = first.start
        texts = tuple(dict.fromkeys(ctx.text[m.start:m.end] for m in found))
        only_tax = all(m.group == _F + "tax_id" for m in found)
        invoice = bool(idx.in_sentence(sent, _F + "invoice") or (sent and idx.in_sentence(sent - 1, _F + "invoice")))
        out.append(_Ask(kind, start, end, texts, only_tax, invoice))
    return out


def _nearest(found: list[Match], requests: list[Match], window: int, ja: bool) -> Optional[Match]:
    """The request that governs the data: the closest one before it, else a close one after it.

    Requests come before their object in en/fr/es/it ("send your IBAN") and after it in Japanese
    and German subordinate clauses ("IBANをお送りください", "die Sie uns senden"); a request well after
    the data is usually the seller's own action ("... before we send the replacement").
    """
    best, best_d = None, window + 1
    for r in requests:
        before = r.tok_end <= found[0].tok_start
        d = min(_distance(r, m) for m in found)
        if not before and not ja:
            d = d * 2 + 1
        if d < best_d:
            best, best_d = r, d
    return best


def _asks(ctx: Context) -> list[_Ask]:
    if "buyer_data_asks" not in ctx.cache:
        idx = ctx_terms(ctx)
        out: list[_Ask] = []
        if idx.has(*_DATA_GROUPS):
            ja = ctx.ja
            for sent in sorted({m.sent for m in idx.get(*_DATA_GROUPS)}):
                out.extend(_sentence_asks(ctx, idx, sent, ja))
        ctx.cache["buyer_data_asks"] = out
    return ctx.cache["buyer_data_asks"]


def _hits(ctx: Context, kind: str) -> Iterator[Hit]:
    for ask in _asks(ctx):
        if ask.kind == kind:
            if ask.only_tax and ask.invoice:
                continue  # "for the invoice in your company's name we need the company name and VAT number"
            severity = Severity.WARNING if ask.only_tax else None
            yield Hit(ask.start, ask.end, {"data": "', '".join(ask.data)}, severity=severity)


def payment_data_request(ctx: Context) -> Iterator[Hit]:
    """Asking the buyer for card or bank details.

    What it flags: a request, in the same sentence, for a card number, CVV/CVC or security code,
    expiry date or last four digits of a card, a photo or copy of the card, or bank details (IBAN,
    BIC, sort code, account or routing number), in English, German, French, Spanish, Italian and
    Japanese: "Reply with your card number, expiry date and CVV", "please send a photo of the front
    and back of the credit card", "senden Sie uns Ihre IBAN", "ci serve il numero della sua carta".
    Why: a seller never needs the buyer's payment data: payments and refunds go through Amazon, and
    asking for personal data the order does not need is prohibited (POLICY MSG-C10, section A "buyer
    data used only to fulfil the order"); a card or bank number asked for in a message is also the
    first step of a payment outside Amazon (offplatform).
    Examples: flagged "Please send your sort code and account number and we'll transfer £25";
    fine "We will never ask for your card number", "the refund shows on your card statement in
    3-5 days", "please confirm the expiry date printed on the sunscreen bottle".
    Known false positives: a sentence that names a card and also asks for an unrelated expiry date
    ("the card inside the box ... send us the expiry date").
    Fix: remove the request; refunds are issued through Amazon, which already has the payment method.
    """
    yield from _hits(ctx, "payment")


def credential_request(ctx: Context) -> Iterator[Hit]:
    """Asking the buyer for a password, PIN or one-time/verification code.

    What it flags: "What is your Amazon password?", "send us the verification code you received",
    "teilen Sie uns Ihr Passwort mit", "envoyez-nous le code reçu par SMS", "パスワードを教えてください".
    Why: no seller ever needs the buyer's login, PIN or one-time codes; asking for them is asking for
    sensitive data the order does not need and looks like an account takeover (POLICY MSG-C10).
    Examples: flagged "Reply with your login details and I'll check the order myself";
    fine "We will never ask for your password", "the app asks for your Wi-Fi password; please don't
    send it to us", "the shelf pin goes in hole 3".
    Known false positives: a code that belongs to the product, not to the buyer ("send us the PIN
    printed on the safe's reset card"); Wi-Fi, router and app passwords are never flagged.
    Fix: remove the request; check the order in Seller Central, never with the buyer's account.
    """
    yield from _hits(ctx, "credential")


def identity_data_request(ctx: Context) -> Iterator[Hit]:
    """Asking the buyer for ID documents, ID numbers or the date of birth.

    What it flags: a request for a passport, ID card, driving licence, Social Security / Social
    Insurance / national insurance number, Personalausweis, pièce d'identité, DNI/NIE, carta
    d'identità, マイナンバー or 運転免許証 (numbers or copies), or the date of birth: "please send a copy of
    your driver's license", "necesitamos una foto de su DNI y su fecha de nacimiento". Tax numbers
    (tax ID, codice fiscale, NIF) are a warning: a business invoice may need them.
    Why: identity data is never needed to ship, replace, refund or register a warranty on an Amazon
    order (POLICY MSG-C10, section A).
    Examples: flagged "to register your warranty we need your Social Security number and date of birth";
    fine "Please bring photo ID to collect the parcel at the post office", "could you confirm the
    date of birth you want engraved on the pendant?", "reply with the serial number and the date of
    purchase".
    Known false positives: customs forms of some countries that require the buyer's ID number (not
    on the marketplaces msglint covers).
    Fix: remove the request; the order, its ID and a photo of the product or label are enough.
    """
    yield from _hits(ctx, "identity")


# --- another customer's data -----------------------------------------------------------------

_ORDER_ID = lazy(regex.compile, r"(?<!\d)\d{3}-\d{7}-\d{7}(?!\d)")
_STREET_EN = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Ter|"
              r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Close|Crescent|Cres|Square|Sq|Row|Gardens|Grove|Mews|Hill|Trail")
# Street address shapes, each with the cheap substring test that must pass before the regex runs
# (most messages have no address; the alternation of all shapes costs more than the rest of the rule).
_ADDRESS_SHAPES = (
    # 418 Linden Ave, Apt 3B / 12 High Street
    (None, lazy(regex.compile,
        r"(?<![\w-])\d{1,5}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:\p{Lu}[\p{L}'’-]*\.?\s+){1,3}(?:" + _STREET_EN + r")\b\.?"
        r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\.?\s*#?[\w-]+)?")),
    # Lindenstraße 12 / Hauptstr. 5 / Venloer Str. 211 / Kölner Straße 3
    (("straße", "strasse", "str.", "weg ", "allee", "platz", "gasse", "ring ", "damm", "ufer", "chaussee"),
     lazy(regex.compile,
        r"\b\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee"
        r"|\s(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee))\s+\d{1,4}"
        r"(?:\s?[a-z](?!\p{L}))?")),
    # 12 rue de la Paix / 5 bis avenue Foch
    (("rue ", "avenue ", "av. ", "boulevard ", "bd ", "chemin ", "allée ", "place ", "impasse ", "quai ", "route ", "cours "),
     lazy(regex.compile,
        r"(?<![\w-])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|chemin|allée|place|impasse|quai|route|cours)"
        r"\s+(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?\p{Lu}[\p{L}'-]*"
        # rue du Simplon 12 (Switzerland, Belgium: the number after the street)
        r"|(?<![\w-])(?i:rue|avenue|boulevard|chemin|allée|place|impasse|quai|route)\s+"
        r"(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?\s+\d{1,4}\b")),
    # Via Roma 10 / Calle Mayor 5 / Avda. de la Paz, 12
    (("Via ", "Viale ", "Piazza ", "Corso ", "Vicolo ", "Largo ", "Calle ", "C/", "Avenida ", "Avda", "Av. ", "Plaza ",
      "Paseo ", "Camino ", "Carrer ", "Ronda ", "Blvd. ", "Bulevar "), lazy(regex.compile,
        r"\b(?i:Via|Viale|Piazza|Corso|Vicolo|Largo|Calle|C/|Avenida|Avda\.?|Av\.|Plaza|Paseo|Camino|Carrer|Ronda|"
        r"Blvd\.|Bulevar)\s+"
        r"(?:(?:de(?:l|\s+la|\s+los|\s+las)?|di|della|dei|San|Santa)\s+)?(?:\p{Lu}[\p{L}'.]*\s?){1,4},?\s*(?:n\.?\s?º\s*)?"
        r"\d{1,4}\b")),
    # the postcode and town that close an address after a comma: ", 96450 Coburg", ", 75011 Paris", ", Kochi 682020"
    ((",",), lazy(regex.compile,
        # with the street line before it when that is words and a house number ("Am Anger 7, 96450 Coburg")
        r"(?:(?<![\w-])(?:\p{Lu}[\p{L}.'’-]*\s+){1,3}\d{1,4}[a-zA-Z]?\s*)?"
        r",\s*(?:\d{5}\s+\p{Lu}[\p{Ll}-]+(?:\s+\p{Lu}[\p{Ll}-]+)?|\p{Lu}[\p{Ll}-]+\s+\d{6})(?![\w-])")),
    # 東京都新宿区西新宿2-8-1 / 3丁目5番2号
    (("市", "区", "町", "村", "丁目"), lazy(regex.compile,
        r"[\p{Han}]{1,6}[市区町村][\p{Han}\p{Katakana}ー]{0,8}\d{1,3}(?:丁目|-)\d{1,4}(?:番地?|-)\d{1,4}号?"
        r"|\d{1,2}丁目\d{1,3}番地?\d{0,3}号?")),
)


_ADDRESS_SHAPES = tuple((None if n is None else tuple(x.lower() for x in n), p) for n, p in _ADDRESS_SHAPES)
_DIGIT = lazy(regex.compile, r"\d")


def _addresses(text: str) -> Iterator[tuple[int, int]]:
    """Address spans, overlapping shapes merged ("Eppendorfer Weg 212" and "…, 20251 Hamburg" are one address)."""
    lower = text.lower()
    spans = []
    for needles, pattern in _ADDRESS_SHAPES:
        if needles is not None and not any(map(lower.__contains__, needles)):
            continue
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        yield start, end


_TITLE = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Herrn|Herr|Frau|M|Mme|Mlle|Monsieur|Madame|Mademoiselle|Sr|Sra|Srta|"
          r"(?i:señor|señora|señorita|don|doña|signor|signora|signorina)|Sig|Sig\.ra|Sigra|Dott|Dott\.ssa)\.?")
_NAME_WORD = r"\p{Lu}[\p{Ll}'’-]+"
# a person named right before the address or order: "to Robert Haines at ", "Linda Park (order ",
# "山田太郎様（注文番号："
_NAME_BEFORE = lazy(regex.compile,   # searched backwards ((?r)): it is anchored at the end of the text before the spot
    r"(?r)(?:(?P<title>" + _TITLE + r")\s+(?P<n1>" + _NAME_WORD + r")(?:\s+(?P<n2>" + _NAME_WORD + r"))?"
    r"|(?P<n3>" + _NAME_WORD + r")\s+(?P<n4>" + _NAME_WORD + r")"
    r"|(?P<ja>[\p{Han}]{2,5})(?:様|さん|氏))"
    # "Carol Jennings in Tulsa (": the town after the name
    r"(?:\s+(?:in|from|aus|à|en|di|da)\s+\p{Lu}[\p{L}'-]+)?"
    r"\s*(?:,|\(|（)?\s*(?:(?:who\s+lives?|living|wohnhaft|qui\s+habite|que\s+vive|che\s+abita)\s+)?"
    r"(?:at|in|on|of|from|in\s+der|in\s+via|à|au|en|en\s+la|a|de|de\s+la|del|della|dalla|の)?\s*(?:,|\(|（)?\s*"
    r"(?:(?:order|order\s+no\.?|order\s+number|order\s+ID|Bestellung|Bestellnr\.|commande|pedido|ordine|ご?注文番号)\s*[:#：]?\s*)?$"
)
# capitalised words that are not people: carriers, places in an address line, message furniture
_NOT_NAMES = frozenset("""
ihr ihre ihrer ihrem ihren ihres unser unsere unserer unseren bestellung bestellnummer auftrag auftragsnummer
votre notre commande numéro su sus nuestro nuestra pedido número suo sua nostro nostra ordine numero nummer
the your our their this that order orders amazon prime royal mail canada post deutsche la poste poste italiane
correos post office ups dhl fedex usps dpd evri hermes gls yamato sagawa customer service support team logistics
hi hello dear thanks thank regards best kind warm cheers hallo liebe lieber sehr geehrte geehrter bonjour madame
monsieur chère cher hola estimado estimada gentile caro cara buongiorno salve ciao
apt apartment suite unit flat floor street avenue road lane drive way north south east west new saint st
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december access point store locker hub warehouse please we you
pro max plus mini ultra lite air neo smart edge classic deluxe premium elite turbo sport duo trio xl xs xxl
les le la el los las il lo gli der die das den résidence residence residenz residencia residenza apartments
""".split())  # the last line: words of product names ("the Ionic Pro (order ...)", "Drill Max"), not of people
_GREETING = lazy(regex.compile,
    r"^\s*(?:Hi|Hello|Dear|Hey|Good\s+(?:morning|afternoon|evening)|G'day|Hallo|Guten\s+Tag|Sehr\s+geehrte[rs]?|"
    r"Liebe[rs]?|Bonjour|Bonsoir|Cher|Chère|Hola|Estimad[oa]|Buenos\s+días|Gentile|Gent\.mo|Gent\.ma|Car[oa]|"
    r"Buongiorno|Salve|Ciao)\b[^,\n:!]{0,60}|^\s*[\p{Han}\p{Katakana}]{1,8}(?:様|さん)"
)


# a place right after a name ("Linda Park in Denver"), the end of a sentence inside the 70 characters
# before an address or order ("... today. Linda Park (order"), and how a finding names what it found
_PLACE_AFTER = lazy(regex.compile, r",?\s+(?:in|from|near|aus|de|à|en|di|a|da)\s+\p{Lu}")
# a full stop ends a sentence, except after a title ("Mr. Hughes", "M. Lefèvre", "Sig. Ferri")
_SENTENCE_END = lazy(regex.compile,
    r"(?<![\s(](?:Mr|Mrs|Ms|Dr|M|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dott|Dott\.ssa|Hr|Fr)\.)(?<=[.!?。！？])\s+|\n")
_WHAT = {"address": "a street address", "order": "an order", "phone": "a phone number"}


def _greeting_names(ctx: Context) -> frozenset:
    """Names in the greeting and the last lines (the buyer and the seller are not third parties)."""
    cached = ctx.cache.get("buyer_data_greeting")
    if cached is None:
        words = set()
        m = _GREETING.search(ctx.text)
        if m:
            words.update(w.lower() for w in regex.findall(r"\p{L}[\p{L}'’-]+", m.group()))
            words.update(regex.findall(r"[\p{Han}]{1,8}(?=様|さん)", m.group()))
        text = ctx.text.rstrip()
        if "\n" in text:  # short closing lines: "Best regards," / "Corvin Tools"
            tail = [line for line in text.rsplit("\n", 2)[-2:] if len(line) <= 40]
        else:  # one-line message signed "... – Vellby Home"
            dash = max(text.rfind(" – "), text.rfind(" — "), text.rfind(" - "))
            tail = [text[dash:]] if dash >= 0 and len(text) - dash <= 50 else []
        for line in tail:
            words.update(w.lower() for w in regex.findall(r"\p{Lu}[\p{L}'’-]+", line))
        cached = ctx.cache["buyer_data_greeting"] = frozenset(words)
    return cached


_NAME_ANY = lazy(regex.compile,
    r"(?P<title>" + _TITLE + r")\s+(?P<n1>" + _NAME_WORD + r")(?:\s+(?P<n2>" + _NAME_WORD + r"))?(?!\w)"
    r"|(?<![\w.])(?P<n3>" + _NAME_WORD + r")\s+(?P<n4>" + _NAME_WORD + r")(?!\w)"
    # 佐藤恵子様 (a whole run of kanji before the honorific; not お客様, 皆様, 配送業者様)
    r"|(?<!\p{Han})(?P<ja>(?!(?:客|皆|各|業者|配送業者|運送会社|担当者|貴社|御社|先方)(?:様|さん|氏))[\p{Han}]{2,5})(?=様|さん|氏)"
)


def _third_party_name(ctx: Context, before: str):
    """The match of a third party's name at the end of ``before``, or None."""
    m = _NAME_BEFORE.search(before)
    if m and ctx.lang == "de" and m.group("n3"):
        return None  # German capitalises nouns and "Sie": "Wählen Sie Bestellung 306-..." names nobody; a name needs its title
    return m if m and _is_third_party(ctx, m) else None


def _is_third_party(ctx: Context, m) -> bool:
    """A person's name (not a carrier, not message furniture) that is neither the buyer's nor the seller's."""
    known = _greeting_names(ctx)
    if m.groupdict().get("ja"):
        name = m.group("ja")
        return not any(name in k or k in name for k in known if regex.match(r"\p{Han}", k))
    words = [w for w in (m.group("n1"), m.group("n2"), m.group("n3"), m.group("n4")) if w]
    if any(w.lower() in _NOT_NAMES for w in words):
        return False
    return not any(w.lower() in known for w in words)


def _about_others(ctx: Context, start: int) -> bool:
    """The sentence at ``start`` (or the one before it) speaks of another customer or of the same problem
    someone else had ("別のお客さんの荷物と入れ替わって…。届いた荷物は田中様（090-…）宛て")."""
    s_start, s_end = ctx.sentence_span(start)
    if s_start:
        s_start = ctx.sentence_span(s_start - 1)[0]
    return any(s_start <= m.start < s_end for m in ctx_terms(ctx).get(_F + "third_party", _F + "same_issue"))


def other_customer_data(ctx: Context) -> Iterator[Hit]:
    """Another customer's name given together with their street address or order.

    What it flags: a person other than the buyer greeted, named right before a street address
    ("delivered by mistake to Robert Haines at 418 Linden Ave, Apt 3B") or an order ID ("Linda Park
    (order 112-7738201-4490123) in Denver had the same problem"), and a street address given in the
    same sentence as (or the sentence after) "another customer" or "your neighbour". Titles of six languages count ("M.
    Dubois, 4 rue des Acacias", "signora Bianchi, in via Mazzini 21", "señor Gómez, calle Alcalá 40").
    A person's name next to "another
    customer" or "your neighbour" (or next to "had the same problem" with a title or a place: "Mrs. Jane
    Roe", "Linda Park in Denver") is a warning. Addresses are recognised in US/UK, German, French,
    Italian, Spanish and Japanese shapes; the names of the greeting and the signature are never a third
    party.
    Why: buyer data may be used only to fulfil that buyer's order; showing one customer's name,
    address or order to another is a data breach (POLICY MSG-C10, section A "buyer data").
    Examples: flagged "your parcel went to Jane Roe at 12 Oak St, Apt 3, Dayton, OH";
    fine "Hello Mr. Rossi, the sofa from order 114-6639201-7740582 ships today", "we will reship to
    12 Oak St, Apt 3 - is that still right?" (the buyer's own address), "Royal Mail at 12 High Street".
    Known false positives: a company or a person the buyer named first (a gift recipient) written
    as "First Last" before an address; the seller's own return address after a person's name.
    Fix: remove the other person's name, address and order; say "another customer" or "another address".
    """
    text = ctx.text
    cues = [m.start for m in ctx_terms(ctx).get(_F + "third_party")]
    spots = []
    if _DIGIT.search(text):
        spots = [(start, end, "address") for start, end in _addresses(text)]
        spots += [(m.start(), m.end(), "order") for m in _ORDER_ID.finditer(text)]
        # "a lady named Carol Jennings in Tulsa (918-555-0182)": another person's phone number, only after their name
        spots += [(p.start, p.end, "phone") for p in phones(ctx)]
    reported = []
    for start, end, what in sorted(spots):
        before = _SENTENCE_END.split(text[max(0, start - 70):start])[-1]
        name = _third_party_name(ctx, before)
        if name and what == "phone" and not _about_others(ctx, start):
            continue  # "call our technician Mike Brown at 415-555-0134": a contact, not a customer's data
        if name:
            reported.append((start - len(before) + name.start(), end))
            yield Hit(*reported[-1], {"what": f"a name with {_WHAT[what]}"})
        elif what == "address" and cues:
            # the cue in the address's sentence or the one before ("... ist bei einem anderen Kunden gelandet.
            # Er wohnt bei dir in der Nähe: Thomas Reimers, Eppendorfer Weg 212")
            s_start, s_end = ctx.sentence_span(start)
            if s_start:
                s_start = ctx.sentence_span(s_start - 1)[0]
            if any(s_start <= c < s_end for c in cues):
                reported.append((start, end))
                yield Hit(start, end, {"what": _WHAT[what]})
    # "another customer, Sarah Jones, had the same issue": a name beside the cue, no address; beside the weaker
    # "same problem" only with a title or a place ("Linda Park in Denver", not "the Corvin Drill Pro"). German
    # capitalises every noun ("Könnten Sie", "Die Sendung"), so there a name needs its title (Herr, Frau).
    sentences = {ctx.sentence_span(c): True for c in cues}
    for m in ctx_terms(ctx).get(_F + "same_issue"):
        sentences.setdefault(ctx.sentence_span(m.start), False)
    titled_only = ctx.lang == "de"
    for (s_start, s_end), strong in sorted(sentences.items()):
        for m in _NAME_ANY.finditer(text, s_start, s_end):
            titled = bool(m.group("title") or m.group("ja"))
            if titled_only and not titled:
                continue
            if not (strong or titled or _PLACE_AFTER.match(text, m.end())):
                continue
            if _is_third_party(ctx, m) and not any(a <= m.start() < b for a, b in reported):
                yield Hit(m.start(), m.end(), {"what": "a name"}, severity=Severity.WARNING)



RULES = (
    Rule("BD001", "payment-data-request", "buyer.data", MESSAGE, Severity.ERROR,
         "Do not ask the buyer for '{data}': sellers never need card or bank details; payments and refunds "
         "go through Amazon.", payment_data_request),
    Rule("BD002", "credential-request", "buyer.data", MESSAGE, Severity.ERROR,
         "Do not ask the buyer for '{data}': passwords, PINs and verification codes must never be asked for.",
         credential_request),
    Rule("BD003", "identity-data-request", "buyer.data", MESSAGE, Severity.ERROR,
         "Do not ask the buyer for '{data}': ID documents, ID numbers and dates of birth are not needed to "
         "fulfil an order.", identity_data_request),
    Rule("BD004", "other-customer-data", "buyer.data", MESSAGE, Severity.ERROR,
         "Remove '{text}': it shows another customer's personal data ({what}); buyer data may be used only for "
         "that buyer's order.", other_customer_data),
)
