"""The exercises of notebook 06_numerical_gradients.ipynb: the central difference, a gradient with
``numerical_gradient``, and a learning rate for gradient descent."""
from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from ..experiments import PathVerdict, bowl, descent_verdict
from .core import Attempt, Case, CheckResult, Exercise, compare, gives, raises, run_check, show, when


# --- Try it 1: the central difference -----------------------------------------------------------------

def _book_f(x):
    return 0.01 * x ** 2 + 0.1 * x


def _cube(x):
    return x ** 3


def _central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def _with_h(slip: Callable) -> Callable:
    """``slip(f, x, h)`` for a case's arguments ``(f, x)`` or ``(f, x, h)``, h defaulting to 1e-4."""
    return lambda f, x, h=1e-4: slip(f, x, h)


def _slope(attempt: Attempt) -> float | None:
    if attempt.error is not None or attempt.got is None or np.ndim(attempt.got) != 0:
        return None
    try:
        return float(attempt.got)
    except (TypeError, ValueError):
        return None


# Expected values are exact derivatives: 0.01x² + 0.1x has slope 0.2 at 5 and 0.3 at 10, sin has
# slope 1 at 0, and for x³ at 2 with h = 0.1 the central difference is exactly 3·2² + h² = 12.01
# (the forward difference would give 12.61).
_CENTRAL_CASES = (
    Case((_book_f, 5.0), 0.2, label="central_diff(f, 5.0) for f(x) = 0.01x² + 0.1x"),
    Case((_book_f, 10.0), 0.3, label="central_diff(f, 10.0) for f(x) = 0.01x² + 0.1x"),
    Case((np.sin, 0.0), 1.0, label="central_diff(np.sin, 0.0)", edge="x = 0"),
    Case((_cube, 2.0, 0.1), 12.01, label="central_diff(f, 2.0, h=0.1) for f(x) = x³",
         edge="the caller's own h"),
)

#: Try it 1: ``central_diff(f, x, h=1e-4) = (f(x + h) - f(x - h)) / (2 * h)``.
CENTRAL_DIFF = Exercise(
    notebook="06", id="central_diff", title="central difference by hand", function="central_diff",
    params=("f", "x", "h"), cases=_CENTRAL_CASES, rtol=1e-6, layout="joined",
    mistakes=(
        raises("no-h-parameter", "give your function a third parameter: def central_diff(f, x, "
               "h=1e-4)", TypeError, "positional argument"),
        when("h-too-small", "a slope of 0 here means x + h == x: h is too small to change x (try "
             "h = 1e-4)", lambda a: _slope(a) == 0.0),
        gives("forward-difference", "that is the forward difference (f(x + h) - f(x)) / h; the "
              "central difference compares f(x + h) with f(x - h)",
              _with_h(lambda f, x, h: (f(x + h) - f(x)) / h)),
        gives("divides-by-h", "divide by 2 * h, the distance between x - h and x + h",
              _with_h(lambda f, x, h: (f(x + h) - f(x - h)) / h)),
        gives("times-h", "write / (2 * h) with brackets: a / 2 * h means (a / 2) * h",
              _with_h(lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h)),
        gives("difference-without-brackets", "put brackets around the difference: (f(x + h) - "
              "f(x - h)) / (2 * h)", _with_h(lambda f, x, h: f(x + h) - f(x - h) / (2 * h))),
        gives("ignores-h", "your result ignores the h you were given: use the argument h, do not "
              "set it inside the function", _with_h(lambda f, x, h: _central(f, x))),
    ))


def check_central_diff(central_diff: Callable) -> CheckResult:
    """``central_diff(f, x, h=1e-4)``, the central difference ``(f(x + h) - f(x - h)) / (2 * h)``.

    Expected values are exact derivatives: ``0.01x² + 0.1x`` has slope 0.2 at 5 and 0.3 at 10,
    ``sin`` has slope 1 at 0, and for ``x³`` at 2 with h = 0.1 the central difference is exactly
    ``3·2² + h² = 12.01`` (the forward difference would give 12.61).
    """
    return run_check(CENTRAL_DIFF, central_diff)


# --- Try it 2: a gradient with numerical_gradient -----------------------------------------------------

_F_NOTE = "f should compute x[0]**2 + 3 * x[0] * x[1]"


def _judge_f(got, case: Case) -> list[str]:
    return [] if callable(got) else [f"f should be a function of one array x, got {type(got).__name__}"]


def _judge_grad(got, case: Case) -> list[str]:
    if got is None:
        return ["grad is None: compute it with numerical_gradient(f, np.array([1.0, 2.0]))"]
    if np.ndim(got) == 0:
        return [f"grad should hold two numbers, one partial derivative per variable; got the "
                f"single number {show(got)}"]
    return compare(got, case.expected, name="grad", rtol=1e-4)


def _grad_is(*values) -> Callable[[Attempt], bool]:
    return lambda a: np.shape(a.got) == (2,) and np.allclose(np.asarray(a.got, dtype=float),
                                                             values, rtol=1e-4)


# f(x) = x0² + 3 x0 x1: f(1, 2) = 7, f(2, -1) = -2, f(0, 5) = 0; its gradient (2 x0 + 3 x1, 3 x0)
# is (8, 3) at (1, 2).
GRADIENT = Exercise(
    notebook="06", id="gradient", title="a gradient with `numerical_gradient`", function="f, grad",
    run=lambda answer, *point: answer[0](np.array(point)),
    cases=(Case(label="f", judge=_judge_f, run=lambda answer: answer[0]),)
    + tuple(Case(point, value, label=f"f(np.array({list(point)}))", note=_F_NOTE)
            for point, value in [((1.0, 2.0), 7.0), ((2.0, -1.0), -2.0), ((0.0, 5.0), 0.0)])
    + (Case(label="grad", expected=[8.0, 3.0], judge=_judge_grad,
            run=lambda answer: answer[1]),),
    layout="joined",
    mistakes=(
        raises("two-arguments", "f takes ONE argument, an array x; use x[0] and x[1] inside it",
               TypeError, "positional argument"),
        when("value-not-gradient", "that is f's value at (1, 2), not its gradient: "
             "numerical_gradient(f, x) gives the slopes",
             lambda a: a.case.label == "grad" and np.ndim(a.got) == 0 and float(a.got) == 7.0),
        when("swapped", "the two partial derivatives are swapped; grad[0] is ∂f/∂x0",
             _grad_is(3.0, 8.0)),
        when("signs-flipped", "the signs are flipped; that is the direction of steepest descent, "
             "-grad", _grad_is(-8.0, -3.0)),
        when("wrong-point", "that is the gradient at (2, 1); evaluate at x = np.array([1.0, 2.0])",
             _grad_is(7.0, 6.0)),
    ))


def check_gradient(f: Callable, grad) -> CheckResult:
    """``f(x) = x[0]**2 + 3 * x[0] * x[1]`` and ``grad``, its gradient at (1, 2), that is (8, 3).

    ``f`` is checked on a few points first; then ``grad`` against the exact partial derivatives
    ``(2*x0 + 3*x1, 3*x0)``.
    """
    return run_check(GRADIENT, (f, grad))


# --- Try it 3: choose a learning rate -----------------------------------------------------------------

_STEPS = 20
_START = np.array([-3.0, 4.0])  # distance 5 from the minimum


def _judge_lr(lr, case: Case) -> list[str]:
    if lr is None:
        return ["lr is None: set it to a number, e.g. lr = 0.3"]
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        return [f"lr should be a number, got {type(lr).__name__} {lr!r}"]
    if not lr > 0:
        return [f"lr = {lr} is not positive"]
    return []


def _judge_descent(lr, case: Case) -> list[str]:
    dist = float(np.linalg.norm(_START)) * _verdict(lr).left
    if dist < 0.01:
        return []
    return [f"after {_STEPS} steps with lr = {lr:g} the point is at distance {show(dist)} from "
            f"the minimum (0, 0)"]


def _verdict(lr) -> PathVerdict:
    """The exact verdict of the 20 steps (mnist_lib.experiments: from the factor 1 - 2 lr)."""
    return descent_verdict(bowl, float(lr), _STEPS, _START)


def _verdict_is(*words: str, left_above: float = 0.0) -> Callable[[Attempt], bool]:
    """Recognise a learning rate whose path gets one of the verdicts ``words`` (with more than
    ``left_above`` of the way left)."""
    def recognise(a: Attempt) -> bool:
        if isinstance(a.got, bool) or not isinstance(a.got, numbers.Real) or not a.got > 0:
            return False
        v = _verdict(a.got)
        return v.verdict in words and v.left > left_above
    return recognise


#: Try it 3: a learning rate that brings gradient descent on x0² + x1² from (-3, 4) to within 0.01
#: of (0, 0) in 20 steps: |1 - 2 lr|^20 * 5 < 0.01, that is lr between about 0.134 and 0.866.
DESCENT_LR = Exercise(
    notebook="06", id="descent_lr", title="choose a learning rate", function="lr",
    run=lambda lr: lr,
    cases=(Case(label="lr", judge=_judge_lr, blocking=True),
           Case(label="20 steps of gradient descent", judge=_judge_descent,
                edge="just past either end of the range that works")),
    layout="joined",
    mistakes=(
        when("not-positive", "with lr <= 0 each step goes uphill or stays put; gradient descent "
             "needs lr > 0", lambda a: isinstance(a.got, numbers.Real) and not a.got > 0),
        when("diverges", "that is farther than where it started (5): each step overshoots the "
             "minimum by more than it gains, so the points grow (it diverged). Use a smaller lr",
             _verdict_is("diverged")),
        when("oscillates", "it jumps back and forth between (-3, 4) and (3, -4) forever (it "
             "oscillates forever). Use a smaller lr", _verdict_is("oscillates forever")),
        when("hardly-moves", "it has hardly moved (it crawled). The steps are far too small; use a "
             "larger lr", _verdict_is("crawled", left_above=0.99)),
        when("zig-zags", "it zig-zags across the minimum, overshooting at every step (it "
             "converges with a zig-zag, but too slowly). Use a slightly smaller lr",
             _verdict_is("converged with a zig-zag")),
        when("too-slow", "it is heading the right way but too slowly. Use a larger lr",
             _verdict_is("crawled", "converged")),
    ))


def check_descent_lr(lr) -> CheckResult:
    """An ``lr`` that brings gradient descent on ``x0² + x1²`` from (-3, 4) to (0, 0) in 20 steps.

    Within 0.01 of (0, 0) counts. Each step multiplies the point by ``1 - 2*lr``, so any lr between
    about 0.14 and 0.86 works; the feedback says whether the steps are too small, overshoot, or
    blow up.
    """
    return run_check(DESCENT_LR, lr)


EXERCISES = (CENTRAL_DIFF, GRADIENT, DESCENT_LR)
