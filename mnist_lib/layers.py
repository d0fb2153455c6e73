"""Layers with ``forward`` and ``backward``, as in the book's ``common/layers.py``.

Each layer remembers what its backward pass needs from the forward pass. No layer changes an
array that its caller passed in. ``BatchNormalization`` and ``Dropout`` behave differently while
training and when in use, as in the book: their ``forward(x, train_flg=True)`` trains, and
``train_flg=False`` gives the network's answer for use (its accuracy, its predictions).
"""
from __future__ import annotations

import numpy as np

from . import validate
from .functions import _cross_entropy, sigmoid, softmax

__all__ = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss",
           "BatchNormalization", "Dropout"]


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


class BatchNormalization:
    """Batch normalisation (Ioffe and Szegedy, 2015): each feature of a batch scaled to mean 0 and
    variance 1, then stretched and shifted by learned ``gamma`` and ``beta``.

    ``gamma, beta: (D,)`` (the network's ``params`` hold them: ones and zeros at the start). For a
    batch ``x: (N, D)`` (images ``(N, ...)`` are flattened, and ``dx`` comes back in their shape):

    - training (``train_flg=True``): ``xn = (x - mu) / sqrt(var + eps)`` with ``mu`` and ``var``
      the batch's own mean and variance per feature; ``out = gamma * xn + beta``. The layer also
      keeps moving averages of ``mu`` and ``var`` (``running_mean``, ``running_var``:
      ``running = momentum * running + (1 - momentum) * batch``).
    - in use (``train_flg=False``): the same, with the moving averages instead of the batch's
      statistics, so that an image's answer does not depend on the other images of its batch.

    ``backward(dout)`` (after a training forward) returns ``dx`` and keeps ``dgamma`` and
    ``dbeta``. The moving averages start at mean 0 and variance 1 (an untrained network then
    passes ``gamma * x + beta`` on; the book starts the variance at 0).
    """

    eps = 1e-6  # the book's 10e-7: keeps the division finite for a feature that does not vary

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, momentum: float = 0.9,
                 running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None):
        validate.batch_norm(gamma, beta, momentum)
        self.gamma, self.beta, self.momentum = gamma, beta, float(momentum)
        self.running_mean = np.zeros_like(gamma) if running_mean is None else running_mean
        self.running_var = np.ones_like(gamma) if running_var is None else running_var
        self.input_shape = self.xc = self.std = self.dgamma = self.dbeta = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        validate.layer_input(x, len(self.gamma), "BatchNormalization")
        self.input_shape = x.shape
        out = self._forward(x.reshape(len(x), -1), train_flg)
        return out.reshape(x.shape)

    def _forward(self, x: np.ndarray, train_flg: bool) -> np.ndarray:
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc ** 2, axis=0)
            std = np.sqrt(var + self.eps)
            self.xc, self.std = xc, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xc = x - self.running_mean
            std = np.sqrt(self.running_var + self.eps)
        self.xn = xc / std
        return self.gamma * self.xn + self.beta

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """``dx`` in the input's shape; keeps ``dgamma`` and ``dbeta``, shaped ``(D,)``.

        With ``dxn = gamma * dout``, the chain rule through the batch's mean and variance gives
        ``dx = (dxn - mean(dxn) - xn * mean(dxn * xn)) / std``, every mean taken over the batch.
        """
        dout = dout.reshape(len(self.xn), -1)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dx = (dxn - dxn.mean(axis=0) - self.xn * np.mean(dxn * self.xn, axis=0)) / self.std
        return dx.reshape(self.input_shape)


class Dropout:
    """Dropout (Srivastava et al., 2014): while training, every value is dropped (set to 0) with
    probability ``dropout_ratio``, a new random choice at every forward pass.

    - training (``train_flg=True``): ``out = x * mask``, the mask True for the values kept;
      ``backward(dout)`` lets the gradient through the same mask.
    - in use (``train_flg=False``): nothing is dropped, and every value is scaled by
      ``1 - dropout_ratio``, the share of values a training pass keeps, so that the next layer
      receives inputs of the size it learned with (the book's form; "inverted" dropout divides by
      ``1 - dropout_ratio`` while training instead, which is the same network).

    ``seed``: seeds the masks (None, a whole number, or a ``np.random.Generator`` to draw from).
    """

    def __init__(self, dropout_ratio: float = 0.5, *, seed: int | np.random.Generator | None = None):
        self.dropout_ratio = validate.dropout_ratio(dropout_ratio)
        self.rng = np.random.default_rng(seed)
        self.mask = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        if train_flg:
            self.mask = self.rng.random(x.shape, dtype=np.float32) >= self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.mask
