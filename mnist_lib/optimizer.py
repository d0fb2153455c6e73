"""Ways to update the weights from their gradients, with the names of the book's ``common/optimizer.py``.

Every optimiser has the book's interface: build it with its settings, then call
``update(params, grads)`` once per training step. ``params`` and ``grads`` are dicts of arrays with
the same keys and shapes (``network.params`` and ``network.gradient(x, t)``); ``update`` changes
the arrays of ``params`` in place (the network's layers hold those very arrays) and leaves
``grads`` alone. An optimiser that remembers something between steps (a velocity, a sum or an
average of squared gradients, a step count) keeps it on itself, one array per key of ``params``,
created at its first ``update``: use one optimiser per network.

    optimizer = Adam(lr=0.001)
    for step in range(1000):
        grads = network.gradient(x_batch, t_batch)
        optimizer.update(network.params, grads)

or ``train(network, data, optimizer=Adam(lr=0.001))``. The small ``1e-7`` of AdaGrad, RMSprop and
Adam is the book's: it keeps the division finite where a gradient has always been 0.
"""
from __future__ import annotations

import math

import numpy as np

from . import validate

__all__ = ["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam", "EPSILON"]

EPSILON = 1e-7  # added to the square root in the denominators, outside it (as the book does)

Arrays = dict[str, np.ndarray]


class SGD:
    """Stochastic gradient descent: ``W -= lr * dW`` for every array."""

    def __init__(self, lr: float = 0.01):
        self.lr = validate.positive_number(lr, "lr")

    def update(self, params: Arrays, grads: Arrays) -> None:
        validate.params_and_grads(params, grads)
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum:
    """SGD with momentum: a velocity ``v`` per array, ``v = momentum * v - lr * dW``, then ``W += v``.

    Steps in a direction the gradient keeps pointing build up speed (up to ``1 / (1 - momentum)``
    times plain SGD's step, ten times for 0.9); steps that change sign cancel out.
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.9):
        self.lr = validate.positive_number(lr, "lr")
        self.momentum = validate.fraction(momentum, "momentum")
        self.v: Arrays | None = None

    def update(self, params: Arrays, grads: Arrays) -> None:
        validate.params_and_grads(params, grads)
        if self.v is None:
            self.v = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class AdaGrad:
    """SGD with a learning rate of its own for every weight, shrinking as that weight learns.

    ``h += dW * dW`` sums every squared gradient so far; ``W -= lr * dW / (sqrt(h) + 1e-7)``.
    A weight whose gradients have been large takes smaller and smaller steps; ``h`` only grows,
    so in a long run every step shrinks towards 0.
    """

    def __init__(self, lr: float = 0.01):
        self.lr = validate.positive_number(lr, "lr")
        self.h: Arrays | None = None

    def update(self, params: Arrays, grads: Arrays) -> None:
        validate.params_and_grads(params, grads)
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + EPSILON)


class RMSprop:
    """AdaGrad with a fading memory: ``h`` is a moving average of the squared gradients.

    ``h = decay_rate * h + (1 - decay_rate) * dW * dW``; ``W -= lr * dW / (sqrt(h) + 1e-7)``.
    Old gradients count less and less, so the steps do not shrink to 0 in a long run.
    """

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99):
        self.lr = validate.positive_number(lr, "lr")
        self.decay_rate = validate.fraction(decay_rate, "decay_rate")
        self.h: Arrays | None = None

    def update(self, params: Arrays, grads: Arrays) -> None:
        validate.params_and_grads(params, grads)
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + EPSILON)


class Adam:
    """Momentum and RMSprop together, corrected for their start at 0 (Kingma and Ba, 2015).

    Per array: ``m``, a moving average of the gradients (weight ``beta1``), and ``v``, of their
    squares (weight ``beta2``), both starting at 0. After ``t`` steps both are too small by the
    factors ``1 - beta1**t`` and ``1 - beta2**t``; the step corrects for it, in the book's form
    (one multiplier for the learning rate):

        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        W -= lr_t * m / (sqrt(v) + 1e-7)

    ``iter`` counts the steps (one per ``update``, whatever the number of arrays).
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999):
        self.lr = validate.positive_number(lr, "lr")
        self.beta1 = validate.fraction(beta1, "beta1")
        self.beta2 = validate.fraction(beta2, "beta2")
        self.iter = 0
        self.m: Arrays | None = None
        self.v: Arrays | None = None

    def update(self, params: Arrays, grads: Arrays) -> None:
        validate.params_and_grads(params, grads)
        if self.m is None:
            self.m = {key: np.zeros_like(p) for key, p in params.items()}
            self.v = {key: np.zeros_like(p) for key, p in params.items()}
        self.iter += 1
        lr_t = self.lr * math.sqrt(1 - self.beta2 ** self.iter) / (1 - self.beta1 ** self.iter)
        for key in params:
            g = grads[key]
            self.m[key] += (1 - self.beta1) * (g - self.m[key])    # = beta1 * m + (1 - beta1) * g
            self.v[key] += (1 - self.beta2) * (g * g - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + EPSILON)
