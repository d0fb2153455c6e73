"""How fast is mnist_lib? One run measures the course's speed targets and writes bench/results.json.

The results file is not part of the repository (git ignores it): every run rewrites it, or writes
where ``--output FILE`` says.

    make bench                                   # or: .venv/bin/python bench/benchmark.py
    .venv/bin/python bench/benchmark.py --quick  # one repeat of everything, for a smoke test
    .venv/bin/python bench/benchmark.py --no-test-suite     # leave out target 4 (saves ~75 s)

What it measures (see bench/README.md for the method):

1. ``mnist_lib.train`` on TwoLayerNet(784, 50, 10), batch 100, lr 0.1, 10000 iterations, against
   the same model, start weights, kind of batches and loop in PyTorch on the CPU: paired runs,
   each in a fresh process, the order alternating; the median of the time ratios.
2. Time to 97% test accuracy with the recommended settings (He init, lr 0.5, batch 100).
3. MultiLayerNet 784-256-128-64-10, batch 64: seconds per epoch against the floating-point limit
   (the epoch's FLOPs over the peak matmul rate measured in this run), and test accuracy after 10
   epochs of plain SGD on standardized inputs; the same for SGD with momentum, for information.
4. The whole test suite, as `make test` runs it.
5. A warm ``load_mnist()`` in fresh processes.
6. MultiLayerNet 784-100-100-100-100-10 with batch normalisation, trained with Adam (batch 128,
   2000 iterations, the book's optimiser comparison), against the same model, start weights,
   batches and optimiser in PyTorch: paired runs in fresh processes, as in target 1.
Plus the numerical-versus-backprop gradient ratio, and the book's float64 approach as a reference.

PyTorch is optional; without it the PyTorch ratio is skipped with a message saying how to install
its CPU build. Timings on a busy machine are noisy: compare ratios taken in one run.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import blas_threads  # noqa: E402  (the project's root, where blas_threads.py lives)

blas_threads.set_default()  # the same BLAS thread count as `make test`; workers inherit it

import numpy as np  # noqa: E402  (after the thread count is set)

import mnist_lib  # noqa: E402
from mnist_lib import (MultiLayerNet, TwoLayerNet, load_mnist, numerical_gradient,  # noqa: E402
                       standardize, train)
from mnist_lib.optimizer import Adam  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"  # git ignores it (.gitignore)
TORCH_HELP = ("PyTorch is not installed: the PyTorch comparison is skipped. To include it, install "
              "the CPU build into this virtual environment (it is not a course dependency):\n"
              "    .venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
              "or, where a local wheel is at hand (pip's find-links), `.venv/bin/pip install torch==2.13.0`.")

# Target 1: the book's network and loop.
SMALL = dict(sizes=(784, 50, 10), lr=0.1, batch_size=100, iterations=10_000)
# Target 2: the recommended settings for TwoLayerNet(784, 50, 10) (see its docstring).
FAST = dict(weight_init_std="he", lr=0.5, batch_size=100, goal=0.97, check_every=100, max_epochs=10)
# Target 3: a deeper network, 10 epochs, the learning rate lowered in steps (epochs, lr). The goal
# is judged on plain SGD with standardized inputs; SGD with momentum on pixels in [0, 1] (as
# notebook 08 trains it) is measured beside it.
DEEP = dict(sizes=(784, 256, 128, 64, 10), batch_size=64)
DEEP_RECIPES = {
    "sgd_standardized": dict(standardize=True, momentum=0.0, schedule=[(6, 0.15), (2, 0.05), (2, 0.015)]),
    "momentum": dict(standardize=False, momentum=0.9, schedule=[(8, 0.02), (2, 0.002)]),
}
DEEP_GOAL_RECIPE = "sgd_standardized"

# Target 6: the book's optimiser comparison network, with batch normalisation, trained with Adam.
BN_ADAM = dict(hidden=[100, 100, 100, 100], batch_size=128, iterations=2000, lr=0.001)

GOALS = {"torch_ratio": 0.6, "seconds_to_97": 1.5, "epoch_over_limit": 1.3, "deep_accuracy": 0.98,
         "test_suite_seconds": 180.0, "warm_load_seconds": 0.3, "small_accuracy": 0.965,
         "bn_adam_ratio": 1.0, "bn_adam_accuracy": 0.965}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Workers: each timed training run of target 1 runs alone in a fresh process (no thread pool of
# the other library left spinning), started as `benchmark.py --worker KIND --seed S`.
# ---------------------------------------------------------------------------------------------

def worker_numpy(seed: int, iterations: int) -> dict:
    """mnist_lib.train exactly as a notebook calls it; evaluation time is not counted."""
    (x, t), test = load_mnist()
    sizes = SMALL["sizes"]
    train(TwoLayerNet(*sizes, seed=seed), (x[:1000], t[:1000]), iterations=20)  # warm-up
    net = TwoLayerNet(*sizes, seed=seed)
    h = train(net, (x, t), test, lr=SMALL["lr"], batch_size=SMALL["batch_size"],
              iterations=iterations, eval_every=iterations, seed=seed)
    return {"seconds": h.seconds - h.eval_seconds, "test_acc": h.test_acc[-1],
            "diverged": h.diverged}


def worker_torch(seed: int, iterations: int) -> dict:
    """The same model, start weights, learning rate and epoch-wise shuffled batches in PyTorch."""
    import torch
    from torch import nn

    sizes = SMALL["sizes"]

    def model_from(net: TwoLayerNet) -> nn.Module:
        model = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2]))
        with torch.no_grad():  # nn.Linear keeps W transposed: (out, in)
            model[0].weight.copy_(torch.from_numpy(net.params["W1"].T))
            model[0].bias.copy_(torch.from_numpy(net.params["b1"]))
            model[2].weight.copy_(torch.from_numpy(net.params["W2"].T))
            model[2].bias.copy_(torch.from_numpy(net.params["b2"]))
        return model

    return torch_timed(lambda: model_from(TwoLayerNet(*sizes, seed=seed)),
                       lambda params: torch.optim.SGD(params, lr=SMALL["lr"]),
                       SMALL["batch_size"], seed, iterations)


def torch_timed(new_model, new_optimizer, batch_size: int, seed: int, iterations: int) -> dict:
    """A PyTorch worker's run: a short warm-up on one model, then ``iterations`` timed on a fresh
    one (epoch-wise shuffled batches of the training images, each loss read as ``train`` records
    it), and the test accuracy (batch norm, if any, on its moving averages)."""
    import torch
    from torch.nn import functional as F

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    (x, t), (xt, tt) = load_mnist()
    X, T = torch.from_numpy(x), torch.from_numpy(t)

    def run(model, iterations: int) -> None:
        opt = new_optimizer(model.parameters())
        gen = torch.Generator().manual_seed(seed)
        order, pos = None, len(X)
        model.train()
        for _ in range(iterations):
            if pos >= len(X):  # a new epoch: a new shuffled order
                order, pos = torch.randperm(len(X), generator=gen), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            loss = F.cross_entropy(model(X[idx]), T[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss.item()  # as train() records every loss

    run(new_model(), 20)  # warm-up
    model = new_model()
    start = time.perf_counter()
    run(model, iterations)
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        acc = (model(torch.from_numpy(xt)).argmax(1) == torch.from_numpy(tt)).float().mean().item()
    return {"seconds": seconds, "test_acc": acc, "torch": torch.__version__}


def worker_book(seed: int, iterations: int) -> dict:
    """The book's approach: float64 weights (float32 images, as the book loads them), one-hot labels,
    draws with replacement, an input gradient for the first layer, and the loss computed again
    after the update for the log."""
    (x, t), _ = load_mnist(one_hot_label=True)
    net = TwoLayerNet(*SMALL["sizes"], seed=seed, dtype=np.float64)
    rng = np.random.default_rng(seed)
    lr, batch_size = SMALL["lr"], SMALL["batch_size"]
    losses = []
    start = time.perf_counter()
    for _ in range(iterations):
        idx = rng.choice(len(x), batch_size)
        x_batch, t_batch = x[idx], t[idx]
        net.loss(x_batch, t_batch)
        dout = net.lastLayer.backward(1.0)
        for layer in reversed(list(net.layers.values())):
            dout = layer.backward(dout)
        for i in (1, 2):
            affine = net.layers[f"Affine{i}"]
            net.params[f"W{i}"] -= lr * affine.dW
            net.params[f"b{i}"] -= lr * affine.db
        losses.append(net.loss(x_batch, t_batch))
    return {"seconds": time.perf_counter() - start}


def bn_adam_network(seed: int) -> MultiLayerNet:
    return MultiLayerNet(784, BN_ADAM["hidden"], 10, use_batchnorm=True, seed=seed)


def worker_numpy_bn_adam(seed: int, iterations: int) -> dict:
    """Target 6 in mnist_lib: train with optimizer=Adam(...) as notebook 11 does; evaluation not counted."""
    (x, t), test = load_mnist()
    train(bn_adam_network(seed), (x[:1000], t[:1000]), optimizer=Adam(lr=BN_ADAM["lr"]),
          batch_size=BN_ADAM["batch_size"], iterations=20)  # warm-up
    net = bn_adam_network(seed)
    h = train(net, (x, t), test, optimizer=Adam(lr=BN_ADAM["lr"]), batch_size=BN_ADAM["batch_size"],
              iterations=iterations, eval_every=iterations, seed=seed)
    return {"seconds": h.seconds - h.eval_seconds, "test_acc": h.test_acc[-1],
            "diverged": h.diverged}


def worker_torch_bn_adam(seed: int, iterations: int) -> dict:
    """Target 6 in PyTorch: Linear, BatchNorm1d and ReLU four times, then Linear, from the same start
    weights (nn.Linear keeps W transposed), with batch norm's epsilon and momentum as mnist_lib's
    (PyTorch's momentum 0.1 is the share of the new batch: mnist_lib's 0.9 is the share kept) and
    Adam with the same learning rate and betas (PyTorch adds its epsilon to the corrected average,
    the book to the raw one: a difference far below the losses' noise)."""
    import torch
    from torch import nn

    from mnist_lib.layers import BatchNormalization

    def model_from(net: MultiLayerNet) -> nn.Module:
        parts = []
        for i in range(1, len(BN_ADAM["hidden"]) + 2):
            W, b = net.params[f"W{i}"], net.params[f"b{i}"]
            linear = nn.Linear(*W.shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T))
                linear.bias.copy_(torch.from_numpy(b))
            parts.append(linear)
            if i <= len(BN_ADAM["hidden"]):
                parts += [nn.BatchNorm1d(W.shape[1], eps=BatchNormalization.eps, momentum=0.1),
                          nn.ReLU()]
        return nn.Sequential(*parts)

    return torch_timed(lambda: model_from(bn_adam_network(seed)),
                       lambda params: torch.optim.Adam(params, lr=BN_ADAM["lr"], betas=(0.9, 0.999),
                                                       eps=1e-7),
                       BN_ADAM["batch_size"], seed, iterations)


WORKERS = {"numpy": worker_numpy, "torch": worker_torch, "book": worker_book,
           "numpy_bn_adam": worker_numpy_bn_adam, "torch_bn_adam": worker_torch_bn_adam}


def in_fresh_process(kind: str, seed: int, iterations: int) -> dict:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--seed", str(seed),
                          "--iterations", str(iterations)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Measurements in this process
# ---------------------------------------------------------------------------------------------

def peak_gflops(dtype=np.float32, n: int = 2048, repeats: int = 4) -> float:
    """The best rate of an n x n x n matmul, in GFLOP/s (the machine's practical peak)."""
    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype=np.float64).astype(dtype)
    b = rng.random((n, n), dtype=np.float64).astype(dtype)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def compare_with_torch(repeats: int, have_torch: bool) -> dict:
    """Target 1 (and the book's reference row): paired runs in fresh processes."""
    iters = SMALL["iterations"]
    book_iters = iters // 5  # the book's loop is slow: time a fifth and scale up
    rows = []
    for r in range(repeats):
        order = ["numpy", "torch"] if r % 2 == 0 else ["torch", "numpy"]
        row = {}
        for kind in order:
            if kind == "torch" and not have_torch:
                continue
            row[kind] = in_fresh_process(kind, seed=r, iterations=iters)
            log(f"  round {r + 1}/{repeats}: {kind:5s} {row[kind]['seconds']:.2f} s, "
                f"test accuracy {row[kind]['test_acc']:.4f}")
        book = in_fresh_process("book", seed=r, iterations=book_iters)
        row["book"] = {"seconds": book["seconds"] * iters / book_iters}
        log(f"  round {r + 1}/{repeats}: book  {row['book']['seconds']:.2f} s "
            f"(scaled up from {book_iters} iterations)")
        rows.append(row)
    numpy_s = [row["numpy"]["seconds"] for row in rows]
    result = {
        "numpy_seconds": numpy_s,
        "numpy_test_acc": [row["numpy"]["test_acc"] for row in rows],
        "book_seconds": [row["book"]["seconds"] for row in rows],
        "book_over_numpy": statistics.median(row["book"]["seconds"] / row["numpy"]["seconds"]
                                             for row in rows),
        "book_iterations_timed": book_iters,
    }
    if have_torch:
        result.update({
            "torch_version": rows[0]["torch"]["torch"],
            "torch_seconds": [row["torch"]["seconds"] for row in rows],
            "torch_test_acc": [row["torch"]["test_acc"] for row in rows],
            "ratios": [row["numpy"]["seconds"] / row["torch"]["seconds"] for row in rows],
        })
        result["ratio_median"] = statistics.median(result["ratios"])
    return result


def compare_bn_adam(repeats: int, have_torch: bool) -> dict:
    """Target 6: batch normalisation and Adam, mnist_lib against PyTorch, paired runs in fresh processes."""
    iters = BN_ADAM["iterations"]
    rows = []
    for r in range(repeats):
        row = {}
        for kind in (["numpy_bn_adam", "torch_bn_adam"] if r % 2 == 0
                     else ["torch_bn_adam", "numpy_bn_adam"]):
            if kind.startswith("torch") and not have_torch:
                continue
            row[kind] = in_fresh_process(kind, seed=r, iterations=iters)
            log(f"  round {r + 1}/{repeats}: {kind:13s} {row[kind]['seconds']:.2f} s, "
                f"test accuracy {row[kind]['test_acc']:.4f}")
        rows.append(row)
    result = {"numpy_seconds": [row["numpy_bn_adam"]["seconds"] for row in rows],
              "numpy_test_acc": [row["numpy_bn_adam"]["test_acc"] for row in rows],
              "settings": BN_ADAM}
    if have_torch:
        result.update({
            "torch_version": rows[0]["torch_bn_adam"]["torch"],
            "torch_seconds": [row["torch_bn_adam"]["seconds"] for row in rows],
            "torch_test_acc": [row["torch_bn_adam"]["test_acc"] for row in rows],
            "ratios": [row["numpy_bn_adam"]["seconds"] / row["torch_bn_adam"]["seconds"]
                       for row in rows],
        })
        result["ratio_median"] = statistics.median(result["ratios"])
    return result


class _Reached(Exception):
    """Raised from the callback to end a run once the goal is reached."""


def time_to_accuracy(data, seeds) -> dict:
    """Target 2: seconds of training (checks of the test accuracy not counted) until it reaches 97%."""
    train_data, (xt, tt) = data
    seconds, epochs = [], []
    for seed in seeds:
        net = TwoLayerNet(784, 50, 10, weight_init_std=FAST["weight_init_std"], seed=seed)
        state = {"checking": 0.0, "hit": None}

        def check(history):
            it = len(history.loss)
            if it % FAST["check_every"]:
                return
            began = time.perf_counter()
            trained = began - start - state["checking"]  # the earlier checks are not training
            reached = net.accuracy(xt, tt) >= FAST["goal"]
            state["checking"] += time.perf_counter() - began
            if reached:
                state["hit"] = (trained, it / history.iterations_per_epoch)
                raise _Reached

        start = time.perf_counter()
        try:
            train(net, train_data, lr=FAST["lr"], batch_size=FAST["batch_size"],
                  epochs=FAST["max_epochs"], eval_every=10 ** 9, seed=seed, callback=check)
        except _Reached:
            pass
        s, e = state["hit"] if state["hit"] else (float("inf"), float("inf"))
        seconds.append(s)
        epochs.append(e)
        log(f"  seed {seed}: {s:.2f} s, {e:.2f} epochs")
    return {"seconds": seconds, "epochs": epochs, "median_seconds": statistics.median(seconds),
            "median_epochs": statistics.median(epochs), "settings": {k: FAST[k] for k in
                                                                    ("weight_init_std", "lr", "batch_size")}}


def mlp_flops_per_sample(sizes) -> dict:
    """Matmul FLOPs per training sample: the standard count (forward + backward = 3 x forward) and
    the count this code performs (no input gradient for the first layer)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(2 * a * b for a, b in pairs)
    performed = 2 * forward + sum(2 * a * b for a, b in pairs[1:])
    return {"standard": 3 * forward, "performed": performed}


def deep_network(data, recipe: dict) -> dict:
    """Target 3: seconds per epoch (each epoch timed, evaluations not counted) and final accuracy."""
    train_data, test_data = data
    if recipe["standardize"]:
        x_train, x_test = standardize(train_data[0], test_data[0])
        train_data, test_data = (x_train, train_data[1]), (x_test, test_data[1])
    net = MultiLayerNet(DEEP["sizes"][0], list(DEEP["sizes"][1:-1]), DEEP["sizes"][-1], seed=0)
    epoch_seconds = []
    mark = {}

    def clock(history):
        it = len(history.loss)
        if it % history.iterations_per_epoch == 0:
            now = time.perf_counter()
            epoch_seconds.append(now - mark["t"] - (history.eval_seconds - mark["eval"]))
            mark.update(t=now, eval=history.eval_seconds)

    accs = []
    for epochs, lr in recipe["schedule"]:
        mark.update(t=time.perf_counter(), eval=0.0)
        h = train(net, train_data, test_data, lr=lr, momentum=recipe["momentum"],
                  batch_size=DEEP["batch_size"], epochs=epochs, seed=len(accs), callback=clock)
        accs += h.test_acc
        log(f"  {epochs} epochs at lr {lr:g}: test accuracy {h.test_acc[-1]:.4f}"
            + (f" ({h.reason})" if h.diverged else ""))
    return {"epoch_seconds": epoch_seconds, "median_epoch_seconds": statistics.median(epoch_seconds),
            "test_acc_per_epoch": accs, "final_test_acc": accs[-1],
            "settings": {"batch_size": DEEP["batch_size"], **recipe}}


def against_limit(run: dict, peak: float, n: int) -> dict:
    """Add the FLOP limit of an epoch of ``n`` images at ``peak`` GFLOP/s, and the run's epoch over it."""
    flops = {k: v * n for k, v in mlp_flops_per_sample(DEEP["sizes"]).items()}
    limit = {k: v / (peak * 1e9) for k, v in flops.items()}
    return {**run, "flops_per_epoch": flops, "peak_gflops": peak, "limit_seconds": limit,
            "over_limit": {k: run["median_epoch_seconds"] / v for k, v in limit.items()}}


def gradient_ratio(data) -> dict:
    """Numerical gradient (central differences) against backprop for TwoLayerNet(784, 100, 10).

    The numerical gradient costs two loss evaluations per parameter whatever the parameter, so
    timing a sample of parameters (views into the weights: nudging them nudges the network) and
    scaling to all of them is exact enough, and takes a second instead of a minute or more."""
    (x, t), _ = data
    x_batch, t_batch = x[:100].astype(np.float64), t[:100]
    net = TwoLayerNet(784, 100, 10, seed=0, dtype=np.float64)  # the book's initialisation
    total = sum(p.size for p in net.params.values())

    def sample(arrays):
        return {"W1": arrays["W1"][300:302], "b1": arrays["b1"], "W2": arrays["W2"][:5],
                "b2": arrays["b2"]}

    def loss_w(_):
        return net.loss(x_batch, t_batch)

    passes = []
    for _ in range(3):
        start = time.perf_counter()
        numerical = {k: numerical_gradient(loss_w, v) for k, v in sample(net.params).items()}
        passes.append(time.perf_counter() - start)
    exact = sample(net.gradient(x_batch, t_batch))
    sampled = sum(v.size for v in numerical.values())
    diff = np.concatenate([(numerical[k] - exact[k]).ravel() for k in exact])
    norm = np.linalg.norm(np.concatenate([exact[k].ravel() for k in exact]))
    times = []
    for _ in range(50):
        began = time.perf_counter()
        net.gradient(x_batch, t_batch)
        times.append(time.perf_counter() - began)
    backprop_s = statistics.median(times)
    numerical_full = statistics.median(passes) / sampled * total
    return {"parameters": total, "sampled": sampled, "numerical_seconds_full": numerical_full,
            "backprop_seconds": backprop_s, "ratio": numerical_full / backprop_s,
            "max_abs_difference": float(np.abs(diff).max()),
            "relative_difference": float(np.linalg.norm(diff) / norm), "dtype": "float64"}


def warm_loads(runs: int) -> dict:
    """Target 5: load_mnist() in a fresh process each time (the cache is already written)."""
    code = ("import time, mnist_lib; s = time.perf_counter(); mnist_lib.load_mnist(); "
            "print(time.perf_counter() - s)")
    seconds = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout) for _ in range(runs)]
    return {"seconds": seconds, "median": statistics.median(seconds), "min": min(seconds),
            "max": max(seconds)}


def test_suite() -> dict:
    """Target 4: the whole test suite, by `make test` itself (unit tests and nbval on every
    notebook, spread over the cores)."""
    start = time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", "test", "PYTEST_ARGS=-q"], cwd=ROOT,
                          capture_output=True, text=True)
    result = {"seconds": time.perf_counter() - start, "passed": done.returncode == 0,
              "summary": (done.stdout.strip().splitlines() or [""])[-1]}
    log(f"  pytest: {result['seconds']:.0f} s, {result['summary']}")
    return result


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def verdict(ok: bool | None) -> str:
    return {True: "yes", False: "NO", None: "-"}[ok]


def _against_torch(title: str, c: dict, ratio_goal: float, accuracy_goal: float) -> list[tuple]:
    """The two rows of a paired numpy / PyTorch comparison (or numpy's alone without PyTorch)."""
    if "ratio_median" not in c:
        return [(title, "skipped (no PyTorch)", f"<= {ratio_goal}x", "-"),
                ("   numpy time, test accuracy", f"{statistics.median(c['numpy_seconds']):.2f} s, "
                 f"{statistics.median(c['numpy_test_acc']):.4f}", "", "-")]
    numpy_acc = statistics.median(c["numpy_test_acc"])
    return [(title, f"{c['ratio_median']:.2f}x ({statistics.median(c['numpy_seconds']):.2f} s vs "
                    f"{statistics.median(c['torch_seconds']):.2f} s)",
             f"<= {ratio_goal}x", verdict(c["ratio_median"] <= ratio_goal)),
            ("   test accuracy: numpy / PyTorch",
             f"{numpy_acc:.4f} / {statistics.median(c['torch_test_acc']):.4f}", "about 0.97",
             verdict(numpy_acc >= accuracy_goal))]


def table(r: dict) -> str:
    rows = [("", "measured", "goal", "met")]
    c = r["torch_comparison"]
    rows += _against_torch("1. train 784-50-10, 10000 it: numpy / PyTorch", c, GOALS["torch_ratio"],
                           GOALS["small_accuracy"])
    rows.append(("   the book's way (float64, one-hot, loss twice)",
                 f"{statistics.median(c['book_seconds']):.2f} s ({c['book_over_numpy']:.1f}x numpy)",
                 "reference", "-"))
    f = r["time_to_97"]
    rows.append(("2. seconds to 97% test accuracy (he, lr 0.5, b 100)",
                 f"{f['median_seconds']:.2f} s ({f['median_epochs']:.1f} epochs)",
                 f"<= {GOALS['seconds_to_97']} s", verdict(f["median_seconds"] <= GOALS["seconds_to_97"])))
    d = r["deep"][DEEP_GOAL_RECIPE]
    rows.append(("3. 784-256-128-64-10, b 64, SGD, standardized: epoch / FLOP limit",
                 f"{d['over_limit']['standard']:.2f}x ({d['median_epoch_seconds']:.3f} s vs "
                 f"{d['limit_seconds']['standard']:.3f} s)", f"<= {GOALS['epoch_over_limit']}x",
                 verdict(d["over_limit"]["standard"] <= GOALS["epoch_over_limit"])))
    rows.append(("   same, FLOPs this code performs (no dx, layer 1)",
                 f"{d['over_limit']['performed']:.2f}x (limit {d['limit_seconds']['performed']:.3f} s)",
                 "information", "-"))
    rows.append(("   test accuracy after 10 epochs", f"{d['final_test_acc']:.4f}",
                 f">= {GOALS['deep_accuracy']}", verdict(d["final_test_acc"] >= GOALS["deep_accuracy"])))
    m = r["deep"]["momentum"]
    rows.append(("   with momentum 0.9 (pixels in [0, 1]): epoch / limit, accuracy",
                 f"{m['over_limit']['standard']:.2f}x ({m['median_epoch_seconds']:.3f} s), "
                 f"{m['final_test_acc']:.4f}", "information", "-"))
    s = r.get("test_suite")
    if s:
        rows.append(("4. test suite (make test's pytest)", f"{s['seconds']:.0f} s ({s['summary']})",
                     f"<= {GOALS['test_suite_seconds']:.0f} s",
                     verdict(s["passed"] and s["seconds"] <= GOALS["test_suite_seconds"])))
    else:
        rows.append(("4. test suite (make test's pytest)", "not run (--no-test-suite or --quick)",
                     f"<= {GOALS['test_suite_seconds']:.0f} s", "-"))
    w = r["warm_load"]
    rows.append(("5. warm load_mnist(), fresh process", f"{w['median']:.3f} s ({w['min']:.3f} to {w['max']:.3f} s)",
                 f"<= {GOALS['warm_load_seconds']} s", verdict(w["median"] <= GOALS["warm_load_seconds"])))
    rows += _against_torch("6. 784-100x4-10, batch norm + Adam, b 128, 2000 it: numpy / PyTorch",
                           r["bn_adam"], GOALS["bn_adam_ratio"], GOALS["bn_adam_accuracy"])
    g = r["gradient"]
    rows.append(("numerical / backprop gradient, 784-100-10, b 100",
                 f"{g['ratio']:.1e}x ({g['numerical_seconds_full']:.0f} s vs "
                 f"{g['backprop_seconds'] * 1e3:.2f} ms)", "information", "-"))
    rows.append(("   agreement (sampled parameters, float64)",
                 f"max |difference| {g['max_abs_difference']:.1e}, relative {g['relative_difference']:.1e}",
                 "information", "-"))
    rows.append(("peak matmul, float32 2048^3", f"{r['peak_gflops']['float32']:.0f} GFLOP/s "
                 f"(float64 {r['peak_gflops']['float64']:.0f})", "information", "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="paired numpy/PyTorch runs (default 5)")
    parser.add_argument("--quick", action="store_true",
                        help="one repeat of everything, no test suite (smoke test)")
    parser.add_argument("--no-test-suite", action="store_true",
                        help="leave out target 4, the timing of the whole test suite (~75 s)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--iterations", type=int, default=SMALL["iterations"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.seed, args.iterations)))
        return

    repeats = 1 if args.quick else args.repeats
    have_torch = not args.no_torch and importlib.util.find_spec("torch") is not None
    if not have_torch and not args.no_torch:
        log(TORCH_HELP)
    started = time.perf_counter()
    results = {
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "mnist_lib": mnist_lib.__version__, "cpus": os.cpu_count(),
                    "threads": os.environ["OPENBLAS_NUM_THREADS"],
                    "platform": platform.platform(),
                    "date": time.strftime("%Y-%m-%d %H:%M")},
        "goals": GOALS,
    }
    data = load_mnist()
    peaks = [peak_gflops()]
    results["peak_gflops"] = {"float32": peaks[0], "float64": peak_gflops(np.float64)}
    log(f"peak matmul: {peaks[0]:.0f} GFLOP/s float32, {results['peak_gflops']['float64']:.0f} float64")

    log("1. TwoLayerNet(784, 50, 10), 10000 iterations: mnist_lib against PyTorch, paired runs")
    results["torch_comparison"] = compare_with_torch(repeats, have_torch)
    if not have_torch:
        results["torch_comparison"]["skipped"] = TORCH_HELP
    log("2. time to 97% test accuracy, recommended settings")
    results["time_to_97"] = time_to_accuracy(data, range(3 if args.quick else 5))
    runs = {}
    for name, recipe in DEEP_RECIPES.items():
        log(f"3. MultiLayerNet 784-256-128-64-10, batch 64: {name.replace('_', ' ')}")
        peaks.append(peak_gflops())
        runs[name] = deep_network(data, recipe)
    peaks.append(peak_gflops())
    results["peak_gflops"]["float32"] = max(peaks)
    results["deep"] = {name: against_limit(run, max(peaks), n=len(data[0][0]))
                       for name, run in runs.items()}
    log("6. 784-100-100-100-100-10 with batch normalisation and Adam: mnist_lib against PyTorch")
    results["bn_adam"] = compare_bn_adam(repeats, have_torch)
    log("numerical against backprop gradient")
    results["gradient"] = gradient_ratio(data)
    log("5. warm load_mnist() in fresh processes")
    results["warm_load"] = warm_loads(3 if args.quick else 7)
    if not (args.no_test_suite or args.quick):
        log("4. the test suite, as make test runs it")
        results["test_suite"] = test_suite()
    results["seconds"] = time.perf_counter() - started

    text = table(results)
    results["table"] = text.splitlines()
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n")
    os.replace(tmp, args.output)
    print(text)
    deep = results["deep"][DEEP_GOAL_RECIPE]
    if deep["over_limit"]["standard"] > GOALS["epoch_over_limit"]:
        print(f"\nTarget 3 missed (epochs of {', '.join(f'{s:.2f}' for s in deep['epoch_seconds'])} s)."
              " On a shared machine, slow spells can make every epoch about 1.6x longer for a"
              " while (see 'Slow spells' in bench/README.md): run make bench again to check.")
    print(f"\n{results['machine']['cpus']} CPUs, {results['machine']['threads']} BLAS threads, numpy "
          f"{np.__version__}; {results['seconds']:.0f} s in all; written to {args.output}")


if __name__ == "__main__":
    main()
