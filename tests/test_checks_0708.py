"""The exercise checks of notebooks 07 (backpropagation) and 08 (training).

Each check must pass a correct answer and fail typical wrong ones with a message that says what
is wrong. Expected values come from the mathematics (derivatives checked by central differences
here), never from a check's own output.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from mnist_lib import checks


def numerical(f, x, h=1e-6):
    """Central-difference gradient of a scalar function of an array (an independent reference)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f()
        x[idx] = old - h
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


# --- 07: Sigmoid backward ----------------------------------------------------------------------

class GoodSigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


def test_sigmoid_derivative_formula_matches_central_differences():
    x = np.array([-2.0, 0.0, 1.5])
    y = 1 / (1 + np.exp(-x))
    for i, xi in enumerate(x):
        f = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
        assert math.isclose((f(xi + 1e-6) - f(xi - 1e-6)) / 2e-6, y[i] * (1 - y[i]), rel_tol=1e-6)


def test_sigmoid_check_passes_a_correct_layer(feedback):
    feedback.passes(checks.check_sigmoid_layer, GoodSigmoid)


class SigmoidStarter(GoodSigmoid):
    def backward(self, dout):
        return None


class SigmoidNoDout(GoodSigmoid):
    def backward(self, dout):
        return self.out * (1 - self.out)


class SigmoidTwice(GoodSigmoid):
    def backward(self, dout):
        s = 1 / (1 + np.exp(-self.out))
        return dout * s * (1 - s)


class SigmoidRaises(GoodSigmoid):
    def backward(self, dout):
        return dout * self.y


@pytest.mark.parametrize("layer, message", [
    (SigmoidStarter, "backward(dout) is None"),
    (SigmoidNoDout, "forgot dout"),
    (SigmoidTwice, "without applying the sigmoid again"),
    (SigmoidRaises, "raised AttributeError"),
])
def test_sigmoid_check_explains_typical_mistakes(feedback, layer, message):
    feedback.fails(checks.check_sigmoid_layer, layer, says=message)


# --- 07: Affine backward in PyTorch's layout (out = x @ W.T + b, W: (M, D)) ----------------------

def good_linear_backward(dout, cache):
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=0)


def test_linear_backward_reference_matches_central_differences():
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    dout = rng.standard_normal((4, 2))
    loss = lambda: float(np.sum((x @ W.T + b) * dout))  # noqa: E731  (d loss / d out = dout)
    dx, dW, db = good_linear_backward(dout, (x, W))
    assert np.allclose(dx, numerical(loss, x), atol=1e-6)
    assert np.allclose(dW, numerical(loss, W), atol=1e-6)
    assert np.allclose(db, numerical(loss, b), atol=1e-6)


def test_linear_backward_check_passes_a_correct_answer(feedback):
    feedback.passes(checks.check_linear_backward, good_linear_backward)


@pytest.mark.parametrize("answer, message", [
    (lambda dout, cache: None, "returned None"),
    (lambda dout, cache: (dout, dout), "three arrays"),
    (lambda dout, cache: (dout @ cache[1].T, None, None), "raised ValueError"),  # the book's layout
    (lambda dout, cache: (dout @ cache[1], cache[0].T @ dout, dout.sum(axis=0)),
     "dW has shape (3, 2)"),
    (lambda dout, cache: (dout @ cache[1], dout.T @ cache[0], dout.sum(axis=1)),
     "db has shape (4,)"),
    (lambda dout, cache: (dout @ cache[1], dout.T @ cache[0], dout.mean(axis=0)),
     "their sum"),
])
def test_linear_backward_check_explains_typical_mistakes(feedback, answer, message):
    feedback.fails(checks.check_linear_backward, answer, says=message)


# --- 07: find the bug in an Affine layer -------------------------------------------------------

class GoodAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class AffineMeanBias(GoodAffine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.mean(axis=0)
        return dx


class AffineNoDW(GoodAffine):
    def backward(self, dout):
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


def test_affine_check_passes_a_correct_layer_and_the_library_layer(feedback):
    from mnist_lib import Affine
    for layer in (GoodAffine, Affine):
        feedback.passes(checks.check_affine_layer, layer)


@pytest.mark.parametrize("layer, message", [
    (AffineMeanBias, "their sum"),
    (AffineNoDW, "no dW"),
])
def test_affine_check_finds_the_bug(feedback, layer, message):
    feedback.fails(checks.check_affine_layer, layer, says=message)


# --- 08: the SGD update ------------------------------------------------------------------------

def good_sgd_update(params, grads, lr):
    for key in params:
        params[key] -= lr * grads[key]


def test_sgd_check_passes_a_correct_update(feedback):
    feedback.passes(checks.check_sgd_update, good_sgd_update)


def rebinding_update(params, grads, lr):
    for key in params:
        params[key] = params[key] - lr * grads[key]


def uphill_update(params, grads, lr):
    for key in params:
        params[key] += lr * grads[key]


def no_lr_update(params, grads, lr):
    for key in params:
        params[key] -= grads[key]


def only_weights_update(params, grads, lr):
    for key in ("W1", "W2"):
        params[key] -= lr * grads[key]


@pytest.mark.parametrize("answer, message", [
    (lambda params, grads, lr: None, "did not change"),
    (rebinding_update, "new array"),
    (uphill_update, "uphill"),
    (no_lr_update, "learning rate"),
    (only_weights_update, "params['b1'] did not change"),
    (lambda params, grads, lr: params["x"], "raised KeyError"),
])
def test_sgd_check_explains_typical_mistakes(feedback, answer, message):
    feedback.fails(checks.check_sgd_update, answer, says=message)


# --- 08: choose a learning rate ----------------------------------------------------------------
# The book trains this network with lr = 0.1; 0.001 barely moves it in 300 steps; 10 kills its
# ReLU units (it stalls at chance level); 100 blows it up within a few steps.

def test_learning_rate_check_passes_the_books_learning_rate(feedback):
    feedback.passes(checks.check_training_lr, 0.1)


def test_learning_rate_check_judges_on_validation_images_not_test_images(feedback, mnist,
                                                                         monkeypatch):
    # With every test label wrong, a check that measured on the test set would fail lr = 0.1.
    from mnist_lib.checks import nb08
    (x_train, t_train), (x_test, t_test) = mnist
    monkeypatch.setattr(nb08, "load_mnist",
                        lambda: ((x_train, t_train), (x_test, (t_test + 1) % 10)))
    feedback.passes(checks.check_training_lr, 0.1)
    # ...and it does measure on the validation images, the last 10,000 training images.
    wrong_val = t_train.copy()
    wrong_val[-10_000:] = (wrong_val[-10_000:] + 1) % 10
    monkeypatch.setattr(nb08, "load_mnist", lambda: ((x_train, wrong_val), (x_test, t_test)))
    feedback.fails(checks.check_training_lr, 0.1, says="validation accuracy")


@pytest.mark.parametrize("lr, message", [
    (0.001, "too small"),
    (10.0, "too large, the steps overshoot"),
    (100.0, "diverged"),
    (None, "positive number"),
    (-0.1, "positive number"),
    ("0.1", "positive number"),
])
def test_learning_rate_check_explains_bad_choices(feedback, lr, message):
    feedback.fails(checks.check_training_lr, lr, says=message)


# --- 08: iterations per epoch -----------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    lambda n, b: math.ceil(n / b),
    lambda n, b: -(-n // b),
    lambda n, b: (n + b - 1) // b,
])
def test_iterations_check_passes_correct_answers(feedback, answer):
    feedback.passes(checks.check_iterations_per_epoch, answer)


@pytest.mark.parametrize("answer, message", [
    (lambda n, b: None, "returned None"),
    (lambda n, b: n / b, "a float"),
    (lambda n, b: n // b, "round up"),
    (lambda n, b: 1 / 0, "raised ZeroDivisionError"),
])
def test_iterations_check_explains_typical_mistakes(feedback, answer, message):
    feedback.fails(checks.check_iterations_per_epoch, answer, says=message)
