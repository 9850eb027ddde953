"""The interactive drafting assistant: choose a scenario, fill it in, see it linted, accept.

All prompts and the draft preview go to stderr, so that the accepted text alone reaches
stdout (``msglint draft > reply.txt`` works). It needs nothing but a plain terminal.
Prompts, help texts and findings are in English or Simplified Chinese (``ui_lang``, from
``--explain-lang`` or the locale); the draft itself is in the reply language.
"""
from __future__ import annotations

from typing import Callable, Optional

import click

from msglint import explain
from msglint.drafting import LANG_MARKETPLACE, Draft, Scenario, VariableError, catalogue_for, draft, lint_draft
from msglint.model import Severity

QUIT = "quit"


class Quit(Exception):
    """The user chose to quit."""


def _say(text: str = "", **style) -> None:
    click.secho(text, err=True, **style)


def choose_scenario(initial: Optional[list] = None, ui_lang: str = "en", kind: str = "message") -> Scenario:
    """A numbered, searchable list; typing words filters it, a number chooses."""
    def t(key, **params):
        return explain.ui(key, ui_lang, **params)
    cat = catalogue_for(kind)
    shown = list(initial) if initial else list(cat.scenarios)
    header = t("suggested_header") if initial else t("scenarios_header")
    while True:
        _say(header, bold=True)
        for i, s in enumerate(shown, 1):
            _say(f"  {i:2}. {explain.scenario_title(s, ui_lang)}  ({s.id})")
        answer = click.prompt(t("choose_prompt"), err=True, default="", show_default=False).strip()
        if answer.lower() in ("q", "quit"):
            raise Quit()
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            return shown[int(answer) - 1]
        if not answer:
            shown, header = list(cat.scenarios), t("scenarios_header")
            continue
        words = answer.casefold().split()
        def haystack(s, with_when):
            parts = [s.id.replace("-", " "), *s.title.values()] + (list(s.when.values()) if with_when else [])
            return " ".join(parts).casefold()
        # matches in the id or title first, then matches only in the "when to use" text
        in_title = [s for s in cat.scenarios if all(w in haystack(s, False) for w in words)]
        in_when = [s for s in cat.scenarios if s not in in_title and all(w in haystack(s, True) for w in words)]
        found = in_title + in_when
        if found:
            shown, header = found, t("matching_header", query=repr(answer))
        else:
            _say(t("no_match", query=repr(answer)), fg="yellow")
            shown, header = list(cat.scenarios), t("scenarios_header")


def choose_language(scenario: Scenario, default: str, ui_lang: str = "en") -> str:
    default = default if default in scenario.languages else scenario.languages[0]
    return click.prompt(explain.ui("language_prompt", ui_lang), err=True, default=default,
                        type=click.Choice(list(scenario.languages)), show_choices=True)


def ask_value(var, current: Optional[str], lang: Optional[str] = None, marketplace: Optional[str] = None, *,
              ui_lang: str = "en", scenario_id: Optional[str] = None) -> Optional[str]:
    """One prompt for one variable, repeated until the value is valid (for this language and marketplace)."""
    def t(key, **params):
        return explain.ui(key, ui_lang, **params)
    need = t("value_required") if var.required else t("value_optional")
    example = var.example_for(lang, marketplace)
    hint = t("value_example", example=example) if example else ""
    options = var.choices_for(lang, marketplace)
    choices = f" [{' / '.join(options)}]" if options else ""
    label = t("value_label", name=var.name, type=explain.type_name(var.type, ui_lang), need=need, hint=hint,
              choices=choices)
    help_text = explain.variable_help(var.name, ui_lang, scenario_id, var.help)
    if help_text:
        _say(f"  {help_text}", dim=True)
    while True:
        raw = click.prompt(label, err=True, default=current or "", show_default=bool(current))
        try:
            return var.validate(raw, lang=lang, marketplace=marketplace)
        except VariableError as exc:
            _say(f"  {explain.invalid_value(var, raw, exc, ui_lang)}", fg="red")


def show_draft(d: Draft, ui_lang: str = "en") -> None:
    def t(key, **params):
        return explain.ui(key, ui_lang, **params)
    _say("")
    _say(t("draft_header", id=d.scenario.id, reply_lang=d.lang, marketplace=d.marketplace, type=d.scenario.message_type,
           length=len(d.text.rstrip()), limit=d.scenario.limit), bold=True)
    marks = sorted(d.report.findings, key=lambda f: f.start)
    pos = 0
    out = []
    for f in marks:
        if f.start < pos:
            continue
        out.append(click.style(d.text[pos:f.start]))
        color = "red" if f.severity is Severity.ERROR else "yellow"
        out.append(click.style(d.text[f.start:f.end], fg=color, underline=True, bold=True))
        pos = f.end
    out.append(d.text[pos:])
    click.echo("".join(out).rstrip("\n"), err=True)
    _say(t("draft_footer"), bold=True)
    for problem in d.problems:
        _say(t("problem", problem=explain.draft_problem(problem, ui_lang)), fg="red")
    for f in d.report.findings:
        color = "red" if f.severity is Severity.ERROR else "yellow"
        _say(f"{f.line}:{f.col}: {f.code} [{f.severity.value}] {f.message}", fg=color)
    if d.ok and not d.report.findings:
        _say(t("no_findings"), fg="green")


def apply_fixes(scenario: Scenario, lang: str, d: Draft, values: dict, text: str, linter_for,
                ui_lang: str = "en") -> tuple[str, Draft]:
    """Apply the draft's fixes (safe and unsafe: the agent sees the result before accepting it), never one
    that brings a new finding; the new text and its draft."""
    from msglint.fixing import fix_text
    linter = linter_for(d.marketplace)

    def check(candidate: str):
        return lint_draft(scenario, lang, d.marketplace, values, candidate, linter).report

    result = fix_text(text, check, unsafe=True, before=d.report)
    if not result.changed:
        _say(explain.ui("no_fix_applied", ui_lang), fg="yellow")
        return text, d
    _say(explain.ui("fixes_applied", ui_lang, n=len(result.applied)), fg="green")
    return result.text, lint_draft(scenario, lang, d.marketplace, values, result.text, linter)


def run(linter_for: Callable[[str], object], lang: Optional[str], marketplace: Optional[str],
        preset: dict, suggestions: Optional[list] = None, ui_lang: str = "en", kind: str = "message") -> Optional[Draft]:
    """Drive one session; returns the accepted draft, or None when the user quits.

    ``ui_lang`` ('en' or 'zh') is the language of the prompts; ``linter_for`` should give
    findings in the same language.
    """
    def t(key, **params):
        return explain.ui(key, ui_lang, **params)
    try:
        scenario = choose_scenario(suggestions, ui_lang, kind)
        _say(f"{explain.scenario_title(scenario, ui_lang)} — {explain.scenario_when(scenario, ui_lang)}", dim=True)
        lang = choose_language(scenario, lang or "en", ui_lang)
        marketplace = marketplace or LANG_MARKETPLACE.get(lang, "US")
        values = {}
        section = None
        for var in scenario.variables:
            if var.section and var.section != section:   # a Plan of Action: what this section must say
                section = var.section
                guide = next(x for x in scenario.sections if x.id == section)
                lang_ui = "zh" if ui_lang == "zh" else "en"
                _say(f"{guide.title[lang_ui]}: {guide.guide[lang_ui]}", bold=True)
            values[var.name] = ask_value(var, preset.get(var.name), lang, marketplace, ui_lang=ui_lang,
                                         scenario_id=scenario.id)
        while True:
            d = draft(scenario.id, lang, values, linter_for(marketplace), marketplace=marketplace)
            text = d.text
            while True:
                show_draft(d, ui_lang)
                fixable = any(f.fix is not None for f in d.report.findings)
                action = click.prompt(t("action_prompt_fix" if fixable else "action_prompt"), err=True,
                                      type=click.Choice(["a", "f", "e", "c", "q"] if fixable else ["a", "e", "c", "q"]),
                                      show_choices=False, default="a")
                if action == "q":
                    raise Quit()
                if action == "f":
                    text, d = apply_fixes(scenario, lang, d, values, text, linter_for, ui_lang)
                    continue
                if action == "a":
                    if not d.ok:
                        _say(t("still_errors"), fg="red")
                        continue
                    return d
                if action == "e":
                    edited = click.edit(text, extension=".txt", require_save=False)
                    if edited is not None:
                        text = edited
                        d = lint_draft(scenario, lang, d.marketplace, values, text, linter_for(d.marketplace))
                    continue
                if action == "c":
                    names = [v.name for v in scenario.variables]
                    name = click.prompt(t("which_value"), err=True, type=click.Choice(names))
                    var = scenario.variable(name)
                    values[name] = ask_value(var, values.get(name), lang, marketplace, ui_lang=ui_lang,
                                             scenario_id=scenario.id)
                    break  # re-render with the new value (edits made in the editor are dropped)
    except Quit:
        _say(t("quit"))
        return None
