"""The values the exercises expect, confirmed from sources independent of the checks.

The book's published numbers, definitions worked out by hand, and central differences. (The right
answers in ``tests/learner_answers/`` confirm every case again: they are written independently and
must pass.)
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import mnist_lib
from mnist_lib.checks import EXERCISES, nb04

ex = EXERCISES.__getitem__


def numerical(f, x, h=1e-6):
    """Central-difference gradient of a scalar function of an array: an independent reference."""
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


def test_softmax_of_0_1_2_is_the_published_value():
    published = [0.09003057, 0.24472847, 0.66524096]
    assert np.allclose(ex(("02", "softmax")).cases[0].expected, published, rtol=0, atol=5e-9)
    assert np.allclose(mnist_lib.softmax(np.array([0.0, 1.0, 2.0])), published, rtol=0, atol=5e-9)


def test_a_layer_by_hand():
    # [1, 2] @ [[1, 3, 5], [2, 4, 6]] = [1 + 4, 3 + 8, 5 + 12] = [5, 11, 17], plus b
    case = ex(("03", "layer_output")).cases[0]
    assert np.allclose(case.expected, np.array([5, 11, 17]) + case.args[2])


def test_the_books_forward_pass_gives_the_published_numbers():
    # the book, section 3.4.3: x = [1.0, 0.5] gives [0.31682708, 0.69627909]
    assert np.allclose(ex(("04", "forward_by_hand")).cases[0].expected, [0.31682708, 0.69627909])
    assert np.allclose(mnist_lib.forward(mnist_lib.init_network(), np.array([1.0, 0.5])),
                       [0.31682708, 0.69627909])


def test_the_practice_network_gives_the_published_outputs():
    # the study notes' practice network: identity [0.12410253 1.04452448], softmax [0.28487193 0.71512807]
    network = nb04.practice_network()
    assert [network[f"W{i}"].shape for i in range(1, 7)] == [(5, 8), (8, 7), (7, 5), (5, 4), (4, 4),
                                                           (4, 2)]
    identity, soft = ex(("04", "practice_forward")).cases[:2]
    assert np.allclose(identity.expected, [0.12410253, 1.04452448])
    assert np.allclose(soft.expected, [0.28487193, 0.71512807])


def test_the_practice_network_is_a_fresh_copy_and_the_input_is_read_only():
    network = nb04.practice_network()
    network["W1"][0, 0] = 99.0
    assert nb04.practice_network()["W1"][0, 0] == 0.1
    with pytest.raises(ValueError):
        nb04.PRACTICE_X[0] = 2.0


def test_some_output_scores_of_the_practice_cases_are_negative():
    # otherwise a ReLU applied to the output scores could not show
    cases = ex(("04", "practice_forward")).cases
    scores = [nb04._deep_forward(c.args[0], c.args[1]) for c in cases]
    assert any((s < 0).any() for s, c in zip(scores, cases) if c.args[2] is mnist_lib.identity_function)
    assert any((s < 0).any() for s, c in zip(scores, cases) if c.args[2] is mnist_lib.softmax)


def test_accuracy_by_hand():
    # predictions [1, 0, 2, 1] against the labels [1, 2, 2, 0]: 2 of 4 right
    assert ex(("04", "batch_accuracy")).cases[0].expected == 0.5


def test_the_books_loss_values():
    t = np.zeros(10)
    t[2] = 1
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    assert math.isclose(0.5 * sum((a - b) ** 2 for a, b in zip(y, t)), 0.0975)
    mse = ex(("05", "mse"))
    assert [c.expected for c in mse.cases[:2]] == pytest.approx([0.0975, 0.5975])
    # cross-entropy: the book's -ln 0.6 = 0.5108 and -ln 0.1 = 2.3026, averaged over the batch
    ce = ex(("05", "cross_entropy_batch")).cases[1]
    assert ce.expected == pytest.approx((0.5108 + 2.3026) / 2, abs=1e-4)


def test_the_central_differences():
    # 0.01x² + 0.1x has slope 0.2 at 5 and 0.3 at 10; (2.1³ - 1.9³) / 0.2 = 3·2² + 0.1² = 12.01
    assert math.isclose(2 * 0.01 * 5 + 0.1, 0.2) and math.isclose(2 * 0.01 * 10 + 0.1, 0.3)
    assert math.isclose((2.1 ** 3 - 1.9 ** 3) / 0.2, 12.01)
    assert [c.expected for c in ex(("06", "central_diff")).cases] == [0.2, 0.3, 1.0, 12.01]


def test_the_learning_rates_that_converge_match_the_theory():
    # On x0² + x1² each step multiplies the point by (1 - 2 lr); from distance 5 the check wants
    # less than 0.01 after 20 steps: |1 - 2 lr| < 0.002 ** (1 / 20), lr between 0.1335 and 0.8665.
    bound = 0.002 ** (1 / 20)
    assert (1 - bound) / 2 == pytest.approx(0.1335, abs=1e-4)
    _, path = mnist_lib.gradient_descent(lambda x: x[0] ** 2 + x[1] ** 2, np.array([-3.0, 4.0]),
                                         lr=0.3, step_num=20)
    assert np.allclose(path[-1], np.array([-3.0, 4.0]) * 0.4 ** 20)


def test_the_sigmoid_derivative_matches_central_differences():
    case = ex(("07", "sigmoid_layer")).cases[1]
    x, dout = (np.array(a) for a in case.args)
    loss = lambda: float(np.sum(1 / (1 + np.exp(-x)) * dout))  # noqa: E731 (d loss / d y = dout)
    assert np.allclose(case.expected, numerical(loss, x), atol=1e-8)


def test_the_linear_backward_matches_central_differences():
    cases = ex(("07", "linear_backward")).cases
    dout, (x, W) = (np.array(a) if not isinstance(a, tuple) else a for a in cases[1].args)
    b = np.zeros(W.shape[0])
    loss = lambda: float(np.sum((x @ W.T + b) * dout))  # noqa: E731
    for case, variable in zip(cases[1:4], (x, W, b)):
        assert np.allclose(case.expected, numerical(loss, variable), atol=1e-6), case.label


def test_the_affine_layer_matches_central_differences():
    cases = ex(("07", "affine_layer")).cases
    W, b, x, dout = (np.array(a) for a in cases[0].args)
    loss = lambda: float(np.sum((x @ W + b) * dout))  # noqa: E731
    for case, variable in zip(cases[1:4], (x, W, b)):
        assert np.allclose(case.expected, numerical(loss, variable), atol=1e-6), case.label


def test_the_box_sizes_round_half_up():
    # 140 x 84 scaled to a height of 20: 84 * 20 / 140 = 12; 100 x 31: 6.2 -> 6; 40 x 25: 12.5 -> 13
    expected = {c.args: c.expected for c in ex(("10", "fit_in_box")).cases}
    assert expected[140, 84] == (20, 12) and expected[100, 31] == (20, 6)
    assert expected[40, 25] == (20, 13) and expected[25, 40] == (13, 20)
    assert expected[7, 3] == (20, 9)  # 3 * 20 / 7 = 8.57


def test_the_centre_of_mass_of_one_pixel_is_that_pixel():
    assert ex(("10", "centre_of_mass")).cases[0].expected == (2.0, 5.0)


def test_the_confusion_matrices_count_every_sample_once():
    for case in ex(("10", "confusion_matrix")).cases:
        t, y = case.args
        assert case.expected.sum() == len(t) and np.trace(case.expected) == np.sum(t == y)
