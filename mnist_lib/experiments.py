"""Learning-rate experiments and the words for what they show: the one home of every verdict.

Two kinds of experiment, each with its own five words, each printed with the numbers behind it:

**Gradient descent on a quadratic** ``f(x) = a1 x1² + a2 x2² + ...`` (notebooks 06 and 09, the
gradient-descent lab): one step multiplies each coordinate by its *contraction factor*
``r = 1 - 2·lr·a``, so the path's fate is known exactly from the factors (:func:`descent_verdict`):

- "diverged": some ``|r| > 1``: that coordinate flips and grows at every step;
- "oscillates forever": some ``|r| = 1`` (``r = -1``): it jumps between two points for ever;
- "crawled": every ``|r| < 1``, but the slowest coordinate's factor is positive and so close to 1
  that more than 1% of the way is left after the given steps;
- "converged with a zig-zag": every ``|r| < 1`` and some ``r < 0``: that coordinate flips sign at
  every step while it shrinks;
- "converged": every ``0 <= r < 1``.

A factor within 2% of ±1 is "near the edge". For a function that is not a known quadratic the
verdict is judged from the path itself (:func:`path_verdict`), and says so.

**Training a network** (notebooks 08 and 09, the learning-rate lab, :func:`~mnist_lib.train`): a
run is judged by :func:`judge_run`, in this order:

- "diverged": the loss blew up (inf, NaN, or its typical recent value above three times the first,
  and above 7.5: :func:`blow_up`, the rule ``train`` applies); ``train`` stopped the run and
  restored the weights;
- "stalled": it stopped learning: the validation accuracy is near chance (below 30%; chance is
  10%) **and** most hidden units are dead (at least half: :func:`dead_units`);
- "unstable": it learns, but the loss jumps about: at some point the loss (averaged over 300
  images) rose above 1.2 times its first value, or the validation accuracy, once above 50%, fell
  back by 3 points or more from its best, or the jumps killed most hidden units (at least half
  dead, with the accuracy still above 30%);
- "crawled": the learning rate is too small for the run's length: the loss was still falling
  steadily when the run ended (its last quarter brought 7% or more of its whole fall), or it
  hardly moved (the last quarter's loss is above 90% of the first);
- "trained": none of these: the loss fell and levelled off.

Every measurement is compared with its threshold; one within a small margin of it could land on
the other side on another computer (BLAS kernels sum in different orders), so a verdict that such
a change would flip is reported as "near the edge", with the measurement that is close.

Also here: the lab's experiment (:func:`run_lr_experiment`), the learning-rate range test
(:func:`lr_range_test`, Smith's "LR range test", fast.ai's ``lr_find``), and the functions of the
gradient-descent lab (:data:`bowl`, :data:`valley`, :func:`gradient_descent_path`).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from . import validate
from .data import load_mnist, split_validation
from .gradient import gradient_descent
from .networks import MultiLayerNet
from .optimizer import SGD, AdaGrad, Adam, Momentum, RMSprop

if TYPE_CHECKING:  # training imports this module's divergence rule: no import at the top
    from .training import History

__all__ = [
    "PATH_VERDICTS", "RUN_VERDICTS", "Quadratic", "bowl", "valley", "steep_bowl", "FUNCTIONS",
    "PathVerdict", "gradient_descent_path", "descent_verdict", "path_verdict",
    "DIVERGENCE_FACTOR", "DIVERGENCE_FLOOR", "DIVERGENCE_WINDOW", "blow_up", "divergence_message",
    "dead_units", "hidden_units", "RunVerdict", "judge_run",
    "LabSettings", "LabRun", "MnistData", "OPTIMIZERS", "OPTIMIZER_NAMES",
    "run_lr_experiment", "RangeTest",
    "lr_range_test",
]

# =============================================================================================
# Gradient descent on a quadratic
# =============================================================================================

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


# =============================================================================================
# Training runs
# =============================================================================================

#: The words for a training run, from the best to the worst.
RUN_VERDICTS = ("trained", "crawled", "unstable", "stalled", "diverged")

# --- diverged: the rule that train applies ---------------------------------------------------
#: A typical recent loss this many times the first one is a blow-up...
DIVERGENCE_FACTOR = 3.0
#: ...measured from at least this (a guess among 10 classes costs ln 10 = 2.3), so a trained
#: network's small batch losses, which swing by far more than 3x, are not a blow-up.
DIVERGENCE_FLOOR = 2.5
#: "Typical recent loss": the lower median of the last 9 batch losses, so that a few unlucky
#: batches (likely with batch_size=1) are noise.
DIVERGENCE_WINDOW = 9


def blow_up(loss: Sequence[float]) -> str | None:
    """Why the losses so far (one per iteration, the first first) have blown up, or None.

    A blow-up: the last loss is inf or NaN, or the lower median of the last 9 losses is above
    ``3 × max(first loss, 2.5)`` (so above 7.5 at least).
    """
    first, recent = loss[0], list(loss[-DIVERGENCE_WINDOW:])
    typical = sorted(recent)[(len(recent) - 1) // 2]  # the lower median: half the losses are above
    if not math.isfinite(recent[-1]):
        return f"the loss became {recent[-1]}"
    if typical > DIVERGENCE_FACTOR * max(first, DIVERGENCE_FLOOR):
        return (f"the loss grew from {first:.2f} to {typical:.3g} (the median of the last "
                f"{len(recent)} batches; more than {DIVERGENCE_FACTOR:g} × "
                f"{max(first, DIVERGENCE_FLOOR):.2f})")
    return None


def divergence_message(iteration: int, why: str, lr: float) -> str:
    """``train``'s sentence for a run stopped by :func:`blow_up` at ``iteration``."""
    return (f"diverged at iteration {iteration}: {why}, so the learning rate {lr:g} is too large "
            f"for this network; the network's weights were restored to what they were before "
            f"this call")


# --- dead units ------------------------------------------------------------------------------

def _hidden_outputs(network, x: np.ndarray):
    """Each hidden layer's outputs ``(N, units)`` for the images ``x``, in order."""
    from .functions import relu, sigmoid

    act = {"relu": relu, "sigmoid": sigmoid}[getattr(network, "activation", "relu")]
    n_layers = len(network.params) // 2
    h = x
    for i in range(1, n_layers):
        h = act(h @ network.params[f"W{i}"] + network.params[f"b{i}"])
        yield h


def hidden_units(network) -> int:
    """How many hidden units a ``TwoLayerNet`` or ``MultiLayerNet`` has (all hidden layers)."""
    return sum(network.params[f"b{i}"].size for i in range(1, len(network.params) // 2))


def dead_units(network, x: np.ndarray) -> int:
    """How many hidden units are dead on the images ``x`` (the validation images, ``(N, 784)``).

    A unit is dead when its output is the same for every image: it tells no digit from another. A
    ReLU unit is dead when it never fires (its input ``z = x W + b`` is at most 0 for every image:
    it outputs 0 everywhere and passes back no gradient, so no step can revive it); a sigmoid unit
    when it is saturated for every image (an output of exactly 0 or 1 in float32, whose slope is 0).
    Counted over every hidden layer.
    """
    validate.network_input(x, network.input_size, batch=True)
    return sum(int(np.sum(np.all(h == h[:1], axis=0))) for h in _hidden_outputs(network, x))


# --- the verdict of a run --------------------------------------------------------------------

#: Chance: one of ten digits.
CHANCE = 0.1
#: "stalled": the validation accuracy is below this ("near chance")...
STALL_ACCURACY = 0.3
#: ...and at least this fraction of the hidden units is dead ("most").
STALL_DEAD = 0.5
#: "unstable": the loss, averaged over this many images (at least 3 iterations)...
OVERSHOOT_IMAGES = 300
#: ...rose above this many times the first loss...
OVERSHOOT = 1.2
#: ...or the validation accuracy fell back from its best by this much...
ACCURACY_DROP = 0.03
#: ...once its best was at least this (while a network still guesses, its accuracy jitters).
LEARNED = 0.5
#: "crawled": the last quarter of the run brought at least this fraction of the loss's whole fall...
LATE_FALL = 0.07
#: ...or the last quarter's mean loss is above this fraction of the first loss (it hardly moved).
HARDLY_MOVED = 0.9

#: How close to its threshold a measurement is "near the edge": an absolute distance (accuracy
#: and fractions), or a factor (ratios).
MARGINS = {"accuracy": 0.05, "dead": 0.1, "overshoot": 1.08, "drop": 0.01, "late fall": 1.25,
           "moved": 0.05}


@dataclass(frozen=True)
class _Test:
    """One measurement against its threshold: ``value``, whether it is on the verdict's side
    (``holds``), and whether it is within its margin of the threshold (``near``)."""

    name: str
    value: float
    threshold: float
    holds: bool
    near: bool
    moved: float = 0.0  # how far the accuracy moved during the run (its margin, when larger)


def _above(name: str, value: float, threshold: float, margin: float, factor: bool = False) -> _Test:
    if factor:
        near = threshold / margin <= value <= threshold * margin
    else:
        near = abs(value - threshold) <= margin
    return _Test(name, value, threshold, value >= threshold, near)


def _accuracy_test(val: list[float]) -> _Test:
    """Is the last validation accuracy below :data:`STALL_ACCURACY`? Its margin is
    ``MARGINS["accuracy"]``, or how far the accuracy still moved after the first evaluation when
    that is more: a run that jumps about ends wherever its last jump took it."""
    if not val:
        return _Test("validation accuracy", math.nan, STALL_ACCURACY, False, False)
    moved = max(val[1:]) - min(val[1:]) if len(val) > 1 else 0.0
    margin = max(MARGINS["accuracy"], moved)
    return _Test("validation accuracy", val[-1], STALL_ACCURACY, val[-1] < STALL_ACCURACY,
                 abs(val[-1] - STALL_ACCURACY) <= margin, moved if moved > MARGINS["accuracy"] else 0.0)


def _decide(holds: dict[str, bool]) -> str:
    """The verdict from which tests hold (the order of the module's docstring)."""
    if holds["accuracy"] and holds["dead"]:
        return "stalled"
    if holds["overshoot"] or holds["drop"] or holds["dead"]:
        return "unstable"
    if holds["late fall"] or holds["moved"]:
        return "crawled"
    return "trained"


@dataclass(frozen=True)
class RunVerdict:
    """How a training run went (:func:`judge_run`), and the numbers behind it.

    ``verdict``: one of :data:`RUN_VERDICTS`; ``lr``; ``iterations``; ``val_acc``: the last
    validation accuracy (None without validation data or after a blow-up); ``loss_first``: the
    first batch's loss; ``loss_last``: the mean loss over the last quarter of the run;
    ``dead_units`` of ``hidden_units`` (None when not measured); ``measurements``: every signal
    behind the verdict, by name; ``near_edge``: the other verdicts that a measurement within its
    margin of a threshold could give (empty when the verdict is clear); ``message``: the verdict
    with its numbers, in a sentence (also ``str(verdict)``); ``short``: a few words for a table.
    """

    verdict: str
    lr: float
    iterations: int
    val_acc: float | None
    loss_first: float
    loss_last: float
    dead_units: int | None = None
    hidden_units: int | None = None
    measurements: dict[str, float] = field(default_factory=dict)
    near_edge: tuple[str, ...] = ()
    message: str = ""

    def __str__(self) -> str:
        return self.message

    @property
    def short(self) -> str:
        """A few words for a table: "trained 92.4%", "stalled 9.7%, 47/50 dead",
        "diverged at 3", with "(edge)" when near the edge."""
        if self.verdict == "diverged":
            text = f"diverged at {self.iterations}"
        else:
            text = f"{self.verdict} {100 * self.val_acc:.1f}%" if self.val_acc is not None else self.verdict
            if self.verdict in ("stalled", "unstable") and self.dead_units is not None:
                text += f", {self.dead_units}/{self.hidden_units} dead"
        return text + (" (edge)" if self.near_edge else "")


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def judge_run(history: History, network=None, x_val: np.ndarray | None = None, *,
              dead: tuple[int, int] | None = None) -> RunVerdict:
    """The verdict of a training run (see the module's docstring for the rules), with its numbers.

    Args:
        history: what :func:`~mnist_lib.train` returned; its ``val_acc`` should be measured a few
            times during the run (``train(..., val_data=..., eval_every=...)``).
        network, x_val: the trained network and the validation images ``(N, 784)``, to count the
            dead units (:func:`dead_units`); without them no run is judged "stalled".
        dead: ``(dead units, hidden units)``, when already counted (instead of ``network`` and
            ``x_val``).
    """
    loss = np.asarray(history.loss, dtype=np.float64)
    n = len(loss)
    val = list(history.val_acc)
    dead, units = dead if dead is not None else (None, None)
    if network is not None:
        units = hidden_units(network)
        if x_val is not None and not history.diverged:
            dead = dead_units(network, x_val)
    if history.diverged:
        first = float(loss[0])
        return RunVerdict("diverged", history.lr, n, None, first, float(loss[-1]), None, units, {},
                          (), history.reason or f"diverged at iteration {history.diverged_at}")
    first = float(loss[0])
    quarter = max(1, n // 4)
    last = float(np.mean(loss[-quarter:]))
    before_last = float(np.mean(loss[-2 * quarter:-quarter])) if n >= 2 * quarter else last
    fall = first - last
    window = max(3, math.ceil(OVERSHOOT_IMAGES / history.batch_size))
    overshoot = float(_moving_average(loss, window).max()) / first
    accuracy = val[-1] if val else None
    best = np.maximum.accumulate(val) if val else np.zeros(0)
    learned = best >= LEARNED
    drop = float(np.max(best[learned] - np.asarray(val)[learned])) if learned.any() else 0.0
    late = (before_last - last) / fall if fall > 0 else 0.0
    tests = {
        "accuracy": _accuracy_test(val),
        "dead": _above("dead fraction", dead / units, STALL_DEAD, MARGINS["dead"])
        if dead is not None and units else _Test("dead fraction", math.nan, STALL_DEAD, False, False),
        "overshoot": _above("overshoot", overshoot, OVERSHOOT, MARGINS["overshoot"], factor=True),
        "drop": _above("accuracy drop", drop, ACCURACY_DROP, MARGINS["drop"]),
        "late fall": _above("late fall", late, LATE_FALL, MARGINS["late fall"], factor=True),
        "moved": _above("loss left", last / first, HARDLY_MOVED, MARGINS["moved"]),
    }
    holds = {key: t.holds for key, t in tests.items()}
    verdict = _decide(holds)
    near = [key for key, t in tests.items() if t.near and not math.isnan(t.value)]
    others = set()
    for flips in itertools.product([False, True], repeat=len(near)):
        changed = dict(holds, **{key: holds[key] != flip for key, flip in zip(near, flips)})
        others.add(_decide(changed))
    others.discard(verdict)
    measurements = {"validation accuracy": accuracy, "dead units": dead, "hidden units": units,
                    "overshoot": overshoot, "accuracy drop": drop, "late fall": late,
                    "loss left": last / first}
    result = RunVerdict(verdict, history.lr, n, accuracy, first, last, dead, units, measurements,
                        tuple(v for v in RUN_VERDICTS if v in others))
    return replace(result, message=_run_message(result, tests, near))


def _run_message(v: RunVerdict, tests: dict[str, _Test], near: list[str]) -> str:
    """The verdict in a sentence, with the numbers behind it and what to try next."""
    acc = (f"validation accuracy {100 * v.val_acc:.1f}%" if v.val_acc is not None
           else "no validation accuracy")
    dead = (f", {v.dead_units} of {v.hidden_units} hidden units dead" if v.dead_units is not None
            else "")
    numbers = f"{acc}, loss {v.loss_first:.2f} → {v.loss_last:.2f} in {v.iterations} iterations{dead}"
    m = v.measurements
    if v.verdict == "stalled":
        why = (f"it stopped learning: {acc} (chance is {100 * CHANCE:.0f}%) with {v.dead_units} of "
               f"{v.hidden_units} hidden units dead, loss {v.loss_first:.2f} → {v.loss_last:.2f}: "
               f"the learning rate {v.lr:g} is too large, try a smaller one")
    elif v.verdict == "unstable":
        jumps = []
        if tests["overshoot"].holds:
            jumps.append(f"the loss jumped to {m['overshoot']:.2f} times its start")
        if tests["drop"].holds:
            jumps.append(f"the validation accuracy fell back {100 * m['accuracy drop']:.1f} points "
                         f"from its best")
        if tests["dead"].holds:
            jumps.append(f"its steps killed {v.dead_units} of its {v.hidden_units} hidden units")
        why = (f"it learns ({numbers}), but {' and '.join(jumps)}: the learning rate {v.lr:g} is "
               f"too large for comfort, a few times smaller trains more smoothly")
    elif v.verdict == "crawled":
        still = (f"the loss hardly moved ({100 * m['loss left']:.0f}% of its first value is left)"
                 if tests["moved"].holds else
                 f"the loss was still falling when the run ended (its last quarter brought "
                 f"{100 * m['late fall']:.0f}% of its fall)")
        why = (f"{numbers}; {still}: the learning rate {v.lr:g} is too small for this many "
               f"iterations, try a larger one or more epochs")
    else:
        why = f"{numbers}"
    text = f"{v.verdict}: {why}"
    if v.near_edge:
        close = "; ".join(f"{tests[key].name} {_shown(tests[key])}" for key in near)
        text += f" (near the edge: {close}; another computer may say {' or '.join(v.near_edge)})"
    return text


def _shown(test: _Test) -> str:
    """A measurement and its threshold, for the "near the edge" note."""
    if test.moved:
        return (f"{100 * test.value:.1f}% (it moved by {100 * test.moved:.0f} points during the "
                f"run) against a threshold of {100 * test.threshold:.0f}%")
    if test.name in ("validation accuracy", "accuracy drop", "dead fraction", "loss left"):
        return f"{100 * test.value:.1f}% against a threshold of {100 * test.threshold:.0f}%"
    return f"{test.value:.3g} against a threshold of {test.threshold:g}"


# =============================================================================================
# The learning-rate lab's experiment
# =============================================================================================

#: ``((x_train, t_train), (x_test, t_test))`` as returned by :func:`mnist_lib.load_mnist`.
MnistData = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: The fewest training images a run may use: ten of each digit on average.
MIN_TRAIN_SIZE = 100

_INIT_NAMES = {0.01: "0.01", "xavier": "Xavier", "he": "He"}

#: The lab's optimisers (notebook 11), by the name :func:`run_lr_experiment` takes: plain SGD
#: (``train``'s own loop, as in notebooks 08 and 09), and the classes of
#: :mod:`mnist_lib.optimizer` with their other settings at the book's defaults (momentum 0.9;
#: RMSprop's decay 0.99; Adam's beta1 0.9 and beta2 0.999).
OPTIMIZERS: dict[str, type] = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad,
                               "rmsprop": RMSprop, "adam": Adam}
#: How the lab writes each optimiser's name.
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad",
                   "rmsprop": "RMSprop", "adam": "Adam"}


@dataclass(frozen=True)
class LabSettings:
    """The settings of one run of the learning-rate lab (the keyword arguments of
    :func:`run_lr_experiment`)."""

    lr: float
    batch_size: int = 100
    hidden_size: int = 50
    epochs: int = 3
    activation: str = "relu"
    weight_init_std: float | str = "he"
    train_size: int = 10_000
    seed: int = 0
    optimizer: str = "sgd"

    @property
    def iterations(self) -> int:
        """``epochs × ceil(train_size / batch_size)``."""
        return self.epochs * math.ceil(self.train_size / self.batch_size)

    def describe(self) -> str:
        """A short label, e.g. "lr 0.1, batch 100, 50 ReLU (He), 3 ep" ("Adam lr 0.001, ..." for
        another optimiser than plain SGD)."""
        act = "ReLU" if self.activation == "relu" else self.activation
        init = _INIT_NAMES.get(self.weight_init_std, f"{self.weight_init_std:g}"
                               if isinstance(self.weight_init_std, float) else self.weight_init_std)
        size = "" if self.train_size == 10_000 else f", {self.train_size} images"
        rule = "" if self.optimizer == "sgd" else f"{OPTIMIZER_NAMES[self.optimizer]} "
        return (f"{rule}lr {self.lr:.3g}, batch {self.batch_size}, {self.hidden_size} {act} "
                f"({init}), {self.epochs} ep{size}")


@dataclass(eq=False)
class LabRun:
    """One run of the learning-rate lab: its ``settings``, ``history`` (loss per iteration,
    validation accuracy), the trained ``network`` and its ``verdict`` (:func:`judge_run`, dead
    units counted on the validation images)."""

    settings: LabSettings
    history: History
    network: MultiLayerNet = field(repr=False)
    verdict: RunVerdict


def run_lr_experiment(lr: float, *, batch_size: int = 100, hidden_size: int = 50,
                      epochs: int = 3, activation: str = "relu",
                      weight_init_std: float | str = "he", train_size: int = 10_000,
                      seed: int = 0, optimizer: str = "sgd", data: MnistData | None = None,
                      evaluations: int = 6,
                      callback: Callable[[History], None] | None = None) -> LabRun:
    """Train a ``784-hidden-10`` network on MNIST with learning rate ``lr``; return the run and its verdict.

    The last 10,000 training images are set aside as a validation set
    (:func:`~mnist_lib.data.split_validation`); the network trains on the first ``train_size`` of
    the other 50,000, and its accuracy and dead units are measured on the validation images. The
    test images are not used: they are for the one final report, once the settings are chosen.

    Args:
        lr: the learning rate, a number > 0 (of plain mini-batch SGD, or of ``optimizer``).
        batch_size: images per update.
        hidden_size: neurons in the hidden layer.
        epochs: passes over the training images (``epochs * ceil(train_size / batch_size)``
            iterations in all).
        activation: "relu" or "sigmoid".
        weight_init_std: the initial weights' scale: the book's 0.01, "xavier" (``sqrt(1 /
            fan_in)``) or "he" (``sqrt(2 / fan_in)``), as :class:`~mnist_lib.MultiLayerNet` takes it.
        train_size: train on the first ``train_size`` of the 50,000 training images (at least
            100); the default 10,000 keeps a run to a second or two.
        seed: seeds the initial weights and the order of the batches (same seed, same run).
        optimizer: how the weights are updated (notebook 11): "sgd" (plain SGD, the default),
            "momentum" (0.9), "adagrad", "rmsprop" or "adam", each with its learning rate ``lr``
            (:data:`OPTIMIZERS`). Each has its own band of good learning rates: Adam's is about
            a hundred times below SGD's.
        data: ``((x_train (N, 784), t_train (N,)), (x_test (M, 784), t_test (M,)))``;
            None loads MNIST (~0.1 s once cached).
        evaluations: about how many times the validation accuracy is measured during the run.
        callback: called as ``callback(history)`` after every iteration (for live plots).

    Returns:
        A :class:`LabRun`: ``settings``, ``history`` (``loss`` per iteration, ``val_acc`` at
        ``eval_iterations``; a run that blows up stops early with ``diverged``), ``network`` and
        ``verdict``.
    """
    from .training import train  # here: training imports this module (the divergence rule)

    *settings, evaluations = validate.lab_settings(lr, batch_size, hidden_size, epochs, activation,
                                                   weight_init_std, train_size, seed, optimizer,
                                                   evaluations, OPTIMIZERS)
    (x_all, t_all), _ = data if data is not None else load_mnist()
    (x_train, t_train), (x_val, t_val) = split_validation(x_all, t_all)
    validate.train_size(train_size, len(x_train), MIN_TRAIN_SIZE)
    settings = LabSettings(*settings)
    network = MultiLayerNet(x_train.shape[1], [settings.hidden_size], 10,
                            activation=settings.activation,
                            weight_init_std=settings.weight_init_std, seed=settings.seed)
    # plain SGD is train's own loop (notebooks 08 and 09); any other optimiser holds the lr
    sgd = settings.optimizer == "sgd"
    history = train(network, (x_train[:train_size], t_train[:train_size]), val_data=(x_val, t_val),
                    lr=settings.lr if sgd else None,
                    optimizer=None if sgd else OPTIMIZERS[settings.optimizer](lr=settings.lr),
                    batch_size=settings.batch_size, epochs=settings.epochs,
                    eval_every=math.ceil(settings.iterations / evaluations), seed=settings.seed,
                    callback=callback)
    return LabRun(settings, history, network, judge_run(history, network, x_val))


# =============================================================================================
# The learning-rate range test
# =============================================================================================

@dataclass(frozen=True)
class RangeTest:
    """The result of :func:`lr_range_test`: ``lrs`` ``(K,)``, the learning rate of each iteration
    (growing exponentially); ``losses`` ``(K,)``, each batch's loss before its step; ``smoothed``
    ``(K,)``, their exponential moving average; ``stopped_early``: the smoothed loss blew up
    (passed ``stop_factor`` times its lowest value, or became inf/NaN) before the last learning
    rate; ``lowest``: the learning rate where the smoothed loss is lowest; ``steepest``: where it
    falls fastest (before ``lowest``)."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stopped_early: bool
    lowest: float
    steepest: float


def lr_range_test(network, train_data: tuple[np.ndarray, np.ndarray], *, start: float = 1e-3,
                  stop: float = 100.0, iterations: int = 200, batch_size: int = 100,
                  smoothing: float = 0.95, stop_factor: float = 4.0, seed: int = 0) -> RangeTest:
    """Find the useful learning rates in one short run: the learning-rate range test.

    One run of plain SGD whose learning rate grows exponentially from ``start`` to ``stop`` over
    ``iterations`` mini-batches, recording each batch's loss: where the (smoothed) loss starts to
    fall, the learning rate is large enough to learn; where it is lowest, and then shoots up, it
    is at and past the edge. Leslie Smith's "LR range test" ("Cyclical Learning Rates for Training
    Neural Networks", 2017) raises the rate linearly over a few epochs; fast.ai's ``lr_find``
    raises it exponentially (by default from 1e-7 to 10 in 100 iterations), smooths the loss with
    an exponential moving average and stops once it passes 4 times its lowest value, as this
    function does. A usual choice is a learning rate about ten times smaller than the one at the
    lowest loss.

    Args:
        network: a ``TwoLayerNet`` or ``MultiLayerNet``; its weights are restored afterwards (the
            test costs the network nothing).
        train_data: ``(x (N, 784), t (N,))``; batches are drawn in a seeded shuffled order.
        start, stop: the first and last learning rates, 0 < start < stop.
        iterations: how many mini-batches (at least 10).
        batch_size: images per mini-batch.
        smoothing: the moving average's weight of the past (0 <= smoothing < 1; bias-corrected).
        stop_factor: stop when the smoothed loss passes this many times its lowest value.
        seed: seeds the order of the batches.
    """
    x, t = validate.training_data(network, train_data, None, None)
    validate.range_test(start, stop, iterations, batch_size, smoothing, stop_factor)
    lrs = start * (stop / start) ** (np.arange(iterations) / (iterations - 1))
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(x))
                            for _ in range(math.ceil(iterations * batch_size / len(x)))])
    before = {key: p.copy() for key, p in network.params.items()}
    losses, smoothed, average, best = [], [], 0.0, math.inf
    try:
        with np.errstate(all="ignore"):  # a blow-up is the expected end of the test
            for k, lr in enumerate(lrs):
                batch = order[k * batch_size:(k + 1) * batch_size]
                losses.append(network._loss(x[batch], t[batch]))
                average = smoothing * average + (1 - smoothing) * losses[-1]
                smoothed.append(average / (1 - smoothing ** (k + 1)))  # bias-corrected
                best = min(best, smoothed[-1])
                if not math.isfinite(smoothed[-1]) or smoothed[-1] > stop_factor * best:
                    break
                steps = network._backward(scale=lr)
                for key, p in network.params.items():
                    p -= steps[key]
    finally:
        for key, p in network.params.items():
            np.copyto(p, before[key])
    smoothed = np.array(smoothed)
    k = len(smoothed)
    finite = np.where(np.isfinite(smoothed), smoothed, np.inf)
    low = int(np.argmin(finite))
    slope = np.diff(finite[:low + 1]) if low > 0 else np.zeros(1)
    steep = int(np.argmin(slope)) if low > 0 else 0
    return RangeTest(lrs[:k], np.array(losses), smoothed, k < iterations, float(lrs[low]),
                     float(lrs[steep]))
