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


# --- data, plots and pre-processing ---------------------------------------------------------------

import os  # noqa: E402
from pathlib import Path  # noqa: E402

__all__ += ["flag", "data_folder", "same_image_shape", "validation_size", "ink_image", "ink_threshold",
            "digit_labels", "layer_sizes", "network_drawing", "first_layer_weights", "square_matrix",
            "ten_probabilities"]


def flag(value, name: str) -> bool:
    """``value`` when it is ``True`` or ``False`` (NumPy's booleans too; 1, 0 and "False" are not)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def data_folder(data_dir) -> Path:
    """``data_dir`` of :func:`~mnist_lib.data.load_mnist` (a ``str`` or ``os.PathLike``, not
    empty) as an absolute folder path."""
    text = os.fspath(data_dir) if isinstance(data_dir, os.PathLike) else data_dir
    if not isinstance(text, str):
        raise TypeError(f"data_dir must be a folder path (a str or pathlib.Path), or None for the "
                        f"copy shipped with the package, got {data_dir!r} ({type(data_dir).__name__})")
    if not text.strip():
        raise ValueError(f"data_dir is the empty path {data_dir!r}: give the folder that holds the "
                         f"four MNIST .gz files (\".\" for the current folder), or None for the copy "
                         f"shipped with the package")
    return Path(text).expanduser().resolve()


def same_image_shape(x_train: np.ndarray, x_test: np.ndarray) -> None:
    """Training and test images ``(N, ...)`` whose images have the same shape (N may differ)."""
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(f"training and test images must have the same shape, got x_train "
                         f"{x_train.shape} and x_test {x_test.shape}")


def validation_size(size, x, t) -> int:
    """``size`` as an ``int``: how many of the images ``x`` (with as many labels ``t``) to set
    aside, at least 1 and fewer than all of them."""
    size = positive_int(size, "size")
    if len(x) != len(t):
        raise ValueError(f"x has {len(x)} images but t has {len(t)} labels: they must match")
    if size >= len(x):
        raise ValueError(f"size must be smaller than the number of images ({len(x)}), got {size}: "
                         f"some images must be left to train on")
    return size


def ink_image(image, name: str = "image") -> np.ndarray:
    """``image`` as a 2-D float64 array ``(H, W)`` of ink intensities: finite numbers >= 0."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array of shape (height, width), got "
                        f"{type(image).__name__}")
    if image.dtype.kind not in "fiub":
        raise TypeError(f"{name} must hold numbers, got dtype {image.dtype}")
    if image.ndim != 2 or 0 in image.shape:
        hint = " (one MNIST row? use image.reshape(28, 28))" if image.shape == (784,) else ""
        raise ValueError(f"{name} must be a 2-D array of shape (height, width), got shape "
                         f"{image.shape}{hint}")
    image = image.astype(np.float64)
    if not np.isfinite(image).all():
        raise ValueError(f"{name} holds NaN or inf")
    if image.min() < 0:
        raise ValueError(f"{name} must be ink intensities >= 0 (0 = no ink), got a minimum of "
                         f"{image.min():g}")
    return image


def ink_threshold(threshold) -> None:
    """``threshold`` of :func:`~mnist_lib.preprocess.to_mnist`: a fraction of the brightest pixel,
    0 <= threshold < 1."""
    if not 0 <= threshold < 1:
        raise ValueError(f"threshold must be a fraction of the brightest pixel, 0 <= threshold < 1, "
                         f"got {threshold}")


def digit_labels(n: int, labels: np.ndarray, predictions) -> None:
    """For :func:`~mnist_lib.plots.show_digits`: one label, and one prediction if any, per image."""
    if len(labels) != n or (predictions is not None and len(predictions) != n):
        raise ValueError(f"show_digits: {n} images but {len(labels)} labels"
                         + ("" if predictions is None else f" and {len(predictions)} predictions"))


def layer_sizes(sizes, max_units) -> list[int]:
    """For :func:`~mnist_lib.plots.draw_network`: ``sizes`` as a list of ``int``, two layers or more
    of one unit or more, and ``max_units`` at least 3."""
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"draw_network needs at least two layers of at least one unit, "
                         f"got {sizes}")
    if max_units < 3:
        raise ValueError(f"max_units must be at least 3, got {max_units}")
    return sizes


def network_drawing(sizes: list[int], layer_names, activations, unit_labels, weights,
                    show_weights) -> list[np.ndarray] | None:
    """For :func:`~mnist_lib.plots.draw_network`: a caption per layer, an activation per layer after
    the input, a text per unit in each labelled layer, and weights ``(sizes[i], sizes[i + 1])``
    (needed by ``show_weights``). Returns the weights as arrays (None without weights)."""
    for what, values, count in (("layer_names", layer_names, len(sizes)),
                                ("activations", activations, len(sizes) - 1),
                                ("unit_labels", unit_labels, len(sizes))):
        if len(values) != count:
            raise ValueError(f"draw_network: {what} needs {count} entries for sizes {sizes}, "
                             f"got {len(values)}")
    for i, texts in enumerate(unit_labels):
        if texts is not None and len(texts) != sizes[i]:
            raise ValueError(f"draw_network: unit_labels[{i}] has {len(texts)} texts for a layer "
                             f"of {sizes[i]} units")
    if weights is None:
        if show_weights:
            raise ValueError("draw_network: show_weights=True needs the weights")
        return None
    weights = [np.asarray(w) for w in weights]
    wanted = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    if [w.shape for w in weights] != wanted:
        raise ValueError(f"draw_network: weights of shapes {[w.shape for w in weights]} do not "
                         f"fit sizes {sizes}; expected {wanted}")
    return weights


def first_layer_weights(W, units) -> tuple[np.ndarray, list[int]]:
    """For :func:`~mnist_lib.plots.show_weights`: ``W`` as an array ``(784, H)`` and ``units`` as a
    non-empty list of hidden units ``0 .. H - 1`` (None: all of them)."""
    W = np.asarray(W)
    if W.ndim != 2 or W.shape[0] != 784:
        raise ValueError(f"show_weights needs a first layer's weights of shape (784, H), got "
                         f"shape {W.shape}")
    units = list(range(W.shape[1])) if units is None else [int(u) for u in units]
    if not units or min(units) < 0 or max(units) >= W.shape[1]:
        raise ValueError(f"units must be between 0 and {W.shape[1] - 1}, got {units}")
    return W, units


def square_matrix(matrix) -> np.ndarray:
    """For :func:`~mnist_lib.plots.plot_confusion_matrix`: ``matrix`` as a square array."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square (true x predicted), got shape {matrix.shape}")
    return matrix


def ten_probabilities(probabilities) -> np.ndarray:
    """For :func:`~mnist_lib.plots.plot_probabilities`: the ten class probabilities as a float
    array ``(10,)`` (a ``(1, 10)`` row too)."""
    p = np.asarray(probabilities, dtype=float).reshape(-1)
    if p.shape != (10,):
        raise ValueError(f"plot_probabilities needs 10 probabilities, got shape {np.shape(probabilities)}")
    return p
