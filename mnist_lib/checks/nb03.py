"""The exercises of notebook 03_matrix_products.ipynb: predicted shapes, a layer's output, a shape bug."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import (SHAPE_MISTAKES, Case, CheckResult, Exercise, gives, raises, run_check,
                   shape_questions, when)

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

#: Exercise 1 "predict the shapes": a dict from each product to its shape, or "error".
PRODUCT_SHAPES_EXERCISE = Exercise(
    notebook="03", id="product_shapes", title="predict the shapes", function="answers",
    cases=shape_questions(PRODUCT_SHAPES, _PRODUCT_WHY), report="all",
    mistakes=SHAPE_MISTAKES + (
        when("kept-the-row-axis", "a 1-D vector on the left acts as one row, and NumPy drops that "
             "axis again: the result is 1-D, {want}",
             lambda a: {"want": a.expected} if a.expected != "error" and len(a.expected) == 1
             and isinstance(a.got, (tuple, list)) and tuple(a.got) == (1,) + a.expected else False,
             example={"want": (5,)}),
        when("error-for-a-valid-product", "a product is an error only when the inner sizes differ; "
             "write each product's shapes side by side and compare the two inner numbers",
             lambda a: a.expected != "error" and isinstance(a.got, str)
             and a.got.strip().lower() == "error"),
        when("shape-for-an-error", "compare the inner sizes: (3, 4) @ (2, 3) puts 4 next to 2, and "
             "they differ, so there is no result at all",
             lambda a: a.expected == "error" and isinstance(a.got, (tuple, list))),
    ))


def check_product_shapes(answers: dict) -> CheckResult:
    """Predicted shapes of the products in :data:`PRODUCT_SHAPES` (a tuple each, or "error")."""
    return run_check(PRODUCT_SHAPES_EXERCISE, answers)


#: What NumPy says when the inner sizes of a product differ: np.dot, then the @ operator.
_PRODUCT_ERRORS = ("not aligned", "mismatch in its core dimension")


# --- a layer's output ---------------------------------------------------------------------------------

def _weighted_sums(X, W, b) -> np.ndarray:
    """A layer's weighted sums with plain loops: output j is sum_i x_i W[i, j] + b[j]."""
    def one(x):
        return [sum(x[i] * W[i][j] for i in range(len(x))) + b[j] for j in range(len(b))]
    X = np.asarray(X)
    return np.array(one(X) if X.ndim == 1 else [one(row) for row in X])


_W23 = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
_B3 = np.array([0.1, 0.2, 0.3])
_X32 = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])
_W32 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
_LAYER_ARGS = [((np.array([1.0, 2.0]), _W23, _B3), "one input"),
               ((_X32, _W23, _B3), "a batch of three inputs"),
               ((np.array([1.0, 0.0, -1.0]), _W32, np.array([0.5, -0.5])),
                "another layer: 3 inputs, 2 neurons"),
               ((np.array([[2.0, -1.0]]), _W23, _B3), "a batch of one")]

#: Exercise 2 "compute a layer's output": ``layer(X, W, b) = X @ W + b`` for one input or a batch.
LAYER_OUTPUT = Exercise(
    notebook="03", id="layer_output", title="compute a layer's output", function="layer",
    params=("X", "W", "b"),
    cases=tuple(Case(args, _weighted_sums(*args), edge=edge) for args, edge in _LAYER_ARGS),
    mistakes=(
        gives("missing-bias", "that is X @ W without the bias; add + b", lambda X, W, b: X @ W),
        gives("transposed-output", "rows and columns are swapped; X @ W + b gives one row per "
              "input", lambda X, W, b: (X @ W + b).T if X.ndim == 2 else None),
        raises("elementwise-product", "* multiplies element by element; the weighted sums need the "
               "matrix product, X @ W", ValueError, "could not be broadcast"),
        raises("w-times-x", "X goes on the left: X @ W, with W of shape (inputs, neurons), so that "
               "the inner sizes match", ValueError, _PRODUCT_ERRORS),
    ))


def check_layer_output(layer: Callable) -> CheckResult:
    """``layer(X, W, b)``: the weighted sums ``X @ W + b`` of a layer, for one input or a batch."""
    return run_check(LAYER_OUTPUT, layer)


# --- the shape bug ------------------------------------------------------------------------------------

#: The layer of the shape-bug exercise: 4 inputs, 3 neurons, weights stored one row per neuron.
BUG_W = np.array([[0.1, 0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8], [0.9, -1.0, 1.1, -1.2]])
BUG_B = np.array([0.1, 0.2, 0.3])
BUG_W.setflags(write=False)
BUG_B.setflags(write=False)


def _by_neuron(X) -> np.ndarray:
    """Neuron k uses row k of BUG_W: ``out[n, k] = sum_i X[n, i] BUG_W[k, i] + BUG_B[k]``, in loops."""
    return np.array([[sum(row[i] * BUG_W[k][i] for i in range(4)) + BUG_B[k] for k in range(3)]
                     for row in X])


_BUG_X = [(np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0],
                     [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]]), "one input per weight, and all four"),
          (np.array([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 0.0, 2.0]]), "a batch of two"),
          (np.array([[-2.0, 0.5, 1.0, 3.0]]), "a batch of one")]

#: Exercise 3 "find and fix the shape bug": ``layer_outputs(X) = X @ BUG_W.T + BUG_B``, ``(N, 3)``.
SHAPE_BUG_FIX = Exercise(
    notebook="03", id="shape_bug_fix", title="find and fix the shape bug", function="layer_outputs",
    params=("X",),
    cases=tuple(Case((X,), _by_neuron(X), label=f"layer_outputs(X) for X of shape {X.shape}",
                     edge=edge) for X, edge in _BUG_X),
    mistakes=(
        raises("not-fixed", "for X @ W the last size of X must equal the first size of W; print "
               "X.shape and W.shape to see which one to turn around", ValueError,
               _PRODUCT_ERRORS),
        gives("w-times-x", "one row per input, please: X @ W.T rather than W @ X.T",
              lambda X: (X @ BUG_W.T + BUG_B).T),
        gives("reshape-not-transpose", "reshape keeps the numbers in reading order, so it mixes the "
              "weights of different neurons; the transpose W.T keeps each neuron's weights "
              "together", lambda X: X @ BUG_W.reshape(4, 3) + BUG_B),
        gives("missing-bias", "the bias is missing: add + b", lambda X: X @ BUG_W.T),
    ))


def check_shape_bug_fix(layer_outputs: Callable) -> CheckResult:
    """``layer_outputs(X)``: the fixed layer of :data:`BUG_W` (one row per neuron), :data:`BUG_B`.

    For a batch ``X`` of shape ``(N, 4)`` the answer is ``X @ BUG_W.T + BUG_B``, shape ``(N, 3)``.
    """
    return run_check(SHAPE_BUG_FIX, layer_outputs)


EXERCISES = (PRODUCT_SHAPES_EXERCISE, LAYER_OUTPUT, SHAPE_BUG_FIX)
