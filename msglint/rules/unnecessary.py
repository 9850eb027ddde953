"""Unnecessary proactive messages (UN): messages Amazon does not permit because they serve no order.

Amazon allows a proactive message only when it is needed to complete the order or to answer
the buyer (POLICY MSG-T02). Thank-you-only notes, shipping or order confirmations, "just
checking in", holiday greetings and asking the buyer to cancel for the seller's own stock
problem are not (MSG-T03, MSG-T04, MSG-T06); neither are "[Important]" tags (MSG-K02) and
unsubscribe lines (MSG-L05).

These rules decide on the WHOLE message, not on a phrase: "your replacement has shipped"
after a complaint is a permitted message, "your order has shipped" alone is not. The term
lists (``wordlists/unnecessary/<lang>.yml``) give

* triggers: ``shipped``/``sent`` (+ ``order_ref``), ``thanks`` + ``order_obj``/``appreciation``,
  ``checkin``, ``holiday``, ``cancel_ask``/``cancel_verb`` + ``buyer_side``, ``important_tag``,
  ``unsubscribe``;
* what makes a message permitted: ``purpose`` (replacement, refund, return, damage, delay,
  address, customisation, review request ...) and ``reactive`` (a reply to the buyer);
* words with no content of their own: ``greeting``, ``closing``, ``pleasantry``, ``filler``.

A message is "filler only" when, after the greeting, the signature, stop words, names and
the words of those groups are set aside, at most two content words are left (four content
characters in Japanese). The span reported is the offending sentence, without the greeting.
"""
from __future__ import annotations

from functools import cached_property
from typing import Iterator, Optional

import regex
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, IS_TITLE, IS_UPPER, LENGTH, SENT_START

from msglint.context import Context
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint import lang as langdata
from msglint.contactscan import emails, links, phones
from msglint.spans import first_per_sentence, inside, overlaps_any, quoted
from msglint.terms import Match, TermIndex, ctx_terms

MESSAGE = frozenset({"message"})
F = "unnecessary:"

# Groups whose words carry no content of their own (for the "filler only" measure).
_NO_CONTENT = tuple(F + g for g in (
    "thanks", "order_obj", "appreciation", "greeting", "closing", "pleasantry", "filler", "holiday",
    "shipped", "sent", "order_ref", "checkin", "important_tag"))
_TOKEN_ATTRS = [SENT_START, IS_SPACE, IS_PUNCT, IS_ALPHA, IS_STOP, IS_TITLE, IS_UPPER, LENGTH, IDX]
_MAX_CONTENT = 2        # content words left in a filler-only message
_MAX_CONTENT_JA = 4     # content characters (kanji/katakana) in Japanese
_CONTENT_CHAR = lazy(regex.compile, r"[\p{Han}\p{Katakana}]")
_CJK = lazy(regex.compile, r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
# promotion makes a message marketing (the marketing rules report it), whatever else it is
_PROMOTION = ("marketing:discount", "marketing:future", "marketing:sale", "marketing:offer_gift", "marketing:code_cue")
# a thank-you that sends the buyer off Amazon is for that, not only a thank-you
_DIVERSION = ("offplatform:msg_app", "offplatform:social", "offplatform:own_shop", "offplatform:outside",
              "offplatform:direct_order", "offplatform:cheaper", "offplatform:payment")
_ASKED_DATA = ("buyer_data:card", "buyer_data:bank", "buyer_data:credential", "buyer_data:identity")
_DASH_SIGNATURE = lazy(regex.compile, r"(?:^|\s)[–—-]{1,2}\s*[^\n.!?。]{1,60}\s*\Z")
_TRAILING = frozenset(" \t\r\n–—-¡¿")
_WORD = lazy(regex.compile, r"\w")
_GREETING_STOP = lazy(regex.compile, r"[,!:;]")


def _ja_addressee():
    """A first line that names the buyer ("山田様"), by the addressee suffixes of wordlists/_lang/ja.yml."""
    if "re" not in _JA:
        suffixes = sorted(langdata.get("ja").words("addressee_suffixes"), key=len, reverse=True)
        _JA["re"] = regex.compile(r"\A\s*[^\n]{1,30}(?:" + "|".join(map(regex.escape, suffixes)) + r")[ 、,]*(?:\n|\Z)")
    return _JA["re"]


_JA: dict = {}


class _Analysis:
    """What the unnecessary rules need to know about one message, computed once and lazily."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.idx = idx = ctx_terms(ctx)
        self.ja = ctx.doc.lang_ == "xx"
        self.greeting_end, self.signature_start = _zones(ctx, idx)
        # something in the message gives it an order purpose
        soft = idx.get(F + "pleasantry", F + "closing", F + "greeting", F + "reactive")
        # "started 11 years ago with one kiln and a lot of broken pots": a word of the shop's story is no purpose
        story = {m.clause for m in idx.get(F + "story")}
        self.purpose = any(not inside(m, soft) and not _quoted(ctx, m) and m.clause not in story
                           for m in idx.get(F + "purpose")) \
            or idx.has("review:review_noun", "review:review_act", "review:feedback_noun",
                       "review:positive")  # a review request (also "por favor dejar ⭐⭐⭐⭐⭐")
        # the message answers the buyer
        self.reactive = idx.has(F + "reactive")
        if not self.reactive and idx.has(F + "reply_start"):
            # "Yes, ...", "Sure! ..." opening a sentence answers the buyer
            self.reactive = any(_opens_sentence(ctx, m, self.greeting_end) for m in idx.get(F + "reply_start"))
        self._content: Optional[list[int]] = None
        # "Merry Christmas! Here's 15% off your next order": marketing, not an unnecessary note
        self.promotes = bool(idx.live(*_PROMOTION))

    @cached_property
    def permitted(self) -> bool:
        """The message has an order purpose (also: a real question) or answers the buyer."""
        if self.purpose or self.reactive:
            return True
        text = self.ctx.text
        if "?" not in text and "？" not in text:
            return False
        if any(m.start >= self.greeting_end for m in self.checkins):
            # "Just checking in: did it arrive OK? How are you finding it?": the check-in's own questions
            # ("Hola Karla, ¿qué tal?" in the greeting line is a greeting, not a check-in)
            return False
        idx = self.idx
        for si, sent in enumerate(self.ctx.doc.sents):
            if ("?" in sent.text or "？" in sent.text) and self.content[si] >= 2 \
                    and not idx.in_sentence(si, F + "checkin"):
                return True
        return False

    @cached_property
    def notices(self) -> list[Match]:
        """Shipping and order confirmations: strong phrases, or weak ones with the order as subject."""
        idx = self.idx
        notices = idx.get(F + "shipped")
        for m in idx.get(F + "sent"):
            if idx.in_sentence(m.sent, F + "order_ref"):
                notices.append(m)
        return sorted(_live(self.ctx, idx, notices), key=lambda m: m.start)

    @cached_property
    def holidays(self) -> list[Match]:
        return _live(self.ctx, self.idx, self.idx.get(F + "holiday"))

    @cached_property
    def checkins(self) -> list[Match]:
        reactive = self.idx.get(F + "reactive")
        return [m for m in _live(self.ctx, self.idx, self.idx.get(F + "checkin")) if not overlaps_any(m, reactive)]

    @property
    def content(self) -> list[int]:
        """Content words per sentence: not greeting, signature, stop word, name or filler."""
        if self._content is None:
            self._content = _content_words(self.ctx, self.idx, self.greeting_end, self.signature_start)
        return self._content

    def content_outside(self, sents: set[int]) -> int:
        return sum(n for i, n in enumerate(self.content) if i not in sents)

    @property
    def limit(self) -> int:
        return _MAX_CONTENT_JA if self.ja else _MAX_CONTENT


def _quoted(ctx: Context, m: Match) -> bool:
    """True when the match stands inside quotation marks in its sentence (a gift note, a quote)."""
    a, _ = ctx.sentence_span(m.start)
    return quoted(ctx.text, a, m.start)


def _zones(ctx: Context, idx: TermIndex) -> tuple[int, int]:
    """(end of the greeting, start of the signature) in characters."""
    text = ctx.text
    greeting_end = 0
    if ctx.doc.lang_ == "xx":
        m = _ja_addressee().match(text)
        if m:
            greeting_end = m.end()
    lead = len(text) - len(text.lstrip())
    for g in idx.get(F + "greeting"):
        if g.start > lead + 3:
            break
        line_end = text.find("\n", g.end)
        line_end = len(text) if line_end == -1 else line_end
        first_line = text[lead:line_end]
        if len(first_line.split()) <= 6:
            greeting_end = line_end
        else:
            stop = _GREETING_STOP.search(text, g.end, g.end + 60)
            greeting_end = stop.end() if stop else g.end
        break
    signature_start = len(text)
    closings = idx.get(F + "closing")
    if closings:
        c = closings[-1]
        before = text[:c.start].rstrip(" \t")
        at_break = not before or before[-1] in "\n.!?,;:。！？–—-"
        if at_break and len(text[c.end:].split()) <= 6:
            signature_start = c.start
    dash = _DASH_SIGNATURE.search(text, max(0, len(text) - 70))
    if dash and dash.start() < signature_start:
        signature_start = dash.start()
    last_nl = text.rstrip().rfind("\n")
    if last_nl > 0:
        last_line = text[last_nl + 1:].strip()
        if last_line and len(last_line.split()) <= 4 and last_line[-1] not in ".!?。！？":
            signature_start = min(signature_start, last_nl + 1)
    return greeting_end, signature_start


def _content_words(ctx: Context, idx: TermIndex, greeting_end: int, signature_start: int) -> list[int]:
    doc = ctx.doc
    text = ctx.text
    # words of the no-content groups, by character (matches of another language index another Doc)
    covered = bytearray(len(text) + 1)
    for m in idx.get(*_NO_CONTENT):
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    _cover_named(ctx, idx, covered)
    for c in (*emails(ctx), *phones(ctx), *links(ctx)):
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)  # "write to support@...": the contact rules' finding
    ja = doc.lang_ == "xx"
    langs = ctx.languages
    foreign = None
    if langs is not None and any(seg.lang in ("zh", "ko") for seg in langs.segments):
        foreign = lambda pos: langs.lang_at(pos) in ("zh", "ko")  # noqa: E731
    names = ctx.lang != "de"  # German capitalises every noun
    rows = doc.to_array(_TOKEN_ATTRS).tolist()
    content: list[int] = []
    n = 0
    initial = True
    for i, (sent_start, space, punct, alpha, stop, title, upper, length, pos) in enumerate(rows):
        if sent_start == 1 and i:
            content.append(n)
            n = 0
            initial = True
        if space or punct:
            continue
        was_initial, initial = initial, False
        if covered[pos] or pos < greeting_end or pos >= signature_start:
            continue
        if foreign and foreign(pos):
            continue  # a Chinese or Korean sentence is the language rules' finding, not content of the message
        if ja:
            if _CONTENT_CHAR.match(text, pos):
                n += 1
            continue
        if not alpha or stop or length < 2 or _CJK.match(text, pos):
            continue  # Chinese or Korean pasted into a Latin-script message is the language rules' finding
        if names and not was_initial and (title or upper):
            continue  # a name: "Laura", "Vellby Home", "UPS"
        n += 1
    content.append(n)
    return content


def _cover_named(ctx: Context, idx: TermIndex, covered: bytearray) -> None:
    """The item and the shop a thank-you names carry no content: "enjoy your new *lamp*", "mit Ihrer
    neuen *Bettwäsche*", "con la sua nuova *moka*" (the word or two after ``item_intro``), and the
    capitalised shop name after "Ihren Einkauf bei" (``shop_intro``; German capitalises every noun,
    so its names are found only this way)."""
    doc = ctx.doc
    for m in idx.get(F + "item_intro", F + "shop_intro"):
        if m.end >= len(ctx.text):
            continue
        shop = m.group == F + "shop_intro"
        i = doc.char_span(m.end, m.end, alignment_mode="expand")
        t = i.start if i is not None else None
        if t is None:
            continue
        taken = 0
        while t < len(doc) and taken < (3 if shop else 2):
            tok = doc[t]
            if tok.is_punct or tok.is_space or tok.is_sent_start and t > 0 and taken:
                break
            if shop and not (tok.is_title or tok.is_upper):
                break
            covered[tok.idx:tok.idx + len(tok)] = b"\x01" * len(tok)
            taken += 1
            t += 1


def _analyse(ctx: Context) -> _Analysis:
    cached = ctx.cache.get("unnecessary")
    if cached is None:
        cached = ctx.cache["unnecessary"] = _Analysis(ctx)
    return cached


def permitted(ctx: Context) -> bool:
    """The message has an order purpose (a replacement, refund, return, damage, delay, a real question
    ...) or answers the buyer: what makes a proactive message necessary."""
    return _analyse(ctx).permitted


def _opens_sentence(ctx: Context, m: Match, greeting_end: int) -> bool:
    a, _ = ctx.sentence_span(m.start)
    a = max(a, greeting_end) if greeting_end <= m.start else a
    return not _WORD.search(ctx.text, a, m.start)


def _sentence_hit(ctx: Context, an: _Analysis, m: Match, severity: Optional[Severity] = None,
                  params: Optional[dict] = None) -> Hit:
    """The sentence holding ``m``, without the greeting before it and the blanks around it."""
    a, b = ctx.sentence_span(m.start)
    a = max(a, min(an.greeting_end, m.start))
    for tag in an.idx.get(F + "important_tag"):  # "[Important] How are you ..." has its own finding
        if a <= tag.start <= a + 2 and tag.end <= m.start:
            a = tag.end
    text = ctx.text
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1] in _TRAILING:
        b -= 1
    # a sentence that runs into the signature ("Enjoy! – Halden Outdoor") stops before it
    dash = _DASH_SIGNATURE.search(text, max(a, b - 70), b)
    if dash and dash.start() > m.end:
        b = dash.start()
        while b > a and text[b - 1].isspace():
            b -= 1
    return Hit(a, b, params or {}, severity=severity)


def _live(ctx: Context, idx: TermIndex, matches: list[Match]) -> list[Match]:
    return [m for m in matches if not _quoted(ctx, m) and not idx.negated(m)]


def _triggered(ctx: Context) -> bool:
    idx = ctx_terms(ctx)
    return idx.has(F + "shipped", F + "sent", F + "thanks", F + "appreciation", F + "checkin", F + "holiday")


# --- rules ---------------------------------------------------------------------------------------

def shipping_confirmation(ctx: Context) -> Iterator[Hit]:
    """Shipping or order confirmation that Amazon already sends.

    What it flags: "your order has shipped", "your snowshoes are out for delivery", "we confirm
    we have received your order and it is being prepared for dispatch", "Ihre Bestellung wurde
    versandt", "votre commande a été expédiée", "su pedido ha sido enviado", "il suo ordine è
    stato spedito", "本日商品を発送いたしました", when nothing else in the message gives it an
    order purpose. Error when the rest of the message is only greetings, thanks, an estimated
    delivery date or tracking; a warning when it also says something else.
    Why: Amazon sends order and shipping confirmations itself; sellers may not (POLICY MSG-T03,
    MSG-T02; non-critical under MSG-K01).
    Examples: flagged "Good news! Your order has shipped with UPS and should arrive Thursday.";
    fine "Your REPLACEMENT lamp shipped today" after a complaint, a delay or delivery-problem
    notice, a refund or return message, a reply to the buyer's "where is my order?".
    Known false positives: a reply to a buyer's question that does not say it is a reply
    ("It shipped yesterday."): say "as you asked" or answer in the buyer's thread.
    Fix: do not send it; Amazon notifies the buyer. Write only when something is wrong.
    """
    if not _triggered(ctx):
        return
    an = _analyse(ctx)
    if an.promotes:
        return
    notices = an.notices
    if not notices or an.permitted:
        return
    rest = an.content_outside({m.sent for m in notices})
    severity = Severity.ERROR if rest <= an.limit else Severity.WARNING
    for m in first_per_sentence(notices):
        yield _sentence_hit(ctx, an, m, severity)


def thank_you_only(ctx: Context) -> Iterator[Hit]:
    """Message that only thanks the buyer for the order (and offers help).

    What it flags: "Thank you for your order! We truly appreciate your business and hope you
    enjoy your new lamp.", "Thanks so much for your order!!!", "Vielen Dank für Ihre
    Bestellung!", "Merci pour votre commande", "ご注文いただき誠にありがとうございます" when the
    rest of the message is only greetings, pleasantries and "contact us if you have any
    questions". The shop's name and the item a thank-you names are not content of their own ("Vielen
    Dank für Ihre Bestellung bei Waldhaus Keramik! Viel Freude mit Ihrem neuen Geschirr."), nor is
    the shop's own story ("Our little workshop in Stoke started 11 years ago with one kiln").
    Why: messages that only say thank you, or only that you are there to help, are not
    permitted proactive messages (POLICY MSG-T04, MSG-T02).
    Examples: flagged "Thank you for your order! Contact us if you have any problem.";
    fine a review request, a replacement or a question that opens with "Thank you for your
    order" (a thank-you line inside a permitted message), "Thanks for your message ..." replies.
    Known false positives: a short reply that thanks for the order without saying it answers
    the buyer.
    Fix: do not send it; thank the buyer inside a message that has an order purpose.
    """
    if not _triggered(ctx):
        return
    an = _analyse(ctx)
    if an.promotes:
        return
    idx = an.idx
    if an.purpose or an.reactive:
        return
    if idx.live(*_DIVERSION):
        return  # "thank you for purchase ... please add our WeChat": the offplatform rules report what it is for
    if idx.has("buyer_data:request") and idx.has(*_ASKED_DATA):
        return  # "merci de nous communiquer votre mot de passe ... la commande": buyer.data's finding, not a thank-you
    if an.notices or an.holidays or an.checkins:
        return  # reported by their own rules
    thanks = [a for a, _ in idx.cooccur([F + "thanks"], [F + "order_obj"], scope="clause")]
    thanks += idx.get(F + "appreciation")
    thanks = _live(ctx, idx, thanks)
    if not thanks or an.permitted:
        return
    # the thank-you sentence names the item and the shop, a wish names what it is for ("Nous vous souhaitons de
    # nombreux bons moments en cuisine"): only what the other sentences say counts as content
    said = {m.sent for m in thanks} | {m.sent for m in idx.get(F + "pleasantry", F + "appreciation")}
    # "Our little workshop in Stoke started 11 years ago with one kiln", "Fondée en 1952 par notre grand-père":
    # the shop's own story adds nothing the order needs
    said |= {m.sent for m in idx.get(F + "story")}
    if an.content_outside(said) > an.limit:
        return
    first = min(thanks, key=lambda m: m.start)
    yield _sentence_hit(ctx, an, first)


def check_in(ctx: Context) -> Iterator[Hit]:
    """"Just checking in" message with no order purpose.

    What it flags: "just checking in to see whether your kettle arrived safely", "wanted to
    check if everything arrived", "how are you enjoying your blender?", "ich wollte nur
    nachfragen, ob alles angekommen ist", "je me permets de revenir vers vous", "無事に届きま
    したでしょうか", when the message has no order purpose (no problem, replacement, return,
    question the order needs, review request) and does not answer the buyer.
    Why: a check-in has no order-completion purpose (POLICY MSG-T02: "Just checking in to see
    how you like your blender!" is the policy's own example of a prohibited message).
    Examples: flagged "Hi Emily, just checking in to see whether your kettle arrived safely.";
    fine "Thanks for checking in about the refund ..." (the buyer's check-in), "Just checking
    in: did the replacement fix the leak?" after a complaint.
    Known false positives: a follow-up on an open problem that does not name it.
    Fix: do not send it; write only when the order needs something from the buyer.
    """
    if not _triggered(ctx):
        return
    an = _analyse(ctx)
    # a check-in stays one when it also plugs a product ("tout se passe bien ? Au passage, les housses assorties
    # viennent d'arriver"): unnecessary and marketing both, as the blind sets' writers label it
    checkins = an.checkins
    if not checkins or an.permitted:
        return
    # "we're just writing to let you know your hat is on its way": the shipping notice's own finding (UN002)
    noticed = {m.sent for m in an.notices}
    checkins = [m for m in checkins if m.sent not in noticed]
    for m in first_per_sentence(checkins):
        yield _sentence_hit(ctx, an, m)


def holiday_greeting(ctx: Context) -> Iterator[Hit]:
    """Holiday or seasonal greeting sent as the message.

    What it flags: "Happy holidays from all of us at Vellby!", "Merry Christmas", "Frohe
    Weihnachten", "Joyeuses fêtes", "Feliz Navidad", "Buon Natale", "あけましておめでとうござ
    います" when the message has no order purpose. Error when the rest is only pleasantries, a
    warning when it says something else (a closing-days notice, for example).
    Why: greetings are not permitted proactive messages (POLICY MSG-T02) and seasonal mailings
    are marketing in disguise.
    Examples: flagged "Happy holidays! We hope you have a wonderful season."; fine a delay
    notice that ends "Merry Christmas", a gift note the buyer asked for ("Happy 40th, Dave!").
    Known false positives: a holiday wish in a reply that does not say it is a reply.
    Fix: do not send it; a wish may close a message that has an order purpose.
    """
    if not _triggered(ctx):
        return
    an = _analyse(ctx)
    if an.promotes:
        return
    holidays = an.holidays
    if not holidays or an.permitted:
        return
    rest = an.content_outside({m.sent for m in holidays})
    severity = Severity.ERROR if rest <= an.limit + 1 else Severity.WARNING
    for m in first_per_sentence(holidays):
        yield Hit(m.start, m.end, severity=severity)


def cancellation_request(ctx: Context) -> Iterator[Hit]:
    """Asking the buyer to cancel the order for the seller's own stock or shipping problem.

    What it flags: "please request a cancellation from Your Orders", "could you please cancel
    the order on your side?", "bitte stornieren Sie die Bestellung", "pourriez-vous annuler la
    commande de votre côté", "por favor, solicite la cancelación", "la preghiamo di annullare
    l'ordine", "キャンセル申請をお願いいたします"; the noun with the buyer's side in a sentence that
    asks ("Merci de faire vous-même la demande d'annulation depuis votre compte"), and "you can
    cancel it from your account" when the sentence says please ("Può annullare lei l'ordine dal suo
    account, per favore?").
    Severity: error; a warning in a reply to the buyer with no stock problem named (the buyer
    may have asked how to cancel).
    Why: when the seller cannot ship, the seller must cancel and refund (reason NoInventory or
    CouldNotShip) and say so; asking the buyer to cancel shifts the seller's cancellation onto
    the buyer (POLICY MSG-T06).
    Examples: flagged "We're out of stock, please cancel the order from your side."; fine
    "We have cancelled the order ourselves and you have not been charged.", "we've received
    the cancellation request you submitted", "If you decide to cancel, we will refund you in
    full." (a delay notice: the buyer chooses).
    Known false positives: cancelling something other than the order (a return request) in
    the same sentence as "please cancel".
    Fix: cancel the order yourself in Manage Orders (reason: no inventory) and tell the buyer
    it is cancelled and refunded.
    """
    idx = ctx_terms(ctx)
    if not idx.has(F + "cancel_ask", F + "buyer_side"):
        return
    asks = _live(ctx, idx, idx.get(F + "cancel_ask"))
    # a quoted verb is the buyer's words, unless the buyer's side is named outside the quotes: then it is
    # the button to press ("注文履歴から「キャンセルをリクエスト」を選んで")
    asks += [a for a, b in idx.cooccur([F + "cancel_verb"], [F + "buyer_side"], scope="clause")
             if not idx.negated(a) and not _quoted(ctx, b)]
    # "Pourriez-vous demander vous-même l'annulation depuis votre compte ?": the noun with the buyer's
    # side counts when the sentence asks (please, could you ...)
    asks += [a for a, b in idx.cooccur([F + "cancel_noun"], [F + "buyer_side"], scope="clause")
             if idx.in_sentence(a.sent, F + "request") and not idx.negated(a) and not _quoted(ctx, b)]
    # "you can cancel it from your account" is a choice, unless the sentence asks for it
    # ("Può annullare lei l'ordine dal suo account, per favore?") or the seller has no stock ("è finito e non
    # rientra. Può annullare lei l'ordine dalla sua pagina ordini?")
    asks = [m for m in asks
            if not idx.in_sentence(m.sent, F + "choice", F + "not_order")
            and not (idx.in_sentence(m.sent, F + "choice_soft") and not idx.in_sentence(m.sent, F + "request")
                     and not idx.has(F + "stock_problem"))]
    if not asks:
        return
    an = _analyse(ctx)
    stock = idx.has(F + "stock_problem")
    severity = Severity.WARNING if (an.reactive and not stock) else Severity.ERROR
    for m in first_per_sentence(sorted(asks, key=lambda m: m.start)):
        yield _sentence_hit(ctx, an, m, severity)


def important_tag(ctx: Context) -> Iterator[Hit]:
    """"[Important]" (【重要】, [Wichtig], [Important], [Importante]) in a message.

    What it flags: the bracketed tag sellers put in a subject or first line to force a message
    past the buyer's opt-out.
    Severity: error; a warning when the message has an order purpose (a real delivery
    problem), where the tag is only obsolete.
    Why: the "[Important]" override was removed (~2025) and using it for non-critical mail
    got accounts restricted; Amazon now decides criticality from the contact reason (POLICY
    MSG-K02, section 1L, section 8).
    Examples: flagged "[Important] How are you enjoying your purchase?"; fine "Important: the
    replacement needs an E26 bulb." (no brackets).
    Known false positives: quoting Amazon's own subject line back to the buyer.
    Fix: remove the tag and choose the matching contact reason or message type.
    """
    idx = ctx_terms(ctx)
    tags = idx.get(F + "important_tag")
    if not tags:
        return
    an = _analyse(ctx)
    severity = Severity.WARNING if an.purpose else Severity.ERROR
    for m in tags:
        yield Hit(m.start, m.end, severity=severity)


def unsubscribe_line(ctx: Context) -> Iterator[Hit]:
    """Opt-out or unsubscribe line carried over from marketing e-mail.

    What it flags: "click here to unsubscribe", "if you no longer wish to receive these
    emails", "you are receiving this email because ...", "abmelden", "se désabonner", "darse
    de baja", "annullare l'iscrizione", "配信停止".
    Why: messages may not carry opt-out links or lines; Amazon handles opt-out itself, and
    the line marks the message as a mailing (POLICY MSG-L05, MSG-K01).
    Examples: flagged "To stop receiving these emails, reply STOP."; fine "You can cancel
    Subscribe & Save deliveries in Your Account." (a subscription the buyer has).
    Known false positives: a reply explaining how to leave an Amazon programme the sentence
    does not name.
    Fix: remove the line.
    """
    idx = ctx_terms(ctx)
    lines = idx.get(F + "unsubscribe")
    if not lines:
        return
    lines = [m for m in _live(ctx, idx, lines) if not idx.in_sentence(m.sent, F + "subscription")]
    an = _analyse(ctx) if lines else None
    for m in first_per_sentence(lines):
        yield _sentence_hit(ctx, an, m)


RULES = (
    Rule("UN001", "thank-you-only", "unnecessary", MESSAGE, Severity.ERROR,
         "Do not send '{text}' on its own: a message that only thanks the buyer is not a permitted "
         "proactive message.", thank_you_only),
    Rule("UN002", "shipping-confirmation", "unnecessary", MESSAGE, Severity.ERROR,
         "Do not send '{text}': Amazon sends order and shipping confirmations itself.",
         shipping_confirmation),
    Rule("UN003", "check-in", "unnecessary", MESSAGE, Severity.ERROR,
         "Do not send '{text}': a check-in has no order purpose; write only when the order needs "
         "something.", check_in),
    Rule("UN004", "cancellation-request", "unnecessary", MESSAGE, Severity.ERROR,
         "Do not ask the buyer to cancel ('{text}'): cancel the order yourself (reason: no inventory) "
         "and tell the buyer it is refunded.", cancellation_request),
    Rule("UN005", "holiday-greeting", "unnecessary", MESSAGE, Severity.ERROR,
         "Do not send '{text}' as a message: seasonal greetings are not permitted proactive messages.",
         holiday_greeting),
    Rule("UN006", "important-tag", "unnecessary", MESSAGE, Severity.ERROR,
         "Remove '{text}': the [Important] override was withdrawn and misusing it restricts the account; "
         "choose the right contact reason instead.", important_tag, fix="", fix_safe=True),
    Rule("UN007", "unsubscribe-line", "unnecessary", MESSAGE, Severity.ERROR,
         "Remove '{text}': opt-out and unsubscribe lines do not belong in buyer messages; Amazon "
         "handles opt-out.", unsubscribe_line),
)
