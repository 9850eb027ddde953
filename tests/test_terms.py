"""The term engine's phrase matcher and its phrase cache (msglint.terms)."""
import json

import pytest

from msglint import terms
from msglint.pipeline import get_nlp


def _matches(compiled, nlp, text):
    doc = nlp.make_doc(text)
    names = {nlp.vocab.strings[k]: k for k in compiled.groups}
    rev = {v: k for k, v in names.items()}
    return sorted((rev.get(key, nlp.vocab.strings[key]), s, e, doc[s:e].text) for key, s, e in terms.run(compiled, doc))


def test_phrases_match_folded_and_overlapping():
    nlp = get_nlp("en")
    compiled = terms.compile_groups(nlp, {"t:gift": ["gift card", "gift"], "t:card": ["card"],
                                          "t:mail": ["e-mail"]}, "en")
    got = _matches(compiled, nlp, "A GIFT Card, or an E-Mail with a gift.")
    assert got == [("t:card", 2, 3, "Card"), ("t:gift", 1, 2, "GIFT"), ("t:gift", 1, 3, "GIFT Card"),
                   ("t:gift", 11, 12, "gift"), ("t:mail", 6, 9, "E-Mail")]


def test_phrase_longer_than_the_rest_of_the_text_is_not_matched():
    nlp = get_nlp("de")
    compiled = terms.compile_groups(nlp, {"t:x": ["fünf sterne bewertung"]}, "de")
    assert _matches(compiled, nlp, "Bitte fünf Sterne") == []
    assert _matches(compiled, nlp, "Eine Fünf Sterne Bewertung") == [("t:x", 1, 4, "Fünf Sterne Bewertung")]


def test_phrase_tokens_are_kept_in_the_cache_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path))
    nlp = get_nlp("fr")
    first = terms.PhraseNorms(nlp, "fr")
    assert first(" ".join(["l'avis", "client"])) == tuple(t.norm for t in nlp.make_doc("l'avis client"))
    first.save()
    written = list((tmp_path / "msglint").glob("phrases-fr-*.json"))
    assert len(written) == 1
    assert json.loads(written[0].read_text("utf-8")) == {"l'avis client": ["l'", "avis", "client"]}

    # a second process reads the tokens instead of tokenizing
    second = terms.PhraseNorms(nlp, "fr")
    monkeypatch.setattr(second, "nlp", type("NoTokenizer", (), {"vocab": nlp.vocab,
                                                                 "make_doc": pytest.fail})())
    assert second("l'avis client") == first("l'avis client")
    assert second.added is False


def test_unwritable_cache_directory_costs_only_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(blocker))
    nlp = get_nlp("en")
    norms = terms.PhraseNorms(nlp, "en")
    assert norms("five stars") == tuple(t.norm for t in nlp.make_doc("five stars"))
    norms.save()                       # no exception, nothing written
    assert blocker.read_text() == "not a directory"
