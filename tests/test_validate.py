"""The argument checks behind the library's error messages: each names the argument, what was
given and what is expected, and lets good input through."""
import ast
from pathlib import Path

import numpy as np
import pytest

import mnist_lib
from mnist_lib.validate import dataset, images, labels, positive_int, positive_number


@pytest.mark.parametrize("value", [1, 50, np.int64(784)])
def test_positive_int_accepts_whole_numbers(value):
    assert positive_int(value, "hidden_size") == int(value)
    assert type(positive_int(value, "hidden_size")) is int


@pytest.mark.parametrize("value, error, words", [
    (0, ValueError, "hidden_size must be at least 1, got 0"),
    (-3, ValueError, "got -3"),
    (784.0, TypeError, "without a decimal point"),
    (True, TypeError, "whole number"),
    ("50", TypeError, "got '50'"),
])
def test_positive_int_refuses(value, error, words):
    with pytest.raises(error, match="hidden_size") as info:
        positive_int(value, "hidden_size")
    assert words in str(info.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0, -0.1])
def test_positive_number_refuses_nan_inf_and_non_positive(value):
    with pytest.raises(ValueError, match="lr must be a finite number greater than 0"):
        positive_number(value, "lr")


def test_positive_number_refuses_non_numbers():
    with pytest.raises(TypeError, match="lr must be a number"):
        positive_number("0.1", "lr")
    assert positive_number(1, "lr") == 1.0


def test_images_names_the_first_row_with_nan():
    x = np.zeros((5, 4), np.float32)
    x[3, 1] = np.nan
    x[4, 0] = np.inf
    with pytest.raises(ValueError, match=r"x holds NaN or inf \(first in row 3, 2 rows in all\)"):
        images(x, "x")


@pytest.mark.parametrize("x, error, words", [
    ([[0.0]], TypeError, "must be a NumPy array"),
    (np.zeros((0, 784)), ValueError, "N >= 1"),
    (np.zeros(784), ValueError, "got shape (784,)"),
    (np.array([["a"]]), TypeError, "dtype <U1"),
])
def test_images_refuses(x, error, words):
    with pytest.raises(error) as info:
        images(x, "x")
    assert words in str(info.value)


def test_images_accepts_integer_pixels_and_large_finite_values():
    images(np.zeros((2, 784), np.uint8), "x")
    images(np.full((2, 3), 3e38, np.float32), "x")  # the float32 sum overflows; each value is finite


@pytest.mark.parametrize("t, words", [
    (np.array([1, 2, -1, 3]), "label -1 at position 2 is not (1 such labels in all)"),
    (np.array([10, 2, 3, 10]), "label 10 at position 0 is not (2 such labels in all)"),
    (np.array([1.0, 2.0, 3.0, 4.0]), "use .astype(int)"),
    (np.eye(10)[[1, 2, 3, 4]] * 2, "row 0 is"),
    (np.zeros((4, 3), int), "shape (4,) or (4, 10)"),
    (np.array([1, 2, 3]), "3 labels for 4 images"),
])
def test_labels_refuses_and_says_where(t, words):
    with pytest.raises((ValueError, TypeError)) as info:
        labels(t, 4, "t_train")
    assert "t_train" in str(info.value) and words in str(info.value)


def test_labels_accepts_integers_and_one_hot():
    labels(np.array([0, 9, 3], np.uint8), 3, "t")
    labels(np.eye(10, dtype=np.float32)[[0, 9, 3]], 3, "t")


def test_dataset_wants_a_pair():
    with pytest.raises(TypeError, match="train_data must be a pair"):
        dataset(np.zeros((3, 4)), "train_data")
    x, t = dataset((np.zeros((3, 4)), np.array([0, 1, 2])), "train_data")
    assert x.shape == (3, 4) and t.shape == (3,)


@pytest.mark.parametrize("module", ["functions", "gradient", "layers", "networks", "optimizer",
                                    "training", "evaluation", "perceptron"])
def test_the_argument_checks_of_the_core_live_in_validate(module):
    """The core modules raise no TypeError or ValueError themselves: their checks are validate's."""
    path = Path(mnist_lib.__file__).parent / f"{module}.py"
    raised = [node.exc for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Raise)]
    names = {(e.func if isinstance(e, ast.Call) else e).id for e in raised if e is not None}
    assert not names & {"TypeError", "ValueError"}, f"{module}.py raises {sorted(names)}"
