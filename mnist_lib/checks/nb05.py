"""The exercises of notebook 05_loss_functions.ipynb: the book's mean squared error, cross-entropy of
a batch with integer labels, one-hot rows, and drawing a mini-batch."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, compare, gives, raises, run_check, show, when


def _one_number(what: str, rtol: float = 1e-4) -> Callable[[object, Case], list[str]]:
    """A judge for a loss: one number (not an array), then its value."""
    def judge(got, case: Case) -> list[str]:
        if got is not None and not isinstance(got, (str, bytes)) and np.ndim(got) != 0:
            return [f"{case.label} should be one number ({what}), got an array of shape "
                    f"{np.shape(got)}"]
        return compare(got, case.expected, name=case.label, rtol=rtol)
    return judge


def _number(attempt: Attempt) -> float | None:
    """The learner's answer as one float, when it is one number."""
    if attempt.error is not None or attempt.got is None or np.ndim(attempt.got) != 0:
        return None
    try:
        return float(attempt.got)
    except (TypeError, ValueError):
        return None


# --- Try it 1: the book's mean squared error ----------------------------------------------------------

_BOOK_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
_BOOK_Y_RIGHT = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
_BOOK_Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def _half_sum_of_squares(y, t) -> float:
    return 0.5 * sum((a - b) ** 2 for a, b in zip(y.tolist(), t.tolist()))


_MSE_ARGS = [((_BOOK_Y_RIGHT, _BOOK_T), "for the book's example with 0.6 on the true class 2", ""),
             ((_BOOK_Y_WRONG, _BOOK_T), "for the book's example with 0.6 on class 7", ""),
             ((np.array([0.1, 0.8, 0.1]), np.array([0.0, 1.0, 0.0])),
              "with y = [0.1, 0.8, 0.1] and t = [0, 1, 0]", "3 classes"),
             ((np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])),
              "for a perfect prediction, y = t = [0, 1, 0],", "a loss of exactly 0")]

#: Try it 1: ``mse(y, t) = 0.5 * np.sum((y - t)**2)``, the book's "mean squared error".
MSE = Exercise(
    notebook="05", id="mse", title="the book's mean squared error as a function", function="mse",
    params=("y", "t"),
    cases=tuple(Case(args, _half_sum_of_squares(*args), label=f"mse(y, t) {where}", edge=edge,
                     judge=_one_number("the sum over all classes")) for args, where, edge in _MSE_ARGS),
    mistakes=(
        when("not-added-up", "add the values up with np.sum", lambda a: np.ndim(a.got) > 0),
        gives("no-half", "that is twice the expected value: the book's MSE has a factor 0.5 in front "
              "of the sum", lambda y, t: np.sum((y - t) ** 2)),
        gives("mean-not-sum", "you took the mean over the classes; the book's version adds them up "
              "with np.sum", lambda y, t: 0.5 * np.mean((y - t) ** 2)),
        gives("mean-without-half", "you took the mean over the classes; the book's version is "
              "0.5 * np.sum((y - t)**2)", lambda y, t: np.mean((y - t) ** 2)),
        gives("absolute-not-squared", "square the differences, (y - t)**2, instead of taking their "
              "absolute value", lambda y, t: 0.5 * np.sum(np.abs(y - t))),
        gives("not-squared", "square the differences, (y - t)**2, before adding them up",
              lambda y, t: 0.5 * np.sum(y - t)),
        gives("square-root", "no square root: the book's MSE is 0.5 * np.sum((y - t)**2)",
              lambda y, t: np.sqrt(np.sum((y - t) ** 2))),
    ))


def check_mse(mse: Callable) -> CheckResult:
    """``mse(y, t)`` is the book's mean squared error ``0.5 * np.sum((y - t)**2)``.

    Expected values: the book's two 10-class examples (0.0975 and 0.5975), a 3-class example and a
    perfect prediction (0).
    """
    return run_check(MSE, mse)


# --- Try it 2: cross-entropy of a batch with integer labels -------------------------------------------

_GUARD = 1e-7
_Y3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])


def _mean_minus_log(y, t) -> float:
    """The mean over the rows of -ln(probability of the true class + 1e-7), in plain Python."""
    rows = np.asarray(y).tolist()
    return -sum(math.log(row[k] + _GUARD) for row, k in zip(rows, np.asarray(t).tolist())) / len(rows)


_CE_ARGS = [((_Y3, np.array([0, 1, 1])),
             "with y = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]] and t = [0, 1, 1]", ""),
            ((np.stack([_BOOK_Y_RIGHT, _BOOK_Y_WRONG]), np.array([2, 2])),
             "for the book's two examples as a batch, t = [2, 2]", "10 classes, 2 rows"),
            ((np.array([[0.1, 0.8, 0.1]]), np.array([1])),
             "for a batch of one, y = [[0.1, 0.8, 0.1]] and t = [1]", "a batch of one"),
            ((np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1])),
             "with y = [[0.0, 1.0], [0.5, 0.5]] and t = [0, 1] (probability 0 on a true class)",
             "probability 0 on a true class: the guard")]


def _picked(y, t) -> np.ndarray:
    return np.log(y[np.arange(len(y)), t] + _GUARD)


def _one_hot_formula(attempt: Attempt) -> bool:
    if isinstance(attempt.error, ValueError) and "broadcast" in str(attempt.error):
        return True
    y, t = attempt.args
    return y.shape[1] == len(y) and _number(attempt) is not None and math.isclose(
        _number(attempt), -np.sum(t * np.log(y + _GUARD)) / len(y), rel_tol=1e-6)


def _zero_on_a_true_class(attempt: Attempt) -> bool:
    y, t = attempt.args
    return bool(np.any(y[np.arange(len(y)), t] == 0))


#: Try it 2: ``cross_entropy_labels(y, t)``, the mean of ``-log(y[n, t[n]] + 1e-7)`` over the batch.
CROSS_ENTROPY_BATCH = Exercise(
    notebook="05", id="cross_entropy_batch", title="cross-entropy of a batch with integer labels",
    function="cross_entropy_labels", params=("y", "t"),
    cases=tuple(Case(args, _mean_minus_log(*args), label=f"cross_entropy_labels(y, t) {where}",
                     edge=edge, judge=_one_number("the mean loss over the batch"))
                for args, where, edge in _CE_ARGS),
    mistakes=(
        when("not-added-up", "add the losses of the rows up and divide by N (or take np.mean)",
             lambda a: np.ndim(a.got) > 0),
        when("no-guard", "np.log(0) is minus infinity; add a tiny constant inside the log, "
             "np.log(y + 1e-7), as mnist_lib does",
             lambda a: _number(a) is not None and not math.isfinite(_number(a))),
        gives("sum-not-mean", "that is the sum over the batch; divide by the batch size N = "
              "y.shape[0] to get the mean", lambda y, t: -np.sum(_picked(y, t))),
        gives("sign-flipped", "the sign is wrong: the loss is minus the log, and it is never "
              "negative", lambda y, t: np.sum(_picked(y, t)) / len(y)),
        gives("log10", "use the natural logarithm np.log, not np.log10",
              lambda y, t: -np.sum(_picked(y, t)) / len(y) / np.log(10)),
        gives("whole-columns", "y[:, t] takes whole columns; take one entry per row, the true "
              "class's probability, with y[np.arange(N), t]",
              lambda y, t: -np.sum(np.log(y[:, t] + _GUARD)) / len(y)),
        when("one-hot-formula", "-np.sum(t * np.log(y)) is the formula for one-hot targets; t "
             "holds one label per row here, so take y[np.arange(N), t]", _one_hot_formula),
        gives("every-class", "that adds up the log of every class's probability; take only the "
              "true class's, y[np.arange(N), t]", lambda y, t: -np.sum(np.log(y + _GUARD)) / len(y)),
        when("guard-at-zero", "a true class has probability 0 here; guard the log with the "
             "course's constant, np.log(y + 1e-7), which gives that sample a loss of -log(1e-7) ≈ "
             "16.12", lambda a: _zero_on_a_true_class(a) and _number(a) is not None),
        when("guard-not-1e-7", "close, but not equal: use the course's guard, exactly 1e-7, inside "
             "the log: np.log(y + 1e-7)",
             lambda a: _number(a) is not None and math.isclose(_number(a), a.expected, rel_tol=1e-2)),
    ))


def check_cross_entropy_batch(cross_entropy_labels: Callable) -> CheckResult:
    """``cross_entropy_labels(y, t)``: the mean cross-entropy of a batch ``y: (N, C)`` with integer
    labels ``t: (N,)``, ``-np.sum(np.log(y[np.arange(N), t] + 1e-7)) / N``."""
    return run_check(CROSS_ENTROPY_BATCH, cross_entropy_labels)


# --- Try it 3: one-hot rows ---------------------------------------------------------------------------

_ONE_HOT_ARGS = [((np.array([2, 7, 0]), 10), "three labels of ten classes"),
                 ((np.array([1]), 3), "a batch of one, without the largest class"),
                 ((np.array([0, 0, 1, 2]), 3), "a repeated label, and the last class")]


def _rows(labels, num_classes) -> np.ndarray:
    """One-hot rows in plain Python: 1.0 at column labels[n] of row n."""
    return np.array([[1.0 if k == label else 0.0 for k in range(num_classes)]
                     for label in labels.tolist()])


def _filled(labels, num_classes, where) -> np.ndarray:
    out = np.zeros((len(labels), num_classes))
    out[where(labels)] = 1
    return out


#: Try it 3: ``one_hot(labels, num_classes)``: integer labels ``(N,)`` as one-hot rows ``(N, C)``.
ONE_HOT = Exercise(
    notebook="05", id="one_hot", title="from integer labels to one-hot rows", function="one_hot",
    params=("labels", "num_classes"),
    cases=tuple(Case(args, _rows(*args), label=f"one_hot({show(args[0])}, {args[1]})", edge=edge)
                for args, edge in _ONE_HOT_ARGS),
    mistakes=(
        gives("transposed", "one row per label, so the shape is (N, num_classes)",
              lambda labels, c: _rows(labels, c).T),
        gives("size-from-labels", "give every row num_classes columns: a batch need not hold the "
              "largest class", lambda labels, c: np.eye(labels.max() + 1)[labels]),
        gives("off-by-one", "the 1 of label k goes in column k: columns count from 0",
              lambda labels, c: np.eye(c)[labels - 1]),
        raises("whole-rows", "out[labels] = 1 picks whole rows, one per label value; set one "
               "element per row: out[np.arange(N), labels] = 1", IndexError, "axis 0"),
        gives("whole-columns", "out[:, labels] = 1 fills whole columns; set one element per row: "
              "out[np.arange(N), labels] = 1",
              lambda labels, c: _filled(labels, c, lambda lab: (slice(None), lab))),
    ))


def check_one_hot(one_hot: Callable) -> CheckResult:
    """``one_hot(labels, num_classes)``: integer labels ``(N,)`` as one-hot rows ``(N, num_classes)``."""
    return run_check(ONE_HOT, one_hot)


# --- Try it 4: draw a mini-batch ----------------------------------------------------------------------

_X = np.arange(60 * 4, dtype=np.float64).reshape(60, 4)  # row i is [4i, 4i+1, 4i+2, 4i+3]
_T = np.arange(60) % 10                                   # the label of row i is i % 10
_X5 = _X[:5].copy()                                       # a small x: the last row must come up
_T5 = _T[:5].copy()
_SEEDS_FOR_THE_LAST_ROW = range(20)


def _draw(get_batch, x, t, batch_size, seed):
    return get_batch(x, t, batch_size, np.random.default_rng(seed))


def _rows_of(got, x) -> np.ndarray | None:
    """The row numbers of x that ``x_batch`` holds (row i starts with 4i), or None."""
    try:
        xb = np.asarray(got[0], dtype=float)
    except (TypeError, ValueError, IndexError):
        return None
    if xb.ndim != 2 or xb.shape[1:] != x.shape[1:]:
        return None
    rows = xb[:, 0] / 4
    if not (np.all(rows == np.round(rows)) and np.all((rows >= 0) & (rows < len(x)))):
        return None
    rows = rows.astype(int)
    return rows if np.array_equal(xb, x[rows]) else None


def _batch_problems(got, x, t, batch_size: int) -> list[str]:
    """What is wrong with one ``(x_batch, t_batch)``."""
    if got is None:
        return ["get_batch returned None: did you forget to return x_batch, t_batch?"]
    if not isinstance(got, tuple) or len(got) != 2:
        return [f"get_batch should return two arrays, x_batch, t_batch; got {type(got).__name__}"]
    xb, tb = np.asarray(got[0]), np.asarray(got[1])
    if xb.shape != (batch_size, x.shape[1]) or tb.shape != (batch_size,):
        return [f"with batch_size={batch_size} and x of shape {x.shape}, expected x_batch of shape "
                f"({batch_size}, {x.shape[1]}) and t_batch of shape ({batch_size},), got "
                f"{xb.shape} and {tb.shape}"]
    rows = _rows_of(got, x)
    if rows is None:
        return ["x_batch should hold whole rows of x: index x with the drawn indices, x[idx]"]
    if not np.array_equal(tb, t[rows]):
        return ["t_batch[i] should be the label of x_batch[i]"]
    return []


def _judge_batch(got, case: Case) -> list[str]:
    x, t, batch_size, _ = case.args
    return _batch_problems(got, x, t, batch_size)


def _judge_same_seed(got, case: Case) -> list[str]:
    first, again = got
    x, t, batch_size, _ = case.args
    problems = _batch_problems(first, x, t, batch_size) or _batch_problems(again, x, t, batch_size)
    if problems:
        return problems
    if not np.array_equal(_rows_of(first, x), _rows_of(again, x)):
        return ["two generators with the same seed gave different batches"]
    return []


def _judge_other_seeds(got, case: Case) -> list[str]:
    x, t, batch_size, _ = case.args
    for draw in got:
        problems = _batch_problems(draw, x, t, batch_size)
        if problems:
            return problems
    rows = [_rows_of(draw, x) for draw in got]
    if all(np.array_equal(r, rows[0]) for r in rows[1:]):
        return [f"get_batch picks the same rows whatever the seed (rows {rows[0].tolist()})"]
    return []


def _never_drawn(got, x) -> list[int]:
    seen = set()
    for draw in got:
        seen.update(_rows_of(draw, x).tolist())
    return sorted(set(range(len(x))) - seen)


def _judge_every_row(got, case: Case) -> list[str]:
    x, t, batch_size, _ = case.args
    for draw in got:
        problems = _batch_problems(draw, x, t, batch_size)
        if problems:
            return problems
    missing = _never_drawn(got, x)
    if missing:
        return [f"{len(got)} batches of {batch_size} from an x of {len(x)} rows never drew "
                f"row{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))}"]
    return []


_SAME_SEED = "the same seed twice"
_OTHER_SEEDS = "other seeds"
_EVERY_ROW = "every row, the last one too"

#: Try it 4: ``get_batch(x, t, batch_size, rng)``: rows drawn at random with ``rng``, their labels.
GET_BATCH = Exercise(
    notebook="05", id="get_batch", title="draw a mini-batch", function="get_batch",
    params=("x", "t", "batch_size", "seed"), run=_draw,
    cases=(
        Case((_X, _T, 10, 0), label="get_batch(x, t, 10, rng)", judge=_judge_batch),
        Case((_X, _T, 10, 0), label=_SAME_SEED, judge=_judge_same_seed,
             run=lambda fn, x, t, b, seed: (_draw(fn, x, t, b, seed), _draw(fn, x, t, b, seed))),
        Case((_X, _T, 10, 0), label=_OTHER_SEEDS, judge=_judge_other_seeds,
             run=lambda fn, x, t, b, seed: [_draw(fn, x, t, b, s) for s in (seed, 1, 2, 3)]),
        Case((_X, _T, 3, 5), label="get_batch(x, t, 3, rng)", judge=_judge_batch,
             edge="another batch size"),
        Case((_X, _T, 1, 7), label="get_batch(x, t, 1, rng)", judge=_judge_batch,
             edge="a batch of one"),
        Case((_X5, _T5, 5, 0), label=_EVERY_ROW, judge=_judge_every_row, edge="the last row",
             run=lambda fn, x, t, b, seed: [_draw(fn, x, t, b, s) for s in _SEEDS_FOR_THE_LAST_ROW]),
    ),
    mistakes=(
        when("returns-indices", "return the rows and their labels, x[idx], t[idx], not the indices",
             lambda a: isinstance(a.got, np.ndarray) and a.got.dtype.kind in "iu"),
        when("ignores-batch-size", "draw batch_size rows, the number you are given",
             lambda a: a.case.label.startswith("get_batch") and isinstance(a.got, tuple)
             and len(a.got) == 2 and len(a.got[0]) != a.args[2]),
        when("labels-drawn-separately", "draw the indices once and use them for both, x[idx] and "
             "t[idx]", lambda a: a.problems == ["t_batch[i] should be the label of x_batch[i]"]),
        when("not-the-given-generator", "draw with the generator you are given, rng.choice(...), "
             "not np.random.choice", lambda a: a.case.label == _SAME_SEED),
        when("not-random", "draw the rows at random with rng.choice(len(x), batch_size)",
             lambda a: a.case.label == _OTHER_SEEDS),
        when("never-the-last-row", "the upper end of rng.integers(low, high) is already left out, "
             "so rng.integers(0, len(x) - 1) never draws the last row: use rng.integers(0, len(x), "
             "batch_size) or rng.choice(len(x), batch_size)",
             lambda a: a.case.label == _EVERY_ROW and _never_drawn(a.got, a.args[0]) == [4]),
    ))


def check_get_batch(get_batch: Callable) -> CheckResult:
    """``get_batch(x, t, batch_size, rng)`` returns ``(x_batch, t_batch)``, rows drawn at random.

    Checks the shapes (a batch of one too), that each label stays with its image, that the draw
    uses ``rng`` (the same seed gives the same batch) and that it is random (other seeds, other
    batches), and that every row can come up, the last one too.
    """
    return run_check(GET_BATCH, get_batch)


EXERCISES = (MSE, CROSS_ENTROPY_BATCH, ONE_HOT, GET_BATCH)
