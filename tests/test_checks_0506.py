"""The exercise checks of 05_loss_functions and 06_numerical_gradients.

Each check must pass a correct answer and, for the typical beginner mistakes, fail with a message
that names the mistake. The correct answers here are written from the definitions (the book's
formulas), not copied from the checks.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from mnist_lib import checks, gradient_descent, numerical_gradient


# --- 05_loss_functions -------------------------------------------------------------------------

def test_book_loss_values_from_the_definitions():
    """The numbers the checks expect: the book's example and -ln of the true class's probability."""
    t = np.zeros(10)
    t[2] = 1
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    assert math.isclose(0.5 * sum((a - b) ** 2 for a, b in zip(y, t)), 0.0975)
    assert math.isclose(-math.log(0.6), 0.5108, abs_tol=5e-5)
    assert math.isclose(-math.log(0.1), 2.3026, abs_tol=5e-5)


def mse(y, t):
    return 0.5 * np.sum((y - t) ** 2)


@pytest.mark.parametrize("wrong, says", [
    (lambda y, t: None, "did you forget to return a value"),
    (lambda y, t: np.sum((y - t) ** 2), "factor 0.5"),
    (lambda y, t: np.mean((y - t) ** 2), "mean over the classes"),
    (lambda y, t: 0.5 * np.mean((y - t) ** 2), "mean over the classes"),
    (lambda y, t: 0.5 * (y - t) ** 2, "should be one number"),
    (lambda y, t: 0.5 * np.sum(y - t), "square the differences"),
    (lambda y, t: 0.5 * np.sum(np.abs(y - t)), "square the differences"),
    (lambda y, t: 1 / 0, "raised ZeroDivisionError"),
])
def test_check_mse(feedback, wrong, says):
    feedback.passes(checks.check_mse, mse)
    feedback.fails(checks.check_mse, wrong, says=says)


def cross_entropy_batch(y, t):
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n


def _log_unguarded(y, t):
    with np.errstate(divide="ignore"):
        return -np.sum(np.log(y[np.arange(len(y)), t])) / len(y)


@pytest.mark.parametrize("wrong, says", [
    (lambda y, t: None, "did you forget to return a value"),
    (lambda y, t: -np.sum(np.log(y[np.arange(len(y)), t] + 1e-7)), "divide by the batch size"),
    (lambda y, t: np.sum(np.log(y[np.arange(len(y)), t] + 1e-7)) / len(y), "the sign is wrong"),
    (lambda y, t: -np.sum(np.log10(y[np.arange(len(y)), t] + 1e-7)) / len(y), "not np.log10"),
    (lambda y, t: -np.sum(np.log(y[:, t] + 1e-7)) / len(y), "y[np.arange(N), t]"),
    (lambda y, t: -np.sum(t * np.log(y + 1e-7)) / len(y), "formula for one-hot targets"),
    (lambda y, t: -np.log(y[np.arange(len(y)), t] + 1e-7), "should be one number"),
    (_log_unguarded, "np.log(y + 1e-7)"),
    (lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t] + 1e-3)), "exactly 1e-7"),
    (lambda y, t: -np.mean(np.log(y[np.arange(len(y)), t] + 1e-9)), "-log(1e-7)"),
])
def test_check_cross_entropy_batch(feedback, wrong, says):
    feedback.passes(checks.check_cross_entropy_batch, cross_entropy_batch)
    feedback.fails(checks.check_cross_entropy_batch, wrong, says=says)


def test_check_cross_entropy_batch_explains_a_broadcasting_error(feedback):
    """The one-hot formula on 10-class rows with 2 labels cannot broadcast: the error gets a hint."""
    def one_hot_formula(y, t):
        if y.shape[1] == len(y):  # let the 3x3 case through to reach the 2x10 one
            return cross_entropy_batch(y, t)
        return -np.sum(t * np.log(y + 1e-7)) / len(y)
    feedback.fails(checks.check_cross_entropy_batch, one_hot_formula, says="one label per row")


@pytest.mark.parametrize("wrong, says", [
    (lambda labels, c: None, "did you forget to return a value"),
    (lambda labels, c: np.eye(c)[labels].T, "one row per label"),
    (lambda labels, c: np.eye(c)[labels - 1], "values differ"),
    (lambda labels, c: 1 / 0, "raised ZeroDivisionError"),
])
def test_check_one_hot(feedback, wrong, says):
    feedback.passes(checks.check_one_hot, lambda labels, c: np.eye(c)[labels])
    feedback.passes(checks.check_one_hot,
                    lambda labels, c: (np.arange(c) == labels[:, None]).astype(np.int64))
    feedback.fails(checks.check_one_hot, wrong, says=says)


def get_batch(x, t, batch_size, rng):
    idx = rng.choice(len(x), batch_size)
    return x[idx], t[idx]


def get_batch_without_repeats(x, t, batch_size, rng):
    idx = rng.permutation(len(x))[:batch_size]
    return x[idx], t[idx]


def drawn_twice(x, t, batch_size, rng):
    return x[rng.choice(len(x), batch_size)], t[rng.choice(len(x), batch_size)]


def global_generator(x, t, batch_size, rng):
    idx = np.random.choice(len(x), batch_size)
    return x[idx], t[idx]


def first_rows(x, t, batch_size, rng):
    return x[:batch_size], t[:batch_size]


def always_ten(x, t, batch_size, rng):
    idx = rng.choice(len(x), 10)
    return x[idx], t[idx]


def indices_only(x, t, batch_size, rng):
    return rng.choice(len(x), batch_size)


@pytest.mark.parametrize("wrong, says", [
    (lambda x, t, b, rng: None, "did you forget to return"),
    (drawn_twice, "draw the indices once"),
    (global_generator, "not np.random.choice"),
    (first_rows, "same rows whatever the seed"),
    (always_ten, "expected x_batch of shape (3, 4)"),
    (indices_only, "should return two arrays"),
])
def test_check_get_batch(feedback, wrong, says):
    feedback.passes(checks.check_get_batch, get_batch)
    feedback.passes(checks.check_get_batch, get_batch_without_repeats)
    feedback.fails(checks.check_get_batch, wrong, says=says)


# --- 06_numerical_gradients --------------------------------------------------------------------

def test_central_difference_values_from_the_definitions():
    """The checks expect 0.2 and 0.3 (the book), and for x**3 at 2 with h = 0.1 exactly 3*4 + h**2."""
    assert math.isclose(2 * 0.01 * 5 + 0.1, 0.2) and math.isclose(2 * 0.01 * 10 + 0.1, 0.3)
    assert math.isclose((2.1 ** 3 - 1.9 ** 3) / 0.2, 12.01)
    assert math.isclose((2.1 ** 3 - 2.0 ** 3) / 0.1, 12.61)


def central_diff(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def h_set_inside(f, x, h=1e-4):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def no_h_parameter(f, x):
    return (f(x + 1e-4) - f(x - 1e-4)) / 2e-4


@pytest.mark.parametrize("wrong, says", [
    (lambda f, x, h=1e-4: None, "did you forget to return a value"),
    (lambda f, x, h=1e-4: (f(x + h) - f(x)) / h, "forward difference"),
    (lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / h, "divide by 2 * h"),
    (lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / 2 * h, "with brackets"),
    (lambda f, x, h=1e-4: f(x + h) - f(x - h) / (2 * h), "brackets around the difference"),
    (lambda f, x, h=1e-50: (f(x + h) - f(x - h)) / (2 * h), "x + h == x"),
    (h_set_inside, "ignores the h you were given"),
    (no_h_parameter, "third parameter"),
])
def test_check_central_diff(feedback, wrong, says):
    feedback.passes(checks.check_central_diff, central_diff)
    feedback.fails(checks.check_central_diff, wrong, says=says)


def f_exercise(x):
    return x[0] ** 2 + 3 * x[0] * x[1]


def test_check_gradient_passes_exact_and_numerical_answers(feedback):
    # d/dx0 = 2*x0 + 3*x1 = 8 and d/dx1 = 3*x0 = 3 at (1, 2)
    feedback.passes(checks.check_gradient, f_exercise, np.array([8.0, 3.0]))
    feedback.passes(checks.check_gradient,
                    f_exercise, numerical_gradient(f_exercise, np.array([1.0, 2.0])))
    feedback.passes(checks.check_gradient, f_exercise, [8, 3])


@pytest.mark.parametrize("f, grad, says", [
    (f_exercise, None, "grad is None"),
    (f_exercise, np.array([3.0, 8.0]), "swapped"),
    (f_exercise, np.array([-8.0, -3.0]), "signs are flipped"),
    (f_exercise, np.array([7.0, 6.0]), "gradient at (2, 1)"),
    (f_exercise, 7.0, "single number"),
    (f_exercise, np.array([8.0, 3.0, 0.0]), "expected shape (2,)"),
    (lambda x0, x1: x0 ** 2 + 3 * x0 * x1, None, "f takes ONE argument"),
    (lambda x: x[0] ** 2 + x[1] ** 2, np.array([2.0, 4.0]), "f should compute"),
    (None, None, "f should be a function"),
])
def test_check_gradient_mistakes(feedback, f, grad, says):
    feedback.fails(checks.check_gradient, f, grad, says=says)


def test_learning_rates_that_converge_match_the_theory(feedback):
    """On x0**2 + x1**2 each step multiplies the point by (1 - 2*lr); from distance 5 the check
    wants < 0.01 after 20 steps, i.e. |1 - 2*lr| < 0.002**(1/20)."""
    bound = 0.002 ** (1 / 20)
    for lr in (0.15, 0.3, 0.5, 0.7, 0.85):
        assert abs(1 - 2 * lr) < bound
        feedback.passes(checks.check_descent_lr, lr)
    for lr in (0.1, 0.9):
        assert abs(1 - 2 * lr) > bound
    _, path = gradient_descent(lambda x: x[0] ** 2 + x[1] ** 2, np.array([-3.0, 4.0]), lr=0.5, step_num=1)
    assert np.allclose(path[1], 0)


@pytest.mark.parametrize("lr, says", [
    (None, "lr is None"),
    ("0.3", "should be a number"),
    (0, "not positive"),
    (-0.1, "not positive"),
    (0.1, "too slowly"),
    (1e-10, "hardly moved"),
    (0.9, "zig-zags"),
    (1, "back and forth"),
    (1.5, "the points grow"),
    (10, "the points grow"),
])
def test_check_descent_lr_mistakes(feedback, lr, says):
    feedback.fails(checks.check_descent_lr, lr, says=says)
