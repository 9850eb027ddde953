"""``msglint check --fix`` and ``--diff``: fix the checked files, or show what fixing them would change.

A file is rewritten atomically (``msglint.safewrite``: a new temporary file beside it, flushed, renamed
over it; a link, FIFO or device is never written through), in the encoding it was read with (a UTF-8
byte-order mark is kept). E-mail files and inventory files are never rewritten: their findings are
reported as they are. Standard input is never "written": its fixed text goes to standard output.
"""
from __future__ import annotations

import dataclasses
import difflib
import sys
from dataclasses import dataclass
from typing import Optional

import click

from msglint import checking, explain, fixing
from msglint.inputs import InputError, Item
from msglint.model import Report
from msglint.safewrite import WriteError, write_file


@dataclass
class Outcome:
    reports: list
    stdin_text: Optional[str] = None


def _fixable(item: Item) -> Optional[str]:
    """None when the item's text is a whole file that may be rewritten, else the locale key of why not."""
    if item.mail is not None:
        return "fix_why_mail"
    if item.location is not None or item.row is not None:
        return "fix_why_inventory"
    return None


def run(options: checking.Options, items: list, reports: list, *, unsafe: bool, diff: bool,
        encoding: Optional[str], lang: str, stdin_name: Optional[str] = None) -> Outcome:
    """Fix (or diff) every item; ``stdin_name``: the name standard input was checked as, if it was."""
    runner = checking.Runner(options)
    out_reports = list(reports)
    stdin_text = None
    fixed = total = files = rolled_back = 0
    skipped: dict = {}
    for i, (item, report) in enumerate(zip(items, reports)):
        total += len(report.findings)
        why = _fixable(item)
        if why is not None:
            if any(fixing.wanted(f, unsafe) for f in report.findings):
                skipped.setdefault(item.path, why)
            continue
        result = fixing.fix_text(item.text, lambda text, item=item: runner.check(dataclasses.replace(item, text=text)),
                                 unsafe=unsafe, before=report)
        rolled_back += len(result.rolled_back)
        is_stdin = stdin_name is not None and item.path == stdin_name
        if diff:
            if result.changed:
                sys.stdout.write(unified_diff(item.path, result.original, result.text))
                files += 1
            fixed += len(result.resolved())
            continue
        out_reports[i] = result.after
        fixed += len(result.resolved())
        if is_stdin:
            stdin_text = result.text
            continue
        if result.changed:
            files += 1
            _write(item.path, result.text, encoding)
    for path, why in skipped.items():
        click.echo(explain.ui("fix_not_rewritten", lang, path=path, why=explain.ui(why, lang)), err=True)
    if rolled_back:
        click.echo(explain.ui("fix_rolled_back", lang, n=rolled_back), err=True)
    remaining = sum(len(r.findings) for r in (reports if diff else out_reports))
    if not diff:
        click.echo(explain.ui("fix_summary", lang, fixed=fixed, total=total, files=files,
                              remaining=remaining), err=True)
    if not unsafe:
        hidden = sum(1 for r in (reports if diff else out_reports) for f in r.findings
                     if f.fix is not None and not f.fix.safe)
        if hidden:
            click.echo(explain.ui("fix_unsafe_hint", lang, n=hidden), err=True)
    return Outcome(out_reports, stdin_text)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _write(path: str, text: str, encoding: Optional[str]) -> None:
    """Write the fixed text back atomically, in the encoding the file was read with."""
    name = encoding or "utf-8"
    try:
        with open(path, "rb") as fh:
            head = fh.read(3)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    data = text.encode(name)
    if head == b"\xef\xbb\xbf" and not data.startswith(b"\xef\xbb\xbf") and name.replace("_", "-").lower() in (
            "utf-8", "utf8"):
        data = b"\xef\xbb\xbf" + data
    try:
        write_file(path, data, force=True)
    except WriteError as exc:
        raise InputError(str(exc)) from None
