"""Activation and loss functions: the book's numbers, closed forms, and numerical stability.

Expected values are the book's published numbers or closed forms computed here independently.
"""
import math
import warnings

import numpy as np
import pytest

from mnist_lib.functions import (cross_entropy_error, identity_function, mean_squared_error, relu,
                                 relu_grad, sigmoid, sigmoid_grad, softmax, softmax_loss,
                                 step_function, tanh, tanh_grad)
from mnist_lib.gradient import numerical_diff
from mnist_lib.layers import Relu


@pytest.fixture
def no_warnings():
    """Any warning (e.g. RuntimeWarning: overflow in exp) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# Points kept away from 0, where relu is not differentiable.
POINTS = np.array([-3.0, -1.2, -0.3, 0.2, 0.7, 2.5])


# --- identity and step -------------------------------------------------------------------------

def test_identity_returns_its_input():
    x = np.array([-1.0, 0.0, 2.0])
    assert identity_function(x) is x


def test_step_function_values_and_int_dtype():
    y = step_function(np.array([-1.0, 0.0, 1e-9, 1.0, 2.0]))
    np.testing.assert_array_equal(y, [0, 0, 1, 1, 1])
    assert y.dtype == np.int64


def test_step_function_scalar():
    assert step_function(0.5) == 1 and step_function(-0.5) == 0
    assert np.issubdtype(np.asarray(step_function(0.5)).dtype, np.integer)


# --- sigmoid -----------------------------------------------------------------------------------

def test_sigmoid_closed_form():
    x = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15)
    assert sigmoid(0.0) == 0.5


def test_sigmoid_extremes_without_warnings(no_warnings):
    assert sigmoid(-1000.0) == 0.0
    assert sigmoid(1000.0) == 1.0
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


def test_sigmoid_extremes_with_floating_point_errors_raised():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_sigmoid_is_symmetric():
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)


def test_sigmoid_of_integers_is_float():
    y = sigmoid(np.array([0, 1]))
    assert np.issubdtype(y.dtype, np.floating)
    assert y[0] == 0.5


@pytest.mark.parametrize("fn", [sigmoid, relu, tanh, softmax, sigmoid_grad, relu_grad, tanh_grad])
def test_float32_in_float32_out(fn):
    assert fn(np.array([0.5, -1.0, 2.0], dtype=np.float32)).dtype == np.float32


def test_sigmoid_grad_matches_numerical_diff():
    np.testing.assert_allclose(sigmoid_grad(POINTS), numerical_diff(sigmoid, POINTS), rtol=1e-7)


def test_sigmoid_grad_closed_form():
    assert sigmoid_grad(0.0) == 0.25
    s = 1 / (1 + np.exp(-POINTS))
    np.testing.assert_allclose(sigmoid_grad(POINTS), s * (1 - s), rtol=1e-12)


# --- relu and tanh -----------------------------------------------------------------------------

def test_relu_values():
    np.testing.assert_array_equal(relu(np.array([-2.0, -0.0, 0.0, 0.5, 3.0])), [0, 0, 0, 0.5, 3.0])


def test_relu_grad_matches_numerical_diff():
    np.testing.assert_allclose(relu_grad(POINTS), numerical_diff(relu, POINTS), atol=1e-10)
    np.testing.assert_array_equal(relu_grad(POINTS), [0, 0, 0, 1, 1, 1])


def test_relu_grad_at_zero_is_zero_and_float():
    """0 at the kink (the book's relu_grad says 1 there), as the Relu layer's backward has it."""
    g = relu_grad(np.array([0, 1]))
    np.testing.assert_array_equal(g, [0.0, 1.0])
    assert np.issubdtype(g.dtype, np.floating)
    layer = Relu()
    x = np.array([-1.0, 0.0, 2.0])
    layer.forward(x)
    np.testing.assert_array_equal(layer.backward(np.ones(3)), relu_grad(x))


def test_tanh_matches_closed_form():
    np.testing.assert_allclose(tanh(POINTS), (np.exp(POINTS) - np.exp(-POINTS))
                               / (np.exp(POINTS) + np.exp(-POINTS)), rtol=1e-14)


def test_tanh_grad_matches_numerical_diff_and_closed_form():
    assert tanh_grad(0.0) == 1.0
    np.testing.assert_allclose(tanh_grad(POINTS), numerical_diff(np.tanh, POINTS), rtol=1e-7)
    np.testing.assert_allclose(tanh_grad(POINTS), 1 / np.cosh(POINTS) ** 2, rtol=1e-12)


# --- softmax -----------------------------------------------------------------------------------

def test_softmax_book_values():
    np.testing.assert_allclose(softmax(np.array([0.0, 1.0, 2.0])),
                               [0.09003057, 0.24472847, 0.66524096], atol=5e-9)


def test_softmax_large_inputs_are_stable(no_warnings):
    y = softmax(np.array([1010.0, 1000.0, 990.0]))
    assert np.all(np.isfinite(y))
    assert y.sum() == pytest.approx(1.0, abs=1e-15)
    e = np.exp([20.0, 10.0, 0.0])
    np.testing.assert_allclose(y, e / e.sum(), rtol=1e-14)
    np.testing.assert_allclose(y, softmax(np.array([20.0, 10.0, 0.0])), rtol=1e-14)


def test_softmax_is_row_wise_for_batches(no_warnings):
    # Rows on very different scales: subtracting one global maximum would underflow row 2 to 0/0.
    x = np.array([[1010.0, 1000.0, 990.0], [0.0, 1.0, 2.0], [-1000.0, -1001.0, -1002.0]])
    y = softmax(x)
    assert y.shape == (3, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-15)
    for row_in, row_out in zip(x, y):
        np.testing.assert_allclose(row_out, softmax(row_in), rtol=1e-15)
    np.testing.assert_allclose(y[1], [0.09003057, 0.24472847, 0.66524096], atol=5e-9)
    np.testing.assert_allclose(y[2], y[1][::-1], rtol=1e-14)


def test_softmax_does_not_change_its_input():
    x = np.array([[3.0, 1.0], [0.5, 0.25]])
    before = x.copy()
    softmax(x)
    np.testing.assert_array_equal(x, before)


def test_softmax_rejects_3d_input():
    with pytest.raises(ValueError, match=r"\(2, 3, 4\)"):
        softmax(np.zeros((2, 3, 4)))


# --- losses ------------------------------------------------------------------------------------

T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def test_book_losses_right_guess():
    assert round(mean_squared_error(Y_GOOD, T), 4) == 0.0975
    assert round(cross_entropy_error(Y_GOOD, T), 4) == 0.5108


def test_book_losses_wrong_guess():
    assert round(mean_squared_error(Y_BAD, T), 4) == 0.5975
    assert round(cross_entropy_error(Y_BAD, T), 4) == 2.3026


def test_losses_return_python_floats():
    assert type(mean_squared_error(Y_GOOD, T)) is float
    assert type(cross_entropy_error(Y_GOOD, T)) is float


def test_mean_squared_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"\(10,\).*\(9,\)"):
        mean_squared_error(Y_GOOD, T[:9])


def test_cross_entropy_zero_probability_is_finite(no_warnings):
    y = np.array([0.0, 1.0, 0.0])
    assert cross_entropy_error(y, np.array([1, 0, 0])) == pytest.approx(-math.log(1e-7), rel=1e-12)
    assert cross_entropy_error(y, 0) == pytest.approx(-math.log(1e-7), rel=1e-12)
    batch = np.eye(3)[[1, 2, 0, 1]]  # every true class has probability 0
    assert cross_entropy_error(batch, np.array([0, 1, 2, 0])) == pytest.approx(-math.log(1e-7), rel=1e-12)


def test_cross_entropy_one_sample_equals_batch_of_one():
    assert cross_entropy_error(Y_GOOD, T) == pytest.approx(cross_entropy_error(Y_GOOD[None], T[None]))
    assert cross_entropy_error(Y_GOOD, 2) == pytest.approx(cross_entropy_error(Y_GOOD[None], np.array([2])))


def test_cross_entropy_is_the_batch_mean():
    y = np.stack([Y_GOOD, Y_BAD])
    t = np.stack([T, T])
    expected = (-math.log(0.6 + 1e-7) - math.log(0.1 + 1e-7)) / 2
    assert cross_entropy_error(y, t) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_one_hot_and_labels_agree():
    rng = np.random.default_rng(0)
    y = softmax(rng.standard_normal((5, 4)))
    labels = np.array([0, 3, 1, 1, 2])
    one_hot = np.eye(4)[labels]
    assert cross_entropy_error(y, labels) == pytest.approx(cross_entropy_error(y, one_hot), rel=1e-12)
    expected = -np.mean(np.log(y[np.arange(5), labels] + 1e-7))
    assert cross_entropy_error(y, labels) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_bad_target_shape():
    with pytest.raises(ValueError, match=r"\(3,\)"):
        cross_entropy_error(np.full((2, 4), 0.25), np.array([0, 1, 2]))


@pytest.mark.parametrize("t, error, words", [
    (np.array([0, -1]), ValueError, "label -1 at position 1"),
    (np.array([3, 10]), ValueError, "label 10 at position 1"),
    (np.array([0.0, 1.0]), TypeError, "astype(int)"),
    (np.array([[1, 0, 0, 0], [0, 1, 1, 0]]), ValueError, "row 1 is [0, 1, 1, 0]"),
])
def test_cross_entropy_refuses_bad_labels(t, error, words):
    y = np.full((2, 10), 0.1) if t.ndim == 1 else np.full((2, 4), 0.25)
    with pytest.raises(error) as info:
        cross_entropy_error(y, t)
    assert words in str(info.value) and str(info.value).startswith("t ")


@pytest.mark.parametrize("y, words", [
    (np.array([[2.0, -1.0, 0.5]]), "row 0 has a negative value -1"),
    (np.array([[0.2, 0.3, 0.5], [2.0, 1.0, 0.5]]), "row 1 sums to 3.5, not 1"),
    (np.array([[0.2, 0.3, np.nan]]), "row 0 sums to nan, not 1"),
])
def test_cross_entropy_refuses_scores_that_are_not_probabilities(y, words):
    with pytest.raises(ValueError) as info:
        cross_entropy_error(y, np.zeros(len(y), dtype=int))
    message = str(info.value)
    assert words in message and "apply softmax first" in message and "softmax_loss" in message


def test_cross_entropy_accepts_float32_softmax_rows():
    """float32 rounding leaves rows summing to 1 within about 1e-6: that must pass."""
    y = softmax(np.random.default_rng(0).standard_normal((1000, 10)).astype(np.float32) * 20)
    assert np.abs(y.sum(axis=1, dtype=np.float64) - 1).max() > 0  # the example has round-off
    assert math.isfinite(cross_entropy_error(y, np.zeros(1000, dtype=int)))


def test_softmax_loss_is_cross_entropy_of_softmax():
    """The book's softmax_loss(X, t), against a closed form: log-sum-exp minus the true score."""
    x = np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]])
    t = np.array([2, 0])
    expected = np.mean([math.log(sum(math.exp(v) for v in row)) - row[k] for row, k in zip(x, t)])
    assert softmax_loss(x, t) == pytest.approx(expected, rel=1e-6)  # 1e-7 inside the log
    assert softmax_loss(x, np.eye(3)[t]) == pytest.approx(softmax_loss(x, t), rel=1e-12)
