"""Networks: the book's small 3-layer example, the shipped sample weights, and trainable nets.

``TwoLayerNet`` (784-50-10 in the book) and ``MultiLayerNet`` (any depth, with the book's options of
``MultiLayerNetExtend``: batch normalisation and dropout) are built as the book builds them:
``params`` holds ``W1, b1, W2, b2, ...`` (then ``gamma1, beta1, ...`` with batch normalisation);
``layers`` is a dict of the layers in order, keyed as the book keys them (``'Affine1'``,
``'Relu1'``, ``'Affine2'``, ...), whose layers hold the very arrays in ``params`` (updating
``params`` in place changes what the network computes); ``lastLayer`` is the ``SoftmaxWithLoss`` on
top. Both have the book's ``predict``, ``loss``, ``accuracy``, ``numerical_gradient`` and
``gradient``, so the book's chapter 4 to 6 scripts run on them with only their imports changed.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

import numpy as np

from . import validate
from .data import DataError
from .functions import identity_function, sigmoid, softmax
from .gradient import numerical_gradient
from .layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss

__all__ = ["init_network", "forward", "load_sample_weights", "predict", "TwoLayerNet",
           "MultiLayerNet", "MultiLayerNetExtend", "SAMPLE_WEIGHTS_PATH"]

SAMPLE_WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "sample_weights.npz"
_SAMPLE_SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10),
                  "b3": (10,)}


def init_network() -> dict[str, np.ndarray]:
    """The book's 2-3-2-2 example network: weights ``W1 (2, 3)``, ``W2 (3, 2)``, ``W3 (2, 2)`` and biases."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def _three_layers(network: dict[str, np.ndarray], x: np.ndarray,
                  output: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    validate.three_layer_network(network, x)
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


class _Network:
    """What both networks share: ``params``, ``layers`` (a dict), ``lastLayer`` and the book's methods.

    The public methods check their arguments, once, and then compute with ``_scores``, ``_loss``,
    ``_accuracy`` and ``_backward``, which trust theirs: :func:`~mnist_lib.training.train` checks
    its whole data set before its first step, then calls them on every batch.
    """

    _activation_key = "Relu"  # layers' names: Affine1, Relu1, Affine2, ...
    use_batchnorm = use_dropout = False
    dropout_ration = 0.5

    def _build(self, sizes: list[int], activation: str, weight_init_std: float | str,
               weight_decay_lambda: float, dtype, seed: int | None) -> None:
        """Check the settings, then draw ``params`` and build the layers on them."""
        self.activation, std, self.weight_decay_lambda, dtype, seed = validate.network_settings(
            activation, weight_init_std, weight_decay_lambda, dtype, seed, _ACTIVATIONS, _INIT_GAINS)
        rng = np.random.default_rng(seed)
        self.input_size, self.output_size = sizes[0], sizes[-1]
        self.params = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            scale = np.sqrt(_INIT_GAINS[std] / n_in) if isinstance(std, str) else std
            self.params[f"W{i}"] = (scale * rng.standard_normal((n_in, n_out))).astype(dtype)
            self.params[f"b{i}"] = np.zeros(n_out, dtype=dtype)
        if self.use_batchnorm:  # a scale and a shift per hidden unit, after the weights (the book's order)
            for i, n in enumerate(sizes[1:-1], start=1):
                self.params[f"gamma{i}"] = np.ones(n, dtype=dtype)
                self.params[f"beta{i}"] = np.zeros(n, dtype=dtype)
        self._dropout_rng = rng.spawn(1)[0]  # the masks' own stream: the weights stay as without dropout
        self._connect()

    @property
    def _depth(self) -> int:
        """The number of Affine layers."""
        return sum(key.startswith("W") for key in self.params)

    def _connect(self) -> None:
        """Build ``layers`` and ``lastLayer`` on the arrays in ``params`` (the same arrays, not copies):
        ``Affine<i>``, then (with batch normalisation) ``BatchNorm<i>``, the activation and (with
        dropout) ``Dropout<i>`` for every hidden layer, as the book's ``MultiLayerNetExtend``."""
        n = self._depth
        self.layers = {}
        for i in range(1, n + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            if i == n:
                break
            if self.use_batchnorm:
                self.layers[f"BatchNorm{i}"] = BatchNormalization(self.params[f"gamma{i}"],
                                                                  self.params[f"beta{i}"])
            self.layers[f"{self._activation_key}{i}"] = _ACTIVATIONS[self.activation]()
            if self.use_dropout:
                self.layers[f"Dropout{i}"] = Dropout(self.dropout_ration, seed=self._dropout_rng)
        self.lastLayer = SoftmaxWithLoss()

    @property
    def last_layer(self) -> SoftmaxWithLoss:
        """``lastLayer`` under the name the book's ``MultiLayerNet`` gives it."""
        return self.lastLayer

    def predict(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """Class scores (before softmax): ``x: (N, 784)`` gives ``(N, 10)``; ``(784,)`` gives ``(10,)``.

        ``train_flg``: batch normalisation and dropout work as in training (the batch's own
        statistics, random masks); the default, False, gives the network's answer for use.
        """
        validate.network_input(x, self.input_size, batch=self._modal())
        return self._scores(x, validate.flag(train_flg, "train_flg"))

    def loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool = False) -> float:
        """Mean cross-entropy on a batch ``x: (N, 784)``, plus the weight decay if there is some.

        ``t``: labels ``(N,)`` (whole numbers 0-9) or one-hot rows ``(N, 10)``. ``train_flg`` as
        in :meth:`predict`.
        """
        validate.network_batch(x, t, self.input_size, self.output_size)
        return self._loss(x, t, validate.flag(train_flg, "train_flg"))

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of ``x``'s rows classified correctly; ``t`` labels ``(N,)`` or one-hot ``(N, 10)``."""
        validate.network_batch(x, t, self.input_size, self.output_size)
        return self._accuracy(x, t)

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by backpropagation, keyed like ``params`` (in the network's dtype).

        The loss is taken as in training (``train_flg=True``), as the book's networks do.
        """
        validate.network_batch(x, t, self.input_size, self.output_size)
        self._loss(x, t, train_flg=True)
        return self._backward()

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by central differences, keyed like ``params`` (slow: for checking).

        In float64 whatever the network's dtype, on float64 copies of the parameters (the network
        is not touched): a float32 network gets as accurate a check as the book's float64 one.
        The loss is taken as in training, as :meth:`gradient` takes it. (With dropout every loss
        draws new masks, so the two cannot agree: check the gradients of a network without it.)
        """
        validate.network_batch(x, t, self.input_size, self.output_size)
        twin = copy.copy(self)
        twin.params = {key: p.astype(np.float64) for key, p in self.params.items()}
        twin._connect()
        x64 = x.astype(np.float64)
        return {key: numerical_gradient(lambda _: twin._loss(x64, t, train_flg=True), p)
                for key, p in twin.params.items()}

    def _modal(self) -> bool:
        """Whether some layer works differently in training (batch normalisation, dropout)."""
        return self.use_batchnorm or self.use_dropout

    def _scores(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        for layer in self.layers.values():
            x = layer.forward(x, train_flg) if isinstance(layer, _MODAL) else layer.forward(x)
        return x

    def _loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool = False) -> float:
        loss = self.lastLayer._forward(self._scores(x, train_flg), t)
        if self.weight_decay_lambda:  # the book's 0.5 * lambda * sum(W**2), for every W
            loss += 0.5 * self.weight_decay_lambda * sum(
                float(np.sum(self.params[f"W{i}"] ** 2)) for i in range(1, self._depth + 1))
        return loss

    def _accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        y = np.argmax(self._scores(x), axis=1)
        return float(np.mean(y == (t if t.ndim == 1 else np.argmax(t, axis=1))))

    def _backward(self, scale: float = 1.0) -> dict[str, np.ndarray]:
        """``scale`` times the gradient of the loss of the last ``_loss`` call, keyed like ``params``.

        Backprop starts from ``dout = scale`` instead of 1; each step of the chain rule is linear in
        ``dout``, so every gradient comes out multiplied by ``scale``.
        """
        layers = list(self.layers.values())
        dout = self.lastLayer.backward(scale)
        for layer in reversed(layers[1:]):
            dout = layer.backward(dout)
        layers[0].backward(dout, input_grad=False)  # nothing needs d(loss)/d(input)
        grads = {}
        for i in range(1, self._depth + 1):
            affine = self.layers[f"Affine{i}"]
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
            if self.weight_decay_lambda:  # d/dW of 0.5 * lambda * sum(W**2)
                grads[f"W{i}"] += (scale * self.weight_decay_lambda) * self.params[f"W{i}"]
        if self.use_batchnorm:
            for i in range(1, self._depth):
                norm = self.layers[f"BatchNorm{i}"]
                grads[f"gamma{i}"], grads[f"beta{i}"] = norm.dgamma, norm.dbeta
        return grads


_MODAL = (BatchNormalization, Dropout)  # layers whose forward takes train_flg


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
                 weight_init_std: float | str = 0.01, *, seed: int | None = None, dtype=np.float32):
        sizes = [validate.positive_int(input_size, "input_size"),
                 validate.positive_int(hidden_size, "hidden_size"),
                 validate.positive_int(output_size, "output_size")]
        self._build(sizes, "relu", weight_init_std, 0.0, dtype, seed)


class MultiLayerNet(_Network):
    """A fully connected network of any depth, as the book's: layers ``Affine1``,
    ``Activation_function1``, ..., ``Affine<k>``, then ``lastLayer`` (also ``last_layer``); with
    the options of the book's ``MultiLayerNetExtend`` (also importable under that name), a
    ``BatchNorm<i>`` layer before each activation and a ``Dropout<i>`` layer after it.

    Args:
        input_size, output_size: 784 and 10 for MNIST.
        hidden_size_list: the hidden layers' widths: ``[256, 128, 64]`` makes the 784-256-128-64-10
            network; ``[]`` gives softmax regression (a single Affine layer).
        activation: "relu" or "sigmoid", for every hidden layer.
        weight_init_std: the initial weights' scale: "relu" or "he" (``sqrt(2 / fan_in)``, the
            default), "sigmoid" or "xavier" (``sqrt(1 / fan_in)``), or a number (a fixed std).
        weight_decay_lambda: L2 weight decay, as in the book: ``loss`` adds
            ``0.5 * lambda * sum(W**2)`` for every weight matrix (not the biases), and every
            ``dW`` gains ``lambda * W``. 0 (the default) switches it off.
        use_dropout: a :class:`~mnist_lib.layers.Dropout` layer after every hidden activation,
            dropping the share ``dropout_ration`` (the book's name) of the values while training.
        use_batchnorm: a :class:`~mnist_lib.layers.BatchNormalization` layer before every hidden
            activation, with its ``gamma<i>`` and ``beta<i>`` in ``params``.
        seed: seeds the initial weights (and the dropout masks).
        dtype: np.float32 (default) or np.float64.

    ``params``: ``W1, b1, ..., Wk, bk`` for the k Affine layers, then ``gamma1, beta1, ...,
    gamma<k-1>, beta<k-1>`` with batch normalisation. With batch normalisation or dropout,
    ``predict`` and ``loss`` take the book's ``train_flg`` (False by default: the network in use);
    ``gradient`` and :func:`~mnist_lib.training.train` work in training mode.

    Recommended settings for MNIST: ``MultiLayerNet(784, [256, 128, 64], 10)``, batches of 64,
    about 98% test accuracy in 10 epochs of plain SGD on :func:`~mnist_lib.data.standardize`'d
    inputs, the learning rate lowered in steps: 0.15 for 6 epochs, then 0.05 and 0.015 for 2 each.
    """

    _activation_key = "Activation_function"

    def __init__(self, input_size: int, hidden_size_list: list[int], output_size: int,
                 activation: str = "relu", weight_init_std: float | str = "relu",
                 weight_decay_lambda: float = 0, use_dropout: bool = False,
                 dropout_ration: float = 0.5, use_batchnorm: bool = False, *,
                 seed: int | None = None, dtype=np.float32):
        input_size = validate.positive_int(input_size, "input_size")
        self.hidden_size_list = validate.hidden_sizes(hidden_size_list)
        output_size = validate.positive_int(output_size, "output_size")
        self.use_dropout = validate.flag(use_dropout, "use_dropout")
        self.dropout_ration = validate.dropout_ratio(dropout_ration, "dropout_ration")
        self.use_batchnorm = validate.flag(use_batchnorm, "use_batchnorm")
        self._build([input_size, *self.hidden_size_list, output_size], activation,
                    weight_init_std, weight_decay_lambda, dtype, seed)


#: The book's name for the network with batch normalisation and dropout (``ch06``'s scripts import
#: it): the same class as :class:`MultiLayerNet`, whose options it has.
MultiLayerNetExtend = MultiLayerNet
