"""Figures readable on a projector: large fonts and the colour-blind-safe Okabe-Ito palette.

Each function draws a new figure and returns it (a ``matplotlib.figure.Figure``) for further
changes. In a notebook, end the cell with ``plt.show()``: a figure left as a cell's last value
would be shown twice.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from . import validate

__all__ = ["OKABE_ITO", "STYLE", "set_style", "show_digits", "plot_function", "plot_history",
           "plot_lr_comparison", "run_style", "draw_runs_on", "draw_network", "show_weights",
           "plot_confusion_matrix", "plot_probabilities", "plot_activations", "draw_lab_runs",
           "draw_descent", "plot_range_test"]

#: Okabe & Ito's palette, distinguishable with every common kind of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WRONG = "#D55E00"  # vermillion marks mistakes

#: Matplotlib settings of the course figures (``set_style()`` makes them the default).
STYLE = {
    "font.size": 14, "axes.titlesize": 16, "axes.labelsize": 15, "xtick.labelsize": 13,
    "ytick.labelsize": 13, "legend.fontsize": 13, "lines.linewidth": 2.5, "axes.grid": True,
    "grid.alpha": 0.3, "axes.prop_cycle": cycler(color=OKABE_ITO), "figure.dpi": 100,
}


def set_style() -> None:
    """Use the course style for every figure in this session (large fonts, Okabe-Ito colours)."""
    plt.rcParams.update(STYLE)


def show_digits(images: np.ndarray, labels: Sequence[int] | np.ndarray,
                predictions: Sequence[int] | np.ndarray | None = None, ncols: int = 10):
    """A grid of digits with their labels.

    Args:
        images: ``(N, 784)``, ``(N, 28, 28)`` or ``(N, 1, 28, 28)``.
        labels: the true labels ``(N,)`` (or one-hot ``(N, 10)``).
        predictions: optional predicted labels ``(N,)``: each title then reads "true: predicted",
            and wrong predictions get a vermillion title and frame.
        ncols: digits per row.
    """
    images = np.asarray(images).reshape(len(images), 28, 28)
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    n = len(images)
    validate.digit_labels(n, labels, predictions)
    ncols = max(1, min(ncols, n))
    nrows = max(1, -(-n // ncols))
    fig = plt.figure(figsize=(1.3 * ncols, 1.55 * nrows))
    with plt.rc_context(STYLE):
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, ax in enumerate(axes.flat):
            ax.set_axis_off()
            if k >= n:
                continue
            ax.imshow(images[k], cmap="gray_r")
            if predictions is None:
                ax.set_title(str(labels[k]), fontsize=16)
                continue
            wrong = predictions[k] != labels[k]
            ax.set_title(f"{labels[k]}:{predictions[k]}", fontsize=15,
                         color=WRONG if wrong else "black", fontweight="bold" if wrong else "normal")
            if wrong:
                ax.set_axis_on()
                ax.set_xticks([]), ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_edgecolor(WRONG)
                    spine.set_linewidth(3)
        if predictions is not None:
            fig.suptitle("true : predicted (mistakes in vermillion)", fontsize=14)
        fig.tight_layout()
    return fig


def plot_function(f: Callable[[np.ndarray], np.ndarray], x_range: tuple[float, float] = (-5.0, 5.0),
                  step: float = 0.1, label: str | None = None, ax=None):
    """Plot ``y = f(x)`` for x in ``np.arange(*x_range, step)``; pass ``ax`` to overlay curves."""
    if ax is None:
        ax = plt.figure(figsize=(7, 4.5)).subplots()
    with plt.rc_context(STYLE):
        x = np.arange(x_range[0], x_range[1], step)
        ax.plot(x, f(x), label=label or getattr(f, "__name__", None))
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.axhline(0, color="gray", linewidth=0.8)
        ax.axvline(0, color="gray", linewidth=0.8)
        ax.legend()
    return ax.figure


def plot_history(history, title: str | None = None):
    """Mini-batch loss per iteration (left axis) and train/test accuracy (right axis) of a ``History``."""
    fig = plt.figure(figsize=(9, 5))
    with plt.rc_context(STYLE):
        ax = fig.subplots()
        iters = np.arange(1, len(history.loss) + 1)
        ax.plot(iters, history.loss, color=OKABE_ITO[0], alpha=0.6, linewidth=1.2, label="loss")
        ax.set_xlabel("iteration")
        ax.set_ylabel("mini-batch loss", color=OKABE_ITO[0])
        acc = ax.twinx()
        acc.grid(False)
        if history.train_acc:
            acc.plot(history.eval_iterations, history.train_acc, "o-", color=OKABE_ITO[1], label="train accuracy")
        if history.test_acc:
            acc.plot(history.eval_iterations, history.test_acc, "s--", color=OKABE_ITO[2], label="test accuracy")
        acc.set_ylabel("accuracy")
        acc.set_ylim(0, 1.02)
        lines = ax.get_legend_handles_labels()[0] + acc.get_legend_handles_labels()[0]
        acc.legend(lines, [line.get_label() for line in lines], loc="center right")
        if history.diverged:
            ax.axvline(history.diverged_at, color=WRONG, linestyle=":")
            ax.set_title(title or f"diverged at iteration {history.diverged_at}", color=WRONG)
        else:
            ax.set_title(title or f"lr = {history.lr:g}, batch size = {history.batch_size}")
        fig.tight_layout()
    return fig


def run_style(k: int) -> dict:
    """Colour and line style of the k-th run in a comparison: Okabe-Ito colours without the yellow
    (too pale on white), then the same colours dashed, dotted, dash-dotted."""
    palette = [c for c in OKABE_ITO if c != "#F0E442"]
    return {"color": palette[k % len(palette)],
            "linestyle": ["-", "--", ":", "-."][(k // len(palette)) % 4]}


def draw_runs_on(ax_loss, ax_acc, runs: Sequence[tuple[str, object]], *, smooth: int = 20,
                 every_batch: bool = False, accuracy_against: str = "epoch") -> None:
    """Draw runs on two given axes: loss curves (log scale) and test accuracy.

    Used by :func:`plot_lr_comparison` and by the learning-rate lab (:mod:`mnist_lib.widgets`).

    Args:
        runs: ``(label, History)`` pairs, drawn in order with :func:`run_style`.
        smooth: the loss is drawn as a moving average over this many iterations.
        every_batch: also draw each batch's loss as a thin line behind the average.
        accuracy_against: "epoch" (connected points) or "iteration" (points, on the loss's x axis).

    A run that diverged is drawn up to where it blew up and marked with an x; losses above the top
    of the axis (a blow-up, inf or NaN) are drawn at the top.
    """
    finite = [v for _, h in runs for v in h.loss if math.isfinite(v)]
    top = min(2 * max(finite), 1e4) if finite else 10.0  # where blow-ups are drawn
    lowest, highest = top, 0.0  # the range of the losses drawn, for the axis
    for k, (label, h) in enumerate(runs):
        style = run_style(k)
        loss = np.minimum(np.nan_to_num(np.asarray(h.loss, dtype=float), nan=top, posinf=top), top)
        its = np.arange(1, len(loss) + 1)
        name = label + (" (diverged)" if h.diverged else "")
        if every_batch and len(loss):
            ax_loss.plot(its, loss, color=style["color"], alpha=0.3, linewidth=1)
            lowest, highest = min(lowest, loss.min()), max(highest, loss.max())
        w = min(smooth, len(loss))
        if w:
            average = np.convolve(loss, np.ones(w) / w, mode="valid")
            ax_loss.plot(its[w - 1:], average, label=name, **style)
            lowest, highest = min(lowest, average.min()), max(highest, average.max())
        if h.diverged and len(loss):
            ax_loss.plot(its[-1], loss[-1], "x", color=style["color"], markersize=16,
                         markeredgewidth=3.5, clip_on=False)
        if h.test_acc:
            by_epoch = accuracy_against == "epoch"
            ax_acc.plot(h.epochs if by_epoch else h.eval_iterations, h.test_acc, marker="o",
                        color=style["color"], linestyle=style["linestyle"] if by_epoch else "none",
                        label=name)
    ax_loss.set_yscale("log")
    if any(h.diverged for _, h in runs) or not finite:
        highest = top  # an x at the top edge marks a blow-up
    else:
        highest *= 1.3
    ax_loss.set_ylim(max(0.5 * lowest, 1e-3) if finite else 0.05, highest)
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("mini-batch loss (log scale)")
    ax_acc.set_xlabel(accuracy_against)
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_ylim(0, 1.02)


def plot_lr_comparison(histories: Mapping[str, object] | Sequence, smooth: int = 20):
    """Loss curves (log scale, moving average over ``smooth`` iterations) and test accuracy of several runs.

    ``histories``: a dict ``{label: History}``, or a list of ``History`` (labelled by learning rate).
    A diverged run is drawn up to where it blew up and marked with an x.
    """
    # (label, History) pairs: a dict keyed by label would drop runs that share a learning rate
    runs = list(histories.items()) if isinstance(histories, Mapping) else [
        (f"lr = {h.lr:g}", h) for h in histories]
    fig = plt.figure(figsize=(14, 5))
    with plt.rc_context(STYLE):
        ax_loss, ax_acc = fig.subplots(1, 2)
        draw_runs_on(ax_loss, ax_acc, runs, smooth=smooth)
        ax_loss.set_title("loss")
        ax_loss.legend()
        ax_acc.set_title("test accuracy")
        fig.tight_layout()
    return fig


def draw_network(sizes: Sequence[int], *, layer_names: Sequence[str] | None = None,
                 activations: Sequence[str | None] | None = None,
                 unit_labels: Sequence[Sequence[str] | None] | None = None,
                 weights: Sequence[np.ndarray] | None = None, show_weights: bool = False,
                 show_shapes: bool = True, max_units: int = 10, title: str | None = None, ax=None):
    """Draw a fully connected network: a circle per neuron, a line per weight.

    Args:
        sizes: layer widths, input first, e.g. ``[2, 3, 2, 2]``.
        layer_names: a caption under each layer; default "input", "hidden 1", ..., "output".
            The number of units is added below it.
        activations: for each layer after the input, its activation (e.g. "sigmoid"), written
            under the caption; None or "" for none.
        unit_labels: for each layer, a text per unit written in its circle (e.g. ``["x1", "x2"]``),
            or None for no text.
        weights: the weight matrices, ``weights[i]`` of shape ``(sizes[i], sizes[i + 1])``: a line's
            width grows with ``|w|``; positive weights are blue, negative ones vermillion.
        show_weights: write each weight's value on its line (needs ``weights``; for small nets).
        show_shapes: write the weight matrix and its shape above each gap, e.g. "W1 (2, 3)".
        max_units: draw at most this many units per layer; a bigger layer (784 pixels) shows its
            first and last units with "⋮" between them.
        title: the figure's title.
        ax: an Axes to draw on; by default a new figure sized to the network.

    Returns:
        The ``matplotlib.figure.Figure``.
    """
    sizes = validate.layer_sizes(sizes, max_units)
    n_layers = len(sizes)
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, n_layers - 1)] + ["output"]
    if activations is None:
        activations = [None] * (n_layers - 1)
    if unit_labels is None:
        unit_labels = [None] * n_layers
    weights = validate.network_drawing(sizes, layer_names, activations, unit_labels, weights,
                                       show_weights)

    # Which units are drawn, and where: slot k of a layer sits at y = (slots - 1) / 2 - k.
    half = (max_units - 1) // 2
    shown = [list(range(n)) if n <= max_units else list(range(half)) + list(range(n - half, n))
             for n in sizes]
    slots = [n if n <= max_units else 2 * half + 1 for n in sizes]
    tallest = max(slots)

    def y_of(layer: int, unit: int) -> float:
        n = sizes[layer]
        k = unit if n <= max_units or unit < half else unit - (n - half) + half + 1
        return (slots[layer] - 1) / 2 - k

    if ax is None:
        fig = plt.figure(figsize=(min(16.0, 1.5 + 2.2 * n_layers), max(4.5, 2.6 + 0.62 * tallest)))
        ax = fig.subplots()
    fig = ax.figure
    face = {0: "#FBE3B0"}  # input: light orange; hidden: light blue; output: light green
    circle_size = 1100  # of each unit, in points**2 (matplotlib's scatter size)
    with plt.rc_context(STYLE):
        biggest = max((float(np.abs(w).max()) for w in weights), default=0.0) if weights else 0.0
        edges = []  # (xs, ys, text) of each weight label, placed once the layout is final
        for i in range(n_layers - 1):
            for a in shown[i]:
                for b in shown[i + 1]:
                    xs, ys = (i, i + 1), (y_of(i, a), y_of(i + 1, b))
                    if weights is None:
                        ax.plot(xs, ys, color="0.55", linewidth=1.0, zorder=1)
                        continue
                    w = float(weights[i][a, b])
                    width = 0.6 + 4.0 * abs(w) / biggest if biggest > 0 else 1.0
                    ax.plot(xs, ys, color=OKABE_ITO[0] if w >= 0 else WRONG, linewidth=width,
                            alpha=0.8, zorder=1)
                    if show_weights:
                        edges.append((xs, ys, f"{w:g}"))
            if show_shapes:
                ax.text(i + 0.5, tallest / 2 + 0.15, f"W{i + 1} {(sizes[i], sizes[i + 1])}",
                        ha="center", va="bottom", fontsize=14)
        for i, n in enumerate(sizes):
            color = face.get(i, "#CDE8C5" if i == n_layers - 1 else "#C6DBEF")
            ys = [y_of(i, u) for u in shown[i]]
            ax.scatter([i] * len(ys), ys, s=circle_size, facecolor=color, edgecolor="black",
                       linewidth=1.5, zorder=3)
            if n > max_units:
                ax.text(i, (slots[i] - 1) / 2 - half, "⋮", ha="center", va="center",
                        fontsize=24, zorder=3)
            if unit_labels[i] is not None:
                for u in shown[i]:
                    ax.text(i, y_of(i, u), str(unit_labels[i][u]), ha="center", va="center",
                            fontsize=12, zorder=4)
            caption = f"{layer_names[i]}\n{n} unit{'s' if n != 1 else ''}"
            if i > 0 and activations[i - 1]:
                caption += f"\n{activations[i - 1]}"
            ax.text(i, -tallest / 2 - 0.2, caption, ha="center", va="top", fontsize=14)
        ax.set_xlim(-0.5, n_layers - 0.5)
        ax.set_ylim(-tallest / 2 - 1.7, tallest / 2 + (0.9 if show_shapes else 0.3))
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        fig.tight_layout()
        _place_weight_labels(ax, edges, circle_size)
    return fig


def _place_weight_labels(ax, edges, circle_size: float) -> None:
    """Write each weight on its line, in a white box clear of the other labels and the circles.

    ``edges``: ``(xs, ys, text)`` per line. Each label tries points along its line, from the
    middle outwards, and takes the first whose box (measured by the renderer) overlaps no label or
    circle and is crossed by as few other lines as possible, so that no label sits on a crossing
    where it could belong to either line.
    """
    if not edges:
        return
    renderer = ax.figure.canvas.get_renderer()
    radius = np.sqrt(circle_size) / 2 * ax.figure.dpi / 72  # in pixels
    centres = {(x, y) for xs, ys, _ in edges for x, y in zip(xs, ys)}
    taken = [Bbox.from_bounds(px - radius, py - radius, 2 * radius, 2 * radius)
             for px, py in ax.transData.transform(sorted(centres))]
    along = np.linspace(0, 1, 60)[:, None]
    lines = [ax.transData.transform(np.column_stack(xs_ys)) for *xs_ys, _ in edges]
    lines = [start + along * (end - start) for start, end in lines]  # points on each line
    fractions = (0.5, 0.38, 0.62, 0.28, 0.72, 0.44, 0.56, 0.33, 0.67, 0.24, 0.76)
    for k, (xs, ys, text) in enumerate(edges):
        label = ax.text(0, 0, text, fontsize=12, ha="center", va="center", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none",
                                  alpha=0.9))
        scores = []
        for t in fractions:
            label.set_position((xs[0] + t * (xs[1] - xs[0]), ys[0] + t * (ys[1] - ys[0])))
            box = _box_of(label, renderer)
            overlap = sum(_overlap_area(box, other) for other in taken)
            crossed = sum(_any_inside(box, points) for j, points in enumerate(lines) if j != k)
            scores.append((overlap > 0, crossed, overlap, t, box))
        *_, t, box = min(scores, key=lambda score: score[:3])
        label.set_position((xs[0] + t * (xs[1] - xs[0]), ys[0] + t * (ys[1] - ys[0])))
        taken.append(box)


def _box_of(label, renderer) -> Bbox:
    """The display-space box of a text's background patch (its text plus padding)."""
    label.update_bbox_position_size(renderer)
    return label.get_bbox_patch().get_window_extent(renderer)


def _any_inside(box: Bbox, points: np.ndarray) -> bool:
    x, y = points[:, 0], points[:, 1]
    return bool(np.any((box.x0 <= x) & (x <= box.x1) & (box.y0 <= y) & (y <= box.y1)))


def _overlap_area(a: Bbox, b: Bbox) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(width, 0.0) * max(height, 0.0)


# ---------------------------------------------------------------------------------------------
# Looking inside a trained network: its weights, its mistakes, its reading of one digit
# ---------------------------------------------------------------------------------------------

#: Blue for positive, red for negative (a diverging map that colour-blind readers can tell apart).
DIVERGING = "RdBu"


def _axes(ax, figsize: tuple[float, float]):
    """``ax``, or the axes of a new pyplot figure of ``figsize``."""
    return ax if ax is not None else plt.figure(figsize=figsize).subplots()


def show_weights(W: np.ndarray, ncols: int = 10, units: Sequence[int] | None = None):
    """The weights into each hidden unit, as a picture: what each unit "looks for".

    Args:
        W: a first layer's weights ``(784, H)``: column ``j`` holds the 784 weights from the pixels
            to hidden unit ``j``, drawn as a 28x28 tile (blue: positive, red: negative, white: 0,
            one colour scale for all). The tiles form one mosaic, ``ncols`` per row, in the order
            of ``units``; the axes count tiles, so the tile in row ``r``, column ``c`` is
            ``units[r * ncols + c]``.
        ncols: tiles per row.
        units: which hidden units to draw, in order (default: all).
    """
    W, units = validate.first_layer_weights(W, units)
    ncols = max(1, min(ncols, len(units)))
    nrows = -(-len(units) // ncols)
    limit = float(np.abs(W[:, units]).max()) or 1.0
    # One image of tiles 28x28 with a 2-pixel gap (NaN: drawn in the background colour).
    mosaic = np.full((nrows * 30 - 2, ncols * 30 - 2), np.nan)
    for k, unit in enumerate(units):
        r, c = divmod(k, ncols)
        mosaic[30 * r:30 * r + 28, 30 * c:30 * c + 28] = W[:, unit].reshape(28, 28)
    fig = plt.figure(figsize=(0.62 * ncols + 1.2, 0.62 * nrows + 1.0))
    with plt.rc_context(STYLE):
        ax = fig.subplots()
        ax.imshow(mosaic, cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_xticks(30 * np.arange(ncols) + 13.5, range(ncols), fontsize=10)
        ax.set_yticks(30 * np.arange(nrows) + 13.5, [str(r * ncols) for r in range(nrows)],
                      fontsize=10)
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title("weights from the pixels to each hidden unit (blue +, red −)", fontsize=13)
        fig.tight_layout()
    return fig


def plot_confusion_matrix(matrix: np.ndarray, title: str | None = None, ax=None):
    """A confusion matrix ``(10, 10)``: row = true digit, column = prediction, each count written in.

    The mistakes (off the diagonal) are coloured, darker for more; the diagonal (right answers)
    is grey, so that it does not hide the mistakes.
    """
    matrix = validate.square_matrix(matrix)
    n = len(matrix)
    ax = _axes(ax, (7.5, 6.5))
    with plt.rc_context(STYLE):
        mistakes = np.where(np.eye(n, dtype=bool), np.nan, matrix).astype(float)
        top = max(np.nanmax(mistakes), 1.0) if n > 1 else 1.0
        ax.imshow(np.eye(n), cmap="Greys", vmin=0, vmax=6)
        ax.imshow(mistakes, cmap="Oranges", vmin=0, vmax=top)
        for i in range(n):
            for j in range(n):
                light = i != j and matrix[i, j] > 0.6 * top
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=10,
                        color="white" if light else "black")
        ax.set_xticks(range(n))
        ax.set_yticks(range(n))
        ax.grid(False)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true digit")
        ax.set_title(title or f"{int(matrix.sum() - np.trace(matrix))} mistakes")
    return ax.figure


def plot_probabilities(probabilities: np.ndarray, label: int | None = None, ax=None):
    """The ten class probabilities ``(10,)`` as bars; the predicted digit's bar in blue.

    ``label``: the true digit, when known: the title names it, and a wrong prediction's bar turns
    vermillion.
    """
    p = validate.ten_probabilities(probabilities)
    ax = _axes(ax, (6, 3.5))
    with plt.rc_context(STYLE):
        best = int(p.argmax())
        colours = ["0.75"] * 10
        colours[best] = WRONG if label is not None and best != label else OKABE_ITO[0]
        ax.bar(range(10), p, color=colours)
        ax.set_xticks(range(10))
        ax.set_ylim(0, 1)
        ax.set_xlabel("digit")
        ax.set_ylabel("probability")
        true = "" if label is None else f", true digit {label}"
        ax.set_title(f"reads {best} ({100 * p[best]:.0f}%){true}")
    return ax.figure


def plot_activations(activations: np.ndarray, ncols: int = 10, ax=None):
    """A hidden layer's activations ``(H,)`` as a grid of squares, unit 0 top left (darker: larger)."""
    a = np.asarray(activations, dtype=float).reshape(-1)
    nrows = -(-a.size // ncols)
    grid = np.full(nrows * ncols, np.nan)
    grid[:a.size] = a
    ax = _axes(ax, (0.45 * ncols + 1, 0.45 * nrows + 1))
    with plt.rc_context(STYLE):
        ax.imshow(grid.reshape(nrows, ncols), cmap="Greys", vmin=0, vmax=max(float(a.max()), 1e-9))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_title(f"hidden layer: {int((a > 0).sum())} of {a.size} active", fontsize=14)
    return ax.figure


# --- the labs' figures (notebook 09) -----------------------------------------------------------
# The labs redraw their figures many times: these are built as ``matplotlib.figure.Figure``
# without pyplot (nothing to close, no pyplot state). In a notebook, leave such a figure as the
# cell's last value to show it (once).

def draw_lab_runs(runs: Sequence[tuple[str, object]]) -> Figure:
    """The learning-rate lab's figure: loss per iteration (log scale) and validation accuracy.

    ``runs``: ``(label, History)`` pairs, drawn in order with :func:`run_style`: each batch's loss
    thin, its average over 10 iterations thick, a diverged run marked with an x where it blew up,
    the validation accuracy as points at the iterations where it was measured.
    """
    runs = list(runs)
    rows = math.ceil(len(runs) / 2)
    with plt.rc_context(STYLE):
        height = 4.9 + 0.33 * rows  # fixed margins: a constrained layout takes longer to draw
        fig = Figure(figsize=(12, height))
        fig.subplots_adjust(left=0.075, right=0.985, top=1 - 0.45 / height,
                            bottom=(0.78 + 0.33 * rows) / height, wspace=0.22)
        ax_loss, ax_acc = fig.subplots(1, 2)
        draw_runs_on(ax_loss, ax_acc, runs, smooth=10, every_batch=True,
                     accuracy_against="iteration")
        ax_loss.set_title("loss (thin: each batch, thick: average of 10)")
        for k, (_, history) in enumerate(runs):
            ax_acc.plot(history.eval_iterations, history.val_acc, "o", color=run_style(k)["color"])
        ax_acc.set_xlim(ax_loss.get_xlim())
        ax_acc.set_ylabel("validation accuracy")
        ax_acc.set_title("validation accuracy")
        if runs:
            fig.legend(*ax_loss.get_legend_handles_labels(), loc="lower center",
                       bbox_to_anchor=(0.5, 0.0), ncols=2, frameon=False)
        else:
            for ax in (ax_loss, ax_acc):
                ax.text(0.5, 0.5, "press Train to add a run", transform=ax.transAxes,
                        ha="center", va="center", color="0.4")
    return fig


def draw_descent(f: Callable[[np.ndarray], float], path: np.ndarray, title: str,
                 extent: tuple[float, float, float, float] = (-10.0, 10.0, -5.0, 5.0)) -> Figure:
    """The gradient-descent lab's figure: contour lines of ``f`` over ``extent`` (x from, x to,
    y from, y to) with the ``path`` ``(steps + 1, 2)`` on it, the start and the minimum (0, 0).

    ``f`` maps a point ``(2,)`` to a number (and, faster, a grid ``(2, H, W)`` to ``(H, W)``).
    Points beyond the figure (a path that blew up) are drawn on its edge.
    """
    x0, x1, y0, y1 = extent
    xs, ys = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 101))
    try:
        zs = np.asarray(f(np.stack([xs, ys])), dtype=np.float64)  # every point at once
    except (TypeError, ValueError, IndexError):
        zs = None
    if zs is None or zs.shape != xs.shape:  # f takes one point at a time
        zs = np.vectorize(lambda a, b: float(f(np.array([a, b]))))(xs, ys)
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(10, 6.2), layout="constrained")
        ax = fig.subplots()
        levels = np.geomspace(max(zs.min(), 0.02), zs.max(), 12)
        contours = ax.contour(xs, ys, zs, levels=levels, colors="0.55", linewidths=1)
        ax.clabel(contours, levels[6::2], fontsize=11, fmt="%.2g")  # the inner rings are too tight
        with np.errstate(over="ignore", invalid="ignore"):
            shown = np.where(np.isfinite(path), np.clip(path, -1e6, 1e6), np.nan)
        ax.plot(shown[:, 0], shown[:, 1], "o-", color=OKABE_ITO[3], markersize=5, linewidth=2,
                label="path")
        ax.plot(*path[0], "o", color=OKABE_ITO[0], markersize=13, label="start")
        ax.plot(0, 0, "*", color="black", markersize=18, label="minimum")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(title)
        ax.legend(loc="upper right", framealpha=0.9)
    return fig


def plot_range_test(result, title: str = "learning-rate range test"):
    """The loss against the learning rate (log scale) of :func:`~mnist_lib.experiments.lr_range_test`.

    Each batch's loss thin, the smoothed loss thick, dotted lines at the learning rates where the
    smoothed loss falls fastest and where it is lowest. End the cell with ``plt.show()``.
    """
    fig = plt.figure(figsize=(11, 5))
    with plt.rc_context(STYLE):
        ax = fig.subplots()
        ax.plot(result.lrs, result.losses, color=OKABE_ITO[0], alpha=0.3, linewidth=1,
                label="each batch")
        ax.plot(result.lrs, result.smoothed, color=OKABE_ITO[0], label="smoothed")
        for lr, name, color in [(result.steepest, "falls fastest", OKABE_ITO[2]),
                                (result.lowest, "lowest", OKABE_ITO[3])]:
            ax.axvline(lr, color=color, linestyle=":", linewidth=2, label=f"{name}: lr {lr:.2g}")
        ax.set_xscale("log")
        finite = result.smoothed[np.isfinite(result.smoothed)]
        ax.set_ylim(0, min(2.5 * finite.max(), 3 * finite[0]) if len(finite) else 5)
        ax.set_xlabel("learning rate (log scale), raised at every iteration")
        ax.set_ylabel("loss")
        ax.set_title(title + (" (stopped: the loss blew up)" if result.stopped_early else ""))
        ax.legend(loc="upper left")
        fig.tight_layout()
    return fig
