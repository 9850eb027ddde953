"""Amazon marketplaces: their phone region, main language(s), locale and currency."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marketplace:
    code: str
    region: str          # ISO 3166 region for phone numbers
    languages: tuple     # languages a message or listing may be written in, main first
    locale: str          # Babel locale for money and dates
    currency: str

    @property
    def language(self) -> str:
        return self.languages[0]


MARKETPLACES = {m.code: m for m in (
    Marketplace("US", "US", ("en", "es"), "en_US", "USD"),
    Marketplace("UK", "GB", ("en",), "en_GB", "GBP"),
    Marketplace("CA", "CA", ("en", "fr"), "en_CA", "CAD"),
    Marketplace("AU", "AU", ("en",), "en_AU", "AUD"),
    Marketplace("IE", "IE", ("en",), "en_IE", "EUR"),
    Marketplace("IN", "IN", ("en",), "en_IN", "INR"),
    Marketplace("SG", "SG", ("en",), "en_SG", "SGD"),
    Marketplace("AE", "AE", ("en", "ar"), "en_AE", "AED"),
    Marketplace("SA", "SA", ("ar", "en"), "ar_SA", "SAR"),
    Marketplace("DE", "DE", ("de",), "de_DE", "EUR"),
    Marketplace("FR", "FR", ("fr",), "fr_FR", "EUR"),
    Marketplace("BE", "BE", ("fr", "nl"), "fr_BE", "EUR"),
    Marketplace("IT", "IT", ("it",), "it_IT", "EUR"),
    Marketplace("ES", "ES", ("es",), "es_ES", "EUR"),
    Marketplace("MX", "MX", ("es",), "es_MX", "MXN"),
    Marketplace("NL", "NL", ("nl",), "nl_NL", "EUR"),
    Marketplace("SE", "SE", ("sv",), "sv_SE", "SEK"),
    Marketplace("PL", "PL", ("pl",), "pl_PL", "PLN"),
    Marketplace("TR", "TR", ("tr",), "tr_TR", "TRY"),
    Marketplace("BR", "BR", ("pt",), "pt_BR", "BRL"),
    Marketplace("JP", "JP", ("ja",), "ja_JP", "JPY"),
)}
ALIASES = {"GB": "UK", "COM": "US", "CO.UK": "UK"}


def get(code: str) -> Marketplace:
    """The marketplace for a code like 'US' or 'de'; ValueError names the valid codes."""
    key = (code or "").strip().upper()
    key = ALIASES.get(key, key)
    if key not in MARKETPLACES:
        raise ValueError(f"unknown marketplace {code!r} (one of {', '.join(MARKETPLACES)})")
    return MARKETPLACES[key]
