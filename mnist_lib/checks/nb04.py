"""Checks for the exercises of notebook 04_three_layer_forward_pass.ipynb."""
from __future__ import annotations

from collections.abc import Callable
from itertools import product

import numpy as np

from ..functions import identity_function, relu, sigmoid, softmax
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


# --- the 5-8-7-5-4-4-2 practice network ---------------------------------------------------------

_PRACTICE_WEIGHTS = {
    "W1": [[0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.3, 0.6],
           [0.2, 0.4, 0.6, 0.1, 0.3, 0.5, 0.2, 0.4],
           [-0.24, 0.46, 0.76, -0.31, 0.33, 0.54, 0.52, 0.44],
           [0.32, -0.44, 0.86, 0.16, -0.33, -0.51, 0.72, 0.84],
           [0.72, 0.43, -0.62, 0.18, 0.32, -0.52, 0.12, -0.41]],
    "W2": [[0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.3],
           [0.4, 0.2, 0.1, 0.5, 0.3, 0.6, 0.3],
           [0.2, 0.5, 0.4, 0.5, 0.1, 0.1, 0.3],
           [0.5, 0.3, 0.2, 0.5, 0.4, 0.4, 0.1],
           [0.3, 0.6, 0.5, 0.5, 0.2, 0.2, 0.4],
           [0.6, 0.3, 0.3, 0.5, 0.5, 0.5, 0.2],
           [0.3, 0.4, 0.6, 0.5, 0.3, 0.3, 0.5],
           [0.1, 0.4, 0.3, 0.5, 0.3, 0.6, 0.3]],
    "W3": [[0.1, 0.3, 0.2, 0.4, 0.1],
           [0.3, 0.3, 0.3, 0.4, 0.9],
           [0.2, 0.3, 0.2, 0.4, 0.3],
           [0.4, 0.2, 0.2, 0.4, 0.2],
           [0.1, 0.4, 0.4, 0.3, 0.4],
           [0.9, 0.1, 0.2, 0.2, 0.9],
           [0.1, 0.3, 0.2, 0.4, 0.3]],
    "W4": [[0.1, 0.3, 0.2, 0.4],
           [0.3, 0.3, 0.3, 0.4],
           [0.2, 0.3, 0.2, 0.4],
           [0.4, 0.2, 0.2, 0.4],
           [0.1, 0.4, 0.4, 0.3]],
    "W5": [[0.1, 0.3, 0.5, 0.2],
           [0.46, 0.76, -0.31, 0.33],
           [0.2, -0.62, 0.18, 0.32],
           [0.4, 0.43, -0.62, 0.4]],
    "W6": [[0.1, 0.3],
           [0.76, -0.31],
           [0.18, 0.32],
           [-0.62, 0.4]],
    "b1": [0.1, 0.2, 0.3, 0.3, -0.3, 0.3, 0.2, 0.2],
    "b2": [0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.1],
    "b3": [0.1, 0.1, 0.2, 0.2, 0.3],
    "b4": [0.1, 0.1, 0.2, 0.2],
    "b5": [0.1, 0.1, 0.2, 0.2],
    "b6": [0.1, 0.1],
}

#: The practice network's input: 5 numbers.
PRACTICE_X = np.array([1.0, 0.5, 0.4, 0.9, -1.3])
PRACTICE_X.setflags(write=False)

#: The activation of each hidden layer of the practice network, layers 1 to 5.
PRACTICE_HIDDEN = ("sigmoid", "sigmoid", "sigmoid", "relu", "relu")

_ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "softmax": softmax, "none": identity_function}
# (in this order: when two slips give the same numbers, the hint names the more likely one)
_SAID = {"sigmoid": "the sigmoid", "relu": "ReLU", "softmax": "softmax", "none": "no activation"}


def practice_network() -> dict[str, np.ndarray]:
    """The 5-8-7-5-4-4-2 practice network (given weights, not trained): ``W1`` (5, 8) ... ``W6`` (4, 2).

    Hidden layers 1-3 use the sigmoid, 4-5 ReLU (:data:`PRACTICE_HIDDEN`); the output layer is the
    identity or softmax. Each call returns fresh arrays, so changing them changes nothing else.
    """
    return {key: np.array(value) for key, value in _PRACTICE_WEIGHTS.items()}


def _deep_forward(network: dict, x: np.ndarray, hidden, output: Callable,
                  skip_bias: tuple[int, ...] = ()) -> np.ndarray:
    """Hidden layers 1..len(hidden) with the named activations, then ``output``; the layers in
    ``skip_bias`` add no bias (to reproduce that slip)."""
    z = x
    for i, name in enumerate(hidden, start=1):
        a = z @ network[f"W{i}"] + (0 if i in skip_bias else network[f"b{i}"])
        z = _ACTIVATIONS[name](a)
    last = len(hidden) + 1
    return output(z @ network[f"W{last}"] + (0 if last in skip_bias else network[f"b{last}"]))


def _output_slips(output: Callable) -> dict[str, Callable]:
    """Wrong output layers, keyed by the hint that names the slip (``output`` is the one asked for)."""
    asked = "softmax" if output is softmax else "identity_function"
    other, other_name = ((identity_function, "the identity") if output is softmax
                         else (softmax, "softmax"))
    return {
        "": output,
        f"the output layer applies the sigmoid; it should apply only output (here {asked})":
            sigmoid,
        f"the output layer applies the sigmoid as well as output (here {asked}); give it only "
        f"output": lambda a: output(sigmoid(a)),
        f"the output layer applies output (here {asked}) and then the sigmoid; give it only "
        f"output": lambda a: sigmoid(output(a)),
        f"the output layer applies ReLU; it should apply only output (here {asked})": relu,
        f"the output layer applies {other_name}, but output is {asked} here: end with "
        f"return output(...)": other,
    }


def _hidden_slips() -> list[tuple[str, ...]]:
    """Hidden activations a learner might use: the right ones with one or two layers changed,
    and the right ones in another order."""
    right = PRACTICE_HIDDEN
    found = [hidden for hidden in product(_ACTIVATIONS, repeat=len(right))
             if sum(h != r for h, r in zip(hidden, right)) <= 2 or sorted(hidden) == sorted(right)]
    return sorted(found, key=lambda hidden: sum(h != r for h, r in zip(hidden, right)))  # stable


def _practice_slip(network: dict, x: np.ndarray, output: Callable, got) -> list[str]:
    """Hints naming the slip whose result equals ``got``: hidden activations, output, biases."""
    right = PRACTICE_HIDDEN
    for hidden in _hidden_slips():
        scores = _deep_forward(network, x, hidden, identity_function)
        for out_hint, out in _output_slips(output).items():
            if not _same(got, out(scores)):
                continue
            wrong = [i for i, (h, r) in enumerate(zip(hidden, right), start=1) if h != r]
            if len(wrong) > 1 and sorted(hidden) == sorted(right):
                hints = ["the hidden activations are in the wrong order: layers 1-3 apply the "
                         "sigmoid, then layers 4-5 ReLU"]
            else:
                hints = [f"layer {i} should apply {_SAID[right[i - 1]]} (yours: "
                         f"{_SAID[hidden[i - 1]]})" + ("; softmax belongs to the output layer only"
                                                       if hidden[i - 1] == "softmax" else "")
                         for i in wrong]
            return [f"hint: {hint}" for hint in hints + ([out_hint] if out_hint else [])]
    n_layers = len(right) + 1
    if _same(got, _deep_forward(network, x, right, output, skip_bias=tuple(range(1, n_layers + 1)))):
        return ["hint: the biases are missing: every layer computes z @ W + b"]
    for i in range(1, n_layers + 1):
        if _same(got, _deep_forward(network, x, right, output, skip_bias=(i,))):
            return [f"hint: layer {i} does not add its bias b{i}"]
    return []


def _practice_cases() -> list[tuple[str, dict, np.ndarray, Callable]]:
    """(description, network, x, output): the given network and input with each output layer, a
    batch, and other weights of the same shapes."""
    network = practice_network()
    x = np.array(PRACTICE_X)
    batch = np.array([x, [0.0, 0.0, 0.0, 0.0, 0.0], [-1.0, 2.0, 0.5, -0.5, 1.0]])
    rng = np.random.default_rng(4)
    other = {key: np.round(rng.uniform(-1.0, 1.0, value.shape), 2) for key, value in network.items()}
    return [("practice_network(), PRACTICE_X, identity_function", network, x, identity_function),
            ("practice_network(), PRACTICE_X, softmax", network, x, softmax),
            ("practice_network(), a batch of 3 inputs, softmax", network, batch, softmax),
            ("other weights of the same shapes, a batch of 3 inputs, identity_function", other,
             batch, identity_function)]


def check_practice_forward(practice_forward: Callable) -> CheckResult:
    """``practice_forward(network, x, output)``: the 5-8-7-5-4-4-2 network's forward pass.

    Hidden layers 1-3 apply the sigmoid, 4-5 ReLU; the output layer applies the function
    ``output`` (``identity_function`` or ``softmax``). For :func:`practice_network` and
    :data:`PRACTICE_X` the answers are [0.12410253, 1.04452448] (identity) and
    [0.28487193, 0.71512807] (softmax). Also tried on a batch and on other weights. A wrong answer
    that matches a typical slip (an activation in the wrong layer, softmax in a hidden layer, the
    sigmoid at the output, a missing bias, the wrong output function) gets a hint naming it.
    """
    problems = []
    for what, network, x, output in _practice_cases():
        call = f"practice_forward({what})"
        try:
            got = practice_forward({k: v.copy() for k, v in network.items()}, x.copy(), output)
        except Exception as err:  # the student's code
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            if isinstance(err, ValueError) and "matmul" in str(err):
                problems.append("hint: multiply the layers in order, x @ W1, then the result @ W2, "
                                "and so on: W1 has shape (5, 8), W2 (8, 7), W3 (7, 5), W4 (5, 4), "
                                "W5 (4, 4), W6 (4, 2), each taking the previous layer's output")
            break
        found = compare(got, _deep_forward(network, x, PRACTICE_HIDDEN, output), name=call)
        if found:
            problems += found + _practice_slip(network, x, output, got)
            break
    return report(problems)
