#!/usr/bin/env python3
"""Train msglint's bundled text model (msglint/modeldata/message_model.npz) from the labelled sets.

    pip install -e ".[train]" && python tools/train_text_model.py

Training data: the messages of ../shared/corpus/dev.jsonl and tests/data/blind/set*.jsonl, the
template library rendered in all its variants (clean, necessary messages in six languages), and the
examples the text-model rules' own documentation gives (flagged and fine, docs/rules.md). One
logistic regression per category over the features of ``msglint.textmodel.features`` (character
2-5-grams and word 1-2-grams, sublinear tf, smoothed idf, each block l2-normalised), classes
weighted to balance. The sha256 of every training file (and of the rendered templates) is written
into the model, and a test fails when a set or a template changes without training again.

Thresholds were chosen before the model met a new blind set, by replaying history: for each of the
blind sets K, L and M, a model trained only on the sets that existed before it was added to the
rules' first-run findings on that set. The rendered template library (every scenario, language and
choice; compliant, necessary messages that are NOT trained on) and its 1,894 single sentences were
the check for false alarms: each threshold is the lowest at which no rendered template is flagged
and few single sentences are, keeping the union's precision near or above 0.9
(docs/text-model.md has the table). Only then were the templates added to the training data, so
that the shipped library's own replies never read as violations.
"""
from __future__ import annotations

import hashlib
import re
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from msglint import fixes  # noqa: E402
from msglint.drafting import LANG_MARKETPLACE, catalogue, render, resolve_values  # noqa: E402
from msglint.textmodel import MODEL_FILE, TextModel, features  # noqa: E402

# conduct and review.incentive raised from 0.50 (0.60, 0.70) after replaying sets U-X the same way: a model
# trained only on the sets before each, added to the rules; docs/text-model.md has the table
# review.manipulation (RM010) added in stop 24 at 0.80 after replaying sets AK-AO the same way: a model trained
# only on the sets before them, added to the rules of that time (4df28f5); docs/text-model.md has the table
THRESHOLDS = {"conduct": 0.60, "unnecessary": 0.60, "marketing": 0.50, "review.incentive": 0.70,
              "review.manipulation": 0.80}
# Categories whose model also learns from the single sentences of the clean messages (as clean
# texts): without them a short polite sentence ("We are sorry, this will never happen again.")
# read as conduct, because a few common words weigh a lot once a short text is normalised. Not
# for unnecessary: a thank-you sentence alone is clean, but a message of nothing else is not.
SENTENCE_NEGATIVES = ("conduct", "review.incentive", "review.manipulation")
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")
C = 10.0
TEMPLATES = "templates/ (rendered)"
MIN_DF = 2


# Blind sets kept in tests/data/blind/ (the rules are held to them) that the model is not trained on, and why.
NOT_TRAINED = {
    # Trained on, AZ's labels raised the marketing model's false alarms on about 50 texts of the development
    # corpus and the other sets (MK009 on "pay by Bizum next time and save": off-platform only by the project's
    # labelling convention); stop 26 kept the model trained through set AY. See provenance/README.md.
    "setAZ.jsonl": "its labels move the marketing model against the project's convention",
    # Trained on, BB (stop 27) raised MK009 false alarms on 55 texts of the development corpus and the other sets
    # (a thank-you line, "pay by Bizum next time and save", a QR code to the seller's spares shop): its writers label
    # a thank-you that also plugs the shop as marketing, which teaches the model that thanks are marketing.
    "setBB.jsonl": "its labels move the marketing model onto thank-you lines and off-platform savings",
    # Trained on, BD (stop 27) flipped the same texts as BB did (MK009 on about 50 texts of the development corpus
    # and the other sets, most of them training texts labelled without marketing); a marketing threshold of 0.60
    # did not help (33 broke): the flip is a jump of the probability, not a borderline case. See provenance/README.md.
    "setBD.jsonl": "trained on, the marketing model flips the same ~50 texts as with BB",
}


def training_files() -> list[Path]:
    blind = [p for p in sorted((ROOT / "tests" / "data" / "blind").glob("set*.jsonl")) if p.name not in NOT_TRAINED]
    return [ROOT.parent / "shared" / "corpus" / "dev.jsonl", *blind]


def manifest_name(path: Path) -> str:
    return os.path.relpath(path, ROOT)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def matrix(feats: list, keys: np.ndarray, idf: np.ndarray):
    """Rows of l2-normalised tf-idf blocks, computed by the same ``TextModel.block`` a check uses."""
    from scipy.sparse import csr_matrix
    blocks = TextModel(keys=keys, idf=idf, coef=np.zeros((0, len(keys)), dtype=np.float32),
                       intercept=np.zeros(0, dtype=np.float32), categories=(),
                       thresholds=np.zeros(0, dtype=np.float32), manifest=())
    rows, cols, vals = [], [], []
    for r, (chars, words) in enumerate(feats):
        for keys_of_block in (chars, words):
            pos, values = blocks.block(keys_of_block)
            rows.extend([r] * len(pos))
            cols.extend(pos.tolist())
            vals.extend(values.tolist())
    return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(keys)), dtype=np.float64)


def rendered_templates() -> list[str]:
    """Every message template of the library rendered with its examples, required values only and each
    choice, on its language's marketplace (and UK, MX, BE): compliant, necessary messages, learnt as clean."""
    out: dict[str, None] = {}
    for s in catalogue().scenarios:
        for lang in s.languages:
            home = LANG_MARKETPLACE[lang]
            for mp in dict.fromkeys((home, {"en": "UK", "es": "MX", "fr": "BE"}.get(lang, home))):
                every = s.examples(lang, mp)
                required = {v.name: (v.example_for(lang, mp) if v.required else "") for v in s.variables}
                variants = [every, required] + [{**every, v.name: c} for v in s.variables if v.type == "choice"
                                                for c in v.choices]
                for given in variants:
                    out[render(s, lang, resolve_values(s, given, lang=lang, marketplace=mp), mp)] = None
    # the neutral sentences msglint's own fixes write (a review request, the feedback note, "in reply to
    # your message"): a rewrite the linter proposes must never read as a violation
    for lang in LANG_MARKETPLACE:
        for key in fixes.PHRASE_KEYS:
            phrase = fixes.phrases(lang)[key]
            out[phrase] = None
            space = "" if lang == "ja" else " "
            out[f"{_BODY[lang]}{space}{phrase}"] = None
    return list(out)


# a necessary sentence before the fix's phrase (the tests put the phrases after other sentences)
_BODY = {"en": "Your refund has been issued.", "de": "Ihre Erstattung wurde veranlasst.",
         "fr": "Votre remboursement a été effectué.", "es": "Su reembolso ya está hecho.",
         "it": "Il rimborso è stato effettuato.", "ja": "返金手続きが完了いたしました。"}


def documented_examples() -> list[tuple[str, set]]:
    """(text, labels) of the examples in the text-model rules' docstrings: 'flagged "…"' is a positive of the
    rule's category, 'fine "…"' is a clean text (docs/rules.md shows them; the model should keep its word)."""
    from msglint.rules import ALL_RULES

    out = []
    for rule in ALL_RULES:
        if not rule.fallback:
            continue
        doc = " ".join(rule.documentation.split())
        section = doc.split("Examples:", 1)[1].split("Known false positives:", 1)[0] if "Examples:" in doc else ""
        for kind, quoted in re.findall(r'\b(flagged|fine) ((?:"[^"]+"(?:, |; | and )?)+)', section):
            for text in re.findall(r'"([^"]+)"', quoted):
                out.append((text, {rule.category} if kind == "flagged" else set()))
    return out


def templates_digest(texts: list[str]) -> str:
    return hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()


def messages(files: list[Path]) -> tuple[list[str], list[set]]:
    """(texts, label sets) of the message records of labelled JSONL files."""
    texts, labels = [], []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("kind", "message") == "message":
                    texts.append(rec["text"])
                    labels.append(set(rec["labels"]))
    return texts, labels


def fit(texts: list[str], labels: list[set], cats: list[str], report: bool = False):
    """The vocabulary (keys, idf) of ``texts`` and one fitted logistic regression per category of ``cats``: the one
    way a model is trained, shared by this tool and the threshold replays. The single sentences of the clean texts
    are learnt as clean for the categories of SENTENCE_NEGATIVES."""
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression

    sentences = [x.strip() for t, lab in zip(texts, labels) if not lab for x in _SENTENCE.split(t) if len(x.strip()) > 8]
    feats = [features(t) for t in texts]
    df: dict[int, int] = {}
    for chars, words in feats:
        for k in set(chars) | set(words):
            df[k] = df.get(k, 0) + 1
    keys = np.array(sorted(k for k, n in df.items() if n >= MIN_DF), dtype=np.uint32)
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[int(k)])) + 1 for k in keys], dtype=np.float32)
    X = matrix(feats, keys, idf)
    X_sentences = matrix([features(t) for t in sentences], keys, idf)
    models = {}
    for cat in cats:
        y = np.array([cat in lab for lab in labels])
        if cat in SENTENCE_NEGATIVES:
            models[cat] = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(
                vstack([X, X_sentences]), np.concatenate([y, np.zeros(X_sentences.shape[0], dtype=bool)]))
        else:
            models[cat] = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X, y)
        if report:
            print(f"{cat:18} positives {int(y.sum()):5}  of {n}", file=sys.stderr)
    return keys, idf, models, len(sentences)


def main() -> int:
    files = training_files()
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"train: missing training data: {', '.join(missing)}", file=sys.stderr)
        return 2
    texts, labels = messages(files)
    templates = rendered_templates()
    texts += templates
    labels += [set() for _ in templates]
    # the text-model rules' own documented examples: what the docs promise is flagged, and what they call fine
    for text, lab in documented_examples():
        texts.append(text)
        labels.append(lab)
    n = len(texts)
    cats = list(THRESHOLDS)
    keys, idf, models, n_sentences = fit(texts, labels, cats, report=True)
    coef = np.zeros((len(cats), len(keys)), dtype=np.float32)
    intercept = np.zeros(len(cats), dtype=np.float32)
    for j, cat in enumerate(cats):
        coef[j] = models[cat].coef_[0]
        intercept[j] = models[cat].intercept_[0]
    manifest = np.array([(manifest_name(f), sha256(f)) for f in files] + [(TEMPLATES, templates_digest(templates))])
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = MODEL_FILE.with_name(MODEL_FILE.name + ".tmp.npz")
    np.savez_compressed(tmp, keys=keys, idf=idf, coef=coef,
                        intercept=intercept, categories=np.array(cats),
                        thresholds=np.array([THRESHOLDS[c] for c in cats], dtype=np.float32), manifest=manifest)
    os.replace(tmp, MODEL_FILE)
    print(f"wrote {MODEL_FILE.relative_to(ROOT)}: {len(keys)} keys, {n} messages, {n_sentences} clean sentences, "
          f"{MODEL_FILE.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
