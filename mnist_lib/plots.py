"""Figures readable on a projector: large fonts and the colour-blind-safe Okabe-Ito palette.

Each function draws a new figure and returns it (a ``matplotlib.figure.Figure``) for further
changes. In a notebook, end the cell with ``plt.show()``: a figure left as a cell's last value
would be shown twice.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

__all__ = ["OKABE_ITO", "STYLE", "set_style", "show_digits", "plot_function", "plot_history",
           "plot_lr_comparison"]

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
    if len(labels) != n or (predictions is not None and len(predictions) != n):
        raise ValueError(f"show_digits: {n} images but {len(labels)} labels"
                         + ("" if predictions is None else f" and {len(predictions)} predictions"))
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
        for (label, h), color in zip(runs, OKABE_ITO * 4):
            loss = np.asarray(h.loss, dtype=float)
            loss = loss[np.isfinite(loss)]
            k = max(1, min(smooth, len(loss)))
            avg = np.convolve(loss, np.ones(k) / k, mode="valid") if len(loss) else loss
            name = f"{label} (diverged)" if h.diverged else label
            ax_loss.plot(np.arange(k, k + len(avg)), avg, color=color, label=name)
            if h.diverged and len(loss):
                ax_loss.plot(len(loss), loss[-1], "x", color=color, markersize=14, markeredgewidth=3)
            if h.test_acc:
                ax_acc.plot(h.epochs, h.test_acc, "o-", color=color, label=name)
        ax_loss.set_yscale("log")
        ax_loss.set_xlabel("iteration")
        ax_loss.set_ylabel("mini-batch loss (log scale)")
        ax_loss.set_title("loss")
        ax_loss.legend()
        ax_acc.set_xlabel("epoch")
        ax_acc.set_ylabel("test accuracy")
        ax_acc.set_ylim(0, 1.02)
        ax_acc.set_title("test accuracy")
        fig.tight_layout()
    return fig
