"""The learning-rate check of notebook 08 (``check_training_lr``), beyond its catalogue of mistakes.

Every exercise of notebooks 07 and 08 is checked by the engine: their answers are in
``tests/learner_answers/`` and ``tests/test_catalogue.py`` runs them. Here: the check measures on
validation images (never the test images), and its feedback is the run's verdict.
"""
from __future__ import annotations

import pytest

from mnist_lib import TwoLayerNet, checks, split_validation, train
from mnist_lib.checks import nb08
from mnist_lib.experiments import judge_run

# The book trains this network with lr = 0.1; 0.001 barely moves it in 300 steps; 3 kills its
# ReLU units (it stalls at chance level); 100 blows it up within a few steps.


@pytest.fixture
def fresh_runs():
    """The check remembers its runs; a test that changes the data must not see earlier ones."""
    nb08._training_run.cache_clear()
    yield
    nb08._training_run.cache_clear()


def test_learning_rate_check_passes_the_books_learning_rate(feedback):
    feedback.passes(checks.check_training_lr, 0.1)


def test_learning_rate_check_judges_on_validation_images_not_test_images(feedback, mnist,
                                                                         monkeypatch, fresh_runs):
    # With every test label wrong, a check that measured on the test set would fail lr = 0.1.
    (x_train, t_train), (x_test, t_test) = mnist
    monkeypatch.setattr(nb08, "load_mnist",
                        lambda: ((x_train, t_train), (x_test, (t_test + 1) % 10)))
    feedback.passes(checks.check_training_lr, 0.1)
    # ...and it does measure on the validation images, the last 10,000 training images.
    nb08._training_run.cache_clear()
    wrong_val = t_train.copy()
    wrong_val[-10_000:] = (wrong_val[-10_000:] + 1) % 10
    monkeypatch.setattr(nb08, "load_mnist", lambda: ((x_train, wrong_val), (x_test, t_test)))
    feedback.fails(checks.check_training_lr, 0.1, says="validation accuracy")


@pytest.mark.parametrize("lr", [0.001, 3.0, 100.0])
def test_the_feedback_is_the_runs_verdict(feedback, mnist, lr):
    """The run the exercise describes, trained here, gets the verdict the check prints."""
    (x_train, t_train), (x_val, t_val) = split_validation(*mnist[0])
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, (x_train[:10_000], t_train[:10_000]),
                    val_data=(x_val[:2000], t_val[:2000]), lr=lr, iterations=300, eval_every=50,
                    seed=0)
    feedback.fails(checks.check_training_lr, lr, says=judge_run(history, net, x_val[:2000]).message)
