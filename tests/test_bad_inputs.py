"""Every input problem is exit 2 and exactly one line on stderr naming the file (and line).

Files that are not regular files (FIFOs, devices, links to them) are refused without being
opened, so none of these tests can hang or read forever; the FIFO test also has an alarm so a
regression fails instead of blocking the suite.
"""
from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from msglint.cli import main

JSONL_KEYS = "brand, field, id, kind, marketplace, text; ignored: labels, note"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def one_line_error(result, message: str) -> None:
    """Exit 2, nothing on stdout, exactly ``msglint: error: <message>`` on stderr."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr == f"msglint: error: {message}\n"


@pytest.fixture
def alarm():
    """Fail (instead of hanging the suite) if the command blocks, e.g. on opening a FIFO."""
    def expired(signum, frame):
        raise TimeoutError("the command blocked")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --- paths ---------------------------------------------------------------------------------------

def test_no_paths_is_a_usage_error_even_with_piped_input():
    message = "nothing to check: give one or more paths, or - for standard input"
    one_line_error(run("check"), message)
    one_line_error(run("check", input="mail help@shop.com\n"), message)
    one_line_error(run("check", "--input", "jsonl", input='{"id": 1, "text": "x"}\n'), message)


def test_a_fifo_is_refused_without_being_opened(tmp_path, alarm):
    fifo = tmp_path / "message.txt"
    os.mkfifo(fifo)
    one_line_error(run("check", str(fifo)), f"{fifo}: is a FIFO, not a regular file (refused)")
    # also when found in a directory, and as JSONL input, and as the buyer's message for suggest
    one_line_error(run("check", str(tmp_path)), f"{fifo}: is a FIFO, not a regular file (refused)")
    one_line_error(run("check", "--input", "jsonl", str(fifo)), f"{fifo}: is a FIFO, not a regular file (refused)")
    one_line_error(run("suggest", str(fifo)), f"{fifo}: is a FIFO, not a regular file (refused)")


def test_a_symlink_to_a_fifo_is_refused(tmp_path, alarm):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "reply.txt"
    link.symlink_to(fifo)
    one_line_error(run("check", str(link)), f"{link}: is a FIFO, not a regular file (refused)")


def test_a_symlink_to_a_device_is_refused(tmp_path):
    """/dev/null would read as an empty message ("No findings.", exit 0): a silent pass."""
    link = tmp_path / "message.txt"
    link.symlink_to("/dev/null")
    one_line_error(run("check", str(link)), f"{link}: is a character device, not a regular file (refused)")
    one_line_error(run("check", "/dev/null"), "/dev/null: is a character device, not a regular file (refused)")


def test_a_symlink_to_dev_zero_is_refused_in_a_real_process(tmp_path):
    """A separate process with a memory cap and a time limit: a regression reading /dev/zero
    fails this test instead of exhausting the machine."""
    link = tmp_path / "listing.txt"
    link.symlink_to("/dev/zero")

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    proc = subprocess.run([sys.executable, "-m", "msglint", "check", str(link)], capture_output=True, text=True,
                          timeout=120, preexec_fn=cap)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"msglint: error: {link}: is a character device, not a regular file (refused)\n"


def test_an_unreadable_directory_is_an_error_not_a_pass(tmp_path, monkeypatch):
    top = tmp_path / "replies"
    locked = top / "locked"
    locked.mkdir(parents=True)
    (top / "ok.txt").write_text("Thank you for your order.\n", "utf-8")
    (locked / "secret.txt").write_text("mail help@shop.com\n", "utf-8")
    if os.geteuid() == 0:
        # root reads any directory: let the operating system's refusal come from os.scandir
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path) == str(locked):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real_scandir(path)
        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        one_line_error(run("check", str(top)), f"{locked}: cannot read directory (Permission denied)")
    finally:
        locked.chmod(0o755)


def test_a_missing_file_among_others_names_it(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("Thanks!\n", "utf-8")
    one_line_error(run("check", str(ok), str(tmp_path / "gone.txt")), f"{tmp_path / 'gone.txt'}: no such file")


# --- configuration files ---------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "msgs").mkdir()
    (tmp_path / "msgs" / "a.txt").write_text("Please email help@shop.com\n", "utf-8")
    return tmp_path


@pytest.mark.parametrize("name, content, where", [
    ("pyproject.toml", '[project]\nname = "x"\n[tool.msglint\n',
     ":3:14: not valid TOML (Expected ']' at the end of a table declaration)"),
    ("pyproject.toml", '[tool.msglint]\nselect = ["CE"\nignore = []\n', ":3:1: not valid TOML (Unclosed array)"),
    ("msglint.toml", 'marketplace = "DE"\nselect = \n', ":2:10: not valid TOML (Invalid value)"),
    (".msglint.toml", 'select = [\n', ":2:1: not valid TOML (Invalid value)"),
])
def test_a_toml_syntax_error_names_file_line_and_column(project, name, content, where):
    (project / name).write_text(content, "utf-8")
    expected = f"{project / name}{where}"
    one_line_error(run("check", "msgs/a.txt"), expected)
    one_line_error(run("config", "--show"), expected)
    one_line_error(run("config", "--show", "msgs"), expected)


def test_a_broken_pyproject_without_msglint_is_still_an_error(project):
    """What a file that does not parse says cannot be known; skipping it would check with other settings."""
    (project / "pyproject.toml").write_text('[project\nname = "x"\n', "utf-8")
    one_line_error(run("check", "msgs/a.txt"),
                   f"{project / 'pyproject.toml'}:1:9: not valid TOML (Expected ']' at the end of a table declaration)")


def test_a_broken_file_given_with_config(project):
    (project / "other.toml").write_text("fail-on = error\n", "utf-8")
    one_line_error(run("check", "--config", "other.toml", "msgs/a.txt"),
                   f"{project / 'other.toml'}:1:11: not valid TOML (Invalid value)")


def test_a_fifo_named_like_a_configuration_file_is_refused(project, alarm):
    os.mkfifo(project / "msglint.toml")
    one_line_error(run("check", "msgs/a.txt"),
                   f"{project / 'msglint.toml'}: not a regular file (a configuration file must be one)")


# --- JSONL -------------------------------------------------------------------------------------------

def _jsonl(tmp_path, content: str):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(content, encoding="utf-8")
    return batch


@pytest.mark.parametrize("line, message", [
    ('{"id": 1, "text": "x", "marketplce": "DE"}', f"unknown key 'marketplce' (allowed: {JSONL_KEYS})"),
    ('{"id": 1, "text": "x", "Text": "y"}', f"unknown key 'Text' (allowed: {JSONL_KEYS})"),
    ('{"id": 1, "text": "help@shop.com", "text": "hello"}', "duplicate key 'text'"),
    ('{"id": 1, "text": "a\\ud800b"}', "text: not valid Unicode (lone surrogate)"),
    ('{"id": "\\udfff", "text": "x"}', "id: not valid Unicode (lone surrogate)"),
    ('{"id": 1, "text": "x", "kind": ' + "[" * 50_000 + "]" * 50_000 + "}",
     "malformed JSON (nested deeper than 64 levels)"),
    ('{"id": 1, "text": "x", "kind": ' + "[" * 70 + "]" * 70 + "}", "malformed JSON (nested deeper than 64 levels)"),
    ('{"id": NaN, "text": "x"}', "NaN is not valid JSON"),
    ('{"id": -Infinity, "text": "x"}', "-Infinity is not valid JSON"),
    ('{"id": 1.5, "text": "x"}', "field 'id' must be a string or an integer"),
    ('{"id": {"a": 1}, "text": "x"}', "field 'id' must be a string or an integer"),
    ('{"id": [1], "text": "x"}', "field 'id' must be a string or an integer"),
    ('{"id": null, "text": "x"}', "field 'id' must be a string or an integer"),
    ('{"id": true, "text": "x"}', "field 'id' must be a string or an integer"),
    ('{"id": ' + "9" * 5000 + ', "text": "x"}', "malformed JSON (a number too large)"),
    ('{"id": 1, "text": "x"', "malformed JSON (Expecting ',' delimiter at column 22)"),
])
def test_bad_jsonl_line_is_exit_2_naming_file_and_line(tmp_path, line, message):
    # line 1 holds raw U+2028 and U+0085 inside a string: valid JSON, and not a line break
    first = json.dumps({"id": "ok", "text": "line\u2028separator and next\u0085line"}, ensure_ascii=False)
    batch = _jsonl(tmp_path, first + "\n\n" + line + "\n")
    result = run("check", "--input", "jsonl", "--format", "jsonl", str(batch))
    one_line_error(result, f"{batch}:3: {message}")


def test_json_lines_are_split_on_newline_only(tmp_path):
    records = [{"id": "a", "text": "first\u2028second\u0085third\u2029fourth\x0bfifth\x0csixth\x1cend"},
               {"id": 2, "text": "Email me: x@shop.com"}]
    content = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n"  # CRLF is fine
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(content.encode("utf-8"))
    result = run("check", "--input", "jsonl", "--format", "jsonl", str(batch))
    assert result.exit_code == 1, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2]
    assert rows[0]["findings"] == []
    assert [(f["code"], f["start"], f["end"]) for f in rows[1]["findings"]] == [("CE001", 10, 20)]


def test_corpus_annotations_are_accepted_and_ignored(tmp_path):
    """The labelled corpus format (labels, note) is piped through this command to score it."""
    record = {"id": "c1", "kind": "message", "field": None, "marketplace": "US", "text": "Mail x@shop.com",
              "labels": ["contact.email"], "note": "plain address"}
    result = run("check", "--input", "jsonl", "--format", "jsonl", str(_jsonl(tmp_path, json.dumps(record) + "\n")))
    assert result.exit_code == 1, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["id"], [f["code"] for f in row["findings"]]) == ("c1", ["CE001"])


def test_jsonl_from_stdin_names_stdin_and_line():
    result = run("check", "--input", "jsonl", "-", input='{"id": 1, "text": "ok"}\n{"id": 2.0, "text": "x"}\n')
    one_line_error(result, "<stdin>:2: field 'id' must be a string or an integer")
