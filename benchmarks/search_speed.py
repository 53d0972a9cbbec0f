"""Glossary search and exercise loading: how long they take as inputs grow.

Search (on the bundled glossary): one search of a query of 10, 200 and 3,000
characters (random letters and spaces; queries are cut to 200 characters), with
cold caches (the remembered word comparisons cleared) and again with one more
character typed; then typing a 200-character query key by key, as the app
searches on every key. Loading: a content folder holding one exercise of 500
and of 2,000 steps (a plain load, not served from the content cache).

Figures are CPU seconds of this process (`time.process_time`), the median of
`--runs` runs, so other work on a shared machine weighs less.

    python benchmarks/search_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def cpu(run, runs: int, before=None) -> float:
    """Median CPU seconds of `run()`; `before()` runs untimed before each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def query_of(length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz    ") for _ in range(length))


def bench_search(runs: int) -> None:
    from hpedu.content import load_content, search

    module = sys.modules["hpedu.content.search"]
    entries = list(load_content(REPO / "content").entries.values())
    search(entries, "warm up")  # entries are prepared once per process
    cold = getattr(getattr(module, "_pair_ratio", None), "cache_clear", None)
    print(f"search, {len(entries)} glossary entries (CPU ms, median of {runs}):")
    print(f"  {'query':>12}  {'cold':>8}  {'one more key':>12}")
    for length in (10, 200, 3000):
        query = query_of(length, length)
        first = cpu(lambda: search(entries, query), runs, before=cold)
        more = cpu(lambda: search(entries, query + "e"), runs, before=lambda: search(entries, query))
        print(f"  {length:>7} chars  {first * 1000:8.1f}  {more * 1000:12.1f}")
    text = query_of(200, 7)
    typed = cpu(lambda: [search(entries, text[:n]) for n in range(1, 201)], runs, before=cold)
    print(f"  typing 200 characters key by key: {typed * 1000:.0f} ms in all, {typed * 1000 / 200:.1f} ms a key")


def bench_loader(runs: int) -> None:
    from hpedu.content import load_content

    print(f"loading one exercise (CPU s, median of {runs}):")
    base = Path(tempfile.mkdtemp(prefix="hpedu-bench-"))
    try:
        for steps in (500, 2000):
            folder = base / f"steps-{steps}"
            shutil.copytree(REPO / "tests" / "fixtures" / "good", folder)
            (folder / "exercises").mkdir()
            body = "".join(f"  - question: Question {i}?\n    kind: choice\n    choices: [left, right]\n    answer: 0\n"
                           f"    explanation: Because.\n" for i in range(steps))
            (folder / "exercises" / "long.md").write_text(
                "---\nid: long\ntitle: Long\nterms: [learning-rate]\ndifficulty: beginner\nsummary: Steps.\n"
                f"steps:\n{body}---\nIntro.\n", encoding="utf-8")
            content = load_content(folder, deep=True)
            assert len(content.extras["exercises"]["long"].steps) == steps, [str(p) for p in content.problems][:3]
            seconds = cpu(lambda: load_content(folder, deep=True), runs)
            size = (folder / "exercises" / "long.md").stat().st_size
            print(f"  {steps:>5} steps ({size / 1024:.0f} KB)  {seconds:6.3f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("HPEDU_CACHE_DIR", tempfile.mkdtemp(prefix="hpedu-bench-cache-"))
    bench_search(max(args.runs, 1))
    bench_loader(max(args.runs, 1))


if __name__ == "__main__":
    main()
