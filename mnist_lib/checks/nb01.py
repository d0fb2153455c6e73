"""Checks for the exercises of notebook 01_perceptrons.ipynb."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, report


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


def check_nand(NAND: Callable) -> CheckResult:
    """``NAND(x1, x2)`` returns the integer 0 only for (1, 1), and 1 for the other three inputs."""
    return report(_gate_problems(NAND, "NAND", (1, 1, 1, 0),
                                 if_opposite="flip the signs of both weights and of the bias"))


def check_or_weights(w, b) -> CheckResult:
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


def check_xor(XOR: Callable) -> CheckResult:
    """``XOR(x1, x2)`` returns the integer 1 when exactly one input is 1, else 0."""
    return report(_gate_problems(XOR, "XOR", (0, 1, 1, 0)))
