"""The run controller: stepping, playing, running to the end and resetting
as one small state machine.

States: IDLE (nothing runs, more trials to take), STEPPING (a worker takes
one trial; more presses of `n` queue more single steps), PLAYING (a worker
takes trials at a pace), RUNNING_TO_END (a worker takes every remaining trial
at once), FINISHED (the budget is used) and FAILED (a step raised; the error
is kept for the screen; reset or a new setting starts over).

Every worker is started under a generation number, and every message it
sends carries that number. Any start, stop or reset moves to a new
generation, so a message from an older worker (the "stopped" of a play that
`e` replaced, a step that finished after Escape) is recognised and dropped
instead of changing the state. The controller never runs anything itself: it
calls `start(job)` and `cancel()`, which the screen provides (tests pass
recorders), so it is tested without any UI.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable

__all__ = ["RunState", "Job", "RunController"]


class RunState(enum.Enum):
    IDLE = "paused"
    STEPPING = "stepping"
    PLAYING = "playing"
    RUNNING_TO_END = "running to the end"
    FINISHED = "done"
    FAILED = "failed"


#: states in which a worker is taking trials
BUSY = frozenset({RunState.STEPPING, RunState.PLAYING, RunState.RUNNING_TO_END})


@dataclass(frozen=True)
class Job:
    """What a worker is asked to do: `count` trials (None: until the end), paced or not."""

    generation: int
    count: int | None
    pace: bool


class RunController:
    """The state of one simulator run and what each key does to it.

    Each key method returns a short notice for the screen to show when the key
    does nothing (None when it did something)."""

    def __init__(self, start: Callable[[Job], None], cancel: Callable[[], None]) -> None:
        self._start_job = start
        self._cancel_job = cancel
        self.state = RunState.IDLE
        self.generation = 0
        self.queued_steps = 0  # `n` pressed while a step was running
        self.error: str | None = None

    @property
    def busy(self) -> bool:
        return self.state in BUSY

    # ----- internals ------------------------------------------------------------
    def _start(self, state: RunState, count: int | None, pace: bool) -> None:
        if self.busy:
            self._cancel_job()
        self.generation += 1
        self.state = state
        self.error = None
        self._start_job(Job(self.generation, count, pace))

    def _stop(self) -> None:
        if self.busy:
            self._cancel_job()
        self.generation += 1
        self.queued_steps = 0
        if self.busy:
            self.state = RunState.IDLE

    def _refuse(self) -> str | None:
        if self.state is RunState.FINISHED:
            return "The run is over: r starts it again."
        if self.state is RunState.FAILED:
            return "The last step failed: r resets the run (or change a setting)."
        return None

    # ----- keys -------------------------------------------------------------------
    def step(self) -> str | None:
        """`n`: one trial; while playing it pauses; while a step runs it queues one more."""
        if self.state is RunState.PLAYING:
            return self.pause()
        if self.state is RunState.STEPPING:
            self.queued_steps += 1
            return None
        if self.state is RunState.RUNNING_TO_END:
            return "Running to the end: Esc stops."
        refused = self._refuse()
        if refused:
            return refused
        self._start(RunState.STEPPING, 1, pace=False)
        return None

    def play(self) -> str | None:
        """`p`: play (also during a single step, which the play continues), or pause a play or a run to the end."""
        if self.state is RunState.STEPPING:
            self.queued_steps = 0
            self._start(RunState.PLAYING, None, pace=True)
            return None
        if self.busy:
            return self.pause()
        refused = self._refuse()
        if refused:
            return refused
        self._start(RunState.PLAYING, None, pace=True)
        return None

    def run_to_end(self) -> str | None:
        """`e`: every remaining trial at once (replaces a play or a step)."""
        if self.state is RunState.RUNNING_TO_END:
            return None
        refused = self._refuse()
        if refused:
            return refused
        self.queued_steps = 0
        self._start(RunState.RUNNING_TO_END, None, pace=False)
        return None

    def pause(self) -> str | None:
        """Stop what runs (p while playing, Escape); None when something was stopped."""
        if not self.busy:
            return "Nothing is running."
        self._stop()
        return None

    def reset(self) -> None:
        """A new run replaces the old one (`r`, or a setting changed): stop, new generation, IDLE."""
        self._stop()
        self.state = RunState.IDLE
        self.error = None

    def run_over(self) -> None:
        """The simulation has used its budget (seen by the screen): FINISHED unless a worker still runs."""
        if not self.busy:
            self.state = RunState.FINISHED
            self.queued_steps = 0

    # ----- worker messages ----------------------------------------------------------
    def current(self, generation: int) -> bool:
        """Whether a message sent under `generation` still counts (older ones are dropped)."""
        return generation == self.generation and self.busy

    def stopped(self, generation: int, finished: bool) -> bool:
        """A worker finished its job; False (and nothing changes) for an older generation."""
        if not self.current(generation):
            return False
        if finished:
            self.state = RunState.FINISHED
            self.queued_steps = 0
        elif self.state is RunState.STEPPING and self.queued_steps:
            self.queued_steps -= 1
            self.generation += 1
            self._start_job(Job(self.generation, 1, False))
        else:
            self.state = RunState.IDLE
        return True

    def failed(self, generation: int, error: str) -> bool:
        """A step raised: the run stays on screen, usable for reset and settings."""
        if not self.current(generation):
            return False
        self.state = RunState.FAILED
        self.error = error
        self.queued_steps = 0
        return True
