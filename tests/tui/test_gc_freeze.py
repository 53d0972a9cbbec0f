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
