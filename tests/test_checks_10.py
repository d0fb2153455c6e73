"""The checks of notebook 10: right answers pass, typical mistakes get a hint naming the mistake."""
import math

import numpy as np
import pytest

from mnist_lib.checks import check_centre_of_mass, check_confusion_matrix, check_fit_in_box


# centre of mass -------------------------------------------------------------------------------

def centre(image):
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def test_centre_of_mass_right_answer_passes(feedback):
    assert feedback.run(check_centre_of_mass, centre) == (True, "✓ All tests passed\n")


@pytest.mark.parametrize("wrong, hint", [
    (lambda im: centre(im)[::-1], "row and column are swapped"),
    (lambda im: tuple(np.nonzero(im)[k].mean() for k in (0, 1)), "every ink pixel counted the same"),
    (lambda im: tuple(c + 0.5 for c in centre(im)), "half a pixel off"),
    (lambda im: ((np.indices(im.shape)[0] * im).sum(), (np.indices(im.shape)[1] * im).sum()),
     "divide the weighted sums by the total ink"),
    (lambda im: tuple((np.nonzero(im)[k].min() + np.nonzero(im)[k].max()) / 2 for k in (0, 1)),
     "middle of the bounding box"),
    (lambda im: None, "did you forget to return"),
    (lambda im: 3.0, "should return two numbers"),
    (lambda im: 1 / 0, "raised ZeroDivisionError"),
])
def test_centre_of_mass_mistakes_are_named(feedback, wrong, hint):
    assert feedback.fails(check_centre_of_mass, wrong, says=hint).startswith("✗")


# fit in the box -------------------------------------------------------------------------------

def fit(height, width):
    scale = 20 / max(height, width)
    return int(round(height * scale)), int(round(width * scale))


def test_fit_in_box_right_answer_passes(feedback):
    assert feedback.run(check_fit_in_box, fit) == (True, "✓ All tests passed\n")


@pytest.mark.parametrize("wrong, hint", [
    (lambda h, w: (20, 20), "that squashes the digit"),
    (lambda h, w: (round(h * 20 / min(h, w)), round(w * 20 / min(h, w))),
     "the smaller side became 20"),
    (lambda h, w: fit(w, h), "height and width are swapped"),
    (lambda h, w: (int(h * 20 / max(h, w)), int(w * 20 / max(h, w))), "cut down"),
    (lambda h, w: (h * 20 / max(h, w), w * 20 / max(h, w)), "a size in pixels is a whole number"),
    (lambda h, w: (h * 20 / max(h, w) + 0.3, w * 20 / max(h, w)), "should be (20, 12)"),
])
def test_fit_in_box_mistakes_are_named(feedback, wrong, hint):
    feedback.fails(check_fit_in_box, wrong, says=hint)


def test_fit_in_box_expects_rounding_not_truncation(feedback):
    # 7 x 3 scaled to a height of 20: the width is 8.57 pixels, so 9.
    assert fit(7, 3) == (20, 9) and math.floor(3 * 20 / 7) == 8
    feedback.fails(check_fit_in_box, lambda h, w: (20, 8) if (h, w) == (7, 3) else fit(h, w),
                   says="fit_in_box(7, 3) should be (20, 9), got (20, 8)")


# confusion matrix -----------------------------------------------------------------------------

def counts(t, y):
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (t, y), 1)
    return matrix


def test_confusion_matrix_right_answer_passes(feedback):
    assert feedback.run(check_confusion_matrix, counts) == (True, "✓ All tests passed\n")


@pytest.mark.parametrize("wrong, hint", [
    (lambda t, y: counts(t, y).T, "the matrix is transposed"),
    (lambda t, y: counts(t, y) / len(t), "fractions of all samples"),
    (lambda t, y: counts(t, y) / np.maximum(counts(t, y).sum(axis=1, keepdims=True), 1),
     "each row is divided by its total"),
    (lambda t, y: counts(t, y)[:9, :9], "expected shape (10, 10)"),
    (lambda t, y: None, "did you forget to return"),
    (lambda t, y: np.zeros((10, 10), dtype=np.int64), "values differ"),
])
def test_confusion_matrix_mistakes_are_named(feedback, wrong, hint):
    feedback.fails(check_confusion_matrix, wrong, says=hint)


def test_confusion_matrix_fancy_index_mistake_is_caught(feedback):
    def counts_once(t, y):
        matrix = np.zeros((10, 10), dtype=np.int64)
        matrix[t, y] += 1           # a repeated (t, y) pair is counted only once
        return matrix

    feedback.fails(check_confusion_matrix, counts_once, says="values differ")
