"""The HTML pages of `hpedu serve`: the app page, the join form, "the class is
full" and bad input. Every value put into a page is escaped here.

The app page is textual-serve's own page (its templates/app_index.html)
trimmed to what hpedu needs: no font fetched from the internet (a lab may be
offline; the Roboto Mono that textual-serve ships is used), and the
websocket address carries the session's one-time ticket.
"""

from __future__ import annotations

from html import escape

_STYLE = """
@font-face { font-family: 'Roboto Mono'; src: url('/static/fonts/RobotoMono-VariableFont_wght.ttf'); }
body { background: #0c181f; color: rgba(255,255,255,.95); font-family: 'Roboto Mono', menlo, monospace; margin: 0; }
.box { max-width: 40em; margin: 4em auto; padding: 2em; background: #12232d; }
h1 { font-size: 1.3em; } label { display: block; margin-top: 1em; }
input { font: inherit; padding: .4em; width: 20em; }
button { font: inherit; padding: .6em 2em; margin-top: 1.5em; background: #5e0ba7; color: #fff; border: none; cursor: pointer; }
.error { color: #ff8a80; } .hint { color: #9fb3bf; font-size: .9em; }
"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><div class='box'>{body}</div></body></html>")


def join_page(*, ask_code: bool, name: str = "", error: str = "") -> str:
    """The first page when a join code is needed, or when the name in the address was refused."""
    parts = ["<h1>hpedu — join the class</h1>"]
    if error:
        parts.append(f"<p class='error' id='error'>{escape(error)}</p>")
    parts.append("<form method='get' action='/'>")
    parts.append("<label for='name'>Your name</label>"
                 f"<input id='name' name='name' value='{escape(name, quote=True)}' maxlength='32' autofocus>"
                 "<div class='hint'>1 to 32 letters, digits, '-' or '_'; your progress is kept under it."
                 " Leave it empty to type it in the app.</div>")
    if ask_code:
        parts.append("<label for='code'>Join code</label>"
                     "<input id='code' name='code' autocomplete='off' maxlength='64'>"
                     "<div class='hint'>Your teacher shows it.</div>")
    parts.append("<button type='submit'>Start</button></form>")
    return _page("hpedu — join", "".join(parts))


def full_page(limit: int) -> str:
    """Past --max-sessions: said at once, instead of a tab that never draws."""
    return _page("hpedu — the class is full", (
        "<h1 id='full'>The class is full</h1>"
        f"<p>This server runs at most {limit} learners at once, and all {limit} places are taken.</p>"
        "<p>Try again in a minute (a place frees when someone closes their tab), or ask your teacher.</p>"
        "<form method='get'><button type='submit' onclick='location.reload(); return false;'>Try again</button></form>"))


def locked_page(wait: int, limit: int, window: float) -> str:
    """Too many wrong join codes from one address: refused, the right code included, for `wait` more seconds."""
    return _page("hpedu — too many wrong join codes", (
        "<h1 id='locked'>Too many wrong join codes</h1>"
        f"<p>{limit} wrong join codes came from this computer within {window:g} seconds, so it cannot join "
        f"for {wait} seconds, even with the right code.</p>"
        "<p>Wait, check the code your teacher shows (letters and digits, no spaces), then try again.</p>"))


def app_page(*, websocket_url: str, title: str, font_size: int = 16) -> str:
    """The page that draws the app: textual-serve's script opens `websocket_url`."""
    url = escape(websocket_url, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: 'Roboto Mono'; src: url('/static/fonts/RobotoMono-VariableFont_wght.ttf'); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
.textual-terminal {{ width: 100vw; height: 100vh; opacity: 0; transition: opacity .3s ease-out; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
.note {{ position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
        font-family: 'Roboto Mono', menlo, monospace; color: rgba(255,255,255,.95); }}
.note div {{ background: #12232d; padding: 2em 3em; text-align: center; }}
body.-first-byte .starting, .closed {{ display: none; }}
body.-closed .closed {{ display: flex; z-index: 10; }}
button {{ font: inherit; padding: .6em 2em; margin-top: 1em; background: #5e0ba7; color: #fff; border: none; cursor: pointer; }}
#start {{ display: none; }}
</style></head>
<body>
<div class="note starting"><div>Starting hpedu…</div></div>
<div class="note closed"><div><p id="ended">Session ended.</p>
<p>Your progress is saved.</p><button type="button" onclick="location.reload()">Start again</button></div></div>
<span id="start"></span>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{url}" data-font-size="{int(font_size)}"></div>
</body></html>
"""


def error_page(title: str, message: str) -> str:
    return _page(f"hpedu — {title}", f"<h1>{escape(title)}</h1><p class='error' id='error'>{escape(message)}</p>")
