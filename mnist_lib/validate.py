"""Checks of what a learner passes in, with errors that say what is wrong in one sentence.

Every function raises ``TypeError`` (the wrong kind of thing) or ``ValueError`` (the right kind,
a wrong value) naming the argument, what was given and what is expected, before any work is done.
The library's public functions call them first, so a typo never half-trains a network.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["positive_int", "positive_number", "non_negative_number", "images", "labels", "dataset"]


def _show(value) -> str:
    """A short description of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 40 else f"a {type(value).__name__}"


def positive_int(value, name: str) -> int:
    """``value`` as an ``int`` when it is a whole number >= 1 (``True``/``False`` are not)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number such as 1, 50 or 784, got {_show(value)}"
                        + (" (write it without a decimal point)" if isinstance(value, float) else ""))
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def positive_number(value, name: str) -> float:
    """``value`` as a ``float`` when it is a finite number > 0 (a learning rate, a scale)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number such as 0.1, got {_show(value)}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number greater than 0, such as 0.1, got {value}")
    return float(value)


def non_negative_number(value, name: str) -> float:
    """``value`` as a ``float`` when it is a finite number >= 0 (a strength that may be switched off)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number such as 0 or 0.1, got {_show(value)}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of at least 0 (0 switches it off), got {value}")
    return float(value)


def images(x, name: str) -> None:
    """``x``: ``(N, ...)`` with N >= 1 rows of finite numbers (a NaN or inf names its row)."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array of images, got {_show(x)}")
    if x.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold numbers (float or integer), got dtype {x.dtype}")
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(f"{name} must have one row per image, shape (N, 784) with N >= 1, "
                         f"got shape {x.shape}")
    if x.dtype.kind == "f" and not np.isfinite(x.sum(dtype=np.float64)):
        bad = ~np.isfinite(x.reshape(len(x), -1)).all(axis=1)
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(f"{name} holds NaN or inf (first in row {row}, {int(bad.sum())} rows in "
                             f"all): this is a problem with the data, not with training; fix or "
                             f"drop those rows")


def labels(t, n: int, name: str, classes: int = 10) -> None:
    """``t``: ``n`` labels, whole numbers ``0 .. classes - 1`` ``(n,)`` or one-hot rows ``(n, classes)``."""
    expected = f"whole numbers from 0 to {classes - 1}, or one-hot rows of {classes}"
    if not isinstance(t, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array of labels ({expected}), got {_show(t)}")
    if t.ndim == 2 and t.shape[1] == classes:
        ok = (t == 0) | (t == 1)
        rows = ok.all(axis=1) & (t.sum(axis=1) == 1)
        if not rows.all():
            i = int(np.argmin(rows))
            raise ValueError(f"{name} looks one-hot (shape {t.shape}), but row {i} is {t[i].tolist()}: "
                             f"each row needs one 1 and {classes - 1} zeros")
    elif t.ndim == 1:
        if t.dtype.kind not in "iu":
            raise TypeError(f"{name} must be {expected}, got dtype {t.dtype}"
                            + (" (use .astype(int))" if t.dtype.kind == "f" else ""))
        bad = (t < 0) | (t >= classes)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{name} must be {expected}; label {t[i]} at position {i} is not "
                             f"({int(bad.sum())} such labels in all)")
    else:
        raise ValueError(f"{name} must be {expected}: shape ({n},) or ({n}, {classes}), got shape {t.shape}")
    if len(t) != n:
        raise ValueError(f"{name} has {len(t)} labels for {n} images: it needs one label per image")


def dataset(data, name: str, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """``data`` as ``(x, t)`` after checking it: images :func:`images`, labels :func:`labels`."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (images, labels) such as (x_train, t_train), "
                        f"got {_show(data)}")
    x, t = data
    images(x, f"{name}'s images")
    labels(t, len(x), f"{name}'s labels", classes)
    return x, t
