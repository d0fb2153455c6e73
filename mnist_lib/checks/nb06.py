"""Checks for the exercises of notebook 06_numerical_gradients.ipynb."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..gradient import gradient_descent
from .core import CheckResult, _first_wrong_answer, _fmt, compare, report


def check_central_diff(fn: Callable) -> CheckResult:
    """Exercise: ``fn(f, x, h=1e-4)``, the central difference ``(f(x + h) - f(x - h)) / (2 * h)``.

    Expected values are exact derivatives: ``0.01x² + 0.1x`` has slope 0.2 at 5 and 0.3 at 10,
    ``sin`` has slope 1 at 0, and for ``x³`` at 2 with h = 0.1 the central difference is exactly
    ``3·2² + h² = 12.01`` (the forward difference would give 12.61).
    """
    def book_f(x):
        return 0.01 * x ** 2 + 0.1 * x

    def cube(x):
        return x ** 3

    def hints(f, x, h=1e-4):
        a, b, c = f(x + h), f(x - h), f(x)
        return [
            ("not finite", "the result should be a finite slope: is h 0, or so small that x + h == x? "
                           "Use h = 1e-4"),
            (0.0, "a slope of 0 here means x + h == x: h is too small to change x (try h = 1e-4)"),
            ((a - c) / h, "that is the forward difference (f(x + h) - f(x)) / h; the central "
                          "difference compares f(x + h) with f(x - h)"),
            ((a - b) / h, "divide by 2 * h, the distance between x - h and x + h"),
            ((a - b) / 2 * h, "write / (2 * h) with brackets: a / 2 * h means (a / 2) * h"),
            (a - b / (2 * h), "put brackets around the difference: (f(x + h) - f(x - h)) / (2 * h)"),
            ((f(x + 1e-4) - f(x - 1e-4)) / 2e-4, "your result ignores the h you were given: use the "
                                                  "argument h, do not set it inside the function"),
        ]

    def call(f, x, h=None):
        if h is None:
            return fn(f, x)
        try:
            return fn(f, x, h)
        except TypeError as err:
            if "positional argument" in str(err):
                raise TypeError(f"{err} (give your function a third parameter: "
                                f"def {getattr(fn, '__name__', 'central_diff')}(f, x, h=1e-4))") from None
            raise

    def hints_for(f, x, h=None):
        return hints(f, x) if h is None else hints(f, x, h)

    cases = [
        ((book_f, 5.0), 0.2, "(f, 5.0) for f(x) = 0.01x² + 0.1x"),
        ((book_f, 10.0), 0.3, "(f, 10.0) for f(x) = 0.01x² + 0.1x"),
        ((np.sin, 0.0), 1.0, "(np.sin, 0.0)"),
        ((cube, 2.0, 0.1), 12.01, "(f, 2.0, h=0.1) for f(x) = x³"),
    ]
    return report(_first_wrong_answer(call, cases, getattr(fn, "__name__", "your function"),
                                    hints_for, rtol=1e-6, scalar="the slope at x"))


def check_gradient(f: Callable, grad) -> CheckResult:
    """Exercise: ``f(x) = x[0]**2 + 3 * x[0] * x[1]`` and ``grad``, its gradient at (1, 2), i.e. (8, 3).

    ``f`` is checked on a few points first; then ``grad`` against the exact partial derivatives
    ``(2*x0 + 3*x1, 3*x0)``.
    """
    if not callable(f):
        return report([f"f should be a function of one array x, got {type(f).__name__}"])
    for point, expected in [((1.0, 2.0), 7.0), ((2.0, -1.0), -2.0), ((0.0, 5.0), 0.0)]:
        try:
            got = f(np.array(point))
        except TypeError as err:
            return report([f"f(np.array({list(point)})) raised TypeError: {err}. f takes ONE "
                           "argument, an array x; use x[0] and x[1] inside it"])
        except Exception as err:  # the student's code: report, do not crash
            return report([f"f(np.array({list(point)})) raised {type(err).__name__}: {err}"])
        problems = compare(got, expected, name=f"f(np.array({list(point)}))")
        if problems:
            return report([f"{problems[0]}; f should compute x[0]**2 + 3 * x[0] * x[1]"])
    if grad is None:
        return report(["grad is None: compute it with numerical_gradient(f, np.array([1.0, 2.0]))"])
    if np.ndim(grad) == 0:
        return report([f"grad should hold two numbers, one partial derivative per variable; got "
                       f"the single number {_fmt(grad)} (that is f's value, not its gradient?)"])
    problems = compare(grad, [8.0, 3.0], name="grad", rtol=1e-4)
    if problems and np.shape(grad) == (2,):
        g = np.asarray(grad, dtype=float)
        if np.allclose(g, [3.0, 8.0], rtol=1e-4):
            problems[0] += ": the two partial derivatives are swapped; grad[0] is ∂f/∂x0"
        elif np.allclose(g, [-8.0, -3.0], rtol=1e-4):
            problems[0] += ": the signs are flipped; that is the direction of steepest descent, -grad"
        elif np.allclose(g, [7.0, 6.0], rtol=1e-4):
            problems[0] += ": that is the gradient at (2, 1); evaluate at x = np.array([1.0, 2.0])"
    return report(problems)


def check_descent_lr(lr) -> CheckResult:
    """Exercise: an ``lr`` that brings gradient descent on ``x0² + x1²`` from (-3, 4) to (0, 0) in 20 steps.

    Within 0.01 of (0, 0) counts. Each step multiplies the point by ``1 - 2*lr``, so any lr between
    about 0.14 and 0.86 works; the feedback says whether the steps are too small, overshoot, or
    blow up.
    """

    if lr is None:
        return report(["lr is None: set it to a number, e.g. lr = 0.3"])
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        return report([f"lr should be a number, got {type(lr).__name__} {lr!r}"])
    if lr <= 0:
        return report([f"lr = {lr} is not positive: with lr <= 0 each step goes uphill or stays "
                       "put; gradient descent needs lr > 0"])
    steps = 20
    _, path = gradient_descent(lambda x: x[0] ** 2 + x[1] ** 2, np.array([-3.0, 4.0]), lr=lr,
                               step_num=steps)
    with np.errstate(over="ignore", invalid="ignore"):
        dist = np.sqrt(np.sum(path ** 2, axis=1))
    if dist[-1] < 0.01:
        return report([])
    where = (f"after {steps} steps with lr = {lr:g} the point is at distance {_fmt(dist[-1])} "
             f"from the minimum (0, 0)")
    if not np.isfinite(dist[-1]) or dist[-1] > dist[0] + 1e-9:
        return report([f"{where}, farther than where it started (5): each step overshoots the "
                       "minimum by more than it gains, so the points grow. Use a smaller lr"])
    if np.isclose(dist[-1], dist[0]):
        if np.allclose(path[1], -path[0]):
            return report([f"{where}: it jumps back and forth between (-3, 4) and (3, -4) forever. "
                           "Use a smaller lr"])
        return report([f"{where}: it has hardly moved. The steps are far too small; use a larger lr"])
    if np.sign(path[1, 0]) != np.sign(path[0, 0]):
        return report([f"{where}: it zig-zags across the minimum, overshooting at every step. "
                       "Use a slightly smaller lr"])
    return report([f"{where}: it is heading the right way but too slowly. Use a larger lr"])
