"""Opening the simulator again and again pins nothing more in memory.

The app moved everything alive out of the collector's sight (gc.freeze) at
every opening of the simulator, so each visit pinned the objects alive then
for good: a key storm of s / Esc grew the process without bound."""

from __future__ import annotations

import gc

from hpedu.tui import _gc


def test_freeze_once_freezes_once_per_reason(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(_gc, "_done", set())
    monkeypatch.setattr(_gc.gc, "freeze", lambda: calls.append("freeze"))
    assert _gc.freeze_once("a") and not _gc.freeze_once("a") and _gc.freeze_once("b")
    assert calls == ["freeze", "freeze"]


async def test_reopening_the_simulator_freezes_nothing_more(bundled_app) -> None:
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        frozen = gc.get_freeze_count()
        for _ in range(3):
            await pilot.press("s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert gc.get_freeze_count() <= frozen  # frozen objects can still be freed by reference counting


def test_a_full_collection_is_due_only_after_younger_ones() -> None:
    was = gc.get_threshold()
    try:
        _gc.rare_full_collections()
        assert gc.get_threshold()[2] == _gc.RARE_FULL > 10  # Python's own default is 10
        gc.collect()
        assert not _gc.collect_if_due()  # nothing ran since the last full collection
        gc.collect(1)
        assert _gc.collect_if_due()
        assert gc.get_count()[2] == 0 and not _gc.collect_if_due()
    finally:
        gc.set_threshold(*was)


async def test_the_app_collects_when_no_key_came_for_a_moment(bundled_app, monkeypatch) -> None:
    import time

    from hpedu.tui import app as app_module

    calls: list[float] = []
    monkeypatch.setattr(app_module, "collect_if_due", lambda: calls.append(time.monotonic()) or True)
    app = bundled_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = app.last_input
        await pilot.press("down")
        assert app.last_input > before  # a key counts as the learner being busy
        app.last_input = time.monotonic() + 3600  # busy for an hour yet
        calls.clear()
        await pilot.pause(3 * app_module.IDLE_CHECK)
        assert calls == []  # no collection under the learner's keys
        app.last_input = time.monotonic() - app_module.IDLE_AFTER
        for _ in range(100):
            await pilot.pause(app_module.IDLE_CHECK)
            if calls:
                break
        assert calls  # and one once they stopped for a moment
        await pilot.pause(3 * app_module.IDLE_CHECK)
        assert len(calls) == 1  # one a pause, not one every IDLE_CHECK while a simulation plays on its own
        await pilot.press("down")
        app.last_input = time.monotonic() - app_module.IDLE_AFTER
        for _ in range(100):
            await pilot.pause(app_module.IDLE_CHECK)
            if len(calls) > 1:
                break
        assert len(calls) == 2  # the next pause has its own
