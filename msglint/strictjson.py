"""JSON as the batch contract and the service accept it: strict where the standard library is lenient.

``json.loads`` takes the last of two equal keys (so ``{"text": "help@x.com", "text": "hi"}``
checks "hi" although a proxy may have looked at the first), accepts ``NaN``/``Infinity`` (not
JSON; echoing them back produces invalid JSON), decodes ``"\\ud800"`` to a lone surrogate (which
cannot be encoded again) and recurses as deep as the input goes. :func:`loads` refuses all of
these with :class:`StrictJSONError`, whose message is one line and never quotes a value.
"""
from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class StrictJSONError(ValueError):
    """Why a JSON document was refused (one line, no values quoted except key names).

    ``path`` names the value at fault (``text``, ``items[3].id``) when there is one.
    """

    def __init__(self, message: str, path: str = None):
        super().__init__(message)
        self.path = path


def _no_duplicates(pairs: list) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise StrictJSONError(f"duplicate key {_name(key)}")
        out[key] = value
    return out


def _no_constant(name: str):
    raise StrictJSONError(f"{name} is not valid JSON")


def _name(key: str) -> str:
    """A key for a message: quoted, cut to 40 characters, lone surrogates and controls escaped."""
    shown = key if len(key) <= 40 else key[:37] + "..."
    return "'" + shown.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def loads(document, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``document`` (str or UTF-8 bytes); StrictJSONError for anything not plainly valid JSON."""
    try:
        value = json.loads(document, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except StrictJSONError:
        raise
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise StrictJSONError(f"malformed JSON (nested deeper than {max_depth} levels)") from None
    except UnicodeDecodeError:
        raise StrictJSONError("malformed JSON (not UTF-8)") from None
    except ValueError:  # e.g. an integer of more digits than Python converts
        raise StrictJSONError("malformed JSON (a number too large)") from None
    _check_tree(value, max_depth)
    return value


def _check_tree(root: Any, max_depth: int) -> None:
    """Depth and lone surrogates, walked without recursion."""
    stack = [(root, 1, "")]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, (dict, list)) and depth > max_depth:
            raise StrictJSONError(f"malformed JSON (nested deeper than {max_depth} levels)")
        if isinstance(node, dict):
            for key, value in node.items():
                if not _encodable(key):
                    raise StrictJSONError(f"{path or 'a'} key is not valid Unicode (lone surrogate)", path or "")
                stack.append((value, depth + 1, f"{path}.{key}" if path else key))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, f"{path}[{i}]") for i, value in enumerate(node))
        elif isinstance(node, str) and not _encodable(node):
            shown = path if len(path) <= 60 else path[:57] + "..."
            raise StrictJSONError(f"{shown or 'the value'}: not valid Unicode (lone surrogate)", path)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
