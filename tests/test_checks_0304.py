"""The exercise checks of notebooks 03 (matrix products) and 04 (three-layer forward pass).

Each check must pass a correct answer and fail typical wrong ones with a message that says what is
wrong. The correct answers here are computed independently of the checks (plain Python loops,
NumPy on arrays of the right shapes, or the book's published numbers).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import mnist_lib
from mnist_lib import checks
from mnist_lib.networks import init_network, load_sample_weights


def _sig(v: float) -> float:
    return 1 / (1 + math.exp(-v))


# ------------------------------------------------------------------ 03: shapes of products

def _product_shapes() -> dict:
    A, B, x, W = np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(3), np.zeros((3, 5))
    X, W1 = np.zeros((100, 784)), np.zeros((784, 50))
    with pytest.raises(ValueError):
        B @ A
    return {"A @ B": (A @ B).shape, "B @ A": "error", "x @ W": (x @ W).shape,
            "X @ W1": (X @ W1).shape, "A @ A.T": (A @ A.T).shape}


def test_product_shapes_pass(feedback):
    feedback.passes(checks.check_product_shapes, _product_shapes())


def test_product_shapes_accept_lists_and_any_case_of_error(feedback):
    answers = {k: (list(v) if isinstance(v, tuple) else "Error")
               for k, v in _product_shapes().items()}
    feedback.passes(checks.check_product_shapes, answers)


@pytest.mark.parametrize("key, wrong, message", [
    ("X @ W1", (50, 100),
     "X @ W1: expected shape (100, 50), got (50, 100), rows and columns swapped"),
    ("A @ B", (3, 4), "A @ B: expected shape (2, 4), got (3, 4)"),
    ("x @ W", 5,
     "x @ W: 5 is a number, not a shape; a shape is a tuple, and a 1-D shape needs a comma: (5,)"),
    ("x @ W", (1, 5), "x @ W: expected shape (5,), got (1, 5)"),
    ("B @ A", None, 'B @ A: no answer yet (replace None with a shape such as (7, 1) or "error")'),
    ("B @ A", (3, 3), 'B @ A: expected "error", got (3, 3)'),
    ("A @ A.T", "error", 'A @ A.T: this product works: expected shape (2, 2), got "error"'),
    ("A @ B", "two by four", "A @ B: 'two by four' is not a shape"),
])
def test_product_shapes_fail(feedback, key, wrong, message):
    answers = _product_shapes()
    answers[key] = wrong
    out = feedback.fails(checks.check_product_shapes, answers, says=message)
    assert out.count("✗") == 1  # only the wrong answer is reported


def test_product_shapes_missing_key_and_not_a_dict(feedback):
    answers = _product_shapes()
    del answers["A @ B"]
    feedback.fails(checks.check_product_shapes, answers,
                   says="A @ B: no answer (the key 'A @ B' is missing from the dict)")
    feedback.fails(checks.check_product_shapes, [(2, 4)], says="should be a dict")


# ------------------------------------------------------------------ 03: a layer's output

def loop_layer(X, W, b):
    """The weighted sums of a layer with plain loops: output j is sum_i x_i W[i, j] + b[j]."""
    def one(x):
        return [sum(x[i] * W[i][j] for i in range(len(x))) + b[j] for j in range(len(b))]
    X = np.asarray(X)
    return np.array(one(X) if X.ndim == 1 else [one(row) for row in X])


def test_layer_output_pass(feedback):
    feedback.passes(checks.check_layer_output, lambda X, W, b: X @ W + b)
    feedback.passes(checks.check_layer_output, loop_layer)


def test_layer_output_expected_values_by_hand():
    # [1, 2] @ [[1, 3, 5], [2, 4, 6]] = [1+4, 3+8, 5+12] = [5, 11, 17]
    (x, W, b), expected = checks.LAYER_CASES[0]
    assert np.allclose(expected, np.array([5, 11, 17]) + b)
    for args, expected in checks.LAYER_CASES:
        assert np.allclose(loop_layer(*args), expected)


@pytest.mark.parametrize("wrong, message", [
    (lambda X, W, b: X @ W, "at index 0 expected 5.1, got 5"),
    (lambda X, W, b: X @ W, "hint: that is X @ W without the bias; add + b"),
    (lambda X, W, b: np.dot(W, X) + b, "layer(X, W, b) with X = [1., 2.], W of shape (2, 3), "
     "b = [0.1, 0.2, 0.3] raised ValueError: shapes (2,3) and (2,) not aligned"),
    (lambda X, W, b: None, "is None: did you forget to return a value?"),
    (lambda X, W, b: (X @ W + b).tolist(), "should be a NumPy array, got list"),
    (lambda X, W, b: np.array([X @ W[:, j] + b[j] for j in range(W.shape[1])]),
     "hint: rows and columns are swapped"),  # right for one input, transposed for a batch
])
def test_layer_output_fail(feedback, wrong, message):
    feedback.fails(checks.check_layer_output, wrong, says=message)


# ------------------------------------------------------------------ 03: the shape bug

def test_shape_bug_fix_pass(feedback):
    W, b = checks.BUG_W, checks.BUG_B

    def by_neuron(X):  # neuron k uses row k of W: out[n, k] = sum_i X[n, i] W[k, i] + b[k]
        return np.array([[sum(X[n][i] * W[k][i] for i in range(4)) + b[k] for k in range(3)]
                         for n in range(len(X))])
    feedback.passes(checks.check_shape_bug_fix, lambda X: X @ W.T + b)
    feedback.passes(checks.check_shape_bug_fix, by_neuron)
    # the input [1, 1, 1, 1] sums each neuron's weights: 1.0 + 0.1, 0.2 + 0.2, -0.2 + 0.3
    assert np.allclose(by_neuron([[1, 1, 1, 1]]), [[1.1, 0.4, 0.1]])


@pytest.mark.parametrize("wrong, message", [
    (lambda X: X @ checks.BUG_W + checks.BUG_B,
     "layer_outputs(X) for X of shape (5, 4) raised ValueError: matmul"),
    (lambda X: X @ checks.BUG_W + checks.BUG_B,
     "hint: for X @ W the last size of X must equal the first size of W"),
    (lambda X: checks.BUG_W @ X.T + checks.BUG_B[:, None],
     "expected shape (5, 3), got (3, 5): one row per input"),
    (lambda X: X @ checks.BUG_W.reshape(4, 3) + checks.BUG_B, "hint: reshape keeps the numbers"),
    (lambda X: (X @ checks.BUG_W.T)[:2] + checks.BUG_B, "expected shape (5, 3), got (2, 3)"),
    (lambda X: X[:, :3] @ checks.BUG_W[:, :3].T + checks.BUG_B, "values differ"),
])
def test_shape_bug_fix_fail(feedback, wrong, message):
    feedback.fails(checks.check_shape_bug_fix, wrong, says=message)


# ------------------------------------------------------------------ 04: forward pass by hand

def loop_forward(network, x):
    """The 2-3-2-2 forward pass with math.exp and loops: sigmoid, sigmoid, identity."""
    def layer(v, W, b, act):
        return [act(sum(v[i] * W[i][j] for i in range(len(v))) + b[j]) for j in range(len(b))]

    def one(v):
        z1 = layer(v, network["W1"], network["b1"], _sig)
        z2 = layer(z1, network["W2"], network["b2"], _sig)
        return layer(z2, network["W3"], network["b3"], lambda a: a)
    x = np.asarray(x)
    return np.array(one(x) if x.ndim == 1 else [one(row) for row in x])


def test_forward_by_hand_published_numbers():
    # The book's example: x = [1.0, 0.5] gives [0.31682708, 0.69627909]
    assert np.allclose(loop_forward(init_network(), [1.0, 0.5]), [0.31682708, 0.69627909])


def test_forward_by_hand_pass(feedback):
    feedback.passes(checks.check_forward_by_hand, loop_forward)


def _forward(skip1=False, skip2=False, out=lambda a: a, bias=True):
    def f(n, x):
        b = (lambda k: n[k]) if bias else (lambda k: 0)
        a1 = x @ n["W1"] + b("b1")
        z1 = a1 if skip1 else 1 / (1 + np.exp(-a1))
        a2 = z1 @ n["W2"] + b("b2")
        z2 = a2 if skip2 else 1 / (1 + np.exp(-a2))
        return out(z2 @ n["W3"] + b("b3"))
    return f


def _softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda n, x: 1 / (1 + np.exp(-(x @ n["W1"] + n["b1"]))),
     "my_forward(init_network(), x=[1. , 0.5]): expected shape (2,), got (3,)"),
    (_forward(skip1=True), "hint: the sigmoid after layer 1 is missing"),
    (_forward(skip2=True), "hint: the sigmoid after layer 2 is missing"),
    (_forward(out=lambda a: 1 / (1 + np.exp(-a))), "return a3 itself, not sigmoid(a3)"),
    (_forward(out=_softmax), "return a3 itself, not softmax(a3)"),
    (_forward(bias=False), "hint: the biases are missing"),
    (lambda n, x: np.array([0.31682708, 0.69627909]), "expected shape (3, 2), got (2,)"),
    (lambda n, x: n["W4"], "raised KeyError: 'W4'"),
])
def test_forward_by_hand_fail(feedback, wrong, message):
    feedback.fails(checks.check_forward_by_hand, wrong, says=message)


def test_forward_by_hand_generalises(feedback):
    # right only for the 2-3-2-2 shapes: fails on the 3-4-3-2 network
    def only_two_inputs(n, x):
        return loop_forward(init_network(), x)
    feedback.fails(checks.check_forward_by_hand, only_two_inputs, says="a 3-4-3-2 network")


# ------------------------------------------------------------------ 04: batch shapes

def _batch_shapes() -> dict:
    """Run the sample network step by step on 100 blank images and record the shapes."""
    net = load_sample_weights()
    X = np.zeros((100, 784), dtype=np.float32)
    A1 = X @ net["W1"] + net["b1"]
    Z1 = 1 / (1 + np.exp(-A1))
    A2 = Z1 @ net["W2"] + net["b2"]
    Z2 = 1 / (1 + np.exp(-A2))
    A3 = Z2 @ net["W3"] + net["b3"]
    Y = np.exp(A3) / np.exp(A3).sum(axis=1, keepdims=True)
    return {k: v.shape for k, v in dict(X=X, A1=A1, Z1=Z1, A2=A2, Z2=Z2, A3=A3, Y=Y).items()}


def test_batch_shapes_pass(feedback):
    feedback.passes(checks.check_batch_shapes, _batch_shapes())


@pytest.mark.parametrize("key, wrong, message", [
    ("X", (784, 100), "X: expected shape (100, 784), got (784, 100), rows and columns swapped"),
    ("A1", (50,), "A1: expected shape (100, 50), got (50,)"),
    ("Y", 10, "Y: 10 is a number, not a shape"),
    ("Z2", None, "Z2: no answer yet (replace None with a shape such as (7, 1))"),
    ("A3", "error", 'A3: this step works: expected shape (100, 10), got "error"'),
    ("A2", "(100, 100)", "A2: '(100, 100)' is not a shape; write a tuple such as (7, 1)"),
])
def test_batch_shapes_fail(feedback, key, wrong, message):
    answers = _batch_shapes()
    answers[key] = wrong
    out = feedback.fails(checks.check_batch_shapes, answers, says=message)
    assert out.count("✗") == 1


# ------------------------------------------------------------------ 04: accuracy of a batch

def loop_accuracy(y, t):
    right = 0
    for row, label in zip(y.tolist(), t.tolist()):
        right += row.index(max(row)) == label
    return right / len(t)


def test_batch_accuracy_pass(feedback):
    feedback.passes(checks.check_batch_accuracy, loop_accuracy)
    def vectorised(y, t):
        return np.mean(np.argmax(y, axis=1) == t)
    feedback.passes(checks.check_batch_accuracy, vectorised)


def test_batch_accuracy_cases_by_hand():
    # first case: predictions [1, 0, 2, 1] against labels [1, 2, 2, 0]: 2 of 4 right
    (y, t), expected = checks.ACCURACY_CASES[0]
    assert expected == 0.5 and loop_accuracy(y, t) == 0.5
    for (y, t), expected in checks.ACCURACY_CASES:
        assert loop_accuracy(y, t) == pytest.approx(expected)


@pytest.mark.parametrize("wrong, message", [
    (lambda y, t: np.sum(np.argmax(y, axis=1) == t),
     "hint: that is the number of correct predictions; divide it by the number of images"),
    (lambda y, t: np.sum(np.argmax(y, axis=1) == t),
     "batch_accuracy(y, t) with y of shape (4, 3), t = [1, 2, 2, 0] should be 0.5, got 2"),
    (lambda y, t: np.mean(np.argmax(y) == t), "hint: np.argmax(y) without axis"),
    (lambda y, t: np.mean(y == t), "raised ValueError: operands could not be broadcast"),
    (lambda y, t: np.mean(np.argmax(y, axis=0) == t), "raised ValueError"),
    (lambda y, t: None, "did you forget to return a value?"),
])
def test_batch_accuracy_fail(feedback, wrong, message):
    feedback.fails(checks.check_batch_accuracy, wrong, says=message)


# ------------------------------------------------------------------ 04: the practice network

def _practice_loop(network, x, softmax_output):
    """The 5-8-7-5-4-4-2 forward pass with math.exp and loops: sigmoid x3, ReLU x2, then the
    identity or softmax."""
    def layer(v, W, b):
        return [sum(v[i] * W[i][j] for i in range(len(v))) + b[j] for j in range(len(b))]

    z = list(x)
    for i in range(1, 6):
        a = layer(z, network[f"W{i}"], network[f"b{i}"])
        z = [_sig(v) for v in a] if i <= 3 else [max(0.0, v) for v in a]
    scores = layer(z, network["W6"], network["b6"])
    if not softmax_output:
        return scores
    exps = [math.exp(s) for s in scores]
    return [e / sum(exps) for e in exps]


def loop_practice_forward(network, x, output):
    """A correct answer built on _practice_loop: works for one input and for a batch."""
    soft = output is not mnist_lib.identity_function
    x = np.asarray(x)
    rows = [x] if x.ndim == 1 else list(x)
    out = np.array([_practice_loop(network, row, soft) for row in rows])
    return out[0] if x.ndim == 1 else out


def test_practice_network_gives_the_published_outputs():
    # the study notes' homework network: identity [0.12410253 1.04452448], softmax [0.28487193 0.71512807]
    network = checks.practice_network()
    assert [network[f"W{i}"].shape for i in range(1, 7)] == [(5, 8), (8, 7), (7, 5), (5, 4), (4, 4),
                                                           (4, 2)]
    assert np.allclose(_practice_loop(network, checks.PRACTICE_X, False), [0.12410253, 1.04452448])
    assert np.allclose(_practice_loop(network, checks.PRACTICE_X, True), [0.28487193, 0.71512807])
    assert checks.PRACTICE_HIDDEN == ("sigmoid", "sigmoid", "sigmoid", "relu", "relu")


def test_practice_network_is_a_fresh_copy_and_the_input_is_read_only():
    network = checks.practice_network()
    network["W1"][0, 0] = 99.0
    assert checks.practice_network()["W1"][0, 0] == 0.1
    with pytest.raises(ValueError):
        checks.PRACTICE_X[0] = 2.0


def test_practice_forward_pass(feedback):
    feedback.passes(checks.check_practice_forward, loop_practice_forward)


def _practice(hidden=("sigmoid",) * 3 + ("relu",) * 2, out=None, skip_bias=(), order=range(1, 6)):
    """A practice forward pass with a chosen slip, written independently of the check."""
    acts = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "relu": lambda a: np.maximum(a, 0),
            "softmax": _softmax, "none": lambda a: a}

    def f(n, x, output):
        z = x
        for act, i in zip(hidden, order):
            z = acts[act](z @ n[f"W{i}"] + (0 if i in skip_bias else n[f"b{i}"]))
        a = z @ n["W6"] + (0 if 6 in skip_bias else n["b6"])
        return output(a) if out is None else out(output, a)
    return f


@pytest.mark.parametrize("wrong, message", [
    (_practice(hidden=("sigmoid",) * 5), "hint: layer 4 should apply ReLU (yours: the sigmoid)"),
    (_practice(hidden=("sigmoid",) * 2 + ("relu",) * 3),
     "hint: layer 3 should apply the sigmoid (yours: ReLU)"),
    (_practice(hidden=("sigmoid",) * 3 + ("none", "relu")),
     "hint: layer 4 should apply ReLU (yours: no activation)"),
    (_practice(hidden=("relu",) * 2 + ("sigmoid",) * 3), "hint: the hidden activations are in the "
                                                         "wrong order"),
    (_practice(hidden=("sigmoid", "softmax", "sigmoid", "relu", "relu")),
     "layer 2 should apply the sigmoid (yours: softmax); softmax belongs to the output layer only"),
    (_practice(out=lambda output, a: 1 / (1 + np.exp(-a))),
     "hint: the output layer applies the sigmoid; it should apply only output"),
    (_practice(out=lambda output, a: output(1 / (1 + np.exp(-a)))),  # same as the above with
     "hint: the output layer applies the sigmoid"),                    # the identity output
    (_practice(out=lambda output, a: _softmax(a)),
     "hint: the output layer applies softmax, but output is identity_function here"),
    (_practice(skip_bias=(3,)), "hint: layer 3 does not add its bias b3"),
    (_practice(skip_bias=(6,)), "hint: layer 6 does not add its bias b6"),
    (_practice(skip_bias=tuple(range(1, 7))), "hint: the biases are missing"),
    (_practice(order=(2, 1, 3, 4, 5)), "hint: multiply the layers in order"),
    (lambda n, x, output: np.array([0.12410253, 1.04452448]),
     "practice_forward(practice_network(), PRACTICE_X, softmax): 2 of 2 values differ"),
    (lambda n, x, output: None, "is None: did you forget to return a value?"),
])
def test_practice_forward_fail(feedback, wrong, message):
    feedback.fails(checks.check_practice_forward, wrong, says=message)


def test_practice_forward_checks_other_weights(feedback):
    # right only for the given weights: fails on the other network of the same shapes
    def only_the_given_weights(n, x, output):
        return loop_practice_forward(checks.practice_network(), x, output)
    feedback.fails(checks.check_practice_forward, only_the_given_weights,
                   says="other weights of the same shapes")
