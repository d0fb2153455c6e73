"""The exercise-feedback helpers shared by every notebook: compare, check_cases and report."""
import numpy as np
import pytest

from mnist_lib.checks import PASSED, check_cases, compare, report


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
])
def test_compare_accepts_right_answers(got, expected):
    assert compare(got, expected) == []


def test_compare_none():
    [msg] = compare(None, np.zeros(3), name="softmax(x)")
    assert msg.startswith("softmax(x) is None") and "return" in msg


def test_compare_wrong_type():
    [msg] = compare([1.0, 2.0], np.array([1.0, 2.0]), name="y")
    assert "NumPy array" in msg and "list" in msg and "np.array" in msg
    [msg] = compare("0.5", 0.5)
    assert "numbers" in msg and "'0.5'" in msg


def test_compare_wrong_shape():
    [msg] = compare(np.zeros((3, 2)), np.zeros((2, 3)), name="W")
    assert msg == "W: expected shape (2, 3), got (3, 2)"


def test_compare_wrong_dtype():
    [msg] = compare(np.array([0.0, 1.0]), np.array([0, 1]), name="step_function(x)")
    assert "dtype float64" in msg and "integers" in msg and ".astype(np.int64)" in msg
    [msg] = compare(np.array([False, True]), np.array([0, 1]))
    assert "dtype bool" in msg


def test_compare_wrong_values():
    [msg] = compare(np.array([1.0, 5.0, 3.0]), np.array([1.0, 2.0, 3.0]), name="y")
    assert msg == "y: 1 of 3 values differ; at index 1 expected 2, got 5"
    [msg] = compare(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 5.0]]), name="W")
    assert "at index (1, 1) expected 5, got 4" in msg


def test_compare_wrong_scalar():
    assert compare(0.6, 0.5, name="loss") == ["loss should be 0.5, got 0.6"]
    assert compare(0, True, name="ok") == ["ok should be True, got 0"]


@pytest.mark.parametrize("got", [np.array([True, False]), np.array([]), "yes", "False", [True]])
def test_compare_bool_expected_rejects_non_bools_without_crashing(got):
    [msg] = compare(got, True, name="is_close(a, b)")
    assert msg.startswith("is_close(a, b) should be True, got")


@pytest.mark.parametrize("got", [True, np.True_, 1, np.int64(1), 1.0])
def test_compare_bool_expected_accepts_true_values(got):
    assert compare(got, True) == []
    assert compare(got, False) == ["your result should be False, got " + repr(got)]


def test_compare_nan_is_wrong():
    [msg] = compare(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    assert "nan" in msg


def test_compare_tolerances():
    assert compare(1.001, 1.0) != []
    assert compare(1.001, 1.0, rtol=1e-2) == []
    assert compare(1e-9, 0.0) == []
    assert compare(1e-6, 0.0) != []
    assert compare(1e-6, 0.0, atol=1e-5) == []


def test_compare_returns_one_problem_at_a_time():
    assert len(compare(np.zeros((2, 2), dtype=float), np.ones(3, dtype=int))) == 1


# --- check_cases -------------------------------------------------------------------------------

def test_check_cases_all_right():
    assert check_cases(lambda a, b: a + b, [((1, 2), 3), ((0.5, 0.25), 0.75)], name="add") == []


def test_check_cases_reports_each_wrong_case_with_its_call():
    def AND(x1, x2):
        return x1 or x2
    problems = check_cases(AND, [((0, 0), 0), ((1, 0), 0), ((0, 1), 0), ((1, 1), 1)])
    assert problems == ["AND(1, 0) should be 0, got 1", "AND(0, 1) should be 0, got 1"]


def test_check_cases_catches_exceptions():
    def inverse(x):
        return 1 / x
    problems = check_cases(inverse, [((0,), 1.0), ((2,), 0.5), ((4,), 1.0)])
    assert len(problems) == 2
    assert problems[0] == "inverse(0) raised ZeroDivisionError: division by zero"
    assert problems[1] == "inverse(4) should be 1, got 0.25"


def test_check_cases_catches_any_exception_type():
    def sigmoid(x):
        return None + x  # a half-written starter
    [problem] = check_cases(sigmoid, [((0.0,), 0.5)])
    assert problem.startswith("sigmoid(0) raised TypeError: unsupported operand")
    problems = check_cases(lambda: np.zeros(2).reshape(3), [((), 0.0)], name="f")
    assert problems[0].startswith("f() raised ValueError")


def test_check_cases_survives_an_array_where_a_bool_is_expected():
    [problem] = check_cases(lambda a, b: np.isclose(a, b), [((np.zeros(2), np.zeros(2)), True)], name="same")
    assert "should be True" in problem


def test_check_cases_starter_returning_none():
    [problem] = check_cases(lambda x: None, [((np.array([1.0, 2.0]),), np.array([2.0, 4.0]))], name="double")
    assert problem.startswith("double([1., 2.]) is None")


def test_check_cases_passes_tolerances_on():
    assert check_cases(lambda: 1.001, [((), 1.0)], name="f", rtol=1e-2) == []
    assert check_cases(lambda: 1.001, [((), 1.0)], name="f") != []


# --- report ------------------------------------------------------------------------------------

def test_report_passed(capsys):
    result = report([])
    assert bool(result) is True and result == True  # noqa: E712 (the result compares like a bool)
    assert capsys.readouterr().out == f"✓ {PASSED}\n"
    assert PASSED == "All tests passed"


def test_report_failed(capsys):
    result = report(["first problem", "second problem"])
    assert bool(result) is False and result == False  # noqa: E712
    out = capsys.readouterr().out
    assert out == "✗ first problem\n✗ second problem\n"
    assert PASSED not in out


def test_check_result_shows_nothing_more_in_a_notebook():
    # the feedback is printed by the check; the returned value must not add an "Out: False"
    from IPython.core.formatters import DisplayFormatter

    shown, _ = DisplayFormatter().format(report(["a problem"]))
    assert shown == {}


def test_no_check_is_defined_twice():
    # mnist_lib.checks has one module per notebook, all re-exported by the package; a name defined
    # in two modules would silently replace the earlier one and break that notebook's exercise
    import ast
    from pathlib import Path

    import mnist_lib.checks

    names = []
    for module in sorted(Path(mnist_lib.checks.__file__).parent.glob("*.py")):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text())
        names += [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
        names += [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                  if isinstance(t, ast.Name)]
    assert len(names) > 30
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_package_exports_every_public_check():
    import importlib
    import pkgutil

    import mnist_lib.checks

    for info in pkgutil.iter_modules(mnist_lib.checks.__path__):
        module = importlib.import_module(f"mnist_lib.checks.{info.name}")
        for name in vars(module):
            if name.startswith("check_"):
                assert getattr(mnist_lib.checks, name) is getattr(module, name), name
