"""Reading what the user asked us to check: files, stdin, JSONL batches. Errors are InputError."""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from typing import Iterator, Optional

TEXT_SUFFIXES = (".txt", ".text", ".md", ".eml", ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl")


class InputError(Exception):
    """A problem with the user's input, reported as one line and exit code 2."""


@dataclass(frozen=True)
class Item:
    """One text to check: from a file (``path``) or a JSONL record (``id``)."""

    text: str
    path: str
    id: Optional[str] = None
    kind: Optional[str] = None
    marketplace: Optional[str] = None
    field: Optional[str] = None
    brand: Optional[str] = None
    line: Optional[int] = None  # line of the JSONL record
    location: Optional[str] = None  # "file:row:column-name" for an inventory-file cell


_JSONL_KEYS = ("id", "text", "kind", "marketplace", "field", "brand")
# accepted and ignored: the labelled corpus format (../shared/corpus, tests/data/heldout.jsonl,
# scored by piping it through this command) annotates each record with these
_JSONL_ANNOTATIONS = ("labels", "note")


def _not_regular(path: str, st: os.stat_result) -> InputError:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
    kind = next((name for test, name in kinds if test(st.st_mode)), "not a regular file")
    if kind == "a directory":
        return InputError(f"{path}: is a directory")
    return InputError(f"{path}: is {kind}, not a regular file (refused)")


def require_regular_file(path: str) -> os.stat_result:
    """The file's stat (following symbolic links); InputError unless it is a regular file.

    FIFOs, devices, sockets (and links to them) are refused before anything opens them: reading
    a FIFO waits for a writer forever, /dev/zero never ends.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st)
    return st


def _read_regular_file(path: str) -> bytes:
    """The bytes of a regular file; checked by stat before opening, and on the open descriptor
    (opened non-blocking, so a file swapped for a FIFO in between cannot make us wait)."""
    require_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def read_text(path: str) -> str:
    """The text of ``path`` ('-' = stdin) as UTF-8; InputError for missing, non-regular or undecodable files."""
    if path == "-":
        data = sys.stdin.buffer.read()
        where = "<stdin>"
    else:
        data = _read_regular_file(path)
        where = path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text[1:] if text.startswith("\ufeff") else text


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files named, plus text-like files found under directories (sorted).

    Every file is checked to be a regular file (InputError otherwise), and a directory that
    cannot be read is an InputError too: nothing is skipped silently.
    """
    out: list[str] = []

    def unreadable(exc: OSError) -> None:
        raise InputError(f"{exc.filename}: cannot read directory ({exc.strerror})")

    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(TEXT_SUFFIXES):
                        found = os.path.join(root, name)
                        require_regular_file(found)
                        out.append(found)
        else:
            if path != "-":
                require_regular_file(path)
            out.append(path)
    return out


def read_jsonl(path: str) -> Iterator[Item]:
    """Records ``{"id", "text", "kind"?, "marketplace"?, "field"?, "brand"?}``, one per line, all validated first.

    Lines end at "\n" only (a raw U+2028 or U+0085 inside a JSON string is valid JSON); a
    "\r" before it is dropped. Unknown keys, duplicate keys, NaN, lone surrogates, deep nesting
    and ids that are not strings or integers are refused, naming the file and line.
    """
    from msglint.strictjson import StrictJSONError, loads

    text = read_text(path)
    where = "<stdin>" if path == "-" else path
    items = []
    for n, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(" \t"):
            continue
        try:
            obj = loads(line)
        except StrictJSONError as exc:
            raise InputError(f"{where}:{n}: {exc}") from None
        if not isinstance(obj, dict):
            raise InputError(f"{where}:{n}: expected a JSON object")
        unknown = sorted(set(obj) - set(_JSONL_KEYS) - set(_JSONL_ANNOTATIONS))
        if unknown:
            name = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:37] + "..."
            raise InputError(f"{where}:{n}: unknown key {name!r} (allowed: {', '.join(sorted(_JSONL_KEYS))}; "
                             f"ignored: {', '.join(_JSONL_ANNOTATIONS)})")
        if "text" not in obj or not isinstance(obj["text"], str):
            raise InputError(f"{where}:{n}: missing string field 'text'")
        if "id" not in obj:
            raise InputError(f"{where}:{n}: missing field 'id'")
        if not isinstance(obj["id"], (str, int)) or isinstance(obj["id"], bool):
            raise InputError(f"{where}:{n}: field 'id' must be a string or an integer")
        for key in ("kind", "marketplace", "field", "brand"):
            if obj.get(key) is not None and not isinstance(obj[key], str):
                raise InputError(f"{where}:{n}: field '{key}' must be a string")
        items.append(Item(text=obj["text"], path=where, id=obj["id"], kind=obj.get("kind"),
                          marketplace=obj.get("marketplace"), field=obj.get("field"),
                          brand=obj.get("brand"), line=n))
    return iter(items)
