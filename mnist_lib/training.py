"""Mini-batch training (plain SGD, momentum, or any optimiser of :mod:`mnist_lib.optimizer`), with
divergence detection and an optional progress bar.

A run whose loss becomes inf or NaN, or whose typical recent loss (the lower median of the last 9
batches' losses) climbs above three times the first batch's loss (and above 7.5), is stopped and
marked ``diverged``, without floods of overflow warnings. The rule and its sentence live with the
other verdicts of a run (:func:`mnist_lib.experiments.blow_up`). One noisy batch is not a blow-up:
a small ``batch_size`` (even 1) trains on. A diverged call costs the network nothing: its weights
are restored to what they were before the call (not to the last good state: a blow-up is often
prepared by several bad steps), and the momentum of a call lives and ends with that call. An
optimiser passed in keeps its state from call to call, as the book's do; a diverged call puts that
state back too.
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import validate
# DIVERGENCE_FACTOR is imported for those who look for the rule's factor here
from .experiments import DIVERGENCE_FACTOR, blow_up, divergence_message  # noqa: F401

__all__ = ["History", "train"]

Data = tuple[np.ndarray, np.ndarray]


@dataclass
class History:
    """What :func:`train` records: ``loss``, each iteration's batch loss (before its update);
    ``train_acc``, ``val_acc``, ``test_acc``, accuracies after the iterations ``eval_iterations``
    (``val_acc`` and ``test_acc`` stay empty without ``val_data`` or ``test_data``); ``diverged``
    when the loss blew up, with ``diverged_at`` that iteration and ``reason`` why, in plain words
    (the network's weights are then back to what they were before the call); ``seconds``, the
    run's wall-clock time, of which ``eval_seconds`` went to measuring accuracies.
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


def train(network, train_data: Data, test_data: Data | None = None, *, val_data: Data | None = None,
          lr: float | None = None, batch_size: int = 100, iterations: int | None = None,
          epochs: float | None = None, eval_every: int | None = None, seed: int | None = 0,
          progress: bool = False, momentum: float = 0.0, sampling: str = "shuffle",
          callback: Callable[[History], None] | None = None, optimizer=None) -> History:
    """Train ``network`` (a ``TwoLayerNet`` or ``MultiLayerNet``) in place with mini-batch SGD.

    ``train_data``, ``val_data``, ``test_data``: ``(x, t)``, images ``x: (N, 784)`` and labels
    ``t: (N,)`` or one-hot ``(N, 10)``; the accuracy on each is measured every ``eval_every``
    iterations (default: every epoch) and at the end. Choose settings by ``val_acc`` (images held
    out of training: :func:`~mnist_lib.data.split_validation`); ``test_acc`` is for the final report.
    Trains for ``iterations`` or ``epochs`` (default: one epoch) with learning rate ``lr`` (default
    0.1, the book's) and ``momentum`` (0: plain SGD, 0.9: the usual momentum), or with
    ``optimizer``, any object with the book's ``update(params, grads)`` such as
    ``Adam(lr=0.001)`` (:mod:`mnist_lib.optimizer`), which then holds the learning rate: ``lr`` and
    ``momentum`` stay unset (``momentum=0.9`` is a shortcut for ``optimizer=Momentum(lr, 0.9)``).
    Batches of ``batch_size`` images are drawn as ``sampling`` says: "shuffle" (each image once per
    epoch) or "replacement" (the book's random draws), seeded by ``seed``. ``progress`` shows a
    progress bar; ``callback(history)`` runs after every iteration. Every argument is checked
    before any work.
    """
    x, t = validate.training_data(network, train_data, val_data, test_data)
    lr, batch_size, momentum = validate.training(lr, batch_size, momentum, sampling, callback,
                                                 optimizer)
    validate.duration(iterations, epochs, eval_every)
    per_epoch = math.ceil(len(x) / batch_size)
    iterations = iterations or max(1, round((epochs or 1) * per_epoch))
    history = History(lr=lr, batch_size=batch_size, iterations_per_epoch=per_epoch)
    batches = _batches(np.random.default_rng(seed), len(x), batch_size, sampling)
    before = {key: p.copy() for key, p in network.params.items()}  # put back if the run blows up
    state = copy.deepcopy(vars(optimizer)) if optimizer is not None else None  # the same
    velocity = {key: np.zeros_like(p) for key, p in network.params.items()}
    bar = _progress_bar(iterations, lr) if progress else None
    start = time.perf_counter()
    with np.errstate(all="ignore"):  # a blow-up is reported once, in history.reason
        for it in range(1, iterations + 1):
            idx = next(batches)
            # the data were checked above; train_flg: batch norm and dropout work as in training
            history.loss.append(network._loss(x[idx], t[idx], train_flg=True))
            if _blown_up(history, it, before, network):
                break
            if optimizer is not None:
                optimizer.update(network.params, network._backward())  # the book's interface
            else:
                # steps[key] is lr * grads[key]: backprop starts from lr instead of 1, so lr
                # multiplies the (N, 10) output gradient instead of every weight (3-9% of an
                # iteration, measured).
                steps = network._backward(scale=lr)
                for key, p in network.params.items():
                    if momentum:  # v = momentum * v - lr * grad; p += v
                        velocity[key] = momentum * velocity[key] - steps[key]
                        p += velocity[key]
                    else:
                        p -= steps[key]  # p -= lr * grad
            if it % (eval_every or per_epoch) == 0 or it == iterations:
                _evaluate(network, history, it, (x, t), val_data, test_data)
            if bar is not None:
                bar.update(1)
            if callback is not None:
                callback(history)
    if history.diverged and optimizer is not None:
        vars(optimizer).update(state)  # its velocities, averages and step count as before the call
    _finish(history, start, bar, callback)
    return history


def _batches(rng: np.random.Generator, n: int, batch_size: int, sampling: str):
    """Endless index batches: shuffled epochs (each sample once per epoch), or the book's draws with replacement."""
    while True:
        if sampling == "replacement":
            yield rng.choice(n, batch_size)
        else:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                yield order[start:start + batch_size]


def _blown_up(history: History, it: int, before: dict[str, np.ndarray], network) -> bool:
    """Whether the loss has blown up at iteration ``it`` (:func:`~mnist_lib.experiments.blow_up`);
    if so, say why in ``history`` and put the network's weights back to ``before``."""
    why = blow_up(history.loss)
    if why is None:
        return False
    for key, p in network.params.items():
        np.copyto(p, before[key])
    history.diverged, history.diverged_at = True, it
    history.reason = divergence_message(it, why, history.lr)
    return True


def _evaluate(network, history: History, it: int, train_data: Data, val_data: Data | None,
              test_data: Data | None) -> None:
    """Measure the accuracies after iteration ``it`` (their time goes to ``eval_seconds``)."""
    began = time.perf_counter()
    history.eval_iterations.append(it)
    history.train_acc.append(network._accuracy(*train_data))
    if val_data is not None:
        history.val_acc.append(network._accuracy(*val_data))
    if test_data is not None:
        history.test_acc.append(network._accuracy(*test_data))
    history.eval_seconds += time.perf_counter() - began


def _progress_bar(iterations: int, lr: float):
    from tqdm.auto import tqdm  # imported here: only runs with progress=True need it
    return tqdm(total=iterations, desc=f"training (lr={lr:g})", unit="it")


def _finish(history: History, start: float, bar, callback) -> None:
    """Stop the clock and the progress bar; tell the callback of a blow-up (it saw no iteration end)."""
    history.seconds = time.perf_counter() - start
    if bar is not None:
        if history.diverged:
            bar.set_postfix_str("diverged")
        bar.close()
    if callback is not None and history.diverged:
        callback(history)
