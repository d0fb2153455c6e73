"""The catalogue of mistakes tests itself: every exercise against answers a learner might write.

For every exercise the engine checks (``mnist_lib.checks.EXERCISES``):

- at least one right answer, written differently from the notebook's solution, and it passes;
- at least three wrong answers, each rejected with the mistake id it was written to make and that
  mistake's hint, as the catalogue words it (and any other words the answer lists);
- every catalogued mistake is made by at least one of those answers (a recogniser nothing triggers
  could never help a learner); changing an input is tried on every exercise whose function takes
  arrays, by a right answer that also writes into its first input.

The answers live in ``tests/learner_answers/``, one module per notebook.
"""
from __future__ import annotations

import collections
import copy

import numpy as np
import pytest
from learner_answers import ANSWERS

from mnist_lib.checks import EXERCISES
from mnist_lib.checks.core import CHANGES_INPUT

MIN_WRONG, MIN_RIGHT = 3, 1


def test_every_answer_names_an_exercise_and_a_catalogued_mistake():
    unknown = [a.id for a in ANSWERS if (a.notebook, a.exercise) not in EXERCISES]
    assert not unknown, f"answers for exercises the engine does not know: {unknown}"
    for a in ANSWERS:
        if a.mistake is not None:
            EXERCISES[a.notebook, a.exercise].mistake(a.mistake)  # KeyError if not catalogued


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a.passes], ids=lambda a: a.id)
def test_right_answers_pass(feedback, answer):
    result, printed = feedback.check(EXERCISES[answer.notebook, answer.exercise], answer.answer)
    assert result.passed and result, printed
    assert printed == "✓ All tests passed\n"
    assert (result.notebook, result.exercise) == (answer.notebook, answer.exercise)
    assert result.mistake is None and result.hint is None


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not a.passes], ids=lambda a: a.id)
def test_wrong_answers_are_rejected_with_the_intended_hint(feedback, answer):
    result, printed = feedback.check(EXERCISES[answer.notebook, answer.exercise], answer.answer)
    assert not result.passed and not result, printed
    assert "All tests passed" not in printed and printed.startswith("✗ ")
    assert result.message == printed.rstrip("\n")
    assert result.mistake == answer.mistake, (
        f"expected the mistake {answer.mistake!r}, the check named {result.mistake!r}:\n{printed}")
    if answer.mistake is not None:
        mistake = EXERCISES[answer.notebook, answer.exercise].mistake(answer.mistake)
        assert mistake.pattern().match(result.hint), (result.hint, mistake.hint)
        assert result.hint in printed
    for part in answer.says:
        assert part in printed, f"expected {part!r} in the feedback, it printed:\n{printed}"


def test_every_exercise_has_three_wrong_answers_and_a_right_one():
    wrong, right = collections.Counter(), collections.Counter()
    for a in ANSWERS:
        if a.passes:
            right[a.notebook, a.exercise] += 1
        elif a.mistake is not None:
            wrong[a.notebook, a.exercise] += 1
    short = {f"{nb}/{ex}": (wrong[nb, ex], right[nb, ex]) for nb, ex in EXERCISES
             if wrong[nb, ex] < MIN_WRONG or right[nb, ex] < MIN_RIGHT}
    assert not short, (f"exercises with fewer than {MIN_WRONG} named wrong answers or "
                       f"{MIN_RIGHT} right one, as (wrong, right): {short}")


def test_every_catalogued_mistake_is_made_by_an_answer():
    made = {(a.notebook, a.exercise, a.mistake) for a in ANSWERS if a.mistake}
    untried = [f"{nb}/{ex}: {m.id}" for (nb, ex), exercise in EXERCISES.items()
               for m in exercise.mistakes
               if m is not CHANGES_INPUT and (nb, ex, m.id) not in made]
    assert not untried, f"catalogued mistakes no answer makes: {untried}"


def _writes_into_its_input(answer, exercise):
    """A right answer that also writes into an input it must leave alone: the first array (one
    more in its first element), or else the first dict (a new key) or list (a copy of its last
    element appended)."""
    def changed(*args):
        result = answer(*args)
        names = exercise.params or [f"arg{k}" for k in range(len(args))]
        inputs = [a for n, a in zip(names, args) if n not in exercise._changeable()]
        array = next((a for a in inputs if isinstance(a, np.ndarray)), None)
        if array is not None:
            array.flat[0] += 1.0
        else:
            target = next(a for a in inputs if isinstance(a, (dict, list)))
            if isinstance(target, dict):
                target["scratch"] = None
            else:
                target.append(target[-1])
        return result
    return changed


def _with_a_changing_method(answer_class):
    """A right class that also writes into an array it receives: a layer into the gradient of its
    backward (into the input of its forward when the check calls forward alone), an optimiser
    into the gradients of its update."""
    class Changing(answer_class):
        def forward(self, x, *args, **kwargs):
            result = super().forward(x.copy(), *args, **kwargs)
            if not hasattr(answer_class, "backward"):
                x.flat[0] += 1.0
            return result

        def backward(self, dout):
            result = super().backward(dout.copy())
            dout.flat[0] += 1.0
            return result

        def update(self, params, grads):
            super().update(params, {key: g.copy() for key, g in grads.items()})
            next(iter(grads.values())).flat[0] += 1.0
    return Changing


@pytest.mark.parametrize("key", [key for key, exercise in EXERCISES.items()
                                 if CHANGES_INPUT in exercise.mistakes], ids="/".join)
def test_changing_an_input_is_named(feedback, key):
    right = next(a for a in ANSWERS if (a.notebook, a.exercise) == key and a.passes)
    answer = (_with_a_changing_method(right.answer) if isinstance(right.answer, type)
              else _writes_into_its_input(right.answer, EXERCISES[key]))
    result, printed = feedback.check(EXERCISES[key], answer)
    assert not result.passed and result.mistake == "changes-input", printed
    assert "changed its input" in printed and CHANGES_INPUT.hint in printed


def test_the_answers_leave_the_exercises_unchanged(feedback):
    # every case gets fresh copies of its arguments: no answer, however wrong, changes a case
    before = copy.deepcopy({key: [c.args for c in e.cases] for key, e in EXERCISES.items()})
    for answer in ANSWERS:
        feedback.check(EXERCISES[answer.notebook, answer.exercise], answer.answer)
    after = {key: [c.args for c in e.cases] for key, e in EXERCISES.items()}
    for key in before:
        for b, a in zip(before[key], after[key]):
            for x, y in zip(b, a):
                if isinstance(x, np.ndarray):
                    assert np.array_equal(x, y), key
