"""The hpedu Textual app: wires screens, global keys and the stylesheet."""

from __future__ import annotations

import asyncio
import gc
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode, NoScreen
from textual.screen import ModalScreen

from ..content import Content, load_content
from . import _textual_fixes
from ._gc import collect_if_due, freeze_once, rare_full_collections
from ._private import screen_is_gone
from .screens.home import HomeScreen
from .widgets.status import StatusBar

if TYPE_CHECKING:
    from ..path_progress import PathItem
    from ..progress import ProgressStore
    from .screens.glossary import GlossaryScreen
    from ..simulation import SimSettings

_textual_fixes.apply()

#: the garbage collector's full collections wait for this long without a key or click (seconds; see _gc)
IDLE_AFTER = 0.4
#: how often the app looks whether that moment has come (seconds)
IDLE_CHECK = 0.2

# Screens other than the home screen are imported when first opened, so the
# first screen appears as fast as a bare Textual app's.


def _glossary_commands() -> "type[Provider]":
    from .commands import GlossaryCommands

    return GlossaryCommands


class PresetCommands(Provider):
    """Command-palette entries that open each simulation preset."""

    def _items(self) -> list[tuple[str, str, str]]:
        presets = self.app.content.presets  # type: ignore[attr-defined]
        return [(f"Simulate: {p.title}", p.id, p.description) for p in presets.values()]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, preset_id, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.app.open_preset, preset_id),  # type: ignore[attr-defined]
                          help=help_text)

    async def discover(self) -> Hits:
        for text, preset_id, help_text in self._items():
            yield DiscoveryHit(text, partial(self.app.open_preset, preset_id), help=help_text)  # type: ignore[attr-defined]


class HpeduApp(App[int]):
    """hpedu: a glossary of hyperparameter tuning tied to live simulations."""

    TITLE = "hpedu"
    SUB_TITLE = "hyperparameters, hands on"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {_glossary_commands, PresetCommands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        # F1 in a dialog too (the command palette's search box, where ? is typed): a dialog's keys
        # stop before the app's, so this one goes first there (check_action: only in dialogs)
        Binding("f1", "dialog_help", "Help (also in dialogs and the command palette)", key_display="F1",
                show=False, priority=True),
        Binding("h", "home", "Home"),
        Binding("g", "open_glossary", "Glossary", show=False),
        Binding("s", "open_simulator", "Simulator", show=False),  # the home screen shows it
        Binding("m", "open_compare", "Compare", show=False),
        Binding("x", "open_exercises", "Exercises", show=False),  # the home screen shows it
        Binding("exclamation_mark", "show_problems", "Problems", key_display="!", show=False),  # p is Play
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    #: seconds between the first screen and the background check of presets; None: no check (hpedu serve
    #: checks the content once for every session, which then saves loading numpy and scipy until needed)
    deep_check_delay: float | None = 1.0

    def __init__(
        self,
        content: Content,
        start: "Callable[[HpeduApp], None] | None" = None,
        profile: str = "default",
        class_code: str | None = None,
        ask_name: bool = False,
    ) -> None:
        super().__init__()
        self.content = content
        #: the learner whose progress is shown and saved (--profile)
        self.profile = profile
        #: every simulation seed is derived from it when set (--class-code or the pack's)
        self.class_code = class_code
        #: a served session (hpedu serve): ask the learner's name first; no progress is opened until then
        self.ask_name = ask_name
        self._progress: "ProgressStore | None" = None
        #: called once the first screen is up (``hpedu simulate --watch`` opens its view this way)
        self._start_hook = start
        #: while start-up has the collector paused: whether to turn it back on (else None)
        self._gc_restore: bool | None = None
        #: when the last key, click or scroll came (time.monotonic)
        self.last_input = time.monotonic()
        #: when the last idle moment was used for a collection (see _collect_when_idle)
        self._idle_used = self.last_input

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(self.content)

    def on_load(self) -> None:
        # Building the first screen allocates many objects and frees few: a
        # full garbage collection in the middle of it took ~20 ms. Collect
        # nothing until the first screen is up, then move everything alive
        # by then out of the collector's sight (gc.freeze) and collect as usual.
        if self._gc_restore is None:  # once, even if a subclass's on_load calls this one too
            self._gc_restore = gc.isenabled()
            gc.disable()

    def _first_screen_up(self) -> None:
        if self._gc_restore is None:
            return  # not paused, or already resumed
        restore, self._gc_restore = self._gc_restore, None
        freeze_once("first screen")
        if restore:
            gc.enable()
        rare_full_collections()
        self.set_interval(IDLE_CHECK, self._collect_when_idle, name="idle collection")

    def _collect_when_idle(self) -> None:
        """The garbage collector's full collection, once the keys stop for a
        moment (see _gc); once per pause, so a simulation playing on its own for
        minutes is not stopped every IDLE_CHECK seconds by one."""
        now = time.monotonic()
        if now - self.last_input >= IDLE_AFTER and self._idle_used < self.last_input:
            self._idle_used = now
            collect_if_due()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self._first_screen_up()  # never leave the collector off

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_screen_up)
        self._notify_problems()
        if self._start_hook is not None:
            self.call_after_refresh(self._start_hook, self)
        if self.ask_name:
            from .screens.name import NameScreen

            self.push_screen(NameScreen())
        # Presets are checked against the engine (numpy, scipy, strategies)
        # a moment after the first screen: imports hold the GIL and would
        # delay the first paint.
        if self.deep_check_delay is not None:
            self.set_timer(self.deep_check_delay, self._start_deep_check)

    def _start_deep_check(self) -> None:
        self.run_worker(self._deep_check, thread=True, group="deep-check", exit_on_error=False)

    def _notify_problems(self) -> None:
        if self.content.problems:
            n = len(self.content.problems)
            self.notify(
                f"{n} content problem{'s' if n != 1 else ''}: press ! to see them. The rest loaded.",
                severity="warning",
                timeout=6,
            )

    def _deep_check(self) -> None:
        from ..simulation.imports import engine_modules, ensure_imports

        ensure_imports(engine_modules())  # under the import lock: warm for the first Try it, and no race
        deep = load_content(self.content.root, deep=True)
        self.call_from_thread(self._apply_deep_check, deep)

    def _apply_deep_check(self, deep: Content) -> None:
        freeze_once("numeric modules")  # numpy and scipy are loaded now (see simulator and _gc)
        new = [p for p in deep.problems if p not in self.content.problems]
        if not new:
            return
        self.content.problems[:] = deep.problems
        for preset_id in [p for p in self.content.presets if p not in deep.presets]:
            del self.content.presets[preset_id]
        for bar in self.screen.query(StatusBar):
            bar.refresh_problems()
        self._notify_problems()

    # ----- navigation used by screens and the command palette -------------
    def status_text(self) -> str:
        from ..content.locate import bundled_content_dir

        root = self.content.root
        where = "bundled content" if root.resolve() == bundled_content_dir().resolve() else f"content: {root.name}/"
        text = f"{len(self.content.entries)} terms · {len(self.content.presets)} simulations · {where}"
        if self.profile != "default":
            text += f" · learner: {self.profile}"
        if self.class_code:
            text += f" · class code: {self.class_code}"
        return text

    @property
    def progress(self) -> "ProgressStore":
        """The learner's progress, opened on first use; problems with the file are shown, never hidden."""
        if self._progress is None:
            from ..progress import ProgressStore

            self._progress = ProgressStore.open(self.profile)
            for warning in self._progress.warnings:
                self.notify(warning, severity="warning", timeout=12)
        return self._progress

    def learning_path(self) -> list[tuple[str, str, str, bool]]:
        """(kind, ref, label, done) for each step of the learning path."""
        return [(item.kind, item.ref, item.label, item.done) for item in self.path_items()]

    def path_items(self) -> "list[PathItem]":
        """The learning path's steps with their state and time left (hpedu/path_progress.py)."""
        from ..path_progress import path_items

        if not self.content.extras.get("path"):
            return []  # nothing to look up: the progress file is not even opened
        return path_items(self.content, self._fresh_progress())

    def _fresh_progress(self) -> "ProgressStore | None":
        """The progress store with what other processes saved, None when it cannot be used
        (an unreadable progress folder must not break the home screen) or no learner is named yet."""
        if self.ask_name:
            return None
        try:
            store = self.progress
            store.refresh()
        except Exception:
            return None
        return store

    def open_step(self, kind: str, ref: str) -> None:
        if kind == "glossary":
            self.open_entry(ref)
        elif kind == "preset":
            self.open_preset(ref)
        else:
            self.open_exercise(ref)

    def continue_path(self) -> None:
        """Open the first step of the learning path not done yet."""
        from ..path_progress import first_unfinished

        items = self.path_items()
        index = first_unfinished(items)
        if index is None:
            self.notify("Every step of the path is done." if items else "This content has no learning path.", timeout=3)
            return
        self.open_step(items[index].kind, items[index].ref)

    def mark_done(self, kind: str, ref: str) -> None:
        """Record a glossary entry read ('read') or a preset run to its end ('tried');
        a save that fails is said once, and retried with the next change."""
        store = self._fresh_progress()
        if store is None:
            return
        try:
            (store.mark_read if kind == "read" else store.mark_tried)(ref)
        except Exception as exc:  # ProgressError: kept in memory, saved with the next change
            if not getattr(self, "_mark_failed", False):
                self._mark_failed = True
                self.notify(str(exc), severity="warning", timeout=8)

    def on_simulator_screen_stopped(self, event: Any) -> None:
        """A run opened from a preset reached the end of its budget: the path's "Try it" step is done."""
        if not event.finished:
            return
        for screen in self.screen_stack:
            preset = getattr(screen, "preset", None)
            if preset is not None and getattr(screen, "sim", None) is event.sim:
                self.mark_done("tried", preset.id)

    def on_compare_screen_finished(self, event: Any) -> None:
        """A comparison opened from a preset finished without being stopped: its step is done."""
        if event.cancelled or event.error:
            return
        for screen in self.screen_stack:
            preset = getattr(screen, "preset", None)
            if (preset is not None and getattr(screen, "_token", None) == event.token
                    and getattr(screen, "comparison", None) is not None):
                self.mark_done("tried", preset.id)

    def open_exercise(self, exercise_id: str | None = None) -> None:
        self._close_modals()
        from .screens.exercises import ExercisesScreen

        for screen in self.screen_stack:
            if isinstance(screen, ExercisesScreen):
                while self.screen is not screen:
                    self.pop_screen()
                if exercise_id:
                    screen.open_exercise(exercise_id)
                return
        self.push_screen(ExercisesScreen(self.content, self.progress, self.class_code, exercise_id))

    def action_open_exercises(self) -> None:
        self.open_exercise()

    def open_entry(self, entry_id: str) -> None:
        self._close_modals()
        from .screens.glossary import GlossaryScreen

        screen = self._glossary_screen()
        if screen is None:
            self.push_screen(GlossaryScreen(self.content, entry_id))
        else:
            while self.screen is not screen:
                self.pop_screen()
            screen.open_entry(entry_id)

    def open_preset(self, preset_id: str) -> None:
        """Open the simulator (views run / inside) or the comparison (view
        compare) configured by the preset."""
        self._close_modals()
        preset = self.content.presets.get(preset_id)
        if preset is None:
            self.notify(f"No simulation preset {preset_id!r}.", severity="warning")
            return
        if preset.view == "compare" or preset.methods:
            from .screens.compare import CompareScreen, CompareSettings

            self.push_screen(CompareScreen(CompareSettings.from_preset(preset, self.class_code), preset=preset))
        else:
            from .screens.simulator import SimulatorScreen
            from ..simulation import SimSettings

            self.push_screen(SimulatorScreen(SimSettings.from_preset(preset, self.class_code), preset=preset,
                                             inside=preset.view == "inside"))

    def open_simulation(self, settings: "SimSettings", *, autoplay: bool = False, inside: bool = False) -> None:
        """Open the simulator on `settings` (no preset)."""
        self._close_modals()
        from .screens.simulator import SimulatorScreen

        self.push_screen(SimulatorScreen(settings, autoplay=autoplay, inside=inside))

    def _glossary_screen(self) -> "GlossaryScreen | None":
        from .screens.glossary import GlossaryScreen

        for screen in self.screen_stack:
            if isinstance(screen, GlossaryScreen):
                return screen
        return None

    # ----- actions ---------------------------------------------------------
    def _close_modals(self) -> None:
        """Close help and the problems list before changing screens: a command
        from the palette opened over help pushed its screen over the modal,
        whose Esc then closed the wrong screen."""
        while len(self.screen_stack) > 1 and isinstance(self.screen, ModalScreen) \
                and not isinstance(self.screen, CommandPalette):
            self.pop_screen()

    def action_open_glossary(self) -> None:
        self._close_modals()
        from .screens.glossary import GlossaryScreen

        screen = self._glossary_screen()
        if screen is None:
            self.push_screen(GlossaryScreen(self.content))
        else:
            while self.screen is not screen:
                self.pop_screen()

    def action_open_simulator(self) -> None:
        from ..simulation import SimSettings

        self.open_simulation(SimSettings("branin", "bayes", 30, 0, class_code=self.class_code))

    def action_open_compare(self) -> None:
        self._close_modals()
        from .screens.compare import CompareScreen, CompareSettings

        self.push_screen(CompareScreen(CompareSettings("branin", ("grid", "random", "bayes"), 25, 5)))

    #: app actions that change screens: not while a modal (help, problems, palette) is open
    NAVIGATION = frozenset({"home", "open_glossary", "open_simulator", "open_compare", "open_exercises",
                            "show_problems"})

    #: set when the app starts to quit: keys typed after `q` open nothing
    _quitting = False

    async def action_quit(self) -> None:
        self._quitting = True
        await super().action_quit()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        # Keys the screens handle themselves (Enter on the home path, n Continue) reach
        # here too: a screen pushed while the app closes mounts without its children.
        if self._quitting:
            return AwaitComplete(asyncio.sleep(0))
        return super().push_screen(screen, *args, **kwargs)

    def on_app_focus(self) -> None:
        """Give the screen its auto focus if nothing has it. Textual's web driver (hpedu serve)
        blurs the app as it starts, before the first screen takes its auto focus (skipped while
        blurred), so when the browser gave the focus back nothing had it: Down and Enter on the
        home path went nowhere."""
        screen = self.screen
        selector = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else self.AUTO_FOCUS
        if screen.focused is None and selector:
            for widget in screen.query(selector):
                if widget.focusable:
                    screen.set_focus(widget)
                    break

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        # A key queued for a screen that is closing (or already closed) still finds its
        # binding: its action then looks for children that are gone (F2 on an exercise
        # being closed: NoMatches '#step-hints'). A closing screen runs no more actions.
        if isinstance(default_namespace, DOMNode) and default_namespace is not self:
            try:
                screen = default_namespace.screen
            except NoScreen:
                return False
            if screen_is_gone(screen) or screen not in self.screen_stack:
                return False
        return await super().run_action(action, default_namespace, namespaces)

    def set_learner(self, profile: str) -> None:
        """The learner named on the name screen (already checked): their progress from now on."""
        self.profile, self._progress, self.ask_name = profile, None, False
        for bar in self.query(StatusBar):
            bar.refresh(recompose=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.ask_name and action not in ("quit", "help", "dialog_help"):
            return False  # nothing opens before the learner is named (the palette could open an exercise)
        if self._quitting and action in self.NAVIGATION | {"help", "command_palette"}:
            return False  # a screen pushed while the app closes mounts without its children (NoMatches)
        if action in self.NAVIGATION and isinstance(self.screen, ModalScreen):
            return False  # a screen pushed over a modal left the modal stranded under it (Esc then closed the wrong one)
        if action == "home" and isinstance(self.screen, HomeScreen):
            return False  # already home: keep the footer's room for keys that do something
        if action == "dialog_help":
            return isinstance(self.screen, ModalScreen)  # elsewhere the screen's own F1 / the app's shows
        return True

    def action_command_palette(self) -> None:
        # Textual 8.2.8 only looks at the top screen to decide whether a
        # palette is open: with a palette lower in the stack (a help screen
        # opened over it), ctrl+p pushed a second one with the same id and
        # crashed with DuplicateIds.
        if any(isinstance(screen, CommandPalette) for screen in self.screen_stack):
            return
        super().action_command_palette()

    def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_show_problems(self) -> None:
        from .screens.modals import ProblemsModal

        if self.content.problems:
            self.push_screen(ProblemsModal(self.content.problems))
        else:
            self.notify("No content problems.", timeout=2)

    def action_dialog_help(self) -> None:
        self.action_help()

    def action_help(self) -> None:
        from .screens.modals import HelpModal

        if isinstance(self.screen, HelpModal):  # F1 again closes it
            self.screen.dismiss(None)
            return
        self.push_screen(HelpModal(self._help_sections()))

    def _help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = []
        screen_rows = _rows(self.screen.BINDINGS)
        if screen_rows:
            sections.append((f"This screen ({type(self.screen).__name__.removesuffix('Screen')})", screen_rows))
        sections.append(("Everywhere", _rows(self.BINDINGS) + [("ctrl+p", "Command palette: find any term")]))
        sections.append((
            "Lists and text",
            [("↑ ↓ PgUp PgDn", "Move"), ("Enter", "Open"), ("Tab / shift+Tab", "Next / previous pane; in a glossary entry, its next / previous link (Enter follows it)"), ("Esc", "Clear search, close, go back")],
        ))
        return sections


def _rows(bindings) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding) and b.action != "app.help":  # a screen may repeat Help to show it first
            key = b.key_display or b.key.replace(",", " / ")
            rows.append((key, b.description or b.action))
    return rows


def make_app(
    content_dir: str | Path | None = None,
    content: Content | None = None,
    start: "Callable[[HpeduApp], None] | None" = None,
    profile: str = "default",
    class_code: str | None = None,
    ask_name: bool = False,
) -> HpeduApp:
    """The one way to build the app (the CLI and the tests both use it).
    `start(app)` runs once the first screen is shown (e.g. to open the simulator)."""
    if content is None:
        from ..content.locate import resolve_content_dir

        content = load_content(resolve_content_dir(content_dir))
    return HpeduApp(content, start=start, profile=profile, class_code=class_code, ask_name=ask_name)
