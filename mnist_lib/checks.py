"""Instant feedback for the notebooks' "Try it" exercises.

Every check prints what is wrong, phrased for a beginner ("expected shape (2, 3), got (3, 2)",
"NAND(1, 1) should be 0, got 1"), or "All tests passed", and returns True when it passed.
The shared helpers are :func:`compare` (type, shape, dtype, values) and :func:`check_cases`
(a function against a table of inputs and expected outputs); each exercise's check is a few
lines on top of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

PASSED = "All tests passed"


class CheckResult:
    """What a check returns: true when every test passed, false otherwise.

    The check has already printed its feedback, so in a notebook the result itself shows nothing
    (no extra ``Out: False`` under the feedback).
    """

    def __init__(self, passed: bool):
        self.passed = bool(passed)

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other) -> bool:
        return self.passed == (other.passed if isinstance(other, CheckResult) else other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"CheckResult(passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Show nothing: the feedback is already on screen."""


def report(problems: list[str]) -> CheckResult:
    """Print every problem (or "All tests passed"); the result is true when there were none."""
    if problems:
        for p in problems:
            print("✗", p)
        return CheckResult(False)
    print("✓", PASSED)
    return CheckResult(True)


def compare(got, expected, name: str = "your result", rtol: float = 1e-5, atol: float = 1e-8) -> list[str]:
    """Differences between ``got`` and ``expected``: type, shape, kind of dtype, then values.

    ``expected`` may be a number, a bool, a sequence or an array. Returns a list of sentences
    (empty when they agree).
    """
    if got is None:
        return [f"{name} is None: did you forget to return a value?"]
    if isinstance(expected, (bool, np.bool_)):  # only a single bool or number can be True/False
        ok = isinstance(got, (bool, int, float, np.bool_, np.number)) and bool(got) == bool(expected)
        return [] if ok else [f"{name} should be {expected}, got {got!r}"]
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        return [f"{name} should be a NumPy array, got {type(got).__name__} (wrap it in np.array)"]
    try:
        got_a = np.asarray(got)
        exp_a = np.asarray(expected)
    except (ValueError, TypeError) as err:
        return [f"{name} cannot be read as an array ({err})"]
    if got_a.dtype == object or not (np.issubdtype(got_a.dtype, np.number) or got_a.dtype == bool):
        return [f"{name} should hold numbers, got {got!r}"]
    if got_a.shape != exp_a.shape:
        return [f"{name}: expected shape {exp_a.shape}, got {got_a.shape}"]
    if np.issubdtype(exp_a.dtype, np.integer) and not np.issubdtype(got_a.dtype, np.integer):
        if np.all(np.isfinite(got_a)) and np.array_equal(got_a, exp_a):
            return [f"{name} has the right values but dtype {got_a.dtype}; expected integers "
                    f"(use .astype(np.int64))"]
    if not np.allclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=False):
        if got_a.ndim == 0:
            return [f"{name} should be {_fmt(exp_a)}, got {_fmt(got_a)}"]
        bad = ~np.isclose(got_a, exp_a, rtol=rtol, atol=atol)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        return [f"{name}: {int(bad.sum())} of {bad.size} values differ; at index {where} "
                f"expected {_fmt(exp_a[first])}, got {_fmt(got_a[first])}"]
    return []


def check_cases(fn: Callable, cases: Iterable[tuple[tuple, object]], name: str | None = None,
                **tolerance) -> list[str]:
    """Call ``fn(*args)`` for each ``(args, expected)`` and describe every wrong answer or error."""
    name = name or getattr(fn, "__name__", "your function")
    problems = []
    for args, expected in cases:
        call = f"{name}({', '.join(_fmt(a) for a in args)})"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        problems += compare(got, expected, name=call, **tolerance)
    return problems


def _fmt(value) -> str:
    """Short, readable text for a number or array."""
    a = np.asarray(value)
    if a.ndim == 0:
        v = a.item()
        return f"{v:.6g}" if isinstance(v, float) else repr(v)
    return np.array2string(a, precision=6, separator=", ", threshold=20)


# ---------------------------------------------------------------------------------------------
# 01_perceptrons
# ---------------------------------------------------------------------------------------------

_GATE_INPUTS = ((0, 0), (1, 0), (0, 1), (1, 1))


def _gate_problems(gate: Callable, name: str, outputs: tuple[int, int, int, int],
                   if_opposite: str | None = None) -> list[str]:
    """Compare ``gate(x1, x2)`` with a truth table (``outputs`` for the inputs 00, 10, 01, 11).

    ``if_opposite``: a hint added when every answer is the opposite of the expected one.
    """
    problems, answers = [], []
    for (x1, x2), want in zip(_GATE_INPUTS, outputs):
        call = f"{name}({x1}, {x2})"
        try:
            got = gate(x1, x2)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        if got is None:
            problems.append(f"{call} returned None: did you forget to `return` the result?")
        elif isinstance(got, (bool, np.bool_)):
            problems.append(f"{call} returned {got}, a True/False value: return the number 1 or 0 "
                            f"instead (e.g. `return int(tmp > 0)`)")
        elif not isinstance(got, (int, np.integer)):
            problems.append(f"{call} returned {got!r} ({type(got).__name__}): a gate should "
                            f"return the integer 0 or 1")
        else:
            answers.append(int(got))
            if got != want:
                problems.append(f"{call} should be {want}, got {got}")
    if if_opposite and answers == [1 - o for o in outputs]:
        problems.append(f"Every output is the opposite of {name}'s: {if_opposite}")
    return problems


def check_nand(NAND: Callable) -> bool:
    """``NAND(x1, x2)`` returns the integer 0 only for (1, 1), and 1 for the other three inputs."""
    return report(_gate_problems(NAND, "NAND", (1, 1, 1, 0),
                                 if_opposite="flip the signs of both weights and of the bias"))


def check_or_weights(w, b) -> bool:
    """Weights ``w = (w1, w2)`` and a bias ``b`` that make ``1 if w1*x1 + w2*x2 + b > 0 else 0`` an OR gate."""
    try:
        w_arr, b_arr = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return report([f"w should be two numbers and b one number, got w = {w!r} and b = {b!r}"])
    if w_arr.shape != (2,):
        return report([f"w should hold 2 numbers (one weight per input), got shape {w_arr.shape}"])
    if b_arr.shape != ():
        return report([f"b should be a single number, got shape {b_arr.shape}"])
    if not (np.all(np.isfinite(w_arr)) and np.isfinite(b_arr)):
        return report([f"w and b should be ordinary numbers, got w = {w!r} and b = {b!r}"])
    (w1, w2), bias = w_arr, float(b_arr)
    sign = "+" if bias >= 0 else "-"
    problems = []
    for (x1, x2), want in zip(_GATE_INPUTS, (0, 1, 1, 1)):
        total = w1 * x1 + w2 * x2 + bias
        got = int(total > 0)
        if got != want:
            verdict = "which is > 0" if got else "which is not > 0"
            problems.append(f"OR({x1}, {x2}) should be {want}, got {got}: {w1:g}*{x1} + {w2:g}*{x2} "
                            f"{sign} {abs(bias):g} = {total + 0.0:.4g}, {verdict}")
    return report(problems)


def check_xor(XOR: Callable) -> bool:
    """``XOR(x1, x2)`` returns the integer 1 when exactly one input is 1, else 0."""
    return report(_gate_problems(XOR, "XOR", (0, 1, 1, 0)))


# ---------------------------------------------------------------------------------------------
# 02_activation_functions
# ---------------------------------------------------------------------------------------------


def _run(fn: Callable, x: np.ndarray):
    """Call ``fn`` on a copy of the float array ``x``, recording what a beginner's function can get wrong.

    Returns ``(result, error, changed_input, numpy_warnings)``: the exception as text (or None),
    whether ``fn`` modified its argument, and the messages of NumPy's RuntimeWarnings ("overflow
    encountered in exp", ...), each once.
    """
    import warnings

    arg = np.array(x, dtype=float)
    result, error = None, None
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(arg)
        except Exception as err:  # the student's code: report, do not crash
            error = f"{type(err).__name__}: {err}"
    changed = arg.shape != np.shape(x) or not np.array_equal(arg, x)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return result, error, changed, list(dict.fromkeys(messages))


def _has_nan(got) -> bool:
    """True when ``got`` is a float array (or number) holding a nan."""
    try:
        a = np.asarray(got)
        return a.dtype.kind in "fc" and bool(np.isnan(a).any())
    except (TypeError, ValueError):
        return False


_CHANGED_INPUT = ("{name} changed its input array (with `x -= ...`, `x[...] = ...` or similar): "
                  "compute a new array instead, so the caller's data stays as it was")


def check_sigmoid(sigmoid: Callable) -> bool:
    """``sigmoid(x) = 1 / (1 + exp(-x))`` elementwise, any shape, without overflow at x = -1000 or 1000."""
    import math

    problems, hints = [], []
    cases = [np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), np.array([[-3.0, -2.0, -1.0], [0.0, 1.0, 2.0]]),
             np.array([-1000.0]), np.array([1000.0])]
    for x in cases:
        call = f"sigmoid(np.array({x.tolist()}))"
        if abs(x).max() > 700:  # math.exp would overflow; the true values are 0 and 1 to 400+ digits
            expected = (x > 0).astype(float)
        else:
            expected = np.array([1 / (1 + math.exp(-v)) for v in x.ravel()]).reshape(x.shape)
        got, error, changed, messages = _run(sigmoid, x)
        if error:
            problems.append(f"{call} raised {error}")
            continue
        if messages:
            problems.append(f"{call} made NumPy warn: {'; '.join(messages)}")
        if any("overflow" in m for m in messages):
            hints.append("np.exp(1000) is far beyond the largest float64 (about 1.8e308), so it "
                         "overflows to inf. Hint: e = np.exp(-np.abs(x)) never overflows, and "
                         "sigmoid(x) is 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0: let "
                         "np.where pick (it computes both branches, so both must be safe)")
        if _has_nan(got):
            problems.append(f"{call} gave nan (not a number), expected {_fmt(expected)}")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="sigmoid"))
    return report(problems + list(dict.fromkeys(hints)))


def check_relu(relu: Callable) -> bool:
    """``relu(x) = max(0, x)`` elementwise on float arrays of any shape, returning a new array."""
    problems, hints = [], []
    cases = [(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]), np.array([0.0, 0.0, 0.0, 0.5, 3.0])),
             (np.array([[-1.0, 2.0], [3.0, -4.0]]), np.array([[0.0, 2.0], [3.0, 0.0]]))]
    for x, expected in cases:
        call = f"relu(np.array({x.tolist()}))"
        got, error, changed, _ = _run(relu, x)
        if error:
            problems.append(f"{call} raised {error}")
            if "truth value of an array" in error:
                hints.append("Python's max(0, x) compares two single numbers and cannot handle an "
                             "array; np.maximum(0, x) compares 0 with every element")
            else:
                hints.append("Hint: np.maximum(0, x) compares 0 with every element (np.max(x) "
                             "finds the single largest element, which is something else)")
            continue
        if np.asarray(got).dtype == bool:
            problems.append(f"{call} returned True/False values (a comparison such as x > 0): "
                            f"return the numbers themselves, e.g. np.maximum(0, x)")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="relu"))
    return report(problems + list(dict.fromkeys(hints)))


def check_softmax(softmax: Callable) -> bool:
    """A stable softmax: probabilities summing to 1 for scores ``(C,)`` and for each row of ``(N, C)``.

    Tries [0, 1, 2], [1010, 1000, 990] (whose exp overflows unless the maximum is subtracted first)
    and the batch of both rows, [[0, 1, 2], [1010, 1000, 990]].
    """
    import math

    def exact(row):  # the maximum subtracted, in plain Python
        e = [math.exp(v - max(row)) for v in row]
        return [v / sum(e) for v in e]

    small, large = [0.0, 1.0, 2.0], [1010.0, 1000.0, 990.0]
    problems, hints = [], []
    for x in (np.array(small), np.array(large), np.array([small, large])):
        call = f"softmax(np.array({x.tolist()}))"
        expected = np.array([exact(row) for row in x.reshape(-1, 3)]).reshape(x.shape)
        got, error, changed, messages = _run(softmax, x)
        if error:
            problems.append(f"{call} raised {error}")
            if "broadcast" in error:
                hints.append("Hint: keep the row axis with keepdims=True: np.max(x, axis=-1, "
                             "keepdims=True) has shape (N, 1), which broadcasts against (N, C)")
            elif "out of bounds" in error:
                hints.append("Hint: axis=-1 (the last axis) works for both (C,) and (N, C)")
            continue
        if messages:
            problems.append(f"{call} made NumPy warn: {'; '.join(messages)}")
            hints.append("Hint: subtract the largest score before np.exp, so exp never sees a "
                         "number above 0 (the probabilities do not change)")
        got_arr = None if got is None else np.asarray(got)
        if _has_nan(got):
            problems.append(f"{call} gave nan (not a number) instead of probabilities")
        elif (x.ndim == 2 and got_arr is not None and got_arr.shape == x.shape
              and got_arr.dtype.kind == "f" and not np.allclose(got_arr.sum(axis=-1), 1.0)):
            problems.append(f"{call}: each row should sum to 1, got row sums "
                            f"{_fmt(np.round(got_arr.sum(axis=-1), 4))}")
            hints.append("Hint: take the max and the sum of each row on its own: axis=-1, "
                         "keepdims=True")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="softmax"))
    return report(problems + list(dict.fromkeys(hints)))


# ---------------------------------------------------------------------------------------------
# 03_matrix_products
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 04_three_layer_forward_pass
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 05_loss_functions
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 06_numerical_gradients
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 07_backpropagation
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 08_training
# ---------------------------------------------------------------------------------------------
