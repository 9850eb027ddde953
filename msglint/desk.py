"""The drafting desk: a page for customer-service agents, served by ``msglint serve`` at ``/desk``.

Paste the buyer's message -> suggested scenarios -> fill the variables -> the draft, checked as
you type, each finding highlighted on its span with its explanation and its fix -> copy. Also a
free-text mode that checks a reply written by hand.

The page is server-rendered HTML (``deskfiles/desk.html``, Jinja2 with autoescaping) in English
or Simplified Chinese, plus one plain JavaScript file and one stylesheet, all served from the
package: no external resource, no build chain, works offline. The page talks to the JSON
endpoints below; nothing the agent types is stored on the server (and nothing is logged but the
request line).

    GET  /desk                 the page (?ui=en|zh; default from Accept-Language)
    GET  /desk/desk.js, /desk/desk.css
    GET  /v1/templates         the scenario catalogue (titles, variables with types and examples)
    POST /v1/suggest           {"text", "lang"?, "top"?} -> scenarios that answer a buyer's message
    POST /v1/draft             {"scenario", "lang", "marketplace"?, "values"} -> the linted draft
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from msglint import __version__, marketplaces

FILES = Path(__file__).resolve().parent / "deskfiles"
UI_LANGS = ("en", "zh")
TEMPLATE_LANGS = ("en", "de", "fr", "es", "it", "ja")
MAX_TOP = 10

# Content-Security-Policy of the page: only its own script, style and API; nothing from elsewhere.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "msglint drafting desk",
        "tagline": "Draft a compliant reply to an Amazon buyer, checked as you type.",
        "privacy": "Nothing you type is stored on the server.",
        "ui_language": "Interface language",
        "settings": "Settings",
        "marketplace": "Marketplace",
        "auto_marketplace": "From the reply language",
        "template_language": "Reply language",
        "auto_language": "Buyer's language",
        "mode_legend": "What do you want to do?",
        "mode_template": "Reply with a template",
        "mode_free": "Check my own text",
        "step_buyer": "1. The buyer's message",
        "buyer_label": "Paste the buyer's message",
        "suggest_btn": "Suggest scenarios",
        "step_scenario": "2. Scenario",
        "suggested": "Suggested for this message",
        "no_suggestions": "No scenario matches; choose one from the list.",
        "all_scenarios": "All scenarios",
        "choose": "(choose)",
        "detected": "Buyer's language",
        "step_values": "3. Values",
        "required": "required",
        "optional": "optional",
        "example": "e.g.",
        "still_needed": "Still needed:",
        "step_draft": "4. Draft",
        "draft_label": "Draft (you can edit it)",
        "free_label": "Your reply",
        "preview": "Checked text",
        "findings": "Findings",
        "no_findings": "No findings.",
        "checking": "Checking…",
        "verdict_pass": "Clean: ready to copy.",
        "verdict_warn": "No errors; read the warnings before you send.",
        "verdict_block": "Do not send: fix the errors first.",
        "verdict_error": "The check failed; do not send. Try again.",
        "apply_fix": "Apply fix",
        "replace_with": "replace with",
        "remove": "remove it",
        "copy_btn": "Copy draft",
        "copied": "Copied to the clipboard.",
        "copy_failed": "Could not copy; select the text and copy it by hand.",
        "copy_blocked": "Fix the errors before copying.",
        "token_label": "Access token",
        "token_btn": "Use token",
        "token_needed": "This service needs an access token.",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "limit": "characters allowed",
        "why": "Why",
        "language_names": "English,German,French,Spanish,Italian,Japanese",
    },
    "zh": {
        "title": "msglint 回复工作台",
        "tagline": "为亚马逊买家起草合规回复，边写边检查。",
        "privacy": "您输入的内容不会保存在服务器上。",
        "ui_language": "界面语言",
        "settings": "设置",
        "marketplace": "站点",
        "auto_marketplace": "按回复语言",
        "template_language": "回复语言",
        "auto_language": "买家的语言",
        "mode_legend": "您要做什么？",
        "mode_template": "用模板回复",
        "mode_free": "检查我自己写的文字",
        "step_buyer": "1. 买家消息",
        "buyer_label": "粘贴买家的消息",
        "suggest_btn": "推荐场景",
        "step_scenario": "2. 场景",
        "suggested": "针对此消息的推荐",
        "no_suggestions": "没有匹配的场景，请从列表中选择。",
        "all_scenarios": "全部场景",
        "choose": "（请选择）",
        "detected": "买家的语言",
        "step_values": "3. 填写内容",
        "required": "必填",
        "optional": "选填",
        "example": "例如",
        "still_needed": "尚需填写：",
        "step_draft": "4. 草稿",
        "draft_label": "草稿（可以修改）",
        "free_label": "您的回复",
        "preview": "检查结果",
        "findings": "问题",
        "no_findings": "没有发现问题。",
        "checking": "正在检查…",
        "verdict_pass": "没有问题，可以复制。",
        "verdict_warn": "没有错误；发送前请阅读警告。",
        "verdict_block": "请勿发送：请先修正错误。",
        "verdict_error": "检查失败，请勿发送，请重试。",
        "apply_fix": "应用修改",
        "replace_with": "替换为",
        "remove": "删除",
        "copy_btn": "复制草稿",
        "copied": "已复制到剪贴板。",
        "copy_failed": "无法复制，请手动选中文字复制。",
        "copy_blocked": "请先修正错误再复制。",
        "token_label": "访问令牌",
        "token_btn": "使用令牌",
        "token_needed": "此服务需要访问令牌。",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "limit": "个字符以内",
        "why": "原因",
        "language_names": "英语,德语,法语,西班牙语,意大利语,日语",
    },
}

# What each category means, for the agent (the finding's own message says what to change).
CATEGORY_HELP = {
    "contact.email": ("Amazon forbids e-mail addresses in buyer messages.", "亚马逊禁止在买家消息中出现电子邮件地址。"),
    "contact.phone": ("Amazon forbids phone numbers in buyer messages.", "亚马逊禁止在买家消息中出现电话号码。"),
    "contact.url": ("Links to sites other than Amazon are not allowed.", "不允许链接到亚马逊以外的网站。"),
    "offplatform": ("Do not move the buyer or the sale off Amazon.", "不得把买家或交易引导到亚马逊以外。"),
    "review.incentive": ("Nothing of value may be offered for a review.", "不得以任何好处换取评论。"),
    "review.manipulation": ("Review requests must be neutral and go to every buyer.",
                            "评论请求必须中立，并且面向所有买家。"),
    "marketing": ("Buyer messages may not promote or advertise.", "买家消息中不得包含促销或广告。"),
    "buyer.data": ("Do not ask for sensitive personal data the order does not need.",
                   "不得索要订单不需要的敏感个人信息。"),
    "conduct": ("Threats, insults and pressure are not allowed.", "不得威胁、辱骂或施压。"),
    "unnecessary": ("Amazon does not permit this kind of proactive message.", "亚马逊不允许发送此类主动消息。"),
    "language": ("Write in the marketplace's language (or the buyer's).", "请使用站点语言（或买家的语言）。"),
    "formatting": ("Emojis, HTML, shouting and some attachments are not allowed.",
                   "不允许使用表情符号、HTML、全大写喊叫和部分附件。"),
    "listing.promo": ("No price or promotion claims in listings.", "商品信息中不得出现价格或促销说法。"),
    "listing.rank": ("No best-seller or ranking claims in listings.", "商品信息中不得出现畅销或排名说法。"),
    "listing.claims": ("No unverifiable or prohibited claims.", "不得出现无法证实或被禁止的宣传。"),
    "listing.format": ("Listing format rules.", "商品信息格式规则。"),
}

VARIABLE_LABELS_ZH = {
    "buyer_name": "买家姓名", "order_id": "订单号", "seller_name": "店铺名称", "product": "商品",
    "carrier": "承运商", "ship_by": "寄出截止日期", "refund_amount": "退款金额", "refund_date": "退款日期",
    "reason": "原因", "shipping_concession": "退货运费补偿", "bank_days": "银行处理天数",
    "info_needed": "需要的信息", "tracking_number": "物流单号", "troubleshooting_step": "排查步骤",
    "warranty_months": "保修月数", "missing_part": "缺少的部件", "received_item": "收到的商品",
    "new_date": "新的预计日期", "delivery_date": "送达日期", "issue": "问题", "hold_until": "保留至",
    "window_start": "最早送达日", "window_end": "最晚送达日", "custom_text": "定制文字", "options": "选项",
    "reply_by": "回复截止日期", "question": "问题", "invoice_number": "发票号", "coverage_start": "保修开始",
    "coverage_end": "保修结束", "answer": "回答", "resolution": "处理结果", "amount": "金额",
    "new_variant": "新的款式",
}


def ui_language(request: Request) -> str:
    """?ui=en|zh, else the first of Accept-Language that the page speaks, else English."""
    asked = request.query_params.get("ui", "").lower()
    if asked in UI_LANGS:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    return Environment(loader=FileSystemLoader(str(FILES)), autoescape=select_autoescape(["html"]))


def page_html(ui: str) -> str:
    from markupsafe import Markup
    s = STRINGS[ui]
    client = {"ui": ui, "strings": s, "categories": {k: v[0 if ui == "en" else 1] for k, v in CATEGORY_HELP.items()},
              "variable_labels": VARIABLE_LABELS_ZH if ui == "zh" else {}}
    data = json.dumps(client, ensure_ascii=False).replace("<", "\\u003c")
    names = s["language_names"].split(",")
    return _environment().get_template("desk.html").render(
        s=s, ui=ui, version=__version__, client_data=Markup(data),
        marketplaces=list(marketplaces.MARKETPLACES), languages=list(zip(TEMPLATE_LANGS, names)))


_SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                     "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


async def root(request: Request) -> Response:
    return RedirectResponse("/desk", status_code=307)


async def desk(request: Request) -> Response:
    ui = ui_language(request)
    return Response(page_html(ui), media_type="text/html; charset=utf-8",
                    headers={**_SECURITY_HEADERS, "Content-Language": "zh-Hans" if ui == "zh" else "en",
                             "Vary": "Accept-Language"})


_STATIC = {"desk.js": "text/javascript; charset=utf-8", "desk.css": "text/css; charset=utf-8"}


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _STATIC:
        return JSONResponse({"error": "Not Found"}, status_code=404)
    return Response((FILES / name).read_bytes(), media_type=_STATIC[name],
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


# --- JSON endpoints --------------------------------------------------------------------------------

def _scenario_record(s) -> dict:
    record = s.to_dict()
    for v, raw in zip(record["variables"], s.variables):
        v["examples"] = {lang: raw.example_for(lang) for lang in s.languages}
    return record


def templates_payload() -> dict:
    from msglint.drafting import catalogue
    cat = catalogue()
    return {"scenarios": [_scenario_record(s) for s in cat.scenarios], "languages": list(cat.languages),
            "message_types": {k: {"limit": v.get("limit"), "critical": bool(v.get("critical"))}
                              for k, v in cat.message_types.items()},
            "version": __version__}


async def _run(service, job, *args):
    """``job(linter, *args)`` where the service runs its checks (a worker process that a time limit
    can stop, by default) under its time limit (ServiceError 500/503)."""
    return await service.run_job(job, *args)


def suggest_job(linter, text: str, lang, top: int) -> dict:
    """The /v1/suggest answer (runs in a checking process; ``linter`` is not needed)."""
    from msglint.drafting import catalogue
    from msglint.suggest import detect_language, suggest
    detected = lang or detect_language(text)
    cat = catalogue()
    out = []
    for s in suggest(text, lang=lang, top=top):
        sc = cat.get(s.scenario_id)
        out.append({"id": sc.id, "title": sc.title.get("en", sc.id), "title_zh": sc.title.get("zh"),
                    "score": round(s.score, 3), "reason": s.reason, "languages": list(sc.languages)})
    return {"lang": detected, "suggestions": out, "version": __version__}


def draft_job(linter, scenario_id: str, lang: str, given: dict, marketplace: str) -> dict:
    """The /v1/draft answer, or {"error", "variable"} for a bad value (runs in a checking process)."""
    from msglint.drafting import VariableError, catalogue, draft
    scenario = catalogue().get(scenario_id)
    try:
        d = draft(scenario_id, lang, given, linter, marketplace=marketplace)
    except VariableError as exc:
        return {"error": f"variable {exc}", "variable": exc.name}
    verdict = d.report.verdict
    if verdict not in ("pass", "block"):
        raise RuntimeError("the linter returned an unknown verdict")
    return {"text": d.text, "verdict": "pass" if d.ok else "block", "marketplace": marketplace,
            "message_type": scenario.message_type, "limit": scenario.limit, "problems": list(d.problems),
            "findings": [f.to_dict() for f in d.report.findings], "version": __version__}


def _object(payload: Any, allowed: set) -> dict:
    from msglint.server import _invalid
    if not isinstance(payload, dict):
        raise _invalid("request body: expected a JSON object")
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise _invalid(f"{unknown[0][:40]}: unknown key (allowed: {', '.join(sorted(allowed))})")
    return payload


def _string(obj: dict, key: str, *, required: bool = False, default=None):
    from msglint.server import _invalid
    value = obj.get(key)
    if value is None:
        if required:
            raise _invalid(f"{key}: required")
        return default
    if not isinstance(value, str):
        raise _invalid(f"{key}: expected a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(f"{key}: not valid Unicode (lone surrogate)") from None
    return value


async def templates(request: Request) -> Response:
    return JSONResponse(templates_payload())


async def suggest_endpoint(request: Request) -> Response:
    from msglint.server import _invalid, _service, parse_json, read_body, require_json
    service = _service(request)
    require_json(request)
    obj = _object(parse_json(await read_body(request, service.max_body, service.body_timeout)),
                  {"text", "lang", "top"})
    text = _string(obj, "text", required=True)
    if not text.strip():
        raise _invalid("text: empty (paste the buyer's message)")
    lang = _string(obj, "lang")
    if lang is not None and lang not in TEMPLATE_LANGS:
        raise _invalid(f"lang: unknown language {lang[:20]!r} (one of {', '.join(TEMPLATE_LANGS)})")
    top = obj.get("top", 3)
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= MAX_TOP:
        raise _invalid(f"top: expected an integer from 1 to {MAX_TOP}")

    return JSONResponse(await _run(service, suggest_job, text, lang, top))


async def draft_endpoint(request: Request) -> Response:
    from msglint.drafting import catalogue
    from msglint.server import _invalid, _service, parse_json, read_body, require_json
    service = _service(request)
    require_json(request)
    obj = _object(parse_json(await read_body(request, service.max_body, service.body_timeout)),
                  {"scenario", "lang", "marketplace", "values"})
    scenario_id = _string(obj, "scenario", required=True)
    lang = _string(obj, "lang", required=True)
    cat = catalogue()
    if scenario_id not in cat.ids():
        raise _invalid(f"scenario: unknown scenario {scenario_id[:40]!r} (GET /v1/templates lists them)")
    scenario = cat.get(scenario_id)
    if lang not in scenario.languages:
        raise _invalid(f"lang: {scenario_id} is available in {', '.join(scenario.languages)}, not {lang[:20]!r}")
    try:
        marketplace = marketplaces.get(_string(obj, "marketplace", default=None) or
                                       {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT",
                                        "ja": "JP"}[lang]).code
    except ValueError:
        raise _invalid(f"marketplace: unknown marketplace (one of {', '.join(marketplaces.MARKETPLACES)})") from None
    values = obj.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) or v is None for v in values.values()):
        raise _invalid("values: expected an object of variable name -> string")
    given = {k: v for k, v in values.items() if v is not None and v.strip()}

    result = await _run(service, draft_job, scenario_id, lang, given, marketplace)
    if "error" in result:
        raise _VariableProblem(result["error"], result["variable"])
    return JSONResponse(result)


class _VariableProblem(Exception):
    def __init__(self, message: str, variable: str):
        super().__init__(message)
        self.message, self.variable = message, variable


def desk_endpoint(fn):
    """Like the service's endpoints: errors as JSON; a variable problem as 422 naming the variable."""
    from msglint.server import _endpoint

    async def inner(request: Request) -> Response:
        try:
            return await fn(request)
        except _VariableProblem as exc:
            return JSONResponse({"error": exc.message, "variable": exc.variable}, status_code=422)
    inner.__name__ = fn.__name__
    return _endpoint(inner)


def routes() -> list:
    from starlette.routing import Route
    return [
        Route("/", root, methods=["GET"]),
        Route("/desk", desk, methods=["GET"]),
        Route("/desk/{name}", static, methods=["GET"]),
        Route("/v1/templates", desk_endpoint(templates), methods=["GET"]),
        Route("/v1/suggest", desk_endpoint(suggest_endpoint), methods=["POST"]),
        Route("/v1/draft", desk_endpoint(draft_endpoint), methods=["POST"]),
    ]
