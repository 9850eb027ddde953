"""Measure the fixes on violating messages in six languages (tests/data/fix_eval.jsonl).

    python bench/fix_eval.py [--safe-only] [--details] [FILE]

For each message: the findings before, the fixes offered (safe / unsafe), the fixes applied by the
fixing engine (``msglint.fixing``, as ``check --fix --unsafe-fixes`` applies them), the findings
resolved, new findings introduced (goal 0) and findings still present; and whether every offered
replacement is written in the message's language (py3langid on replacements of three words or more).
One table per language plus the total.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from msglint import Linter  # noqa: E402
from msglint.fixing import fix_text  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "fix_eval.jsonl"
COLUMNS = ("messages", "findings", "offered safe", "offered unsafe", "applied", "resolved", "new", "remaining",
           "fixes in the message's language")


def replacement_language_ok(text: str, lang: str) -> bool | None:
    """True/False for a replacement long enough to identify, None when it is too short to say."""
    import py3langid
    if len(text.split()) < 3 and lang != "ja":
        return None
    if lang == "ja":
        return any("\u3040" <= ch <= "\u30ff" for ch in text) or None
    return py3langid.classify(text)[0] == lang


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--safe-only", action="store_true", help="apply only the safe fixes")
    parser.add_argument("--details", action="store_true", help="print each message's fixed text and what remains")
    args = parser.parse_args()
    records = [json.loads(line) for line in Path(args.file).read_text("utf-8").splitlines() if line.strip()]
    linters: dict = {}
    rows: dict = defaultdict(lambda: defaultdict(int))
    for rec in records:
        mp = rec["marketplace"]
        linter = linters.setdefault(mp, Linter(marketplace=mp))
        check = lambda t, linter=linter: linter.check(t)  # noqa: E731
        before = check(rec["text"])
        result = fix_text(rec["text"], check, unsafe=not args.safe_only, before=before)
        row = rows[rec["lang"]]
        row["messages"] += 1
        row["findings"] += len(before.findings)
        row["offered safe"] += sum(1 for f in before.findings if f.fix is not None and f.fix.safe)
        row["offered unsafe"] += sum(1 for f in before.findings if f.fix is not None and not f.fix.safe)
        row["applied"] += len(result.applied)
        row["resolved"] += len(result.resolved())
        row["new"] += len(result.new())
        row["remaining"] += len(result.after.findings)
        for f in before.findings:
            if f.fix is not None and f.fix.replacement:
                ok = replacement_language_ok(f.fix.replacement, rec["lang"])
                if ok is not None:
                    row["_lang_checked"] += 1
                    row["_lang_ok"] += int(ok)
        if args.details:
            print(f"--- {rec['id']}: {[f.code for f in before.findings]} -> {[f.code for f in result.after.findings]}"
                  + (f" rolled back {[f.code for f in result.rolled_back]}" if result.rolled_back else ""))
            print(result.text)
    total = defaultdict(int)
    for row in rows.values():
        for k, v in row.items():
            total[k] += v
    mode = "safe fixes only" if args.safe_only else "safe and unsafe fixes (--fix --unsafe-fixes)"
    print(f"\n{len(records)} messages, {mode}\n")
    print("| language | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for lang, row in list(rows.items()) + [("total", total)]:
        cells = [str(row[c]) for c in COLUMNS[:-1]] + [f"{row['_lang_ok']}/{row['_lang_checked']}"]
        print(f"| {lang} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
