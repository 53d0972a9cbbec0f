"""Inline Markdown in short texts (exercise questions, choices, hints, explanations).

Exercise fields are one paragraph of Markdown: `code`, **bold**, *emphasis*
and links, most often to the glossary (`[model parameters](glossary:model-parameter)`).
`spans` splits such a text into pieces with what each piece is, so a
front end can draw it its own way (the app styles them, the command line
prints `plain`). Pure: no UI imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "spans", "plain"]


@dataclass(frozen=True)
class Span:
    """A piece of text; `kind` is "" (plain), "code", "bold", "em" or "link" (then `target` is the href)."""

    text: str
    kind: str = ""
    target: str = ""


_INLINE = re.compile(
    r"\\(?P<escaped>[\\`*_\[\]()#+\-.!{}])"  # \* is a literal *
    r"|(?P<ticks>`+)(?P<code>.+?)(?P=ticks)"  # `code` or ``code with ` inside``
    r"|\[(?P<label>[^\]\n]+)\]\((?P<href>[^)\s]*)\)"  # [text](target)
    r"|\*\*(?P<bold>[^*\n]+?)\*\*|__(?P<bold2>[^_\n]+?)__"
    r"|(?<![\w*])\*(?P<em>[^\s*][^*\n]*?)(?<!\s)\*(?![\w*])"
    r"|(?<![\w_])_(?P<em2>[^\s_][^_\n]*?)(?<!\s)_(?![\w_])",
    re.DOTALL,
)


def spans(text: str) -> list[Span]:
    """`text` split into plain, code, bold, emphasis and link pieces, the Markdown syntax removed."""
    out: list[Span] = []
    pos = 0

    def add(piece: str, kind: str = "", target: str = "") -> None:
        if not piece:
            return
        if out and out[-1].kind == kind == "" and not target:
            out[-1] = Span(out[-1].text + piece)
        else:
            out.append(Span(piece, kind, target))

    for m in _INLINE.finditer(text):
        add(text[pos:m.start()])
        pos = m.end()
        if m.group("escaped") is not None:
            add(m.group("escaped"))
        elif m.group("code") is not None:
            code = m.group("code")
            if code.startswith(" ") and code.endswith(" ") and code.strip():
                code = code[1:-1]  # `` `x` `` keeps its inner backticks, not the padding
            add(code, "code")
        elif m.group("label") is not None:
            add(plain(m.group("label")), "link", m.group("href"))
        elif m.group("bold") is not None or m.group("bold2") is not None:
            add(plain(m.group("bold") or m.group("bold2")), "bold")
        else:
            add(plain(m.group("em") or m.group("em2")), "em")
    add(text[pos:])
    return out


def plain(text: str) -> str:
    """`text` without its inline Markdown syntax: links become their text."""
    return "".join(s.text for s in spans(text))
