"""Configuration files, rule selection, inline suppressions in template files."""
import json
import textwrap

import pytest
from click.testing import CliRunner

from msglint.cli import main

DIRTY = "Please email help@shop.com or see www.myshop.com today.\n"


def run(*args, cwd=None):
    return CliRunner().invoke(main, list(args))


def codes(result):
    return [f["code"] for r in json.loads(result.stdout)["results"] for f in r["findings"]]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "msgs").mkdir()
    (tmp_path / "msgs" / "a.txt").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def test_pyproject_config_is_found_walking_up(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.msglint]\nignore = ["CU"]\n', "utf-8")
    result = run("check", "--format", "json", "msgs/a.txt")
    assert codes(result) == ["CE001"]


def test_dot_msglint_toml_beats_pyproject_in_the_same_directory(project):
    (project / "pyproject.toml").write_text('[tool.msglint]\nignore = ["CU"]\n', "utf-8")
    (project / ".msglint.toml").write_text('select = ["CU001"]\n', "utf-8")
    assert codes(run("check", "--format", "json", "msgs/a.txt")) == ["CU001"]


def test_cli_select_ignore_by_code_prefix_and_category(project):
    assert codes(run("check", "--format", "json", "--select", "contact.email", "msgs/a.txt")) == ["CE001"]
    assert codes(run("check", "--format", "json", "--ignore", "CE", "msgs/a.txt")) == ["CU001"]
    assert codes(run("check", "--format", "json", "--select", "CE001,CU001", "--ignore", "contact.url",
                     "msgs/a.txt")) == ["CE001"]
    assert codes(run("check", "--format", "json", "--select", "CE", "--extend-select", "CU001",
                     "msgs/a.txt")) == ["CE001", "CU001"]


def test_unknown_code_on_the_command_line_is_a_usage_error(project):
    result = run("check", "--select", "ZZ999", "msgs/a.txt")
    assert result.exit_code == 2
    assert "unknown code, prefix or category 'ZZ999'" in result.stderr


@pytest.mark.parametrize("content,message", [
    ('selekt = ["CE"]\n', "msglint.toml: unknown key 'selekt'"),
    ('ignore = ["XX123"]\n', "msglint.toml: 'ignore': unknown code, prefix or category 'XX123'"),
    ('[allow]\ndomain = ["x.com"]\n', "msglint.toml: unknown key 'allow.domain'"),
    ('severity = {CE001 = "fatal"}\n', "'severity.CE001': 'fatal' is not error, warning or info"),
    ('marketplace = "XX"\n', "'marketplace': unknown marketplace 'XX'"),
    ('select = [\n', "msglint.toml:2:1: not valid TOML (Invalid value)"),
])
def test_bad_configuration_names_file_and_key(project, content, message):
    (project / "msglint.toml").write_text(content, "utf-8")
    result = run("check", "msgs/a.txt")
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_per_file_ignores_kind_allow_and_severity(project):
    (project / "msglint.toml").write_text(textwrap.dedent('''
        per-file-ignores = {"msgs/a.txt" = ["CE001"]}
        severity = {CU001 = "warning"}
        [allow]
        domains = ["myshop.com"]
        phrases = ["re:^never-matches$"]
    '''), "utf-8")
    result = run("check", "--format", "json", "msgs/a.txt")
    assert codes(result) == [] and result.exit_code == 0
    (project / "msglint.toml").write_text('severity = {CU001 = "warning"}\n[allow]\nphrases = ["help@shop.com"]\n',
                                          "utf-8")
    result = run("check", "--format", "json", "msgs/a.txt")
    doc = json.loads(result.stdout)["results"][0]["findings"]
    assert [(f["code"], f["severity"]) for f in doc] == [("CU001", "warning")]
    assert result.exit_code == 0  # a warning does not fail by default
    assert run("check", "--fail-on", "warning", "msgs/a.txt").exit_code == 1
    (project / "msglint.toml").write_text('fail-on = "warning"\nseverity = {CU001 = "warning"}\nignore = ["CE"]\n',
                                          "utf-8")
    assert run("check", "msgs/a.txt").exit_code == 1
    assert run("check", "--exit-zero", "msgs/a.txt").exit_code == 0


def test_config_show_prints_the_effective_configuration(project):
    (project / "msglint.toml").write_text('marketplace = "de"\nignore = ["LG003"]\n', "utf-8")
    result = run("config", "--show")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["marketplace"] == "DE" and shown["ignore"] == ["LG003"] and shown["fail-on"] == "error"


def test_stdin_filename_is_used_for_output_and_configuration(project):
    (project / "msglint.toml").write_text('per-file-ignores = {"msgs/*.txt" = ["CU"]}\n', "utf-8")
    result = CliRunner().invoke(main, ["check", "--stdin-filename", "msgs/new.txt", "-"], input=DIRTY)
    assert result.stdout.startswith("msgs/new.txt:1:14: CE001")
    assert "CU001" not in result.stdout


def test_statistics(project):
    (project / "msgs" / "b.txt").write_text("mail x@shop.com and y@shop.com\n", "utf-8")
    result = run("check", "--statistics", "msgs")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["    3\tCE001\t[error]\temail-address",
                                          "    1\tCU001\t[error]\texternal-link"]


# --- template files and suppressions ------------------------------------------------------------

TEMPLATE = """{% if buyer_name %}Hello {{ buyer_name }},{% else %}Hello,{% endif %}
{# msglint: ignore[CU001] carrier booking page needed for freight #}
Book your slot at https://freight-carrier.example.com/book for order {{ order_id }}.
Questions? Mail help@shop.com
{# msglint: disable[CP001] #}
Carrier hotline: (415) 555-0171
{# msglint: enable[CP001] #}
{# msglint: ignore[CE002] nothing to suppress here #}
Regards, {{ seller_name }}
{# msglint: ignore[ZZ123] typo #}
"""


def test_template_masking_positions_and_suppressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "reply.txt.j2"
    path.write_text(TEMPLATE, "utf-8")
    result = run("check", "--format", "json", str(path))
    findings = json.loads(result.stdout)["results"][0]["findings"]
    got = [(f["code"], f["line"], f["col"], f["text"]) for f in findings]
    assert got == [
        ("CE001", 4, 17, "help@shop.com"),
        ("ML001", 8, 1, "{# msglint: ignore[CE002] nothing to suppress here #}"),
        ("ML002", 10, 1, "{# msglint: ignore[ZZ123] typo #}"),
    ]
    # the suppressed link (line 3) and phone number (line 6) are not reported; Jinja tags are not text
    assert result.exit_code == 1


def test_file_level_disable(tmp_path):
    path = tmp_path / "reply.j2"
    path.write_text("{# msglint: disable-file[CE001] #}\nMail help@shop.com\n", "utf-8")
    result = run("check", "--format", "json", str(path))
    assert codes(result) == [] and result.exit_code == 0


def test_suppressions_never_apply_to_live_messages(linter):
    text = "{# msglint: ignore[CE001] #}\nMail help@shop.com\n"
    assert [f.code for f in linter.check(text).findings] == ["CE001"]
