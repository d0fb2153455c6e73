"""Notebook 03: "Exercise 1: predict the shapes", "Exercise 2: compute a layer's output",
"Exercise 3: find and fix the shape bug"."""
import numpy as np

from mnist_lib import checks

from . import right, wrong

# --- Exercise 1: A (2, 3), B (3, 4), x (3,), W (3, 5), X (100, 784), W1 (784, 50) -----------------

PREDICTED = {"A @ B": (2, 4), "B @ A": "error", "x @ W": (5,), "X @ W1": (100, 50), "A @ A.T": (2, 2)}


def predicted(**changes):
    answers = dict(PREDICTED)
    answers.update({key.replace("_at_", " @ ").replace("_T", ".T"): value for key, value in changes.items()})
    return answers


STARTER = {"A @ B": (3, 4), "B @ A": None, "x @ W": None, "X @ W1": None, "A @ A.T": None}

# --- Exercise 2: layer(X, W, b), W of shape (inputs, neurons) --------------------------------------


def layer_loops(X, W, b):
    def one(x):
        return [sum(x[i] * W[i, j] for i in range(W.shape[0])) + b[j] for j in range(W.shape[1])]
    return np.array(one(X) if np.ndim(X) == 1 else [one(x) for x in X])


def layer_einsum(X, W, b):
    return np.einsum("...i,ij->...j", X, W) + b


def layer_per_neuron(X, W, b):  # one neuron at a time: right for one input, columns for a batch
    return np.array([X @ W[:, j] + b[j] for j in range(W.shape[1])])


# --- Exercise 3: W stored one row per neuron, shape (3, 4) -----------------------------------------

W = np.array(checks.BUG_W)
b = np.array(checks.BUG_B)


def by_neuron(X):
    return np.array([[sum(x[i] * W[k, i] for i in range(4)) + b[k] for k in range(3)] for x in X])


ANSWERS = [
    right("03", "product_shapes", dict(PREDICTED), "tuples and error"),
    right("03", "product_shapes", {key: (list(v) if isinstance(v, tuple) else "Error")
                                   for key, v in PREDICTED.items()}, "lists and Error"),
    wrong("03", "product_shapes", "rows-and-columns-swapped", predicted(X_at_W1=(50, 100)),
          "X @ W1 turned around",
          says="X @ W1: expected shape (100, 50), got (50, 100). (100, 784) @ (784, 50)"),
    wrong("03", "product_shapes", "number-not-shape", predicted(x_at_W=5), "5 for a 1-D shape",
          says="x @ W: 5 is a number, not a shape"),
    wrong("03", "product_shapes", "kept-the-row-axis", predicted(x_at_W=(1, 5)), "x as a row (1, 5)",
          says="x @ W: expected shape (5,), got (1, 5)"),
    wrong("03", "product_shapes", "error-for-a-valid-product", {**PREDICTED, "A @ A.T": "error"},
          "A @ A.T as an error", says='A @ A.T: this product works: expected shape (2, 2), got "error"'),
    wrong("03", "product_shapes", "shape-for-an-error", predicted(B_at_A=(3, 3)), "B @ A as (3, 3)",
          says='B @ A: expected "error", got (3, 3)'),
    wrong("03", "product_shapes", "shape-as-text", predicted(A_at_B="(2, 4)"), "the shape in quotes"),
    wrong("03", "product_shapes", None, STARTER, "the starter",
          says=("A @ B: expected shape (2, 4), got (3, 4)",
                'B @ A: no answer yet (replace None with a shape such as (7, 1) or "error")')),
    wrong("03", "product_shapes", None, [(2, 4)], "a list of shapes", says="should be a dict"),

    right("03", "layer_output", lambda X, W, b: X @ W + b, "X @ W + b"),
    right("03", "layer_output", lambda X, W, b: np.dot(X, W) + b, "np.dot"),
    right("03", "layer_output", layer_einsum, "np.einsum"),
    right("03", "layer_output", layer_loops, "plain loops"),
    wrong("03", "layer_output", "missing-bias", lambda X, W, b: X @ W, "the starter's X @ W",
          says="layer(X, W, b) with X = [1., 2.], W of shape (2, 3), b = [0.1, 0.2, 0.3]: 3 of 3 "
               "values differ; at index 0 expected 5.1, got 5"),
    wrong("03", "layer_output", "transposed-output", layer_per_neuron, "one neuron at a time"),
    wrong("03", "layer_output", "elementwise-product", lambda X, W, b: X * W + b, "* for the product"),
    wrong("03", "layer_output", "w-times-x", lambda X, W, b: np.dot(W, X) + b, "W first",
          says="raised ValueError"),
    wrong("03", "layer_output", "w-times-x", lambda X, W, b: W @ X + b, "W @ X"),

    right("03", "shape_bug_fix", lambda X: X @ W.T + b, "X @ W.T + b"),
    right("03", "shape_bug_fix", lambda X: (W @ X.T).T + b, "(W @ X.T).T + b"),
    right("03", "shape_bug_fix", by_neuron, "loops over the neurons"),
    wrong("03", "shape_bug_fix", "not-fixed", lambda X: X @ W + b, "the starter",
          says="layer_outputs(X) for X of shape (5, 4) raised ValueError"),
    wrong("03", "shape_bug_fix", "w-times-x", lambda X: W @ X.T + b[:, None], "W @ X.T",
          says="expected shape (5, 3), got (3, 5)"),
    wrong("03", "shape_bug_fix", "reshape-not-transpose", lambda X: X @ W.reshape(4, 3) + b,
          "reshape for the transpose"),
    wrong("03", "shape_bug_fix", "missing-bias", lambda X: X @ W.T, "the bias forgotten"),
]
