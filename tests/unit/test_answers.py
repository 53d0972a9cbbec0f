"""Answer checking: choices by letter or number, numbers within a tolerance, items in order."""

from __future__ import annotations

import re

import pytest

from hpedu.content.answers import (
    AnswerError,
    check_answer,
    display_order,
    expected_answer,
    input_help,
    is_correct,
    parse_answer,
)
from hpedu.content.exercises import Step

CHOICE = Step(question="Q", kind="choice", explanation="E", choices=("grid", "random", "tie"), answer=1)
ORDER = Step(question="Q", kind="order", explanation="E", items=("small", "medium", "large", "huge"))


def numeric(answer: float, tolerance: float = 0.0) -> Step:
    return Step(question="Q", kind="numeric", explanation="E", answer=answer, tolerance=tolerance)


@pytest.mark.parametrize("text", ["b", "B", " b ", "2", "(b)", "b)", "b."])
def test_choice_by_letter_or_one_based_number(text: str) -> None:
    result = check_answer(CHOICE, text)
    assert result.correct and result.answer.value == 1 and result.answer.text == "b"


@pytest.mark.parametrize(("text", "index"), [("a", 0), ("1", 0), ("c", 2), ("3", 2)])
def test_wrong_choices_are_wrong(text: str, index: int) -> None:
    result = check_answer(CHOICE, text)
    assert result.answer.value == index and not result.correct
    assert result.expected == "b) random"


@pytest.mark.parametrize("text", ["d", "4", "0", "grid", "-1", "bb"])
def test_choice_outside_the_list_is_refused_with_what_to_type(text: str) -> None:
    with pytest.raises(AnswerError, match="type a letter a-c or a number 1-3"):
        parse_answer(CHOICE, text)


@pytest.mark.parametrize(("typed", "correct"), [
    ("0.55", True), ("0.45", True),      # exactly on the edges: inclusive, despite 0.55 - 0.5 > 0.05 in floats
    ("0.5", True), ("0.52", True),
    ("0.5501", False), ("0.4499", False), ("0.6", False), ("-0.5", False),
])
def test_numeric_tolerance_edges(typed: str, correct: bool) -> None:
    assert 0.55 - 0.5 > 0.05  # the float rounding the check must absorb
    assert check_answer(numeric(0.5, 0.05), typed).correct is correct


def test_numeric_zero_tolerance_wants_the_number_itself() -> None:
    step = numeric(3)
    assert check_answer(step, "3").correct and check_answer(step, "3.0").correct and check_answer(step, "3e0").correct
    assert not check_answer(step, "3.01").correct and not check_answer(step, "2.99").correct
    assert check_answer(numeric(0.3), str(0.1 + 0.2)).correct  # 0.30000000000000004


@pytest.mark.parametrize(("typed", "value"), [("0,37", 0.37), ("1e-3", 0.001), (" 12 ", 12.0), ("1_000", 1000.0)])
def test_numeric_spellings(typed: str, value: float) -> None:
    assert parse_answer(numeric(1), typed).value == value


@pytest.mark.parametrize("typed", ["three", "nan", "inf", "1..2", "?"])
def test_numeric_refuses_what_is_not_a_finite_number(typed: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(numeric(1), typed)


def test_expected_numeric_answer_shows_the_tolerance() -> None:
    assert expected_answer(numeric(0.37, 0.02)) == "0.37 (± 0.02)"
    assert expected_answer(numeric(3)) == "3"


def test_display_order_is_a_fixed_shuffle_that_never_gives_the_answer_away() -> None:
    # Pinned: the same on every machine and Python version (SHA-256, not random or hash()).
    assert display_order(ORDER.items, "grid-vs-random", 2) == [0, 2, 3, 1]
    assert display_order(ORDER.items, "other", 0) == [3, 0, 1, 2]
    for ex in ("a", "b", "c", "d", "e", "f"):
        for step in range(5):
            for n in range(2, 8):
                order = display_order([str(i) for i in range(n)], ex, step)
                assert sorted(order) == list(range(n))
                assert order != list(range(n))
                assert order == display_order([str(i) for i in range(n)], ex, step)
    orders = {tuple(display_order(ORDER.items, f"ex-{i}", 0)) for i in range(30)}
    assert len(orders) > 5  # really shuffled, not one fixed permutation


def test_order_answer_uses_the_labels_as_shown() -> None:
    shown = display_order(ORDER.items, "other", 0)  # shown: a) huge b) small c) medium d) large
    assert [ORDER.items[i] for i in shown] == ["huge", "small", "medium", "large"]
    for typed in ("b c d a", "2 3 4 1", "b,c,d,a", "BCDA", "b, c, d, a"):
        result = check_answer(ORDER, typed, shown)
        assert result.correct, typed
        assert result.answer.text == "b c d a"
    wrong = check_answer(ORDER, "a b c d", shown)
    assert not wrong.correct and wrong.answer.value == (3, 0, 1, 2)
    assert wrong.expected == "b c d a (small, medium, large, huge)"


@pytest.mark.parametrize(("typed", "message"), [
    ("b c d", "give all 4 labels (a, b, c, d) once each"),
    ("b c d a a", "give all 4 labels"),
    ("b b d a", "label 'b' is given twice"),
    ("b c e a", "'e' is not a label: use a-d"),
    ("2 3 5 1", "'5' is not a label"),
])
def test_order_refuses_incomplete_or_repeated_labels(typed: str, message: str) -> None:
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_answer(ORDER, typed, display_order(ORDER.items, "other", 0))


def test_empty_answers_are_refused_with_what_to_type() -> None:
    for step in (CHOICE, ORDER, numeric(1)):
        with pytest.raises(AnswerError, match="no answer given: " + input_help(step).split(" ")[0]):
            parse_answer(step, "   ")


def test_without_a_display_order_items_are_taken_as_listed() -> None:
    assert is_correct(ORDER, parse_answer(ORDER, "a b c d"))
    assert not is_correct(ORDER, parse_answer(ORDER, "d c b a"))
