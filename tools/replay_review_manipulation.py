#!/usr/bin/env python3
"""Replay for RM010: a review.manipulation model trained only on the sets that existed before stop 24 (development
corpus and sets up to AJ, the rules' documented examples; no templates), its flags added as a fallback warning
(where a review, rating or feedback is named) to the findings of the rules of an older tree, on the messages of
sets AK-AO; the rendered template library, not trained on, is the false-alarm check (docs/text-model.md).

    ROOT=/path/to/old/tree PYTHONPATH=/path/to/old/tree python tools/replay_review_manipulation.py

ROOT (default: this repository) is the tree whose rules are replayed (and whose rules' documented examples
are trained on); the model is fitted by this repository's tools/train_text_model.py (fit), on this repository's
development corpus and sets before AK; the sets AK-AO are read from this repository. Needs the training extra (scikit-learn, scipy)."""
import importlib.util
import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("ROOT", str(HERE)))
# msglint first, from ROOT: the training tool below then reads the rules' documented examples of that tree
from msglint.linter import Linter  # noqa: E402
from msglint.terms import ctx_terms  # noqa: E402
from msglint.textmodel import TextModel  # noqa: E402

# this repository's training tool: its one way of fitting a model (train_text_model.fit)
_spec = importlib.util.spec_from_file_location("train_text_model", HERE / "tools" / "train_text_model.py")
T = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(T)

NEW = {"setAK.jsonl", "setAL.jsonl", "setAM.jsonl", "setAN.jsonl", "setAO.jsonl"}
# the sets that existed before stop 24: the development corpus and the blind sets up to AJ
files = [f for f in T.training_files() if f.name not in NEW | {"setAP.jsonl"}]
texts, labels = T.messages(files)
for t, lab in T.documented_examples():
    texts.append(t); labels.append(lab)
keys, idf, models, _ = T.fit(texts, labels, ["review.manipulation"])
m = models["review.manipulation"]
tm = TextModel(keys=keys, idf=idf, coef=m.coef_.astype(np.float32), intercept=m.intercept_.astype(np.float32),
               categories=("review.manipulation",), thresholds=np.array([0.5], np.float32), manifest=())
GUARD = ("review:review_noun", "review:review_act", "review:feedback_noun", "review:public_telling",
         "review:public_place", "review:positive", "review:negative")
rows = []
lins = {}
for name in sorted(NEW):
    for line in open(HERE / "tests" / "data" / "blind" / name, encoding="utf-8"):
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
