"""The verdict of a training run (trained, crawled, unstable, stalled, diverged) with the numbers
behind it, the divergence rule ``train`` applies, and dead units (the words are in
:mod:`mnist_lib.experiments`)."""
from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from .. import validate

if TYPE_CHECKING:  # training imports the divergence rule from here: no import at the top
    from ..training import History

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
    from ..functions import relu, sigmoid

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
