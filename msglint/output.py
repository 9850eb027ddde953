"""Output formats. stdout carries only the chosen format; diagnostics go to stderr."""
from __future__ import annotations

import json
from typing import Iterable, Sequence, TextIO

from rich.console import Console
from rich.text import Text

from msglint.model import Report, Severity

SCHEMA_VERSION = "1.0"
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def result_record(name_key: str, name, report: Report) -> dict:
    return {name_key: name, "findings": [f.to_dict() for f in report.findings]}


def write_jsonl_batch(out: TextIO, results: Iterable[tuple[object, Report]]) -> None:
    """The batch contract: one ``{"id", "findings"}`` line per input record, in input order."""
    for rid, report in results:
        out.write(json.dumps(result_record("id", rid, report), ensure_ascii=False) + "\n")


def write_jsonl_files(out: TextIO, results: Iterable[tuple[str, Report]]) -> None:
    for path, report in results:
        rec = result_record("path", path, report)
        rec["verdict"] = report.verdict
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_json(out: TextIO, results: Sequence[tuple[str, object, Report]], version: str) -> None:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "msglint", "version": version},
        "results": [
            {key: name, "kind": r.kind, "marketplace": r.marketplace, "field": r.field,
             "verdict": r.verdict, "findings": [f.to_dict() for f in r.findings]}
            for key, name, r in results
        ],
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_text(out: TextIO, results: Sequence[tuple[str, Report]], color: bool) -> None:
    """``path:line:col: CODE [severity] message``, then the line with the match underlined."""
    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False,
                      soft_wrap=True, emoji=False, markup=False)
    counts = {s: 0 for s in Severity}
    for path, report in results:
        lines = report.text.split("\n")
        for f in report.findings:
            counts[f.severity] += 1
            head = Text()
            head.append(f"{path}:{f.line}:{f.col}: ", style="bold")
            head.append(f.code, style=_STYLE[f.severity])
            head.append(f" [{f.severity.value}] {f.message}")
            console.print(head)
            src = lines[f.line - 1] if f.line - 1 < len(lines) else ""
            width = (len(src) if f.end_line > f.line else f.end_col - f.col) or 1
            body = Text("    ")
            body.append(src[: f.col - 1])
            body.append(src[f.col - 1: f.col - 1 + width], style=_STYLE[f.severity] + " underline")
            body.append(src[f.col - 1 + width:])
            console.print(body)
            console.print(Text("    " + " " * _display_width(src[: f.col - 1]) + "^" * max(1, _display_width(src[f.col - 1: f.col - 1 + width])),
                               style=_STYLE[f.severity]))
    total = sum(counts.values())
    if total:
        console.print(f"Found {total} finding{'s' if total != 1 else ''} "
                      f"({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info).")
    else:
        console.print("No findings.")


def _display_width(s: str) -> int:
    from rich.cells import cell_len
    return cell_len(s.replace("\t", " "))
