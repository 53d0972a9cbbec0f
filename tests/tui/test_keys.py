"""Keys: one meaning per key on every screen, links followable from the keyboard,
a simulator footer that fits 80 columns, and a help key that works while typing."""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.binding import Binding
from textual.color import Color
from textual.screen import Screen
from textual.widgets import Input

import hpedu.tui.screens
from hpedu.tui.app import HpeduApp, make_app
from hpedu.tui.screens.glossary import GlossaryScreen
from hpedu.tui.screens.modals import HelpModal
from hpedu.tui.widgets.entry_view import EntryView

# Keys whose meaning is the usual navigation one on every screen (go back or close,
# confirm, next / previous field); each screen decides what "back" means for it.
NAVIGATION_KEYS = {"escape", "enter", "tab", "shift+tab"}

# Different action names that mean the same thing to the learner; anything else
# bound to one key on two screens is a key with two meanings.
SAME_MEANING = [
    {"open_glossary", "glossary", "glossary_method"},  # g: the glossary (at the term in view)
    {"step", "next_step", "continue_path"},  # n: next
    {"try_it", "try_preset"},  # t: run this term's / step's simulation
    {"reset", "rerun"},  # r: run again from the start
    {"search", "focus_search"},  # /: search the glossary
    {"help", "dialog_help"},  # ? / F1: help (F1 in a dialog too)
]


def _meaning(action: str) -> str:
    action = action.removeprefix("app.")
    for group in SAME_MEANING:
        if action in group:
            return min(group)
    return action


def _bindings_by_owner() -> dict[str, list[Binding]]:
    owners: dict[str, list[Binding]] = {"HpeduApp": list(HpeduApp.BINDINGS)}
    for info in pkgutil.iter_modules(hpedu.tui.screens.__path__):
        module = importlib.import_module(f"hpedu.tui.screens.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                for klass in cls.__mro__:  # a modal's close keys come from its base class
                    if klass.__module__.startswith("hpedu.") and "BINDINGS" in vars(klass):
                        owners.setdefault(name, []).extend(vars(klass)["BINDINGS"])
    return owners


def test_no_key_has_two_meanings_across_screens() -> None:
    owners = _bindings_by_owner()
    assert {"HomeScreen", "GlossaryScreen", "SimulatorScreen", "CompareScreen", "ExercisesScreen"} <= set(owners)
    seen: dict[str, tuple[str, str]] = {}  # key -> (meaning, where)
    clashes = []
    for owner, bindings in owners.items():
        for b in bindings:
            if _meaning(b.action) == "dismiss_modal":
                continue  # closing a dialog (Esc, q, ? in help) is leaving it, not another command
            for key in b.key.split(","):
                key = key.strip()
                if key in NAVIGATION_KEYS:
                    continue
                meaning = _meaning(b.action)
                if key in seen and seen[key][0] != meaning:
                    clashes.append(f"{key}: {seen[key][0]} ({seen[key][1]}) vs {meaning} ({owner})")
                seen.setdefault(key, (meaning, owner))
    assert clashes == []


async def test_tab_then_enter_follows_a_link_in_the_entry(good_content: Path) -> None:
    (good_content / "glossary" / "step-size-family.md").write_text(
        "---\n"
        "id: step-size-family\n"
        "term: Step size family\n"
        "category: concept\n"
        "summary: Two terms about how big a training step is.\n"
        "related: [learning-rate]\n"
        "---\n"
        "## Key takeaways\n"
        "- The step's length is the [learning rate](glossary:learning-rate).\n"
        "- How many examples it averages is the [batch size](glossary:batch-size).\n",
        encoding="utf-8",
    )
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        screen.open_entry("step-size-family")
        view = screen.query_one(EntryView)
        view.focus()
        await pilot.pause()
        await pilot.press("tab", "tab")  # the second link: batch size
        await pilot.pause()
        assert app.focused is view  # Tab moved between links, not out of the entry
        await pilot.press("shift+tab")  # back to the first: learning rate
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert view.entry is not None and view.entry.id == "learning-rate"
        assert screen.history[-2:] == ["step-size-family", "learning-rate"]  # b goes back to it

        await pilot.press("tab", "enter")  # learning rate's only link: batch size
        await pilot.pause()
        assert view.entry.id == "batch-size"


async def test_simulator_footer_at_80_columns_shows_its_keys_in_full(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "SimulatorScreen"
        footer = _screen_rows(app.export_screenshot())[23]
        for shown in ("? Help", "n Step", "p Play", "+ - Speed", "d Inside", "v View", "c Code", "g Term", "q Quit"):
            assert f" {shown} " in f" {footer} ", (shown, footer)


def _screen_rows(svg: str) -> dict[int, str]:
    """The text of each row of a Textual SVG screenshot (Rich's export: one clip path per
    line, each run of text at x = column * cell width; cells with no text are blank)."""
    runs = re.findall(
        r'<text[^>]*\bx="([\d.]+)"[^>]*\btextLength="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>(.*?)</text>',
        svg,
    )
    cell = min(float(length) / len(html.unescape(text)) for _, length, _, text in runs if text)
    rows: dict[int, list[str]] = {}
    for x, _, row, text in runs:
        line = rows.setdefault(int(row), [])
        col = round(float(x) / cell)
        for i, ch in enumerate(html.unescape(text).replace("\xa0", " ")):
            line.extend(" " * (col + i + 1 - len(line)))
            line[col + i] = ch
    return {row: "".join(chars) for row, chars in rows.items()}


async def test_f1_in_the_glossary_search_box_opens_help(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "slash")
        assert isinstance(app.focused, Input)
        await pilot.press("question_mark")  # typed: it is text in the search box
        assert app.focused.value == "?" and not isinstance(app.screen, HelpModal)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        await pilot.press("f1")  # F1 again closes it
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)


async def test_f1_in_the_command_palette_input_opens_help(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.focused, Input)  # the palette's search box
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)


async def test_related_terms_scroll_with_the_entry_under_their_title(bundled_content: Path) -> None:
    """w on a long entry: one scrollbar (the entry's), and the list's title stays in view."""
    app = make_app(content_dir=bundled_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        app.screen.open_entry("acquisition-function")  # eight related terms: taller than the pane
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        view = app.screen.query_one(EntryView)
        related = view.query_one("#related")
        assert app.focused is related
        assert related.max_scroll_y == 0  # the list does not scroll inside the entry
        assert view.max_scroll_y > 0
        assert "Related terms" in _screen_rows(app.export_screenshot())[related.region.y]  # its top border row


async def test_section_headings_do_not_look_like_links(good_content: Path) -> None:
    app = make_app(content_dir=good_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        headings = list(app.screen.query("#entry-body MarkdownH2"))
        assert headings, "the fixture entry has ## sections"
        for heading in headings:
            assert not heading.styles.text_style.underline
            assert heading.styles.color.rgb != Color.parse(app.theme_variables["primary"]).rgb  # not link blue
