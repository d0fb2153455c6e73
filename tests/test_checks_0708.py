"""The learning-rate check of notebook 08 (``check_training_lr``, not on the check engine yet).

The other exercises of notebooks 07 and 08 are checked by the engine: their answers are in
``tests/learner_answers/`` and ``tests/test_catalogue.py`` runs them.
"""
from __future__ import annotations

import pytest

from mnist_lib import checks


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
