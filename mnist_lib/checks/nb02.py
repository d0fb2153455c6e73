"""Checks for the exercises of notebook 02_activation_functions.ipynb."""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from .core import CheckResult, _fmt, compare, report


def _run(fn: Callable, x: np.ndarray):
    """Call ``fn`` on a copy of the float array ``x``, recording what a beginner's function can get wrong.

    Returns ``(result, error, changed_input, numpy_warnings)``: the exception as text (or None),
    whether ``fn`` modified its argument, and the messages of NumPy's RuntimeWarnings ("overflow
    encountered in exp", ...), each once.
    """

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


def check_sigmoid(sigmoid: Callable) -> CheckResult:
    """``sigmoid(x) = 1 / (1 + exp(-x))`` elementwise, any shape, without overflow at x = -1000 or 1000."""

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


def check_relu(relu: Callable) -> CheckResult:
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


def check_softmax(softmax: Callable) -> CheckResult:
    """A stable softmax: probabilities summing to 1 for scores ``(C,)`` and for each row of ``(N, C)``.

    Tries [0, 1, 2], [1010, 1000, 990] (whose exp overflows unless the maximum is subtracted first)
    and the batch of both rows, [[0, 1, 2], [1010, 1000, 990]].
    """

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
