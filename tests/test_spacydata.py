"""The French pipeline is spaCy's French tokenizer, built without importing ``spacy.lang.fr``."""
import json
import subprocess
import sys

FRENCH = [
    "Peut-être qu'il arrivera l'après-midi ; rendez-vous au point relais.",
    "L'arc-en-ciel entr'ouvert, aujourd'hui et Aujourd'hui, c'est-à-dire d’accord.",
    "Pouvez-vous nous écrire ? Est-ce qu'il fonctionne ? A-t-il été livré ?",
    "Écrivez-nous : contact@boutique-paris.fr ou https://www.anti-moustique.fr/aide-sav",
    "Anti-bactérien, sous-vêtements, porte-clés, GRAND-MÈRE, auto-école, anti-covid19.",
    "M. Dupont, Mme. Martin, etc. Le n° 06-12-34-56-78, 12,50 €, 3×AA, J.-C.",
    "Qu’est-ce que c’est ? Jusque-là, celle-ci et quelques-uns ; ex-mari, vice-président.",
]

_SCRIPT = r"""
import json, sys
from msglint import spacydata
ours = spacydata.french()
clean = "spacy.lang.fr" not in sys.modules
import spacy
theirs = spacy.blank("fr")
texts = json.loads(sys.stdin.read())
out = {"built": ours is not None, "clean": clean, "same": [], "stop_words": ours.Defaults.stop_words == theirs.Defaults.stop_words}
for text in texts:
    a = [(t.text, t.like_num) for t in ours.make_doc(text)]
    b = [(t.text, t.like_num) for t in theirs.make_doc(text)]
    out["same"].append(a == b)
out["example"] = [t.text for t in ours.make_doc(texts[0])]
print(json.dumps(out))
"""


def test_french_tokenizer_equals_spacys_and_does_not_import_spacy_lang_fr():
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], input=json.dumps(FRENCH), capture_output=True,
                          text=True, timeout=300, check=True)
    out = json.loads(proc.stdout)
    assert out["built"] and out["clean"]
    assert out["same"] == [True] * len(FRENCH)
    assert out["stop_words"]
    # spaCy's exceptions keep "après-midi" and "rendez-vous" whole and split the elided "qu'" and "l'"
    assert out["example"] == ["Peut", "-", "être", "qu'", "il", "arrivera", "l'", "après-midi", ";",
                              "rendez-vous", "au", "point", "relais", "."]
