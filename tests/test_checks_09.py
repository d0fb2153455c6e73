"""The exercise checks of notebook 09 (the learning-rate lab), beyond their catalogue of mistakes
(tests/learner_answers/nb09.py, run by test_catalogue.py).

The edges of Try it 1 are confirmed by running gradient descent (numerical gradients), independently
of the check's exact factors; the learning rates of Try it 2 and 3 are judged on the lab's run, and
the check's feedback must quote that run's verdict, from mnist_lib.experiments.
"""
from __future__ import annotations

import numpy as np
import pytest

from mnist_lib import checks
from mnist_lib.data import split_validation
from mnist_lib.experiments import (MIN_TRAIN_SIZE, STALL_ACCURACY, bowl, gradient_descent_path,
                                   lr_range_test, path_verdict, run_lr_experiment, steep_bowl,
                                   valley)
from mnist_lib.networks import MultiLayerNet

# --- Try it 1: the edge -------------------------------------------------------------------------

@pytest.mark.parametrize("f, edge", [(bowl, 1.0), (valley, 1.0), (steep_bowl, 0.2)])
def test_the_edges_are_where_gradient_descent_stops_converging(f, edge):
    below = gradient_descent_path(f, (-1.0, 1.0), lr=0.97 * edge, steps=400)
    at = gradient_descent_path(f, (-1.0, 1.0), lr=edge, steps=400)
    above = gradient_descent_path(f, (-1.0, 1.0), lr=1.03 * edge, steps=400)
    assert np.abs(below[-1]).max() < 0.5  # on its way in (the valley's x crawls)
    # at the edge the steepest coordinate, y, jumps between 1 and -1 (x may converge meanwhile)
    assert path_verdict(at[:, 1]).verdict == "oscillates forever"
    assert path_verdict(above).verdict == "diverged"


def test_the_edge_check_accepts_the_edges_and_nothing_next_to_them(feedback):
    feedback.passes(checks.check_edge_lr, 1, 1.0, 0.2)
    feedback.passes(checks.check_edge_lr, 1.0, 1.0, 1 / 5)
    # a learning rate that still converges, or already diverges, is not where it stops converging
    feedback.fails(checks.check_edge_lr, 0.99, 1, 0.2,
                   says="bowl (f = x² + y²): at lr = 0.99 the path converged with a zig-zag")
    feedback.fails(checks.check_edge_lr, 1.0009, 1, 0.2,
                   says="bowl (f = x² + y²): at lr = 1.0009 the path diverged")
    feedback.fails(checks.check_edge_lr, 1, 1, 0.199, says="steep (f = 5x² + 5y²): at lr = 0.199")


# --- the learning rates judged on the lab's run ---------------------------------------------------

def test_the_stall_check_accepts_a_clear_stall(feedback, mnist):
    feedback.passes(checks.check_stalled_lr, 3.0)
    # measured directly on that run: chance accuracy and most hidden units dead
    run = run_lr_experiment(3.0, data=mnist)
    (_, _), (x_val, t_val) = split_validation(*mnist[0])
    assert run.network.accuracy(x_val, t_val) < STALL_ACCURACY
    z = x_val @ run.network.params["W1"] + run.network.params["b1"]
    assert np.sum(np.all(z <= 0, axis=0)) > 50 / 2


@pytest.mark.parametrize("lr", [1.2, 1.5])
def test_the_stall_check_refuses_runs_between_unstable_and_stalled(feedback, lr, mnist):
    """Runs that many hidden units die in: near the edge on one computer, clearly unstable on
    another (lr 1.2 with one BLAS thread): the check refuses them either way, quoting the run."""
    run = run_lr_experiment(lr, data=mnist)
    assert run.verdict.near_edge or run.verdict.verdict == "unstable"
    edge = ("near the edge",) if run.verdict.near_edge else ()
    feedback.fails(checks.check_stalled_lr, lr, says=(run.verdict.message,) + edge)


def test_the_checks_quote_the_runs_verdict(feedback, mnist):
    for check, lr in [(checks.check_stalled_lr, 0.1), (checks.check_range_lr, 0.001)]:
        feedback.fails(check, lr, says=run_lr_experiment(lr, data=mnist).verdict.message)


def test_the_range_tests_rule_of_thumb_passes(feedback, mnist):
    """A learning rate ten times below the range test's lowest point, as the notebook suggests."""
    (x_train, t_train), _ = split_validation(*mnist[0])
    network = MultiLayerNet(784, [50], 10, activation="relu", weight_init_std="he", seed=0)
    found = lr_range_test(network, (x_train[:10_000], t_train[:10_000]))
    assert 0.3 < found.lowest < 3  # the lab's network: trains at 0.3, is unstable at 1
    feedback.passes(checks.check_range_lr, found.lowest / 10)


def test_budget_passes_the_solution(feedback):
    feedback.passes(checks.check_budget, {"lr": 0.3, "hidden_size": 200})
    feedback.fails(checks.check_budget, {"lr": 0.3, "train_size": MIN_TRAIN_SIZE - 1},
                   says="train_size must be between 100")
