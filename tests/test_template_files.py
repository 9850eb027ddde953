"""Suppressions only in template files; catalogue templates that do not render are ML003 errors, bounded."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint.cli import main

REPO = Path(__file__).resolve().parent.parent
DISABLE = "{# msglint: disable-file[CE001] #}\nMail help@shop.com\n"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def findings(result) -> list:
    return [(f["code"], f["line"], f["col"], f["text"])
            for r in json.loads(result.stdout)["results"] for f in r["findings"]]


# --- plain text is never a template ---------------------------------------------------------------

def test_jinja_looking_tags_in_a_plain_text_file_are_text(tmp_path):
    msg = tmp_path / "reply.txt"
    msg.write_text("Hello,\nwrite to {{ help@shop.com }} for help.\n", "utf-8")
    result = run("check", "--format", "json", str(msg))
    assert result.exit_code == 1
    assert findings(result) == [("CE001", 2, 13, "help@shop.com")]


def test_a_suppression_in_a_plain_text_file_is_ignored(tmp_path):
    msg = tmp_path / "reply.txt"
    msg.write_text(DISABLE, "utf-8")
    result = run("check", "--format", "json", str(msg))
    assert result.exit_code == 1
    assert findings(result) == [("CE001", 2, 6, "help@shop.com")]
    # the same text in a template file is suppressed
    tpl = tmp_path / "reply.txt.j2"
    tpl.write_text(DISABLE, "utf-8")
    assert (run("check", "--format", "json", str(tpl)).exit_code, findings(run("check", "--format", "json",
                                                                                 str(tpl)))) == (0, [])


def test_standard_input_is_a_template_only_when_its_name_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plain = run("check", "--format", "json", "-", input=DISABLE)
    assert (plain.exit_code, findings(plain)) == (1, [("CE001", 2, 6, "help@shop.com")])
    named_text = run("check", "--format", "json", "--stdin-filename", "replies/new.txt", "-", input=DISABLE)
    assert (named_text.exit_code, findings(named_text)) == (1, [("CE001", 2, 6, "help@shop.com")])
    named_template = run("check", "--format", "json", "--stdin-filename", "replies/new.txt.j2", "-", input=DISABLE)
    assert (named_template.exit_code, findings(named_template)) == (0, [])


def test_template_files_by_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "msglint.toml").write_text('template-files = ["replies/*.txt"]\n', "utf-8")
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "a.txt").write_text(DISABLE, "utf-8")
    (tmp_path / "notes.txt").write_text(DISABLE, "utf-8")
    result = run("check", "--format", "json", "replies/a.txt", "notes.txt")
    assert findings(result) == [("CE001", 2, 6, "help@shop.com")]
    assert [r["path"] for r in json.loads(result.stdout)["results"] if r["findings"]] == ["notes.txt"]
    stdin = run("check", "--format", "json", "--stdin-filename", "replies/b.txt", "-", input=DISABLE)
    assert (stdin.exit_code, findings(stdin)) == (0, [])
    assert json.loads(run("config", "--show").stdout)["template-files"] == ["replies/*.txt"]


def test_the_api_never_honours_suppressions_or_masks_tags(linter):
    assert [(f.code, f.text) for f in linter.check(DISABLE).findings] == [("CE001", "help@shop.com")]
    assert [(f.code, f.start, f.end) for f in linter.check("write to {{ help@shop.com }}").findings] == [
        ("CE001", 12, 25)]


# --- catalogue templates that do not render -----------------------------------------------------------

@pytest.fixture
def catalogue(tmp_path):
    """A copy of the real catalogue's file with one English template replaced by the test's."""
    root = tmp_path / "cat"
    (root / "en").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "catalogue.yaml", root / "catalogue.yaml")

    def write(source: str) -> Path:
        path = root / "en" / "partial-refund.txt.j2"
        path.write_text(source, "utf-8")
        return path
    return write


HOSTILE = [
    ('Hello,\n{{ "".__class__.__mro__ }}\n', 2,
     "SecurityError: access to attribute '__class__' of 'str' object is unsafe"),
    ('Hello,\n\n{{ cycler.__init__.__globals__ }}\n', 3,
     "SecurityError: access to attribute '__init__' of 'type' object is unsafe"),
    ('Hello,\n{{ "x" * 10**7 }}\n', 2, "a value longer than 100000 characters"),
    ('Hello,\n{{ 10 ** 100000 }}\n', 2, "an exponent larger than 256"),
    ('Hello {{ buyer_name }},\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n',
     2, "loops over more than 100000 items"),
    ('Hi\n{% set ns = namespace(s="xx") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}\n', 2,
     "a value longer than 100000 characters"),
    ('Hi\n{% set ns = namespace(s="xx") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}\n', 2,
     "a value longer than 100000 characters"),
    ('Hi\n{{ lipsum(10000000) }}\n', 2, "a size argument larger than 100000"),
    ('Hi\n{{ "x".ljust(10000000000) }}\n', 2, "a size argument larger than 100000"),
    ('Hi\n{{ "x"|center(10000000000) }}\n', 2, "a size argument larger than 100000"),
    ('Hi\n{{ ("x" * 99999)|replace("x", "yyyyyyyyyy") }}\n', 2, "a value longer than 100000 characters"),
    ('Hi\n{{ "{:>99999999}".format(1) }}\n', 2, "a format field wider than 99999 characters"),
    ('Hi\n{{ "%099999999d" % 1 }}\n', 2, "a format field wider than 99999 characters"),
    ('Hi\n{% for i in range(20) %}{{ "y" * 9999 }}{% endfor %}\n', None,
     "the output is longer than 100000 characters"),
    ('Hi\n{{ not_a_variable }}\n', 2, "UndefinedError: 'not_a_variable' is undefined"),
    ('Hi\n{% if %}\n', 2, "syntax error: Expected an expression, got 'end of statement block'"),
]


@pytest.mark.parametrize("source, line, reason", HOSTILE)
def test_a_template_that_does_not_render_is_an_ml003_error(catalogue, source, line, reason):
    path = catalogue(source)
    result = run("check", "--format", "json", "--select", "ML", str(path))
    assert result.exit_code == 1, result.stderr
    (finding,) = json.loads(result.stdout)["results"][0]["findings"]
    lines = source.split("\n")
    expected_text = lines[line - 1] if line else source
    assert finding["code"] == "ML003" and finding["name"] == "template-render-error"
    assert (finding["severity"], finding["category"]) == ("error", None)
    assert finding["message"] == f"The template does not render with its example values: {reason}."
    assert (finding["line"], finding["col"], finding["text"]) == (line or 1, 1, expected_text)
    assert source[finding["start"]:finding["end"]] == expected_text


def test_the_time_limit_ends_a_rendering_without_loops_over_range(catalogue):
    path = catalogue('Hi\n{% for a in "x" * 90000 %}{% for b in "y" * 90000 %}{% endfor %}{% endfor %}\n')
    result = run("check", "--format", "json", "--select", "ML", str(path))
    (finding,) = json.loads(result.stdout)["results"][0]["findings"]
    assert (finding["code"], finding["line"]) == ("ML003", 2)
    assert finding["message"] == "The template does not render with its example values: the rendering took longer than 2 s."


def test_limits_hold_outside_the_main_thread(catalogue, linter):
    """No alarm off the main thread, but the budgets still stop what would run for hours."""
    from msglint.templatefile import check_template
    path = catalogue('Hi\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n')
    box = {}
    worker = threading.Thread(target=lambda: box.update(report=check_template(
        linter, str(path), path.read_text("utf-8"), known_codes=frozenset({"ML003"}))))
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert [(f.code, f.line, f.message) for f in box["report"].findings if f.code.startswith("ML")] == [
        ("ML003", 2, "The template does not render with its example values: loops over more than 100000 items.")]


def test_a_sound_template_renders_and_its_rendering_is_linted(catalogue):
    path = catalogue("Hello,\nyour refund of {{ refund_amount | money }} is on its way. Mail help@shop.com\n")
    result = run("check", "--format", "json", str(path))
    assert [f[0] for f in findings(result)] == ["CE001"]  # found once (literal text), and no ML003


def test_ml003_can_be_deselected_and_suppressed(catalogue):
    path = catalogue('Hello,\n{{ "x" * 10**7 }}\n')
    assert findings(run("check", "--format", "json", "--ignore", "ML003", str(path))) == []
    path = catalogue('{# msglint: disable-file[ML003] legacy #}\nHello,\n{{ "x" * 10**7 }}\n')
    assert findings(run("check", "--format", "json", str(path))) == []
