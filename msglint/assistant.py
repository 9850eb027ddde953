"""The interactive drafting assistant: choose a scenario, fill it in, see it linted, accept.

All prompts and the draft preview go to stderr, so that the accepted text alone reaches
stdout (``msglint draft > reply.txt`` works). It needs nothing but a plain terminal.
"""
from __future__ import annotations

from typing import Callable, Optional

import click

from msglint.drafting import LANG_MARKETPLACE, Draft, Scenario, VariableError, catalogue, draft, lint_draft
from msglint.model import Severity

QUIT = "quit"


class Quit(Exception):
    """The user chose to quit."""


def _say(text: str = "", **style) -> None:
    click.secho(text, err=True, **style)


def choose_scenario(initial: Optional[list] = None) -> Scenario:
    """A numbered, searchable list; typing words filters it, a number chooses."""
    cat = catalogue()
    shown = list(initial) if initial else list(cat.scenarios)
    header = "Suggested replies for the buyer's message:" if initial else "Reply scenarios:"
    while True:
        _say(header, bold=True)
        for i, s in enumerate(shown, 1):
            _say(f"  {i:2}. {s.title.get('en', s.id)}  ({s.id})")
        answer = click.prompt("Number, or words to search (q to quit)", err=True, default="", show_default=False).strip()
        if answer.lower() in ("q", "quit"):
            raise Quit()
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            return shown[int(answer) - 1]
        if not answer:
            shown, header = list(cat.scenarios), "Reply scenarios:"
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
            shown, header = found, f"Scenarios matching {answer!r}:"
        else:
            _say(f"No scenario matches {answer!r}; showing all.", fg="yellow")
            shown, header = list(cat.scenarios), "Reply scenarios:"


def choose_language(scenario: Scenario, default: str) -> str:
    default = default if default in scenario.languages else scenario.languages[0]
    return click.prompt("Language", err=True, default=default,
                        type=click.Choice(list(scenario.languages)), show_choices=True)


def ask_value(var, current: Optional[str], lang: Optional[str] = None,
              marketplace: Optional[str] = None) -> Optional[str]:
    """One prompt for one variable, repeated until the value is valid (for this language and marketplace)."""
    need = "required" if var.required else "optional, Enter to leave empty"
    example = var.example_for(lang, marketplace)
    hint = f", e.g. {example}" if example else ""
    options = var.choices_for(lang, marketplace)
    choices = f" [{' / '.join(options)}]" if options else ""
    label = f"{var.name} ({var.type}, {need}{hint}){choices}"
    if var.help:
        _say(f"  {var.help}", dim=True)
    while True:
        raw = click.prompt(label, err=True, default=current or "", show_default=bool(current))
        try:
            return var.validate(raw, lang=lang, marketplace=marketplace)
        except VariableError as exc:
            _say(f"  {exc}", fg="red")


def show_draft(d: Draft) -> None:
    _say("")
    _say(f"--- draft: {d.scenario.id} [{d.lang}, {d.marketplace}, {d.scenario.message_type}, "
         f"{len(d.text.rstrip())}/{d.scenario.limit} characters] ---", bold=True)
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
    _say("--- end of draft ---", bold=True)
    for problem in d.problems:
        _say(f"error: {problem}", fg="red")
    for f in d.report.findings:
        color = "red" if f.severity is Severity.ERROR else "yellow"
        _say(f"{f.line}:{f.col}: {f.code} [{f.severity.value}] {f.message}", fg=color)
    if d.ok and not d.report.findings:
        _say("No findings.", fg="green")


def run(linter_for: Callable[[str], object], lang: Optional[str], marketplace: Optional[str],
        preset: dict, suggestions: Optional[list] = None) -> Optional[Draft]:
    """Drive one session; returns the accepted draft, or None when the user quits."""
    try:
        scenario = choose_scenario(suggestions)
        _say(f"{scenario.title.get('en')} — {scenario.when.get('en', '')}", dim=True)
        lang = choose_language(scenario, lang or "en")
        marketplace = marketplace or LANG_MARKETPLACE.get(lang, "US")
        values = {}
        for var in scenario.variables:
            values[var.name] = ask_value(var, preset.get(var.name), lang, marketplace)
        while True:
            d = draft(scenario.id, lang, values, linter_for(marketplace), marketplace=marketplace)
            text = d.text
            while True:
                show_draft(d)
                action = click.prompt("[a]ccept, [e]dit in $EDITOR, [c]hange a value, [q]uit", err=True,
                                      type=click.Choice(["a", "e", "c", "q"]), show_choices=False, default="a")
                if action == "q":
                    raise Quit()
                if action == "a":
                    if not d.ok:
                        _say("The draft still has errors: edit it or change a value first.", fg="red")
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
                    name = click.prompt("Which value", err=True, type=click.Choice(names))
                    var = scenario.variable(name)
                    values[name] = ask_value(var, values.get(name), lang, marketplace)
                    break  # re-render with the new value (edits made in the editor are dropped)
    except Quit:
        _say("Quit: nothing was written.")
        return None
