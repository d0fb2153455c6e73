"""Layers with ``forward`` and ``backward``, as in the book's ``common/layers.py``.

Each layer remembers what its backward pass needs from the forward pass. No layer changes an
array that its caller passed in.
"""
from __future__ import annotations

import numpy as np

from . import validate
from .functions import _cross_entropy, sigmoid, softmax

__all__ = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]


class MulLayer:
    """``out = x * y``; backward swaps the inputs: ``dx = dout * y``, ``dy = dout * x``."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    """``out = x + y``; backward passes ``dout`` on to both inputs unchanged."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


class Relu:
    """``max(0, x)``; backward lets the gradient through where the input was positive."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x <= 0
        return np.maximum(x, 0)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dx = dout * ~self.mask  # dout where the input was positive, 0 elsewhere
        dx += 0  # turns the -0.0 of a negative dout times 0 into 0.0
        return dx


class Sigmoid:
    """``1 / (1 + exp(-x))``; backward multiplies by ``out * (1 - out)``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * (1 - self.out) * self.out


class Affine:
    """Fully connected layer ``out = x @ W + b``.

    ``W: (D, M)``, ``b: (M,)``. The input may be one sample ``(D,)``, a batch ``(N, D)`` or images
    ``(N, 1, 28, 28)`` (flattened to ``(N, D)``); backward returns ``dx`` in the input's own shape
    and keeps ``dW: (D, M)`` and ``db: (M,)``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        validate.affine(W, b)
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.original_x_shape = x.shape
        x2 = x.reshape(1, -1) if x.ndim == 1 else x.reshape(x.shape[0], -1)
        validate.affine_input(x, x2.shape[1], self.W)
        self.x = x2
        out = x2 @ self.W + self.b
        return out[0] if x.ndim == 1 else out

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Store ``dW`` and ``db``; return ``dx`` (skipped with ``input_grad=False``, for a first layer)."""
        dout = dout.reshape(len(self.x), -1)
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        if not input_grad:
            return None
        return (dout @ self.W.T).reshape(self.original_x_shape)


class SoftmaxWithLoss:
    """Softmax followed by cross-entropy, as one layer.

    ``forward(x, t)`` takes scores ``x: (N, C)`` (or one sample ``(C,)``) and targets ``t``,
    one-hot ``(N, C)`` or whole-number labels ``(N,)`` from 0 to C-1, and returns the mean loss.
    Together the two steps have the simple gradient ``(y - t) / N``, which ``backward`` returns.
    """

    def __init__(self):
        self.loss = self.y = self.t = None
        self.single = False

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x_batch, t_batch = validate.targets(x, t)
        return self._forward(x_batch, t_batch, single=np.ndim(x) == 1)

    def _forward(self, x: np.ndarray, t: np.ndarray, single: bool = False) -> float:
        """``forward`` after its checks, for a batch ``x: (N, C)`` (the networks call it: they
        check their arguments once, at their own door)."""
        self.single = single  # one sample (C,), handled as a batch of one
        self.y, self.t = softmax(x), t
        self.loss = _cross_entropy(self.y, t)
        return self.loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        n = len(self.y)
        if self.t.shape == self.y.shape:  # one-hot targets
            dx = self.y - self.t
        else:  # integer labels: subtract 1 at the true class
            dx = self.y.copy()
            dx[np.arange(n), self.t] -= 1
        dx *= dout / n
        return dx[0] if self.single else dx
