"""The ``msglint`` command line. Exit codes: 0 clean, 1 findings at the fail level, 2 usage or input error."""
from __future__ import annotations

import sys
from typing import Optional

import click

from msglint import __version__, marketplaces
from msglint.inputs import InputError, Item, expand_paths, read_jsonl, read_text
from msglint.linter import FIELDS, Linter
from msglint.model import KINDS, Report, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class CLIError(click.ClickException):
    """A one-line error on stderr and exit code 2, never a traceback."""

    exit_code = EXIT_USAGE

    def show(self, file=None):
        click.echo(f"msglint: error: {self.format_message()}", err=True)


def _marketplace(ctx, param, value):
    if value is None:
        return None
    try:
        return marketplaces.get(value).code
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msglint")
def main() -> None:
    """Check Amazon buyer messages and listing text for what the marketplace prohibits."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--kind", type=click.Choice(KINDS), default="message", show_default=True,
              help="What the text is: a message to a buyer or listing text.")
@click.option("--field", "field_", type=click.Choice(FIELDS), default=None,
              help="Listing field (with --kind listing).")
@click.option("--marketplace", "-m", default="US", show_default=True, callback=_marketplace,
              help="Amazon marketplace: US, UK, DE, FR, IT, ES, JP, CA, MX, AU, ...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
@click.option("--input", "input_", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="jsonl: each line is {\"id\", \"text\", \"kind\"?, \"marketplace\"?, \"field\"?}.")
@click.option("--allow-domain", multiple=True, help="A domain that is not reported as a link (repeatable).")
@click.option("--brand", multiple=True, help="Registered brand name (listing rules allow it as written).")
@click.option("--color/--no-color", default=None, help="Colour in text output (default: only on a terminal).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (input errors still exit 2).")
def check(paths, kind, field_, marketplace, fmt, input_, allow_domain, brand, color, exit_zero) -> None:
    """Check files (or - for standard input) and report findings."""
    if not paths:
        if sys.stdin.isatty():
            raise CLIError("nothing to check: give one or more paths, or - for standard input")
        paths = ("-",)
    try:
        linter = Linter(marketplace=marketplace, allow_domains=allow_domain, brands=brand)
        if input_ == "jsonl":
            items = [item for path in paths for item in read_jsonl(path)]
        else:
            items = [Item(text=read_text(p), path="<stdin>" if p == "-" else p) for p in expand_paths(paths)]
        results = [(item, _check_item(linter, item, kind, field_, marketplace)) for item in items]
    except InputError as exc:
        raise CLIError(str(exc)) from None

    from msglint import output
    out = sys.stdout
    if fmt == "jsonl" and input_ == "jsonl":
        output.write_jsonl_batch(out, [(item.id, rep) for item, rep in results])
    elif fmt == "jsonl":
        output.write_jsonl_files(out, [(item.path, rep) for item, rep in results])
    elif fmt == "json":
        output.write_json(out, [("id", item.id, rep) if input_ == "jsonl" else ("path", item.path, rep)
                                for item, rep in results], __version__)
    else:
        use_color = out.isatty() if color is None else color
        output.write_text(out, [(_label(item), rep) for item, rep in results], use_color)
    failed = any(rep.verdict == "block" for _, rep in results)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)


def _label(item: Item) -> str:
    return f"{item.path}[{item.id}]" if item.id is not None else item.path


def _check_item(linter: Linter, item: Item, kind: str, field: Optional[str], marketplace: str) -> Report:
    where = f"{item.path}:{item.line}" if item.line else item.path
    k = item.kind or kind
    if k not in KINDS:
        raise InputError(f"{where}: unknown kind {k!r} (one of {', '.join(KINDS)})")
    f = item.field or field
    if f is not None and f not in FIELDS:
        raise InputError(f"{where}: unknown field {f!r} (one of {', '.join(FIELDS)})")
    mp = item.marketplace or marketplace
    try:
        mp = marketplaces.get(mp).code
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None
    brands = (item.brand,) if item.brand else ()
    return linter.check(item.text, kind=k, field=f if k == "listing" else None, marketplace=mp, brands=brands)


def run() -> None:
    """Entry point: any unexpected failure is one line on stderr and exit 2, never a traceback."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("msglint: interrupted", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        click.echo(f"msglint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)


# --- templates and drafting --------------------------------------------------------------------

_LINTERS: dict = {}


def _linter_for(marketplace: str) -> Linter:
    if marketplace not in _LINTERS:
        _LINTERS[marketplace] = Linter(marketplace=marketplace)
    return _LINTERS[marketplace]


def _catalogue():
    from msglint.drafting import CatalogueError, catalogue
    try:
        return catalogue()
    except CatalogueError as exc:
        raise CLIError(str(exc)) from None


@main.group()
def templates() -> None:
    """The library of compliant reply templates."""


@templates.command("list")
@click.option("--lang", default=None, help="Only scenarios available in this language.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def templates_list(lang, fmt) -> None:
    """List the reply scenarios."""
    import json as _json
    cat = _catalogue()
    scenarios = [s for s in cat.scenarios if lang is None or lang in s.languages]
    if fmt == "json":
        rows = [{"id": s.id, "title": s.title.get("en", s.id), "message_type": s.message_type,
                 "languages": list(s.languages), "variables": [v.to_dict() for v in s.variables]}
                for s in scenarios]
        click.echo(_json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max((len(s.id) for s in scenarios), default=10)
    for s in scenarios:
        click.echo(f"{s.id:{width}}  {s.message_type:27}  {','.join(s.languages):17}  {s.title.get('en', '')}")
    click.echo(f"{len(scenarios)} scenarios")


@templates.command("show")
@click.argument("scenario_id")
@click.option("--lang", default="en", show_default=True)
def templates_show(scenario_id, lang) -> None:
    """Show a scenario: when to use it, its message type and variables, and its template."""
    from msglint.drafting import template_source
    cat = _catalogue()
    try:
        s = cat.get(scenario_id)
        source = template_source(s.id, lang)
    except KeyError as exc:
        raise CLIError(f"unknown scenario or language: {exc.args[0]} (see 'msglint templates list')") from None
    click.echo(f"{s.id}: {s.title.get('en')}  /  {s.title.get('zh', '')}")
    click.echo(f"when to use: {s.when.get('en', '')}")
    click.echo(f"适用场景: {s.when.get('zh', '')}")
    click.echo(f"message type: {s.message_type} (up to {s.limit} characters){', critical' if s.critical else ''}")
    click.echo(f"languages: {', '.join(s.languages)}")
    click.echo("variables:")
    for v in s.variables:
        extra = f" one of {', '.join(v.choices)}" if v.choices else ""
        click.echo(f"  {v.name:22} {v.type:9} {'required' if v.required else 'optional':9} e.g. {v.example}{extra}")
    click.echo(f"--- {lang}/{s.id}.txt.j2 ---")
    click.echo(source.rstrip("\n"))


def _parse_sets(pairs) -> dict:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise CLIError(f"--set {pair!r}: expected name=value")
        name, value = pair.split("=", 1)
        values[name.strip()] = value
    return values


def _write_atomic(path: str, text: str, force: bool) -> None:
    """Write via a temporary file in the same directory and rename: never a half-written file."""
    import os
    import tempfile
    if os.path.exists(path) and not force:
        raise CLIError(f"{path} exists; use --force to overwrite it")
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".msglint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _report_draft(d) -> None:
    for problem in d.problems:
        click.echo(f"msglint: draft: error: {problem}", err=True)
    for f in d.report.findings:
        click.echo(f"<draft>:{f.line}:{f.col}: {f.code} [{f.severity.value}] {f.message}", err=True)


@main.command("draft")
@click.argument("scenario_id", required=False)
@click.option("--lang", default=None, help="Language of the reply: en, de, fr, es, it, ja.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="A variable's value (repeatable).")
@click.option("--sample", is_flag=True, help="Use the template's example values for what is not set.")
@click.option("--marketplace", "-m", default=None, callback=_marketplace, help="Marketplace (default: the language's).")
@click.option("--output", "-o", default=None, help="Write the accepted draft to this file (atomically).")
@click.option("--force", is_flag=True, help="Allow --output to overwrite an existing file.")
@click.option("--from", "incoming", default=None, help="Start from the buyer's message (interactive).")
def draft_cmd(scenario_id, lang, sets, sample, marketplace, output, force, incoming) -> None:
    """Draft a reply: non-interactively with SCENARIO_ID, or the interactive assistant without it.

    Exit codes: 0 the draft is on stdout (or in --output), 1 the draft has error findings (on stderr),
    2 a missing or invalid variable, an unknown scenario, or an existing --output without --force.
    """
    from msglint.drafting import CatalogueError, VariableError, draft
    values = _parse_sets(sets)
    if output and not force:
        import os
        if os.path.exists(output):
            raise CLIError(f"{output} exists; use --force to overwrite it")
    if scenario_id is None:
        from msglint import assistant
        suggestions = None
        if incoming:
            try:
                from msglint.suggest import suggest
                cat = _catalogue()
                suggestions = [cat.get(s.scenario_id) for s in suggest(read_text(incoming))]
            except InputError as exc:
                raise CLIError(str(exc)) from None
        d = assistant.run(_linter_for, lang, marketplace, values, suggestions)
        if d is None:
            sys.exit(EXIT_CLEAN)
    else:
        cat = _catalogue()
        if scenario_id not in cat.ids():
            raise CLIError(f"unknown scenario {scenario_id!r} (see 'msglint templates list')")
        lang = lang or "en"
        try:
            d = draft(scenario_id, lang, values, _linter_for(marketplace or _default_mp(lang)),
                      marketplace=marketplace, use_examples=sample)
        except VariableError as exc:
            raise CLIError(f"variable {exc}") from None
        except CatalogueError as exc:
            raise CLIError(str(exc)) from None
        _report_draft(d)
        if not d.ok:
            click.echo(d.text, nl=False)
            sys.exit(EXIT_FINDINGS)
    if output:
        _write_atomic(output, d.text, force)
        click.echo(f"msglint: wrote {output}", err=True)
    else:
        click.echo(d.text, nl=False)
    sys.exit(EXIT_CLEAN)


def _default_mp(lang: str) -> str:
    from msglint.drafting import LANG_MARKETPLACE
    return LANG_MARKETPLACE.get(lang, "US")


@main.command("suggest")
@click.argument("incoming")
@click.option("--lang", default=None, help="Language of the buyer's message (default: detected).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def suggest_cmd(incoming, lang, fmt) -> None:
    """Rank the reply scenarios that answer a buyer's message (a file, or - for stdin)."""
    import json as _json
    from msglint.suggest import suggest
    try:
        text = read_text(incoming)
    except InputError as exc:
        raise CLIError(str(exc)) from None
    if not text.strip():
        raise CLIError(f"{incoming}: the buyer's message is empty")
    cat = _catalogue()
    results = suggest(text, lang=lang, top=3)
    if fmt == "json":
        click.echo(_json.dumps([{"id": r.scenario_id, "title": cat.get(r.scenario_id).title.get("en"),
                                 "score": round(r.score, 3), "reason": r.reason} for r in results],
                               ensure_ascii=False, indent=2))
        return
    for i, r in enumerate(results, 1):
        click.echo(f"{i}. {r.scenario_id} — {cat.get(r.scenario_id).title.get('en')}: {r.reason}")
