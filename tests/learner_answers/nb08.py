"""Notebook 08: "Try it 1: the SGD update", "Try it 2: iterations per epoch", "Try it 3: choose a
learning rate" (its learning rates are chosen well inside their verdicts, as the notebook's
comparison shows them)."""
import math

import numpy as np

from . import right, wrong

# --- Try it 1: "one step downhill for every key of params" -----------------------------------------


def sgd(params, grads, lr):
    for key in params:
        params[key] -= lr * grads[key]


def sgd_items(params, grads, lr):
    for key, value in params.items():
        np.subtract(value, lr * grads[key], out=value)


def sgd_slice_assign(params, grads, lr):
    for key in params:
        params[key][...] = params[key] - lr * grads[key]


def sgd_starter(params, grads, lr):
    pass


def sgd_new_arrays(params, grads, lr):
    for key in params:
        params[key] = params[key] - lr * grads[key]


def sgd_uphill(params, grads, lr):
    for key in params:
        params[key] += lr * grads[key]


def sgd_no_lr(params, grads, lr):
    for key in params:
        params[key] -= grads[key]


def sgd_weights_only(params, grads, lr):
    for key in ("W1", "W2"):
        params[key] -= lr * grads[key]


def sgd_fixed_rate(params, grads, lr):
    for key in params:
        params[key] -= 0.1 * grads[key]


def sgd_scales_grads(params, grads, lr):
    for key in params:
        grads[key] *= lr
        params[key] -= grads[key]


ANSWERS = [
    right("08", "sgd_update", sgd, "params[key] -= lr * grads[key]"),
    right("08", "sgd_update", sgd_items, "np.subtract with out="),
    right("08", "sgd_update", sgd_slice_assign, "params[key][...] = ..."),
    wrong("08", "sgd_update", "no-update", sgd_starter, "the starter",
          says="sgd_update did not change params: for every key, params[key] -= lr * grads[key]"),
    wrong("08", "sgd_update", "rebinds-arrays", sgd_new_arrays, "params[key] = params[key] - ...",
          says="params['W1'] = ... makes a new array, but the network's layers still hold the old "
               "one: change each array in place"),
    wrong("08", "sgd_update", "uphill", sgd_uphill, "+="),
    wrong("08", "sgd_update", "forgot-lr", sgd_no_lr, "no learning rate"),
    wrong("08", "sgd_update", "skips-some-keys", sgd_weights_only, "the weights only",
          says="params['b1'] did not change"),
    wrong("08", "sgd_update", "fixed-lr", sgd_fixed_rate, "0.1 written in"),
    wrong("08", "sgd_update", "changes-input", sgd_scales_grads, "grads scaled in place",
          says="changed its input grads"),

    right("08", "iterations_per_epoch", lambda n, b: math.ceil(n / b), "math.ceil"),
    right("08", "iterations_per_epoch", lambda n, b: -(-n // b), "floor division of -n"),
    right("08", "iterations_per_epoch", lambda n, b: (n + b - 1) // b, "(n + b - 1) // b"),
    right("08", "iterations_per_epoch", lambda n, b: n // b + (n % b > 0), "one more if a remainder"),
    wrong("08", "iterations_per_epoch", "rounds-down", lambda n, b: n // b, "the starter",
          says=("iterations_per_epoch(60000, 64) should be 938, got 937",
                "iterations_per_epoch(50, 100) should be 1, got 0")),
    wrong("08", "iterations_per_epoch", "returns-float", lambda n, b: n / b, "n / b",
          says="iterations_per_epoch(60000, 100) should be the whole number 600, got the float 600.0"),
    wrong("08", "iterations_per_epoch", "rounds-to-nearest", lambda n, b: round(n / b), "round"),
    wrong("08", "iterations_per_epoch", "one-batch-too-many", lambda n, b: n // b + 1, "n // b + 1"),

    # --- Try it 3: "a learning rate that reaches 80% in 300 iterations" -----------------------------
    right("08", "training_lr", 0.3, "0.3"),
    right("08", "training_lr", 0.5, "0.5, as in the comparison"),
    right("08", "training_lr", 0.2, "0.2"),
    wrong("08", "training_lr", "crawls", 0.001, "the starter",
          says="the validation accuracy after 300 iterations is 27.1%, below the goal of 80%"),
    wrong("08", "training_lr", "crawls", 0.01, "the smallest of the comparison",
          says="crawled: validation accuracy"),
    wrong("08", "training_lr", "stalls", 3.0, "the stalled run of the comparison",
          says="stalled: it stopped learning"),
    wrong("08", "training_lr", "unstable", 1.1, "just past the largest that trains",
          says=("but the run is unstable", "unstable: it learns")),
    wrong("08", "training_lr", "diverges", 100.0, "far too large", says="diverged at iteration"),
    wrong("08", "training_lr", "not-a-number", "0.1", "in quotes", says="lr should be a number"),
]
