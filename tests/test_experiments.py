"""mnist_lib.experiments: the verdicts of descent paths and training runs, dead units, the lab's
experiment and the learning-rate range test.

Expected values come from hand computations: a step of gradient descent on a x² multiplies x by
1 - 2·lr·a, so n steps leave (1 - 2·lr·a)^n of the way; made-up loss curves have the property
each verdict's definition names, built in by construction. The verdicts of real runs on a grid of
settings are tested in test_verdict_grid.py.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from mnist_lib import History, MultiLayerNet, TwoLayerNet, gradient_descent, split_validation, train
from mnist_lib.experiments import (DIVERGENCE_FACTOR, DIVERGENCE_FLOOR, LATE_FALL, OVERSHOOT,
                                   OPTIMIZERS, PATH_VERDICTS, RUN_VERDICTS, STALL_ACCURACY,
                                   LabSettings,
                                   Quadratic, blow_up, bowl, dead_units, descent_verdict,
                                   gradient_descent_path, judge_run, lr_range_test, path_verdict,
                                   run_lr_experiment, steep_bowl, valley)

x_squared = Quadratic((1.0,))


# --- descent paths: exact verdicts ---------------------------------------------------------------

@pytest.mark.parametrize("f, lr, steps, start, verdict", [
    (bowl, 0.1, 30, (-7, 2), "converged"),                   # x -> 0.8 x: 0.8**30 = 0.12% left
    (bowl, 0.5, 1, (-7, 2), "converged"),                    # x -> 0: the minimum in one step
    (bowl, 0.9, 30, (-7, 2), "converged with a zig-zag"),    # x -> -0.8 x: 0.12% left, flipping
    (bowl, 0.9, 15, (-7, 2), "converged with a zig-zag"),    # 0.8**15 = 3.5% left, still flipping in
    (bowl, 1.0, 30, (-7, 2), "oscillates forever"),          # x -> -x
    (bowl, 1.1, 30, (-7, 2), "diverged"),                    # x -> -1.2 x
    (bowl, 0.1, 5, (-7, 2), "crawled"),                      # 0.8**5 = 33% left after 5 steps
    (x_squared, 1e-4, 30, (1,), "crawled"),                  # 0.9998**30 = 99.4% left
    (valley, 0.1, 30, (-7, 2), "crawled"),                   # x -> 0.99 x along the valley: 74% left
    (valley, 0.95, 30, (-7, 2), "crawled"),                  # x -> 0.905 x: 5% left; y zig-zags
    (valley, 0.95, 100, (-7, 2), "converged with a zig-zag"),  # 0.905**100 = 5e-5: y's -0.9 flips
    (valley, 1.0, 30, (-7, 2), "oscillates forever"),        # y -> -y: the steep direction's edge
    (valley, 1.05, 30, (-7, 2), "diverged"),                 # y -> -1.1 y
    (valley, 1.5, 30, (-7, 0), "converged"),                 # y stays 0: only x's 0.85 counts
    (steep_bowl, 0.2, 30, (1, 1), "oscillates forever"),     # 1 - 2·0.2·5 = -1
    (steep_bowl, 0.21, 30, (1, 1), "diverged"),
])
def test_descent_verdict_is_exact_from_the_factors(f, lr, steps, start, verdict):
    v = descent_verdict(f, lr, steps, start)
    assert v.verdict == verdict and v.exact, v.message
    assert v.message.startswith(verdict + ":") and "(exact, from the factors)" in v.message
    x0 = np.array(start, dtype=float)
    moving = x0 != 0
    factors = 1 - 2 * lr * np.array(f.curvatures)[moving]
    assert v.factors == pytest.approx(tuple(factors))
    left = np.linalg.norm(x0[moving] * factors ** steps) / np.linalg.norm(x0[moving])
    assert v.left == pytest.approx(left)


def test_the_edges_and_their_neighbours():
    for f, edge in [(bowl, 1.0), (valley, 1.0), (steep_bowl, 0.2)]:
        assert f.edge() == edge
        assert descent_verdict(f, edge, 50, (1, 1)).verdict == "oscillates forever"
        below = descent_verdict(f, 0.99 * edge, 50, (1, 1))
        above = descent_verdict(f, 1.0009 * edge, 50, (1, 1))
        assert below.verdict != "oscillates forever" and below.near_edge
        assert above.verdict == "diverged" and above.near_edge
    assert not descent_verdict(bowl, 0.5, 50, (1, 1)).near_edge
    # a tiny learning rate has a factor near +1: it crawls, which is no edge
    tiny = descent_verdict(bowl, 1e-10, 100, (-3, 4))
    assert tiny.verdict == "crawled" and not tiny.near_edge and "0.9999999998" in tiny.message


@pytest.mark.parametrize("f, lr, steps", [(bowl, 0.1, 30), (bowl, 0.9, 30), (bowl, 1.0, 30),
                                          (bowl, 1.2, 30), (valley, 0.1, 30), (valley, 0.95, 100),
                                          (x_squared, 1e-4, 30)])
def test_the_path_itself_agrees_with_the_exact_verdict(f, lr, steps):
    """gradient_descent (numerical gradients, notebook 06) walks the path the factors predict."""
    start = (-7.0, 2.0) if len(f.curvatures) == 2 else (1.0,)
    path = gradient_descent_path(f, start, lr, steps)
    judged = path_verdict(path)
    assert judged.verdict == descent_verdict(f, lr, steps, start).verdict
    assert not judged.exact and judged.message.endswith("(judged from the path)")
    _, book = gradient_descent(f, np.array(start), lr=lr, step_num=steps)
    np.testing.assert_allclose(path, book)


def test_path_verdict_on_paths_without_a_formula():
    assert path_verdict(np.array([[1.0, 1.0], [np.inf, np.nan]])).verdict == "diverged"
    assert path_verdict(np.array([[0.0, 0.0], [0.0, 0.0]])).verdict == "converged"
    assert path_verdict(np.array([[3.0], [2.0]]), minimum=[2.0]).verdict == "converged"
    assert path_verdict(np.array([[1.0], [-1.0], [1.0]])).verdict == "oscillates forever"
    assert path_verdict(np.array([[1.0], [0.9], [0.8]])).verdict == "crawled"
    overflowed = path_verdict(np.array([[1.0, 1.0], [-3.0, -3.0], [np.inf, -np.inf]]))
    assert overflowed.message == ("diverged: the steps grew until the numbers overflowed "
                                  "(judged from the path)")
    # a function that is not a Quadratic is judged from its path, and says so
    def quartic(x):
        return float(np.sum(x ** 4))
    assert not descent_verdict(quartic, 0.01, 50, (1.0, 1.0)).exact


def test_descent_verdict_refuses_bad_arguments():
    with pytest.raises(ValueError, match="lr must be a finite number greater than 0"):
        descent_verdict(bowl, 0, 10, (1, 1))
    with pytest.raises(ValueError, match="start must be 2 finite numbers"):
        descent_verdict(bowl, 0.1, 10, (1, 1, 1))
    assert set(PATH_VERDICTS) == {"converged", "converged with a zig-zag", "crawled",
                                  "oscillates forever", "diverged"}


def test_quadratics_work_on_points_and_grids():
    assert valley(np.array([2.0, 1.0])) == pytest.approx(4 / 20 + 1)
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-2, 2, 5)))
    assert valley(grid).shape == (5, 3)
    assert valley.formula() == "x²/20 + y²" and steep_bowl.formula() == "5x² + 5y²"


# --- diverged: the rule train applies ------------------------------------------------------------

def test_blow_up_rule():
    assert blow_up([2.3, 2.2, 2.1]) is None
    assert blow_up([2.3, float("nan")]) == "the loss became nan"
    assert blow_up([2.3, 2.0, float("inf")]) == "the loss became inf"
    # the typical loss is the lower median of the last 9: 4 spikes among 9 are noise...
    assert blow_up([2.3] + [0.5] * 5 + [50.0] * 4) is None
    # ...5 are not
    assert "grew from 2.30" in blow_up([2.3] + [0.5] * 4 + [50.0] * 5)
    # measured from at least 2.5: a first loss of 1 allows up to 3 × 2.5 = 7.5
    assert blow_up([1.0] + [7.4] * 9) is None
    assert blow_up([1.0] + [7.6] * 9) is not None
    assert DIVERGENCE_FACTOR * DIVERGENCE_FLOOR == 7.5


# --- dead units ---------------------------------------------------------------------------------

def test_dead_units_count_units_whose_output_never_changes():
    net = MultiLayerNet(4, [5], 3, activation="relu", seed=0)
    net.params["W1"][:] = np.eye(4, 5)    # unit k reads input k (unit 4 reads nothing)
    net.params["b1"][:] = [0, 0, -10, 0, 0]
    x = np.array([[1, 2, 3, 0], [2, 1, 5, 0], [0.5, 0, 1, 0]], dtype=np.float32)
    # unit 2: z = x2 - 10 < 0 always; unit 3: input 3 is always 0; unit 4: no input: all dead
    assert dead_units(net, x) == 3
    sig = MultiLayerNet(4, [2], 3, activation="sigmoid", seed=0)
    sig.params["W1"][:] = [[1, 0], [0, 0], [0, 0], [0, 0]]
    sig.params["b1"][:] = [0, 50]         # unit 1 saturates at exactly 1.0 in float32
    assert dead_units(sig, x) == 1
    deep = TwoLayerNet(4, 6, 3, seed=0)
    deep.params["b1"][:] = -100.0
    assert dead_units(deep, x) == 6


# --- training runs: made-up histories with the property each verdict names ---------------------

def history(loss, val_acc=(0.9,), batch_size=100, lr=0.1, diverged_at=None) -> History:
    h = History(lr=lr, batch_size=batch_size, iterations_per_epoch=100,
                loss=[float(v) for v in loss], val_acc=list(val_acc),
                eval_iterations=[len(loss) * (k + 1) // len(val_acc) for k in range(len(val_acc))])
    if diverged_at:
        h.diverged, h.diverged_at, h.reason = True, diverged_at, f"diverged at iteration {diverged_at}: ..."
    return h


def settled(n=300, start=2.3, end=0.3):
    """A loss that falls fast and levels off (e^{-t/20}): the last quarter brings almost nothing."""
    t = np.arange(n)
    return end + (start - end) * np.exp(-t / 20)


def test_a_run_that_settles_trained():
    v = judge_run(history(settled(), [0.8, 0.88, 0.9, 0.91, 0.91, 0.92]), dead=(0, 50))
    assert v.verdict == "trained" and not v.near_edge
    assert v.message == ("trained: validation accuracy 92.0%, loss 2.30 → 0.30 in 300 iterations, "
                         "0 of 50 hidden units dead")
    assert v.loss_first == 2.3 and v.loss_last == pytest.approx(0.3, abs=1e-4)


def test_a_loss_still_falling_steadily_crawled():
    v = judge_run(history(np.linspace(2.3, 1.5, 300), [0.3, 0.4, 0.5, 0.55, 0.6, 0.62]), dead=(0, 50))
    # a straight line: the last quarter brings a quarter of the fall measured to its middle
    assert v.verdict == "crawled" and v.measurements["late fall"] > 2 * LATE_FALL
    assert "the loss was still falling when the run ended" in v.message
    assert "is too small for this many iterations" in v.message
    hardly = judge_run(history(np.linspace(2.3, 2.25, 300), [0.1] * 6), dead=(0, 50))
    assert hardly.verdict == "crawled" and "the loss hardly moved" in hardly.message


def test_a_loss_that_jumps_above_its_start_unstable():
    loss = settled()
    loss[5:15] = 3.5                       # 3.5 / 2.3 = 1.52 times the start, over 1000 images
    v = judge_run(history(loss, [0.85, 0.9, 0.9, 0.91, 0.91, 0.91]), dead=(2, 50))
    assert v.verdict == "unstable" and v.measurements["overshoot"] > OVERSHOOT * 1.2
    assert "but the loss jumped to 1.52 times its start" in v.message


def test_an_accuracy_that_falls_back_unstable_but_not_while_still_guessing():
    v = judge_run(history(settled(), [0.6, 0.85, 0.7, 0.86, 0.8, 0.87]), dead=(0, 50))
    assert v.verdict == "unstable" and "fell back 15.0 points from its best" in v.message
    # below 50% a network still guesses: its accuracy jitters, and that is no jump
    guessing = judge_run(history(np.linspace(2.3, 2.2, 300), [0.2, 0.3, 0.22, 0.31, 0.25, 0.3]),
                         dead=(0, 50))
    assert guessing.verdict == "crawled"


def test_most_units_dead_but_still_learning_unstable():
    v = judge_run(history(settled(), [0.5, 0.6, 0.6, 0.62, 0.63, 0.63]), dead=(40, 50))
    assert v.verdict == "unstable" and "its steps killed 40 of its 50 hidden units" in v.message
    # without a count of dead units, that cannot be seen
    assert judge_run(history(settled(), [0.5, 0.6, 0.6, 0.62, 0.63, 0.63])).verdict == "trained"


def test_chance_accuracy_and_most_units_dead_stalled():
    flat = np.r_[np.linspace(2.3, 6.0, 5), np.full(295, 2.31)]
    v = judge_run(history(flat, [0.15, 0.1, 0.1, 0.1, 0.1, 0.098]), dead=(47, 50))
    assert v.verdict == "stalled" and not v.near_edge
    assert v.message.startswith("stalled: it stopped learning: validation accuracy 9.8% (chance is "
                                "10%) with 47 of 50 hidden units dead")
    assert v.short == "stalled 9.8%, 47/50 dead"
    # without the dead units, no run is judged stalled: the jump makes it unstable
    assert judge_run(history(flat, [0.15, 0.1, 0.1, 0.1, 0.1, 0.098])).verdict == "unstable"


def test_near_the_edge_names_the_measurement_and_the_other_verdict():
    flat = np.r_[np.linspace(2.3, 6.0, 5), np.full(295, 2.31)]
    v = judge_run(history(flat, [0.2, 0.27, 0.28, 0.28, 0.28, 0.28]), dead=(45, 50))
    assert v.verdict == "stalled" and v.near_edge == ("unstable",)
    assert v.short.endswith("(edge)")
    assert (f"near the edge: validation accuracy 28.0% against a threshold of "
            f"{100 * STALL_ACCURACY:.0f}%; another computer may say unstable") in v.message
    # an accuracy that jumped about has a wider margin: where it ended is luck
    jumpy = judge_run(history(flat, [0.2, 0.4, 0.18, 0.35, 0.2, 0.2]), dead=(45, 50))
    assert jumpy.near_edge == ("unstable",) and "it moved by 22 points during the run" in jumpy.message
    clear = judge_run(history(flat, [0.2, 0.1, 0.1, 0.1, 0.1, 0.1]), dead=(45, 50))
    assert not clear.near_edge


def test_a_blown_up_run_diverged_with_trains_sentence():
    v = judge_run(history([2.3, 9.0, 12.0], (), diverged_at=3))
    assert v.verdict == "diverged" and v.message == "diverged at iteration 3: ..."
    assert v.short == "diverged at 3" and v.val_acc is None
    assert RUN_VERDICTS == ("trained", "crawled", "unstable", "stalled", "diverged")


# --- the lab's experiment -----------------------------------------------------------------------

def test_run_lr_experiment_is_seeded_and_measured_on_validation_images(mnist):
    kwargs = dict(batch_size=50, train_size=2000, epochs=2, data=mnist)
    first = run_lr_experiment(0.5, **kwargs)
    second = run_lr_experiment(0.5, **kwargs)
    assert first.history.loss == second.history.loss and first.history.val_acc == second.history.val_acc
    assert len(first.history.loss) == 2 * 2000 // 50
    assert first.history.eval_iterations[-1] == 80
    assert first.history.test_acc == []  # the test images are kept for the final report
    assert first.verdict.val_acc > 0.8
    assert first.verdict == judge_run(first.history, first.network, mnist[0][0][-10_000:])
    # the verdict's numbers are the run's: the last validation accuracy, dead units on the
    # validation images, the first batch's loss
    x_val, t_val = mnist[0][0][-10_000:], mnist[0][1][-10_000:]
    assert first.verdict.val_acc == first.network.accuracy(x_val, t_val)
    z = x_val @ first.network.params["W1"] + first.network.params["b1"]
    assert first.verdict.dead_units == int(np.sum(np.all(z <= 0, axis=0)))
    assert run_lr_experiment(0.5, **kwargs, seed=1).history.loss != first.history.loss


def test_run_lr_experiment_validates_on_the_last_10000_training_images():
    """A stand-in data set: the training part holds digit 3 only, the validation part digit 7 only."""
    rng = np.random.default_rng(0)
    x = rng.random((10_300, 784)).astype(np.float32)
    t = np.r_[np.full(300, 3), np.full(10_000, 7)]
    run = run_lr_experiment(0.1, data=((x, t), (x[:10], t[:10])), train_size=300, epochs=1)
    # Trained on 3s only, the network answers 3: no validation image is right.
    assert run.history.val_acc[-1] == 0.0 and run.history.train_acc[-1] == 1.0
    with pytest.raises(ValueError, match="train_size must be between 100 .* and 300"):
        run_lr_experiment(0.1, data=((x, t), (x[:10], t[:10])), train_size=301)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"activation": "tanh"}, ValueError, "activation"),
    ({"weight_init_std": "lecun"}, ValueError, "weight_init_std"),
    ({"weight_init_std": -1}, ValueError, "weight_init_std must be a finite number greater than 0"),
    ({"train_size": 0}, ValueError, "train_size must be at least 1, got 0"),
    ({"train_size": 1}, ValueError, "train_size must be between 100 .*got 1"),
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1, got 0"),
    ({"evaluations": 0}, ValueError, "evaluations must be at least 1, got 0"),
    ({"hidden_size": 0}, ValueError, "hidden_size must be at least 1, got 0"),
    ({"epochs": 0}, ValueError, "epochs must be at least 1, got 0"),
    ({"epochs": 1.5}, TypeError, "epochs must be a whole number"),
    ({"seed": -1}, TypeError, "seed must be a whole number >= 0"),
    ({"optimizer": "adamw"}, ValueError, 'optimizer must be "sgd" or "momentum" or "adagrad" or '
                                         '"rmsprop" or "adam", got \'adamw\''),
    ({"optimizer": None}, ValueError, "optimizer must be .*got None"),
    ({"lr": float("nan")}, ValueError, "lr must be a finite number greater than 0"),
    ({"lr": 0}, ValueError, "lr must be a finite number greater than 0"),
])
def test_run_lr_experiment_rejects_bad_settings(mnist, kwargs, error, message):
    kwargs = {"lr": 0.1, **kwargs}
    with pytest.raises(error, match=message):
        run_lr_experiment(kwargs.pop("lr"), data=mnist, **kwargs)


def test_lab_settings_describe_themselves():
    assert LabSettings(0.1).describe() == "lr 0.1, batch 100, 50 ReLU (He), 3 ep"
    assert LabSettings(2, activation="sigmoid", weight_init_std=0.01, train_size=5000,
                       epochs=1).describe() == "lr 2, batch 100, 50 sigmoid (0.01), 1 ep, 5000 images"
    assert LabSettings(0.1, batch_size=10).iterations == 3 * 1000
    assert LabSettings(0.001, optimizer="adam").describe() == "Adam lr 0.001, batch 100, 50 ReLU (He), 3 ep"


# --- the lab's optimiser setting ------------------------------------------------------------------

def test_the_lab_runs_each_optimiser_of_notebook_11_as_train_does(mnist):
    """The lab's run is train's run with that optimiser, from the same start and the same batches."""
    (x_train, t_train), (x_val, t_val) = split_validation(*mnist[0])
    assert list(OPTIMIZERS) == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    for name, lr in [("sgd", 0.1), ("momentum", 0.01), ("adam", 0.001)]:
        run = run_lr_experiment(lr, optimizer=name.upper(), train_size=1000, epochs=1, data=mnist)
        assert run.settings.optimizer == name  # the name is read in any case
        net = MultiLayerNet(784, [50], 10, seed=0)
        alone = train(net, (x_train[:1000], t_train[:1000]), seed=0, epochs=1,
                      **({"lr": lr} if name == "sgd" else {"optimizer": OPTIMIZERS[name](lr=lr)}))
        assert run.history.loss == alone.loss and run.history.val_acc[-1] == net.accuracy(x_val, t_val)
        assert run.history.lr == lr
        assert run.verdict == judge_run(run.history, run.network, x_val)


def test_adam_trains_at_its_default_learning_rate_and_diverges_where_sgd_trains(mnist):
    """Adam's default learning rate, 0.001 (Kingma and Ba, 2015), trains the lab's network; Adam
    moves every weight by about lr per step, so a rate at which SGD still trains blows it up."""
    adam = run_lr_experiment(0.001, optimizer="adam", data=mnist)
    x_val = split_validation(*mnist[0])[1][0]
    assert adam.verdict == judge_run(adam.history, adam.network, x_val)  # the one judge
    assert adam.verdict.verdict == "trained" and not adam.verdict.near_edge
    assert adam.verdict.val_acc > 0.9 and adam.verdict.message.startswith("trained: validation accuracy")
    assert run_lr_experiment(0.3, data=mnist).verdict.verdict == "trained"     # SGD
    blown = run_lr_experiment(0.3, optimizer="adam", data=mnist)
    assert blown.verdict.verdict == "diverged" and blown.history.diverged
    assert "the learning rate 0.3 is too large" in blown.verdict.message


# --- the learning-rate range test -----------------------------------------------------------------

def test_range_test_raises_the_rate_exponentially_and_restores_the_weights(small):
    (x, t), _ = small
    net = TwoLayerNet(784, 50, 10, weight_init_std="he", seed=0)
    before = {key: p.copy() for key, p in net.params.items()}
    found = lr_range_test(net, (x, t), start=1e-3, stop=10.0, iterations=50, smoothing=0.9)
    for key, p in net.params.items():
        np.testing.assert_array_equal(p, before[key])
    k = len(found.lrs)
    np.testing.assert_allclose(found.lrs, 1e-3 * 10 ** (4 * np.arange(k) / 49))
    # the smoothed loss: a bias-corrected exponential moving average of the batch losses
    average, expected = 0.0, []
    for j, loss in enumerate(found.losses, start=1):
        average = 0.9 * average + 0.1 * loss
        expected.append(average / (1 - 0.9 ** j))
    np.testing.assert_allclose(found.smoothed, expected)
    assert found.lowest == found.lrs[int(np.argmin(found.smoothed))]
    assert found.steepest <= found.lowest
    # the loss first falls (the network learns), then blows up past the edge and the test stops
    assert found.smoothed.min() < 0.8 * found.smoothed[0]
    if found.stopped_early:
        assert found.smoothed[-1] > 4 * found.smoothed.min() or not math.isfinite(found.smoothed[-1])


def test_range_test_refuses_bad_settings(small):
    (x, t), _ = small
    net = TwoLayerNet(784, 50, 10, seed=0)
    with pytest.raises(ValueError, match="stop must be larger than start"):
        lr_range_test(net, (x, t), start=1.0, stop=0.1)
    with pytest.raises(ValueError, match="smoothing must be below 1"):
        lr_range_test(net, (x, t), smoothing=1.0)
    with pytest.raises(ValueError, match="iterations must be at least 10"):
        lr_range_test(net, (x, t), iterations=5)
