"""The exercises of notebook 04_three_layer_forward_pass.ipynb: a forward pass by hand, the practice
network, batch shapes and the accuracy of a batch."""
from __future__ import annotations

from collections.abc import Callable
from itertools import product

import numpy as np

from ..functions import identity_function, relu, sigmoid, softmax
from .core import (SHAPE_MISTAKES, Attempt, Case, CheckResult, Exercise, gives, raises, run_check,
                   same, shape_questions, show, when)

# --- Exercise 1: a forward pass by hand -------------------------------------------------------------

#: The book's 2-3-2-2 network (``init_network()`` of notebook 04, section 3).
_BOOK_NETWORK = {"W1": [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], "b1": [0.1, 0.2, 0.3],
                 "W2": [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], "b2": [0.1, 0.2],
                 "W3": [[0.1, 0.3], [0.2, 0.4]], "b3": [0.1, 0.2]}


def _network(weights: dict) -> dict[str, np.ndarray]:
    return {key: np.array(value, dtype=float) for key, value in weights.items()}


def _small_network(sizes: tuple[int, ...], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    net = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = np.round(rng.uniform(-1, 1, (n_in, n_out)), 1)
        net[f"b{i}"] = np.round(rng.uniform(-0.5, 0.5, n_out), 1)
    return net


def _three_layers(n, x, act1=sigmoid, act2=sigmoid, out=identity_function, bias=True):
    """The 3-layer forward pass, with the activations (and biases) a learner might choose."""
    b = (lambda k: n[k]) if bias else (lambda k: 0)
    z1 = act1(x @ n["W1"] + b("b1"))
    z2 = act2(z1 @ n["W2"] + b("b2"))
    return out(z2 @ n["W3"] + b("b3"))


def _forward_cases() -> tuple[Case, ...]:
    book, other = _network(_BOOK_NETWORK), _small_network((3, 4, 3, 2), seed=0)
    cases = [("init_network()", book, np.array([1.0, 0.5]), "one input"),
             ("init_network()", book, np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 0.0]]),
              "a batch of three inputs"),
             ("init_network()", book, np.array([[3.0, -2.0]]), "a batch of one"),
             ("a 3-4-3-2 network", other, np.array([0.5, -1.0, 2.0]), "other sizes and weights")]
    return tuple(Case((network, x), _three_layers(network, x), edge=edge,
                      label=f"my_forward({what}, x={show(x)})") for what, network, x, edge in cases)


#: Exercise 1 "a forward pass by hand": ``my_forward(network, x)``: sigmoid, sigmoid, identity.
FORWARD_BY_HAND = Exercise(
    notebook="04", id="forward_by_hand", title="a forward pass by hand", function="my_forward",
    params=("network", "x"), cases=_forward_cases(),
    mistakes=(
        gives("stops-after-layer-1", "that is z1, the output of layer 1: two more layers follow, "
              "layer 2 with the sigmoid and layer 3 with the identity",
              lambda n, x: sigmoid(x @ n["W1"] + n["b1"])),
        gives("no-sigmoid-after-layer-1", "the sigmoid after layer 1 is missing (z1 = sigmoid(a1))",
              lambda n, x: _three_layers(n, x, act1=identity_function)),
        gives("no-sigmoid-after-layer-2", "the sigmoid after layer 2 is missing (z2 = sigmoid(a2))",
              lambda n, x: _three_layers(n, x, act2=identity_function)),
        gives("sigmoid-at-output", "this network's output layer is the identity: return a3 itself, "
              "not sigmoid(a3)", lambda n, x: _three_layers(n, x, out=sigmoid)),
        gives("softmax-at-output", "this network's output layer is the identity: return a3 itself, "
              "not softmax(a3)", lambda n, x: _three_layers(n, x, out=softmax)),
        gives("missing-biases", "the biases are missing: each layer computes z @ W + b",
              lambda n, x: _three_layers(n, x, bias=False)),
    ))


def check_forward_by_hand(my_forward: Callable) -> CheckResult:
    """``my_forward(network, x)``: sigmoid, sigmoid, identity, for nets shaped like init_network's.

    Tried on init_network() with x = [1.0, 0.5] (the answer is [0.31682708, 0.69627909]), on a
    batch of three inputs, a batch of one, and a 3-4-3-2 network with other weights.
    """
    return run_check(FORWARD_BY_HAND, my_forward)


# --- Exercise 2: the 5-8-7-5-4-4-2 practice network -----------------------------------------------

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
_SAID = {"sigmoid": "the sigmoid", "relu": "ReLU", "softmax": "softmax", "none": "no activation"}


def practice_network() -> dict[str, np.ndarray]:
    """The 5-8-7-5-4-4-2 practice network (given weights, not trained): ``W1`` (5, 8) ... ``W6`` (4, 2).

    Hidden layers 1-3 use the sigmoid, 4-5 ReLU (:data:`PRACTICE_HIDDEN`); the output layer is the
    identity or softmax. Each call returns fresh arrays, so changing them changes nothing else.
    """
    return {key: np.array(value) for key, value in _PRACTICE_WEIGHTS.items()}


def _deep_forward(network: dict, x: np.ndarray, hidden=PRACTICE_HIDDEN,
                  output: Callable = identity_function, skip_bias: tuple[int, ...] = ()) -> np.ndarray:
    """Hidden layers 1..len(hidden) with the named activations, then ``output``; the layers in
    ``skip_bias`` add no bias (to reproduce that slip)."""
    z = x
    for i, name in enumerate(hidden, start=1):
        z = _ACTIVATIONS[name](z @ network[f"W{i}"] + (0 if i in skip_bias else network[f"b{i}"]))
    last = len(hidden) + 1
    return output(z @ network[f"W{last}"] + (0 if last in skip_bias else network[f"b{last}"]))


def _other_weights(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {key: np.round(rng.uniform(-1.0, 1.0, value.shape), 2)
            for key, value in practice_network().items()}


def _practice_cases() -> tuple[Case, ...]:
    """The given network and input with each output layer, a batch, and other weights whose output
    scores are negative (where a ReLU at the output would show)."""
    network, x = practice_network(), np.array(PRACTICE_X)
    batch = np.array([x, [0.0, 0.0, 0.0, 0.0, 0.0], [-1.0, 2.0, 0.5, -0.5, 1.0]])
    cases = [("practice_network(), PRACTICE_X, identity_function", network, x, identity_function, ""),
             ("practice_network(), PRACTICE_X, softmax", network, x, softmax, ""),
             ("practice_network(), a batch of 3 inputs, softmax", network, batch, softmax,
              "a batch"),
             ("other weights of the same shapes, a batch of 3 inputs, identity_function",
              _other_weights(3), batch, identity_function, "negative output scores"),
             ("other weights of the same shapes, a batch of one input, softmax", _other_weights(6),
              np.array([[0.5, -1.0, 2.0, 0.0, 1.5]]), softmax,
              "a batch of one, with a negative score under softmax")]
    return tuple(Case((net, inputs, output), _deep_forward(net, inputs, output=output), edge=edge,
                      label=f"practice_forward({what})") for what, net, inputs, output, edge in cases)


def _hidden_slips() -> list[tuple[str, ...]]:
    """Hidden activations a learner might use: the right ones with one or two layers changed, and
    the right ones in another order; fewest changes first."""
    right = PRACTICE_HIDDEN
    found = [hidden for hidden in product(_ACTIVATIONS, repeat=len(right))
             if sum(h != r for h, r in zip(hidden, right)) <= 2 or sorted(hidden) == sorted(right)]
    return sorted(found, key=lambda hidden: sum(h != r for h, r in zip(hidden, right)))[1:]


def _hidden_slip(attempt: Attempt) -> tuple[str, ...] | None:
    """The hidden activations (with the right output) that give the learner's answer, if any."""
    network, x, output = attempt.args
    for hidden in _hidden_slips():
        if same(attempt.got, _deep_forward(network, x, hidden, output)):
            return hidden
    return None


def _wrong_hidden(attempt: Attempt) -> dict | bool:
    hidden = _hidden_slip(attempt)
    if hidden is None or sorted(hidden) == sorted(PRACTICE_HIDDEN):
        return False
    wrong = [i for i, (h, r) in enumerate(zip(hidden, PRACTICE_HIDDEN), start=1) if h != r]
    yours = {hidden[i - 1] for i in wrong}
    layers = " and ".join(str(i) for i in wrong)
    verb = "apply" if len(wrong) > 1 else "applies"
    return {"wrong": f"layer{'s' if len(wrong) > 1 else ''} {layers} {verb} "
                     f"{' and '.join(_SAID[y] for y in sorted(yours))}"}


def _output_slip(attempt: Attempt, wrong_output: Callable[[Callable], Callable]) -> bool:
    network, x, output = attempt.args
    scores = _deep_forward(network, x)
    return same(attempt.got, wrong_output(output)(scores))


def _asked(attempt: Attempt) -> dict:
    return {"output": "softmax" if attempt.args[2] is softmax else "identity_function"}


def _one_bias_missing(attempt: Attempt) -> dict | bool:
    network, x, output = attempt.args
    for i in range(1, 7):
        if same(attempt.got, _deep_forward(network, x, output=output, skip_bias=(i,))):
            return {"layer": i}
    return False


def _with_output(test: Callable[[Attempt], bool]) -> Callable[[Attempt], dict | bool]:
    return lambda attempt: _asked(attempt) if test(attempt) else False


#: Exercise 2 "the practice network": ``practice_forward(network, x, output)``, 5-8-7-5-4-4-2.
PRACTICE_FORWARD = Exercise(
    notebook="04", id="practice_forward", title="the practice network", function="practice_forward",
    params=("network", "x", "output"), cases=_practice_cases(),
    mistakes=(
        when("softmax-in-hidden-layer", "softmax belongs to the output layer only: hidden layers "
             "1-3 apply the sigmoid, layers 4-5 ReLU",
             lambda a: (h := _hidden_slip(a)) is not None and "softmax" in h),
        when("wrong-hidden-activation", "{wrong}: layers 1-3 apply the sigmoid and layers 4-5 ReLU "
             "(sigmoid if i <= 3 else relu)",
             _wrong_hidden, example={"wrong": "layers 4 and 5 apply the sigmoid"}),
        when("hidden-order-swapped", "the hidden activations are in the wrong order: layers 1-3 "
             "apply the sigmoid, then layers 4-5 ReLU",
             lambda a: (h := _hidden_slip(a)) is not None and sorted(h) == sorted(PRACTICE_HIDDEN)),
        when("relu-at-output", "the output layer applies ReLU as well: the hidden layers end at "
             "layer 5, and layer 6 applies only output (here {output})",
             _with_output(lambda a: _output_slip(a, lambda out: lambda s: out(relu(s)))),
             example={"output": "identity_function"}),
        when("sigmoid-at-output", "the output layer applies the sigmoid; it should apply only "
             "output (here {output})",
             _with_output(lambda a: any(_output_slip(a, slip) for slip in (
                 lambda out: sigmoid, lambda out: lambda s: out(sigmoid(s)),
                 lambda out: lambda s: sigmoid(out(s))))),
             example={"output": "softmax"}),
        when("ignores-output", "the output layer must apply the function it is given, output (here "
             "{output}): end with return output(...)",
             _with_output(lambda a: _output_slip(
                 a, lambda out: identity_function if out is softmax else softmax)),
             example={"output": "identity_function"}),
        gives("missing-biases", "the biases are missing: every layer computes z @ W + b",
              lambda n, x, out: _deep_forward(n, x, output=out, skip_bias=tuple(range(1, 7)))),
        when("missing-bias", "layer {layer} does not add its bias b{layer}", _one_bias_missing,
             example={"layer": 3}),
        raises("layers-out-of-order", "multiply the layers in order, x @ W1, then the result @ W2, "
               "and so on: W1 has shape (5, 8), W2 (8, 7), W3 (7, 5), W4 (5, 4), W5 (4, 4), W6 "
               "(4, 2), each taking the previous layer's output", ValueError,
               ("not aligned", "mismatch in its core dimension")),
    ))


def check_practice_forward(practice_forward: Callable) -> CheckResult:
    """``practice_forward(network, x, output)``: the 5-8-7-5-4-4-2 network's forward pass.

    Hidden layers 1-3 apply the sigmoid, 4-5 ReLU; the output layer applies the function
    ``output`` (``identity_function`` or ``softmax``). For :func:`practice_network` and
    :data:`PRACTICE_X` the answers are [0.12410253, 1.04452448] (identity) and
    [0.28487193, 0.71512807] (softmax). Also tried on a batch, on other weights whose output scores
    are negative, and on a batch of one.
    """
    return run_check(PRACTICE_FORWARD, practice_forward)


# --- Exercise 3: batch shapes ---------------------------------------------------------------------

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
_WEIGHT_SHAPES = {"A1": (784, 50), "Z1": (784, 50), "A2": (50, 100), "Z2": (50, 100)}

#: Exercise 3 "batch shapes": the shape of every step of the sample network on 100 images.
BATCH_SHAPES_EXERCISE = Exercise(
    notebook="04", id="batch_shapes", title="batch shapes", function="shapes",
    cases=shape_questions(BATCH_SHAPES, _BATCH_WHY, work="step"), report="all",
    mistakes=SHAPE_MISTAKES + (
        when("batch-axis-dropped", "the batch keeps its 100 rows through every layer: each step "
             "has one row per image, (100, ...)",
             lambda a: isinstance(a.got, (tuple, list)) and tuple(a.got) == a.expected[1:]),
        when("weight-shape", "that is the shape of the layer's weights; the activations have one "
             "row per image, (100, ...)",
             lambda a: isinstance(a.got, (tuple, list)) and tuple(a.got) == _WEIGHT_SHAPES.get(a.case.label)),
    ))


def check_batch_shapes(shapes: dict) -> CheckResult:
    """Predicted shapes of every step of the 784-50-100-10 network on a batch of 100 images."""
    return run_check(BATCH_SHAPES_EXERCISE, shapes)


# --- Exercise 4: the accuracy of a batch ----------------------------------------------------------

def _fraction_right(y, t) -> float:
    """The fraction of rows whose largest entry (the first, on a tie) is at the label, in loops."""
    rows = np.asarray(y).tolist()
    return sum(row.index(max(row)) == label for row, label in zip(rows, np.asarray(t).tolist())) / len(rows)


_ACCURACY_ARGS = [
    ((np.array([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.05, 0.05, 0.9], [0.3, 0.4, 0.3]]),
      np.array([1, 2, 2, 0])), "probabilities, 4 rows of 3 classes"),
    ((np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3], [0.55, 0.45]]),
      np.array([0, 1, 1, 0, 0])), "every row right"),
    ((np.array([[2.0, -1.0, 0.5, 3.0], [0.0, 0.1, -0.2, 0.05], [-1.0, -2.0, -0.5, -3.0]]),
      np.array([3, 3, 0])), "scores, negative ones too"),
    ((np.array([[0.5, 0.4, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]), np.array([0, 0, 2])),
     "a square batch"),
    ((np.array([[0.1, 0.1, 0.7, 0.1]]), np.array([2])), "a batch of one"),
]

#: Exercise 4 "the accuracy of a batch": ``batch_accuracy(y, t)``, the fraction of rows right.
BATCH_ACCURACY = Exercise(
    notebook="04", id="batch_accuracy", title="the accuracy of a batch", function="batch_accuracy",
    params=("y", "t"),
    cases=tuple(Case(args, _fraction_right(*args), edge=edge) for args, edge in _ACCURACY_ARGS),
    mistakes=(
        gives("count-not-fraction", "that is the number of correct predictions; divide it by the "
              "number of images, len(t) (or use np.mean)",
              lambda y, t: np.sum(np.argmax(y, axis=1) == t)),
        when("argmax-without-axis", "np.argmax(y) without axis gives one number for the whole "
             "array; np.argmax(y, axis=1) gives one predicted label per row",
             lambda a: any(same(a.got, f(np.argmax(a.args[0]) == a.args[1])) for f in (np.mean, np.sum))),
        when("argmax-down-the-columns", "axis=0 looks down each column, across the images; "
             "np.argmax(y, axis=1) gives one predicted label per row",
             lambda a: (isinstance(a.error, ValueError) and "broadcast" in str(a.error)
                        and f"({a.args[0].shape[1]},)" in str(a.error))
             or same(a.got, np.mean(np.argmax(a.args[0], axis=0) == a.args[1]))),
        raises("scores-compared-with-labels", "y holds one score per class, t one label per row: "
               "compare the predicted labels, np.argmax(y, axis=1), with t", ValueError,
               "could not be broadcast"),
        gives("percent", "a fraction between 0 and 1, please: no factor 100",
              lambda y, t: 100 * np.mean(np.argmax(y, axis=1) == t)),
    ))


def check_batch_accuracy(batch_accuracy: Callable) -> CheckResult:
    """``batch_accuracy(y, t)``: the fraction of rows of ``y`` whose largest entry is at ``t``."""
    return run_check(BATCH_ACCURACY, batch_accuracy)


EXERCISES = (FORWARD_BY_HAND, PRACTICE_FORWARD, BATCH_SHAPES_EXERCISE, BATCH_ACCURACY)
