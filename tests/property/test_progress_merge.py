"""Merging two copies of an exercise's progress (two processes, one profile): whatever each did
since they last agreed, the merge keeps a finished exercise finished, never lowers the best
score, keeps every answer both gave to a shared attempt, and is a well-formed record."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hpedu.progress import DONE, ProgressStore
from hpedu.progress_records import check_record, merge_records

STEPS = 3
EX = "ex"


class Clock:
    def __init__(self) -> None:
        self.now = 1_767_225_600.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


class MemoryStore(ProgressStore):
    """The store's bookkeeping without a file (saving is the part under test elsewhere)."""

    def _load(self) -> None:
        pass

    def save(self) -> None:
        self._dirty.clear()


op = st.one_of(
    st.tuples(st.just("start"), st.booleans()),
    st.tuples(st.just("hint"), st.integers(0, STEPS - 1)),
    st.tuples(st.just("answer"), st.integers(0, STEPS - 1), st.booleans()),
)
ops = st.lists(op, max_size=12)


def apply(store: ProgressStore, actions: list[tuple]) -> None:
    for action in actions:
        rec = store.exercise(EX)
        if action[0] == "start":
            store.start(EX, STEPS, restart=action[1])
        elif rec is None or rec.current is None:
            continue  # nothing to answer: not started, or done and in review
        elif action[0] == "hint":
            store.hint(EX, action[1])
        else:
            store.answer(EX, action[1], "a", action[2])


def answered(rec: dict, attempt: str) -> set[str]:
    """Steps answered in the attempt with this id, wherever the record keeps it."""
    for steps, att in ((rec["steps"], rec["attempt"]), (rec.get("again", {}).get("steps"), rec.get("again", {}).get("attempt"))):
        if att == attempt and steps is not None:
            return {k for k, s in steps.items() if s["answer"] is not None}
    return set()


@settings(max_examples=300, deadline=None)
@given(ops, ops, ops, st.integers(0, 10))
def test_merge_keeps_what_either_copy_did(base_ops: list, a_ops: list, b_ops: list, skew: int) -> None:
    clock = Clock()
    base = MemoryStore(Path("unused.json"), "ada", clock)
    apply(base, base_ops)
    a, b = MemoryStore(Path("unused.json"), "ada", clock), MemoryStore(Path("unused.json"), "ada", clock)
    a.data, b.data = copy.deepcopy(base.data), copy.deepcopy(base.data)
    apply(a, a_ops)
    clock.now += skew
    apply(b, b_ops)
    ra, rb = a.data["exercises"].get(EX), b.data["exercises"].get(EX)
    merged = merge_records(ra, rb)
    if ra is None and rb is None:
        assert merged is None
        return
    assert check_record(EX, merged) == merged  # well formed: every field has its type
    copies = [r for r in (ra, rb) if r is not None]
    if any(r["status"] == DONE for r in copies):
        assert merged["status"] == DONE
    assert merged["best_score"] >= max(r["best_score"] for r in copies)
    assert merged["attempts"] >= max(r["attempts"] for r in copies)
    if merged["status"] == DONE:
        assert merged["best_score"] >= merged["score"]
    for r in copies:  # answers to an attempt that is still in the merge are all there
        for attempt in {r["attempt"], r.get("again", {}).get("attempt")} - {None}:
            if attempt in (merged["attempt"], merged.get("again", {}).get("attempt")):
                assert answered(r, attempt) <= answered(merged, attempt)
    assert merge_records(merged, merged) == merged
    assert merge_records(merged, ra or rb)["status"] == merged["status"]
