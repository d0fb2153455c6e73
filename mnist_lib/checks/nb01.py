"""The exercises of notebook 01_perceptrons.ipynb: NAND, weights for OR, and XOR from gates."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, Mistake, run_check, when

_INPUTS = ((0, 0), (1, 0), (0, 1), (1, 1))

#: Truth tables as outputs for the inputs (0, 0), (1, 0), (0, 1), (1, 1).
_TABLES = {"AND": (0, 0, 0, 1), "NAND": (1, 1, 1, 0), "OR": (0, 1, 1, 1), "NOR": (1, 0, 0, 0),
           "XOR": (0, 1, 1, 0), "XNOR": (1, 0, 0, 1)}


def _outputs(attempt: Attempt) -> tuple | None:
    """The gate's four outputs as plain ints, when all four were tried and each is 0 or 1."""
    got = []
    for a in attempt.attempts:
        if a.error is not None or isinstance(a.got, (bool, np.bool_)) or a.got not in (0, 1):
            return None
        got.append(int(a.got))
    return tuple(got) if len(got) == 4 else None


def _is_table(name: str) -> Callable[[Attempt], bool]:
    return lambda attempt: _outputs(attempt) == _TABLES[name]


def _gate_cases(name: str, table: tuple[int, ...]) -> tuple[Case, ...]:
    return tuple(Case((x1, x2), want, label=f"{name}({x1}, {x2})") for (x1, x2), want in zip(_INPUTS, table))


_RETURNS_BOOL = when(
    "returns-bool", "return the number 1 or 0, not True/False: `return int(total > 0)` (or "
    "`1 if total > 0 else 0`)", lambda a: isinstance(a.got, (bool, np.bool_)))

#: Exercise "Try it: NAND": ``NAND(x1, x2)``, a perceptron that outputs 0 only for (1, 1).
NAND = Exercise(
    notebook="01", id="nand", title="NAND", function="NAND", params=("x1", "x2"),
    cases=_gate_cases("NAND", _TABLES["NAND"]), report="all",
    mistakes=(
        _RETURNS_BOOL,
        when("opposite-of-nand", "every output is the opposite of NAND's: flip the signs of both "
             "weights and of the bias", _is_table("AND"), scope="answer"),
        when("always-fires", "the total is above 0 for every input, even (1, 1): with a positive "
             "bias, the weights must be negative enough that both inputs together pull the total "
             "below 0", lambda a: _outputs(a) == (1, 1, 1, 1), scope="answer"),
        when("never-fires", "the total is never above 0, not even for (0, 0), where it is just the "
             "bias: NAND's bias must be positive", lambda a: _outputs(a) == (0, 0, 0, 0),
             scope="answer"),
    ))


def check_nand(NAND_gate: Callable) -> CheckResult:
    """``NAND(x1, x2)`` returns the integer 0 only for (1, 1), and 1 for the other three inputs."""
    return run_check(NAND, NAND_gate)


# --- weights for OR: the answer is two numbers and a bias -------------------------------------------

class _Total(NamedTuple):
    """The perceptron's weighted sum for one input, with the numbers it was made of."""

    total: float
    w1: float
    w2: float
    b: float


def _weighted_sum(answer, x1: int, x2: int) -> _Total:
    w, b = answer
    (w1, w2), bias = np.asarray(w, dtype=float), float(np.asarray(b, dtype=float))
    return _Total(w1 * x1 + w2 * x2 + bias, float(w1), float(w2), bias)


def _judge_form(got, case: Case) -> list[str]:
    """``got``: the answer ``(w, b)`` itself."""
    w, b = got
    try:
        w_arr, b_arr = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return [f"w should be two numbers and b one number, got w = {w!r} and b = {b!r}"]
    if w_arr.shape != (2,):
        return [f"w should hold 2 numbers (one weight per input), got shape {w_arr.shape}"]
    if b_arr.shape != ():
        return [f"b should be a single number, got shape {b_arr.shape}"]
    if not (np.all(np.isfinite(w_arr)) and np.isfinite(b_arr)):
        return [f"w and b should be ordinary numbers, got w = {w!r} and b = {b!r}"]
    return []


def _judge_or(got: _Total, case: Case) -> list[str]:
    """The perceptron outputs 1 when the total is above 0; show the sum when that is wrong."""
    (x1, x2), output = case.args, int(got.total > 0)
    if output == case.expected:
        return []
    sign = "+" if got.b >= 0 else "-"
    verdict = "which is > 0" if output else "which is not > 0"
    return [f"OR({x1}, {x2}) should be {case.expected}, got {output}: {got.w1:g}*{x1} + "
            f"{got.w2:g}*{x2} {sign} {abs(got.b):g} = {got.total + 0.0:.4g}, {verdict}"]


def _or_outputs(attempt: Attempt) -> tuple | None:
    outputs = tuple(int(a.got.total > 0) for a in attempt.attempts if isinstance(a.got, _Total))
    return outputs if len(outputs) == 4 else None


#: Exercise "Try it: find weights for OR": ``(w, b)`` with ``1 if w1*x1 + w2*x2 + b > 0 else 0`` = OR.
OR_WEIGHTS = Exercise(
    notebook="01", id="or_weights", title="find weights for OR", function="w_or, b_or",
    run=lambda answer, *args: _weighted_sum(answer, *args) if args else answer,
    cases=(Case(label="w, b", judge=_judge_form, blocking=True),)
    + tuple(Case((x1, x2), want, label=f"OR({x1}, {x2})", judge=_judge_or,
                 edge="a total of exactly 0 does not fire")
            for (x1, x2), want in zip(_INPUTS, _TABLES["OR"])),
    report="all",
    mistakes=(
        when("bias-above-zero", "with no input the total is just the bias: b must not be above 0",
             lambda a: a.args == (0, 0) and a.got.total > 0),
        when("total-exactly-zero", "a total of exactly 0 does not fire (the rule is total > 0): "
             "the bias must be above -w1 and -w2, not equal to them",
             lambda a: a.args in ((1, 0), (0, 1)) and a.got.total == 0),
        when("one-input-not-enough", "one input alone must be enough for OR: raise the bias until "
             "w1 + b > 0 and w2 + b > 0 (it must stay at or below 0)",
             lambda a: _or_outputs(a) == _TABLES["AND"], scope="answer"),
    ))


def check_or_weights(w, b) -> CheckResult:
    """Weights ``w = (w1, w2)`` and a bias ``b`` that make ``1 if w1*x1 + w2*x2 + b > 0 else 0`` an OR gate."""
    return run_check(OR_WEIGHTS, (w, b))


# --- XOR from gates ---------------------------------------------------------------------------------

def _table_hint(gate: str, why: str) -> Mistake:
    return when(f"{gate.lower()}-not-xor", f"that is {gate}'s truth table, not XOR's: {why}",
                _is_table(gate), scope="answer")


#: Exercise "Try it: compose XOR": ``XOR(x1, x2)`` built from NAND, OR and AND.
XOR = Exercise(
    notebook="01", id="xor", title="compose XOR", function="XOR", params=("x1", "x2"),
    cases=_gate_cases("XOR", _TABLES["XOR"]), report="all",
    mistakes=(
        _RETURNS_BOOL,
        _table_hint("OR", "(1, 1) must give 0; NAND is the gate that is 0 only there, so combine "
                          "NAND and OR with AND"),
        _table_hint("XNOR", "every output is flipped; the last gate should be AND, which keeps only "
                            "what NAND and OR both allow"),
        _table_hint("AND", "XOR is 1 when exactly one input is 1: combine NAND(x1, x2) and "
                           "OR(x1, x2) with AND"),
        _table_hint("NAND", "(0, 0) must give 0; OR is the gate that is 0 only there, so combine "
                            "NAND and OR with AND"),
        when("constant-output", "the output is the same for every input: the last gate must "
             "combine NAND(x1, x2) and OR(x1, x2) with AND",
             lambda a: _outputs(a) in ((0, 0, 0, 0), (1, 1, 1, 1)), scope="answer"),
    ))


def check_xor(XOR_gate: Callable) -> CheckResult:
    """``XOR(x1, x2)`` returns the integer 1 when exactly one input is 1, else 0."""
    return run_check(XOR, XOR_gate)


EXERCISES = (NAND, OR_WEIGHTS, XOR)
