"""Gradient descent on a quadratic: the path and its verdict, exact from the contraction factors
(notebooks 06 and 09, the gradient-descent lab; the words are in :mod:`mnist_lib.experiments`)."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .. import validate
from ..gradient import gradient_descent

#: The words for a descent path, from the best to the worst.
PATH_VERDICTS = ("converged", "converged with a zig-zag", "crawled", "oscillates forever", "diverged")

#: "Converged" means: less than this fraction of the start's distance to the minimum is left.
CONVERGED_WITHIN = 0.01
#: A factor whose size is 1 up to this (floating-point rounding) is exactly ±1: oscillates forever.
EXACT = 1e-9
#: A factor whose size is within this of 1 (but not exactly 1) is "near the edge".
EDGE_MARGIN = 0.02


@dataclass(frozen=True)
class Quadratic:
    """The bowl ``f(x) = a1 x1² + a2 x2² + ...`` with curvatures ``a`` (all > 0), minimum 0 at 0.

    Call it like a function: a point ``(d,)`` gives a number, a grid ``(d, ...)`` of points gives
    ``(...)``. Its gradient is ``2 a x``, so a step of gradient descent with learning rate ``lr``
    multiplies each coordinate by its contraction factor ``1 - 2 lr a`` (:meth:`factors`).
    """

    curvatures: tuple[float, ...]
    name: str = ""

    def __call__(self, x: np.ndarray) -> float | np.ndarray:
        return sum(a * x[i] ** 2 for i, a in enumerate(self.curvatures))

    def factors(self, lr: float) -> np.ndarray:
        """What one step multiplies each coordinate by: ``1 - 2 lr a``, shape ``(d,)``."""
        return 1 - 2 * lr * np.asarray(self.curvatures, dtype=np.float64)

    def edge(self) -> float:
        """The learning rate at which the path stops converging: ``1 / max(a)`` (the steepest
        direction's factor reaches -1 there)."""
        return 1 / max(self.curvatures)

    def formula(self) -> str:
        """The function as text, e.g. "x²/20 + y²"."""
        names = ["x", "y", "z"] if len(self.curvatures) <= 3 else [f"x{i}" for i in range(len(self.curvatures))]
        terms = []
        for name, a in zip(names, self.curvatures):
            if a == 1:
                terms.append(f"{name}²")
            elif a < 1 and math.isclose(1 / a, round(1 / a)):
                terms.append(f"{name}²/{round(1 / a)}")
            else:
                terms.append(f"{a:g}{name}²")
        return " + ".join(terms)


#: The round bowl ``x² + y²`` and the long narrow valley ``x²/20 + y²`` (20 times steeper across
#: than along) of notebook 09 and the gradient-descent lab, and a steep bowl ``5x² + 5y²``.
bowl = Quadratic((1.0, 1.0), "round bowl")
valley = Quadratic((1 / 20, 1.0), "long narrow valley")
steep_bowl = Quadratic((5.0, 5.0), "steep bowl")

#: The functions of the gradient-descent lab, by name.
FUNCTIONS: dict[str, Quadratic] = {bowl.name: bowl, valley.name: valley}


@dataclass(frozen=True)
class PathVerdict:
    """How a gradient-descent path went, and why.

    ``verdict``: one of :data:`PATH_VERDICTS`; ``exact``: decided from the contraction factors
    (True) or judged from the path's points (False); ``steps``; ``factors``: the factor of each
    coordinate that moves (exact verdicts only); ``left``: the fraction of the start's distance to
    the minimum still left at the end (inf after an overflow); ``near_edge``: a factor is within
    2% of ±1; ``message``: the verdict with its numbers, in a sentence (also ``str(verdict)``);
    ``short``: the verdict and its deciding number, for a title or a legend.
    """

    verdict: str
    exact: bool
    steps: int
    left: float
    factors: tuple[float, ...] = ()
    near_edge: bool = False
    message: str = ""
    short: str = ""

    def __str__(self) -> str:
        return self.message


def gradient_descent_path(f: Callable[[np.ndarray], float], start: Sequence[float] | np.ndarray,
                          lr: float, steps: int) -> np.ndarray:
    """Every point gradient descent visits on ``f``: shape ``(steps + 1, d)``, the start first.

    Uses :func:`mnist_lib.gradient_descent` (numerical gradients, as in notebook 06). A path that
    blows up holds huge numbers, then inf or nan, without warnings.
    """
    _, path = gradient_descent(f, np.array(start, dtype=np.float64), lr=lr, step_num=steps)
    return path


def _percent(fraction: float) -> str:
    """A fraction as a short percentage: "74%", "3.5%", "0.12%", "2e-08%"."""
    p = 100 * fraction
    return f"{p:.2g}%" if p < 10 else f"{p:.0f}%"


def _factor(r: float) -> str:
    """A contraction factor with the digits that matter: -0.8, 0.905, 0.9998, 0.9999999998."""
    distance = abs(abs(r) - 1)  # to ±1: show its first two digits
    digits = 3 if distance >= 0.01 or distance == 0 else min(12, 2 - math.floor(math.log10(distance)))
    return f"{r:.{digits}g}"


def descent_verdict(f: Callable[[np.ndarray], float], lr: float, steps: int,
                    start: Sequence[float] | np.ndarray) -> PathVerdict:
    """The verdict of ``steps`` steps of gradient descent from ``start`` with learning rate ``lr``.

    For a :class:`Quadratic` it is exact, from the contraction factors ``r = 1 - 2·lr·a`` of the
    coordinates that start away from the minimum (see the module's docstring); for any other ``f``
    it is judged from the path (:func:`path_verdict`).
    """
    lr = validate.positive_number(lr, "lr")
    steps = validate.positive_int(steps, "steps")
    start = np.array(start, dtype=np.float64).ravel()
    if not isinstance(f, Quadratic):
        return path_verdict(gradient_descent_path(f, start, lr, steps))
    validate.point(start, len(f.curvatures), "start")
    moving = start != 0
    factors = f.factors(lr)[moving]
    names = np.array(["x", "y", "z"][:len(start)] if len(start) <= 3
                     else [f"x{i}" for i in range(len(start))])[moving]
    if not moving.any():
        return PathVerdict("converged", True, steps, 0.0, (), False,
                           "converged: the path starts at the minimum (exact)", "converged (at the start)")
    size = np.abs(factors)
    with np.errstate(over="ignore", under="ignore"):
        end = start[moving] * factors ** steps
        left = float(np.linalg.norm(end) / np.linalg.norm(start[moving]))
    # near the edge: a factor close to -1 (just converging, or just diverging); a factor close
    # to +1 (a tiny learning rate) is no edge, it only crawls
    near = bool(np.any((factors < 0) & (np.abs(size - 1) <= EDGE_MARGIN + EXACT)
                       & (np.abs(size - 1) > EXACT)))
    k = int(np.argmax(size))  # the slowest coordinate (the fastest to grow, when one grows)
    said = (f"{names[k]}'s factor 1 - 2·{lr:.12g}·{f.curvatures[int(np.flatnonzero(moving)[k])]:g} = "
            f"{_factor(factors[k])}")
    zig = np.flatnonzero(factors < 0)
    if size[k] > 1 + EXACT:
        verdict = "diverged"
        text = f"{said}, beyond -1: {names[k]} flips sign and grows at every step"
        short = f"{names[k]}'s factor {_factor(factors[k])} is beyond -1"
    elif size[k] >= 1 - EXACT and factors[k] < 0:
        verdict = "oscillates forever"
        text = f"{said}: {names[k]} jumps between {start[moving][k]:g} and {-start[moving][k]:g} for ever"
        short = f"{names[k]}'s factor is -1"
    elif factors[k] > 0 and left > CONVERGED_WITHIN:
        verdict = "crawled"
        text = (f"{said} is so close to 1 that {_percent(left)} of the way is left after {steps} "
                f"steps: more steps or a larger learning rate")
        short = f"{names[k]}'s factor {_factor(factors[k])}, {_percent(left)} of the way left"
    else:
        verdict = "converged with a zig-zag" if len(zig) else "converged"
        flips = (f"{names[zig[0]]} flips sign at every step (factor {_factor(factors[zig[0]])}) while "
                 f"it shrinks; " if len(zig) else "")
        text = f"{flips}{_percent(left)} of the way is left after {steps} steps"
        j = zig[0] if len(zig) else k
        short = f"{names[j]}'s factor {_factor(factors[j])}, {_percent(left)} of the way left"
    edge = " (near the edge: a factor is within 2% of ±1)" if near else ""
    return PathVerdict(verdict, True, steps, left, tuple(float(r) for r in factors), near,
                       f"{verdict}: {text}{edge} (exact, from the factors)",
                       f"{verdict}: {short}{', near the edge' if near else ''}")


def path_verdict(path: np.ndarray, minimum: Sequence[float] | np.ndarray | None = None) -> PathVerdict:
    """The verdict of a gradient-descent path judged from its points alone (no analysis).

    ``path``: the points visited, ``(steps + 1,)`` or ``(steps + 1, d)``, the start first;
    ``minimum``: where the minimum is (default: the origin). In this order: "diverged" when the
    last point is not finite or farther from the minimum than the start (by more than 1%);
    "converged" (or "converged with a zig-zag", when some step reversed the one before it) when
    less than 1% of the way is left; "oscillates forever" when the distance stayed the same (within
    1%) while the path moved; otherwise "crawled", or "converged with a zig-zag" if it zig-zags.
    """
    path = np.asarray(path, dtype=np.float64)
    path = path.reshape(len(path), -1)
    centre = np.zeros(path.shape[1]) if minimum is None else np.asarray(minimum, dtype=np.float64)
    steps = len(path) - 1
    with np.errstate(over="ignore", invalid="ignore"):
        start = float(np.linalg.norm(path[0] - centre))
        end = float(np.linalg.norm(path[-1] - centre)) if np.all(np.isfinite(path[-1])) else math.inf
        moves = np.diff(path, axis=0)
        turns = bool(np.any(np.sum(moves[1:] * moves[:-1], axis=1) < 0))
        moved = bool(np.any(np.abs(moves) > 0))
    left = 0.0 if start == 0 else end / start
    how = f"{_percent(left)} of the start's distance left after {steps} steps" if math.isfinite(left) \
        else "the steps grew until the numbers overflowed"
    if start == 0:
        verdict, how = "converged", "the path starts at the minimum"
    elif not math.isfinite(end) or left > 1 + CONVERGED_WITHIN:
        verdict = "diverged"
    elif left <= CONVERGED_WITHIN:
        verdict = "converged with a zig-zag" if turns else "converged"
    elif abs(left - 1) <= CONVERGED_WITHIN and moved and turns:
        verdict = "oscillates forever"
    else:
        verdict = "converged with a zig-zag" if turns else "crawled"
    return PathVerdict(verdict, False, steps, left, (), False,
                       f"{verdict}: {how} (judged from the path)",
                       f"{verdict} (judged from the path)")
