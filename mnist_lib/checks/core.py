"""What every exercise check shares: the result, the report, and comparisons that explain.

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


def _arg_text(name: str, value) -> str:
    """``x = [1., 2.]`` for a short vector, ``W of shape (2, 3)`` for anything bigger."""
    a = np.asarray(value)
    return f"{name} = {_fmt(a)}" if a.ndim <= 1 and a.size <= 6 else f"{name} of shape {a.shape}"


def _first_wrong_case(fn: Callable, fname: str, argnames: tuple[str, ...], cases):
    """Like :func:`check_cases`, but names the arguments briefly and stops at the first wrong case.

    Returns ``(problems, got, args, expected)`` of that case (``got`` is None when it raised), or
    ``([], None, None, None)`` when every case is right.
    """
    for args, expected in cases:
        call = f"{fname}({', '.join(argnames)}) with " + ", ".join(
            _arg_text(n, a) for n, a in zip(argnames, args))
        try:
            got = fn(*[np.array(a, copy=True) for a in args])
        except Exception as err:  # the student's code: report, do not crash
            return [f"{call} raised {type(err).__name__}: {err}"], None, args, expected
        problems = compare(got, expected, name=call)
        if problems:
            return problems, got, args, expected
    return [], None, None, None


def _same(got, expected) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and np.allclose(got, expected)


def _shape_problems(answers, expected: dict, why: dict | None = None) -> list[str]:
    """Compare a dict of predicted shapes (tuples, or "error") with the expected ones."""
    if not isinstance(answers, dict):
        return [f"the answers should be a dict such as {{'A @ B': (7, 1)}}, "
                f"got {type(answers).__name__}"]
    allow_error = "error" in expected.values()
    example = '(7, 1)' + (' or "error"' if allow_error else "")
    problems = []
    for key, want in expected.items():
        because = f". {why[key]}" if why and key in why else ""
        if key not in answers:
            problems.append(f"{key}: no answer (the key {key!r} is missing from the dict)")
            continue
        got = answers[key]
        if got is None:
            problems.append(f"{key}: no answer yet (replace None with a shape such as {example})")
        elif isinstance(got, str):
            if got.strip().lower() != "error":
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
            elif want != "error":
                what = "product" if allow_error else "step"
                problems.append(f"{key}: this {what} works: expected shape {want}, "
                                f"got \"error\"{because}")
        elif isinstance(got, (int, np.integer)):
            problems.append(f"{key}: {got} is a number, not a shape; a shape is a tuple, and a 1-D "
                            f"shape needs a comma: ({got},)")
        else:
            try:
                got = tuple(int(n) for n in got)
            except (TypeError, ValueError):
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
                continue
            if want == "error":
                problems.append(f"{key}: expected \"error\", got {got}{because}")
            elif got != want:
                turned = want[::-1]
                swapped = ", rows and columns swapped" if turned != want and got == turned else ""
                problems.append(f"{key}: expected shape {want}, got {got}{swapped}{because}")
    return problems


def _first_wrong_answer(fn: Callable, cases, name: str, hints: Callable | None = None,
                      rtol: float = 1e-4, scalar: str | None = None) -> list[str]:
    """The problem of the first case ``fn`` gets wrong (one focused message), or ``[]``.

    ``cases``: ``(args, expected, description)``. ``hints(*args)``: ``(value, advice)`` pairs, the
    results of typical mistakes; a wrong answer close to one of them gets that advice. Two keys
    instead of a value: "not finite" (advice for inf or nan), "close" (for a number within 1% of
    the answer) and "otherwise" (for any other wrong number).
    ``scalar``: when set, the answer must be one number and this text says what it is.
    """
    for args, expected, where in cases:
        call = f"{name}{where}"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            return [f"{call} raised {type(err).__name__}: {err}"]
        if scalar and got is not None and np.ndim(got) != 0:
            return [f"{call} should be one number ({scalar}), got an array of shape "
                    f"{np.shape(got)}: did you forget to add the values up with np.sum?"]
        problems = compare(got, expected, name=call, rtol=rtol)
        if not problems:
            continue
        if hints is not None and np.ndim(got) == 0 and not isinstance(got, (str, bytes)):
            try:
                value = float(got)
            except (TypeError, ValueError):
                return problems
            if not np.isfinite(value):
                return [f"{call} should be {_fmt(expected)}, got {value}: "
                        + dict(hints(*args)).get("not finite", "a number must be finite")]
            with np.errstate(all="ignore"):
                for mistake, advice in hints(*args):
                    if not isinstance(mistake, str) and np.isclose(value, mistake, rtol=rtol, atol=1e-9):
                        return [f"{problems[0]}: {advice}"]
            advice = dict(hints(*args))
            if "close" in advice and np.isclose(value, expected, rtol=1e-2):
                return [f"{problems[0]}: {advice['close']}"]
            if "otherwise" in advice:
                return [f"{problems[0]}: {advice['otherwise']}"]
        return problems
    return []


def _first_match(got, candidates) -> list[str]:
    """The hint of the first ``(wrong_answer, hint)`` that ``got`` equals, as a one-item list."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return []
    for wrong, hint in candidates:
        if got.shape == np.shape(wrong) and np.allclose(got, wrong):
            return [hint]
    return []
