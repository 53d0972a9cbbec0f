"""How long one read of a class takes: `hpedu class report --data DIR` and each refresh of its screen.

Writes N learners' progress files (every exercise of the bundled content
started, most finished, answers right or wrong at random with a fixed seed)
into a temporary data folder, then times `read_data_folder` + `build_report`
(what `hpedu class report` does once), the same with the screen's cache of
unchanged files (what each refresh costs when nobody saved), and the text table.
Prints the median and the largest of R repeats for each N.

    python benchmarks/class_report_speed.py [--learners 30,100,300] [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from hpedu.class_report import build_report, read_data_folder, summary_rows
from hpedu.content import load_content

REPO = Path(__file__).resolve().parent.parent


def write_class(folder: Path, n: int, exercises: list[tuple[str, str, int]], rng: random.Random) -> None:
    (folder / "profiles").mkdir(parents=True)
    for k in range(n):
        records = {}
        for ex_id, _title, total in exercises:
            answered = total if rng.random() < 0.7 else rng.randrange(total)
            steps = {str(i): {"answer": "b", "correct": rng.random() < 0.6, "hints_used": rng.randrange(3),
                              "seconds": 12.5, "answered": "2026-01-01T10:00:00Z"} for i in range(answered)}
            score = sum(1 for s in steps.values() if s["correct"])
            records[ex_id] = {"status": "done" if answered == total else "in progress", "score": score,
                              "steps_total": total, "steps": steps, "attempts": 1, "best_score": score,
                              "class_code": "", "started": "2026-01-01T09:00:00Z", "finished": "",
                              "updated": "2026-01-01T10:00:00Z", "attempt": f"{k:016x}"}
        data = {"format": "hpedu-progress", "version": 1, "profile": f"learner{k}", "class_code": "",
                "exercises": records, "read": {}, "tried": {}}
        (folder / "profiles" / f"learner{k}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="30,100,300")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    content = load_content(REPO / "content")
    exercises = [(e.id, e.title, len(e.steps)) for e in content.extras["exercises"].values()]
    print(f"{len(exercises)} exercises, {sum(t for *_, t in exercises)} steps; {args.repeats} repeats")
    print("learners  files KB  read+build median / max ms  refresh, unchanged ms  text table ms")
    for n in (int(x) for x in args.learners.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_class(folder, n, exercises, random.Random(n))
            size = sum(p.stat().st_size for p in (folder / "profiles").iterdir()) / 1024
            times, table, cached = [], [], []
            cache: dict = {}
            read_data_folder(folder, cache)
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                learners, problems = read_data_folder(folder, cache)
                build_report(learners, exercises, problems)
                cached.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                learners, problems = read_data_folder(folder)
                report = build_report(learners, exercises, problems)
                t1 = time.perf_counter()
                summary_rows(report)
                table.append(time.perf_counter() - t1)
                times.append(t1 - t0)
            assert len(report.learners) == n and not report.problems
            print(f"{n:8d}  {size:8.0f}  {statistics.median(times) * 1000:12.1f} / {max(times) * 1000:6.1f}"
                  f"  {statistics.median(cached) * 1000:13.1f}  {statistics.median(table) * 1000:13.2f}")


if __name__ == "__main__":
    main()
