"""Chinese where a person reads it: check, rule, rules, templates, suggest, draft and the assistant,
chosen by --explain-lang, the configuration key explain-lang, or the locale."""
import json
import os
import re
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from msglint import explain
from msglint.cli import main
from msglint.rules import RULES_BY_CODE
from msglint.ruledocs import all_rules, rules_markdown
from test_explain import assert_chinese, english_leftovers

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "rules" / "fixtures"
DIRTY = "Hi Laura,\nplease email help@vellbyhome.com or call (415) 555-0171.\n"
CLEAN = "Hi Laura,\nyour replacement ships today with UPS 1Z8V92E40312457786.\n"


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input)


@pytest.fixture
def dirty(tmp_path):
    path = tmp_path / "dirty.txt"
    path.write_text(DIRTY, "utf-8")
    return path


# --------------------------------------------------------------------------- msglint check

def test_check_text_output_in_chinese(dirty, tmp_path):
    result = run("check", "--explain-lang", "zh", str(dirty))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{dirty}:2:14: CE001 [error] 删除电子邮箱地址“help@vellbyhome.com”：只能通过买家与卖家消息服务联系买家。"
    assert lines[1] == "    please email help@vellbyhome.com or call (415) 555-0171."
    assert lines[2] == "                 " + "^" * len("help@vellbyhome.com")
    # the fix: its label and explanation in Chinese, the rewrite in the message's own language (English)
    assert lines[3] == ("    修改（会改变内容，需人工确认）：把这句话换成请买家直接回复本消息的句子："
                        "'please email help@vellbyhome.com or call (415) 555-0171.' → "
                        "'If you have any questions, please reply to this message.'")
    assert lines[4] == f"{dirty}:2:42: CP001 [error] 删除电话号码“(415) 555-0171”：只能通过买家与卖家消息服务联系买家。"
    assert lines[7] == "    修改（会改变内容，需人工确认）：删除这个分句（连同动词）：' or call (415) 555-0171' → （删除）"
    assert lines[-1] == "共发现 2 个问题（错误 2 个，警告 0 个，提示 0 个）。"
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, "utf-8")
    ok = run("check", "--explain-lang", "zh", str(clean))
    assert (ok.exit_code, ok.stdout) == (0, "未发现问题。\n")


def test_json_keeps_its_shape_and_spans_with_chinese_messages(dirty):
    english = json.loads(run("check", "--format", "json", str(dirty)).stdout)
    chinese = json.loads(run("check", "--format", "json", "--explain-lang", "zh", str(dirty)).stdout)
    assert chinese["schema_version"] == english["schema_version"] == "1.3"
    en_findings, zh_findings = english["results"][0]["findings"], chinese["results"][0]["findings"]
    assert [set(f) for f in zh_findings] == [set(f) for f in en_findings]
    assert [{**f, "message": ""} for f in zh_findings] == [{**f, "message": ""} for f in en_findings]
    assert [f["message"][:2] for f in zh_findings] == ["删除", "删除"]
    jsonl = run("check", "--format", "jsonl", "--explain-lang", "zh", str(dirty))
    assert json.loads(jsonl.stdout)["findings"] == zh_findings


def _first_flagged_cases():
    cases = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        cases.append(pytest.param(data["rule"], data["flag"][0], id=data["rule"]))
    return cases


@pytest.mark.parametrize("code, case", _first_flagged_cases())
def test_check_explains_every_rule_in_chinese(tmp_path, code, case):
    """Each rule's own fixture text, checked with --explain-lang zh: the finding is there, with the same
    span as in English, and its message is Chinese with no leftover placeholder or English sentence."""
    rule = RULES_BY_CODE[code]
    path = tmp_path / "text.txt"
    path.write_text(case["text"], "utf-8")
    kind = case.get("kind", "message" if "message" in rule.kinds else sorted(rule.kinds)[0])
    args = ["check", "--no-config", "--format", "json", "--select", code, "--kind", kind,
            "--marketplace", case.get("marketplace", "US")]
    if case.get("field"):
        args += ["--field", case["field"]]
    for brand in case.get("brands", ()):
        args += ["--brand", brand]
    english = json.loads(run(*args, "--explain-lang", "en", str(path)).stdout)["results"][0]["findings"]
    chinese = json.loads(run(*args, "--explain-lang", "zh", str(path)).stdout)["results"][0]["findings"]
    assert english and [(f["start"], f["end"]) for f in chinese] == [(f["start"], f["end"]) for f in english]
    for f in chinese:
        assert not re.search(r"\{\w+\}", f["message"].replace(f["text"], "")), f["message"]  # no raw placeholder
        assert_chinese(f["message"].replace(f["text"], ""), f"{code}: {f['message']}")
        if "{text}" in rule.message:
            assert f"“{f['text']}”" in f["message"]


def test_template_file_findings_in_chinese(tmp_path):
    template = tmp_path / "reply.txt.j2"
    template.write_text("{# msglint: ignore[CE001] no address here #}\nThank you, {{ name }}.\n"
                        "{# msglint: ignore[XX999] #}\nWe ship today.\n", "utf-8")
    result = run("check", "--explain-lang", "zh", "--format", "json", str(template))
    messages = {f["code"]: f["message"] for f in json.loads(result.stdout)["results"][0]["findings"]}
    assert messages["ML001"] == "删除没有用处的抑制注释“{# msglint: ignore[CE001] no address here #}”：它没有抑制任何 CE001 问题。"
    assert messages["ML002"] == "抑制注释“{# msglint: ignore[XX999] #}”中的规则代码“XX999”不存在。"


def test_statistics_in_chinese_add_the_rule_summary(dirty):
    result = run("check", "--statistics", "--explain-lang", "zh", str(dirty))
    assert result.stdout.splitlines() == ["    1\tCE001\t[error]\temail-address\t明文写出的电子邮箱地址。",
                                          "    1\tCP001\t[error]\tphone-number\t电话号码，包括各国的国内格式和国际格式。"]
    assert run("check", "--statistics", str(dirty)).stdout.splitlines()[0] == "    1\tCE001\t[error]\temail-address"


# --------------------------------------------------------------------------- the locale and the configuration

def test_locale_chooses_chinese(dirty):
    zh = run("check", str(dirty), env={"LANG": "zh_CN.UTF-8"})
    assert zh.stdout.splitlines()[-1] == "共发现 2 个问题（错误 2 个，警告 0 个，提示 0 个）。"
    assert run("check", str(dirty), env={"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}).stdout.endswith(
        "Found 2 findings (2 error, 0 warning, 0 info).\n")
    assert run("check", "--explain-lang", "en", str(dirty), env={"LANG": "zh_CN.UTF-8"}).stdout.endswith(
        "Found 2 findings (2 error, 0 warning, 0 info).\n")
    assert run("check", str(dirty), env={"LANG": "en_US.UTF-8"}).stdout.endswith("(2 error, 0 warning, 0 info).\n")


def test_locale_chooses_chinese_in_a_real_process(dirty):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "zh_CN.UTF-8"
    proc = subprocess.run([sys.executable, "-m", "msglint", "check", str(dirty)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "CE001 [error] 删除电子邮箱地址“help@vellbyhome.com”" in proc.stdout
    assert proc.stdout.endswith("共发现 2 个问题（错误 2 个，警告 0 个，提示 0 个）。\n")


def test_configuration_key_explain_lang(tmp_path, monkeypatch):
    (tmp_path / "msgs").mkdir()
    (tmp_path / "msgs" / "a.txt").write_text(DIRTY, "utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.msglint]\nexplain-lang = "zh"\n', "utf-8")
    assert run("check", "msgs/a.txt").stdout.endswith("共发现 2 个问题（错误 2 个，警告 0 个，提示 0 个）。\n")
    assert run("check", "--explain-lang", "en", "msgs/a.txt").stdout.endswith("(2 error, 0 warning, 0 info).\n")
    assert run("rule", "CE001").stdout.startswith("## CE001 email-address\n\n类别：`contact.email`")
    assert json.loads(run("config", "--show").stdout)["explain-lang"] == "zh"
    (tmp_path / "pyproject.toml").write_text('[tool.msglint]\nexplain-lang = "jp"\n', "utf-8")
    bad = run("check", "msgs/a.txt")
    assert bad.exit_code == 2
    assert bad.stderr == f"msglint: error: {tmp_path / 'pyproject.toml'}: 'explain-lang': 'jp' is not en or zh\n"


def test_nothing_to_check_in_chinese():
    """No path and a terminal on stdin: a one-line error in the chosen language, exit 2."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "msglint", "check", "--explain-lang", "zh"], stdin=slave,
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 2
    assert proc.stderr == "msglint: error: 没有要检查的内容：请给出一个或多个文件路径，或用 - 表示从标准输入读取\n"


# --------------------------------------------------------------------------- rule documentation

def test_rule_and_rules_in_chinese():
    one = run("rule", "cp002", "--explain-lang", "zh")
    assert one.exit_code == 0
    assert one.stdout.startswith("## CP002 disguised-phone\n\n类别：`contact.phone` · 适用文本：")
    for heading in ("检查内容：", "原因：", "示例：", "已知误报：", "修改方法："):
        assert f"\n{heading}" in one.stdout
    assert '"ring me on oh seven seven double oh, nine double oh, four five six"' in one.stdout
    listing = run("rules", "--explain-lang", "zh").stdout.splitlines()
    assert listing[0].endswith("明文写出的电子邮箱地址。")
    rows = json.loads(run("rules", "--format", "json", "--explain-lang", "zh").stdout)
    assert rows[0]["summary"] == "明文写出的电子邮箱地址。" and len(rows) == len(all_rules())
    english_rows = json.loads(run("rules", "--format", "json", "--explain-lang", "en").stdout)
    assert [set(r) for r in rows] == [set(r) for r in english_rows]


@pytest.mark.parametrize("lang, path", [("en", "docs/rules.md"), ("zh", "docs/rules.zh.md")])
def test_rule_documents_are_generated(lang, path):
    checked_in = (REPO / path).read_text("utf-8")
    assert checked_in == rules_markdown(lang), \
        f"{path} is stale: msglint rules --format markdown --explain-lang {lang} > {path}"
    assert run("rules", "--format", "markdown", "--explain-lang", lang).stdout == checked_in


# --------------------------------------------------------------------------- templates, suggest, draft

def test_templates_list_and_show_in_chinese():
    listing = run("templates", "list", "--explain-lang", "zh")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].startswith("return-prepaid-label") and lines[0].endswith("已批准退货（提供预付退货标签）")
    assert lines[-1].startswith("共 ") and lines[-1].endswith(" 个场景")
    rows = json.loads(run("templates", "list", "--format", "json", "--explain-lang", "zh").stdout)
    assert rows[0]["title"] == "已批准退货（提供预付退货标签）"
    show = run("templates", "show", "partial-refund", "--lang", "de", "--explain-lang", "zh")
    assert show.exit_code == 0
    assert show.stdout.startswith("partial-refund：部分退款（附原因说明）  /  Partial refund with reason\n适用场景：")
    assert "  reason                 文本，必填，例如 Der Artikel wurde benutzt" in show.stdout
    assert "接在英文句子 'The amount reflects that ...' 后面" in show.stdout
    assert "--- de/partial-refund.txt.j2 ---" in show.stdout


def test_suggest_in_chinese(tmp_path):
    incoming = tmp_path / "buyer.txt"
    incoming.write_text("My lamp arrived broken, the glass is cracked.", "utf-8")
    english = run("suggest", "--format", "json", str(incoming))
    chinese = run("suggest", "--format", "json", "--explain-lang", "zh", str(incoming))
    en_rows, zh_rows = json.loads(english.stdout), json.loads(chinese.stdout)
    assert [r["id"] for r in zh_rows] == [r["id"] for r in en_rows]
    assert [r["score"] for r in zh_rows] == [r["score"] for r in en_rows]
    best = zh_rows[0]
    assert best["id"] == "damaged-photo-request"
    assert best["title"] == "商品破损：请买家提供照片"
    assert best["reason"].startswith("买家反映收到的商品有损坏（'")
    assert "'arrived broken'" in best["reason"] or "'broken'" in best["reason"]
    text = run("suggest", "--explain-lang", "zh", str(incoming)).stdout
    assert text.splitlines()[0].startswith("1. damaged-photo-request — 商品破损：请买家提供照片：买家反映收到的商品有损坏")


def test_draft_findings_and_messages_in_chinese(tmp_path):
    args = ["draft", "partial-refund", "--lang", "en", "--sample", "--explain-lang", "zh"]
    bad = run(*args, "--set", "reason=see www.vellby-shop.com for details")
    assert bad.exit_code == 1
    assert "CU001 [error] 删除链接“www.vellby-shop.com”：不允许放亚马逊以外网站的链接。" in bad.stderr
    out = tmp_path / "reply.txt"
    good = run(*args, "--output", str(out))
    assert good.exit_code == 0 and good.stderr == f"msglint: 已写入 {out}\n"


def test_draft_variable_errors_in_chinese():
    args = ["draft", "partial-refund", "--lang", "en", "--explain-lang", "zh", "--set", "seller_name=Vellby Home",
            "--set", "refund_amount=27.00", "--set", "reason=the box was opened"]
    wrong = run(*args, "--set", "order_id=12345")
    assert wrong.exit_code == 2
    assert wrong.stderr == ("msglint: error: order_id：“12345”不是亚马逊订单号（3-7-7 位数字，例如 "
                            "112-8830174-2265019）\n")
    missing = run(*args)
    assert missing.exit_code == 2 and missing.stderr == "msglint: error: order_id：这是必填项\n"
    english = run("draft", "partial-refund", "--lang", "en", "--set", "order_id=12345")
    assert english.stderr.startswith("msglint: error: variable order_id: '12345' is not an Amazon order ID")


def test_a_draft_over_the_limit_is_explained_in_chinese(linter):
    from msglint.drafting import catalogue, lint_draft
    scenario = catalogue().get("customization-confirm")
    d = lint_draft(scenario, "en", "US", {}, "Hello, " + "please confirm the engraving. " * 40, linter)
    (problem,) = d.problems
    zh = explain.draft_problem(problem, "zh")
    assert zh == f"草稿有 {len(d.text.rstrip())} 个字符，confirmCustomizationDetails 类型的消息最多只能有 800 个字符"
    assert explain.draft_problem(problem, "en") == problem


def test_assistant_in_chinese_with_click_runner():
    answers = "\n".join(["破损", "1", "en", "Melissa", "12345", "113-5529107-3341628", "Lumora Home",
                         "glass carafe", "a"]) + "\n"
    result = run("draft", "--marketplace", "US", "--explain-lang", "zh", input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Hello Melissa,")  # the reply itself stays in its language
    err = result.stderr
    assert "与 '破损' 匹配的场景：" in err and "商品破损：请买家提供照片  (damaged-photo-request)" in err
    assert "回复语言" in err
    assert "买家姓名，按订单上的写法填写" in err
    assert "order_id（订单号，必填，例如 112-8830174-2265019）" in err
    assert "order_id：“12345”不是亚马逊订单号（3-7-7 位数字，例如 112-8830174-2265019）" in err
    assert "损坏的商品，用回复的语言填写" in err
    assert "--- 草稿：damaged-photo-request [en，US，reply，" in err and "--- 草稿结束 ---" in err
    assert "未发现问题。" in err
    assert "[a] 采用  [e] 在编辑器中修改  [c] 修改某个变量  [q] 退出" in err
    prompts = "\n".join(line for line in err.splitlines() if not line.startswith(("Hello", "  ")))
    assert "Number, or words" not in prompts and "required" not in prompts


def test_assistant_refuses_errors_and_quits_in_chinese():
    answers = "\n".join(["1", "en", "", "113-5529107-3341628", "Vellby Home", "Linen cushion cover", "UPS",
                         "2026-12-05", "c", "product", "cover, see www.vellby-shop.com", "a", "q"]) + "\n"
    result = run("draft", "--explain-lang", "zh", input=answers)
    assert result.exit_code == 0
    assert "CU001 [error] 删除链接“www.vellby-shop.com”" in result.stderr
    assert "草稿里还有错误，不能采用：请先在编辑器中修改，或修改某个变量。" in result.stderr
    assert "要修改哪个变量" in result.stderr
    assert result.stderr.rstrip().endswith("已退出，没有写入任何内容。")
    assert result.stdout == ""


def test_assistant_end_to_end_in_chinese_under_a_pseudo_terminal(tmp_path):
    """A real terminal with a Chinese locale and no --explain-lang: prompts, help, validation messages
    and findings are Chinese, the reply is German, and the accepted draft is written."""
    out = tmp_path / "reply.txt"
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(TERM="dumb", COLUMNS="100", LANG="zh_CN.UTF-8")
    proc = subprocess.Popen([sys.executable, "-m", "msglint", "draft", "--output", str(out)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    transcript = b""
    seen = 0

    def read_until(marker: str, timeout: float = 120) -> None:
        nonlocal transcript, seen
        wanted = marker.encode("utf-8")
        end = time.time() + timeout
        while wanted not in transcript[seen:]:
            assert time.time() < end, f"timed out waiting for {marker!r}; got {transcript[-600:].decode('utf-8', 'replace')!r}"
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    transcript += os.read(master, 4096)
                except OSError:
                    break
        seen = transcript.index(wanted, seen) + len(wanted)

    steps = [
        ("输入编号，或输入关键词搜索", "发错\n"),               # search the Chinese titles
        ("与 '发错' 匹配的场景：", None),
        ("输入编号，或输入关键词搜索", "发错货\n"),
        ("发错货  (wrong-item)", None),
        ("输入编号，或输入关键词搜索", "1\n"),
        ("回复语言", "de\n"),
        ("buyer_name（文本，选填，直接回车留空", "Jonas\n"),
        ("order_id（订单号，必填", "302-447\n"),                 # a wrong order ID, explained in Chinese
        ("不是亚马逊订单号", None),
        ("order_id（订单号，必填", "302-4471829-5530621\n"),
        ("seller_name（文本，必填", "Nordlicht Haushalt\n"),
        ("买家实际订购的商品，用回复的语言填写", None),
        ("product（商品名称，必填", "Thermoskanne 1 l, silber\n"),
        ("received_item（商品名称，必填", "Thermoskanne 1 l, schwarz\n"),
        ("tracking_number（追踪号，选填", "\n"),
        ("send_by（日期 YYYY-MM-DD，选填", "2026-12-20\n"),
        ("--- 草稿：wrong-item [de，DE，", None),
        ("[a] 采用", "a\n"),
    ]
    try:
        for marker, answer in steps:
            read_until(marker)
            if answer is not None:
                os.write(master, answer.encode("utf-8"))
        end = time.time() + 60
        while proc.poll() is None and time.time() < end:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    transcript += os.read(master, 4096)
                except OSError:
                    break
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(transcript.decode("utf-8", "replace")[-1500:]) from None
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    shown = transcript.decode("utf-8", "replace")
    assert proc.returncode == 0, shown[-2000:]
    assert "msglint: 已写入" in shown
    text = out.read_text("utf-8")
    assert text.startswith("Guten Tag Jonas,") and "302-4471829-5530621" in text
    assert not english_leftovers(shown.split("--- 草稿结束 ---")[-1].replace("[a]", "").replace("[e]", ""))
