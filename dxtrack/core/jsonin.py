"""JSON from outside, parsed within bounds.

Python's json module recurses once per nesting level: 200 KB of "[" raise RecursionError, which no
caller expects, so the server answered 500. Every JSON a client sends goes through `loads`, which
measures the nesting first (strings removed, then one pass over the brackets, both in C) and
refuses a document deeper than any form of ours can be, with a Vietnamese message.
"""

import json
import re
from itertools import accumulate

# No request of ours nests deeper than a handful of levels (DHIS2's dataValueSets: 3).
MAX_DEPTH = 32

# A JSON string, written as "unrolled loop" (runs of plain characters, then one escape at a time):
# the same matches as `"(?:[^"\\]|\\.)*"` at half the cost on a large body.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = str.maketrans({"[": "+", "{": "+", "]": "-", "}": "-"})


class JsonInputError(ValueError):
    """The body is not JSON we take; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).translate(_STEP)
    if not brackets:
        return 0
    return max(accumulate(1 if c == "+" else -1 for c in brackets))


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH):
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonInputError("Nội dung gửi lên phải là văn bản UTF-8.") from None
    if depth(data) > max_depth:
        raise JsonInputError(f"Nội dung JSON lồng nhau quá {max_depth} cấp; không xử lý.")
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise JsonInputError("Nội dung gửi lên không phải JSON hợp lệ.") from None
