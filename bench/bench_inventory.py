"""Benchmark: check every listing text cell of a 5,000-row inventory file.

Generates an Amazon inventory template (two label rows above the machine names, then 5,000
product rows with a title, five bullets, a description and search terms; about 1 in 25 cells
carries a violation) as tab-delimited text and as .xlsx, then times

* reading the file alone (``msglint.inventory.read_inventory``): the same-process baseline;
* checking all its cells through ``msglint.Linter`` in this process;
* checking them with worker processes (``--jobs``, default: all cores), the way ``msglint check``
  spreads many items over processes.

Wall-clock seconds depend on what else runs on the machine, so the single-process runs also
report the CPU seconds of the check, and the 1-minute load average is printed.

Rows are variations of a few hundred product families with their own numbers, colours and
sizes, so no two cells are the same text (a real file repeats bullets across variations;
here nothing can be served from a cache). Not a test: run
``python bench/bench_inventory.py [--rows 5000] [--jobs N] [--json]``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from msglint import Linter
from msglint.inventory import read_inventory

LABELS_1 = ["TemplateType=fptcustom", "Version=2024.0101", "TemplateSignature=QkVOQ0g=", "", "", "", "", "", "",
            "", ""]
LABELS_2 = ["Seller SKU", "Brand Name", "Product Name", "Key Product Features", "Key Product Features",
            "Key Product Features", "Key Product Features", "Key Product Features", "Product Description",
            "Search Terms", "Quantity"]
HEADER = ["item_sku", "brand_name", "item_name", "bullet_point1", "bullet_point2", "bullet_point3", "bullet_point4",
          "bullet_point5", "product_description", "generic_keywords", "quantity"]

BRANDS = ["Halden Kitchen", "Lumora", "Vellby", "Nordway", "Maple Moss", "Corvin", "Echoform", "Pawsley"]
PRODUCTS = [("Insulated Water Bottle", "bottle", "stainless steel"), ("LED Desk Lamp", "lamp", "aluminium"),
            ("Throw Blanket", "blanket", "fleece"), ("Cordless Drill Kit", "drill", "steel"),
            ("Desk Organizer", "organizer", "walnut"), ("USB-C Hub", "hub", "aluminium"),
            ("Dog Harness", "harness", "nylon"), ("Meal Prep Containers", "container set", "glass"),
            ("Camping Lantern", "lantern", "ABS plastic"), ("Duvet Cover Set", "duvet cover", "linen")]
COLOURS = ["Black", "White", "Grey", "Navy Blue", "Sage", "Sand", "Slate", "Red", "Walnut", "Natural"]
VIOLATIONS = ["Free Shipping", "#1 Best Seller", "Limited Time Offer", "100% Satisfaction Guaranteed",
              "kills 99.9% of germs", "LEAKPROOF", "Best Quality", "Order now!", "Amazon's Choice", "eco-friendly"]


def _row(i: int, rng: random.Random) -> list[str]:
    brand = BRANDS[i % len(BRANDS)]
    name, noun, material = PRODUCTS[(i // 7) % len(PRODUCTS)]
    colour = COLOURS[i % len(COLOURS)]
    size = 10 + (i % 37)
    bad = VIOLATIONS[i % len(VIOLATIONS)] if rng.random() < 0.3 else ""
    title = f"{brand} {name}, {size} oz, {material.title()}, {colour}, Model {1000 + i}"
    if bad and rng.random() < 0.3:
        title += f", {bad}"
    bullets = [
        f"Built to last: the {noun} is made of {material} and tested for {size * 100} cycles (batch {i}).",
        f"Easy to use: set up in about {2 + i % 9} minutes with the included guide; no tools needed.",
        f"Fits everyday life: {size} x {size + 4} cm footprint, weighs {300 + i % 500} g, colour {colour.lower()}.",
        f"Care: wipe clean with a damp cloth; parts marked {i % 5 + 1} are top-rack dishwasher safe.",
        f"In the box: 1 {noun}, 1 spare part set ({i % 4 + 2} pieces) and a printed manual; 2-year warranty.",
    ]
    if bad:
        bullets[i % 5] += f" {bad}."
    description = (f"The {brand} {name.lower()} is designed for daily use at home, in the office and on the go. "
                   f"It is made of {material} with a {colour.lower()} finish and measures {size} x {size + 4} cm. "
                   f"Item {i}: every unit is checked before packing. Clean it with warm water and mild soap, "
                   f"and keep it away from open flames. Spare parts are available under part number "
                   f"{brand[:3].upper()}-{i:05d}.")
    keywords = f"{noun} {material} {colour.lower()} {name.lower()} gift home office travel size {size} model {i}"
    return [f"SKU-{i:05d}", brand, title, *bullets, description, keywords, str(rng.randint(0, 500))]


def write_files(directory: str, rows: int) -> tuple[str, str]:
    rng = random.Random(20240815)
    data = [LABELS_1, LABELS_2, HEADER] + [_row(i, rng) for i in range(rows)]
    tsv = os.path.join(directory, "inventory.txt")
    with open(tsv, "w", encoding="utf-8", newline="") as fh:
        for row in data:
            fh.write("\t".join(row) + "\r\n")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Template")
    for row in data:
        ws.append(row)
    xlsx = os.path.join(directory, "inventory.xlsx")
    wb.save(xlsx)
    return tsv, xlsx


def _check_cells(cells) -> tuple[int, int]:
    linter = _worker_linter or Linter(marketplace="US")
    findings = errors = 0
    for cell in cells:
        report = linter.check(cell.text, kind="listing", field=cell.field, marketplace=cell.marketplace,
                              brands=(cell.brand,) if cell.brand else ())
        findings += len(report.findings)
        errors += report.verdict == "block"
    return findings, errors


_worker_linter = None


def _init() -> None:
    global _worker_linter
    _worker_linter = Linter(marketplace="US")
    _worker_linter.check("warm-up Free Shipping", kind="listing", field="title")


def check_file(path: str, jobs: int) -> dict:
    t0 = time.perf_counter()
    cells = list(read_inventory(path))
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    c0 = time.process_time()
    if jobs <= 1:
        findings, blocked = _check_cells(cells)
    else:
        size = max(1, len(cells) // (jobs * 8))
        chunks = [cells[i:i + size] for i in range(0, len(cells), size)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
            results = list(pool.map(_check_cells, chunks))
        findings, blocked = sum(r[0] for r in results), sum(r[1] for r in results)
    t_check = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = {"cells": len(cells), "chars": sum(len(c.text) for c in cells), "read_seconds": round(t_read, 2),
           "check_seconds": round(t_check, 2), "total_seconds": round(t_read + t_check, 2)}
    if jobs <= 1:
        # CPU time of this process: what the check costs when other programs share the cores
        out["check_cpu_seconds"] = round(cpu, 2)
    return {**out,
            "findings": findings, "cells_blocked": blocked,
            "ms_per_cell": round(t_check / max(1, len(cells)) * 1000, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for the parallel run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    global _worker_linter
    _worker_linter = Linter(marketplace="US")
    _worker_linter.check("warm-up Free Shipping", kind="listing", field="title")  # pipelines and lists loaded
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        tsv, xlsx = write_files(tmp, args.rows)
        result = {"rows": args.rows, "cores": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
                  "generate_seconds": round(time.perf_counter() - t0, 2)}
        result["tsv_1_process"] = check_file(tsv, 1)
        result["xlsx_1_process"] = check_file(xlsx, 1)
        if args.jobs > 1:
            result[f"tsv_{args.jobs}_processes"] = check_file(tsv, args.jobs)
            result[f"xlsx_{args.jobs}_processes"] = check_file(xlsx, args.jobs)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k:18} {v}")
        else:
            print(f"{key:20} {value}")


if __name__ == "__main__":
    main()
