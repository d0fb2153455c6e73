"""Checks for the exercises of notebook 04_three_layer_forward_pass.ipynb."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..functions import sigmoid, softmax
from ..networks import forward, init_network
from .core import CheckResult, _first_wrong_case, _fmt, _same, _shape_problems, compare, report


def _forward_slips(network: dict, x: np.ndarray) -> dict[str, np.ndarray]:
    """What the usual slips in the 3-layer forward pass give, keyed by a hint naming the slip."""
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    a1 = x @ W1 + b1
    a2 = sigmoid(a1) @ W2 + b2
    a3 = sigmoid(a2) @ W3 + b3
    return {
        "the sigmoid after layer 1 is missing (z1 = sigmoid(a1))": sigmoid(a1 @ W2 + b2) @ W3 + b3,
        "the sigmoid after layer 2 is missing (z2 = sigmoid(a2))": a2 @ W3 + b3,
        "this network's output layer is the identity: return a3 itself, not sigmoid(a3)":
            sigmoid(a3),
        "this network's output layer is the identity: return a3 itself, not softmax(a3)":
            softmax(a3),
        "the biases are missing (each layer computes z @ W + b)":
            sigmoid(sigmoid(x @ W1) @ W2) @ W3,
    }


def _small_network(sizes: tuple[int, int, int, int], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    net = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = np.round(rng.uniform(-1, 1, (n_in, n_out)), 1)
        net[f"b{i}"] = np.round(rng.uniform(-0.5, 0.5, n_out), 1)
    return net


def _forward_cases() -> list[tuple[str, dict, np.ndarray]]:
    """(description, network, x): the book's net on one input and on a batch; a 3-4-3-2 net."""
    return [("init_network()", init_network(), np.array([1.0, 0.5])),
            ("init_network()", init_network(), np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 0.0]])),
            ("a 3-4-3-2 network", _small_network((3, 4, 3, 2), seed=0), np.array([0.5, -1.0, 2.0]))]


def check_forward_by_hand(my_forward: Callable) -> CheckResult:
    """``my_forward(network, x)``: sigmoid, sigmoid, identity, for nets shaped like init_network's.

    Tried on init_network() with x = [1.0, 0.5] (the answer is [0.31682708, 0.69627909]), on a
    batch of three inputs, and on a 3-4-3-2 network with other weights.
    """
    problems = []
    for what, network, x in _forward_cases():
        call = f"my_forward({what}, x={_fmt(x)})"
        try:
            got = my_forward({k: v.copy() for k, v in network.items()}, x.copy())
        except Exception as err:  # the student's code
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            break
        found = compare(got, forward(network, x), name=call)
        if found:
            problems += found
            problems += [f"hint: {hint}" for hint, slip in _forward_slips(network, x).items()
                         if _same(got, slip)]
            break
    return report(problems)


#: Shapes in the 784-50-100-10 sample network for a batch of 100 images.
BATCH_SHAPES = {"X": (100, 784), "A1": (100, 50), "Z1": (100, 50), "A2": (100, 100),
                "Z2": (100, 100), "A3": (100, 10), "Y": (100, 10)}
_BATCH_WHY = {
    "X": "100 images, one row of 784 pixels each",
    "A1": "X (100, 784) @ W1 (784, 50), plus b1 (50,)",
    "Z1": "the sigmoid works elementwise and keeps the shape of A1",
    "A2": "Z1 (100, 50) @ W2 (50, 100), plus b2 (100,)",
    "Z2": "the sigmoid keeps the shape of A2",
    "A3": "Z2 (100, 100) @ W3 (100, 10), plus b3 (10,)",
    "Y": "softmax works row by row and keeps the shape: 10 probabilities per image",
}


def check_batch_shapes(shapes: dict) -> CheckResult:
    """Predicted shapes of every step of the 784-50-100-10 network on a batch of 100 images."""
    return report(_shape_problems(shapes, BATCH_SHAPES, _BATCH_WHY))


#: ``batch_accuracy(y, t)`` cases: network outputs (N, C) (probabilities or scores), labels (N,).
ACCURACY_CASES = [
    ((np.array([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.05, 0.05, 0.9], [0.3, 0.4, 0.3]]),
      np.array([1, 2, 2, 0])), 0.5),
    ((np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3], [0.55, 0.45]]),
      np.array([0, 1, 1, 0, 0])), 1.0),
    ((np.array([[2.0, -1.0, 0.5, 3.0], [0.0, 0.1, -0.2, 0.05], [-1.0, -2.0, -0.5, -3.0]]),
      np.array([3, 3, 0])), 1 / 3),
]


def check_batch_accuracy(batch_accuracy: Callable) -> CheckResult:
    """``batch_accuracy(y, t)``: the fraction of rows of ``y`` whose largest entry is at ``t``."""
    problems, got, args, _ = _first_wrong_case(batch_accuracy, "batch_accuracy", ("y", "t"),
                                               ACCURACY_CASES)
    if got is not None:
        y, t = args
        if _same(got, np.sum(np.argmax(y, axis=1) == t)):
            problems.append("hint: that is the number of correct predictions; divide it by the "
                            "number of images, len(t) (or use np.mean)")
        elif _same(got, np.mean(np.argmax(y) == t)) or _same(got, np.sum(np.argmax(y) == t)):
            problems.append("hint: np.argmax(y) without axis gives one number for the whole array; "
                            "np.argmax(y, axis=1) gives one predicted label per row")
    return report(problems)
