"""The ``msglint`` command line. Exit codes: 0 clean, 1 findings at the fail level, 2 usage or input error."""
from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

import click

from msglint import __version__, explain, marketplaces
from msglint.inputs import DecodeError, InputError, Item, check_encoding, expand_paths, read_jsonl, read_text
from msglint.model import FIELDS, KINDS

# spaCy and the rules are imported by the commands that check text, never by --version or --help
if TYPE_CHECKING:
    from msglint.linter import Linter

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
@click.pass_context
def main(ctx) -> None:
    """Check Amazon buyer messages and listing text for what the marketplace prohibits."""
    if ctx.invoked_subcommand != "check":  # check ends its start-up itself, after its imports
        _start_up_done()


def _start_up_done() -> None:
    """Collect cyclic garbage again, leaving out what start-up made (see ``run``)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _split(values) -> tuple:
    """--select A,B --select C -> ("A", "B", "C")."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _selectors(ctx, param, value):
    values = _split(value)
    if values:
        from msglint.selection import validate_selectors
        try:
            validate_selectors(values)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return values


def _encoding(ctx, param, value):
    try:
        return check_encoding(value)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None


def explain_lang_option(f):
    """``--explain-lang en|zh``: the language of what a person reads (messages, explanations, prompts)."""
    return click.option("--explain-lang", type=click.Choice(explain.LANGS), default=None,
                        help="Language of messages and explanations: en or zh (default: explain-lang in the "
                             "configuration, else the locale: LC_ALL/LC_MESSAGES/LANG starting with zh gives zh).")(f)


def encoding_option(f):
    return click.option("--encoding", default=None, callback=_encoding, metavar="NAME",
                        help="Encoding of the input files: utf-8 (default), gb18030, gbk, shift_jis, cp932, utf-16 ...")(f)


def _lang_here(option) -> str:
    """--explain-lang, else explain-lang of the configuration that applies here, else the locale."""
    if option:
        return option
    from msglint import config as config_mod
    try:
        return explain.choose(None, config_mod.for_path(".").explain_lang)
    except config_mod.ConfigError as exc:
        raise CLIError(str(exc)) from None


def _input_error(exc: InputError, lang: str) -> CLIError:
    """An input error as one line, in ``lang`` where the error has a translation."""
    return CLIError(exc.describe(lang) if isinstance(exc, DecodeError) else str(exc))


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="What the text is (default: from the configuration, else message).")
@click.option("--field", "field_", type=click.Choice(FIELDS), default=None,
              help="Listing field (with --kind listing).")
@click.option("--marketplace", "-m", default=None, callback=_marketplace,
              help="Amazon marketplace: US, UK, DE, FR, IT, ES, JP, CA, MX, AU, ... (default: configuration, else US)")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "sarif", "github", "xlsx"]),
              default="text", show_default=True, help="xlsx: a workbook of findings by file, row, SKU and code "
                                                      "(needs --output).")
@click.option("--output", "-o", "output_path", default=None,
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Allow --output to overwrite an existing file.")
@click.option("--only-buyer-facing", is_flag=True,
              help="Check only the named files the configuration calls buyer-facing (default *.j2, *.jinja, "
                   "*.jinja2, *.txt; never README, CHANGELOG or docs/): the pre-commit hook's mode.")
@click.option("--input", "input_", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="jsonl: each line is {\"id\", \"text\", \"kind\"?, \"marketplace\"?, \"field\"?}.")
@click.option("--select", multiple=True, callback=_selectors, help="Only these codes, prefixes or categories.")
@click.option("--extend-select", multiple=True, callback=_selectors, help="Add codes, prefixes or categories.")
@click.option("--ignore", multiple=True, callback=_selectors, help="Leave out codes, prefixes or categories.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: configuration, else error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (input errors still exit 2).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--stdin-filename", default=None, help="The name to report (and configure) standard input as.")
@click.option("--config", "config_path", default=None, help="Use this configuration file instead of searching.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel worker processes for many files (default: number of cores).")
@click.option("--allow-domain", multiple=True, help="A domain that is not reported as a link (repeatable).")
@click.option("--brand", multiple=True, help="Registered brand name (listing rules allow it as written).")
@click.option("--color/--no-color", default=None, help="Colour in text output (default: only on a terminal).")
@click.option("--fix", "apply_fixes", is_flag=True,
              help="Apply the safe fixes to the files (atomically), check them again and report what remains. "
                   "With - the fixed text goes to standard output and the findings to standard error.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff: also the fixes that change what the text says (a sentence rewritten or "
                   "removed).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of what --fix would change; write nothing.")
@encoding_option
@explain_lang_option
def check(paths, kind, field_, marketplace, fmt, output_path, force, only_buyer_facing, input_, select, extend_select,
          ignore, fail_on, exit_zero, statistics, stdin_filename, config_path, no_config, jobs, allow_domain, brand,
          color, apply_fixes, unsafe_fixes, show_diff, encoding, explain_lang) -> None:
    """Check files, directories (or - for standard input) and report findings.

    Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage or input error.
    With --fix the exit code is that of what remains; --diff writes nothing, so it is that of the files as they are.
    """
    import dataclasses
    import os

    from msglint import checking, output
    from msglint.config import ConfigError

    _start_up_done()
    early_lang = explain.choose(explain_lang)  # errors before any configuration is read: option, else locale
    if fmt == "xlsx" and not output_path:
        raise CLIError("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output_path:
        _check_output_target(output_path, force)
    if not paths:  # never an implicit "No findings.": standard input is read only when named
        raise CLIError(explain.ui("nothing_to_check", early_lang))
    fixing_mode = apply_fixes or show_diff
    if unsafe_fixes and not fixing_mode:
        raise CLIError("--unsafe-fixes goes with --fix or --diff")
    if fixing_mode and input_ == "jsonl":
        raise CLIError("--fix and --diff rewrite files; a JSONL batch has no file to rewrite")
    if apply_fixes and not show_diff and "-" in paths and (fmt != "text" or output_path or len(paths) > 1):
        raise CLIError("--fix with - prints the fixed text on standard output: give - alone, with --format text "
                       "and no --output")
    options = checking.Options(kind=kind, field=field_, marketplace=marketplace, select=select or None,
                               extend_select=extend_select, ignore=ignore, allow_domains=allow_domain,
                               brands=brand, config_path=config_path, use_config=not no_config)
    try:
        if config_path and not os.path.isfile(config_path):
            raise InputError(f"{config_path}: no such configuration file")
        stdin_name = stdin_filename or "<stdin>"
        if input_ == "jsonl":
            items = [item for path in paths for item in read_jsonl(path, encoding)]
        else:
            files = expand_paths(paths)
            if only_buyer_facing:
                runner = checking.Runner(options)
                files = [p for p in files if p != "-" and runner.config_for(p).is_buyer_facing(p)]
            items = _file_items(files, options, kind, stdin_name, encoding)
        runner = checking.Runner(options)
        configs = [runner.config_for(item.path) for item in items[:1]]
        # one language for the whole output: the option, else the first file's configuration, else the locale
        lang = explain.choose(explain_lang, next((c.explain_lang for c in configs if c.explain_lang), None))
        options = dataclasses.replace(options, explain_lang=lang)
        n_jobs = jobs or os.cpu_count() or 1
        progress = _progress(len(items))
        try:
            reports = checking.check_all(options, items, jobs=n_jobs, progress=progress.advance if progress else None)
        finally:
            if progress:
                progress.stop()
        level = checking.fail_level(fail_on, configs)
        if fixing_mode:
            from msglint import fixcli
            outcome = fixcli.run(options, items, reports, unsafe=unsafe_fixes, diff=show_diff, encoding=encoding,
                                 lang=lang, stdin_name=stdin_name if "-" in paths else None)
            if show_diff:
                failed = any(f.severity.rank >= level.rank for rep in reports for f in rep.findings)
                sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)
            reports = outcome.reports
            if outcome.stdin_text is not None:  # - : the fixed text on stdout, what remains on stderr
                sys.stdout.write(outcome.stdin_text)
                sys.stdout.flush()
                output.write_text(sys.stderr, [(_label(items[0]), reports[0])], False, lang=lang)
                failed = any(f.severity.rank >= level.rank for f in reports[0].findings)
                sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)
    except InputError as exc:
        raise _input_error(exc, early_lang) from None
    except ConfigError as exc:
        raise CLIError(str(exc)) from None

    if output_path and fmt != "xlsx":
        import io
        out = io.StringIO()
    else:
        out = sys.stdout
    labelled = [(_label(item), rep) for item, rep in zip(items, reports)]
    cells = [_cell(item) for item in items]
    extras = [_extra(item) for item in items]
    if fmt == "xlsx":
        _write_atomic(output_path, output.xlsx_bytes(
            [(item.path, rep, cell) for item, rep, cell in zip(items, reports, cells)], __version__), force)
    elif statistics and fmt == "text":
        output.write_statistics(out, labelled, lang)
    elif fmt == "jsonl" and input_ == "jsonl":
        output.write_jsonl_batch(out, [(item.id, rep) for item, rep in zip(items, reports)])
    elif fmt == "jsonl":
        output.write_jsonl_files(out, [(item.location or item.path, rep, extra)
                                       for item, rep, extra in zip(items, reports, extras)])
    elif fmt == "json":
        output.write_json(out, [("id", item.id, rep) if input_ == "jsonl" else
                                ("path", item.location or item.path, rep, extra)
                                for item, rep, extra in zip(items, reports, extras)], __version__)
    elif fmt == "sarif":
        from msglint.ruledocs import all_rules
        output.write_sarif(out, [(item.path if item.id is None else f"{item.path}#{item.id}", rep, cell)
                                 for item, rep, cell in zip(items, reports, cells)], all_rules(), __version__)
    elif fmt == "github":
        output.write_github(out, [(label, rep, cell) for (label, rep), cell in zip(labelled, cells)])
    else:
        use_color = (out.isatty() and not output_path) if color is None else color
        for item in items:
            if item.mail is not None and item.mail.attachments:
                out.write(_attachment_line(item))
        output.write_text(out, labelled, use_color, cells={item.location for item in items if item.location},
                          lang=lang)
    if output_path and fmt != "xlsx":
        _write_atomic(output_path, out.getvalue(), force)
    if output_path:
        click.echo(f"msglint: wrote {output_path}", err=True)
    if statistics and fmt != "text":
        output.write_statistics(sys.stderr, labelled, lang)
    failed = any(f.severity.rank >= level.rank for rep in reports for f in rep.findings)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)


def _file_items(paths, options, kind, stdin_name, encoding=None) -> list:
    """Items to check: whole files, the listing cells of Amazon inventory files, the seller's text of e-mails."""
    from msglint import checking
    from msglint.inventory import is_inventory_file, read_inventory
    from msglint.mail import is_mail_file, read_mail_file
    runner = checking.Runner(options)
    items = []
    for p in paths:
        if p != "-" and is_mail_file(p):
            items.extend(Item(text=m.text, path=p, mail=m) for m in read_mail_file(p))
            continue
        if p != "-":
            wanted = kind or runner.config_for(p).kind_for(p)
            spreadsheet = p.lower().endswith((".xlsx", ".xlsm", ".csv"))
            if (wanted == "listing" or spreadsheet) and is_inventory_file(p):
                for cell in read_inventory(p):
                    items.append(Item(text=cell.text, path=cell.path, kind="listing", field=cell.field,
                                      brand=cell.brand, marketplace=cell.marketplace, location=cell.location,
                                      row=cell.row, column=cell.column, sku=cell.sku))
                continue
        items.append(Item(text=read_text(p, encoding), path=stdin_name if p == "-" else p))
    return items


def _cell(item: Item):
    """The inventory-file cell an item is, for SARIF/GitHub/xlsx locations (None for other items)."""
    from msglint.output import Cell
    return Cell(item.path, item.row, item.column, item.sku) if item.row is not None else None


def _extra(item: Item) -> dict:
    """Keys added to an item's JSON record (wire schema 1.2)."""
    if item.row is not None:
        return {"file": item.path, "row": item.row, "column": item.column, "sku": item.sku}
    if item.mail is not None:
        return {"mail": {"first_line": item.mail.first_line,
                         "attachments": [a.to_dict() for a in item.mail.attachments]}}
    return {}


def _attachment_line(item: Item) -> str:
    parts = [f"{a.filename} ({a.content_type}, {a.size} bytes{'' if a.allowed else ', not accepted by Amazon'})"
             for a in item.mail.attachments]
    return f"{item.path}:{item.mail.first_line}: attachments: {'; '.join(parts)}\n"


class _Progress:
    def __init__(self, total: int):
        from rich.progress import Progress
        from rich.console import Console
        self._p = Progress(console=Console(file=sys.stderr), transient=True)
        self._task = self._p.add_task("checking", total=total)
        self._p.start()

    def advance(self, n: int = 1) -> None:
        self._p.advance(self._task, n)

    def stop(self) -> None:
        self._p.stop()


def _progress(total: int):
    """A progress bar on stderr, only on a terminal and only for many files."""
    return _Progress(total) if total >= 20 and sys.stderr.isatty() else None


def _label(item: Item) -> str:
    if item.location:
        return item.location
    return f"{item.path}[{item.id}]" if item.id is not None else item.path


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep loopback unless MSGLINT_TOKEN is set.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--max-body", "max_body", default=256 * 1024, show_default=True, type=click.IntRange(min=1),
              metavar="BYTES", help="Larger request bodies get 413.")
@click.option("--timeout", default=5.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Time limit per check; a check that exceeds it is stopped and answers 503 "
                                      "\"error\".")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Checking processes (the first takes only short texts).")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(min=16),
              help="Open connections; past it the longest-waiting idle one is closed.")
@click.option("--marketplace", "-m", "served", multiple=True, callback=lambda ctx, p, v: tuple(
    _marketplace(ctx, p, code) for code in v), help="Check only this marketplace (repeatable; default: all). "
                                                  "Only its languages are loaded: far less memory.")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="A web origin (https://helpdesk.example.com) whose pages may call the service from a browser "
                   "(CORS; repeatable). Default: none.")
def serve_cmd(host, port, max_body, timeout, workers, max_connections, served, allow_origins) -> None:
    """Run the pre-send HTTP service (POST /v1/check; see docs/service.md) and the drafting desk
    (http://HOST:PORT/desk).

    If MSGLINT_TOKEN is set, /v1/* requires "Authorization: Bearer <token>".
    """
    from msglint.server import serve
    try:
        serve(host, port, max_body=max_body, timeout=timeout, allow_origins=allow_origins, workers=workers,
              max_connections=max_connections, marketplace_codes=served or None)
    except (ValueError, RuntimeError) as exc:
        raise CLIError(str(exc)) from None


@main.command("smtp-gate")
@click.option("--listen", default="127.0.0.1:2525", show_default=True, metavar="HOST:PORT",
              help="Where the mail client or helpdesk connects (keep it on loopback or a private network).")
@click.option("--relay", required=True, metavar="HOST:PORT", help="The upstream SMTP server that sends the mail.")
@click.option("--other-recipients", "other", type=click.Choice(["relay", "refuse"]), default="relay",
              show_default=True, help="Mail to addresses that are not Amazon relay addresses: relay it "
                                      "unchecked, or refuse it.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Time limit per check; a mail whose check exceeds it is refused with 451.")
def smtp_gate_cmd(listen, relay, other, timeout) -> None:
    """An SMTP pre-send gate: mail to Amazon relay addresses is checked, relayed unchanged when clean,
    refused with 550 (naming the findings) when it has errors, and with 451 when the check fails.
    """
    from msglint.smtpgate import parse_address, run_gate
    try:
        run_gate(parse_address(listen, "--listen"), parse_address(relay, "--relay"), other=other, timeout=timeout)
    except (ValueError, RuntimeError) as exc:
        raise CLIError(str(exc)) from None


@main.command("rule")
@click.argument("code")
@explain_lang_option
def rule_cmd(code, explain_lang) -> None:
    """Print the documentation of one rule."""
    from msglint.ruledocs import all_rules, rule_markdown
    rule = next((r for r in all_rules() if r.code == code.upper()), None)
    if rule is None:
        raise CLIError(f"unknown rule code {code!r} (see 'msglint rules')")
    click.echo(rule_markdown(rule, _lang_here(explain_lang)))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@explain_lang_option
def rules_cmd(fmt, explain_lang) -> None:
    """List every rule (markdown: docs/rules.md is generated from it, with --explain-lang zh docs/rules.zh.md)."""
    import json as _json
    from msglint.ruledocs import all_rules, rules_markdown
    rules = all_rules()
    lang = _lang_here(explain_lang)
    if fmt == "json":
        click.echo(_json.dumps([{"code": r.code, "name": r.name, "category": r.category, "kinds": sorted(r.kinds),
                                 "severity": r.severity.value, "summary": explain.summary(r, lang),
                                 "fields": sorted(r.fields) if r.fields else None} for r in rules],
                               ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(rules_markdown(lang), nl=False)
    else:
        for r in rules:
            click.echo(f"{r.code}  {r.name:32} {(r.category or 'msglint'):20} {r.severity.value:8} "
                       f"{explain.summary(r, lang)}")


@main.command("coverage")
def coverage_cmd() -> None:
    """Print the coverage matrix of policy concepts × languages (docs/coverage.md) as Markdown."""
    from msglint.coverage import markdown

    click.echo(markdown(), nl=False)


@main.command("config")
@click.option("--show", is_flag=True, required=True, help="Print the effective configuration.")
@click.argument("path", default=".")
def config_cmd(show, path) -> None:
    """Print the configuration that applies to PATH (default: the current directory)."""
    import json as _json
    from msglint import config as config_mod
    try:
        cfg = config_mod.for_path(path)
    except config_mod.ConfigError as exc:
        raise CLIError(str(exc)) from None
    click.echo(_json.dumps(cfg.to_dict(), ensure_ascii=False, indent=2))


def run() -> None:
    """Entry point: any unexpected failure is one line on stderr and exit 2, never a traceback.

    The cyclic garbage collector is off while the modules are imported (``_start_up_done`` turns it
    on again): start-up makes only objects that live as long as the process, and the collector's
    passes over spaCy's and msglint's modules were ~0.1 s of a one-message check. What the process
    made is frozen before it exits, so that the interpreter's last collection does not walk it all
    again (~0.1 s): every report is written and closed by then, and standard output is flushed as usual.
    """
    gc.disable()
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
    finally:
        gc.freeze()


# --- templates and drafting --------------------------------------------------------------------

_LINTERS: dict = {}


def _linter_for(marketplace: str, explain_lang: str = "en") -> Linter:
    from msglint.linter import Linter
    if (marketplace, explain_lang) not in _LINTERS:
        _LINTERS[marketplace, explain_lang] = Linter(marketplace=marketplace, explain_lang=explain_lang)
    return _LINTERS[marketplace, explain_lang]


def _catalogue(kind: str = "message"):
    from msglint.drafting import CatalogueError, catalogue_for
    try:
        return catalogue_for(kind)
    except CatalogueError as exc:
        raise CLIError(str(exc)) from None


def _scenario(scenario_id: str):
    """A scenario of the reply catalogue or the Plan-of-Action catalogue (exit 2 when there is none)."""
    from msglint.drafting import CatalogueError, find_scenario
    try:
        return find_scenario(scenario_id)
    except CatalogueError as exc:
        raise CLIError(str(exc)) from None
    except KeyError:
        raise CLIError(f"unknown scenario {scenario_id!r} (see 'msglint templates list' and "
                       f"'msglint templates list --kind appeal')") from None


@main.group()
def templates() -> None:
    """The library of compliant reply templates."""


@templates.command("list")
@click.option("--lang", default=None, help="Only scenarios available in this language.")
@click.option("--kind", type=click.Choice(["message", "appeal"]), default="message", show_default=True,
              help="Buyer-message replies, or Plan-of-Action appeals to Seller Performance.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@explain_lang_option
def templates_list(lang, kind, fmt, explain_lang) -> None:
    """List the reply scenarios (--kind appeal: the Plan-of-Action templates)."""
    import json as _json
    cat = _catalogue(kind)
    ui_lang = _lang_here(explain_lang)
    scenarios = [s for s in cat.scenarios if lang is None or lang in s.languages]
    if fmt == "json":
        rows = [{"id": s.id, "title": explain.scenario_title(s, ui_lang), "message_type": s.message_type,
                 "unprompted": s.unprompted,
                 "languages": list(s.languages), "variables": [v.to_dict() for v in s.variables],
                 **({"kind": s.kind, "sections": [x.to_dict() for x in s.sections]} if s.kind != "message" else {})}
                for s in scenarios]
        click.echo(_json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max((len(s.id) for s in scenarios), default=10)
    for s in scenarios:
        click.echo(f"{s.id:{width}}  {s.message_type:27}  {','.join(s.languages):17}  {explain.scenario_title(s, ui_lang)}")
    click.echo(explain.ui("n_scenarios", ui_lang, n=len(scenarios)))


@templates.command("show")
@click.argument("scenario_id")
@click.option("--lang", default="en", show_default=True)
@explain_lang_option
def templates_show(scenario_id, lang, explain_lang) -> None:
    """Show a scenario: when to use it, its message type and variables, and its template."""
    from msglint.drafting import template_source
    s = _scenario(scenario_id)
    try:
        source = template_source(s.id, lang)
    except KeyError as exc:
        raise CLIError(f"unknown scenario or language: {exc.args[0]} (see 'msglint templates list')") from None
    if _lang_here(explain_lang) == "zh":
        _show_in_chinese(s, lang, source)
        return
    click.echo(f"{s.id}: {s.title.get('en')}  /  {s.title.get('zh', '')}")
    click.echo(f"when to use: {s.when.get('en', '')}")
    click.echo(f"适用场景: {s.when.get('zh', '')}")
    click.echo(f"message type: {s.message_type} (up to {s.limit} characters){', critical' if s.critical else ''}"
               f"{'; usually sent unprompted' if s.unprompted else ''}")
    click.echo(f"languages: {', '.join(s.languages)}")
    for x in s.sections:     # a Plan of Action: what each section must say (in both languages)
        click.echo(f"section {x.title['en']} / {x.title['zh']}: {x.guide['en']}")
        click.echo(f"  {x.guide['zh']}")
    click.echo("variables:")
    for v in s.variables:
        options = v.choices_for(lang)     # a carrier variable: the carriers of the language's marketplace
        extra = f" one of {', '.join(options)}" if options else ""
        click.echo(f"  {v.name:22} {v.type:9} {'required' if v.required else 'optional':9} e.g. {v.example_for(lang)}{extra}")
    prefix = "appeals/" if s.kind == "appeal" else ""
    click.echo(f"--- {prefix}{lang}/{s.id}.txt.j2 ---")
    click.echo(source.rstrip("\n"))


def _show_in_chinese(s, lang: str, source: str) -> None:
    """``templates show`` for a Chinese-speaking agent: the scenario and each variable explained in Chinese."""
    def t(key, **params):
        return explain.ui(key, "zh", **params)
    click.echo(f"{s.id}：{explain.scenario_title(s, 'zh')}  /  {s.title.get('en', '')}")
    click.echo(f"{t('show_when')}：{explain.scenario_when(s, 'zh')}")
    click.echo(t("show_type", type=s.message_type, limit=s.limit, critical=t("show_critical") if s.critical else ""))
    click.echo(f"{t('show_languages')}：{', '.join(s.languages)}")
    for x in s.sections:
        click.echo(f"{t('show_section')}「{x.title['zh']}」（{x.title['en']}）：{x.guide['zh']}")
    click.echo(t("show_variables"))
    for v in s.variables:
        need = t("show_required") if v.required else t("show_optional")
        extra = f"，{t('show_one_of')}：{' / '.join(map(str, v.choices))}" if v.choices else ""
        click.echo(f"  {v.name:22} {explain.type_name(v.type, 'zh')}，{need}，{t('show_example')} {v.example_for(lang)}{extra}")
        click.echo(f"  {'':22} {explain.variable_help(v.name, 'zh', s.id, v.help)}")
    prefix = "appeals/" if s.kind == "appeal" else ""
    click.echo(f"--- {prefix}{lang}/{s.id}.txt.j2 ---")
    click.echo(source.rstrip("\n"))


def _parse_sets(pairs) -> dict:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise CLIError(f"--set {pair!r}: expected name=value")
        name, value = pair.split("=", 1)
        values[name.strip()] = value
    return values


def _write_atomic(path: str, text, force: bool) -> None:
    """Write ``--output`` atomically, only to a regular file, never overwriting without ``force``."""
    from msglint.safewrite import WriteError, write_file
    try:
        write_file(path, text, force)
    except WriteError as exc:
        raise CLIError(str(exc)) from None


def _check_output_target(path: str, force: bool) -> None:
    """Refuse a bad ``--output`` before any work is done (write_file checks again, atomically)."""
    from msglint.safewrite import WriteError, check_target
    try:
        check_target(path, force)
    except WriteError as exc:
        raise CLIError(str(exc)) from None


def _report_draft(d, lang: str = "en") -> None:
    for problem in d.problems:
        click.echo(f"msglint: draft: error: {explain.draft_problem(problem, lang)}", err=True)
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
@click.option("--kind", type=click.Choice(["message", "appeal"]), default="message", show_default=True,
              help="The interactive assistant's catalogue: buyer-message replies or Plan-of-Action appeals.")
@encoding_option
@explain_lang_option
def draft_cmd(scenario_id, lang, sets, sample, marketplace, output, force, incoming, kind, encoding,
              explain_lang) -> None:
    """Draft a reply: non-interactively with SCENARIO_ID, or the interactive assistant without it.

    Exit codes: 0 the draft is on stdout (or in --output), 1 the draft has error findings (on stderr),
    2 a missing or invalid variable, an unknown scenario, or an existing --output without --force.
    """
    from msglint.drafting import CatalogueError, VariableError, draft
    ui_lang = _lang_here(explain_lang)
    values = _parse_sets(sets)
    if output:
        _check_output_target(output, force)
    if scenario_id is None:
        from msglint import assistant
        suggestions = None
        if incoming:
            try:
                from msglint.suggest import detect_language, suggest
                cat = _catalogue()
                incoming_text = read_text(incoming, encoding)
                if not incoming_text.strip():
                    raise InputError(explain.ui("empty_incoming", ui_lang, path=incoming))
                suggestions = [cat.get(s.scenario_id) for s in suggest(incoming_text)]
                lang = lang or detect_language(incoming_text)  # reply in the buyer's language by default
            except InputError as exc:
                raise _input_error(exc, ui_lang) from None
        if kind == "appeal" and incoming:
            raise CLIError("--from suggests buyer-message replies; it does not go with --kind appeal")
        d = assistant.run(lambda mp: _linter_for(mp, ui_lang), lang, marketplace, values, suggestions,
                          ui_lang=ui_lang, kind=kind)
        if d is None:
            sys.exit(EXIT_CLEAN)
    else:
        scenario = _scenario(scenario_id)
        lang = lang or "en"
        try:
            d = draft(scenario_id, lang, values, _linter_for(marketplace or _default_mp(lang), ui_lang),
                      marketplace=marketplace, use_examples=sample)
        except VariableError as exc:
            var = scenario.variable(exc.name)
            if ui_lang != "en" and var is not None:  # a known variable: say what is wrong with it in Chinese
                raise CLIError(explain.invalid_value(var, str(values.get(exc.name) or ""), exc, ui_lang)) from None
            raise CLIError(f"variable {exc}") from None
        except CatalogueError as exc:
            raise CLIError(str(exc)) from None
        _report_draft(d, ui_lang)
        if not d.ok:
            click.echo(d.text, nl=False)
            sys.exit(EXIT_FINDINGS)
    if output:
        _write_atomic(output, d.text, force)
        click.echo(f"msglint: {explain.ui('wrote', ui_lang, path=output)}", err=True)
    else:
        click.echo(d.text, nl=False)
    sys.exit(EXIT_CLEAN)


def _default_mp(lang: str) -> str:
    from msglint.drafting import LANG_MARKETPLACE
    return LANG_MARKETPLACE.get(lang, "US")


@main.command("suggest")
@click.argument("incoming")
@click.option("--lang", type=click.Choice(["en", "de", "fr", "es", "it", "ja"]), default=None,
              help="Language of the buyer's message (default: detected).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@encoding_option
@explain_lang_option
def suggest_cmd(incoming, lang, fmt, encoding, explain_lang) -> None:
    """Rank the reply scenarios that answer a buyer's message (a file, or - for stdin)."""
    import json as _json
    from msglint.suggest import suggest
    ui_lang = _lang_here(explain_lang)
    try:
        text = read_text(incoming, encoding)
    except InputError as exc:
        raise _input_error(exc, ui_lang) from None
    if not text.strip():
        raise CLIError(explain.ui("empty_incoming", ui_lang, path=incoming))
    cat = _catalogue()
    try:
        results = suggest(text, lang=lang, top=3)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    def title(r):
        return explain.scenario_title(cat.get(r.scenario_id), ui_lang)

    def reason(r):
        return explain.suggest_reason(r.scenario_id, r.reason, ui_lang)

    if fmt == "json":
        click.echo(_json.dumps([{"id": r.scenario_id, "title": title(r), "score": round(r.score, 3),
                                 "reason": reason(r)} for r in results], ensure_ascii=False, indent=2))
        return
    sep = "：" if ui_lang == "zh" else ": "
    for i, r in enumerate(results, 1):
        click.echo(f"{i}. {r.scenario_id} — {title(r)}{sep}{reason(r)}")


# --- evaluation -------------------------------------------------------------------------------


@main.command("eval")
@click.argument("corpus", type=click.Path(dir_okay=False))
@click.option("--only", default="", metavar="CATEGORIES", help="Comma-separated categories to report.")
@click.option("--misses", type=click.IntRange(min=0), default=0, metavar="N",
              help="Also print up to N missed and N false findings (with their texts).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@explain_lang_option
def eval_cmd(corpus, only, misses, as_json, explain_lang) -> None:
    """Score the rules on a labelled corpus (JSON Lines as in ../shared/corpus): precision and recall per category."""
    import json as _json

    from msglint.evaluate import evaluate, read_corpus, table
    ui_lang = _lang_here(explain_lang)
    try:
        records = read_corpus(corpus)
    except InputError as exc:
        raise CLIError(str(exc)) from None
    wanted = {c.strip() for c in only.split(",") if c.strip()}
    ev = evaluate(records, lambda mp: _linter_for(marketplaces.get(mp).code, ui_lang), wanted or None)
    if as_json:
        click.echo(_json.dumps(ev.as_dict(), ensure_ascii=False))
        return
    for line in table(ev):
        click.echo(line)
    click.echo(explain.ui("eval_clean", ui_lang, clean=ev.clean, errors=ev.clean_with_error,
                          rate=f"{ev.clean_error_rate:.1%}"))
    for c, rid, text in ev.misses[:misses]:
        click.echo(f"MISSED {c:20} {rid}: {text[:160]!r}")
    for c, rid, spans in ev.false_alarms[:misses]:
        click.echo(f"FALSE  {c:20} {rid}: {spans}")
