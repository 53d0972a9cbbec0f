"""The simulator's run controller: every transition, without any UI.

The controller is given recorders for `start` and `cancel`; what a worker
would send back is played by calling `stopped` / `failed` with a generation."""

from __future__ import annotations

import pytest

from hpedu.simulation.controller import Job, RunController, RunState


class Rig:
    def __init__(self) -> None:
        self.started: list[Job] = []
        self.cancels = 0
        self.ctl = RunController(self.started.append, self._cancel)

    def _cancel(self) -> None:
        self.cancels += 1

    @property
    def job(self) -> Job:
        return self.started[-1]


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_a_new_controller_is_idle_and_starts_nothing(rig: Rig) -> None:
    assert rig.ctl.state is RunState.IDLE and not rig.ctl.busy
    assert rig.started == [] and rig.cancels == 0


def test_n_takes_one_step_then_idle(rig: Rig) -> None:
    assert rig.ctl.step() is None
    assert rig.ctl.state is RunState.STEPPING and rig.job.count == 1 and not rig.job.pace
    assert rig.ctl.stopped(rig.job.generation, finished=False)
    assert rig.ctl.state is RunState.IDLE and len(rig.started) == 1


def test_n_while_stepping_queues_steps_taken_one_after_the_other(rig: Rig) -> None:
    rig.ctl.step()
    rig.ctl.step()
    rig.ctl.step()
    assert len(rig.started) == 1 and rig.ctl.queued_steps == 2
    first = rig.job.generation
    rig.ctl.stopped(first, finished=False)
    assert rig.ctl.state is RunState.STEPPING and len(rig.started) == 2 and rig.job.count == 1
    assert rig.job.generation != first and rig.cancels == 0  # the finished worker is not cancelled
    rig.ctl.stopped(rig.job.generation, finished=False)
    rig.ctl.stopped(rig.job.generation, finished=False)
    assert rig.ctl.state is RunState.IDLE and len(rig.started) == 3


def test_the_last_step_finishes_the_run_and_forgets_queued_presses(rig: Rig) -> None:
    rig.ctl.step()
    rig.ctl.step()
    rig.ctl.stopped(rig.job.generation, finished=True)
    assert rig.ctl.state is RunState.FINISHED and rig.ctl.queued_steps == 0 and len(rig.started) == 1
    for key in (rig.ctl.step, rig.ctl.play, rig.ctl.run_to_end):
        assert "r starts it again" in key()
    assert len(rig.started) == 1


def test_p_plays_and_p_again_pauses(rig: Rig) -> None:
    rig.ctl.play()
    assert rig.ctl.state is RunState.PLAYING and rig.job.count is None and rig.job.pace
    playing = rig.job.generation
    assert rig.ctl.play() is None
    assert rig.ctl.state is RunState.IDLE and rig.cancels == 1
    assert not rig.ctl.stopped(playing, finished=False)  # the cancelled worker's late message
    assert rig.ctl.state is RunState.IDLE


def test_p_during_a_step_plays_on(rig: Rig) -> None:
    rig.ctl.step()
    rig.ctl.step()
    stepping = rig.job.generation
    assert rig.ctl.play() is None
    assert rig.ctl.state is RunState.PLAYING and rig.job.pace and rig.job.count is None
    assert rig.cancels == 1 and rig.ctl.queued_steps == 0
    assert not rig.ctl.stopped(stepping, finished=False) and rig.ctl.state is RunState.PLAYING


def test_n_while_playing_pauses(rig: Rig) -> None:
    rig.ctl.play()
    rig.ctl.step()
    assert rig.ctl.state is RunState.IDLE and rig.cancels == 1 and len(rig.started) == 1


def test_e_while_playing_replaces_the_play_and_drops_its_late_stop(rig: Rig) -> None:
    """The bug: the play's Stopped arrived after the run to the end had started,
    and the title said paused while the run to the end went on."""
    rig.ctl.play()
    playing = rig.job.generation
    rig.ctl.run_to_end()
    assert rig.cancels == 1 and len(rig.started) == 2
    to_end = rig.job
    assert to_end.count is None and not to_end.pace and to_end.generation != playing
    assert not rig.ctl.stopped(playing, finished=False)
    assert rig.ctl.state is RunState.RUNNING_TO_END and rig.ctl.busy
    assert rig.ctl.stopped(to_end.generation, finished=True)
    assert rig.ctl.state is RunState.FINISHED


def test_n_after_e_does_not_cancel_the_run_to_the_end(rig: Rig) -> None:
    rig.ctl.run_to_end()
    note = rig.ctl.step()
    assert note and "Esc" in note
    assert rig.ctl.state is RunState.RUNNING_TO_END and rig.cancels == 0 and rig.ctl.queued_steps == 0
    assert rig.ctl.run_to_end() is None and len(rig.started) == 1  # e again: nothing new


def test_e_while_stepping_forgets_queued_steps(rig: Rig) -> None:
    rig.ctl.step()
    rig.ctl.step()
    stepping = rig.job.generation
    rig.ctl.run_to_end()
    assert rig.ctl.queued_steps == 0 and rig.cancels == 1
    assert not rig.ctl.stopped(stepping, finished=False)
    assert rig.ctl.state is RunState.RUNNING_TO_END and len(rig.started) == 2


def test_p_while_running_to_the_end_pauses(rig: Rig) -> None:
    rig.ctl.run_to_end()
    assert rig.ctl.play() is None
    assert rig.ctl.state is RunState.IDLE and rig.cancels == 1


def test_escape_stops_anything_and_says_when_nothing_runs(rig: Rig) -> None:
    assert rig.ctl.pause() == "Nothing is running."
    for start in (rig.ctl.step, rig.ctl.play, rig.ctl.run_to_end):
        start()
        gen = rig.job.generation
        assert rig.ctl.pause() is None and rig.ctl.state is RunState.IDLE
        assert not rig.ctl.stopped(gen, finished=True)  # stale: does not mark the run finished
        assert not rig.ctl.failed(gen, "boom")
        assert rig.ctl.state is RunState.IDLE


def test_a_failed_step_keeps_the_error_and_refuses_to_go_on_until_reset(rig: Rig) -> None:
    rig.ctl.play()
    assert rig.ctl.failed(rig.job.generation, "ValueError: the objective returned NaN")
    assert rig.ctl.state is RunState.FAILED and rig.ctl.error == "ValueError: the objective returned NaN"
    assert not rig.ctl.busy
    for key in (rig.ctl.step, rig.ctl.play, rig.ctl.run_to_end):
        assert "r resets" in key()
    assert len(rig.started) == 1
    rig.ctl.reset()
    assert rig.ctl.state is RunState.IDLE and rig.ctl.error is None
    rig.ctl.step()
    assert rig.ctl.state is RunState.STEPPING and len(rig.started) == 2


def test_reset_while_running_cancels_and_drops_every_late_message(rig: Rig) -> None:
    rig.ctl.run_to_end()
    old = rig.job.generation
    rig.ctl.reset()
    assert rig.cancels == 1 and rig.ctl.state is RunState.IDLE
    assert not rig.ctl.stopped(old, finished=True)
    assert not rig.ctl.failed(old, "late")
    assert not rig.ctl.current(old)
    assert rig.ctl.state is RunState.IDLE and rig.ctl.error is None


def test_reset_after_the_end_starts_over(rig: Rig) -> None:
    rig.ctl.run_to_end()
    rig.ctl.stopped(rig.job.generation, finished=True)
    rig.ctl.reset()
    assert rig.ctl.state is RunState.IDLE and rig.cancels == 0  # nothing was running
    assert rig.ctl.play() is None and rig.ctl.state is RunState.PLAYING


def test_every_start_has_a_new_generation_and_only_the_newest_counts(rig: Rig) -> None:
    rig.ctl.step()
    rig.ctl.play()  # plays on from the step
    rig.ctl.play()  # pauses
    rig.ctl.play()
    rig.ctl.run_to_end()
    gens = [j.generation for j in rig.started]
    assert len(set(gens)) == len(gens) == 4 and gens == sorted(gens)
    assert [rig.ctl.current(g) for g in gens] == [False, False, False, True]


def test_run_over_seen_by_the_screen_finishes_an_idle_run_only(rig: Rig) -> None:
    rig.ctl.play()
    rig.ctl.run_over()
    assert rig.ctl.state is RunState.PLAYING  # the worker says when it is done
    rig.ctl.pause()
    rig.ctl.run_over()
    assert rig.ctl.state is RunState.FINISHED
