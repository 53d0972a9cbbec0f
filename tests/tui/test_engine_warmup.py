"""The app's background start-up work imports the engine under the import lock
(hpedu.simulation.imports), so the first Try it finds scipy loaded and no
worker imports beside it."""

from __future__ import annotations

import hpedu.simulation.imports as imports


async def test_the_start_up_check_warms_the_engine_under_the_lock(bundled_app, monkeypatch) -> None:
    monkeypatch.setattr(imports, "_DONE", set())
    app = bundled_app()
    app.deep_check_delay = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            if set(imports.engine_modules()) <= imports._DONE and not app.workers:
                break
        assert set(imports.engine_modules()) <= imports._DONE
