"""mnist_lib.optimizer against the published update rules.

The expected values are worked out here independently: closed forms for a constant gradient
(a velocity's geometric series, AdaGrad's sum of n equal squares, RMSprop's average of them), Adam
in its paper's form (Kingma and Ba, 2015, Algorithm 1: bias-corrected averages m_hat and v_hat),
and a loop over plain Python floats for a changing gradient.
"""
import math

import numpy as np
import pytest

from mnist_lib import optimizer as opt
from mnist_lib.optimizer import SGD, AdaGrad, Adam, Momentum, RMSprop

ALL = [SGD, Momentum, AdaGrad, RMSprop, Adam]


def params_and_grads(g=0.5):
    params = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([0.1, -0.1])}
    grads = {"W": np.full((2, 2), g), "b": np.full(2, g)}
    return params, grads


def run(optimizer, steps, g=0.5):
    params, grads = params_and_grads(g)
    start = {k: p.copy() for k, p in params.items()}
    for _ in range(steps):
        optimizer.update(params, grads)
    return {k: params[k] - start[k] for k in params}  # how far every value moved


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_sgd_moves_lr_times_the_gradient_each_step(steps):
    moved = run(SGD(lr=0.1), steps)
    for d in moved.values():
        np.testing.assert_allclose(d, -0.1 * 0.5 * steps, rtol=1e-12)


@pytest.mark.parametrize("steps", [1, 2, 7])
def test_momentum_velocity_is_a_geometric_series(steps):
    # v_n = -lr * g * (1 + mu + ... + mu**(n-1)); the position moves by v_1 + ... + v_n
    lr, mu, g = 0.1, 0.9, 0.5
    expected = sum(-lr * g * (1 - mu ** n) / (1 - mu) for n in range(1, steps + 1))
    for d in run(Momentum(lr=lr, momentum=mu), steps, g).values():
        np.testing.assert_allclose(d, expected, rtol=1e-12)


def test_momentum_approaches_ten_times_sgd_for_0_9():
    lr, g = 0.01, 0.5
    optimizer = Momentum(lr=lr, momentum=0.9)
    params, grads = params_and_grads(g)
    for _ in range(200):
        optimizer.update(params, grads)
    np.testing.assert_allclose(optimizer.v["b"], -10 * lr * g, rtol=1e-8)


@pytest.mark.parametrize("steps", [1, 4, 9])
def test_adagrad_steps_shrink_as_one_over_root_n(steps):
    # h_n = n g**2, so step n moves by lr * g / (sqrt(n) |g| + eps)
    lr, g = 0.1, 0.5
    expected = sum(-lr * g / (math.sqrt(n) * g + opt.EPSILON) for n in range(1, steps + 1))
    for d in run(AdaGrad(lr=lr), steps, g).values():
        np.testing.assert_allclose(d, expected, rtol=1e-12)


@pytest.mark.parametrize("steps", [1, 3, 10])
def test_rmsprop_averages_the_squares_with_decay(steps):
    # h_n = (1 - rho**n) g**2 for a constant gradient
    lr, rho, g = 0.01, 0.9, 0.5
    expected = sum(-lr * g / (math.sqrt(1 - rho ** n) * g + opt.EPSILON) for n in range(1, steps + 1))
    for d in run(RMSprop(lr=lr, decay_rate=rho), steps, g).values():
        np.testing.assert_allclose(d, expected, rtol=1e-12)


def adam_paper(gradients, lr, beta1, beta2, eps):
    """Kingma and Ba's Algorithm 1 on one scalar parameter: the total move after the gradients."""
    m = v = moved = 0.0
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        moved -= lr * m_hat / (math.sqrt(v_hat) + eps)
    return moved


def test_adam_is_the_papers_algorithm_with_the_books_epsilon():
    # The book folds both corrections into the learning rate; that is the paper's update with
    # its epsilon scaled by sqrt(1 - beta2**t), so the two agree exactly once eps is zero, and
    # to about eps / |g| otherwise.
    gradients = [0.5, -0.3, 0.8, 0.1, -1.2, 0.4]
    optimizer = Adam(lr=0.01, beta1=0.8, beta2=0.99)
    params = {"w": np.array([0.0])}
    for g in gradients:
        optimizer.update(params, {"w": np.array([g])})
    assert params["w"][0] == pytest.approx(adam_paper(gradients, 0.01, 0.8, 0.99, 0.0), rel=1e-5)
    assert optimizer.iter == len(gradients)


def test_adam_first_step_moves_every_weight_by_about_lr():
    # m_hat = g and v_hat = g**2 after one step: the move is lr * sign(g), whatever |g| (up to
    # epsilon: 1e-7 / sqrt(1 - 0.999) relative to |g|, 1.6e-4 for g = 0.02)
    params = {"w": np.array([0.0, 0.0, 0.0])}
    Adam(lr=0.001).update(params, {"w": np.array([3.0, -0.02, 40.0])})
    np.testing.assert_allclose(params["w"], [-0.001, 0.001, -0.001], rtol=2e-4)


def test_adam_counts_steps_not_arrays():
    optimizer = Adam()
    params, grads = params_and_grads()
    optimizer.update(params, grads)
    optimizer.update(params, grads)
    assert optimizer.iter == 2


@pytest.mark.parametrize("make", ALL, ids=lambda c: c.__name__)
def test_updates_change_the_arrays_in_place_and_leave_grads_alone(make):
    params, grads = params_and_grads()
    held = dict(params)
    grads_before = {k: g.copy() for k, g in grads.items()}
    make().update(params, grads)
    for key in params:
        assert params[key] is held[key], f"{make.__name__} replaced params[{key!r}]"
        np.testing.assert_array_equal(grads[key], grads_before[key])


@pytest.mark.parametrize("make", ALL, ids=lambda c: c.__name__)
def test_float32_stays_float32(make):
    params = {"W": np.ones((3, 2), np.float32)}
    optimizer = make()
    for _ in range(3):
        optimizer.update(params, {"W": np.full((3, 2), 0.25, np.float32)})
    assert params["W"].dtype == np.float32
    for state in vars(optimizer).values():
        if isinstance(state, dict):
            assert all(a.dtype == np.float32 for a in state.values())


@pytest.mark.parametrize("make", ALL, ids=lambda c: c.__name__)
def test_a_zero_gradient_moves_nothing_and_stays_finite(make):
    params = {"W": np.array([1.0, -1.0])}
    make().update(params, {"W": np.zeros(2)})
    np.testing.assert_array_equal(params["W"], [1.0, -1.0])


def test_the_books_defaults():
    assert SGD().lr == 0.01
    assert (Momentum().lr, Momentum().momentum) == (0.01, 0.9)
    assert AdaGrad().lr == 0.01
    assert (RMSprop().lr, RMSprop().decay_rate) == (0.01, 0.99)
    assert (Adam().lr, Adam().beta1, Adam().beta2) == (0.001, 0.9, 0.999)


@pytest.mark.parametrize("make, kwargs, error, words", [
    (SGD, {"lr": 0}, ValueError, "lr must be a finite number greater than 0"),
    (SGD, {"lr": "0.1"}, TypeError, "lr must be a number"),
    (Momentum, {"momentum": 1.0}, ValueError, "momentum must be at least 0 and below 1"),
    (Momentum, {"momentum": -0.1}, ValueError, "got -0.1"),
    (RMSprop, {"decay_rate": 1.5}, ValueError, "decay_rate must be at least 0 and below 1"),
    (Adam, {"beta1": float("nan")}, ValueError, "beta1 must be at least 0"),
    (Adam, {"beta2": True}, TypeError, "beta2 must be a number"),
])
def test_bad_settings_are_refused(make, kwargs, error, words):
    with pytest.raises(error, match=words):
        make(**kwargs)


@pytest.mark.parametrize("grads, error, words", [
    ({"W": np.zeros((2, 2))}, ValueError, r"grads must have the keys of params: it lacks \['b'\]"),
    ({"W": np.zeros((2, 2)), "b": np.zeros(2), "c": np.zeros(1)}, ValueError, r"it has \['c'\] too"),
    ({"W": np.zeros((2, 3)), "b": np.zeros(2)}, ValueError,
     r"grads\['W'\] has shape \(2, 3\) but params\['W'\] has shape \(2, 2\)"),
    ([np.zeros((2, 2)), np.zeros(2)], TypeError, "grads must be a dict of arrays"),
])
@pytest.mark.parametrize("make", ALL, ids=lambda c: c.__name__)
def test_grads_that_do_not_fit_params_are_refused_before_any_change(make, grads, error, words):
    params, _ = params_and_grads()
    before = {k: p.copy() for k, p in params.items()}
    with pytest.raises(error, match=words):
        make().update(params, grads)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])
