"""Networks: the book's small 3-layer example, the shipped sample weights, and trainable nets.

``TwoLayerNet`` (784-50-10 in the book) and ``MultiLayerNet`` (any depth) are built as the book
builds them: ``params`` holds ``W1, b1, W2, b2, ...``; ``layers`` is a dict of the layers in order,
keyed as the book keys them (``'Affine1'``, ``'Relu1'``, ``'Affine2'``, ...), whose Affine layers hold
the very arrays in ``params`` (updating ``params`` in place changes what the network computes);
``lastLayer`` is the ``SoftmaxWithLoss`` on top. Both have the book's ``predict``, ``loss``,
``accuracy``, ``numerical_gradient`` and ``gradient``, so the book's chapter 4 to 6 scripts run on
them with only their imports changed.
"""
from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Sequence
from pathlib import Path
from typing import Callable

import numpy as np

from . import validate
from .data import DataError
from .functions import identity_function, sigmoid, softmax
from .gradient import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

__all__ = ["init_network", "forward", "load_sample_weights", "predict", "TwoLayerNet",
           "MultiLayerNet", "SAMPLE_WEIGHTS_PATH"]

SAMPLE_WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "sample_weights.npz"
_SAMPLE_SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10),
                  "b3": (10,)}


def _check_x(x, n_inputs: int, batch: bool = False, flat: bool = False) -> None:
    """Refuse an ``x`` that is not ``(N, n_inputs)`` (nor images ``(N, ...)`` unless ``flat``, nor
    one ``(n_inputs,)`` unless ``batch``) with a sentence naming the shapes, before NumPy's matmul
    error could."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "fiu":
        raise TypeError(f"x must be a NumPy array of numbers, shape (N, {n_inputs}), got "
                        f"{type(x).__name__ if not isinstance(x, np.ndarray) else f'dtype {x.dtype}'}")
    if x.ndim == 0 or (batch and x.ndim == 1):
        raise ValueError(f"x must be a batch of images, shape (N, {n_inputs}), got shape {x.shape}"
                         + (": for one image use x.reshape(1, -1)" if x.ndim == 1 else ""))
    if x.ndim == 1:
        if len(x) != n_inputs:
            raise ValueError(f"x is one image of {len(x)} values but the network's first layer "
                             f"expects {n_inputs}")
        return
    width = math.prod(x.shape[1:])
    if width != n_inputs:
        per = f"{width} columns" if x.ndim == 2 else f"{width} values"
        raise ValueError(f"x has {per} per image but the network's first layer expects {n_inputs} "
                         f"(x has shape {x.shape})")
    if len(x) == 0:
        raise ValueError(f"x holds no images: shape {x.shape}")
    if flat and x.ndim > 2:
        raise ValueError(f"x must be one row of {n_inputs} values per image, got shape {x.shape}: "
                         f"flatten the images first with x.reshape(len(x), -1)")


def _check_weights(network) -> None:
    """``network``: a dict with ``W1 b1 W2 b2 W3 b3``, as :func:`init_network` and
    :func:`load_sample_weights` return."""
    missing = [k for k in _SAMPLE_SHAPES if not isinstance(network, dict) or k not in network]
    if missing:
        raise TypeError("network must be a dict of weights W1, b1, W2, b2, W3, b3, such as "
                        "load_sample_weights() or init_network() returns; "
                        + (f"it lacks {', '.join(missing)}" if isinstance(network, dict)
                           else f"got {type(network).__name__}"))


def init_network() -> dict[str, np.ndarray]:
    """The book's 2-3-2-2 example network: weights ``W1 (2, 3)``, ``W2 (3, 2)``, ``W3 (2, 2)`` and biases."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def _three_layers(network: dict[str, np.ndarray], x: np.ndarray,
                  output: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    _check_weights(network)
    _check_x(x, network["W1"].shape[0], flat=True)
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    z2 = sigmoid(z1 @ network["W2"] + network["b2"])
    return output(z2 @ network["W3"] + network["b3"])


def forward(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Forward pass of :func:`init_network`'s network: sigmoid, sigmoid, identity. ``x: (2,)`` or ``(N, 2)``."""
    return _three_layers(network, x, identity_function)


def load_sample_weights() -> dict[str, np.ndarray]:
    """Trained float32 weights ``W1 b1 W2 b2 W3 b3`` of a 784-50-100-10 sigmoid network.

    Made by ``scripts/train_sample_weights.py`` (re-run it to reproduce them); use with :func:`predict`.
    A damaged or truncated file raises :class:`~mnist_lib.data.DataError`.
    """
    path = SAMPLE_WEIGHTS_PATH
    damaged = (f"The sample weights file {path} is damaged or incomplete: reinstall the package "
               f"to get a good copy of it")
    try:
        with np.load(path, allow_pickle=False) as npz:
            weights = {key: npz[key] for key in _SAMPLE_SHAPES}
    except FileNotFoundError:
        raise DataError(f"The sample weights file {path} is missing: reinstall the package to "
                        f"get it back") from None
    except Exception:  # whatever went wrong, the file is not what the package shipped
        raise DataError(damaged) from None
    for key, shape in _SAMPLE_SHAPES.items():
        w = weights[key]
        if w.shape != shape or w.dtype != np.float32 or not np.isfinite(w).all():
            raise DataError(f"{damaged} ({key} should be float32 numbers of shape {shape}, it is "
                            f"{w.dtype} of shape {w.shape})")
    return weights


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Class probabilities of the sample network: ``x: (784,)`` gives ``(10,)``, ``(N, 784)`` gives ``(N, 10)``."""
    return _three_layers(network, x, softmax)


# --- trainable networks ------------------------------------------------------------------------

_ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid}
_INIT_GAINS = {"relu": 2.0, "he": 2.0, "sigmoid": 1.0, "xavier": 1.0}  # std = sqrt(gain / fan_in)


def _check_settings(activation, weight_init_std, weight_decay_lambda, dtype,
                    init_name: str = "weight_init_std") -> tuple:
    """The settings both networks share, checked; returns them normalised."""
    if not isinstance(activation, str) or activation not in _ACTIVATIONS:
        raise ValueError(f'activation must be "relu" or "sigmoid", got {activation!r}')
    if isinstance(weight_init_std, str):
        if weight_init_std.lower() not in _INIT_GAINS:
            raise ValueError(f'{init_name} must be a number such as 0.01, "he" (or "relu") or '
                             f'"xavier" (or "sigmoid"), got {weight_init_std!r}')
        weight_init_std = weight_init_std.lower()
    elif isinstance(weight_init_std, numbers.Real) and not isinstance(weight_init_std, bool):
        weight_init_std = validate.positive_number(weight_init_std, init_name)
    else:
        raise TypeError(f'{init_name} must be a number such as 0.01, "he" (or "relu") or '
                        f'"xavier" (or "sigmoid"), got {weight_init_std!r}')
    weight_decay_lambda = validate.non_negative_number(weight_decay_lambda, "weight_decay_lambda")
    try:
        np_dtype = None if dtype is None else np.dtype(dtype)
    except TypeError:
        np_dtype = None
    if np_dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype must be np.float32 (fast, the default) or np.float64 (for exact "
                        f"gradient checks), got {getattr(dtype, '__name__', dtype)!r}: weights "
                        f"are real numbers, and only these float types hold them well")
    return activation, weight_init_std, weight_decay_lambda, np_dtype


class _Network:
    """What both networks share: ``params``, ``layers`` (a dict), ``lastLayer`` and their methods.

    The public methods check their arguments first; ``loss_and_gradient``, the inner loop of
    :func:`~mnist_lib.training.train`, checks only shapes (train checks the data once).
    """

    _activation_key = "Relu"  # layers' names: Affine1, Relu1, Affine2, ...

    params: dict[str, np.ndarray]
    layers: dict[str, Affine | Relu | Sigmoid]
    lastLayer: SoftmaxWithLoss
    activation: str
    weight_decay_lambda: float

    def _build(self, sizes: Sequence[int], activation: str, weight_init_std: float | str,
               weight_decay_lambda: float, dtype: np.dtype, seed: int | None) -> None:
        """Make ``params`` (from checked settings) and the layers on them."""
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
                                 or seed < 0):
            raise TypeError(f"seed must be None or a whole number >= 0 such as 0 or 42, got {seed!r}")
        rng = np.random.default_rng(seed)
        self.params = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            std = (np.sqrt(_INIT_GAINS[weight_init_std] / n_in) if isinstance(weight_init_std, str)
                   else weight_init_std)
            self.params[f"W{i}"] = (std * rng.standard_normal((n_in, n_out))).astype(dtype)
            self.params[f"b{i}"] = np.zeros(n_out, dtype=dtype)
        self.activation, self.weight_decay_lambda = activation, weight_decay_lambda
        self._connect()

    def _connect(self) -> None:
        """Build ``layers`` and ``lastLayer`` on the arrays in ``params`` (the same arrays, not copies)."""
        n = len(self.params) // 2
        self.layers = {}
        for i in range(1, n + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            if i < n:
                self.layers[f"{self._activation_key}{i}"] = _ACTIVATIONS[self.activation]()
        self.lastLayer = SoftmaxWithLoss()

    @property
    def last_layer(self) -> SoftmaxWithLoss:
        """``lastLayer`` under the name the book's ``MultiLayerNet`` gives it."""
        return self.lastLayer

    def _check(self, x: np.ndarray, t: np.ndarray) -> None:
        _check_x(x, self.params["W1"].shape[0], batch=True)
        validate.labels(t, len(x), "t", classes=len(self.params[f"b{len(self.params) // 2}"]))

    def _scores(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def _loss(self, x: np.ndarray, t: np.ndarray) -> float:
        loss = self.lastLayer._forward(self._scores(x), t)
        if self.weight_decay_lambda:
            loss += 0.5 * self.weight_decay_lambda * sum(
                float(np.sum(self.params[f"W{i}"] ** 2)) for i in range(1, len(self.params) // 2 + 1))
        return loss

    def _backward(self, scale: float) -> dict[str, np.ndarray]:
        """Backprop after ``_loss``: ``scale`` times the gradient, keyed like ``params``."""
        layers = list(self.layers.values())
        dout = self.lastLayer.backward(scale)
        for layer in reversed(layers[1:]):
            dout = layer.backward(dout)
        layers[0].backward(dout, input_grad=False)  # nothing needs d(loss)/d(input)
        grads = {}
        for i in range(1, len(self.params) // 2 + 1):
            affine = self.layers[f"Affine{i}"]
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
            if self.weight_decay_lambda:  # d/dW of 0.5 * lambda * sum(W**2)
                grads[f"W{i}"] += (scale * self.weight_decay_lambda) * self.params[f"W{i}"]
        return grads

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class scores (before softmax): ``x: (N, 784)`` gives ``(N, 10)``; ``(784,)`` gives ``(10,)``."""
        _check_x(x, self.params["W1"].shape[0])
        return self._scores(x)

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy on a batch ``x: (N, 784)``, plus the weight decay if there is some.

        ``t``: labels ``(N,)`` (whole numbers 0-9) or one-hot rows ``(N, 10)``.
        """
        self._check(x, t)
        return self._loss(x, t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of ``x``'s rows classified correctly; ``t`` labels ``(N,)`` or one-hot ``(N, 10)``."""
        self._check(x, t)
        y = np.argmax(self._scores(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.mean(y == t))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by central differences, keyed like ``params`` (slow: for checking).

        Computed in float64 whatever the network's dtype, on float64 copies of the parameters
        (the network itself is not touched), so a float32 network gets as accurate a check as the
        book's float64 one: the gradients come back as float64 arrays.
        """
        self._check(x, t)
        twin = copy.copy(self)
        twin.params = {key: p.astype(np.float64) for key, p in self.params.items()}
        twin._connect()
        x64 = x.astype(np.float64)
        return {key: numerical_gradient(lambda _: twin._loss(x64, t), p)
                for key, p in twin.params.items()}

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by backpropagation, keyed like ``params`` (in the network's dtype)."""
        self._check(x, t)
        self._loss(x, t)
        return self._backward(1.0)

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray,
                          scale: float = 1.0) -> tuple[float, dict[str, np.ndarray]]:
        """One forward and one backward pass: the loss and its gradient, keyed like ``params``.

        ``scale`` multiplies every gradient: backprop starts from ``dout = scale`` instead of 1,
        and each step of the chain rule is linear in ``dout``. :func:`~mnist_lib.training.train`
        passes the learning rate, so the gradients come out as the steps ``lr * grad``: the
        multiplication touches the (N, 10) scores instead of every weight. This is train's inner
        loop, so it checks only ``x``'s shape: train checks every label once before it starts
        (use ``loss`` and ``gradient`` for checked calls).
        """
        _check_x(x, self.params["W1"].shape[0], batch=True)
        loss = self._loss(x, t)
        return loss, self._backward(scale)


class TwoLayerNet(_Network):
    """The book's two-layer network: layers ``Affine1``, ``Relu1``, ``Affine2``, then ``lastLayer``.

    Args:
        input_size, hidden_size, output_size: e.g. 784, 50, 10 (whole numbers >= 1).
        weight_init_std: scale of the initial weights: a number (the book's 0.01), or "he"
            (``sqrt(2 / fan_in)``, also called "relu"), or "xavier" (``sqrt(1 / fan_in)``).
        seed: seeds the initial weights (same seed, same network).
        dtype: np.float32 (fast, default) or np.float64.

    ``params``: ``W1 (input, hidden)``, ``b1 (hidden,)``, ``W2 (hidden, output)``, ``b2 (output,)``.

    Recommended settings for MNIST: ``TwoLayerNet(784, 50, 10, weight_init_std="he")`` trained with
    ``train(net, train_data, lr=0.5, batch_size=100)`` passes 97% test accuracy after about 4
    epochs (3 to 5, depending on the seeds): under a second of training on two CPU cores. The
    defaults (0.01 here, lr 0.1 in :func:`~mnist_lib.training.train`) are the book's: they reach
    about 97% only after the book's 10000 iterations (about 17 epochs).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float | str = 0.01, seed: int | None = None, dtype=np.float32):
        sizes = [validate.positive_int(input_size, "input_size"),
                 validate.positive_int(hidden_size, "hidden_size"),
                 validate.positive_int(output_size, "output_size")]
        settings = _check_settings("relu", weight_init_std, 0.0, dtype)
        self._build(sizes, *settings, seed)


class MultiLayerNet(_Network):
    """A fully connected network of any depth; layers ``Affine1``, ``Activation_function1``, ...,
    ``Affine<k>`` (the book's names), then ``lastLayer`` (also ``last_layer``, the book's name here).

    Two ways to call it:

    - the book's: ``MultiLayerNet(input_size, hidden_size_list, output_size, activation='relu',
      weight_init_std='relu', weight_decay_lambda=0)``, e.g. ``MultiLayerNet(784, [100, 100], 10)``;
    - the course's short form: one list of every layer's width, input first and output last,
      and every other setting by name, e.g. ``MultiLayerNet([784, 256, 128, 64, 10], seed=0)``,
      the same network as ``MultiLayerNet(784, [256, 128, 64], 10, seed=0)``. This form has
      always called ``weight_init_std`` ``weight_init``; both names work.

    Args:
        input_size: 784 for MNIST (or, in the short form, the list of all widths).
        hidden_size_list: the hidden layers' widths, e.g. ``[100, 100, 100]``; ``[]`` gives
            softmax regression (a single Affine layer).
        output_size: 10 for MNIST.
        activation: "relu" or "sigmoid", for every hidden layer.
        weight_init_std: the initial weights' scale: "relu" or "he" (``sqrt(2 / fan_in)``, the
            default), "sigmoid" or "xavier" (``sqrt(1 / fan_in)``), or a number (a fixed std).
        weight_decay_lambda: L2 weight decay, as in the book: ``loss`` adds
            ``0.5 * lambda * sum(W**2)`` for every weight matrix (not the biases), and every
            ``dW`` gains ``lambda * W``. 0 (the default) switches it off.
        weight_init: the short form's name for ``weight_init_std``.
        seed: seeds the initial weights.
        dtype: np.float32 (default) or np.float64.

    ``params``: ``W1, b1, ..., Wk, bk`` for the k Affine layers; ``sizes``: every layer's width.
    """

    _activation_key = "Activation_function"

    def __init__(self, input_size: int | Sequence[int], hidden_size_list: Sequence[int] | None = None,
                 output_size: int | None = None, activation: str = "relu",
                 weight_init_std: float | str = "relu", weight_decay_lambda: float = 0, *,
                 weight_init: float | str | None = None, seed: int | None = None, dtype=np.float32):
        if isinstance(input_size, (Sequence, np.ndarray)) and not isinstance(input_size, str):
            if hidden_size_list is not None or output_size is not None:
                raise TypeError("MultiLayerNet: with a list of sizes first (the short form), give "
                                "every other setting by name, e.g. MultiLayerNet([784, 50, 10], "
                                "activation='sigmoid'); or use the book's form MultiLayerNet(784, "
                                "[50], 10, 'sigmoid')")
            sizes = [validate.positive_int(n, f"sizes[{i}]") for i, n in enumerate(input_size)]
            if len(sizes) < 2:
                raise ValueError(f"sizes needs at least an input and an output size, such as "
                                 f"[784, 10], got {list(input_size)}")
        else:
            if hidden_size_list is None or output_size is None:
                raise TypeError("MultiLayerNet needs input_size, hidden_size_list and output_size, "
                                "e.g. MultiLayerNet(784, [100, 100], 10), or one list of every "
                                "width, e.g. MultiLayerNet([784, 100, 100, 10])")
            if (isinstance(hidden_size_list, str)
                    or not isinstance(hidden_size_list, (Sequence, np.ndarray))):
                raise TypeError(f"hidden_size_list must be a list of widths such as [100, 100] "
                                f"([] for none), got {hidden_size_list!r}")
            sizes = ([validate.positive_int(input_size, "input_size")]
                     + [validate.positive_int(n, f"hidden_size_list[{i}]")
                        for i, n in enumerate(hidden_size_list)]
                     + [validate.positive_int(output_size, "output_size")])
        init_name = "weight_init_std"
        if weight_init is not None:
            if weight_init_std != "relu":
                raise TypeError("MultiLayerNet: give weight_init_std or weight_init (the same "
                                "setting under two names), not both")
            weight_init_std, init_name = weight_init, "weight_init"
        settings = _check_settings(activation, weight_init_std, weight_decay_lambda, dtype, init_name)
        self.sizes = sizes
        self._build(sizes, *settings, seed)
