"""The exercises of notebook 10_look_inside.ipynb: a confusion matrix, scaling a drawing into the
20x20 box, and the centre of mass."""
from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, compare, gives, run_check, same, when


def _pair(got, case: Case, what: str) -> list[str]:
    """What is wrong with ``got`` as a pair of numbers, before its values are compared."""
    if got is None:
        return [f"{case.label} returned None: did you forget to return a value?"]
    try:
        a, b = got
        float(a), float(b)
    except (TypeError, ValueError):
        return [f"{case.label} should return two numbers {what}, got {got!r}"]
    return []


# --- Try it 1: count the mistakes ---------------------------------------------------------------------

def _counts(t, y) -> np.ndarray:
    matrix = np.zeros((10, 10), dtype=np.int64)
    for i, j in zip(t.tolist(), y.tolist()):
        matrix[i, j] += 1
    return matrix


def _judge_matrix(got, case: Case) -> list[str]:
    if got is not None and np.shape(got) != (10, 10):
        return [f"{case.label}: expected shape (10, 10), one row and one column per digit, got "
                f"{np.shape(got)}"]
    return compare(got, case.expected, name=case.label)


def _confusion_cases() -> tuple[Case, ...]:
    rng = np.random.default_rng(10)
    t = rng.integers(0, 10, 300)
    y = np.where(rng.random(300) < 0.7, t, rng.integers(0, 10, 300))
    small = (np.array([3, 3, 5, 8, 8, 8]), np.array([3, 5, 5, 8, 3, 8]))
    return (Case(small, _counts(*small), label="confusion_matrix(t, y) for six labels",
                 edge="digits that never occur", judge=_judge_matrix),
            Case((t, y), _counts(t, y), label="confusion_matrix(t, y) for 300 labels",
                 edge="pairs that occur more than once", judge=_judge_matrix))


def _once_per_pair(t, y) -> np.ndarray:
    matrix = np.zeros((10, 10), dtype=np.int64)
    matrix[t, y] = 1
    return matrix


#: Try it 1 "count the mistakes": ``confusion_matrix(t, y)``, ``(10, 10)`` integer counts, row = truth.
CONFUSION_MATRIX = Exercise(
    notebook="10", id="confusion_matrix", title="count the mistakes", function="confusion_matrix",
    params=("t", "y"), cases=_confusion_cases(),
    mistakes=(
        when("nothing-counted", "no sample was counted: add 1 at matrix[t[k], y[k]] for every "
             "sample k", lambda a: np.shape(a.got) == (10, 10) and not np.any(a.got)),
        gives("transposed", "the matrix is transposed: the row is the true digit, the column the "
              "prediction (matrix[t[k], y[k]] += 1)", lambda t, y: _counts(t, y).T),
        gives("fractions", "these are fractions of all samples: count them instead",
              lambda t, y: _counts(t, y) / len(t)),
        gives("rows-divided", "each row is divided by its total: count the samples instead",
              lambda t, y: _counts(t, y) / np.maximum(_counts(t, y).sum(axis=1, keepdims=True), 1)),
        gives("counts-a-pair-once", "matrix[t, y] += 1 counts a pair that occurs several times "
              "only once: loop over the pairs, or use np.add.at(matrix, (t, y), 1)", _once_per_pair),
        when("sized-by-the-labels", "make it np.zeros((10, 10)) from the start, so that digits "
             "that never occur still get a row and a column",
             lambda a: np.ndim(a.got) == 2 and np.shape(a.got) != (10, 10)),
        when("float-counts", "counts are whole numbers: np.zeros((10, 10), dtype=np.int64)",
             lambda a: np.asarray(a.got).dtype.kind == "f" and same(a.got, a.expected)),
    ))


def check_confusion_matrix(confusion_matrix: Callable) -> CheckResult:
    """Try it 1 "count the mistakes": ``confusion_matrix(t, y)`` returns ``(10, 10)`` integer counts.

    ``matrix[i, j]`` counts the samples of true digit ``i`` predicted as ``j``.
    """
    return run_check(CONFUSION_MATRIX, confusion_matrix)


# --- Try it 2: scale into the 20x20 box ---------------------------------------------------------------

def _exact(height: int, width: int) -> tuple[Fraction, Fraction]:
    larger = max(height, width)
    return Fraction(height * 20, larger), Fraction(width * 20, larger)


def _exact_smaller(height: int, width: int) -> tuple[Fraction, Fraction]:
    smaller = min(height, width)
    return Fraction(height * 20, smaller), Fraction(width * 20, smaller)


def _half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _box(height: int, width: int, rounding: Callable = _half_up, smaller: bool = False) -> tuple:
    side = min(height, width) if smaller else max(height, width)
    return tuple(rounding(Fraction(v * 20, side)) for v in (height, width))


def _judge_box(got, case: Case) -> list[str]:
    problems = _pair(got, case, "(new height, new width)")
    if problems:
        return problems
    if tuple(float(v) for v in got) != tuple(float(v) for v in case.expected):
        return [f"{case.label} should be {case.expected}, got {tuple(got)}"]
    if not all(isinstance(v, (int, np.integer)) for v in got):
        return [f"{case.label} should be {case.expected}, got {tuple(got)}, not whole numbers"]
    return []


_BOXES = [((7, 3), "a tiny drawing, scaled up: 8.57 becomes 9"),
          ((140, 84), "the example: 12 exactly"), ((84, 140), "wider than high"),
          ((50, 50), "a square"), ((200, 30), "very thin: 3 exactly"),
          ((30, 230), "very flat: 2.6 becomes 3"), ((100, 31), "6.2 becomes 6"),
          ((40, 25), "a .5 tie: 12.5 becomes 13"), ((25, 40), "a .5 tie, wider than high")]


def _box_is(rounding: Callable) -> Callable[[Attempt], bool]:
    """Recognise a rounding: every size tried so far is the exact size rounded that way."""
    def recognise(attempt: Attempt) -> bool:
        return all(_pair(a.got, a.case, "") == [] and tuple(float(v) for v in a.got)
                   == tuple(float(v) for v in _box(*a.args, rounding)) for a in attempt.attempts
                   ) and _box(*attempt.args, rounding) != attempt.expected
    return recognise


def _any_rounding(test: Callable[[tuple], bool]) -> Callable[[Attempt], bool]:
    """Recognise a wrong size whatever the learner's rounding (none, down, nearest, up)."""
    roundings = (lambda v: float(v), math.floor, round, math.ceil, _half_up)

    def recognise(attempt: Attempt) -> bool:
        if _pair(attempt.got, attempt.case, ""):
            return False
        got = tuple(float(v) for v in attempt.got)
        return any(test(attempt.args, r) == got for r in roundings)
    return recognise


#: Try it 2 "scale into the box": ``fit_in_box(height, width)``: the larger side becomes 20, the
#: other keeps the aspect ratio, rounded to the nearest whole pixel, a half up.
FIT_IN_BOX = Exercise(
    notebook="10", id="fit_in_box", title="scale into the box, keeping the aspect ratio",
    function="fit_in_box", params=("height", "width"),
    cases=tuple(Case(args, _box(*args), label=f"fit_in_box{args}", edge=edge, judge=_judge_box)
                for args, edge in _BOXES),
    mistakes=(
        when("squashed", "both sides became 20: that squashes the digit; keep the aspect ratio "
             "(scale both sides by the same factor)",
             lambda a: _pair(a.got, a.case, "") == [] and tuple(float(v) for v in a.got) == (20, 20)),
        when("smaller-side-20", "the smaller side became 20, so the larger one no longer fits: "
             "scale by 20 / max(height, width)",
             _any_rounding(lambda args, r: tuple(float(r(v)) for v in _exact_smaller(*args)))),
        when("height-and-width-swapped", "height and width are swapped: return (new height, new "
             "width)", _any_rounding(lambda args, r: tuple(float(r(v)) for v in _exact(*args)[::-1]))),
        when("not-rounded", "round the sizes to whole pixels, a half up: int(x + 0.5)",
             lambda a: _box_is(lambda v: float(v))(a) and not float(a.got[1]).is_integer()),
        when("cut-down", "int() and math.floor drop the fraction, so 8.57 becomes 8: round to the "
             "nearest pixel instead, a half up: int(x + 0.5)", _box_is(math.floor)),
        when("rounded-up", "math.ceil rounds every fraction up, so 6.2 becomes 7: round to the "
             "nearest pixel instead, a half up: int(x + 0.5)", _box_is(math.ceil)),
        when("round-half-to-even", "Python's round() sends a half to the even number, so "
             "round(12.5) is 12: round a half up instead, int(x + 0.5)", _box_is(round)),
        when("not-whole-numbers", "a size in pixels is a whole number: make each an int",
             lambda a: _pair(a.got, a.case, "") == [] and tuple(float(v) for v in a.got)
             == tuple(float(v) for v in a.expected)),
    ))


def check_fit_in_box(fit_in_box: Callable) -> CheckResult:
    """Try it 2 "scale into the 20x20 box": ``fit_in_box(height, width)`` returns the new size.

    The larger side becomes 20, the other keeps the aspect ratio, rounded to the nearest whole
    pixel, a half up: ``(140, 84)`` gives ``(20, 12)``, ``(100, 31)`` gives ``(20, 6)`` and
    ``(40, 25)`` gives ``(20, 13)``.
    """
    return run_check(FIT_IN_BOX, fit_in_box)


# --- Try it 3: the centre of mass ---------------------------------------------------------------------

def _centre(image) -> tuple[float, float]:
    """The ink-weighted average of the row and column indices, in plain Python."""
    total = sum(sum(row) for row in image.tolist())
    r = sum(i * v for i, row in enumerate(image.tolist()) for v in row) / total
    c = sum(j * v for row in image.tolist() for j, v in enumerate(row)) / total
    return r, c


def _ink(image):
    return np.nonzero(image > 0)


def _judge_centre(got, case: Case) -> list[str]:
    return _pair(got, case, "(row, column)") or compare(
        np.array([float(v) for v in got]), np.array(case.expected), case.label)


def _centre_cases() -> tuple[Case, ...]:
    tall = np.zeros((6, 5))
    tall[1, 1], tall[4, 1], tall[4, 3] = 1.0, 0.5, 0.5
    grey = np.zeros((8, 8))
    grey[2:7, 3] = [1.0, 1.0, 0.2, 0.2, 0.2]
    grey[2, 4:7] = 1.0
    corner = np.zeros((5, 7))
    corner[4, 6], corner[4, 5] = 0.8, 0.2
    images = [("one bright pixel at row 2, column 5", np.eye(1, 7 * 9, 2 * 9 + 5).reshape(7, 9),
               "a non-square image"),
              ("three pixels, one brighter", tall, ""), ("a faint stroke and a bright one", grey, ""),
              ("ink in the last row and column", corner, "the last row")]
    return tuple(Case((image,), _centre(image), label=f"centre_of_mass(image) for {where}", edge=edge,
                      judge=_judge_centre) for where, image, edge in images)


#: Try it 3 "the centre of mass": ``centre_of_mass(image)`` returns ``(row, column)``, each pixel
#: weighted by its ink.
CENTRE_OF_MASS = Exercise(
    notebook="10", id="centre_of_mass", title="the centre of mass", function="centre_of_mass",
    params=("image",), cases=_centre_cases(),
    mistakes=(
        gives("row-and-column-swapped", "row and column are swapped: the row comes first "
              "(image[row, col])", lambda image: _centre(image)[::-1]),
        gives("not-divided", "divide the weighted sums by the total ink, image.sum()",
              lambda image: tuple(np.sum(np.indices(image.shape)[k] * image) for k in (0, 1))),
        gives("ink-counted-equally", "every ink pixel counted the same: weigh each position by its "
              "ink, image[r, c]", lambda image: tuple(float(np.mean(i)) for i in _ink(image))),
        gives("middle-of-the-bounding-box", "that is the middle of the bounding box; the centre of "
              "mass weighs every pixel by its ink",
              lambda image: tuple((i.min() + i.max()) / 2 for i in _ink(image))),
        gives("middle-of-the-image", "that is the middle of the image; the centre of mass is where "
              "the ink is, each pixel weighted by its ink",
              lambda image: (image.shape[0] / 2, image.shape[1] / 2)),
        gives("half-a-pixel-off", "half a pixel off: use the indices themselves (np.arange(height)), "
              "not index + 0.5", lambda image: tuple(v + 0.5 for v in _centre(image))),
        gives("counts-from-1", "count rows and columns from 0, as NumPy does: np.arange(height), not "
              "np.arange(1, height + 1)", lambda image: tuple(v + 1 for v in _centre(image))),
    ))


def check_centre_of_mass(centre_of_mass: Callable) -> CheckResult:
    """Try it 3 "the centre of mass": ``centre_of_mass(image)`` returns ``(row, column)``.

    Each pixel counts as much as its ink: ``row = sum(r * image[r, c]) / sum(image)`` with ``r``
    the row index (the same for the column).
    """
    return run_check(CENTRE_OF_MASS, centre_of_mass)


EXERCISES = (CONFUSION_MATRIX, FIT_IN_BOX, CENTRE_OF_MASS)
