"""The pre-commit hook: a template repository fails with a violating template and passes once fixed.

pre-commit builds the hook's environment from this repository (pip installs it from the package
index), so this test takes a minute or two the first time.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD = "{% if buyer_name %}Hello {{ buyer_name }},{% else %}Hello,{% endif %}\n\nYour replacement for order {{ order_id }} ships today.\n"
BAD = GOOD + "Questions? Write to help@vellbyhome.com.\n"


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


def _hook_repo(tmp_path) -> Path:
    """This project as a git repository (CI runs from a plain copy of the tree)."""
    dest = tmp_path / "msglint-hook"
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis",
                                    "build", "dist")
    shutil.copytree(REPO, dest, ignore=ignore)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "hook")
    return dest


def _try_repo(hook_repo, templates_repo, home):
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "msglint", "--all-files"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(cmd, cwd=templates_repo, capture_output=True, text=True, env=env, timeout=1500)


def test_precommit_try_repo_fails_then_passes(tmp_path):
    hook = _hook_repo(tmp_path)
    work = tmp_path / "templates-repo"
    (work / "templates").mkdir(parents=True)
    (work / "templates" / "good.txt.j2").write_text(GOOD, "utf-8")
    (work / "templates" / "bad.txt.j2").write_text(BAD, "utf-8")
    # documentation is not buyer-facing: never checked, even with an e-mail address in it
    (work / "README.md").write_text("# Templates\n\nQuestions: templates-team@vellbyhome.com\n", "utf-8")
    (work / "CHANGELOG.txt").write_text("v2: moved support to support@vellbyhome.com\n", "utf-8")
    (work / "docs").mkdir()
    (work / "docs" / "howto.txt").write_text("Ask ops@vellbyhome.com for access.\n", "utf-8")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", "templates")
    home = tmp_path / "pre-commit-home"

    failing = _try_repo(hook, work, home)
    print(failing.stdout[-3000:])
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "templates/bad.txt.j2:4:21: CE001 [error]" in failing.stdout
    assert "README" not in failing.stdout and "CHANGELOG" not in failing.stdout and "docs/" not in failing.stdout
    assert failing.stdout.count("CE001") == 1
    assert "good.txt.j2" not in failing.stdout.split("msglint.")[-1].replace("bad.txt.j2", "")

    (work / "templates" / "bad.txt.j2").write_text(GOOD, "utf-8")
    _git(work, "commit", "-q", "-am", "fix")
    passing = _try_repo(hook, work, home)
    print(passing.stdout[-3000:])
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
