"""Inventory file templates (msglint.inventory): every format made here, in tmp_path."""
from __future__ import annotations

import csv

import pytest

from msglint import Linter
from msglint.inputs import InputError
from msglint.inventory import InventoryCell, is_inventory_file, read_inventory

LABELS_1 = ["TemplateType=fptcustom", "Version=2024.0101", "TemplateSignature=SE9NRQ==", "", "", "", "", "", "", ""]
LABELS_2 = ["Seller SKU", "Brand Name", "Product Name", "Bullet Point", "Bullet Point", "Bullet Point",
            "Bullet Point", "Bullet Point", "Product Description", "Search Terms"]
HEADER = ["item_sku", "brand_name", "item_name", "bullet_point1", "bullet_point2", "bullet_point3",
          "bullet_point4", "bullet_point5", "product_description", "generic_keywords"]
ROWS = [
    ["MUG-350-W", "Kaguya", "Kaguya Stainless Steel Travel Mug, 350 ml, White",
     "Double-wall vacuum insulation keeps drinks hot for 6 hours.", "Fits most car cup holders.",
     "", "", "", "A travel mug for coffee and tea.", "travel mug coffee tea insulated"],
    ["MUG-350-B", "Yahoo!", "Yahoo! Travel Mug!! Free Shipping", "Bullet 2: N/A", "", "", "", "",
     "", "mug best seller"],
    ["", "", "", "", "", "", "", "", "", ""],  # an empty row is skipped
    ["LAMP-1", "Lumora", "Lumora LED Desk Lamp, Dimmable", "Kills 99.9% of germs on the base.", "", "", "",
     "", "Line one\nline two", ""],
]


def _write_tsv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        for row in rows:
            fh.write("\t".join(row) + "\r\n")


def _write_xlsx(path, rows, sheet="Template", extra_sheets=("Instructions",)):
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = extra_sheets[0] if extra_sheets else sheet
    if extra_sheets:
        first.append(["Fill in the Template sheet."])
        ws = wb.create_sheet(sheet)
    else:
        ws = first
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    wb.save(path)


def _cells(path):
    return list(read_inventory(str(path)))


def _summary(cells):
    return [(c.row, c.column, c.field, c.brand) for c in cells]


EXPECTED = [
    (4, "item_name", "title", "Kaguya"), (4, "bullet_point1", "bullet", "Kaguya"),
    (4, "bullet_point2", "bullet", "Kaguya"), (4, "product_description", "description", "Kaguya"),
    (4, "generic_keywords", "search_terms", "Kaguya"),
    (5, "item_name", "title", "Yahoo!"), (5, "bullet_point1", "bullet", "Yahoo!"),
    (5, "generic_keywords", "search_terms", "Yahoo!"),
    (7, "item_name", "title", "Lumora"), (7, "bullet_point1", "bullet", "Lumora"),
    (7, "product_description", "description", "Lumora"),
]


def test_tsv_with_two_label_rows(tmp_path):
    path = tmp_path / "listings.txt"
    _write_tsv(path, [LABELS_1, LABELS_2, HEADER] + [[c.replace("\n", " ") for c in r] for r in ROWS])
    cells = _cells(path)
    assert _summary(cells) == EXPECTED
    first = cells[0]
    assert isinstance(first, InventoryCell)
    assert first.text == "Kaguya Stainless Steel Travel Mug, 350 ml, White"
    assert first.col == 3 and first.location == f"{path}:4:item_name"
    assert is_inventory_file(str(path))


def test_tsv_with_one_label_row_and_tsv_suffix(tmp_path):
    path = tmp_path / "listings.tsv"
    _write_tsv(path, [LABELS_2, HEADER] + [[c.replace("\n", " ") for c in r] for r in ROWS])
    assert [(r + 1, c, f, b) for r, c, f, b in _summary(_cells(path))] == EXPECTED


def test_tsv_without_label_rows_in_windows_1252_and_utf16(tmp_path):
    rows = [HEADER, ["SKU-1", "Atelier Soline", "Plaid en coton, beige", "Lavable à 40 degrés.", "", "", "", "",
                     "", ""]]
    for encoding in ("cp1252", "utf-16"):
        path = tmp_path / f"fr-{encoding}.txt"
        _write_tsv(path, rows, encoding=encoding)
        cells = _cells(path)
        assert [(c.row, c.field, c.text) for c in cells] == [
            (2, "title", "Plaid en coton, beige"), (2, "bullet", "Lavable à 40 degrés.")]


def test_tsv_in_shift_jis(tmp_path):
    path = tmp_path / "jp.txt"
    _write_tsv(path, [HEADER, ["SKU-1", "かぐや雑貨", "かぐや雑貨 マグカップ 350ml", "", "", "", "", "", "", ""]],
               encoding="cp932")
    (cell,) = _cells(path)
    assert cell.text == "かぐや雑貨 マグカップ 350ml" and cell.brand == "かぐや雑貨"


def test_csv_comma_and_semicolon_with_multiline_cells(tmp_path):
    for delimiter in (",", ";"):
        path = tmp_path / f"listings{'-semi' if delimiter == ';' else ''}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            for row in [LABELS_1, LABELS_2, HEADER] + ROWS:
                writer.writerow(row)
        cells = _cells(path)
        assert _summary(cells) == EXPECTED
        assert cells[-1].text == "Line one\nline two"


def test_xlsx_with_two_label_rows_on_a_template_sheet(tmp_path):
    path = tmp_path / "listings.xlsx"
    _write_xlsx(path, [LABELS_1, LABELS_2, HEADER] + ROWS)
    cells = _cells(path)
    assert _summary(cells) == EXPECTED
    assert cells[-1].text == "Line one\nline two"
    assert is_inventory_file(str(path))


def test_xlsx_numbers_and_a_single_sheet(tmp_path):
    path = tmp_path / "numbers.xlsx"
    _write_xlsx(path, [HEADER, ["SKU-9", "Acme", 2024, "", "", "", "", "", "", ""]], extra_sheets=())
    (cell,) = _cells(path)
    assert cell.text == "2024" and cell.row == 2


def test_product_type_template_column_names_and_marketplace(tmp_path):
    mp = "[marketplace_id=A1PA6795UKMFR9][language_tag=de_DE]"
    header = ["contribution_sku#1.value", f"brand{mp}#1.value", f"item_name{mp}#1.value",
              f"bullet_point{mp}#1.value", f"bullet_point{mp}#2.value", f"product_description{mp}#1.value",
              f"generic_keyword{mp}#1.value"]
    rows = [["settings=contentLanguageTag=de_DE&marketplaceId=A1PA6795UKMFR9", "", "", "", "", "", ""],
            ["SKU", "Marke", "Produktname", "Aufzählungspunkt", "Aufzählungspunkt", "Beschreibung", "Suchbegriffe"],
            header,
            ["TK-1", "Nordlicht", "Nordlicht Thermoskanne 1 l", "Hält 12 Stunden heiß.", "BPA-frei.", "", "thermoskanne"]]
    path = tmp_path / "product-type.xlsx"
    _write_xlsx(path, rows)
    cells = _cells(path)
    assert [(c.row, c.column, c.field, c.brand, c.marketplace) for c in cells] == [
        (4, "item_name", "title", "Nordlicht", "DE"), (4, "bullet_point1", "bullet", "Nordlicht", "DE"),
        (4, "bullet_point2", "bullet", "Nordlicht", "DE"), (4, "generic_keyword1", "search_terms", "Nordlicht", "DE")]


def test_errors_are_one_line_input_errors(tmp_path):
    no_header = tmp_path / "plain.tsv"
    _write_tsv(no_header, [["a", "b"], ["c", "d"]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip file")
    binary = tmp_path / "saved-wrong.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    cases = [(no_header, "no header row"), (broken, "cannot read the spreadsheet"),
             (tmp_path / "missing.csv", "no such file"), (binary, "binary file"),
             (tmp_path / "old.xls", "no such file")]
    for path, words in cases:
        with pytest.raises(InputError) as info:
            _cells(path)
        message = str(info.value)
        assert words in message and str(path) in message and "\n" not in message
    old = tmp_path / "old2.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"\.xls files are not supported"):
        _cells(old)
    assert not is_inventory_file(str(no_header))


def test_message_text_file_is_not_an_inventory_file(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("Hello, thank you for your order.\nBest regards", encoding="utf-8")
    assert not is_inventory_file(str(path))
    other = tmp_path / "orders.csv"
    other.write_text("order_id,date\n114-6639201-7740582,2024-05-01\n", encoding="utf-8")
    assert not is_inventory_file(str(other))
    table = tmp_path / "listings.csv"
    table.write_text("item_sku;item_name\nSKU-1;Travel Mug\n", encoding="utf-8")
    assert is_inventory_file(str(table))


def test_cells_are_checked_with_field_and_brand(tmp_path):
    """The brand column is the banned-character exception; fields pick the field rules."""
    path = tmp_path / "listings.txt"
    _write_tsv(path, [LABELS_1, LABELS_2, HEADER] + [[c.replace("\n", " ") for c in r] for r in ROWS])
    linter = Linter(marketplace="US")
    found = {}
    for cell in read_inventory(str(path)):
        report = linter.check(cell.text, kind="listing", field=cell.field, marketplace=cell.marketplace,
                              brands=(cell.brand,) if cell.brand else ())
        found[(cell.row, cell.column)] = sorted((f.code, f.text) for f in report.findings)
    assert found[(4, "item_name")] == []
    assert ("LF005", "!!") in found[(5, "item_name")]
    assert ("LF005", "!") not in found[(5, "item_name")]  # "Yahoo!" is the row's brand
    assert ("LP001", "Free Shipping") in found[(5, "item_name")]
    assert ("LF010", "N/A") in found[(5, "bullet_point1")]
    assert ("LR001", "best seller") in found[(5, "generic_keywords")]
    assert any(code == "LC005" for code, _ in found[(7, "bullet_point1")])
