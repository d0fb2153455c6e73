"""The learning-rate lab's verdicts on a grid of settings, against their definitions and across CPUs.

At the lab's defaults (50 hidden units with He's initial weights, 3 epochs of 10,000 images, seed
0), for 9 learning rates from 0.001 to 30, batch sizes 10, 100 and 1000, and ReLU and sigmoid:

- every verdict agrees with its definition, measured here directly in plain NumPy on the run's
  losses, its validation accuracies and its trained network (the accuracy and the dead units are
  recomputed from the network's weights and the validation images); a diverged run stopped where
  the loss blew up, and its weights are the initial ones again;
- a verdict near the edge is never asserted as one word: only that it is one of its definition's
  neighbours and says "near the edge";
- every clear verdict is the one in ``verdict_grid.txt``, the table as the reference configuration
  (the default BLAS, 2 threads, NumPy 2) gave it, so the same table holds wherever the test runs:
  ``make grid-test`` runs it as this CPU computes and again with ``OPENBLAS_CORETYPE=Haswell`` and
  one BLAS thread, and it can run under NumPy 1.26 (README, "What is reproducible").

54 runs of a few hundred to 3000 iterations: a minute or more, so it is marked ``grid`` and left
out of ``make test``. ``python tests/test_verdict_grid.py`` writes the table anew.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from mnist_lib import MultiLayerNet, load_mnist
from mnist_lib.data import split_validation
from mnist_lib.experiments import (ACCURACY_DROP, DIVERGENCE_FACTOR, DIVERGENCE_FLOOR,
                                   DIVERGENCE_WINDOW, HARDLY_MOVED, LATE_FALL, LEARNED, OVERSHOOT,
                                   OVERSHOOT_IMAGES, RUN_VERDICTS, STALL_ACCURACY, STALL_DEAD,
                                   run_lr_experiment)

pytestmark = pytest.mark.grid

LRS = (0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
BATCHES = (10, 100, 1000)
ACTIVATIONS = ("relu", "sigmoid")
GRID = [(a, b, lr) for a in ACTIVATIONS for b in BATCHES for lr in LRS]
TABLE = Path(__file__).with_name("verdict_grid.txt")


def read_table() -> dict[tuple[str, int, float], tuple[str, bool]]:
    """``verdict_grid.txt``: (activation, batch size, lr) -> (verdict, near the edge)."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            activation, batch, lr, verdict, edge = [part.strip() for part in line.split("|")[:5]]
            table[activation, int(batch), float(lr)] = (verdict, edge == "near the edge")
    return table


def measure(run, x_val: np.ndarray, t_val: np.ndarray) -> dict[str, float]:
    """The signals of the definitions, measured from the run's raw numbers."""
    net, loss, h = run.network, np.array(run.history.loss), run.history
    # the accuracy and the dead units, from the weights: a forward pass written out
    z = x_val @ net.params["W1"] + net.params["b1"]
    hidden = np.maximum(z, 0) if run.settings.activation == "relu" else np.exp(-np.logaddexp(0, -z))
    scores = hidden @ net.params["W2"] + net.params["b2"]
    accuracy = float(np.mean(scores.argmax(axis=1) == t_val))
    dead = int(sum(np.ptp(hidden[:, k]) == 0 for k in range(hidden.shape[1])))
    n, q = len(loss), len(loss) // 4
    window = max(3, math.ceil(OVERSHOOT_IMAGES / h.batch_size))
    averages = [loss[i:i + window].mean() for i in range(n - window + 1)]
    learned = [(best, acc) for best, acc in zip(np.maximum.accumulate(h.val_acc), h.val_acc)
               if best >= LEARNED]
    return {"accuracy": accuracy, "dead": dead / hidden.shape[1],
            "overshoot": max(averages) / loss[0],
            "drop": max((best - acc for best, acc in learned), default=0.0),
            "late fall": (loss[-2 * q:-q].mean() - loss[-q:].mean()) / (loss[0] - loss[-q:].mean()),
            "loss left": loss[-q:].mean() / loss[0]}


def definition(m: dict[str, float]) -> str:
    """The verdict the definitions give to these measurements (the docstring of experiments)."""
    if m["accuracy"] < STALL_ACCURACY and m["dead"] >= STALL_DEAD:
        return "stalled"
    if m["overshoot"] >= OVERSHOOT or m["drop"] >= ACCURACY_DROP or m["dead"] >= STALL_DEAD:
        return "unstable"
    if m["late fall"] >= LATE_FALL or m["loss left"] >= HARDLY_MOVED:
        return "crawled"
    return "trained"


@pytest.fixture(scope="module")
def validation(mnist):
    return split_validation(*mnist[0])[1]


@pytest.mark.parametrize("activation, batch_size, lr", GRID,
                         ids=[f"{a}-batch{b}-lr{lr:g}" for a, b, lr in GRID])
def test_the_verdict_agrees_with_its_definition_and_the_table(mnist, validation, activation,
                                                              batch_size, lr):
    run = run_lr_experiment(lr, batch_size=batch_size, activation=activation, data=mnist)
    v = run.verdict
    assert v.verdict in RUN_VERDICTS
    if v.verdict == "diverged":
        loss = run.history.loss
        recent = sorted(loss[-DIVERGENCE_WINDOW:])[(len(loss[-DIVERGENCE_WINDOW:]) - 1) // 2]
        assert not math.isfinite(loss[-1]) or recent > DIVERGENCE_FACTOR * max(loss[0], DIVERGENCE_FLOOR)
        assert len(loss) < run.settings.iterations and v.message == run.history.reason
        start = MultiLayerNet(784, [50], 10, activation=activation, weight_init_std="he", seed=0)
        for key, p in run.network.params.items():
            np.testing.assert_array_equal(p, start.params[key])  # restored
    else:
        m = measure(run, *validation)
        # the numbers the verdict prints are the run's
        assert v.val_acc == pytest.approx(m["accuracy"], abs=3e-4)  # float32 sigmoids may round apart
        assert v.dead_units == round(m["dead"] * 50) and v.hidden_units == 50
        assert f"validation accuracy {100 * v.val_acc:.1f}%" in v.message
        assert f"{v.dead_units} of 50 hidden units dead" in v.message
        if v.near_edge:
            # near the edge: the definition gives one of the two, and the message says so
            assert {definition(m)} | set(v.near_edge) >= {v.verdict}
            assert "near the edge" in v.message
        else:
            assert v.verdict == definition(m), (m, v.message)
    expected, edge = read_table()[activation, batch_size, lr]
    if not edge and not v.near_edge:
        assert v.verdict == expected, f"the reference table says {expected}: {v.message}"


def test_the_table_covers_the_grid():
    table = read_table()
    assert sorted(table) == sorted(GRID)
    assert set(verdict for verdict, _ in table.values()) == set(RUN_VERDICTS)  # all five happen


def write_table() -> None:
    """Write verdict_grid.txt from the runs of this computer."""
    import numpy

    data = load_mnist()
    lines = [f"# The learning-rate lab's verdicts at its defaults (50 hidden units, He's initial "
             f"weights, 3 epochs of 10,000 images, seed 0),",
             f"# as written by `python tests/test_verdict_grid.py` with NumPy {numpy.__version__}. "
             f"test_verdict_grid.py checks every clear verdict",
             "# against this table wherever it runs; accuracy and dead units are for reading.",
             "# activation | batch | lr | verdict | near the edge? | validation accuracy | dead units"]
    for activation, batch_size, lr in GRID:
        v = run_lr_experiment(lr, batch_size=batch_size, activation=activation, data=data).verdict
        acc = "-" if v.val_acc is None else f"{100 * v.val_acc:.1f}%"
        dead = "-" if v.dead_units is None else f"{v.dead_units}/{v.hidden_units}"
        lines.append(f"{activation} | {batch_size} | {lr:g} | {v.verdict} | "
                     f"{'near the edge' if v.near_edge else 'clear'} | {acc} | {dead}")
        print(lines[-1], flush=True)
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(write_table())
