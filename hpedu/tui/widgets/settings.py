"""The settings panel: labelled fields checked in place.

Each `Field` says how to parse its text (the engine's own `Option.parse`, so
the message shown is the engine's). A choice field is a `Select`, anything
else an `Input`. A value is committed on Enter, when the field loses focus
or when a choice is picked; a valid value is posted as
`SettingsPanel.Changed`, an invalid one is refused in place: the field is
marked and the message shown under it, and nothing is posted. Locked fields
are shown but disabled. `settings_fields` builds the simulator's fields (the
run, the objective's options, the method's options).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

if TYPE_CHECKING:
    from ...simulation import SimSettings

__all__ = ["Field", "SettingsPanel", "option_field", "settings_fields"]


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
    choices = option.choices
    if option.type is bool and choices is None:
        choices = (True, False)
    return Field(option.name, option.name, value, option.parse, choices=choices,
                 help=f"{option.help} ({option.allowed()})", locked=locked, live=option.live, section=section)


class SettingsPanel(VerticalScroll):
    """A column of fields; posts `Changed` for every accepted value."""

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
            label = f.label + ("  · live" if f.live else "") + ("  · locked" if f.locked else "")
            yield Label(label, classes="settings-label", id=f"label-{f.name}")
            if f.choices is not None:
                names = f.labels or tuple(_show(c) for c in f.choices)
                options = [(n, i) for i, n in enumerate(names)]
                index = self._choice_index(f)
                widget: Any = Select(options, value=index, allow_blank=False, compact=True,
                                     id=f"field-{f.name}", classes="settings-field")
            else:
                widget = Input(_show(f.value), compact=True, id=f"field-{f.name}", classes="settings-field",
                               select_on_focus=True)
            widget.disabled = f.locked
            if f.help:
                widget.tooltip = f.help
            yield widget
            yield Static("", classes="settings-error", id=f"error-{f.name}")

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
                widget.value = _show(value)

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
        if value == f.value and type(value) is type(f.value):
            return
        f.value = value
        self.post_message(self.Changed(self, name, value))

    # ----- events --------------------------------------------------------------------
    @on(Input.Submitted, ".settings-field")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit(event.input.id.removeprefix("field-"), event.value)

    @on(Input.Blurred, ".settings-field")
    def _blurred(self, event: Input.Blurred) -> None:
        name = event.input.id.removeprefix("field-")
        f = self.fields.get(name)
        if f is not None and event.value != _show(f.value):
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

    @on(Select.Changed, ".settings-field")
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        name = event.select.id.removeprefix("field-")
        f = self.fields.get(name)
        if f is None or f.choices is None or not isinstance(event.value, int):
            return
        self._commit(name, f.choices[event.value])


def settings_fields(settings: SimSettings, locked: tuple[str, ...] = ()) -> list[Field]:
    """The fields of the one-run settings panel, with the method's options."""
    from ...tuning.objectives import OBJECTIVES
    from ...tuning.registry import METHODS, get_method
    from ...tuning.runner import check_count

    def whole(what: str, low: int) -> Any:
        def parse(raw: Any) -> int:
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise ValueError(f"{what} must be a whole number >= {low}, got {raw!r}") from None
            if value < low or (what == "budget" and value > 500):
                raise ValueError(f"{what} must be a whole number from {low}" + (" to 500" if what == "budget" else " up"))
            return check_count(what, value) if low >= 1 else value
        return parse

    fields = [
        Field("objective", "objective", settings.objective, lambda v: v, choices=tuple(OBJECTIVES),
              help="what is optimised (see hpedu objectives)", locked="objective" in locked, section="Run"),
        Field("method", "method", settings.method, lambda v: v, choices=tuple(METHODS),
              help="how the next point is chosen", locked="method" in locked, section="Run"),
        Field("budget", "budget (trials)", settings.budget, whole("budget", 1), help="trials in the run, 1 to 500",
              locked="budget" in locked, section="Run"),
        Field("seed", "seed", settings.seed, whole("seed", 0),
              help=(f"class code {settings.class_code}: the run uses seed {settings.run_seed}, derived from this one"
                    if settings.class_code else "the same seed gives the same trials"),
              locked="seed" in locked, section="Run"),
    ]
    info = OBJECTIVES[settings.objective]
    for opt in info.options:
        value = settings.objective_options.get(opt.name, opt.default)
        f = option_field(opt, opt.parse(value), locked=opt.name in locked, section="Objective")
        f.name = "obj-" + opt.name
        fields.append(f)
    cls = get_method(settings.method)
    for opt in cls.options:
        value = settings.options.get(opt.name, opt.default)
        fields.append(option_field(opt, opt.parse(value), locked=opt.name in locked,
                                   section=f"{cls.title} options"))
    return fields
