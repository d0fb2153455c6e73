"""How a trained classifier does, class by class."""
from __future__ import annotations

import numpy as np

from . import validate

__all__ = ["confusion_matrix"]


def confusion_matrix(t: np.ndarray, y: np.ndarray, classes: int = 10) -> np.ndarray:
    """Count how often each true class got each prediction.

    Args:
        t: the true labels ``(N,)``, whole numbers ``0 .. classes - 1``.
        y: the predicted labels ``(N,)``, e.g. ``network.predict(x).argmax(axis=1)``.
        classes: the number of classes.

    Returns:
        ``(classes, classes)`` integer counts: ``matrix[i, j]`` is the number of samples of class
        ``i`` predicted as ``j``. The diagonal holds the right answers; each row sums to the number
        of samples of that class.
    """
    classes = validate.positive_int(classes, "classes")
    validate.true_and_predicted(t, y, classes)
    return np.bincount(classes * t + y, minlength=classes * classes).reshape(classes, classes)
