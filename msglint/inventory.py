"""Amazon inventory file templates: the listing text of every row, cell by cell.

Sellers prepare listings in Amazon's inventory file templates ("flat files"): a spreadsheet
with one or two rows of labels ("TemplateType=fptcustom ...", "Product Name", "Bullet Point")
above the row of machine names (``item_name``, ``bullet_point1`` ...) and then one product per
row. This module reads such a file saved as tab-delimited text (``.txt``/``.tsv``, UTF-8,
UTF-16 as Excel's "Unicode Text", Windows-1252 or Shift_JIS), as ``.csv`` (comma or semicolon)
or as ``.xlsx``/``.xlsm`` (openpyxl in read-only mode), finds the machine-name row and yields
one :class:`InventoryCell` per non-empty listing text cell:

===========================================  ==============
column                                        listing field
===========================================  ==============
``item_name``                                 title
``bullet_point1`` ... ``bullet_point5``       bullet
``product_description``                       description
``generic_keywords`` (``generic_keyword``)    search_terms
``brand_name`` (``brand``)                    the row's declared brand
===========================================  ==============

The 2023 product-type templates name their columns with a marketplace and language suffix
(``item_name[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]#1.value``,
``bullet_point[...]#3.value``); those are recognised too, and a marketplace id in the header
or the label rows sets the cells' marketplace.

Every problem with the file (missing, unreadable, not a spreadsheet, no header row) raises
:class:`msglint.inputs.InputError` with a one-line message naming the file.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence

from msglint.inputs import InputError

__all__ = ["InventoryCell", "read_inventory", "is_inventory_file", "INVENTORY_SUFFIXES", "FIELD_OF_COLUMN",
           "BRAND_COLUMNS", "MARKETPLACE_IDS"]

INVENTORY_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")
HEADER_SEARCH_ROWS = 10

# machine names -> listing field
FIELD_OF_COLUMN = {
    "item_name": "title",
    "product_description": "description",
    "generic_keywords": "search_terms",
    "generic_keyword": "search_terms",  # product-type templates (2023): generic_keyword[...]#1.value
    **{f"bullet_point{i}": "bullet" for i in range(1, 11)},
    **{f"generic_keywords{i}": "search_terms" for i in range(1, 6)},
    **{f"generic_keyword{i}": "search_terms" for i in range(1, 6)},
}
BRAND_COLUMNS = ("brand_name", "brand")
SKU_COLUMNS = ("item_sku", "sku", "contribution_sku")  # the row's identifier, named in reports
# other machine names that mark a header row
_KNOWN = frozenset(FIELD_OF_COLUMN) | {
    *BRAND_COLUMNS, "item_sku", "sku", "feed_product_type", "product_type", "external_product_id",
    "external_product_id_type", "manufacturer", "part_number", "update_delete", "parent_child", "parent_sku",
    "relationship_type", "variation_theme", "standard_price", "quantity", "main_image_url", "item_type",
    "recommended_browse_nodes", "model", "color_name", "size_name", "department_name", "condition_type",
}
_INDEXED = ("bullet_point", "generic_keywords", "generic_keyword")
# "bullet_point[marketplace_id=...][language_tag=...]#3.value" -> ("bullet_point", 3)
_NEW_STYLE = re.compile(r"^([a-z0-9_]+)(?:\[[^\]]*\])*(?:#(\d+))?(?:\.[a-z_]+)*$")
_MARKETPLACE_ID = re.compile(r"\b(A[0-9A-Z]{9,13})\b")
MARKETPLACE_IDS = {
    "ATVPDKIKX0DER": "US", "A2EUQ1WTGCTBG2": "CA", "A1AM78C64UM0Y8": "MX", "A2Q3Y263D00KWC": "BR",
    "A1F83G8C2ARO7P": "UK", "A1PA6795UKMFR9": "DE", "A13V1IB3VIYZZH": "FR", "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES", "A1805IZSGTT6HS": "NL", "A2NODRKZP88ZB9": "SE", "A1C3SOZRARQ6R3": "PL",
    "A33AVAJ2PDY3EV": "TR", "AMEN7PMS3EDWL": "BE", "A28R8C7NBKEWEA": "IE", "A1VC38T7YXB528": "JP",
    "A39IBJ37TRP1C6": "AU", "A19VAU5U5O7RUS": "SG", "A21TJRUUN4KGV": "IN", "A2VIGQ35RCS4UG": "AE",
    "A17E79C6D8DWNP": "SA",
}


@dataclass(frozen=True)
class InventoryCell:
    """One listing text cell of an inventory file.

    ``row`` and ``col`` are 1-based, as a spreadsheet shows them; ``column`` is the machine
    name from the header row (``bullet_point2``); ``sku`` the row's ``item_sku``; ``brand`` is the row's ``brand_name`` and
    ``marketplace`` the code of a marketplace id found in the template, when there is one.
    """

    path: str
    row: int
    col: int
    column: str
    field: str
    text: str
    brand: Optional[str] = None
    marketplace: Optional[str] = None
    sku: Optional[str] = None

    @property
    def location(self) -> str:
        """``file:row:column-name``, the prefix of a finding's position."""
        return f"{self.path}:{self.row}:{self.column}"


def is_inventory_file(path: str) -> bool:
    """True for an ``.xlsx``/``.xlsm`` workbook, or a ``.csv``/``.tsv``/``.txt`` whose first rows
    hold a row of Amazon column names.

    A text file that is not such a table (a message draft, a CSV of something else) is not an
    inventory file, so it can still be checked as plain text.
    """
    lower = path.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return True
    if not lower.endswith((".csv", ".tsv", ".txt")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    try:
        text = _decode(head, path, partial=True)
    except InputError:
        return False
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = _csv_delimiter(text) if lower.endswith(".csv") else "\t"
    rows = list(csv.reader(lines, delimiter=delimiter))
    return _header_index(rows) is not None


def read_inventory(path: str) -> Iterator[InventoryCell]:
    """The non-empty listing text cells of the inventory file at ``path``, row by row."""
    rows = _rows(path)
    return _cells(path, rows)


def _cells(path: str, rows: Iterable[tuple[int, Sequence]]) -> Iterator[InventoryCell]:
    rows = iter(rows)
    above: list[Sequence] = []
    header: Optional[Sequence] = None
    header_row = 0
    for number, values in rows:
        above.append(values)
        if _is_header(values):
            header, header_row = values, number
            break
        if len(above) >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise InputError(f"{path}: no header row with Amazon column names (item_name, bullet_point1, "
                         f"product_description, generic_keywords) in the first {HEADER_SEARCH_ROWS} rows")
    columns = [_column_name(v) for v in header]
    fields: list[tuple[int, str, str]] = []  # (index, machine name as written, field)
    brand_index = sku_index = None
    marketplace = _marketplace_in(above)
    for i, (name, index) in enumerate(columns):
        if name is None:
            continue
        if name in SKU_COLUMNS and sku_index is None:
            sku_index = i
        if name in BRAND_COLUMNS and (brand_index is None or name == "brand_name"):
            brand_index = i
        key = f"{name}{index}" if index and name in _INDEXED else name
        field = FIELD_OF_COLUMN.get(key)
        if field is not None:
            fields.append((i, _display_name(header[i], key), field))
    if not fields:
        raise InputError(f"{path}:{header_row}: the header row has no listing text columns "
                         f"(item_name, bullet_point1..5, product_description, generic_keywords)")
    return _data_cells(path, rows, fields, brand_index, marketplace, sku_index)


def _data_cells(path, rows, fields, brand_index, marketplace, sku_index=None) -> Iterator[InventoryCell]:
    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        brand = _text(values[brand_index]) if brand_index is not None and brand_index < len(values) else ""
        sku = _text(values[sku_index]).strip() if sku_index is not None and sku_index < len(values) else ""
        for i, name, field in fields:
            text = _text(values[i]) if i < len(values) else ""
            if text.strip():
                yield InventoryCell(path, number, i + 1, name, field, text, brand.strip() or None, marketplace,
                                    sku or None)


def _is_header(values: Sequence) -> bool:
    names = {name for name, _ in map(_column_name, values) if name}
    return "item_name" in names or len(names & _KNOWN) >= 2


def _header_index(rows: list[Sequence]) -> Optional[int]:
    for i, row in enumerate(rows):
        if _is_header(row):
            return i
    return None


def _column_name(value) -> tuple[Optional[str], Optional[int]]:
    """("bullet_point", 3) for "bullet_point3" or "bullet_point[...]#3.value"; (None, None) for labels."""
    text = _text(value).strip().lower()
    if not text or " " in text:
        return None, None
    m = _NEW_STYLE.match(text)
    if not m:
        return None, None
    name, index = m.group(1), m.group(2)
    if index is not None:
        if name in _INDEXED:
            return name, int(index)
        return name, None
    old = re.match(r"^(bullet_point|generic_keywords|generic_keyword)(\d+)$", name)
    if old:
        return old.group(1), int(old.group(2))
    return name, None


def _display_name(raw, key: str) -> str:
    """The column name to report: the classic machine name, also for the bracketed new style."""
    return key if "[" in _text(raw) or "#" in _text(raw) else _text(raw).strip()


def _marketplace_in(rows: list[Sequence]) -> Optional[str]:
    for row in rows:
        for value in row:
            text = _text(value)
            if "A" not in text:
                continue
            for m in _MARKETPLACE_ID.finditer(text):
                code = MARKETPLACE_IDS.get(m.group(1))
                if code:
                    return code
    return None


def _text(value) -> str:
    """A cell value as text: numbers without a spurious ".0", dates as ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- reading the file -----------------------------------------------------------------------

def _rows(path: str) -> Iterator[tuple[int, Sequence]]:
    if path == "-":
        raise InputError("<stdin>: inventory files must be read from a path (.xlsx, .csv, .tsv, .txt)")
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory")
    lower = path.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(path)
    if lower.endswith((".csv", ".tsv", ".txt")):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        text = _decode(data, path)
        delimiter = "\t" if not lower.endswith(".csv") else _csv_delimiter(text)
        return _delimited_rows(path, text, delimiter)
    if lower.endswith(".xls"):
        raise InputError(f"{path}: old Excel .xls files are not supported; save the template as .xlsx or "
                         f"as tab-delimited text")
    raise InputError(f"{path}: not an inventory file (expected .xlsx, .xlsm, .csv, .tsv or tab-delimited .txt)")


def _decode(data: bytes, path: str, partial: bool = False) -> str:
    """Text of a delimited file: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's
    "Unicode Text"), Shift_JIS (Japanese Excel) or Windows-1252 (Western Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16", errors="ignore" if partial else "strict")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-16 text") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary file, not tab-delimited text (an .xlsx saved as .txt?)")
    for encoding in ("utf-8-sig", "cp932", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if partial and encoding == "utf-8-sig" and exc.start >= len(data) - 3:
                return data[:exc.start].decode("utf-8-sig")  # a character cut by the read limit
            continue
    raise InputError(f"{path}: cannot decode the text (not UTF-8, UTF-16, Shift_JIS or Windows-1252)")


def _csv_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS + 2])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _delimited_rows(path: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records with their 1-based row number (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=False)
    try:
        for number, record in enumerate(reader, 1):
            yield number, record
    except csv.Error as exc:
        raise InputError(f"{path}: malformed delimited text near line {reader.line_num} ({exc})") from None


_TEMPLATE_SHEETS = ("template", "vorlage", "modèle", "modele", "plantilla", "modello", "テンプレート", "sjabloon", "mall")


def _xlsx_rows(path: str) -> Iterator[tuple[int, Sequence]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - a dependency of msglint
        raise InputError(f"{path}: reading .xlsx needs the openpyxl package (pip install openpyxl)") from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError, OSError ...
        raise InputError(f"{path}: cannot read the spreadsheet ({type(exc).__name__}: {exc})".rstrip(" :()")) from None
    return _sheet_rows(path, wb)


def _sheet_rows(path: str, wb) -> Iterator[tuple[int, Sequence]]:
    try:
        sheets = list(wb.worksheets)
        named = [ws for ws in sheets if ws.title.strip().lower() in _TEMPLATE_SHEETS]
        chosen = None
        for ws in named + [ws for ws in sheets if ws not in named]:
            head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), ws.iter_rows(values_only=True))]
            if _header_index(head) is not None:
                chosen = ws
                break
        if chosen is None:
            chosen = named[0] if named else (sheets[0] if sheets else None)
        if chosen is None:
            raise InputError(f"{path}: the workbook has no sheets")
        for number, row in enumerate(chosen.iter_rows(values_only=True), 1):
            yield number, row
    finally:
        wb.close()
