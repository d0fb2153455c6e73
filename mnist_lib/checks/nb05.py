"""Checks for the exercises of notebook 05_loss_functions.ipynb."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .core import CheckResult, _first_wrong_answer, _fmt, compare, report


_BOOK_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
_BOOK_Y_RIGHT = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
_BOOK_Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def check_mse(fn: Callable) -> CheckResult:
    """Exercise: ``fn(y, t)`` is the book's mean squared error ``0.5 * np.sum((y - t)**2)``.

    Expected values: the book's two 10-class examples (0.0975 and 0.5975), a 3-class example and
    a perfect prediction (0).
    """
    def hints(y, t):
        d = np.asarray(y, dtype=float) - np.asarray(t, dtype=float)
        return [
            (np.sum(d ** 2), "that is twice the expected value: the book's MSE has a factor 0.5 "
                             "in front of the sum"),
            (0.5 * np.mean(d ** 2), "you took the mean over the classes; the book's version adds "
                                    "them up with np.sum"),
            (np.mean(d ** 2), "you took the mean over the classes; the book's version is "
                              "0.5 * np.sum((y - t)**2)"),
            (0.5 * np.sum(np.abs(d)), "square the differences, (y - t)**2, instead of taking "
                                      "their absolute value"),
            (0.5 * np.sum(d), "square the differences, (y - t)**2, before adding them up"),
            (np.sqrt(np.sum(d ** 2)), "no square root: the book's MSE is 0.5 * np.sum((y - t)**2)"),
        ]
    cases = [
        ((_BOOK_Y_RIGHT, _BOOK_T), 0.0975, "(y, t) for the book's example with 0.6 on the true class 2"),
        ((_BOOK_Y_WRONG, _BOOK_T), 0.5975, "(y, t) for the book's example with 0.6 on class 7"),
        ((np.array([0.1, 0.8, 0.1]), np.array([0.0, 1.0, 0.0])), 0.03,
         "([0.1, 0.8, 0.1], [0, 1, 0])"),
        ((np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])), 0.0,
         "([0, 1, 0], [0, 1, 0]), a perfect prediction,"),
    ]
    return report(_first_wrong_answer(fn, cases, getattr(fn, "__name__", "your function"), hints,
                                    scalar="the sum over all classes"))


def check_cross_entropy_batch(fn: Callable) -> CheckResult:
    """Exercise: ``fn(y, t)``, the mean cross-entropy of a batch ``y: (N, C)`` with integer labels ``t: (N,)``.

    It should be ``-np.sum(np.log(y[np.arange(N), t] + 1e-7)) / N``. Wrong answers that match a
    typical mistake (the sum instead of the mean, a missing minus sign, log10, ``y[:, t]``, the
    one-hot formula, no guard against log(0)) get advice on that mistake.
    """
    def hints(y, t):
        y, t = np.asarray(y, dtype=float), np.asarray(t)
        n = len(y)
        picked = np.log(y[np.arange(n), t] + 1e-7)
        with np.errstate(all="ignore"):
            columns = -np.sum(np.log(y[:, t] + 1e-7)) / n
            one_hot_formula = -np.sum(t * np.log(y + 1e-7)) / n if y.shape[1] == n else np.nan
        return [
            ("not finite", "np.log(0) is minus infinity; add a tiny constant inside the log, "
                           "np.log(y + 1e-7), as mnist_lib does"),
            ("close", "close, but not equal: use the course's guard, exactly 1e-7, inside the "
                      "log: np.log(y + 1e-7)"),
            (-np.sum(picked), "that is the sum over the batch; divide by the batch size "
                              "N = y.shape[0] to get the mean"),
            (np.sum(picked) / n, "the sign is wrong: the loss is minus the log, and it is "
                                 "never negative"),
            (-np.sum(picked) / n / np.log(10), "use the natural logarithm np.log, not np.log10"),
            (columns, "y[:, t] takes whole columns; take one entry per row, the true class's "
                      "probability, with y[np.arange(N), t]"),
            (one_hot_formula, "-np.sum(t * np.log(y)) is the formula for one-hot targets; with "
                              "integer labels take y[np.arange(N), t]"),
        ] + ([("otherwise", "a true class has probability 0 here; guard the log with the course's "
                            "constant, np.log(y + 1e-7), which gives that sample a loss of "
                            "-log(1e-7) ≈ 16.12")] if np.any(y[np.arange(n), t] == 0) else [])
    y3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    # Expected values from the definition: the mean of -ln(probability of the true class).
    cases = [
        ((y3, np.array([0, 1, 2])), -(np.log(0.7) + np.log(0.8) + np.log(0.6)) / 3,
         "(y, t) with y = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]] and t = [0, 1, 2]"),
        ((np.stack([_BOOK_Y_RIGHT, _BOOK_Y_WRONG]), np.array([2, 2])),
         -(np.log(0.6) + np.log(0.1)) / 2, "(y, t) for the book's two examples as a batch, t = [2, 2]"),
        ((np.array([[0.1, 0.8, 0.1]]), np.array([1])), -np.log(0.8),
         "(y, t) for a batch of one, y = [[0.1, 0.8, 0.1]] and t = [1]"),
        ((np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1])), -(np.log(1e-7) + np.log(0.5)) / 2,
         "(y, t) with y = [[0.0, 1.0], [0.5, 0.5]] and t = [0, 1] (probability 0 on a true class)"),
    ]

    def safe_fn(y, t):  # a broadcasting error from the one-hot formula gets a hint of its own
        try:
            return fn(y, t)
        except ValueError as err:
            if "broadcast" in str(err):
                raise ValueError(f"{err} (t holds one label per row, not one-hot rows: take "
                                 f"y[np.arange(N), t])") from None
            raise
    return report(_first_wrong_answer(safe_fn, cases, getattr(fn, "__name__", "your function"),
                                    hints, scalar="the mean loss over the batch"))


def check_one_hot(fn: Callable) -> CheckResult:
    """Exercise: ``fn(labels, num_classes)``, integer labels ``(N,)`` as one-hot rows ``(N, num_classes)``."""
    name = getattr(fn, "__name__", "your function")
    cases = [
        ((np.array([2, 7, 0]), 10), np.eye(10)[[2, 7, 0]]),
        ((np.array([1]), 3), np.array([[0.0, 1.0, 0.0]])),
        ((np.array([0, 0, 1, 2]), 3), np.array([[1.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])),
    ]
    problems = []
    for args, expected in cases:
        call = f"{name}({_fmt(args[0])}, {args[1]})"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            return report([f"{call} raised {type(err).__name__}: {err}"])
        problems = compare(got, expected, name=call)
        if problems:
            if np.shape(got) == expected.T.shape and expected.shape[0] != expected.shape[1]:
                problems[0] += ": one row per label, so the shape is (N, num_classes)"
            break
    return report(problems)


def check_get_batch(fn: Callable) -> CheckResult:
    """Exercise: ``fn(x, t, batch_size, rng)`` returns ``(x_batch, t_batch)``, rows drawn at random.

    Checks the shapes, that each label stays with its image, that the draw uses ``rng`` (the
    same seed gives the same batch) and that it is random (other seeds, other batches).
    """
    name = getattr(fn, "__name__", "your function")
    x = np.arange(60 * 4, dtype=np.float64).reshape(60, 4)  # row i is [4i, 4i+1, 4i+2, 4i+3]
    t = np.arange(60) % 10                                   # the label of row i is i % 10

    def draw(batch_size, seed):
        try:
            out = fn(x, t, batch_size, np.random.default_rng(seed))
        except Exception as err:  # the student's code: report, do not crash
            return None, f"{name}(x, t, {batch_size}, rng) raised {type(err).__name__}: {err}"
        if out is None:
            return None, f"{name} returned None: did you forget to return x_batch, t_batch?"
        if not isinstance(out, tuple) or len(out) != 2:
            return None, f"{name} should return two arrays, x_batch, t_batch; got {type(out).__name__}"
        xb, tb = np.asarray(out[0]), np.asarray(out[1])
        if xb.shape != (batch_size, 4) or tb.shape != (batch_size,):
            return None, (f"with batch_size={batch_size} and x of shape {x.shape}, expected x_batch "
                          f"of shape ({batch_size}, 4) and t_batch of shape ({batch_size},), got "
                          f"{xb.shape} and {tb.shape}")
        rows = xb[:, 0] / 4
        if not (np.all(rows == np.round(rows)) and np.all((rows >= 0) & (rows < len(x)))
                and np.array_equal(xb, x[np.clip(rows, 0, len(x) - 1).astype(int)])):
            return None, "x_batch should hold whole rows of x: index x with the drawn indices, x[idx]"
        if not np.array_equal(tb, t[rows.astype(int)]):
            return None, ("t_batch[i] should be the label of x_batch[i]: draw the indices once "
                          "and use them for both, x[idx] and t[idx]")
        return rows.astype(int), None

    first, problem = draw(10, 0)
    if problem:
        return report([problem])
    again, problem = draw(10, 0)
    if problem or not np.array_equal(first, again):
        return report([problem or "two generators with the same seed gave different batches: draw "
                       "with the generator you are given, rng.choice(...), not np.random.choice"])
    others = [draw(10, seed)[0] for seed in (1, 2, 3)]
    if all(o is not None and np.array_equal(o, first) for o in others):
        return report([f"{name} picks the same rows whatever the seed (rows {first.tolist()}): "
                       "draw them at random with rng.choice(len(x), batch_size)"])
    _, problem = draw(3, 5)
    return report([problem] if problem else [])
