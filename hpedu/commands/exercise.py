"""CLI: `hpedu exercise list|show|run`.

`hpedu exercise run ID` is plain prompts on stdin/stdout, so it works in any
terminal and can be fed answers from a file (`hpedu exercise run ID < answers.txt`):
each step prints its question and reads one line; `?` shows the next hint
(hints are counted), `quit` stops, and the end of the input stops too. Progress
is saved after every answer, so a run that stops resumes where it stopped.
A finished exercise is shown in review (the answers and score as recorded);
`--again` starts a new try, which never lowers the best score nor makes the
exercise unfinished.
Exit status: 0 when the last step is answered (or a finished exercise is
reviewed), 3 when the run stopped before it (so a script can tell an answers
file that was too short), 1 when the progress could not be saved (the
message says why), 2 for a usage error such as an unknown exercise or an
unusable data folder.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..content import Content, Preset
    from ..content.exercises import Exercise, Step
    from ..progress import ExerciseProgress, ProgressStore

EXIT_USAGE = 2
EXIT_NOT_SAVED = 1  # the answers were taken but could not be written to the progress file
EXIT_INCOMPLETE = 3  # the run stopped (quit or end of input) before the last step
HINT_WORDS = ("?", "hint")
QUIT_WORDS = ("q", "quit", "exit")
MAX_TRIAL_ROWS = 40  # a single run longer than this is summarised by its best trial only


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_content_option, add_learner_options

    ex = sub.add_parser("exercise", help="list, show or do exercises in plain text",
                        description="Exercises on the command line: list them, read one, or answer one step by step.")
    ex_sub = ex.add_subparsers(dest="exercise_command", metavar="ACTION", required=True)

    p = ex_sub.add_parser("list", help="every exercise with its difficulty and your status")
    add_content_option(p)
    add_learner_options(p)
    p.set_defaults(handler=cmd_list)

    p = ex_sub.add_parser("show", help="print an exercise's introduction and questions")
    p.add_argument("id", help="the exercise id (see 'hpedu exercise list')")
    p.add_argument("--answers", action="store_true", help="also print the answers and explanations (for teachers)")
    add_content_option(p)
    p.set_defaults(handler=cmd_show)

    p = ex_sub.add_parser(
        "run", help="answer an exercise step by step (reads answers from stdin)",
        description="Answer an exercise step by step. Type the answer and Enter; '?' shows a hint, 'quit' stops. "
        "Answers can come from a file: hpedu exercise run ID < answers.txt. "
        "Exit status 0 when every step is answered, 3 when the run stops before the end.",
    )
    p.add_argument("id", help="the exercise id (see 'hpedu exercise list')")
    p.add_argument("--again", "--restart", dest="again", action="store_true",
                   help="start a new try from the first step instead of resuming or reviewing "
                   "(a finished exercise stays finished and keeps its best score)")
    p.add_argument("--no-simulation", action="store_true", help="do not run the steps' simulations")
    add_content_option(p)
    add_learner_options(p)
    p.set_defaults(handler=cmd_run)


# ----- helpers ---------------------------------------------------------------
def fail(command: str, message: str, code: int = EXIT_USAGE) -> int:
    print(f"hpedu {command}: error: {message}", file=sys.stderr)
    return code


def load(args: argparse.Namespace) -> "Content":
    from ..cli import content_dir
    from ..content import load_content

    content = load_content(content_dir(args))
    if content.problems:
        n = len(content.problems)
        print(f"note: {n} content problem{'s' if n != 1 else ''}; run 'hpedu check' to see them", file=sys.stderr)
    return content


def open_store(args: argparse.Namespace) -> "ProgressStore":
    """The learner's store, its warnings printed. ValueError for a bad profile
    name, DataDirError (exit 2) for an unusable data folder."""
    from ..cli import learner_profile
    from ..progress import ProgressStore

    store = ProgressStore.open(learner_profile(args))
    for warning in store.warnings:
        print(f"hpedu: warning: {warning}", file=sys.stderr)
    return store


def _find(content: "Content", exercise_id: str, command: str) -> "Exercise | None":
    import difflib

    exercises = content.extras.get("exercises", {})
    if exercise_id in exercises:
        return exercises[exercise_id]
    close = difflib.get_close_matches(exercise_id, list(exercises), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'hpedu exercise list' shows them all"
    print(f"hpedu exercise {command}: error: no exercise {exercise_id!r}{hint}", file=sys.stderr)
    return None


def _text(text: str, indent: str = "") -> str:
    """Markdown for a terminal, as plain text: no backticks, asterisks or link syntax (links
    become their words), headings without their #, paragraphs wrapped."""
    import textwrap

    from ..content.inline import plain

    out = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        if any(line.lstrip().startswith(("-", "*", "#", "|", ">")) or line.startswith("    ") for line in lines):
            # lists, headings, tables: kept line by line, their inline Markdown rendered
            out.append("\n".join(indent + _plain_line(line) for line in lines))
        else:
            glued = plain(" ".join(para.split())).replace(" = ", "\u00a0=\u00a0")  # keep "x = 0" on one line
            wrapped = textwrap.fill(glued, width=78, initial_indent=indent, subsequent_indent=indent)
            out.append(wrapped.replace("\u00a0", " "))
    return "\n\n".join(out)


def _plain_line(line: str) -> str:
    """One line of a list, heading or table: a heading loses its #, everything its inline syntax."""
    from ..content.inline import plain

    heading = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
    if heading:
        return plain(heading.group(1))
    item = re.match(r"(\s*(?:[-*+]|\d+[.)])\s+)(.*)$", line)
    if item:
        return item.group(1) + plain(item.group(2))
    return plain(line)


def _status_text(store: "ProgressStore", exercise: "Exercise") -> str:
    from ..progress import DONE, NEW

    p = store.exercise(exercise.id)
    if p is None or p.status == NEW:
        return "new"
    if p.status == DONE:
        return f"done {p.best_score}/{p.steps_total}" + (" (trying again)" if p.again else "")
    return f"in progress {p.answered}/{p.steps_total}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    return ["  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() for cells in [header, *rows]]


def _fmt(value: Any, digits: int = 4) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


# ----- list / show -----------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from ..progress import DataDirError

    try:
        content = load(args)
        store = open_store(args)
    except DataDirError as exc:
        return fail("exercise list", str(exc), EXIT_USAGE)
    except (FileNotFoundError, ValueError) as exc:
        return fail("exercise list", str(exc), 1)
    exercises = list(content.extras.get("exercises", {}).values())
    if not exercises:
        print(f"no exercises in {content.root}")
        return 0
    rows = [[e.id, e.difficulty, str(len(e.steps)), _status_text(store, e), e.title] for e in exercises]
    for line in table(["id", "difficulty", "steps", "status", "title"], rows):
        print(line)
    return 0


def _choice(letter: str, text: str) -> str:
    """`  b) text`, its inline Markdown rendered, long text wrapped under the text, not the letter."""
    import textwrap

    from ..content.inline import plain

    return textwrap.fill(plain(" ".join(text.split())), width=78, initial_indent=f"  {letter}) ",
                         subsequent_indent=" " * (len(letter) + 4))


def step_text(step: "Step", exercise_id: str, index: int, total: int) -> str:
    """A step as shown before it is answered: number, question, choices or shuffled items, what to type."""
    from ..content.answers import display_order, input_help, label

    lines = [f"Step {index + 1} of {total}", _text(step.question)]
    if step.kind == "choice":
        lines += [_choice(label(i), c) for i, c in enumerate(step.choices)]
    elif step.kind == "order":
        order = display_order(step.items, exercise_id, index)
        lines += [_choice(label(i), step.items[item]) for i, item in enumerate(order)]
    hint = ", ? for a hint" if step.hints else ""
    lines.append(f"({input_help(step)}{hint})")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    from ..content.answers import display_order, expected_answer

    try:
        content = load(args)
    except FileNotFoundError as exc:
        return fail("exercise show", str(exc), 1)
    exercise = _find(content, args.id, "show")
    if exercise is None:
        return EXIT_USAGE
    print(_header(exercise, content))
    for i, step in enumerate(exercise.steps):
        print()
        if step.preset:
            print(_preset_note(step, content))
        print(step_text(step, exercise.id, i, len(exercise.steps)))
        if args.answers:
            order = display_order(step.items, exercise.id, i) if step.kind == "order" else None
            print(_text(f"Answer: {expected_answer(step, order)}"))
            print(_text(f"Why: {step.explanation}"))
    return 0


def _header(exercise: "Exercise", content: "Content") -> str:
    terms = [content.entries[t].term if t in content.entries else t for t in exercise.terms]
    n = len(exercise.steps)
    lines = [exercise.title, "=" * len(exercise.title),
             f"{exercise.difficulty} · {n} step{'s' if n != 1 else ''} · practises: {', '.join(terms)}",
             "", _text(exercise.summary)]
    if exercise.intro:
        lines += ["", _text(exercise.intro)]
    return "\n".join(lines)


def _preset_note(step: "Step", content: "Content") -> str:
    preset = content.presets.get(step.preset)
    title = preset.title if preset else step.preset
    when = "runs first, then you answer" if step.run == "before" else "you predict first, then it runs"
    return f"[simulation: {title}; {when}]"


# ----- run -------------------------------------------------------------------
class Prompter:
    """Reads one answer line at a time; echoes it when the input is not a terminal."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.echo = not _isatty(stdin)

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str = "> ") -> str | None:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if line == "":
            if self.echo:
                self.stdout.write("\n")
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self.stdout.write(line + "\n")
        return line


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def cmd_run(args: argparse.Namespace) -> int:
    from ..cli import class_code
    from ..progress import DataDirError

    try:
        content = load(args)
        store = open_store(args)
        code = class_code(args, content)
    except DataDirError as exc:
        return fail("exercise run", str(exc), EXIT_USAGE)
    except (FileNotFoundError, ValueError) as exc:
        return fail("exercise run", str(exc), 1)
    exercise = _find(content, args.id, "run")
    if exercise is None:
        return EXIT_USAGE
    io = Prompter(sys.stdin, sys.stdout)
    return run_exercise(exercise, content, store, io, code, simulate=not args.no_simulation, again=args.again)


class _Saving:
    """Calls the store; a failed save is reported once and the run goes on (the store keeps the answers)."""

    def __init__(self, store: "ProgressStore") -> None:
        self.store = store
        self.error: str | None = None

    def __call__(self, change: Any, *args: Any, **kwargs: Any) -> Any:
        from ..progress import ProgressError

        try:
            return change(*args, **kwargs)
        except ProgressError as exc:
            if self.error is None:
                print(f"hpedu exercise run: error: {exc}", file=sys.stderr)
                print("hpedu exercise run: your answers are kept for this run and saved as soon as saving works",
                      file=sys.stderr)
            self.error = str(exc)
            return None

    def saved(self) -> bool:
        """True once everything is in the file (one more try if an earlier save failed)."""
        self(self.store.save)
        return not self.store.unsaved

    def not_saved(self) -> str:
        return f"Your progress was NOT saved: {self.error}"


def run_exercise(exercise: "Exercise", content: "Content", store: "ProgressStore", io: Prompter,
                 class_code: str | None, simulate: bool = True, again: bool = False) -> int:
    from ..content.answers import AnswerError, check_answer, display_order

    total = len(exercise.steps)
    save = _Saving(store)
    save(store.start, exercise.id, total, class_code=class_code, restart=again)
    record = store.exercise(exercise.id)
    current = record.current if record is not None else None
    io.say(_header(exercise, content))
    if current is None:  # done, and no new try asked for
        assert record is not None
        io.say(review_text(exercise, record))
        return 0
    first = current.next_step
    if class_code:
        io.say(f"\nClass code: {class_code} (simulation seeds are derived from it)")
    if record.status == "done":
        io.say(f"\nA new try: your recorded result ({record.score}/{total}, best {record.best_score}/{total}) "
               "stays and the best score is kept, whatever this try scores.")
    if first > 0:
        io.say(f"\nResuming at step {first + 1} of {total} ('--again' starts again).")
    io.say("Type your answer and press Enter; '?' shows a hint, 'quit' stops (your progress is kept).")
    for index in range(first, total):
        step = exercise.steps[index]
        order = display_order(step.items, exercise.id, index) if step.kind == "order" else None
        io.say()
        if step.preset and step.run == "before":
            io.say("First, the simulation:")
            _show_simulation(step, content, class_code, io, simulate)
            io.say()
        io.say(step_text(step, exercise.id, index, total))
        attempt = (store.exercise(exercise.id) or record).current or current
        hints_shown = next((s.hints_used for s in attempt.steps if s.index == index), 0)
        started = time.monotonic()
        while True:
            line = io.ask()
            if line is None or line.strip().lower() in QUIT_WORDS:
                return _stopped(exercise, store, io, index, end_of_input=line is None, save=save)
            if line.strip().lower() in HINT_WORDS:
                if hints_shown < len(step.hints):
                    hints_shown += 1
                    save(store.hint, exercise.id, index)
                    io.say(_text(f"Hint {hints_shown} of {len(step.hints)}: {step.hints[hints_shown - 1]}", "  "))
                else:
                    io.say("  No more hints for this step." if step.hints else "  This step has no hints.")
                continue
            try:
                result = check_answer(step, line, order)
            except AnswerError as exc:
                io.say(f"  {exc}")
                continue
            break
        save(store.answer, exercise.id, index, result.answer.text, result.correct, time.monotonic() - started)
        if step.preset and step.run == "after":
            io.say("Now the simulation decides:")
            _show_simulation(step, content, class_code, io, simulate)
        io.say("Correct." if result.correct else _text(f"Not quite: the answer is {result.expected}."))
        io.say(_text(step.explanation, "  "))
    p = store.exercise(exercise.id)
    assert p is not None
    io.say()
    best = f" (best {p.best_score}/{p.steps_total})" if p.best_score > p.score else ""
    io.say(f"Score: {p.score}/{p.steps_total}{best} · hints used: {p.hints_used} · time: {duration(p.seconds)}")
    if not save.saved():
        io.say(save.not_saved())
        return EXIT_NOT_SAVED
    io.say(f"Saved to the progress of profile '{store.profile}'.")
    return 0


def review_text(exercise: "Exercise", record: "ExerciseProgress") -> str:
    """A done exercise as recorded: score, and each step's question, answer and verdict."""
    from ..content.answers import display_order, expected_answer, label

    total = record.steps_total
    when = record.finished.replace("T", " ").replace("Z", " UTC") if record.finished else "earlier"
    attempts = f", {record.attempts} attempts" if record.attempts > 1 else ""
    lines = ["", f"Done on {when}: {record.score}/{total} right (best {record.best_score}/{total}{attempts}).",
             "Your answers as recorded:"]
    answers = {s.index: s for s in record.steps}
    for i, step in enumerate(exercise.steps):
        lines += ["", f"Step {i + 1} of {total}", _text(step.question, "  ")]
        s = answers.get(i)
        if s is None or s.answer is None:
            lines.append("  your answer: (none recorded)")
            continue
        verdict = "right" if s.correct else "wrong"
        shown = s.answer
        if step.kind == "choice" and len(shown) == 1 and "a" <= shown <= label(len(step.choices) - 1):
            shown = f"{shown}) {step.choices[ord(shown) - ord('a')]}"
        lines.append(_text(f"your answer: {shown} ({verdict})", "  "))
        if not s.correct:
            order = display_order(step.items, exercise.id, i) if step.kind == "order" else None
            lines.append(_text(f"the answer: {expected_answer(step, order)}", "  "))
    lines += ["", f"This exercise is done. 'hpedu exercise run {exercise.id} --again' tries it again",
              "(it stays done and your best score is kept)."]
    return "\n".join(lines)


def _stopped(exercise: "Exercise", store: "ProgressStore", io: Prompter, index: int, end_of_input: bool,
             save: _Saving) -> int:
    p = store.exercise(exercise.id)
    current = p.current if p else None
    answered = current.answered if current else 0
    why = "The input ended" if end_of_input else "Stopped"
    if not save.saved():
        io.say(f"{why} at step {index + 1} of {len(exercise.steps)}; {answered} answered.")
        io.say(save.not_saved())
        return EXIT_NOT_SAVED
    io.say(f"{why} at step {index + 1} of {len(exercise.steps)}; {answered} answered, progress saved.")
    io.say(f"Run 'hpedu exercise run {exercise.id}' to continue.")
    return EXIT_INCOMPLETE


# ----- simulations -------------------------------------------------------------
def _show_simulation(step: "Step", content: "Content", class_code: str | None, io: Prompter, enabled: bool) -> None:
    preset = content.presets.get(step.preset)
    if preset is None:
        io.say(f"  (preset {step.preset!r} is missing; run 'hpedu check')")
        return
    if not enabled:
        io.say(f"  (simulation '{preset.title}' skipped: --no-simulation)")
        return
    io.say(f"  {preset.title}")
    if _trains_models(preset.objective):
        io.say("  (this trains real scikit-learn models: it can take a minute)")
    try:
        for line in simulation_summary(preset, class_code):
            io.say(f"  {line}")
    except (ValueError, TypeError) as exc:
        io.say(f"  the simulation could not run: {exc}")


def _trains_models(objective: str) -> bool:
    from ..tuning.objectives import OBJECTIVES

    info = OBJECTIVES.get(objective)
    return info is not None and info.kind == "model"


def simulation_summary(preset: "Preset", class_code: str | None = None) -> list[str]:
    """Run a preset without a UI (seeds from the class code when given) and describe the outcome in a few lines."""
    from ..classroom import preset_seeds

    seeds = preset_seeds(preset, class_code)
    if preset.methods:
        return _compare_summary(preset, seeds)
    from ..tuning import simulate

    trace = simulate(preset.objective, preset.method, preset.budget, seeds[0],
                     options=preset.options, objective_options=preset.objective_options)
    better = "higher" if trace.direction == "maximize" else "lower"
    lines = [f"{trace.method} on {trace.objective}, {len(trace.trials)} trials, seed {trace.seed} "
             f"({trace.score_name}: {better} is better)"]
    if len(trace.trials) <= MAX_TRIAL_ROWS:
        lines += _trial_rows(trace)
    best = trace.best
    if best is None:
        return lines + ["no trial finished on the full data"]
    params = ", ".join(f"{k}={_fmt(v)}" for k, v in best.params.items())
    text = f"best {trace.score_name}: {_fmt(best.value, 6)} at {params} (trial #{best.index + 1})"
    if trace.optimum is not None:
        text += f"; known optimum {_fmt(trace.optimum, 6)}"
    return lines + [text]


def _trial_rows(trace: Any) -> list[str]:
    """One row per trial (number, parameters, value), '*' marking each new best."""
    names = trace.param_names
    header = ["#", *names, trace.score_name]
    rows, best = [], trace.best_so_far
    for i, t in enumerate(trace.trials):
        new_best = t.value == best[i] and (i == 0 or best[i] != best[i - 1])
        rows.append([str(t.index + 1), *(_fmt(t.params[n]) for n in names), _fmt(t.value, 6) + (" *" if new_best else "")])
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return lines + ["(* = new best so far)"]


def _compare_summary(preset: "Preset", seeds: list[int]) -> list[str]:
    from ..tuning import compare

    options = {preset.method: dict(preset.options)} if preset.options and preset.method in preset.methods else None
    comp = compare(preset.objective, list(preset.methods), preset.budget, seeds,
                   options=options, objective_options=preset.objective_options)
    better = "higher" if comp.direction == "maximize" else "lower"
    lines = [f"{', '.join(preset.methods)} on {comp.objective}, {comp.budget} trials each, {len(seeds)} seeds "
             f"({comp.score_name}: {better} is better)"]
    width = max(len(m) for m in comp.methods)
    for name, r in comp.methods.items():
        wins = f"{r.wins:.1f}".rstrip("0").rstrip(".")
        median = "-" if math.isnan(r.median_final) else _fmt(r.median_final, 6)
        lines.append(f"{name:<{width}}  median best {median}  wins {wins} of {len(seeds)}")
    return lines
