"""Notebook 05: "Try it 1: the book's mean squared error as a function", "Try it 2: cross-entropy of
a batch with integer labels", "Try it 3: from integer labels to one-hot rows", "Try it 4: draw a
mini-batch"."""
import math

import numpy as np

from . import right, wrong

# --- Try it 1: half the sum of squares, one number ---------------------------------------------------


def mse_loop(y, t):
    return 0.5 * sum((a - b) ** 2 for a, b in zip(y, t))


def mse_in_place(y, t):
    y -= t
    return 0.5 * np.sum(y ** 2)


# --- Try it 2: the mean over the batch of -log(y_true + 1e-7) ----------------------------------------

def ce_starter(y, t):
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7))


def ce_mean(y, t):
    return np.mean(-np.log(y[np.arange(len(y)), t] + 1e-7))


def ce_loop(y, t):
    return -sum(math.log(row[k] + 1e-7) for row, k in zip(y, t)) / len(t)


def ce_take_along(y, t):
    picked = np.take_along_axis(y, t[:, None], axis=1)
    return -np.log(picked + 1e-7).mean()


def ce_picking(guard):
    return lambda y, t: -np.sum(np.log(y[np.arange(len(y)), t] + guard)) / len(y)


def ce_unguarded(y, t):
    with np.errstate(divide="ignore"):
        return -np.sum(np.log(y[np.arange(len(y)), t])) / len(y)


def ce_guard_in_place(y, t):
    y += 1e-7
    return -np.sum(np.log(y[np.arange(len(y)), t])) / len(y)


# --- Try it 3: one-hot rows ------------------------------------------------------------------------------

def one_hot_zeros(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    out[np.arange(len(labels)), labels] = 1
    return out


def one_hot_loop(labels, num_classes):
    rows = []
    for label in labels:
        row = [0] * num_classes
        row[label] = 1
        rows.append(row)
    return np.array(rows)


def one_hot_rows_indexed(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    out[labels] = 1
    return out


def one_hot_columns_indexed(labels, num_classes):
    out = np.zeros((len(labels), num_classes))
    out[:, labels] = 1
    return out


# --- Try it 4: batch_size random rows of x and their labels, drawn with rng ----------------------------

def batch_choice(x, t, batch_size, rng):
    idx = rng.choice(len(x), batch_size)
    return x[idx], t[idx]


def batch_integers(x, t, batch_size, rng):
    idx = rng.integers(0, len(x), size=batch_size)
    return x[idx], t[idx]


def batch_permutation(x, t, batch_size, rng):
    idx = rng.permutation(len(x))[:batch_size]
    return x[idx], t[idx]


def batch_starter(x, t, batch_size, rng):
    x_batch = x[rng.choice(len(x), batch_size)]
    t_batch = t[rng.choice(len(x), batch_size)]
    return x_batch, t_batch


def batch_global_numpy(x, t, batch_size, rng):
    idx = np.random.choice(len(x), batch_size)
    return x[idx], t[idx]


def batch_first_rows(x, t, batch_size, rng):
    return x[:batch_size], t[:batch_size]


def batch_last_index(x, t, batch_size, rng):  # "the last index is len(x) - 1"
    idx = rng.integers(0, len(x) - 1, size=batch_size)
    return x[idx], t[idx]


def batch_of_ten(x, t, batch_size, rng):
    idx = rng.choice(len(x), 10)
    return x[idx], t[idx]


def batch_indices(x, t, batch_size, rng):
    return rng.choice(len(x), batch_size)


def batch_shuffle_in_place(x, t, batch_size, rng):  # shuffle the data, take the first rows
    order = rng.permutation(len(x))
    x[:], t[:] = x[order], t[order]
    return x[:batch_size], t[:batch_size]


ANSWERS = [
    right("05", "mse", lambda y, t: 0.5 * np.sum((y - t) ** 2), "the book's formula"),
    right("05", "mse", lambda y, t: 0.5 * (y - t) @ (y - t), "a dot product"),
    right("05", "mse", mse_loop, "a loop"),
    wrong("05", "mse", None, lambda y, t: None, "the starter",
          says="mse(y, t) for the book's example with 0.6 on the true class 2 is None: did you "
               "forget to return a value?"),
    wrong("05", "mse", "no-half", lambda y, t: np.sum((y - t) ** 2), "no factor 0.5"),
    wrong("05", "mse", "mean-not-sum", lambda y, t: 0.5 * np.mean((y - t) ** 2), "a mean, halved"),
    wrong("05", "mse", "mean-without-half", lambda y, t: np.mean((y - t) ** 2), "a plain mean"),
    wrong("05", "mse", "absolute-not-squared", lambda y, t: 0.5 * np.sum(np.abs(y - t)), "abs"),
    wrong("05", "mse", "not-squared", lambda y, t: 0.5 * np.sum(y - t), "differences not squared"),
    wrong("05", "mse", "square-root", lambda y, t: np.sqrt(np.sum((y - t) ** 2)), "a distance"),
    wrong("05", "mse", "not-added-up", lambda y, t: 0.5 * (y - t) ** 2, "not added up",
          says="should be one number (the sum over all classes), got an array of shape (10,)"),
    wrong("05", "mse", "changes-input", mse_in_place, "y -= t"),

    right("05", "cross_entropy_batch", ce_picking(1e-7), "the starter divided by N"),
    right("05", "cross_entropy_batch", ce_mean, "np.mean"),
    right("05", "cross_entropy_batch", ce_loop, "math.log in a loop"),
    right("05", "cross_entropy_batch", ce_take_along, "np.take_along_axis"),
    wrong("05", "cross_entropy_batch", "sum-not-mean", ce_starter, "the starter",
          says="cross_entropy_labels(y, t) with y = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, "
               "0.6]] and t = [0, 1, 1] should be 0.729752, got 2.18926"),
    wrong("05", "cross_entropy_batch", "sign-flipped",
          lambda y, t: np.sum(np.log(y[np.arange(len(y)), t] + 1e-7)) / len(y), "no minus"),
    wrong("05", "cross_entropy_batch", "log10",
          lambda y, t: -np.sum(np.log10(y[np.arange(len(y)), t] + 1e-7)) / len(y), "np.log10"),
    wrong("05", "cross_entropy_batch", "whole-columns",
          lambda y, t: -np.sum(np.log(y[:, t] + 1e-7)) / len(y), "y[:, t]"),
    wrong("05", "cross_entropy_batch", "one-hot-formula",
          lambda y, t: -np.sum(t * np.log(y + 1e-7)) / len(y), "the one-hot formula"),
    wrong("05", "cross_entropy_batch", "every-class",
          lambda y, t: -np.sum(np.log(y + 1e-7)) / len(y), "every class's log"),
    wrong("05", "cross_entropy_batch", "no-guard", ce_unguarded, "no 1e-7"),
    wrong("05", "cross_entropy_batch", "guard-not-1e-7", ce_picking(1e-3), "a guard of 1e-3"),
    wrong("05", "cross_entropy_batch", "guard-at-zero", ce_picking(1e-9), "a guard of 1e-9"),
    wrong("05", "cross_entropy_batch", "not-added-up",
          lambda y, t: -np.log(y[np.arange(len(y)), t] + 1e-7), "one loss per row",
          says="should be one number (the mean loss over the batch), got an array of shape (3,)"),
    wrong("05", "cross_entropy_batch", "changes-input", ce_guard_in_place, "y += 1e-7"),

    right("05", "one_hot", lambda labels, c: np.eye(c)[labels], "rows of np.eye"),
    right("05", "one_hot", one_hot_zeros, "np.zeros and one element per row"),
    right("05", "one_hot", lambda labels, c: (np.arange(c) == labels[:, None]).astype(np.int64),
          "a comparison"),
    right("05", "one_hot", one_hot_loop, "a loop over the labels"),
    wrong("05", "one_hot", None, lambda labels, c: None, "the starter",
          says="one_hot([2, 7, 0], 10) is None: did you forget to return a value?"),
    wrong("05", "one_hot", "transposed", lambda labels, c: np.eye(c)[labels].T, "transposed",
          says="one_hot([2, 7, 0], 10): expected shape (3, 10), got (10, 3)"),
    wrong("05", "one_hot", "size-from-labels", lambda labels, c: np.eye(labels.max() + 1)[labels],
          "as many columns as the largest label"),
    wrong("05", "one_hot", "off-by-one", lambda labels, c: np.eye(c)[labels - 1], "labels - 1"),
    wrong("05", "one_hot", "whole-rows", one_hot_rows_indexed, "out[labels] = 1"),
    wrong("05", "one_hot", "whole-columns", one_hot_columns_indexed, "out[:, labels] = 1"),

    right("05", "get_batch", batch_choice, "rng.choice"),
    right("05", "get_batch", batch_integers, "rng.integers up to len(x)"),
    right("05", "get_batch", batch_permutation, "a permutation, no repeats"),
    wrong("05", "get_batch", "labels-drawn-separately", batch_starter, "the starter",
          says="t_batch[i] should be the label of x_batch[i]"),
    wrong("05", "get_batch", "not-the-given-generator", batch_global_numpy, "np.random.choice",
          says="two generators with the same seed gave different batches"),
    wrong("05", "get_batch", "not-random", batch_first_rows, "the first rows",
          says="get_batch picks the same rows whatever the seed"),
    wrong("05", "get_batch", "never-the-last-row", batch_last_index, "len(x) - 1 as the top",
          says="20 batches of 5 from an x of 5 rows never drew row 4"),
    wrong("05", "get_batch", "ignores-batch-size", batch_of_ten, "always 10 rows",
          says="expected x_batch of shape (3, 4)"),
    wrong("05", "get_batch", "returns-indices", batch_indices, "returns the indices",
          says="should return two arrays"),
    wrong("05", "get_batch", "changes-input", batch_shuffle_in_place, "shuffles x and t in place"),
]
