"""Checking a learner's answer to an exercise step (pure: no I/O, no UI).

How answers are typed, the same in the TUI and on the command line:

- choice: the letter or the number shown before the choice (`b`, `2`, `(b)`);
- numeric: a number (`0.37`, `3`, `1e-3`); right when within the step's
  tolerance (absolute, inclusive);
- order: the labels of the items, as shown, from first to last
  (`3 1 2`, `3,1,2`, `c a b` or `cab`).

Order items are shown shuffled: `display_order` gives the same shuffle on
every machine for a given exercise and step, and never the correct order.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .exercises import Step

__all__ = [
    "AnswerError",
    "Answer",
    "Result",
    "LETTERS",
    "display_order",
    "label",
    "parse_answer",
    "is_correct",
    "check_answer",
    "expected_answer",
    "input_help",
]

LETTERS = "abcdefgh"
_REL_EPS = 1e-9  # numeric answers: tolerance + this (relative) absorbs float rounding (0.55 - 0.5 > 0.05)


class AnswerError(ValueError):
    """An answer that cannot be read; the message says what to type instead."""


@dataclass(frozen=True)
class Answer:
    """A parsed answer.

    `value` is the choice index (0-based) for a choice step, the number for a
    numeric step, and for an order step the item indices (into the step's
    correct `items`) in the order the learner put them.
    """

    kind: str
    value: int | float | tuple[int, ...]
    text: str  # as shown back to the learner and stored in progress: "b", "0.37", "c a b"


@dataclass(frozen=True)
class Result:
    answer: Answer
    correct: bool
    expected: str  # the right answer in the learner's terms ("b) Random search", "3 (± 0.5)", "c a b")


def label(i: int) -> str:
    """The letter shown before choice or item `i` (0-based): a, b, c, ..."""
    return LETTERS[i]


def display_order(items: Sequence[str], exercise_id: str, step_index: int) -> list[int]:
    """Indices into `items` (listed in the correct order) in the order to show them.

    A Fisher-Yates shuffle driven by SHA-256 of the exercise id and step
    index: the same on every machine and Python version. When the shuffle
    happens to be the correct order it is rotated by one, so the answer is
    never given away.
    """
    n = len(items)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        digest = hashlib.sha256(f"{exercise_id}\x00{step_index}\x00{i}".encode("utf-8")).digest()
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    if n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def input_help(step: "Step") -> str:
    """One line telling the learner what to type for this step."""
    if step.kind == "choice":
        last = len(step.choices)
        return f"type a letter a-{label(last - 1)} or a number 1-{last}"
    if step.kind == "numeric":
        return "type a number"
    last = len(step.items)
    return f"type the {last} labels ({', '.join(LETTERS[:last])}) first to last, separated by spaces"


def parse_answer(step: "Step", text: str, order: Sequence[int] | None = None) -> Answer:
    """Read what the learner typed; AnswerError says what to type instead.

    `order` is the display order of an order step's items (`display_order`);
    without it the items are taken as shown in their correct order.
    """
    raw = text.strip()
    if not raw:
        raise AnswerError(f"no answer given: {input_help(step)}")
    if step.kind == "choice":
        index = _pick(raw, len(step.choices), "choice")
        return Answer("choice", index, label(index))
    if step.kind == "numeric":
        value = _number(raw)
        return Answer("numeric", value, _fmt(value))
    if step.kind == "order":
        shown = list(order) if order is not None else list(range(len(step.items)))
        if sorted(shown) != list(range(len(step.items))):
            raise ValueError(f"order {list(shown)!r} is not an arrangement of the {len(step.items)} items")
        labels = _labels(raw, len(shown))
        return Answer("order", tuple(shown[i] for i in labels), " ".join(label(i) for i in labels))
    raise ValueError(f"unknown kind of step {step.kind!r}")


def is_correct(step: "Step", answer: Answer) -> bool:
    if step.kind == "choice":
        return answer.value == step.answer
    if step.kind == "numeric":
        assert isinstance(answer.value, (int, float)) and isinstance(step.answer, (int, float))
        target = float(step.answer)
        slack = step.tolerance + _REL_EPS * max(1.0, abs(target), step.tolerance)
        return abs(float(answer.value) - target) <= slack
    if step.kind == "order":
        return tuple(answer.value) == tuple(range(len(step.items)))  # type: ignore[arg-type]
    raise ValueError(f"unknown kind of step {step.kind!r}")


def expected_answer(step: "Step", order: Sequence[int] | None = None) -> str:
    """The right answer, written the way the learner would type and read it."""
    if step.kind == "choice":
        assert isinstance(step.answer, int)
        return f"{label(step.answer)}) {step.choices[step.answer]}"
    if step.kind == "numeric":
        assert isinstance(step.answer, (int, float))
        text = _fmt(float(step.answer))
        return f"{text} (± {_fmt(step.tolerance)})" if step.tolerance else text
    shown = list(order) if order is not None else list(range(len(step.items)))
    position = {item: i for i, item in enumerate(shown)}
    labels = " ".join(label(position[item]) for item in range(len(step.items)))
    return f"{labels} ({', '.join(step.items)})"


def check_answer(step: "Step", text: str, order: Sequence[int] | None = None) -> Result:
    """Parse and check in one go; AnswerError when `text` cannot be read."""
    answer = parse_answer(step, text, order)
    return Result(answer, is_correct(step, answer), expected_answer(step, order))


def _pick(raw: str, count: int, what: str) -> int:
    token = raw.strip().strip("()[].)").strip().lower()
    last = label(count - 1)
    if len(token) == 1 and token in LETTERS[:count]:
        return LETTERS.index(token)
    if token.isdigit() and 1 <= int(token) <= count:
        return int(token) - 1
    raise AnswerError(f"{raw!r} is not one of the {what}s: type a letter a-{last} or a number 1-{count}")


def _number(raw: str) -> float:
    token = raw.replace("_", "").replace(" ", "")
    if token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")  # a decimal comma: 0,37
    try:
        value = float(token)
    except ValueError:
        raise AnswerError(f"{raw!r} is not a number: type digits such as 3, 0.37 or 1e-3") from None
    if not math.isfinite(value):
        raise AnswerError(f"{raw!r} is not a finite number")
    return value


_SPLIT = re.compile(r"[\s,;>]+")


def _labels(raw: str, count: int) -> list[int]:
    """0-based positions (in the shown list) from '3 1 2', '3,1,2', 'c a b' or 'cab'."""
    text = raw.strip().lower()
    tokens = [t for t in _SPLIT.split(text) if t]
    if len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) == count:
        tokens = list(tokens[0])  # 'cab'
    every = ", ".join(LETTERS[:count])
    if len(tokens) != count:
        raise AnswerError(f"give all {count} labels ({every}) once each, first to last, separated by spaces")
    out = []
    for token in tokens:
        if len(token) == 1 and token in LETTERS[:count]:
            out.append(LETTERS.index(token))
        elif token.isdigit() and 1 <= int(token) <= count:
            out.append(int(token) - 1)
        else:
            raise AnswerError(f"{token!r} is not a label: use a-{label(count - 1)} (or 1-{count})")
    if len(set(out)) != count:
        twice = next(label(i) for i in out if out.count(i) > 1)
        raise AnswerError(f"label {twice!r} is given twice: give each of the {count} labels ({every}) once")
    return out


def _fmt(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
