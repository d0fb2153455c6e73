"""The exercises of notebook 02_activation_functions.ipynb: ReLU for arrays, sigmoid and softmax
without overflow."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .core import Case, CheckResult, Exercise, compare, gives, raises, run_check, show, warns, when


def _label(name: str, x: np.ndarray) -> str:
    return f"{name}(np.array({x.tolist()}))"


def _has_nan(got) -> bool:
    try:
        a = np.asarray(got)
        return a.dtype.kind in "fc" and bool(np.isnan(a).any())
    except (TypeError, ValueError):
        return False


# --- ReLU -----------------------------------------------------------------------------------------

def _relu_cases() -> tuple[Case, ...]:
    xs = [(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]), "negative, zero and positive values"),
          (np.array([[-1.0, 2.0, 0.0], [3.0, -4.0, 5.5]]), "a 2-D array, not square"),
          (np.array([-1e6, 1e6]), "large and negative values")]
    # ReLU by its definition, one number at a time, in plain Python
    return tuple(Case((x,), np.array([max(0.0, v) for v in x.ravel()]).reshape(x.shape),
                      label=_label("relu", x), edge=edge) for x, edge in xs)


#: Exercise "Try it: ReLU for a whole array": ``relu(x) = max(0, x)`` elementwise, a new array.
RELU = Exercise(
    notebook="02", id="relu", title="ReLU for a whole array", function="relu", params=("x",),
    cases=_relu_cases(),
    mistakes=(
        raises("python-max", "Python's max(0, x) compares two single numbers and cannot handle an "
               "array; np.maximum(0, x) compares 0 with every element", ValueError,
               "truth value of an array"),
        raises("np-max", "np.max(x) finds the single largest element, which is something else: "
               "np.maximum(0, x) compares 0 with every element", TypeError, "integer scalar arrays"),
        gives("minimum-not-maximum", "np.minimum keeps the smaller of 0 and x, the negative part: "
              "ReLU keeps the larger one, np.maximum(0, x)", lambda x: np.minimum(0, x)),
        when("returns-bool", "x > 0 says where x is positive; ReLU returns the values themselves, "
             "e.g. np.maximum(0, x)", lambda a: np.asarray(a.got).dtype == bool),
    ))


def check_relu(relu: Callable) -> CheckResult:
    """``relu(x) = max(0, x)`` elementwise on float arrays of any shape, returning a new array."""
    return run_check(RELU, relu)


# --- sigmoid without overflow -----------------------------------------------------------------------

def _sigmoid_cases() -> tuple[Case, ...]:
    xs = [(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), ""),
          (np.array([[-3.0, -2.0, -1.0], [0.0, 1.0, 2.0]]), "a 2-D array, not square"),
          (np.array([-1000.0]), "a large negative value: exp(1000) overflows"),
          (np.array([1000.0]), "a large positive value")]
    cases = []
    for x, edge in xs:
        if abs(x).max() > 700:  # math.exp would overflow; the true values are 0 and 1 to 400+ digits
            expected = (x > 0).astype(float)
        else:
            expected = np.array([1 / (1 + math.exp(-v)) for v in x.ravel()]).reshape(x.shape)
        cases.append(Case((x,), expected, label=_label("sigmoid", x), edge=edge))
    return tuple(cases)


#: Exercise "Sigmoid without overflow": ``sigmoid(x) = 1 / (1 + exp(-x))``, no warning at x = +-1000.
SIGMOID = Exercise(
    notebook="02", id="sigmoid", title="Sigmoid without overflow", function="sigmoid",
    params=("x",), cases=_sigmoid_cases(), quiet=True,
    mistakes=(
        when("gives-nan", "e**x / (1 + e**x) at x = 1000 is inf / inf = nan, and np.where computes "
             "both of its branches for every element, so both must be safe: build them from "
             "e = np.exp(-np.abs(x))", lambda a: _has_nan(a.got)),
        warns("overflow", "np.exp(1000) is far beyond the largest float64 (about 1.8e308), so it "
              "overflows to inf. e = np.exp(-np.abs(x)) never overflows, and sigmoid(x) is "
              "1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0: let np.where pick (it computes "
              "both branches, so both must be safe)", "overflow"),
        gives("sign-flipped", "that is sigmoid(-x): the formula is 1 / (1 + np.exp(-x)), with a "
              "minus in the exponent", lambda x: 1 / (1 + np.exp(x))),
        raises("math-exp", "math.exp takes one number; np.exp works on every element of an array",
               TypeError, "converted to Python scalars"),
    ))


def check_sigmoid(sigmoid: Callable) -> CheckResult:
    """``sigmoid(x) = 1 / (1 + exp(-x))`` elementwise, any shape, without overflow at x = -1000 or 1000."""
    return run_check(SIGMOID, sigmoid)


# --- softmax for a batch ------------------------------------------------------------------------------

def _exact_softmax(row) -> list[float]:
    """Softmax of one row in plain Python, the maximum subtracted."""
    e = [math.exp(v - max(row)) for v in row]
    return [v / sum(e) for v in e]


def _judge_softmax(got, case: Case) -> list[str]:
    x = case.args[0]
    got_a = None if got is None else np.asarray(got)
    if (x.ndim == 2 and got_a is not None and got_a.shape == x.shape and got_a.dtype.kind == "f"
            and not _has_nan(got_a) and not np.allclose(got_a.sum(axis=-1), 1.0)):
        return [f"{case.label}: each row should sum to 1, got row sums "
                f"{show(np.round(got_a.sum(axis=-1), 4))}"]
    return compare(got, case.expected, name=case.label)


def _softmax_cases() -> tuple[Case, ...]:
    small, large = [0.0, 1.0, 2.0], [1010.0, 1000.0, 990.0]
    xs = [(np.array(small), "one vector of scores"),
          (np.array(large), "large scores: exp(1010) overflows"),
          (np.array([small, large]), "a batch of two rows"),
          (np.array([[-1.0, 0.5, 3.0, 0.0]]), "a batch of one")]
    return tuple(Case((x,), np.array([_exact_softmax(row) for row in x.reshape(-1, x.shape[-1])])
                      .reshape(x.shape), label=_label("softmax", x), edge=edge, judge=_judge_softmax)
                 for x, edge in xs)


def _whole_array(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def _down_columns(x):
    e = np.exp(x - np.max(x, axis=0))
    return e / np.sum(e, axis=0)


#: Exercise "Softmax for a batch": probabilities summing to 1 for ``(C,)`` scores and each row of ``(N, C)``.
SOFTMAX = Exercise(
    notebook="02", id="softmax", title="Softmax for a batch", function="softmax", params=("x",),
    cases=_softmax_cases(), quiet=True,
    mistakes=(
        gives("whole-array", "take the max and the sum of each row on its own: axis=-1, "
              "keepdims=True", _whole_array),
        gives("down-the-columns", "axis=0 runs down the columns, across the samples; each row is "
              "one sample, so take its max and its sum along the last axis: axis=-1, keepdims=True",
              _down_columns),
        raises("no-keepdims", "keep the row axis with keepdims=True: np.max(x, axis=-1, "
               "keepdims=True) has shape (N, 1), which broadcasts against (N, C)", ValueError,
               "broadcast"),
        raises("axis-1", "axis=-1 (the last axis) works for both (C,) and (N, C); axis=1 does not "
               "exist for one vector", IndexError, "out of bounds"),
        warns("max-not-subtracted", "subtract the largest score before np.exp, so that exp never "
              "sees a number above 0 (the probabilities do not change)", "overflow"),
    ))


def check_softmax(softmax: Callable) -> CheckResult:
    """A stable softmax: probabilities summing to 1 for scores ``(C,)`` and for each row of ``(N, C)``.

    Tries [0, 1, 2], [1010, 1000, 990] (whose exp overflows unless the maximum is subtracted first),
    the batch of both rows, and a batch of one row.
    """
    return run_check(SOFTMAX, softmax)


EXERCISES = (RELU, SIGMOID, SOFTMAX)
