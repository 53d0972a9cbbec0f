"""Inline Markdown of exercise texts (questions, choices, hints, explanations) as Rich text."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ...content.inline import spans

__all__ = ["markdown_text"]


def markdown_text(source: str, style: str = "", code: Style | str = "bold reverse") -> Text:
    """Inline Markdown (`code`, **bold**, *em*, [links](glossary:id)) as Rich text for a Static.

    Glossary links are underlined and, when clicked, call the screen's `open_term` action
    (ExercisesScreen has one); `code` styles `code`.
    """
    text = Text(style=style)
    for span in spans(source):
        if span.kind == "code":
            text.append(span.text, style=code)
        elif span.kind == "bold":
            text.append(span.text, style="bold")
        elif span.kind == "em":
            text.append(span.text, style="italic")
        elif span.kind == "link" and span.target.startswith("glossary:"):
            entry = span.target.removeprefix("glossary:")
            text.append(span.text, style=Style(underline=True) + Style.from_meta({"@click": f"screen.open_term({entry!r})"}))
        elif span.kind == "link":
            text.append(span.text, style="underline")
        else:
            text.append(span.text)
    return text
