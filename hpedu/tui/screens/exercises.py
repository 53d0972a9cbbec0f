"""Exercises: pick one, answer its steps with the keyboard, get feedback and hints."""

from __future__ import annotations

import time
from typing import Awaitable

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...content import Content
from ...content.answers import AnswerError, check_answer, display_order, input_help, label
from ...content.exercises import Exercise, Step
from ...content.inline import plain
from ...progress import DONE, ExerciseProgress, ProgressError, ProgressStore
from ..widgets.footer import KeyFooter
from ..widgets.inline_text import markdown_text
from ..widgets.status import StatusBar

_STATUS_MARK = {"new": "○", "in progress": "◐", "done": "✔"}
_COMPACT_WIDTH = 110  # below this, an open exercise takes the whole width (Escape shows the list)
_SHORT_HEIGHT = 32  # below this, the introduction gets a short scrollable strip
HINT_KEY = "F2"  # the one hint key, shown the same way in the footer, the answer box and the help


class ExercisesScreen(Screen):
    """Exercise list on the left; the current exercise, one step at a time, on the right."""

    BINDINGS = [
        Binding("enter", "submit", "Answer/next", show=False),
        Binding("f2", "hint", "Hint", key_display=HINT_KEY),
        Binding("i", "hint", "Hint (when not typing an answer)", show=False),
        Binding("f1", "app.help", "Help", key_display="F1"),  # also inside the answer box, where ? is typed
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("t", "try_preset", "Run simulation"),
        Binding("n", "next_step", "Next step"),
        Binding("l", "glossary", "Glossary term"),
        Binding("a", "again", "Try again"),
        Binding("ctrl+r", "restart", "Restart"),
        Binding("escape", "leave", "Back (shows the list first when it is hidden)", show=False),
    ]

    def __init__(self, content: Content, store: ProgressStore, class_code: str | None = None,
                 exercise_id: str | None = None) -> None:
        super().__init__()
        self.content = content
        self.store = store
        self.class_code = class_code
        self.exercises: dict[str, Exercise] = content.extras.get("exercises", {})
        self._initial = exercise_id
        self.exercise: Exercise | None = None
        self.step_index = 0
        self.answered = False
        self.hints_shown = 0
        self._step_started = time.monotonic()
        self._warned = len(store.warnings)  # the app shows the warnings from opening the store

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the keys that do something now (refreshed
        whenever a step is shown or answered)."""
        if action in ("hint", "glossary", "restart", "next_step", "try_preset", "again") and self.exercise is None:
            return False
        if action == "again":  # a finished exercise: trying again is an explicit choice
            return self.store.status(self.exercise.id) == DONE
        if action == "hint" and self.step is None:
            return False
        if action == "try_preset":
            step = self.step
            return bool(step and step.preset)
        if action == "next_step" and self.step is None:
            return False  # finished or in review: no step to move on to
        if action == "next_step" and not self.answered:
            return None  # shown dimmed: answer first
        return True

    def compose(self) -> ComposeResult:
        with Horizontal(id="exercise-body"):
            with Vertical(id="exercise-side"):
                yield Static("Exercises  (Enter starts)", classes="section-title")
                yield OptionList(id="exercise-list")
            with Vertical(id="exercise-pane"):
                yield Static(id="exercise-title")
                # The introduction scrolls in its own strip, so the step below it stays in view.
                with VerticalScroll(id="exercise-intro-box"):
                    yield Markdown(id="exercise-intro", open_links=False)  # glossary: links open here
                with VerticalScroll(id="step-box"):
                    yield Static(id="step-header", classes="section-title")
                    yield Static(id="step-question")
                    yield Static(id="step-choices")
                    yield Input(id="answer-input")
                    yield Static(id="step-hints")
                    yield Static(id="step-feedback")
        yield StatusBar(self.content)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        if self._initial and self._initial in self.exercises:
            self.open_exercise(self._initial)
        else:
            self.query_one("#exercise-list", OptionList).focus()
            self._show_placeholder()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 70, "-narrow")
        self.set_class(event.size.width < _COMPACT_WIDTH, "-compact")
        self.set_class(event.size.height < _SHORT_HEIGHT, "-short")

    def _reading(self, on: bool) -> None:
        """On a compact screen an open exercise hides the list ("-reading"); Escape brings it back."""
        self.set_class(on, "-reading")

    def _show_list(self) -> None:
        self._reading(False)
        self.query_one("#exercise-list", OptionList).focus()

    def _bring_into_view(self, widget_id: str, top: bool = False) -> None:
        """Scroll the step box (after the next layout) so `widget_id` is in view."""

        def scroll() -> None:
            if not self.is_attached:  # the screen was left before the layout came
                return
            try:
                box = self.query_one("#step-box", VerticalScroll)
                widget = self.query_one(widget_id)
            except NoMatches:
                return
            region = widget.virtual_region
            if top or region.height >= box.scrollable_content_region.height:
                box.scroll_to(y=region.y, animate=False)
            else:
                box.scroll_to_region(region, animate=False)

        # Twice: the texts just updated get their new heights in the next layout.
        self.call_after_refresh(self.call_after_refresh, scroll)

    # ----- the list --------------------------------------------------------
    def refresh_list(self) -> None:
        self.store.refresh()  # another process (a terminal, a second window) may have saved progress
        options = []
        rank = {"beginner": 0, "intermediate": 1, "advanced": 2}
        for ex in sorted(self.exercises.values(), key=lambda e: (rank.get(e.difficulty, 3), e.title.lower())):
            status = self.store.status(ex.id)
            rec = self.store.exercise(ex.id)
            text = Text(f"{_STATUS_MARK.get(status, '○')} ")
            text.append(ex.title)
            detail = f"  {ex.difficulty}"
            if rec is not None and status == "done":
                detail += f" · {rec.best_score}/{rec.steps_total}"
            elif rec is not None and status == "in progress":
                detail += f" · step {rec.next_step + 1}/{rec.steps_total}"
            text.append(detail, style="dim")
            options.append(Option(text, id=ex.id))
        if not options:
            options.append(Option("No exercises in this content folder.", disabled=True))
        lst = self.query_one("#exercise-list", OptionList)
        highlighted = lst.highlighted
        lst.set_options(options)
        if highlighted is not None and highlighted < lst.option_count:
            lst.highlighted = highlighted
        elif self.exercises:
            lst.highlighted = 0

    @on(OptionList.OptionSelected, "#exercise-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_exercise(event.option.id)

    def _show_placeholder(self) -> None:
        self.query_one("#exercise-title", Static).update(
            Text("Choose an exercise on the left. Each one asks a few questions; some run a simulation "
                 "before or after you answer.", style="italic")
        )
        self.query_one("#answer-input", Input).display = False

    # ----- one exercise ----------------------------------------------------
    def open_exercise(self, exercise_id: str, restart: bool = False) -> None:
        """Resume an exercise; a finished one opens in review unless `restart` (a new try, best score kept)."""
        if not self.query("#exercise-title"):  # pushed a moment ago and not composed yet: on_mount opens it
            self._initial = exercise_id
            return
        ex = self.exercises[exercise_id]
        self.exercise = ex
        self._saving(self.store.start, ex.id, len(ex.steps), class_code=self.class_code, restart=restart)
        record = self.store.exercise(ex.id)
        current = record.current if record is not None else None
        self.step_index = len(ex.steps) if current is None else current.next_step
        title = Text(ex.title, style="bold")
        title.append(f"   {ex.difficulty} · practises: ", style="dim")
        title.append(", ".join(self.content.entries[t].term if t in self.content.entries else t for t in ex.terms), style="dim")
        title.append("  · Esc: the list", style="dim")
        self.query_one("#exercise-title", Static).update(title)
        rendered = self.query_one("#exercise-intro", Markdown).update(ex.intro or ex.summary)
        self.call_later(self._after_intro, rendered)
        self.query_one("#exercise-intro-box", VerticalScroll).scroll_home(animate=False)
        self._reading(True)
        self.refresh_list()
        if record is not None and current is None:
            self._show_review(record)
        elif self.step_index >= len(ex.steps):
            self._show_done()
        else:
            self._show_step()

    async def _after_intro(self, rendered: Awaitable[object]) -> None:
        """Markdown renders the introduction a few frames later, which moves the step: keep its
        answer box in view."""
        await rendered
        if self.is_attached and self.step is not None and not self.answered:
            self._bring_into_view("#answer-input")

    def _saving(self, change, *args, **kwargs) -> None:
        """Call the store; a failed save is shown (the store keeps the answer and retries with the next change)."""
        try:
            change(*args, **kwargs)
        except ProgressError as exc:
            self.notify(f"Progress not saved: {exc}. Your answers are kept while the app is open.",
                        severity="error", timeout=15)
        for warning in self.store.warnings[self._warned:]:
            self.notify(warning, severity="warning", timeout=12)
        self._warned = len(self.store.warnings)

    @property
    def step(self) -> Step | None:
        if self.exercise is None or self.step_index >= len(self.exercise.steps):
            return None
        return self.exercise.steps[self.step_index]

    def _order(self) -> list[int] | None:
        step = self.step
        if step is None or step.kind != "order":
            return None
        return display_order(step.items, self.exercise.id, self.step_index)

    def _show_step(self) -> None:
        step = self.step
        assert step is not None and self.exercise is not None
        self.answered = False
        self.hints_shown = 0
        self._step_started = time.monotonic()
        header = f"Step {self.step_index + 1} of {len(self.exercise.steps)}"
        if step.preset and step.run == "before":
            header += "  ·  watch first: press t to run the simulation, then answer"
        elif step.preset:
            header += "  ·  predict first: answer, then press t to watch the simulation decide"
        self.query_one("#step-header", Static).update(header)
        self.query_one("#step-question", Static).update(self._md(step.question, style="bold"))
        # A grid: a long choice wraps under its own text, not under its letter.
        lines = Table.grid(padding=(0, 1))
        lines.add_column(no_wrap=True)
        lines.add_column(ratio=1)
        if step.kind == "choice":
            for i, choice in enumerate(step.choices):
                lines.add_row(f"  {label(i)})", self._md(choice))
        elif step.kind == "order":
            for shown, i in enumerate(self._order() or []):
                lines.add_row(f"  {label(shown)})", self._md(step.items[i]))
        self.query_one("#step-choices", Static).update(lines if lines.row_count else "")
        box = self.query_one("#answer-input", Input)
        box.display = True
        box.disabled = False
        box.value = ""
        box.placeholder = f"{input_help(step)}   ({HINT_KEY}: hint)"
        box.focus()
        self._set_hints(None)
        self.query_one("#step-feedback", Static).update("")
        self.query_one("#step-box", VerticalScroll).scroll_home(animate=False)
        self._bring_into_view("#answer-input")
        self.refresh_bindings()

    def _show_done(self) -> None:
        assert self.exercise is not None
        rec = self.store.exercise(self.exercise.id)
        score = f"{rec.score}/{rec.steps_total}" if rec else "?"
        best = f" (best {rec.best_score}/{rec.steps_total})" if rec and rec.best_score > rec.score else ""
        self.query_one("#step-header", Static).update("Finished")
        self.query_one("#step-question", Static).update(
            Text(f"✔ Exercise done: {score} right{best}. Press a to try it again, or pick another exercise.",
                 style="bold")
        )
        self.query_one("#step-choices", Static).update("")
        self.query_one("#answer-input", Input).display = False
        self._after_finish()

    def _show_review(self, record: ExerciseProgress) -> None:
        """A finished exercise as recorded: its score and each step's answer; nothing is changed."""
        assert self.exercise is not None
        ex, total = self.exercise, record.steps_total
        self.answered = False
        best = f" (best {record.best_score}/{total})" if record.best_score > record.score else ""
        when = record.finished.replace("T", " ").replace("Z", " UTC")
        self.query_one("#step-header", Static).update(f"Finished{' on ' + when if when else ''} · review")
        self.query_one("#step-question", Static).update(
            Text(f"✔ Exercise done: {record.score}/{total} right{best}. Your answers as recorded; "
                 "press a to try it again (your best score is kept).", style="bold")
        )
        answers = {s.index: s for s in record.steps}
        lines = Text()
        for i, step in enumerate(ex.steps):
            lines.append(f"{i + 1}. ", style="bold")
            lines.append_text(self._md(step.question, style="bold"))
            lines.append("\n")
            s = answers.get(i)
            if s is None or s.answer is None:
                lines.append("   no answer recorded\n\n", style="dim")
                continue
            shown = s.answer
            if step.kind == "choice" and len(shown) == 1 and shown in "abcdefgh"[:len(step.choices)]:
                shown = f"{shown}) {plain(step.choices['abcdefgh'.index(shown)])}"
            mark = "✔ right" if s.correct else "✘ wrong"
            lines.append(f"   your answer: {shown}   {mark}\n\n")
        self.query_one("#step-choices", Static).update(lines)
        self.query_one("#answer-input", Input).display = False
        self._set_hints(None)
        self.query_one("#step-feedback", Static).update("")
        self._after_finish()

    def _md(self, source: str, style: str = "") -> Text:
        """`markdown_text` with code in the theme's accent text colour (as Textual's Markdown shows it)."""
        colour = self.app.get_css_variables().get("text-accent")
        return markdown_text(source, style, Style(color=colour, bold=True) if colour else "bold reverse")

    def _set_hints(self, hints: Text | None) -> None:
        box = self.query_one("#step-hints", Static)
        box.update(hints or "")
        box.display = hints is not None  # an empty Static would still take a line

    def _after_finish(self) -> None:
        """Done or in review: the list takes the focus, shown again, unless the screen is compact,
        where the result keeps the width (Escape shows the list)."""
        self.query_one("#step-box", VerticalScroll).scroll_home(animate=False)
        if self.app.size.width < _COMPACT_WIDTH:  # (on opening, before the first Resize sets -compact)
            self.query_one("#step-box", VerticalScroll).focus()
        else:
            self._show_list()
        self.refresh_bindings()

    @on(Input.Submitted, "#answer-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, text: str) -> None:
        """Check `text` as the answer to the current step (or show a hint for '?')."""
        step = self.step
        if step is None or self.answered:
            return
        if text.strip().lower() in ("?", "hint"):
            self.query_one("#answer-input", Input).value = ""
            self.action_hint()
            return
        try:
            result = check_answer(step, text, self._order())
        except AnswerError as exc:
            # The message quotes what was typed; the box is cleared for the next try.
            self.query_one("#step-feedback", Static).update(Text(f"⚠ {exc}", style="bold"))
            self.query_one("#answer-input", Input).value = ""
            return
        seconds = time.monotonic() - self._step_started
        self._saving(self.store.answer, self.exercise.id, self.step_index, result.answer.text, result.correct, seconds)
        self.answered = True
        self.refresh_bindings()
        box = self.query_one("#answer-input", Input)
        box.disabled = True
        feedback = Text()
        if result.correct:
            feedback.append("✔ Correct.", style="bold")
        else:
            feedback.append("✘ Not quite.", style="bold")
            feedback.append(" The answer is ")
            feedback.append_text(self._md(result.expected))  # a choice's own Markdown
            feedback.append(".")
        feedback.append("\n\n")
        feedback.append_text(self._md(step.explanation))
        more = "  n: next step"
        if step.preset and step.run != "before":
            more = "  t: watch the simulation decide ·" + more
        feedback.append(f"\n\n{more}", style="dim")
        self.query_one("#step-feedback", Static).update(feedback)
        self.refresh_list()
        self.query_one("#step-box", VerticalScroll).focus()  # arrows scroll a long explanation
        self._bring_into_view("#step-feedback", top=True)  # the verdict is the feedback's first line

    # ----- actions -----------------------------------------------------------
    def action_submit(self) -> None:
        if self.answered:
            self.action_next_step()

    def action_next_step(self) -> None:
        if self.exercise is None or not self.answered:
            return
        self.step_index += 1
        if self.step_index >= len(self.exercise.steps):
            self._show_done()
        else:
            self._show_step()

    def action_hint(self) -> None:
        step = self.step
        if step is None:
            return
        if self.hints_shown >= len(step.hints):
            self.notify("No more hints for this step." if step.hints else "This step has no hints.", timeout=3)
            return
        self.hints_shown += 1
        self._saving(self.store.hint, self.exercise.id, self.step_index)
        hints = Text()
        for i in range(self.hints_shown):
            hints.append(f"Hint {i + 1}: ", style="bold")
            hints.append_text(self._md(step.hints[i]))
            hints.append("\n")
        self._set_hints(hints)
        self._bring_into_view("#step-hints")

    def action_try_preset(self) -> None:
        step = self.step
        if step is None or not step.preset:
            self.notify("This step has no simulation.", timeout=3)
            return
        if step.run == "after" and not self.answered:
            self.notify("Predict first: answer the question, then watch the simulation.", timeout=4)
            return
        self.app.open_preset(step.preset)

    @on(Markdown.LinkClicked, "#exercise-intro")
    def _intro_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        href = event.href.lstrip("#")
        if href.startswith("glossary:"):
            self.action_open_term(href.removeprefix("glossary:"))
        elif href.startswith(("http://", "https://")):
            self.app.open_url(href)

    def action_open_term(self, entry_id: str) -> None:
        """A clicked glossary link in a question, hint or explanation."""
        if entry_id in self.content.entries:
            self.app.open_entry(entry_id)

    def action_glossary(self) -> None:
        if self.exercise and self.exercise.terms:
            self.app.open_entry(self.exercise.terms[0])

    def action_restart(self) -> None:
        if self.exercise is not None:
            self.open_exercise(self.exercise.id, restart=True)

    def action_again(self) -> None:
        """A new try of a finished exercise (it stays finished; the best score is kept)."""
        if self.exercise is not None and self.store.status(self.exercise.id) == DONE:
            self.open_exercise(self.exercise.id, restart=True)

    def action_leave(self) -> None:
        if (self.has_class("-compact") and self.has_class("-reading")) or isinstance(self.focused, Input):
            self._show_list()
        else:
            self.app.pop_screen()
