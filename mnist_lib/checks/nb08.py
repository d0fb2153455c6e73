"""Checks for the exercises of notebook 08_training.ipynb."""
from __future__ import annotations

import numpy as np

from ..data import load_mnist, split_validation
from ..networks import TwoLayerNet
from ..training import train
from .core import CheckResult, _first_match, compare, report


def check_sgd_update(sgd_update) -> CheckResult:
    """Exercise "write the SGD update": ``sgd_update(params, grads, lr)`` changes ``params`` in place.

    Every array must become ``params[key] - lr * grads[key]``, in the same array object (the
    network's layers hold those very arrays), for every key.
    """
    rng = np.random.default_rng(5)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(2),
              "W2": rng.standard_normal((2, 2)), "b2": rng.standard_normal(2)}
    grads = {key: rng.standard_normal(p.shape) for key, p in params.items()}
    lr = 0.1
    held = dict(params)  # the arrays themselves, as a network's layers hold them
    before = {key: p.copy() for key, p in params.items()}
    try:
        sgd_update(params, {key: g.copy() for key, g in grads.items()}, lr)
    except Exception as err:  # the student's code: report, do not crash
        return report([f"sgd_update(params, grads, lr) raised {type(err).__name__}: {err}"])
    rebound = [key for key in before if params[key] is not held[key]]
    if rebound:
        return report([f"params[{rebound[0]!r}] = ... makes a new array, but the network's layers "
                       f"still hold the old one: change each array in place with "
                       f"params[key] -= lr * grads[key]"])
    unchanged = [key for key, old in before.items() if np.array_equal(held[key], old)]
    if len(unchanged) == len(before):
        return report(["sgd_update did not change params: for every key, params[key] -= lr * grads[key]"])
    problems = [f"params[{key!r}] did not change: update every key, biases too" for key in unchanged]
    for key, old in before.items():
        if key in unchanged:
            continue
        found = compare(held[key], old - lr * grads[key], f"params[{key!r}] after the update")
        if found:
            found += _first_match(held[key], [
                (old + lr * grads[key], "that step goes uphill: subtract the gradient"),
                (old - grads[key], "the step forgot the learning rate: lr * grads[key]"),
            ])
            return report(problems + found)  # the first wrong array is enough to see the mistake
    return report(problems)


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


def check_iterations_per_epoch(iterations_per_epoch) -> CheckResult:
    """Exercise "an epoch's iteration count": ``iterations_per_epoch(n, batch_size)``, an int.

    One epoch shows every sample once; the last batch may be smaller, so it is ``ceil(n / batch_size)``
    (as ``mnist_lib.train`` counts it).
    """
    cases = [((60000, 100), 600), ((60000, 64), 938), ((60000, 128), 469), ((10, 3), 4),
             ((50, 100), 1), ((1000, 1000), 1)]
    problems, rounded_down = [], False
    for (n, batch_size), expected in cases:
        call = f"iterations_per_epoch({n}, {batch_size})"
        try:
            got = iterations_per_epoch(n, batch_size)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        if got is None:
            return report([f"{call} returned None: did you forget to return a value?"])
        if isinstance(got, (float, np.floating)):
            return report([f"{call} returned {got!r}, a float: an iteration count is a whole "
                           f"number; math.ceil(...) returns an int"])
        problems += compare(got, expected, call)
        rounded_down = rounded_down or (got == expected - 1 and n % batch_size != 0)
    if rounded_down:
        problems.append("the last, smaller batch counts too: round up (math.ceil), not down")
    return report(problems)
