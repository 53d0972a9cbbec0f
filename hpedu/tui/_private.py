"""Every private part of Textual, textual-plot and textual-hires-canvas that hpedu leans on.

Libraries rename private attributes without notice. hpedu keeps the list of
the ones it uses here, in one place, and `tests/tui/test_private_access.py`
checks two things against the installed versions:

- every name listed below still exists on its owner (as a class attribute,
  or on a freshly built instance);
- no module of `hpedu/tui` uses a private name of these libraries that is
  not listed here (the test reads the source), so a new dependency on a
  library's insides cannot slip in unnoticed.

pyproject.toml pins the versions these were checked against: Textual
>=8.2.8,<8.3 (8.2.8 tested), textual-plot 0.10.1, textual-hires-canvas 0.14.0.
When a test here fails after an upgrade, look at the uses named in the
comments, adapt them, and update this list.

Small accessors for the uses outside the plot widgets live here too, so those
modules read no private name themselves.
"""

from __future__ import annotations

from typing import Any

#: owner ("module:Class", or "module" for a private submodule) -> private names hpedu reads, writes or overrides, and where
PRIVATE: dict[str, dict[str, str]] = {
    "textual.screen:Screen": {
        "_closing": "screen_is_gone (a worker's message for a screen being closed is dropped)",
        "_closed": "screen_is_gone",
        "_pruning": "screen_is_gone",
        "_on_resize": "_textual_fixes (a stale resize queued at a screen is skipped)",
    },
    "textual.app:App": {
        "_on_key": "_textual_fixes (keys after the last screen is gone)",
    },
    "textual.widgets:OptionList": {
        "_move_page": "_textual_fixes (PageDown before layout)",
        "_index_to_line": "_textual_fixes",
        "_options": "_textual_fixes",
        "_update_lines": "widgets/entry_view.py (where each link's line is)",
        "_heights": "widgets/entry_view.py",
    },
    "textual.widgets": {
        "_select": "_textual_fixes (imports SelectOverlay from the private module textual.widgets._select)",
        "_markdown": "the list classes below, for widgets/entry_view.py's flat bullet lists",
    },
    "textual.widgets.markdown:MarkdownBlock": {
        "_blocks": "take_blocks (the blocks a list or list item holds until it is composed)",
    },
    "textual.command:CommandPalette": {
        "_watch__list_visible": "_textual_fixes (results after the palette closed)",
        "_refresh_command_list": "_textual_fixes",
        "_list_visible": "tests of _textual_fixes",
    },
    "textual.widgets:Select": {
        "_watch_value": "_textual_fixes (a Select without its overlay)",
        "_watch_prompt": "_textual_fixes",
        "_setup_options_renderables": "_textual_fixes",
    },
    "textual.widgets:Footer": {
        "_bindings_ready": "widgets/footer.py (one rebuild per burst of binding changes)",
    },
    "textual.strip:Strip": {
        "_segments": "strip_first_style (trial table rows)",
    },
    "textual_plot:PlotWidget": {
        "_render_plot": "widgets/_halfblock.py (overridden: half-block layer under the library's axes)",
        "_scale_rectangle": "widgets/_halfblock.py (plot area for pixel mapping)",
        "_x_min": "widgets/_halfblock.py (view limits)",
        "_x_max": "widgets/_halfblock.py",
        "_y_min": "widgets/_halfblock.py",
        "_y_max": "widgets/_halfblock.py",
        "_auto_x_min": "widgets/_halfblock.py",
        "_auto_x_max": "widgets/_halfblock.py",
        "_auto_y_min": "widgets/_halfblock.py",
        "_auto_y_max": "widgets/_halfblock.py",
        "_user_x_min": "widgets/_halfblock.py",
        "_user_x_max": "widgets/_halfblock.py",
        "_user_y_min": "widgets/_halfblock.py",
        "_user_y_max": "widgets/_halfblock.py",
        "_x_label": "widgets/_halfblock.py (axis labels drawn by hpedu)",
        "_y_label": "widgets/_halfblock.py",
        "_render_x_label": "widgets/_halfblock.py (overridden)",
        "_render_y_label": "widgets/_halfblock.py (overridden)",
        "_position_legend": "widgets/_halfblock.py",
        "_rerender": "widgets/_halfblock.py (overridden: one redraw per frame)",
        "_needs_rerender": "widgets/_halfblock.py",
        "_labels": "widgets/curves.py (legend entries)",
        "_datasets": "widgets/curves.py",
    },
    "textual_hires_canvas:Canvas": {
        "_buffer": "widgets/_paint.py, widgets/_halfblock.py (cells written directly)",
        "_styles": "widgets/_paint.py, widgets/_halfblock.py",
        "_canvas_size": "widgets/_paint.py, widgets/_halfblock.py",
        "_style_cache": "widgets/_paint.py",
    },
}


def screen_is_gone(screen: Any) -> bool:
    """True once a screen is being closed or was closed (Textual has no public flag for it)."""
    return not screen.is_attached or bool(
        getattr(screen, "_closing", False) or getattr(screen, "_closed", False) or getattr(screen, "_pruning", False)
    )


def strip_first_style(strip: Any, default: Any) -> Any:
    """The style of a strip's first segment (to pad a row in its own colours), or `default`."""
    segments = strip._segments
    return segments[0].style if strip.cell_length and segments else default


def markdown_list_classes() -> tuple[type, type, type]:
    """(MarkdownBullet, MarkdownBulletList, MarkdownListItem), which textual.widgets.markdown
    does not export (Textual 8.2); imported when asked, not with the app's first screen."""
    from textual.widgets import _markdown

    return _markdown.MarkdownBullet, _markdown.MarkdownBulletList, _markdown.MarkdownListItem


def take_blocks(block: Any) -> list[Any]:
    """The blocks a Markdown list or list item holds until composed, handed over (it keeps none)."""
    blocks = list(block._blocks)
    block._blocks.clear()
    return blocks
