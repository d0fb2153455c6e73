"""confusion_matrix: counts of true class against prediction, checked against counts by hand."""
import numpy as np
import pytest

from mnist_lib.evaluation import confusion_matrix


def test_confusion_matrix_counts_true_against_predicted():
    t = np.array([0, 0, 1, 2, 2, 2])
    y = np.array([0, 1, 1, 2, 0, 2])
    expected = np.zeros((3, 3), dtype=int)
    expected[0, 0], expected[0, 1], expected[1, 1], expected[2, 2], expected[2, 0] = 1, 1, 1, 2, 1
    assert np.array_equal(confusion_matrix(t, y, classes=3), expected)
    rng = np.random.default_rng(0)
    t, y = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    matrix = confusion_matrix(t, y)
    assert matrix.sum() == 500 and np.array_equal(matrix.sum(axis=1), np.bincount(t, minlength=10))
    assert np.trace(matrix) == np.sum(t == y)
    with pytest.raises(ValueError, match="y has 2 labels for 3"):
        confusion_matrix(np.array([0, 1, 2]), np.array([0, 1]))
    with pytest.raises(ValueError, match="label 10"):
        confusion_matrix(np.array([0, 1]), np.array([0, 10]))
