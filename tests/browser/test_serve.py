"""hpedu serve in a real browser: Debian's chromium, driven by Playwright,
against `hpedu serve` started as a subprocess (fixtures: conftest.py).

The screen is read from xterm's buffer (screen.py): what the app drew."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

HOME = "Suggested path"
NAME_SCREEN = "What is your name?"


def read_progress(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_page_draws_home_and_g_opens_the_glossary(serve, browser, ui):
    served = serve("--class-code", "stats-101")
    page = ui.new_page(browser)
    page.goto(served.url(name="ada"))
    home = ui.wait_for_text(page, "class code: stats-101")  # the server's class code, in every session
    assert HOME in home and "learner: ada" in home
    assert "Key takeaways" not in home
    ui.press(page, "g")
    glossary = ui.wait_for_text(page, "Key takeaways")
    assert "Search terms" in glossary and "82 terms" in glossary
    page.close()


def test_without_a_name_the_app_asks_it_first(serve, browser, ui):
    served = serve()
    page = ui.new_page(browser)
    page.goto(served.url())
    ui.wait_for_text(page, NAME_SCREEN)
    # one key at a time, each waited for, as a person types: in an Input, Textual applies
    # Backspace and Enter (bindings, reached once the key has bubbled up to the app) after
    # printable keys that arrive within milliseconds behind them ("g", Backspace, "!", Enter
    # sent at once submitted "g": the "!" typed, then deleted)
    ui.press(page, "g")  # typed into the name box: nothing opens before a name
    ui.wait_for_text(page, "▊  g ")
    ui.press(page, "Backspace")
    ui.wait_for_text(page, "your name, e.g. ada")
    ui.press(page, "!")
    ui.wait_for_text(page, "▊  ! ")
    ui.press(page, "Enter")
    refused = ui.wait_for_text(page, "invalid profile name '!'")
    assert "Key takeaways" not in refused
    ui.press(page, "Backspace")
    ui.wait_for_text(page, "your name, e.g. ada")
    page.keyboard.type("grace")
    ui.wait_for_text(page, "▊  grace ")
    ui.press(page, "Enter")
    ui.wait_for_text(page, "learner: grace", absent=NAME_SCREEN)
    ui.press(page, "ArrowDown")  # the path list has the focus: its second step (a glossary entry),
    ui.press(page, "Enter")  # recorded as read for grace
    ui.wait_for_text(page, "Key takeaways")
    deadline = time.monotonic() + 30
    while not served.profile("grace").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(read_progress(served.profile("grace"))["read"]) == ["model-parameter"]
    assert not served.profile("default").exists()
    page.close()


def test_a_bad_name_in_the_address_is_refused_before_any_app_starts(serve):
    served = serve()
    try:
        urllib.request.urlopen(served.url(name="../etc/passwd"))
        raise AssertionError("the page was served")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400
        assert "invalid profile name" in exc.read().decode()
    assert served.children() == []


def test_ten_sessions_at_once_each_with_its_own_app_and_profile(serve, browser, ui):
    served = serve()
    names = [f"learner{i}" for i in range(10)]
    pages = []
    for name in names:
        page = ui.new_page(browser, width=1000, height=600)
        page.goto(served.url(name=name), wait_until="commit")
        pages.append(page)
    for name, page in zip(names, pages):
        assert HOME in ui.wait_for_text(page, f"learner: {name}", timeout=120)
    assert len(served.wait_children(10)) == 10
    for page in pages:
        ui.press(page, "n")  # each opens the first step: a write to its own profile, all at once
    for page in pages:
        ui.wait_for_text(page, "Key takeaways", timeout=120)
        ui.press(page, "h")
    for name, page in zip(names, pages):
        ui.wait_for_text(page, "✔  1. Hyperparameter", timeout=60)
        assert list(read_progress(served.profile(name))["read"]) == ["hyperparameter"]
    assert sorted(p.stem for p in (served.data / "profiles").glob("*.json")) == sorted(names)
    for page in pages:
        page.close()
    served.wait_children(0)  # a closed tab ends its app


def test_a_second_tab_with_another_name_does_not_see_the_first_learners_progress(serve, browser, ui):
    served = serve()
    first = ui.new_page(browser)
    first.goto(served.url(name="ada"))
    assert "✔" not in ui.wait_for_text(first, "○  1. Hyperparameter")
    ui.press(first, "n")
    ui.wait_for_text(first, "Key takeaways")
    ui.press(first, "h")
    assert "1/" in ui.wait_for_text(first, "✔  1. Hyperparameter")
    second = ui.new_page(browser)
    second.goto(served.url(name="bob"))
    bob = ui.wait_for_text(second, "learner: bob")
    assert "○  1. Hyperparameter" in bob and "✔" not in bob and "0/" in bob
    again = ui.new_page(browser)  # ada in a new tab finds her progress
    again.goto(served.url(name="ada"))
    assert "learner: ada" in ui.wait_for_text(again, "✔  1. Hyperparameter")
    for page in (first, second, again):
        page.close()


def test_two_tabs_of_one_learner_both_keep_their_work(serve, browser, ui):
    served = serve()
    first, second = ui.new_page(browser), ui.new_page(browser)
    for page in (first, second):
        page.goto(served.url(name="ada"))
        ui.wait_for_text(page, "○  2. Model parameter")
    ui.press(first, "n")  # step 1 in one tab
    ui.wait_for_text(first, "Key takeaways")
    ui.press(second, "ArrowDown")  # step 2 in the other, which never saw step 1 done
    ui.press(second, "Enter")
    ui.wait_for_text(second, "Key takeaways")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        read = list(read_progress(served.profile("ada"))["read"]) if served.profile("ada").exists() else []
        if len(read) == 2:
            break
        time.sleep(0.1)
    assert sorted(read) == ["hyperparameter", "model-parameter"]  # merged, neither write lost
    for page in (first, second):
        page.close()


def test_a_wrong_join_code_starts_no_app(serve, browser, ui):
    served = serve("--join-code", "right-code-42")
    page = ui.new_page(browser)
    page.goto(served.url(name="ada"))
    assert page.locator("#code").is_visible()  # asked for the code first
    response = page.goto(served.url(name="ada", code="wrong-code-42"))
    assert response.status == 403
    assert "not this class's" in page.locator("#error").inner_text()
    page.wait_for_timeout(1000)
    assert served.children() == []
    try:  # straight to the websocket with a made-up ticket
        urllib.request.urlopen(f"http://127.0.0.1:{served.port}/ws/made-up-ticket")
        raise AssertionError("the websocket was opened")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403
    assert served.children() == []
    page.goto(served.url(name="ada", code="right-code-42"))  # the right code: one app
    assert "learner: ada" in ui.wait_for_text(page, HOME)
    assert len(served.wait_children(1)) == 1
    assert "code=" not in page.url  # the code leaves the address once given
    page.close()


def test_past_max_sessions_a_newcomer_gets_a_clear_page(serve, browser, ui):
    served = serve("--max-sessions", "1")
    first = ui.new_page(browser)
    first.goto(served.url(name="ada"))
    ui.wait_for_text(first, HOME)
    second = ui.new_page(browser)
    response = second.goto(served.url(name="bob"))
    assert response.status == 503
    assert second.locator("#full").inner_text() == "The class is full"
    assert "at most 1 learners" in second.content()
    assert len(served.children()) == 1
    first.close()
    served.wait_children(0)
    response = second.goto(served.url(name="bob"))  # the place is free again
    assert "learner: bob" in ui.wait_for_text(second, HOME)
    second.close()


def test_q_ends_the_session_and_the_page_offers_to_start_again(serve, browser, ui):
    served = serve()
    page = ui.new_page(browser)
    page.goto(served.url(name="ada"))
    ui.wait_for_text(page, HOME)
    served.wait_children(1)
    ui.press(page, "q")
    page.wait_for_selector("#ended", state="visible", timeout=30_000)
    served.wait_children(0)
    page.click("text=Start again")  # a new session for the same learner
    assert "learner: ada" in ui.wait_for_text(page, HOME)
    served.wait_children(1)
    page.close()


def test_an_idle_session_ends_and_the_page_says_so(serve, browser, ui):
    served = serve("--idle-minutes", "0.05")  # 3 seconds without a key
    page = ui.new_page(browser)
    page.goto(served.url(name="ada"))
    ui.wait_for_text(page, HOME)
    served.wait_children(0, timeout=60)
    page.wait_for_selector("#ended", state="visible", timeout=30_000)
    page.close()


def test_stopping_the_server_ends_every_session(serve, browser, ui):
    served = serve()
    pages = []
    for name in ("ada", "bob"):
        page = ui.new_page(browser)
        page.goto(served.url(name=name))
        ui.wait_for_text(page, HOME)
        pages.append(page)
    kids = served.wait_children(2)
    assert served.stop() == 0  # SIGTERM
    deadline = time.monotonic() + 15
    while any(served.alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in kids if served.alive(pid)] == []
    assert served.wait_output("every session ended"), served.output
    for page in pages:
        page.wait_for_selector("#ended", state="visible", timeout=30_000)
        page.close()
