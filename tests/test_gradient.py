"""Numerical derivatives and gradient descent: the book's numbers, any shape, exact restoration."""
import warnings

import numpy as np
import pytest

from mnist_lib.gradient import gradient_descent, numerical_diff, numerical_gradient


def function_1(x):
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x):
    return np.sum(x ** 2)


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- numerical_diff ----------------------------------------------------------------------------

@pytest.mark.parametrize("x, slope", [(5.0, 0.2), (10.0, 0.3)])
def test_numerical_diff_book_values(x, slope):
    # d/dx (0.01 x^2 + 0.1 x) = 0.02 x + 0.1; the central difference is exact for a quadratic.
    assert numerical_diff(function_1, x) == pytest.approx(slope, abs=1e-9)


def test_numerical_diff_of_a_cubic():
    assert numerical_diff(lambda x: x ** 3, 2.0) == pytest.approx(12.0, rel=1e-8)


# --- numerical_gradient ------------------------------------------------------------------------

@pytest.mark.parametrize("point, grad", [((3.0, 4.0), (6.0, 8.0)), ((0.0, 2.0), (0.0, 4.0)),
                                         ((3.0, 0.0), (6.0, 0.0))])
def test_numerical_gradient_book_values(point, grad):
    np.testing.assert_allclose(numerical_gradient(function_2, np.array(point)), grad, atol=1e-9)


def test_numerical_gradient_0d():
    g = numerical_gradient(lambda x: x ** 3, np.array(2.0))
    assert g.shape == ()
    assert float(g) == pytest.approx(12.0, rel=1e-8)


def test_numerical_gradient_3d():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    g = numerical_gradient(function_2, x)
    assert g.shape == (2, 3, 4)
    np.testing.assert_allclose(g, 2 * x, atol=1e-9)


def test_numerical_gradient_weighted_sum_any_shape():
    # f(x) = sum(c * x) has gradient c exactly (up to round-off), whatever the layout.
    c = np.arange(12.0).reshape(3, 4)[:, ::2]  # a non-contiguous view
    x = np.ones_like(c)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(c * v), x), c, atol=1e-9)


@pytest.mark.parametrize("x, why", [
    (np.array([3, 4]), "an integer array cannot hold 0.0001"),
    (np.array([3.0, 4.0], dtype=np.float16), "float16 keeps only about 3 significant digits"),
    ([3, 4], "an integer array cannot hold 0.0001"),
])
def test_numerical_gradient_refuses_arrays_that_cannot_be_nudged(x, why):
    """Argument style: the book's version would return zeros here, silently."""
    with pytest.raises(TypeError) as info:
        numerical_gradient(function_2, x)
    message = str(info.value)
    assert why in message and "x.astype(float)" in message and "zeros" in message


@pytest.mark.parametrize("dtype", [np.int64, np.float16])
def test_numerical_gradient_refuses_them_in_the_closure_style_too(dtype):
    """The book's closure style: f ignores its argument and reads W, which is also passed as x."""
    W = np.array([[1, -2], [3, 4]], dtype=dtype)
    with pytest.raises(TypeError, match="x.astype\\(float\\)"):
        numerical_gradient(lambda _: np.sum(W ** 2), W)
    np.testing.assert_array_equal(W, [[1, -2], [3, 4]])  # refused before any nudge
    W = W.astype(float)  # the fix the message suggests
    np.testing.assert_allclose(numerical_gradient(lambda _: np.sum(W ** 2), W), 2 * W, atol=1e-9)


def test_numerical_gradient_list_input():
    np.testing.assert_allclose(numerical_gradient(function_2, [3.0, 4.0]), [6.0, 8.0], atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_numerical_gradient_restores_x_bitwise(dtype):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(300) * 10.0 ** rng.uniform(-5, 3, 300)).astype(dtype)
    x[:2] = [0.1, 0.1 + 1e-4]
    h = dtype(1e-4)
    # Restoring by arithmetic would leave some of these values a bit off, whichever way it is done.
    for restored in ((x + h) - h, (x - h) + h, ((x + h) - 2 * h) + h):
        assert np.any(restored != x), "the example must contain round-off"
    bits = x.copy().view(np.uint64 if dtype == np.float64 else np.uint32)
    numerical_gradient(function_2, x)
    np.testing.assert_array_equal(x.view(bits.dtype), bits)


def test_numerical_gradient_nudges_the_array_in_place():
    """The book's ``lambda W: net.loss(x, t)`` idiom: f ignores its argument and reads W itself."""
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    seen = []

    def loss(_):
        seen.append(W.copy())
        return np.sum(W ** 2)

    np.testing.assert_allclose(numerical_gradient(loss, W), 2 * W, atol=1e-9)
    assert len(seen) == 2 * W.size
    assert any(not np.array_equal(s, [[1.0, -2.0], [0.5, 3.0]]) for s in seen)
    np.testing.assert_array_equal(W, [[1.0, -2.0], [0.5, 3.0]])


# --- gradient_descent --------------------------------------------------------------------------

def test_gradient_descent_converges_at_the_predicted_rate(no_warnings):
    init = np.array([-3.0, 4.0])
    x, history = gradient_descent(function_2, init, lr=0.1, step_num=100)
    # Each step multiplies x by (1 - 2 lr) = 0.8, so x_100 = 0.8**100 * x_0 (|x_100| ~ 1.0e-9).
    expected = 0.8 ** 100 * np.array([-3.0, 4.0])
    np.testing.assert_allclose(x, expected, rtol=1e-6)
    assert np.linalg.norm(x) < 1.1e-9
    assert history.shape == (101, 2)
    np.testing.assert_array_equal(history[0], [-3.0, 4.0])
    np.testing.assert_array_equal(history[-1], x)
    k = np.arange(101)[:, None]
    np.testing.assert_allclose(history, 0.8 ** k * np.array([-3.0, 4.0]), rtol=1e-6)


def test_gradient_descent_does_not_modify_init_x():
    init = np.array([-3.0, 4.0])
    x, history = gradient_descent(function_2, init, lr=0.1, step_num=10)
    np.testing.assert_array_equal(init, [-3.0, 4.0])
    assert x is not init


def test_gradient_descent_accepts_integers_and_lists():
    x, _ = gradient_descent(function_2, [-3, 4], lr=0.1, step_num=100)
    np.testing.assert_allclose(x, 0.8 ** 100 * np.array([-3.0, 4.0]), rtol=1e-6)


def test_gradient_descent_large_lr_diverges_without_warnings(no_warnings):
    x, history = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=10.0, step_num=100)
    # x is multiplied by -19 each step until x + h == x in floating point: huge values.
    assert np.max(np.abs(x)) > 1e10
    assert np.abs(history[3]) == pytest.approx(19 ** 3 * np.array([3.0, 4.0]), rel=1e-6)
    assert history.shape == (101, 2)


def test_gradient_descent_tiny_lr_barely_moves():
    init = np.array([-3.0, 4.0])
    x, _ = gradient_descent(function_2, init, lr=1e-10, step_num=100)
    np.testing.assert_allclose(x, (1 - 2e-10) ** 100 * init, rtol=1e-9)
    assert np.max(np.abs(x - init)) < 1e-6
    assert not np.array_equal(x, init)
