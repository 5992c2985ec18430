"""JSON from files Songloom did not write: bounded in size, digits, depth and values.

Python's ``json`` turns hostile text into exceptions nobody expects: an integer of more
than 4,300 digits raises a bare ValueError (int conversion limit), ``[[[[...`` raises
RecursionError, ``NaN``/``Infinity`` and ``1e999`` become floats that poison arithmetic
(``int(float("inf"))`` raises OverflowError), and ``"\\ud800"`` becomes a string that
cannot be encoded again. ``parse_json`` refuses each of these with one line saying what
it found; ``load_json_file`` adds the regular-file and size checks of core/io/regular_file.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from core.errors import SongloomError
from core.io.regular_file import read_regular

# Far beyond any number a Songloom file or a model config holds (ticks, sizes, seeds),
# far below Python's 4,300-digit conversion limit.
MAX_DIGITS = 40
MAX_CONFIG_BYTES = 4 * 2**20
MAX_CONFIG_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


# A parsed list or object costs ~60-100 bytes and a tenth of a microsecond or more: 64 MB
# of "[[]]" would become 20 million lists (over a gigabyte, many seconds). Counting the
# brackets and commas first (at C speed; brackets inside strings count too, so this is an
# upper bound) refuses such text before it is parsed. A project at the 500,000-note cap
# with 100,000 syllables has about 0.7 million brackets and 2.4 million commas.
MAX_CONTAINERS = 800_000
MAX_ITEMS = 3_000_000


def size_problem(text: str, max_containers: int = MAX_CONTAINERS,
                 max_items: int = MAX_ITEMS) -> str | None:
    """Why ``text`` holds too many JSON values to parse, or None."""
    containers = text.count("[") + text.count("{")
    if containers > max_containers:
        return f"{containers:,} lists and objects (at most {max_containers:,})"
    items = text.count(",")
    if items > max_items:
        return f"{items:,} values (at most {max_items:,})"
    return None


class JsonContentError(ValueError):
    """Raised inside the parser hooks; carries the one-line reason."""


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise JsonContentError(f"a whole number of {digits:,} digits (at most {MAX_DIGITS})")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 400:
        raise JsonContentError(f"a number written with {len(text):,} characters")
    value = float(text)
    if not math.isfinite(value):
        raise JsonContentError(f"the number {text[:20]} is too large")
    return value


def _parse_constant(name: str) -> Any:
    raise JsonContentError(f"{name} is not a number (JSON has no {name})")


# For json.loads(text, **JSON_HOOKS) where a caller keeps its own error handling. No
# parse_int hook: calling Python for every integer tripled the time to read a 1M-note
# project; the C parser's own int() is used, and its ValueError for a number of more than
# 4,300 digits goes through int_limit_reason(). Floats (rare) and NaN/Infinity are hooked.
JSON_HOOKS = {"parse_float": _parse_float, "parse_constant": _parse_constant}
_DIGITS = re.compile(r"has (\d+) digits")


def int_limit_reason(exc: ValueError) -> str:
    """The one-line reason for a ValueError json.loads raised outside its own decoder
    errors (in practice: Python's 4,300-digit limit on int())."""
    found = _DIGITS.search(str(exc))
    if found:
        return f"a whole number of {int(found.group(1)):,} digits (at most 4,300)"
    return f"broken JSON: {' '.join(str(exc).split())[:200]}"


def shown_number(value) -> str:
    """A number for an error line: a 4,000-digit one is described, not printed."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"a {len(str(abs(value))):,}-digit number"
    return str(value)


def has_lone_surrogate(text: str) -> bool:
    """True for text with half of a UTF-16 pair (from a ``\\ud800`` escape): it cannot be
    written as UTF-8, so it is refused where it is read."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def depth_and_surrogates(value: Any, max_depth: int) -> str | None:
    """Why ``value`` is refused (nested deeper than ``max_depth``, or text holding a lone
    surrogate), or None. Iterative: a deep value cannot exhaust the stack here."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > max_depth:
                return f"nested more than {max_depth} levels deep"
            for k, v in node.items():
                if has_lone_surrogate(k):
                    return "a key holds an invalid character (a lone UTF-16 surrogate)"
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            if depth > max_depth:
                return f"nested more than {max_depth} levels deep"
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and has_lone_surrogate(node):
            return "text holds an invalid character (a lone UTF-16 surrogate)"
    return None


def parse_json(text: str, *, max_depth: int | None = MAX_CONFIG_DEPTH) -> Any:
    """``json.loads`` that raises only ``JsonContentError`` (a ValueError), one line each.

    ``max_depth`` None skips the walk over the result (a caller that validates every field
    itself, like the project reader, need not pay for it)."""
    problem = size_problem(text)
    if problem:
        raise JsonContentError(f"too many values: {problem}")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_parse_constant)
    except JsonContentError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonContentError(f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise JsonContentError("broken JSON: nested too deeply") from None
    except ValueError as exc:  # any other conversion problem
        raise JsonContentError(f"broken JSON: {exc}") from None
    if max_depth is not None:
        why = depth_and_surrogates(value, max_depth)
        if why:
            raise JsonContentError(why)
    return value


def load_json_file(
    path: str | Path,
    *,
    error_cls: type[SongloomError],
    what: str | None = None,
    max_bytes: int = MAX_CONFIG_BYTES,
    max_depth: int = MAX_CONFIG_DEPTH,
    expect: type = dict,
) -> Any:
    """The parsed JSON of a small file (a config), as ``expect`` (dict or list).

    Every problem is ``error_cls`` naming the file: missing, not a regular file, too
    large, not UTF-8, broken or hostile JSON, or the wrong kind of document."""
    path = Path(path)
    what = what or path.name
    raw = read_regular(path, max_bytes=max_bytes, error_cls=error_cls, kind=f"a {what} file",
                       too_large_for=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_cls(f"not UTF-8 text (byte {exc.start})", path) from None
    try:
        value = parse_json(text, max_depth=max_depth)
    except JsonContentError as exc:
        raise error_cls(str(exc), path) from None
    if expect is not None and not isinstance(value, expect):
        names = {dict: "a JSON object ({...})", list: "a JSON list ([...])"}
        raise error_cls(f"expected {names.get(expect, expect.__name__)}, found {_kind(value)}", path)
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")


def bounded_int(value: Any, name: str, lo: int, hi: int, *, error_cls: type[SongloomError],
                path: str | Path | None = None) -> int:
    """``value`` as an int in ``lo..hi`` (not a bool, not a float); else ``error_cls``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise error_cls(f"{name} must be a whole number, found {_kind(value)} {_short(value)}", path)
    if not lo <= value <= hi:
        raise error_cls(f"{name} {value} is out of range ({lo}..{hi})", path)
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
