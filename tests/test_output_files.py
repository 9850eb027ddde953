"""--output writes only regular files, atomically, with the right mode, never replacing unasked."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from msglint import safewrite
from msglint.cli import main

DRAFT = ["draft", "invoice-sent", "--lang", "it", "--sample", "--output"]


def draft(out, *extra):
    return CliRunner().invoke(main, DRAFT + [str(out), *extra])


def one_line_error(result, message: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr == f"msglint: error: {message}\n"


def leftovers(directory) -> list:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".msglint-"))


@pytest.fixture
def umask():
    def set_to(mask: int) -> None:
        os.umask(mask)
    old = os.umask(0o022)
    os.umask(old)
    yield set_to
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o644), (0o077, 0o600)])
def test_a_new_file_gets_0644_minus_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    out = tmp_path / "reply.txt"
    result = draft(out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"msglint: wrote {out}\n"
    assert out.read_text("utf-8").startswith("Gentile")
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o600, 0o664, 0o640])
def test_force_keeps_the_existing_files_mode(tmp_path, mode):
    out = tmp_path / "reply.txt"
    out.write_text("old\n", "utf-8")
    out.chmod(mode)
    assert draft(out, "--force").exit_code == 0
    assert out.read_text("utf-8").startswith("Gentile")
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "reply.txt"
    out.write_text("my own notes", "utf-8")
    one_line_error(draft(out), f"{out} exists; use --force to overwrite it")
    assert out.read_text("utf-8") == "my own notes"


def test_a_symlink_is_refused_even_with_force(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me", "utf-8")
    link = tmp_path / "reply.txt"
    link.symlink_to(target)
    for extra in ((), ("--force",)):
        one_line_error(draft(link, *extra), f"{link}: is a symbolic link; --output writes only regular files")
    assert link.is_symlink() and target.read_text("utf-8") == "keep me"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    one_line_error(draft(dangling, "--force"), f"{dangling}: is a symbolic link; --output writes only regular files")
    assert not (tmp_path / "nowhere.txt").exists() and dangling.is_symlink()
    assert leftovers(tmp_path) == []


def test_a_fifo_is_refused_even_with_force(tmp_path):
    fifo = tmp_path / "reply.txt"
    os.mkfifo(fifo)
    one_line_error(draft(fifo, "--force"), f"{fifo}: is a FIFO; --output writes only regular files")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_a_device_is_refused_even_with_force():
    """/dev/full must stay a device (it became a regular file before)."""
    one_line_error(draft("/dev/full", "--force"), "/dev/full: is a character device; --output writes only regular files")
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_a_directory_is_refused(tmp_path):
    one_line_error(draft(tmp_path, "--force"), f"{tmp_path}: is a directory; --output writes only regular files")


def test_a_missing_directory_is_one_line(tmp_path):
    out = tmp_path / "no" / "reply.txt"
    one_line_error(draft(out), f"{out}: cannot write (No such file or directory)")


def test_no_replace_is_atomic_when_the_file_appears_after_the_check(tmp_path, monkeypatch):
    """The race the early check cannot close: the name is taken between the check and the write.
    os.link fails on an existing name, so the other file survives and nothing is left behind."""
    out = tmp_path / "reply.txt"
    real_check = safewrite.check_target

    def check_then_someone_writes(path, force):
        result = real_check(path, force)
        out.write_text("written meanwhile", "utf-8")
        return result
    monkeypatch.setattr(safewrite, "check_target", check_then_someone_writes)
    with pytest.raises(safewrite.WriteError, match="exists; use --force to overwrite it"):
        safewrite.write_file(str(out), "draft text", force=False)
    assert out.read_text("utf-8") == "written meanwhile"
    assert leftovers(tmp_path) == []


def test_force_does_not_replace_a_fifo_that_appears_after_the_check(tmp_path, monkeypatch):
    out = tmp_path / "reply.txt"
    real_check = safewrite.check_target

    def check_then_fifo(path, force):
        result = real_check(path, force)
        os.mkfifo(out)
        return result
    monkeypatch.setattr(safewrite, "check_target", check_then_fifo)
    with pytest.raises(safewrite.WriteError, match="is a FIFO; --output writes only regular files"):
        safewrite.write_file(str(out), "draft text", force=True)
    assert stat.S_ISFIFO(os.lstat(out).st_mode)
    assert leftovers(tmp_path) == []


def test_bytes_and_text_are_written_whole(tmp_path):
    out = tmp_path / "report.xlsx"
    payload = bytes(range(256)) * 4000
    safewrite.write_file(str(out), payload)
    assert out.read_bytes() == payload
    safewrite.write_file(str(out), "é\n", force=True)
    assert out.read_bytes() == "é\n".encode("utf-8")
