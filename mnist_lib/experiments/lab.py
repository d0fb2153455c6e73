"""The learning-rate lab's experiment: one seeded training run at the lab's settings, judged."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .. import validate
from ..data import load_mnist, split_validation
from ..networks import MultiLayerNet
from ..optimizer import SGD, AdaGrad, Adam, Momentum, RMSprop
from .runs import RunVerdict, judge_run

if TYPE_CHECKING:  # training imports the package (the divergence rule): no import at the top
    from ..training import History

#: ``((x_train, t_train), (x_test, t_test))`` as returned by :func:`mnist_lib.load_mnist`.
MnistData = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: The fewest training images a run may use: ten of each digit on average.
MIN_TRAIN_SIZE = 100

_INIT_NAMES = {0.01: "0.01", "xavier": "Xavier", "he": "He"}

#: The lab's optimisers (notebook 11), by the name :func:`run_lr_experiment` takes: plain SGD
#: (``train``'s own loop, as in notebooks 08 and 09), and the classes of
#: :mod:`mnist_lib.optimizer` with their other settings at the book's defaults (momentum 0.9;
#: RMSprop's decay 0.99; Adam's beta1 0.9 and beta2 0.999).
OPTIMIZERS: dict[str, type] = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad,
                               "rmsprop": RMSprop, "adam": Adam}
#: How the lab writes each optimiser's name.
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad",
                   "rmsprop": "RMSprop", "adam": "Adam"}


@dataclass(frozen=True)
class LabSettings:
    """The settings of one run of the learning-rate lab (the keyword arguments of
    :func:`run_lr_experiment`)."""

    lr: float
    batch_size: int = 100
    hidden_size: int = 50
    epochs: int = 3
    activation: str = "relu"
    weight_init_std: float | str = "he"
    train_size: int = 10_000
    seed: int = 0
    optimizer: str = "sgd"

    @property
    def iterations(self) -> int:
        """``epochs × ceil(train_size / batch_size)``."""
        return self.epochs * math.ceil(self.train_size / self.batch_size)

    def describe(self) -> str:
        """A short label, e.g. "lr 0.1, batch 100, 50 ReLU (He), 3 ep" ("Adam lr 0.001, ..." for
        another optimiser than plain SGD)."""
        act = "ReLU" if self.activation == "relu" else self.activation
        init = _INIT_NAMES.get(self.weight_init_std, f"{self.weight_init_std:g}"
                               if isinstance(self.weight_init_std, float) else self.weight_init_std)
        size = "" if self.train_size == 10_000 else f", {self.train_size} images"
        rule = "" if self.optimizer == "sgd" else f"{OPTIMIZER_NAMES[self.optimizer]} "
        return (f"{rule}lr {self.lr:.3g}, batch {self.batch_size}, {self.hidden_size} {act} "
                f"({init}), {self.epochs} ep{size}")


@dataclass(eq=False)
class LabRun:
    """One run of the learning-rate lab: its ``settings``, ``history`` (loss per iteration,
    validation accuracy), the trained ``network`` and its ``verdict`` (:func:`judge_run`, dead
    units counted on the validation images)."""

    settings: LabSettings
    history: History
    network: MultiLayerNet = field(repr=False)
    verdict: RunVerdict


def run_lr_experiment(lr: float, *, batch_size: int = 100, hidden_size: int = 50,
                      epochs: int = 3, activation: str = "relu",
                      weight_init_std: float | str = "he", train_size: int = 10_000,
                      seed: int = 0, optimizer: str = "sgd", data: MnistData | None = None,
                      evaluations: int = 6,
                      callback: Callable[[History], None] | None = None) -> LabRun:
    """Train a ``784-hidden-10`` network on MNIST with learning rate ``lr``; return the run and its verdict.

    The last 10,000 training images are set aside as a validation set
    (:func:`~mnist_lib.data.split_validation`); the network trains on the first ``train_size`` of
    the other 50,000, and its accuracy and dead units are measured on the validation images. The
    test images are not used: they are for the one final report, once the settings are chosen.

    Args:
        lr: the learning rate, a number > 0 (of plain mini-batch SGD, or of ``optimizer``).
        batch_size: images per update.
        hidden_size: neurons in the hidden layer.
        epochs: passes over the training images (``epochs * ceil(train_size / batch_size)``
            iterations in all).
        activation: "relu" or "sigmoid".
        weight_init_std: the initial weights' scale: the book's 0.01, "xavier" (``sqrt(1 /
            fan_in)``) or "he" (``sqrt(2 / fan_in)``), as :class:`~mnist_lib.MultiLayerNet` takes it.
        train_size: train on the first ``train_size`` of the 50,000 training images (at least
            100); the default 10,000 keeps a run to a second or two.
        seed: seeds the initial weights and the order of the batches (same seed, same run).
        optimizer: how the weights are updated (notebook 11): "sgd" (plain SGD, the default),
            "momentum" (0.9), "adagrad", "rmsprop" or "adam", each with its learning rate ``lr``
            (:data:`OPTIMIZERS`). Each has its own band of good learning rates: Adam's is about
            a hundred times below SGD's.
        data: ``((x_train (N, 784), t_train (N,)), (x_test (M, 784), t_test (M,)))``;
            None loads MNIST (~0.1 s once cached).
        evaluations: about how many times the validation accuracy is measured during the run.
        callback: called as ``callback(history)`` after every iteration (for live plots).

    Returns:
        A :class:`LabRun`: ``settings``, ``history`` (``loss`` per iteration, ``val_acc`` at
        ``eval_iterations``; a run that blows up stops early with ``diverged``), ``network`` and
        ``verdict``.
    """
    from ..training import train  # here: training imports this package (the divergence rule)

    *settings, evaluations = validate.lab_settings(lr, batch_size, hidden_size, epochs, activation,
                                                   weight_init_std, train_size, seed, optimizer,
                                                   evaluations, OPTIMIZERS)
    (x_all, t_all), _ = data if data is not None else load_mnist()
    (x_train, t_train), (x_val, t_val) = split_validation(x_all, t_all)
    validate.train_size(train_size, len(x_train), MIN_TRAIN_SIZE)
    settings = LabSettings(*settings)
    network = MultiLayerNet(x_train.shape[1], [settings.hidden_size], 10,
                            activation=settings.activation,
                            weight_init_std=settings.weight_init_std, seed=settings.seed)
    # plain SGD is train's own loop (notebooks 08 and 09); any other optimiser holds the lr
    sgd = settings.optimizer == "sgd"
    history = train(network, (x_train[:train_size], t_train[:train_size]), val_data=(x_val, t_val),
                    lr=settings.lr if sgd else None,
                    optimizer=None if sgd else OPTIMIZERS[settings.optimizer](lr=settings.lr),
                    batch_size=settings.batch_size, epochs=settings.epochs,
                    eval_every=math.ceil(settings.iterations / evaluations), seed=settings.seed,
                    callback=callback)
    return LabRun(settings, history, network, judge_run(history, network, x_val))
