"""The learning-rate and gradient-descent labs, driven from pytest without a browser.

Widget handlers run synchronously here: setting ``slider.value`` and calling ``button.click()``
does the whole run before the next line.
"""
from __future__ import annotations

import base64
import html

from mnist_lib.experiments import FUNCTIONS, LabSettings, descent_verdict, run_lr_experiment
from mnist_lib.plots import draw_lab_runs
from mnist_lib.widgets import gradient_descent_lab, learning_rate_lab, run_label

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def shown_png(output) -> bytes:
    """The PNG bytes an Output widget shows (it holds exactly one display_data output)."""
    assert len(output.outputs) == 1
    png = base64.b64decode(output.outputs[0]["data"]["image/png"])
    assert png.startswith(PNG_MAGIC)
    return png


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
    assert lab.title == ("round bowl, learning rate 0.1, 30 steps\n"
                         "converged: x's factor 0.8, 0.12% of the way left")
    assert lab.path.shape == (31, 2)
    assert lab.figure.outputs[0]["data"]["text/plain"] == lab.title
    before = shown_png(lab.figure)
    lab.lr.value = 1.5  # x -> -2 x
    assert lab.outcome == "diverged"
    assert "diverged: x's factor -2 is beyond -1" in lab.title and "learning rate 1.5" in lab.title
    assert shown_png(lab.figure) != before
    lab.lr.value = 1.0  # x -> -x, exactly
    assert lab.outcome == "oscillates forever"
    lab.function.value = "long narrow valley"
    # along the valley x -> 0.99 x: x = -7 × 0.99**30 = -5.18 is left, 71% of the start's
    # distance sqrt(7² + 2²) = 7.28 (y has converged)
    lab.lr.value = 0.1
    assert lab.outcome == "crawled" and "crawled: x's factor 0.99, 71% of the way left" in lab.title
    # the lab's verdict is the module's, exact from the factors
    assert lab.verdict == descent_verdict(FUNCTIONS["long narrow valley"], 0.1, 30, (-7.0, 2.0))
    assert repr(lab) == "GradientDescentLab(function='long narrow valley', lr=0.1, steps=30)"


# ---------------------------------------------------------------------------------------------
# The learning-rate lab's figure
# ---------------------------------------------------------------------------------------------

def test_lab_figure_marks_a_diverged_run_and_names_each_verdict(mnist):
    blown = run_lr_experiment(10.0, data=mnist)
    assert blown.history.diverged and len(blown.history.loss) < 10
    label = run_label(1, blown.settings)
    assert label == "#1 lr 10, batch 100, 50 ReLU (He), 3 ep"
    fig = draw_lab_runs([(label, blown.history)])
    ax_loss, ax_acc = fig.axes
    assert ax_loss.get_yscale() == "log"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [label + " (diverged)"]
    assert blown.verdict.verdict == "diverged" and blown.verdict.val_acc is None


# ---------------------------------------------------------------------------------------------
# The learning-rate lab: widgets, driven like a user would
# ---------------------------------------------------------------------------------------------

def test_learning_rate_lab_controls(mnist):
    lab = learning_rate_lab(mnist)
    assert (lab.lr.min, lab.lr.max, lab.lr.base) == (-3, 1.5, 10)  # 1e-3 to 31.6, log scale
    assert lab.activation.options == (("ReLU", "relu"), ("sigmoid", "sigmoid"))
    # the initial weights are a setting of their own, not tied to the activation
    assert lab.weight_init_std.options == (("He", "he"), ("Xavier", "xavier"),
                                           ("0.01 (the book's)", 0.01))
    assert lab.weight_init_std.value == "he"
    lab.activation.value = "sigmoid"
    assert lab.weight_init_std.value == "he"
    # 50000 at most: the last 10000 training images are the validation set
    assert lab.train_size.value == 10_000 and max(v for _, v in lab.train_size.options) == 50_000
    assert lab.train_button.description == "Train" and lab.clear_button.description == "Clear"
    assert lab.runs == [] and "no runs yet" in lab.table.value
    shown_png(lab.figure)  # an empty figure, ready for the first run
    assert repr(lab) == "LearningRateLab(runs=0)"
    assert lab.settings() == LabSettings(0.1, activation="sigmoid")


def test_train_click_adds_a_run_with_its_verdict_to_figure_and_table(mnist):
    lab = learning_rate_lab(mnist)
    lab.train_size.value, lab.epochs.value = 5_000, 1  # small and quick
    lab.lr.value = 0.5
    empty = shown_png(lab.figure)
    lab.train_button.click()
    assert len(lab.runs) == 1
    run = lab.runs[0]
    assert run.settings == LabSettings(0.5, train_size=5_000, epochs=1)
    assert len(run.history.loss) == 50
    # the lab shows the module's verdict of the same experiment, with its numbers
    assert run.verdict == run_lr_experiment(**vars(run.settings), data=mnist).verdict
    v = run.verdict
    assert shown_png(lab.figure) != empty
    assert lab.figure.outputs[0]["data"]["text/plain"] == "<Figure: loss and validation accuracy of 1 run>"
    assert "data-run='1'" in lab.table.value and "<td style" in lab.table.value
    for shown in (f"{100 * v.val_acc:.1f}%", f"{v.loss_first:.2f} → {v.loss_last:.2f}",
                  f"{v.dead_units} of 50", ">He<", v.verdict):
        assert shown in lab.table.value
    assert "validation accuracy" in lab.table.value and "test" not in lab.table.value
    assert html.escape(v.message) in lab.status.value
    assert not any(c.disabled for c in lab.controls)
    assert lab.progress.value == lab.progress.max == 50
    assert lab.progress.description == v.verdict

    lab.activation.value, lab.weight_init_std.value, lab.lr.value = "sigmoid", "xavier", 2.0
    lab.train_button.click()
    second = lab.runs[1]
    assert (second.settings.activation, second.settings.weight_init_std) == ("sigmoid", "xavier")
    assert "data-run='2'" in lab.table.value and ">Xavier<" in lab.table.value
    assert run_label(2, second.settings) == "#2 lr 2, batch 100, 50 sigmoid (Xavier), 1 ep, 5000 images"
    assert [label for label, _ in lab.curves()][1] == (
        f"#2 lr 2, batch 100, 50 sigmoid (Xavier), 1 ep, 5000 images: {second.verdict.short}")
    assert repr(lab) == "LearningRateLab(runs=2)"

    lab.clear_button.click()
    assert lab.runs == [] and "no runs yet" in lab.table.value
    assert lab.figure.outputs[0]["data"]["text/plain"] == "<Figure: loss and validation accuracy of 0 runs>"


def test_the_optimiser_setting_trains_with_notebook_11s_optimisers(mnist):
    lab = learning_rate_lab(mnist)
    assert lab.optimizer.options == (("SGD", "sgd"), ("Momentum", "momentum"), ("AdaGrad", "adagrad"),
                                     ("RMSprop", "rmsprop"), ("Adam", "adam"))
    assert lab.optimizer.value == "sgd" and lab.optimizer in lab.controls
    lab.train_size.value, lab.epochs.value = 5_000, 1
    lab.optimizer.value, lab.lr.value = "adam", 0.001  # Adam's default learning rate
    lab.train_button.click()
    run = lab.runs[0]
    assert run.settings == LabSettings(0.001, train_size=5_000, epochs=1, optimizer="adam")
    # the module's experiment and its verdict, shown with the optimiser's name
    assert run.verdict == run_lr_experiment(**vars(run.settings), data=mnist).verdict
    assert "<td style='padding:2px 10px;text-align:right'>Adam</td>" in lab.table.value
    assert lab.curves()[0][0].startswith("#1 Adam lr 0.001, batch 100")
    assert html.escape(run.verdict.message) in lab.status.value
    assert lab.progress.description == run.verdict.verdict


def test_lr_10_reports_divergence_in_plain_words(mnist):
    lab = learning_rate_lab(mnist)
    lab.lr.value = 10.0
    lab.train_button.click()
    run = lab.runs[-1]
    assert run.history.diverged and run.verdict.verdict == "diverged"
    message = run.verdict.message
    assert message == run.history.reason  # train's sentence, from the same rule
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
    assert len(run.history.loss) == 3 * 100 and run.verdict.verdict == "trained"
    assert 1 <= len(redraws) <= run.history.seconds / lab.redraw_every + 2
