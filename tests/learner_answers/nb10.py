"""Notebook 10: "Try it 1: count the mistakes", "Try it 2: scale into the box, keeping the aspect
ratio", "Try it 3: the centre of mass"."""
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from . import right, wrong

# --- Try it 1: matrix[i, j] counts the samples of true digit i predicted as j ----------------------


def confusion_loop(t, y):
    matrix = np.zeros((10, 10), dtype=np.int64)
    for true_digit, predicted in zip(t, y):
        matrix[true_digit, predicted] += 1
    return matrix


def confusion_add_at(t, y):
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (t, y), 1)
    return matrix


def confusion_bincount(t, y):
    return np.bincount(10 * t + y, minlength=100).reshape(10, 10)


def confusion_starter(t, y):
    return np.zeros((10, 10), dtype=np.int64)


def confusion_prediction_first(t, y):
    matrix = np.zeros((10, 10), dtype=np.int64)
    for true_digit, predicted in zip(t, y):
        matrix[predicted, true_digit] += 1
    return matrix


def confusion_rates(t, y):
    return confusion_loop(t, y) / len(t)


def confusion_row_rates(t, y):
    matrix = confusion_loop(t, y)
    return matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)


def confusion_fancy(t, y):
    matrix = np.zeros((10, 10), dtype=np.int64)
    matrix[t, y] += 1
    return matrix


def confusion_sized_by_labels(t, y):
    size = max(t.max(), y.max()) + 1
    matrix = np.zeros((size, size), dtype=np.int64)
    np.add.at(matrix, (t, y), 1)
    return matrix


def confusion_floats(t, y):
    matrix = np.zeros((10, 10))
    for true_digit, predicted in zip(t, y):
        matrix[true_digit, predicted] += 1
    return matrix


# --- Try it 2: the larger side becomes 20, the other shrinks by the same factor, both rounded ------


def fit(height, width):
    scale = 20 / max(height, width)
    return int(height * scale + 0.5), int(width * scale + 0.5)


def fit_floor_half(height, width):
    larger = max(height, width)
    return math.floor(height * 20 / larger + 0.5), math.floor(width * 20 / larger + 0.5)


def fit_decimal(height, width):
    larger = max(height, width)
    return tuple(int((Decimal(side * 20) / Decimal(larger)).quantize(Decimal(1), ROUND_HALF_UP))
                 for side in (height, width))


def fit_integers(height, width):
    larger = max(height, width)
    return (40 * height + larger) // (2 * larger), (40 * width + larger) // (2 * larger)


def fit_rounded(rounding):
    def fit_in_box(height, width):
        scale = 20 / max(height, width)
        return rounding(height * scale), rounding(width * scale)
    return fit_in_box


def fit_smaller_side(height, width):
    scale = 20 / min(height, width)
    return round(height * scale), round(width * scale)


def fit_tall_only(height, width):  # right when the height is the larger side
    return 20, int(width * 20 / height + 0.5)


# --- Try it 3: the average position of the ink, each pixel counting as much as its ink ------------


def centre(image):
    total = image.sum()
    return (image.sum(axis=1) @ np.arange(image.shape[0]) / total,
            image.sum(axis=0) @ np.arange(image.shape[1]) / total)


def centre_indices(image):
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def centre_average(image):
    rows, cols = np.indices(image.shape)
    return np.average(rows, weights=image), np.average(cols, weights=image)


def centre_starter(image):
    return image.shape[0] / 2, image.shape[1] / 2


def centre_swapped(image):
    r, c = centre(image)
    return c, r


def centre_not_divided(image):
    rows, cols = np.indices(image.shape)
    return (rows * image).sum(), (cols * image).sum()


def centre_of_ink_pixels(image):
    rows, cols = np.nonzero(image)
    return rows.mean(), cols.mean()


def centre_of_the_box(image):
    rows, cols = np.nonzero(image)
    return (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2


def centre_of_pixel_middles(image):  # "a pixel's middle is at index + 0.5"
    rows, cols = np.indices(image.shape) + 0.5
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def centre_counting_from_1(image):
    total = image.sum()
    return (image.sum(axis=1) @ np.arange(1, image.shape[0] + 1) / total,
            image.sum(axis=0) @ np.arange(1, image.shape[1] + 1) / total)


def centre_normalised_in_place(image):
    image /= image.sum()
    rows, cols = np.indices(image.shape)
    return (rows * image).sum(), (cols * image).sum()


ANSWERS = [
    right("10", "confusion_matrix", confusion_loop, "a loop"),
    right("10", "confusion_matrix", confusion_add_at, "np.add.at"),
    right("10", "confusion_matrix", confusion_bincount, "np.bincount"),
    wrong("10", "confusion_matrix", "nothing-counted", confusion_starter, "the starter",
          says="confusion_matrix(t, y) for six labels: 5 of 100 values differ; at index (3, 3) "
               "expected 1, got 0"),
    wrong("10", "confusion_matrix", "transposed", confusion_prediction_first, "prediction as row"),
    wrong("10", "confusion_matrix", "fractions", confusion_rates, "divided by the number of samples"),
    wrong("10", "confusion_matrix", "rows-divided", confusion_row_rates, "rows as rates"),
    wrong("10", "confusion_matrix", "counts-a-pair-once", confusion_fancy, "matrix[t, y] += 1"),
    wrong("10", "confusion_matrix", "sized-by-the-labels", confusion_sized_by_labels,
          "as large as the largest label", says="expected shape (10, 10)"),
    wrong("10", "confusion_matrix", "float-counts", confusion_floats, "np.zeros without a dtype",
          says="has the right values but dtype float64"),

    right("10", "fit_in_box", fit, "int(x + 0.5)"),
    right("10", "fit_in_box", fit_floor_half, "math.floor(x + 0.5)"),
    right("10", "fit_in_box", fit_integers, "integer arithmetic"),
    right("10", "fit_in_box", fit_decimal, "Decimal, ROUND_HALF_UP"),
    wrong("10", "fit_in_box", "squashed", lambda h, w: (20, 20), "the starter",
          says="fit_in_box(7, 3) should be (20, 9), got (20, 20)"),
    wrong("10", "fit_in_box", "smaller-side-20", fit_smaller_side, "20 / min(height, width)"),
    wrong("10", "fit_in_box", "smaller-side-20", fit_tall_only, "assumes a tall drawing",
          says="fit_in_box(84, 140) should be (12, 20), got (20, 33)"),
    wrong("10", "fit_in_box", "height-and-width-swapped", lambda h, w: fit(w, h), "(width, height)"),
    wrong("10", "fit_in_box", "cut-down", fit_rounded(int), "int()",
          says="fit_in_box(7, 3) should be (20, 9), got (20, 8)"),
    wrong("10", "fit_in_box", "rounded-up", fit_rounded(math.ceil), "math.ceil",
          says="fit_in_box(100, 31) should be (20, 6), got (20, 7)"),
    wrong("10", "fit_in_box", "round-half-to-even", fit_rounded(lambda v: int(round(v))),
          "Python's round", says="fit_in_box(40, 25) should be (20, 13), got (20, 12)"),
    wrong("10", "fit_in_box", "not-rounded", fit_rounded(lambda v: v), "no rounding"),
    wrong("10", "fit_in_box", "not-whole-numbers", fit_rounded(lambda v: float(math.floor(v + 0.5))),
          "rounded, but floats"),

    right("10", "centre_of_mass", centre, "row and column sums"),
    right("10", "centre_of_mass", centre_indices, "np.indices"),
    right("10", "centre_of_mass", centre_average, "np.average with weights"),
    wrong("10", "centre_of_mass", "middle-of-the-image", centre_starter, "the starter",
          says="centre_of_mass(image) for one bright pixel at row 2, column 5: 2 of 2 values "
               "differ; at index 0 expected 2, got 3.5"),
    wrong("10", "centre_of_mass", "row-and-column-swapped", centre_swapped, "(column, row)"),
    wrong("10", "centre_of_mass", "not-divided", centre_not_divided, "not divided by the ink"),
    wrong("10", "centre_of_mass", "ink-counted-equally", centre_of_ink_pixels, "mean of ink positions"),
    wrong("10", "centre_of_mass", "middle-of-the-bounding-box", centre_of_the_box, "box middle"),
    wrong("10", "centre_of_mass", "half-a-pixel-off", centre_of_pixel_middles, "pixel middles"),
    wrong("10", "centre_of_mass", "counts-from-1", centre_counting_from_1, "rows 1 to height"),
    wrong("10", "centre_of_mass", "changes-input", centre_normalised_in_place, "image /= image.sum()"),
]
