"""Activation and loss functions, with the names of the book's ``common/functions.py``.

Every function takes NumPy arrays (or scalars) and keeps the input's float dtype.
"""
from __future__ import annotations

import numpy as np

from . import validate

__all__ = ["identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu", "relu_grad",
           "tanh", "tanh_grad", "softmax", "mean_squared_error", "cross_entropy_error",
           "softmax_loss"]

PROBABILITY_TOL = 1e-4  # how far a row of probabilities may sum from 1 (float32 rounding is ~1e-6)


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

    At exactly ``x = 0``, where ReLU has a kink and no derivative, this gives 0; the book's
    ``relu_grad`` gives 1 there. Any value from 0 to 1 is a valid choice at the kink; 0 is the one
    the ``Relu`` layer uses (in the book too: its mask blocks ``x <= 0``), so the function and the
    layer agree. It only matters for inputs that are exactly 0.
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
    if x.ndim not in (1, 2):
        raise ValueError(f"softmax expects scores of shape (C,) or (N, C), got shape {x.shape}")
    # A batch (N, C) is worked on as its transpose (C, N), one row per class: NumPy takes a max or
    # a sum down a few long rows several times faster than across many short ones (about 6x for
    # N = 10000, C = 10). A single score vector (C,) is its own transpose.
    xt = np.ascontiguousarray(x.T)
    e = np.exp(xt - xt.max(axis=0))
    return (e / e.sum(axis=0)).T


def mean_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """The book's sum-of-squares error: ``0.5 * sum((y - t)**2)``; ``y`` and ``t`` of the same shape."""
    y, t = np.asarray(y), np.asarray(t)
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got y {y.shape} and t {t.shape}")
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Mean cross-entropy of predicted probabilities ``y`` against targets ``t``.

    Args:
        y: probabilities, one sample ``(C,)`` or a batch ``(N, C)``: every value at least 0 and
            every row summing to 1 (what :func:`softmax` returns). Raw scores are refused: use
            :func:`softmax_loss`, or ``softmax`` first.
        t: one-hot targets of the same shape as ``y``, or whole-number labels ``0 .. C-1``:
            ``()`` for one sample, ``(N,)`` for a batch.

    A tiny constant (1e-7) inside the log keeps the result finite when the true class has
    probability 0.
    """
    y, t = _as_batch(y, t)
    _check_probabilities(y)
    validate.labels(t, len(y), "t", classes=y.shape[1])
    return _cross_entropy(y, t)


def softmax_loss(x: np.ndarray, t: np.ndarray) -> float:
    """The book's ``softmax_loss``: ``cross_entropy_error(softmax(x), t)`` for scores ``x: (N, C)``."""
    return cross_entropy_error(softmax(x), t)


def _as_batch(y, t) -> tuple[np.ndarray, np.ndarray]:
    """``y`` as ``(N, C)`` and ``t`` as ``(N,)`` or ``(N, C)``; one sample becomes a batch of one."""
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.ndim == 1 else t.reshape(1)
    if y.ndim != 2:
        raise ValueError(f"y must be (C,) or (N, C), got shape {y.shape}")
    n = y.shape[0]
    if t.shape != y.shape and t.shape != (n,):
        raise ValueError(f"t must be one-hot {y.shape} or labels ({n},), got shape {t.shape}")
    return y, t


def _check_probabilities(y: np.ndarray) -> None:
    """Refuse a ``y: (N, C)`` that is not a batch of probability rows, saying what to do instead."""
    if y.dtype.kind not in "fiu":
        raise TypeError(f"y must hold probabilities (numbers), got dtype {y.dtype}")
    sums = y.sum(axis=1, dtype=np.float64)
    bad_sum = ~(np.abs(sums - 1) <= PROBABILITY_TOL)  # also catches NaN
    negative = (y < 0).any(axis=1)
    if bad_sum.any() or negative.any():
        i = int(np.argmax(bad_sum | negative))
        what = (f"has a negative value {y[i].min():g}" if negative[i]
                else f"sums to {sums[i]:g}, not 1")
        raise ValueError(f"y must hold probabilities (every value >= 0, every row summing to 1), "
                         f"but row {i} {what}: these look like raw scores; apply softmax first, "
                         f"cross_entropy_error(softmax(scores), t), or use softmax_loss(scores, t)")


def _cross_entropy(y: np.ndarray, t: np.ndarray) -> float:
    """The mean cross-entropy of checked ``y: (N, C)`` and ``t: (N,)`` or ``(N, C)``."""
    n = y.shape[0]
    if t.shape == y.shape:  # one-hot targets
        return float(-np.sum(t * np.log(y + 1e-7)) / n)
    return float(-np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n)
