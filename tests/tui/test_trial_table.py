"""The trials table widget on its own: rows, alignment, scrolling, cursor and clicks."""

from __future__ import annotations

from textual.app import App, ComposeResult

from hpedu.tuning.base import Trial
from hpedu.tui.widgets.trial_table import TrialTable


class TableApp(App):
    AUTO_FOCUS = None  # as in the simulator, where focus starts elsewhere

    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield TrialTable()

    def on_trial_table_trial_highlighted(self, event: TrialTable.TrialHighlighted) -> None:
        self.highlighted.append(event.index)


def _trial(i: int, x: float, value: float) -> Trial:
    return Trial(index=i, params={"x": x, "kernel": "rbf"}, value=value)


def _fill(table: TrialTable, values: list[float]) -> None:
    table.setup(["x", "kernel"], "loss")
    best = float("inf")
    for i, v in enumerate(values):
        improved = v < best
        best = min(best, v)
        table.add_trial(_trial(i, 0.5 * i, v), best, improved)


def _line(table: TrialTable, y: int) -> str:
    return table.render_line(y).text


async def test_rows_header_and_best_marker() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [3.0, 1.5, 2.0])
        await pilot.pause()
        assert table.row_count == 3
        assert [str(c) for c in table.get_row_at(1)] == ["2", "0.5", "rbf", "1.5", "1.5 ★"]
        assert [str(c) for c in table.get_row_at(2)] == ["3", "1", "rbf", "2", "1.5  "]
        header = _line(table, 0)
        assert header.split() == ["#", "x", "kernel", "loss", "best", "so", "far"]
        assert "★" in _line(table, 2) and "★" not in _line(table, 3)
        assert _line(table, 4).strip() == ""  # past the last row


async def test_a_wider_cell_realigns_earlier_rows() -> None:
    app = TableApp()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [1.0])
        await pilot.pause()
        before = _line(table, 1)
        table.add_trial(_trial(1, 0.25, 123.456789), 1.0, False)
        await pilot.pause()
        first, second, header = _line(table, 1), _line(table, 2), _line(table, 0)
        assert first != before  # the first row was laid out again
        # numbers are right-aligned: the loss column ends at the same place in every line
        end = header.index("loss") + len("loss")
        assert first[:end].endswith("1") and second[:end].endswith("123.5")


async def test_new_rows_scroll_into_view_until_focused() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [float(30 - i) for i in range(30)])
        await pilot.pause()
        visible = [_line(table, y).split()[0] for y in range(1, table.size.height)]
        assert visible[-1] == "30"  # the newest trial is on screen
        table.focus()  # a learner reading the table is not scrolled away from
        await pilot.press("home")
        table.add_trial(_trial(30, 1.0, 0.5), 0.5, True)
        await pilot.pause()
        assert _line(table, 1).split()[0] == "1"


async def test_keyboard_cursor_posts_the_trial_index() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.01])
        table.focus()
        await pilot.pause()
        assert table.cursor_row == 9 and app.highlighted == [9]  # first focus: the newest trial
        await pilot.press("home", "down", "down")
        await pilot.pause()
        assert table.cursor_row == 2 and app.highlighted[-1] == 2
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 9 and app.highlighted[-1] == 9
        await pilot.press("down")  # already at the last row
        await pilot.pause()
        assert table.cursor_row == 9
        await pilot.press("home", "up")
        await pilot.pause()
        assert table.cursor_row == 0 and app.highlighted[-1] == 0
        # the cursor row stays visible after paging down
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        shown = [_line(table, y).split()[0] for y in range(1, table.size.height)]
        assert str(table.cursor_row + 1) in shown


async def test_clicking_a_row_selects_it() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [3.0, 2.0, 1.0])
        await pilot.pause()
        await pilot.click(TrialTable, offset=(3, 2))  # line 0 is the header, line 2 the second trial
        await pilot.pause()
        assert table.has_focus and table.cursor_row == 1 and app.highlighted[-1] == 1
        await pilot.click(TrialTable, offset=(3, 0))  # the header selects nothing
        await pilot.pause()
        assert table.cursor_row == 1


async def test_setup_starts_over() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(TrialTable)
        _fill(table, [3.0, 2.0])
        table.setup(["C", "gamma"], "accuracy", show_resource=True)
        await pilot.pause()
        assert table.row_count == 0
        assert _line(table, 0).split() == ["#", "C", "gamma", "resource", "accuracy", "best", "so", "far"]


async def test_a_budget_shows_the_trials_to_come_and_fixes_the_height() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:  # 8 lines: the header and 7 trials
        table = app.query_one(TrialTable)
        table.setup(["x", "kernel"], "loss", budget=12)
        await pilot.pause()
        assert table.virtual_size.height == 13  # header + 12 lines from the start
        lines = table.size.height - 1
        assert [_line(table, y).strip() for y in range(1, lines + 1)] == [str(k) for k in range(1, lines + 1)]
        pending = table.render_line(1)
        assert table.get_component_rich_style("trial-table--pending").color is not None
        assert any(seg.style and seg.style.color == table.get_component_rich_style(
            "trial-table--pending").color for seg in pending._segments if seg.text.strip())
        best = float("inf")
        heights = set()
        for i in range(9):
            v = 10.0 - i
            best = min(best, v)
            table.add_trial(_trial(i, 0.5 * i, v), best, True)
            heights.add(table.virtual_size.height)
            await pilot.pause()
            shown = [_line(table, y).split() for y in range(1, lines + 1)]
            # the newest trial is the last line shown once the rows pass the height;
            # before that the lines still to come show below it
            newest = next(k for k, cells in enumerate(shown) if cells[0] == str(i + 1))
            assert len(shown[newest]) > 1  # a filled line
            assert newest == min(i, lines - 1)
            assert all(len(cells) == 1 for cells in shown[newest + 1:])  # numbers only: still to come
        assert heights == {13}  # filling lines never grew the table
        assert table.row_count == 9


def _screen_line(app, y: int) -> str:
    """Line y of the screen as the compositor paints it now (as App.export_screenshot renders it)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()[y]


async def test_v_shows_the_newest_trials_from_its_first_frame(bundled_app) -> None:
    """At 80x24, after v shows the trials of a run longer than the panel, the
    first frame painted showed the top of the table (trials 1-17) and the next
    one the newest trials: the table now scrolls as it is laid out, so every
    frame after v starts at the row the settled table starts at."""
    app = bundled_app()
    firsts: list[str] = []
    recording = [False]
    display = app._display

    def record(screen, renderable) -> None:
        if recording[0] and renderable is not None:
            table = app.screen.query_one(TrialTable)
            # what the frame shows: the table's second screen line (its first row under the header)
            firsts.append(_screen_line(app, table.region.y + 1))
        display(screen, renderable)

    app._display = record
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_preset("random-2d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("e")  # to the end: more trials than the panel has lines
        while len(app.screen.sim.trace.trials) < app.screen.settings.budget:
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("v")  # best so far
        for _ in range(5):
            await pilot.pause(0.05)
        recording[0] = True
        await pilot.press("v")  # the trials
        for _ in range(8):
            await pilot.pause(0.05)
        recording[0] = False
        screen = app.screen
        assert screen.view == "trials"
        table = screen.query_one(TrialTable)
        budget = screen.settings.budget
        assert table.row_count == budget > table.size.height
        last = _line(table, table.size.height - 1)
        assert last.split()[0] == str(budget), last  # settled: the newest trial is the last line
        settled = _screen_line(app, table.region.y + 1)
        assert settled.split()[0] != "1"
        assert firsts and all(f == settled for f in firsts), firsts
