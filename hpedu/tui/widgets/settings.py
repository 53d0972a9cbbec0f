"""The settings panel: labelled fields checked in place.

Each `Field` says how to parse its text (the engine's own `Option.parse`, so
the message shown is the engine's). A choice field is a `Select`, anything
else an `Input`. A value is committed on Enter, when the field loses focus
or when a choice is picked; a valid value is posted as
`SettingsPanel.Changed`, an invalid one is refused in place: the field is
marked and the message shown under it, and nothing is posted. Locked fields
are shown but disabled. `settings_fields` builds the simulator's fields (the
run, the objective's options, the method's options).

Words: an option's label and the text of its choices come from the engine's
registry (`hpedu.tuning.registry.OPTION_WORDS`), its one-line explanation from
the option itself (`Option.help`, what `hpedu methods` prints). The
explanation of the focused field is shown under it. Where 0 means automatic
the field shows "auto" and accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

if TYPE_CHECKING:
    from ...simulation import SimSettings

__all__ = ["Field", "SettingsPanel", "objective_field", "option_field", "settings_fields"]


@dataclass
class Field:
    """One setting: `parse(text)` returns the value or raises ValueError."""

    name: str
    label: str
    value: Any
    parse: Callable[[Any], Any]
    choices: tuple[Any, ...] | None = None
    help: str = ""
    locked: bool = False
    live: bool = False
    section: str = ""
    labels: tuple[str, ...] | None = None  # shown for each choice (default: the choice as text)
    auto: str = ""  # shown for 0 when 0 means automatic (and accepted as input)

    def show(self, value: Any) -> str:
        """`value` as the field shows it."""
        if self.auto and not isinstance(value, bool) and value == 0:
            return self.auto
        return _show(value)


def _show(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def option_field(option: Any, value: Any, *, locked: bool = False, section: str = "") -> Field:
    """A field for an engine `Option` (its choices, bounds and message)."""
    from ...tuning.registry import option_words

    words = option_words(option.name)
    choices = option.choices
    if option.type is bool and choices is None:
        choices = (True, False)
    labels = tuple(words.show_choice(c) for c in choices) if choices is not None and words.choices else None
    parse = option.parse
    allowed = option.allowed()
    if words.auto:
        zero = option.type(0)

        def parse(raw: Any) -> Any:  # noqa: F811 - "auto" is the 0 of the engine
            if isinstance(raw, str) and raw.strip().lower() == words.auto:
                return option.parse(zero)
            return option.parse(raw)

        allowed += f", or {words.auto}"
    when = "takes effect from the next trial" if option.live else "changing it starts a new run"
    return Field(option.name, words.label, value, parse, choices=choices, labels=labels,
                 help=f"{option.help} ({allowed}; {when})", locked=locked, live=option.live, section=section,
                 auto=words.auto)


class SettingsPanel(VerticalScroll, can_focus=False):
    """A column of fields; posts `Changed` for every accepted value.

    The panel itself takes no focus (Tab goes straight to its first field);
    it scrolls to the focused field and shows that field's explanation."""

    class Changed(Message):
        """A field was committed with a valid value."""

        def __init__(self, panel: "SettingsPanel", name: str, value: Any) -> None:
            super().__init__()
            self.panel = panel
            self.name = name
            self.value = value

        @property
        def control(self) -> "SettingsPanel":
            return self.panel

    def __init__(self, fields: list[Field] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields: dict[str, Field] = {f.name: f for f in fields or []}
        self.errors: dict[str, str] = {}

    # ----- building ------------------------------------------------------------
    def compose(self) -> ComposeResult:
        section = None
        for f in self.fields.values():
            if f.section and f.section != section:
                section = f.section
                yield Static(section, classes="settings-section")
            label = f.label + ("  (locked)" if f.locked else "")
            yield Label(label, classes="settings-label", id=f"label-{f.name}")
            if f.choices is not None:
                names = f.labels or tuple(_show(c) for c in f.choices)
                options = [(n, i) for i, n in enumerate(names)]
                index = self._choice_index(f)
                widget: Any = Select(options, value=index, allow_blank=False, compact=True,
                                     id=f"field-{f.name}", classes="settings-field")
            else:
                widget = Input(f.show(f.value), compact=True, id=f"field-{f.name}", classes="settings-field",
                               select_on_focus=True)
            widget.disabled = f.locked
            yield widget
            yield Static("", classes="settings-error", id=f"error-{f.name}")
            if f.help:
                yield Static(f.help, classes="settings-help", id=f"help-{f.name}", markup=False)

    @staticmethod
    def _choice_index(f: Field) -> int:
        for i, c in enumerate(f.choices or ()):
            if c == f.value and type(c) is type(f.value):
                return i
        for i, c in enumerate(f.choices or ()):
            if c == f.value:
                return i
        return 0

    async def set_fields(self, fields: list[Field]) -> None:
        """Replace every field (e.g. the options of another method)."""
        self.fields = {f.name: f for f in fields}
        self.errors.clear()
        await self.recompose()

    # ----- values ----------------------------------------------------------------
    def value(self, name: str) -> Any:
        return self.fields[name].value

    def set_value(self, name: str, value: Any) -> None:
        """Show `value` without posting `Changed`."""
        f = self.fields[name]
        f.value = value
        self.clear_error(name)
        try:
            widget = self.query_one(f"#field-{name}")
        except Exception:
            return
        with widget.prevent(Select.Changed, Input.Changed):
            if isinstance(widget, Select):
                widget.value = self._choice_index(f)
            else:
                widget.value = f.show(value)

    def show_error(self, name: str, message: str) -> None:
        """Mark a field as refused and say why (also used for checks made by the screen)."""
        self.errors[name] = message
        try:
            self.query_one(f"#error-{name}", Static).update(message)
            self.query_one(f"#error-{name}").add_class("-shown")
            self.query_one(f"#field-{name}").add_class("-invalid")
        except Exception:
            pass

    def clear_error(self, name: str) -> None:
        self.errors.pop(name, None)
        try:
            self.query_one(f"#error-{name}", Static).update("")
            self.query_one(f"#error-{name}").remove_class("-shown")
            self.query_one(f"#field-{name}").remove_class("-invalid")
        except Exception:
            pass

    def _commit(self, name: str, raw: Any) -> None:
        f = self.fields.get(name)
        if f is None or f.locked:
            return
        try:
            value = f.parse(raw)
        except ValueError as exc:
            self.show_error(name, str(exc))
            return
        self.clear_error(name)
        self._show_accepted(f, value)
        if value == f.value and type(value) is type(f.value):
            return
        f.value = value
        self.post_message(self.Changed(self, name, value))

    def _show_accepted(self, f: Field, value: Any) -> None:
        """An accepted text is shown the field's way ("0" or "AUTO" as "auto", "2.50" as "2.5")."""
        try:
            widget = self.query_one(f"#field-{f.name}")
        except Exception:
            return
        if isinstance(widget, Input) and widget.value != f.show(value):
            with widget.prevent(Input.Changed):
                widget.value = f.show(value)

    # ----- events --------------------------------------------------------------------
    @on(Input.Submitted, ".settings-field")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit(event.input.id.removeprefix("field-"), event.value)

    @on(Input.Blurred, ".settings-field")
    def _blurred(self, event: Input.Blurred) -> None:
        name = event.input.id.removeprefix("field-")
        f = self.fields.get(name)
        if f is not None and event.value != f.show(f.value):
            self._commit(name, event.value)

    @on(Input.Changed, ".settings-field")
    def _typing(self, event: Input.Changed) -> None:
        """Check while typing (nothing is applied until Enter)."""
        event.stop()
        name = event.input.id.removeprefix("field-")
        f = self.fields.get(name)
        if f is None:
            return
        try:
            f.parse(event.value)
        except ValueError as exc:
            self.show_error(name, str(exc))
        else:
            self.clear_error(name)

    def _field_name(self, widget: Any) -> str | None:
        """The name of the field `widget` belongs to (a Select's overlay belongs to the Select)."""
        node = widget
        while node is not None and node is not self:
            if node.has_class("settings-field") and node.id:
                return node.id.removeprefix("field-")
            node = node.parent
        return None

    def _mark_focused(self, name: str | None) -> None:
        for f in self.fields.values():
            for part in ("label", "help"):
                for w in self.query(f"#{part}-{f.name}"):
                    w.set_class(f.name == name, "-focused")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_focused(self._field_name(event.widget))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.call_after_refresh(self._sync_focus)

    def _sync_focus(self) -> None:
        if not self.is_attached:
            return
        focused = self.screen.focused
        self._mark_focused(self._field_name(focused) if focused is not None else None)

    @on(Select.Changed, ".settings-field")
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        name = event.select.id.removeprefix("field-")
        f = self.fields.get(name)
        if f is None or f.choices is None or not isinstance(event.value, int):
            return
        self._commit(name, f.choices[event.value])


def objective_field(name: str, *, locked: bool = False, section: str = "") -> Field:
    """The objective chooser: shown by title, its id and description under it."""
    from ...tuning.objectives import OBJECTIVES

    info = OBJECTIVES[name]
    return Field("objective", "objective — what is tuned", name, lambda v: v, choices=tuple(OBJECTIVES),
                 labels=tuple(o.title for o in OBJECTIVES.values()),
                 help=f"{info.title} ({name}, {info.dims}-D): {info.description}", locked=locked, section=section)


def settings_fields(settings: SimSettings, locked: tuple[str, ...] = ()) -> list[Field]:
    """The fields of the one-run settings panel, with the method's options."""
    from ...tuning.objectives import OBJECTIVES
    from ...tuning.registry import METHODS, get_method
    from ...tuning.runner import MAX_BUDGET, check_count

    def whole(what: str, low: int) -> Any:
        def parse(raw: Any) -> int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValueError(f"{what} must be a whole number >= {low}, got {raw!r}") from None
            if value < low or (what == "budget" and value > MAX_BUDGET):
                raise ValueError(f"{what} must be a whole number from {low}"
                                 + (f" to {MAX_BUDGET}" if what == "budget" else " up"))
            return check_count(what, value) if low >= 1 else value
        return parse

    objective = OBJECTIVES[settings.objective]
    method = METHODS[settings.method]
    fields = [
        objective_field(settings.objective, locked="objective" in locked, section="Run"),
        Field("method", "method — how trials are chosen", settings.method, lambda v: v, choices=tuple(METHODS),
              labels=tuple(m.title for m in METHODS.values()),
              help=f"{method.title} ({method.name}): {method.description}", locked="method" in locked, section="Run"),
        Field("budget", "budget — number of trials", settings.budget, whole("budget", 1),
              help=f"trials in the run, a whole number from 1 to {MAX_BUDGET}; changing it starts a new run",
              locked="budget" in locked, section="Run"),
        Field("seed", "seed — fixes the random choices", settings.seed, whole("seed", 0),
              help=(f"class code {settings.class_code}: the run uses seed {settings.run_seed}, derived from this one"
                    if settings.class_code else "the same seed gives the same trials; a whole number from 0 up"),
              locked="seed" in locked, section="Run"),
    ]
    for opt in objective.options:
        value = settings.objective_options.get(opt.name, opt.default)
        f = option_field(opt, opt.parse(value), locked=opt.name in locked, section="Objective")
        f.name = "obj-" + opt.name
        fields.append(f)
    from ...simulation.imports import ensure_imports, method_module

    ensure_imports([method_module(settings.method)])  # never beside a worker's import (usually warm by now)
    cls = get_method(settings.method)
    for opt in cls.options:
        value = settings.options.get(opt.name, opt.default)
        fields.append(option_field(opt, opt.parse(value), locked=opt.name in locked,
                                   section=f"{cls.title} options"))
    return fields
