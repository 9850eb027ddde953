"""Reading what the user asked us to check: files, stdin, JSONL batches. Errors are InputError."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Iterator, Optional

TEXT_SUFFIXES = (".txt", ".text", ".md", ".eml", ".mbox", ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl")


class InputError(Exception):
    """A problem with the user's input, reported as one line and exit code 2."""


@dataclass(frozen=True)
class Item:
    """One text to check: from a file (``path``) or a JSONL record (``id``)."""

    text: str
    path: str
    id: Optional[str] = None
    kind: Optional[str] = None
    marketplace: Optional[str] = None
    field: Optional[str] = None
    brand: Optional[str] = None
    line: Optional[int] = None  # line of the JSONL record
    location: Optional[str] = None  # "file:row:column-name" for an inventory-file cell
    row: Optional[int] = None       # inventory-file cell: its spreadsheet row,
    column: Optional[str] = None    # ... its column's machine name,
    sku: Optional[str] = None       # ... and the row's SKU (item_sku), when the file has one
    mail: Optional[object] = None   # an e-mail's seller text: msglint.mail.MailText (positions in the file)


def read_text(path: str) -> str:
    """The text of ``path`` ('-' = stdin) as UTF-8; InputError for missing or undecodable files."""
    if path == "-":
        data = sys.stdin.buffer.read()
        where = "<stdin>"
    else:
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        where = path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text[1:] if text.startswith("\ufeff") else text


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files named, plus text-like files found under directories (sorted)."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(TEXT_SUFFIXES))
        else:
            out.append(path)
    return out


def read_jsonl(path: str) -> Iterator[Item]:
    """Records ``{"id", "text", "kind"?, "marketplace"?, "field"?}``, one per line, all validated first."""
    text = read_text(path)
    where = "<stdin>" if path == "-" else path
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}:{n}: malformed JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{where}:{n}: expected a JSON object")
        if "text" not in obj or not isinstance(obj["text"], str):
            raise InputError(f"{where}:{n}: missing string field 'text'")
        if "id" not in obj:
            raise InputError(f"{where}:{n}: missing field 'id'")
        for key in ("kind", "marketplace", "field", "brand"):
            if obj.get(key) is not None and not isinstance(obj[key], str):
                raise InputError(f"{where}:{n}: field '{key}' must be a string")
        items.append(Item(text=obj["text"], path=where, id=obj["id"], kind=obj.get("kind"),
                          marketplace=obj.get("marketplace"), field=obj.get("field"),
                          brand=obj.get("brand"), line=n))
    return iter(items)
