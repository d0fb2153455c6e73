"""The check engine (``mnist_lib.checks.core``): comparing, running an exercise, the result.

The exercises themselves are tested against learners' answers in ``tests/test_catalogue.py``.
"""
import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import mnist_lib.checks
from mnist_lib.checks import EXERCISES, PASSED, CheckResult, compare, report, run_check
from mnist_lib.checks.core import (CHANGES_INPUT, Case, Exercise, Mistake, finish, gives, raises,
                                   warns, when)

# --- compare -----------------------------------------------------------------------------------


@pytest.mark.parametrize("got, expected", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.0])),
    (np.array([1.0, 2.0 + 1e-9]), [1.0, 2.0]),
    (0.1 + 0.2, 0.3),
    (np.float32(0.5), 0.5),
    (np.array([0, 1]), np.array([0, 1])),
    (np.array([0, 1], dtype=np.int32), [0, 1]),
    (True, True),
    (np.True_, True),
    ([1.0, 2.0], [1.0, 2.0]),  # a list is fine when a list is expected
    (np.int64(3), 3),
])
def test_compare_accepts_right_answers(got, expected):
    assert compare(got, expected) == []


def test_compare_none():
    [msg] = compare(None, np.zeros(3), name="softmax(x)")
    assert msg == "softmax(x) is None: did you forget to return a value?"


def test_compare_wrong_type():
    [msg] = compare([1.0, 2.0], np.array([1.0, 2.0]), name="y")
    assert msg == "y should be a NumPy array, got list (wrap it in np.array)"
    [msg] = compare("0.5", 0.5)
    assert "numbers" in msg and "'0.5'" in msg


def test_compare_whole_numbers():
    assert compare(True, 1, name="NAND(0, 0)") == [
        "NAND(0, 0) should be the number 1, got True, a True/False value"]
    assert compare(600.0, 600, name="n") == ["n should be the whole number 600, got the float 600.0"]
    assert compare(937.5, 938, name="n") == ["n should be 938, got 937.5"]


def test_compare_wrong_shape():
    [msg] = compare(np.zeros((3, 2)), np.zeros((2, 3)), name="W")
    assert msg == "W: expected shape (2, 3), got (3, 2)"


def test_compare_wrong_dtype():
    [msg] = compare(np.array([0.0, 1.0]), np.array([0, 1]), name="step_function(x)")
    assert msg == ("step_function(x) has the right values but dtype float64; expected integers "
                   "(use .astype(np.int64))")


def test_compare_wrong_values():
    [msg] = compare(np.array([1.0, 5.0, 3.0]), np.array([1.0, 2.0, 3.0]), name="y")
    assert msg == "y: 1 of 3 values differ; at index 1 expected 2, got 5"
    [msg] = compare(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 5.0]]), name="W")
    assert "at index (1, 1) expected 5, got 4" in msg
    assert compare(0.6, 0.5, name="loss") == ["loss should be 0.5, got 0.6"]


@pytest.mark.parametrize("got", [np.array([True, False]), np.array([]), "yes", "False", [True]])
def test_compare_bool_expected_rejects_non_bools_without_crashing(got):
    [msg] = compare(got, True, name="is_close(a, b)")
    assert msg.startswith("is_close(a, b) should be True, got")


def test_compare_a_choice():
    assert compare("b", "b") == []
    assert compare("c", "b", name="question 2") == ["question 2 should be 'b', got 'c'"]
    assert compare(2, "b", name="question 2") == ["question 2 should be 'b', got 2"]


def test_a_question_whose_answer_is_a_value(capsys):
    # what an exit ticket looks like on the engine: the answer is the value, each case a question
    quiz = Exercise(notebook="99", id="quiz", title="a quiz", function="answers",
                    run=lambda answers, key: answers.get(key),
                    cases=(Case(("q1",), 784, label="q1"), Case(("q2",), "b", label="q2")),
                    report="all", mistakes=(when("rows-times-columns", "28 × 28 pixels, one row",
                                                 lambda a: a.got == 56),))
    assert run_check(quiz, {"q1": 784, "q2": "b"})
    result = run_check(quiz, {"q1": 56, "q2": "a"})
    assert capsys.readouterr().out.endswith(
        "✗ q1 should be 784, got 56\n✗ q2 should be 'b', got 'a'\n✗ 28 × 28 pixels, one row\n")
    assert result.mistake == "rows-times-columns"


def test_compare_nan():
    [msg] = compare(np.array([np.nan, 1.0]), np.array([0.0, 1.0]), name="f(x)")
    assert msg == "f(x) gave nan (not a number), expected [0., 1.]"


def test_compare_tolerances():
    assert compare(1.001, 1.0) != [] and compare(1.001, 1.0, rtol=1e-2) == []
    assert compare(1e-9, 0.0) == [] and compare(1e-6, 0.0) != []
    assert compare(1e-6, 0.0, atol=1e-5) == []


# --- the runner, on a small exercise of its own --------------------------------------------------

def double_exercise(**options) -> Exercise:
    """``double(x) = 2 * x``, with a catalogue of three mistakes."""
    settings = dict(
        notebook="99", id="double", title="double it", function="double", params=("x",),
        cases=(Case((np.array([1.0, 2.0]),), np.array([2.0, 4.0])),
               Case((np.array([[-1.0, 0.5]]),), np.array([[-2.0, 1.0]]), edge="a batch of one")),
        mistakes=(gives("squared", "that is x squared, x ** 2; double it with 2 * x",
                        lambda x: x ** 2),
                  raises("list-times-two", "2 * a list repeats it; use an array", TypeError),
                  when("adds-n", "you added {n} instead of doubling",
                       lambda a: {"n": int(a.got.flat[0] - a.args[0].flat[0])}
                       if isinstance(a.got, np.ndarray) and np.allclose(a.got - a.args[0],
                                                                         (a.got - a.args[0]).flat[0])
                       else False, example={"n": 3})))
    settings.update(options)
    return Exercise(**settings)


def test_a_right_answer_passes_and_says_so(capsys):
    result = run_check(double_exercise(), lambda x: 2 * x)
    assert capsys.readouterr().out == f"✓ {PASSED}\n"
    assert result and result == True and result.passed  # noqa: E712 (compares like a bool)
    assert (result.notebook, result.exercise, result.mistake, result.hint) == ("99", "double", None, None)
    assert result.message == f"✓ {PASSED}"


def test_a_wrong_answer_names_the_case_the_problem_and_the_mistake(capsys):
    result = run_check(double_exercise(), lambda x: x ** 2)
    out = capsys.readouterr().out
    assert out == ("✗ double(x) with x = [1., 2.]: 1 of 2 values differ; at index 0 expected 2, got 1\n"
                   "✗ that is x squared, x ** 2; double it with 2 * x\n")
    assert not result and result == False  # noqa: E712
    assert result.mistake == "squared" and result.hint == "that is x squared, x ** 2; double it with 2 * x"
    assert result.message == out.rstrip("\n")


def test_the_hint_joined_to_the_problem(capsys):
    run_check(double_exercise(layout="joined"), lambda x: x ** 2)
    assert capsys.readouterr().out == (
        "✗ double(x) with x = [1., 2.]: 1 of 2 values differ; at index 0 expected 2, got 1: that "
        "is x squared, x ** 2; double it with 2 * x\n")


def test_a_hint_is_filled_in_with_what_the_recogniser_saw(capsys):
    result = run_check(double_exercise(), lambda x: x + 5)
    assert result.mistake == "adds-n" and result.hint == "you added 5 instead of doubling"
    assert double_exercise().mistake("adds-n").render() == "you added 3 instead of doubling"


def test_an_error_is_reported_not_raised(capsys):
    result = run_check(double_exercise(), lambda x: 2 * x.tolist() + None)
    assert capsys.readouterr().out.startswith("✗ double(x) with x = [1., 2.] raised TypeError: ")
    assert result.mistake == "list-times-two"


def test_no_catalogued_mistake(capsys):
    result = run_check(double_exercise(), lambda x: None)
    assert capsys.readouterr().out == "✗ double(x) with x = [1., 2.] is None: did you forget to return a value?\n"
    assert result.mistake is None and result.hint is None


def test_report_first_stops_at_the_first_wrong_case_and_all_reports_each(capsys):
    only_the_batch_is_wrong = lambda x: 2 * x if x.ndim == 1 else x  # noqa: E731
    run_check(double_exercise(), lambda x: x * 3)
    assert capsys.readouterr().out.count("✗") == 1
    run_check(double_exercise(report="all"), lambda x: x * 3)
    assert capsys.readouterr().out.count("✗ double(x)") == 2
    run_check(double_exercise(), only_the_batch_is_wrong)
    assert "double(x) with x of shape (1, 2)" in capsys.readouterr().out


def test_a_blocking_case_is_a_gate(capsys):
    gate = Case(label="the answer", judge=lambda got, case: [] if callable(got) else ["not a function"],
                run=lambda answer: answer, blocking=True)
    exercise = double_exercise(cases=(gate,) + double_exercise().cases, report="all")
    run_check(exercise, 2)
    assert capsys.readouterr().out == "✗ not a function\n"


def test_a_changed_input_is_a_problem_and_a_mistake(capsys):
    def doubles_in_place(x):
        x *= 2
        return x
    exercise = double_exercise()
    assert exercise.mistakes[-1] is CHANGES_INPUT
    result = run_check(exercise, doubles_in_place)
    out = capsys.readouterr().out
    assert out == f"✗ double(x) with x = [1., 2.] changed its input x\n✗ {CHANGES_INPUT.hint}\n"
    assert result.mistake == "changes-input"
    assert run_check(double_exercise(may_change_inputs=True), doubles_in_place)
    assert CHANGES_INPUT not in double_exercise(may_change_inputs=True).mistakes


def test_a_right_result_is_not_mistaken_for_a_mistake(capsys):
    # 1 and 2 doubled are also 1 and 2 squared... on the first case only: "squared" must not be
    # named for a right result whose only problem is a changed input
    exercise = double_exercise(cases=(Case((np.array([0.0, 2.0]),), np.array([0.0, 4.0])),))
    def doubles_in_place(x):
        x *= 2
        return x
    assert run_check(exercise, doubles_in_place).mistake == "changes-input"


def test_quiet_exercises_count_numpy_warnings(capsys):
    noisy = lambda x: 2 * x + 0 * np.log(np.abs(x) - np.abs(x))  # noqa: E731 (log(0) warns, -inf * 0)
    loud_but_right = lambda x: 2 * x + 0 * (np.exp(np.array([1000.0])) == 0)  # noqa: E731
    assert run_check(double_exercise(), loud_but_right)
    capsys.readouterr()
    quiet = double_exercise(quiet=True, mistakes=(warns("overflow", "mind exp", "overflow"),))
    result = run_check(quiet, loud_but_right)
    assert capsys.readouterr().out == ("✗ double(x) with x = [1., 2.] made NumPy warn: overflow "
                                       "encountered in exp\n✗ mind exp\n")
    assert result.mistake == "overflow"
    assert not run_check(quiet, noisy)


def test_answer_scope_mistakes_are_printed_once_after_the_cases(capsys):
    every = when("every-case-zero", "every result is 0", scope="answer",
                 test=lambda a: all(np.all(x.got == 0) for x in a.attempts))
    result = run_check(double_exercise(report="all", mistakes=(every,)), np.zeros_like)
    assert capsys.readouterr().out.splitlines()[-1] == "✗ every result is 0"
    assert result.mistake == "every-case-zero"


def test_mistakes_are_checked_when_declared():
    with pytest.raises(ValueError, match="slug"):
        Mistake("Sum_Not_Mean", "hint", lambda a: True)
    with pytest.raises(ValueError, match="no value for"):
        Mistake("added", "you added {n}", lambda a: True)
    with pytest.raises(ValueError, match="unique"):
        double_exercise(mistakes=(when("a", "x", lambda a: True), when("a", "y", lambda a: True)))
    assert Mistake("added", "you added {n} to {label}", lambda a: True,
                   example={"n": 1}).pattern().match("you added 12 to double(x)")


def test_finish_is_where_every_result_is_made(capsys):
    result = finish("04", "practice_forward", ["a problem"], "relu-at-output", "a hint")
    assert capsys.readouterr().out == "✗ a problem\n"
    assert repr(result) == ("CheckResult(notebook='04', exercise='practice_forward', passed=False, "
                            "mistake='relu-at-output')")
    source = inspect.getsource(mnist_lib.checks.core)
    assert source.count("CheckResult(") == 2  # the class's repr, and finish
    assert len(re.findall(r"\bfinish\(", source)) == 4  # its definition, report, run_check (twice)


def test_report_for_checks_not_on_the_engine(capsys):
    result = report(["first problem", "second problem"])
    assert capsys.readouterr().out == "✗ first problem\n✗ second problem\n"
    assert not result and result.notebook is None
    assert report([]) and capsys.readouterr().out == f"✓ {PASSED}\n"


def test_check_result_shows_nothing_more_in_a_notebook():
    # the feedback is printed by the check; the returned value must not add an "Out: False"
    from IPython.core.formatters import DisplayFormatter

    shown, _ = DisplayFormatter().format(CheckResult(False))
    assert shown == {}


# --- the registry and the modules ------------------------------------------------------------------

def test_every_exercise_is_registered_and_has_its_check():
    from mnist_lib.checks.tickets import EXERCISES as TICKETS, is_ticket

    found = [e for ticket in TICKETS.values() for e in ticket]  # checked by check_exit_ticket
    for info in pkgutil.iter_modules(mnist_lib.checks.__path__):
        module = importlib.import_module(f"mnist_lib.checks.{info.name}")
        found += [value for value in vars(module).values() if isinstance(value, Exercise)]
    assert sorted((e.notebook, e.id) for e in found) == sorted(EXERCISES)
    assert len(EXERCISES) >= 28
    for (notebook, id), exercise in EXERCISES.items():
        if is_ticket(exercise):
            continue
        check = getattr(mnist_lib.checks, f"check_{id}")
        assert f"run_check({exercise_name(exercise)}" in inspect.getsource(check), id


def exercise_name(exercise: Exercise) -> str:
    module = importlib.import_module(f"mnist_lib.checks.nb{exercise.notebook}")
    return next(name for name, value in vars(module).items() if value is exercise)


def test_the_exercise_titles_are_the_notebooks_exercises():
    from test_teaching import exercises, normalise

    from mnist_lib.checks.tickets import is_ticket

    notebooks = {p.name[:2]: p for p in (Path(__file__).parent.parent / "notebooks").glob("*.ipynb")}
    for (notebook, id), exercise in EXERCISES.items():
        if is_ticket(exercise):  # its questions are in the notebook's exit ticket (test_exit_tickets.py)
            continue
        names = [normalise(n) for n in exercises(notebooks[notebook])]
        assert normalise(exercise.title) in names, (notebook, id, exercise.title, names)


def test_no_name_is_defined_in_two_check_modules():
    # the package re-exports names from every module; a name defined in two would silently replace
    # the earlier one (EXERCISES, each module's own list, is collected rather than re-exported)
    names = []
    for module in sorted(Path(mnist_lib.checks.__file__).parent.glob("nb*.py")):
        tree = ast.parse(module.read_text())
        names += [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
                  and not node.name.startswith("_")]
        names += [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                  if isinstance(t, ast.Name) and not t.id.startswith("_") and t.id != "EXERCISES"]
    assert len(names) > 30
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_package_exports_every_public_check():
    for info in pkgutil.iter_modules(mnist_lib.checks.__path__):
        module = importlib.import_module(f"mnist_lib.checks.{info.name}")
        for name in vars(module):
            if name.startswith("check_"):
                assert getattr(mnist_lib.checks, name) is getattr(module, name), name


def test_no_check_module_reaches_into_another_or_words_an_error_itself():
    # one engine: the modules import public names from core only, and only core describes an
    # error the learner's code raised
    folder = Path(mnist_lib.checks.__file__).parent
    for module in folder.glob("nb*.py"):
        text = module.read_text()
        assert not re.search(r"from \.core import [^\n]*\b_\w", text), module.name
        assert not re.search(r"from \.nb\d\d import", text), module.name
        if module.name not in ("nb08.py", "nb09.py"):  # check_training_lr and nb09: older code
            assert "raised {type(" not in text and "except Exception" not in text, module.name
    assert (folder / "core.py").read_text().count("raised {type(") == 1
