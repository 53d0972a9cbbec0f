"""Reading the app's screen from the page, for the browser tests and the load benchmark.

textual-serve draws with xterm.js on a canvas (WebGL), so the page has no
text to read. Its script keeps the xterm `Terminal` in an object field named
`terminal`, set just before one named `fitAddon`; the init script below
notices that assignment (a setter on Object.prototype, removed from each
object as soon as it fires) and keeps the terminal in `window.__hpeduTerminals`.
The text is then read with xterm's public buffer API: exactly the cells drawn.
"""

from __future__ import annotations

import time

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
  if (!t) return null;
  const b = t.buffer.active, rows = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}
"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser, width: int = 1200, height: int = 700):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(CAPTURE_TERMINAL)
    return page


def screen_text(page) -> str:
    return page.evaluate(READ_SCREEN) or ""


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
