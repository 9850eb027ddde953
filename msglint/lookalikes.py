"""Numbers that fill real customer-service messages and must never be taken for phone numbers.

Order IDs are required in proactive messages (POLICY MSG-C11); tracking numbers, ASINs,
SKUs, part, serial and VAT numbers, dates, times, prices, dimensions, quantities and
versions are everyday content. ``mask`` blanks them out (same length, so offsets hold)
before phone detection.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from msglint import lang as langdata
from msglint.lazyre import lazy

# an IPv4 octet (0-255): "612.34.87.09" is a Spanish mobile number written with dots, not an address
IPV4_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

_MASKS = [
    # Amazon order ID 3-7-7 (also written without hyphens)
    r"(?<!\d)\d{3}-\d{7}-\d{7}(?!\d)",
    # ASIN / ISBN-10 style product identifiers
    r"\bB0[A-Z0-9]{8}\b",
    # UPS 1Z..., Amazon TBA..., Royal Mail / international postal items, Evri, generic letter-led codes
    r"\b1Z[0-9A-Z]{16}\b", r"\b1Z(?:\s?[0-9A-Z]){16}\b", r"\bTBA\d{9,14}\b", r"\b[A-Z]{2}\d{9}[A-Z]{2}\b", r"\b[A-Z]\d{2}[A-Z0-9]{13}\b",
    # USPS 92/93/94/95 + 20 digits, possibly in groups of 4
    r"(?<!\d)9[2-5]\d{2}(?:\s?\d{4}){4}\s?\d{2}(?!\d)",
    # Canada Post and other 4-4-4-4 (16-digit) groupings
    r"(?<!\d)\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}(?!\d)",
    # contiguous digit runs too long for a national number (DHL Paket 20, DPD 14, ...)
    r"(?<![\d+])\d{13,}(?![\d])",
    # alphanumeric codes that mix letters and digits (SKUs, part numbers, models): HX-2200, MX-550-BWL
    r"\b(?=[A-Z0-9\-]*[A-Z])(?=[A-Z0-9\-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)+\b",
    r"\b[A-Z]{1,4}\d[A-Z0-9]*\b",
    # dates and times
    r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)", r"(?<!\d|\d[./-])\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?![\d]|[./-]\d)",
    r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)",
    r"\d{4}年\d{1,2}月\d{1,2}日",
    # money: $1,249.00, 49,90 €, CA$ 64.99, ¥2,480, 1.200 EUR
    r"(?:[A-Z]{0,3}[$€£¥￥]|\b(?:EUR|USD|GBP|JPY|CAD|AUD)\s?)\s?\d[\d.,' ]*\d|\d[\d.,' ]*\d\s?(?:€|\$|£|EUR|USD|GBP|円)",
    # dimensions and measurements: 205 x 95 x 60 cm, 12 V, 2000 mAh, 4K@120Hz
    r"(?<!\d)\d+(?:[.,]\d+)?\s?[x×]\s?\d+(?:[.,]\d+)?(?:\s?[x×]\s?\d+(?:[.,]\d+)?)*",
    r"(?<!\d)\d+(?:[.,]\d+)?\s?(?:mm|cm|m|km|kg|g|mg|lb|lbs|oz|qt|l|ml|V|W|kW|Wh|mAh|Ah|Hz|kHz|MHz|GHz|GB|TB|MB|in(?![ \t]+\p{L})|ft|°[CF]?|kPa|psi|dB|pcs|units|pieces|Stück|pezzi|piezas|個|枚|本)\b",
    # quantity ranges and percentages: 1-800 units, 3–5 days, 25%
    r"(?<!\d)\d+\s?[-–]\s?\d+(?=\s?(?:units|pieces|pcs|items|days|weeks|months|business|working|Tage|jours|días|giorni))",
    r"(?<!\d)\d+(?:[.,]\d+)?\s?%",
    # IPv4 addresses (a router's 192.168.0.254 is not a phone number)
    rf"(?<![\d.])(?:{IPV4_OCTET}\.){{3}}{IPV4_OCTET}(?!\d|\.\d)",
    # versions and model numbers: v2.1, firmware 1.0.4, model KM-300
    r"\b[vV]\d+(?:\.\d+)+\b", r"(?<![\d.]|\d[-])\d{1,2}\.\d{1,3}\.\d{1,3}(?:\.\d{1,4})?(?![\d]|\.\d)",
]
_MASK_RE = lazy(regex.compile, "|".join(f"(?:{p})" for p in _MASKS), regex.VERSION1)


@lru_cache(maxsize=1)
def _labelled():
    """A label that names what the following number is ("tracking number", "Rechnung", "伝票番号"):
    the number after it is not a phone. The words are language data (wordlists/_lang: number_labels,
    number_words, copulas), all languages at once: a German label in an English message still counts."""
    labels, numbers, copulas = set(), set(), set()
    for code in langdata.KNOWN:
        info = langdata.get(code)
        labels.update(info.words("number_labels"))
        numbers.update(info.words("number_words"))
        copulas.update(info.words("copulas"))

    def alt(words):
        return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    return regex.compile(
        rf"(?i)(?<![\w])(?:{alt(labels)})(?:\s*,?\s*(?:{alt(numbers)}))?"  # "en lettre suivie, numéro 1L ..."
        r"(?:\s+(?:de|del|di|da|du|of|von|bei|con|with|par|por|per))?(?:\s+(?-i:[A-Z][\w\-]*)){0,3}"
        rf"(?:\s*(?:{alt(copulas)}))?\s*[:#：]?\s*"
        # a prefix in capitals ("DE 123456789"), not "to"; or a digit and capitals (La Poste's "1L 0213 4458 97")
        r"(?P<num>(?-i:[A-Z]{0,4}|\d[A-Z]{1,3})\s?\d[\d \-/.]{4,}\d)"
    )


def labelled(text: str, start: int, end: int) -> bool:
    """A label ("tracking", "Sendungsnummer", "伝票番号") names the number at ``text[start:end]``."""
    window_start = max(0, start - 48)
    return any(m.start("num") + window_start <= start and end <= m.end("num") + window_start
               for m in _labelled().finditer(text[window_start:end]))


def mask(text: str) -> str:
    """``text`` with look-alike numbers replaced by 'x' (same length)."""
    out = list(text)
    for m in _MASK_RE.finditer(text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = "x"
    for m in _labelled().finditer(text):
        for i in range(m.start("num"), m.end("num")):
            out[i] = "x"
    return "".join(out)
