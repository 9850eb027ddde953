"""Contact details: e-mail addresses (CE), phone numbers (CP) and links (CU), plain or disguised.

All of them run on the normalised text, so "h e l p [at] shop [dot] com", fullwidth letters,
Cyrillic look-alikes, zero-width characters and "four one five ..." arrive here already
undone; ``ctx.disguised`` tells whether the original was disguised.
"""
from __future__ import annotations

from typing import Iterator

from msglint.contactscan import emails, links, phones
from msglint.context import Context
from msglint.model import Hit, Rule, Severity

BOTH = frozenset({"message", "listing"})


def email_address(ctx: Context) -> Iterator[Hit]:
    """E-mail address written in plain form.

    What it flags: an address such as ``service@mybrand.com`` (also inside ``mailto:`` links),
    whose domain ends in a real public suffix (``info@presidio.`` and ``user@localhost`` are
    not addresses).
    Why: buyers must be contacted only through Buyer-Seller Messaging; Amazon deletes e-mail
    addresses and may block the message (POLICY MSG-P01, LST-G02).
    Examples: flagged "Email us at service@mybrand.com"; fine "Just reply to this message."
    Known false positives: none known; code strings such as ``a@b`` without a real suffix are
    not matched.
    Fix: remove the address and ask the buyer to reply to this message.
    """
    for e in emails(ctx):
        if not e.disguised:
            yield Hit(e.start, e.end, {"address": e.address})


def disguised_email(ctx: Context) -> Iterator[Hit]:
    """E-mail address hidden with "at"/"dot" words, spacing, look-alike letters or invisible characters.

    What it flags: ``help [at] shop [dot] com``, ``h e l p @ shop.com``, ``ｈｅｌｐ＠ｓｈｏｐ．ｃｏｍ``,
    Cyrillic or Greek look-alike letters, zero-width characters inside an address, and the
    same tricks in other languages ("arobase ... point", "chiocciola ... punto", "(at) ... (punkt)");
    a mailbox name before a domain written as words ("hello at saltline surf dot com dot au"); "bei"
    as the at sign with a mail provider or a dotted name ("hauke.ehlers bei gmx punkt de").
    Why: a disguised address is still an address, and hiding it shows intent to move the
    buyer off Amazon (POLICY MSG-P01, MSG-P03).
    Examples: flagged "write to help [at] echoform [dot] audio"; fine "we are at home. It works".
    Known false positives: "name at provider.com" is folded only for mail providers or when the
    dots are disguised too, so "available at bestbuy.com" stays a link, not an address.
    Fix: remove the address and ask the buyer to reply to this message.
    """
    for e in emails(ctx):
        if e.disguised:
            yield Hit(e.start, e.end, {"address": e.address})


# --- phone ----------------------------------------------------------------------------------

def phone_number(ctx: Context) -> Iterator[Hit]:
    """Phone number, in any national or international format.

    What it flags: numbers that ``phonenumbers`` (Google's libphonenumber) recognises as valid
    for the marketplace's country, any "+CC" international number, and long digit runs in a
    sentence that says they are a number to call or message ("call", "tel", "WhatsApp",
    "Telefon", "téléphone", "teléfono", "telefono", "電話", ...).
    Why: sellers may not give buyers a phone number; buyers must stay in Buyer-Seller Messaging
    (POLICY MSG-P02, LST-G02).
    Severity: error when the number is formatted as a phone number, international, or named as
    one by the sentence; a bare digit string with no phone context is only a warning.
    Examples: flagged "Call our hotline +1 (201) 555-0123"; fine "order 113-5529107-3341628",
    "UPS 1Z8V92E40312457786", "SKU CRV-DR20-KIT", "$1,249.00", "205 x 95 x 60 cm", "12.06.2024".
    Known false positives: an unlabelled 10-digit reference number that happens to be a valid
    number in the marketplace's country (a warning, not an error).
    Fix: remove the number and ask the buyer to reply to this message.
    """
    for p in phones(ctx):
        if not p.disguised:
            yield Hit(p.start, p.end, {"number": p.number}, severity=p.severity)


def disguised_phone(ctx: Context) -> Iterator[Hit]:
    """Phone number hidden as words, spaced digits or invisible characters.

    What it flags: "four one five 555 0199", "oh seven seven double oh ...", "4 1 5 5 5 5 0 1 6 3",
    digits split by zero-width or word-joiner characters, look-alike digits, the letters O and l
    typed for 0 and 1 inside a run of digit groups ("O6 l2 34 56 78").
    Why: a disguised number is still a number, and the disguise shows intent (POLICY MSG-P02).
    Examples: flagged "ring me on oh seven seven double oh, nine double oh, four five six";
    fine "one or two screws may be loose".
    Known false positives: a long list of spelled-out numbers that is not a phone number.
    Fix: remove the number and ask the buyer to reply to this message.
    """
    for p in phones(ctx):
        if p.disguised:
            yield Hit(p.start, p.end, {"number": p.number}, severity=Severity.ERROR)


# --- links ------------------------------------------------------------------------------------

def _link_hits(ctx: Context, kind: str) -> Iterator[Hit]:
    for link in links(ctx):
        if link.kind == kind:
            yield Hit(link.start, link.end, {"url": link.url, "host": link.host})


def link(ctx: Context) -> Iterator[Hit]:
    """Link or bare domain that is not an Amazon property.

    What it flags: ``https://...`` and ``http://...`` links (also in HTML ``href``/``src``),
    ``www.`` addresses and bare domains ending in a real public suffix (``myshop.com/x``,
    ``atelier-soline.fr``).
    Not flagged: Amazon's own sites in every marketplace and its short links (amazon.*,
    amzn.to, a.co), domains on the allow-list, file names ("manual_rev2.pdf", "video.mov"),
    versions ("v2.1", "1.0.4"), abbreviations ("e.g.", "U.S.A."), capitalised product names
    on uncommon suffixes ("Triple.fi"), and in messages a carrier's own tracking or delivery page
    (``wordlists/_domains/carriers.yml``: UPS, DHL, Royal Mail, Colissimo, Correos, Poste Italiane,
    ヤマト運輸 ...; "royalmail.com/track-your-item" too; an insecure ``http://`` link is flagged).
    Why: links to non-Amazon sites are prohibited in buyer messages and listings
    (POLICY MSG-L01, LST-G02); a tracking or delivery-booking link serves the order (MSG-L02).
    Examples: flagged "www.atelier-soline.fr/montage"; fine "https://www.amazon.fr/review/create-review",
    "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html".
    Known false positives: a carrier that is not in the list (allow its domain in the
    configuration).
    Fix: remove the link; attach the document or explain the step in the message.
    """
    return _link_hits(ctx, "link")


def disguised_link(ctx: Context) -> Iterator[Hit]:
    """Link hidden with "dot"/"slash" words, spaces, fullwidth or look-alike characters.

    What it flags: "mybrand dot com slash manuals", "echoformaudio . com / fw", "ｗｗｗ．ｓｈｏｐ．ｃｏｍ",
    "shop[.]com"; a spelled domain right after a word that introduces a site ("en nuestra web
    guitarreriacarmona punto es") or with a spaced path ("kettwerk . berlin / halterung-xl").
    Why: a disguised link is still a link, and the disguise shows intent (POLICY MSG-L01).
    Examples: flagged "lumoralighting dot com slash manuals"; fine "the red dot on the lid".
    Known false positives: a sentence that really says "<word> dot com".
    Fix: remove the link.
    """
    return _link_hits(ctx, "disguised")


def shortened_link(ctx: Context) -> Iterator[Hit]:
    """Link through a URL shortener or link hub (bit.ly, tinyurl, t.me, wa.me, linktr.ee, ...).

    Why: shorteners hide where a link goes; Amazon names them explicitly (POLICY MSG-L01).
    Amazon's own short links (amzn.to, a.co) are not flagged.
    Examples: flagged "bit.ly/3xKq9Tz"; fine "amzn.to/3abc".
    Known false positives: none known.
    Fix: remove the link.
    """
    return _link_hits(ctx, "shortener")


def ip_address_link(ctx: Context) -> Iterator[Hit]:
    """Link to a bare IP address (``http://203.0.113.7/shop``, ``192.168.0.10:8080``).

    Not flagged: versions ("firmware 1.0.4.2") and addresses of the buyer's own network (private,
    loopback and link-local ranges: "open 192.168.0.1 in your browser" reaches the buyer's router,
    not a site).
    Why: a raw public IP address is a link to a non-Amazon site (POLICY MSG-L01).
    Examples: flagged "203.0.113.7/catalog"; fine "firmware 1.0.4.2", "http://192.168.1.1".
    Known false positives: a four-part version number not labelled as a version.
    Fix: remove the link.
    """
    return _link_hits(ctx, "ip")



RULES = (
    Rule("CE001", "email-address", "contact.email", BOTH, Severity.ERROR,
         "Remove the e-mail address '{address}': buyers must be contacted only through Buyer-Seller Messaging.",
         email_address),
    Rule("CE002", "disguised-email", "contact.email", BOTH, Severity.ERROR,
         "Remove the disguised e-mail address '{address}': hidden contact details are still contact details.",
         disguised_email),
    Rule("CP001", "phone-number", "contact.phone", BOTH, Severity.ERROR,
         "Remove the phone number '{number}': buyers must be contacted only through Buyer-Seller Messaging.",
         phone_number),
    Rule("CP002", "disguised-phone", "contact.phone", BOTH, Severity.ERROR,
         "Remove the disguised phone number '{number}': spelled-out or spaced digits are still a phone number.",
         disguised_phone),
    Rule("CU001", "external-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the link '{url}': links to sites other than Amazon are not allowed.",
         link),
    Rule("CU002", "disguised-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the disguised link '{url}': a spelled-out or spaced web address is still a link.",
         disguised_link),
    Rule("CU003", "shortened-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the shortened link '{url}': short links hide a destination outside Amazon.",
         shortened_link),
    Rule("CU004", "ip-address-link", "contact.url", BOTH, Severity.ERROR,
         "Remove the link to the IP address '{url}': links to sites other than Amazon are not allowed.",
         ip_address_link),
)
