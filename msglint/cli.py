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
