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


def report(problems: list[str]) -> bool:
    """Print every problem (or "All tests passed") and return True when there were none."""
    if problems:
        for p in problems:
            print("✗", p)
        return False
    print("✓", PASSED)
    return True


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


# ---------------------------------------------------------------------------------------------
# 02_activation_functions
# ---------------------------------------------------------------------------------------------


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
