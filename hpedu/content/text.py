"""Control characters: kept out of loaded content and out of every message.

A content file or a file name can hold terminal escape sequences (ESC, the
C1 controls, a lone carriage return). Printed raw they would recolour, move
or clear the learner's terminal, so:

- `clean` replaces them in loaded text with U+FFFD (the loader reports where);
- `printable` escapes them (`\\x1b`) in anything quoted in a message, such
  as a path or a value from the command line.

Tab and the line feed are ordinary text and are kept.
"""

from __future__ import annotations

import re

__all__ = ["CONTROL", "REPLACEMENT", "clean", "control_problems", "describe", "printable"]

# C0 controls except tab and line feed, DEL, and the C1 controls (U+0080..U+009F).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"

_NAMES = {
    "\x00": "NUL", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\x0d": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x9b": "CSI",
}


def describe(char: str) -> str:
    """`U+001B (escape)`: a control character named for a message."""
    name = _NAMES.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def clean(text: str) -> str:
    """`text` with every control character replaced by U+FFFD."""
    return CONTROL.sub(REPLACEMENT, text)


def control_problems(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, message) for each line of `text` that holds control characters.

    One message per line, naming the first such character and its column.
    Runs in one pass over `text`.
    """
    out: list[tuple[int, str]] = []
    last_line = -1
    line, line_start, pos = first_line, 0, 0
    for match in CONTROL.finditer(text):
        # count the line feeds between the previous match and this one
        start = match.start()
        newlines = text.count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, start) + 1
        pos = start
        if line != last_line:
            last_line = line
            column = start - line_start + 1
            out.append((line, f"control character {describe(match.group())} at column {column} "
                              f"replaced by U+FFFD (only tab and line breaks are allowed)"))
    return out


def printable(value: object, limit: int | None = None) -> str:
    """`str(value)` with control characters escaped (`\\x1b`), safe to print.

    With `limit`, a longer text is cut to its first `limit` characters and
    ends with `… (N characters)`.
    """
    text = str(value)
    cut = ""
    if limit is not None and len(text) > limit:
        text, cut = text[:limit], f"… ({len(text):,} characters)"
    if CONTROL.search(text) or _SURROGATE.search(text):
        text = _SURROGATE.sub(_escape_surrogate, text)
        text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text + cut


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


# Lone surrogates: undecodable bytes of a file name or argument (surrogateescape).
_SURROGATE = re.compile(r"[\ud800-\udfff]")
