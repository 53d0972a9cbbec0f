"""The second-edition shape of a glossary entry, checked by the loader.

An entry's body starts with `## Key takeaways` (2 to 4 one-line bullets of
at most 76 characters), then optionally `## Not to be confused with` (one
line), then the rest. The title, summary and takeaways must fit on the first
screen (24 lines at 80 columns) of `hpedu glossary TERM`, in both of its
forms: the Rich rendering on a terminal and the plain text when piped. A
whole entry longer than 60 lines of `hpedu glossary TERM --plain` is a
warning, not an error. Pronunciations are IPA between slashes.

Pure: the line counts are computed here with `textwrap` (Rich wraps on
spaces the same way); a test compares them with Rich's own rendering.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from dataclasses import dataclass

__all__ = [
    "TAKEAWAYS", "NOT_CONFUSED", "MIN_TAKEAWAYS", "MAX_TAKEAWAYS", "MAX_TAKEAWAY_LENGTH",
    "SCREEN_LINES", "SCREEN_WIDTH", "MAX_ENTRY_LINES", "ShapeReport", "check_shape",
    "check_pronunciation", "first_screen_lines",
]

TAKEAWAYS = "## Key takeaways"
NOT_CONFUSED = "## Not to be confused with"
MIN_TAKEAWAYS, MAX_TAKEAWAYS = 2, 4
MAX_TAKEAWAY_LENGTH = 76  # characters of a takeaway line, "- " included
SCREEN_LINES, SCREEN_WIDTH = 24, 80  # the first screen the takeaways must fit on
MAX_ENTRY_LINES = 60  # lines of `hpedu glossary TERM --plain` above which check warns

_HEADING = re.compile(r"^#{1,6}\s")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass
class ShapeReport:
    errors: list[tuple[int, str]]
    warnings: list[tuple[int, str]]


def _cells(text: str) -> int:
    """Terminal cells `text` takes: wide characters count 2, combining marks 0."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _wrapped(text: str, width: int) -> int:
    """Lines `text` takes when word-wrapped at `width` (at least 1)."""
    return max(1, len(textwrap.wrap(text, width))) if text.strip() else 1


def _cut(text: str, width: int) -> int:
    """Lines `text` takes when a terminal of `width` columns folds it (plain output)."""
    return max(1, math.ceil(_cells(text) / width))


def _inline(text: str) -> str:
    """Markdown inline markup removed, as Rich shows it."""
    return _LINK.sub(r"\1", text).replace("`", "").replace("**", "")


def first_screen_lines(term: str, subtitle: str, summary: str, takeaways: list[str],
                       blanks: int = 0, width: int = SCREEN_WIDTH) -> int:
    """Lines from the top of `hpedu glossary TERM` to the end of the last takeaway.

    The larger of the two forms. Rich (a terminal): the title rule, the
    category and pronunciation line, the summary wrapped, a blank line, the
    heading and the blank line under it, each bullet wrapped 3 columns in.
    Plain (piped): term, underline, category line, blank, summary, blank,
    heading, the `blanks` blank lines of the source between heading and
    bullets, each bullet as written, folded by the terminal.
    """
    rich = 1 + _wrapped(subtitle, width) + _wrapped(summary, width) + 1 + 2
    rich += sum(_wrapped(_inline(t[2:]), width - 3) for t in takeaways)
    plain = 2 * _cut(term, width) + _cut(subtitle, width) + 1 + _cut(summary, width) + 1 + 1 + blanks
    plain += sum(_cut(t, width) for t in takeaways)
    return max(rich, plain)


def check_shape(body: str, body_line: int, term: str, subtitle: str, summary: str,
                footer_lines: int) -> ShapeReport:
    """Errors and warnings about the body's shape, each as (file line, message).

    `body_line` is the file line of the body's first line; `subtitle` is the
    category and pronunciation line; `footer_lines` counts the lines the plain
    output adds after the body (related, aliases, simulation, sources).
    """
    report = ShapeReport([], [])
    err = report.errors.append
    lines = body.splitlines()
    numbered = [(body_line + i, line.rstrip()) for i, line in enumerate(lines)]
    content = [(n, line) for n, line in numbered if line.strip()]
    if not content:
        return report
    # the whole entry, as `hpedu glossary TERM --plain` prints it
    total = 6 + len(body.strip().splitlines()) + 1 + footer_lines
    if total > MAX_ENTRY_LINES:
        report.warnings.append((body_line, f"the entry prints {total} lines (hpedu glossary --plain); aim for at most "
                                           f"{MAX_ENTRY_LINES}: cut repetition"))
    headings = [(n, line) for n, line in numbered if _HEADING.match(line)]
    first_n, first = content[0]
    if first != TAKEAWAYS:
        elsewhere = [n for n, line in headings if line == TAKEAWAYS]
        if elsewhere:
            err((elsewhere[0], f"'{TAKEAWAYS}' must come first in the body (it is after line {first_n}: {first[:40]!r})"))
        else:
            err((first_n, f"the body must start with '{TAKEAWAYS}' ({MIN_TAKEAWAYS} to {MAX_TAKEAWAYS} bullets '- ', "
                          f"each one line of at most {MAX_TAKEAWAY_LENGTH} characters); found {first[:40]!r}"))
        return report
    # the takeaways section: from its heading to the next heading
    i = next(k for k, (n, _) in enumerate(numbered) if n == first_n) + 1
    bullets: list[tuple[int, str]] = []
    blanks = 0
    while i < len(numbered) and not _HEADING.match(numbered[i][1]):
        n, line = numbered[i]
        if line.startswith("- "):
            bullets.append((n, line))
        elif not line.strip():
            blanks += 0 if bullets else 1
        elif bullets and line.startswith((" ", "\t")):
            err((n, "a takeaway is one line: join this continuation line to the bullet above"))
        else:
            err((n, f"only bullets ('- ') belong under '{TAKEAWAYS}'; found {line.strip()[:40]!r}"))
        i += 1
    if not MIN_TAKEAWAYS <= len(bullets) <= MAX_TAKEAWAYS:
        err((first_n, f"'{TAKEAWAYS}' has {len(bullets)} bullet{'s' if len(bullets) != 1 else ''}; "
                      f"allowed: {MIN_TAKEAWAYS} to {MAX_TAKEAWAYS}"))
    for n, line in bullets:
        if len(line) > MAX_TAKEAWAY_LENGTH:
            err((n, f"a takeaway is {len(line)} characters long; at most {MAX_TAKEAWAY_LENGTH} "
                    f"(the '- ' included)"))
    # Not to be confused with: directly after the takeaways, one line
    not_confused = [n for n, line in headings if line == NOT_CONFUSED]
    next_heading = numbered[i] if i < len(numbered) else None
    if not_confused and (next_heading is None or next_heading[0] != not_confused[0]):
        err((not_confused[0], f"'{NOT_CONFUSED}' must come directly after '{TAKEAWAYS}'"))
    elif not_confused:
        j = i + 1
        text = []
        while j < len(numbered) and not _HEADING.match(numbered[j][1]):
            if numbered[j][1].strip():
                text.append(numbered[j][0])
            j += 1
        if len(text) != 1:
            err((not_confused[0], f"'{NOT_CONFUSED}' takes exactly one line of text; found {len(text)}"))
    for n, _ in not_confused[1:]:
        err((n, f"'{NOT_CONFUSED}' appears more than once"))
    # the first screen
    rows = first_screen_lines(term, subtitle, summary, [b for _, b in bullets], blanks)
    if rows > SCREEN_LINES:
        err((first_n, f"title, summary and key takeaways take {rows} lines at {SCREEN_WIDTH} columns; they must fit "
                      f"in the first {SCREEN_LINES}: shorten the summary or the takeaways"))
    return report


_IPA_EXTRA = set("æçðøŋœθβχ.ˈˌːˑ‿() ")
_ASCII_HINTS = {
    "'": "write the stress mark ˈ (U+02C8), not an apostrophe",
    ",": "write the secondary stress mark ˌ (U+02CC), not a comma",
    ":": "write the length mark ː (U+02D0), not a colon",
}


def _ipa(ch: str) -> bool:
    code = ord(ch)
    return ("a" <= ch <= "z" or ch in _IPA_EXTRA or 0x0250 <= code <= 0x02FF  # IPA extensions, modifier letters
            or 0x0300 <= code <= 0x036F)  # combining marks (syllabic l̩)


def check_pronunciation(text: str) -> str | None:
    """Why `text` is not a pronunciation (IPA between slashes), or None.

    A note may follow the transcription, e.g. `/ˌtiː piː ˈiː/ (Parzen /ˈpɑːzən/)`:
    every part between slashes is checked.
    """
    text = text.strip()
    if not text:
        return None
    if not text.startswith("/") or text.count("/") < 2 or text.count("/") % 2:
        return f"pronunciation must be IPA between slashes, like /ˈlɜːnɪŋ reɪt/; got {text[:60]!r}"
    parts = text.split("/")
    column = 0  # where the part starts in `text`, 0-based
    for k, part in enumerate(parts):
        if k % 2 == 1:
            if not part.strip():
                return "pronunciation has an empty transcription '//'"
            for offset, ch in enumerate(part):
                if not _ipa(ch):
                    hint = _ASCII_HINTS.get(ch) or ("IPA is lower case" if ch.isupper() else "not an IPA symbol")
                    return (f"pronunciation: {ch!r} (U+{ord(ch):04X}) at character {column + offset + 1} "
                            f"of {text[:60]!r}: {hint}")
        column += len(part) + 1
    return None
