"""Figures: each function returns a Figure with the expected axes, titles and marks."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mnist_lib.plots import (OKABE_ITO, STYLE, draw_runs_on, plot_function,  # noqa: E402
                             plot_history, plot_lr_comparison, run_style, set_style, show_digits)
from mnist_lib.training import History  # noqa: E402

VERMILLION = "#D55E00"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def digits():
    rng = np.random.default_rng(0)
    return rng.random((12, 784), dtype=np.float32), np.array([5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5])


def history(lr=0.1, diverged_at=None):
    h = History(lr=lr, batch_size=100, iterations_per_epoch=10,
                loss=list(np.linspace(2.3, 0.3, 30)), eval_iterations=[10, 20, 30],
                train_acc=[0.8, 0.9, 0.93], test_acc=[0.79, 0.88, 0.91])
    if diverged_at is not None:
        h.loss = [2.3, 5.0, 9.0][:diverged_at]
        h.eval_iterations, h.train_acc, h.test_acc = [], [], []
        h.diverged, h.diverged_at = True, diverged_at
        h.reason = f"diverged at iteration {diverged_at}"
    return h


def test_set_style():
    with plt.rc_context():  # restores the settings afterwards
        set_style()
        assert plt.rcParams["font.size"] == STYLE["font.size"] >= 14
        assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == OKABE_ITO


def test_okabe_ito_palette():
    assert OKABE_ITO[:4] == ["#0072B2", "#E69F00", "#009E73", "#D55E00"]
    assert len(set(OKABE_ITO)) == 8


# --- show_digits -------------------------------------------------------------------------------

def test_show_digits_grid_and_titles(digits):
    images, labels = digits
    fig = show_digits(images, labels)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 20  # 2 rows of 10
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 12
    assert [ax.get_title() for ax in shown] == [str(v) for v in labels]
    np.testing.assert_array_equal(shown[3].images[0].get_array(), images[3].reshape(28, 28))


@pytest.mark.parametrize("shape", [(12, 784), (12, 28, 28), (12, 1, 28, 28)])
def test_show_digits_image_shapes(digits, shape):
    images, labels = digits
    fig = show_digits(images.reshape(shape), labels, ncols=4)
    assert len(fig.axes) == 12


def test_show_digits_one_hot_labels(digits):
    images, labels = digits
    fig = show_digits(images[:3], np.eye(10)[labels[:3]])
    assert [ax.get_title() for ax in fig.axes] == ["5", "0", "4"]


def test_show_digits_marks_wrong_predictions(digits):
    images, labels = digits
    predictions = labels.copy()
    predictions[[2, 7]] = [7, 8]
    fig = show_digits(images, labels, predictions)
    shown = [ax for ax in fig.axes if ax.images]
    wrong = [i for i, ax in enumerate(shown) if same_color(ax.title.get_color(), VERMILLION)]
    assert wrong == [2, 7]
    assert all(same_color(ax.title.get_color(), "black") for i, ax in enumerate(shown) if i not in (2, 7))
    assert shown[2].get_title() == "4:7" and shown[0].get_title() == "5:5"
    assert fig._suptitle is not None and "predicted" in fig._suptitle.get_text()


@pytest.mark.parametrize("n_labels, n_predictions", [(11, None), (12, 11), (13, 12)])
def test_show_digits_length_mismatch(digits, n_labels, n_predictions):
    images, labels = digits
    labels = np.resize(labels, n_labels)
    predictions = None if n_predictions is None else np.zeros(n_predictions, int)
    with pytest.raises(ValueError, match="12 images"):
        show_digits(images, labels, predictions)


# --- plot_function -----------------------------------------------------------------------------

def test_plot_function():
    fig = plot_function(np.tanh, (-2, 2), 0.5)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    [line] = ax.get_lines()[:1]
    np.testing.assert_allclose(line.get_xdata(), np.arange(-2, 2, 0.5))
    np.testing.assert_allclose(line.get_ydata(), np.tanh(np.arange(-2, 2, 0.5)))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["tanh"]


def test_plot_function_overlays_on_an_axis():
    fig = plot_function(np.sin, label="sin")
    again = plot_function(np.cos, ax=fig.axes[0], label="cos")
    assert again is fig and len(fig.axes) == 1
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["sin", "cos"]


# --- plot_history ------------------------------------------------------------------------------

def test_plot_history():
    fig = plot_history(history())
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2  # loss, and accuracy on a twin axis
    assert fig.axes[0].get_title() == "lr = 0.1, batch size = 100"
    assert len(fig.axes[0].get_lines()[0].get_xdata()) == 30
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend == ["loss", "train accuracy", "test accuracy"]


def test_plot_history_custom_title():
    assert plot_history(history(), title="my run").axes[0].get_title() == "my run"


def test_plot_history_diverged():
    fig = plot_history(history(lr=10, diverged_at=3))
    ax = fig.axes[0]
    assert ax.get_title() == "diverged at iteration 3"
    assert same_color(ax.title.get_color(), VERMILLION)


# --- plot_lr_comparison ------------------------------------------------------------------------

def test_plot_lr_comparison_from_a_list():
    fig = plot_lr_comparison([history(0.1), history(0.01), history(10, diverged_at=3)])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_loss, ax_acc = fig.axes
    assert (ax_loss.get_title(), ax_acc.get_title()) == ("loss", "test accuracy")
    assert ax_loss.get_yscale() == "log"
    assert [t.get_text() for t in ax_loss.get_legend().get_texts()] == [
        "lr = 0.1", "lr = 0.01", "lr = 10 (diverged)"]
    assert len(ax_acc.get_lines()) == 2  # the diverged run has no test accuracy


def test_plot_lr_comparison_keeps_runs_with_the_same_learning_rate():
    slow = history(0.1)
    slow.batch_size = 10
    fig = plot_lr_comparison([history(0.1), slow])
    assert len(fig.axes[0].get_legend().get_texts()) == 2
    assert len(fig.axes[1].get_lines()) == 2


def test_draw_runs_on_marks_a_blow_up_at_the_top_of_the_axis():
    fine, blown = history(), history(1.0, diverged_at=3)
    blown.loss = [2.3, 5.0, float("inf")]
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2)
    draw_runs_on(ax_loss, ax_acc, [("fine", fine), ("blown", blown)], smooth=1, every_batch=True,
                 accuracy_against="iteration")
    top = ax_loss.get_ylim()[1]
    assert top == pytest.approx(2 * 5.0)  # twice the largest finite loss
    lines = ax_loss.get_lines()  # per run: every batch, the average; then the x of the blow-up
    assert len(lines) == 5
    x_mark = lines[-1]
    assert x_mark.get_marker() == "x" and list(x_mark.get_xdata()) == [3]
    assert list(x_mark.get_ydata()) == [top]
    assert same_color(x_mark.get_color(), run_style(1)["color"])
    (acc,) = ax_acc.get_lines()  # the blown-up run was never evaluated
    assert list(acc.get_xdata()) == [10, 20, 30] and acc.get_linestyle() == "None"


def test_draw_runs_on_fits_the_axis_to_what_it_draws():
    h = history()
    h.loss = [0.4] * 15 + [1e-4] + [0.4] * 14  # one lucky batch among losses of 0.4
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2)
    draw_runs_on(ax_loss, ax_acc, [("run", h)], smooth=10)
    lowest_average = (9 * 0.4 + 1e-4) / 10
    assert ax_loss.get_ylim() == pytest.approx((0.5 * lowest_average, 1.3 * 0.4))  # not down at 1e-4
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2)
    draw_runs_on(ax_loss, ax_acc, [("run", h)], smooth=10, every_batch=True)
    assert ax_loss.get_ylim()[0] == pytest.approx(1e-3)  # the thin line goes down to 1e-4


def test_run_style_leaves_out_yellow_and_then_changes_the_line():
    colours = [run_style(k)["color"] for k in range(7)]
    assert "#F0E442" not in colours and len(set(colours)) == 7
    assert run_style(7) == {"color": colours[0], "linestyle": "--"}


def test_plot_lr_comparison_from_a_dict_with_non_finite_losses():
    h = history(1.0, diverged_at=3)
    h.loss = [2.3, 5.0, float("nan")]
    fig = plot_lr_comparison({"fast": history(), "blown up": h}, smooth=5)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["fast", "blown up (diverged)"]
