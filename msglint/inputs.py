"""Reading what the user asked us to check: files, stdin, JSONL batches. Errors are InputError."""
from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from dataclasses import dataclass
from typing import Iterator, Optional

from msglint.lazyre import lazy

TEXT_SUFFIXES = (".txt", ".text", ".md", ".eml", ".mbox", ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl")


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
    row: Optional[int] = None       # inventory-file cell: its spreadsheet row,
    column: Optional[str] = None    # ... its column's machine name,
    sku: Optional[str] = None       # ... and the row's SKU (item_sku), when the file has one
    mail: Optional[object] = None   # an e-mail's seller text: msglint.mail.MailText (positions in the file)


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


class DecodeError(InputError):
    """Bytes that are not valid in the encoding they were read with; says which encoding looks right."""

    def __init__(self, where: str, encoding: str, data: bytes, offset: int, hint: Optional[str] = None):
        self.where, self.encoding, self.offset, self.hint = where, encoding, offset, hint
        self.byte = data[offset] if offset < len(data) else 0
        super().__init__(self.describe("en"))

    def describe(self, lang: str = "en") -> str:
        """The one-line error in ``lang`` (en or zh)."""
        from msglint.explain import ui
        text = ui("not_valid_encoding", lang, where=self.where, encoding=_display(self.encoding),
                  byte=f"{self.byte:02x}", offset=self.offset)
        if self.hint == "gb18030":
            text += ui("hint_gb18030", lang)
        elif self.hint in ("shift_jis", "cp932"):
            text += ui("hint_shift_jis", lang, encoding=self.hint)
        elif self.hint == "utf-16":
            text += ui("hint_utf16", lang)
        return text


def _display(encoding: str) -> str:
    return "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding


def check_encoding(encoding: Optional[str]) -> Optional[str]:
    """``encoding`` when Python knows it (utf-8, gb18030, gbk, shift_jis, cp932, utf-16, ...); InputError otherwise."""
    if encoding is None:
        return None
    try:
        codecs.lookup(encoding)
    except LookupError:
        from msglint.explain import ui
        raise InputError(ui("unknown_encoding", "en", encoding=encoding)) from None
    return encoding


def read_text(path: str, encoding: Optional[str] = None) -> str:
    """The text of ``path`` ('-' = stdin), decoded as ``encoding`` (default UTF-8; a leading BOM is dropped).

    InputError for missing files and for what is not a regular file (a FIFO, a device, a link to
    one: refused before it is opened); DecodeError for bytes that are not valid in the encoding, which
    names the encoding the bytes look like (GB18030, Shift-JIS, UTF-16) when one fits.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
        where = "<stdin>"
    else:
        data = _read_regular_file(path)
        where = path
    return decode(data, where, encoding)


def decode(data: bytes, where: str, encoding: Optional[str] = None) -> str:
    """``data`` decoded strictly as ``encoding`` (default UTF-8), without a leading byte-order mark."""
    encoding = check_encoding(encoding) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = guess_encoding(data) if codecs.lookup(encoding).name == "utf-8" else None
        raise DecodeError(where, encoding, data, exc.start, hint) from None
    return text[1:] if text.startswith("\ufeff") else text


# --- which encoding undecodable bytes look like -------------------------------------------------

_HAN = lazy(re.compile, r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = lazy(re.compile, r"[\u3041-\u309f\u30a0-\u30ff]")
_CJK_PUNCT = lazy(re.compile, r"[\u3000-\u303f\uff01-\uff60\u2018-\u201d\u2026\u00b7\u2014]")
_HALFWIDTH_KANA = lazy(re.compile, r"[\uff61-\uff9f]")


def guess_encoding(data: bytes) -> Optional[str]:
    """'utf-16', 'gb18030', 'shift_jis' or 'cp932' when ``data`` (not valid UTF-8) looks like text in it.

    GB18030 decodes almost any bytes, so "decodes" is not enough: the text must be mostly CJK,
    and for Chinese almost every CJK character must be one of GB2312's common ones (Japanese
    Shift-JIS read as GB18030 gives rare characters from GBK's extension rows); for Japanese the
    text must have no half-width katakana (Chinese GBK read as Shift-JIS gives mostly those).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    scores = {}
    for candidate in ("gb18030", "shift_jis", "cp932"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        scores[candidate] = _cjk_score(text, chinese=candidate == "gb18030")
    if "shift_jis" in scores and "cp932" in scores:
        del scores["cp932"]  # both fit: the standard name
    best = max(scores, key=scores.get, default=None)
    return best if best is not None and scores[best] >= 0.9 else None


def _cjk_score(text: str, chinese: bool) -> float:
    """Share of the non-ASCII characters that are plausible CJK text (0 when there are fewer than 2)."""
    wide = [c for c in text if ord(c) > 0x7f and not c.isspace()]
    if len(wide) < 2 or _HALFWIDTH_KANA.search(text):
        return 0.0
    good = 0
    for c in wide:
        if chinese:
            if (_HAN.match(c) or _CJK_PUNCT.match(c)) and _in_gb2312(c):
                good += 1
        elif _HAN.match(c) or _KANA.match(c) or _CJK_PUNCT.match(c):
            good += 1
    return good / len(wide)


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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


def read_jsonl(path: str, encoding: Optional[str] = None) -> Iterator[Item]:
    """Records ``{"id", "text", "kind"?, "marketplace"?, "field"?, "brand"?}``, one per line, all validated first.

    Lines end at "\n" only (a raw U+2028 or U+0085 inside a JSON string is valid JSON); a
    "\r" before it is dropped. Unknown keys, duplicate keys, NaN, lone surrogates, deep nesting
    and ids that are not strings or integers are refused, naming the file and line.
    """
    from msglint.strictjson import StrictJSONError, loads

    text = read_text(path, encoding)
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
