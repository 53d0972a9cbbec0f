"""Work-arounds for races inside Textual that a fast typist (or a key storm) hits.

Checked against Textual 8.2.8 (pyproject pins the range the tests cover).
Each fix wraps one Textual method so that it does nothing where Textual would
raise, and says why; `apply()` installs them once. `tests/tui/test_keystorm.py`
finds each of these within a few hundred random keys without them, and
`tests/tui/test_textual_fixes.py` checks that every method wrapped here
still exists, so a Textual upgrade that renames one fails loudly instead of
silently losing the fix.

1. ``OptionList._move_page``: PageUp / PageDown in an option list that has
   not been laid out yet (the command palette's list or a Select's overlay a
   moment after it opened) reads ``_index_to_line[highlighted]`` from an empty
   line cache: ``KeyError: 0``. Before layout there is no page to move by.
2. ``CommandPalette._watch__list_visible`` and ``_refresh_command_list``: the
   palette's search worker can deliver results after the palette was closed
   and its children removed: ``NoMatches: No nodes match 'CommandList'``.
   Results for a closed palette are dropped.
3. ``CommandPalette.dismiss``: ``Screen.dismiss`` pops whatever screen is on
   top. When the palette closes itself after something else already removed
   it (quick Escape / Enter, or a command that changes screens), it pops the
   wrong screen or raises ``ScreenStackError: Can't pop screen``. A palette
   that is no longer the active screen has nothing to dismiss.
4. ``textual.filter.monochrome_style``: with ``NO_COLOR`` set on a terminal
   without native ANSI colours Textual passes every segment through the
   ``Monochrome`` filter, which reads ``style.color`` of segments that have no
   style at all (the plots' blank cells): ``AttributeError: 'NoneType' object
   has no attribute 'color'`` the moment a plot is drawn. A segment without a
   style has no colour to remove.
5. ``App._on_key`` and ``App.on_event``: keys typed just before quitting
   (``q`` then ``s``) are still queued when the app has removed its screens,
   and looking up their bindings (or, in ``on_event``, whether the screen has
   a maximized widget) raises ``ScreenStackError: No screens on stack``. A key
   with no screen to go to is dropped.
6. ``Select.action_show_overlay``, ``_watch_value``, ``_watch_prompt`` and
   ``_setup_options_renderables`` query the Select's own overlay; a key or a
   value that reaches a Select before it has composed its children, or while
   its screen is being removed, raised ``NoMatches: No nodes match
   'SelectOverlay'``. Without its overlay a Select has nothing to update.
7. ``Screen._on_resize``: after a layout a screen posts a ``Resize`` of its
   new size to itself. When two resizes of different sizes are queued at a
   screen (a terminal resized twice while the app was busy), each answers the
   other: A lays out at A and queues A again, B lays out at B and queues B
   again, for ever. The event loop never rests, memory grows and keys go
   unanswered (a key storm stalled this way for minutes). A resize to a size
   the terminal no longer has is stale: the screen skips it, and the resize
   to the current size, which is queued too, lays it out.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from textual import events
from textual import filter as textual_filter
from textual.app import App, ScreenStackError
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectOverlay

#: (class, method name) of every Textual method wrapped here
WRAPPED: tuple[tuple[Any, str], ...] = (
    (OptionList, "_move_page"),
    (CommandPalette, "_watch__list_visible"),
    (CommandPalette, "_refresh_command_list"),
    (CommandPalette, "dismiss"),
    (textual_filter, "monochrome_style"),
    (App, "_on_key"),
    (App, "on_event"),
    (Select, "action_show_overlay"),
    (Select, "_watch_value"),
    (Select, "_watch_prompt"),
    (Select, "_setup_options_renderables"),
    (Screen, "_on_resize"),
)

_applied = False


async def _nothing() -> None:
    return None


def _wrap(cls: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    original = getattr(cls, name)
    wrapped = make(original)
    functools.update_wrapper(wrapped, original)
    wrapped.__hpedu_fix__ = True  # type: ignore[attr-defined]
    setattr(cls, name, wrapped)


def _move_page_fix(original: Callable[..., Any]) -> Callable[..., Any]:
    def _move_page(self: OptionList, direction: int) -> None:
        if self._options and (self.highlighted or 0) not in self._index_to_line:
            return  # not laid out yet: no page to move by
        original(self, direction)

    return _move_page


def _palette_alive(palette: CommandPalette) -> bool:
    return palette.is_attached and palette.is_running and palette in palette.app.screen_stack


def _drop_when_closed(original: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: CommandPalette, *args: Any, **kwargs: Any) -> Any:
        if not _palette_alive(self):
            return None
        try:
            return original(self, *args, **kwargs)
        except NoMatches:
            if _palette_alive(self) and self.children:
                raise
            return None  # closing while the results arrived

    return method


def _dismiss_fix(original: Callable[..., Any]) -> Callable[..., Any]:
    def dismiss(self: CommandPalette, result: Any = None) -> AwaitComplete:
        if self.app.screen is not self:
            return AwaitComplete(_nothing())
        return original(self, result)

    return dismiss


def _monochrome_fix(original: Callable[..., Any]) -> Callable[..., Any]:
    def monochrome_style(style: Any) -> Any:
        return None if style is None else original(style)

    return monochrome_style


def _key_needs_a_screen(original: Callable[..., Any]) -> Callable[..., Any]:
    """For App._on_key and App.on_event: a key that arrives when no screen is
    left (the app is closing) is dropped; everything else goes on as before."""
    async def method(self: App, event: Any) -> None:
        if isinstance(event, events.Key):
            try:
                self.screen
            except ScreenStackError:
                return  # closing: no screen left to take the key
        await original(self, event)

    return method


def _select_fix(original: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: Select, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except NoMatches:
            if self.query(SelectOverlay):
                raise  # the overlay is there: a real problem
            return None

    return method


def _resize_fix(original: Callable[..., Any]) -> Callable[..., Any]:
    async def _on_resize(self: Screen, event: Any) -> None:
        app = self.app
        if not app.is_inline and event.size != app.size:
            event.stop()
            return  # stale: the terminal has another size now, and that resize is queued too
        await original(self, event)

    return _on_resize


def apply() -> None:
    """Install the fixes (once per process)."""
    global _applied
    if _applied:
        return
    _applied = True
    _wrap(OptionList, "_move_page", _move_page_fix)
    _wrap(CommandPalette, "_watch__list_visible", _drop_when_closed)
    _wrap(CommandPalette, "_refresh_command_list", _drop_when_closed)
    _wrap(CommandPalette, "dismiss", _dismiss_fix)
    _wrap(textual_filter, "monochrome_style", _monochrome_fix)
    _wrap(App, "_on_key", _key_needs_a_screen)
    _wrap(App, "on_event", _key_needs_a_screen)
    for name in ("action_show_overlay", "_watch_value", "_watch_prompt", "_setup_options_renderables"):
        _wrap(Select, name, _select_fix)
    _wrap(Screen, "_on_resize", _resize_fix)
