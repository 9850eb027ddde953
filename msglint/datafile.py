"""Reading msglint's YAML data files with errors that name the file and line.

Word lists, language files, declarative rules and concepts are edited by people who are not
programmers. A mistake in one of them must stop msglint with one line that says where it is
("wordlists/review/de.yml:14: 'terms.incentive' must be a list of phrases"), never with a
traceback or, worse, silently. ``load`` parses a file and keeps the YAML node tree so that
``DataError`` can point at the line of any key or value.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

# the C loader when PyYAML has it (the suggest cue file and the catalogue are large)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_load(text):
    return yaml.load(text, Loader=_Loader)


class DataError(ValueError):
    """A data file is malformed; the message starts with ``path:line:``."""


@dataclass(frozen=True)
class DataFile:
    path: Path
    data: Any
    text: str

    @property
    def node(self):
        """The YAML node tree, for line numbers (composed only when a mistake is reported)."""
        return yaml.compose(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def line_of(self, *keys) -> int:
        """1-based line of the value at ``keys`` (mapping keys or list indices), or of the nearest parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else 1
        for key in keys:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key or (isinstance(key, int) and k.value == str(key)):
                        nxt = v
                        line = k.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                nxt = node.value[key]
                line = nxt.start_mark.line + 1
            if nxt is None:
                break
            node = nxt
        return line

    def error(self, message: str, *keys) -> DataError:
        return DataError(f"{self.path}:{self.line_of(*keys)}: {message}")


def _cache_file(text: str) -> Path:
    from msglint.lexicon import _cache_dir

    key = hashlib.sha1(f"{yaml.__version__}|{text}".encode("utf-8")).hexdigest()
    return _cache_dir() / "data" / (key + ".json")


def _read_cached(cache: Path) -> Any:
    try:
        with open(cache, encoding="utf-8") as fh:
            return json.load(fh)["data"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cached(cache: Path, data: Any) -> None:
    """Written only when JSON gives back exactly what YAML read (no dates, no non-string keys)."""
    from msglint.lexicon import _write_cache

    try:
        if json.loads(json.dumps(data, ensure_ascii=False)) != data:
            return
    except (TypeError, ValueError):
        return
    _write_cache(cache, {"data": data})  # atomic; an unwritable cache directory only costs the time


@lru_cache(maxsize=None)
def load(path: Path) -> DataFile:
    """Parse ``path``; a YAML syntax error becomes a DataError naming the line.

    What a file parses to is kept as JSON in the cache directory, keyed by a hash
    of the file's text: a cold start then reads JSON (C speed) instead of constructing YAML in Python.
    """
    text = Path(path).read_text("utf-8")
    cache = _cache_file(text)
    data = _read_cached(cache)
    if data is not None:
        return DataFile(Path(path), data, text)
    try:
        data = _yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    data = data if data is not None else {}
    _write_cached(cache, data)
    return DataFile(Path(path), data, text)


def expect_mapping(f: DataFile, value: Any, *keys) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise f.error(f"'{'.'.join(map(str, keys)) or 'the file'}' must be a mapping", *keys)
    return value


def expect_phrases(f: DataFile, value: Any, *keys) -> list[str]:
    """A list of phrases (strings or numbers); an empty or missing value is an empty list."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if type(value) is list and set(map(type, value)) == {str}:
        return list(value)  # the usual list of strings, checked at C speed: a cold start checks every word list
    where = ".".join(map(str, keys))
    if not isinstance(value, list):
        raise f.error(f"'{where}' must be a list of phrases", *keys)
    for i, v in enumerate(value):
        if isinstance(v, bool):
            # YAML reads bare yes/no/on/off as true/false
            raise f.error(f"'{where}' item {i + 1} was read as {str(v).lower()}: put the word in quotes (\"no\")",
                          *keys, i)
        if not isinstance(v, (str, int, float)):
            raise f.error(f"'{where}' item {i + 1} must be a phrase, not a {type(v).__name__}", *keys, i)
    return [str(v) for v in value]


def check_keys(f: DataFile, mapping: dict, allowed: Iterable[str], *keys,
               required: Iterable[str] = ()) -> None:
    """Unknown keys are mistakes (a misspelt key would otherwise be ignored)."""
    allowed = set(allowed)
    for key in mapping:
        if key not in allowed:
            where = ".".join(map(str, keys + (key,)))
            raise f.error(f"unknown key '{where}' (expected one of: {', '.join(sorted(allowed))})", *keys, key)
    for key in required:
        if key not in mapping:
            where = ".".join(map(str, keys)) or "the file"
            raise f.error(f"'{where}' needs the key '{key}'", *keys)


def optional(path: Path) -> Optional[DataFile]:
    return load(path) if Path(path).is_file() else None
