"""The records inside a progress file: checking every field on load, and merging two copies.

A record (one per exercise) is what `hpedu/progress.py` keeps under
`exercises.<id>`:

    status       "in progress" | "done"      (done stays done, whatever happens later)
    steps_total  int >= 1
    score        int >= 0, steps right in the attempt the record shows
    steps        {"0": step, "1": step, ...}  keys are step numbers 0..steps_total-1
    attempts     int >= 0, attempts started;  best_score  int >= 0, best finished score
    class_code, started, finished, updated   strings ("" when unset)
    attempt      a random id of the attempt the record shows ("" in files from older hpedu)
    again        only on a done exercise being tried again: {attempt, started, steps}

    step = {answer: str | null, correct: bool | null, hints_used: int >= 0,
            seconds: number >= 0, answered: str}

Merge rule (`merge_records`), used when two processes changed the same
exercise: attempts are matched by id (or, without one, by start time); two
copies of one attempt keep, step by step, every answered step (if both
answered a step, the earlier answer, as a second answer is ignored anyway)
and the larger hint count of the two (they started from the same count). A
finished attempt is never dropped: when there is one the exercise is done and
shows the finished attempt that ended last (on a tie, the newer copy's), and an unfinished newer attempt
stays as `again`; without one, the attempt started last is the one in
progress. The best score is the largest of both copies and of every finished
attempt; `attempts` is the larger count. If the two copies disagree on the
number of steps (the exercise itself changed), the copy updated last wins.

Marks (`MARK_KINDS`), kept beside the exercises at the top of the file and
absent from files of older hpedu (read as empty):

    read     {"<glossary entry id>": "<when first opened>", ...}   entries the learner opened
    tried    {"<preset id>": "<when first run to its end>", ...}   "Try it" simulations run to the end

A mark is never taken back by a merge (only `reset` forgets it): two copies
merge to the union of their ids, each with the earlier of its two times.

Pure: standard library only.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any, Iterator

IN_PROGRESS, DONE = "in progress", "done"
MARK_KINDS = ("read", "tried")
MAX_STEPS = 10_000
_STEP_KEY = re.compile(r"^(0|[1-9][0-9]{0,4})$")  # plain ASCII digits: "²" and "٣" are not step numbers


class Damaged(ValueError):
    """The data is not a progress file this hpedu can use; the message says what is wrong."""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _int(rec: dict, key: str, where: str, default: int | None = None, minimum: int = 0) -> int:
    if key not in rec and default is not None:
        return default
    value = rec.get(key)
    if type(value) is not int or value < minimum:
        raise Damaged(f"{where} is damaged: {key!r} is {_short(value)}, not a whole number >= {minimum}")
    return value


def _str(rec: dict, key: str, where: str) -> str:
    value = rec.get(key, "")
    if not isinstance(value, str):
        raise Damaged(f"{where} is damaged: {key!r} is {_short(value)}, not text")
    return value


def _steps(raw: Any, total: int, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise Damaged(f"{where} is damaged: 'steps' is {_short(raw)}, not a mapping")
    steps = {}
    for key, step in raw.items():
        if not _STEP_KEY.match(key) or int(key) >= total:
            raise Damaged(f"{where} is damaged: step {key!r} is not a step number 0..{total - 1}")
        at = f"{where}, step {key!r},"
        if not isinstance(step, dict):
            raise Damaged(f"{at} is damaged: {_short(step)} is not a mapping")
        answer, correct, seconds = step.get("answer"), step.get("correct"), step.get("seconds", 0.0)
        if answer is not None and not isinstance(answer, str):
            raise Damaged(f"{at} is damaged: 'answer' is {_short(answer)}, not text or null")
        if correct is not None and not isinstance(correct, bool):
            raise Damaged(f"{at} is damaged: 'correct' is {_short(correct)}, not true, false or null")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
            raise Damaged(f"{at} is damaged: 'seconds' is {_short(seconds)}, not a number >= 0")
        steps[key] = {"answer": answer, "correct": correct, "hints_used": _int(step, "hints_used", at, 0),
                      "seconds": float(seconds), "answered": _str(step, "answered", at)}
    return steps


def check_record(exercise_id: str, rec: Any) -> dict[str, Any]:
    """The record with every field checked and defaults filled in; Damaged names the bad field."""
    where = f"the record of exercise {exercise_id!r}"
    if not isinstance(rec, dict):
        raise Damaged(f"{where} is damaged: {_short(rec)} is not a mapping")
    status = rec.get("status")
    if status == "new":  # never written, but accepted by older hpedu
        status = IN_PROGRESS
    if status not in (IN_PROGRESS, DONE):
        raise Damaged(f"{where} is damaged: 'status' is {_short(status)} (allowed: 'in progress', 'done')")
    total = _int(rec, "steps_total", where, minimum=1)
    if total > MAX_STEPS:
        raise Damaged(f"{where} is damaged: 'steps_total' is {total}, more than {MAX_STEPS}")
    out = {
        "status": status, "score": _int(rec, "score", where, 0), "steps_total": total,
        "steps": _steps(rec.get("steps"), total, where),
        "attempts": _int(rec, "attempts", where, 1), "best_score": _int(rec, "best_score", where, 0),
        **{k: _str(rec, k, where) for k in ("class_code", "started", "finished", "updated", "attempt")},
    }
    if "again" in rec:
        again, at = rec["again"], f"{where}, 'again',"
        if not isinstance(again, dict):
            raise Damaged(f"{at} is damaged: {_short(again)} is not a mapping")
        out["again"] = {"attempt": _str(again, "attempt", at), "started": _str(again, "started", at),
                        "steps": _steps(again.get("steps"), total, at)}
    return out


def check_data(data: Any, fmt: str, version: int) -> dict[str, Any]:
    """A whole progress file, checked; Damaged says why it cannot be used."""
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise Damaged("it is not an hpedu progress file")
    found = data.get("version")
    if type(found) is int and found > version:
        raise Damaged(f"it was written by a newer hpedu (format version {found}; this hpedu reads version {version})")
    if found != version or type(found) is not int:
        raise Damaged(f"unknown format version {_short(found)}")
    for key in ("profile", "class_code"):
        if not isinstance(data.get(key, ""), str):
            raise Damaged(f"{key!r} is {_short(data.get(key))}, not text")
    exercises = data.get("exercises")
    if not isinstance(exercises, dict):
        raise Damaged(f"'exercises' is {_short(exercises)}, not a mapping")
    for ex_id in exercises:
        if not ex_id.strip() or len(ex_id) > 200:
            raise Damaged(f"exercise id {_short(ex_id)} is empty or longer than 200 characters")
    return {"format": fmt, "version": version, "profile": data.get("profile", ""),
            "class_code": data.get("class_code", ""),
            "exercises": {k: check_record(k, v) for k, v in exercises.items()},
            **{kind: check_marks(kind, data.get(kind, {})) for kind in MARK_KINDS}}


def check_marks(kind: str, marks: Any) -> dict[str, str]:
    """A `read` or `tried` mapping (id -> time first marked), checked; Damaged names the bad item."""
    if not isinstance(marks, dict):
        raise Damaged(f"{kind!r} is {_short(marks)}, not a mapping")
    for key, when in marks.items():
        if not key.strip() or len(key) > 200:
            raise Damaged(f"{kind!r} holds the id {_short(key)}, empty or longer than 200 characters")
        if not isinstance(when, str):
            raise Damaged(f"{kind!r} is damaged: the time of {_short(key)} is {_short(when)}, not text")
    return dict(marks)


def merge_marks(old: dict[str, str], new: dict[str, str], ids: Any = None) -> dict[str, str]:
    """`old` with the marks of `new` (only those in `ids`, when given) added;
    an id in both keeps the earlier time. Nothing is removed."""
    out = dict(old)
    for key in new if ids is None else ids:
        when = new.get(key)
        if when is not None and (key not in out or when < out[key]):
            out[key] = when
    return out


# ----- attempts and merging --------------------------------------------------
def score_of(steps: dict[str, dict[str, Any]]) -> int:
    return sum(1 for s in steps.values() if s["correct"])


def all_answered(steps: dict[str, dict[str, Any]], total: int) -> bool:
    return all(str(i) in steps and steps[str(i)]["answer"] is not None for i in range(total))


def _attempts(rec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    done = rec["status"] == DONE or all_answered(rec["steps"], rec["steps_total"])
    yield {"attempt": rec["attempt"], "started": rec["started"], "finished": rec["finished"] if done else "",
           "steps": rec["steps"], "done": done}
    again = rec.get("again")
    if again is not None:
        yield {"attempt": again["attempt"], "started": again["started"], "finished": "", "steps": again["steps"],
               "done": all_answered(again["steps"], rec["steps_total"])}


def _key(attempt: dict[str, Any]) -> str:
    return attempt["attempt"] or "started:" + attempt["started"]


def _union_steps(a: dict[str, dict], b: dict[str, dict]) -> dict[str, dict]:
    out = {}
    for key in sorted({*a, *b}, key=int):
        x, y = a.get(key), b.get(key)
        if x is None or y is None:
            out[key] = copy.deepcopy(x or y)
            continue
        if x["answer"] is None:
            base = y
        elif y["answer"] is None:
            base = x
        else:  # both answered: the first answer stands
            base = y if (y["answered"] or "~") < (x["answered"] or "~") else x
        out[key] = {**copy.deepcopy(base), "hints_used": max(x["hints_used"], y["hints_used"])}
    return out


def _union(a: dict[str, Any], b: dict[str, Any], total: int) -> dict[str, Any]:
    steps = _union_steps(a["steps"], b["steps"])
    started = min(s for s in (a["started"], b["started"])) if a["started"] and b["started"] else a["started"] or b["started"]
    return {"attempt": a["attempt"] or b["attempt"], "started": started, "finished": max(a["finished"], b["finished"]),
            "steps": steps, "done": a["done"] or b["done"] or all_answered(steps, total)}


def merge_records(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """One record from two copies of the same exercise's record (see the module docstring)."""
    if old is None or new is None:
        return copy.deepcopy(new if old is None else old)
    if old["steps_total"] != new["steps_total"]:
        return copy.deepcopy(new if new["updated"] >= old["updated"] else old)
    total = new["steps_total"]
    groups: dict[str, dict[str, Any]] = {}
    for rec in (old, new):
        for attempt in _attempts(rec):
            key = _key(attempt)
            groups[key] = _union(groups[key], attempt, total) if key in groups else copy.deepcopy(attempt)
    finished = [a for a in groups.values() if a["done"]]
    unfinished = [a for a in groups.values() if not a["done"]]
    out: dict[str, Any] = {
        "attempts": max(old["attempts"], new["attempts"]),
        "best_score": max([old["best_score"], new["best_score"], *(score_of(a["steps"]) for a in finished)]),
        "class_code": new["class_code"] or old["class_code"], "updated": max(old["updated"], new["updated"]),
    }
    mine = _key(next(_attempts(new)))  # on a tie (times have one-second steps) the newer copy's choice wins

    def order(a: dict[str, Any]) -> tuple[str, str, bool]:
        return (a["finished"], a["started"], _key(a) == mine)

    if finished:
        shown = max(finished, key=order)
        status = DONE
    else:
        shown = max(unfinished, key=order)
        unfinished = []
        status = IN_PROGRESS
    rec = {"status": status, "score": score_of(shown["steps"]), "steps_total": total, "steps": shown["steps"],
           **out, "started": shown["started"], "finished": shown["finished"], "attempt": shown["attempt"]}
    if unfinished:
        again = max(unfinished, key=lambda a: a["started"])
        rec["again"] = {"attempt": again["attempt"], "started": again["started"], "steps": again["steps"]}
    return rec
