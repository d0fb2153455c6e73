"""Checks for the exercises of notebook 03_matrix_products.ipynb."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, _first_wrong_case, _same, _shape_problems, compare, report


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


def check_product_shapes(answers: dict) -> CheckResult:
    """Predicted shapes of the products in :data:`PRODUCT_SHAPES` (a tuple each, or "error")."""
    return report(_shape_problems(answers, PRODUCT_SHAPES, _PRODUCT_WHY))


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


def check_layer_output(layer: Callable) -> CheckResult:
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


def check_shape_bug_fix(layer_outputs: Callable) -> CheckResult:
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
