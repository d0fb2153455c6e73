"""Instant feedback for the notebooks' "Try it" exercises.

Every check prints what is wrong, phrased for a beginner ("expected shape (2, 3), got (3, 2)",
"NAND(1, 1) should be 0, got 1"), or "All tests passed", and returns True when it passed.
The shared helpers are :func:`compare` (type, shape, dtype, values) and :func:`check_cases`
(a function against a table of inputs and expected outputs); each exercise's check is a few
lines on top of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

PASSED = "All tests passed"


def report(problems: list[str]) -> bool:
    """Print every problem (or "All tests passed") and return True when there were none."""
    if problems:
        for p in problems:
            print("✗", p)
        return False
    print("✓", PASSED)
    return True


def compare(got, expected, name: str = "your result", rtol: float = 1e-5, atol: float = 1e-8) -> list[str]:
    """Differences between ``got`` and ``expected``: type, shape, kind of dtype, then values.

    ``expected`` may be a number, a bool, a sequence or an array. Returns a list of sentences
    (empty when they agree).
    """
    if got is None:
        return [f"{name} is None: did you forget to return a value?"]
    if isinstance(expected, (bool, np.bool_)):
        return [] if bool(got) == bool(expected) and np.ndim(got) == 0 else [f"{name} should be {expected}, got {got!r}"]
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        return [f"{name} should be a NumPy array, got {type(got).__name__} (wrap it in np.array)"]
    try:
        got_a = np.asarray(got)
        exp_a = np.asarray(expected)
    except (ValueError, TypeError) as err:
        return [f"{name} cannot be read as an array ({err})"]
    if got_a.dtype == object or not (np.issubdtype(got_a.dtype, np.number) or got_a.dtype == bool):
        return [f"{name} should hold numbers, got {got!r}"]
    if got_a.shape != exp_a.shape:
        return [f"{name}: expected shape {exp_a.shape}, got {got_a.shape}"]
    if np.issubdtype(exp_a.dtype, np.integer) and not np.issubdtype(got_a.dtype, np.integer):
        if np.all(np.isfinite(got_a)) and np.array_equal(got_a, exp_a):
            return [f"{name} has the right values but dtype {got_a.dtype}; expected integers "
                    f"(use .astype(np.int64))"]
    if not np.allclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=False):
        if got_a.ndim == 0:
            return [f"{name} should be {_fmt(exp_a)}, got {_fmt(got_a)}"]
        bad = ~np.isclose(got_a, exp_a, rtol=rtol, atol=atol)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        return [f"{name}: {int(bad.sum())} of {bad.size} values differ; at index {where} "
                f"expected {_fmt(exp_a[first])}, got {_fmt(got_a[first])}"]
    return []


def check_cases(fn: Callable, cases: Iterable[tuple[tuple, object]], name: str | None = None,
                **tolerance) -> list[str]:
    """Call ``fn(*args)`` for each ``(args, expected)`` and describe every wrong answer or error."""
    name = name or getattr(fn, "__name__", "your function")
    problems = []
    for args, expected in cases:
        call = f"{name}({', '.join(_fmt(a) for a in args)})"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        problems += compare(got, expected, name=call, **tolerance)
    return problems


def _fmt(value) -> str:
    """Short, readable text for a number or array."""
    a = np.asarray(value)
    if a.ndim == 0:
        v = a.item()
        return f"{v:.6g}" if isinstance(v, float) else repr(v)
    return np.array2string(a, precision=6, separator=", ", threshold=20)


# ---------------------------------------------------------------------------------------------
# 01_perceptrons
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 02_activation_functions
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 03_matrix_products
# ---------------------------------------------------------------------------------------------

#: The shape quiz: each product of arrays with these shapes, and its result ("error" if none).
#: A (2, 3), B (3, 4), x (3,), W (3, 5), X (100, 784), W1 (784, 50).
PRODUCT_SHAPES = {"A @ B": (2, 4), "B @ A": "error", "x @ W": (5,), "X @ W1": (100, 50),
                  "A @ A.T": (2, 2)}
_PRODUCT_WHY = {
    "A @ B": "(2, 3) @ (3, 4): the inner 3s match; the result keeps A's 2 rows and B's 4 columns",
    "B @ A": "(3, 4) @ (2, 3): the inner sizes 4 and 2 differ, so NumPy raises an error",
    "x @ W": "(3,) @ (3, 5): a 1-D vector on the left acts as one row, and the result is 1-D again",
    "X @ W1": "(100, 784) @ (784, 50): one row of 50 outputs for each of the 100 inputs",
    "A @ A.T": "A.T turns (2, 3) into (3, 2), and (2, 3) @ (3, 2) gives (2, 2)",
}


def _shape_problems(answers, expected: dict, why: dict | None = None) -> list[str]:
    """Compare a dict of predicted shapes (tuples, or "error") with the expected ones."""
    if not isinstance(answers, dict):
        return [f"the answers should be a dict such as {{'A @ B': (7, 1)}}, "
                f"got {type(answers).__name__}"]
    allow_error = "error" in expected.values()
    example = '(7, 1)' + (' or "error"' if allow_error else "")
    problems = []
    for key, want in expected.items():
        because = f". {why[key]}" if why and key in why else ""
        if key not in answers:
            problems.append(f"{key}: no answer (the key {key!r} is missing from the dict)")
            continue
        got = answers[key]
        if got is None:
            problems.append(f"{key}: no answer yet (replace None with a shape such as {example})")
        elif isinstance(got, str):
            if got.strip().lower() != "error":
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
            elif want != "error":
                what = "product" if allow_error else "step"
                problems.append(f"{key}: this {what} works: expected shape {want}, "
                                f"got \"error\"{because}")
        elif isinstance(got, (int, np.integer)):
            problems.append(f"{key}: {got} is a number, not a shape; a shape is a tuple, and a 1-D "
                            f"shape needs a comma: ({got},)")
        else:
            try:
                got = tuple(int(n) for n in got)
            except (TypeError, ValueError):
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
                continue
            if want == "error":
                problems.append(f"{key}: expected \"error\", got {got}{because}")
            elif got != want:
                turned = want[::-1]
                swapped = ", rows and columns swapped" if turned != want and got == turned else ""
                problems.append(f"{key}: expected shape {want}, got {got}{swapped}{because}")
    return problems


def check_product_shapes(answers: dict) -> bool:
    """Predicted shapes of the products in :data:`PRODUCT_SHAPES` (a tuple each, or "error")."""
    return report(_shape_problems(answers, PRODUCT_SHAPES, _PRODUCT_WHY))


def _arg_text(name: str, value) -> str:
    """``x = [1., 2.]`` for a short vector, ``W of shape (2, 3)`` for anything bigger."""
    a = np.asarray(value)
    return f"{name} = {_fmt(a)}" if a.ndim <= 1 and a.size <= 6 else f"{name} of shape {a.shape}"


def _first_wrong_case(fn: Callable, fname: str, argnames: tuple[str, ...], cases):
    """Like :func:`check_cases`, but names the arguments briefly and stops at the first wrong case.

    Returns ``(problems, got, args, expected)`` of that case (``got`` is None when it raised), or
    ``([], None, None, None)`` when every case is right.
    """
    for args, expected in cases:
        call = f"{fname}({', '.join(argnames)}) with " + ", ".join(
            _arg_text(n, a) for n, a in zip(argnames, args))
        try:
            got = fn(*[np.array(a, copy=True) for a in args])
        except Exception as err:  # the student's code: report, do not crash
            return [f"{call} raised {type(err).__name__}: {err}"], None, args, expected
        problems = compare(got, expected, name=call)
        if problems:
            return problems, got, args, expected
    return [], None, None, None


def _same(got, expected) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and np.allclose(got, expected)


_W23 = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
_B3 = np.array([0.1, 0.2, 0.3])
_X32 = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])
#: ``layer(X, W, b)`` cases: one input, a batch of three, another layer (3 inputs, 2 neurons).
LAYER_CASES = [
    ((np.array([1.0, 2.0]), _W23, _B3), np.array([5.1, 11.2, 17.3])),
    ((_X32, _W23, _B3), np.array([[5.1, 11.2, 17.3], [2.1, 4.2, 6.3], [0.1, -0.8, -1.7]])),
    ((np.array([1.0, 0.0, -1.0]), np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
      np.array([0.5, -0.5])), np.array([-3.5, -4.5])),
]


def check_layer_output(layer: Callable) -> bool:
    """``layer(X, W, b)``: the weighted sums ``X @ W + b`` of a layer, for one input or a batch."""
    problems, got, args, expected = _first_wrong_case(layer, "layer", ("X", "W", "b"), LAYER_CASES)
    if got is not None:
        X, W, b = args
        if _same(got, X @ W):
            problems.append("hint: that is X @ W without the bias; add + b")
        elif np.ndim(expected) == 2 and _same(got, expected.T):
            problems.append("hint: rows and columns are swapped; X @ W + b gives one row per input")
    return report(problems)


#: The layer of the shape-bug exercise: 4 inputs, 3 neurons, weights stored one row per neuron.
BUG_W = np.array([[0.1, 0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8], [0.9, -1.0, 1.1, -1.2]])
BUG_B = np.array([0.1, 0.2, 0.3])
_BUG_X = [np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0],
                    [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]]),
          np.array([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 0.0, 2.0]])]


def check_shape_bug_fix(layer_outputs: Callable) -> bool:
    """``layer_outputs(X)``: the fixed layer of :data:`BUG_W` (one row per neuron), :data:`BUG_B`.

    For a batch ``X`` of shape ``(N, 4)`` the answer is ``X @ BUG_W.T + BUG_B``, shape ``(N, 3)``.
    """
    problems = []
    for X in _BUG_X:
        call = f"layer_outputs(X) for X of shape {X.shape}"
        try:
            got = layer_outputs(X.copy())
        except Exception as err:  # the student's code
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            if isinstance(err, ValueError):
                problems.append("hint: for X @ W the last size of X must equal the first size "
                                "of W; print X.shape and W.shape to see which one to turn around")
            break
        expected = X @ BUG_W.T + BUG_B
        found = compare(got, expected, name=call)
        if found and _same(got, expected.T):
            found = [f"{call}: expected shape {expected.shape}, got {expected.T.shape}: one row "
                     f"per input, please (X @ W.T rather than W @ X.T)"]
        elif found and _same(got, X @ BUG_W.reshape(4, 3) + BUG_B):
            found.append("hint: reshape keeps the numbers in reading order, so it mixes the "
                         "weights of different neurons; the transpose W.T keeps each neuron's "
                         "weights together")
        problems += found
        if found:
            break
    return report(problems)


# ---------------------------------------------------------------------------------------------
# 04_three_layer_forward_pass
# ---------------------------------------------------------------------------------------------

from .functions import sigmoid, softmax  # noqa: E402  (this section's reference functions)
from .networks import forward, init_network  # noqa: E402


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


def check_forward_by_hand(my_forward: Callable) -> bool:
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


def check_batch_shapes(shapes: dict) -> bool:
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


def check_batch_accuracy(batch_accuracy: Callable) -> bool:
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


# ---------------------------------------------------------------------------------------------
# 05_loss_functions
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 06_numerical_gradients
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 07_backpropagation
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 08_training
# ---------------------------------------------------------------------------------------------
