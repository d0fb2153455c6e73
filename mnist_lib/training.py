"""Mini-batch stochastic gradient descent, with divergence detection and an optional progress bar."""
from __future__ import annotations

import math
import numbers
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import validate

__all__ = ["History", "train"]

DIVERGENCE_FACTOR = 3.0  # a typical recent loss this many times the first one is a blow-up...
DIVERGENCE_FLOOR = 2.5   # ...measured from at least 2.5 (a guess among 10 classes costs ln 10 = 2.3):
                         # a trained network's small batch losses swing by far more than 3x
DIVERGENCE_WINDOW = 9    # "typical recent loss": the lower median of the last 9 batch losses, so
                         # that a few unlucky batches (likely with batch_size=1) are noise


@dataclass
class History:
    """What :func:`train` records.

    ``loss``: the mini-batch loss of every iteration (before that iteration's update).
    ``train_acc``, ``val_acc``, ``test_acc``: accuracies at each evaluation, taken after iteration
    ``eval_iterations[k]`` (by default once per epoch and at the end); ``val_acc`` and
    ``test_acc`` stay empty when no ``val_data`` or ``test_data`` was given.
    ``diverged``: True when the run was stopped because the loss blew up; then ``diverged_at`` is
    that iteration, ``reason`` says why in plain words, and the network's weights are back to
    what they were before the call.
    ``seconds``: wall-clock time of the whole run; ``eval_seconds``: the part of it spent measuring
    accuracies, so ``seconds - eval_seconds`` is the time spent training.
    """

    lr: float
    batch_size: int
    iterations_per_epoch: int
    loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    eval_iterations: list[int] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None
    reason: str | None = None
    seconds: float = 0.0
    eval_seconds: float = 0.0

    @property
    def epochs(self) -> list[float]:
        """``eval_iterations`` in epochs (for plotting accuracies against epochs)."""
        return [i / self.iterations_per_epoch for i in self.eval_iterations]


def _momentum(value) -> float:
    """``value`` as a float when it is a number with ``0 <= value < 1``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"momentum must be a number such as 0 or 0.9, got {value!r}")
    if not 0 <= value < 1:  # also refuses nan
        raise ValueError(f"momentum must be at least 0 and below 1 (0: plain SGD, 0.9: the usual "
                         f"choice), got {value}")
    return float(value)


def _blown_up(first: float, recent: deque[float]) -> str:
    """Why the run has blown up, in words, or "" when it has not.

    ``first``: the first batch's loss (the network as it was given); ``recent``: the last few
    batch losses, newest last.
    """
    newest = recent[-1]
    if not math.isfinite(newest):
        return f"the loss became {newest}"
    typical = sorted(recent)[(len(recent) - 1) // 2]  # the lower median: half the losses are above
    if typical > DIVERGENCE_FACTOR * max(first, DIVERGENCE_FLOOR):
        return (f"the loss grew from {first:.2f} to {typical:.3g} (the median of the last "
                f"{len(recent)} batches)")
    return ""


def _batches(rng: np.random.Generator, n: int, batch_size: int, sampling: str):
    """Endless index batches: shuffled epochs (each sample once per epoch), or the book's draws with replacement."""
    while True:
        if sampling == "replacement":
            yield rng.choice(n, batch_size)
        else:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                yield order[start:start + batch_size]


def train(network, train_data: tuple[np.ndarray, np.ndarray],
          test_data: tuple[np.ndarray, np.ndarray] | None = None, *,
          val_data: tuple[np.ndarray, np.ndarray] | None = None, lr: float = 0.1,
          batch_size: int = 100, iterations: int | None = None, epochs: float | None = None,
          eval_every: int | None = None, seed: int | None = 0, progress: bool = False,
          momentum: float = 0.0, sampling: str = "shuffle",
          callback: Callable[[History], None] | None = None) -> History:
    """Train ``network`` in place with mini-batch SGD and return its :class:`History`.

    Recommended settings (measured on MNIST; the defaults below are the book's):

    - ``TwoLayerNet(784, 50, 10, weight_init_std="he")``: ``lr=0.5, batch_size=100``; 97% test
      accuracy after about 4 epochs.
    - ``MultiLayerNet([784, 256, 128, 64, 10])``, batch_size=64, 10 epochs, about 98% test
      accuracy: on inputs from :func:`~mnist_lib.data.standardize`, plain SGD (the fastest
      epochs) with ``lr=0.15`` for 6 epochs, then calls with ``lr=0.05`` and ``lr=0.015`` for 2
      each; or on pixels in [0, 1], ``lr=0.02, momentum=0.9`` for 8 epochs, then ``lr=0.002``
      for 2.

    Args:
        network: a ``TwoLayerNet`` or ``MultiLayerNet`` (anything with ``params``,
            ``loss_and_gradient(x, t, scale)`` returning the loss and ``scale`` times the
            gradient, and ``accuracy(x, t)``).
        train_data: ``(x, t)`` with ``x: (N, 784)`` and ``t`` labels ``(N,)`` or one-hot ``(N, 10)``.
        test_data: ``(x, t)`` for test accuracy at each evaluation, or None.
        val_data: ``(x, t)`` for validation accuracy at each evaluation, or None: images held
            out of the training set (see :func:`~mnist_lib.data.split_validation`).
        lr: learning rate. batch_size: samples per update.
        iterations / epochs: how long to train (give one; the default is one epoch).
        eval_every: iterations between evaluations (default: once per epoch); there is always
            one at the end.
        seed: seeds the order of the batches. progress: show a progress bar (tqdm).
        momentum: 0 for plain SGD; e.g. 0.9 for SGD with momentum.
        sampling: "shuffle" (each sample once per epoch) or "replacement" (the book's random draws).
        callback: called as ``callback(history)`` after every iteration (e.g. to redraw a plot).

    Choose the settings (learning rate, batch size, how long to train) by ``history.val_acc``,
    never by ``history.test_acc``: the test set is for the final report only, once the choice is
    made, so that its accuracy is still an honest estimate on unseen images.

    Every argument is checked before any work: images must be finite (a NaN or inf is reported
    as a problem with the data, naming its row), labels 0-9 or one-hot, ``lr`` a finite number
    > 0, ``0 <= momentum < 1``.

    A run whose loss becomes inf or NaN, or whose typical recent loss (the lower median of the
    last 9 batches' losses) climbs above three times the first batch's loss (and above 7.5), is
    stopped and marked ``diverged``, without floods of overflow warnings. One noisy batch is not
    a blow-up: a small ``batch_size`` (even 1) trains on. A diverged call costs the network
    nothing: its weights are restored to what they were before the call (not to the last good
    state: a blow-up is often prepared by several bad steps), and the momentum of a call lives
    and ends with that call.
    """
    if not (hasattr(network, "params") and hasattr(network, "loss_and_gradient")):
        raise TypeError(f"network must be a network such as TwoLayerNet(784, 50, 10), with params "
                        f"and loss_and_gradient, got {type(network).__name__}")
    x_train, t_train = validate.dataset(train_data, "train_data")
    if val_data is not None:
        validate.dataset(val_data, "val_data")
    if test_data is not None:
        validate.dataset(test_data, "test_data")
    lr = validate.positive_number(lr, "lr")
    batch_size = validate.positive_int(batch_size, "batch_size")
    momentum = _momentum(momentum)
    if sampling not in ("shuffle", "replacement"):
        raise ValueError(f'sampling must be "shuffle" or "replacement", got {sampling!r}')
    if iterations is not None and epochs is not None:
        raise ValueError(f"give iterations or epochs, not both (got iterations={iterations}, "
                         f"epochs={epochs})")
    if iterations is not None:
        iterations = validate.positive_int(iterations, "iterations")
    if epochs is not None:
        epochs = validate.positive_number(epochs, "epochs")
    if eval_every is not None:
        eval_every = validate.positive_int(eval_every, "eval_every")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function called with the History, got {callback!r}")
    n = len(x_train)
    per_epoch = math.ceil(n / batch_size)
    if iterations is None:
        iterations = max(1, round((1 if epochs is None else epochs) * per_epoch))
    eval_every = eval_every or per_epoch

    history = History(lr=lr, batch_size=batch_size, iterations_per_epoch=per_epoch)
    batches = _batches(np.random.default_rng(seed), n, batch_size, sampling)
    velocity = {key: np.zeros_like(p) for key, p in network.params.items()} if momentum else None
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=iterations, desc=f"training (lr={lr:g})", unit="it")

    def evaluate(it: int) -> None:
        began = time.perf_counter()
        history.eval_iterations.append(it)
        history.train_acc.append(network.accuracy(x_train, t_train))
        if val_data is not None:
            history.val_acc.append(network.accuracy(*val_data))
        if test_data is not None:
            history.test_acc.append(network.accuracy(*test_data))
        history.eval_seconds += time.perf_counter() - began

    before = {key: p.copy() for key, p in network.params.items()}
    recent: deque[float] = deque(maxlen=DIVERGENCE_WINDOW)
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for it in range(1, iterations + 1):
            idx = next(batches)
            loss, steps = network.loss_and_gradient(x_train[idx], t_train[idx], scale=lr)
            history.loss.append(loss)
            recent.append(loss)
            blown = _blown_up(history.loss[0], recent)
            if blown:
                for key, p in network.params.items():
                    np.copyto(p, before[key])
                history.diverged, history.diverged_at = True, it
                history.reason = (f"diverged at iteration {it}: {blown}, so the learning rate "
                                  f"{lr:g} is too large for this network; the network's weights "
                                  f"were restored to what they were before this call")
                break
            if velocity is None:  # steps[key] is lr * gradient (see loss_and_gradient)
                for key, p in network.params.items():
                    p -= steps[key]
            else:
                for key, p in network.params.items():
                    v = velocity[key]
                    v *= momentum
                    v -= steps[key]
                    p += v
            if it % eval_every == 0 or it == iterations:
                evaluate(it)
            if bar is not None:
                bar.update(1)
            if callback is not None:
                callback(history)
    history.seconds = time.perf_counter() - start
    if bar is not None:
        if history.diverged:
            bar.set_postfix_str("diverged")
        bar.close()
    if callback is not None and history.diverged:
        callback(history)
    return history
