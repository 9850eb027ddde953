"""Output formats. stdout carries only the chosen format; diagnostics go to stderr."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, TextIO

from rich.console import Console
from rich.text import Text

from msglint.explain import ui
from msglint.model import Report, Severity

SCHEMA_VERSION = "1.3"
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@dataclass(frozen=True)
class Cell:
    """Where an inventory-file finding is: the file, the spreadsheet row, the column's machine name, the SKU."""

    path: str
    row: int
    column: str
    sku: Optional[str] = None

    def describe(self) -> str:
        """``row 5, bullet_point2, SKU MUG-350-B``: what a listing team looks up."""
        return f"row {self.row}, {self.column}" + (f", SKU {self.sku}" if self.sku else "")


def _unpack(entry) -> tuple:
    """(path, report, cell or None) from a (path, report) or (path, report, cell) entry."""
    return (entry[0], entry[1], entry[2] if len(entry) > 2 else None)


def result_record(name_key: str, name, report: Report) -> dict:
    return {name_key: name, "findings": [f.to_dict() for f in report.findings]}


def write_jsonl_batch(out: TextIO, results: Iterable[tuple[object, Report]]) -> None:
    """The batch contract: one ``{"id", "findings"}`` line per input record, in input order."""
    for rid, report in results:
        out.write(json.dumps(result_record("id", rid, report), ensure_ascii=False) + "\n")


def write_jsonl_files(out: TextIO, results: Iterable[tuple]) -> None:
    """One ``{"path", "findings", "verdict"}`` line per file; entries may add a dict of extra keys
    (an inventory cell's ``row``/``column``/``sku``, an e-mail's ``attachments``)."""
    for entry in results:
        path, report = entry[0], entry[1]
        rec = result_record("path", path, report)
        rec["verdict"] = report.verdict
        rec.update(entry[2] if len(entry) > 2 and entry[2] else {})
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_json(out: TextIO, results: Sequence[tuple], version: str) -> None:
    """``results``: (key, name, report) or (key, name, report, extra keys) entries."""
    records = []
    for entry in results:
        key, name, r = entry[:3]
        rec = {key: name, "kind": r.kind, "marketplace": r.marketplace, "field": r.field,
               "verdict": r.verdict, "findings": [f.to_dict() for f in r.findings]}
        rec.update(entry[3] if len(entry) > 3 and entry[3] else {})
        records.append(rec)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "msglint", "version": version},
        "results": records,
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_text(out: TextIO, results: Sequence[tuple[str, Report]], color: bool, cells=frozenset(),
               lang: str = "en") -> None:
    """``path:line:col: CODE [severity] message``, then the line with the match underlined.

    Inventory-file cells (labels in ``cells``) print as ``file:row:column-name:col``, col counted
    in code points from the start of the cell. ``lang``: the language of the closing summary line.
    """
    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False,
                      soft_wrap=True, emoji=False, markup=False)
    counts = {s: 0 for s in Severity}
    for path, report in results:
        lines = report.text.split("\n")
        for f in report.findings:
            counts[f.severity] += 1
            head = Text()
            position = f"{path}:{f.start + 1}" if path in cells else f"{path}:{f.line}:{f.col}"
            head.append(f"{position}: ", style="bold")
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
            if f.fix is not None:
                console.print(Text("    " + fix_line(f, report.text, lang), style="green"))
    total = sum(counts.values())
    if total:
        console.print(ui("found_one" if total == 1 else "found_many", lang, total=total,
                         error=counts[Severity.ERROR], warning=counts[Severity.WARNING], info=counts[Severity.INFO]))
    else:
        console.print(ui("no_findings", lang))


def fix_line(f, text: str, lang: str = "en") -> str:
    """``fix (safe): keep a single mark: '!!!' → '!'`` in the explanation language (the text itself is never
    translated: the replacement is in the message's own language)."""
    from msglint.explain import fix_description
    start, end = f.fix_range
    label = ui("fix_safe" if f.fix.safe else "fix_unsafe", lang)
    sep = "：" if lang == "zh" else ": "
    new = _quoted(f.fix.replacement) if f.fix.replacement else ui("fix_removed", lang)
    return f"{label}{sep}{fix_description(f.fix.kind, lang)}{sep}{_quoted(text[start:end])} → {new}"


def _quoted(s: str) -> str:
    return "'" + s.replace("\r", "\\r").replace("\n", "\\n") + "'"


def _display_width(s: str) -> int:
    from rich.cells import cell_len
    return cell_len(s.replace("\t", " "))


# --- SARIF 2.1.0 -------------------------------------------------------------------------------

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
HELP_URI = "https://github.com/msglint/msglint/blob/main/docs/rules.md#{anchor}"


def sarif_rule(rule) -> dict:
    doc = rule.documentation or rule.name
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "helpUri": HELP_URI.format(anchor=rule.code.lower()),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"category": rule.category or "msglint", "kinds": sorted(rule.kinds)},
    }


def write_sarif(out: TextIO, results: Sequence[tuple], rules: Sequence, version: str) -> None:
    """SARIF 2.1.0 for GitHub code scanning; columns are Unicode code points, end column exclusive.

    ``results`` holds (path, report) or (path, report, cell) entries. An inventory-file cell's
    findings sit on the cell's row (``startLine``), name the column and the SKU in the message,
    and carry them as a logical location; their columns are within the cell (properties).
    """
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = []
    for entry in results:
        path, report, cell = _unpack(entry)
        for f in report.findings:
            if cell is None:
                region = {"startLine": f.line, "startColumn": f.col, "endLine": f.end_line, "endColumn": f.end_col,
                          "snippet": {"text": f.text}}
                message = f.message
            else:
                region = {"startLine": cell.row, "endLine": cell.row, "snippet": {"text": f.text}}
                message = f"{cell.describe()}: {f.message}"
            location = {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": region}}
            if cell is not None:
                location["logicalLocations"] = [{
                    "name": cell.column,
                    "fullyQualifiedName": f"{cell.sku or 'row ' + str(cell.row)}/{cell.column}",
                    "kind": "member",
                    "properties": {"row": cell.row, "column": cell.column, "sku": cell.sku},
                }]
            result = {
                "ruleId": f.code,
                "level": _LEVEL[f.severity],
                "message": {"text": message},
                "locations": [location],
                "partialFingerprints": {"msglintFinding/v1": f"{f.code}:{f.text}"},
            }
            if f.code in index:
                result["ruleIndex"] = index[f.code]
            props = {}
            if f.fix is not None and f.fix.replacement:
                props["fix"] = f.fix.replacement
            if cell is not None:
                props.update({"row": cell.row, "column": cell.column, "sku": cell.sku,
                              "cellStart": f.start, "cellEnd": f.end})
            if props:
                result["properties"] = props
            sarif_results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "msglint", "version": version, "semanticVersion": version,
                                "informationUri": "https://github.com/msglint/msglint",
                                "rules": [sarif_rule(r) for r in rules]}},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _uri(path: str) -> str:
    import os
    from urllib.parse import quote
    if path in ("<stdin>", "-"):
        return "stdin"
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return quote(rel.replace(os.sep, "/"))


# --- GitHub workflow commands --------------------------------------------------------------------

_GH = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def write_github(out: TextIO, results: Sequence[tuple]) -> None:
    """One ``::error file=...,line=...::message`` annotation per finding; an inventory-file cell's
    findings on the cell's row, the column and SKU at the start of the message."""
    for entry in results:
        path, report, cell = _unpack(entry)
        for f in report.findings:
            title = _gh_escape(f.code + ' ' + f.name, True)
            if cell is None:
                props = (f"file={_gh_escape(path, True)},line={f.line},col={f.col},endLine={f.end_line},"
                         f"endColumn={f.end_col},title={title}")
                message = f.message
            else:
                props = f"file={_gh_escape(cell.path, True)},line={cell.row},endLine={cell.row},title={title}"
                message = f"{cell.describe()}: {f.message}"
            out.write(f"::{_GH[f.severity]} {props}::{_gh_escape(message)}\n")


def write_statistics(out: TextIO, results: Sequence[tuple[str, Report]], lang: str = "en") -> None:
    """Counts per rule, most frequent first (ruff's --statistics); in Chinese the rule's summary follows."""
    from collections import Counter
    counts = Counter()
    names = {}
    for _, report in results:
        for f in report.findings:
            counts[f.code] += 1
            names[f.code] = (f.name, f.severity.value)
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name, sev = names[code]
        out.write(f"{n:5}\t{code}\t[{sev}]\t{name}{_summary_column(code, lang)}\n")


def _summary_column(code: str, lang: str) -> str:
    """A fifth column for readers of Chinese: what the rule is about."""
    if lang == "en":
        return ""
    from msglint.explain import summary
    from msglint.ruledocs import all_rules
    rule = next((r for r in all_rules() if r.code == code), None)
    return f"\t{summary(rule, lang)}" if rule is not None else ""

# --- xlsx report ---------------------------------------------------------------------------------

XLSX_COLUMNS = ("File", "Row", "SKU", "Column", "Line", "Col", "Code", "Name", "Category", "Severity",
                "Text", "Message", "Fix")


def write_xlsx(path: str, results: Sequence[tuple], version: str, force: bool = True) -> None:
    """The workbook of :func:`xlsx_bytes` written to ``path`` as ``--output`` files are
    (msglint.safewrite: atomically, only a regular file, replaced only with ``force``)."""
    from msglint.safewrite import write_file
    write_file(path, xlsx_bytes(results, version), force)


def xlsx_bytes(results: Sequence[tuple], version: str) -> bytes:
    """A workbook for listing teams: sheet "Findings" (one row per finding: file, spreadsheet row, SKU,
    column, code ...), sheet "By code" (counts).

    ``results`` holds (path, report) or (path, report, cell) entries. Texts are stored as text,
    never as formulas (a listing cell that starts with "=" stays inert).
    """
    import io
    from collections import Counter

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    ws.append(XLSX_COLUMNS)
    counts: Counter = Counter()
    names = {}
    for entry in results:
        file_path, report, cell = _unpack(entry)
        for f in report.findings:
            counts[f.code] += 1
            names[f.code] = (f.name, f.category or "msglint", f.severity.value)
            row = [cell.path if cell else file_path, cell.row if cell else None, cell.sku if cell else None,
                   cell.column if cell else None, f.line, f.col, f.code, f.name, f.category or "msglint",
                   f.severity.value, f.text, f.message, f.fix.replacement if f.fix else None]
            ws.append(row)
            for c in ws[ws.max_row]:
                if isinstance(c.value, str):
                    c.data_type = "s"  # "=HYPERLINK(...)" in a listing is text, not a formula
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for letter, width in zip("ABCDEFGHIJKLM", (28, 6, 16, 22, 6, 6, 8, 24, 18, 9, 30, 80, 30)):
        ws.column_dimensions[letter].width = width
    by_code = wb.create_sheet("By code")
    by_code.append(("Code", "Name", "Category", "Severity", "Findings"))
    for c in by_code[1]:
        c.font = Font(bold=True)
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        by_code.append((code, *names[code], n))
    wb.properties.creator = f"msglint {version}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
