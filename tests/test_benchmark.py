"""bench/benchmark.py: its FLOP count and its verdicts (the timings themselves are not tested)."""
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "benchmark.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_flop_count_of_the_deep_network(bench):
    # by hand: a forward pass multiplies 784x256, 256x128, 128x64 and 64x10 weights, 2 FLOPs each
    forward = 2 * (784 * 256 + 256 * 128 + 128 * 64 + 64 * 10)
    assert forward == 484_608
    counts = bench.mlp_flops_per_sample((784, 256, 128, 64, 10))
    assert counts["standard"] == 3 * forward
    # performed: forward, weight gradients, input gradients of all but the first layer
    assert counts["performed"] == 2 * forward + 2 * (256 * 128 + 128 * 64 + 64 * 10)
    run = bench.against_limit({"median_epoch_seconds": 0.5}, peak=200.0, n=60_000)
    assert run["limit_seconds"]["standard"] == pytest.approx(60_000 * 3 * forward / 200e9)
    assert run["over_limit"]["standard"] == pytest.approx(0.5 / run["limit_seconds"]["standard"])


def fake_results(bench, ratio, epoch_seconds, accuracy, bn_adam_ratio=0.9):
    deep = {"median_epoch_seconds": epoch_seconds, "final_test_acc": accuracy}
    return {
        "torch_comparison": {"ratio_median": ratio, "numpy_seconds": [2.0], "torch_seconds": [2.0 / ratio],
                             "numpy_test_acc": [0.97], "torch_test_acc": [0.97], "book_seconds": [6.0],
                             "book_over_numpy": 3.0},
        "time_to_97": {"median_seconds": 0.5, "median_epochs": 4.0},
        "deep": {name: bench.against_limit(deep, peak=240.0, n=60_000) for name in bench.DEEP_RECIPES},
        "test_suite": {"seconds": 75.0, "passed": True, "summary": "700 passed"},
        "warm_load": {"median": 0.05, "min": 0.04, "max": 0.4},
        "gradient": {"ratio": 1e5, "numerical_seconds_full": 40.0, "backprop_seconds": 4e-4,
                     "max_abs_difference": 1e-5, "relative_difference": 1e-4},
        "peak_gflops": {"float32": 240.0, "float64": 114.0},
        "bn_adam": {"ratio_median": bn_adam_ratio, "numpy_seconds": [3.0],
                    "torch_seconds": [3.0 / bn_adam_ratio], "numpy_test_acc": [0.97],
                    "torch_test_acc": [0.97]},
    }


def verdict(text, row):
    """The last column ("yes", "NO" or "-") of the one row of the table that begins with ``row``."""
    (line,) = [line for line in text.splitlines() if line.strip().startswith(row)]
    return line.rsplit(None, 1)[-1]


ROWS = ["1. train", "2. seconds", "3. 784", "test accuracy after 10 epochs", "4. test suite",
        "5. warm", "6. 784-100x4-10"]


def test_table_says_yes_and_no_against_the_goals(bench):
    limit = 60_000 * 3 * 484_608 / 240e9  # seconds per epoch at 240 GFLOP/s
    good = bench.table(fake_results(bench, ratio=0.55, epoch_seconds=1.2 * limit, accuracy=0.981))
    assert [verdict(good, row) for row in ROWS] == ["yes"] * 7
    bad = bench.table(fake_results(bench, ratio=0.65, epoch_seconds=1.4 * limit, accuracy=0.979,
                                   bn_adam_ratio=1.2))
    assert [verdict(bad, row) for row in ROWS] == ["NO", "yes", "NO", "NO", "yes", "yes", "NO"]
    # both "test accuracy: numpy / PyTorch" rows (targets 1 and 6) judge the accuracy
    assert [line.rsplit(None, 1)[-1] for line in good.splitlines()
            if line.strip().startswith("test accuracy: numpy")] == ["yes", "yes"]


def test_the_batch_norm_and_adam_row_says_when_pytorch_is_missing(bench):
    results = fake_results(bench, ratio=0.55, epoch_seconds=0.5, accuracy=0.981)
    results["bn_adam"] = {"numpy_seconds": [3.0], "numpy_test_acc": [0.97]}
    assert "skipped (no PyTorch)" in verdict_line(bench.table(results), "6. 784-100x4-10")


def verdict_line(text, row):
    (line,) = [line for line in text.splitlines() if line.strip().startswith(row)]
    return line
