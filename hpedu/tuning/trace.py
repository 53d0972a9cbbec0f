"""The record of one tuning run: its settings and its trials, saved as JSON or CSV.

A `Trace` is what `minimize()` and `simulate()` return and what
`hpedu simulate --json` prints (the format is documented in
docs/simulate-json.md). Round trips are exact: floats are written with
`repr`, and parameter types (int, float, str, bool, None) survive both JSON
and CSV.

Trials run at a partial resource (successive halving) are kept in `trials`
but do not count for `best` and `best_so_far`: a score measured on a fraction
of the training budget is not a score of the full model.

A Hyperband run's trials are `StagedTrial`s: they also say which bracket of
the plan and which rung of that bracket they ran in, and which configuration
they trained (JSON gains the keys `bracket`, `rung`, `config` and always
`resource`; every other trial is written exactly as before).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .base import Trial

__all__ = ["Trace", "StagedTrial", "plain"]

CSV_MARKER = "# hpedu-trace "
_FULL = 1.0 - 1e-12  # a trial at resource >= this counts as fully trained
_INT_RE = re.compile(r"[+-]?\d+")


def plain(value: Any) -> Any:
    """A JSON-friendly Python scalar for numpy scalars (others unchanged)."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


@dataclass(frozen=True)
class StagedTrial(Trial):
    """A trial of a bracketed multi-fidelity schedule (Hyperband).

    `bracket` is the bracket's position in the run's plan (0, 1, ...; the
    strategy's `plan()` says its s and rungs), `rung` the rung inside the
    bracket (0 = the cheapest), `config` the configuration, numbered from 0 in
    the order the configurations were drawn: a configuration promoted to a
    larger resource keeps its number, so equal `config` means the same point
    trained longer."""

    bracket: int = 0
    rung: int = 0
    config: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["resource"] = self.resource
        out.update(bracket=self.bracket, rung=self.rung, config=self.config)
        return out


_STAGE = ["bracket", "rung", "config"]  # CSV columns of a hyperband run, after resource


def _stage(t: Trial) -> tuple[int, int, int] | None:
    return (t.bracket, t.rung, t.config) if isinstance(t, StagedTrial) else None


def _plain_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): plain(v) for k, v in params.items()}


def _typed(params: Mapping[str, Any]) -> tuple[tuple[str, str, Any], ...]:
    """Params with their type names, so 1, 1.0 and True compare different."""
    return tuple((k, type(v).__name__, repr(v)) for k, v in params.items())


@dataclass
class Trace:
    """Settings and trials of one run.

    `value` in each trial is the objective's own score (accuracy for a
    classifier), in `direction`; `optimum` is the best achievable score where
    known. `options` are the strategy's effective options (defaults included).
    """

    objective: str | None
    method: str
    budget: int
    seed: int | None
    options: dict[str, Any] = field(default_factory=dict)
    direction: str = "minimize"
    score_name: str = "value"
    optimum: float | None = None
    objective_options: dict[str, Any] = field(default_factory=dict)
    trials: list[Trial] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.direction not in ("minimize", "maximize"):
            raise ValueError(f"direction must be 'minimize' or 'maximize', got {self.direction!r}")

    # ----- derived views -------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        """Every trial's value, in order."""
        return np.array([t.value for t in self.trials], dtype=float)

    @property
    def resources(self) -> np.ndarray:
        return np.array([t.resource for t in self.trials], dtype=float)

    def _counted(self) -> np.ndarray:
        """Values of fully trained trials; NaN for partial-resource ones."""
        values = self.values
        return np.where(self.resources >= _FULL, values, np.nan)

    @property
    def best_so_far(self) -> np.ndarray:
        """Best value among the trials up to each step (running min or max by
        direction). NaN until the first fully trained trial."""
        vals = self._counted()
        if vals.size == 0:
            return vals
        # fmin/fmax skip NaN, so partial-resource steps carry the best forward
        return (np.fmin if self.direction == "minimize" else np.fmax).accumulate(vals)

    @property
    def best(self) -> Trial | None:
        """The best fully trained trial (the first one on ties), or None."""
        vals = self._counted()
        if not np.any(~np.isnan(vals)):
            return None
        key = np.where(np.isnan(vals), np.inf, vals if self.direction == "minimize" else -vals)
        return self.trials[int(np.argmin(key))]

    @property
    def regret(self) -> np.ndarray | None:
        """Distance of `best_so_far` from the known optimum (>= 0), or None."""
        if self.optimum is None:
            return None
        b = self.best_so_far
        gap = b - self.optimum if self.direction == "minimize" else self.optimum - b
        return np.maximum(gap, 0.0)

    def same_trials(self, other: "Trace") -> bool:
        """True when both traces tried the same points (with the same types)
        and got the same values; timings are ignored."""
        if len(self.trials) != len(other.trials):
            return False
        for a, b in zip(self.trials, other.trials):
            if a.index != b.index or _typed(a.params) != _typed(b.params):
                return False
            if repr(a.value) != repr(b.value) or a.resource != b.resource or _stage(a) != _stage(b):
                return False
        return True

    # ----- JSON ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            "objective": self.objective,
            "method": self.method,
            "budget": self.budget,
            "seed": self.seed,
            "options": {k: plain(v) for k, v in self.options.items()},
            "trials": [_trial_dict(t) for t in self.trials],
            "best": None if best is None else {"index": best.index, "params": _plain_params(best.params), "value": best.value},
            "direction": self.direction,
            "score_name": self.score_name,
            "optimum": self.optimum,
            "objective_options": {k: plain(v) for k, v in self.objective_options.items()},
            "hpedu_version": _version(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Trace":
        if not isinstance(data, Mapping):
            raise ValueError("a trace must be a JSON object")
        for key in ("method", "budget", "seed", "trials"):
            if key not in data:
                raise ValueError(f"trace: missing key {key!r}")
        trials = []
        for i, t in enumerate(data["trials"]):
            try:
                fields = dict(
                    index=int(t["index"]),
                    params=dict(t["params"]),
                    value=float(t["value"]),
                    seconds=float(t.get("seconds", 0.0)),
                    resource=float(t.get("resource", 1.0)),
                )
                if "bracket" in t:
                    fields.update(bracket=int(t["bracket"]), rung=int(t["rung"]), config=int(t["config"]))
                trials.append(StagedTrial(**fields) if "bracket" in t else Trial(**fields))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"trace: trial {i} is malformed ({exc})") from None
        return cls(trials=trials, **_settings(data))

    @classmethod
    def from_json(cls, text: str) -> "Trace":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"trace: not valid JSON ({exc})") from None
        return cls.from_dict(data)

    # ----- CSV -------------------------------------------------------------
    @property
    def param_names(self) -> list[str]:
        return list(self.trials[0].params) if self.trials else []

    def to_csv(self, metadata: bool = True) -> str:
        """Columns: index, one per parameter, value, seconds, resource, and for
        a hyperband run bracket, rung, config.

        With `metadata` the first line is a comment `# hpedu-trace {json}`
        holding the settings and the parameter types (pandas reads the rest
        with `comment="#"`); without it the text is a plain table."""
        names = self.param_names
        buf = io.StringIO()
        if metadata:
            meta = {k: v for k, v in self.to_dict().items() if k not in ("trials", "best")}
            meta["params"] = names
            meta["param_types"] = _param_types(self.trials, names)
            buf.write(CSV_MARKER + json.dumps(meta) + "\n")
        writer = csv.writer(buf, lineterminator="\n")
        staged = any(isinstance(t, StagedTrial) for t in self.trials)
        writer.writerow(["index", *names, "value", "seconds", "resource", *(_STAGE if staged else [])])
        for t in self.trials:
            writer.writerow(
                [t.index, *(_cell(t.params[n]) for n in names), repr(t.value), repr(t.seconds), repr(t.resource),
                 *((_stage(t) or ("", "", "")) if staged else ())]
            )
        return buf.getvalue()

    @classmethod
    def from_csv(cls, text: str, **defaults: Any) -> "Trace":
        """Read `to_csv` output. Settings come from the metadata line when
        present, else from `defaults` (method "unknown", seed None)."""
        lines = text.splitlines()
        meta: dict[str, Any] = {}
        if lines and lines[0].startswith(CSV_MARKER):
            try:
                meta = json.loads(lines[0][len(CSV_MARKER):])
            except json.JSONDecodeError as exc:
                raise ValueError(f"trace CSV: bad metadata line ({exc})") from None
            lines = lines[1:]
        rows = list(csv.reader(lines))
        staged = bool(rows) and rows[0][-3:] == _STAGE and rows[0][-6:-3] == ["value", "seconds", "resource"]
        last = -6 if staged else -3  # where value, seconds, resource start
        if not rows or len(rows[0]) < 1 - last or rows[0][0] != "index" or \
                rows[0][last:][:3] != ["value", "seconds", "resource"]:
            raise ValueError("trace CSV: the header must be index, <parameters...>, value, seconds, resource "
                             "(and bracket, rung, config for a hyperband run)")
        names = rows[0][1:last]
        types = meta.get("param_types") or {}
        trials = []
        for n, row in enumerate(rows[1:], start=2):
            if not row:
                continue
            if len(row) != len(rows[0]):
                raise ValueError(f"trace CSV: row {n} has {len(row)} cells, expected {len(rows[0])}")
            try:
                params = {name: _uncell(cell, types.get(name)) for name, cell in zip(names, row[1:last])}
                value, seconds, resource = (float(c) for c in row[last:][:3])
                fields = dict(index=int(row[0]), params=params, value=value, seconds=seconds, resource=resource)
                if staged:
                    bracket, rung, config = (int(c) for c in row[-3:])
                    trials.append(StagedTrial(**fields, bracket=bracket, rung=rung, config=config))
                else:
                    trials.append(Trial(**fields))
            except ValueError as exc:
                raise ValueError(f"trace CSV: row {n}: {exc}") from None
        settings: dict[str, Any] = {"objective": None, "method": "unknown", "budget": len(trials), "seed": None}
        settings.update(defaults)
        settings.update({k: v for k, v in meta.items() if k not in ("params", "param_types", "hpedu_version")})
        return cls(trials=trials, **_settings(settings))

    # ----- files -----------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write JSON or CSV according to the file's suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".json":
            path.write_text(self.to_json() + "\n", encoding="utf-8")
        elif suffix == ".csv":
            path.write_text(self.to_csv(), encoding="utf-8")
        else:
            raise ValueError(f"path: use a .json or .csv file name, got {path.name!r}")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Trace":
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".csv"):
            raise ValueError(f"path: use a .json or .csv file name, got {path.name!r}")
        text = path.read_text(encoding="utf-8")
        return cls.from_json(text) if suffix == ".json" else cls.from_csv(text)


def _settings(data: Mapping[str, Any]) -> dict[str, Any]:
    """Trace settings (everything but the trials) read from a mapping."""
    try:
        return dict(
            objective=data.get("objective"),
            method=str(data["method"]),
            budget=int(data["budget"]),
            seed=None if data["seed"] is None else int(data["seed"]),
            options=dict(data.get("options") or {}),
            direction=data.get("direction", "minimize"),
            score_name=data.get("score_name", "value"),
            optimum=None if data.get("optimum") is None else float(data["optimum"]),
            objective_options=dict(data.get("objective_options") or {}),
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"trace: bad settings ({exc})") from None


def _trial_dict(t: Trial) -> dict[str, Any]:
    out = t.to_dict()
    out["params"] = _plain_params(out["params"])
    return out


def _version() -> str:
    from .. import __version__

    return __version__


_TYPE_NAMES = {bool: "bool", int: "int", float: "float", str: "str", type(None): "none"}


def _param_types(trials: list[Trial], names: list[str]) -> dict[str, str]:
    out = {}
    for name in names:
        kinds = {_TYPE_NAMES.get(type(plain(t.params[name])), "mixed") for t in trials}
        out[name] = kinds.pop() if len(kinds) == 1 else "mixed"
    return out


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _uncell(cell: str, kind: str | None) -> Any:
    if kind == "str":
        return cell
    if kind == "int":
        return int(cell)
    if kind == "float":
        return float(cell)
    if kind == "bool":
        if cell not in ("True", "False"):
            raise ValueError(f"{cell!r} is not True or False")
        return cell == "True"
    if kind == "none":
        return None
    # no type information: the most specific reading wins
    if cell == "":
        return None
    if cell in ("True", "False"):
        return cell == "True"
    if _INT_RE.fullmatch(cell):
        return int(cell)
    try:
        return float(cell)
    except ValueError:
        return cell
