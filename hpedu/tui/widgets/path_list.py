"""The suggested learning path on the home screen: one numbered step per item.

A small line-API widget rather than Textual's `OptionList`, which wraps a
long label back to the left edge under its number: here each step is wrapped
once per width with a hanging indent under its label, the kind of step closes
the item ("glossary", "simulation", "exercise"), and the ✔ marks can be
replaced in place when the learner comes back from an exercise. Its height
is measured during layout (no extra layout pass once it has been drawn, which
a scrolling widget needed to learn its width), and drawing it takes under
4 ms at start-up (benchmarks/README.md, time to first screen).

Keys (while focused): Up/Down, PageUp/PageDown, Home/End move the highlight,
Enter opens the highlighted step; a click opens the step under the pointer.
A done step is marked ✔, a step still to do ○ (not only by colour).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NamedTuple, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["PathList", "PathScroll", "PathStep"]

KIND_TAGS = {"glossary": "glossary", "preset": "simulation", "exercise": "exercise"}


# a word longer than a line may break after a hyphen between two letters or digits ("Exploration-" / "exploitation")
_HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")


def _wrap(words: list[tuple[str, str]], width: int, first: int, tag_last: bool = True) -> list[list[tuple[str, str]]]:
    """Greedy word wrap of (word, role) pairs: `first` cells on the first line,
    `width` on the others. Lines break between words; a word longer than a
    line breaks after its hyphens, and a piece still longer than a line is cut. With `tag_last`, two
    spaces set the last word (the kind of step) apart."""
    lines: list[list[tuple[str, str]]] = [[]]
    full = max(width, 1)
    room = max(first, 1)
    used = 0
    for n, (word, role) in enumerate(words):
        gap = 2 if tag_last and n == len(words) - 1 else 1
        parts = [word] if cell_len(word) <= full else _HYPHEN_BREAK.split(word)  # split only what a line cannot hold
        for k, part in enumerate(parts):
            space = gap if k == 0 else 0  # the pieces of one word follow each other without a space
            size = cell_len(part)
            if used and used + space + size > room:
                lines.append([])
                room, used = full, 0
            elif not used and len(lines) == 1 and room < size <= full:
                lines.append([])  # too long for the shorter first line, not for the next ones
                room = full
            if used and space:
                lines[-1].append((" " * space, ""))
                used += space
            while size > room - used:  # longer than a whole line
                cut = room - used
                lines[-1].append((part[:cut], role))
                part, size = part[cut:], size - cut
                lines.append([])
                room, used = full, 0
            lines[-1].append((part, role))
            used += size
    return lines


class PathStep(NamedTuple):
    kind: str  # glossary, preset or exercise
    ref: str
    label: str
    done: bool


class PathScroll(VerticalScroll, can_focus=False):
    """The scrolling pane of a `PathList` (the list takes the focus, not the pane)."""

    DEFAULT_CSS = """
    PathScroll {
        background: $surface;
        scrollbar-gutter: stable;  /* the width to wrap in does not change when the scrollbar appears */
    }
    """


class PathList(Widget, can_focus=True):
    """Its height is the height of its wrapped lines, measured during layout
    (`get_content_height`), so the first frame is already complete; put it in
    a `PathScroll`, which scrolls it."""

    DEFAULT_CSS = """
    PathList {
        height: auto;
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .path-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .path-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .path-list--kind { color: $text-muted; }
        & > .path-list--done { color: $text-success; text-style: bold; }
        & > .path-list--empty { color: $text-disabled; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "path-list--highlighted",
        "path-list--kind",
        "path-list--done",
        "path-list--empty",
    }
    BINDINGS: ClassVar = [
        Binding("up", "move(-1)", "Previous step", show=False),
        Binding("down", "move(1)", "Next step", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First step", show=False),
        Binding("end", "last", "Last step", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    class Selected(Message):
        """A step was opened (Enter or a click)."""

        def __init__(self, path_list: "PathList", step: PathStep) -> None:
            super().__init__()
            self.path_list = path_list
            self.step = step

        @property
        def control(self) -> "PathList":
            return self.path_list

    #: the highlighted step (an index into `steps`)
    highlighted: reactive[int] = reactive(0, init=False)

    def __init__(self, steps: Sequence[PathStep] = (), empty: str = "Nothing here yet.", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.steps: list[PathStep] = list(steps)
        self.empty = empty
        self._width = -1
        self._lines: list[tuple[int, list[tuple[str, str]]]] = []  # (step index or -1, pieces) per line
        self._first: list[int] = []  # first line of each step
        self._cache: dict[tuple[int, bool], Strip] = {}
        self._styles: tuple[Style, Style, dict[str, Style]] | None = None

    # ----- data -----------------------------------------------------------------------
    @property
    def step_count(self) -> int:
        return len(self.steps)

    def set_steps(self, steps: Sequence[PathStep]) -> None:
        """New steps (e.g. new ✔ marks); the highlight stays where it was."""
        steps = list(steps)
        if steps == self.steps:
            return
        self.steps = steps
        self._width = -1
        if self.steps:
            self.set_reactive(PathList.highlighted, min(self.highlighted, len(self.steps) - 1))
        self.refresh(layout=True)

    def _span(self, index: int) -> tuple[int, int]:
        """The first line of step `index` and the line after its last."""
        top = self._first[index]
        return top, self._first[index + 1] if index + 1 < len(self._first) else len(self._lines)

    def lines_of(self, index: int) -> list[str]:
        """The plain text of a step's lines as drawn at the current width."""
        return ["".join(text for text, _ in pieces) for i, pieces in self._lines if i == index]

    # ----- layout ---------------------------------------------------------------------
    # A line is a list of (text, role) pieces; roles become styles only when a
    # line is drawn, so a change of focus or theme never re-wraps the steps.
    def _layout_lines(self, width: int) -> None:
        if width == self._width:
            return
        self._width = width
        self._cache.clear()
        self._lines, self._first = [], []
        width = max(width, 1)
        if not self.steps:
            words = [(w, "empty") for w in self.empty.split()]
            for pieces in _wrap(words, width, width, tag_last=False):
                self._lines.append((-1, [(t, "empty") for t, _ in pieces]))
        for i, step in enumerate(self.steps):
            self._first.append(len(self._lines))
            head = f" {i + 1:>2}. "
            indent = 1 + cell_len(head)
            words = [(w, "") for w in step.label.split()] + [(KIND_TAGS.get(step.kind, step.kind), "kind")]
            hang = indent if width > indent + 4 else 0  # too narrow: no hanging indent
            lines = _wrap(words, width - hang, first=width - indent)
            for k, pieces in enumerate(lines):
                if k == 0:
                    start = [("✔" if step.done else "○", "done" if step.done else ""), (head, "")]
                else:
                    start = [(" " * hang, "")]
                self._lines.append((i, start + pieces))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._layout_lines(width)
        return len(self._lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles = None

    def _line_styles(self) -> tuple[Style, Style, dict[str, Style]]:
        """The base style, the highlighted one, and the foreground styles of
        the roles (without their background, so the highlight shows through);
        computed once per style change."""
        if self._styles is None:
            roles = {"": Style()}
            for role in ("done", "kind", "empty"):
                st = self.get_component_rich_style(f"path-list--{role}")
                roles[role] = Style(color=st.color, bold=st.bold, dim=st.dim, italic=st.italic)
            base = self.rich_style
            lit = base + self.get_component_rich_style("path-list--highlighted")
            self._styles = (base, lit, roles)
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        self._layout_lines(width)
        base, highlighted, roles = self._line_styles()
        if y >= len(self._lines):
            return Strip.blank(width, base)
        index, pieces = self._lines[y]
        lit = index >= 0 and index == self.highlighted
        key = (y, lit)
        strip = self._cache.get(key)
        if strip is None:
            style = highlighted if lit else base
            segments = [Segment(text, style + roles[role] if role else style) for text, role in pieces]
            used = sum(cell_len(text) for text, _ in pieces)
            if used < width:
                segments.append(Segment(" " * (width - used), style))
            strip = Strip(segments, max(used, width))  # one Strip per line: each costs a few caches
            if used > width:
                strip = strip.crop(0, width)
            self._cache[key] = strip
        return strip

    # ----- the highlight -----------------------------------------------------------------
    def watch_highlighted(self, old: int, new: int) -> None:
        for key in [k for k in self._cache if k[1]]:
            del self._cache[key]
        self._scroll_to_step(new)
        self.refresh()

    def _scroll_to_step(self, index: int) -> None:
        """Scroll the pane (the parent) so the whole step shows, or its first
        line when it is taller than the pane."""
        if not 0 <= index < len(self._first) or not isinstance(self.parent, Widget):
            return
        top, bottom = self._span(index)
        height = min(bottom - top, max(1, self.parent.scrollable_content_region.height))
        at = self.virtual_region.offset  # where the list sits in the pane's content
        self.parent.scroll_to_region(Region(at.x, at.y + top, 1, height), animate=False, x_axis=False)

    def _move_to(self, index: int) -> None:
        if self.steps:
            self.highlighted = max(0, min(index, len(self.steps) - 1))

    def action_move(self, delta: int) -> None:
        self._move_to(self.highlighted + delta)

    def action_page(self, direction: int) -> None:
        # about a screenful of steps: count steps whose lines fit in the pane
        pane = self.parent if isinstance(self.parent, Widget) else self
        height = max(1, pane.scrollable_content_region.height)
        index, lines = self.highlighted, 0
        while 0 <= index + direction < len(self.steps):
            nxt = index + direction
            first, end = self._span(nxt)
            size = end - first
            if lines + size > height and lines:
                break
            lines += size
            index = nxt
        self._move_to(index)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.steps) - 1)

    def action_select(self) -> None:
        if 0 <= self.highlighted < len(self.steps):
            self.post_message(self.Selected(self, self.steps[self.highlighted]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y
        if 0 <= row < len(self._lines) and self._lines[row][0] >= 0:
            self.focus()
            self.highlighted = self._lines[row][0]
            self.action_select()
