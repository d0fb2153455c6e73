"""Checks for the exercises of notebook 08_training.ipynb."""
from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from ..data import load_mnist, split_validation
from ..experiments import judge_run
from ..networks import TwoLayerNet
from ..training import train
from .core import Attempt, Case, CheckResult, Exercise, compare, run_check, same, when


# --- Try it 1: the SGD update -------------------------------------------------------------------------

def _parameters(keys: tuple[str, ...], seed: int) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    shapes = {"W1": (3, 2), "b1": (2,), "W2": (2, 2), "b2": (2,), "W3": (2, 4), "b3": (4,)}
    params = {key: rng.standard_normal(shapes[key]) for key in keys}
    return params, {key: rng.standard_normal(p.shape) for key, p in params.items()}


def _update(sgd_update, params, grads, lr):
    """Call the learner's update; return the dict, the arrays it held before, and their old values."""
    held = dict(params)  # the arrays themselves, as a network's layers hold them
    before = {key: p.copy() for key, p in params.items()}
    sgd_update(params, grads, lr)
    return params, held, before


def _judge_update(got, case: Case) -> list[str]:
    params, held, before = got
    _, grads, lr = case.args
    rebound = [key for key in before if params.get(key) is not held[key]]
    if rebound:
        return [f"params[{rebound[0]!r}] = ... makes a new array, but the network's layers still "
                f"hold the old one"]
    unchanged = [key for key, old in before.items() if np.array_equal(held[key], old)]
    if len(unchanged) == len(before):
        return ["sgd_update did not change params"]
    problems = [f"params[{key!r}] did not change" for key in unchanged]
    for key, old in before.items():
        if key not in unchanged:
            found = compare(held[key], old - lr * grads[key], f"params[{key!r}] after the update")
            if found:  # the first wrong array is enough to see the mistake
                return problems + found
    return problems


def _every_array(step) -> callable:
    """Recognise an update that gave ``step(old, grad, lr)`` for every array it changed."""
    def recognise(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        _, held, before = attempt.got
        _, grads, lr = attempt.args
        changed = [key for key in before if not np.array_equal(held[key], before[key])]
        return bool(changed) and all(same(held[k], step(before[k], grads[k], lr)) for k in changed)
    return recognise


def _update_cases() -> tuple[Case, ...]:
    two, grads2 = _parameters(("W1", "b1", "W2", "b2"), seed=5)
    three, grads3 = _parameters(("W1", "b1", "W2", "b2", "W3", "b3"), seed=6)
    return (Case((two, grads2, 0.1), label="sgd_update(params, grads, 0.1)", judge=_judge_update),
            Case((three, grads3, 0.01), label="sgd_update(params, grads, 0.01)", judge=_judge_update,
                 edge="three layers and another learning rate"))


#: Try it 1 "the SGD update": ``sgd_update(params, grads, lr)`` changes every array of ``params``
#: in place to ``params[key] - lr * grads[key]`` (the network's layers hold those very arrays).
SGD_UPDATE = Exercise(
    notebook="08", id="sgd_update", title="the SGD update", function="sgd_update",
    params=("params", "grads", "lr"), cases=_update_cases(), run=_update, may_change_inputs=("params",),
    layout="joined",
    mistakes=(
        when("rebinds-arrays", "change each array in place with params[key] -= lr * grads[key]",
             lambda a: a.got is not None and any(a.got[0].get(k) is not a.got[1][k] for k in a.got[1])),
        when("no-update", "for every key, params[key] -= lr * grads[key]",
             lambda a: a.got is not None and all(np.array_equal(a.got[1][k], a.got[2][k])
                                                 for k in a.got[2])),
        when("skips-some-keys", "update every key, biases too",
             lambda a: a.got is not None and any(np.array_equal(a.got[1][k], a.got[2][k])
                                                 for k in a.got[2])),
        when("uphill", "that step goes uphill: subtract the gradient",
             _every_array(lambda old, grad, lr: old + lr * grad)),
        when("forgot-lr", "the step forgot the learning rate: lr * grads[key]",
             _every_array(lambda old, grad, lr: old - grad)),
        when("fixed-lr", "use the lr you are given, not a number of your own",
             _every_array(lambda old, grad, lr: old - 0.1 * grad)),
    ))


def check_sgd_update(sgd_update) -> CheckResult:
    """Try it 1 "the SGD update": ``sgd_update(params, grads, lr)`` changes ``params`` in place.

    Every array must become ``params[key] - lr * grads[key]``, in the same array object (the
    network's layers hold those very arrays), for every key.
    """
    return run_check(SGD_UPDATE, sgd_update)


# --- Try it 3: choose a learning rate -----------------------------------------------------------------

#: Try it 3: the validation accuracy to reach after 300 iterations of TwoLayerNet(784, 50, 10).
TRAINING_GOAL = 0.80
TRAINING_ITERATIONS = 300
_VALIDATION_IMAGES = 2000


@functools.lru_cache(maxsize=32)
def _training_run(lr: float):
    """A fresh ``TwoLayerNet(784, 50, 10, seed=0)`` trained for 300 iterations with ``lr`` on the
    first 10,000 training images (batch 100, seed 0), and its verdict on the first 2,000
    validation images (:func:`~mnist_lib.experiments.judge_run`)."""
    (x_train, t_train), (x_val, t_val) = split_validation(*load_mnist()[0])
    val = (x_val[:_VALIDATION_IMAGES], t_val[:_VALIDATION_IMAGES])
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, (x_train[:10_000], t_train[:10_000]), val_data=val, lr=lr,
                    iterations=TRAINING_ITERATIONS, eval_every=TRAINING_ITERATIONS // 6, seed=0)
    return judge_run(history, net, val[0])


def _judge_training_number(lr, case: Case) -> list[str]:
    if lr is None:
        return ["lr is None: replace it with a number, e.g. lr = 0.1"]
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        return [f"lr should be a number, got {type(lr).__name__} {lr!r}"]
    if not math.isfinite(lr) or lr <= 0:
        return [f"lr should be a finite number greater than 0, got {lr!r}"]
    return []


def _judge_training(lr, case: Case) -> list[str]:
    verdict = _training_run(float(lr))
    if verdict.verdict == "diverged":
        return [f"with lr = {lr:g}: {verdict.message}"]
    reached = verdict.val_acc >= TRAINING_GOAL
    if reached and verdict.verdict in ("trained", "crawled"):
        return []
    said = (f"with lr = {lr:g} the validation accuracy after {TRAINING_ITERATIONS} iterations is "
            f"{100 * verdict.val_acc:.1f}%")
    if reached:  # unstable: the goal is reached, but on a knife's edge
        return [f"{said}, but the run is {verdict.verdict}"]
    close = (f" (within a point of the goal: on another computer it may reach it, so choose a "
             f"learning rate well inside the range that trains)"
             if TRAINING_GOAL - verdict.val_acc < 0.01 else "")
    return [f"{said}, below the goal of {100 * TRAINING_GOAL:.0f}%{close}"]


def _training_verdict(word: str) -> callable:
    """Recognise a learning rate whose run gets the verdict ``word``; the hint quotes it."""
    def recognise(attempt: Attempt) -> dict | bool:
        if _judge_training_number(attempt.got, attempt.case):
            return False
        verdict = _training_run(float(attempt.got))
        return {"verdict": verdict.message} if verdict.verdict == word else False
    return recognise


#: Try it 3 "choose a learning rate": ``lr`` for a fresh TwoLayerNet(784, 50, 10) (the book's
#: initial weights) trained for 300 iterations on 10,000 images: it passes when the validation
#: accuracy (2,000 validation images) reaches 80% and the run is neither unstable, stalled nor
#: diverged. The feedback gives the run's verdict with its numbers (judge_run).
TRAINING_LR = Exercise(
    notebook="08", id="training_lr", title="choose a learning rate", function="lr",
    run=lambda lr: lr,
    cases=(Case(label="lr", judge=_judge_training_number, blocking=True),
           Case(label="300 iterations of TwoLayerNet(784, 50, 10)", judge=_judge_training,
                edge="just below the goal")),
    layout="lines",
    mistakes=(
        when("not-a-number", "a learning rate is a number greater than 0, such as 0.1",
             lambda a: bool(_judge_training_number(a.got, a.case))),
        when("crawls", "{verdict}", _training_verdict("crawled"),
             example={"verdict": "crawled: validation accuracy 27.1%, loss 2.30 → 2.30 in 300 "
                                 "iterations, 0 of 50 hidden units dead; the loss hardly moved "
                                 "(100% of its first value is left): the learning rate 0.001 is too "
                                 "small for this many iterations, try a larger one or more epochs"}),
        when("stalls", "{verdict}", _training_verdict("stalled"),
             example={"verdict": "stalled: it stopped learning: validation accuracy 10.2% (chance "
                                 "is 10%) with 49 of 50 hidden units dead, loss 2.30 → 2.31: the "
                                 "learning rate 2 is too large, try a smaller one"}),
        when("unstable", "{verdict}", _training_verdict("unstable"),
             example={"verdict": "unstable: it learns (...), but the loss jumped to 1.3 times its "
                                 "start: the learning rate is too large for comfort, a few times "
                                 "smaller trains more smoothly"}),
        when("diverges", "the steps are far too large: go down by a factor of ten or more",
             _training_verdict("diverged")),
    ))


def check_training_lr(lr) -> CheckResult:
    """Try it 3 "choose a learning rate": trains a ``TwoLayerNet(784, 50, 10)`` for 300 iterations with ``lr``.

    Passes when the network reaches 80% accuracy on 2,000 validation images (the first of the
    10,000 that :func:`~mnist_lib.data.split_validation` sets aside) and its verdict
    (:func:`~mnist_lib.experiments.judge_run`) is "trained" or "crawled", training on the first 10,000 training images (batch 100, seed 0); takes about a
    second. The test images are never used: a learning rate is a setting to choose, and settings
    are chosen on validation data.
    """
    return run_check(TRAINING_LR, lr)


# --- Try it 2: iterations per epoch -------------------------------------------------------------------

_EPOCHS = [((60000, 100), "batches that divide n"), ((60000, 64), "a last, smaller batch"),
           ((60000, 128), "a last, smaller batch"), ((10, 3), "a last batch of one"),
           ((50, 100), "a batch larger than the data"), ((1000, 1000), "one batch of everything")]


def _ceil(n: int, batch_size: int) -> int:
    return -(-n // batch_size)


def _all_wrong_are(value) -> callable:
    """Recognise, across the cases tried, an answer that gives ``value(n, batch_size)`` whenever it
    is wrong."""
    def recognise(attempt: Attempt) -> bool:
        wrong = [a for a in attempt.attempts if a.problems]
        return bool(wrong) and all(a.error is None and a.got == value(*a.args) for a in wrong)
    return recognise


#: Try it 2 "iterations per epoch": ``iterations_per_epoch(n, batch_size) = ceil(n / batch_size)``,
#: an int (the last, smaller batch is an iteration too, as ``mnist_lib.train`` counts it).
ITERATIONS_PER_EPOCH = Exercise(
    notebook="08", id="iterations_per_epoch", title="iterations per epoch",
    function="iterations_per_epoch", params=("n", "batch_size"),
    cases=tuple(Case(args, _ceil(*args), label=f"iterations_per_epoch{args}", edge=edge)
                for args, edge in _EPOCHS),
    report="all", layout="joined",
    mistakes=(
        when("rounds-to-nearest", "round(...) goes to the nearest whole number; the last, smaller "
             "batch needs rounding up, math.ceil(n / batch_size)",
             _all_wrong_are(lambda n, b: round(n / b)), scope="answer"),
        when("rounds-down", "the last, smaller batch counts too: round up (math.ceil), not down",
             _all_wrong_are(lambda n, b: n // b), scope="answer"),
        when("one-batch-too-many", "n // batch_size + 1 counts one batch too many when batch_size "
             "divides n: math.ceil(n / batch_size) is right in both cases",
             _all_wrong_are(lambda n, b: n // b + 1), scope="answer"),
        when("returns-float", "an iteration count is a whole number; math.ceil(...) returns an int",
             lambda a: any(isinstance(x.got, (float, np.floating)) for x in a.attempts),
             scope="answer"),
    ))


def check_iterations_per_epoch(iterations_per_epoch) -> CheckResult:
    """Try it 2 "iterations per epoch": ``iterations_per_epoch(n, batch_size)``, an int.

    One epoch shows every sample once; the last batch may be smaller, so it is ``ceil(n / batch_size)``
    (as ``mnist_lib.train`` counts it).
    """
    return run_check(ITERATIONS_PER_EPOCH, iterations_per_epoch)


EXERCISES = (SGD_UPDATE, ITERATIONS_PER_EPOCH, TRAINING_LR)
