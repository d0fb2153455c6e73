"""Mini-batch stochastic gradient descent, with divergence detection and an optional progress bar."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["History", "train"]

DIVERGENCE_FACTOR = 3.0  # a loss this many times the first one means the run has blown up...
DIVERGENCE_FLOOR = 1.0  # ...measured from at least 1.0: a trained network's small batch losses
                        # (0.02 to 0.2) swing by more than 3x from batch to batch, which is noise


@dataclass
class History:
    """What :func:`train` records.

    ``loss``: the mini-batch loss of every iteration (before that iteration's update).
    ``train_acc``, ``val_acc``, ``test_acc``: accuracies at each evaluation, taken after iteration
    ``eval_iterations[k]`` (by default once per epoch and at the end); ``val_acc`` and
    ``test_acc`` stay empty when no ``val_data`` or ``test_data`` was given.
    ``diverged``: True when the run was stopped because the loss blew up; then ``diverged_at`` is
    that iteration and ``reason`` says why in plain words.
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

    Choose the settings (learning rate, batch size, how long to train) by ``history.val_acc``,
    never by ``history.test_acc``: the test set is for the final report only, once the choice is
    made, so that its accuracy is still an honest estimate on unseen images.
        lr: learning rate. batch_size: samples per update.
        iterations / epochs: how long to train (give one; the default is one epoch).
        eval_every: iterations between evaluations (default: once per epoch); there is always
            one at the end.
        seed: seeds the order of the batches. progress: show a progress bar (tqdm).
        momentum: 0 for plain SGD; e.g. 0.9 for SGD with momentum.
        sampling: "shuffle" (each sample once per epoch) or "replacement" (the book's random draws).
        callback: called as ``callback(history)`` after every iteration (e.g. to redraw a plot).

    A run whose loss becomes inf or NaN, or climbs above three times the first batch's loss (and
    above 3), is stopped and marked ``diverged``, without floods of overflow warnings.
    """
    x_train, t_train = train_data
    n = len(x_train)
    if len(t_train) != n:
        raise ValueError(f"train_data has {n} images but {len(t_train)} labels")
    for name, data in (("val_data", val_data), ("test_data", test_data)):
        if data is not None and len(data[0]) != len(data[1]):
            raise ValueError(f"{name} has {len(data[0])} images but {len(data[1])} labels")
    if lr <= 0 or batch_size < 1 or not 0 <= momentum < 1:
        raise ValueError(f"need lr > 0, batch_size >= 1 and 0 <= momentum < 1, "
                         f"got lr={lr}, batch_size={batch_size}, momentum={momentum}")
    if sampling not in ("shuffle", "replacement"):
        raise ValueError(f'sampling must be "shuffle" or "replacement", got {sampling!r}')
    if iterations is not None and epochs is not None:
        raise ValueError("give iterations or epochs, not both")
    if (iterations is not None and iterations < 1) or (epochs is not None and epochs <= 0):
        raise ValueError(f"need iterations >= 1 or epochs > 0, got iterations={iterations}, epochs={epochs}")
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

    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for it in range(1, iterations + 1):
            idx = next(batches)
            loss, steps = network.loss_and_gradient(x_train[idx], t_train[idx], scale=lr)
            history.loss.append(loss)
            first = history.loss[0]
            if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * max(first, DIVERGENCE_FLOOR):
                history.diverged, history.diverged_at = True, it
                grew = f"became {loss}" if not math.isfinite(loss) else f"grew from {first:.2f} to {loss:.2g}"
                history.reason = (f"diverged at iteration {it}: the loss {grew}, the learning rate "
                                  f"{lr:g} is too large for this network")
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
