"""Heavy modules are imported by one thread at a time, once each (two workers
importing scikit-learn together failed about one time in six here)."""

from __future__ import annotations

import threading
import time

import hpedu.simulation.imports as imports
from hpedu.simulation import modules_for


def test_workers_import_one_at_a_time_and_once(monkeypatch) -> None:
    active, most, seen = [0], [0], []
    guard = threading.Lock()

    def fake_import(name: str) -> None:
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
            seen.append(name)
        time.sleep(0.02)  # long enough for the other threads to arrive
        with guard:
            active[0] -= 1

    monkeypatch.setattr(imports.importlib, "import_module", fake_import)
    monkeypatch.setattr(imports, "_DONE", set())
    wanted = [("fake.a", "fake.b"), ("fake.b", "fake.c"), ("fake.c", "fake.a"), ("fake.d",)]
    threads = [threading.Thread(target=imports.ensure_imports, args=(w,)) for w in wanted * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert most[0] == 1
    assert sorted(seen) == ["fake.a", "fake.b", "fake.c", "fake.d"]


def test_modules_for_names_what_a_run_imports() -> None:
    assert modules_for("branin", "random") == ()
    assert modules_for("branin", "bayes") == ("sklearn.gaussian_process",)
    svc = modules_for("svc-digits", "grid")
    assert "sklearn.svm" in svc and "sklearn.model_selection" in svc and "sklearn.gaussian_process" not in svc
