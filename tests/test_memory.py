"""Memory stays bounded on long runs: checks free the words spaCy learnt from them (memory zones)."""
import pytest

from msglint import Linter, pipeline
from msglint.suggest import suggest

TEXTS = [
    ("US", "Hi Jane, your order 113-5529107-3341628 of the oak shelf shipped today. Email me at jane{n}@shop{n}.com "
           "or call 415-555-01{n:02d} if anything is wrong. We refunded the shipping, zorblax{n} included."),
    ("DE", "Hallo Frau Krause, Ihre Bestellung ist unterwegs. Schreiben Sie an info{n}@laden{n}.de, wir erstatten "
           "den Betrag sofort. Bitte bewerten Sie uns mit fünf Sternen, Gutschein{n} inklusive."),
    ("FR", "Bonjour, nous avons remboursé votre commande. Contactez-nous sur WhatsApp au 06 12 34 56 {n:02d} "
           "ou écrivez à boutique{n}@exemple.fr pour un cadeau."),
    ("JP", "ご注文ありがとうございます。LINE（ID：shop_{n}）またはお電話 090-1234-56{n:02d} までご連絡ください。"),
]


def _findings(linter, mp, text):
    return [(f.code, f.start, f.end, f.severity.value, f.message, f.fix) for f in linter.check(text, marketplace=mp).findings]


@pytest.fixture
def zones_at_once(monkeypatch):
    """Every check in a memory zone from the first one on."""
    monkeypatch.setattr(pipeline, "ZONE_AFTER", 0)


def test_findings_in_a_memory_zone_are_the_findings_without_one(monkeypatch):
    linter = Linter(marketplace="US")
    texts = [(mp, t.format(n=n)) for n in range(3) for mp, t in TEXTS]
    monkeypatch.setattr(pipeline, "ZONE_AFTER", 10 ** 12)
    plain = [_findings(linter, mp, t) for mp, t in texts]
    monkeypatch.setattr(pipeline, "ZONE_AFTER", 0)
    zoned = [_findings(linter, mp, t) for mp, t in texts]
    again = [_findings(linter, mp, t) for mp, t in texts]   # lemmas and term caches after zones closed
    assert zoned == plain and again == plain
    assert any(plain)


def test_new_words_do_not_stay_in_the_vocabulary(zones_at_once):
    linter = Linter(marketplace="US")
    for mp, t in TEXTS:
        linter.check(t.format(n=0), marketplace=mp)
    sizes = {lang: len(pipeline.get_nlp(lang).vocab.strings) for lang in ("en", "de", "fr", "ja")}
    for n in range(1, 40):
        for mp, t in TEXTS:
            linter.check(t.format(n=n), marketplace=mp)
    assert {lang: len(pipeline.get_nlp(lang).vocab.strings) for lang in sizes} == sizes


def test_suggest_and_context_after_zoned_checks(zones_at_once):
    linter = Linter(marketplace="US")
    for n in range(5):
        linter.check(TEXTS[0][1].format(n=n))
    assert suggest("I never received my order, where is my refund?", "en")
    ctx = linter.context("We refunded your order, email me at a@b.com")
    assert [t.lemma_ for t in ctx.doc][:2] == ["we", "refund"]


def test_language_model_loaded_by_parts_is_py3langid_s_own(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from msglint import languages

    own = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE, norm_probs=True)
    own.set_languages(list(languages._MODEL_LANGS))
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path))
    model = MODEL_DIR / MODEL_FILE
    built = languages._restricted_model(model)            # read from the package, then cached
    assert list(tmp_path.glob("msglint/langid-*/nextmove.bin"))
    cached = languages._restricted_model(model)           # read from the cache
    for ptc, pc, classes, nextmove, row, out_feat in (built, cached):
        assert classes == own.nb_classes and (ptc == own.nb_ptc).all() and ptc.dtype == own.nb_ptc.dtype
        assert (pc == own.nb_pc).all() and list(row) == list(own.tk_row) and out_feat == own.tk_output
        assert nextmove.typecode == own.tk_nextmove.typecode and nextmove == own.tk_nextmove
    for text in ("Bonjour, votre commande est partie.", "Your order shipped today", "ご注文ありがとうございます", "Hallo"):
        assert languages._identifier().rank(text) == own.rank(text)
