"""The exercise checks of notebook 09 (the learning-rate lab).

Each check must pass a correct answer and fail typical wrong ones with a message that says what
is wrong. The edges of exercise 1 are confirmed by running gradient descent, independently of
the check; the learning rates of exercise 2 are those of the lab's verdict table.
"""
from __future__ import annotations

import numpy as np
import pytest

from mnist_lib import checks
from mnist_lib.widgets import classify_path, gradient_descent_path


# --- exercise 1: the largest learning rate that converges --------------------------------------

@pytest.mark.parametrize("f, edge", [
    (lambda p: p[0] ** 2 + p[1] ** 2, 1.0),
    (lambda p: p[0] ** 2 / 20 + p[1] ** 2, 1.0),
    (lambda p: 5 * p[0] ** 2 + 5 * p[1] ** 2, 0.2),
])
def test_the_edges_are_where_gradient_descent_starts_to_diverge(f, edge):
    below = gradient_descent_path(f, (-1.0, 1.0), lr=0.97 * edge, steps=400)
    above = gradient_descent_path(f, (-1.0, 1.0), lr=1.03 * edge, steps=400)
    assert np.abs(below[-1]).max() < 0.5  # on its way in (the valley's x crawls)
    assert classify_path(above) == "diverged"


def test_largest_stable_lr_passes_the_edges(feedback):
    feedback.passes(checks.check_largest_stable_lr, 1, 1.0, 0.2)


@pytest.mark.parametrize("answer, expected", [
    ((0.5, 1, 0.2), "At 0.5 a factor is 0"),                     # the fastest, not the edge
    ((1, 20, 0.2), "the steepest direction sets the limit"),     # the flat direction's edge
    ((1, 1, 0.4), "do not forget the factor 2"),                 # 1 - 5 lr > -1
    ((2, 1, 0.2), "do not forget the factor 2"),
    ((1, 1, 0.3), "for steep (f = 5 x² + 5 y²): 0.3 is not the edge"),
    ((1, "1", 0.2), "valley should be a number (a learning rate)"),
    ((1, 1, -0.2), "steep should be a finite number greater than 0"),
])
def test_largest_stable_lr_explains_the_mistake(feedback, answer, expected):
    feedback.fails(checks.check_largest_stable_lr, *answer, says=expected)


# --- exercise 2: find a learning rate that stalls ----------------------------------------------

def test_stalled_lr_passes_a_stall(feedback):
    feedback.passes(checks.check_stalled_lr, 3.0)


@pytest.mark.parametrize("lr, expected", [
    (0.1, "lr = 0.1 trains"),
    (0.001, "lr = 0.001 crawls: it is too small, not too large"),
    (10, "lr = 10 diverges"),
    ("3", "lr should be a number"),
    (float("nan"), "lr should be a finite number greater than 0"),
])
def test_stalled_lr_says_which_way_to_go(feedback, lr, expected):
    feedback.fails(checks.check_stalled_lr, lr, says=expected)


# --- exercise 3: a validation accuracy within an iteration budget ------------------------------

def test_budget_passes_settings_that_reach_the_goal(feedback):
    feedback.passes(checks.check_budget, {"lr": 0.3, "hidden_size": 200})


@pytest.mark.parametrize("settings, expected", [
    ({"lr": 0.1, "epochs": 10}, "= 1000 iterations, over the budget of 300"),
    ({"lr": 0.1, "batch_size": 10, "epochs": 1}, "= 1000 iterations, over the budget of 300"),
    ({"lr": 0.1}, "below 92%"),                      # trains, but the default lr is cautious
    ({"lr": 10}, "the run diverged: lr = 10 is too large"),
    ({"lr": 3}, "the run stalled: lr = 3 is too large"),
    ({"lr": 0.1, "hiden_size": 200}, "unknown setting 'hiden_size'"),
    ({"batch_size": 100}, "with at least 'lr'"),
    (0.3, "settings should be a dict"),
    ({"lr": 0.1, "train_size": 50}, "refused them: train_size must be between 100"),
])
def test_budget_explains_the_mistake(feedback, settings, expected):
    feedback.fails(checks.check_budget, settings, says=expected)
