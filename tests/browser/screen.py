"""Reading the app's screen from the page, for the browser tests and the load benchmark.

textual-serve draws with xterm.js on a canvas (WebGL), so the page has no
text to read. Its script keeps the xterm `Terminal` in an object field named
`terminal`, set just before one named `fitAddon`; the init script below
notices that assignment (a setter on Object.prototype, removed from each
object as soon as it fires) and keeps the terminal in `window.__hpeduTerminals`.
The text is then read with xterm's public buffer API: exactly the cells drawn.

That field is textual-serve's private code (checked with 1.1.3, the version
pinned in pyproject.toml): `capture_problem` says what no longer matches in
an installed textual.js (tests/browser/test_screen_reader.py), and
`screen_text` fails at once, saying why, on a page whose terminal exists but
was not captured, instead of every test timing out on an empty screen.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

CAPTURE_TERMINAL = """
(() => {
  window.__hpeduTerminals = [];
  Object.defineProperty(Object.prototype, 'fitAddon', {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, 'fitAddon', {value, writable: true, configurable: true, enumerable: true});
      if (this.terminal) window.__hpeduTerminals.push(this.terminal);
    },
  });
})();
"""

READ_SCREEN = """
() => {
  const t = window.__hpeduTerminals && window.__hpeduTerminals[0];
  if (!t) return document.querySelector('.xterm') ? {missed: true} : null;
  const b = t.buffer.active, rows = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}
"""


#: the statement of textual.js the capture relies on: the terminal assigned, then fitAddon, in one object
CAPTURE_POINT = re.compile(r"this\.terminal=new [\w$]+\.Terminal\(\{[^{}]*\}\),this\.fitAddon=")


def textual_js() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).parent / "static" / "js" / "textual.js"


def capture_problem(script: str) -> str | None:
    """None when textual-serve's script sets `terminal` and then `fitAddon` as CAPTURE_TERMINAL expects;
    otherwise what is wrong, for a test to fail with."""
    if CAPTURE_POINT.search(script):
        return None
    return ("textual-serve's textual.js no longer sets this.terminal = new Terminal(...) followed by "
            "this.fitAddon = ...: tests/browser/screen.py (CAPTURE_TERMINAL) cannot find the xterm terminal, so "
            "the browser tests cannot read the screen. Was textual-serve upgraded past the version pinned in "
            "pyproject.toml? Find where the new textual.js keeps its Terminal and change CAPTURE_TERMINAL.")


class ScreenNotCaptured(AssertionError):
    pass


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser, width: int = 1200, height: int = 700):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(CAPTURE_TERMINAL)
    return page


def screen_text(page) -> str:
    """The text on the app's screen; "" before the terminal exists. ScreenNotCaptured when the page has
    a terminal the init script did not capture (textual-serve's script changed)."""
    found = page.evaluate(READ_SCREEN)
    if isinstance(found, dict):
        raise ScreenNotCaptured("the page drew an xterm terminal that screen.py did not capture. "
                                + (capture_problem(textual_js().read_text(encoding="utf-8")) or
                                   "(textual.js still has the statement screen.py relies on: was the page "
                                   "opened with new_page(), which adds the init script?)"))
    return found or ""


def wait_for_text(page, text: str, timeout: float = 60.0, absent: str | None = None) -> str:
    """The screen once it shows `text` (and no longer `absent`, if given);
    AssertionError with the last screen after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = screen_text(page)
        if text in screen and (absent is None or absent not in screen):
            return screen
        page.wait_for_timeout(100)
    gone = f" without {absent!r}" if absent is not None else ""
    raise AssertionError(f"{text!r}{gone} never appeared on the page; the last screen was:\n{screen}")


def press(page, key: str) -> None:
    """A key to the app, as a learner's keyboard sends it (the terminal's input box has the focus)."""
    page.focus(".xterm-helper-textarea")
    page.keyboard.press(key)
