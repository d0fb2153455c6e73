"""Numerical derivatives and plain gradient descent, as in the book's ``common/gradient.py``."""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import validate

__all__ = ["numerical_diff", "numerical_gradient", "gradient_descent"]

H = 1e-4  # step of the central difference: small, but far above float64 round-off


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """Central-difference derivative of a one-variable function: ``(f(x+h) - f(x-h)) / 2h``."""
    return (f(x + H) - f(x - H)) / (2 * H)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of ``f`` at ``x`` by central differences, one element at a time.

    Args:
        f: maps an array shaped like ``x`` to a number.
        x: a float32 or float64 array of any shape. It is nudged in place (so ``f`` may read a
            network's weights directly, as the book's ``lambda W: net.loss(x, t)`` does) and
            restored exactly afterwards. Integer and float16 arrays are refused: they cannot
            hold a nudge of ``h = 1e-4``, so the gradient would silently come out as zeros.

    Returns:
        The gradient, an array of ``x``'s shape and dtype. In float32 the rounding of ``f``,
        divided by ``2h``, leaves only about three correct digits; use float64 to check
        gradients (a network's own ``numerical_gradient`` does so whatever its dtype).
    """
    x = np.asarray(x)
    validate.nudgeable(x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + H
        f_plus = f(x)
        x[idx] = original - H
        f_minus = f(x)
        x[idx] = original  # restore exactly, not by adding h back
        grad[idx] = (f_plus - f_minus) / (2 * H)
    return grad


def gradient_descent(f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01,
                     step_num: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``f`` from ``init_x`` with ``step_num`` steps of ``x -= lr * gradient``.

    Returns:
        ``(x, history)``: the final point, and every point visited, shape ``(step_num + 1, *x.shape)``
        (the start first, the final point last). ``init_x`` is not modified. A learning rate that
        is too large makes the points grow step after step, without warnings, until they are so
        large that ``x + h == x`` and the numerical gradient becomes 0 (for x0**2 + x1**2 near 1e13).
    """
    x = np.array(init_x, dtype=np.float64)
    history = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(step_num):
            x -= lr * numerical_gradient(f, x)
            history.append(x.copy())
    return x, np.array(history)
