"""Networks: the book's small 3-layer example, the shipped sample weights, and trainable nets.

``TwoLayerNet`` (784-50-10 in the book) and ``MultiLayerNet`` (any depth) are stacks of layers
from :mod:`mnist_lib.layers` ending in ``SoftmaxWithLoss``; both have ``params``, ``predict``,
``loss``, ``accuracy``, ``numerical_gradient`` and ``gradient``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Callable

import numpy as np

from .functions import identity_function, sigmoid, softmax
from .gradient import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

__all__ = ["init_network", "forward", "load_sample_weights", "predict", "TwoLayerNet",
           "MultiLayerNet", "SAMPLE_WEIGHTS_PATH"]

SAMPLE_WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "sample_weights.npz"


def init_network() -> dict[str, np.ndarray]:
    """The book's 2-3-2-2 example network: weights ``W1 (2, 3)``, ``W2 (3, 2)``, ``W3 (2, 2)`` and biases."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def _three_layers(network: dict[str, np.ndarray], x: np.ndarray,
                  output: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    z2 = sigmoid(z1 @ network["W2"] + network["b2"])
    return output(z2 @ network["W3"] + network["b3"])


def forward(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Forward pass of :func:`init_network`'s network: sigmoid, sigmoid, identity. ``x: (2,)`` or ``(N, 2)``."""
    return _three_layers(network, x, identity_function)


def load_sample_weights() -> dict[str, np.ndarray]:
    """Trained float32 weights ``W1 b1 W2 b2 W3 b3`` of a 784-50-100-10 sigmoid network.

    Made by ``scripts/train_sample_weights.py`` (re-run it to reproduce them); use with :func:`predict`.
    """
    with np.load(SAMPLE_WEIGHTS_PATH, allow_pickle=False) as npz:
        return {key: npz[key] for key in ("W1", "b1", "W2", "b2", "W3", "b3")}


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Class probabilities of the sample network: ``x: (784,)`` gives ``(10,)``, ``(N, 784)`` gives ``(N, 10)``."""
    return _three_layers(network, x, softmax)


def _init_weight(scale: float | str, fan_in: int) -> float:
    """A weight scale: a number as it is, "he" (ReLU) ``sqrt(2/fan_in)``, "xavier" (sigmoid) ``sqrt(1/fan_in)``."""
    if isinstance(scale, str):
        if scale.lower() == "he":
            return np.sqrt(2.0 / fan_in)
        if scale.lower() == "xavier":
            return np.sqrt(1.0 / fan_in)
        raise ValueError(f'weight initialisation must be a number, "he" or "xavier", got {scale!r}')
    return float(scale)


class _LayerStack:
    """What both networks share: ``self.layers`` (Affine and activation layers), ``self.last_layer``."""

    params: dict[str, np.ndarray]
    layers: list
    last_layer: SoftmaxWithLoss

    def _build(self, sizes: Sequence[int], activation: str, scale: float | str,
               seed: int | None, dtype) -> None:
        activations = {"relu": Relu, "sigmoid": Sigmoid}
        if activation not in activations:
            raise ValueError(f'activation must be "relu" or "sigmoid", got {activation!r}')
        rng = np.random.default_rng(seed)
        self.params, self.layers = {}, []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            std = _init_weight(scale, n_in)
            self.params[f"W{i}"] = (std * rng.standard_normal((n_in, n_out))).astype(dtype)
            self.params[f"b{i}"] = np.zeros(n_out, dtype=dtype)
            self.layers.append(Affine(self.params[f"W{i}"], self.params[f"b{i}"]))
            if i < len(sizes) - 1:
                self.layers.append(activations[activation]())
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class scores (before softmax): ``x: (N, 784)`` gives ``(N, 10)``."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy on a batch; ``t`` one-hot ``(N, 10)`` or labels ``(N,)``."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of ``x``'s rows classified correctly; ``t`` one-hot or labels."""
        y = np.argmax(self.predict(x), axis=1)
        if np.ndim(t) != 1:
            t = np.argmax(t, axis=1)
        return float(np.mean(y == t))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by central differences, keyed like ``params`` (slow: for checking)."""
        def loss_w(_):
            return self.loss(x, t)
        return {key: numerical_gradient(loss_w, p) for key, p in self.params.items()}

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray,
                          scale: float = 1.0) -> tuple[float, dict[str, np.ndarray]]:
        """One forward and one backward pass: the loss and its gradient, keyed like ``params``.

        ``scale`` multiplies every gradient: backprop starts from ``dout = scale`` instead of 1,
        and each step of the chain rule is linear in ``dout``. :func:`~mnist_lib.training.train`
        passes the learning rate, so the gradients come out as the steps ``lr * grad``: the
        multiplication touches the (N, 10) scores instead of every weight.
        """
        loss = self.loss(x, t)
        dout = self.last_layer.backward(scale)
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        self.layers[0].backward(dout, input_grad=False)  # nothing needs d(loss)/d(input)
        affines = self.layers[::2]
        grads = {}
        for i, layer in enumerate(affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = layer.dW, layer.db
        return loss, grads

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of the loss by backpropagation, keyed like ``params``."""
        return self.loss_and_gradient(x, t)[1]


class TwoLayerNet(_LayerStack):
    """The book's two-layer network: Affine, ReLU, Affine, SoftmaxWithLoss.

    Args:
        input_size, hidden_size, output_size: e.g. 784, 50, 10.
        weight_init_std: scale of the initial weights: a number (the book's 0.01), or "he".
        seed: seeds the initial weights (same seed, same network).
        dtype: float32 (fast, default) or float64 (for gradient checks).

    ``params``: ``W1 (input, hidden)``, ``b1 (hidden,)``, ``W2 (hidden, output)``, ``b2 (output,)``.

    Recommended settings for MNIST: ``TwoLayerNet(784, 50, 10, weight_init_std="he")`` trained with
    ``train(net, train_data, lr=0.5, batch_size=100)`` passes 97% test accuracy after about 4
    epochs (3 to 5, depending on the seeds): under a second of training on two CPU cores. The
    defaults (0.01 here, lr 0.1 in :func:`~mnist_lib.training.train`) are the book's: they reach
    about 97% only after the book's 10000 iterations (about 17 epochs).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float | str = 0.01, seed: int | None = None, dtype=np.float32):
        self._build([input_size, hidden_size, output_size], "relu", weight_init_std, seed, dtype)


class MultiLayerNet(_LayerStack):
    """A fully connected network of any depth, e.g. ``MultiLayerNet([784, 256, 128, 64, 10])``.

    Args:
        sizes: layer widths, input first, output last.
        activation: "relu" or "sigmoid" for every hidden layer.
        weight_init: "he" (for ReLU), "xavier" (for sigmoid) or a number (a fixed std).
        seed: seeds the initial weights.
        dtype: float32 (default) or float64.

    ``params``: ``W1, b1, ..., Wk, bk`` for the k Affine layers.
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu",
                 weight_init: float | str = "he", seed: int | None = None, dtype=np.float32):
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, got {list(sizes)}")
        self.sizes = list(sizes)
        self._build(self.sizes, activation, weight_init, seed, dtype)
