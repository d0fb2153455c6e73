"""Figures: each function returns a Figure with the expected axes, titles and marks."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import same_color, to_hex, to_rgb
from matplotlib.figure import Figure

from mnist_lib.networks import init_network
from mnist_lib.plots import (OKABE_ITO, STYLE, WRONG, draw_network, draw_runs_on, plot_activations,
                             plot_confusion_matrix, plot_function, plot_history, plot_lr_comparison,
                             plot_probabilities, run_style, set_style, show_digits, show_weights)
from mnist_lib.training import History

VERMILLION = "#D55E00"
#: Okabe & Ito, "Color Universal Design (CUD): how to make figures and presentations that are
#: friendly to colorblind people" (2008): the eight colours of the palette, in RGB 0-255.
PUBLISHED_OKABE_ITO = {
    "black": (0, 0, 0), "orange": (230, 159, 0), "sky blue": (86, 180, 233),
    "bluish green": (0, 158, 115), "yellow": (240, 228, 66), "blue": (0, 114, 178),
    "vermillion": (213, 94, 0), "reddish purple": (204, 121, 167),
}


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


def test_the_palette_is_okabe_and_itos():
    """The figures' colours are the published palette, and mistakes are drawn in its vermillion."""
    rgb = [tuple(round(255 * c) for c in to_rgb(colour)) for colour in OKABE_ITO]
    assert sorted(rgb) == sorted(PUBLISHED_OKABE_ITO.values())
    assert same_color(WRONG, np.divide(PUBLISHED_OKABE_ITO["vermillion"], 255))
    assert same_color(VERMILLION, WRONG)


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


# --- draw_network ------------------------------------------------------------------------------

def _circles(fig):
    """Number of neuron circles: the points of every scatter collection."""
    return sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections)


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_draw_network_small():
    W = [np.array([[0.1, -0.3, 0.5], [0.2, 0.4, -0.6]]), np.array([[1.0], [-2.0], [3.0]])]
    fig = draw_network([2, 3, 1], activations=["sigmoid", "identity"], weights=W,
                       show_weights=True, unit_labels=[["x1", "x2"], None, ["y"]], title="demo")
    ax = fig.axes[0]
    assert _circles(fig) == 2 + 3 + 1
    assert len(ax.lines) == 2 * 3 + 3 * 1  # one line per weight
    texts = _texts(fig)
    assert "W1 (2, 3)" in texts and "W2 (3, 1)" in texts
    assert {"x1", "x2", "y", "-0.3", "0.5", "-2"} <= set(texts)
    assert "hidden 1\n3 units\nsigmoid" in texts and "output\n1 unit\nidentity" in texts
    colours = [to_hex(line.get_color()) for line in ax.lines]
    assert colours.count(WRONG.lower()) == 3  # -0.3, -0.6, -2.0
    assert colours.count(OKABE_ITO[0].lower()) == 6
    widths = {line.get_linewidth() for line in ax.lines}
    assert max(widths) > min(widths)  # thicker for larger |w|
    assert ax.get_title() == "demo"


def test_draw_network_large_layers_are_elided():
    fig = draw_network([784, 50, 100, 10], max_units=10)
    ax = fig.axes[0]
    # 784, 50 and 100 units show 4 + 4 each with a "⋮"; the 10 outputs are all drawn
    assert _circles(fig) == 8 + 8 + 8 + 10
    assert len(ax.lines) == 8 * 8 + 8 * 8 + 8 * 10
    texts = _texts(fig)
    assert texts.count("⋮") == 3
    assert "W1 (784, 50)" in texts and "input\n784 units" in texts


def test_draw_network_on_given_axes():
    fig, ax = plt.subplots()
    assert draw_network([5, 8, 7, 5, 4, 4, 2], ax=ax, show_shapes=False) is fig
    assert not any(t.startswith("W") for t in _texts(fig))


@pytest.mark.parametrize("kwargs, message", [
    (dict(sizes=[3]), "at least two layers"),
    (dict(sizes=[2, 0, 1]), "at least two layers of at least one unit"),
    (dict(sizes=[2, 3], weights=[np.zeros((3, 2))]), "do not fit sizes [2, 3]"),
    (dict(sizes=[2, 3], show_weights=True), "needs the weights"),
    (dict(sizes=[2, 3], activations=["relu", "softmax"]), "activations needs 1 entries"),
    (dict(sizes=[2, 3], unit_labels=[["a"], None]), "unit_labels[0] has 1 texts"),
    (dict(sizes=[2, 3], max_units=2), "max_units must be at least 3"),
])
def test_draw_network_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError) as err:
        draw_network(**kwargs)
    assert message in str(err.value)


def _weight_label_boxes(fig):
    """(text, position, display box of its white background) of every weight written on a line."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [(t.get_text(), t.get_position(), t.get_bbox_patch().get_window_extent(renderer))
            for t in ax.texts if t.get_bbox_patch() is not None]


def _overlap(a, b):
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


@pytest.mark.parametrize("sizes, weights", [
    ([2, 3, 2, 2], [init_network()[k] for k in ("W1", "W2", "W3")]),  # notebook 04's network
    ([2, 3], [np.array([[1, 3, 5], [2, 4, 6]])]),                       # notebook 03's layer
    ([2, 3], [np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.5]])]),
])
def test_draw_network_weight_labels_do_not_overlap(sizes, weights):
    fig = draw_network(sizes, weights=weights, show_weights=True,
                       unit_labels=[[f"$z^{{({i})}}_{u + 1}$" for u in range(n)]
                                    for i, n in enumerate(sizes)])
    labels = _weight_label_boxes(fig)
    assert sorted(text for text, _, _ in labels) == sorted(f"{w:g}" for W in weights
                                                          for w in W.ravel())
    for k, (text, _, box) in enumerate(labels):
        for other, _, other_box in labels[k + 1:]:
            assert not _overlap(box, other_box), f"the labels {text} and {other} overlap"
    # each label sits on its own line, between the two circles it joins
    ax = fig.axes[0]
    on_a_line = 0
    for i, W in enumerate(weights):
        units_from, units_to = W.shape
        for a in range(units_from):
            for b in range(units_to):
                y0, y1 = (units_from - 1) / 2 - a, (units_to - 1) / 2 - b
                for text, (x, y), _ in labels:
                    if text == f"{W[a, b]:g}" and i < x < i + 1 and \
                            y == pytest.approx(y0 + (x - i) * (y1 - y0)):
                        on_a_line += 1
                        break
    assert on_a_line == sum(W.size for W in weights)
    assert len(ax.lines) == sum(W.size for W in weights)


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


# --- looking inside a trained network ---------------------------------------------------------

def test_show_weights_tiles_every_unit(net):
    W1 = net.params["W1"]
    fig = show_weights(W1)
    (ax,) = fig.axes
    mosaic = ax.images[0].get_array()
    assert mosaic.shape == (5 * 30 - 2, 10 * 30 - 2)
    assert np.allclose(mosaic[30:58, 60:88], W1[:, 12].reshape(28, 28))   # row 1, column 2
    fig = show_weights(W1, ncols=2, units=[7, 3])
    assert np.allclose(fig.axes[0].images[0].get_array()[:, 30:], W1[:, 3].reshape(28, 28))
    with pytest.raises(ValueError, match=r"\(784, H\)"):
        show_weights(W1.T)
    with pytest.raises(ValueError, match="units"):
        show_weights(W1, units=[50])


def test_plot_confusion_matrix_writes_every_count():
    matrix = np.arange(100).reshape(10, 10)
    fig = plot_confusion_matrix(matrix)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == [str(v) for v in range(100)]
    assert fig.axes[0].get_title() == f"{matrix.sum() - np.trace(matrix)} mistakes"
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((10, 9)))


def test_plot_probabilities_marks_the_prediction():
    p = np.full(10, 0.02)
    p[3] = 0.82
    fig = plot_probabilities(p, label=5)
    bars = fig.axes[0].patches
    assert len(bars) == 10 and bars[3].get_height() == pytest.approx(0.82)
    assert same_color(bars[3].get_facecolor(), VERMILLION)   # wrong: vermillion
    assert fig.axes[0].get_title() == "reads 3 (82%), true digit 5"
    with pytest.raises(ValueError, match="10 probabilities"):
        plot_probabilities(np.ones(9) / 9)


def test_plot_activations_counts_active_units():
    fig = plot_activations(np.array([0.0, 1.5, 0.0, 2.0, 0.1]), ncols=2)
    assert fig.axes[0].get_title() == "hidden layer: 3 of 5 active"
    assert fig.axes[0].images[0].get_array().shape == (3, 2)
