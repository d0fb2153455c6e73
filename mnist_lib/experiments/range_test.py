"""The learning-rate range test (Smith's "LR range test", fast.ai's ``lr_find``)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import validate

@dataclass(frozen=True)
class RangeTest:
    """The result of :func:`lr_range_test`: ``lrs`` ``(K,)``, the learning rate of each iteration
    (growing exponentially); ``losses`` ``(K,)``, each batch's loss before its step; ``smoothed``
    ``(K,)``, their exponential moving average; ``stopped_early``: the smoothed loss blew up
    (passed ``stop_factor`` times its lowest value, or became inf/NaN) before the last learning
    rate; ``lowest``: the learning rate where the smoothed loss is lowest; ``steepest``: where it
    falls fastest (before ``lowest``)."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stopped_early: bool
    lowest: float
    steepest: float


def lr_range_test(network, train_data: tuple[np.ndarray, np.ndarray], *, start: float = 1e-3,
                  stop: float = 100.0, iterations: int = 200, batch_size: int = 100,
                  smoothing: float = 0.95, stop_factor: float = 4.0, seed: int = 0) -> RangeTest:
    """Find the useful learning rates in one short run: the learning-rate range test.

    One run of plain SGD whose learning rate grows exponentially from ``start`` to ``stop`` over
    ``iterations`` mini-batches, recording each batch's loss: where the (smoothed) loss starts to
    fall, the learning rate is large enough to learn; where it is lowest, and then shoots up, it
    is at and past the edge. Leslie Smith's "LR range test" ("Cyclical Learning Rates for Training
    Neural Networks", 2017) raises the rate linearly over a few epochs; fast.ai's ``lr_find``
    raises it exponentially (by default from 1e-7 to 10 in 100 iterations), smooths the loss with
    an exponential moving average and stops once it passes 4 times its lowest value, as this
    function does. A usual choice is a learning rate about ten times smaller than the one at the
    lowest loss.

    Args:
        network: a ``TwoLayerNet`` or ``MultiLayerNet``; its weights are restored afterwards (the
            test costs the network nothing).
        train_data: ``(x (N, 784), t (N,))``; batches are drawn in a seeded shuffled order.
        start, stop: the first and last learning rates, 0 < start < stop.
        iterations: how many mini-batches (at least 10).
        batch_size: images per mini-batch.
        smoothing: the moving average's weight of the past (0 <= smoothing < 1; bias-corrected).
        stop_factor: stop when the smoothed loss passes this many times its lowest value.
        seed: seeds the order of the batches.
    """
    x, t = validate.training_data(network, train_data, None, None)
    validate.range_test(start, stop, iterations, batch_size, smoothing, stop_factor)
    lrs = start * (stop / start) ** (np.arange(iterations) / (iterations - 1))
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(x))
                            for _ in range(math.ceil(iterations * batch_size / len(x)))])
    before = {key: p.copy() for key, p in network.params.items()}
    losses, smoothed, average, best = [], [], 0.0, math.inf
    try:
        with np.errstate(all="ignore"):  # a blow-up is the expected end of the test
            for k, lr in enumerate(lrs):
                batch = order[k * batch_size:(k + 1) * batch_size]
                losses.append(network._loss(x[batch], t[batch]))
                average = smoothing * average + (1 - smoothing) * losses[-1]
                smoothed.append(average / (1 - smoothing ** (k + 1)))  # bias-corrected
                best = min(best, smoothed[-1])
                if not math.isfinite(smoothed[-1]) or smoothed[-1] > stop_factor * best:
                    break
                steps = network._backward(scale=lr)
                for key, p in network.params.items():
                    p -= steps[key]
    finally:
        for key, p in network.params.items():
            np.copyto(p, before[key])
    smoothed = np.array(smoothed)
    k = len(smoothed)
    finite = np.where(np.isfinite(smoothed), smoothed, np.inf)
    low = int(np.argmin(finite))
    slope = np.diff(finite[:low + 1]) if low > 0 else np.zeros(1)
    steep = int(np.argmin(slope)) if low > 0 else 0
    return RangeTest(lrs[:k], np.array(losses), smoothed, k < iterations, float(lrs[low]),
                     float(lrs[steep]))
