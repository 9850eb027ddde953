"""Domain facts from the Public Suffix List bundled with tldextract (never fetched at run time)."""
from __future__ import annotations

from functools import lru_cache

import tldextract

# suffix_list_urls=() and cache_dir=None: use the snapshot shipped inside tldextract, never the network.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)

# Amazon's own properties: amazon.<any public suffix> and its own short-link and asset hosts.
_AMAZON_REGISTERED = frozenset({"amazon", "amzn", "a.co", "media-amazon", "ssl-images-amazon",
                                "amazon-adsystem", "primevideo", "audible", "amazonpay"})
_AMAZON_SHORT = frozenset({"amzn.to", "amzn.eu", "amzn.asia", "amzn.com", "a.co"})

# Hosts whose only purpose is to hide where a link goes.
URL_SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd", "bl.ink", "linktr.ee",
    "lnkd.in", "t.me", "wa.me", "m.me", "qr.co", "qrco.de", "youtu.be", "dwz.cn", "url.cn", "u.nu",
})


@lru_cache(maxsize=4096)
def split(host: str) -> tuple[str, str, str]:
    """(subdomain, registered name, public suffix) of a host name; suffix '' when none."""
    r = _EXTRACT(host.lower().strip(".").rstrip("."))
    return r.subdomain, r.domain, r.suffix


def is_public_suffix_domain(host: str) -> bool:
    """True when ``host`` is name.<real public suffix>, e.g. shop.co.uk, not manual.pdf or localhost."""
    if host.endswith(".") or ".." in host:
        return False
    _, name, suffix = split(host)
    return bool(name and suffix)


def registered_domain(host: str) -> str:
    _, name, suffix = split(host)
    return f"{name}.{suffix}" if name and suffix else host.lower()


def is_amazon(host: str) -> bool:
    """Amazon's own sites in every marketplace, and its own short links."""
    host = host.lower().strip(".")
    reg = registered_domain(host)
    if reg in _AMAZON_SHORT or host in _AMAZON_SHORT:
        return True
    _, name, _ = split(host)
    return name in _AMAZON_REGISTERED


@lru_cache(maxsize=1)
def _carriers() -> frozenset:
    from msglint.datafile import load
    from msglint.resources import wordlists_dir

    return frozenset(d.lower() for d in (load(wordlists_dir() / "_domains" / "carriers.yml").data or {}).get("carriers")
                     or ())


def is_carrier(host: str) -> bool:
    """A carrier's own site (wordlists/_domains/carriers.yml): tracking and delivery-booking pages."""
    return registered_domain(host.lower().strip(".")) in _carriers()


def is_shortener(host: str) -> bool:
    host = host.lower().strip(".")
    return host in URL_SHORTENERS or registered_domain(host) in URL_SHORTENERS
