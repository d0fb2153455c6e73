"""Checks for the exercises of notebook 08_training.ipynb."""
from __future__ import annotations

import numpy as np

from ..data import load_mnist, split_validation
from ..networks import TwoLayerNet
from ..training import train
from .core import Attempt, Case, CheckResult, Exercise, compare, report, run_check, same, when


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


def check_training_lr(lr) -> CheckResult:
    """Exercise "choose a learning rate": trains a ``TwoLayerNet(784, 50, 10)`` for 300 iterations with ``lr``.

    Passes when the network reaches 80 % accuracy on 2,000 validation images (the first of the
    10,000 that :func:`~mnist_lib.data.split_validation` sets aside), training on the first 10,000
    training images (batch 100, seed 0); takes about a second. The test images are never used:
    a learning rate is a setting to choose, and settings are chosen on validation data.
    """

    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not np.isfinite(lr) or lr <= 0:
        return report([f"lr should be a positive number such as 0.05, got {lr!r}"])
    (x_train, t_train), (x_val, t_val) = split_validation(*load_mnist()[0])
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, (x_train[:10000], t_train[:10000]), lr=lr, iterations=300, seed=0,
                    eval_every=10**9)
    if history.diverged:
        return report([f"with lr = {lr:g} training diverged (the loss blew up): the steps are far "
                       f"too large, try a smaller learning rate"])
    acc = net.accuracy(x_val[:2000], t_val[:2000])
    if acc >= 0.8:
        return report([])
    size = "small, the network has hardly moved: try a larger" if lr < 0.5 else \
        "large, the steps overshoot: try a smaller"
    return report([f"with lr = {lr:g} the network reached only {acc:.2f} validation accuracy after "
                   f"300 iterations (the goal is 0.80): the learning rate is too {size} one"])


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


EXERCISES = (SGD_UPDATE, ITERATIONS_PER_EPOCH)
