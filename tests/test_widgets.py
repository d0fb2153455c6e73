"""The learning-rate and gradient-descent labs, driven from pytest without a browser.

Widget handlers run synchronously here: setting ``slider.value`` and calling ``button.click()``
does the whole run before the next line.
"""
from __future__ import annotations

import base64

import numpy as np
import pytest

from mnist_lib import History, gradient_descent
from mnist_lib.widgets import (FUNCTIONS, LabRun, bowl, classify_path, classify_run, describe_path,
                               describe_run, draw_runs, gradient_descent_lab,
                               gradient_descent_path, learning_rate_lab, loss_signals,
                               run_lr_experiment, valley)
from mnist_lib.widgets.lr_lab import (CLIMB_FRACTION, OVERSHOOT_FACTOR, TRAINED_FRACTION)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def shown_png(output) -> bytes:
    """The PNG bytes an Output widget shows (it holds exactly one display_data output)."""
    assert len(output.outputs) == 1
    png = base64.b64decode(output.outputs[0]["data"]["image/png"])
    assert png.startswith(PNG_MAGIC)
    return png


# ---------------------------------------------------------------------------------------------
# classify_path against cases computed by hand
# ---------------------------------------------------------------------------------------------

def square(x: np.ndarray) -> float:
    """f(x) = x**2 (one variable): gradient 2x, so one step maps x to (1 - 2 lr) x."""
    return float(np.sum(x ** 2))


@pytest.mark.parametrize("lr, steps, expected", [
    (0.1, 100, "converged"),    # x -> 0.8 x: 0.8**100 ~ 2e-10 of the way is left
    (0.5, 1, "converged"),      # x -> 0: the minimum in one step
    (0.9, 100, "converged"),    # x -> -0.8 x: zig-zags, but shrinks like 0.8**100
    (1.0, 100, "oscillated"),   # x -> -x: jumps between 1 and -1 forever
    (0.9, 5, "oscillated"),     # x -> -0.8 x, 5 steps: 0.33 left, travelled 6.05 to get 1.33 closer
    (1.5, 100, "diverged"),     # x -> -2 x: 2**100
    (1.5, 1, "diverged"),       # one step: from 1 to -2, twice as far as the start
    (1e-4, 100, "crawled"),     # x -> 0.9998 x: still 0.98 of the way to go, every step forward
    (0.01, 100, "crawled"),     # x -> 0.98 x: 0.98**100 = 0.13 left
])
def test_classify_path_on_x_squared(lr, steps, expected):
    _, path = gradient_descent(square, np.array([1.0]), lr=lr, step_num=steps)
    assert classify_path(path) == expected


def test_classify_path_on_the_valley():
    # f = x**2/20 + y**2: x -> (1 - lr/10) x along the valley, y -> (1 - 2 lr) y across it.
    start = (-7.0, 2.0)
    # lr 0.1: across it converges (0.8**30), along it crawls: x = -7 * 0.99**30 = -5.18
    path = gradient_descent_path(valley, start, lr=0.1, steps=30)
    assert classify_path(path) == "crawled"
    assert path[-1, 0] == pytest.approx(-7 * 0.99 ** 30, rel=1e-6)
    # lr 0.95: y -> -0.9 y zig-zags across the valley while x -> 0.905 x: after 10 steps
    # |x| = 7 * 0.905**10 = 2.6 is left, and the zig-zag made the path much longer than its progress
    assert classify_path(gradient_descent_path(valley, start, lr=0.95, steps=10)) == "oscillated"
    # lr 1.2: y -> -1.4 y grows without bound
    assert classify_path(gradient_descent_path(valley, start, lr=1.2, steps=30)) == "diverged"
    # the same lr 1.2 in the round bowl: x -> -1.4 x too
    assert classify_path(gradient_descent_path(bowl, start, lr=1.2, steps=30)) == "diverged"


def test_classify_path_edge_cases():
    assert classify_path(np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.0]])) == "oscillated"
    assert classify_path(np.array([[1.0, 1.0], [np.inf, np.nan]])) == "diverged"
    assert classify_path(np.array([[0.0, 0.0], [0.0, 0.0]])) == "converged"  # started at the minimum
    assert classify_path(np.array([[3.0], [2.0]]), minimum=np.array([2.0])) == "converged"
    # x -> -3 x: far out, the numerical gradient loses all precision (x + h == x), but never gets back
    far = gradient_descent_path(bowl, (-7.0, 2.0), lr=2.0, steps=1000)
    assert classify_path(far) == "diverged"
    overflowed = np.array([[1.0, 1.0], [-3.0, -3.0], [np.inf, -np.inf]])
    assert describe_path(overflowed) == "diverged: the steps grew until the numbers overflowed"


# ---------------------------------------------------------------------------------------------
# The gradient-descent lab
# ---------------------------------------------------------------------------------------------

def test_gradient_descent_lab_title_follows_the_sliders():
    lab = gradient_descent_lab()
    assert set(lab.function.options) == set(FUNCTIONS)
    assert len(shown_png(lab.figure)) > 10_000
    lab.function.value = "round bowl"
    lab.start_x.value, lab.start_y.value = -7.0, 2.0
    lab.steps.value = 30
    lab.lr.value = 0.1  # x -> 0.8 x: 0.8**30 ~ 1e-3 of the way is left
    assert lab.outcome == "converged"
    assert lab.title.startswith("round bowl, learning rate 0.1, 30 steps")
    assert "converged" in lab.title
    assert lab.path.shape == (31, 2)
    assert lab.figure.outputs[0]["data"]["text/plain"] == lab.title
    before = shown_png(lab.figure)
    lab.lr.value = 1.5  # x -> -2 x
    assert lab.outcome == "diverged"
    assert "diverged" in lab.title and "learning rate 1.5" in lab.title
    assert shown_png(lab.figure) != before
    lab.function.value = "long narrow valley"
    lab.lr.value = 0.1
    assert lab.outcome == "crawled" and "crawled" in lab.title
    assert repr(lab) == "GradientDescentLab(function='long narrow valley', lr=0.1, steps=30)"


# ---------------------------------------------------------------------------------------------
# The learning-rate lab: plain functions
# ---------------------------------------------------------------------------------------------

def test_run_lr_experiment_is_seeded_and_measured_on_validation_images(mnist):
    kwargs = dict(batch_size=50, train_size=2000, epochs=2, data=mnist)
    first = run_lr_experiment(0.5, **kwargs)
    second = run_lr_experiment(0.5, **kwargs)
    assert first.loss == second.loss and first.val_acc == second.val_acc
    assert len(first.loss) == 2 * 2000 // 50
    assert first.eval_iterations[-1] == 80 and len(first.val_acc) == len(first.eval_iterations)
    assert first.test_acc == []  # the test images are kept for the final report
    assert classify_run(first) == "trained"
    assert first.val_acc[-1] > 0.8
    other_seed = run_lr_experiment(0.5, **kwargs, seed=1)
    assert other_seed.loss != first.loss


def test_run_lr_experiment_validates_on_the_last_10000_training_images():
    """A stand-in data set: the training part holds digit 3 only, the validation part digit 7 only."""
    rng = np.random.default_rng(0)
    x = rng.random((10_300, 784)).astype(np.float32)
    t = np.r_[np.full(300, 3), np.full(10_000, 7)]
    history = run_lr_experiment(0.1, data=((x, t), (x[:10], t[:10])), train_size=300, epochs=1)
    # Trained on 3s only, the network answers 3: no validation image is right.
    assert history.val_acc[-1] == 0.0 and history.train_acc[-1] == 1.0
    with pytest.raises(ValueError, match="train_size must be between 100 .* and 300"):
        run_lr_experiment(0.1, data=((x, t), (x[:10], t[:10])), train_size=301)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"activation": "tanh"}, ValueError, "activation"),
    ({"train_size": 0}, ValueError, "train_size must be at least 1, got 0"),
    ({"train_size": 1}, ValueError, "train_size must be between 100 .*got 1"),
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1, got 0"),
    ({"evaluations": 0}, ValueError, "evaluations must be at least 1, got 0"),
    ({"hidden_size": 0}, ValueError, "hidden_size must be at least 1, got 0"),
    ({"epochs": 0}, ValueError, "epochs must be at least 1, got 0"),
    ({"epochs": 1.5}, TypeError, "epochs must be a whole number"),
    ({"lr": float("nan")}, ValueError, "lr must be a finite number greater than 0"),
    ({"lr": 0}, ValueError, "lr must be a finite number greater than 0"),
])
def test_run_lr_experiment_rejects_bad_settings(mnist, kwargs, error, message):
    kwargs = {"lr": 0.1, **kwargs}
    with pytest.raises(error, match=message):
        run_lr_experiment(kwargs.pop("lr"), data=mnist, **kwargs)


def fake_history(loss, val_acc=(), diverged=False, batch_size=100):
    h = History(lr=0.1, batch_size=batch_size, iterations_per_epoch=10, loss=[float(v) for v in loss],
                val_acc=list(val_acc))
    h.diverged = diverged
    return h


def test_classify_run_on_made_up_loss_curves():
    steady = np.linspace(2.3, 2.0, 60)
    assert classify_run(fake_history([2.3, 7.5], diverged=True)) == "diverged"
    assert classify_run(fake_history(steady)) == "crawled"                 # 2.0 > 2.3 / 2, only falls
    assert classify_run(fake_history(np.linspace(2.3, 0.5, 60))) == "trained"   # 0.5 < 2.3 / 2
    # Overshoot: three iterations average 5.5 > 1.5 x 2.3, then the loss sits at 2.3.
    overshoot = [2.3, 4.0, 6.0, 6.5] + [2.3] * 56
    assert loss_signals(fake_history(overshoot))["overshoot"] == pytest.approx(16.5 / 3 / 2.3)
    assert classify_run(fake_history(overshoot)) == "stalled"
    # Climbing back: down to 1.5, then up to 2.2, a climb of 0.7 / 2.3 = 0.30 of the first loss;
    # averaging 10 iterations rounds off the bottom and the end by at most 0.12 (4.5 steps of 0.027).
    climb = list(np.linspace(2.3, 1.5, 30)) + list(np.linspace(1.5, 2.2, 30))
    assert (0.7 - 0.25) / 2.3 < loss_signals(fake_history(climb))["climb"] < 0.7 / 2.3
    assert classify_run(fake_history(climb)) == "stalled"
    # The same climb in batches of 10 is smoothed over 100 iterations: still a climb.
    climb_10 = list(np.linspace(2.3, 1.5, 300)) + list(np.linspace(1.5, 2.2, 300))
    assert classify_run(fake_history(climb_10, batch_size=10)) == "stalled"
    # A small loss is not enough: one training image learned by heart, validation at chance.
    memorised = np.linspace(2.3, 0.01, 60)
    assert classify_run(fake_history(memorised, val_acc=[0.089])) != "trained"
    assert classify_run(fake_history(memorised, val_acc=[0.9])) == "trained"


def test_noise_of_a_small_batch_is_not_a_climb():
    """Batch-10 losses of the lab's network scatter with a standard deviation of about 0.17;
    with 0.25, smoothed over 1000 images, a slowly falling loss is still only falling."""
    rng = np.random.default_rng(0)
    loss = np.linspace(2.3, 1.9, 3000) + rng.normal(0, 0.25, 3000)
    assert classify_run(fake_history(loss, batch_size=10)) == "crawled"
    assert loss_signals(fake_history(loss, batch_size=10))["climb"] < CLIMB_FRACTION / 2


# The lab's default settings (batch 100, 50 ReLU neurons, 3 epochs, 10000 images, seed 0).
# Each learning rate sits far from the edges of its verdict: the signals that decide it are
# checked to lie at least 1.5 times away from the thresholds, so the verdicts hold on any CPU.
@pytest.mark.parametrize("lr, verdict, advice", [
    (0.001, "crawled", "is too small for this many iterations, try a larger one"),
    (0.1, "trained", "validation accuracy"),
    (3.0, "stalled", "is too large, try a smaller one"),
    (10.0, "diverged", "is too large for this network"),
])
def test_verdict_table_at_the_lab_defaults(mnist, lr, verdict, advice):
    history = run_lr_experiment(lr, data=mnist)
    assert classify_run(history) == verdict
    message = describe_run(history)
    assert message.startswith(verdict if verdict != "diverged" else "diverged at iteration")
    assert advice in message
    if verdict == "diverged":
        return
    signals = loss_signals(history)
    if verdict == "trained":
        assert signals["final"] < TRAINED_FRACTION / 1.5
        assert history.val_acc[-1] > 0.85
    else:
        assert signals["final"] > TRAINED_FRACTION * 1.5
    if verdict == "crawled":
        assert signals["overshoot"] < 1 + (OVERSHOOT_FACTOR - 1) / 2   # never above the start
        assert signals["climb"] < CLIMB_FRACTION / 1.5
        assert history.val_acc[-1] < 0.5
    if verdict == "stalled":
        assert signals["overshoot"] > 1.5 * OVERSHOOT_FACTOR
        assert history.val_acc[-1] < 0.2  # about chance: most ReLU units switched off


def test_draw_runs_marks_a_diverged_run(mnist):
    blown = run_lr_experiment(10.0, data=mnist)
    assert blown.diverged and len(blown.loss) < 10
    run = LabRun(1, 10.0, 100, 50, 3, "relu", 10_000, 0, blown)
    fig = draw_runs([run])
    ax_loss, ax_acc = fig.axes
    assert ax_loss.get_yscale() == "log"
    assert any("(diverged)" in text.get_text() for text in fig.legends[0].get_texts())
    assert run.label == "#1 lr 10, batch 100, 50 ReLU, 3 ep"
    assert run.outcome == "diverged" and run.val_accuracy is None


# ---------------------------------------------------------------------------------------------
# The learning-rate lab: widgets, driven like a user would
# ---------------------------------------------------------------------------------------------

def test_learning_rate_lab_controls(mnist):
    lab = learning_rate_lab(mnist)
    assert (lab.lr.min, lab.lr.max, lab.lr.base) == (-3, 1, 10)  # 1e-3 to 10, log scale
    assert lab.activation.options == (("ReLU", "relu"), ("sigmoid", "sigmoid"))
    # 50000 at most: the last 10000 training images are the validation set
    assert lab.train_size.value == 10_000 and max(v for _, v in lab.train_size.options) == 50_000
    assert lab.train_button.description == "Train" and lab.clear_button.description == "Clear"
    assert lab.runs == [] and "no runs yet" in lab.table.value
    shown_png(lab.figure)  # an empty figure, ready for the first run
    assert repr(lab) == "LearningRateLab(runs=0)"


def test_train_click_adds_a_run_to_figure_and_table(mnist):
    lab = learning_rate_lab(mnist)
    lab.train_size.value, lab.epochs.value = 5_000, 1  # small and quick
    lab.lr.value = 0.5
    empty = shown_png(lab.figure)
    lab.train_button.click()
    assert len(lab.runs) == 1
    run = lab.runs[0]
    assert (run.lr, run.batch_size, run.train_size, run.epochs) == (0.5, 100, 5_000, 1)
    assert len(run.history.loss) == 50 and run.outcome == "trained"
    assert shown_png(lab.figure) != empty
    assert lab.figure.outputs[0]["data"]["text/plain"] == "<Figure: loss and validation accuracy of 1 run>"
    assert "data-run='1'" in lab.table.value and "<td style" in lab.table.value
    assert f"{100 * run.val_accuracy:.1f}%" in lab.table.value
    assert "validation accuracy" in lab.table.value and "test" not in lab.table.value
    assert "trained" in lab.status.value
    assert not any(c.disabled for c in lab.controls)
    assert lab.progress.value == lab.progress.max == 50

    lab.activation.value, lab.lr.value = "sigmoid", 2.0
    lab.train_button.click()
    assert len(lab.runs) == 2 and lab.runs[1].activation == "sigmoid"
    assert "data-run='2'" in lab.table.value
    assert "#2 lr 2, batch 100, 50 sigmoid, 1 ep, 5000 images" == lab.runs[1].label
    assert repr(lab) == "LearningRateLab(runs=2)"

    lab.clear_button.click()
    assert lab.runs == [] and "no runs yet" in lab.table.value
    assert lab.figure.outputs[0]["data"]["text/plain"] == "<Figure: loss and validation accuracy of 0 runs>"


def test_lr_10_reports_divergence_in_plain_words(mnist):
    lab = learning_rate_lab(mnist)
    lab.lr.value = 10.0
    lab.train_button.click()
    run = lab.runs[-1]
    assert run.history.diverged and run.outcome == "diverged"
    message = run.message
    assert message.startswith(f"diverged at iteration {run.history.diverged_at}: the loss grew from 2.")
    assert "the learning rate 10 is too large for this network" in message
    assert message.endswith("the network's weights were restored to what they were before this call")
    assert message in lab.status.value.replace("&#x27;", "'")
    assert f"diverged at iteration {run.history.diverged_at}" in lab.table.value
    assert lab.progress.description == "diverged"
    assert not any(c.disabled for c in lab.controls)
    shown_png(lab.figure)


def test_figure_updates_live_while_controls_are_disabled(mnist):
    lab = learning_rate_lab(mnist)
    lab.redraw_every = 0.0  # redraw after every iteration (the default is at most every 0.4 s)
    lab.train_size.value, lab.epochs.value, lab.batch_size.value = 1_000, 1, 100
    seen = []
    lab.figure.observe(lambda change: seen.append(
        (change["new"][0]["data"]["text/plain"], lab.train_button.disabled, lab.lr.disabled)),
        names="outputs")
    lab.train_button.click()
    live = [s for s in seen if s[0] == "<Figure: loss and validation accuracy of 1 run>"]
    assert len(live) >= 10 + 1  # one per iteration, then the final figure
    assert all(button and slider for _, button, slider in live[:-1])  # disabled while training
    assert not lab.train_button.disabled and not lab.lr.disabled      # enabled again afterwards


def test_default_train_click_redraws_a_few_times_per_second(mnist):
    """A default Train click trains 300 iterations and redraws at most every 0.4 s (and once at the end).

    Its time depends on the machine (about 1-3 s on 2 free cores), so the test bounds the number
    of redraws, not the seconds.
    """
    lab = learning_rate_lab(mnist)
    redraws = []
    lab.figure.observe(lambda change: redraws.append(change["new"]), names="outputs")
    lab.train_button.click()
    run = lab.runs[-1]
    assert len(run.history.loss) == 3 * 100 and run.outcome == "trained"
    assert run.val_accuracy > 0.85
    assert 1 <= len(redraws) <= run.history.seconds / lab.redraw_every + 2
