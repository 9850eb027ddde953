#!/usr/bin/env python3
"""Replay for RM010: a review.manipulation model trained only on the sets that existed before stop 24 (development
corpus and sets up to AJ, the rules' documented examples; no templates), its flags added as a fallback warning
(where a review, rating or feedback is named) to the findings of the rules of an older tree, on the messages of
sets AK-AO; the rendered template library, not trained on, is the false-alarm check (docs/text-model.md).

    ROOT=/path/to/old/tree PYTHONPATH=/path/to/old/tree python tools/replay_review_manipulation.py

ROOT (default: this repository) is the tree whose rules, training tool and older sets are used; the sets
AK-AO are read from this repository. Needs the training extra (scikit-learn, scipy)."""
import json, re, sys
from pathlib import Path
import numpy as np
import os; HERE = str(Path(__file__).resolve().parent.parent); R = os.environ.get("ROOT", HERE); sys.path.insert(0, R); sys.path.insert(0, R + "/tools")
import train_text_model as T
from msglint.textmodel import features, TextModel
from msglint.linter import Linter
from msglint.terms import ctx_terms
from sklearn.linear_model import LogisticRegression
from scipy.sparse import vstack

NEW = {"setAK.jsonl", "setAL.jsonl", "setAM.jsonl", "setAN.jsonl", "setAO.jsonl"}
files = [f for f in T.training_files() if f.name not in NEW and f.name != "setAP.jsonl"]
texts, labels = [], []
for f in files:
    for line in f.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r.get("kind", "message") == "message":
                texts.append(r["text"]); labels.append(set(r["labels"]))
for t, lab in T.documented_examples():
    texts.append(t); labels.append(lab)
sentences = [x.strip() for t, lab in zip(texts, labels) if not lab for x in T._SENTENCE.split(t) if len(x.strip()) > 8]
feats = [features(t) for t in texts]
df = {}
for c, w in feats:
    for k in set(c) | set(w):
        df[k] = df.get(k, 0) + 1
keys = np.array(sorted(k for k, n in df.items() if n >= T.MIN_DF), dtype=np.uint32)
n = len(texts)
idf = np.array([np.log((1 + n) / (1 + df[int(k)])) + 1 for k in keys], dtype=np.float32)
X = T.matrix(feats, keys, idf); XS = T.matrix([features(t) for t in sentences], keys, idf)
y = np.array(["review.manipulation" in l for l in labels])
m = LogisticRegression(C=T.C, class_weight="balanced", max_iter=5000).fit(vstack([X, XS]), np.concatenate([y, np.zeros(XS.shape[0], bool)]))
tm = TextModel(keys=keys, idf=idf, coef=m.coef_.astype(np.float32), intercept=m.intercept_.astype(np.float32),
               categories=("review.manipulation",), thresholds=np.array([0.5], np.float32), manifest=())
GUARD = ("review:review_noun", "review:review_act", "review:feedback_noun", "review:public_telling",
         "review:public_place", "review:positive", "review:negative")
rows = []
lins = {}
for name in sorted(NEW):
    for line in open(f"{HERE}/tests/data/blind/{name}", encoding="utf-8"):
        r = json.loads(line)
        if r["kind"] != "message":
            continue
        lin = lins.setdefault(r["marketplace"], Linter(marketplace=r["marketplace"]))
        rep = lin.check(r["text"], "message")
        rules_rm = any(f.category == "review.manipulation" and f.code != "RM010" for f in rep.findings)
        ctx = lin.context(r["text"], "message")
        idx = ctx_terms(ctx)
        # RM010's guards: a review named in any words, and nothing offered (the offer is RI001's or RI002's)
        guard = idx.has(*GUARD) and not idx.has("review:incentive", "review:value", "review:give")
        words = sum(1 for t in ctx.doc if t.is_alpha)
        p = tm.probabilities(r["text"])["review.manipulation"]
        rows.append((name, "review.manipulation" in r["labels"], rules_rm, guard and words >= 4, p, not r["labels"]))
tmpl = T.rendered_templates()
tp_ = [tm.probabilities(t)["review.manipulation"] for t in tmpl]
pos = sum(1 for r in rows if r[1]); base_tp = sum(1 for r in rows if r[1] and r[2]); base_fp = sum(1 for r in rows if not r[1] and r[2])
print(f"messages {len(rows)}, RM positives {pos}, rules alone: tp {base_tp} fp {base_fp} recall {base_tp/pos:.3f}")
for th in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
    add = [r for r in rows if not r[2] and r[3] and r[4] >= th]
    tp = sum(1 for r in add if r[1]); fp = sum(1 for r in add if not r[1]); clean = sum(1 for r in add if r[5])
    tf = sum(1 for p in tp_ if p >= th)
    print(f"th {th}: +tp {tp} +fp {fp} (clean {clean}) -> recall {(base_tp+tp)/pos:.3f} precision {(base_tp+tp)/(base_tp+tp+base_fp+fp):.3f}; templates flagged {tf}/{len(tmpl)}")
