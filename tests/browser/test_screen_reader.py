"""The browser tests read the screen through a field of textual-serve's own script
(tests/browser/screen.py). A textual-serve whose script changed must fail these tests
with the reason, not leave every browser test waiting for text on an empty screen."""

from __future__ import annotations

import pytest


def test_textual_js_still_sets_the_terminal_where_screen_py_captures_it(ui):
    script = ui.textual_js().read_text(encoding="utf-8")
    problem = ui.capture_problem(script)
    assert problem is None, problem


def test_the_check_notices_a_script_that_keeps_the_terminal_elsewhere(ui):
    script = ui.textual_js().read_text(encoding="utf-8")
    for changed in (script.replace("this.fitAddon=", "this.fit="), script.replace("this.terminal=new ", "this.term=new ")):
        assert "no longer sets this.terminal" in ui.capture_problem(changed)


def test_a_terminal_the_page_drew_but_screen_py_missed_fails_at_once_saying_why(browser, ui):
    page = ui.new_page(browser)
    page.set_content("<div id='terminal'></div>")
    assert ui.screen_text(page) == ""  # no terminal yet: nothing to read, no error
    page.set_content("<div id='terminal'><div class='xterm'></div></div>")  # a terminal the init script never saw
    with pytest.raises(ui.ScreenNotCaptured, match="did not capture"):
        ui.screen_text(page)
    page.close()
