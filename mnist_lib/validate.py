"""Checks of what a learner passes in, with errors that say what is wrong in one sentence.

Every function raises ``TypeError`` (the wrong kind of thing) or ``ValueError`` (the right kind,
a wrong value) naming the argument, what was given and what is expected, before any work is done.
The library's public functions, layers and network methods call them once, at their door, so a
typo never half-trains a network; what they call in turn trusts its arguments.
"""
from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["positive_int", "positive_number", "non_negative_number", "images", "labels", "dataset",
           "one_of", "targets", "probabilities", "same_shape", "scores", "nudgeable", "affine",
           "affine_input", "true_and_predicted", "network_input", "network_batch",
           "three_layer_network", "hidden_sizes", "network_settings", "training_data", "training", "duration",
           "flag", "data_folder", "same_image_shape", "validation_size", "ink_image", "ink_threshold",
           "digit_labels", "layer_sizes", "network_drawing", "first_layer_weights", "square_matrix",
           "ten_probabilities", "point", "lab_settings", "train_size", "range_test",
           "fraction", "params_and_grads", "optimizer_settings", "batch_norm", "layer_input",
           "dropout_ratio"]


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


def fraction(value, name: str) -> float:
    """``value`` as a ``float`` when it is a number from 0 up to, but not including, 1 (a
    momentum, a decay rate: the share of the old value that is kept at each step)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number such as 0.9, got {_show(value)}")
    if not 0 <= value < 1:  # also refuses nan
        raise ValueError(f"{name} must be at least 0 and below 1 (the share of the old value kept "
                         f"at each step, such as 0.9), got {value}")
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


def dataset(data, name: str, classes: int = 10,
            inputs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``data`` as ``(x, t)`` after checking it: images :func:`images` (of ``inputs`` values each,
    when given: a network's input width), labels :func:`labels`."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (images, labels) such as (x_train, t_train), "
                        f"got {_show(data)}")
    x, t = data
    images(x, f"{name}'s images")
    if inputs is not None:
        network_input(x, inputs, batch=True, name=f"{name}'s images")
    labels(t, len(x), f"{name}'s labels", classes)
    return x, t


def one_of(value, name: str, choices: tuple[str, ...]) -> str:
    """``value`` when it is one of the words ``choices``."""
    if not isinstance(value, str) or value not in choices:
        words = " or ".join(f'"{choice}"' for choice in choices)
        raise ValueError(f"{name} must be {words}, got {value!r}")
    return value


# --- functions, layers, the numerical gradient, evaluation --------------------------------------

PROBABILITY_TOL = 1e-4  # how far a row of probabilities may sum from 1 (float32 rounding is ~1e-6)


def targets(y, t) -> tuple[np.ndarray, np.ndarray]:
    """``y`` as ``(N, C)`` and ``t`` as labels ``(N,)`` or one-hot ``(N, C)``, checked by :func:`labels`;
    one sample ``y: (C,)`` becomes a batch of one."""
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.ndim == 1 else t.reshape(1)
    if y.ndim != 2:
        raise ValueError(f"y must be (C,) or (N, C), got shape {y.shape}")
    n = y.shape[0]
    if t.shape != y.shape and t.shape != (n,):
        raise ValueError(f"t must be one-hot {y.shape} or labels ({n},), got shape {t.shape}")
    labels(t, n, "t", classes=y.shape[1])
    return y, t


def probabilities(y: np.ndarray) -> None:
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


def same_shape(y: np.ndarray, t: np.ndarray) -> None:
    """``y`` and ``t`` of one shape (a loss compares them element by element)."""
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got y {y.shape} and t {t.shape}")


def scores(x: np.ndarray) -> None:
    """``x``: one score vector ``(C,)`` or a batch of them ``(N, C)``."""
    if x.ndim not in (1, 2):
        raise ValueError(f"softmax expects scores of shape (C,) or (N, C), got shape {x.shape}")


def nudgeable(x: np.ndarray) -> None:
    """Refuse an ``x`` whose dtype cannot hold ``x + h`` (h = 1e-4), with the reason and the fix."""
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4:
        return
    if x.dtype == np.float16:
        reason = "float16 keeps only about 3 significant digits, so 1 + 0.0001 rounds back to 1"
    elif x.dtype.kind in "iub":
        reason = "an integer array cannot hold 0.0001, so x + h rounds back to x"
    else:
        raise TypeError(f"numerical_gradient needs x as an array of float numbers, got dtype {x.dtype}")
    raise TypeError(
        f"numerical_gradient cannot nudge x of dtype {x.dtype}: {reason}, and the gradient would "
        f"come out as zeros. Convert it first with x = x.astype(float) (if f reads the array "
        f"itself, as lambda _: np.sum(W ** 2) reads W, convert W and pass the converted W)")


def affine(W: np.ndarray, b: np.ndarray) -> None:
    """An Affine layer's parameters: ``W: (D, M)`` and ``b: (M,)``."""
    if W.ndim != 2 or b.shape != (W.shape[1],):
        raise ValueError(f"Affine needs W of shape (D, M) and b of shape (M,), "
                         f"got W {W.shape} and b {b.shape}")


def affine_input(x: np.ndarray, width: int, W: np.ndarray) -> None:
    """An Affine layer's input ``x`` flattened to ``width`` values per sample, as ``W`` expects."""
    if width != W.shape[0]:
        raise ValueError(f"Affine: input of shape {x.shape} does not fit W of shape {W.shape}: "
                         f"each sample must have {W.shape[0]} values, it has {width}")


def batch_norm(gamma, beta, momentum) -> None:
    """A BatchNormalization layer's ``gamma`` and ``beta``, arrays ``(D,)``, and its ``momentum``."""
    for name, value in (("gamma", gamma), ("beta", beta)):
        if not isinstance(value, np.ndarray) or value.ndim != 1 or value.dtype.kind != "f":
            raise TypeError(f"BatchNormalization needs {name} as a 1-D array of floats, one value "
                            f"per feature, such as np.ones(100), got {_show(value)}")
    if gamma.shape != beta.shape:
        raise ValueError(f"BatchNormalization needs gamma and beta of the same shape (D,), got "
                         f"gamma {gamma.shape} and beta {beta.shape}")
    fraction(momentum, "momentum")


def layer_input(x, width: int, layer: str) -> None:
    """A batch ``x: (N, width)`` (or ``(N, ...)`` of ``width`` values per sample) for ``layer``."""
    if not isinstance(x, np.ndarray) or x.ndim < 2:
        raise ValueError(f"{layer} needs a batch of shape (N, {width}), got {_show(x)}")
    if math.prod(x.shape[1:]) != width:
        raise ValueError(f"{layer}: input of shape {x.shape} does not fit its {width} features")


def dropout_ratio(value, name: str = "dropout_ratio") -> float:
    """``value`` as a ``float``: the share of values Dropout sets to 0, from 0 up to, not
    including, 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number such as 0.2, got {_show(value)}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be at least 0 and below 1 (the share of values "
                         f"dropped while training, such as 0.2 or 0.5), got {value}")
    return float(value)


def true_and_predicted(t, y, classes: int) -> None:
    """``t`` and ``y``: as many true and predicted labels ``(N,)``, whole numbers below ``classes``."""
    labels(t, len(t) if isinstance(t, np.ndarray) else 0, "t", classes)
    labels(y, len(t), "y", classes)
    if t.ndim != 1 or y.ndim != 1:
        raise ValueError(f"t and y must be labels of shape (N,), got shapes {t.shape} and {y.shape}"
                         f" (one-hot rows? use .argmax(axis=1))")


# --- networks ------------------------------------------------------------------------------------

def network_input(x, n_inputs: int, *, batch: bool = False, flat: bool = False,
                  name: str = "x") -> None:
    """Refuse an ``x`` that is not ``(N, n_inputs)`` (nor images ``(N, ...)`` unless ``flat``, nor
    one ``(n_inputs,)`` unless ``batch``) with a sentence naming the shapes, before NumPy's matmul
    error could."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a NumPy array of numbers, shape (N, {n_inputs}), got "
                        f"{type(x).__name__ if not isinstance(x, np.ndarray) else f'dtype {x.dtype}'}")
    if x.ndim == 0 or (batch and x.ndim == 1):
        raise ValueError(f"{name} must be a batch of images, shape (N, {n_inputs}), got shape "
                         f"{x.shape}" + (": for one image use x.reshape(1, -1)" if x.ndim == 1 else ""))
    if x.ndim == 1:
        if len(x) != n_inputs:
            raise ValueError(f"{name} is one image of {len(x)} values but the network's first layer "
                             f"expects {n_inputs}")
        return
    width = math.prod(x.shape[1:])
    if width != n_inputs:
        per = f"{width} columns" if x.ndim == 2 else f"{width} values"
        raise ValueError(f"{name} has {per} per image but the network's first layer expects "
                         f"{n_inputs} ({name} has shape {x.shape})")
    if len(x) == 0:
        raise ValueError(f"{name} holds no images: shape {x.shape}")
    if flat and x.ndim > 2:
        raise ValueError(f"{name} must be one row of {n_inputs} values per image, got shape "
                         f"{x.shape}: flatten the images first with x.reshape(len(x), -1)")


def network_batch(x, t, n_inputs: int, classes: int) -> None:
    """A batch for a network's ``loss``, ``accuracy`` or ``gradient``: ``x: (N, n_inputs)`` and
    ``t`` labels ``(N,)`` or one-hot ``(N, classes)``."""
    network_input(x, n_inputs, batch=True)
    labels(t, len(x), "t", classes)


def three_layer_network(network, x) -> None:
    """``network``: a dict with ``W1 b1 W2 b2 W3 b3`` (as ``init_network`` and
    ``load_sample_weights`` return it); ``x``: one input ``(D,)`` or a batch ``(N, D)`` that fits W1."""
    keys = ("W1", "b1", "W2", "b2", "W3", "b3")
    missing = [k for k in keys if not isinstance(network, dict) or k not in network]
    if missing:
        raise TypeError("network must be a dict of weights W1, b1, W2, b2, W3, b3, such as "
                        "load_sample_weights() or init_network() returns; "
                        + (f"it lacks {', '.join(missing)}" if isinstance(network, dict)
                           else f"got {type(network).__name__}"))
    network_input(x, network["W1"].shape[0], flat=True)


def hidden_sizes(hidden_size_list) -> list[int]:
    """``hidden_size_list`` as a list of whole numbers >= 1 (``[]`` for no hidden layer)."""
    if isinstance(hidden_size_list, str) or not isinstance(hidden_size_list, (Sequence, np.ndarray)):
        raise TypeError(f"hidden_size_list must be a list of widths such as [100, 100] ([] for "
                        f"none), got {hidden_size_list!r}")
    return [positive_int(n, f"hidden_size_list[{i}]") for i, n in enumerate(hidden_size_list)]


def network_settings(activation, weight_init_std, weight_decay_lambda, dtype, seed,
                     activations, init_names) -> tuple:
    """A network's settings, normalised: ``activation`` (one of ``activations``),
    ``weight_init_std`` (a number > 0, or one of ``init_names`` in any case, lower-cased),
    ``weight_decay_lambda`` (a float >= 0), ``dtype`` (float32 or float64) and ``seed`` (None or
    a whole number >= 0)."""
    one_of(activation, "activation", tuple(activations))
    expected = ('weight_init_std must be a number such as 0.01, "he" (or "relu") or "xavier" '
                f'(or "sigmoid"), got {weight_init_std!r}')
    if isinstance(weight_init_std, str):
        if weight_init_std.lower() not in init_names:
            raise ValueError(expected)
        weight_init_std = weight_init_std.lower()
    elif isinstance(weight_init_std, (bool, np.bool_)) or not isinstance(weight_init_std, numbers.Real):
        raise TypeError(expected)
    else:
        weight_init_std = positive_number(weight_init_std, "weight_init_std")
    weight_decay_lambda = non_negative_number(weight_decay_lambda, "weight_decay_lambda")
    try:
        np_dtype = None if dtype is None else np.dtype(dtype)
    except TypeError:
        np_dtype = None
    if np_dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype must be np.float32 (fast, the default) or np.float64 (for exact "
                        f"gradient checks), got {getattr(dtype, '__name__', dtype)!r}: weights "
                        f"are real numbers, and only these float types hold them well")
    if seed is not None and (isinstance(seed, (bool, np.bool_))
                             or not isinstance(seed, numbers.Integral) or seed < 0):
        raise TypeError(f"seed must be None or a whole number >= 0 such as 0 or 42, got {seed!r}")
    return activation, weight_init_std, weight_decay_lambda, np_dtype, seed


# --- optimisers and training --------------------------------------------------------------------

def params_and_grads(params, grads) -> None:
    """An optimiser's ``update(params, grads)``: two dicts of arrays with the same keys, each
    gradient of its parameter's shape."""
    for name, value in (("params", params), ("grads", grads)):
        if not isinstance(value, dict):
            raise TypeError(f"{name} must be a dict of arrays such as network.params, got "
                            f"{_show(value)}")
    if params.keys() != grads.keys():
        missing, extra = sorted(params.keys() - grads.keys()), sorted(grads.keys() - params.keys())
        raise ValueError(f"grads must have the keys of params: "
                         + "; ".join(part for part in (f"it lacks {missing}" if missing else "",
                                                       f"it has {extra} too" if extra else "")
                                     if part))
    for key, p in params.items():
        if np.shape(grads[key]) != np.shape(p):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grads[key])} but params[{key!r}] "
                             f"has shape {np.shape(p)}: a gradient has its parameter's shape")



def training_data(network, train_data, val_data, test_data) -> tuple[np.ndarray, np.ndarray]:
    """``train``'s network and data sets (val_data and test_data may be None): ``train_data``'s
    ``(x, t)`` once they are checked, the images against the network's input width and the labels
    against its classes."""
    if not all(hasattr(network, a) for a in ("params", "input_size", "output_size", "_loss",
                                             "_backward", "_accuracy")):
        raise TypeError(f"network must be a network such as TwoLayerNet(784, 50, 10) or "
                        f"MultiLayerNet(784, [100], 10), got {type(network).__name__}")
    sizes = {"classes": network.output_size, "inputs": network.input_size}
    x, t = dataset(train_data, "train_data", **sizes)
    for name, data in (("val_data", val_data), ("test_data", test_data)):
        if data is not None:
            dataset(data, name, **sizes)
    return x, t


def optimizer_settings(optimizer, lr, momentum) -> float:
    """``train``'s ``optimizer``: something with the book's ``update(params, grads)``, which then
    holds the learning rate (``lr`` and ``momentum`` left unset). Returns its learning rate (its
    ``lr``, or nan when it has none)."""
    if isinstance(optimizer, type):
        raise TypeError(f"optimizer must be an optimiser itself, such as {optimizer.__name__}() "
                        f"(with brackets and its settings), got the class {optimizer.__name__}")
    if not callable(getattr(optimizer, "update", None)):
        raise TypeError(f"optimizer must have a method update(params, grads), such as "
                        f"Adam(lr=0.001) from mnist_lib.optimizer, got {_show(optimizer)}")
    if lr is not None:
        raise ValueError(f"give the learning rate to the optimizer, not to train: "
                         f"{type(optimizer).__name__}(lr={lr}) (got lr={lr} and an optimizer)")
    if momentum:
        raise ValueError(f"momentum={momentum} is a shortcut for optimizer=Momentum(lr, "
                         f"{momentum}): give one or the other")
    rate = getattr(optimizer, "lr", math.nan)
    return float(rate) if isinstance(rate, numbers.Real) else math.nan


def training(lr, batch_size, momentum, sampling, callback,
             optimizer=None) -> tuple[float, int, float]:
    """``train``'s settings; ``lr`` (None: the book's 0.1, or the optimiser's learning rate when
    there is an optimiser), ``batch_size`` and ``momentum`` come back as numbers."""
    rate = None if optimizer is None else optimizer_settings(optimizer, lr, momentum)
    lr = 0.1 if lr is None else lr
    lr, batch_size = positive_number(lr, "lr"), positive_int(batch_size, "batch_size")
    if isinstance(momentum, (bool, np.bool_)) or not isinstance(momentum, numbers.Real):
        raise TypeError(f"momentum must be a number such as 0 or 0.9, got {momentum!r}")
    if not 0 <= momentum < 1:  # also refuses nan
        raise ValueError(f"momentum must be at least 0 and below 1 (0: plain SGD, 0.9: the usual "
                         f"choice), got {momentum}")
    one_of(sampling, "sampling", ("shuffle", "replacement"))
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function called with the History, got {callback!r}")
    return (lr if rate is None else rate), batch_size, float(momentum)


def duration(iterations, epochs, eval_every) -> None:
    """How long to train: ``iterations`` (whole, >= 1) or ``epochs`` (> 0), not both;
    ``eval_every`` (whole, >= 1); each may be None."""
    if iterations is not None and epochs is not None:
        raise ValueError(f"give iterations or epochs, not both (got iterations={iterations}, "
                         f"epochs={epochs})")
    if iterations is not None:
        positive_int(iterations, "iterations")
    if epochs is not None:
        positive_number(epochs, "epochs")
    if eval_every is not None:
        positive_int(eval_every, "eval_every")


# --- data, plots and pre-processing ---------------------------------------------------------------

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


# --- experiments: the labs and the range test -------------------------------------------------

def point(x: np.ndarray, dims: int, name: str) -> None:
    """A point of a ``dims``-dimensional function: ``dims`` finite numbers."""
    if x.shape != (dims,) or not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be {dims} finite numbers, one per coordinate, got {x.tolist()}")


def lab_settings(lr, batch_size, hidden_size, epochs, activation, weight_init_std, train_size,
                 seed, optimizer, evaluations, optimizers) -> tuple:
    """The learning-rate lab's settings, normalised (numbers as float or int, words lower-case);
    ``optimizer`` is one of the names ``optimizers`` offers."""
    lr = positive_number(lr, "lr")
    batch_size, hidden_size = positive_int(batch_size, "batch_size"), positive_int(hidden_size, "hidden_size")
    epochs, train_size = positive_int(epochs, "epochs"), positive_int(train_size, "train_size")
    evaluations = positive_int(evaluations, "evaluations")
    one_of(activation, "activation", ("relu", "sigmoid"))
    if isinstance(weight_init_std, str):
        one_of(weight_init_std.lower(), "weight_init_std", ("he", "xavier"))
        weight_init_std = weight_init_std.lower()
    else:
        weight_init_std = positive_number(weight_init_std, "weight_init_std")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0 such as 0 or 42, got {_show(seed)}")
    optimizer = one_of(optimizer.lower() if isinstance(optimizer, str) else optimizer, "optimizer",
                       tuple(optimizers))
    return (lr, batch_size, hidden_size, epochs, activation, weight_init_std, train_size, int(seed),
            optimizer, evaluations)


def train_size(size: int, available: int, least: int) -> None:
    """A lab run's ``train_size``: at least ``least`` images, at most the ``available`` ones."""
    if not least <= size <= available:
        raise ValueError(f"train_size must be between {least} (ten images of each digit) and "
                         f"{available} (all training images but the validation set), got {size}")


def range_test(start, stop, iterations, batch_size, smoothing, stop_factor) -> None:
    """The settings of :func:`~mnist_lib.experiments.lr_range_test`."""
    start, stop = positive_number(start, "start"), positive_number(stop, "stop")
    if stop <= start:
        raise ValueError(f"stop must be larger than start, got start={start:g} and stop={stop:g}")
    if positive_int(iterations, "iterations") < 10:
        raise ValueError(f"iterations must be at least 10 to draw a curve, got {iterations}")
    positive_int(batch_size, "batch_size")
    smoothing = non_negative_number(smoothing, "smoothing")
    if smoothing >= 1:
        raise ValueError(f"smoothing must be below 1 (0.95 averages about the last 20 losses), "
                         f"got {smoothing:g}")
    if positive_number(stop_factor, "stop_factor") <= 1:
        raise ValueError(f"stop_factor must be above 1 (fast.ai uses 4), got {stop_factor:g}")
