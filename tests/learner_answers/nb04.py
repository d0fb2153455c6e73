"""Notebook 04: "Exercise 1: a forward pass by hand", "Exercise 2: the practice network",
"Exercise 3: batch shapes", "Exercise 4: the accuracy of a batch"."""
import math

import numpy as np

from mnist_lib import identity_function, init_network, relu, sigmoid, softmax
from mnist_lib.checks import practice_network

from . import right, wrong

# --- Exercise 1: sigmoid after layers 1 and 2, the identity at the output ------------------------


def forward_finished(network, x):
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    z1 = sigmoid(x @ W1 + b1)
    z2 = sigmoid(z1 @ W2 + b2)
    return z2 @ W3 + b3


def forward_math(network, x):
    """math.exp and loops, one input at a time."""
    def layer(v, W, b, act):
        return [act(sum(v[i] * W[i][j] for i in range(len(v))) + b[j]) for j in range(len(b))]

    def one(v):
        z1 = layer(v, network["W1"], network["b1"], lambda a: 1 / (1 + math.exp(-a)))
        z2 = layer(z1, network["W2"], network["b2"], lambda a: 1 / (1 + math.exp(-a)))
        return layer(z2, network["W3"], network["b3"], lambda a: a)
    x = np.asarray(x)
    return np.array(one(x) if x.ndim == 1 else [one(row) for row in x])


def forward_by_layers(network, x):
    z = x
    for k, activation in ((1, sigmoid), (2, sigmoid), (3, identity_function)):
        z = activation(np.dot(z, network[f"W{k}"]) + network[f"b{k}"])
    return z


def forward_starter(network, x):
    a1 = x @ network["W1"] + network["b1"]
    return sigmoid(a1)


def forward_skips_z1(network, x):  # computes z1, then feeds a1 on
    a1 = x @ network["W1"] + network["b1"]
    z1 = sigmoid(a1)  # noqa: F841
    a2 = a1 @ network["W2"] + network["b2"]
    z2 = sigmoid(a2)
    return z2 @ network["W3"] + network["b3"]


def forward_no_sigmoid_2(network, x):
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    a2 = z1 @ network["W2"] + network["b2"]
    return a2 @ network["W3"] + network["b3"]


def forward_sigmoid_everywhere(network, x):
    z = x
    for k in (1, 2, 3):
        z = sigmoid(z @ network[f"W{k}"] + network[f"b{k}"])
    return z


def forward_softmax_out(network, x):
    return softmax(forward_finished(network, x))


def forward_no_biases(network, x):
    z1 = sigmoid(x @ network["W1"])
    z2 = sigmoid(z1 @ network["W2"])
    return z2 @ network["W3"]


def forward_keeps_activations(network, x):  # keeps z1 and z2 in the network "for later"
    network["z1"] = sigmoid(x @ network["W1"] + network["b1"])
    network["z2"] = sigmoid(network["z1"] @ network["W2"] + network["b2"])
    return network["z2"] @ network["W3"] + network["b3"]


def forward_book_network_only(network, x):  # right for init_network() and nothing else
    return forward_finished(init_network(), x)


# --- Exercise 2: layers 1-3 sigmoid, 4-5 ReLU, then output ---------------------------------------

def practice_loop(network, x, output):
    z = x
    for i in range(1, 6):
        activation = sigmoid if i <= 3 else relu
        z = activation(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z @ network["W6"] + network["b6"])


def practice_unrolled(network, x, output):
    n = network
    z1 = sigmoid(np.dot(x, n["W1"]) + n["b1"])
    z2 = sigmoid(np.dot(z1, n["W2"]) + n["b2"])
    z3 = sigmoid(np.dot(z2, n["W3"]) + n["b3"])
    z4 = np.maximum(0, np.dot(z3, n["W4"]) + n["b4"])
    z5 = np.maximum(0, np.dot(z4, n["W5"]) + n["b5"])
    return output(np.dot(z5, n["W6"]) + n["b6"])


def practice_math(network, x, output):
    """Loops and math.exp, one input row at a time."""
    def layer(v, W, b):
        return [sum(v[i] * W[i][j] for i in range(len(v))) + b[j] for j in range(len(b))]

    def one(v):
        z = list(v)
        for i in range(1, 6):
            a = layer(z, network[f"W{i}"], network[f"b{i}"])
            z = [1 / (1 + math.exp(-v)) for v in a] if i <= 3 else [max(0.0, v) for v in a]
        return layer(z, network["W6"], network["b6"])
    x = np.asarray(x)
    scores = np.array(one(x) if x.ndim == 1 else [one(row) for row in x])
    return output(scores)


def practice_with(activations, out=None, biases=range(1, 7), order=range(1, 6)):
    """A learner's loop with their own list of activations (and other slips)."""
    def forward(network, x, output):
        z = x
        for i, activation in zip(order, activations):
            z = activation(z @ network[f"W{i}"] + (network[f"b{i}"] if i in biases else 0))
        a = z @ network["W6"] + (network["b6"] if 6 in biases else 0)
        return output(a) if out is None else out(output, a)
    return forward


RIGHT = [sigmoid, sigmoid, sigmoid, relu, relu]


def practice_starter(network, x, output):
    z = x
    for i in range(1, 6):
        z = sigmoid(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z @ network["W6"] + network["b6"])


def practice_relu_to_the_end(network, x, output):  # "ReLU from layer 4 on", the output layer too
    z = x
    for i in range(1, 7):
        activation = sigmoid if i <= 3 else relu
        z = activation(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z)


def practice_index_off_by_one(network, x, output):
    z = x
    for i in range(1, 6):
        activation = sigmoid if i <= 3 else relu
        z = activation(z @ network[f"W{i + 1}"] + network[f"b{i + 1}"])
    return output(z @ network["W6"] + network["b6"])


def practice_keeps_activations(network, x, output):
    z = x
    for i in range(1, 6):
        z = (sigmoid if i <= 3 else relu)(z @ network[f"W{i}"] + network[f"b{i}"])
        network[f"z{i}"] = z
    return output(z @ network["W6"] + network["b6"])


def practice_given_weights_only(network, x, output):
    return practice_loop(practice_network(), x, output)


# --- Exercise 3: batch shapes ------------------------------------------------------------------------

SHAPES = {"X": (100, 784), "A1": (100, 50), "Z1": (100, 50), "A2": (100, 100), "Z2": (100, 100),
          "A3": (100, 10), "Y": (100, 10)}

# --- Exercise 4: "the fraction of rows whose largest entry is at the true label" -----------------


def accuracy_loop(y, t):
    right = 0
    for row, label in zip(y.tolist(), t.tolist()):
        right += row.index(max(row)) == label
    return right / len(t)


def accuracy_starter(y, t):
    predicted = np.argmax(y)
    return np.sum(predicted == t)


ANSWERS = [
    right("04", "forward_by_hand", forward_finished, "the starter finished"),
    right("04", "forward_by_hand", forward_math, "math.exp and loops"),
    right("04", "forward_by_hand", forward_by_layers, "a loop over the layers"),
    wrong("04", "forward_by_hand", "stops-after-layer-1", forward_starter, "the starter",
          says="my_forward(init_network(), x=[1. , 0.5]): expected shape (2,), got (3,)"),
    wrong("04", "forward_by_hand", "no-sigmoid-after-layer-1", forward_skips_z1, "a1 fed on"),
    wrong("04", "forward_by_hand", "no-sigmoid-after-layer-2", forward_no_sigmoid_2, "no sigmoid 2"),
    wrong("04", "forward_by_hand", "sigmoid-at-output", forward_sigmoid_everywhere,
          "sigmoid at every layer"),
    wrong("04", "forward_by_hand", "softmax-at-output", forward_softmax_out, "softmax at the end"),
    wrong("04", "forward_by_hand", "missing-biases", forward_no_biases, "no biases"),
    wrong("04", "forward_by_hand", "changes-input", forward_keeps_activations,
          "keeps z1 and z2 in the network", says="changed its input network"),
    wrong("04", "forward_by_hand", None, forward_book_network_only, "init_network() inside",
          says="a 3-4-3-2 network"),

    right("04", "practice_forward", practice_loop, "sigmoid if i <= 3 else relu"),
    right("04", "practice_forward", practice_unrolled, "six lines, np.dot and np.maximum"),
    right("04", "practice_forward", practice_math, "math.exp and loops"),
    wrong("04", "practice_forward", "wrong-hidden-activation", practice_starter, "the starter",
          says="layers 4 and 5 apply the sigmoid"),
    wrong("04", "practice_forward", "wrong-hidden-activation",
          practice_with([sigmoid, sigmoid, relu, relu, relu]), "i < 3 for i <= 3",
          says="layer 3 applies ReLU"),
    wrong("04", "practice_forward", "hidden-order-swapped",
          practice_with([relu, relu, sigmoid, sigmoid, sigmoid]), "ReLU first"),
    wrong("04", "practice_forward", "softmax-in-hidden-layer",
          practice_with([sigmoid, sigmoid, sigmoid, relu, softmax]), "softmax in layer 5"),
    wrong("04", "practice_forward", "relu-at-output", practice_relu_to_the_end,
          "ReLU on the output scores too"),
    wrong("04", "practice_forward", "sigmoid-at-output",
          practice_with(RIGHT, out=lambda output, a: sigmoid(a)), "sigmoid for output"),
    wrong("04", "practice_forward", "sigmoid-at-output",
          practice_with(RIGHT, out=lambda output, a: output(sigmoid(a))), "sigmoid, then output"),
    wrong("04", "practice_forward", "ignores-output",
          practice_with(RIGHT, out=lambda output, a: softmax(a)), "softmax whatever output is",
          says="the output layer must apply the function it is given, output (here "
               "identity_function)"),
    wrong("04", "practice_forward", "missing-bias",
          practice_with(RIGHT, biases=range(1, 6)), "no b6", says="layer 6 does not add its bias b6"),
    wrong("04", "practice_forward", "missing-bias",
          practice_with(RIGHT, biases=(1, 2, 4, 5, 6)), "no b3", says="layer 3 does not add its bias b3"),
    wrong("04", "practice_forward", "missing-biases", practice_with(RIGHT, biases=()), "no biases"),
    wrong("04", "practice_forward", "layers-out-of-order", practice_index_off_by_one, "W{i + 1}",
          says="raised ValueError"),
    wrong("04", "practice_forward", "changes-input", practice_keeps_activations,
          "keeps the activations in the network"),
    wrong("04", "practice_forward", None, practice_given_weights_only, "practice_network() inside",
          says="other weights of the same shapes"),

    right("04", "batch_shapes", dict(SHAPES), "tuples"),
    right("04", "batch_shapes", {k: list(v) for k, v in SHAPES.items()}, "lists"),
    wrong("04", "batch_shapes", "rows-and-columns-swapped", {**SHAPES, "X": (784, 100)},
          "X as (784, 100)",
          says="X: expected shape (100, 784), got (784, 100). 100 images, one row of 784 pixels each"),
    wrong("04", "batch_shapes", "batch-axis-dropped", {**SHAPES, "A1": (50,)}, "A1 for one image",
          says="A1: expected shape (100, 50), got (50,)"),
    wrong("04", "batch_shapes", "number-not-shape", {**SHAPES, "Y": 10}, "Y as 10",
          says="Y: 10 is a number, not a shape"),
    wrong("04", "batch_shapes", "shape-as-text", {**SHAPES, "A2": "(100, 100)"}, "A2 in quotes"),
    wrong("04", "batch_shapes", "weight-shape", {**SHAPES, "A1": (784, 50)}, "A1 as W1's shape"),
    wrong("04", "batch_shapes", None, {**SHAPES, "Z2": None}, "Z2 left out",
          says="Z2: no answer yet (replace None with a shape such as (7, 1))"),

    right("04", "batch_accuracy", lambda y, t: np.mean(np.argmax(y, axis=1) == t), "np.mean"),
    right("04", "batch_accuracy", accuracy_loop, "a loop"),
    right("04", "batch_accuracy", lambda y, t: np.count_nonzero(y.argmax(axis=-1) == t) / t.size,
          "count_nonzero over size"),
    wrong("04", "batch_accuracy", "argmax-without-axis", accuracy_starter, "the starter",
          says="batch_accuracy(y, t) with y of shape (4, 3), t = [1, 2, 2, 0] should be 0.5, got 0"),
    wrong("04", "batch_accuracy", "count-not-fraction",
          lambda y, t: np.sum(np.argmax(y, axis=1) == t), "the count"),
    wrong("04", "batch_accuracy", "argmax-down-the-columns",
          lambda y, t: np.mean(np.argmax(y, axis=0) == t), "axis=0"),
    wrong("04", "batch_accuracy", "scores-compared-with-labels", lambda y, t: np.mean(y == t),
          "y compared with t", says="raised ValueError: operands could not be broadcast"),
    wrong("04", "batch_accuracy", "percent",
          lambda y, t: 100 * np.mean(np.argmax(y, axis=1) == t), "in percent"),
]
