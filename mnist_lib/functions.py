"""Activation and loss functions, with the names of the book's ``common/functions.py``.

Every function takes NumPy arrays (or scalars) and keeps the input's float dtype.
"""
from __future__ import annotations

import numpy as np

from . import validate

__all__ = ["identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu", "relu_grad",
           "tanh", "tanh_grad", "softmax", "mean_squared_error", "cross_entropy_error",
           "softmax_loss"]


def identity_function(x: np.ndarray) -> np.ndarray:
    """Return ``x`` unchanged: the output activation for regression."""
    return x


def step_function(x: np.ndarray) -> np.ndarray:
    """1 where ``x > 0``, else 0, as integers (``np.int64``: the old alias np.int was removed)."""
    return (np.asarray(x) > 0).astype(np.int64)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``, computed without overflow for large negative ``x`` (e.g. -1000)."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    # exp(-|x|) never overflows; pick the algebraically equal form that uses it.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of :func:`sigmoid` at ``x``: ``s * (1 - s)``."""
    s = sigmoid(x)
    return s * (1 - s)


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)`` elementwise."""
    return np.maximum(0, x)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of :func:`relu`: 1 where ``x > 0``, else 0 (same dtype as ``x``).

    At the kink ``x = 0`` any value from 0 to 1 is valid; this gives 0, as the ``Relu`` layer's
    backward does (its mask blocks ``x <= 0``), where the book's ``relu_grad`` gives 1.
    """
    x = np.asarray(x)
    return (x > 0).astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent elementwise."""
    return np.tanh(x)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of :func:`tanh`: ``1 - tanh(x)**2``."""
    return 1 - np.tanh(x) ** 2


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax of a score vector ``(C,)``, or of each row of a batch ``(N, C)``.

    The row maximum is subtracted first, so large scores such as [1010, 1000, 990] do not overflow.
    """
    x = np.asarray(x)
    validate.scores(x)
    # A batch (N, C) is worked on as its transpose (C, N), one row per class: NumPy takes a max or
    # a sum down a few long rows several times faster than across many short ones (about 6x for
    # N = 10000, C = 10). A single score vector (C,) is its own transpose.
    xt = np.ascontiguousarray(x.T)
    e = np.exp(xt - xt.max(axis=0))
    return (e / e.sum(axis=0)).T


def mean_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """The book's sum-of-squares error: ``0.5 * sum((y - t)**2)``; ``y`` and ``t`` of the same shape."""
    y, t = np.asarray(y), np.asarray(t)
    validate.same_shape(y, t)
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Mean cross-entropy of probabilities ``y`` against targets ``t``, with the book's 1e-7 inside
    the log (finite when the true class has probability 0).

    ``y``: one sample ``(C,)`` or a batch ``(N, C)`` of probabilities, as :func:`softmax` returns
    them (raw scores are refused: use :func:`softmax_loss`). ``t``: one-hot targets shaped like
    ``y``, or whole-number labels ``0 .. C-1``, ``()`` for one sample, ``(N,)`` for a batch.
    """
    y, t = validate.targets(y, t)
    validate.probabilities(y)
    return _cross_entropy(y, t)


def softmax_loss(x: np.ndarray, t: np.ndarray) -> float:
    """The book's ``softmax_loss``: ``cross_entropy_error(softmax(x), t)`` for scores ``x: (N, C)``."""
    return cross_entropy_error(softmax(x), t)


def _cross_entropy(y: np.ndarray, t: np.ndarray) -> float:
    """:func:`cross_entropy_error` after its checks: ``y: (N, C)``, ``t: (N,)`` or ``(N, C)``."""
    n = y.shape[0]
    if t.shape == y.shape:  # one-hot targets
        return float(-np.sum(t * np.log(y + 1e-7)) / n)
    return float(-np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n)
