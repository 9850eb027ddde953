#!/usr/bin/env python3
"""Replay history to choose the text model's thresholds: ``python tools/replay_thresholds.py setU,setV,setW,setX``.

For each named blind set H (tests/data/blind/H.jsonl): a model trained only on the development corpus,
the blind sets before H (alphabetically), the rendered templates and the rules' documented examples,
exactly as tools/train_text_model.py trains; its probabilities on H's messages are added to the
findings of the rules alone (every rule but the text-model ones). Prints text-level precision and
recall per text-model category and threshold, per set and pooled (docs/text-model.md has the table).
Needs the training extra (scikit-learn, scipy).
"""
import json, sys, re
from pathlib import Path
import numpy as np
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools")); sys.path.insert(0, str(ROOT))
import train_text_model as T
from msglint.textmodel import features
from msglint.rules import ALL_RULES
from msglint import Linter
from msglint.rules import learned

HELD = sys.argv[1].split(",")
CATS = ["conduct", "review.incentive", "marketing", "unnecessary"]
THS = [0.4, 0.5, 0.6, 0.7, 0.8]
blind = ROOT / "tests" / "data" / "blind"
def load(p):
    return [json.loads(l) for l in open(p) if l.strip()]
templates = T.rendered_templates()
docs = T.documented_examples()
rules = [r for r in ALL_RULES if not r.fallback]
linters = {}
tot = {(c, th): [0, 0, 0] for c in CATS for th in THS}
for H in HELD:
    hpath = blind / f"{H}.jsonl"
    held = [d for d in load(hpath if hpath.exists() else H) if d["kind"] == "message"]
    Hname = Path(H).stem
    train_files = [T.training_files()[0]] + [p for p in sorted(blind.glob("set*.jsonl")) if p.stem < Hname]
    texts, labels = T.messages(train_files)
    texts += templates; labels += [set() for _ in templates]
    for t, l in docs:
        texts.append(t); labels.append(l)
    keys, idf, models, _ = T.fit(texts, labels, CATS)
    Xh = T.matrix([features(d["text"]) for d in held], keys, idf)
    probs = {cat: models[cat].predict_proba(Xh)[:, 1] for cat in CATS}
    per = {(c, th): [0, 0, 0] for c in CATS for th in THS}
    for i, d in enumerate(held):
        mp = d["marketplace"]
        if mp not in linters:
            linters[mp] = Linter(marketplace=mp, rules=rules)
        found = {f.category for f in linters[mp].check(d["text"], "message").findings}
        words = len(re.findall(r"\w+", d["text"]))  # about what learned.MIN_WORDS counts (alphabetic tokens)
        for c in CATS:
            for th in THS:
                flag = c in found or (probs[c][i] >= th and words >= learned.MIN_WORDS)
                gold = c in d["labels"]
                k = per[(c, th)]
                if flag and gold: k[0] += 1
                elif flag: k[1] += 1
                elif gold: k[2] += 1
    for c in CATS:
        print(Hname, c, "  ".join(f"{th}: P {v[0]/max(1,v[0]+v[1]):.3f} R {v[0]/max(1,v[0]+v[2]):.3f} fp{v[1]}" for th in THS for v in [per[(c, th)]]))
        for th in THS:
            for j in range(3): tot[(c, th)][j] += per[(c, th)][j]
for c in CATS:
    print("ALL", c, "  ".join(f"{th}: P {v[0]/max(1,v[0]+v[1]):.3f} R {v[0]/max(1,v[0]+v[2]):.3f} fp{v[1]}" for th in THS for v in [tot[(c, th)]]))
