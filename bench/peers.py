"""The engines measured side by side: msglint, spaCy's blank tokenizer (the floor), Presidio and scrubadub.

Each engine is built by ``build(name)`` and answers ``detect(record)``: the raw result of one
call (timed by the caller), and ``categories(result)``: the contact categories it found.

* Presidio's ``AnalyzerEngine`` runs over a blank English spaCy pipeline (no model is
  downloaded or loaded) with only its ``EmailRecognizer``, ``PhoneRecognizer`` (its default
  regions) and ``UrlRecognizer``; every text is analysed as ``language="en"``, the only
  language of the pipeline (the three recognizers are patterns and phonenumbers, not words).
* scrubadub's ``Scrubber`` has only its e-mail, phone and URL detectors, one scrubber per
  marketplace locale (``de_DE`` for DE, ...), since its phone detector searches one region.
* tldextract (used by Presidio's e-mail recognizer) is pointed at the suffix list bundled
  in the package: nothing is fetched.

Presidio and scrubadub are the ``bench`` extra (``pip install -e ".[bench]"``); a missing
one is reported as such and its measurements are left out.
"""
from __future__ import annotations

import importlib.metadata
import os
from typing import Callable, Optional

PEERS = ("presidio", "scrubadub")
DISTRIBUTIONS = {"presidio": "presidio-analyzer", "scrubadub": "scrubadub", "msglint": "msglint", "spacy": "spacy",
                 "matplotlib": "matplotlib", "psutil": "psutil"}
CONTACT = ("contact.email", "contact.phone", "contact.url")
PRESIDIO_TYPES = {"EMAIL_ADDRESS": "contact.email", "PHONE_NUMBER": "contact.phone", "URL": "contact.url"}
SCRUBADUB_TYPES = {"email": "contact.email", "phone": "contact.phone", "url": "contact.url"}
LOCALES = {"US": "en_US", "UK": "en_GB", "CA": "en_CA", "AU": "en_AU", "IE": "en_IE", "IN": "en_IN", "DE": "de_DE",
           "FR": "fr_FR", "BE": "fr_BE", "IT": "it_IT", "ES": "es_ES", "MX": "es_MX", "JP": "ja_JP", "NL": "nl_NL",
           "SE": "sv_SE", "PL": "pl_PL", "TR": "tr_TR", "BR": "pt_BR", "SG": "en_SG", "AE": "en_AE", "SA": "ar_SA"}
COUNTED = ("error", "warning")  # msglint findings that count, as the corpus scoring says


def version(name: str) -> Optional[str]:
    """The installed version of an engine's distribution, or None when it is not installed."""
    try:
        return importlib.metadata.version(DISTRIBUTIONS.get(name, name))
    except importlib.metadata.PackageNotFoundError:
        return None


def offline_tldextract() -> None:
    """Make tldextract's module-level extractor use its bundled suffix list (no HTTP, no cache)."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    import tldextract
    import tldextract.tldextract as impl

    impl.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class Engine:
    name = ""

    def detect(self, rec: dict):
        raise NotImplementedError

    def categories(self, result) -> set:
        return set()


class MsglintEngine(Engine):
    name = "msglint"

    def __init__(self):
        from msglint import Linter

        self.linter = Linter(marketplace="US")

    def detect(self, rec: dict):
        return self.linter.check(rec["text"], rec.get("kind") or "message", field=rec.get("field"),
                                 marketplace=rec.get("marketplace") or "US")

    def categories(self, report) -> set:
        return {f.category for f in report.findings if f.category and f.severity.value in COUNTED}


class SpacyTokenizerEngine(Engine):
    """spaCy's blank English tokenizer alone: the floor under any spaCy-based checker."""

    name = "spacy"

    def __init__(self):
        import spacy

        self.tokenizer = spacy.blank("en").tokenizer

    def detect(self, rec: dict):
        return self.tokenizer(rec["text"])


class PresidioEngine(Engine):
    name = "presidio"

    def __init__(self):
        offline_tldextract()
        import logging

        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import EmailRecognizer, PhoneRecognizer, UrlRecognizer

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
        nlp_engine.nlp = {"en": spacy.blank("en")}  # loaded: AnalyzerEngine never calls load() / downloads
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in (EmailRecognizer(), PhoneRecognizer(), UrlRecognizer()):
            registry.add_recognizer(recognizer)
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])

    def detect(self, rec: dict):
        return self.analyzer.analyze(rec["text"], language="en")

    def categories(self, results) -> set:
        return {PRESIDIO_TYPES[r.entity_type] for r in results if r.entity_type in PRESIDIO_TYPES}


class ScrubadubEngine(Engine):
    name = "scrubadub"

    def __init__(self):
        offline_tldextract()
        import scrubadub
        from scrubadub.detectors import EmailDetector, PhoneDetector, UrlDetector

        self._make = lambda locale: scrubadub.Scrubber(detector_list=[EmailDetector, PhoneDetector, UrlDetector],
                                                       locale=locale)
        self.scrubbers: dict = {}
        for mp in ("US", "UK", "CA", "AU", "DE", "FR", "ES", "MX", "IT", "JP"):
            self._scrubber(mp)

    def _scrubber(self, mp: str):
        s = self.scrubbers.get(mp)
        if s is None:
            s = self.scrubbers[mp] = self._make(LOCALES.get(mp, "en_US"))
        return s

    def detect(self, rec: dict):
        return list(self._scrubber(rec.get("marketplace") or "US").iter_filth(rec["text"]))

    def categories(self, filth) -> set:
        return {SCRUBADUB_TYPES[f.type] for f in filth if f.type in SCRUBADUB_TYPES}


ENGINES: dict[str, Callable[[], Engine]] = {"msglint": MsglintEngine, "spacy": SpacyTokenizerEngine,
                                            "presidio": PresidioEngine, "scrubadub": ScrubadubEngine}


def build(name: str) -> Engine:
    return ENGINES[name]()
