"""Checks for the exercises of notebook 10_look_inside.ipynb."""
from __future__ import annotations

import numpy as np

from .core import CheckResult, _first_match, compare, report


def _pair(got, call: str, what: str) -> tuple[list[str], tuple | None]:
    """``got`` as a pair of numbers, or the sentence saying why it is not one."""
    if got is None:
        return [f"{call} returned None: did you forget to return a value?"], None
    try:
        a, b = got
        return [], (float(a), float(b))
    except (TypeError, ValueError):
        return [f"{call} should return two numbers {what}, got {got!r}"], None


def check_centre_of_mass(centre_of_mass) -> CheckResult:
    """Exercise "find the centre of mass": ``centre_of_mass(image)`` returns ``(row, column)``.

    Each pixel counts as much as its ink: ``row = sum(r * image[r, c]) / sum(image)`` with ``r``
    the row index (the same for the column). Diagnoses swapped coordinates, a forgotten division,
    ink pixels counted equally, the middle of the bounding box, and a shift by half a pixel.
    """
    tall = np.zeros((6, 5))
    tall[1, 1], tall[4, 1], tall[4, 3] = 1.0, 0.5, 0.5
    grey = np.zeros((8, 8))
    grey[2:7, 3] = [1.0, 1.0, 0.2, 0.2, 0.2]
    grey[2, 4:7] = 1.0
    cases = [("one bright pixel at row 2, column 5", np.eye(1, 7 * 9, 2 * 9 + 5).reshape(7, 9)),
             ("three pixels, one brighter", tall), ("a faint stroke and a bright one", grey)]
    for where, image in cases:
        call = f"centre_of_mass(image) for {where}"
        rows, cols = np.indices(image.shape)
        total = image.sum()
        expected = ((rows * image).sum() / total, (cols * image).sum() / total)
        try:
            got = centre_of_mass(image.copy())
        except Exception as err:  # the student's code: report, do not crash
            return report([f"{call} raised {type(err).__name__}: {err}"])
        problems, pair = _pair(got, call, "(row, column)")
        if problems:
            return report(problems)
        problems = compare(np.array(pair), np.array(expected), call)
        if problems:
            ink = image > 0
            r_ink, c_ink = np.nonzero(ink)
            problems += _first_match(pair, [
                (expected[::-1], "row and column are swapped: the row comes first (image[row, col])"),
                (((rows * image).sum(), (cols * image).sum()),
                 "divide the weighted sums by the total ink, image.sum()"),
                ((r_ink.mean(), c_ink.mean()),
                 "every ink pixel counted the same: weigh each position by its ink, image[r, c]"),
                (((r_ink.min() + r_ink.max()) / 2, (c_ink.min() + c_ink.max()) / 2),
                 "that is the middle of the bounding box; the centre of mass weighs every pixel "
                 "by its ink"),
                ((expected[0] + 0.5, expected[1] + 0.5),
                 "half a pixel off: use the indices themselves (np.arange(height)), not index + 0.5"),
            ])
            return report(problems)
    return report([])


def check_fit_in_box(fit_in_box) -> CheckResult:
    """Exercise "scale into the 20x20 box": ``fit_in_box(height, width)`` returns the new size.

    The larger side becomes 20, the other keeps the aspect ratio, rounded to the nearest whole
    pixel: ``(140, 84)`` gives ``(20, 12)``.
    """
    cases = [((140, 84), (20, 12)), ((84, 140), (12, 20)), ((50, 50), (20, 20)),
             ((200, 30), (20, 3)), ((7, 3), (20, 9)), ((30, 230), (3, 20))]
    for (h, w), expected in cases:
        call = f"fit_in_box({h}, {w})"
        try:
            got = fit_in_box(h, w)
        except Exception as err:  # the student's code: report, do not crash
            return report([f"{call} raised {type(err).__name__}: {err}"])
        problems, pair = _pair(got, call, "(new height, new width)")
        if problems:
            return report(problems)
        if pair == tuple(float(v) for v in expected):
            if not all(isinstance(v, (int, np.integer)) for v in got):
                return report([f"{call} gave {tuple(got)}: right, but a size in pixels is a whole "
                               f"number: wrap each in int(round(...))"])
            continue
        scale = 20 / max(h, w)
        exact = (h * scale, w * scale)
        if np.allclose(pair, exact):
            found = ["round the sizes to whole pixels: int(round(...))"]
        elif np.allclose(pair, np.floor(exact)):
            found = [f"{exact[0]:g} x {exact[1]:g} was cut down (int() drops the fraction): "
                     f"round to the nearest pixel instead, int(round(...))"]
        else:
            small = 20 / min(h, w)
            mistakes = [
                ((20.0, 20.0), "both sides became 20: that squashes the digit; keep the aspect "
                               "ratio (scale both sides by the same factor)"),
                ((h * small, w * small), "the smaller side became 20, so the larger one no longer "
                                         "fits: scale by 20 / max(height, width)"),
                (expected[::-1], "height and width are swapped"),
            ]
            # each mistake as computed, and rounded to whole pixels
            found = _first_match(pair, mistakes + [(np.round(m), why) for m, why in mistakes])
        problems = [f"{call} should be {expected}, got {tuple(got)}"]
        return report(problems + found)
    return report([])


def check_confusion_matrix(confusion_matrix) -> CheckResult:
    """Exercise "count the mistakes": ``confusion_matrix(t, y)`` returns ``(10, 10)`` integer counts.

    ``matrix[i, j]`` counts the samples of true digit ``i`` predicted as ``j``. Diagnoses a
    transposed matrix, fractions instead of counts, and a smaller matrix when a digit never occurs.
    """
    rng = np.random.default_rng(10)
    t = rng.integers(0, 10, 300)
    y = np.where(rng.random(300) < 0.7, t, rng.integers(0, 10, 300))
    t_small, y_small = np.array([3, 3, 5, 8, 8, 8]), np.array([3, 5, 5, 8, 3, 8])
    for t_case, y_case, where in [(t_small, y_small, "six labels"), (t, y, "300 labels")]:
        call = f"confusion_matrix(t, y) for {where}"
        expected = np.zeros((10, 10), dtype=np.int64)
        for i, j in zip(t_case, y_case):
            expected[i, j] += 1
        try:
            got = confusion_matrix(t_case.copy(), y_case.copy())
        except Exception as err:  # the student's code: report, do not crash
            return report([f"{call} raised {type(err).__name__}: {err}"])
        if got is None:
            return report([f"{call} returned None: did you forget to return the matrix?"])
        if np.shape(got) != (10, 10):
            return report([f"{call}: expected shape (10, 10), one row and one column per digit, "
                           f"got {np.shape(got)}" + (" (make it np.zeros((10, 10)) from the start, "
                                                      "so that digits that never occur still get "
                                                      "a row)" if np.ndim(got) == 2 else "")])
        problems = compare(got, expected, call)
        if problems:
            problems += _first_match(got, [
                (expected.T, "the matrix is transposed: the row is the true digit, the column the "
                             "prediction (matrix[t[k], y[k]] += 1)"),
                (expected / len(t_case), "these are fractions of all samples: count them instead"),
                (expected / np.maximum(expected.sum(axis=1, keepdims=True), 1),
                 "each row is divided by its total: count the samples instead"),
            ])
            return report(problems)
    return report([])
